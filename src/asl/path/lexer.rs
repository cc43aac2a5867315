//! The path lexer: a cursor that reads one token at a time on the parser's request. Paths are
//! context-sensitive (a name after `.` may hold `-`, `:` or `)`; a path inside a filter ends at an
//! operator), so the parser says which kind of token it expects next rather than lexing
//! everything up front. A cursor can be limited to a window of the text (a path inside a filter,
//! a function argument), and its offsets stay offsets into the whole text.

use super::PathError;

/// A byte cursor over a window `[pos, end)` of the path text.
#[derive(Clone)]
pub(crate) struct Lexer<'s> {
    src: &'s str,
    pos: usize,
    end: usize,
}

impl<'s> Lexer<'s> {
    /// A cursor over `src[start..end]`, reporting offsets into `src`.
    pub(crate) fn window(src: &'s str, start: usize, end: usize) -> Self {
        Lexer {
            src,
            pos: start,
            end,
        }
    }

    /// The byte offset of the next unread character.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// Moves the cursor (to a place the caller found by looking ahead).
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos.min(self.end);
    }

    /// Where the window ends.
    pub(crate) fn end(&self) -> usize {
        self.end
    }

    pub(crate) fn at_end(&self) -> bool {
        self.pos >= self.end
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    pub(crate) fn rest(&self) -> &'s str {
        &self.src[self.pos.min(self.end)..self.end]
    }

    /// The text between two offsets.
    pub(crate) fn slice(&self, from: usize, to: usize) -> &'s str {
        &self.src[from..to]
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

    /// Skips spaces: inside brackets Jayway's "significant character" skips only ' '.
    pub(crate) fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
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

    /// A dotted name as Jayway's `readPropertyOrFunctionToken` reads it: everything up to `.`,
    /// `[` or `(` (so `-`, `:`, `)` and `'` are part of a name). A space inside is an error.
    pub(crate) fn name(&mut self) -> Result<&'s str, PathError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                '.' | '[' | '(' => break,
                ' ' => {
                    return Err(PathError {
                        message: "a name holding blanks must use brackets: ['my name']".into(),
                        offset: start,
                    });
                }
                _ => {
                    self.bump();
                }
            }
        }
        Ok(&self.src[start..self.pos])
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

    /// A quoted name, `'…'` or `"…"`, as a bracket property. A backslash escapes the next
    /// character for finding the closing quote; only an escaped quote loses its backslash, every
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
                        message: format!("the quoted name is not closed: missing {quote}"),
                        offset: start,
                    });
                }
                Some('\\') => match self.bump() {
                    Some(c) if c == quote => text.push(quote),
                    Some(c) => {
                        text.push('\\');
                        text.push(c);
                    }
                    None => text.push('\\'),
                },
                Some(c) if c == quote => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }
}
