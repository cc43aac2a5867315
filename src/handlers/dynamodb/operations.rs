//! DynamoDB's operations over the store's tables, for both integrations: the optimized
//! `arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem` and the AWS SDK's
//! `arn:aws:states:::aws-sdk:dynamodb:*` (those, plus `query`, `scan`, `batchGetItem`,
//! `batchWriteItem` and `transactWriteItems`). One implementation; the integration decides only
//! how errors are named (`DynamoDB.ConditionalCheckFailedException` in the optimized one,
//! `DynamoDb.ConditionalCheckFailedException` in the SDK's, whose unmodelled errors such as
//! ValidationException are its base `DynamoDb.DynamoDbException`) and how AttributeValues' type
//! members are spelled (`BOOL` / `Bool`, [`super::value::Spelling`]).
//!
//! A request is checked as DynamoDB checks it: its AttributeValues, then its expressions
//! (syntax, placeholders, reserved words, in [`super::expression`]), then the placeholders no
//! expression used, and only then the table.

use serde_json::{Map, Value, json};

use super::condition::{self, Condition};
use super::expression::{Kind, Path, Placeholders};
use super::key_condition::{self, KeyCondition};
use super::value::{self, Item, Spelling};
use super::{projection, update};
use crate::asl::error::StatesError;
use crate::handlers::services::{ServiceStore, Table, service_error};

/// Which integration a call came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Integration {
    /// `arn:aws:states:::dynamodb:*`.
    Optimized,
    /// `arn:aws:states:::aws-sdk:dynamodb:*`.
    Sdk,
}

/// The operations served, by the resource's action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    GetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    Query,
    Scan,
    BatchGetItem,
    BatchWriteItem,
    TransactWriteItems,
}

impl Operation {
    pub const ALL: [Operation; 9] = [
        Operation::GetItem,
        Operation::PutItem,
        Operation::UpdateItem,
        Operation::DeleteItem,
        Operation::Query,
        Operation::Scan,
        Operation::BatchGetItem,
        Operation::BatchWriteItem,
        Operation::TransactWriteItems,
    ];

    /// The resource's action (`getItem`).
    pub fn action(self) -> &'static str {
        match self {
            Operation::GetItem => "getItem",
            Operation::PutItem => "putItem",
            Operation::UpdateItem => "updateItem",
            Operation::DeleteItem => "deleteItem",
            Operation::Query => "query",
            Operation::Scan => "scan",
            Operation::BatchGetItem => "batchGetItem",
            Operation::BatchWriteItem => "batchWriteItem",
            Operation::TransactWriteItems => "transactWriteItems",
        }
    }

    /// Whether the optimized integration has it (Step Functions' optimized DynamoDB integration
    /// is the four item calls).
    pub fn optimized(self) -> bool {
        matches!(self, Operation::GetItem | Operation::PutItem | Operation::UpdateItem | Operation::DeleteItem)
    }

    /// The operation and integration a resource names, if this module serves it.
    pub fn of_resource(resource: &str) -> Option<(Operation, Integration)> {
        let (integration, action) = if let Some(a) = resource.strip_prefix("arn:aws:states:::aws-sdk:dynamodb:") {
            (Integration::Sdk, a)
        } else {
            (Integration::Optimized, resource.strip_prefix("arn:aws:states:::dynamodb:")?)
        };
        let operation = Operation::ALL.into_iter().find(|o| o.action() == action)?;
        (integration == Integration::Sdk || operation.optimized()).then_some((operation, integration))
    }
}

/// Why a call failed, before the integration names it.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// A ConditionExpression that did not hold.
    ConditionalCheck,
    /// Any other DynamoDB error: its code (`ValidationException`, `ResourceNotFoundException`)
    /// and message.
    Service(&'static str, String),
}

fn validation(message: impl Into<String>) -> Failure {
    Failure::Service("ValidationException", message.into())
}

fn not_found() -> Failure {
    Failure::Service("ResourceNotFoundException", "Requested resource not found".into())
}

impl Integration {
    /// The error Step Functions reports for `failure`, with the SDK's cause text.
    pub fn error(self, failure: Failure) -> StatesError {
        let (code, message) = match failure {
            Failure::ConditionalCheck => ("ConditionalCheckFailedException", "The conditional request failed".to_string()),
            Failure::Service(code, message) => (code, message),
        };
        match self {
            // The optimized integration calls through the AWS SDK for Java 1.x: an unmodelled
            // error is its AmazonDynamoDBException.
            Integration::Optimized => {
                let name = if code == "ValidationException" { "AmazonDynamoDBException" } else { code };
                service_error("DynamoDB", name, &message, "AmazonDynamoDBv2", 400, code)
            }
            // The AWS SDK integrations call through the AWS SDK for Java 2.x: an unmodelled
            // error is the service's base DynamoDbException.
            Integration::Sdk => {
                let name = if code == "ValidationException" { "DynamoDbException" } else { code };
                StatesError::new(
                    format!("DynamoDb.{name}"),
                    format!("{message} (Service: DynamoDb, Status Code: 400, Request ID: 00000000000000000000000000000000000000000000000000000000)"),
                )
            }
        }
    }
}

/// Runs `operation` on `store`: the request and the answer in the integration's spelling.
pub fn call(store: &mut ServiceStore, operation: Operation, integration: Integration, input: &Value) -> Result<Value, StatesError> {
    let request = respell_members(input, Spelling::Model);
    let result = match operation {
        Operation::GetItem => get_item(store, &request),
        Operation::PutItem => put_item(store, &request),
        Operation::UpdateItem => update_item(store, &request),
        Operation::DeleteItem => delete_item(store, &request),
        Operation::Query => read(store, &request, true),
        Operation::Scan => read(store, &request, false),
        Operation::BatchGetItem => batch_get_item(store, &request),
        Operation::BatchWriteItem => batch_write_item(store, &request),
        Operation::TransactWriteItems => transact_write_items(store, &request),
    };
    let result = result.map_err(|f| integration.error(f))?;
    Ok(match integration {
        Integration::Optimized => result,
        Integration::Sdk => respell_members(&result, Spelling::Sdk),
    })
}

/// The members that hold an item (or a key) of AttributeValues.
const ITEM_MEMBERS: [&str; 6] = ["Item", "Key", "Attributes", "ExclusiveStartKey", "LastEvaluatedKey", "ExpressionAttributeValues"];

