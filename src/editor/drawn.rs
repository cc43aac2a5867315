//! What the canvas draws of a big scene: the nodes, edges and labels in view plus a margin, so
//! that opening or editing a machine of thousands of states builds and keeps in the page only a
//! screenful or so of elements (the minimap still shows the whole layout). A scene of at most
//! [`ALWAYS_DRAWN`] nodes is drawn whole, as before.
//!
//! The drawn area is the view grown by at least half a screen on every side and snapped outward
//! to tiles half a screen wide (rounded up to a power of two in canvas units), so that a pan or a
//! zoom changes it only now and then, and the items drawn stay put in between.
//!
//! Zoomed out below [`READABLE_ZOOM`] (a Fit of thousands of states), no word on a node can be
//! read and the area would hold every item: a big scene is then drawn as an [`Overview`], a few
//! SVG paths (the states' boxes by kind, the containers, the edges), not an element per item.
//! What the normal view shows on its nodes is drawn over it as a few more paths, grouped by
//! class ([`boxes_by`], [`edges_by`], [`problem_dots`]): the selection, the problems, a run's
//! path. A pointer on it finds its state by [`hit`]; the keyboard enters it at [`entry`]; and
//! when a pan or a zoom takes the focused node out of the page, [`refocus`] says which drawn
//! state takes the focus; when an edit leaves none of the scene in view (a machine pasted in
//! place of another), [`view_when_lost`] fits it.

use super::geometry::{Point, Rect, Viewport};
use super::graph::NodeKind;
use super::layout::{Scene, SceneEdge, SceneNode};
use super::scope::StateRef;
use crate::asl::diag::Diagnostic;
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// Up to this many nodes, every item is drawn.
pub const ALWAYS_DRAWN: usize = 400;

/// Below this zoom a node's name (13 px) is under 4 px on the screen: a big scene is drawn as an
/// [`Overview`].
pub const READABLE_ZOOM: f64 = 0.3;

/// Whether a scene of `nodes` nodes seen at `zoom` is drawn as an [`Overview`].
pub fn overview(nodes: usize, zoom: f64) -> bool {
    nodes > ALWAYS_DRAWN && zoom < READABLE_ZOOM
}

/// What the canvas draws of a scene of `nodes` nodes at `zoom`: every item, only those near
/// the view, or an [`Overview`] (the canvas says which, for tests and tools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    All,
    Near,
    Overview,
}

impl Drawn {
    pub fn of(nodes: usize, zoom: f64) -> Drawn {
        if nodes <= ALWAYS_DRAWN {
            Drawn::All
        } else if overview(nodes, zoom) {
            Drawn::Overview
        } else {
            Drawn::Near
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Drawn::All => "all",
            Drawn::Near => "near",
            Drawn::Overview => "overview",
        }
    }
}

/// How far from a box, in screen pixels, a pointer on an overview still finds its state.
pub const HIT_SLOP_PX: f64 = 4.0;

/// [`hit`] for a pointer at `at`, in pixels from the canvas's top left, seen through `view`.
pub fn hit_on_screen<'a>(scene: &'a Scene, view: &Viewport, at: Point) -> Option<&'a SceneNode> {
    hit(scene, view.to_canvas(at), HIT_SLOP_PX / view.zoom)
}

/// Where an overview's tooltip naming a state goes, in pixels from the canvas's top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TipPlace {
    /// The box's centre across, and the edge it stands on: above the box, or under it.
    pub x: f64,
    pub y: f64,
    pub below: bool,
    /// How far the tooltip may shift from `x` (centred, -50% of its width, at best) so that it
    /// stays inside the canvas: at least `min_shift`, at most `max_shift` minus its width.
    pub min_shift: f64,
    pub max_shift: f64,
}

impl TipPlace {
    /// Centred over the box `rect` (canvas units) seen through `view`, kept inside a canvas
    /// `width` pixels wide with a 4 px margin; under the box when there is no room above it.
    pub fn of(rect: Rect, view: &Viewport, width: f64) -> TipPlace {
        let top = view.to_screen(Point::new(rect.center().x, rect.y));
        let bottom = view.to_screen(Point::new(rect.x, rect.bottom()));
        let below = top.y <= 32.0;
        TipPlace {
            x: top.x,
            y: if below { bottom.y + 6.0 } else { top.y - 6.0 },
            below,
            min_shift: 4.0 - top.x,
            max_shift: width - 4.0 - top.x,
        }
    }

