//! Validation: every shipped definition validates without errors, and each rule has a valid and
//! an invalid fixture under `tests/fixtures/validate/`.
//!
//! A fixture is a JSON definition named `<CODE>.valid.json` or `<CODE>.invalid*.json`. The valid
//! one must not trigger `<CODE>` (nor any error); the invalid one must trigger `<CODE>`, located.
//! A fixture named `….express.json` is validated as an EXPRESS state machine.

use statecraft::asl::diag::{Code, Severity};
use statecraft::asl::model::ExecutionType;
use statecraft::asl::validate::{validate_text, validate_text_as};
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

/// The type a fixture is validated as: EXPRESS when its name says `.express.`.
fn machine_type(name: &str) -> ExecutionType {
    if name.contains(".express.") { ExecutionType::Express } else { ExecutionType::Standard }
}

/// `(code, valid?, text)` for every fixture file; the text of an EXPRESS fixture starts with
/// `express:` (see [`fixture_report`]).
fn fixtures() -> Vec<(String, bool, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut parts = name.split('.');
        let code = parts.next().unwrap().to_string();
        let valid = parts.next() == Some("valid");
        let text = std::fs::read_to_string(&path).unwrap();
        let text = if machine_type(&name) == ExecutionType::Express { format!("express:{text}") } else { text };
        out.push((code, valid, text));
    }
    out.sort();
    out
}

#[test]
fn every_rule_has_a_valid_and_an_invalid_fixture() {
    let fixtures = fixtures();
    for code in Code::ALL {
        for valid in [true, false] {
            assert!(
                fixtures.iter().any(|(c, v, _)| c == code.as_str() && *v == valid),
                "no {} fixture for {code}",
                if valid { "valid" } else { "invalid" }
            );
        }
    }
}

#[test]
fn fixtures_trigger_exactly_their_rule() {
    for (code, valid, text) in fixtures() {
        let code = Code::from_str(&code).unwrap_or_else(|| panic!("{code} is not a rule code"));
        let report = fixture_report(&text);
        let found: Vec<(Code, Severity)> = report.diagnostics.iter().map(|d| (d.code, d.severity)).collect();
        if valid {
            assert!(!found.iter().any(|(c, s)| *c == code || *s == Severity::Error), "{code}.valid gives {found:?}");
        } else {
            assert!(found.iter().any(|(c, _)| *c == code), "{code}.invalid does not give {code}: {found:?}");
            let d = report.diagnostics.iter().find(|d| d.code == code).unwrap();
            assert!(d.position.is_some() && d.span.is_some(), "{code} is not located: {d:?}");
        }
    }
}

/// A fixture's report as `statecraft validate` gives it: validated as EXPRESS when its text was
/// marked so by [`fixtures`], with the request checks of the service catalogue (REQUEST_FIELD).
fn fixture_report(text: &str) -> statecraft::asl::validate::Report {
    let definition = text.strip_prefix("express:").unwrap_or(text);
    let mut report = match text.strip_prefix("express:") {
        Some(definition) => validate_text_as(definition, ExecutionType::Express),
        None => validate_text(text),
    };
    let catalogue = statecraft::catalogue::Catalogue::embedded();
    report.diagnostics.extend(statecraft::catalogue::requests::request_diagnostics(definition, &catalogue));
    report
}

#[test]
fn a_diagnostic_carries_pointer_and_position() {
    let text = "{\n  \"StartAt\": \"ProcessData\",\n  \"States\": {\n    \"ProcessData\": {\n      \"Type\": \"Task\",\n      \"Resource\": \"arn:aws:lambda:us-east-1:1:function:f\",\n      \"Retry\": [{\"ErrorEquals\": [\"X\"], \"BackoffRate\": 0.5}],\n      \"End\": true\n    }\n  }\n}";
    let report = validate_text(text);
    assert_eq!(report.diagnostics.len(), 1, "{:?}", report.diagnostics);
    let d = &report.diagnostics[0];
    assert_eq!(d.code, Code::BackoffRate);
    assert_eq!(d.pointer, "/States/ProcessData/Retry/0/BackoffRate");
    let p = d.position.unwrap();
    assert_eq!((p.line, p.column), (7, 55));
    assert_eq!(d.to_string(), "7:55: error[BACKOFF_RATE]: `BackoffRate` must be at least 1.0, not 0.5 (/States/ProcessData/Retry/0/BackoffRate)");
}

