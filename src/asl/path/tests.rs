//! One-line tests of parsing, evaluation, writing, templates and cause texts.

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

use super::*;

/// `path` evaluated on `input` gives `output`.
#[track_caller]
fn gives(input: Value, path: &str, output: Value) {
    let parsed = JsonPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(parsed.eval(&Roots::input(&input)), Ok(output), "{path}");
}

/// `path` evaluated on `input` fails with Jayway's `message`.
#[track_caller]
fn fails(input: Value, path: &str, message: &str) {
    let parsed = JsonPath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let error = parsed.eval(&Roots::input(&input)).expect_err(path);
    assert_eq!(error.to_string(), message, "{path}");
}

/// `path` does not parse; the error is at byte `offset`.
#[track_caller]
fn rejects(path: &str, offset: usize) {
    let error = JsonPath::parse(path).expect_err(path);
    assert_eq!(error.offset, offset, "{path}: {}", error.message);
}

/// Writing `value` at `path` into `doc` gives `output`.
#[track_caller]
fn writes(doc: Value, path: &str, value: Value, output: Value) {
    let parsed = ReferencePath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(parsed.write(doc, value), Ok(output), "{path}");
}

/// The template evaluated on `input` (with `$$` = `context`) gives `output`.
#[track_caller]
fn builds(template: Value, input: Value, context: Value, output: Value) {
    let compiled = Template::compile(&template).unwrap_or_else(|e| panic!("{e}"));
    let mut rng = StdRng::seed_from_u64(7);
    let roots = Roots::input(&input).with_context(&context);
    assert_eq!(compiled.eval(&roots, &mut rng), Ok(output));
}

fn store() -> Value {
    json!({"store": {
        "book": [
            {"title": "A", "price": 8.95, "isbn": "1"},
            {"title": "B", "price": 12.99},
            {"title": "C", "price": 8, "isbn": "3"},
            {"title": "D", "price": 22.99}
        ],
        "bicycle": {"color": "red", "price": 19.95}
    }})
}

#[test]
fn root_and_names() {
    gives(json!({"a": 1}), "$", json!({"a": 1}));
    gives(json!({"a": {"b": 2}}), "$.a.b", json!(2));
    gives(json!({"a b": 3}), "$['a b']", json!(3));
    gives(json!({"a": {"b": 4}}), "$['a'][\"b\"]", json!(4));
    gives(
        json!({"delivery-partner": "UQS"}),
        "$.delivery-partner",
        json!("UQS"),
    );
    gives(json!({"arn:aws": 1}), "$.arn:aws", json!(1));
}

#[test]
fn quoted_names_keep_backslashes() {
    gives(
        json!({"Test\\\"\"Name\"": "v"}),
        r#"$['Test\""Name"']"#,
        json!("v"),
    );
    gives(json!({"it's": 1}), r"$['it\'s']", json!(1));
}

#[test]
fn indices() {
    gives(json!({"a": [1, 2, 3]}), "$.a[0]", json!(1));
    gives(json!({"a": [1, 2, 3]}), "$.a[-1]", json!(3));
    gives(json!([[1, 2], [3]]), "$[0][1]", json!(2));
    gives(json!({"a": [1, 2, 3]}), "$.a[0,2]", json!([1, 3]));
}

#[test]
fn slices() {
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[1:3]", json!([1, 2]));
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[:2]", json!([0, 1]));
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[-2:]", json!([3, 4]));
    // Jayway's ArraySliceToken: a step is read and ignored; [from:to] walks from..to as written.
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[0:4:2]", json!([0, 1, 2, 3]));
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[1:-1]", json!([]));
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[-3:-1]", json!([2, 3]));
    gives(json!({"a": [0, 1, 2, 3, 4]}), "$.a[:-1]", json!([0, 1, 2, 3]));
    gives(
        json!({"a": [0, 1, 2, 3, 4]}),
        "$.a[1:10]",
        json!([1, 2, 3, 4]),
    );

}

