//! Pointer gestures on the canvas as data, after xyflow's framework-free `system` package: a
//! press starts a [`Gesture`], each pointer move gives the gesture's next state and a
//! [`Preview`] (a viewport, a node where it would land, the edge a drop would insert on), and the
//! release gives an [`Outcome`] (a [`Change`] to perform, a selection, or nothing). Thresholds,
//! hit tests, drop targets (an edge, a container's branch, free canvas) and where a palette item
//! lands without a drop point all live here; `ui/canvas.rs` only turns DOM events into
//! [`Pointer`]s and applies what comes back.

use super::change::{Change, EditError};
use super::document::Document;
use super::edit::{self, EdgeTarget, Handle};
use super::geometry::{Point, Rect, Viewport};
use super::graph::EdgeField;
use super::layout::Scene;
use super::palette::{PaletteItem, item};
use super::scope::{Scope, StateRef, machine_at};
use crate::sim::run::{RunModel, StateStatus};

/// How far (canvas pixels, each axis) a pressed node travels before it is a move, not a click.
pub const MOVE_THRESHOLD: f64 = 3.0;
/// How far (screen pixels, |dx| + |dy|) a palette item travels before it is a drag, not a click.
pub const PALETTE_THRESHOLD: f64 = 4.0;
/// How near (screen pixels) an edge must be to take a drop, at any zoom.
pub const EDGE_TOLERANCE: f64 = 14.0;
/// How far (screen pixels, each axis) a selection box must grow before it selects.
pub const BAND_THRESHOLD: f64 = 4.0;
/// How far (screen pixels, each axis) a press on the background may travel and still be a click
/// (which selects or clears), not a pan (which keeps the selection).
pub const CLICK_THRESHOLD: f64 = 4.0;

/// A gesture in progress on the canvas (or from the palette onto it).
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    /// Panning: where the pointer (screen) and the viewport were when it started, and what the
    /// press selects if it turns out a click (released within [`CLICK_THRESHOLD`] of `from`).
    Pan { from: Point, viewport: Viewport, click: Click },
    /// Moving the node `id` from `origin` (its position as `Change::SetPosition` sets it: a
    /// nested state's is relative to its container); `from` is the press on the screen.
    Move { id: String, from: Point, origin: Point, moved: bool },
    /// Dragging a connection from a node's handle; `start` and `to` are in canvas space.
    Connect { from: StateRef, catch: bool, start: Point, to: Point },
    /// Dragging a palette item; `from` and `at` are on the screen (client coordinates).
    Palette { label: &'static str, from: Point, at: Point, moved: bool },
    /// A selection box (Shift+drag on the background) from `from` to `to`, in canvas space.
    Select { from: Point, to: Point },
}

/// What a press on the background does to the selection if it ends where it began (a click):
/// decided at the press, done at the release, so that a pan started anywhere, a state's box in an
/// overview included, keeps the selection as it was.
#[derive(Debug, Clone, PartialEq)]
pub enum Click {
    /// Nothing: a Shift+press on the empty canvas outside it, or a pan that moved.
    Nothing,
    /// Clears the selection (a click on the empty canvas).
    Clear,
    /// Selects this state alone (a click on its box in an overview).
    Select(StateRef),
    /// Adds it to the selection or takes it out (a Shift+click on its box).
    Toggle(StateRef),
}

/// Where the pointer is: on the screen, and in canvas space when it is over the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pointer {
    pub screen: Point,
    pub canvas: Option<Point>,
}

/// What a pointer move asks the view to show (besides the gesture itself).
#[derive(Debug, Clone, PartialEq)]
pub enum Preview {
    Nothing,
    /// The view moved (a pan).
    Viewport(Viewport),
    /// The node `id` would be at `at` if dropped now.
    Node { id: String, at: Point },
    /// The edge (by id) a palette drop would insert on, if any.
    DropEdge(Option<String>),
}

/// What a gesture ends in.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Nothing,
    /// A change to perform as one undo step, labelled for the history, and the state to select
    /// after it.
    Edit { change: Result<Change, EditError>, label: String, select: Option<StateRef> },
    /// These states (all of one machine) become the selection.
    Select(Vec<StateRef>),
    /// This state is added to the selection, or taken out of it (Shift+click).
    Toggle(StateRef),
}

