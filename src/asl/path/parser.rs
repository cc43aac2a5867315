//! The path grammar: text → [`Root`] and [`Steps`]. It follows Jayway JsonPath's `PathCompiler`
//! token by token (the rule each branch implements is named in its comment); filters are in
//! `filter.rs`. As `PathCompiler.compile` does, trailing spaces are not part of the path. Recursive descent over the [`Lexer`]; it never panics and reports the first
//! error with its byte offset.
//!
//! ```text
//! path      := root token*                    root then end, '.' or '['   (readContextToken)
//! root      := '$' | '$$' | '$' identifier    ('$$' and '$name' are AWS's, resolved before Jayway)
//! token     := '[' bracket ']'                (readBracketPropertyToken, readArrayToken,
//!                                              readWildCardToken, readFilterToken)
//!            | '..' after-dot | '.' after-dot (readDotToken: any token may follow, not '.')
//!            | '*'                            (readWildCardToken)
//!            | name [ '(' args ')' ]          (readPropertyOrFunctionToken: also right after
//!                                              ']' or '*', without a dot)
//! bracket   := quoted (',' quoted)*           same quote kind throughout; Names
//!            | int (',' int)* ','*            digits, '-', ',' and spaces; Indices
//!            | [int] ':' [int] [':' …]        at least one bound; a step is read and ignored
//!            | '*'
//!            | '?' '(' filter ')'             the ')' matching '(' must be followed by ']'
//! args      := arg (',' arg)*                 JSON ('{', digit, '"', '-') or a path ('$', '@');
//!                                              anything else is ignored, as Jayway ignores it
//! ```

use serde_json::Value;

use super::PathError;
use super::ast::{FunctionArg, FunctionName, PathFunction, Root, Segment, Selector, Slice, Steps};
use super::filter;
use super::lexer::Lexer;

/// A parsed path before it is wrapped as a [`super::JsonPath`].
pub(crate) struct Parsed {
    pub root: Root,
    pub steps: Steps,
}

/// Deep nesting of filters and function arguments costs stack; AWS paths never come close.
pub(crate) const MAX_DEPTH: usize = 32;

pub(crate) fn parse(text: &str) -> Result<Parsed, PathError> {
    let mut lx = Lexer::window(text, 0, text.trim_end_matches(' ').len());
    let root = root(&mut lx)?;
    let steps = steps_after_root(&mut lx, 0)?;
    Ok(Parsed { root, steps })
}

fn root(lx: &mut Lexer) -> Result<Root, PathError> {
    if !lx.eat('$') {
        return Err(lx.error("a path must start with '$'"));
    }
    if lx.eat('$') {
        return Ok(Root::Context);
    }
    let name = lx.identifier();
    if name.is_empty() {
        Ok(Root::Input)
    } else {
        Ok(Root::Variable(name.to_string()))
    }
}

/// The steps after a root, to the end of the cursor's window. PathCompiler.readContextToken:
/// the root is the whole path, or is followed by '.' or '['.
pub(crate) fn steps_after_root(lx: &mut Lexer, depth: usize) -> Result<Steps, PathError> {
    if depth > MAX_DEPTH {
        return Err(lx.error("the path nests filters or functions too deeply"));
    }
    if !lx.at_end() && !matches!(lx.peek(), Some('.' | '[')) {
        return Err(lx.error(format!("expected '.' or '[' after the root{}", lx.found())));
    }
    let mut parser = Parser { depth };
    parser.tokens(lx)
}

struct Parser {
    depth: usize,
}

impl Parser {
    /// PathCompiler.readNextToken, repeated to the end of the window.
    fn tokens(&mut self, lx: &mut Lexer) -> Result<Steps, PathError> {
        let mut segments = Vec::new();
        // Set by '..' until the token it scans with is read.
        let mut scan = false;
        let mut after_dot = false;
        loop {
            let Some(c) = lx.peek() else {
                if after_dot {
                    return Err(lx.error("a path must not end with '.' or '..'"));
                }
                return Ok(Steps {
                    segments,
                    function: None,
                });
            };
            let selector = match c {
                '[' => self.bracket(lx)?,
                // readDotToken: '..' is a scan, '.' a child; a third '.' is an error.
                '.' if !after_dot => {
                    let at = lx.offset();
                    scan = lx.eat_str("..");
                    if !scan {
                        lx.bump();
                    }
                    if lx.peek() == Some('.') {
                        return Err(PathError {
                            message: "'...' is not valid: use '.' or '..'".into(),
                            offset: at,
                        });
                    }
                    after_dot = true;
                    continue;
                }
                '*' => {
                    lx.bump();
                    Selector::Wildcard
                }
                // readPropertyOrFunctionToken refuses to start at a space (or a third '.').
                ' ' | '.' => {
                    return Err(lx.error(format!("expected a name, '*' or '['{}", lx.found())));
                }
                _ => {
                    let name_at = lx.offset();
                    let name = lx.name()?;
                    if lx.peek() == Some('(') {
                        if scan {
                            return Err(PathError {
                                message: "a function cannot follow '..' directly".into(),
                                offset: name_at,
                            });
                        }
                        let function = self.function(lx, name, name_at)?;
                        if !lx.at_end() {
                            return Err(lx.error("a path function must end the path"));
                        }
                        return Ok(Steps {
                            segments,
                            function: Some(function),
                        });
                    }
                    Selector::Name(name.to_string())
                }
            };
            segments.push(if scan {
                Segment::Descendant(selector)
            } else {
                Segment::Child(selector)
            });
            scan = false;
            after_dot = false;
        }
    }

