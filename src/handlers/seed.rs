//! The seed's four Python Lambdas (`src/seed/handlers/*.py`), reproduced exactly: the same
//! fields in the same order, the same French messages, `round(x, 2)` as Python rounds,
//! `ORD-nnnnn` from the execution's seeded RNG, `isoformat()` timestamps from the virtual clock,
//! the same `print()` lines, and Python's exceptions (`TypeError`, `AttributeError`) where the
//! Python code would raise one.

use rand::Rng;
use serde_json::{Map, Value, json};

use crate::asl::python;
use super::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest, object};
use crate::asl::clock::format_python_isoformat;
use crate::asl::error::StatesError;
use crate::asl::path::member;

/// One of the seed's functions: the name of its Python file and its body in Rust. Invoking it
/// prints the event as every one of them does first, runs the body, and turns a Python exception
/// into Lambda's error for that function's source.
#[derive(Clone, Copy)]
pub struct SeedLambda {
    pub name: &'static str,
    body: fn(&Value, &mut TaskContext) -> Result<Value, PythonException>,
}

impl std::fmt::Debug for SeedLambda {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SeedLambda").field(&self.name).finish()
    }
}

/// The four functions, in the seed's order.
pub const LAMBDAS: [SeedLambda; 4] = [
    SeedLambda { name: "ValidateInput", body: validate_input },
    SeedLambda { name: "ProcessData", body: process_data },
    SeedLambda { name: "SendNotification", body: send_notification },
    SeedLambda { name: "HandleError", body: handle_error },
];

/// The seed function named `name`.
pub fn lambda(name: &str) -> Option<SeedLambda> {
    LAMBDAS.iter().copied().find(|l| l.name == name)
}

impl TaskHandler for SeedLambda {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let event = request.input;
        context.print(|| format!("{} - Event reçu: {}", self.name, python::json_dumps(event)));
        (self.body)(event, context).map_err(|e| e.into_lambda_error(source_of(self.name), context))
    }
}

/// Registers the four functions under their names.
pub fn register(registry: &mut HandlerRegistry) {
    for lambda in LAMBDAS {
        registry.register(lambda.name, lambda);
    }
}

/// An exception the Python code raises: its type, its message and the statement of
/// `lambda_handler` that raised it (as written in the function's source, for the stack trace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PythonException {
    pub error_type: &'static str,
    pub message: String,
    pub statement: &'static str,
}

/// `error_type: message`, raised by `statement`.
fn python_exception(error_type: &'static str, message: &str, statement: &'static str) -> PythonException {
    PythonException { error_type, message: message.to_string(), statement }
}

impl PythonException {
    /// The error Step Functions reports when a Python Lambda function raises, as AWS shapes it:
    /// the exception's type as the error name, and as the cause Lambda's error JSON
    /// `{"errorMessage", "errorType", "requestId", "stackTrace"}`, with the invocation's request
    /// id (a UUID from the execution's seeded RNG) and the frame of `lambda_handler` that raised
    /// (its line found in `python_source`).
    pub fn into_lambda_error(self, python_source: &str, context: &mut TaskContext) -> StatesError {
        let request_id = crate::asl::jsonata::functions::uuid_from(context.rng);
        let frames: Vec<Value> = python_source
            .lines()
            .position(|line| line.trim() == self.statement)
            .map(|i| format!("  File \"/var/task/lambda_function.py\", line {}, in lambda_handler\n    {}\n", i + 1, self.statement))
            .into_iter()
            .map(Value::String)
            .collect();
        let cause = object([
            ("errorMessage", Value::String(self.message)),
            ("errorType", Value::from(self.error_type)),
            ("requestId", Value::String(request_id)),
            ("stackTrace", Value::Array(frames)),
        ]);
        StatesError::new(self.error_type, serde_json::to_string(&cause).unwrap_or_default())
    }
}

/// The Python source of the seed function `name`.
fn source_of(name: &str) -> &'static str {
    crate::seed::FUNCTIONS.iter().find(|f| f.name == name).map_or("", |f| f.python_source)
}

/// `event.get(...)` needs a dict; anything else raises AttributeError.
fn as_dict<'v>(value: &'v Value, statement: &'static str) -> Result<&'v Map<String, Value>, PythonException> {
    value.as_object().ok_or_else(|| {
        python_exception("AttributeError", &format!("'{}' object has no attribute 'get'", python::type_name(value)), statement)
    })
}

