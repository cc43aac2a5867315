//! Intrinsics for JSON data: States.StringToJson, JsonToString, JsonMerge.

use rand::RngCore;
use serde_json::Value;

use super::table::{show, string_arg};
use super::{Call, Failure};

/// `States.StringToJson('{"a":1}')` → `{"a":1}`. An empty or whitespace-only string gives
/// `null`, as AWS's JSON reader (Jackson) finds no value in it rather than failing.
pub(crate) fn string_to_json(
    _: &Call,
    args: Vec<Value>,
    _: &mut dyn RngCore,
) -> Result<Value, Failure> {
    let text = string_arg(&args[0], "argument")?;
    if text.trim_matches([' ', '\t', '\n', '\r']).is_empty() {
        return Ok(Value::Null);
    }
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| format!("the string is not JSON: {e}"))?;
    if has_negative_zero(&value) {
        integer_zeros(&mut value, &mut integer_negative_zeros(text).into_iter());
    }
    Ok(value)
}

fn has_negative_zero(value: &Value) -> bool {
    match value {
        Value::Number(n) => n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative()),
        Value::Array(items) => items.iter().any(has_negative_zero),
        Value::Object(map) => map.values().any(has_negative_zero),
        _ => false,
    }
}

/// For each `-0…` number token in `text`, in order: whether it was written as an integer.
/// serde_json reads `-0` as the float -0.0, while AWS (Jackson) reads it as the integer 0.
fn integer_negative_zeros(text: &str) -> Vec<bool> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'-' || b.is_ascii_digit() {
            let start = i;
            while i + 1 < bytes.len()
                && matches!(bytes[i + 1], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            {
                i += 1;
            }
            let token = &text[start..=i];
            if token.starts_with('-') && token.parse::<f64>().is_ok_and(|f| f == 0.0) {
                out.push(!token.contains(['.', 'e', 'E']));
            }
        }
        i += 1;
    }
    out
}

/// Replaces the negative zeros written as integers by the integer 0, in document order.
fn integer_zeros(value: &mut Value, written_as_integer: &mut impl Iterator<Item = bool>) {
    match value {
        Value::Number(n)
            if n.as_f64().is_some_and(|f| f == 0.0 && f.is_sign_negative())
                && written_as_integer.next() == Some(true) =>
        {
            *value = Value::from(0);
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| integer_zeros(v, written_as_integer)),
        Value::Object(map) => map
            .values_mut()
            .for_each(|v| integer_zeros(v, written_as_integer)),
        _ => {}
    }
}

/// `States.JsonToString($.x)`: compact JSON text, keys in their order.
pub(crate) fn json_to_string(
    _: &Call,
    args: Vec<Value>,
    _: &mut dyn RngCore,
) -> Result<Value, Failure> {
    Ok(Value::String(show(&args[0])))
}

/// `States.JsonMerge(a, b, false)`: a shallow merge where `b`'s members win. AWS supports only
/// the shallow mode, so the flag must be `false`.
pub(crate) fn merge(_: &Call, mut args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    match &args[2] {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(
                "only the shallow merge is supported; the third argument must be false".into(),
            );
        }
        other => {
            return Err(format!(
                "the third argument must be the boolean false, got {}",
                show(other)
            ));
        }
    }
    let second = args.swap_remove(1);
    let first = args.swap_remove(0);
    match (first, second) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Ok(Value::Object(a))
        }
        (a, b) => Err(format!(
            "both arguments must be objects, got {} and {}",
            show(&a),
            show(&b)
        )),
    }
}
