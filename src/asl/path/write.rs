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
    match path.root() {
        Root::Input => {}
        Root::Context | Root::Variable(_) => {
            return Err(WriteError::NotWritable {
                path: path.as_str().to_string(),
            });
        }
    }
    let Some((last, init)) = path.segments().split_last() else {
        return Ok(value);
    };
    let not_object = || WriteError::NotAnObject {
        path: path.as_str().to_string(),
    };
    let no_element = || WriteError::NoSuchElement {
        path: path.as_str().to_string(),
    };
    let mut node = &mut document;
    for segment in init {
        node = match segment {
            Segment::Child(Selector::Name(name)) => match node {
                Value::Object(map) => map
                    .entry(name.clone())
                    .or_insert_with(|| Value::Object(Map::new())),
                _ => return Err(not_object()),
            },
            Segment::Child(Selector::Index(index)) => match node {
                Value::Array(items) => {
                    let k = resolve_index(*index, items.len()).ok_or_else(no_element)?;
                    &mut items[k]
                }
                _ => return Err(no_element()),
            },
            _ => return Err(not_object()),
        };
    }
    match last {
        Segment::Child(Selector::Name(name)) => match node {
            Value::Object(map) => {
                map.insert(name.clone(), value);
            }
            _ => return Err(not_object()),
        },
        Segment::Child(Selector::Index(index)) => match node {
            Value::Array(items) => {
                let k = resolve_index(*index, items.len()).ok_or_else(no_element)?;
                items[k] = value;
            }
            _ => return Err(no_element()),
        },
        _ => return Err(not_object()),
    }
    Ok(document)
}
