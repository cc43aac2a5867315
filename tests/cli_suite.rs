//! `statecraft generate-suite DEF` and `statecraft test SUITE [DEF] --junit FILE` (#17 §2): a
//! generated suite passes on the definition it was generated from; a broken expectation makes the
//! run exit 1 with the failing expectation named on stdout and in a well-formed JUnit file; an
//! unreadable suite exits 2 with the place of the error.

use std::path::{Path, PathBuf};
use std::process::Command;

fn statecraft(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft")).args(args).current_dir(dir).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statecraft-cli-suite-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("order.asl.json"), statecraft::seed::ORDER_WORKFLOW).unwrap();
    dir
}

#[test]
fn a_generated_suite_passes_and_a_broken_expectation_fails_with_its_name_in_junit() {
    let dir = workdir("broken");
    let (code, stdout, stderr) = statecraft(&["generate-suite", "order.asl.json", "--out", "order.suite.json"], &dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("edges 9 of 9 reachable"), "{stderr}");
    let text = std::fs::read_to_string(dir.join("order.suite.json")).unwrap();
    let suite: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(suite["definition"], "order.asl.json");
    let count = suite["scenarios"].as_array().unwrap().len();

    // As generated: every scenario passes, the definition found from the suite.
    let (code, stdout, _) = statecraft(&["test", "order.suite.json", "--junit", "ok.xml"], &dir);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.ends_with(&format!("suite: {count} of {count} scenarios pass\n")), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.starts_with("pass  ")).count(), count);
    let xml = std::fs::read_to_string(dir.join("ok.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("testcase")).count(), count);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("failure")).count(), 0);

    // One expectation broken: the end state of the first scenario.
    let mut broken = suite.clone();
    broken["scenarios"][0]["expected"]["end_state"] = "SendNotification <&>".into();
    std::fs::write(dir.join("broken.suite.json"), serde_json::to_string_pretty(&broken).unwrap()).unwrap();
    let (code, stdout, _) = statecraft(&["test", "broken.suite.json", "order.asl.json", "--junit", "broken.xml"], &dir);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  01 the skeleton input: ended in HandleError instead of SendNotification <&>"), "{stdout}");
    assert!(stdout.ends_with(&format!("suite: {} of {count} scenarios pass\n", count - 1)), "{stdout}");
    let xml = std::fs::read_to_string(dir.join("broken.xml")).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let failures: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("failure")).collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].attribute("message"), Some("ended in HandleError instead of SendNotification <&>"));
    assert_eq!(failures[0].parent().unwrap().attribute("name"), Some("01 the skeleton input"));
    let suite_node = doc.descendants().find(|n| n.has_tag_name("testsuite")).unwrap();
    assert_eq!(suite_node.attribute("failures"), Some("1"));
    assert_eq!(suite_node.attribute("name"), Some("broken"));
}

#[test]
fn an_unreadable_suite_is_refused_with_its_place() {
    let dir = workdir("bad");
    std::fs::write(dir.join("bad.json"), "{\"statecraftSuite\": 1,\n \"scenarios\": [{\"nam\": \"x\"}]}").unwrap();
    let (code, stdout, stderr) = statecraft(&["test", "bad.json", "order.asl.json"], &dir);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("bad:2:16: scenario 0: unknown field `nam`"), "{stderr}");
    let (code, _, stderr) = statecraft(&["test", "bad.json"], &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("names no definition"), "{stderr}");
    let (code, _, stderr) = statecraft(&["test", "missing.json", "order.asl.json"], &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.json: cannot read"), "{stderr}");
    std::fs::write(dir.join("broken.asl.json"), "{\"StartAt\": \"Nowhere\", \"States\": {}}").unwrap();
    let (code, _, stderr) = statecraft(&["generate-suite", "broken.asl.json"], &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.asl.json: 1:"), "{stderr}");
}

/// `statecraft test --s3 FILE`: every scenario starts with the S3 objects the file holds, as
/// `statecraft run --s3` does; without them the object is missing and the scenario fails; a file
/// that is not JSON is refused with its place.
#[test]
fn test_takes_the_s3_objects_a_suite_reads() {
    let dir = workdir("s3");
    let definition = r#"{"StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "settings", "Key": "flags.json"},
                "ResultSelector": {"flags.$": "States.StringToJson($.Body)"}, "Next": "Enabled?"},
        "Enabled?": {"Type": "Choice", "Choices": [{"Variable": "$.flags.enabled", "BooleanEquals": true, "Next": "On"}], "Default": "Off"},
        "On": {"Type": "Succeed"}, "Off": {"Type": "Fail", "Error": "Disabled"}}}"#;
    std::fs::write(dir.join("flags.asl.json"), definition).unwrap();
    std::fs::write(dir.join("objects.json"), r#"{"settings": {"flags.json": {"enabled": true}}}"#).unwrap();
    let suite = r#"{"statecraftSuite": 1, "definition": "flags.asl.json", "scenarios": [
        {"name": "enabled", "input": {}, "expected": {"status": "SUCCEEDED", "end_state": "On"}}]}"#;
    std::fs::write(dir.join("flags.suite.json"), suite).unwrap();

    let (code, stdout, stderr) = statecraft(&["test", "flags.suite.json", "--s3", "objects.json"], &dir);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("pass  enabled"), "{stdout}");
    let (code, stdout, _) = statecraft(&["test", "flags.suite.json"], &dir);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  enabled: status FAILED"), "{stdout}");

    // generate-suite reads them too: the flag read from the object takes the Choice to On, and
    // the suite it writes passes with the objects and not without them.
    let (code, _, stderr) = statecraft(&["generate-suite", "flags.asl.json", "--s3", "objects.json", "--out", "gen.suite.json"], &dir);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("states ") && !stderr.contains("not reached: On") && !stderr.contains("Enabled? → On"), "{stderr}");
    let (code, stdout, _) = statecraft(&["test", "gen.suite.json", "--s3", "objects.json"], &dir);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = statecraft(&["test", "gen.suite.json"], &dir);
    assert_eq!(code, 1, "{stdout}");

    std::fs::write(dir.join("bad.json"), "{\"settings\": ").unwrap();
    let (code, stdout, stderr) = statecraft(&["test", "flags.suite.json", "--s3", "bad.json"], &dir);
    assert_eq!(code, 2);
    assert!(stdout.is_empty());
    assert!(stderr.starts_with("--s3: not JSON (line 1, column 13)"), "{stderr}");
    let (code, _, stderr) = statecraft(&["test", "flags.suite.json", "--s3", "none.json"], &dir);
    assert_eq!(code, 2);
    assert!(stderr.contains("none.json: cannot read"), "{stderr}");
}

