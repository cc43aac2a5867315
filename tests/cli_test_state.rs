//! `statecraft test-state REQUEST.json` (or `-`): the file is the body AWS's TestState API takes,
//! stdout the body AWS answers; exit 0 whenever it answers, 2 for an unreadable or invalid
//! request (with the place in the request).

use std::io::Write;
use std::process::{Command, Stdio};

fn test_state(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .arg("test-state")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    let out = child.wait_with_output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// A recorded call: its request body on disk, AWS's answer beside it.
fn recorded(name: &str) -> (String, serde_json::Value) {
    let path = format!("{}/tests/fixtures/teststate/{name}", env!("CARGO_MANIFEST_DIR"));
    let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut body = case["test_state_args"].as_object().cloned().unwrap_or_default();
    body.insert("definition".into(), case["definition"].to_string().into());
    body.insert("input".into(), case["input"].to_string().into());
    (serde_json::Value::Object(body).to_string(), case["expected"].clone())
}

#[test]
fn a_request_file_is_answered_with_aws_body() {
    let (body, expected) = recorded(
        "test_state.test_state_configuration__TestStateConfiguration__test_state_configuration_retrier_retry_count[TRACE]__below__a110c1743c.json",
    );
    let dir = std::env::temp_dir().join(format!("statecraft-cli-test-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("request.json");
    std::fs::write(&file, &body).unwrap();
    let (code, stdout, stderr) = test_state(&[file.to_str().unwrap()], None);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 1, "one line: {stdout}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["status"], "RETRIABLE");
    assert_eq!(answer["error"], expected["error"]);
    assert_eq!(answer["inspectionData"]["errorDetails"], expected["inspectionData"]["errorDetails"]);
    // Payloads are JSON text, as AWS sends them.
    let after: serde_json::Value = serde_json::from_str(answer["inspectionData"]["afterArguments"].as_str().unwrap()).unwrap();
    assert_eq!(after, expected["inspectionData"]["afterArguments"]);
}

#[test]
fn stdin_is_read_with_a_dash_and_a_failed_state_still_exits_0() {
    let (body, _) = recorded(
        "test_state.test_test_state_scenarios__TestStateCaseScenarios__test_base_inspection_level_trace[BASE_FAIL_STATE]__test_case_response.json",
    );
    let (code, stdout, stderr) = test_state(&["-"], Some(&body));
    assert_eq!(code, 0, "{stderr}");
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(answer["status"], "FAILED");
    assert_eq!(answer["output"], serde_json::Value::Null);
    assert_eq!(answer["inspectionData"]["input"], r#"{"Value":"HelloWorld"}"#);
}

#[test]
fn an_invalid_request_exits_2_with_its_place() {
    let (code, stdout, stderr) = test_state(&["-"], Some("{\n  \"definition\": \"{\\\"Type\\\": \\\"Pass\\\", \\\"End\\\": true}\",\n  \"inspectionLevel\": \"VERBOSE\"\n}"));
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert_eq!(stderr, "<stdin>:3:22: error: the inspection level must be INFO, DEBUG or TRACE, not 'VERBOSE' (/inspectionLevel)\n");
    // Refused after reading (a Map needs a mock): placed at the field the pointer names.
    let map = r#"{"definition": "{\"Type\": \"Map\", \"ItemProcessor\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}",
 "input": "[]"}"#;
    let (code, _, stderr) = test_state(&["-"], Some(map));
    assert_eq!(code, 2);
    assert!(stderr.starts_with("<stdin>:1:1: error: TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice] (a Map state is tested only with a mock) (/mock)"), "{stderr}");
    let (code, _, stderr) = test_state(&["/nonexistent/request.json"], None);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");
}
