//! Expression rules: which fields the state's query language allows, and the syntax of what is
//! written in them: JSONPath and reference paths, `.$` payload templates, intrinsic functions,
//! JSONata `{% %}` expressions and RFC 3339 timestamps. Also the lints on payloads: a Pass
//! whose `Result` is static, and a path-looking value whose key lacks `.$`.

use super::syntax::{self, SyntaxProblem};
use super::{StateAt, report};
use crate::asl::diag::{Code, Diagnostic};
use crate::asl::json::{Node, Value, Walk, escape_pointer_token};
use crate::asl::model::*;

/// Fields only JSONPath states take.
const JSONPATH_ONLY: &[&str] = &[
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "ItemsPath", "SecondsPath",
    "TimestampPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "MaxConcurrencyPath", "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath", "ErrorPath", "CausePath", "Iterator",
];
/// Fields only JSONata states take.
const JSONATA_ONLY: &[&str] = &["Arguments", "Output", "Items"];

fn field_keys(layout: &Layout) -> impl Iterator<Item = &str> {
    layout.slots.iter().map(|s| match s {
        Slot::Field(name) => *name,
        Slot::Extra(m) => m.key.as_str(),
    })
}

fn wrong_language(language: QueryLanguage, pointer: String, field: &str, out: &mut Vec<Diagnostic>) {
    let other = match language {
        QueryLanguage::JsonPath => "JSONata",
        QueryLanguage::Jsonata => "JSONPath",
    };
    report(
        out,
        Code::QueryLanguageField,
        pointer,
        // AWS's words (ValidateStateMachineDefinition, measured): "The QueryLanguage is set to
        // 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage".
        format!(
            "The QueryLanguage is set to '{}', but field '{field}' is only supported for the '{other}' QueryLanguage (`{field}` is a {other} field; this state's query language is {})",
            language.name(),
            language.name()
        ),
    );
}

/// Runs the expression rules on one state.
pub fn check_state(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let state = at.state;
    let forbidden = match at.language {
        QueryLanguage::JsonPath => JSONATA_ONLY,
        QueryLanguage::Jsonata => JSONPATH_ONLY,
    };
    for key in field_keys(&state.layout) {
        if forbidden.contains(&key) {
            wrong_language(at.language, at.at(&escape_pointer_token(key)), key, out);
        }
    }
    for (i, c) in state.catch.iter().flatten().enumerate() {
        for key in field_keys(&c.layout) {
            if (at.language == QueryLanguage::Jsonata && key == "ResultPath") || (at.language == QueryLanguage::JsonPath && key == "Output") {
                wrong_language(at.language, at.at(&format!("Catch/{i}/{key}")), key, out);
            }
        }
    }
    match at.language {
        QueryLanguage::JsonPath => check_jsonpath_state(at, out),
        QueryLanguage::Jsonata => check_jsonata_state(at, out),
    }
    if let StateKind::Choice(choice) = &state.kind {
        for (i, rule) in choice.choices.iter().flatten().enumerate() {
            check_rule(rule, &at.at(&format!("Choices/{i}")), at.language, out);
        }
    }
    if let StateKind::Pass(pass) = &state.kind
        && let Some(result) = &pass.result
    {
        if state.data.parameters.is_some() {
            report(out, Code::StaticPass, at.at("Parameters"), "`Result` replaces what `Parameters` computes, so `Parameters` has no effect");
        }
        if let Some(pointer) = first_dollar_key(result, &at.at("Result")) {
            report(
                out,
                Code::StaticPass,
                pointer,
                "keys ending in `.$` are not evaluated inside `Result`: it is static; use `Parameters` to select from the input",
            );
        }
    }
}

fn first_dollar_key(node: &Node, pointer: &str) -> Option<String> {
    match &node.value {
        Value::Object(members) => members.iter().find_map(|m| {
            let p = format!("{pointer}/{}", escape_pointer_token(&m.key));
            if m.key.ends_with(".$") { Some(p) } else { first_dollar_key(&m.value, &p) }
        }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, n)| first_dollar_key(n, &format!("{pointer}/{i}"))),
        _ => None,
    }
}

fn located(problem: SyntaxProblem, text: &str) -> String {
    format!("{} (at character {} of {text:?})", problem.message, text[..problem.offset.min(text.len())].chars().count() + 1)
}

