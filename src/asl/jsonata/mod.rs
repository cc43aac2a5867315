//! JSONata for Step Functions: a small adapter around the `jlens-core` engine (pinned exactly in
//! `Cargo.toml`), so that the engine can be replaced without touching the interpreter or the
//! validator.
//!
//! Owns: compiling an expression ([`Expression::compile`], with the Step Functions dialect's
//! rules), evaluating it with `$states`, the workflow variables it names, the functions Step
//! Functions adds ([`functions`]), a `$now`/`$millis` from the caller's clock and randomness from
//! the caller's RNG; and value templates where `{% … %}` strings may appear anywhere
//! ([`template`]).
//!
//! Dialect: AWS documents JSONata 2.0.6. Version 2.1 added the `??` and `?:` operators, which
//! 2.0.6 rejects as a syntax error (`S0211`), and AWS makes `$eval` unavailable. The
//! [`Dialect::StepFunctions`] dialect does both; [`Dialect::Jsonata`] is the engine as it is
//! (JSONata 2.2), for the official test suite.
//!
//! AWS's bounds ([`aws`]): the Step Functions dialect evaluates within the depth and size AWS
//! holds an expression to, and fails past them in AWS's words. A number that is not finite is
//! AWS's string for it ("Infinity", "-Infinity", "NaN"), which the engine, whose values are JSON,
//! cannot carry: rebuilt as the result or in the arrays and objects built around it
//! ([`Expression::evaluate`]).

pub mod budget;
pub mod functions;
pub mod template;

use std::sync::Arc;

use rand::RngCore;
use serde_json::Value;

use crate::asl::path::Variables;

pub use budget::{Limits, Metered};
pub use template::{JsonataTemplate, TemplateError};

/// Which JSONata the expression is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Dialect {
    /// What AWS Step Functions runs: JSONata 2.0.6 (no `??`, no `?:`), without `$eval`, with
    /// `$partition`, `$range`, `$hash`, `$random(seed)`, `$uuid` and `$parse`.
    #[default]
    StepFunctions,
    /// The engine's own JSONata 2.2, with none of the Step Functions additions.
    Jsonata,
}

/// Why an expression could not be compiled or evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonataError {
    /// The expression does not parse. Example: `$states.input.` (`S0207`).
    Syntax {
        /// The JSONata error code, `S0xxx`.
        code: String,
        /// The engine's message.
        message: String,
        /// Byte offset in the expression text where the problem was found, when known.
        offset: Option<usize>,
    },
    /// The expression failed while running. Example: `$randomSeeded(1)` (`T1006`, not a
    /// function), `1 + "a"` (`T2001`).
    Evaluation {
        /// The JSONata error code (`T1006`, `D3030`, ...), or `SFN` for a Step Functions function's
        /// own argument checks.
        code: String,
        /// The message.
        message: String,
    },
}

impl JsonataError {
    /// The JSONata error code.
    pub fn code(&self) -> &str {
        match self {
            JsonataError::Syntax { code, .. } | JsonataError::Evaluation { code, .. } => code,
        }
    }

    /// The message without the code.
    pub fn message(&self) -> &str {
        match self {
            JsonataError::Syntax { message, .. } | JsonataError::Evaluation { message, .. } => message,
        }
    }

    /// `CODE: message`, as AWS prints it in a `States.QueryEvaluationError` cause; the message
    /// alone for the failures AWS gives no code ([`aws::prints_code`]).
    pub fn aws_text(&self) -> String {
        if aws::prints_code(self.code()) { format!("{}: {}", self.code(), self.message()) } else { self.message().to_string() }
    }

    /// What follows "threw an error during evaluation" in AWS's cause: `. CODE: message`, or
    /// `: message` for a failure AWS gives no code (its bounds, `$replace`'s empty pattern).
    pub fn aws_cause_tail(&self) -> String {
        if aws::prints_code(self.code()) { format!(". {}", self.aws_text()) } else { format!(": {}", self.aws_text()) }
    }

