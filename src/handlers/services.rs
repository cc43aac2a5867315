//! Built-in service integrations over an in-memory [`ServiceStore`]: SNS `publish` and SQS
//! `sendMessage`/`receiveMessage`/`deleteMessage` (optimized and `aws-sdk:`, [`super::messages`]), S3 `getObject`/`putObject`/`listObjectsV2` over the store's buckets
//! ([`super::s3`]), and DynamoDB `getItem`, `putItem`, `updateItem` (SET, REMOVE and ADD with
//! `ExpressionAttributeNames`/`Values`) and `deleteItem`, writes guarded by a `ConditionExpression`
//! ([`super::condition`], `DynamoDB.ConditionalCheckFailedException` when it does not hold), with AWS-shaped results and the error
//! names Step Functions reports for them (`DynamoDB.ResourceNotFoundException`,
//! `DynamoDB.AmazonDynamoDBException` for validation errors, `SNS.InvalidParameterException`,
//! `SQS.AmazonSQSException`).
//!
//! The store is shared ([`SharedStore`]) so the caller can declare tables before a run and read
//! what the execution wrote, published and sent after it. Tables must be declared
//! ([`ServiceStore::create_table`]) as on AWS, unless the store creates them on first use
//! ([`ServiceStore::create_tables_on_use`], zero-configuration runs); topics and queues accept
//! any ARN or URL and keep what they were sent. Responses carry the SDK metadata Step Functions
//! adds ([`super::optimized::with_metadata`]).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::asl::error::StatesError;

/// A DynamoDB table: its key attributes and items (in DynamoDB's typed JSON, `{"S": "x"}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The partition key, then the sort key if any.
    pub key: Vec<String>,
    pub items: Vec<Map<String, Value>>,
}

/// What the built-in integrations read and write.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceStore {
    pub tables: BTreeMap<String, Table>,
    /// Messages published, by topic ARN (the request's parameters).
    pub topics: BTreeMap<String, Vec<Value>>,
    /// Messages sent, by queue URL (the request's parameters).
    pub queues: BTreeMap<String, Vec<Value>>,
    /// Whether a table nobody declared exists, empty, from its first use (zero-configuration
    /// runs: the workflow's tables exist in its account). Its key is the first request's `Key`;
    /// until one names it, items put are kept as they come.
    pub create_tables_on_use: bool,
    /// S3's buckets and objects.
    pub s3: super::s3::ObjectStore,
    /// Each topic's subscriptions (seeded): an SQS one receives what is published.
    pub subscriptions: BTreeMap<String, Vec<super::messages::Subscription>>,
    /// Received messages' receipt handles and visibility ([`super::messages`]).
    pub receipts: super::messages::Receipts,
    /// Counts the calls that may have written (every call through [`Services`]), so a caller
    /// that follows the store step by step compares it only when this moved.
    pub revision: u64,
}

/// The store, shared by the handlers and the caller.
pub type SharedStore = Rc<RefCell<ServiceStore>>;

impl ServiceStore {
    /// Declares a table with its partition key and optional sort key.
    pub fn create_table(&mut self, name: &str, partition_key: &str, sort_key: Option<&str>) -> &mut Table {
        let key = std::iter::once(partition_key).chain(sort_key).map(str::to_string).collect();
        self.tables.entry(name.to_string()).or_insert(Table { key, items: Vec::new() })
    }
}

/// The resources the built-in integrations answer.
pub const RESOURCES: [&str; 12] = [
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::sns:publish.waitForTaskToken",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::aws-sdk:sns:publish",
    "arn:aws:states:::aws-sdk:sqs:sendMessage",
    "arn:aws:states:::aws-sdk:sqs:receiveMessage",
    "arn:aws:states:::aws-sdk:sqs:deleteMessage",
    "arn:aws:states:::dynamodb:getItem",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::dynamodb:deleteItem",
];

/// Whether the built-in integrations answer `resource` (S3's included).
pub fn handles(resource: &str) -> bool {
    RESOURCES.contains(&resource) || super::s3::RESOURCES.contains(&resource)
}

/// Registers the built-in integrations over `store` under their resource ARNs (a handler
/// registered for a state's name still wins).
pub fn register(registry: &mut HandlerRegistry, store: &SharedStore) {
    for resource in RESOURCES.into_iter().chain(super::s3::RESOURCES) {
        registry.register(resource, Services { store: store.clone() });
    }
}

/// The handler behind every built-in integration: it dispatches on the resource.
#[derive(Debug, Clone)]
pub struct Services {
    pub store: SharedStore,
}

