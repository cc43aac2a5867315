//! The input a workflow reads: a skeleton execution input built from the paths its states read
//! while they still see the execution's input, so a new or imported document starts with a
//! scenario that names every field the flow needs (`$.detail.executionArn` gives
//! `{"detail": {"executionArn": "..."}}`).
//!
//! Which states see the input: the start state does; a state passes what it saw on to its
//! successors (Next, Choice rules and Default, and Catch with a `ResultPath` that keeps the
//! input) unless its output replaces it: a `ResultPath` of `$` (a Task's, Map's or Parallel's
//! default, a Pass with `Result` or `Parameters`), an `OutputPath` other than `$`, or an
//! `InputPath` that narrows it. Fields a state writes with its `ResultPath` are the flow's own,
//! never asked of the input. Map iterations read their items, not the input (only the Map's
//! `ItemsPath` counts); Parallel branches read the Parallel's input.
//!
//! The value of a field follows how it is read: a number for numeric comparisons and
//! `SecondsPath`, a boolean for `BooleanEquals`, a timestamp for timestamp comparisons and
//! `TimestampPath`, an array for `ItemsPath`, else `"..."`.

use serde_json::{Map, Value};

use crate::asl::intrinsic;
use crate::asl::path::JsonPath;
use crate::asl::path::{Root, Segment, Selector};

/// What a read field should hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Boolean,
    Timestamp,
    List,
}

impl Kind {
    fn example(self) -> Value {
        match self {
            Kind::Text => Value::String("...".into()),
            Kind::Number => Value::from(1),
            Kind::Boolean => Value::Bool(true),
            Kind::Timestamp => Value::String("2026-01-01T00:00:00Z".into()),
            Kind::List => Value::Array(Vec::new()),
        }
    }
}

/// One step of a simple path: a member or an index.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Member(String),
    Index(usize),
}

/// The steps of a path over the input (`$.a.b[0]['c d']`), read by the language's own parser, up
/// to the first step that is not a plain member or index (a wildcard, a filter, a slice); `None`
/// for `$$` (the context object), a variable, or what is not a path.
fn steps(path: &str) -> Option<Vec<Step>> {
    let path = JsonPath::parse(path.trim()).ok()?;
    steps_of(&path)
}

fn steps_of(path: &JsonPath) -> Option<Vec<Step>> {
    if *path.root() != Root::Input {
        return None;
    }
    Some(
        path.segments()
            .iter()
            .map_while(|segment| match segment {
                Segment::Child(Selector::Name(name)) => Some(Step::Member(name.clone())),
                Segment::Child(Selector::Index(i)) => usize::try_from(*i).ok().map(Step::Index),
                _ => None,
            })
            .collect(),
    )
}

/// The paths a string reads: the string itself when it is a path, the path arguments of an
/// intrinsic function call (`States.Format('{}', $.order.id)`, nested calls too).
fn paths_in(text: &str) -> Vec<JsonPath> {
    fn args(call: &intrinsic::Call, out: &mut Vec<JsonPath>) {
        for arg in &call.args {
            match arg {
                intrinsic::Arg::Path(p) => out.push(p.clone()),
                intrinsic::Arg::Call(c) => args(c, out),
                intrinsic::Arg::Literal(_) | intrinsic::Arg::String(_) => {}
            }
        }
    }
    let t = text.trim();
    let mut out = Vec::new();
    if intrinsic::is_intrinsic(t) {
        if let Ok(call) = intrinsic::parse(t) {
            args(&call, &mut out);
        }
    } else if let Ok(p) = JsonPath::parse(t) {
        out.push(p);
    }
    out
}

/// The `$states.input.a.b` reads of a JSONata expression, as JSONPath text (`$.a.b`).
fn jsonata_reads(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("$states.input") {
        rest = &rest[at + "$states.input".len()..];
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
        let tail = rest[..end].trim_end_matches('.');
        if !tail.is_empty() {
            out.push(format!("${tail}"));
        }
    }
    out
}

