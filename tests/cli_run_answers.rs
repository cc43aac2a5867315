//! `statecraft run --answer TARGET=ANSWER` and `--answers FILE.json`: the handler choices the page
//! makes (by Task state or by resource), so CI runs exactly what the page ran. A bad flag or file
//! is a usage error that says where.

use std::process::Command;

use serde_json::{Value, json};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/answers/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft"))
        .arg("run")
        .arg(fixture("multi_service.asl.json"))
        .args(["--input", r#"{"requestId": "r-1"}"#])
        .args(args)
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A file in the temporary directory, named for the test.
fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("statecraft-cli-answers-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn with_no_answers_every_service_answers_from_its_catalogue_shape() {
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);
    assert!(out["accounts"]["count"].as_u64().unwrap() >= 1, "{out}");
    assert!(out["instances"]["reservations"].is_u64(), "{out}");
    assert!(out["notified"]["messageId"].is_string(), "{out}");
}

#[test]
fn a_state_thrown_error_takes_its_catch() {
    let (code, stdout, stderr) = run(&["--answer", "Reserve account record=throw:DynamoDb.ConditionalCheckFailedException"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout), json!({"duplicate": "r-1", "error": "DynamoDb.ConditionalCheckFailedException"}));
}

#[test]
fn a_resource_answer_applies_to_every_task_calling_it() {
    let (code, stdout, _) = run(&["--answer", "arn:aws:states:::sns:publish=throw:SNS.AuthorizationErrorException:not allowed"]);
    assert_eq!(code, 1);
    assert_eq!(json(&stdout), json!({"error": "SNS.AuthorizationErrorException", "cause": "not allowed"}));
    // The state's own answer wins over its resource's.
    let (code, stdout, stderr) = run(&["--answer", "arn:aws:states:::sns:publish=echo", "--answer", "Notify platform team=static:{\"MessageId\": \"m-7\"}"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json(&stdout)["notified"], json!({"messageId": "m-7"}));
}

#[test]
fn time_outs_latency_and_failures_then_success() {
    let (code, stdout, _) = run(&["--answer", "Describe running instances=timeout"]);
    assert_eq!(code, 1);
    assert_eq!(json(&stdout)["error"], "States.Timeout");
    // Fails once (caught: no Retry), with the error given.
    let (code, stdout, _) = run(&["--answer", "Reserve account record=fail:1:DynamoDb.ConditionalCheckFailedException"]);
    assert_eq!(code, 0);
    assert_eq!(json(&stdout)["duplicate"], "r-1");
    // Latency moves the clock: the history's last event is 1.5 s after the first.
    let (code, _, stderr) = run(&["--answer", "Notify platform team=latency:1500", "--history"]);
    assert_eq!(code, 0);
    let events = json(&stderr)["events"].as_array().unwrap().clone();
    let at = |e: &Value| chrono_free_seconds(e["timestamp"].as_str().unwrap());
    assert!(at(events.last().unwrap()) - at(&events[0]) >= 1.5, "{:?}", events.last());
}

/// Seconds of an RFC 3339 timestamp within its day (the runs here last less than a day).
fn chrono_free_seconds(timestamp: &str) -> f64 {
    let time = timestamp.split('T').nth(1).unwrap().trim_end_matches('Z');
    let time = time.split(['+', '-']).next().unwrap();
    let parts: Vec<f64> = time.split(':').map(|p| p.parse().unwrap()).collect();
    parts[0] * 3600.0 + parts[1] * 60.0 + parts[2]
}

#[test]
fn the_file_the_page_downloads_runs_the_same_as_the_flags() {
    use statecraft::sim::answers::Answers;
    use statecraft::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    let mut handlers = HandlerSet::new();
    handlers.insert(
        "Reserve account record".into(),
        HandlerSpec { choice: HandlerChoice::Throw { error: "DynamoDb.ConditionalCheckFailedException".into(), cause: "taken".into() }, latency_ms: 0 },
    );
    let file = temp_file("page.json", &Answers::of_document(&handlers).to_json());
    let (code, from_file, stderr) = run(&["--answers", &file]);
    assert_eq!(code, 0, "{stderr}");
    let (_, from_flag, _) = run(&["--answer", "Reserve account record=throw:DynamoDb.ConditionalCheckFailedException:taken"]);
    assert_eq!(json(&from_file), json(&from_flag));
    // A flag overrides the file's entry for its target.
    let (code, stdout, _) = run(&["--answers", &file, "--answer", "Reserve account record=default"]);
    assert_eq!(code, 0);
    assert!(json(&stdout)["notified"].is_object());
}

#[test]
fn bad_answers_are_usage_errors_that_say_where() {
    let file = temp_file("bad.json", "{\"states\": {\n  \"Reserve account record\": {\"choice\": {\"kind\": \"throw\", \"error\": \" \"}}}}");
    let (code, _, stderr) = run(&["--answers", &file]);
    assert_eq!(code, 2);
    assert_eq!(stderr.trim(), format!("{file}:2:67: the error to throw has no name (/states/Reserve account record/choice/error)"));
    let (code, _, stderr) = run(&["--answer", "Reserve account record=thow:X"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("--answer 'Reserve account record=thow:X': write TARGET=ANSWER"), "{stderr}");
    let (code, _, stderr) = run(&["--answer", "Reserve acount record=echo"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("answers: no Task state is named \"Reserve acount record\""), "{stderr}");
    let (code, _, stderr) = run(&["--answers", "/nonexistent/answers.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("/nonexistent/answers.json: cannot read"), "{stderr}");
}

#[test]
fn a_callback_answered_in_advance_lets_the_run_finish_and_an_unanswered_one_says_who_waits() {
    let definition = temp_file("callback.asl.json", r#"{"StartAt": "Notify Approver", "States": {
      "Notify Approver": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
        "Parameters": {"TopicArn": "arn:aws:sns:eu-west-1:123456789012:approvals", "Message": {"token.$": "$$.Task.Token"}},
        "ResultPath": "$.approval", "Next": "Approved?"},
      "Approved?": {"Type": "Choice", "Choices": [{"Variable": "$.approval.result", "BooleanEquals": true, "Next": "Done"}], "Default": "Rejected"},
      "Done": {"Type": "Succeed"}, "Rejected": {"Type": "Fail", "Error": "Rejected"}}}"#);
    let statecraft = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_statecraft")).arg("run").arg(&definition).args(args).output().unwrap();
        (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
    };
    let (code, stdout) = statecraft(&[]);
    assert_eq!(code, 1, "{stdout}");
    let waiting = json(&stdout);
    assert_eq!((waiting["status"].clone(), waiting["waiting"].clone()), (json!("RUNNING"), json!(["Notify Approver"])), "{stdout}");
    assert!(waiting["cause"].as_str().unwrap().contains("--answer 'Notify Approver=callback:"), "{stdout}");
    let (code, stdout) = statecraft(&["--answer", r#"Notify Approver=callback:{"result": true}"#]);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(json(&stdout)["approval"], json!({"result": true}));
    let (code, stdout) = statecraft(&["--answer", r#"Notify Approver=callback:{"result": false}"#]);
    assert_eq!((code, json(&stdout)["error"].clone()), (1, json!("Rejected")), "{stdout}");
}
