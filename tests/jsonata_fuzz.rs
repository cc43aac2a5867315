//! Fuzzing the JSONata evaluator through the adapter: arbitrary expressions (made of JSONata's
//! tokens, and arbitrary text) over arbitrary JSON, with `$states` and variables bound. Nothing
//! may panic, and nothing may hang: the adapter's step limit ends a runaway expression.
//!
//! Small by default so `cargo test` stays fast. For a long run set `JSONATA_FUZZ_SECONDS`
//! (for example `JSONATA_FUZZ_SECONDS=600 cargo test --release --test jsonata_fuzz -- --nocapture`):
//! it keeps generating cases until the time is up and prints how many ran.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Map, Value, json};
use statecraft::asl::jsonata::{Dialect, Environment, Expression};

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e9f64..1.0e9).prop_map(Value::from),
        "[a-c0-9 .$]{0,6}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(("[a-c]", inner), 0..5).prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Tokens expressions are made of, the Step Functions functions included.
const TOKENS: &[&str] = &[
    "a", "b", "c", "$", "$$", "$x", "$states", ".input", ".context", "$states.input", ".", "[", "]", "{", "}", "(", ")", ",",
    ":", ";", "?", "??", "?:", "+", "-", "*", "/", "%", "=", "!=", "<", "<=", ">", ">=", "&", "and", "or", "in", "~>", "..",
    ":=", "^(", "**", "@", "#", "|", "0", "1", "2.5", "-1", "1e308", "\"s\"", "'t'", "true", "false", "null", "function($v){$v}",
    "$sum(", "$count(", "$map(", "$filter(", "$reduce(", "$string(", "$number(", "$substring(", "$split(", "$join(",
    "$match(", "$replace(", "$sort(", "$keys(", "$lookup(", "$merge(", "$each(", "$partition(", "$range(", "$hash(",
    "$random(", "$uuid(", "$parse(", "$eval(", "$now(", "$millis(", "$formatNumber(", "$pad(", "$append(", "$distinct(",
    "/a+/", "/(a|b)*c/i", "'SHA-256'", "'MD5'",
];

fn expression() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(prop::sample::select(TOKENS), 1..14).prop_map(|t| t.join(" ")),
        1 => any::<String>(),
        1 => "[a-c$.()\\[\\]{}:;,?+*/%=<>&|~^#@0-9'\" -]{0,30}",
    ]
}

fn evaluate(source: &str, input: &Value, variable: &Value) {
    let Ok(expression) = Expression::compile(source, Dialect::StepFunctions) else { return };
    let states = json!({"input": input, "context": {"Execution": {"Name": "e"}}});
    let variables: Map<String, Value> = [("x".to_string(), variable.clone())].into_iter().collect();
    let mut rng = StdRng::seed_from_u64(1);
    let mut env = Environment { states: Some(&states), variables: &variables, now_millis: 0, rng: &mut rng, limits: Default::default() };
    let _ = expression.evaluate(Some(input), &mut env);
}

#[test]
fn evaluator_never_panics_or_hangs() {
    let strategy = (expression(), json(), json());
    let seconds: u64 = std::env::var("JSONATA_FUZZ_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut runner = TestRunner::deterministic();
    let started = Instant::now();
    let mut cases = 0u64;
    let mut slowest = Duration::ZERO;
    let mut slowest_source = String::new();
    loop {
        let (source, input, variable) = strategy.new_tree(&mut runner).expect("a case").current();
        let t = Instant::now();
        evaluate(&source, &input, &variable);
        let took = t.elapsed();
        if took > slowest {
            slowest = took;
            slowest_source = source.clone();
        }
        cases += 1;
        let done = if seconds == 0 { cases >= 300 } else { started.elapsed() >= Duration::from_secs(seconds) };
        if done {
            break;
        }
    }
    println!("jsonata fuzz: {cases} cases in {:.0?}, none panicked; slowest {slowest:.1?}: {slowest_source}", started.elapsed());
}
