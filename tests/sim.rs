//! The simulator's logic (`statecraft::sim`): the seed's scenarios, the run model's colours,
//! edges and retries, handler choices, batches, coverage, cost and generated scenarios.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use statecraft::sim::batch::{Batch, Simulator, billed_transitions};
use statecraft::sim::cost::{Cost, dollars};
use statecraft::sim::generate::{Template, generate};
use statecraft::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
use statecraft::sim::run::{RunModel, StateStatus};
use statecraft::sim::scenario::{Expected, Scenario, mismatches, seed_scenarios};

const SEED: &str = statecraft::seed::ORDER_WORKFLOW;

fn set(choices: &[(&str, HandlerChoice, u64)]) -> HandlerSet {
    choices.iter().map(|(s, c, l)| (s.to_string(), HandlerSpec { choice: c.clone(), latency_ms: *l })).collect()
}

fn simulate(definition: &str, handlers: &HandlerSet, input: Value) -> RunModel {
    Simulator::new(definition, handlers).expect("simulator").run(input, 7)
}

/// The seed workflow with a Retry on ProcessData.
fn seed_with_retry() -> String {
    let mut def: Value = serde_json::from_str(SEED).unwrap();
    def["States"]["ProcessData"]["Retry"] =
        json!([{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 2, "MaxAttempts": 3, "BackoffRate": 2}]);
    def.to_string()
}

fn statuses(run: &RunModel) -> Vec<(&str, &str)> {
    ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError"]
        .into_iter()
        .map(|s| (s, run.state_status(s).name()))
        .collect()
}

#[test]
fn the_seed_scenarios_take_the_course_branches() {
    // (scenario index, path, end state, text the output holds)
    let cases: [(usize, &[&str], &str, &str); 3] = [
        (0, &["ValidateInput", "CheckValidation", "ProcessData", "SendNotification"], "SendNotification", "confirmée"),
        (1, &["ValidateInput", "CheckValidation", "HandleError"], "HandleError", "Champ manquant: amount"),
        (2, &["ValidateInput", "CheckValidation", "HandleError"], "HandleError", "Le montant doit être positif"),
    ];
    let scenarios = seed_scenarios();
    for (index, path, end, text) in cases {
        let scenario = &scenarios[index];
        let run = simulate(SEED, &HandlerSet::new(), scenario.parsed_input().unwrap());
        assert_eq!(run.status, "SUCCEEDED", "{}", scenario.name);
        assert_eq!(run.path(), path, "{}", scenario.name);
        assert_eq!(run.end_state.as_deref(), Some(end));
        let output = serde_json::to_string(run.output.as_deref().unwrap()).unwrap();
        assert!(output.contains(text), "{} gives {output}", scenario.name);
        assert!(mismatches(scenario.expected.as_ref().unwrap(), &run).is_empty(), "{}", scenario.name);
    }
}

#[test]
fn the_valid_order_is_confirmed_with_its_order_number() {
    let run = simulate(SEED, &HandlerSet::new(), seed_scenarios()[0].parsed_input().unwrap());
    let subject = run.output.as_ref().unwrap()["notification"]["subject"].as_str().unwrap().to_string();
    let id = subject.strip_prefix("Commande ORD-").and_then(|s| s.strip_suffix(" confirmée")).expect(&subject);
    assert!(id.len() == 5 && id.chars().all(|c| c.is_ascii_digit()), "{subject}");
}