/// Every AttributeValue of a request or an answer respelled ([`value::respell`]): the items and
/// keys under [`ITEM_MEMBERS`], `Items`, `Keys` and batch `Responses`, however deep.
fn respell_members(v: &Value, to: Spelling) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let respelled = match (k.as_str(), v) {
                        (m, Value::Object(item)) if ITEM_MEMBERS.contains(&m) => Value::Object(value::respell_item(item, to)),
                        ("Items" | "Keys", Value::Array(items)) => Value::Array(items.iter().map(|i| value::respell(&json!({"M": i}), to)["M"].clone()).collect()),
                        ("Responses", Value::Object(tables)) => Value::Object(
                            tables.iter().map(|(t, items)| (t.clone(), respell_members(&json!({"Items": items}), to)["Items"].clone())).collect(),
                        ),
                        _ => respell_members(v, to),
                    };
                    (k.clone(), respelled)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| respell_members(i, to)).collect()),
        other => other.clone(),
    }
}

/// Each AttributeValue of the request's `members` checked before anything else is done, as
/// DynamoDB validates a request before it reads a table.
fn check_attribute_values(input: &Value, members: &[&str]) -> Result<(), Failure> {
    for member in members {
        if let Some(Value::Object(map)) = input.get(*member)
            && let Some(problem) = map.values().find_map(value::problem)
        {
            return Err(validation(problem));
        }
    }
    Ok(())
}

/// A request's expressions, parsed, with DynamoDB's placeholder checks.
#[derive(Debug, Default)]
struct Expressions {
    condition: Option<Condition>,
    filter: Option<Condition>,
    update: Option<Vec<update::Action>>,
    projection: Option<Vec<Path>>,
    key: Option<KeyCondition>,
}

fn text_of<'v>(input: &'v Value, kind: Kind) -> Option<&'v str> {
    input.get(kind.member()).and_then(Value::as_str)
}

/// Parses the request's expressions of `kinds` (the operation's), with `key` the table's key
/// schema for a KeyConditionExpression; then refuses placeholders none used, and maps with no
/// expression at all.
fn expressions(input: &Value, kinds: &[Kind], key: &[String]) -> Result<Expressions, Failure> {
    let mut placeholders = Placeholders::of_request(input);
    let mut out = Expressions::default();
    let present: Vec<Kind> = kinds.iter().copied().filter(|k| text_of(input, *k).is_some()).collect();
    if present.is_empty() {
        for (member, map) in [("ExpressionAttributeNames", placeholders.names), ("ExpressionAttributeValues", placeholders.values)] {
            if map.is_some() {
                return Err(validation(format!("{member} can only be specified when using expressions")));
            }
        }
    }
    for kind in present {
        let text = text_of(input, kind).unwrap_or_default();
        let invalid = |e: String| validation(format!("Invalid {}: {e}", kind.member()));
        match kind {
            Kind::Condition => out.condition = Some(condition::parse(text, &mut placeholders).map_err(invalid)?),
            Kind::Filter => out.filter = Some(condition::parse(text, &mut placeholders).map_err(invalid)?),
            Kind::Update => out.update = Some(update::parse(text, &mut placeholders).map_err(invalid)?),
            Kind::Projection => out.projection = Some(projection::parse(text, &mut placeholders).map_err(invalid)?),
            Kind::KeyCondition => out.key = Some(key_condition::parse(text, &mut placeholders, key).map_err(invalid)?),
        }
    }
    if let Some(unused) = placeholders.unused() {
        return Err(validation(unused));
    }
    Ok(out)
}

/// Fails as DynamoDB does when the request's condition does not hold for the item as stored
/// before the write (`None`: no such item, an empty one).
fn check_condition(condition: Option<&Condition>, item: Option<&Item>) -> Result<(), Failure> {
    let empty = Map::new();
    match condition {
        Some(c) if !condition::evaluate(c, item.unwrap_or(&empty)) => Err(Failure::ConditionalCheck),
        _ => Ok(()),
    }
}

fn table_name(input: &Value) -> Result<&str, Failure> {
    input
        .get("TableName")
        .and_then(Value::as_str)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"))
}

/// The table the request names (created, empty, on first use when the store does that). A
/// table created on use learns its key from the first request's `Key`.
fn table<'s>(store: &'s mut ServiceStore, name: &str, key: Option<&Map<String, Value>>) -> Result<&'s mut Table, Failure> {
    if store.create_tables_on_use && !store.tables.contains_key(name) {
        store.tables.insert(name.to_string(), Table::default());
    }
    let table = store.tables.get_mut(name).ok_or_else(not_found)?;
    if table.key.is_empty()
        && let Some(key) = key
    {
        table.key = key.keys().cloned().collect();
    }
    Ok(table)
}

/// The table's known key schema, without creating anything.
fn known_key(store: &ServiceStore, name: &str) -> Vec<String> {
    store.tables.get(name).map(|t| t.key.clone()).unwrap_or_default()
}

/// The item's key attributes must match `key` exactly (names and typed values).
fn key_of(table: &Table, key: &Map<String, Value>) -> Result<Item, Failure> {
    if key.len() != table.key.len() || table.key.iter().any(|k| !key.contains_key(k)) {
        return Err(validation("The provided key element does not match the schema"));
    }
    Ok(table.key.iter().map(|k| (k.clone(), key[k].clone())).collect())
}

fn position(table: &Table, key: &Item) -> Option<usize> {
    table.items.iter().position(|item| key.iter().all(|(k, v)| item.get(k).is_some_and(|w| value::equal(v, w))))
}

fn key_param(input: &Value) -> Result<&Map<String, Value>, Failure> {
    input
        .get("Key")
        .and_then(Value::as_object)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"))
}

/// `ReturnValues`, among those the operation allows.
fn return_values<'v>(input: &'v Value, allowed: &[&str]) -> Result<&'v str, Failure> {
    let chosen = input.get("ReturnValues").and_then(Value::as_str).unwrap_or("NONE");
    if allowed.contains(&chosen) {
        Ok(chosen)
    } else if allowed.len() == 2 {
        Err(validation("ReturnValues can only be ALL_OLD or NONE"))
    } else {
        Err(validation(format!(
            "1 validation error detected: Value '{chosen}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
            allowed.join(", ")
        )))
    }
}

