//! Reading the text again after a keystroke, in proportion to the keystroke.
//!
//! A full read ([`read`]) parses the whole text, lowers every state and judges every rule. After
//! an edit, [`reread`] re-parses only the smallest JSON value around the change
//! ([`json::patch`]), and when that value lies inside one top-level state, lowers only that state
//! ([`lower::lower_top_state`]) and judges only that state's own rules
//! ([`validate::judge_top_state`]) and the whole-machine rules ([`validate::judge_whole`]: names,
//! transitions, reachability, variables, labels). What the other states' lowering and rules found
//! is kept from the last read ([`Kept`]). Whenever it is unsure (a key or a state name changed, a
//! state is no object, a name is written twice, the change is outside every state) it does the
//! part it cannot do in part in full, and when the text is no longer JSON the caller reads it all.
//! The result is the full read's, diagnostics with their spans and line:column included: the
//! equivalence is held by `tests/reread.rs` over random edits of the layout corpus and the seed.
//! (One difference is by design: the JSON values the model keeps whole, such as a Pass's
//! `Result`, keep the spans they were read with, which no one reads; the model compares equal.)

use crate::asl::diag::{self, Code, Diagnostic};
use crate::asl::json::{self, Node, Value};
use crate::asl::lower;
use crate::asl::model::{ExecutionType, StateMachine};
use crate::asl::validate::{self, Judged};

/// What a read keeps beside the tree and the model so that the next one can be done in part:
/// the diagnostics of lowering and of the rules, not yet located, by where they came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Kept {
    /// Lowering's diagnostics (the spans it gave: duplicate keys, numbers beyond a float).
    lowered: Vec<Diagnostic>,
    /// The rules' diagnostics, the whole machine's and each top-level state's.
    judged: Judged,
}

/// A text read: the tree, the model, the located diagnostics, and what the next read keeps.
#[derive(Debug, Clone)]
pub struct Read {
    pub root: Node,
    pub machine: StateMachine,
    pub diagnostics: Vec<Diagnostic>,
    pub kept: Kept,
}

/// How [`reread`] did it, for tests and for the phases example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// One top-level state (its index) lowered and judged again.
    OneState(usize),
    /// The JSON re-read in part, then lowered and judged in full.
    PartJson,
}

/// Reads `text` in full; `Err` with its located syntax error (or the empty definition's) when it
/// is not JSON. The same as [`validate::validate_text`].
pub fn read(text: &str) -> Result<Read, Diagnostic> {
    let (root, lowered) = lower::lower_text(text)?;
    Ok(judged_in_full(root, lowered, text))
}

fn judged_in_full(root: Node, lowered: lower::Lowered, text: &str) -> Read {
    let judged = validate::judge(&lowered.machine, ExecutionType::Standard);
    let kept = Kept { lowered: lowered.diagnostics, judged };
    let diagnostics = located(&kept, &root, text);
    Read { root, machine: lowered.machine, diagnostics, kept }
}

/// Every diagnostic `kept` holds, located in `text` (read as `root`) and in order.
fn located(kept: &Kept, root: &Node, text: &str) -> Vec<Diagnostic> {
    let mut all = kept.lowered.clone();
    all.extend(kept.judged.whole.iter().cloned());
    all.extend(kept.judged.top_states.iter().flatten().cloned());
    diag::locate(&mut all, root, text);
    validate::sort(&mut all);
    all
}

/// Makes `last`, the read of `old_text`, the read of `new_text`, doing again only what the edit
/// touched. `None` (and `last` as it was) when `new_text` must be read in full: it is not JSON,
/// or the edit is not inside a value that holds less than half of it.
pub fn reread(last: &mut Read, old_text: &str, new_text: &str) -> Option<How> {
    let patched = json::patch::patch(&mut last.root, old_text, new_text)?;
    // From here the tree is the new text's: whatever cannot be done in part is done in full
    // from it, without parsing again.
    if let Some(index) = one_state(last, &patched, new_text) {
        return Some(How::OneState(index));
    }
    let lowered = lower::lower(&last.root);
    let root = std::mem::replace(&mut last.root, Node::new(Value::Null));
    *last = judged_in_full(root, lowered, new_text);
    Some(How::PartJson)
}

/// The edit lies in one top-level state: that state lowered and judged again, and the rules over
/// the whole machine; gives the state's index. `None` when that would not give the full read's
/// result.
fn one_state(last: &mut Read, patched: &json::patch::Patched, text: &str) -> Option<usize> {
    let (&states_member, rest) = patched.path.split_first()?;
    let &index = rest.first()?;
    let members = last.root.as_object()?;
    if members.get(states_member)?.key != "States" {
        return None;
    }
    let named = members[states_member].value.as_object()?;
    // The model's states are the `States` members one for one (lowering took them all), and the
    // state's name is its own: what lowering reported under its pointer is its state's alone.
    let name = &named.get(index)?.key;
    if last.machine.states.len() != named.len()
        || last.machine.states.get(index).map(|s| &s.name) != Some(name)
        || named.iter().filter(|m| &m.key == name).count() != 1
    {
        return None;
    }
    let (state, found) = lower::lower_top_state(&last.root, states_member, index)?;
    let pointer = crate::asl::walk::state_pointer("", name);
    let inside = |d: &Diagnostic| {
        d.pointer.strip_prefix(pointer.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            // A duplicate of the state's own name is the `States` object's.
            && !(d.code == Code::DuplicateKey && d.pointer == pointer)
    };
    // The model and what lowering found: the state's own replaced, the spans after it moved.
    last.machine.states[index] = state;
    let (end, delta) = (patched.old_span.end, patched.delta());
    last.kept.lowered.retain(|d| !inside(d));
    for d in &mut last.kept.lowered {
        if let Some(span) = &mut d.span
            && span.start >= end
        {
            span.start = (span.start as i64 + delta) as u32;
            span.end = (span.end as i64 + delta) as u32;
        }
    }
    last.kept.lowered.extend(found);
    // The rules: the state's own, and the whole machine's.
    last.kept.judged.top_states[index] = validate::judge_top_state(&last.machine, index, ExecutionType::Standard)?;
    last.kept.judged.whole = validate::judge_whole(&last.machine, ExecutionType::Standard);
    last.diagnostics = located(&last.kept, &last.root, text);
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_read_is_the_validator_s() {
        for text in [crate::seed::ORDER_WORKFLOW, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\"}}}", "[1]"] {
            let read = read(text).unwrap();
            let report = validate::validate_text(text);
            assert_eq!(read.diagnostics, report.diagnostics);
            assert_eq!(Some(&read.machine), report.machine.as_ref());
        }
        assert_eq!(read("{").unwrap_err().code, Code::JsonSyntax);
    }

    #[test]
    fn a_word_in_one_state_is_read_in_that_state() {
        let text = crate::seed::ORDER_WORKFLOW;
        let mut last = read(text).unwrap();
        let at = text.find("\"Resource\": \"").unwrap() + 14;
        let edited = format!("{}x{}", &text[..at], &text[at..]);
        assert!(matches!(reread(&mut last, text, &edited), Some(How::OneState(_))));
        let full = read(&edited).unwrap();
        assert_eq!(last.diagnostics, full.diagnostics);
        assert_eq!(last.machine, full.machine);
        assert_eq!(last.kept.judged, full.kept.judged);
    }
}