/// `key in event`, for the types the Python code could meet.
fn contains(event: &Value, key: &str, statement: &'static str) -> Result<bool, PythonException> {
    match event {
        Value::Object(map) => Ok(member(map, key).is_some()),
        Value::Array(items) => Ok(items.iter().any(|i| i.as_str() == Some(key))),
        Value::String(s) => Ok(s.contains(key)),
        other => Err(python_exception(
            "TypeError",
            &format!("argument of type '{}' is not iterable", python::type_name(other)),
            statement,
        )),
    }
}

/// Python's number view of a JSON value (bools are ints), or the TypeError of `op`.
fn number(value: &Value, op: &str, other_type: &str, left: bool, statement: &'static str) -> Result<f64, PythonException> {
    match value {
        Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        other => Err(python_exception(
            "TypeError",
            &if left {
                format!("unsupported operand type(s) for {op}: '{}' and '{other_type}'", python::type_name(other))
            } else {
                format!("'{op}' not supported between instances of '{}' and '{other_type}'", python::type_name(other))
            },
            statement,
        )),
    }
}

/// `ValidateInput.py`.
fn validate_input(event: &Value, _context: &mut TaskContext) -> Result<Value, PythonException> {
    for field in ["name", "email", "amount"] {
        if !contains(event, field, "if field not in event:")? {
            return Ok(object([
                ("statusCode", Value::from(400)),
                ("isValid", Value::Bool(false)),
                ("error", Value::String(format!("Champ manquant: {field}"))),
                ("input", event.clone()),
            ]));
        }
    }
    let amount = match event {
        Value::Object(map) => {
            static NULL: Value = Value::Null;
            member(map, "amount").unwrap_or(&NULL)
        }
        other => {
            return Err(python_exception(
                "TypeError",
                &format!("{} indices must be integers or slices, not str", python::type_name(other)),
                "if event['amount'] <= 0:",
            ));
        }
    };
    if number(amount, "<=", "int", false, "if event['amount'] <= 0:")? <= 0.0 {
        return Ok(object([
            ("statusCode", Value::from(400)),
            ("isValid", Value::Bool(false)),
            ("error", Value::from("Le montant doit être positif")),
            ("input", event.clone()),
        ]));
    }
    Ok(object([
        ("statusCode", Value::from(200)),
        ("isValid", Value::Bool(true)),
        ("message", Value::from("Validation réussie")),
        ("data", event.clone()),
    ]))
}

/// `ProcessData.py`.
fn process_data(event: &Value, context: &mut TaskContext) -> Result<Value, PythonException> {
    let data_value = member(as_dict(event, "data = event.get('data', event)")?, "data").unwrap_or(event);
    let data = as_dict(data_value, "'customer': data.get('name'),")?;
    let order_id = format!("ORD-{}", context.rng.random_range(10000..=99999));
    let zero = json!(0);
    let amount_for_math = member(data, "amount").unwrap_or(&zero);
    let tax = python::round(number(amount_for_math, "*", "float", true, "'tax': round(data.get('amount', 0) * 0.20, 2),")? * 0.20, 2);
    let total = python::round(number(amount_for_math, "*", "float", true, "'total': round(data.get('amount', 0) * 1.20, 2),")? * 1.20, 2);
    let get = |k: &str| member(data, k).cloned().unwrap_or(Value::Null);
    Ok(object([
        ("statusCode", Value::from(200)),
        ("isProcessed", Value::Bool(true)),
        ("message", Value::from("Traitement terminé")),
        (
            "result",
            object([
                ("orderId", Value::String(order_id)),
                ("customer", get("name")),
                ("email", get("email")),
                ("amount", get("amount")),
                // As `json!` writes an f64: null when not finite.
                ("tax", Value::from(tax)),
                ("total", Value::from(total)),
                ("processedAt", Value::String(format_python_isoformat(context.now))),
                ("status", Value::from("PROCESSED")),
            ]),
        ),
    ]))
}

/// The f-string of `SendNotification.py`'s body, taken from the embedded source so that its
/// whitespace is exactly the Python file's.
fn notification_body_template() -> &'static str {
    static TEMPLATE: std::sync::OnceLock<&'static str> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let source = crate::seed::FUNCTIONS[2].python_source;
        let start = source.find("f\"\"\"").map(|i| i + 4).unwrap_or(0);
        let end = source[start..].find("\"\"\"").map_or(source.len(), |i| start + i);
        &source[start..end]
    })
}

