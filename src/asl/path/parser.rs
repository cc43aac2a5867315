//! The path parser: text → [`Root`], [`Segment`]s and an optional trailing [`PathFunction`].
//! Recursive descent over the [`Lexer`]; it never panics and reports the first error with its
//! byte offset.

use serde_json::Value;

use super::PathError;
use super::ast::{CompareOp, Filter, Operand, PathFunction, Root, Segment, Selector, Slice};
use super::lexer::{Lexer, NameMode};

/// A parsed path before it is wrapped as a [`super::JsonPath`].
pub(crate) struct Parsed {
    pub root: Root,
    pub segments: Vec<Segment>,
    pub function: Option<PathFunction>,
}

/// Deep nesting of filters costs stack; AWS paths never come close to this.
const MAX_FILTER_DEPTH: usize = 32;

pub(crate) fn parse(text: &str) -> Result<Parsed, PathError> {
    let mut lx = Lexer::new(text);
    let root = root(&mut lx)?;
    let mut parser = Parser { lx, depth: 0 };
    let (segments, function) = parser.segments(NameMode::Path)?;
    if !parser.lx.at_end() {
        return Err(parser
            .lx
            .error(format!("unexpected '{}'", parser.lx.rest())));
    }
    Ok(Parsed {
        root,
        segments,
        function,
    })
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

struct Parser<'s> {
    lx: Lexer<'s>,
    depth: usize,
}

