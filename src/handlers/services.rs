//! Built-in service integrations over an in-memory [`ServiceStore`]: SNS `publish` and SQS
//! `sendMessage`/`receiveMessage`/`deleteMessage` (optimized and `aws-sdk:`, [`super::messages`]),
//! S3 `getObject`/`putObject`/`listObjectsV2` over the store's buckets ([`super::s3`]), and
//! DynamoDB over its tables, optimized and `aws-sdk:` ([`super::dynamodb`]: items, queries,
//! scans, batches, transactions, the expression language), with AWS-shaped results and the
//! error names Step Functions reports for them (`DynamoDB.ConditionalCheckFailedException`,
//! `DynamoDb.ConditionalCheckFailedException`, `SNS.InvalidParameterException`,
//! `SQS.AmazonSQSException`).
//!
//! The store is shared ([`SharedStore`]) so the caller can declare tables before a run and read
//! what the execution wrote, published and sent after it. Tables must be declared
//! ([`ServiceStore::create_table`]) as on AWS, unless the store creates them on first use
//! ([`ServiceStore::create_tables_on_use`], zero-configuration runs); topics and queues accept
//! any ARN or URL and keep what they were sent, unless the topics were declared
//! ([`ServiceStore::declared_topics`], a conformance case's `sns`). Responses carry the SDK metadata Step Functions
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
    /// The SNS topics the account has, when they were declared (a conformance case's `sns`):
    /// publishing to another fails with `SNS.NotFoundException`. `None`: every topic exists.
    pub declared_topics: Option<std::collections::BTreeSet<String>>,
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
pub const RESOURCES: [&str; 8] = [
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::sns:publish.waitForTaskToken",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::aws-sdk:sns:publish",
    "arn:aws:states:::aws-sdk:sqs:sendMessage",
    "arn:aws:states:::aws-sdk:sqs:receiveMessage",
    "arn:aws:states:::aws-sdk:sqs:deleteMessage",
];

/// Whether the built-in integrations answer `resource` (S3's and DynamoDB's included).
pub fn handles(resource: &str) -> bool {
    let canonical = canonical(resource);
    all_resources().any(|r| r == resource || canonical.as_deref() == Some(r))
}

/// Whether the built-in integrations answer `resource` only under another name (another
/// partition, a region and account in the ARN): the registry, which finds them by resource, is
/// then told the state's name.
pub fn handles_renamed(resource: &str) -> bool {
    handles(resource) && !all_resources().any(|r| r == resource)
}

/// `resource` as the built-in integrations name it (`arn:aws:states:::` and the integration),
/// whatever its partition, region and account ([`crate::asl::integrations::integration_rest`]).
fn canonical(resource: &str) -> Option<String> {
    crate::asl::integrations::integration_rest(resource).map(|rest| format!("arn:aws:states:::{rest}"))
}

/// Every resource the built-in integrations answer.
fn all_resources() -> impl Iterator<Item = &'static str> {
    RESOURCES.into_iter().chain(super::s3::RESOURCES).chain(super::dynamodb::RESOURCES)
}

/// Registers the built-in integrations over `store` under their resource ARNs (a handler
/// registered for a state's name still wins).
/// A conformance case's S3 objects (`s3`: `{"bucket": {"key": body}}`, the objects its test put
/// before the execution) and DynamoDB tables (`dynamodb`: `{"table": [item, …]}`, the tables its
/// test created, with their items; `tests/fixtures/conformance/FORMAT.md`): the stateful services
/// over a store holding them. A case with neither registers nothing.
pub fn case_s3(case: &Value, registry: &mut HandlerRegistry) -> Result<(), String> {
    let (objects, tables, sns) = (case.get("s3"), case.get("dynamodb"), case.get("sns"));
    if objects.is_none() && tables.is_none() && sns.is_none() {
        return Ok(());
    }
    let store = SharedStore::default();
    if let Some(sns) = sns {
        let topics = sns.get("topics").and_then(Value::as_array).ok_or("`sns` is {\"topics\": [topic ARN, …]}")?;
        let topics = topics.iter().map(|t| t.as_str().map(str::to_string).ok_or("sns/topics: a topic is its ARN")).collect::<Result<_, _>>()?;
        store.borrow_mut().declared_topics = Some(topics);
    }
    if let Some(seed) = objects {
        let now = crate::asl::clock::Clock::now(&crate::asl::clock::VirtualClock::default());
        store.borrow_mut().s3.seed_from_json(seed, now).map_err(|e| format!("s3: {e}"))?;
    }
    if let Some(tables) = tables {
        let tables = tables.as_object().ok_or("`dynamodb` is an object of table names")?;
        for (name, items) in tables {
            let items = items.as_array().ok_or(format!("dynamodb/{name}: a table is an array of items"))?;
            let items = items.iter().map(|item| item.as_object().cloned().ok_or(format!("dynamodb/{name}: an item is an object"))).collect::<Result<Vec<_>, _>>()?;
            store.borrow_mut().tables.entry(name.clone()).or_default().items.extend(items);
        }
    }
    register(registry, &store);
    Ok(())
}

