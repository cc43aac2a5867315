//! The 164 TestState calls answered by AWS (`tests/fixtures/teststate/`), answered offline
//! by `statecraft::sim::teststate`: prints how many answers match AWS's, and fails below the
//! floor reached so far. Values the recorder masked (the context object AWS made for a call:
//! its generated names as `<resource:N>`, times as `date`, the account as 111111111111) match
//! any value of ours in their place, as in the execution runner
//! ([`statecraft::asl::conformance::recorded_matches`]).

use serde_json::{Map, Value};
use statecraft::catalogue::Catalogue;
use statecraft::sim::teststate::{TestStateRequest, test_state_calling};

/// Every recorded call is answered as AWS answered it.
const FLOOR: usize = 164;

/// The number of recorded calls.
const CALLS: usize = 164;

/// The request body a recorded call sent: `definition` and `input` as JSON text.
fn request_body(case: &Value) -> String {
    let mut body = Map::new();
    body.insert("definition".into(), Value::String(case["definition"].to_string()));
    // A call recorded without an input sends none (AWS then tests on `{}`).
    if let Some(input) = case.get("input") {
        body.insert("input".into(), Value::String(input.to_string()));
    }
    if let Some(args) = case["test_state_args"].as_object() {
        for (key, value) in args {
            body.insert(key.clone(), value.clone());
        }
    }
    Value::Object(body).to_string()
}

/// A payload as the recorder left it: a JSON text (a string) or, when it began with `{`, the
/// value parsed.
fn payload(value: &Value) -> Value {
    match value {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

const PAYLOADS: [&str; 9] =
    ["input", "afterInputPath", "afterParameters", "afterArguments", "afterItemsPath", "result", "afterResultSelector", "afterResultPath", "variables"];

/// The differences between AWS's answer and ours, as `field: AWS … ours …` lines.
fn differences(expected: &Value, actual: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut compare = |field: &str, e: Option<Value>, a: Option<Value>| {
        if !same(e.as_ref(), a.as_ref()) {
            out.push(format!("{field}: AWS {} / ours {}", show(&e), show(&a)));
        }
    };
    for field in ["status", "error", "cause", "nextState"] {
        compare(field, expected.get(field).cloned(), actual.get(field).cloned());
    }
    compare("output", expected.get("output").map(payload), actual.get("output").map(payload));
    let (e, a) = (expected.get("inspectionData"), actual.get("inspectionData"));
    let keys: std::collections::BTreeSet<&String> =
        e.and_then(Value::as_object).into_iter().chain(a.and_then(Value::as_object)).flat_map(|m| m.keys()).collect();
    if e.is_some() != a.is_some() {
        compare("inspectionData", e.cloned(), a.cloned());
    }
    for key in keys {
        let field = format!("inspectionData.{key}");
        let get = |side: Option<&Value>| side.and_then(|d| d.get(key.as_str())).map(|v| if PAYLOADS.contains(&key.as_str()) { payload(v) } else { v.clone() });
        compare(&field, get(e), get(a));
    }
    out
}

/// Whether AWS's recorded value is ours: equal, or equal but for what the recorder masked. The
/// recorder wrote the account as 111111111111; ours is the simulator's, so it stands for any.
fn same(recorded: Option<&Value>, ours: Option<&Value>) -> bool {
    fn unmask_account(value: &Value) -> Value {
        match value {
            Value::String(s) if s.contains("111111111111") => Value::String(s.replace("111111111111", "<account>")),
            Value::Array(items) => Value::Array(items.iter().map(unmask_account).collect()),
            Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), unmask_account(v))).collect()),
            other => other.clone(),
        }
    }
    match (recorded, ours) {
        (Some(e), Some(a)) => e == a || statecraft::asl::conformance::recorded_matches(&unmask_account(e), a),
        (e, a) => e == a,
    }
}

fn show(value: &Option<Value>) -> String {
    value.as_ref().map_or("(absent)".into(), Value::to_string)
}

#[test]
fn aws_recorded_teststate_calls() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/teststate");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
    files.sort();
    assert_eq!(files.len(), CALLS, "the fixture set has {CALLS} recorded calls");
    let mut matched = 0;
    for file in &files {
        let case: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let name = case["name"].as_str().unwrap_or_default();
        let request = match TestStateRequest::from_json(&request_body(&case)) {
            Ok(r) => r,
            Err(e) => {
                println!("MISMATCH {name}\n  the request does not read: {e}");
                continue;
            }
        };
        // The Lambda functions the call's test created (`lambdas`, as a conformance case declares
        // them): an unmocked Task reaches them as AWS's TestState reaches the real ones.
        if let Err(e) = statecraft::asl::conformance::declared_functions(&case) {
            println!("MISMATCH {name}\n  its lambdas do not read: {e}");
            continue;
        }
        let functions = |registry: &mut statecraft::asl::interp::plug::HandlerRegistry| {
            statecraft::asl::conformance::register_declared_functions(&case, registry).expect("read above");
        };
        let actual = match test_state_calling(&request, &Catalogue::built_in(), &functions) {
            Ok(response) => response.to_json(),
            Err(e) => {
                println!("MISMATCH {name}\n  refused: {e}");
                continue;
            }
        };
        let diffs = differences(&case["expected"], &actual);
        if diffs.is_empty() {
            matched += 1;
        } else {
            println!("MISMATCH {name}\n  {}", diffs.join("\n  "));
        }
    }
    println!("AWS-recorded TestState calls: {matched} of {} match", files.len());
    assert!(matched >= FLOOR, "{matched} of {} match, below the floor of {FLOOR}", files.len());
}
