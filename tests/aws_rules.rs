//! AWS's rules that the recorded executions taught us, one test per rule, each through a whole
//! execution: Fail's ErrorPath/CausePath as intrinsic calls, a negative SecondsPath, the value
//! quoted in "…Path" causes, JSONata's `$range` of one item, literal boolean Conditions and
//! function results, the history's previousEventId links around Map and Parallel, and the
//! Lambda integration's payload limit and Python error shape.

use std::sync::Arc;

use serde_json::{Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, HandlerRegistry, Program};
use statecraft::asl::validate::validate_text;
use statecraft::handlers::StaticResult;

fn run_with(definition: &Value, input: Value, handlers: HandlerRegistry) -> Execution {
    let text = definition.to_string();
    let report = validate_text(&text);
    assert!(!report.has_errors(), "the validator refuses {text}: {:?}", report.diagnostics);
    let program = Program::from_text(&text).unwrap_or_else(|e| panic!("run refuses {text}: {e}"));
    Execution::start(Arc::new(program), input, Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end()
}

fn run(definition: &Value, input: Value) -> Execution {
    run_with(definition, input, HandlerRegistry::new())
}

/// The execution's error and cause (panics unless it failed).
fn failure(execution: &Execution) -> (Option<String>, Option<String>) {
    match execution.status() {
        ExecutionStatus::Failed(e) => (e.error.clone(), e.cause.clone()),
        other => panic!("expected a failure, got {other:?}"),
    }
}

fn output(execution: &Execution) -> Value {
    match execution.status() {
        ExecutionStatus::Succeeded { output } => Value::clone(output),
        other => panic!("expected success, got {other:?}"),
    }
}

fn fail_state(error_path: &str, cause_path: &str) -> Value {
    json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": error_path, "CausePath": cause_path}}})
}

#[test]
fn fail_error_path_and_cause_path_may_be_intrinsic_calls() {
    // (ErrorPath, CausePath, input, error, cause)
    let cases = [
        ("$.kind", "States.Format('Order {} failed', $.id)", json!({"kind": "OrderError", "id": 7}), "OrderError", "Order 7 failed"),
        ("States.Format('{}.Failed', $.kind)", "$.why", json!({"kind": "Payment", "why": "declined"}), "Payment.Failed", "declined"),
        ("States.ArrayGetItem($.names, 1)", "States.JsonToString($.detail)", json!({"names": ["A", "B"], "detail": {"a": 1}}), "B", r#"{"a":1}"#),
    ];
    for (error_path, cause_path, input, error, cause) in cases {
        let execution = run(&fail_state(error_path, cause_path), input);
        assert_eq!(failure(&execution), (Some(error.into()), Some(cause.into())), "{error_path} / {cause_path}");
    }
}

#[test]
fn a_fail_path_that_gives_no_string_fails_with_the_value_quoted() {
    let execution = run(&fail_state("States.ArrayLength($.a)", "$.c"), json!({"a": [1, 2], "c": "x"}));
    let (error, cause) = failure(&execution);
    assert_eq!(error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        cause.as_deref(),
        Some(
            "An error occurred while executing the state 'F' (entered at the event id #2). The ErrorPath field refers to value \"2\" which is not a valid string: States.ArrayLength($.a)"
        )
    );
    let (_, cause) = failure(&run(&fail_state("$.e", "$.c"), json!({"e": "E", "c": {}})));
    assert!(cause.unwrap().ends_with("The CausePath field refers to value \"{}\" which is not a valid string: $.c"));
}

#[test]
fn a_negative_seconds_path_fails_instead_of_not_waiting() {
    let wait = json!({"StartAt": "WaitState", "States": {"WaitState": {"Type": "Wait", "SecondsPath": "$.input.waitSeconds", "End": true}}});
    let prefix = "An error occurred while executing the state 'WaitState' (entered at the event id #2). ";
    // (waitSeconds, the cause after the prefix, or None for a wait that succeeds)
    let cases: [(Value, Option<&str>); 5] = [
        (json!(-1), Some("The SecondsPath parameter references a negative value: $.input.waitSeconds == -1")),
        (json!(-86400), Some("The SecondsPath parameter references a negative value: $.input.waitSeconds == -86400")),
        (json!(1.5), Some("The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5")),
        (json!(0), None),
        (json!(3), None),
    ];
    for (seconds, cause) in cases {
        let execution = run(&wait, json!({"input": {"waitSeconds": seconds}}));
        match cause {
            Some(cause) => assert_eq!(failure(&execution), (Some("States.Runtime".into()), Some(format!("{prefix}{cause}"))), "{seconds}"),
            None => assert_eq!(output(&execution), json!({"input": {"waitSeconds": seconds}})),
        }
    }
}

#[test]
fn string_to_json_of_a_blank_string_is_null() {
    let pass = json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.s)"}, "End": true}}});
    for blank in ["", "   ", "\n\t"] {
        assert_eq!(output(&run(&pass, json!({"s": blank}))), json!({"v": null}), "{blank:?}");
    }
}

#[test]
fn path_causes_quote_the_offending_value() {
    let map = |path: &str| {
        json!({"StartAt": "MapState", "States": {"MapState": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrencyPath": path,
            "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}})
    };
    // (value of $.m, how the cause shows it)
    let cases = [(json!("NoNumber"), "\"NoNumber\""), (json!({}), "\"{}\""), (json!(1.5), "\"1.5\""), (json!([1]), "\"[1]\"")];
    for (value, shown) in cases {
        let (_, cause) = failure(&run(&map("$.m"), json!({"m": value, "items": [1]})));
        assert!(cause.as_deref().unwrap().ends_with(&format!("The MaxConcurrencyPath field refers to value {shown} which is not a valid integer: $.m")), "{cause:?}");
    }
}

fn jsonata_pass(output: &str) -> Value {
    json!({"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": output, "End": true}}})
}

#[test]
fn jsonata_range_of_one_item_gives_the_item() {
    // (expression, output)
    let cases = [("{% $range(1, 1, 1) %}", json!(1)), ("{% $range(5, 6, 2) %}", json!(5)), ("{% $range(1, 2, 1) %}", json!([1, 2]))];
    for (expression, want) in cases {
        assert_eq!(output(&run(&jsonata_pass(expression), json!({}))), want, "{expression}");
    }
}

#[test]
fn a_literal_boolean_is_a_jsonata_condition() {
    for (condition, next) in [(true, "Yes"), (false, "No")] {
        let definition = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
            "C": {"Type": "Choice", "Choices": [{"Condition": condition, "Next": "Yes"}], "Default": "No"},
            "Yes": {"Type": "Pass", "Output": "yes", "End": true},
            "No": {"Type": "Pass", "Output": "no", "End": true}}});
        assert_eq!(output(&run(&definition, json!({}))), json!(next.to_lowercase()), "{condition}");
    }
}

