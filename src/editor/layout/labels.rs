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
use std::collections::HashMap;

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
fn obstacle(edge: &SceneEdge, n: &SceneNode) -> Rect {
    if runs_inside(edge, n) { Rect::new(n.rect.x, n.rect.y, n.rect.w, n.head_height()) } else { n.rect }
}

/// [`obstacle`] for every node.
fn obstacles_for(nodes: &[SceneNode], edge: &SceneEdge) -> Vec<Rect> {
    nodes.iter().map(|n| obstacle(edge, n)).collect()
}

/// The side of a [`Grid`]'s square cells, in canvas pixels: about a node's width, so that a label
/// looks at the few nodes and labels around it.
const CELL: f64 = 256.0;
/// A box spanning more cells than this is kept apart and checked by every query.
const WIDE: i64 = 256;

/// Boxes filed by the grid cells they cover, so that "does this box overlap any of them" looks
/// only at the boxes near it: the same answer as checking every box, in time that does not grow
/// with the machine (a 2,000-state machine has thousands of nodes and hundreds of labels).
#[derive(Default)]
struct Grid {
    rects: Vec<Rect>,
    cells: HashMap<(i64, i64), Vec<usize>>,
    /// Boxes too big (or not finite) to file by cell.
    wide: Vec<usize>,
}

impl Grid {
    /// The cells `r` covers (its edges included), or None when they are too many.
    fn span(r: &Rect) -> Option<(i64, i64, i64, i64)> {
        let (x0, x1, y0, y1) = ((r.x / CELL).floor(), (r.right() / CELL).floor(), (r.y / CELL).floor(), (r.bottom() / CELL).floor());
        if ![x0, x1, y0, y1].iter().all(|v| v.is_finite() && v.abs() < 1e12) {
            return None;
        }
        let (x0, x1, y0, y1) = (x0 as i64, x1 as i64, y0 as i64, y1 as i64);
        ((x1 - x0 + 1) * (y1 - y0 + 1) <= WIDE).then_some((x0, x1, y0, y1))
    }

    fn insert(&mut self, r: Rect) {
        let k = self.rects.len();
        self.rects.push(r);
        match Self::span(&r) {
            Some((x0, x1, y0, y1)) => {
                for cx in x0..=x1 {
                    for cy in y0..=y1 {
                        self.cells.entry((cx, cy)).or_default().push(k);
                    }
                }
            }
            None => self.wide.push(k),
        }
    }

    /// Whether `hit` holds for a box (by its index) that may overlap `r`: every box that does is
    /// asked (some that do not may be too, and some more than once).
    fn any_near(&self, r: &Rect, mut hit: impl FnMut(usize) -> bool) -> bool {
        match Self::span(r) {
            None => (0..self.rects.len()).any(hit),
            Some((x0, x1, y0, y1)) => {
                self.wide.iter().any(|&k| hit(k))
                    || (x0..=x1).any(|cx| (y0..=y1).any(|cy| self.cells.get(&(cx, cy)).is_some_and(|ks| ks.iter().any(|&k| hit(k)))))
            }
        }
    }
}

/// The points to try for a label, best first: where it is, then along the edge (nearest first),
/// then around those by growing rings (made as they are asked for: most labels take one of the
/// first).
fn candidates(edge: &SceneEdge) -> impl Iterator<Item = Point> {
    let start = edge.label_at;
    let mut along: Vec<Point> = Vec::new();
    for c in &edge.curves {
        for i in 1..20 {
            along.push(c.at(i as f64 / 20.0));
        }
    }
    let d = |p: &Point| (p.x - start.x).hypot(p.y - start.y);
    crate::asl::sort::sort_by(&mut along, |a, b| d(a).total_cmp(&d(b)));
    let bases: Vec<Point> = std::iter::once(start).chain(along.iter().step_by(4).copied()).collect();
    // Off the edge: rings around the start and the points along, 12 px a ring.
    let rings = (1..=40).flat_map(move |ring| {
        let r = 12.0 * ring as f64;
        bases.clone().into_iter().flat_map(move |base| {
            (0..8).map(move |k| {
                let a = std::f64::consts::FRAC_PI_4 * k as f64;
                Point::new(base.x + r * a.cos(), base.y + r * a.sin())
            })
        })
    });
    std::iter::once(start).chain(along).chain(rings)
}

