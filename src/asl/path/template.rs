//! Payload templates: `Parameters`, `ResultSelector`, `ItemSelector` (and `Arguments`-less
//! JSONPath states' other templates). A key ending in `.$` takes its value from a path (`$.x`,
//! `$$.Map.Item.Value`, `$var`) or an intrinsic call (`States.Format(…)`), and loses the `.$`;
//! everything else is copied. Objects and arrays are walked recursively.
//!
//! A template is compiled once ([`Template::compile`], errors as [`TemplateError`]) and then
//! evaluated per state entry ([`Template::eval`], errors as [`TemplateEvalError`]).
//!
//! A template made only of literals and member paths from `$` (`"value.$": "$.value"`, the
//! common case) is also compiled into the interpreter's shared value form
//! ([`Template::eval_shared`], for an input in that form): its keys and literals are made once,
//! and each evaluation builds one vector of members sharing them, instead of a
//! `serde_json::Map` with a hash index and a string per key.

use std::fmt;
use std::rc::Rc;

use rand::RngCore;
use serde_json::{Map, Value};

use super::{EvalError, JsonPath, PathError, Roots};
use super::ast::{Root, Segment, Selector};
use crate::asl::intrinsic::{self, Call, IntrinsicError, IntrinsicEvalError};
use crate::asl::value::{Payload, Shared};

/// A compiled payload template.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    root: Node,
    /// The same template in the shared form, when it has only literals, objects with distinct
    /// keys, arrays and member paths from `$` ([`Template::eval_shared`]).
    shared: Option<SharedNode>,
}

/// A template node in the shared form: what [`Template::eval_shared`] evaluates.
#[derive(Clone, Debug, PartialEq)]
enum SharedNode {
    Literal(Shared),
    Object(Vec<(Rc<str>, SharedNode)>),
    Array(Vec<SharedNode>),
    /// `$`, `$.a`, `$.a.b` ...: the member names from the input.
    Member(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// A subtree without `.$` keys: copied as it is.
    Literal(Value),
    /// The members in order; `skeleton`, when no two members share a key and a clone wastes at
    /// most one entry slot ([`clone_is_tight`]), is the object with every key in place, the
    /// literal members' values set and the others `null`: evaluating clones it and fills the
    /// slots in order, so no key is hashed per evaluation.
    Object {
        members: Vec<(String, Node)>,
        skeleton: Option<Map<String, Value>>,
    },
    Array(Vec<Node>),
    Path {
        field: String,
        path: JsonPath,
    },
    Intrinsic {
        field: String,
        call: Call,
    },
}

/// Why a template cannot be compiled: the field (a JSON pointer into the template and the key
/// as written) and what is wrong with its value.
#[derive(Clone, Debug, PartialEq)]
pub struct TemplateError {
    /// JSON pointer to the offending member inside the template, e.g. `/a/b.$`.
    pub pointer: String,
    /// The key as written, e.g. `b.$`.
    pub field: String,
    /// What is wrong.
    pub kind: TemplateErrorKind,
}

/// What is wrong with a `.$` field.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateErrorKind {
    /// `{"a.$": 1}`: the value must be a string.
    NotAString,
    /// `{"a.$": "x"}`: the string is neither a path nor an intrinsic call.
    NotAPathOrIntrinsic,
    /// `{"a.$": "$.a["}`: the path does not parse.
    Path(PathError),
    /// `{"a.$": "States.Nope()"}`: the intrinsic call does not parse.
    Intrinsic(IntrinsicError),
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.kind {
            TemplateErrorKind::NotAString => {
                write!(
                    f,
                    "the value of the field '{field}' must be a string holding a JSONPath or an intrinsic function"
                )
            }
            TemplateErrorKind::NotAPathOrIntrinsic => {
                write!(
                    f,
                    "the field '{field}' is not a JSONPath or intrinsic function expression"
                )
            }
            TemplateErrorKind::Path(e) => {
                write!(f, "the field '{field}' holds an invalid JSONPath: {e}")
            }
            TemplateErrorKind::Intrinsic(e) => {
                write!(
                    f,
                    "the field '{field}' holds an invalid intrinsic function: {e}"
                )
            }
        }
    }
}

