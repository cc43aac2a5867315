//! The syntax tree of a parsed path: its root, its segments, a trailing function, and filter
//! expressions. The shapes follow Jayway JsonPath's tokens (`PathCompiler`, `FilterCompiler`),
//! so each node says which Jayway rule produced it.

use serde_json::Value;

use super::pattern::Pattern;

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
    /// `.name`, `.*`, `[…]` or `.[…]`: select among the current node's children.
    Child(Selector),
    /// `..name`, `..*` or `..[…]`: the selector applied to the node and every descendant.
    Descendant(Selector),
}

/// What a segment selects.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// `.a` or `['a']`.
    Name(String),
    /// `['a','b']`: at the end of a path, one object holding the members found (Jayway's
    /// "multi-property merge"); elsewhere, each member in turn.
    Names(Vec<String>),
    /// `.*` or `[*]`: every member of an object or element of an array.
    Wildcard,
    /// `[2]` or `[-1]` (negative counts from the end).
    Index(i64),
    /// `[0,2]`.
    Indices(Vec<i64>),
    /// `[1:3]`, `[:2]`, `[-2:]`.
    Slice(Slice),
    /// `[?(@.price < 10)]`.
    Filter(Box<Filter>),
}

/// The bounds of an array slice, as Jayway's `ArraySliceOperation` reads them: at least one bound
/// is present; a third part (`[0:4:2]`) is read and ignored, as Jayway does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slice {
    /// First index taken (negative counts from the end).
    pub start: Option<i64>,
    /// Index where taking stops, exclusive.
    pub end: Option<i64>,
}

/// The steps of a path after its root, and the function called at its end: the whole of a
/// path argument of a function or of a filter operand (`@.a.length()`).
#[derive(Clone, Debug, PartialEq)]
pub struct Steps {
    /// The segments, in order.
    pub segments: Vec<Segment>,
    /// A trailing `name(…)` call.
    pub function: Option<PathFunction>,
}

/// A function called at the end of a path, as in `$.items.length()` (Jayway's
/// `PathFunctionFactory`).
#[derive(Clone, Debug, PartialEq)]
pub struct PathFunction {
    /// Which function.
    pub name: FunctionName,
    /// The arguments as written; Jayway ignores an argument that is neither JSON nor a path.
    pub args: Vec<FunctionArg>,
}

/// The functions Jayway JsonPath defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionName {
    /// `length()` and its alias `size()`: the number of elements of an array or members of an
    /// object, `null` for anything else.
    Length,
    /// `min()`
    Min,
    /// `max()`
    Max,
    /// `avg()`
    Avg,
    /// `stddev()`: the population standard deviation.
    Stddev,
    /// `sum()`
    Sum,
    /// `first()`
    First,
    /// `last()`
    Last,
    /// `index(i)`
    Index,
    /// `keys()`: an object's member names.
    Keys,
    /// `concat(…)`: the array's strings, then the arguments, as one string.
    Concat,
    /// `append(…)`: the array with the arguments added at its end.
    Append,
    /// `distinct()`: the array without repeated elements.
    Distinct,
}

impl FunctionName {
    /// The function a name calls, if Jayway defines one by that name.
    pub fn from_name(name: &str) -> Option<FunctionName> {
        Some(match name {
            "length" | "size" => FunctionName::Length,
            "min" => FunctionName::Min,
            "max" => FunctionName::Max,
            "avg" => FunctionName::Avg,
            "stddev" => FunctionName::Stddev,
            "sum" => FunctionName::Sum,
            "first" => FunctionName::First,
            "last" => FunctionName::Last,
            "index" => FunctionName::Index,
            "keys" => FunctionName::Keys,
            "concat" => FunctionName::Concat,
            "append" => FunctionName::Append,
            "distinct" => FunctionName::Distinct,
            _ => return None,
        })
    }
}

/// One argument of a path function.
#[derive(Clone, Debug, PartialEq)]
pub enum FunctionArg {
    /// A JSON value written in place: `10`, `"x"`, `{"a": 1}`, `-1.5`.
    Json(Value),
    /// `$.numbers` or `@.numbers`: a path evaluated against the whole document.
    Path(Steps),
}