pub fn register(registry: &mut HandlerRegistry, store: &SharedStore) {
    for resource in all_resources() {
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
        let canonical = canonical(request.resource);
        let resource = canonical.as_deref().unwrap_or(request.resource);
        let action = resource.rsplit(':').next().unwrap_or("");
        let action = action.split('.').next().unwrap_or(action);
        let input = request.input;
        let mut store = self.store.borrow_mut();
        store.revision += 1;
        if let Some(operation) = super::s3::Operation::of_resource(resource) {
            // An AWS SDK integration's answer is the SDK's output, without Step Functions' metadata.
            return super::s3::call(&mut store.s3, operation, input, context.now);
        }
        if let Some((operation, integration)) = super::dynamodb::operations::Operation::of_resource(resource) {
            let result = super::dynamodb::operations::call(&mut store, operation, integration, input)?;
            drop(store);
            return Ok(match integration {
                // An AWS SDK integration's answer is the SDK's output, without Step Functions' metadata.
                super::dynamodb::operations::Integration::Sdk => result,
                // DynamoDB speaks JSON 1.0.
                super::dynamodb::operations::Integration::Optimized => super::optimized::with_metadata(result, "application/x-amz-json-1.0", &[], context),
            });
        }
        let sdk = resource.contains(":::aws-sdk:");
        let sns = resource.contains(":sns:");
        let sqs = resource.contains(":sqs:");
        let result = match (sns, sqs, action) {
            (true, _, "publish") => {
                let result = super::messages::publish(&mut store, input, context.rng, context.now)?;
                drop(store);
                if sdk {
                    return Ok(result);
                }
                return Ok(sns_publish_answer(result, context));
            }
            (_, true, "sendMessage") => super::messages::send_message(&mut store, input, context.rng, sdk)?,
            (_, true, "receiveMessage") => super::messages::receive_message(&mut store, input, context.now)?,
            (_, true, "deleteMessage") => super::messages::delete_message(&mut store, input)?,
            _ => return Err(StatesError::new("States.TaskFailed", format!("'{}' is not a built-in integration", resource))),
        };
        drop(store);
        if sdk {
            // An AWS SDK integration's answer is the SDK's output, without Step Functions' metadata.
            return Ok(result);
        }
        // SNS and SQS speak the query protocol (XML).
        Ok(super::optimized::with_metadata(result, "text/xml", &[], context))
    }
}

/// The optimized `sns:publish` answer: the SDK's metadata around SNS's answer, whose body is the
/// query protocol's XML document (`<PublishResponse …>`), so its Content-Length is that
/// document's, 294 bytes, 352 with a FIFO topic's `SequenceNumber`, whatever was published; the
/// connection is kept alive (`services/test_sns_task_service`'s 2024 recordings; those of 2023
/// carried no `connection` header).
fn sns_publish_answer(result: Value, context: &mut TaskContext) -> Value {
    let mut answer = super::optimized::with_metadata(result, "text/xml", &[("connection", "keep-alive".to_string())], context);
    let text = |key: &str| answer.get(key).and_then(Value::as_str).unwrap_or_default().to_string();
    let (message_id, sequence) = (text("MessageId"), text("SequenceNumber"));
    let request_id = answer["SdkResponseMetadata"]["RequestId"].as_str().unwrap_or_default().to_string();
    let sequence = if sequence.is_empty() { String::new() } else { format!("    <SequenceNumber>{sequence}</SequenceNumber>\n") };
    let document = format!(
        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n  <PublishResult>\n{sequence}    <MessageId>{message_id}</MessageId>\n  </PublishResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</PublishResponse>\n"
    );
    crate::asl::interp::sdk_response::set_header(&mut answer, "Content-Length", document.len().to_string());
    answer
}

