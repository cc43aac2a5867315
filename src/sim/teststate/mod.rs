//! AWS's TestState, offline: one state (alone, or named in a whole state machine) run on an
//! input with a mocked result or error, chosen variables and context, a retry count or a number
//! of failed Map iterations, and the answer AWS gives at INFO, DEBUG or TRACE.
//!
//! Stages: [`request`] (the API's body, read with located errors) → isolate (the state taken
//! out of its machine into a machine of its own, its Next targets stood in for) → run (a real
//! [`Execution`] of that machine under an [`Isolation`], stepped until the state has left,
//! retried past `retrierRetryCount` attempts, or failed; the data-flow trace records every
//! step) → [`inspect`] (the trace read as AWS's `inspectionData`, level by level) →
//! [`response`]. The mocked result is checked against the operation's output by the service
//! catalogue's checker ([`crate::catalogue::check`], `fieldValidationMode`), and
//! [`aws_cli`] writes the same call as an `aws stepfunctions test-state` command; [`form`] is
//! what the inspector's "Test this state" panel asks, as data.
//!
//! No ASL is interpreted here: the state's pipeline, Retry, Catch, variables and quotas are the
//! interpreter's.

pub mod aws_cli;
pub mod form;
pub mod inspect;
pub mod request;
pub mod response;

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::clock::VirtualClock;
use crate::asl::interp::plug::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::handlers::services;
use crate::asl::interp::isolated::{Isolation, TestStateContext};
use crate::asl::interp::program::{Action, CompiledState, Integration, Program, ScopeId, TaskTarget};
use crate::asl::interp::trace::{Stage, TraceEntry};
use crate::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, StatesError, StepOutcome};
use crate::asl::walk::{self, Reach};
use crate::asl::model::StateType;

pub use request::{FieldValidationMode, InspectionLevel, Mock, MockOutcome, RequestError, StateConfiguration, TestStateRequest};
pub use response::{ErrorDetails, InspectionData, TestStateResponse, TestStatus};
pub use aws_cli::aws_cli_command;
use crate::catalogue::Catalogue;
use crate::catalogue::check::FindingKind;

/// The name a definition of one state runs under (unless a state inside it has that name).
pub const SINGLE_STATE_NAME: &str = "TestState";

/// Steps after which a test gives up (a state leaves after a few; only a runaway would not).
const MAX_STEPS: usize = 100_000;

/// Answers a TestState request, checking mocked results against the build's service catalogue
/// ([`Catalogue::built_in`]).
pub fn test_state(request: &TestStateRequest) -> Result<TestStateResponse, RequestError> {
    test_state_with(request, &Catalogue::built_in())
}

/// Answers a TestState request, checking mocked results against the API models of `models`
/// (the page hands over the services it fetched). An error is what AWS
/// would refuse (a ValidationException or InvalidDefinition): the request is not answered.
pub fn test_state_with(request: &TestStateRequest, models: &Catalogue) -> Result<TestStateResponse, RequestError> {
    test_state_calling(request, models, &|_| {})
}

/// [`test_state_with`] where the state's unmocked Task reaches the handlers `functions` adds to
/// the simulator's (the Lambda functions a recorded call's test created, say): AWS's TestState
/// without a mock calls the real service.
pub fn test_state_calling(request: &TestStateRequest, models: &Catalogue, functions: &dyn Fn(&mut HandlerRegistry)) -> Result<TestStateResponse, RequestError> {
    let definition: Value = serde_json::from_str(&request.definition)
        .map_err(|e| RequestError::at("/definition", format!("the definition is not JSON: {e}")))?;
    let located = locate(&definition, request.state_name.as_deref())?;
    check_definition(request, &located)?;
    let machine = isolated_machine(&located);
    let program = Program::from_text(&machine.to_string())
        .map_err(|e| RequestError::at("/definition", format!("the state cannot run: {}", e.message)))?;
    let program = Arc::new(program);
    let state = program.state(ScopeId::TOP, program.scopes[0].start);
    let setup = Setup::read(request, state, &located, models)?;
    Ok(run(request, program.clone(), setup, functions))
}

/// What `statecraft test-state` prints and how it exits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandReport {
    /// The answer's body, as AWS sends it (one line).
    pub stdout: String,
    /// `SOURCE:line:col: error: message (pointer)` when the request is refused.
    pub stderr: String,
    /// 0: answered (whatever the state's status), 2: the request is unreadable or refused.
    pub exit_code: u8,
}

