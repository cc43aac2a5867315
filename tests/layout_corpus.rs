//! The layout over a corpus of realistic definitions (`tests/fixtures/layout-corpus/`, written by
//! its `generate.py`, and the published and production-style workflows of
//! `tests/fixtures/workflows/`): each laid out top down and left to right, and counted: names
//! wider than their node or broken where they do not read whole (cut), labels overlapping labels
//! or nodes, nodes overlapping nodes, and nodes outside the view after fit at the smallest zoom.
//! All must be zero; the totals are printed.

use statecraft::editor::document::Document;
use statecraft::editor::geometry::{Point, Viewport};
use statecraft::editor::graph::derive;
use statecraft::editor::layout::{CHROME, Direction, Scene, label_overlaps, layout_in, overlap};
use statecraft::editor::text::{NAME_FONT, widest};
use std::path::Path;

#[derive(Debug, Default, Clone, Copy, PartialEq)]
struct Counts {
    cut_names: usize,
    label_label: usize,
    label_node: usize,
    node_node: usize,
    outside_fit: usize,
}

/// Whether `inner` is `outer` or nested in it, by pointer.
fn within(inner: &str, outer: &str) -> bool {
    inner == outer || (inner.starts_with(outer) && inner[outer.len()..].starts_with(['/', '#']))
}

fn count(scene: &Scene) -> Counts {
    let mut c = Counts::default();
    for n in &scene.nodes {
        if n.state.is_some() && CHROME + widest(NAME_FONT, &n.lines) > n.rect.w + 1e-6 {
            c.cut_names += 1;
        }
        // A word of the name missing from the lines drawn (a break inside a word counts unless
        // it is at a soft break, where the name reads whole: `text::holds_whole`).
        if !statecraft::editor::text::holds_whole(&n.label, &n.lines) {
            c.cut_names += 1;
        }
    }
    for (i, a) in scene.nodes.iter().enumerate() {
        for b in &scene.nodes[i + 1..] {
            if overlap(&a.rect, &b.rect) && !within(&a.id, &b.id) && !within(&b.id, &a.id) {
                c.node_node += 1;
            }
        }
    }
    (c.label_label, c.label_node) = label_overlaps(&scene.nodes, &scene.edges);
    // Fit in a 1280 × 800 window's canvas (about 800 × 600 once the panes are drawn).
    let view = Viewport::fit(scene.bounds, 800.0, 600.0, 40.0, 0.0);
    for n in &scene.nodes {
        let (a, b) = (view.to_screen(Point::new(n.rect.x, n.rect.y)), view.to_screen(Point::new(n.rect.right(), n.rect.bottom())));
        if a.x < -0.5 || a.y < -0.5 || b.x > 800.5 || b.y > 600.5 {
            c.outside_fit += 1;
        }
    }
    c
}

#[test]
fn every_corpus_definition_lays_out_without_cut_names_overlaps_or_nodes_outside_the_fit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
    files.sort();
    assert!(files.len() >= 50, "the corpus has {} definitions", files.len());
    let mut total = Counts::default();
    let mut bad = Vec::new();
    let mut states = 0;
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let doc = Document::new("corpus", text);
        assert!(doc.diagnostics().iter().all(|d| !d.is_error()), "{}: {:?}", path.display(), doc.diagnostics());
        let graph = derive(doc.machine());
        for direction in [Direction::TopDown, Direction::LeftRight] {
            let t = std::time::Instant::now();
            let scene = layout_in(&graph, direction);
            let b = scene.bounds;
            println!("{:<40} {direction:?}: {:.0} × {:.0}, {} ms", path.file_name().unwrap().to_string_lossy(), b.w, b.h, t.elapsed().as_millis());
            if direction == Direction::TopDown {
                states += scene.nodes.iter().filter(|n| n.state.is_some()).count();
            }
            let c = count(&scene);
            total.cut_names += c.cut_names;
            total.label_label += c.label_label;
            total.label_node += c.label_node;
            total.node_node += c.node_node;
            total.outside_fit += c.outside_fit;
            if c != Counts::default() {
                bad.push(format!("{} {direction:?}: {c:?}", path.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    println!("{} definitions, {states} states, both directions: {total:?}", files.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

mod corpus_support;

/// The published and production-style workflows (`tests/fixtures/workflows/`, each as
/// `statecraft run` reads it: templates and placeholders through `formats`) lay out as the
/// layout corpus does: no cut name, no overlap, nothing outside the fit, both directions.
#[test]
fn every_workflow_of_the_corpus_lays_out_without_cut_names_overlaps_or_nodes_outside_the_fit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| corpus_support::entry_file(&e.unwrap().path())).collect();
    files.sort();
    assert!(files.len() >= 100, "the corpus has {} workflows", files.len());
    let mut bad = Vec::new();
    let mut states = 0;
    for path in &files {
        let doc = Document::new("corpus", corpus_support::runnable_definition(path));
        let graph = derive(doc.machine());
        for direction in [Direction::TopDown, Direction::LeftRight] {
            let scene = layout_in(&graph, direction);
            if direction == Direction::TopDown {
                states += scene.nodes.iter().filter(|n| n.state.is_some()).count();
            }
            let c = count(&scene);
            if c != Counts::default() {
                bad.push(format!("{} {direction:?}: {c:?}", path.strip_prefix(&dir).unwrap().display()));
            }
        }
    }
    println!("{} workflows, {states} states, both directions: {} with a finding", files.len(), bad.len());
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
