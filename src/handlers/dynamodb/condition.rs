//! DynamoDB's condition language, used by ConditionExpression and FilterExpression (and
//! read by KeyConditionExpression, [`super::key_condition`]): comparisons (`= <> < <= > >=`),
//! `a BETWEEN x AND y`, `a IN (x, y)`, `AND`/`OR`/`NOT` with parentheses, and the functions
//! `attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`, `contains` and
//! `size`, over document paths (`a`, `#n`, `a.b[0]`). Stages: parse through the shared
//! [`super::expression::Cursor`] (placeholders resolved, errors in DynamoDB's words), then
//! evaluate against an item (absent item = empty map).

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::expression::{Cursor, Error, Path, Placeholders};
use super::value::{Item, TYPES, equal, order, resolve, text, type_of};

#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(Path),
    Size(Path),
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

impl Comparator {
    fn of(symbol: &str) -> Option<Comparator> {
        Some(match symbol {
            "=" => Comparator::Eq,
            "<>" => Comparator::Ne,
            "<" => Comparator::Lt,
            "<=" => Comparator::Le,
            ">" => Comparator::Gt,
            ">=" => Comparator::Ge,
            _ => return None,
        })
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Comparator::Eq => "=",
            Comparator::Ne => "<>",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    Compare(Comparator, Operand, Operand),
    Between(Operand, Operand, Operand),
    In(Operand, Vec<Operand>),
    Exists(Path),
    NotExists(Path),
    Type(Path, String),
    BeginsWith(Operand, Operand),
    Contains(Operand, Operand),
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    /// The top-level attributes the condition reads.
    pub fn attributes(&self) -> Vec<&str> {
        fn of(o: &Operand) -> Option<&str> {
            match o {
                Operand::Path(p) | Operand::Size(p) => Some(super::expression::attribute(p)),
                Operand::Value(_) => None,
            }
        }
        match self {
            Condition::Compare(_, a, b) | Condition::BeginsWith(a, b) | Condition::Contains(a, b) => [of(a), of(b)].into_iter().flatten().collect(),
            Condition::Between(a, b, c) => [of(a), of(b), of(c)].into_iter().flatten().collect(),
            Condition::In(a, list) => std::iter::once(a).chain(list).filter_map(of).collect(),
            Condition::Exists(p) | Condition::NotExists(p) | Condition::Type(p, _) => vec![super::expression::attribute(p)],
            Condition::And(a, b) | Condition::Or(a, b) => a.attributes().into_iter().chain(b.attributes()).collect(),
            Condition::Not(a) => a.attributes(),
        }
    }
}

/// Parses a condition (ConditionExpression, FilterExpression, KeyConditionExpression); the
/// placeholders it uses are marked used in `placeholders`.
pub fn parse(text: &str, placeholders: &mut Placeholders) -> Result<Condition, Error> {
    let mut cursor = Cursor::new(text, placeholders)?;
    let condition = or(&mut cursor)?;
    cursor.finish()?;
    Ok(condition)
}

fn or(c: &mut Cursor) -> Result<Condition, Error> {
    let mut left = and(c)?;
    while c.at_keyword("OR") {
        c.advance();
        left = Condition::Or(Box::new(left), Box::new(and(c)?));
    }
    Ok(left)
}

fn and(c: &mut Cursor) -> Result<Condition, Error> {
    let mut left = not(c)?;
    while c.at_keyword("AND") {
        c.advance();
        left = Condition::And(Box::new(left), Box::new(not(c)?));
    }
    Ok(left)
}

fn not(c: &mut Cursor) -> Result<Condition, Error> {
    if c.at_keyword("NOT") {
        c.advance();
        return Ok(Condition::Not(Box::new(not(c)?)));
    }
    primary(c)
}

fn primary(c: &mut Cursor) -> Result<Condition, Error> {
    if c.at_symbol("(") {
        c.advance();
        let inner = or(c)?;
        c.expect_symbol(")")?;
        return Ok(inner);
    }
    if c.at_call() && c.peek().is_some_and(|t| t.text != "size") {
        return function(c);
    }
    let left = operand(c)?;
    if let Some(comparator) = c.peek().and_then(|t| Comparator::of(&t.text)) {
        c.advance();
        return Ok(Condition::Compare(comparator, left, operand(c)?));
    }
    match c.keyword().as_deref() {
        Some("BETWEEN") => {
            c.advance();
            let low = operand(c)?;
            c.expect_keyword("AND")?;
            Ok(Condition::Between(left, low, operand(c)?))
        }
        Some("IN") => {
            c.advance();
            c.expect_symbol("(")?;
            let mut list = vec![operand(c)?];
            while c.at_symbol(",") {
                c.advance();
                list.push(operand(c)?);
            }
            c.expect_symbol(")")?;
            Ok(Condition::In(left, list))
        }
        _ => Err(c.error()),
    }
}

/// A function that is a condition: `name(` read, its arguments and `)` next.
fn function(c: &mut Cursor) -> Result<Condition, Error> {
    let name = c.advance().map(|t| t.text).unwrap_or_default();
    c.advance();
    let condition = match name.as_str() {
        "attribute_exists" => Condition::Exists(c.path()?),
        "attribute_not_exists" => Condition::NotExists(c.path()?),
        "attribute_type" => {
            let path = c.path()?;
            c.expect_symbol(",")?;
            let Operand::Value(kind) = operand(c)? else {
                return Err("Incorrect operand type for operator or function; operator or function: attribute_type, operand type: path".into());
            };
            let kind = kind.get("S").and_then(Value::as_str).ok_or("Incorrect operand type for operator or function; operator or function: attribute_type")?;
            if !TYPES.contains(&kind) {
                return Err(format!("Invalid attribute type name found; type: {kind}, valid types: {{ B,NULL,SS,BOOL,L,BS,N,NS,S,M }}"));
            }
            Condition::Type(path, kind.to_string())
        }
        "begins_with" | "contains" => {
            let subject = operand(c)?;
            c.expect_symbol(",")?;
            let argument = operand(c)?;
            if name == "begins_with"
                && let Operand::Value(v) = &argument
                && let Some(kind) = type_of(v).filter(|k| !matches!(*k, "S" | "B"))
            {
                return Err(format!("Incorrect operand type for operator or function; operator or function: begins_with, operand type: {kind}"));
            }
            if name == "begins_with" { Condition::BeginsWith(subject, argument) } else { Condition::Contains(subject, argument) }
        }
        other => return Err(format!("Invalid function name; function: {other}")),
    };
    c.expect_symbol(")")?;
    Ok(condition)
}

/// A value, a path or `size(path)`.
fn operand(c: &mut Cursor) -> Result<Operand, Error> {
    if c.peek().is_some_and(|t| t.kind == super::expression::TokenKind::ValuePlaceholder) {
        return c.value().map(Operand::Value);
    }
    if c.at_call() {
        let name = c.peek().map(|t| t.text.clone()).unwrap_or_default();
        if name != "size" {
            return Err(format!("Invalid function name; function: {name}"));
        }
        c.advance();
        c.advance();
        let path = c.path()?;
        c.expect_symbol(")")?;
        return Ok(Operand::Size(path));
    }
    c.path().map(Operand::Path)
}

/// The number of bytes a base64 text decodes to.
fn decoded_len(b64: &str) -> usize {
    let trimmed = b64.trim_end_matches('=');
    trimmed.len() * 3 / 4
}

fn operand_value(operand: &Operand, item: &Item) -> Option<Value> {
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
            Some(json!({"N": size.to_string()}))
        }
    }
}

