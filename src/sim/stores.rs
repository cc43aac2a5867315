//! The simulated services' stores as document data: what a document seeds them with before every
//! run ([`StoreSeeds`]: S3 objects by bucket and key, DynamoDB items by table, the messages
//! waiting in SQS queues, SNS topics' subscriptions), the seeds the user types, pastes or drops
//! and the stores file of `statecraft run --stores FILE` ([`StoreSeeds::parse`]), checked with
//! located errors ([`SeedError`]: JSON pointer and line:column), and what the stores hold
//! ([`StoresView`]: buckets, tables, queues' messages, topics' published messages and
//! subscriptions), with the names the definition itself uses listed even while empty
//! ([`Referenced`]), so a file can be dropped on a bucket before anything ran. A run's changes
//! to them are a log ([`StoreChange`], followed step by step by [`StoreLog`]): the stores at
//! any moment are those at the start with the changes made by then ([`StoresView::at`]).
//!
//! Seeds are plain serde data, saved with the document in [`super::SimSettings`] and handed to
//! every run ([`super::batch::Simulator::with_stores`]); nothing here reaches into a running
//! engine.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::asl::json::{LineIndex, escape_pointer_token};
use crate::handlers::messages::Subscription;
use crate::handlers::s3::ObjectStore;
use crate::handlers::services::{ServiceStore, Table};

/// What the simulated stores hold before every run of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreSeeds {
    /// S3 objects: bucket, then key, then the object's text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub buckets: BTreeMap<String, BTreeMap<String, String>>,
    /// DynamoDB tables: their items, in DynamoDB's typed JSON (`{"id": {"S": "o1"}}`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tables: BTreeMap<String, Vec<Map<String, Value>>>,
    /// SQS queues by URL: the messages waiting in them, oldest first, each an object with its
    /// `MessageBody` text (and `MessageAttributes`, `MessageGroupId` ... as `sendMessage` takes them).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub queues: BTreeMap<String, Vec<Map<String, Value>>>,
    /// SNS topics by ARN: their subscriptions (an SQS one receives what the run publishes).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub topics: BTreeMap<String, TopicSeed>,
}

/// A topic as seeded: its subscriptions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicSeed {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<Subscription>,
}

/// A seed that cannot be taken, located in the text the user gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedError {
    /// The JSON pointer of the offending value ("" for the whole text, or a syntax error).
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "Line {}, column {}: {}", self.line, self.column, self.message)
        } else {
            write!(f, "Line {}, column {} (at {}): {}", self.line, self.column, self.pointer, self.message)
        }
    }
}

/// Reads `text` as JSON, keeping spans, or says where it stops being JSON.
fn read(text: &str) -> Result<crate::asl::json::Node, SeedError> {
    crate::asl::json::read(text).map_err(|e| SeedError { pointer: String::new(), line: e.line, column: e.column, message: e.message })
}

/// A [`SeedError`] at `pointer` in `text` (read into `root`).
fn at(text: &str, root: &crate::asl::json::Node, pointer: &str, message: String) -> SeedError {
    let offset = root.at_pointer(pointer).map_or(0, |(node, _)| node.span.start as usize);
    let position = LineIndex::new(text).position(offset);
    SeedError { pointer: pointer.to_string(), line: position.line, column: position.column, message }
}

/// Reads the stores file `name` holding `text` ([`StoreSeeds::parse`]), its error as
/// `NAME:LINE:COLUMN: message (at POINTER)` for a terminal.
pub fn read_file(name: &str, text: &str) -> Result<StoreSeeds, String> {
    StoreSeeds::parse(text).map_err(|e| {
        let at = if e.pointer.is_empty() { String::new() } else { format!(" (at {})", e.pointer) };
        format!("{name}:{}:{}: {}{at}", e.line, e.column, e.message)
    })
}

/// DynamoDB's attribute value types.
const ATTRIBUTE_TYPES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

/// A plain JSON value as a DynamoDB attribute value (for the suggestion in an error).
fn typed(value: &Value) -> Value {
    match value {
        Value::Null => serde_json::json!({"NULL": true}),
        Value::Bool(b) => serde_json::json!({"BOOL": b}),
        Value::Number(n) => serde_json::json!({"N": n.to_string()}),
        Value::String(s) => serde_json::json!({"S": s}),
        Value::Array(items) => serde_json::json!({"L": items.iter().map(typed).collect::<Vec<_>>()}),
        Value::Object(members) => serde_json::json!({"M": members.iter().map(|(k, v)| (k.clone(), typed(v))).collect::<Map<_, _>>()}),
    }
}

/// Why `value` is not a DynamoDB attribute value, if it is not.
fn attribute_problem(value: &Value) -> Option<String> {
    let suggestion = || serde_json::to_string(&typed(value)).unwrap_or_default();
    let Some(members) = value.as_object() else {
        return Some(format!("{} is not a DynamoDB attribute value: write it typed, as {}", serde_json::to_string(value).unwrap_or_default(), suggestion()));
    };
    match members.iter().next() {
        Some((kind, _)) if members.len() == 1 && ATTRIBUTE_TYPES.contains(&kind.as_str()) => None,
        _ => Some(format!(
            "an attribute value is an object with one member naming its type ({}), such as {{\"S\": \"text\"}} or {{\"N\": \"1\"}}; as a map it would be {}",
            ATTRIBUTE_TYPES.join(", "),
            suggestion()
        )),
    }
}

/// A problem found in a value: its JSON pointer and what is wrong.
type Problem = (String, String);