impl std::error::Error for TemplateError {}

/// Why evaluating a template failed; both become `States.Runtime` or `States.IntrinsicFailure`.
#[derive(Clone, Debug, PartialEq)]
pub enum TemplateEvalError {
    /// A definite path selected nothing: "The JSONPath '$.foo' specified for the field 'bar.$'
    /// could not be found in the input '{…}'".
    PathNotFound {
        /// The key as written, e.g. `bar.$`.
        field: String,
        /// The path as written.
        path: String,
        /// Why the path found nothing.
        reason: EvalError,
    },
    /// An intrinsic call failed.
    Intrinsic {
        /// The key as written.
        field: String,
        /// The call's failure.
        error: IntrinsicEvalError,
    },
}

impl TemplateEvalError {
    /// The AWS error name the state fails with.
    pub fn error_name(&self) -> &'static str {
        match self {
            TemplateEvalError::PathNotFound { .. } => "States.Runtime",
            TemplateEvalError::Intrinsic { error, .. } => error.error_name(),
        }
    }

    /// AWS's cause text, given the input the template read (AWS quotes it). The interpreter
    /// prefixes it with [`super::cause::in_state`].
    pub fn cause(&self, input: &Value) -> String {
        match self {
            TemplateEvalError::PathNotFound { field, path, .. } => {
                super::cause::template_path_not_found(path, field, input)
            }
            TemplateEvalError::Intrinsic { error, .. } => error.cause(input),
        }
    }
}

impl fmt::Display for TemplateEvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TemplateEvalError::PathNotFound {
                field,
                path,
                reason,
            } => {
                write!(
                    f,
                    "the path {path} of the field '{field}' found nothing: {reason}"
                )
            }
            TemplateEvalError::Intrinsic { field, error } => {
                write!(f, "the field '{field}': {error}")
            }
        }
    }
}

impl std::error::Error for TemplateEvalError {}

impl Template {
    /// Compiles a template, parsing every `.$` value once.
    pub fn compile(template: &Value) -> Result<Template, TemplateError> {
        let mut pointer = String::new();
        compile(template, &mut pointer).map(|root| Template { shared: shared_node(&root), root })
    }

    /// Builds the payload in the shared form from `input`, when the input is in that form, the
    /// template has only literals and member paths from `$` and every path finds its member.
    /// `None` otherwise: the caller then evaluates it with [`Template::eval`], which gives the
    /// same value or the error (a template of this kind draws no random numbers and reads
    /// neither `$$` nor variables). An input held as a `serde_json::Value` keeps that form: its
    /// members would be copied into the shared form, and the next reader (a Map's results, an
    /// intrinsic) would copy them back.
    pub fn eval_shared(&self, input: &Payload) -> Option<Shared> {
        eval_on_shared(self.shared.as_ref()?, input.as_shared()?)
    }

    /// Builds the payload. Paths read `roots`; intrinsics draw randomness from `rng` only.
    pub fn eval(&self, roots: &Roots, rng: &mut dyn RngCore) -> Result<Value, TemplateEvalError> {
        eval(&self.root, roots, rng)
    }
}

fn has_dynamic(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| k.ends_with(".$") || has_dynamic(v)),
        Value::Array(items) => items.iter().any(has_dynamic),
        _ => false,
    }
}

fn push_pointer(pointer: &mut String, token: &str) {
    pointer.push('/');
    pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
}

