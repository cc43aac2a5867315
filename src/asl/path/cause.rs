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

/// SecondsPath selected a negative whole number: a Wait cannot go back in time. "The
/// SecondsPath parameter references a negative value: $.input.waitSeconds == -1", in the shape
/// of its sibling [`seconds_path_not_long`].
pub fn seconds_path_negative(path: &str, value: &Value) -> String {
    format!("The SecondsPath parameter references a negative value: {path} == {}", bare(value))
}

/// How AWS shows the offending value in a "The …Path field refers to value \"…\"" cause: between
/// double quotes, a string as its content (not re-escaped), anything else as compact JSON
/// (`"{}"`, `"1.5"`, `"[1,2]"`, `"null"`).
pub fn quoted(value: &Value) -> String {
    format!("\"{}\"", bare(value))
}

/// MaxConcurrencyPath (and the like) selected something that is not an integer: "The
/// MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.x".
pub fn field_not_integer(field: &str, path: &str, value: &Value) -> String {
    format!("The {field} field refers to value {} which is not a valid integer: {path}", quoted(value))
}

/// ToleratedFailurePercentagePath selected something that is not a number: "The
/// ToleratedFailurePercentagePath field refers to value \"NoNumber\" which is not a valid float:
/// $.ToleratedFailurePercentage" (AWS's words, recorded in LocalStack's
/// `test_map_state_tolerated_failure_percentage_path` snapshots).
pub fn field_not_number(field: &str, path: &str, value: &Value) -> String {
    format!("The {field} field refers to value {} which is not a valid float: {path}", quoted(value))
}

/// A Fail's ErrorPath or CausePath (a path or an intrinsic call, `source` as written) gave
/// something that is not a string: "The CausePath field refers to value \"{}\" which is not a
/// valid string: $.cause".
pub fn field_not_string(field: &str, source: &str, value: &Value) -> String {
    format!("The {field} field refers to value {} which is not a valid string: {source}", quoted(value))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// (value, how a "...Path" cause shows it)
    const QUOTED: [(&str, &str); 9] = [
        (r#""NoNumber""#, r#""NoNumber""#),
        (r#""say \"hi\"""#, r#""say "hi"""#),
        (r#""""#, r#""""#),
        ("{}", r#""{}""#),
        (r#"{"a":[1,2]}"#, r#""{"a":[1,2]}""#),
        ("1.5", r#""1.5""#),
        ("-3", r#""-3""#),
        ("true", r#""true""#),
        ("null", r#""null""#),
    ];

    #[test]
    fn path_causes_quote_a_string_by_its_content_and_anything_else_as_compact_json() {
        for (value, shown) in QUOTED {
            let value: Value = serde_json::from_str(value).unwrap();
            assert_eq!(quoted(&value), shown, "{value}");
            assert_eq!(
                field_not_integer("MaxConcurrencyPath", "$.m", &value),
                format!("The MaxConcurrencyPath field refers to value {shown} which is not a valid integer: $.m")
            );
            assert_eq!(
                field_not_string("ErrorPath", "$.e", &value),
                format!("The ErrorPath field refers to value {shown} which is not a valid string: $.e")
            );
        }
    }

    #[test]
    fn a_negative_seconds_path_names_the_path_and_the_value() {
        assert_eq!(
            seconds_path_negative("$.input.waitSeconds", &json!(-1)),
            "The SecondsPath parameter references a negative value: $.input.waitSeconds == -1"
        );
    }
}
