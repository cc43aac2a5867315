//! Saving a definition back into its file by splicing: the bytes of the definition's slot are
//! replaced, the rest of the file is copied as it was. Inside an object slot the splice goes
//! down the old tree beside the new JSON and rewrites only the nodes that differ (a renamed
//! key is just that key), each in the style around it: JSON re-indented to its place, a YAML
//! block at its column, a YAML scalar quoted by `export::yaml`'s rule. Intrinsic functions
//! shown as placeholders are written back exactly as they were.

use super::error::FormatError;
use super::tree::{self, Intrinsics, Shape, Style, Tree};
use super::{Encoding, Machine, Slot, Token};
use crate::asl::json::{self, Node, Value, WriteStyle};
use crate::export::yaml;

/// `template` with `machine`'s definition replaced by `definition`.
pub fn save(template: &str, machine: &Machine, definition: &str) -> Result<String, FormatError> {
    let new = json::read(definition).map_err(|e| FormatError::at(definition, e.offset, format!("the definition is not JSON: {}", e.message)))?;
    let replaced = |start: usize, end: usize, with: &str| -> Result<String, FormatError> {
        if start > end || end > template.len() || !template.is_char_boundary(start) || !template.is_char_boundary(end) {
            return Err(FormatError::file("the template changed since it was opened: open it again"));
        }
        Ok(format!("{}{with}{}", &template[..start], &template[end..]))
    };
    match &machine.slot {
        Slot::WholeJson => Ok(definition.to_string()),
        Slot::WholeYaml { tree } => {
            let mut out = String::new();
            node(template, tree, &new, &[], Syntax::Yaml, &mut out)?;
            replaced(tree.start, tree.end, &out)
        }
        Slot::Object { tree, tokens, json } => {
            let mut out = String::new();
            node(template, tree, &new, tokens, if *json { Syntax::Json } else { Syntax::Yaml }, &mut out)?;
            replaced(tree.start, tree.end, &out)
        }
        Slot::Text { start, end, encoding } => replaced(*start, *end, &encode(definition, *encoding)),
        Slot::Join { start, end, delimiter, separator, yaml, tokens } => {
            if !delimiter.is_empty() {
                return Err(FormatError::file(format!("this `Fn::Join` joins with {delimiter:?}: only a join with \"\" can be written back")));
            }
            let pieces: Vec<String> = split(definition, tokens)
                .into_iter()
                .map(|piece| match piece {
                    Piece::Text(s) => quoted(s, *yaml),
                    Piece::Token(t) => t.source.clone(),
                })
                .collect();
            replaced(*start, *end, &pieces.join(separator))
        }
        Slot::Jsonencode { tree, tokens } => {
            let mut out = String::new();
            node(template, tree, &new, tokens, Syntax::Hcl, &mut out)?;
            replaced(tree.start, tree.end, &out)
        }
        Slot::External { path } => Err(FormatError::file(format!("the definition is in {path}: save it there"))),
    }
}

/// The syntax a node is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Json,
    Yaml,
    /// Terraform's HCL (a `jsonencode` argument).
    Hcl,
}

/// A string as a JSON string (made safe for YAML readers when in YAML).
fn quoted(s: &str, yaml: bool) -> String {
    let text = serde_json::to_string(s).unwrap_or_default();
    if yaml { yaml::json_for_yaml_readers(&text) } else { text }
}