#[test]
fn all_problems_are_reported_in_one_pass() {
    let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Next": "Z", "Retry": [{"ErrorEquals": [], "BackoffRate": 0.1, "JitterStrategy": "X"}]}, "B": {"Type": "Wait", "End": true}}}"#;
    let found: Vec<Code> = codes(text).into_iter().map(|(c, _)| c).collect();
    for code in [Code::MissingField, Code::UnknownTarget, Code::EmptyErrorEquals, Code::BackoffRate, Code::JitterStrategy, Code::WaitDuration, Code::UnreachableState] {
        assert!(found.contains(&code), "{code} missing from {found:?}");
    }
}

/// `(code, pointer, line:column, message)` of each diagnostic of `text` with one of `codes`.
fn located(text: &str, codes: &[Code]) -> Vec<(Code, String, (usize, usize), String)> {
    validate_text(text)
        .diagnostics
        .into_iter()
        .filter(|d| codes.contains(&d.code))
        .map(|d| {
            let p = d.position.expect("located");
            (d.code, d.pointer.clone(), (p.line, p.column), d.message.clone())
        })
        .collect()
}

#[test]
fn variable_and_jsonata_diagnostics_name_their_pointer_and_line_column() {
    let text = r#"{
  "QueryLanguage": "JSONata",
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Assign": {"unused": 1, "seen": 2}, "Next": "B"},
    "B": {"Type": "Pass", "Output": "{% $seen + $nowhere %}", "Next": "C"},
    "C": {"Type": "Pass", "Output": "{% ($states.input.a + 1 %}", "Next": "P"},
    "P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "In", "States": {"In": {"Type": "Pass", "Assign": {"seen": "{% $seen + 1 %}"}, "Output": "{% $seen %}", "End": true}}}
    ]}
  }
}"#;
    let found = located(text, &[Code::UnusedVariable, Code::UndefinedVariable, Code::JsonataSyntax, Code::OuterVariableAssigned]);
    let summary: Vec<(Code, &str, (usize, usize))> = found.iter().map(|(c, p, at, _)| (*c, p.as_str(), *at)).collect();
    assert_eq!(
        summary,
        [
            // Errors first, then warnings; each at the value the pointer names.
            (Code::JsonataSyntax, "/States/C/Output", (7, 37)),
            (Code::OuterVariableAssigned, "/States/P/Branches/0/States/In/Assign/seen", (9, 78)),
            (Code::UnusedVariable, "/States/A/Assign/unused", (5, 48)),
            (Code::UndefinedVariable, "/States/B/Output", (6, 37)),
        ],
        "{found:#?}"
    );
    let message = |code| &found.iter().find(|f| f.0 == code).unwrap().3;
    assert!(message(Code::UndefinedVariable).contains("$nowhere"));
    assert!(message(Code::UnusedVariable).contains("$unused"));
    // The JSONata syntax error is in JSONata's words, as AWS's refusal is (the engine's parser
    // judges first), and says where inside the expression it stopped.
    assert!(message(Code::JsonataSyntax).contains("Expected \")\" before end of expression"), "{}", message(Code::JsonataSyntax));
    assert!(message(Code::JsonataSyntax).contains("at character 25 of"), "{}", message(Code::JsonataSyntax));
}

