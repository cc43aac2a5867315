//! [`FormatError`]: why a file could not be opened or saved, located (line:column, and the JSON
//! pointer in the template when there is one) and said in words.

use crate::asl::json::LineIndex;
use std::fmt;

/// A located problem with a template or definition file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub message: String,
    /// 1-based line and column (in characters); 0 when the problem is the whole file.
    pub line: usize,
    pub column: usize,
    /// Where in the template's tree, as a JSON pointer (`/Resources/Flow/Properties`).
    pub pointer: Option<String>,
}

impl FormatError {
    /// A problem at byte `offset` of `text`.
    pub fn at(text: &str, offset: usize, message: impl Into<String>) -> Self {
        let p = LineIndex::new(text).position(offset);
        FormatError { message: message.into(), line: p.line, column: p.column, pointer: None }
    }

    /// A problem with the whole file.
    pub fn file(message: impl Into<String>) -> Self {
        FormatError { message: message.into(), line: 0, column: 0, pointer: None }
    }

    /// The same problem, said to be at `pointer` in the template.
    pub fn under(mut self, pointer: &str) -> Self {
        if self.pointer.is_none() && !pointer.is_empty() {
            self.pointer = Some(pointer.to_string());
        }
        self
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}", self.line, self.column)?;
            if let Some(p) = &self.pointer {
                write!(f, " ({p})")?;
            }
            write!(f, ": ")?;
        } else if let Some(p) = &self.pointer {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.message)
    }
}

impl std::error::Error for FormatError {}
