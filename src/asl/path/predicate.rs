//! Testing one element against a filter, with Jayway's value semantics (`ValueNodes`,
//! `EvaluatorFactory`): a path that finds nothing is *undefined* and equals nothing; a string and
//! a number compare through their text; arrays and objects compare structurally; an operator
//! applied to values of the wrong kind is false (where Jayway throws, the element does not match).

use std::borrow::Cow;
use std::cmp::Ordering;

use serde_json::Value;

use super::ast::{CompareOp, Filter, Operand, Steps};
use super::eval::{Walk, definite_walk, select};
use super::pattern::Pattern;

/// What an operand stands for while testing one element.
enum Node<'v> {
    /// The path found nothing.
    Undefined,
    Json(Cow<'v, Value>),
    Pattern(&'v Pattern),
}

/// Whether `current` passes `filter`; `document` is what `$` means.
pub(crate) fn test(filter: &Filter, current: &Value, document: &Value) -> bool {
    match filter {
        Filter::Exists(operand) => exists(operand, current, document),
        Filter::Compare(left, op, right) => {
            let l = resolve(left, current, document);
            let r = resolve(right, current, document);
            compare(&l, *op, &r)
        }
        Filter::And(a, b) => test(a, current, document) && test(b, current, document),
        Filter::Or(a, b) => test(a, current, document) || test(b, current, document),
        Filter::Not(a) => !test(a, current, document),
    }
}

fn start<'v>(operand: &'v Operand, current: &'v Value, document: &'v Value) -> Option<(&'v Value, &'v Steps)> {
    match operand {
        Operand::Current(steps) => Some((current, steps)),
        Operand::Document(steps) => Some((document, steps)),
        Operand::Literal(_) | Operand::Pattern(_) => None,
    }
}

/// `[?(@.x)]`: Jayway evaluates the path with REQUIRE_PROPERTIES; it exists unless that fails.
fn exists(operand: &Operand, current: &Value, document: &Value) -> bool {
    let Some((from, steps)) = start(operand, current, document) else {
        return true;
    };
    if steps.function.is_some() {
        return select(from, document, steps, steps.is_definite()).is_ok();
    }
    if steps.is_definite() {
        return definite_walk(from, &steps.segments, true).is_ok();
    }
    let mut walk = Walk::strict(document);
    walk.walk(from, &steps.segments, true, &mut Vec::new());
    !walk.missed
}

fn resolve<'v>(operand: &'v Operand, current: &'v Value, document: &'v Value) -> Node<'v> {
    let (from, steps) = match operand {
        Operand::Literal(v) => return Node::Json(Cow::Borrowed(v)),
        Operand::Pattern(p) => return Node::Pattern(p),
        Operand::Current(steps) => (current, steps),
        Operand::Document(steps) => (document, steps),
    };
    match select(from, document, steps, steps.is_definite()) {
        Ok(selected) => match selected {
            super::Selected::One(v) => Node::Json(Cow::Borrowed(v)),
            other => Node::Json(Cow::Owned(other.into_value())),
        },
        Err(_) => Node::Undefined,
    }
}

fn json<'a>(node: &'a Node) -> Option<&'a Value> {
    match node {
        Node::Json(v) => Some(v),
        Node::Undefined | Node::Pattern(_) => None,
    }
}

