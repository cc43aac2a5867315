//! `statecraft validate`: located text output, JSON output, and exit codes 0 / 1 / 2.

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/validate/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn validate(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft")).arg("validate").args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_valid_file_exits_0() {
    let (code, stdout) = validate(&[&fixture("BACKOFF_RATE.valid.json")]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(stdout, "");
}

#[test]
fn errors_are_printed_located_and_exit_1() {
    let file = fixture("BACKOFF_RATE.invalid.json");
    let (code, stdout) = validate(&[&file]);
    assert_eq!(code, 1);
    let expected = format!(
        "{file}:12:26: error[BACKOFF_RATE]: `BackoffRate` must be at least 1.0, not 0.5 (/States/A/Retry/0/BackoffRate)\n"
    );
    assert_eq!(stdout, expected);
}

#[test]
fn invalid_json_is_located() {
    let file = fixture("JSON_SYNTAX.invalid.json");
    let (code, stdout) = validate(&[&file]);
    assert_eq!(code, 1);
    // The text stops before its closing brace: the error is at the end, on the line after the last newline.
    assert_eq!(
        stdout,
        format!("{file}:2:1: error[JSON_SYNTAX]: invalid JSON: unexpected end of input, expected `,` or `}}` (root)\n")
    );
}

#[test]
fn json_format_lists_every_file() {
    let (code, stdout) = validate(&["--format", "json", &fixture("STATIC_PASS.invalid.json"), &fixture("STATE_TYPE.valid.json")]);
    assert_eq!(code, 0, "warnings alone keep the exit code at 0");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let d = &v[0]["diagnostics"][0];
    assert_eq!(d["code"], "STATIC_PASS");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["pointer"], "/States/A/Result/a.$");
    assert!(d["position"]["line"].as_u64().is_some());
    assert_eq!(v[1]["valid"], true);
}

#[test]
fn an_unreadable_file_exits_2() {
    let (code, _) = validate(&[&fixture("BACKOFF_RATE.invalid.json"), "/nonexistent/definition.json"]);
    assert_eq!(code, 2);
}

#[test]
fn an_express_machine_is_validated_and_refused_to_run_as_express() {
    let file = fixture("EXPRESS_INTEGRATION.invalid.express.json");
    // As STANDARD (the default) the callback is fine.
    assert_eq!(validate(&[&file]), (0, String::new()));
    let (code, stdout) = validate(&["--type", "express", &file]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        format!("{file}:14:19: error[EXPRESS_INTEGRATION]: SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration (/States/WaitForApproval/Resource)\n")
    );
    let run = Command::new(env!("CARGO_BIN_EXE_statecraft")).args(["run", "--type", "express", &file]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8(run.stderr).unwrap();
    assert!(stderr.starts_with("14:19: error[EXPRESS_INTEGRATION]: SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken'"), "{stderr}");
    assert_eq!(validate(&["--type", "bursty", &file]).0, 2);
}

/// A Task's request checked against its operation's input shape: a warning on the field, exit 0.
#[test]
fn a_request_field_the_operation_does_not_take_is_a_located_warning() {
    let file = fixture("REQUEST_FIELD.invalid.json");
    let (code, stdout) = validate(&[&file]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.starts_with(&format!("{file}:7:105: warning[REQUEST_FIELD]: ")) && stdout.contains("(dynamodb:GetItem input) (/States/Load order/Parameters/ConsistentRead)"),
        "{stdout}"
    );
}
