//! DynamoDB's KeyConditionExpression: read by the condition grammar ([`super::condition`]), then
//! held to what a Query accepts: an equality on the partition key, and optionally, joined by
//! `AND`, one condition on the sort key (`= < <= > >=`, `BETWEEN`, `begins_with`), with
//! DynamoDB's refusals ("Invalid operator used in KeyConditionExpression: OR", "Query condition
//! missed key schema element: id").

use serde_json::Value;

use super::condition::{self, Comparator, Condition, Operand};
use super::expression::{Error, Placeholders, Step};
use super::value::{Item, equal};

/// A Query's key condition: the partition key's name and value, and the sort key's condition.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyCondition {
    pub partition: (String, Value),
    pub sort: Option<(String, Condition)>,
}

impl KeyCondition {
    /// Whether `item` is in the partition and meets the sort key's condition.
    pub fn holds(&self, item: &Item) -> bool {
        let (name, value) = &self.partition;
        item.get(name).is_some_and(|v| equal(v, value)) && self.sort.as_ref().is_none_or(|(_, c)| condition::evaluate(c, item))
    }
}

/// The operator a term uses, as DynamoDB's refusal names it.
fn operator(c: &Condition) -> &'static str {
    match c {
        Condition::Compare(comparator, ..) => comparator.symbol(),
        Condition::Between(..) => "BETWEEN",
        Condition::In(..) => "IN",
        Condition::Exists(..) => "attribute_exists",
        Condition::NotExists(..) => "attribute_not_exists",
        Condition::Type(..) => "attribute_type",
        Condition::BeginsWith(..) => "begins_with",
        Condition::Contains(..) => "contains",
        Condition::And(..) => "AND",
        Condition::Or(..) => "OR",
        Condition::Not(..) => "NOT",
    }
}

fn terms(c: Condition, out: &mut Vec<Condition>) {
    match c {
        Condition::And(a, b) => {
            terms(*a, out);
            terms(*b, out);
        }
        other => out.push(other),
    }
}

/// The top-level attribute a term constrains, when it is a key condition's shape: a path of one
/// step, compared to values.
fn attribute_of(term: &Condition) -> Option<&str> {
    fn top(o: &Operand) -> Option<&str> {
        match o {
            Operand::Path(p) => match p.as_slice() {
                [Step::Member(name)] => Some(name.as_str()),
                _ => None,
            },
            _ => None,
        }
    }
    let value = |o: &Operand| matches!(o, Operand::Value(_));
    match term {
        Condition::Compare(_, a, b) if value(b) => top(a),
        Condition::Between(a, low, high) if value(low) && value(high) => top(a),
        Condition::BeginsWith(a, b) if value(b) => top(a),
        _ => None,
    }
}