/// A table's items at `base`: an array of items (or one item) in DynamoDB's typed JSON.
fn items_of(value: &Value, base: &str) -> Result<Vec<Map<String, Value>>, Problem> {
    let (items, indexed): (Vec<&Value>, bool) = match value {
        Value::Array(items) => (items.iter().collect(), true),
        Value::Object(_) => (vec![value], false),
        other => {
            return Err((base.to_string(), format!("the items are a JSON array of items such as [{{\"id\": {{\"S\": \"o1\"}}}}], not a {}", crate::asl::json::type_name(other))));
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let at = if indexed { format!("{base}/{i}") } else { base.to_string() };
        let Some(attributes) = item.as_object() else {
            return Err((at, format!("an item is an object of attributes, not a {}", crate::asl::json::type_name(item))));
        };
        if attributes.is_empty() {
            return Err((at, "an item needs at least its key attribute".into()));
        }
        for (name, attribute) in attributes {
            if let Some(problem) = attribute_problem(attribute) {
                return Err((format!("{at}/{}", escape_pointer_token(name)), problem));
            }
        }
        out.push(attributes.clone());
    }
    Ok(out)
}

/// Reads a table's items from `text`: a JSON array of items (or one item) in DynamoDB's typed
/// JSON, as `getItem` returns them.
pub fn parse_items(text: &str) -> Result<Vec<Map<String, Value>>, SeedError> {
    let root = read(text)?;
    items_of(&root.to_serde(), "").map_err(|(pointer, message)| at(text, &root, &pointer, message))
}

/// The members a seeded message may have: `sendMessage`'s.
const MESSAGE_MEMBERS: [&str; 6] = ["MessageBody", "MessageAttributes", "MessageSystemAttributes", "MessageGroupId", "MessageDeduplicationId", "DelaySeconds"];

/// A queue's messages at `base`: an array of bodies (text) or of objects as `sendMessage`
/// takes them; a body that is not text is kept as its JSON text, as `sendMessage` sends it.
fn messages_of(value: &Value, base: &str) -> Result<Vec<Map<String, Value>>, Problem> {
    let Value::Array(messages) = value else {
        return Err((base.to_string(), format!("a queue's messages are a JSON array such as [\"first body\", {{\"MessageBody\": \"second\"}}], not a {}", crate::asl::json::type_name(value))));
    };
    let mut out = Vec::new();
    for (i, message) in messages.iter().enumerate() {
        let at = format!("{base}/{i}");
        let mut members = match message {
            Value::Object(members) => members.clone(),
            Value::Null => return Err((at, "a message needs a body: its text, or {\"MessageBody\": ...}".into())),
            body => Map::from_iter([("MessageBody".to_string(), body.clone())]),
        };
        if let Some(unknown) = members.keys().find(|k| !MESSAGE_MEMBERS.contains(&k.as_str())) {
            return Err((format!("{at}/{}", escape_pointer_token(unknown)), format!("unknown member \"{unknown}\" of a message: it may have {}", MESSAGE_MEMBERS.join(", "))));
        }
        match members.get("MessageBody") {
            None | Some(Value::Null) => return Err((at, "a message needs its \"MessageBody\"".into())),
            Some(Value::String(_)) => {}
            Some(other) => {
                let text = crate::handlers::messages::body_text(other);
                members.insert("MessageBody".into(), Value::String(text));
            }
        }
        if let Some(attributes) = members.get("MessageAttributes") {
            let Some(attributes) = attributes.as_object() else {
                return Err((format!("{at}/MessageAttributes"), "MessageAttributes is an object such as {\"kind\": {\"DataType\": \"String\", \"StringValue\": \"job\"}}".into()));
            };
            for (name, attribute) in attributes {
                if attribute.get("DataType").and_then(Value::as_str).is_none() {
                    return Err((format!("{at}/MessageAttributes/{}", escape_pointer_token(name)), "a message attribute needs its \"DataType\" (String, Number or Binary) and a \"StringValue\" or \"BinaryValue\"".into()));
                }
            }
        }
        out.push(members);
    }
    Ok(out)
}

/// Reads a queue's messages from `text` ([`messages_of`]).
pub fn parse_messages(text: &str) -> Result<Vec<Map<String, Value>>, SeedError> {
    let root = read(text)?;
    messages_of(&root.to_serde(), "").map_err(|(pointer, message)| at(text, &root, &pointer, message))
}

/// A topic's subscriptions at `base`: an array of endpoints (the protocol read from the
/// endpoint's form) or of `{"Protocol", "Endpoint", "RawMessageDelivery"}`.
fn subscriptions_of(value: &Value, base: &str) -> Result<Vec<Subscription>, Problem> {
    let Value::Array(list) = value else {
        return Err((base.to_string(), format!("a topic's subscriptions are a JSON array such as [\"arn:aws:sqs:us-east-1:123456789012:queue\"], not a {}", crate::asl::json::type_name(value))));
    };
    let mut out = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let at = format!("{base}/{i}");
        let subscription = match entry {
            Value::String(endpoint) => Subscription { protocol: Subscription::protocol_of(endpoint).into(), endpoint: endpoint.clone(), raw: false },
            Value::Object(members) => {
                if let Some(unknown) = members.keys().find(|k| !["Protocol", "Endpoint", "RawMessageDelivery"].contains(&k.as_str())) {
                    return Err((format!("{at}/{}", escape_pointer_token(unknown)), format!("unknown member \"{unknown}\" of a subscription: it has Protocol, Endpoint and RawMessageDelivery")));
                }
                let Some(endpoint) = members.get("Endpoint").and_then(Value::as_str) else {
                    return Err((at, "a subscription needs its \"Endpoint\" (a queue's ARN or URL, a function's ARN, an address)".into()));
                };
                let protocol = match members.get("Protocol") {
                    None => Subscription::protocol_of(endpoint).to_string(),
                    Some(Value::String(p)) => p.clone(),
                    Some(_) => return Err((format!("{at}/Protocol"), "Protocol is text: sqs, lambda, email, https ...".into())),
                };
                let raw = match members.get("RawMessageDelivery") {
                    None => false,
                    Some(Value::Bool(b)) => *b,
                    Some(Value::String(s)) if s == "true" || s == "false" => s == "true",
                    Some(_) => return Err((format!("{at}/RawMessageDelivery"), "RawMessageDelivery is true or false".into())),
                };
                Subscription { protocol, endpoint: endpoint.to_string(), raw }
            }
            other => return Err((at, format!("a subscription is its endpoint or an object with \"Endpoint\", not a {}", crate::asl::json::type_name(other)))),
        };
        if subscription.endpoint.trim().is_empty() {
            return Err((at, "a subscription's endpoint is empty".into()));
        }
        out.push(subscription);
    }
    Ok(out)
}

/// Reads a topic's subscriptions from `text` ([`subscriptions_of`]).
pub fn parse_subscriptions(text: &str) -> Result<Vec<Subscription>, SeedError> {
    let root = read(text)?;
    subscriptions_of(&root.to_serde(), "").map_err(|(pointer, message)| at(text, &root, &pointer, message))
}

/// A topic at `base`: `{"subscriptions": [...]}`.
fn topic_of(value: &Value, base: &str) -> Result<TopicSeed, Problem> {
    let Value::Object(members) = value else {
        return Err((base.to_string(), format!("a topic is an object such as {{\"subscriptions\": [\"arn:aws:sqs:us-east-1:123456789012:queue\"]}}, not a {}", crate::asl::json::type_name(value))));
    };
    if let Some(unknown) = members.keys().find(|k| *k != "subscriptions") {
        return Err((format!("{base}/{}", escape_pointer_token(unknown)), format!("unknown member \"{unknown}\" of a topic: it has \"subscriptions\"")));
    }
    let subscriptions = match members.get("subscriptions") {
        Some(list) => subscriptions_of(list, &format!("{base}/subscriptions"))?,
        None => Vec::new(),
    };
    Ok(TopicSeed { subscriptions })
}

/// A bucket's objects at `base`: `{KEY: body}`, a body being the object's text or any other
/// JSON value kept as its JSON text; each checked against what its key says it is.
fn objects_of(value: &Value, base: &str) -> Result<BTreeMap<String, String>, Problem> {
    let Value::Object(objects) = value else {
        return Err((base.to_string(), format!("a bucket is an object of objects by key, such as {{\"rows.csv\": \"id,name\\n1,Ada\\n\"}}, not a {}", crate::asl::json::type_name(value))));
    };
    let mut out = BTreeMap::new();
    for (key, body) in objects {
        let at = format!("{base}/{}", escape_pointer_token(key));
        let text = match body {
            Value::String(s) => s.clone(),
            other => serde_json::to_string(other).unwrap_or_default(),
        };
        if let Err(e) = check_object(key, &text) {
            return Err((at, format!("the object's text, line {} column {}: {}", e.line, e.column, e.message)));
        }
        out.insert(key.clone(), text);
    }
    Ok(out)
}

/// What an object's key says its text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectFormat {
    Json,
    JsonLines,
    Csv,
    Text,
}

impl ObjectFormat {
    /// From the key's extension (`.json`, `.jsonl`/`.ndjson`, `.csv`/`.tsv`); anything else is text.
    pub fn of_key(key: &str) -> ObjectFormat {
        let extension = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match extension.as_str() {
            "json" => ObjectFormat::Json,
            "jsonl" | "ndjson" => ObjectFormat::JsonLines,
            "csv" | "tsv" => ObjectFormat::Csv,
            _ => ObjectFormat::Text,
        }
    }
}

