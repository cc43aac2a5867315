//! Whole-execution fuzzing: random definitions (every state type, nested Parallel and Map, Retry
//! and Catch, paths that miss, intrinsics, JSONata states, callbacks, timeouts, loops) run on
//! random inputs with a transition cap and a step cap. Nothing may panic, every run must end or
//! wait for a callback within the caps, and every history must be well formed.
//!
//! Small by default so `cargo test` stays fast. For a long run set `INTERP_FUZZ_SECONDS`
//! (for example `INTERP_FUZZ_SECONDS=600 cargo test --release --test interp_fuzz -- --nocapture`):
//! it keeps generating cases until the time is up and prints how many ran.

use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};
use statecraft::asl::clock::VirtualClock;
use statecraft::handlers::nested::StartExecutionSync;
use statecraft::handlers::services::{self, SharedStore};
use statecraft::handlers::{Echo, FailTimesThenSucceed, HandlerRegistry, StaticResult, Throw, WithLatency};
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionType, Program, StatesError, StepOutcome};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1000i64..1000).prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        "[a-z0-9 ]{0,6}".prop_map(Value::String),
        Just(json!("2016-03-14T01:59:00Z")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop_oneof![Just("a"), Just("b"), Just("n"), Just("s"), Just("arr"), Just("items"), Just("x")], inner), 0..5)
                .prop_map(|kv| Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())),
        ]
    })
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

const PATHS: &[&str] = &["$", "$.a", "$.a.b", "$.n", "$.s", "$.arr", "$.arr[0]", "$.items", "$.items[1:3]", "$..a", "$.arr[?(@.n > 1)]", "$.missing", "$$.Execution.Input", "$$.State.Name", "$$.Map.Item.Value", "$x"];
const INTRINSICS: &[&str] = &[
    "States.Format('v{}', $.n)",
    "States.MathAdd($.n, 1)",
    "States.ArrayLength($.arr)",
    "States.StringToJson($.s)",
    "States.JsonToString($)",
    "States.Hash($.s, 'SHA-1')",
    "States.UUID()",
    "States.MathRandom(1, 9)",
    "States.Array($.a, $.n)",
    "States.ArrayRange(1, $.n, 2)",
    "States.Base64Encode($.s)",
];
const EXPRESSIONS: &[&str] = &["{% $states.input %}", "{% $states.input.n + 1 %}", "{% $x %}", "{% $states.input.arr[0] %}", "{% $count($states.input.items) %}", "{% $uuid() %}", "{% $states.input.missing.deeper %}", "{% 1/0 %}", "{% $states.context.Execution.Name %}"];
const ERRORS: &[&str] = &["States.ALL", "States.TaskFailed", "States.Timeout", "States.Runtime", "Custom.Error", "States.HeartbeatTimeout", "States.DataLimitExceeded"];
const RESOURCES: &[&str] = &[
    "arn:aws:lambda:us-east-1:123456789012:function:ValidateInput",
    "arn:aws:states:::lambda:invoke",
    "arn:aws:states:::sqs:sendMessage",
    "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "arn:aws:states:::sns:publish",
    "arn:aws:states:::dynamodb:putItem",
    "arn:aws:states:::dynamodb:updateItem",
    "arn:aws:states:::states:startExecution.sync:2",
    "arn:aws:states:::aws-sdk:s3:getObject",
];

fn template(rng: &mut StdRng) -> Value {
    let mut map = Map::new();
    for i in 0..rng.random_range(0..4) {
        match rng.random_range(0..4) {
            0 => map.insert(format!("p{i}.$"), json!(pick(rng, PATHS))),
            1 => map.insert(format!("p{i}.$"), json!(pick(rng, INTRINSICS))),
            2 => map.insert(format!("p{i}"), json!({"k": i, "q.$": pick(rng, PATHS)})),
            _ => map.insert(format!("p{i}"), json!(i)),
        };
    }
    Value::Object(map)
}

