//! AWS's JSONPath dialect as Step Functions evaluates it, on plain `serde_json::Value`s.
//!
//! Owns: parsing paths ([`JsonPath`]) and reference paths ([`ReferencePath`]), evaluating them
//! against the state input, the context object (`$$`) or a variable (`$name`) through [`Roots`],
//! writing a value at a reference path (ResultPath), payload templates with `.$` keys
//! ([`template`]), and AWS's cause texts for path failures ([`cause`]).
//!
//! Stages and their errors: text → [`JsonPath`] ([`PathError`], with a byte offset), then
//! evaluation ([`EvalError`], Jayway's messages, which AWS quotes), writing ([`WriteError`]).
//!
//! The dialect is Jayway JsonPath's, the Java library AWS runs: the path grammar is in
//! `parser.rs` (Jayway's `PathCompiler`), the filter grammar in `filter.rs` (`FilterCompiler`),
//! the functions in `function.rs` and the filter semantics in `predicate.rs`. A *definite* path (only names
//! and single indices) yields one value or fails; an *indefinite* path (`*`, `..`, slices,
//! unions, filters) yields an array of matches, possibly empty, and never fails.

mod ast;
pub mod cause;
mod eval;
mod filter;
mod function;
mod lexer;
mod parser;
pub mod pattern;
mod predicate;
pub mod template;
mod write;

#[cfg(test)]
mod tests;

use std::fmt;

use serde_json::{Map, Value};

pub use ast::{
    CompareOp, Filter, FunctionArg, FunctionName, Operand, PathFunction, Root, Segment, Selector, Slice,
    Steps,
};
pub use pattern::Pattern;
pub use eval::{EvalError, Selected};
pub use template::{Template, TemplateError, TemplateEvalError};
pub use write::{Undo, WriteError};

/// A syntax error in a path: what is wrong and the byte offset in the path text where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// What is wrong, e.g. "expected ']', found the end of the path".
    pub message: String,
    /// Byte offset into the path text.
    pub offset: usize,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at offset {})", self.message, self.offset)
    }
}

impl std::error::Error for PathError {}

/// The variables in scope, looked up by name (without `$`).
pub trait Variables {
    /// The variable's value, if it is defined.
    fn variable(&self, name: &str) -> Option<&Value>;
}

/// No variables at all.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoVariables;

impl Variables for NoVariables {
    fn variable(&self, _name: &str) -> Option<&Value> {
        None
    }
}

impl Variables for Map<String, Value> {
    fn variable(&self, name: &str) -> Option<&Value> {
        member(self, name)
    }
}

/// `map.get(name)`, by a linear scan when the object is small: serde_json's maps hash every key
/// looked up with SipHash, which costs more than comparing a few keys. Keys are unique, so the
/// first match is the member. Lengths are compared first, so most other keys cost no byte
/// comparison (the size-tuned wasm build calls `String == str` out of line, then `memcmp`).
#[inline]
pub fn member<'v>(map: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    if map.len() <= 8 {
        map.iter().find_map(|(k, v)| (k.len() == name.len() && k.as_bytes() == name.as_bytes()).then_some(v))
    } else {
        map.get(name)
    }
}

/// [`member`] of a value that is an object.
#[inline]
pub fn field<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    value.as_object().and_then(|map| member(map, name))
}

static NULL: Value = Value::Null;

/// What each kind of path root points to during one evaluation.
#[derive(Clone, Copy)]
pub struct Roots<'v> {
    /// `$`: the current input (the raw state input, or the effective input, as the field wants).
    pub input: &'v Value,
    /// `$$`: the context object.
    pub context: &'v Value,
    /// `$name`: the variables in scope.
    pub variables: &'v dyn Variables,
}

impl<'v> Roots<'v> {
    /// Roots with only an input: `$$` is `null` and no variable is defined.
    pub fn input(input: &'v Value) -> Self {
        Roots {
            input,
            context: &NULL,
            variables: &NoVariables,
        }
    }

    /// These roots with `$$` pointing at `context`.
    pub fn with_context(self, context: &'v Value) -> Self {
        Roots { context, ..self }
    }

    /// These roots with `$name` resolved by `variables`.
    pub fn with_variables(self, variables: &'v dyn Variables) -> Self {
        Roots { variables, ..self }
    }

    /// The value a root stands for.
    pub fn resolve(&self, root: &Root) -> Result<&'v Value, EvalError> {
        match root {
            Root::Input => Ok(self.input),
            Root::Context => Ok(self.context),
            Root::Variable(name) => self
                .variables
                .variable(name)
                .ok_or_else(|| EvalError::UnknownVariable { name: name.clone() }),
        }
    }
}

impl fmt::Debug for Roots<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Roots")
            .field("input", self.input)
            .field("context", self.context)
            .finish()
    }
}

/// A parsed JSONPath: `$.a.b`, `$$.Execution.Id`, `$var.x`, `$.items[?(@.price < 10)]`, ….
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPath {
    text: String,
    root: Root,
    steps: Steps,
    definite: bool,
}