fn with_attributes(attributes: Option<Item>) -> Value {
    let mut result = Map::new();
    if let Some(attributes) = attributes.filter(|a| !a.is_empty()) {
        result.insert("Attributes".into(), Value::Object(attributes));
    }
    Value::Object(result)
}

fn get_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    check_attribute_values(input, &["Key"])?;
    let found = expressions(input, &[Kind::Projection], &[])?;
    let table = table(store, table_name(input)?, input.get("Key").and_then(Value::as_object))?;
    let key = key_of(table, key_param(input)?)?;
    let mut result = Map::new();
    if let Some(i) = position(table, &key) {
        let item = &table.items[i];
        let item = match &found.projection {
            Some(paths) => projection::apply(paths, item),
            None => item.clone(),
        };
        result.insert("Item".into(), Value::Object(item));
    }
    Ok(Value::Object(result))
}

fn put_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    check_attribute_values(input, &["Item", "ExpressionAttributeValues"])?;
    let returns = return_values(input, &["NONE", "ALL_OLD"])?;
    let found = expressions(input, &[Kind::Condition], &[])?;
    let table = table(store, table_name(input)?, None)?;
    let item = input
        .get("Item")
        .and_then(Value::as_object)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"))?;
    if let Some(missing) = table.key.iter().find(|k| !item.contains_key(*k)) {
        return Err(validation(format!("One or more parameter values were invalid: Missing the key {missing} in the item")));
    }
    // A seeded table nobody named a key of yet: the item replaces the one it shares the
    // attribute that tells the items apart with (`page_key_names`), else joins them.
    let schema = if table.key.is_empty() { page_key_names(table, &[]) } else { table.key.clone() };
    let at = match schema.iter().map(|k| item.get(k).map(|v| (k.clone(), v.clone()))).collect::<Option<Item>>() {
        Some(key) if !key.is_empty() => position(table, &key),
        _ => None,
    };
    check_condition(found.condition.as_ref(), at.map(|i| &table.items[i]))?;
    let old = match at {
        Some(i) => Some(std::mem::replace(&mut table.items[i], item.clone())),
        None => {
            table.items.push(item.clone());
            None
        }
    };
    Ok(with_attributes(old.filter(|_| returns == "ALL_OLD")))
}

fn delete_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    check_attribute_values(input, &["Key", "ExpressionAttributeValues"])?;
    let returns = return_values(input, &["NONE", "ALL_OLD"])?;
    let found = expressions(input, &[Kind::Condition], &[])?;
    let table = table(store, table_name(input)?, input.get("Key").and_then(Value::as_object))?;
    let key = key_of(table, key_param(input)?)?;
    let at = position(table, &key);
    check_condition(found.condition.as_ref(), at.map(|i| &table.items[i]))?;
    let old = at.map(|i| table.items.remove(i));
    Ok(with_attributes(old.filter(|_| returns == "ALL_OLD")))
}

fn update_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    check_attribute_values(input, &["Key", "ExpressionAttributeValues"])?;
    let returns = return_values(input, &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"])?;
    let found = expressions(input, &[Kind::Update, Kind::Condition], &[])?;
    let table = table(store, table_name(input)?, input.get("Key").and_then(Value::as_object))?;
    let key = key_of(table, key_param(input)?)?;
    let actions = found.update.unwrap_or_default();
    if let Some(action) = actions.iter().find(|a| table.key.iter().any(|k| k == super::expression::attribute(a.path()))) {
        return Err(validation(format!(
            "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
            super::expression::attribute(action.path())
        )));
    }
    let at = position(table, &key);
    check_condition(found.condition.as_ref(), at.map(|i| &table.items[i]))?;
    let old = at.map(|i| table.items[i].clone());
    let mut item = old.clone().unwrap_or_else(|| key.clone());
    update::apply(&actions, &mut item).map_err(|e| validation(e))?;
    match at {
        Some(i) => table.items[i] = item.clone(),
        None => table.items.push(item.clone()),
    }
    let touched: Vec<Path> = actions.iter().map(|a| a.path().clone()).collect();
    let attributes = match returns {
        // An item the update created had no old attributes.
        "ALL_OLD" => old,
        "ALL_NEW" => Some(item),
        "UPDATED_OLD" => old.map(|o| projection::apply(&touched, &o)),
        "UPDATED_NEW" => Some(projection::apply(&touched, &item)),
        _ => None,
    };
    Ok(with_attributes(attributes))
}

