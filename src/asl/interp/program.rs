//! The runnable form of a definition: [`Program`], compiled once per definition from the typed
//! model. Every path, template and Choice rule is parsed here, state names become indices, and
//! Parallel branches and Map processors become [`Scope`]s, so running a state parses nothing and
//! looks nothing up by name.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::asl::clock::{Millis, parse_rfc3339};
use crate::asl::json::Number;
use crate::asl::model::{
    self, ChoiceRule, ComparisonOperator, NumberOrExpression, Operand, PathOrNull, QueryLanguage, RuleTest, State,
    StateKind, StateMachine, StateType,
};
use crate::asl::jsonata::{Dialect, Expression, JsonataTemplate, TemplateError};
use crate::asl::path::{JsonPath, ReferencePath, Template};
use crate::asl::value::Payload;

/// Why a definition cannot be run (the validator reports these too, with positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// JSON pointer of the offending field.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message)
    }
}

impl std::error::Error for CompileError {}

/// A [`Scope`] of a [`Program`]: the top level ([`ScopeId::TOP`]), a Parallel branch or a Map
/// processor. Its own type so that it cannot be mixed up with a [`StateId`] or an item index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScopeId(usize);

impl ScopeId {
    /// The top level.
    pub const TOP: ScopeId = ScopeId(0);

    /// The scope's position in [`Program::scopes`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A state of one [`Scope`]: its position in the scope's `States`, in definition order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateId(usize);

impl StateId {
    /// The state's position in [`Scope::states`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A compiled definition.
#[derive(Debug)]
pub struct Program {
    /// Scope 0 is the top level; then every Parallel branch and Map processor.
    pub scopes: Vec<Scope>,
    /// Top-level `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
}

/// The states of the top level, of one Parallel branch or of one Map processor.
#[derive(Debug)]
pub struct Scope {
    pub start: StateId,
    pub states: Vec<CompiledState>,
}

/// InputPath or OutputPath.
#[derive(Debug, Clone)]
pub enum IoPath {
    /// Absent or `$`: the whole value.
    Whole,
    /// `null`: `{}`.
    Null,
    Path(JsonPath),
}

/// Where ResultPath puts a state's result.
#[derive(Debug, Clone)]
pub enum ResultPlacement {
    /// Absent or `$`: the result replaces the input.
    Replace,
    /// `null`: the result is discarded, the input passes through.
    Discard,
    /// `$.a.b`: the result is written into the input.
    At(ReferencePath),
}

/// One compiled `Retry` entry.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    pub error_equals: Vec<String>,
    pub interval_seconds: f64,
    pub max_attempts: u32,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    /// `JitterStrategy: FULL`: the delay is drawn uniformly from `[0, delay]` with the seeded RNG.
    pub full_jitter: bool,
}

/// One compiled `Catch` entry.
#[derive(Debug, Clone)]
pub struct CatchRule {
    pub error_equals: Vec<String>,
    pub next: StateId,
    /// JSONPath states.
    pub result_path: ResultPlacement,
    /// JSONata states: the output, from `$states.errorOutput` (absent: the error output itself).
    pub output: Option<JsonataTemplate>,
    /// Variables set when this catcher fires.
    pub assign: Option<Assignment>,
}

/// A compiled `Assign`, in the state's query language.
#[derive(Debug, Clone)]
pub enum Assignment {
    /// `"name.$": "$.path"`, intrinsics and `$var` references, as in a payload template.
    JsonPath(Template),
    /// `{% … %}` anywhere in the values.
    Jsonata(JsonataTemplate),
}

/// A state ready to run: the shared pipeline fields and its own [`Action`].
#[derive(Debug)]
pub struct CompiledState {
    pub name: Arc<str>,
    pub state_type: StateType,
    /// JSONPath today; a JSONata state takes the JSONata branch of the pipeline once it exists.
    pub query_language: QueryLanguage,
    pub input_path: IoPath,
    /// Parameters (not on Map, where it is the item selector).
    pub parameters: Option<Template>,
    pub result_selector: Option<Template>,
    pub result_path: ResultPlacement,
    pub output_path: IoPath,
    /// `None` for `"End": true` and terminal states.
    pub next: Option<StateId>,
    pub retriers: Vec<RetryPolicy>,
    pub catchers: Vec<CatchRule>,
    /// Whether any path of the state reads `$$` (or an expression `$states.context`), so the
    /// context object must be built.
    pub uses_context: bool,
    /// JSONata states: Arguments (Task, Parallel).
    pub arguments: Option<JsonataTemplate>,
    /// JSONata states: Output.
    pub output: Option<JsonataTemplate>,
    /// Variables the state sets when it leaves (the Choice state's, for its Default).
    pub assign: Option<Assignment>,
    pub action: Action,
}

/// What a state does between Parameters and ResultSelector.
#[derive(Debug)]
pub enum Action {
    Pass { result: Option<Payload> },
    Task(TaskSpec),
    Wait(WaitSpec),
    Choice(ChoiceSpec),
    Parallel { branches: Vec<ScopeId> },
    Map(MapSpec),
    Succeed,
    Fail(FailSpec),
}

/// How a Task's resource is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integration {
    /// Call and take the response.
    RequestResponse,
    /// `.sync`: call and wait for the job to finish.
    Sync,
    /// `.waitForTaskToken`: call, then pause until a callback delivers the result.
    WaitForTaskToken,
}