/// A filter expression inside `[?( … )]`.
#[derive(Clone, Debug, PartialEq)]
pub enum Filter {
    /// `@.x`: true when the path selects something (even `null`).
    Exists(Operand),
    /// `@.price < 10`, `@.tags anyof ['a']`, `@.name =~ /a.*/i`.
    Compare(Operand, CompareOp, Operand),
    /// `a && b`.
    And(Box<Filter>, Box<Filter>),
    /// `a || b`.
    Or(Box<Filter>, Box<Filter>),
    /// `!a`, `!(a)`, and `!@.x` (the path does not exist).
    Not(Box<Filter>),
}

/// One side of a filter comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `@…`: relative to the element being tested.
    Current(Steps),
    /// `$…`: relative to the document the path is evaluated against.
    Document(Steps),
    /// `'text'`, `10`, `1.5`, `true`, `false`, `null`, `[1, 'a']`, `{"a": 1}`.
    Literal(Value),
    /// `/regex/flags`.
    Pattern(Pattern),
}

/// A relational operator in a filter (Jayway's `RelationalOperator`; word operators are
/// case-insensitive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `===`: equal and of the same kind.
    StrictEq,
    /// `!==`
    StrictNe,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `=~`: one side a `/regex/`, matched against the whole text of the other.
    Regex,
    /// `in`: the left value is an element of the right array.
    In,
    /// `nin`
    Nin,
    /// `contains`: the left string holds the right one, or the left array holds the right value.
    Contains,
    /// `all`: the left array holds every element of the right array.
    All,
    /// `size`: the left string or array has the right number of characters or elements.
    Size,
    /// `exists`: the left value is the right boolean.
    Exists,
    /// `empty`: the left string, array or object is empty, as the right boolean says.
    Empty,
    /// `subsetof`: every element of the left array is in the right array.
    SubsetOf,
    /// `anyof`: the two arrays share an element.
    AnyOf,
    /// `noneof`: the two arrays share no element.
    NoneOf,
}

impl CompareOp {
    /// The operator a token names, as Jayway's `RelationalOperator.fromString` reads it
    /// (`type` and `matches` exist there but cannot be written in a path, so they are not here).
    pub fn from_token(token: &str) -> Option<CompareOp> {
        Some(match token.to_ascii_uppercase().as_str() {
            "==" => CompareOp::Eq,
            "!=" => CompareOp::Ne,
            "===" => CompareOp::StrictEq,
            "!==" => CompareOp::StrictNe,
            "<" => CompareOp::Lt,
            "<=" => CompareOp::Le,
            ">" => CompareOp::Gt,
            ">=" => CompareOp::Ge,
            "=~" => CompareOp::Regex,
            "IN" => CompareOp::In,
            "NIN" => CompareOp::Nin,
            "CONTAINS" => CompareOp::Contains,
            "ALL" => CompareOp::All,
            "SIZE" => CompareOp::Size,
            "EXISTS" => CompareOp::Exists,
            "EMPTY" => CompareOp::Empty,
            "SUBSETOF" => CompareOp::SubsetOf,
            "ANYOF" => CompareOp::AnyOf,
            "NONEOF" => CompareOp::NoneOf,
            _ => return None,
        })
    }
}

impl Segment {
    /// Whether this segment can select at most one node wherever it stands. (`['a','b']` is
    /// also definite at the very end of a path, which only the whole path can tell.)
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

impl Steps {
    /// Whether the steps select at most one node, as Jayway's `isPathDefinite` says: every
    /// token definite, where a union of names at the very end (no function after it) merges
    /// into one object and so is definite too, and a function after a leading scan is one call.
    pub fn is_definite(&self) -> bool {
        // `$..x.fn()` runs as `$.fn($..x)`: one value.
        self.function_after_scan() || definite(&self.segments, self.function.is_some())
    }

    /// Whether the path starts with `..` and ends with a function, which Jayway turns inside
    /// out: the function runs on the root with the scan as its argument.
    pub(crate) fn function_after_scan(&self) -> bool {
        self.function.is_some() && matches!(self.segments.first(), Some(Segment::Descendant(_)))
    }
}

/// See [`Steps::is_definite`].
pub(crate) fn definite(segments: &[Segment], has_function: bool) -> bool {
    let last = segments.len().wrapping_sub(1);
    segments.iter().enumerate().all(|(i, s)| {
        s.is_definite() || (i == last && !has_function && matches!(s, Segment::Child(Selector::Names(_))))
    })
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
            Segment::Child(Selector::Names(names)) => {
                out.push_str("['");
                out.push_str(&names.join("','"));
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
