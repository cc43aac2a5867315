//! The interpreter's optional data-flow trace: every pipeline stage of a state visit, errors,
//! retries and catches, and nothing at all when it is off.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::handlers::{FailTimesThenSucceed, HandlerRegistry, StaticResult};
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

/// Each visit starts with the variables it can read, outer scopes included, as they were when it
/// was entered: a loop shows each turn's value, a Parallel branch sees the outer variables and
/// its own, and a sibling branch's never.
#[test]
fn each_visit_records_the_variables_in_scope_when_entered() {
    let execution = traced(
        json!({"StartAt": "Init", "States": {
            "Init": {"Type": "Pass", "Assign": {"n": 0}, "Next": "Inc"},
            "Inc": {"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)"}, "Next": "More"},
            "More": {"Type": "Choice", "Choices": [{"Variable": "$n", "NumericLessThan": 2, "Next": "Inc"}], "Default": "Fan"},
            "Fan": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "A1", "States": {"A1": {"Type": "Pass", "Assign": {"a": 1}, "Next": "A2"}, "A2": {"Type": "Pass", "End": true}}},
                {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}]}}}),
        json!({}),
        HandlerRegistry::new(),
        true,
    );
    assert_eq!(execution.status().name(), "SUCCEEDED");
    let scopes: Vec<(String, Value)> =
        stages(&execution).into_iter().filter(|s| s.1 == "variables in scope").map(|s| (s.0, s.2)).collect();
    assert_eq!(
        scopes,
        [
            ("Inc".to_string(), json!({"n": 0})),
            ("More".to_string(), json!({"n": 1})),
            ("Inc".to_string(), json!({"n": 1})),
            ("More".to_string(), json!({"n": 2})),
            ("Fan".to_string(), json!({"n": 2})),
            ("A1".to_string(), json!({"n": 2})),
            ("A2".to_string(), json!({"n": 2, "a": 1})),
            ("B1".to_string(), json!({"n": 2})),
        ]
    );
}

/// The variables panel's "now" view still holds the top-level variables once the run is over.
#[test]
fn top_level_variables_outlive_the_run() {
    let execution = traced(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"n.$": "States.MathAdd($n, 1)", "m": "x"}, "End": true}}}),
        json!({}),
        HandlerRegistry::new(),
        false,
    );
    assert_eq!(execution.status().name(), "SUCCEEDED");
    assert_eq!(Value::Object(execution.top_level_variables()), json!({"n": 2, "m": "x"}));
}
