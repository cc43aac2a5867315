//! [`Change`]: every edit of a document as data. Applying one returns its inverse, which is what
//! undo stores; a [`Change::Batch`] is one user gesture made of several changes.

use super::document::Document;
use super::geometry::Point;
use super::scope::{Scope, StateRef, machine_at, machine_at_mut};
use crate::asl::json::Number;
use crate::asl::model::{NamedState, QueryLanguage, State};
use crate::sim::SimSettings;
use std::fmt;

/// One edit.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Replaces the whole text (what the code pane does); the model follows when it parses.
    SetText(String),
    /// Inserts a state at `index` of the machine at `scope`.
    InsertState { scope: Scope, index: usize, name: String, state: Box<State> },
    /// Removes a state (its manual position goes with it).
    RemoveState { scope: Scope, name: String },
    /// Replaces a state's fields, keeping its name and place.
    ReplaceState { scope: Scope, name: String, state: Box<State> },
    /// Renames a state's key (and moves its manual positions); references are separate changes.
    RenameState { scope: Scope, from: String, to: String },
    SetStartAt { scope: Scope, start_at: Option<String> },
    SetComment { scope: Scope, comment: Option<String> },
    SetQueryLanguage { scope: Scope, query_language: Option<QueryLanguage> },
    /// The top-level `TimeoutSeconds`.
    SetTimeout(Option<Number>),
    /// A manual node position by state pointer; `None` returns the node to the auto-layout.
    SetPosition { id: String, at: Option<Point> },
    /// Renames the document: the state machine's name in every export.
    SetName(String),
    /// Replaces what the simulator keeps with the document (scenarios, handler choices).
    SetSimulation(Box<SimSettings>),
    /// Sets the template the document saves back into, and its placeholders' values.
    SetSource(Option<Box<crate::formats::Source>>),
    /// Several changes as one.
    Batch(Vec<Change>),
}

/// Why a change could not be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// The text is not JSON: edit it (or undo) before editing the model.
    TextInvalid,
    NoScope,
    NoState(String),
    NameTaken(String),
    EmptyName,
    /// Every error a catcher could name is caught already.
    AllCaught,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::TextInvalid => f.write_str("the ASL text is not valid JSON: fix it or undo before editing the graph"),
            EditError::NoScope => f.write_str("that branch no longer exists"),
            EditError::NoState(n) => write!(f, "there is no state named {n:?}"),
            EditError::NameTaken(n) => write!(f, "a state named {n:?} already exists"),
            EditError::EmptyName => f.write_str("a state needs a name"),
            EditError::AllCaught => f.write_str("this state's catchers already catch every error"),
        }
    }
}

impl Change {
    /// Whether this change edits the model (and so needs a text that parses).
    fn edits_model(&self) -> bool {
        !matches!(
            self,
            Change::SetText(_)
                | Change::SetPosition { .. }
                | Change::SetName(_)
                | Change::SetSimulation(_)
                | Change::SetSource(_)
                | Change::Batch(_)
        )
    }

    /// Whether this change (or one in its batch) changes the text.
    pub fn touches_text(&self) -> bool {
        match self {
            Change::SetPosition { .. } | Change::SetName(_) | Change::SetSimulation(_) | Change::SetSource(_) => false,
            Change::Batch(changes) => changes.iter().any(Change::touches_text),
            _ => true,
        }
    }

    /// The changes of this one (flattened) that edit neither the text nor the positions: the
    /// name and the simulation settings.
    pub(super) fn beside_text(self) -> Vec<Change> {
        match self {
            Change::SetName(_) | Change::SetSimulation(_) | Change::SetSource(_) => vec![self],
            Change::Batch(changes) => changes.into_iter().flat_map(Change::beside_text).collect(),
            _ => Vec::new(),
        }
    }

