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