#[test]
fn a_distributed_map_may_reuse_an_outer_name() {
    let text = r#"{"StartAt": "S", "States": {
      "S": {"Type": "Pass", "Assign": {"n": 1}, "Next": "M"},
      "M": {"Type": "Map", "ItemsPath": "$.items", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
        "StartAt": "I", "States": {"I": {"Type": "Pass", "Assign": {"n": 2}, "Parameters": {"n.$": "$n"}, "End": true}}}}}}"#;
    assert!(located(text, &[Code::OuterVariableAssigned]).is_empty());
}

#[test]
fn a_variable_assigned_on_one_path_only_is_flagged_with_a_path_that_misses_it() {
    let text = r#"{"StartAt": "Check", "States": {
      "Check": {"Type": "Choice", "Default": "Fan",
        "Choices": [{"Variable": "$.vip", "BooleanEquals": true, "Assign": {"discount": 10}, "Next": "Set"}]},
      "Set": {"Type": "Pass", "Assign": {"seen": 1}, "Next": "Fan"},
      "Fan": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "First", "States": {
          "First": {"Type": "Pass", "Next": "Read"},
          "Read": {"Type": "Pass", "Parameters": {"d.$": "$discount", "s.$": "$seen"}, "End": true}}}]}}}"#;
    let found = located(text, &[Code::UndefinedVariable]);
    let messages: Vec<(&str, &str)> = found.iter().map(|(_, p, _, m)| (p.as_str(), m.as_str())).collect();
    assert_eq!(
        messages,
        [
            (
                "/States/Fan/Branches/0/States/Read/Parameters/d.$",
                "`$discount` may be read before it is assigned: no state assigns it on the path Check → Fan → First → Read"
            ),
            (
                "/States/Fan/Branches/0/States/Read/Parameters/s.$",
                "`$seen` may be read before it is assigned: no state assigns it on the path Check → Fan → First → Read"
            ),
        ],
        "{found:#?}"
    );
}

/// The check for fields read at a JSONata expression's top level (JSONATA_TOP_LEVEL_REFERENCE)
/// walks the parsed tree itself (`syntax::top_level_names`), so that the page does not link the
/// engine's analysis of what an expression reads. Over every expression of the JSONata test
/// suite, what it reports is among the fields that analysis says the expression reads of its
/// input: the check never refuses a field the expression does not read at its top level.
#[test]
fn the_top_level_check_reports_only_fields_the_engine_s_analysis_reads() {
    use statecraft::asl::validate::syntax::jsonata_top_level_fields;
    let mut groups: Vec<_> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jsonata-suite/groups")).unwrap().flatten().collect();
    groups.sort_by_key(|e| e.path());
    let (mut expressions, mut reporting, mut same) = (0, 0, 0);
    for group in groups {
        for file in std::fs::read_dir(group.path()).unwrap().flatten() {
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(file.path()).unwrap()) else { continue };
            let cases = match value {
                serde_json::Value::Array(items) => items,
                one => vec![one],
            };
            for case in cases {
                let Some(expr) = case.get("expr").and_then(|e| e.as_str()) else { continue };
                let Ok(compiled) = jlens_core::Expression::compile(expr) else { continue };
                expressions += 1;
                let ours = jsonata_top_level_fields(&format!("{{%{expr}%}}"));
                let reads = compiled.reads();
                let engine: Vec<String> = reads.input().and_then(|r| r.fields()).map(|f| f.keys().cloned().collect()).unwrap_or_default();
                let whole = reads.input().is_some_and(|r| r.fields().is_none());
                for field in &ours {
                    assert!(whole || engine.contains(field), "{}: `{expr}`: reported {field:?}, the engine reads {engine:?}", file.path().display());
                }
                reporting += usize::from(!ours.is_empty());
                same += usize::from(ours == engine);
            }
        }
    }
    assert!(expressions > 1000, "expected the suite's expressions, found {expressions}");
    assert!(reporting > 300, "the check should find top-level fields in many suite expressions, found {reporting}");
    eprintln!("top-level fields: {expressions} expressions, {reporting} with some, {same} the same as the engine's analysis");
}