/// Where a palette item dropped at a canvas point goes.
#[derive(Debug, Clone, PartialEq)]
pub enum DropTarget {
    /// Onto an edge: inserted into the flow there.
    Edge(EdgeTarget),
    /// Free in the machine at this scope (a container's branch nearest the point, or the top
    /// level), where the layout puts it.
    Into(Scope),
    /// Onto empty canvas: free at the top level, its top-left corner at the point.
    Free(Point),
}

/// The press of a node's body: a move from where the node is. A nested node's origin is
/// relative to its container's corner (as its manual position is stored).
pub fn press_node(scene: &Scene, id: &str, screen: Point) -> Option<Gesture> {
    let node = scene.node(id)?;
    let state = node.state.as_ref()?;
    let origin = match state.scope.split_last() {
        None => Point::new(node.rect.x, node.rect.y),
        Some((last, inner)) => {
            let container = StateRef { scope: inner.to_vec(), name: last.state.clone() };
            let c = scene.nodes.iter().find(|n| n.container && n.state.as_ref() == Some(&container))?;
            Point::new(node.rect.x - c.rect.x, node.rect.y - c.rect.y)
        }
    };
    Some(Gesture::Move { id: id.to_string(), from: screen, origin, moved: false })
}

/// The press of a node's handle: a connection from its bottom (Next) or its side (Catch).
pub fn press_handle(scene: &Scene, id: &str, catch: bool) -> Option<Gesture> {
    let node = scene.node(id)?;
    let r = node.rect;
    let start = if catch { Point::new(r.right(), r.y + 20.0) } else { Point::new(r.center().x, r.bottom()) };
    Some(Gesture::Connect { from: node.state.clone()?, catch, start, to: start })
}

/// The press of the background: a pan, or with Shift a selection box. `on` is the state whose
/// box is under the pointer where the canvas draws no element per state (an overview,
/// `drawn::hit_on_screen`): a click on it selects it (Shift: toggles it), a drag from it pans.
/// Without one, a click clears the selection. Either happens at the release, not the press.
pub fn press_background(viewport: Viewport, p: Pointer, shift: bool, on: Option<StateRef>) -> Gesture {
    let click = match (on, shift, p.canvas) {
        (None, true, Some(at)) => return Gesture::Select { from: at, to: at },
        (Some(state), true, _) => Click::Toggle(state),
        (Some(state), false, _) => Click::Select(state),
        (None, true, None) => Click::Nothing,
        (None, false, _) => Click::Clear,
    };
    Gesture::Pan { from: p.screen, viewport, click }
}

/// Whether a press at `from` released (or now) at `to` has moved past a click.
fn moved_past_click(from: Point, to: Point) -> bool {
    (to.x - from.x).abs() > CLICK_THRESHOLD || (to.y - from.y).abs() > CLICK_THRESHOLD
}

/// The press of a palette item.
pub fn press_palette(label: &'static str, screen: Point) -> Gesture {
    Gesture::Palette { label, from: screen, at: screen, moved: false }
}

impl Gesture {
    /// The gesture after the pointer moved to `p`, and what to show meanwhile.
    pub fn pointer_move(&self, p: Pointer, viewport: &Viewport, scene: &Scene) -> (Gesture, Preview) {
        match self {
            Gesture::Pan { from, viewport: v, click } => {
                // Once it has moved, it is a pan to its end, even if it comes back.
                let click = if moved_past_click(*from, p.screen) { Click::Nothing } else { click.clone() };
                (Gesture::Pan { from: *from, viewport: *v, click }, Preview::Viewport(v.pan(p.screen.x - from.x, p.screen.y - from.y)))
            }
            Gesture::Move { id, from, origin, moved } => {
                let (dx, dy) = ((p.screen.x - from.x) / viewport.zoom, (p.screen.y - from.y) / viewport.zoom);
                if !moved && dx.abs() < MOVE_THRESHOLD && dy.abs() < MOVE_THRESHOLD {
                    return (self.clone(), Preview::Nothing);
                }
                let at = Point::new((origin.x + dx).round(), (origin.y + dy).round());
                let next = Gesture::Move { id: id.clone(), from: *from, origin: *origin, moved: true };
                (next, Preview::Node { id: id.clone(), at })
            }
            Gesture::Connect { from, catch, start, to } => {
                let to = p.canvas.unwrap_or(*to);
                (Gesture::Connect { from: from.clone(), catch: *catch, start: *start, to }, Preview::Nothing)
            }
            Gesture::Palette { label, from, moved, .. } => {
                let moved = palette_moved(*moved, *from, p.screen);
                let edge = p.canvas.filter(|_| moved).and_then(|c| scene.edge_at(c, EDGE_TOLERANCE / viewport.zoom)).map(|e| e.id.clone());
                (Gesture::Palette { label, from: *from, at: p.screen, moved }, Preview::DropEdge(edge))
            }
            Gesture::Select { from, to } => (Gesture::Select { from: *from, to: p.canvas.unwrap_or(*to) }, Preview::Nothing),
        }
    }