    /// A '[' token: property names, indices or a slice, a wildcard, or a filter.
    fn bracket(&mut self, lx: &mut Lexer) -> Result<Selector, PathError> {
        let open = lx.offset();
        lx.expect('[')?;
        lx.skip_spaces();
        let selector = match lx.peek() {
            Some('\'' | '"') => self.properties(lx)?,
            Some(c) if c.is_ascii_digit() || c == '-' || c == ':' => array(lx, open)?,
            Some('*') => {
                lx.bump();
                lx.skip_spaces();
                if lx.peek() != Some(']') {
                    return Err(lx.error(format!("expected ']' after '[*'{}", lx.found())));
                }
                Selector::Wildcard
            }
            Some('?') => {
                lx.bump();
                lx.skip_spaces();
                if lx.peek() != Some('(') {
                    return Err(lx.error(
                        "expected '(' after '[?': a filter is written [?(…)] (placeholders [?] need predicates AWS cannot pass)",
                    ));
                }
                let body_start = lx.offset() + 1;
                let Some(close) = filter::closing_paren(lx.slice(0, lx.end()), lx.offset()) else {
                    return Err(lx.error("the filter's '(' is not closed"));
                };
                let mut inner = Lexer::window(lx.slice(0, lx.end()), body_start, close);
                let parsed = filter::parse(&mut inner, self.depth + 1)?;
                lx.seek(close + 1);
                lx.skip_spaces();
                if lx.peek() != Some(']') {
                    return Err(lx.error(format!(
                        "expected ']' right after the filter's closing ')'{}",
                        lx.found()
                    )));
                }
                Selector::Filter(Box::new(parsed))
            }
            _ => {
                return Err(lx.error(format!(
                    "expected '*', '?(', a quoted name, an index or a slice after '['{}",
                    lx.found()
                )));
            }
        };
        lx.skip_spaces();
        lx.expect(']')?;
        Ok(selector)
    }

    /// readBracketPropertyToken: `['a']`, `["a"]`, `['a','b']`; all names use the first quote.
    fn properties(&mut self, lx: &mut Lexer) -> Result<Selector, PathError> {
        let quote = lx.peek();
        let mut names = vec![lx.quoted()?];
        loop {
            lx.skip_spaces();
            match lx.peek() {
                Some(',') => {
                    lx.bump();
                    lx.skip_spaces();
                    if lx.peek() != quote {
                        return Err(lx.error(format!(
                            "expected another name in the same quotes{}",
                            lx.found()
                        )));
                    }
                    names.push(lx.quoted()?);
                }
                Some(']') => break,
                _ => {
                    return Err(lx.error(format!(
                        "after a quoted name, expected ',' or ']'{}",
                        lx.found()
                    )));
                }
            }
        }
        Ok(if names.len() == 1 {
            Selector::Name(names.remove(0))
        } else {
            Selector::Names(names)
        })
    }

