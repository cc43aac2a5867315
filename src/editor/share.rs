//! Share links: a document (name, text, manual positions, scenarios and handler choices)
//! carried in a URL's hash, as `#share=2.` followed by the base64url (no padding) of its JSON,
//! raw-deflated (natively by miniz_oxide; in the page by the browser's `CompressionStream`, through
//! [`json_of`], [`payload`] and [`read_json`], so the page's wasm carries no deflate). Links of the first format,
//! `#share=1.` and the JSON uncompressed, still open.
//!
//! A link is input from anyone, so what it carries is checked before anything uses it: only
//! the document's known fields, sizes bounded before and after inflating (a small link cannot
//! inflate to gigabytes), every number finite (JSON has no infinity, and `1e400` is refused),
//! and positions clamped to ±[`POSITION_LIMIT`], so that a position such as `1e308` cannot
//! overflow the canvas's geometry.
//!
//! The UI opens a decoded [`SharedDoc`] as a new document; [`ShareError`] says in words why a
//! link does not open.

use super::document::Document;
use super::geometry::Point;
use crate::sim::SimSettings;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// What a share link's hash starts with.
pub const PREFIX: &str = "#share=2.";
/// The first format's prefix: the JSON uncompressed.
const PREFIX_UNCOMPRESSED: &str = "#share=1.";

/// The longest payload read, in characters: a browser's address bar takes about 2 MB.
pub const MAX_LINK_CHARS: usize = 4 << 20;
/// The most JSON a link may inflate to.
pub const MAX_JSON_BYTES: usize = 16 << 20;
/// The most manual positions a link may carry.
pub const MAX_POSITIONS: usize = 20_000;
/// The longest document name.
pub const MAX_NAME_CHARS: usize = 256;
/// Positions are clamped to ±this on each axis: far beyond any drawn workflow, and far from
/// where adding widths and heights to it could overflow.
pub const POSITION_LIMIT: f64 = 1.0e6;

/// What a share link carries.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedDoc {
    pub name: String,
    pub text: String,
    /// Manual positions by node id, finite and within ±[`POSITION_LIMIT`].
    pub positions: BTreeMap<String, Point>,
    pub simulation: SimSettings,
}

/// Why a share link does not open.
#[derive(Debug, Clone, PartialEq)]
pub enum ShareError {
    /// `#share=N.` with an N this version does not know.
    NewerVersion(String),
    /// Not base64, not deflate, not UTF-8, or not the JSON of a document.
    Damaged(String),
    /// Longer than a limit.
    TooLarge { what: &'static str, limit: usize },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::NewerVersion(v) => write!(f, "this share link (format {v}) comes from a newer version of Statecraft; open it there"),
            ShareError::Damaged(why) => write!(f, "the share link is damaged ({why}); copy it again, whole"),
            ShareError::TooLarge { what, limit } => write!(f, "the share link is too large: its {what} is over {limit}"),
        }
    }
}

impl std::error::Error for ShareError {}

/// The document as the link's JSON: these fields and no other.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    name: String,
    text: String,
    #[serde(default)]
    positions: BTreeMap<String, Point>,
    /// Absent in links from before the simulator: the seed's scenarios, as in an autosave.
    #[serde(default = "SimSettings::seeded")]
    simulation: SimSettings,
}

/// The hash (with its `#`) that carries `doc`: what the user sees (the text even when broken,
/// not the last valid one), its positions and its simulation settings. Deflated here by
/// miniz_oxide; the page deflates [`json_of`] with the browser's `CompressionStream` instead
/// (no deflate code in its wasm) and writes the link with [`link_of_deflated`].
pub fn encode(doc: &Document) -> String {
    link_of_deflated(&miniz_oxide::deflate::compress_to_vec(&json_of(doc), 9))
}

/// The JSON a link of `doc` carries, before it is deflated.
pub fn json_of(doc: &Document) -> Vec<u8> {
    let saved = doc.saved();
    let wire = Wire { name: saved.name, text: saved.text, positions: saved.positions, simulation: saved.simulation };
    serde_json::to_vec(&wire).unwrap_or_default()
}

/// The hash (with its `#`) of a link whose JSON, raw-deflated, is `deflated`.
pub fn link_of_deflated(deflated: &[u8]) -> String {
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(deflated))
}

/// The document in a URL hash; `Ok(None)` when the hash is not a share link. Inflated here by
/// miniz_oxide; the page inflates a [`Payload::Deflated`] with the browser's
/// `DecompressionStream`, stopping past [`MAX_JSON_BYTES`], and reads it with [`read_json`].
pub fn decode(hash: &str) -> Result<Option<SharedDoc>, ShareError> {
    let json = match payload(hash)? {
        None => return Ok(None),
        Some(Payload::Plain(json)) => json,
        Some(Payload::Deflated(bytes)) => miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, MAX_JSON_BYTES)
            .map_err(|e| inflate_failed(e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput))?,
    };
    read_json(json).map(Some)
}