/// The library side of `statecraft test-state`: the request body's text in (`source` names it
/// in errors), the answer's body out.
pub fn test_state_command(text: &str, source: &str) -> CommandReport {
    let answered = TestStateRequest::from_json(text).and_then(|request| test_state(&request));
    match answered {
        Ok(response) => CommandReport { stdout: response::json_text(&response.to_json()) + "\n", stderr: String::new(), exit_code: 0 },
        Err(error) => {
            let error = located_in(text, error);
            let pointer = if error.pointer.is_empty() { "/" } else { &error.pointer };
            CommandReport {
                stdout: String::new(),
                stderr: format!("{source}:{}:{}: error: {} ({pointer})\n", error.line, error.column, error.message),
                exit_code: 2,
            }
        }
    }
}

/// An error found after reading (known by its pointer only), given the line:column of the
/// field it points at in the request's text.
fn located_in(text: &str, mut error: RequestError) -> RequestError {
    if (error.line, error.column) != (1, 1) || error.pointer.is_empty() {
        return error;
    }
    let found = crate::asl::json::read(text).ok().and_then(|root| {
        // The deepest field of the pointer that is in the text (`/mock/result` of a mock given).
        let mut pointer = error.pointer.as_str();
        loop {
            if let Some((node, key)) = root.at_pointer(pointer) {
                return Some(key.unwrap_or(node.span));
            }
            pointer = &pointer[..pointer.rfind('/')?];
            if pointer.is_empty() {
                return None;
            }
        }
    });
    if let Some(span) = found {
        let position = crate::asl::json::LineIndex::new(text).position(span.start as usize);
        (error.line, error.column) = (position.line, position.column);
    }
    error
}

/// The tested state, taken out of its definition.
#[derive(Debug, Clone)]
struct Located {
    name: String,
    state: Map<String, Value>,
    /// The query language the state inherits (the machine's, or its enclosing state's).
    inherited_jsonata: bool,
    /// The definition is a whole state machine.
    in_machine: bool,
    /// Where the state is in a whole machine (`/States/P/Branches/0/States/A`); empty otherwise.
    pointer: String,
}

fn is_jsonata(value: Option<&Value>) -> Option<bool> {
    value.and_then(Value::as_str).map(|l| l == "JSONata")
}

/// Finds the state to test: the definition itself, or the state named `state_name` anywhere in a
/// state machine (in Parallel branches and Map processors too).
fn locate(definition: &Value, state_name: Option<&str>) -> Result<Located, RequestError> {
    let object = definition.as_object().ok_or_else(|| RequestError::at("/definition", "the definition must be a JSON object"))?;
    let is_machine = object.contains_key("States") || object.contains_key("StartAt");
    match (is_machine, state_name) {
        (false, None) => Ok(Located { name: single_state_name(definition), state: object.clone(), inherited_jsonata: false, in_machine: false, pointer: String::new() }),
        (false, Some(_)) => Err(RequestError::at("/stateName", "stateName names a state of a state machine, but the definition is a single state")),
        (true, None) => Err(RequestError::at("/stateName", "the definition is a state machine: stateName must name the state to test")),
        (true, Some(name)) => find_state(object, name, false)
            .map(|(state, inherited_jsonata)| {
                let pointer = walk::json::states(definition, Reach::Written).into_iter().find(|visit| visit.name == name).map(|visit| visit.pointer);
                Located { name: name.to_string(), state: state.clone(), inherited_jsonata, in_machine: true, pointer: pointer.unwrap_or_default() }
            })
            // AWS's words (`test_base_state_name_validation_failures`), then which name.
            .ok_or_else(|| RequestError::at("/stateName", format!("State not found in definition: the state machine has no state named '{name}'"))),
    }
}

/// [`SINGLE_STATE_NAME`], or the first of `TestState_2`, `TestState_3` ... that no state
/// inside the definition (a Map's, a Parallel's) or target of it already has.
fn single_state_name(definition: &Value) -> String {
    fn names(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(states) = map.get("States").and_then(Value::as_object) {
                    out.extend(states.keys().cloned());
                }
                for key in ["Next", "Default"] {
                    if let Some(name) = map.get(key).and_then(Value::as_str) {
                        out.push(name.to_string());
                    }
                }
                map.values().for_each(|v| names(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| names(v, out)),
            _ => {}
        }
    }
    let mut taken = Vec::new();
    names(definition, &mut taken);
    std::iter::once(SINGLE_STATE_NAME.to_string())
        .chain((2..).map(|n| format!("{SINGLE_STATE_NAME}_{n}")))
        .find(|name| !taken.contains(name))
        .unwrap_or_default()
}