    /// What releasing the pointer at `p` does. `selected` is the primary selected state (a
    /// palette click lands after it).
    pub fn release(&self, p: Pointer, viewport: &Viewport, scene: &Scene, doc: &Document, selected: Option<&StateRef>) -> Outcome {
        match self {
            Gesture::Pan { from, click, .. } => match click {
                _ if moved_past_click(*from, p.screen) => Outcome::Nothing,
                Click::Nothing => Outcome::Nothing,
                Click::Clear => Outcome::Select(Vec::new()),
                Click::Select(state) => Outcome::Select(vec![state.clone()]),
                Click::Toggle(state) => Outcome::Toggle(state.clone()),
            },
            Gesture::Move { moved: false, .. } => Outcome::Nothing,
            Gesture::Move { id, moved: true, .. } => match self.pointer_move(p, viewport, scene).1 {
                Preview::Node { at, .. } => Outcome::Edit { change: Ok(Change::SetPosition { id: id.clone(), at: Some(at) }), label: "Move state".into(), select: None },
                _ => Outcome::Nothing,
            },
            Gesture::Connect { from, catch, .. } => {
                let Some(to) = p.canvas.and_then(|c| connect_target(scene, from, c)) else { return Outcome::Nothing };
                if *catch && to == *from {
                    return Outcome::Nothing;
                }
                let handle = if *catch { Handle::Catch } else { Handle::Next };
                Outcome::Edit { change: edit::connect(doc, from, &to.name, handle), label: "Connect".into(), select: None }
            }
            Gesture::Palette { label, from, moved, .. } => {
                let Some(item) = item(label) else { return Outcome::Nothing };
                if !palette_moved(*moved, *from, p.screen) {
                    return drop_default(doc, &item, selected);
                }
                match p.canvas {
                    Some(c) => drop_at(doc, &item, &drop_target(scene, c, viewport.zoom)),
                    None => Outcome::Nothing,
                }
            }
            Gesture::Select { from, to } => {
                let band = band(*from, p.canvas.unwrap_or(*to));
                if band.w * viewport.zoom < BAND_THRESHOLD && band.h * viewport.zoom < BAND_THRESHOLD {
                    return Outcome::Select(Vec::new());
                }
                Outcome::Select(in_band(scene, band))
            }
        }
    }

    /// The selection box, while one is drawn.
    pub fn band(&self) -> Option<Rect> {
        match self {
            Gesture::Select { from, to } => Some(band(*from, *to)),
            _ => None,
        }
    }
}

/// Whether a palette item pressed at `from` is being dragged once the pointer is at `at`.
fn palette_moved(moved: bool, from: Point, at: Point) -> bool {
    moved || (at.x - from.x).abs() + (at.y - from.y).abs() > PALETTE_THRESHOLD
}

/// The rectangle spanned by two corners.
fn band(a: Point, b: Point) -> Rect {
    Rect::new(a.x.min(b.x), a.y.min(b.y), (a.x - b.x).abs(), (a.y - b.y).abs())
}

/// The states whose nodes lie wholly inside `band`, of the one machine that has the most of
/// them (a selection is of one machine: Delete and Copy act on siblings), the outermost first
/// on a tie.
pub fn in_band(scene: &Scene, band: Rect) -> Vec<StateRef> {
    let inside = |r: &Rect| r.x >= band.x && r.y >= band.y && r.right() <= band.right() && r.bottom() <= band.bottom();
    let hits: Vec<&StateRef> = scene.nodes.iter().filter(|n| inside(&n.rect)).filter_map(|n| n.state.as_ref()).collect();
    let mut best: Option<(&Scope, usize)> = None;
    for r in &hits {
        let n = hits.iter().filter(|h| h.scope == r.scope).count();
        if best.is_none_or(|(s, m)| n > m || (n == m && r.scope.len() < s.len())) {
            best = Some((&r.scope, n));
        }
    }
    let Some((scope, _)) = best else { return Vec::new() };
    hits.iter().filter(|h| &h.scope == scope).map(|h| (*h).clone()).collect()
}

