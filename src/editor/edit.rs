//! User gestures as changes: drop a palette item on an edge or on empty canvas, connect two
//! states, rename with every reference following, delete with references repaired, duplicate,
//! and field edits from the inspector. Each returns one [`Change`] (a batch) for one undo step.

use super::change::{Change, EditError};
use super::document::Document;
use super::geometry::Point;
use super::graph::EdgeField;
use super::palette::{NEXT, PaletteItem};
use super::scope::{Scope, StateRef, all_names, machine_at, unique_name};
use crate::asl::lower::lower_text;
use crate::asl::model::{
    Catcher, ChoiceRule, ComparisonOperator, NamedState, Operand, RuleTest, State, StateKind, StateMachine,
};

/// The edge a palette item is dropped on: the state it leaves (None: the Start marker) and the
/// field it stands for, in the machine at `scope`.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeTarget {
    pub scope: Scope,
    pub source: Option<StateRef>,
    pub field: EdgeField,
}

/// Which handle a connection is dragged from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handle {
    /// The bottom handle: Next (or, on a Choice, a new rule or the Default).
    Next,
    /// The side handle of a Task, Parallel or Map: a new catcher.
    Catch,
}

/// Rewrites every transition of `state` that goes to `from` so that it goes to `to`; `None`
/// ends the state instead (a Next becomes `"End": true`; other fields are removed). Returns
/// whether anything changed.
pub fn retarget(state: &mut State, from: &str, to: Option<&str>) -> bool {
    let mut changed = false;
    if state.next.as_deref() == Some(from) {
        changed = true;
        match to {
            Some(t) => state.next = Some(t.to_string()),
            None => {
                state.next = None;
                state.end = Some(true);
            }
        }
    }
    let set = |field: &mut Option<String>, changed: &mut bool| {
        if field.as_deref() == Some(from) {
            *field = to.map(str::to_string);
            *changed = true;
        }
    };
    if let StateKind::Choice(choice) = &mut state.kind {
        for rule in choice.choices.iter_mut().flatten() {
            set(&mut rule.next, &mut changed);
        }
        set(&mut choice.default, &mut changed);
    }
    for catcher in state.catch.iter_mut().flatten() {
        set(&mut catcher.next, &mut changed);
    }
    changed
}

/// Renames the state `from` to `to` wherever it is in `machine` (names are unique across a
/// machine), with its scope's references and StartAt.
pub(super) fn rename_everywhere(machine: &mut StateMachine, from: &str, to: &str) {
    if machine.start_at.as_deref() == Some(from) {
        machine.start_at = Some(to.to_string());
    }
    let here = machine.states.iter().any(|s| s.name == from);
    for s in &mut machine.states {
        if here {
            retarget(&mut s.state, from, Some(to));
            if s.name == from {
                s.name = to.to_string();
            }
        }
        for (_, inner) in crate::asl::walk::nested_mut(&mut s.state, crate::asl::walk::Reach::Written) {
            rename_everywhere(inner, from, to);
        }
    }
}

/// An item's states, renamed so that no name clashes with `root`, with its entry state.
pub fn instantiate(item: &PaletteItem, root: &StateMachine) -> (String, Vec<NamedState>) {
    let mut fragment = lower_text(item.asl).map(|(_, l)| l.machine).unwrap_or_default();
    // A fragment's top-level QueryLanguage (the JSONata seed) goes onto each of its states.
    if let Some(language) = fragment.query_language {
        for s in fragment.states.iter_mut().filter(|s| s.state.query_language.is_none()) {
            s.state.query_language = Some(language);
        }
    }
    let mut taken = Vec::new();
    for name in all_names(&fragment) {
        let fresh = unique_name(root, &name, &taken);
        if fresh != name {
            rename_everywhere(&mut fragment, &name, &fresh);
        }
        taken.push(fresh);
    }
    let entry = fragment.start_at.clone().unwrap_or_default();
    (entry, fragment.states)
}

/// The state `r` in `doc`.
fn state<'d>(doc: &'d Document, r: &StateRef) -> Result<&'d State, EditError> {
    machine_at(doc.machine(), &r.scope).ok_or(EditError::NoScope)?.state(&r.name).ok_or_else(|| EditError::NoState(r.name.clone()))
}