    fn from_engine(error: &jlens_core::Error, syntax: bool) -> Self {
        let code = error.code().to_string();
        let mut message = error.message();
        // A whole number in a message is written as JavaScript and AWS write it ("a negative
        // number: -1", not "-1.0").
        if let Some(Value::Number(n)) = error.value()
            && n.is_f64()
            && let Some(f) = n.as_f64()
            && f.fract() == 0.0
            && f.abs() < 1e15
        {
            message = message.replace(&n.to_string(), &format!("{}", f as i64));
        }
        if syntax {
            JsonataError::Syntax { code, message, offset: error.span().map(|s| s.start) }
        } else {
            JsonataError::Evaluation { code, message }
        }
    }
}

impl std::fmt::Display for JsonataError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JsonataError::Syntax { offset: Some(at), .. } => write!(f, "{} (at character {})", self.aws_text(), at + 1),
            _ => f.write_str(&self.aws_text()),
        }
    }
}

impl std::error::Error for JsonataError {}

/// Steps one evaluation may take before it fails with `U1006`: an expression that would loop
/// forever ends instead (the engine counts steps, not wall-clock time, so the limit is the same
/// on every machine and in WASM).
pub const DEFAULT_MAX_STEPS: u64 = Limits::DEFAULT.max_steps;

/// What an evaluation can see besides its input.
pub struct Environment<'a> {
    /// `$states`: `{input, context, result?, errorOutput?}`; `None` binds nothing.
    pub states: Option<&'a Value>,
    /// The workflow variables in scope (only the ones the expression names are bound).
    pub variables: &'a dyn Variables,
    /// Milliseconds since the epoch for `$now()` and `$millis()`: the caller's clock.
    pub now_millis: i64,
    /// Randomness for `$random()`, `$uuid()` and `$shuffle()`: drawn from only when the
    /// expression names one of them, so other expressions leave the caller's sequence alone.
    pub rng: &'a mut dyn RngCore,
    /// How far one evaluation may go ([`Limits::DEFAULT`] unless the caller chose).
    pub limits: Limits,
}

/// A compiled JSONata expression.
#[derive(Debug, Clone)]
pub struct Expression {
    source: Arc<str>,
    compiled: jlens_core::Expression,
    dialect: Dialect,
    /// Variables the expression names (without `$`), `states` and function names excluded.
    variables: Vec<String>,
    /// Every `$name` the expression mentions, functions included.
    names: Vec<String>,
    reads_context: bool,
    uses_randomness: bool,
}