    /// As a CSS `style` for an absolutely placed element.
    pub fn css(&self) -> String {
        let ty = if self.below { "0px" } else { "-100%" };
        format!(
            "left: {:.0}px; top: {:.0}px; transform: translate(min(max(-50%, {:.0}px), calc({:.0}px - 100%)), {ty})",
            self.x, self.y, self.min_shift, self.max_shift
        )
    }
}

/// A big scene zoomed out, as a few SVG paths in canvas units: each state kind's boxes (its
/// colour), the containers' frames, every edge's curves. Built in one pass over the scene; the
/// page draws one element per path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Overview {
    /// (`"task"`, `"choice"`... as the nodes' `kind-` classes; `"marker"` for Start/End), with
    /// the boxes' path; kinds in order of first appearance.
    pub kinds: Vec<(String, String)>,
    pub containers: String,
    pub edges: String,
}

impl Overview {
    pub fn of(scene: &Scene) -> Overview {
        let mut out = Overview::default();
        for n in scene.nodes.iter().filter(|n| n.container) {
            box_d(&mut out.containers, &n.rect);
        }
        out.kinds = boxes_by(scene.nodes.iter().filter(|n| !n.container), |n| {
            Some(match n.kind {
                NodeKind::State(k) => k.to_lowercase(),
                NodeKind::Start | NodeKind::End => "marker".to_string(),
            })
        });
        for e in &scene.edges {
            curves_d(&mut out.edges, e);
        }
        out
    }
}

/// Paths grouped by class: (class, SVG path), classes in order of first appearance.
pub type Paths = Vec<(String, String)>;

/// The path of the class `class` in `paths`, added empty when it is not there yet.
fn path_of(paths: &mut Paths, class: String) -> &mut String {
    let at = match paths.iter().position(|(c, _)| *c == class) {
        Some(i) => i,
        None => {
            paths.push((class, String::new()));
            paths.len() - 1
        }
    };
    &mut paths[at].1
}

fn box_d(d: &mut String, r: &Rect) {
    let _ = write!(d, "M{:.0} {:.0}h{:.0}v{:.0}h{:.0}z", r.x, r.y, r.w, r.h, -r.w);
}

fn curves_d(d: &mut String, e: &SceneEdge) {
    for c in &e.curves {
        let _ = write!(d, "M{:.0} {:.0}C{:.0} {:.0} {:.0} {:.0} {:.0} {:.0}", c.from.x, c.from.y, c.c1.x, c.c1.y, c.c2.x, c.c2.y, c.to.x, c.to.y);
    }
}

/// The boxes of `nodes`, one path per class that `class_of` gives (none: not drawn).
pub fn boxes_by<'a>(nodes: impl IntoIterator<Item = &'a SceneNode>, mut class_of: impl FnMut(&SceneNode) -> Option<String>) -> Paths {
    let mut out = Paths::new();
    for n in nodes {
        if let Some(class) = class_of(n) {
            box_d(path_of(&mut out, class), &n.rect);
        }
    }
    out
}

/// The scene's edges, one path per class that `class_of` gives an edge and the node it goes
/// to (none: not drawn).
pub fn edges_by(scene: &Scene, mut class_of: impl FnMut(&SceneEdge, Option<&SceneNode>) -> Option<String>) -> Paths {
    let index: HashMap<&str, &SceneNode> = scene.nodes.iter().map(|n| (n.id.as_str(), n)).collect();
    let mut out = Paths::new();
    for e in &scene.edges {
        if let Some(class) = class_of(e, index.get(e.to.as_str()).copied()) {
            curves_d(path_of(&mut out, class), e);
        }
    }
    out
}

/// A dot (a zero-length line: drawn with round caps, as wide as the stroke) at the top-right
/// corner of each state with a problem, where the normal view draws its badge: class `error`
/// where it has an error, else `warning`. A problem marks the innermost state its pointer is
/// in (a container's own problems mark the container).
pub fn problem_dots(scene: &Scene, diagnostics: &[Diagnostic]) -> Paths {
    let index: HashMap<&str, usize> = scene.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
    let mut worst = vec![None::<bool>; scene.nodes.len()];
    for d in diagnostics {
        let within = super::scope::enclosing_pointers(&d.pointer).filter_map(|p| index.get(p).copied());
        let Some(i) = within.filter(|&i| scene.nodes[i].state.is_some()).last() else { continue };
        let error = d.is_error();
        worst[i] = Some(worst[i].unwrap_or(false) || error);
    }
    let mut out = Paths::new();
    for (n, w) in scene.nodes.iter().zip(worst) {
        if let Some(error) = w {
            let d = path_of(&mut out, if error { "error" } else { "warning" }.to_string());
            let _ = write!(d, "M{:.0} {:.0}h0", n.rect.right(), n.rect.y);
        }
    }
    out
}