/// Moves the labels of `edges` until none overlaps a node or another label.
pub(super) fn place_labels(nodes: &[SceneNode], edges: &mut [SceneEdge]) {
    // Labels already free keep their place; the order is the edges' (stable, so a layout is
    // reproducible). The nodes and the labels placed so far are filed in grids: a box is
    // checked against what is near it only.
    let mut obstacles = Grid::default();
    for n in nodes {
        // (A container's head, all a label inside it must avoid, lies within its box.)
        obstacles.insert(n.rect);
    }
    let mut placed = Grid::default();
    let mut pending: Vec<usize> = Vec::new();
    let clear = |r: &Rect, edge: &SceneEdge, placed: &Grid| {
        let g = grow(r, CLEARANCE);
        !obstacles.any_near(&g, |i| overlap(&g, &obstacle(edge, &nodes[i]))) && !placed.any_near(&g, |k| overlap(&g, &placed.rects[k]))
    };
    for (k, e) in edges.iter().enumerate() {
        let Some(r) = e.label_rect() else { continue };
        if clear(&r, e, &placed) {
            placed.insert(r);
        } else {
            pending.push(k);
        }
    }
    for k in pending {
        let e = &edges[k];
        let (w, h) = e.label_size().expect("a pending label has a size");
        let at = |p: Point| Rect::new(p.x - w / 2.0, p.y - h / 2.0, w, h);
        let found = candidates(e).find(|&p| clear(&at(p), e, &placed));
        // Past every ring (a crowd all around): below everything.
        let p = found.unwrap_or_else(|| {
            let bottom = nodes.iter().map(|n| n.rect.bottom()).chain(placed.rects.iter().map(|r| r.bottom())).fold(0.0, f64::max);
            Point::new(e.label_at.x, bottom + h)
        });
        edges[k].label_at = p;
        placed.insert(at(p));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;
    use crate::editor::graph::derive;
    use crate::editor::layout::{Direction, lay};

    /// The placement as it was before the grids: every label checked against every node and
    /// every label placed before it. The grids must give the same places.
    fn every_box(nodes: &[SceneNode], edges: &mut [SceneEdge]) {
        let mut placed: Vec<Rect> = Vec::new();
        let mut pending: Vec<usize> = Vec::new();
        let all: Vec<Vec<Rect>> = edges.iter().map(|e| if e.has_label() { obstacles_for(nodes, e) } else { Vec::new() }).collect();
        let clear = |r: &Rect, obstacles: &[Rect], placed: &[Rect]| {
            let g = grow(r, CLEARANCE);
            !obstacles.iter().any(|o| overlap(&g, o)) && !placed.iter().any(|p| overlap(&g, p))
        };
        for (k, e) in edges.iter().enumerate() {
            let Some(r) = e.label_rect() else { continue };
            if clear(&r, &all[k], &placed) { placed.push(r) } else { pending.push(k) }
        }
        for k in pending {
            let e = &edges[k];
            let (w, h) = e.label_size().unwrap();
            let at = |p: Point| Rect::new(p.x - w / 2.0, p.y - h / 2.0, w, h);
            let p = candidates(e).find(|&p| clear(&at(p), &all[k], &placed)).unwrap_or_else(|| {
                let bottom = nodes.iter().map(|n| n.rect.bottom()).chain(placed.iter().map(|r| r.bottom())).fold(0.0, f64::max);
                Point::new(e.label_at.x, bottom + h)
            });
            edges[k].label_at = p;
            placed.push(at(p));
        }
    }

    /// The layout corpus (production-style machines, nested five deep, crowded with labels) and
    /// a 1,000-state chain with a Choice every nine states, both ways.
    #[test]
    fn the_grids_place_every_label_where_checking_every_box_does() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-corpus");
        let mut texts: Vec<String> = std::fs::read_dir(&dir)
            .expect("the layout corpus")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| std::fs::read_to_string(p).expect("readable"))
            .collect();
        assert!(texts.len() >= 40, "{} corpus files", texts.len());
        texts.sort();
        texts.push(crate::editor::layout::tests::chain(1000));
        let mut moved = 0;
        for text in &texts {
            let graph = derive(Document::new("t", text.as_str()).machine());
            for direction in [Direction::TopDown, Direction::LeftRight] {
                let laid = lay(&graph, 0, direction);
                let (mut fast, mut slow) = (laid.edges.clone(), laid.edges.clone());
                place_labels(&laid.nodes, &mut fast);
                every_box(&laid.nodes, &mut slow);
                let at = |es: &[SceneEdge]| es.iter().map(|e| (e.id.clone(), e.label_at)).collect::<Vec<_>>();
                assert_eq!(at(&fast), at(&slow));
                moved += fast.iter().zip(&laid.edges).filter(|(a, b)| a.label_at != b.label_at).count();
            }
        }
        assert!(moved > 0, "some labels had to move (the comparison saw the search, not only the first places)");
    }
}
