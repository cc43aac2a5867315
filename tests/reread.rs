//! A keystroke's read in part (`editor::reread`) gives exactly what a full read of the new text
//! gives: the tree with every span, the model, and every diagnostic with its pointer, span and
//! line:column. Checked over chains of random edits of each definition of the layout corpus and
//! of the seed, each edit applied to the result of the one before (so what a read keeps for the
//! next is checked too), through the reader directly and through the document; and the canvas's
//! graph and scene after a keystroke inside one state, taken in place
//! (`layout::reword_state_in`), are those of deriving the whole graph again.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use statecraft::asl::json::{Node, Value};
use statecraft::editor::change::Change;
use statecraft::editor::document::Document;
use statecraft::editor::graph::derive;
use statecraft::editor::layout::{Direction, layout_in, relayout_in, reword_in, reword_state_in};
use statecraft::editor::reread::{self, How};
use std::collections::BTreeMap;

/// The definitions: the seed and the layout corpus.
fn definitions() -> Vec<(String, String)> {
    let mut out = vec![("seed".to_string(), statecraft::seed::ORDER_WORKFLOW.to_string())];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("the corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    for path in files.into_iter().filter(|p| p.extension().is_some_and(|e| e == "json")) {
        out.push((path.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&path).expect("readable")));
    }
    out
}

/// Spans compared too: `Node`'s equality leaves them out.
fn same_tree(a: &Node, b: &Node) -> bool {
    a.same_with_spans(b)
}

/// The spans of the strings, numbers and keys of `root`: where the edits go.
fn tokens(root: &Node) -> Vec<(usize, usize)> {
    fn visit(n: &Node, out: &mut Vec<(usize, usize)>) {
        match &n.value {
            Value::Object(members) => {
                for m in members {
                    out.push((m.key_span.start as usize, m.key_span.end as usize));
                    visit(&m.value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|i| visit(i, out)),
            _ => out.push((n.span.start as usize, n.span.end as usize)),
        }
    }
    let mut out = Vec::new();
    visit(root, &mut out);
    out
}

/// One edit, as the code editor reports it: `from..to` of the text replaced by `insert`.
#[derive(Debug, Clone)]
enum Edit {
    /// Inside the `k`-th token (mod their count), at `at` (mod its length): a word typed,
    /// removed or replaced.
    Token { k: usize, at: usize, cut: usize, insert: &'static str },
    /// Anywhere (`at` mod the text's length): a character that may break the JSON, a member
    /// added, a line removed.
    Anywhere { at: usize, cut: usize, insert: &'static str },
}

const WORDS: &[&str] = &["", "x", "G0", "9", "é", "Pass", "Task", "Succeed", "$.a", "States.ALL", "arn:aws:lambda:us-east-1:1:function:f", "{% $x %}", "1e400", "-"];
const ANYWHERE: &[&str] = &["", "\"", "{", "}", ",", " ", "\n", "[", "]", ":", "\"Comment\": \"c\",", "\"Next\": \"Nowhere\",", "\"Type\": \"Pass\","];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), any::<usize>(), 0usize..4, prop::sample::select(WORDS)).prop_map(|(k, at, cut, insert)| Edit::Token { k, at, cut, insert }),
        1 => (any::<usize>(), 0usize..3, prop::sample::select(ANYWHERE)).prop_map(|(at, cut, insert)| Edit::Anywhere { at, cut, insert }),
    ]
}

/// `text` with `edit` made (on character boundaries).
fn apply(text: &str, root: Option<&Node>, edit: &Edit) -> String {
    let boundary = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (from, to, insert) = match (edit, root) {
        (Edit::Token { k, at, cut, insert }, Some(root)) => {
            let tokens = tokens(root);
            let (s, e) = tokens[k % tokens.len()];
            // Inside the token: after its first byte, before its last.
            let len = e - s;
            let from = if len > 2 { s + 1 + at % (len - 1) } else { s + len.min(1) };
            let to = (from + cut).min(e.saturating_sub(1)).max(from);
            (boundary(from), boundary(to), *insert)
        }
        (Edit::Token { at, cut, insert, .. } | Edit::Anywhere { at, cut, insert }, _) => {
            let from = boundary(at % (text.len() + 1));
            (from, boundary(from + cut), *insert)
        }
    };
    format!("{}{}{}", &text[..from], insert, &text[to..])
}

