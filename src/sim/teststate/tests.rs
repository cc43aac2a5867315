//! Every request field and every inspection level, through the whole path: the body read as
//! AWS takes it, the answer written as AWS gives it.

use super::*;
use serde_json::json;

/// A request body with `definition` and `input` given as values (sent as JSON text).
fn body(definition: Value, input: Value, rest: Value) -> Value {
    let mut map = rest.as_object().cloned().unwrap_or_default();
    map.insert("definition".into(), Value::String(definition.to_string()));
    map.insert("input".into(), Value::String(input.to_string()));
    Value::Object(map)
}

fn answer(body: Value) -> Value {
    let request = TestStateRequest::from_json(&body.to_string()).expect("the request reads");
    test_state(&request).expect("the request is answered").to_json()
}

fn refused(body: Value) -> RequestError {
    let request = TestStateRequest::from_json(&body.to_string()).expect("the request reads");
    test_state(&request).expect_err("the request is refused")
}

/// A JSON-text field of the answer, parsed.
fn text(answer: &Value, pointer: &str) -> Value {
    let field = answer.pointer(pointer).unwrap_or_else(|| panic!("{pointer} in {answer}"));
    serde_json::from_str(field.as_str().expect("JSON text")).expect("valid JSON")
}

fn lambda_task(extra: Value) -> Value {
    let mut state = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "ResultSelector": {"body.$": "$.Payload"},
        "ResultPath": "$.out",
        "Next": "After"
    });
    if let (Some(s), Some(e)) = (state.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    state
}

#[test]
fn info_shows_no_inspection_data() {
    let a = answer(body(json!({"Type": "Pass", "End": true}), json!({"a": 1}), json!({"inspectionLevel": "INFO"})));
    assert_eq!(a, json!({"output": "{\"a\":1}", "status": "SUCCEEDED"}));
    let default_level = answer(body(json!({"Type": "Pass", "End": true}), json!({"a": 1}), json!({})));
    assert_eq!(default_level, a);
}

#[test]
fn debug_shows_each_step_of_a_jsonpath_task() {
    let a = answer(body(
        lambda_task(json!({})),
        json!({"x": 1}),
        json!({"inspectionLevel": "DEBUG", "mock": {"result": "{\"Payload\": {\"ok\": true}, \"StatusCode\": 200}"}}),
    ));
    assert_eq!(a["status"], "SUCCEEDED");
    assert_eq!(a["nextState"], "After");
    assert_eq!(text(&a, "/inspectionData/input"), json!({"x": 1}));
    assert_eq!(text(&a, "/inspectionData/afterInputPath"), json!({"x": 1}));
    assert_eq!(text(&a, "/inspectionData/afterParameters"), json!({"FunctionName": "f", "Payload": {"x": 1}}));
    // The mock is the whole lambda:invoke response: not wrapped in another envelope.
    assert_eq!(text(&a, "/inspectionData/result"), json!({"Payload": {"ok": true}, "StatusCode": 200}));
    assert_eq!(text(&a, "/inspectionData/afterResultSelector"), json!({"body": {"ok": true}}));
    assert_eq!(text(&a, "/inspectionData/afterResultPath"), json!({"x": 1, "out": {"body": {"ok": true}}}));
    assert_eq!(text(&a, "/output"), json!({"x": 1, "out": {"body": {"ok": true}}}));
    assert!(a["inspectionData"].get("afterArguments").is_none());
}

#[test]
fn trace_shows_what_debug_shows_offline() {
    for definition in [lambda_task(json!({})), json!({"Type": "Pass", "Result": 1, "End": true}), json!({"Type": "Succeed"})] {
        let at = |level: &str| {
            answer(body(definition.clone(), json!({"x": 1}), json!({"inspectionLevel": level, "mock": {"result": "{}"}}).as_object().map(|m| {
                let mut m = m.clone();
                if definition["Type"] != "Task" {
                    m.remove("mock");
                }
                Value::Object(m)
            }).unwrap()))
        };
        assert_eq!(at("TRACE"), at("DEBUG"), "{definition}");
        assert!(at("DEBUG").get("inspectionData").is_some());
    }
}

