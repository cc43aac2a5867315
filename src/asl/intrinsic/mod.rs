//! AWS's intrinsic functions (`States.Format(…)`, `States.Array(…)`, … all 18 of them).
//!
//! Owns: the lexer ([`lexer`]), the parser ([`parse`] → [`Call`], errors as [`IntrinsicError`]
//! with a byte offset), the table of (name, arity, function) in [`table`] that catches unknown
//! names and wrong arities at parse time, one file per AWS category of functions, and evaluation
//! ([`Call::eval`], errors as [`IntrinsicEvalError`] carrying AWS's error name).
//!
//! Evaluation sees the world only through [`crate::asl::path::Roots`] (input, `$$`, variables)
//! and a random-number generator the caller owns and seeds, so UUIDs and MathRandom replay.

mod arrays;
mod encoding;
mod generic;
mod json;
mod lexer;
mod math;
mod parser;
mod string;
pub mod table;
mod uuid;

#[cfg(test)]
mod tests;

use std::fmt;

use rand::RngCore;
use serde_json::Value;

use crate::asl::path::{EvalError, JsonPath, Roots};

pub use table::{Arity, Builtin, Function};

/// A syntax error in an intrinsic expression: what is wrong and the byte offset where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrinsicError {
    /// What is wrong, e.g. "States.ArrayRange takes 3 arguments, got 2".
    pub message: String,
    /// Byte offset into the expression text.
    pub offset: usize,
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for IntrinsicError {}

/// A parsed call: `States.Format('{}', $.a)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Which function.
    pub function: Function,
    /// The arguments, in order.
    pub args: Vec<Arg>,
    /// Byte offset of the function name in the expression.
    pub offset: usize,
}

/// One argument of a call.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A number, `true`, `false` or `null`.
    Literal(Value),
    /// A quoted string, escapes resolved.
    String(StringLiteral),
    /// A path: `$.a`, `$$.Execution.Input`, `$var`.
    Path(JsonPath),
    /// A nested call.
    Call(Box<Call>),
}

/// A quoted string argument, remembering which characters were escaped: in a Format template
/// `\{\}` is literal text while `{}` is a placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StringLiteral {
    /// The text with escapes resolved.
    pub text: String,
    /// For each character of `text`, whether it was written escaped.
    pub escaped: Vec<bool>,
}

/// Whether a string looks like an intrinsic call rather than a path (`States.` prefix).
pub fn is_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Parses an intrinsic expression. Never panics; unknown functions and wrong arities are errors.
pub fn parse(text: &str) -> Result<Call, IntrinsicError> {
    parser::parse(text)
}

/// Why a call failed while running.
#[derive(Clone, Debug, PartialEq)]
pub enum IntrinsicEvalError {
    /// A path argument selected nothing: `States.Runtime`, "The JsonPath argument for the field
    /// '$.x' could not be found in the input '…'".
    PathNotFound {
        /// The path argument as written.
        path: String,
        /// Why the path found nothing.
        reason: EvalError,
    },
    /// The function rejected its arguments: `States.IntrinsicFailure`.
    Failed {
        /// The function's AWS name, e.g. `States.ArrayGetItem`.
        function: &'static str,
        /// What was wrong.
        message: String,
    },
}

impl IntrinsicEvalError {
    /// The AWS error name the execution fails with.
    pub fn error_name(&self) -> &'static str {
        match self {
            IntrinsicEvalError::PathNotFound { .. } => "States.Runtime",
            IntrinsicEvalError::Failed { .. } => "States.IntrinsicFailure",
        }
    }

    /// The cause text, given the input the path arguments were read from (AWS quotes it).
    /// The interpreter prefixes it with the state's "An error occurred while executing …".
    pub fn cause(&self, input: &Value) -> String {
        match self {
            IntrinsicEvalError::PathNotFound { path, .. } => {
                crate::asl::path::cause::intrinsic_path_not_found(path, input)
            }
            IntrinsicEvalError::Failed { function, message } => {
                format!("The intrinsic function {function} failed: {message}")
            }
        }
    }
}

impl fmt::Display for IntrinsicEvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntrinsicEvalError::PathNotFound { path, reason } => {
                write!(f, "the path argument {path} found nothing: {reason}")
            }
            IntrinsicEvalError::Failed { function, message } => write!(f, "{function}: {message}"),
        }
    }
}

impl std::error::Error for IntrinsicEvalError {}

/// A function's complaint about its arguments, before the name is attached.
pub(crate) type Failure = String;

impl Call {
    /// The function's table entry.
    pub fn builtin(&self) -> &'static Builtin {
        table::builtin(self.function)
    }

    /// Runs the call: arguments left to right (paths through `roots`), then the function.
    /// Randomness (UUID, MathRandom without a seed) comes from `rng` only.
    pub fn eval(&self, roots: &Roots, rng: &mut dyn RngCore) -> Result<Value, IntrinsicEvalError> {
        let mut values = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            values.push(match arg {
                Arg::Literal(v) => v.clone(),
                Arg::String(s) => Value::String(s.text.clone()),
                Arg::Path(path) => {
                    path.eval(roots)
                        .map_err(|reason| IntrinsicEvalError::PathNotFound {
                            path: path.as_str().to_string(),
                            reason,
                        })?
                }
                Arg::Call(call) => call.eval(roots, rng)?,
            });
        }
        let builtin = self.builtin();
        table::run_of(self.function)(self, values, rng).map_err(|message| IntrinsicEvalError::Failed {
            function: builtin.name,
            message,
        })
    }
}
