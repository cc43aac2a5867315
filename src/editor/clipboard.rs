//! Copy and paste of states, and import by paste. What is copied is ASL text a person can read:
//! a fragment `{"States": {...}}` (no `StartAt`). What is pasted is read back as one of three
//! things: such a fragment (its states are inserted, renamed where their names are taken, and
//! references among them follow), a single state (`{"Type": ...}`), or a whole definition
//! (`StartAt` and `States`), which replaces the document's text as one undoable step.

use super::change::{Change, EditError};
use super::document::Document;
use super::edit::rename_everywhere;
use super::scope::{Scope, StateRef, all_names, machine_at, unique_name};
use crate::asl::json::{self, WriteStyle};
use crate::asl::lower::lower;
use crate::asl::model::{NamedState, StateMachine};
use std::fmt;

/// What a pasted text turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Paste {
    /// States to insert, and their names after renaming (the first is the one to select).
    States { change: Change, names: Vec<String> },
    /// A whole definition: the change sets the document's text to it.
    Definition { change: Change, comment: Option<String> },
}

/// Why a pasted text could not be used. Nothing is changed.
#[derive(Debug, Clone, PartialEq)]
pub enum PasteError {
    /// Not JSON: where and why.
    Syntax { line: usize, column: usize, message: String },
    /// JSON, but neither a definition, nor states, nor a state.
    NotStates,
    Edit(EditError),
}

impl fmt::Display for PasteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PasteError::Syntax { line, column, message } => write!(f, "not JSON at line {line}, column {column}: {message}"),
            PasteError::NotStates => f.write_str("that JSON is not a state machine, its States, or a state"),
            PasteError::Edit(e) => e.fmt(f),
        }
    }
}

/// The clipboard text of the state `r` (with whatever is nested in it).
pub fn copy(doc: &Document, r: &StateRef) -> Result<String, EditError> {
    copy_all(doc, std::slice::from_ref(r)).map(|(text, _)| text)
}

/// The clipboard text of several states: those of `refs` that are in the same machine as the
/// first, in the document's order, as one fragment (so pasting it keeps the transitions among
/// them). Also gives the names copied.
pub fn copy_all(doc: &Document, refs: &[StateRef]) -> Result<(String, Vec<String>), EditError> {
    let fragment = fragment(doc, refs)?;
    let names = fragment.states.iter().map(|s| s.name.clone()).collect();
    Ok((fragment.to_json_text(WriteStyle::Pretty), names))
}

/// Duplicates several states as a group, as copying and pasting them would: the copies go at
/// the end of their machine under fresh names, the transitions among them follow the copies
/// and those leaving the group stay on the originals. Gives the change and the copies' names.
pub fn duplicate_all(doc: &Document, refs: &[StateRef]) -> Result<(Change, Vec<String>), EditError> {
    let fragment = fragment(doc, refs)?;
    insert(doc, &refs[0].scope, fragment)
}

/// The states of `refs` in the machine of the first, in the document's order, as a fragment.
fn fragment(doc: &Document, refs: &[StateRef]) -> Result<StateMachine, EditError> {
    let first = refs.first().ok_or(EditError::NoScope)?;
    let machine = machine_at(doc.machine(), &first.scope).ok_or(EditError::NoScope)?;
    let states: Vec<NamedState> = machine
        .states
        .iter()
        .filter(|s| refs.iter().any(|r| r.scope == first.scope && r.name == s.name))
        .cloned()
        .collect();
    if states.is_empty() {
        return Err(EditError::NoState(first.name.clone()));
    }
    Ok(StateMachine { states, ..Default::default() })
}