/// A path field (`InputPath`, `OutputPath`, a Distributed Map's `...Path`): AWS's words are
/// "Value must be a valid JSONPath." (CreateStateMachine on `"OutputPath": "Test"`,
/// aws-cloudformation/cfn-lint#4078).
fn json_path(text: &str, pointer: impl Into<String>, field: &str, out: &mut Vec<Diagnostic>) {
    if let Err(p) = syntax::check_json_path(text) {
        report(out, Code::JsonPathSyntax, pointer, format!("Value must be a valid JSONPath. (`{field}` is not: {})", located(p, text)));
    }
}

/// AWS's words for a reference path it cannot read, the reason included where it is known:
/// "Value is not a Reference Path: Reference path didn't start with '$'" (CreateStateMachine on
/// a Choice rule's `"Variable": "Test"`, aws-cloudformation/cfn-lint#4076, and on
/// `"Variable": "States.ArrayLength($.Arns)"`, quoted by Terraform's error).
fn reference_words(text: &str) -> &'static str {
    if text.starts_with('$') { "Value is not a Reference Path" } else { "Value is not a Reference Path: Reference path didn't start with '$'" }
}

/// A Choice rule's `Variable` or `...Path` operand: a reference path in AWS's words, checked
/// with the JSONPath grammar (what AWS's runs read there).
fn rule_path(text: &str, pointer: impl Into<String>, field: &str, out: &mut Vec<Diagnostic>) {
    if let Err(p) = syntax::check_json_path(text) {
        report(out, Code::JsonPathSyntax, pointer, format!("{} (`{field}` is not a valid JSONPath: {})", reference_words(text), located(p, text)));
    }
}

fn reference_path(text: &str, pointer: impl Into<String>, field: &str, out: &mut Vec<Diagnostic>) {
    if let Err(p) = syntax::check_reference_path(text) {
        report(out, Code::ReferencePathSyntax, pointer, format!("{} (`{field}` is not a valid reference path: {})", reference_words(text), located(p, text)));
    }
}

/// A `ResultPath`: a reference path into the state's input. It cannot name a variable (`$x`):
/// variables are set by `Assign` only, and AWS refuses the definition.
fn result_path(text: &str, pointer: impl Into<String>, out: &mut Vec<Diagnostic>) {
    let names_variable = text.trim_start().strip_prefix('$').and_then(|rest| rest.chars().next()).is_some_and(|c| c.is_alphabetic() || c == '_');
    if names_variable {
        report(
            out,
            Code::ReferencePathSyntax,
            pointer,
            format!("`ResultPath` writes into the state's input (`$`, `$.field`, `$['field']`); it cannot write into a variable (use `Assign`): \"{text}\""),
        );
    } else {
        reference_path(text, pointer, "ResultPath", out);
    }
}

fn intrinsic(text: &str, pointer: impl Into<String>, out: &mut Vec<Diagnostic>) {
    if let Err(p) = syntax::check_intrinsic(text) {
        // AWS's words for any field whose intrinsic call it cannot read.
        report(out, Code::IntrinsicFunction, pointer, format!("not a valid JSONPath or a valid intrinsic function call: {}", located(p, text)));
    }
}

fn jsonata(text: &str, pointer: impl Into<String>, out: &mut Vec<Diagnostic>) {
    let pointer = pointer.into();
    if let Err(p) = syntax::check_jsonata(text) {
        // An expression not closed by `%}` is a malformed field value to AWS
        // (SCHEMA_VALIDATION_FAILED), not an expression it could not parse.
        let code = if syntax::jsonata_braces(text) { Code::JsonataSyntax } else { Code::InvalidValue };
        report(out, code, pointer, located(p, text));
        return;
    }
    for field in syntax::jsonata_top_level_fields(text) {
        // AWS's words (CreateStateMachine, measured against AWS in floci-io/floci#2670).
        report(
            out,
            Code::JsonataTopLevelReference,
            pointer.clone(),
            format!("Reference to '{field}' at the top level is not supported. (a JSONata expression has no input here: read the state's input as `$states.input.{field}`)"),
        );
    }
}

