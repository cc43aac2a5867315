//! The canvas's scene, shared: the placement (`editor::placement`: the layout, the manual
//! positions, and the preview of a node being dragged) and one reactive cell per node and per
//! edge. A change notifies the cells of what it moved, not every item of the canvas; the keyed
//! lists follow `items`, which changes only when the items themselves do.

use crate::asl::diag::Diagnostic;
use crate::editor::geometry::{Curve, Point, Rect};
use crate::editor::layout::{Scene, SceneEdge, SceneNode};
use crate::editor::placement::{Moved, Placement};
use crate::editor::scope::enclosing_pointers;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// An edge as drawn: its curves and where its label sits. (The curves, not their SVG path: a
/// big scene draws only some of its edges, and the path is written only for those.)
#[derive(Debug, Clone, PartialEq)]
pub struct EdgePath {
    pub curves: Vec<Curve>,
    pub label_at: Point,
    /// The text of its label's box.
    pub text: Option<String>,
}

impl EdgePath {
    fn of(e: &SceneEdge) -> Self {
        EdgePath { curves: e.curves.clone(), label_at: e.label_at, text: e.label_text() }
    }
    /// The SVG path data (as `SceneEdge::svg`).
    pub fn d(&self) -> String {
        crate::editor::geometry::path_svg(&self.curves)
    }
}

/// A node's cells: where it is, and its problems (errors, warnings), its nested states' included.
#[derive(Clone)]
pub struct NodeCells {
    pub rect: ArcRwSignal<Rect>,
    pub problems: ArcRwSignal<(usize, usize)>,
    /// Its one line about the state (a resource, a wait): what typing inside a state changes.
    pub summary: ArcRwSignal<String>,
}

#[derive(Default)]
struct Cells {
    nodes: Vec<NodeCells>,
    edges: Vec<ArcRwSignal<EdgePath>>,
}

/// Sets `cell` to `value` when it differs (a cell notifies only on a change).
fn put<T: PartialEq + Send + Sync + 'static>(cell: &ArcRwSignal<T>, value: T) {
    if cell.with_untracked(|v| *v != value) {
        cell.set(value);
    }
}

/// See the module's documentation.
#[derive(Clone, Copy)]
pub struct SceneStore {
    placement: StoredValue<Placement>,
    cells: StoredValue<Cells, LocalStorage>,
    /// Bumped when the items change (laid out again, new words).
    items: RwSignal<u64>,
    /// Bumped at every change, moves included.
    version: RwSignal<u64>,
    /// Bumped when where things are drawn changes (laid out again, moved), not when only words
    /// change: what keystrokes inside a state do.
    geometry: RwSignal<u64>,
    /// The node being dragged and its position (as `Change::SetPosition` would set it).
    preview: RwSignal<Option<(String, Point)>>,
}

impl SceneStore {
    /// A store holding `base` (an auto-layout) with `positions` applied.
    pub fn new(base: Scene, positions: &BTreeMap<String, Point>) -> Self {
        let mut placement = Placement::new(base);
        placement.apply(positions, None);
        let store = SceneStore {
            placement: StoredValue::new(placement),
            cells: StoredValue::new_local(Cells::default()),
            items: RwSignal::new(0),
            version: RwSignal::new(0),
            geometry: RwSignal::new(0),
            preview: RwSignal::new(None),
        };
        store.rebuild_cells(None);
        store
    }

