//! What a workflow reads from a Task's result, read from the definition: the shape the default
//! answer of a function nobody simulates takes, and the status a polled service reports.
//!
//! A Lambda function's result cannot be known, so its default answer is its payload back. But
//! the workflow says what it expects from it: a `ResultSelector` reads `$.Payload.status`, a
//! Choice after the state compares `$.check.status` with `"CONFIRMED"`, a later state reads
//! `$.check.bookingId`. An echo lacks those fields and the run dies on "Invalid path" at the
//! first Choice, which no real run would. The rule ([`expectations`]):
//!
//! 1. The raw result's reads: each path a `ResultSelector` reads; without one, each path under
//!    the state's `ResultPath` that the states after it read (the next state when the result
//!    replaces the whole input; every state of the same scope when it is placed at `$.x`):
//!    Choice variables and `...Path` operands, `.$` fields, `InputPath`/`OutputPath`/`ItemsPath`
//!    and the paths inside intrinsic calls. Read back through the selector to the raw result.
//!    JSONata states: the `$states.result.a.b` paths of `Output` and `Assign`; then, through
//!    what those make of the result (the output when `Output` is absent or places result paths,
//!    the variables `Assign` sets from result paths), the `$states.input.a` reads of the next
//!    state (and where a Choice there leads) and the `$var.a` reads of the scope's states.
//! 2. Values, where a Choice decides: the branch that does the most before it ends well. Of the
//!    Choice's rules and its Default, those from which a Succeed state or an End is reachable
//!    by `Next`, Choice and Default edges without passing a Fail state and without coming back
//!    to the Task (a polling loop's "not yet"); of those, the one whose nearest good end is the
//!    furthest (the main line, not a skip or a manual fallback); the first of equals. The rules
//!    before it are made false and that rule true, with the values the suite generator's
//!    `synth` finds; a branch taken by Default makes every rule false. A value the answer already
//!    holds there (a function echoing its request) stays when it gives those comparisons the
//!    outcome wanted: the answer does not rewrite a request's `TemplateURL` to steer a rule it
//!    already steers. A `...Path` comparison with a field the function was given
//!    (`$.file.details.next.end` below `$.values.fileSize`) is decided against that field's
//!    value in the request. A Choice right after a Pass that reshapes the result decides on it
//!    too, read back through the Pass's `Parameters`.
//! 3. Every other read gets a value its name suggests ([`value_for_name`]), but what the
//!    definition says of it wins: a field put into a DynamoDB `N` is a number, a Wait's
//!    `TimestampPath` a timestamp in the past, an inline Map's items objects with the fields its
//!    `ItemSelector` (or first state) reads, and a read through a state that hands its input on
//!    (a Wait, a Choice, a bare Pass) is read under its `InputPath`/`OutputPath`.
//! 4. A JSONata filter comparing a list element's member with a literal
//!    (`$states.result.Blocks[BlockType='QUERY'].Query`) keeps an element of its own: the first
//!    filter on a list element 0, the next element 1, with that member set to the literal (in a
//!    service's answer too, where the example has a value of that kind there), and what is read
//!    of the kept elements under it.
//! 5. A path the workflow parses with `States.StringToJson` (an API Gateway or Lambda proxy's
//!    `body`, in a `ResultSelector` or a later state's `Parameters`) holds JSON text: the text of
//!    what the reads under the parsed value want (`"{}"` when nothing is read under it).
//!
//! A function's answer ([`Expectation::shape_payload`]) is its payload with these values put
//! in; a service's answer ([`Expectation::shape_service`]) only has the status it reports set
//! to the value the chosen branch waits for (`StackStatus` `UPDATE_COMPLETE`), where the
//! catalogue's example has a string there, the members the filters keep elements by, and no
//! element the chosen branch needs absent (`ModerationLabels[0]` `IsPresent` leading elsewhere:
//! the list ends before it): a service's answer keeps the API's shape.
//!
//! A Choice's branch is weighed by the transitions to its nearest good end, a Parallel or Map
//! on the way counting the work inside it (its longest branch, its processor): the main line is
//! the Parallel of detections, not the notification beside it.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::suite::paths::{self, Step};
use crate::asl::interp::literal_comparison_holds;
use crate::asl::model::ComparisonOperator as Op;
use crate::catalogue::example::ReadStep;
use super::suite::synth;

/// What the workflow reads from one Task's raw result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expectation {
    pub reads: Vec<Read>,
    /// Paths the workflow parses with `States.StringToJson` (an API Gateway or Lambda proxy's
    /// `body`): the answer holds JSON text there, the text of what the reads under it want.
    pub json_texts: Vec<Vec<Step>>,
}

/// One path read from a result, with the value a Choice wants there (`None`: any value, one its
/// name suggests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub steps: Vec<Step>,
    pub value: Option<Value>,
    /// Whether the value makes the rule of the chosen branch hold (`"StringEquals": "COMPLETE"`),
    /// rather than an earlier rule fail (`"FAILED-other"`): only such a value is a status a
    /// service reports.
    pub awaited: bool,
    /// Whether the chosen branch needs the path absent (`"IsPresent": true` leading back into a
    /// pagination loop: the answer that moves on has no `NextToken`).
    pub absent: bool,
    /// Whether the value is what a JSONata filter keeps an element by (`Blocks[BlockType =
    /// 'QUERY']`): a service's answer then holds an element the filter keeps.
    pub selects: bool,
    /// The comparisons of the Choice rules the value was made for, each with the outcome the
    /// chosen branch needs of it: a value the payload already holds there that gives every one
    /// of them that outcome stays (a request's `TemplateURL` already fails `StringEquals ""`,
    /// so the answer does not rewrite it `"-other"`). Empty: the value is always put in.
    pub keeps: Vec<Leaf>,
    /// For a `...Path` comparison whose other side is not in the result
    /// (`$.file.details.next.end` `NumericLessThanPath` `$.values.fileSize`): the other side's
    /// name, and the comparison the value must give the outcome wanted. The payload's own value
    /// of that name (the `fileSize` the function was given) is what it is compared with, so the
    /// value is chosen against it rather than against a made-up one.
    pub against: Option<Against>,
}

/// The other side of a `...Path` comparison, by its last name, with the plain comparison
/// (`NumericLessThan`) and the outcome wanted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Against {
    pub name: String,
    pub operator: Op,
    pub want: bool,
}

/// One comparison of a Choice rule with a literal operand (`"StringEquals": ""`), and whether
/// the chosen branch needs it to hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub operator: Op,
    pub operand: Value,
    pub want: bool,
}

impl Eq for Leaf {}

impl Leaf {
    /// Whether `value` (the field, `None` when absent) gives this comparison the outcome wanted.
    fn kept_by(&self, value: Option<&Value>) -> bool {
        literal_comparison_holds(self.operator, value, &self.operand) == Some(self.want)
    }
}

/// A value a Choice needs at a path (`None`: the path absent), whether it is the value the
/// chosen rule waits for (`awaited`), and the comparisons it was made for ([`Read::keeps`]).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted {
    steps: Vec<Step>,
    value: Option<Value>,
    awaited: bool,
    keeps: Vec<Leaf>,
    against: Option<Against>,
}

impl Expectation {
    pub fn is_empty(&self) -> bool {
        self.reads.is_empty() && self.json_texts.is_empty()
    }

    fn add_json_text(&mut self, steps: Vec<Step>) {
        if !steps.is_empty() && !self.json_texts.contains(&steps) {
            self.json_texts.push(steps);
        }
    }

    /// A function's default answer: `payload` with every read put in: a Choice's value always,
    /// any other read only where the payload has nothing.
    /// A path parsed by `States.StringToJson` holds JSON text: the reads under it go into the
    /// value the text holds, written back as text (`"{}"` when nothing is read under it).
    pub fn shape_payload(&self, mut payload: Value) -> Value {
        // The deepest first, so that a text inside a text is written before the outer one.
        let mut texts: Vec<&Vec<Step>> = self.json_texts.iter().collect();
        texts.sort_by_key(|t| std::cmp::Reverse(t.len()));
        for steps in texts.iter().rev() {
            if let Some(parsed) = paths::get(&payload, steps).and_then(Value::as_str).and_then(|t| serde_json::from_str::<Value>(t).ok()) {
                paths::set(&mut payload, steps, Some(parsed));
            }
        }
        payload = self.put_reads(payload);
        for steps in texts {
            let text = match paths::get(&payload, steps) {
                Some(value @ (Value::Object(_) | Value::Array(_))) => value.to_string(),
                _ => "{}".to_string(),
            };
            paths::set(&mut payload, steps, Some(Value::String(text)));
        }
        payload
    }

    fn put_reads(&self, mut payload: Value) -> Value {
        // A read the payload lacks takes the payload's own top-level value of that name, when it
        // has one (a validator asked about `{"email": ...}` answers `body.email` with it), else
        // one its name suggests.
        let given = payload.clone();
        for Read { steps, value, absent, keeps, against, .. } in &self.reads {
            if *absent {
                paths::set(&mut payload, steps, None);
                continue;
            }
            // A `...Path` comparison with a field of the request: chosen against its value.
            let value = &against
                .as_ref()
                .and_then(|a| given.get(&a.name).filter(|v| !v.is_object() && !v.is_array()).and_then(|other| synth::value_against(a.operator, other, a.want)))
                .or_else(|| value.clone());
            match value {
                // The payload's own value stays where it already takes the branch chosen.
                Some(_) if !keeps.is_empty() && paths::get(&payload, steps).is_some_and(|v| keeps.iter().all(|k| k.kept_by(Some(v)))) => {}
                Some(v) => paths::set(&mut payload, steps, Some(v.clone())),
                None if paths::get(&payload, steps).is_none() => {
                    let name = steps.iter().rev().find_map(|s| match s {
                        Step::Member(m) => Some(m.as_str()),
                        Step::Index(_) => None,
                    });
                    let own = name.and_then(|n| given.get(n)).filter(|v| !v.is_object() && !v.is_array() && !v.is_null()).cloned();
                    let value = match steps.last() {
                        // An element of a list the workflow iterates, nothing read under it: a
                        // record (a processor's `ResultPath: $.error` needs an object to write in).
                        Some(Step::Index(_)) => json!({}),
                        _ => own.unwrap_or_else(|| value_for_name(name.unwrap_or("value"))),
                    };
                    paths::set(&mut payload, steps, Some(value));
                }
                None => {}
            }
        }
        payload
    }

    /// A service's default answer: an element the chosen branch needs absent is not there (the
    /// list ends before it); the status members a Choice waits on take its value, where
    /// the answer has a string there; a member the workflow reads as a number takes the value it
    /// was given, where the answer has a number there: the one of the branch that moves on where
    /// a Choice decides on it (a run's `FailedActions` compared with 0), else 1 (a number put
    /// into a DynamoDB `N`). Either way the answer keeps the API's shape.
    pub fn shape_service(&self, mut response: Value) -> Value {
        for Read { steps, value, awaited, selects, absent, .. } in &self.reads {
            // An element the chosen branch needs absent (`ModerationLabels[0]` `IsPresent`
            // leading to the moderators): the list ends before it.
            if *absent {
                if let Some((Step::Index(i), list)) = steps.split_last()
                    && let Some(Value::Array(items)) = paths::get(&response, list)
                    && items.len() > *i
                {
                    let kept = Value::Array(items[..*i].to_vec());
                    paths::set(&mut response, list, Some(kept));
                }
                continue;
            }
            match (value, steps.last()) {
                // The member a filter keeps an element by, where the answer has a value of
                // the same kind there (an enum's string, a number).
                (Some(wanted), Some(Step::Member(_))) if *selects => {
                    let same_kind = |v: &Value| (v.is_string() && wanted.is_string()) || (v.is_number() && wanted.is_number());
                    if paths::get(&response, steps).is_some_and(same_kind) {
                        paths::set(&mut response, steps, Some(wanted.clone()));
                    }
                }
                (Some(Value::String(wanted)), Some(Step::Member(member))) if *awaited => {
                    let reports_status = ["Status", "State", "Health"].iter().any(|s| member.ends_with(s));
                    if reports_status && paths::get(&response, steps).is_some_and(Value::is_string) {
                        paths::set(&mut response, steps, Some(Value::String(wanted.clone())));
                    }
                }
                (Some(number @ Value::Number(_)), Some(Step::Member(_))) if paths::get(&response, steps).is_some_and(Value::is_number) => {
                    paths::set(&mut response, steps, Some(number.clone()));
                }
                _ => {}
            }
        }
        response
    }

