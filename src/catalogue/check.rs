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
    /// A concrete string or blob shorter than the model's `min` length.
    TooShort,
    /// A concrete string or blob longer than the model's `max` length.
    TooLong,
    /// A concrete number below the model's `min`.
    BelowMinimum,
    /// A concrete number above the model's `max`.
    AboveMaximum,
}

/// One problem, located by JSON pointer relative to the checked value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub pointer: String,
    pub kind: FindingKind,
    pub message: String,
    /// The same problem in AWS's words, which name the member and not its place: "Field
    /// 'EventId' must be a string", "Required field 'ExecutionArn' is missing" (TestState's
    /// refusals of a mocked result, recorded in LocalStack's `test_field_validation_mode*`
    /// snapshots).
    pub aws_words: String,
}

/// Whether the value is a template as written in a definition or a value at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `Parameters`/`Arguments` as written: `"Name.$"` keys and `"{% ... %}"` strings are
    /// filled at run time, so only their presence is checked.
    Template,
    /// A concrete value, checked as AWS checks a mocked result: timestamps and blobs are
    /// strings, and the model's length and value bounds hold.
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

/// AWS's words for a value of the wrong JSON type, by the type the shape wants.
fn aws_type_words(shape: &Shape) -> &'static str {
    match shape {
        Shape::List { .. } => "must be an array",
        Shape::String { .. } | Shape::Blob { .. } | Shape::Timestamp => "must be a string",
        Shape::Integer { .. } | Shape::Long { .. } | Shape::Float { .. } => "must be a number",
        Shape::Boolean => "must be a boolean",
        Shape::Structure { .. } | Shape::Map { .. } | Shape::Document => "must be an object",
    }
}

impl Checker<'_> {
    fn find(&mut self, pointer: &str, kind: FindingKind, message: String) {
        let field = self.path.iter().rev().find(|m| *m != "*").map_or("", String::as_str);
        let aws_words = match &kind {
            FindingKind::MissingRequired => String::new(), // said by `structure`, which knows the name
            FindingKind::UnknownMember => format!("Field '{field}' is not an expected field"),
            FindingKind::WrongType => String::new(), // said by `value`, which knows the shape
            FindingKind::BadEnum => format!("Field '{field}' is not an expected value"),
            FindingKind::TooShort => format!("Field '{field}' is smaller than the minimum length"),
            FindingKind::TooLong => format!("Field '{field}' is larger than the maximum length"),
            FindingKind::BelowMinimum => format!("Field '{field}' is less than the minimum value"),
            FindingKind::AboveMaximum => format!("Field '{field}' exceeds the maximum value"),
        };
        self.findings.push(Finding { pointer: pointer.to_string(), kind, message, aws_words });
    }

    /// The model's bounds on a concrete value: a string's or blob's length in characters, a
    /// number's value.
    fn bounds(&mut self, shape: &Shape, value: &Value, pointer: &str) {
        if self.written != Written::Value {
            return;
        }
        let (bounds, measure, what) = match (shape, value) {
            (Shape::String { bounds, .. } | Shape::Blob { bounds }, Value::String(s)) => (bounds, s.chars().count() as f64, "length"),
            (Shape::Integer { bounds } | Shape::Long { bounds } | Shape::Float { bounds }, Value::Number(n)) => match n.as_f64() {
                Some(f) => (bounds, f, "value"),
                None => return,
            },
            _ => return,
        };
        let (kind, limit) = match (bounds.min, bounds.max) {
            (Some(min), _) if measure < min => (if what == "length" { FindingKind::TooShort } else { FindingKind::BelowMinimum }, min),
            (_, Some(max)) if measure > max => (if what == "length" { FindingKind::TooLong } else { FindingKind::AboveMaximum }, max),
            _ => return,
        };
        let side = if measure < limit { "at least" } else { "at most" };
        self.find(pointer, kind, format!("the {what} must be {side} {limit}, found {measure}"));
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
            (Shape::Document, _) => true,
            // A concrete blob is its base64 text; a template may build it any way.
            (Shape::Blob { .. }, Value::String(_)) => true,
            (Shape::Blob { .. }, _) => self.written == Written::Template,
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
            (Shape::Timestamp, Value::String(_)) => true,
            // Epoch seconds are taken in a request; a mocked result's timestamp is a string.
            (Shape::Timestamp, Value::Number(_)) => self.written == Written::Template,
            _ => false,
        };
        if !fits {
            self.find(pointer, FindingKind::WrongType, format!("expected {}, found {}", shape.expected(), describe(value)));
            let field = self.path.iter().rev().find(|m| *m != "*").map_or("", String::as_str);
            let words = format!("Field '{field}' {}", aws_type_words(shape));
            if let Some(last) = self.findings.last_mut() {
                last.aws_words = words;
            }
        } else {
            self.bounds(shape, value, pointer);
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
                    // At the request's top level, AWS accepts the definition
                    // (ValidateStateMachineDefinition says OK) and the run fails at this state
                    // with "The field \"TaskToken\" is not supported by Step Functions" (a
                    // `lambda:invoke.waitForTaskToken` with TaskToken beside Payload; the
                    // Developer Guide quotes the same words for EC2's `Filter`).
                    let consequence = if self.written == Written::Template && self.path.is_empty() {
                        format!("; AWS accepts the definition, but its runs fail at this state: The field \"{name}\" is not supported by Step Functions (the simulator does not stop there)")
                    } else {
                        String::new()
                    };
                    self.find(pointer, FindingKind::UnknownMember, format!("unknown member {name:?}{hint}{consequence}"));
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
                    if let Some(last) = self.findings.last_mut() {
                        last.aws_words = format!("Required field '{name}' is missing");
                    }
                }
            }
        }
    }
}