impl Parser<'_> {
    /// Segments until something that cannot start one; a `name()` call ends the list.
    fn segments(
        &mut self,
        mode: NameMode,
    ) -> Result<(Vec<Segment>, Option<PathFunction>), PathError> {
        let mut segments = Vec::new();
        loop {
            if mode == NameMode::Filter {
                self.lx.skip_blanks();
            }
            if self.lx.eat_str("..") {
                let selector = match self.lx.peek() {
                    Some('[') => self.bracket()?,
                    _ => self.dotted_selector(mode, "'..'")?,
                };
                segments.push(Segment::Descendant(selector));
            } else if self.lx.eat('.') {
                let name_at = self.lx.offset();
                let selector = self.dotted_selector(mode, "'.'")?;
                if self.lx.peek() == Some('(') {
                    let function = self.function(&selector, name_at)?;
                    return Ok((segments, Some(function)));
                }
                segments.push(Segment::Child(selector));
            } else if self.lx.peek() == Some('[') {
                segments.push(Segment::Child(self.bracket()?));
            } else {
                return Ok((segments, None));
            }
        }
    }

    fn dotted_selector(&mut self, mode: NameMode, after: &str) -> Result<Selector, PathError> {
        let at = self.lx.offset();
        let name = self.lx.name(mode);
        match name {
            "" => Err(self
                .lx
                .error(format!("expected a name after {after}{}", self.lx.found()))),
            "*" => Ok(Selector::Wildcard),
            _ => {
                if mode == NameMode::Path && self.lx.peek().is_some_and(char::is_whitespace) {
                    return Err(PathError {
                        message: "a name holding blanks must use brackets: ['my name']".into(),
                        offset: at,
                    });
                }
                Ok(Selector::Name(name.to_string()))
            }
        }
    }

    /// `name()` at the end of a path.
    fn function(&mut self, selector: &Selector, name_at: usize) -> Result<PathFunction, PathError> {
        self.lx.expect('(')?;
        self.lx.skip_blanks();
        self.lx.expect(')')?;
        let function = match selector {
            Selector::Name(name) if name == "length" => PathFunction::Length,
            Selector::Name(name) => {
                return Err(PathError {
                    message: format!("unsupported path function '{name}()'"),
                    offset: name_at,
                });
            }
            _ => {
                return Err(PathError {
                    message: "expected a function name".into(),
                    offset: name_at,
                });
            }
        };
        if !self.lx.at_end() {
            return Err(self.lx.error("a path function must end the path"));
        }
        Ok(function)
    }

    fn bracket(&mut self) -> Result<Selector, PathError> {
        self.lx.expect('[')?;
        self.lx.skip_blanks();
        let selector = match self.lx.peek() {
            Some('*') => {
                self.lx.bump();
                Selector::Wildcard
            }
            Some('?') => {
                self.lx.bump();
                self.lx.skip_blanks();
                self.lx.expect('(')?;
                let filter = self.filter()?;
                self.lx.skip_blanks();
                self.lx.expect(')')?;
                Selector::Filter(filter)
            }
            Some('\'' | '"') => {
                let mut names = vec![self.lx.quoted()?];
                loop {
                    self.lx.skip_blanks();
                    if !self.lx.eat(',') {
                        break;
                    }
                    self.lx.skip_blanks();
                    names.push(self.lx.quoted()?);
                }
                if names.len() == 1 {
                    Selector::Name(names.remove(0))
                } else {
                    Selector::Names(names)
                }
            }
            _ => self.index_or_slice()?,
        };
        self.lx.skip_blanks();
        if !self.lx.eat(']') {
            return Err(self.lx.error(format!("expected ']'{}", self.lx.found())));
        }
        Ok(selector)
    }

    fn index_or_slice(&mut self) -> Result<Selector, PathError> {
        let first = self.lx.integer()?;
        self.lx.skip_blanks();
        if self.lx.peek() == Some(':') {
            let mut bounds = [first, None, None];
            for bound in bounds.iter_mut().skip(1) {
                if !self.lx.eat(':') {
                    break;
                }
                self.lx.skip_blanks();
                *bound = self.lx.integer()?;
                self.lx.skip_blanks();
            }
            if bounds[2] == Some(0) {
                return Err(self.lx.error("a slice step must not be zero"));
            }
            return Ok(Selector::Slice(Slice {
                start: bounds[0],
                end: bounds[1],
                step: bounds[2],
            }));
        }
        let Some(first) = first else {
            return Err(self.lx.error(format!(
                "expected '*', '?(', a quoted name, an index or a slice{}",
                self.lx.found()
            )));
        };
        let mut indices = vec![first];
        while self.lx.eat(',') {
            self.lx.skip_blanks();
            match self.lx.integer()? {
                Some(i) => indices.push(i),
                None => {
                    return Err(self
                        .lx
                        .error(format!("expected an index{}", self.lx.found())));
                }
            }
            self.lx.skip_blanks();
        }
        Ok(if indices.len() == 1 {
            Selector::Index(first)
        } else {
            Selector::Indices(indices)
        })
    }

    fn filter(&mut self) -> Result<Filter, PathError> {
        self.depth += 1;
        if self.depth > MAX_FILTER_DEPTH {
            return Err(self.lx.error("filter nested too deeply"));
        }
        let result = self.or();
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Filter, PathError> {
        let mut left = self.and()?;
        loop {
            self.lx.skip_blanks();
            if !self.lx.eat_str("||") {
                return Ok(left);
            }
            let right = self.and()?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
    }

    fn and(&mut self) -> Result<Filter, PathError> {
        let mut left = self.unary()?;
        loop {
            self.lx.skip_blanks();
            if !self.lx.eat_str("&&") {
                return Ok(left);
            }
            let right = self.unary()?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
    }

    fn unary(&mut self) -> Result<Filter, PathError> {
        self.lx.skip_blanks();
        if self.lx.peek() == Some('!') && self.lx.peek_second() != Some('=') {
            self.lx.bump();
            self.depth += 1;
            if self.depth > MAX_FILTER_DEPTH {
                return Err(self.lx.error("filter nested too deeply"));
            }
            let inner = self.unary();
            self.depth -= 1;
            return Ok(Filter::Not(Box::new(inner?)));
        }
        if self.lx.eat('(') {
            let inner = self.filter()?;
            self.lx.skip_blanks();
            self.lx.expect(')')?;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Filter, PathError> {
        let left_at = self.lx.offset();
        let left = self.operand()?;
        self.lx.skip_blanks();
        let Some(op) = self.operator()? else {
            return match left {
                Operand::Literal(_) => Err(PathError {
                    message: "a filter needs a path or a comparison".into(),
                    offset: left_at,
                }),
                _ => Ok(Filter::Exists(left)),
            };
        };
        self.lx.skip_blanks();
        let right = self.operand()?;
        Ok(Filter::Compare(left, op, right))
    }

    fn operator(&mut self) -> Result<Option<CompareOp>, PathError> {
        let at = self.lx.offset();
        let op = if self.lx.eat_str("==") {
            CompareOp::Eq
        } else if self.lx.eat_str("!=") {
            CompareOp::Ne
        } else if self.lx.eat_str("<=") {
            CompareOp::Le
        } else if self.lx.eat_str(">=") {
            CompareOp::Ge
        } else if self.lx.eat('<') {
            CompareOp::Lt
        } else if self.lx.eat('>') {
            CompareOp::Gt
        } else if self.lx.eat_str("=~") {
            return Err(PathError {
                message: "regular-expression filters (=~) are not supported".into(),
                offset: at,
            });
        } else if self.lx.peek() == Some('=') {
            return Err(self
                .lx
                .error("expected '==' (a single '=' is not a comparison)"));
        } else {
            return Ok(None);
        };
        Ok(Some(op))
    }

    fn operand(&mut self) -> Result<Operand, PathError> {
        self.lx.skip_blanks();
        match self.lx.peek() {
            Some('@') => {
                self.lx.bump();
                let (segments, function) = self.segments(NameMode::Filter)?;
                self.no_function(function)?;
                Ok(Operand::Current(segments))
            }
            Some('$') => {
                self.lx.bump();
                let (segments, function) = self.segments(NameMode::Filter)?;
                self.no_function(function)?;
                Ok(Operand::Document(segments))
            }
            Some('\'' | '"') => Ok(Operand::Literal(Value::String(self.lx.quoted()?))),
            Some(c) if c == '-' || c.is_ascii_digit() => match self.lx.number()? {
                Some(n) => Ok(Operand::Literal(Value::Number(n))),
                None => Err(self
                    .lx
                    .error(format!("expected a number{}", self.lx.found()))),
            },
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.lx.rest().starts_with(word) {
                        let after = self.lx.rest()[word.len()..].chars().next();
                        if !after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                            self.lx.eat_str(word);
                            return Ok(Operand::Literal(value));
                        }
                    }
                }
                Err(self.lx.error(format!(
                    "expected '@', '$', a string, a number, true, false or null{}",
                    self.lx.found()
                )))
            }
        }
    }

    fn no_function(&self, function: Option<PathFunction>) -> Result<(), PathError> {
        match function {
            None => Ok(()),
            Some(PathFunction::Length) => Err(self
                .lx
                .error("path functions are not supported inside filters")),
        }
    }
}
