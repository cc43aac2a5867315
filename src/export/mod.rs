//! Export: the ASL JSON of a document, and (in later modules) the AWS CLI scripts and templates
//! that deploy exactly that definition.

/// The ASL definition as pretty-printed JSON (2-space indent, key order kept), ending in a newline.
pub fn asl_json(definition: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(definition).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    #[test]
    fn pretty_prints_and_keeps_key_order() {
        let v: serde_json::Value = serde_json::from_str(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#).unwrap();
        assert_eq!(
            super::asl_json(&v),
            "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n"
        );
    }
}
