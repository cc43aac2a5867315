//! Evaluating a parsed path against JSON, with Jayway's semantics (the JSONPath library AWS runs):
//! a definite path yields one value or fails with Jayway's message; an indefinite path yields the
//! list of matches, possibly empty, and never fails. A trailing function applies to the node of a
//! definite path, to each match of an indefinite one, or, after a leading `..`, to the root with
//! the scan as its argument (Jayway's `invertScannerFunctionRelationship`).

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

use crate::asl::json::type_name;

use super::ast::{FunctionArg, PathFunction, Segment, Selector, Slice, Steps, normalized};
use super::{function, predicate};

/// What a path selected, borrowed from the document where possible.
#[derive(Debug, PartialEq)]
pub enum Selected<'v> {
    /// The single node of a definite path.
    One(&'v Value),
    /// Every match of an indefinite path, in document order (a union of names at the end of the
    /// path makes a new object, hence owned matches).
    Many(Vec<Cow<'v, Value>>),
    /// A value computed by a path function such as `length()`, or a merged union of names.
    Computed(Value),
}

impl Selected<'_> {
    /// The selection as an owned value: indefinite matches become an array.
    pub fn into_value(self) -> Value {
        match self {
            Selected::One(v) => v.clone(),
            Selected::Many(vs) => Value::Array(vs.into_iter().map(Cow::into_owned).collect()),
            Selected::Computed(v) => v,
        }
    }
}

/// Why a path selected nothing or could not be evaluated. The `Display` text is Jayway's
/// message, which AWS quotes after `Invalid path '…' : `.
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
        /// The property asked for (`a','b` for a union, so the message reads `['a','b']`).
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
    /// A path function failed, e.g. `max()` of an empty array: "Aggregation function attempted
    /// to calculate value using empty array".
    Function {
        /// Jayway's message.
        message: String,
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
            EvalError::Function { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for EvalError {}

/// Runs `steps` from `start`; `document` is what `$` means in filters and function arguments.
pub(crate) fn select<'v>(
    start: &'v Value,
    document: &'v Value,
    steps: &Steps,
    definite: bool,
) -> Result<Selected<'v>, EvalError> {
    let Some(function) = &steps.function else {
        if definite {
            return Ok(match definite_walk(start, &steps.segments, true)? {
                Cow::Borrowed(v) => Selected::One(v),
                Cow::Owned(v) => Selected::Computed(v),
            });
        }
        let mut out = Vec::new();
        Walk::lenient(document).walk(start, &steps.segments, true, &mut out);
        return Ok(Selected::Many(out));
    };
    if steps.function_after_scan() {
        // CompiledPath.invertScannerFunctionRelationship: `$..x.fn()` runs as `$.fn($..x)`, on
        // the root, the scan its only argument (arguments written in the path are dropped).
        let inverted = PathFunction {
            name: function.name,
            args: vec![FunctionArg::Path(Steps {
                segments: steps.segments.clone(),
                function: None,
            })],
        };
        return function::call(&inverted, start, document).map(Selected::Computed);
    }
    if definite {
        let node = definite_walk(start, &steps.segments, false)?;
        return function::call(function, &node, document).map(Selected::Computed);
    }
    let mut out = Vec::new();
    Walk::lenient(document).walk(start, &steps.segments, false, &mut out);
    let results = out
        .iter()
        .map(|node| function::call(function, node, document))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Selected::Computed(Value::Array(results)))
}