    fn add(&mut self, steps: Vec<Step>, value: Option<Value>, awaited: bool) {
        if let Some(at) = self.reads.iter().position(|r| r.steps == steps) {
            if value.is_some() {
                self.reads[at].value = value;
                self.reads[at].awaited = awaited;
                self.reads[at].absent = false;
                self.reads[at].keeps = Vec::new();
                self.reads[at].against = None;
            }
        } else {
            self.reads.push(Read { steps, value, awaited, absent: false, selects: false, keeps: Vec::new(), against: None });
        }
    }

    /// A read through a JSONata filter (`$states.result.Blocks[BlockType='QUERY'].Query`): an
    /// element of the list of its own (the first filter on a list keeps element 0, the next
    /// another filter's element 1, ...) with the member the filter compares set to its literal,
    /// and what is read of the kept elements under it.
    fn add_filtered(&mut self, read: synth::FilteredRead) {
        let synth::FilteredRead { list, member, value, rest } = read;
        let element = |index: usize| [list.as_slice(), &[Step::Index(index)]].concat();
        let taken = self.reads.iter().filter(|r| r.selects && r.steps.len() == list.len() + 2 && r.steps.starts_with(&list)).count();
        let same = self.reads.iter().find(|r| r.selects && r.steps.starts_with(&list) && r.steps.len() == list.len() + 2 && r.steps[list.len() + 1] == Step::Member(member.clone()) && r.value.as_ref() == Some(&value));
        let index = match same.map(|r| &r.steps[list.len()]) {
            Some(Step::Index(i)) => *i,
            _ => taken,
        };
        let selector = [element(index), vec![Step::Member(member)]].concat();
        if !self.reads.iter().any(|r| r.steps == selector) {
            self.reads.push(Read { steps: selector, value: Some(value), awaited: false, absent: false, selects: true, keeps: Vec::new(), against: None });
        }
        if !rest.is_empty() {
            self.add([element(index), rest].concat(), None, false);
        }
    }

    /// A Choice's value (`Some`), or its need for the path to be absent (`None`), at `steps`
    /// (the wanted value's path, read back to the raw result).
    fn add_choice(&mut self, steps: Vec<Step>, wanted: Wanted) {
        let Wanted { value, awaited, keeps, against, .. } = wanted;
        match value {
            Some(value) => {
                self.add(steps.clone(), Some(value), awaited);
                if let Some(read) = self.reads.iter_mut().find(|r| r.steps == steps) {
                    read.keeps = keeps;
                    read.against = against;
                }
            }
            None => match self.reads.iter().position(|r| r.steps == steps) {
                Some(at) => {
                    self.reads[at].value = None;
                    self.reads[at].absent = true;
                    self.reads[at].keeps = Vec::new();
                    self.reads[at].against = None;
                }
                None => self.reads.push(Read { steps, value: None, awaited, absent: true, selects: false, keeps: Vec::new(), against: None }),
            },
        }
    }

    /// The paths a service's example answer must hold ([`crate::catalogue::example::example_reading`]):
    /// every read but those the chosen branch needs absent.
    pub fn service_reads(&self) -> Vec<Vec<ReadStep>> {
        let step = |s: &Step| match s {
            Step::Member(m) => ReadStep::Member(m.clone()),
            Step::Index(i) => ReadStep::Index(*i),
        };
        self.reads.iter().filter(|r| !r.absent && !paths::is_variable(&r.steps)).map(|r| r.steps.iter().map(step).collect()).collect()
    }

    /// The reads under `prefix`, relative to it (`Payload` of `lambda:invoke`'s envelope).
    pub fn under(&self, prefix: &Step) -> Expectation {
        let prefix = std::slice::from_ref(prefix);
        let reads = self.reads.iter().filter_map(|r| r.steps.strip_prefix(prefix).map(|rest| Read { steps: rest.to_vec(), ..r.clone() })).collect();
        let json_texts = self.json_texts.iter().filter_map(|t| t.strip_prefix(prefix)).filter(|t| !t.is_empty()).map(<[Step]>::to_vec).collect();
        Expectation { reads, json_texts }
    }
}

/// A value for a field nobody describes, from its name: counts and amounts a number, `is...`
/// and `has...` a boolean, lists of things a list of one name, anything else a string.
pub fn value_for_name(name: &str) -> Value {
    const NUMBERS: &[&str] = &["count", "total", "amount", "score", "size", "rate", "number", "seconds", "minutes", "days", "nights", "quantity", "qty", "price", "confidence", "percent", "version"];
    const LISTS: &[&str] = &["Ids", "Items", "List", "Keys", "Records", "Results", "Entries", "Lines", "Names", "Urls", "Files", "Objects", "Tags", "Labels"];
    let lower = name.to_ascii_lowercase();
    let boolean = ["is", "has", "should", "can"]
        .iter()
        .any(|p| name.strip_prefix(p).is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase())));
    if boolean {
        json!(true)
    } else if NUMBERS.iter().any(|n| lower.ends_with(n)) {
        json!(1)
    } else if LISTS.iter().any(|l| name.ends_with(l)) {
        json!([format!("{}-1", name.trim_end_matches('s'))])
    } else {
        Value::String(format!("{name}-1"))
    }
}

/// The expectation of every Task state of `definition` (a state machine's JSON), by state name;
/// Tasks whose result nothing reads are left out.
pub fn expectations(definition: &Value) -> BTreeMap<String, Expectation> {
    let mut out = BTreeMap::new();
    let language = definition.get("QueryLanguage").and_then(Value::as_str).unwrap_or("JSONPath");
    scope(definition, language, &mut out);
    out
}

/// The states of one scope (the top level, a branch, a Map's processor), then the scopes inside.
fn scope(container: &Value, language: &str, out: &mut BTreeMap<String, Expectation>) {
    let Some(states) = container.get("States").and_then(Value::as_object) else { return };
    for (name, state) in states {
        let language = state.get("QueryLanguage").and_then(Value::as_str).unwrap_or(language);
        for branch in state.get("Branches").and_then(Value::as_array).into_iter().flatten() {
            scope(branch, language, out);
        }
        if let Some(processor) = state.get("ItemProcessor").or_else(|| state.get("Iterator")) {
            scope(processor, language, out);
        }
        if state.get("Type").and_then(Value::as_str) != Some("Task") {
            continue;
        }
        let expectation = if language == "JSONata" { jsonata_task(name, state, states) } else { jsonpath_task(name, state, states) };
        if !expectation.is_empty() {
            out.insert(name.clone(), expectation);
        }
    }
}

/// The text inside `{% ... %}`, when `value` is a JSONata template string.
fn expression(value: &Value) -> Option<&str> {
    value.as_str()?.trim().strip_prefix("{%")?.strip_suffix("%}").map(str::trim)
}

/// The steps of an expression that is nothing but a path under `root` (`$states.result.a.b[0]`
/// gives `a.b[0]`, `$states.result` nothing); `None` for any other expression.
fn whole_path(text: &str, root: &str) -> Option<Vec<Step>> {
    let rest = text.strip_prefix(root)?;
    let steps = synth::reads_under(text, root).into_iter().next().unwrap_or_default();
    (rest == paths::display(&steps).trim_start_matches('$')).then_some(steps)
}

/// Where a template puts what `root` paths give: (where in the template's value, the path read),
/// for each string in `template` that is nothing but such a path.
fn template_places(template: &Value, root: &str, at: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Vec<Step>)>) {
    match template {
        Value::Object(members) => {
            for (key, value) in members {
                at.push(Step::Member(key.clone()));
                template_places(value, root, at, out);
                at.pop();
            }
        }
        other => {
            if let Some(steps) = expression(other).and_then(|text| whole_path(text, root)) {
                out.push((at.clone(), steps));
            }
        }
    }
}

/// Every JSONata text in a state (its `{% %}` strings, at any depth).
fn jsonata_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(members) => members.values().for_each(|v| jsonata_texts(v, out)),
        Value::Array(items) => items.iter().for_each(|v| jsonata_texts(v, out)),
        other => out.extend(expression(other).map(str::to_string)),
    }
}

/// Whether `text` reads the variable `name` (`$name`, not `$names` nor the function `$name(`).
fn reads_variable(text: &str, name: &str) -> bool {
    let token = format!("${name}");
    text.match_indices(&token).any(|(at, _)| {
        let rest = &text[at + token.len()..];
        !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '(')
    })
}

/// The member a variable stands for while a Choice's conditions are searched: the search sets
/// fields of the Choice's input, so `$name` is read as `$states.input.<VARIABLE><name>`.
const VARIABLE: &str = "__statecraft_variable__";

/// `text` with every read of the variables `names` made a read of the Choice's input ([`VARIABLE`]).
fn variables_as_input(text: &str, names: &[&str]) -> String {
    let mut out = text.to_string();
    for name in names {
        let token = format!("${name}");
        let mut rewritten = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(at) = rest.find(&token) {
            let after = &rest[at + token.len()..];
            rewritten.push_str(&rest[..at]);
            if after.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '(') {
                rewritten.push_str(&token);
            } else {
                rewritten.push_str(&format!("$states.input.{VARIABLE}{name}"));
            }
            rest = after;
        }
        rewritten.push_str(rest);
        out = rewritten;
    }
    out
}

