//! [`Session`]: a document with its undo history, the one object the UI dispatches to, and the
//! histories of the documents switched away from (each document keeps its own undo).

use super::change::{Change, EditError};
use super::document::{Document, Saved};
use super::history::{History, Merge};

/// How many documents switched away from keep their undo history.
pub const SHELF: usize = 20;

/// The document being edited and its undo/redo stacks.
#[derive(Debug, Clone)]
pub struct Session {
    pub doc: Document,
    pub history: History,
    /// The histories of documents switched away from, most recent last: each with the document
    /// as it was left, since its steps undo from exactly that state.
    shelf: Vec<Shelved>,
}

#[derive(Debug, Clone)]
struct Shelved {
    id: String,
    left: Saved,
    history: History,
}

impl Session {
    pub fn new(doc: Document) -> Self {
        Session { doc, history: History::default(), shelf: Vec::new() }
    }

    /// Switches from the document `leaving` (the open one, by its workspace id) to `doc`, the
    /// document `arriving`: the open document's history is kept for when it comes back, and
    /// `doc` takes back the history it had when it was left, if it is still the document it
    /// was then (another tab's save or a restored backup start afresh). Undo in one document
    /// never applies a step of another.
    pub fn switch(&mut self, leaving: &str, arriving: &str, doc: Document) {
        let history = std::mem::take(&mut self.history);
        self.shelf.retain(|s| s.id != leaving);
        if history.can_undo() || history.can_redo() {
            self.shelf.push(Shelved { id: leaving.to_string(), left: self.doc.saved(), history });
            if self.shelf.len() > SHELF {
                self.shelf.remove(0);
            }
        }
        let kept = self.shelf.iter().position(|s| s.id == arriving).map(|i| self.shelf.remove(i));
        let same = kept.filter(|k| leaving != arriving && k.left == doc.saved());
        self.open(doc);
        if let Some(kept) = same {
            self.history = kept.history;
        }
    }

    /// Forgets the kept history of the document `id` (deleted for good).
    pub fn forget(&mut self, id: &str) {
        self.shelf.retain(|s| s.id != id);
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
    fn each_document_keeps_its_own_undo_and_never_undoes_another_s() {
        let mut s = Session::new(Document::seed());
        s.perform(Change::SetComment { scope: vec![], comment: Some("in A".into()) }, "Comment", Merge::Never).unwrap();
        let a_edited = s.doc.text().to_string();
        // To B: nothing of A's to undo there.
        s.switch("a", "b", Document::new("B", crate::editor::workspace::BLANK));
        assert!(!s.history.can_undo(), "B's undo is not A's");
        let b_text = s.doc.text().to_string();
        assert!(!s.undo().unwrap());
        assert_eq!(s.doc.text(), b_text);
        s.perform(Change::SetComment { scope: vec![], comment: Some("in B".into()) }, "Comment", Merge::Never).unwrap();
        let b_edited = s.doc.text().to_string();
        // Back to A, as it was left: its undo is back, and undoes A's edit only.
        s.switch("b", "a", Document::restore({
            let mut d = Document::seed();
            d.apply(Change::SetComment { scope: vec![], comment: Some("in A".into()) }).unwrap();
            d.saved()
        }));
        assert_eq!(s.doc.text(), a_edited);
        assert!(s.undo().unwrap());
        assert_eq!(s.doc.text(), Document::seed().text());
        assert!(!s.undo().unwrap(), "one step: A's own");
        // To B again, where B's own step waits.
        s.switch("a", "b", Document::restore({
            let mut d = Document::new("B", crate::editor::workspace::BLANK);
            d.apply(Change::SetComment { scope: vec![], comment: Some("in B".into()) }).unwrap();
            d.saved()
        }));
        assert_eq!(s.doc.text(), b_edited);
        assert!(s.undo().unwrap());
        assert_eq!(s.doc.text(), b_text);
        // A changed elsewhere while away (another tab): its old steps are not replayed on it.
        s.switch("b", "a", Document::new("A from the other tab", crate::editor::workspace::BLANK));
        assert!(!s.history.can_undo() && !s.history.can_redo());
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