#[test]
fn jsonata_states_show_arguments_and_result_only() {
    let definition = json!({
        "QueryLanguage": "JSONata",
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "f", "Payload": "{% $states.input.n * 2 %}"},
        "Output": "{% $states.result.Payload %}",
        "End": true
    });
    let a = answer(body(definition, json!({"n": 21}), json!({"inspectionLevel": "DEBUG", "mock": {"result": "{\"Payload\": 42}"}})));
    assert_eq!(text(&a, "/inspectionData/afterArguments"), json!({"FunctionName": "f", "Payload": 42}));
    assert_eq!(text(&a, "/inspectionData/result"), json!({"Payload": 42}));
    assert_eq!(text(&a, "/output"), json!(42));
    let shown: Vec<&String> = a["inspectionData"].as_object().unwrap().keys().collect();
    assert_eq!(shown, ["input", "afterArguments", "result"]);
}

#[test]
fn a_mocked_error_is_caught_with_the_catchers_index_and_next_state() {
    let definition = lambda_task(json!({
        "Catch": [
            {"ErrorEquals": ["Other"], "Next": "Elsewhere"},
            {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Recover"}
        ]
    }));
    let a = answer(body(definition, json!({"x": 1}), json!({"inspectionLevel": "DEBUG", "mock": {"errorOutput": {"error": "Boom", "cause": "it broke"}}})));
    assert_eq!(a["status"], "CAUGHT_ERROR");
    assert_eq!(a["nextState"], "Recover");
    assert_eq!(a["error"], "Boom");
    assert_eq!(a["cause"], "it broke");
    assert_eq!(text(&a, "/output"), json!({"x": 1, "error": {"Error": "Boom", "Cause": "it broke"}}));
    assert_eq!(a["inspectionData"]["errorDetails"], json!({"catchIndex": 1}));
}

#[test]
fn the_retry_count_decides_between_retriable_and_exhausted() {
    let definition = lambda_task(json!({
        "Retry": [
            {"ErrorEquals": ["Other"]},
            {"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3, "MaxDelaySeconds": 10}
        ],
        "Catch": [{"ErrorEquals": ["Boom"], "Next": "Recover"}]
    }));
    let mock = json!({"errorOutput": {"error": "Boom", "cause": "c"}});
    let at = |count: Option<u32>| {
        let mut rest = json!({"inspectionLevel": "DEBUG", "mock": mock});
        if let Some(n) = count {
            rest["stateConfiguration"] = json!({"retrierRetryCount": n});
        }
        answer(body(definition.clone(), json!({}), rest))
    };
    let first = at(None);
    assert_eq!(first["status"], "RETRIABLE");
    assert_eq!(first["inspectionData"]["errorDetails"], json!({"retryIndex": 1, "retryBackoffIntervalSeconds": 3}));
    assert!(first.get("nextState").is_none() && first.get("output").is_none());
    // 3 × 2² = 12, held to MaxDelaySeconds.
    assert_eq!(at(Some(2))["inspectionData"]["errorDetails"], json!({"retryIndex": 1, "retryBackoffIntervalSeconds": 10}));
    let exhausted = at(Some(3));
    assert_eq!(exhausted["status"], "CAUGHT_ERROR");
    assert_eq!(exhausted["nextState"], "Recover");
    assert_eq!(exhausted["inspectionData"]["errorDetails"], json!({"catchIndex": 0, "retryIndex": 1}));
    let no_retry = refused(body(json!({"Type": "Pass", "End": true}), json!({}), json!({"stateConfiguration": {"retrierRetryCount": 1}})));
    assert_eq!(no_retry.pointer, "/stateConfiguration/retrierRetryCount");
}

#[test]
fn the_retry_count_is_the_context_objects() {
    let definition = json!({
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "f", "Payload": {"retries.$": "$$.State.RetryCount"}},
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 5}],
        "End": true
    });
    let a = answer(body(definition, json!({}), json!({"inspectionLevel": "DEBUG", "mock": {"errorOutput": {"error": "E", "cause": "c"}}, "stateConfiguration": {"retrierRetryCount": 2}})));
    assert_eq!(text(&a, "/inspectionData/afterParameters"), json!({"FunctionName": "f", "Payload": {"retries": 2}}));
}

