//! Value templates of JSONata states: JSON where any string that is exactly `{% … %}` is an
//! expression (Arguments, Output, Assign, Items, a Map's ItemSelector, Wait's Seconds, Fail's
//! Error ...). A string that is one expression yields that expression's value and type.
//!
//! Errors name the field as AWS does: `/` before each object key and `[i]` for each array index,
//! relative to the state (`Output/a/b[0]`).

use serde_json::{Map, Value};

use super::{Dialect, Environment, Expression, JsonataError};

/// A compiled template.
#[derive(Debug, Clone)]
pub enum JsonataTemplate {
    /// No expression inside: the value as written.
    Literal(Value),
    /// `"{% … %}"`.
    Expression(Expression),
    /// An array with an expression somewhere inside.
    Array(Vec<JsonataTemplate>),
    /// An object with an expression somewhere inside, keys in order.
    Object(Vec<(String, JsonataTemplate)>),
}

/// Why a template failed, with the field it failed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateError {
    /// An expression does not compile. Example: `{"a": "{% $states.input. %}"}`.
    Syntax { field: String, expression: String, error: JsonataError },
    /// An expression failed while running. Example: `"{% $randomSeeded(1) %}"`.
    Evaluation { field: String, expression: String, error: JsonataError },
    /// An expression gave *undefined*. Example: `"{% $states.input.absent %}"`.
    Undefined { field: String, expression: String },
    /// An expression gave a function, which JSON cannot hold. Example: `"{% $sum %}"`.
    UnsupportedResult { field: String, expression: String },
}

impl TemplateError {
    /// The field, as AWS names it (`Output/FunctionResult`).
    pub fn field(&self) -> &str {
        match self {
            TemplateError::Syntax { field, .. }
            | TemplateError::Evaluation { field, .. }
            | TemplateError::Undefined { field, .. }
            | TemplateError::UnsupportedResult { field, .. } => field,
        }
    }

    /// AWS's cause text after the state prefix.
    pub fn cause(&self) -> String {
        match self {
            TemplateError::Syntax { field, expression, error } | TemplateError::Evaluation { field, expression, error } => format!(
                "The JSONata expression '{expression}' specified for the field '{field}' threw an error during evaluation{}",
                error.aws_cause_tail()
            ),
            TemplateError::Undefined { field, expression } => {
                format!("The JSONata expression '{expression}' specified for the field '{field}' returned nothing (undefined).")
            }
            TemplateError::UnsupportedResult { field, expression } => unsupported_result(expression, field),
        }
    }
}

/// AWS's cause for an expression that gave a function: "The JSONata expression '$sum' specified
/// for the field 'Output' returned an unsupported result type."
pub fn unsupported_result(expression: &str, field: &str) -> String {
    format!("The JSONata expression '{expression}' specified for the field '{field}' returned an unsupported result type.")
}

impl JsonataTemplate {
    /// Compiles `value`; `field` names its root in errors (`Output`).
    pub fn compile(value: &Value, field: &str, dialect: Dialect) -> Result<JsonataTemplate, TemplateError> {
        match value {
            Value::String(text) => match super::expression_text(text) {
                Some(source) => Expression::compile(source, dialect).map(JsonataTemplate::Expression).map_err(|error| {
                    TemplateError::Syntax { field: field.to_string(), expression: source.to_string(), error }
                }),
                None => Ok(JsonataTemplate::Literal(value.clone())),
            },
            Value::Array(items) => {
                let parts = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| JsonataTemplate::compile(item, &format!("{field}[{i}]"), dialect))
                    .collect::<Result<Vec<_>, _>>()?;
                if parts.iter().all(|p| matches!(p, JsonataTemplate::Literal(_))) {
                    Ok(JsonataTemplate::Literal(value.clone()))
                } else {
                    Ok(JsonataTemplate::Array(parts))
                }
            }
            Value::Object(map) => {
                let parts = map
                    .iter()
                    .map(|(k, v)| JsonataTemplate::compile(v, &format!("{field}/{k}"), dialect).map(|t| (k.clone(), t)))
                    .collect::<Result<Vec<_>, _>>()?;
                if parts.iter().all(|(_, p)| matches!(p, JsonataTemplate::Literal(_))) {
                    Ok(JsonataTemplate::Literal(value.clone()))
                } else {
                    Ok(JsonataTemplate::Object(parts))
                }
            }
            other => Ok(JsonataTemplate::Literal(other.clone())),
        }
    }

    /// Every expression in the template, with its field.
    pub fn expressions(&self, field: &str) -> Vec<(String, &Expression)> {
        let mut out = Vec::new();
        self.collect(field, &mut out);
        out
    }

    fn collect<'t>(&'t self, field: &str, out: &mut Vec<(String, &'t Expression)>) {
        match self {
            JsonataTemplate::Literal(_) => {}
            JsonataTemplate::Expression(e) => out.push((field.to_string(), e)),
            JsonataTemplate::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    item.collect(&format!("{field}[{i}]"), out);
                }
            }
            JsonataTemplate::Object(pairs) => {
                for (k, v) in pairs {
                    v.collect(&format!("{field}/{k}"), out);
                }
            }
        }
    }

    /// Whether any expression may read `$states.context`.
    pub fn reads_context(&self) -> bool {
        self.expressions("").iter().any(|(_, e)| e.reads_context())
    }

    /// Evaluates the template; `field` names its root in errors.
    pub fn evaluate(&self, input: Option<&Value>, env: &mut Environment, field: &str) -> Result<Value, TemplateError> {
        match self {
            JsonataTemplate::Literal(v) => Ok(v.clone()),
            JsonataTemplate::Expression(e) => match e.evaluate(input, env) {
                Ok(Some(v)) => Ok(v),
                Ok(None) if e.gives_function(input, env) => {
                    Err(TemplateError::UnsupportedResult { field: field.to_string(), expression: e.source().to_string() })
                }
                Ok(None) => Err(TemplateError::Undefined { field: field.to_string(), expression: e.source().to_string() }),
                Err(error) => Err(TemplateError::Evaluation { field: field.to_string(), expression: e.source().to_string(), error }),
            },
            JsonataTemplate::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| item.evaluate(input, env, &format!("{field}[{i}]")))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array),
            JsonataTemplate::Object(pairs) => {
                let mut map = Map::with_capacity(pairs.len());
                for (k, v) in pairs {
                    map.insert(k.clone(), v.evaluate(input, env, &format!("{field}/{k}"))?);
                }
                Ok(Value::Object(map))
            }
        }
    }
}
