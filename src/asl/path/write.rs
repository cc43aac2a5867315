//! Writing a value into a document at a reference path, as ResultPath does.

use std::fmt;

use serde_json::{Map, Value};

use super::eval::resolve_index;
use super::{JsonPath, Root, Segment, Selector};

/// Why a value could not be written at a reference path. The interpreter reports it as
/// `States.Runtime` with [`super::cause::result_path_not_applicable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteError {
    /// `$.a.b` into `{"a": 1}` or into `"text"`: a step met something that is not an object.
    NotAnObject {
        /// The reference path as written.
        path: String,
    },
    /// `$.a[3]` into `{"a": [1]}`: the index is not inside an existing array.
    NoSuchElement {
        /// The reference path as written.
        path: String,
    },
    /// `$$.x` or `$var.x`: only `$` names a place in the document.
    NotWritable {
        /// The reference path as written.
        path: String,
    },
}

impl WriteError {
    /// The reference path as written.
    pub fn path(&self) -> &str {
        match self {
            WriteError::NotAnObject { path }
            | WriteError::NoSuchElement { path }
            | WriteError::NotWritable { path } => path,
        }
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::NotAnObject { path } => {
                write!(f, "cannot write at {path}: a step is not an object")
            }
            WriteError::NoSuchElement { path } => {
                write!(f, "cannot write at {path}: no such array element")
            }
            WriteError::NotWritable { path } => {
                write!(f, "cannot write at {path}: only '$' paths write")
            }
        }
    }
}

impl std::error::Error for WriteError {}

pub(super) fn write(
    path: &JsonPath,
    mut document: Value,
    value: Value,
) -> Result<Value, WriteError> {
    write_in_place(path, &mut document, value)?;
    Ok(document)
}

/// What [`write_in_place`] changed, so that [`Undo::restore`] can put the document back as it
/// was: ResultPath writes into the state input it owns, and a later failure of the same state
/// (OutputPath, Assign's limits, the payload quota) hands that input, unchanged, to its Catch.
#[derive(Debug)]
pub struct Undo(UndoKind);

#[derive(Debug)]
enum UndoKind {
    /// `$`: the whole document was replaced; this was it.
    Whole(Value),
    /// A member was added at this segment (with anything under it): removing it undoes all.
    Added { depth: usize },
    /// The value at the path was replaced; this was it.
    Replaced(Value),
}

/// One step of a walk that has checked the path: a member by name or an array element.
fn child_mut<'v>(node: &'v mut Value, segment: &Segment) -> Option<&'v mut Value> {
    match (segment, node) {
        (Segment::Child(Selector::Name(name)), Value::Object(map)) => map.get_mut(name.as_str()),
        (Segment::Child(Selector::Index(index)), Value::Array(items)) => {
            let k = resolve_index(*index, items.len())?;
            items.get_mut(k)
        }
        _ => None,
    }
}

