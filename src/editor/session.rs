//! [`Session`]: a document with its undo history, the one object the UI dispatches to.

use super::change::{Change, EditError};
use super::document::Document;
use super::history::{History, Merge};

/// The document being edited and its undo/redo stacks.
#[derive(Debug, Clone)]
pub struct Session {
    pub doc: Document,
    pub history: History,
}

impl Session {
    pub fn new(doc: Document) -> Self {
        Session { doc, history: History::default() }
    }

    /// Opens `doc`, another document of the workspace, in place of this one: a fresh undo
    /// history (the other document's steps are not this one's), and revision counters that
    /// continue past the old document's, so everything that follows them redraws.
    pub fn open(&mut self, mut doc: Document) {
        doc.continue_after(&self.doc);
        self.doc = doc;
        self.history = History::default();
    }

    /// Applies `change` as one undoable step (or part of one, by `merge`).
    pub fn perform(&mut self, change: Change, label: &str, merge: Merge) -> Result<(), EditError> {
        let inverse = self.doc.apply(change)?;
        self.history.record(inverse, label, merge);
        Ok(())
    }

    /// Applies `change` without recording it (an open document is not an undo step).
    pub fn apply_unrecorded(&mut self, change: Change) -> Result<Change, EditError> {
        self.doc.apply(change)
    }

    /// Undoes the last step; false when there is none.
    pub fn undo(&mut self) -> Result<bool, EditError> {
        let Some(step) = self.history.take_undo() else { return Ok(false) };
        match self.doc.apply(step.undo.clone()) {
            Ok(redo) => {
                self.history.push_redo(step.label, redo);
                Ok(true)
            }
            Err(e) => {
                self.history.restore_undo(step);
                Err(e)
            }
        }
    }

    /// Redoes the last undone step; false when there is none.
    pub fn redo(&mut self) -> Result<bool, EditError> {
        let Some(step) = self.history.take_redo() else { return Ok(false) };
        match self.doc.apply(step.undo.clone()) {
            Ok(undo) => {
                self.history.push_undo(step.label, undo);
                Ok(true)
            }
            Err(e) => {
                self.history.restore_redo(step);
                Err(e)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_another_document_moves_every_revision_on_and_clears_the_history() {
        let mut s = Session::new(Document::seed());
        s.perform(Change::SetComment { scope: vec![], comment: Some("x".into()) }, "Comment", Merge::Never).unwrap();
        let (r, m, p) = (s.doc.revision(), s.doc.model_revision(), s.doc.positions_revision());
        s.open(Document::new("Other", crate::editor::workspace::BLANK));
        assert!(s.doc.revision() > r && s.doc.model_revision() > m && s.doc.positions_revision() > p);
        assert!(!s.history.can_undo());
        assert_eq!(s.doc.name(), "Other");
    }

    #[test]
    fn undo_and_redo_walk_code_edits_and_model_edits_alike() {
        let mut s = Session::new(Document::seed());
        let seed = s.doc.text().to_string();
        s.perform(Change::SetComment { scope: vec![], comment: Some("x".into()) }, "Comment", Merge::Never).unwrap();
        let commented = s.doc.text().to_string();
        s.perform(Change::SetText("{ broken".into()), "Edit code", Merge::Burst { key: "code".into(), at_ms: 0.0 }).unwrap();
        assert!(s.undo().unwrap());
        assert_eq!(s.doc.text(), commented);
        assert!(s.undo().unwrap());
        assert_eq!(s.doc.text(), seed);
        assert!(!s.undo().unwrap());
        assert!(s.redo().unwrap());
        assert_eq!(s.doc.text(), commented);
        assert!(s.redo().unwrap());
        assert_eq!(s.doc.text(), "{ broken");
        assert!(!s.redo().unwrap());
    }
}
