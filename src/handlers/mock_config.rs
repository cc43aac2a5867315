//! Step Functions Local's mock configuration file (`MockConfigFile.json`): the [`MockConfig`]
//! model, its reader (every problem located by JSON pointer and line:column, all reported in one
//! pass), its writer, and the [`HandlerRegistry`] one test case gives.
//!
//! The format: `StateMachines` → machine name → `TestCases` → test case name → state name →
//! mocked response name; `MockedResponses` → response name → invocation key (`"0"`, or a range
//! `"1-2"`, 0-based and inclusive) → `{"Return": value}` or `{"Throw": {"Error", "Cause"}}`.
//!
//! A mocked response is what the service answered, so a `lambda:invoke` mock returns the whole
//! response (`StatusCode`, `Payload`, …), not wrapped again. Each mocked state counts its own
//! invocations (retries and Map iterations included). The keys must cover `0..=n` without gaps
//! or overlaps; invocations past the last key get the last response again (our choice: the file
//! says nothing for them, and a retry loop that outlives its mock should not crash).

use serde_json::{Map, Value};

use super::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::asl::error::StatesError;
use crate::asl::json::{self, LineIndex, Node};

/// A whole mock configuration file, in the order it was written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockConfig {
    pub state_machines: Vec<MockStateMachine>,
    pub responses: Vec<MockedResponse>,
}

/// One entry of `StateMachines`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockStateMachine {
    pub name: String,
    pub test_cases: Vec<MockTestCase>,
}

/// One test case: which mocked response each state gets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockTestCase {
    pub name: String,
    /// `(state name, mocked response name)`, in file order.
    pub states: Vec<(String, String)>,
}

/// One entry of `MockedResponses`: what successive invocations get.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MockedResponse {
    pub name: String,
    /// Sorted by `first`, contiguous from 0.
    pub invocations: Vec<MockInvocations>,
}

/// The response of invocations `first..=last` (0-based).
#[derive(Debug, Clone, PartialEq)]
pub struct MockInvocations {
    pub first: u32,
    pub last: u32,
    pub outcome: MockOutcome,
}

/// `Return` or `Throw`.
#[derive(Debug, Clone, PartialEq)]
pub enum MockOutcome {
    Return(Value),
    Throw { error: String, cause: Option<String> },
}

/// A problem in a mock configuration file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockConfigError {
    /// JSON pointer of the offending value (`/MockedResponses/M/0/Throw`).
    pub pointer: String,
    /// 1-based line and column.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for MockConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}:{}: {} ({pointer})", self.line, self.column, self.message)
    }
}

/// Collects located errors while reading.
struct Reader<'t> {
    lines: LineIndex<'t>,
    errors: Vec<MockConfigError>,
}

