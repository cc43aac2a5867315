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

/// The tf-module fixture copied into a fresh folder with `extra` files beside it.
fn module_copy(tag: &str, extra: &[(&str, &str)]) -> std::path::PathBuf {
    let from = std::path::PathBuf::from(format!("{}/tests/fixtures/projects/tf-module", env!("CARGO_MANIFEST_DIR")));
    let dir = std::env::temp_dir().join(format!("statecraft-cli-varfile-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    for f in ["main.tf", "variables.tf", "terraform.tfvars", "templates/poller.asl.json"] {
        std::fs::copy(from.join(f), dir.join(f)).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

/// The run's history on stderr: the Wait's end, as its timestamp on the virtual clock.
fn waited(stderr: &str) -> Option<&str> {
    let at = stderr.find("\"type\": \"WaitStateExited\"")?;
    let before = &stderr[..at];
    let ts = before.rfind("\"timestamp\": \"")? + "\"timestamp\": \"".len();
    Some(&before[ts..ts + 24])
}

#[test]
fn var_files_and_vars_give_terraform_values_as_terraform_applies_them() {
    let dir = module_copy("order", &[("prod.tfvars", "wait_seconds = 5\ntable_name = \"jobs-prod\"\n"), ("late.tfvars.json", r#"{"wait_seconds": 7}"#)]);
    let main = dir.join("main.tf");
    let main = main.to_str().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["run", main, "--machine", "aws_sfn_state_machine.poller", "--input", r#"{"id": "1"}"#, "--history"];
        args.extend_from_slice(extra);
        statecraft(&args)
    };
    // Two other .tfvars and none named: neither is read (which one is meant is not known).
    let (code, stdout, stderr) = run(&[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("only when named with -var-file"), "{stderr}");
    assert_eq!(waited(&stderr), Some("2024-01-01T00:00:30.000Z"), "terraform.tfvars' 30 s: {stderr}");
    // Named: applied after terraform.tfvars, a later one winning; no note.
    let prod = dir.join("prod.tfvars");
    let late = dir.join("late.tfvars.json");
    let (code, stdout, stderr) = run(&["--var-file", prod.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(!stderr.contains("only when named"), "{stderr}");
    assert_eq!(waited(&stderr), Some("2024-01-01T00:00:05.000Z"), "{stderr}");
    assert!(stderr.contains("jobs-prod"), "prod.tfvars' table: {stderr}");
    let (_, _, stderr) = run(&["--var-file", prod.to_str().unwrap(), "--var-file", late.to_str().unwrap()]);
    assert_eq!(waited(&stderr), Some("2024-01-01T00:00:07.000Z"), "the later file wins: {stderr}");
    let (_, _, stderr) = run(&["--var-file", late.to_str().unwrap(), "--var-file", prod.to_str().unwrap()]);
    assert_eq!(waited(&stderr), Some("2024-01-01T00:00:05.000Z"), "the later file wins: {stderr}");
    // --var after every file; a string as typed.
    let (code, stdout, stderr) = run(&["--var-file", prod.to_str().unwrap(), "--var", "wait_seconds=2", "--var", "table_name=jobs \"qa\""]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(waited(&stderr), Some("2024-01-01T00:00:02.000Z"), "{stderr}");
    assert!(stderr.contains(r#"TableName\":\"jobs \\\"qa\\\"\""#), "the text as typed, quotes and all: {stderr}");

    // validate and export take them too: export names the machine and writes the value.
    let (code, stdout, stderr) = statecraft(&["validate", main, "--var", "wait_seconds=3"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let out = dir.join("export");
    let (code, stdout, stderr) = statecraft(&["export", main, "--machine", "aws_sfn_state_machine.poller", "--var-file", prod.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let exported = std::fs::read_to_string(out.join("poller.asl.json")).or_else(|_| std::fs::read_to_string(out.join("statemachine.asl.json")));
    let all: String = std::fs::read_dir(&out).unwrap().filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok()).collect();
    assert!(all.contains("jobs-prod"), "{exported:?}");

    // Bad arguments: said, exit 2, nothing run.
    for (args, said) in [
        (vec!["--var", "wait_seconds"], "--var wait_seconds: expected NAME=VALUE"),
        (vec!["--var", "9x=1"], "is not a variable name"),
        (vec!["--var", "item={a = "], "--var item:"),
        (vec!["--var-file", "/nonexistent/x.tfvars"], "/nonexistent/x.tfvars: cannot read"),
    ] {
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert!(stderr.contains(said), "{args:?}: {stderr}");
    }
    let broken = dir.join("broken.tfvars");
    std::fs::write(&broken, "wait_seconds = \"never\n").unwrap();
    let (code, _, stderr) = run(&["--var-file", broken.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("broken.tfvars: not Terraform: a string is never closed"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_seed_files_help_is_said_once_for_run_test_and_generate_suite() {
    let help = |cmd: &str| statecraft(&[cmd, "--help"]).1;
    let (run, test, generate) = (help("run"), help("test"), help("generate-suite"));
    let stores = |h: &str| h.lines().find(|l| l.trim_start().starts_with("--stores")).and_then(|l| l.split_once("<FILE.json>")).map(|(_, d)| d.trim().to_string());
    assert!(run.contains("--s3 <FILE.json>") && run.contains("S3 objects each run starts with"), "{run}");
    assert!(stores(&run).is_some_and(|d| d.starts_with("The stores each run starts with")), "{run}");
    assert_eq!(stores(&run), stores(&test));
    assert_eq!(stores(&run), stores(&generate));
    assert!(help("run").contains("--var-file <FILE>") && help("validate").contains("--var <NAME=VALUE>") && help("export").contains("--var-file"));
}