/// Reads `text` and says what pasting it into the machine at `scope` of `doc` does.
pub fn paste(doc: &Document, scope: &Scope, text: &str) -> Result<Paste, PasteError> {
    let root = json::read(text).map_err(|e| PasteError::Syntax { line: e.line, column: e.column, message: e.message })?;
    if root.get("StartAt").is_some() && root.get("States").is_some() {
        let comment = root.get("Comment").and_then(|c| c.as_str()).map(str::to_string);
        return Ok(Paste::Definition { change: Change::SetText(text.to_string()), comment });
    }
    let fragment = if root.get("States").is_some_and(|s| s.as_object().is_some()) {
        lower(&root).machine
    } else if root.get("Type").is_some() {
        let wrapped = format!("{{\"States\": {{\"Pasted\": {text}}}}}");
        lower(&json::read(&wrapped).map_err(|_| PasteError::NotStates)?).machine
    } else {
        return Err(PasteError::NotStates);
    };
    if fragment.states.is_empty() {
        return Err(PasteError::NotStates);
    }
    let (change, names) = insert(doc, scope, fragment).map_err(PasteError::Edit)?;
    Ok(Paste::States { change, names })
}

/// Inserts `fragment`'s states at the end of the machine at `scope`, renamed to be unique in the
/// whole document; references among them follow their renames. Gives the change and the
/// states' names after renaming.
fn insert(doc: &Document, scope: &Scope, mut fragment: StateMachine) -> Result<(Change, Vec<String>), EditError> {
    if doc.syntax_error().is_some() {
        return Err(EditError::TextInvalid);
    }
    let machine = machine_at(doc.machine(), scope).ok_or(EditError::NoScope)?;
    let mut taken = Vec::new();
    for name in all_names(&fragment) {
        let fresh = unique_name(doc.machine(), &name, &taken);
        if fresh != name {
            rename_everywhere(&mut fragment, &name, &fresh);
        }
        taken.push(fresh);
    }
    let at = machine.states.len();
    let names: Vec<String> = fragment.states.iter().map(|s| s.name.clone()).collect();
    let changes = fragment
        .states
        .into_iter()
        .enumerate()
        .map(|(k, s)| Change::InsertState { scope: scope.clone(), index: at + k, name: s.name, state: Box::new(s.state) })
        .collect();
    Ok((Change::Batch(changes), names))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(name: &str) -> StateRef {
        StateRef { scope: Vec::new(), name: name.into() }
    }

    /// Pastes `text` at the top level of `doc`, applies it, and gives the pasted names.
    fn pasted(doc: &mut Document, text: &str) -> Vec<String> {
        match paste(doc, &Vec::new(), text).expect("pastes") {
            Paste::States { change, names } => {
                doc.apply(change).expect("applies");
                names
            }
            other => panic!("expected states, got {other:?}"),
        }
    }

    #[test]
    fn a_copied_state_pastes_back_under_a_fresh_name_with_its_transitions() {
        let mut doc = Document::seed();
        let clip = copy(&doc, &top("ProcessData")).unwrap();
        assert!(clip.starts_with("{\n  \"States\": {\n    \"ProcessData\": {"), "{clip}");
        assert_eq!(pasted(&mut doc, &clip), ["ProcessData2"]);
        assert_eq!(pasted(&mut doc, &clip), ["ProcessData3"]);
        let m = doc.machine();
        assert_eq!(m.state("ProcessData3").unwrap().next.as_deref(), Some("SendNotification"));
        assert_eq!(m.state("ProcessData2"), m.state("ProcessData3"));
        // The original is untouched and the text is JSON that reads back to the model.
        assert_eq!(m.state("ProcessData").unwrap().next.as_deref(), Some("SendNotification"));
        assert!(doc.syntax_error().is_none());
    }

    #[test]
    fn references_inside_a_pasted_fragment_follow_its_renames() {
        let mut doc = Document::seed();
        let names = pasted(
            &mut doc,
            r#"{"States": {"HandleError": {"Type": "Pass", "Next": "Fresh"}, "Fresh": {"Type": "Choice",
                "Choices": [{"Variable": "$.x", "BooleanEquals": true, "Next": "HandleError"}], "Default": "SendNotification"}}}"#,
        );
        assert_eq!(names, ["HandleError2", "Fresh"]);
        let m = doc.machine();
        assert_eq!(m.state("HandleError2").unwrap().next.as_deref(), Some("Fresh"));
        let text = doc.text();
        assert!(text.contains("\"Next\": \"HandleError2\""), "the rule follows the rename: {text}");
        assert!(text.contains("\"Default\": \"SendNotification\""), "an outside reference stays: {text}");
    }

    #[test]
    fn several_copied_states_paste_back_with_the_transitions_among_them() {
        let mut doc = Document::seed();
        let refs = [top("SendNotification"), top("ProcessData"), top("Elsewhere")];
        let (clip, names) = copy_all(&doc, &refs).unwrap();
        // In the document's order, whatever order they were selected in; unknown names skipped.
        assert_eq!(names, ["ProcessData", "SendNotification"]);
        assert_eq!(pasted(&mut doc, &clip), ["ProcessData2", "SendNotification2"]);
        let m = doc.machine();
        assert_eq!(m.state("ProcessData2").unwrap().next.as_deref(), Some("SendNotification2"));
        // A reference out of the group stays on the original.
        let text = doc.text();
        let copy = &text[text.find("\"ProcessData2\"").unwrap()..];
        assert!(copy.contains("\"Next\": \"HandleError\""), "{copy}");
        assert!(copy_all(&doc, &[]).is_err());
    }

    #[test]
    fn a_duplicated_group_is_what_copying_and_pasting_it_gives() {
        let doc = Document::seed();
        let refs = [top("SendNotification"), top("ProcessData")];
        let (clip, _) = copy_all(&doc, &refs).unwrap();
        let Paste::States { change, names } = paste(&doc, &Vec::new(), &clip).unwrap() else { panic!("states") };
        assert_eq!(duplicate_all(&doc, &refs).unwrap(), (change, names));
        assert_eq!(duplicate_all(&doc, &[]).unwrap_err(), EditError::NoScope);
    }

    #[test]
    fn nested_states_are_renamed_too_and_a_bare_state_is_named_pasted() {
        let mut doc = Document::new("p", r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}]}}}"#);
        let clip = copy(&doc, &top("P")).unwrap();
        assert_eq!(pasted(&mut doc, &clip), ["P2"]);
        let branch = &doc.text()[doc.text().rfind("\"P2\"").unwrap()..];
        assert!(branch.contains("\"StartAt\": \"A2\"") && branch.contains("\"A2\": {"), "{branch}");
        assert_eq!(pasted(&mut doc, r#"{"Type": "Wait", "Seconds": 3, "End": true}"#), ["Pasted"]);
        assert_eq!(pasted(&mut doc, r#"{"Type": "Wait", "Seconds": 3, "End": true}"#), ["Pasted2"]);
    }

    #[test]
    fn a_whole_definition_replaces_the_text_as_one_change() {
        let doc = Document::seed();
        let text = "{\"Comment\": \"Mine\", \"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}";
        let Paste::Definition { change, comment } = paste(&doc, &Vec::new(), text).unwrap() else { panic!("a definition") };
        assert_eq!(change, Change::SetText(text.into()));
        assert_eq!(comment.as_deref(), Some("Mine"));
    }

    #[test]
    fn bad_pastes_are_located_errors_and_change_nothing() {
        let doc = Document::seed();
        let err = paste(&doc, &Vec::new(), "{\n  \"States\": {,}\n}").unwrap_err();
        assert!(matches!(err, PasteError::Syntax { line: 2, .. }), "{err:?}");
        assert!(err.to_string().starts_with("not JSON at line 2, column "), "{err}");
        assert_eq!(paste(&doc, &Vec::new(), "[1, 2]").unwrap_err(), PasteError::NotStates);
        assert_eq!(paste(&doc, &Vec::new(), r#"{"States": {}}"#).unwrap_err(), PasteError::NotStates);
        // Into a document whose text is broken: refused, the text kept.
        let mut broken = Document::seed();
        broken.apply(Change::SetText("{ oops".into())).unwrap();
        let clip = copy(&doc, &top("ProcessData")).unwrap();
        assert_eq!(paste(&broken, &Vec::new(), &clip).unwrap_err(), PasteError::Edit(EditError::TextInvalid));
        assert_eq!(broken.text(), "{ oops");
    }
}