/// What a share link's hash carries, before it is inflated and read.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    /// The raw-deflated JSON (format 2).
    Deflated(Vec<u8>),
    /// The JSON itself (format 1), within [`MAX_JSON_BYTES`].
    Plain(Vec<u8>),
}

/// The bytes a URL hash carries; `Ok(None)` when the hash is not a share link.
pub fn payload(hash: &str) -> Result<Option<Payload>, ShareError> {
    let Some(rest) = hash.strip_prefix("#share=") else { return Ok(None) };
    let damaged = |why: String| ShareError::Damaged(why);
    let (compressed, payload) = if let Some(payload) = hash.strip_prefix(PREFIX) {
        (true, payload)
    } else if let Some(payload) = hash.strip_prefix(PREFIX_UNCOMPRESSED) {
        (false, payload)
    } else {
        let version = rest.split('.').next().unwrap_or_default();
        return Err(if !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()) {
            ShareError::NewerVersion(version.to_string())
        } else {
            damaged("it names no format".into())
        });
    };
    if payload.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge { what: "length", limit: MAX_LINK_CHARS });
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).map_err(|e| damaged(format!("not base64url: {e}")))?;
    if compressed {
        Ok(Some(Payload::Deflated(bytes)))
    } else if bytes.len() > MAX_JSON_BYTES {
        Err(ShareError::TooLarge { what: "document", limit: MAX_JSON_BYTES })
    } else {
        Ok(Some(Payload::Plain(bytes)))
    }
}

/// Why a deflated payload did not inflate: past [`MAX_JSON_BYTES`] (`too_large`), or not deflate.
pub fn inflate_failed(too_large: bool) -> ShareError {
    if too_large { ShareError::TooLarge { what: "document", limit: MAX_JSON_BYTES } } else { ShareError::Damaged("not deflate data".into()) }
}

/// The document a link's (inflated) JSON holds, checked: only the known fields, names and
/// positions within their limits, positions finite and clamped.
pub fn read_json(json: Vec<u8>) -> Result<SharedDoc, ShareError> {
    let damaged = |why: String| ShareError::Damaged(why);
    let json = String::from_utf8(json).map_err(|_| damaged("not UTF-8".into()))?;
    let wire: Wire = crate::asl::json::from_text(&json).map_err(|e| damaged(format!("not a document: {e}")))?;
    if wire.name.chars().count() > MAX_NAME_CHARS {
        return Err(ShareError::TooLarge { what: "name", limit: MAX_NAME_CHARS });
    }
    if wire.positions.len() > MAX_POSITIONS {
        return Err(ShareError::TooLarge { what: "number of positions", limit: MAX_POSITIONS });
    }
    let positions = crate::asl::sort::map(wire.positions.into_iter().filter(|(_, p)| p.x.is_finite() && p.y.is_finite()).map(|(id, p)| (id, clamped(p))));
    Ok(SharedDoc { name: wire.name, text: wire.text, positions, simulation: wire.simulation })
}