impl Expression {
    /// Compiles `source` (the text between `{%` and `%}`).
    pub fn compile(source: &str, dialect: Dialect) -> Result<Expression, JsonataError> {
        let compiled = jlens_core::Expression::compile(source).map_err(|e| JsonataError::from_engine(&e, true))?;
        let mut names: Vec<String> = Vec::new();
        let mut fallback: Option<(usize, &'static str)> = None;
        let mut reads_context = false;
        // Names the expression binds itself (`$x := …`, lambda parameters) are not workflow variables.
        let mut bound: Vec<String> = Vec::new();
        compiled.ast().root.walk(&mut |node| match &node.kind {
            jlens_core::NodeKind::Bind { lhs, .. } => {
                if let jlens_core::NodeKind::Variable { name } = &lhs.kind {
                    bound.push(name.clone());
                }
            }
            jlens_core::NodeKind::Lambda(def) => bound.extend(def.params.iter().cloned()),
            jlens_core::NodeKind::Variable { name } => {
                if !name.is_empty() && !names.iter().any(|n| n == name) {
                    names.push(name.clone());
                }
            }
            jlens_core::NodeKind::Fallback { op, .. } if fallback.is_none() => {
                let symbol = match op {
                    jlens_core::ast::FallbackOp::Default => "?:",
                    jlens_core::ast::FallbackOp::Coalesce => "??",
                };
                fallback = Some((node.span.start, symbol));
            }
            _ => {}
        });
        if dialect == Dialect::StepFunctions {
            if let Some((at, symbol)) = fallback {
                // JSONata 2.0.6 reads `a ?? b` as a condition whose branch starts with `?`.
                let offset = source[at..].find(symbol).map_or(at, |i| at + i);
                return Err(JsonataError::Syntax {
                    code: "S0211".into(),
                    message: format!(
                        "The symbol {} cannot be used as a unary operator (the {symbol} operator came in JSONata 2.1; Step Functions runs 2.0.6)",
                        &symbol[1..]
                    ),
                    offset: Some(offset + 1),
                });
            }
        }
        if names.iter().any(|n| n == "states") {
            reads_context = reads_states_context(source);
        }
        let uses_randomness = names.iter().any(|n| matches!(n.as_str(), "random" | "uuid" | "shuffle"));
        let builtins = functions::names(dialect);
        let variables = names
            .iter()
            .filter(|n| n.as_str() != "states" && n.as_str() != "$" && !builtins.contains(&n.as_str()) && !bound.contains(n))
            .cloned()
            .collect();
        Ok(Expression { source: source.into(), compiled, dialect, variables, names, reads_context, uses_randomness })
    }

    /// The expression text.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The workflow variables the expression names, without `$` (`states` and the names of
    /// functions excluded): what the validator checks are defined.
    pub fn variables(&self) -> &[String] {
        &self.variables
    }

    /// Every `$name` the expression mentions, functions and `states` included.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether the expression may read `$states.context` (so the context object must be built).
    pub fn reads_context(&self) -> bool {
        self.reads_context
    }

    /// The `$states.…` fields the expression reads, found in its text: `input`, `result`,
    /// `errorOutput`, `context`, or `*` when it reads `$states` as a whole.
    pub fn states_fields(&self) -> Vec<String> {
        states_fields(&self.source)
    }

    /// Evaluates the expression against `input` (`$`), with `$states`, variables, the clock and
    /// the RNG from `env`. `Ok(None)` is JSONata's *undefined*.
    pub fn evaluate(&self, input: Option<&Value>, env: &mut Environment) -> Result<Option<Value>, JsonataError> {
        let seed = if self.uses_randomness { env.rng.next_u64() } else { 0 };
        let mut bindings = functions::bindings(self.dialect, seed);
        if let Some(states) = env.states {
            bindings = bindings.var("states", states.clone());
        }
        for name in &self.variables {
            if let Some(value) = env.variables.variable(name) {
                bindings = bindings.var(name.clone(), value.clone());
            }
        }
        let mut options = jlens_core::Options::new().now(env.now_millis).seed(seed);
        if self.dialect == Dialect::StepFunctions {
            options = options
                .max_depth(aws::MAX_DEPTH)
                .max_array_length(aws::MAX_ARRAY_LENGTH)
                .max_string_length(aws::MAX_STRING_LENGTH);
        }
        let result = bounded(&self.compiled, input, &bindings, options.clone(), env.limits);
        if self.dialect != Dialect::StepFunctions {
            return result;
        }
        match &result {
            // The engine refuses to carry an infinite number (JSON has none) and fails the
            // operation that made it with D1001; AWS answers "Infinity" for the whole expression.
            Err(JsonataError::Evaluation { code, .. }) if code == "D1001" => {
                let rebuilt = NonFinite { source: &self.source, input, bindings: &bindings, options: &options, limits: env.limits }
                    .value(&self.compiled.ast().root);
                rebuilt.unwrap_or(result)
            }
            // The engine writes a NaN as null; AWS answers "NaN". Only a null result can be one.
            Ok(Some(Value::Null)) if self.is_nan(input, &bindings, &options) => Ok(Some(Value::String("NaN".into()))),
            _ => result,
        }
    }

    /// Whether the expression, which gave null, gave a NaN (`0/0`, `$parseInteger('abc', '0')`):
    /// the engine writes one as null, AWS as the string "NaN" (measured as for [`NonFinite`]).
    /// Asked only on a null result: the expression runs
    /// again inside `$type(( … ))`, with the same seed: JSONata names a NaN's type "object" (its
    /// `isNumeric` is false for NaN), and a null's "null".
    fn is_nan(&self, input: Option<&Value>, bindings: &jlens_core::Bindings, options: &jlens_core::Options) -> bool {
        let Ok(probe) = jlens_core::Expression::compile(&format!("$type(({}\n))", self.source)) else { return false };
        let options = options.clone().max_steps(DEFAULT_MAX_STEPS);
        matches!(probe.evaluate_with(input, bindings, &options), Ok(Some(Value::String(t))) if t == "object")
    }

    /// Whether the expression, which gave *undefined*, in fact gave a function (`$sum`,
    /// `function($x) { $x }`): JSON cannot hold one, so the engine hands back *undefined*, while
    /// AWS reports "returned an unsupported result type". Asked only on that failure path: the
    /// expression runs again inside `$type(( … ))`, with a fixed seed so that the caller's
    /// random sequence is left alone.
    pub fn gives_function(&self, input: Option<&Value>, env: &Environment) -> bool {
        let Ok(probe) = jlens_core::Expression::compile(&format!("$type(({}\n))", self.source)) else { return false };
        let mut bindings = functions::bindings(self.dialect, 0);
        if let Some(states) = env.states {
            bindings = bindings.var("states", states.clone());
        }
        for name in &self.variables {
            if let Some(value) = env.variables.variable(name) {
                bindings = bindings.var(name.clone(), value.clone());
            }
        }
        let options = jlens_core::Options::new().now(env.now_millis).seed(0).max_steps(DEFAULT_MAX_STEPS);
        matches!(probe.evaluate_with(input, &bindings, &options), Ok(Some(Value::String(t))) if t == "function")
    }

    /// Evaluates with explicit engine options (the test-suite runner's depth and step limits).
    pub fn evaluate_with_limits(
        &self,
        input: Option<&Value>,
        variables: &serde_json::Map<String, Value>,
        max_depth: Option<usize>,
        max_steps: Option<u64>,
    ) -> Result<Option<Value>, JsonataError> {
        let mut bindings = functions::bindings(self.dialect, 0);
        for (name, value) in variables {
            bindings = bindings.var(name.clone(), value.clone());
        }
        let mut options = jlens_core::Options::new().now(0).seed(0);
        if let Some(depth) = max_depth {
            options = options.max_depth(depth);
        }
        let limits = Limits { max_steps: max_steps.unwrap_or(DEFAULT_MAX_STEPS), ..Limits::DEFAULT };
        bounded(&self.compiled, input, &bindings, options, limits)
    }
}

/// The value of an expression whose evaluation failed with D1001 because it made an infinite
/// number, as AWS answers it: the infinity written "Infinity" or "-Infinity" (measured with
/// TestState by the floci emulator's maintainers, floci-io/floci#2737 and #2783, pinned in its
/// `JsonataEvaluatorTest`: `1/0`, `-1/0` and `1e308 * 10` answer the string, `[1/0]`
/// `["Infinity"]`, `{'k': 1/0}` `{"k": "Infinity"}`). The engine, whose values are JSON, fails
/// the arithmetic that made it instead, so the value is rebuilt from the top: arithmetic on two
/// finite numbers (each operand evaluated on its own), and the array and object constructors
/// around it, their items evaluated on their own. An infinity that is then used (`1/0 + 1`,
/// `$string(1/0)`, `1/(10e300 * 10e100)`) is JSONata's D1001, as any other shape: `None`.
struct NonFinite<'a> {
    source: &'a str,
    input: Option<&'a Value>,
    bindings: &'a jlens_core::Bindings,
    options: &'a jlens_core::Options,
    limits: Limits,
}