fn timestamp(text: &str, pointer: impl Into<String>, field: &str, out: &mut Vec<Diagnostic>) {
    if let Err(p) = syntax::check_timestamp(text) {
        report(out, Code::TimestampFormat, pointer, format!("String does not match RFC3339 timestamp: {} in `{field}`", located(p, text)));
    }
}

/// Whether [`template`] would find nothing to report (checked first, without pointers).
fn template_is_clean(node: &Node) -> bool {
    let Some(members) = node.as_object() else {
        return node.as_array().is_none_or(|items| items.iter().all(template_is_clean));
    };
    members.iter().all(|m| {
        if m.key.ends_with(".$") {
            return match m.value.as_str() {
                Some(text) if syntax::is_intrinsic(text) => syntax::check_intrinsic(text).is_ok(),
                Some(text) if text.starts_with('$') => syntax::check_json_path(text).is_ok(),
                _ => false,
            };
        }
        !m.value.as_str().is_some_and(looks_like_path) && template_is_clean(&m.value)
    })
}

/// Whether a literal string reads like a path or an intrinsic call (a key missing its `.$`).
fn looks_like_path(text: &str) -> bool {
    text.starts_with("$.") || text.starts_with("$$.") || (syntax::is_intrinsic(text) && text.ends_with(')'))
}

/// Checks a JSONPath payload template: `"x.$"` values must be paths or intrinsic calls.
fn template(node: &Node, pointer: &str, out: &mut Vec<Diagnostic>) {
    node.walk(&mut pointer.to_string(), &mut |node, key, pointer| {
        let Some(key) = key else { return Walk::Descend };
        if key.ends_with(".$") {
            // AWS's words for any `.$` value it cannot read: "The value for the field
            // 'Message.$' must be a valid JSONPath or a valid intrinsic function call".
            let aws = format!("The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call");
            match node.as_str() {
                Some(text) if syntax::is_intrinsic(text) => {
                    if let Err(p) = syntax::check_intrinsic(text) {
                        report(out, Code::IntrinsicFunction, pointer, format!("{aws}: {}", located(p, text)));
                    }
                }
                Some(text) if text.starts_with('$') => {
                    if let Err(p) = syntax::check_json_path(text) {
                        report(out, Code::JsonPathSyntax, pointer, format!("{aws}: `{key}` is not a valid JSONPath: {}", located(p, text)));
                    }
                }
                Some(text) => report(
                    out,
                    Code::PayloadTemplate,
                    pointer,
                    format!("{aws} (a path `$...` or an intrinsic function `States.…`), not {text:?}"),
                ),
                None => report(out, Code::PayloadTemplate, pointer, format!("{aws} (a string), not {}", node.kind_name())),
            }
            return Walk::Skip;
        }
        if let Some(text) = node.as_str()
            && looks_like_path(text)
        {
            report(
                out,
                Code::PathWithoutDollar,
                pointer,
                format!("{text:?} looks like a path but is a literal string: name the key `{key}.$` to evaluate it"),
            );
        }
        Walk::Descend
    });
}

/// Checks a Distributed Map's `ItemReader`, `ItemBatcher` or `ResultWriter` in a JSONPath
/// state: these are not payload templates but ASL objects that hold one (`Parameters`,
/// `BatchInput`) beside fields of their own. Their `...Path` fields (`MaxItemsPath` in
/// `ReaderConfig`, `MaxItemsPerBatchPath`, `MaxInputBytesPerBatchPath`) are paths by name, as
/// `InputPath` is, with no `.$`: checked as JSONPaths, never linted as literals that look like one.
fn map_config(node: &Node, pointer: &str, out: &mut Vec<Diagnostic>) {
    let Some(members) = node.as_object() else {
        return template(node, pointer, out);
    };
    for m in members {
        let p = format!("{pointer}/{}", escape_pointer_token(&m.key));
        match (m.key.as_str(), m.value.as_str()) {
            (key, Some(text)) if key.ends_with("Path") => json_path(text, &p, key, out),
            ("ReaderConfig" | "WriterConfig", None) => map_config(&m.value, &p, out),
            _ => {
                // A member (`Parameters`, `BatchInput`, or one ASL does not define) is a payload.
                let one = Node { value: Value::Object(vec![m.clone()]), span: node.span };
                template(&one, pointer, out);
            }
        }
    }
}