/// The attributes that say where a page stopped: the table's key, and an index's key
/// attributes; for a table whose key nobody named yet, the first attribute every item holds
/// with a different value (a seeded table read before any request named its key).
fn page_key_names(table: &Table, index: &[String]) -> Vec<String> {
    let mut names = table.key.clone();
    if names.is_empty() {
        let first = table.items.first().into_iter().flat_map(|i| i.keys());
        let distinct = |name: &String| {
            let values: Vec<&Value> = table.items.iter().filter_map(|i| i.get(name)).collect();
            values.len() == table.items.len() && values.iter().enumerate().all(|(i, v)| values[..i].iter().all(|w| !value::equal(v, w)))
        };
        names.extend(first.filter(|n| distinct(n)).take(1).cloned());
    }
    for name in index {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

fn limit_of(input: &Value) -> Result<Option<usize>, Failure> {
    match input.get("Limit") {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => Ok(Some(n as usize)),
            _ => Err(validation(format!("1 validation error detected: Value '{v}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"))),
        },
    }
}

/// Query (`keyed`) and Scan: the items read in order from the exclusive start key, at most
/// `Limit` of them, then filtered; `Count`, `ScannedCount`, `LastEvaluatedKey` when the limit
/// stopped the read, `Select` COUNT, ProjectionExpression.
fn read(store: &mut ServiceStore, input: &Value, keyed: bool) -> Result<Value, Failure> {
    check_attribute_values(input, &["ExpressionAttributeValues", "ExclusiveStartKey"])?;
    let name = table_name(input)?;
    let index = input.get("IndexName").and_then(Value::as_str);
    let schema = if index.is_some() { Vec::new() } else { known_key(store, name) };
    let mut kinds = vec![Kind::Filter, Kind::Projection];
    if keyed {
        if text_of(input, Kind::KeyCondition).is_none() {
            return Err(validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."));
        }
        kinds.insert(0, Kind::KeyCondition);
    }
    let found = expressions(input, &kinds, &schema)?;
    let select = input.get("Select").and_then(Value::as_str).unwrap_or(if found.projection.is_some() { "SPECIFIC_ATTRIBUTES" } else { "ALL_ATTRIBUTES" });
    if select == "COUNT" && found.projection.is_some() {
        return Err(validation("Cannot specify the ProjectionExpression when choosing to get only the Count"));
    }
    let limit = limit_of(input)?;
    let segment = match (input.get("Segment").and_then(Value::as_u64), input.get("TotalSegments").and_then(Value::as_u64)) {
        (Some(s), Some(t)) if s < t => Some((s as usize, t as usize)),
        (None, None) => None,
        _ => return Err(validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")),
    };
    let table = table(store, name, None)?;
    let key_condition = found.key.as_ref();
    if let Some(kc) = key_condition
        && index.is_none()
        && table.key.is_empty()
    {
        // A table created on use or seeded learns its key from the first query naming it.
        table.key = std::iter::once(kc.partition.0.clone()).chain(kc.sort.as_ref().map(|(n, _)| n.clone())).collect();
    }
    if let (Some(kc), Some(filter)) = (key_condition, &found.filter) {
        // The key condition's attributes, and the table's key when the query reads the table.
        let table_key = if index.is_none() { table.key.as_slice() } else { &[] };
        let keys: Vec<&str> = std::iter::once(kc.partition.0.as_str()).chain(kc.sort.as_ref().map(|(n, _)| n.as_str())).chain(table_key.iter().map(String::as_str)).collect();
        if let Some(key) = filter.attributes().into_iter().find(|a| keys.contains(a)) {
            return Err(validation(format!("Filter Expression can only contain non-primary key attributes: Primary key attribute: {key}")));
        }
    }
    let index_key: Vec<String> = match (index, key_condition) {
        (Some(_), Some(kc)) => std::iter::once(kc.partition.0.clone()).chain(kc.sort.as_ref().map(|(n, _)| n.clone())).collect(),
        _ => Vec::new(),
    };
    let mut candidates: Vec<&Item> = table
        .items
        .iter()
        .enumerate()
        .filter(|(i, _)| segment.is_none_or(|(s, t)| i % t == s))
        .map(|(_, item)| item)
        .filter(|item| key_condition.is_none_or(|kc| kc.holds(item)))
        .collect();
    let sort_key = key_condition.and_then(|kc| kc.sort.as_ref().map(|(n, _)| n.clone())).or_else(|| if keyed { table.key.get(1).cloned() } else { None });
    if let Some(sort) = &sort_key {
        candidates.sort_by(|a, b| match (a.get(sort), b.get(sort)) {
            (Some(x), Some(y)) => value::order(x, y).unwrap_or(std::cmp::Ordering::Equal),
            _ => std::cmp::Ordering::Equal,
        });
        if keyed && input.get("ScanIndexForward").and_then(Value::as_bool) == Some(false) {
            candidates.reverse();
        }
    }
    let page_key = page_key_names(table, &index_key);
    let key_values = |item: &Item| -> Item { page_key.iter().filter_map(|k| item.get(k).map(|v| (k.clone(), v.clone()))).collect() };
    let start = match input.get("ExclusiveStartKey").and_then(Value::as_object) {
        None => 0,
        Some(start_key) => {
            let matches = |item: &&Item| start_key.iter().all(|(k, v)| item.get(k).is_some_and(|w| value::equal(v, w)));
            match candidates.iter().position(|i| matches(i)) {
                Some(i) => i + 1,
                // The item is gone: resume after where it would sort, or nowhere.
                None => match sort_key.as_ref().and_then(|s| start_key.get(s).map(|v| (s, v))) {
                    Some((s, v)) => candidates.iter().position(|i| i.get(s).and_then(|w| value::order(w, v)) == Some(std::cmp::Ordering::Greater)).unwrap_or(candidates.len()),
                    None => candidates.len(),
                },
            }
        }
    };
    let rest = &candidates[start.min(candidates.len())..];
    let scanned: &[&Item] = match limit {
        Some(n) if n < rest.len() || n == rest.len() => &rest[..n],
        _ => rest,
    };
    let stopped = limit.is_some_and(|n| scanned.len() == n);
    let matched: Vec<&Item> = scanned.iter().copied().filter(|item| found.filter.as_ref().is_none_or(|f| condition::evaluate(f, item))).collect();
    let mut result = Map::new();
    if select != "COUNT" {
        let items: Vec<Value> = matched
            .iter()
            .map(|item| Value::Object(match &found.projection {
                Some(paths) => projection::apply(paths, item),
                None => (*item).clone(),
            }))
            .collect();
        result.insert("Items".into(), Value::Array(items));
    }
    result.insert("Count".into(), json!(matched.len()));
    result.insert("ScannedCount".into(), json!(scanned.len()));
    if stopped && let Some(last) = scanned.last() {
        result.insert("LastEvaluatedKey".into(), Value::Object(key_values(last)));
    }
    Ok(Value::Object(result))
}

fn request_items(input: &Value) -> Result<&Map<String, Value>, Failure> {
    input
        .get("RequestItems")
        .and_then(Value::as_object)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null"))
}

/// Each table's keys read, with its own ProjectionExpression; nothing left unprocessed.
fn batch_get_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    let requests = request_items(input)?;
    let total: usize = requests.values().map(|r| r.get("Keys").and_then(Value::as_array).map_or(0, Vec::len)).sum();
    if total > 100 {
        return Err(validation("Too many items requested for the BatchGetItem call"));
    }
    let mut responses = Map::new();
    for (name, request) in requests {
        let keys = request.get("Keys").and_then(Value::as_array).cloned().unwrap_or_default();
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].contains(key) {
                return Err(validation("Provided list of item keys contains duplicates"));
            }
        }
        let mut items = Vec::new();
        for key in &keys {
            let mut get = request.clone();
            if let Some(get) = get.as_object_mut() {
                get.remove("Keys");
                get.insert("TableName".into(), json!(name));
                get.insert("Key".into(), key.clone());
            }
            if let Some(item) = get_item(store, &get)?.get("Item") {
                items.push(item.clone());
            }
        }
        responses.insert(name.clone(), Value::Array(items));
    }
    Ok(json!({"Responses": responses, "UnprocessedKeys": {}}))
}

