//! Interpreter tests as one-liners: `gives(definition, input, output)`.

use std::sync::Arc;

use serde_json::{Value, json};

use super::*;
use crate::asl::clock::VirtualClock;
use plug::{TaskContext, TaskRequest};

/// Fails twice with `Boom`, then returns its input: the interpreter's tests plug in their own
/// handlers, as the interpreter knows none.
struct FailTwiceThenEcho {
    calls: u32,
}

impl TaskHandler for FailTwiceThenEcho {
    fn invoke(&mut self, request: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        self.calls += 1;
        if self.calls <= 2 { Err(StatesError::new("Boom", "x")) } else { Ok(request.input.clone()) }
    }
}

fn execute(definition: Value, input: Value) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    Execution::start(program, input, Box::new(VirtualClock::default()), HandlerRegistry::new(), ExecutionConfig::default()).run_to_end()
}

fn gives(definition: Value, input: Value, output: Value) {
    let execution = execute(definition, input);
    match execution.status() {
        ExecutionStatus::Succeeded { output: actual } => assert_eq!(**actual, output),
        other => panic!("expected success, got {other:?}"),
    }
}

fn fails(definition: Value, input: Value, error: &str) {
    let execution = execute(definition, input);
    match execution.status() {
        ExecutionStatus::Failed(e) => assert_eq!(e.error.as_deref(), Some(error), "{e:?}"),
        other => panic!("expected failure, got {other:?}"),
    }
}

#[test]
fn pass_with_result_path() {
    gives(
        json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": {"x": 1}, "ResultPath": "$.r", "End": true}}}),
        json!({"a": 1.0}),
        json!({"a": 1.0, "r": {"x": 1}}),
    );
}

#[test]
fn choice_picks_the_first_matching_rule() {
    let def = json!({"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [
            {"Variable": "$.n", "NumericGreaterThan": 3, "Next": "Big"},
            {"Not": {"Variable": "$.s", "StringMatches": "a*c"}, "Next": "Odd"}], "Default": "Small"},
        "Big": {"Type": "Pass", "Result": "big", "End": true},
        "Odd": {"Type": "Pass", "Result": "odd", "End": true},
        "Small": {"Type": "Pass", "Result": "small", "End": true}}});
    gives(def.clone(), json!({"n": 4, "s": "abc"}), json!("big"));
    gives(def.clone(), json!({"n": 1, "s": "xyz"}), json!("odd"));
    gives(def, json!({"n": 1, "s": "abbbc"}), json!("small"));
}

#[test]
fn a_year_long_wait_costs_nothing() {
    let execution = execute(
        json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 31536000, "End": true}}}),
        json!({}),
    );
    assert_eq!(execution.status().name(), "SUCCEEDED");
    assert_eq!(execution.now() - VirtualClock::default().now(), 31_536_000_000);
}

#[test]
fn map_and_parallel_keep_order() {
    gives(
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 0, "End": true}}}], "End": true}}}, "End": true}}}),
        json!([1, 2]),
        json!([[1, 0], [2, 0]]),
    );
}

#[test]
fn fail_and_catch() {
    fails(json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}), json!({}), "E");
    gives(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Done"}], "End": true},
            "Done": {"Type": "Succeed"}}}),
        json!({}),
        json!({"err": {"Error": "E", "Cause": "C"}}),
    );
}

#[test]
fn retry_backs_off_on_the_virtual_clock() {
    let program = Arc::new(
        Program::from_text(
            &json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:f",
                "Retry": [{"ErrorEquals": ["Boom"], "IntervalSeconds": 2, "BackoffRate": 3, "MaxAttempts": 2}], "End": true}}})
            .to_string(),
        )
        .unwrap(),
    );
    let mut handlers = HandlerRegistry::new();
    handlers.register("f", FailTwiceThenEcho { calls: 0 });
    let execution = Execution::start(program, json!({"v": 1}), Box::new(VirtualClock::starting_at(0)), handlers, ExecutionConfig::default()).run_to_end();
    assert_eq!(execution.status().name(), "SUCCEEDED");
    assert_eq!(execution.now(), 8_000);
}

