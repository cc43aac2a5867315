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

use super::geometry::{Rect, Viewport};
use super::graph::NodeKind;
use super::layout::{Scene, SceneEdge, SceneNode};
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
        for n in &scene.nodes {
            let r = n.rect;
            let d = if n.container {
                &mut out.containers
            } else {
                let kind = match n.kind {
                    NodeKind::State(k) => k.to_lowercase(),
                    NodeKind::Start | NodeKind::End => "marker".to_string(),
                };
                let at = match out.kinds.iter().position(|(k, _)| *k == kind) {
                    Some(i) => i,
                    None => {
                        out.kinds.push((kind, String::new()));
                        out.kinds.len() - 1
                    }
                };
                &mut out.kinds[at].1
            };
            let _ = write!(d, "M{:.0} {:.0}h{:.0}v{:.0}h{:.0}z", r.x, r.y, r.w, r.h, -r.w);
        }
        for e in &scene.edges {
            for c in &e.curves {
                let _ = write!(out.edges, "M{:.0} {:.0}C{:.0} {:.0} {:.0} {:.0} {:.0} {:.0}", c.from.x, c.from.y, c.c1.x, c.c1.y, c.c2.x, c.c2.y, c.to.x, c.to.y);
            }
        }
        out
    }
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
