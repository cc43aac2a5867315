//! Evaluating a parsed path against JSON, with Jayway's semantics (the JSONPath library AWS runs):
//! a definite path yields one value or fails with Jayway's message; an indefinite path yields the
//! list of matches, possibly empty, and never fails.

use std::cmp::Ordering;
use std::fmt;

use serde_json::Value;

use crate::asl::json::type_name;

use super::ast::{CompareOp, Filter, Operand, PathFunction, Segment, Selector, Slice, normalized};

/// What a path selected, borrowed from the document where possible.
#[derive(Debug, PartialEq)]
pub enum Selected<'v> {
    /// The single node of a definite path.
    One(&'v Value),
    /// Every match of an indefinite path, in document order.
    Many(Vec<&'v Value>),
    /// A value computed by a path function such as `length()`.
    Computed(Value),
}

impl Selected<'_> {
    /// The selection as an owned value: indefinite matches become an array.
    pub fn into_value(self) -> Value {
        match self {
            Selected::One(v) => v.clone(),
            Selected::Many(vs) => Value::Array(vs.into_iter().cloned().collect()),
            Selected::Computed(v) => v,
        }
    }
}

/// Why a definite path selected nothing. The `Display` text is Jayway's message, which AWS
/// quotes after `Invalid path '…' : `.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// `$.a.b` on `{"a": {}}`: "No results for path: $['a']['b']".
    NoResults {
        /// The normalised path that found nothing.
        at: String,
    },
    /// `$.a.b` on `{}`: "Missing property in path $['a']".
    MissingProperty {
        /// The normalised path of the missing property.
        at: String,
    },
    /// `$.a.b` on `{"a": 1}`: a property asked of something that is not an object.
    NotAnObject {
        /// The property asked for.
        property: String,
        /// The normalised path of the node that is not an object.
        at: String,
        /// The JSON kind found there (`number`, `null`, …).
        found: &'static str,
    },
    /// `$.a[0]` on `{"a": null}`: "The path $['a'] is null".
    NullArray {
        /// The normalised path of the null node.
        at: String,
    },
    /// `$.a[0]` on `{"a": 1}`: an index asked of something that is not an array.
    NotAnArray {
        /// The index asked for, as written (`[0]`).
        index: i64,
        /// The compact JSON of the node found.
        found: String,
    },
    /// `$x.a` with no variable `x` in scope.
    UnknownVariable {
        /// The variable's name, without `$`.
        name: String,
    },
    /// `$.a.length()` where `$.a` is a number, boolean or null.
    NoLength {
        /// The JSON kind found.
        found: &'static str,
    },
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvalError::NoResults { at } => write!(f, "No results for path: {at}"),
            EvalError::MissingProperty { at } => write!(f, "Missing property in path {at}"),
            EvalError::NotAnObject {
                property,
                at,
                found,
            } => write!(
                f,
                "Expected to find an object with property ['{property}'] in path {at} but found '{found}'. This is not a json object."
            ),
            EvalError::NullArray { at } => write!(f, "The path {at} is null"),
            EvalError::NotAnArray { index, found } => write!(
                f,
                "Filter: [{index}] can only be applied to arrays. Current context is: {found}"
            ),
            EvalError::UnknownVariable { name } => {
                write!(f, "The variable '${name}' is not defined")
            }
            EvalError::NoLength { found } => {
                write!(
                    f,
                    "length() can only be applied to arrays, objects and strings, not {found}"
                )
            }
        }
    }
}

impl std::error::Error for EvalError {}

/// Runs `segments` (and then `function`) from `start`; `document` is what `$` means in filters.
pub(crate) fn select<'v>(
    start: &'v Value,
    document: &'v Value,
    segments: &[Segment],
    definite: bool,
    function: Option<PathFunction>,
) -> Result<Selected<'v>, EvalError> {
    let selected = if definite {
        Selected::One(definite_walk(start, segments)?)
    } else {
        let mut out = Vec::new();
        walk(start, document, segments, &mut out);
        Selected::Many(out)
    };
    match function {
        None => Ok(selected),
        Some(PathFunction::Length) => length(&selected).map(Selected::Computed),
    }
}