impl NonFinite<'_> {
    /// The node's value (`Ok(None)`: *undefined*), or `None` when it cannot be given.
    fn value(&self, node: &jlens_core::Node) -> Option<Result<Option<Value>, JsonataError>> {
        use jlens_core::NodeKind;
        use jlens_core::ast::BinaryOp;
        let text = self.source.get(node.span.start..node.span.end)?;
        let compiled = jlens_core::Expression::compile(text).ok()?;
        match bounded(&compiled, self.input, self.bindings, self.options.clone(), self.limits) {
            Err(JsonataError::Evaluation { code, .. }) if code == "D1001" => {}
            other => return Some(other),
        }
        match &node.kind {
            NodeKind::Block { exprs, .. } => match exprs.as_slice() {
                [only] => self.value(only),
                _ => None,
            },
            NodeKind::Binary { op, lhs, rhs } => {
                let operand = |node: &jlens_core::Node| match self.value(node)? {
                    Ok(Some(Value::Number(n))) => n.as_f64(),
                    _ => None,
                };
                let (l, r) = (operand(lhs)?, operand(rhs)?);
                let n = match op {
                    BinaryOp::Add => l + r,
                    BinaryOp::Sub => l - r,
                    BinaryOp::Mul => l * r,
                    BinaryOp::Div => l / r,
                    _ => return None,
                };
                let name = if n == f64::INFINITY {
                    "Infinity"
                } else if n == f64::NEG_INFINITY {
                    "-Infinity"
                } else {
                    return None;
                };
                Some(Ok(Some(Value::String(name.into()))))
            }
            // JSONata's array constructor keeps an inner constructor's array as one item and
            // appends the items of any other array.
            NodeKind::Array { items } => {
                let mut out = Vec::new();
                for item in items {
                    match self.value(item)? {
                        Err(_) => return None,
                        Ok(None) => {}
                        Ok(Some(value)) if matches!(item.kind, NodeKind::Array { .. }) => out.push(value),
                        Ok(Some(Value::Array(values))) => out.extend(values),
                        Ok(Some(value)) => out.push(value),
                    }
                }
                Some(Ok(Some(Value::Array(out))))
            }
            // An object constructor on an array input groups over its items: not rebuilt.
            NodeKind::Object { pairs } if !matches!(self.input, Some(Value::Array(_))) => {
                let mut out = serde_json::Map::new();
                for (key, value) in pairs {
                    let NodeKind::String { value: key } = &key.kind else { return None };
                    match self.value(value)? {
                        Err(_) => return None,
                        Ok(None) => {}
                        Ok(Some(value)) => {
                            out.insert(key.clone(), value);
                        }
                    }
                }
                Some(Ok(Some(Value::Object(out))))
            }
            _ => None,
        }
    }
}

