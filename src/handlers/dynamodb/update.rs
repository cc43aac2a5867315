//! DynamoDB's UpdateExpression: `SET a = :v, b.c[0] = b.c[0] + :n, d = if_not_exists(d, :z),
//! e = list_append(e, :l)`, `REMOVE a, b[1]`, `ADD n :v` (numbers add, sets union) and
//! `DELETE s :v` (set difference), each section at most once, on document paths. Parsed through
//! the shared [`super::expression::Cursor`], then applied to an item.

use serde_json::{Map, Value, json};

use super::expression::{Cursor, Error, Path, Placeholders, Step, TokenKind, refuse_overlap};
use super::value::{Item, number, number_value, resolve};

/// A SET value, its `:values` resolved at parse time.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(Path),
    IfNotExists(Path, Box<Operand>),
    ListAppend(Box<Operand>, Box<Operand>),
    Plus(Box<Operand>, Box<Operand>),
    Minus(Box<Operand>, Box<Operand>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Set(Path, Operand),
    Remove(Path),
    Add(Path, Value),
    Delete(Path, Value),
}

impl Action {
    pub fn path(&self) -> &Path {
        match self {
            Action::Set(p, _) | Action::Remove(p) | Action::Add(p, _) | Action::Delete(p, _) => p,
        }
    }
}

/// Parses an UpdateExpression; the placeholders it uses are marked used.
pub fn parse(text: &str, placeholders: &mut Placeholders) -> Result<Vec<Action>, Error> {
    let mut c = Cursor::new(text, placeholders)?;
    let mut actions = Vec::new();
    let mut sections: Vec<String> = Vec::new();
    while c.peek().is_some() {
        let section = c.keyword().filter(|k| matches!(k.as_str(), "SET" | "REMOVE" | "ADD" | "DELETE")).ok_or_else(|| c.error())?;
        if sections.contains(&section) {
            return Err(format!("The \"{section}\" section can only be used once in an update expression;"));
        }
        c.advance();
        loop {
            let path = c.path()?;
            actions.push(match section.as_str() {
                "SET" => {
                    c.expect_symbol("=")?;
                    Action::Set(path, value(&mut c)?)
                }
                "REMOVE" => Action::Remove(path),
                "ADD" => Action::Add(path, c.value()?),
                _ => Action::Delete(path, c.value()?),
            });
            if !c.at_symbol(",") {
                break;
            }
            c.advance();
        }
        sections.push(section);
    }
    refuse_overlap(actions.iter().map(|a| a.path()))?;
    Ok(actions)
}

/// `operand [+|- operand]`.
fn value(c: &mut Cursor) -> Result<Operand, Error> {
    let first = term(c)?;
    if c.at_symbol("+") || c.at_symbol("-") {
        let plus = c.at_symbol("+");
        c.advance();
        let second = term(c)?;
        return Ok(if plus { Operand::Plus(Box::new(first), Box::new(second)) } else { Operand::Minus(Box::new(first), Box::new(second)) });
    }
    Ok(first)
}

fn term(c: &mut Cursor) -> Result<Operand, Error> {
    if c.peek().is_some_and(|t| t.kind == TokenKind::ValuePlaceholder) {
        return c.value().map(Operand::Value);
    }
    if c.at_call() {
        let name = c.advance().map(|t| t.text).unwrap_or_default();
        c.advance();
        let operand = match name.as_str() {
            "if_not_exists" => {
                let path = c.path()?;
                c.expect_symbol(",")?;
                Operand::IfNotExists(path, Box::new(value(c)?))
            }
            "list_append" => {
                let a = value(c)?;
                c.expect_symbol(",")?;
                Operand::ListAppend(Box::new(a), Box::new(value(c)?))
            }
            other => return Err(format!("Invalid function name; function: {other}")),
        };
        c.expect_symbol(")")?;
        return Ok(operand);
    }
    c.path().map(Operand::Path)
}

fn set_of(v: &Value) -> Option<(&'static str, &Vec<Value>)> {
    ["SS", "NS", "BS"].into_iter().find_map(|k| v.get(k).and_then(Value::as_array).map(|a| (k, a)))
}