fn maybe_path(rng: &mut StdRng) -> Value {
    if rng.random_bool(0.15) { Value::Null } else { json!(pick(rng, PATHS)) }
}

fn retry_and_catch(rng: &mut StdRng, state: &mut Map<String, Value>, names: &[String]) {
    if rng.random_bool(0.5) {
        let retriers: Vec<Value> = (0..rng.random_range(1..3))
            .map(|_| {
                let mut r = json!({"ErrorEquals": [pick(rng, ERRORS)], "MaxAttempts": rng.random_range(0..4), "IntervalSeconds": rng.random_range(0..3), "BackoffRate": rng.random_range(1..3)});
                if rng.random_bool(0.3) {
                    r["JitterStrategy"] = json!("FULL");
                    r["MaxDelaySeconds"] = json!(rng.random_range(1..5));
                }
                r
            })
            .collect();
        state.insert("Retry".into(), Value::Array(retriers));
    }
    if rng.random_bool(0.5) {
        let mut catcher = json!({"ErrorEquals": [pick(rng, ERRORS)], "Next": pick(rng, names)});
        if rng.random_bool(0.5) {
            catcher["ResultPath"] = maybe_path(rng);
        }
        state.insert("Catch".into(), json!([catcher]));
    }
}

/// A random machine of up to 6 states; `depth` bounds the nesting of Parallel and Map.
fn machine(rng: &mut StdRng, depth: u32, jsonata: bool) -> Value {
    let count = rng.random_range(1..=6);
    let names: Vec<String> = (0..count).map(|i| format!("S{depth}_{i}")).collect();
    let mut states = Map::new();
    for (i, name) in names.iter().enumerate() {
        let kind = rng.random_range(0..if depth > 0 { 9 } else { 7 });
        let mut s = Map::new();
        let terminal = |rng: &mut StdRng, s: &mut Map<String, Value>| {
            // Mostly forward (so most runs end), sometimes backward (loops) or the end.
            if rng.random_bool(0.3) || i + 1 == count {
                if rng.random_bool(0.8) {
                    s.insert("End".into(), json!(true));
                } else {
                    s.insert("Next".into(), json!(pick(rng, &names)));
                }
            } else {
                s.insert("Next".into(), json!(names[rng.random_range(i + 1..count)]));
            }
        };
        match kind {
            0 | 1 => {
                s.insert("Type".into(), json!("Pass"));
                if jsonata {
                    if rng.random_bool(0.6) {
                        s.insert("Output".into(), json!(pick(rng, EXPRESSIONS)));
                    }
                } else {
                    match rng.random_range(0..3) {
                        0 => s.insert("Result".into(), json!({"r": rng.random_range(0..9)})),
                        1 => s.insert("Parameters".into(), template(rng)),
                        _ => None,
                    };
                    for field in ["InputPath", "ResultPath", "OutputPath"] {
                        if rng.random_bool(0.25) {
                            s.insert(field.into(), maybe_path(rng));
                        }
                    }
                }
                if rng.random_bool(0.3) {
                    let value = if jsonata { json!(pick(rng, EXPRESSIONS)) } else { json!(pick(rng, PATHS)) };
                    let key = if jsonata { "x" } else { "x.$" };
                    s.insert("Assign".into(), json!({ key: value }));
                }
                terminal(rng, &mut s);
            }
            2 => {
                s.insert("Type".into(), json!("Task"));
                s.insert("Resource".into(), json!(pick(rng, RESOURCES)));
                if jsonata {
                    if rng.random_bool(0.5) {
                        s.insert("Arguments".into(), json!({"v": pick(rng, EXPRESSIONS)}));
                    }
                } else if rng.random_bool(0.6) {
                    let mut parameters = template(rng);
                    parameters["StateMachineArn"] = json!("arn:aws:states:us-east-1:123456789012:stateMachine:Child");
                    parameters["TableName"] = json!("T");
                    parameters["Item"] = json!({"id": {"S": "1"}});
                    parameters["Key"] = json!({"id": {"S": "1"}});
                    parameters["UpdateExpression"] = json!(pick(rng, &["SET a = :v", "ADD n :n", "REMOVE a", "SET", "SET a = a + :n"]));
                    parameters["ExpressionAttributeValues"] = json!({":v": {"S": "x"}, ":n": {"N": "1"}});
                    parameters["QueueUrl"] = json!("https://q");
                    parameters["MessageBody"] = json!("m");
                    s.insert("Parameters".into(), parameters);
                }
                if rng.random_bool(0.3) {
                    s.insert("TimeoutSeconds".into(), if jsonata { json!("{% $states.input.n %}") } else { json!(rng.random_range(1..20)) });
                }
                if rng.random_bool(0.2) {
                    s.insert("HeartbeatSeconds".into(), json!(rng.random_range(1..10)));
                }
                retry_and_catch(rng, &mut s, &names);
                terminal(rng, &mut s);
            }
            3 => {
                s.insert("Type".into(), json!("Choice"));
                let rules: Vec<Value> = (0..rng.random_range(1..4))
                    .map(|_| {
                        let next = pick(rng, &names).clone();
                        if jsonata {
                            json!({"Condition": pick(rng, &["{% $states.input.n > 3 %}", "{% true %}", "{% $states.input.s %}", "{% $x = 1 %}"]), "Next": next})
                        } else {
                            let (op, operand) = pick(rng, &[
                                ("NumericGreaterThan", json!(3)),
                                ("StringEquals", json!("a")),
                                ("IsPresent", json!(true)),
                                ("BooleanEquals", json!(false)),
                                ("StringMatches", json!("a*")),
                                ("TimestampLessThan", json!("2020-01-01T00:00:00Z")),
                                ("NumericEqualsPath", json!("$.n")),
                                ("IsNumeric", json!(true)),
                            ]).clone();
                            let mut rule = json!({"Variable": pick(rng, PATHS), "Next": next});
                            rule[op] = operand;
                            if rng.random_bool(0.2) { json!({"Not": rule, "Next": pick(rng, &names)}) } else { rule }
                        }
                    })
                    .map(|mut r| {
                        if let Some(obj) = r.get_mut("Not").and_then(Value::as_object_mut) {
                            obj.remove("Next");
                        }
                        r
                    })
                    .collect();
                s.insert("Choices".into(), Value::Array(rules));
                if rng.random_bool(0.7) {
                    s.insert("Default".into(), json!(pick(rng, &names)));
                }
            }
            4 => {
                s.insert("Type".into(), json!("Wait"));
                match rng.random_range(0..4) {
                    0 => s.insert("Seconds".into(), json!(rng.random_range(0..100_000))),
                    1 if !jsonata => s.insert("SecondsPath".into(), json!(pick(rng, PATHS))),
                    2 => s.insert("Timestamp".into(), json!(pick(rng, &["2016-03-14T01:59:00Z", "2100-01-01T00:00:00Z", "not a date"]))),
                    _ if !jsonata => s.insert("TimestampPath".into(), json!(pick(rng, PATHS))),
                    _ => s.insert("Seconds".into(), json!("{% $states.input.n %}")),
                };
                terminal(rng, &mut s);
            }
            5 => {
                s.insert("Type".into(), json!("Fail"));
                if rng.random_bool(0.5) {
                    s.insert("Error".into(), json!("Custom.Error"));
                }
                if !jsonata && rng.random_bool(0.3) {
                    s.insert("CausePath".into(), json!(pick(rng, PATHS)));
                }
            }
            6 => {
                s.insert("Type".into(), json!("Succeed"));
            }
            7 => {
                s.insert("Type".into(), json!("Parallel"));
                let branches: Vec<Value> = (0..rng.random_range(1..3)).map(|_| machine(rng, depth - 1, jsonata)).collect();
                s.insert("Branches".into(), Value::Array(branches));
                retry_and_catch(rng, &mut s, &names);
                terminal(rng, &mut s);
            }
            _ => {
                s.insert("Type".into(), json!("Map"));
                if jsonata {
                    if rng.random_bool(0.5) {
                        s.insert("Items".into(), json!(pick(rng, &["{% $states.input.arr %}", "{% [1,2,3] %}", "{% $states.input %}"])));
                    }
                } else {
                    s.insert("ItemsPath".into(), json!(pick(rng, &["$.arr", "$.items", "$", "$.missing", "$.a"])));
                    if rng.random_bool(0.4) {
                        s.insert("ItemSelector".into(), json!({"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"}));
                    }
                }
                s.insert("MaxConcurrency".into(), json!(rng.random_range(0..3)));
                if rng.random_bool(0.3) {
                    s.insert("ToleratedFailureCount".into(), json!(rng.random_range(0..2)));
                }
                let mut processor = machine(rng, depth - 1, jsonata);
                processor.as_object_mut().unwrap().remove("QueryLanguage");
                s.insert("ItemProcessor".into(), processor);
                retry_and_catch(rng, &mut s, &names);
                terminal(rng, &mut s);
            }
        }
        states.insert(name.clone(), Value::Object(s));
    }
    let start = if rng.random_bool(0.02) { "Nowhere".to_string() } else { names[0].clone() };
    let mut m = json!({"StartAt": start, "States": states});
    if jsonata && depth == 2 {
        m["QueryLanguage"] = json!("JSONata");
    }
    if rng.random_bool(0.1) {
        m["TimeoutSeconds"] = json!(rng.random_range(1..200));
    }
    m
}

