//! JSONPath → JSONata conversion: each case is a JSONPath machine and inputs; the converted
//! machine must validate cleanly and give the same output (or the same error) on every input.
//! And the seed's order workflow, converted state by state and as a whole, gives the same
//! results on the course's three inputs.

use std::sync::Arc;

use serde_json::Value;
use statecraft::asl::clock::VirtualClock;
use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, Program};
use statecraft::asl::json::WriteStyle;
use statecraft::asl::lower::lower_text;
use statecraft::asl::model::{QueryLanguage, StateMachine};
use statecraft::asl::validate::validate_text;
use statecraft::editor::convert::{convert_machine, convert_state, convert_to_jsonata};
use statecraft::editor::document::Document;
use statecraft::editor::scope::StateRef;
use statecraft::seed;

fn machine(text: &str) -> StateMachine {
    lower_text(text).expect("JSON").1.machine
}

fn text(machine: &StateMachine) -> String {
    machine.to_json_text(WriteStyle::Pretty)
}

fn run(text: &str, input: &str) -> Execution {
    let program = Arc::new(Program::from_text(text).unwrap_or_else(|e| panic!("compiles: {e:?}\n{text}")));
    let config = ExecutionConfig { seed: 11, state_machine_name: seed::NAME.into(), ..ExecutionConfig::default() };
    Execution::start(program, serde_json::from_str::<serde_json::Value>(input).unwrap(), Box::new(VirtualClock::default()), statecraft::handlers::seed_registry(), config).run_to_end()
}

/// The outcome to compare: the output, or the error name (causes differ between languages).
fn outcome(execution: &Execution) -> Value {
    match execution.status() {
        ExecutionStatus::Succeeded { output } => Value::clone(output),
        ExecutionStatus::Failed(e) => serde_json::json!({ "failed": e.error.clone() }),
        other => serde_json::json!({ "other": format!("{other:?}") }),
    }
}

fn assert_valid(text: &str) {
    let report = validate_text(text);
    let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
}

/// `jsonpath` converted as a whole gives the same outcome on every input.
fn same_results(jsonpath: &str, inputs: &[&str]) -> String {
    let converted = convert_machine(&machine(jsonpath)).unwrap_or_else(|e| panic!("{e:?}\n{jsonpath}"));
    let converted_text = text(&converted);
    assert_valid(&converted_text);
    for input in inputs {
        let before = outcome(&run(jsonpath, input));
        let after = outcome(&run(&converted_text, input));
        assert_eq!(before, after, "input {input}\nconverted:\n{converted_text}");
    }
    converted_text
}

