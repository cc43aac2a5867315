//! Terraform expressions worked out offline: what a `templatefile`'s variable, a `jsonencode`
//! reference or a heredoc's interpolation is worth when everything it reads is known (the
//! module's variables, from their `default`s and `.tfvars`, and its `locals`), and why not when
//! something is not (a resource's attribute, known once deployed; a function not worked out
//! here).
//!
//! The stages: text → [`parse`] (an [`Expr`] tree: literals, string templates with `${...}`,
//! tuples, objects, references with attributes and indexes, function calls, operators, the
//! conditional) → [`eval`] against an [`Env`] that says what a reference is worth → a JSON value,
//! or an [`Unknown`] saying why in words. Terraform's own values are cty's; JSON's are enough
//! here, as what comes out is put into a JSON definition. The project reads HCL with its own
//! located scanner (`terraform`), not a general HCL crate; this is the expression half of that
//! reader, kept apart so that it is tested on its own.

use serde_json::{Map, Value};

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Value),
    /// A quoted string or heredoc: its text and interpolations.
    Template(Vec<Part>),
    Tuple(Vec<Expr>),
    /// An object constructor: keys are expressions (a bare identifier is its own name).
    Object(Vec<(Expr, Expr)>),
    /// `var.x`, `local.y.z[0]`, `aws_sqs_queue.jobs.url`: a root name and its steps.
    Reference { root: String, steps: Vec<Step> },
    /// Any expression followed by `.attr` or `[index]` (`{a = 1}["a"]`, `f(x)[0]`).
    Index(Box<Expr>, Vec<Step>),
    Call { name: String, args: Vec<Expr>, expand: bool },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// What is read but never worked out here (a `for` expression, a splat), as written.
    Unsupported { what: &'static str, source: String },
}

/// A piece of a string template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    Interpolation(Expr),
    /// A `%{ if }`/`%{ for }` directive, not worked out here.
    Directive(String),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Attr(String),
    Index(Expr),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Negate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

impl BinaryOp {
    fn precedence(self) -> u8 {
        use BinaryOp::*;
        match self {
            Or => 1,
            And => 2,
            Equal | NotEqual => 3,
            Less | LessEqual | Greater | GreaterEqual => 4,
            Add | Subtract => 5,
            Multiply | Divide | Modulo => 6,
        }
    }
}

/// Why an expression's value is not known offline, in words a user reads in the Substitutions
/// table (`aws_sqs_queue.jobs.url is a resource's attribute, known once deployed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub why: String,
}

impl Unknown {
    fn new(why: impl Into<String>) -> Self {
        Unknown { why: why.into() }
    }
}

/// A syntax error: the byte offset in the expression's text and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// What the references of an expression are worth.
pub trait Env {
    /// The value of a reference that starts with `root`, then the attribute `first` if any:
    /// a module's `var.table` takes both (the answer's `Lookup::Pair`), a `templatefile`'s
    /// variable `item` only the root (`Lookup::Root`: `.first` is then read from its value).
    /// `None`: the reference names nothing known, and [`eval`] says what kind of thing it is.
    fn lookup(&self, root: &str, first: Option<&str>) -> Option<Lookup>;
}

/// What an [`Env`] found, and how much of the reference it read.
pub enum Lookup {
    Root(Result<Value, Unknown>),
    Pair(Result<Value, Unknown>),
}

/// No references known.
pub struct NoEnv;

impl Env for NoEnv {
    fn lookup(&self, _: &str, _: Option<&str>) -> Option<Lookup> {
        None
    }
}

/// The deepest nesting read (brackets, calls, operators), past which the text is refused.
const MAX_DEPTH: usize = 128;

/// Reads a whole expression.
pub fn parse(text: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser { text, at: 0, depth: 0 };
    let expr = p.expression()?;
    p.skip_space();
    if p.at < text.len() {
        return Err(p.error(format!("unexpected `{}` after the expression", p.rest().chars().next().unwrap_or(' '))));
    }
    Ok(expr)
}

