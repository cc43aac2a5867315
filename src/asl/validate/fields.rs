//! Field rules: required fields, mutually exclusive pairs, the Wait duration, `Next` vs `End`,
//! number ranges and enumerations, Choice rule shape, and Retry/Catch shape and order.

use super::{Scope, StateAt, report};
use crate::asl::diag::{Code, Diagnostic};
use crate::asl::json::Number;
use crate::asl::integrations;
use crate::asl::model::*;

/// Rules on a set of states itself: `StartAt`, `States`, `TimeoutSeconds`, `ProcessorConfig`.
pub fn check_machine(scope: &Scope, out: &mut Vec<Diagnostic>) {
    let m = scope.machine;
    let p = &scope.pointer;
    // AWS names every required field that is absent in one diagnostic on the object that lacks
    // them, `States` before `StartAt`: "These fields are required: [States, StartAt]" at "/". The
    // same words for every required field (a Choice rule's `Next`, a catcher's `ErrorEquals`, a
    // Task's `Resource`), ours after them.
    let mut absent = Vec::new();
    if m.states.is_empty() {
        if m.layout.extra("States").is_some() {
            // Wrong type, reported by lowering.
        } else if m.layout.slots.iter().any(|s| matches!(s, Slot::Field("States"))) {
            report(out, Code::EmptyStates, format!("{p}/States"), "`States` needs at least one state");
        } else {
            absent.push("States");
        }
    }
    if m.start_at.is_none() && m.layout.extra("StartAt").is_none() {
        absent.push("StartAt");
    }
    if !absent.is_empty() {
        let why = match absent.as_slice() {
            ["States"] => "`States` holds the states",
            ["StartAt"] => "`StartAt` names the first state",
            _ => "`States` holds the states and `StartAt` names the first",
        };
        report(out, Code::MissingField, p.to_string(), format!("These fields are required: [{}] ({why})", absent.join(", ")));
    }
    if let Some(t) = &m.timeout_seconds {
        integer_within(t, "TimeoutSeconds", &format!("{p}/TimeoutSeconds"), 0, None, out);
    }
    // ASL has one version ("Value should be one of the following: [1.0]", the same rule's
    // measured table of fields).
    if let Some(v) = m.version.as_deref().filter(|v| *v != "1.0") {
        report(out, Code::InvalidValue, format!("{p}/Version"), format!("Value should be one of the following: [1.0] (`Version` is {v:?})"));
    }
    // A value outside its enumeration, in AWS's words for one: "Value should be one of the
    // following: [JSONPath, JSONata]" (measured, `QueryLanguage`), "[STANDARD, EXPRESS]" and
    // "[NONE, FULL]" (a policy-as-code rule quoting CreateStateMachine on `ExecutionType` and
    // `JitterStrategy`, whose other quotes are AWS's measured words: "Value cannot be empty",
    // "States.ALL must appear alone and at end of list", "Field 'Next' is not supported").
    if let Some(config) = &m.processor_config {
        if let Some(mode) = &config.mode
            && !matches!(mode.as_str(), "INLINE" | "DISTRIBUTED")
        {
            report(out, Code::InvalidValue, format!("{p}/ProcessorConfig/Mode"), format!("Value should be one of the following: [INLINE, DISTRIBUTED] (`Mode` is {mode:?})"));
        }
        // "You must provide this field if you specified DISTRIBUTED for the mode sub-field"
        // (AWS's CDK reference on ProcessorConfig); AWS's words for its absence, "These fields
        // are required: [ExecutionType]", as a policy-as-code rule quotes CreateStateMachine.
        if config.mode.as_deref() == Some("DISTRIBUTED") && config.execution_type.is_none() && config.layout.extra("ExecutionType").is_none() {
            report(
                out,
                Code::MissingField,
                format!("{p}/ProcessorConfig"),
                "These fields are required: [ExecutionType] (a Distributed Map runs its iterations as STANDARD or EXPRESS child workflows)",
            );
        }
        if let Some(t) = &config.execution_type
            && !matches!(t.as_str(), "STANDARD" | "EXPRESS")
        {
            report(out, Code::InvalidValue, format!("{p}/ProcessorConfig/ExecutionType"), format!("Value should be one of the following: [STANDARD, EXPRESS] (`ExecutionType` is {t:?})"));
        }
    }
}

