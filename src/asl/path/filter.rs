//! The filter grammar, inside `[?( … )]`: Jayway JsonPath's `FilterCompiler` (2.6 and later, the
//! recursive-descent one), rule for rule.
//!
//! ```text
//! or        := and ('||' and)*                          (readLogicalOR)
//! and       := operand ('&&' operand)*                  (readLogicalAND)
//! operand   := '!' operand     unless a path follows '!' (readLogicalANDOperand)
//!            | '(' or ')'
//!            | relation
//! relation  := value [operator value]                   (readExpression: without an operator
//!                                                        the value must be a path: existence)
//! value     := '!'? path | literal                      (readValueNode: '!' before a path makes
//!                                                        a negated existence test)
//! path      := ('@' | '$') …  up to a space, one of < > = ~ !, or a ')' that does not close
//!              a function call; brackets are skipped whole. Then parsed by the path grammar.
//! literal   := 'text' | "text" | true | false | null | number
//!            | [ json… ] | { json… } | /regex/flags
//! operator  := a run of < > = ~ !  |  a word up to the next space (in, nin, subsetof, anyof,
//!              noneof, size, empty, contains, all, exists; any case)
//! ```
//! Only spaces separate tokens here, as in Jayway (its "significant character" skips ' ').

use serde_json::{Number, Value};

use super::PathError;
use super::ast::{CompareOp, Filter, Operand};
use super::lexer::Lexer;
use super::parser::{MAX_DEPTH, steps_after_root};
use super::pattern::Pattern;

/// The Java regex flags Jayway's `PatternFlag` knows.
const PATTERN_FLAGS: &[char] = &['d', 'i', 'x', 'm', 's', 'u', 'U'];

/// Parses the whole window as a filter expression.
pub(crate) fn parse(lx: &mut Lexer, depth: usize) -> Result<Filter, PathError> {
    let mut parser = FilterParser { depth };
    let filter = parser.or(lx)?;
    lx.skip_spaces();
    if !lx.at_end() {
        return Err(lx.error(format!(
            "expected the end of the filter, '&&' or '||'{}",
            lx.found()
        )));
    }
    Ok(filter)
}

/// The offset of the ')' that closes the '(' at `open`, skipping quoted strings and `/regex/`s
/// (Jayway's `indexOfClosingBracket` with both skips on).
pub(crate) fn closing_paren(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'\'' | b'"' | b'/') => {
                match next_unescaped(text, i + 1, q as char) {
                    Some(end) => i = end,
                    // A lone '/' is an ordinary character; an open quote never closes.
                    None if q == b'/' => {}
                    None => return None,
                }
            }
            b'(' => depth += 1,
            b')' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the next `c` from `from` that no backslash escapes.
fn next_unescaped(text: &str, from: usize, c: char) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b as char == c => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The offset of the bracket that closes the one at `open`, skipping quoted strings.
fn closing_bracket(text: &str, open: usize, opening: u8, closing: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'\'' | b'"') => i = next_unescaped(text, i + 1, q as char)?,
            b if b == opening => depth += 1,
            b if b == closing => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// A value before it is known whether an operator follows.
enum Side {
    Path { operand: Operand, negated: bool },
    Literal(Operand),
}

struct FilterParser {
    depth: usize,
}

