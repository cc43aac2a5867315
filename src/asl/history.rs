//! An execution's history: [`HistoryEvent`]s with AWS's event type names, ids,
//! `previousEventId`, virtual timestamps and detail objects with AWS's field names.
//!
//! Recording is cheap: payloads are shared (`Payload`) with the interpreter, names are shared
//! `Arc<str>`, and the AWS JSON shape is only built when asked for ([`HistoryEvent::to_json`]).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::model::StateType;
use crate::asl::value::Payload;

/// One event of an execution's history. Serde: the engine worker sends recorded runs to the page
/// (`sim::protocol`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEvent {
    /// 1-based, in recording order.
    pub id: u64,
    /// The event this one follows in its branch or iteration (0 for the first).
    pub previous_event_id: u64,
    /// Virtual time of the event.
    pub timestamp: Millis,
    /// What happened.
    pub kind: EventKind,
}

/// Which service a Task event is about (`resourceType`) and its resource (`resource`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TaskResource {
    /// `lambda`, `sns`, `sqs`, `dynamodb`, ...
    pub resource_type: Arc<str>,
    /// `invoke`, `publish`, `getItem`, ...
    pub resource: Arc<str>,
}

/// What an event records. One variant per AWS event type (state entered/exited events share a
/// variant and carry their state type). It crosses to the page as one flat object ([`KindWire`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(into = "KindWire", try_from = "KindWire")]
pub enum EventKind {
    ExecutionStarted { input: Payload, role_arn: Arc<str> },
    ExecutionSucceeded { output: Payload },
    ExecutionFailed { error: Option<String>, cause: Option<String> },
    ExecutionTimedOut { error: Option<String>, cause: Option<String> },
    ExecutionAborted { error: Option<String>, cause: Option<String> },
    /// RedriveExecution restarted the execution from the state that did not succeed; how many
    /// times it has been redriven (1 the first time).
    ExecutionRedriven { redrive_count: u32 },
    /// `PassStateEntered`, `TaskStateEntered`, ...
    StateEntered { state_type: StateType, name: Arc<str>, input: Payload },
    /// `PassStateExited`, `TaskStateExited`, ...; `assigned`: the variables the state's Assign
    /// set (its `assignedVariables`), when it set any.
    StateExited { state_type: StateType, name: Arc<str>, output: Payload, assigned: Option<Arc<Map<String, Value>>> },
    TaskScheduled {
        task: TaskResource,
        region: Arc<str>,
        parameters: Payload,
        timeout_seconds: Option<u64>,
        heartbeat_seconds: Option<u64>,
    },
    TaskStarted { task: TaskResource },
    TaskSubmitted { task: TaskResource, output: Payload },
    TaskSucceeded { task: TaskResource, output: Payload },
    TaskFailed { task: TaskResource, error: Option<String>, cause: Option<String> },
    /// `heartbeat`: the task missed a heartbeat rather than its TimeoutSeconds. AWS names both
    /// `States.Timeout` and does not say which (`timeouts/test_heartbeats`); kept for the
    /// simulator's coverage, never written out.
    TaskTimedOut { task: TaskResource, error: Option<String>, cause: Option<String>, heartbeat: bool },
    LambdaFunctionScheduled { resource: Arc<str>, input: Payload, timeout_seconds: Option<u64> },
    LambdaFunctionStarted,
    LambdaFunctionSucceeded { output: Payload },
    LambdaFunctionFailed { error: Option<String>, cause: Option<String> },
    LambdaFunctionTimedOut { error: Option<String>, cause: Option<String> },
    MapStateStarted { length: usize },
    MapStateSucceeded,
    MapStateFailed,
    MapStateAborted,
    MapIterationStarted { name: Arc<str>, index: usize },
    MapIterationSucceeded { name: Arc<str>, index: usize },
    MapIterationFailed { name: Arc<str>, index: usize },
    MapIterationAborted { name: Arc<str>, index: usize },
    /// A Distributed Map started its Map Run (its children run as executions of their own,
    /// whose events are not in this history).
    MapRunStarted { map_run_arn: Arc<str> },
    MapRunSucceeded,
    MapRunFailed { error: Option<String>, cause: Option<String> },
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    ParallelStateAborted,
    /// A JSONata expression failed (`States.QueryEvaluationError`): recorded before the state
    /// fails; `location` names the field (`Output/a`, `Items`), absent when no field is to blame.
    EvaluationFailed { error: String, cause: String, location: Option<String>, state: Arc<str> },
}