fn find_state<'m>(machine: &'m Map<String, Value>, name: &str, inherited_jsonata: bool) -> Option<(&'m Map<String, Value>, bool)> {
    let language = is_jsonata(machine.get("QueryLanguage")).unwrap_or(inherited_jsonata);
    let states = machine.get("States")?.as_object()?;
    if let Some(state) = states.get(name).and_then(Value::as_object) {
        return Some((state, language));
    }
    states.values().filter_map(Value::as_object).find_map(|state| {
        let own = is_jsonata(state.get("QueryLanguage")).unwrap_or(language);
        walk::json::nested(state, Reach::Written).into_iter().find_map(|(_, scope)| find_state(scope, name, own))
    })
}

/// The states a state may go to: Next, Default, each Choice's Next, each Catcher's Next.
fn targets(state: &Map<String, Value>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |v: Option<&Value>| {
        if let Some(name) = v.and_then(Value::as_str).filter(|name| !names.iter().any(|n| n == name)) {
            names.push(name.to_string());
        }
    };
    add(state.get("Next"));
    add(state.get("Default"));
    for field in ["Choices", "Catch"] {
        for entry in state.get(field).and_then(Value::as_array).into_iter().flatten() {
            add(entry.get("Next"));
        }
    }
    names
}

/// A machine of the tested state alone, its targets stood in for by Succeed states (never
/// entered: the test stops when the state leaves).
fn isolated_machine(located: &Located) -> Value {
    let mut states = Map::new();
    states.insert(located.name.clone(), Value::Object(located.state.clone()));
    for target in targets(&located.state) {
        if target != located.name {
            states.insert(target, json!({"Type": "Succeed"}));
        }
    }
    let mut machine = Map::new();
    if located.inherited_jsonata {
        machine.insert("QueryLanguage".into(), Value::String("JSONata".into()));
    }
    machine.insert("StartAt".into(), Value::String(located.name.clone()));
    machine.insert("States".into(), Value::Object(states));
    Value::Object(machine)
}

/// The definition as AWS checks it: the validator's first error, the tested state's own first
/// (the stand-ins around a single state are not the user's; in a whole machine AWS names the
/// tested state's problem before the machine's, `test_state_name_invalid_state_definition`),
/// in AWS's words: `Invalid State Machine Definition: 'CODE: message at /pointer'`, where and
/// why after it.
fn check_definition(request: &TestStateRequest, located: &Located) -> Result<(), RequestError> {
    let (text, prefix) = if located.in_machine {
        (request.definition.clone(), located.pointer.clone())
    } else {
        (isolated_machine(located).to_string(), format!("/States/{}", crate::asl::json::escape_pointer_token(&located.name)))
    };
    let report = crate::asl::validate::validate_text(&text);
    let inside = |pointer: &str| !prefix.is_empty() && crate::asl::json::lies_within(pointer, &prefix);
    let first = report.errors().find(|d| inside(&d.pointer)).or_else(|| report.errors().next());
    match first {
        None => Ok(()),
        Some(d) => {
            // A single state is checked inside a machine of ours: its place is given in the state.
            let pointer = if located.in_machine { d.pointer.as_str() } else { d.pointer.strip_prefix(&prefix).unwrap_or(&d.pointer) };
            let pointer = if pointer.is_empty() { "/" } else { pointer };
            let code = d.code.aws_code().unwrap_or("SCHEMA_VALIDATION_FAILED");
            // Our messages give AWS's words first, ours after them in parentheses.
            let (words, why) = match d.message.strip_suffix(')').and_then(|m| m.rsplit_once(" (")) {
                Some((words, why)) => (words, format!(" ({why})")),
                None => (d.message.as_str(), String::new()),
            };
            // A whole machine is checked as the user wrote it: the line:column is in its text.
            let at = match (located.in_machine, d.position) {
                (true, Some(p)) => format!(" (line {} column {} of the definition)", p.line, p.column),
                _ => String::new(),
            };
            Err(RequestError::at("/definition", format!("Invalid State Machine Definition: '{code}: {words} at {pointer}'{why}{at}")))
        }
    }
}

