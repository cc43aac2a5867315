//! Where a value a state reads comes from, traced back through a run: from the state's input to
//! the output of the visit before it, through that state's `OutputPath`, `ResultPath` (or its
//! catcher's), `ResultSelector`, `Parameters` and `InputPath`, a Map's items and `ItemSelector`,
//! a Parallel's branches, JSONata `Output` templates, and `Assign`ed variables, until it reaches
//! the execution's input or what a Task's handler returned (for a Lambda function, its payload).
//! The generator puts a wanted value there: into the input, or into a Task's static answer.
//! A constant (`Result`, a template's literal), the context object, an error placed by a catcher,
//! or a Map's or Parallel's array of results is where a trace stops: no handler choice sets it.

use serde_json::Value;

use super::graph::{self, Graph, StateInfo};
use super::paths::{self, Step};
use crate::sim::run::{RunModel, StateStatus};

/// Where a value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// The execution's input, at this path.
    Input(Vec<Step>),
    /// What the Task's handler returns (for a Lambda function, the function's payload), at this path.
    TaskResult { state: String, path: Vec<Step> },
}

/// The first step of a path that reads a variable instead of the input: `$name.x` is read as
/// `[VARIABLES, name, x]` ([`paths::reference`]).
pub const VARIABLES: &str = "\u{0}variables";

/// How many states back a trace goes before it gives up (a long loop).
const MAX_HOPS: usize = 400;

/// Where the value at `path` in the input of `run.visits[visit]` comes from (`path` may start
/// with [`VARIABLES`]: a variable the state reads).
pub fn trace(graph: &Graph, run: &RunModel, visit: usize, path: &[Step]) -> Option<Origin> {
    Tracer { graph, run, hops: 0 }.input(visit, path.to_vec())
}

struct Tracer<'a> {
    graph: &'a Graph,
    run: &'a RunModel,
    hops: usize,
}

/// What a template (a `Parameters`, `ResultSelector`, `ItemSelector`, an `Assign` value, a JSONata
/// `Output`) takes a path of its value from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Source {
    /// `$` of the template (JSONPath), at this path.
    Dollar(Vec<Step>),
    /// `$$.Map.Item.Value`, at this path.
    MapItem(Vec<Step>),
    /// `$states.input` (JSONata), at this path.
    StatesInput(Vec<Step>),
    /// `$states.result` (JSONata), at this path.
    StatesResult(Vec<Step>),
    /// A variable, at this path.
    Variable(String, Vec<Step>),
}