/// An [`EventKind`] on the wire: the variant's name and every field any variant has, those of
/// other variants absent. serde's derived code for a 35-variant enum (a visitor per variant) was
/// the largest single function in the page's wasm (44 KB before wasm-opt); one flat struct and
/// the two matches below are a fraction of it. A payload absent or `null` reads as `null`.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct KindWire {
    event: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    state_type: Option<StateType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<Payload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<Payload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    assigned: Option<Arc<Map<String, Value>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cause: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    role_arn: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    task: Option<TaskResource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Arc<str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<Payload>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout_seconds: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    heartbeat_seconds: Option<u64>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    heartbeat: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<String>,
}

impl From<EventKind> for KindWire {
    fn from(kind: EventKind) -> KindWire {
        use EventKind as K;
        let event = kind.variant().to_string();
        let w = KindWire { event, ..KindWire::default() };
        let errors = |w: KindWire, error, cause| KindWire { error, cause, ..w };
        match kind {
            K::ExecutionStarted { input, role_arn } => KindWire { input: Some(input), role_arn: Some(role_arn), ..w },
            K::ExecutionSucceeded { output } | K::LambdaFunctionSucceeded { output } => KindWire { output: Some(output), ..w },
            K::ExecutionFailed { error, cause }
            | K::ExecutionTimedOut { error, cause }
            | K::ExecutionAborted { error, cause }
            | K::LambdaFunctionFailed { error, cause }
            | K::LambdaFunctionTimedOut { error, cause }
            | K::MapRunFailed { error, cause } => errors(w, error, cause),
            K::ExecutionRedriven { redrive_count } => KindWire { count: Some(u64::from(redrive_count)), ..w },
            K::StateEntered { state_type, name, input } => KindWire { state_type: Some(state_type), name: Some(name), input: Some(input), ..w },
            K::StateExited { state_type, name, output, assigned } => {
                KindWire { state_type: Some(state_type), name: Some(name), output: Some(output), assigned, ..w }
            }
            K::TaskScheduled { task, region, parameters, timeout_seconds, heartbeat_seconds } => {
                KindWire { task: Some(task), region: Some(region), parameters: Some(parameters), timeout_seconds, heartbeat_seconds, ..w }
            }
            K::TaskStarted { task } => KindWire { task: Some(task), ..w },
            K::TaskSubmitted { task, output } | K::TaskSucceeded { task, output } => KindWire { task: Some(task), output: Some(output), ..w },
            K::TaskFailed { task, error, cause } => KindWire { task: Some(task), ..errors(w, error, cause) },
            K::TaskTimedOut { task, error, cause, heartbeat } => KindWire { task: Some(task), heartbeat, ..errors(w, error, cause) },
            K::LambdaFunctionScheduled { resource, input, timeout_seconds } => KindWire { name: Some(resource), input: Some(input), timeout_seconds, ..w },
            K::MapStateStarted { length } => KindWire { count: Some(length as u64), ..w },
            K::MapIterationStarted { name, index }
            | K::MapIterationSucceeded { name, index }
            | K::MapIterationFailed { name, index }
            | K::MapIterationAborted { name, index } => KindWire { name: Some(name), count: Some(index as u64), ..w },
            K::MapRunStarted { map_run_arn } => KindWire { name: Some(map_run_arn), ..w },
            K::EvaluationFailed { error, cause, location, state } => KindWire { name: Some(state), location, ..errors(w, Some(error), Some(cause)) },
            K::LambdaFunctionStarted
            | K::MapStateSucceeded
            | K::MapStateFailed
            | K::MapStateAborted
            | K::MapRunSucceeded
            | K::ParallelStateStarted
            | K::ParallelStateSucceeded
            | K::ParallelStateFailed
            | K::ParallelStateAborted => w,
        }
    }
}

