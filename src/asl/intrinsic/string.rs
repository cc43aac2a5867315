//! Intrinsics for strings: States.StringSplit.

use rand::RngCore;
use serde_json::Value;

use super::table::string_arg;
use super::{Call, Failure};

/// `States.StringSplit('a,b;c', ',;')` → `["a","b","c"]`: every character of the second
/// argument is a delimiter, and empty pieces are dropped (`",,"` → `[]`).
pub(crate) fn split(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let text = string_arg(&args[0], "string to split")?;
    let delimiters = string_arg(&args[1], "delimiter")?;
    let pieces = text
        .split(|c| delimiters.contains(c))
        .filter(|piece| !piece.is_empty())
        .map(|piece| Value::String(piece.to_string()))
        .collect();
    Ok(Value::Array(pieces))
}
