//! An execution's history: [`HistoryEvent`]s with AWS's event type names, ids,
//! `previousEventId`, virtual timestamps and detail objects with AWS's field names.
//!
//! Recording is cheap: payloads are shared (`Arc<Value>`) with the interpreter, names are shared
//! `Arc<str>`, and the AWS JSON shape is only built when asked for ([`HistoryEvent::to_json`]).

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::model::StateType;

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
/// variant and carry their state type).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EventKind {
    ExecutionStarted { input: Arc<Value>, role_arn: Arc<str> },
    ExecutionSucceeded { output: Arc<Value> },
    ExecutionFailed { error: Option<String>, cause: Option<String> },
    ExecutionTimedOut { error: Option<String>, cause: Option<String> },
    ExecutionAborted { error: Option<String>, cause: Option<String> },
    /// RedriveExecution restarted the execution from the state that did not succeed; how many
    /// times it has been redriven (1 the first time).
    ExecutionRedriven { redrive_count: u32 },
    /// `PassStateEntered`, `TaskStateEntered`, ...
    StateEntered { state_type: StateType, name: Arc<str>, input: Arc<Value> },
    /// `PassStateExited`, `TaskStateExited`, ...; `assigned`: the variables the state's Assign
    /// set (its `assignedVariables`), when it set any.
    StateExited { state_type: StateType, name: Arc<str>, output: Arc<Value>, assigned: Option<Arc<Map<String, Value>>> },
    TaskScheduled {
        task: TaskResource,
        region: Arc<str>,
        parameters: Arc<Value>,
        timeout_seconds: Option<u64>,
        heartbeat_seconds: Option<u64>,
    },
    TaskStarted { task: TaskResource },
    TaskSubmitted { task: TaskResource, output: Arc<Value> },
    TaskSucceeded { task: TaskResource, output: Arc<Value> },
    TaskFailed { task: TaskResource, error: Option<String>, cause: Option<String> },
    /// `heartbeat`: the task missed a heartbeat rather than its TimeoutSeconds. AWS names both
    /// `States.Timeout` and does not say which (`timeouts/test_heartbeats`); kept for the
    /// simulator's coverage, never written out.
    TaskTimedOut { task: TaskResource, error: Option<String>, cause: Option<String>, heartbeat: bool },
    LambdaFunctionScheduled { resource: Arc<str>, input: Arc<Value>, timeout_seconds: Option<u64> },
    LambdaFunctionStarted,
    LambdaFunctionSucceeded { output: Arc<Value> },
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
