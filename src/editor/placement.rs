//! [`Placement`]: the manual positions applied to a laid-out scene, kept up to date change by
//! change. Each application says which nodes and which edges it moved, so that a view redraws
//! those and nothing else; it allocates only for what moved.
//!
//! A top-level state's position is its top-left corner in canvas space; a nested state's is
//! relative to its container's top-left corner (so it follows its container), kept inside the
//! container's body. A moved node takes its nested nodes along, containers grow (right and down)
//! to hold what was moved inside them, and the edges whose two ends moved differently are
//! rerouted. A `preview` position (a node being dragged) stands over the document's.

use super::geometry::{Curve, Point, Rect, edge_curve_in_lane};
use super::layout::{HEAD, PAD, Scene, SceneEdge, bounds_of};
use std::collections::{BTreeMap, HashMap};

/// A laid-out scene and the same scene with the manual positions applied.
#[derive(Debug, Clone)]
pub struct Placement {
    base: Scene,
    placed: Scene,
    /// Each node's container (one level up), by index.
    parent: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    /// Node indices, outermost first.
    order: Vec<usize>,
    /// Each edge's two ends, by node index (None when an end is not in the scene).
    ends: Vec<Option<(usize, usize)>>,
    nodes: HashMap<String, usize>,
    edges: HashMap<String, usize>,
}

/// What one application changed: indices into the scene's nodes and edges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Moved {
    pub nodes: Vec<usize>,
    pub edges: Vec<usize>,
}

impl Moved {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty()
    }
}

/// Whether the node `id` is `root` or nested in it (by pointer: a `/` or `#` follows `root`).
fn inside(id: &str, root: &str) -> bool {
    id == root || (id.starts_with(root) && id[root.len()..].starts_with(['/', '#']))
}

