//! The one reader of DynamoDB's expression language, shared by every kind of expression a
//! request carries (condition, filter, key condition, update, projection): the tokenizer, a
//! cursor over the tokens that resolves `#name` and `:value` placeholders as it reads them (and
//! remembers which it used, for DynamoDB's "unused in expressions" check), document paths, the
//! reserved words, and the error texts in DynamoDB's words. Each kind's grammar lives in its own
//! module and reads through [`Cursor`].

use std::collections::BTreeSet;

use serde_json::{Map, Value};

/// The expression members of a request, by the name DynamoDB's errors give them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Condition,
    Filter,
    KeyCondition,
    Update,
    Projection,
}

impl Kind {
    /// The request member (`ConditionExpression`), as DynamoDB's messages name it.
    pub fn member(self) -> &'static str {
        match self {
            Kind::Condition => "ConditionExpression",
            Kind::Filter => "FilterExpression",
            Kind::KeyCondition => "KeyConditionExpression",
            Kind::Update => "UpdateExpression",
            Kind::Projection => "ProjectionExpression",
        }
    }
}

/// A token's kind; `text` of [`Token`] keeps what was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A bare word: an attribute name, a keyword (`AND`, `SET`) or a function name.
    Word,
    /// `#name`.
    NamePlaceholder,
    /// `:value`.
    ValuePlaceholder,
    /// Digits (only a list index is valid: DynamoDB has no literals).
    Number,
    /// `( ) [ ] , . = <> < <= > >= + -`.
    Symbol,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub text: String,
    /// Byte offsets in the expression.
    pub start: usize,
    pub end: usize,
}

/// Why an expression was refused, in DynamoDB's words (without the `Invalid XExpression: `
/// prefix the caller adds).
pub type Error = String;

/// DynamoDB's syntax error: the offending token, and the text from the token before it to the
/// token after it (`Syntax error; token: ":", near: "hits : incr"`); at the end, `<EOF>` near
/// the last token.
fn syntax_error(source: &str, tokens: &[Token], at: usize) -> Error {
    let before = at.checked_sub(1).and_then(|i| tokens.get(i));
    match tokens.get(at) {
        Some(token) => {
            let start = before.map_or(token.start, |b| b.start);
            let end = tokens.get(at + 1).map_or(token.end, |n| n.end);
            format!("Syntax error; token: \"{}\", near: \"{}\"", token.text, &source[start..end])
        }
        None => {
            let near = before.map_or("", |b| source[b.start..].trim_end());
            format!("Syntax error; token: \"<EOF>\", near: \"{near}\"")
        }
    }
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Splits an expression into tokens; a character DynamoDB's grammar has no use for is a syntax
/// error naming it.
pub fn tokenize(source: &str) -> Result<Vec<Token>, Error> {
    let mut tokens: Vec<Token> = Vec::new();
    let chars: Vec<(usize, char)> = source.char_indices().collect();
    let mut i = 0;
    let at = |i: usize| chars.get(i).map_or(source.len(), |(o, _)| *o);
    while let Some(&(start, c)) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let (kind, next) = match c {
            '#' | ':' => {
                let mut j = i + 1;
                while chars.get(j).is_some_and(|(_, c)| is_word_char(*c)) {
                    j += 1;
                }
                // A `#` or `:` with no name after it is a stray symbol.
                let kind = match (c, j > i + 1) {
                    (_, false) => TokenKind::Symbol,
                    ('#', true) => TokenKind::NamePlaceholder,
                    _ => TokenKind::ValuePlaceholder,
                };
                (kind, j)
            }
            c if c.is_ascii_digit() => {
                let mut j = i + 1;
                while chars.get(j).is_some_and(|(_, c)| c.is_ascii_digit()) {
                    j += 1;
                }
                // `12abc` is one bad word, not a number then a name.
                let kind = if chars.get(j).is_some_and(|(_, c)| is_word_char(*c)) { TokenKind::Word } else { TokenKind::Number };
                while chars.get(j).is_some_and(|(_, c)| is_word_char(*c)) {
                    j += 1;
                }
                (kind, j)
            }
            c if is_word_char(c) => {
                let mut j = i + 1;
                while chars.get(j).is_some_and(|(_, c)| is_word_char(*c)) {
                    j += 1;
                }
                (TokenKind::Word, j)
            }
            '<' | '>' => {
                let two = matches!((c, chars.get(i + 1).map(|(_, n)| *n)), ('<', Some('=' | '>')) | ('>', Some('=')));
                (TokenKind::Symbol, if two { i + 2 } else { i + 1 })
            }
            '(' | ')' | '[' | ']' | ',' | '.' | '=' | '+' | '-' => (TokenKind::Symbol, i + 1),
            _ => {
                let end = at(i + 1);
                tokens.push(Token { kind: TokenKind::Symbol, text: source[start..end].to_string(), start, end });
                return Err(syntax_error(source, &tokens, tokens.len() - 1));
            }
        };
        let end = at(next);
        tokens.push(Token { kind, text: source[start..end].to_string(), start, end });
        i = next;
    }
    Ok(tokens)
}

