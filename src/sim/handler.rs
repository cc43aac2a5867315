//! Simulated handlers chosen per Task state: the default answer, echo, static JSON, throw an
//! error, fail N times then succeed, a JSONata expression over the input, each with an optional
//! latency. A [`HandlerSet`] is checked and compiled once ([`CompiledHandlers`]) and gives a
//! fresh [`HandlerRegistry`] per execution (fail-N-times counts per execution).
//!
//! The default answer, for a Task nobody configured (zero configuration: paste, Run):
//! 1. a seed Lambda by its function name: the seed's handler;
//! 2. SNS `publish`, SQS `sendMessage`, DynamoDB `getItem`/`putItem`/`updateItem`/`deleteItem`
//!    (optimized and `aws-sdk:`, with the SDK's `query`, `scan`, `batchGetItem`,
//!    `batchWriteItem`, `transactWriteItems`), S3 `getObject`/`putObject`/`listObjectsV2`: the
//!    stateful [`services`] over a store fresh
//!    per execution (or the caller's, [`CompiledHandlers::registry_over`]) whose tables and
//!    buckets exist from their first use;
//! 3. any other resource the service catalogue resolves: [`optimized::default_handler`] (the
//!    `lambda:invoke` envelope around the echoed payload, optimized integrations as AWS returns
//!    them, `aws-sdk:` calls shaped from the operation's output, `.sync` jobs finished);
//! 4. a Lambda function ARN nobody simulates: its input back (its result cannot be known);
//! 5. what the catalogue cannot resolve (an activity, a service the catalogue of this build
//!    lacks): its input back, with a line in the run's log saying why (the HTTP Task and
//!    `apigateway:invoke` answer in the HTTP Task's shape instead, with a 200 status).
//!
//! Answers 3 and 4 then take what the workflow reads from them ([`downstream`]): a function's
//! payload (a Lambda function's result, `lambda:invoke`'s `Payload`) gains the fields its
//! `ResultSelector`, the Choice after it and later states read, with the values that send the
//! Choice down the branch that moves on; a service keeps its answer's shape and only reports the
//! status a Choice waits for (`StackStatus` `UPDATE_COMPLETE`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::catalogue::Catalogue;
use crate::sim::downstream::{self, Expectation};
use crate::sim::suite::paths::Step;
use crate::handlers::services::{self, ServiceStore, SharedStore};
use crate::handlers::{Echo, FailTimesThenSucceed, HandlerRegistry, StaticResult, TaskContext, TaskHandler, TaskRequest, Throw, WithLatency, optimized, seed};
use crate::asl::interp::program::{Action, TaskTarget};
use crate::asl::interp::{Program, StatesError};
use crate::asl::jsonata::{Dialect, Environment, Expression};
use crate::asl::path::NoVariables;
use crate::asl::value::Payload;

/// What a Task's simulated handler does. Written as serde's internally tagged form
/// (`{"kind": "throw", "error": ...}`) and read back by hand ([`tagged`]): serde's derived reader
/// for an internally tagged enum buffers the object first (its private `Content`), and that
/// machinery was 35 KB of the page's wasm for these two enums alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HandlerChoice {
    /// The default answer: the seed's Lambda of the task's function name, else the stateful
    /// services or the catalogue's answer (see the module's documentation).
    Seed,
    Echo,
    /// Returns this JSON text.
    Static { json: String },
    Throw {
        error: String,
        #[serde(default)]
        cause: String,
    },
    /// Fails `times` times with `error`, then gives the default answer ([`HandlerChoice::Seed`]),
    /// or the JSON text `then` when there is one (a generated suite's retry of a Task whose
    /// default answer its `ResultSelector` cannot read).
    FailThenSucceed {
        times: u32,
        error: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        then: Option<String>,
    },
    /// A JSONata expression over the task's input (`$`).
    Jsonata { expression: String },
    /// Parks the task until a callback (the state must use `.waitForTaskToken`): no handler
    /// result is used; success or failure comes from the user, or, when `answer` says what it
    /// is, from the simulator once the task waits (a batch or a suite, which nobody answers).
    Callback {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        answer: Option<CallbackAnswer>,
    },
}

/// What a callback answers, given in advance ([`HandlerChoice::Callback`]); read back by hand
/// like [`HandlerChoice`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "with", rename_all = "snake_case")]
pub enum CallbackAnswer {
    /// SendTaskSuccess with this JSON text as the output.
    Success { output: String },
    /// SendTaskFailure with this error and cause.
    Failure {
        error: String,
        #[serde(default)]
        cause: String,
    },
    /// SendTaskFailure with `error` to the first `times` tokens of the state, SendTaskSuccess
    /// with `output` after (a retried callback that then succeeds).
    FailuresThenSuccess { times: u32, error: String, output: String },
    /// Nobody answers: time runs on until the task's TimeoutSeconds or missed HeartbeatSeconds
    /// ends the wait; with `heartbeats`, SendTaskHeartbeat is sent in time, so only the timeout can.
    Silence {
        #[serde(default)]
        heartbeats: bool,
    },
}

