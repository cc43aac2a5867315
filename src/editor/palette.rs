//! The palette's items: the eight state types, Task presets, and patterns that drop in a whole
//! sub-flow. Each item is a small state machine in ASL whose `"@next"` targets stand for "where
//! the flow continues" (the edge it is dropped on, or End on empty canvas).

/// The placeholder for the continuation in an item's ASL.
pub const NEXT: &str = "@next";

/// Where an item sits in the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    States,
    Tasks,
    Patterns,
}

impl Group {
    pub const ALL: [Group; 3] = [Group::States, Group::Tasks, Group::Patterns];
    pub fn title(self) -> &'static str {
        match self {
            Group::States => "Flow & states",
            Group::Tasks => "Actions",
            Group::Patterns => "Patterns",
        }
    }
}

/// One palette item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaletteItem {
    /// The button's accessible name.
    pub label: &'static str,
    pub group: Group,
    /// The state type of its entry state (for the icon and colour).
    pub kind: &'static str,
    /// A hint shown under the label.
    pub hint: &'static str,
    /// `{"StartAt": entry, "States": {...}}` with `"@next"` continuations.
    pub asl: &'static str,
}


macro_rules! item {
    ($label:expr, $group:ident, $kind:expr, $hint:expr, $asl:expr) => {
        PaletteItem { label: $label, group: Group::$group, kind: $kind, hint: $hint, asl: $asl }
    };
}