fn operand_type(v: &Value) -> &'static str {
    super::value::type_of(v).unwrap_or("?")
}

fn arithmetic(a: &Value, b: &Value, sign: f64, operator: &str) -> Result<Value, Error> {
    match (a.get("N").and_then(number), b.get("N").and_then(number)) {
        (Some(x), Some(y)) => Ok(number_value(x + sign * y)),
        _ => {
            let wrong = if a.get("N").is_none() { a } else { b };
            Err(format!("An operand in the update expression has an incorrect data type; operator or function: {operator}, operand type: {}", operand_type(wrong)))
        }
    }
}

fn evaluate(operand: &Operand, item: &Item) -> Result<Value, Error> {
    Ok(match operand {
        Operand::Value(v) => v.clone(),
        Operand::Path(p) => resolve(item, p).cloned().ok_or("The provided expression refers to an attribute that does not exist in the item")?,
        Operand::IfNotExists(p, fallback) => match resolve(item, p) {
            Some(v) => v.clone(),
            None => evaluate(fallback, item)?,
        },
        Operand::ListAppend(a, b) => {
            let (a, b) = (evaluate(a, item)?, evaluate(b, item)?);
            match (a.get("L").and_then(Value::as_array), b.get("L").and_then(Value::as_array)) {
                (Some(x), Some(y)) => json!({"L": x.iter().chain(y).cloned().collect::<Vec<_>>()}),
                _ => {
                    let wrong = if a.get("L").is_none() { &a } else { &b };
                    return Err(format!("An operand in the update expression has an incorrect data type; operator or function: list_append, operand type: {}", operand_type(wrong)));
                }
            }
        }
        Operand::Plus(a, b) => arithmetic(&evaluate(a, item)?, &evaluate(b, item)?, 1.0, "+")?,
        Operand::Minus(a, b) => arithmetic(&evaluate(a, item)?, &evaluate(b, item)?, -1.0, "-")?,
    })
}

const INVALID_PATH: &str = "The document path provided in the update expression is invalid for update";

/// The map or list that holds the last step of `path`, for writing.
fn parent_mut<'i>(item: &'i mut Item, path: &[Step]) -> Result<Option<&'i mut Value>, Error> {
    let Some((Step::Member(first), middle)) = path[..path.len() - 1].split_first().map(|(f, m)| (f.clone(), m)) else { return Ok(None) };
    let mut value = item.get_mut(&first).ok_or(INVALID_PATH)?;
    for step in middle {
        value = match step {
            Step::Member(name) => value.get_mut("M").and_then(|m| m.get_mut(name)).ok_or(INVALID_PATH)?,
            Step::Index(i) => value.get_mut("L").and_then(|l| l.get_mut(*i)).ok_or(INVALID_PATH)?,
        };
    }
    Ok(Some(value))
}

/// Writes `new` at `path`: a list index past the end appends, as DynamoDB does.
fn write(item: &mut Item, path: &[Step], new: Value) -> Result<(), Error> {
    let last = path.last().ok_or(INVALID_PATH)?.clone();
    match (parent_mut(item, path)?, last) {
        (None, Step::Member(name)) => {
            item.insert(name, new);
        }
        (Some(parent), Step::Member(name)) => {
            parent.get_mut("M").and_then(Value::as_object_mut).ok_or(INVALID_PATH)?.insert(name, new);
        }
        (Some(parent), Step::Index(i)) => {
            let list = parent.get_mut("L").and_then(Value::as_array_mut).ok_or(INVALID_PATH)?;
            if i < list.len() {
                list[i] = new;
            } else {
                list.push(new);
            }
        }
        (None, Step::Index(_)) => return Err(INVALID_PATH.into()),
    }
    Ok(())
}