#[test]
fn a_jsonata_expression_that_gives_a_function_is_an_unsupported_result() {
    for expression in ["$sum", "function($x) { $x + 1 }", "$uppercase ~> $trim"] {
        let execution = run(&jsonata_pass(&format!("{{% {expression} %}}")), json!({}));
        let (error, cause) = failure(&execution);
        assert_eq!(error.as_deref(), Some("States.QueryEvaluationError"));
        assert_eq!(
            cause.unwrap(),
            format!("An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression '{expression}' specified for the field 'Output' returned an unsupported result type.")
        );
    }
    // Undefined stays undefined.
    let (_, cause) = failure(&run(&jsonata_pass("{% $states.input.absent %}"), json!({})));
    assert!(cause.unwrap().ends_with("returned nothing (undefined)."));
    // And in a Condition.
    let choice = json!({"QueryLanguage": "JSONata", "StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Condition": "{% $not %}", "Next": "D"}], "Default": "D"},
        "D": {"Type": "Succeed"}}});
    let (_, cause) = failure(&run(&choice, json!({})));
    assert!(cause.unwrap().ends_with("The JSONata expression '$not' specified for the field 'Choices[0]/Condition' returned an unsupported result type."));
}

/// `(id, previousEventId, type)` of every event.
fn links(execution: &Execution) -> Vec<(u64, u64, &'static str)> {
    execution.history().iter().map(|e| (e.id, e.previous_event_id, e.kind.type_name())).collect()
}