/// Every palette item, in palette order.
pub fn items() -> Vec<PaletteItem> {
    vec![
        item!("Task", States, "Task", "Do work: call a service", TASK),
        item!("Pass", States, "Pass", "Pass or shape data", r#"{"StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "Next": "@next"}}}"#),
        item!("Wait", States, "Wait", "Pause for a time", r#"{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "Next": "@next"}}}"#),
        item!("Choice", States, "Choice", "Branch on a condition", r#"{"StartAt": "Choice", "States": {"Choice": {"Type": "Choice", "Choices": [{"Variable": "$.status", "StringEquals": "ok", "Next": "@next"}], "Default": "@next"}}}"#),
        item!("Parallel", States, "Parallel", "Run branches at once", r#"{"StartAt": "Parallel", "States": {"Parallel": {"Type": "Parallel", "Branches": [{"StartAt": "BranchA", "States": {"BranchA": {"Type": "Pass", "End": true}}}, {"StartAt": "BranchB", "States": {"BranchB": {"Type": "Pass", "End": true}}}], "Next": "@next"}}}"#),
        item!("Map", States, "Map", "Repeat for each item", r#"{"StartAt": "Map", "States": {"Map": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "ProcessItem", "States": {"ProcessItem": {"Type": "Pass", "End": true}}}, "Next": "@next"}}}"#),
        item!("Succeed", States, "Succeed", "End successfully", r#"{"StartAt": "Success", "States": {"Success": {"Type": "Succeed"}}}"#),
        item!("Fail", States, "Fail", "End with an error", r#"{"StartAt": "Fail", "States": {"Fail": {"Type": "Fail", "Error": "Failed", "Cause": "Something went wrong"}}}"#),
        item!("Lambda invoke", Tasks, "Task", "AWS Lambda: Invoke", LAMBDA_INVOKE),
        item!("SNS publish", Tasks, "Task", "Amazon SNS: Publish", r#"{"StartAt": "SNSPublish", "States": {"SNSPublish": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "arn:aws:sns:REGION:ACCOUNT_ID:MyTopic", "Message.$": "$"}, "Next": "@next"}}}"#),
        item!("SQS send", Tasks, "Task", "Amazon SQS: SendMessage", r#"{"StartAt": "SQSSendMessage", "States": {"SQSSendMessage": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/MyQueue", "MessageBody.$": "$"}, "Next": "@next"}}}"#),
        item!("DynamoDB put", Tasks, "Task", "DynamoDB: PutItem", r#"{"StartAt": "DynamoDBPutItem", "States": {"DynamoDBPutItem": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"TableName": "MyTable", "Item": {"id": {"S.$": "$.id"}}}, "Next": "@next"}}}"#),
        item!("DynamoDB get", Tasks, "Task", "DynamoDB: GetItem", r#"{"StartAt": "DynamoDBGetItem", "States": {"DynamoDBGetItem": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Parameters": {"TableName": "MyTable", "Key": {"id": {"S.$": "$.id"}}}, "ResultPath": "$.item", "Next": "@next"}}}"#),
        item!("Order workflow", Patterns, "Task", "The seed: validate, process, notify", crate::seed::ORDER_WORKFLOW),
        item!("Order workflow (JSONata)", Patterns, "Task", "The seed in JSONata, with a variable", crate::seed::ORDER_WORKFLOW_JSONATA),
        item!("Validate, then process", Patterns, "Choice", "Validate → choice → process / handle error", VALIDATE),
        item!("Retry with back-off", Patterns, "Task", "Retry 3× with back-off 2", RETRY),
        item!("Callback approval", Patterns, "Task", "Wait for a task token", CALLBACK),
        item!("Saga", Patterns, "Task", "Steps with compensation", SAGA),
        item!("Map over items", Patterns, "Pass", "Invoke a Lambda per item", MAP_ITEMS),
        item!("Email + SMS", Patterns, "Pass", "Notify on two channels at once", NOTIFY),
    ]
}

/// The item labelled `label`.
pub fn item(label: &str) -> Option<PaletteItem> {
    items().into_iter().find(|i| i.label == label)
}

const TASK: &str = concat!(r#"{"StartAt": "Task", "States": {"Task": {"Type": "Task", "#, r#""Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction", "Payload.$": "$"}"#, r#", "Next": "@next"}}}"#);
const LAMBDA_INVOKE: &str = concat!(r#"{"StartAt": "LambdaInvoke", "States": {"LambdaInvoke": {"Type": "Task", "#, r#""Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction", "Payload.$": "$"}"#, r#", "OutputPath": "$.Payload", "Next": "@next"}}}"#);
// The validator's answer goes under `$.validation` (the flow's data stays), and only an explicit
// `"isValid": false` fails: the pattern runs before the validator is written.
const VALIDATE: &str = r#"{"StartAt": "Validate", "States": {
  "Validate": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:Validate", "ResultPath": "$.validation", "Next": "IsValid"},
  "IsValid": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.validation.isValid", "IsPresent": true}, {"Variable": "$.validation.isValid", "BooleanEquals": false}], "Next": "HandleError"}], "Default": "Process"},
  "Process": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:Process", "ResultPath": "$.processed", "Next": "@next"},
  "HandleError": {"Type": "Fail", "Error": "ValidationFailed", "Cause": "The input is not valid"}}}"#;
const RETRY: &str = r#"{"StartAt": "CallWithRetry", "States": {"CallWithRetry": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction",
  "Retry": [{"ErrorEquals": ["States.TaskFailed", "Lambda.ServiceException"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}], "Next": "@next"}}}"#;
const CALLBACK: &str = r#"{"StartAt": "WaitForApproval", "States": {"WaitForApproval": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters": {"QueueUrl": "https://sqs.REGION.amazonaws.com/ACCOUNT_ID/Approvals", "MessageBody": {"TaskToken.$": "$$.Task.Token", "Input.$": "$"}},
  "TimeoutSeconds": 86400, "Next": "@next"}}}"#;
const SAGA: &str = r#"{"StartAt": "Reserve", "States": {
  "Reserve": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:Reserve", "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "SagaFailed"}], "Next": "Charge"},
  "Charge": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:Charge", "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "CancelReservation"}], "Next": "@next"},
  "CancelReservation": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:CancelReservation", "Next": "SagaFailed"},
  "SagaFailed": {"Type": "Fail", "Error": "SagaFailed", "Cause": "A step failed and was compensated"}}}"#;
// The items are a placeholder list under `$.batch` (replace it with a path to your data); the
// results go beside it, so the flow's data stays.
const MAP_ITEMS: &str = r#"{"StartAt": "ListItems", "States": {
  "ListItems": {"Type": "Pass", "Comment": "Placeholder: replace the list with a path to your items, e.g. \"items.$\": \"$.order.lines\"", "Parameters": {"items": ["item-1", "item-2", "item-3"]}, "ResultPath": "$.batch", "Next": "ForEachItem"},
  "ForEachItem": {"Type": "Map", "ItemsPath": "$.batch.items", "MaxConcurrency": 10, "ResultPath": "$.batch.results",
  "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "ProcessOne", "States": {"ProcessOne": {"Type": "Task", "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:ProcessItem", "End": true}}},
  "Next": "@next"}}}"#;