/// What the request sets up, read and checked.
struct Setup {
    input: Value,
    variables: Map<String, Value>,
    context: Option<Value>,
    mock: Option<Result<Value, StatesError>>,
    retry_count: u32,
    isolation: Isolation,
}

fn parse_text(text: &str, pointer: &str, what: &str) -> Result<Value, RequestError> {
    serde_json::from_str(text).map_err(|e| RequestError::at(pointer, format!("{what} is not JSON: {e}")))
}

impl Setup {
    fn read(request: &TestStateRequest, state: &CompiledState, located: &Located, models: &Catalogue) -> Result<Setup, RequestError> {
        let input = parse_text(request.input.as_deref().unwrap_or("{}"), "/input", "the input")?;
        let variables = match &request.variables {
            Some(text) => match parse_text(text, "/variables", "variables")? {
                Value::Object(map) => map,
                _ => return Err(RequestError::at("/variables", "variables must be a JSON object")),
            },
            None => Map::new(),
        };
        let context = match &request.context {
            Some(text) => match parse_text(text, "/context", "the context")? {
                object @ Value::Object(_) => Some(object),
                _ => return Err(RequestError::at("/context", "the context must be a JSON object")),
            },
            None => None,
        };
        let configuration = request.state_configuration.clone().unwrap_or_default();
        if request.reveal_secrets == Some(true) && request.mock.is_some() {
            return Err(RequestError::at("/revealSecrets", "TestState does not support RevealSecrets when a mock is specified."));
        }
        let writes_results = located.state.contains_key("ResultWriter");
        let mock = match &request.mock {
            Some(mock) => Some(mocked_outcome(mock, state, writes_results, models)?),
            None => None,
        };
        check_mock_needed(state, request.mock.as_ref())?;
        check_role(state, request)?;
        if let Some(context) = &context {
            check_context(context, state)?;
        }
        check_configuration(&configuration, state, located, request.mock.as_ref())?;
        let reader_items = reader_items(&configuration, located)?;
        let is_children = matches!(state.state_type, StateType::Map | StateType::Parallel);
        let isolation = Isolation {
            context: context.clone(),
            test_state_context: Some(TestStateContext { role_arn: request.role_arn.clone() }),
            children_outcome: if is_children { mock.clone() } else { None },
            map_iteration_failures: configuration.map_iteration_failure_count.unwrap_or(0),
            reader_items,
            map_settings: None,
        };
        Ok(Setup { input, variables, context, mock, retry_count: configuration.retrier_retry_count.unwrap_or(0), isolation })
    }
}

/// The mocked outcome, the result checked in its field validation mode.
fn mocked_outcome(mock: &Mock, state: &CompiledState, writes_results: bool, models: &Catalogue) -> Result<Result<Value, StatesError>, RequestError> {
    let text = match &mock.outcome {
        MockOutcome::Error { error, cause } => return Ok(Err(StatesError::new(error.clone(), cause.clone()))),
        MockOutcome::Result(text) => text,
    };
    let result = parse_text(text, "/mock/result", "the mocked result")?;
    let mode = mock.mode();
    let checked = match &state.action {
        // The catalogue's checker, as for Parameters; members the model does not name are
        // accepted in every mode (AWS answered SUCCEEDED to `{"random": "json"}` for
        // `events:putEvents` in STRICT). A resource the catalogue cannot resolve is not checked.
        Action::Task(spec) => match models.resolve(&spec.resource) {
            Ok(resolved) => match resolved.check_result(&result, mode).into_iter().find(|f| f.kind != FindingKind::UnknownMember) {
                Some(finding) => Err(finding.aws_words),
                None => Ok(()),
            },
            Err(_) => Ok(()),
        },
        // A Map's and a Parallel's result is the array of their iterations' or branches'
        // outputs, one per branch; a Map that writes its results to S3 gives the object that
        // says where (AWS's refusals, word for word).
        Action::Map(_) if mode != FieldValidationMode::None => {
            let shape_error = if writes_results { (!result.is_object()).then_some("Mocked result must be a JSON object.") } else { (!result.is_array()).then_some("Mocked result must be an array.") };
            return match shape_error {
                Some(message) => Err(RequestError::at("/mock/result", message)),
                None => Ok(Ok(result)),
            };
        }
        Action::Parallel { branches } if mode != FieldValidationMode::None => {
            return match result.as_array() {
                None => Err(RequestError::at("/mock/result", "Mocked result must be an array.")),
                Some(items) if items.len() != branches.len() => Err(RequestError::at(
                    "/mock/result",
                    "Mocked result must contain the same number of items as number of Parallel branches.",
                )),
                Some(_) => Ok(Ok(result)),
            };
        }
        _ => Ok(()),
    };
    // AWS's words, recorded (LocalStack's `test_field_validation_mode*` snapshots): the member
    // by name, not its place ("Field 'EventId' must be a string" for `/Entries/1/EventId`).
    checked.map_err(|words| RequestError::at("/mock/result", format!("Mock result schema validation error: {words}")))?;
    Ok(Ok(result))
}