/// A JSONata Task: the `$states.result` paths its `Output` and `Assign` read; then, through what
/// they make of the result (the output, when `Output` is absent or places result paths; the
/// variables `Assign` sets from result paths), the paths the states after it read
/// (`$states.input.a` in the next state and the states a Choice there leads to; `$var.a` in any
/// state of the scope), and the values the Choices that decide on them need (see the module).
fn jsonata_task(name: &str, state: &Value, states: &Map<String, Value>) -> Expectation {
    let mut expectation = Expectation::default();
    for field in ["Output", "Assign"] {
        let mut texts = Vec::new();
        if let Some(v) = state.get(field) {
            jsonata_texts(v, &mut texts);
        }
        for text in texts {
            for steps in synth::reads_under(&text, "$states.result") {
                expectation.add(steps, None, false);
            }
            for filtered in synth::filtered_reads_under(&text, "$states.result") {
                expectation.add_filtered(filtered);
            }
        }
    }
    // Where the result goes: (place in the output, path in the result).
    let mut output: Vec<(Vec<Step>, Vec<Step>)> = Vec::new();
    match state.get("Output") {
        None => output.push((Vec::new(), Vec::new())),
        Some(template) => template_places(template, "$states.result", &mut Vec::new(), &mut output),
    }
    // The variables set from the result: (name, place in the variable, path in the result).
    let mut variables: Vec<(String, Vec<Step>, Vec<Step>)> = Vec::new();
    for (variable, template) in state.get("Assign").and_then(Value::as_object).into_iter().flatten() {
        let mut places = Vec::new();
        template_places(template, "$states.result", &mut Vec::new(), &mut places);
        variables.extend(places.into_iter().map(|(place, read)| (variable.clone(), place, read)));
    }
    if output.is_empty() && variables.is_empty() {
        return expectation;
    }
    let through = |places: &[(Vec<Step>, Vec<Step>)], read: &[Step]| -> Option<Vec<Step>> {
        places.iter().find_map(|(place, raw)| read.strip_prefix(place.as_slice()).map(|rest| [raw.as_slice(), rest].concat()))
    };
    let of_variable = |variable: &str, read: &[Step]| -> Option<Vec<Step>> {
        let places: Vec<(Vec<Step>, Vec<Step>)> = variables.iter().filter(|(v, ..)| v == variable).map(|(_, place, raw)| (place.clone(), raw.clone())).collect();
        through(&places, read)
    };
    let names: Vec<&str> = {
        let mut names: Vec<&str> = variables.iter().map(|(v, ..)| v.as_str()).collect();
        names.dedup();
        names
    };
    // The states that read the output: the next one, and where a Choice there leads.
    let next = state.get("Next").and_then(Value::as_str);
    let mut input_readers: Vec<&str> = next.into_iter().collect();
    let next_choice = next.and_then(|n| states.get(n).map(|s| (n, s))).filter(|(_, s)| s.get("Type").and_then(Value::as_str) == Some("Choice"));
    if let Some((_, choice)) = next_choice {
        input_readers.extend(choice.get("Default").and_then(Value::as_str));
        input_readers.extend(choice.get("Choices").and_then(Value::as_array).into_iter().flatten().filter_map(|r| r.get("Next").and_then(Value::as_str)));
    }
    for (reader, read_state) in states.iter().filter(|(n, _)| n.as_str() != name) {
        if input_readers.contains(&reader.as_str()) {
            for read in jsonata_item_reads(read_state) {
                if let Some(raw) = through(&output, &read).filter(|r| !r.is_empty()) {
                    expectation.add(raw, None, false);
                }
            }
        }
        let mut texts = Vec::new();
        jsonata_texts(read_state, &mut texts);
        for text in &texts {
            if input_readers.contains(&reader.as_str()) {
                for read in synth::reads_under(text, "$states.input") {
                    if let Some(raw) = through(&output, &read).filter(|r| !r.is_empty()) {
                        expectation.add(raw, None, false);
                    }
                }
            }
            for variable in &names {
                for read in synth::reads_under(text, &format!("${variable}")) {
                    if let Some(raw) = of_variable(variable, &read).filter(|r| !r.is_empty()) {
                        expectation.add(raw, None, false);
                    }
                }
            }
        }
    }
    // The Choices that decide on what the result became: the next state on the output, any
    // Choice of the scope on the variables.
    for (choice_name, choice) in states.iter().filter(|(_, s)| s.get("Type").and_then(Value::as_str) == Some("Choice")) {
        let on_input = next_choice.is_some_and(|(n, _)| n == choice_name.as_str());
        let mut texts = Vec::new();
        jsonata_texts(choice, &mut texts);
        let on_variables: Vec<&str> = names.iter().copied().filter(|v| texts.iter().any(|t| reads_variable(t, v))).collect();
        if !on_input && on_variables.is_empty() {
            continue;
        }
        let mut rewritten = choice.clone();
        for rule in rewritten.get_mut("Choices").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(Value::String(condition)) = rule.get_mut("Condition") {
                *condition = variables_as_input(condition, &on_variables);
            }
        }
        for wanted in choice_values(choice_name, &rewritten, name, states) {
            let raw = match wanted.steps.split_first() {
                Some((Step::Member(first), rest)) if first.starts_with(VARIABLE) => of_variable(&first[VARIABLE.len()..], rest),
                _ if on_input => through(&output, &wanted.steps),
                _ => None,
            };
            if let Some(raw) = raw.filter(|r| !r.is_empty()) {
                expectation.add_choice(raw, wanted);
            }
        }
    }
    expectation
}

/// What a JSONata Map without an ItemReader reads of each item, as paths in its input: its
/// `Items` is a path of the input (`{% $states.input.Items %}`), and each item's fields are read
/// by its `ItemSelector` (`$states.context.Map.Item.Value.id`) or, without one, by the first
/// state of its processor from its input (`$states.input.id`; with an `ItemBatcher`, the batch's
/// `$states.input.Items.id`). A query's example then has items with the fields the Map reads.
fn jsonata_item_reads(map: &Value) -> Vec<Vec<Step>> {
    if map.get("Type").and_then(Value::as_str) != Some("Map") || map.get("ItemReader").is_some() {
        return Vec::new();
    }
    let Some(items) = map.get("Items").and_then(expression).and_then(|text| whole_path(text, "$states.input")) else { return Vec::new() };
    let mut texts = Vec::new();
    let root = match map.get("ItemSelector") {
        Some(selector) => {
            jsonata_texts(selector, &mut texts);
            "$states.context.Map.Item.Value"
        }
        None => {
            if let Some((_, first, _)) = processor_start(map) {
                jsonata_texts(first, &mut texts);
            }
            if map.get("ItemBatcher").is_some() { "$states.input.Items" } else { "$states.input" }
        }
    };
    let mut out = Vec::new();
    for text in &texts {
        for mut field in synth::reads_under(text, root) {
            if matches!(field.first(), Some(Step::Index(_))) && root.ends_with("Items") {
                field.remove(0);
            }
            if !field.is_empty() {
                out.push([items.as_slice(), &[Step::Index(0)], field.as_slice()].concat());
            }
        }
    }
    out
}

fn jsonpath_task(name: &str, state: &Value, states: &Map<String, Value>) -> Expectation {
    let mut expectation = Expectation::default();
    // (path in the selected result, path in the raw result)
    let mut selected: Vec<(Vec<Step>, Vec<Step>)> = Vec::new();
    match state.get("ResultSelector") {
        Some(selector) => selector_reads(selector, &mut Vec::new(), &mut selected),
        None => selected.push((Vec::new(), Vec::new())),
    }
    for (_, raw) in &selected {
        if !raw.is_empty() {
            expectation.add(raw.clone(), None, false);
        }
    }
    let mut texts = Vec::new();
    json_text_paths(state.get("ResultSelector").unwrap_or(&Value::Null), &mut texts);
    texts.into_iter().for_each(|t| expectation.add_json_text(t));
    let placed: Vec<Step> = match state.get("ResultPath") {
        None => Vec::new(),
        Some(Value::String(p)) => match paths::steps(p) {
            Some(steps) => steps,
            None => return expectation,
        },
        Some(_) => return expectation, // null: the result is dropped
    };
    // What the state passes on: `OutputPath` selects from the input with the result placed in
    // it, so a later read of `$.a` is a read of `<OutputPath>.a` there (`"OutputPath":
    // "$.Payload"` hands a function's payload on).
    let output: Vec<Step> = match state.get("OutputPath") {
        None => Vec::new(),
        Some(Value::String(p)) => match paths::steps(p) {
            Some(steps) => steps,
            None => return expectation,
        },
        Some(_) => return expectation, // null: nothing is passed on
    };
    let next = state.get("Next").and_then(Value::as_str);
    // Who reads the placed result: the next state alone when it replaced the input, else the scope.
    let readers: Vec<(&String, &Value)> = if placed.is_empty() {
        // A Choice passes its input on unchanged: the states it leads to read the result too.
        let mut names: Vec<&str> = next.into_iter().collect();
        if let Some(choice) = next.and_then(|n| states.get(n)).filter(|s| s.get("Type").and_then(Value::as_str) == Some("Choice")) {
            names.extend(choice.get("Default").and_then(Value::as_str));
            names.extend(choice.get("Choices").and_then(Value::as_array).into_iter().flatten().filter_map(|r| r.get("Next").and_then(Value::as_str)));
        }
        states.iter().filter(|(n, _)| names.contains(&n.as_str()) && n.as_str() != name).collect()
    } else {
        states.iter().filter(|(n, _)| n.as_str() != name).collect()
    };
    let to_raw = |read: &[Step]| -> Option<Vec<Step>> {
        let read = [output.as_slice(), read].concat();
        let under = read.strip_prefix(placed.as_slice())?;
        selected.iter().find_map(|(sel, raw)| under.strip_prefix(sel.as_slice()).map(|rest| [raw.as_slice(), rest].concat()))
    };
    for (reader, state_read) in &readers {
        for path in read_paths(state_read) {
            if let Some(raw) = to_raw(&path).filter(|r| !r.is_empty()) {
                expectation.add(raw, None, false);
            }
        }
        let mut texts = Vec::new();
        for field in ["Parameters", "ItemSelector"] {
            json_text_paths(state_read.get(field).unwrap_or(&Value::Null), &mut texts);
        }
        for path in texts {
            if let Some(raw) = to_raw(&path) {
                expectation.add_json_text(raw);
            }
        }
        for path in after_parallel(state_read, states) {
            if let Some(raw) = to_raw(&path).filter(|r| !r.is_empty()) {
                expectation.add(raw, None, false);
            }
        }
        for path in passed_through(state_read, states, 3) {
            if let Some(raw) = to_raw(&path).filter(|r| !r.is_empty()) {
                expectation.add(raw, None, false);
            }
        }
        for path in number_paths(state_read) {
            if let Some(raw) = to_raw(&path).filter(|r| !r.is_empty()) {
                expectation.add(raw, Some(json!(1)), false);
            }
        }
        // A body written to the object a Distributed Map then reads as JSON is a list of items.
        for path in s3_item_list_paths(state_read, states) {
            if let Some(raw) = to_raw(&path).filter(|r| !r.is_empty()) {
                expectation.add(raw, Some(json!([{}])), false);
            }
        }
        // A Wait's TimestampPath reads a timestamp; one in the past waits no time at all.
        if let Some(steps) = state_read.get("TimestampPath").and_then(Value::as_str).and_then(paths::steps)
            && let Some(raw) = to_raw(&steps).filter(|r| !r.is_empty())
        {
            expectation.add(raw, Some(json!("2024-01-01T00:00:00Z")), false);
        }
        for wanted in item_choice_values(state_read) {
            if let Some(raw) = to_raw(&wanted.steps).filter(|r| !r.is_empty()) {
                expectation.add_choice(raw, wanted);
            }
        }
        if state_read.get("Type").and_then(Value::as_str) == Some("Choice") {
            for wanted in choice_chain(reader, state_read, name, states) {
                if let Some(raw) = to_raw(&wanted.steps).filter(|r| !r.is_empty()) {
                    expectation.add_choice(raw, wanted);
                }
            }
        }
        for wanted in renamed_choice_values(state_read, name, states) {
            if let Some(raw) = to_raw(&wanted.steps).filter(|r| !r.is_empty()) {
                expectation.add_choice(raw, wanted);
            }
        }
    }
    expectation
}

/// What the states after `state` read of its input when `state` hands it on unchanged but for
/// its `InputPath` and `OutputPath` (a Wait, a Choice, a Pass that sets nothing): the reads of
/// the states it leads to, under those paths, `depth` states on at most. A Wait whose
/// `OutputPath` is `$.event` hands `event` on, and the putEvents after it reads `$.detail`:
/// the result's `event.detail`.
fn passed_through(state: &Value, states: &Map<String, Value>, depth: usize) -> Vec<Vec<Step>> {
    let kind = state.get("Type").and_then(Value::as_str);
    let hands_on = match kind {
        Some("Wait" | "Choice") => true,
        Some("Pass") => ["Parameters", "Result", "ResultPath", "Assign"].iter().all(|f| state.get(*f).is_none()),
        _ => false,
    };
    if depth == 0 {
        return Vec::new();
    }
    if !hands_on {
        return renamed_through(state, states, depth);
    }
    let mut prefix = Vec::new();
    for field in ["InputPath", "OutputPath"] {
        match state.get(field) {
            None => {}
            Some(Value::String(p)) => match paths::steps(p) {
                Some(steps) => prefix.extend(steps),
                None => return Vec::new(),
            },
            Some(_) => return Vec::new(),
        }
    }
    let mut next: Vec<&str> = state.get("Next").and_then(Value::as_str).into_iter().collect();
    next.extend(state.get("Default").and_then(Value::as_str));
    next.extend(state.get("Choices").and_then(Value::as_array).into_iter().flatten().filter_map(|r| r.get("Next").and_then(Value::as_str)));
    let mut out = Vec::new();
    for after in next.iter().filter_map(|n| states.get(*n)) {
        for path in read_paths(after).into_iter().chain(passed_through(after, states, depth - 1)) {
            out.push([prefix.as_slice(), path.as_slice()].concat());
        }
    }
    out
}

