//! Where the time of opening and editing a big definition goes, phase by phase, natively: the
//! same machines as `tests/e2e/bench.mjs` (a chain of Tasks with a Choice every nine states).
//!
//!     cargo run --release --example editor_phases -- 2000 1000
//!
//! Prints, per size: reading the text into a document (JSON, model, validation), the graph,
//! the layout from scratch, and a keystroke's share (the text read again, the graph again, the
//! layout reworded in place of laid out, the placement), and the read in part (`editor::reread`)
//! against a full read.

use statecraft::editor::change::Change;
use statecraft::editor::document::Document;
use statecraft::editor::graph::derive;
use statecraft::editor::layout::{Direction, layout_in, relayout_in};
use statecraft::editor::placement::Placement;
use statecraft::editor::reread;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Instant;

/// The bench's machine of `n` states (tests/e2e/bench.mjs, `machine`), pretty-printed.
fn machine(n: usize) -> String {
    let mut states = serde_json::Map::new();
    for i in 0..n {
        let state = if i == n - 1 {
            serde_json::json!({ "Type": "Succeed" })
        } else if i % 9 == 4 {
            serde_json::json!({ "Type": "Choice", "Choices": [{ "Variable": "$.x", "NumericEquals": i, "Next": format!("S{}", (i + 3).min(n - 1)) }], "Default": format!("S{}", i + 1) })
        } else {
            serde_json::json!({ "Type": "Task", "Resource": format!("arn:aws:lambda:eu-west-3:123456789012:function:F{i}"), "Next": format!("S{}", i + 1) })
        };
        states.insert(format!("S{i}"), state);
    }
    serde_json::to_string_pretty(&serde_json::json!({ "StartAt": "S0", "States": states })).expect("JSON")
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let sizes: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let sizes = if sizes.is_empty() { vec![2000, 1000] } else { sizes };
    for n in sizes {
        let text = machine(n);
        let mut out = String::new();
        let t = Instant::now();
        let mut doc = Document::new("bench", text.clone());
        let _ = write!(out, "{n} states: read {:.1} ms", ms(t));
        let t = Instant::now();
        let lowered = statecraft::asl::lower::lower_text(&text).map(|(_, l)| l.machine).expect("JSON");
        let _ = write!(out, " (of which JSON and model {:.1} ms", ms(t));
        let t = Instant::now();
        let found = statecraft::asl::validate::validate(&lowered).len();
        let _ = write!(out, ", validation {:.1} ms, {found} diagnostics)", ms(t));
        let t = Instant::now();
        let graph = derive(doc.machine());
        let _ = write!(out, ", graph {:.1} ms", ms(t));
        let t = Instant::now();
        let scene = layout_in(&graph, Direction::TopDown);
        let _ = write!(out, ", layout {:.1} ms", ms(t));
        let t = Instant::now();
        let mut placement = Placement::new(scene.clone());
        placement.apply(&BTreeMap::new(), None);
        let _ = write!(out, ", placement {:.1} ms", ms(t));
        // A keystroke: F10 → G0 in S10's resource.
        let edited = text.replacen("function:F10\"", "function:G0\"", 1);
        let t = Instant::now();
        doc.apply(Change::SetText(edited.clone())).expect("edit");
        let read = ms(t);
        // The same keystroke's read, in part and its parts, against a full read.
        let mut last = reread::read(&text).expect("JSON");
        let mut root = last.root.clone();
        let t = Instant::now();
        let _ = statecraft::asl::json::patch::patch(&mut root, &text, &edited);
        let patched = ms(t);
        let t = Instant::now();
        let how = reread::reread(&mut last, &text, &edited);
        let in_part = ms(t);
        let t = Instant::now();
        let _ = statecraft::asl::validate::judge_whole(&last.machine, statecraft::asl::model::ExecutionType::Standard);
        let whole = ms(t);
        let t = Instant::now();
        let _ = reread::read(&edited);
        let full = ms(t);

        let t = Instant::now();
        let graph2 = derive(doc.machine());
        let derived = ms(t);
        let t = Instant::now();
        let again = relayout_in(Some((&graph, &scene)), &graph2, Direction::TopDown);
        let relaid = ms(t);
        let t = Instant::now();
        let mut placement = Placement::new(again);
        placement.apply(&BTreeMap::new(), None);
        let placed = ms(t);
        let _ = write!(out, "; keystroke: read {read:.2} ms (in part {how:?} {in_part:.2} ms, of which JSON {patched:.2} ms and whole-machine rules {whole:.2} ms; a full read {full:.2} ms), graph {derived:.1} ms, relayout {relaid:.1} ms, placement {placed:.1} ms");
        println!("{out}");
    }
}
