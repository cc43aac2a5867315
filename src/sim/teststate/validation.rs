//! `mock.fieldValidationMode`: a mocked result checked against the API model of what the Task
//! calls. STRICT wants every required field present and every present field of the model's
//! type; PRESENT only the types; NONE nothing. Fields the model does not name are accepted in
//! every mode (AWS answered SUCCEEDED to `{"random": "json"}` for `events:putEvents` in STRICT).
//!
//! The models come from a [`ServiceModels`] catalogue. There is no catalogue of AWS's API models
//! in the project yet: [`KnownModels`] holds the few response shapes that are knowable without
//! one (Lambda's `Invoke` envelope and the integrations the simulator implements); a resource
//! it does not know is not checked. A full catalogue plugs in by implementing the trait.

use serde_json::Value;

use super::request::FieldValidationMode;

/// The type of a field in an API model.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    String,
    Integer,
    Double,
    Boolean,
    /// A timestamp: AWS's JSON protocols send it as a number of seconds or a string.
    Timestamp,
    /// Any JSON (a Lambda's payload, a DynamoDB item's attribute values).
    Document,
    List(Box<Shape>),
    /// A map from strings to values of one shape.
    Map(Box<Shape>),
    Structure { members: Vec<(&'static str, Shape)>, required: Vec<&'static str> },
}

/// Where to find the response model of a Task's resource.
pub trait ServiceModels {
    /// The shape of the result the resource gives (`arn:aws:states:::lambda:invoke` ...), or
    /// `None` when the catalogue does not know it (then nothing is checked).
    fn result_shape(&self, resource: &str) -> Option<Shape>;
}

/// The response models knowable without AWS's API models.
#[derive(Debug, Clone, Copy, Default)]
pub struct KnownModels;

fn structure(members: Vec<(&'static str, Shape)>, required: Vec<&'static str>) -> Shape {
    Shape::Structure { members, required }
}

impl ServiceModels for KnownModels {
    fn result_shape(&self, resource: &str) -> Option<Shape> {
        let base = resource.strip_suffix(".waitForTaskToken").unwrap_or(resource);
        let base = base.strip_prefix("arn:aws:states:::")?;
        Some(match base {
            // Lambda's InvokeResponse, as Step Functions gives it back.
            "lambda:invoke" => structure(
                vec![
                    ("StatusCode", Shape::Integer),
                    ("FunctionError", Shape::String),
                    ("LogResult", Shape::String),
                    ("Payload", Shape::Document),
                    ("ExecutedVersion", Shape::String),
                ],
                vec![],
            ),
            "sns:publish" => structure(vec![("MessageId", Shape::String), ("SequenceNumber", Shape::String)], vec![]),
            "sqs:sendMessage" => structure(
                vec![
                    ("MD5OfMessageBody", Shape::String),
                    ("MD5OfMessageAttributes", Shape::String),
                    ("MD5OfMessageSystemAttributes", Shape::String),
                    ("MessageId", Shape::String),
                    ("SequenceNumber", Shape::String),
                ],
                vec![],
            ),
            "events:putEvents" => structure(
                vec![
                    ("FailedEntryCount", Shape::Integer),
                    (
                        "Entries",
                        Shape::List(Box::new(structure(
                            vec![("EventId", Shape::String), ("ErrorCode", Shape::String), ("ErrorMessage", Shape::String)],
                            vec![],
                        ))),
                    ),
                ],
                vec![],
            ),
            "dynamodb:getItem" => structure(
                vec![("Item", Shape::Map(Box::new(Shape::Document))), ("ConsumedCapacity", Shape::Document)],
                vec![],
            ),
            "dynamodb:putItem" | "dynamodb:deleteItem" | "dynamodb:updateItem" => structure(
                vec![
                    ("Attributes", Shape::Map(Box::new(Shape::Document))),
                    ("ConsumedCapacity", Shape::Document),
                    ("ItemCollectionMetrics", Shape::Document),
                ],
                vec![],
            ),
            _ => return None,
        })
    }
}

/// Checks `value` against `shape` in `mode`: the first mismatch, as `path: what` (the path
/// from the result's root, `$.Entries[0].EventId`).
pub fn check(value: &Value, shape: &Shape, mode: FieldValidationMode) -> Result<(), String> {
    if mode == FieldValidationMode::None {
        return Ok(());
    }
    check_at(value, shape, mode, "$")
}

fn check_at(value: &Value, shape: &Shape, mode: FieldValidationMode, path: &str) -> Result<(), String> {
    let fits = match shape {
        Shape::String => value.is_string(),
        Shape::Integer => value.as_i64().is_some() || value.as_u64().is_some(),
        Shape::Double => value.is_number(),
        Shape::Boolean => value.is_boolean(),
        Shape::Timestamp => value.is_number() || value.is_string(),
        Shape::Document => true,
        Shape::List(item) => {
            let Some(items) = value.as_array() else { return Err(mismatch(path, "a list", value)) };
            for (i, v) in items.iter().enumerate() {
                check_at(v, item, mode, &format!("{path}[{i}]"))?;
            }
            true
        }
        Shape::Map(item) => {
            let Some(map) = value.as_object() else { return Err(mismatch(path, "a map", value)) };
            for (k, v) in map {
                check_at(v, item, mode, &format!("{path}.{k}"))?;
            }
            true
        }
        Shape::Structure { members, required } => {
            let Some(map) = value.as_object() else { return Err(mismatch(path, "an object", value)) };
            let missing = required.iter().find(|r| !map.contains_key(**r));
            if let (FieldValidationMode::Strict, Some(missing)) = (mode, missing) {
                return Err(format!("{path}.{missing}: the required field is missing"));
            }
            for (name, member) in members {
                if let Some(v) = map.get(*name) {
                    check_at(v, member, mode, &format!("{path}.{name}"))?;
                }
            }
            true
        }
    };
    if fits { Ok(()) } else { Err(mismatch(path, shape_name(shape), value)) }
}

fn shape_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::String => "a string",
        Shape::Integer => "an integer",
        Shape::Double => "a number",
        Shape::Boolean => "a boolean",
        Shape::Timestamp => "a timestamp",
        Shape::Document => "any JSON",
        Shape::List(_) => "a list",
        Shape::Map(_) => "a map",
        Shape::Structure { .. } => "an object",
    }
}