/// The path a `putObject` Task writes as the `Body` of the object that a Distributed Map of the
/// same scope reads as JSON (its ItemReader's `Bucket` and `Key` written as the Task's, literally
/// or by the same paths): that body must be a JSON array for the Map to have items, as the
/// function that made it gives on AWS (the GIF generator saves a function's chunk list so).
fn s3_item_list_paths(state: &Value, states: &Map<String, Value>) -> Vec<Vec<Step>> {
    let is_put = state.get("Type").and_then(Value::as_str) == Some("Task")
        && state.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(":s3:putObject"));
    let Some(parameters) = state.get("Parameters").filter(|_| is_put) else { return Vec::new() };
    let Some(body) = parameters.get("Body.$").and_then(Value::as_str).and_then(paths::steps) else { return Vec::new() };
    let same = |reader: &Value, field: &str| {
        let dynamic = format!("{field}.$");
        match (parameters.get(field), parameters.get(&dynamic)) {
            (Some(v), _) => reader.get(field) == Some(v),
            (_, Some(v)) => reader.get(&dynamic) == Some(v),
            _ => false,
        }
    };
    let read_as_json = states.values().any(|map| {
        let Some(reader) = map.get("ItemReader") else { return false };
        let input_type = reader.get("ReaderConfig").and_then(|c| c.get("InputType")).and_then(Value::as_str).unwrap_or("JSON");
        let reads_object = reader.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(":s3:getObject"));
        let parameters = reader.get("Parameters").cloned().unwrap_or(Value::Null);
        reads_object && input_type == "JSON" && same(&parameters, "Bucket") && same(&parameters, "Key")
    });
    if read_as_json { vec![body] } else { Vec::new() }
}

/// Whether a state's output is its input with, at most, its result placed inside (`ResultPath`
/// `$.x` or null), so the state after it reads what it read.
fn hands_input_on(state: &Value) -> bool {
    if state.get("OutputPath").is_some() {
        return false;
    }
    match state.get("Type").and_then(Value::as_str) {
        Some("Choice" | "Wait" | "Succeed" | "Fail") => state.get("InputPath").is_none(),
        Some("Pass") if ["Parameters", "Result"].iter().all(|f| state.get(*f).is_none()) => state.get("InputPath").is_none(),
        Some(_) => match state.get("ResultPath") {
            Some(Value::Null) => true,
            Some(Value::String(p)) => p.trim() != "$",
            _ => false,
        },
        None => false,
    }
}

/// What the states after a Parallel read of its input through its output: a branch whose
/// states all hand their input on ends with the Parallel's input, so the state after the
/// Parallel reading `$[1].InstanceDescription.X` reads the Parallel's `InstanceDescription.X`.
/// Followed along `Next` while the states hand their input on (10 states at most).
fn after_parallel(state: &Value, states: &Map<String, Value>) -> Vec<Vec<Step>> {
    if state.get("Type").and_then(Value::as_str) != Some("Parallel") || state.get("Parameters").is_some() || state.get("ResultSelector").is_some() || state.get("OutputPath").is_some() {
        return Vec::new();
    }
    let step_list = |field: &str| match state.get(field) {
        None => Some(Vec::new()),
        Some(Value::String(p)) => paths::steps(p),
        Some(_) => None,
    };
    let (Some(prefix), Some(placed)) = (step_list("InputPath"), step_list("ResultPath")) else { return Vec::new() };
    let handing_on: Vec<bool> = state
        .get("Branches")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|b| b.get("States").and_then(Value::as_object).is_some_and(|m| m.values().all(hands_input_on)))
        .collect();
    let mut out = Vec::new();
    let mut next = state.get("Next").and_then(Value::as_str);
    for _ in 0..10 {
        let Some(after) = next.and_then(|n| states.get(n)) else { break };
        for path in read_paths(after) {
            if let Some([Step::Index(i), rest @ ..]) = path.strip_prefix(placed.as_slice())
                && handing_on.get(*i).copied().unwrap_or(false)
            {
                out.push([prefix.as_slice(), rest].concat());
            }
        }
        if !hands_input_on(after) {
            break;
        }
        next = after.get("Next").and_then(Value::as_str);
    }
    out
}

/// What the states after a Pass read through the fields its `Parameters` make of its input:
/// `"item.$": "$.Payload"` then a read of `$.item.timestamp` is a read of `$.Payload.timestamp`
/// (the GitHub views counter saves a function's answer so). Only a Pass whose output is its
/// Parameters' (no Result, InputPath, ResultPath or OutputPath).
fn renamed_through(state: &Value, states: &Map<String, Value>, depth: usize) -> Vec<Vec<Step>> {
    let plain = ["Result", "InputPath", "ResultPath", "OutputPath"].iter().all(|f| state.get(*f).is_none());
    let (Some("Pass"), Some(parameters), true) = (state.get("Type").and_then(Value::as_str), state.get("Parameters"), plain) else { return Vec::new() };
    let mut fields = Vec::new();
    selector_reads(parameters, &mut Vec::new(), &mut fields);
    fields.retain(|(key, _)| !key.is_empty());
    let mut out = Vec::new();
    let Some(after) = state.get("Next").and_then(Value::as_str).and_then(|n| states.get(n)) else { return out };
    for path in read_paths(after).into_iter().chain(passed_through(after, states, depth - 1)) {
        for (key, read) in &fields {
            if let Some(rest) = path.strip_prefix(key.as_slice()) {
                out.push([read.as_slice(), rest].concat());
            }
        }
    }
    out
}

/// The values a Choice right after a Pass that renames its input needs, as paths in the Pass's
/// input: `"part": {"details.$": "$.part.details.next"}` then a Choice on
/// `$.part.details.hasNext` decides on `$.part.details.next.hasNext` (a function's answer the
/// Pass reshaped). The same kind of Pass as [`renamed_through`].
fn renamed_choice_values(state: &Value, task: &str, states: &Map<String, Value>) -> Vec<Wanted> {
    let plain = ["Result", "InputPath", "ResultPath", "OutputPath"].iter().all(|f| state.get(*f).is_none());
    let (Some("Pass"), Some(parameters), true) = (state.get("Type").and_then(Value::as_str), state.get("Parameters"), plain) else { return Vec::new() };
    let Some((choice_name, choice)) = state.get("Next").and_then(Value::as_str).and_then(|n| states.get_key_value(n)) else { return Vec::new() };
    if choice.get("Type").and_then(Value::as_str) != Some("Choice") {
        return Vec::new();
    }
    let mut fields = Vec::new();
    selector_reads(parameters, &mut Vec::new(), &mut fields);
    fields.retain(|(key, _)| !key.is_empty());
    choice_chain(choice_name, choice, task, states)
        .into_iter()
        .filter_map(|wanted| {
            let steps = fields.iter().find_map(|(key, read)| wanted.steps.strip_prefix(key.as_slice()).map(|rest| [read.as_slice(), rest].concat()))?;
            Some(Wanted { steps, ..wanted })
        })
        .collect()
}

/// The `"key.$": "$.a.b"` fields of a ResultSelector, as (key path, path read).
fn selector_reads(value: &Value, at: &mut Vec<Step>, out: &mut Vec<(Vec<Step>, Vec<Step>)>) {
    let Some(map) = value.as_object() else { return };
    for (key, v) in map {
        if let Some(field) = key.strip_suffix(".$") {
            at.push(Step::Member(field.to_string()));
            if let Some(steps) = v.as_str().and_then(|t| paths::steps(t).or_else(|| string_to_json_argument(t))) {
                // `States.StringToJson($.a)` puts what the text at `$.a` holds under the key.
                out.push((at.clone(), steps));
            } else if let Some(text) = v.as_str() {
                for steps in intrinsic_paths(text) {
                    out.push((Vec::new(), steps)); // read, not addressable as a key
                }
            }
            at.pop();
        } else if v.is_object() {
            at.push(Step::Member(key.clone()));
            selector_reads(v, at, out);
            at.pop();
        }
    }
}

/// The simple paths a state reads from its input (not from its own result).
fn read_paths(state: &Value) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    for field in ["InputPath", "OutputPath", "ItemsPath"] {
        if let Some(steps) = state.get(field).and_then(Value::as_str).and_then(paths::steps) {
            out.push(steps);
        }
    }
    for field in ["Parameters", "ItemSelector", "Arguments"] {
        if let Some(template) = state.get(field) {
            template_paths(template, &mut out);
        }
    }
    if let Some(rules) = state.get("Choices").and_then(Value::as_array) {
        for rule in rules {
            rule_paths(rule, &mut out);
        }
    }
    // A Parallel's branches read its input (unless `Parameters` made them another): each state
    // of a branch that hands its input on reads it, a state after one that replaced it reads
    // something else, which adds a field the answer did not need and changes nothing.
    if state.get("Type").and_then(Value::as_str) == Some("Parallel") && state.get("Parameters").is_none() {
        let prefix = match state.get("InputPath") {
            None => Some(Vec::new()),
            Some(Value::String(p)) => paths::steps(p),
            Some(_) => None,
        };
        for branch in prefix.iter().flat_map(|_| state.get("Branches").and_then(Value::as_array).into_iter().flatten()) {
            for inner in branch.get("States").and_then(Value::as_object).into_iter().flat_map(|m| m.values()) {
                for path in read_paths(inner) {
                    out.push([prefix.clone().unwrap_or_default(), path].concat());
                }
            }
        }
    }
    // An inline Map reads each item's fields too: the list its ItemsPath names holds objects
    // with them (a function that answers `{"rules": [...]}` for a Map whose ItemSelector reads
    // `$$.Map.Item.Value.Name`). A Distributed Map's reader gives its own items.
    if let Some(items) = inline_items_steps(state) {
        let fields = item_field_paths(state);
        // The list itself, when nothing under its items is read (the whole item handed to the
        // processor): an answer with a string there would stop the Map ("must point to array").
        if fields.is_empty() {
            out.push([items.clone(), vec![Step::Index(0)]].concat());
        }
        for field in fields {
            out.push([items.clone(), vec![Step::Index(0)], field].concat());
        }
    }
    out
}

/// The steps of an inline Map's `ItemsPath` (none: its input is the list); `None` for a state
/// that is not an inline Map (a Distributed Map's reader gives its own items) or a path that
/// does not parse.
fn inline_items_steps(map: &Value) -> Option<Vec<Step>> {
    if map.get("Type").and_then(Value::as_str) != Some("Map") || map.get("ItemReader").is_some() {
        return None;
    }
    match map.get("ItemsPath") {
        None => Some(Vec::new()),
        Some(Value::String(p)) => paths::steps(p),
        Some(_) => None,
    }
}

/// A Map's processor (`ItemProcessor`, or the legacy `Iterator`): its start state's name, that
/// state, and the processor's states.
fn processor_start(map: &Value) -> Option<(&str, &Value, &Map<String, Value>)> {
    let processor = map.get("ItemProcessor").or_else(|| map.get("Iterator"))?;
    let start = processor.get("StartAt").and_then(Value::as_str)?;
    let states = processor.get("States").and_then(Value::as_object)?;
    Some((start, states.get(start)?, states))
}

/// The top-level fields of an inline Map's `ItemSelector` (or `Parameters`) that take all or
/// part of the item (`"CelebrityFaces.$": "$$.Map.Item.Value"`), with the path under the item
/// each takes (empty for the whole item).
fn item_bindings(map: &Value) -> Vec<(String, Vec<Step>)> {
    let Some(selector) = map.get("ItemSelector").or_else(|| map.get("Parameters")).and_then(Value::as_object) else { return Vec::new() };
    selector
        .iter()
        .filter_map(|(key, value)| {
            let field = key.strip_suffix(".$")?;
            let rest = value.as_str()?.trim().strip_prefix("$$.Map.Item.Value")?;
            if !(rest.is_empty() || rest.starts_with(['.', '['])) {
                return None;
            }
            Some((field.to_string(), paths::steps(&format!("${rest}"))?))
        })
        .collect()
}