#[test]
fn the_event_after_an_iteration_or_a_map_or_parallel_success_skips_it() {
    // One iteration at a time, as in the recordings (test_map_state_config_inline_parameters).
    let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "MaxConcurrency": 1,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    assert_eq!(
        links(&run(&map, json!([1, 2]))),
        [
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 4, "PassStateEntered"),
            (6, 5, "PassStateExited"),
            (7, 6, "MapIterationSucceeded"),
            (8, 6, "MapIterationStarted"),
            (9, 8, "PassStateEntered"),
            (10, 9, "PassStateExited"),
            (11, 10, "MapIterationSucceeded"),
            (12, 11, "MapStateSucceeded"),
            (13, 11, "MapStateExited"),
            (14, 13, "ExecutionSucceeded"),
        ]
    );
    let parallel = json!({"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "Branches": [
        {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "Next": "After"},
        "After": {"Type": "Succeed"}}});
    let got = links(&run(&parallel, json!({})));
    assert_eq!(&got[5..8], [(6, 5, "ParallelStateSucceeded"), (7, 5, "ParallelStateExited"), (8, 7, "SucceedStateEntered")]);
    // A failed iteration is skipped too, by the Map's failure.
    let failing = json!({"StartAt": "M", "States": {"M": {"Type": "Map",
        "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail"}}}, "End": true}}});
    let got = links(&run(&failing, json!([1])));
    assert_eq!(&got[4..7], [(5, 4, "FailStateEntered"), (6, 5, "MapIterationFailed"), (7, 5, "MapStateFailed")]);
}

#[test]
fn evaluation_failed_follows_what_the_state_entered_followed() {
    let (_, _) = failure(&run(&jsonata_pass("{% $undefinedFunction() %}"), json!({})));
    let execution = run(&jsonata_pass("{% $error('x') %}"), json!({}));
    assert_eq!(links(&execution)[2], (3, 0, "EvaluationFailed"));
    let after_pass = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "M"},
        "M": {"Type": "Map", "Items": "{% 1 %}", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    let got = links(&run(&after_pass, json!({})));
    assert_eq!(&got[3..5], [(4, 3, "MapStateEntered"), (5, 3, "EvaluationFailed")]);
}

fn lambda_invoke(function: &str, payload: Value) -> Value {
    json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                 "Parameters": {"FunctionName": function, "Payload": payload},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Pass", "End": true}}})
}

#[test]
fn a_lambda_result_over_the_payload_limit_is_caught_by_states_all() {
    let mut handlers = HandlerRegistry::new();
    handlers.register("Big", StaticResult(json!({"blob": "x".repeat(262_144)})));
    let execution = run_with(&lambda_invoke("Big", json!({})), json!({}), handlers);
    assert_eq!(
        output(&execution),
        json!({"Error": "States.DataLimitExceeded",
               "Cause": "The state/task 'lambda' returned a result with a size exceeding the maximum number of bytes service limit."})
    );
    // A function Resource's answer is named after the function's ARN, and caught the same way.
    let mut handlers = HandlerRegistry::new();
    handlers.register("Big", StaticResult(json!("a".repeat(263_168))));
    let function = "arn:aws:lambda:us-east-1:111111111111:function:Big";
    let mut direct = lambda_invoke("Big", json!({}));
    direct["States"]["Call"]["Resource"] = json!(function);
    assert_eq!(
        output(&run_with(&direct, json!({}), handlers)),
        json!({"Error": "States.DataLimitExceeded",
               "Cause": format!("The state/task '{function}' returned a result with a size exceeding the maximum number of bytes service limit.")})
    );
    // Any other integration's result over the limit stays terminal.
    let mut handlers = HandlerRegistry::new();
    handlers.register("arn:aws:states:::sqs:sendMessage", StaticResult(json!({"blob": "x".repeat(262_144)})));
    let sqs = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q", "MessageBody": "m"},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
        "Caught": {"Type": "Pass", "End": true}}});
    assert_eq!(failure(&run_with(&sqs, json!({}), handlers)).0.as_deref(), Some("States.DataLimitExceeded"));
}

