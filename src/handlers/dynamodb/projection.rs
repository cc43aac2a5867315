//! DynamoDB's ProjectionExpression: a list of document paths (`id, #s, address.city, tags[0]`),
//! parsed through the shared [`super::expression::Cursor`]; an item projected keeps only what
//! they name, nested maps and lists kept around what was picked (list elements picked come back
//! in their order, packed, as DynamoDB returns them).

use serde_json::{Map, Value};

use super::expression::{Cursor, Error, Path, Placeholders, Step, refuse_overlap};
use super::value::{Item, resolve};

/// Parses a ProjectionExpression; the placeholders it uses are marked used.
pub fn parse(text: &str, placeholders: &mut Placeholders) -> Result<Vec<Path>, Error> {
    let mut c = Cursor::new(text, placeholders)?;
    let mut paths: Vec<Path> = vec![c.path()?];
    while c.at_symbol(",") {
        c.advance();
        paths.push(c.path()?);
    }
    c.finish()?;
    refuse_overlap(&paths)?;
    Ok(paths)
}

/// `item` with only what `paths` name (an attribute none names is left out; a path that reaches
/// nothing adds nothing).
pub fn apply(paths: &[Path], item: &Item) -> Item {
    let mut out = Map::new();
    // Paths into one list are kept in the list's order.
    let mut sorted: Vec<&Path> = paths.iter().collect();
    sorted.sort();
    for path in sorted {
        if let Some(value) = resolve(item, path) {
            insert(&mut out, path, value.clone());
        }
    }
    out
}

/// Writes `value` at `path` in `out`, making the maps and lists on the way.
fn insert(out: &mut Item, path: &[Step], value: Value) {
    let Some((Step::Member(first), rest)) = path.split_first() else { return };
    match rest.split_first() {
        None => {
            out.insert(first.clone(), value);
        }
        Some((next, _)) => {
            let holder = out.entry(first.clone()).or_insert_with(|| container(next));
            insert_into(holder, rest, value);
        }
    }
}

fn container(step: &Step) -> Value {
    match step {
        Step::Member(_) => serde_json::json!({"M": {}}),
        Step::Index(_) => serde_json::json!({"L": []}),
    }
}

/// Within an AttributeValue holder (`{"M": ...}` or `{"L": ...}`).
fn insert_into(holder: &mut Value, path: &[Step], value: Value) {
    let Some((step, rest)) = path.split_first() else { return };
    let slot = match step {
        Step::Member(name) => {
            let Some(map) = holder.get_mut("M").and_then(Value::as_object_mut) else { return };
            match rest.first() {
                None => {
                    map.insert(name.clone(), value);
                    return;
                }
                Some(next) => map.entry(name.clone()).or_insert_with(|| container(next)),
            }
        }
        Step::Index(_) => {
            let Some(list) = holder.get_mut("L").and_then(Value::as_array_mut) else { return };
            match rest.first() {
                None => {
                    list.push(value);
                    return;
                }
                Some(next) => {
                    list.push(container(next));
                    list.last_mut().expect("just pushed")
                }
            }
        }
    };
    insert_into(slot, rest, value);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn projections_keep_what_they_name() {
        let item = json!({"id": {"S": "1"}, "status": {"S": "OK"}, "address": {"M": {"city": {"S": "Oslo"}, "zip": {"S": "0150"}}},
            "tags": {"L": [{"S": "a"}, {"S": "b"}, {"S": "c"}]}, "other": {"N": "1"}});
        let request = json!({"ExpressionAttributeNames": {"#s": "status"}});
        let cases: &[(&str, Result<Value, &str>)] = &[
            ("id", Ok(json!({"id": {"S": "1"}}))),
            ("id, #s, address.city", Ok(json!({"id": {"S": "1"}, "status": {"S": "OK"}, "address": {"M": {"city": {"S": "Oslo"}}}}))),
            ("tags[2], tags[0]", Ok(json!({"tags": {"L": [{"S": "a"}, {"S": "c"}]}}))),
            ("gone, address.nowhere", Ok(json!({}))),
            ("id, id", Err("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [id], path two: [id]")),
            ("status", Err("Attribute name is a reserved keyword; reserved keyword: status")),
            ("id,", Err("Syntax error; token: \"<EOF>\", near: \",\"")),
        ];
        for (projection, expected) in cases {
            let mut placeholders = Placeholders::of_request(&request);
            let got = parse(projection, &mut placeholders).map(|paths| Value::Object(apply(&paths, item.as_object().unwrap())));
            match expected {
                Ok(want) => assert_eq!(got.as_ref(), Ok(want), "{projection}"),
                Err(want) => assert_eq!(got.unwrap_err(), *want, "{projection}"),
            }
        }
    }
}
