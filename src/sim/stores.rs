//! The simulated services' stores as document data: what a document seeds them with before every
//! run ([`StoreSeeds`]: S3 objects by bucket and key, DynamoDB items by table), the seeds the
//! user types, pastes or drops checked with located errors ([`SeedError`]: JSON pointer and
//! line:column), and what the stores hold, before a run and after it ([`StoresView`]: buckets,
//! tables, and the messages SQS queues and SNS topics were sent), with the names the definition
//! itself uses listed even while empty ([`Referenced`]), so a file can be dropped on a bucket
//! before anything ran.
//!
//! Seeds are plain serde data, saved with the document in [`super::SimSettings`] and handed to
//! every run ([`super::batch::Simulator::with_stores`]); nothing here reaches into a running
//! engine.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::asl::json::{LineIndex, escape_pointer_token};
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

/// Reads a table's items from `text`: a JSON array of items (or one item) in DynamoDB's typed
/// JSON, as `getItem` returns them.
pub fn parse_items(text: &str) -> Result<Vec<Map<String, Value>>, SeedError> {
    let root = read(text)?;
    let value = root.to_serde();
    let (items, prefix): (Vec<&Value>, bool) = match &value {
        Value::Array(items) => (items.iter().collect(), true),
        Value::Object(_) => (vec![&value], false),
        other => {
            return Err(at(text, &root, "", format!("the items are a JSON array of items such as [{{\"id\": {{\"S\": \"o1\"}}}}], not a {}", crate::asl::json::type_name(other))));
        }
    };
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let base = if prefix { format!("/{i}") } else { String::new() };
        let Some(attributes) = item.as_object() else {
            return Err(at(text, &root, &base, format!("an item is an object of attributes, not a {}", crate::asl::json::type_name(item))));
        };
        if attributes.is_empty() {
            return Err(at(text, &root, &base, "an item needs at least its key attribute".into()));
        }
        for (name, attribute) in attributes {
            if let Some(problem) = attribute_problem(attribute) {
                return Err(at(text, &root, &format!("{base}/{}", escape_pointer_token(name)), problem));
            }
        }
        out.push(attributes.clone());
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
        self.buckets.is_empty() && self.tables.is_empty()
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

/// A queue or a topic and the messages it was sent (the requests' parameters).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessagesView {
    pub name: String,
    pub messages: Vec<Value>,
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
        let names = |held: Vec<&String>, named: &BTreeSet<String>| -> BTreeSet<String> { held.into_iter().cloned().chain(named.iter().cloned()).collect() };
        let bucket_names: BTreeSet<String> = store.s3.buckets.keys().cloned().chain(referenced.buckets.keys().cloned()).collect();
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
            names(held.keys().collect(), named).into_iter().map(|name| MessagesView { messages: held.get(&name).cloned().unwrap_or_default(), name }).collect()
        };
        StoresView { buckets, tables, queues: messages(&store.queues, &referenced.queues), topics: messages(&store.topics, &referenced.topics) }
    }

    /// The stores before a run: `seeds`, and the empty stores `referenced` names.
    pub fn before(seeds: &StoreSeeds, referenced: &Referenced) -> StoresView {
        StoresView::of(&seeds.store(crate::asl::clock::VirtualClock::START), referenced)
    }

    pub fn is_empty(&self) -> bool {
        self.buckets.is_empty() && self.tables.is_empty() && self.queues.is_empty() && self.topics.is_empty()
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
}