    /// Applies the change to `doc` and returns its inverse. Model edits set `dirty`; the
    /// document writes the text once, after the whole change.
    pub(super) fn apply_to(self, doc: &mut Document, dirty: &mut bool) -> Result<Change, EditError> {
        if self.edits_model() {
            if doc.syntax_error.is_some() {
                return Err(EditError::TextInvalid);
            }
            *dirty = true;
        }
        Ok(match self {
            Change::SetText(text) => {
                if *dirty {
                    doc.write_model();
                    *dirty = false;
                }
                Change::SetText(doc.type_text(text))
            }
            Change::InsertState { scope, index, name, state } => {
                let root = &doc.machine;
                let m = machine_at(root, &scope).ok_or(EditError::NoScope)?;
                if name.is_empty() {
                    return Err(EditError::EmptyName);
                }
                if m.state(&name).is_some() {
                    return Err(EditError::NameTaken(name));
                }
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let index = index.min(m.states.len());
                m.states.insert(index, NamedState { name: name.clone(), state: *state });
                Change::RemoveState { scope, name }
            }
            Change::RemoveState { scope, name } => {
                let id = StateRef { scope: scope.clone(), name: name.clone() }.pointer(&doc.machine);
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let index = m.states.iter().rposition(|s| s.name == name).ok_or_else(|| EditError::NoState(name.clone()))?;
                let removed = m.states.remove(index);
                let insert = Change::InsertState { scope, index, name, state: Box::new(removed.state) };
                match doc.positions.remove(&id) {
                    Some(at) => {
                        doc.positions_revision += 1;
                        Change::Batch(vec![insert, Change::SetPosition { id, at: Some(at) }])
                    }
                    None => insert,
                }
            }
            Change::ReplaceState { scope, name, state } => {
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let slot = m.state_mut(&name).ok_or_else(|| EditError::NoState(name.clone()))?;
                let old = std::mem::replace(slot, *state);
                Change::ReplaceState { scope, name, state: Box::new(old) }
            }
            Change::RenameState { scope, from, to } => {
                if to.is_empty() {
                    return Err(EditError::EmptyName);
                }
                let old_id = StateRef { scope: scope.clone(), name: from.clone() }.pointer(&doc.machine);
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                if m.state(&to).is_some() {
                    return Err(EditError::NameTaken(to));
                }
                let s = m.states.iter_mut().rev().find(|s| s.name == from).ok_or_else(|| EditError::NoState(from.clone()))?;
                s.name = to.clone();
                let new_id = StateRef { scope: scope.clone(), name: to.clone() }.pointer(&doc.machine);
                move_positions(doc, &old_id, &new_id);
                Change::RenameState { scope, from: to, to: from }
            }
            Change::SetStartAt { scope, start_at } => {
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let old = std::mem::replace(&mut m.start_at, start_at);
                Change::SetStartAt { scope, start_at: old }
            }
            Change::SetComment { scope, comment } => {
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let old = std::mem::replace(&mut m.comment, comment);
                Change::SetComment { scope, comment: old }
            }
            Change::SetQueryLanguage { scope, query_language } => {
                let m = machine_at_mut(&mut doc.machine, &scope).ok_or(EditError::NoScope)?;
                let old = std::mem::replace(&mut m.query_language, query_language);
                Change::SetQueryLanguage { scope, query_language: old }
            }
            Change::SetTimeout(timeout) => Change::SetTimeout(std::mem::replace(&mut doc.machine.timeout_seconds, timeout)),
            Change::SetPosition { id, at } => {
                doc.positions_revision += 1;
                let old = match at {
                    Some(p) => doc.positions.insert(id.clone(), p),
                    None => doc.positions.remove(&id),
                };
                Change::SetPosition { id, at: old }
            }
            Change::SetName(name) => {
                let name = name.trim();
                if name.is_empty() {
                    return Err(EditError::EmptyName);
                }
                Change::SetName(std::mem::replace(&mut doc.name, name.to_string()))
            }
            Change::SetSimulation(settings) => Change::SetSimulation(Box::new(std::mem::replace(&mut doc.simulation, *settings))),
            Change::SetSource(source) => {
                let old = std::mem::replace(&mut doc.source, source);
                // Which diagnostics a placeholder excuses follows the source.
                doc.load_text(doc.text.clone());
                Change::SetSource(old)
            }
            Change::Batch(changes) => {
                let mut inverses = Vec::with_capacity(changes.len());
                for change in changes {
                    match change.apply_to(doc, dirty) {
                        Ok(inverse) => inverses.push(inverse),
                        Err(e) => {
                            // Roll back what this batch already did.
                            for inverse in inverses.into_iter().rev() {
                                let _ = inverse.apply_to(doc, dirty);
                            }
                            return Err(e);
                        }
                    }
                }
                inverses.reverse();
                Change::Batch(inverses)
            }
        })
    }
}

