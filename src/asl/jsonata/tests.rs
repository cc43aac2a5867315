//! One-line checks of the adapter: `gives(expression, input, output)`.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Map, Value, json};

use super::{Dialect, Environment, Expression, JsonataError, JsonataTemplate, TemplateError};

fn run(expression: &str, input: Value) -> Result<Option<Value>, JsonataError> {
    let compiled = Expression::compile(expression, Dialect::StepFunctions)?;
    let variables: Map<String, Value> = [("x".to_string(), json!(42))].into_iter().collect();
    let states = json!({"input": input.clone(), "context": {"Execution": {"Name": "e"}}});
    let mut rng = StdRng::seed_from_u64(7);
    let mut env = Environment { states: Some(&states), variables: &variables, now_millis: 1_700_000_000_000, rng: &mut rng, limits: Default::default() };
    compiled.evaluate(Some(&input), &mut env)
}

fn gives(expression: &str, input: Value, output: Value) {
    assert_eq!(run(expression, input).unwrap(), Some(output), "{expression}");
}

fn fails(expression: &str, code: &str) {
    let error = run(expression, json!({})).unwrap_err();
    assert_eq!(error.code(), code, "{expression}: {error}");
}

#[test]
fn states_and_variables() {
    gives("$states.input.a + $x", json!({"a": 1}), json!(43));
    gives("$states.context.Execution.Name", json!({}), json!("e"));
}

#[test]
fn step_functions_functions() {
    gives("$partition([1,2,3], 2)", json!({}), json!([[1, 2], [3]]));
    gives("$range(0, 10, 3)", json!({}), json!([0, 3, 6, 9]));
    gives("$hash('Hello', 'SHA-256')", json!({}), json!("185f8db32271fe25f561a6fc938b2e264306ec304eda518007d1764826381969"));
    gives("$hash('Hello', 'MD5')", json!({}), json!("8b1a9953c4611296a827abf8c47804d7"));
    gives("$parse('{\"a\": [1]}')", json!({}), json!({"a": [1]}));
    gives("$random(3) = $random(3)", json!({}), json!(true));
    gives("$length($uuid())", json!({}), json!(36));
    gives("$millis()", json!({}), json!(1_700_000_000_000i64));
    gives("$now()", json!({}), json!("2023-11-14T22:13:20.000Z"));
}

#[test]
fn uuid_is_deterministic_for_a_seed() {
    assert_eq!(run("$uuid()", json!({})).unwrap(), run("$uuid()", json!({})).unwrap());
}

#[test]
fn what_step_functions_refuses() {
    fails("$eval('1+1')", "T1006");
    fails("$randomSeeded(1)", "T1006");
    fails("1 ?? 2", "S0211");
    fails("1 ?: 2", "S0211");
    assert!(Expression::compile("1 ?? 2", Dialect::Jsonata).is_ok());
}

#[test]
fn syntax_errors_have_an_offset() {
    let JsonataError::Syntax { offset, .. } = Expression::compile("$states.input.", Dialect::StepFunctions).unwrap_err() else {
        panic!("a syntax error")
    };
    assert!(offset.is_some());
}

#[test]
fn variables_exclude_functions_and_local_names() {
    let e = Expression::compile("($y := 1; $sum([$y, $x, $v]) ~> function($z){$z})", Dialect::StepFunctions).unwrap();
    assert_eq!(e.variables(), ["x", "v"]);
    assert!(!e.reads_context());
    assert!(Expression::compile("$states.context.Execution", Dialect::StepFunctions).unwrap().reads_context());
}

#[test]
fn templates_name_the_field() {
    let t = JsonataTemplate::compile(&json!({"a": ["{% $states.input.missing %}"]}), "Output", Dialect::StepFunctions).unwrap();
    let states = json!({"input": {}});
    let mut rng = StdRng::seed_from_u64(0);
    let vars = Map::new();
    let mut env = Environment { states: Some(&states), variables: &vars, now_millis: 0, rng: &mut rng, limits: Default::default() };
    let err = t.evaluate(Some(&json!({})), &mut env, "Output").unwrap_err();
    assert!(matches!(&err, TemplateError::Undefined { field, .. } if field == "Output/a[0]"), "{err:?}");
    let literal = JsonataTemplate::compile(&json!(" {% 1 %} "), "Output", Dialect::StepFunctions).unwrap();
    assert!(matches!(literal, JsonataTemplate::Literal(_)));
}

/// The names written out for the page's diagnostics are the engine's own, in its order.
#[test]
fn the_engine_s_function_names_are_written_out_as_they_are() {
    let catalogue: Vec<&str> = jlens_core::function_catalog().iter().map(|f| f.name).collect();
    assert_eq!(super::functions::ENGINE_FUNCTIONS.to_vec(), catalogue);
}

