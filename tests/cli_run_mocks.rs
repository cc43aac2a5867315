//! `statecraft run --mocks FILE --test-case NAME`: Step Functions Local's mock files drive the
//! mocked states (whole service responses, invocation ranges, Throw), and a bad file is a usage
//! error with its place. Also: an input StartExecution would refuse is a usage error too.

use std::process::Command;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/mocks/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .arg("run")
        .arg(fixture("lambda_sqs.asl.json"))
        .args(["--input", r#"{"hello": "world"}"#])
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn happy_path_uses_the_mocked_service_responses_as_they_are() {
    let mocks = fixture("MockConfigFile.json");
    let (code, stdout, stderr) = run(&["--mocks", &mocks, "--test-case", "HappyPath"]);
    assert_eq!(code, 0, "{stderr}");
    // The lambda:invoke mock is the whole response: ResultSelector reads its Payload and StatusCode.
    assert_eq!(
        json(&stdout),
        json(r#"{"body": "Hello from Lambda!", "status": 200, "sent": {"MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}}"#)
    );
}

#[test]
fn retry_path_plays_invocations_0_then_1_to_2_then_3() {
    let mocks = fixture("MockConfigFile.json");
    let (code, stdout, stderr) = run(&["--mocks", &mocks, "--test-case", "RetryPath", "--history"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["body"], "Retry worked");
    let history = json(&stderr);
    let failures: Vec<&str> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "TaskFailed")
        .map(|e| e["taskFailedEventDetails"]["error"].as_str().unwrap())
        .collect();
    assert_eq!(failures, ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException"]);
}

#[test]
fn failure_path_exhausts_the_retries_and_fails_with_the_thrown_error() {
    let mocks = fixture("MockConfigFile.json");
    let (code, stdout, _) = run(&["--mocks", &mocks, "--test-case", "FailurePath"]);
    assert_eq!(code, 1);
    assert_eq!(json(&stdout), json(r#"{"error": "Lambda.ResourceNotReadyException", "cause": "Lambda resource is not ready."}"#));
}

#[test]
fn unknown_test_case_and_bad_files_are_usage_errors() {
    let mocks = fixture("MockConfigFile.json");
    let (code, _, stderr) = run(&["--mocks", &mocks, "--test-case", "Nope"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no test case 'Nope'"), "{stderr}");

    let dir = std::env::temp_dir().join(format!("statecraft-mocks-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\n  \"MockedResponses\": {\"M\": {\"0\": {\"Retrun\": 1}}}\n}\n").unwrap();
    let (code, _, stderr) = run(&["--mocks", bad.to_str().unwrap(), "--test-case", "T"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("2:35: unknown field 'Retrun'") && stderr.contains("/MockedResponses/M/0/Retrun"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();

    let (code, _, stderr) = run(&["--test-case", "HappyPath"]);
    assert_eq!(code, 2, "--test-case without --mocks: {stderr}");
}

#[test]
fn an_input_over_262144_bytes_is_refused_before_the_execution_starts() {
    let dir = std::env::temp_dir().join(format!("statecraft-input-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run_with = |bytes: usize| {
        let file = dir.join(format!("input-{bytes}.json"));
        std::fs::write(&file, format!("{{\"s\":\"{}\"}}", "a".repeat(bytes - 8))).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_statecraft"))
            .arg("run")
            .arg(fixture("lambda_sqs.asl.json"))
            .arg("--input")
            .arg(format!("@{}", file.display()))
            .output()
            .unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stderr).unwrap())
    };
    let (code, stderr) = run_with(262_145);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("Member must have length less than or equal to 262144 (the input is 262145 bytes)"), "{stderr}");
    let (code, stderr) = run_with(262_144);
    assert_ne!(code, 2, "an input of exactly 262,144 bytes starts: {stderr}");
    std::fs::remove_dir_all(&dir).ok();
}
