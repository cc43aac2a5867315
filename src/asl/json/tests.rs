//! One-line checks of the reader and writer through small helpers.

use super::*;

fn error_at(text: &str) -> (usize, usize, String) {
    let e = read(text).unwrap_err();
    (e.line, e.column, e.message)
}

fn roundtrips(text: &str) {
    let node = read(text).unwrap();
    assert_eq!(write(&node, WriteStyle::Compact), text);
}

#[test]
fn keeps_key_order() {
    let v = parse(r#"{"b": 1, "a": 2}"#).unwrap();
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["b", "a"]);
}

#[test]
fn locates_a_syntax_error() {
    let (line, column, message) = error_at("{\n  \"a\": 1,\n  \"b\" 2\n}");
    assert_eq!((line, column), (3, 7));
    assert!(message.starts_with("invalid JSON: expected `:`"), "{message}");
}

#[test]
fn errors_are_located() {
    for (text, at) in [
        ("", (1, 1)),
        ("{\"StartAt\": }", (1, 13)),
        ("[1,]", (1, 4)),
        ("[01]", (1, 3)),
        ("[1.]", (1, 4)),
        ("\"a\nb\"", (1, 3)),
        ("\"\\x\"", (1, 3)),
        ("{\"é\": tru}", (1, 7)),
        ("[1] 2", (1, 5)),
        ("\"\\ud800\"", (1, 8)),
        ("{\"a\":1", (1, 7)),
    ] {
        let (line, column, _) = error_at(text);
        assert_eq!((line, column), at, "{text:?}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = "[".repeat(100_000);
    assert!(error_at(&deep).2.contains("nesting"));
    let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(read(&fine).is_ok());
}

#[test]
fn numbers_and_strings_come_back_as_written() {
    roundtrips(r#"[1.0,-0,2.50e+10,1E5,12345678901234567890]"#);
    roundtrips(r#"{"a\"b":"tab\there \\ é 😀","c":[],"d":{}}"#);
    assert_eq!(read(r#""\u00e9\ud83d\ude00\/""#).unwrap().as_str(), Some("é😀/"));
}

#[test]
fn pretty_matches_serde_json() {
    let text = r#"{"a":[1,{"b":null,"c":[]},"\u0001"],"e":{},"f":true,"g":0.5}"#;
    let node = read(text).unwrap();
    let serde: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(write(&node, WriteStyle::Pretty), serde_json::to_string_pretty(&serde).unwrap());
}

#[test]
fn spans_and_pointers_find_values() {
    let text = "{\n  \"States\": {\"A/b\": {\"Retry\": [ {\"BackoffRate\": 0.5} ]}}\n}";
    let root = read(text).unwrap();
    let (node, key) = root.at_pointer("/States/A~1b/Retry/0/BackoffRate").unwrap();
    assert_eq!(&text[node.span.start as usize..node.span.end as usize], "0.5");
    let key = key.unwrap();
    assert_eq!(LineIndex::new(text).position(key.start as usize), Position { line: 2, column: 34 });
    assert!(root.at_pointer("/States/missing").is_none());
}

#[test]
fn duplicate_keys_are_kept_and_the_last_wins() {
    let root = read(r#"{"a": 1, "a": 2}"#).unwrap();
    assert_eq!(root.as_object().unwrap().len(), 2);
    assert_eq!(root.get("a").unwrap().value, Value::Number(Number::from_text("2")));
}

#[test]
fn the_reader_notes_numbers_that_may_not_fit_a_float() {
    let notes = |text: &str| super::read_noting_duplicates(text).unwrap().1.large_numbers;
    assert!(!notes("[1, -2.5, 123456789012345678901234567890]"));
    assert!(notes("[1e3]") && notes("[1E-3]"));
    assert!(notes(&format!("[{}]", "9".repeat(301))));
    let big = super::read(&format!("[{}]", "9".repeat(400))).unwrap();
    assert!(big.as_array().unwrap()[0].to_serde().is_null(), "what a run would see: why the validator refuses it");
}

mod typed {
    //! `from_value` answers as serde_json's `Value` deserializer does, value for value and error
    //! for error, except for a struct written as an array, which it refuses.
    use super::super::from_value;
    use serde::Deserialize;
    use serde::de::DeserializeOwned;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;
    use std::fmt::Debug;
    use std::sync::Arc;

    #[derive(Debug, PartialEq, Deserialize)]
    struct Record {
        name: String,
        count: u8,
        ratio: Option<f64>,
        #[serde(default)]
        tags: Vec<Arc<str>>,
        by_number: BTreeMap<u32, String>,
        by_name: BTreeMap<String, i64>,
        kind: Kind,
        pair: (bool, char),
        id: Id,
        nothing: (),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Id(u64);

    #[derive(Debug, PartialEq, Deserialize)]
    enum Kind {
        Plain,
        Wrapped(i32),
        Pair(String, u16),
        Shaped { x: i8, y: Option<Box<Kind>> },
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "type")]
    enum Tagged {
        A { n: u32 },
        B,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        Number(f64),
        Words(Vec<String>),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Strict {
        some_field: u32,
        #[serde(flatten)]
        rest: Option<BTreeMap<String, Value>>,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Closed {
        a: u32,
    }

    /// The same answer as serde_json: the value, or the error's words. serde_json reads a number
    /// key with its text parser, whose errors end with a position inside the key's text
    /// ("at line 1 column 2"), which says nothing about the document: that ending is not
    /// compared.
    fn same<T: DeserializeOwned + PartialEq + Debug>(value: Value) {
        let ours = from_value::<T>(value.clone()).map_err(|e| e.to_string());
        let theirs = serde_json::from_value::<T>(value.clone()).map_err(|e| {
            let text = e.to_string();
            match text.rfind(" at line 1 column ") {
                Some(at) if text[at + 18..].bytes().all(|b| b.is_ascii_digit()) => text[..at].to_string(),
                _ => text,
            }
        });
        assert_eq!(ours, theirs, "{value}");
    }

    fn record() -> Value {
        json!({"name": "n", "count": 3, "ratio": null, "tags": ["a", "b"], "by_number": {"1": "one", "20": "twenty"},
               "by_name": {"x": -4}, "kind": {"Shaped": {"x": -1, "y": {"Wrapped": 7}}}, "pair": [true, "c"], "id": 9, "nothing": null})
    }

    #[test]
    fn values_and_errors_are_serde_jsons() {
        let with = |pointer: &str, v: Value| {
            let mut r = record();
            *r.pointer_mut(pointer).unwrap() = v;
            r
        };
        let without = |key: &str| {
            let mut r = record();
            r.as_object_mut().unwrap().remove(key);
            r
        };
        assert!(from_value::<Record>(record()).is_ok());
        for value in [
            record(),
            without("tags"),
            without("name"),
            with("/count", json!(300)),
            with("/count", json!(-1)),
            with("/count", json!(2.5)),
            with("/count", json!("3")),
            with("/ratio", json!(1)),
            with("/ratio", json!(-0.25)),
            with("/tags", json!("a")),
            with("/tags", json!([1])),
            with("/by_number", json!({"x": "not a number"})),
            with("/by_number", json!({"-1": "negative"})),
            with("/by_name", json!({"x": 1.5})),
            with("/kind", json!("Plain")),
            with("/kind", json!({"Plain": null})),
            with("/kind", json!({"Wrapped": 1})),
            with("/kind", json!("Wrapped")),
            with("/kind", json!({"Pair": ["p", 2]})),
            with("/kind", json!({"Pair": ["p"]})),
            with("/kind", json!({"Pair": ["p", 2, 3]})),
            with("/kind", json!({"Pair": "p"})),
            with("/kind", json!("Pair")),
            with("/kind", json!({"Shaped": [1, null]})),
            with("/kind", json!("Shaped")),
            with("/kind", json!({"Other": 1})),
            with("/kind", json!({"Plain": null, "Wrapped": 1})),
            with("/kind", json!({})),
            with("/kind", json!(5)),
            with("/pair", json!([true])),
            with("/pair", json!([true, "cc"])),
            with("/pair", json!({"0": true})),
            with("/id", json!("9")),
            with("/nothing", json!(0)),
            json!("a record"),
            json!(null),
        ] {
            same::<Record>(value);
        }
        for value in [json!({"type": "A", "n": 1}), json!({"type": "B"}), json!({"type": "C"}), json!({"n": 1}), json!({"type": "A"})] {
            same::<Tagged>(value);
        }
        for value in [json!(1.5), json!(["a"]), json!({"a": 1}), json!(null)] {
            same::<Either>(value);
        }
        for value in [json!({"someField": 1}), json!({"someField": 1, "other": [2]}), json!({"some_field": 1})] {
            same::<Strict>(value);
        }
        for value in [json!({"a": 1}), json!({"a": 1, "b": 2})] {
            same::<Closed>(value);
        }
        for value in [json!([1, 2, 3]), json!([]), json!([1, "2"]), json!({}), json!(1)] {
            same::<Vec<u64>>(value.clone());
            same::<Option<Vec<i64>>>(value.clone());
            same::<(u8, u8)>(value);
        }
        same::<Value>(record());
        same::<Box<str>>(json!("text"));
        same::<String>(json!(["text"]));
    }

    #[test]
    fn a_struct_is_read_from_an_object_only() {
        let array = json!(["n"]);
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct One {
            name: String,
        }
        assert!(serde_json::from_value::<One>(array.clone()).is_ok(), "serde_json reads it");
        assert_eq!(from_value::<One>(array).unwrap_err().to_string(), "invalid type: sequence, expected struct One");
    }
}
