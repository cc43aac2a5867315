//! A handler set as a Step Functions Local MockConfigFile, both ways, through the model and
//! reader of [`crate::handlers::mock_config`]: static results and thrown errors become
//! mocked responses (for `lambda:invoke` the result is wrapped as the service answers it), and a
//! file's test case becomes one handler per mocked state. Choices a file cannot express (the seed
//! Lambdas, echo, JSONata, fail-then-succeed without a fixed result, callbacks) stay out, and the
//! notes say which.

use serde_json::{Value, json};

use super::handler::{HandlerChoice, HandlerSet, HandlerSpec, TaskInfo};
use crate::handlers::mock_config::{MockConfig, MockInvocations, MockOutcome, MockStateMachine, MockTestCase, MockedResponse};

/// The test case exports are written under.
pub const TEST_CASE: &str = "Statecraft";

fn is_invoke(task: Option<&TaskInfo>) -> bool {
    task.is_some_and(|t| t.resource.starts_with("arn:aws:states:::lambda:invoke"))
}

/// The MockConfigFile for `set` under `machine` / [`TEST_CASE`], and a note per choice left out.
pub fn export(set: &HandlerSet, tasks: &[TaskInfo], machine: &str) -> (MockConfig, Vec<String>) {
    let mut config = MockConfig::default();
    let mut case = MockTestCase { name: TEST_CASE.into(), states: Vec::new() };
    let mut notes = Vec::new();
    for (state, spec) in set {
        let task = tasks.iter().find(|t| &t.state == state);
        let wrap = |v: Value| if is_invoke(task) { json!({"StatusCode": 200, "Payload": v}) } else { v };
        let outcome = match &spec.choice {
            HandlerChoice::Static { json } => match serde_json::from_str::<Value>(json) {
                Ok(v) => MockOutcome::Return(wrap(v)),
                Err(_) => {
                    notes.push(format!("{state}: the static result is not JSON"));
                    continue;
                }
            },
            HandlerChoice::Throw { error, cause } => {
                MockOutcome::Throw { error: error.clone(), cause: (!cause.is_empty()).then(|| cause.clone()) }
            }
            // N failures then a fixed result: two ranges of invocations.
            HandlerChoice::FailThenSucceed { times, error, then: Some(json) } if *times > 0 => match serde_json::from_str::<Value>(json) {
                Ok(v) => {
                    let name = format!("{state}Mock");
                    case.states.push((state.clone(), name.clone()));
                    config.responses.push(MockedResponse {
                        name,
                        invocations: vec![
                            MockInvocations { first: 0, last: times - 1, outcome: MockOutcome::Throw { error: error.clone(), cause: None } },
                            MockInvocations { first: *times, last: *times, outcome: MockOutcome::Return(wrap(v)) },
                        ],
                    });
                    continue;
                }
                Err(_) => {
                    notes.push(format!("{state}: the result after the failures is not JSON"));
                    continue;
                }
            },
            other => {
                notes.push(format!("{state}: {} has no MockConfigFile form; it stays simulated", label(other)));
                continue;
            }
        };
        let name = format!("{state}Mock");
        case.states.push((state.clone(), name.clone()));
        config.responses.push(MockedResponse { name, invocations: vec![MockInvocations { first: 0, last: 0, outcome }] });
    }
    config.state_machines.push(MockStateMachine { name: machine.into(), test_cases: vec![case] });
    (config, notes)
}

fn label(choice: &HandlerChoice) -> &'static str {
    match choice {
        HandlerChoice::Seed => "the seed Lambda",
        HandlerChoice::Echo => "echo",
        HandlerChoice::FailThenSucceed { .. } => "fail-then-succeed",
        HandlerChoice::Jsonata { .. } => "a JSONata expression",
        HandlerChoice::Callback { .. } => "a callback",
        HandlerChoice::Static { .. } => "a static result",
        HandlerChoice::Throw { .. } => "a thrown error",
    }
}

/// The handler choices of a MockConfigFile's test case: `test_case`, or the file's only one.
/// A response that throws one error N times and then returns becomes fail-then-succeed: after the
/// failures the seed Lambda (or echo) answers, not the file's return value. Other sequences are
/// refused with the state named.
pub fn import(text: &str, test_case: Option<&str>, tasks: &[TaskInfo]) -> Result<HandlerSet, String> {
    let config = MockConfig::parse(text).map_err(|errors| {
        errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
    })?;
    let case = match test_case {
        Some(name) => config.test_case(None, name)?,
        None => {
            let all: Vec<&MockTestCase> = config.state_machines.iter().flat_map(|m| m.test_cases.iter()).collect();
            match all.as_slice() {
                [one] => *one,
                [] => return Err("the file has no test case".into()),
                many => {
                    let names: Vec<&str> = many.iter().map(|c| c.name.as_str()).collect();
                    return Err(format!("the file has several test cases ({}); choose one", names.join(", ")));
                }
            }
        }
    };
    let mut set = HandlerSet::new();
    for (state, response_name) in &case.states {
        let task = tasks.iter().find(|t| &t.state == state);
        if task.is_none() {
            return Err(format!("the test case mocks '{state}', which is not a Task state of this workflow"));
        }
        let response = config.response(response_name).ok_or_else(|| format!("no mocked response '{response_name}'"))?;
        let unwrap = |v: &Value| -> Value {
            match (is_invoke(task), v.get("Payload")) {
                (true, Some(p)) => p.clone(),
                _ => v.clone(),
            }
        };
        let choice = match response.invocations.as_slice() {
            [MockInvocations { outcome: MockOutcome::Return(v), .. }] => HandlerChoice::Static { json: unwrap(v).to_string() },
            [MockInvocations { outcome: MockOutcome::Throw { error, cause }, .. }] => {
                HandlerChoice::Throw { error: error.clone(), cause: cause.clone().unwrap_or_default() }
            }
            [MockInvocations { first: 0, last, outcome: MockOutcome::Throw { error, .. } }, MockInvocations { outcome: MockOutcome::Return(_), .. }] => {
                HandlerChoice::FailThenSucceed { times: last + 1, error: error.clone(), then: None }
            }
            _ => return Err(format!("'{state}': the response '{response_name}' changes between invocations in a way the Run panel cannot show")),
        };
        set.insert(state.clone(), HandlerSpec { choice, latency_ms: 0 });
    }
    Ok(set)
}