fn length(selected: &Selected) -> Result<Value, EvalError> {
    let count = match selected {
        Selected::Many(vs) => vs.len(),
        Selected::One(v) => match v {
            Value::Array(a) => a.len(),
            Value::Object(m) => m.len(),
            Value::String(s) => s.chars().count(),
            other => return Err(EvalError::NoLength { found: type_name(other) }),
        },
        Selected::Computed(_) => 1,
    };
    Ok(Value::from(count))
}

fn definite_walk<'v>(start: &'v Value, segments: &[Segment]) -> Result<&'v Value, EvalError> {
    let mut node = start;
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        node = match segment {
            Segment::Child(Selector::Name(name)) => match node {
                Value::Object(map) => match super::member(map, name) {
                    Some(child) => child,
                    None if last => {
                        return Err(EvalError::NoResults {
                            at: normalized(&segments[..=i]),
                        });
                    }
                    None => {
                        return Err(EvalError::MissingProperty {
                            at: normalized(&segments[..=i]),
                        });
                    }
                },
                other => {
                    return Err(EvalError::NotAnObject {
                        property: name.clone(),
                        at: normalized(&segments[..i]),
                        found: type_name(other),
                    });
                }
            },
            Segment::Child(Selector::Index(index)) => match node {
                Value::Array(items) => match resolve_index(*index, items.len()) {
                    Some(k) => &items[k],
                    None => {
                        return Err(EvalError::NoResults {
                            at: normalized(&segments[..=i]),
                        });
                    }
                },
                Value::Null => {
                    return Err(EvalError::NullArray {
                        at: normalized(&segments[..i]),
                    });
                }
                other => {
                    return Err(EvalError::NotAnArray {
                        index: *index,
                        found: serde_json::to_string(other).unwrap_or_default(),
                    });
                }
            },
            // `JsonPath` only calls this for definite paths.
            Segment::Child(_) | Segment::Descendant(_) => {
                return Err(EvalError::NoResults {
                    at: normalized(&segments[..=i]),
                });
            }
        };
    }
    Ok(node)
}

/// A possibly negative index resolved against a length.
pub(crate) fn resolve_index(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let k = if index < 0 { len + index } else { index };
    if (0..len).contains(&k) {
        usize::try_from(k).ok()
    } else {
        None
    }
}

fn walk<'v>(node: &'v Value, document: &'v Value, segments: &[Segment], out: &mut Vec<&'v Value>) {
    let Some((segment, rest)) = segments.split_first() else {
        out.push(node);
        return;
    };
    match segment {
        Segment::Child(selector) => {
            let mut children = Vec::new();
            apply(selector, node, document, &mut children);
            for child in children {
                walk(child, document, rest, out);
            }
        }
        Segment::Descendant(selector) => {
            let mut matches = Vec::new();
            descend(selector, node, document, &mut matches);
            for found in matches {
                walk(found, document, rest, out);
            }
        }
    }
}

/// The selector applied to `node` and then to each descendant, in pre-order.
fn descend<'v>(
    selector: &Selector,
    node: &'v Value,
    document: &'v Value,
    out: &mut Vec<&'v Value>,
) {
    apply(selector, node, document, out);
    match node {
        Value::Object(map) => map
            .values()
            .for_each(|child| descend(selector, child, document, out)),
        Value::Array(items) => items
            .iter()
            .for_each(|child| descend(selector, child, document, out)),
        _ => {}
    }
}

fn apply<'v>(selector: &Selector, node: &'v Value, document: &'v Value, out: &mut Vec<&'v Value>) {
    match selector {
        Selector::Name(name) => {
            if let Some(child) = node.as_object().and_then(|m| super::member(m, name)) {
                out.push(child);
            }
        }
        Selector::Names(names) => {
            if let Value::Object(map) = node {
                out.extend(names.iter().filter_map(|name| super::member(map, name)));
            }
        }
        Selector::Wildcard => match node {
            Value::Object(map) => out.extend(map.values()),
            Value::Array(items) => out.extend(items.iter()),
            _ => {}
        },
        Selector::Index(index) => {
            if let Value::Array(items) = node {
                out.extend(resolve_index(*index, items.len()).map(|k| &items[k]));
            }
        }
        Selector::Indices(indices) => {
            if let Value::Array(items) = node {
                out.extend(
                    indices
                        .iter()
                        .filter_map(|i| resolve_index(*i, items.len()))
                        .map(|k| &items[k]),
                );
            }
        }
        Selector::Slice(slice) => {
            if let Value::Array(items) = node {
                out.extend(
                    slice_indices(*slice, items.len())
                        .into_iter()
                        .map(|k| &items[k]),
                );
            }
        }
        Selector::Filter(filter) => match node {
            Value::Array(items) => {
                out.extend(items.iter().filter(|item| test(filter, item, document)))
            }
            // Jayway tests an object against the filter itself.
            Value::Object(_) if test(filter, node, document) => out.push(node),
            _ => {}
        },
    }
}