fn pass(fields: &str) -> String {
    format!(r#"{{"StartAt": "P", "States": {{"P": {{"Type": "Pass", {fields}, "End": true}}}}}}"#)
}

const DOC: &str = r#"{"a": {"b": 2, "list": [1, 2, 3]}, "items": [{"n": "x", "price": 5}, {"n": "y", "price": 15}], "one": [7], "s": "hello", "when": "2024-01-02T03:04:05Z", "flag": true, "blob": "{\"k\": [1]}"}"#;

#[test]
fn pass_state_data_flow_fields() {
    let cases = [
        r#""InputPath": "$.a""#,
        r#""InputPath": null"#,
        r#""OutputPath": "$.a.list""#,
        r#""Result": {"x": 1, "y": [true, null]}, "ResultPath": "$.r""#,
        r#""Result": "done", "ResultPath": "$.a.status""#,
        r#""Result": 3, "ResultPath": null"#,
        r#""Parameters": {"b.$": "$.a.b", "lit": "{% not an expression %}", "nested": {"s.$": "$.s", "k": [1]}}"#,
        r#""InputPath": "$.a", "Parameters": {"b.$": "$.b", "all.$": "$"}, "ResultPath": "$.out", "OutputPath": "$.out""#,
        r#""Parameters": {"first.$": "$.items[0].n", "last.$": "$.items[-1].price", "names.$": "$.items[*].n"}"#,
        r#""Parameters": {"cheap.$": "$.items[?(@.price < 10)].n", "one.$": "$.one", "ctx.$": "$$.Execution.Name"}"#,
        r#""Parameters": {"len.$": "$.items.length()", "deep.$": "$..price"}"#,
    ];
    for fields in cases {
        same_results(&pass(fields), &[DOC]);
    }
}

#[test]
fn intrinsics_become_jsonata_functions() {
    let cases = [
        r#""Parameters": {"f.$": "States.Format('{} has {} items, \\{\\} literal', $.s, $.a.b)"}"#,
        r#""Parameters": {"j.$": "States.StringToJson($.blob)", "t.$": "States.JsonToString($.a)"}"#,
        r#""Parameters": {"arr.$": "States.Array($.s, $.a.b, $.a.list)", "len.$": "States.ArrayLength($.a.list)"}"#,
        r#""Parameters": {"p.$": "States.ArrayPartition($.a.list, 2)", "c.$": "States.ArrayContains($.a.list, 2)"}"#,
        r#""Parameters": {"r.$": "States.ArrayRange(1, 9, 2)", "g.$": "States.ArrayGetItem($.a.list, 1)"}"#,
        r#""Parameters": {"u.$": "States.ArrayUnique(States.Array(1, 1, 2))", "sum.$": "States.MathAdd($.a.b, 40)"}"#,
        r#""Parameters": {"e.$": "States.Base64Encode($.s)", "d.$": "States.Base64Decode('aGk=')"}"#,
        r#""Parameters": {"h.$": "States.Hash($.s, 'SHA-256')", "m.$": "States.JsonMerge($.a, States.StringToJson('{\"b\": 9}'), false)"}"#,
        r#""Parameters": {"split.$": "States.StringSplit('a,b,c', ',')"}"#,
    ];
    for fields in cases {
        same_results(&pass(fields), &[DOC]);
    }
}

#[test]
fn choice_rules_become_conditions() {
    let rules = [
        r#"{"Variable": "$.s", "StringEquals": "hello", "Next": "Yes"}"#,
        r#"{"Variable": "$.s", "StringGreaterThan": "a", "Next": "Yes"}"#,
        r#"{"Variable": "$.a.b", "StringEquals": "2", "Next": "Yes"}"#,
        r#"{"Variable": "$.a.b", "NumericGreaterThanEquals": 2, "Next": "Yes"}"#,
        r#"{"Variable": "$.s", "NumericLessThan": 2, "Next": "Yes"}"#,
        r#"{"Variable": "$.a.b", "NumericEqualsPath": "$.one[0]", "Next": "Yes"}"#,
        r#"{"Variable": "$.flag", "BooleanEquals": true, "Next": "Yes"}"#,
        r#"{"Variable": "$.when", "TimestampLessThan": "2025-01-01T00:00:00Z", "Next": "Yes"}"#,
        r#"{"Variable": "$.s", "StringMatches": "he*o", "Next": "Yes"}"#,
        r#"{"Variable": "$.s", "StringMatches": "h.l*", "Next": "Yes"}"#,
        r#"{"Variable": "$.missing", "IsPresent": false, "Next": "Yes"}"#,
        r#"{"Variable": "$.s", "IsString": true, "Next": "Yes"}"#,
        r#"{"Variable": "$.when", "IsTimestamp": true, "Next": "Yes"}"#,
        r#"{"And": [{"Variable": "$.a.b", "IsNumeric": true}, {"Not": {"Variable": "$.s", "StringEquals": "x"}}], "Next": "Yes"}"#,
        r#"{"Or": [{"Variable": "$.a", "IsNull": true}, {"Variable": "$.flag", "BooleanEquals": false}], "Next": "Yes"}"#,
    ];
    for rule in rules {
        let def = format!(
            r#"{{"StartAt": "C", "States": {{"C": {{"Type": "Choice", "Choices": [{rule}], "Default": "No"}},
            "Yes": {{"Type": "Pass", "Result": "yes", "End": true}}, "No": {{"Type": "Pass", "Result": "no", "End": true}}}}}}"#
        );
        same_results(&def, &[DOC, r#"{"s": "zzz", "a": {"b": 7}, "one": [7], "flag": false, "when": "2030-01-01T00:00:00Z"}"#]);
    }
}

