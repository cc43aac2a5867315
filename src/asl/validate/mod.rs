//! The validator: every rule that judges a definition, each with a stable [`Code`].
//!
//! [`validate_text`] is the whole pipeline (read → lower → validate → locate); [`validate`]
//! runs the model rules on a [`StateMachine`] (after an edit, say) and gives diagnostics with
//! pointers. The rules live by subject: [`graph`] (targets, reachability, terminals, branch
//! escapes, state names), [`fields`] (required, exclusive, ranges, Choice rules, Retry/Catch),
//! [`expressions`] (query-language fields, paths, payload templates, intrinsics, JSONata,
//! timestamps, lints), [`variables`] (`$variable` scope) and [`syntax`] (the string checkers).

pub mod expressions;
pub mod fields;
pub mod graph;
pub mod syntax;
pub mod variables;

use crate::asl::diag::{self, Code, Diagnostic};
use crate::asl::json::{Node, escape_pointer_token};
use crate::asl::lower;
use crate::asl::model::{ExecutionType, QueryLanguage, State, StateKind, StateMachine};

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
            diagnostics.sort_by_key(|d| (d.severity, d.position.map(|p| (p.line, p.column))));
            Report { root: Some(root), machine: Some(lowered.machine), diagnostics }
        }
    }
}

/// Runs every model rule on `machine`.
pub fn validate(machine: &StateMachine) -> Vec<Diagnostic> {
    validate_as(machine, ExecutionType::Standard)
}

/// [`validate`] for a state machine of type `execution_type`.
pub fn validate_as(machine: &StateMachine, execution_type: ExecutionType) -> Vec<Diagnostic> {
    let scopes = Scope::collect(machine);
    let mut out = Vec::new();
    graph::check(&scopes, &mut out);
    for scope in &scopes {
        fields::check_machine(scope, &mut out);
        for (named, pointer) in scope.machine.states.iter().zip(&scope.state_pointers) {
            let at = StateAt {
                name: &named.name,
                state: &named.state,
                pointer,
                language: named.state.query_language.unwrap_or(scope.language),
            };
            fields::check_state(&at, &mut out);
            expressions::check_state(&at, &mut out);
            if execution_type == ExecutionType::Express {
                express_task(&at, &mut out);
            }
        }
    }
    variables::check(&scopes, &mut out);
    out
}

/// AWS's refusal of a Task an EXPRESS state machine cannot run, located on its `Resource`.
fn express_task(at: &StateAt, out: &mut Vec<Diagnostic>) {
    let StateKind::Task(task) = &at.state.kind else { return };
    let Some(Ok(resource)) = task.resource.as_deref().map(crate::asl::integrations::parse) else { return };
    if let Some(refused) = resource.express_error() {
        report(out, Code::ExpressIntegration, at.at("Resource"), format!("SCHEMA_VALIDATION_FAILED: {}", refused.message()));
    }
}

/// Where a set of states sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Top,
    Branch,
    Processor,
}

/// One set of states (the top level, a Parallel branch, a Map processor) with what the rules
/// need to know about where it is.
#[derive(Debug)]
pub struct Scope<'m> {
    pub machine: &'m StateMachine,
    /// The pointer of the object holding `StartAt` and `States`.
    pub pointer: String,
    /// The query language its states default to.
    pub language: QueryLanguage,
    /// The index of the enclosing scope in the list.
    pub parent: Option<usize>,
    /// The index, among the parent's states, of the Parallel or Map state that holds this scope.
    pub enclosing_state: Option<usize>,
    pub kind: ScopeKind,
    /// The pointer of each state, in the order of `machine.states`.
    pub state_pointers: Vec<String>,
}

impl<'m> Scope<'m> {
    /// Every scope of `machine`, the top level first, parents before children.
    pub fn collect(machine: &'m StateMachine) -> Vec<Scope<'m>> {
        let mut out = Vec::new();
        Self::collect_into(machine, String::new(), QueryLanguage::JsonPath, None, ScopeKind::Top, &mut out);
        out
    }

    fn collect_into(
        machine: &'m StateMachine,
        pointer: String,
        inherited: QueryLanguage,
        parent: Option<(usize, usize)>,
        kind: ScopeKind,
        out: &mut Vec<Scope<'m>>,
    ) {
        let language = machine.query_language.unwrap_or(inherited);
        let index = out.len();
        let state_pointers: Vec<String> =
            machine.states.iter().map(|s| state_pointer(&pointer, &s.name)).collect();
        let (parent, enclosing_state) = (parent.map(|p| p.0), parent.map(|p| p.1));
        out.push(Scope { machine, pointer, language, parent, enclosing_state, kind, state_pointers });
        for (i, named) in machine.states.iter().enumerate() {
            let state_pointer = out[index].state_pointers[i].clone();
            let state_language = named.state.query_language.unwrap_or(language);
            for (child, child_pointer, child_kind) in children(&named.state, &state_pointer) {
                Self::collect_into(child, child_pointer, state_language, Some((index, i)), child_kind, out);
            }
        }
    }

    /// Whether scope `index` is this one's ancestor (or itself), within `scopes`.
    pub fn sees(scopes: &[Scope], from: usize, index: usize) -> bool {
        let mut at = Some(from);
        while let Some(i) = at {
            if i == index {
                return true;
            }
            at = scopes[i].parent;
        }
        false
    }
}

/// `{scope}/States/{name}`, the name escaped; written without the formatting machinery, as it
/// runs for every state.
fn state_pointer(scope: &str, name: &str) -> String {
    let name = escape_pointer_token(name);
    let mut pointer = String::with_capacity(scope.len() + 8 + name.len());
    pointer.push_str(scope);
    pointer.push_str("/States/");
    pointer.push_str(&name);
    pointer
}

/// The nested state machines of a state: Parallel branches, a Map's Iterator and ItemProcessor.
fn children<'m>(state: &'m State, pointer: &str) -> Vec<(&'m StateMachine, String, ScopeKind)> {
    match &state.kind {
        StateKind::Parallel(p) => p
            .branches
            .iter()
            .flatten()
            .enumerate()
            .map(|(i, b)| (b, format!("{pointer}/Branches/{i}"), ScopeKind::Branch))
            .collect(),
        StateKind::Map(m) => {
            let mut out = Vec::new();
            if let Some(it) = &m.iterator {
                out.push((&**it, format!("{pointer}/Iterator"), ScopeKind::Processor));
            }
            if let Some(p) = &m.item_processor {
                out.push((&**p, format!("{pointer}/ItemProcessor"), ScopeKind::Processor));
            }
            out
        }
        _ => Vec::new(),
    }
}

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
