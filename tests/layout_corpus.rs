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

/// The drawing's figures of one scene: each edge's length (its curves sampled), its bends (curves
/// that move sideways, more than a pixel across the ranks), the crossings of two edges of one
/// level (proper intersections of their sampled polylines, away from the nodes they join), and
/// how far the loops' edges run (their length, on their own).
#[derive(Debug, Default, Clone, Copy)]
struct Drawing {
    edges: usize,
    length: f64,
    bends: usize,
    crossings: usize,
    back_length: f64,
    area: f64,
}

fn drawing(scene: &Scene) -> Drawing {
    const SAMPLES: usize = 6;
    let polyline = |e: &statecraft::editor::layout::SceneEdge| -> Vec<Point> {
        let mut out = Vec::new();
        for (i, c) in e.curves.iter().enumerate() {
            for k in usize::from(i > 0)..=SAMPLES {
                out.push(c.at(k as f64 / SAMPLES as f64));
            }
        }
        out
    };
    let lines: Vec<Vec<Point>> = scene.edges.iter().map(polyline).collect();
    let mut d = Drawing { edges: scene.edges.len(), area: scene.bounds.w * scene.bounds.h / 1e6, ..Drawing::default() };
    let (nodes, _) = scene.index();
    for (e, line) in scene.edges.iter().zip(&lines) {
        let length: f64 = line.windows(2).map(|w| (w[1].x - w[0].x).hypot(w[1].y - w[0].y)).sum();
        d.length += length;
        let sideways = |c: &statecraft::editor::geometry::Curve| match scene.direction {
            Direction::TopDown => (c.to.x - c.from.x).abs() > 1.0,
            Direction::LeftRight => (c.to.y - c.from.y).abs() > 1.0,
        };
        d.bends += e.curves.iter().filter(|c| sideways(c)).count();
        // A loop's edge runs against the layers: it ends above (left of) where it starts.
        if let (Some(first), Some(last)) = (e.curves.first(), e.curves.last()) {
            let back = match scene.direction {
                Direction::TopDown => last.to.y < first.from.y - 1.0,
                Direction::LeftRight => last.to.x < first.from.x - 1.0,
            };
            if back {
                d.back_length += length;
            }
        }
    }
    // Crossings: segment pairs of two edges of one level, away from both edges' nodes.
    let boxes = |e: &statecraft::editor::layout::SceneEdge| [nodes.get(&e.from), nodes.get(&e.to)].into_iter().flatten().map(|&i| scene.nodes[i].rect).collect::<Vec<_>>();
    let bbox = |l: &[Point]| l.iter().fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| (b.0.min(p.x), b.1.min(p.y), b.2.max(p.x), b.3.max(p.y)));
    let boxes_of: Vec<_> = lines.iter().map(|l| bbox(l)).collect();
    let cross = |p: Point, q: Point, r: Point, s: Point| {
        let o = |a: Point, b: Point, c: Point| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
        let (d1, d2, d3, d4) = (o(r, s, p), o(r, s, q), o(p, q, r), o(p, q, s));
        ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0)) && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    };
    for i in 0..lines.len() {
        for j in i + 1..lines.len() {
            let (a, b) = (&scene.edges[i], &scene.edges[j]);
            let (p, q) = (boxes_of[i], boxes_of[j]);
            if a.scope != b.scope || p.2 < q.0 || q.2 < p.0 || p.3 < q.1 || q.3 < p.1 {
                continue;
            }
            let near: Vec<_> = boxes(a).into_iter().chain(boxes(b)).collect();
            let away = |x: Point| !near.iter().any(|r| x.x > r.x - 2.0 && x.x < r.right() + 2.0 && x.y > r.y - 2.0 && x.y < r.bottom() + 2.0);
            let mut found = false;
            'outer: for s in lines[i].windows(2) {
                for t in lines[j].windows(2) {
                    if cross(s[0], s[1], t[0], t[1]) && away(s[0]) && away(s[1]) {
                        found = true;
                        break 'outer;
                    }
                }
            }
            d.crossings += usize::from(found);
        }
    }
    d
}

/// The drawing's figures over both corpora (the layout corpus and the workflows), both
/// directions: total edge length, bends, crossings, the loops' length, the drawings' area, and the
/// time to lay everything out. A measurement, printed:
/// `cargo test --release --test layout_corpus -- --ignored --nocapture figures`.
#[test]
#[ignore = "measurement"]
fn layout_figures_over_both_corpora() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<(String, String)> = Vec::new();
    for p in std::fs::read_dir(root.join("tests/fixtures/layout-corpus")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")) {
        files.push((p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read_to_string(&p).unwrap()));
    }
    for p in std::fs::read_dir(root.join("tests/fixtures/workflows")).unwrap().filter_map(|e| corpus_support::entry_file(&e.unwrap().path())) {
        files.push((p.strip_prefix(root).unwrap().display().to_string(), corpus_support::runnable_definition(&p)));
    }
    files.sort();
    let only = std::env::var("ONLY").ok();
    for direction in [Direction::TopDown, Direction::LeftRight] {
        let mut total = Drawing::default();
        let mut millis = 0.0;
        for (name, text) in &files {
            if only.as_deref().is_some_and(|o| !name.contains(o)) {
                continue;
            }
            let graph = derive(Document::new("corpus", text.clone()).machine());
            let t = std::time::Instant::now();
            let scene = layout_in(&graph, direction);
            millis += t.elapsed().as_secs_f64() * 1000.0;
            let d = drawing(&scene);
            if only.is_some() || std::env::var("EACH").is_ok() {
                println!("  {name} {direction:?}: length {:.0}k px, bends {}, crossings {}, loops {:.0}k px, area {:.1} Mpx²", d.length / 1e3, d.bends, d.crossings, d.back_length / 1e3, d.area);
            }
            total.edges += d.edges;
            total.length += d.length;
            total.bends += d.bends;
            total.crossings += d.crossings;
            total.back_length += d.back_length;
            total.area += d.area;
        }
        println!(
            "FIGURES {direction:?}: {} files, {} edges: length {:.0}k px, bends {}, crossings {}, loops' length {:.0}k px, area {:.0} Mpx², laid out in {millis:.0} ms",
            files.len(),
            total.edges,
            total.length / 1e3,
            total.bends,
            total.crossings,
            total.back_length / 1e3,
            total.area
        );
    }
}