/// Whether the state has field `key`: typed in the model, or kept as read because its type was wrong.
/// `Credentials` is `{"RoleArn": ...}` (or `RoleArn.$` in JSONPath states) and nothing else.
fn check_credentials(credentials: &Payload, at: &StateAt, out: &mut Vec<Diagnostic>) {
    let Some(members) = credentials.as_object() else { return };
    for m in members.iter().filter(|m| m.key != "RoleArn" && m.key != "RoleArn.$") {
        let pointer = at.at(&format!("Credentials/{}", crate::asl::json::escape_pointer_token(&m.key)));
        report(out, Code::Credentials, pointer, format!("`Credentials` takes only `RoleArn` (or `RoleArn.$`), not `{}`", m.key));
    }
    if !members.iter().any(|m| m.key == "RoleArn" || m.key == "RoleArn.$") {
        report(out, Code::Credentials, at.at("Credentials"), "The field 'RoleArn' is required but was missing (`Credentials` needs a `RoleArn`: the role the Task assumes)");
    }
}

fn written(at: &StateAt, key: &str) -> bool {
    let s = at.state;
    let typed = match (&s.kind, key) {
        (_, "Next") => s.next.is_some(),
        (_, "Parameters") => s.data.parameters.is_some(),
        (StateKind::Task(t), _) => match key {
            "Resource" => t.resource.is_some(),
            "TimeoutSeconds" => t.timeout_seconds.is_some(),
            "TimeoutSecondsPath" => t.timeout_seconds_path.is_some(),
            "HeartbeatSeconds" => t.heartbeat_seconds.is_some(),
            "HeartbeatSecondsPath" => t.heartbeat_seconds_path.is_some(),
            _ => false,
        },
        (StateKind::Wait(w), _) => match key {
            "Seconds" => w.seconds.is_some(),
            "SecondsPath" => w.seconds_path.is_some(),
            "Timestamp" => w.timestamp.is_some(),
            "TimestampPath" => w.timestamp_path.is_some(),
            _ => false,
        },
        (StateKind::Choice(c), "Choices") => c.choices.is_some(),
        (StateKind::Parallel(p), "Branches") => p.branches.is_some(),
        (StateKind::Map(m), _) => match key {
            "Iterator" => m.iterator.is_some(),
            "ItemProcessor" => m.item_processor.is_some(),
            "ItemSelector" => m.item_selector.is_some(),
            "MaxConcurrency" => m.max_concurrency.is_some(),
            "MaxConcurrencyPath" => m.max_concurrency_path.is_some(),
            "ToleratedFailureCount" => m.tolerated_failure_count.is_some(),
            "ToleratedFailureCountPath" => m.tolerated_failure_count_path.is_some(),
            "ToleratedFailurePercentage" => m.tolerated_failure_percentage.is_some(),
            "ToleratedFailurePercentagePath" => m.tolerated_failure_percentage_path.is_some(),
            "Items" => m.items.is_some(),
            "ItemsPath" => m.items_path.is_some(),
            _ => false,
        },
        (StateKind::Fail(f), _) => match key {
            "Error" => f.error.is_some(),
            "ErrorPath" => f.error_path.is_some(),
            "Cause" => f.cause.is_some(),
            "CausePath" => f.cause_path.is_some(),
            _ => false,
        },
        _ => false,
    };
    typed || s.layout.extra(key).is_some()
}