/// Checks an object's text against what its key says it is: a `.json` object is one JSON
/// document, a `.jsonl` object one per non-blank line, a `.csv` object rows of fields with
/// balanced quotes. An error is located in the text.
pub fn check_object(key: &str, body: &str) -> Result<(), SeedError> {
    if key.is_empty() {
        return Err(SeedError { pointer: String::new(), line: 1, column: 1, message: "an object needs a key (its name in the bucket)".into() });
    }
    match ObjectFormat::of_key(key) {
        ObjectFormat::Json => read(body).map(|_| ()),
        ObjectFormat::JsonLines => {
            for (i, line) in body.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                if let Err(e) = crate::asl::json::read(line) {
                    return Err(SeedError { pointer: String::new(), line: i + 1, column: e.column, message: format!("this JSON Lines line is not JSON: {}", e.message) });
                }
            }
            Ok(())
        }
        ObjectFormat::Csv => {
            let delimiter = if key.to_ascii_lowercase().ends_with(".tsv") { b'\t' } else { b',' };
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(body.as_bytes());
            for record in reader.records() {
                if let Err(e) = record {
                    let line = e.position().map_or(1, |p| p.line() as usize);
                    return Err(SeedError { pointer: String::new(), line, column: 1, message: format!("this CSV row cannot be read: {e}") });
                }
            }
            // The csv crate closes an unbalanced quote at the end of the text; S3's reader
            // would read one field swallowing the rest, which is never what was meant.
            if body.bytes().filter(|b| *b == b'"').count() % 2 == 1 {
                let offset = body.rfind('"').unwrap_or(0);
                let p = LineIndex::new(body).position(offset);
                return Err(SeedError { pointer: String::new(), line: p.line, column: p.column, message: "this quote is never closed".into() });
            }
            Ok(())
        }
        ObjectFormat::Text => Ok(()),
    }
}

/// A file dropped on a bucket, as the object it becomes: its name is the key, its bytes the
/// text (UTF-8, a byte-order mark dropped), checked as [`check_object`] does.
pub fn object_from_file(name: &str, bytes: &[u8]) -> Result<(String, String), SeedError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes);
    let body = String::from_utf8(bytes.to_vec()).map_err(|e| {
        let valid = &bytes[..e.utf8_error().valid_up_to()];
        let p = LineIndex::new(std::str::from_utf8(valid).unwrap_or_default()).position(valid.len());
        SeedError { pointer: String::new(), line: p.line, column: p.column, message: format!("{name} is not UTF-8 text (the simulated objects are text: JSON, JSON Lines or CSV)") }
    })?;
    check_object(name, &body).map_err(|e| SeedError { message: format!("{name}: {}", e.message), ..e })?;
    Ok((name.to_string(), body))
}