#[test]
fn wildcards_and_descendants() {
    gives(json!({"a": [1, 2]}), "$.a[*]", json!([1, 2]));
    gives(json!({"a": {"x": 1, "y": 2}}), "$.a.*", json!([1, 2]));
    gives(store(), "$..price", json!([8.95, 12.99, 8, 22.99, 19.95]));
    gives(
        store(),
        "$.store.book[*].title",
        json!(["A", "B", "C", "D"]),
    );
    gives(store(), "$..book[2].title", json!(["C"]));
    gives(json!({"a": {"b": {"c": 1}}}), "$..c", json!([1]));
}

#[test]
fn indefinite_paths_on_missing_input_are_empty() {
    gives(json!({}), "$.items[*]", json!([]));
    gives(json!({}), "$.items[1:]", json!([]));
    gives(json!({}), "$.item.items[1:5]", json!([]));
    gives(json!({}), "$.item.items[1:5].itemValue", json!([]));
}

#[test]
fn filters() {
    gives(
        store(),
        "$.store.book[?(@.price < 10)].title",
        json!(["A", "C"]),
    );
    gives(store(), "$.store.book[?(@.isbn)].title", json!(["A", "C"]));
    gives(store(), "$.store.book[?(!@.isbn)].title", json!(["B", "D"]));
    gives(
        store(),
        "$.store.book[?(@.price > 10 && @.price < 20)].title",
        json!(["B"]),
    );
    gives(
        store(),
        "$.store.book[?(@.title == 'A' || @.title == \"D\")].price",
        json!([8.95, 22.99]),
    );
    gives(
        store(),
        "$.store.book[?(@.price == 8.0)].title",
        json!(["C"]),
    );
    gives(
        store(),
        "$.store.book[?(@.price <= $.store.bicycle.price)].title",
        json!(["A", "B", "C"]),
    );
    gives(
        json!({"users": [{"year": 1997, "status": 0}, {"year": 1998, "status": 1}]}),
        "$.users[?(@.status == 0)]",
        json!([{"year": 1997, "status": 0}]),
    );
    gives(
        json!({"a": [{"x": null}, {}]}),
        "$.a[?(@.x != 1)]",
        json!([{"x": null}, {}]),
    );
}

#[test]
fn length_function() {
    gives(json!({"a": [1, 2, 3]}), "$.a.length()", json!(3));
    // After a wildcard the function runs once per match; after a leading `..` on the root, with
    // the scan as its argument (length() then counts the matches' children).
    gives(
        json!({"a": [{"b": [1]}, {"b": {}}, {"b": 2}]}),
        "$.a[*].b.length()",
        json!([1, 0, null]),
    );
    gives(json!({"s": {"book": [1, 2, 3]}}), "$..book.length()", json!(3));
    gives(json!({"a": {"p": 1}, "b": [{"p": 2.5}]}), "$..p.sum()", json!(3.5));
}

#[test]
fn definite_misses_fail_with_jaywayish_messages() {
    fails(json!({}), "$.foo", "No results for path: $['foo']");
    fails(
        json!({"a": {}}),
        "$.a.b",
        "No results for path: $['a']['b']",
    );
    fails(json!({}), "$.a.b", "Missing property in path $['a']");
    fails(
        json!({"a": [1]}),
        "$.a[3]",
        "No results for path: $['a'][3]",
    );
    fails(json!({"a": null}), "$.a[0]", "The path $['a'] is null");
    fails(
        json!({"a": 1}),
        "$.a[0]",
        "Filter: [0] can only be applied to arrays. Current context is: 1",
    );
}

#[test]
fn roots() {
    let input = json!({"a": 1});
    let context = json!({"Execution": {"Id": "arn:x"}, "Map": {"Item": {"Value": 5, "Index": 0}}});
    let mut variables = serde_json::Map::new();
    variables.insert("total".into(), json!({"n": 9}));
    let roots = Roots::input(&input)
        .with_context(&context)
        .with_variables(&variables);
    let eval = |p: &str| JsonPath::parse(p).unwrap().eval(&roots);
    assert_eq!(eval("$$.Execution.Id"), Ok(json!("arn:x")));
    assert_eq!(eval("$$.Map.Item.Value"), Ok(json!(5)));
    assert_eq!(eval("$$"), Ok(context.clone()));
    assert_eq!(eval("$total.n"), Ok(json!(9)));
    assert_eq!(eval("$total"), Ok(json!({"n": 9})));
    assert_eq!(
        eval("$nope"),
        Err(EvalError::UnknownVariable {
            name: "nope".into()
        })
    );
    assert_eq!(
        JsonPath::parse("$x.y").unwrap().root(),
        &Root::Variable("x".into())
    );
    assert_eq!(JsonPath::parse("$$.a").unwrap().root(), &Root::Context);
}