impl TaskHandler for Services {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let action = request.resource.rsplit(':').next().unwrap_or("");
        let action = action.split('.').next().unwrap_or(action);
        let input = request.input;
        let mut store = self.store.borrow_mut();
        store.revision += 1;
        if let Some(operation) = super::s3::Operation::of_resource(request.resource) {
            // An AWS SDK integration's answer is the SDK's output, without Step Functions' metadata.
            return super::s3::call(&mut store.s3, operation, input, context.now);
        }
        let sdk = request.resource.contains(":::aws-sdk:");
        let sns = request.resource.contains(":sns:");
        let sqs = request.resource.contains(":sqs:");
        let result = match (sns, sqs, action) {
            (true, _, "publish") => super::messages::publish(&mut store, input, context.rng, context.now)?,
            (_, true, "sendMessage") => super::messages::send_message(&mut store, input, context.rng, sdk)?,
            (_, true, "receiveMessage") => super::messages::receive_message(&mut store, input, context.now)?,
            (_, true, "deleteMessage") => super::messages::delete_message(&mut store, input)?,
            (_, _, "getItem") => get_item(&mut store, input)?,
            (_, _, "putItem") => put_item(&mut store, input)?,
            (_, _, "updateItem") => update_item(&mut store, input)?,
            (_, _, "deleteItem") => delete_item(&mut store, input)?,
            _ => return Err(StatesError::new("States.TaskFailed", format!("'{}' is not a built-in integration", request.resource))),
        };
        drop(store);
        if sdk {
            // An AWS SDK integration's answer is the SDK's output, without Step Functions' metadata.
            return Ok(result);
        }
        // SNS and SQS speak the query protocol (XML), DynamoDB JSON 1.0.
        let content_type = if request.resource.contains(":::dynamodb:") { "application/x-amz-json-1.0" } else { "text/xml" };
        Ok(super::optimized::with_metadata(result, content_type, &[], context))
    }
}

/// An error as Step Functions reports a service's: `SERVICE.Code`, with the SDK's cause text.
pub(super) fn service_error(prefix: &str, code: &str, message: &str, service: &str, status: u16, error_code: &str) -> StatesError {
    StatesError::new(
        format!("{prefix}.{code}"),
        format!("{message} (Service: {service}; Status Code: {status}; Error Code: {error_code}; Request ID: 00000000-0000-0000-0000-000000000000; Proxy: null)"),
    )
}

fn dynamo_validation(message: &str) -> StatesError {
    service_error("DynamoDB", "AmazonDynamoDBException", message, "AmazonDynamoDBv2", 400, "ValidationException")
}

/// The request's `ConditionExpression`, parsed, then DynamoDB's checks of its placeholders:
/// a `#name` or `:value` no expression of the request uses is refused (the caller parses its
/// UpdateExpression before).
fn condition_of(input: &Value) -> Result<Option<super::condition::Condition>, StatesError> {
    let names = input.get("ExpressionAttributeNames").and_then(Value::as_object);
    let values = input.get("ExpressionAttributeValues").and_then(Value::as_object);
    let condition = input.get("ConditionExpression").and_then(Value::as_str);
    let expressions: Vec<&str> = ["UpdateExpression", "ConditionExpression"].into_iter().filter_map(|m| input.get(m).and_then(Value::as_str)).collect();
    if expressions.is_empty() {
        for (member, map) in [("ExpressionAttributeNames", names), ("ExpressionAttributeValues", values)] {
            if map.is_some() {
                return Err(dynamo_validation(&format!("{member} can only be specified when using expressions")));
            }
        }
    }
    let condition = condition
        .map(|text| super::condition::parse(text, names, values).map_err(|e| dynamo_validation(&format!("Invalid ConditionExpression: {e}"))))
        .transpose()?;
    // After the expressions parse, as DynamoDB reports a syntax error first.
    if let Some(unused) = super::condition::unused_placeholders(&expressions, names, values) {
        return Err(dynamo_validation(&unused));
    }
    Ok(condition)
}

/// Fails as DynamoDB does when the request's condition does not hold for the item as stored
/// before the write (`None`: no such item, an empty one).
fn check_condition(condition: Option<&super::condition::Condition>, item: Option<&Map<String, Value>>) -> Result<(), StatesError> {
    let empty = Map::new();
    match condition {
        Some(c) if !super::condition::evaluate(c, item.unwrap_or(&empty)) => Err(service_error(
            "DynamoDB",
            "ConditionalCheckFailedException",
            "The conditional request failed",
            "AmazonDynamoDBv2",
            400,
            "ConditionalCheckFailedException",
        )),
        _ => Ok(()),
    }
}

/// The data types an AttributeValue may hold (DynamoDB's "Data types" page).
const ATTRIBUTE_TYPES: [&str; 10] = ["S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL"];

/// Why `value` is not one of DynamoDB's AttributeValues, with DynamoDB's own words, if it is not.
/// The request reaches DynamoDB through the SDK's typed `AttributeValue`: a bare value (`"x"`,
/// `42`) or an object of none of the type members becomes an AttributeValue with no type set,
/// which DynamoDB refuses as empty; two types set, it refuses as ambiguous; an `N` that is no
/// number, as not convertible. `M` and `L` hold AttributeValues in turn.
fn attribute_value_problem(value: &Value) -> Option<&'static str> {
    const EMPTY: &str = "One or more parameter values were invalid: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    let Value::Object(members) = value else { return Some(EMPTY) };
    let typed: Vec<(&String, &Value)> = members.iter().filter(|(k, _)| ATTRIBUTE_TYPES.contains(&k.as_str())).collect();
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
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let number = |v: &Value| text(v).is_some_and(|t| t.trim().parse::<f64>().is_ok_and(f64::is_finite));
    let boolean = |v: &Value| matches!(v, Value::Bool(_)) || matches!(v.as_str(), Some("true" | "false"));
    match (kind.as_str(), inner) {
        ("NULL", v) if v.as_bool() == Some(false) || v.as_str() == Some("false") => {
            Some("One or more parameter values were invalid: Null attribute value types must have the value of true")
        }
        ("S" | "B", v) if text(v).is_some() => None,
        ("BOOL" | "NULL", v) if boolean(v) => None,
        ("N", v) if number(v) => None,
        ("N", _) => Some("A value provided cannot be converted into a number"),
        ("NS", Value::Array(items)) if items.iter().all(number) => None,
        ("NS", _) => Some("A value provided cannot be converted into a number"),
        ("SS" | "BS", Value::Array(items)) if items.iter().all(|i| text(i).is_some()) => None,
        ("M", Value::Object(map)) => map.values().find_map(attribute_value_problem),
        ("L", Value::Array(items)) => items.iter().find_map(attribute_value_problem),
        _ => Some("One or more parameter values were invalid: An AttributeValue may not contain an empty or malformed value"),
    }
}