/// Whether `word` is one of DynamoDB's reserved words (any case): a bare attribute name that
/// is one is refused, a `#name` stands in for it.
pub fn is_reserved(word: &str) -> bool {
    let upper = word.to_ascii_uppercase();
    reserved_words().binary_search(&upper.as_str()).is_ok()
}

/// The reserved words, from DynamoDB's "Reserved words in DynamoDB" page, sorted.
fn reserved_words() -> &'static [&'static str] {
    static WORDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| include_str!("reserved-words.txt").split_whitespace().collect())
}

/// The `#names` and `:values` the request defines and those its expressions used, kept across
/// the request's expressions: DynamoDB refuses a placeholder none of them uses.
#[derive(Debug, Clone, Default)]
pub struct Placeholders<'r> {
    pub names: Option<&'r Map<String, Value>>,
    pub values: Option<&'r Map<String, Value>>,
    used: BTreeSet<String>,
}

impl<'r> Placeholders<'r> {
    /// The request's `ExpressionAttributeNames` and `ExpressionAttributeValues`.
    pub fn of_request(request: &'r Value) -> Placeholders<'r> {
        Placeholders {
            names: request.get("ExpressionAttributeNames").and_then(Value::as_object),
            values: request.get("ExpressionAttributeValues").and_then(Value::as_object),
            used: BTreeSet::new(),
        }
    }

    /// DynamoDB's refusal of what no expression used: `Value provided in
    /// ExpressionAttributeValues unused in expressions: keys: {:x}` (names first).
    pub fn unused(&self) -> Option<Error> {
        for (member, map) in [("ExpressionAttributeNames", self.names), ("ExpressionAttributeValues", self.values)] {
            let unused: Vec<&str> = map.into_iter().flat_map(|m| m.keys()).map(String::as_str).filter(|k| !self.used.contains(*k)).collect();
            if !unused.is_empty() {
                return Some(format!("Value provided in {member} unused in expressions: keys: {{{}}}", unused.join(", ")));
            }
        }
        None
    }
}

/// One step of a document path: a map member or a list element.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Member(String),
    Index(usize),
}

/// A document path (`a`, `#n`, `a.b[0]`), its names resolved: never empty, starting with a member.
pub type Path = Vec<Step>;

/// A path as DynamoDB's messages write it: `[a, b, [0]]`.
pub fn path_text(path: &[Step]) -> String {
    let steps: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Member(m) => m.clone(),
            Step::Index(i) => format!("[{i}]"),
        })
        .collect();
    format!("[{}]", steps.join(", "))
}

/// DynamoDB's refusal of two paths in one expression where one is a prefix of the other
/// (`a` and `a.b`, or the same path twice): projections and updates both refuse it.
pub fn refuse_overlap<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Result<(), Error> {
    let paths: Vec<&Path> = paths.into_iter().collect();
    for (i, p) in paths.iter().enumerate() {
        for q in &paths[..i] {
            let shorter = p.len().min(q.len());
            if p[..shorter] == q[..shorter] {
                return Err(format!(
                    "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: {}, path two: {}",
                    path_text(q),
                    path_text(p)
                ));
            }
        }
    }
    Ok(())
}