#[test]
fn tasks_maps_parallels_and_catchers() {
    let task = r#"{"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-3:123456789012:function:ValidateInput",
              "InputPath": "$.order", "ResultSelector": {"ok.$": "$.isValid", "echo.$": "$.statusCode"}, "ResultPath": "$.validation",
              "Assign": {"wasValid.$": "$.ok"},
              "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Caught"}], "Next": "Done"},
        "Done": {"Type": "Pass", "Parameters": {"v.$": "$wasValid", "validation.$": "$.validation"}, "End": true},
        "Caught": {"Type": "Pass", "End": true}}}"#;
    same_results(task, &[r#"{"order": {"name": "A", "email": "a@example.com", "amount": 5}}"#, r#"{"order": {"name": "", "amount": -1}}"#, r#"{"order": 3}"#]);

    let map = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
        "ItemSelector": {"item.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "s.$": "$.s"},
        "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Parameters": {"n.$": "$.item.n", "i.$": "$.index"}, "End": true}}},
        "ResultPath": "$.mapped", "End": true}}}"#;
    same_results(map, &[DOC]);

    let parallel = r#"{"StartAt": "Par", "States": {"Par": {"Type": "Parallel", "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.a", "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Fail", "ErrorPath": "$.s", "CausePath": "$.s"}}}],
        "Catch": [{"ErrorEquals": ["hello"], "ResultPath": null, "Next": "After"}], "Next": "After"},
        "After": {"Type": "Wait", "SecondsPath": "$.a.b", "OutputPath": "$.s", "End": true}}}"#;
    same_results(parallel, &[DOC]);
}