/// Each AttributeValue of the request's `members` (`Item`, `Key`, `ExpressionAttributeValues`)
/// checked before anything else is done, as DynamoDB validates a request before it reads a table.
fn check_attribute_values(input: &Value, members: &[&str]) -> Result<(), StatesError> {
    for member in members {
        if let Some(Value::Object(map)) = input.get(*member)
            && let Some(problem) = map.values().find_map(attribute_value_problem)
        {
            return Err(dynamo_validation(problem));
        }
    }
    Ok(())
}

fn required<'v>(input: &'v Value, field: &str, missing: impl Fn(&str) -> StatesError) -> Result<&'v Value, StatesError> {
    input.get(field).filter(|v| !v.is_null()).ok_or_else(|| missing(field))
}

fn table<'s>(store: &'s mut ServiceStore, input: &Value) -> Result<&'s mut Table, StatesError> {
    let name = required(input, "TableName", |_| dynamo_validation("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"))?;
    let name = name.as_str().unwrap_or_default();
    if store.create_tables_on_use && !store.tables.contains_key(name) {
        store.tables.insert(name.to_string(), Table::default());
    }
    if let Some(table) = store.tables.get_mut(name)
        && table.key.is_empty()
        && let Some(key) = input.get("Key").and_then(Value::as_object)
    {
        // A table created on use learns its key from the first request that names it.
        table.key = key.keys().cloned().collect();
    }
    store.tables.get_mut(name).ok_or_else(|| {
        service_error("DynamoDB", "ResourceNotFoundException", "Requested resource not found", "AmazonDynamoDBv2", 400, "ResourceNotFoundException")
    })
}

/// The item's key attributes must match `key` exactly (names and typed values).
fn key_of(table: &Table, key: &Map<String, Value>) -> Result<Map<String, Value>, StatesError> {
    if key.len() != table.key.len() || table.key.iter().any(|k| !key.contains_key(k)) {
        return Err(dynamo_validation("The provided key element does not match the schema"));
    }
    Ok(table.key.iter().map(|k| (k.clone(), key[k].clone())).collect())
}

fn position(table: &Table, key: &Map<String, Value>) -> Option<usize> {
    table.items.iter().position(|item| key.iter().all(|(k, v)| item.get(k) == Some(v)))
}

fn key_param(input: &Value) -> Result<&Map<String, Value>, StatesError> {
    input.get("Key").and_then(Value::as_object).ok_or_else(|| dynamo_validation("1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"))
}

fn get_item(store: &mut ServiceStore, input: &Value) -> Result<Value, StatesError> {
    check_attribute_values(input, &["Key"])?;
    let table = table(store, input)?;
    let key = key_of(table, key_param(input)?)?;
    let mut result = Map::new();
    if let Some(i) = position(table, &key) {
        result.insert("Item".into(), Value::Object(table.items[i].clone()));
    }
    Ok(Value::Object(result))
}

fn returns_old(input: &Value, old: Option<Map<String, Value>>) -> Value {
    let mut result = Map::new();
    if input.get("ReturnValues").and_then(Value::as_str) == Some("ALL_OLD") {
        if let Some(old) = old {
            result.insert("Attributes".into(), Value::Object(old));
        }
    }
    Value::Object(result)
}

fn put_item(store: &mut ServiceStore, input: &Value) -> Result<Value, StatesError> {
    check_attribute_values(input, &["Item", "ExpressionAttributeValues"])?;
    let condition = condition_of(input)?;
    let table = table(store, input)?;
    let item = input.get("Item").and_then(Value::as_object).ok_or_else(|| dynamo_validation("1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null"))?;
    if let Some(missing) = table.key.iter().find(|k| !item.contains_key(*k)) {
        return Err(dynamo_validation(&format!("One or more parameter values were invalid: Missing the key {missing} in the item")));
    }
    let key: Map<String, Value> = table.key.iter().map(|k| (k.clone(), item[k].clone())).collect();
    let found = position(table, &key).filter(|_| !table.key.is_empty());
    check_condition(condition.as_ref(), found.map(|i| &table.items[i]))?;
    let old = match found {
        Some(i) => Some(std::mem::replace(&mut table.items[i], item.clone())),
        None => {
            table.items.push(item.clone());
            None
        }
    };
    Ok(returns_old(input, old))
}

fn delete_item(store: &mut ServiceStore, input: &Value) -> Result<Value, StatesError> {
    check_attribute_values(input, &["Key", "ExpressionAttributeValues"])?;
    let condition = condition_of(input)?;
    let table = table(store, input)?;
    let key = key_of(table, key_param(input)?)?;
    let found = position(table, &key);
    check_condition(condition.as_ref(), found.map(|i| &table.items[i]))?;
    let old = found.map(|i| table.items.remove(i));
    Ok(returns_old(input, old))
}

