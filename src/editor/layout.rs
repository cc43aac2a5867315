//! Layered auto-layout (Sugiyama): rank by longest path with loops turned back, long edges
//! split by dummy nodes, crossings reduced by barycenter sweeps, and x placed by isotonic
//! regression (each node as close to its neighbours as order and spacing allow). Parallel
//! branches and Map processors are laid out on their own and become containers.
//!
//! Then [`place`] applies the manual positions and reroutes the edges they move.

use super::geometry::{Curve, Point, Rect, edge_curve};
use super::graph::{EdgeField, EdgeKind, Graph, NodeInfo, NodeKind};
use super::scope::{Scope, StateRef};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

pub const NODE_W: f64 = 208.0;
pub const NODE_H: f64 = 58.0;
pub const MARKER_W: f64 = 76.0;
pub const MARKER_H: f64 = 28.0;
const DUMMY_W: f64 = 12.0;
const RANK_GAP: f64 = 64.0;
const NODE_GAP: f64 = 36.0;
/// A container's padding around its branches.
pub(super) const PAD: f64 = 18.0;
/// A container's head, above its branches.
pub(super) const HEAD: f64 = 40.0;
const BRANCH_GAP: f64 = 24.0;

/// A node where it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneNode {
    pub info: NodeInfo,
    pub rect: Rect,
    /// 0 for the top level, 1 inside a branch...
    pub depth: usize,
    /// Parallel and Map nodes hold their branches' nodes.
    pub container: bool,
    /// The machine the node belongs to.
    pub scope: Scope,
}

impl std::ops::Deref for SceneNode {
    type Target = NodeInfo;
    fn deref(&self) -> &NodeInfo {
        &self.info
    }
}

/// An edge where it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneEdge {
    pub id: String,
    pub kind: EdgeKind,
    pub label: Option<String>,
    pub source: Option<StateRef>,
    pub field: EdgeField,
    /// The machine the edge belongs to.
    pub scope: Scope,
    pub from: String,
    pub to: String,
    pub curves: Vec<Curve>,
    pub label_at: Point,
}

impl SceneEdge {
    /// The SVG path data.
    pub fn svg(&self) -> String {
        let mut out = String::with_capacity(48 * self.curves.len());
        for (i, c) in self.curves.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            c.svg_into(&mut out);
        }
        out
    }
    /// The distance from `p` to the edge.
    pub fn distance(&self, p: Point) -> f64 {
        self.curves.iter().map(|c| c.distance(p)).fold(f64::INFINITY, f64::min)
    }
}

/// Hashes what is drawn, so that a keyed list redraws exactly what changed (cheaper than
/// comparing or formatting the whole item).
fn hash_points(h: &mut impl Hasher, points: impl IntoIterator<Item = f64>) {
    for v in points {
        v.to_bits().hash(h);
    }
}

impl SceneNode {
    /// Equal for two nodes drawn alike.
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.info.label, &self.info.summary, self.info.is_start, self.info.is_end, self.container, self.depth).hash(&mut h);
        hash_points(&mut h, [self.rect.x, self.rect.y, self.rect.w, self.rect.h]);
        h.finish()
    }
    /// Equal for two nodes drawn alike wherever they are: what the canvas keys a node's element
    /// by, so that a move restyles the element instead of replacing it.
    pub fn look(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.info.label, &self.info.summary, self.info.kind, self.info.is_start, self.info.is_end, self.container, self.depth).hash(&mut h);
        h.finish()
    }
}

impl SceneEdge {
    /// Equal for two edges drawn alike.
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.label, self.kind).hash(&mut h);
        for c in &self.curves {
            hash_points(&mut h, [c.from.x, c.from.y, c.c1.x, c.c1.y, c.c2.x, c.c2.y, c.to.x, c.to.y]);
        }
        hash_points(&mut h, [self.label_at.x, self.label_at.y]);
        h.finish()
    }
    /// Equal for two edges drawn alike wherever they run (the canvas updates the path alone).
    pub fn look(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.label, self.kind, &self.from, &self.to).hash(&mut h);
        h.finish()
    }
}

/// Everything the canvas draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub nodes: Vec<SceneNode>,
    pub edges: Vec<SceneEdge>,
    pub bounds: Rect,
}