/// Checks every `{% %}` string in a JSONata payload.
fn jsonata_payload(node: &Node, pointer: &str, out: &mut Vec<Diagnostic>) {
    node.walk(&mut pointer.to_string(), &mut |node, _, pointer| {
        if let Some(s) = node.as_str()
            && s.trim_start().starts_with("{%")
        {
            jsonata(s, pointer, out);
        }
        Walk::Descend
    });
}

fn check_jsonpath_state(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let s = at.state;
    let d = &s.data;
    for (field, value) in [("InputPath", &d.input_path), ("OutputPath", &d.output_path)] {
        if let Some(PathOrNull::Path(p)) = value {
            json_path(p, at.at(field), field, out);
        }
    }
    if let Some(PathOrNull::Path(p)) = &d.result_path {
        result_path(p, at.at("ResultPath"), out);
    }
    for (field, value) in [("Parameters", &d.parameters), ("ResultSelector", &d.result_selector), ("Assign", &d.assign)] {
        if let Some(v) = value
            && !template_is_clean(v)
        {
            template(v, &at.at(field), out);
        }
    }
    for (i, c) in s.catch.iter().flatten().enumerate() {
        if let Some(PathOrNull::Path(p)) = &c.result_path {
            result_path(p, at.at(&format!("Catch/{i}/ResultPath")), out);
        }
        if let Some(a) = &c.assign {
            template(a, &at.at(&format!("Catch/{i}/Assign")), out);
        }
    }
    let mut reference_fields: Vec<(&str, &Option<String>)> = Vec::new();
    let mut numeric_fields: Vec<(&str, &Option<NumberOrExpression>)> = Vec::new();
    match &s.kind {
        StateKind::Task(t) => {
            reference_fields.extend([("TimeoutSecondsPath", &t.timeout_seconds_path), ("HeartbeatSecondsPath", &t.heartbeat_seconds_path)]);
            numeric_fields.extend([("TimeoutSeconds", &t.timeout_seconds), ("HeartbeatSeconds", &t.heartbeat_seconds)]);
            if let Some(c) = &t.credentials {
                template(c, &at.at("Credentials"), out);
            }
        }
        StateKind::Wait(w) => {
            reference_fields.extend([("SecondsPath", &w.seconds_path), ("TimestampPath", &w.timestamp_path)]);
            numeric_fields.push(("Seconds", &w.seconds));
            if let Some(t) = &w.timestamp {
                timestamp(t, at.at("Timestamp"), "Timestamp", out);
            }
        }
        StateKind::Map(m) => {
            reference_fields.extend([
                ("ItemsPath", &m.items_path),
                ("MaxConcurrencyPath", &m.max_concurrency_path),
                ("ToleratedFailureCountPath", &m.tolerated_failure_count_path),
                ("ToleratedFailurePercentagePath", &m.tolerated_failure_percentage_path),
            ]);
            numeric_fields.extend([
                ("MaxConcurrency", &m.max_concurrency),
                ("ToleratedFailureCount", &m.tolerated_failure_count),
                ("ToleratedFailurePercentage", &m.tolerated_failure_percentage),
            ]);
            if let Some(v) = &m.item_selector {
                template(v, &at.at("ItemSelector"), out);
            }
            for (field, value) in [("ItemReader", &m.item_reader), ("ResultWriter", &m.result_writer), ("ItemBatcher", &m.item_batcher)] {
                if let Some(v) = value {
                    map_config(v, &at.at(field), out);
                }
            }
        }
        StateKind::Fail(f) => {
            for (field, value) in [("ErrorPath", &f.error_path), ("CausePath", &f.cause_path)] {
                match value {
                    Some(text) if syntax::is_intrinsic(text) => intrinsic(text, at.at(field), out),
                    Some(text) => reference_path(text, at.at(field), field, out),
                    None => {}
                }
            }
        }
        _ => {}
    }
    for (field, value) in reference_fields {
        if let Some(p) = value {
            reference_path(p, at.at(field), field, out);
        }
    }
    for (field, value) in numeric_fields {
        if let Some(NumberOrExpression::Expression(_)) = value {
            // AWS's words for a string there: "Expected value of type Integer" (measured with
            // ValidateStateMachineDefinition, the cdk-preflight rule pack's numeric ranges).
            report(
                out,
                Code::FieldType,
                at.at(field),
                format!("Expected value of type Integer (`{field}` must be a number in a JSONPath state; use `{field}Path` to read it from the input)"),
            );
        }
    }
}