impl StoreSeeds {
    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty() && self.tables.is_empty() && self.queues.is_empty() && self.topics.is_empty()
    }

    /// With the object `key` of `bucket` holding `body`, once checked ([`check_object`]).
    pub fn with_object(&self, bucket: &str, key: &str, body: &str) -> Result<StoreSeeds, SeedError> {
        if bucket.trim().is_empty() {
            return Err(SeedError { pointer: String::new(), line: 1, column: 1, message: "an object needs a bucket".into() });
        }
        check_object(key, body)?;
        let mut out = self.clone();
        out.buckets.entry(bucket.to_string()).or_default().insert(key.to_string(), body.to_string());
        Ok(out)
    }

    /// Without the object `key` of `bucket` (a bucket left empty goes too).
    pub fn without_object(&self, bucket: &str, key: &str) -> StoreSeeds {
        let mut out = self.clone();
        if let Some(objects) = out.buckets.get_mut(bucket) {
            objects.remove(key);
            if objects.is_empty() {
                out.buckets.remove(bucket);
            }
        }
        out
    }

    /// With `table` holding the items read from `text` ([`parse_items`]); an empty array
    /// leaves the table unseeded.
    pub fn with_items(&self, table: &str, text: &str) -> Result<StoreSeeds, SeedError> {
        if table.trim().is_empty() {
            return Err(SeedError { pointer: String::new(), line: 1, column: 1, message: "items need a table".into() });
        }
        let items = parse_items(text)?;
        let mut out = self.clone();
        if items.is_empty() {
            out.tables.remove(table);
        } else {
            out.tables.insert(table.to_string(), items);
        }
        Ok(out)
    }

    /// The items of `table` as the text the user edits (`[]` when unseeded).
    pub fn items_text(&self, table: &str) -> String {
        let items: Vec<Value> = self.tables.get(table).into_iter().flatten().map(|m| Value::Object(m.clone())).collect();
        serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
    }

    /// Writes the seeds into `store` at virtual time `now` (objects' LastModified). Seeded
    /// tables learn their key from the first request naming one, as tables created on use do.
    pub fn seed(&self, store: &mut ServiceStore, now: crate::asl::clock::Millis) {
        for (bucket, objects) in &self.buckets {
            store.s3.create_bucket(bucket);
            for (key, body) in objects {
                store.s3.put_object(bucket, key, body.clone(), now);
            }
        }
        for (name, items) in &self.tables {
            let table = store.tables.entry(name.clone()).or_insert_with(Table::default);
            table.items.extend(items.iter().cloned());
        }
        self.seed_messages(store);
    }

    /// Writes the queues' messages and the topics' subscriptions into `store` (the part of
    /// [`StoreSeeds::seed`] a simulator holding its own S3 and DynamoDB copies adds).
    pub fn seed_messages(&self, store: &mut ServiceStore) {
        for (queue, messages) in &self.queues {
            store.queues.entry(queue.clone()).or_default();
            for message in messages {
                crate::handlers::messages::seed_message(store, queue, message.clone());
            }
        }
        for (topic, seed) in &self.topics {
            store.topics.entry(topic.clone()).or_default();
            store.subscriptions.entry(topic.clone()).or_default().extend(seed.subscriptions.iter().cloned());
            // A subscribed queue exists in the account, empty until something is published.
            for subscription in seed.subscriptions.iter().filter(|s| s.protocol == "sqs") {
                let queue = crate::handlers::messages::queue_key(store, &subscription.endpoint);
                store.queues.entry(queue).or_default();
            }
        }
    }

    /// These seeds with `other`'s over them (a store named in both takes `other`'s contents).
    pub fn merged(&self, other: &StoreSeeds) -> StoreSeeds {
        let mut out = self.clone();
        for (bucket, objects) in &other.buckets {
            out.buckets.entry(bucket.clone()).or_default().extend(objects.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        out.tables.extend(other.tables.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.queues.extend(other.queues.iter().map(|(k, v)| (k.clone(), v.clone())));
        out.topics.extend(other.topics.iter().map(|(k, v)| (k.clone(), v.clone())));
        out
    }

    /// With `queue` holding the messages read from `text` ([`parse_messages`]); an empty array
    /// leaves the queue unseeded.
    pub fn with_messages(&self, queue: &str, text: &str) -> Result<StoreSeeds, SeedError> {
        if queue.trim().is_empty() {
            return Err(SeedError { pointer: String::new(), line: 1, column: 1, message: "messages need a queue (its URL)".into() });
        }
        let messages = parse_messages(text)?;
        let mut out = self.clone();
        if messages.is_empty() {
            out.queues.remove(queue);
        } else {
            out.queues.insert(queue.to_string(), messages);
        }
        Ok(out)
    }

    /// The messages of `queue` as the text the user edits (`[]` when unseeded).
    pub fn messages_text(&self, queue: &str) -> String {
        let messages: Vec<Value> = self.queues.get(queue).into_iter().flatten().map(|m| Value::Object(m.clone())).collect();
        serde_json::to_string_pretty(&messages).unwrap_or_else(|_| "[]".into())
    }

    /// With `topic` having the subscriptions read from `text` ([`parse_subscriptions`]); an
    /// empty array leaves the topic unseeded.
    pub fn with_subscriptions(&self, topic: &str, text: &str) -> Result<StoreSeeds, SeedError> {
        if topic.trim().is_empty() {
            return Err(SeedError { pointer: String::new(), line: 1, column: 1, message: "subscriptions need a topic (its ARN)".into() });
        }
        let subscriptions = parse_subscriptions(text)?;
        let mut out = self.clone();
        if subscriptions.is_empty() {
            out.topics.remove(topic);
        } else {
            out.topics.insert(topic.to_string(), TopicSeed { subscriptions });
        }
        Ok(out)
    }

    /// The subscriptions of `topic` as the text the user edits (`[]` when unseeded).
    pub fn subscriptions_text(&self, topic: &str) -> String {
        let subscriptions = self.topics.get(topic).map(|t| t.subscriptions.clone()).unwrap_or_default();
        serde_json::to_string_pretty(&subscriptions).unwrap_or_else(|_| "[]".into())
    }

    /// Reads a stores file (`statecraft run --stores FILE`): the document's seeds as JSON,
    /// `{"buckets": {BUCKET: {KEY: body}}, "tables": {TABLE: [item]}, "queues": {URL: [message]},
    /// "topics": {ARN: {"subscriptions": [subscription]}}}`, every part optional. An object's
    /// body is its text, or any other JSON value kept as its JSON text; a message is its body
    /// text or an object as `sendMessage` takes it; a subscription is its endpoint or an object
    /// `{"Protocol", "Endpoint", "RawMessageDelivery"}`. The first problem is located.
    pub fn parse(text: &str) -> Result<StoreSeeds, SeedError> {
        let root = read(text)?;
        let value = root.to_serde();
        let fail = |pointer: &str, message: String| Err(at(text, &root, pointer, message));
        let Some(members) = value.as_object() else {
            return fail("", format!("a stores file is a JSON object with \"buckets\", \"tables\", \"queues\" and \"topics\", not a {}", crate::asl::json::type_name(&value)));
        };
        let mut out = StoreSeeds::default();
        for (part, content) in members {
            let base = format!("/{}", escape_pointer_token(part));
            if !["buckets", "tables", "queues", "topics"].contains(&part.as_str()) {
                return fail(&base, format!("unknown member \"{part}\": a stores file has \"buckets\", \"tables\", \"queues\" and \"topics\""));
            }
            let Some(stores) = content.as_object() else {
                return fail(&base, format!("\"{part}\" is an object of stores by name, not a {}", crate::asl::json::type_name(content)));
            };
            for (name, store) in stores {
                let at_store = format!("{base}/{}", escape_pointer_token(name));
                if name.trim().is_empty() {
                    return fail(&at_store, format!("a store in \"{part}\" needs a name"));
                }
                let result = match part.as_str() {
                    "buckets" => objects_of(store, &at_store).map(|objects| {
                        out.buckets.insert(name.clone(), objects);
                    }),
                    "tables" => items_of(store, &at_store).map(|items| {
                        out.tables.insert(name.clone(), items);
                    }),
                    "queues" => messages_of(store, &at_store).map(|messages| {
                        out.queues.insert(name.clone(), messages);
                    }),
                    "topics" => topic_of(store, &at_store).map(|topic| {
                        out.topics.insert(name.clone(), topic);
                    }),
                    _ => Err((base.clone(), format!("unknown member \"{part}\": a stores file has \"buckets\", \"tables\", \"queues\" and \"topics\""))),
                };
                if let Err((pointer, message)) = result {
                    return fail(&pointer, message);
                }
            }
        }
        Ok(out)
    }

    /// The store a run starts from: the seeds alone.
    pub fn store(&self, now: crate::asl::clock::Millis) -> ServiceStore {
        let mut store = ServiceStore::default();
        self.seed(&mut store, now);
        store
    }

    /// The S3 part, for the simulator's own copy ([`super::batch::Simulator::s3`]).
    pub fn objects(&self, now: crate::asl::clock::Millis) -> ObjectStore {
        self.store(now).s3
    }
}

/// The stores a definition names with literal values: buckets (Task parameters, ItemReader,
/// ResultWriter), tables, queue URLs and topic ARNs; with the object keys it names per bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referenced {
    pub buckets: BTreeMap<String, BTreeSet<String>>,
    pub tables: BTreeSet<String>,
    pub queues: BTreeSet<String>,
    pub topics: BTreeSet<String>,
}

impl Referenced {
    /// Walks every object with a `Resource` (Tasks, ItemReaders and ResultWriters, at any
    /// depth) and reads its `Parameters` or `Arguments` for the members that name a store.
    pub fn of_definition(definition: &Value) -> Referenced {
        let mut out = Referenced::default();
        out.walk(definition);
        out
    }

    /// [`Referenced::of_definition`] of a definition's text (nothing when it is not JSON).
    pub fn of_text(text: &str) -> Referenced {
        serde_json::from_str(text).map(|d| Referenced::of_definition(&d)).unwrap_or_default()
    }

    fn walk(&mut self, value: &Value) {
        match value {
            Value::Object(members) => {
                if let Some(resource) = members.get("Resource").and_then(Value::as_str) {
                    let arguments = members.get("Parameters").or_else(|| members.get("Arguments"));
                    if let Some(arguments) = arguments.and_then(Value::as_object) {
                        self.note(resource, arguments);
                    }
                }
                members.values().for_each(|v| self.walk(v));
            }
            Value::Array(items) => items.iter().for_each(|v| self.walk(v)),
            _ => {}
        }
    }

    fn note(&mut self, resource: &str, arguments: &Map<String, Value>) {
        // A literal: not a path (`Bucket.$`, which is another member) nor a JSONata expression.
        let literal = |member: &str| arguments.get(member).and_then(Value::as_str).filter(|s| !s.is_empty() && !s.starts_with("{%")).map(str::to_string);
        let service = resource.strip_prefix("arn:aws:states:::").map(|r| r.strip_prefix("aws-sdk:").unwrap_or(r)).unwrap_or("");
        let service = service.split(':').next().unwrap_or("");
        match service {
            "s3" => {
                if let Some(bucket) = literal("Bucket") {
                    let keys = self.buckets.entry(bucket).or_default();
                    keys.extend(literal("Key"));
                }
            }
            "dynamodb" => self.tables.extend(literal("TableName")),
            "sqs" => self.queues.extend(literal("QueueUrl")),
            "sns" => self.topics.extend(literal("TopicArn").or_else(|| literal("TargetArn"))),
            _ => {}
        }
    }
}

/// An S3 object as the Stores tab shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObjectView {
    pub key: String,
    pub size: usize,
    pub body: String,
}

/// A bucket and its objects, in key order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketView {
    pub name: String,
    pub objects: Vec<ObjectView>,
    /// Keys the definition names in this bucket that it does not hold.
    pub missing_keys: Vec<String>,
}

/// A table, its key (once known) and its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableView {
    pub name: String,
    pub key: Vec<String>,
    pub items: Vec<Value>,
}

/// A queue or a topic and its messages: a queue's, those waiting in it (seeded or sent, received
/// ones until deleted); a topic's, those published to it (the requests' parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesView {
    pub name: String,
    pub messages: Vec<Value>,
    /// A topic's subscriptions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subscriptions: Vec<Subscription>,
}

