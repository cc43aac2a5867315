//! Golden outputs of the export, reviewed as code: the seed's files and those of a workflow
//! using every integration with every option on, under `tests/fixtures/export/`. After an
//! intended change, regenerate with `UPDATE_GOLDEN=1 cargo test --test export_golden` and read
//! the diff. Also the generator-level injection checks.

mod export_support;
use export_support::*;
use statecraft::export::{ExportError, ExportFile, ExportOptions, Scenario, export_files};

fn check_golden(dir: &str, files: &[ExportFile]) {
    let dir = root().join("tests/fixtures/export").join(dir);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        write_files(files, &dir);
        return;
    }
    for f in files {
        let path = dir.join(f.name);
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        assert!(expected == f.contents, "{} differs from the generated file; UPDATE_GOLDEN=1 rewrites it", path.display());
    }
}

#[test]
fn the_seed_export_matches_its_golden_files() {
    check_golden("seed", &seed_files());
}

#[test]
fn the_every_integration_export_matches_its_golden_files() {
    check_golden("every-integration", &every_integration_files());
}

#[test]
fn the_seed_reproduces_the_course_cli() {
    let files = seed_files();
    let file = |name: &str| &files.iter().find(|f| f.name == name).unwrap().contents;
    assert_eq!(file("state-machine.json"), statecraft::seed::ORDER_WORKFLOW, "byte-identical to the document");
    let deploy = file("deploy.sh");
    for expected in [
        "REGION='eu-west-3'",
        "STATE_MACHINE_NAME='OrderProcessingWorkflow'",
        "LAMBDA_ROLE_NAME='StepFunctionsLambdaRole'",
        "EXECUTION_ROLE_NAME='StepFunctionsExecutionRole'",
        "EXECUTION_POLICY_NAME='InvokeLambda'",
        "set -euo pipefail",
        "aws sts get-caller-identity",
        "AWSLambdaBasicExecutionRole",
        "deploy_function 'ValidateInput'",
        "deploy_function 'HandleError'",
        "create-state-machine",
        "update-state-machine",
    ] {
        assert!(deploy.contains(expected), "deploy.sh lacks {expected:?}");
    }
    assert!(!deploy.contains("sleep 10"), "IAM propagation is polled, not slept on");
    let run = file("run.sh");
    for input in statecraft::seed::TEST_INPUTS {
        assert!(run.contains(&format!("'{}'", input.input)), "run.sh starts {}", input.name);
    }
    assert!(run.contains("list-executions") && run.contains("--output table"));
    let cleanup = file("cleanup.sh");
    let order: Vec<usize> = ["delete-state-machine", "delete-role-policy", "delete-function", "detach-role-policy", "delete-log-group"]
        .iter()
        .map(|step| cleanup.find(step).unwrap_or_else(|| panic!("cleanup.sh lacks {step}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "cleanup runs in dependency order");
}

#[test]
fn a_given_account_is_written_into_the_exported_definition() {
    let options = ExportOptions { account_id: Some("123456789012".into()), ..ExportOptions::default() };
    let files = export_files(statecraft::seed::ORDER_WORKFLOW, &options, &[]).unwrap();
    assert_eq!(files[0].contents, statecraft::seed::ORDER_WORKFLOW.replace("ACCOUNT_ID", "123456789012"));
}

#[test]
fn injected_state_names_and_comments_are_carried_verbatim() {
    let files = injection_files();
    let deploy = &files.iter().find(|f| f.name == "deploy.sh").unwrap().contents;
    // The definition is embedded as is, in a quoted here-document (JSON escapes the comment's
    // newlines, so no line of it can close the here-document).
    let start = deploy.find("<<'STATECRAFT_DEFINITION'\n").unwrap() + "<<'STATECRAFT_DEFINITION'\n".len();
    let end = deploy[start..].find("\nSTATECRAFT_DEFINITION\n").unwrap() + start + 1;
    let embedded = &deploy[start..end];
    let expected = injection_definition().replace("ACCOUNT_ID:function", "___STATECRAFT_ACCOUNT_ID__:function");
    assert_eq!(embedded, expected, "only the Lambda ARN's account changes, to a token the text does not use");
}

#[test]
fn names_that_scripts_cannot_carry_are_refused() {
    let bad_function = statecraft::seed::ORDER_WORKFLOW.replace("function:ValidateInput", "function:Validate$(touch /tmp/pwned)");
    let err = export_files(&bad_function, &ExportOptions::default(), &[]).unwrap_err();
    assert!(matches!(err, ExportError::InvalidNames(_)), "{err}");
    for options in [
        ExportOptions { state_machine_name: INJECTION.into(), ..ExportOptions::default() },
        ExportOptions { region: "eu-west-3'; touch /tmp/pwned; '".into(), ..ExportOptions::default() },
        ExportOptions { alarm: Some(statecraft::export::AlarmOptions { email: format!("a@b.c{INJECTION}") }), ..ExportOptions::default() },
    ] {
        let err = export_files(statecraft::seed::ORDER_WORKFLOW, &options, &[]).unwrap_err();
        assert!(err.to_string().contains("invalid"), "{err}");
    }
    let bad_input = [Scenario { name: "x".into(), input: "{not json".into() }];
    assert!(matches!(export_files(statecraft::seed::ORDER_WORKFLOW, &ExportOptions::default(), &bad_input), Err(ExportError::ScenarioInput { .. })));
}

#[test]
fn every_script_parses_with_bash() {
    for files in [seed_files(), every_integration_files(), injection_files()] {
        for f in files.iter().filter(|f| f.executable) {
            let out = std::process::Command::new("bash").arg("-n").arg("-c").arg(&f.contents).output().unwrap();
            assert!(out.status.success(), "{}: {}", f.name, String::from_utf8_lossy(&out.stderr));
        }
    }
}

#[test]
fn an_express_export_of_a_callback_task_is_refused_on_the_task() {
    let definition = r#"{"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}"#;
    let express = ExportOptions { workflow_type: statecraft::export::WorkflowType::Express, ..ExportOptions::default() };
    match export_files(definition, &express, &[]) {
        Err(ExportError::ExpressIntegrations(lines)) => assert_eq!(
            lines,
            ["2:21: error[EXPRESS_INTEGRATION]: SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration (/States/Approve/Resource)"]
        ),
        other => panic!("expected the refusal, got {other:?}"),
    }
    assert!(export_files(definition, &ExportOptions::default(), &[]).is_ok());
}

/// The seed's generated suite as export files (#17 §2): the suite, its Step Functions Local test
/// cases, the GitHub Actions workflow; every scenario replays (nothing left out).
#[test]
fn the_seed_suite_export_matches_its_golden_files() {
    use statecraft::sim::handler::HandlerSet;
    use statecraft::sim::suite::generate::{Options, generate};
    let generated = generate(statecraft::seed::ORDER_WORKFLOW, &statecraft::sim::scenario::seed_scenarios(), &HandlerSet::new(), &Default::default(), Options::default()).unwrap();
    let (files, notes) = statecraft::sim::suite::export::suite_files(
        statecraft::seed::ORDER_WORKFLOW,
        &generated.scenarios,
        statecraft::seed::NAME,
        "https://github.com/example/statecraft",
    )
    .unwrap();
    assert!(notes.is_empty(), "{notes:?}");
    check_golden("seed-suite", &files);
}