#[test]
fn field_validation_modes_check_the_mocked_result() {
    let definition = lambda_task(json!({}));
    let with_mode = |result: &str, mode: Option<&str>| {
        let mut mock = json!({"result": result});
        if let Some(m) = mode {
            mock["fieldValidationMode"] = json!(m);
        }
        let request = TestStateRequest::from_json(&body(definition.clone(), json!({}), json!({"mock": mock})).to_string()).unwrap();
        test_state(&request).map(|r| r.status)
    };
    let wrong_type = r#"{"StatusCode": "200", "Payload": 1}"#;
    let error = with_mode(wrong_type, None).unwrap_err();
    assert_eq!(error.pointer, "/mock/result");
    // AWS's words name the member, not its place.
    assert_eq!(error.message, "Mock result schema validation error: Field 'StatusCode' must be a number");
    assert!(with_mode(wrong_type, Some("PRESENT")).is_err());
    assert_eq!(with_mode(wrong_type, Some("NONE")), Ok(TestStatus::Succeeded));
    assert_eq!(with_mode(r#"{"Payload": 1, "anything": "else"}"#, Some("STRICT")), Ok(TestStatus::Succeeded));
    let not_json = body(definition.clone(), json!({}), json!({"mock": {"result": "not json", "fieldValidationMode": "NONE"}}));
    assert_eq!(TestStateRequest::from_json(&not_json.to_string()).unwrap_err().pointer, "/mock/result");
}

/// STRICT and PRESENT apart, on an operation whose output requires members: Step Functions'
/// StartExecution (`ExecutionArn`, `StartDate`).
#[test]
fn strict_wants_the_models_required_members() {
    let request = |mode: &str| {
        TestStateRequest::from_json(
            &body(json!({"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sfn:startExecution", "End": true}), json!({}), json!({"mock": {"result": "{}", "fieldValidationMode": mode}}))
                .to_string(),
        )
        .unwrap()
    };
    let error = test_state(&request("STRICT")).unwrap_err();
    assert_eq!(error.message, "Mock result schema validation error: Required field 'ExecutionArn' is missing");
    assert_eq!(test_state(&request("PRESENT")).unwrap().status, TestStatus::Succeeded);
    // A catalogue without the service checks nothing.
    let empty = crate::catalogue::Catalogue::new(crate::catalogue::Texts::default());
    assert_eq!(test_state_with(&request("STRICT"), &empty).unwrap().status, TestStatus::Succeeded);
}

#[test]
fn variables_are_read_and_shown_after_the_state() {
    let definition = json!({"Type": "Pass", "Parameters": {"seen.$": "$limit"}, "Assign": {"doubled.$": "States.MathAdd($limit, $limit)"}, "End": true});
    let a = answer(body(definition, json!({}), json!({"inspectionLevel": "DEBUG", "variables": "{\"limit\": 5}"})));
    assert_eq!(text(&a, "/output"), json!({"seen": 5}));
    assert_eq!(text(&a, "/inspectionData/variables"), json!({"limit": 5, "doubled": 10}));
    let none = answer(body(json!({"Type": "Pass", "End": true}), json!({}), json!({"inspectionLevel": "DEBUG"})));
    assert!(none["inspectionData"].get("variables").is_none());
}

#[test]
fn the_context_is_the_one_given_else_the_executions() {
    let definition = json!({"Type": "Pass", "Parameters": {"name.$": "$$.State.Name", "role.$": "$$.Execution.RoleArn"}, "End": true});
    let given = answer(body(definition.clone(), json!({}), json!({"context": "{\"State\": {\"Name\": \"Given\"}, \"Execution\": {\"RoleArn\": \"r\"}}"})));
    assert_eq!(text(&given, "/output"), json!({"name": "Given", "role": "r"}));
    let default = answer(body(definition, json!({}), json!({"roleArn": "arn:aws:iam::1:role/Tester"})));
    assert_eq!(text(&default, "/output"), json!({"name": "StateName", "role": "arn:aws:iam::1:role/Tester"}));
}

/// Without a given context, AWS's TestState makes one of its own (LocalStack's
/// `test_test_state_scenarios` recordings: `$states` in a Catch's Output, `$states.context` in a
/// Pass): an EXPRESS execution's ARN, no RedriveCount, the state named `StateName` whatever its
/// name, the role the request's or null; a Task's RetryCount, not a Pass's.
#[test]
fn the_context_aws_makes_is_an_express_executions_with_the_state_named_state_name() {
    let pass = json!({"StartAt": "Mine", "States": {"Mine": {"Type": "Pass", "Parameters": {"c.$": "$$"}, "End": true}}});
    let a = answer(body(pass, json!({"v": 1}), json!({"stateName": "Mine"})));
    let context = &text(&a, "/output")["c"];
    let id = context["Execution"]["Id"].as_str().unwrap();
    assert!(id.starts_with("arn:aws:states:") && id.contains(":express:"), "{id}");
    assert_eq!(context["Execution"]["Input"], json!({"v": 1}));
    assert_eq!(context["Execution"]["RoleArn"], Value::Null);
    assert!(context["Execution"].get("RedriveCount").is_none(), "{context}");
    assert_eq!(context["State"]["Name"], "StateName");
    assert!(context["State"].get("RetryCount").is_none(), "{context}");
    let task = json!({"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "f"}, "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.context %}", "Next": "H"}], "End": true});
    let caught = answer(body(task, json!({}), json!({"roleArn": "arn:aws:iam::1:role/R", "mock": {"errorOutput": {"error": "E", "cause": "C"}}})));
    let context = text(&caught, "/output");
    assert_eq!(context["Execution"]["RoleArn"], "arn:aws:iam::1:role/R");
    assert_eq!(context["State"], json!({"EnteredTime": context["State"]["EnteredTime"].clone(), "Name": "StateName", "RetryCount": 0}));
}

/// AWS calls a Task's resource as the request's role: without a mock a Task needs `roleArn`
/// (AWS's words); a mocked Task and a Pass do not.
#[test]
fn an_unmocked_task_needs_a_role() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    let e = refused(body(task.clone(), json!({"FunctionName": "f"}), json!({})));
    assert_eq!((e.pointer.as_str(), e.message.as_str()), ("/roleArn", "RoleArn must be specified when testing a Task state"));
    let mocked = answer(body(task, json!({}), json!({"mock": {"result": "{}"}})));
    assert_eq!(mocked["status"], "SUCCEEDED");
    assert_eq!(answer(body(json!({"Type": "Pass", "End": true}), json!({}), json!({})))["status"], "SUCCEEDED");
}

/// A mocked result must be JSON text in every field validation mode, NONE too (AWS's words).
#[test]
fn a_mocked_result_that_is_not_json_is_refused_in_aws_words() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true});
    let request = body(task, json!({}), json!({"mock": {"result": "not JSON string", "fieldValidationMode": "NONE"}}));
    let e = TestStateRequest::from_json(&request.to_string()).expect_err("refused as it is read");
    assert_eq!(e.pointer, "/mock/result");
    assert!(e.message.starts_with("Mocked result must be valid JSON"), "{}", e.message);
}