#[test]
fn runtime_errors_are_not_caught_by_states_all() {
    fails(
        json!({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}),
        json!({}),
        "States.Runtime",
    );
}

#[test]
fn an_execution_that_keeps_no_history_numbers_its_events_the_same() {
    // A Map whose second iteration fails: the cause cites the event id the state was entered at.
    let definition = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
        "StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.x", "End": true}}}, "End": true}}});
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let run = |keep_history| {
        let config = ExecutionConfig { keep_history, ..ExecutionConfig::default() };
        let input = json!({"items": [{"x": 1}, {"y": 2}]});
        Execution::start(program.clone(), input, Box::new(VirtualClock::default()), HandlerRegistry::new(), config).run_to_end()
    };
    let (kept, dropped) = (run(true), run(false));
    assert!(matches!(kept.status(), ExecutionStatus::Failed(e) if e.cause.as_deref().is_some_and(|c| c.contains("event id #"))));
    assert_eq!(kept.status(), dropped.status());
    assert!(dropped.history().is_empty());
    assert_eq!(dropped.event_count(), kept.history().len() as u64);
    assert_eq!(kept.event_count(), kept.history().len() as u64);
    let entered = kept.history().iter().filter(|e| matches!(e.kind, EventKind::StateEntered { .. })).count() as u64;
    assert_eq!((kept.states_entered(), dropped.states_entered()), (entered, entered));
}

#[test]
fn parallel_branches_and_a_caught_error_number_their_events_the_same_unkept() {
    // Parallel's events link aside of the last one; a Task's events, its failure (no handler)
    // and the catch follow; the last state's failure cites the event id it was entered at.
    let definition = json!({"StartAt": "Fan", "States": {
        "Fan": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a.$": "$.v"}, "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Wait", "Seconds": 1, "Next": "C"}, "C": {"Type": "Pass", "End": true}}}],
            "Next": "Bad"},
        "Bad": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Unregistered",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Worse"}], "Next": "Worse"},
        "Worse": {"Type": "Pass", "InputPath": "$.absent", "End": true}}});
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let run = |keep_history| {
        let config = ExecutionConfig { keep_history, ..ExecutionConfig::default() };
        Execution::start(program.clone(), json!({"v": 1}), Box::new(VirtualClock::default()), HandlerRegistry::new(), config).run_to_end()
    };
    let (kept, dropped) = (run(true), run(false));
    assert!(matches!(kept.status(), ExecutionStatus::Failed(e) if e.cause.as_deref().is_some_and(|c| c.contains("event id #"))));
    assert_eq!(kept.status(), dropped.status());
    assert!(dropped.history().is_empty());
    assert_eq!((kept.event_count(), dropped.event_count()), (kept.history().len() as u64, kept.history().len() as u64));
    assert_eq!(kept.states_entered(), dropped.states_entered());
}

#[test]
fn items_path_to_a_non_array_fails_in_aws_words() {
    let def = |path: &str| {
        json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": path,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})
    };
    for (path, named) in [("$.items", "$.items"), ("$$.Execution.Input", "$.Execution.Input")] {
        let execution = execute(def(path), json!({"items": {"not": "an array"}}));
        let ExecutionStatus::Failed(e) = execution.status() else { panic!("expected failure") };
        assert_eq!(e.error.as_deref(), Some(names::RUNTIME));
        assert!(e.cause.as_deref().unwrap().ends_with(&format!("Reference path \"{named}\" must point to array.")), "{e:?}");
    }
}

/// Fails with `Down` every time, or echoes its input: what a service answers, before and after
/// it was fixed.
struct Service {
    up: bool,
}

impl TaskHandler for Service {
    fn invoke(&mut self, request: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        if self.up { Ok(json!({"sent": request.input.clone()})) } else { Err(StatesError::new("Down", "the service is down")) }
    }
}

fn registry_with(up: bool) -> HandlerRegistry {
    let mut registry = HandlerRegistry::new();
    registry.register("Send", Service { up });
    registry
}

