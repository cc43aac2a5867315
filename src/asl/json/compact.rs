//! A compact, read-only form of a `serde_json::Value`, for values that are kept but no longer
//! worked on (the outputs of many executions a caller holds until it reads them).
//!
//! A `Value::Object` is an `IndexMap`: a hash index plus an entry vector of 112-byte buckets
//! (hash, key, 80-byte value), sized to a power of two. [`Compact`] keeps an object as one boxed
//! slice of `(key, value)` pairs of 40 bytes and a string as a boxed `str`, so a kept output of
//! a few small objects takes about a third of the memory. [`Compact::from`] moves the strings
//! out of the value it is given (no copy); [`Compact::to_value`] builds the value back, with the
//! members in the same order.

use serde_json::{Map, Number, Value};

/// A JSON value in its compact, kept form. Objects keep their members in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Compact {
    Null,
    Bool(bool),
    Number(Number),
    String(Box<str>),
    Array(Box<[Compact]>),
    Object(Box<[(Box<str>, Compact)]>),
}

impl From<Value> for Compact {
    fn from(value: Value) -> Compact {
        match value {
            Value::Null => Compact::Null,
            Value::Bool(b) => Compact::Bool(b),
            Value::Number(n) => Compact::Number(n),
            Value::String(s) => Compact::String(s.into_boxed_str()),
            Value::Array(items) => Compact::Array(items.into_iter().map(Compact::from).collect()),
            Value::Object(map) => Compact::Object(map.into_iter().map(|(k, v)| (k.into_boxed_str(), Compact::from(v))).collect()),
        }
    }
}

impl Compact {
    /// The value again, members in the same order.
    pub fn to_value(&self) -> Value {
        match self {
            Compact::Null => Value::Null,
            Compact::Bool(b) => Value::Bool(*b),
            Compact::Number(n) => Value::Number(n.clone()),
            Compact::String(s) => Value::String(s.to_string()),
            Compact::Array(items) => Value::Array(items.iter().map(Compact::to_value).collect()),
            Compact::Object(members) => {
                let mut map = Map::with_capacity(members.len());
                for (k, v) in members.iter() {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_value_comes_back_the_same_with_its_member_order() {
        let value = json!({"z": 1, "a": [true, null, 2.5, "s", {"k": -3}], "m": {"y": "x", "b": {}}, "e": []});
        let back = Compact::from(value.clone()).to_value();
        assert_eq!(back, value);
        // Equality of maps ignores order; the text shows it is kept.
        assert_eq!(back.to_string(), value.to_string());
    }

    #[test]
    fn a_kept_object_is_smaller_than_the_value() {
        // One 40-byte pair per member instead of a 112-byte bucket plus the hash index.
        assert_eq!(std::mem::size_of::<(Box<str>, Compact)>(), 40);
        assert_eq!(std::mem::size_of::<Compact>(), 24);
        assert!(std::mem::size_of::<Value>() > std::mem::size_of::<Compact>());
    }
}