impl JsonPath {
    /// Parses a path. Never panics; a syntax error carries a message and a byte offset.
    pub fn parse(text: &str) -> Result<JsonPath, PathError> {
        let parsed = parser::parse(text)?;
        let definite = parsed.steps.is_definite();
        Ok(JsonPath {
            text: text.to_string(),
            root: parsed.root,
            steps: parsed.steps,
            definite,
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Where the path starts.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The segments after the root.
    pub fn segments(&self) -> &[Segment] {
        &self.steps.segments
    }

    /// A trailing function call such as `length()`.
    pub fn function(&self) -> Option<&PathFunction> {
        self.steps.function.as_ref()
    }

    /// Whether the path selects at most one node (so its result is that node, not an array).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// Selects from the root the path names, borrowing where it can.
    pub fn select<'v>(&self, roots: &Roots<'v>) -> Result<Selected<'v>, EvalError> {
        let start = roots.resolve(&self.root)?;
        eval::select(start, start, &self.steps, self.definite)
    }

    /// Selects from `document`, whatever the path's root says (handy when the caller already
    /// resolved the root).
    pub fn select_in<'v>(&self, document: &'v Value) -> Result<Selected<'v>, EvalError> {
        eval::select(document, document, &self.steps, self.definite)
    }

    /// Evaluates to an owned value: the node for a definite path, an array for an indefinite one.
    pub fn eval(&self, roots: &Roots) -> Result<Value, EvalError> {
        // `$.a.b`, found: the node itself, without the general walk (which also explains what
        // is missing, so anything else goes there).
        if self.steps.function.is_none() {
            let mut node = roots.resolve(&self.root)?;
            let mut names_only = true;
            for segment in &self.steps.segments {
                match segment {
                    Segment::Child(Selector::Name(name)) => match field(node, name) {
                        Some(child) => node = child,
                        None => {
                            names_only = false;
                            break;
                        }
                    },
                    _ => {
                        names_only = false;
                        break;
                    }
                }
            }
            if names_only {
                return Ok(node.clone());
            }
        }
        self.select(roots).map(Selected::into_value)
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A reference path: a definite path of names and indices only (`$.a.b[0]`), as ResultPath and
/// the `…Path` fields that name one value require.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferencePath {
    path: JsonPath,
}

impl ReferencePath {
    /// Parses a reference path; wildcards, slices, unions, filters, `..` and functions are errors.
    pub fn parse(text: &str) -> Result<ReferencePath, PathError> {
        let parsed = parser::parse(text)?;
        if parsed.steps.function.is_some() {
            return Err(PathError {
                message: "a reference path cannot call a function".into(),
                offset: text.rfind('.').map_or(0, |i| i + 1),
            });
        }
        if let Some(bad) = parsed.steps.segments.iter().find(|s| !s.is_definite()) {
            let what = match bad {
                Segment::Descendant(_) => "'..'",
                Segment::Child(Selector::Wildcard) => "'*'",
                Segment::Child(Selector::Slice(_)) => "a slice",
                Segment::Child(Selector::Filter(_)) => "a filter",
                Segment::Child(Selector::Names(_) | Selector::Indices(_)) => "a union",
                Segment::Child(Selector::Name(_) | Selector::Index(_)) => "this",
            };
            return Err(PathError {
                message: format!("a reference path must name a single node and cannot use {what}"),
                offset: indefinite_offset(text),
            });
        }
        let definite = true;
        Ok(ReferencePath {
            path: JsonPath {
                text: text.to_string(),
                root: parsed.root,
                steps: parsed.steps,
                definite,
            },
        })
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        self.path.as_str()
    }

    /// Where the path starts.
    pub fn root(&self) -> &Root {
        self.path.root()
    }

    /// The same path as a general [`JsonPath`].
    pub fn as_json_path(&self) -> &JsonPath {
        &self.path
    }

    /// The one node the path names.
    pub fn read<'v>(&self, roots: &Roots<'v>) -> Result<&'v Value, EvalError> {
        match self.path.select(roots)? {
            Selected::One(v) => Ok(v),
            // A reference path is definite and has no function, so this is unreachable in
            // practice; answer as Jayway would for an empty result.
            Selected::Many(_) | Selected::Computed(_) => Err(EvalError::NoResults {
                at: ast::normalized(&self.path.steps.segments),
            }),
        }
    }

    /// Puts `value` at this path inside `document`, creating missing intermediate objects, and
    /// returns the new document. `$` replaces the whole document. Only `$`-rooted paths write.
    pub fn write(&self, document: Value, value: Value) -> Result<Value, WriteError> {
        write::write(&self.path, document, value)
    }

    /// [`ReferencePath::write`] into a document the caller owns, all or nothing: gives what
    /// [`ReferencePath::restore`] needs to put the document back as it was.
    pub fn write_in_place(&self, document: &mut Value, value: Value) -> Result<Undo, WriteError> {
        write::write_in_place(&self.path, document, value)
    }

    /// Undoes a [`ReferencePath::write_in_place`] at this path.
    pub fn restore(&self, document: &mut Value, undo: Undo) {
        undo.restore(&self.path, document)
    }
}

impl fmt::Display for ReferencePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the first indefinite construct of a path starts, for error offsets.
fn indefinite_offset(text: &str) -> usize {
    ["..", "*", "?", ":", ","]
        .iter()
        .filter_map(|p| text.find(p))
        .min()
        .unwrap_or(0)
}
