//! Share links: a document (name, text, manual positions) carried in a URL's hash, as
//! `#share=1.` followed by the base64url of its JSON. Not compressed: the web build takes no
//! compression crate for it, and browsers take URLs of megabytes.

use super::document::Saved;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::collections::BTreeMap;

/// What a share link's hash starts with.
pub const PREFIX: &str = "#share=1.";

/// The hash (with its `#`) that carries `doc`.
pub fn encode(doc: &Saved) -> String {
    // The last valid text is not shared: the link carries what the user sees.
    let doc = Saved { last_valid: None, ..doc.clone() };
    let json = serde_json::to_string(&doc).unwrap_or_default();
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(json))
}

/// The document in a URL hash; `Ok(None)` when the hash is not a share link.
pub fn decode(hash: &str) -> Result<Option<Saved>, String> {
    let Some(payload) = hash.strip_prefix(PREFIX) else {
        return if hash.starts_with("#share=") { Err("this share link comes from a newer version".into()) } else { Ok(None) };
    };
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|e| format!("the share link is damaged: {e}"))?;
    let json = String::from_utf8(bytes).map_err(|_| "the share link is damaged: not UTF-8".to_string())?;
    let saved: Saved = serde_json::from_str(&json).map_err(|e| format!("the share link is damaged: {e}"))?;
    Ok(Some(Saved { positions: saved.positions.into_iter().filter(|(_, p)| p.x.is_finite() && p.y.is_finite()).collect::<BTreeMap<_, _>>(), ..saved }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;
    use crate::editor::geometry::Point;

    #[test]
    fn a_document_goes_through_a_link_unchanged() {
        let mut saved = Document::seed().saved();
        saved.name = "Commandes é".into();
        saved.positions.insert("/States/HandleError".into(), Point::new(10.0, -20.5));
        let hash = encode(&saved);
        assert!(hash.starts_with(PREFIX));
        assert!(hash[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.=".contains(&b)), "URL-safe: {hash}");
        assert_eq!(decode(&hash), Ok(Some(saved)));
    }

    #[test]
    fn other_hashes_are_not_links_and_damaged_links_say_so() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#section"), Ok(None));
        assert!(decode("#share=1.!!!").unwrap_err().starts_with("the share link is damaged"));
        assert!(decode(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode("{\"name\": 1}"))).is_err());
        assert!(decode("#share=9.abc").unwrap_err().contains("newer version"));
    }
}