#[test]
fn a_python_lambdas_error_has_lambdas_shape() {
    let mut definition = lambda_invoke("ValidateInput", json!(5));
    definition["States"]["Call"].as_object_mut().unwrap().remove("Catch");
    definition["States"].as_object_mut().unwrap().remove("Caught");
    let execution = run_with(&definition, json!({}), statecraft::handlers::seed_registry());
    let (error, cause) = failure(&execution);
    assert_eq!(error.as_deref(), Some("TypeError"));
    let cause: serde_json::Map<String, Value> = serde_json::from_str(&cause.unwrap()).unwrap();
    assert_eq!(cause.keys().collect::<Vec<_>>(), ["errorMessage", "errorType", "requestId", "stackTrace"]);
    assert_eq!(cause["errorMessage"], "argument of type 'int' is not iterable");
    assert_eq!(cause["errorType"], "TypeError");
    let request_id = cause["requestId"].as_str().unwrap();
    assert!(request_id.len() == 36 && request_id.matches('-').count() == 4, "{request_id}");
    assert_eq!(
        cause["stackTrace"],
        json!(["  File \"/var/task/lambda_function.py\", line 13, in lambda_handler\n    if field not in event:\n"])
    );
}

#[test]
fn other_path_fields_fail_with_the_value_quoted_instead_of_being_ignored() {
    // The path reads the task's effective input (here the state input: no Parameters).
    let task = json!({"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "TimeoutSecondsPath": "$.t", "End": true}}});
    // (input, the cause after the state prefix)
    let cases = [
        (json!({"t": "soon"}), "The TimeoutSecondsPath field refers to value \"soon\" which is not a valid integer: $.t"),
        (json!({"t": -5}), "The TimeoutSecondsPath field refers to value \"-5\" which is not a valid integer: $.t"),
        (json!({}), "Invalid path '$.t' : No results for path: $['t']"),
    ];
    for (input, cause) in cases {
        let (error, got) = failure(&run(&task, input.clone()));
        assert_eq!(error.as_deref(), Some("States.Runtime"), "{input}");
        assert_eq!(got.unwrap(), format!("An error occurred while executing the state 'T' (entered at the event id #2). {cause}"));
    }
    let map = json!({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "ToleratedFailurePercentagePath": "$.p",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
    let (_, cause) = failure(&run(&map, json!({"items": [1], "p": "many"})));
    assert!(cause.unwrap().ends_with("The ToleratedFailurePercentagePath field refers to value \"many\" which is not a valid float: $.p"));
}

/// The history's event types, in order.
fn event_types(execution: &Execution) -> Vec<&'static str> {
    execution.history().iter().map(|e| e.kind.type_name()).collect()
}

/// An SQS `.waitForTaskToken` Task whose message carries the token, with `fields` added.
fn sqs_callback_task(fields: Value) -> Value {
    let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl.$": "$.QueueUrl", "MessageBody": {"Message.$": "$.Message", "TaskToken.$": "$$.Task.Token"}}, "End": true});
    task.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
    json!({"StartAt": "Send", "States": {"Send": task}})
}

fn sqs_answering() -> HandlerRegistry {
    let mut handlers = HandlerRegistry::new();
    handlers.register("arn:aws:states:::sqs:sendMessage.waitForTaskToken", StaticResult(json!({"MessageId": "m-1", "MD5OfMessageBody": "x"})));
    handlers
}

const QUEUE_INPUT: &str = r#"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/111111111111/q", "Message": "hi", "hb": 5}"#;

/// `callback/test_callback`: once the service took the message carrying the token, AWS records its
/// answer as TaskSubmitted, then waits; the callback's output is the task's result.
#[test]
fn a_callback_task_records_the_services_answer_as_task_submitted_before_it_waits() {
    let mut execution = run_with(&sqs_callback_task(json!({})), serde_json::from_str(QUEUE_INPUT).unwrap(), sqs_answering());
    assert_eq!(event_types(&execution), ["ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted"]);
    let submitted = execution.history()[4].to_json();
    assert_eq!(submitted["taskSubmittedEventDetails"]["output"], json!(r#"{"MessageId":"m-1","MD5OfMessageBody":"x"}"#), "{submitted}");
    let token = execution.pending_task_tokens().remove(0);
    assert!(execution.send_task_success(&token, json!("done")));
    execution.run();
    assert_eq!(output(&execution), json!("done"));
    assert_eq!(event_types(&execution)[5..], ["TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]);
}

/// `timeouts/test_heartbeats`: a missed heartbeat is recorded as `States.Timeout` without a cause
/// (TaskTimedOut, then the execution's failure); a `States.HeartbeatTimeout` catcher still
/// catches it. HeartbeatSecondsPath reads the state input, not the Parameters' result.
#[test]
fn a_missed_heartbeat_is_a_states_timeout_that_a_heartbeat_timeout_catcher_catches() {
    let input: Value = serde_json::from_str(QUEUE_INPUT).unwrap();
    for heartbeat in [json!({"HeartbeatSeconds": 5}), json!({"HeartbeatSecondsPath": "$.hb", "TimeoutSeconds": 600})] {
        let mut execution = run_with(&sqs_callback_task(heartbeat.clone()), input.clone(), sqs_answering());
        assert_eq!(execution.history()[2].to_json()["taskScheduledEventDetails"]["heartbeatInSeconds"], json!(5), "{heartbeat}");
        execution.advance_time(4_000);
        assert_eq!(execution.status().name(), "RUNNING", "{heartbeat}");
        execution.advance_time(2_000);
        assert_eq!(failure(&execution), (Some("States.Timeout".into()), None), "{heartbeat}");
        assert_eq!(event_types(&execution)[5..], ["TaskTimedOut", "ExecutionFailed"]);
    }
    let mut caught = sqs_callback_task(json!({"HeartbeatSeconds": 5, "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Missed"}]}));
    caught["States"]["Send"].as_object_mut().unwrap().remove("End");
    caught["States"]["Send"]["Next"] = json!("Never");
    caught["States"]["Never"] = json!({"Type": "Succeed"});
    caught["States"]["Missed"] = json!({"Type": "Pass", "End": true});
    let mut execution = run_with(&caught, input, sqs_answering());
    execution.advance_time(6_000);
    // Caught with an empty cause, as a TimeoutSeconds timeout is
    // (`error_handling/test_task_service_lambda::test_invoke_timeout`'s recording).
    assert_eq!(output(&execution), json!({"Error": "States.Timeout", "Cause": ""}));
}

/// `services/test_lambda_task_service::test_invoke`: `lambda:invoke` wraps a function's result
/// in Lambda's response with the SDK's HTTP metadata, and a null Payload reaches the function
/// as `{}`.
#[test]
fn lambda_invoke_answers_with_the_sdk_metadata_and_sends_a_null_payload_as_an_empty_event() {
    let definition = json!({"StartAt": "Start", "States": {"Start": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName.$": "$.FunctionName", "Payload.$": "$.Payload"}, "End": true}}});
    let mut handlers = HandlerRegistry::new();
    handlers.register("id_function", statecraft::handlers::Echo);
    let answer = output(&run_with(&definition, json!({"FunctionName": "id_function", "Payload": null}), handlers));
    assert_eq!((&answer["Payload"], &answer["StatusCode"], &answer["ExecutedVersion"]), (&json!({}), &json!(200), &json!("$LATEST")));
    let metadata = &answer["SdkHttpMetadata"];
    assert_eq!(metadata["HttpStatusCode"], json!(200));
    assert_eq!(metadata["AllHttpHeaders"]["Content-Length"], json!(["2"]), "the payload's length: {answer}");
    assert_eq!(metadata["HttpHeaders"]["X-Amz-Executed-Version"], json!("$LATEST"));
    assert_eq!(metadata["HttpHeaders"]["x-amzn-RequestId"], answer["SdkResponseMetadata"]["RequestId"]);
    assert!(metadata["HttpHeaders"]["Date"].as_str().is_some_and(|d| d.ends_with(" GMT")), "{answer}");
    // The length is the payload's as a Python function writes it (`json.dumps`' spacing).
    let mut handlers = HandlerRegistry::new();
    handlers.register("id_function", statecraft::handlers::Echo);
    let answer = output(&run_with(&definition, json!({"FunctionName": "id_function", "Payload": {"a": [1, 2]}}), handlers));
    assert_eq!(answer["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], json!(r#"{"a": [1, 2]}"#.len().to_string()));
}

/// `callback/test_callback::test_start_execution_sync*`: a `.sync` Task records its start call's
/// answer as TaskSubmitted, then the job's end, whether the child succeeds or fails.
#[test]
fn a_sync_task_records_the_start_calls_answer_as_task_submitted_before_the_jobs_end() {
    use statecraft::handlers::nested::StartExecutionSync;
    let child_arn = "arn:aws:states:us-east-1:111111111111:stateMachine:Child";
    let parent = json!({"StartAt": "StartExecution", "States": {"StartExecution": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn.$": "$.StateMachineArn", "Input.$": "$.Input", "Name.$": "$.Name"}, "End": true}}});
    let input = json!({"StateMachineArn": child_arn, "Input": null, "Name": "TestStartTarget"});
    for (child, end) in [
        (json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"Arg1": "argument1"}, "End": true}}}), "TaskSucceeded"),
        (json!({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "SomeFailure"}}}), "TaskFailed"),
    ] {
        let program = Arc::new(Program::from_text(&child.to_string()).unwrap());
        let mut handlers = HandlerRegistry::new();
        StartExecutionSync::default().with_machine(child_arn, program, HandlerRegistry::new).register(&mut handlers);
        let execution = run_with(&parent, input.clone(), handlers);
        assert_eq!(event_types(&execution)[2..6], ["TaskScheduled", "TaskStarted", "TaskSubmitted", end], "{child}");
        let submitted = execution.history()[4].to_json();
        let answer: Value = serde_json::from_str(submitted["taskSubmittedEventDetails"]["output"].as_str().unwrap()).unwrap();
        assert_eq!(answer["ExecutionArn"], json!("arn:aws:states:us-east-1:111111111111:execution:Child:TestStartTarget"), "{submitted}");
    }
    // A call that starts nothing (no such machine) is no submission.
    let mut handlers = HandlerRegistry::new();
    StartExecutionSync::default().register(&mut handlers);
    let execution = run_with(&parent, input, handlers);
    assert_eq!(event_types(&execution)[2..5], ["TaskScheduled", "TaskStarted", "TaskFailed"]);
}

/// `context_object/test_context_object`: a Pass state's `$$.State` holds its Name and
/// EnteredTime only; a Task (which may retry) also has its RetryCount.
#[test]
fn only_a_state_that_can_retry_has_a_retry_count_in_the_context_object() {
    let definition = json!({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"state.$": "$$.State"}, "Next": "T"},
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Parameters": {"FunctionName": "f", "Payload": {"pass.$": "$.state", "task.$": "$$.State"}}, "OutputPath": "$.Payload", "End": true}}});
    let mut handlers = HandlerRegistry::new();
    handlers.register("f", statecraft::handlers::Echo);
    let answer = output(&run_with(&definition, json!({}), handlers));
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&answer["pass"]), ["EnteredTime", "Name"], "{answer}");
    assert_eq!(keys(&answer["task"]), ["EnteredTime", "Name", "RetryCount"], "{answer}");
}

/// A state that writes no `QueryLanguage` takes the machine's top-level one, also inside a
/// JSONata Map or Parallel of a JSONPath machine (floci-io/floci #2968, measured against AWS;
/// the CDK's and the Developer Guide's words, `asl::walk::scope_language`): the validator, the
/// compiler and the run agree.
#[test]
fn nested_states_take_the_top_level_query_language_not_the_container_s() {
    let nested_jsonpath = json!({"StartAt": "M", "States": {
        "M": {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.xs %}", "Next": "P",
            "ItemProcessor": {"StartAt": "Shape", "States": {
                "Shape": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($, $)"}, "End": true}}}},
        "P": {"Type": "Parallel", "QueryLanguage": "JSONata", "End": true,
            "Output": "{% $states.result %}",
            "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "InputPath": "$[1]", "End": true}}}]}}});
    let execution = run(&nested_jsonpath, json!({"xs": [1, 2]}));
    assert_eq!(output(&execution), json!([{"twice": 4}]));
    // A JSONata field in the same nested place is refused, in AWS's words, at its pointer.
    let mut nested_jsonata = nested_jsonpath.clone();
    nested_jsonata["States"]["M"]["ItemProcessor"]["States"]["Shape"] = json!({"Type": "Pass", "Output": "{% $states.input %}", "End": true});
    let report = validate_text(&nested_jsonata.to_string());
    let refusal = report.errors().find(|d| d.pointer == "/States/M/ItemProcessor/States/Shape/Output").expect("refused");
    assert!(refusal.message.starts_with("The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"), "{}", refusal.message);
    // Said on the nested state itself, it is JSONata there.
    nested_jsonata["States"]["M"]["ItemProcessor"]["States"]["Shape"]["QueryLanguage"] = json!("JSONata");
    assert_eq!(output(&run(&nested_jsonata, json!({"xs": [1, 2]}))), json!([2]), "{}", nested_jsonata);
}