/// The definition's text as the string encoding wants it.
fn encode(definition: &str, encoding: Encoding) -> String {
    match encoding {
        Encoding::JsonString => quoted(definition, false),
        Encoding::YamlScalar => quoted(definition, true),
        Encoding::HclString => quoted(definition, false).replace("%{", "%%{"),
        Encoding::Heredoc => definition.trim_end_matches(['\n', '\r']).to_string(),
        Encoding::YamlLiteral { indent } => {
            let pad = " ".repeat(indent);
            definition
                .trim_end()
                .lines()
                .map(|l| if l.trim().is_empty() { String::new() } else { format!("{pad}{l}") })
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

/// A piece of a joined definition: text, or a token's placeholder.
enum Piece<'a> {
    Text(&'a str),
    Token(&'a Token),
}

/// `definition` cut at every token placeholder.
fn split<'a>(definition: &'a str, tokens: &'a [Token]) -> Vec<Piece<'a>> {
    let mut out = Vec::new();
    let mut rest = definition;
    loop {
        let next = tokens.iter().filter_map(|t| rest.find(&t.placeholder).map(|i| (i, t))).min_by_key(|(i, _)| *i);
        match next {
            None => {
                if !rest.is_empty() || out.is_empty() {
                    out.push(Piece::Text(rest));
                }
                return out;
            }
            Some((i, t)) => {
                if i > 0 {
                    out.push(Piece::Text(&rest[..i]));
                }
                out.push(Piece::Token(t));
                rest = &rest[i + t.placeholder.len()..];
            }
        }
    }
}

/// Stands each intrinsic function in for the placeholder it was given when read.
struct Replay<'a>(&'a [Token], &'a str);

impl Intrinsics for Replay<'_> {
    fn stand_in(&mut self, node: &Tree) -> Option<String> {
        let source = node.source(self.1);
        self.0.iter().find(|t| t.source == source).map(|t| t.placeholder.clone())
    }
}

/// Writes `new` over `old` (read from `text`) into `out`: what did not change is copied.
fn node(text: &str, old: &Tree, new: &Node, tokens: &[Token], syntax: Syntax, out: &mut String) -> Result<(), FormatError> {
    let old_json = tree::to_json(old, text, &mut Replay(tokens, text))?;
    if old_json == *new {
        out.push_str(old.source(text));
        return Ok(());
    }
    if let Value::String(s) = &new.value
        && let Some(t) = tokens.iter().find(|t| t.placeholder == *s)
    {
        out.push_str(&t.source);
        return Ok(());
    }
    let intrinsic = Replay(tokens, text).stand_in(old).is_some();
    match (&old.shape, &new.value) {
        (Shape::Map(a), Value::Object(b)) if !intrinsic && positional(a, b) => {
            let mut cursor = old.start;
            for (x, y) in a.iter().zip(b) {
                out.push_str(&text[cursor..x.key_start]);
                if x.key == y.key {
                    out.push_str(&text[x.key_start..x.key_end]);
                } else {
                    out.push_str(&key_text(&y.key, syntax));
                }
                out.push_str(&text[x.key_end..x.value.start]);
                node(text, &x.value, &y.value, tokens, syntax, out)?;
                cursor = x.value.end;
            }
            out.push_str(&text[cursor..old.end]);
        }
        (Shape::Map(a), Value::Object(b)) if !intrinsic && !a.is_empty() && !b.is_empty() && same_order(a, b) => {
            merge(text, old, a, b, tokens, syntax, out)?;
        }
        (Shape::Seq(a), Value::Array(b)) if !intrinsic && a.len() == b.len() && !a.is_empty() => {
            let mut cursor = old.start;
            for (x, y) in a.iter().zip(b) {
                out.push_str(&text[cursor..x.start]);
                node(text, x, y, tokens, syntax, out)?;
                cursor = x.end;
            }
            out.push_str(&text[cursor..old.end]);
        }
        _ => out.push_str(&fresh(text, old, new, tokens, syntax)),
    }
    Ok(())
}

/// Whether the members of `a` and `b` pair up by position: the same count, and each pair the
/// same key or a renamed one (neither key in the other object).
fn positional(a: &[super::tree::Entry], b: &[crate::asl::json::Member]) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.iter().zip(b).all(|(x, y)| x.key == y.key || (!b.iter().any(|m| m.key == x.key) && !a.iter().any(|e| e.key == y.key)))
}

/// Whether the keys `a` and `b` share come in the same order in both (members were only added
/// or removed).
fn same_order(a: &[super::tree::Entry], b: &[crate::asl::json::Member]) -> bool {
    let common_a: Vec<&str> = a.iter().map(|e| e.key.as_str()).filter(|k| b.iter().any(|m| m.key == *k)).collect();
    let common_b: Vec<&str> = b.iter().map(|m| m.key.as_str()).filter(|k| a.iter().any(|e| e.key == *k)).collect();
    common_a == common_b
}

/// An object whose members were added or removed: the kept members keep their text (and the
/// separator before them, comments included), removed ones go, new ones are written fresh.
fn merge(
    text: &str,
    old: &Tree,
    a: &[super::tree::Entry],
    b: &[crate::asl::json::Member],
    tokens: &[Token],
    syntax: Syntax,
    out: &mut String,
) -> Result<(), FormatError> {
    let first = &a[0];
    let last = &a[a.len() - 1];
    let column = column_of(text, first.key_start);
    let flow = old.style == Style::Flow;
    let typical = match a.get(1) {
        Some(second) => text[first.value.end..second.key_start].to_string(),
        None if syntax == Syntax::Json && text[old.start..old.end].contains('\n') => format!(",\n{}", " ".repeat(column)),
        None if syntax == Syntax::Json || (flow && syntax == Syntax::Yaml) => ", ".to_string(),
        None => format!("\n{}", " ".repeat(column)),
    };
    out.push_str(&text[old.start..first.key_start]);
    for (i, y) in b.iter().enumerate() {
        let kept = a.iter().position(|x| x.key == y.key);
        if i > 0 {
            match kept {
                Some(k) if k > 0 => out.push_str(&text[a[k - 1].value.end..a[k].key_start]),
                _ => out.push_str(&typical),
            }
        }
        match kept {
            Some(k) => {
                let x = &a[k];
                out.push_str(&text[x.key_start..x.value.start]);
                node(text, &x.value, &y.value, tokens, syntax, out)?;
            }
            None => out.push_str(&fresh_member(&y.key, &y.value, column, syntax, flow, tokens)),
        }
    }
    out.push_str(&text[last.value.end..old.end]);
    Ok(())
}

/// A new member `key: value` whose key is at `column`.
fn fresh_member(key: &str, value: &Node, column: usize, syntax: Syntax, flow: bool, tokens: &[Token]) -> String {
    let collection = matches!(value.value, Value::Object(ref m) if !m.is_empty()) || matches!(value.value, Value::Array(ref a) if !a.is_empty());
    let pad = " ".repeat(column);
    let written = if syntax == Syntax::Json {
        format!("{}: {}", key_text(key, syntax), json::write(value, WriteStyle::Pretty).replace('\n', &format!("\n{pad}")))
    } else if syntax == Syntax::Hcl {
        return format!("{} = {}", key_text(key, syntax), super::terraform::hcl_object(value, &pad, tokens));
    } else if flow {
        format!("{}: {}", key_text(key, syntax), yaml::json_for_yaml_readers(&json::write(value, WriteStyle::Compact)))
    } else if collection {
        let pad = " ".repeat(column + 2);
        let block: Vec<String> = yaml::to_yaml(value).trim_end().lines().map(|l| format!("{pad}{l}")).collect();
        format!("{}:\n{}", key_text(key, syntax), block.join("\n"))
    } else {
        format!("{}: {}", key_text(key, syntax), scalar_text(value))
    };
    restore_tokens(written, tokens, syntax)
}

/// A YAML scalar (or empty collection) on one line.
fn scalar_text(value: &Node) -> String {
    match &value.value {
        Value::String(s) => yaml::string_text(s),
        Value::Number(n) => yaml::number_text(n.text()),
        _ => json::write(value, WriteStyle::Compact),
    }
}

/// Intrinsic functions moved or rewritten with their neighbours come back as they were.
fn restore_tokens(mut written: String, tokens: &[Token], syntax: Syntax) -> String {
    for t in tokens {
        let as_written = match syntax {
            Syntax::Json | Syntax::Hcl => quoted(&t.placeholder, false),
            Syntax::Yaml => yaml::string_text(&t.placeholder),
        };
        written = written.replace(&as_written, &t.source);
    }
    written
}

fn key_text(key: &str, syntax: Syntax) -> String {
    match syntax {
        Syntax::Json => quoted(key, false),
        Syntax::Yaml => yaml::string_text(key),
        Syntax::Hcl => super::terraform::hcl_key(key),
    }
}

/// `new` written where `old` was, in the style of the place.
fn fresh(text: &str, old: &Tree, new: &Node, tokens: &[Token], syntax: Syntax) -> String {
    let indent = column_of(text, old.start);
    let collection = matches!(new.value, Value::Object(ref m) if !m.is_empty()) || matches!(new.value, Value::Array(ref a) if !a.is_empty());
    let written = if syntax == Syntax::Json {
        json::write(new, WriteStyle::Pretty).replace('\n', &format!("\n{}", " ".repeat(indent)))
    } else if syntax == Syntax::Hcl {
        let line_start = text[..old.start].rfind('\n').map_or(0, |i| i + 1);
        let pad: String = text[line_start..].chars().take_while(|c| *c == ' ').collect();
        return super::terraform::hcl_object(new, &pad, tokens);
    } else if !collection {
        scalar_text(new)
    } else if old.style == Style::Block {
        // A block at the old node's column (the text before it, `key:\n` and the indentation,
        // is kept).
        yaml::to_yaml(new).trim_end().replace('\n', &format!("\n{}", " ".repeat(indent)))
    } else {
        // In a flow collection, or where a scalar was: a flow collection, which is JSON.
        yaml::json_for_yaml_readers(&json::write(new, WriteStyle::Compact))
    };
    restore_tokens(written, tokens, syntax)
}

/// The column (0-based, in bytes of indentation) of byte `at` on its line.
fn column_of(text: &str, at: usize) -> usize {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..at].chars().count()
}