/// Removes what is at `path`; nothing there is no error.
fn remove(item: &mut Item, path: &[Step]) -> Result<(), Error> {
    let Some(last) = path.last().cloned() else { return Ok(()) };
    match (parent_mut(item, path), last) {
        (Ok(None), Step::Member(name)) => {
            item.shift_remove(&name);
        }
        (Ok(Some(parent)), Step::Member(name)) => {
            if let Some(map) = parent.get_mut("M").and_then(Value::as_object_mut) {
                map.shift_remove(&name);
            }
        }
        (Ok(Some(parent)), Step::Index(i)) => {
            if let Some(list) = parent.get_mut("L").and_then(Value::as_array_mut).filter(|l| i < l.len()) {
                list.remove(i);
            }
        }
        _ => {}
    }
    Ok(())
}

fn set_value(kind: &str, elements: Vec<Value>) -> Value {
    let mut m = Map::new();
    m.insert(kind.to_string(), Value::Array(elements));
    Value::Object(m)
}

/// Applies the actions in order, each seeing the item as the previous ones left it (SET's
/// operands read the item as it was before the update, as DynamoDB evaluates them).
pub fn apply(actions: &[Action], item: &mut Item) -> Result<(), Error> {
    let before = item.clone();
    for action in actions {
        match action {
            Action::Set(path, operand) => {
                let value = evaluate(operand, &before)?;
                write(item, path, value)?;
            }
            Action::Remove(path) => remove(item, path)?,
            Action::Add(path, value) => {
                let new = match (resolve(item, path), value) {
                    (None, v) if v.get("N").is_some() || set_of(v).is_some() => v.clone(),
                    (Some(old), v) if old.get("N").is_some() && v.get("N").is_some() => arithmetic(old, v, 1.0, "ADD")?,
                    (Some(old), v) => match (set_of(old), set_of(v)) {
                        (Some((kind, a)), Some((kind2, b))) if kind == kind2 => {
                            let mut union = a.clone();
                            union.extend(b.iter().filter(|x| !a.contains(x)).cloned());
                            set_value(kind, union)
                        }
                        _ => return Err(format!("An operand in the update expression has an incorrect data type; operator or function: ADD, operand type: {}", operand_type(v))),
                    },
                    (None, v) => return Err(format!("Incorrect operand type for operator or function; operator: ADD, operand type: {}", operand_type(v))),
                };
                write(item, path, new)?;
            }
            Action::Delete(path, value) => {
                let Some((kind, remove_these)) = set_of(value) else {
                    return Err(format!("Incorrect operand type for operator or function; operator: DELETE, operand type: {}", operand_type(value)));
                };
                match resolve(item, path).map(set_of) {
                    None => {}
                    Some(Some((old_kind, elements))) if old_kind == kind => {
                        let left: Vec<Value> = elements.iter().filter(|e| !remove_these.contains(e)).cloned().collect();
                        if left.is_empty() {
                            remove(item, path)?;
                        } else {
                            write(item, path, set_value(kind, left))?;
                        }
                    }
                    Some(_) => return Err("An operand in the update expression has an incorrect data type; operator or function: DELETE".into()),
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(update, item before, item after or the error's start)`.
    type Case = (&'static str, Value, Result<Value, &'static str>);

    fn run(update: &str, item: &Value) -> Result<Value, String> {
        let request = json!({"ExpressionAttributeNames": {"#st": "status", "#n": "name"},
            "ExpressionAttributeValues": {":one": {"N": "1"}, ":s": {"S": "PAID"}, ":l": {"L": [{"S": "z"}]}, ":ab": {"SS": ["a", "b"]}, ":b": {"SS": ["b"]}, ":zero": {"N": "0"}}});
        let mut placeholders = Placeholders::of_request(&request);
        let actions = parse(update, &mut placeholders)?;
        let mut item = item.as_object().unwrap().clone();
        apply(&actions, &mut item)?;
        Ok(Value::Object(item))
    }

    #[test]
    fn updates_write_what_dynamodb_writes() {
        let item = json!({"id": {"S": "1"}, "n": {"N": "2"}, "m": {"M": {"a": {"N": "5"}, "l": {"L": [{"S": "x"}, {"S": "y"}]}}}, "tags": {"SS": ["a"]}});
        let cases: Vec<Case> = vec![
            ("SET #st = :s", item.clone(), Ok(json!({"id": {"S": "1"}, "n": {"N": "2"}, "m": {"M": {"a": {"N": "5"}, "l": {"L": [{"S": "x"}, {"S": "y"}]}}}, "tags": {"SS": ["a"]}, "status": {"S": "PAID"}}))),
            ("SET n = n + :one, m.a = m.a - :one", json!({"n": {"N": "2"}, "m": {"M": {"a": {"N": "5"}}}}), Ok(json!({"n": {"N": "3"}, "m": {"M": {"a": {"N": "4"}}}}))),
            ("SET m.l[1] = :s, m.l[9] = :s", json!({"m": {"M": {"l": {"L": [{"S": "x"}, {"S": "y"}]}}}}), Ok(json!({"m": {"M": {"l": {"L": [{"S": "x"}, {"S": "PAID"}, {"S": "PAID"}]}}}}))),
            ("REMOVE m.l[0], n", json!({"n": {"N": "2"}, "m": {"M": {"l": {"L": [{"S": "x"}, {"S": "y"}]}}}}), Ok(json!({"m": {"M": {"l": {"L": [{"S": "y"}]}}}}))),
            ("SET c = if_not_exists(c, :zero) + :one", json!({}), Ok(json!({"c": {"N": "1"}}))),
            ("SET l = list_append(if_not_exists(l, :l), :l)", json!({}), Ok(json!({"l": {"L": [{"S": "z"}, {"S": "z"}]}}))),
            ("ADD tags :ab, hits :one", json!({"tags": {"SS": ["a", "c"]}}), Ok(json!({"tags": {"SS": ["a", "c", "b"]}, "hits": {"N": "1"}}))),
            ("DELETE tags :b", json!({"tags": {"SS": ["a", "b"]}}), Ok(json!({"tags": {"SS": ["a"]}}))),
            ("DELETE tags :ab", json!({"tags": {"SS": ["a", "b"]}}), Ok(json!({}))),
            ("set #n = :s remove n", json!({"n": {"N": "1"}}), Ok(json!({"name": {"S": "PAID"}}))),
            // Errors, in DynamoDB's words.
            ("SET", json!({}), Err("Syntax error; token: \"<EOF>\", near: \"SET\"")),
            ("SET a = ", json!({}), Err("Syntax error; token: \"<EOF>\", near: \"=\"")),
            ("ADD hits : one", json!({}), Err("Syntax error; token: \":\", near: \"hits : one\"")),
            ("FROB a", json!({}), Err("Syntax error; token: \"FROB\", near: \"FROB a\"")),
            ("SET a = :s b", json!({}), Err("Syntax error; token: \"b\", near: \":s b\"")),
            ("SET a = :s, a = :s", json!({}), Err("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]")),
            ("SET m.a = :s REMOVE m", json!({}), Err("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, a], path two: [m]")),
            ("SET a = :s SET b = :s", json!({}), Err("The \"SET\" section can only be used once in an update expression;")),
            ("SET status = :s", json!({}), Err("Attribute name is a reserved keyword; reserved keyword: status")),
            ("SET a = frob(b)", json!({}), Err("Invalid function name; function: frob")),
            ("SET a = :nope", json!({}), Err("An expression attribute value used in expression is not defined; attribute value: :nope")),
            ("SET a = b", json!({}), Err("The provided expression refers to an attribute that does not exist in the item")),
            ("SET x.y = :s", json!({}), Err("The document path provided in the update expression is invalid for update")),
            ("SET n = n + :s", json!({"n": {"N": "1"}}), Err("An operand in the update expression has an incorrect data type; operator or function: +, operand type: S")),
            ("ADD tags :one", json!({"tags": {"SS": ["a"]}}), Err("An operand in the update expression has an incorrect data type; operator or function: ADD")),
            ("", json!({}), Err("The expression can not be empty;")),
        ];
        for (update, before, expected) in cases {
            match (run(update, &before), expected) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{update}"),
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{update}: {got}"),
                (got, want) => panic!("{update}: got {got:?}, expected {want:?}"),
            }
        }
    }
}