fn update_item(store: &mut ServiceStore, input: &Value) -> Result<Value, StatesError> {
    check_attribute_values(input, &["Key", "ExpressionAttributeValues"])?;
    let expression = input.get("UpdateExpression").and_then(Value::as_str).unwrap_or("");
    let names = input.get("ExpressionAttributeNames").and_then(Value::as_object);
    let values = input.get("ExpressionAttributeValues").and_then(Value::as_object);
    let actions = update::parse(expression, names, values).map_err(|e| dynamo_validation(&format!("Invalid UpdateExpression: {e}")))?;
    let condition = condition_of(input)?;
    let table = table(store, input)?;
    let key = key_of(table, key_param(input)?)?;
    check_condition(condition.as_ref(), position(table, &key).map(|i| &table.items[i]))?;
    let existed = position(table, &key).is_some();
    let index = match position(table, &key) {
        Some(i) => i,
        None => {
            table.items.push(key.clone());
            table.items.len() - 1
        }
    };
    let old = table.items[index].clone();
    let mut item = old.clone();
    for action in &actions {
        if table.key.iter().any(|k| k == action.attribute()) {
            return Err(dynamo_validation(&format!(
                "One or more parameter values were invalid: Cannot update attribute {}. This attribute is part of the key",
                action.attribute()
            )));
        }
        action.apply(&mut item).map_err(|e| dynamo_validation(&e))?;
    }
    table.items[index] = item.clone();
    let touched: Vec<&str> = actions.iter().map(update::Action::attribute).collect();
    let pick = |m: &Map<String, Value>| -> Map<String, Value> { m.iter().filter(|(k, _)| touched.contains(&k.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect() };
    let attributes = match input.get("ReturnValues").and_then(Value::as_str).unwrap_or("NONE") {
        // An item the update created had no old attributes.
        "ALL_OLD" if existed => Some(old.clone()),
        "ALL_NEW" => Some(item.clone()),
        "UPDATED_OLD" => Some(pick(&old)),
        "UPDATED_NEW" => Some(pick(&item)),
        _ => None,
    };
    let mut result = Map::new();
    if let Some(attributes) = attributes.filter(|a| !a.is_empty()) {
        result.insert("Attributes".into(), Value::Object(attributes));
    }
    Ok(Value::Object(result))
}

/// DynamoDB's UpdateExpression, the basics: `SET a = :v, b = b + :n, c = if_not_exists(c, :z),
/// d = list_append(d, :l)`, `REMOVE a, b` and `ADD n :v` (numbers add, sets union), on top-level
/// attributes named directly or through `#name`.
mod update {
    use serde_json::{Map, Value};

    /// A value operand, resolved at parse time where it is a `:value`.
    #[derive(Debug, Clone)]
    pub enum Operand {
        Value(Value),
        Path(String),
        IfNotExists(String, Box<Operand>),
        ListAppend(Box<Operand>, Box<Operand>),
        Plus(Box<Operand>, Box<Operand>),
        Minus(Box<Operand>, Box<Operand>),
    }

    #[derive(Debug, Clone)]
    pub enum Action {
        Set(String, Operand),
        Remove(String),
        Add(String, Value),
    }

    impl Action {
        pub fn attribute(&self) -> &str {
            match self {
                Action::Set(a, _) | Action::Remove(a) | Action::Add(a, _) => a,
            }
        }

        pub fn apply(&self, item: &mut Map<String, Value>) -> Result<(), String> {
            match self {
                Action::Set(name, operand) => {
                    let value = evaluate(operand, item)?;
                    item.insert(name.clone(), value);
                }
                Action::Remove(name) => {
                    item.remove(name);
                }
                Action::Add(name, value) => {
                    let new = match (item.get(name), value) {
                        (None, v) => v.clone(),
                        (Some(old), v) if old.get("N").is_some() && v.get("N").is_some() => arithmetic(old, v, 1.0)?,
                        (Some(old), v) => match (set_of(old), set_of(v)) {
                            (Some((kind, a)), Some((kind2, b))) if kind == kind2 => {
                                let mut union = a.clone();
                                union.extend(b.iter().filter(|x| !a.contains(x)).cloned());
                                let mut m = Map::new();
                                m.insert(kind.to_string(), Value::Array(union));
                                Value::Object(m)
                            }
                            _ => return Err("Incorrect operand type for operator or function; operator: ADD".into()),
                        },
                    };
                    item.insert(name.clone(), new);
                }
            }
            Ok(())
        }
    }

    fn set_of(v: &Value) -> Option<(&'static str, &Vec<Value>)> {
        ["SS", "NS", "BS"].into_iter().find_map(|k| v.get(k).and_then(Value::as_array).map(|a| (k, a)))
    }

    fn number(v: &Value) -> Option<f64> {
        v.get("N")?.as_str()?.parse().ok()
    }

    fn arithmetic(a: &Value, b: &Value, sign: f64) -> Result<Value, String> {
        match (number(a), number(b)) {
            (Some(x), Some(y)) => {
                let r = x + sign * y;
                let text = if r.fract() == 0.0 && r.abs() < 1e15 { format!("{}", r as i64) } else { format!("{r}") };
                Ok(serde_json::json!({"N": text}))
            }
            _ => Err("Incorrect operand type for operator or function; operator or function: +/-".into()),
        }
    }

    fn evaluate(operand: &Operand, item: &Map<String, Value>) -> Result<Value, String> {
        Ok(match operand {
            Operand::Value(v) => v.clone(),
            Operand::Path(p) => item.get(p).cloned().ok_or_else(|| "The provided expression refers to an attribute that does not exist in the item".to_string())?,
            Operand::IfNotExists(p, fallback) => match item.get(p) {
                Some(v) => v.clone(),
                None => evaluate(fallback, item)?,
            },
            Operand::ListAppend(a, b) => {
                let (a, b) = (evaluate(a, item)?, evaluate(b, item)?);
                match (a.get("L").and_then(Value::as_array), b.get("L").and_then(Value::as_array)) {
                    (Some(x), Some(y)) => serde_json::json!({"L": x.iter().chain(y).cloned().collect::<Vec<_>>()}),
                    _ => return Err("Incorrect operand type for operator or function; operator or function: list_append".into()),
                }
            }
            Operand::Plus(a, b) => arithmetic(&evaluate(a, item)?, &evaluate(b, item)?, 1.0)?,
            Operand::Minus(a, b) => arithmetic(&evaluate(a, item)?, &evaluate(b, item)?, -1.0)?,
        })
    }

    struct Parser<'a> {
        tokens: Vec<String>,
        pos: usize,
        names: Option<&'a Map<String, Value>>,
        values: Option<&'a Map<String, Value>>,
    }

    fn tokenize(text: &str) -> Vec<String> {
        let mut tokens = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() {
                chars.next();
            } else if "=,()+-".contains(c) {
                tokens.push(c.to_string());
                chars.next();
            } else {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || "=,()+-".contains(c) {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push(word);
            }
        }
        tokens
    }

    fn is_clause(token: &str) -> bool {
        matches!(token.to_ascii_uppercase().as_str(), "SET" | "REMOVE" | "ADD" | "DELETE")
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<&str> {
            self.tokens.get(self.pos).map(String::as_str)
        }

        fn next(&mut self) -> Result<String, String> {
            let token = self.tokens.get(self.pos).cloned().ok_or("Syntax error; token: \"<EOF>\"")?;
            self.pos += 1;
            Ok(token)
        }

        fn expect(&mut self, wanted: &str) -> Result<(), String> {
            let token = self.next()?;
            if token == wanted { Ok(()) } else { Err(format!("Syntax error; token: \"{token}\", near: \"{wanted}\"")) }
        }

        fn name(&mut self) -> Result<String, String> {
            let token = self.next()?;
            if token.starts_with('#') {
                return self
                    .names
                    .and_then(|n| n.get(&token))
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .ok_or_else(|| format!("An expression attribute name used in the document path is not defined; attribute name: {token}"));
            }
            if token.starts_with(':') || is_clause(&token) || !token.chars().all(|c| c.is_alphanumeric() || c == '_') {
                return Err(format!("Syntax error; token: \"{token}\""));
            }
            Ok(token)
        }

        fn value(&mut self, token: &str) -> Result<Value, String> {
            self.values
                .and_then(|v| v.get(token))
                .cloned()
                .ok_or_else(|| format!("An expression attribute value used in expression is not defined; attribute value: {token}"))
        }

        fn operand(&mut self) -> Result<Operand, String> {
            let first = self.term()?;
            match self.peek() {
                Some("+") => {
                    self.pos += 1;
                    Ok(Operand::Plus(Box::new(first), Box::new(self.term()?)))
                }
                Some("-") => {
                    self.pos += 1;
                    Ok(Operand::Minus(Box::new(first), Box::new(self.term()?)))
                }
                _ => Ok(first),
            }
        }

        fn term(&mut self) -> Result<Operand, String> {
            let token = self.peek().ok_or("Syntax error; token: \"<EOF>\"")?.to_string();
            if token.starts_with(':') {
                self.pos += 1;
                return Ok(Operand::Value(self.value(&token)?));
            }
            if self.tokens.get(self.pos + 1).map(String::as_str) == Some("(") {
                self.pos += 2;
                let operand = match token.as_str() {
                    "if_not_exists" => {
                        let path = self.name()?;
                        self.expect(",")?;
                        Operand::IfNotExists(path, Box::new(self.operand()?))
                    }
                    "list_append" => {
                        let a = self.operand()?;
                        self.expect(",")?;
                        Operand::ListAppend(Box::new(a), Box::new(self.operand()?))
                    }
                    other => return Err(format!("Invalid function name; function: {other}")),
                };
                self.expect(")")?;
                return Ok(operand);
            }
            Ok(Operand::Path(self.name()?))
        }
    }

    /// Parses an UpdateExpression; `:values` and `#names` are resolved now.
    pub fn parse(text: &str, names: Option<&Map<String, Value>>, values: Option<&Map<String, Value>>) -> Result<Vec<Action>, String> {
        let mut p = Parser { tokens: tokenize(text), pos: 0, names, values };
        if p.tokens.is_empty() {
            return Err("Syntax error; token: \"<EOF>\"".into());
        }
        let mut actions = Vec::new();
        while let Some(clause) = p.peek().map(str::to_ascii_uppercase) {
            p.pos += 1;
            loop {
                match clause.as_str() {
                    "SET" => {
                        let name = p.name()?;
                        p.expect("=")?;
                        actions.push(Action::Set(name, p.operand()?));
                    }
                    "REMOVE" => actions.push(Action::Remove(p.name()?)),
                    "ADD" => {
                        let name = p.name()?;
                        let token = p.next()?;
                        if !token.starts_with(':') {
                            return Err(format!("Syntax error; token: \"{token}\""));
                        }
                        actions.push(Action::Add(name, p.value(&token)?));
                    }
                    other => return Err(format!("Syntax error; token: \"{other}\"")),
                }
                if p.peek() == Some(",") {
                    p.pos += 1;
                } else {
                    break;
                }
            }
            if let Some(token) = p.peek() {
                if !is_clause(token) {
                    return Err(format!("Syntax error; token: \"{token}\""));
                }
            }
        }
        let mut seen = Vec::new();
        for a in &actions {
            if seen.contains(&a.attribute()) {
                return Err(format!("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [{0}], path two: [{0}]", a.attribute()));
            }
            seen.push(a.attribute());
        }
        Ok(actions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    fn call(store: &SharedStore, resource: &str, input: Value) -> Result<Value, StatesError> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut log = Vec::new();
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
        let request = TaskRequest { state_name: "S", resource, function_name: None, input: &input, attempt: 0 };
        let mut result = Services { store: store.clone() }.invoke(&request, &mut context)?;
        if let Value::Object(m) = &mut result {
            m.remove("SdkHttpMetadata");
            m.remove("SdkResponseMetadata");
        }
        Ok(result)
    }

    fn store() -> SharedStore {
        let store = SharedStore::default();
        store.borrow_mut().create_table("Orders", "id", None);
        store
    }

    const DDB: &str = "arn:aws:states:::dynamodb:";

    #[test]
    fn put_get_delete_round_trip() {
        let s = store();
        let item = json!({"id": {"S": "o1"}, "total": {"N": "20"}});
        assert_eq!(call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": item})).unwrap(), json!({}));
        assert_eq!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "o1"}}})).unwrap(), json!({"Item": item}));
        assert_eq!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "nope"}}})).unwrap(), json!({}));
        let deleted = call(&s, &format!("{DDB}deleteItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "o1"}}, "ReturnValues": "ALL_OLD"}));
        assert_eq!(deleted.unwrap(), json!({"Attributes": item}));
        assert!(s.borrow().tables["Orders"].items.is_empty());
    }

    #[test]
    fn update_expression_set_remove_add() {
        let s = store();
        call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": {"id": {"S": "o1"}, "n": {"N": "1"}, "gone": {"S": "x"}}})).unwrap();
        let result = call(&s, &format!("{DDB}updateItem"), json!({
            "TableName": "Orders", "Key": {"id": {"S": "o1"}},
            "UpdateExpression": "SET #st = :s, n = n + :one, c = if_not_exists(c, :zero), l = list_append(if_not_exists(l, :empty), :l) REMOVE gone ADD tags :t, hits :one",
            "ExpressionAttributeNames": {"#st": "status"},
            "ExpressionAttributeValues": {":s": {"S": "PAID"}, ":one": {"N": "1"}, ":zero": {"N": "0"}, ":empty": {"L": []}, ":l": {"L": [{"S": "a"}]}, ":t": {"SS": ["x", "y"]}},
            "ReturnValues": "ALL_NEW"})).unwrap();
        assert_eq!(result, json!({"Attributes": {"id": {"S": "o1"}, "n": {"N": "2"}, "status": {"S": "PAID"}, "c": {"N": "0"}, "l": {"L": [{"S": "a"}]}, "tags": {"SS": ["x", "y"]}, "hits": {"N": "1"}}}));
    }

    #[test]
    fn aws_errors() {
        let s = store();
        let err = |r: Result<Value, StatesError>| r.unwrap_err().error.unwrap_or_default();
        assert_eq!(err(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Missing", "Key": {"id": {"S": "1"}}}))), "DynamoDB.ResourceNotFoundException");
        let missing_key = call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": {"x": {"S": "1"}}})).unwrap_err();
        assert_eq!(missing_key.error.as_deref(), Some("DynamoDB.AmazonDynamoDBException"));
        assert!(missing_key.cause.unwrap().starts_with("One or more parameter values were invalid: Missing the key id in the item (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException;"));
        assert_eq!(err(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Orders", "Key": {"other": {"S": "1"}}}))), "DynamoDB.AmazonDynamoDBException");
        for bad in ["SET", "SET a = ", "SET a = :undefined", "SET #x = :v", "FROB a", "SET a = :v b", "SET a = :v, a = :v"] {
            let e = call(&s, &format!("{DDB}updateItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "1"}}, "UpdateExpression": bad, "ExpressionAttributeValues": {":v": {"S": "v"}}})).unwrap_err();
            assert_eq!(e.error.as_deref(), Some("DynamoDB.AmazonDynamoDBException"), "{bad}");
            assert!(e.cause.unwrap().starts_with("Invalid UpdateExpression: "), "{bad}");
        }
        assert_eq!(err(call(&s, "arn:aws:states:::sns:publish", json!({"TopicArn": "arn:aws:sns:us-east-1:1:t"}))), "SNS.InvalidParameterException");
        assert_eq!(err(call(&s, "arn:aws:states:::sqs:sendMessage", json!({"MessageBody": "x"}))), "SQS.AmazonSQSException");
    }

    #[test]
    fn condition_expressions_guard_writes_against_the_item_stored_before_them() {
        let s = store();
        let put = |item: Value, condition: &str, values: Value| {
            call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": item, "ConditionExpression": condition, "ExpressionAttributeValues": values}))
        };
        let failed = |r: Result<Value, StatesError>| {
            let e = r.unwrap_err();
            assert_eq!(e.error.as_deref(), Some("DynamoDB.ConditionalCheckFailedException"));
            let cause = e.cause.unwrap();
            assert!(cause.starts_with("The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException;"), "{cause}");
        };
        let first = json!({"id": {"S": "o1"}, "status": {"S": "NEW"}, "total": {"N": "20"}});
        // (request, condition, values, succeeds)
        put(first.clone(), "attribute_not_exists(id)", json!(null)).unwrap();
        failed(put(json!({"id": {"S": "o1"}, "status": {"S": "DUP"}}), "attribute_not_exists(id)", json!(null)));
        assert_eq!(s.borrow().tables["Orders"].items, vec![first.as_object().unwrap().clone()], "a failed put writes nothing");
        let update = |condition: &str, values: Value| {
            call(&s, &format!("{DDB}updateItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "o1"}}, "UpdateExpression": "SET #st = :paid",
                "ConditionExpression": condition, "ExpressionAttributeNames": {"#st": "status"}, "ExpressionAttributeValues": values, "ReturnValues": "UPDATED_NEW"}))
        };
        let cases: &[(&str, Value, bool)] = &[
            ("#st = :paid", json!({":paid": {"S": "PAID"}}), false),
            ("#st IN (:new, :open) AND total BETWEEN :lo AND :hi", json!({":paid": {"S": "PAID"}, ":new": {"S": "NEW"}, ":open": {"S": "OPEN"}, ":lo": {"N": "10"}, ":hi": {"N": "30"}}), true),
            ("#st <> :paid", json!({":paid": {"S": "PAID"}}), false),
            ("attribute_exists(id) AND NOT begins_with(#st, :n)", json!({":paid": {"S": "PAID"}, ":n": {"S": "NE"}}), true),
        ];
        for (condition, values, succeeds) in cases {
            let result = update(condition, values.clone());
            if *succeeds {
                assert_eq!(result.unwrap(), json!({"Attributes": {"status": {"S": "PAID"}}}), "{condition}");
            } else {
                failed(result);
            }
        }
        // An update whose condition fails creates no item.
        let absent = call(&s, &format!("{DDB}updateItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "o2"}}, "UpdateExpression": "SET n = :one",
            "ConditionExpression": "attribute_exists(id)", "ExpressionAttributeValues": {":one": {"N": "1"}}}));
        failed(absent);
        assert_eq!(s.borrow().tables["Orders"].items.len(), 1);
        let delete = |condition: &str, values: Value| {
            call(&s, &format!("{DDB}deleteItem"), json!({"TableName": "Orders", "Key": {"id": {"S": "o1"}}, "ConditionExpression": condition, "ExpressionAttributeValues": values}))
        };
        failed(delete("total > :t", json!({":t": {"N": "100"}})));
        delete("total <= :t", json!({":t": {"N": "100"}})).unwrap();
        assert!(s.borrow().tables["Orders"].items.is_empty());
    }

    #[test]
    fn invalid_condition_expressions_and_placeholders_are_validation_errors() {
        let s = store();
        let cases: &[(Value, &str)] = &[
            (json!({"ConditionExpression": "id = "}), "Invalid ConditionExpression: Syntax error; token: <EOF>"),
            (json!({"ConditionExpression": "id = :nope"}), "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"),
            (json!({"ConditionExpression": "attribute_exists(id)", "ExpressionAttributeValues": {":v": {"S": "v"}}}), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:v}"),
            (json!({"ConditionExpression": "attribute_exists(id)", "ExpressionAttributeNames": {"#n": "n"}}), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}"),
            (json!({"ExpressionAttributeValues": {":v": {"S": "v"}}}), "ExpressionAttributeValues can only be specified when using expressions"),
        ];
        for (members, expected) in cases {
            let mut input = json!({"TableName": "Orders", "Item": {"id": {"S": "o1"}}});
            input.as_object_mut().unwrap().extend(members.as_object().unwrap().clone());
            let e = call(&s, &format!("{DDB}putItem"), input).unwrap_err();
            assert_eq!(e.error.as_deref(), Some("DynamoDB.AmazonDynamoDBException"), "{members}");
            let cause = e.cause.unwrap();
            assert!(cause.starts_with(expected) && cause.contains("Error Code: ValidationException"), "{cause}");
        }
        assert!(s.borrow().tables["Orders"].items.is_empty());
    }

    #[test]
    fn attribute_values_must_be_typed_as_dynamodb_s_data_types() {
        let s = store();
        let refused = |resource: &str, input: Value| -> String {
            let e = call(&s, &format!("{DDB}{resource}"), input).unwrap_err();
            assert_eq!(e.error.as_deref(), Some("DynamoDB.AmazonDynamoDBException"));
            let cause = e.cause.unwrap();
            assert!(cause.contains("Error Code: ValidationException"), "{cause}");
            cause
        };
        // A bare value is an AttributeValue with no type.
        let bare = refused("putItem", json!({"TableName": "Orders", "Item": {"id": "o1"}}));
        assert!(bare.starts_with("One or more parameter values were invalid: Supplied AttributeValue is empty"), "{bare}");
        assert!(refused("getItem", json!({"TableName": "Orders", "Key": {"id": 7}})).contains("Supplied AttributeValue is empty"));
        assert!(refused("putItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1", "N": "1"}}})).contains("more than one datatypes set"));
        assert!(refused("putItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "n": {"N": "ten"}}})).starts_with("A value provided cannot be converted into a number"));
        // Inside a list or a map too, and in the values an expression names.
        assert!(refused("putItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "l": {"L": ["Process1"]}}})).contains("Supplied AttributeValue is empty"));
        let update = json!({"TableName": "Orders", "Key": {"id": {"S": "1"}}, "UpdateExpression": "SET a = :a", "ExpressionAttributeValues": {":a": "x"}});
        assert!(refused("updateItem", update).contains("Supplied AttributeValue is empty"));
        // Before the table is looked up, as DynamoDB validates a request first.
        assert!(refused("getItem", json!({"TableName": "NoSuchTable", "Key": {"id": "1"}})).contains("Supplied AttributeValue is empty"));
        // Scalars are read leniently, as the SDK's JSON reader does.
        let lenient = json!({"id": {"S": 7}, "n": {"N": 5}, "flag": {"BOOL": "false"}, "z": {"NULL": "true"}});
        assert_eq!(call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": lenient})).unwrap(), json!({}));
        assert!(refused("putItem", json!({"TableName": "Orders", "Item": {"id": {"S": "1"}, "z": {"NULL": false}}})).contains("Null attribute value types must have the value of true"));
        // Every data type, nested, is accepted.
        let item = json!({"id": {"S": "1"}, "n": {"N": "-1.5e3"}, "b": {"BOOL": false}, "z": {"NULL": true}, "ss": {"SS": ["a"]}, "ns": {"NS": ["1", "2"]},
            "m": {"M": {"x": {"L": [{"S": "a"}, {"M": {}}]}}}, "bin": {"B": "AAE="}});
        assert_eq!(call(&s, &format!("{DDB}putItem"), json!({"TableName": "Orders", "Item": item})).unwrap(), json!({}));
    }

    #[test]
    fn tables_created_on_use_learn_their_key_from_the_first_request_naming_it() {
        let s = SharedStore::default();
        assert_eq!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Undeclared", "Key": {"id": {"S": "1"}}})).unwrap_err().error.as_deref(), Some("DynamoDB.ResourceNotFoundException"));
        s.borrow_mut().create_tables_on_use = true;
        let item = json!({"pk": {"S": "a"}, "n": {"N": "1"}});
        assert_eq!(call(&s, &format!("{DDB}putItem"), json!({"TableName": "Fresh", "Item": item})).unwrap(), json!({}));
        assert!(s.borrow().tables["Fresh"].key.is_empty(), "a put names no key");
        assert_eq!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Fresh", "Key": {"pk": {"S": "a"}}})).unwrap(), json!({"Item": item}));
        assert_eq!(s.borrow().tables["Fresh"].key, ["pk"]);
        assert_eq!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Other", "Key": {"id": {"S": "x"}}})).unwrap(), json!({}));
        // Once known, the key is held against requests as on a declared table.
        assert!(call(&s, &format!("{DDB}getItem"), json!({"TableName": "Fresh", "Key": {"other": {"S": "a"}}})).is_err());
    }

    #[test]
    fn responses_carry_the_sdk_metadata() {
        let s = store();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut log = Vec::new();
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
        let input = json!({"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "m"});
        let request = TaskRequest { state_name: "S", resource: "arn:aws:states:::sns:publish", function_name: None, input: &input, attempt: 0 };
        let r = Services { store: s }.invoke(&request, &mut context).unwrap();
        assert_eq!(r["SdkHttpMetadata"]["HttpStatusCode"], 200);
        assert_eq!(r["SdkHttpMetadata"]["HttpHeaders"]["Content-Type"], "text/xml");
        assert_eq!(r["SdkHttpMetadata"]["AllHttpHeaders"]["x-amzn-RequestId"][0], r["SdkResponseMetadata"]["RequestId"]);
    }

    #[test]
    fn receiving_from_an_empty_queue_answers_no_messages_member_at_all() {
        let s = store();
        let receive = "arn:aws:states:::aws-sdk:sqs:receiveMessage";
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mut log = Vec::new();
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
        let input = json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/empty", "MaxNumberOfMessages": 10});
        let request = TaskRequest { state_name: "S", resource: receive, function_name: None, input: &input, attempt: 0 };
        // Not `{"Messages": []}`, and no SDK metadata: an aws-sdk answer is the service's members only.
        assert_eq!(Services { store: s.clone() }.invoke(&request, &mut context).unwrap(), json!({}));
        call(&s, "arn:aws:states:::aws-sdk:sqs:sendMessage", json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/empty", "MessageBody": "m"})).unwrap();
        let got = Services { store: s }.invoke(&request, &mut context).unwrap();
        assert_eq!(got["Messages"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn sns_and_sqs_keep_what_they_were_sent() {
        let s = store();
        let published = call(&s, "arn:aws:states:::sns:publish", json!({"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": {"a": 1}})).unwrap();
        assert_eq!(published["MessageId"].as_str().map(str::len), Some(36));
        let sent = call(&s, "arn:aws:states:::sqs:sendMessage", json!({"QueueUrl": "https://q", "MessageBody": "hello"})).unwrap();
        // MD5 of "hello".
        assert_eq!(sent["MD5OfMessageBody"], "5d41402abc4b2a76b9719d911017c592");
        assert_eq!(s.borrow().topics["arn:aws:sns:us-east-1:1:t"].len(), 1);
        assert_eq!(s.borrow().queues["https://q"][0]["MessageBody"], "hello");
    }
}