fn compile(value: &Value, pointer: &mut String) -> Result<Node, TemplateError> {
    if !has_dynamic(value) {
        return Ok(Node::Literal(value.clone()));
    }
    match value {
        Value::Object(map) => {
            let mut members = Vec::with_capacity(map.len());
            for (key, item) in map {
                let len = pointer.len();
                push_pointer(pointer, key);
                let node = match key.strip_suffix(".$") {
                    Some(name) => (name.to_string(), dynamic(key, item, pointer)?),
                    None => (key.clone(), compile(item, pointer)?),
                };
                pointer.truncate(len);
                members.push(node);
            }
            let mut skeleton = Map::with_capacity(members.len());
            for (key, node) in &members {
                let value = match node {
                    Node::Literal(value) => value.clone(),
                    _ => Value::Null,
                };
                skeleton.insert(key.clone(), value);
            }
            let skeleton = (skeleton.len() == members.len() && clone_is_tight(members.len())).then_some(skeleton);
            Ok(Node::Object { members, skeleton })
        }
        Value::Array(items) => {
            let mut nodes = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                push_pointer(pointer, &i.to_string());
                nodes.push(compile(item, pointer)?);
                pointer.truncate(len);
            }
            Ok(Node::Array(nodes))
        }
        _ => Ok(Node::Literal(value.clone())),
    }
}

/// Whether a clone of an `n`-member object holds at most one unused entry slot. A clone of an
/// `IndexMap` gets as many entry slots as its hash table has room for (hashbrown: 3 below 4
/// members, 7 below 8, then 7/8 of a power of two): 3, 7, 14 or 28 members fit exactly, and a
/// 4-member object would carry 3 spare slots (336 bytes) in every output built from it. This
/// only trades speed against memory; the value is the same either way.
fn clone_is_tight(n: usize) -> bool {
    let room = match n {
        0..=3 => 3,
        4..=7 => 7,
        _ => (n * 8).div_ceil(7).next_power_of_two() / 8 * 7,
    };
    room - n <= 1
}

fn dynamic(key: &str, value: &Value, pointer: &str) -> Result<Node, TemplateError> {
    let error = |kind| TemplateError {
        pointer: pointer.to_string(),
        field: key.to_string(),
        kind,
    };
    let Value::String(text) = value else {
        return Err(error(TemplateErrorKind::NotAString));
    };
    if text.starts_with('$') {
        let path = JsonPath::parse(text).map_err(|e| error(TemplateErrorKind::Path(e)))?;
        Ok(Node::Path {
            field: key.to_string(),
            path,
        })
    } else if intrinsic::is_intrinsic(text) {
        let call = intrinsic::parse(text).map_err(|e| error(TemplateErrorKind::Intrinsic(e)))?;
        Ok(Node::Intrinsic {
            field: key.to_string(),
            call,
        })
    } else {
        Err(error(TemplateErrorKind::NotAPathOrIntrinsic))
    }
}

/// The shared form of a compiled node, when it has one (see [`SharedNode`]).
fn shared_node(node: &Node) -> Option<SharedNode> {
    match node {
        Node::Literal(value) => Some(SharedNode::Literal(Shared::from(value))),
        Node::Object { members, .. } => {
            // Distinct keys only (`{"a": 1, "a.$": "$.b"}` keeps the last in the first's place).
            let distinct = members.iter().enumerate().all(|(i, (key, _))| members[..i].iter().all(|(other, _)| other != key));
            if !distinct {
                return None;
            }
            members
                .iter()
                .map(|(key, member)| Some((Rc::from(key.as_str()), shared_node(member)?)))
                .collect::<Option<_>>()
                .map(SharedNode::Object)
        }
        Node::Array(items) => items.iter().map(shared_node).collect::<Option<_>>().map(SharedNode::Array),
        Node::Path { path, .. } => {
            if *path.root() != Root::Input || path.function().is_some() {
                return None;
            }
            path.segments()
                .iter()
                .map(|segment| match segment {
                    Segment::Child(Selector::Name(name)) => Some(name.clone()),
                    _ => None,
                })
                .collect::<Option<_>>()
                .map(SharedNode::Member)
        }
        Node::Intrinsic { .. } => None,
    }
}

fn eval_on_shared(node: &SharedNode, input: &Shared) -> Option<Shared> {
    Some(match node {
        SharedNode::Literal(value) => value.clone(),
        SharedNode::Object(members) => {
            let mut out = Vec::with_capacity(members.len());
            for (key, member) in members {
                out.push((key.clone(), eval_on_shared(member, input)?));
            }
            Shared::object(out)
        }
        SharedNode::Array(items) => Shared::Array(Rc::new(items.iter().map(|item| eval_on_shared(item, input)).collect::<Option<_>>()?)),
        SharedNode::Member(names) => {
            let mut at = input;
            for name in names {
                at = at.get(name)?;
            }
            at.clone()
        }
    })
}

