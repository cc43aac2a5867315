//! The syntax tree of a parsed path: its root, its segments, and filter expressions.

use serde_json::Value;

/// What a path starts from.
#[derive(Clone, Debug, PartialEq)]
pub enum Root {
    /// `$`: the state's input (or whatever document the caller evaluates against).
    Input,
    /// `$$`: the context object (`$$.Execution.Id`, `$$.Map.Item.Value`, …).
    Context,
    /// `$name`: a Step Functions variable (2024). The interpreter resolves the name.
    Variable(String),
}

/// One step of a path after its root.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// `.name`, `.*` or `[…]`: select among the current node's children.
    Child(Selector),
    /// `..name`, `..*` or `..[…]`: the selector applied to the node and every descendant.
    Descendant(Selector),
}

/// What a segment selects.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// `.a` or `['a']`.
    Name(String),
    /// `['a','b']`.
    Names(Vec<String>),
    /// `.*` or `[*]`: every member of an object or element of an array.
    Wildcard,
    /// `[2]` or `[-1]` (negative counts from the end).
    Index(i64),
    /// `[0,2]`.
    Indices(Vec<i64>),
    /// `[1:3]`, `[:2]`, `[-2:]`, `[::2]`.
    Slice(Slice),
    /// `[?(@.price < 10)]`.
    Filter(Filter),
}

/// The bounds of an array slice; absent bounds take their defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// First index taken (negative counts from the end).
    pub start: Option<i64>,
    /// Index where taking stops, exclusive.
    pub end: Option<i64>,
    /// Stride, never zero.
    pub step: Option<i64>,
}

/// A function called at the end of a path, as in `$.items.length()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathFunction {
    /// `length()`: the number of elements of an array, members of an object or characters of a string.
    Length,
}

/// A filter expression inside `[?( … )]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `@.x`: true when the path selects something.
    Exists(Operand),
    /// `@.price < 10`.
    Compare(Operand, CompareOp, Operand),
    /// `a && b`.
    And(Box<Filter>, Box<Filter>),
    /// `a || b`.
    Or(Box<Filter>, Box<Filter>),
    /// `!a`.
    Not(Box<Filter>),
}

/// One side of a filter comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@…`: relative to the element being tested.
    Current(Vec<Segment>),
    /// `$…`: relative to the document the path is evaluated against.
    Document(Vec<Segment>),
    /// `'text'`, `10`, `1.5`, `true`, `false`, `null`.
    Literal(Value),
}

/// A comparison operator in a filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Segment {
    /// Whether this segment can select at most one node.
    pub fn is_definite(&self) -> bool {
        match self {
            Segment::Child(Selector::Name(_) | Selector::Index(_)) => true,
            Segment::Child(
                Selector::Names(_)
                | Selector::Wildcard
                | Selector::Indices(_)
                | Selector::Slice(_)
                | Selector::Filter(_),
            )
            | Segment::Descendant(_) => false,
        }
    }
}

/// Writes segments in Jayway's normalised form (`['a'][0]`), which AWS quotes in its messages.
pub(crate) fn normalized(segments: &[Segment]) -> String {
    let mut out = String::from("$");
    for segment in segments {
        match segment {
            Segment::Child(Selector::Name(name)) => {
                out.push_str("['");
                out.push_str(name);
                out.push_str("']");
            }
            Segment::Child(Selector::Index(index)) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
            // Only definite prefixes are ever quoted; the rest keep a readable shape.
            Segment::Child(_) => out.push_str("[*]"),
            Segment::Descendant(_) => out.push_str("..[*]"),
        }
    }
    out
}
