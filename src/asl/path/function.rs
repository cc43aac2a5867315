//! The path functions (`$.items.length()`, `$.prices.max()`, …) as Jayway JsonPath's function
//! package computes them: numeric aggregations read the numbers of an array and of the arguments
//! as doubles (so `sum()` of `[1, 2]` is `3.0`), and fail on none at all; `length()` is `null` for
//! anything but an array or an object; arguments are JSON written in place or paths evaluated
//! against the whole document.

use std::borrow::Cow;

use serde_json::Value;

use super::EvalError;
use super::ast::{FunctionArg, FunctionName, PathFunction, Segment, Selector};
use super::eval::{Walk, select};

const EMPTY_AGGREGATION: &str = "Aggregation function attempted to calculate value using empty array";

fn fail(message: impl Into<String>) -> EvalError {
    EvalError::Function {
        message: message.into(),
    }
}

/// `function` applied to `model` (the node, or the array of matches after a `..`).
pub(crate) fn call(function: &PathFunction, model: &Value, document: &Value) -> Result<Value, EvalError> {
    let args = || -> Result<Vec<Value>, EvalError> {
        function
            .args
            .iter()
            .map(|arg| match arg {
                FunctionArg::Json(v) => Ok(v.clone()),
                FunctionArg::Path(steps) => {
                    select(document, document, steps, steps.is_definite()).map(super::Selected::into_value)
                }
            })
            .collect()
    };
    match function.name {
        FunctionName::Length => length(function, model, document),
        FunctionName::Min | FunctionName::Max | FunctionName::Avg | FunctionName::Stddev | FunctionName::Sum => {
            let mut numbers = numbers_of(model);
            for arg in args()? {
                numbers.extend(numbers_of(&arg));
                if let Value::Number(n) = &arg {
                    numbers.extend(n.as_f64());
                }
            }
            aggregate(function.name, &numbers)
        }
        FunctionName::First | FunctionName::Last | FunctionName::Index => {
            let Value::Array(items) = model else {
                return Err(fail(EMPTY_AGGREGATION));
            };
            let target = match function.name {
                FunctionName::First => 0,
                FunctionName::Last => -1,
                _ => {
                    let mut numbers = Vec::new();
                    for arg in args()? {
                        numbers.extend(numbers_of(&arg));
                        if let Value::Number(n) = &arg {
                            numbers.extend(n.as_f64());
                        }
                    }
                    let Some(first) = numbers.first() else {
                        return Err(fail("index() needs a number argument"));
                    };
                    first.trunc() as i64
                }
            };
            let len = items.len() as i64;
            if target >= 0 {
                items
                    .get(target as usize)
                    .cloned()
                    .ok_or_else(|| fail(format!("Index {target} out of bounds for length {len}")))
            } else {
                // Jayway takes `size + index` only when it is above zero.
                let real = len + target;
                if real > 0 {
                    Ok(items[real as usize].clone())
                } else {
                    Err(fail(format!("Target index:{target} larger than object count:{len}")))
                }
            }
        }
        FunctionName::Keys => Ok(match model {
            Value::Object(map) => Value::Array(map.keys().cloned().map(Value::String).collect()),
            _ => Value::Null,
        }),
        FunctionName::Concat => {
            let mut out = String::new();
            if let Value::Array(items) = model {
                for item in items {
                    if let Value::String(s) = item {
                        out.push_str(s);
                    }
                }
            }
            for arg in args()? {
                match &arg {
                    Value::Array(items) => items.iter().for_each(|v| push_text(&mut out, v)),
                    other => push_text(&mut out, other),
                }
            }
            Ok(Value::String(out))
        }
        FunctionName::Append => Ok(match model {
            Value::Array(items) => {
                let mut items = items.clone();
                items.extend(args()?);
                Value::Array(items)
            }
            other => other.clone(),
        }),
        FunctionName::Distinct => match model {
            Value::Array(items) => {
                let mut seen: Vec<Value> = Vec::new();
                for item in items {
                    if !seen.contains(item) {
                        seen.push(item.clone());
                    }
                }
                Ok(Value::Array(seen))
            }
            _ => Err(fail("Aggregation function attempted unique values using non array")),
        },
    }
}

/// `length()`/`size()`. With a path argument, the length of that path's children (Jayway adds
/// a `[*]` to it) read from the model; otherwise the model's element or member count.
fn length(function: &PathFunction, model: &Value, document: &Value) -> Result<Value, EvalError> {
    if let Some(FunctionArg::Path(steps)) = function.args.first() {
        let inner = if steps.function.is_none() {
            let mut segments = steps.segments.clone();
            segments.push(Segment::Child(Selector::Wildcard));
            let mut out: Vec<Cow<Value>> = Vec::new();
            Walk::lenient(model).walk(model, &segments, false, &mut out);
            Value::Array(out.into_iter().map(Cow::into_owned).collect())
        } else {
            select(model, document, steps, steps.is_definite())?.into_value()
        };
        if let Value::Array(items) = inner {
            return Ok(Value::from(items.len()));
        }
    }
    Ok(match model {
        Value::Array(items) => Value::from(items.len()),
        Value::Object(map) => Value::from(map.len()),
        _ => Value::Null,
    })
}

/// The numbers among an array's elements.
fn numbers_of(value: &Value) -> Vec<f64> {
    match value {
        Value::Array(items) => items.iter().filter_map(Value::as_f64).collect(),
        _ => Vec::new(),
    }
}

fn aggregate(name: FunctionName, numbers: &[f64]) -> Result<Value, EvalError> {
    if numbers.is_empty() {
        return Err(fail(EMPTY_AGGREGATION));
    }
    let count = numbers.len() as f64;
    let sum: f64 = numbers.iter().sum();
    let result = match name {
        FunctionName::Sum => sum,
        FunctionName::Avg => sum / count,
        FunctionName::Min => numbers.iter().copied().fold(f64::MAX, f64::min),
        FunctionName::Max => numbers.iter().copied().fold(-f64::MAX, f64::max),
        _ => {
            let squares: f64 = numbers.iter().map(|x| x * x).sum();
            (squares / count - sum * sum / count / count).max(0.0).sqrt()
        }
    };
    Ok(Value::from(result))
}

/// An argument's text in `concat()`: a string as it is, anything else as JSON; `null` adds nothing.
fn push_text(out: &mut String, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_string()),
    }
}