impl Tracer<'_> {
    fn hop(&mut self) -> Option<()> {
        self.hops += 1;
        (self.hops <= MAX_HOPS).then_some(())
    }

    fn state(&self, visit: usize) -> Option<&StateInfo> {
        self.graph.state(&self.run.visits.get(visit)?.state)
    }

    /// The value at `path` in the raw input of visit `visit`.
    fn input(&mut self, visit: usize, path: Vec<Step>) -> Option<Origin> {
        self.hop()?;
        if let Some((Step::Member(m), rest)) = path.split_first()
            && m == VARIABLES
        {
            let (Step::Member(name), rest) = rest.split_first()? else { return None };
            return self.variable(visit, name, rest.to_vec());
        }
        let here = &self.run.visits[visit];
        let state = self.graph.state(&here.state)?;
        // The visit before: the latest whose output is this input (or that a catcher left, which
        // records no output), from a state with an edge here.
        let before = (0..visit).rev().find(|&j| {
            let v = &self.run.visits[j];
            let handed_on = v.output.as_deref() == Some(&*here.input) || (v.status == StateStatus::Caught && v.output.is_none());
            handed_on && self.graph.edges.iter().any(|e| *e.from == *v.state && e.to == state.name)
        });
        if let Some(j) = before {
            return self.output(j, path);
        }
        let scope = self.graph.scopes.get(state.scope)?;
        if scope.start != state.name {
            return None;
        }
        let Some(owner) = scope.owner.as_deref() else { return Some(Origin::Input(path)) };
        let j = (0..visit).rev().find(|&j| *self.run.visits[j].state == *owner)?;
        let owner = self.graph.state(owner)?;
        match owner.kind.as_str() {
            "Map" => self.map_item(j, owner, path),
            _ if owner.jsonata => match owner.json.get("Arguments") {
                None => self.input(j, path),
                Some(template) => self.through_template(j, template, &path, true),
            },
            _ => self.effective_input(j, owner, path),
        }
    }

    /// The value at `path` in the effective input of a JSONPath state (`InputPath`, then
    /// `Parameters`).
    fn effective_input(&mut self, visit: usize, state: &StateInfo, path: Vec<Step>) -> Option<Origin> {
        let input_path = input_path(state)?;
        match state.json.get("Parameters") {
            Some(template) => match invert_template(template, &path, false)? {
                Source::Dollar(p) => self.input(visit, [input_path, p].concat()),
                Source::Variable(name, p) => self.variable(visit, &name, p),
                _ => None,
            },
            None => self.input(visit, [input_path, path].concat()),
        }
    }

    /// An iteration's input: the Map's item (the first: one iteration reaching a state is
    /// enough), through its `ItemSelector`.
    fn map_item(&mut self, visit: usize, map: &StateInfo, path: Vec<Step>) -> Option<Origin> {
        let selector = map.json.get("ItemSelector").or_else(|| map.json.get("Parameters"));
        let item = match selector {
            Some(template) => match invert_template(template, &path, map.jsonata)? {
                Source::MapItem(p) => p,
                Source::Dollar(p) | Source::StatesInput(p) => {
                    return if map.jsonata { self.input(visit, p) } else { self.input(visit, [input_path(map)?, p].concat()) };
                }
                Source::Variable(name, p) => return self.variable(visit, &name, p),
                Source::StatesResult(_) => return None,
            },
            None => path,
        };
        let items = if map.jsonata {
            match map.json.get("Items") {
                Some(Value::String(text)) => jsonata_source(text, &[])?,
                _ => return None,
            }
        } else {
            let items_path = match map.json.get("ItemsPath") {
                Some(Value::String(p)) => paths::steps(p)?,
                Some(_) => return None,
                None => Vec::new(),
            };
            Source::Dollar([input_path(map)?, items_path].concat())
        };
        let first = |p: Vec<Step>| [p, vec![Step::Index(0)], item.clone()].concat();
        match items {
            Source::Dollar(p) | Source::StatesInput(p) => self.input(visit, first(p)),
            Source::Variable(name, p) => self.variable(visit, &name, first(p)),
            _ => None,
        }
    }

    /// The value at `path` in the output of visit `visit`.
    fn output(&mut self, visit: usize, path: Vec<Step>) -> Option<Origin> {
        self.hop()?;
        let state = self.state(visit)?;
        let v = &self.run.visits[visit];
        if v.status == StateStatus::Caught {
            // The input with the error placed at the catcher's ResultPath.
            let error = v.error.as_ref().and_then(|(e, _)| e.clone()).unwrap_or_default();
            let catchers = state.json.get("Catch").and_then(Value::as_array).cloned().unwrap_or_default();
            let lists = graph::error_lists(&state.json, "Catch");
            let i = lists.iter().position(|l| graph::caught_by(l, &error, state.kind == "Task"))?;
            if state.jsonata {
                return match catchers[i].get("Output") {
                    None => self.input(visit, path),
                    Some(template) => self.through_template(visit, template, &path, true),
                };
            }
            return match catchers[i].get("ResultPath") {
                Some(Value::Null) => self.input(visit, path),
                Some(Value::String(p)) => {
                    let at = paths::steps(p)?;
                    if path.starts_with(&at) { None } else { self.input(visit, path) }
                }
                _ => None,
            };
        }
        if state.jsonata {
            let state = state.clone();
            return match state.json.get("Output") {
                Some(template) => self.through_template(visit, template, &path, true),
                None if matches!(state.kind.as_str(), "Task" | "Map" | "Parallel") => self.result(visit, &state, path),
                None => self.input(visit, path),
            };
        }
        let state = state.clone();
        let path = match state.json.get("OutputPath") {
            Some(Value::String(p)) => [paths::steps(p)?, path].concat(),
            Some(_) => return None,
            None => path,
        };
        match state.kind.as_str() {
            "Task" | "Map" | "Parallel" | "Pass" => {
                let result_path = match state.json.get("ResultPath") {
                    Some(Value::Null) => return self.input(visit, path),
                    Some(Value::String(p)) => paths::steps(p)?,
                    Some(_) => return None,
                    None => Vec::new(),
                };
                if path.starts_with(&result_path) {
                    self.result(visit, &state, path[result_path.len()..].to_vec())
                } else {
                    self.input(visit, path)
                }
            }
            _ => self.input(visit, [input_path(&state)?, path].concat()),
        }
    }

    /// The value at `path` in a state's result (after its `ResultSelector`, for JSONPath).
    fn result(&mut self, visit: usize, state: &StateInfo, path: Vec<Step>) -> Option<Origin> {
        match state.kind.as_str() {
            "Pass" if state.json.contains_key("Result") => None,
            "Pass" => self.effective_input(visit, state, path),
            "Task" => {
                let raw = match state.json.get("ResultSelector").filter(|_| !state.jsonata) {
                    Some(template) => match invert_template(template, &path, false)? {
                        Source::Dollar(p) => p,
                        Source::Variable(name, p) => return self.variable(visit, &name, p),
                        _ => return None,
                    },
                    None => path,
                };
                handler_path(state, raw).map(|path| Origin::TaskResult { state: state.name.clone(), path })
            }
            _ => None,
        }
    }

    /// JSONata `Output` (or a catcher's, or `Arguments`): the value at `path` of what the template
    /// gives, for the state at `visit`.
    fn through_template(&mut self, visit: usize, template: &Value, path: &[Step], jsonata: bool) -> Option<Origin> {
        let state = self.state(visit)?.clone();
        match invert_template(template, path, jsonata)? {
            Source::StatesInput(p) => self.input(visit, p),
            Source::StatesResult(p) => self.result(visit, &state, p),
            Source::Variable(name, p) => self.variable(visit, &name, p),
            Source::Dollar(_) | Source::MapItem(_) => None,
        }
    }

    /// The value at `path` of the variable `name` as the state at `visit` reads it: what the last
    /// state before it that assigned the variable assigned.
    fn variable(&mut self, visit: usize, name: &str, path: Vec<Step>) -> Option<Origin> {
        self.hop()?;
        let (j, state, template) = (0..visit).rev().find_map(|j| {
            let v = &self.run.visits[j];
            let state = self.graph.state(&v.state)?;
            let assign = state.json.get("Assign")?.as_object()?;
            let template = assign.get(name).map(|t| (t.clone(), false)).or_else(|| assign.get(&format!("{name}.$")).map(|t| (t.clone(), true)))?;
            (v.output.is_some() || v.status == StateStatus::Succeeded).then(|| (j, state.clone(), template))
        })?;
        let (template, is_path) = template;
        let source = if is_path {
            let text = template.as_str()?;
            dollar_source(text, &path)?
        } else {
            invert_template(&template, &path, state.jsonata)?
        };
        let results = matches!(state.kind.as_str(), "Task" | "Map" | "Parallel");
        match source {
            // JSONPath: `$` of an Assign is the state's result after its ResultSelector, or the
            // effective input of a state without a result.
            Source::Dollar(p) if results => match state.kind.as_str() {
                "Task" => self.result(j, &state, p),
                _ => None,
            },
            Source::Dollar(p) => match state.kind.as_str() {
                "Pass" if state.json.contains_key("Result") => None,
                "Pass" => self.effective_input(j, &state, p),
                _ => self.input(j, [input_path(&state)?, p].concat()),
            },
            Source::StatesInput(p) => self.input(j, p),
            Source::StatesResult(p) => self.result(j, &state, p),
            Source::Variable(other, p) => self.variable(j, &other, p),
            Source::MapItem(_) => None,
        }
    }
}