impl TryFrom<KindWire> for EventKind {
    type Error = String;

    fn try_from(w: KindWire) -> Result<EventKind, String> {
        use EventKind as K;
        let payload = |v: Option<Payload>| v.unwrap_or_else(|| Payload::new(Value::Null));
        let missing = |what: &str| format!("a {} event without its {what}", w.event);
        let name = w.name.clone().ok_or_else(|| missing("name"));
        let state_type = w.state_type.ok_or_else(|| missing("state type"));
        let task = w.task.clone().ok_or_else(|| missing("task"));
        let count = w.count.ok_or_else(|| missing("count"));
        let (error, cause) = (w.error, w.cause);
        Ok(match w.event.as_str() {
            "ExecutionStarted" => K::ExecutionStarted { input: payload(w.input), role_arn: w.role_arn.unwrap_or_else(|| "".into()) },
            "ExecutionSucceeded" => K::ExecutionSucceeded { output: payload(w.output) },
            "ExecutionFailed" => K::ExecutionFailed { error, cause },
            "ExecutionTimedOut" => K::ExecutionTimedOut { error, cause },
            "ExecutionAborted" => K::ExecutionAborted { error, cause },
            "ExecutionRedriven" => K::ExecutionRedriven { redrive_count: count? as u32 },
            "StateEntered" => K::StateEntered { state_type: state_type?, name: name?, input: payload(w.input) },
            "StateExited" => K::StateExited { state_type: state_type?, name: name?, output: payload(w.output), assigned: w.assigned },
            "TaskScheduled" => K::TaskScheduled {
                task: task?,
                region: w.region.unwrap_or_else(|| "".into()),
                parameters: payload(w.parameters),
                timeout_seconds: w.timeout_seconds,
                heartbeat_seconds: w.heartbeat_seconds,
            },
            "TaskStarted" => K::TaskStarted { task: task? },
            "TaskSubmitted" => K::TaskSubmitted { task: task?, output: payload(w.output) },
            "TaskSucceeded" => K::TaskSucceeded { task: task?, output: payload(w.output) },
            "TaskFailed" => K::TaskFailed { task: task?, error, cause },
            "TaskTimedOut" => K::TaskTimedOut { task: task?, error, cause, heartbeat: w.heartbeat },
            "LambdaFunctionScheduled" => K::LambdaFunctionScheduled { resource: name?, input: payload(w.input), timeout_seconds: w.timeout_seconds },
            "LambdaFunctionStarted" => K::LambdaFunctionStarted,
            "LambdaFunctionSucceeded" => K::LambdaFunctionSucceeded { output: payload(w.output) },
            "LambdaFunctionFailed" => K::LambdaFunctionFailed { error, cause },
            "LambdaFunctionTimedOut" => K::LambdaFunctionTimedOut { error, cause },
            "MapStateStarted" => K::MapStateStarted { length: count? as usize },
            "MapStateSucceeded" => K::MapStateSucceeded,
            "MapStateFailed" => K::MapStateFailed,
            "MapStateAborted" => K::MapStateAborted,
            "MapIterationStarted" => K::MapIterationStarted { name: name?, index: count? as usize },
            "MapIterationSucceeded" => K::MapIterationSucceeded { name: name?, index: count? as usize },
            "MapIterationFailed" => K::MapIterationFailed { name: name?, index: count? as usize },
            "MapIterationAborted" => K::MapIterationAborted { name: name?, index: count? as usize },
            "MapRunStarted" => K::MapRunStarted { map_run_arn: name? },
            "MapRunSucceeded" => K::MapRunSucceeded,
            "MapRunFailed" => K::MapRunFailed { error, cause },
            "ParallelStateStarted" => K::ParallelStateStarted,
            "ParallelStateSucceeded" => K::ParallelStateSucceeded,
            "ParallelStateFailed" => K::ParallelStateFailed,
            "ParallelStateAborted" => K::ParallelStateAborted,
            "EvaluationFailed" => K::EvaluationFailed { error: error.unwrap_or_default(), cause: cause.unwrap_or_default(), location: w.location, state: name? },
            other => return Err(format!("unknown history event {other:?}")),
        })
    }
}

