//! From byte offsets to what people read: 1-based line:column, and JSON pointer tokens.

/// A 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// The start offset of every line of a text, to turn offsets into positions by binary search.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { text, line_starts }
    }

    /// The position of byte `offset` (clamped to the text; an offset inside a character counts as that character).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.text.as_bytes()[line_start..offset].iter().filter(|b| (**b & 0xC0) != 0x80).count() + 1;
        Position { line: line + 1, column }
    }
}

/// `token` escaped for use in a JSON pointer (RFC 6901): `~` as `~0`, `/` as `~1`.
pub fn escape_pointer_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}
