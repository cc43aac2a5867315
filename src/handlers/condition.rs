//! DynamoDB's ConditionExpression, as DynamoDB defines it: comparisons (`= <> < <= > >=`),
//! `a BETWEEN x AND y`, `a IN (x, y)`, `AND`/`OR`/`NOT` with parentheses, and the functions
//! `attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`, `contains` and
//! `size`, over document paths (`a`, `#n`, `a.b[0]`). Stages: tokenize, parse (`#names` and
//! `:values` resolved, errors in DynamoDB's words), evaluate against an item (absent item = empty
//! map). Also [`unused_placeholders`]: DynamoDB refuses `ExpressionAttributeNames`/`Values` no
//! expression uses.

use std::cmp::Ordering;

use serde_json::{Map, Value};

/// One step of a document path: a map member or a list element.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Member(String),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(Vec<Step>),
    Size(Vec<Step>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Comparator, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Exists(Vec<Step>),
    NotExists(Vec<Step>),
    Type(Vec<Step>, String),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

const TYPES: [&str; 10] = ["S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"];

fn tokenize(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' | ')' | ',' | '=' => tokens.push(c.to_string()),
            '<' | '>' => {
                let mut token = c.to_string();
                if let Some(&n) = chars.peek()
                    && (n == '=' || (c == '<' && n == '>'))
                {
                    token.push(n);
                    chars.next();
                }
                tokens.push(token);
            }
            c => {
                let mut word = c.to_string();
                while let Some(&n) = chars.peek() {
                    if n.is_whitespace() || "(),=<>".contains(n) {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                tokens.push(word);
            }
        }
    }
    tokens
}

fn keyword(token: &str) -> Option<String> {
    let upper = token.to_ascii_uppercase();
    matches!(upper.as_str(), "AND" | "OR" | "NOT" | "BETWEEN" | "IN").then_some(upper)
}

