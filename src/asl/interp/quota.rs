//! AWS's execution quotas, enforced as AWS enforces them: the 262,144-byte payload limit
//! (`States.DataLimitExceeded`, which `States.ALL` does not catch), 25,000 history events for a
//! Standard execution, and the longest an execution may run (1 year Standard, 5 minutes Express)
//! on the virtual clock. Also one limit of Statecraft's own: how deeply a payload may nest
//! ([`MAX_NESTING_DEPTH`]), so that a loop which wraps its data once per turn ends with an error
//! instead of overflowing the stack.

use std::io;

use serde_json::Value;

use super::{ExecutionType, StatesError, names};
use crate::asl::clock::Millis;

/// The most bytes (UTF-8, compact JSON) a state's input, output or a task's result may take.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The most events a Standard execution's history may hold; the last one may only be
/// ExecutionSucceeded.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

/// How many levels of arrays and objects a state's output may nest. AWS documents no such limit;
/// this one is Statecraft's. Without it a loop that wraps its data once per turn (a Parallel whose
/// Next is itself) builds a value thousands of levels deep, and copying, comparing or dropping it
/// recurses once per level until the stack runs out. 1,000 is the default nesting limit of
/// Jackson, the JSON library of AWS's Java SDK, far above anything a real workflow builds.
pub const MAX_NESTING_DEPTH: usize = 1_000;

/// Which quotas an execution enforces. AWS enforces all of them ([`Quotas::default`]); a
/// benchmark that reproduces another simulator's workloads (whose payloads are larger than AWS
/// allows) turns the size and history limits off with [`Quotas::unlimited`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotas {
    /// The payload limit in bytes (`None`: no limit).
    pub payload_bytes: Option<usize>,
    /// The history limit of Standard executions (`None`: no limit).
    pub history_events: Option<usize>,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { payload_bytes: Some(MAX_PAYLOAD_BYTES), history_events: Some(MAX_HISTORY_EVENTS) }
    }
}

impl Quotas {
    /// No payload or history limit (durations and the transition cap still hold).
    pub fn unlimited() -> Self {
        Quotas { payload_bytes: None, history_events: None }
    }

    /// Whether `value` is over the payload limit.
    pub fn payload_too_large(&self, value: &Value) -> bool {
        self.payload_bytes.is_some_and(|limit| exceeds(value, limit))
    }

    /// The error for a result of `state_name` that is over the payload limit or nested deeper
    /// than [`MAX_NESTING_DEPTH`] (checked first, and always: serialising such a value to count
    /// its bytes would itself recurse too deep).
    pub fn check_result(&self, state_name: &str, value: &Value) -> Result<(), StatesError> {
        if nested_deeper_than(value, MAX_NESTING_DEPTH) {
            return Err(result_too_deep(state_name));
        }
        if self.payload_too_large(value) {
            return Err(result_too_large(state_name));
        }
        Ok(())
    }
}

/// Whether `value` nests more than `limit` levels of arrays and objects (a scalar is level 0,
/// `[]` level 1). Walks with its own stack, so any depth is safe to measure.
pub fn nested_deeper_than(value: &Value, limit: usize) -> bool {
    fn children(value: &Value) -> Option<Box<dyn Iterator<Item = &Value> + '_>> {
        match value {
            Value::Array(items) => Some(Box::new(items.iter())),
            Value::Object(map) => Some(Box::new(map.values())),
            _ => None,
        }
    }
    let Some(root) = children(value) else { return false };
    if limit == 0 {
        return true;
    }
    let mut stack = vec![root];
    while let Some(top) = stack.last_mut() {
        match top.next() {
            Some(child) => {
                if let Some(grandchildren) = children(child) {
                    if stack.len() >= limit {
                        return true;
                    }
                    stack.push(grandchildren);
                }
            }
            None => {
                stack.pop();
            }
        }
    }
    false
}

/// The longest an execution of `execution_type` may run, in milliseconds.
pub fn max_duration_millis(execution_type: ExecutionType) -> Millis {
    match execution_type {
        ExecutionType::Standard => 365 * 24 * 3600 * 1000,
        ExecutionType::Express => 5 * 60 * 1000,
    }
}

/// Counts the bytes written and stops as soon as they pass the limit.
struct Counter {
    bytes: usize,
    limit: usize,
}

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len();
        if self.bytes > self.limit { Err(io::Error::other("over the limit")) } else { Ok(buf.len()) }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether `value` as compact JSON takes more than `limit` bytes. Nothing is allocated, and the