/// A JSONPath state's `InputPath` as steps (`None`: `null` or not a simple path).
fn input_path(state: &StateInfo) -> Option<Vec<Step>> {
    match state.json.get("InputPath") {
        Some(Value::String(p)) => paths::steps(p),
        Some(_) => None,
        None => Some(Vec::new()),
    }
}

/// The path in what a Task's handler returns: a `lambda:invoke`'s result is the handler's
/// answer under `Payload` (its `StatusCode` and headers are the service's, no handler sets them).
/// A callback's result (`lambda:invoke.waitForTaskToken` too) is the output SendTaskSuccess
/// sends, whole.
fn handler_path(task: &StateInfo, raw: Vec<Step>) -> Option<Vec<Step>> {
    let resource = task.json.get("Resource").and_then(Value::as_str).unwrap_or_default();
    let invoke = resource.starts_with("arn:aws:states:::lambda:invoke") && !resource.ends_with(".waitForTaskToken");
    if !invoke {
        return Some(raw);
    }
    match raw.split_first() {
        Some((Step::Member(m), rest)) if m == "Payload" => Some(rest.to_vec()),
        _ => None,
    }
}

/// Where a template's value at `path` comes from: the field `path` goes down (`"k.$": "$.x"`
/// gives `$.x` and the rest of the path; `"k": {...}` goes on inside; a literal stops), or a
/// JSONata expression that is a plain path (`{% $states.result.Payload.status %}`).
fn invert_template(template: &Value, path: &[Step], jsonata: bool) -> Option<Source> {
    if let Value::String(text) = template
        && jsonata
    {
        return jsonata_source(text, path);
    }
    let (Step::Member(key), rest) = path.split_first()? else { return None };
    let fields = template.as_object()?;
    if !jsonata && let Some(Value::String(reference)) = fields.get(&format!("{key}.$")) {
        return dollar_source(reference, rest);
    }
    invert_template(fields.get(key)?, rest, jsonata)
}