/// Reading [`HandlerChoice`] and [`CallbackAnswer`] as serde's derived code for an internally
/// tagged enum would, with its words for what is wrong (`missing field `kind``, `unknown variant
/// `thro`, expected one of ...`, `invalid type: integer `1`, expected a string`): the object is
/// read into a `serde_json::Value`, its tag picks the variant, and each field is read from its
/// value. Fields the variant does not have are ignored, as the derived code ignores them.
mod tagged {
    use serde::de::{DeserializeOwned, Error as _};
    use serde_json::{Error, Map, Value};

    use super::{CallbackAnswer, HandlerChoice};

    const KINDS: &[&str] = &["seed", "echo", "static", "throw", "fail_then_succeed", "jsonata", "callback"];
    const WITHS: &[&str] = &["success", "failure", "failures_then_success", "silence"];

    /// An object's fields, taken one by one.
    struct Fields(Map<String, Value>);

    impl Fields {
        fn of(value: Value, what: &'static str) -> Result<Fields, Error> {
            match value {
                Value::Object(map) => Ok(Fields(map)),
                other => Err(Error::invalid_type(crate::asl::json::unexpected(&other), &what)),
            }
        }

        /// The tag, one of `names`.
        fn tag(&mut self, tag: &'static str, names: &'static [&'static str]) -> Result<String, Error> {
            let name: String = self.required(tag)?;
            if names.contains(&name.as_str()) { Ok(name) } else { Err(Error::unknown_variant(&name, names)) }
        }

        fn required<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, Error> {
            match self.0.remove(name) {
                Some(value) => crate::asl::json::from_value(value),
                None => Err(Error::missing_field(name)),
            }
        }

        /// A field with a default (`#[serde(default)]`), or an `Option` (absent: `None`).
        fn or_default<T: DeserializeOwned + Default>(&mut self, name: &'static str) -> Result<T, Error> {
            self.0.remove(name).map_or_else(|| Ok(T::default()), crate::asl::json::from_value)
        }
    }

    pub(super) fn choice(value: Value) -> Result<HandlerChoice, Error> {
        let mut f = Fields::of(value, "internally tagged enum HandlerChoice")?;
        Ok(match f.tag("kind", KINDS)?.as_str() {
            "seed" => HandlerChoice::Seed,
            "echo" => HandlerChoice::Echo,
            "static" => HandlerChoice::Static { json: f.required("json")? },
            "throw" => HandlerChoice::Throw { error: f.required("error")?, cause: f.or_default("cause")? },
            "fail_then_succeed" => HandlerChoice::FailThenSucceed { times: f.required("times")?, error: f.required("error")?, then: f.or_default("then")? },
            "jsonata" => HandlerChoice::Jsonata { expression: f.required("expression")? },
            _ => HandlerChoice::Callback {
                answer: match f.0.remove("answer") {
                    None | Some(Value::Null) => None,
                    Some(answer) => Some(callback(answer)?),
                },
            },
        })
    }