/// The `$name.a.b` reads of a text (a JSONata expression or a JSONPath), as JSONPath text
/// (`$.a.b`); nothing for `$name` read whole, `$names` or the function `$name(`.
fn variable_reads(text: &str, name: &str) -> Vec<String> {
    let token = format!("${name}");
    let mut out = Vec::new();
    for (at, _) in text.match_indices(&token) {
        let rest = &text[at + token.len()..];
        if !rest.starts_with('.') {
            continue;
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).unwrap_or(rest.len());
        let tail = rest[..end].trim_end_matches('.');
        if !tail.is_empty() {
            out.push(format!("${tail}"));
        }
    }
    out
}

/// Every string of a JSON value, at any depth.
fn strings<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::Object(m) => m.values().for_each(|v| strings(v, out)),
        Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        Value::String(s) => out.push(s),
        _ => {}
    }
}

/// Collects what a state reads from the data it receives.
struct Reads {
    fields: Vec<(Vec<Step>, Kind)>,
    /// Variables assigned a part of the data a state receives (`"ticket": "{% $states.input.ticket %}"`,
    /// `"ticket.$": "$.ticket"`): what later states read of them (`$ticket.id`) is read of the input.
    variables: Vec<(String, Vec<Step>)>,
}

impl Reads {
    fn path(&mut self, text: &str, kind: Kind) {
        for p in paths_in(text) {
            if let Some(steps) = steps_of(&p).filter(|s| !s.is_empty()) {
                self.fields.push((steps, kind));
            }
        }
    }

    /// Every `.$` value of a payload template, every `{% %}` expression in any string.
    fn template(&mut self, value: &Value) {
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    match v {
                        Value::String(s) if k.ends_with(".$") => self.path(s, Kind::Text),
                        _ => self.template(v),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| self.template(v)),
            Value::String(s) if s.contains("{%") => {
                for p in jsonata_reads(s) {
                    self.path(&p, Kind::Text);
                }
            }
            _ => {}
        }
    }

    /// A Choice rule: its Variable with the kind its operator implies, `…Path` operands, and
    /// the nested rules of And, Or, Not.
    fn rule(&mut self, rule: &Value) {
        let Some(m) = rule.as_object() else { return };
        for nested in ["And", "Or"] {
            if let Some(Value::Array(rules)) = m.get(nested) {
                rules.iter().for_each(|r| self.rule(r));
            }
        }
        if let Some(r) = m.get("Not") {
            self.rule(r);
        }
        if let Some(Value::String(c)) = m.get("Condition") {
            for p in jsonata_reads(c) {
                self.path(&p, Kind::Text);
            }
        }
        let kind = m
            .keys()
            .find_map(|k| {
                let op = k.strip_suffix("Path").unwrap_or(k);
                if op.starts_with("Numeric") || op == "IsNumeric" {
                    Some(Kind::Number)
                } else if op.starts_with("Boolean") || op == "IsBoolean" {
                    Some(Kind::Boolean)
                } else if op.starts_with("Timestamp") || op == "IsTimestamp" {
                    Some(Kind::Timestamp)
                } else if op.starts_with("String") || op == "IsString" {
                    Some(Kind::Text)
                } else {
                    None
                }
            })
            .unwrap_or(Kind::Text);
        if let Some(Value::String(v)) = m.get("Variable") {
            self.path(v, kind);
        }
        for (k, v) in m {
            if k.ends_with("Path") && k != "Variable" {
                if let Value::String(s) = v {
                    self.path(s, kind);
                }
            }
        }
    }

    /// What `state` reads from its input (before its InputPath narrows it, only InputPath
    /// itself; after, everything else, prefixed by InputPath's steps).
    fn state(&mut self, state: &Map<String, Value>) {
        let narrowed = state.get("InputPath").and_then(Value::as_str).and_then(steps).unwrap_or_default();
        let mut inner = Reads { fields: Vec::new(), variables: Vec::new() };
        for key in ["Parameters", "Arguments", "ItemSelector", "Output", "Assign"] {
            if let Some(v) = state.get(key) {
                inner.template(v);
            }
        }
        for (key, kind) in [
            ("ItemsPath", Kind::List),
            ("SecondsPath", Kind::Number),
            ("TimestampPath", Kind::Timestamp),
            ("ErrorPath", Kind::Text),
            ("CausePath", Kind::Text),
            ("HeartbeatSecondsPath", Kind::Number),
            ("TimeoutSecondsPath", Kind::Number),
        ] {
            if let Some(Value::String(p)) = state.get(key) {
                inner.path(p, kind);
            }
        }
        if let Some(Value::String(items)) = state.get("Items") {
            for p in jsonata_reads(items) {
                inner.path(&p, Kind::List);
            }
        }
        if let Some(Value::Array(rules)) = state.get("Choices") {
            rules.iter().for_each(|r| inner.rule(r));
        }
        for (key, value) in state.get("Assign").and_then(Value::as_object).into_iter().flatten() {
            let Some(text) = value.as_str() else { continue };
            let (name, path) = match key.strip_suffix(".$") {
                Some(name) => (name, Some(text.trim().to_string())),
                None => {
                    let expression = text.trim().strip_prefix("{%").and_then(|t| t.strip_suffix("%}")).map(str::trim);
                    let whole = expression.filter(|e| e.starts_with("$states.input") && jsonata_reads(e).first().is_some_and(|r| r.len() + "$states.input".len() - 1 == e.len()));
                    (key.as_str(), whole.and_then(|e| jsonata_reads(e).into_iter().next()))
                }
            };
            if let Some(steps) = path.as_deref().and_then(steps) {
                self.variables.push((name.to_string(), [narrowed.clone(), steps].concat()));
            }
        }
        if !narrowed.is_empty() {
            self.fields.push((narrowed.clone(), Kind::Text));
        }
        for (steps, kind) in inner.fields {
            let mut full = narrowed.clone();
            full.extend(steps);
            self.fields.push((full, kind));
        }
    }
}

