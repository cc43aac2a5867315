//! Undo/redo as inverse changes between marks (never whole snapshots of the editor).
//!
//! Each recorded step says how it merges: a burst of typing is one step, one drag is one step.

use super::change::Change;

/// How long a pause ends a burst of typing.
pub const BURST_MS: f64 = 1000.0;
/// How many steps undo keeps.
pub const LIMIT: usize = 200;

/// How a new step joins the one before it.
#[derive(Debug, Clone, PartialEq)]
pub enum Merge {
    /// Always a step of its own.
    Never,
    /// Joins the previous step when it has the same key and came less than [`BURST_MS`] before.
    Burst { key: String, at_ms: f64 },
    /// Joins every earlier step of the same gesture (one drag).
    Gesture(u64),
}

/// One undoable step: the change that undoes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub label: String,
    pub undo: Change,
    merge: Merge,
}

/// The undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

impl History {
    /// Records the inverse of a change just made. Clears redo.
    pub fn record(&mut self, inverse: Change, label: &str, merge: Merge) {
        self.redo.clear();
        if let Some(top) = self.undo.last_mut() {
            let joins = match (&top.merge, &merge) {
                (Merge::Burst { key: a, at_ms: t0 }, Merge::Burst { key: b, at_ms: t1 }) => a == b && t1 - t0 <= BURST_MS,
                (Merge::Gesture(a), Merge::Gesture(b)) => a == b,
                _ => false,
            };
            if joins {
                top.undo = join(inverse, std::mem::replace(&mut top.undo, Change::Batch(Vec::new())));
                top.merge = merge;
                return;
            }
        }
        self.undo.push(Step { label: label.to_string(), undo: inverse, merge });
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
        }
    }

    /// The step to undo, taken off the stack.
    pub fn take_undo(&mut self) -> Option<Step> {
        self.undo.pop()
    }
    /// The step to redo, taken off the stack.
    pub fn take_redo(&mut self) -> Option<Step> {
        self.redo.pop()
    }
    /// After undoing `label`, what redoes it.
    pub fn push_redo(&mut self, label: String, redo: Change) {
        self.redo.push(Step { label, undo: redo, merge: Merge::Never });
    }
    /// After redoing `label`, what undoes it again (keeps the redo stack).
    pub fn push_undo(&mut self, label: String, undo: Change) {
        self.undo.push(Step { label, undo, merge: Merge::Never });
    }
    /// Puts back a step that could not be applied.
    pub fn restore_undo(&mut self, step: Step) {
        self.undo.push(step);
    }
    pub fn restore_redo(&mut self, step: Step) {
        self.redo.push(step);
    }
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
    /// The label of the step undo would revert.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }
}

/// The inverse of "`older` then `newer`": undo `newer` first. Two inverses that set the same
/// thing collapse to the older one, so a burst of typing keeps one text, not every keystroke.
fn join(newer: Change, older: Change) -> Change {
    match (&newer, &older) {
        (Change::SetText(_), Change::SetText(_)) => older,
        (Change::SetPosition { id: a, .. }, Change::SetPosition { id: b, .. }) if a == b => older,
        _ => match older {
            Change::Batch(mut v) => {
                v.insert(0, newer);
                Change::Batch(v)
            }
            older => Change::Batch(vec![newer, older]),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(t: &str) -> Change {
        Change::SetText(t.into())
    }

    #[test]
    fn a_burst_of_typing_is_one_step_and_a_pause_ends_it() {
        let mut h = History::default();
        let burst = |at_ms| Merge::Burst { key: "code".into(), at_ms };
        h.record(text("a"), "Edit code", burst(0.0));
        h.record(text("ab"), "Edit code", burst(400.0));
        h.record(text("abc"), "Edit code", burst(1300.0));
        h.record(text("abcd"), "Edit code", burst(2500.0));
        assert_eq!(h.take_undo().unwrap().undo, text("abcd"));
        assert_eq!(h.take_undo().unwrap().undo, text("a"));
        assert!(!h.can_undo());
    }

    #[test]
    fn one_gesture_is_one_step_and_new_steps_clear_redo() {
        let mut h = History::default();
        let pos = |x: f64| Change::SetPosition { id: "n".into(), at: Some(crate::editor::geometry::Point::new(x, 0.0)) };
        for x in [1.0, 2.0, 3.0] {
            h.record(pos(x), "Move", Merge::Gesture(7));
        }
        h.record(text("t"), "Rename", Merge::Never);
        h.record(Change::SetTimeout(None), "Timeout", Merge::Never);
        let step = h.take_undo().unwrap();
        h.push_redo(step.label, Change::Batch(vec![]));
        assert!(h.can_redo());
        h.record(text("u"), "Other", Merge::Never);
        assert!(!h.can_redo());
        h.take_undo();
        h.take_undo();
        assert_eq!(h.take_undo().unwrap().undo, pos(1.0));
    }
}
