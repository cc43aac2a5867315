//! The JSON reader: text to a [`Node`] tree with spans, or one located [`JsonSyntaxError`].
//!
//! A hand-written recursive-descent reader over bytes. It never panics: every malformed input,
//! nesting deeper than [`MAX_DEPTH`] included, becomes an error with a position.

use super::{LineIndex, Member, Node, Number, Span, Value};
use std::fmt;

/// Deepest nesting of arrays and objects the reader accepts, so hostile input cannot overflow the stack.
pub const MAX_DEPTH: usize = 256;

/// Why a text is not a JSON document, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonSyntaxError {
    /// 1-based line of the offending character.
    pub line: usize,
    /// 1-based column (in characters) of the offending character.
    pub column: usize,
    /// Byte offset of the offending character.
    pub offset: usize,
    /// What is wrong, in words a user understands.
    pub message: String,
}

impl fmt::Display for JsonSyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for JsonSyntaxError {}

/// Reads `text` as exactly one JSON document (surrounding whitespace allowed).
///
/// `read("[1, 2.50]")` keeps `2.50` as written; `read("{\"a\" 1}")` fails at 1:6 with
/// "invalid JSON: expected `:`".
pub fn read(text: &str) -> Result<Node, JsonSyntaxError> {
    read_noting_duplicates(text).map(|(root, _)| root)
}

/// What [`read_noting_duplicates`] noticed on the way, so a caller need not walk the tree for
/// what is not there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadNotes {
    /// Some object writes a key twice.
    pub duplicates: bool,
    /// Some number has an exponent or over 300 characters: only such a number can be beyond
    /// what a 64-bit float holds (`1e400`).
    pub large_numbers: bool,
}

/// [`read`], also telling whether some object writes a key twice (checked as each object is
/// read, while its members are still in cache) and whether some number may not fit a float.
pub fn read_noting_duplicates(text: &str) -> Result<(Node, ReadNotes), JsonSyntaxError> {
    let mut reader = Reader { text, bytes: text.as_bytes(), pos: 0, depth: 0, duplicates: false, large_numbers: false };
    let result = reader.document().map(|root| (root, ReadNotes { duplicates: reader.duplicates, large_numbers: reader.large_numbers }));
    result.map_err(|(offset, message)| {
        let position = LineIndex::new(text).position(offset);
        JsonSyntaxError { line: position.line, column: position.column, offset, message: format!("invalid JSON: {message}") }
    })
}

type Failure = (usize, String);

/// The members of an object whose key an earlier member already wrote, in order: pairwise
/// comparison for small objects (most are), a hash set for big ones.
pub fn repeated_keys(members: &[Member]) -> impl Iterator<Item = &Member> {
    let mut seen = (members.len() > 16).then(|| std::collections::HashSet::with_capacity(members.len()));
    members.iter().enumerate().filter_map(move |(i, m)| {
        let repeated = match &mut seen {
            None => members[..i].iter().any(|earlier| earlier.key == m.key),
            Some(seen) => !seen.insert(m.key.as_str()),
        };
        repeated.then_some(m)
    })
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    /// Whether some object read so far writes a key twice.
    duplicates: bool,
    /// Whether some number read so far has an exponent or over 300 characters.
    large_numbers: bool,
}

impl<'a> Reader<'a> {
    fn document(&mut self) -> Result<Node, Failure> {
        self.skip_whitespace();
        let node = self.value()?;
        self.skip_whitespace();
        if self.pos < self.bytes.len() {
            return Err(self.fail("trailing characters after the document"));
        }
        Ok(node)
    }

    fn fail(&self, message: impl Into<String>) -> Failure {
        (self.pos, message.into())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node, Failure> {
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.fail("unexpected end of input, expected a value")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.keyword("true", Value::Bool(true))?,
            Some(b'f') => self.keyword("false", Value::Bool(false))?,
            Some(b'n') => self.keyword("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(_) => return Err(self.fail("expected a value")),
        };
        Ok(Node { value, span: Span::new(start, self.pos) })
    }

    fn keyword(&mut self, word: &str, value: Value) -> Result<Value, Failure> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.fail(format!("expected `{word}`")))
        }
    }

    fn enter(&mut self) -> Result<(), Failure> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.fail(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        self.pos += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<Value, Failure> {
        self.enter()?;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.fail(if self.peek().is_none() {
                    "unexpected end of input, expected a key"
                } else {
                    "expected a key in double quotes"
                }));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.fail("expected `:` after the key"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value()?;
            members.push(Member { key, key_span, value });
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    self.duplicates = self.duplicates || repeated_keys(&members).next().is_some();
                    return Ok(Value::Object(members));
                }
                None => return Err(self.fail("unexpected end of input, expected `,` or `}`")),
                Some(_) => return Err(self.fail("expected `,` or `}` after the member")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, Failure> {
        self.enter()?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.fail("unexpected end of input, expected `,` or `]`")),
                Some(_) => return Err(self.fail("expected `,` or `]` after the item")),
            }
        }
    }

    /// Reads a string starting at the opening quote; the position ends past the closing quote.
    fn string(&mut self) -> Result<String, Failure> {
        self.pos += 1;
        let start = self.pos;
        // Fast path: no escapes, the text is copied in one go.
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    let s = self.text[start..self.pos].to_string();
                    self.pos += 1;
                    return Ok(s);
                }
                b'\\' => break,
                0..=0x1f => return Err(self.fail("control character in a string (escape it)")),
                _ => self.pos += 1,
            }
        }
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            let Some(b) = self.peek() else {
                return Err(self.fail("unexpected end of input inside a string"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.pos += 1;
                    let escaped = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            out.push(self.unicode_escape()?);
                            continue;
                        }
                        _ => return Err(self.fail("invalid escape in a string")),
                    };
                    self.pos += 1;
                    out.push(escaped);
                }
                0..=0x1f => return Err(self.fail("control character in a string (escape it)")),
                _ => {
                    // Copy the run up to the next quote or backslash; it is valid UTF-8 already.
                    let run_start = self.pos;
                    while let Some(c) = self.peek() {
                        if c == b'"' || c == b'\\' || c < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    /// Reads the four hex digits after `\u` (and a low surrogate after a high one).
    fn unicode_escape(&mut self) -> Result<char, Failure> {
        let high = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&high) {
            if !self.bytes[self.pos..].starts_with(b"\\u") {
                return Err(self.fail("lone high surrogate in a \\u escape"));
            }
            self.pos += 2;
            let low = self.hex4()?;
            if !(0xDC00..0xE000).contains(&low) {
                return Err(self.fail("invalid low surrogate in a \\u escape"));
            }
            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..0xE000).contains(&high) {
            return Err(self.fail("lone low surrogate in a \\u escape"));
        } else {
            high
        };
        char::from_u32(code).ok_or_else(|| self.fail("invalid \\u escape"))
    }

    fn hex4(&mut self) -> Result<u32, Failure> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.fail("expected four hex digits after \\u")),
            };
            code = code * 16 + u32::from(digit);
            self.pos += 1;
        }
        Ok(code)
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number(&mut self) -> Result<Number, Failure> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.fail("leading zeros are not allowed in a number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.fail("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.fail("expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            self.large_numbers = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.fail("expected a digit in the exponent"));
            }
        }
        // Without an exponent, only a number of over 300 digits can reach f64's 1.8e308.
        self.large_numbers = self.large_numbers || self.pos - start > 300;
        Ok(Number::from_text(&self.text[start..self.pos]))
    }
}