/// How AWS links an event to an earlier one (its `previousEventId`), and what the state's next
/// event links to. Read from the recorded histories (`tests/fixtures/conformance`): see
/// [`EventKind::link`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// The event follows the last event of its branch or iteration, and the next one follows it.
    Chain,
    /// The event follows the last event of its iteration, and the next event follows that same
    /// event, as if this one were not there (MapIterationSucceeded/Failed: after iteration 0's
    /// last event #6 and MapIterationSucceeded #7, MapIterationStarted #8 follows #6).
    Aside,
    /// The event follows the last event recorded anywhere, and the state's next event follows
    /// that same event (MapStateSucceeded/ParallelStateSucceeded: #8 follows #7, then
    /// MapStateExited #9 follows #7).
    AsideOfLast,
    /// The event follows the event that the state's StateEntered followed (EvaluationFailed in
    /// a Pass or Map: MapStateEntered #4 follows #3, and so does EvaluationFailed #5; at the
    /// first state, 0). See [`evaluation_failed_link`].
    AsEntered,
}

/// How EvaluationFailed links in a state of type `state_type`. The recordings show it following
/// the event its state's StateEntered followed in Pass (Output) and Map (Items) states, but
/// following WaitStateEntered itself in Wait states (Timestamp): a Wait evaluates its time once
/// entered, the other states before their entry is linked.
pub fn evaluation_failed_link(state_type: StateType) -> Link {
    match state_type {
        StateType::Wait => Link::Chain,
        _ => Link::AsEntered,
    }
}

impl EventKind {
    /// How AWS links this event ([`Link`]).
    pub fn link(&self) -> Link {
        match self {
            EventKind::MapIterationSucceeded { .. } | EventKind::MapIterationFailed { .. } => Link::Aside,
            EventKind::MapStateSucceeded | EventKind::ParallelStateSucceeded => Link::AsideOfLast,
            // Depends on the state: [`evaluation_failed_link`].
            EventKind::EvaluationFailed { .. } => Link::AsEntered,
            _ => Link::Chain,
        }
    }

    /// AWS's event type name: `ExecutionStarted`, `PassStateEntered`, `MapIterationFailed`, ...
    pub fn type_name(&self) -> &'static str {
        match self {
            EventKind::ExecutionStarted { .. } => "ExecutionStarted",
            EventKind::ExecutionSucceeded { .. } => "ExecutionSucceeded",
            EventKind::ExecutionFailed { .. } => "ExecutionFailed",
            EventKind::ExecutionTimedOut { .. } => "ExecutionTimedOut",
            EventKind::ExecutionAborted { .. } => "ExecutionAborted",
            EventKind::ExecutionRedriven { .. } => "ExecutionRedriven",
            EventKind::StateEntered { state_type, .. } => entered_name(*state_type),
            EventKind::StateExited { state_type, .. } => exited_name(*state_type),
            EventKind::TaskScheduled { .. } => "TaskScheduled",
            EventKind::TaskStarted { .. } => "TaskStarted",
            EventKind::TaskSubmitted { .. } => "TaskSubmitted",
            EventKind::TaskSucceeded { .. } => "TaskSucceeded",
            EventKind::TaskFailed { .. } => "TaskFailed",
            EventKind::TaskTimedOut { .. } => "TaskTimedOut",
            EventKind::LambdaFunctionScheduled { .. } => "LambdaFunctionScheduled",
            EventKind::LambdaFunctionStarted => "LambdaFunctionStarted",
            EventKind::LambdaFunctionSucceeded { .. } => "LambdaFunctionSucceeded",
            EventKind::LambdaFunctionFailed { .. } => "LambdaFunctionFailed",
            EventKind::LambdaFunctionTimedOut { .. } => "LambdaFunctionTimedOut",
            EventKind::MapStateStarted { .. } => "MapStateStarted",
            EventKind::MapStateSucceeded => "MapStateSucceeded",
            EventKind::MapStateFailed => "MapStateFailed",
            EventKind::MapStateAborted => "MapStateAborted",
            EventKind::MapIterationStarted { .. } => "MapIterationStarted",
            EventKind::MapIterationSucceeded { .. } => "MapIterationSucceeded",
            EventKind::MapIterationFailed { .. } => "MapIterationFailed",
            EventKind::MapIterationAborted { .. } => "MapIterationAborted",
            EventKind::MapRunStarted { .. } => "MapRunStarted",
            EventKind::MapRunSucceeded => "MapRunSucceeded",
            EventKind::MapRunFailed { .. } => "MapRunFailed",
            EventKind::ParallelStateStarted => "ParallelStateStarted",
            EventKind::ParallelStateSucceeded => "ParallelStateSucceeded",
            EventKind::ParallelStateFailed => "ParallelStateFailed",
            EventKind::ParallelStateAborted => "ParallelStateAborted",
            EventKind::EvaluationFailed { .. } => "EvaluationFailed",
        }
    }

    /// The variant's name ([`KindWire`]): [`EventKind::type_name`], but one name for every state
    /// type's entered (exited) event.
    fn variant(&self) -> &'static str {
        match self {
            EventKind::StateEntered { .. } => "StateEntered",
            EventKind::StateExited { .. } => "StateExited",
            other => other.type_name(),
        }
    }

    /// The state name of a state entered/exited event.
    pub fn state_name(&self) -> Option<&str> {
        match self {
            EventKind::StateEntered { name, .. } | EventKind::StateExited { name, .. } => Some(name),
            _ => None,
        }
    }
}