/// The bounds AWS puts on a count or a number of seconds, measured with
/// ValidateStateMachineDefinition (2026-09-05, the cdk-preflight rule pack's
/// `pf-sfn-asl-numeric-ranges`): a Task's `TimeoutSeconds` and `HeartbeatSeconds` 1 to
/// 99,999,999, a Wait's `Seconds` 0 to 99,999,999, a retrier's `MaxAttempts` 0 to 99,999,999
/// and `MaxDelaySeconds` 1 to 31,622,400; the machine's own `TimeoutSeconds` and a retrier's
/// `IntervalSeconds` accept 0. Where no bound above was measured, none is held.
mod bounds {
    pub const SECONDS_MAX: u64 = 99_999_999;
    pub const MAX_ATTEMPTS_MAX: u64 = 99_999_999;
    pub const MAX_DELAY_SECONDS_MAX: u64 = 31_622_400;
}

/// An integer field within `min..=max`, refused past a bound in AWS's words ("Minimum value is
/// 1", "Maximum value is 99999999"), our explanation after them.
fn integer_within(n: &Number, field: &str, pointer: &str, min: u64, max: Option<u64>, out: &mut Vec<Diagnostic>) {
    let kind = if min == 0 { "a non-negative integer" } else { "a positive integer" };
    match n.as_u64() {
        Some(v) if v < min => report(out, Code::ValueRange, pointer, format!("Minimum value is {min} (`{field}` must be {kind}, not {})", n.text())),
        Some(v) if max.is_some_and(|m| v > m) => {
            let m = max.unwrap_or_default();
            report(out, Code::ValueRange, pointer, format!("Maximum value is {m} (`{field}` is at most {m}, not {})", n.text()));
        }
        Some(_) => {}
        None if n.as_i64().is_some() => report(out, Code::ValueRange, pointer, format!("Minimum value is {min} (`{field}` must be {kind}, not {})", n.text())),
        None => report(out, Code::ValueRange, pointer, format!("`{field}` must be {kind}, not {}", n.text())),
    }
}