/// The distance from `p` to `r` (0 inside).
fn distance(r: &Rect, p: Point) -> f64 {
    let dx = (r.x - p.x).max(p.x - r.right()).max(0.0);
    let dy = (r.y - p.y).max(p.y - r.bottom()).max(0.0);
    dx.hypot(dy)
}

/// The state a pointer at `p` (canvas units) points at in an overview, where a box may be a few
/// pixels wide: the nearest state's box within `slop` (canvas units: a few pixels at the zoom);
/// a Parallel's or a Map's frame only when no state inside it is that near, the innermost one.
pub fn hit(scene: &Scene, p: Point, slop: f64) -> Option<&SceneNode> {
    scene
        .nodes
        .iter()
        .filter(|n| n.state.is_some())
        .map(|n| (distance(&n.rect, p), n))
        .filter(|(d, _)| *d <= slop)
        .min_by(|(da, a), (db, b)| a.container.cmp(&b.container).then(da.total_cmp(db)).then(b.depth.cmp(&a.depth)))
        .map(|(_, n)| n)
}

/// Where the keyboard enters an overview: the selected state's node, else the first state.
pub fn entry<'a>(scene: &'a Scene, selected: Option<&StateRef>) -> Option<&'a SceneNode> {
    let states = || scene.nodes.iter().filter(|n| n.state.is_some());
    selected.and_then(|s| states().find(|n| n.state.as_ref() == Some(s))).or_else(|| states().next())
}

/// The state that takes the focus when the focused node `lost` is no longer drawn (a pan or a
/// zoom took it away): of the states whose centre is in `view` (canvas units), the nearest to
/// where `lost` is. None when no state is in view.
pub fn refocus<'a>(scene: &'a Scene, lost: &str, view: Rect) -> Option<&'a SceneNode> {
    let from = scene.node(lost).map_or(view.center(), |n| n.rect.center());
    let far = |n: &SceneNode| {
        let c = n.rect.center();
        (c.x - from.x).hypot(c.y - from.y)
    };
    scene
        .nodes
        .iter()
        .filter(|n| n.state.is_some() && n.id != lost && view.contains(n.rect.center()))
        .min_by(|a, b| a.container.cmp(&b.container).then(far(a).total_cmp(&far(b))))
}

/// The canvas area drawn for the view `v` of a canvas `w` × `h` pixels wide, for a scene of
/// `nodes` nodes; None when everything is drawn.
pub fn area(nodes: usize, v: &Viewport, w: f64, h: f64) -> Option<Rect> {
    if nodes <= ALWAYS_DRAWN || !(v.zoom > 0.0) || !w.is_finite() || !h.is_finite() {
        return None;
    }
    // Half a screen in canvas units, rounded up to a power of two: the tile, and the margin.
    let half = (w.max(h).max(2.0) / 2.0 / v.zoom).max(1.0);
    let tile = 2f64.powi(half.log2().ceil() as i32);
    let (x0, y0) = ((-v.x) / v.zoom, (-v.y) / v.zoom);
    let (x1, y1) = (x0 + w / v.zoom, y0 + h / v.zoom);
    let snap_down = |c: f64| ((c - tile) / tile).floor() * tile;
    let snap_up = |c: f64| ((c + tile) / tile).ceil() * tile;
    let (ax, ay, bx, by) = (snap_down(x0), snap_down(y0), snap_up(x1), snap_up(y1));
    [ax, ay, bx, by].iter().all(|c| c.is_finite()).then(|| Rect::new(ax, ay, bx - ax, by - ay))
}

/// The state after (or before) the node `from` in the scene's order (the definition's, nested
/// states after their container), for the keyboard: Tab walks a big scene's states, which are
/// not all in the page. None past the last (first): the focus leaves the canvas.
pub fn next_state<'a>(scene: &'a Scene, from: &str, forward: bool) -> Option<&'a SceneNode> {
    let states = || scene.nodes.iter().filter(|n| n.state.is_some());
    let at = states().position(|n| n.id == from)?;
    if forward { states().nth(at + 1) } else { at.checked_sub(1).and_then(|i| states().nth(i)) }
}