impl Scene {
    /// Each node's index by id, and each edge's (for lookups in O(1) where the scene is drawn).
    pub fn index(&self) -> (HashMap<String, usize>, HashMap<String, usize>) {
        let nodes = self.nodes.iter().enumerate().map(|(i, n)| (n.id.clone(), i)).collect();
        let edges = self.edges.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        (nodes, edges)
    }
    pub fn node(&self, id: &str) -> Option<&SceneNode> {
        self.nodes.iter().find(|n| n.id == id)
    }
    /// The edge nearest `p` within `tolerance` that a state can be inserted on.
    pub fn edge_at(&self, p: Point, tolerance: f64) -> Option<&SceneEdge> {
        self.edges
            .iter()
            .filter(|e| !matches!(e.field, EdgeField::End) || e.source.is_some())
            .map(|e| (e.distance(p), e))
            .filter(|(d, _)| *d <= tolerance)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, e)| e)
    }
    /// The innermost container whose body holds `p`, with the branch under it.
    pub fn container_at(&self, p: Point) -> Option<&SceneNode> {
        self.nodes.iter().filter(|n| n.container && n.rect.contains(p)).max_by_key(|n| n.depth)
    }
}

/// A graph laid out in its own coordinates.
struct Laid {
    nodes: Vec<SceneNode>,
    edges: Vec<SceneEdge>,
    w: f64,
    h: f64,
}

/// Lays out the graph of a whole machine.
pub fn layout(graph: &Graph) -> Scene {
    let laid = lay(graph, 0);
    let bounds = bounds_of(&laid.nodes, &laid.edges);
    Scene { nodes: laid.nodes, edges: laid.edges, bounds }
}

/// The layout of `graph`, given `prev`: an earlier graph and its layout. When only words changed
/// (a resource, a rule's text; what typing inside a state does) the positions are kept and the
/// words replaced, which is what [`layout`] would give, without laying out again.
pub fn relayout(prev: Option<(&Graph, &Scene)>, graph: &Graph) -> Scene {
    match prev {
        Some((old, scene)) if same_shape(old, graph) => reword(scene, graph),
        _ => layout(graph),
    }
}

/// Whether two graphs have the same nodes (ids, kinds, nesting) and the same edges.
fn same_shape(a: &Graph, b: &Graph) -> bool {
    a.nodes.len() == b.nodes.len()
        && a.edges.len() == b.edges.len()
        && a.nodes.iter().zip(&b.nodes).all(|(x, y)| {
            x.id == y.id
                && x.kind == y.kind
                && x.children.len() == y.children.len()
                && x.children.iter().zip(&y.children).all(|(p, q)| same_shape(p, q))
        })
        && a.edges.iter().zip(&b.edges).all(|(x, y)| x.id == y.id && x.from == y.from && x.to == y.to && x.kind == y.kind)
}

/// `scene` with the words of `graph` (of the same shape).
fn reword(scene: &Scene, graph: &Graph) -> Scene {
    fn collect<'g>(g: &'g Graph, nodes: &mut HashMap<&'g str, &'g NodeInfo>, edges: &mut HashMap<&'g str, &'g Option<String>>) {
        for n in &g.nodes {
            nodes.insert(&n.id, &n.info);
            n.children.iter().for_each(|c| collect(c, nodes, edges));
        }
        edges.extend(g.edges.iter().map(|e| (e.id.as_str(), &e.label)));
    }
    let (mut nodes, mut edges) = (HashMap::new(), HashMap::new());
    collect(graph, &mut nodes, &mut edges);
    let mut out = scene.clone();
    for n in &mut out.nodes {
        if let Some(info) = nodes.get(n.id.as_str()) {
            n.info = (*info).clone();
        }
    }
    for e in &mut out.edges {
        if let Some(label) = edges.get(e.id.as_str()) {
            e.label = (*label).clone();
        }
    }
    out
}

pub(super) fn bounds_of(nodes: &[SceneNode], edges: &[SceneEdge]) -> Rect {
    let mut b = nodes.first().map(|n| n.rect).unwrap_or_default();
    for n in nodes {
        b = b.union(&n.rect);
    }
    for e in edges {
        for c in &e.curves {
            for p in [c.c1, c.c2] {
                b = b.union(&Rect::new(p.x, p.y, 0.0, 0.0));
            }
        }
    }
    b
}

