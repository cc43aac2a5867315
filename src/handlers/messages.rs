//! SQS queues and SNS topics over the [`super::services::ServiceStore`]: what a queue holds
//! (messages sent, or seeded before the run), `receiveMessage` with each message's visibility
//! on the virtual clock, `deleteMessage` by receipt handle, and SNS `publish` fanned out to the
//! topic's SQS subscriptions (the notification envelope, or the bare message with raw delivery).
//!
//! A message in a queue is kept as an object: the request's members as sent (`MessageBody`,
//! `MessageAttributes`, `MessageGroupId` ...) and the `MessageId` SQS gave it. A received
//! message stays in its queue, invisible until its visibility timeout ends, and goes only when
//! deleted, as on SQS.

use std::collections::BTreeMap;

use rand::RngCore;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::optimized::uuid;
use super::services::{ServiceStore, service_error};
use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::error::StatesError;

/// A topic's subscription: where SNS delivers what is published to the topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    /// `sqs`, `lambda`, `email`, `https` ...: only `sqs` endpoints are simulated stores, the
    /// others are listed.
    #[serde(rename = "Protocol")]
    pub protocol: String,
    /// A queue's ARN or URL, a function's ARN, an address.
    #[serde(rename = "Endpoint")]
    pub endpoint: String,
    /// SNS's `RawMessageDelivery`: the queue gets the message itself, not the JSON envelope.
    #[serde(rename = "RawMessageDelivery", default, skip_serializing_if = "std::ops::Not::not")]
    pub raw: bool,
}

impl Subscription {
    /// The protocol an endpoint's form says: a queue's ARN or URL `sqs`, a function's ARN
    /// `lambda`, an address `email`, a URL `https`.
    pub fn protocol_of(endpoint: &str) -> &'static str {
        if endpoint.starts_with("arn:aws:sqs:") || (endpoint.starts_with("https://") && endpoint.contains("sqs")) {
            "sqs"
        } else if endpoint.starts_with("arn:aws:lambda:") {
            "lambda"
        } else if endpoint.starts_with("arn:aws:firehose:") {
            "firehose"
        } else if endpoint.contains('@') {
            "email"
        } else if endpoint.starts_with("http://") {
            "http"
        } else {
            "https"
        }
    }
}

/// What a store remembers of messages beyond the queues' contents: receipts and visibility.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Receipts {
    /// Receipt handle → the message's id.
    pub handles: BTreeMap<String, String>,
    /// Message id → the virtual time it becomes visible again.
    pub invisible_until: BTreeMap<String, Millis>,
    /// Receipt handles given so far (each handle is new).
    pub given: u64,
    /// Messages seeded so far (their ids are numbered, not drawn from a run's RNG).
    pub seeded: u64,
}

/// The queue `endpoint` names (a queue's URL as given; a queue's ARN as the URL of a queue the
/// store holds by that name, else the URL SQS would give it).
pub fn queue_key(store: &ServiceStore, endpoint: &str) -> String {
    let Some(rest) = endpoint.strip_prefix("arn:aws:sqs:") else { return endpoint.to_string() };
    let parts: Vec<&str> = rest.split(':').collect();
    let [region, account, name] = parts[..] else { return endpoint.to_string() };
    let suffix = format!("/{name}");
    store
        .queues
        .keys()
        .find(|url| url.ends_with(&suffix))
        .cloned()
        .unwrap_or_else(|| format!("https://sqs.{region}.amazonaws.com/{account}/{name}"))
}

