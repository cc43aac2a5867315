//! DynamoDB's AttributeValues as the store holds them (typed JSON, `{"S": "x"}`, under the
//! model's type names `S N B SS NS BS M L NULL BOOL`): their type, equality and order as
//! DynamoDB compares them, reading a document path, checking a request's values in DynamoDB's
//! words, and the `aws-sdk:` integration's spelling of the type names (`Bool`, `Nul`, `Ss`).

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::expression::Step;

/// The data types an AttributeValue may hold (DynamoDB's "Data types" page).
pub const TYPES: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/// An item: attribute names to AttributeValues.
pub type Item = Map<String, Value>;

/// The AttributeValue's type member (`S`, `N`, ...).
pub fn type_of(v: &Value) -> Option<&'static str> {
    let map = v.as_object()?;
    TYPES.into_iter().find(|t| map.contains_key(*t))
}

/// A scalar's text, read leniently as the SDK's JSON reader does (`{"N": 5}` is `"5"`).
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn number(v: &Value) -> Option<f64> {
    text(v)?.trim().parse().ok()
}

/// A number's text as DynamoDB gives it back: no trailing `.0` for whole numbers.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// The value at `path` in `item`, if there is one.
pub fn resolve<'i>(item: &'i Item, path: &[Step]) -> Option<&'i Value> {
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

/// Whether two AttributeValues are equal as DynamoDB compares them: numbers by value, sets
/// regardless of order, lists and maps member by member.
pub fn equal(a: &Value, b: &Value) -> bool {
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
pub fn order(a: &Value, b: &Value) -> Option<Ordering> {
    let (ka, kb) = (type_of(a)?, type_of(b)?);
    match (ka, kb) {
        ("N", "N") => number(&a["N"])?.partial_cmp(&number(&b["N"])?),
        ("S", "S") | ("B", "B") => Some(text(&a[ka])?.as_bytes().cmp(text(&b[kb])?.as_bytes())),
        _ => None,
    }
}

/// A number AttributeValue.
pub fn number_value(n: f64) -> Value {
    json!({"N": number_text(n)})
}

/// Why `value` is not one of DynamoDB's AttributeValues, with DynamoDB's own words, if it is not.
/// The request reaches DynamoDB through the SDK's typed `AttributeValue`: a bare value (`"x"`,
/// `42`) or an object of none of the type members becomes an AttributeValue with no type set,
/// which DynamoDB refuses as empty; two types set, it refuses as ambiguous; an `N` that is no
/// number, as not convertible. `M` and `L` hold AttributeValues in turn.
pub fn problem(value: &Value) -> Option<&'static str> {
    const EMPTY: &str = "One or more parameter values were invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    let Value::Object(members) = value else { return Some(EMPTY) };
    let typed: Vec<(&String, &Value)> = members.iter().filter(|(k, _)| TYPES.contains(&k.as_str())).collect();
    let [(kind, inner)] = typed.as_slice() else {
        return Some(if typed.is_empty() {
            EMPTY
        } else {
            "One or more parameter values were invalid: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
        });
    };
    // The SDK reads a scalar member leniently, as Jackson does: a number or a boolean where
    // text is expected is its text (`{"N": 5}`, `{"S": 7}`), and `"true"`/`"false"` is a
    // boolean (`{"BOOL": "false"}`, as a published quorum sample writes it).
    let is_number = |v: &Value| text(v).is_some_and(|t| t.trim().parse::<f64>().is_ok_and(f64::is_finite));
    let boolean = |v: &Value| matches!(v, Value::Bool(_)) || matches!(v.as_str(), Some("true" | "false"));
    match (kind.as_str(), inner) {
        ("NULL", v) if v.as_bool() == Some(false) || v.as_str() == Some("false") => {
            Some("One or more parameter values were invalid: Null attribute value types must have the value of true")
        }
        ("S" | "B", v) if text(v).is_some() => None,
        ("BOOL" | "NULL", v) if boolean(v) => None,
        ("N", v) if is_number(v) => None,
        ("N", _) => Some("A value provided cannot be converted into a number"),
        ("NS", Value::Array(items)) if items.iter().all(is_number) => None,
        ("NS", _) => Some("A value provided cannot be converted into a number"),
        ("SS" | "BS", Value::Array(items)) if items.iter().all(|i| text(i).is_some()) => None,
        ("M", Value::Object(map)) => map.values().find_map(problem),
        ("L", Value::Array(items)) => items.iter().find_map(problem),
        _ => Some("One or more parameter values were invalid: An AttributeValue may not contain an empty or malformed value"),
    }
}