fn entered_name(state_type: StateType) -> &'static str {
    match state_type {
        StateType::Task => "TaskStateEntered",
        StateType::Pass => "PassStateEntered",
        StateType::Wait => "WaitStateEntered",
        StateType::Choice => "ChoiceStateEntered",
        StateType::Parallel => "ParallelStateEntered",
        StateType::Map => "MapStateEntered",
        StateType::Succeed => "SucceedStateEntered",
        StateType::Fail => "FailStateEntered",
    }
}

fn exited_name(state_type: StateType) -> &'static str {
    match state_type {
        StateType::Task => "TaskStateExited",
        StateType::Pass => "PassStateExited",
        StateType::Wait => "WaitStateExited",
        StateType::Choice => "ChoiceStateExited",
        StateType::Parallel => "ParallelStateExited",
        StateType::Map => "MapStateExited",
        StateType::Succeed => "SucceedStateExited",
        StateType::Fail => "FailStateExited",
    }
}

/// A payload as AWS writes it in event details: compact JSON text.
fn payload_text(value: &Value) -> Value {
    Value::String(serde_json::to_string(value).unwrap_or_default())
}

fn error_details(error: &Option<String>, cause: &Option<String>) -> Value {
    let mut map = Map::new();
    if let Some(e) = error {
        map.insert("error".into(), Value::String(e.clone()));
    }
    if let Some(c) = cause {
        map.insert("cause".into(), Value::String(c.clone()));
    }
    Value::Object(map)
}

fn task_error_details(task: &TaskResource, error: &Option<String>, cause: &Option<String>) -> Value {
    let mut details = error_details(error, cause);
    if let Value::Object(map) = &mut details {
        map.insert("resourceType".into(), Value::String(task.resource_type.to_string()));
        map.insert("resource".into(), Value::String(task.resource.to_string()));
    }
    details
}

const NOT_TRUNCATED: fn() -> Value = || json!({"truncated": false});