/// Reads a string template's content (what is between the quotes of a string, or a heredoc's
/// lines), escapes already read: its text and `${...}` interpolations.
pub fn parse_template(text: &str) -> Result<Expr, SyntaxError> {
    let mut p = Parser { text, at: 0, depth: 0 };
    let parts = p.template_parts(None, false)?;
    Ok(Expr::Template(parts))
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError { offset: self.at, message: message.into() }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    /// Spaces, newlines and comments.
    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with('#') || trimmed.starts_with("//") {
                self.at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.at += trimmed.find("*/").map_or(trimmed.len(), |i| i + 2);
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.skip_space();
        if self.rest().starts_with(s) {
            self.at += s.len();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) -> Result<(), SyntaxError> {
        if self.eat(s) { Ok(()) } else { Err(self.error(format!("expected `{s}`"))) }
    }

    fn deeper(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH { Err(self.error("nested too deeply")) } else { Ok(()) }
    }

    fn expression(&mut self) -> Result<Expr, SyntaxError> {
        self.deeper()?;
        let condition = self.binary(1)?;
        let out = if self.eat("?") {
            let yes = self.expression()?;
            self.expect(":")?;
            let no = self.expression()?;
            Expr::Conditional(Box::new(condition), Box::new(yes), Box::new(no))
        } else {
            condition
        };
        self.depth -= 1;
        Ok(out)
    }

    fn operator(&mut self) -> Option<BinaryOp> {
        self.skip_space();
        use BinaryOp::*;
        let table: [(&str, BinaryOp); 13] = [
            ("||", Or),
            ("&&", And),
            ("==", Equal),
            ("!=", NotEqual),
            ("<=", LessEqual),
            (">=", GreaterEqual),
            ("<", Less),
            (">", Greater),
            ("+", Add),
            ("-", Subtract),
            ("*", Multiply),
            ("/", Divide),
            ("%", Modulo),
        ];
        table.iter().find(|(s, _)| self.rest().starts_with(s)).map(|(_, op)| *op)
    }

    /// Operators of at least `min` precedence, left-associative.
    fn binary(&mut self, min: u8) -> Result<Expr, SyntaxError> {
        let mut left = self.unary()?;
        while let Some(op) = self.operator().filter(|op| op.precedence() >= min) {
            self.at += match op {
                BinaryOp::Or | BinaryOp::And | BinaryOp::Equal | BinaryOp::NotEqual | BinaryOp::LessEqual | BinaryOp::GreaterEqual => 2,
                _ => 1,
            };
            self.deeper()?;
            let right = self.binary(op.precedence() + 1)?;
            self.depth -= 1;
            left = Expr::Binary(op, Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, SyntaxError> {
        self.skip_space();
        let op = match self.peek() {
            Some('!') => UnaryOp::Not,
            Some('-') if !self.rest()[1..].starts_with(|c: char| c.is_ascii_digit()) => UnaryOp::Negate,
            _ => return self.postfix(),
        };
        self.at += 1;
        self.deeper()?;
        let inner = self.unary()?;
        self.depth -= 1;
        Ok(Expr::Unary(op, Box::new(inner)))
    }

    /// A term and its `.attr` / `[index]` steps.
    fn postfix(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.at;
        let term = self.term()?;
        let mut steps = Vec::new();
        loop {
            if self.rest().starts_with('.') && !self.rest()[1..].starts_with(|c: char| c.is_ascii_digit()) {
                self.at += 1;
                if self.rest().starts_with('*') {
                    return Ok(self.unsupported_from(start, "a splat expression"));
                }
                let name = self.identifier();
                if name.is_empty() {
                    return Err(self.error("expected an attribute name after `.`"));
                }
                steps.push(Step::Attr(name.to_string()));
            } else if self.rest().starts_with('.') {
                // A legacy index, `list.0`.
                self.at += 1;
                let digits = self.rest().len() - self.rest().trim_start_matches(|c: char| c.is_ascii_digit()).len();
                let n: f64 = self.rest()[..digits].parse().unwrap_or(0.0);
                self.at += digits;
                steps.push(Step::Index(Expr::Literal(number(n))));
            } else if self.rest().starts_with('[') {
                self.at += 1;
                if self.eat("*") {
                    self.expect("]")?;
                    return Ok(self.unsupported_from(start, "a splat expression"));
                }
                let index = self.expression()?;
                self.expect("]")?;
                steps.push(Step::Index(index));
            } else {
                break;
            }
        }
        Ok(match (term, steps.is_empty()) {
            (term, true) => term,
            (Expr::Reference { root, steps: mut first }, false) => {
                first.extend(steps);
                Expr::Reference { root, steps: first }
            }
            (term, false) => Expr::Index(Box::new(term), steps),
        })
    }

    /// What is written from `start` to the end of this term, kept as an unsupported expression.
    fn unsupported_from(&mut self, start: usize, what: &'static str) -> Expr {
        // Step over the rest of the postfix chain, brackets balanced.
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                '[' | '(' | '{' => depth += 1,
                ']' | ')' | '}' if depth > 0 => depth -= 1,
                c if depth == 0 && !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '*')) => break,
                _ => {}
            }
            self.at += c.len_utf8();
        }
        Expr::Unsupported { what, source: self.text[start..self.at].to_string() }
    }

    fn identifier(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(rest.len());
        let len = if rest.starts_with(|c: char| c.is_alphabetic() || c == '_') { len } else { 0 };
        self.at += len;
        &rest[..len]
    }

    fn term(&mut self) -> Result<Expr, SyntaxError> {
        self.skip_space();
        let start = self.at;
        match self.peek() {
            None => Err(self.error("expected an expression")),
            Some('"') => {
                self.at += 1;
                let parts = self.template_parts(Some('"'), true)?;
                Ok(Expr::Template(parts))
            }
            Some('<') if self.rest().starts_with("<<") => self.heredoc(),
            Some('(') => {
                self.at += 1;
                let inner = self.expression()?;
                self.expect(")")?;
                Ok(inner)
            }
            Some('[') => {
                self.at += 1;
                self.skip_space();
                if self.rest().starts_with("for ") || self.rest().starts_with("for\t") {
                    return self.skip_to_close(start, ']', "a for expression");
                }
                let mut items = Vec::new();
                loop {
                    if self.eat("]") {
                        break;
                    }
                    self.deeper()?;
                    items.push(self.expression()?);
                    self.depth -= 1;
                    if !self.eat(",") {
                        self.expect("]")?;
                        break;
                    }
                }
                Ok(Expr::Tuple(items))
            }
            Some('{') => {
                self.at += 1;
                self.skip_space();
                if self.rest().starts_with("for ") || self.rest().starts_with("for\t") {
                    return self.skip_to_close(start, '}', "a for expression");
                }
                let mut members = Vec::new();
                loop {
                    if self.eat("}") {
                        break;
                    }
                    self.deeper()?;
                    self.skip_space();
                    let key_start = self.at;
                    let name = self.identifier();
                    let key = if !name.is_empty() && { self.skip_space(); matches!(self.peek(), Some('=' | ':')) } && !self.rest().starts_with("==") {
                        Expr::Literal(Value::String(name.to_string()))
                    } else {
                        self.at = key_start;
                        self.expression()?
                    };
                    self.skip_space();
                    if !(self.eat("=") || self.eat(":")) {
                        return Err(self.error("expected `=` after an object key"));
                    }
                    let value = self.expression()?;
                    self.depth -= 1;
                    members.push((key, value));
                    self.eat(",");
                }
                Ok(Expr::Object(members))
            }
            Some(c) if c.is_ascii_digit() || (c == '-' && self.rest()[1..].starts_with(|c: char| c.is_ascii_digit())) => {
                let rest = self.rest();
                let mut len = usize::from(c == '-');
                let bytes = rest.as_bytes();
                while len < bytes.len() && (bytes[len].is_ascii_digit() || bytes[len] == b'.' && bytes.get(len + 1).is_some_and(u8::is_ascii_digit)) {
                    len += 1;
                }
                if len < bytes.len() && matches!(bytes[len], b'e' | b'E') {
                    let mut j = len + 1;
                    if matches!(bytes.get(j), Some(b'+' | b'-')) {
                        j += 1;
                    }
                    if bytes.get(j).is_some_and(u8::is_ascii_digit) {
                        len = j;
                        while len < bytes.len() && bytes[len].is_ascii_digit() {
                            len += 1;
                        }
                    }
                }
                let n: f64 = rest[..len].parse().map_err(|_| self.error("not a number"))?;
                if !n.is_finite() {
                    return Err(self.error("a number too large"));
                }
                self.at += len;
                Ok(Expr::Literal(number(n)))
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let name = self.identifier().to_string();
                match name.as_str() {
                    "true" => return Ok(Expr::Literal(Value::Bool(true))),
                    "false" => return Ok(Expr::Literal(Value::Bool(false))),
                    "null" => return Ok(Expr::Literal(Value::Null)),
                    _ => {}
                }
                if self.rest().starts_with('(') || self.rest().starts_with("::") {
                    // `provider::name::fn(...)` is a provider's function: read as a call.
                    let mut full = name;
                    while self.rest().starts_with("::") {
                        self.at += 2;
                        full.push_str("::");
                        full.push_str(self.identifier());
                    }
                    self.expect("(")?;
                    let (mut args, mut expand) = (Vec::new(), false);
                    loop {
                        if self.eat(")") {
                            break;
                        }
                        self.deeper()?;
                        args.push(self.expression()?);
                        self.depth -= 1;
                        if self.eat("...") {
                            expand = true;
                        }
                        if !self.eat(",") {
                            self.expect(")")?;
                            break;
                        }
                    }
                    return Ok(Expr::Call { name: full, args, expand });
                }
                Ok(Expr::Reference { root: name, steps: Vec::new() })
            }
            Some(c) => Err(self.error(format!("unexpected `{c}`"))),
        }
    }

    /// Steps over a bracketed expression not worked out here (strings inside kept whole).
    fn skip_to_close(&mut self, start: usize, close: char, what: &'static str) -> Result<Expr, SyntaxError> {
        let mut depth = 1usize;
        while depth > 0 {
            let Some(c) = self.peek() else { return Err(SyntaxError { offset: start, message: format!("`{}` is never closed", &self.text[start..start + 1]) }) };
            self.at += c.len_utf8();
            match c {
                '"' => {
                    self.template_parts(Some('"'), true)?;
                }
                '[' | '{' | '(' => depth += 1,
                ']' | '}' | ')' => depth -= 1,
                _ => {}
            }
        }
        let _ = close;
        Ok(Expr::Unsupported { what, source: self.text[start..self.at].to_string() })
    }

    /// A heredoc: `<<EOT` or `<<-EOT` (its lines' common indentation removed), then its
    /// lines up to the marker, as a template.
    fn heredoc(&mut self) -> Result<Expr, SyntaxError> {
        let start = self.at;
        self.at += 2;
        let indented = self.rest().starts_with('-');
        if indented {
            self.at += 1;
        }
        let marker = self.identifier().to_string();
        let Some(nl) = self.rest().find('\n') else { return Err(self.error("a heredoc needs its lines")) };
        self.at += nl + 1;
        let mut lines = Vec::new();
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return Err(SyntaxError { offset: start, message: format!("the heredoc `{marker}` is never closed") });
            }
            let line_end = rest.find('\n').unwrap_or(rest.len());
            let line = &rest[..line_end];
            self.at += line_end.min(rest.len());
            if line.trim() == marker {
                break;
            }
            lines.push(line);
            if self.rest().starts_with('\n') {
                self.at += 1;
            }
        }
        let strip = if indented { lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0) } else { 0 };
        let content: String = lines.iter().map(|l| format!("{}\n", l.get(strip..).unwrap_or(""))).collect();
        let inner = parse_template(&content).map_err(|e| SyntaxError { offset: start, message: e.message })?;
        Ok(inner)
    }

    /// The parts of a template up to `close` (a quoted string: escapes read) or to the end.
    fn template_parts(&mut self, close: Option<char>, escapes: bool) -> Result<Vec<Part>, SyntaxError> {
        let start = self.at;
        let mut parts = Vec::new();
        let mut text = String::new();
        loop {
            let Some(c) = self.peek() else {
                if close.is_some() {
                    return Err(SyntaxError { offset: start.saturating_sub(1), message: "a string is never closed".into() });
                }
                break;
            };
            if Some(c) == close {
                self.at += 1;
                break;
            }
            let rest = self.rest();
            if rest.starts_with("$${") || rest.starts_with("%%{") {
                text.push_str(&rest[1..3]);
                self.at += 3;
            } else if rest.starts_with("${") || rest.starts_with("%{") {
                let directive = rest.starts_with('%');
                self.at += 2;
                self.eat("~");
                if !text.is_empty() {
                    parts.push(Part::Text(std::mem::take(&mut text)));
                }
                if directive {
                    let open = self.at;
                    let end = self.rest().find('}').ok_or_else(|| self.error("a `%{` directive is never closed"))?;
                    self.at += end + 1;
                    parts.push(Part::Directive(self.text[open..self.at - 1].trim().trim_end_matches('~').trim().to_string()));
                    continue;
                }
                let expr = self.expression()?;
                self.eat("~");
                self.expect("}")?;
                parts.push(Part::Interpolation(expr));
            } else if escapes && c == '\\' {
                self.at += 1;
                let Some(e) = self.peek() else { return Err(self.error("a string is never closed")) };
                self.at += e.len_utf8();
                match e {
                    'n' => text.push('\n'),
                    't' => text.push('\t'),
                    'r' => text.push('\r'),
                    '"' => text.push('"'),
                    '\\' => text.push('\\'),
                    'u' | 'U' => {
                        let width = if e == 'u' { 4 } else { 8 };
                        let hex = self.rest().get(..width).unwrap_or("");
                        let ch = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).ok_or_else(|| self.error(format!("a `\\{e}` escape needs {width} hex digits")))?;
                        text.push(ch);
                        self.at += width;
                    }
                    other => return Err(self.error(format!("`\\{other}` is not an escape Terraform knows"))),
                }
            } else if escapes && c == '\n' {
                return Err(self.error("a quoted string is never closed on its line"));
            } else {
                text.push(c);
                self.at += c.len_utf8();
            }
        }
        if !text.is_empty() || parts.is_empty() {
            parts.push(Part::Text(text));
        }
        Ok(parts)
    }
}