/// The one node a definite path names, or Jayway's reason why there is none. A union of names
/// at the end (`merge_last`) becomes one object of the members found.
pub(crate) fn definite_walk<'v>(
    start: &'v Value,
    segments: &[Segment],
    merge_last: bool,
) -> Result<Cow<'v, Value>, EvalError> {
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
            Segment::Child(Selector::Names(names)) if last && merge_last => match node {
                Value::Object(map) => return Ok(Cow::Owned(Value::Object(merged(map, names)))),
                other => {
                    return Err(EvalError::NotAnObject {
                        property: names.join("','"),
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
            // Only definite paths come here.
            Segment::Child(_) | Segment::Descendant(_) => {
                return Err(EvalError::NoResults {
                    at: normalized(&segments[..=i]),
                });
            }
        };
    }
    Ok(Cow::Borrowed(node))
}

/// The members of `map` that `names` name, in the names' order; absent ones are left out.
fn merged(map: &Map<String, Value>, names: &[String]) -> Map<String, Value> {
    names
        .iter()
        .filter_map(|name| super::member(map, name).map(|v| (name.clone(), v.clone())))
        .collect()
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

/// One walk of an indefinite path. `strict` is Jayway's REQUIRE_PROPERTIES, which a filter's
/// existence test turns on: a property missing from an object anywhere marks the walk `missed`.
pub(crate) struct Walk<'v> {
    document: &'v Value,
    strict: bool,
    pub(crate) missed: bool,
}

impl<'v> Walk<'v> {
    pub(crate) fn lenient(document: &'v Value) -> Self {
        Walk {
            document,
            strict: false,
            missed: false,
        }
    }

    pub(crate) fn strict(document: &'v Value) -> Self {
        Walk {
            document,
            strict: true,
            missed: false,
        }
    }

    /// Every match of `segments` from `node`, appended to `out`. `merge_last`: a union of names
    /// as the last segment makes one object per node (the path has no function after it).
    pub(crate) fn walk(
        &mut self,
        node: &'v Value,
        segments: &[Segment],
        merge_last: bool,
        out: &mut Vec<Cow<'v, Value>>,
    ) {
        let Some((segment, rest)) = segments.split_first() else {
            out.push(Cow::Borrowed(node));
            return;
        };
        match segment {
            Segment::Child(Selector::Names(names)) if rest.is_empty() && merge_last => {
                if let Value::Object(map) = node {
                    if self.strict && names.iter().any(|n| super::member(map, n).is_none()) {
                        self.missed = true;
                    }
                    out.push(Cow::Owned(Value::Object(merged(map, names))));
                }
            }
            // A scan for a union at the end: Jayway's scan predicate for a definite property token
            // takes the objects holding every name, and each becomes one merged object.
            Segment::Descendant(Selector::Names(names)) if rest.is_empty() && merge_last => {
                self.scan_merged(node, names, out);
            }
            Segment::Child(selector) => {
                let mut children = Vec::new();
                self.apply(selector, node, &mut children);
                for child in children {
                    self.walk(child, rest, merge_last, out);
                }
            }
            Segment::Descendant(selector) => {
                let mut matches = Vec::new();
                self.descend(selector, node, &mut matches);
                for found in matches {
                    self.walk(found, rest, merge_last, out);
                }
            }
        }
    }

    fn scan_merged(&mut self, node: &'v Value, names: &[String], out: &mut Vec<Cow<'v, Value>>) {
        match node {
            Value::Object(map) => {
                if names.iter().all(|n| super::member(map, n).is_some()) {
                    out.push(Cow::Owned(Value::Object(merged(map, names))));
                }
                map.values().for_each(|child| self.scan_merged(child, names, out));
            }
            Value::Array(items) => items.iter().for_each(|child| self.scan_merged(child, names, out)),
            _ => {}
        }
    }

    /// The selector applied to `node` and then to each descendant, in pre-order. A scan never
    /// counts a property as missing (Jayway's scan asks first).
    fn descend(&mut self, selector: &Selector, node: &'v Value, out: &mut Vec<&'v Value>) {
        let strict = std::mem::replace(&mut self.strict, false);
        self.apply(selector, node, out);
        self.strict = strict;
        match node {
            Value::Object(map) => map
                .values()
                .for_each(|child| self.descend(selector, child, out)),
            Value::Array(items) => items
                .iter()
                .for_each(|child| self.descend(selector, child, out)),
            _ => {}
        }
    }

    fn apply(&mut self, selector: &Selector, node: &'v Value, out: &mut Vec<&'v Value>) {
        match selector {
            Selector::Name(name) => {
                if let Value::Object(map) = node {
                    match super::member(map, name) {
                        Some(child) => out.push(child),
                        None => self.missed |= self.strict,
                    }
                }
            }
            Selector::Names(names) => {
                if let Value::Object(map) = node {
                    for name in names {
                        match super::member(map, name) {
                            Some(child) => out.push(child),
                            None => self.missed |= self.strict,
                        }
                    }
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
                    out.extend(slice_indices(*slice, items.len()).into_iter().map(|k| &items[k]));
                }
            }
            Selector::Filter(filter) => match node {
                Value::Array(items) => out.extend(
                    items
                        .iter()
                        .filter(|item| predicate::test(filter, item, self.document)),
                ),
                // Jayway tests an object against the filter itself.
                Value::Object(_) if predicate::test(filter, node, self.document) => out.push(node),
                _ => {}
            },
        }
    }
}

/// The indices a slice takes from an array of `len` elements, exactly as Jayway's
/// `ArraySliceToken` walks them: `[from:]` and `[:to]` count a negative bound from the end;
/// `[from:to]` walks `from..min(to, len)` as written, each index then resolved like `[i]` (so a
/// negative `from` with a positive `to` can take elements twice, and `[1:-1]` takes none).
fn slice_indices(slice: Slice, len: usize) -> Vec<usize> {
    let n = i64::try_from(len).unwrap_or(i64::MAX);
    let (from, to) = match (slice.start, slice.end) {
        (Some(from), None) => {
            let from = if from < 0 { n + from } else { from }.max(0);
            (from, n)
        }
        (None, Some(to)) => {
            let to = if to < 0 { n + to } else { to };
            (0, to.min(n))
        }
        (Some(from), Some(to)) => (from, to.min(n)),
        (None, None) => (0, 0),
    };
    if len == 0 || from >= to {
        return Vec::new();
    }
    // Indices below -len resolve to nothing, so the walk can start at -len.
    (from.max(-n)..to)
        .filter_map(|k| resolve_index(k, len))
        .collect()
}
