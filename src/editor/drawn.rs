//! What the canvas draws of a big scene: the nodes, edges and labels in view plus a margin, so
//! that opening or editing a machine of thousands of states builds and keeps in the page only a
//! screenful or so of elements (the minimap still shows the whole layout). A scene of at most
//! [`ALWAYS_DRAWN`] nodes is drawn whole, as before.
//!
//! The drawn area is the view grown by at least half a screen on every side and snapped outward
//! to tiles half a screen wide (rounded up to a power of two in canvas units), so that a pan or a
//! zoom changes it only now and then, and the items drawn stay put in between.

use super::geometry::{Rect, Viewport};
use super::layout::{SceneEdge, SceneNode};

/// Up to this many nodes, every item is drawn.
pub const ALWAYS_DRAWN: usize = 400;

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