/// Evaluates within `limits`: the engine's step budget, and the memory budget that
/// [`budget::Metering`] enforces through the engine's cancel token. A budget passed is an
/// evaluation error whose message names the limit.
fn bounded(
    compiled: &jlens_core::Expression,
    input: Option<&Value>,
    bindings: &jlens_core::Bindings,
    options: jlens_core::Options,
    limits: Limits,
) -> Result<Option<Value>, JsonataError> {
    let metering = budget::Metering::start(limits.max_memory);
    let options = options.max_steps(limits.max_steps).cancel_token(metering.token());
    let result = compiled.evaluate_with(input, bindings, &options);
    let exceeded = metering.exceeded();
    drop(metering);
    // The engine reads the token between steps: a budget passed by the last step's allocation
    // (one `[1..5000000]`) is caught here.
    let result = match result {
        Ok(_) if exceeded => Err(jlens_core::Error::new("U1003")),
        other => other,
    };
    result.map_err(|e| match e.code() {
        "U1003" if exceeded => JsonataError::Evaluation {
            code: "U1003".into(),
            message: format!(
                "The evaluation was stopped: it held more than {} of memory (Statecraft's limit for one expression)",
                budget::human_bytes(limits.max_memory)
            ),
        },
        "U1006" => JsonataError::Evaluation {
            code: "U1006".into(),
            message: format!(
                "The evaluation was stopped: it took more than {} steps (Statecraft's limit for one expression)",
                limits.max_steps
            ),
        },
        "D1011" => JsonataError::Evaluation { code: "D1011".into(), message: aws::STACK_OVERFLOW.into() },
        "U1001" if aws::is_size_bound(&e.message()) => JsonataError::Evaluation { code: "U1001".into(), message: aws::MEMORY_LIMIT.into() },
        _ => JsonataError::from_engine(&e, false),
    })
}