/// The state a connection from `from` released at `p` goes to: the innermost node there of the
/// same machine.
pub fn connect_target(scene: &Scene, from: &StateRef, p: Point) -> Option<StateRef> {
    scene.nodes.iter().filter(|n| n.rect.contains(p) && n.scope == from.scope).filter_map(|n| n.state.clone()).next_back()
}

/// Where a palette item dropped at the canvas point `p` goes, at zoom `zoom`: an edge near it,
/// else the container under it (its branch nearest the point), else free canvas with the
/// item's node centred on the point.
pub fn drop_target(scene: &Scene, p: Point, zoom: f64) -> DropTarget {
    if let Some(edge) = scene.edge_at(p, EDGE_TOLERANCE / zoom) {
        return DropTarget::Edge(EdgeTarget { scope: edge.scope.clone(), source: edge.source.clone(), field: edge.field.clone() });
    }
    if let Some(c) = scene.container_at(p) {
        let prefix = format!("{}/", c.id);
        let branch = scene
            .nodes
            .iter()
            .filter(|n| n.depth == c.depth + 1 && n.id.starts_with(&prefix))
            .min_by(|a, b| (a.rect.center().x - p.x).abs().total_cmp(&(b.rect.center().x - p.x).abs()))
            .map(|n| n.scope.clone());
        if let Some(scope) = branch {
            return DropTarget::Into(scope);
        }
    }
    let (w, h) = (super::layout::NODE_W, super::layout::NODE_H);
    DropTarget::Free(Point::new((p.x - w / 2.0).round(), (p.y - h / 2.0).round()))
}

/// The change of dropping `item` on `target`, selecting the item's entry state after it.
pub fn drop_at(doc: &Document, item: &PaletteItem, target: &DropTarget) -> Outcome {
    let (entry, _) = edit::instantiate(item, doc.machine());
    let (change, scope) = match target {
        DropTarget::Edge(edge) => (edit::insert_on_edge(doc, edge, item), edge.scope.clone()),
        DropTarget::Into(scope) => (edit::add_free(doc, scope, item, None), scope.clone()),
        DropTarget::Free(at) => (edit::add_free(doc, &Vec::new(), item, Some(*at)), Vec::new()),
    };
    Outcome::Edit { change, label: format!("Add {}", item.label), select: Some(StateRef { scope, name: entry }) }
}

/// Where an item goes without a drop point (a click, the keyboard): connected after the
/// selected state, on its Next edge or its End; else, when the machine has a last state that
/// ends the flow, after it; else free at the top level.
pub fn default_target(doc: &Document, selected: Option<&StateRef>) -> DropTarget {
    let after = |r: &StateRef| {
        let st = machine_at(doc.machine(), &r.scope)?.state(&r.name)?;
        let field = if st.next.is_some() {
            EdgeField::Next
        } else if st.end == Some(true) {
            EdgeField::End
        } else {
            return None;
        };
        Some(DropTarget::Edge(EdgeTarget { scope: r.scope.clone(), source: Some(r.clone()), field }))
    };
    if let Some(t) = selected.and_then(after) {
        return t;
    }
    // Nothing (usable) selected: continue the flow at its (last) ending state, so a clicked item
    // is connected rather than left beside the flow.
    let root = doc.machine();
    let last_end = root.states.iter().rev().find(|s| s.state.end == Some(true)).map(|s| StateRef::top(s.name.clone()));
    match last_end.and_then(|r| after(&r)) {
        Some(t) => t,
        None => DropTarget::Into(Vec::new()),
    }
}

/// The outcome of a palette item clicked (or activated from the keyboard).
pub fn drop_default(doc: &Document, item: &PaletteItem, selected: Option<&StateRef>) -> Outcome {
    drop_at(doc, item, &default_target(doc, selected))
}

/// The viewport that brings `rect` (canvas space) into a `width` × `height` view when it is not
/// wholly in it already: centred on it, at the same zoom.
pub fn reveal(viewport: &Viewport, width: f64, height: f64, rect: Rect) -> Option<Viewport> {
    let a = viewport.to_screen(Point::new(rect.x, rect.y));
    let b = viewport.to_screen(Point::new(rect.right(), rect.bottom()));
    let visible = a.x >= 0.0 && a.y >= 0.0 && b.x <= width && b.y <= height;
    if visible || width <= 0.0 || height <= 0.0 {
        return None;
    }
    let c = rect.center();
    Some(Viewport { x: width / 2.0 - c.x * viewport.zoom, y: height / 2.0 - c.y * viewport.zoom, zoom: viewport.zoom })
}

