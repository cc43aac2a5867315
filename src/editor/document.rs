//! The document being edited: the ASL text, the last valid model read from it, its diagnostics,
//! and the manual node positions (kept beside the ASL, never inside it).

use super::change::{Change, EditError};
use super::geometry::Point;
use super::reread::{self, Kept, Read};
use super::sync;
use crate::asl::diag::Diagnostic;
use crate::asl::json::{Node, Span};
use crate::asl::model::StateMachine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A state machine being edited.
#[derive(Debug, Clone)]
pub struct Document {
    /// The state machine's name in every export ([`Change::SetName`]).
    pub(super) name: String,
    pub(super) text: String,
    /// The model of the last text that was JSON.
    pub(super) machine: StateMachine,
    pub(super) root: Option<Node>,
    /// What the last read keeps for the next keystroke's ([`reread`]), while the text is JSON.
    pub(super) kept: Option<Kept>,
    /// The text's syntax error, while it is not JSON.
    pub(super) syntax_error: Option<Diagnostic>,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Manual positions by state pointer (top-left corner, canvas space).
    pub(super) positions: BTreeMap<String, Point>,
    pub(super) revision: u64,
    pub(super) model_revision: u64,
    /// Bumped when a manual position is set, dropped or moved.
    pub(super) positions_revision: u64,
    /// The top-level state the model change of this model revision was confined to (a
    /// keystroke inside it, read in part: [`reread::How::OneState`]), with that revision.
    pub(super) touched: Option<(u64, usize)>,
    /// The Run panel's scenarios and handler choices, saved with the document
    /// ([`Change::SetSimulation`]).
    pub(super) simulation: crate::sim::SimSettings,
    /// The template the definition was opened from, with its placeholders' values
    /// ([`Change::SetSource`]); `None` for a bare definition.
    pub(super) source: Option<Box<crate::formats::Source>>,
}

/// What autosave keeps: the text (even when broken) and the manual positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub name: String,
    pub text: String,
    #[serde(default)]
    pub positions: BTreeMap<String, Point>,
    /// While `text` is not JSON: the text of the last valid model, so a reload still draws it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_valid: Option<String>,
    /// Absent in autosaves from before the simulator: the seed's scenarios.
    #[serde(default = "crate::sim::SimSettings::seeded")]
    pub simulation: crate::sim::SimSettings,
    /// The template the definition came from, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<crate::formats::Source>,
}