impl Placement {
    /// The scene `base` (an auto-layout) with no manual position yet.
    pub fn new(base: Scene) -> Self {
        let n = base.nodes.len();
        let containers: Vec<usize> = (0..n).filter(|&c| base.nodes[c].container).collect();
        let parent: Vec<Option<usize>> = base
            .nodes
            .iter()
            .map(|node| {
                if node.depth == 0 {
                    return None;
                }
                containers.iter().copied().find(|&c| base.nodes[c].depth + 1 == node.depth && inside(&node.id, &base.nodes[c].id))
            })
            .collect();
        let mut children = vec![Vec::new(); n];
        for (i, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(i);
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        crate::asl::sort::sort_by_key(&mut order, |&i| base.nodes[i].depth);
        let nodes: HashMap<String, usize> = base.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let edges: HashMap<String, usize> = base.edges.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        // (A reference is a stub under its source: it moves with the source alone.)
        let ends = base
            .edges
            .iter()
            .map(|e| {
                let from = *nodes.get(&e.from)?;
                Some((from, if e.reference.is_some() { from } else { *nodes.get(&e.to)? }))
            })
            .collect();
        Placement { placed: base.clone(), base, parent, children, order, ends, nodes, edges }
    }

    /// The scene as drawn: the manual positions applied.
    pub fn scene(&self) -> &Scene {
        &self.placed
    }
    /// The auto-layout, before the manual positions.
    pub fn base(&self) -> &Scene {
        &self.base
    }
    pub fn into_scene(self) -> Scene {
        self.placed
    }
    /// The index of the node `id` in [`Self::scene`]'s nodes.
    pub fn node_index(&self, id: &str) -> Option<usize> {
        self.nodes.get(id).copied()
    }
    /// The index of the edge `id` in [`Self::scene`]'s edges.
    pub fn edge_index(&self, id: &str) -> Option<usize> {
        self.edges.get(id).copied()
    }

    /// Takes the words of `base`, the same layout reworded (see `layout::reword_in`): each node's
    /// information and each edge's label, every position kept (the manual ones applied stay
    /// applied). Says which nodes' and which edges' words changed; None when `base` is not this
    /// layout (other items, or items elsewhere), which must be placed anew ([`Placement::new`]).
    pub fn reword(&mut self, base: &Scene) -> Option<Moved> {
        let same_nodes = base.nodes.len() == self.base.nodes.len()
            && base.nodes.iter().zip(&self.base.nodes).all(|(a, b)| a.id == b.id && a.rect == b.rect && a.lines == b.lines && a.depth == b.depth && a.container == b.container);
        let same_edges = base.edges.len() == self.base.edges.len()
            && base.edges.iter().zip(&self.base.edges).all(|(a, b)| a.id == b.id && a.curves == b.curves && a.label_at == b.label_at && a.reference == b.reference);
        if !same_nodes || !same_edges || base.direction != self.base.direction {
            return None;
        }
        let mut changed = Moved::default();
        for (i, n) in base.nodes.iter().enumerate() {
            if n.info != self.base.nodes[i].info {
                self.base.nodes[i].info = n.info.clone();
                self.placed.nodes[i].info = n.info.clone();
                changed.nodes.push(i);
            }
        }
        for (k, e) in base.edges.iter().enumerate() {
            if e.label != self.base.edges[k].label {
                self.base.edges[k].label = e.label.clone();
                self.placed.edges[k].label = e.label.clone();
                changed.edges.push(k);
            }
        }
        Some(changed)
    }

    /// Applies `positions`, with `preview` (a node id and its position) standing over its own,
    /// and says what moved since the last application.
    pub fn apply(&mut self, positions: &BTreeMap<String, Point>, preview: Option<(&str, Point)>) -> Moved {
        let n = self.base.nodes.len();
        let mut rects: Vec<Rect> = self.base.nodes.iter().map(|node| node.rect).collect();
        let mut delta = vec![(0.0, 0.0); n];
        let mut grown = vec![false; n];
        if !positions.is_empty() || preview.is_some() {
            for &i in &self.order {
                let node = &self.base.nodes[i];
                let inherited = self.parent[i].map(|p| delta[p]).unwrap_or((0.0, 0.0));
                let mut r = node.rect.translate(inherited.0, inherited.1);
                let mut d = inherited;
                let at = node.state.as_ref().and_then(|_| match preview {
                    Some((id, p)) if id == node.id => Some(p),
                    _ => positions.get(&node.id).copied(),
                });
                if let Some(p) = at {
                    let target = match self.parent[i] {
                        None => p,
                        Some(c) => Point::new(rects[c].x + p.x.max(PAD / 2.0), rects[c].y + p.y.max(HEAD)),
                    };
                    let (dx, dy) = (target.x - r.x, target.y - r.y);
                    if dx != 0.0 || dy != 0.0 {
                        r = r.translate(dx, dy);
                        d = (d.0 + dx, d.1 + dy);
                    }
                }
                rects[i] = r;
                delta[i] = d;
            }
            // Containers grow to hold their nodes, the innermost first.
            for &c in self.order.iter().rev() {
                if !self.base.nodes[c].container {
                    continue;
                }
                let (mut right, mut bottom) = (rects[c].right(), rects[c].bottom());
                for &j in &self.children[c] {
                    right = right.max(rects[j].right() + PAD);
                    bottom = bottom.max(rects[j].bottom() + PAD);
                }
                let r = &mut rects[c];
                if right > r.right() || bottom > r.bottom() {
                    (r.w, r.h) = (right - r.x, bottom - r.y);
                    grown[c] = true;
                }
            }
        }
        let mut moved = Moved::default();
        for (i, r) in rects.into_iter().enumerate() {
            if self.placed.nodes[i].rect != r {
                self.placed.nodes[i].rect = r;
                moved.nodes.push(i);
            }
        }
        // The edges whose ends moved apart are drawn straight between them, leaving their source
        // spread across its bottom by where they go (as the layout spreads them), so that two
        // edges between the same nodes (a rule and the Default, a Next and a Catch) stay apart.
        let nodes = &self.placed.nodes;
        let mut direct: Vec<(usize, usize, usize)> = Vec::new();
        let mut routes: Vec<Route> = (0..self.base.edges.len())
            .map(|k| match self.ends[k] {
                None => Route::Translate(0.0, 0.0),
                Some((a, b)) if delta[a] == delta[b] && !grown[a] && !grown[b] => Route::Translate(delta[a].0, delta[a].1),
                Some((a, b)) => {
                    direct.push((a, b, k));
                    Route::Translate(0.0, 0.0)
                }
            })
            .collect();
        // (Routed in the layers' space: top down, or turned for left to right.)
        let dir = self.base.direction;
        let across = |i: usize| dir.rect(nodes[i].rect).center().x;
        crate::asl::sort::sort_by(&mut direct, |x, y| (x.0, across(x.1), x.2).partial_cmp(&(y.0, across(y.1), y.2)).expect("finite"));
        for group in direct.chunk_by(|x, y| x.0 == y.0) {
            let from = dir.rect(nodes[group[0].0].rect);
            let count = group.len() as f64;
            for (j, &(_, b, k)) in group.iter().enumerate() {
                let exit = if count <= 1.0 { from.w / 2.0 } else { from.w * 0.15 + from.w * 0.7 * j as f64 / (count - 1.0) };
                let lane = group[..j].iter().filter(|x| x.1 == b).count();
                routes[k] = Route::Direct(dir.curve(edge_curve_in_lane(&from, from.x + exit, &dir.rect(nodes[b].rect), lane)));
            }
        }
        for (k, (base, route)) in self.base.edges.iter().zip(routes).enumerate() {
            if route.update(base, &mut self.placed.edges[k]) {
                moved.edges.push(k);
            }
        }
        if !moved.is_empty() {
            self.placed.bounds = if positions.is_empty() && preview.is_none() {
                self.base.bounds
            } else {
                bounds_of(&self.placed.nodes, &self.placed.edges)
            };
        }
        moved
    }
}

/// Where an edge goes: its laid-out route moved by a delta, or straight between its ends.
enum Route {
    Translate(f64, f64),
    Direct(Curve),
}

impl Route {
    /// Writes the route of `base` into `out` when it differs; whether it did.
    fn update(&self, base: &SceneEdge, out: &mut SceneEdge) -> bool {
        match *self {
            Route::Translate(dx, dy) => {
                let label_at = Point::new(base.label_at.x + dx, base.label_at.y + dy);
                let same = out.curves.len() == base.curves.len()
                    && out.label_at == label_at
                    && base.curves.iter().zip(&out.curves).all(|(b, o)| b.translate(dx, dy) == *o);
                if same {
                    return false;
                }
                out.curves = base.curves.iter().map(|c| c.translate(dx, dy)).collect();
                out.label_at = label_at;
            }
            Route::Direct(c) => {
                let label_at = c.at(0.5);
                if out.curves.len() == 1 && out.curves[0] == c && out.label_at == label_at {
                    return false;
                }
                out.curves = vec![c];
                out.label_at = label_at;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;
    use crate::editor::graph::derive;
    use crate::editor::layout::{layout, place};

    fn scene(text: &str) -> Scene {
        layout(&derive(Document::new("t", text).machine()))
    }

    /// A keystroke inside states (a resource, a rule's value, a nested Task's resource) with
    /// manual positions applied: rewording the placement in place gives the scene that placing
    /// the reworded layout anew gives, and says which nodes changed.
    #[test]
    fn a_reworded_placement_is_the_placement_of_the_reworded_layout() {
        use crate::editor::layout::{Direction, layout_in, reword_in};
        let before = r#"{"StartAt":"T","States":{
            "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:Fa","Next":"C"},
            "C":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":1,"Next":"P"}],"Default":"T"},
            "P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:Ga","End":true}}}]}}}"#;
        let after = before.replace("function:Fa", "function:Fb").replace("function:Ga", "function:Gb").replace("NumericEquals\":1", "NumericEquals\":2");
        let mut positions = BTreeMap::new();
        positions.insert("/States/P".to_string(), Point::new(400.0, 30.0));
        positions.insert("/States/P/Branches/0/States/A".to_string(), Point::new(20.0, 50.0));
        for direction in [Direction::TopDown, Direction::LeftRight] {
            let (g0, g1) = (derive(Document::new("t", before).machine()), derive(Document::new("t", after.as_str()).machine()));
            let s0 = layout_in(&g0, direction);
            let s1 = reword_in((&g0, &s0), &g1, direction).expect("only words changed");
            let mut kept = Placement::new(s0.clone());
            kept.apply(&positions, None);
            let changed = kept.reword(&s1).expect("the same layout");
            let mut anew = Placement::new(s1.clone());
            anew.apply(&positions, None);
            assert_eq!(kept.scene(), anew.scene());
            assert_eq!(kept.base(), anew.base());
            let ids: Vec<&str> = changed.nodes.iter().map(|&i| kept.scene().nodes[i].id.as_str()).collect();
            assert_eq!(ids, ["/States/T", "/States/P/Branches/0/States/A"]);
            // (The Choice's node says how many rules it has: only its rule's label changed.)
            let labels: Vec<Option<&str>> = changed.edges.iter().map(|&k| kept.scene().edges[k].label.as_deref()).collect();
            assert!(labels.len() == 1 && labels[0].is_some_and(|l| l.contains('2')), "{labels:?}");
            // Nothing more to take: the same words again change nothing.
            assert_eq!(kept.reword(&s1), Some(Moved::default()));
            // A change of shape is not a rewording, and another layout is refused.
            let g2 = derive(Document::new("t", before.replace(r#""Default":"T""#, r#""Default":"P""#)).machine());
            assert!(reword_in((&g0, &s0), &g2, direction).is_none());
            assert!(kept.reword(&layout_in(&g2, direction)).is_none());
        }
    }

    const NESTED: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Q","Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}},
        {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"D","States":{"D":{"Type":"Pass","End":true}}}}}}]},
        "Q":{"Type":"Pass","End":true}}}"#;

    #[test]
    fn no_position_is_the_layout_itself() {
        let s = scene(NESTED);
        let mut p = Placement::new(s.clone());
        assert!(p.apply(&BTreeMap::new(), None).is_empty());
        assert_eq!(p.scene(), &s);
    }

    #[test]
    fn a_move_reports_the_node_what_it_holds_and_their_edges_only() {
        let s = scene(NESTED);
        let mut p = Placement::new(s.clone());
        let id = "/States/P/Branches/1/States/M";
        let m = p.apply(&BTreeMap::new(), Some((id, Point::new(40.0, 300.0))));
        let ids: Vec<&str> = m.nodes.iter().map(|&i| p.scene().nodes[i].id.as_str()).collect();
        // M, what M holds, and P (grown to hold M).
        assert!(ids.contains(&id) && ids.contains(&"/States/P/Branches/1/States/M/ItemProcessor/States/D") && ids.contains(&"/States/P"), "{ids:?}");
        assert!(!ids.iter().any(|i| i.contains("/Branches/0/")), "branch 0 stays: {ids:?}");
        for &k in &m.edges {
            let e = &p.scene().edges[k];
            assert!(ids.iter().any(|i| e.from == *i || e.to == *i), "{} touches something that moved", e.id);
        }
        // The same application again moves nothing; dropping the preview moves it back.
        assert!(p.apply(&BTreeMap::new(), Some((id, Point::new(40.0, 300.0)))).is_empty());
        let back = p.apply(&BTreeMap::new(), None);
        assert_eq!(back.nodes.len(), m.nodes.len());
        assert_eq!(p.scene(), &s);
    }

    #[test]
    fn a_preview_stands_over_the_documents_position() {
        let s = scene(crate::seed::ORDER_WORKFLOW);
        let id = "/States/HandleError";
        let positions = BTreeMap::from([(id.to_string(), Point::new(900.0, 40.0))]);
        let mut p = Placement::new(s);
        p.apply(&positions, Some((id, Point::new(10.0, 20.0))));
        let r = p.scene().nodes[p.node_index(id).unwrap()].rect;
        assert_eq!((r.x, r.y), (10.0, 20.0));
        p.apply(&positions, None);
        let r = p.scene().nodes[p.node_index(id).unwrap()].rect;
        assert_eq!((r.x, r.y), (900.0, 40.0));
    }

    #[test]
    fn two_edges_between_the_same_nodes_stay_apart_when_a_nested_node_moves() {
        // In a branch: A's rule and its Default both go to B; B's Next and its Catch both go to C.
        let s = scene(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{
                "A":{"Type":"Choice","Choices":[{"Variable":"$.x","BooleanEquals":true,"Next":"B"}],"Default":"B"},
                "B":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-3:1:function:F","Next":"C","Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]},
                "C":{"Type":"Succeed"}}}]}}}"#,
        );
        let branch = "/States/P/Branches/0/States";
        let pairs = |p: &Placement, from: &str, to: &str| -> Vec<Vec<Curve>> {
            p.scene().edges.iter().filter(|e| e.from == format!("{branch}/{from}") && e.to == format!("{branch}/{to}")).map(|e| e.curves.clone()).collect()
        };
        let mut p = Placement::new(s);
        for (id, at) in [("B", Point::new(300.0, 200.0)), ("B", Point::new(40.0, 40.0)), ("A", Point::new(400.0, 500.0))] {
            let positions = BTreeMap::from([(format!("{branch}/{id}"), at)]);
            p.apply(&positions, None);
            for (from, to) in [("A", "B"), ("B", "C")] {
                let curves = pairs(&p, from, to);
                assert_eq!(curves.len(), 2, "{from} → {to}");
                assert_ne!(curves[0], curves[1], "{from} → {to} with {id} at {at:?}: drawn over each other");
            }
        }
    }

    /// Any sequence of applications ends where one application from scratch does (what
    /// `layout::place` gives), whatever came before.
    #[test]
    fn incremental_applications_agree_with_a_fresh_one() {
        let s = scene(NESTED);
        let ids: Vec<String> = s.nodes.iter().filter(|n| n.state.is_some()).map(|n| n.id.clone()).collect();
        let mut p = Placement::new(s.clone());
        let mut positions = BTreeMap::new();
        let mut seed = 7u64;
        let mut next = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for step in 0..200 {
            let id = &ids[next() % ids.len()];
            let at = Point::new((next() % 900) as f64 - 100.0, (next() % 700) as f64 - 50.0);
            if step % 5 == 4 {
                positions.remove(id);
            } else {
                positions.insert(id.clone(), at);
            }
            let preview_at = Point::new((next() % 500) as f64, (next() % 500) as f64);
            let preview = (step % 3 == 0).then_some((ids[next() % ids.len()].as_str(), preview_at));
            let before = p.scene().clone();
            let moved = p.apply(&positions, preview);
            let mut fresh = Placement::new(s.clone());
            fresh.apply(&positions, preview);
            assert_eq!(p.scene(), fresh.scene(), "step {step}");
            // What was reported is exactly what differs.
            let nodes: Vec<usize> = (0..s.nodes.len()).filter(|&i| before.nodes[i] != p.scene().nodes[i]).collect();
            let edges: Vec<usize> = (0..s.edges.len()).filter(|&k| before.edges[k] != p.scene().edges[k]).collect();
            assert_eq!((moved.nodes, moved.edges), (nodes, edges), "step {step}");
            if preview.is_none() {
                assert_eq!(p.scene(), &place(&s, &positions), "step {step}");
            }
        }
    }
}