/// A number as JSON writes it: whole numbers without a fraction.
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The value of `expr`, or why it is not known offline. A conditional whose condition is known
/// needs only the branch it takes.
pub fn eval(expr: &Expr, env: &dyn Env) -> Result<Value, Unknown> {
    eval_at(expr, env, 0)
}

fn eval_at(expr: &Expr, env: &dyn Env, depth: usize) -> Result<Value, Unknown> {
    if depth > MAX_DEPTH {
        return Err(Unknown::new("the expression is nested too deeply"));
    }
    let ev = |e: &Expr| eval_at(e, env, depth + 1);
    match expr {
        Expr::Literal(v) => Ok(v.clone()),
        Expr::Template(parts) => {
            // A template of one interpolation is that value, not its text (as in Terraform).
            if let [Part::Interpolation(e)] = parts.as_slice() {
                return ev(e);
            }
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Text(t) => out.push_str(t),
                    Part::Interpolation(e) => out.push_str(&to_text(&ev(e)?, "an interpolation")?),
                    Part::Directive(d) => return Err(Unknown::new(format!("the template directive %{{{d}}} is not worked out offline"))),
                }
            }
            Ok(Value::String(out))
        }
        Expr::Tuple(items) => items.iter().map(ev).collect::<Result<Vec<_>, _>>().map(Value::Array),
        Expr::Object(members) => {
            let mut map = Map::new();
            for (k, v) in members {
                let key = to_text(&ev(k)?, "an object key")?;
                map.insert(key, ev(v)?);
            }
            Ok(Value::Object(map))
        }
        Expr::Reference { root, steps } => {
            let first = match steps.first() {
                Some(Step::Attr(a)) => Some(a.as_str()),
                _ => None,
            };
            let (value, rest) = match env.lookup(root, first) {
                Some(Lookup::Root(found)) => (found?, &steps[..]),
                Some(Lookup::Pair(found)) => (found?, steps.get(1..).unwrap_or_default()),
                None => return Err(Unknown::new(unknown_reference(root, first, steps))),
            };
            index(value, rest, env, depth)
        }
        Expr::Index(base, steps) => index(ev(base)?, steps, env, depth),
        Expr::Call { name, args, expand } => {
            let mut values = args.iter().map(ev).collect::<Result<Vec<_>, _>>()?;
            if *expand {
                match values.pop() {
                    Some(Value::Array(items)) => values.extend(items),
                    _ => return Err(Unknown::new(format!("{name}(...)'s last argument, expanded with `...`, is not a list"))),
                }
            }
            call(name, values)
        }
        Expr::Unary(op, inner) => {
            let v = ev(inner)?;
            match op {
                UnaryOp::Not => Ok(Value::Bool(!to_bool(&v)?)),
                UnaryOp::Negate => Ok(number(-to_number(&v)?)),
            }
        }
        Expr::Binary(op, l, r) => binary(*op, ev(l)?, ev(r)?),
        Expr::Conditional(c, yes, no) => {
            if to_bool(&ev(c)?)? {
                ev(yes)
            } else {
                ev(no)
            }
        }
        Expr::Unsupported { what, source } => Err(Unknown::new(format!("{what} ({source}) is not worked out offline"))),
    }
}