    pub(super) fn callback(value: Value) -> Result<CallbackAnswer, Error> {
        let mut f = Fields::of(value, "internally tagged enum CallbackAnswer")?;
        Ok(match f.tag("with", WITHS)?.as_str() {
            "success" => CallbackAnswer::Success { output: f.required("output")? },
            "failure" => CallbackAnswer::Failure { error: f.required("error")?, cause: f.or_default("cause")? },
            "failures_then_success" => CallbackAnswer::FailuresThenSuccess { times: f.required("times")?, error: f.required("error")?, output: f.required("output")? },
            _ => CallbackAnswer::Silence { heartbeats: f.or_default("heartbeats")? },
        })
    }
}

impl<'de> Deserialize<'de> for HandlerChoice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::choice(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl<'de> Deserialize<'de> for CallbackAnswer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        tagged::callback(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl HandlerChoice {
    /// A callback the user answers (the page's "wait for callback").
    pub fn callback() -> HandlerChoice {
        HandlerChoice::Callback { answer: None }
    }
}

/// A handler choice and its simulated latency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HandlerSpec {
    pub choice: HandlerChoice,
    #[serde(default)]
    pub latency_ms: u64,
}

impl Default for HandlerSpec {
    fn default() -> Self {
        HandlerSpec { choice: HandlerChoice::Seed, latency_ms: 0 }
    }
}

/// Handler choices by Task state name; a task without one uses [`HandlerChoice::Seed`].
pub type HandlerSet = BTreeMap<String, HandlerSpec>;

/// A Task state of a program: its name and its Lambda function's name, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskInfo {
    pub state: String,
    pub function: Option<String>,
    pub resource: String,
    /// What the workflow reads from its result ([`downstream`]): the shape of its default
    /// answer when nobody simulates it. Empty until [`with_expectations`] fills it.
    pub expects: Expectation,
}

/// Every Task state of the program, branches and iterations included, in program order.
pub fn tasks(program: &Program) -> Vec<TaskInfo> {
    program
        .scopes
        .iter()
        .flat_map(|scope| scope.states.iter())
        .filter_map(|state| match &state.action {
            Action::Task(spec) => Some(TaskInfo {
                state: state.name.to_string(),
                function: match &spec.target {
                    TaskTarget::LambdaFunction { function_name } => Some(function_name.clone()),
                    _ => None,
                },
                resource: spec.resource.to_string(),
                expects: Expectation::default(),
            }),
            _ => None,
        })
        .collect()
}

/// Every Task state of `machine`, branches and iterations included (the processors an
/// execution runs), read from the model alone: what the page lists without compiling the
/// definition (the interpreter is the engine worker's). The same list as [`tasks`] of the
/// compiled program, in the same order.
pub fn tasks_of(machine: &crate::asl::model::StateMachine) -> Vec<TaskInfo> {
    use crate::asl::model::StateKind;
    use crate::asl::walk::{Reach, Walk};
    let walk = Walk::new(machine, Reach::Run);
    let mut found: Vec<(usize, usize, TaskInfo)> = walk
        .by_scope()
        .filter_map(|visit| match &visit.state.kind {
            StateKind::Task(task) => {
                let resource = task.resource.clone().unwrap_or_default();
                Some((visit.scope, visit.index, TaskInfo { state: visit.name.to_string(), function: lambda_function(&resource), resource, expects: Expectation::default() }))
            }
            _ => None,
        })
        .collect();
    // The compiler numbers scopes depth first, as it meets them; the walk, scope by scope.
    let order = compile_order(&walk);
    crate::asl::sort::sort_by_key(&mut found, |(scope, index, _)| (order[*scope], *index));
    found.into_iter().map(|(.., task)| task).collect()
}

/// Each of `walk`'s scopes' place in the compiler's order: a scope, then, state by state, the
/// scopes nested in that state (each with its own nested ones) before the next state's.
fn compile_order(walk: &crate::asl::walk::Walk) -> Vec<usize> {
    fn visit(walk: &crate::asl::walk::Walk, scope: usize, next: &mut usize, order: &mut [usize]) {
        order[scope] = *next;
        *next += 1;
        let mut children: Vec<usize> = (0..walk.scopes.len()).filter(|&c| walk.scopes[c].parent == Some(scope)).collect();
        crate::asl::sort::sort_by_key(&mut children, |&c| walk.scopes[c].enclosing_state);
        for c in children {
            visit(walk, c, next, order);
        }
    }
    let mut order = vec![0; walk.scopes.len()];
    let mut next = 0;
    if !walk.scopes.is_empty() {
        visit(walk, 0, &mut next, &mut order);
    }
    order
}

/// The function a Lambda function ARN names (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`), as
/// the compiler reads it.
fn lambda_function(resource: &str) -> Option<String> {
    resource.starts_with("arn:aws:lambda:").then(|| resource.split(':').nth(6).unwrap_or("").to_string())
}

/// What is wrong with the handler choices of `set`, checked without compiling them for a run
/// (the page's inspector says it as the choice is made; the engine compiles them).
pub fn problems(set: &HandlerSet) -> Vec<HandlerError> {
    CompiledHandlers::compile(set).err().unwrap_or_default()
}

/// `tasks` with what `definition` (the state machine's JSON) reads from each one's result.
pub fn with_expectations(mut tasks: Vec<TaskInfo>, definition: &Value) -> Vec<TaskInfo> {
    let mut all = downstream::expectations(definition);
    for task in &mut tasks {
        if let Some(e) = all.remove(&task.state) {
            task.expects = e;
        }
    }
    tasks
}

/// Whether a Task's `Resource` is wholly a template's placeholder (`${ChargeFunctionArn}`, a
/// `DefinitionSubstitutions` value such as `!GetAtt ChargeFunction.Arn` that is known only once
/// deployed). A Resource that is a whole ARN of its own is a Lambda function's (or an
/// activity's): its default answer is shaped as a function's payload, with what the workflow
/// reads from it.
pub fn is_filled_in_by_template(resource: &str) -> bool {
    resource.starts_with("${") && resource.ends_with('}') && resource[2..resource.len() - 1].chars().all(|c| c != '{' && c != '}' && c != '$')
}

/// Whether the seed has a Lambda of this name.
pub fn is_seed_function(name: &str) -> bool {
    crate::seed::FUNCTIONS.iter().any(|f| f.name == name)
}

/// A handler choice that cannot be used, and which task it is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerError {
    pub state: String,
    pub message: String,
}