/// walk stops at the first byte past the limit, so a huge value costs no more than the limit.
pub fn exceeds(value: &Value, limit: usize) -> bool {
    serde_json::to_writer(Counter { bytes: 0, limit }, value).is_err()
}

/// Why StartExecution would refuse `input_text` (the input string as sent), in the words of
/// AWS's ValidationException; `None` when it is within the 262,144-byte limit. This is an API
/// error: no execution starts, so there is no history.
pub fn execution_input_error(input_text: &str) -> Option<String> {
    (input_text.len() > MAX_PAYLOAD_BYTES).then(|| {
        format!(
            "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to {MAX_PAYLOAD_BYTES} (the input is {} bytes)",
            input_text.len()
        )
    })
}

/// The error of a state (or task) whose result is over the payload limit, with AWS's cause.
pub fn result_too_large(state_name: &str) -> StatesError {
    StatesError::new(
        names::DATA_LIMIT_EXCEEDED,
        format!("The state/task '{state_name}' returned a result with a size exceeding the maximum number of bytes service limit."),
    )
}

/// The error of a state (or task) whose result nests deeper than [`MAX_NESTING_DEPTH`].
pub fn result_too_deep(state_name: &str) -> StatesError {
    StatesError::new(
        names::DATA_LIMIT_EXCEEDED,
        format!(
            "The state/task '{state_name}' returned a result nested more than {MAX_NESTING_DEPTH} levels deep, the most Statecraft simulates."
        ),
    )
}

/// The error an execution fails with when its history is full.
pub fn history_full() -> StatesError {
    StatesError::new(
        names::RUNTIME,
        format!("The execution reached the maximum number of history events ({MAX_HISTORY_EVENTS})."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn size_is_compact_json_bytes() {
        // {"a":"é"} is 10 bytes: é takes two in UTF-8.
        let value = json!({"a": "é"});
        assert_eq!(serde_json::to_string(&value).unwrap().len(), 10);
        assert!(!exceeds(&value, 10));
        assert!(exceeds(&value, 9));
    }

    /// `[[...[x]...]]` with `depth` brackets, built without recursion.
    fn nested(depth: usize) -> Value {
        (0..depth).fold(json!(1), |inner, _| Value::Array(vec![inner]))
    }

    #[test]
    fn depth_counts_levels_of_arrays_and_objects() {
        assert!(!nested_deeper_than(&json!(1), 0));
        assert!(nested_deeper_than(&json!([]), 0));
        assert!(!nested_deeper_than(&json!([]), 1));
        assert!(nested_deeper_than(&json!({"a": [1, {"b": []}]}), 3));
        assert!(!nested_deeper_than(&json!({"a": [1, {"b": []}]}), 4));
        assert!(!nested_deeper_than(&json!([[1], [[2]], 3]), 3));
        let deep = nested(MAX_NESTING_DEPTH + 1);
        assert!(nested_deeper_than(&deep, MAX_NESTING_DEPTH));
        assert_eq!(Quotas::unlimited().check_result("S", &deep).unwrap_err().error.as_deref(), Some("States.DataLimitExceeded"));
        assert!(Quotas::unlimited().check_result("S", &nested(MAX_NESTING_DEPTH)).is_ok());
        // The value is dropped level by level here, not by recursion.
        let mut value = deep;
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn start_execution_refuses_an_input_over_262144_bytes() {
        let fits = format!("\"{}\"", "a".repeat(MAX_PAYLOAD_BYTES - 2));
        assert_eq!(execution_input_error(&fits), None);
        let over = format!("\"{}\"", "é".repeat(MAX_PAYLOAD_BYTES / 2));
        let message = execution_input_error(&over).expect("refused");
        assert!(message.starts_with("1 validation error detected: Value at 'input'"), "{message}");
        assert!(message.ends_with("(the input is 262146 bytes)"), "{message}");
    }

    #[test]
    fn the_payload_limit_is_262144_bytes() {
        // A string of n characters is n + 2 bytes with its quotes.
        let quotas = Quotas::default();
        assert!(!quotas.payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES - 2))));
        assert!(quotas.payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES - 1))));
        assert!(!Quotas::unlimited().payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES))));
    }
}