fn lay(graph: &Graph, depth: usize) -> Laid {
    let n = graph.nodes.len();
    // 1. Sizes, laying out the children of containers first.
    let mut inner: Vec<Vec<Laid>> = Vec::with_capacity(n);
    let mut size = Vec::with_capacity(n);
    for node in &graph.nodes {
        let kids: Vec<Laid> = node.children.iter().map(|g| lay(g, depth + 1)).collect();
        size.push(match node.kind {
            NodeKind::Start | NodeKind::End => (MARKER_W, MARKER_H),
            NodeKind::State(_) if kids.is_empty() && node.children.is_empty() => (NODE_W, NODE_H),
            NodeKind::State(_) => {
                let w: f64 = kids.iter().map(|k| k.w).sum::<f64>() + BRANCH_GAP * (kids.len().saturating_sub(1)) as f64;
                let h = kids.iter().map(|k| k.h).fold(0.0, f64::max);
                ((w + 2.0 * PAD).max(NODE_W), HEAD + h.max(20.0) + PAD)
            }
        });
        inner.push(kids);
    }

    // 2. Back edges (found by depth-first search from Start, then from anything unvisited).
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in graph.edges.iter().enumerate() {
        out[e.from].push(i);
    }
    let mut back = vec![false; graph.edges.len()];
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut discovery = Vec::with_capacity(n);
    let roots: Vec<usize> = std::iter::once(0).chain(2..n).chain(std::iter::once(1)).filter(|&i| i < n).collect();
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        discovery.push(root);
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if *k < out[v].len() {
                let ei = out[v][*k];
                *k += 1;
                let w = graph.edges[ei].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        discovery.push(w);
                        stack.push((w, 0));
                    }
                    1 => back[ei] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }

    // 3. Ranks: longest path over the forward edges, in topological order.
    let mut rank = vec![0usize; n];
    let mut indeg = vec![0usize; n];
    for (i, e) in graph.edges.iter().enumerate() {
        if !back[i] {
            indeg[e.to] += 1;
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &ei in &out[v] {
            if back[ei] {
                continue;
            }
            let w = graph.edges[ei].to;
            rank[w] = rank[w].max(rank[v] + 1);
            indeg[w] -= 1;
            if indeg[w] == 0 {
                queue.push(w);
            }
        }
    }
    if n > 1 {
        rank[1] = (0..n).filter(|&i| i != 1).map(|i| rank[i]).max().unwrap_or(0) + 1;
    }
    let ranks = rank.iter().copied().max().unwrap_or(0) + 1;

    // 4. Dummies for forward edges longer than one rank; segments between adjacent ranks.
    let mut width: Vec<f64> = size.iter().map(|s| s.0).collect();
    let mut vrank = rank.clone();
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); graph.edges.len()];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut succs: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in graph.edges.iter().enumerate() {
        if back[i] || e.from == e.to {
            continue;
        }
        let mut prev = e.from;
        for r in rank[e.from] + 1..rank[e.to] {
            let d = width.len();
            width.push(DUMMY_W);
            vrank.push(r);
            preds.push(Vec::new());
            succs.push(Vec::new());
            chains[i].push(d);
            succs[prev].push(d);
            preds[d].push(prev);
            prev = d;
        }
        succs[prev].push(e.to);
        preds[e.to].push(prev);
    }
    let total = width.len();

    // 5. Order within ranks: discovery order, then barycenter sweeps.
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    let mut seen = vec![false; total];
    for &v in &discovery {
        layers[vrank[v]].push(v);
        seen[v] = true;
        // (The dummies of the edges out of `v`, in edge order: `out[v]` lists them so.)
        for &d in out[v].iter().flat_map(|&ei| &chains[ei]) {
            if !seen[d] {
                seen[d] = true;
                layers[vrank[d]].push(d);
            }
        }
    }
    for v in 0..total {
        if !seen[v] {
            layers[vrank[v]].push(v);
        }
    }
    let mut pos = vec![0usize; total];
    let index = |layers: &Vec<Vec<usize>>, pos: &mut Vec<usize>| {
        for layer in layers {
            for (i, &v) in layer.iter().enumerate() {
                pos[v] = i;
            }
        }
    };
    index(&layers, &mut pos);
    for sweep in 0..8 {
        let down = sweep % 2 == 0;
        let order: Vec<usize> = if down { (1..ranks).collect() } else { (0..ranks.saturating_sub(1)).rev().collect() };
        for r in order {
            let keyed: Vec<(f64, usize)> = layers[r]
                .iter()
                .map(|&v| {
                    let nb = if down { &preds[v] } else { &succs[v] };
                    let key = if nb.is_empty() {
                        pos[v] as f64
                    } else {
                        nb.iter().map(|&u| pos[u] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (key, v)
                })
                .collect();
            let mut keyed = keyed;
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            layers[r] = keyed.into_iter().map(|(_, v)| v).collect();
            for (i, &v) in layers[r].iter().enumerate() {
                pos[v] = i;
            }
        }
    }

    // 6. x: pack, then pull each node toward its neighbours without breaking order or spacing.
    let mut x = vec![0.0f64; total]; // centres
    for layer in &layers {
        let mut cursor = 0.0;
        for &v in layer {
            x[v] = cursor + width[v] / 2.0;
            cursor += width[v] + NODE_GAP;
        }
    }
    for pass in 0..13 {
        let down = pass % 2 == 0;
        let both = false;
        let order: Vec<usize> = if down { (0..ranks).collect() } else { (0..ranks).rev().collect() };
        for r in order {
            let layer = &layers[r];
            let desired: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let nb: Vec<usize> = if both {
                        preds[v].iter().chain(&succs[v]).copied().collect()
                    } else if down {
                        preds[v].clone()
                    } else {
                        succs[v].clone()
                    };
                    // Real neighbours pull harder than the dummies of long edges.
                    let real: Vec<f64> = nb.iter().filter(|&&u| u < n).map(|&u| x[u]).collect();
                    if !real.is_empty() {
                        median(real)
                    } else if nb.is_empty() {
                        x[v]
                    } else {
                        median(nb.iter().map(|&u| x[u]).collect())
                    }
                })
                .collect();
            let weights: Vec<f64> = layer.iter().map(|&v| if v < n { 1.0 } else { 0.001 }).collect();
            let placed = align(&layer.iter().map(|&v| width[v]).collect::<Vec<_>>(), &desired, &weights);
            for (i, &v) in layer.iter().enumerate() {
                x[v] = placed[i];
            }
        }
    }
    let min_left = (0..total).map(|v| x[v] - width[v] / 2.0).fold(f64::INFINITY, f64::min);
    let shift = if min_left.is_finite() { -min_left } else { 0.0 };
    for v in x.iter_mut() {
        *v += shift;
    }

    // 7. y per rank, nodes centred in their rank.
    let mut rank_h = vec![0.0f64; ranks];
    for v in 0..n {
        rank_h[rank[v]] = rank_h[rank[v]].max(size[v].1);
    }
    let mut rank_y = vec![0.0f64; ranks];
    let mut y = 0.0;
    for r in 0..ranks {
        rank_y[r] = y;
        y += rank_h[r].max(8.0) + RANK_GAP;
    }
    let h = (y - RANK_GAP).max(0.0);
    let rects: Vec<Rect> = (0..n)
        .map(|v| {
            let (w, hh) = size[v];
            Rect::new(x[v] - w / 2.0, rank_y[rank[v]] + (rank_h[rank[v]] - hh) / 2.0, w, hh)
        })
        .collect();
    let w = rects.iter().map(|r| r.right()).fold(0.0, f64::max);

    // 8. Scene nodes (containers before their children, so children draw on top).
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (v, node) in graph.nodes.iter().enumerate() {
        nodes.push(SceneNode {
            info: node.info.clone(),
            rect: rects[v],
            depth,
            container: !node.children.is_empty(),
            scope: graph.scope.clone(),
        });
        let kids = std::mem::take(&mut inner[v]);
        let total_w: f64 = kids.iter().map(|k| k.w).sum::<f64>() + BRANCH_GAP * kids.len().saturating_sub(1) as f64;
        let mut cx = rects[v].x + (rects[v].w - total_w) / 2.0;
        for kid in kids {
            let (dx, dy) = (cx, rects[v].y + HEAD);
            nodes.extend(kid.nodes.into_iter().map(|mut k| {
                k.rect = k.rect.translate(dx, dy);
                k
            }));
            edges.extend(kid.edges.into_iter().map(|e| translate_edge(e, dx, dy)));
            cx += kid.w + BRANCH_GAP;
        }
    }

    // 9. Edge routes: spread the exits of each node by where their edges go.
    let next_x = |i: usize| -> f64 {
        let e = &graph.edges[i];
        chains[i].first().map(|&d| x[d]).unwrap_or_else(|| rects[e.to].center().x)
    };
    let mut exits = vec![0.0f64; graph.edges.len()];
    for v in 0..n {
        let mut fwd: Vec<usize> = out[v].iter().copied().filter(|&i| !back[i] && graph.edges[i].from != graph.edges[i].to).collect();
        fwd.sort_by(|&a, &b| next_x(a).total_cmp(&next_x(b)));
        let r = rects[v];
        let k = fwd.len() as f64;
        for (j, &i) in fwd.iter().enumerate() {
            let spread = if k <= 1.0 { r.w / 2.0 } else { r.w * 0.15 + r.w * 0.7 * j as f64 / (k - 1.0) };
            exits[i] = r.x + spread;
        }
    }
    for (i, e) in graph.edges.iter().enumerate() {
        let (a, b) = (rects[e.from], rects[e.to]);
        let curves = if back[i] || e.from == e.to {
            vec![edge_curve(&a, a.center().x, &b)]
        } else {
            let mut pts = vec![Point::new(exits[i], a.bottom())];
            for &d in &chains[i] {
                let r = vrank[d];
                pts.push(Point::new(x[d], rank_y[r]));
                pts.push(Point::new(x[d], rank_y[r] + rank_h[r]));
            }
            pts.push(Point::new(b.center().x, b.y));
            pts.windows(2).map(|p| vertical_curve(p[0], p[1])).collect()
        };
        edges.push(scene_edge(graph, e, curves, &rects_ids(graph, e)));
    }
    Laid { nodes, edges, w, h }
}

