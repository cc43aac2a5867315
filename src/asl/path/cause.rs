//! AWS's cause texts for failures around paths, word for word as the recorded executions show
//! them. The interpreter raises `States.Runtime` with these, prefixed by [`in_state`].

use serde_json::Value;

use super::EvalError;

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// How AWS quotes a value after `==`: strings bare, everything else as compact JSON.
fn bare(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => compact(other),
    }
}

/// "An error occurred while executing the state 'S' (entered at the event id #2). <message>"
pub fn in_state(state: &str, entered_event_id: u64, message: &str) -> String {
    format!(
        "An error occurred while executing the state '{state}' (entered at the event id #{entered_event_id}). {message}"
    )
}

/// InputPath, OutputPath, ItemsPath and other plain paths: "Invalid path '$.a' : No results for
/// path: $['a']".
pub fn invalid_path(path: &str, error: &EvalError) -> String {
    format!("Invalid path '{path}' : {error}")
}

/// A `.$` field of Parameters/ResultSelector/ItemSelector whose path found nothing.
pub fn template_path_not_found(path: &str, field: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{path}' specified for the field '{field}' could not be found in the input '{}'",
        compact(input)
    )
}

/// A path argument of an intrinsic function that found nothing.
pub fn intrinsic_path_not_found(path: &str, input: &Value) -> String {
    format!(
        "The JsonPath argument for the field '{path}' could not be found in the input '{}'",
        compact(input)
    )
}

/// ResultPath could not be applied: "Unable to apply ReferencePath $.a to input \"text\"".
pub fn result_path_not_applicable(path: &str, input: &Value) -> String {
    format!(
        "Unable to apply ReferencePath {path} to input {}",
        compact(input)
    )
}

/// A `…Path` parameter (SecondsPath, TimestampPath, …) that selected nothing: "The SecondsPath
/// parameter does not reference an input value: $.input.waitSeconds".
pub fn parameter_not_found(parameter: &str, path: &str) -> String {
    format!("The {parameter} parameter does not reference an input value: {path}")
}

/// SecondsPath selected something that is not a whole number: "The SecondsPath parameter cannot
/// be parsed as a long value: $.input.waitSeconds == 1.5".
pub fn seconds_path_not_long(path: &str, value: &Value) -> String {
    format!(
        "The SecondsPath parameter cannot be parsed as a long value: {path} == {}",
        bare(value)
    )
}

/// TimestampPath selected something that is not an ISO-8601 timestamp.
pub fn timestamp_path_invalid(path: &str, value: &Value) -> String {
    format!(
        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {}",
        bare(value)
    )
}

/// MaxConcurrencyPath (and the like) selected something that is not an integer: "The
/// MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.x".
pub fn field_not_integer(field: &str, path: &str, value: &Value) -> String {
    format!(
        "The {field} field refers to value {} which is not a valid integer: {path}",
        compact(value)
    )
}