/// The placeholders of the body, in the order [`SendNotification`] substitutes them.
const BODY_FIELDS: [&str; 5] = [
    "{result.get('customer', 'Client')}",
    "{result.get('orderId')}",
    "{result.get('amount')}",
    "{result.get('tax')}",
    "{result.get('total')}",
];

/// A piece of the body template: literal text, or the placeholder `BODY_FIELDS[i]`.
enum BodyPart {
    Text(&'static str),
    Field(usize),
}

/// The body template cut at its placeholders, once; `None` when its literal text holds a `{`
/// (then one pass could differ from the chain of `replace`s, and that chain is used).
fn body_parts() -> Option<&'static [BodyPart]> {
    static PARTS: std::sync::OnceLock<Option<Vec<BodyPart>>> = std::sync::OnceLock::new();
    PARTS
        .get_or_init(|| {
            let mut parts = Vec::new();
            let mut rest = notification_body_template();
            while let Some((at, field)) =
                BODY_FIELDS.iter().enumerate().filter_map(|(i, p)| rest.find(p).map(|at| (at, i))).min()
            {
                parts.push(BodyPart::Text(&rest[..at]));
                parts.push(BodyPart::Field(field));
                rest = &rest[at + BODY_FIELDS[field].len()..];
            }
            parts.push(BodyPart::Text(rest));
            let braces = parts.iter().any(|p| matches!(p, BodyPart::Text(t) if t.contains('{')));
            (!braces).then_some(parts)
        })
        .as_deref()
}

/// The body with `values` (one per [`BODY_FIELDS`]) substituted as `str.replace` would, one
/// placeholder after the other. When no value holds a `{`, no substituted text can contain a
/// later placeholder, and one pass over the cut template gives the same text.
fn notification_body(values: &[String; 5]) -> String {
    if let Some(parts) = body_parts().filter(|_| !values.iter().any(|v| v.contains('{'))) {
        let mut body = String::with_capacity(notification_body_template().len() + values.iter().map(String::len).sum::<usize>());
        for part in parts {
            body.push_str(match part {
                BodyPart::Text(text) => text,
                BodyPart::Field(i) => &values[*i],
            });
        }
        return body;
    }
    let mut body = notification_body_template().to_string();
    for (placeholder, value) in BODY_FIELDS.iter().zip(values) {
        body = body.replace(placeholder, value);
    }
    body
}

/// `SendNotification.py`.
fn send_notification(event: &Value, context: &mut TaskContext) -> Result<Value, PythonException> {
    let empty = Value::Object(Map::new());
    let result_value = member(as_dict(event, "result = event.get('result', {})")?, "result").unwrap_or(&empty);
    let result = as_dict(result_value, "'to': result.get('email', 'unknown@example.com'),")?;
    let get_or = |k: &str, default: &str| member(result, k).map_or_else(|| default.to_string(), python::str_of);
    let get = |k: &str| member(result, k).map_or_else(|| "None".to_string(), python::str_of);
    let body = notification_body(&[get_or("customer", "Client"), get("orderId"), get("amount"), get("tax"), get("total")]);
    Ok(object([
        ("statusCode", Value::from(200)),
        ("message", Value::from("Notification envoyée")),
        (
            "notification",
            object([
                ("type", Value::from("EMAIL")),
                ("to", member(result, "email").cloned().unwrap_or_else(|| json!("unknown@example.com"))),
                ("subject", Value::String(format!("Commande {} confirmée", get_or("orderId", "N/A")))),
                ("body", Value::String(body)),
                ("sentAt", Value::String(format_python_isoformat(context.now))),
                ("status", Value::from("SENT")),
            ]),
        ),
        ("workflowStatus", Value::from("COMPLETED")),
    ]))
}

/// `HandleError.py`.
fn handle_error(event: &Value, context: &mut TaskContext) -> Result<Value, PythonException> {
    let map = as_dict(event, "'errorMessage': event.get('error', 'Erreur inconnue'),")?;
    Ok(object([
        ("statusCode", Value::from(400)),
        ("message", Value::from("Workflow échoué")),
        (
            "errorDetails",
            object([
                ("errorType", Value::from("VALIDATION_ERROR")),
                ("errorMessage", member(map, "error").cloned().unwrap_or_else(|| json!("Erreur inconnue"))),
                ("originalInput", member(map, "input").cloned().unwrap_or_else(|| json!({}))),
                ("timestamp", Value::String(format_python_isoformat(context.now))),
                ("workflowStatus", Value::from("FAILED")),
            ]),
        ),
    ]))
}
