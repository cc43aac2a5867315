//! The intrinsic parser: tokens → [`Call`], checking names and arities against the table.

use serde_json::Value;

use super::lexer::{Token, TokenKind, tokenize};
use super::{Arg, Call, IntrinsicError, StringLiteral, table};
use crate::asl::path::JsonPath;

/// AWS allows up to 10 nested intrinsic calls in one field.
pub(crate) const MAX_DEPTH: usize = 10;

pub(crate) fn parse(text: &str) -> Result<Call, IntrinsicError> {
    let tokens = tokenize(text)?;
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        end: text.len(),
    };
    let call = parser.call(1)?;
    if let Some(token) = parser.peek() {
        return Err(IntrinsicError {
            message: "unexpected text after the call".into(),
            offset: token.offset,
        });
    }
    Ok(call)
}

struct Parser<'t> {
    tokens: &'t [Token],
    next: usize,
    end: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn bump(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.next);
        self.next += 1;
        token
    }

    fn here(&self) -> usize {
        self.peek().map_or(self.end, |t| t.offset)
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> Result<(), IntrinsicError> {
        match self.peek() {
            Some(t) if t.kind == kind => {
                self.next += 1;
                Ok(())
            }
            _ => Err(IntrinsicError {
                message: format!("expected {what}"),
                offset: self.here(),
            }),
        }
    }

    fn call(&mut self, depth: usize) -> Result<Call, IntrinsicError> {
        let (name, offset) = match self.bump() {
            Some(Token {
                kind: TokenKind::Name(name),
                offset,
            }) => (name.clone(), *offset),
            Some(t) => {
                return Err(IntrinsicError {
                    message: "expected an intrinsic function name such as States.Format".into(),
                    offset: t.offset,
                });
            }
            None => {
                return Err(IntrinsicError {
                    message: "expected an intrinsic function name such as States.Format".into(),
                    offset: self.end,
                });
            }
        };
        if depth > MAX_DEPTH {
            return Err(IntrinsicError {
                message: format!("intrinsic functions can be nested at most {MAX_DEPTH} deep"),
                offset,
            });
        }
        let builtin = table::lookup(&name).ok_or_else(|| IntrinsicError {
            message: format!("unknown intrinsic function '{name}'"),
            offset,
        })?;
        self.expect(TokenKind::Open, "'(' after the function name")?;
        let mut args = Vec::new();
        if self.peek().is_some_and(|t| t.kind == TokenKind::Close) {
            self.next += 1;
        } else {
            loop {
                args.push(self.arg(depth)?);
                match self.bump() {
                    Some(Token {
                        kind: TokenKind::Comma,
                        ..
                    }) => {}
                    Some(Token {
                        kind: TokenKind::Close,
                        ..
                    }) => break,
                    _ => {
                        self.next -= 1;
                        return Err(IntrinsicError {
                            message: "expected ',' or ')'".into(),
                            offset: self.here(),
                        });
                    }
                }
            }
        }
        if !builtin.arity.accepts(args.len()) {
            return Err(IntrinsicError {
                message: format!(
                    "{} takes {}, got {}",
                    builtin.name,
                    builtin.arity.describe(),
                    args.len()
                ),
                offset,
            });
        }
        Ok(Call {
            function: builtin.function,
            args,
            offset,
        })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, IntrinsicError> {
        let Some(token) = self.peek().cloned() else {
            return Err(IntrinsicError {
                message: "expected an argument".into(),
                offset: self.end,
            });
        };
        match token.kind {
            TokenKind::String { text, escaped } => {
                self.next += 1;
                Ok(Arg::String(StringLiteral { text, escaped }))
            }
            TokenKind::Number(n) => {
                self.next += 1;
                Ok(Arg::Literal(Value::Number(n)))
            }
            TokenKind::Path(text) => {
                self.next += 1;
                JsonPath::parse(&text)
                    .map(Arg::Path)
                    .map_err(|e| IntrinsicError {
                        message: format!("invalid path argument: {}", e.message),
                        offset: token.offset + e.offset,
                    })
            }
            TokenKind::Name(name) => match name.as_str() {
                "true" | "false" | "null" => {
                    self.next += 1;
                    Ok(Arg::Literal(match name.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        _ => Value::Null,
                    }))
                }
                _ => self.call(depth + 1).map(|c| Arg::Call(Box::new(c))),
            },
            TokenKind::Open | TokenKind::Close | TokenKind::Comma => Err(IntrinsicError {
                message: "expected an argument".into(),
                offset: token.offset,
            }),
        }
    }
}