/// Why a reference that names nothing known has no value, said for what it names.
fn unknown_reference(root: &str, first: Option<&str>, steps: &[Step]) -> String {
    let written = match first {
        Some(a) => format!("{root}.{a}"),
        None => root.to_string(),
    };
    match root {
        "var" => format!("{written} is given no value (no default, no .tfvars, no --var)"),
        "local" => format!("{written} is not a local of the module"),
        "data" => format!("{written}{} is read from AWS when Terraform plans: known once deployed", steps.get(1).map_or(String::new(), step_text)),
        "module" => format!("{written} is another module's output: known once deployed"),
        "count" | "each" | "self" => format!("{written} depends on the resource's instances: known once planned"),
        _ if first.is_some() && root.contains('_') => {
            let attr = steps.get(1).map_or(String::new(), step_text);
            format!("{written}{attr} is a resource's attribute: known once deployed")
        }
        _ => format!("{written} is not known offline"),
    }
}

fn step_text(step: &Step) -> String {
    match step {
        Step::Attr(a) => format!(".{a}"),
        Step::Index(_) => "[...]".into(),
    }
}

fn index(mut value: Value, steps: &[Step], env: &dyn Env, depth: usize) -> Result<Value, Unknown> {
    for step in steps {
        value = match step {
            Step::Attr(name) => match value {
                Value::Object(mut map) => map.shift_remove(name).ok_or_else(|| Unknown::new(format!("the object has no attribute `{name}`")))?,
                other => return Err(Unknown::new(format!("`.{name}` of {}", describe(&other)))),
            },
            Step::Index(e) => {
                let key = eval_at(e, env, depth + 1)?;
                match value {
                    Value::Object(mut map) => {
                        let key = to_text(&key, "an index")?;
                        map.shift_remove(&key).ok_or_else(|| Unknown::new(format!("the map has no key \"{key}\"")))?
                    }
                    Value::Array(mut items) => {
                        let i = to_number(&key)?;
                        if i < 0.0 || i.fract() != 0.0 || i as usize >= items.len() {
                            return Err(Unknown::new(format!("index {i} is outside the list of {}", items.len())));
                        }
                        items.swap_remove(i as usize)
                    }
                    other => return Err(Unknown::new(format!("an index into {}", describe(&other)))),
                }
            }
        };
    }
    Ok(value)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A value as text, as Terraform converts a primitive to a string (a list or object cannot
/// be: Terraform refuses it too).
fn to_text(v: &Value, what: &str) -> Result<String, Unknown> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Err(Unknown::new(format!("{what} is null, which Terraform refuses in a string"))),
        other => Err(Unknown::new(format!("{what} is {}, which Terraform refuses in a string (jsonencode it)", describe(other)))),
    }
}

