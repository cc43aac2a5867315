//! The seed's four Python Lambdas (`src/seed/handlers/*.py`), reproduced exactly: the same
//! fields in the same order, the same French messages, `round(x, 2)` as Python rounds,
//! `ORD-nnnnn` from the execution's seeded RNG, `isoformat()` timestamps from the virtual clock,
//! the same `print()` lines, and Python's exceptions (`TypeError`, `AttributeError`) where the
//! Python code would raise one.

use rand::Rng;
use serde_json::{Map, Value, json};

use super::python;
use super::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::asl::clock::format_python_isoformat;
use crate::asl::interp::StatesError;

/// Registers the four functions under their names.
pub fn register(registry: &mut HandlerRegistry) {
    registry.register("ValidateInput", ValidateInput);
    registry.register("ProcessData", ProcessData);
    registry.register("SendNotification", SendNotification);
    registry.register("HandleError", HandleError);
}

/// The error a Lambda function reports when its Python code raises: the exception's type as the
/// error, and Lambda's JSON as the cause.
pub fn python_exception(error_type: &str, message: &str) -> StatesError {
    let cause = json!({"errorMessage": message, "errorType": error_type, "stackTrace": []});
    StatesError::new(error_type, serde_json::to_string(&cause).unwrap_or_default())
}

fn print_event(function: &str, event: &Value, context: &mut TaskContext) {
    context.log.push(format!("{function} - Event reçu: {}", python::json_dumps(event)));
}

/// `event.get(...)` needs a dict; anything else raises AttributeError.
fn as_dict<'v>(value: &'v Value) -> Result<&'v Map<String, Value>, StatesError> {
    value.as_object().ok_or_else(|| {
        python_exception("AttributeError", &format!("'{}' object has no attribute 'get'", python::type_name(value)))
    })
}

/// `key in event`, for the types the Python code could meet.
fn contains(event: &Value, key: &str) -> Result<bool, StatesError> {
    match event {
        Value::Object(map) => Ok(map.contains_key(key)),
        Value::Array(items) => Ok(items.iter().any(|i| i.as_str() == Some(key))),
        Value::String(s) => Ok(s.contains(key)),
        other => Err(python_exception(
            "TypeError",
            &format!("argument of type '{}' is not iterable", python::type_name(other)),
        )),
    }
}

/// Python's number view of a JSON value (bools are ints), or the TypeError of `op`.
fn number(value: &Value, op: &str, other_type: &str, left: bool) -> Result<f64, StatesError> {
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
        )),
    }
}

/// `ValidateInput.py`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ValidateInput;

impl TaskHandler for ValidateInput {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let event = request.input;
        print_event("ValidateInput", event, context);
        for field in ["name", "email", "amount"] {
            if !contains(event, field)? {
                return Ok(json!({
                    "statusCode": 400,
                    "isValid": false,
                    "error": format!("Champ manquant: {field}"),
                    "input": event,
                }));
            }
        }
        let amount = match event {
            Value::Object(map) => &map["amount"],
            other => {
                return Err(python_exception(
                    "TypeError",
                    &format!("{} indices must be integers or slices, not str", python::type_name(other)),
                ));
            }
        };
        if number(amount, "<=", "int", false)? <= 0.0 {
            return Ok(json!({
                "statusCode": 400,
                "isValid": false,
                "error": "Le montant doit être positif",
                "input": event,
            }));
        }
        Ok(json!({
            "statusCode": 200,
            "isValid": true,
            "message": "Validation réussie",
            "data": event,
        }))
    }
}

/// `ProcessData.py`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcessData;

impl TaskHandler for ProcessData {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let event = request.input;
        print_event("ProcessData", event, context);
        let data_value = as_dict(event)?.get("data").unwrap_or(event);
        let data = as_dict(data_value)?;
        let order_id = format!("ORD-{}", context.rng.random_range(10000..=99999));
        let zero = json!(0);
        let amount_for_math = data.get("amount").unwrap_or(&zero);
        let tax = python::round(number(amount_for_math, "*", "float", true)? * 0.20, 2);
        let total = python::round(number(amount_for_math, "*", "float", true)? * 1.20, 2);
        let get = |k: &str| data.get(k).cloned().unwrap_or(Value::Null);
        Ok(json!({
            "statusCode": 200,
            "isProcessed": true,
            "message": "Traitement terminé",
            "result": {
                "orderId": order_id,
                "customer": get("name"),
                "email": get("email"),
                "amount": get("amount"),
                "tax": tax,
                "total": total,
                "processedAt": format_python_isoformat(context.now),
                "status": "PROCESSED",
            },
        }))
    }
}

/// The f-string of `SendNotification.py`'s body, taken from the embedded source so that its
/// whitespace is exactly the Python file's.
fn notification_body_template() -> &'static str {
    let source = crate::seed::FUNCTIONS[2].python_source;
    let start = source.find("f\"\"\"").map(|i| i + 4).unwrap_or(0);
    let end = source[start..].find("\"\"\"").map_or(source.len(), |i| start + i);
    &source[start..end]
}

/// `SendNotification.py`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SendNotification;

impl TaskHandler for SendNotification {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let event = request.input;
        print_event("SendNotification", event, context);
        let empty = Value::Object(Map::new());
        let result_value = as_dict(event)?.get("result").unwrap_or(&empty);
        let result = as_dict(result_value)?;
        let get_or = |k: &str, default: &str| result.get(k).map_or_else(|| default.to_string(), python::str_of);
        let get = |k: &str| result.get(k).map_or_else(|| "None".to_string(), python::str_of);
        let body = notification_body_template()
            .replace("{result.get('customer', 'Client')}", &get_or("customer", "Client"))
            .replace("{result.get('orderId')}", &get("orderId"))
            .replace("{result.get('amount')}", &get("amount"))
            .replace("{result.get('tax')}", &get("tax"))
            .replace("{result.get('total')}", &get("total"));
        Ok(json!({
            "statusCode": 200,
            "message": "Notification envoyée",
            "notification": {
                "type": "EMAIL",
                "to": result.get("email").cloned().unwrap_or_else(|| json!("unknown@example.com")),
                "subject": format!("Commande {} confirmée", get_or("orderId", "N/A")),
                "body": body,
                "sentAt": format_python_isoformat(context.now),
                "status": "SENT",
            },
            "workflowStatus": "COMPLETED",
        }))
    }
}

/// `HandleError.py`.
#[derive(Debug, Clone, Copy, Default)]
pub struct HandleError;

impl TaskHandler for HandleError {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let event = request.input;
        print_event("HandleError", event, context);
        let map = as_dict(event)?;
        Ok(json!({
            "statusCode": 400,
            "message": "Workflow échoué",
            "errorDetails": {
                "errorType": "VALIDATION_ERROR",
                "errorMessage": map.get("error").cloned().unwrap_or_else(|| json!("Erreur inconnue")),
                "originalInput": map.get("input").cloned().unwrap_or_else(|| json!({})),
                "timestamp": format_python_isoformat(context.now),
                "workflowStatus": "FAILED",
            },
        }))
    }
}