/// The text of a message body as SQS keeps it: a string as it is, anything else as JSON.
pub fn body_text(body: &Value) -> String {
    match body {
        Value::String(s) => s.clone(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Puts `message` (an object with its `MessageBody`) into `queue`, giving it `id`.
fn enqueue(store: &mut ServiceStore, queue: &str, mut message: Map<String, Value>, id: String) {
    message.insert("MessageId".into(), Value::String(id));
    store.queues.entry(queue.to_string()).or_default().push(Value::Object(message));
}

/// Seeds `queue` with `message` (an object with its `MessageBody`), numbered in seed order.
pub fn seed_message(store: &mut ServiceStore, queue: &str, message: Map<String, Value>) {
    store.receipts.seeded += 1;
    let id = format!("00000000-0000-4000-8000-{:012x}", store.receipts.seeded);
    enqueue(store, queue, message, id);
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5_rc::Digest;
    md5_rc::Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn sqs_error(code: &str, message: &str, error_code: &str) -> StatesError {
    service_error("SQS", code, message, "AmazonSQS", 400, error_code)
}

fn required<'v>(input: &'v Value, member: &str) -> Result<&'v Value, StatesError> {
    input
        .get(member)
        .filter(|v| !v.is_null())
        .ok_or_else(|| sqs_error("AmazonSQSException", &format!("The request must contain the parameter {member}."), "MissingParameter"))
}

/// SQS `sendMessage`: the message joins its queue. `sdk`: answered through the `aws-sdk:`
/// integration, which spells `MD5OfMessageBody` as the Java SDK does (`Md5OfMessageBody`,
/// [`crate::catalogue::service::sdk_member_name`]).
pub fn send_message(store: &mut ServiceStore, input: &Value, rng: &mut dyn RngCore, sdk: bool) -> Result<Value, StatesError> {
    let url = required(input, "QueueUrl")?.as_str().unwrap_or_default().to_string();
    let text = body_text(required(input, "MessageBody")?);
    let id = uuid(rng);
    let message = input.as_object().cloned().unwrap_or_default();
    enqueue(store, &url, message, id.clone());
    let md5 = if sdk { "Md5OfMessageBody" } else { "MD5OfMessageBody" };
    Ok(json!({md5: md5_hex(text.as_bytes()), "MessageId": id}))
}

/// A number member within `range`, or SQS's error naming it.
fn bounded(input: &Value, member: &str, default: i64, range: std::ops::RangeInclusive<i64>) -> Result<i64, StatesError> {
    let Some(value) = input.get(member).filter(|v| !v.is_null()) else { return Ok(default) };
    match value.as_i64() {
        Some(n) if range.contains(&n) => Ok(n),
        _ => Err(sqs_error(
            "AmazonSQSException",
            &format!("Value {} for parameter {member} is invalid. Reason: Must be between {} and {}.", body_text(value), range.start(), range.end()),
            "InvalidParameterValue",
        )),
    }
}

/// Whether `name` is asked for by a `MessageAttributeNames` list (`All`, `.*`, `prefix.*`).
fn attribute_wanted(wanted: &[Value], name: &str) -> bool {
    wanted.iter().filter_map(Value::as_str).any(|w| w == "All" || w == ".*" || w == name || w.strip_suffix(".*").is_some_and(|p| name.starts_with(p)))
}

/// SQS `receiveMessage` (an `aws-sdk:` call only, so its members are spelled as the Java SDK
/// spells them: `Md5OfBody`): up to `MaxNumberOfMessages` (1 to 10, default 1) visible messages,
/// oldest first, each made invisible for `VisibilityTimeout` seconds (default 30). An empty
/// queue answers `{}`: SQS's response then has no `Messages` list, and an AWS SDK integration's
/// output carries only the members the service set (no empty list in its place, and no
/// `SdkHttpMetadata`, which only optimized integrations add). Published workflows depend on it:
/// they test `"Variable": "$.Messages", "IsPresent": true` before their Map over the messages.
pub fn receive_message(store: &mut ServiceStore, input: &Value, now: Millis) -> Result<Value, StatesError> {
    let url = required(input, "QueueUrl")?.as_str().unwrap_or_default().to_string();
    let max = bounded(input, "MaxNumberOfMessages", 1, 1..=10)? as usize;
    let visibility = bounded(input, "VisibilityTimeout", 30, 0..=43_200)?;
    let wanted: Vec<Value> = input.get("MessageAttributeNames").and_then(Value::as_array).cloned().unwrap_or_default();
    let candidates: Vec<Map<String, Value>> = store
        .queues
        .get(&url)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|m| {
            let id = m.get("MessageId").and_then(Value::as_str).unwrap_or_default();
            store.receipts.invisible_until.get(id).is_none_or(|until| *until <= now)
        })
        .take(max)
        .cloned()
        .collect();
    let mut messages = Vec::new();
    for message in candidates {
        let id = message.get("MessageId").and_then(Value::as_str).unwrap_or_default().to_string();
        store.receipts.given += 1;
        let handle = format!("AQEB{}{:08x}", id.replace('-', ""), store.receipts.given);
        store.receipts.handles.insert(handle.clone(), id.clone());
        store.receipts.invisible_until.insert(id.clone(), now + visibility * 1000);
        let body = body_text(message.get("MessageBody").unwrap_or(&Value::Null));
        let mut out = Map::new();
        out.insert("Body".into(), Value::String(body.clone()));
        out.insert("Md5OfBody".into(), Value::String(md5_hex(body.as_bytes())));
        if let Some(Value::Object(attributes)) = message.get("MessageAttributes") {
            let kept: Map<String, Value> = attributes.iter().filter(|(name, _)| attribute_wanted(&wanted, name)).map(|(k, v)| (k.clone(), v.clone())).collect();
            if !kept.is_empty() {
                out.insert("MessageAttributes".into(), Value::Object(kept));
            }
        }
        out.insert("MessageId".into(), Value::String(id));
        out.insert("ReceiptHandle".into(), Value::String(handle));
        messages.push(Value::Object(out));
    }
    Ok(if messages.is_empty() { json!({}) } else { json!({"Messages": messages}) })
}

/// SQS `deleteMessage`: the message received with `ReceiptHandle` leaves its queue.
pub fn delete_message(store: &mut ServiceStore, input: &Value) -> Result<Value, StatesError> {
    let url = required(input, "QueueUrl")?.as_str().unwrap_or_default().to_string();
    let handle = required(input, "ReceiptHandle")?.as_str().unwrap_or_default();
    let invalid = || sqs_error("AmazonSQSException", &format!("The input receipt handle \"{handle}\" is not a valid receipt handle."), "ReceiptHandleIsInvalid");
    let id = store.receipts.handles.get(handle).cloned().ok_or_else(invalid)?;
    if let Some(queue) = store.queues.get_mut(&url) {
        queue.retain(|m| m.get("MessageId").and_then(Value::as_str) != Some(id.as_str()));
    }
    store.receipts.invisible_until.remove(&id);
    Ok(json!({}))
}

/// SNS `publish`: the message is kept under its topic (or target) and delivered to the topic's
/// SQS subscriptions.
pub fn publish(store: &mut ServiceStore, input: &Value, rng: &mut dyn RngCore, now: Millis) -> Result<Value, StatesError> {
    let invalid = |message: &str| service_error("SNS", "InvalidParameterException", message, "AmazonSNS", 400, "InvalidParameter");
    let message = input.get("Message").filter(|v| !v.is_null()).ok_or_else(|| invalid("Invalid parameter: Message"))?;
    let target = ["TopicArn", "TargetArn", "PhoneNumber"].iter().find_map(|k| input.get(*k).and_then(Value::as_str));
    let Some(target) = target else {
        return Err(invalid("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"));
    };
    if let Some(topics) = &store.declared_topics
        && input.get("TopicArn").is_some()
        && !topics.contains(target)
    {
        return Err(service_error("SNS", "NotFoundException", "Topic does not exist", "AmazonSNS", 404, "NotFound"));
    }
    let id = uuid(rng);
    let published = store.topics.entry(target.to_string()).or_default();
    published.push(input.clone());
    // A FIFO topic numbers what it is sent: SNS answers with the message's SequenceNumber, 20
    // digits (`services/test_sns_task_service::test_fifo_message_attribute`).
    let sequence = target.ends_with(".fifo").then(|| format!("{}", 10_000_000_000_000_000_000u128 + published.len() as u128));
    let text = body_text(message);
    let subscriptions: Vec<Subscription> = store.subscriptions.get(target).cloned().unwrap_or_default();
    for subscription in subscriptions.iter().filter(|s| s.protocol == "sqs") {
        let queue = queue_key(store, &subscription.endpoint);
        let body = if subscription.raw {
            text.clone()
        } else {
            let mut envelope = Map::new();
            envelope.insert("Type".into(), json!("Notification"));
            envelope.insert("MessageId".into(), json!(id));
            envelope.insert("TopicArn".into(), json!(target));
            if let Some(subject) = input.get("Subject").and_then(Value::as_str) {
                envelope.insert("Subject".into(), json!(subject));
            }
            envelope.insert("Message".into(), json!(text));
            envelope.insert("Timestamp".into(), json!(format_rfc3339(now)));
            envelope.insert("SignatureVersion".into(), json!("1"));
            if let Some(attributes) = input.get("MessageAttributes").and_then(Value::as_object) {
                let plain: Map<String, Value> = attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), json!({"Type": v.get("DataType").cloned().unwrap_or(json!("String")), "Value": v.get("StringValue").cloned().unwrap_or(Value::Null)})))
                    .collect();
                envelope.insert("MessageAttributes".into(), Value::Object(plain));
            }
            serde_json::to_string(&Value::Object(envelope)).unwrap_or_default()
        };
        let mut delivered = Map::new();
        delivered.insert("MessageBody".into(), Value::String(body));
        if subscription.raw
            && let Some(attributes) = input.get("MessageAttributes")
        {
            delivered.insert("MessageAttributes".into(), attributes.clone());
        }
        enqueue(store, &queue, delivered, uuid(rng));
    }
    Ok(match sequence {
        Some(sequence) => json!({"MessageId": id, "SequenceNumber": sequence}),
        None => json!({"MessageId": id}),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(7)
    }

    const Q: &str = "https://sqs.us-east-1.amazonaws.com/123456789012/jobs";

    #[test]
    fn seeded_messages_are_received_oldest_first_hidden_while_in_flight_and_gone_once_deleted() {
        let mut store = ServiceStore::default();
        for body in ["first", "second", "third"] {
            seed_message(&mut store, Q, json!({"MessageBody": body, "MessageAttributes": {"kind": {"DataType": "String", "StringValue": "job"}}}).as_object().unwrap().clone());
        }
        let got = receive_message(&mut store, &json!({"QueueUrl": Q, "MaxNumberOfMessages": 2}), 0).unwrap();
        let bodies: Vec<&str> = got["Messages"].as_array().unwrap().iter().map(|m| m["Body"].as_str().unwrap()).collect();
        assert_eq!(bodies, ["first", "second"]);
        assert_eq!(got["Messages"][0]["Md5OfBody"], md5_hex(b"first"));
        assert!(got["Messages"][0].get("MessageAttributes").is_none(), "attributes only when asked for");
        // In flight: only the third is visible, with its attributes when asked.
        let next = receive_message(&mut store, &json!({"QueueUrl": Q, "MaxNumberOfMessages": 10, "MessageAttributeNames": ["All"]}), 1_000).unwrap();
        assert_eq!(next["Messages"].as_array().unwrap().len(), 1);
        assert_eq!(next["Messages"][0]["MessageAttributes"]["kind"]["StringValue"], "job");
        assert_eq!(receive_message(&mut store, &json!({"QueueUrl": Q}), 2_000).unwrap(), json!({}), "nothing visible");
        // Deleting the first by its receipt handle; the second reappears after 30 s.
        let handle = got["Messages"][0]["ReceiptHandle"].as_str().unwrap();
        assert_eq!(delete_message(&mut store, &json!({"QueueUrl": Q, "ReceiptHandle": handle})).unwrap(), json!({}));
        assert_eq!(store.queues[Q].len(), 2);
        let again = receive_message(&mut store, &json!({"QueueUrl": Q}), 30_000).unwrap();
        assert_eq!(again["Messages"][0]["Body"], "second");
        let e = delete_message(&mut store, &json!({"QueueUrl": Q, "ReceiptHandle": "nope"})).unwrap_err();
        assert_eq!(e.error.as_deref(), Some("SQS.AmazonSQSException"));
        assert!(e.cause.unwrap().contains("not a valid receipt handle"));
        let e = receive_message(&mut store, &json!({"QueueUrl": Q, "MaxNumberOfMessages": 11}), 0).unwrap_err();
        assert!(e.cause.unwrap().starts_with("Value 11 for parameter MaxNumberOfMessages is invalid."));
    }

    #[test]
    fn publishing_delivers_to_the_topics_queue_subscriptions_as_an_envelope_or_raw() {
        let mut store = ServiceStore::default();
        let topic = "arn:aws:sns:us-east-1:123456789012:orders";
        store.queues.insert(Q.into(), Vec::new());
        store.subscriptions.insert(
            topic.into(),
            vec![
                Subscription { protocol: "sqs".into(), endpoint: "arn:aws:sqs:us-east-1:123456789012:jobs".into(), raw: false },
                Subscription { protocol: "sqs".into(), endpoint: "https://sqs.us-east-1.amazonaws.com/123456789012/raw".into(), raw: true },
                Subscription { protocol: "email".into(), endpoint: "ops@example.com".into(), raw: false },
            ],
        );
        let answer = publish(&mut store, &json!({"TopicArn": topic, "Message": {"order": 1}, "Subject": "New"}), &mut rng(), 0).unwrap();
        let envelope: Value = serde_json::from_str(store.queues[Q][0]["MessageBody"].as_str().unwrap()).unwrap();
        assert_eq!(envelope["Type"], "Notification");
        assert_eq!(envelope["MessageId"], answer["MessageId"]);
        assert_eq!(envelope["Message"], "{\"order\":1}");
        assert_eq!(envelope["Subject"], "New");
        assert_eq!(envelope["Timestamp"], "1970-01-01T00:00:00.000Z");
        let raw = "https://sqs.us-east-1.amazonaws.com/123456789012/raw";
        assert_eq!(store.queues[raw][0]["MessageBody"], "{\"order\":1}");
        assert_eq!(store.queues.len(), 2, "an email subscription is listed, not a store");
        assert_eq!(store.topics[topic].len(), 1);
        assert_eq!(Subscription::protocol_of("arn:aws:lambda:us-east-1:1:function:f"), "lambda");
        assert_eq!(Subscription::protocol_of(Q), "sqs");
    }
}
