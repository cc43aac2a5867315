//! The interpreter's optional data-flow trace: every pipeline stage of a state visit, errors,
//! retries and catches, and nothing at all when it is off.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::asl::handlers::{FailTimesThenSucceed, HandlerRegistry, StaticResult};
use statecraft::asl::interp::{Execution, ExecutionConfig, Program, StatesError};

fn traced(definition: Value, input: Value, handlers: HandlerRegistry, on: bool) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let mut execution = Execution::start(program, input, Box::new(VirtualClock::default()), handlers, ExecutionConfig::default());
    if on {
        execution.enable_trace();
    }
    execution.run();
    execution
}

/// The (state, stage label, value) triples of a trace.
fn stages(execution: &Execution) -> Vec<(String, &'static str, Value)> {
    execution.trace().iter().map(|e| (e.state.to_string(), e.stage.label(), Value::clone(&e.value))).collect()
}

#[test]
fn every_jsonpath_stage_of_a_task_is_traced_in_order() {
    let mut handlers = HandlerRegistry::new();
    handlers.register("T", StaticResult(json!({"v": 7, "noise": true})));
    let execution = traced(
        json!({"StartAt": "T", "States": {"T": {
            "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
            "InputPath": "$.order", "Parameters": {"id.$": "$.id"},
            "ResultSelector": {"value.$": "$.v"}, "ResultPath": "$.result", "OutputPath": "$.result", "End": true}}}),
        json!({"order": {"id": 1, "extra": 2}}),
        handlers,
        true,
    );
    assert_eq!(
        stages(&execution),
        vec![
            ("T".into(), "after InputPath", json!({"id": 1, "extra": 2})),
            ("T".into(), "after Parameters", json!({"id": 1})),
            ("T".into(), "result", json!({"v": 7, "noise": true})),
            ("T".into(), "after ResultSelector", json!({"value": 7})),
            ("T".into(), "after ResultPath", json!({"order": {"id": 1, "extra": 2}, "result": {"value": 7}})),
            ("T".into(), "output", json!({"value": 7})),
        ]
    );
    assert!(execution.trace().iter().all(|e| e.entered_event == 2), "keyed by the StateEntered event id");
}

#[test]
fn errors_retries_and_catches_are_traced() {
    let mut handlers = HandlerRegistry::new();
    handlers.register("T", FailTimesThenSucceed::new(5, StatesError::new("Boom", "bad"), StaticResult(json!(1))));
    let execution = traced(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
                  "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2, "IntervalSeconds": 3, "BackoffRate": 2}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "H"}], "End": true},
            "H": {"Type": "Pass", "End": true}}}),
        json!({}),
        handlers,
        true,
    );
    let t: Vec<_> = stages(&execution).into_iter().filter(|s| s.0 == "T").map(|s| (s.1, s.2)).collect();
    let error = json!({"Error": "Boom", "Cause": "bad"});
    assert_eq!(
        t,
        vec![
            ("after InputPath", json!({})),
            ("error", error.clone()),
            ("retry", json!({"attempt": 1, "delaySeconds": 3.0, "retrier": 0})),
            ("after InputPath", json!({})),
            ("error", error.clone()),
            ("retry", json!({"attempt": 2, "delaySeconds": 6.0, "retrier": 0})),
            ("after InputPath", json!({})),
            ("error", error.clone()),
            ("caught", json!({"err": error})),
        ]
    );
}

#[test]
fn the_trace_is_empty_when_off() {
    let execution = traced(
        json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}),
        json!({"a": 1}),
        HandlerRegistry::new(),
        false,
    );
    assert_eq!(execution.status().name(), "SUCCEEDED");
    assert!(execution.trace().is_empty());
}
