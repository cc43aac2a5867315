//! AWS's quotas in the interpreter: 262,144-byte payloads (`States.DataLimitExceeded`, which
//! `States.ALL` does not catch), 256 KiB per Assign, 25,000 history events for Standard, and the
//! longest run (1 year Standard, 5 minutes Express) on the virtual clock.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::handlers::{HandlerRegistry, StaticResult};
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, ExecutionType, Program};

fn execute_with(definition: Value, handlers: HandlerRegistry, execution_type: ExecutionType) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let config = ExecutionConfig { execution_type, ..ExecutionConfig::default() };
    Execution::start(program, json!({}), Box::new(VirtualClock::default()), handlers, config).run_to_end()
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

/// A Parallel whose Next is itself, around a nested Parallel with Retry, wraps its data in two
/// more arrays on every turn. The long fuzz run once ended in a stack overflow on it (seed
/// 5510592402514895923): copying and dropping a value thousands of levels deep recursed once per
/// level. Now the state whose result nests past 1,000 levels fails with
/// `States.DataLimitExceeded`. It runs on a thread with a small stack, so a recursion that grows
/// with the number of turns shows up here and not only after minutes of fuzzing.
#[test]
fn a_loop_that_nests_its_data_ends_before_the_stack_does() {
    let definition = json!({"StartAt": "Loop", "States": {
        "Loop": {"Type": "Parallel", "Next": "Loop", "Branches": [{"StartAt": "Inner", "States": {
            "Inner": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}],
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "JitterStrategy": "FULL", "MaxDelaySeconds": 4}]}}}],
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Loop"}]},
        "Unreachable": {"Type": "Pass", "End": true}}, "TimeoutSeconds": 130});
    let (error, cause, events) = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let execution = execute(definition);
            let (error, cause) = error_of(&execution);
            (error, cause, execution.history().len())
        })
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(error, "States.DataLimitExceeded");
    assert_eq!(cause, "The state/task 'Loop' returned a result nested more than 1000 levels deep, the most Statecraft simulates.");
    // Ten events a turn, two levels a turn: it stops near turn 500, far before 25,000 events.
    assert!((4_900..5_100).contains(&events), "{events} events");
}

/// The same for a variable: a loop that wraps `$x` in an array on every turn ends with an error
/// at 1,000 levels, on a test thread's stack.
#[test]
fn a_loop_that_nests_a_variable_ends_before_the_stack_does() {
    let definition = json!({"StartAt": "Init", "States": {
        "Init": {"Type": "Pass", "Assign": {"x": 0}, "Next": "Wrap"},
        "Wrap": {"Type": "Pass", "Assign": {"x.$": "States.Array($x)"}, "Next": "Wrap"}}});
    let (error, cause) = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || error_of(&execute(definition)))
        .expect("thread")
        .join()
        .expect("no stack overflow");
    assert_eq!(error, "States.DataLimitExceeded");
    assert!(cause.contains("The variable 'x' would nest more than 1000 levels deep"), "{cause}");
}