    /// Reads the whole scene as drawn (and follows every change of it, moves included).
    pub fn with<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.version.track();
        self.placement.with_value(|p| f(p.scene()))
    }
    pub fn with_untracked<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.placement.with_value(|p| f(p.scene()))
    }
    /// Reads the scene, following changes of its items and of where they are, not of their words
    /// alone (a keystroke in a state's summary or an edge's label of the same size).
    pub fn with_geometry<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.geometry.track();
        self.placement.with_value(|p| f(p.scene()))
    }
    /// Reads the scene, following only changes of its items (not of where they are).
    pub fn with_items<R>(&self, f: impl FnOnce(&Scene) -> R) -> R {
        self.items.track();
        self.placement.with_value(|p| f(p.scene()))
    }

    /// The node `id` as it is now, and its cells.
    pub fn node(&self, id: &str) -> Option<(SceneNode, NodeCells)> {
        let i = self.placement.with_value(|p| p.node_index(id))?;
        let node = self.placement.with_value(|p| p.scene().nodes[i].clone());
        let cells = self.cells.with_value(|c| c.nodes.get(i).cloned())?;
        Some((node, cells))
    }
    /// The edge `id` as it is now, and its cell.
    pub fn edge(&self, id: &str) -> Option<(SceneEdge, ArcRwSignal<EdgePath>)> {
        let k = self.placement.with_value(|p| p.edge_index(id))?;
        let edge = self.placement.with_value(|p| p.scene().edges[k].clone());
        let cell = self.cells.with_value(|c| c.edges.get(k).cloned())?;
        Some((edge, cell))
    }

    /// Shows the node `id` at `at` (relative to its container, as positions are) until
    /// [`Self::end_preview`]; the document is not changed.
    pub fn preview(&self, id: &str, at: Point) {
        self.preview.set(Some((id.to_string(), at)));
    }
    pub fn end_preview(&self) {
        if self.preview.with_untracked(Option::is_some) {
            self.preview.set(None);
        }
    }
    /// The preview, tracked (for the effect that applies it).
    pub(super) fn preview_tracked(&self) -> Option<(String, Point)> {
        self.preview.get()
    }

    /// A new layout: everything is placed again, and each cell whose item is still there is kept.
    pub(super) fn relaid(&self, base: Scene, positions: &BTreeMap<String, Point>, preview: Option<(&str, Point)>) {
        let mut placement = Placement::new(base);
        placement.apply(positions, preview);
        let old = self.placement.try_update_value(|p| std::mem::replace(p, placement));
        self.rebuild_cells(old.as_ref());
        self.items.update(|n| *n += 1);
        self.geometry.update(|n| *n += 1);
        self.version.update(|n| *n += 1);
    }

    /// The same layout with other words (`layout::reword_in`): only the cells of the nodes and
    /// edges whose words changed are set, and no item is drawn anew; then `positions` as
    /// [`Self::replace`] applies them. Anything else is laid out again ([`Self::relaid`]).
    pub(super) fn reworded(&self, base: &Scene, positions: &BTreeMap<String, Point>, preview: Option<(&str, Point)>) {
        let Some(changed) = self.placement.try_update_value(|p| p.reword(base)).flatten() else {
            return self.relaid(base.clone(), positions, preview);
        };
        if !changed.is_empty() {
            self.placement.with_value(|p| {
                let scene = p.scene();
                self.cells.with_value(|c| {
                    for &i in &changed.nodes {
                        put(&c.nodes[i].summary, scene.nodes[i].summary.clone());
                    }
                    for &k in &changed.edges {
                        put(&c.edges[k], EdgePath::of(&scene.edges[k]));
                    }
                });
            });
            self.version.update(|n| *n += 1);
        }
        self.replace(positions, preview);
    }

    /// The same layout with other positions: only the cells of what moved are set.
    pub(super) fn replace(&self, positions: &BTreeMap<String, Point>, preview: Option<(&str, Point)>) {
        let moved: Moved = self.placement.try_update_value(|p| p.apply(positions, preview)).unwrap_or_default();
        if moved.is_empty() {
            return;
        }
        self.placement.with_value(|p| {
            let scene = p.scene();
            self.cells.with_value(|c| {
                for &i in &moved.nodes {
                    put(&c.nodes[i].rect, scene.nodes[i].rect);
                }
                for &k in &moved.edges {
                    put(&c.edges[k], EdgePath::of(&scene.edges[k]));
                }
            });
        });
        self.geometry.update(|n| *n += 1);
        self.version.update(|n| *n += 1);
    }

    /// Counts each node's problems (its nested states' included) and sets the cells that change.
    pub(super) fn set_problems(&self, diagnostics: &[Diagnostic]) {
        let counts = self.placement.with_value(|p| {
            let mut counts = vec![(0usize, 0usize); p.scene().nodes.len()];
            for d in diagnostics {
                // The node of each pointer the diagnostic lies within.
                for within in enclosing_pointers(&d.pointer) {
                    if let Some(i) = p.node_index(within) {
                        if d.is_error() { counts[i].0 += 1 } else { counts[i].1 += 1 }
                    }
                }
            }
            counts
        });
        self.cells.with_value(|c| {
            for (cell, n) in c.nodes.iter().zip(counts) {
                put(&cell.problems, n);
            }
        });
    }

    /// The cells of the current placement, taken over from `old` by id where it had them.
    fn rebuild_cells(&self, old: Option<&Placement>) {
        let previous = self.cells.try_update_value(std::mem::take).unwrap_or_default();
        let cells = self.placement.with_value(|p| {
            let scene = p.scene();
            let reuse = |id: &str| old.and_then(|o| o.node_index(id));
            let nodes = scene
                .nodes
                .iter()
                .map(|n| match reuse(&n.id).and_then(|i| previous.nodes.get(i)) {
                    Some(c) => {
                        put(&c.rect, n.rect);
                        put(&c.summary, n.summary.clone());
                        c.clone()
                    }
                    None => NodeCells { rect: ArcRwSignal::new(n.rect), problems: ArcRwSignal::new((0, 0)), summary: ArcRwSignal::new(n.summary.clone()) },
                })
                .collect();
            let edges = scene
                .edges
                .iter()
                .map(|e| match old.and_then(|o| o.edge_index(&e.id).map(|k| (&o.scene().edges[k], previous.edges.get(k)))) {
                    Some((was, Some(c))) => {
                        // (Comparing the curves is cheaper than writing the path.)
                        if was.curves != e.curves || was.label_at != e.label_at || was.label != e.label || was.reference != e.reference {
                            put(c, EdgePath::of(e));
                        }
                        c.clone()
                    }
                    _ => ArcRwSignal::new(EdgePath::of(e)),
                })
                .collect();
            Cells { nodes, edges }
        });
        self.cells.set_value(cells);
    }
}
