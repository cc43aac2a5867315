//! Reading JSON text into a value, with a located error (line:column) when the text is not JSON.

use serde_json::Value;
use std::fmt;

/// Why a text is not a JSON document, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column of the offending character.
    pub column: usize,
    /// What is wrong, in words a user understands.
    pub message: String,
}

impl fmt::Display for JsonSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for JsonSyntaxError {}

/// Parses `text` as one JSON document, keeping object key order.
pub fn parse(text: &str) -> Result<Value, JsonSyntaxError> {
    serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line L column C"; we report the location separately.
        let message = match message.rfind(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        JsonSyntaxError { line: e.line(), column: e.column(), message: format!("invalid JSON: {message}") }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_key_order() {
        let v = parse(r#"{"b": 1, "a": 2}"#).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a"]);
    }

    #[test]
    fn locates_a_syntax_error() {
        let err = parse("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert_eq!((err.line, err.column), (3, 7));
        assert!(err.message.starts_with("invalid JSON: expected `:`"), "{}", err.message);
    }
}
