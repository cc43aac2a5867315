//! `statecraft validate`, `run` and `export` take the files workflows live in, as the page's Open
//! does: SAM/CloudFormation/CDK templates and Terraform files (`formats::load`), a definition in
//! another file read beside its template, literal substitutions run as their values.

use std::process::Command;

fn template(name: &str) -> String {
    format!("{}/tests/fixtures/templates/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn statecraft(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_statecraft")).args(args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn templates_validate_machine_by_machine() {
    for name in ["sam.yaml", "cloudformation.yaml", "cloudformation.json", "cdk.template.json", "main.tf", "flow.asl.yaml"] {
        let (code, stdout, stderr) = statecraft(&["validate", &template(name)]);
        assert_eq!(code, 0, "{name}: {stdout}{stderr}");
    }
    // A machine's error is labelled with its resource.
    let dir = std::env::temp_dir().join(format!("statecraft-cli-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: Missing\n        States:\n          A: {Type: Pass, End: true}\n").unwrap();
    let (code, stdout, _) = statecraft(&["validate", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.starts_with(&format!("{}#Flow:", bad.display())) && stdout.contains("Missing"), "{stdout}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_template_runs_with_zero_configuration_and_asks_which_machine_when_it_holds_several() {
    // SAM: `Resource: ${ChargeFunctionArn}` answers what Notify reads; SNS answers its MessageId.
    let (code, stdout, stderr) = statecraft(&["run", &template("sam.yaml"), "--input", "{}"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("\"MessageId\""), "{stdout}");
    let (code, _, stderr) = statecraft(&["run", &template("main.tf")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("holds 3 state machines") && stderr.contains("choose one with --machine"), "{stderr}");
    let (code, stdout, stderr) = statecraft(&["run", &template("main.tf"), "--machine", "aws_sfn_state_machine.report"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}

#[test]
fn a_template_exports_under_its_machine_s_name() {
    let out = std::env::temp_dir().join(format!("statecraft-cli-templates-export-{}", std::process::id()));
    let (code, stdout, stderr) = statecraft(&["export", &template("sam.yaml"), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let run = std::fs::read_to_string(out.join("run.sh")).unwrap();
    assert!(run.contains("order-processing"), "the SAM resource's Name names the export");
    let policy = std::fs::read_to_string(out.join("cloudformation.json")).unwrap();
    assert!(policy.contains("sns:Publish") && policy.contains("lambda:InvokeFunction"), "{policy}");
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_terraform_file_runs_with_its_module_s_values_and_unquoted_placeholders() {
    let module = format!("{}/tests/fixtures/projects/tf-module", env!("CARGO_MANIFEST_DIR"));
    let (code, stdout, stderr) = statecraft(&["validate", &format!("{module}/main.tf")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // `"Seconds": ${wait_seconds}` waits terraform.tfvars' 30 s; `${item}` is variables.tf's object.
    let (code, stdout, stderr) =
        statecraft(&["run", &format!("{module}/main.tf"), "--machine", "aws_sfn_state_machine.poller", "--input", r#"{"id": "1"}"#, "--history", "--print-stores"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(stdout.trim(), r#"{"enabled":true,"queue":"${queue_url}"}"#);
    assert!(stderr.contains("\"job-1\""), "the object default was put: {stderr}");
    assert!(stderr.contains("\"timestamp\": \"2024-01-01T00:00:30.000Z\""), "the Wait lasted 30 s on the virtual clock: {stderr}");
    // The definition file alone validates: its unquoted placeholders are not JSON errors.
    let (code, stdout, stderr) = statecraft(&["validate", &format!("{module}/templates/poller.asl.json")]);
    assert_eq!(code, 0, "{stdout}{stderr}");
}