fn insert_all(scope: &Scope, at: usize, states: Vec<NamedState>, out: &mut Vec<Change>) {
    for (k, s) in states.into_iter().enumerate() {
        out.push(Change::InsertState { scope: scope.clone(), index: at + k, name: s.name, state: Box::new(s.state) });
    }
}

/// Drops `item` on empty canvas at `at` (top-left, canvas space) in the machine at `scope`: its
/// states are free (the flow ends after them) until connected. An empty machine starts with it.
pub fn add_free(doc: &Document, scope: &Scope, item: &PaletteItem, at: Option<Point>) -> Result<Change, EditError> {
    let machine = machine_at(doc.machine(), scope).ok_or(EditError::NoScope)?;
    let (entry, mut states) = instantiate(item, doc.machine());
    for s in &mut states {
        retarget(&mut s.state, NEXT, None);
    }
    let mut out = Vec::new();
    if machine.start_at.as_deref().and_then(|s| machine.state(s)).is_none() {
        out.push(Change::SetStartAt { scope: scope.clone(), start_at: Some(entry.clone()) });
    }
    insert_all(scope, machine.states.len(), states, &mut out);
    if let (Some(p), true) = (at, scope.is_empty()) {
        let id = StateRef { scope: scope.clone(), name: entry }.pointer(doc.machine());
        out.push(Change::SetPosition { id, at: Some(p) });
    }
    Ok(Change::Batch(out))
}

/// Drops `item` on an edge: the edge's source now goes to the item's entry, and the item
/// continues where the edge went.
pub fn insert_on_edge(doc: &Document, edge: &EdgeTarget, item: &PaletteItem) -> Result<Change, EditError> {
    let machine = machine_at(doc.machine(), &edge.scope).ok_or(EditError::NoScope)?;
    let (entry, mut states) = instantiate(item, doc.machine());
    let mut out = Vec::new();
    let mut index = machine.states.len();
    let target: Option<String> = match (&edge.source, &edge.field) {
        (None, _) => {
            out.push(Change::SetStartAt { scope: edge.scope.clone(), start_at: Some(entry.clone()) });
            index = 0;
            machine.start_at.clone()
        }
        (Some(source), field) => {
            let mut s = state(doc, source)?.clone();
            index = machine.states.iter().rposition(|x| x.name == source.name).map_or(index, |i| i + 1);
            let old = match field {
                EdgeField::Next => s.next.replace(entry.clone()),
                EdgeField::End => {
                    if matches!(s.kind, StateKind::Succeed | StateKind::Fail(_)) {
                        return add_free(doc, &edge.scope, item, None);
                    }
                    s.end = None;
                    s.next = Some(entry.clone());
                    None
                }
                EdgeField::Default => match &mut s.kind {
                    StateKind::Choice(c) => c.default.replace(entry.clone()),
                    _ => None,
                },
                EdgeField::Choice(i) => match &mut s.kind {
                    StateKind::Choice(c) => c.choices.iter_mut().flatten().nth(*i).and_then(|r| r.next.replace(entry.clone())),
                    _ => None,
                },
                EdgeField::Catch(i) => s.catch.iter_mut().flatten().nth(*i).and_then(|c| c.next.replace(entry.clone())),
                EdgeField::StartAt => None,
            };
            out.push(Change::ReplaceState { scope: edge.scope.clone(), name: source.name.clone(), state: Box::new(s) });
            old
        }
    };
    // An item that ends the flow on its own (a whole workflow as a pattern) continues where the
    // edge went instead, so nothing after the edge becomes unreachable.
    if !item.asl.contains(NEXT) && target.is_some() {
        for s in states.iter_mut().filter(|s| s.state.end == Some(true)) {
            s.state.end = None;
            s.state.next = Some(NEXT.to_string());
        }
    }
    for s in &mut states {
        retarget(&mut s.state, NEXT, target.as_deref());
    }
    insert_all(&edge.scope, index, states, &mut out);
    Ok(Change::Batch(out))
}