/// The indices a slice takes from an array of `len` elements (Python's rules).
fn slice_indices(slice: Slice, len: usize) -> Vec<usize> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let step = slice.step.unwrap_or(1);
    let clamp = |bound: i64, low: i64, high: i64| {
        let b = if bound < 0 {
            bound.saturating_add(len)
        } else {
            bound
        };
        b.clamp(low, high)
    };
    let mut out = Vec::new();
    if step > 0 {
        let start = slice.start.map_or(0, |s| clamp(s, 0, len));
        let end = slice.end.map_or(len, |e| clamp(e, 0, len));
        let mut k = start;
        while k < end {
            out.push(k as usize);
            k = k.saturating_add(step);
        }
    } else {
        let start = slice.start.map_or(len - 1, |s| clamp(s, -1, len - 1));
        let end = slice.end.map_or(-1, |e| clamp(e, -1, len - 1));
        let mut k = start;
        while k > end {
            out.push(k as usize);
            k = k.saturating_add(step);
        }
    }
    out
}

/// What an operand stands for while testing one element.
enum Resolved<'v> {
    Missing,
    Borrowed(&'v Value),
    Owned(Value),
}

impl Resolved<'_> {
    fn value(&self) -> Option<&Value> {
        match self {
            Resolved::Missing => None,
            Resolved::Borrowed(v) => Some(v),
            Resolved::Owned(v) => Some(v),
        }
    }
}

fn resolve<'v>(operand: &'v Operand, current: &'v Value, document: &'v Value) -> Resolved<'v> {
    let (start, segments) = match operand {
        Operand::Literal(v) => return Resolved::Borrowed(v),
        Operand::Current(segments) => (current, segments),
        Operand::Document(segments) => (document, segments),
    };
    if segments.iter().all(Segment::is_definite) {
        match definite_walk(start, segments) {
            Ok(v) => Resolved::Borrowed(v),
            Err(_) => Resolved::Missing,
        }
    } else {
        let mut out = Vec::new();
        walk(start, document, segments, &mut out);
        Resolved::Owned(Value::Array(out.into_iter().cloned().collect()))
    }
}

fn test(filter: &Filter, current: &Value, document: &Value) -> bool {
    match filter {
        Filter::Exists(operand) => resolve(operand, current, document).value().is_some(),
        Filter::Compare(left, op, right) => {
            let l = resolve(left, current, document);
            let r = resolve(right, current, document);
            compare(l.value(), *op, r.value())
        }
        Filter::And(a, b) => test(a, current, document) && test(b, current, document),
        Filter::Or(a, b) => test(a, current, document) || test(b, current, document),
        Filter::Not(a) => !test(a, current, document),
    }
}

fn compare(left: Option<&Value>, op: CompareOp, right: Option<&Value>) -> bool {
    let equal = || match (left, right) {
        (Some(l), Some(r)) => json_equal(l, r),
        _ => false,
    };
    let order = || match (left?, right?) {
        (Value::Number(a), Value::Number(b)) => number_order(a, b),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match op {
        CompareOp::Eq => equal(),
        CompareOp::Ne => !equal(),
        CompareOp::Lt => order() == Some(Ordering::Less),
        CompareOp::Le => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order() == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
    }
}

/// Equality where numbers compare by value (`1 == 1.0`), as Jayway's filters do.
fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => number_order(x, y) == Some(Ordering::Equal),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn number_order(a: &serde_json::Number, b: &serde_json::Number) -> Option<Ordering> {
    if let (Some(x), Some(y)) = (a.as_i64(), b.as_i64()) {
        return Some(x.cmp(&y));
    }
    if let (Some(x), Some(y)) = (a.as_u64(), b.as_u64()) {
        return Some(x.cmp(&y));
    }
    a.as_f64()?.partial_cmp(&b.as_f64()?)
}