/// `p` within ±[`POSITION_LIMIT`] on each axis.
fn clamped(p: Point) -> Point {
    Point::new(p.x.clamp(-POSITION_LIMIT, POSITION_LIMIT), p.y.clamp(-POSITION_LIMIT, POSITION_LIMIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(doc: &Document) -> SharedDoc {
        let saved = doc.saved();
        SharedDoc { name: saved.name, text: saved.text, positions: saved.positions, simulation: saved.simulation }
    }

    /// A link of the first format: base64url of the JSON.
    fn uncompressed_link(json: &str) -> String {
        format!("{PREFIX_UNCOMPRESSED}{}", URL_SAFE_NO_PAD.encode(json))
    }

    fn link_of_json(json: &str) -> String {
        format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 6)))
    }

    #[test]
    fn a_document_goes_through_a_link_unchanged() {
        let mut saved = Document::seed().saved();
        saved.name = "Commandes é".into();
        saved.positions.insert("/States/HandleError".into(), Point::new(10.0, -20.5));
        let doc = Document::restore(saved);
        let hash = encode(&doc);
        assert!(hash.starts_with(PREFIX));
        assert!(hash[1..].bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.=".contains(&b)), "URL-safe: {hash}");
        assert_eq!(decode(&hash), Ok(Some(shared(&doc))));
    }

    #[test]
    fn links_of_the_first_format_still_open() {
        let doc = Document::seed();
        let saved = doc.saved();
        let json = serde_json::to_string(&saved).unwrap();
        assert_eq!(decode(&uncompressed_link(&json)), Ok(Some(shared(&doc))));
        // From before the simulator: no simulation field, the seed's scenarios.
        let old = uncompressed_link(r#"{"name": "Old", "text": "{}", "positions": {}}"#);
        assert_eq!(decode(&old).unwrap().unwrap().simulation, SimSettings::seeded());
    }

    #[test]
    fn compression_makes_a_mid_size_workflow_link_much_shorter() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/bench-workloads/parallel_fanout.json")).unwrap();
        let mut saved = Document::new("parallel_fanout", text).saved();
        for (i, id) in ["/States/Validate", "/States/Fan out", "/States/Done"].iter().enumerate() {
            saved.positions.insert(id.to_string(), Point::new(40.0 * i as f64, 120.5 * i as f64));
        }
        for doc in [Document::restore(saved), Document::seed()] {
            let json = serde_json::to_string(&doc.saved()).unwrap();
            let before = uncompressed_link(&json).len();
            let after = encode(&doc).len();
            eprintln!("share link of {}: {before} characters uncompressed, {after} deflated", doc.saved().name);
            assert!(after * 2 < before, "{after} vs {before}");
        }
    }

    #[test]
    fn positions_are_clamped_and_must_be_numbers_a_float_holds() {
        let json = r#"{"name": "N", "text": "{}", "positions": {"/States/A": {"x": 1e308, "y": -1e308}, "/States/B": {"x": 12.5, "y": -3}}}"#;
        let doc = decode(&link_of_json(json)).unwrap().unwrap();
        assert_eq!(doc.positions["/States/A"], Point::new(POSITION_LIMIT, -POSITION_LIMIT));
        assert_eq!(doc.positions["/States/B"], Point::new(12.5, -3.0));
        let beyond = r#"{"name": "N", "text": "{}", "positions": {"/States/A": {"x": 1e400, "y": 0}}}"#;
        assert!(matches!(decode(&link_of_json(beyond)), Err(ShareError::Damaged(_))));
    }

    #[test]
    fn unknown_fields_wrong_types_and_limits_are_refused_in_words() {
        let unknown = r#"{"name": "N", "text": "{}", "script": "alert(1)"}"#;
        let e = decode(&link_of_json(unknown)).unwrap_err();
        assert!(e.to_string().contains("unknown field `script`"), "{e}");
        assert!(decode(&link_of_json(r#"{"name": 1, "text": "{}"}"#)).unwrap_err().to_string().starts_with("the share link is damaged"));
        let long_name = format!(r#"{{"name": "{}", "text": "{{}}"}}"#, "n".repeat(MAX_NAME_CHARS + 1));
        assert_eq!(decode(&link_of_json(&long_name)), Err(ShareError::TooLarge { what: "name", limit: MAX_NAME_CHARS }));
        // A bomb: a small link that would inflate past the limit.
        let bomb = format!(r#"{{"name": "N", "text": "{}"}}"#, " ".repeat(MAX_JSON_BYTES + 10));
        let link = link_of_json(&bomb);
        assert!(link.len() < 100_000, "{}", link.len());
        assert_eq!(decode(&link), Err(ShareError::TooLarge { what: "document", limit: MAX_JSON_BYTES }));
        let huge = format!("{PREFIX}{}", "A".repeat(MAX_LINK_CHARS + 1));
        assert_eq!(decode(&huge), Err(ShareError::TooLarge { what: "length", limit: MAX_LINK_CHARS }));
    }

    #[test]
    fn the_page_s_route_reads_what_encode_writes() {
        // The page deflates `json_of` and inflates a `Payload` in the browser; here miniz stands
        // in for the browser, on both sides of the same split.
        let mut saved = Document::seed().saved();
        saved.positions.insert("/States/HandleError".into(), Point::new(1.5, 2.0));
        let doc = Document::restore(saved);
        let hash = link_of_deflated(&miniz_oxide::deflate::compress_to_vec(&json_of(&doc), 6));
        let Ok(Some(Payload::Deflated(bytes))) = payload(&hash) else { panic!("{hash}") };
        let json = miniz_oxide::inflate::decompress_to_vec(&bytes).unwrap();
        assert_eq!(read_json(json), Ok(shared(&doc)));
        assert_eq!(decode(&hash), Ok(Some(shared(&doc))));
        let plain = uncompressed_link(r#"{"name": "N", "text": "{}"}"#);
        assert!(matches!(payload(&plain), Ok(Some(Payload::Plain(_)))));
        assert_eq!(payload("#top"), Ok(None));
        assert_eq!(inflate_failed(true), ShareError::TooLarge { what: "document", limit: MAX_JSON_BYTES });
        assert!(inflate_failed(false).to_string().contains("not deflate data"));
    }

    #[test]
    fn other_hashes_are_not_links_and_damaged_links_say_so() {
        assert_eq!(decode(""), Ok(None));
        assert_eq!(decode("#section"), Ok(None));
        assert!(decode("#share=2.!!!").unwrap_err().to_string().starts_with("the share link is damaged (not base64url"));
        assert!(decode(&format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode("not deflate"))).unwrap_err().to_string().contains("not deflate"));
        assert!(decode(&uncompressed_link("{\"name\": 1}")).is_err());
        assert_eq!(decode("#share=9.abc"), Err(ShareError::NewerVersion("9".into())));
        assert!(decode("#share=9.abc").unwrap_err().to_string().contains("newer version"));
        assert!(matches!(decode("#share=x"), Err(ShareError::Damaged(_))));
    }
}