fn handlers(rng: &mut StdRng, definition: &Value) -> HandlerRegistry {
    let mut registry = statecraft::handlers::seed_registry();
    let store = SharedStore::default();
    store.borrow_mut().create_table("T", "id", None);
    services::register(&mut registry, &store);
    let child = Program::from_text(r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}"#).expect("child");
    StartExecutionSync::default()
        .with_machine("arn:aws:states:us-east-1:123456789012:stateMachine:Child", Arc::new(child), HandlerRegistry::new)
        .register(&mut registry);
    // Some Task states get a handler of their own.
    let text = definition.to_string();
    for depth in 0..3 {
        for i in 0..6 {
            let name = format!("S{depth}_{i}");
            if !text.contains(&format!("\"{name}\"")) || rng.random_bool(0.4) {
                continue;
            }
            let error = StatesError::new(*pick(rng, &["Custom.Error", "States.TaskFailed", "States.Timeout"]), "boom");
            match rng.random_range(0..5) {
                0 => registry.register(name, Echo),
                1 => registry.register(name, Throw(error)),
                2 => registry.register(name, FailTimesThenSucceed::new(rng.random_range(0..3), error, Echo)),
                3 => registry.register(name, WithLatency { inner: Echo, millis: rng.random_range(0..30_000) }),
                // Mostly small results; now and then one just over the payload limit.
                _ => {
                    let size = if rng.random_bool(0.2) { 262_200 } else { rng.random_range(0..2_000) };
                    registry.register(name, StaticResult(json!({"big": "x".repeat(size)})))
                }
            };
        }
    }
    registry
}

