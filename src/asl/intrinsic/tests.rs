//! One-line tests of the intrinsic lexer, parser, table and every function.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use super::*;

/// `expr` evaluated with input `input` gives `output`.
#[track_caller]
fn gives(input: Value, expr: &str, output: Value) {
    let call = parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let mut rng = StdRng::seed_from_u64(42);
    let context = json!({"Execution": {"Input": input.clone(), "Id": "exec-1"}});
    let roots = Roots::input(&input).with_context(&context);
    assert_eq!(call.eval(&roots, &mut rng), Ok(output), "{expr}");
}

/// `expr` fails at run time with States.IntrinsicFailure.
#[track_caller]
fn fails(input: Value, expr: &str) {
    let call = parse(expr).unwrap_or_else(|e| panic!("{expr}: {e}"));
    let mut rng = StdRng::seed_from_u64(42);
    let error = call.eval(&Roots::input(&input), &mut rng).expect_err(expr);
    assert_eq!(
        error.error_name(),
        "States.IntrinsicFailure",
        "{expr}: {error}"
    );
}

/// `expr` does not parse; the error is at byte `offset`.
#[track_caller]
fn rejects(expr: &str, offset: usize) {
    let error = parse(expr).expect_err(expr);
    assert_eq!(error.offset, offset, "{expr}: {}", error.message);
}

#[test]
fn table_has_all_eighteen_with_unique_names() {
    assert_eq!(table::TABLE.len(), 18);
    for row in &table::TABLE {
        assert_eq!(
            table::lookup(row.name).map(|b| b.function),
            Some(row.function)
        );
        assert_eq!(table::builtin(row.function).name, row.name);
    }
}

#[test]
fn parsing() {
    let call = parse("States.Format('{} x {}', $.a, $$.b)").unwrap();
    assert_eq!(call.function, Function::Format);
    assert_eq!(call.args.len(), 3);
    assert!(matches!(&call.args[2], Arg::Path(p) if p.as_str() == "$$.b"));
    let nested = parse("States.MathAdd(States.MathAdd($y, $x), -1.5)").unwrap();
    assert!(matches!(&nested.args[0], Arg::Call(c) if c.function == Function::MathAdd));
    assert_eq!(nested.args[1], Arg::Literal(json!(-1.5)));
    let path_with_commas = parse("States.Array($.a[?(@.x == 'a,b')], $.b[0,1])").unwrap();
    assert_eq!(path_with_commas.args.len(), 2);
    assert!(parse("  States.UUID( )  ").is_ok());
    assert!(is_intrinsic("States.UUID()"));
    assert!(!is_intrinsic("$.a"));
}

#[test]
fn parse_errors_carry_offsets() {
    rejects("States.Nope()", 0);
    rejects("States.ArrayRange(1, 2)", 0);
    rejects("States.UUID(1)", 0);
    rejects("States.Array(", 13);
    rejects("States.Array(1", 14);
    rejects("States.Array(1 2)", 15);
    rejects("States.Format('abc)", 14);
    rejects("States.Array($.a[)", 17);
    rejects("States.Array(1) x", 16);
    rejects("States.Array(#)", 13);
    rejects("'x'", 0);
    rejects(
        &format!("{}1{}", "States.Array(".repeat(11), ")".repeat(11)),
        130,
    );
    assert!(
        parse(&format!(
            "{}1{}",
            "States.Array(".repeat(10),
            ")".repeat(10)
        ))
        .is_ok()
    );
}

