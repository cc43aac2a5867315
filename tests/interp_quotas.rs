//! AWS's quotas in the interpreter: 262,144-byte payloads (`States.DataLimitExceeded`, which
//! `States.ALL` does not catch), 256 KiB per Assign, 25,000 history events for Standard, and the
//! longest run (1 year Standard, 5 minutes Express) on the virtual clock.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::asl::handlers::{HandlerRegistry, StaticResult};
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, ExecutionType, Program, run_to_end};

fn execute_with(definition: Value, handlers: HandlerRegistry, execution_type: ExecutionType) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let config = ExecutionConfig { execution_type, ..ExecutionConfig::default() };
    run_to_end(program, json!({}), Box::new(VirtualClock::default()), handlers, config)
}

fn execute(definition: Value) -> Execution {
    execute_with(definition, HandlerRegistry::new(), ExecutionType::Standard)
}

fn error_of(execution: &Execution) -> (String, String) {
    match execution.status() {
        ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => {
            (e.error.clone().unwrap_or_default(), e.cause.clone().unwrap_or_default())
        }
        other => panic!("expected failure, got {other:?}"),
    }
}

fn types(execution: &Execution) -> Vec<&'static str> {
    execution.history().iter().map(|e| e.kind.type_name()).collect()
}

/// A string value whose compact JSON takes exactly `bytes` bytes.
fn payload(bytes: usize) -> Value {
    Value::String("a".repeat(bytes - 2))
}

#[test]
fn a_result_over_262144_bytes_fails_the_state() {
    let def = |result: Value| json!({"StartAt": "Big", "States": {"Big": {"Type": "Pass", "Result": result, "End": true}}});
    let execution = execute(def(payload(262_145)));
    assert_eq!(
        error_of(&execution),
        (
            "States.DataLimitExceeded".into(),
            "The state/task 'Big' returned a result with a size exceeding the maximum number of bytes service limit.".into()
        )
    );
    assert_eq!(types(&execution), ["ExecutionStarted", "PassStateEntered", "ExecutionFailed"]);
    // Exactly at the limit is allowed.
    assert_eq!(execute(def(payload(262_144))).status().name(), "SUCCEEDED");
}

fn big_task(catch: &str) -> Execution {
    let mut handlers = HandlerRegistry::new();
    handlers.register("T", StaticResult(payload(262_145)));
    execute_with(
        json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                  "Catch": [{"ErrorEquals": [catch], "Next": "Caught"}], "End": true},
            "Caught": {"Type": "Pass", "End": true}}}),
        handlers,
        ExecutionType::Standard,
    )
}

#[test]
fn a_task_result_over_the_limit_fails_the_task_and_states_all_does_not_catch_it() {
    let execution = big_task("States.ALL");
    assert_eq!(error_of(&execution).0, "States.DataLimitExceeded");
    assert!(types(&execution).contains(&"TaskFailed"), "{:?}", types(&execution));
    assert!(!types(&execution).contains(&"TaskSucceeded"));
    let execution = big_task("States.TaskFailed");
    assert_eq!(error_of(&execution).0, "States.DataLimitExceeded");
}

#[test]
fn data_limit_exceeded_is_caught_when_named() {
    match big_task("States.DataLimitExceeded").status() {
        ExecutionStatus::Succeeded { output } => assert_eq!(output["Error"], "States.DataLimitExceeded"),
        other => panic!("expected the catcher to run, got {other:?}"),
    }
}

#[test]
fn an_assign_over_256_kib_is_a_data_limit_error() {
    let execution = execute(json!({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"big": payload(262_200)}, "End": true}}}));
    let (error, cause) = error_of(&execution);
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("'A'") && cause.contains("262144"), "{cause}");
}

/// A loop of two states per round (Pass, Choice): 4 events a round.
fn rounds(n: u64) -> Value {
    json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericLessThan": n, "Next": "Inc"}], "Default": "Done"},
        "Done": {"Type": "Succeed"}}})
}

#[test]
fn a_standard_history_ends_at_25000_events() {
    let execution = execute(rounds(10_000));
    let (error, cause) = error_of(&execution);
    assert!(cause.contains("maximum number of history events (25000)"), "{error}: {cause}");
    assert_eq!(execution.history().len(), 25_000);
    assert_eq!(execution.history().last().map(|e| e.kind.type_name()), Some("ExecutionFailed"));
    // A loop that fits succeeds; Express keeps no such limit.
    assert_eq!(execute(rounds(1_000)).status().name(), "SUCCEEDED");
    assert_eq!(execute_with(rounds(10_000), HandlerRegistry::new(), ExecutionType::Express).status().name(), "SUCCEEDED");
}

#[test]
fn durations_are_capped_on_the_virtual_clock() {
    let wait = |seconds: u64| json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "End": true}}});
    let express = execute_with(wait(301), HandlerRegistry::new(), ExecutionType::Express);
    assert_eq!(express.status().name(), "TIMED_OUT");
    assert_eq!(express.now() - express.history()[0].timestamp, 300_000);
    assert_eq!(execute_with(wait(299), HandlerRegistry::new(), ExecutionType::Express).status().name(), "SUCCEEDED");
    let year = 365 * 24 * 3600;
    assert_eq!(execute(wait(year + 1)).status().name(), "TIMED_OUT");
    assert_eq!(execute(wait(year - 1)).status().name(), "SUCCEEDED");
}