fn to_number(v: &Value) -> Result<f64, Unknown> {
    match v {
        Value::Number(n) => Ok(n.as_f64().unwrap_or(f64::NAN)),
        Value::String(s) => s.trim().parse::<f64>().map_err(|_| Unknown::new(format!("\"{s}\" is not a number"))),
        other => Err(Unknown::new(format!("{} is not a number", describe(other)))),
    }
}

fn to_bool(v: &Value) -> Result<bool, Unknown> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s == "true" => Ok(true),
        Value::String(s) if s == "false" => Ok(false),
        other => Err(Unknown::new(format!("{} is not a bool", describe(other)))),
    }
}

/// Equality as Terraform sees it: numbers by value, the rest structurally.
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equal(a, b)),
        (Value::Object(x), Value::Object(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w))),
        _ => a == b,
    }
}

fn binary(op: BinaryOp, l: Value, r: Value) -> Result<Value, Unknown> {
    use BinaryOp::*;
    Ok(match op {
        Or => Value::Bool(to_bool(&l)? || to_bool(&r)?),
        And => Value::Bool(to_bool(&l)? && to_bool(&r)?),
        Equal => Value::Bool(equal(&l, &r)),
        NotEqual => Value::Bool(!equal(&l, &r)),
        Less => Value::Bool(to_number(&l)? < to_number(&r)?),
        LessEqual => Value::Bool(to_number(&l)? <= to_number(&r)?),
        Greater => Value::Bool(to_number(&l)? > to_number(&r)?),
        GreaterEqual => Value::Bool(to_number(&l)? >= to_number(&r)?),
        Add => number(to_number(&l)? + to_number(&r)?),
        Subtract => number(to_number(&l)? - to_number(&r)?),
        Multiply => number(to_number(&l)? * to_number(&r)?),
        Divide => {
            let d = to_number(&r)?;
            if d == 0.0 {
                return Err(Unknown::new("a division by zero"));
            }
            number(to_number(&l)? / d)
        }
        Modulo => {
            let d = to_number(&r)?;
            if d == 0.0 {
                return Err(Unknown::new("a modulo by zero"));
            }
            number(to_number(&l)? % d)
        }
    })
}