/// Each table's puts and deletes, in order; nothing left unprocessed.
fn batch_write_item(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    let requests = request_items(input)?;
    let total: usize = requests.values().map(|r| r.as_array().map_or(0, Vec::len)).sum();
    if total > 25 {
        return Err(validation("Too many items requested for the BatchWriteItem call"));
    }
    let snapshot = store.tables.clone();
    let outcome = (|| {
        for (name, writes) in requests {
            for write in writes.as_array().into_iter().flatten() {
                if let Some(put) = write.get("PutRequest") {
                    put_item(store, &json!({"TableName": name, "Item": put.get("Item").cloned().unwrap_or(Value::Null)}))?;
                } else if let Some(delete) = write.get("DeleteRequest") {
                    delete_item(store, &json!({"TableName": name, "Key": delete.get("Key").cloned().unwrap_or(Value::Null)}))?;
                } else {
                    return Err(validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"));
                }
            }
        }
        Ok(())
    })();
    if let Err(failure) = outcome {
        // A batch that DynamoDB refuses as a whole writes nothing.
        store.tables = snapshot;
        return Err(failure);
    }
    Ok(json!({"UnprocessedItems": {}}))
}

/// All the writes or none: every condition is checked against the items as they were, and if
/// one fails the transaction is cancelled with a reason per item.
fn transact_write_items(store: &mut ServiceStore, input: &Value) -> Result<Value, Failure> {
    let items = input
        .get("TransactItems")
        .and_then(Value::as_array)
        .ok_or_else(|| validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null"))?;
    if items.is_empty() || items.len() > 100 {
        return Err(validation(format!(
            "1 validation error detected: Value '{}' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100, Member must have length greater than or equal to 1",
            items.len()
        )));
    }
    let mut operations = Vec::new();
    // (table, key) of each operation, to refuse two on one item.
    let mut targets: Vec<(String, Value)> = Vec::new();
    for entry in items {
        let Some((kind, request)) = entry.as_object().and_then(|m| m.iter().find(|(k, _)| matches!(k.as_str(), "Put" | "Update" | "Delete" | "ConditionCheck"))) else {
            return Err(validation("TransactItems can only contain one of Check, Put, Update or Delete"));
        };
        let name = request.get("TableName").and_then(Value::as_str).unwrap_or_default().to_string();
        let key = match kind.as_str() {
            "Put" => {
                let item = request.get("Item").and_then(Value::as_object);
                let key: Map<String, Value> = known_key(store, &name).iter().filter_map(|k| item.and_then(|i| i.get(k)).map(|v| (k.clone(), v.clone()))).collect();
                Value::Object(key)
            }
            _ => request.get("Key").cloned().unwrap_or(Value::Null),
        };
        let known = key.as_object().is_some_and(|k| !k.is_empty());
        if known && targets.iter().any(|(t, k)| *t == name && *k == key) {
            return Err(validation("Transaction request cannot include multiple operations on one item"));
        }
        targets.push((name, key));
        operations.push((kind.as_str(), request));
    }
    let run = |store: &mut ServiceStore, kind: &str, request: &Value| match kind {
        "Put" => put_item(store, request).map(drop),
        "Update" => update_item(store, request).map(drop),
        "Delete" => delete_item(store, request).map(drop),
        _ => condition_check(store, request),
    };
    // Every operation checked against the items as they were before the transaction.
    let mut reasons = Vec::new();
    for (kind, request) in &operations {
        let mut probe = ServiceStore { tables: store.tables.clone(), create_tables_on_use: store.create_tables_on_use, ..ServiceStore::default() };
        match run(&mut probe, kind, request) {
            Ok(()) => reasons.push("None"),
            Err(Failure::ConditionalCheck) => reasons.push("ConditionalCheckFailed"),
            Err(other) => return Err(other),
        }
    }
    if reasons.contains(&"ConditionalCheckFailed") {
        return Err(Failure::Service(
            "TransactionCanceledException",
            format!("Transaction cancelled, please refer cancellation reasons for specific reasons [{}]", reasons.join(", ")),
        ));
    }
    let snapshot = store.tables.clone();
    for (kind, request) in &operations {
        if let Err(failure) = run(store, kind, request) {
            store.tables = snapshot;
            return Err(failure);
        }
    }
    Ok(json!({}))
}

/// A transaction's ConditionCheck: its condition against the item, nothing written.
fn condition_check(store: &mut ServiceStore, input: &Value) -> Result<(), Failure> {
    check_attribute_values(input, &["Key", "ExpressionAttributeValues"])?;
    if text_of(input, Kind::Condition).is_none() {
        return Err(validation("1 validation error detected: Value null at 'conditionExpression' failed to satisfy constraint: Member must not be null"));
    }
    let found = expressions(input, &[Kind::Condition], &[])?;
    let table = table(store, table_name(input)?, input.get("Key").and_then(Value::as_object))?;
    let key = key_of(table, key_param(input)?)?;
    check_condition(found.condition.as_ref(), position(table, &key).map(|i| &table.items[i]))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDK: &str = "arn:aws:states:::aws-sdk:dynamodb:";

    /// A store with `Orders` (partition `customer`, sort `orderId`): three orders of c1, one of c2.
    fn store() -> ServiceStore {
        let mut store = ServiceStore::default();
        let table = store.create_table("Orders", "customer", Some("orderId"));
        for (customer, order, amount, state) in [("c1", "o3", "30", "OPEN"), ("c1", "o1", "10", "OPEN"), ("c2", "o9", "90", "OPEN"), ("c1", "o2", "20", "SHIPPED")] {
            let item = json!({"customer": {"S": customer}, "orderId": {"S": order}, "amount": {"N": amount}, "state": {"S": state}, "gift": {"BOOL": false}});
            table.items.push(item.as_object().unwrap().clone());
        }
        store
    }

    /// Calls `resource` (an action of [`SDK`] or a full ARN): the answer, or the error's name
    /// and cause.
    fn call(store: &mut ServiceStore, resource: &str, input: Value) -> Result<Value, (String, String)> {
        let resource = if resource.starts_with("arn:") { resource.to_string() } else { format!("{SDK}{resource}") };
        let (operation, integration) = Operation::of_resource(&resource).expect("a served resource");
        super::call(store, operation, integration, &input).map_err(|e| (e.error.unwrap_or_default(), e.cause.unwrap_or_default()))
    }

    fn ids(result: &Value) -> Vec<String> {
        result["Items"].as_array().into_iter().flatten().map(|i| i["orderId"]["S"].as_str().unwrap_or("?").to_string()).collect()
    }

    #[test]
    fn queries_select_a_partition_in_sort_key_order() {
        let values = json!({":c": {"S": "c1"}, ":oid": {"S": "o2"}, ":open": {"S": "OPEN"}, ":p": {"S": "o"}});
        // (request members, orderIds answered, Count, ScannedCount)
        let cases: &[(Value, &[&str], u64, u64)] = &[
            (json!({"KeyConditionExpression": "customer = :c"}), &["o1", "o2", "o3"], 3, 3),
            (json!({"KeyConditionExpression": "customer = :c", "ScanIndexForward": false}), &["o3", "o2", "o1"], 3, 3),
            (json!({"KeyConditionExpression": "customer = :c AND orderId > :oid"}), &["o3"], 1, 1),
            (json!({"KeyConditionExpression": "customer = :c AND orderId <= :oid"}), &["o1", "o2"], 2, 2),
            (json!({"KeyConditionExpression": "customer = :c AND orderId BETWEEN :oid AND :oid"}), &["o2"], 1, 1),
            (json!({"KeyConditionExpression": "customer = :c AND begins_with(orderId, :p)"}), &["o1", "o2", "o3"], 3, 3),
            (json!({"KeyConditionExpression": "customer = :c", "FilterExpression": "#s = :open", "ExpressionAttributeNames": {"#s": "state"}}), &["o1", "o3"], 2, 3),
        ];
        for (members, expected, count, scanned) in cases {
            let mut s = store();
            let mut input = json!({"TableName": "Orders", "ExpressionAttributeValues": values.clone()});
            input.as_object_mut().unwrap().extend(members.as_object().unwrap().clone());
            // Placeholders a case does not use are dropped, as DynamoDB refuses them.
            let used: Vec<String> = values.as_object().unwrap().keys().filter(|k| members.to_string().contains(k.as_str())).cloned().collect();
            input["ExpressionAttributeValues"].as_object_mut().unwrap().retain(|k, _| used.contains(k));
            let result = call(&mut s, "query", input).unwrap_or_else(|e| panic!("{members}: {e:?}"));
            assert_eq!(ids(&result), *expected, "{members}");
            assert_eq!((result["Count"].as_u64(), result["ScannedCount"].as_u64()), (Some(*count), Some(*scanned)), "{members}");
            assert!(result.get("LastEvaluatedKey").is_none(), "{members}: no Limit, one page");
        }
    }

    #[test]
    fn pages_follow_limit_and_the_last_evaluated_key() {
        let mut s = store();
        let mut pages = Vec::new();
        let mut start: Option<Value> = None;
        loop {
            let mut input = json!({"TableName": "Orders", "KeyConditionExpression": "customer = :c", "ExpressionAttributeValues": {":c": {"S": "c1"}}, "Limit": 2});
            if let Some(key) = &start {
                input["ExclusiveStartKey"] = key.clone();
            }
            let page = call(&mut s, "query", input).unwrap();
            pages.push(ids(&page));
            match page.get("LastEvaluatedKey") {
                Some(key) => start = Some(key.clone()),
                None => break,
            }
            assert!(pages.len() < 5, "paging ends");
        }
        assert_eq!(pages, [vec!["o1", "o2"], vec!["o3"]]);
        assert_eq!(start, Some(json!({"customer": {"S": "c1"}, "orderId": {"S": "o2"}})));
        // A scan pages through the whole table in its order; a limit met exactly still says where it stopped.
        let first = call(&mut s, "scan", json!({"TableName": "Orders", "Limit": 2})).unwrap();
        assert_eq!(ids(&first), ["o3", "o1"]);
        let second = call(&mut s, "scan", json!({"TableName": "Orders", "Limit": 2, "ExclusiveStartKey": first["LastEvaluatedKey"]})).unwrap();
        assert_eq!(ids(&second), ["o9", "o2"]);
        assert!(second.get("LastEvaluatedKey").is_some());
        let last = call(&mut s, "scan", json!({"TableName": "Orders", "Limit": 2, "ExclusiveStartKey": second["LastEvaluatedKey"]})).unwrap();
        assert_eq!((last["Count"].as_u64(), last.get("LastEvaluatedKey")), (Some(0), None));
        // Segments split a scan.
        let segments: Vec<Vec<String>> = (0..2).map(|i| ids(&call(&mut s, "scan", json!({"TableName": "Orders", "Segment": i, "TotalSegments": 2})).unwrap())).collect();
        assert_eq!(segments, [vec!["o3", "o9"], vec!["o1", "o2"]]);
    }

    #[test]
    fn select_count_and_projections_shape_the_answer() {
        let mut s = store();
        let counted = call(&mut s, "scan", json!({"TableName": "Orders", "Select": "COUNT", "FilterExpression": "amount > :a", "ExpressionAttributeValues": {":a": {"N": "15"}}})).unwrap();
        assert_eq!(counted, json!({"Count": 3, "ScannedCount": 4}));
        let projected = call(&mut s, "query", json!({"TableName": "Orders", "KeyConditionExpression": "customer = :c AND orderId = :o",
            "ProjectionExpression": "orderId, #s", "ExpressionAttributeNames": {"#s": "state"}, "ExpressionAttributeValues": {":c": {"S": "c1"}, ":o": {"S": "o1"}}})).unwrap();
        assert_eq!(projected["Items"], json!([{"orderId": {"S": "o1"}, "state": {"S": "OPEN"}}]));
        let got = call(&mut s, "getItem", json!({"TableName": "Orders", "Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "ProjectionExpression": "gift"})).unwrap();
        assert_eq!(got, json!({"Item": {"gift": {"Bool": false}}}), "the SDK's spelling of BOOL");
        let optimized = call(&mut s, "arn:aws:states:::dynamodb:getItem", json!({"TableName": "Orders", "Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "ProjectionExpression": "gift"})).unwrap();
        assert_eq!(optimized, json!({"Item": {"gift": {"BOOL": false}}}));
    }

    #[test]
    fn writes_return_the_values_asked_for() {
        let key = json!({"customer": {"S": "c1"}, "orderId": {"S": "o1"}});
        // (operation, ReturnValues and expression members, Attributes answered)
        let cases: &[(&str, Value, Value)] = &[
            ("putItem", json!({"Item": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}, "amount": {"N": "11"}}, "ReturnValues": "ALL_OLD"}),
                json!({"customer": {"S": "c1"}, "orderId": {"S": "o1"}, "amount": {"N": "10"}, "state": {"S": "OPEN"}, "gift": {"Bool": false}})),
            ("putItem", json!({"Item": {"customer": {"S": "c1"}, "orderId": {"S": "o7"}}, "ReturnValues": "ALL_OLD"}), Value::Null),
            ("updateItem", json!({"Key": key, "UpdateExpression": "SET amount = amount + :d", "ExpressionAttributeValues": {":d": {"N": "5"}}, "ReturnValues": "UPDATED_NEW"}), json!({"amount": {"N": "15"}})),
            ("updateItem", json!({"Key": key, "UpdateExpression": "SET amount = amount + :d", "ExpressionAttributeValues": {":d": {"N": "5"}}, "ReturnValues": "UPDATED_OLD"}), json!({"amount": {"N": "10"}})),
            ("updateItem", json!({"Key": key, "UpdateExpression": "REMOVE gift, #s", "ExpressionAttributeNames": {"#s": "state"}, "ReturnValues": "ALL_NEW"}),
                json!({"customer": {"S": "c1"}, "orderId": {"S": "o1"}, "amount": {"N": "10"}})),
            ("updateItem", json!({"Key": key, "UpdateExpression": "SET gift = :t", "ExpressionAttributeValues": {":t": {"Bool": true}}, "ReturnValues": "UPDATED_NEW"}), json!({"gift": {"Bool": true}})),
            ("deleteItem", json!({"Key": key, "ReturnValues": "ALL_OLD"}), json!({"customer": {"S": "c1"}, "orderId": {"S": "o1"}, "amount": {"N": "10"}, "state": {"S": "OPEN"}, "gift": {"Bool": false}})),
            ("deleteItem", json!({"Key": key}), Value::Null),
        ];
        for (operation, members, attributes) in cases {
            let mut s = store();
            let mut input = json!({"TableName": "Orders"});
            input.as_object_mut().unwrap().extend(members.as_object().unwrap().clone());
            let result = call(&mut s, operation, input).unwrap_or_else(|e| panic!("{operation} {members}: {e:?}"));
            let expected = if attributes.is_null() { json!({}) } else { json!({"Attributes": attributes}) };
            assert_eq!(result, expected, "{operation} {members}");
        }
        let mut s = store();
        let refused = call(&mut s, "putItem", json!({"TableName": "Orders", "Item": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "ReturnValues": "ALL_NEW"})).unwrap_err();
        assert_eq!(refused.0, "DynamoDb.DynamoDbException");
        assert!(refused.1.starts_with("ReturnValues can only be ALL_OLD or NONE (Service: DynamoDb, Status Code: 400,"), "{}", refused.1);
    }

    #[test]
    fn errors_are_named_as_each_integration_names_them() {
        let put = json!({"TableName": "Orders", "Item": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "ConditionExpression": "attribute_not_exists(orderId)"});
        // (resource, request, error name, cause's start)
        let cases: &[(&str, Value, &str, &str)] = &[
            ("putItem", put.clone(), "DynamoDb.ConditionalCheckFailedException", "The conditional request failed (Service: DynamoDb, Status Code: 400,"),
            ("arn:aws:states:::dynamodb:putItem", put.clone(), "DynamoDB.ConditionalCheckFailedException", "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;"),
            ("getItem", json!({"TableName": "Nope", "Key": {"id": {"S": "1"}}}), "DynamoDb.ResourceNotFoundException", "Requested resource not found"),
            ("query", json!({"TableName": "Orders", "KeyConditionExpression": "status = :s", "ExpressionAttributeValues": {":s": {"S": "x"}}}),
                "DynamoDb.DynamoDbException", "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"),
            ("query", json!({"TableName": "Orders"}), "DynamoDb.DynamoDbException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."),
            ("query", json!({"TableName": "Orders", "KeyConditionExpression": "orderId = :o", "ExpressionAttributeValues": {":o": {"S": "o1"}}}),
                "DynamoDb.DynamoDbException", "Invalid KeyConditionExpression: Query condition missed key schema element: customer"),
            ("query", json!({"TableName": "Orders", "KeyConditionExpression": "customer = :c", "ExpressionAttributeValues": {":c": {"S": "c1"}, ":x": {"S": "x"}}}),
                "DynamoDb.DynamoDbException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"),
            ("scan", json!({"TableName": "Orders", "FilterExpression": "amount >", "ExpressionAttributeValues": {}}), "DynamoDb.DynamoDbException", "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \">\""),
            ("scan", json!({"TableName": "Orders", "ProjectionExpression": "size"}), "DynamoDb.DynamoDbException", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: size"),
            ("query", json!({"TableName": "Orders", "KeyConditionExpression": "customer = :c", "FilterExpression": "begins_with(orderId, :c)", "ExpressionAttributeValues": {":c": {"S": "c1"}}}),
                "DynamoDb.DynamoDbException", "Filter Expression can only contain non-primary key attributes: Primary key attribute: orderId"),
            ("scan", json!({"TableName": "Orders", "Limit": 0}), "DynamoDb.DynamoDbException", "1 validation error detected: Value '0' at 'limit'"),
            ("updateItem", json!({"TableName": "Orders", "Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "UpdateExpression": "SET a = :v", "ExpressionAttributeValues": {":v": "bare"}}),
                "DynamoDb.DynamoDbException", "One or more parameter values were invalid: Supplied AttributeValue is empty"),
            ("updateItem", json!({"TableName": "Orders", "Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "UpdateExpression": "SET orderId = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}}),
                "DynamoDb.DynamoDbException", "One or more parameter values were invalid: Cannot update attribute orderId. This attribute is part of the key"),
            ("arn:aws:states:::dynamodb:updateItem", json!({"TableName": "Orders", "Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, "UpdateExpression": "SET a = :v"}),
                "DynamoDB.AmazonDynamoDBException", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"),
        ];
        for (resource, input, name, cause) in cases {
            let mut s = store();
            let (error, got) = call(&mut s, resource, input.clone()).unwrap_err();
            assert_eq!(error, *name, "{resource} {input}");
            assert!(got.starts_with(cause), "{resource} {input}: {got}");
        }
    }

    #[test]
    fn batches_read_and_write_several_items() {
        let mut s = store();
        let got = call(&mut s, "batchGetItem", json!({"RequestItems": {"Orders": {"Keys": [
            {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}, {"customer": {"S": "c2"}, "orderId": {"S": "o9"}}, {"customer": {"S": "c3"}, "orderId": {"S": "o0"}}],
            "ProjectionExpression": "orderId"}}})).unwrap();
        assert_eq!(got, json!({"Responses": {"Orders": [{"orderId": {"S": "o1"}}, {"orderId": {"S": "o9"}}]}, "UnprocessedKeys": {}}));
        let written = call(&mut s, "batchWriteItem", json!({"RequestItems": {"Orders": [
            {"PutRequest": {"Item": {"customer": {"S": "c3"}, "orderId": {"S": "o5"}, "tags": {"Ss": ["new"]}}}},
            {"DeleteRequest": {"Key": {"customer": {"S": "c1"}, "orderId": {"S": "o1"}}}}]}})).unwrap();
        assert_eq!(written, json!({"UnprocessedItems": {}}));
        let items = &s.tables["Orders"].items;
        assert_eq!(items.len(), 4);
        assert_eq!(items.last().unwrap()["tags"], json!({"SS": ["new"]}), "kept in the model's spelling");
        let many: Vec<Value> = (0..26).map(|i| json!({"PutRequest": {"Item": {"customer": {"S": "c"}, "orderId": {"S": format!("o{i}")}}}})).collect();
        let (error, cause) = call(&mut s, "batchWriteItem", json!({"RequestItems": {"Orders": many}})).unwrap_err();
        assert_eq!((error.as_str(), cause.starts_with("Too many items requested for the BatchWriteItem call")), ("DynamoDb.DynamoDbException", true));
    }

    #[test]
    fn transactions_write_everything_or_nothing() {
        let key = |o: &str| json!({"customer": {"S": "c1"}, "orderId": {"S": o}});
        let transaction = |condition: &str| {
            json!({"TransactItems": [
                {"Put": {"TableName": "Orders", "Item": {"customer": {"S": "c4"}, "orderId": {"S": "o1"}}, "ConditionExpression": "attribute_not_exists(orderId)"}},
                {"Update": {"TableName": "Orders", "Key": key("o1"), "UpdateExpression": "SET amount = amount - :d", "ExpressionAttributeValues": {":d": {"N": "1"}}}},
                {"Delete": {"TableName": "Orders", "Key": key("o2")}},
                {"ConditionCheck": {"TableName": "Orders", "Key": key("o3"), "ConditionExpression": condition, "ExpressionAttributeValues": {":a": {"N": "30"}}}},
            ]})
        };
        let mut s = store();
        let before = s.tables.clone();
        let (error, cause) = call(&mut s, "transactWriteItems", transaction("amount > :a")).unwrap_err();
        assert_eq!(error, "DynamoDb.TransactionCanceledException");
        assert!(cause.starts_with("Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, None, ConditionalCheckFailed]"), "{cause}");
        assert_eq!(s.tables, before, "nothing written");
        assert_eq!(call(&mut s, "transactWriteItems", transaction("amount = :a")).unwrap(), json!({}));
        let items = &s.tables["Orders"].items;
        assert_eq!(items.len(), 4, "one put, one delete");
        assert!(items.iter().any(|i| i["orderId"] == json!({"S": "o1"}) && i["amount"] == json!({"N": "9"})));
        let twice = json!({"TransactItems": [{"Delete": {"TableName": "Orders", "Key": key("o3")}}, {"Delete": {"TableName": "Orders", "Key": key("o3")}}]});
        assert!(call(&mut s, "transactWriteItems", twice).unwrap_err().1.starts_with("Transaction request cannot include multiple operations on one item"));
    }

    #[test]
    fn a_table_nobody_declared_learns_its_key_from_the_first_query() {
        let mut s = ServiceStore { create_tables_on_use: true, ..ServiceStore::default() };
        s.tables.insert("Events".into(), Table { key: Vec::new(), items: (1..=5).map(|i| json!({"device": {"S": "d1"}, "at": {"N": i.to_string()}}).as_object().unwrap().clone()).collect() });
        let page = call(&mut s, "query", json!({"TableName": "Events", "KeyConditionExpression": "device = :d AND #at >= :from", "ExpressionAttributeNames": {"#at": "at"},
            "ExpressionAttributeValues": {":d": {"S": "d1"}, ":from": {"N": "2"}}, "Limit": 2})).unwrap();
        assert_eq!(page["LastEvaluatedKey"], json!({"device": {"S": "d1"}, "at": {"N": "3"}}));
        assert_eq!(s.tables["Events"].key, ["device", "at"]);
        // A table never named by a key pages by the first attribute that tells its items apart.
        s.tables.insert("Loose".into(), Table { key: Vec::new(), items: (1..=3).map(|i| json!({"kind": {"S": "x"}, "n": {"N": i.to_string()}}).as_object().unwrap().clone()).collect() });
        let scanned = call(&mut s, "scan", json!({"TableName": "Loose", "Limit": 1})).unwrap();
        assert_eq!(scanned["LastEvaluatedKey"], json!({"n": {"N": "1"}}));
        let next = call(&mut s, "scan", json!({"TableName": "Loose", "Limit": 5, "ExclusiveStartKey": scanned["LastEvaluatedKey"]})).unwrap();
        assert_eq!(next["Count"], 2);
        // A put replaces the item it shares that attribute with, as a migration writes items back.
        call(&mut s, "putItem", json!({"TableName": "Loose", "Item": {"kind": {"S": "y"}, "n": {"N": "2"}}})).unwrap();
        call(&mut s, "putItem", json!({"TableName": "Loose", "Item": {"kind": {"S": "z"}, "n": {"N": "4"}}})).unwrap();
        let kinds: Vec<&Value> = s.tables["Loose"].items.iter().map(|i| &i["kind"]["S"]).collect();
        assert_eq!(kinds, ["x", "y", "x", "z"]);
    }
}