impl std::fmt::Display for HandlerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "handler of '{}': {}", self.state, self.message)
    }
}

/// A choice made ready to run: JSON parsed, expressions compiled.
#[derive(Clone)]
enum Ready {
    Seed,
    Echo,
    Static(Payload),
    Throw(StatesError),
    FailThenSucceed(u32, StatesError, Option<Payload>),
    Jsonata(Arc<Expression>),
    Callback(Option<ReadyAnswer>),
}

/// A [`CallbackAnswer`] made ready.
#[derive(Clone, Debug)]
enum ReadyAnswer {
    Success(Payload),
    Failure(StatesError),
    FailuresThenSuccess(u32, StatesError, Payload),
    Silence { heartbeats: bool },
}

/// A handler set checked and compiled once, for many executions.
#[derive(Clone)]
pub struct CompiledHandlers {
    by_state: Vec<(String, Ready, u64)>,
    /// Where default answers come from; each service's file is read once, on first use.
    catalogue: Rc<Catalogue>,
}

impl Default for CompiledHandlers {
    fn default() -> Self {
        CompiledHandlers { by_state: Vec::new(), catalogue: Rc::new(Catalogue::built_in()) }
    }
}

/// The errors a Task of `resource` can be set to throw, as Step Functions names them: its
/// operation's error shapes (with the integration's prefix) and the SDK's base exception, then
/// `States.Timeout` and `States.TaskFailed`.
#[cfg(not(target_arch = "wasm32"))]
pub fn errors_for(resource: &str) -> Vec<String> {
    errors_in(&Catalogue::embedded(), resource)
}

