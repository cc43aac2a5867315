//! The intrinsic lexer: `States.Format('{} x', $.a, 1)` → names, punctuation, literals and
//! whole path arguments. A path runs to the next `,` or `)` outside its own brackets and
//! parentheses (so `$.a[?(@.x in ['a', 'b'])]` and `$.a.concat(1, 2)` stay one token), and is
//! handed to the path parser whole.

use serde_json::Number;

use super::IntrinsicError;

/// One token with the byte offset where it starts.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub offset: usize,
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum TokenKind {
    /// `States.Format`, `true`, `false`, `null`.
    Name(String),
    /// `(`
    Open,
    /// `)`
    Close,
    /// `,`
    Comma,
    /// `'…'`: the text with escapes resolved, and each character's escapedness (so Format can
    /// tell `\{` from a placeholder's `{`).
    String { text: String, escaped: Vec<bool> },
    /// `-1`, `2.5`.
    Number(Number),
    /// `$.a.b`, `$$.Execution.Id`, `$var`.
    Path(String),
}

/// Splits the whole expression into tokens.
pub(crate) fn tokenize(src: &str) -> Result<Vec<Token>, IntrinsicError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut pos = 0;
    while pos < src.len() {
        let c = src[pos..].chars().next().unwrap_or(' ');
        let start = pos;
        let kind = match c {
            _ if c.is_whitespace() => {
                pos += c.len_utf8();
                continue;
            }
            '(' => {
                pos += 1;
                TokenKind::Open
            }
            ')' => {
                pos += 1;
                TokenKind::Close
            }
            ',' => {
                pos += 1;
                TokenKind::Comma
            }
            '\'' => {
                let (kind, end) = string(src, pos)?;
                pos = end;
                kind
            }
            '$' => {
                let end = path_end(src, pos);
                pos = end;
                TokenKind::Path(src[start..end].to_string())
            }
            '-' | '0'..='9' => {
                let mut end = pos + 1;
                while end < src.len()
                    && (bytes[end].is_ascii_digit()
                        || matches!(bytes[end], b'.' | b'e' | b'E' | b'+' | b'-'))
                {
                    end += 1;
                }
                let text = &src[pos..end];
                let number = serde_json::from_str::<Number>(text).map_err(|_| IntrinsicError {
                    message: format!("invalid number '{text}'"),
                    offset: start,
                })?;
                pos = end;
                TokenKind::Number(number)
            }
            _ if c.is_alphabetic() || c == '_' => {
                let mut end = pos;
                while let Some(d) = src[end..].chars().next() {
                    if d.is_alphanumeric() || d == '_' || d == '.' {
                        end += d.len_utf8();
                    } else {
                        break;
                    }
                }
                pos = end;
                TokenKind::Name(src[start..end].to_string())
            }
            _ => {
                return Err(IntrinsicError {
                    message: format!("unexpected '{c}'"),
                    offset: start,
                });
            }
        };
        tokens.push(Token {
            kind,
            offset: start,
        });
    }
    Ok(tokens)
}

/// A single-quoted string starting at `start`. AWS allows the escapes `\'`, `\{`, `\}` and `\\`
/// only: any other backslash (`\"`, `\n`, a lone `\`) makes the whole field "not a valid JSONPath
/// or a valid intrinsic function call".
fn string(src: &str, start: usize) -> Result<(TokenKind, usize), IntrinsicError> {
    let mut text = String::new();
    let mut escaped = Vec::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Ok((TokenKind::String { text, escaped }, start + 1 + i + 1)),
            '\\' => match chars.clone().next() {
                Some((_, e @ ('\'' | '{' | '}' | '\\'))) => {
                    chars.next();
                    text.push(e);
                    escaped.push(true);
                }
                other => {
                    let shown = other.map_or("a lone '\\'".to_string(), |(_, c)| format!("'\\{c}'"));
                    return Err(IntrinsicError {
                        message: format!("{shown} is not an escape AWS allows in a string (only \\', \\{{, \\}} and \\\\)"),
                        offset: start + 1 + i,
                    });
                }
            },
            _ => {
                text.push(c);
                escaped.push(false);
            }
        }
    }
    Err(IntrinsicError {
        message: "unterminated string".into(),
        offset: start,
    })
}

/// Where a path argument starting at `start` ends.
fn path_end(src: &str, start: usize) -> usize {
    let mut brackets = 0usize;
    let mut parens = 0usize;
    let mut quote: Option<char> = None;
    let mut escape = false;
    for (i, c) in src[start..].char_indices() {
        if let Some(q) = quote {
            if escape {
                escape = false;
            } else if c == '\\' {
                escape = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' if brackets > 0 || parens > 0 => quote = Some(c),
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            '(' => parens += 1,
            ')' if parens > 0 => parens -= 1,
            ')' | ',' if brackets == 0 && parens == 0 => return start + i,
            _ if c.is_whitespace() && brackets == 0 && parens == 0 => return start + i,
            _ => {}
        }
    }
    src.len()
}