/// Reads `text` with `edits` made one after the other, in part and in full, and compares.
fn check_chain(name: &str, text: &str, edits: &[Edit], counts: &mut BTreeMap<&'static str, usize>) -> Result<(), TestCaseError> {
    let mut text = text.to_string();
    let mut last = reread::read(&text).ok();
    let mut doc = Document::new("doc", text.clone());
    // The canvas's graph and scene, followed as the page follows them (`ui::context`).
    let mut graph = derive(doc.machine());
    let mut scene = layout_in(&graph, Direction::TopDown);
    for edit in edits {
        let new = apply(&text, last.as_ref().map(|r| &r.root), edit);
        let full = reread::read(&new);
        // Through the reader: in part when it can, compared with the full read.
        let how = last.as_mut().and_then(|read| reread::reread(read, &text, &new));
        *counts.entry(match how {
            Some(How::OneState(_)) => "one state",
            Some(How::PartJson) => "json in part",
            None => "in full",
        })
        .or_default() += 1;
        match (how, &last) {
            (Some(_), Some(read)) => {
                let full = full.as_ref().map_err(|e| TestCaseError::fail(format!("{name}: read in part, but the full read fails: {e}")))?;
                prop_assert!(same_tree(&read.root, &full.root), "{name}: the trees differ after {edit:?}");
                prop_assert_eq!(&read.machine, &full.machine, "{}: the models differ after {:?}", name, edit);
                prop_assert_eq!(&read.diagnostics, &full.diagnostics, "{}: the diagnostics differ after {:?}", name, edit);
            }
            _ => last = full.ok(),
        }
        // Through the document, as typing does.
        doc.apply(Change::SetText(new.clone())).expect("text is always taken");
        let fresh = Document::new("doc", new.clone());
        prop_assert_eq!(doc.diagnostics(), fresh.diagnostics(), "{}: the document's diagnostics differ after {:?}", name, edit);
        prop_assert_eq!(doc.syntax_error().is_some(), fresh.syntax_error().is_some());
        if fresh.syntax_error().is_none() {
            prop_assert_eq!(doc.machine(), fresh.machine(), "{}: the document's models differ after {:?}", name, edit);
            prop_assert!(same_tree(doc.tree().expect("JSON"), fresh.tree().expect("JSON")));
        }
        // A keystroke inside one state: that state derived again in place is the whole graph
        // derived again, and its words in the scene are what rewording the whole scene gives.
        let full_graph = derive(doc.machine());
        if let Some(i) = doc.touched_state() {
            *counts.entry("graph in place").or_default() += 1;
            let (was_graph, was_scene) = (graph.clone(), scene.clone());
            if reword_state_in(&mut graph, &mut scene, doc.machine(), i) {
                prop_assert_eq!(&graph, &full_graph, "{}: the graph derived in place differs after {:?}", name, edit);
                let reworded = reword_in((&was_graph, &was_scene), &full_graph, Direction::TopDown);
                prop_assert_eq!(Some(&scene), reworded.as_ref(), "{}: the scene reworded in place differs after {:?}", name, edit);
                *counts.entry("words in place").or_default() += 1;
            } else {
                prop_assert_eq!(&graph, &was_graph);
                prop_assert_eq!(&scene, &was_scene);
            }
        }
        if graph != full_graph {
            scene = relayout_in(Some((&graph, &scene)), &full_graph, Direction::TopDown);
            graph = full_graph;
        }
        text = new;
    }
    Ok(())
}

#[test]
fn random_edits_read_in_part_are_read_as_in_full() {
    let counts = std::cell::RefCell::new(BTreeMap::new());
    for (name, text) in definitions() {
        let config = Config { cases: 6, failure_persistence: None, ..Config::default() };
        // A fixed seed: the counts asserted below are of the same edits on every run.
        let mut runner = TestRunner::new_with_rng(config.clone(), proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm));
        runner
            .run(&prop::collection::vec(edit(), 1..12), |edits| check_chain(&name, &text, &edits, &mut counts.borrow_mut()))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The edits exercise the reading in part, not only the fallback.
    let counts = counts.into_inner();
    eprintln!("reads: {counts:?}");
    assert!(counts.get("one state").copied().unwrap_or(0) > 200, "{counts:?}");
    assert!(counts.get("json in part").copied().unwrap_or(0) > 3, "{counts:?}");
    assert!(counts.get("in full").copied().unwrap_or(0) > 20, "{counts:?}");
    // And the canvas's graph and scene taken in place, not only derived again.
    assert!(counts.get("words in place").copied().unwrap_or(0) > 200, "{counts:?}");
}

#[test]
fn an_edit_outside_the_states_is_read_in_full_from_the_json_read_in_part() {
    let text = statecraft::seed::ORDER_WORKFLOW;
    let mut last = reread::read(text).unwrap();
    let edited = text.replacen("\"ValidateInput\",", "\"ValidateInputs\",", 1);
    assert_ne!(edited, text);
    assert_eq!(reread::reread(&mut last, text, &edited), Some(How::PartJson));
    assert_eq!(last.diagnostics, reread::read(&edited).unwrap().diagnostics);
}