/// [`write`] into a document the caller owns: all or nothing (a path that cannot be written
/// leaves the document as it was), with what it takes to undo the write.
pub(super) fn write_in_place(path: &JsonPath, document: &mut Value, value: Value) -> Result<Undo, WriteError> {
    match path.root() {
        Root::Input => {}
        Root::Context | Root::Variable(_) => {
            return Err(WriteError::NotWritable {
                path: path.as_str().to_string(),
            });
        }
    }
    let segments = path.segments();
    let Some((last, init)) = segments.split_last() else {
        return Ok(Undo(UndoKind::Whole(std::mem::replace(document, value))));
    };
    let not_object = || WriteError::NotAnObject {
        path: path.as_str().to_string(),
    };
    let no_element = || WriteError::NoSuchElement {
        path: path.as_str().to_string(),
    };
    // First, without changing anything: how far the path exists, and whether the rest can be
    // made of new objects (the errors are the ones a step-by-step write meets first).
    let mut node: &Value = document;
    let mut missing_at = None;
    for (depth, segment) in init.iter().enumerate() {
        node = match segment {
            Segment::Child(Selector::Name(name)) => match node {
                Value::Object(map) => match map.get(name.as_str()) {
                    Some(child) => child,
                    None => {
                        missing_at = Some(depth);
                        break;
                    }
                },
                _ => return Err(not_object()),
            },
            Segment::Child(Selector::Index(index)) => match node {
                Value::Array(items) => &items[resolve_index(*index, items.len()).ok_or_else(no_element)?],
                _ => return Err(no_element()),
            },
            _ => return Err(not_object()),
        };
    }
    match missing_at {
        // Every step below a new object is a new object: a name only.
        Some(depth) => {
            for segment in init[depth + 1..].iter().chain(std::iter::once(last)) {
                match segment {
                    Segment::Child(Selector::Name(_)) => {}
                    Segment::Child(Selector::Index(_)) => return Err(no_element()),
                    _ => return Err(not_object()),
                }
            }
        }
        None => match (last, node) {
            (Segment::Child(Selector::Name(_)), Value::Object(_)) => {}
            (Segment::Child(Selector::Name(_)), _) => return Err(not_object()),
            (Segment::Child(Selector::Index(index)), Value::Array(items)) => {
                resolve_index(*index, items.len()).ok_or_else(no_element)?;
            }
            (Segment::Child(Selector::Index(_)), _) => return Err(no_element()),
            _ => return Err(not_object()),
        },
    }
    // Then the write, which cannot fail any more.
    let existing = missing_at.unwrap_or(init.len());
    let mut node: &mut Value = document;
    for segment in &init[..existing] {
        node = child_mut(node, segment).ok_or_else(not_object)?;
    }
    if missing_at.is_some() {
        // The new objects, innermost last, then the value in the innermost.
        let mut fresh = value;
        for segment in segments[existing + 1..].iter().rev() {
            if let Segment::Child(Selector::Name(name)) = segment {
                let mut map = Map::new();
                map.insert(name.clone(), fresh);
                fresh = Value::Object(map);
            }
        }
        if let (Segment::Child(Selector::Name(name)), Value::Object(map)) = (&segments[existing], node) {
            map.insert(name.clone(), fresh);
        }
        return Ok(Undo(UndoKind::Added { depth: existing }));
    }
    match (last, node) {
        (Segment::Child(Selector::Name(name)), Value::Object(map)) => Ok(Undo(match map.insert(name.clone(), value) {
            Some(old) => UndoKind::Replaced(old),
            None => UndoKind::Added { depth: init.len() },
        })),
        (Segment::Child(Selector::Index(_)), node @ Value::Array(_)) => {
            let slot = child_mut(node, last).ok_or_else(no_element)?;
            Ok(Undo(UndoKind::Replaced(std::mem::replace(slot, value))))
        }
        _ => Err(not_object()),
    }
}

impl Undo {
    /// Puts `document` back as it was before the write that gave this undo (at `path`).
    pub(super) fn restore(self, path: &JsonPath, document: &mut Value) {
        let segments = path.segments();
        let depth = match self.0 {
            UndoKind::Whole(old) => {
                *document = old;
                return;
            }
            UndoKind::Added { depth } => depth,
            UndoKind::Replaced(_) => segments.len().saturating_sub(1),
        };
        let mut node: &mut Value = document;
        for segment in &segments[..depth.min(segments.len())] {
            match child_mut(node, segment) {
                Some(child) => node = child,
                None => return,
            }
        }
        match (self.0, segments.get(depth)) {
            (UndoKind::Added { .. }, Some(Segment::Child(Selector::Name(name)))) => {
                if let Value::Object(map) = node {
                    map.shift_remove(name.as_str());
                }
            }
            (UndoKind::Replaced(old), Some(segment)) => {
                if let Some(slot) = child_mut(node, segment) {
                    *slot = old;
                }
            }
            _ => {}
        }
    }
}