fn arity(name: &str, args: &[Value], min: usize, max: usize) -> Result<(), Unknown> {
    if args.len() < min || args.len() > max {
        let wanted = if min == max { min.to_string() } else if max == usize::MAX { format!("at least {min}") } else { format!("{min} to {max}") };
        return Err(Unknown::new(format!("{name}() takes {wanted} arguments, not {}", args.len())));
    }
    Ok(())
}

/// Terraform's functions that are worked out offline; any other is said to be unknown.
fn call(name: &str, args: Vec<Value>) -> Result<Value, Unknown> {
    let text = |v: &Value| to_text(v, &format!("an argument of {name}()"));
    match name {
        "jsonencode" => {
            arity(name, &args, 1, 1)?;
            Ok(Value::String(jsonencode(&args[0])))
        }
        "jsondecode" => {
            arity(name, &args, 1, 1)?;
            serde_json::from_str(&text(&args[0])?).map_err(|e| Unknown::new(format!("jsondecode() of text that is not JSON ({e})")))
        }
        "lookup" => {
            arity(name, &args, 2, 3)?;
            let key = text(&args[1])?;
            match (&args[0], args.get(2)) {
                (Value::Object(map), default) => match (map.get(&key), default) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(Unknown::new(format!("lookup() finds no key \"{key}\" and has no default"))),
                },
                (other, _) => Err(Unknown::new(format!("lookup() of {}, not a map", describe(other)))),
            }
        }
        "join" => {
            arity(name, &args, 2, usize::MAX)?;
            let separator = text(&args[0])?;
            let mut pieces = Vec::new();
            for list in &args[1..] {
                match list {
                    Value::Array(items) => {
                        for item in items {
                            pieces.push(text(item)?);
                        }
                    }
                    other => return Err(Unknown::new(format!("join() of {}, not a list", describe(other)))),
                }
            }
            Ok(Value::String(pieces.join(&separator)))
        }
        "format" => {
            arity(name, &args, 1, usize::MAX)?;
            format(&text(&args[0])?, &args[1..]).map(Value::String)
        }
        "upper" | "lower" | "trimspace" | "title" => {
            arity(name, &args, 1, 1)?;
            let s = text(&args[0])?;
            Ok(Value::String(match name {
                "upper" => s.to_uppercase(),
                "lower" => s.to_lowercase(),
                "trimspace" => s.trim().to_string(),
                _ => s.split(' ').map(|w| {
                    let mut c = w.chars();
                    c.next().map_or(String::new(), |f| f.to_uppercase().collect::<String>() + c.as_str())
                }).collect::<Vec<_>>().join(" "),
            }))
        }
        "replace" => {
            arity(name, &args, 3, 3)?;
            let (s, find, with) = (text(&args[0])?, text(&args[1])?, text(&args[2])?);
            if find.len() > 1 && find.starts_with('/') && find.ends_with('/') {
                return Err(Unknown::new("replace() with a regular expression is not worked out offline"));
            }
            Ok(Value::String(s.replace(&find, &with)))
        }
        "split" => {
            arity(name, &args, 2, 2)?;
            let (sep, s) = (text(&args[0])?, text(&args[1])?);
            Ok(Value::Array(s.split(sep.as_str()).map(|p| Value::String(p.to_string())).collect()))
        }
        "tostring" => {
            arity(name, &args, 1, 1)?;
            text(&args[0]).map(Value::String)
        }
        "tonumber" => {
            arity(name, &args, 1, 1)?;
            to_number(&args[0]).map(number)
        }
        "tobool" => {
            arity(name, &args, 1, 1)?;
            to_bool(&args[0]).map(Value::Bool)
        }
        "tolist" | "tomap" => {
            arity(name, &args, 1, 1)?;
            Ok(args[0].clone())
        }
        "length" => {
            arity(name, &args, 1, 1)?;
            match &args[0] {
                Value::Array(a) => Ok(Value::from(a.len())),
                Value::Object(m) => Ok(Value::from(m.len())),
                Value::String(s) => Ok(Value::from(s.chars().count())),
                other => Err(Unknown::new(format!("length() of {}", describe(other)))),
            }
        }
        "concat" => {
            let mut out = Vec::new();
            for a in &args {
                match a {
                    Value::Array(items) => out.extend(items.iter().cloned()),
                    other => return Err(Unknown::new(format!("concat() of {}, not a list", describe(other)))),
                }
            }
            Ok(Value::Array(out))
        }
        "merge" => {
            let mut out = Map::new();
            for a in &args {
                match a {
                    Value::Object(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Value::Null => {}
                    other => return Err(Unknown::new(format!("merge() of {}, not a map", describe(other)))),
                }
            }
            Ok(Value::Object(out))
        }
        "coalesce" => args
            .into_iter()
            .find(|v| !v.is_null() && v.as_str() != Some(""))
            .ok_or_else(|| Unknown::new("coalesce() has no argument that is neither null nor empty")),
        "element" => {
            arity(name, &args, 2, 2)?;
            match &args[0] {
                Value::Array(items) if !items.is_empty() => {
                    let i = to_number(&args[1])?;
                    if i < 0.0 {
                        return Err(Unknown::new("element() with a negative index"));
                    }
                    Ok(items[i as usize % items.len()].clone())
                }
                other => Err(Unknown::new(format!("element() of {}", if other.is_array() { "an empty list" } else { describe(other) }))),
            }
        }
        "contains" => {
            arity(name, &args, 2, 2)?;
            match &args[0] {
                Value::Array(items) => Ok(Value::Bool(items.iter().any(|i| equal(i, &args[1])))),
                other => Err(Unknown::new(format!("contains() of {}, not a list", describe(other)))),
            }
        }
        "keys" | "values" => {
            arity(name, &args, 1, 1)?;
            match &args[0] {
                Value::Object(m) => {
                    let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                    entries.sort_by(|a, b| a.0.cmp(b.0));
                    Ok(Value::Array(entries.into_iter().map(|(k, v)| if name == "keys" { Value::String(k.clone()) } else { v.clone() }).collect()))
                }
                other => Err(Unknown::new(format!("{name}() of {}, not a map", describe(other)))),
            }
        }
        _ => Err(Unknown::new(format!("the function {name}() is not worked out offline"))),
    }
}