/// Rules on one state's fields.
pub fn check_state(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let state = at.state;
    let Some(state_type) = state.kind.state_type() else { return };
    // Exclusive pairs (both written, whatever their types).
    let pairs: &[(&str, &str)] = match state_type {
        StateType::Task => &[("TimeoutSeconds", "TimeoutSecondsPath"), ("HeartbeatSeconds", "HeartbeatSecondsPath")],
        StateType::Map => &[
            ("ItemProcessor", "Iterator"),
            ("Parameters", "ItemSelector"),
            ("MaxConcurrency", "MaxConcurrencyPath"),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
            ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath"),
            ("Items", "ItemsPath"),
        ],
        StateType::Fail => &[("Error", "ErrorPath"), ("Cause", "CausePath")],
        _ => &[],
    };
    // AWS's words for a pair: "There should only be one of the following fields:
    // [TimeoutSeconds, TimeoutSecondsPath]" (a policy-as-code rule quoting CreateStateMachine for
    // these pairs, the field first and its Path after, ItemProcessor before Iterator).
    for (a, b) in pairs {
        if written(at, a) && written(at, b) {
            report(out, Code::ExclusiveFields, at.at(b), format!("There should only be one of the following fields: [{a}, {b}] (`{a}` and `{b}` cannot both be set)"));
        }
    }
    // Next vs End.
    match state_type {
        StateType::Choice | StateType::Succeed | StateType::Fail => {}
        _ => {
            let ends = state.end == Some(true);
            if state.next.is_some() && ends {
                report(out, Code::NextAndEnd, at.at("End"), "a state cannot have both `Next` and `\"End\": true`");
            } else if state.next.is_none() && !ends && !written(at, "Next") {
                report(out, Code::MissingTransition, at.pointer, format!("the {} state `{}` needs `Next` or `\"End\": true`", state_type.name(), at.name));
            }
        }
    }
    match &state.kind {
        StateKind::Task(task) => {
            if task.resource.is_none() && !written(at, "Resource") {
                report(out, Code::MissingField, at.at("Resource"), "These fields are required: [Resource] (a Task needs a `Resource`)");
            }
            if let Some(Err(refused)) = task.resource.as_deref().map(integrations::parse) {
                report(out, Code::UnknownResource, at.at("Resource"), refused.message());
            } else if let Some(resource) = task.resource.as_deref().filter(|r| !resource_may_be_arn(r)) {
                let refused = integrations::ResourceError::NotRecognized { resource: resource.to_string() };
                report(out, Code::UnknownResource, at.at("Resource"), refused.message());
            }
            if let Some(credentials) = &task.credentials {
                check_credentials(credentials, at, out);
            }
            let timeout = task.timeout_seconds.as_ref().and_then(NumberOrExpression::number);
            let heartbeat = task.heartbeat_seconds.as_ref().and_then(NumberOrExpression::number);
            if let Some(t) = timeout {
                integer_within(t, "TimeoutSeconds", &at.at("TimeoutSeconds"), 1, Some(bounds::SECONDS_MAX), out);
            }
            if let Some(h) = heartbeat {
                integer_within(h, "HeartbeatSeconds", &at.at("HeartbeatSeconds"), 1, Some(bounds::SECONDS_MAX), out);
                if let (Some(h), Some(t)) = (h.as_u64(), timeout.and_then(Number::as_u64))
                    && h >= t
                {
                    report(out, Code::ValueRange, at.at("HeartbeatSeconds"), format!("`HeartbeatSeconds` ({h}) must be smaller than `TimeoutSeconds` ({t})"));
                }
            }
        }
        StateKind::Wait(wait) => {
            let count = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].iter().filter(|f| written(at, f)).count();
            if count != 1 {
                // AWS's words for more than one (the same rule's quote).
                let aws = if count > 1 { "There should only be one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp] (" } else { "" };
                let close = if count > 1 { ")" } else { "" };
                report(
                    out,
                    Code::WaitDuration,
                    at.pointer,
                    format!("{aws}a Wait needs exactly one of `Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`; it has {count}{close}"),
                );
            }
            if let Some(NumberOrExpression::Number(n)) = &wait.seconds {
                integer_within(n, "Seconds", &at.at("Seconds"), 0, Some(bounds::SECONDS_MAX), out);
            }
        }
        StateKind::Choice(choice) => match &choice.choices {
            None if !written(at, "Choices") => report(out, Code::MissingField, at.at("Choices"), "These fields are required: [Choices] (a Choice needs `Choices`)"),
            None => {}
            Some(rules) if rules.is_empty() => report(out, Code::EmptyChoices, at.at("Choices"), "Value cannot be empty (`Choices` needs at least one rule)"),
            Some(rules) => {
                for (i, rule) in rules.iter().enumerate() {
                    check_rule(rule, &at.at(&format!("Choices/{i}")), true, at.language, out);
                }
            }
        },
        StateKind::Parallel(p) => match &p.branches {
            None if !written(at, "Branches") => report(out, Code::MissingField, at.at("Branches"), "These fields are required: [Branches] (a Parallel needs `Branches`)"),
            Some(b) if b.is_empty() => report(out, Code::ValueRange, at.at("Branches"), "Value cannot be empty (`Branches` needs at least one branch)"),
            _ => {}
        },
        StateKind::Map(map) => {
            if !written(at, "Iterator") && !written(at, "ItemProcessor") {
                report(
                    out,
                    Code::MissingField,
                    at.at("ItemProcessor"),
                    "This object should have only one of the following fields: [ItemProcessor, Iterator] (a Map needs an `ItemProcessor`)",
                );
            }
            if let Some(NumberOrExpression::Number(n)) = &map.max_concurrency {
                integer_within(n, "MaxConcurrency", &at.at("MaxConcurrency"), 0, None, out);
            }
            if let Some(NumberOrExpression::Number(n)) = &map.tolerated_failure_count {
                integer_within(n, "ToleratedFailureCount", &at.at("ToleratedFailureCount"), 0, None, out);
            }
            if let Some(NumberOrExpression::Number(n)) = &map.tolerated_failure_percentage
                && !(0.0..=100.0).contains(&n.as_f64())
            {
                let bound = if n.as_f64() > 100.0 { "Maximum value is 100" } else { "Minimum value is 0" };
                report(out, Code::ValueRange, at.at("ToleratedFailurePercentage"), format!("{bound} (`ToleratedFailurePercentage` must be between 0 and 100, not {})", n.text()));
            }
            if let Some(reader) = &map.item_reader
                && reader.get("Resource").is_none()
            {
                report(out, Code::MissingField, at.at("ItemReader/Resource"), "These fields are required: [Resource] (an `ItemReader` needs a `Resource`)");
            }
            if let Some(reader) = &map.item_reader {
                check_item_reader(&reader.to_serde(), at, out);
            }
            if let Some(config) = map.processor().and_then(|p| p.processor_config.as_ref())
                && config.mode.as_deref() == Some("INLINE")
                && config.execution_type.is_some()
            {
                let key = if map.item_processor.is_none() { "Iterator" } else { "ItemProcessor" };
                report(
                    out,
                    Code::FieldNotAllowed,
                    at.at(&format!("{key}/ProcessorConfig/ExecutionType")),
                    "Field 'ExecutionType' is not supported (an INLINE Map runs its iterations in this execution; `ExecutionType` is a Distributed Map's)",
                );
            }
            // A Distributed Map's own fields mean nothing to a Map declared INLINE: refused, as
            // running them inline would silently drop them. A Map that declares no mode is
            // another matter: AWS accepts an `ItemReader` there at definition time (measured by
            // the floci emulator's tests against AWS), so no error is raised for it.
            let inline = map.processor().and_then(|p| p.processor_config.as_ref()).and_then(|c| c.mode.as_deref()) == Some("INLINE");
            for (field, present) in [("ItemReader", map.item_reader.is_some()), ("ItemBatcher", map.item_batcher.is_some()), ("ResultWriter", map.result_writer.is_some())] {
                if present && inline {
                    report(out, Code::FieldNotAllowed, at.at(field), format!("`{field}` needs a Distributed Map (`ItemProcessor.ProcessorConfig.Mode`: DISTRIBUTED)"));
                }
            }
            if map.result_writer.as_ref().is_some_and(|w| w.to_serde().as_object().is_some_and(|o| o.is_empty())) {
                report(out, Code::MissingField, at.at("ResultWriter"), "a `ResultWriter` cannot be empty: give it `WriterConfig`, or `Resource` and `Parameters`, or all three");
            }
            if let Some(batcher) = map.item_batcher.as_ref().map(|b| b.to_serde())
                && let Some(object) = batcher.as_object()
                && !["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath"].iter().any(|f| object.contains_key(*f))
            {
                report(out, Code::MissingField, at.at("ItemBatcher"), "an `ItemBatcher` needs `MaxItemsPerBatch` or `MaxInputBytesPerBatch` (or their Path forms)");
            }
        }
        StateKind::Pass(_) | StateKind::Succeed | StateKind::Fail(_) | StateKind::Unrecognized => {}
    }
    if let Some(retriers) = &state.retry {
        check_retriers(retriers, at, out);
    }
    if let Some(catchers) = &state.catch {
        check_catchers(catchers, at, out);
    }
}