fn rects_ids(graph: &Graph, e: &super::graph::GraphEdge) -> (String, String) {
    (graph.nodes[e.from].id.clone(), graph.nodes[e.to].id.clone())
}

fn scene_edge(graph: &Graph, e: &super::graph::GraphEdge, curves: Vec<Curve>, ids: &(String, String)) -> SceneEdge {
    let label_at = label_point(&curves);
    SceneEdge {
        id: e.id.clone(),
        kind: e.kind,
        label: e.label.clone(),
        source: e.source.clone(),
        field: e.field.clone(),
        scope: graph.scope.clone(),
        from: ids.0.clone(),
        to: ids.1.clone(),
        curves,
        label_at,
    }
}

fn label_point(curves: &[Curve]) -> Point {
    match curves.len() {
        0 => Point::default(),
        1 => curves[0].at(0.5),
        n => curves[(n - 1) / 2].at(1.0),
    }
}

fn vertical_curve(a: Point, b: Point) -> Curve {
    let bend = (b.y - a.y) / 2.0;
    Curve { from: a, c1: Point::new(a.x, a.y + bend), c2: Point::new(b.x, b.y - bend), to: b }
}

fn translate_edge(mut e: SceneEdge, dx: f64, dy: f64) -> SceneEdge {
    for c in &mut e.curves {
        *c = c.translate(dx, dy);
    }
    e.label_at = Point::new(e.label_at.x + dx, e.label_at.y + dy);
    e
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}