/// Terraform's `jsonencode`: object keys in lexical order, and `<`, `>`, `&`, U+2028 and
/// U+2029 escaped as Go's encoder escapes them.
pub fn jsonencode(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut entries: Vec<(&String, &Value)> = m.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                Value::Object(entries.into_iter().map(|(k, v)| (k.clone(), sorted(v))).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    let text = serde_json::to_string(&sorted(v)).unwrap_or_default();
    // These characters only occur inside strings in JSON text, so a plain replace is exact.
    text.replace('<', "\\u003c").replace('>', "\\u003e").replace('&', "\\u0026").replace('\u{2028}', "\\u2028").replace('\u{2029}', "\\u2029")
}

/// Terraform's `format`: `%s`, `%d`, `%f` (with a precision, `%.2f`), `%t`, `%v`, `%q`,
/// `%#v` (JSON) and `%%`; other verbs and flags are said to be unknown.
fn format(spec: &str, args: &[Value]) -> Result<String, Unknown> {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = spec.chars().peekable();
    let mut take = |verb: &str| -> Result<Value, Unknown> {
        let v = args.get(next).cloned().ok_or_else(|| Unknown::new(format!("format() has too few arguments for %{verb}")))?;
        next += 1;
        Ok(v)
    };
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut flags = String::new();
        while let Some(&f) = chars.peek() {
            if f.is_ascii_alphabetic() || f == '%' {
                break;
            }
            flags.push(f);
            chars.next();
        }
        let Some(verb) = chars.next() else { return Err(Unknown::new("format() ends with a lone %")) };
        match (flags.as_str(), verb) {
            ("", '%') => out.push('%'),
            ("", 's') => out.push_str(&to_text(&take("s")?, "a %s argument")?),
            ("", 'd') => {
                let n = to_number(&take("d")?)?;
                if n.fract() != 0.0 {
                    return Err(Unknown::new(format!("format()'s %d of {n}, not a whole number")));
                }
                out.push_str(&format!("{}", n as i64));
            }
            ("", 'f') => out.push_str(&format!("{:.6}", to_number(&take("f")?)?)),
            (p, 'f') if p.starts_with('.') && p[1..].parse::<usize>().is_ok() => {
                let precision: usize = p[1..].parse().unwrap_or(6);
                out.push_str(&format!("{:.*}", precision, to_number(&take("f")?)?));
            }
            ("", 't') => out.push_str(&to_bool(&take("t")?)?.to_string()),
            ("", 'v') => {
                let v = take("v")?;
                out.push_str(&match &v {
                    Value::String(s) => s.clone(),
                    Value::Array(_) | Value::Object(_) => jsonencode(&v),
                    other => to_text(other, "a %v argument")?,
                });
            }
            ("#", 'v') => out.push_str(&jsonencode(&take("v")?)),
            ("", 'q') => out.push_str(&jsonencode(&Value::String(to_text(&take("q")?, "a %q argument")?))),
            (f, v) => return Err(Unknown::new(format!("format()'s %{f}{v} is not worked out offline"))),
        }
    }
    Ok(out)
}