impl Reader<'_> {
    fn error(&mut self, node: &Node, pointer: &str, message: impl Into<String>) {
        self.error_at(node.span.start as usize, pointer, message);
    }

    /// An error about a member's key (unknown or repeated fields), placed on the key.
    fn key_error(&mut self, member: &json::Member, pointer: &str, message: impl Into<String>) {
        self.error_at(member.key_span.start as usize, pointer, message);
    }

    fn error_at(&mut self, offset: usize, pointer: &str, message: impl Into<String>) {
        let position = self.lines.position(offset);
        self.errors.push(MockConfigError {
            pointer: pointer.to_string(),
            line: position.line,
            column: position.column,
            message: message.into(),
        });
    }

    /// The members of `node` when it is an object; an error otherwise.
    fn object<'n>(&mut self, node: &'n Node, pointer: &str, what: &str) -> &'n [json::Member] {
        match node.as_object() {
            Some(members) => members,
            None => {
                self.error(node, pointer, format!("{what} must be an object, not {}", node.kind_name()));
                &[]
            }
        }
    }

    fn unique<'n>(&mut self, members: &'n [json::Member], pointer: &str) -> impl Iterator<Item = (&'n json::Member, String)> {
        let mut seen = std::collections::HashSet::new();
        let mut kept = Vec::new();
        for member in members {
            let child = format!("{pointer}/{}", json::escape_pointer_token(&member.key));
            if seen.insert(member.key.as_str()) {
                kept.push((member, child));
            } else {
                self.key_error(member, &child, format!("'{}' is written twice", member.key));
            }
        }
        kept.into_iter()
    }

    fn state_machine(&mut self, member: &json::Member, pointer: &str) -> MockStateMachine {
        let mut machine = MockStateMachine { name: member.key.clone(), test_cases: Vec::new() };
        for (field, field_pointer) in self.unique(self_object(member), pointer).collect::<Vec<_>>() {
            if field.key != "TestCases" {
                self.key_error(field, &field_pointer, format!("unknown field '{}' (a state machine has only TestCases)", field.key));
                continue;
            }
            let cases = self.object(&field.value, &field_pointer, "TestCases");
            for (case, case_pointer) in self.unique(cases, &field_pointer).collect::<Vec<_>>() {
                let mut test_case = MockTestCase { name: case.key.clone(), states: Vec::new() };
                let states = self.object(&case.value, &case_pointer, "a test case");
                for (state, state_pointer) in self.unique(states, &case_pointer).collect::<Vec<_>>() {
                    match state.value.as_str() {
                        Some(response) => test_case.states.push((state.key.clone(), response.to_string())),
                        None => self.error(
                            &state.value,
                            &state_pointer,
                            format!("the state '{}' must name a mocked response (a string), not {}", state.key, state.value.kind_name()),
                        ),
                    }
                }
                machine.test_cases.push(test_case);
            }
        }
        machine
    }

    fn response(&mut self, member: &json::Member, pointer: &str) -> MockedResponse {
        let mut response = MockedResponse { name: member.key.clone(), invocations: Vec::new() };
        let entries = self.object(&member.value, pointer, "a mocked response");
        if entries.is_empty() && member.value.as_object().is_some() {
            self.error(&member.value, pointer, "a mocked response needs at least one invocation (\"0\")");
        }
        for (entry, entry_pointer) in self.unique(entries, pointer).collect::<Vec<_>>() {
            let Some((first, last)) = invocation_range(&entry.key) else {
                self.key_error(
                    entry,
                    &entry_pointer,
                    format!("'{}' is not an invocation number (\"0\") or range (\"1-2\")", entry.key),
                );
                continue;
            };
            if let Some(outcome) = self.outcome(&entry.value, &entry_pointer) {
                response.invocations.push(MockInvocations { first, last, outcome });
            }
        }
        crate::asl::sort::sort_by_key(&mut response.invocations, |i| i.first);
        let mut expected = 0u32;
        for invocation in &response.invocations {
            let message = if invocation.first > expected {
                Some(format!("invocations {expected} to {} have no response", invocation.first - 1))
            } else if invocation.first < expected {
                Some(format!("invocation {} has two responses", invocation.first))
            } else {
                None
            };
            if let Some(message) = message {
                let node = &member.value;
                self.error(node, pointer, message);
            }
            expected = expected.max(invocation.last.saturating_add(1));
        }
        response
    }

    fn outcome(&mut self, node: &Node, pointer: &str) -> Option<MockOutcome> {
        let members = self.object(node, pointer, "an invocation's response");
        if node.as_object().is_some() && members.len() != 1 {
            self.error(node, pointer, "an invocation's response has exactly one of Return and Throw");
            return None;
        }
        let member = members.first()?;
        let child = format!("{pointer}/{}", json::escape_pointer_token(&member.key));
        match member.key.as_str() {
            "Return" => Some(MockOutcome::Return(member.value.to_serde())),
            "Throw" => {
                let fields = self.object(&member.value, &child, "Throw");
                let mut error = None;
                let mut cause = None;
                for (field, field_pointer) in self.unique(fields, &child).collect::<Vec<_>>() {
                    let slot = match field.key.as_str() {
                        "Error" => &mut error,
                        "Cause" => &mut cause,
                        other => {
                            self.key_error(field, &field_pointer, format!("unknown field '{other}' (Throw has Error and Cause)"));
                            continue;
                        }
                    };
                    match field.value.as_str() {
                        Some(text) => *slot = Some(text.to_string()),
                        None => self.error(&field.value, &field_pointer, format!("{} must be a string, not {}", field.key, field.value.kind_name())),
                    }
                }
                match error {
                    Some(error) => Some(MockOutcome::Throw { error, cause }),
                    None => {
                        if member.value.as_object().is_some() {
                            self.error(&member.value, &child, "Throw needs an Error");
                        }
                        None
                    }
                }
            }
            other => {
                self.key_error(member, &child, format!("unknown field '{other}' (a response is Return or Throw)"));
                None
            }
        }
    }
}

fn self_object(member: &json::Member) -> &[json::Member] {
    member.value.as_object().unwrap_or(&[])
}