#[test]
fn what_cannot_be_converted_is_reported_with_its_pointer_and_nothing_changes() {
    let def = pass(r#""Parameters": {"ok.$": "$.a", "bad.$": "$.a.list[0:2]", "union.$": "$['a','s']"}"#);
    let errors = convert_machine(&machine(&def)).unwrap_err();
    let pointers: Vec<&str> = errors.iter().map(|e| e.pointer.as_str()).collect();
    assert_eq!(pointers, ["/States/P/Parameters/bad.$", "/States/P/Parameters/union.$"], "{errors:?}");
    assert!(errors[0].message.contains("slices"), "{}", errors[0]);
}

#[test]
fn the_seed_converted_gives_the_course_results() {
    let whole = text(&convert_machine(&machine(seed::ORDER_WORKFLOW)).unwrap());
    assert_valid(&whole);
    assert!(whole.contains(r#""QueryLanguage": "JSONata""#), "{whole}");
    assert!(whole.contains("{% ($v := $states.input.isValid;"), "{whole}");
    let original = machine(seed::ORDER_WORKFLOW);
    for input in seed::TEST_INPUTS {
        let expected = outcome(&run(seed::ORDER_WORKFLOW, input.input));
        assert_eq!(outcome(&run(&whole, input.input)), expected, "{}", input.name);
        // State by state: the machine mixes the two languages on the way.
        for named in &original.states {
            let mut mixed = original.clone();
            let state = mixed.state_mut(&named.name).unwrap();
            *state = convert_state(&named.state).unwrap();
            assert_eq!(state.query_language, Some(QueryLanguage::Jsonata));
            let mixed_text = text(&mixed);
            assert_valid(&mixed_text);
            assert_eq!(outcome(&run(&mixed_text, input.input)), expected, "{} with {} converted", input.name, named.name);
        }
    }
}

#[test]
fn the_document_gesture_is_one_undoable_change() {
    let mut doc = Document::seed();
    let before = doc.text().to_string();
    let change = convert_to_jsonata(&doc, &StateRef::top("CheckValidation")).unwrap();
    let inverse = doc.apply(change).unwrap();
    assert!(doc.text().contains("\"Condition\""), "{}", doc.text());
    assert!(doc.text().contains("\"QueryLanguage\": \"JSONata\""), "{}", doc.text());
    let again = convert_to_jsonata(&doc, &StateRef::top("CheckValidation")).unwrap_err();
    assert!(again[0].message.contains("already"), "{again:?}");
    doc.apply(inverse).unwrap();
    assert_eq!(doc.text(), before);
    assert!(convert_to_jsonata(&doc, &StateRef::top("Nope")).is_err());
}

/// A Map or Parallel converted alone in a JSONPath machine: the states nested in it take the
/// machine's language (JSONPath), not the container's, so each is given
/// `"QueryLanguage": "JSONata"` too. Without it the converted shape is refused, as AWS refuses a
/// JSONata field in a JSONPath state.
#[test]
fn a_container_converted_alone_marks_its_nested_states() {
    let jsonpath = r#"{"StartAt": "Each", "States": {
      "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.doubled", "Next": "Both",
        "ItemProcessor": {"StartAt": "Shape", "States": {
          "Shape": {"Type": "Pass", "Parameters": {"v.$": "$.v", "k": "x"}, "Next": "Keep"},
          "Keep": {"Type": "Pass", "InputPath": "$.v", "ResultPath": "$.kept", "End": true}}}},
      "Both": {"Type": "Parallel", "ResultPath": "$.both", "End": true, "Branches": [
        {"StartAt": "L", "States": {"L": {"Type": "Pass", "InputPath": "$.items[0]", "End": true}}},
        {"StartAt": "R", "States": {"R": {"Type": "Pass", "Result": 2, "ResultPath": "$.two", "End": true}}}]}}}"#;
    let input = r#"{"items": [{"v": 1}, {"v": 2}]}"#;
    let expected = outcome(&run(jsonpath, input));
    assert!(expected.get("failed").is_none(), "{expected}");
    for name in ["Each", "Both"] {
        let original = machine(jsonpath);
        let mut mixed = original.clone();
        let state = mixed.state_mut(name).unwrap();
        *state = convert_state(&original.states.iter().find(|n| n.name == name).unwrap().state).unwrap();
        let walk = statecraft::asl::walk::Walk::new(&mixed, statecraft::asl::walk::Reach::Run);
        let nested: Vec<_> = walk.depth_first().filter(|v| v.scope != 0).collect();
        let inside = nested.iter().filter(|v| walk.scopes[v.scope].path[0].0 == name).count();
        assert!(inside >= 2, "{name}");
        for v in nested.iter().filter(|v| walk.scopes[v.scope].path[0].0 == name) {
            assert_eq!(v.state.query_language, Some(QueryLanguage::Jsonata), "{} in {name}", v.name);
        }
        let mixed_text = text(&mixed);
        assert_valid(&mixed_text);
        assert_eq!(outcome(&run(&mixed_text, input)), expected, "{name} converted:\n{mixed_text}");
        // The same shape with the nested marks taken off: JSONata fields in JSONPath states.
        let mut unmarked = mixed.clone();
        for (_, inner) in statecraft::asl::walk::nested_mut(unmarked.state_mut(name).unwrap(), statecraft::asl::walk::Reach::Run) {
            for named in &mut inner.states {
                named.state.query_language = None;
            }
        }
        let report = validate_text(&text(&unmarked));
        let refused: Vec<String> = report.errors().map(|d| d.message.clone()).collect();
        assert!(
            refused.iter().any(|m| m.starts_with("The QueryLanguage is set to 'JSONPath', but field '")),
            "{name}: {refused:?}"
        );
    }
}