/// What a Task's `Resource` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskTarget {
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME`: LambdaFunction* events, the function's result as is.
    LambdaFunction { function_name: String },
    /// `arn:aws:states:::lambda:invoke`: Task* events, the result wrapped in `Payload`, `StatusCode` ...
    LambdaInvoke,
    /// `arn:aws:states:::SERVICE:ACTION` and `arn:aws:states:::aws-sdk:SERVICE:ACTION`.
    Service { service: String, action: String },
    /// Anything else (activities, unknown ARNs): through the handler registry only.
    Other,
}

/// A seconds field: a literal or a path.
#[derive(Debug, Clone)]
pub enum SecondsSource {
    Literal(u64),
    Path(JsonPath),
    /// JSONata: `"TimeoutSeconds": "{% … %}"`.
    Expression(JsonataTemplate),
}

/// A Task's own fields.
#[derive(Debug)]
pub struct TaskSpec {
    pub resource: Arc<str>,
    pub target: TaskTarget,
    pub integration: Integration,
    /// `resourceType` of Task events (`lambda`, `sns`, ...).
    pub resource_type: Arc<str>,
    /// `resource` of Task events (`invoke`, `publish.waitForTaskToken`, ...).
    pub resource_name: Arc<str>,
    pub timeout: Option<SecondsSource>,
    pub heartbeat: Option<SecondsSource>,
}

/// A Wait's one field.
#[derive(Debug)]
pub enum WaitSpec {
    /// JSONata: `"Seconds": "{% … %}"`.
    SecondsExpression(JsonataTemplate),
    /// JSONata: `"Timestamp": "{% … %}"`.
    TimestampExpression(JsonataTemplate),
    Seconds(u64),
    SecondsPath(JsonPath),
    /// The timestamp, or `None` when the literal does not parse.
    Timestamp(Option<Millis>, String),
    TimestampPath(JsonPath),
}

/// A Choice's rules and Default.
#[derive(Debug)]
pub struct ChoiceSpec {
    pub rules: Vec<(Condition, StateId)>,
    /// Each rule's Assign and (JSONata) Output, in rule order.
    pub effects: Vec<RuleEffects>,
    pub default: Option<StateId>,
}

/// What a matched Choice rule sets besides the next state.
#[derive(Debug, Default)]
pub struct RuleEffects {
    pub assign: Option<Assignment>,
    pub output: Option<JsonataTemplate>,
}

/// A compiled Choice rule.
#[derive(Debug)]
pub enum Condition {
    Compare { variable: JsonPath, operator: ComparisonOperator, operand: CompiledOperand },
    And(Vec<Condition>),
    Or(Vec<Condition>),
    Not(Box<Condition>),
    /// JSONata: `"Condition": "{% … %}"`, which must give a boolean. `field` names it in causes.
    Expression { expression: Expression, field: String },
    /// JSONata: `"Condition": true` or `false`.
    Constant(bool),
}

/// The right-hand side of a comparison, ready to compare.
#[derive(Debug)]
pub enum CompiledOperand {
    String(String),
    Number(f64),
    Boolean(bool),
    /// A Timestamp operator's literal: `None` when it does not parse (never equal).
    Timestamp(Option<Millis>),
    Path(JsonPath),
}

/// A Map's own fields.
#[derive(Debug)]
pub struct MapSpec {
    pub processor: ScopeId,
    pub items_path: Option<JsonPath>,
    /// ItemSelector, or the legacy Parameters.
    pub item_selector: Option<Template>,
    pub max_concurrency: Option<u64>,
    pub max_concurrency_path: Option<JsonPath>,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_count_path: Option<JsonPath>,
    pub tolerated_failure_percentage: Option<f64>,
    pub tolerated_failure_percentage_path: Option<JsonPath>,
    /// JSONata: Items (absent: the state input, which must be an array).
    pub items: Option<JsonataTemplate>,
    /// JSONata: ItemSelector, with `$states.context.Map.Item`.
    pub item_selector_jsonata: Option<JsonataTemplate>,
    /// Whether the item selector may read `$$.Execution.Input` (so each item's context object
    /// must hold a copy of it).
    pub selector_reads_execution_input: bool,
    /// JSONata: MaxConcurrency, ToleratedFailureCount and ToleratedFailurePercentage as expressions.
    pub max_concurrency_expression: Option<JsonataTemplate>,
    pub tolerated_failure_count_expression: Option<JsonataTemplate>,
    pub tolerated_failure_percentage_expression: Option<JsonataTemplate>,
    /// `ProcessorConfig.Mode: DISTRIBUTED`: the reader, batcher, writer and Map Run.
    pub distributed: Option<Box<super::distributed::DistributedSpec>>,
}

/// Where a Fail's ErrorPath or CausePath reads its text: a path, or an intrinsic call
/// (`"CausePath": "States.Format('Order {} failed', $.id)"`), which AWS accepts there too.
#[derive(Debug)]
pub enum PathOrCall {
    Path(JsonPath),
    /// The call and its text as written (causes quote it).
    Call { call: crate::asl::intrinsic::Call, text: String },
}

/// A Fail's own fields.
#[derive(Debug)]
pub struct FailSpec {
    pub error: Option<String>,
    pub error_path: Option<PathOrCall>,
    pub cause: Option<String>,
    pub cause_path: Option<PathOrCall>,
    /// JSONata: Error and Cause as expressions.
    pub error_expression: Option<JsonataTemplate>,
    pub cause_expression: Option<JsonataTemplate>,
}

impl Program {
    /// Compiles a model. The model should have passed validation; what cannot run is an error.
    pub fn compile(machine: &StateMachine) -> Result<Program, CompileError> {
        let mut compiler = Compiler { scopes: Vec::new() };
        compiler.scope(machine, "", QueryLanguage::JsonPath)?;
        let timeout_seconds = machine.timeout_seconds.as_ref().and_then(Number::as_u64);
        Ok(Program { scopes: compiler.scopes, timeout_seconds })
    }

    /// Reads, lowers and compiles a definition's JSON text; lowering problems that are errors
    /// stop it.
    pub fn from_text(text: &str) -> Result<Program, CompileError> {
        let (_, lowered) = crate::asl::lower::lower_text(text)
            .map_err(|d| CompileError { pointer: d.pointer.clone(), message: d.message.clone() })?;
        if let Some(d) = lowered.diagnostics.iter().find(|d| d.is_error()) {
            return Err(CompileError { pointer: d.pointer.clone(), message: d.message.clone() });
        }
        Program::compile(&lowered.machine)
    }

    /// The state `state` of scope `scope`.
    pub fn state(&self, scope: ScopeId, state: StateId) -> &CompiledState {
        &self.scopes[scope.0].states[state.0]
    }

    /// The scope `scope`.
    pub fn scope(&self, scope: ScopeId) -> &Scope {
        &self.scopes[scope.0]
    }
}

struct Compiler {
    scopes: Vec<Scope>,
}

pub(super) fn err(pointer: &str, message: impl Into<String>) -> CompileError {
    CompileError { pointer: pointer.to_string(), message: message.into() }
}

fn escape(token: &str) -> String {
    crate::asl::json::escape_pointer_token(token).into_owned()
}

/// Parses a path and notes whether it reads the context object.
pub(super) fn path(text: &str, pointer: &str, uses_context: &mut bool) -> Result<JsonPath, CompileError> {
    if text.starts_with("$$") {
        *uses_context = true;
    }
    JsonPath::parse(text).map_err(|e| err(pointer, format!("invalid path '{text}': {e}")))
}

/// A path, or an intrinsic call when the text starts with `States.`.
fn path_or_call(text: &str, pointer: &str, uses_context: &mut bool) -> Result<PathOrCall, CompileError> {
    if !crate::asl::intrinsic::is_intrinsic(text) {
        return path(text, pointer, uses_context).map(PathOrCall::Path);
    }
    if text.contains("$$") {
        *uses_context = true;
    }
    crate::asl::intrinsic::parse(text)
        .map(|call| PathOrCall::Call { call, text: text.to_string() })
        .map_err(|e| err(pointer, format!("invalid intrinsic function '{text}': {e}")))
}

fn mentions_context(value: &Value) -> bool {
    match value {
        Value::String(s) => s.contains("$$"),
        Value::Array(items) => items.iter().any(mentions_context),
        Value::Object(map) => map.values().any(mentions_context),
        _ => false,
    }
}

/// Whether a template may read the execution's input from the context object: conservatively,
/// any `$$` reference that is not plainly into another part of it (`$$.Map…`, `$$.State…`), and
/// any JSONata expression naming the context as a whole or the execution.
fn reads_execution_input(value: &Value) -> bool {
    match value {
        Value::String(s) => {
            let jsonpath = s.split("$$").skip(1).any(|rest| {
                rest.contains("Input") || !rest.starts_with('.') || (rest.starts_with(".Execution") && !rest.starts_with(".Execution."))
            });
            let jsonata = s.contains("{%")
                && (s.contains("Execution") || s.contains("Input") || s.split("$states").skip(1).any(|rest| !rest.starts_with(".context.")));
            jsonpath || jsonata
        }
        Value::Array(items) => items.iter().any(reads_execution_input),
        Value::Object(map) => map.values().any(reads_execution_input),
        _ => false,
    }
}

fn template(node: &model::Payload, pointer: &str, uses_context: &mut bool) -> Result<Template, CompileError> {
    let value = node.to_serde();
    *uses_context |= mentions_context(&value);
    Template::compile(&value).map_err(|e| err(pointer, e.to_string()))
}

/// Compiles a JSONata value template; `field` names it in causes (`Output`).
pub(super) fn jsonata(value: &Value, field: &str, pointer: &str, uses_context: &mut bool) -> Result<JsonataTemplate, CompileError> {
    let compiled = JsonataTemplate::compile(value, field, Dialect::StepFunctions).map_err(|e| match &e {
        TemplateError::Syntax { expression, error, .. } => {
            err(pointer, format!("the JSONata expression '{expression}' in '{}' does not parse: {error}", e.field()))
        }
        other => err(pointer, other.cause()),
    })?;
    *uses_context |= compiled.reads_context();
    Ok(compiled)
}

fn jsonata_payload(node: &Option<model::Payload>, field: &str, pointer: &str, uses_context: &mut bool) -> Result<Option<JsonataTemplate>, CompileError> {
    node.as_ref().map(|p| jsonata(&p.to_serde(), field, &format!("{pointer}/{field}"), uses_context)).transpose()
}

/// A number field that a JSONata state may write as an expression.
fn jsonata_number(field: &Option<NumberOrExpression>, name: &str, pointer: &str, uses_context: &mut bool) -> Result<Option<JsonataTemplate>, CompileError> {
    match field {
        Some(NumberOrExpression::Expression(text)) => {
            jsonata(&Value::String(text.clone()), name, &format!("{pointer}/{name}"), uses_context).map(Some)
        }
        _ => Ok(None),
    }
}

fn number_literal(field: &Option<NumberOrExpression>) -> Option<&NumberOrExpression> {
    field.as_ref().filter(|f| matches!(f, NumberOrExpression::Number(_)))
}

fn assignment(
    node: &Option<model::Payload>,
    language: QueryLanguage,
    field: &str,
    pointer: &str,
    uses_context: &mut bool,
) -> Result<Option<Assignment>, CompileError> {
    let Some(node) = node else { return Ok(None) };
    Ok(Some(match language {
        QueryLanguage::JsonPath => Assignment::JsonPath(template(node, &format!("{pointer}/{field}"), uses_context)?),
        QueryLanguage::Jsonata => Assignment::Jsonata(jsonata(&node.to_serde(), field, &format!("{pointer}/{field}"), uses_context)?),
    }))
}

fn io_path(field: &Option<PathOrNull>, pointer: &str, uses_context: &mut bool) -> Result<IoPath, CompileError> {
    Ok(match field {
        None => IoPath::Whole,
        Some(PathOrNull::Null) => IoPath::Null,
        Some(PathOrNull::Path(p)) if p == "$" => IoPath::Whole,
        Some(PathOrNull::Path(p)) => IoPath::Path(path(p, pointer, uses_context)?),
    })
}

fn result_placement(field: &Option<PathOrNull>, pointer: &str) -> Result<ResultPlacement, CompileError> {
    Ok(match field {
        None => ResultPlacement::Replace,
        Some(PathOrNull::Null) => ResultPlacement::Discard,
        Some(PathOrNull::Path(p)) if p == "$" => ResultPlacement::Replace,
        Some(PathOrNull::Path(p)) => ResultPlacement::At(
            ReferencePath::parse(p).map_err(|e| err(pointer, format!("invalid ResultPath '{p}': {e}")))?,
        ),
    })
}

fn literal_u64(field: &Option<NumberOrExpression>, pointer: &str) -> Result<Option<u64>, CompileError> {
    match field {
        None => Ok(None),
        Some(NumberOrExpression::Number(n)) => {
            n.as_u64().map(Some).ok_or_else(|| err(pointer, format!("expected a non-negative integer, found {}", n.text())))
        }
        Some(NumberOrExpression::Expression(_)) => Err(err(pointer, "JSONata expressions are not supported yet")),
    }
}

fn literal_f64(field: &Option<NumberOrExpression>, pointer: &str) -> Result<Option<f64>, CompileError> {
    match field {
        None => Ok(None),
        Some(NumberOrExpression::Number(n)) => Ok(Some(n.as_f64())),
        Some(NumberOrExpression::Expression(_)) => Err(err(pointer, "JSONata expressions are not supported yet")),
    }
}

fn seconds_source(
    literal: &Option<NumberOrExpression>,
    path_text: &Option<String>,
    pointer: &str,
    uses_context: &mut bool,
) -> Result<Option<SecondsSource>, CompileError> {
    if let Some(NumberOrExpression::Expression(text)) = literal {
        let name = pointer.rsplit('/').next().unwrap_or_default();
        return Ok(Some(SecondsSource::Expression(jsonata(&Value::String(text.clone()), name, pointer, uses_context)?)));
    }
    if let Some(s) = literal_u64(literal, pointer)? {
        return Ok(Some(SecondsSource::Literal(s)));
    }
    match path_text {
        Some(p) => Ok(Some(SecondsSource::Path(path(p, pointer, uses_context)?))),
        None => Ok(None),
    }
}

/// Splits a Task's resource into its target, integration pattern and event names.
pub fn classify_resource(resource: &str) -> (TaskTarget, Integration, String, String) {
    if let Some(rest) = resource.strip_prefix("arn:aws:states:::") {
        let (body, integration) = if let Some(b) = rest.strip_suffix(".waitForTaskToken") {
            (b, Integration::WaitForTaskToken)
        } else if let Some(b) = rest.strip_suffix(".sync:2") {
            (b, Integration::Sync)
        } else if let Some(b) = rest.strip_suffix(".sync") {
            (b, Integration::Sync)
        } else {
            (rest, Integration::RequestResponse)
        };
        let (service, action) = match body.strip_prefix("aws-sdk:") {
            Some(sdk) => sdk.split_once(':').unwrap_or((sdk, "")),
            None => body.split_once(':').unwrap_or((body, "")),
        };
        let resource_name = rest.strip_prefix("aws-sdk:").map_or(rest, |r| r.split_once(':').map_or(r, |(_, a)| a));
        let target = if service == "lambda" && action == "invoke" {
            TaskTarget::LambdaInvoke
        } else {
            TaskTarget::Service { service: service.to_string(), action: action.to_string() }
        };
        return (target, integration, service.to_string(), resource_name.to_string());
    }
    if resource.starts_with("arn:aws:lambda:") {
        let parts: Vec<&str> = resource.split(':').collect();
        let function_name = parts.get(6).copied().unwrap_or("").to_string();
        return (TaskTarget::LambdaFunction { function_name }, Integration::RequestResponse, "lambda".into(), resource.into());
    }
    (TaskTarget::Other, Integration::RequestResponse, "activity".into(), resource.into())
}

impl Compiler {
    fn scope(&mut self, machine: &StateMachine, pointer: &str, inherited: QueryLanguage) -> Result<ScopeId, CompileError> {
        let id = ScopeId(self.scopes.len());
        self.scopes.push(Scope { start: StateId(0), states: Vec::new() });
        let language = crate::asl::walk::scope_language(machine, inherited);
        let mut index: HashMap<&str, StateId> = HashMap::with_capacity(machine.states.len());
        for (i, named) in machine.states.iter().enumerate() {
            index.insert(named.name.as_str(), StateId(i));
        }
        let start_name = machine.start_at.as_deref().ok_or_else(|| err(pointer, "StartAt is missing"))?;
        let start = *index.get(start_name).ok_or_else(|| err(&format!("{pointer}/StartAt"), format!("no state named '{start_name}'")))?;
        let mut states = Vec::with_capacity(machine.states.len());
        for named in &machine.states {
            let state_pointer = format!("{pointer}/States/{}", escape(&named.name));
            states.push(self.state(&named.name, &named.state, &state_pointer, &index, language)?);
        }
        self.scopes[id.0] = Scope { start, states };
        Ok(id)
    }

    fn state(
        &mut self,
        name: &str,
        state: &State,
        pointer: &str,
        index: &HashMap<&str, StateId>,
        inherited: QueryLanguage,
    ) -> Result<CompiledState, CompileError> {
        let target = |n: &str, field: &str| -> Result<StateId, CompileError> {
            index.get(n).copied().ok_or_else(|| err(&format!("{pointer}/{field}"), format!("no state named '{n}'")))
        };
        let query_language = crate::asl::walk::state_language(state, inherited);
        let is_jsonata = query_language == QueryLanguage::Jsonata;
        let state_type = state.kind.state_type().ok_or_else(|| err(pointer, "unknown state type"))?;
        let mut uses_context = false;
        let d = &state.data;
        let input_path = io_path(&d.input_path, &format!("{pointer}/InputPath"), &mut uses_context)?;
        let output_path = io_path(&d.output_path, &format!("{pointer}/OutputPath"), &mut uses_context)?;
        let result_path = result_placement(&d.result_path, &format!("{pointer}/ResultPath"))?;
        let is_map = matches!(state.kind, StateKind::Map(_));
        let parameters = match (&d.parameters, is_map) {
            (Some(p), false) => Some(template(p, &format!("{pointer}/Parameters"), &mut uses_context)?),
            _ => None,
        };
        let result_selector = match &d.result_selector {
            Some(p) => Some(template(p, &format!("{pointer}/ResultSelector"), &mut uses_context)?),
            None => None,
        };
        let next = match &state.next {
            Some(n) if state.end != Some(true) => Some(target(n, "Next")?),
            _ => None,
        };
        let mut retriers = Vec::new();
        for r in state.retry.iter().flatten() {
            retriers.push(RetryPolicy {
                error_equals: r.error_equals.clone().unwrap_or_default(),
                interval_seconds: r.interval_seconds.as_ref().map_or(1.0, Number::as_f64),
                max_attempts: r.max_attempts.as_ref().map_or(3, |n| n.as_f64().max(0.0) as u32),
                backoff_rate: r.backoff_rate.as_ref().map_or(2.0, Number::as_f64),
                max_delay_seconds: r.max_delay_seconds.as_ref().map(Number::as_f64),
                full_jitter: r.jitter_strategy.as_deref() == Some("FULL"),
            });
        }
        let mut catchers = Vec::new();
        for (i, c) in state.catch.iter().flatten().enumerate() {
            let n = c.next.as_deref().ok_or_else(|| err(&format!("{pointer}/Catch/{i}"), "Next is missing"))?;
            let catch_pointer = format!("{pointer}/Catch/{i}");
            catchers.push(CatchRule {
                error_equals: c.error_equals.clone().unwrap_or_default(),
                next: target(n, &format!("Catch/{i}/Next"))?,
                result_path: result_placement(&c.result_path, &format!("{catch_pointer}/ResultPath"))?,
                output: if is_jsonata { jsonata_payload(&c.output, "Output", &catch_pointer, &mut uses_context)? } else { None },
                assign: assignment(&c.assign, query_language, "Assign", &catch_pointer, &mut uses_context)?,
            });
        }
        let action = match &state.kind {
            StateKind::Pass(p) => Action::Pass { result: p.result.as_ref().map(|r| Payload::new(r.to_serde())) },
            StateKind::Succeed => Action::Succeed,
            StateKind::Fail(f) => Action::Fail(FailSpec {
                error_expression: match f.error.as_ref().filter(|t| is_jsonata && crate::asl::jsonata::expression_text(t).is_some()) {
                    Some(t) => Some(jsonata(&Value::String(t.clone()), "Error", &format!("{pointer}/Error"), &mut uses_context)?),
                    None => None,
                },
                cause_expression: match f.cause.as_ref().filter(|t| is_jsonata && crate::asl::jsonata::expression_text(t).is_some()) {
                    Some(t) => Some(jsonata(&Value::String(t.clone()), "Cause", &format!("{pointer}/Cause"), &mut uses_context)?),
                    None => None,
                },
                error: f.error.clone(),
                error_path: f.error_path.as_deref().map(|p| path_or_call(p, &format!("{pointer}/ErrorPath"), &mut uses_context)).transpose()?,
                cause: f.cause.clone(),
                cause_path: f.cause_path.as_deref().map(|p| path_or_call(p, &format!("{pointer}/CausePath"), &mut uses_context)).transpose()?,
            }),
            StateKind::Wait(w) => Action::Wait(if let Some(t) = jsonata_number(&w.seconds, "Seconds", pointer, &mut uses_context)? {
                WaitSpec::SecondsExpression(t)
            } else if let Some(t) = w.timestamp.as_ref().filter(|t| is_jsonata && crate::asl::jsonata::expression_text(t).is_some()) {
                WaitSpec::TimestampExpression(jsonata(&Value::String(t.clone()), "Timestamp", &format!("{pointer}/Timestamp"), &mut uses_context)?)
            } else if let Some(s) = &w.seconds {
                match s {
                    NumberOrExpression::Number(n) => WaitSpec::Seconds(
                        n.as_u64().or_else(|| n.text().parse::<f64>().ok().filter(|f| f.fract() == 0.0 && *f >= 0.0).map(|f| f as u64))
                            .ok_or_else(|| err(&format!("{pointer}/Seconds"), "Seconds must be a non-negative integer"))?,
                    ),
                    NumberOrExpression::Expression(_) => return Err(err(pointer, "JSONata expressions are not supported yet")),
                }
            } else if let Some(p) = &w.seconds_path {
                WaitSpec::SecondsPath(path(p, &format!("{pointer}/SecondsPath"), &mut uses_context)?)
            } else if let Some(t) = &w.timestamp {
                WaitSpec::Timestamp(parse_rfc3339(t), t.clone())
            } else if let Some(p) = &w.timestamp_path {
                WaitSpec::TimestampPath(path(p, &format!("{pointer}/TimestampPath"), &mut uses_context)?)
            } else {
                return Err(err(pointer, "a Wait state needs Seconds, SecondsPath, Timestamp or TimestampPath"));
            }),
            StateKind::Choice(c) => {
                let mut rules = Vec::new();
                let mut effects = Vec::new();
                for (i, rule) in c.choices.iter().flatten().enumerate() {
                    let rule_pointer = format!("{pointer}/Choices/{i}");
                    let n = rule.next.as_deref().ok_or_else(|| err(&rule_pointer, "Next is missing"))?;
                    let test = match (&rule.test, is_jsonata) {
                        (Some(RuleTest::Condition(text)), true) => {
                            let field = format!("Choices[{i}]/Condition");
                            let source = crate::asl::jsonata::expression_text(text)
                                .ok_or_else(|| err(&format!("{rule_pointer}/Condition"), "a Condition must be a {% … %} expression"))?;
                            let expression = Expression::compile(source, Dialect::StepFunctions).map_err(|e| {
                                err(&format!("{rule_pointer}/Condition"), format!("the JSONata expression '{source}' does not parse: {e}"))
                            })?;
                            uses_context |= expression.reads_context();
                            Condition::Expression { expression, field }
                        }
                        (Some(RuleTest::ConstantCondition(b)), true) => Condition::Constant(*b),
                        _ => condition(rule, &rule_pointer, &mut uses_context)?,
                    };
                    rules.push((test, target(n, &format!("Choices/{i}/Next"))?));
                    effects.push(RuleEffects {
                        assign: assignment(&rule.assign, query_language, &format!("Choices[{i}]/Assign"), &rule_pointer, &mut uses_context)?,
                        output: if is_jsonata { jsonata_payload(&rule.output, "Output", &rule_pointer, &mut uses_context)? } else { None },
                    });
                }
                let default = c.default.as_deref().map(|n| target(n, "Default")).transpose()?;
                Action::Choice(ChoiceSpec { rules, effects, default })
            }
            StateKind::Task(t) => {
                let resource = t.resource.as_deref().ok_or_else(|| err(pointer, "Resource is missing"))?;
                let (target, integration, resource_type, resource_name) = classify_resource(resource);
                Action::Task(TaskSpec {
                    resource: resource.into(),
                    target,
                    integration,
                    resource_type: resource_type.into(),
                    resource_name: resource_name.into(),
                    timeout: seconds_source(&t.timeout_seconds, &t.timeout_seconds_path, &format!("{pointer}/TimeoutSeconds"), &mut uses_context)?,
                    heartbeat: seconds_source(&t.heartbeat_seconds, &t.heartbeat_seconds_path, &format!("{pointer}/HeartbeatSeconds"), &mut uses_context)?,
                })
            }
            StateKind::Parallel(_) => {
                let mut branches = Vec::new();
                for (how, b) in crate::asl::walk::nested(state, crate::asl::walk::Reach::Run) {
                    // The scope's language, not the Parallel's own (`walk::scope_language`).
                    branches.push(self.scope(b, &how.pointer(pointer), inherited)?);
                }
                Action::Parallel { branches }
            }
            StateKind::Map(m) => {
                let (how, processor_model) = crate::asl::walk::processor(m).ok_or_else(|| err(pointer, "ItemProcessor is missing"))?;
                let processor = self.scope(processor_model, &how.pointer(pointer), inherited)?;
                let selector = m.item_selector.as_ref().or(d.parameters.as_ref());
                let opt_path = |p: &Option<String>, field: &str, uses: &mut bool| {
                    p.as_deref().map(|p| path(p, &format!("{pointer}/{field}"), uses)).transpose()
                };
                Action::Map(MapSpec {
                    distributed: super::distributed::compile(m, name, query_language, pointer, &mut uses_context)?.map(Box::new),
                    selector_reads_execution_input: selector.is_some_and(|s| reads_execution_input(&s.to_serde())),
                    processor,
                    items_path: opt_path(&m.items_path, "ItemsPath", &mut uses_context)?,
                    items: if is_jsonata { jsonata_payload(&m.items, "Items", pointer, &mut uses_context)? } else { None },
                    item_selector_jsonata: match (selector, is_jsonata) {
                        (Some(s), true) => {
                            let mut ignored = false;
                            Some(jsonata(&s.to_serde(), "ItemSelector", &format!("{pointer}/ItemSelector"), &mut ignored)?)
                        }
                        _ => None,
                    },
                    max_concurrency_expression: jsonata_number(&m.max_concurrency, "MaxConcurrency", pointer, &mut uses_context)?,
                    tolerated_failure_count_expression: jsonata_number(&m.tolerated_failure_count, "ToleratedFailureCount", pointer, &mut uses_context)?,
                    tolerated_failure_percentage_expression: jsonata_number(
                        &m.tolerated_failure_percentage,
                        "ToleratedFailurePercentage",
                        pointer,
                        &mut uses_context,
                    )?,
                    item_selector: match selector.filter(|_| !is_jsonata) {
                        Some(s) => {
                            let mut ignored = false;
                            Some(template(s, &format!("{pointer}/ItemSelector"), &mut ignored)?)
                        }
                        None => None,
                    },
                    max_concurrency: literal_u64(&number_literal(&m.max_concurrency).cloned(), &format!("{pointer}/MaxConcurrency"))?,
                    max_concurrency_path: opt_path(&m.max_concurrency_path, "MaxConcurrencyPath", &mut uses_context)?,
                    tolerated_failure_count: literal_u64(
                        &number_literal(&m.tolerated_failure_count).cloned(),
                        &format!("{pointer}/ToleratedFailureCount"),
                    )?,
                    tolerated_failure_count_path: opt_path(&m.tolerated_failure_count_path, "ToleratedFailureCountPath", &mut uses_context)?,
                    tolerated_failure_percentage: literal_f64(
                        &number_literal(&m.tolerated_failure_percentage).cloned(),
                        &format!("{pointer}/ToleratedFailurePercentage"),
                    )?,
                    tolerated_failure_percentage_path: opt_path(
                        &m.tolerated_failure_percentage_path,
                        "ToleratedFailurePercentagePath",
                        &mut uses_context,
                    )?,
                })
            }
            StateKind::Unrecognized => return Err(err(pointer, "unknown state type")),
        };
        let arguments = if is_jsonata && !is_map { jsonata_payload(&d.arguments, "Arguments", pointer, &mut uses_context)? } else { None };
        let output = if is_jsonata { jsonata_payload(&d.output, "Output", pointer, &mut uses_context)? } else { None };
        let assign = assignment(&d.assign, query_language, "Assign", pointer, &mut uses_context)?;
        Ok(CompiledState {
            arguments,
            output,
            assign,
            name: name.into(),
            state_type,
            query_language,
            input_path,
            parameters,
            result_selector,
            result_path,
            output_path,
            next,
            retriers,
            catchers,
            uses_context,
            action,
        })
    }
}

fn condition(rule: &ChoiceRule, pointer: &str, uses_context: &mut bool) -> Result<Condition, CompileError> {
    let test = rule.test.as_ref().ok_or_else(|| err(pointer, "the rule has no comparison"))?;
    Ok(match test {
        RuleTest::Compare { operator, operand } => {
            let variable_text = rule.variable.as_deref().ok_or_else(|| err(pointer, "Variable is missing"))?;
            let variable = path(variable_text, &format!("{pointer}/Variable"), uses_context)?;
            let field_pointer = format!("{pointer}/{}", operator.name());
            let operand = match (operand, operator.operand_kind()) {
                (Operand::Path(p), _) => CompiledOperand::Path(path(p, &field_pointer, uses_context)?),
                (Operand::String(s), model::OperandKind::Timestamp) => CompiledOperand::Timestamp(parse_rfc3339(s)),
                (Operand::String(s), _) => CompiledOperand::String(s.clone()),
                (Operand::Number(n), _) => CompiledOperand::Number(n.as_f64()),
                (Operand::Boolean(b), _) => CompiledOperand::Boolean(*b),
            };
            Condition::Compare { variable, operator: *operator, operand }
        }
        RuleTest::And(rules) => Condition::And(
            rules.iter().enumerate().map(|(i, r)| condition(r, &format!("{pointer}/And/{i}"), uses_context)).collect::<Result<_, _>>()?,
        ),
        RuleTest::Or(rules) => Condition::Or(
            rules.iter().enumerate().map(|(i, r)| condition(r, &format!("{pointer}/Or/{i}"), uses_context)).collect::<Result<_, _>>()?,
        ),
        RuleTest::Not(r) => Condition::Not(Box::new(condition(r, &format!("{pointer}/Not"), uses_context)?)),
        RuleTest::Condition(_) | RuleTest::ConstantCondition(_) => {
            return Err(err(&format!("{pointer}/Condition"), "a Condition belongs to a JSONata state"));
        }
    })
}