/// `"3"` → (3, 3); `"1-2"` → (1, 2); anything else (`"2-1"`, `"-1"`, `"x"`) → None.
fn invocation_range(key: &str) -> Option<(u32, u32)> {
    let number = |s: &str| if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) { s.parse::<u32>().ok() } else { None };
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (number(a)?, number(b)?);
            (a <= b).then_some((a, b))
        }
        None => number(key).map(|n| (n, n)),
    }
}

impl MockConfig {
    /// Reads a mock configuration file, reporting every problem with its place.
    pub fn parse(text: &str) -> Result<MockConfig, Vec<MockConfigError>> {
        let root = json::read(text).map_err(|e| {
            vec![MockConfigError { pointer: String::new(), line: e.line, column: e.column, message: e.message }]
        })?;
        let mut reader = Reader { lines: LineIndex::new(text), errors: Vec::new() };
        let mut config = MockConfig::default();
        let top = reader.object(&root, "", "a mock configuration");
        for (member, pointer) in reader.unique(top, "").collect::<Vec<_>>() {
            match member.key.as_str() {
                "StateMachines" => {
                    let machines = reader.object(&member.value, &pointer, "StateMachines");
                    for (machine, machine_pointer) in reader.unique(machines, &pointer).collect::<Vec<_>>() {
                        if machine.value.as_object().is_none() {
                            reader.object(&machine.value, &machine_pointer, "a state machine");
                            continue;
                        }
                        config.state_machines.push(reader.state_machine(machine, &machine_pointer));
                    }
                }
                "MockedResponses" => {
                    let responses = reader.object(&member.value, &pointer, "MockedResponses");
                    for (response, response_pointer) in reader.unique(responses, &pointer).collect::<Vec<_>>() {
                        config.responses.push(reader.response(response, &response_pointer));
                    }
                }
                other => reader.key_error(member, &pointer, format!("unknown field '{other}' (expected StateMachines and MockedResponses)")),
            }
        }
        // Every test case must name responses that exist.
        for machine in &config.state_machines {
            for test_case in &machine.test_cases {
                for (state, response) in &test_case.states {
                    if config.response(response).is_none() {
                        let pointer = format!(
                            "/StateMachines/{}/TestCases/{}/{}",
                            json::escape_pointer_token(&machine.name),
                            json::escape_pointer_token(&test_case.name),
                            json::escape_pointer_token(state)
                        );
                        let node = root.at_pointer(&pointer).map(|(n, _)| n.clone()).unwrap_or_else(|| root.clone());
                        reader.error(&node, &pointer, format!("the mocked response '{response}' is not in MockedResponses"));
                    }
                }
            }
        }
        if reader.errors.is_empty() { Ok(config) } else { Err(reader.errors) }
    }

    /// The mocked response called `name`.
    pub fn response(&self, name: &str) -> Option<&MockedResponse> {
        self.responses.iter().find(|r| r.name == name)
    }

    /// The test case `test_case` of `state_machine`, or of the only machine that has one by that
    /// name when `state_machine` is `None`.
    pub fn test_case(&self, state_machine: Option<&str>, test_case: &str) -> Result<&MockTestCase, String> {
        let machines: Vec<&MockStateMachine> = match state_machine {
            Some(name) => match self.state_machines.iter().find(|m| m.name == name) {
                Some(m) => vec![m],
                None => return Err(format!("the mock file has no state machine '{name}'")),
            },
            None => self.state_machines.iter().collect(),
        };
        let found: Vec<(&MockStateMachine, &MockTestCase)> =
            machines.iter().filter_map(|m| m.test_cases.iter().find(|c| c.name == test_case).map(|c| (*m, c))).collect();
        match found.as_slice() {
            [(_, case)] => Ok(case),
            [] => Err(format!("the mock file has no test case '{test_case}'")),
            several => Err(format!(
                "the test case '{test_case}' is in several state machines ({}); name one",
                several.iter().map(|(m, _)| m.name.as_str()).collect::<Vec<_>>().join(", ")
            )),
        }
    }

    /// Registers a handler for every state the test case mocks (by state name, so it wins over
    /// handlers registered by resource or function name).
    pub fn register_test_case(&self, test_case: &MockTestCase, registry: &mut HandlerRegistry) -> Result<(), String> {
        for (state, name) in &test_case.states {
            let response = self.response(name).ok_or_else(|| format!("the mocked response '{name}' is not in MockedResponses"))?;
            registry.register(state.clone(), MockedResponseHandler::new(response.clone()));
        }
        Ok(())
    }

