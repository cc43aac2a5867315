//! Dumps Statecraft's layout of each ASL file given, as JSON on stdout, for the crossing benchmark
//! against dagre (`tests/layout-bench/bench-layout.mjs`): for each graph level (the machine, each
//! Parallel branch, each Map processor) its nodes with their sizes and where we put them, its
//! edges with their label sizes, and each edge's route as a polyline (our Bézier curves sampled).
//!
//!     cargo run --release --example layout_dump -- tests/fixtures/layout-corpus/*.json

use serde_json::{Value, json};
use statecraft::editor::document::Document;
use statecraft::editor::graph::derive;
use statecraft::editor::layout::{Direction, label_size, layout_in};
use std::collections::BTreeMap;

fn main() {
    let direction = match std::env::var("LAYOUT_DIRECTION").as_deref() {
        Ok("LR") => Direction::LeftRight,
        _ => Direction::TopDown,
    };
    let mut files = Vec::new();
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let doc = Document::new("dump", text);
        let t = std::time::Instant::now();
        let scene = layout_in(&derive(doc.machine()), direction);
        let millis = t.elapsed().as_secs_f64() * 1000.0;
        // One level per scope: its nodes and edges.
        let mut levels: BTreeMap<String, (Vec<Value>, Vec<Value>)> = BTreeMap::new();
        let key = |scope: &statecraft::editor::scope::Scope| format!("{scope:?}");
        for n in &scene.nodes {
            let r = n.rect;
            levels.entry(key(&n.scope)).or_default().0.push(json!({"id": n.id, "w": r.w, "h": r.h, "x": r.x, "y": r.y}));
        }
        for e in &scene.edges {
            let mut points = vec![];
            for (i, c) in e.curves.iter().enumerate() {
                let samples: usize = std::env::var("SAMPLES").ok().and_then(|s| s.parse().ok()).unwrap_or(8);
                for k in if i == 0 { 0 } else { 1 }..=samples {
                    let p = c.at(k as f64 / samples as f64);
                    points.push(json!([p.x, p.y]));
                }
            }
            // (The edge's own label: dagre is given the graph, not our drawing of it.)
            let label = e.label.as_deref().map(|l| {
                let (w, h) = label_size(l);
                json!({"w": w, "h": h})
            });
            levels.entry(key(&e.scope)).or_default().1.push(json!({"id": e.id, "from": e.from, "to": e.to, "label": label, "points": points, "reference": e.reference.is_some()}));
        }
        let levels: Vec<Value> = levels.into_values().map(|(nodes, edges)| json!({"nodes": nodes, "edges": edges})).collect();
        files.push(json!({"file": path, "millis": millis, "levels": levels}));
    }
    println!("{}", serde_json::to_string(&files).expect("JSON"));
}