    /// readPropertyOrFunctionToken, the function case: `name(` args `)`.
    fn function(
        &mut self,
        lx: &mut Lexer,
        name: &str,
        name_at: usize,
    ) -> Result<PathFunction, PathError> {
        let Some(function) = FunctionName::from_name(name) else {
            return Err(PathError {
                message: format!(
                    "unknown path function '{name}()': Jayway defines length, size, min, max, avg, stddev, sum, first, last, index, keys, concat, append and distinct"
                ),
                offset: name_at,
            });
        };
        let open = lx.offset();
        // The ')' that balances '(' (Jayway counts parentheses only, quotes included).
        let text = lx.slice(0, lx.end());
        let mut depth = 0usize;
        let mut close = None;
        for (i, c) in text[open..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else {
            return Err(PathError {
                message: format!("the arguments of '{name}()' are not closed"),
                offset: open,
            });
        };
        let args = self.arguments(text, open + 1, close)?;
        lx.seek(close + 1);
        Ok(PathFunction {
            name: function,
            args,
        })
    }

    /// PathCompiler.parseFunctionParameters: top-level commas split the arguments; an argument's
    /// first character says what it is.
    fn arguments(
        &mut self,
        text: &str,
        start: usize,
        end: usize,
    ) -> Result<Vec<FunctionArg>, PathError> {
        let mut ranges = Vec::new();
        let (mut parens, mut brackets, mut braces) = (0usize, 0usize, 0usize);
        let mut in_quote = false;
        let mut prior = '\0';
        let mut from = start;
        for (i, c) in text[start..end].char_indices() {
            let at = start + i;
            match c {
                '"' if prior != '\\' => in_quote = !in_quote,
                '(' => parens += 1,
                ')' => parens = parens.saturating_sub(1),
                '[' => brackets += 1,
                ']' => {
                    if brackets == 0 {
                        return Err(PathError {
                            message: "unexpected ']' in the function's arguments".into(),
                            offset: at,
                        });
                    }
                    brackets -= 1;
                }
                '{' => braces += 1,
                '}' => {
                    if braces == 0 {
                        return Err(PathError {
                            message: "unexpected '}' in the function's arguments".into(),
                            offset: at,
                        });
                    }
                    braces -= 1;
                }
                ',' if !in_quote && parens == 0 && brackets == 0 && braces == 0 => {
                    ranges.push((from, at));
                    from = at + 1;
                }
                _ => {}
            }
            prior = c;
        }
        if brackets != 0 || braces != 0 {
            return Err(PathError {
                message: "the function's arguments are not closed properly".into(),
                offset: start,
            });
        }
        ranges.push((from, end));
        let mut args = Vec::new();
        for (from, to) in ranges {
            let lead = text[from..to].len() - text[from..to].trim_start().len();
            let arg_start = from + lead;
            let arg = text[arg_start..to].trim_end();
            let Some(first) = arg.chars().next() else {
                continue;
            };
            match first {
                '{' | '"' | '-' | '0'..='9' => {
                    let value: Value = serde_json::from_str(arg).map_err(|e| PathError {
                        message: format!("the function argument is not valid JSON: {e}"),
                        offset: arg_start,
                    })?;
                    args.push(FunctionArg::Json(value));
                }
                '$' | '@' => {
                    let mut inner = Lexer::window(text, arg_start + 1, arg_start + arg.len());
                    args.push(FunctionArg::Path(steps_after_root(
                        &mut inner,
                        self.depth + 1,
                    )?));
                }
                // Jayway gives such an argument no type and drops it.
                _ => {}
            }
        }
        Ok(args)
    }
}

/// readArrayToken: indices `[0]`, `[-1]`, `[0,2]` or a slice `[1:3]`, up to the next ']'.
fn array(lx: &mut Lexer, open: usize) -> Result<Selector, PathError> {
    let start = lx.offset();
    let Some(close) = lx.rest().find(']').map(|i| start + i) else {
        return Err(PathError {
            message: "expected ']' to close '[', found the end of the path".into(),
            offset: lx.end(),
        });
    };
    let raw = lx.slice(start, close);
    let body = raw.trim_end_matches(' ');
    if let Some(bad) = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || matches!(c, ',' | '-' | ':' | ' ')))
    {
        return Err(PathError {
            message: format!(
                "'{}' cannot appear in an index or a slice",
                bad.1
            ),
            offset: start + bad.0,
        });
    }
    let number = |text: &str, at: usize| -> Result<i64, PathError> {
        // Jayway reads indices as Java ints.
        text.trim()
            .parse::<i32>()
            .map(i64::from)
            .map_err(|_| PathError {
                message: format!("'{}' is not an index", text.trim()),
                offset: at,
            })
    };
    let selector = if body.contains(':') {
        // ArraySliceOperation.parse: no blanks; Java's split drops trailing empty parts.
        if let Some(i) = body.find(' ') {
            return Err(PathError {
                message: "a slice cannot hold blanks".into(),
                offset: start + i,
            });
        }
        let mut parts: Vec<(usize, &str)> = Vec::new();
        let mut from = 0;
        for (i, c) in body.char_indices() {
            if c == ':' {
                parts.push((from, &body[from..i]));
                from = i + 1;
            }
        }
        parts.push((from, &body[from..]));
        while parts.last().is_some_and(|(_, p)| p.is_empty()) {
            parts.pop();
        }
        let bound = |k: usize| -> Result<Option<i64>, PathError> {
            match parts.get(k) {
                Some((_, "")) | None => Ok(None),
                Some((at, text)) => number(text, start + at).map(Some),
            }
        };
        let slice = Slice {
            start: bound(0)?,
            end: bound(1)?,
        };
        if slice.start.is_none() && slice.end.is_none() {
            return Err(PathError {
                message: "a slice needs a start or an end, as in [1:], [:2] or [1:3]".into(),
                offset: open,
            });
        }
        Selector::Slice(slice)
    } else {
        // ArrayIndexOperation.parse: trailing empty parts are dropped, others are errors.
        let mut parts: Vec<(usize, &str)> = Vec::new();
        let mut from = 0;
        for (i, c) in body.char_indices() {
            if c == ',' {
                parts.push((from, &body[from..i]));
                from = i + 1;
            }
        }
        parts.push((from, &body[from..]));
        while parts.last().is_some_and(|(_, p)| p.is_empty()) {
            parts.pop();
        }
        let mut indices = Vec::new();
        for (at, text) in parts {
            indices.push(number(text, start + at)?);
        }
        match indices.as_slice() {
            [] => return Err(lx.error("expected an index")),
            [one] => Selector::Index(*one),
            _ => Selector::Indices(indices),
        }
    };
    lx.seek(close);
    Ok(selector)
}
