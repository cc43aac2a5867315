//! Python's way of printing and rounding, for the seed's Lambdas to answer byte for byte as
//! their Python source does: `repr(float)`, `str(x)`, `round(x, n)` and `json.dumps(x)`; the
//! Lambda Python runtime's error documents (`asl::conformance`'s declared functions) are
//! `json.dumps` too.

use serde_json::Value;

/// `repr(x)` of a Python float: the shortest text that reads back, `1.0` for whole numbers,
/// exponent form below 1e-4 and from 1e16 (`1e+16`, `1.5e-05`).
pub fn float_repr(x: f64) -> String {
    // Where Python writes no exponent, its digits are Rust's shortest round-trip digits in
    // plain notation; only a whole number needs its `.0`.
    if (1e-4..1e15).contains(&x.abs()) {
        let mut text = x.to_string();
        if !text.contains('.') {
            text.push_str(".0");
        }
        return text;
    }
    float_repr_general(x)
}

/// [`float_repr`] from Rust's exponent form, for any float.
fn float_repr_general(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    let sci = format!("{x:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
        };
        format!("{sign}{text}")
    } else {
        let rest = if digits.len() > 1 { format!(".{}", &digits[1..]) } else { String::new() };
        let exp_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{}{rest}e{exp_sign}{:02}", &digits[..1], exponent.abs())
    }
}

/// `round(x, ndigits)` of a Python float: the exact binary value rounded to `ndigits` decimals,
/// ties to even.
pub fn round(x: f64, ndigits: usize) -> f64 {
    if !x.is_finite() {
        return x;
    }
    // Rust's fixed-precision formatting rounds the exact binary value, ties to even, as
    // Python's correctly rounded dtoa does.
    format!("{x:.ndigits$}").parse().unwrap_or(x)
}

/// `str(x)` of the Python value a JSON value becomes.
pub fn str_of(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => repr(other),
    }
}

/// `repr(x)` of the Python value a JSON value becomes (`None`, `True`, `'text'`, `{'a': 1}`).
pub fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => float_repr(f),
            _ => n.to_string(),
        },
        Value::String(s) => {
            let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
            let mut out = String::with_capacity(s.len() + 2);
            out.push(quote);
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    c if c == quote => {
                        out.push('\\');
                        out.push(c);
                    }
                    c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push(quote);
            out
        }
        Value::Array(items) => format!("[{}]", items.iter().map(repr).collect::<Vec<_>>().join(", ")),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter().map(|(k, v)| format!("{}: {}", repr(&Value::String(k.clone())), repr(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// The Python type name of the value a JSON value becomes, for TypeError messages.
pub fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "NoneType",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float",
        Value::Number(_) => "int",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// `json.dumps(x)` with Python's defaults: `", "` and `": "` separators, non-ASCII escaped as
/// `\uXXXX`, floats as `repr`.
pub fn json_dumps(value: &Value) -> String {
    let mut out = String::new();
    dump(value, &mut out);
    out
}

fn dump(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => out.push_str(&match float_repr(f).as_str() {
                "nan" => "NaN".to_string(),
                "inf" => "Infinity".to_string(),
                "-inf" => "-Infinity".to_string(),
                other => other.to_string(),
            }),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => dump_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                dump_string(k, out);
                out.push_str(": ");
                dump(v, out);
            }
            out.push('}');
        }
    }
}

fn dump_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_ascii() && (c as u32) >= 0x20 => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn float_repr_matches_python() {
        assert_eq!(float_repr(30.000000000000004), "30.000000000000004");
        assert_eq!(float_repr(150.0), "150.0");
        assert_eq!(float_repr(0.1), "0.1");
        assert_eq!(float_repr(1e16), "1e+16");
        assert_eq!(float_repr(1.5e-5), "1.5e-05");
        assert_eq!(float_repr(0.0001), "0.0001");
        assert_eq!(float_repr(-12.5), "-12.5");
    }

    #[test]
    fn the_plain_notation_path_agrees_with_the_general_one() {
        // A deterministic spread of floats over the plain-notation range and its edges.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples = vec![1e-4, 1e15 - 1.0, 0.1, 0.2 + 0.1, 150.0, 30.000000000000004, 2.675, 1234567.125, 999999999999999.9];
        for _ in 0..20_000 {
            let exponent = (next() % 20) as i32 - 4;
            let mantissa = (next() % 1_000_000_000) as f64 / 1e9 + 1.0;
            let cents = (next() % 10_000_000) as f64 / 100.0;
            samples.push(mantissa * 10f64.powi(exponent));
            samples.push(-mantissa * 10f64.powi(exponent));
            samples.push(cents);
        }
        for x in samples {
            assert_eq!(float_repr(x), float_repr_general(x), "{x:e}");
        }
    }

    #[test]
    fn round_is_half_even_on_the_exact_value() {
        assert_eq!(round(150.0 * 0.2, 2), 30.0);
        assert_eq!(round(0.125, 2), 0.12);
        assert_eq!(round(0.375, 2), 0.38);
        assert_eq!(round(2.675, 2), 2.67);
    }

    #[test]
    fn json_dumps_matches_python() {
        assert_eq!(json_dumps(&json!({"a": 1, "b": [1.5, "é"], "c": null})), r#"{"a": 1, "b": [1.5, "\u00e9"], "c": null}"#);
    }
}