fn check_jsonata_state(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let s = at.state;
    let d = &s.data;
    for (field, value) in [("Arguments", &d.arguments), ("Output", &d.output), ("Assign", &d.assign)] {
        if let Some(v) = value {
            jsonata_payload(v, &at.at(field), out);
        }
    }
    for (i, c) in s.catch.iter().flatten().enumerate() {
        for (field, value) in [("Output", &c.output), ("Assign", &c.assign)] {
            if let Some(v) = value {
                jsonata_payload(v, &at.at(&format!("Catch/{i}/{field}")), out);
            }
        }
    }
    let mut numeric_fields: Vec<(&str, &Option<NumberOrExpression>)> = Vec::new();
    match &s.kind {
        StateKind::Task(t) => {
            numeric_fields.extend([("TimeoutSeconds", &t.timeout_seconds), ("HeartbeatSeconds", &t.heartbeat_seconds)]);
            if let Some(c) = &t.credentials {
                jsonata_payload(c, &at.at("Credentials"), out);
            }
        }
        StateKind::Pass(p) => {
            if let Some(r) = &p.result {
                jsonata_payload(r, &at.at("Result"), out);
            }
        }
        StateKind::Wait(w) => {
            numeric_fields.push(("Seconds", &w.seconds));
            if let Some(t) = &w.timestamp {
                if is_jsonata_expression(t) {
                    jsonata(t, at.at("Timestamp"), out);
                } else {
                    timestamp(t, at.at("Timestamp"), "Timestamp", out);
                }
            }
        }
        StateKind::Map(m) => {
            numeric_fields.extend([
                ("MaxConcurrency", &m.max_concurrency),
                ("ToleratedFailureCount", &m.tolerated_failure_count),
                ("ToleratedFailurePercentage", &m.tolerated_failure_percentage),
            ]);
            for (field, value) in [("Items", &m.items), ("ItemSelector", &m.item_selector), ("ItemReader", &m.item_reader), ("ResultWriter", &m.result_writer), ("ItemBatcher", &m.item_batcher)] {
                if let Some(v) = value {
                    jsonata_payload(v, &at.at(field), out);
                }
            }
            if let Some(items) = &m.items
                && !matches!(items.value, Value::Array(_) | Value::String(_))
            {
                report(out, Code::FieldType, at.at("Items"), format!("`Items` must be an array or a JSONata expression, not {}", items.kind_name()));
            }
        }
        StateKind::Fail(f) => {
            for (field, value) in [("Error", &f.error), ("Cause", &f.cause)] {
                if let Some(text) = value
                    && text.trim_start().starts_with("{%")
                {
                    jsonata(text, at.at(field), out);
                }
            }
        }
        _ => {}
    }
    for (field, value) in numeric_fields {
        if let Some(NumberOrExpression::Expression(e)) = value {
            jsonata(e, at.at(field), out);
        }
    }
}

/// Query-language and syntax rules on one Choice rule and the rules nested in it.
fn check_rule(rule: &ChoiceRule, pointer: &str, language: QueryLanguage, out: &mut Vec<Diagnostic>) {
    match language {
        QueryLanguage::JsonPath => {
            if let Some(v) = &rule.variable {
                rule_path(v, format!("{pointer}/Variable"), "Variable", out);
            }
            if let Some(a) = &rule.assign {
                template(a, &format!("{pointer}/Assign"), out);
            }
            for key in ["Condition", "Output"] {
                if field_keys(&rule.layout).any(|k| k == key) {
                    wrong_language(language, format!("{pointer}/{key}"), key, out);
                }
            }
        }
        QueryLanguage::Jsonata => {
            if field_keys(&rule.layout).any(|k| k == "Variable") {
                wrong_language(language, format!("{pointer}/Variable"), "Variable", out);
            }
            for (field, value) in [("Assign", &rule.assign), ("Output", &rule.output)] {
                if let Some(v) = value {
                    jsonata_payload(v, &format!("{pointer}/{field}"), out);
                }
            }
        }
    }
    match &rule.test {
        Some(RuleTest::Condition(c)) => {
            if language == QueryLanguage::JsonPath {
                // Reported above as a JSONata field.
            } else {
                jsonata(c, format!("{pointer}/Condition"), out);
            }
        }
        // A literal boolean is a Condition AWS accepts; in a JSONPath state the field was
        // reported above.
        Some(RuleTest::ConstantCondition(_)) => {}
        Some(RuleTest::Compare { operator, operand }) => {
            let p = format!("{pointer}/{}", operator.name());
            if language == QueryLanguage::Jsonata {
                wrong_language(language, p.clone(), operator.name(), out);
            }
            match (operator.operand_kind(), operand) {
                (OperandKind::Path, Operand::Path(path)) => rule_path(path, p, operator.name(), out),
                (OperandKind::Timestamp, Operand::String(t)) => timestamp(t, p, operator.name(), out),
                _ => {}
            }
        }
        Some(RuleTest::And(rules) | RuleTest::Or(rules)) => {
            let name = rule.test.as_ref().map(RuleTest::field_name).unwrap_or("And");
            for (i, r) in rules.iter().enumerate() {
                check_rule(r, &format!("{pointer}/{name}/{i}"), language, out);
            }
        }
        Some(RuleTest::Not(r)) => check_rule(r, &format!("{pointer}/Not"), language, out),
        None => {}
    }
}

