//! Simulated handlers chosen per Task state: the seed Lambda of that name, echo, static JSON,
//! throw an error, fail N times then succeed, a JSONata expression over the input, each with an
//! optional latency. A [`HandlerSet`] is checked and compiled once ([`CompiledHandlers`]) and
//! gives a fresh [`HandlerRegistry`] per execution (fail-N-times counts per execution).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::handlers::{Echo, FailTimesThenSucceed, HandlerRegistry, StaticResult, TaskContext, TaskHandler, TaskRequest, Throw, WithLatency, seed};
use crate::asl::interp::program::{Action, TaskTarget};
use crate::asl::interp::{Program, StatesError};
use crate::asl::jsonata::{Dialect, Environment, Expression};
use crate::asl::path::NoVariables;

/// What a Task's simulated handler does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HandlerChoice {
    /// The seed's Lambda of the task's function name (echo when the seed has none).
    Seed,
    Echo,
    /// Returns this JSON text.
    Static { json: String },
    Throw { error: String, cause: String },
    /// Fails `times` times with `error`, then behaves as [`HandlerChoice::Seed`].
    FailThenSucceed { times: u32, error: String },
    /// A JSONata expression over the task's input (`$`).
    Jsonata { expression: String },
    /// Parks the task until a callback (the state must use `.waitForTaskToken`): no handler
    /// result is used; success or failure comes from the user.
    Callback,
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
            }),
            _ => None,
        })
        .collect()
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
    Static(Arc<Value>),
    Throw(StatesError),
    FailThenSucceed(u32, StatesError),
    Jsonata(Arc<Expression>),
    Callback,
}

/// A handler set checked and compiled once, for many executions.
#[derive(Clone, Default)]
pub struct CompiledHandlers {
    by_state: Vec<(String, Ready, u64)>,
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
                    Ok(value) => Ready::Static(Arc::new(value)),
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
                HandlerChoice::FailThenSucceed { times, error: name } => {
                    let name = if name.trim().is_empty() { "States.TaskFailed" } else { name.trim() };
                    Ready::FailThenSucceed(*times, StatesError::new(name, format!("Simulated failure of '{state}'")))
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
                HandlerChoice::Callback => Ready::Callback,
            };
            by_state.push((state.clone(), ready, spec.latency_ms));
        }
        if errors.is_empty() { Ok(CompiledHandlers { by_state }) } else { Err(errors) }
    }

    /// A fresh registry for one execution: the seed's Lambdas by function name, echo for any
    /// other task, and the chosen handlers by state name.
    pub fn registry(&self, tasks: &[TaskInfo]) -> HandlerRegistry {
        let mut registry = crate::handlers::seed_registry();
        for task in tasks {
            let seeded = task.function.as_deref().is_some_and(is_seed_function);
            if !seeded {
                registry.register(task.state.clone(), Echo);
            }
        }
        for (state, ready, latency) in &self.by_state {
            let function = tasks.iter().find(|t| &t.state == state).and_then(|t| t.function.clone());
            let fallback = || -> Box<dyn TaskHandler> {
                match function.as_deref().filter(|f| is_seed_function(f)) {
                    Some(f) => seed_handler(f),
                    None => Box::new(Echo),
                }
            };
            let handler: Box<dyn TaskHandler> = match ready {
                Ready::Seed | Ready::Callback => fallback(),
                Ready::Echo => Box::new(Echo),
                Ready::Static(v) => Box::new(StaticResult(Value::clone(v))),
                Ready::Throw(e) => Box::new(Throw(e.clone())),
                Ready::FailThenSucceed(n, e) => Box::new(FailTimesThenSucceed::new(*n, e.clone(), Boxed(fallback()))),
                Ready::Jsonata(e) => Box::new(JsonataHandler(e.clone())),
            };
            registry.register(state.clone(), WithLatency { inner: Boxed(handler), millis: *latency });
        }
        registry
    }
}

fn seed_handler(function: &str) -> Box<dyn TaskHandler> {
    match function {
        "ValidateInput" => Box::new(seed::ValidateInput),
        "ProcessData" => Box::new(seed::ProcessData),
        "SendNotification" => Box::new(seed::SendNotification),
        _ => Box::new(seed::HandleError),
    }
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
