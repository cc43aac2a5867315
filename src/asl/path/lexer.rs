//! The path lexer: a cursor that reads one token at a time on the parser's request. Paths are
//! context-sensitive (a name after `.` may hold `-` or `:`, a name in a filter stops at `<`), so the
//! parser says which kind of token it expects next rather than lexing everything up front.

use super::PathError;

/// Where a dotted name stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NameMode {
    /// In the path proper, as Jayway reads it: a name runs until `.`, `[`, `(` or a blank.
    Path,
    /// Inside a filter, a name also stops at operators, `)`, `]` and `,`.
    Filter,
}

/// A byte cursor over the path text.
pub(crate) struct Lexer<'s> {
    src: &'s str,
    pos: usize,
}

impl<'s> Lexer<'s> {
    pub(crate) fn new(src: &'s str) -> Self {
        Lexer { src, pos: 0 }
    }

    /// The byte offset of the next unread character.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(crate) fn peek_second(&self) -> Option<char> {
        let mut chars = self.src[self.pos..].chars();
        chars.next();
        chars.next()
    }

    pub(crate) fn rest(&self) -> &'s str {
        &self.src[self.pos..]
    }

    pub(crate) fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Consumes `c` if it is next.
    pub(crate) fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    /// Consumes `s` if it comes next.
    pub(crate) fn eat_str(&mut self, s: &str) -> bool {
        if self.rest().starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    pub(crate) fn expect(&mut self, c: char) -> Result<(), PathError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.error(format!("expected '{c}'{}", self.found())))
        }
    }

    pub(crate) fn skip_blanks(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.bump();
        }
    }

    /// A description of what is next, for error messages.
    pub(crate) fn found(&self) -> String {
        match self.peek() {
            Some(c) => format!(", found '{c}'"),
            None => ", found the end of the path".to_string(),
        }
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> PathError {
        PathError {
            message: message.into(),
            offset: self.pos,
        }
    }

    /// A dotted name: the longest run of characters allowed by `mode`, possibly empty.
    pub(crate) fn name(&mut self, mode: NameMode) -> &'s str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let stops = c.is_whitespace()
                || matches!(c, '.' | '[' | '(')
                || (mode == NameMode::Filter
                    && matches!(c, ')' | ']' | ',' | '=' | '!' | '<' | '>' | '&' | '|' | '~'));
            if stops {
                break;
            }
            self.bump();
        }
        &self.src[start..self.pos]
    }

    /// A variable name after `$`: letters, digits and `_`, not starting with a digit.
    pub(crate) fn identifier(&mut self) -> &'s str {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let ok = c == '_' || c.is_alphabetic() || (c.is_ascii_digit() && self.pos > start);
            if !ok {
                break;
            }
            self.bump();
        }
        &self.src[start..self.pos]
    }

    /// A quoted name or string, `'…'` or `"…"`. Only the quote itself is escaped (`\'`); any
    /// other backslash is kept as written, as AWS does (`$['Test\""Name"']` names `Test\""Name"`).
    pub(crate) fn quoted(&mut self) -> Result<String, PathError> {
        let start = self.pos;
        let quote = match self.bump() {
            Some(q @ ('\'' | '"')) => q,
            _ => {
                self.pos = start;
                return Err(self.error(format!("expected a quoted name{}", self.found())));
            }
        };
        let mut text = String::new();
        loop {
            match self.bump() {
                None => {
                    return Err(PathError {
                        message: "unterminated quoted name".into(),
                        offset: start,
                    });
                }
                Some('\\') if self.peek() == Some(quote) => {
                    self.bump();
                    text.push(quote);
                }
                Some(c) if c == quote => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }

    /// Consumes `-`? digits+ and returns where it started, or consumes nothing.
    fn signed_digits(&mut self) -> Option<usize> {
        let start = self.pos;
        self.eat('-');
        let digits = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        if self.pos == digits {
            self.pos = start;
            return None;
        }
        Some(start)
    }

    /// An optionally signed integer, if one is next.
    pub(crate) fn integer(&mut self) -> Result<Option<i64>, PathError> {
        let Some(start) = self.signed_digits() else {
            return Ok(None);
        };
        self.src[start..self.pos]
            .parse::<i64>()
            .map(Some)
            .map_err(|_| PathError {
                message: "integer out of range".into(),
                offset: start,
            })
    }

    /// A JSON number literal (keeping integer vs float), if one is next.
    pub(crate) fn number(&mut self) -> Result<Option<serde_json::Number>, PathError> {
        let Some(start) = self.signed_digits() else {
            return Ok(None);
        };
        if self.peek() == Some('.') && self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
            while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                self.bump();
            }
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let mark = self.pos;
            self.bump();
            if !self.eat('-') {
                self.eat('+');
            }
            if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.bump();
                }
            } else {
                self.pos = mark;
            }
        }
        match serde_json::from_str::<serde_json::Number>(&self.src[start..self.pos]) {
            Ok(n) => Ok(Some(n)),
            Err(_) => Err(PathError {
                message: "invalid number".into(),
                offset: start,
            }),
        }
    }
}