fn compare(l: &Node, op: CompareOp, r: &Node) -> bool {
    match op {
        CompareOp::Eq => equal(l, r),
        CompareOp::Ne => !equal(l, r),
        CompareOp::StrictEq => same_kind(l, r) && equal(l, r),
        CompareOp::StrictNe => !(same_kind(l, r) && equal(l, r)),
        CompareOp::Lt => order(l, r) == Some(Ordering::Less),
        CompareOp::Le => matches!(order(l, r), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order(l, r) == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(l, r), Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Regex => regex(l, r),
        CompareOp::In => list(r).is_some_and(|items| items.iter().any(|e| equal(l, &element(e)))),
        // Jayway's nin is "not in", and throws where the right side is no JSON value at all.
        CompareOp::Nin => json(r).is_some() && !compare(l, CompareOp::In, r),
        CompareOp::Contains => match json(l) {
            Some(Value::String(s)) => matches!(json(r), Some(Value::String(t)) if s.contains(t.as_str())),
            Some(Value::Array(items)) => items.iter().any(|e| equal(r, &element(e))),
            _ => false,
        },
        // Jayway reads the right side of `all` as a value list, which no literal written in a
        // path is, so it fails for every element.
        CompareOp::All => false,
        CompareOp::Size => {
            let Some(Value::Number(n)) = json(r) else {
                return false;
            };
            let expected = n.as_f64().map_or(i64::MIN, |f| f.trunc() as i64);
            match json(l) {
                Some(Value::String(s)) => s.encode_utf16().count() as i64 == expected,
                Some(Value::Array(items)) => items.len() as i64 == expected,
                Some(Value::Object(_)) => expected == -1,
                _ => false,
            }
        }
        CompareOp::Exists => match (json(l), json(r)) {
            (Some(Value::Bool(a)), Some(Value::Bool(b))) => a == b,
            _ => false,
        },
        CompareOp::Empty => {
            let Some(Value::Bool(want)) = json(r) else {
                return false;
            };
            match json(l) {
                Some(Value::String(s)) => s.is_empty() == *want,
                Some(Value::Array(items)) => items.is_empty() == *want,
                Some(Value::Object(map)) => map.is_empty() == *want,
                _ => false,
            }
        }
        CompareOp::SubsetOf => match (list(l), list(r)) {
            (Some(left), Some(right)) => left
                .iter()
                .all(|a| right.iter().any(|b| equal(&element(a), &element(b)))),
            _ => false,
        },
        CompareOp::AnyOf => match (list(l), list(r)) {
            (Some(left), Some(right)) => left
                .iter()
                .any(|a| right.iter().any(|b| equal(&element(a), &element(b)))),
            _ => false,
        },
        CompareOp::NoneOf => match (list(l), list(r)) {
            (Some(left), Some(right)) => !left
                .iter()
                .any(|a| right.iter().any(|b| equal(&element(a), &element(b)))),
            _ => false,
        },
    }
}

fn element(v: &Value) -> Node<'_> {
    Node::Json(Cow::Borrowed(v))
}

/// The elements of a JSON array operand.
fn list<'a>(node: &'a Node) -> Option<&'a Vec<Value>> {
    match json(node) {
        Some(Value::Array(items)) => Some(items),
        _ => None,
    }
}

fn same_kind(l: &Node, r: &Node) -> bool {
    match (json(l), json(r)) {
        (Some(a), Some(b)) => {
            let container = |v: &Value| matches!(v, Value::Array(_) | Value::Object(_));
            std::mem::discriminant(a) == std::mem::discriminant(b) || (container(a) && container(b))
        }
        _ => matches!((l, r), (Node::Pattern(_), Node::Pattern(_))),
    }
}

/// A number's text as Jayway's `NumberNode` prints it.
fn number_text(n: &serde_json::Number) -> String {
    n.to_string()
}

/// `ValueNode.equals`, left to right.
fn equal(l: &Node, r: &Node) -> bool {
    match (l, r) {
        (Node::Pattern(a), Node::Pattern(b)) => a == b,
        (Node::Json(a), Node::Json(b)) => match (a.as_ref(), b.as_ref()) {
            (Value::String(s), Value::Number(n)) => *s == number_text(n),
            (Value::Number(n), Value::String(s)) => s
                .trim()
                .parse::<f64>()
                .ok()
                .zip(n.as_f64())
                .is_some_and(|(x, y)| x == y),
            (a, b) => json_equal(a, b),
        },
        _ => false,
    }
}

/// Structural equality where numbers compare by value (`1 == 1.0`).
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

/// `<` and friends: numbers by value, strings by Java's `compareTo` (UTF-16 units), a string and
/// a number through the number's text; anything else is unordered (false).
fn order(l: &Node, r: &Node) -> Option<Ordering> {
    let utf16 = |a: &str, b: &str| a.encode_utf16().cmp(b.encode_utf16());
    match (json(l)?, json(r)?) {
        (Value::Number(a), Value::Number(b)) => number_order(a, b),
        (Value::String(a), Value::String(b)) => Some(utf16(a, b)),
        (Value::String(a), Value::Number(b)) => Some(utf16(a, &number_text(b))),
        (Value::Number(a), Value::String(b)) => Some(utf16(&number_text(a), b)),
        _ => None,
    }
}

/// `=~`: exactly one side is a pattern; the other's text matches it whole (any element, for an
/// array).
fn regex(l: &Node, r: &Node) -> bool {
    let (pattern, other) = match (l, r) {
        (Node::Pattern(p), other) | (other, Node::Pattern(p)) if !matches!(other, Node::Pattern(_)) => (p, other),
        _ => return false,
    };
    let input = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => number_text(n),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    match json(other) {
        Some(Value::Array(items)) => items.iter().any(|e| pattern.matches(&input(e))),
        Some(v) => pattern.matches(&input(v)),
        None => pattern.matches(""),
    }
}