/// A path the processor reads from its input, as a path under the item: through the field
/// of the `ItemSelector` that holds the item (`$.CelebrityFaces.MatchConfidence` with
/// `"CelebrityFaces.$": "$$.Map.Item.Value"` is the item's `MatchConfidence`), or as it is when
/// there is no selector (the processor's input is the item).
fn under_item(map: &Value, read: &[Step]) -> Option<Vec<Step>> {
    if map.get("ItemSelector").or_else(|| map.get("Parameters")).is_none() {
        return Some(read.to_vec());
    }
    item_bindings(map).into_iter().find_map(|(field, rest)| match read.split_first() {
        Some((Step::Member(m), tail)) if *m == field => Some([rest.as_slice(), tail].concat()),
        _ => None,
    })
}

/// The values the Choice an inline Map's processor starts with needs in each item so that it
/// takes the branch that moves on (`$.CelebrityFaces.MatchConfidence` greater than 90 leads to
/// the write), as paths under the Map's input: `<ItemsPath>[0]<under the item>`.
fn item_choice_values(map: &Value) -> Vec<Wanted> {
    let Some(items) = inline_items_steps(map) else { return Vec::new() };
    let Some((start, first, states)) = processor_start(map).filter(|(_, first, _)| first.get("Type").and_then(Value::as_str) == Some("Choice")) else {
        return Vec::new();
    };
    choice_values(start, first, "", states)
        .into_iter()
        .filter_map(|wanted| {
            let under = under_item(map, &wanted.steps)?;
            Some(Wanted { steps: [items.as_slice(), &[Step::Index(0)], under.as_slice()].concat(), ..wanted })
        })
        .collect()
}