/// What AWS answered with TestState (us-east-1, August 2026), as the floci emulator's
/// maintainers measured and pinned it (floci-io/floci#2736, #2737, `JsonataEvaluatorTest`).
#[test]
fn what_aws_answers_at_its_bounds() {
    // `$random(seed)` is Java's `new Random(seed).nextDouble()`, the seed rounded towards zero.
    gives("$random(42)", json!({}), json!(0.7275636800328681));
    gives("$random(0)", json!({}), json!(0.730967787376657));
    gives("$random(7)", json!({}), json!(0.7306990420600421));
    gives("$random(0.9) = $random(0)", json!({}), json!(true));
    // `$range` builds 360,145 items and fails one more on AWS's memory limit, without a code.
    gives("$count($range(1, 360145, 1))", json!({}), json!(360145));
    let past = run("$range(1, 360146, 1)", json!({})).unwrap_err();
    assert_eq!(past.aws_cause_tail(), ": Expression evaluation memory limit exceeded: Check for excessive memory usage");
    // Its arguments are rounded towards zero.
    gives("$range(-1.7, 2, 1)", json!({}), json!([-1, 0, 1, 2]));
    gives("$range(5, 1, -1.5)", json!({}), json!([5, 4, 3, 2, 1]));
    // Nested 100 deep evaluates; 101 deep fails, without a code.
    gives(&format!("1{}", "+1".repeat(99)), json!({}), json!(100));
    let deep = run(&format!("1{}", "+1".repeat(100)), json!({})).unwrap_err();
    assert_eq!(
        deep.aws_cause_tail(),
        ": Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive"
    );
    // `$replace`'s empty pattern has no code either; JSONata's own errors keep theirs.
    let replace = run("$replace('a','','b')", json!({})).unwrap_err();
    assert_eq!(replace.aws_cause_tail(), ": Second argument of replace function cannot be an empty string");
    let split = run("$split('a','b',-1)", json!({})).unwrap_err();
    assert_eq!(split.aws_cause_tail(), ". D3020: Third argument of split function must evaluate to a positive number");
    // `$parse` of a value that is not a string is a signature error; a whole number in a message
    // is written without a fraction.
    assert_eq!(run("$parse(null)", json!({})).unwrap_err().aws_text(), "T0410: Argument 1 of function \"parse\" does not match function signature");
    assert_eq!(run("$sqrt(-1)", json!({})).unwrap_err().aws_text(), "D3060: The sqrt function cannot be applied to a negative number: -1");
}

/// A whole expression's number that is not finite, as AWS writes it (floci-io/floci#2737,
/// measured with TestState): the engine fails the arithmetic with D1001 or writes NaN as null.
#[test]
fn numbers_that_are_not_finite() {
    gives("1/0", json!({}), json!("Infinity"));
    gives("(1/0)", json!({}), json!("Infinity"));
    gives("-1/0", json!({}), json!("-Infinity"));
    gives("1e308 * 10", json!({}), json!("Infinity"));
    gives("-1e308 - 1e308", json!({}), json!("-Infinity"));
    gives("$states.input.n / 0", json!({"n": 2}), json!("Infinity"));
    gives("[1/0]", json!({}), json!(["Infinity"]));
    gives("{'k': 1/0}", json!({}), json!({"k": "Infinity"}));
    gives("[1/0, 2, $states.input.list, [3, -1/0]]", json!({"list": [4, 5]}), json!(["Infinity", 2, 4, 5, [3, "-Infinity"]]));
    gives("{'a': [1e308 * 10], 'b': $states.input.missing, 'c': 1}", json!({}), json!({"a": ["Infinity"], "c": 1}));
    gives("0/0", json!({}), json!("NaN"));
    gives("$parseInteger('abc', '0')", json!({}), json!("NaN"));
    // A null stays null; an infinity that is used again is JSONata's D1001.
    gives("null", json!({}), json!(null));
    gives("$states.input.n", json!({"n": null}), json!(null));
    fails("1/0 + 1", "D1001");
    fails("1/(10e300 * 10e100)", "D1001");
    fails("$string(1/0)", "D1001");
    fails("[1/0 + 1]", "D1001");
    fails("{$string(1): 1/0}", "D1001");
    // The JSONata dialect is the engine as it is.
    let plain = Expression::compile("1/0", Dialect::Jsonata).unwrap();
    let mut rng = StdRng::seed_from_u64(7);
    let mut env = Environment { states: None, variables: &Map::new(), now_millis: 0, rng: &mut rng, limits: Default::default() };
    assert_eq!(plain.evaluate(None, &mut env).unwrap_err().code(), "D1001");
}

/// `$parse` refuses, with D3137, what AWS refuses (floci-io/floci#2783, its
/// `parse_rejectsJsonAwsRejects`): an empty or blank string, a second document, a key written
/// twice, a number beyond a float.
#[test]
fn parse_is_strict() {
    for text in ["''", "'  '", "'{\"a\":1}{\"b\":2}'", "'[1,2] [3,4]'", "'{\"a\":1,\"a\":2}'", "'[{\"a\":{\"b\":1,\"b\":1}}]'", "'1e400'", "'{a:1}'"] {
        fails(&format!("$parse({text})"), "D3137");
    }
    gives("$parse('{\"b\":1,\"a\":[1,{\"a\":null}]}')", json!({}), json!({"b": 1, "a": [1, {"a": null}]}));
    gives("$parse(' 1.0 ')", json!({}), json!(1));
}
