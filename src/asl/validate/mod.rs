//! The validator: every rule that judges a definition, each with a stable [`Code`].
//!
//! [`validate_text`] is the whole pipeline (read → lower → validate → locate); [`validate`]
//! runs the model rules on a [`StateMachine`] (after an edit, say) and gives diagnostics with
//! pointers. The rules live by subject: [`graph`] (targets, reachability, terminals, branch
//! escapes, state names), [`fields`] (required, exclusive, ranges, Choice rules, Retry/Catch),
//! [`expressions`] (query-language fields, paths, payload templates, intrinsics, JSONata,
//! timestamps, lints), [`variables`] (`$variable` scope), [`flow`] (what one state hands the
//! next: a field read of a Parallel's array) and [`syntax`] (the string checkers).

pub mod expressions;
pub mod fields;
pub mod flow;
pub mod graph;
pub mod syntax;
pub mod variables;

use crate::asl::diag::{self, Code, Diagnostic};
use crate::asl::json::Node;
use crate::asl::lower;
use crate::asl::model::{ExecutionType, QueryLanguage, State, StateKind, StateMachine};
use crate::asl::walk::{Reach, Walk};

/// A definition read from text, judged.
#[derive(Debug, Clone)]
pub struct Report {
    /// The JSON tree, unless the text is not JSON.
    pub root: Option<Node>,
    /// The model, unless the text is not JSON.
    pub machine: Option<StateMachine>,
    /// Every diagnostic, located, errors first, then by position.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The diagnostics that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Reads, lowers and validates a definition, locating every diagnostic in `text`.
pub fn validate_text(text: &str) -> Report {
    validate_text_as(text, ExecutionType::Standard)
}

/// [`validate_text`] for a state machine of type `execution_type`: an EXPRESS one cannot use
/// `.sync`, `.waitForTaskToken` or activities.
pub fn validate_text_as(text: &str, execution_type: ExecutionType) -> Report {
    match lower::lower_text(text) {
        Err(syntax) => Report { root: None, machine: None, diagnostics: vec![syntax] },
        Ok((root, lowered)) => {
            let mut diagnostics = lowered.diagnostics;
            diagnostics.extend(validate_as(&lowered.machine, execution_type));
            diag::locate(&mut diagnostics, &root, text);
            sort(&mut diagnostics);
            Report { root: Some(root), machine: Some(lowered.machine), diagnostics }
        }
    }
}

/// The errors of `text` as (code, pointer, message): what the rules' tests compare.
#[cfg(test)]
pub(crate) fn errors_of(text: &str) -> Vec<(Code, String, String)> {
    validate_text(text).errors().map(|d| (d.code, d.pointer.clone(), d.message.clone())).collect()
}

/// Puts located diagnostics in the order they are shown: errors first, then by position, and
/// (so that the order does not depend on which rule ran first, and a definition judged again in
/// part gives the same list) by pointer, code and message.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    crate::asl::sort::sort_by(diagnostics, |a, b| {
        let key = |d: &Diagnostic| (d.severity, d.position.map(|p| (p.line, p.column)), d.span.map(|s| (s.start, s.end)));
        key(a).cmp(&key(b)).then_with(|| a.pointer.cmp(&b.pointer)).then_with(|| a.code.as_str().cmp(b.code.as_str())).then_with(|| a.message.cmp(&b.message))
    });
}

/// Runs every model rule on `machine`.
pub fn validate(machine: &StateMachine) -> Vec<Diagnostic> {
    validate_as(machine, ExecutionType::Standard)
}

/// [`validate`] for a state machine of type `execution_type`.
pub fn validate_as(machine: &StateMachine, execution_type: ExecutionType) -> Vec<Diagnostic> {
    let judged = judge(machine, execution_type);
    let mut out = judged.whole;
    out.extend(judged.top_states.into_iter().flatten());
    out
}

/// What [`validate_as`] finds, in two parts, so that an edit inside one top-level state judges
/// again only that state's own rules ([`judge_top_state`]) and the rules over the whole machine
/// ([`judge_whole`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// The rules over the whole machine (graph, scope fields, variables, labels) and every rule
    /// of the states nested in a Parallel or Map.
    pub whole: Vec<Diagnostic>,
    /// The rules of one state alone ([`judge_top_state`]), for each top-level state in order.
    pub top_states: Vec<Vec<Diagnostic>>,
}

/// Runs every model rule on `machine`, in [`Judged`]'s two parts.
pub fn judge(machine: &StateMachine, execution_type: ExecutionType) -> Judged {
    // Every state written is checked: a Map writing both `Iterator` and `ItemProcessor` has
    // both checked (and the pair reported).
    let walk = Walk::new(machine, Reach::Written);
    let whole = whole_rules(machine, &walk, execution_type);
    let top_states = (0..machine.states.len()).map(|i| state_rules(machine, &walk, 0, i, execution_type)).collect();
    Judged { whole, top_states }
}

/// The whole-machine part of [`judge`].
pub fn judge_whole(machine: &StateMachine, execution_type: ExecutionType) -> Vec<Diagnostic> {
    whole_rules(machine, &Walk::new(machine, Reach::Written), execution_type)
}

