//! The JSON writer: a [`Node`] tree back to text, numbers exactly as they were written.
//!
//! [`WriteStyle::Pretty`] is byte-for-byte the layout of `serde_json::to_string_pretty`
//! (two-space indent, `"key": value`, `[]` and `{}` when empty), so a definition written in that
//! layout reads and writes back to the identical text.

use super::{Node, Value};

/// How [`write`] lays the text out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteStyle {
    /// Two-space indented, one member or item per line.
    #[default]
    Pretty,
    /// No whitespace at all.
    Compact,
}

/// `node` as JSON text in `style`.
pub fn write(node: &Node, style: WriteStyle) -> String {
    let mut out = String::with_capacity(1024);
    write_node(node, style, 0, &mut out);
    out
}

fn newline(style: WriteStyle, depth: usize, out: &mut String) {
    if style == WriteStyle::Pretty {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    }
}

fn write_node(node: &Node, style: WriteStyle, depth: usize, out: &mut String) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(n.text()),
        Value::String(s) => write_string(s, out),
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_node(item, style, depth + 1, out);
            }
            newline(style, depth, out);
            out.push(']');
        }
        Value::Object(members) if members.is_empty() => out.push_str("{}"),
        Value::Object(members) => {
            out.push('{');
            for (i, member) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(style, depth + 1, out);
                write_string(&member.key, out);
                out.push_str(if style == WriteStyle::Pretty { ": " } else { ":" });
                write_node(&member.value, style, depth + 1, out);
            }
            newline(style, depth, out);
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escaped = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run_start..i]);
        if escaped.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0xf) as usize] as char);
        } else {
            out.push_str(escaped);
        }
        run_start = i + 1;
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}
