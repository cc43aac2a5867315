//! Round-trip: lowering a definition to the model and writing it back gives the same JSON, over
//! the seed, every conformance definition and every benchmark workload; an edit changes only
//! what it touches.

use statecraft::asl::json::{self, WriteStyle};
use statecraft::asl::lower::lower_text;
use statecraft::asl::model::{NumberOrExpression, StateKind};
use std::path::Path;

/// Every definition the project ships, as (name, pretty JSON text).
fn definitions() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![("seed".to_string(), statecraft::seed::ORDER_WORKFLOW.to_string())];
    let read_dir = |dir: &str| {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        paths
    };
    for path in read_dir("tests/fixtures/conformance/cases") {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        out.push((path.display().to_string(), serde_json::to_string_pretty(&case["definition"]).unwrap()));
    }
    for path in read_dir("tests/fixtures/bench-workloads") {
        out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
    }
    out
}

/// Lowers `text` and writes it back, asserting the same tree and (for pretty text) the same characters.
fn round_trips(name: &str, text: &str) {
    let (root, lowered) = lower_text(text).unwrap_or_else(|d| panic!("{name}: {d}"));
    let written = lowered.machine.to_json();
    assert!(written == root, "{name}: the written tree differs from the one read");
    let pretty = lowered.machine.to_json_text(WriteStyle::Pretty);
    if json::write(&root, WriteStyle::Pretty) == text.trim_end() {
        assert_eq!(pretty, text.trim_end(), "{name}: text differs");
    }
}

#[test]
fn every_shipped_definition_round_trips() {
    let defs = definitions();
    assert!(defs.len() > 340);
    for (name, text) in &defs {
        round_trips(name, text);
    }
}

#[test]
fn conformance_text_is_identical_after_round_trip() {
    // serde_json's pretty layout is ours, so these come back character for character.
    for (name, text) in definitions().iter().skip(1).take(342) {
        let (_, lowered) = lower_text(text).unwrap();
        assert_eq!(&lowered.machine.to_json_text(WriteStyle::Pretty), text, "{name}");
    }
}

#[test]
fn numbers_unknown_fields_and_key_order_survive() {
    let text = r#"{"States": {"A": {"End": true, "Retry": [{"BackoffRate": 1.0, "ErrorEquals": ["X"], "Future": {"k": 1.50}}], "Type": "Task", "Resource": "arn:r", "TimeoutSeconds": 1e2, "X-Vendor": [1, 2]}}, "StartAt": "A", "Version": "1.0"}"#;
    let (root, lowered) = lower_text(text).unwrap();
    assert!(lowered.machine.to_json() == root);
    assert_eq!(lowered.machine.to_json_text(WriteStyle::Compact), text.replace(": ", ":").replace(", ", ","));
}

#[test]
fn broken_definitions_round_trip_too() {
    for text in [
        r#"{"StartAt": 3, "States": {"A": {"Type": "Lambda", "Next": 4}}, "Nope": null}"#,
        r#"{"States": {"A": {"Type": "Task", "Seconds": "x", "Retry": [1], "Catch": {"a": 1}, "Type": "Pass"}}}"#,
        r#"{"States": {"C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "StringEquals": 1, "IsNull": true, "Next": "C", "And": [{"Not": {"Or": []}}]}]}}}"#,
        r#"{"QueryLanguage": "SQL", "States": 5}"#,
        r#"{"StartAt": "A", "St+tes": {"A": {"Type": "Pass", "End": true}}}"#,
        r#"{"States": "A", "States": {"A": {"Type": "Pass"}}}"#,
        r#"{"States": {"C": {"Type": "Choice", "Choices": [{"And": [], "Or": [], "And": [{"IsNull": true, "IsNull": false}]}]}}}"#,
    ] {
        let (root, lowered) = lower_text(text).unwrap();
        assert!(lowered.machine.to_json() == root, "{text}");
        assert!(!lowered.diagnostics.is_empty(), "{text}");
    }
}

#[test]
fn an_edit_changes_only_what_it_touches() {
    let (root, lowered) = lower_text(statecraft::seed::ORDER_WORKFLOW).unwrap();
    let text = json::write(&root, WriteStyle::Pretty);
    let mut machine = lowered.machine;
    let StateKind::Task(task) = &mut machine.state_mut("ProcessData").unwrap().kind else { panic!() };
    task.timeout_seconds = Some(NumberOrExpression::Number(json::Number::from(30)));
    let edited = machine.to_json_text(WriteStyle::Pretty);
    let before: Vec<&str> = text.lines().collect();
    let after: Vec<&str> = edited.lines().collect();
    assert_eq!(after.len(), before.len() + 1);
    let added: Vec<_> = after.iter().filter(|l| !before.contains(l)).collect();
    assert_eq!(added, [&"      \"TimeoutSeconds\": 30,"]);
}
