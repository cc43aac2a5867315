//! Task integrations in the interpreter: the built-in SNS, SQS and DynamoDB handlers over an
//! in-memory store, `.waitForTaskToken` with TimeoutSeconds and HeartbeatSeconds on the virtual
//! clock (and heartbeats that restart the count), and the JSONata forms of both fields.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::handlers::services::{self, SharedStore};
use statecraft::handlers::{Echo, HandlerRegistry, WithLatency};
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, Program, StepOutcome};

fn start(definition: Value, input: Value, handlers: HandlerRegistry) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    Execution::start(program, input, Box::new(VirtualClock::default()), handlers, ExecutionConfig::default())
}

fn error_name(execution: &Execution) -> Option<String> {
    match execution.status() {
        ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => e.error.clone(),
        _ => None,
    }
}

fn types(execution: &Execution) -> Vec<&'static str> {
    execution.history().iter().map(|e| e.kind.type_name()).collect()
}

#[test]
fn dynamodb_sns_and_sqs_run_against_the_store() {
    let store = SharedStore::default();
    store.borrow_mut().create_table("Orders", "orderId", None);
    let mut handlers = HandlerRegistry::new();
    services::register(&mut handlers, &store);
    let def = json!({"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "Orders", "Item": {"orderId": {"S.$": "$.id"}, "total": {"N": "10"}}},
                "ResultPath": null, "Next": "Bump"},
        "Bump": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                 "Parameters": {"TableName": "Orders", "Key": {"orderId": {"S.$": "$.id"}},
                                "UpdateExpression": "SET #t = #t + :n", "ExpressionAttributeNames": {"#t": "total"}, "ExpressionAttributeValues": {":n": {"N": "5"}},
                                "ReturnValues": "UPDATED_NEW"},
                 "ResultSelector": {"total.$": "$.Attributes.total.N"}, "ResultPath": "$.bumped", "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": "Orders", "Key": {"orderId": {"S.$": "$.id"}}},
                "ResultSelector": {"total.$": "$.Item.total.N"}, "ResultPath": "$.read", "Next": "Notify"},
        "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish",
                   "Parameters": {"TopicArn": "arn:aws:sns:us-east-1:123456789012:orders", "Message.$": "$.read"},
                   "ResultSelector": {"id.$": "$.MessageId"}, "ResultPath": "$.published", "Next": "Queue"},
        "Queue": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody.$": "$.id"},
                  "ResultPath": null, "Next": "Missing"},
        "Missing": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": "NoSuchTable", "Key": {"k": {"S": "x"}}},
                    "Catch": [{"ErrorEquals": ["DynamoDB.ResourceNotFoundException"], "ResultPath": "$.error", "Next": "Done"}], "End": true},
        "Done": {"Type": "Succeed"}}});
    let mut execution = start(def, json!({"id": "o-1"}), handlers);
    assert_eq!(execution.run(), StepOutcome::Finished);
    let ExecutionStatus::Succeeded { output } = execution.status() else { panic!("{:?}", execution.status()) };
    assert_eq!(output["bumped"], json!({"total": "15"}));
    assert_eq!(output["read"], json!({"total": "15"}));
    assert_eq!(output["published"]["id"].as_str().map(str::len), Some(36));
    assert_eq!(output["error"]["Error"], "DynamoDB.ResourceNotFoundException");
    let store = store.borrow();
    assert_eq!(store.tables["Orders"].items, vec![json!({"orderId": {"S": "o-1"}, "total": {"N": "15"}}).as_object().unwrap().clone()]);
    assert_eq!(store.topics["arn:aws:sns:us-east-1:123456789012:orders"][0]["Message"], json!({"total": "15"}));
    assert_eq!(store.queues["https://sqs.us-east-1.amazonaws.com/123456789012/q"][0]["MessageBody"], "o-1");
}

fn callback_task(fields: Value) -> Value {
    let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "https://q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true});
    task.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    json!({"StartAt": "Wait", "States": {"Wait": task}})
}

fn echo_registry() -> HandlerRegistry {
    let mut handlers = HandlerRegistry::new();
    handlers.register("Wait", Echo);
    handlers
}