/// Parses a KeyConditionExpression against the key schema `key` (partition key, then sort key);
/// with no known schema (a table created on use, an index), the attribute held equal is the
/// partition key and the other the sort key.
pub fn parse(text: &str, placeholders: &mut Placeholders, key: &[String]) -> Result<KeyCondition, Error> {
    let mut list = Vec::new();
    terms(condition::parse(text, placeholders)?, &mut list);
    if let Some(bad) = list.iter().find(|t| matches!(t, Condition::Or(..) | Condition::Not(..) | Condition::In(..) | Condition::Contains(..)
        | Condition::Exists(..) | Condition::NotExists(..) | Condition::Type(..) | Condition::Compare(Comparator::Ne, ..)))
    {
        return Err(format!("Invalid operator used in KeyConditionExpression: {}", operator(bad)));
    }
    if list.len() > 2 {
        return Err("Conditions can be of length 1 or 2 only".into());
    }
    let mut named = Vec::new();
    for term in &list {
        let name = attribute_of(term).ok_or("Query key condition not supported")?;
        if named.iter().any(|(n, _): &(String, &Condition)| n == name) {
            return Err("KeyConditionExpressions must only contain one condition per key".into());
        }
        named.push((name.to_string(), term));
    }
    let is_equality = |t: &Condition| matches!(t, Condition::Compare(Comparator::Eq, ..));
    let partition_name = match key.first() {
        Some(pk) => pk.clone(),
        None => named.iter().find(|(_, t)| is_equality(t)).map(|(n, _)| n.clone()).ok_or("Query key condition not supported")?,
    };
    let Some(position) = named.iter().position(|(n, _)| *n == partition_name) else {
        return Err(format!("Query condition missed key schema element: {partition_name}"));
    };
    let (_, partition_term) = named.remove(position);
    let Condition::Compare(Comparator::Eq, _, Operand::Value(value)) = partition_term else {
        return Err("Query key condition not supported".into());
    };
    let sort = match named.pop() {
        None => None,
        Some((name, term)) => {
            if key.len() == 2 && key[1] != name || key.len() == 1 {
                return Err(format!("Query condition missed key schema element: {}", key.get(1).map_or(name.as_str(), String::as_str)));
            }
            Some((name, term.clone()))
        }
    };
    Ok(KeyCondition { partition: (partition_name, value.clone()), sort })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_conditions_select_a_partition_and_a_sort_key_range() {
        let request = json!({"ExpressionAttributeNames": {"#d": "date"},
            "ExpressionAttributeValues": {":c": {"S": "c1"}, ":lo": {"S": "2024-01"}, ":hi": {"S": "2024-03"}, ":p": {"S": "2024-02"}}});
        let key = vec!["customer".to_string(), "date".to_string()];
        let item = |customer: &str, date: &str| json!({"customer": {"S": customer}, "date": {"S": date}}).as_object().unwrap().clone();
        // (expression, [(customer, date, selected)]) or the refusal.
        let cases: &[(&str, Result<&[(&str, &str, bool)], &str>)] = &[
            ("customer = :c", Ok(&[("c1", "2024-05", true), ("c2", "2024-05", false)])),
            ("customer = :c AND #d BETWEEN :lo AND :hi", Ok(&[("c1", "2024-02-10", true), ("c1", "2024-04", false), ("c1", "2023-12", false)])),
            ("#d < :p and customer = :c", Ok(&[("c1", "2024-01-31", true), ("c1", "2024-02", false)])),
            ("customer = :c AND begins_with(#d, :p)", Ok(&[("c1", "2024-02-29", true), ("c1", "2024-03-01", false)])),
            ("customer = :c OR #d = :p", Err("Invalid operator used in KeyConditionExpression: OR")),
            ("customer IN (:c)", Err("Invalid operator used in KeyConditionExpression: IN")),
            ("customer = :c AND contains(#d, :p)", Err("Invalid operator used in KeyConditionExpression: contains")),
            ("customer <> :c", Err("Invalid operator used in KeyConditionExpression: <>")),
            ("#d = :p", Err("Query condition missed key schema element: customer")),
            ("customer > :c", Err("Query key condition not supported")),
            ("customer = :c AND colour = :p", Err("Query condition missed key schema element: date")),
            ("customer = :c AND customer = :c", Err("KeyConditionExpressions must only contain one condition per key")),
            ("customer = :c AND #d > :lo AND #d < :hi", Err("Conditions can be of length 1 or 2 only")),
            ("customer = :c AND", Err("Syntax error; token: \"<EOF>\", near: \"AND\"")),
        ];
        for (expression, expected) in cases {
            let mut placeholders = Placeholders::of_request(&request);
            let parsed = parse(expression, &mut placeholders, &key);
            match (parsed, expected) {
                (Ok(condition), Ok(rows)) => {
                    for (customer, date, selected) in rows.iter() {
                        assert_eq!(condition.holds(&item(customer, date)), *selected, "{expression} on {customer} {date}");
                    }
                }
                (Err(got), Err(want)) => assert_eq!(got, *want, "{expression}"),
                (got, want) => panic!("{expression}: got {got:?}, expected {want:?}"),
            }
        }
        // No schema known: the equality names the partition key.
        let mut placeholders = Placeholders::of_request(&request);
        let learned = parse("#d > :lo AND customer = :c", &mut placeholders, &[]).unwrap();
        assert_eq!(learned.partition.0, "customer");
        assert_eq!(learned.sort.as_ref().map(|(n, _)| n.as_str()), Some("date"));
    }
}