/// The view that shows `rect` to the keyboard: as it is when `rect` is in it and readable; else
/// centred on it, zoomed in to 1 from an [`Overview`]'s zoom (so that the node is drawn, and
/// read).
pub fn keyboard_view(v: &Viewport, width: f64, height: f64, rect: Rect) -> Option<Viewport> {
    if v.zoom >= READABLE_ZOOM {
        return super::gesture::reveal(v, width, height, rect);
    }
    let c = rect.center();
    (width > 0.0 && height > 0.0).then(|| Viewport { x: width / 2.0 - c.x, y: height / 2.0 - c.y, zoom: 1.0 })
}

/// The names of the states a scene draws, kept by the canvas from one scene to the next to tell
/// an edit of the machine from another machine put in its place ([`view_when_lost`]).
pub fn state_names(scene: &Scene) -> HashSet<String> {
    scene.nodes.iter().filter_map(|n| n.state.as_ref().map(|s| s.name.clone())).collect()
}

/// The view after the scene changed, when the old one has lost the machine: the whole scene
/// fitted, as Fit does, when the view shows none of its nodes (states deleted under it), or when
/// none of its states was in the scene before (`before`: a machine typed or pasted in place of
/// another, laid out elsewhere, where the old view may show a stray corner of it). `None` for an
/// edit of the machine shown, an empty scene, or before the canvas has a size.
pub fn view_when_lost(before: Option<&HashSet<String>>, scene: &Scene, v: &Viewport, width: f64, height: f64) -> Option<Viewport> {
    if scene.nodes.is_empty() || width <= 0.0 || height <= 0.0 {
        return None;
    }
    let view = Rect::new(-v.x / v.zoom, -v.y / v.zoom, width / v.zoom, height / v.zoom);
    let shown = scene.nodes.iter().any(|n| meets(&view, &n.rect));
    let another = before.is_some_and(|names| {
        !names.is_empty() && !scene.nodes.iter().any(|n| n.state.as_ref().is_some_and(|s| names.contains(&s.name)))
    });
    (!shown || another).then(|| Viewport::fit(scene.bounds, width, height, 40.0, 0.0))
}

fn meets(a: &Rect, b: &Rect) -> bool {
    a.x <= b.right() && b.x <= a.right() && a.y <= b.bottom() && b.y <= a.bottom()
}

/// Whether the node is drawn in `area` (everything is, with no area).
pub fn node(n: &SceneNode, area: Option<&Rect>) -> bool {
    area.is_none_or(|a| meets(a, &n.rect))
}