/// Checks one Choice rule and, recursively, the rules nested in it.
fn check_rule(rule: &ChoiceRule, pointer: &str, top_level: bool, language: QueryLanguage, out: &mut Vec<Diagnostic>) {
    if top_level && rule.next.is_none() {
        report(out, Code::ChoiceRuleNext, pointer, "These fields are required: [Next] (a top-level Choice rule needs a `Next`)");
    }
    if !top_level && rule.next.is_some() {
        report(out, Code::NestedRuleNext, format!("{pointer}/Next"), "Field 'Next' is not supported (a rule inside `And`, `Or` or `Not` cannot have a `Next`)");
    }
    let extra_tests: Vec<&str> = rule
        .layout
        .slots
        .iter()
        .filter_map(|s| match s {
            Slot::Extra(m) if is_test_field(&m.key) => Some(m.key.as_str()),
            _ => None,
        })
        .collect();
    match (&rule.test, extra_tests.len()) {
        (None, 0) if rule.variable.is_none() => report(
            out,
            Code::ChoiceRuleComparator,
            pointer,
            "The object must have only one of the following fields, [And, Or, Not, Variable, Condition] (a Choice rule needs one comparison: `StringEquals`, `And`, `Condition`...)",
        ),
        (None, 0) => report(out, Code::ChoiceRuleComparator, pointer, "a Choice rule needs one comparison (`StringEquals`, `And`, `Condition`...)"),
        (Some(_), 0) | (None, 1) => {}
        _ => report(
            out,
            Code::ChoiceRuleComparator,
            pointer,
            format!("a Choice rule takes exactly one comparison; this one also has {}", extra_tests.join(", ")),
        ),
    }
    match &rule.test {
        Some(RuleTest::And(rules) | RuleTest::Or(rules)) => {
            let name = rule.test.as_ref().map(RuleTest::field_name).unwrap_or("And");
            if rules.is_empty() {
                report(out, Code::ChoiceRuleComparator, format!("{pointer}/{name}"), format!("`{name}` needs at least one rule"));
            }
            for (i, r) in rules.iter().enumerate() {
                check_rule(r, &format!("{pointer}/{name}/{i}"), false, language, out);
            }
        }
        Some(RuleTest::Not(r)) => check_rule(r, &format!("{pointer}/Not"), false, language, out),
        Some(RuleTest::Compare { .. }) if rule.variable.is_none() && language == QueryLanguage::JsonPath => {
            report(out, Code::MissingField, format!("{pointer}/Variable"), "a comparison needs a `Variable`");
        }
        _ => {}
    }
}