/// Connects `from` to the state named `to` in the same machine. On a Choice, the bottom handle
/// sets the Default if there is none, else adds a rule; the catch handle adds a catcher.
pub fn connect(doc: &Document, from: &StateRef, to: &str, handle: Handle) -> Result<Change, EditError> {
    let machine = machine_at(doc.machine(), &from.scope).ok_or(EditError::NoScope)?;
    if machine.state(to).is_none() {
        return Err(EditError::NoState(to.to_string()));
    }
    let mut s = state(doc, &from.clone())?.clone();
    let can_catch = matches!(s.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_));
    match (handle, &mut s.kind) {
        (_, StateKind::Succeed | StateKind::Fail(_)) => return Err(EditError::NoState(to.to_string())),
        (Handle::Catch, _) if can_catch => {
            s.catch.get_or_insert_with(Vec::new).push(Catcher {
                error_equals: Some(vec!["States.ALL".into()]),
                next: Some(to.to_string()),
                ..Default::default()
            });
        }
        (_, StateKind::Choice(c)) => {
            if c.default.is_none() {
                c.default = Some(to.to_string());
            } else {
                c.choices.get_or_insert_with(Vec::new).push(ChoiceRule {
                    variable: Some("$.value".into()),
                    test: Some(RuleTest::Compare {
                        operator: ComparisonOperator::from_name("StringEquals").expect("a known operator"),
                        operand: Operand::String(to.to_string()),
                    }),
                    next: Some(to.to_string()),
                    ..Default::default()
                });
            }
        }
        _ => {
            s.next = Some(to.to_string());
            s.end = None;
        }
    }
    Ok(Change::ReplaceState { scope: from.scope.clone(), name: from.name.clone(), state: Box::new(s) })
}

/// Renames a state; every transition to it and its scope's StartAt follow.
pub fn rename(doc: &Document, r: &StateRef, to: &str) -> Result<Change, EditError> {
    let to = to.trim();
    if to.is_empty() {
        return Err(EditError::EmptyName);
    }
    if to == r.name {
        return Ok(Change::Batch(Vec::new()));
    }
    if all_names(doc.machine()).iter().any(|n| n == to) {
        return Err(EditError::NameTaken(to.to_string()));
    }
    let machine = machine_at(doc.machine(), &r.scope).ok_or(EditError::NoScope)?;
    state(doc, r)?;
    let mut out = Vec::new();
    for s in &machine.states {
        let mut copy = s.state.clone();
        if retarget(&mut copy, &r.name, Some(to)) {
            out.push(Change::ReplaceState { scope: r.scope.clone(), name: s.name.clone(), state: Box::new(copy) });
        }
    }
    if machine.start_at.as_deref() == Some(r.name.as_str()) {
        out.push(Change::SetStartAt { scope: r.scope.clone(), start_at: Some(to.to_string()) });
    }
    out.push(Change::RenameState { scope: r.scope.clone(), from: r.name.clone(), to: to.to_string() });
    Ok(Change::Batch(out))
}

/// Deletes a state. Transitions to it go on to where it went (its Next); with no Next, a Next
/// becomes End and other references are left for the validator to flag.
pub fn delete(doc: &Document, r: &StateRef) -> Result<Change, EditError> {
    let machine = machine_at(doc.machine(), &r.scope).ok_or(EditError::NoScope)?;
    let gone = state(doc, r)?;
    let successor = gone.next.clone().filter(|n| *n != r.name);
    let mut out = Vec::new();
    for s in machine.states.iter().filter(|s| s.name != r.name) {
        let mut copy = s.state.clone();
        let changed = match &successor {
            Some(n) => retarget(&mut copy, &r.name, Some(n)),
            None => {
                // Only a Next can end; Choice and Catch references stay (and are flagged).
                if copy.next.as_deref() == Some(r.name.as_str()) {
                    copy.next = None;
                    copy.end = Some(true);
                    true
                } else {
                    false
                }
            }
        };
        if changed {
            out.push(Change::ReplaceState { scope: r.scope.clone(), name: s.name.clone(), state: Box::new(copy) });
        }
    }
    if machine.start_at.as_deref() == Some(r.name.as_str()) {
        let next = successor.clone().or_else(|| machine.states.iter().find(|s| s.name != r.name).map(|s| s.name.clone()));
        out.push(Change::SetStartAt { scope: r.scope.clone(), start_at: next });
    }
    out.push(Change::RemoveState { scope: r.scope.clone(), name: r.name.clone() });
    Ok(Change::Batch(out))
}