/// The state of a run the canvas should keep in view: the latest visit that failed or is still
/// in progress (running, or waiting for a callback); else, for a failed run, where it ended.
pub fn run_focus(run: &RunModel) -> Option<&str> {
    let live = run.visits.iter().rev().find(|v| matches!(v.status, StateStatus::Failed | StateStatus::InProgress));
    live.map(|v| &*v.state).or(if run.status == "FAILED" { run.end_state.as_deref() } else { None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::graph::derive;
    use crate::editor::layout::layout;

    fn seed() -> (Document, Scene) {
        let doc = Document::seed();
        let scene = layout(&derive(doc.machine()));
        (doc, scene)
    }

    /// A machine with a Parallel of two branches.
    fn fan() -> (Document, Scene) {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Fan"},
          "Fan": {"Type": "Parallel", "Next": "Done", "Branches": [
            {"StartAt": "L", "States": {"L": {"Type": "Pass", "End": true}}},
            {"StartAt": "R", "States": {"R": {"Type": "Pass", "End": true}}}]},
          "Done": {"Type": "Succeed"}}}"#;
        let doc = Document::new("fan", text);
        let scene = layout(&derive(doc.machine()));
        (doc, scene)
    }

    fn at(scene: &Scene, viewport: Viewport, p: Point) -> Pointer {
        let _ = scene;
        Pointer { screen: viewport.to_screen(p), canvas: Some(p) }
    }

    fn node<'s>(scene: &'s Scene, name: &str) -> &'s crate::editor::layout::SceneNode {
        scene.nodes.iter().find(|n| n.state.as_ref().is_some_and(|s| s.name == name)).unwrap_or_else(|| panic!("{name}"))
    }

    /// Applies an outcome's change to a copy of `doc`, returning the copy.
    fn applied(doc: &Document, outcome: Outcome) -> Document {
        let Outcome::Edit { change, .. } = outcome else { panic!("not an edit: {outcome:?}") };
        let mut doc = doc.clone();
        doc.apply(change.expect("a change")).expect("applies");
        doc
    }

    fn errors(doc: &Document) -> Vec<String> {
        doc.diagnostics().iter().filter(|d| d.severity == crate::asl::diag::Severity::Error).map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_node_moves_only_past_the_threshold_and_lands_where_the_pointer_took_it() {
        let (doc, scene) = seed();
        let v = Viewport { x: 10.0, y: 20.0, zoom: 2.0 };
        let id = node(&scene, "ValidateInput").id.clone();
        let press = Point::new(100.0, 100.0);
        let g = press_node(&scene, &id, press).unwrap();
        // 4 screen px at zoom 2 is 2 canvas px: still a click.
        let p = Pointer { screen: Point::new(104.0, 100.0), canvas: None };
        let (g2, preview) = g.pointer_move(p, &v, &scene);
        assert_eq!(preview, Preview::Nothing);
        assert_eq!(g2.release(p, &v, &scene, &doc, None), Outcome::Nothing);
        // 40 px right, 20 px down at zoom 2: 20 and 10 canvas px.
        let p = Pointer { screen: Point::new(140.0, 120.0), canvas: None };
        let (g3, preview) = g.pointer_move(p, &v, &scene);
        let rect = node(&scene, "ValidateInput").rect;
        let to = Point::new((rect.x + 20.0).round(), (rect.y + 10.0).round());
        assert_eq!(preview, Preview::Node { id: id.clone(), at: to });
        let out = g3.release(p, &v, &scene, &doc, None);
        assert_eq!(out, Outcome::Edit { change: Ok(Change::SetPosition { id, at: Some(to) }), label: "Move state".into(), select: None });
    }

    #[test]
    fn a_nested_node_moves_relative_to_its_container() {
        let (_, scene) = fan();
        let nested = scene.nodes.iter().find(|n| n.depth == 1 && n.state.is_some()).expect("a nested state");
        let container = scene.nodes.iter().filter(|n| n.container && n.rect.contains(nested.rect.center())).max_by_key(|n| n.depth).unwrap();
        let Some(Gesture::Move { origin, .. }) = press_node(&scene, &nested.id, Point::default()) else { panic!() };
        assert_eq!(origin, Point::new(nested.rect.x - container.rect.x, nested.rect.y - container.rect.y));
    }

    #[test]
    fn a_pan_follows_the_pointer_and_ends_in_nothing() {
        let (doc, scene) = seed();
        let v = Viewport { x: 5.0, y: 5.0, zoom: 0.5 };
        let g = press_background(v, Pointer { screen: Point::new(10.0, 10.0), canvas: Some(Point::default()) }, false, None);
        let p = Pointer { screen: Point::new(40.0, -10.0), canvas: None };
        assert_eq!(g.pointer_move(p, &v, &scene).1, Preview::Viewport(Viewport { x: 35.0, y: -15.0, zoom: 0.5 }));
        assert_eq!(g.release(p, &v, &scene, &doc, None), Outcome::Nothing);
    }

    #[test]
    fn a_press_selects_at_its_release_when_it_did_not_move_and_a_pan_keeps_the_selection() {
        // A big scene zoomed out to an overview: the press finds the state under the pointer
        // (no element per state), as the canvas does.
        let states: Vec<String> = (0..450).map(|i| if i == 449 { format!("\"S{i}\": {{\"Type\": \"Succeed\"}}") } else { format!("\"S{i}\": {{\"Type\": \"Pass\", \"Next\": \"S{}\"}}", i + 1) }).collect();
        let doc = Document::new("big", &format!("{{\"StartAt\": \"S0\", \"States\": {{{}}}}}", states.join(",")));
        let scene = layout(&derive(doc.machine()));
        let v = Viewport { x: 10.0, y: 10.0, zoom: 0.05 };
        assert!(crate::editor::drawn::overview(scene.nodes.len(), v.zoom));
        let s7 = node(&scene, "S7");
        let on_box = v.to_screen(s7.rect.center());
        let hit = crate::editor::drawn::hit_on_screen(&scene, &v, on_box).and_then(|n| n.state.clone());
        assert_eq!(hit.as_ref().map(|s| s.name.as_str()), Some("S7"));
        let press = |shift| press_background(v, Pointer { screen: on_box, canvas: Some(s7.rect.center()) }, shift, hit.clone());
        let to = |dx: f64, dy: f64| Pointer { screen: Point::new(on_box.x + dx, on_box.y + dy), canvas: None };
        // A click (a hand's jitter of a few pixels included) selects it; Shift toggles it.
        assert_eq!(press(false).release(to(2.0, -3.0), &v, &scene, &doc, None), Outcome::Select(vec![s7.state.clone().unwrap()]));
        assert_eq!(press(true).release(to(0.0, 0.0), &v, &scene, &doc, None), Outcome::Toggle(s7.state.clone().unwrap()));
        // A pan started on it pans and selects nothing, even one that comes back to where it began.
        let g = press(false);
        let (g, preview) = g.pointer_move(to(60.0, 0.0), &v, &scene);
        assert_eq!(preview, Preview::Viewport(v.pan(60.0, 0.0)));
        assert_eq!(g.release(to(60.0, 0.0), &v, &scene, &doc, None), Outcome::Nothing);
        let (back, _) = g.pointer_move(to(1.0, 0.0), &v, &scene);
        assert_eq!(back.release(to(1.0, 0.0), &v, &scene, &doc, None), Outcome::Nothing);
        // On the empty canvas: a click clears the selection, a pan keeps it.
        let empty = Pointer { screen: Point::new(1.0, 1.0), canvas: Some(v.to_canvas(Point::new(1.0, 1.0))) };
        assert_eq!(crate::editor::drawn::hit_on_screen(&scene, &v, empty.screen), None);
        let g = press_background(v, empty, false, None);
        assert_eq!(g.release(empty, &v, &scene, &doc, None), Outcome::Select(Vec::new()));
        let far = Pointer { screen: Point::new(200.0, 90.0), canvas: None };
        assert_eq!(g.pointer_move(far, &v, &scene).0.release(far, &v, &scene, &doc, None), Outcome::Nothing);
    }

    #[test]
    fn a_palette_item_dropped_on_an_edge_is_inserted_into_the_flow() {
        let (doc, scene) = seed();
        let v = Viewport::default();
        let edge = scene.edges.iter().find(|e| e.source.as_ref().is_some_and(|s| s.name == "ValidateInput")).unwrap();
        let on = edge.curves[0].at(0.5);
        let g = press_palette("Email + SMS", Point::new(-200.0, 0.0));
        let (g, preview) = g.pointer_move(at(&scene, v, on), &v, &scene);
        assert_eq!(preview, Preview::DropEdge(Some(edge.id.clone())));
        let out = g.release(at(&scene, v, on), &v, &scene, &doc, None);
        let Outcome::Edit { select: Some(entry), .. } = &out else { panic!("{out:?}") };
        assert_eq!(entry.name, "NotifySettings");
        let after = applied(&doc, out);
        let validate = after.machine().state("ValidateInput").unwrap();
        assert_eq!(validate.next.as_deref(), Some("NotifySettings"));
        assert_eq!(after.machine().state("Notify").unwrap().next, doc.machine().state("ValidateInput").unwrap().next);
        assert_eq!(errors(&after), Vec::<String>::new());
    }

    #[test]
    fn the_edge_tolerance_is_in_screen_pixels() {
        let (_, scene) = seed();
        let edge = scene.edges.iter().find(|e| e.source.as_ref().is_some_and(|s| s.name == "ValidateInput")).unwrap();
        let on = edge.curves[0].at(0.5);
        // A point about 10 canvas px from the edge (sideways until it is).
        let near = (1..60).map(|dx| Point::new(on.x + dx as f64, on.y)).find(|p| edge.distance(*p) >= 10.0).unwrap();
        assert!(scene.edges.iter().all(|e| e.distance(near) > 7.0));
        // 10 canvas px is 10 screen px at zoom 1 (a hit) and 20 at zoom 2 (a miss).
        assert!(matches!(drop_target(&scene, near, 1.0), DropTarget::Edge(_)));
        assert!(!matches!(drop_target(&scene, near, 2.0), DropTarget::Edge(_)));
    }

    #[test]
    fn a_drop_on_empty_canvas_is_free_and_centred_on_the_pointer() {
        let (doc, scene) = seed();
        let far = Point::new(scene.bounds.right() + 500.0, scene.bounds.y);
        let target = drop_target(&scene, far, 1.0);
        let (w, h) = (crate::editor::layout::NODE_W, crate::editor::layout::NODE_H);
        assert_eq!(target, DropTarget::Free(Point::new((far.x - w / 2.0).round(), (far.y - h / 2.0).round())));
        let after = applied(&doc, drop_at(&doc, &item("Pass").unwrap(), &target));
        assert!(after.machine().state("Pass").unwrap().end == Some(true));
    }

    #[test]
    fn a_drop_in_a_container_lands_in_the_nearest_branch() {
        let (doc, scene) = fan();
        let c = scene.nodes.iter().find(|n| n.container).expect("a container");
        let inner: Vec<_> = scene.nodes.iter().filter(|n| n.depth == c.depth + 1 && n.id.starts_with(&format!("{}/", c.id)) && n.state.is_some()).collect();
        let near = inner[0];
        // A point in the container's body beside the first branch's node, off every edge.
        let p = Point::new(near.rect.x + 2.0, near.rect.bottom() + 2.0);
        let target = drop_target(&scene, p, 4.0);
        let DropTarget::Into(scope) = &target else { panic!("{target:?}") };
        assert_eq!(scope, &near.scope);
        let after = applied(&doc, drop_at(&doc, &item("Pass").unwrap(), &target));
        assert!(machine_at(after.machine(), scope).unwrap().state("Pass").is_some());
    }

    #[test]
    fn a_clicked_item_lands_connected_after_the_selection_or_at_the_end_of_the_flow() {
        let (doc, scene) = seed();
        let v = Viewport::default();
        let press = Point::new(3.0, 3.0);
        let click = Pointer { screen: press, canvas: None };
        let g = press_palette("Wait", press);
        // After the selected state.
        let sel = StateRef::top("ValidateInput");
        let after = applied(&doc, g.release(click, &v, &scene, &doc, Some(&sel)));
        assert_eq!(after.machine().state("ValidateInput").unwrap().next.as_deref(), Some("Wait"));
        assert_eq!(errors(&after), Vec::<String>::new());
        // Nothing selected: after the flow's last ending state, not beside the flow.
        let after = applied(&doc, g.release(click, &v, &scene, &doc, None));
        let wait = after.machine().state("Wait").unwrap();
        assert_eq!(wait.end, Some(true));
        let into: Vec<_> = after.machine().states.iter().filter(|s| s.state.next.as_deref() == Some("Wait")).collect();
        assert_eq!(into.len(), 1, "the Wait is connected");
        assert_eq!(errors(&after), Vec::<String>::new());
    }

    #[test]
    fn a_connection_goes_to_the_node_under_the_pointer_of_the_same_machine() {
        let (doc, scene) = seed();
        let v = Viewport::default();
        let from = node(&scene, "ValidateInput");
        let g = press_handle(&scene, &from.id, false).unwrap();
        let target = scene.nodes.iter().filter(|n| n.depth == 0 && n.state.as_ref().is_some_and(|s| s.name != "ValidateInput") && !n.container).last().unwrap();
        let p = at(&scene, v, target.rect.center());
        let (g, _) = g.pointer_move(p, &v, &scene);
        let Gesture::Connect { to, .. } = &g else { panic!() };
        assert_eq!(*to, target.rect.center());
        let after = applied(&doc, g.release(p, &v, &scene, &doc, None));
        assert_eq!(after.machine().state("ValidateInput").unwrap().next.as_deref(), Some(target.state.as_ref().unwrap().name.as_str()));
        // Released on nothing: nothing.
        let off = at(&scene, v, Point::new(scene.bounds.right() + 100.0, 0.0));
        assert_eq!(g.release(off, &v, &scene, &doc, None), Outcome::Nothing);
        // A catch handle released on its own node: nothing (a catcher to itself).
        let g = press_handle(&scene, &from.id, true).unwrap();
        assert_eq!(g.release(at(&scene, v, from.rect.center()), &v, &scene, &doc, None), Outcome::Nothing);
    }

    #[test]
    fn a_selection_box_selects_the_states_wholly_inside_it_of_one_machine() {
        let (doc, scene) = seed();
        let v = Viewport::default();
        let top: Vec<_> = scene.nodes.iter().filter(|n| n.depth == 0 && n.state.is_some()).take(2).collect();
        let bounds = top[0].rect.union(&top[1].rect);
        let g = press_background(v, at(&scene, v, Point::new(bounds.x - 1.0, bounds.y - 1.0)), true, None);
        let end = at(&scene, v, Point::new(bounds.right() + 1.0, bounds.bottom() + 1.0));
        let (g, _) = g.pointer_move(end, &v, &scene);
        assert!(g.band().is_some());
        let Outcome::Select(refs) = g.release(end, &v, &scene, &doc, None) else { panic!() };
        let mut want: Vec<_> = scene.nodes.iter().filter(|n| n.state.as_ref().is_some_and(|s| s.scope.is_empty()) && {
            let r = n.rect;
            r.x >= bounds.x - 1.0 && r.y >= bounds.y - 1.0 && r.right() <= bounds.right() + 1.0 && r.bottom() <= bounds.bottom() + 1.0
        }).map(|n| n.state.clone().unwrap()).collect();
        want.sort_by(|a, b| a.name.cmp(&b.name));
        let mut got = refs.clone();
        got.sort_by(|a, b| a.name.cmp(&b.name));
        assert!(got.len() >= 2);
        assert_eq!(got, want);
        // A box around everything selects the top level's states only (one machine).
        let all = in_band(&scene, scene.bounds);
        assert!(all.iter().all(|r| r.scope.is_empty()));
        // A tiny box clears the selection.
        let g = press_background(v, at(&scene, v, Point::new(-50.0, -50.0)), true, None);
        assert_eq!(g.release(at(&scene, v, Point::new(-49.0, -49.0)), &v, &scene, &doc, None), Outcome::Select(Vec::new()));
    }

    #[test]
    fn reveal_centres_a_rect_outside_the_view_and_leaves_a_visible_one() {
        let v = Viewport { x: 0.0, y: 0.0, zoom: 0.5 };
        assert_eq!(reveal(&v, 800.0, 600.0, Rect::new(100.0, 100.0, 200.0, 60.0)), None);
        let moved = reveal(&v, 800.0, 600.0, Rect::new(100.0, 2000.0, 200.0, 60.0)).unwrap();
        assert_eq!(moved.zoom, 0.5);
        let c = moved.to_screen(Point::new(200.0, 2030.0));
        assert_eq!((c.x, c.y), (400.0, 300.0));
    }

    #[test]
    fn the_run_focus_is_the_state_that_failed_or_is_still_running() {
        let run = |text: &str| {
            let sim = crate::sim::batch::Simulator::new(text, &Default::default()).expect("compiles");
            sim.run(serde_json::json!({}), 1)
        };
        let failing = run(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Fail", "Error": "E"}}}"#);
        assert_eq!(run_focus(&failing), Some("B"));
        let fine = run(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#);
        assert_eq!(run_focus(&fine), None);
    }
}
