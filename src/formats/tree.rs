//! The located tree both template syntaxes read into: a JSON template (through `asl::json`) and
//! a YAML one (through `formats::yaml`) give the same [`Tree`], whose every node keeps its byte
//! span, its YAML tag (`!Sub`, `!Ref` ...) and how it was written, so a definition found in it
//! can be read as JSON and later written back over exactly its own bytes.

use super::error::FormatError;
use crate::asl::json::{Member, Node, Number, Span, Value};

/// One node of a template, where it was read and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub shape: Shape,
    /// A YAML tag as written (`!Sub`), when there is one.
    pub tag: Option<String>,
    /// Byte span in the source: a block collection ends where its last child ends, a block
    /// scalar where its last non-blank character is.
    pub start: usize,
    pub end: usize,
    pub style: Style,
}

/// How a node was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A YAML block collection (indentation).
    Block,
    /// A YAML flow collection (`{...}`, `[...]`) or a JSON one.
    Flow,
    /// A YAML plain scalar, or a JSON number, `true`, `false` or `null`: resolved by its text.
    Plain,
    SingleQuoted,
    DoubleQuoted,
    /// `|` and `>` block scalars.
    Literal,
    Folded,
    /// A JSON string.
    JsonString,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Map(Vec<Entry>),
    Seq(Vec<Tree>),
    /// A scalar's value (for [`Style::Plain`], its text, to resolve).
    Scalar(String),
}

/// One `key: value` of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_start: usize,
    pub key_end: usize,
    pub value: Tree,
}