#[test]
fn format() {
    gives(
        json!({"n": "Ann"}),
        "States.Format('Hello, {}!', $.n)",
        json!("Hello, Ann!"),
    );
    gives(
        json!({}),
        "States.Format('{} {} {}', 1, 2.5, null)",
        json!("1 2.5 null"),
    );
    gives(
        json!({"a": [1, "x"], "o": {"k": [true]}}),
        "States.Format('{} {}', $.a, $.o)",
        json!("[1, x] {k=[true]}"),
    );
    gives(
        json!({}),
        r"States.Format('\{\} {} it\'s \\', 'v')",
        json!(r"{} v it's \"),
    );
    gives(
        json!({"t": "a {} b"}),
        "States.Format($.t, 7)",
        json!("a 7 b"),
    );
    // Only \', \{, \} and \\ are escapes; anything else after a backslash is refused where it is.
    for (expr, offset) in [(r#"States.Format('a\"b')"#, 16), (r"States.Format('\n')", 15), (r"States.Format('x\y', 1)", 16), (r"States.Format('\", 15)] {
        rejects(expr, offset);
    }
    fails(json!({}), "States.Format('{} {}', 1)");
    fails(json!({}), "States.Format('{}', 1, 2)");
    fails(json!({}), "States.Format(1)");
}

#[test]
fn json_functions() {
    gives(
        json!({"s": "{\"a\":[1,2.0]}"}),
        "States.StringToJson($.s)",
        json!({"a": [1, 2.0]}),
    );
    gives(json!({"s": "-0"}), "States.StringToJson($.s)", json!(0));
    gives(
        json!({"s": "[-0, -0.0, \"-0\", -0e1]"}),
        "States.StringToJson($.s)",
        json!([0, -0.0, "-0", -0.0]),
    );
    fails(json!({"s": "{"}), "States.StringToJson($.s)");
    for blank in ["", " ", "\n\t \r"] {
        gives(json!({"s": blank}), "States.StringToJson($.s)", Value::Null);
    }
    gives(json!({}), "States.StringToJson('')", Value::Null);
    fails(json!({"s": " x "}), "States.StringToJson($.s)");
    fails(json!({"s": 1}), "States.StringToJson($.s)");
    gives(
        json!({"v": {"b": 1, "a": [1.0]}}),
        "States.JsonToString($.v)",
        json!("{\"b\":1,\"a\":[1.0]}"),
    );
    gives(
        json!({"a": {"x": 1, "y": 1}, "b": {"y": 2}}),
        "States.JsonMerge($.a, $.b, false)",
        json!({"x": 1, "y": 2}),
    );
    fails(
        json!({"a": {}, "b": {}}),
        "States.JsonMerge($.a, $.b, true)",
    );
    fails(
        json!({"a": {}, "b": []}),
        "States.JsonMerge($.a, $.b, false)",
    );
}

#[test]
fn arrays() {
    gives(
        json!({"a": 1}),
        "States.Array($.a, 'b', true, null)",
        json!([1, "b", true, null]),
    );
    gives(json!({}), "States.Array()", json!([]));
    gives(
        json!({"a": [1, 2, 3, 4, 5]}),
        "States.ArrayPartition($.a, 2)",
        json!([[1, 2], [3, 4], [5]]),
    );
    fails(json!({"a": [1]}), "States.ArrayPartition($.a, 0)");
    gives(
        json!({"a": [1, 2]}),
        "States.ArrayContains($.a, 2)",
        json!(true),
    );
    gives(
        json!({"a": [{"k": 1}]}),
        "States.ArrayContains($.a, $.a[0])",
        json!(true),
    );
    gives(
        json!({}),
        "States.ArrayRange(1, 9, 2)",
        json!([1, 3, 5, 7, 9]),
    );
    gives(json!({}), "States.ArrayRange(5, 1, -2)", json!([5, 3, 1]));
    gives(json!({}), "States.ArrayRange(5, 1, 2)", json!([]));
    fails(json!({}), "States.ArrayRange(1, 9, 0)");
    fails(json!({}), "States.ArrayRange(0, 1000, 1)");
    gives(
        json!({}),
        "States.ArrayLength(States.ArrayRange(0, 999, 1))",
        json!(1000),
    );
    gives(
        json!({"a": ["x", "y"]}),
        "States.ArrayGetItem($.a, 1)",
        json!("y"),
    );
    fails(json!({"a": ["x"]}), "States.ArrayGetItem($.a, 1)");
    fails(json!({"a": ["x"]}), "States.ArrayGetItem($.a, -1)");
    gives(
        json!({"a": [1, 1, "1", {"a": 1, "b": 2}, {"b": 2, "a": 1}, 1.0]}),
        "States.ArrayUnique($.a)",
        json!([1, "1", {"a": 1, "b": 2}, 1.0]),
    );
    fails(json!({"a": "x"}), "States.ArrayLength($.a)");
}

#[test]
fn encoding_and_hashing() {
    gives(
        json!({"s": "Data to encode"}),
        "States.Base64Encode($.s)",
        json!("RGF0YSB0byBlbmNvZGU="),
    );
    gives(
        json!({"s": "RGF0YSB0byBlbmNvZGU="}),
        "States.Base64Decode($.s)",
        json!("Data to encode"),
    );
    fails(json!({"s": "%%%"}), "States.Base64Decode($.s)");
    fails(json!({"s": "x".repeat(10_001)}), "States.Base64Encode($.s)");
    gives(
        json!({}),
        "States.Hash('input data', 'MD5')",
        json!("812f45842bc6d66ee14572ce20db8e86"),
    );
    gives(
        json!({}),
        "States.Hash('input data', 'SHA-1')",
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7"),
    );
    gives(
        json!({}),
        "States.Hash('input data', 'SHA-384')",
        json!(
            "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"
        ),
    );
    fails(json!({}), "States.Hash('x', 'SHA-999')");
}

#[test]
fn math() {
    gives(json!({}), "States.MathAdd(1, -3)", json!(-2));
    gives(json!({}), "States.MathAdd(1.49, 1.5)", json!(3));
    gives(json!({}), "States.MathAdd(-2.5, 0)", json!(-2));
    fails(json!({}), "States.MathAdd(2147483648, 0)");
    fails(json!({}), "States.MathAdd('1', 0)");
    fails(json!({}), "States.MathRandom(5, 5)");
    let seeded = |expr: &str| {
        let call = parse(expr).unwrap();
        let mut rng = StdRng::seed_from_u64(0);
        call.eval(&Roots::input(&Value::Null), &mut rng).unwrap()
    };
    let n = seeded("States.MathRandom(1, 999)").as_i64().unwrap();
    assert!((1..999).contains(&n));
    assert_eq!(
        seeded("States.MathRandom(1, 999, 7)"),
        seeded("States.MathRandom(1, 999, 7)")
    );
}

#[test]
fn strings_and_uuids() {
    gives(
        json!({}),
        "States.StringSplit('a,b;;c', ',;')",
        json!(["a", "b", "c"]),
    );
    gives(json!({}), "States.StringSplit(',,', ',')", json!([]));
    let call = parse("States.UUID()").unwrap();
    let draw = |seed| {
        call.eval(
            &Roots::input(&Value::Null),
            &mut StdRng::seed_from_u64(seed),
        )
        .unwrap()
    };
    let uuid = draw(3);
    let text = uuid.as_str().unwrap();
    assert_eq!(text.len(), 36);
    assert_eq!(&text[14..15], "4");
    assert!(matches!(&text[19..20], "8" | "9" | "a" | "b"));
    assert_eq!(draw(3), uuid);
    assert_ne!(draw(4), uuid);
}

#[test]
fn missing_path_argument_is_a_runtime_error_with_aws_wording() {
    let call = parse("States.Format('{}', $.receipt_bucket)").unwrap();
    let input = json!({"a": 1});
    let error = call
        .eval(&Roots::input(&input), &mut StdRng::seed_from_u64(0))
        .unwrap_err();
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(
        error.cause(&input),
        "The JsonPath argument for the field '$.receipt_bucket' could not be found in the input '{\"a\":1}'"
    );
}