/// Whether `condition` holds for `item` (an absent item is an empty one). A comparison with a
/// missing attribute, or across types, is false, except `<>`, which is true.
pub fn evaluate(condition: &Condition, item: &Item) -> bool {
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
                    type_of(&o) == Some(element) && a[set].as_array().is_some_and(|xs| xs.iter().any(|x| equal(&json!({element: x}), &o)))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `expression` against fixed placeholders and evaluates it on `item`.
    fn holds(expression: &str, item: Value) -> Result<bool, String> {
        let request = json!({"ExpressionAttributeNames": {"#st": "status", "#m": "meta", "#total": "total"},
            "ExpressionAttributeValues": {":paid": {"S": "PAID"}, ":new": {"S": "NEW"}, ":ten": {"N": "10"}, ":twenty": {"N": "20.0"}, ":two": {"N": "2"},
            ":pre": {"S": "ord"}, ":x": {"S": "x"}, ":num": {"N": "5"}, ":tS": {"S": "S"}, ":tN": {"S": "N"}, ":bad": {"S": "Q"}, ":one": {"N": "1"}}});
        let mut placeholders = Placeholders::of_request(&request);
        let condition = parse(expression, &mut placeholders)?;
        Ok(evaluate(&condition, item.as_object().unwrap()))
    }

    #[test]
    fn conditions_hold_as_dynamodb_evaluates_them() {
        let item = json!({"id": {"S": "order-1"}, "status": {"S": "PAID"}, "amount": {"N": "15"}, "tags": {"SS": ["x", "y"]},
            "parts": {"L": [{"S": "a"}, {"N": "5"}]}, "meta": {"M": {"author": {"S": "bob"}, "n": {"N": "2"}}}});
        let cases: &[(&str, bool)] = &[
            ("#st = :paid", true),
            ("#st <> :paid", false),
            ("#st = :new", false),
            ("gone <> :paid", true),
            ("gone = :paid", false),
            ("amount > :ten", true),
            ("amount >= :twenty", false),
            ("amount < :twenty AND amount <= :twenty", true),
            ("amount = :ten OR amount > :ten", true),
            ("NOT (amount > :ten)", false),
            ("not amount > :ten or #st = :paid", true),
            ("amount BETWEEN :ten AND :twenty", true),
            ("amount between :twenty and :ten", false),
            ("#st IN (:new, :paid)", true),
            ("#st IN (:new)", false),
            ("amount > :paid", false),
            ("attribute_exists(id)", true),
            ("attribute_not_exists(id)", false),
            ("attribute_not_exists(#m.gone)", true),
            ("attribute_exists(#m.author) AND #m.n = :two", true),
            ("parts[1] = :num", true),
            ("parts [ 1 ] = :num", true),
            ("attribute_exists(parts[2])", false),
            ("attribute_type(id, :tS)", true),
            ("attribute_type(amount, :tS)", false),
            ("attribute_type(amount, :tN)", true),
            ("begins_with(id, :pre)", true),
            ("begins_with(#st, :pre)", false),
            ("contains(tags, :x)", true),
            ("contains(id, :x)", false),
            ("contains(parts, :num)", true),
            ("contains(id, :pre)", true),
            ("size(tags) = :two", true),
            ("size(id) > :ten", false),
            ("size(#m) = :two AND size(parts) >= :two", true),
            ("size(gone) = :two", false),
            ("(#st = :new OR #st = :paid) AND (amount > :ten)", true),
            ("#total = :ten", false),
        ];
        for (expression, expected) in cases {
            assert_eq!(holds(expression, item.clone()), Ok(*expected), "{expression}");
        }
        // An absent item is an empty one.
        assert_eq!(holds("attribute_not_exists(id)", json!({})), Ok(true));
        assert_eq!(holds("#st <> :paid", json!({})), Ok(true));
        assert_eq!(holds("amount >= :one", json!({})), Ok(false));
    }

    #[test]
    fn invalid_conditions_are_refused_in_dynamodb_s_words() {
        let cases: &[(&str, &str)] = &[
            ("", "The expression can not be empty;"),
            ("#st =", "Syntax error; token: \"<EOF>\", near: \"=\""),
            ("#st = :undefined", "An expression attribute value used in expression is not defined; attribute value: :undefined"),
            ("#nope = :paid", "An expression attribute name used in the document path is not defined; attribute name: #nope"),
            ("frob(id)", "Invalid function name; function: frob"),
            ("#st = frob(id)", "Invalid function name; function: frob"),
            ("attribute_type(id, :bad)", "Invalid attribute type name found; type: Q"),
            ("begins_with(id, :ten)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
            ("amount BETWEEN :ten OR :twenty", "Syntax error; token: \"OR\", near: \":ten OR :twenty\""),
            ("(amount = :ten", "Syntax error; token: \"<EOF>\", near: \":ten\""),
            ("amount = :ten amount", "Syntax error; token: \"amount\", near: \":ten amount\""),
            ("a..b = :ten", "Syntax error; token: \".\", near: \"..b\""),
            ("a[x] = :ten", "Syntax error; token: \"x\", near: \"[x]\""),
            ("status = :paid", "Attribute name is a reserved keyword; reserved keyword: status"),
            ("total > :ten", "Attribute name is a reserved keyword; reserved keyword: total"),
            ("attribute_exists(name)", "Attribute name is a reserved keyword; reserved keyword: name"),
            ("#m.by = :x", "Attribute name is a reserved keyword; reserved keyword: by"),
            ("amount = 5", "Syntax error; token: \"5\", near: \"= 5\""),
            ("amount == :ten", "Syntax error; token: \"=\", near: \"== :ten\""),
        ];
        for (expression, expected) in cases {
            let error = holds(expression, json!({})).unwrap_err();
            assert!(error.starts_with(expected) || error.ends_with(expected), "{expression}: {error}");
        }
    }
}