/// The stores of messages, whose seeds are edited as one JSON text each: a queue (its waiting
/// messages: bodies, or objects as `sendMessage` takes them) and a topic (its subscriptions:
/// endpoints, or `{"Protocol", "Endpoint", "RawMessageDelivery"}`). The Stores tab's queue and
/// topic cards are one card over this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageStore {
    Queue,
    Topic,
}

impl MessageStore {
    /// The seeds of the store `name` as the text the user edits (`[]` when unseeded).
    pub fn seed_text(self, seeds: &StoreSeeds, name: &str) -> String {
        match self {
            MessageStore::Queue => seeds.messages_text(name),
            MessageStore::Topic => seeds.subscriptions_text(name),
        }
    }

    /// `seeds` with the store `name` seeded from `text`, or where `text` is wrong, located.
    pub fn with_seed_text(self, seeds: &StoreSeeds, name: &str, text: &str) -> Result<StoreSeeds, SeedError> {
        match self {
            MessageStore::Queue => seeds.with_messages(name, text),
            MessageStore::Topic => seeds.with_subscriptions(name, text),
        }
    }

    /// The stores of this kind in `view`.
    pub fn all(self, view: &StoresView) -> &[MessagesView] {
        match self {
            MessageStore::Queue => &view.queues,
            MessageStore::Topic => &view.topics,
        }
    }

    /// The messages of the store `name` in `view` (waiting in a queue, published to a topic);
    /// none when `view` does not have it.
    pub fn messages(self, view: &StoresView, name: &str) -> Vec<Value> {
        self.all(view).iter().find(|m| m.name == name).map(|m| m.messages.clone()).unwrap_or_default()
    }
}

/// What the simulated stores hold at one time, with every store the definition names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoresView {
    pub buckets: Vec<BucketView>,
    pub tables: Vec<TableView>,
    pub queues: Vec<MessagesView>,
    pub topics: Vec<MessagesView>,
}

impl StoresView {
    /// The stores of `store`, and the empty ones `referenced` names.
    pub fn of(store: &ServiceStore, referenced: &Referenced) -> StoresView {
        let names = |held: Vec<&String>, named: &BTreeSet<String>| -> BTreeSet<String> { crate::asl::sort::set(held.into_iter().cloned().chain(named.iter().cloned())) };
        let bucket_names: BTreeSet<String> = crate::asl::sort::set(store.s3.buckets.keys().cloned().chain(referenced.buckets.keys().cloned()));
        let buckets = bucket_names
            .into_iter()
            .map(|name| {
                let objects: Vec<ObjectView> = store.s3.objects(&name).map(|(key, o)| ObjectView { key: key.to_string(), size: o.size(), body: o.body.clone() }).collect();
                let missing_keys = referenced.buckets.get(&name).into_iter().flatten().filter(|k| store.s3.object(&name, k).is_none()).cloned().collect();
                BucketView { name, objects, missing_keys }
            })
            .collect();
        let tables = names(store.tables.keys().collect(), &referenced.tables)
            .into_iter()
            .map(|name| {
                let table = store.tables.get(&name);
                TableView {
                    key: table.map(|t| t.key.clone()).unwrap_or_default(),
                    items: table.into_iter().flat_map(|t| t.items.iter().map(|i| Value::Object(i.clone()))).collect(),
                    name,
                }
            })
            .collect();
        let messages = |held: &BTreeMap<String, Vec<Value>>, named: &BTreeSet<String>| -> Vec<MessagesView> {
            names(held.keys().collect(), named)
                .into_iter()
                .map(|name| MessagesView { messages: held.get(&name).cloned().unwrap_or_default(), subscriptions: store.subscriptions.get(&name).cloned().unwrap_or_default(), name })
                .collect()
        };
        let mut topics = messages(&store.topics, &referenced.topics);
        for (name, subscriptions) in &store.subscriptions {
            if !topics.iter().any(|t| &t.name == name) {
                let at = topics.partition_point(|t| &t.name < name);
                topics.insert(at, MessagesView { name: name.clone(), messages: Vec::new(), subscriptions: subscriptions.clone() });
            }
        }
        StoresView { buckets, tables, queues: messages(&store.queues, &referenced.queues), topics }
    }

    /// The stores before a run: `seeds`, and the empty stores `referenced` names.
    pub fn before(seeds: &StoreSeeds, referenced: &Referenced) -> StoresView {
        StoresView::of(&seeds.store(crate::asl::clock::VirtualClock::START), referenced)
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty() && self.tables.is_empty() && self.queues.is_empty() && self.topics.is_empty()
    }
}

/// One change to what the stores hold, as a run made it: the record of a run keeps these in
/// order (a change log, not a copy of the stores per moment), and each moment how many had been
/// made by then, so the stores at any moment are the stores at the start with that many applied
/// ([`StoresView::at`]).
/// Externally tagged on the wire (serde's default): an internally tagged enum is read through a
/// buffer of its own (serde's `Content`), twice the code in the page's wasm.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum StoreChange {
    /// An object written: created or replaced.
    PutObject { bucket: String, key: String, body: String },
    DeleteObject { bucket: String, key: String },
    /// A table's items `at..at + removed` replaced by `inserted` (an item put at the end, one
    /// updated in place, one deleted); with the table's key as known then.
    Items { table: String, key: Vec<String>, at: usize, removed: usize, inserted: Vec<Value> },
    /// A queue's messages `at..at + removed` replaced by `inserted` (sent, delivered, deleted).
    Queue { queue: String, at: usize, removed: usize, inserted: Vec<Value> },
    /// A topic's published messages, the same way.
    Topic { topic: String, at: usize, removed: usize, inserted: Vec<Value> },
}

/// The splice that turns `old` into `new` (`same` compares an old element with a new one, `own`
/// makes a new one a value): the common head and tail are kept, the middle replaced. `None`
/// when they are the same.
fn splice<T>(old: &[Value], new: &[T], same: impl Fn(&Value, &T) -> bool, own: impl Fn(&T) -> Value) -> Option<(usize, usize, Vec<Value>)> {
    let head = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    if head == old.len() && head == new.len() {
        return None;
    }
    let tail = old[head..].iter().rev().zip(new[head..].iter().rev()).take_while(|(a, b)| same(a, b)).count();
    Some((head, old.len() - head - tail, new[head..new.len() - tail].iter().map(own).collect()))
}

/// Applies a splice to `list`.
fn apply_splice(list: &mut Vec<Value>, at: usize, removed: usize, inserted: &[Value]) {
    let at = at.min(list.len());
    let end = (at + removed).min(list.len());
    list.splice(at..end, inserted.iter().cloned());
}

/// The entry named `name` of a list kept in name order, made (by `make`) when missing.
fn entry<'v, T>(list: &'v mut Vec<T>, name: &str, of: impl Fn(&T) -> &str, make: impl FnOnce() -> T) -> &'v mut T {
    let at = list.partition_point(|t| of(t) < name);
    if list.get(at).is_none_or(|t| of(t) != name) {
        list.insert(at, make());
    }
    &mut list[at]
}