/// A value as the text a placeholder stands for: a string as itself, anything else as its JSON.
pub fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `var.NAME` and `local.NAME` from a table; templatefile variables by bare name.
    struct Table(Vec<(&'static str, Value)>);

    impl Env for Table {
        fn lookup(&self, root: &str, first: Option<&str>) -> Option<Lookup> {
            match first {
                Some(a) if matches!(root, "var" | "local") => {
                    let name = format!("{root}.{a}");
                    self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| Lookup::Pair(Ok(v.clone())))
                }
                _ => self.0.iter().find(|(n, _)| *n == root).map(|(_, v)| Lookup::Root(Ok(v.clone()))),
            }
        }
    }

    fn env() -> Table {
        Table(vec![
            ("var.stage", json!("prod")),
            ("var.wait", json!(30)),
            ("var.enabled", json!(true)),
            ("var.tags", json!({"team": "orders", "cost": "42"})),
            ("var.names", json!(["a", "b", "c"])),
            ("local.prefix", json!("svc")),
            ("table", json!("jobs")),
        ])
    }

    fn value(text: &str) -> Result<Value, String> {
        let expr = parse(text).map_err(|e| format!("syntax at {}: {}", e.offset, e.message))?;
        eval(&expr, &env()).map_err(|u| u.why)
    }

    #[test]
    fn known_values_are_worked_out() {
        let cases: &[(&str, Value)] = &[
            (r#""${local.prefix}-${var.stage}-orders""#, json!("svc-prod-orders")),
            (r#""$${literal} ${var.wait}s""#, json!("${literal} 30s")),
            ("var.wait * 2 + 1", json!(61)),
            ("-var.wait", json!(-30)),
            (r#"jsonencode({b = 1, a = [true, null], "c<" = var.stage})"#, json!(r#"{"a":[true,null],"b":1,"c\u003c":"prod"}"#)),
            (r#"lookup(var.tags, "team", "none")"#, json!("orders")),
            (r#"lookup(var.tags, "owner", "none")"#, json!("none")),
            (r#"join(",", var.names, ["d"])"#, json!("a,b,c,d")),
            (r#"format("%s-%03s", var.stage, "x")"#, Value::Null),
            (r#"format("%s:%d:%.2f:%t:%q:%%", var.stage, var.wait, 1.5, var.enabled, "a")"#, json!("prod:30:1.50:true:\"a\":%")),
            (r#"var.stage == "prod" ? "live" : "test""#, json!("live")),
            (r#"var.wait > 10 && !var.enabled ? 1 : 2"#, json!(2)),
            ("var.tags.team", json!("orders")),
            (r#"var.tags["cost"]"#, json!("42")),
            ("var.names[1]", json!("b")),
            ("upper(table)", json!("JOBS")),
            ("merge(var.tags, {team = \"x\"}).team", json!("x")),
            ("length(var.names) % 2", json!(1)),
            ("<<-EOT\n    line ${var.wait}\n      more\n    EOT", json!("line 30\n  more\n")),
            ("(1 + 2) * 3 == 9", json!(true)),
            ("1.5e3", json!(1500)),
        ];
        for (text, want) in cases {
            match (value(text), want) {
                (Ok(got), Value::Null) => panic!("{text}: {got} should be unknown"),
                (Err(_), Value::Null) => {}
                (got, want) => assert_eq!(got.as_ref(), Ok(want), "{text}"),
            }
        }
    }

    #[test]
    fn unknown_values_say_why() {
        let cases: &[(&str, &str)] = &[
            ("aws_sqs_queue.jobs.url", "aws_sqs_queue.jobs.url is a resource's attribute: known once deployed"),
            (r#""${aws_lambda_function.fn.arn}:live""#, "aws_lambda_function.fn.arn is a resource's attribute: known once deployed"),
            ("data.aws_caller_identity.me.account_id", "data.aws_caller_identity.me is read from AWS when Terraform plans: known once deployed"),
            ("module.net.vpc_id", "module.net is another module's output: known once deployed"),
            ("var.missing", "var.missing is given no value (no default, no .tfvars, no --var)"),
            ("timestamp()", "the function timestamp() is not worked out offline"),
            ("[for s in var.names : upper(s)]", "a for expression ([for s in var.names : upper(s)]) is not worked out offline"),
            ("var.names[*]", "a splat expression (var.names[*]) is not worked out offline"),
            (r#"lookup(var.tags, "owner")"#, "lookup() finds no key \"owner\" and has no default"),
            (r#""x${var.tags}""#, "the value is"),
            (r#""a %{ if var.enabled }b%{ endif }""#, "the template directive %{if var.enabled} is not worked out offline"),
        ];
        for (text, why) in cases {
            match value(text) {
                Ok(v) => panic!("{text}: should be unknown, got {v}"),
                Err(got) if *why == "the value is" => assert!(got.contains("refuses in a string"), "{text}: {got}"),
                Err(got) => assert_eq!(got, *why, "{text}"),
            }
        }
        // The branch a known condition does not take may be unknown.
        assert_eq!(value(r#"var.enabled ? var.stage : aws_sqs_queue.q.url"#), Ok(json!("prod")));
    }

    #[test]
    fn bad_text_is_a_located_syntax_error() {
        for (text, offset) in [("var.", 4), ("\"open", 0), ("f(1,", 4), ("{a = }", 5), ("1 +", 3)] {
            let e = parse(text).unwrap_err();
            assert_eq!(e.offset, offset, "{text}: {e:?}");
        }
        // Deep nesting is refused, not a stack overflow.
        let deep = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        assert!(parse(&deep).is_err());
    }
}