/// [`errors_for`] with the caller's catalogue.
pub fn errors_in(catalogue: &Catalogue, resource: &str) -> Vec<String> {
    let mut names = catalogue.resolve(resource).map(|r| r.error_names()).unwrap_or_default();
    for name in [crate::asl::error::names::TIMEOUT, crate::asl::error::names::TASK_FAILED] {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

impl CompiledHandlers {
    /// Checks and compiles `set`; every unusable choice is reported.
    pub fn compile(set: &HandlerSet) -> Result<CompiledHandlers, Vec<HandlerError>> {
        let mut by_state = Vec::new();
        let mut errors = Vec::new();
        for (state, spec) in set {
            let error = |message: String| HandlerError { state: state.clone(), message };
            let ready = match &spec.choice {
                HandlerChoice::Seed => Ready::Seed,
                HandlerChoice::Echo => Ready::Echo,
                HandlerChoice::Static { json } => match serde_json::from_str(json) {
                    Ok(value) => Ready::Static(Payload::new(value)),
                    Err(e) => {
                        errors.push(error(format!("the static result is not JSON (line {}, column {}): {e}", e.line(), e.column())));
                        continue;
                    }
                },
                HandlerChoice::Throw { error: name, cause } => {
                    if name.trim().is_empty() {
                        errors.push(error("the error to throw has no name".into()));
                        continue;
                    }
                    Ready::Throw(StatesError::new(name.trim(), cause.clone()))
                }
                HandlerChoice::FailThenSucceed { times, error: name, then } => {
                    let name = if name.trim().is_empty() { "States.TaskFailed" } else { name.trim() };
                    let then = match then.as_deref().map(serde_json::from_str::<Value>) {
                        None => None,
                        Some(Ok(value)) => Some(Payload::new(value)),
                        Some(Err(e)) => {
                            errors.push(error(format!("the result after the failures is not JSON (line {}, column {}): {e}", e.line(), e.column())));
                            continue;
                        }
                    };
                    Ready::FailThenSucceed(*times, StatesError::new(name, format!("Simulated failure of '{state}'")), then)
                }
                HandlerChoice::Jsonata { expression } => {
                    let source = crate::asl::jsonata::expression_text(expression.trim()).unwrap_or(expression.trim());
                    match Expression::compile(source, Dialect::StepFunctions) {
                        Ok(e) => Ready::Jsonata(Arc::new(e)),
                        Err(e) => {
                            errors.push(error(format!("the expression does not compile: {e}")));
                            continue;
                        }
                    }
                }
                HandlerChoice::Callback { answer: None } => Ready::Callback(None),
                HandlerChoice::Callback { answer: Some(CallbackAnswer::Success { output }) } => match serde_json::from_str::<Value>(output) {
                    Ok(value) => Ready::Callback(Some(ReadyAnswer::Success(Payload::new(value)))),
                    Err(e) => {
                        errors.push(error(format!("the callback's output is not JSON (line {}, column {}): {e}", e.line(), e.column())));
                        continue;
                    }
                },
                HandlerChoice::Callback { answer: Some(CallbackAnswer::Failure { error, cause }) } => {
                    Ready::Callback(Some(ReadyAnswer::Failure(StatesError::new(error, cause))))
                }
                HandlerChoice::Callback { answer: Some(CallbackAnswer::FailuresThenSuccess { times, error: name, output }) } => {
                    match serde_json::from_str::<Value>(output) {
                        Ok(value) => Ready::Callback(Some(ReadyAnswer::FailuresThenSuccess(*times, StatesError::new(name, format!("Simulated failure of '{state}'")), Payload::new(value)))),
                        Err(e) => {
                            errors.push(error(format!("the callback's output is not JSON (line {}, column {}): {e}", e.line(), e.column())));
                            continue;
                        }
                    }
                }
                HandlerChoice::Callback { answer: Some(CallbackAnswer::Silence { heartbeats }) } => {
                    Ready::Callback(Some(ReadyAnswer::Silence { heartbeats: *heartbeats }))
                }
            };
            by_state.push((state.clone(), ready, spec.latency_ms));
        }
        if errors.is_empty() { Ok(CompiledHandlers { by_state, ..CompiledHandlers::default() }) } else { Err(errors) }
    }

    /// These handlers with `extra` compiled over them: a state `extra` names takes its handler
    /// from there (a scenario's own service outcomes over the document's choices).
    pub fn overlay(&self, extra: &HandlerSet) -> Result<CompiledHandlers, Vec<HandlerError>> {
        let over = CompiledHandlers::compile(extra)?;
        let mut by_state: Vec<(String, Ready, u64)> =
            self.by_state.iter().filter(|(state, ..)| !extra.contains_key(state)).cloned().collect();
        by_state.extend(over.by_state);
        Ok(CompiledHandlers { by_state, catalogue: self.catalogue.clone() })
    }

    /// Answers the callbacks `execution` waits for whose state's handler says what the answer
    /// is ([`CallbackAnswer`]), letting virtual time pass for a silent one, until it ends or
    /// waits for a callback nobody answers.
    pub fn answer_callbacks(&self, execution: &mut crate::asl::interp::Execution) {
        // Each round answers or lets time pass; a retried callback waits again with a new token.
        let mut failed = CallbackFailures::new();
        for _ in 0..10_000 {
            match self.answer_callbacks_once(execution, &mut failed) {
                CallbackRound::Answered => {
                    execution.run();
                }
                CallbackRound::Waited => {}
                CallbackRound::Idle => return,
            }
        }
    }

    /// One round of [`CompiledHandlers::answer_callbacks`]: the answers given to the callbacks
    /// waiting now (the caller then runs the execution on, as it records it), or virtual time
    /// let pass for a silent one. `failed`: the failures each state's callback was answered with
    /// so far (for [`CallbackAnswer::FailuresThenSuccess`]), kept by the caller across rounds.
    pub fn answer_callbacks_once(&self, execution: &mut crate::asl::interp::Execution, failed: &mut CallbackFailures) -> CallbackRound {
        /// How far time runs for a callback nobody answers: past the longest execution (a year).
        const SILENCE_MS: u64 = 400 * 86_400_000;
        let answer_of = |state: &str| {
            self.by_state.iter().find(|(s, ..)| s == state).and_then(|(_, ready, _)| match ready {
                Ready::Callback(Some(answer)) => Some(answer.clone()),
                _ => None,
            })
        };
        if !matches!(execution.status(), crate::asl::interp::ExecutionStatus::Running) {
            return CallbackRound::Idle;
        }
        let mut answered = false;
        let mut wait: Option<u64> = None;
        for pending in execution.pending_callbacks() {
            match answer_of(&pending.state) {
                Some(ReadyAnswer::Success(output)) => answered |= execution.send_task_success(&pending.token, Value::clone(&output)),
                Some(ReadyAnswer::Failure(error)) => answered |= execution.send_task_failure(&pending.token, error),
                Some(ReadyAnswer::FailuresThenSuccess(times, error, output)) => {
                    let count = failed.entry(pending.state.clone()).or_default();
                    *count += 1;
                    answered |= if *count <= times {
                        execution.send_task_failure(&pending.token, error)
                    } else {
                        execution.send_task_success(&pending.token, Value::clone(&output))
                    };
                }
                Some(ReadyAnswer::Silence { heartbeats }) => {
                    // A heartbeat now and the clock moved half a period: never missed.
                    let step = match pending.heartbeat_ms.filter(|_| heartbeats) {
                        Some(h) => {
                            execution.send_task_heartbeat(&pending.token);
                            (h as u64 / 2).max(1)
                        }
                        None => SILENCE_MS,
                    };
                    wait = Some(wait.map_or(step, |w| w.min(step)));
                }
                None => {}
            }
        }
        match (answered, wait) {
            (true, _) => CallbackRound::Answered,
            (false, Some(millis)) => {
                execution.advance_time(millis);
                CallbackRound::Waited
            }
            (false, None) => CallbackRound::Idle,
        }
    }

    /// The same handlers, with default answers from `catalogue` (the page's fetched files).
    pub fn with_catalogue(mut self, catalogue: Rc<Catalogue>) -> Self {
        self.catalogue = catalogue;
        self
    }

    pub fn catalogue(&self) -> &Rc<Catalogue> {
        &self.catalogue
    }

    /// The default answer of a task (see the module's documentation).
    fn default_handler(&self, task: &TaskInfo, store: &SharedStore) -> Box<dyn TaskHandler> {
        if let Some(f) = task.function.as_deref().filter(|f| is_seed_function(f)) {
            return seed_handler(f);
        }
        if services::handles(&task.resource) {
            return Box::new(services::Services { store: store.clone() });
        }
        let shape = if task.function.is_some() || optimized::is_lambda_invoke(&task.resource) || is_filled_in_by_template(&task.resource) {
            Shape::Payload
        } else if optimized::is_http_invoke(&task.resource) || optimized::is_api_gateway_invoke(&task.resource) {
            Shape::HttpBody
        } else {
            Shape::Service
        };
        // A service's example holds what the workflow reads from it, however deep it lies.
        let reads = match shape {
            Shape::Service => task.expects.service_reads(),
            Shape::Payload | Shape::HttpBody => Vec::new(),
        };
        let answer = optimized::default_handler_reading(&self.catalogue, &task.resource, reads);
        if task.expects.is_empty() {
            return answer;
        }
        Box::new(Expected { inner: answer, expects: task.expects.clone(), shape })
    }

    /// A fresh registry for one execution: the default answers (the seed's Lambdas by function
    /// name, the stateful services by resource over a fresh store, the catalogue's answers by
    /// state name), then the chosen handlers by state name.
    pub fn registry(&self, tasks: &[TaskInfo]) -> HandlerRegistry {
        self.registry_over(tasks, &zero_configuration_store())
    }

    /// [`CompiledHandlers::registry`] over the caller's store (seeded before the run, read after
    /// it: the S3 objects a Distributed Map reads and the result files it writes).
    pub fn registry_over(&self, tasks: &[TaskInfo], store: &SharedStore) -> HandlerRegistry {
        let mut registry = crate::handlers::seed_registry();
        services::register(&mut registry, store);
        let store = store.clone();
        for task in tasks {
            let seeded = task.function.as_deref().is_some_and(is_seed_function);
            let chosen = self.by_state.iter().any(|(state, ..)| state == &task.state);
            if !seeded && !chosen && !services::handles(&task.resource) {
                registry.register(task.state.clone(), Boxed(self.default_handler(task, &store)));
            } else if !seeded && !chosen && services::handles_renamed(&task.resource) {
                registry.register(task.state.clone(), services::Services { store: store.clone() });
            }
        }
        for (state, ready, latency) in &self.by_state {
            let task = tasks.iter().find(|t| &t.state == state);
            let fallback = || -> Box<dyn TaskHandler> {
                match task {
                    Some(task) => self.default_handler(task, &store),
                    None => Box::new(Echo),
                }
            };
            let handler: Box<dyn TaskHandler> = match ready {
                Ready::Seed | Ready::Callback(_) => fallback(),
                Ready::Echo => Box::new(Echo),
                Ready::Static(v) => Box::new(StaticResult(Value::clone(v))),
                Ready::Throw(e) => Box::new(Throw(e.clone())),
                Ready::FailThenSucceed(n, e, None) => Box::new(FailTimesThenSucceed::new(*n, e.clone(), Boxed(fallback()))),
                Ready::FailThenSucceed(n, e, Some(v)) => Box::new(FailTimesThenSucceed::new(*n, e.clone(), StaticResult(Value::clone(v)))),
                Ready::Jsonata(e) => Box::new(JsonataHandler(e.clone())),
            };
            registry.register(state.clone(), WithLatency { inner: Boxed(handler), millis: *latency });
        }
        registry
    }
}

/// How many times each state's callback was answered with a failure so far.
pub type CallbackFailures = BTreeMap<Arc<str>, u32>;

/// What one round of answering callbacks did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallbackRound {
    /// Callbacks were answered: the execution can run on.
    Answered,
    /// Only silent callbacks wait: virtual time was let pass (a heartbeat sent, or to a timeout).
    Waited,
    /// Nothing to answer: the execution ended or waits for a callback nobody answers in advance.
    Idle,
}

/// A store for a zero-configuration run: tables and buckets exist from their first use.
pub fn zero_configuration_store() -> SharedStore {
    let mut store = ServiceStore { create_tables_on_use: true, ..ServiceStore::default() };
    store.s3.create_buckets_on_use = true;
    Rc::new(RefCell::new(store))
}

fn seed_handler(function: &str) -> Box<dyn TaskHandler> {
    // An unknown name runs HandleError, as it always has.
    Box::new(seed::lambda(function).unwrap_or(seed::LAMBDAS[3]))
}

/// A boxed handler used where a sized one is wanted.
struct Boxed(Box<dyn TaskHandler>);

impl TaskHandler for Boxed {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        self.0.invoke(request, context)
    }
    fn latency_millis(&self) -> u64 {
        self.0.latency_millis()
    }
    fn returns_service_response(&self) -> bool {
        self.0.returns_service_response()
    }
    fn take_submitted(&mut self) -> Option<Value> {
        self.0.take_submitted()
    }
}