/// Deletes several states as one change (one undo step). Each is deleted from what the ones
/// before it left, so the flow is repaired as if they were deleted one by one; a state that is
/// already gone (nested in a container deleted before it) is skipped.
pub fn delete_all(doc: &Document, refs: &[StateRef]) -> Result<Change, EditError> {
    let mut scratch = doc.clone();
    let mut out = Vec::new();
    // Outer states first: their nested states then go with them.
    let mut outer_first: Vec<&StateRef> = refs.iter().collect();
    crate::asl::sort::sort_by_key(&mut outer_first, |r| r.scope.len());
    for r in outer_first {
        if r.resolve(scratch.machine()).is_none() {
            continue;
        }
        let change = delete(&scratch, r)?;
        scratch.apply(change.clone())?;
        out.push(change);
    }
    if out.is_empty() {
        return Err(EditError::NoState(refs.first().map(|r| r.name.clone()).unwrap_or_default()));
    }
    Ok(Change::Batch(out))
}

/// Duplicates a state (and the states nested in it, renamed) right after it; the copy keeps
/// the original's transitions.
pub fn duplicate(doc: &Document, r: &StateRef) -> Result<(Change, String), EditError> {
    let machine = machine_at(doc.machine(), &r.scope).ok_or(EditError::NoScope)?;
    let mut copy = StateMachine {
        start_at: Some(r.name.clone()),
        states: vec![NamedState { name: r.name.clone(), state: state(doc, r)?.clone() }],
        ..Default::default()
    };
    let mut taken = Vec::new();
    for name in all_names(&copy) {
        let fresh = unique_name(doc.machine(), &name, &taken);
        // Rename keys only at the top: the copy's own transitions keep pointing at the originals.
        if name == r.name {
            copy.states[0].name = fresh.clone();
        } else {
            rename_everywhere(&mut copy, &name, &fresh);
        }
        taken.push(fresh);
    }
    let name = copy.states[0].name.clone();
    let index = machine.states.iter().rposition(|s| s.name == r.name).map_or(machine.states.len(), |i| i + 1);
    let mut out = Vec::new();
    insert_all(&r.scope, index, copy.states, &mut out);
    let id = r.pointer(doc.machine());
    if let Some(p) = doc.positions().get(&id) {
        let new_id = StateRef { scope: r.scope.clone(), name: name.clone() }.pointer(doc.machine());
        out.push(Change::SetPosition { id: new_id, at: Some(Point::new(p.x + 40.0, p.y + 40.0)) });
    }
    Ok((Change::Batch(out), name))
}

/// Edits one state's fields with `edit`; `None` when nothing changed.
pub fn update(doc: &Document, r: &StateRef, edit: impl FnOnce(&mut State)) -> Result<Option<Change>, EditError> {
    let old = state(doc, r)?;
    let mut s = old.clone();
    edit(&mut s);
    Ok((s != *old).then(|| Change::ReplaceState { scope: r.scope.clone(), name: r.name.clone(), state: Box::new(s) }))
}

/// The error names a new catcher may catch, in the order one is offered: the catch-all first
/// (only while nothing catches it), then the predefined errors a Task, Parallel or Map raises.
const CATCHABLE: &[&str] = &[
    "States.ALL",
    "States.TaskFailed",
    "States.Timeout",
    "States.HeartbeatTimeout",
    "States.Permissions",
    "States.ResultPathMatchFailure",
    "States.ParameterPathFailure",
    "States.BranchFailed",
    "States.QueryEvaluationError",
    "States.IntrinsicFailure",
    "States.DataLimitExceeded",
    "States.Runtime",
];

/// The error a new catcher of `state` catches: the first of [`CATCHABLE`] no catcher of the
/// state names yet, so the new one is never a duplicate (nor a second `States.ALL`). `None`
/// when every one is caught already.
pub fn uncaught_error(state: &State) -> Option<&'static str> {
    let caught: Vec<&str> = state.catch.iter().flatten().flat_map(|c| c.error_equals.iter().flatten()).map(String::as_str).collect();
    // A catcher after `States.ALL` would never run; one before it is fine.
    CATCHABLE.iter().copied().find(|e| !caught.contains(e))
}