/// What changed from `view` (the stores as last seen) to `store`, in the order buckets, tables,
/// queues, topics.
pub fn changes(view: &StoresView, store: &ServiceStore) -> Vec<StoreChange> {
    let mut out = Vec::new();
    for (bucket, held) in &store.s3.buckets {
        let seen = view.buckets.iter().find(|b| &b.name == bucket);
        let seen_objects = seen.map(|b| b.objects.as_slice()).unwrap_or_default();
        for (key, object) in &held.objects {
            if !seen_objects.iter().any(|o| &o.key == key && o.body == object.body) {
                out.push(StoreChange::PutObject { bucket: bucket.clone(), key: key.clone(), body: object.body.clone() });
            }
        }
        for gone in seen_objects.iter().filter(|o| !held.objects.contains_key(&o.key)) {
            out.push(StoreChange::DeleteObject { bucket: bucket.clone(), key: gone.key.clone() });
        }
    }
    for (name, table) in &store.tables {
        let seen = view.tables.iter().find(|t| &t.name == name);
        let old = seen.map(|t| t.items.as_slice()).unwrap_or_default();
        let spliced = splice(old, &table.items, |a, b| a.as_object() == Some(b), |b| Value::Object(b.clone()));
        let key_changed = seen.is_none_or(|t| t.key != table.key);
        if spliced.is_some() || key_changed {
            let (at, removed, inserted) = spliced.unwrap_or((0, 0, Vec::new()));
            out.push(StoreChange::Items { table: name.clone(), key: table.key.clone(), at, removed, inserted });
        }
    }
    let messages = |seen: &[MessagesView], held: &BTreeMap<String, Vec<Value>>, out: &mut Vec<StoreChange>, make: fn(String, usize, usize, Vec<Value>) -> StoreChange| {
        for (name, list) in held {
            let old = seen.iter().find(|q| &q.name == name).map(|q| q.messages.as_slice()).unwrap_or_default();
            if let Some((at, removed, inserted)) = splice(old, list, |a, b| a == b, Value::clone) {
                out.push(make(name.clone(), at, removed, inserted));
            }
        }
    };
    messages(&view.queues, &store.queues, &mut out, |queue, at, removed, inserted| StoreChange::Queue { queue, at, removed, inserted });
    messages(&view.topics, &store.topics, &mut out, |topic, at, removed, inserted| StoreChange::Topic { topic, at, removed, inserted });
    out
}

impl StoresView {
    /// The stores after `change`.
    pub fn apply(&mut self, change: &StoreChange) {
        let messages_view = |name: &str| MessagesView { name: name.to_string(), messages: Vec::new(), subscriptions: Vec::new() };
        match change {
            StoreChange::PutObject { bucket, key, body } => {
                let view = entry(&mut self.buckets, bucket, |b| &b.name, || BucketView { name: bucket.clone(), objects: Vec::new(), missing_keys: Vec::new() });
                view.missing_keys.retain(|k| k != key);
                let object = entry(&mut view.objects, key, |o| &o.key, || ObjectView { key: key.clone(), size: 0, body: String::new() });
                object.body = body.clone();
                object.size = body.len();
            }
            StoreChange::DeleteObject { bucket, key } => {
                if let Some(view) = self.buckets.iter_mut().find(|b| &b.name == bucket) {
                    view.objects.retain(|o| &o.key != key);
                }
            }
            StoreChange::Items { table, key, at, removed, inserted } => {
                let view = entry(&mut self.tables, table, |t| &t.name, || TableView { name: table.clone(), key: Vec::new(), items: Vec::new() });
                view.key = key.clone();
                apply_splice(&mut view.items, *at, *removed, inserted);
            }
            StoreChange::Queue { queue, at, removed, inserted } => {
                let view = entry(&mut self.queues, queue, |q| &q.name, || messages_view(queue));
                apply_splice(&mut view.messages, *at, *removed, inserted);
            }
            StoreChange::Topic { topic, at, removed, inserted } => {
                let view = entry(&mut self.topics, topic, |t| &t.name, || messages_view(topic));
                apply_splice(&mut view.messages, *at, *removed, inserted);
            }
        }
    }

    /// The stores `start` became after `changes`.
    pub fn at(start: &StoresView, changes: &[StoreChange]) -> StoresView {
        let mut view = start.clone();
        changes.iter().for_each(|c| view.apply(c));
        view
    }
}

/// Follows a store through a run, step by step: the stores at the start, and each change made
/// since, found by comparing the store with the stores as last seen, only when a service call
/// may have written ([`ServiceStore::revision`]).
#[derive(Debug, Clone)]
pub struct StoreLog {
    start: StoresView,
    seen: StoresView,
    revision: u64,
    changes: Vec<StoreChange>,
}

impl StoreLog {
    /// Starts following `store` as it is now, with the empty stores `referenced` names.
    pub fn new(store: &ServiceStore, referenced: &Referenced) -> StoreLog {
        let start = StoresView::of(store, referenced);
        StoreLog { seen: start.clone(), start, revision: store.revision, changes: Vec::new() }
    }

    /// Notes what `store` changed since last seen; how many changes there have been since the start.
    pub fn follow(&mut self, store: &ServiceStore) -> usize {
        if store.revision != self.revision {
            self.revision = store.revision;
            for change in changes(&self.seen, store) {
                self.seen.apply(&change);
                self.changes.push(change);
            }
        }
        self.changes.len()
    }

    /// The stores at the start.
    pub fn start(&self) -> &StoresView {
        &self.start
    }

