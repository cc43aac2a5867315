//! Validation: every shipped definition validates without errors, and each rule has a valid and
//! an invalid fixture under `tests/fixtures/validate/`.
//!
//! A fixture is a JSON definition named `<CODE>.valid.json` or `<CODE>.invalid*.json`. The valid
//! one must not trigger `<CODE>` (nor any error); the invalid one must trigger `<CODE>`, located.

use statecraft::asl::diag::{Code, Severity};
use statecraft::asl::validate::validate_text;
use std::path::Path;

fn fixture_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate")
}

/// The codes that `text` triggers.
fn codes(text: &str) -> Vec<(Code, Severity)> {
    validate_text(text).diagnostics.iter().map(|d| (d.code, d.severity)).collect()
}

fn shipped() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![("seed".to_string(), statecraft::seed::ORDER_WORKFLOW.to_string())];
    for dir in ["tests/fixtures/conformance/cases", "tests/fixtures/bench-workloads"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let text = if dir.contains("conformance") {
                let case: serde_json::Value = serde_json::from_str(&text).unwrap();
                serde_json::to_string_pretty(&case["definition"]).unwrap()
            } else {
                text
            };
            out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
        }
    }
    out
}

#[test]
fn every_shipped_definition_has_no_errors() {
    let mut failures = Vec::new();
    for (name, text) in shipped() {
        let report = validate_text(&text);
        for d in report.errors() {
            failures.push(format!("{name}: {d}"));
        }
    }
    assert!(failures.is_empty(), "{} errors:\n{}", failures.len(), failures.join("\n"));
}