fn covers(earlier: &[String], error: &str) -> bool {
    earlier.iter().any(|e| e == error || (e == "States.ALL" && error != "States.Runtime"))
}

/// `ErrorEquals` rules shared by retriers and catchers, plus the unreachable-entry lint.
fn check_error_lists(lists: &[Option<&Vec<String>>], base: &str, what: &str, out: &mut Vec<Diagnostic>) {
    let mut earlier: Vec<String> = Vec::new();
    for (i, list) in lists.iter().enumerate() {
        let Some(list) = list else {
            report(out, Code::MissingField, format!("{base}/{i}/ErrorEquals"), format!("These fields are required: [ErrorEquals] (a {what} needs `ErrorEquals`)"));
            continue;
        };
        let pointer = format!("{base}/{i}/ErrorEquals");
        if list.is_empty() {
            report(out, Code::EmptyErrorEquals, &pointer, "Value cannot be empty (`ErrorEquals` needs at least one error name)");
            continue;
        }
        if list.iter().any(|e| e == "States.ALL") {
            if list.len() > 1 {
                report(out, Code::StatesAllPosition, &pointer, "States.ALL must appear alone and at end of list (`States.ALL` must be the only error name in its `ErrorEquals`)");
            } else if i + 1 != lists.len() {
                report(out, Code::StatesAllPosition, &pointer, format!("States.ALL must appear alone and at end of list (the {what} with `States.ALL` must be the last one)"));
            }
        }
        if i > 0 && list.iter().all(|e| covers(&earlier, e)) {
            report(
                out,
                Code::UnreachableCatcher,
                &pointer,
                format!("every error this {what} names is already handled by an earlier one, so it never runs"),
            );
        }
        earlier.extend(list.iter().cloned());
    }
}