    /// The file as JSON, in the order it was read or built.
    pub fn to_json(&self) -> Value {
        let machines: Map<String, Value> = self
            .state_machines
            .iter()
            .map(|m| {
                let cases: Map<String, Value> = m
                    .test_cases
                    .iter()
                    .map(|c| {
                        let states = c.states.iter().map(|(s, r)| (s.clone(), Value::String(r.clone()))).collect();
                        (c.name.clone(), Value::Object(states))
                    })
                    .collect();
                let mut machine = Map::new();
                machine.insert("TestCases".into(), Value::Object(cases));
                (m.name.clone(), Value::Object(machine))
            })
            .collect();
        let responses: Map<String, Value> = self
            .responses
            .iter()
            .map(|r| {
                let entries = r
                    .invocations
                    .iter()
                    .map(|i| {
                        let key = if i.first == i.last { i.first.to_string() } else { format!("{}-{}", i.first, i.last) };
                        let mut entry = Map::new();
                        match &i.outcome {
                            MockOutcome::Return(value) => {
                                entry.insert("Return".into(), value.clone());
                            }
                            MockOutcome::Throw { error, cause } => {
                                let mut throw = Map::new();
                                throw.insert("Error".into(), Value::String(error.clone()));
                                if let Some(cause) = cause {
                                    throw.insert("Cause".into(), Value::String(cause.clone()));
                                }
                                entry.insert("Throw".into(), Value::Object(throw));
                            }
                        }
                        (key, Value::Object(entry))
                    })
                    .collect();
                (r.name.clone(), Value::Object(entries))
            })
            .collect();
        let mut root = Map::new();
        root.insert("StateMachines".into(), Value::Object(machines));
        root.insert("MockedResponses".into(), Value::Object(responses));
        Value::Object(root)
    }

    /// The file as pretty-printed JSON text.
    pub fn to_text(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).unwrap_or_default() + "\n"
    }
}

/// Plays a [`MockedResponse`]: invocation `n` of its state gets the entry covering `n` (the last
/// entry past the end).
#[derive(Debug, Clone)]
pub struct MockedResponseHandler {
    response: MockedResponse,
    calls: u32,
}

impl MockedResponseHandler {
    pub fn new(response: MockedResponse) -> Self {
        MockedResponseHandler { response, calls: 0 }
    }
}