impl HistoryEvent {
    /// The event as AWS's `GetExecutionHistory` writes it: `timestamp`, `type`, `id`,
    /// `previousEventId` and a `…EventDetails` object whose payloads are JSON strings.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        map.insert("timestamp".into(), Value::String(format_rfc3339(self.timestamp)));
        map.insert("type".into(), Value::String(self.kind.type_name().into()));
        map.insert("id".into(), json!(self.id));
        map.insert("previousEventId".into(), json!(self.previous_event_id));
        if let Some((key, details)) = self.details() {
            map.insert(key.into(), details);
        }
        Value::Object(map)
    }

    /// The details object and its field name, when the event type has one.
    fn details(&self) -> Option<(&'static str, Value)> {
        Some(match &self.kind {
            EventKind::ExecutionStarted { input, role_arn } => (
                "executionStartedEventDetails",
                json!({"input": payload_text(input), "inputDetails": NOT_TRUNCATED(), "roleArn": role_arn.as_ref()}),
            ),
            EventKind::ExecutionSucceeded { output } => (
                "executionSucceededEventDetails",
                json!({"output": payload_text(output), "outputDetails": NOT_TRUNCATED()}),
            ),
            EventKind::ExecutionFailed { error, cause } => ("executionFailedEventDetails", error_details(error, cause)),
            EventKind::ExecutionTimedOut { error, cause } => ("executionTimedOutEventDetails", error_details(error, cause)),
            EventKind::ExecutionAborted { error, cause } => ("executionAbortedEventDetails", error_details(error, cause)),
            EventKind::ExecutionRedriven { redrive_count } => ("executionRedrivenEventDetails", json!({"redriveCount": redrive_count})),
            EventKind::StateEntered { name, input, .. } => (
                "stateEnteredEventDetails",
                json!({"name": name.as_ref(), "input": payload_text(input), "inputDetails": NOT_TRUNCATED()}),
            ),
            EventKind::StateExited { name, output, assigned, .. } => {
                let mut d = json!({"name": name.as_ref(), "output": payload_text(output), "outputDetails": NOT_TRUNCATED()});
                if let Some(assigned) = assigned {
                    // Each value as JSON text, as AWS records them.
                    let texts: Map<String, Value> = assigned.iter().map(|(k, v)| (k.clone(), payload_text(v))).collect();
                    d["assignedVariables"] = Value::Object(texts);
                    d["assignedVariablesDetails"] = NOT_TRUNCATED();
                }
                ("stateExitedEventDetails", d)
            }
            EventKind::TaskScheduled { task, region, parameters, timeout_seconds, heartbeat_seconds } => {
                let mut d = json!({
                    "resourceType": task.resource_type.as_ref(),
                    "resource": task.resource.as_ref(),
                    "region": region.as_ref(),
                    "parameters": payload_text(parameters),
                });
                if let Some(t) = timeout_seconds {
                    d["timeoutInSeconds"] = json!(t);
                }
                if let Some(h) = heartbeat_seconds {
                    d["heartbeatInSeconds"] = json!(h);
                }
                ("taskScheduledEventDetails", d)
            }
            EventKind::TaskStarted { task } => (
                "taskStartedEventDetails",
                json!({"resourceType": task.resource_type.as_ref(), "resource": task.resource.as_ref()}),
            ),
            EventKind::TaskSubmitted { task, output } => (
                "taskSubmittedEventDetails",
                json!({"resourceType": task.resource_type.as_ref(), "resource": task.resource.as_ref(),
                       "output": payload_text(output), "outputDetails": NOT_TRUNCATED()}),
            ),
            EventKind::TaskSucceeded { task, output } => (
                "taskSucceededEventDetails",
                json!({"resourceType": task.resource_type.as_ref(), "resource": task.resource.as_ref(),
                       "output": payload_text(output), "outputDetails": NOT_TRUNCATED()}),
            ),
            EventKind::TaskFailed { task, error, cause } => ("taskFailedEventDetails", task_error_details(task, error, cause)),
            EventKind::TaskTimedOut { task, error, cause, .. } => {
                ("taskTimedOutEventDetails", task_error_details(task, error, cause))
            }
            EventKind::LambdaFunctionScheduled { resource, input, timeout_seconds } => {
                let mut d = json!({"resource": resource.as_ref(), "input": payload_text(input), "inputDetails": NOT_TRUNCATED()});
                if let Some(t) = timeout_seconds {
                    d["timeoutInSeconds"] = json!(t);
                }
                ("lambdaFunctionScheduledEventDetails", d)
            }
            EventKind::LambdaFunctionSucceeded { output } => (
                "lambdaFunctionSucceededEventDetails",
                json!({"output": payload_text(output), "outputDetails": NOT_TRUNCATED()}),
            ),
            EventKind::LambdaFunctionFailed { error, cause } => ("lambdaFunctionFailedEventDetails", error_details(error, cause)),
            EventKind::LambdaFunctionTimedOut { error, cause } => {
                ("lambdaFunctionTimedOutEventDetails", error_details(error, cause))
            }
            EventKind::MapStateStarted { length } => ("mapStateStartedEventDetails", json!({"length": length})),
            EventKind::MapIterationStarted { name, index } => {
                ("mapIterationStartedEventDetails", json!({"name": name.as_ref(), "index": index}))
            }
            EventKind::MapIterationSucceeded { name, index } => {
                ("mapIterationSucceededEventDetails", json!({"name": name.as_ref(), "index": index}))
            }
            EventKind::MapIterationFailed { name, index } => {
                ("mapIterationFailedEventDetails", json!({"name": name.as_ref(), "index": index}))
            }
            EventKind::MapIterationAborted { name, index } => {
                ("mapIterationAbortedEventDetails", json!({"name": name.as_ref(), "index": index}))
            }
            EventKind::MapRunStarted { map_run_arn } => ("mapRunStartedEventDetails", json!({"mapRunArn": map_run_arn.as_ref()})),
            EventKind::MapRunFailed { error, cause } => ("mapRunFailedEventDetails", error_details(error, cause)),
            EventKind::EvaluationFailed { error, cause, location, state } => {
                let mut d = json!({"error": error, "cause": cause, "state": state.as_ref()});
                if let Some(location) = location {
                    d["location"] = json!(location);
                }
                ("evaluationFailedEventDetails", d)
            }
            EventKind::LambdaFunctionStarted
            | EventKind::MapStateSucceeded
            | EventKind::MapStateFailed
            | EventKind::MapStateAborted
            | EventKind::MapRunSucceeded
            | EventKind::ParallelStateStarted
            | EventKind::ParallelStateSucceeded
            | EventKind::ParallelStateFailed
            | EventKind::ParallelStateAborted => return None,
        })
    }
}