#[test]
fn a_missed_heartbeat_fails_with_heartbeat_timeout_and_a_heartbeat_restarts_the_count() {
    let mut execution = start(callback_task(json!({"HeartbeatSeconds": 10, "TimeoutSeconds": 100})), json!({}), echo_registry());
    // The clock does not jump to the heartbeat deadline by itself: a callback may still come.
    assert_eq!(execution.run(), StepOutcome::AwaitingCallback);
    assert_eq!(execution.now(), execution.history()[0].timestamp);
    let token = execution.pending_task_tokens().pop().expect("a token");
    assert_eq!(execution.advance_time(8_000), StepOutcome::AwaitingCallback);
    assert!(execution.send_task_heartbeat(&token));
    assert!(!execution.send_task_heartbeat("not-a-token"));
    assert_eq!(execution.advance_time(8_000), StepOutcome::AwaitingCallback, "16 s in, 8 s after the heartbeat");
    assert_eq!(execution.advance_time(3_000), StepOutcome::Finished);
    // AWS names a missed heartbeat States.Timeout (`timeouts/test_heartbeats`).
    assert_eq!(error_name(&execution).as_deref(), Some("States.Timeout"));
    assert_eq!(execution.now() - execution.history()[0].timestamp, 18_000);
    assert!(types(&execution).contains(&"TaskTimedOut"), "{:?}", types(&execution));
}

#[test]
fn timeout_seconds_ends_a_callback_wait_and_a_callback_in_time_succeeds() {
    let mut execution = start(callback_task(json!({"TimeoutSeconds": 30})), json!({}), echo_registry());
    assert_eq!(execution.run(), StepOutcome::AwaitingCallback);
    assert_eq!(execution.advance_time(31_000), StepOutcome::Finished);
    assert_eq!(error_name(&execution).as_deref(), Some("States.Timeout"));
    assert_eq!(execution.now() - execution.history()[0].timestamp, 30_000);

    let mut execution = start(callback_task(json!({"TimeoutSeconds": 30})), json!({}), echo_registry());
    execution.run();
    execution.advance_time(29_000);
    let token = execution.pending_task_tokens().pop().expect("a token");
    assert!(execution.send_task_success(&token, json!({"ok": true})));
    assert_eq!(execution.run(), StepOutcome::Finished);
    assert_eq!(execution.status().name(), "SUCCEEDED");
}

#[test]
fn jsonata_timeout_seconds_is_an_expression() {
    let def = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "TimeoutSeconds": "{% $states.input.t %}", "End": true}}});
    let run = |t: Value| {
        let mut handlers = HandlerRegistry::new();
        handlers.register("T", WithLatency { inner: Echo, millis: 5_000 });
        let mut execution = start(def.clone(), json!({"t": t}), handlers);
        execution.run();
        execution
    };
    assert_eq!(error_name(&run(json!(2))).as_deref(), Some("States.Timeout"));
    assert_eq!(run(json!(10)).status().name(), "SUCCEEDED");
    let bad = run(json!("soon"));
    assert_eq!(error_name(&bad).as_deref(), Some("States.QueryEvaluationError"));
    assert!(types(&bad).contains(&"EvaluationFailed"));
}

#[test]
fn state_exited_events_record_assigned_variables_as_aws_does() {
    let def = json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"x": 42, "s": "a", "from.$": "$.v"}, "Next": "B"},
        "B": {"Type": "Pass", "End": true}}});
    let mut execution = start(def, json!({"v": [1]}), HandlerRegistry::new());
    execution.run();
    let exited: Vec<Value> = execution
        .history()
        .iter()
        .map(|e| e.to_json())
        .filter(|e| e["type"] == "PassStateExited")
        .map(|e| e["stateExitedEventDetails"].clone())
        .collect();
    assert_eq!(exited[0]["assignedVariables"], json!({"x": "42", "s": "\"a\"", "from": "[1]"}));
    assert_eq!(exited[0]["assignedVariablesDetails"], json!({"truncated": false}));
    assert!(exited[1].get("assignedVariables").is_none(), "a state without Assign records none");
}

#[test]
fn a_map_item_selector_still_reads_the_execution_input_when_it_asks() {
    let def = |selector: Value| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": selector,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})
    };
    let input = json!({"items": [1, 2], "k": "key"});
    for (selector, expected) in [
        (json!({"v.$": "$$.Map.Item.Value", "k.$": "$$.Execution.Input.k"}), json!([{"v": 1, "k": "key"}, {"v": 2, "k": "key"}])),
        (json!({"v.$": "$$.Map.Item.Value", "n.$": "$$.Execution.Name"}), json!([{"v": 1, "n": "execution"}, {"v": 2, "n": "execution"}])),
        (json!({"i.$": "$$.Map.Item.Index"}), json!([{"i": 0}, {"i": 1}])),
    ] {
        let mut execution = start(def(selector), input.clone(), HandlerRegistry::new());
        execution.run();
        let ExecutionStatus::Succeeded { output } = execution.status() else { panic!("{:?}", execution.status()) };
        assert_eq!(**output, expected);
    }
}