/// AWS tests a Map, a Parallel, an activity and the `.sync` and `.waitForTaskToken`
/// integrations only with a mock; a mock needs a state that calls or runs something.
fn check_mock_needed(state: &CompiledState, mock: Option<&Mock>) -> Result<(), RequestError> {
    let needs = match &state.action {
        Action::Map(_) | Action::Parallel { .. } => true,
        Action::Task(spec) => spec.integration != Integration::RequestResponse || spec.target == TaskTarget::Other,
        _ => false,
    };
    let takes = matches!(state.action, Action::Map(_) | Action::Parallel { .. } | Action::Task(_));
    // AWS's words where the recordings give them (`test_state_mock_validation`), then ours.
    let children = matches!(state.action, Action::Map(_) | Action::Parallel { .. });
    match (needs, takes, mock.is_some()) {
        (true, _, false) if children => Err(RequestError::at(
            "/mock",
            format!(
                "TestState API does not support Map or Parallel states. Supported state types include: [Task, Wait, Pass, Succeed, Fail, Choice] (a {} state is tested only with a mock)",
                kind_of(state)
            ),
        )),
        (true, _, false) => Err(RequestError::at("/mock", format!("a {} state is tested only with a mock", kind_of(state)))),
        (_, false, true) => Err(RequestError::at(
            "/mock",
            format!("State type '{0}' is not supported when a mock is specified (a {0} state has nothing to mock)", state.state_type.name()),
        )),
        _ => Ok(()),
    }
}

/// AWS calls a Task's resource as the request's role: a Task tested without a mock needs one
/// (its words, recorded in LocalStack's `test_test_state_scenarios` snapshot; a mocked Task
/// without a role was answered, `test_localstack_blogpost_scenario`).
fn check_role(state: &CompiledState, request: &TestStateRequest) -> Result<(), RequestError> {
    if matches!(state.action, Action::Task(_)) && request.mock.is_none() && request.role_arn.is_none() {
        return Err(RequestError::at("/roleArn", "RoleArn must be specified when testing a Task state"));
    }
    Ok(())
}

/// The fields a mocked context object may have, per object: (name, must be a string) for the
/// fields with a type, `Input` being any value. `Map` is refused on its own.
const CONTEXT_FIELDS: [(&str, &[(&str, ContextField)]); 4] = [
    (
        "Execution",
        &[
            ("Id", ContextField::Text),
            ("Input", ContextField::Any),
            ("Name", ContextField::Text),
            ("RoleArn", ContextField::Text),
            ("StartTime", ContextField::Text),
            ("RedriveCount", ContextField::Integer),
            ("RedriveTime", ContextField::Text),
        ],
    ),
    ("State", &[("EnteredTime", ContextField::Text), ("Name", ContextField::Text), ("RetryCount", ContextField::Integer)]),
    ("StateMachine", &[("Id", ContextField::Text), ("Name", ContextField::Text)]),
    ("Task", &[("Token", ContextField::Text)]),
];

#[derive(Clone, Copy)]
enum ContextField {
    Text,
    Integer,
    Any,
}

