//! Checks a JSON value against a shape: a Task's `Parameters`/`Arguments` against the operation's
//! input (as written, where `"Key.$"` and `"{% ... %}"` stand for values known at run time), the
//! effective request at run time, or a response against the output shape.
//!
//! Findings carry the JSON pointer of the field, relative to the checked value: the validator
//! prefixes the Task's pointer and shows them as warnings. How much is checked follows
//! TestState's `fieldValidationMode` ([`FieldValidationMode`]).

use serde_json::Value;

use super::service::{Service, Shape, ShapeId};
use crate::asl::json::escape_pointer_token;

/// How strictly a value is checked, after TestState's `fieldValidationMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FieldValidationMode {
    /// Required members must be there, and every member there must conform.
    #[default]
    Strict,
    /// Every member there must conform.
    Present,
    /// Nothing is checked.
    None,
}

impl FieldValidationMode {
    pub const ALL: [FieldValidationMode; 3] = [FieldValidationMode::Strict, FieldValidationMode::Present, FieldValidationMode::None];

    /// AWS's name, as TestState spells it: `STRICT`, `PRESENT`, `NONE`.
    pub fn name(self) -> &'static str {
        match self {
            FieldValidationMode::Strict => "STRICT",
            FieldValidationMode::Present => "PRESENT",
            FieldValidationMode::None => "NONE",
        }
    }

    /// The mode AWS names `text`.
    pub fn parse(text: &str) -> Option<Self> {
        FieldValidationMode::ALL.into_iter().find(|m| m.name() == text)
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FindingKind {
    /// A member the shape does not have.
    UnknownMember,
    /// A required member that is missing (only in [`FieldValidationMode::Strict`]).
    MissingRequired,
    /// A value of the wrong JSON type.
    WrongType,
    /// A string that is none of the enum's values.
    BadEnum,
}

/// One problem, located by JSON pointer relative to the checked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub pointer: String,
    pub kind: FindingKind,
    pub message: String,
}

/// Whether the value is a template as written in a definition or a value at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `Parameters`/`Arguments` as written: `"Name.$"` keys and `"{% ... %}"` strings are
    /// filled at run time, so only their presence is checked.
    Template,
    /// A concrete value.
    Value,
}

/// Checks `value` against `shape`. `json_members` are member paths (`Payload`,
/// `Entries/*/Detail`) that take any JSON value (optimized integrations serialise them).
pub fn check(service: &Service, shape: ShapeId, value: &Value, mode: FieldValidationMode, written: Written, json_members: &[&str]) -> Vec<Finding> {
    let mut checker = Checker { service, mode, written, json_members, findings: Vec::new(), path: Vec::new() };
    if mode != FieldValidationMode::None {
        checker.value(shape, value, &mut String::new());
    }
    checker.findings
}

struct Checker<'a> {
    service: &'a Service,
    mode: FieldValidationMode,
    written: Written,
    json_members: &'a [&'a str],
    findings: Vec<Finding>,
    /// Member names from the root, `*` for list elements and map values.
    path: Vec<String>,
}

fn is_jsonata(value: &Value) -> bool {
    value.as_str().is_some_and(|s| {
        let t = s.trim();
        t.starts_with("{%") && t.ends_with("%}")
    })
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number with a fraction",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Checker<'_> {
    fn find(&mut self, pointer: &str, kind: FindingKind, message: String) {
        self.findings.push(Finding { pointer: pointer.to_string(), kind, message });
    }

    fn takes_any_json(&self) -> bool {
        self.json_members.iter().any(|pattern| {
            let parts: Vec<&str> = pattern.split('/').collect();
            parts.len() == self.path.len() && parts.iter().zip(&self.path).all(|(p, m)| p == m)
        })
    }

    fn value(&mut self, id: ShapeId, value: &Value, pointer: &mut String) {
        if value.is_null() || (self.written == Written::Template && is_jsonata(value)) || self.takes_any_json() {
            return;
        }
        let shape = self.service.shape(id);
        let fits = match (shape, value) {
            (Shape::Document | Shape::Blob { .. }, _) => true,
            (Shape::Structure { .. }, Value::Object(_)) => {
                self.structure(id, value, pointer);
                true
            }
            (Shape::Map { value: values, .. }, Value::Object(entries)) => {
                for (key, entry) in entries {
                    let (key, dynamic) = self.key(key);
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&escape_pointer_token(key));
                    if !dynamic {
                        self.path.push("*".to_string());
                        self.value(*values, entry, pointer);
                        self.path.pop();
                    }
                    pointer.truncate(len);
                }
                true
            }
            (Shape::List { member, .. }, Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let len = pointer.len();
                    pointer.push('/');
                    pointer.push_str(&i.to_string());
                    self.path.push("*".to_string());
                    self.value(*member, item, pointer);
                    self.path.pop();
                    pointer.truncate(len);
                }
                true
            }
            (Shape::String { values, .. }, Value::String(s)) => {
                if !values.is_empty() && !values.contains(s) {
                    let shown: Vec<&str> = values.iter().take(8).map(String::as_str).collect();
                    let more = if values.len() > 8 { format!(" (and {} more)", values.len() - 8) } else { String::new() };
                    self.find(pointer, FindingKind::BadEnum, format!("{s:?} is not one of {}{more}", shown.join(", ")));
                }
                true
            }
            (Shape::Integer { .. } | Shape::Long { .. }, Value::Number(n)) => n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
            (Shape::Float { .. }, Value::Number(_)) => true,
            (Shape::Boolean, Value::Bool(_)) => true,
            (Shape::Timestamp, Value::String(_) | Value::Number(_)) => true,
            _ => false,
        };
        if !fits {
            self.find(pointer, FindingKind::WrongType, format!("expected {}, found {}", shape.expected(), describe(value)));
        }
    }

    /// A key as written: `Name.$` in a template is `Name`, filled at run time.
    fn key<'k>(&self, key: &'k str) -> (&'k str, bool) {
        match key.strip_suffix(".$") {
            Some(name) if self.written == Written::Template => (name, true),
            _ => (key, false),
        }
    }

    fn structure(&mut self, id: ShapeId, value: &Value, pointer: &mut String) {
        let Shape::Structure { members, required, .. } = self.service.shape(id) else { return };
        let Value::Object(fields) = value else { return };
        for (key, field) in fields {
            let (name, dynamic) = self.key(key);
            let len = pointer.len();
            pointer.push('/');
            pointer.push_str(&escape_pointer_token(key));
            match members.iter().find(|(m, _)| m == name) {
                None => {
                    let hint = members
                        .iter()
                        .find(|(m, _)| m.eq_ignore_ascii_case(name))
                        .map_or(String::new(), |(m, _)| format!(" (did you mean {m}?)"));
                    self.find(pointer, FindingKind::UnknownMember, format!("unknown member {name:?}{hint}"));
                }
                Some((_, shape)) if !dynamic => {
                    self.path.push(name.to_string());
                    self.value(*shape, field, pointer);
                    self.path.pop();
                }
                Some(_) => {}
            }
            pointer.truncate(len);
        }
        if self.mode == FieldValidationMode::Strict {
            for name in required {
                let present = fields.get(name).is_some_and(|v| !v.is_null())
                    || (self.written == Written::Template && fields.contains_key(&format!("{name}.$")));
                if !present {
                    self.find(pointer, FindingKind::MissingRequired, format!("missing required member {name:?}"));
                }
            }
        }
    }
}