struct Parser<'a> {
    tokens: Vec<String>,
    pos: usize,
    names: Option<&'a Map<String, Value>>,
    values: Option<&'a Map<String, Value>>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&str> {
        self.tokens.get(self.pos).map(String::as_str)
    }

    fn peek_keyword(&self) -> Option<String> {
        self.peek().and_then(keyword)
    }

    fn next(&mut self) -> Result<String, String> {
        let token = self.tokens.get(self.pos).cloned().ok_or("Syntax error; token: <EOF>, near: \"\"")?;
        self.pos += 1;
        Ok(token)
    }

    fn expect(&mut self, wanted: &str) -> Result<(), String> {
        let token = self.next()?;
        if token == wanted { Ok(()) } else { Err(format!("Syntax error; token: \"{token}\", near: \"{wanted}\"")) }
    }

    fn or(&mut self) -> Result<Condition, String> {
        let mut left = self.and()?;
        while self.peek_keyword().as_deref() == Some("OR") {
            self.pos += 1;
            left = Condition::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Condition, String> {
        let mut left = self.not()?;
        while self.peek_keyword().as_deref() == Some("AND") {
            self.pos += 1;
            left = Condition::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Condition, String> {
        if self.peek_keyword().as_deref() == Some("NOT") {
            self.pos += 1;
            return Ok(Condition::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Condition, String> {
        if self.peek() == Some("(") {
            self.pos += 1;
            let inner = self.or()?;
            self.expect(")")?;
            return Ok(inner);
        }
        let token = self.peek().ok_or("Syntax error; token: <EOF>, near: \"\"")?.to_string();
        let call = self.tokens.get(self.pos + 1).map(String::as_str) == Some("(");
        if call && token != "size" {
            self.pos += 2;
            let condition = match token.as_str() {
                "attribute_exists" => Condition::Exists(self.path()?),
                "attribute_not_exists" => Condition::NotExists(self.path()?),
                "attribute_type" => {
                    let path = self.path()?;
                    self.expect(",")?;
                    let Operand::Value(kind) = self.operand()? else {
                        return Err("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: path".into());
                    };
                    let kind = kind.get("S").and_then(Value::as_str).ok_or("Incorrect operand type for operator or function; operator or function: attribute_type")?;
                    if !TYPES.contains(&kind) {
                        return Err(format!("Invalid attribute type name found; type: {kind}, valid types: {{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }}"));
                    }
                    Condition::Type(path, kind.to_string())
                }
                "begins_with" | "contains" => {
                    let subject = self.operand()?;
                    self.expect(",")?;
                    let operand = self.operand()?;
                    if token == "begins_with"
                        && let Operand::Value(v) = &operand
                        && let Some(kind) = type_of(v).filter(|k| !matches!(*k, "S" | "B"))
                    {
                        return Err(format!("Incorrect operand type for operator or function; operator or function: begins_with, operand type: {kind}"));
                    }
                    if token == "begins_with" { Condition::BeginsWith(subject, operand) } else { Condition::Contains(subject, operand) }
                }
                other => return Err(format!("Invalid function name; function: {other}")),
            };
            self.expect(")")?;
            return Ok(condition);
        }
        let left = self.operand()?;
        let token = self.next()?;
        let comparator = match token.as_str() {
            "=" => Comparator::Eq,
            "<>" => Comparator::Ne,
            "<" => Comparator::Lt,
            "<=" => Comparator::Le,
            ">" => Comparator::Gt,
            ">=" => Comparator::Ge,
            _ => match keyword(&token).as_deref() {
                Some("BETWEEN") => {
                    let low = self.operand()?;
                    let and = self.next()?;
                    if keyword(&and).as_deref() != Some("AND") {
                        return Err(format!("Syntax error; token: \"{and}\", near: \"AND\""));
                    }
                    return Ok(Condition::Between(left, low, self.operand()?));
                }
                Some("IN") => {
                    self.expect("(")?;
                    let mut list = vec![self.operand()?];
                    while self.peek() == Some(",") {
                        self.pos += 1;
                        list.push(self.operand()?);
                    }
                    self.expect(")")?;
                    return Ok(Condition::In(left, list));
                }
                _ => return Err(format!("Syntax error; token: \"{token}\"")),
            },
        };
        Ok(Condition::Compare(comparator, left, self.operand()?))
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let token = self.peek().ok_or("Syntax error; token: <EOF>, near: \"\"")?.to_string();
        if token.starts_with(':') {
            self.pos += 1;
            return self
                .values
                .and_then(|v| v.get(&token))
                .cloned()
                .map(Operand::Value)
                .ok_or_else(|| format!("An expression attribute value used in expression is not defined; attribute value: {token}"));
        }
        if token == "size" && self.tokens.get(self.pos + 1).map(String::as_str) == Some("(") {
            self.pos += 2;
            let path = self.path()?;
            self.expect(")")?;
            return Ok(Operand::Size(path));
        }
        Ok(Operand::Path(self.path()?))
    }

    /// A document path: `name`, `#name`, `a.b`, `a[0]`, `#a.b[1][2]`.
    fn path(&mut self) -> Result<Vec<Step>, String> {
        let token = self.next()?;
        let syntax = || format!("Syntax error; token: \"{token}\"");
        if keyword(&token).is_some() || token.starts_with(':') || "(),=<>".contains(token.as_str()) {
            return Err(syntax());
        }
        let mut steps = Vec::new();
        for part in token.split('.') {
            let (name, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
            let member = if name.starts_with('#') {
                self.names
                    .and_then(|n| n.get(name))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("An expression attribute name used in the document path is not defined; attribute name: {name}"))?
            } else if !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                name.to_string()
            } else {
                return Err(syntax());
            };
            steps.push(Step::Member(member));
            while let Some(inner) = rest.strip_prefix('[') {
                let close = inner.find(']').ok_or_else(syntax)?;
                steps.push(Step::Index(inner[..close].parse().map_err(|_| syntax())?));
                rest = &inner[close + 1..];
            }
            if !rest.is_empty() {
                return Err(syntax());
            }
        }
        Ok(steps)
    }
}

/// Parses a ConditionExpression; `:values` and `#names` are resolved now.
pub fn parse(text: &str, names: Option<&Map<String, Value>>, values: Option<&Map<String, Value>>) -> Result<Condition, String> {
    let mut p = Parser { tokens: tokenize(text), pos: 0, names, values };
    if p.tokens.is_empty() {
        return Err("Syntax error; token: <EOF>, near: \"\"".into());
    }
    let condition = p.or()?;
    match p.peek() {
        Some(token) => Err(format!("Syntax error; token: \"{token}\"")),
        None => Ok(condition),
    }
}

/// The AttributeValue's type member (`S`, `N`, ...), read as the store holds it.
fn type_of(v: &Value) -> Option<&'static str> {
    let map = v.as_object()?;
    TYPES.into_iter().find(|t| map.contains_key(*t))
}

fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn number(v: &Value) -> Option<f64> {
    text(v)?.trim().parse().ok()
}

/// The value at `path` in `item`, if there is one.
fn resolve<'i>(item: &'i Map<String, Value>, path: &[Step]) -> Option<&'i Value> {
    let (Step::Member(first), rest) = path.split_first()? else { return None };
    let mut value = item.get(first)?;
    for step in rest {
        value = match step {
            Step::Member(name) => value.get("M")?.get(name)?,
            Step::Index(i) => value.get("L")?.get(*i)?,
        };
    }
    Some(value)
}

/// The number of bytes a base64 text decodes to.
fn decoded_len(b64: &str) -> usize {
    let trimmed = b64.trim_end_matches('=');
    trimmed.len() * 3 / 4
}

fn operand_value(operand: &Operand, item: &Map<String, Value>) -> Option<Value> {
    match operand {
        Operand::Value(v) => Some(v.clone()),
        Operand::Path(path) => resolve(item, path).cloned(),
        Operand::Size(path) => {
            let v = resolve(item, path)?;
            let size = match type_of(v)? {
                "S" => text(&v["S"])?.chars().count(),
                "B" => decoded_len(&text(&v["B"])?),
                kind @ ("SS" | "NS" | "BS" | "L") => v[kind].as_array()?.len(),
                "M" => v["M"].as_object()?.len(),
                _ => return None,
            };
            Some(serde_json::json!({"N": size.to_string()}))
        }
    }
}

/// Whether two AttributeValues are equal as DynamoDB compares them: numbers by value, sets
/// regardless of order, lists and maps member by member.
fn equal(a: &Value, b: &Value) -> bool {
    let (Some(ka), Some(kb)) = (type_of(a), type_of(b)) else { return false };
    if ka != kb {
        return false;
    }
    let (x, y) = (&a[ka], &b[kb]);
    match ka {
        "N" => number(x).is_some_and(|n| Some(n) == number(y)),
        "S" | "B" => text(x).is_some() && text(x) == text(y),
        "BOOL" | "NULL" => text(x) == text(y),
        "SS" | "BS" | "NS" => {
            let (Some(x), Some(y)) = (x.as_array(), y.as_array()) else { return false };
            let same = |p: &Value, q: &Value| if ka == "NS" { number(p).is_some() && number(p) == number(q) } else { text(p) == text(q) };
            x.len() == y.len() && x.iter().all(|p| y.iter().any(|q| same(p, q)))
        }
        "L" => match (x.as_array(), y.as_array()) {
            (Some(x), Some(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| equal(p, q)),
            _ => false,
        },
        _ => match (x.as_object(), y.as_object()) {
            (Some(x), Some(y)) => x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| equal(v, w))),
            _ => false,
        },
    }
}

/// The order of two scalars of the same type (numbers by value, strings by UTF-8 bytes,
/// binaries by their base64 text); none across types or for other types.
fn order(a: &Value, b: &Value) -> Option<Ordering> {
    let (ka, kb) = (type_of(a)?, type_of(b)?);
    match (ka, kb) {
        ("N", "N") => number(&a["N"])?.partial_cmp(&number(&b["N"])?),
        ("S", "S") | ("B", "B") => Some(text(&a[ka])?.as_bytes().cmp(text(&b[kb])?.as_bytes())),
        _ => None,
    }
}

/// Whether `condition` holds for `item` (an absent item is an empty one). A comparison with a
/// missing attribute, or across types, is false, except `<>`, which is true.
pub fn evaluate(condition: &Condition, item: &Map<String, Value>) -> bool {
    let get = |o: &Operand| operand_value(o, item);
    match condition {
        Condition::Compare(comparator, a, b) => {
            let (a, b) = (get(a), get(b));
            let (Some(a), Some(b)) = (a, b) else { return *comparator == Comparator::Ne };
            match comparator {
                Comparator::Eq => equal(&a, &b),
                Comparator::Ne => !equal(&a, &b),
                Comparator::Lt => order(&a, &b) == Some(Ordering::Less),
                Comparator::Le => matches!(order(&a, &b), Some(Ordering::Less | Ordering::Equal)),
                Comparator::Gt => order(&a, &b) == Some(Ordering::Greater),
                Comparator::Ge => matches!(order(&a, &b), Some(Ordering::Greater | Ordering::Equal)),
            }
        }
        Condition::Between(a, low, high) => match (get(a), get(low), get(high)) {
            (Some(a), Some(low), Some(high)) => {
                matches!(order(&a, &low), Some(Ordering::Greater | Ordering::Equal)) && matches!(order(&a, &high), Some(Ordering::Less | Ordering::Equal))
            }
            _ => false,
        },
        Condition::In(a, list) => get(a).is_some_and(|a| list.iter().any(|o| get(o).is_some_and(|v| equal(&a, &v)))),
        Condition::Exists(path) => resolve(item, path).is_some(),
        Condition::NotExists(path) => resolve(item, path).is_none(),
        Condition::Type(path, kind) => resolve(item, path).and_then(type_of) == Some(kind.as_str()),
        Condition::BeginsWith(a, prefix) => match (get(a), get(prefix)) {
            (Some(a), Some(p)) => match (type_of(&a), type_of(&p)) {
                (Some(ka @ ("S" | "B")), Some(kp)) if ka == kp => text(&a[ka]).zip(text(&p[kp])).is_some_and(|(s, p)| s.starts_with(&p)),
                _ => false,
            },
            _ => false,
        },
        Condition::Contains(a, operand) => match (get(a), get(operand)) {
            (Some(a), Some(o)) => match type_of(&a) {
                Some("S") => type_of(&o) == Some("S") && text(&a["S"]).zip(text(&o["S"])).is_some_and(|(s, o)| s.contains(&o)),
                Some(set @ ("SS" | "NS" | "BS")) => {
                    let element = &set[..1];
                    type_of(&o) == Some(element) && a[set].as_array().is_some_and(|xs| xs.iter().any(|x| equal(&serde_json::json!({element: x}), &o)))
                }
                Some("L") => a["L"].as_array().is_some_and(|xs| xs.iter().any(|x| equal(x, &o))),
                _ => false,
            },
            _ => false,
        },
        Condition::And(a, b) => evaluate(a, item) && evaluate(b, item),
        Condition::Or(a, b) => evaluate(a, item) || evaluate(b, item),
        Condition::Not(a) => !evaluate(a, item),
    }
}

/// The `#names` and `:values` of the request's maps that none of `expressions` uses, as
/// DynamoDB refuses them: `Value provided in ExpressionAttributeValues unused in expressions:
/// keys: {:x}`. `None` when every one is used.
pub fn unused_placeholders(expressions: &[&str], names: Option<&Map<String, Value>>, values: Option<&Map<String, Value>>) -> Option<String> {
    let mut used = Vec::new();
    for expression in expressions {
        let mut chars = expression.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if c == '#' || c == ':' {
                let mut end = start + 1;
                while let Some(&(i, n)) = chars.peek() {
                    if !(n.is_alphanumeric() || n == '_') {
                        break;
                    }
                    end = i + n.len_utf8();
                    chars.next();
                }
                used.push(&expression[start..end]);
            }
        }
    }
    for (member, map) in [("ExpressionAttributeNames", names), ("ExpressionAttributeValues", values)] {
        let unused: Vec<&str> = map.into_iter().flat_map(|m| m.keys()).map(String::as_str).filter(|k| !used.contains(k)).collect();
        if !unused.is_empty() {
            return Some(format!("Value provided in {member} unused in expressions: keys: {{{}}}", unused.join(", ")));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn holds(expression: &str, item: Value) -> Result<bool, String> {
        let names = json!({"#st": "status", "#m": "meta"});
        let values = json!({":paid": {"S": "PAID"}, ":new": {"S": "NEW"}, ":ten": {"N": "10"}, ":twenty": {"N": "20.0"}, ":two": {"N": "2"},
            ":pre": {"S": "ord"}, ":x": {"S": "x"}, ":num": {"N": "5"}, ":tS": {"S": "S"}, ":tN": {"S": "N"}, ":bad": {"S": "Q"}, ":one": {"N": "1"}});
        let condition = parse(expression, names.as_object(), values.as_object())?;
        Ok(evaluate(&condition, item.as_object().unwrap()))
    }

    #[test]
    fn conditions_hold_as_dynamodb_evaluates_them() {
        let item = json!({"id": {"S": "order-1"}, "status": {"S": "PAID"}, "total": {"N": "15"}, "tags": {"SS": ["x", "y"]},
            "lines": {"L": [{"S": "a"}, {"N": "5"}]}, "meta": {"M": {"by": {"S": "bob"}, "n": {"N": "2"}}}});
        let cases: &[(&str, bool)] = &[
            ("#st = :paid", true),
            ("#st <> :paid", false),
            ("#st = :new", false),
            ("missing <> :paid", true),
            ("missing = :paid", false),
            ("total > :ten", true),
            ("total >= :twenty", false),
            ("total < :twenty AND total <= :twenty", true),
            ("total = :ten OR total > :ten", true),
            ("NOT (total > :ten)", false),
            ("not total > :ten or #st = :paid", true),
            ("total BETWEEN :ten AND :twenty", true),
            ("total between :twenty and :ten", false),
            ("#st IN (:new, :paid)", true),
            ("#st IN (:new)", false),
            ("total > :paid", false),
            ("attribute_exists(id)", true),
            ("attribute_not_exists(id)", false),
            ("attribute_not_exists(#m.missing)", true),
            ("attribute_exists(#m.by) AND #m.n = :two", true),
            ("lines[1] = :num", true),
            ("attribute_exists(lines[2])", false),
            ("attribute_type(id, :tS)", true),
            ("attribute_type(total, :tS)", false),
            ("attribute_type(total, :tN)", true),
            ("begins_with(id, :pre)", true),
            ("begins_with(#st, :pre)", false),
            ("contains(tags, :x)", true),
            ("contains(id, :x)", false),
            ("contains(lines, :num)", true),
            ("contains(id, :pre)", true),
            ("size(tags) = :two", true),
            ("size(id) > :ten", false),
            ("size(#m) = :two AND size(lines) >= :two", true),
            ("size(missing) = :two", false),
            ("(#st = :new OR #st = :paid) AND (total > :ten)", true),
        ];
        for (expression, expected) in cases {
            assert_eq!(holds(expression, item.clone()), Ok(*expected), "{expression}");
        }
        // An absent item is an empty one.
        assert_eq!(holds("attribute_not_exists(id)", json!({})), Ok(true));
        assert_eq!(holds("#st <> :paid", json!({})), Ok(true));
        assert_eq!(holds("total >= :one", json!({})), Ok(false));
    }

    #[test]
    fn invalid_conditions_are_refused_in_dynamodb_s_words() {
        let cases: &[(&str, &str)] = &[
            ("", "Syntax error; token: <EOF>"),
            ("#st =", "Syntax error; token: <EOF>"),
            ("#st = :undefined", "An expression attribute value used in expression is not defined; attribute value: :undefined"),
            ("#nope = :paid", "An expression attribute name used in the document path is not defined; attribute name: #nope"),
            ("frob(id)", "Invalid function name; function: frob"),
            ("attribute_type(id, :bad)", "Invalid attribute type name found; type: Q"),
            ("begins_with(id, :ten)", "operator or function: begins_with, operand type: N"),
            ("total BETWEEN :ten OR :twenty", "Syntax error; token: \"OR\""),
            ("(total = :ten", "Syntax error; token: <EOF>"),
            ("total = :ten total", "Syntax error; token: \"total\""),
            ("a..b = :ten", "Syntax error; token: \"a..b\""),
            ("a[x] = :ten", "Syntax error; token: \"a[x]\""),
        ];
        for (expression, expected) in cases {
            let error = holds(expression, json!({})).unwrap_err();
            assert!(error.contains(expected), "{expression}: {error}");
        }
    }

    #[test]
    fn placeholders_no_expression_uses_are_named() {
        let names = json!({"#a": "a", "#b": "b"});
        let values = json!({":v": {"S": "v"}, ":w": {"S": "w"}});
        let (names, values) = (names.as_object(), values.as_object());
        assert_eq!(unused_placeholders(&["SET #a = :v", "#b <> :w"], names, values), None);
        assert_eq!(unused_placeholders(&["SET #a = :v, #b = :v"], names, values).as_deref(), Some("Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}"));
        assert_eq!(unused_placeholders(&["SET #a = :v", ":w = :w"], names, values).as_deref(), Some("Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}"));
        assert_eq!(unused_placeholders(&[], None, None), None);
    }
}
