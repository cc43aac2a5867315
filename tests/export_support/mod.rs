//! Shared by the export tests: the workflows exported (the seed, one using every integration,
//! one whose names try to inject), and where the verification tools are.

#![allow(dead_code)]

use statecraft::export::{AlarmOptions, ExportFile, ExportOptions, LogLevel, Scenario, export_files};
use std::path::{Path, PathBuf};

/// The payload every injection name carries.
pub const INJECTION: &str = "$(touch /tmp/pwned)`touch /tmp/pwned`'\"\n; touch /tmp/pwned #";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed's export with the seed's defaults.
pub fn seed_files() -> Vec<ExportFile> {
    export_files(statecraft::seed::ORDER_WORKFLOW, &ExportOptions::default(), &Scenario::seed_scenarios()).unwrap()
}

/// Every option on: logging ALL, tracing, the alarm.
pub fn every_option() -> ExportOptions {
    let mut options = ExportOptions { tracing: true, alarm: Some(AlarmOptions { email: "ops@example.com".into() }), ..ExportOptions::default() };
    options.logging.level = LogLevel::All;
    options
}

pub fn every_integration_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/export/every_integration.asl.json")).unwrap()
}

/// The workflow using every integration, with every option on.
pub fn every_integration_files() -> Vec<ExportFile> {
    let scenarios = [Scenario { name: "One order".into(), input: r#"{"items": [1, 2], "auditTopic": "t"}"#.into() }];
    export_files(&every_integration_text(), &every_option(), &scenarios).unwrap()
}

pub fn every_policy_text() -> String {
    std::fs::read_to_string(root().join("tests/fixtures/export/every_policy.asl.json")).unwrap()
}

/// The account-vending workflow, whose policy uses every kind of grant (aws-sdk, `.sync`,
/// Distributed Map, HTTP Task, API Gateway, EventBridge, Credentials), with every option on.
pub fn every_policy_files() -> Vec<ExportFile> {
    let options = ExportOptions { state_machine_name: "AccountVending".into(), ..every_option() };
    export_files(&every_policy_text(), &options, &[Scenario { name: "One request".into(), input: r#"{"requestId": "r-1"}"#.into() }]).unwrap()
}

/// A definition whose state names and comment carry [`INJECTION`].
pub fn injection_definition() -> String {
    // AWS state names are one line of at most 80 characters: the newline stays in the comment.
    let name = serde_json::to_string(&format!("Check {}", INJECTION.replace('\n', " "))).unwrap();
    let comment = serde_json::to_string(&format!("comment {INJECTION}\nSTATECRAFT_DEFINITION\nPOLICY")).unwrap();
    format!(
        r#"{{
  "Comment": {comment},
  "StartAt": {name},
  "States": {{
    {name}: {{"Type": "Task", "Resource": "arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:ValidateInput", "Next": "__STATECRAFT_ACCOUNT_ID__"}},
    "__STATECRAFT_ACCOUNT_ID__": {{"Type": "Pass", "End": true}}
  }}
}}
"#
    )
}

/// Scenarios whose names and inputs carry [`INJECTION`].
pub fn injection_scenarios() -> Vec<Scenario> {
    vec![
        Scenario { name: format!("scenario {INJECTION}"), input: serde_json::json!({"name": INJECTION}).to_string() },
        Scenario { name: "it's `quoted`".into(), input: r#"{"q": "'$(id)'"}"#.into() },
    ]
}

/// The definition as deployed to moto's account 123456789012: the export with that account.
pub fn deployed_definition(definition_text: &str) -> String {
    let options = ExportOptions { account_id: Some("123456789012".into()), ..ExportOptions::default() };
    export_files(definition_text, &options, &[]).unwrap().remove(0).contents
}

pub fn injection_files() -> Vec<ExportFile> {
    export_files(&injection_definition(), &every_option(), &injection_scenarios()).unwrap()
}

/// Writes the files into `dir` (scripts executable).
pub fn write_files(files: &[ExportFile], dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for f in files {
        let path = dir.join(f.name);
        std::fs::write(&path, &f.contents).unwrap();
        if f.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
}

/// The verification tool `name`: shellcheck from PATH, the AWS CLI, moto_server and cfn-lint
/// from the project's venv (`STATECRAFT_EXPORT_TOOLS`, set by scripts/env.sh, or
/// `.venv-export/bin`). Never skips: a missing tool fails the test and says what to run.
pub fn tool(name: &str) -> PathBuf {
    let venv = std::env::var_os("STATECRAFT_EXPORT_TOOLS").map(PathBuf::from).unwrap_or_else(|| root().join(".venv-export/bin"));
    let mut candidates = vec![venv.join(name)];
    if name == "shellcheck" {
        candidates.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).map(|d| d.join(name)));
    }
    candidates.into_iter().find(|p| p.is_file()).unwrap_or_else(|| {
        panic!("{name} is not installed where the export tests look for it ({}); run `make setup` (scripts/setup.sh installs it)", venv.display())
    })
}