#[cfg(test)]
mod map_config_tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::validate_text;

    fn diagnostics(map: &str) -> Vec<(Code, String)> {
        let text = format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", {map}, "ItemProcessor": {{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}}}}}"#
        );
        validate_text(&text).diagnostics.iter().map(|d| (d.code, d.pointer.clone())).collect()
    }

    #[test]
    fn reader_and_batcher_path_fields_are_paths_without_a_dollar_key() {
        // As AWS's ItemReader and ItemBatcher pages write them: no `.$`, no warning.
        let found = diagnostics(
            r#""ItemReader": {"ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.max"}, "Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket.$": "$.bucket", "Key": "k"}},
               "ItemBatcher": {"MaxItemsPerBatchPath": "$.batch", "MaxInputBytesPerBatchPath": "$.bytes", "BatchInput": {"run.$": "$$.Execution.Id"}}"#,
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn a_reader_path_field_that_is_no_path_is_an_error_and_payloads_are_still_linted() {
        let found = diagnostics(
            r#""ItemReader": {"ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.a[?"}, "Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "$.bucket", "Key": "k"}}"#,
        );
        assert!(found.contains(&(Code::JsonPathSyntax, "/States/M/ItemReader/ReaderConfig/MaxItemsPath".into())), "{found:?}");
        assert!(found.contains(&(Code::PathWithoutDollar, "/States/M/ItemReader/Parameters/Bucket".into())), "{found:?}");
    }
}

#[cfg(test)]
mod path_words_tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::errors_of;

    #[test]
    fn paths_and_reference_paths_are_refused_in_aws_words() {
        // A Path (`OutputPath`): "Value must be a valid JSONPath." (cfn-lint#4078).
        let found = errors_of(r#"{"StartAt":"P","States":{"P":{"Type":"Pass","OutputPath":"Test","End":true}}}"#);
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::JsonPathSyntax, "/States/P/OutputPath"), "{found:?}");
        assert!(found[0].2.starts_with("Value must be a valid JSONPath."), "{found:?}");
        // A Choice rule's `Variable` and `...Path` operands, and the reference-path fields, in the
        // words of a reference path without its `$` (cfn-lint#4076).
        let choice = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"States.ArrayLength($.a)","NumericEqualsPath":"b","Next":"S"}],"Default":"S"},"S":{"Type":"Succeed"}}}"#;
        let found = errors_of(choice);
        assert_eq!(found.len(), 2, "{found:?}");
        for (_, pointer, message) in &found {
            assert!(message.starts_with("Value is not a Reference Path: Reference path didn't start with '$'"), "{pointer}: {message}");
        }
        let wait = errors_of(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"s","End":true}}}"#);
        assert!(wait[0].2.starts_with("Value is not a Reference Path: Reference path didn't start with '$'"), "{wait:?}");
        // A reference path that starts with `$` but is not one keeps the general words.
        let deep = errors_of(r#"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$..s","End":true}}}"#);
        assert!(deep[0].2.starts_with("Value is not a Reference Path (`SecondsPath`"), "{deep:?}");
    }
}
