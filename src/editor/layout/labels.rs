//! The label-placement phase: every edge label gets a box (its text measured by
//! [`crate::editor::text`]) that overlaps no node and no other label. A label first stays where
//! the layout put it (a forward edge's label rides on its own dummy vertex, which the layers keep
//! apart from everything), else it slides along its edge, else it moves off the edge by growing
//! steps, until it is free.
//!
//! A label may lie inside the containers its edge belongs to (a branch's edges are drawn inside
//! the Parallel), but not on their heads, where their names are.

use super::{SceneEdge, SceneNode};
use crate::editor::geometry::{Point, Rect};

/// The room kept between a label and what it must not touch.
const CLEARANCE: f64 = 3.0;

/// Whether two rectangles overlap (touching edges do not).
pub fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

fn grow(r: &Rect, by: f64) -> Rect {
    Rect::new(r.x - by, r.y - by, r.w + 2.0 * by, r.h + 2.0 * by)
}

/// Whether `edge` runs inside the container `node` (one of its branches' edges: its id starts
/// with the container's pointer and a `/`). The container's own edges (its Next, its Catches)
/// run outside it.
fn runs_inside(edge: &SceneEdge, node: &SceneNode) -> bool {
    node.container && edge.id.len() > node.id.len() && edge.id.starts_with(node.id.as_str()) && edge.id[node.id.len()..].starts_with('/')
}

/// What a label of `edge` must not overlap: each node's box, except that a container the edge
/// runs inside of only forbids its head.
fn obstacles_for(nodes: &[SceneNode], edge: &SceneEdge) -> Vec<Rect> {
    nodes
        .iter()
        .map(|n| {
            if runs_inside(edge, n) {
                Rect::new(n.rect.x, n.rect.y, n.rect.w, n.head_height())
            } else {
                n.rect
            }
        })
        .collect()
}

/// The points to try for a label, best first: where it is, then along the edge (nearest first),
/// then around those by growing rings.
fn candidates(edge: &SceneEdge) -> Vec<Point> {
    let start = edge.label_at;
    let mut along: Vec<Point> = Vec::new();
    for c in &edge.curves {
        for i in 1..20 {
            along.push(c.at(i as f64 / 20.0));
        }
    }
    let d = |p: &Point| (p.x - start.x).hypot(p.y - start.y);
    along.sort_by(|a, b| d(a).total_cmp(&d(b)));
    let mut out = vec![start];
    out.extend(along.iter().copied());
    // Off the edge: rings around the start and the points along, 12 px a ring.
    for ring in 1..=40 {
        let r = 12.0 * ring as f64;
        for base in std::iter::once(start).chain(along.iter().step_by(4).copied()) {
            for k in 0..8 {
                let a = std::f64::consts::FRAC_PI_4 * k as f64;
                out.push(Point::new(base.x + r * a.cos(), base.y + r * a.sin()));
            }
        }
    }
    out
}

/// Moves the labels of `edges` until none overlaps a node or another label.
pub(super) fn place_labels(nodes: &[SceneNode], edges: &mut [SceneEdge]) {
    // Labels already free keep their place; the order is the edges' (stable, so a layout is
    // reproducible).
    let mut placed: Vec<Rect> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let all_obstacles: Vec<Vec<Rect>> = edges.iter().map(|e| if e.has_label() { obstacles_for(nodes, e) } else { Vec::new() }).collect();
    let clear = |r: &Rect, obstacles: &[Rect], placed: &[Rect]| {
        let g = grow(r, CLEARANCE);
        !obstacles.iter().any(|o| overlap(&g, o)) && !placed.iter().any(|p| overlap(&g, p))
    };
    for (k, e) in edges.iter().enumerate() {
        let Some(r) = e.label_rect() else { continue };
        if clear(&r, &all_obstacles[k], &placed) {
            placed.push(r);
        } else {
            pending.push(k);
        }
    }
    for k in pending {
        let e = &edges[k];
        let (w, h) = e.label_size().expect("a pending label has a size");
        let at = |p: Point| Rect::new(p.x - w / 2.0, p.y - h / 2.0, w, h);
        let found = candidates(e).into_iter().find(|&p| clear(&at(p), &all_obstacles[k], &placed));
        // Past every ring (a crowd all around): below everything.
        let p = found.unwrap_or_else(|| {
            let bottom = nodes.iter().map(|n| n.rect.bottom()).chain(placed.iter().map(|r| r.bottom())).fold(0.0, f64::max);
            Point::new(e.label_at.x, bottom + h)
        });
        edges[k].label_at = p;
        placed.push(at(p));
    }
}

/// The overlaps a scene's labels have: (label with label, label with node).
pub fn label_overlaps(nodes: &[SceneNode], edges: &[SceneEdge]) -> (usize, usize) {
    let labels: Vec<(usize, Rect)> = edges.iter().enumerate().filter_map(|(k, e)| Some((k, e.label_rect()?))).collect();
    let mut with_labels = 0;
    for (i, (_, a)) in labels.iter().enumerate() {
        with_labels += labels[i + 1..].iter().filter(|(_, b)| overlap(a, b)).count();
    }
    let with_nodes = labels.iter().map(|&(k, r)| obstacles_for(nodes, &edges[k]).iter().filter(|o| overlap(&r, o)).count()).sum();
    (with_labels, with_nodes)
}