/// Whether the edge (its curves with their control points, and its label) is drawn in `area`.
pub fn edge(e: &SceneEdge, area: Option<&Rect>) -> bool {
    let Some(a) = area else { return true };
    let mut points = e.curves.iter().flat_map(|c| [c.from, c.c1, c.c2, c.to]);
    let Some(first) = points.next() else { return e.label_rect().is_some_and(|r| meets(a, &r)) };
    let mut b = Rect::new(first.x, first.y, 0.0, 0.0);
    for p in points {
        b = b.union(&Rect::new(p.x, p.y, 0.0, 0.0));
    }
    if let Some(r) = e.label_rect() {
        b = b.union(&r);
    }
    meets(a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;
    use crate::editor::graph::derive;
    use crate::editor::layout::layout;

    fn chain(n: usize) -> String {
        let states: Vec<String> = (0..n)
            .map(|i| if i + 1 == n { format!(r#""S{i}":{{"Type":"Succeed"}}"#) } else { format!(r#""S{i}":{{"Type":"Pass","Next":"S{}"}}"#, i + 1) })
            .collect();
        format!(r#"{{"StartAt":"S0","States":{{{}}}}}"#, states.join(","))
    }

    #[test]
    fn the_canvas_says_whether_it_draws_all_near_or_an_overview() {
        assert_eq!(Drawn::of(ALWAYS_DRAWN, 0.01), Drawn::All);
        assert_eq!(Drawn::of(ALWAYS_DRAWN + 1, READABLE_ZOOM), Drawn::Near);
        assert_eq!(Drawn::of(ALWAYS_DRAWN + 1, READABLE_ZOOM - 0.01).as_str(), "overview");
    }

    #[test]
    fn a_pointer_on_the_screen_finds_a_box_a_few_pixels_away() {
        let scene = layout(&derive(Document::new("t", chain(500)).machine()));
        let view = Viewport { x: 10.0, y: 20.0, zoom: 0.25 };
        let s7 = scene.nodes.iter().find(|n| n.state.as_ref().is_some_and(|s| s.name == "S7")).unwrap();
        let on = view.to_screen(s7.rect.center());
        assert_eq!(hit_on_screen(&scene, &view, on).map(|n| n.id.as_str()), Some(s7.id.as_str()));
        // 2 px to the right of its right edge: still S7; 20 px away: not S7; 20 px past the
        // scene's right edge: nothing.
        let right = view.to_screen(Point::new(s7.rect.right(), s7.rect.center().y));
        let at = |dx: f64| hit_on_screen(&scene, &view, Point::new(right.x + dx, right.y)).map(|n| n.id.clone());
        assert_eq!(at(2.0).as_deref(), Some(s7.id.as_str()));
        assert_ne!(at(20.0).as_deref(), Some(s7.id.as_str()));
        let edge = view.to_screen(Point::new(scene.bounds.right(), s7.rect.center().y));
        assert!(hit_on_screen(&scene, &view, Point::new(edge.x + 20.0, edge.y)).is_none());
    }

    #[test]
    fn an_overview_tooltip_stands_over_its_box_or_under_it_at_the_top_and_stays_inside() {
        let view = Viewport { x: 0.0, y: 0.0, zoom: 0.5 };
        let above = TipPlace::of(Rect::new(100.0, 200.0, 40.0, 20.0), &view, 300.0);
        assert_eq!((above.x, above.y, above.below), (60.0, 94.0, false));
        assert_eq!((above.min_shift, above.max_shift), (-56.0, 236.0));
        assert!(above.css().contains("translate(min(max(-50%, -56px), calc(236px - 100%)), -100%)"));
        // A box at the very top: the tooltip goes under it (its bottom is at 10 px on the screen).
        let under = TipPlace::of(Rect::new(100.0, 0.0, 40.0, 20.0), &view, 300.0);
        assert!(under.below && under.y == 16.0 && under.css().ends_with(", 0px)"));
    }

    #[test]
    fn a_big_scene_zoomed_out_is_an_overview_of_every_box_and_curve() {
        assert!(!overview(ALWAYS_DRAWN, 0.05), "a small scene is always drawn whole");
        assert!(overview(ALWAYS_DRAWN + 1, 0.05) && !overview(ALWAYS_DRAWN + 1, READABLE_ZOOM));
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        let o = Overview::of(&scene);
        let boxes = |d: &str| d.matches('M').count();
        // 1,000 Pass/Succeed boxes, and the Start and End markers.
        let count = |k: &str| o.kinds.iter().find(|(kind, _)| kind == k).map_or(0, |(_, d)| boxes(d));
        assert_eq!((count("pass"), count("succeed"), count("marker")), (999, 1, 2), "{:?}", o.kinds.iter().map(|k| &k.0).collect::<Vec<_>>());
        assert_eq!(o.containers, "");
        let curves: usize = scene.edges.iter().map(|e| e.curves.len()).sum();
        assert_eq!(boxes(&o.edges), curves);
        // Each box is where its node is.
        let first = &scene.nodes.iter().find(|n| n.state.as_ref().is_some_and(|s| s.name == "S0")).unwrap().rect;
        let pass = &o.kinds.iter().find(|(k, _)| k == "pass").unwrap().1;
        assert!(pass.starts_with(&format!("M{:.0} {:.0}h{:.0}v{:.0}", first.x, first.y, first.w, first.h)), "{}", &pass[..40]);
    }

    #[test]
    fn the_keyboard_walks_every_state_in_order_and_each_is_shown_drawn_and_readable() {
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        let (w, h) = (1200.0, 800.0);
        let name = |n: &SceneNode| n.state.as_ref().unwrap().name.clone();
        let first = scene.nodes.iter().find(|n| n.state.is_some()).unwrap();
        assert_eq!(name(first), "S0");
        assert!(next_state(&scene, &first.id, false).is_none(), "before the first, the focus leaves");
        // From an overview (a Fit) and on through every state: the next one is S{k+1}, and the
        // view that shows it draws it, at a readable zoom.
        let mut v = Viewport::fit(scene.bounds, w, h, 40.0, 0.0);
        assert!(overview(scene.nodes.len(), v.zoom), "{v:?}");
        let mut at = first;
        for k in 1..1000 {
            let next = next_state(&scene, &at.id, true).expect("a next state");
            assert_eq!(name(next), format!("S{k}"));
            if let Some(shown) = keyboard_view(&v, w, h, next.rect) {
                v = shown;
            }
            assert!(!overview(scene.nodes.len(), v.zoom));
            let view = Rect::new(-v.x / v.zoom, -v.y / v.zoom, w / v.zoom, h / v.zoom);
            assert!(meets(&view, &next.rect) && node(next, area(scene.nodes.len(), &v, w, h).as_ref()), "S{k} not shown");
            assert_eq!(name(next_state(&scene, &next.id, false).unwrap()), name(at));
            at = next;
        }
        assert!(next_state(&scene, &at.id, true).is_none(), "after the last, the focus leaves");
    }

    #[test]
    fn a_view_that_lost_the_machine_after_an_edit_is_fitted_to_the_scene_and_one_that_shows_it_is_kept() {
        let (w, h) = (1200.0, 800.0);
        let small = layout(&derive(Document::new("t", chain(3)).machine()));
        let big = layout(&derive(Document::new("t", chain(120)).machine()));
        let fit = |s: &Scene| Viewport::fit(s.bounds, w, h, 40.0, 0.0);
        // A view that showed the end of a long machine, cut to three states: it shows none.
        let far = Viewport { x: 0.0, y: -big.bounds.bottom() + h / 2.0, zoom: 1.0 };
        let names = state_names(&big);
        assert_eq!(view_when_lost(Some(&names), &small, &far, w, h), Some(fit(&small)));
        assert!(view_when_lost(Some(&names), &small, &fit(&small), w, h).is_none(), "the fitted view shows it");
        // A view that still shows one node of the same machine stays where the user left it.
        let last = big.nodes.iter().filter(|n| n.state.is_some()).last().unwrap().rect;
        let on_last = Viewport { x: w / 2.0 - last.center().x, y: h / 2.0 - last.center().y, zoom: 1.0 };
        assert!(view_when_lost(Some(&names), &big, &on_last, w, h).is_none());
        assert!(view_when_lost(None, &big, &on_last, w, h).is_none());
        // Another machine (no state of the old one left) is fitted even where the old view
        // shows a corner of it.
        let other = layout(&derive(Document::new("t", chain(120).replace("\"S", "\"T")).machine()));
        assert!(state_names(&other).is_disjoint(&names));
        assert_eq!(view_when_lost(Some(&names), &other, &on_last, w, h), Some(fit(&other)));
        // Panned just past the machine's right side: lost; no size yet: kept.
        let right = Viewport { x: -(big.bounds.right() + 10.0), y: 0.0, zoom: 1.0 };
        assert!(view_when_lost(None, &big, &right, w, h).is_some());
        assert!(view_when_lost(None, &big, &right, 0.0, 0.0).is_none());
    }

    /// A Pass, a Parallel of two branches (B1 → B2, and C1), a Succeed.
    const NESTED: &str = r#"{"StartAt":"A","States":{
        "A":{"Type":"Pass","Next":"P"},
        "P":{"Type":"Parallel","Next":"Z","Branches":[
            {"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"B2"},"B2":{"Type":"Pass","End":true}}},
            {"StartAt":"C1","States":{"C1":{"Type":"Pass","End":true}}}]},
        "Z":{"Type":"Succeed"}}}"#;

    fn state<'a>(scene: &'a Scene, name: &str) -> &'a SceneNode {
        scene.nodes.iter().find(|n| n.state.as_ref().is_some_and(|s| s.name == name)).unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn a_pointer_on_an_overview_finds_the_state_under_it_or_near_it() {
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        // At each state's centre, near its corner, and a little outside its edge: that state.
        for k in [0, 1, 499, 998, 999] {
            let n = state(&scene, &format!("S{k}"));
            let r = n.rect;
            assert_eq!(hit(&scene, r.center(), 0.0).map(|h| &h.id), Some(&n.id));
            assert_eq!(hit(&scene, Point::new(r.x + 1.0, r.y + 1.0), 0.0).map(|h| &h.id), Some(&n.id));
            assert_eq!(hit(&scene, Point::new(r.right() + 5.0, r.center().y), 8.0).map(|h| &h.id), Some(&n.id), "S{k} within the slop");
        }
        // Nowhere near a state: none (the Start marker is no state).
        let far = Point::new(scene.bounds.right() + 500.0, scene.bounds.bottom() + 500.0);
        assert!(hit(&scene, far, 40.0).is_none());
        let start = scene.nodes.iter().find(|n| n.kind == NodeKind::Start).unwrap();
        assert!(hit(&scene, start.rect.center(), 0.0).is_none_or(|h| h.kind != NodeKind::Start));

        // In a Parallel: a branch's state wins over the frame around it; the frame's empty body
        // is the Parallel's.
        let scene = layout(&derive(Document::new("t", NESTED.to_string()).machine()));
        let (p, b1) = (state(&scene, "P"), state(&scene, "B1"));
        assert!(p.container && b1.depth > p.depth);
        assert_eq!(hit(&scene, b1.rect.center(), 10.0).map(|h| h.label.as_str()), Some("B1"));
        let body = Point::new(p.rect.x + 2.0, p.rect.bottom() - 2.0);
        assert!(scene.nodes.iter().filter(|n| n.state.is_some() && !n.container).all(|n| distance(&n.rect, body) > 0.0));
        assert_eq!(hit(&scene, body, 0.0).map(|h| h.label.as_str()), Some("P"));
    }

    #[test]
    fn marks_over_an_overview_are_one_path_a_class() {
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        let boxes = |d: &str| d.matches('M').count();
        // The selection: the selected states' boxes, at their places.
        let chosen = ["S3", "S500"];
        let marks = boxes_by(&scene.nodes, |n| n.state.as_ref().filter(|s| chosen.contains(&s.name.as_str())).map(|_| "selected".to_string()));
        assert_eq!(marks.len(), 1);
        assert_eq!((marks[0].0.as_str(), boxes(&marks[0].1)), ("selected", 2));
        let r = state(&scene, "S3").rect;
        assert!(marks[0].1.starts_with(&format!("M{:.0} {:.0}h{:.0}v{:.0}", r.x, r.y, r.w, r.h)), "{}", marks[0].1);
        // A run's path: the states up to S9 run, S10 failed; the edges between the states run.
        let status = |n: &SceneNode| {
            let k: usize = n.state.as_ref()?.name[1..].parse().ok()?;
            (k <= 10).then(|| if k == 10 { "run-failed" } else { "run-succeeded" }.to_string())
        };
        let run = boxes_by(&scene.nodes, status);
        assert_eq!(run.iter().map(|(c, d)| (c.as_str(), boxes(d))).collect::<Vec<_>>(), [("run-succeeded", 10), ("run-failed", 1)]);
        let taken = edges_by(&scene, |e, to| {
            let (from, to) = (e.source.as_ref()?.name[1..].parse::<usize>().ok()?, to?.state.as_ref()?.name[1..].parse::<usize>().ok()?);
            (to <= 10).then(|| format!("taken{}", if to == 10 { " last" } else { "" })).filter(|_| from < to)
        });
        let curves = |names: &[&str]| -> usize {
            scene.edges.iter().filter(|e| e.source.as_ref().is_some_and(|s| names.contains(&s.name.as_str()))).map(|e| e.curves.len()).sum()
        };
        assert_eq!(taken.iter().map(|(c, d)| (c.as_str(), boxes(d))).collect::<Vec<_>>(), [("taken", curves(&["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8"])), ("taken last", curves(&["S9"]))]);
        assert!(edges_by(&scene, |_, _| None).is_empty());
    }

    #[test]
    fn a_problem_marks_the_innermost_state_it_is_in() {
        use crate::asl::diag::Severity;
        // B2's Next goes nowhere: an error in a branch of P.
        let text = NESTED.replace(r#""B2":{"Type":"Pass","End":true}"#, r#""B2":{"Type":"Pass","Next":"Nowhere"}"#);
        let doc = Document::new("t", text);
        let scene = layout(&derive(doc.machine()));
        let errors: Vec<Diagnostic> = doc.diagnostics().iter().filter(|d| d.is_error()).cloned().collect();
        assert!(!errors.is_empty() && errors.iter().all(|d| d.pointer.contains("/B2")), "{errors:?}");
        let b2 = state(&scene, "B2").rect;
        assert_eq!(problem_dots(&scene, &errors), [("error".to_string(), format!("M{:.0} {:.0}h0", b2.right(), b2.y))]);
        // A warning on A and one more on B2: A's dot is a warning's, B2's stays an error's.
        let warn = |pointer: &str| Diagnostic { severity: Severity::Warning, pointer: pointer.to_string(), ..errors[0].clone() };
        let mut all = vec![warn("/States/A/Comment"), warn(&errors[0].pointer)];
        all.extend(errors.iter().cloned());
        let a = state(&scene, "A").rect;
        let dots = problem_dots(&scene, &all);
        assert_eq!(dots.len(), 2);
        assert!(dots.contains(&("warning".to_string(), format!("M{:.0} {:.0}h0", a.right(), a.y))), "{dots:?}");
        assert!(dots.contains(&("error".to_string(), format!("M{:.0} {:.0}h0", b2.right(), b2.y))), "{dots:?}");
        // A problem of the machine itself, or of P's own field, marks no branch state.
        let p = state(&scene, "P").rect;
        assert_eq!(problem_dots(&scene, &[warn("/StartAt"), warn("/States/P/Next")]), [("warning".to_string(), format!("M{:.0} {:.0}h0", p.right(), p.y))]);
    }

    #[test]
    fn the_keyboard_enters_an_overview_at_the_selection_and_a_lost_focus_goes_to_the_nearest_state_in_view() {
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        assert_eq!(entry(&scene, None).map(|n| n.label.as_str()), Some("S0"));
        assert_eq!(entry(&scene, Some(&StateRef::top("S700"))).map(|n| n.label.as_str()), Some("S700"));
        assert_eq!(entry(&scene, Some(&StateRef::top("Gone"))).map(|n| n.label.as_str()), Some("S0"));
        // S500 focused, then the view moved to show S600 and around: the state in view nearest
        // to S500 takes the focus.
        let (lost, there) = (state(&scene, "S500"), state(&scene, "S600").rect);
        let view = Rect::new(there.center().x - 600.0, there.center().y - 400.0, 1200.0, 800.0);
        assert!(!view.contains(lost.rect.center()));
        let to = refocus(&scene, &lost.id, view).expect("a state in view");
        assert!(view.contains(to.rect.center()));
        let far = |n: &SceneNode| (n.rect.center().x - lost.rect.center().x).hypot(n.rect.center().y - lost.rect.center().y);
        for n in scene.nodes.iter().filter(|n| n.state.is_some() && view.contains(n.rect.center())) {
            assert!(far(to) <= far(n), "{} is nearer than {}", n.label, to.label);
        }
        // Nothing in view: none.
        let empty = Rect::new(scene.bounds.right() + 1000.0, 0.0, 1200.0, 800.0);
        assert!(refocus(&scene, &lost.id, empty).is_none());
    }

    #[test]
    fn a_small_scene_is_drawn_whole_and_a_big_one_near_the_view() {
        let v = Viewport { x: 0.0, y: 0.0, zoom: 1.0 };
        assert_eq!(area(ALWAYS_DRAWN, &v, 1200.0, 800.0), None);
        let scene = layout(&derive(Document::new("t", chain(1000)).machine()));
        let a = area(scene.nodes.len(), &v, 1200.0, 800.0).expect("a big scene is culled");
        // The view and half a screen around it are inside the area.
        assert!(a.x <= -600.0 && a.y <= -600.0 && a.right() >= 1800.0 && a.bottom() >= 1400.0, "{a:?}");
        let drawn = scene.nodes.iter().filter(|n| node(n, Some(&a))).count();
        assert!(drawn > 10 && drawn * 4 < scene.nodes.len(), "{drawn} nodes drawn");
        // Every node in the view is drawn, and every edge reaching one of them.
        let view = Rect::new(0.0, 0.0, 1200.0, 800.0);
        for n in scene.nodes.iter().filter(|n| meets(&view, &n.rect)) {
            assert!(node(n, Some(&a)), "{}", n.id);
            for e in scene.edges.iter().filter(|e| e.from == n.id || e.to == n.id) {
                assert!(edge(e, Some(&a)), "{}", e.id);
            }
        }
        // A small pan keeps the area; a pan of screens moves it; a zoom out grows it.
        assert_eq!(area(scene.nodes.len(), &Viewport { x: -40.0, y: -30.0, zoom: 1.0 }, 1200.0, 800.0), Some(a));
        let far = area(scene.nodes.len(), &Viewport { x: -20000.0, y: 0.0, zoom: 1.0 }, 1200.0, 800.0).unwrap();
        assert!(far.x > a.right());
        let out = area(scene.nodes.len(), &Viewport { x: 0.0, y: 0.0, zoom: 0.1 }, 1200.0, 800.0).unwrap();
        assert!(out.w > a.w * 5.0);
        // Nothing is hidden with no area.
        assert!(scene.nodes.iter().all(|n| node(n, None)) && scene.edges.iter().all(|e| edge(e, None)));
        // A broken view draws everything rather than nothing.
        assert_eq!(area(scene.nodes.len(), &Viewport { x: 0.0, y: 0.0, zoom: 0.0 }, 1200.0, 800.0), None);
    }
}