/// The paths a Map reads in each item: the `$$.Map.Item.Value.a` fields of its `ItemSelector`
/// (or `Parameters`), else what the first state of its processor reads from its input (the item).
fn item_field_paths(map: &Value) -> Vec<Vec<Step>> {
    fn from_context(value: &Value, out: &mut Vec<Vec<Step>>) {
        match value {
            Value::Object(m) => {
                for (key, v) in m {
                    match (key.ends_with(".$"), v.as_str().and_then(|t| t.trim().strip_prefix("$$.Map.Item.Value"))) {
                        (true, Some(rest)) if rest.is_empty() || rest.starts_with(['.', '[']) => out.extend(paths::steps(&format!("${rest}")).filter(|s| !s.is_empty())),
                        _ => from_context(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| from_context(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let first = processor_start(map).map(|(_, first, _)| first);
    match map.get("ItemSelector").or_else(|| map.get("Parameters")) {
        Some(selector) => {
            from_context(selector, &mut out);
            // What the first state reads under a field that holds the item is read in the item.
            let bound = first.map(read_paths).unwrap_or_default().into_iter().filter_map(|read| under_item(map, &read));
            out.extend(bound.filter(|p| !p.is_empty() && !out.contains(p)).collect::<Vec<_>>());
        }
        None => out.extend(first.map(read_paths).unwrap_or_default().into_iter().filter(|p| !p.is_empty())),
    }
    out
}

/// The paths a state's template reads into a DynamoDB number (`"N.$": "$.a"`, or through an
/// intrinsic, `"N.$": "States.Format('{}', $.a)"`): DynamoDB refuses an `N` that is no number
/// ("A value provided cannot be converted into a number"), so the value read there is one.
fn number_paths(state: &Value) -> Vec<Vec<Step>> {
    fn walk(value: &Value, out: &mut Vec<Vec<Step>>) {
        match value {
            Value::Object(map) => {
                for (key, v) in map {
                    match (key.as_str(), v) {
                        ("N.$", Value::String(text)) => match paths::steps(text) {
                            Some(steps) => out.push(steps),
                            None => out.extend(intrinsic_paths(text)),
                        },
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Some(template) = state.get("Parameters") {
        walk(template, &mut out);
    }
    out
}

fn template_paths(value: &Value, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.ends_with(".$"), v) {
                    (true, Value::String(text)) => match paths::steps(text) {
                        Some(steps) => out.push(steps),
                        None => out.extend(intrinsic_paths(text)),
                    },
                    _ => template_paths(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| template_paths(v, out)),
        _ => {}
    }
}

fn rule_paths(rule: &Value, out: &mut Vec<Vec<Step>>) {
    let Some(map) = rule.as_object() else { return };
    for (key, v) in map {
        match (key.as_str(), v) {
            ("And" | "Or", Value::Array(subs)) => subs.iter().for_each(|s| rule_paths(s, out)),
            ("Not", sub) => rule_paths(sub, out),
            ("Variable", Value::String(p)) => out.extend(paths::steps(p)),
            (k, Value::String(p)) if k.ends_with("Path") => out.extend(paths::steps(p)),
            _ => {}
        }
    }
}

/// The path a `States.StringToJson($.a.b)` call parses, when that is the whole text.
fn string_to_json_argument(text: &str) -> Option<Vec<Step>> {
    paths::steps(text.trim().strip_prefix("States.StringToJson(")?.strip_suffix(')')?.trim())
}

/// The paths a state's templates parse with `States.StringToJson` (`"data.$":
/// "States.StringToJson($.Payload.body)"`): JSON text must be there.
fn json_text_paths(value: &Value, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::Object(members) => {
            for (key, v) in members {
                match v.as_str() {
                    Some(text) if key.ends_with(".$") => out.extend(string_to_json_argument(text)),
                    _ => json_text_paths(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| json_text_paths(v, out)),
        _ => {}
    }
}

/// The plain paths inside an intrinsic call's text (`States.Format('{}', $.a.b)`).
fn intrinsic_paths(text: &str) -> Vec<Vec<Step>> {
    let mut out = Vec::new();
    // `$.a` and `$[1].a`, not the context's `$$.a`.
    let starts = text.match_indices("$.").chain(text.match_indices("$[")).map(|(at, _)| at).filter(|&at| at == 0 || !text[..at].ends_with('$'));
    for at in starts {
        let rest = &text[at..];
        let end = rest.find(|c: char| c == ',' || c == ')' || c.is_whitespace()).unwrap_or(rest.len());
        out.extend(paths::steps(&rest[..end]));
    }
    out
}

/// The values a Choice's rules need so that it takes the branch that moves on (see the module),
/// each saying whether it makes the chosen rule hold.
fn choice_values(choice_name: &str, choice: &Value, task: &str, states: &Map<String, Value>) -> Vec<Wanted> {
    choice_pick(choice_name, choice, task, states).0
}

/// The values the Choices on the way a result takes need, from the Choice `choice_name` on:
/// where its chosen branch leads to another state that hands its input on (a Choice, a Wait, a
/// bare Pass), that state reads the same result, and a Choice there decides too (a function
/// answering `StackSetExist` read two Choices after it). The first Choice to set a path wins;
/// 8 states at most, none twice.
fn choice_chain(choice_name: &str, choice: &Value, task: &str, states: &Map<String, Value>) -> Vec<Wanted> {
    let mut out: Vec<Wanted> = Vec::new();
    let mut seen = vec![task.to_string()];
    let (mut name, mut state) = (choice_name.to_string(), choice);
    for _ in 0..8 {
        if seen.contains(&name) {
            break;
        }
        seen.push(name.clone());
        let next = if state.get("Type").and_then(Value::as_str) == Some("Choice") {
            let (values, picked) = choice_pick(&name, state, task, states);
            for value in values {
                if !out.iter().any(|w| w.steps == value.steps) {
                    out.push(value);
                }
            }
            picked
        } else {
            state.get("Next").and_then(Value::as_str).map(str::to_string)
        };
        let Some((next, following)) = next.and_then(|n| states.get(&n).map(|s| (n, s))) else { break };
        let kind = following.get("Type").and_then(Value::as_str);
        if !(matches!(kind, Some("Choice" | "Wait" | "Pass")) && hands_input_on(following)) {
            break;
        }
        name = next;
        state = following;
    }
    out
}

/// [`choice_values`] and the branch it chose (its `Next`, or the `Default`).
fn choice_pick(choice_name: &str, choice: &Value, task: &str, states: &Map<String, Value>) -> (Vec<Wanted>, Option<String>) {
    let rules: Vec<&Value> = choice.get("Choices").and_then(Value::as_array).map(|r| r.iter().collect()).unwrap_or_default();
    let mut targets: Vec<Option<&str>> = rules.iter().map(|r| r.get("Next").and_then(Value::as_str)).collect();
    targets.push(choice.get("Default").and_then(Value::as_str));
    // The branch that goes furthest before it ends well; the first of equals.
    let distances: Vec<Option<usize>> = targets.iter().map(|t| t.and_then(|t| distance_to_success(t, task, choice_name, states))).collect();
    let Some(best) = distances.iter().flatten().max() else { return (Vec::new(), None) };
    let Some(pick) = distances.iter().position(|d| *d == Some(*best)) else { return (Vec::new(), None) };
    let mut values: Vec<Wanted> = Vec::new();
    // Every comparison on a path, over the rules up to the chosen one, with the outcome the
    // chosen branch needs (false before it, true for it): a value already there is kept only
    // when it gives them all.
    let mut leaves: Vec<(Vec<Step>, Leaf)> = Vec::new();
    let mut put = |assignment: synth::Assignment, awaited: bool| {
        for (steps, value) in assignment {
            values.retain(|w| w.steps != steps);
            // `None`: the field must be absent (`IsPresent` false).
            values.push(Wanted { steps, value, awaited, keeps: Vec::new(), against: None });
        }
    };
    for rule in &rules[..pick] {
        literal_leaves(rule, false, &mut leaves);
        if let Some(first) = synth::satisfy(rule, false, &Value::Null).into_iter().next() {
            put(first, false);
        }
    }
    if let Some(rule) = rules.get(pick) {
        literal_leaves(rule, true, &mut leaves);
        if let Some(first) = synth::satisfy(rule, true, &Value::Null).into_iter().next() {
            put(first, true);
        }
    }
    for wanted in &mut values {
        wanted.keeps = leaves.iter().filter(|(steps, _)| *steps == wanted.steps).map(|(_, leaf)| leaf.clone()).collect();
        // A `...Path` comparison of this path with another (the last rule to compare it wins,
        // as the assignment's value did).
        wanted.against = leaves.iter().rev().find(|(steps, leaf)| *steps == wanted.steps && leaf.operator.operand_kind() == crate::asl::model::OperandKind::Path).and_then(|(_, leaf)| {
            let other = leaf.operand.as_str().and_then(paths::reference)?;
            let Some(Step::Member(name)) = other.last() else { return None };
            let operator = Op::from_name(leaf.operator.name().trim_end_matches("Path"))?;
            Some(Against { name: name.clone(), operator, want: leaf.want })
        });
    }
    (values, targets[pick].map(str::to_string))
}

/// The comparisons with a literal operand in `rule` (through `And`, `Or` and `Not`), by the
/// path each reads, with the outcome each needs for the rule to come out `want`. A `...Path`
/// comparison or a JSONata `Condition` adds none.
fn literal_leaves(rule: &Value, want: bool, out: &mut Vec<(Vec<Step>, Leaf)>) {
    let Some(rule) = rule.as_object() else { return };
    if let Some(inner) = rule.get("Not") {
        return literal_leaves(inner, !want, out);
    }
    if let Some(subs) = rule.get("And").or_else(|| rule.get("Or")).and_then(Value::as_array) {
        return subs.iter().for_each(|sub| literal_leaves(sub, want, out));
    }
    let Some(steps) = rule.get("Variable").and_then(Value::as_str).and_then(paths::reference) else { return };
    if let Some((operator, operand)) = rule.iter().find_map(|(k, v)| Op::from_name(k).map(|op| (op, v))) {
        out.push((steps, Leaf { operator, operand: operand.clone(), want }));
    }
}

/// How many transitions it takes at least from `from` to a Succeed state or an End by Next,
/// Choice and Default edges, passing no Fail state and not coming back to `task` or `choice`;
/// `None` when none can be reached so. A Parallel or a Map state counts the work inside it too
/// (its longest branch's way to its end, its processor's): a path through a Parallel of
/// detections is the main line, beside a notification that ends at once.
fn distance_to_success(from: &str, task: &str, choice: &str, states: &Map<String, Value>) -> Option<usize> {
    use std::cmp::Reverse;
    let mut seen = vec![task.to_string(), choice.to_string()];
    let mut todo = std::collections::BinaryHeap::from([(Reverse(0), from.to_string())]);
    while let Some((Reverse(distance), name)) = todo.pop() {
        if seen.contains(&name) {
            continue;
        }
        seen.push(name.clone());
        let Some(state) = states.get(&name) else { continue };
        match state.get("Type").and_then(Value::as_str) {
            Some("Succeed") => return Some(distance),
            Some("Fail") => continue,
            _ => {}
        }
        let distance = distance + work_inside(state);
        if state.get("End").and_then(Value::as_bool) == Some(true) {
            return Some(distance);
        }
        let mut next: Vec<&str> = state.get("Next").and_then(Value::as_str).into_iter().collect();
        next.extend(state.get("Default").and_then(Value::as_str));
        for rule in state.get("Choices").and_then(Value::as_array).into_iter().flatten() {
            next.extend(rule.get("Next").and_then(Value::as_str));
        }
        todo.extend(next.into_iter().map(|n| (Reverse(distance + 1), n.to_string())));
    }
    None
}

/// The transitions inside a Parallel (its longest branch's way to its end) or a Map (its
/// processor's), counting the entry into each; 0 for any other state.
fn work_inside(state: &Value) -> usize {
    let inside = |machine: &Value| -> usize {
        let (Some(start), Some(states)) = (machine.get("StartAt").and_then(Value::as_str), machine.get("States").and_then(Value::as_object)) else { return 0 };
        distance_to_success(start, "", "", states).map_or(0, |d| d + 1)
    };
    let branches = state.get("Branches").and_then(Value::as_array).into_iter().flatten().map(inside).max().unwrap_or(0);
    let processor = state.get("ItemProcessor").or_else(|| state.get("Iterator")).map_or(0, inside);
    branches.max(processor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(definition: Value, state: &str) -> Vec<(String, Option<Value>)> {
        let all = expectations(&definition);
        all.get(state).map(|e| e.reads.iter().map(|r| (paths::display(&r.steps), r.value.clone())).collect()).unwrap_or_default()
    }

    #[test]
    fn a_selector_and_the_choice_after_it_say_what_a_function_returns() {
        let definition = json!({"StartAt": "Check", "States": {
            "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                      "ResultSelector": {"status.$": "$.Payload.status", "id.$": "$.Payload.booking.id"}, "ResultPath": "$.check", "Next": "Ok?"},
            "Ok?": {"Type": "Choice", "Choices": [{"Variable": "$.check.status", "StringEquals": "CONFIRMED", "Next": "Save"}], "Default": "Refused"},
            "Save": {"Type": "Pass", "Parameters": {"ref.$": "States.Format('B-{}', $.check.id)"}, "End": true},
            "Refused": {"Type": "Fail", "Error": "Refused"}}});
        assert_eq!(reads(definition, "Check"), [
            ("$.Payload.status".to_string(), Some(json!("CONFIRMED"))),
            ("$.Payload.booking.id".to_string(), None),
        ]);
    }

    #[test]
    fn an_output_path_hands_on_part_of_the_result_and_the_next_state_reads_under_it() {
        // `OutputPath: $.Payload`: the Choice's `$.process` is the function's `$.Payload.process`.
        let definition = json!({"StartAt": "Convert", "States": {
            "Convert": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                        "OutputPath": "$.Payload", "Next": "Future?"},
            "Future?": {"Type": "Choice", "Choices": [{"Variable": "$.process", "BooleanEquals": true, "Next": "Wait"}], "Default": "Skip"},
            "Wait": {"Type": "Wait", "TimestampPath": "$.time", "Next": "Skip"},
            "Skip": {"Type": "Pass", "End": true}}});
        let got = reads(definition, "Convert");
        assert!(got.contains(&("$.Payload.process".to_string(), Some(json!(true)))), "{got:?}");
        // `OutputPath: null` passes nothing on: nothing after it reads the result.
        let dropped = json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "OutputPath": null, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "E"}], "Default": "E"},
            "E": {"Type": "Pass", "End": true}}});
        assert_eq!(reads(dropped, "T"), []);
    }

    #[test]
    fn the_branch_that_moves_on_is_the_default_when_the_rules_lead_to_failure_or_back() {
        // A polling loop: "not yet" goes back to the task, "failed" to a Fail state.
        let definition = json!({"StartAt": "Get Status", "States": {
            "Get Status": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:status", "Next": "Done?"},
            "Done?": {"Type": "Choice", "Choices": [
                {"Variable": "$.state", "StringEquals": "RUNNING", "Next": "Wait"},
                {"Variable": "$.state", "StringEquals": "FAILED", "Next": "Failed"}],
              "Default": "Publish"},
            "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Get Status"},
            "Failed": {"Type": "Fail"},
            "Publish": {"Type": "Pass", "Parameters": {"count.$": "$.recordCount"}, "End": true}}});
        let got = reads(definition, "Get Status");
        let state = got.iter().find(|(p, _)| p == "$.state").and_then(|(_, v)| v.clone()).unwrap();
        assert!(state != json!("RUNNING") && state != json!("FAILED"), "{state}");
        assert!(got.contains(&("$.recordCount".to_string(), None)), "{got:?}");
        let payload = expectations(&json!({"StartAt": "x", "States": {}})).len();
        assert_eq!(payload, 0);
    }

    #[test]
    fn the_main_line_wins_over_a_short_fallback_that_also_ends() {
        let definition = json!({"StartAt": "Poll", "States": {
            "Poll": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:textract:getExpenseAnalysis", "Parameters": {"JobId": "j"}, "ResultPath": "$.job", "Next": "Done?"},
            "Done?": {"Type": "Choice", "Choices": [
                {"Variable": "$.job.JobStatus", "StringEquals": "IN_PROGRESS", "Next": "Wait"},
                {"Variable": "$.job.JobStatus", "StringEquals": "PARTIAL_SUCCESS", "Next": "Manual"},
                {"Variable": "$.job.JobStatus", "StringEquals": "SUCCEEDED", "Next": "Parse"}],
              "Default": "Manual"},
            "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
            "Manual": {"Type": "Pass", "End": true},
            "Parse": {"Type": "Pass", "Next": "Save"},
            "Save": {"Type": "Pass", "End": true}}});
        let got = expectations(&definition).remove("Poll").unwrap();
        let status = got.reads.iter().find(|r| paths::display(&r.steps) == "$.JobStatus").unwrap();
        assert_eq!((status.value.clone(), status.awaited), (Some(json!("SUCCEEDED")), true));
    }

    #[test]
    fn a_payload_keeps_what_it_has_and_gains_what_is_read() {
        let read = |p: &str, value: Option<Value>, awaited| Read { steps: paths::steps(p).unwrap(), value, awaited, absent: false, selects: false, keeps: Vec::new(), against: None };
        let expectation = Expectation { reads: vec![
            read("$.status", Some(json!("OK")), true),
            read("$.itemCount", None, false),
            read("$.orderId", None, false),
            read("$.isFraud", None, false),
        ], ..Default::default() };
        assert_eq!(expectation.shape_payload(json!({"orderId": "O-1", "status": "NEW"})), json!({"orderId": "O-1", "status": "OK", "itemCount": 1, "isFraud": true}));
        // A service keeps its shape: only a status it has takes the awaited value.
        let service = Expectation { reads: vec![read("$.Stacks[0].StackStatus", Some(json!("UPDATE_COMPLETE")), true), read("$.Other", Some(json!("x")), true)], ..Default::default() };
        assert_eq!(service.shape_service(json!({"Stacks": [{"StackStatus": "CREATE_COMPLETE"}]})), json!({"Stacks": [{"StackStatus": "UPDATE_COMPLETE"}]}));
        // A value that only makes an earlier rule fail is no status the service reports.
        let not_failed = Expectation { reads: vec![read("$.Status", Some(json!("FAILED-other")), false)], ..Default::default() };
        assert_eq!(not_failed.shape_service(json!({"Status": "COMPLETE"})), json!({"Status": "COMPLETE"}));
    }

    #[test]
    fn a_request_field_that_already_takes_the_chosen_branch_is_not_rewritten_by_the_answer() {
        // A function told what to do echoes its request; the Choices after it test the
        // request's own fields (Control Tower's StackSet machine: `TemplateURL` is not "").
        let definition = json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "Which?"},
            "Which?": {"Type": "Choice", "Choices": [
                {"Variable": "$.TemplateURL", "StringEquals": "", "Next": "Skip"},
                {"Not": {"Variable": "$.Accounts[0]", "IsPresent": true}, "Next": "Skip"},
                {"And": [{"Variable": "$.Count", "NumericGreaterThan": 2}, {"Variable": "$.Mode", "StringEquals": "Update"}], "Next": "Work"}],
              "Default": "Skip"},
            "Work": {"Type": "Pass", "Next": "More"},
            "More": {"Type": "Pass", "Next": "Done"},
            "Done": {"Type": "Succeed"},
            "Skip": {"Type": "Succeed"}}});
        let expectation = expectations(&definition).remove("Call").unwrap();
        // The request already takes the branch that does the most: it comes back as it was.
        let request = json!({"TemplateURL": "https://example.com/t.yaml", "Accounts": ["111122223333"], "Count": 5, "Mode": "Update"});
        assert_eq!(expectation.shape_payload(request.clone()), request);
        // Fields that would take another branch, or are missing, take the values that lead there.
        let shaped = expectation.shape_payload(json!({"TemplateURL": "", "Count": 1}));
        assert_ne!(shaped["TemplateURL"], json!(""), "{shaped}");
        assert!(shaped["Count"].as_f64().is_some_and(|n| n > 2.0), "{shaped}");
        assert_eq!(shaped["Mode"], json!("Update"));
        assert!(shaped.pointer("/Accounts/0").is_some(), "{shaped}");
    }

    #[test]
    fn a_path_comparison_with_a_field_the_function_was_given_is_decided_against_its_value() {
        // The function says where the next range ends; the loop goes on while that is below the
        // file's size, which the workflow holds and gave the function. The answer that moves on
        // ends at or past the size it was given, whatever that is.
        let definition = json!({"StartAt": "Get Next Range", "States": {
            "Get Next Range": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f", "Payload": {"fileSize.$": "$.values.fileSize"}},
                "ResultSelector": {"details.$": "$.Payload"}, "ResultPath": "$.file", "Next": "More?"},
            "More?": {"Type": "Choice", "Choices": [
                {"Variable": "$.file.details.next.end", "NumericLessThanPath": "$.values.fileSize", "Next": "Again"}],
              "Default": "Done"},
            "Again": {"Type": "Pass", "Next": "Get Next Range"},
            "Done": {"Type": "Succeed"}}});
        let expectation = expectations(&definition).remove("Get Next Range").unwrap().under(&Step::Member("Payload".into()));
        for size in [78, 250_000] {
            let shaped = expectation.shape_payload(json!({"fileSize": size}));
            let end = shaped.pointer("/next/end").and_then(Value::as_f64).unwrap();
            assert!(end >= size as f64, "{shaped}");
        }
    }

    #[test]
    fn a_choice_after_a_pass_that_reshapes_the_answer_decides_on_it() {
        // A function hands out the document's parts one by one; a Pass reshapes its answer and
        // the Choice after it loops while there is a next part. The answer that moves on has none.
        let definition = json!({"StartAt": "Get Next Part", "States": {
            "Get Next Part": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                "ResultSelector": {"details.$": "$.Payload"}, "ResultPath": "$.part", "Next": "Format Part Data"},
            "Format Part Data": {"Type": "Pass", "Parameters": {"part": {"details.$": "$.part.details.next"}}, "Next": "Has Next?"},
            "Has Next?": {"Type": "Choice", "Choices": [{"Variable": "$.part.details.hasNext", "BooleanEquals": true, "Next": "Load Part"}], "Default": "Done"},
            "Load Part": {"Type": "Pass", "Next": "Get Next Part"},
            "Done": {"Type": "Succeed"}}});
        let got = reads(definition, "Get Next Part");
        assert!(got.contains(&("$.Payload.next.hasNext".to_string(), Some(json!(false)))), "{got:?}");
    }

    #[test]
    fn a_field_put_into_a_dynamodb_number_is_a_number() {
        let definition = json!({"StartAt": "Rules", "States": {
            "Rules": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:rules", "ResultPath": "$.check", "Next": "Put"},
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"TableName": "t", "Item": {
                "pk": {"S.$": "$.check.employeeId"},
                "amountCents": {"N.$": "States.Format('{}', $.check.amountCents)"},
                "ttl": {"N.$": "$.check.expiry"}}}, "End": true}}});
        let read = reads(definition, "Rules");
        assert!(read.contains(&("$.amountCents".to_string(), Some(json!(1)))), "{read:?}");
        assert!(read.contains(&("$.expiry".to_string(), Some(json!(1)))), "{read:?}");
        assert!(read.contains(&("$.employeeId".to_string(), None)), "{read:?}");
    }

    #[test]
    fn the_items_a_map_reads_from_a_result_are_objects_with_the_fields_it_selects() {
        let definition = json!({"StartAt": "List Rules", "States": {
            "List Rules": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                           "ResultSelector": {"Lambda.$": "$.Payload"}, "ResultPath": "$.rules", "Next": "For Each Rule"},
            "For Each Rule": {"Type": "Map", "ItemsPath": "$.rules.Lambda.ParamsList",
                "ItemSelector": {"Name.$": "$$.Map.Item.Value.Name", "Target.$": "$$.Map.Item.Value.Target.Arn", "Index.$": "$$.Map.Item.Index"},
                "ItemProcessor": {"StartAt": "Create", "States": {"Create": {"Type": "Pass", "End": true}}}, "Next": "Inline"},
            "Inline": {"Type": "Map", "ItemsPath": "$.rules.Lambda.Jobs",
                "ItemProcessor": {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:startJobRun", "Parameters": {"JobName.$": "$.jobName"}, "End": true}}}, "End": true}}});
        let read: Vec<String> = reads(definition.clone(), "List Rules").into_iter().map(|(p, _)| p).collect();
        for wanted in ["$.Payload.ParamsList", "$.Payload.ParamsList[0].Name", "$.Payload.ParamsList[0].Target.Arn", "$.Payload.Jobs[0].jobName"] {
            assert!(read.iter().any(|r| r == wanted), "{wanted} in {read:?}");
        }
        let shaped = expectations(&definition)["List Rules"].under(&Step::Member("Payload".into())).shape_payload(json!({}));
        assert_eq!(shaped["ParamsList"][0]["Name"], json!("Name-1"), "{shaped}");
        assert_eq!(shaped["Jobs"][0]["jobName"], json!("jobName-1"), "{shaped}");
    }

    #[test]
    fn a_read_the_payload_lacks_takes_the_payload_s_own_value_of_that_name() {
        let definition = json!({"StartAt": "Validate", "States": {
            "Validate": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "Next": "Put"},
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                "Parameters": {"TableName": "t", "Item": {"email": {"S.$": "$.Payload.body.email"}, "id": {"S.$": "$.Payload.body.id"}}}, "End": true}}});
        let shaped = expectations(&definition)["Validate"].under(&Step::Member("Payload".into())).shape_payload(json!({"email": "ana@example.com"}));
        assert_eq!(shaped["body"]["email"], json!("ana@example.com"), "{shaped}");
        assert_eq!(shaped["body"]["id"], json!("id-1"), "a name the payload lacks is suggested: {shaped}");
    }

    #[test]
    fn a_map_that_hands_each_whole_item_on_reads_a_list() {
        // `batch_id.$: $$.Map.Item.Value`: nothing under the item is read, but the Map needs a
        // list at its ItemsPath (an answer with a string there stops it).
        let definition = json!({"StartAt": "Build", "States": {
            "Build": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                      "OutputPath": "$.Payload", "Next": "Run"},
            "Run": {"Type": "Map", "ItemsPath": "$.batch_index", "Parameters": {"batch_id.$": "$$.Map.Item.Value", "bucket.$": "$.s3_bucket"},
                "Iterator": {"StartAt": "Get", "States": {"Get": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "g", "Payload": {"batch_id.$": "$.batch_id"}}, "End": true}}}, "End": true}}});
        let shaped = expectations(&definition)["Build"].under(&Step::Member("Payload".into())).shape_payload(json!({}));
        assert_eq!(shaped["batch_index"], json!([{}]), "a list of one record: {shaped}");
    }

    #[test]
    fn a_choice_on_each_item_through_the_field_that_holds_it_says_what_a_service_answers() {
        // The processor's Choice reads `$.CelebrityFaces.MatchConfidence`, the field the
        // ItemSelector fills with the whole item: the item's MatchConfidence must pass 90 for the
        // main line (the write), so the service's answer says so.
        let definition = json!({"StartAt": "Recognize", "States": {
            "Recognize": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:rekognition:recognizeCelebrities", "ResultPath": "$.Rekognition", "Next": "Each"},
            "Each": {"Type": "Map", "ItemsPath": "$.Rekognition.CelebrityFaces", "End": true,
                "ItemSelector": {"key.$": "$.key", "CelebrityFaces.$": "$$.Map.Item.Value"},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "High?", "States": {
                    "High?": {"Type": "Choice", "Choices": [{"Variable": "$.CelebrityFaces.MatchConfidence", "NumericGreaterThan": 90, "Next": "Write"}], "Default": "Low"},
                    "Low": {"Type": "Succeed"},
                    "Write": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                        "Parameters": {"TableName": "t", "Item": {"Id": {"S.$": "$.CelebrityFaces.Id"}}}, "End": true}}}}}});
        let all = reads(definition.clone(), "Recognize");
        let confidence = all.iter().find(|(p, _)| p == "$.CelebrityFaces[0].MatchConfidence").expect("read through the selector");
        assert!(confidence.1.as_ref().and_then(Value::as_f64).is_some_and(|v| v > 90.0), "{all:?}");
        let answer = json!({"CelebrityFaces": [{"Id": "x", "MatchConfidence": 24.82}]});
        let shaped = expectations(&definition)["Recognize"].shape_service(answer);
        assert!(shaped["CelebrityFaces"][0]["MatchConfidence"].as_f64().is_some_and(|v| v > 90.0), "{shaped}");
    }

    #[test]
    fn a_choice_after_a_choice_on_the_chosen_branch_decides_on_the_same_result() {
        // The function's answer is read two Choices on: the second wants StackSetExist "no" or
        // "yes" (not its Default, which fails), after the first chose the way to it.
        let definition = json!({"StartAt": "Check", "States": {
            "Check": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f", "Next": "Kind?"},
            "Kind?": {"Type": "Choice", "Choices": [{"Variable": "$.RequestType", "StringEquals": "Delete", "Next": "Gone"}], "Default": "Skip?"},
            "Skip?": {"Type": "Choice", "Choices": [{"Variable": "$.TemplateURL", "StringEquals": "", "Next": "Gone"}], "Default": "Exists?"},
            "Exists?": {"Type": "Choice", "Choices": [
                {"Variable": "$.StackSetExist", "StringEquals": "no", "Next": "Create"},
                {"Variable": "$.StackSetExist", "StringEquals": "yes", "Next": "Gone"}], "Default": "Failed"},
            "Create": {"Type": "Pass", "Next": "Created"},
            "Created": {"Type": "Pass", "Next": "Gone"},
            "Gone": {"Type": "Succeed"},
            "Failed": {"Type": "Fail"}}});
        let all = reads(definition, "Check");
        let exists = all.iter().find(|(p, _)| p == "$.StackSetExist").map(|(_, v)| v.clone());
        assert_eq!(exists, Some(Some(json!("no"))), "the branch that does the most: {all:?}");
    }

    #[test]
    fn what_a_wait_hands_on_is_read_by_the_state_after_it() {
        let definition = json!({"StartAt": "Convert", "States": {
            "Convert": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "OutputPath": "$.Payload", "Next": "Future?"},
            "Future?": {"Type": "Choice", "Choices": [{"Variable": "$.process", "BooleanEquals": true, "Next": "Wait"}], "Default": "Skip"},
            "Skip": {"Type": "Pass", "End": true},
            "Wait": {"Type": "Wait", "TimestampPath": "$.time", "OutputPath": "$.event", "Next": "Emit"},
            "Emit": {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents", "Parameters": {"Entries": [{"Detail.$": "$.detail", "Source.$": "$.source"}]}, "End": true}}});
        let read = reads(definition, "Convert");
        assert!(read.contains(&("$.Payload.event.detail".to_string(), None)), "{read:?}");
        assert!(read.contains(&("$.Payload.event.source".to_string(), None)), "{read:?}");
        assert!(read.contains(&("$.Payload.time".to_string(), Some(json!("2024-01-01T00:00:00Z")))), "{read:?}");
        assert!(read.contains(&("$.Payload.process".to_string(), Some(json!(true)))), "{read:?}");
    }

    #[test]
    fn a_parallel_s_branches_read_its_input_and_the_state_after_it_reads_through_a_branch_that_hands_it_on() {
        // ec2-instance-isolation: the description is read six levels deep inside the branches,
        // and after the Parallel through the second branch's output, `$[1]`.
        let definition = json!({"StartAt": "Describe", "States": {
            "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "Parameters": {}, "ResultPath": "$.description", "Next": "Both"},
            "Both": {"Type": "Parallel", "Next": "Ingress", "Branches": [
                {"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:runInstances",
                    "Parameters": {"SubnetId.$": "$.description.Reservations[0].Instances[0].NetworkInterfaces[0].SubnetId"}, "ResultSelector": {"Id.$": "$.Instances[0].InstanceId"}, "End": true}}},
                {"StartAt": "Snap", "States": {"Snap": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:createSnapshot", "Parameters": {}, "ResultPath": "$.snapshot", "Next": "Done"},
                    "Done": {"Type": "Pass", "ResultPath": null, "End": true}}}]},
            "Ingress": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:authorizeSecurityGroupIngress",
                "Parameters": {"GroupId.$": "$[1].description.Reservations[0].Instances[0].SecurityGroups[0].GroupId", "Other.$": "$[0].description.X"}, "ResultPath": null, "Next": "Tag"},
            "Tag": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:createTags", "Parameters": {"Resources.$": "States.Array($[1].description.Y)"}, "End": true}}});
        let read: Vec<String> = reads(definition, "Describe").into_iter().map(|(p, _)| p).collect();
        assert!(read.contains(&"$.Reservations[0].Instances[0].NetworkInterfaces[0].SubnetId".to_string()), "{read:?}");
        assert!(read.contains(&"$.Reservations[0].Instances[0].SecurityGroups[0].GroupId".to_string()), "{read:?}");
        // Followed past a state that drops its result (ResultPath null).
        assert!(read.contains(&"$.Y".to_string()), "{read:?}");
        // The first branch ends with its selected result, not the Parallel's input.
        assert!(!read.contains(&"$.X".to_string()), "{read:?}");
    }

    #[test]
    fn a_jsonata_map_s_items_have_the_fields_its_batched_children_read() {
        let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Query", "States": {
            "Query": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "Arguments": {"TableName": "t"}, "Next": "Each"},
            "Each": {"Type": "Map", "Items": "{% $states.input.Items%}", "ItemBatcher": {"MaxItemsPerBatch": 1}, "End": true,
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Call", "States": {
                    "Call": {"Type": "Task", "Resource": "arn:aws:states:::http:invoke", "Arguments": {"ApiEndpoint": "{% 'https://x/' & $states.input.Items.location_id.S %}", "Method": "GET"}, "End": true}}}}}});
        let read: Vec<String> = reads(definition, "Query").into_iter().map(|(p, _)| p).collect();
        assert!(read.contains(&"$.Items[0].location_id.S".to_string()), "{read:?}");
    }

    #[test]
    fn a_body_written_to_the_object_a_distributed_map_reads_as_json_is_a_list() {
        let definition = json!({"StartAt": "Chunks", "States": {
            "Chunks": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "ResultPath": "$.Payload", "Next": "Save"},
            "Save": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject", "Parameters": {"Body.$": "$.Payload.Payload", "Bucket.$": "$.bucket", "Key.$": "$.file"}, "ResultPath": "$.saved", "Next": "Each"},
            "Each": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.file"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "End": true}}});
        let read = reads(definition.clone(), "Chunks");
        assert!(read.contains(&("$.Payload".to_string(), Some(json!([{}])))), "{read:?}");
        // Another object (another key) says nothing of the body.
        let mut other = definition;
        other["States"]["Each"]["ItemReader"]["Parameters"]["Key.$"] = json!("$.other");
        assert!(!reads(other, "Chunks").iter().any(|(_, v)| v.is_some()));
    }

    #[test]
    fn the_paths_a_service_answer_must_hold_leave_out_what_must_be_absent() {
        let read = |p: &str, absent| Read { steps: paths::steps(p).unwrap(), value: None, awaited: false, absent, selects: false, keeps: Vec::new(), against: None };
        let expectation = Expectation { reads: vec![read("$.Reservations[0].Instances[0].SubnetId", false), read("$.NextToken", true)], ..Default::default() };
        let wanted = vec![vec![ReadStep::Member("Reservations".into()), ReadStep::Index(0), ReadStep::Member("Instances".into()), ReadStep::Index(0), ReadStep::Member("SubnetId".into())]];
        assert_eq!(expectation.service_reads(), wanted);
    }

    #[test]
    fn reads_after_a_pass_that_renames_the_result_are_read_under_its_source() {
        let definition = json!({"StartAt": "Call", "States": {
            "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "Next": "Rename"},
            "Rename": {"Type": "Pass", "Parameters": {"item.$": "$.Payload", "fixed": 1}, "Next": "Put"},
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"Item": {"SK": {"S.$": "$.item.timestamp"}, "N": {"N.$": "$.fixed"}}}, "End": true}}});
        let read: Vec<String> = reads(definition, "Call").into_iter().map(|(p, _)| p).collect();
        assert!(read.contains(&"$.Payload.timestamp".to_string()), "{read:?}");
        assert!(!read.iter().any(|p| p.contains("fixed")), "{read:?}");
    }

    #[test]
    fn a_pagination_loop_s_answer_that_moves_on_has_no_next_token() {
        let definition = json!({"StartAt": "Page", "States": {
            "Page": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                     "ResultSelector": {"Lambda.$": "$.Payload"}, "ResultPath": "$.page", "Next": "More?"},
            "More?": {"Type": "Choice", "Choices": [{"Variable": "$.page.Lambda.NextToken", "IsPresent": true, "Next": "Page"}], "Default": "Done"},
            "Done": {"Type": "Succeed"}}});
        let expectation = expectations(&definition)["Page"].under(&Step::Member("Payload".into()));
        // The payload echoed back holds the previous page's token: the answer drops it.
        let shaped = expectation.shape_payload(json!({"NextToken": "t-1", "page": {"Lambda": {"NextToken": "t-0"}}}));
        assert!(shaped.get("NextToken").is_none(), "{shaped}");
    }

    #[test]
    fn names_suggest_values() {
        assert_eq!(value_for_name("itemCount"), json!(1));
        assert_eq!(value_for_name("isValid"), json!(true));
        assert_eq!(value_for_name("island"), json!("island-1"));
        assert_eq!(value_for_name("orderIds"), json!(["orderId-1"]));
    }

    fn jsonata(states: Value) -> Value {
        json!({"QueryLanguage": "JSONata", "StartAt": "Check", "States": states})
    }

    #[test]
    fn a_jsonata_output_placing_result_fields_and_the_choice_after_it_say_what_a_function_returns() {
        let definition = jsonata(json!({
            "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "f", "Payload": "{% $states.input %}"},
                      "Output": {"decision": {"status": "{% $states.result.Payload.status %}"}, "ref": "{% $states.result.Payload.refs[0] %}"}, "Next": "Approved?"},
            "Approved?": {"Type": "Choice", "Choices": [
                {"Condition": "{% $states.input.decision.status = 'REJECTED' %}", "Next": "Refused"},
                {"Condition": "{% $states.input.decision.status = 'APPROVED' %}", "Next": "Book"}], "Default": "Refused"},
            "Book": {"Type": "Pass", "Output": {"id": "{% $states.input.ref.bookingId %}"}, "End": true},
            "Refused": {"Type": "Fail", "Error": "Refused"}}));
        let got = reads(definition, "Check");
        assert!(got.contains(&("$.Payload.status".to_string(), Some(json!("APPROVED")))), "{got:?}");
        assert!(got.contains(&("$.Payload.refs[0].bookingId".to_string(), None)), "an index and a read through the output: {got:?}");
    }

    #[test]
    fn variables_assigned_from_a_result_and_tested_by_a_later_choice_say_what_a_service_reports() {
        // A polling loop on a variable: the whole result, and one field of it.
        let definition = jsonata(json!({
            "Check": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:textract:getDocumentAnalysis", "Arguments": {"JobId": "j"},
                      "Assign": {"job": "{% $states.result %}", "pages": "{% $states.result.DocumentMetadata.Pages %}", "note": "{% 'x' & $states.result.StatusMessage %}"},
                      "Output": "{% $states.input %}", "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 5, "Next": "Done?"},
            "Done?": {"Type": "Choice", "Choices": [
                {"Condition": "{% $job.JobStatus = 'IN_PROGRESS' %}", "Next": "Wait more"},
                {"Condition": "{% $job.JobStatus = 'SUCCEEDED' and $pages > 0 %}", "Next": "Save"}], "Default": "Failed"},
            "Wait more": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
            "Save": {"Type": "Pass", "Output": {"warnings": "{% $job.Warnings %}", "jobs": "{% $jobs %}"}, "End": true},
            "Failed": {"Type": "Fail"}}));
        let all = expectations(&definition);
        let check = &all["Check"];
        let status = check.reads.iter().find(|r| paths::display(&r.steps) == "$.JobStatus").expect("the status the Choice waits on");
        assert_eq!((status.value.clone(), status.awaited), (Some(json!("SUCCEEDED")), true));
        let pages = check.reads.iter().find(|r| paths::display(&r.steps) == "$.DocumentMetadata.Pages").unwrap();
        assert!(pages.value.as_ref().and_then(Value::as_f64).is_some_and(|n| n > 0.0), "{pages:?}");
        let read: Vec<String> = check.reads.iter().map(|r| paths::display(&r.steps)).collect();
        assert!(read.contains(&"$.Warnings".to_string()) && read.contains(&"$.StatusMessage".to_string()), "{read:?}");
        assert!(!read.iter().any(|r| r.contains("input")), "{read:?}");
        assert!(!reads_variable("$jobs", "job") && !reads_variable("$job(1)", "job") && reads_variable("$job.x", "job"));
        assert_eq!(variables_as_input("$job.JobStatus = 'A' and $jobs and $job", &["job"]), format!("$states.input.{VARIABLE}job.JobStatus = 'A' and $jobs and $states.input.{VARIABLE}job"));
    }

    #[test]
    fn a_jsonata_filter_on_a_service_s_list_gets_an_element_it_keeps() {
        // Textract's QUERIES answer: the questions and the answers are blocks of two types.
        let definition = jsonata(json!({
            "Check": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:textract:analyzeDocument", "Arguments": {"Document": {}, "FeatureTypes": ["QUERIES"]},
                      "Assign": {"questions": "{% $states.result.Blocks[BlockType='QUERY'].Query %}",
                                 "answers": "{% $states.result.Blocks[BlockType = \"QUERY_RESULT\"].Text %}",
                                 "again": "{% $states.result.Blocks[BlockType='QUERY'].Id %}",
                                 "pages": "{% $states.result.Pages[Number=2] %}"},
                      "End": true}}));
        let check = &expectations(&definition)["Check"];
        let read = |path: &str| check.reads.iter().find(|r| paths::display(&r.steps) == path).map(|r| (r.value.clone(), r.selects));
        assert_eq!(read("$.Blocks[0].BlockType"), Some((Some(json!("QUERY")), true)));
        assert_eq!(read("$.Blocks[1].BlockType"), Some((Some(json!("QUERY_RESULT")), true)), "a second filter keeps another element");
        assert_eq!(read("$.Blocks[0].Query"), Some((None, false)));
        assert_eq!(read("$.Blocks[0].Id"), Some((None, false)), "the same filter keeps the same element");
        assert_eq!(read("$.Blocks[1].Text"), Some((None, false)));
        assert_eq!(read("$.Pages[0].Number"), Some((Some(json!(2)), true)));
        assert!(read("$.Blocks[2].BlockType").is_none());
        // The service's answer keeps its shape, with the elements the filters keep.
        let catalogue = crate::catalogue::Catalogue::embedded();
        let answer = catalogue.resolve("arn:aws:states:::aws-sdk:textract:analyzeDocument").unwrap().example_output_reading(7, &check.service_reads());
        let answer = check.shape_service(answer);
        assert_eq!(answer.pointer("/Blocks/0/BlockType"), Some(&json!("QUERY")), "{answer}");
        assert_eq!(answer.pointer("/Blocks/1/BlockType"), Some(&json!("QUERY_RESULT")), "{answer}");
        assert!(answer.pointer("/Blocks/0/Query/Text").is_some_and(Value::is_string), "{answer}");
        // A filter that is no comparison with a literal says nothing.
        assert!(crate::sim::suite::synth::filtered_reads_under("$states.result.Items[price > 3].id", "$states.result").is_empty());
        assert!(crate::sim::suite::synth::filtered_reads_under("$states.result.Items[kind != 'x'].id", "$states.result").is_empty());
    }

    #[test]
    fn with_no_output_the_result_is_what_the_next_state_reads() {
        let definition = jsonata(json!({
            "Check": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:status", "Next": "Ready?"},
            "Ready?": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.state = 'PENDING' %}", "Next": "Check"}], "Default": "Use"},
            "Use": {"Type": "Pass", "Output": {"n": "{% $states.input.recordCount %}"}, "End": true}}));
        let got = reads(definition, "Check");
        let (_, state) = got.iter().find(|(p, _)| p == "$.state").expect("the Choice's field is read");
        assert_ne!(state.clone().unwrap_or_else(|| value_for_name("state")), json!("PENDING"), "not the loop back");
        assert!(got.contains(&("$.recordCount".to_string(), None)), "{got:?}");
    }

    #[test]
    fn a_zero_configuration_jsonata_run_takes_the_branch_that_moves_on() {
        let text = jsonata(json!({
            "Check": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:fraud-check", "Payload": "{% $states.input %}"},
                      "Assign": {"verdict": "{% $states.result.Payload.verdict %}"}, "Output": "{% $states.input %}", "Next": "Verdict?"},
            "Verdict?": {"Type": "Choice", "Choices": [
                {"Condition": "{% $verdict = 'FRAUD' %}", "Next": "Block"},
                {"Condition": "{% $verdict = 'CLEAR' %}", "Next": "Ship"}], "Default": "Block"},
            "Block": {"Type": "Fail", "Error": "Blocked"},
            "Ship": {"Type": "Pass", "Output": {"shipped": "{% $verdict %}"}, "End": true}})).to_string();
        let simulator = crate::sim::batch::Simulator::new(&text, &crate::sim::handler::HandlerSet::new()).unwrap();
        let run = simulator.run(json!({"order": 1}), 0);
        assert_eq!(run.status, "SUCCEEDED", "{:?}", run.cause);
        assert_eq!(run.output.as_deref(), Some(&json!({"shipped": "CLEAR"})));
    }
}