/// How a default answer takes what the workflow reads from it ([`downstream`]).
#[derive(Clone, Copy)]
enum Shape {
    /// A function's result (a Lambda function, `lambda:invoke`'s `Payload`): the reads put in.
    Payload,
    /// A service's response: only the status a Choice waits for.
    Service,
    /// An HTTP Task's answer: the reads under `ResponseBody` put in, as into a function's payload
    /// (a third-party API's body cannot be known; the workflow says what it reads of it).
    HttpBody,
}

/// A default answer shaped by what the workflow reads from it.
struct Expected {
    inner: Box<dyn TaskHandler>,
    expects: Expectation,
    shape: Shape,
}

impl TaskHandler for Expected {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        match self.shape {
            Shape::Service => Ok(self.expects.shape_service(self.inner.invoke(request, context)?)),
            Shape::Payload if self.inner.returns_service_response() => {
                // lambda:invoke: the request is the function's payload, answered inside the
                // envelope; the reads under `Payload` shape it before it is wrapped.
                let under_payload = self.expects.under(&Step::Member("Payload".into()));
                let shaped = under_payload.shape_payload(request.input.clone());
                self.inner.invoke(&TaskRequest { input: &shaped, ..*request }, context)
            }
            Shape::Payload => Ok(self.expects.shape_payload(self.inner.invoke(request, context)?)),
            Shape::HttpBody => {
                let mut response = self.inner.invoke(request, context)?;
                if let Some(body) = response.get_mut("ResponseBody") {
                    *body = self.expects.under(&Step::Member("ResponseBody".into())).shape_payload(body.take());
                }
                Ok(response)
            }
        }
    }
    fn latency_millis(&self) -> u64 {
        self.inner.latency_millis()
    }
    fn returns_service_response(&self) -> bool {
        self.inner.returns_service_response()
    }
    fn take_submitted(&mut self) -> Option<Value> {
        self.inner.take_submitted()
    }
}