/// A mocked context object as AWS checks it (its refusals, recorded in LocalStack's
/// `test_state_context_object` snapshots: "Invalid Context object provided: Execution.Id must
/// be a string", "... Field 'pokemon' is not allowed", "... 'Map' field is not supported when
/// mocking a Context object", "... Context object contains 'Task' when state is not a Task
/// state with a '.sync' or '.waitForTaskToken' service integration pattern").
fn check_context(context: &Value, state: &CompiledState) -> Result<(), RequestError> {
    let refuse = |what: String| Err(RequestError::at("/context", format!("Invalid Context object provided: {what}")));
    let Some(object) = context.as_object() else { return Ok(()) };
    for (name, value) in object {
        if name == "Map" {
            return refuse("'Map' field is not supported when mocking a Context object".into());
        }
        let Some((_, fields)) = CONTEXT_FIELDS.iter().find(|(n, _)| n == name) else {
            return refuse(format!("Field '{name}' is not allowed"));
        };
        let Some(inner) = value.as_object() else {
            return refuse(format!("{name} must be an object"));
        };
        for (field, value) in inner {
            let Some((_, kind)) = fields.iter().find(|(f, _)| f == field) else {
                return refuse(format!("Field '{field}' is not allowed"));
            };
            match kind {
                ContextField::Text if !value.is_string() => return refuse(format!("{name}.{field} must be a string")),
                ContextField::Integer if !(value.is_i64() || value.is_u64()) => return refuse(format!("{name}.{field} must be an integer")),
                _ => {}
            }
        }
    }
    let waits = matches!(&state.action, Action::Task(spec) if spec.integration != Integration::RequestResponse);
    if object.contains_key("Task") && !waits {
        return refuse("Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern".into());
    }
    Ok(())
}

fn kind_of(state: &CompiledState) -> String {
    match &state.action {
        Action::Task(spec) if spec.target == TaskTarget::Other => "activity Task".into(),
        Action::Task(spec) if spec.integration == Integration::Sync => ".sync Task".into(),
        Action::Task(_) => ".waitForTaskToken Task".into(),
        _ => state.state_type.name().into(),
    }
}

fn check_configuration(configuration: &StateConfiguration, state: &CompiledState, located: &Located, mock: Option<&Mock>) -> Result<(), RequestError> {
    let at = |field: &str| format!("/stateConfiguration/{field}");
    if configuration.retrier_retry_count.is_some() && state.retriers.is_empty() {
        return Err(RequestError::at(at("retrierRetryCount"), "the state has no Retry"));
    }
    if configuration.map_iteration_failure_count.is_some() && state.state_type != StateType::Map {
        return Err(RequestError::at(at("mapIterationFailureCount"), "only a Map state has iterations"));
    }
    if configuration.map_item_reader_data.is_some() && !located.state.contains_key("ItemReader") {
        return Err(RequestError::at(at("mapItemReaderData"), "only a Map state with an ItemReader reads items"));
    }
    if let Some(name) = &configuration.error_caused_by_state {
        let mocked_error = mock.is_some_and(|m| matches!(m.outcome, MockOutcome::Error { .. }));
        if !matches!(state.state_type, StateType::Map | StateType::Parallel) || !mocked_error {
            return Err(RequestError::at(at("errorCausedByState"), "errorCausedByState is for a Map or Parallel state with a mocked errorOutput"));
        }
        if !walk::json::nested(&located.state, Reach::Written).into_iter().any(|(_, s)| find_state(s, name, false).is_some()) {
            return Err(RequestError::at(at("errorCausedByState"), format!("the state has no state named '{name}' inside")));
        }
    }
    Ok(())
}

/// The items a Map's ItemReader reads from `mapItemReaderData` (`InputType` JSON: an array;
/// JSONL: one value a line). A Map with an ItemReader and no data reads none.
fn reader_items(configuration: &StateConfiguration, located: &Located) -> Result<Option<Vec<Value>>, RequestError> {
    let Some(reader) = located.state.get("ItemReader") else { return Ok(None) };
    let pointer = "/stateConfiguration/mapItemReaderData";
    let Some(text) = &configuration.map_item_reader_data else { return Ok(Some(Vec::new())) };
    let input_type = reader.pointer("/ReaderConfig/InputType").and_then(Value::as_str).unwrap_or("JSON");
    match input_type {
        "JSON" => match parse_text(text, pointer, "the item reader's data")? {
            Value::Array(items) => Ok(Some(items)),
            _ => Err(RequestError::at(pointer, "an ItemReader of InputType JSON reads a JSON array")),
        },
        "JSONL" => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|line| parse_text(line, pointer, "a line of the item reader's data"))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        other => Err(RequestError::at(pointer, format!("an ItemReader of InputType {other} is not read offline yet (JSON and JSONL are)"))),
    }
}