#[test]
fn definiteness() {
    let definite = |p: &str| JsonPath::parse(p).unwrap().is_definite();
    assert!(definite("$.a.b[0]['c']"));
    assert!(definite("$[-1]"));
    assert!(!definite("$.a[*]"));
    assert!(!definite("$..a"));
    assert!(!definite("$.a[0:1]"));
    assert!(!definite("$.a[0,1]"));
    assert!(!definite("$.a[?(@.x)]"));
}

#[test]
fn syntax_errors_carry_offsets() {
    rejects("", 0);
    rejects("a.b", 0);
    rejects("$.", 2);
    rejects("$..", 3);
    rejects("$.a[", 4);
    rejects("$.a[0", 5);
    rejects("$['a", 2);
    rejects("$.a b", 2);
    rejects("$.a[?(@.x = 1)]", 10);
    rejects("$.a[::0]", 3);
    rejects("$.a.foo()", 4);
    rejects("$.a[?(@.x =~ /a)]", 13);
    rejects("$.a['x' 'y']", 8);
}

#[test]
fn reference_paths() {
    assert!(ReferencePath::parse("$.a.b[0]").is_ok());
    assert!(ReferencePath::parse("$$.Execution.Input").is_ok());
    assert_eq!(ReferencePath::parse("$.a[*]").unwrap_err().offset, 4);
    assert_eq!(ReferencePath::parse("$..a").unwrap_err().offset, 1);
    assert!(ReferencePath::parse("$.a.length()").is_err());
    let input = json!({"a": {"b": [7]}});
    let read = ReferencePath::parse("$.a.b[0]")
        .unwrap()
        .read(&Roots::input(&input))
        .cloned();
    assert_eq!(read, Ok(json!(7)));
}

#[test]
fn reference_path_writes() {
    writes(json!({"a": 1}), "$", json!(2), json!(2));
    writes(json!({"a": 1}), "$.b", json!(2), json!({"a": 1, "b": 2}));
    writes(json!({"a": 1}), "$.a", json!(2), json!({"a": 2}));
    writes(
        json!({}),
        "$.x.y.z",
        json!(true),
        json!({"x": {"y": {"z": true}}}),
    );
    writes(
        json!({"x": {"k": 0}}),
        "$.x.y",
        json!(1),
        json!({"x": {"k": 0, "y": 1}}),
    );
    writes(
        json!({"a": [1, 2]}),
        "$.a[1]",
        json!(9),
        json!({"a": [1, 9]}),
    );
    writes(
        json!({"a": [1, 2]}),
        "$.a[-1]",
        json!(9),
        json!({"a": [1, 9]}),
    );
    let fails = |doc: Value, path: &str| {
        ReferencePath::parse(path)
            .unwrap()
            .write(doc, json!(0))
            .unwrap_err()
    };
    assert_eq!(
        fails(json!("text"), "$.a"),
        WriteError::NotAnObject { path: "$.a".into() }
    );
    assert_eq!(
        fails(json!({"a": 1}), "$.a.b"),
        WriteError::NotAnObject {
            path: "$.a.b".into()
        }
    );
    assert_eq!(
        fails(json!({"a": []}), "$.a[0]"),
        WriteError::NoSuchElement {
            path: "$.a[0]".into()
        }
    );
    assert_eq!(
        fails(json!({}), "$$.a"),
        WriteError::NotWritable {
            path: "$$.a".into()
        }
    );
}