// The channels read their placeholders from `NotifySettings` (under `$.notify`), so the pattern
// runs wherever it lands; the Parallel keeps its input (ResultPath null) for the flow after it.
const NOTIFY: &str = r#"{"StartAt": "NotifySettings", "States": {
  "NotifySettings": {"Type": "Pass", "Comment": "Placeholders for the channels: replace each value with a path to your data, e.g. \"email.$\": \"$.customer.email\"",
    "Parameters": {"email": "customer@example.com", "phone": "+15555550100", "message": "Your order was updated"}, "ResultPath": "$.notify", "Next": "Notify"},
  "Notify": {"Type": "Parallel", "ResultPath": null, "Next": "@next", "Branches": [
  {"StartAt": "SendEmail", "States": {"SendEmail": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail", "Parameters": {"FromEmailAddress": "noreply@example.com", "Destination": {"ToAddresses.$": "States.Array($.notify.email)"}, "Content": {"Simple": {"Subject": {"Data": "Update"}, "Body": {"Text": {"Data.$": "$.notify.message"}}}}}, "End": true}}},
  {"StartAt": "SendSMS", "States": {"SendSMS": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"PhoneNumber.$": "$.notify.phone", "Message.$": "$.notify.message"}, "End": true}}}]}}}"#;


#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::validate::validate_text;

    #[test]
    fn every_item_is_valid_asl_once_its_continuation_is_named() {
        let labels: Vec<_> = items().iter().map(|i| i.label).collect();
        for t in ["Task", "Pass", "Wait", "Choice", "Parallel", "Map", "Succeed", "Fail", "Lambda invoke", "SNS publish", "SQS send", "DynamoDB put", "DynamoDB get"] {
            assert!(labels.contains(&t), "{t}");
        }
        for item in items() {
            // Give "@next" a real state to go to, then the whole item must validate cleanly.
            let text = if item.asl.contains(NEXT) {
                item.asl.replacen("\"States\": {", "\"States\": {\"@next\": {\"Type\": \"Succeed\"}, ", 1)
            } else {
                item.asl.to_string()
            };
            let report = validate_text(&text);
            let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", item.label);
        }
    }

    #[test]
    fn the_jsonata_pattern_keeps_its_language_when_dropped_into_a_jsonpath_machine() {
        let item = item("Order workflow (JSONata)").unwrap();
        let host = crate::asl::lower::lower_text(crate::seed::ORDER_WORKFLOW).unwrap().1.machine;
        let (entry, states) = crate::editor::edit::instantiate(&item, &host);
        assert_eq!(entry, "ValidateInput2");
        assert_eq!(states.len(), 5);
        for s in &states {
            assert_eq!(s.state.query_language, Some(crate::asl::model::QueryLanguage::Jsonata), "{}", s.name);
        }
    }

    /// Each pattern dropped onto the edge of a two-state flow runs to success on an empty
    /// input, with the simulator's default answers: it reads what it needs from its own
    /// placeholders, not from data the flow may lack.
    #[test]
    fn every_pattern_runs_on_its_own_where_it_lands() {
        use crate::editor::document::Document;
        use crate::editor::edit::{EdgeTarget, insert_on_edge};
        use crate::editor::graph::EdgeField;
        use crate::editor::scope::StateRef;
        let host = r#"{"StartAt": "Begin", "States": {"Begin": {"Type": "Pass", "Next": "Done"}, "Done": {"Type": "Succeed"}}}"#;
        let mut failures = Vec::new();
        for item in items().into_iter().filter(|i| i.group == Group::Patterns) {
            let mut doc = Document::new("host", host);
            let edge = EdgeTarget { scope: Vec::new(), source: Some(StateRef::top("Begin")), field: EdgeField::Next };
            doc.apply(insert_on_edge(&doc, &edge, &item).unwrap()).unwrap();
            let errors: Vec<String> = doc.diagnostics().iter().filter(|d| d.severity == crate::asl::diag::Severity::Error).map(|d| d.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", item.label);
            let sim = crate::sim::batch::Simulator::new(doc.text(), &Default::default()).expect("compiles");
            let run = sim.run(serde_json::json!({}), 7);
            // A callback pattern waits for its token: running, not failed.
            let waiting = run.status == "RUNNING" && item.asl.contains(".waitForTaskToken");
            if run.status != "SUCCEEDED" && !waiting {
                failures.push(format!("{}: {} {:?} {:?}", item.label, run.status, run.error, run.cause));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