/// Evaluates a JSONata expression with the task's input as `$` (and `$states.input`).
struct JsonataHandler(Arc<Expression>);

impl TaskHandler for JsonataHandler {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let states = serde_json::json!({"input": request.input});
        let mut env = Environment { states: Some(&states), variables: &NoVariables, now_millis: context.now, rng: context.rng, limits: Default::default() };
        match self.0.evaluate(Some(request.input), &mut env) {
            Ok(value) => Ok(value.unwrap_or(Value::Null)),
            Err(e) => Err(StatesError::new("States.QueryEvaluationError", e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every choice and callback answer, written as serde writes them and read back (from text
    /// and through a `Value`, as the page reads), with their optional parts absent and present.
    #[test]
    fn every_handler_choice_reads_back_as_it_was_written() {
        let answers = [
            CallbackAnswer::Success { output: "{}".into() },
            CallbackAnswer::Failure { error: "E".into(), cause: "C".into() },
            CallbackAnswer::FailuresThenSuccess { times: 2, error: "E".into(), output: "1".into() },
            CallbackAnswer::Silence { heartbeats: true },
            CallbackAnswer::Silence { heartbeats: false },
        ];
        let mut choices = vec![
            HandlerChoice::Seed,
            HandlerChoice::Echo,
            HandlerChoice::Static { json: "{\"a\": 1}".into() },
            HandlerChoice::Throw { error: "Boom".into(), cause: String::new() },
            HandlerChoice::FailThenSucceed { times: 3, error: "E".into(), then: None },
            HandlerChoice::FailThenSucceed { times: 0, error: "E".into(), then: Some("[]".into()) },
            HandlerChoice::Jsonata { expression: "$".into() },
            HandlerChoice::Callback { answer: None },
        ];
        choices.extend(answers.into_iter().map(|a| HandlerChoice::Callback { answer: Some(a) }));
        for choice in choices {
            let spec = HandlerSpec { choice, latency_ms: 7 };
            let text = serde_json::to_string(&spec).unwrap();
            assert_eq!(serde_json::from_str::<HandlerSpec>(&text).unwrap(), spec, "{text}");
            assert_eq!(crate::asl::json::from_text::<HandlerSpec>(&text).unwrap(), spec, "{text}");
        }
        let read = |text: &str| serde_json::from_value::<HandlerChoice>(serde_json::from_str(text).unwrap());
        assert_eq!(read(r#"{"kind": "throw", "error": "E", "extra": 1}"#).unwrap(), HandlerChoice::Throw { error: "E".into(), cause: String::new() });
        assert_eq!(read(r#"{"kind": "seed", "json": 5}"#).unwrap(), HandlerChoice::Seed);
        assert_eq!(read(r#"{"kind": "callback", "answer": null}"#).unwrap(), HandlerChoice::Callback { answer: None });
    }

    /// What is wrong is said in serde's words for an internally tagged enum.
    #[test]
    fn a_handler_choice_that_does_not_read_is_said_as_serde_says_it() {
        let error = |text: &str| serde_json::from_value::<HandlerChoice>(serde_json::from_str(text).unwrap()).unwrap_err().to_string();
        assert_eq!(error(r#"{"error": "E"}"#), "missing field `kind`");
        assert_eq!(
            error(r#"{"kind": "thro"}"#),
            "unknown variant `thro`, expected one of `seed`, `echo`, `static`, `throw`, `fail_then_succeed`, `jsonata`, `callback`"
        );
        assert_eq!(error(r#"{"kind": "throw"}"#), "missing field `error`");
        assert_eq!(error(r#"{"kind": "static", "json": 5}"#), "invalid type: integer `5`, expected a string");
        assert_eq!(error(r#"{"kind": "fail_then_succeed", "times": -1, "error": "E"}"#), "invalid value: integer `-1`, expected u32");
        assert_eq!(error(r#""seed""#), "invalid type: string \"seed\", expected internally tagged enum HandlerChoice");
        assert_eq!(error(r#"{"kind": "callback", "answer": {"with": "later"}}"#), "unknown variant `later`, expected one of `success`, `failure`, `failures_then_success`, `silence`");
        assert_eq!(error(r#"{"kind": "callback", "answer": {"with": "failure"}}"#), "missing field `error`");
    }

    /// The page's model-level list is the compiled program's, on every corpus definition
    /// (Parallel and Map five deep) and the seed.
    #[test]
    fn the_tasks_read_from_the_model_are_the_compiled_program_s() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/layout-corpus");
        let mut texts: Vec<(String, String)> = vec![("seed".into(), crate::seed::ORDER_WORKFLOW.into())];
        for entry in std::fs::read_dir(dir).expect("the corpus") {
            let path = entry.expect("an entry").path();
            if path.extension().is_some_and(|e| e == "json") {
                texts.push((path.display().to_string(), std::fs::read_to_string(&path).expect("readable")));
            }
        }
        let mut nested = 0;
        for (name, text) in texts {
            let (_, lowered) = crate::asl::lower::lower_text(&text).expect("JSON");
            let Ok(program) = Program::compile(&lowered.machine) else { continue };
            let from_model = tasks_of(&lowered.machine);
            assert_eq!(from_model, tasks(&program), "{name}");
            nested += usize::from(program.scopes.len() > 2 && !from_model.is_empty());
        }
        assert!(nested > 5, "the corpus nests Tasks in branches and iterations: {nested}");
        let lambda = r#"{"StartAt": "F", "States": {"F": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Charge", "End": true}}}"#;
        let (_, lowered) = crate::asl::lower::lower_text(lambda).expect("JSON");
        assert_eq!(tasks_of(&lowered.machine)[0].function.as_deref(), Some("Charge"));
    }

    #[test]
    fn a_choice_that_cannot_run_is_said_before_the_run() {
        let spec = |choice| HandlerSpec { choice, latency_ms: 0 };
        let set: HandlerSet = [
            ("A".to_string(), spec(HandlerChoice::Static { json: "{ nope".into() })),
            ("B".to_string(), spec(HandlerChoice::Jsonata { expression: "{% $x + %}".into() })),
            ("C".to_string(), spec(HandlerChoice::Echo)),
        ]
        .into();
        let found = problems(&set);
        assert_eq!(found.iter().map(|e| e.state.as_str()).collect::<Vec<_>>(), ["A", "B"]);
        assert!(found[0].message.contains("not JSON (line 1, column 3)"), "{}", found[0].message);
        assert!(found[1].message.contains("does not compile"), "{}", found[1].message);
    }
}
