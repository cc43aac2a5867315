//! `statecraft run --stores FILE` (and `test`/`generate-suite --stores`): the stores a run starts
//! with, in the format the page saves (buckets, tables, queues with waiting messages, topics with
//! subscriptions); `--print-stores` shows what they hold at the end. A bad file is a usage error
//! located by line, column and JSON pointer.

use std::process::Command;

use serde_json::Value;

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/stores/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn statecraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft")).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

fn run(extra: &[&str]) -> (i32, String, String) {
    let definition = fixture("queue_worker.asl.json");
    let mut args = vec!["run", definition.as_str(), "--input", r#"{"customerId": "c1"}"#];
    args.extend(extra);
    statecraft(&args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A file in the temporary directory, named for the test.
fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("statecraft-cli-stores-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const JOBS: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";
const AUDIT: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/audit";

#[test]
fn a_run_starts_from_the_stores_file_and_prints_them_at_the_end() {
    let stores = fixture("queue_worker.stores.json");
    let (code, stdout, stderr) = run(&["--stores", &stores, "--print-stores"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let out = json(&stdout);
    assert_eq!(out["customer"], "Ada", "the seeded item was read");
    assert_eq!(out["jobs"], 2, "both waiting messages were received");
    assert_eq!(out["first"], "resize photo-1");
    assert_eq!(out["kind"], "resize", "with the attributes asked for");
    let end = json(&stderr)["stores"].clone();
    let named = |part: &str, name: &str| end[part].as_array().unwrap().iter().find(|s| s["name"] == name).cloned().unwrap_or_else(|| panic!("{part} {name}: {end}"));
    assert_eq!(named("queues", JOBS)["messages"], serde_json::json!([]), "every job deleted");
    let audit = named("queues", AUDIT)["messages"].as_array().unwrap().clone();
    assert_eq!(audit.len(), 2, "the topic's queue subscription got each announcement");
    let envelope = json(audit[0]["MessageBody"].as_str().unwrap());
    assert_eq!((envelope["Type"].as_str(), envelope["Subject"].as_str()), (Some("Notification"), Some("Ada")));
    let topic = named("topics", "arn:aws:sns:us-east-1:123456789012:job-done");
    assert_eq!(topic["messages"].as_array().unwrap().len(), 2);
    assert_eq!(topic["subscriptions"][1], serde_json::json!({"Protocol": "email", "Endpoint": "ops@example.com"}));
    let reports = named("buckets", "reports");
    let objects: Vec<&str> = reports["objects"].as_array().unwrap().iter().map(|o| o["key"].as_str().unwrap()).collect();
    assert_eq!(objects, ["README.txt", "run.json"]);
    assert_eq!(named("tables", "Customers")["items"][0]["name"]["S"], "Ada");
}

#[test]
fn without_the_file_the_queue_is_empty_and_the_run_takes_the_other_branch() {
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, 1, "no customer item: the ResultSelector fails ({stdout}{stderr})");
    assert!(stderr.is_empty(), "nothing printed unless asked: {stderr}");
    let items = temp_file("customer.json", r#"{"tables": {"Customers": [{"id": {"S": "c1"}, "name": {"S": "Bo"}}]}}"#);
    let (code, stdout, stderr) = run(&["--stores", &items]);
    assert_eq!(code, 0, "{stderr}");
    let out = json(&stdout);
    assert_eq!(out["customer"]["name"], "Bo");
    assert_eq!(out["received"], serde_json::json!({}), "an empty queue answers with no Messages: {out}");
}

#[test]
fn a_bad_stores_file_is_a_usage_error_located_by_line_column_and_pointer() {
    let cases: [(&str, &str, &str); 8] = [
        ("{\"tables\": {\"T\": [\n  {\"id\": \"x\"}\n]}}", ":2:10: ", "(at /tables/T/0/id)"),
        ("{\"tables\": {\"T\": [{\"id\": {\"S\": \"a\"}}]},\n \"queue\": {}}", ":2:11: ", "unknown member \"queue\""),
        ("{\"queues\": {\"q\": [\"ok\",\n   {\"Body\": \"x\"}]}}", ":2:13: ", "(at /queues/q/1/Body)"),
        ("{\"queues\": {\"q\": [null]}}", ":1:19: ", "needs a body"),
        ("{\"buckets\": {\"b\": {\"rows.csv\": \"a,b\\n1,\\\"2\\n\"}}}", ":1:32: ", "the object's text, line 2 column 3"),
        ("{\"topics\": {\"t\": {\"subscriptions\": [{\"Protocol\": \"sqs\"}]}}}", ":1:37: ", "needs its \"Endpoint\""),
        ("{\"tables\": {\"T\": [}", ":1:19: ", ""),
        ("[1]", ":1:1: ", "a stores file is a JSON object"),
    ];
    for (i, (text, place, words)) in cases.iter().enumerate() {
        let file = temp_file(&format!("bad-{i}.json"), text);
        let (code, stdout, stderr) = run(&["--stores", &file]);
        assert_eq!(code, 2, "{text}: {stdout}{stderr}");
        assert!(stderr.starts_with(&format!("{file}{place}")), "{text}: {stderr}");
        assert!(stderr.contains(words), "{text}: {stderr}");
        assert!(stdout.is_empty());
    }
    let (code, _, stderr) = run(&["--stores", "/nonexistent/stores.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn generated_suites_and_their_tests_run_on_the_stores_file_too() {
    let definition = fixture("queue_worker.asl.json");
    let stores = fixture("queue_worker.stores.json");
    let suite = std::env::temp_dir().join(format!("statecraft-cli-stores-{}.suite.json", std::process::id())).display().to_string();
    let (code, _, stderr) = statecraft(&["generate-suite", &definition, "--stores", &stores, "--out", &suite, "--max-runs", "40"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = statecraft(&["test", &suite, &definition, "--stores", &stores]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("Handle each job"), "the seeded jobs reach the Map: {stdout}");
    // Without the stores, the scenarios recorded with them no longer hold.
    let (code, stdout, _) = statecraft(&["test", &suite, &definition]);
    assert_eq!(code, 1, "{stdout}");
    let bad = temp_file("bad-suite-stores.json", "{\"queues\": 1}");
    let (code, _, stderr) = statecraft(&["test", &suite, &definition, "--stores", &bad]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with(&format!("{bad}:1:12: \"queues\" is an object of stores by name, not a number (at /queues)")), "{stderr}");
}