/// Whether the output of `state` still holds the data it received (so its successors see the
/// execution's input when it did).
fn keeps_input(state: &Map<String, Value>) -> bool {
    let kind = state.get("Type").and_then(Value::as_str).unwrap_or("");
    let path_is_root = |key: &str| matches!(state.get(key), Some(Value::String(p)) if p.trim() == "$");
    if state.contains_key("Output") {
        return false; // JSONata: the output is whatever Output says
    }
    if state.get("InputPath").is_some_and(|p| p.as_str().is_none_or(|p| p.trim() != "$")) {
        return false;
    }
    if state.get("OutputPath").is_some_and(|p| p.as_str().is_none_or(|p| p.trim() != "$")) {
        return false;
    }
    let produces = match kind {
        "Task" | "Map" | "Parallel" => true,
        "Pass" => state.contains_key("Result") || state.contains_key("Parameters"),
        _ => false,
    };
    if !produces {
        return true;
    }
    match state.get("ResultPath") {
        None => false,
        Some(Value::Null) => true,
        Some(_) => !path_is_root("ResultPath"),
    }
}

/// The first member a `ResultPath` writes (`$.result.x` writes `result`).
fn written(state: &Map<String, Value>) -> Option<String> {
    match steps(state.get("ResultPath")?.as_str()?)?.first()? {
        Step::Member(m) => Some(m.clone()),
        Step::Index(_) => None,
    }
}

/// What the states of one machine (`{"StartAt", "States"}`) read of the input they receive.
fn machine_reads(machine: &Map<String, Value>, reads: &mut Reads, flow_writes: &mut Vec<String>) {
    let Some(Value::Object(states)) = machine.get("States") else { return };
    let Some(start) = machine.get("StartAt").and_then(Value::as_str) else { return };
    let mut seen: Vec<&str> = Vec::new();
    let mut queue = vec![start];
    while let Some(name) = queue.pop() {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        let Some(Value::Object(state)) = states.get(name) else { continue };
        reads.state(state);
        if let Some(w) = written(state) {
            flow_writes.push(w);
        }
        for branch in state.get("Branches").and_then(Value::as_array).into_iter().flatten() {
            if let Some(b) = branch.as_object() {
                machine_reads(b, reads, flow_writes);
            }
        }
        let mut next: Vec<&str> = Vec::new();
        if keeps_input(state) {
            next.extend(state.get("Next").and_then(Value::as_str));
            next.extend(state.get("Default").and_then(Value::as_str));
            for rule in state.get("Choices").and_then(Value::as_array).into_iter().flatten() {
                next.extend(rule.get("Next").and_then(Value::as_str));
            }
        }
        for catcher in state.get("Catch").and_then(Value::as_array).into_iter().flatten() {
            let keeps = match catcher.get("ResultPath") {
                Some(Value::Null) => true,
                Some(Value::String(p)) => p.trim() != "$",
                _ => false,
            };
            if keeps {
                next.extend(catcher.get("Next").and_then(Value::as_str));
            }
        }
        queue.extend(next.into_iter().rev());
    }
}