/// Centres as close to `desired` as possible (weighted least squares) keeping the order and at
/// least [`NODE_GAP`] between neighbours: isotonic regression by pool-adjacent-violators. Dummy
/// nodes weigh little, so a chain of real states stays straight and long edges make way.
fn align(widths: &[f64], desired: &[f64], weights: &[f64]) -> Vec<f64> {
    let n = widths.len();
    let mut offset = vec![0.0; n];
    for i in 1..n {
        offset[i] = offset[i - 1] + widths[i - 1] / 2.0 + NODE_GAP + widths[i] / 2.0;
    }
    // Blocks of (weighted mean, total weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(n);
    for i in 0..n {
        blocks.push((desired[i] - offset[i], weights[i], 1));
        while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
            let (m2, w2, c2) = blocks.pop().unwrap();
            let (m1, w1, c1) = blocks.pop().unwrap();
            blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2));
        }
    }
    let mut out = Vec::with_capacity(n);
    for (mean, _, count) in blocks {
        for _ in 0..count {
            let i = out.len();
            out.push(mean + offset[i]);
        }
    }
    out
}

/// The scene with the manual positions applied (see [`super::placement`], which also does it
/// change by change).
pub fn place(scene: &Scene, positions: &BTreeMap<String, Point>) -> Scene {
    if positions.is_empty() {
        return scene.clone();
    }
    let mut placement = super::placement::Placement::new(scene.clone());
    placement.apply(positions, None);
    placement.into_scene()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;
    use crate::editor::graph::derive;

    fn scene(text: &str) -> Scene {
        layout(&derive(Document::new("t", text).machine()))
    }

    fn rect<'a>(s: &'a Scene, id: &str) -> &'a Rect {
        &s.node(id).unwrap_or_else(|| panic!("{id}")).rect
    }

    fn overlaps(a: &Rect, b: &Rect) -> bool {
        a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
    }

    #[test]
    fn the_seed_flows_down_without_overlaps() {
        let s = layout(&derive(Document::seed().machine()));
        let order = ["#start", "/States/ValidateInput", "/States/CheckValidation", "/States/ProcessData", "/States/SendNotification", "#end"];
        for w in order.windows(2) {
            assert!(rect(&s, w[0]).bottom() < rect(&s, w[1]).y, "{} above {}", w[0], w[1]);
        }
        for (i, a) in s.nodes.iter().enumerate() {
            for b in &s.nodes[i + 1..] {
                assert!(!overlaps(&a.rect, &b.rect), "{} overlaps {}", a.id, b.id);
            }
        }
        // The straight spine stays straight.
        let cx = |id| rect(&s, id).center().x;
        for w in ["/States/ValidateInput", "/States/CheckValidation", "/States/ProcessData"].windows(2) {
            assert!((cx(w[0]) - cx(w[1])).abs() < 2.0, "{} straight above {}", w[0], w[1]);
        }
        assert_eq!(s.edges.len(), 9);
        assert!(s.edges.iter().all(|e| !e.curves.is_empty()));
    }

    #[test]
    fn loops_point_back_up_and_nested_graphs_sit_inside_their_container() {
        let s = scene(
            r#"{"StartAt":"Poll","States":{"Poll":{"Type":"Wait","Seconds":1,"Next":"Done?"},
               "Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Fan"}],"Default":"Poll"},
               "Fan":{"Type":"Parallel","End":true,"Branches":[
                 {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}},
                 {"StartAt":"C","States":{"C":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"D","States":{"D":{"Type":"Pass","End":true}}}}}}]}}}"#,
        );
        let back = s.edges.iter().find(|e| e.field == EdgeField::Default).unwrap();
        assert!(back.curves[0].to.y < back.curves[0].from.y, "the loop goes back up");
        let fan = *rect(&s, "/States/Fan");
        for id in ["/States/Fan/Branches/0/States/A", "/States/Fan/Branches/1/States/C", "/States/Fan/Branches/1/States/C/ItemProcessor/States/D"] {
            let r = rect(&s, id);
            assert!(fan.contains(Point::new(r.x, r.y)) && fan.contains(Point::new(r.right(), r.bottom())), "{id} in Fan");
        }
        let map = *rect(&s, "/States/Fan/Branches/1/States/C");
        assert!(map.contains(rect(&s, "/States/Fan/Branches/1/States/C/ItemProcessor/States/D").center()));
        assert_eq!(s.node("/States/Fan/Branches/1/States/C/ItemProcessor/States/D").unwrap().depth, 2);
    }

    #[test]
    fn five_hundred_states_lay_out_fast_and_apart() {
        let mut states = Vec::new();
        for i in 0..500 {
            let next = if i % 7 == 3 {
                format!(r#""Type":"Choice","Choices":[{{"Variable":"$.x","NumericEquals":{i},"Next":"S{}"}}],"Default":"S{}""#, (i + 5).min(499), i + 1)
            } else if i == 499 {
                r#""Type":"Succeed""#.to_string()
            } else {
                format!(r#""Type":"Pass","Next":"S{}""#, i + 1)
            };
            states.push(format!(r#""S{i}":{{{next}}}"#));
        }
        let text = format!(r#"{{"StartAt":"S0","States":{{{}}}}}"#, states.join(","));
        let t = std::time::Instant::now();
        let s = scene(&text);
        assert!(t.elapsed().as_millis() < 2000, "layout took {:?}", t.elapsed());
        assert_eq!(s.nodes.len(), 502);
        let mut rects: Vec<&Rect> = s.nodes.iter().map(|n| &n.rect).collect();
        rects.sort_by(|a, b| a.y.total_cmp(&b.y));
        for (i, a) in rects.iter().enumerate() {
            for b in rects[i + 1..].iter().take_while(|b| b.y < a.bottom()) {
                assert!(!overlaps(a, b));
            }
        }
    }

    #[test]
    fn nested_positions_are_relative_to_their_container_and_grow_it() {
        let s = scene(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","End":true}}}]}}}"#,
        );
        let p_id = "/States/P";
        let b_id = "/States/P/Branches/0/States/B";
        let mut positions = BTreeMap::new();
        positions.insert(b_id.to_string(), Point::new(600.0, 300.0));
        let placed = place(&s, &positions);
        let (pr, br) = (*rect(&placed, p_id), *rect(&placed, b_id));
        assert_eq!((br.x - pr.x, br.y - pr.y), (600.0, 300.0));
        assert!(pr.right() >= br.right() && pr.bottom() >= br.bottom(), "the container grew around B");
        assert_eq!(rect(&placed, "/States/P/Branches/0/States/A"), rect(&s, "/States/P/Branches/0/States/A"));
        // The edge A → B was rerouted to B's new place; the container's edge out of it too.
        let ab = placed.edges.iter().find(|e| e.from.ends_with("/A") && e.to == b_id).expect("A → B");
        assert!(ab.curves.last().unwrap().to.y >= br.y - 1.0);
        // Moving the container takes B along, relative position kept.
        positions.insert(p_id.to_string(), Point::new(pr.x + 100.0, pr.y + 50.0));
        let moved = place(&s, &positions);
        let (pr2, br2) = (*rect(&moved, p_id), *rect(&moved, b_id));
        assert_eq!((pr2.x, pr2.y), (pr.x + 100.0, pr.y + 50.0));
        assert_eq!((br2.x - pr2.x, br2.y - pr2.y), (600.0, 300.0));
        // A position above or left of the body is kept inside it.
        positions.insert(b_id.to_string(), Point::new(-50.0, -50.0));
        let clamped = place(&s, &positions);
        assert!(rect(&clamped, b_id).y > rect(&clamped, p_id).y && rect(&clamped, b_id).x >= rect(&clamped, p_id).x);
    }

    #[test]
    fn manual_positions_move_a_node_its_children_and_its_edges() {
        let s = layout(&derive(Document::seed().machine()));
        let mut positions = BTreeMap::new();
        positions.insert("/States/HandleError".to_string(), Point::new(900.0, 40.0));
        let p = place(&s, &positions);
        assert_eq!((p.node("/States/HandleError").unwrap().rect.x, p.node("/States/HandleError").unwrap().rect.y), (900.0, 40.0));
        let into = p.edges.iter().find(|e| e.to == "/States/HandleError" && e.field == EdgeField::Default).unwrap();
        assert!(into.curves[0].to.x >= 900.0);
        assert_eq!(p.node("/States/ProcessData"), s.node("/States/ProcessData"));
    }

    #[test]
    fn align_keeps_order_and_spacing() {
        let placed = align(&[100.0, 100.0, 100.0], &[0.0, 0.0, 500.0], &[1.0, 1.0, 1.0]);
        assert!(placed[1] - placed[0] >= 100.0 + NODE_GAP - 1e-9);
        assert!((placed[2] - 500.0).abs() < 1e-9);
        assert!((placed[0] + placed[1]).abs() < 1e-9, "the pair centres on its wish: {placed:?}");
        let light = align(&[10.0, 100.0], &[0.0, 0.0], &[0.01, 1.0]);
        assert!(light[1].abs() < 1.0, "the heavy node keeps its place: {light:?}");
    }

    #[test]
    fn edges_near_a_point_are_found_for_drops() {
        let s = layout(&derive(Document::seed().machine()));
        let e = s.edges.iter().find(|e| e.from == "/States/ProcessData" && e.to == "/States/SendNotification").unwrap();
        let hit = s.edge_at(e.curves[0].at(0.5), 12.0).unwrap();
        assert_eq!(hit.id, e.id);
        assert!(s.edge_at(Point::new(-500.0, -500.0), 12.0).is_none());
    }

    #[test]
    fn a_change_of_words_keeps_the_layout_and_a_change_of_shape_lays_out_again() {
        let graph = |text: &str| derive(Document::new("t", text).machine());
        let seed = crate::seed::ORDER_WORKFLOW;
        let (g0, s0) = { let g = graph(seed); let s = layout(&g); (g, s) };
        // Words: a resource and a rule's value. Same as laying out from scratch, and reworded.
        let words = seed.replace("function:ProcessData", "function:Other").replace("\"BooleanEquals\": true", "\"BooleanEquals\": false");
        let g1 = graph(&words);
        let s1 = relayout(Some((&g0, &s0)), &g1);
        assert_eq!(s1, layout(&g1));
        assert_eq!(s1.node("/States/ProcessData").unwrap().summary, "λ Other");
        assert!(s1.edges.iter().any(|e| e.label.as_deref() == Some("$.isValid == false")));
        // Shape: a rename changes ids and edges; the result is a fresh layout, not the old one reworded.
        let g2 = graph(&seed.replace("SendNotification", "Notify"));
        let s2 = relayout(Some((&g0, &s0)), &g2);
        assert_eq!(s2, layout(&g2));
        assert!(s2.node("/States/Notify").is_some() && s2.node("/States/SendNotification").is_none());
        assert!(!same_shape(&g0, &g2));
    }

    #[test]
    fn fingerprints_tell_apart_what_is_drawn_differently() {
        let s0 = scene(crate::seed::ORDER_WORKFLOW);
        let mut s1 = s0.clone();
        s1.nodes[3].rect.x += 1.0;
        s1.edges[2].curves[0].c1.y += 0.5;
        let same = |a: &Scene, b: &Scene| -> (usize, usize) {
            (
                a.nodes.iter().zip(&b.nodes).filter(|(x, y)| x.fingerprint() == y.fingerprint()).count(),
                a.edges.iter().zip(&b.edges).filter(|(x, y)| x.fingerprint() == y.fingerprint()).count(),
            )
        };
        assert_eq!(same(&s0, &s1), (s0.nodes.len() - 1, s0.edges.len() - 1));
        s1.nodes[4].info.summary.push('!');
        assert_eq!(same(&s0, &s1).0, s0.nodes.len() - 2);
    }

    #[test]
    fn looks_ignore_where_a_thing_is_drawn_and_index_finds_each_item() {
        let s0 = scene(crate::seed::ORDER_WORKFLOW);
        let mut s1 = place(&s0, &BTreeMap::from([("/States/ProcessData".to_string(), Point::new(900.0, 40.0))]));
        let moved = |a: &Scene, b: &Scene| a.edges.iter().zip(&b.edges).filter(|(x, y)| x.fingerprint() != y.fingerprint()).count();
        assert!(moved(&s0, &s1) > 0, "the move reroutes the node's edges");
        assert!(s0.nodes.iter().zip(&s1.nodes).all(|(x, y)| x.look() == y.look()));
        assert!(s0.edges.iter().zip(&s1.edges).all(|(x, y)| x.look() == y.look()));
        s1.nodes[2].info.label.push('!');
        s1.edges[1].to.push('!');
        assert_ne!(s0.nodes[2].look(), s1.nodes[2].look());
        assert_ne!(s0.edges[1].look(), s1.edges[1].look());
        let (nodes, edges) = s0.index();
        assert!(s0.nodes.iter().enumerate().all(|(i, n)| nodes[&n.id] == i));
        assert!(s0.edges.iter().enumerate().all(|(i, e)| edges[&e.id] == i));
    }
}
