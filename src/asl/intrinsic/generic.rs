//! The generic intrinsic: States.Format.

use rand::RngCore;
use serde_json::Value;

use super::table::show;
use super::{Arg, Call, Failure};

/// One piece of a Format template.
enum Piece {
    Text(String),
    Hole,
}

/// A literal template: `{}` is a hole unless its braces were escaped (`\{\}`).
fn literal_pieces(text: &str, escaped: &[bool]) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let is_escaped = |i: usize| escaped.get(i).copied().unwrap_or(false);
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '{' && !is_escaped(i) && chars.get(i + 1) == Some(&'}') && !is_escaped(i + 1)
        {
            pieces.push(Piece::Text(std::mem::take(&mut current)));
            pieces.push(Piece::Hole);
            i += 2;
        } else {
            current.push(chars[i]);
            i += 1;
        }
    }
    pieces.push(Piece::Text(current));
    pieces
}

/// How Format writes a value: strings as they are, numbers, booleans and null as JSON, arrays as
/// `[a, b]` and objects as `{k=v, …}` (Java's collection style, which AWS uses).
fn render(value: &Value, out: &mut String) {
    match value {
        Value::String(s) => out.push_str(s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(key);
                out.push('=');
                render(item, out);
            }
            out.push('}');
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => out.push_str(&show(value)),
    }
}

/// `States.Format('Hello, {}', $.name)`: each `{}` replaced by the matching argument.
pub(crate) fn format(call: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let pieces = match (call.args.first(), args.first()) {
        (Some(Arg::String(lit)), _) => literal_pieces(&lit.text, &lit.escaped),
        (_, Some(Value::String(text))) => literal_pieces(text, &[]),
        (_, Some(other)) => {
            return Err(format!(
                "the template must be a string, got {}",
                show(other)
            ));
        }
        (_, None) => return Err("a template is required".into()),
    };
    let values = &args[1..];
    let holes = pieces.iter().filter(|p| matches!(p, Piece::Hole)).count();
    if holes != values.len() {
        return Err(format!(
            "the template has {holes} placeholder(s) but {} value(s) were given",
            values.len()
        ));
    }
    let mut out = String::new();
    let mut next = values.iter();
    for piece in &pieces {
        match piece {
            Piece::Text(text) => out.push_str(text),
            Piece::Hole => {
                if let Some(value) = next.next() {
                    render(value, &mut out);
                }
            }
        }
    }
    Ok(Value::String(out))
}
