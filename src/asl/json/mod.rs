//! Span-keeping JSON: the tree every ASL reader starts from.
//!
//! [`read`] turns text into a [`Node`] tree in which every value and every object key knows its
//! byte [`Span`]; [`LineIndex`] turns a span into a 1-based line:column. Objects keep their
//! members in source order, duplicates included, so the validator can report duplicate keys and
//! the writer can give back what it read. Numbers keep their text, so `1.0` stays `1.0`.
//! [`write`] prints a tree back as text. [`parse`] is the older entry point that hands back a
//! `serde_json::Value` for code that only needs the data. [`Compact`] is the compact form of a
//! `Value` that is kept rather than worked on (the outputs of many executions). [`patch`] reads
//! an edited text again by re-reading only the value the edit lies in.

mod compact;
mod location;
pub mod patch;
mod reader;
mod typed;
mod writer;

pub use compact::Compact;
pub use location::{LineIndex, Position, escape_pointer_token};
pub use reader::{JsonSyntaxError, MAX_DEPTH, ReadNotes, read, read_noting_duplicates, repeated_keys};
pub use typed::{Typed, from_value, unexpected};
pub use writer::{WriteStyle, write};

/// A byte range `start..end` in the source text. Nodes built by code, not read, have an empty span at 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Span {
    /// Offset of the first byte.
    pub start: u32,
    /// Offset one past the last byte.
    pub end: u32,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start: start as u32, end: end as u32 }
    }
}

/// A JSON number as written: its text is kept so that printing it back gives the same characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number(String);

impl Number {
    /// The number written as `text`, which the caller vouches is a JSON number.
    pub fn from_text(text: impl Into<String>) -> Self {
        Number(text.into())
    }

    /// The number as JSON text.
    pub fn text(&self) -> &str {
        &self.0
    }

    /// The value as a float (large integers lose precision).
    pub fn as_f64(&self) -> f64 {
        self.0.parse().unwrap_or(f64::NAN)
    }

    /// The value when it is a non-negative integer written without fraction or exponent
    /// (`3`, not `3.0`), as AWS requires for counts and seconds.
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    /// The value when it is an integer written without fraction or exponent.
    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
}

impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number(n.to_string())
    }
}

/// One reference token of a JSON pointer as the key or index it names (`~1` is `/`, `~0` is `~`).
pub fn pointer_token(raw: &str) -> String {
    raw.replace("~1", "/").replace("~0", "~")
}

/// Whether the JSON pointer `pointer` is `outer` or lies inside it (`/States/A/Next` within
/// `/States/A`, not within `/States/AB`).
pub fn lies_within(pointer: &str, outer: &str) -> bool {
    pointer == outer || (pointer.starts_with(outer) && pointer.as_bytes().get(outer.len()) == Some(&b'/'))
}

/// One JSON value and where it was read.
///
/// Equality compares the JSON (number text included), not where it was read.
#[derive(Debug, Clone)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl PartialEq for Node {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

/// A JSON value whose children are [`Node`]s.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Node>),
    /// Members in source order; a key written twice appears twice.
    Object(Vec<Member>),
}

/// One `"key": value` member of an object.
#[derive(Debug, Clone)]
pub struct Member {
    pub key: String,
    /// Where the key (quotes included) was read.
    pub key_span: Span,
    pub value: Node,
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.value == other.value
    }
}

impl Node {
    /// Whether `other` is the same tree with the same spans (`==` leaves the spans out): what a
    /// re-read of an edited text must give, span for span.
    pub fn same_with_spans(&self, other: &Node) -> bool {
        self.span == other.span
            && match (&self.value, &other.value) {
                (Value::Object(x), Value::Object(y)) => {
                    x.len() == y.len() && x.iter().zip(y).all(|(m, n)| m.key == n.key && m.key_span == n.key_span && m.value.same_with_spans(&n.value))
                }
                (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(m, n)| m.same_with_spans(n)),
                (x, y) => x == y,
            }
    }

    /// A node built by code, with no source position.
    pub fn new(value: Value) -> Self {
        Node { value, span: Span::default() }
    }

    /// A string node built by code.
    pub fn string(s: impl Into<String>) -> Self {
        Node::new(Value::String(s.into()))
    }

