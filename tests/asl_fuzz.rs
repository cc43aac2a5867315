//! Property-based fuzzing of the reader, lowering, validator and writer: byte-level mutations
//! of real definitions and generated ASL-shaped JSON must never panic, and whatever reads as a
//! JSON object must write back to the same tree.
//!
//! A short run is part of `cargo test`; `ASL_FUZZ_CASES=200000 cargo test --release --test
//! asl_fuzz` runs long. The coverage-guided target is `fuzz/fuzz_targets/validate.rs`.

use proptest::prelude::*;
use statecraft::asl::json::{self, WriteStyle};
use statecraft::asl::validate::validate_text;

fn cases() -> u32 {
    std::env::var("ASL_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
}

fn seeds() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/validate");
    let mut out: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap()).collect();
    out.sort();
    out.push(statecraft::seed::ORDER_WORKFLOW.to_string());
    out
}

/// The property: no panic, and a round trip that keeps the tree.
fn holds(text: &str) {
    let report = validate_text(text);
    if let (Some(root), Some(machine)) = (&report.root, &report.machine) {
        if root.as_object().is_some() {
            assert!(machine.to_json() == *root, "round-trip changed the tree of {text:?}");
        }
        let written = json::write(root, WriteStyle::Compact);
        assert!(json::read(&written).is_ok_and(|again| again == *root), "writer output does not read back: {text:?}");
    }
}

/// Text edits: replace a byte range of a seed with a token that matters to ASL.
fn mutated() -> impl Strategy<Value = String> {
    let tokens = prop::sample::select(vec![
        "", "\"", "{", "}", "[", "]", ",", ":", "null", "true", "1.50", "-0", "\"Type\"", "\"Pass\"", "\"Choice\"", "\"Map\"",
        "\"Parallel\"", "\"Next\"", "\"End\"", "\"States\"", "\"StartAt\"", "\"And\"", "\"Not\"", "\"Variable\"", "\"$.a[\"",
        "\"States.Format('{}', $x)\"", "\"{% ( %}\"", "\"Assign\"", "\"QueryLanguage\"", "\"JSONata\"", "\"x.$\"", "\"\\u0000\"",
        "\"ItemProcessor\"", "\"Branches\"", "\"Retry\"", "\"Catch\"", "\"ErrorEquals\"", "\"States.ALL\"",
    ]);
    (0..seeds().len(), any::<prop::sample::Index>(), 0usize..12, tokens, 1usize..4).prop_map(|(seed, at, len, token, times)| {
        let text = &seeds()[seed];
        let mut bytes = text.as_bytes().to_vec();
        for _ in 0..times {
            let start = at.index(bytes.len().max(1));
            let end = (start + len).min(bytes.len());
            bytes.splice(start..end, token.bytes());
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// Generated JSON whose keys are ASL field names, nested a few levels.
fn asl_shaped() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "Type", "Next", "End", "States", "StartAt", "Choices", "Variable", "StringEquals", "And", "Or", "Not", "Default",
        "Branches", "ItemProcessor", "Iterator", "Retry", "Catch", "ErrorEquals", "Parameters", "x.$", "Assign", "Seconds",
        "Timestamp", "BackoffRate", "Condition", "QueryLanguage", "ResultPath", "InputPath", "Type",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        (-5i64..100).prop_map(|n| serde_json::json!(n)),
        prop::sample::select(vec!["Pass", "Choice", "Map", "Parallel", "Wait", "Task", "A", "B", "$.a", "$x", "States.ALL", "JSONata", "{% 1 %}"])
            .prop_map(|s| serde_json::Value::String(s.to_string())),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6).prop_map(|members| {
                serde_json::Value::Object(members.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
    .prop_map(|v| serde_json::to_string_pretty(&v).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_definitions_never_panic_and_round_trip(text in mutated()) {
        holds(&text);
    }

    #[test]
    fn asl_shaped_json_never_panics_and_round_trips(text in asl_shaped()) {
        holds(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        holds(&text);
    }
}