impl Tree {
    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Tree> {
        match &self.shape {
            Shape::Map(entries) => entries.iter().find(|e| e.key == key).map(|e| &e.value),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[Entry] {
        match &self.shape {
            Shape::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Tree] {
        match &self.shape {
            Shape::Seq(items) => items,
            _ => &[],
        }
    }

    /// The text of a scalar that reads as a string (not a number, boolean or null).
    pub fn as_str(&self) -> Option<&str> {
        match (&self.shape, resolve_plain(self)) {
            (Shape::Scalar(s), None) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a collection (mapping or sequence).
    pub fn is_collection(&self) -> bool {
        !matches!(self.shape, Shape::Scalar(_))
    }

    /// The source text of the node.
    pub fn source<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or("")
    }

    /// A JSON tree from a JSON reader's tree.
    pub fn from_json(node: &Node) -> Tree {
        let (start, end) = (node.span.start as usize, node.span.end as usize);
        let (shape, style) = match &node.value {
            Value::Null => (Shape::Scalar("null".into()), Style::Plain),
            Value::Bool(b) => (Shape::Scalar(b.to_string()), Style::Plain),
            Value::Number(n) => (Shape::Scalar(n.text().to_string()), Style::Plain),
            Value::String(s) => (Shape::Scalar(s.clone()), Style::JsonString),
            Value::Array(items) => (Shape::Seq(items.iter().map(Tree::from_json).collect()), Style::Flow),
            Value::Object(members) => (
                Shape::Map(
                    members
                        .iter()
                        .map(|m| Entry {
                            key: m.key.clone(),
                            key_start: m.key_span.start as usize,
                            key_end: m.key_span.end as usize,
                            value: Tree::from_json(&m.value),
                        })
                        .collect(),
                ),
                Style::Flow,
            ),
        };
        Tree { shape, tag: None, start, end, style }
    }
}

/// What a plain scalar resolves to, when it is not a string (YAML 1.2's core schema, numbers
/// written as JSON numbers): `None` for a string.
pub fn resolve_plain(tree: &Tree) -> Option<Value> {
    let Shape::Scalar(text) = &tree.shape else { return None };
    if tree.style != Style::Plain || tree.tag.is_some() {
        return None;
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "true" | "True" | "TRUE" => return Some(Value::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Value::Bool(false)),
        _ => {}
    }
    json_number(text).map(|n| Value::Number(Number::from_text(n)))
}

/// A YAML decimal number as JSON number text (`+1` → `1`, `.5` → `0.5`, `1.` → `1.0`).
fn json_number(text: &str) -> Option<String> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let sign = if text.starts_with('-') { "-" } else { "" };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = match mantissa.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(int) || (int.is_empty() && frac.is_some_and(digits))) || !frac.is_none_or(|f| f.is_empty() || digits(f)) {
        return None;
    }
    if let Some(e) = exponent
        && !digits(e.strip_prefix(['+', '-']).unwrap_or(e))
    {
        return None;
    }
    // JSON forbids leading zeros: `007` is a string to us (YAML 1.1 would read it as octal).
    if int.len() > 1 && int.starts_with('0') {
        return None;
    }
    let mut out = format!("{sign}{}", if int.is_empty() { "0" } else { int });
    if let Some(f) = frac {
        out.push('.');
        out.push_str(if f.is_empty() { "0" } else { f });
    }
    if let Some(e) = exponent {
        out.push('e');
        out.push_str(e);
    }
    Some(out)
}

/// What [`to_json`] does with an intrinsic function met inside a definition.
pub trait Intrinsics {
    /// The string that stands for `tree` (a `${Name}` placeholder), or `None` when `tree` is
    /// not an intrinsic function.
    fn stand_in(&mut self, tree: &Tree) -> Option<String>;
}

/// Reads the tree as a JSON value, intrinsic functions becoming the placeholders `intrinsics`
/// gives. Errors are located at the node.
pub fn to_json(tree: &Tree, text: &str, intrinsics: &mut dyn Intrinsics) -> Result<Node, FormatError> {
    let span = Span::new(tree.start, tree.end);
    if let Some(s) = intrinsics.stand_in(tree) {
        return Ok(Node { value: Value::String(s), span });
    }
    if let Some(tag) = &tree.tag
        && !matches!(tag.as_str(), "!!str" | "!!map" | "!!seq" | "!!int" | "!!float" | "!!bool" | "!!null")
    {
        return Err(FormatError::at(text, tree.start, format!("the tag `{tag}` has no meaning inside a definition")));
    }
    let value = match &tree.shape {
        Shape::Scalar(s) => resolve_plain(tree).unwrap_or_else(|| Value::String(s.clone())),
        Shape::Seq(items) => Value::Array(items.iter().map(|t| to_json(t, text, intrinsics)).collect::<Result<_, _>>()?),
        Shape::Map(entries) => Value::Object(
            entries
                .iter()
                .map(|e| {
                    Ok(Member { key: e.key.clone(), key_span: Span::new(e.key_start, e.key_end), value: to_json(&e.value, text, intrinsics)? })
                })
                .collect::<Result<_, FormatError>>()?,
        ),
    };
    Ok(Node { value, span })
}

/// No intrinsic functions: every tag is an error.
pub struct NoIntrinsics;

impl Intrinsics for NoIntrinsics {
    fn stand_in(&mut self, _: &Tree) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: &str) -> Tree {
        Tree { shape: Shape::Scalar(s.into()), tag: None, start: 0, end: 0, style: Style::Plain }
    }

    #[test]
    fn plain_scalars_resolve_as_yaml_core_numbers_booleans_and_nulls() {
        let cases = [("1", "1"), ("-2.5", "-2.5"), ("+3", "3"), (".5", "0.5"), ("1.", "1.0"), ("1e5", "1e5"), ("2E-3", "2e-3")];
        for (yaml, json) in cases {
            assert_eq!(resolve_plain(&plain(yaml)), Some(Value::Number(Number::from_text(json))), "{yaml}");
        }
        assert_eq!(resolve_plain(&plain("true")), Some(Value::Bool(true)));
        assert_eq!(resolve_plain(&plain("~")), Some(Value::Null));
        for s in ["yes", "007", "1.2.3", "arn:aws:states:::lambda:invoke", "e5", ".", "-", "1e", "0x10"] {
            assert_eq!(resolve_plain(&plain(s)), None, "{s} is a string");
        }
    }
}
