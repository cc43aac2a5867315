//! The export verified by real tools (issue 8): `shellcheck` on every generated script,
//! `cfn-lint` on every template, and the scripts run end to end with the real AWS CLI against
//! moto's server on 127.0.0.1 (deploy, deploy again, run, cleanup; then nothing is left).
//!
//! Moto cannot run Lambda code here (that needs Docker), so its Step Functions backend leaves
//! executions RUNNING: what is verified is that each scenario's execution is started with its
//! exact input and listed, and that the deployed definition is the designed one. The tools come
//! from `make setup`; a missing tool fails the test with that advice, it never skips.

mod export_support;
use export_support::*;
use statecraft::export::ExportFile;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statecraft-export-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn exported(name: &str, files: &[ExportFile]) -> PathBuf {
    let dir = scratch(name);
    write_files(files, &dir);
    dir
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

#[test]
fn shellcheck_reports_nothing_on_any_generated_script() {
    let shellcheck = tool("shellcheck");
    for (name, files) in [("sc-seed", seed_files()), ("sc-every", every_integration_files()), ("sc-inject", injection_files()), ("sc-policy", every_policy_files())] {
        let dir = exported(name, &files);
        let scripts: Vec<PathBuf> = files.iter().filter(|f| f.executable).map(|f| dir.join(f.name)).collect();
        assert_eq!(scripts.len(), 4);
        let out = Command::new(&shellcheck).args(&scripts).output().unwrap();
        assert!(out.status.success() && out.stdout.is_empty(), "shellcheck on {name}:\n{}", text(&out));
    }
}

#[test]
fn templates_pass_cfn_lint() {
    let cfn_lint = tool("cfn-lint");
    for (name, files) in [("lint-seed", seed_files()), ("lint-every", every_integration_files()), ("lint-inject", injection_files()), ("lint-policy", every_policy_files())] {
        let dir = exported(name, &files);
        let templates = ["cloudformation.yaml", "cloudformation.json", "sam-template.yaml"].map(|t| dir.join(t));
        let out = Command::new(&cfn_lint).args(&templates).output().unwrap();
        assert!(out.status.success(), "cfn-lint on {name}:\n{}", text(&out));
    }
}

/// moto's server on a free port of 127.0.0.1, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(tool("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            // The AWS managed policies (AWSLambdaBasicExecutionRole) exist only when loaded.
            .env("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return moto;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("moto_server did not listen on {port} within 30 s");
    }

    /// A command with the AWS CLI from the venv first on PATH, pointed at moto.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> Command {
        let bin = tool("aws").parent().unwrap().to_path_buf();
        let path = std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).unwrap();
        let mut command = Command::new(program);
        command
            .current_dir(dir)
            .env("PATH", path)
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_DEFAULT_REGION", "eu-west-3")
            .env("AWS_CONFIG_FILE", "/dev/null")
            .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
            .env("LC_ALL", "C.UTF-8")
            .env("WAIT_SECONDS", "0");
        command
    }

    fn script(&self, dir: &Path, script: &str) -> String {
        let out = self.command("bash", dir).arg(script).output().unwrap();
        assert!(out.status.success(), "{script} failed:\n{}", text(&out));
        text(&out)
    }

    fn aws(&self, args: &[&str]) -> String {
        let out = self.command(tool("aws"), Path::new("/")).args(args).args(["--region", "eu-west-3", "--output", "json"]).output().unwrap();
        assert!(out.status.success(), "aws {args:?}:\n{}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.aws(args)).unwrap()
    }

    /// What is left in the account: state machines, functions, roles, log groups, alarms, topics.
    fn leftovers(&self) -> Vec<String> {
        let names = |v: serde_json::Value, list: &str, key: &str| -> Vec<String> {
            v[list].as_array().unwrap().iter().map(|i| format!("{list}: {}", i[key].as_str().unwrap_or_default())).collect()
        };
        let mut left = names(self.json(&["stepfunctions", "list-state-machines"]), "stateMachines", "name");
        left.extend(names(self.json(&["lambda", "list-functions"]), "Functions", "FunctionName"));
        left.extend(names(self.json(&["iam", "list-roles"]), "Roles", "RoleName"));
        left.extend(names(self.json(&["logs", "describe-log-groups"]), "logGroups", "logGroupName"));
        left.extend(names(self.json(&["cloudwatch", "describe-alarms"]), "MetricAlarms", "AlarmName"));
        left.extend(names(self.json(&["sns", "list-topics"]), "Topics", "TopicArn"));
        left
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Deploy, deploy again, run, cleanup, cleanup again; checks the deployed definition and the
/// started executions, and that nothing is left. Returns run.sh's output.
fn round_trip(moto: &Moto, name: &str, definition_text: &str, files: &[ExportFile], scenario_inputs: &[String]) -> String {
    let dir = exported(name, files);
    assert!(moto.leftovers().is_empty(), "the account starts empty: {:?}", moto.leftovers());
    let first = moto.script(&dir, "deploy.sh");
    assert!(first.contains("creating"), "{first}");
    let second = moto.script(&dir, "deploy.sh");
    assert!(second.contains("updating") && !second.contains("creating"), "the second deploy updates:\n{second}");

    let machine_arn = "arn:aws:states:eu-west-3:123456789012:stateMachine:OrderProcessingWorkflow";
    let described = moto.json(&["stepfunctions", "describe-state-machine", "--state-machine-arn", machine_arn]);
    let deployed = described["definition"].as_str().unwrap();
    assert_eq!(deployed.trim_end(), deployed_definition(definition_text).trim_end(), "the designed definition, in this account");
    let role = moto.json(&["iam", "get-role-policy", "--role-name", "StepFunctionsExecutionRole", "--policy-name", "InvokeLambda"]);
    let policy = role["PolicyDocument"].to_string();
    assert!(policy.contains("arn:aws:lambda:eu-west-3:123456789012:function:ValidateInput"), "{policy}");

    let run = moto.script(&dir, "run.sh");
    let executions = moto.json(&["stepfunctions", "list-executions", "--state-machine-arn", machine_arn]);
    let executions = executions["executions"].as_array().unwrap();
    assert_eq!(executions.len(), scenario_inputs.len(), "{run}");
    let mut inputs: Vec<serde_json::Value> = executions
        .iter()
        .map(|e| {
            let d = moto.json(&["stepfunctions", "describe-execution", "--execution-arn", e["executionArn"].as_str().unwrap()]);
            serde_json::from_str(d["input"].as_str().unwrap()).unwrap()
        })
        .collect();
    let mut expected: Vec<serde_json::Value> = scenario_inputs.iter().map(|i| serde_json::from_str(i).unwrap()).collect();
    inputs.sort_by_key(|v| v.to_string());
    expected.sort_by_key(|v| v.to_string());
    assert_eq!(inputs, expected, "each scenario ran with its exact input");

    check_logs(moto, &dir, files, name == "moto-seed");

    moto.script(&dir, "cleanup.sh");
    assert!(moto.leftovers().is_empty(), "left after cleanup: {:?}", moto.leftovers());
    let again = moto.script(&dir, "cleanup.sh");
    assert!(again.contains("Cleaned up."), "cleanup tolerates what is already gone:\n{again}");
    run
}

/// logs.sh against moto. moto runs no Lambda, so the first function's log group gets an event
/// by hand (as the function's first log line would create it): the summary prints it and says
/// the other groups do not exist yet; following that group (`logs.sh GROUP`) prints it too,
/// through `aws logs tail` with AWS CLI v2 or, with the v1 that PyPI installs here, by polling
/// filter-log-events (stopped by `timeout`; the seed's round trip only). cleanup.sh then removes
/// that group with the rest.
fn check_logs(moto: &Moto, dir: &Path, files: &[ExportFile], follow: bool) {
    let logs = &files.iter().find(|f| f.name == "logs.sh").unwrap().contents;
    let groups: Vec<String> = logs
        .lines()
        .filter_map(|l| l.trim().strip_prefix("'/aws/lambda/").map(|r| format!("/aws/lambda/{}", r.trim_end_matches('\''))))
        .collect();
    let Some(group) = groups.first() else { return };
    let message = "statecraft-log-check: Validation réussie";
    moto.aws(&["logs", "create-log-group", "--log-group-name", group]);
    moto.aws(&["logs", "create-log-stream", "--log-group-name", group, "--log-stream-name", "2026/01/01/[$LATEST]x"]);
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
    let event = format!(r#"[{{"timestamp": {now_ms}, "message": "{message}"}}]"#);
    moto.aws(&["logs", "put-log-events", "--log-group-name", group, "--log-stream-name", "2026/01/01/[$LATEST]x", "--log-events", &event]);

    let summary = moto.script(dir, "logs.sh");
    let section = summary.split(&format!("== {group}\n")).nth(1).unwrap_or_else(|| panic!("no section for {group}:\n{summary}"));
    assert!(section.lines().next().unwrap_or_default().ends_with(message), "{summary}");
    assert_eq!(summary.matches("(no such log group yet)").count(), groups.len() - 1, "{summary}");

    if !follow {
        return;
    }
    // Long enough for a few AWS CLI calls on a busy machine.
    let out = moto.command("timeout", dir).args(["30", "bash", "logs.sh", group]).output().unwrap();
    assert_eq!(out.status.code(), Some(124), "follows until stopped:\n{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(message), "{}", text(&out));
}

#[test]
fn scripts_deploy_run_and_clean_up_against_moto() {
    let _ = std::fs::remove_file("/tmp/pwned");
    let moto = Moto::start();

    let seed_inputs: Vec<String> = statecraft::seed::TEST_INPUTS.iter().map(|t| t.input.to_string()).collect();
    let run = round_trip(&moto, "moto-seed", statecraft::seed::ORDER_WORKFLOW, &seed_files(), &seed_inputs);
    for t in statecraft::seed::TEST_INPUTS {
        assert!(run.contains(&format!("== {}", t.name)), "{run}");
    }

    let every_inputs = vec![r#"{"items": [1, 2], "auditTopic": "t"}"#.to_string()];
    round_trip(&moto, "moto-every", &every_integration_text(), &every_integration_files(), &every_inputs);

    let injection_inputs: Vec<String> = injection_scenarios().into_iter().map(|s| s.input).collect();
    let run = round_trip(&moto, "moto-inject", &injection_definition(), &injection_files(), &injection_inputs);
    // Printed as text, its line break shown as `\u000A` rather than starting a line of its own.
    let shown = statecraft::export::terminal_safe_line(INJECTION);
    assert!(run.contains(&format!("== scenario {shown}")), "the scenario name is printed as text:\n{run}");
    assert!(!Path::new("/tmp/pwned").exists(), "a generated script ran an injected command");
}