#[test]
fn a_state_is_found_anywhere_in_a_machine_by_name() {
    let machine = json!({
        "QueryLanguage": "JSONata",
        "StartAt": "Fan",
        "States": {
            "Fan": {
                "Type": "Parallel",
                "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Output": "{% $states.input.v + 1 %}", "Next": "Last"}, "Last": {"Type": "Succeed"}}}],
                "End": true
            }
        }
    });
    let a = answer(body(machine.clone(), json!({"v": 1}), json!({"stateName": "Inner"})));
    assert_eq!(a, json!({"output": "2", "nextState": "Last", "status": "SUCCEEDED"}));
    assert_eq!(refused(body(machine.clone(), json!({}), json!({}))).pointer, "/stateName");
    assert!(refused(body(machine, json!({}), json!({"stateName": "Nope"}))).message.contains("no state named 'Nope'"));
    assert_eq!(refused(body(json!({"Type": "Succeed"}), json!({}), json!({"stateName": "S"}))).pointer, "/stateName");
}

#[test]
fn a_single_state_gets_a_name_no_state_inside_has() {
    let definition = json!({"Type": "Map", "ItemProcessor": {"StartAt": "TestState", "States": {"TestState": {"Type": "Pass", "End": true}}}, "End": true});
    assert_eq!(single_state_name(&definition), "TestState_2");
    let a = answer(body(definition, json!([1, 2]), json!({"mock": {"result": "[1, 2]"}})));
    assert_eq!(a["status"], "SUCCEEDED");
}