/// The Task's outcome, whatever it calls: the mock.
struct MockHandler {
    outcome: Result<Value, StatesError>,
}

impl TaskHandler for MockHandler {
    fn invoke(&mut self, _request: &TaskRequest, _context: &mut TaskContext) -> Result<Value, StatesError> {
        self.outcome.clone()
    }

    /// The mock is the service's whole response: a `lambda:invoke` result is not wrapped again.
    fn returns_service_response(&self) -> bool {
        true
    }
}

/// The handlers the state calls: the mock, else the simulator's (the seed's Lambdas and the
/// built-in integrations over an empty store) with those `functions` adds.
fn handlers(state: &CompiledState, mock: Option<&Result<Value, StatesError>>, functions: &dyn Fn(&mut HandlerRegistry)) -> HandlerRegistry {
    let mut registry = crate::handlers::seed_registry();
    services::register(&mut registry, &services::SharedStore::default());
    functions(&mut registry);
    if let (Some(outcome), Action::Task(_)) = (mock, &state.action) {
        registry.register(state.name.to_string(), MockHandler { outcome: outcome.clone() });
    }
    registry
}

/// Runs the isolated machine until the tested state has left (to its Next, a catcher's Next or
/// the end), been retried past the configured count, or failed.
fn run(request: &TestStateRequest, program: Arc<Program>, setup: Setup, functions: &dyn Fn(&mut HandlerRegistry)) -> TestStateResponse {
    let start = program.scopes[0].start;
    let state = program.state(ScopeId::TOP, start);
    let mut config = ExecutionConfig { quiet: true, ..ExecutionConfig::default() };
    if let Some(role) = &request.role_arn {
        config.role_arn = role.clone();
    }
    let registry = handlers(state, setup.mock.as_ref(), functions);
    let mut execution = Execution::start_isolated(
        program.clone(),
        setup.input.clone(),
        Box::new(VirtualClock::default()),
        registry,
        config,
        setup.isolation,
        setup.variables.clone(),
    );
    execution.enable_trace();
    let mut ended = Ended::Runaway;
    for _ in 0..MAX_STEPS {
        let step = execution.step();
        let trace = execution.trace();
        if trace.iter().filter(|e| e.stage == Stage::Retry).count() > setup.retry_count as usize {
            ended = Ended::Retriable;
            break;
        }
        if trace.iter().any(|e| matches!(e.stage, Stage::Output | Stage::Caught)) || step == StepOutcome::Finished {
            ended = Ended::Left;
            break;
        }
        if step == StepOutcome::AwaitingCallback {
            // `.waitForTaskToken`: the callback brings the mock.
            let outcome = setup.mock.clone().unwrap_or_else(|| Err(StatesError::new("States.Runtime", "no mock to answer the callback")));
            for token in execution.pending_task_tokens() {
                match &outcome {
                    Ok(value) => execution.send_task_success(&token, value.clone()),
                    Err(error) => execution.send_task_failure(&token, error.clone()),
                };
            }
        }
    }
    let outcome = Outcome::read(&execution, state, ended, setup.retry_count);
    let map_settings = execution.isolation().and_then(|i| i.map_settings);
    let variables = execution.top_level_variables();
    let visit = inspect::Visit {
        state,
        input: &setup.input,
        entries: outcome.attempt,
        mocked_children: setup.mock.is_some() && matches!(state.state_type, StateType::Map | StateType::Parallel),
        map_settings,
        variables: (!variables.is_empty()).then(|| Value::Object(variables.clone())),
        error_details: outcome.details,
        context: setup.context.as_ref(),
        given_variables: &setup.variables,
    };
    TestStateResponse {
        status: outcome.status,
        output: outcome.output,
        error: outcome.error.as_ref().and_then(|e| e.error.clone()),
        cause: outcome.error.as_ref().and_then(|e| e.cause.as_deref().map(|c| without_state_prefix(c, &state.name))),
        next_state: outcome.next_state,
        inspection_data: inspect::inspection_data(request.level(), &visit),
    }
}

/// How the stepping stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// A retry past `retrierRetryCount` was scheduled.
    Retriable,
    /// The state left (or the execution ended).
    Left,
    /// [`MAX_STEPS`] ran out.
    Runaway,
}

