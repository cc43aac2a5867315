//! A suite for CI, beside the rest of the export: the suite file itself, the suite as Step
//! Functions Local test cases (a `MockConfigFile.json` with one test case per scenario, each Task's
//! responses recorded from running the scenario, so Step Functions Local replays what the
//! simulator did), the scenarios such a file cannot replay (listed, not written), and a GitHub
//! Actions workflow that builds the CLI and runs `statecraft test` on the suite.

use std::collections::BTreeMap;

use serde_json::Value;

use super::file::Suite;
use super::graph::Graph;
use crate::asl::error::names;
use crate::asl::history::{EventKind, HistoryEvent};
use crate::export::ExportFile;
use crate::handlers::mock_config::{MockConfig, MockInvocations, MockOutcome, MockStateMachine, MockTestCase, MockedResponse};
use crate::sim::batch::SetupError;
use crate::sim::handler::HandlerSet;
use crate::sim::scenario::Scenario;

/// The suite's file in the export.
pub const SUITE_FILE: &str = "statecraft-suite.json";
/// The Step Functions Local test cases.
pub const MOCK_FILE: &str = "MockConfigFile.json";
/// The CI workflow (to put under `.github/workflows/`).
pub const WORKFLOW_FILE: &str = "statecraft-tests.yml";

/// The export's suite files, and one note per scenario left out of the MockConfigFile.
pub fn suite_files(definition: &str, scenarios: &[Scenario], machine: &str, repository: &str) -> Result<(Vec<ExportFile>, Vec<String>), SetupError> {
    let (config, notes) = mock_config(definition, scenarios, machine, &Default::default())?;
    let suite = Suite { definition: Some("state-machine.json".into()), scenarios: scenarios.to_vec(), ..Suite::default() };
    let files = vec![
        ExportFile { name: SUITE_FILE, contents: suite.to_text(), executable: false },
        ExportFile { name: MOCK_FILE, contents: config.to_text(), executable: false },
        ExportFile { name: WORKFLOW_FILE, contents: github_workflow(repository), executable: false },
    ];
    Ok((files, notes))
}

/// One test case per scenario, named as the scenario, each Task state's responses as the
/// scenario's run gave them (in invocation order, equal ones merged into a range).
pub fn mock_config(definition: &str, scenarios: &[Scenario], machine: &str, s3: &crate::handlers::s3::ObjectStore) -> Result<(MockConfig, Vec<String>), SetupError> {
    let simulator = super::generate::suite_simulator(definition, &HandlerSet::new(), s3)?;
    mock_config_on(&simulator, definition, scenarios, machine)
}

/// [`mock_config`] recorded on a simulator made already (one whose executions start with the
/// account's seeded stores: the responses recorded are what those stores answered).
pub fn mock_config_on(simulator: &crate::sim::batch::Simulator, definition: &str, scenarios: &[Scenario], machine: &str) -> Result<(MockConfig, Vec<String>), SetupError> {
    let graph = Graph::of(&serde_json::from_str(definition).unwrap_or_default());
    let mut config = MockConfig::default();
    let mut cases = Vec::new();
    let mut notes = Vec::new();
    for (i, scenario) in scenarios.iter().enumerate() {
        let Ok(input) = scenario.parsed_input() else {
            notes.push(format!("{}: the input is not JSON", scenario.name));
            continue;
        };
        let simulator = simulator.for_scenario(&scenario.handlers)?;
        let mut execution = simulator.start(input, super::generate::SEED);
        execution.run();
        if !execution.pending_task_tokens().is_empty() {
            notes.push(format!("{}: waits for a task token callback, which a mocked response cannot give", scenario.name));
            continue;
        }
        let outcomes = task_outcomes(execution.history());
        let concurrent = outcomes.iter().find(|(state, list)| !graph.owners(state).is_empty() && list.windows(2).any(|w| w[0] != w[1]));
        if let Some((state, _)) = concurrent {
            notes.push(format!(
                "{}: '{state}' answers differently from one iteration or branch to the next, and Step Functions Local counts invocations in the order they happen",
                scenario.name
            ));
            continue;
        }
        let mut case = MockTestCase { name: scenario.name.clone(), states: Vec::new() };
        for (state, list) in outcomes {
            let name = format!("S{:02}{}", i + 1, state.chars().filter(|c| c.is_alphanumeric()).collect::<String>());
            let mut invocations: Vec<MockInvocations> = Vec::new();
            for (n, outcome) in list.into_iter().enumerate() {
                match invocations.last_mut() {
                    Some(last) if last.outcome == outcome => last.last = n as u32,
                    _ => invocations.push(MockInvocations { first: n as u32, last: n as u32, outcome }),
                }
            }
            case.states.push((state, name.clone()));
            config.responses.push(MockedResponse { name, invocations });
        }
        cases.push(case);
    }
    config.state_machines.push(MockStateMachine { name: machine.into(), test_cases: cases });
    Ok((config, notes))
}