#[test]
fn states_are_coloured_as_the_graph_inspector_colours_them() {
    let valid = json!({"name": "A", "email": "a@x.org", "amount": 10});
    let cases: Vec<(&str, String, HandlerSet, Value, [&str; 5])> = vec![
        ("valid", SEED.into(), HandlerSet::new(), valid.clone(),
            ["succeeded", "succeeded", "succeeded", "succeeded", "not-reached"]),
        ("caught", SEED.into(), set(&[("ProcessData", HandlerChoice::Throw { error: "Boom".into(), cause: "down".into() }, 0)]), valid.clone(),
            ["succeeded", "succeeded", "caught", "not-reached", "succeeded"]),
        ("failed", SEED.into(), set(&[("SendNotification", HandlerChoice::Throw { error: "Mail".into(), cause: "smtp".into() }, 0)]), valid.clone(),
            ["succeeded", "succeeded", "succeeded", "failed", "not-reached"]),
        ("callback", SEED.replace(
            "\"Resource\": \"arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:ProcessData\"",
            "\"Resource\": \"arn:aws:states:::lambda:invoke.waitForTaskToken\", \"Parameters\": {\"FunctionName\": \"ProcessData\", \"Payload\": {\"token.$\": \"$$.Task.Token\"}}"),
            set(&[("ProcessData", HandlerChoice::callback(), 0)]), valid,
            ["succeeded", "succeeded", "in-progress", "not-reached", "not-reached"]),
    ];
    for (name, def, handlers, input, want) in cases {
        let run = simulate(&def, &handlers, input);
        let got: Vec<&str> = statuses(&run).into_iter().map(|s| s.1).collect();
        assert_eq!(got, want, "{name}: {run:?}");
    }
}