/// A Distributed Map's `ItemReader` as AWS checks it, in AWS's words (measured with
/// CreateStateMachine, the cdk-preflight rule pack's `pf-sfn-asl-map-distributed`): it reads
/// with S3's `getObject` or `listObjectsV2` ("The field 'Resource' does not match any of the
/// allowed values"); a CSV names where its header is ("The field 'CSVHeaderLocation' is
/// required"), `GIVEN` with the headers given ("These fields are required: [CSVHeaders]"); JSON
/// has no header ("Field 'CSVHeaderLocation' is not supported").
fn check_item_reader(reader: &serde_json::Value, at: &StateAt, out: &mut Vec<Diagnostic>) {
    if let Some(resource) = reader.get("Resource").and_then(serde_json::Value::as_str)
        && !resource.contains("${")
        && !resource.starts_with("{%")
    {
        let parts: Vec<&str> = resource.split(':').collect();
        let s3_read = parts.len() == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "s3" && matches!(parts[6], "getObject" | "listObjectsV2");
        if !s3_read {
            report(
                out,
                Code::InvalidValue,
                at.at("ItemReader/Resource"),
                format!("The field 'Resource' does not match any of the allowed values (an `ItemReader` reads with `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`, not {resource:?})"),
            );
        }
    }
    let Some(config) = reader.get("ReaderConfig").and_then(serde_json::Value::as_object) else { return };
    let input_type = config.get("InputType").and_then(serde_json::Value::as_str);
    let location = config.get("CSVHeaderLocation");
    match input_type {
        Some("CSV") if location.is_none() => report(
            out,
            Code::MissingField,
            at.at("ItemReader/ReaderConfig"),
            "The field 'CSVHeaderLocation' is required (a CSV's `ReaderConfig` says where its header is: FIRST_ROW or GIVEN)",
        ),
        Some("JSON") if location.is_some() => report(
            out,
            Code::FieldNotAllowed,
            at.at("ItemReader/ReaderConfig/CSVHeaderLocation"),
            "Field 'CSVHeaderLocation' is not supported (a JSON file has no header row)",
        ),
        _ => {}
    }
    if location.and_then(serde_json::Value::as_str) == Some("GIVEN") && !config.contains_key("CSVHeaders") {
        report(
            out,
            Code::MissingField,
            at.at("ItemReader/ReaderConfig"),
            "These fields are required: [CSVHeaders] (`CSVHeaderLocation` GIVEN needs the headers in `CSVHeaders`)",
        );
    }
}

fn check_retriers(retriers: &[Retrier], at: &StateAt, out: &mut Vec<Diagnostic>) {
    let base = at.at("Retry");
    check_error_lists(&retriers.iter().map(|r| r.error_equals.as_ref()).collect::<Vec<_>>(), &base, "retrier", out);
    for (i, r) in retriers.iter().enumerate() {
        let p = |f: &str| format!("{base}/{i}/{f}");
        if let Some(n) = &r.interval_seconds {
            integer_within(n, "IntervalSeconds", &p("IntervalSeconds"), 0, None, out);
        }
        if let Some(n) = &r.max_attempts {
            integer_within(n, "MaxAttempts", &p("MaxAttempts"), 0, Some(bounds::MAX_ATTEMPTS_MAX), out);
        }
        if let Some(n) = &r.max_delay_seconds {
            integer_within(n, "MaxDelaySeconds", &p("MaxDelaySeconds"), 1, Some(bounds::MAX_DELAY_SECONDS_MAX), out);
        }
        if let Some(rate) = &r.backoff_rate
            && !(rate.as_f64() >= 1.0)
        {
            report(out, Code::BackoffRate, p("BackoffRate"), format!("`BackoffRate` must be at least 1.0, not {}", rate.text()));
        }
        if let Some(j) = &r.jitter_strategy
            && !matches!(j.as_str(), "FULL" | "NONE")
        {
            report(out, Code::JitterStrategy, p("JitterStrategy"), format!("Value should be one of the following: [NONE, FULL] (`JitterStrategy` is {j:?})"));
        }
    }
}

fn check_catchers(catchers: &[Catcher], at: &StateAt, out: &mut Vec<Diagnostic>) {
    let base = at.at("Catch");
    check_error_lists(&catchers.iter().map(|c| c.error_equals.as_ref()).collect::<Vec<_>>(), &base, "catcher", out);
    for (i, c) in catchers.iter().enumerate() {
        if c.next.is_none() && c.layout.extra("Next").is_none() {
            report(out, Code::MissingField, format!("{base}/{i}/Next"), "These fields are required: [Next] (a catcher needs a `Next`)");
        }
    }
}