/// A JSONPath reference (`$.a`, `$$.Map.Item.Value.b`, `$name.c`) followed by `rest`.
fn dollar_source(reference: &str, rest: &[Step]) -> Option<Source> {
    if let Some(steps) = paths::steps(reference) {
        return Some(Source::Dollar([steps, rest.to_vec()].concat()));
    }
    if let Some(item) = reference.trim().strip_prefix("$$.Map.Item.Value") {
        let steps = paths::steps(&format!("${item}"))?;
        return Some(Source::MapItem([steps, rest.to_vec()].concat()));
    }
    match paths::reference(reference)?.split_first()? {
        (Step::Member(m), after) if m == VARIABLES => {
            let (Step::Member(name), p) = after.split_first()? else { return None };
            Some(Source::Variable(name.clone(), [p.to_vec(), rest.to_vec()].concat()))
        }
        _ => None,
    }
}

/// A JSONata template string that is one plain path: `{% $states.input.a.b %}`,
/// `{% $states.result.c %}`, `{% $name.d %}`, followed by `rest`.
fn jsonata_source(text: &str, rest: &[Step]) -> Option<Source> {
    let mut expression = crate::asl::jsonata::expression_text(text.trim())?.trim();
    // A string or number passed through a function that keeps a value already in its form
    // (`$uppercase($trim($states.result.text))` gives `OUTAGE` for `OUTAGE`): traced through it;
    // running the scenario tells whether the value came out as wanted.
    while rest.is_empty()
        && let Some(inner) = ["$trim(", "$uppercase(", "$lowercase(", "$string(", "$number("].iter().find_map(|f| expression.strip_prefix(f)?.strip_suffix(')'))
    {
        expression = inner.trim();
    }
    let (root, after) = match expression.strip_prefix("$states.") {
        Some(s) => {
            let (name, after) = s.split_at(s.find('.').unwrap_or(s.len()));
            (format!("$states.{name}"), after)
        }
        None => {
            let s = expression.strip_prefix('$')?;
            let end = s.find('.').unwrap_or(s.len());
            (format!("${}", &s[..end]), &s[end..])
        }
    };
    let mut steps = Vec::new();
    for segment in after.split('.').skip(1) {
        // `content[0]`: a member, then an index.
        let (name, index) = match segment.split_once('[') {
            Some((name, index)) => (name, Some(index.strip_suffix(']')?.parse::<usize>().ok()?)),
            None => (segment, None),
        };
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        steps.push(Step::Member(name.to_string()));
        steps.extend(index.map(Step::Index));
    }
    if after.is_empty() {
        // no steps
    } else if !after.starts_with('.') {
        return None;
    }
    steps.extend_from_slice(rest);
    match root.as_str() {
        "$states.input" => Some(Source::StatesInput(steps)),
        "$states.result" => Some(Source::StatesResult(steps)),
        r if r.starts_with("$states") || r == "$" || r == "$$" => None,
        r => Some(Source::Variable(r[1..].to_string(), steps)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::batch::Simulator;
    use crate::sim::handler::HandlerSet;
    use serde_json::json;

    /// Traces `path` read by the (first visit of the) state `at` in a run of `definition` on
    /// `input`, every Task answering `answer`.
    fn traced(definition: Value, input: Value, at: &str, path: &str) -> Option<Origin> {
        traced_with(definition, input, json!({}), at, path)
    }

    fn traced_with(definition: Value, input: Value, answer: Value, at: &str, path: &str) -> Option<Origin> {
        use crate::sim::handler::{HandlerChoice, HandlerSpec};
        let graph = Graph::of(&definition);
        let handlers: HandlerSet = graph
            .states
            .iter()
            .filter(|s| s.kind == "Task")
            .map(|s| (s.name.clone(), HandlerSpec { choice: HandlerChoice::Static { json: answer.to_string() }, latency_ms: 0 }))
            .collect();
        let run = Simulator::new(&definition.to_string(), &handlers).unwrap().run_quiet(input, 0);
        let visit = run.visits.iter().position(|v| &*v.state == at).unwrap_or_else(|| panic!("{at} not visited: {:?}", run.visits));
        trace(&graph, &run, visit, &paths::reference(path).unwrap())
    }

    fn steps(p: &str) -> Vec<Step> {
        paths::steps(p).unwrap()
    }

    fn task(name: &str) -> impl Fn(&str) -> Option<Origin> {
        let name = name.to_string();
        move |p| Some(Origin::TaskResult { state: name.clone(), path: steps(p) })
    }

    const FN: &str = "arn:aws:lambda:us-east-1:123456789012:function:F";

    #[test]
    fn a_legacy_lambda_result_replaces_the_input() {
        let d = json!({"StartAt": "Get", "States": {
            "Get": {"Type": "Task", "Resource": FN, "Next": "Wait"},
            "Wait": {"Type": "Wait", "Seconds": 1, "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Variable": "$.status", "StringEquals": "FAILED", "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        assert_eq!(traced(d, json!({}), "Is", "$.status"), task("Get")("$.status"));
    }

    #[test]
    fn result_path_result_selector_and_output_path_are_taken_back() {
        let d = json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": FN},
                "ResultSelector": {"check.$": "$.Payload.verdict", "code.$": "$.StatusCode"}, "ResultPath": "$.out", "OutputPath": "$.out", "Next": "Pass"},
            "Pass": {"Type": "Pass", "Parameters": {"v.$": "$.check.level", "k": {"x.$": "$.code"}}, "ResultPath": "$.p", "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Variable": "$.p.v", "NumericGreaterThan": 3, "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        let answer = json!({"verdict": {"level": 1}});
        assert_eq!(traced_with(d.clone(), json!({}), answer.clone(), "Is", "$.p.v"), task("Call")("$.verdict.level"));
        // The service's StatusCode is no handler's to set, through a template or beside it.
        assert_eq!(traced_with(d.clone(), json!({}), answer.clone(), "Is", "$.p.k.x"), None);
        assert_eq!(traced_with(d, json!({}), answer, "Is", "$.code"), None);
    }

    #[test]
    fn a_callback_s_result_is_what_send_task_success_sent_whole() {
        use crate::sim::handler::{CallbackAnswer, HandlerChoice, HandlerSpec};
        // As published (security-incident-response): a Lambda asked through
        // `lambda:invoke.waitForTaskToken`, its callback's output read with no `Payload` around it.
        let d = json!({"StartAt": "Ask", "States": {
            "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {"FunctionName": FN, "Payload": {"token.$": "$$.Task.Token"}}, "ResultPath": "$.answer", "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Variable": "$.answer.action", "StringEquals": "allow", "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        let answered = HandlerSpec { choice: HandlerChoice::Callback { answer: Some(CallbackAnswer::Success { output: r#"{"action": "deny"}"#.into() }) }, latency_ms: 0 };
        let handlers: HandlerSet = [("Ask".to_string(), answered)].into_iter().collect();
        let run = Simulator::new(&d.to_string(), &handlers).unwrap().run_quiet(json!({}), 0);
        let visit = run.visits.iter().position(|v| &*v.state == "Is").unwrap_or_else(|| panic!("Is not visited: {:?}", run.visits));
        assert_eq!(trace(&Graph::of(&d), &run, visit, &paths::reference("$.answer.action").unwrap()), task("Ask")("$.action"));
    }

    #[test]
    fn a_field_beside_the_result_path_comes_from_the_input() {
        let d = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FN, "ResultPath": "$.r", "Next": "Is"},
            "Is": {"Type": "Choice", "InputPath": "$.order", "Choices": [{"Variable": "$.total", "NumericGreaterThan": 3, "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        assert_eq!(traced(d.clone(), json!({"order": {"total": 1}}), "Is", "$.order.total"), Some(Origin::Input(steps("$.order.total"))));
        assert_eq!(traced(d, json!({"order": {}}), "Is", "$.r.ok"), task("T")("$.ok"));
    }

    #[test]
    fn variables_map_items_and_parallel_branches_are_followed() {
        let d = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FN, "Assign": {"risk.$": "$.score"}, "ResultPath": null, "Next": "M"},
            "M": {"Type": "Map", "ItemsPath": "$.items", "ItemSelector": {"sku.$": "$$.Map.Item.Value.id", "limit.$": "$.limit"}, "ResultPath": "$.mapped",
                "ItemProcessor": {"StartAt": "In", "States": {
                    "In": {"Type": "Choice", "Choices": [{"Variable": "$.sku", "StringEquals": "a", "Next": "Ok"}, {"Variable": "$risk", "NumericGreaterThan": 5, "Next": "Ok"}], "Default": "Ok"},
                    "Ok": {"Type": "Succeed"}}}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [{"StartAt": "B", "States": {
                "B": {"Type": "Choice", "Choices": [{"Variable": "$.limit", "NumericGreaterThan": 1, "Next": "BOk"}], "Default": "BOk"},
                "BOk": {"Type": "Succeed"}}}], "End": true}}});
        let input = json!({"items": [{"id": "x"}], "limit": 1, "score": 1});
        assert_eq!(traced_with(d.clone(), input.clone(), json!({"score": 1}), "In", "$.sku"), Some(Origin::Input(steps("$.items[0].id"))));
        assert_eq!(traced_with(d.clone(), input.clone(), json!({"score": 1}), "In", "$.limit"), Some(Origin::Input(steps("$.limit"))));
        assert_eq!(traced_with(d.clone(), input.clone(), json!({"score": 1}), "In", "$risk"), task("T")("$.score"));
        assert_eq!(traced_with(d, input, json!({"score": 1}), "B", "$.limit"), Some(Origin::Input(steps("$.limit"))));
    }

    #[test]
    fn jsonata_outputs_and_assignments_are_followed() {
        let d = json!({"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": FN},
                "Output": {"state": "{% $states.result.Payload.status %}", "keep": "{% $states.input.keep %}"},
                "Assign": {"tries": "{% $states.result.Payload.tries %}"}, "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.state = 'DONE' and $tries < 3 %}", "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        let answer = json!({"status": {"code": "x"}, "tries": 1});
        assert_eq!(traced_with(d.clone(), json!({"keep": 1}), answer.clone(), "Is", "$.state.code"), task("Call")("$.status.code"));
        assert_eq!(traced_with(d.clone(), json!({"keep": 1}), answer.clone(), "Is", "$.keep"), Some(Origin::Input(steps("$.keep"))));
        assert_eq!(traced_with(d, json!({"keep": 1}), answer, "Is", "$tries"), task("Call")("$.tries"));
    }

    #[test]
    fn jsonata_paths_with_indices_and_plain_string_functions_are_followed() {
        assert_eq!(
            jsonata_source("{% $uppercase($trim($states.result.Body.content[0].text)) %}", &[]),
            Some(Source::StatesResult(vec![Step::Member("Body".into()), Step::Member("content".into()), Step::Index(0), Step::Member("text".into())]))
        );
        // A field of what a function gives is not a field of its argument.
        assert_eq!(jsonata_source("{% $string($states.input.a) %}", &[Step::Member("b".into())]), None);
        assert_eq!(jsonata_source("{% $states.input.a[x] %}", &[]), None);
    }

    #[test]
    fn a_caught_state_hands_its_input_on() {
        let d = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FN, "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "Is"}], "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Variable": "$.s", "NumericEquals": 1, "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        use crate::sim::handler::{HandlerChoice, HandlerSpec};
        let graph = Graph::of(&d);
        let handlers: HandlerSet = [("T".to_string(), HandlerSpec { choice: HandlerChoice::Throw { error: "X".into(), cause: String::new() }, latency_ms: 0 })].into();
        let run = Simulator::new(&d.to_string(), &handlers).unwrap().run_quiet(json!({"s": 0}), 0);
        let at = run.visits.iter().position(|v| &*v.state == "Is").unwrap();
        assert_eq!(trace(&graph, &run, at, &steps("$.s")), Some(Origin::Input(steps("$.s"))));
    }

    #[test]
    fn constants_and_caught_errors_stop_a_trace() {
        let d = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": FN, "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Is"}], "Next": "C"},
            "C": {"Type": "Pass", "Result": {"s": 1}, "Next": "Is"},
            "Is": {"Type": "Choice", "Choices": [{"Variable": "$.s", "NumericEquals": 1, "Next": "Done"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        assert_eq!(traced(d, json!({}), "Is", "$.s"), None);
    }
}