fn eval(node: &Node, roots: &Roots, rng: &mut dyn RngCore) -> Result<Value, TemplateEvalError> {
    match node {
        Node::Literal(value) => Ok(value.clone()),
        Node::Object { members, skeleton: Some(skeleton) } => {
            // The same members in the same order as inserting them one by one (the keys are
            // distinct), and the same evaluation order for errors and the RNG.
            let mut map = skeleton.clone();
            for ((_, member), slot) in members.iter().zip(map.values_mut()) {
                if !matches!(member, Node::Literal(_)) {
                    *slot = eval(member, roots, rng)?;
                }
            }
            Ok(Value::Object(map))
        }
        Node::Object { members, skeleton: None } => {
            let mut map = Map::with_capacity(members.len());
            for (key, member) in members {
                map.insert(key.clone(), eval(member, roots, rng)?);
            }
            Ok(Value::Object(map))
        }
        Node::Array(items) => items
            .iter()
            .map(|item| eval(item, roots, rng))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Node::Path { field, path } => {
            path.eval(roots)
                .map_err(|reason| TemplateEvalError::PathNotFound {
                    field: field.clone(),
                    path: path.as_str().to_string(),
                    reason,
                })
        }
        Node::Intrinsic { field, call } => {
            call.eval(roots, rng)
                .map_err(|error| TemplateEvalError::Intrinsic {
                    field: field.clone(),
                    error,
                })
        }
    }
}

#[cfg(test)]
mod shared_tests {
    use super::*;
    use serde_json::json;

    /// The template's shared evaluation of `input`, checked against [`Template::eval`]: the
    /// same value, members in the same order.
    fn shared_eval(template: Value, input: Value) -> Option<Value> {
        let template = Template::compile(&template).unwrap();
        assert_eq!(template.eval_shared(&Payload::new(input.clone())), None, "a Value input keeps its form");
        let shared = template.eval_shared(&Payload::from_shared(Shared::from(&input))).map(|s| s.to_value());
        if let Some(value) = &shared {
            let full = template.eval(&Roots::input(&input), &mut <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0)).unwrap();
            assert_eq!(value.to_string(), full.to_string());
        }
        shared
    }

    #[test]
    fn member_path_templates_build_the_same_value_in_the_shared_form() {
        let input = json!({"value": 7, "a": {"b": [1, {"c": null}]}, "s": "x"});
        assert_eq!(
            shared_eval(json!({"step": 3, "value.$": "$.value", "deep.$": "$.a.b", "whole.$": "$", "list": [{"k.$": "$.s"}, 2]}), input.clone()),
            Some(json!({"step": 3, "value": 7, "deep": [1, {"c": null}], "whole": input, "list": [{"k": "x"}, 2]}))
        );
        assert_eq!(shared_eval(json!({"lit": {"z": 1, "a": 2}}), input.clone()), Some(json!({"lit": {"z": 1, "a": 2}})));
    }

    #[test]
    fn other_templates_and_missing_members_are_left_to_the_full_evaluation() {
        let input = json!({"value": 7, "list": [1, 2]});
        // A missing member (the full evaluation reports it), a member of a non-object.
        assert_eq!(shared_eval(json!({"v.$": "$.missing"}), input.clone()), None);
        assert_eq!(shared_eval(json!({"v.$": "$.value.x"}), input.clone()), None);
        // Intrinsics, context, variables, indexes, functions and filters.
        for path in ["States.MathAdd($.value, 1)", "$$.Execution.Id", "$var", "$.list[0]", "$.list.length()", "$..value"] {
            let template = Template::compile(&json!({"v.$": path})).unwrap();
            assert!(template.shared.is_none(), "{path}");
        }
        // A key given twice (literal and path) keeps serde_json's merge rule in the full evaluation.
        let template = Template::compile(&json!({"a": 1, "a.$": "$.value"})).unwrap();
        assert!(template.shared.is_none());
    }
}