#[test]
fn a_redriven_execution_continues_its_history_from_the_state_that_failed() {
    let def = json!({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Assign": {"attempt": "first"}, "Result": {"order": 7}, "Next": "Send"},
        "Send": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Send",
                 "Parameters": {"order.$": "$.order", "seen.$": "$attempt", "redrives.$": "$$.Execution.RedriveCount"}, "End": true}}});
    let program = Arc::new(Program::from_text(&def.to_string()).expect("compiles"));
    let mut execution = Execution::start(program, json!({}), Box::new(VirtualClock::default()), registry_with(false), ExecutionConfig::default()).run_to_end();
    assert_eq!(execution.status().name(), "FAILED");
    assert_eq!(execution.redrive(None).map_err(|e| e.to_string()), Ok(1), "a failed execution can be redriven");
    assert_eq!(execution.run(), StepOutcome::Finished);
    assert_eq!(execution.status().name(), "FAILED", "same handlers, same failure");
    let before = execution.history().len();
    assert_eq!(execution.redrive(Some(registry_with(true))), Ok(2));
    execution.run();
    match execution.status() {
        ExecutionStatus::Succeeded { output } => {
            assert_eq!(**output, json!({"sent": {"order": 7, "seen": "first", "redrives": 2}}), "same input, same variables, the count in $$")
        }
        other => panic!("expected success, got {other:?}"),
    }
    let types: Vec<&str> = execution.history()[before..].iter().map(|e| e.kind.type_name()).collect();
    assert_eq!(types[0], "ExecutionRedriven");
    assert_eq!(types[1], "TaskStateEntered", "the failed state again; Prepare is not rerun");
    assert_eq!(types.last(), Some(&"ExecutionSucceeded"));
    let redriven = &execution.history()[before];
    assert_eq!(redriven.previous_event_id, before as u64, "it follows the failure");
    assert_eq!(redriven.to_json()["executionRedrivenEventDetails"], json!({"redriveCount": 2}));
    assert_eq!(execution.history()[before + 1].previous_event_id, redriven.id);
    assert_eq!(execution.history().iter().filter(|e| e.kind.type_name() == "PassStateEntered").count(), 1);
    assert_eq!(execution.redrive(None), Err(RedriveRefusal::Succeeded));
}

#[test]
fn only_an_ended_standard_execution_can_be_redriven() {
    let def = json!({"StartAt": "Send", "States": {"Send": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Send", "End": true}}});
    let program = Arc::new(Program::from_text(&def.to_string()).expect("compiles"));
    let mut running = Execution::start(program.clone(), json!({}), Box::new(VirtualClock::default()), registry_with(false), ExecutionConfig::default());
    assert_eq!(running.redrive(None), Err(RedriveRefusal::Running));
    let express = ExecutionConfig { execution_type: ExecutionType::Express, ..ExecutionConfig::default() };
    let mut failed = Execution::start(program, json!({}), Box::new(VirtualClock::default()), registry_with(false), express).run_to_end();
    assert_eq!(failed.status().name(), "FAILED");
    assert_eq!(failed.redrive(None), Err(RedriveRefusal::Express));
}

/// Answers with a fixed value (the in-place ResultPath tests).
struct Answer(Value);

impl TaskHandler for Answer {
    fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(self.0.clone())
    }
}

/// ResultPath writes into the state input when nobody else holds it (no history kept, no
/// trace), and a failure after the write (OutputPath, the payload quota) puts the input back
/// before Catch sees it: the outcome is the one the copying path gives (history kept).
#[test]
fn result_path_in_place_gives_what_the_copy_gives() {
    // 160 KiB each: the input and the answer pass the 256 KiB quota, the input with the answer
    // in it does not.
    let big = || Value::String("x".repeat(160 * 1024));
    // (the execution's `k`, ResultPath, OutputPath, the task's answer, whether the Catch fires).
    // A missing OutputPath is States.Runtime, which no Catch takes: both runs fail alike.
    let cases = [
        (json!("v"), "$.r", "$.nope", json!({"x": 1}), None),
        (big(), "$.r", "$", big(), Some(true)),
        (json!("v"), "$.r.s", "$.r", json!({"x": 1}), Some(false)),
        (json!("v"), "$.keep", "$", json!([1, 2]), Some(false)),
    ];
    for (k, result_path, output_path, answer, caught) in cases {
        let definition = json!({"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Parameters": {"a": 1, "keep.$": "$.k"}, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:Answer",
                  "ResultPath": result_path, "OutputPath": output_path,
                  "Catch": [{"ErrorEquals": ["States.Runtime", "States.DataLimitExceeded"], "ResultPath": "$.err", "Next": "Done"}], "Next": "Done"},
            "Done": {"Type": "Pass", "End": true}}});
        let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
        let run = |keep_history: bool| {
            let mut handlers = HandlerRegistry::new();
            handlers.register("T", Answer(answer.clone()));
            let config = ExecutionConfig { keep_history, ..ExecutionConfig::default() };
            Execution::start(program.clone(), json!({"k": k.clone()}), Box::new(VirtualClock::default()), handlers, config).run_to_end().into_status()
        };
        let (copied, in_place) = (run(true), run(false));
        assert!(in_place == copied, "{result_path} {output_path}: differ");
        let Some(caught) = caught else {
            assert_eq!(in_place.name(), "FAILED", "{result_path} {output_path}");
            continue;
        };
        let ExecutionStatus::Succeeded { output } = in_place else { panic!("{result_path}: {}", in_place.name()) };
        assert_eq!(output.get("err").is_some(), caught, "{result_path} {output_path}: {:?}", output.get("err"));
        if caught {
            assert_eq!(output.get("a"), Some(&json!(1)), "{result_path}");
            assert!(output.get("r").is_none(), "{result_path}: the write was not undone");
        }
    }
}

