//! AWS's execution quotas, enforced as AWS enforces them: the 262,144-byte payload limit
//! (`States.DataLimitExceeded`, which `States.ALL` does not catch), 25,000 history events for a
//! Standard execution, and the longest an execution may run (1 year Standard, 5 minutes Express)
//! on the virtual clock.

use std::io;

use serde_json::Value;

use super::{ExecutionType, StatesError, names};
use crate::asl::clock::Millis;

/// The most bytes (UTF-8, compact JSON) a state's input, output or a task's result may take.
pub const MAX_PAYLOAD_BYTES: usize = 262_144;

/// The most events a Standard execution's history may hold; the last one may only be
/// ExecutionSucceeded.
pub const MAX_HISTORY_EVENTS: usize = 25_000;

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

/// The error of a state (or task) whose result is over the payload limit, with AWS's cause.
pub fn result_too_large(state_name: &str) -> StatesError {
    StatesError::new(
        names::DATA_LIMIT_EXCEEDED,
        format!("The state/task '{state_name}' returned a result with a size exceeding the maximum number of bytes service limit."),
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

    #[test]
    fn the_payload_limit_is_262144_bytes() {
        // A string of n characters is n + 2 bytes with its quotes.
        let quotas = Quotas::default();
        assert!(!quotas.payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES - 2))));
        assert!(quotas.payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES - 1))));
        assert!(!Quotas::unlimited().payload_too_large(&Value::String("a".repeat(MAX_PAYLOAD_BYTES))));
    }
}