/// Each Task state's outcomes in a history, in order: what the service returned, or the error it
/// raised (a timeout by the name its event carries).
fn task_outcomes(history: &[HistoryEvent]) -> BTreeMap<String, Vec<MockOutcome>> {
    let by_id = |id: u64| history.get((id as usize).wrapping_sub(1));
    let state_of = |event: &HistoryEvent| -> Option<String> {
        let mut at = by_id(event.previous_event_id);
        while let Some(e) = at {
            if let EventKind::StateEntered { name, .. } = &e.kind {
                return Some(name.to_string());
            }
            at = by_id(e.previous_event_id);
        }
        None
    };
    let mut out: BTreeMap<String, Vec<MockOutcome>> = BTreeMap::new();
    for event in history {
        let outcome = match &event.kind {
            EventKind::TaskSucceeded { output, .. } | EventKind::LambdaFunctionSucceeded { output } => MockOutcome::Return(Value::clone(output)),
            EventKind::TaskFailed { error, cause, .. } | EventKind::LambdaFunctionFailed { error, cause } => {
                MockOutcome::Throw { error: error.clone().unwrap_or_else(|| names::TASK_FAILED.into()), cause: cause.clone() }
            }
            // The name the timeout carries: `States.Timeout`, or the `States.HeartbeatTimeout` a
            // service reported (a generated "misses its heartbeat" scenario), which a replay must
            // raise again for the run to end as it did.
            EventKind::TaskTimedOut { error, cause, .. } | EventKind::LambdaFunctionTimedOut { error, cause } => {
                MockOutcome::Throw { error: error.clone().unwrap_or_else(|| names::TIMEOUT.into()), cause: cause.clone() }
            }
            _ => continue,
        };
        if let Some(state) = state_of(event) {
            out.entry(state).or_default().push(outcome);
        }
    }
    out
}

/// A GitHub Actions workflow that installs the CLI from `repository` (a git URL) and runs the
/// suite, keeping the JUnit report.
pub fn github_workflow(repository: &str) -> String {
    let install = crate::export::yaml::string_text(&format!(
        "cargo install --locked --git {} --bin statecraft statecraft",
        crate::export::shell_quote(repository)
    ));
    format!(
        r#"# Runs the Statecraft test suite of this state machine on every push and pull request.
# Put this file under .github/workflows/, with state-machine.json and statecraft-suite.json at
# the repository's root (or change the paths below).
name: statecraft-tests
on:
  push:
  pull_request:
jobs:
  suite:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - uses: actions/cache@v4
        with:
          path: ~/.cargo
          key: statecraft-cli-${{{{ runner.os }}}}
      - name: Install the statecraft CLI
        run: {install}
      - name: Run the suite
        run: statecraft test statecraft-suite.json state-machine.json --junit statecraft-junit.xml
      - name: Keep the JUnit report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: statecraft-junit
          path: statecraft-junit.xml
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_become_test_cases_with_recorded_responses() {
        let definition = crate::seed::ORDER_WORKFLOW;
        let mut thrown = Scenario::new("process fails", r#"{"name": "A", "email": "a@b.c", "amount": 5}"#);
        thrown.handlers.insert(
            "ProcessData".into(),
            crate::sim::handler::HandlerSpec {
                choice: crate::sim::handler::HandlerChoice::Throw { error: "Boom".into(), cause: "c".into() },
                latency_ms: 0,
            },
        );
        let (config, notes) = mock_config(definition, &[Scenario::new("valid", crate::seed::TEST_INPUTS[0].input), thrown], "Order", &Default::default()).unwrap();
        assert!(notes.is_empty(), "{notes:?}");
        let cases = &config.state_machines[0].test_cases;
        assert_eq!(cases.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(), ["valid", "process fails"]);
        let states: Vec<&str> = cases[1].states.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(states, ["HandleError", "ProcessData", "ValidateInput"]);
        let process = config.response(&cases[1].states[1].1).unwrap();
        assert_eq!(process.invocations[0].outcome, MockOutcome::Throw { error: "Boom".into(), cause: Some("c".into()) });
        // The file reads back, and replaying a test case gives the simulator's outcome.
        let text = config.to_text();
        let back = MockConfig::parse(&text).unwrap();
        assert_eq!(back.state_machines[0].test_cases.len(), 2);
        let options = crate::sim::command::RunOptions {
            seed: 0, start_time: None, execution_type: crate::asl::model::ExecutionType::Standard, history: false,
            mocks: Some(crate::sim::command::MockSelection { text, test_case: "process fails".into(), state_machine: None }),
            s3: None,
            jsonata: Default::default(),
            answers: Default::default(), stores: None, print_stores: false,
        };
        let replayed = crate::sim::command::run_command(definition, r#"{"name": "A", "email": "a@b.c", "amount": 5}"#, &options);
        assert_eq!(replayed.exit_code, 0, "{}", replayed.stderr);
        assert!(replayed.stdout.contains("\"statusCode\":400"), "{}", replayed.stdout);
    }

    #[test]
    fn the_workflow_installs_the_cli_and_runs_the_suite() {
        let yaml = github_workflow("https://github.com/example/statecraft");
        assert!(yaml.contains(r#"run: "cargo install --locked --git 'https://github.com/example/statecraft' --bin statecraft statecraft""#), "{yaml}");
        assert!(yaml.contains("statecraft test statecraft-suite.json state-machine.json --junit statecraft-junit.xml"));
        assert!(yaml.contains("key: statecraft-cli-${{ runner.os }}"));
        let odd = github_workflow("https://example.com/a b'; rm -rf ~ #: x");
        let line = odd.lines().find(|l| l.contains("cargo install")).unwrap();
        // The shell's '\'' escape, its backslash doubled by YAML's double quotes.
        assert!(line.contains(r"b'\\''; rm"), "quoted for the shell and for YAML: {line}");
    }
}