/// Returns its input as the task's result.
struct Echo;

impl TaskHandler for Echo {
    fn invoke(&mut self, request: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(request.input.clone())
    }
}

#[test]
fn a_sync_job_s_state_has_a_task_token_in_its_context_and_a_request_response_one_has_none() {
    // SendTaskSuccess is "used by ... Task states using the callback pattern, and optionally Task
    // states using the job run pattern": a `.sync` state can hand `$$.Task.Token` to its child.
    let run = |resource: &str| {
        let definition = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": resource,
            "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child", "Input": {"token.$": "$$.Task.Token"}}, "End": true}}});
        let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
        let mut handlers = HandlerRegistry::new();
        handlers.register("T", Echo);
        Execution::start(program, json!({}), Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end()
    };
    for resource in ["arn:aws:states:::states:startExecution.sync:2", "arn:aws:states:::glue:startJobRun.sync"] {
        match run(resource).status() {
            ExecutionStatus::Succeeded { output } => {
                assert!(output["Input"]["token"].as_str().is_some_and(|t| !t.is_empty()), "{resource}: {output}")
            }
            other => panic!("{resource}: {other:?}"),
        }
    }
    let request_response = run("arn:aws:states:::states:startExecution");
    assert_eq!(request_response.status().name(), "FAILED", "no token outside the job and callback patterns");
}