/// Runs one case; panics (the test fails) on a hang or a malformed history. Gives the number of
/// events, or None when the definition did not compile.
fn run_case(seed: u64, input: Value) -> Option<usize> {
    let mut rng = StdRng::seed_from_u64(seed);
    let jsonata = rng.random_bool(0.3);
    let definition = machine(&mut rng, 2, jsonata);
    if std::env::var_os("INTERP_FUZZ_TRACE").is_some() {
        eprintln!("definition {definition}\ninput {input}");
    }
    let Ok(program) = Program::from_text(&definition.to_string()) else { return None };
    let config = ExecutionConfig {
        max_transitions: 3_000,
        seed,
        execution_type: if rng.random_bool(0.3) { ExecutionType::Express } else { ExecutionType::Standard },
        ..ExecutionConfig::default()
    };
    let handlers = handlers(&mut rng, &definition);
    let mut execution = Execution::start(Arc::new(program), input, Box::new(VirtualClock::default()), handlers, config);
    let mut steps = 0u32;
    let mut callbacks = 0;
    loop {
        match execution.step() {
            StepOutcome::Progressed => {
                steps += 1;
                assert!(steps < 400_000, "seed {seed}: no end after {steps} steps: {definition}");
            }
            StepOutcome::Finished => break,
            StepOutcome::AwaitingCallback => {
                callbacks += 1;
                if callbacks > 50 {
                    break;
                }
                let tokens = execution.pending_task_tokens();
                match (tokens.first(), rng.random_range(0..4)) {
                    (Some(t), 0) => assert!(execution.send_task_success(t, json!({"ok": 1}))),
                    (Some(t), 1) => assert!(execution.send_task_failure(t, StatesError::new("Custom.Error", "cb"))),
                    (Some(t), 2) => {
                        assert!(execution.send_task_heartbeat(t));
                        execution.advance_time(rng.random_range(0..20_000));
                    }
                    _ => {
                        execution.advance_time(rng.random_range(0..50_000));
                    }
                }
            }
        }
    }
    let history = execution.history();
    for (i, event) in history.iter().enumerate() {
        assert_eq!(event.id, i as u64 + 1, "seed {seed}: ids are consecutive");
        assert!(event.previous_event_id < event.id, "seed {seed}: previous event before");
        let _ = event.to_json();
    }
    if execution.status().name() != "RUNNING" {
        let last = history.last().map(|e| e.kind.type_name()).unwrap_or("");
        assert!(last.starts_with("Execution") && last != "ExecutionStarted", "seed {seed}: ends with {last}");
    }
    Some(history.len())
}