impl Document {
    /// A document named `name` holding the ASL text `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        let simulation = crate::sim::SimSettings::for_definition(&text);
        let mut doc = Document {
            name: name.into(),
            text: String::new(),
            machine: StateMachine::default(),
            root: None,
            kept: None,
            syntax_error: None,
            diagnostics: Vec::new(),
            positions: BTreeMap::new(),
            revision: 0,
            model_revision: 0,
            positions_revision: 0,
            touched: None,
            simulation,
            source: None,
        };
        doc.load_text(text);
        doc
    }

    /// The seed's order workflow, the document the app opens with.
    pub fn seed() -> Self {
        let mut doc = Document::new(crate::seed::NAME, crate::seed::ORDER_WORKFLOW);
        doc.simulation = crate::sim::SimSettings::seeded();
        doc
    }

    /// A document restored from autosave.
    pub fn restore(saved: Saved) -> Self {
        let mut doc = match saved.last_valid {
            Some(valid) => {
                let mut doc = Document::new(saved.name, valid);
                doc.load_text(saved.text);
                doc
            }
            None => Document::new(saved.name, saved.text),
        };
        doc.positions = saved.positions;
        doc.positions_revision += 1;
        doc.simulation = saved.simulation;
        if let Some(source) = saved.source {
            doc.source = Some(Box::new(source));
            doc.load_text(doc.text.clone());
        }
        doc
    }

    /// Moves this document's revision counters past `before`'s, so that views following the
    /// counters of the open document redraw when this one takes its place.
    pub(super) fn continue_after(&mut self, before: &Document) {
        self.revision += before.revision + 1;
        self.model_revision += before.model_revision + 1;
        self.positions_revision += before.positions_revision + 1;
    }

    /// What autosave keeps.
    pub fn saved(&self) -> Saved {
        Saved {
            name: self.name.clone(),
            text: self.text.clone(),
            positions: self.positions.clone(),
            last_valid: self.syntax_error.is_some().then(|| sync::write(&self.machine)),
            simulation: self.simulation.clone(),
            source: self.source.as_deref().cloned(),
        }
    }

    /// The template the definition was opened from, when it was.
    pub fn source(&self) -> Option<&crate::formats::Source> {
        self.source.as_deref()
    }

    /// The definition a run executes: the model's text with each placeholder that has a
    /// literal value replaced by it.
    pub fn runnable_text(&self) -> String {
        let text = sync::write(&self.machine);
        match &self.source {
            Some(source) => source.resolve(&text),
            None => text,
        }
    }

    /// What the engine needs to run the document as it is now, the one description of it every
    /// run, batch and suite is made from: the definition as it runs (a template's placeholders
    /// with a literal value in the Substitutions table replaced by it), its handlers, its store
    /// seeds, and its name as the state machine's (`$$.StateMachine.Name`, the ARNs). The
    /// service files are the page's to add (what this engine has not been sent).
    pub fn setup(&self) -> crate::sim::protocol::Setup {
        crate::sim::protocol::Setup {
            definition: self.runnable_text(),
            handlers: self.simulation.handlers.clone(),
            services: Vec::new(),
            stores: self.simulation.stores.clone(),
            name: Some(self.name.clone()),
        }
    }

    /// The document's name: the state machine's name in every export.
    pub fn name(&self) -> &str {
        &self.name
    }
    /// The scenarios and handler choices saved with the document.
    pub fn simulation(&self) -> &crate::sim::SimSettings {
        &self.simulation
    }
    pub fn text(&self) -> &str {
        &self.text
    }
    /// The model of the last valid text.
    pub fn machine(&self) -> &StateMachine {
        &self.machine
    }
    /// The syntax error of the text, while it is not JSON.
    pub fn syntax_error(&self) -> Option<&Diagnostic> {
        self.syntax_error.as_ref()
    }
    /// The diagnostics of the text (just the syntax error while it is not JSON).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }
    pub fn positions(&self) -> &BTreeMap<String, Point> {
        &self.positions
    }
    /// Bumped by every change.
    pub fn revision(&self) -> u64 {
        self.revision
    }
    /// Bumped when the model changes (not by positions, nor by a text that does not parse).
    pub fn model_revision(&self) -> u64 {
        self.model_revision
    }
    /// The top-level state (its index) that the last model change, the one that made this
    /// model revision, was confined to: the other states, their names and the rest of the
    /// machine are as they were at the revision before (see `layout::reword_state_in`). `None`
    /// when the change may have touched more, or nothing says.
    pub fn touched_state(&self) -> Option<usize> {
        self.touched.filter(|(revision, _)| *revision == self.model_revision).map(|(_, i)| i)
    }
    /// Bumped when the manual positions change (a view follows them without comparing them).
    pub fn positions_revision(&self) -> u64 {
        self.positions_revision
    }
    /// The JSON tree of the text, with spans, while the text is JSON.
    pub fn tree(&self) -> Option<&Node> {
        self.root.as_ref()
    }
    /// The span in the text of the value at `pointer`, while the text is JSON.
    pub fn span_of(&self, pointer: &str) -> Option<Span> {
        let root = self.root.as_ref()?;
        root.at_pointer(pointer).map(|(node, _)| node.span)
    }

    /// Applies `change` and returns its inverse. A change that fails leaves the document as it was.
    ///
    /// The inverse of a change that touches the text is the old text itself (and the position
    /// moves), so undo gives back the user's exact formatting, not just an equal model.
    pub fn apply(&mut self, change: Change) -> Result<Change, EditError> {
        let mut dirty = false;
        let before = change.touches_text().then(|| (self.text.clone(), self.positions.clone()));
        let inverse = change.apply_to(self, &mut dirty)?;
        if dirty {
            self.write_model();
        }
        self.revision += 1;
        Ok(match before {
            None => inverse,
            Some((text, positions)) => {
                // The old text stands for every model edit; what lives beside the text (the
                // name, the simulation settings) keeps its own inverse.
                let mut undo = vec![Change::SetText(text)];
                undo.extend(inverse.beside_text());
                for (id, at) in &positions {
                    if self.positions.get(id) != Some(at) {
                        undo.push(Change::SetPosition { id: id.clone(), at: Some(*at) });
                    }
                }
                for id in self.positions.keys().filter(|id| !positions.contains_key(*id)) {
                    undo.push(Change::SetPosition { id: id.clone(), at: None });
                }
                if undo.len() == 1 { undo.pop().expect("one") } else { Change::Batch(undo) }
            }
        })
    }

    /// Writes the text from the model and reads it back (so spans and diagnostics follow).
    pub(super) fn write_model(&mut self) {
        let text = match &self.root {
            Some(root) => sync::write_over(&self.text, root, &self.machine),
            None => sync::write(&self.machine),
        };
        self.load_text(text);
    }

    /// Takes `text` as the document's text; the model follows when it parses.
    pub(super) fn load_text(&mut self, text: String) {
        let read = reread::read(&text);
        self.text = text;
        match read {
            Ok(read) => self.take_read(read),
            Err(syntax) => {
                self.root = None;
                self.kept = None;
                self.syntax_error = Some(syntax.clone());
                self.diagnostics = vec![syntax];
            }
        }
    }

    /// Takes `text`, typed over the document's text, and gives back the old one: read again in
    /// proportion to what changed ([`reread`]) while the model is the text's, in full otherwise.
    pub(super) fn type_text(&mut self, text: String) -> String {
        let old = std::mem::replace(&mut self.text, text);
        if let (Some(root), Some(kept)) = (self.root.take(), self.kept.take()) {
            let mut last = Read { root, machine: std::mem::take(&mut self.machine), diagnostics: Vec::new(), kept };
            if let Some(how) = reread::reread(&mut last, &old, &self.text) {
                self.take_read(last);
                if let reread::How::OneState(index) = how {
                    self.touched = Some((self.model_revision, index));
                }
                return old;
            }
            // (Nothing was changed: the text is read in full below.)
            self.machine = last.machine;
        }
        let text = std::mem::take(&mut self.text);
        self.load_text(text);
        old
    }

    fn take_read(&mut self, read: Read) {
        self.machine = read.machine;
        self.syntax_error = None;
        // A placeholder (`${FunctionArn}`) is a value once deployed: not an error here.
        self.diagnostics = match &self.source {
            Some(_) => crate::formats::placeholder::tolerated(&read.root, read.diagnostics),
            None => read.diagnostics,
        };
        self.root = Some(read.root);
        self.kept = Some(read.kept);
        self.model_revision += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_has_five_states_and_no_error() {
        let doc = Document::seed();
        assert!(doc.syntax_error().is_none());
        let names: Vec<_> = doc.machine().states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError"]);
        assert!(doc.span_of("/States/ProcessData").is_some());
    }

    #[test]
    fn a_broken_text_is_kept_located_and_the_last_model_stays() {
        let mut doc = Document::seed();
        let rev = doc.model_revision();
        let inverse = doc.apply(Change::SetText("{\"StartAt\": }".into())).unwrap();
        assert_eq!(doc.text(), "{\"StartAt\": }");
        let err = doc.syntax_error().expect("an error");
        assert_eq!(err.position.map(|p| (p.line, p.column)), Some((1, 13)));
        assert_eq!(doc.machine().states.len(), 5, "the last valid model is kept");
        assert_eq!(doc.model_revision(), rev);
        doc.apply(inverse).unwrap();
        assert!(doc.syntax_error().is_none());
        assert_eq!(doc.text(), crate::seed::ORDER_WORKFLOW);
    }

    #[test]
    fn saved_documents_restore_text_and_positions() {
        let mut doc = Document::seed();
        doc.apply(Change::SetPosition { id: "/States/ProcessData".into(), at: Some(Point::new(5.0, 6.0)) }).unwrap();
        let json = serde_json::to_string(&doc.saved()).unwrap();
        // The page reads records through a `Value` (`asl::json::from_text`): the same record.
        let read: Saved = crate::asl::json::from_text(&json).unwrap();
        assert_eq!(read, serde_json::from_str::<Saved>(&json).unwrap());
        assert_eq!(read, doc.saved());
        let back = Document::restore(read);
        assert_eq!(back.text(), doc.text());
        assert_eq!(back.positions().get("/States/ProcessData"), Some(&Point::new(5.0, 6.0)));
    }

    #[test]
    fn a_broken_text_restores_with_its_last_valid_model() {
        let mut doc = Document::seed();
        doc.apply(Change::SetText("{ oops".into())).unwrap();
        let back = Document::restore(serde_json::from_str(&serde_json::to_string(&doc.saved()).unwrap()).unwrap());
        assert_eq!(back.text(), "{ oops");
        assert!(back.syntax_error().is_some());
        assert_eq!(back.machine().states.len(), 5);
    }

    #[test]
    fn a_document_s_runs_belong_to_the_state_machine_of_its_name() {
        let text = r#"{"StartAt": "Who", "States": {"Who": {"Type": "Pass", "Parameters": {"name.$": "$$.StateMachine.Name", "machine.$": "$$.StateMachine.Id", "execution.$": "$$.Execution.Id"}, "End": true}}}"#;
        for (doc, name) in [(Document::new("Account vending: OU", text), "Account-vending-OU"), (Document::new(crate::seed::NAME, text), crate::seed::NAME)] {
            let run = doc.setup().simulator().expect("compiles").run(serde_json::json!({}), 1);
            let output = run.output.as_deref().expect("succeeds");
            assert_eq!(output["name"], name);
            assert!(output["machine"].as_str().unwrap().ends_with(&format!(":stateMachine:{name}")), "{output}");
            assert!(output["execution"].as_str().unwrap().contains(&format!(":execution:{name}:")), "{output}");
        }
    }
}