impl TaskHandler for MockedResponseHandler {
    fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        let n = self.calls;
        self.calls = self.calls.saturating_add(1);
        let entry = self.response.invocations.iter().find(|i| i.first <= n && n <= i.last).or(self.response.invocations.last());
        match entry.map(|e| &e.outcome) {
            Some(MockOutcome::Return(value)) => Ok(value.clone()),
            Some(MockOutcome::Throw { error, cause }) => Err(StatesError::named(Some(error.clone()), cause.clone())),
            None => Err(StatesError::new(crate::asl::interp::names::TASK_FAILED, format!("the mocked response '{}' is empty", self.response.name))),
        }
    }

    fn returns_service_response(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AWS_EXAMPLE: &str = r#"{
  "StateMachines": {
    "LambdaSQSIntegration": {
      "TestCases": {
        "HappyPath": {"LambdaState": "MockedLambdaSuccess", "SQSState": "MockedSQSSuccess"},
        "RetryPath": {"LambdaState": "MockedLambdaRetry", "SQSState": "MockedSQSSuccess"}
      }
    }
  },
  "MockedResponses": {
    "MockedLambdaSuccess": {"0": {"Return": {"StatusCode": 200, "Payload": {"body": "Hello"}}}},
    "MockedSQSSuccess": {"0": {"Return": {"MessageId": "m-1"}}},
    "MockedLambdaRetry": {
      "0": {"Throw": {"Error": "Lambda.ResourceNotReadyException", "Cause": "not ready"}},
      "1-2": {"Throw": {"Error": "Lambda.TimeoutException", "Cause": "timed out"}},
      "3": {"Return": {"StatusCode": 200, "Payload": {"body": "Hello"}}}
    }
  }
}"#;

    fn errors(text: &str) -> Vec<String> {
        MockConfig::parse(text).expect_err("should not parse").iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_the_documented_example() {
        let config = MockConfig::parse(AWS_EXAMPLE).expect("parses");
        assert_eq!(config.state_machines[0].test_cases.len(), 2);
        let retry = config.response("MockedLambdaRetry").expect("present");
        assert_eq!(retry.invocations.iter().map(|i| (i.first, i.last)).collect::<Vec<_>>(), vec![(0, 0), (1, 2), (3, 3)]);
        let case = config.test_case(None, "RetryPath").expect("found");
        assert_eq!(case.states[0], ("LambdaState".to_string(), "MockedLambdaRetry".to_string()));
    }

    #[test]
    fn writes_back_what_it_read() {
        let config = MockConfig::parse(AWS_EXAMPLE).expect("parses");
        let again = MockConfig::parse(&config.to_text()).expect("reparses");
        assert_eq!(again, config);
        assert_eq!(config.to_json(), serde_json::from_str::<Value>(AWS_EXAMPLE).expect("json"));
    }

    #[test]
    fn plays_invocations_in_order_then_repeats_the_last() {
        let config = MockConfig::parse(AWS_EXAMPLE).expect("parses");
        let mut handler = MockedResponseHandler::new(config.response("MockedLambdaRetry").expect("present").clone());
        let input = Value::Null;
        let request = TaskRequest { state_name: "S", resource: "r", function_name: None, input: &input, attempt: 0 };
        let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0);
        let mut log = Vec::new();
        let mut names = Vec::new();
        for _ in 0..6 {
            let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
            names.push(match handler.invoke(&request, &mut context) {
                Ok(v) => v["StatusCode"].to_string(),
                Err(e) => e.error.unwrap_or_default(),
            });
        }
        assert_eq!(
            names,
            ["Lambda.ResourceNotReadyException", "Lambda.TimeoutException", "Lambda.TimeoutException", "200", "200", "200"]
        );
    }

    #[test]
    fn problems_are_located() {
        let text = "{\n \"MockedResponses\": {\n  \"M\": {\"0\": {\"Throw\": {\"Cause\": 3}}, \"x-1\": {\"Return\": 1}}\n },\n \"Other\": 1\n}";
        let found = errors(text);
        assert!(found.iter().any(|e| e.starts_with("3:") && e.contains("Cause must be a string") && e.contains("/MockedResponses/M/0/Throw/Cause")), "{found:?}");
        assert!(found.iter().any(|e| e.contains("Throw needs an Error")), "{found:?}");
        assert!(found.iter().any(|e| e.contains("'x-1' is not an invocation number")), "{found:?}");
        assert!(found.iter().any(|e| e.starts_with("5:") && e.contains("unknown field 'Other'")), "{found:?}");
    }

    #[test]
    fn gaps_overlaps_and_unknown_responses_are_errors() {
        let gap = errors(r#"{"MockedResponses": {"M": {"0": {"Return": 1}, "2": {"Return": 2}}}}"#);
        assert!(gap.iter().any(|e| e.contains("invocations 1 to 1 have no response")), "{gap:?}");
        let overlap = errors(r#"{"MockedResponses": {"M": {"0-2": {"Return": 1}, "1": {"Return": 2}}}}"#);
        assert!(overlap.iter().any(|e| e.contains("invocation 1 has two responses")), "{overlap:?}");
        let both = errors(r#"{"MockedResponses": {"M": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}"#);
        assert!(both.iter().any(|e| e.contains("exactly one of Return and Throw")), "{both:?}");
        let unknown = errors(r#"{"StateMachines": {"SM": {"TestCases": {"T": {"S": "Nope"}}}}, "MockedResponses": {}}"#);
        assert!(unknown.iter().any(|e| e.contains("'Nope' is not in MockedResponses") && e.contains("/StateMachines/SM/TestCases/T/S")), "{unknown:?}");
        assert!(errors("{").iter().any(|e| e.starts_with("1:2")), "a syntax error has its place");
    }

    #[test]
    fn test_case_lookup_names_what_is_missing_or_ambiguous() {
        let text = r#"{"StateMachines": {"A": {"TestCases": {"T": {}}}, "B": {"TestCases": {"T": {}, "U": {}}}}, "MockedResponses": {}}"#;
        let config = MockConfig::parse(text).expect("parses");
        assert!(config.test_case(None, "T").unwrap_err().contains("A, B"));
        assert_eq!(config.test_case(Some("B"), "T").expect("found").name, "T");
        assert_eq!(config.test_case(None, "U").expect("found").name, "U");
        assert!(config.test_case(None, "V").unwrap_err().contains("no test case 'V'"));
        assert!(config.test_case(Some("C"), "T").unwrap_err().contains("no state machine 'C'"));
    }
}
