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
use crate::asl::value::Payload;

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
    /// How far one JSONata evaluation may go (steps and memory, Statecraft's own bounds: AWS
    /// documents none). Kept by [`Quotas::unlimited`] too: they protect the process.
    pub jsonata: crate::asl::jsonata::Limits,
}

impl Default for Quotas {
    fn default() -> Self {
        Quotas { payload_bytes: Some(MAX_PAYLOAD_BYTES), history_events: Some(MAX_HISTORY_EVENTS), jsonata: Default::default() }
    }
}

impl Quotas {
    /// No payload or history limit (durations and the transition cap still hold).
    pub fn unlimited() -> Self {
        Quotas { payload_bytes: None, history_events: None, jsonata: Default::default() }
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

    /// [`Quotas::check_result`] of a payload, measured in the form it holds (a payload made in
    /// its shared form is measured without building its `serde_json::Value`).
    #[inline]
    pub fn check_payload(&self, state_name: &str, payload: &Payload) -> Result<(), StatesError> {
        let Some(shared) = payload.as_shared() else {
            return self.check_result(state_name, payload);
        };
        if shared.nested_deeper_than(MAX_NESTING_DEPTH) {
            return Err(result_too_deep(state_name));
        }
        // Checked for depth above, so serialising it cannot recurse too deep.
        if self.payload_bytes.is_some_and(|limit| {
            let mut counter = Counter { bytes: 0, limit };
            serde_json::to_writer(&mut counter, shared).is_err()
        }) {
            return Err(result_too_large(state_name));
        }
        Ok(())
    }
}

/// [`nested_deeper_than`] of a payload, in the form it holds.
pub fn payload_nested_deeper_than(payload: &Payload, limit: usize) -> bool {
    match payload.as_shared() {
        Some(shared) => shared.nested_deeper_than(limit),
        None => nested_deeper_than(payload, limit),
    }
}

/// Whether `value` nests more than `limit` levels of arrays and objects (a scalar is level 0,
/// `[]` level 1). The walk goes at most `limit + 1` levels down, whatever the value's depth, so
/// any value is safe to measure; it allocates nothing (it runs on every state's output).
pub fn nested_deeper_than(value: &Value, limit: usize) -> bool {
    // Only containers are visited: a scalar member costs a tag test, not a call.
    fn deeper(item: &Value, limit: usize) -> bool {
        matches!(item, Value::Array(_) | Value::Object(_)) && nested_deeper_than(item, limit)
    }
    match value {
        Value::Array(items) => limit == 0 || items.iter().any(|item| deeper(item, limit - 1)),
        Value::Object(map) => limit == 0 || map.values().any(|item| deeper(item, limit - 1)),
        _ => false,
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
/// walk stops as soon as the count passes the limit, so a huge value costs no more than the
/// limit. The bytes are counted, not written: only numbers go through serde_json's formatting.
pub fn exceeds(value: &Value, limit: usize) -> bool {
    let mut bytes = 0;
    count(value, limit, &mut bytes, 0).is_err()
}

/// The size of `value` as compact JSON, in bytes (what `serde_json::to_string` would give).
pub fn json_size(value: &Value) -> usize {
    let mut bytes = 0;
    let _ = count(value, usize::MAX, &mut bytes, 0);
    bytes
}

/// Adds the compact JSON size of `value` to `bytes`, exactly as serde_json writes it; `Err` as
/// soon as it passes `limit`. Past [`MAX_NESTING_DEPTH`] levels, serde_json itself counts.
fn count(value: &Value, limit: usize, bytes: &mut usize, depth: usize) -> Result<(), ()> {
    *bytes += match value {
        Value::Null | Value::Bool(true) => 4,
        Value::Bool(false) => 5,
        Value::Number(n) => {
            let mut counter = Counter { bytes: 0, limit: usize::MAX };
            serde_json::to_writer(&mut counter, n).map_err(|_| ())?;
            counter.bytes
        }
        Value::String(s) => string_bytes(s),
        _ if depth > MAX_NESTING_DEPTH => {
            let mut counter = Counter { bytes: 0, limit: limit.saturating_sub(*bytes) };
            serde_json::to_writer(&mut counter, value).map_err(|_| ())?;
            counter.bytes
        }
        Value::Array(items) => {
            *bytes += 2 + items.len().saturating_sub(1);
            for item in items {
                count(item, limit, bytes, depth + 1)?;
            }
            0
        }
        Value::Object(map) => {
            // Braces, commas, and a colon per member.
            *bytes += 2 + map.len().saturating_sub(1) + map.len();
            for (key, item) in map {
                *bytes += string_bytes(key);
                count(item, limit, bytes, depth + 1)?;
            }
            0
        }
    };
    if *bytes > limit { Err(()) } else { Ok(()) }
}

/// A string's size as serde_json writes it: quotes, and its escapes (`\"`, `\\`, `\n` and the
/// other short ones for control characters, `\u00XX` for the rest below 0x20).
fn string_bytes(s: &str) -> usize {
    // The extra bytes of one byte's escape.
    fn escape(b: u8) -> usize {
        match b {
            b'"' | b'\\' | 0x08 | 0x09 | 0x0a | 0x0c | 0x0d => 1,
            0..0x20 => 5,
            _ => 0,
        }
    }
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Whether some byte of `x` may be below `n` (may: a borrow can flag the byte above a hit).
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGH != 0;
    let mut extra = 0;
    let mut chunks = s.as_bytes().chunks_exact(8);
    // Eight bytes at a time: only a chunk that may hold a control character, a quote or a
    // backslash is looked at byte by byte.
    for chunk in &mut chunks {
        let x = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        if below(x, 0x20) || below(x ^ (ONES * u64::from(b'"')), 1) || below(x ^ (ONES * u64::from(b'\\')), 1) {
            extra += chunk.iter().map(|&b| escape(b)).sum::<usize>();
        }
    }
    extra += chunks.remainder().iter().map(|&b| escape(b)).sum::<usize>();
    s.len() + 2 + extra
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
    fn counted_sizes_are_serde_json_sizes() {
        let mut text = String::new();
        for c in 0u8..0x80 {
            text.push(char::from(c));
        }
        let values = [
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-17),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(2.2250738585072014e-308),
            json!(0.1 + 0.2),
            json!(text),
            json!("é 中 😀 \u{7f} \u{2028}"),
            json!("a long line with \"quotes\" and \\ back\tslashes, then plain text for a while\u{1f}!"),
            json!("\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{9}\u{a}\u{b}\u{c}\u{d}\u{e}\u{f}xyz"),
            json!([]),
            json!({}),
            json!([1, [2, [3, {}]], {"a\"b": "c\\d", "\n": [null, true]}]),
            json!({"orderId": "ORD-1", "amount": 12.34, "items": [{"id": 1}, {"id": 2}], "ok": false}),
        ];
        for value in values {
            let size = serde_json::to_string(&value).unwrap().len();
            assert_eq!(json_size(&value), size, "{value}");
            assert!(!exceeds(&value, size), "{value}");
            assert!(exceeds(&value, size - 1), "{value}");
        }
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