/// `INTERP_FUZZ_SEED=N` (with `INTERP_FUZZ_INPUT=JSON`, default null) replays one case of a
/// long run, as printed by `INTERP_FUZZ_TRACE`, and prints how long it took.
#[test]
fn replay_one_case() {
    let Some(seed) = std::env::var("INTERP_FUZZ_SEED").ok().and_then(|s| s.parse().ok()) else { return };
    let input = std::env::var("INTERP_FUZZ_INPUT").ok().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or(Value::Null);
    let started = Instant::now();
    let events = run_case(seed, input);
    println!("seed {seed}: {events:?} events in {:.1?}", started.elapsed());
}

#[test]
fn random_executions_never_panic_or_hang() {
    let seconds: u64 = std::env::var("INTERP_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let strategy = (any::<u64>(), json());
    let mut runner = TestRunner::deterministic();
    let started = Instant::now();
    let (mut cases, mut ran, mut events) = (0u64, 0u64, 0usize);
    let mut slowest = (Duration::ZERO, 0u64);
    loop {
        let (seed, input) = strategy.new_tree(&mut runner).expect("a case").current();
        if std::env::var_os("INTERP_FUZZ_TRACE").is_some() {
            eprintln!("case {cases}: seed {seed}");
        }
        let t = Instant::now();
        let outcome = run_case(seed, input);
        if t.elapsed() > slowest.0 {
            slowest = (t.elapsed(), seed);
        }
        if let Some(n) = outcome {
            ran += 1;
            events += n;
        }
        cases += 1;
        let done = if seconds == 0 { cases >= 150 } else { started.elapsed() >= Duration::from_secs(seconds) };
        if done {
            break;
        }
    }
    println!("interp fuzz: {cases} definitions, {ran} compiled and ran ({events} events) in {:.0?}, none panicked or hung; slowest {:.1?} (seed {})", started.elapsed(), slowest.0, slowest.1);
    assert!(ran * 2 > cases, "most generated definitions should compile ({ran} of {cases})");
}