/// Writing in place gives what [`ReferencePath::write`] gives (the same document or the same
/// error), leaves the document as it was when it fails, and its undo puts the document back
/// exactly, members in their order.
#[test]
fn writes_in_place_all_or_nothing_and_undo() {
    let cases = [
        (json!({"a": 1}), "$"),
        (json!({"a": 1, "c": 3}), "$.b"),
        (json!({"a": 1, "c": 3}), "$.a"),
        (json!({"q": 0}), "$.x.y.z"),
        (json!({"x": {"k": 0}, "w": 1}), "$.x.y"),
        (json!({"x": {"k": 0}, "w": 1}), "$.x.k"),
        (json!({"a": [1, 2]}), "$.a[1]"),
        (json!({"a": [1, 2]}), "$.a[-1]"),
        (json!({"a": [{"b": 1}]}), "$.a[0].c.d"),
        // Failures, some after a missing member a step-by-step write would have created.
        (json!("text"), "$.a"),
        (json!({"a": 1}), "$.a.b"),
        (json!({"a": []}), "$.a[0]"),
        (json!({"a": {}}), "$.a.b[0]"),
        (json!({"a": {}}), "$.a.b.c[0]"),
        (json!({"a": {"b": null}}), "$.a.b.c"),
        (json!({}), "$$.a"),
    ];
    for (doc, path) in cases {
        let parsed = ReferencePath::parse(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value = json!({"new": [1]});
        let expected = parsed.write(doc.clone(), value.clone());
        let mut in_place = doc.clone();
        match (parsed.write_in_place(&mut in_place, value), expected) {
            (Ok(undo), Ok(written)) => {
                assert_eq!(in_place.to_string(), written.to_string(), "{path}");
                parsed.restore(&mut in_place, undo);
                assert_eq!(in_place.to_string(), doc.to_string(), "{path}: undone");
            }
            (Err(error), Err(expected)) => {
                assert_eq!(error, expected, "{path}");
                assert_eq!(in_place.to_string(), doc.to_string(), "{path}: unchanged");
            }
            (got, expected) => panic!("{path}: {got:?} against {expected:?}"),
        }
    }
}

#[test]
fn templates() {
    builds(
        json!({"a": 1, "b": [true]}),
        json!({}),
        json!(null),
        json!({"a": 1, "b": [true]}),
    );
    builds(
        json!({"x.$": "$.a"}),
        json!({"a": 1}),
        json!(null),
        json!({"x": 1}),
    );
    builds(
        json!({"outer": {"inner.$": "$.a", "keep": "k"}, "list": [{"v.$": "$$.Map.Item.Value"}, 3]}),
        json!({"a": "A"}),
        json!({"Map": {"Item": {"Value": 42}}}),
        json!({"outer": {"inner": "A", "keep": "k"}, "list": [{"v": 42}, 3]}),
    );
    builds(
        json!({"all.$": "$"}),
        json!([1]),
        json!(null),
        json!({"all": [1]}),
    );
    builds(
        json!({"ctx.$": "$$"}),
        json!({}),
        json!({"c": 1}),
        json!({"ctx": {"c": 1}}),
    );
    builds(
        json!({"s.$": "States.Format('{}-{}', $.a, $.b)"}),
        json!({"a": 1, "b": "x"}),
        json!(null),
        json!({"s": "1-x"}),
    );
    builds(
        json!({"xs.$": "$.a[*].b"}),
        json!({"a": [{"b": 1}, {"c": 2}]}),
        json!(null),
        json!({"xs": [1]}),
    );
}

#[test]
fn template_compile_errors() {
    let error = |t: Value| Template::compile(&t).unwrap_err();
    assert_eq!(error(json!({"a": {"b.$": 1}})).pointer, "/a/b.$");
    assert_eq!(
        error(json!({"a.$": "nope"})).kind,
        template::TemplateErrorKind::NotAPathOrIntrinsic
    );
    assert!(matches!(
        error(json!({"a.$": "$.["})).kind,
        template::TemplateErrorKind::Path(_)
    ));
    assert!(matches!(
        error(json!([{"a.$": "States.Nope()"}])).kind,
        template::TemplateErrorKind::Intrinsic(_)
    ));
}

#[test]
fn template_path_not_found_cause_is_aws_wording() {
    let template = Template::compile(&json!({"missing.$": "$.nope.deep"})).unwrap();
    let input = json!({"other": 1});
    let mut rng = StdRng::seed_from_u64(1);
    let error = template.eval(&Roots::input(&input), &mut rng).unwrap_err();
    assert_eq!(error.error_name(), "States.Runtime");
    assert_eq!(
        error.cause(&input),
        "The JSONPath '$.nope.deep' specified for the field 'missing.$' could not be found in the input '{\"other\":1}'"
    );
}

#[test]
fn causes_match_recorded_aws_texts() {
    assert_eq!(
        cause::in_state(
            "WaitState",
            2,
            &cause::seconds_path_not_long("$.input.waitSeconds", &json!(1.5))
        ),
        "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter cannot be parsed as a long value: $.input.waitSeconds == 1.5"
    );
    assert_eq!(
        cause::in_state(
            "WaitState",
            2,
            &cause::parameter_not_found("SecondsPath", "$.input.waitSeconds")
        ),
        "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds"
    );
    assert_eq!(
        cause::in_state(
            "MapState",
            2,
            &cause::field_not_integer(
                "MaxConcurrencyPath",
                "$.MaxConcurrencyValue",
                &json!("NoNumber")
            )
        ),
        "An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.MaxConcurrencyValue"
    );
    assert_eq!(
        cause::in_state(
            "WaitUntil",
            2,
            &cause::timestamp_path_invalid("$.TimestampValue", &json!("2016-13-05T21:29:29Z"))
        ),
        "An error occurred while executing the state 'WaitUntil' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.TimestampValue == 2016-13-05T21:29:29Z"
    );
    assert_eq!(
        cause::result_path_not_applicable("$.partitioned", &json!("{\"a\":1}")),
        "Unable to apply ReferencePath $.partitioned to input \"{\\\"a\\\":1}\""
    );
    let miss = JsonPath::parse("$.foo")
        .unwrap()
        .eval(&Roots::input(&json!({})))
        .unwrap_err();
    assert_eq!(
        cause::invalid_path("$.foo", &miss),
        "Invalid path '$.foo' : No results for path: $['foo']"
    );
}

#[test]
fn eval_of_plain_names_is_the_general_selection() {
    // `eval` takes a short cut for `$.a.b` paths that find their node; it must agree with the
    // general walk, found or not.
    let input = json!({"a": {"b": [1, {"c": null}], "d": "x"}, "e": 2.50});
    for path in ["$", "$.a", "$.a.b", "$.a.d", "$.e", "$.a.b.c", "$.missing", "$.a.d.x", "$.e.f", "$.a.b[1].c", "$..c"] {
        let parsed = JsonPath::parse(path).unwrap();
        let roots = Roots::input(&input);
        assert_eq!(parsed.eval(&roots), parsed.select(&roots).map(Selected::into_value), "{path}");
    }
}

#[test]
fn errors_inside_filters_and_arguments_point_into_them() {
    // The offset is in the whole path, at the token that is wrong.
    rejects("$.a[?(@.x == tru)]", 13);
    rejects("$.a[?(@.x in ['a')]", 13);
    rejects("$.a.sum($.b[)", 8);
    rejects("$.a.concat({\"k\": })", 11);
    rejects("$.a[?(@.b[?(@.c = 1)] > 0)]", 16);
}

#[test]
fn a_pattern_that_backtracks_without_end_stops_as_no_match() {
    let input = json!({"a": [{"s": format!("{}!", "a".repeat(64))}, {"s": "aa"}]});
    let started = std::time::Instant::now();
    gives(input, "$.a[?(@.s =~ /(a+)+$/)].s", json!(["aa"]));
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn unions_merge_at_the_end_and_walk_elsewhere() {
    let input = json!({"a": {"x": 1}, "b": {"x": 2}});
    let parsed = JsonPath::parse("$['a','b']").unwrap();
    assert!(parsed.is_definite());
    assert_eq!(parsed.eval(&Roots::input(&input)), Ok(input.clone()));
    let walked = JsonPath::parse("$['a','b'].x").unwrap();
    assert!(!walked.is_definite());
    assert_eq!(walked.eval(&Roots::input(&input)), Ok(json!([1, 2])));
}