/// The rules of the top-level state at `index` alone (its fields and expressions), as in
/// [`Judged::top_states`]; `None` when there is no such state.
pub fn judge_top_state(machine: &StateMachine, index: usize, execution_type: ExecutionType) -> Option<Vec<Diagnostic>> {
    if index >= machine.states.len() {
        return None;
    }
    // Its visit as the walk makes it, without walking the machine.
    let named = &machine.states[index];
    let pointer = crate::asl::walk::state_pointer("", &named.name);
    let top = crate::asl::walk::scope_language(machine, QueryLanguage::JsonPath);
    let language = crate::asl::walk::state_language(&named.state, top);
    let at = StateAt { name: &named.name, state: &named.state, pointer: &pointer, language };
    Some(rules_of(machine, &at, execution_type))
}

fn whole_rules(machine: &StateMachine, walk: &Walk, execution_type: ExecutionType) -> Vec<Diagnostic> {
    let scopes = &walk.scopes;
    let mut out = Vec::new();
    graph::check(scopes, &mut out);
    for (index, scope) in scopes.iter().enumerate() {
        fields::check_machine(scope, &mut out);
        if index == 0 {
            continue;
        }
        for i in 0..scope.machine.states.len() {
            out.extend(state_rules(machine, walk, index, i, execution_type));
        }
    }
    variables::check(scopes, &mut out);
    flow::check(scopes, &mut out);
    labels(walk, &mut out);
    out
}

fn state_rules(machine: &StateMachine, walk: &Walk, scope: usize, i: usize, execution_type: ExecutionType) -> Vec<Diagnostic> {
    let visit = walk.visit(scope, i);
    let at = StateAt { name: visit.name, state: visit.state, pointer: visit.pointer, language: visit.language };
    rules_of(machine, &at, execution_type)
}

fn rules_of(machine: &StateMachine, at: &StateAt, execution_type: ExecutionType) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    fields::check_state(at, &mut out);
    expressions::check_state(at, &mut out);
    if execution_type == ExecutionType::Express {
        express_task(at, &mut out);
    }
    downgraded_language(machine, at, &mut out);
    out
}

/// AWS's rules for a Map's `Label` (its API's `INVALID_LABEL_NAME` and `DUPLICATE_LABEL_NAME`):
/// at most 40 characters, none of the characters its names forbid, unique in the machine.
fn labels(walk: &Walk, out: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for (index, scope) in walk.scopes.iter().enumerate() {
        for i in 0..scope.machine.states.len() {
            let visit = walk.visit(index, i);
            let StateKind::Map(map) = &visit.state.kind else { continue };
            let Some(label) = map.label.as_deref() else { continue };
            let pointer = format!("{}/Label", visit.pointer);
            let length = label.chars().count();
            let forbidden = label.chars().find(|c| c.is_whitespace() || c.is_control() || "<>{}[]?*\"#%\\^|~`$&,;:/".contains(*c));
            if length > 40 {
                report(out, Code::Label, pointer, format!("the label exceeds the 40-character limit allowed by the service (it is {length} characters long)"));
            } else if let Some(c) = forbidden {
                report(out, Code::Label, pointer, format!("the label `{label}` contains the forbidden character {c:?}"));
            } else if let Some(other) = seen.insert(label, visit.name) {
                // AWS's DUPLICATE_LABEL_NAME, in its words (as a policy-as-code rule quotes it).
                report(out, Code::DuplicateLabel, pointer, format!("Duplicate Label name: {label} (already the label of the Map `{other}`)"));
            }
        }
    }
}

/// AWS's refusal of a state that sets `"QueryLanguage": "JSONPath"` in a state machine whose
/// top level is JSONata, at any depth. The other way round is allowed: a JSONPath machine may have
/// a JSONata Map whose states go back to JSONPath (AWS accepts that, and rejects this).
fn downgraded_language(machine: &StateMachine, at: &StateAt, out: &mut Vec<Diagnostic>) {
    if machine.query_language == Some(QueryLanguage::Jsonata) && at.state.query_language == Some(QueryLanguage::JsonPath) {
        report(
            out,
            Code::InvalidValue,
            at.at("QueryLanguage"),
            "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine".to_string(),
        );
    }
}

/// AWS's refusal of a Task an EXPRESS state machine cannot run, located on its `Resource`.
fn express_task(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let StateKind::Task(task) = &at.state.kind else { return };
    let Some(Ok(resource)) = task.resource.as_deref().map(crate::asl::integrations::parse) else { return };
    if let Some(refused) = resource.express_error() {
        report(out, Code::ExpressIntegration, at.at("Resource"), format!("SCHEMA_VALIDATION_FAILED: {}", refused.message()));
    }
}

pub use crate::asl::walk::{Scope, ScopeKind};

/// A state being checked, with its name, pointer and effective query language.
pub struct StateAt<'m> {
    pub name: &'m str,
    pub state: &'m State,
    pub pointer: &'m str,
    pub language: QueryLanguage,
}

impl StateAt<'_> {
    /// The pointer of field `field` (a `/`-separated suffix such as `Retry/0/BackoffRate`).
    pub fn at(&self, field: &str) -> String {
        let mut pointer = String::with_capacity(self.pointer.len() + 1 + field.len());
        pointer.push_str(self.pointer);
        pointer.push('/');
        pointer.push_str(field);
        pointer
    }
}

/// Shorthand for pushing a diagnostic.
pub(crate) fn report(out: &mut Vec<Diagnostic>, code: Code, pointer: impl Into<String>, message: impl Into<String>) {
    out.push(Diagnostic::new(code, pointer, message));
}