#[test]
fn edges_taken_include_the_markers_and_the_catch() {
    let edges = |run: &RunModel| -> Vec<(String, String)> { run.edges.keys().map(|(a, b)| (a.to_string(), b.to_string())).collect() };
    let valid = json!({"name": "A", "email": "a@x.org", "amount": 10});
    let run = simulate(SEED, &HandlerSet::new(), valid.clone());
    let mut want: Vec<(String, String)> = [
        ("#start", "ValidateInput"),
        ("ValidateInput", "CheckValidation"),
        ("CheckValidation", "ProcessData"),
        ("ProcessData", "SendNotification"),
        ("SendNotification", "#end"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    want.sort();
    assert_eq!(edges(&run), want);
    let caught = simulate(SEED, &set(&[("ProcessData", HandlerChoice::Throw { error: "E".into(), cause: String::new() }, 0)]), valid);
    assert!(edges(&caught).contains(&("ProcessData".into(), "HandleError".into())));
    assert!(edges(&caught).contains(&("HandleError".into(), "#end".into())));
}

#[test]
fn process_data_fails_twice_then_succeeds_with_retry() {
    let handlers = set(&[("ProcessData", HandlerChoice::FailThenSucceed { times: 2, error: "States.TaskFailed".into(), then: None }, 0)]);
    let run = simulate(&seed_with_retry(), &handlers, json!({"name": "A", "email": "a@x.org", "amount": 10}));
    assert_eq!(run.status, "SUCCEEDED");
    assert_eq!(run.end_state.as_deref(), Some("SendNotification"));
    assert_eq!(run.states["ProcessData"].retries, 2);
    assert_eq!(run.visits.iter().find(|v| &*v.state == "ProcessData").unwrap().attempts, 3);
    // Back-offs of 2 s then 4 s on the virtual clock.
    assert_eq!(run.duration_ms, 6000);
    assert_eq!(billed_transitions(&run), 4 + 2);
    // Without the Retry the first failure is caught.
    let run = simulate(SEED, &handlers, json!({"name": "A", "email": "a@x.org", "amount": 10}));
    assert_eq!(run.state_status("ProcessData"), StateStatus::Caught);
}

#[test]
fn handler_choices_give_their_results() {
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:1:function:Other", "End": true}}}"#;
    let input = json!({"amount": 12, "items": [1, 2, 3]});
    let cases: Vec<(HandlerChoice, u64, &str, Value, i64)> = vec![
        (HandlerChoice::Seed, 0, "SUCCEEDED", input.clone(), 0), // no seed Lambda of that name: echo
        (HandlerChoice::Echo, 0, "SUCCEEDED", input.clone(), 0),
        (HandlerChoice::Static { json: r#"{"ok": true}"#.into() }, 0, "SUCCEEDED", json!({"ok": true}), 0),
        (HandlerChoice::Jsonata { expression: "{% {'double': amount * 2, 'n': $count(items)} %}".into() }, 0, "SUCCEEDED", json!({"double": 24, "n": 3}), 0),
        (HandlerChoice::Jsonata { expression: "$sum(items)".into() }, 250, "SUCCEEDED", json!(6), 250),
        (HandlerChoice::Throw { error: "Custom.Error".into(), cause: "why".into() }, 0, "FAILED", Value::Null, 0),
    ];
    for (choice, latency, status, output, duration) in cases {
        let run = simulate(def, &set(&[("T", choice.clone(), latency)]), input.clone());
        assert_eq!(run.status, status, "{choice:?}");
        assert_eq!(run.duration_ms, duration, "{choice:?}");
        if status == "SUCCEEDED" {
            assert_eq!(**run.output.as_ref().unwrap(), output, "{choice:?}");
        } else {
            assert_eq!((run.error.as_deref(), run.cause.as_deref()), (Some("Custom.Error"), Some("why")));
        }
    }
}

#[test]
fn unusable_handler_choices_are_reported_by_state() {
    let cases: Vec<(HandlerChoice, &str)> = vec![
        (HandlerChoice::Static { json: "{oops".into() }, "not JSON (line 1, column 2)"),
        (HandlerChoice::Jsonata { expression: "{% 1 + %}".into() }, "does not compile"),
        (HandlerChoice::Throw { error: " ".into(), cause: String::new() }, "no name"),
    ];
    for (choice, text) in cases {
        let error = Simulator::new(SEED, &set(&[("ProcessData", choice.clone(), 0)])).err().expect("an error");
        let message = error.to_string();
        assert!(message.contains("'ProcessData'") && message.contains(text), "{choice:?}: {message}");
    }
    let error = Simulator::new("{\"StartAt\": \"Nope\", \"States\": {}}", &HandlerSet::new()).err().expect("an error");
    assert!(error.to_string().contains("cannot run"), "{error}");
}

#[test]
fn a_batch_of_the_seed_scenarios_passes_and_covers_every_state() {
    let simulator = Simulator::new(SEED, &HandlerSet::new()).unwrap();
    let names = simulator.state_names();
    let mut batch = Batch::new(simulator, seed_scenarios());
    assert_eq!(batch.run_chunk(2), 2);
    assert!(!batch.finished());
    assert_eq!(batch.coverage.never_reached(&names), Vec::<String>::new(), "the valid order and an invalid one cover all");
    batch.run_all();
    assert!(batch.finished());
    assert_eq!(batch.tally(), (3, 0, 0));
    assert_eq!(batch.coverage.states["ValidateInput"], 3);
    assert_eq!(batch.coverage.states["HandleError"], 2);
    assert_eq!(batch.coverage.edge_count("CheckValidation", "HandleError"), 2);
    assert_eq!(batch.coverage.heat("SendNotification"), 1.0 / 3.0);
    assert_eq!(batch.transitions, 4 + 3 + 3);
}

#[test]
fn a_batch_reports_what_differs_from_the_expected_outcome() {
    let simulator = Simulator::new(SEED, &HandlerSet::new()).unwrap();
    let names = simulator.state_names();
    let wrong = Scenario {
        name: "expects the wrong branch".into(),
        input: seed_scenarios()[1].input.clone(),
        expected: Some(Expected {
            status: Some("FAILED".into()),
            end_state: Some("SendNotification".into()),
            output: [("statusCode".to_string(), json!(200)), ("absent".to_string(), json!(1))].into_iter().collect(),
            ..Expected::default()
        }),
        handlers: HandlerSet::new(),
    };
    let bad_input = Scenario::new("not json", "{\"amount\": ");
    let mut batch = Batch::new(simulator, vec![seed_scenarios()[0].clone(), wrong, bad_input, Scenario::new("no expectation", "{}")]);
    batch.run_all();
    assert_eq!(batch.tally(), (1, 2, 1));
    assert_eq!(
        batch.rows[1].mismatches,
        vec![
            "status SUCCEEDED instead of FAILED",
            "ended in HandleError instead of SendNotification",
            "output.statusCode is 400 instead of 200",
            "output.absent is missing (expected 1)",
        ]
    );
    assert_eq!(batch.rows[2].status, "INVALID_INPUT");
    assert!(batch.rows[2].mismatches[0].contains("line 1, column 11"), "{:?}", batch.rows[2].mismatches);
    assert_eq!(batch.coverage.never_reached(&names), Vec::<String>::new());
}

#[test]
fn generated_scenarios_are_reproducible_and_all_pass_on_the_seed() {
    let template = Template { count: 1000, seed: 42, amount_min: 5.0, amount_max: 80.0, invalid_percent: 40 };
    let scenarios = generate(&template).unwrap();
    assert_eq!(scenarios, generate(&template).unwrap());
    assert_ne!(scenarios, generate(&Template { seed: 43, ..template.clone() }).unwrap());
    assert_eq!(scenarios.len(), 1000);
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for s in &scenarios {
        let kind = s.name.split(" (").nth(1).unwrap().trim_end_matches(')').to_string();
        *kinds.entry(kind.clone()).or_default() += 1;
        if kind == "valid" {
            let amount = s.parsed_input().unwrap()["amount"].as_f64().unwrap();
            assert!((5.0..=80.0).contains(&amount), "{amount}");
        }
    }
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    let valid = kinds["valid"] as f64 / 1000.0;
    assert!((0.55..0.65).contains(&valid), "about 60% valid: {valid}");
    let mut batch = Batch::new(Simulator::new(SEED, &HandlerSet::new()).unwrap(), scenarios);
    batch.run_all();
    assert_eq!(batch.tally(), (1000, 0, 0), "{:?}", batch.rows.iter().find(|r| r.pass == Some(false)));
    assert_eq!(batch.coverage.states["SendNotification"] as usize, kinds["valid"]);
    for bad in [Template { amount_min: 9.0, amount_max: 2.0, ..Template::default() }, Template { amount_min: -1.0, ..Template::default() }] {
        assert!(generate(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn cost_follows_the_published_prices() {
    // (executions, transitions each, duration ms, standard, express)
    let cases = [
        (1000.0, 4.0, 0.0, 0.0, 1000.0 * (1e-6 + 0.1 * 64.0 / 1024.0 * 0.000_016_67)),
        (1_000_000.0, 4.0, 0.0, (4_000_000.0 - 4000.0) * 0.025 / 1000.0, 1_000_000.0 * (1e-6 + 0.1 * 0.0625 * 0.000_016_67)),
        (1.0, 4.0, 250.0, 0.0, 1e-6 + 0.3 * 0.0625 * 0.000_016_67),
    ];
    for (executions, transitions, duration, standard, express) in cases {
        let cost = Cost::of(executions, transitions, duration);
        assert!((cost.standard - standard).abs() < 1e-9, "{cost:?}");
        assert!((cost.express - express).abs() < 1e-9, "{cost:?}");
    }
    assert_eq!(Cost::of(1_000_000.0, 4.0, 0.0).cheaper(), "Express");
    assert_eq!(Cost::of(100.0, 4.0, 0.0).cheaper(), "Standard", "inside the free tier");
    assert_eq!(dollars(99.9), "$99.90");
    assert_eq!(dollars(0.000104), "$0.000104");
    assert_eq!(dollars(0.0), "$0");
}

#[test]
fn a_minute_and_a_timestamp_eleven_months_away_are_fast_forwarded() {
    let def = r#"{"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 60, "Next": "T"},
        "T": {"Type": "Wait", "Timestamp": "2024-12-01T00:00:00Z", "End": true}}}"#;
    let run = simulate(def, &HandlerSet::new(), json!({}));
    assert_eq!(run.status, "SUCCEEDED");
    // From the default start, 2024-01-01T00:00:00Z, to the timestamp.
    assert_eq!(run.duration_ms, 1_733_011_200_000 - 1_704_067_200_000);
}

#[test]
fn a_wait_beyond_a_year_times_out_as_standard_does() {
    let def = r#"{"StartAt": "T", "States": {"T": {"Type": "Wait", "Timestamp": "2025-06-01T00:00:00Z", "End": true}}}"#;
    assert_eq!(simulate(def, &HandlerSet::new(), json!({})).status, "TIMED_OUT");
}

#[test]
fn settings_are_saved_with_the_document_and_old_autosaves_get_the_seed_scenarios() {
    use statecraft::editor::document::{Document, Saved};
    use statecraft::editor::change::Change;
    let mut doc = Document::seed();
    assert_eq!(doc.simulation().scenarios, seed_scenarios());
    let mut settings = doc.simulation().clone();
    settings.scenarios.push(Scenario::new("mine", "{\"amount\": 1}"));
    settings.handlers = set(&[("ProcessData", HandlerChoice::Echo, 5)]);
    let undo = doc.apply(Change::SetSimulation(Box::new(settings.clone()))).unwrap();
    assert_eq!(doc.simulation(), &settings);
    let text = serde_json::to_string(&doc.saved()).unwrap();
    let back = Document::restore(serde_json::from_str::<Saved>(&text).unwrap());
    assert_eq!(back.simulation(), doc.simulation());
    doc.apply(undo).unwrap();
    assert_eq!(doc.simulation().scenarios, seed_scenarios(), "the inverse restores the settings");
    let old: Saved = serde_json::from_value(json!({"name": "x", "text": SEED})).unwrap();
    assert_eq!(Document::restore(old).simulation().scenarios, seed_scenarios());
}

#[test]
fn handler_sets_go_to_a_mock_config_file_and_back() {
    use statecraft::sim::mock::{TEST_CASE, export, import};
    let def = SEED.replace(
        "\"Resource\": \"arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:SendNotification\"",
        "\"Resource\": \"arn:aws:states:::lambda:invoke\", \"Parameters\": {\"FunctionName\": \"SendNotification\", \"Payload.$\": \"$\"}",
    );
    let simulator = Simulator::new(&def, &HandlerSet::new()).unwrap();
    let handlers = set(&[
        ("ValidateInput", HandlerChoice::Static { json: r#"{"isValid":true,"data":{"amount":3}}"#.into() }, 0),
        ("ProcessData", HandlerChoice::Throw { error: "Boom".into(), cause: "down".into() }, 0),
        ("SendNotification", HandlerChoice::Static { json: r#"{"sent":1}"#.into() }, 0),
        ("HandleError", HandlerChoice::Echo, 0),
    ]);
    let (config, notes) = export(&handlers, &simulator.tasks, "OrderProcessingWorkflow");
    assert_eq!(notes, vec!["HandleError: echo has no MockConfigFile form; it stays simulated"]);
    let text = config.to_text();
    let file: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(file["StateMachines"]["OrderProcessingWorkflow"]["TestCases"][TEST_CASE]["ProcessData"], "ProcessDataMock");
    assert_eq!(file["MockedResponses"]["ProcessDataMock"]["0"], json!({"Throw": {"Error": "Boom", "Cause": "down"}}));
    // lambda:invoke answers as the service does; a function ARN answers with the payload.
    assert_eq!(file["MockedResponses"]["SendNotificationMock"]["0"]["Return"], json!({"StatusCode": 200, "Payload": {"sent": 1}}));
    assert_eq!(file["MockedResponses"]["ValidateInputMock"]["0"]["Return"]["isValid"], true);
    let back = import(&text, None, &simulator.tasks).unwrap();
    let mut want = handlers.clone();
    want.remove("HandleError");
    assert_eq!(back, want);
}

#[test]
fn mock_config_files_that_cannot_be_imported_say_why() {
    use statecraft::sim::mock::import;
    let tasks = Simulator::new(SEED, &HandlerSet::new()).unwrap().tasks;
    let file = |cases: Value, responses: Value| json!({"StateMachines": {"M": {"TestCases": cases}}, "MockedResponses": responses}).to_string();
    let ok = json!({"R": {"0": {"Return": 1}}});
    let cases: Vec<(String, Option<&str>, &str)> = vec![
        ("{\n  \"StateMachines\": [".into(), None, "2:"),
        (file(json!({"A": {"Nope": "R"}}), ok.clone()), None, "'Nope', which is not a Task state"),
        (file(json!({"A": {"ProcessData": "R"}, "B": {}}), ok.clone()), None, "several test cases (A, B)"),
        (file(json!({"A": {"ProcessData": "R"}}), ok.clone()), Some("Z"), "no test case 'Z'"),
        (file(json!({"A": {"ProcessData": "R"}}), json!({"R": {"0": {"Return": 1}, "1": {"Throw": {"Error": "E"}}}})), None, "cannot show"),
    ];
    for (text, case, message) in cases {
        let error = import(&text, case, &tasks).expect_err(message);
        assert!(error.contains(message), "{error}");
    }
    let two = file(json!({"A": {"ProcessData": "R"}}), json!({"R": {"0-1": {"Throw": {"Error": "E"}}, "2": {"Return": 1}}}));
    let set = import(&two, Some("A"), &tasks).unwrap();
    assert_eq!(set["ProcessData"].choice, HandlerChoice::FailThenSucceed { times: 2, error: "E".into(), then: None });
}

/// A zero-configuration run of `definition`: its status and output.
fn zero_configuration(definition: &Value, input: Value) -> (&'static str, Value) {
    let run = simulate(&definition.to_string(), &HandlerSet::new(), input);
    (run.status, run.output.as_deref().cloned().unwrap_or(Value::Null))
}

#[test]
fn a_function_nobody_simulates_answers_what_the_workflow_reads_from_it() {
    // lambda:invoke and a plain function ARN whose results a ResultSelector, Choices and a later
    // state read: an echo would fail at once ("$.Payload.status" not found).
    let definition = json!({"StartAt": "Check Fraud", "States": {
        "Check Fraud": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "Parameters": {"FunctionName": "fraud-check", "Payload": {"orderId.$": "$.orderId"}},
            "ResultSelector": {"verdict.$": "$.Payload.verdict", "score.$": "$.Payload.score"}, "ResultPath": "$.fraud", "Next": "Is It Fraud"},
        "Is It Fraud": {"Type": "Choice", "Choices": [
            {"Variable": "$.fraud.verdict", "StringEquals": "BLOCK", "Next": "Blocked"},
            {"Variable": "$.fraud.verdict", "StringEquals": "ALLOW", "Next": "Reserve Stock"}],
          "Default": "Manual Review"},
        "Blocked": {"Type": "Fail", "Error": "Fraud"},
        "Manual Review": {"Type": "Succeed"},
        "Reserve Stock": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:reserve-stock",
            "Parameters": {"orderId.$": "$.orderId"}, "ResultPath": "$.stock", "Next": "Reserved"},
        "Reserved": {"Type": "Choice", "Choices": [{"Variable": "$.stock.reserved", "BooleanEquals": true, "Next": "Confirm"}], "Default": "Manual Review"},
        "Confirm": {"Type": "Pass", "Parameters": {"orderId.$": "$.orderId", "verdict.$": "$.fraud.verdict", "reservationId.$": "$.stock.reservationId", "units.$": "$.stock.unitCount"}, "End": true}}});
    let (status, output) = zero_configuration(&definition, json!({"orderId": "O-1"}));
    assert_eq!(status, "SUCCEEDED", "{output}");
    // The branch that does the most before it ends well (not the Fail, not the short Succeed).
    assert_eq!(output["verdict"], "ALLOW");
    assert_eq!((output["reservationId"].is_string(), output["units"].clone()), (true, json!(1)), "{output}");
}

/// A Lambda proxy's `body` is JSON text (API Gateway and Lambda proxy answers' bodies are
/// strings): a workflow that parses it with `States.StringToJson` gets text holding what the
/// states after it read, in a ResultSelector and in a later state's Parameters alike.
#[test]
fn a_body_the_workflow_parses_with_string_to_json_is_json_text() {
    let definition = json!({"StartAt": "Call", "States": {
        "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "api", "Payload.$": "$"},
            "ResultSelector": {"answer.$": "States.StringToJson($.Payload.body)", "code.$": "$.Payload.statusCode"}, "ResultPath": "$.call", "Next": "Ok?"},
        "Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.call.answer.status", "StringEquals": "APPROVED", "Next": "Again"}], "Default": "Refused"},
        "Refused": {"Type": "Fail", "Error": "Refused"},
        "Again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "api", "Payload.$": "$"}, "ResultPath": "$.again", "Next": "Read"},
        "Read": {"Type": "Pass", "Parameters": {"parsed.$": "States.StringToJson($.again.Payload.body)", "status.$": "$.call.answer.status"}, "End": true}}});
    let (status, output) = zero_configuration(&definition, json!({"body": {"an": "object"}}));
    assert_eq!(status, "SUCCEEDED", "{output}");
    assert_eq!(output["status"], json!("APPROVED"), "{output}");
    assert!(output["parsed"].is_object(), "the second body is JSON text too: {output}");
}

#[test]
fn a_polled_service_reports_the_status_its_loop_waits_for() {
    // The enum's first success value is CREATE_COMPLETE; this loop waits for UPDATE_COMPLETE.
    let definition = json!({"StartAt": "Describe Stack", "States": {
        "Describe Stack": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:cloudformation:describeStacks",
            "Parameters": {"StackName": "web"}, "ResultSelector": {"status.$": "$.Stacks[0].StackStatus"}, "ResultPath": "$.stack", "Next": "Done"},
        "Done": {"Type": "Choice", "Choices": [
            {"Variable": "$.stack.status", "StringEquals": "UPDATE_ROLLBACK_COMPLETE", "Next": "Rolled Back"},
            {"Variable": "$.stack.status", "StringEquals": "UPDATE_COMPLETE", "Next": "Updated"}],
          "Default": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Describe Stack"},
        "Rolled Back": {"Type": "Fail", "Error": "RolledBack"},
        "Updated": {"Type": "Pass", "End": true}}});
    let (status, output) = zero_configuration(&definition, json!({}));
    assert_eq!((status, output["stack"]["status"].clone()), ("SUCCEEDED", json!("UPDATE_COMPLETE")), "{output}");
}

#[test]
fn a_resource_a_template_fills_in_is_a_function_that_answers_what_the_workflow_reads() {
    // `Resource: ${ChargeFunctionArn}` (a SAM DefinitionSubstitutions value, `!GetAtt
    // ChargeFunction.Arn`, unknown offline): the next state reads `$.summary` from its result.
    let definition = json!({"StartAt": "Charge", "States": {
        "Charge": {"Type": "Task", "Resource": "${ChargeFunctionArn}", "Next": "Notify"},
        "Notify": {"Type": "Pass", "Parameters": {"Message.$": "$.summary"}, "End": true}}});
    let (status, output) = zero_configuration(&definition, json!({"orderId": "O-1"}));
    assert_eq!(status, "SUCCEEDED", "{output}");
    assert!(output["Message"].is_string(), "{output}");
    assert!(statecraft::sim::handler::is_filled_in_by_template("${ChargeFunctionArn}"));
    for not_whole in ["arn:${Partition}:states:::sns:publish", "${A}${B}", "arn:aws:lambda:eu-west-1:1:function:f"] {
        assert!(!statecraft::sim::handler::is_filled_in_by_template(not_whole), "{not_whole}");
    }
}