fn mismatch(path: &str, expected: &str, value: &Value) -> String {
    format!("{path}: expected {expected}, found {}", crate::asl::json::type_name(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lambda() -> Shape {
        KnownModels.result_shape("arn:aws:states:::lambda:invoke").unwrap()
    }

    #[test]
    fn the_modes_differ_on_required_fields_and_types() {
        let shape = structure(vec![("Id", Shape::String), ("Count", Shape::Integer)], vec!["Id"]);
        let missing = json!({"Count": 1});
        let wrong_type = json!({"Id": "a", "Count": "one"});
        assert!(check(&missing, &shape, FieldValidationMode::Strict).unwrap_err().contains("$.Id: the required field is missing"));
        assert_eq!(check(&missing, &shape, FieldValidationMode::Present), Ok(()));
        assert_eq!(check(&wrong_type, &shape, FieldValidationMode::Present), Err("$.Count: expected an integer, found string".into()));
        assert_eq!(check(&wrong_type, &shape, FieldValidationMode::None), Ok(()));
    }

    #[test]
    fn fields_the_model_does_not_name_are_accepted() {
        assert_eq!(check(&json!({"random": "json"}), &lambda(), FieldValidationMode::Strict), Ok(()));
        assert_eq!(check(&json!({"StatusCode": 200, "Payload": [1]}), &lambda(), FieldValidationMode::Strict), Ok(()));
        assert!(check(&json!({"StatusCode": "200"}), &lambda(), FieldValidationMode::Strict).is_err());
        assert!(check(&json!([1]), &lambda(), FieldValidationMode::Present).unwrap_err().contains("expected an object"));
    }

    #[test]
    fn nested_lists_are_checked_item_by_item() {
        let shape = KnownModels.result_shape("arn:aws:states:::events:putEvents").unwrap();
        let bad = json!({"Entries": [{"EventId": "a"}, {"EventId": 2}]});
        assert_eq!(check(&bad, &shape, FieldValidationMode::Present), Err("$.Entries[1].EventId: expected a string, found number".into()));
        assert_eq!(KnownModels.result_shape("arn:aws:states:::glue:startJobRun"), None);
        assert_eq!(KnownModels.result_shape("arn:aws:lambda:us-east-1:1:function:f"), None);
    }
}