/// The top-level attribute a path starts at.
pub fn attribute(path: &[Step]) -> &str {
    match path.first() {
        Some(Step::Member(m)) => m,
        _ => "",
    }
}

/// A cursor over one expression's tokens.
pub struct Cursor<'p, 'r> {
    source: String,
    tokens: Vec<Token>,
    pos: usize,
    placeholders: &'p mut Placeholders<'r>,
}

impl<'p, 'r> Cursor<'p, 'r> {
    /// Tokenizes `source`; an empty expression is refused as DynamoDB refuses it.
    pub fn new(source: &str, placeholders: &'p mut Placeholders<'r>) -> Result<Cursor<'p, 'r>, Error> {
        let tokens = tokenize(source)?;
        if tokens.is_empty() {
            return Err("The expression can not be empty;".into());
        }
        Ok(Cursor { source: source.to_string(), tokens, pos: 0, placeholders })
    }

    pub fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    pub fn peek_at(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.pos + ahead)
    }

    /// Whether the next token is the symbol `symbol`.
    pub fn at_symbol(&self, symbol: &str) -> bool {
        self.peek().is_some_and(|t| t.kind == TokenKind::Symbol && t.text == symbol)
    }

    /// The next token's keyword, upper case, when it is a word (`and` → `AND`).
    pub fn keyword(&self) -> Option<String> {
        self.peek().filter(|t| t.kind == TokenKind::Word).map(|t| t.text.to_ascii_uppercase())
    }

    pub fn at_keyword(&self, keyword: &str) -> bool {
        self.keyword().as_deref() == Some(keyword)
    }

    /// A syntax error at the current token (or `<EOF>`).
    pub fn error(&self) -> Error {
        syntax_error(&self.source, &self.tokens, self.pos)
    }

    pub fn advance(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.pos).cloned();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    /// Consumes the symbol `symbol`, or fails on what is there.
    pub fn expect_symbol(&mut self, symbol: &str) -> Result<(), Error> {
        if self.at_symbol(symbol) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// Consumes the keyword `keyword` (any case), or fails on what is there.
    pub fn expect_keyword(&mut self, keyword: &str) -> Result<(), Error> {
        if self.at_keyword(keyword) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error())
        }
    }

    /// Fails unless every token was read.
    pub fn finish(&self) -> Result<(), Error> {
        if self.pos < self.tokens.len() { Err(self.error()) } else { Ok(()) }
    }

    /// Whether a function call starts here (`name(`).
    pub fn at_call(&self) -> bool {
        self.peek().is_some_and(|t| t.kind == TokenKind::Word) && self.peek_at(1).is_some_and(|t| t.kind == TokenKind::Symbol && t.text == "(")
    }

    /// The `:value` at the cursor, resolved.
    pub fn value(&mut self) -> Result<Value, Error> {
        match self.peek() {
            Some(t) if t.kind == TokenKind::ValuePlaceholder => {
                let name = t.text.clone();
                self.pos += 1;
                self.placeholders.used.insert(name.clone());
                self.placeholders
                    .values
                    .and_then(|v| v.get(&name))
                    .cloned()
                    .ok_or_else(|| format!("An expression attribute value used in expression is not defined; attribute value: {name}"))
            }
            _ => Err(self.error()),
        }
    }

    /// One name of a path: a bare word that is not reserved, or a `#name` resolved.
    fn path_name(&mut self) -> Result<String, Error> {
        let Some(token) = self.peek().cloned() else { return Err(self.error()) };
        match token.kind {
            TokenKind::NamePlaceholder => {
                self.pos += 1;
                self.placeholders.used.insert(token.text.clone());
                self.placeholders
                    .names
                    .and_then(|n| n.get(&token.text))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("An expression attribute name used in the document path is not defined; attribute name: {}", token.text))
            }
            TokenKind::Word if token.text.starts_with(|c: char| c.is_ascii_digit()) => Err(self.error()),
            TokenKind::Word if is_reserved(&token.text) => Err(format!("Attribute name is a reserved keyword; reserved keyword: {}", token.text)),
            TokenKind::Word => {
                self.pos += 1;
                Ok(token.text)
            }
            _ => Err(self.error()),
        }
    }

    /// A document path: `name`, `#name`, `a.b`, `a[0]`, `#a.b[1][2]`.
    pub fn path(&mut self) -> Result<Path, Error> {
        let mut path = vec![Step::Member(self.path_name()?)];
        loop {
            if self.at_symbol(".") {
                self.pos += 1;
                path.push(Step::Member(self.path_name()?));
            } else if self.at_symbol("[") {
                self.pos += 1;
                let index = match self.peek() {
                    Some(t) if t.kind == TokenKind::Number => t.text.parse::<usize>().map_err(|_| self.error())?,
                    _ => return Err(self.error()),
                };
                self.pos += 1;
                self.expect_symbol("]")?;
                path.push(Step::Index(index));
            } else {
                return Ok(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn tokens_keep_what_was_written_and_where() {
        let tokens = tokenize("SET #a.b[10] = :v + c<>d").unwrap();
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["SET", "#a", ".", "b", "[", "10", "]", "=", ":v", "+", "c", "<>", "d"]);
        assert_eq!(tokens[5].kind, TokenKind::Number);
        assert_eq!((tokens[1].start, tokens[1].end), (4, 6));
        assert_eq!(tokenize("a = :v ; b").unwrap_err(), "Syntax error; token: \";\", near: \":v ;\"");
        assert_eq!(tokenize("12ab").unwrap()[0].kind, TokenKind::Word);
    }

    #[test]
    fn syntax_errors_name_the_token_and_its_neighbours() {
        let source = "ADD hits : incr";
        let tokens = tokenize(source).unwrap();
        assert_eq!(syntax_error(source, &tokens, 2), "Syntax error; token: \":\", near: \"hits : incr\"");
        assert_eq!(syntax_error(source, &tokens, 0), "Syntax error; token: \"ADD\", near: \"ADD hits\"");
        assert_eq!(syntax_error(source, &tokens, 4), "Syntax error; token: \"<EOF>\", near: \"incr\"");
    }

    #[test]
    fn reserved_words_are_the_documented_list() {
        assert_eq!(reserved_words().len(), 573);
        assert!(reserved_words().windows(2).all(|w| w[0] < w[1]), "sorted, for the binary search");
        for word in ["status", "Status", "NAME", "size", "ttl", "total", "date", "ZONE", "ABORT"] {
            assert!(is_reserved(word), "{word}");
        }
        for word in ["orderId", "available", "customer", "pk", "sk", "etag"] {
            assert!(!is_reserved(word), "{word}");
        }
    }

    #[test]
    fn paths_resolve_names_and_remember_what_was_used() {
        let request = json!({"ExpressionAttributeNames": {"#s": "status", "#u": "unused"}, "ExpressionAttributeValues": {":v": {"S": "x"}}});
        let mut placeholders = Placeholders::of_request(&request);
        let mut cursor = Cursor::new("#s.a[2].b", &mut placeholders).unwrap();
        assert_eq!(
            cursor.path().unwrap(),
            vec![Step::Member("status".into()), Step::Member("a".into()), Step::Index(2), Step::Member("b".into())]
        );
        cursor.finish().unwrap();
        assert_eq!(placeholders.unused().as_deref(), Some("Value provided in ExpressionAttributeNames unused in expressions: keys: {#u}"));
        let cases: &[(&str, &str)] = &[
            ("status", "Attribute name is a reserved keyword; reserved keyword: status"),
            ("#nope", "An expression attribute name used in the document path is not defined; attribute name: #nope"),
            ("a.", "Syntax error; token: \"<EOF>\", near: \".\""),
            ("a[x]", "Syntax error; token: \"x\", near: \"[x]\""),
            ("a..b", "Syntax error; token: \".\", near: \"..b\""),
            ("", "The expression can not be empty;"),
        ];
        for (source, expected) in cases {
            let mut placeholders = Placeholders::of_request(&request);
            let result = Cursor::new(source, &mut placeholders).and_then(|mut c| c.path().and_then(|_| c.finish()));
            assert_eq!(result.unwrap_err(), *expected, "{source}");
        }
        assert_eq!(path_text(&[Step::Member("a".into()), Step::Index(0)]), "[a, [0]]");
    }
}