    /// Every change since the start, in order.
    pub fn changes(&self) -> &[StoreChange] {
        &self.changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn located(e: SeedError) -> (String, usize, usize) {
        (e.pointer, e.line, e.column)
    }

    #[test]
    fn items_are_dynamodb_json_and_a_wrong_one_is_located_with_the_typed_form_suggested() {
        let items = parse_items(r#"[{"id": {"S": "o1"}, "total": {"N": "20"}}]"#).unwrap();
        assert_eq!(items[0]["total"], json!({"N": "20"}));
        assert_eq!(parse_items(r#"{"id": {"S": "o1"}}"#).unwrap().len(), 1, "one item alone");
        let text = "[\n  {\"id\": {\"S\": \"o1\"}},\n  {\"id\": {\"S\": \"o2\"}, \"total\": 20}\n]";
        let e = parse_items(text).unwrap_err();
        assert_eq!(located(e.clone()), ("/1/total".into(), 3, 32));
        assert!(e.message.contains("write it typed, as {\"N\":\"20\"}"), "{}", e.message);
        assert!(e.to_string().starts_with("Line 3, column 32 (at /1/total): "), "{e}");
        let e = parse_items(r#"[{"a/b": {"X": 1}}]"#).unwrap_err();
        assert_eq!(e.pointer, "/0/a~1b");
        assert!(e.message.contains("one member naming its type"), "{}", e.message);
        assert_eq!(located(parse_items("[{\"id\": {\"S\": \"o1\"},]").unwrap_err()).1, 1);
        assert!(parse_items("[{\"id\": ").unwrap_err().message.len() > 5, "a syntax error says what is wrong");
        assert_eq!(parse_items("[[]]").unwrap_err().pointer, "/0");
        assert!(parse_items("\"x\"").unwrap_err().message.contains("not a string"));
        assert!(parse_items("[{}]").unwrap_err().message.contains("key attribute"));
    }

    #[test]
    fn a_queue_and_a_topic_are_seeded_and_read_through_one_message_store() {
        let (queue, topic) = ("https://sqs.us-east-1.amazonaws.com/1/orders", "arn:aws:sns:us-east-1:1:news");
        let seeds = MessageStore::Queue.with_seed_text(&StoreSeeds::default(), queue, r#"["a", {"MessageBody": "b"}]"#).unwrap();
        let seeds = MessageStore::Topic.with_seed_text(&seeds, topic, &format!("[{queue:?}]")).unwrap();
        assert_eq!(seeds.queues[queue].len(), 2);
        assert_eq!(seeds.topics[topic].subscriptions.len(), 1);
        for (store, name) in [(MessageStore::Queue, queue), (MessageStore::Topic, topic)] {
            let text = store.seed_text(&seeds, name);
            assert_eq!(store.with_seed_text(&seeds, name, &text).unwrap(), seeds, "{store:?}: the text the user edits reads back the same");
            assert_eq!(store.seed_text(&seeds, "other"), "[]");
            let unseeded = store.with_seed_text(&seeds, name, "[]").unwrap();
            assert_eq!(store.seed_text(&unseeded, name), "[]", "{store:?}: an empty array unseeds it");
            let e = store.with_seed_text(&seeds, name, "[1,\n 2,,]").unwrap_err();
            assert_eq!((e.line, e.column), (2, 4), "{store:?}: located");
        }
        let view = StoresView {
            queues: vec![MessagesView { name: queue.into(), messages: vec![json!({"MessageBody": "a"})], subscriptions: vec![] }],
            topics: vec![MessagesView { name: topic.into(), messages: vec![json!({"Message": "x"}), json!({"Message": "y"})], subscriptions: vec![] }],
            ..StoresView::default()
        };
        assert_eq!(MessageStore::Queue.messages(&view, queue).len(), 1);
        assert_eq!(MessageStore::Topic.messages(&view, topic).len(), 2);
        assert!(MessageStore::Topic.messages(&view, queue).is_empty(), "a queue is not a topic");
        assert_eq!(MessageStore::Queue.all(&view)[0].name, queue);
    }

    #[test]
    fn objects_are_checked_by_what_their_key_says_they_are() {
        assert!(check_object("a.json", "{\"a\": [1, 2]}").is_ok());
        let e = check_object("a.json", "{\"a\": [1,\n 2,, 3]}").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4));
        assert!(check_object("a.jsonl", "{\"a\": 1}\n\n{\"a\": 2}\n").is_ok());
        let e = check_object("a.jsonl", "{\"a\": 1}\n{\"a\": }\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 7));
        assert!(check_object("rows.csv", "id,name\n1,\"a, b\"\n2,c\n").is_ok());
        let e = check_object("rows.csv", "id,name\n1,ok\n2,\"never closed\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 3));
        assert!(check_object("notes.txt", "{ anything").is_ok());
        assert!(check_object("", "x").unwrap_err().message.contains("needs a key"));
        assert_eq!(object_from_file("rows.csv", b"\xEF\xBB\xBFa,b\n1,2\n").unwrap(), ("rows.csv".into(), "a,b\n1,2\n".into()));
        let e = object_from_file("rows.csv", b"a,b\n1,\xff\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert!(e.message.starts_with("rows.csv is not UTF-8 text"), "{}", e.message);
        assert!(object_from_file("items.jsonl", b"{\"a\": 1}\n{oops}\n").unwrap_err().to_string().starts_with("Line 2, column 2: items.jsonl: "));
    }

    #[test]
    fn seeds_are_edited_as_new_values_and_seed_a_store() {
        let seeds = StoreSeeds::default()
            .with_object("data", "in/rows.csv", "id,n\n1,2\n")
            .unwrap()
            .with_items("Orders", r#"[{"id": {"S": "o1"}}]"#)
            .unwrap();
        assert!(StoreSeeds::default().with_object("data", "x.json", "{").is_err(), "nothing changes on a bad seed");
        let store = seeds.store(5);
        assert_eq!(store.s3.object("data", "in/rows.csv").map(|o| (o.body.as_str(), o.last_modified)), Some(("id,n\n1,2\n", 5)));
        assert_eq!(store.tables["Orders"].items.len(), 1);
        assert!(store.tables["Orders"].key.is_empty(), "learned from the first request");
        assert_eq!(seeds.without_object("data", "in/rows.csv").buckets.len(), 0);
        assert_eq!(seeds.with_items("Orders", "[]").unwrap().tables.len(), 0);
        assert_eq!(serde_json::from_str::<Value>(&seeds.items_text("Orders")).unwrap(), json!([{"id": {"S": "o1"}}]));
        let saved = serde_json::to_string(&seeds).unwrap();
        assert_eq!(serde_json::from_str::<StoreSeeds>(&saved).unwrap(), seeds);
        assert_eq!(serde_json::to_string(&StoreSeeds::default()).unwrap(), "{}");
    }

    #[test]
    fn a_definition_names_its_stores_at_any_depth_and_literal_values_only() {
        let definition = json!({"StartAt": "M", "States": {
            "M": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV"},
                    "Parameters": {"Bucket": "inbox", "Key": "rows.csv"}},
                  "ItemProcessor": {"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": "Rows", "Item": {}}, "End": true}}},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "out"}}, "Next": "Q"},
            "Q": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "https://sqs/q", "MessageBody.$": "$"}, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sns:publish", "Parameters": {"TopicArn.$": "$.topic"}, "Next": "J"},
            "J": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Arguments": {"TopicArn": "arn:aws:sns:us-east-1:1:t", "Message": "{% $x %}"}, "End": true}}});
        let named = Referenced::of_definition(&definition);
        assert_eq!(named.buckets.keys().collect::<Vec<_>>(), ["inbox", "results"]);
        assert_eq!(named.buckets["inbox"].iter().collect::<Vec<_>>(), ["rows.csv"]);
        assert_eq!(named.tables.iter().collect::<Vec<_>>(), ["Rows"]);
        assert_eq!(named.queues.iter().collect::<Vec<_>>(), ["https://sqs/q"]);
        assert_eq!(named.topics.iter().collect::<Vec<_>>(), ["arn:aws:sns:us-east-1:1:t"], "a path names no topic");
        assert_eq!(Referenced::of_text("{ nope"), Referenced::default());

        let before = StoresView::before(&StoreSeeds::default(), &named);
        assert_eq!(before.buckets[0].missing_keys, ["rows.csv"]);
        assert!(before.tables[0].items.is_empty() && before.queues[0].messages.is_empty());
        let seeded = StoreSeeds::default().with_object("inbox", "rows.csv", "a\n1\n").unwrap();
        let before = StoresView::before(&seeded, &named);
        assert!(before.buckets[0].missing_keys.is_empty());
        assert_eq!(before.buckets[0].objects[0].size, 4);
    }

    #[test]
    fn a_stores_file_reads_every_kind_of_store_and_its_errors_are_located() {
        let text = r#"{"buckets": {"in": {"rows.csv": "a\n1\n", "doc.json": {"k": [1]}}},
            "tables": {"T": [{"id": {"S": "1"}}]},
            "queues": {"https://sqs/q": ["plain", {"MessageBody": {"n": 1}, "MessageGroupId": "g"}]},
            "topics": {"arn:aws:sns:us-east-1:1:t": {"subscriptions": ["arn:aws:sqs:us-east-1:1:q", {"Endpoint": "https://hook", "RawMessageDelivery": "true"}]}}}"#;
        let seeds = StoreSeeds::parse(text).unwrap();
        assert_eq!(seeds.buckets["in"]["doc.json"], r#"{"k":[1]}"#, "a JSON body is kept as its text");
        assert_eq!(seeds.queues["https://sqs/q"][0], json!({"MessageBody": "plain"}).as_object().unwrap().clone());
        assert_eq!(seeds.queues["https://sqs/q"][1]["MessageBody"], "{\"n\":1}");
        let subscriptions = &seeds.topics["arn:aws:sns:us-east-1:1:t"].subscriptions;
        assert_eq!((subscriptions[0].protocol.as_str(), subscriptions[1].protocol.as_str(), subscriptions[1].raw), ("sqs", "https", true));
        // What the document saves reads back through serde and through the file reader alike.
        let saved = serde_json::to_string(&seeds).unwrap();
        assert_eq!(serde_json::from_str::<StoreSeeds>(&saved).unwrap(), seeds);
        assert_eq!(StoreSeeds::parse(&saved).unwrap(), seeds);
        assert_eq!(StoreSeeds::parse("{}").unwrap(), StoreSeeds::default());

        let e = StoreSeeds::parse("{\"tables\": {\"T\": [\n {\"id\": {\"S\": \"1\"}, \"n\": 3}]}}").unwrap_err();
        assert_eq!(located(e.clone()), ("/tables/T/0/n".into(), 2, 26));
        assert!(e.message.contains("write it typed"), "{}", e.message);
        assert_eq!(StoreSeeds::parse(r#"{"queues": {"q": [{"MessageBody": "x", "Delay": 1}]}}"#).unwrap_err().pointer, "/queues/q/0/Delay");
        assert_eq!(StoreSeeds::parse(r#"{"queues": {"q": [{"MessageAttributes": {}}]}}"#).unwrap_err().message, "a message needs its \"MessageBody\"");
        assert_eq!(StoreSeeds::parse(r#"{"queues": {"q": [{"MessageBody": "x", "MessageAttributes": {"a": {"StringValue": "v"}}}]}}"#).unwrap_err().pointer, "/queues/q/0/MessageAttributes/a");
        assert_eq!(StoreSeeds::parse(r#"{"topics": {"t": ["arn:aws:sqs:r:1:q"]}}"#).unwrap_err().pointer, "/topics/t");
        assert_eq!(StoreSeeds::parse(r#"{"topics": {"t": {"subscriptions": [{"Endpoint": "e", "RawMessageDelivery": 1}]}}}"#).unwrap_err().pointer, "/topics/t/subscriptions/0/RawMessageDelivery");
        assert_eq!(StoreSeeds::parse(r#"{"buckets": {"": {}}}"#).unwrap_err().pointer, "/buckets/");
        let e = StoreSeeds::parse(r#"{"buckets": {"b": {"x.jsonl": "{}\n{oops"}}}"#).unwrap_err();
        assert_eq!(e.pointer, "/buckets/b/x.jsonl");
        assert!(e.message.starts_with("the object's text, line 2 column 2: "), "{}", e.message);
        assert!(StoreSeeds::parse(r#"{"extra": {}}"#).unwrap_err().message.starts_with("unknown member \"extra\""));
        assert!(read_file("s.json", "{\n  \"tables\": 3}").unwrap_err().starts_with("s.json:2:13: \"tables\" is an object of stores by name"));
    }

    #[test]
    fn queues_and_topics_seed_a_store_and_are_edited_as_new_values() {
        let seeds = StoreSeeds::default()
            .with_messages("https://sqs/q", r#"["a", {"MessageBody": "b"}]"#)
            .unwrap()
            .with_subscriptions("arn:aws:sns:r:1:t", r#"["https://sqs/q"]"#)
            .unwrap();
        assert!(StoreSeeds::default().with_messages("q", "[1, null]").is_err());
        assert!(StoreSeeds::default().with_messages(" ", "[]").is_err());
        assert_eq!(serde_json::from_str::<Value>(&seeds.messages_text("https://sqs/q")).unwrap(), json!([{"MessageBody": "a"}, {"MessageBody": "b"}]));
        assert_eq!(serde_json::from_str::<Value>(&seeds.subscriptions_text("arn:aws:sns:r:1:t")).unwrap(), json!([{"Protocol": "sqs", "Endpoint": "https://sqs/q"}]));
        let store = seeds.store(0);
        let ids: Vec<&str> = store.queues["https://sqs/q"].iter().map(|m| m["MessageId"].as_str().unwrap()).collect();
        assert_eq!(ids, ["00000000-0000-4000-8000-000000000001", "00000000-0000-4000-8000-000000000002"]);
        assert_eq!(store.subscriptions["arn:aws:sns:r:1:t"].len(), 1);
        let subscribed = StoreSeeds::default().with_subscriptions("arn:aws:sns:r:1:t", r#"["arn:aws:sqs:us-east-1:1:audit"]"#).unwrap().store(0);
        assert_eq!(subscribed.queues.keys().collect::<Vec<_>>(), ["https://sqs.us-east-1.amazonaws.com/1/audit"], "a subscribed queue exists, empty");
        let view = StoresView::of(&store, &Referenced::default());
        assert_eq!(view.queues[0].messages.len(), 2);
        assert_eq!(view.topics[0].subscriptions[0].endpoint, "https://sqs/q");
        assert!(seeds.with_messages("https://sqs/q", "[]").unwrap().queues.is_empty());
        assert!(seeds.with_subscriptions("arn:aws:sns:r:1:t", "[]").unwrap().topics.is_empty());
        assert_eq!(StoreSeeds::default().merged(&seeds), seeds);
    }

    #[test]
    fn a_change_log_replays_the_stores_from_their_start() {
        let mut store = StoreSeeds::default().with_items("T", r#"[{"id": {"S": "1"}}, {"id": {"S": "2"}}]"#).unwrap().store(0);
        store.queues.insert("q".into(), vec![json!({"MessageBody": "old"})]);
        let named = Referenced { buckets: BTreeMap::from([("out".to_string(), BTreeSet::from(["r.json".to_string()]))]), ..Referenced::default() };
        let mut log = StoreLog::new(&store, &named);
        assert_eq!(log.follow(&store), 0, "nothing moved");
        let mut seen = vec![log.start().clone()];
        let mut counts = vec![0];
        // Each step: a write, as a service call makes it (the revision moves).
        let steps: Vec<Box<dyn Fn(&mut ServiceStore)>> = vec![
            Box::new(|s| { s.s3.put_object("out", "r.json", "{}", 1); }),
            Box::new(|s| s.tables.get_mut("T").unwrap().items[0].insert("n".into(), json!({"N": "1"})).map_or((), |_| ())),
            Box::new(|s| { s.tables.get_mut("T").unwrap().items.remove(1); }),
            Box::new(|s| s.queues.get_mut("q").unwrap().push(json!({"MessageBody": "new"}))),
            Box::new(|s| { s.queues.get_mut("q").unwrap().remove(0); s.topics.insert("t".into(), vec![json!({"Message": "m"})]); }),
            Box::new(|s| { s.s3.put_object("out", "r.json", "{\"v\": 2}", 2); s.s3.put_object("out", "other", "x", 2); }),
            Box::new(|s| { s.s3.buckets.get_mut("out").unwrap().objects.remove("other"); }),
            Box::new(|_| {}),
        ];
        for step in &steps {
            step(&mut store);
            store.revision += 1;
            counts.push(log.follow(&store));
            seen.push(StoresView::of(&store, &named));
        }
        assert_eq!(counts, [0, 1, 2, 3, 4, 6, 8, 9, 9], "one change per write, none for a call that wrote nothing");
        for (i, view) in seen.iter().enumerate() {
            let replayed = StoresView::at(log.start(), &log.changes()[..counts[i]]);
            assert_eq!(&replayed, view, "moment {i}");
        }
        assert!(matches!(&log.changes()[2], StoreChange::Items { at: 1, removed: 1, inserted, .. } if inserted.is_empty()), "a delete is a splice: {:?}", log.changes()[2]);
        assert!(seen[0].buckets[0].missing_keys == ["r.json"] && seen[1].buckets[0].missing_keys.is_empty());
        // The log goes through the protocol as JSON.
        let text = serde_json::to_string(log.changes()).unwrap();
        assert_eq!(serde_json::from_str::<Vec<StoreChange>>(&text).unwrap(), log.changes());
        // A write the revision does not announce is not looked for.
        store.queues.get_mut("q").unwrap().clear();
        assert_eq!(log.follow(&store), 9);
    }
}