impl FilterParser {
    fn deeper(&mut self, lx: &Lexer) -> Result<(), PathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(lx.error("the filter nests too deeply"));
        }
        Ok(())
    }

    fn or(&mut self, lx: &mut Lexer) -> Result<Filter, PathError> {
        let mut left = self.and(lx)?;
        loop {
            let save = lx.offset();
            lx.skip_spaces();
            if !lx.eat_str("||") {
                lx.seek(save);
                return Ok(left);
            }
            let right = self.and(lx)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
    }

    fn and(&mut self, lx: &mut Lexer) -> Result<Filter, PathError> {
        let mut left = self.operand(lx)?;
        loop {
            let save = lx.offset();
            lx.skip_spaces();
            if !lx.eat_str("&&") {
                lx.seek(save);
                return Ok(left);
            }
            let right = self.operand(lx)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
    }

    fn operand(&mut self, lx: &mut Lexer) -> Result<Filter, PathError> {
        self.deeper(lx)?;
        let result = self.operand_inner(lx);
        self.depth -= 1;
        result
    }

    fn operand_inner(&mut self, lx: &mut Lexer) -> Result<Filter, PathError> {
        lx.skip_spaces();
        if lx.peek() == Some('!') {
            let save = lx.offset();
            lx.bump();
            lx.skip_spaces();
            if matches!(lx.peek(), Some('$' | '@')) {
                // `!@.x`: the relation reads the '!' as a negated existence test.
                lx.seek(save);
            } else {
                return Ok(Filter::Not(Box::new(self.operand(lx)?)));
            }
        }
        if lx.eat('(') {
            let inner = self.or(lx)?;
            lx.skip_spaces();
            lx.expect(')')?;
            return Ok(inner);
        }
        self.relation(lx)
    }

    /// readExpression: a value, then an operator and a value, or else an existence test.
    fn relation(&mut self, lx: &mut Lexer) -> Result<Filter, PathError> {
        let left_at = lx.offset();
        let left = self.value(lx)?;
        let save = lx.offset();
        if let Some(op) = operator(lx) {
            let right = match self.value(lx)? {
                Side::Path { operand, .. } | Side::Literal(operand) => operand,
            };
            let left = match left {
                // Jayway keeps a '!' before a compared path but never looks at it.
                Side::Path { operand, .. } | Side::Literal(operand) => operand,
            };
            return Ok(Filter::Compare(left, op, right));
        }
        lx.seek(save);
        match left {
            Side::Path {
                operand,
                negated: false,
            } => Ok(Filter::Exists(operand)),
            Side::Path {
                operand,
                negated: true,
            } => Ok(Filter::Not(Box::new(Filter::Exists(operand)))),
            Side::Literal(_) => Err(PathError {
                message: "a filter needs a path or a comparison here".into(),
                offset: left_at,
            }),
        }
    }

    /// readValueNode.
    fn value(&mut self, lx: &mut Lexer) -> Result<Side, PathError> {
        lx.skip_spaces();
        match lx.peek() {
            Some('!') => {
                lx.bump();
                lx.skip_spaces();
                if !matches!(lx.peek(), Some('$' | '@')) {
                    return Err(lx.error("'!' must be followed by a path or a filter in parentheses"));
                }
                let operand = self.path(lx)?;
                Ok(Side::Path {
                    operand,
                    negated: true,
                })
            }
            Some('$' | '@') => Ok(Side::Path {
                operand: self.path(lx)?,
                negated: false,
            }),
            _ => Ok(Side::Literal(literal(lx)?)),
        }
    }

    /// readPath: where a path inside a filter ends, then the path grammar on that text.
    fn path(&mut self, lx: &mut Lexer) -> Result<Operand, PathError> {
        let begin = lx.offset();
        let text = lx.slice(0, lx.end());
        let bytes = text.as_bytes();
        let mut i = begin + 1;
        while i < lx.end() {
            if bytes[i] == b'[' {
                match closing_bracket(text, i, b'[', b']') {
                    Some(close) if close < lx.end() => i = close + 1,
                    _ => {
                        return Err(PathError {
                            message: "the '[' in this filter path is not closed".into(),
                            offset: i,
                        });
                    }
                }
                if i >= lx.end() {
                    break;
                }
            }
            let c = bytes[i];
            if matches!(c, b'<' | b'>' | b'=' | b'~' | b'!' | b' ')
                || (c == b')' && !closes_function(text, begin, i))
            {
                break;
            }
            i += 1;
        }
        let current = bytes[begin] == b'@';
        let mut inner = Lexer::window(text, begin + 1, i);
        let steps = steps_after_root(&mut inner, self.depth + 1)?;
        lx.seek(i);
        Ok(if current {
            Operand::Current(steps)
        } else {
            Operand::Document(steps)
        })
    }
}

/// Whether the ')' at `at` ends a function call of the path that starts at `begin`: the last
/// character before it (spaces aside) is '(' and a '.' comes between `begin` and that '('.
fn closes_function(text: &str, begin: usize, at: usize) -> bool {
    let before = text[begin..at].trim_end_matches(' ');
    before.ends_with('(') && before[..before.len() - 1].contains('.')
}

/// readRelationalOperator: a run of operator characters, or a word up to the next space.
fn operator(lx: &mut Lexer) -> Option<CompareOp> {
    lx.skip_spaces();
    let start = lx.offset();
    let is_op = |c: char| matches!(c, '<' | '>' | '=' | '~' | '!');
    if lx.peek().is_some_and(is_op) {
        while lx.peek().is_some_and(is_op) {
            lx.bump();
        }
    } else {
        while lx.peek().is_some_and(|c| c != ' ') {
            lx.bump();
        }
    }
    CompareOp::from_token(lx.slice(start, lx.offset()))
}

/// readLiteral.
fn literal(lx: &mut Lexer) -> Result<Operand, PathError> {
    let start = lx.offset();
    match lx.peek() {
        Some(q @ ('\'' | '"')) => {
            let text = lx.slice(0, lx.end());
            let Some(close) = next_unescaped(text, start + 1, q).filter(|c| *c < lx.end()) else {
                return Err(lx.error(format!("the string is not closed: missing {q}")));
            };
            let value = unescape(&text[start + 1..close]);
            lx.seek(close + 1);
            Ok(Operand::Literal(Value::String(value)))
        }
        Some('t' | 'f' | 'n') => {
            for (word, value) in [
                ("true", Value::Bool(true)),
                ("false", Value::Bool(false)),
                ("null", Value::Null),
            ] {
                if lx.eat_str(word) {
                    return Ok(Operand::Literal(value));
                }
            }
            Err(lx.error("expected true, false or null"))
        }
        Some(open @ ('[' | '{')) => {
            let (opening, closing) = if open == '[' { (b'[', b']') } else { (b'{', b'}') };
            let text = lx.slice(0, lx.end());
            let Some(close) = closing_bracket(text, start, opening, closing).filter(|c| *c < lx.end()) else {
                return Err(lx.error(format!("the JSON literal's '{open}' is not closed")));
            };
            let value = json_literal(&text[start..=close]).map_err(|message| PathError {
                message,
                offset: start,
            })?;
            lx.seek(close + 1);
            Ok(Operand::Literal(value))
        }
        Some('/') => {
            let text = lx.slice(0, lx.end());
            let Some(close) = next_unescaped(text, start + 1, '/').filter(|c| *c < lx.end()) else {
                return Err(lx.error("the regular expression is not closed: missing /"));
            };
            lx.seek(close + 1);
            let flags_start = lx.offset();
            while lx.peek().is_some_and(|c| PATTERN_FLAGS.contains(&c)) {
                lx.bump();
            }
            let flags = lx.slice(flags_start, lx.offset());
            let pattern = Pattern::compile(&text[start + 1..close], flags).map_err(|e| PathError {
                message: format!("invalid regular expression: {e}"),
                offset: start,
            })?;
            Ok(Operand::Pattern(pattern))
        }
        _ => {
            // readNumberLiteral: whatever else is read as a number.
            while lx
                .peek()
                .is_some_and(|c| c.is_ascii_digit() || matches!(c, '-' | '.' | 'e' | 'E' | '+'))
            {
                lx.bump();
            }
            let text = lx.slice(start, lx.offset());
            number(text).map(|n| Operand::Literal(Value::Number(n))).ok_or_else(|| PathError {
                message: if text.is_empty() {
                    format!(
                        "expected a path, a string, a number, true, false, null, a JSON array or object, or a /regex/{}",
                        lx.found()
                    )
                } else {
                    format!("'{text}' is not a number")
                },
                offset: start,
            })
        }
    }
}

/// A number as Java's `BigDecimal` reads it (`1`, `-2.5`, `.5`, `1.`, `+3`, `1e3`).
fn number(text: &str) -> Option<Number> {
    if text.is_empty() {
        return None;
    }
    if let Ok(n) = serde_json::from_str::<Number>(text) {
        return Some(n);
    }
    let body = text.strip_prefix('+').unwrap_or(text);
    let digits = body.strip_prefix('-').unwrap_or(body);
    if !digits.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        return None;
    }
    body.parse::<f64>().ok().and_then(Number::from_f64)
}

/// A JSON literal as json-smart's permissive mode reads it: JSON, where strings may also be in
/// single quotes.
fn json_literal(text: &str) -> Result<Value, String> {
    if let Ok(v) = serde_json::from_str(text) {
        return Ok(v);
    }
    // Rewrite '…' strings as "…" strings and try again.
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push('"');
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == '"' {
                        break;
                    }
                }
            }
            '\'' => {
                out.push('"');
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            if let Some(e) = chars.next() {
                                if e == '\'' {
                                    out.push('\'');
                                } else {
                                    out.push('\\');
                                    out.push(e);
                                }
                            }
                        }
                        '\'' => break,
                        '"' => out.push_str("\\\""),
                        _ => out.push(d),
                    }
                }
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    serde_json::from_str(&out).map_err(|e| format!("the JSON literal is not valid: {e}"))
}

/// Jayway's `Utils.unescape` for string literals in filters: `\n`, `\t`, `\uXXXX`, `\'`, ….
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.clone().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}