/// The bounds AWS holds one JSONata evaluation to, and its words past them: measured against
/// AWS with TestState (us-east-1) by the floci emulator's maintainers, floci-io/floci#2736 and
/// #2737, and pinned in its `JsonataEvaluatorTest` ("every expected string below was captured
/// from real AWS through test-state").
pub mod aws {
    /// How deep evaluation may nest: AWS evaluates an expression nested 100 deep and refuses
    /// one 101 deep, whatever the nesting is made of (an addition chain nests one level a term;
    /// parentheses, brackets and `~>` one level more than their count; the non-tail-recursive
    /// `$f := function($x){ $x <= 0 ? 0 : 1 + $f($x-1) }` runs `$f(31)` and refuses `$f(32)`).
    /// The engine counts depth as jsonata-js does, one level a node evaluated.
    pub const MAX_DEPTH: usize = 100;

    /// The most items an array or sequence the evaluation builds may hold: AWS evaluates
    /// `[1..873782]` and refuses one item more (on its memory limit).
    pub const MAX_ARRAY_LENGTH: usize = 873_782;

    /// The longest string the evaluation may build, in bytes: AWS builds a string of 2^22
    /// characters and refuses one of 2^23. Where between them AWS's bound lies was not
    /// measured; the longest string it might accept is allowed, so no expression AWS runs is
    /// refused here.
    pub const MAX_STRING_LENGTH: usize = (1 << 23) - 1;

    /// AWS's cause past [`MAX_DEPTH`], after "threw an error during evaluation: ".
    pub const STACK_OVERFLOW: &str = "Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive";

    /// AWS's cause past its memory limit ([`MAX_ARRAY_LENGTH`], [`MAX_STRING_LENGTH`]), after
    /// "threw an error during evaluation: ".
    pub const MEMORY_LIMIT: &str = "Expression evaluation memory limit exceeded: Check for excessive memory usage";

    /// Whether AWS prints the JSONata code before the message of an error with this code. It
    /// does for JSONata's own errors (`T0412: Argument 1 of function "sum" …`), not for its
    /// bounds (`D1011`, and `U1001` past a size limit) nor for `$replace`'s empty pattern
    /// (`D3010`: AWS answers "… threw an error during evaluation: Second argument of replace
    /// function cannot be an empty string").
    pub fn prints_code(code: &str) -> bool {
        !matches!(code, "D1011" | "U1001" | "D3010")
    }

    /// Whether the engine's `U1001` message is one of its size limits.
    pub(super) fn is_size_bound(message: &str) -> bool {
        message.contains("would exceed the size limit")
    }
}

/// Whether `source` may read `$states.context`: it names it, or uses `$states` other than
/// through `.input`, `.result` or `.errorOutput`.
fn reads_states_context(source: &str) -> bool {
    states_fields(source).iter().any(|f| f == "context" || f == "*")
}

fn states_fields(source: &str) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("$states") {
        rest = &rest[at + "$states".len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let after = rest.trim_start();
        let field = match after.strip_prefix('.') {
            Some(f) => {
                let f = f.trim_start();
                let end = f.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(f.len());
                if end == 0 { "*".to_string() } else { f[..end].to_string() }
            }
            None => "*".to_string(),
        };
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    fields
}

/// The expression inside a `{% … %}` string, trimmed (as AWS quotes it in causes), when `text`
/// is exactly one (AWS does not trim the string itself: a space before `{%` makes it plain text).
pub fn expression_text(text: &str) -> Option<&str> {
    text.strip_prefix("{%")?.strip_suffix("%}").filter(|_| text.len() >= 4).map(str::trim)
}

/// JSONata's name for the type of a value, as AWS's causes print it (`array`, `boolean`, ...):
/// the JSON type name.
pub use crate::asl::json::type_name;

#[cfg(test)]
mod tests;
