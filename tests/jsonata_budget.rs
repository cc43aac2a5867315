//! The bounds of one JSONata evaluation (`asl::jsonata::budget`): a runaway expression ends with
//! its limit named, never an abort. This test binary installs the metering allocator, as the CLI
//! and the web app do.

use serde_json::{Value, json};
use statecraft::asl::jsonata::{Dialect, Environment, Expression, JsonataError, Limits, Metered};
use statecraft::asl::path::NoVariables;

#[global_allocator]
static GLOBAL: Metered<std::alloc::System> = Metered(std::alloc::System);

fn evaluate(source: &str, limits: Limits) -> Result<Option<Value>, JsonataError> {
    let expression = Expression::compile(source, Dialect::StepFunctions).expect("compiles");
    let states = json!({"input": {}});
    let mut rng = <rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(1);
    let mut env = Environment { states: Some(&states), variables: &NoVariables, now_millis: 0, rng: &mut rng, limits };
    expression.evaluate(Some(&json!({})), &mut env)
}

/// Within AWS's size bounds (arrays of at most 873,782 items, strings under 2^23 bytes) but
/// holding ever more: eight-million-character strings, one per item of a long sequence.
const RUNAWAY: &str = "$count([1..800000].($pad('', 8000000)))";

#[test]
fn a_runaway_expression_stops_at_its_memory_budget() {
    let limits = Limits { max_memory: 64 << 20, ..Limits::DEFAULT };
    let err = evaluate(RUNAWAY, limits).unwrap_err();
    assert_eq!(err.code(), "U1003", "{err}");
    assert!(err.message().contains("more than 64 MiB of memory"), "{err}");
}

#[test]
fn the_default_budget_stops_a_runaway_expression() {
    let err = evaluate(RUNAWAY, Limits::DEFAULT).unwrap_err();
    assert!(err.message().contains("more than 256 MiB of memory"), "{err}");
}

/// The issue's expression builds a sequence of ten million numbers first: past AWS's own memory
/// limit (`asl::jsonata::aws`), which stops it before the budget, in AWS's words.
#[test]
fn aws_s_memory_limit_stops_the_issue_s_expression_first() {
    let err = evaluate("$count([1..10000000].([1..10000000]))", Limits::DEFAULT).unwrap_err();
    assert_eq!(err.message(), "Expression evaluation memory limit exceeded: Check for excessive memory usage", "{err}");
    assert_eq!(err.aws_cause_tail(), ": Expression evaluation memory limit exceeded: Check for excessive memory usage");
}

#[test]
fn a_loop_stops_at_its_step_budget() {
    let limits = Limits { max_steps: 100_000, ..Limits::DEFAULT };
    let err = evaluate("($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(1000000))", limits).unwrap_err();
    assert_eq!(err.code(), "U1006", "{err}");
    assert!(err.message().contains("more than 100000 steps"), "{err}");
}

#[test]
fn an_expression_within_its_budgets_is_unchanged() {
    let limits = Limits { max_memory: 64 << 20, max_steps: 1_000_000 };
    assert_eq!(evaluate("$sum([1..1000])", limits).unwrap(), Some(json!(500500)));
    // Memory released during the evaluation does not count against it.
    assert_eq!(evaluate("$count([1..100].($string([1..10000])))", limits).unwrap(), Some(json!(100)));
    // A budget passed once does not leak into the next evaluation on the thread.
    assert!(evaluate("[1..5000000]", Limits { max_memory: 1 << 20, ..limits }).is_err());
    assert_eq!(evaluate("1 + 1", limits).unwrap(), Some(json!(2)));
}

/// `statecraft run` on a definition with the runaway expression: the execution fails with
/// `States.QueryEvaluationError` naming the limit, exit 1, not an abort.
#[test]
fn the_cli_fails_the_execution_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("statecraft-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let definition = dir.join("runaway.asl.json");
    std::fs::write(
        &definition,
        r#"{"QueryLanguage": "JSONata", "StartAt": "Count", "States": {"Count": {"Type": "Pass", "Output": "{% $count([1..800000].($pad('', 8000000))) %}", "End": true}}}"#,
    )
    .unwrap();
    let run = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_statecraft"))
            .arg("run")
            .arg(&definition)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = run(&["--max-memory", "32MiB"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["error"], "States.QueryEvaluationError", "{result}");
    assert!(result["cause"].as_str().unwrap().contains("more than 32 MiB of memory"), "{result}");

    std::fs::write(
        &definition,
        r#"{"QueryLanguage": "JSONata", "StartAt": "Loop", "States": {"Loop": {"Type": "Pass", "Output": "{% ($f := function($n) { $n > 0 ? $f($n - 1) : 0 }; $f(100000)) %}", "End": true}}}"#,
    )
    .unwrap();
    let out = run(&["--max-steps", "1000"]);
    assert_eq!(out.status.code(), Some(1));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(result["cause"].as_str().unwrap().contains("more than 1000 steps"), "{result}");
    let out = run(&["--max-memory", "lots"]);
    assert_eq!(out.status.code(), Some(2), "a bad size is a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a size"));
    let _ = std::fs::remove_dir_all(&dir);
}