#[test]
fn choice_wait_succeed_and_fail_answer_their_way() {
    let choice = json!({"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}], "Default": "Small"});
    assert_eq!(answer(body(choice.clone(), json!({"n": 5}), json!({})))["nextState"], "Big");
    let small = answer(body(choice, json!({"n": 0}), json!({"inspectionLevel": "DEBUG"})));
    assert_eq!(small["nextState"], "Small");
    assert_eq!(text(&small, "/inspectionData/afterInputPath"), json!({"n": 0}));
    let wait = answer(body(json!({"Type": "Wait", "Seconds": 3600, "Next": "Go"}), json!({"a": 1}), json!({})));
    assert_eq!(wait, json!({"output": "{\"a\":1}", "nextState": "Go", "status": "SUCCEEDED"}));
    let succeed = answer(body(json!({"Type": "Succeed", "InputPath": "$.a"}), json!({"a": [1]}), json!({"inspectionLevel": "DEBUG"})));
    assert_eq!(text(&succeed, "/inspectionData/afterInputPath"), json!([1]));
    assert!(succeed.get("nextState").is_none());
    let fail = answer(body(json!({"Type": "Fail", "ErrorPath": "$.e", "Cause": "why"}), json!({"e": "Bad"}), json!({})));
    assert_eq!(fail, json!({"error": "Bad", "cause": "why", "status": "FAILED"}));
}

#[test]
fn a_runtime_error_has_no_event_id_in_its_cause() {
    let a = answer(body(json!({"Type": "Pass", "InputPath": "$.missing", "End": true}), json!({}), json!({})));
    assert_eq!(a["status"], "FAILED");
    assert_eq!(a["error"], "States.Runtime");
    let cause = a["cause"].as_str().unwrap();
    assert!(cause.starts_with("Invalid path '$.missing'"), "{cause}");
    assert_eq!(without_state_prefix("An error occurred while executing the state 'S' (entered at the event id #2). Rest.", "S"), "Rest.");
    assert_eq!(without_state_prefix("Other text", "S"), "Other text");
}

#[test]
fn map_and_parallel_need_a_mock_and_pass_takes_none() {
    let map = json!({"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true});
    assert!(refused(body(map, json!([]), json!({}))).message.contains("a Map state is tested only with a mock"));
    let token = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true});
    assert!(refused(body(token.clone(), json!({}), json!({}))).message.contains(".waitForTaskToken Task"));
    let called_back = answer(body(token, json!({}), json!({"mock": {"result": "{\"done\": 1}"}})));
    assert_eq!(text(&called_back, "/output"), json!({"done": 1}));
    let pass = refused(body(json!({"Type": "Pass", "End": true}), json!({}), json!({"mock": {"result": "1"}})));
    assert_eq!(pass.pointer, "/mock");
    let parallel = json!({"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true});
    let not_array = refused(body(parallel.clone(), json!({}), json!({"mock": {"result": "{}"}})));
    assert_eq!(not_array.message, "Mocked result must be an array.");
    assert_eq!(answer(body(parallel, json!({}), json!({"mock": {"result": "{}", "fieldValidationMode": "NONE"}})))["status"], "SUCCEEDED");
}

/// AWS's refusals of a mock that does not fit the state (recorded in LocalStack's
/// `test_state_mock_validation` snapshot): word for word, on the field they are about.
#[test]
fn mocks_that_do_not_fit_the_state_are_refused_as_aws_does() {
    let two_branches = json!({"Type": "Parallel", "Branches": [
        {"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}},
        {"StartAt": "B2", "States": {"B2": {"Type": "Pass", "End": true}}}], "End": true});
    let three_items = refused(body(two_branches.clone(), json!({}), json!({"mock": {"result": "[1, 2, 3]"}})));
    assert_eq!((three_items.pointer.as_str(), three_items.message.as_str()), ("/mock/result", "Mocked result must contain the same number of items as number of Parallel branches."));
    assert_eq!(answer(body(two_branches, json!({}), json!({"mock": {"result": "[1, 2]"}})))["status"], "SUCCEEDED");

    let map = json!({"Type": "Map", "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true});
    assert_eq!(refused(body(map.clone(), json!([]), json!({"mock": {"result": "{}"}}))).message, "Mocked result must be an array.");
    let mut writer = map;
    writer["ItemProcessor"]["ProcessorConfig"] = json!({"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"});
    writer["ResultWriter"] = json!({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}});
    assert_eq!(refused(body(writer.clone(), json!([]), json!({"mock": {"result": "[]"}}))).message, "Mocked result must be a JSON object.");
    let written = answer(body(writer, json!([]), json!({"mock": {"result": "{\"ResultWriterDetails\": {\"Bucket\": \"b\", \"Key\": \"p/manifest.json\"}}"}})));
    assert_eq!(written["status"], "SUCCEEDED", "{written}");

    let secrets = refused(body(lambda_task(json!({})), json!({}), json!({"revealSecrets": true, "mock": {"result": "{}"}})));
    assert_eq!((secrets.pointer.as_str(), secrets.message.as_str()), ("/revealSecrets", "TestState does not support RevealSecrets when a mock is specified."));
}

#[test]
fn a_task_without_mock_calls_the_simulators_handler() {
    let definition = json!({"Type": "Task", "Resource": "arn:aws:lambda:eu-west-3:123456789012:function:ValidateInput", "End": true});
    let role = json!({"roleArn": "arn:aws:iam::1:role/R"});
    let a = answer(body(definition, json!({"name": "A", "email": "a@b.c", "amount": 10}), role.clone()));
    assert_eq!(text(&a, "/output")["isValid"], json!(true));
    let unknown = answer(body(json!({"Type": "Task", "Resource": "arn:aws:lambda:eu-west-3:1:function:Nobody", "End": true}), json!({}), role));
    assert_eq!(unknown["status"], "FAILED");
    assert_eq!(unknown["error"], "States.TaskFailed");
}

fn tolerant_map(extra: Value) -> Value {
    let mut map = json!({
        "Type": "Map",
        "QueryLanguage": "JSONata",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Arguments": {"Bucket": "b", "Key": "k"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ToleratedFailurePercentage": 25,
        "MaxConcurrency": 2,
        "End": true
    });
    map.as_object_mut().unwrap().extend(extra.as_object().cloned().unwrap_or_default());
    map
}

#[test]
fn map_failures_are_held_against_the_tolerance_over_the_items_read() {
    let at = |reader: &str| {
        answer(body(
            tolerant_map(json!({})),
            json!({}),
            json!({"inspectionLevel": "DEBUG", "mock": {"result": "[1]"}, "stateConfiguration": {"mapIterationFailureCount": 1, "mapItemReaderData": reader}}),
        ))
    };
    let four = at("[1, 2, 3, 4]");
    assert_eq!(four["status"], "SUCCEEDED");
    assert_eq!(four["inspectionData"]["maxConcurrency"], 2);
    assert_eq!(four["inspectionData"]["toleratedFailurePercentage"], 25.0);
    let two = at("[1, 2]");
    assert_eq!(two["status"], "FAILED");
    assert_eq!(two["error"], "States.ExceedToleratedFailureThreshold");
    let not_array = refused(body(tolerant_map(json!({})), json!({}), json!({"mock": {"result": "[1]"}, "stateConfiguration": {"mapItemReaderData": "{}"}})));
    assert_eq!(not_array.pointer, "/stateConfiguration/mapItemReaderData");
    let on_pass = refused(body(json!({"Type": "Pass", "End": true}), json!({}), json!({"stateConfiguration": {"mapIterationFailureCount": 1}})));
    assert_eq!(on_pass.pointer, "/stateConfiguration/mapIterationFailureCount");
}

#[test]
fn error_caused_by_state_names_a_state_inside_a_mocked_failing_map() {
    let request = |name: &str, mock: Value| body(tolerant_map(json!({})), json!({}), json!({"mock": mock, "stateConfiguration": {"errorCausedByState": name}}));
    let error = json!({"errorOutput": {"error": "E", "cause": "c"}});
    assert_eq!(answer(request("P", error.clone())), json!({"error": "E", "cause": "c", "status": "FAILED"}));
    assert!(refused(request("Q", error)).message.contains("no state named 'Q' inside"));
    assert_eq!(refused(request("P", json!({"result": "[]"}))).pointer, "/stateConfiguration/errorCausedByState");
}

#[test]
fn reveal_secrets_is_taken_and_changes_nothing_offline() {
    let definition = json!({"Type": "Pass", "End": true});
    let with = answer(body(definition.clone(), json!({}), json!({"revealSecrets": true, "inspectionLevel": "TRACE"})));
    let without = answer(body(definition, json!({}), json!({"inspectionLevel": "TRACE"})));
    assert_eq!(with, without);
}

#[test]
fn an_invalid_definition_is_refused_where_it_is_wrong() {
    let error = refused(body(json!({"Type": "Wait", "Next": "A"}), json!({}), json!({})));
    assert_eq!(error.pointer, "/definition");
    assert!(error.message.starts_with("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: ") && error.message.contains("Seconds"), "{error}");
    let machine = refused(body(json!({"StartAt": "A", "States": {"A": {"Type": "Pass"}}}), json!({}), json!({"stateName": "A"})));
    // A whole machine is checked as written: the error is located in its text.
    assert!(machine.message.contains(" at /States/A' (line 1 column 26 of the definition)"), "{machine}");
}

#[test]
fn in_a_whole_machine_the_tested_state_s_own_problem_is_named_first_in_aws_s_words() {
    // The machine has no terminal state (found at /StartAt, before the state's own problem), and
    // the tested state has a Type AWS does not know: AWS names the latter
    // (`test_state_name_invalid_state_definition`), and so do we.
    let machine = json!({"StartAt": "Bad", "States": {"Bad": {"Type": "Nope", "End": true}}});
    let error = refused(body(machine, json!({}), json!({"stateName": "Bad"})));
    assert_eq!(error.pointer, "/definition");
    assert!(
        error.message.starts_with(
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: \
             [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/Bad/Type' ("
        ),
        "{error}"
    );
    // A state nested in a Parallel's branch is found at its place in the machine.
    let nested = json!({"StartAt": "P", "States": {"Q": {"Type": "Pass"}, "P": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true}}}]}}});
    let error = refused(body(nested, json!({}), json!({"stateName": "W"})));
    assert!(error.message.contains(" at /States/P/Branches/0/States/W"), "{error}");
}

#[test]
fn the_input_defaults_to_an_empty_object() {
    let request = TestStateRequest::from_json(r#"{"definition": "{\"Type\": \"Pass\", \"End\": true}"}"#).unwrap();
    assert_eq!(test_state(&request).unwrap().to_json(), json!({"output": "{}", "status": "SUCCEEDED"}));
}

#[test]
fn the_command_places_a_refusal_at_the_field_it_names() {
    let text = "{\"definition\": \"{\\\"Type\\\": \\\"Task\\\", \\\"Resource\\\": \\\"arn:aws:states:::lambda:invoke\\\", \\\"End\\\": true}\",\n \"mock\": {\"result\": \"{\\\"StatusCode\\\": true}\"}}";
    let report = test_state_command(text, "req.json");
    assert_eq!(report.exit_code, 2);
    assert!(report.stdout.is_empty());
    assert!(report.stderr.starts_with("req.json:2:11: error: Mock result schema validation error: Field 'StatusCode' must be a number"), "{}", report.stderr);
    let answered = test_state_command(r#"{"definition": "{\"Type\": \"Succeed\"}", "input": "[1]"}"#, "req.json");
    assert_eq!((answered.exit_code, answered.stdout.as_str()), (0, "{\"output\":\"[1]\",\"status\":\"SUCCEEDED\"}\n"));
}

#[test]
fn a_retry_count_past_max_attempts_is_exhausted_at_once() {
    let definition = lambda_task(json!({"Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 1}]}));
    let a = answer(body(definition, json!({}), json!({
        "inspectionLevel": "DEBUG",
        "mock": {"errorOutput": {"error": "Boom", "cause": "c"}},
        "stateConfiguration": {"retrierRetryCount": 4}
    })));
    assert_eq!(a["status"], "FAILED");
    assert_eq!(a["inspectionData"]["errorDetails"], json!({"retryIndex": 0}));
    assert_eq!(text(&a, "/inspectionData/input"), json!({}));
}

/// The seed's ProcessData, tested in its workflow as the "Test this state" panel would: with a
/// mocked error it is caught towards HandleError; without a mock the seed's Lambda runs.
#[test]
fn the_seeds_process_data_is_tested_in_its_workflow() {
    for definition in [crate::seed::ORDER_WORKFLOW, crate::seed::ORDER_WORKFLOW_JSONATA] {
        let input = r#"{"statusCode": 200, "isValid": true, "data": {"name": "A", "email": "a@b.c", "amount": 150}}"#;
        let mut request = TestStateRequest::for_state(definition, "ProcessData", input, InspectionLevel::Debug);
        request.mock = Some(Mock { outcome: MockOutcome::Error { error: "Lambda.ServiceException".into(), cause: "down".into() }, field_validation_mode: None });
        let caught = test_state(&request).unwrap();
        assert_eq!(caught.status, TestStatus::CaughtError);
        assert_eq!(caught.next_state.as_deref(), Some("HandleError"));
        assert_eq!(caught.inspection_data.unwrap().error_details.unwrap().catch_index, Some(0));
        assert!(aws_cli::aws_cli_command(&request).contains("--state-name 'ProcessData'"));
        request.mock = None;
        request.role_arn = Some("arn:aws:iam::1:role/R".into());
        let ran = test_state(&request).unwrap();
        assert_eq!(ran.status, TestStatus::Succeeded, "{ran:?}");
        assert_eq!(ran.next_state.as_deref(), Some("SendNotification"));
    }
}

/// A mocked context object is checked as AWS checks it: only Execution, State, StateMachine
/// and Task, only their own fields, strings where AWS wants strings, no Map, and Task only for
/// a state that takes a task token. A Task.Token given is the one `$$.Task.Token` reads.
#[test]
fn a_mocked_context_object_is_checked_as_aws_checks_it() {
    let task = json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true});
    let with = |context: Value, state: &Value| body(state.clone(), json!({}), json!({"context": context.to_string(), "mock": {"result": "{}"}}));
    for (context, message) in [
        (json!({"Execution": {"Id": 1}}), "Invalid Context object provided: Execution.Id must be a string"),
        (json!({"Map": {}}), "Invalid Context object provided: 'Map' field is not supported when mocking a Context object"),
        (json!({"Execution": {"pokemon": "squirtle"}}), "Invalid Context object provided: Field 'pokemon' is not allowed"),
        (json!({"Pokedex": {}}), "Invalid Context object provided: Field 'Pokedex' is not allowed"),
        (json!({"Task": {"Token": "t"}}), "Invalid Context object provided: Context object contains 'Task' when state is not a Task state with a '.sync' or '.waitForTaskToken' service integration pattern"),
    ] {
        let error = refused(with(context.clone(), &task));
        assert_eq!((error.pointer.as_str(), error.message.as_str()), ("/context", message), "{context}");
    }
    let ok = answer(with(json!({"Execution": {"Id": "e", "RedriveCount": 0}, "State": {"RetryCount": 1}}), &task));
    assert_eq!(ok["status"], "SUCCEEDED");
    let token = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters": {"QueueUrl": "q", "MessageBody": {"t.$": "$$.Task.Token"}}, "End": true});
    let a = answer(body(token, json!({}), json!({"inspectionLevel": "DEBUG", "context": json!({"Task": {"Token": "abcd123"}}).to_string(), "mock": {"result": "{}"}})));
    assert_eq!(text(&a, "/inspectionData/afterParameters")["MessageBody"]["t"], "abcd123");
}