/// Moves the manual position of the state at `from` and of every state nested in it.
fn move_positions(doc: &mut Document, from: &str, to: &str) {
    let keys: Vec<String> =
        doc.positions.keys().filter(|k| *k == from || k.starts_with(&format!("{from}/"))).cloned().collect();
    for key in keys {
        doc.positions_revision += 1;
        if let Some(p) = doc.positions.remove(&key) {
            doc.positions.insert(format!("{to}{}", &key[from.len()..]), p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::{StateKind, Task};

    #[test]
    fn undoing_a_replacement_restores_the_text_the_name_and_the_scenarios() {
        let mut doc = Document::seed();
        let (name, text, sim) = (doc.name().to_string(), doc.text().to_string(), doc.simulation().clone());
        let blank = r#"{"StartAt": "Start", "States": {"Start": {"Type": "Pass", "End": true}}}"#;
        let undo = doc
            .apply(Change::Batch(vec![
                Change::SetSimulation(Box::new(crate::sim::SimSettings::for_definition(blank))),
                Change::SetText(blank.into()),
                Change::SetName("Untitled".into()),
            ]))
            .unwrap();
        assert_eq!((doc.name(), doc.simulation().scenarios.len()), ("Untitled", 1));
        doc.apply(undo).unwrap();
        assert_eq!((doc.name(), doc.text(), doc.simulation()), (name.as_str(), text.as_str(), &sim));
    }

    #[test]
    fn the_name_is_a_change_with_an_inverse_and_never_empty() {
        let mut doc = Document::seed();
        let before = doc.text().to_string();
        let undo = doc.apply(Change::SetName("  Account vending  ".into())).unwrap();
        assert_eq!(doc.name(), "Account vending");
        assert_eq!(doc.text(), before, "the name is not in the ASL");
        assert_eq!(doc.apply(Change::SetName(" ".into())), Err(EditError::EmptyName));
        doc.apply(undo).unwrap();
        assert_eq!(doc.name(), crate::seed::NAME);
    }

    #[test]
    fn the_source_is_a_change_with_an_inverse_and_excuses_placeholders() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "${Delay}", "End": true}}}"#;
        let mut doc = Document::new("t", text);
        let on_resource = |d: &Document| d.diagnostics().iter().filter(|x| x.pointer.ends_with("/Seconds")).count();
        assert!(on_resource(&doc) > 0, "{:?}", doc.diagnostics());
        let opened = crate::formats::open("t.asl.json", text).unwrap();
        let source = crate::formats::Source::new("t.asl.json", opened.format, text, &opened.machines[0]);
        let undo = doc.apply(Change::SetSource(Some(Box::new(source.clone())))).unwrap();
        assert_eq!((on_resource(&doc), doc.source()), (0, Some(&source)));
        assert_eq!(doc.text(), text, "the source is not in the ASL");
        // An edited value is one more undoable change, and what a run sees.
        let undo_value = doc.apply(Change::SetSource(Some(Box::new(source.with_value("Delay", "soon"))))).unwrap();
        assert!(doc.runnable_text().contains("\"Seconds\": \"soon\""), "{}", doc.runnable_text());
        doc.apply(undo_value).unwrap();
        let back = Document::restore(serde_json::from_str(&serde_json::to_string(&doc.saved()).unwrap()).unwrap());
        assert_eq!((back.source(), on_resource(&back)), (Some(&source), 0), "autosave keeps the source");
        doc.apply(undo).unwrap();
        assert!(doc.source().is_none());
        assert!(on_resource(&doc) > 0);
    }

    fn top() -> Scope {
        Vec::new()
    }

    fn task(resource: &str) -> Box<State> {
        Box::new(State::new(StateKind::Task(Task { resource: Some(resource.into()), ..Default::default() })))
    }

    /// Applies each change, checks `check`, then undoes everything and expects the seed's exact text back.
    fn round_trip(changes: Vec<Change>, check: impl Fn(&Document)) {
        let mut doc = Document::seed();
        let original = (doc.text().to_string(), doc.positions().clone());
        let mut inverses = Vec::new();
        for c in changes {
            inverses.push(doc.apply(c).expect("applies"));
        }
        check(&doc);
        for inv in inverses.into_iter().rev() {
            doc.apply(inv).expect("the inverse applies");
        }
        assert_eq!((doc.text().to_string(), doc.positions().clone()), original);
    }

    #[test]
    fn every_change_has_an_exact_inverse() {
        round_trip(
            vec![Change::InsertState { scope: top(), index: 2, name: "New".into(), state: task("arn:x") }],
            |d| assert_eq!(d.machine().states[2].name, "New"),
        );
        round_trip(vec![Change::RemoveState { scope: top(), name: "HandleError".into() }], |d| {
            assert!(d.machine().state("HandleError").is_none());
            assert!(!d.text().contains("\"HandleError\": {"));
        });
        round_trip(
            vec![Change::ReplaceState { scope: top(), name: "ProcessData".into(), state: task("arn:y") }],
            |d| assert!(d.text().contains("arn:y")),
        );
        round_trip(
            vec![
                Change::SetPosition { id: "/States/ProcessData".into(), at: Some(Point::new(1.0, 2.0)) },
                Change::RenameState { scope: top(), from: "ProcessData".into(), to: "Process".into() },
            ],
            |d| assert_eq!(d.positions().get("/States/Process"), Some(&Point::new(1.0, 2.0))),
        );
        round_trip(vec![Change::SetStartAt { scope: top(), start_at: Some("ProcessData".into()) }], |d| {
            assert_eq!(d.machine().start_at.as_deref(), Some("ProcessData"))
        });
        round_trip(vec![Change::SetComment { scope: top(), comment: None }], |d| assert!(d.machine().comment.is_none()));
        round_trip(vec![Change::SetQueryLanguage { scope: top(), query_language: Some(QueryLanguage::Jsonata) }], |d| {
            assert!(d.text().contains("\"QueryLanguage\": \"JSONata\""))
        });
        round_trip(vec![Change::SetTimeout(Some(Number::from_text("30")))], |d| assert!(d.text().contains("\"TimeoutSeconds\": 30")));
        round_trip(vec![Change::SetText("{}".into())], |d| assert!(d.machine().states.is_empty()));
    }

    #[test]
    fn a_failing_batch_leaves_the_document_untouched() {
        let mut doc = Document::seed();
        let before = doc.text().to_string();
        let err = doc
            .apply(Change::Batch(vec![
                Change::SetComment { scope: top(), comment: Some("x".into()) },
                Change::RemoveState { scope: top(), name: "Nope".into() },
            ]))
            .unwrap_err();
        assert_eq!(err, EditError::NoState("Nope".into()));
        assert_eq!(doc.text(), before);
    }

    #[test]
    fn model_edits_wait_for_the_text_to_parse() {
        let mut doc = Document::seed();
        doc.apply(Change::SetText("{".into())).unwrap();
        assert_eq!(doc.apply(Change::SetComment { scope: top(), comment: None }), Err(EditError::TextInvalid));
        assert_eq!(doc.text(), "{");
        // Positions are not the model: a node can still be moved.
        assert!(doc.apply(Change::SetPosition { id: "/States/X".into(), at: None }).is_ok());
    }

    #[test]
    fn names_must_be_new_and_non_empty() {
        let mut doc = Document::seed();
        let rename = |to: &str| Change::RenameState { scope: top(), from: "ProcessData".into(), to: to.into() };
        assert_eq!(doc.apply(rename("HandleError")), Err(EditError::NameTaken("HandleError".into())));
        assert_eq!(doc.apply(rename("")), Err(EditError::EmptyName));
    }
}