/// The states a new catcher of `r` may go to: its siblings, itself excepted.
pub fn catch_targets(doc: &Document, r: &StateRef) -> Vec<String> {
    machine_at(doc.machine(), &r.scope).map(|m| m.states.iter().filter(|s| s.name != r.name).map(|s| s.name.clone()).collect()).unwrap_or_default()
}

/// Adds a catcher to `r` that catches [`uncaught_error`] and goes to `next` (chosen by the user
/// from [`catch_targets`]). It goes before a `States.ALL` catcher, which must stay last, so the
/// definition stays valid.
pub fn add_catcher(doc: &Document, r: &StateRef, next: &str) -> Result<Change, EditError> {
    let machine = machine_at(doc.machine(), &r.scope).ok_or(EditError::NoScope)?;
    if next == r.name || machine.state(next).is_none() {
        return Err(EditError::NoState(next.to_string()));
    }
    let mut s = state(doc, r)?.clone();
    let error = uncaught_error(&s).ok_or(EditError::AllCaught)?;
    let catcher = Catcher { error_equals: Some(vec![error.to_string()]), next: Some(next.to_string()), ..Default::default() };
    let list = s.catch.get_or_insert_with(Vec::new);
    let at = list.iter().position(|c| c.error_equals.iter().flatten().any(|e| e == "States.ALL")).unwrap_or(list.len());
    list.insert(at, catcher);
    Ok(Change::ReplaceState { scope: r.scope.clone(), name: r.name.clone(), state: Box::new(s) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::palette::item;

    fn seed() -> Document {
        Document::seed()
    }

    fn apply(doc: &mut Document, make: impl FnOnce(&Document) -> Result<Change, EditError>) {
        let c = make(doc);
        doc.apply(c.expect("a change")).expect("applies");
        assert!(doc.syntax_error().is_none());
    }

    fn json(doc: &Document) -> serde_json::Value {
        serde_json::from_str(doc.text()).unwrap()
    }

    fn edge(source: &str, field: EdgeField) -> EdgeTarget {
        EdgeTarget { scope: vec![], source: Some(StateRef::top(source)), field }
    }

    #[test]
    fn a_task_dropped_on_an_edge_goes_in_between() {
        let mut doc = seed();
        apply(&mut doc, |d| insert_on_edge(d, &edge("ProcessData", EdgeField::Next), &item("Task").unwrap()));
        let j = json(&doc);
        assert_eq!(j["States"]["ProcessData"]["Next"], "Task");
        assert_eq!(j["States"]["Task"]["Next"], "SendNotification");
        // Inserted right after its source, in the text too.
        let names: Vec<_> = doc.machine().states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(&names[2..5], ["ProcessData", "Task", "SendNotification"]);
        // A second one gets a fresh name.
        apply(&mut doc, |d| insert_on_edge(d, &edge("CheckValidation", EdgeField::Choice(0)), &item("Task").unwrap()));
        let j = json(&doc);
        assert_eq!(j["States"]["CheckValidation"]["Choices"][0]["Next"], "Task2");
        assert_eq!(j["States"]["Task2"]["Next"], "ProcessData");
    }

    #[test]
    fn drops_on_start_end_catch_and_default_edges() {
        let mut doc = seed();
        apply(&mut doc, |d| insert_on_edge(d, &EdgeTarget { scope: vec![], source: None, field: EdgeField::StartAt }, &item("Wait").unwrap()));
        assert_eq!(json(&doc)["StartAt"], "Wait");
        assert_eq!(json(&doc)["States"]["Wait"]["Next"], "ValidateInput");
        apply(&mut doc, |d| insert_on_edge(d, &edge("SendNotification", EdgeField::End), &item("Pass").unwrap()));
        let j = json(&doc);
        assert_eq!(j["States"]["SendNotification"]["Next"], "Pass");
        assert!(j["States"]["SendNotification"].get("End").is_none());
        assert_eq!(j["States"]["Pass"]["End"], true);
        apply(&mut doc, |d| insert_on_edge(d, &edge("ValidateInput", EdgeField::Catch(0)), &item("SNS publish").unwrap()));
        assert_eq!(json(&doc)["States"]["ValidateInput"]["Catch"][0]["Next"], "SNSPublish");
        apply(&mut doc, |d| insert_on_edge(d, &edge("CheckValidation", EdgeField::Default), &item("Choice").unwrap()));
        let j = json(&doc);
        assert_eq!(j["States"]["CheckValidation"]["Default"], "Choice");
        assert_eq!(j["States"]["Choice"]["Default"], "HandleError");
        assert!(!doc.diagnostics().iter().any(|d| d.is_error()), "{:?}", doc.diagnostics());
    }

    #[test]
    fn patterns_drop_whole_sub_flows_with_fresh_names() {
        let mut doc = seed();
        apply(&mut doc, |d| insert_on_edge(d, &edge("ProcessData", EdgeField::Next), &item("Validate, then process").unwrap()));
        let j = json(&doc);
        assert_eq!(j["States"]["ProcessData"]["Next"], "Validate");
        assert_eq!(j["States"]["Process"]["Next"], "SendNotification");
        assert_eq!(j["States"]["IsValid"]["Choices"][0]["Next"], "HandleError2", "renamed away from the seed's HandleError");
        apply(&mut doc, |d| add_free(d, &vec![], &item("Email + SMS").unwrap(), Some(Point::new(10.0, 20.0))));
        assert_eq!(json(&doc)["States"]["Notify"]["End"], true);
        assert_eq!(doc.positions().get("/States/NotifySettings"), Some(&Point::new(10.0, 20.0)));
    }

    #[test]
    fn connecting_sets_next_adds_rules_and_catchers() {
        let mut doc = seed();
        apply(&mut doc, |d| connect(d, &StateRef::top("SendNotification"), "HandleError", Handle::Next));
        let j = json(&doc);
        assert_eq!(j["States"]["SendNotification"]["Next"], "HandleError");
        assert!(j["States"]["SendNotification"].get("End").is_none());
        apply(&mut doc, |d| connect(d, &StateRef::top("CheckValidation"), "SendNotification", Handle::Next));
        assert_eq!(json(&doc)["States"]["CheckValidation"]["Choices"][1]["Next"], "SendNotification");
        apply(&mut doc, |d| connect(d, &StateRef::top("HandleError"), "SendNotification", Handle::Catch));
        assert_eq!(json(&doc)["States"]["HandleError"]["Catch"][0]["ErrorEquals"][0], "States.ALL");
        assert!(connect(&doc, &StateRef::top("HandleError"), "Nope", Handle::Next).is_err());
    }

    #[test]
    fn renames_carry_every_reference_and_undo_exactly() {
        let mut doc = seed();
        let before = doc.text().to_string();
        let inverse = doc.apply(rename(&doc, &StateRef::top("HandleError"), "OnError").unwrap()).unwrap();
        let j = json(&doc);
        assert_eq!(j["States"]["ValidateInput"]["Catch"][0]["Next"], "OnError");
        assert_eq!(j["States"]["CheckValidation"]["Default"], "OnError");
        assert!(j["States"].get("HandleError").is_none() && j["States"].get("OnError").is_some());
        assert!(!doc.diagnostics().iter().any(|d| d.is_error()));
        doc.apply(inverse).unwrap();
        assert_eq!(doc.text(), before);
        doc.apply(rename(&doc, &StateRef::top("ValidateInput"), "Check").unwrap()).unwrap();
        assert_eq!(json(&doc)["StartAt"], "Check");
        assert_eq!(rename(&doc, &StateRef::top("Check"), "ProcessData"), Err(EditError::NameTaken("ProcessData".into())));
    }

    #[test]
    fn deleting_repairs_the_flow() {
        let mut doc = seed();
        apply(&mut doc, |d| delete(d, &StateRef::top("ProcessData")));
        let j = json(&doc);
        assert_eq!(j["States"]["CheckValidation"]["Choices"][0]["Next"], "SendNotification");
        apply(&mut doc, |d| delete(d, &StateRef::top("ValidateInput")));
        assert_eq!(json(&doc)["StartAt"], "CheckValidation");
        apply(&mut doc, |d| delete(d, &StateRef::top("SendNotification")));
        // The Choice rule that went there is flagged, not silently dropped.
        assert!(doc.diagnostics().iter().any(|d| d.is_error()));
    }

    #[test]
    fn deleting_several_repairs_the_flow_as_one_change() {
        let mut doc = seed();
        let before = doc.text().to_string();
        let refs = [StateRef::top("ProcessData"), StateRef::top("ValidateInput")];
        let inverse = doc.apply(delete_all(&doc, &refs).unwrap()).unwrap();
        let j = json(&doc);
        assert!(j["States"].get("ProcessData").is_none() && j["States"].get("ValidateInput").is_none());
        assert_eq!(j["StartAt"], "CheckValidation");
        assert_eq!(j["States"]["CheckValidation"]["Choices"][0]["Next"], "SendNotification");
        // One change: its inverse gives the text back.
        doc.apply(inverse).unwrap();
        assert_eq!(doc.text(), before);
    }

    #[test]
    fn deleting_a_container_with_a_state_inside_it_deletes_both() {
        let mut doc = Document::new(
            "p",
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Z","Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}]},"Z":{"Type":"Succeed"}}}"#,
        );
        let inner = StateRef { scope: vec![crate::editor::scope::ScopeStep { state: "P".into(), branch: 0 }], name: "A".into() };
        doc.apply(delete_all(&doc, &[inner, StateRef::top("P")]).unwrap()).unwrap();
        assert_eq!(json(&doc)["StartAt"], "Z");
        assert!(json(&doc)["States"].get("P").is_none());
        assert_eq!(delete_all(&doc, &[StateRef::top("Gone")]), Err(EditError::NoState("Gone".into())));
    }

    #[test]
    fn duplicates_get_fresh_names_and_keep_transitions() {
        let mut doc = seed();
        let (change, name) = duplicate(&doc, &StateRef::top("ProcessData")).unwrap();
        apply(&mut doc, |_| Ok(change));
        assert_eq!(name, "ProcessData2");
        assert_eq!(json(&doc)["States"]["ProcessData2"]["Next"], "SendNotification");
    }

    #[test]
    fn field_updates_change_only_that_state() {
        let mut doc = seed();
        let c = update(&doc, &StateRef::top("SendNotification"), |s| s.comment = Some("hi".into())).unwrap();
        apply(&mut doc, |_| Ok(c.unwrap()));
        assert!(doc.text().contains("\"Comment\": \"hi\""));
        assert!(update(&doc, &StateRef::top("SendNotification"), |_| {}).unwrap().is_none());
    }

    #[test]
    fn added_catchers_keep_the_definition_valid_and_never_repeat_an_error() {
        let mut doc = seed();
        let r = StateRef::top("ProcessData");
        // The seed's ProcessData catches States.ALL already: the next is States.TaskFailed,
        // placed before it; then States.Timeout.
        assert_eq!(catch_targets(&doc, &r).contains(&"ProcessData".to_string()), false);
        for (want, next) in [("States.TaskFailed", "SendNotification"), ("States.Timeout", "HandleError")] {
            apply(&mut doc, |d| add_catcher(d, &r, next));
            let catchers = &json(&doc)["States"]["ProcessData"]["Catch"];
            let all = catchers.as_array().unwrap();
            assert_eq!(all.last().unwrap()["ErrorEquals"], serde_json::json!(["States.ALL"]), "States.ALL stays last");
            assert!(all.iter().any(|c| c["ErrorEquals"] == serde_json::json!([want]) && c["Next"] == next), "{want}: {catchers}");
            let errors: Vec<_> = doc.diagnostics().iter().filter(|d| d.severity == crate::asl::diag::Severity::Error).collect();
            assert!(errors.is_empty(), "{errors:?}");
        }
        // A catcher to itself or to nothing is refused.
        assert!(add_catcher(&doc, &r, "ProcessData").is_err());
        assert!(add_catcher(&doc, &r, "Nowhere").is_err());
        // A state without catchers gets States.ALL first.
        let v = StateRef::top("SendNotification");
        apply(&mut doc, |d| add_catcher(d, &v, "HandleError"));
        assert_eq!(json(&doc)["States"]["SendNotification"]["Catch"][0]["ErrorEquals"], serde_json::json!(["States.ALL"]));
    }
}