/// What the run came to, read from the trace and the execution's status.
struct Outcome<'t> {
    status: TestStatus,
    output: Option<Value>,
    error: Option<StatesError>,
    next_state: Option<String>,
    details: Option<ErrorDetails>,
    /// The trace of the last attempt (after the simulated earlier ones).
    attempt: &'t [TraceEntry],
}

impl<'t> Outcome<'t> {
    fn read(execution: &'t Execution, state: &CompiledState, ended: Ended, retry_count: u32) -> Outcome<'t> {
        let trace = execution.trace();
        // The attempt tested starts after the `retry_count` retries simulated before it (or
        // after the last one made, when the Retrier allowed fewer).
        let retries: Vec<usize> = trace.iter().enumerate().filter(|(_, e)| e.stage == Stage::Retry).map(|(i, _)| i).collect();
        let from = match retry_count as usize {
            0 => 0,
            n => retries.get(n - 1).or(retries.last()).map_or(0, |i| i + 1),
        };
        let attempt = &trace[from..];
        let raised = attempt.iter().find(|e| e.stage == Stage::Error).map(|e| error_of(&e.value));
        let on_task = state.state_type == StateType::Task;
        let retriable = matches!(state.state_type, StateType::Task | StateType::Parallel | StateType::Map);
        let retry_index = raised
            .as_ref()
            .filter(|_| retriable)
            .and_then(|e| state.retriers.iter().position(|r| r.error_equals.iter().any(|p| e.matches(p, on_task))));
        let mut outcome = Outcome { status: TestStatus::Failed, output: None, error: raised.clone(), next_state: None, details: None, attempt };
        if ended == Ended::Retriable {
            let retry = attempt.iter().find(|e| e.stage == Stage::Retry);
            let delay = retry.and_then(|e| e.value.get("delaySeconds")).and_then(Value::as_f64).unwrap_or(0.0);
            outcome.status = TestStatus::Retriable;
            outcome.details = Some(ErrorDetails {
                retry_index: retry.and_then(|e| e.value.get("retrier")).and_then(Value::as_u64).map(|i| i as usize).or(retry_index),
                retry_backoff_interval_seconds: Some(delay.round().max(0.0) as u64),
                catch_index: None,
            });
            return outcome;
        }
        outcome.details = retry_index.map(|i| ErrorDetails { retry_index: Some(i), ..ErrorDetails::default() });
        if let Some(caught) = attempt.iter().find(|e| e.stage == Stage::Caught) {
            let catch_index = raised
                .as_ref()
                .and_then(|e| state.catchers.iter().position(|c| c.error_equals.iter().any(|p| e.matches(p, on_task))));
            outcome.status = TestStatus::CaughtError;
            outcome.output = Some(Value::clone(&caught.value));
            outcome.next_state = execution.state_about_to_enter().map(str::to_string);
            outcome.details = Some(ErrorDetails { catch_index, ..outcome.details.unwrap_or_default() });
            return outcome;
        }
        if let Some(output) = attempt.iter().rev().find(|e| e.stage == Stage::Output) {
            outcome.status = TestStatus::Succeeded;
            outcome.output = Some(Value::clone(&output.value));
            outcome.error = None;
            outcome.next_state = execution.state_about_to_enter().map(str::to_string);
            return outcome;
        }
        outcome.error = match execution.status() {
            ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => Some(e.clone()),
            ExecutionStatus::Succeeded { .. } => raised,
            ExecutionStatus::Running => Some(StatesError::new(
                "States.Runtime",
                match ended {
                    Ended::Runaway => "The state did not finish.",
                    _ => "The state is still running.",
                },
            )),
        };
        outcome
    }
}

/// A trace's `{"Error", "Cause"}` as an error.
fn error_of(value: &Value) -> StatesError {
    StatesError::named(
        value.get("Error").and_then(Value::as_str).map(str::to_string),
        value.get("Cause").and_then(Value::as_str).map(str::to_string),
    )
}

/// A cause without the interpreter's "An error occurred while executing the state 'S' (entered
/// at the event id #N). ": TestState runs no execution, so AWS gives no event id.
pub fn without_state_prefix(cause: &str, state: &str) -> String {
    let head = format!("An error occurred while executing the state '{state}' (entered at the event id #");
    cause
        .strip_prefix(&head)
        .and_then(|rest| rest.split_once("). "))
        .map_or_else(|| cause.to_string(), |(_, message)| message.to_string())
}

#[cfg(test)]
mod tests;