/// The suite file the page downloads carries the document's handler choices: `statecraft test`
/// replays the scenarios with the same answers, so a suite recorded under them passes; the
/// same scenarios without the choices would not.
#[test]
fn a_downloaded_suite_replays_the_documents_handler_choices() {
    use statecraft::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    use statecraft::sim::suite::view;
    let dir = workdir("handlers");
    std::fs::write(dir.join("Orders down.asl.json"), statecraft::seed::ORDER_WORKFLOW).unwrap();
    // The document answers SendNotification with a static output and ProcessData with a throw.
    let mut handlers = HandlerSet::new();
    handlers.insert("SendNotification".into(), HandlerSpec { choice: HandlerChoice::Static { json: r#"{"sent": "by the document"}"#.into() }, latency_ms: 0 });
    handlers.insert("ProcessData".into(), HandlerSpec { choice: HandlerChoice::Throw { error: "Backend.Down".into(), cause: "maintenance".into() }, latency_ms: 0 });
    // The page's Tests tab: generate on the document's simulator, download the suite file.
    let simulator = statecraft::sim::batch::Simulator::new(statecraft::seed::ORDER_WORKFLOW, &handlers).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(statecraft::seed::ORDER_WORKFLOW).unwrap();
    let outcome = view::perform(simulator, &parsed, view::Job::Generate { base: statecraft::sim::scenario::seed_scenarios(), options: Default::default() });
    assert_eq!(outcome.failed(), 0);
    let text = view::file_text("Orders down", &handlers, &outcome.scenarios);
    let file: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["handlers"]["ProcessData"]["choice"]["error"], "Backend.Down", "{text}");
    assert_eq!(file["definition"], "Orders down.asl.json");
    std::fs::write(dir.join("down.suite.json"), &text).unwrap();
    let count = outcome.scenarios.len();
    let (code, stdout, stderr) = statecraft(&["test", "down.suite.json"], &dir);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.ends_with(&format!("suite: {count} of {count} scenarios pass\n")), "{stdout}");

    // Without the document's choices the same expectations fail: the choices are what is replayed.
    let mut bare = file.clone();
    bare.as_object_mut().unwrap().remove("handlers");
    std::fs::write(dir.join("bare.suite.json"), serde_json::to_string_pretty(&bare).unwrap()).unwrap();
    let (code, stdout, _) = statecraft(&["test", "bare.suite.json"], &dir);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  "), "{stdout}");

    // A bad handlers entry is located.
    let mut broken = file.clone();
    broken["handlers"]["ProcessData"]["choice"] = serde_json::json!({"kind": "nope"});
    std::fs::write(dir.join("broken.suite.json"), serde_json::to_string_pretty(&broken).unwrap()).unwrap();
    let (code, _, stderr) = statecraft(&["test", "broken.suite.json", "Orders down.asl.json"], &dir);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("(/handlers)") && stderr.contains("the handlers:"), "{stderr}");
}