    /// An object node built by code from `(key, value)` pairs in order.
    pub fn object(members: impl IntoIterator<Item = (String, Node)>) -> Self {
        Node::new(Value::Object(
            members.into_iter().map(|(key, value)| Member { key, key_span: Span::default(), value }).collect(),
        ))
    }

    /// An array node built by code.
    pub fn array(items: Vec<Node>) -> Self {
        Node::new(Value::Array(items))
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The members, if this is an object.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The items, if this is an array.
    pub fn as_array(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The value of the last member named `key`, if this is an object that has one (the last
    /// one wins, as in AWS's reader).
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?.iter().rev().find(|m| m.key == key).map(|m| &m.value)
    }

    /// What kind of JSON value this is, in words for messages: "a string", "an object"...
    pub fn kind_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The node at JSON pointer `pointer` (`""` is this node, `/States/A/Retry/0`), with the span
    /// of the key when the pointer ends on an object member.
    pub fn at_pointer(&self, pointer: &str) -> Option<(&Node, Option<Span>)> {
        let mut node = self;
        let mut key_span = None;
        if pointer.is_empty() {
            return Some((node, None));
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = pointer_token(raw);
            match &node.value {
                Value::Object(members) => {
                    let m = members.iter().rev().find(|m| m.key == token)?;
                    key_span = Some(m.key_span);
                    node = &m.value;
                }
                Value::Array(items) => {
                    node = items.get(token.parse::<usize>().ok()?)?;
                    key_span = None;
                }
                _ => return None,
            }
        }
        Some((node, key_span))
    }

    /// This tree as a `serde_json::Value` (key order kept; with duplicate keys the last wins).
    pub fn to_serde(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => n
                .text()
                .parse::<serde_json::Number>()
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Array(items) => serde_json::Value::Array(items.iter().map(Node::to_serde).collect()),
            Value::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.clone(), m.value.to_serde());
                }
                serde_json::Value::Object(map)
            }
        }
    }
}

/// What a [`Node::walk`] does after visiting a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Go on into the node's members or items.
    Descend,
    /// Leave the node's members or items out.
    Skip,
}

impl Node {
    /// Visits this node and every node below it, depth first in source order, with the key it
    /// is the value of (`None` for the start and for array items) and its JSON pointer (the
    /// start's pointer is `pointer`). The pointer is grown and shrunk in place: a visit that
    /// keeps it must copy it.
    pub fn walk<F: FnMut(&Node, Option<&str>, &str) -> Walk>(&self, pointer: &mut String, visit: &mut F) {
        if visit(self, None, pointer) == Walk::Descend {
            self.walk_below(pointer, visit);
        }
    }

    fn walk_below<F: FnMut(&Node, Option<&str>, &str) -> Walk>(&self, pointer: &mut String, visit: &mut F) {
        let len = pointer.len();
        match &self.value {
            Value::Object(members) => {
                for m in members {
                    pointer.push('/');
                    pointer.push_str(&escape_pointer_token(&m.key));
                    if visit(&m.value, Some(&m.key), pointer) == Walk::Descend {
                        m.value.walk_below(pointer, visit);
                    }
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    use std::fmt::Write;
                    let _ = write!(pointer, "/{i}");
                    if visit(item, None, pointer) == Walk::Descend {
                        item.walk_below(pointer, visit);
                    }
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }
}

/// The JSON type of a value, as AWS's causes and our messages name it (`null`, `boolean`,
/// `number`, `string`, `array`, `object`).
pub fn type_name(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

/// Parses `text` as one JSON document into a `serde_json::Value`, keeping object key order.
pub fn parse(text: &str) -> Result<serde_json::Value, JsonSyntaxError> {
    read(text).map(|node| node.to_serde())
}

/// Typed data (a record, a message, a file's settings) from JSON text, read through a
/// `serde_json::Value`. serde_json's text reader is generic over what it fills, so reading each
/// type straight from text copies the whole parser into every type's derived `Deserialize` (the
/// page's wasm held 33 copies of `deserialize_seq` alone); reading the text into a `Value` first
/// keeps one parser, and the derived code works over the `Value` ([`from_value`]: a struct from
/// an object only), which is much less code. Errors are serde_json's, without a line and column
/// for what is not a syntax error.
pub fn from_text<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    from_value(serde_json::from_str::<serde_json::Value>(text)?)
}

#[cfg(test)]
mod tests;