/// The `aws-sdk:` integration's names of the type members, as the AWS SDK for Java writes
/// them ([`crate::catalogue::service::sdk_member_name`]), beside the model's.
const SDK_TYPES: [(&str, &str); 5] = [("SS", "Ss"), ("NS", "Ns"), ("BS", "Bs"), ("NULL", "Nul"), ("BOOL", "Bool")];

/// Which spelling of the type members a value is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// The model's (`BOOL`, `SS`): the optimized integration and the store.
    Model,
    /// The AWS SDK for Java's (`Bool`, `Ss`): `aws-sdk:dynamodb:*`.
    Sdk,
}

/// `value` (an AttributeValue) respelled from `from` to `to`, its `M` and `L` members too. A
/// request is read in either spelling (the model's names pass through an SDK request as they
/// are), so converting to the model's names is lenient.
pub fn respell(value: &Value, to: Spelling) -> Value {
    let Value::Object(members) = value else { return value.clone() };
    let mut out = Map::new();
    for (kind, inner) in members {
        let name = match to {
            Spelling::Model => SDK_TYPES.iter().find(|(_, sdk)| sdk == kind).map_or(kind.as_str(), |(model, _)| model),
            Spelling::Sdk => SDK_TYPES.iter().find(|(model, _)| model == kind).map_or(kind.as_str(), |(_, sdk)| sdk),
        };
        let inner = match (name, inner) {
            ("M", Value::Object(map)) => Value::Object(respell_item(map, to)),
            ("L", Value::Array(items)) => Value::Array(items.iter().map(|v| respell(v, to)).collect()),
            _ => inner.clone(),
        };
        out.insert(name.to_string(), inner);
    }
    Value::Object(out)
}

/// Every attribute of `item` respelled.
pub fn respell_item(item: &Item, to: Spelling) -> Item {
    item.iter().map(|(k, v)| (k.clone(), respell(v, to))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_spelling_round_trips_nested_values() {
        let model = json!({"M": {"flag": {"BOOL": true}, "none": {"NULL": true}, "tags": {"SS": ["a"]}, "l": {"L": [{"NS": ["1"]}, {"S": "x"}]}}});
        let sdk = json!({"M": {"flag": {"Bool": true}, "none": {"Nul": true}, "tags": {"Ss": ["a"]}, "l": {"L": [{"Ns": ["1"]}, {"S": "x"}]}}});
        assert_eq!(respell(&model, Spelling::Sdk), sdk);
        assert_eq!(respell(&sdk, Spelling::Model), model);
        assert_eq!(respell(&model, Spelling::Model), model, "the model's names pass as they are");
    }

    #[test]
    fn equality_and_order_follow_dynamodb() {
        assert!(equal(&json!({"N": "20"}), &json!({"N": "20.0"})));
        assert!(equal(&json!({"SS": ["a", "b"]}), &json!({"SS": ["b", "a"]})));
        assert!(!equal(&json!({"S": "1"}), &json!({"N": "1"})));
        assert_eq!(order(&json!({"N": "9"}), &json!({"N": "10"})), Some(Ordering::Less));
        assert_eq!(order(&json!({"S": "9"}), &json!({"S": "10"})), Some(Ordering::Greater));
        assert_eq!(order(&json!({"S": "a"}), &json!({"N": "1"})), None);
    }
}