#[test]
fn a_jsonata_callback_task_s_arguments_read_its_task_token() {
    // `$states.context.Task.Token` in Arguments: the JSONata spelling of `$$.Task.Token`.
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {"T": {"Type": "Task",
        "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Arguments": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token": "{% $states.context.Task.Token %}"}}, "End": true}}});
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let mut handlers = HandlerRegistry::new();
    handlers.register("T", Echo);
    let execution = Execution::start(program, json!({}), Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end();
    assert_eq!(execution.status().name(), "RUNNING", "waits for its callback: {:?}", execution.status());
    let sent = execution.history().iter().find_map(|e| match &e.kind {
        crate::asl::history::EventKind::TaskScheduled { parameters, .. } => Some(Value::clone(parameters)),
        _ => None,
    });
    let sent = sent.expect("the task was scheduled");
    assert!(sent["MessageBody"]["token"].as_str().is_some_and(|t| !t.is_empty()), "{sent}");
}

/// Answers what EventBridge answered when one of two entries had no Source.
struct OneEntryFailed;

impl TaskHandler for OneEntryFailed {
    fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(json!({"Entries": [{"EventId": "e1"}, {"ErrorCode": "InvalidArgument", "ErrorMessage": "Source is a required argument."}], "FailedEntryCount": 1}))
    }
}

#[test]
fn put_events_with_failed_entries_fails_the_optimized_task_only() {
    let run = |resource: &str| {
        let def = json!({"StartAt": "Put", "States": {"Put": {"Type": "Task", "Resource": resource, "Parameters": {"Entries.$": "$.Entries"}, "End": true}}});
        let program = Arc::new(Program::from_text(&def.to_string()).expect("compiles"));
        let mut registry = HandlerRegistry::new();
        registry.register(resource, OneEntryFailed);
        Execution::start(program, json!({"Entries": []}), Box::new(VirtualClock::default()), registry, ExecutionConfig::default()).run_to_end()
    };
    let optimized = run("arn:aws:states:::events:putEvents");
    match optimized.status() {
        ExecutionStatus::Failed(e) => {
            assert_eq!(e.error.as_deref(), Some("EventBridge.FailedEntry"));
            let cause: Value = serde_json::from_str(e.cause.as_deref().unwrap_or("")).expect("the answer as cause");
            assert_eq!(cause["FailedEntryCount"], 1);
            assert_eq!(cause["Entries"][1]["ErrorCode"], "InvalidArgument");
        }
        other => panic!("expected EventBridge.FailedEntry, got {other:?}"),
    }
    assert_eq!(optimized.history().iter().filter(|e| e.kind.type_name() == "TaskFailed").count(), 1);
    // The SDK integration hands the answer on as it is.
    assert_eq!(run("arn:aws:states:::aws-sdk:eventbridge:putEvents").status().name(), "SUCCEEDED");
}

/// Answers `{"n": input.n + 1, "data": input, "deep": <input.depth levels>}`, failing with
/// `Odd` when `input.fail` is set: on shared values when `shared`, else on `serde_json` ones.
struct Wrap {
    shared: bool,
}

impl Wrap {
    fn answer(input: &Value) -> Result<Value, StatesError> {
        if input.get("fail").is_some_and(|f| f == true) {
            return Err(StatesError::new("Odd", "asked to fail"));
        }
        let mut deep = json!("leaf");
        for _ in 0..input.get("depth").and_then(Value::as_u64).unwrap_or(0) {
            deep = json!([deep]);
        }
        let n = input.get("n").and_then(Value::as_i64).unwrap_or(0) + 1;
        Ok(json!({"n": n, "data": input, "deep": deep}))
    }
}

impl TaskHandler for Wrap {
    fn invoke(&mut self, request: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Wrap::answer(request.input)
    }

    fn takes_shared(&self) -> bool {
        self.shared
    }

    fn invoke_shared(&mut self, _: &TaskRequest, input: &crate::asl::value::Shared, _: &mut TaskContext) -> Result<crate::asl::value::Shared, StatesError> {
        use crate::asl::value::Shared;
        // Built as a shared value, `data` shared with the input, not copied.
        let answer = Wrap::answer(&input.to_value())?;
        let Shared::Object(members) = Shared::from(&answer) else { unreachable!("an object") };
        let members = members.iter().map(|(k, v)| (k.clone(), if &**k == "data" { input.clone() } else { v.clone() })).collect();
        Ok(Shared::object(members))
    }
}

/// The same definition and input with `Wrap` on shared values and on `serde_json` ones: the
/// same status and the same history, event by event.
fn same_either_way(definition: &Value, input: Value, quotas: quota::Quotas) -> Execution {
    let program = Arc::new(Program::from_text(&definition.to_string()).expect("compiles"));
    let run = |shared: bool, keep_history: bool| {
        let mut handlers = HandlerRegistry::new();
        handlers.register("T", Wrap { shared });
        handlers.register("U", Wrap { shared });
        let config = ExecutionConfig { quotas, keep_history, ..ExecutionConfig::default() };
        Execution::start(program.clone(), input.clone(), Box::new(VirtualClock::default()), handlers, config).run_to_end()
    };
    let (shared, plain) = (run(true, true), run(false, true));
    assert_eq!(shared.status(), plain.status(), "{definition}");
    assert_eq!(shared.history().len(), plain.history().len(), "{definition}");
    for (a, b) in shared.history().iter().zip(plain.history()) {
        assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap(), "{definition}");
    }
    // Without a history, whose events hold the payloads, results are written into the state
    // input itself: in its shared form where the handler made one.
    let unkept = run(true, false);
    assert_eq!(unkept.status(), plain.status(), "{definition}");
    // Member order included.
    if let (ExecutionStatus::Succeeded { output: a }, ExecutionStatus::Succeeded { output: b }) = (unkept.status(), plain.status()) {
        assert_eq!(a.to_string(), b.to_string(), "{definition}");
    }
    unkept
}

#[test]
fn a_handler_on_shared_values_gives_what_it_gives_on_serde_values() {
    let task = |next: Value, extra: Value| {
        let mut state = json!({"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:T"});
        state.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        state.as_object_mut().unwrap().extend(next.as_object().unwrap().clone());
        state
    };
    let definition = json!({"StartAt": "T", "States": {
        "T": task(json!({"Next": "C"}), json!({})),
        "C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.n", "NumericGreaterThan": 0}, {"Not": {"Variable": "$.data.tag", "StringEquals": "x"}}], "Next": "U"},
            {"Variable": "$.missing", "IsPresent": true, "Next": "Fail"}], "Default": "Fail"},
        "U": task(json!({"Next": "Out"}), json!({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:U", "ResultPath": "$.second",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Out"}]})),
        "Out": {"Type": "Pass", "OutputPath": "$.second", "End": true},
        "Fail": {"Type": "Fail", "Error": "NoMatch"}}});
    // The result written beside the input (`$.second`, appended), read by a Choice, shared.
    let execution = same_either_way(&definition, json!({"n": 1, "tag": "y"}), quota::Quotas::default());
    match execution.status() {
        ExecutionStatus::Succeeded { output } => {
            assert_eq!(output["n"], json!(3));
            assert_eq!(output["data"]["data"], json!({"n": 1, "tag": "y"}));
        }
        other => panic!("expected success, got {other:?}"),
    }
    // No rule holds: the Choice's Default, decided on the shared input too.
    same_either_way(&definition, json!({"n": -5, "tag": "x"}), quota::Quotas::default());

    // A member written where one is (`$.n`, replaced in place), then OutputPath.
    let replace = json!({"StartAt": "T", "States": {"T": task(json!({"Next": "U"}), json!({})),
        "U": task(json!({"End": true}), json!({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:U", "ResultPath": "$.n", "OutputPath": "$.n.data"}))}});
    same_either_way(&replace, json!({"n": 7}), quota::Quotas::default());

    // The result nests too deep once written: the write is undone and Catch sees the input.
    let deep = json!({"StartAt": "T", "States": {"T": task(json!({"Next": "U"}), json!({})),
        "U": task(json!({"End": true}), json!({"Resource": "arn:aws:lambda:us-east-1:123456789012:function:U", "ResultPath": "$.r",
            "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Done"}]})),
        "Done": {"Type": "Pass", "End": true}}});
    let limit = quota::MAX_NESTING_DEPTH as u64;
    // Written in place in the shared form, which the output keeps (nothing read it as a
    // `serde_json::Value` on the way).
    match same_either_way(&deep, json!({"depth": 2}), quota::Quotas::default()).status() {
        ExecutionStatus::Succeeded { output } => assert!(output.as_shared().is_some(), "{output}"),
        other => panic!("expected success, got {other:?}"),
    }
    same_either_way(&deep, json!({"depth": limit - 1}), quota::Quotas::default());
    same_either_way(&deep, json!({"depth": limit + 2}), quota::Quotas::default());
    // A result over the payload limit, and a handler's own error, caught the same way.
    same_either_way(&deep, json!({"pad": "x".repeat(140_000)}), quota::Quotas::default());
    same_either_way(&deep, json!({"fail": true}), quota::Quotas::default());
}