/// The skeleton input of a definition (its JSON value): every field read from the execution's
/// input, nested as read, with an example value of the kind it is read as. `{}` when the flow
/// reads nothing of its input.
pub fn skeleton(definition: &Value) -> Value {
    let mut out = Value::Object(Map::new());
    let Some(machine) = definition.as_object() else { return out };
    let mut reads = Reads { fields: Vec::new(), variables: Vec::new() };
    let mut writes = Vec::new();
    machine_reads(machine, &mut reads, &mut writes);
    // What any state reads of a variable that holds part of the input.
    let mut texts = Vec::new();
    strings(definition, &mut texts);
    for (name, base) in std::mem::take(&mut reads.variables) {
        for text in &texts {
            for tail in variable_reads(text, &name) {
                if let Some(steps) = steps(&tail) {
                    reads.fields.push(([base.clone(), steps].concat(), Kind::Text));
                }
            }
        }
    }
    for (steps, kind) in reads.fields {
        if matches!(steps.first(), Some(Step::Member(m)) if writes.contains(m)) {
            continue;
        }
        insert(&mut out, &steps, kind);
    }
    out
}

/// Puts an example of `kind` at `steps` inside `value`, keeping what is there (a field read
/// both as a whole and by its members becomes an object).
fn insert(value: &mut Value, steps: &[Step], kind: Kind) {
    let Some((first, rest)) = steps.split_first() else { return };
    match first {
        Step::Member(name) => {
            if !value.is_object() {
                *value = Value::Object(Map::new());
            }
            let map = value.as_object_mut().expect("an object");
            if rest.is_empty() {
                map.entry(name.clone()).or_insert_with(|| kind.example());
            } else {
                let slot = map.entry(name.clone()).or_insert(Value::Null);
                if !(slot.is_object() || slot.is_array()) {
                    *slot = Value::Null;
                }
                insert(slot, rest, kind);
            }
        }
        Step::Index(i) => {
            if !value.is_array() {
                *value = Value::Array(Vec::new());
            }
            let items = value.as_array_mut().expect("an array");
            let i = (*i).min(9);
            while items.len() <= i {
                items.push(Value::Null);
            }
            if rest.is_empty() {
                if items[i].is_null() {
                    items[i] = kind.example();
                }
            } else {
                insert(&mut items[i], rest, kind);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn gives(definition: Value, want: Value) {
        assert_eq!(skeleton(&definition), want, "{definition:#}");
    }

    #[test]
    fn a_path_read_by_the_start_state_becomes_a_field() {
        gives(
            json!({"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"Payload": {"arn.$": "$.detail.executionArn", "ctx.$": "$$.Execution.Id"}}, "End": true}}}),
            json!({"detail": {"executionArn": "..."}}),
        );
    }

    #[test]
    fn choice_operators_give_the_kind_of_value() {
        gives(
            json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
                {"And": [{"Variable": "$.amount", "NumericGreaterThan": 100}, {"Variable": "$.vip", "BooleanEquals": true}], "Next": "W"},
                {"Variable": "$.at", "TimestampLessThanPath": "$.deadline", "Next": "W"}], "Default": "W"},
                "W": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "M"},
                "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "InputPath": "$.ignored", "End": true}}}, "End": true}}}),
            json!({"amount": 1, "vip": true, "at": "2026-01-01T00:00:00Z", "deadline": "2026-01-01T00:00:00Z", "delay": 1, "items": []}),
        );
    }

    #[test]
    fn a_state_whose_result_replaces_the_input_hides_it_from_its_successors() {
        gives(
            json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket.$": "$.bucket", "Key.$": "States.Format('{}/{}', $.prefix, $.name)"}, "Next": "U"},
                "U": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket.$": "$.Body"}, "End": true}}}),
            json!({"bucket": "...", "prefix": "...", "name": "..."}),
        );
    }

    #[test]
    fn fields_the_flow_writes_are_not_asked_of_the_input() {
        gives(
            json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$.order"}, "ResultPath": "$.validation", "Next": "C"},
                "C": {"Type": "Choice", "Choices": [{"Variable": "$.validation.ok", "BooleanEquals": true, "Next": "P"}], "Default": "P"},
                "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"x.$": "$.customer.email"}, "End": true}}}], "End": true}}}),
            json!({"order": "...", "customer": {"email": "..."}}),
        );
    }

    #[test]
    fn jsonata_reads_of_states_input_count() {
        gives(
            json!({"QueryLanguage": "JSONata", "StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Arguments": {"Message": "{% $states.input.order.id & ' ' & $states.input.note %}"}, "End": true}}}),
            json!({"order": {"id": "..."}, "note": "..."}),
        );
    }

    #[test]
    fn input_path_prefixes_what_the_state_reads_and_catchers_that_keep_the_input_pass_it_on() {
        gives(
            json!({"StartAt": "T", "States": {
                "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.request", "Parameters": {"Payload.$": "$.body"},
                      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "F"}], "End": true},
                "F": {"Type": "Fail", "CausePath": "$.request.id"}}}),
            json!({"request": {"body": "...", "id": "..."}}),
        );
    }

    #[test]
    fn paths_are_read_with_brackets_and_indexes_and_odd_input_changes_nothing() {
        assert_eq!(steps("$.a['b c'][2].d"), Some(vec![Step::Member("a".into()), Step::Member("b c".into()), Step::Index(2), Step::Member("d".into())]));
        assert_eq!(steps("$.a[*].b"), Some(vec![Step::Member("a".into())]));
        assert_eq!(steps("$$.Execution.Id"), None);
        assert_eq!(steps("$"), Some(vec![]));
        gives(json!([1, 2]), json!({}));
        gives(json!({"StartAt": "X", "States": {"X": "not a state"}}), json!({}));
        gives(json!({"StartAt": "L", "States": {"L": {"Type": "Pass", "Next": "L"}}}), json!({}));
    }

    #[test]
    fn what_later_states_read_of_a_variable_assigned_from_the_input_is_read_of_the_input() {
        gives(
            json!({"QueryLanguage": "JSONata", "StartAt": "Detect", "States": {
                "Detect": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:comprehend:detectDominantLanguage",
                    "Arguments": {"Text": "{% $states.input.ticket.body %}"}, "Assign": {"ticket": "{% $states.input.ticket %}", "tickets": "{% $states.input.all %}"}, "Next": "Record"},
                "Record": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
                    "Arguments": {"Key": {"id": {"S": "{% $ticket.id %}"}}, "Other": "{% $tickets %}"}, "End": true}}}),
            json!({"ticket": {"body": "...", "id": "..."}, "all": "..."}),
        );
        gives(
            json!({"StartAt": "Keep", "States": {
                "Keep": {"Type": "Pass", "Assign": {"order.$": "$.order"}, "Next": "Use"},
                "Use": {"Type": "Pass", "Parameters": {"id.$": "$order.id"}, "End": true}}}),
            json!({"order": {"id": "..."}}),
        );
    }

    #[test]
    fn the_seed_reads_nothing_by_path() {
        // ValidateInput's Lambda takes the whole input; CheckValidation's `$.isValid` reads its
        // result, not the order.
        let seed: Value = serde_json::from_str(crate::seed::ORDER_WORKFLOW).unwrap();
        assert_eq!(skeleton(&seed), json!({}));
    }
}