/// A whole history as AWS's `{"events": [...]}`.
pub fn history_json(events: &[HistoryEvent]) -> Value {
    json!({"events": events.iter().map(HistoryEvent::to_json).collect::<Vec<_>>()})
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every variant, with its optional parts set and unset, and payloads that are `null`.
    fn every_kind() -> Vec<EventKind> {
        let task = || TaskResource { resource_type: "lambda".into(), resource: "invoke".into() };
        let v = |x: Value| Payload::new(x);
        let e = |s: &str| Some(s.to_string());
        let mut assigned = Map::new();
        assigned.insert("x".into(), json!([1, null]));
        vec![
            EventKind::ExecutionStarted { input: v(json!({"a": 1})), role_arn: "arn:role".into() },
            EventKind::ExecutionStarted { input: v(Value::Null), role_arn: "".into() },
            EventKind::ExecutionSucceeded { output: v(json!("out")) },
            EventKind::ExecutionFailed { error: e("E"), cause: e("C") },
            EventKind::ExecutionFailed { error: None, cause: None },
            EventKind::ExecutionTimedOut { error: e("States.Timeout"), cause: None },
            EventKind::ExecutionAborted { error: None, cause: e("stopped") },
            EventKind::ExecutionRedriven { redrive_count: 3 },
            EventKind::StateEntered { state_type: StateType::Map, name: "M".into(), input: v(Value::Null) },
            EventKind::StateExited { state_type: StateType::Pass, name: "P".into(), output: v(json!(2.5)), assigned: Some(Arc::new(assigned)) },
            EventKind::StateExited { state_type: StateType::Fail, name: "F".into(), output: v(json!({})), assigned: None },
            EventKind::TaskScheduled { task: task(), region: "us-east-1".into(), parameters: v(json!({"p": true})), timeout_seconds: Some(60), heartbeat_seconds: None },
            EventKind::TaskScheduled { task: task(), region: "eu-west-1".into(), parameters: v(Value::Null), timeout_seconds: None, heartbeat_seconds: Some(5) },
            EventKind::TaskStarted { task: task() },
            EventKind::TaskSubmitted { task: task(), output: v(json!([1])) },
            EventKind::TaskSucceeded { task: task(), output: v(json!(null)) },
            EventKind::TaskFailed { task: task(), error: e("Boom"), cause: e("down") },
            EventKind::TaskTimedOut { task: task(), error: e("States.Timeout"), cause: None, heartbeat: true },
            EventKind::TaskTimedOut { task: task(), error: None, cause: None, heartbeat: false },
            EventKind::LambdaFunctionScheduled { resource: "arn:fn".into(), input: v(json!({})), timeout_seconds: Some(3) },
            EventKind::LambdaFunctionStarted,
            EventKind::LambdaFunctionSucceeded { output: v(json!("ok")) },
            EventKind::LambdaFunctionFailed { error: e("E"), cause: e("C") },
            EventKind::LambdaFunctionTimedOut { error: None, cause: e("late") },
            EventKind::MapStateStarted { length: 0 },
            EventKind::MapStateStarted { length: 12 },
            EventKind::MapStateSucceeded,
            EventKind::MapStateFailed,
            EventKind::MapStateAborted,
            EventKind::MapIterationStarted { name: "M".into(), index: 0 },
            EventKind::MapIterationSucceeded { name: "M".into(), index: 7 },
            EventKind::MapIterationFailed { name: "M".into(), index: 1 },
            EventKind::MapIterationAborted { name: "M".into(), index: 2 },
            EventKind::MapRunStarted { map_run_arn: "arn:map-run".into() },
            EventKind::MapRunSucceeded,
            EventKind::MapRunFailed { error: e("States.ExceedToleratedFailureThreshold"), cause: None },
            EventKind::ParallelStateStarted,
            EventKind::ParallelStateSucceeded,
            EventKind::ParallelStateFailed,
            EventKind::ParallelStateAborted,
            EventKind::EvaluationFailed { error: "States.QueryEvaluationError".into(), cause: "c".into(), location: Some("Output/a".into()), state: "S".into() },
            EventKind::EvaluationFailed { error: "E".into(), cause: "".into(), location: None, state: "T".into() },
        ]
    }

    #[test]
    fn every_event_crosses_the_wire_as_it_was() {
        let kinds = every_kind();
        let names: std::collections::BTreeSet<&str> = kinds.iter().map(EventKind::variant).collect();
        assert_eq!(names.len(), 35, "every variant once at least: {names:?}");
        for (i, kind) in kinds.into_iter().enumerate() {
            let event = HistoryEvent { id: i as u64 + 1, previous_event_id: i as u64, timestamp: 1_000 * i as i64, kind };
            let text = serde_json::to_string(&event).unwrap();
            let back: HistoryEvent = crate::asl::json::from_text(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
            assert_eq!(back, event, "{text}");
            let direct: HistoryEvent = serde_json::from_str(&text).unwrap();
            assert_eq!(direct, event, "{text}");
        }
    }

    #[test]
    fn an_event_the_page_does_not_know_is_refused_in_words() {
        let unknown = r#"{"id": 1, "previous_event_id": 0, "timestamp": 0, "kind": {"event": "Teleported"}}"#;
        let error = crate::asl::json::from_text::<HistoryEvent>(unknown).unwrap_err().to_string();
        assert!(error.contains("unknown history event \"Teleported\""), "{error}");
        let nameless = r#"{"id": 1, "previous_event_id": 0, "timestamp": 0, "kind": {"event": "StateEntered", "state_type": "Pass"}}"#;
        let error = crate::asl::json::from_text::<HistoryEvent>(nameless).unwrap_err().to_string();
        assert!(error.contains("a StateEntered event without its name"), "{error}");
    }
}