/// An error as Step Functions reports a service's: `SERVICE.Code`, with the SDK's cause text.
pub(super) fn service_error(prefix: &str, code: &str, message: &str, service: &str, status: u16, error_code: &str) -> StatesError {
    StatesError::new(
        format!("{prefix}.{code}"),
        format!("{message} (Service: {service}; Status Code: {status}; Error Code: {error_code}; Request ID: 00000000-0000-0000-0000-000000000000; Proxy: null)"),
    )
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

    /// A conformance case's `s3` objects are what `s3:getObject` reads; a case without them
    /// registers nothing, and one of the wrong shape is refused with where.
    #[test]
    fn a_cases_s3_objects_are_read_by_get_object() {
        let mut registry = HandlerRegistry::new();
        case_s3(&json!({"s3": {"b": {"k.csv": "a,b\n1,2\n"}}}), &mut registry).unwrap();
        let (mut rng, mut log) = (rand::rngs::StdRng::seed_from_u64(1), Vec::new());
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
        let input = json!({"Bucket": "b", "Key": "k.csv"});
        let request = TaskRequest { state_name: "S", resource: "arn:aws:states:::s3:getObject", function_name: None, input: &input, attempt: 0 };
        let body = registry.find(&request).expect("registered").invoke(&request, &mut context).unwrap();
        assert_eq!(body["Body"], "a,b\n1,2\n");
        let mut empty = HandlerRegistry::new();
        case_s3(&json!({}), &mut empty).unwrap();
        assert!(empty.find(&request).is_none());
        let wrong = case_s3(&json!({"s3": {"b": "not an object"}}), &mut HandlerRegistry::new()).unwrap_err();
        assert!(wrong.starts_with("s3: /b:"), "{wrong}");
    }

    /// A conformance case's `dynamodb` tables hold its items for the calls to read; one of the
    /// wrong shape is refused with where.
    #[test]
    fn a_cases_dynamodb_tables_are_read_by_get_item() {
        let mut registry = HandlerRegistry::new();
        case_s3(&json!({"dynamodb": {"T": [{"id": {"S": "a"}, "n": {"N": "1"}}]}}), &mut registry).unwrap();
        let (mut rng, mut log) = (rand::rngs::StdRng::seed_from_u64(1), Vec::new());
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: true };
        let input = json!({"TableName": "T", "Key": {"id": {"S": "a"}}});
        let request = TaskRequest { state_name: "S", resource: "arn:aws:states:::aws-sdk:dynamodb:getItem", function_name: None, input: &input, attempt: 0 };
        let answer = registry.find(&request).expect("registered").invoke(&request, &mut context).unwrap();
        assert_eq!(answer, json!({"Item": {"id": {"S": "a"}, "n": {"N": "1"}}}));
        let wrong = case_s3(&json!({"dynamodb": {"T": {"id": 1}}}), &mut HandlerRegistry::new()).unwrap_err();
        assert_eq!(wrong, "dynamodb/T: a table is an array of items");
    }

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
        let first = json!({"id": {"S": "o1"}, "status": {"S": "NEW"}, "amount": {"N": "20"}});
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
            ("#st IN (:new, :open) AND amount BETWEEN :lo AND :hi", json!({":paid": {"S": "PAID"}, ":new": {"S": "NEW"}, ":open": {"S": "OPEN"}, ":lo": {"N": "10"}, ":hi": {"N": "30"}}), true),
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
        failed(delete("amount > :t", json!({":t": {"N": "100"}})));
        delete("amount <= :t", json!({":t": {"N": "100"}})).unwrap();
        assert!(s.borrow().tables["Orders"].items.is_empty());
    }

    #[test]
    fn invalid_condition_expressions_and_placeholders_are_validation_errors() {
        let s = store();
        let cases: &[(Value, &str)] = &[
            (json!({"ConditionExpression": "id = "}), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\""),
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