/// Whether a Task's `Resource` can be the ARN AWS needs: it is one (`arn:...`), or it is filled
/// in before AWS sees it (a template's `${...}` placeholder), or it is a JSONata expression.
/// Anything else (`"Resource": "MyFunction"`) AWS refuses as not a valid resource ARN.
fn resource_may_be_arn(resource: &str) -> bool {
    resource.starts_with("arn:") || resource.contains("${") || resource.trim_start().starts_with("{%")
}

#[cfg(test)]
mod tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::errors_of as errors;

    #[test]
    fn absent_required_fields_are_named_together_on_their_object_in_aws_words() {
        let both = errors("{}");
        assert_eq!(both.len(), 1, "{both:?}");
        assert_eq!((both[0].0, both[0].1.as_str()), (Code::MissingField, ""));
        assert!(both[0].2.starts_with("These fields are required: [States, StartAt]"), "{both:?}");

        let start = errors(r#"{"States": {"A": {"Type": "Succeed"}}}"#);
        assert!(start.iter().any(|e| e.0 == Code::MissingField && e.2.starts_with("These fields are required: [StartAt]")), "{start:?}");

        // In a Parallel branch, on the branch.
        let branch = errors(r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [{"StartAt": "A"}]}}}"#);
        assert_eq!(branch.len(), 1, "{branch:?}");
        assert_eq!(branch[0].1, "/States/P/Branches/0");
        assert!(branch[0].2.starts_with("These fields are required: [States]"), "{branch:?}");
    }

    #[test]
    fn a_start_at_without_states_is_not_also_an_unknown_target() {
        let found = errors(r#"{"Comment": "x", "StartAt": "State_1"}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].2.starts_with("These fields are required: [States]"), "{found:?}");
    }

    #[test]
    fn a_wait_timestamp_that_is_not_rfc_3339_is_refused_in_aws_words() {
        let found = errors(r#"{"StartAt": "W", "States": {"W": {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "End": true}}}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::TimestampFormat, "/States/W/Timestamp"));
        assert!(found[0].2.starts_with("String does not match RFC3339 timestamp: "), "{found:?}");
    }

    #[test]
    fn an_empty_definition_is_refused_in_aws_words() {
        let found = errors("  ");
        assert!(found[0].2.starts_with("Definition must be a valid JSON object"), "{found:?}");
    }
}

#[cfg(test)]
mod inline_map_tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::validate_text;

    fn map_errors(mode: &str) -> Vec<(Code, String)> {
        let config = match mode {
            "" => String::new(),
            // A Distributed Map names its children's execution type (AWS requires it).
            "DISTRIBUTED" => r#""ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "#.to_string(),
            _ => format!(r#""ProcessorConfig": {{"Mode": "{mode}"}}, "#),
        };
        let text = format!(
            r#"{{"StartAt": "M", "States": {{"M": {{"Type": "Map", "ItemReader": {{"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {{"InputType": "JSON"}}, "Parameters": {{"Bucket": "b", "Key": "k"}}}}, "ItemProcessor": {{{config}"StartAt": "P", "States": {{"P": {{"Type": "Pass", "End": true}}}}}}, "End": true}}}}}}"#
        );
        validate_text(&text).errors().map(|d| (d.code, d.pointer.clone())).collect()
    }

    #[test]
    fn an_item_reader_is_refused_on_a_map_declared_inline_only() {
        assert_eq!(map_errors("INLINE"), vec![(Code::FieldNotAllowed, "/States/M/ItemReader".to_string())]);
        assert_eq!(map_errors(""), vec![], "AWS accepts it on a Map that declares no mode");
        assert_eq!(map_errors("DISTRIBUTED"), vec![]);
    }

    #[test]
    fn a_distributed_map_without_its_execution_type_is_refused_in_aws_words() {
        let text = r#"{"StartAt": "M", "States": {"M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}}"#;
        let found: Vec<(Code, String, String)> = validate_text(text).errors().map(|d| (d.code, d.pointer.clone(), d.message.clone())).collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::MissingField, "/States/M/ItemProcessor/ProcessorConfig"));
        assert!(found[0].2.starts_with("These fields are required: [ExecutionType]"), "{found:?}");
    }
}
