//! Layered auto-layout (Sugiyama), one phase a function: [`sizes`] (nodes sized to their names
//! by the text model, containers to their branches), [`back_edges`] (loops turned back),
//! [`ranks`] (longest path made tight by network simplex, see [`simplex`]; a labelled edge spans
//! two ranks, its label in between; far edges into
//! a target many states share drawn as references to it, see [`refs`]),
//! [`dummies`] (long edges split, a label riding on its edge's middle dummy), [`ordering`]
//! (crossings reduced, see [`order`]), [`place_across`] (isotonic regression: each node as close
//! to its neighbours as order and spacing allow), [`place_along`] (ranks and gaps), [`route`]
//! (edge curves; a machine far longer than wide wrapped into bands side by side, see [`wrap`]),
//! then, over the whole scene, [`labels::place_labels`] (no label on a node or on
//! another label). Parallel branches and Map processors are laid out on their own and become
//! containers. The layers run top down or left to right ([`Direction`]).
//!
//! Then [`place`] applies the manual positions and reroutes the edges they move.

mod labels;
mod order;
mod refs;
mod simplex;
mod wrap;

pub use labels::{label_overlaps, overlap};

use super::geometry::{Curve, Point, Rect, edge_curve};
use super::graph::{EdgeField, EdgeKind, Graph, NodeInfo, NodeKind};
use crate::asl::model::StateMachine;
use super::scope::{Scope, StateRef};
use super::text;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

pub const NODE_W: f64 = 208.0;
pub const NODE_H: f64 = 58.0;
pub const MARKER_W: f64 = 76.0;
pub const MARKER_H: f64 = 28.0;
const DUMMY_W: f64 = 12.0;
const RANK_GAP: f64 = 64.0;
/// How far a reference's stub runs from its source before its label.
const STUB: f64 = 18.0;
const NODE_GAP: f64 = 36.0;
/// Between two long edges side by side (their dummies): a bundle of edges passing a chain takes
/// little room, as dagre's `edgesep` keeps it, so that the machine is not widened by its long
/// Catches and End edges.
const EDGE_GAP: f64 = 14.0;
/// A container's padding around its branches.
pub(super) const PAD: f64 = 18.0;
/// A container's head, above its branches.
pub(super) const HEAD: f64 = 40.0;
const BRANCH_GAP: f64 = 24.0;
/// How hard a label and a long edge's dummy keep their place against a node (which weighs 1)
/// when x is placed: a chain of states stays straight and the edges beside it make way.
const LABEL_WEIGHT: f64 = 0.001;
const DUMMY_WEIGHT: f64 = 0.00001;
/// The exchanges network simplex may make at least (a graph's node count when larger).
const SIMPLEX_BUDGET: usize = 200;
/// A layered graph with more vertices (nodes and dummies) than this is ordered from one start.
const BIG: usize = 2500;

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
    /// The name as drawn, line by line (wrapped to fit the node's width).
    pub lines: Vec<String>,
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
    /// The target's name when the edge is drawn as a short stub ending in a reference to its
    /// target instead of a line to it (see [`refs`]).
    pub reference: Option<String>,
}

impl SceneEdge {
    /// The text of the label's box: the edge's label, and for a reference its target's name.
    pub fn label_text(&self) -> Option<String> {
        match (&self.label, &self.reference) {
            (Some(l), Some(r)) => Some(format!("{l} → {r}")),
            (None, Some(r)) => Some(format!("→ {r}")),
            (l, None) => l.clone(),
        }
    }
    /// Whether the edge has a label's box.
    pub fn has_label(&self) -> bool {
        self.label.is_some() || self.reference.is_some()
    }
    /// The size of the label's box, when the edge has a label.
    pub fn label_size(&self) -> Option<(f64, f64)> {
        self.label_text().as_deref().map(label_size)
    }
    /// The label's box, centred on [`Self::label_at`].
    pub fn label_rect(&self) -> Option<Rect> {
        let (w, h) = self.label_size()?;
        Some(Rect::new(self.label_at.x - w / 2.0, self.label_at.y - h / 2.0, w, h))
    }
    /// The SVG path data.
    pub fn svg(&self) -> String {
        crate::editor::geometry::path_svg(&self.curves)
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
    /// The height of the head: a container's, above its branches; a state's whole box.
    pub fn head_height(&self) -> f64 {
        if self.container { head_for(self.lines.len()) } else { self.rect.h }
    }
    /// Equal for two nodes drawn alike.
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.info.label, &self.info.summary, self.info.is_start, self.info.is_end, self.container, self.depth).hash(&mut h);
        hash_points(&mut h, [self.rect.x, self.rect.y, self.rect.w, self.rect.h]);
        h.finish()
    }
    /// Equal for two nodes drawn alike wherever they are and whatever their summary says: what
    /// the canvas keys a node's element by, so that a move restyles the element and a keystroke
    /// in its summary rewrites that line (its cell, see `ui::scene`) instead of replacing it.
    pub fn look(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.info.label, self.info.kind, self.info.is_start, self.info.is_end, self.container, self.depth).hash(&mut h);
        h.finish()
    }
}

impl SceneEdge {
    /// Equal for two edges drawn alike.
    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.label, &self.reference, self.kind).hash(&mut h);
        for c in &self.curves {
            hash_points(&mut h, [c.from.x, c.from.y, c.c1.x, c.c1.y, c.c2.x, c.c2.y, c.to.x, c.to.y]);
        }
        hash_points(&mut h, [self.label_at.x, self.label_at.y]);
        h.finish()
    }
    /// Equal for two edges drawn alike wherever they run (the canvas updates the path alone).
    pub fn look(&self) -> u64 {
        let mut h = DefaultHasher::new();
        (&self.label, &self.reference, self.kind, &self.from, &self.to).hash(&mut h);
        h.finish()
    }
}

/// Everything the canvas draws.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub nodes: Vec<SceneNode>,
    pub edges: Vec<SceneEdge>,
    pub bounds: Rect,
    /// Which way the layers run.
    pub direction: Direction,
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

/// Which way the layers run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Direction {
    /// Start at the top, ranks one under the other (the edges run down).
    #[default]
    TopDown,
    /// Start at the left, ranks side by side (the edges run right).
    LeftRight,
}

impl Direction {
    /// A point of the layers' own space (across the ranks, along them) on the canvas.
    pub fn point(self, across: f64, along: f64) -> Point {
        match self {
            Direction::TopDown => Point::new(across, along),
            Direction::LeftRight => Point::new(along, across),
        }
    }
    /// A box of the layers' space on the canvas.
    pub fn rect(self, r: Rect) -> Rect {
        match self {
            Direction::TopDown => r,
            Direction::LeftRight => Rect::new(r.y, r.x, r.h, r.w),
        }
    }
    /// A canvas size (w, h) in the layers' space (across, along).
    fn size(self, w: f64, h: f64) -> (f64, f64) {
        match self {
            Direction::TopDown => (w, h),
            Direction::LeftRight => (h, w),
        }
    }
    pub fn curve(self, c: Curve) -> Curve {
        let p = |q: Point| self.point(q.x, q.y);
        Curve { from: p(c.from), c1: p(c.c1), c2: p(c.c2), to: p(c.to) }
    }
}

/// A graph laid out in its own coordinates (on the canvas: already turned to its direction).
struct Laid {
    nodes: Vec<SceneNode>,
    edges: Vec<SceneEdge>,
    w: f64,
    h: f64,
}

/// Lays out the graph of a whole machine, top down.
pub fn layout(graph: &Graph) -> Scene {
    layout_in(graph, Direction::TopDown)
}

/// Lays out the graph of a whole machine in `direction`: the layers, then the labels.
pub fn layout_in(graph: &Graph, direction: Direction) -> Scene {
    let mut laid = lay(graph, 0, direction);
    labels::place_labels(&laid.nodes, &mut laid.edges);
    for e in laid.edges.iter_mut().filter(|e| e.reference.is_some()) {
        aim_reference(e, direction);
    }
    let bounds = bounds_of(&laid.nodes, &laid.edges);
    Scene { nodes: laid.nodes, edges: laid.edges, bounds, direction }
}

/// The layout of `graph`, given `prev`: an earlier graph and its layout. When only words changed
/// (a resource, a rule's text; what typing inside a state does) and no label changed size, the
/// positions are kept and the words replaced, which is what [`layout_in`] would give, without
/// laying out again.
pub fn relayout(prev: Option<(&Graph, &Scene)>, graph: &Graph) -> Scene {
    relayout_in(prev, graph, Direction::TopDown)
}

/// [`relayout`] in `direction`.
pub fn relayout_in(prev: Option<(&Graph, &Scene)>, graph: &Graph, direction: Direction) -> Scene {
    prev.and_then(|prev| reword_in(prev, graph, direction)).unwrap_or_else(|| layout_in(graph, direction))
}

/// `prev`'s layout with the words of `graph`, when only words changed (see [`relayout`]); None
/// when `graph` must be laid out again. A view that gets Some redraws only the words that
/// changed (see `Placement::reword`).
pub fn reword_in((old, scene): (&Graph, &Scene), graph: &Graph, direction: Direction) -> Option<Scene> {
    (scene.direction == direction && same_shape(old, graph)).then(|| reword(scene, graph))
}

/// An edit confined to the top-level state `index` of `root` (a keystroke inside it: see
/// `Document::touched_state`): `graph`, the graph before the edit, and `scene`, laid out from it,
/// take that state's new words in place. The same as deriving the whole graph again and
/// [`reword_in`], without deriving the other states again nor copying the scene. False, both
/// left as they were, when the state's node or its edges changed otherwise than in words (the
/// caller derives and lays out again).
pub fn reword_state_in(graph: &mut Graph, scene: &mut Scene, root: &StateMachine, index: usize) -> bool {
    let at = index + 2;
    if graph.nodes.len() != root.states.len() + 2 || !graph.scope.is_empty() {
        return false;
    }
    let Some((node, edges)) = super::graph::derive_top_state(root, index) else { return false };
    let old = &graph.nodes[at];
    // The state's edges follow one another in the graph (see `graph::derive`).
    let first = graph.edges.iter().position(|e| e.from == at).unwrap_or(0);
    let count = graph.edges[first..].iter().take_while(|e| e.from == at).count();
    let size = |l: &Option<String>| l.as_deref().map(label_size);
    let same = old.id == node.id
        && old.kind == node.kind
        && old.label == node.label
        && old.state == node.state
        && old.is_start == node.is_start
        && old.is_end == node.is_end
        && old.children.len() == node.children.len()
        && old.children.iter().zip(&node.children).all(|(p, q)| same_shape(p, q))
        && count == edges.len()
        && graph.edges[first..first + count].iter().zip(&edges).all(|(x, y)| {
            x.id == y.id && x.from == y.from && x.to == y.to && x.kind == y.kind && x.field == y.field && x.source == y.source && size(&x.label) == size(&y.label)
        });
    if !same {
        return false;
    }
    // The new words of the node, its nested nodes and all their edges, by id.
    fn collect<'g>(n: &'g super::graph::GraphNode, nodes: &mut HashMap<&'g str, &'g NodeInfo>, edges: &mut HashMap<&'g str, &'g Option<String>>) {
        nodes.insert(&n.id, &n.info);
        for g in &n.children {
            g.nodes.iter().for_each(|c| collect(c, nodes, edges));
            edges.extend(g.edges.iter().map(|e| (e.id.as_str(), &e.label)));
        }
    }
    let (mut words, mut labels) = (HashMap::new(), HashMap::new());
    collect(&node, &mut words, &mut labels);
    labels.extend(edges.iter().map(|e| (e.id.as_str(), &e.label)));
    for n in &mut scene.nodes {
        if let Some(info) = words.get(n.id.as_str())
            && n.info != **info
        {
            n.info = (*info).clone();
        }
    }
    for e in &mut scene.edges {
        if let Some(label) = labels.get(e.id.as_str())
            && e.label != **label
        {
            e.label = (*label).clone();
        }
    }
    graph.nodes[at] = node;
    graph.edges.splice(first..first + count, edges);
    true
}

/// Whether two graphs have the same nodes (ids, kinds, nesting) and the same edges, with labels
/// of the same size.
fn same_shape(a: &Graph, b: &Graph) -> bool {
    let size = |l: &Option<String>| l.as_deref().map(label_size);
    a.nodes.len() == b.nodes.len()
        && a.edges.len() == b.edges.len()
        && a.nodes.iter().zip(&b.nodes).all(|(x, y)| {
            x.id == y.id
                && x.kind == y.kind
                && x.label == y.label
                && x.children.len() == y.children.len()
                && x.children.iter().zip(&y.children).all(|(p, q)| same_shape(p, q))
        })
        && a.edges.iter().zip(&b.edges).all(|(x, y)| x.id == y.id && x.from == y.from && x.to == y.to && x.kind == y.kind && size(&x.label) == size(&y.label))
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

/// What holds every node, edge and label.
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
        if let Some(r) = e.label_rect() {
            b = b.union(&r);
        }
    }
    b
}

/// What a state's node needs beside its name (`.node-head` in the stylesheet): the borders
/// (4 + 1), the padding (2 × 9), the kind's icon (26) and its gap (8), and room for a problem
/// badge (28 and its gap of 8), plus a pixel.
pub const CHROME: f64 = 94.0;
/// The widest a state's node grows for its name before the name wraps.
pub const MAX_NODE_W: f64 = 340.0;

/// The box (w, h) of an edge label's text, as [`SceneEdge::label_rect`] draws it: the text, the
/// padding and border of `.edge-label`, rounded up to 8 px (so that typing in a rule rarely
/// changes the layout).
pub fn label_size(text: &str) -> (f64, f64) {
    let w = text::LABEL_FONT.width(text) + 2.0 * 8.0 + 2.0 + 4.0;
    ((w / 8.0).ceil() * 8.0, LABEL_H)
}
/// An edge label's height: a 14 px line, 1 px of padding and of border above and below, 2 px kept.
pub const LABEL_H: f64 = 20.0;

/// A state's name in lines that fit its node, and the node's width: one line as wide as it
/// needs (at least [`NODE_W`]), else wrapped at words to fit [`MAX_NODE_W`].
pub fn name_lines(name: &str) -> (Vec<String>, f64) {
    let lines = text::wrap(text::NAME_FONT, name, MAX_NODE_W - CHROME);
    let w = (CHROME + text::widest(text::NAME_FONT, &lines)).ceil().max(NODE_W);
    (lines, w)
}

/// The height of a container's head holding `lines` lines of name.
pub fn head_for(lines: usize) -> f64 {
    HEAD + text::NAME_LINE * lines.saturating_sub(1) as f64
}

/// One node's size on the canvas, the lines of its name, and (containers) its head's height.
#[derive(Debug, Clone, PartialEq)]
struct Sized {
    w: f64,
    h: f64,
    lines: Vec<String>,
}

/// Phase 1, sizes: each node's box from its name (and, for a container, from its branches, laid
/// out first, side by side top down, one under the other left to right).
fn sizes(graph: &Graph, depth: usize, dir: Direction) -> (Vec<Sized>, Vec<Vec<Laid>>) {
    let mut inner = Vec::with_capacity(graph.nodes.len());
    let mut out = Vec::with_capacity(graph.nodes.len());
    for node in &graph.nodes {
        let kids: Vec<Laid> = node.children.iter().map(|g| lay(g, depth + 1, dir)).collect();
        out.push(match node.kind {
            NodeKind::Start | NodeKind::End => Sized { w: MARKER_W, h: MARKER_H, lines: vec![node.label.clone()] },
            NodeKind::State(_) if node.children.is_empty() => {
                let (lines, w) = name_lines(&node.label);
                let h = NODE_H + text::NAME_LINE * (lines.len() - 1) as f64;
                Sized { w, h, lines }
            }
            NodeKind::State(_) => {
                let (lines, name_w) = name_lines(&node.label);
                let gaps = BRANCH_GAP * kids.len().saturating_sub(1) as f64;
                let (w, h) = match dir {
                    Direction::TopDown => (kids.iter().map(|k| k.w).sum::<f64>() + gaps, kids.iter().map(|k| k.h).fold(0.0, f64::max)),
                    Direction::LeftRight => (kids.iter().map(|k| k.w).fold(0.0, f64::max), kids.iter().map(|k| k.h).sum::<f64>() + gaps),
                };
                Sized { w: (w + 2.0 * PAD).max(name_w), h: head_for(lines.len()) + h.max(20.0) + PAD, lines }
            }
        });
        inner.push(kids);
    }
    (out, inner)
}

/// How an edge runs through the layers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Down the layers (or onto its own node).
    Down,
    /// Closing a loop: it climbs back.
    Back,
    /// A far edge into a shared target, drawn as a stub ending in a reference (see [`refs`]).
    Reference,
}

/// Phase 2, back edges: the edges that close a loop ([`Role::Back`]), found by a depth-first
/// search from Start (then from anything not reached, End last); and the order the search
/// discovered the nodes in.
fn back_edges(graph: &Graph) -> (Vec<Role>, Vec<usize>) {
    let n = graph.nodes.len();
    let out = out_edges(graph);
    let mut back = vec![Role::Down; graph.edges.len()];
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
                    1 => back[ei] = Role::Back,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    (back, discovery)
}

/// Each node's edges out, in edge order.
fn out_edges(graph: &Graph) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for (i, e) in graph.edges.iter().enumerate() {
        out[e.from].push(i);
    }
    out
}

/// Whether an edge goes down the layers (not a loop back, not onto its own node).
fn forward(graph: &Graph, role: &[Role], i: usize) -> bool {
    role[i] == Role::Down && graph.edges[i].from != graph.edges[i].to
}

/// The upper and the lower end of the chain of dummies an edge threads through the ranks: a
/// forward edge's source and target; a loop's target and source (so that the ordering sees it,
/// as dagre does by reversing it). None for an edge onto its own node (drawn swinging out) and for
/// a reference (a stub under its source).
fn threaded(graph: &Graph, role: &[Role], rank: &[usize], i: usize) -> Option<(usize, usize)> {
    let e = &graph.edges[i];
    if forward(graph, role, i) {
        Some((e.from, e.to))
    } else if role[i] == Role::Back && e.from != e.to && rank[e.from] > rank[e.to] {
        Some((e.to, e.from))
    } else {
        None
    }
}

/// Phase 3, ranks: the longest path over the forward edges, in topological order; a labelled
/// edge spans two ranks at least (its label gets the rank between), and End is last.
fn ranks(graph: &Graph, role: &[Role]) -> Vec<usize> {
    let n = graph.nodes.len();
    let out = out_edges(graph);
    let mut rank = vec![0usize; n];
    let mut indeg = vec![0usize; n];
    for (i, e) in graph.edges.iter().enumerate() {
        if forward(graph, role, i) {
            indeg[e.to] += 1;
        }
    }
    let mut queue: Vec<usize> = (0..n).filter(|&i| indeg[i] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &ei in &out[v] {
            if !forward(graph, role, ei) {
                continue;
            }
            let e = &graph.edges[ei];
            let span = if e.label.is_some() { 2 } else { 1 };
            rank[e.to] = rank[e.to].max(rank[v] + span);
            indeg[e.to] -= 1;
            if indeg[e.to] == 0 {
                queue.push(e.to);
            }
        }
    }
    tighten(graph, role, &mut rank);
    if n > 1 {
        rank[1] = (0..n).filter(|&i| i != 1).map(|i| rank[i]).max().unwrap_or(0) + 1;
    }
    rank
}

/// Phase 3's second step: the longest path's ranks made tight by network simplex (see
/// [`simplex`]): the forward edges and the loops (turned around: a loop's target stays above its
/// source) as short as their minimum lengths allow, in total.
fn tighten(graph: &Graph, role: &[Role], rank: &mut [usize]) {
    let constraints: Vec<simplex::Constraint> = (0..graph.edges.len())
        .filter_map(|i| {
            let e = &graph.edges[i];
            if forward(graph, role, i) {
                let minlen = if e.label.is_some() { 2 } else { 1 };
                Some(simplex::Constraint { from: e.from, to: e.to, minlen, weight: 1.0 })
            } else if role[i] == Role::Back && rank[e.from] > rank[e.to] {
                Some(simplex::Constraint { from: e.to, to: e.from, minlen: 1, weight: 1.0 })
            } else {
                None
            }
        })
        .collect();
    simplex::tighten(rank, &constraints, SIMPLEX_BUDGET.max(graph.nodes.len()));
}

/// Phase 3b, references: the far edges into a target many states share become
/// [`Role::Reference`] (see [`refs`]), and the ranks are taken again without them (the target
/// comes up to its nearest source). The ranks as they stand.
fn references(graph: &Graph, role: &mut [Role], rank: Vec<usize>) -> Vec<usize> {
    let down: Vec<Option<(usize, usize)>> = (0..graph.edges.len()).map(|i| forward(graph, role, i).then(|| (graph.edges[i].from, graph.edges[i].to))).collect();
    let far = refs::references(&down, &rank);
    if !far.contains(&true) {
        return rank;
    }
    for (r, _) in role.iter_mut().zip(&far).filter(|(_, f)| **f) {
        *r = Role::Reference;
    }
    ranks(graph, role)
}

/// The layered graph: the nodes, then one dummy vertex per rank crossed by a long forward edge,
/// so that every edge joins adjacent ranks. Sizes are in the layers' space (across, along).
#[derive(Debug, Clone)]
struct Layered {
    /// How many of the vertices are the graph's nodes (the first ones).
    real: usize,
    across: Vec<f64>,
    along: Vec<f64>,
    rank: Vec<usize>,
    preds: Vec<Vec<usize>>,
    succs: Vec<Vec<usize>>,
    /// Each edge's dummies, from its source down.
    chains: Vec<Vec<usize>>,
    /// The dummy carrying each labelled forward edge's label.
    label_dummy: Vec<Option<usize>>,
    /// How hard a vertex keeps its place when x is placed: nodes 1, labels less, dummies little.
    weight: Vec<f64>,
}

/// Phase 4, dummies: the layered graph of `graph` ranked by `rank` (each long forward edge and
/// each long loop split, see [`threaded`]). A labelled edge's middle dummy is as big as its label.
fn dummies(graph: &Graph, role: &[Role], rank: &[usize], sizes: &[Sized], dir: Direction) -> Layered {
    let n = graph.nodes.len();
    let (across, along): (Vec<f64>, Vec<f64>) = sizes.iter().map(|s| dir.size(s.w, s.h)).unzip();
    let mut l = Layered {
        real: n,
        across,
        along,
        rank: rank.to_vec(),
        preds: vec![Vec::new(); n],
        succs: vec![Vec::new(); n],
        chains: vec![Vec::new(); graph.edges.len()],
        label_dummy: vec![None; graph.edges.len()],
        weight: vec![1.0; n],
    };
    for (i, e) in graph.edges.iter().enumerate() {
        let Some((top, bottom)) = threaded(graph, role, rank, i) else { continue };
        let (lo, hi) = (rank[top], rank[bottom]);
        let middle = lo + (hi - lo) / 2;
        let mut prev = top;
        for r in lo + 1..hi {
            let d = l.across.len();
            let labelled = e.label.as_deref().filter(|_| r == middle);
            let (a, b) = match labelled {
                Some(text) => {
                    let (w, h) = label_size(text);
                    dir.size(w, h)
                }
                None => (DUMMY_W, 0.0),
            };
            l.across.push(a);
            l.along.push(b);
            l.rank.push(r);
            l.preds.push(vec![prev]);
            l.succs.push(Vec::new());
            l.weight.push(if labelled.is_some() { LABEL_WEIGHT } else { DUMMY_WEIGHT });
            if labelled.is_some() {
                l.label_dummy[i] = Some(d);
            }
            l.chains[i].push(d);
            l.succs[prev].push(d);
            prev = d;
        }
        l.succs[prev].push(bottom);
        l.preds[bottom].push(prev);
    }
    l
}

/// Phase 5, ordering: each rank's vertices in the order the search met them (a dummy right after
/// the node its edge leaves), and two other starts, each with its crossings reduced (see
/// [`order`]); the order with the fewest crossings.
fn ordering(graph: &Graph, l: &Layered, discovery: &[usize]) -> Vec<Vec<usize>> {
    let total = l.across.len();
    let ranks = l.rank.iter().copied().max().unwrap_or(0) + 1;
    let out = out_edges(graph);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    let mut seen = vec![false; total];
    for &v in discovery {
        if !seen[v] {
            layers[l.rank[v]].push(v);
            seen[v] = true;
        }
        for &d in out[v].iter().flat_map(|&ei| &l.chains[ei]) {
            if !seen[d] {
                seen[d] = true;
                layers[l.rank[d]].push(d);
            }
        }
    }
    for v in 0..total {
        if !seen[v] {
            layers[l.rank[v]].push(v);
        }
    }
    // Other starting points: each rank mirrored, and dagre's (a depth-first walk down the
    // layered graph, from the vertices in rank order). The best result wins; the first on a tie.
    // (A big graph, thousands of dummies, keeps to the first: each start costs as much again.)
    if total > BIG {
        return order::best_of(vec![layers], &l.preds, &l.succs);
    }
    let mirrored: Vec<Vec<usize>> = layers.iter().map(|r| r.iter().rev().copied().collect()).collect();
    let walked = order::walk(&l.rank, &l.succs, ranks);
    order::best_of(vec![layers, walked, mirrored], &l.preds, &l.succs)
}

/// Phase 6, across: each vertex's centre across the ranks. Packed, then each rank in turn pulls
/// its vertices toward their neighbours (the median of the rank before) without breaking order
/// or spacing; then shifted to start at 0.
fn place_across(l: &Layered, layers: &[Vec<usize>]) -> Vec<f64> {
    let total = l.across.len();
    let mut x = vec![0.0f64; total];
    for layer in layers {
        let mut cursor = 0.0;
        for &v in layer {
            x[v] = cursor + l.across[v] / 2.0;
            cursor += l.across[v] + NODE_GAP;
        }
    }
    let ranks = layers.len();
    // (41 passes over every vertex: the buffers are kept from rank to rank, not made per vertex.)
    let mut near: Vec<f64> = Vec::new();
    let (mut desired, mut weights, mut widths) = (Vec::new(), Vec::new(), Vec::new());
    let mut work = Align::default();
    for pass in 0..41 {
        let down = pass % 2 == 0;
        for step in 0..ranks {
            let r = if down { step } else { ranks - 1 - step };
            let layer = &layers[r];
            desired.clear();
            for &v in layer {
                let nb = || l.preds[v].iter().chain(&l.succs[v]);
                // A dummy (a long edge's, a label's) sits between its two neighbours, so that
                // it leans on neither end's straight chain.
                if v >= l.real {
                    let count = l.preds[v].len() + l.succs[v].len();
                    desired.push(nb().map(|&u| x[u]).sum::<f64>() / count.max(1) as f64);
                    continue;
                }
                // A node sits at the median of its neighbours on both sides, nodes and labels
                // (the dummies of long edges only when it has nothing else).
                near.clear();
                near.extend(nb().filter(|&&u| l.weight[u] >= LABEL_WEIGHT).map(|&u| x[u]));
                if near.is_empty() {
                    near.extend(nb().map(|&u| x[u]));
                }
                desired.push(if near.is_empty() { x[v] } else { median_of(&mut near) });
            }
            weights.clear();
            weights.extend(layer.iter().map(|&v| l.weight[v]));
            widths.clear();
            widths.extend(layer.iter().map(|&v| l.across[v]));
            for (&v, &p) in layer.iter().zip(work.run(&widths, &desired, &weights)) {
                x[v] = p;
            }
        }
    }
    let min_left = (0..total).map(|v| x[v] - l.across[v] / 2.0).fold(f64::INFINITY, f64::min);
    let shift = if min_left.is_finite() { -min_left } else { 0.0 };
    x.iter_mut().for_each(|v| *v += shift);
    x
}

/// Phase 7, along: where each rank starts and how deep it is. A rank holding only dummies and
/// labels is as deep as its biggest label, with half the gap on either side.
fn place_along(l: &Layered, layers: &[Vec<usize>]) -> (Vec<f64>, Vec<f64>) {
    let ranks = layers.len();
    let depth: Vec<f64> = layers.iter().map(|layer| layer.iter().map(|&v| l.along[v]).fold(8.0, f64::max)).collect();
    let real: Vec<bool> = layers.iter().map(|layer| layer.iter().any(|&v| v < l.real)).collect();
    let mut start = vec![0.0f64; ranks];
    let mut y = 0.0;
    for r in 0..ranks {
        if r > 0 {
            y += if real[r - 1] && real[r] { RANK_GAP } else { RANK_GAP / 2.0 };
        }
        start[r] = y;
        y += depth[r];
    }
    (start, depth)
}

/// Phase 8, routes: each edge's curves in the layers' space, through its dummies. An edge meets
/// the upper node of its chain on that node's far side and the lower one on its near side (a
/// forward edge leaves its source's bottom for its target's top; a loop climbs out of its
/// source's top into its target's bottom). Each side's edges are spread across it in the order
/// of where they go next, so that they do not cross there; an edge onto its own node swings out
/// beside it; a reference leaves its source's far side on the right of the others, for a short
/// stub.
fn route(graph: &Graph, role: &[Role], l: &Layered, x: &[f64], boxes: &[Rect], start: &[f64], depth: &[f64], wrap: &wrap::Wrap) -> Vec<Vec<Curve>> {
    let m = graph.edges.len();
    let ends: Vec<Option<(usize, usize)>> = (0..m).map(|i| threaded(graph, role, &l.rank, i)).collect();
    // For each node, its far side's edges (with the x of the vertex each goes to next), its near
    // side's, and its references.
    let mut far: Vec<Vec<(f64, usize)>> = vec![Vec::new(); graph.nodes.len()];
    let mut near: Vec<Vec<(f64, usize)>> = vec![Vec::new(); graph.nodes.len()];
    let mut stubs: Vec<Vec<(f64, usize)>> = vec![Vec::new(); graph.nodes.len()];
    for (i, end) in ends.iter().enumerate() {
        let Some((top, bottom)) = *end else {
            if role[i] == Role::Reference {
                stubs[graph.edges[i].from].push((i as f64, i));
            }
            continue;
        };
        let below = l.chains[i].first().map_or(boxes[bottom].center().x, |&d| x[d]);
        let above = l.chains[i].last().map_or(boxes[top].center().x, |&d| x[d]);
        far[top].push((below, i));
        near[bottom].push((above, i));
    }
    // Spread over the part (lo, hi) of each node's side; one edge alone at `one`.
    let spread = |sides: &mut Vec<Vec<(f64, usize)>>, port: &mut Vec<f64>, part: &dyn Fn(usize) -> (f64, f64, f64)| {
        for (v, side) in sides.iter_mut().enumerate() {
            crate::asl::sort::sort_by(side, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let (r, k) = (boxes[v], side.len());
            let (lo, hi, one) = part(v);
            for (j, &(_, i)) in side.iter().enumerate() {
                port[i] = r.x + r.w * if k <= 1 { one } else { lo + (hi - lo) * j as f64 / (k - 1) as f64 };
            }
        }
    };
    let (mut far_x, mut near_x) = (vec![0.0; m], vec![0.0; m]);
    // A node with references keeps its right part for them (its one edge down stays centred).
    let has_stubs: Vec<bool> = stubs.iter().map(|s| !s.is_empty()).collect();
    spread(&mut far, &mut far_x, &|v| if has_stubs[v] { (0.1, 0.6, 0.5) } else { (0.15, 0.85, 0.5) });
    spread(&mut near, &mut near_x, &|_| (0.15, 0.85, 0.5));
    spread(&mut stubs, &mut far_x, &|_| (0.72, 0.92, 0.8));
    // Each gutter's connectors, in the order they leave their band (see `wrap::Wrap::connector`).
    let lanes: Vec<Vec<usize>> = (0..wrap.bands().saturating_sub(1))
        .map(|g| {
            let c = wrap.after(g);
            let mut leaving: Vec<(f64, usize)> = (0..m)
                .filter_map(|i| {
                    let (top, bottom) = ends[i]?;
                    let (rt, rb) = (l.rank[top], l.rank[bottom]);
                    (rt < c && c <= rb).then(|| (if rt + 1 == c { far_x[i] } else { x[l.chains[i][c - rt - 2]] }, i))
                })
                .collect();
            crate::asl::sort::sort_by(&mut leaving, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            leaving.into_iter().map(|(_, i)| i).collect()
        })
        .collect();
    let moved = |v: usize| {
        let p = wrap.point(l.rank[v], Point::new(boxes[v].x, boxes[v].y));
        Rect::new(p.x, p.y, boxes[v].w, boxes[v].h)
    };
    graph
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let Some((top, bottom)) = ends[i] else {
                let a = moved(e.from);
                if role[i] == Role::Reference {
                    // A stub down from the source's far side: its label is the reference.
                    let p = Point::new(wrap.point(l.rank[e.from], Point::new(far_x[i], 0.0)).x, a.bottom());
                    return vec![vertical_curve(p, Point::new(p.x, p.y + STUB))];
                }
                let b = moved(e.to);
                return vec![edge_curve(&a, a.center().x, &b)];
            };
            // Down the chain, from the upper node's far side to the lower node's near side; a
            // node less deep than its rank is left and entered straight, so that the edge turns
            // only between ranks (where the ordering has kept it from crossing the others).
            let (rt, rb) = (l.rank[top], l.rank[bottom]);
            // (Each point with its rank, for the wrap.)
            let mut pts = vec![(Point::new(far_x[i], boxes[top].bottom()), rt), (Point::new(far_x[i], start[rt] + depth[rt]), rt)];
            for &d in &l.chains[i] {
                let r = l.rank[d];
                pts.push((Point::new(x[d], start[r]), r));
                pts.push((Point::new(x[d], start[r] + depth[r]), r));
            }
            pts.push((Point::new(near_x[i], start[rb]), rb));
            pts.push((Point::new(near_x[i], boxes[bottom].y), rb));
            pts.dedup_by(|(a, _), (b, _)| (a.y - b.y).abs() < 0.5 && (a.x - b.x).abs() < 0.5);
            // Wrapped: from one band to the next through its gutter.
            let mut pts: Vec<Point> = {
                let mut out = vec![wrap.point(pts[0].1, pts[0].0)];
                for w in pts.windows(2) {
                    let ((p, rp), (q, rq)) = (w[0], w[1]);
                    let g = wrap.band(rp);
                    if g != wrap.band(rq) {
                        let lane = lanes[g].iter().position(|&k| k == i).expect("an edge leaving a band has a lane");
                        out.extend(wrap.connector(g, lane, lanes[g].len(), wrap.point(rp, p), wrap.point(rq, q)));
                    }
                    out.push(wrap.point(rq, q));
                }
                out
            };
            if top != e.from {
                pts.reverse();
            }
            pts.windows(2).map(|p| vertical_curve(p[0], p[1])).collect()
        })
        .collect()
}

/// Lays out one graph (a machine, a branch, a processor): the phases in turn, then the nodes and
/// edges on the canvas, the containers' branches inside them.
fn lay(graph: &Graph, depth: usize, dir: Direction) -> Laid {
    let n = graph.nodes.len();
    let (sized, mut inner) = sizes(graph, depth, dir);
    let (mut role, discovery) = back_edges(graph);
    let rank = ranks(graph, &role);
    let rank = references(graph, &mut role, rank);
    let layered = dummies(graph, &role, &rank, &sized, dir);
    let layers = ordering(graph, &layered, &discovery);
    let x = place_across(&layered, &layers);
    let (start, deep) = place_along(&layered, &layers);
    // The nodes' boxes in the layers' space, centred in their rank.
    let boxes: Vec<Rect> = (0..n)
        .map(|v| {
            let (a, b) = (layered.across[v], layered.along[v]);
            let r = rank[v];
            Rect::new(x[v] - a / 2.0, start[r] + (deep[r] - b) / 2.0, a, b)
        })
        .collect();
    // The top level wraps when it is far longer than wide (a branch is as long as it is).
    let wrap = if depth == 0 {
        let spans: Vec<Option<(usize, usize)>> = (0..graph.edges.len()).map(|i| threaded(graph, &role, &rank, i).map(|(t, b)| (rank[t], rank[b]))).collect();
        let ranks = wrap::Ranks::new(&layers, &layered.across, &x, &start, &deep, &spans);
        let aspect = match dir {
            Direction::TopDown => wrap::CANVAS_ASPECT,
            Direction::LeftRight => 1.0 / wrap::CANVAS_ASPECT,
        };
        wrap::Wrap::choose(&ranks, aspect)
    } else {
        wrap::Wrap::none(layers.len())
    };
    let curves = route(graph, &role, &layered, &x, &boxes, &start, &deep, &wrap);

    // On the canvas: containers before their children, so children draw on top.
    let rects: Vec<Rect> = (0..n)
        .map(|v| {
            let p = wrap.point(rank[v], Point::new(boxes[v].x, boxes[v].y));
            dir.rect(Rect::new(p.x, p.y, boxes[v].w, boxes[v].h))
        })
        .collect();
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (v, node) in graph.nodes.iter().enumerate() {
        let lines = sized[v].lines.clone();
        let head = head_for(lines.len());
        nodes.push(SceneNode { info: node.info.clone(), rect: rects[v], depth, container: !node.children.is_empty(), scope: graph.scope.clone(), lines });
        let kids = std::mem::take(&mut inner[v]);
        let r = rects[v];
        let gaps = BRANCH_GAP * kids.len().saturating_sub(1) as f64;
        let (mut cx, mut cy) = match dir {
            Direction::TopDown => (r.x + (r.w - kids.iter().map(|k| k.w).sum::<f64>() - gaps) / 2.0, r.y + head),
            Direction::LeftRight => (0.0, r.y + head),
        };
        for kid in kids {
            let (dx, dy) = match dir {
                Direction::TopDown => (cx, cy),
                Direction::LeftRight => (r.x + (r.w - kid.w) / 2.0, cy),
            };
            nodes.extend(kid.nodes.into_iter().map(|mut k| {
                k.rect = k.rect.translate(dx, dy);
                k
            }));
            edges.extend(kid.edges.into_iter().map(|e| translate_edge(e, dx, dy)));
            match dir {
                Direction::TopDown => cx += kid.w + BRANCH_GAP,
                Direction::LeftRight => cy += kid.h + BRANCH_GAP,
            }
        }
    }
    for (i, (e, curves)) in graph.edges.iter().zip(curves).enumerate() {
        let reference = (role[i] == Role::Reference).then(|| graph.nodes[e.to].label.clone());
        let label_at = match layered.label_dummy[i] {
            // A reference's label hangs under its stub, to the right of it (away from the
            // source's edge down, which leaves further left).
            _ if reference.is_some() => {
                let end = curves.last().expect("a stub").to;
                let text = e.label.as_deref().map_or_else(|| format!("→ {}", graph.nodes[e.to].label), |l| format!("{l} → {}", graph.nodes[e.to].label));
                let (w, h) = label_size(&text);
                let (a, b) = dir.size(w, h);
                dir.point(end.x + (a / 2.0 - 12.0).max(0.0), end.y + b / 2.0)
            }
            Some(d) => {
                let r = layered.rank[d];
                let p = wrap.point(r, Point::new(x[d], start[r] + deep[r] / 2.0));
                dir.point(p.x, p.y)
            }
            None => label_point(&curves.iter().map(|&c| dir.curve(c)).collect::<Vec<_>>()),
        };
        let curves = curves.into_iter().map(|c| dir.curve(c)).collect();
        let mut edge = scene_edge(graph, e, curves, label_at);
        edge.reference = reference;
        edges.push(edge);
    }
    let w = nodes.iter().map(|n| n.rect.right()).fold(0.0, f64::max);
    let h = nodes.iter().map(|n| n.rect.bottom()).fold(0.0, f64::max);
    Laid { nodes, edges, w, h }
}

fn scene_edge(graph: &Graph, e: &super::graph::GraphEdge, curves: Vec<Curve>, label_at: Point) -> SceneEdge {
    SceneEdge {
        id: e.id.clone(),
        kind: e.kind,
        label: e.label.clone(),
        source: e.source.clone(),
        field: e.field.clone(),
        scope: graph.scope.clone(),
        from: graph.nodes[e.from].id.clone(),
        to: graph.nodes[e.to].id.clone(),
        curves,
        label_at,
        reference: None,
    }
}

/// Points a reference's stub at its label's box, wherever the label placement put it: down (or,
/// left to right, across) from where it leaves its source to the box's nearest side.
fn aim_reference(e: &mut SceneEdge, dir: Direction) {
    let (Some(label), Some(first)) = (e.label_rect(), e.curves.first()) else { return };
    // (In the layers' space, where the stub runs down: turning is its own inverse.)
    let from = dir.point(first.from.x, first.from.y);
    let r = dir.rect(label);
    let x = from.x.clamp(r.x + 6.0, (r.right() - 6.0).max(r.x + 6.0));
    let y = if from.y <= r.y { r.y } else if from.y >= r.bottom() { r.bottom() } else { r.center().y };
    e.curves = vec![dir.curve(vertical_curve(from, Point::new(x, y)))];
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

#[cfg(test)]
fn median(mut v: Vec<f64>) -> f64 {
    median_of(&mut v)
}

/// The median of `v` (sorted in place; the mean of the middle two when even).
fn median_of(v: &mut [f64]) -> f64 {
    crate::asl::sort::sort_by(v, f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 { v[m] } else { (v[m - 1] + v[m]) / 2.0 }
}

/// Centres as close to `desired` as possible (weighted least squares) keeping the order and at
/// least [`NODE_GAP`] between neighbours ([`EDGE_GAP`] between two long edges' dummies):
/// isotonic regression by pool-adjacent-violators. Dummy nodes weigh little, so a chain of real
/// states stays straight and long edges make way.
#[cfg(test)]
fn align(widths: &[f64], desired: &[f64], weights: &[f64]) -> Vec<f64> {
    Align::default().run(widths, desired, weights).to_vec()
}

/// [`align`]'s buffers, kept from one call to the next.
#[derive(Default)]
struct Align {
    offset: Vec<f64>,
    /// Blocks of (weighted mean, total weight, count).
    blocks: Vec<(f64, f64, usize)>,
    out: Vec<f64>,
}

impl Align {
    fn run(&mut self, widths: &[f64], desired: &[f64], weights: &[f64]) -> &[f64] {
        let n = widths.len();
        let Align { offset, blocks, out } = self;
        offset.clear();
        offset.resize(n, 0.0);
        let plain = |i: usize| weights[i] <= DUMMY_WEIGHT;
        for i in 1..n {
            let gap = if plain(i - 1) && plain(i) { EDGE_GAP } else { NODE_GAP };
            offset[i] = offset[i - 1] + widths[i - 1] / 2.0 + gap + widths[i] / 2.0;
        }
        blocks.clear();
        for i in 0..n {
            blocks.push((desired[i] - offset[i], weights[i], 1));
            while blocks.len() > 1 && blocks[blocks.len() - 2].0 > blocks[blocks.len() - 1].0 {
                let (m2, w2, c2) = blocks.pop().unwrap();
                let (m1, w1, c1) = blocks.pop().unwrap();
                blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2));
            }
        }
        out.clear();
        for &(mean, _, count) in blocks.iter() {
            for _ in 0..count {
                let i = out.len();
                out.push(mean + offset[i]);
            }
        }
        out
    }
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

    #[test]
    fn a_keystroke_inside_a_state_rewords_it_in_place_as_deriving_all_again_would() {
        use crate::editor::change::Change;
        let text = crate::seed::ORDER_WORKFLOW;
        let mut doc = Document::new("t", text);
        let (mut graph, mut scene) = (derive(doc.machine()), layout(&derive(doc.machine())));
        // A function's name: the state's summary changes, nothing else.
        let at = text.find(":function:ValidateInput").expect("a Task") + 10;
        doc.apply(Change::SetText(format!("{}x{}", &text[..at], &text[at..]))).expect("taken");
        let i = doc.touched_state().expect("read in part, in one state");
        let (was_graph, was_scene) = (graph.clone(), scene.clone());
        assert!(reword_state_in(&mut graph, &mut scene, doc.machine(), i));
        let full = derive(doc.machine());
        assert_eq!(graph, full);
        assert_eq!(Some(&scene), reword_in((&was_graph, &was_scene), &full, Direction::TopDown).as_ref());
        assert!(scene != was_scene, "the summary changed");
        // A transition's target is not words: the state is left for a new layout.
        let named = doc.machine().states[i].name.clone();
        let next = doc.machine().states[i].state.next.clone().expect("a Next");
        let other = doc.machine().states.iter().map(|s| s.name.clone()).find(|n| *n != next && *n != named).expect("another state");
        let edited = doc.text().replacen(&format!("\"Next\": \"{next}\""), &format!("\"Next\": \"{other}\""), 1);
        doc.apply(Change::SetText(edited)).expect("taken");
        if let Some(j) = doc.touched_state() {
            let (was_graph, was_scene) = (graph.clone(), scene.clone());
            assert!(!reword_state_in(&mut graph, &mut scene, doc.machine(), j));
            assert_eq!((graph, scene), (was_graph, was_scene), "left as they were");
        }
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
        // A summary's words are not its look (typing rewrites the line in place).
        s1.nodes[3].info.summary.push('!');
        assert_eq!(s0.nodes[3].look(), s1.nodes[3].look());
        let (nodes, edges) = s0.index();
        assert!(s0.nodes.iter().enumerate().all(|(i, n)| nodes[&n.id] == i));
        assert!(s0.edges.iter().enumerate().all(|(i, e)| edges[&e.id] == i));
    }

    /// The benchmark's machine of `n` states (`tests/e2e/bench.mjs`, `examples/editor_phases.rs`):
    /// a chain of Tasks with a Choice every nine states that skips three ahead.
    pub(super) fn chain(n: usize) -> String {
        let states: Vec<String> = (0..n)
            .map(|i| {
                let body = if i == n - 1 {
                    r#""Type":"Succeed""#.to_string()
                } else if i % 9 == 4 {
                    format!(r#""Type":"Choice","Choices":[{{"Variable":"$.x","NumericEquals":{i},"Next":"S{}"}}],"Default":"S{}""#, (i + 3).min(n - 1), i + 1)
                } else {
                    format!(r#""Type":"Task","Resource":"arn:aws:lambda:eu-west-3:123456789012:function:F{i}","Next":"S{}""#, i + 1)
                };
                format!(r#""S{i}":{{{body}}}"#)
            })
            .collect();
        format!(r#"{{"StartAt":"S0","States":{{{}}}}}"#, states.join(","))
    }

    /// `place_across` as it was before its buffers were kept: a Vec for each vertex's neighbours.
    fn place_across_allocating(l: &Layered, layers: &[Vec<usize>]) -> Vec<f64> {
        let total = l.across.len();
        let mut x = vec![0.0f64; total];
        for layer in layers {
            let mut cursor = 0.0;
            for &v in layer {
                x[v] = cursor + l.across[v] / 2.0;
                cursor += l.across[v] + NODE_GAP;
            }
        }
        let ranks = layers.len();
        for pass in 0..41 {
            let order: Vec<usize> = if pass % 2 == 0 { (0..ranks).collect() } else { (0..ranks).rev().collect() };
            for r in order {
                let layer = &layers[r];
                let desired: Vec<f64> = layer
                    .iter()
                    .map(|&v| {
                        if v >= l.real {
                            let ends: Vec<f64> = l.preds[v].iter().chain(&l.succs[v]).map(|&u| x[u]).collect();
                            return ends.iter().sum::<f64>() / ends.len().max(1) as f64;
                        }
                        let nb = || l.preds[v].iter().chain(&l.succs[v]);
                        let heavy: Vec<f64> = nb().filter(|&&u| l.weight[u] >= LABEL_WEIGHT).map(|&u| x[u]).collect();
                        if !heavy.is_empty() {
                            median(heavy)
                        } else {
                            let all: Vec<f64> = nb().map(|&u| x[u]).collect();
                            if all.is_empty() { x[v] } else { median(all) }
                        }
                    })
                    .collect();
                let weights: Vec<f64> = layer.iter().map(|&v| l.weight[v]).collect();
                let placed = align(&layer.iter().map(|&v| l.across[v]).collect::<Vec<_>>(), &desired, &weights);
                for (i, &v) in layer.iter().enumerate() {
                    x[v] = placed[i];
                }
            }
        }
        let min_left = (0..total).map(|v| x[v] - l.across[v] / 2.0).fold(f64::INFINITY, f64::min);
        let shift = if min_left.is_finite() { -min_left } else { 0.0 };
        x.iter_mut().for_each(|v| *v += shift);
        x
    }

    /// The layout corpus and a 1,000-state chain, every nested graph, both ways.
    #[test]
    fn place_across_with_kept_buffers_places_every_vertex_where_it_did() {
        fn check(graph: &Graph, dir: Direction, graphs: &mut usize) {
            let (sized, _) = sizes(graph, 0, dir);
            let (mut role, discovery) = back_edges(graph);
            let rank = ranks(graph, &role);
            let rank = references(graph, &mut role, rank);
            let layered = dummies(graph, &role, &rank, &sized, dir);
            let layers = ordering(graph, &layered, &discovery);
            let bits = |x: Vec<f64>| x.into_iter().map(f64::to_bits).collect::<Vec<_>>();
            assert_eq!(bits(place_across(&layered, &layers)), bits(place_across_allocating(&layered, &layers)));
            *graphs += 1;
            for n in &graph.nodes {
                n.children.iter().for_each(|c| check(c, dir, graphs));
            }
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/layout-corpus");
        let mut texts: Vec<String> =
            std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).map(|p| std::fs::read_to_string(p).unwrap()).collect();
        texts.push(chain(1000));
        let mut graphs = 0;
        for text in &texts {
            for dir in [Direction::TopDown, Direction::LeftRight] {
                check(&graph_of(text), dir, &mut graphs);
            }
        }
        assert!(graphs > 200, "{graphs} graphs");
    }

    fn graph_of(text: &str) -> Graph {
        derive(Document::new("t", text).machine())
    }

    /// Index of the node named `name` in a graph's nodes.
    fn at(g: &Graph, name: &str) -> usize {
        g.nodes.iter().position(|n| n.label == name).unwrap_or_else(|| panic!("{name}"))
    }

    const LOOP: &str = r#"{"StartAt":"Poll","States":{"Poll":{"Type":"Wait","Seconds":1,"Next":"Done?"},
        "Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":true,"Next":"Finish"}],"Default":"Poll"},
        "Finish":{"Type":"Pass","End":true}}}"#;

    #[test]
    fn sizes_fit_each_name_wrapping_long_ones_at_words() {
        let long = "Create New Organizational Unit For The Account Vending Machine";
        let g = graph_of(&format!(r#"{{"StartAt":"A","States":{{"A":{{"Type":"Pass","Next":"{long}"}},"{long}":{{"Type":"Pass","End":true}}}}}}"#));
        let (sized, _) = sizes(&g, 0, Direction::TopDown);
        let (short, wide) = (&sized[at(&g, "A")], &sized[at(&g, long)]);
        assert_eq!((short.w, short.h, short.lines.len()), (NODE_W, NODE_H, 1));
        assert!(wide.lines.len() >= 2 && wide.w <= MAX_NODE_W, "{wide:?}");
        assert_eq!(wide.lines.join(" "), long, "the whole name, in lines");
        assert!(wide.lines.iter().all(|l| CHROME + text::NAME_FONT.width(l) <= wide.w));
        assert_eq!(wide.h, NODE_H + text::NAME_LINE * (wide.lines.len() - 1) as f64);
        // A name wider than a minimal node but short enough stays on one line, the node widened.
        let (lines, w) = name_lines("Check Organizational Unit");
        assert_eq!(lines.len(), 1);
        assert!(w > NODE_W && w <= MAX_NODE_W);
        // A container holds its branches side by side (top down) or stacked (left to right).
        let p = graph_of(r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"#);
        let (td, _) = sizes(&p, 0, Direction::TopDown);
        let (lr, _) = sizes(&p, 0, Direction::LeftRight);
        let node = at(&p, "P");
        assert!(td[node].w >= 2.0 * NODE_W + BRANCH_GAP && lr[node].h >= HEAD + 2.0 * NODE_H + BRANCH_GAP, "{:?} {:?}", td[node], lr[node]);
    }

    #[test]
    fn back_edges_close_loops_and_discovery_starts_at_start() {
        let g = graph_of(LOOP);
        let (back, discovery) = back_edges(&g);
        let loops: Vec<&str> = g.edges.iter().zip(&back).filter(|(_, b)| **b == Role::Back).map(|(e, _)| e.id.as_str()).collect();
        assert_eq!(loops, ["/States/Done?->Default"]);
        assert_eq!(discovery[0], 0);
        assert_eq!(discovery.len(), g.nodes.len());
    }

    #[test]
    fn ranks_follow_the_longest_path_give_labels_a_rank_and_put_end_last() {
        let g = graph_of(LOOP);
        let (back, _) = back_edges(&g);
        let rank = ranks(&g, &back);
        let r = |name: &str| rank[at(&g, name)];
        assert_eq!((rank[0], r("Poll"), r("Done?")), (0, 1, 2));
        assert_eq!(r("Finish"), 4, "the rule's label takes the rank between");
        assert_eq!(rank[1], 5);
    }

    #[test]
    fn dummies_make_every_edge_span_one_rank_and_carry_labels_at_their_size() {
        let g = graph_of(crate::seed::ORDER_WORKFLOW);
        let (back, _) = back_edges(&g);
        let rank = ranks(&g, &back);
        let (sized, _) = sizes(&g, 0, Direction::TopDown);
        let l = dummies(&g, &back, &rank, &sized, Direction::TopDown);
        for v in 0..l.across.len() {
            for &w in &l.succs[v] {
                assert_eq!(l.rank[w], l.rank[v] + 1, "{v} → {w}");
            }
        }
        for (i, e) in g.edges.iter().enumerate() {
            assert_eq!(l.label_dummy[i].is_some(), e.label.is_some() && !l.chains[i].is_empty(), "{}", e.id);
            assert!(l.chains[i].is_empty() == threaded(&g, &back, &rank, i).is_none_or(|(t, b)| rank[b] == rank[t] + 1), "{}", e.id);
            if let Some(d) = l.label_dummy[i] {
                assert_eq!((l.across[d], l.along[d]), label_size(e.label.as_deref().unwrap()));
                assert!(l.chains[i].contains(&d));
            }
        }
        // Left to right, a label is as long along the ranks as its text.
        let lr = dummies(&g, &back, &rank, &sized, Direction::LeftRight);
        let d = lr.label_dummy.iter().flatten().next().copied().unwrap();
        assert_eq!(lr.across[d], LABEL_H);
    }

    #[test]
    fn ordering_uncrosses_what_the_first_order_crossed() {
        // Start fans out to A and B; A goes to Y and B to X, with X declared before Y: the
        // discovery order alone crosses A→Y with B→X.
        let g = graph_of(r#"{"StartAt":"F","States":{"F":{"Type":"Parallel","Next":"G","Branches":[{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}]},
            "G":{"Type":"Choice","Choices":[{"Variable":"$.a","BooleanEquals":true,"Next":"A"}],"Default":"B"},
            "B":{"Type":"Pass","Next":"X"},"A":{"Type":"Pass","Next":"Y"},"X":{"Type":"Pass","Next":"Y2"},"Y":{"Type":"Pass","Next":"X2"},
            "X2":{"Type":"Pass","End":true},"Y2":{"Type":"Pass","End":true}}}"#);
        let (back, discovery) = back_edges(&g);
        let rank = ranks(&g, &back);
        let (sized, _) = sizes(&g, 0, Direction::TopDown);
        let l = dummies(&g, &back, &rank, &sized, Direction::TopDown);
        let layers = ordering(&g, &l, &discovery);
        let pos = order::positions(&layers, l.across.len());
        assert_eq!(order::crossings(&layers, &l.succs, &pos), 0, "{layers:?}");
    }

    #[test]
    fn place_across_keeps_spacing_and_place_along_gives_label_ranks_half_gaps() {
        let g = graph_of(LOOP);
        let (back, discovery) = back_edges(&g);
        let rank = ranks(&g, &back);
        let (sized, _) = sizes(&g, 0, Direction::TopDown);
        let l = dummies(&g, &back, &rank, &sized, Direction::TopDown);
        let layers = ordering(&g, &l, &discovery);
        let x = place_across(&l, &layers);
        for layer in &layers {
            for w in layer.windows(2) {
                assert!(x[w[1]] - x[w[0]] >= (l.across[w[0]] + l.across[w[1]]) / 2.0 + NODE_GAP - 1e-6);
            }
        }
        assert!((x[at(&g, "Poll")] - x[at(&g, "Finish")]).abs() < 2.0, "a chain stays straight");
        let (start, depth) = place_along(&l, &layers);
        let label_rank = rank[at(&g, "Done?")] + 1;
        assert_eq!(depth[label_rank], LABEL_H);
        assert_eq!(start[label_rank] - (start[label_rank - 1] + depth[label_rank - 1]), RANK_GAP / 2.0);
        assert_eq!(start[1] - (start[0] + depth[0]), RANK_GAP);
    }

    #[test]
    fn routes_leave_the_source_and_reach_the_target_through_each_dummy() {
        let s = layout(&derive(Document::seed().machine()));
        for e in &s.edges {
            let (from, to) = (rect(&s, &e.from), rect(&s, &e.to));
            let (a, b) = (e.curves[0].from, e.curves.last().unwrap().to);
            if to.y > from.y {
                assert!((a.y - from.bottom()).abs() < 1e-6 && a.x >= from.x && a.x <= from.right(), "{} leaves its source's bottom", e.id);
                assert!((b.y - to.y).abs() < 1e-6 && b.x > to.x && b.x < to.right(), "{} enters its target's top", e.id);
            }
            for w in e.curves.windows(2) {
                assert_eq!(w[0].to, w[1].from, "{} is continuous", e.id);
            }
        }
        // A loop climbs out of its source's top into its target's bottom.
        let s = scene(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Pass","Next":"D"},
            "D":{"Type":"Choice","Choices":[{"Variable":"$.again","BooleanEquals":true,"Next":"A"}],"Default":"E"},"E":{"Type":"Succeed"}}}"#);
        let e = s.edges.iter().find(|e| e.field == EdgeField::Choice(0)).unwrap();
        let (from, to) = (rect(&s, "/States/D"), rect(&s, "/States/A"));
        assert!(e.curves.len() > 2);
        assert_eq!((e.curves[0].from.y, e.curves.last().unwrap().to.y), (from.y, to.bottom()));
        assert!(e.curves.iter().all(|c| c.to.y <= c.from.y), "it only climbs");
        assert_eq!(label_overlaps(&s.nodes, &s.edges), (0, 0));
    }

    /// Graphs that crowd labels: a Choice of many rules, many Catches to one handler, loops with
    /// labels, a Map with its own loop.
    fn crowded() -> Vec<String> {
        let rules = (0..7).map(|i| format!(r#"{{"Variable":"$.kind","StringEquals":"kind-number-{i}","Next":"Handle {i}"}}"#)).collect::<Vec<_>>().join(",");
        let handlers = (0..7).map(|i| format!(r#""Handle {i}":{{"Type":"Pass","Next":"Done"}}"#)).collect::<Vec<_>>().join(",");
        let choice = format!(r#"{{"StartAt":"Route","States":{{"Route":{{"Type":"Choice","Choices":[{rules}],"Default":"Route"}},{handlers},"Done":{{"Type":"Succeed"}}}}}}"#);
        let catches = (0..8)
            .map(|i| {
                let next = if i == 7 { "Ok".to_string() } else { format!("T{}", i + 1) };
                format!(r#""T{i}":{{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:F","Next":"{next}","Catch":[{{"ErrorEquals":["States.Timeout"],"Next":"Failed"}},{{"ErrorEquals":["States.ALL"],"Next":"Failed"}}]}}"#)
            })
            .collect::<Vec<_>>()
            .join(",");
        let catches = format!(r#"{{"StartAt":"T0","States":{{{catches},"Ok":{{"Type":"Succeed"}},"Failed":{{"Type":"Fail"}}}}}}"#);
        let map = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"W","States":{
            "W":{"Type":"Wait","Seconds":5,"Next":"C"},
            "C":{"Type":"Choice","Choices":[{"Variable":"$.s","StringEquals":"DONE","Next":"E"},{"Variable":"$.s","StringEquals":"FAILED","Next":"F"}],"Default":"W"},
            "E":{"Type":"Pass","End":true},"F":{"Type":"Fail"}}}}}}"#;
        vec![choice, catches, map.to_string(), LOOP.to_string(), crate::seed::ORDER_WORKFLOW.to_string()]
    }

    /// Twelve Tasks in a chain, each catching into one shared "Notify Failure", which then fails.
    fn shared_handler() -> String {
        let tasks = (0..12)
            .map(|i| {
                let next = if i == 11 { "Done".to_string() } else { format!("Step {}", i + 1) };
                format!(r#""Step {i}":{{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:1:function:F","Next":"{next}","Catch":[{{"ErrorEquals":["States.ALL"],"Next":"Notify Failure"}}]}}"#)
            })
            .collect::<Vec<_>>()
            .join(",");
        format!(r#"{{"StartAt":"Step 0","States":{{{tasks},"Done":{{"Type":"Succeed"}},"Notify Failure":{{"Type":"Pass","Next":"Failed"}},"Failed":{{"Type":"Fail"}}}}}}"#)
    }

    #[test]
    fn far_edges_into_a_shared_handler_are_short_stubs_ending_in_a_reference_to_it() {
        for dir in [Direction::TopDown, Direction::LeftRight] {
            let s = layout_in(&derive(Document::new("t", shared_handler()).machine()), dir);
            let handler = "/States/Notify Failure";
            let into: Vec<&SceneEdge> = s.edges.iter().filter(|e| e.to == handler).collect();
            let (refs, drawn): (Vec<&SceneEdge>, Vec<&SceneEdge>) = into.iter().partition(|e| e.reference.is_some());
            assert!(refs.len() >= 8 && !drawn.is_empty(), "{dir:?}: {} references, {} drawn", refs.len(), drawn.len());
            // The last Task keeps its line: the handler stays joined to the drawing.
            assert!(drawn.iter().any(|e| e.from == "/States/Step 11"), "{dir:?}");
            let length = |e: &SceneEdge| e.curves.iter().map(|c| (c.to.x - c.from.x).hypot(c.to.y - c.from.y)).sum::<f64>();
            for e in &refs {
                assert_eq!(e.label_text().as_deref(), Some("States.ALL → Notify Failure"));
                // A stub: from its source's far side to its label, a few dozen pixels.
                let from = rect(&s, &e.from);
                let (a, b) = (e.curves[0].from, e.curves.last().unwrap().to);
                let side = match dir {
                    Direction::TopDown => (a.y - from.bottom()).abs() < 1e-6 && a.x > from.x && a.x < from.right(),
                    Direction::LeftRight => (a.x - from.right()).abs() < 1e-6 && a.y > from.y && a.y < from.bottom(),
                };
                assert!(side, "{dir:?}: {} leaves its source's far side", e.id);
                assert!(length(e) < 60.0, "{dir:?}: {} is {} long", e.id, length(e));
                let label = e.label_rect().unwrap();
                let touches = |p: Point| p.x >= label.x - 1e-6 && p.x <= label.right() + 1e-6 && p.y >= label.y - 1e-6 && p.y <= label.bottom() + 1e-6;
                assert!(touches(b), "{dir:?}: {} ends on its label", e.id);
            }
            assert_eq!(label_overlaps(&s.nodes, &s.edges), (0, 0), "{dir:?}");
            // The handler comes up to its nearest source (past the Catch label between them)
            // instead of below everything.
            let last = rect(&s, "/States/Step 11");
            let h = rect(&s, handler);
            let gap = match dir {
                Direction::TopDown => h.y - last.bottom(),
                Direction::LeftRight => h.x - last.right(),
            };
            assert!(gap > 0.0 && gap < 400.0, "{dir:?}: {gap}");
        }
        // The seed's handler, reached by three edges, keeps all of them.
        let seed = layout(&derive(Document::seed().machine()));
        assert!(seed.edges.iter().all(|e| e.reference.is_none()));
    }

    #[test]
    fn a_reference_moves_with_its_source_not_its_target() {
        let s = scene(&shared_handler());
        let e = s.edges.iter().find(|e| e.reference.is_some()).unwrap().clone();
        let target = s.node(&e.to).unwrap().rect;
        let moved = place(&s, &BTreeMap::from([("/States/Notify Failure".to_string(), Point::new(target.x + 500.0, target.y))]));
        let after = moved.edges.iter().find(|x| x.id == e.id).unwrap();
        assert_eq!((&after.curves, after.label_at), (&e.curves, e.label_at));
        let source = s.node(&e.from).unwrap().rect;
        let name = e.from.rsplit('/').next().unwrap().to_string();
        let moved = place(&s, &BTreeMap::from([(format!("/States/{name}"), Point::new(source.x + 40.0, source.y + 10.0))]));
        let after = moved.edges.iter().find(|x| x.id == e.id).unwrap();
        assert_eq!(after.curves[0].from, Point::new(e.curves[0].from.x + 40.0, e.curves[0].from.y + 10.0));
        assert_eq!(after.label_at, Point::new(e.label_at.x + 40.0, e.label_at.y + 10.0));
    }

    #[test]
    fn labels_overlap_no_label_and_no_node_in_either_direction() {
        for text in crowded() {
            for dir in [Direction::TopDown, Direction::LeftRight] {
                let s = layout_in(&graph_of(&text), dir);
                assert_eq!(label_overlaps(&s.nodes, &s.edges), (0, 0), "{dir:?} {text}");
                assert!(s.edges.iter().filter_map(|e| e.label_rect()).all(|r| s.bounds.contains(Point::new(r.x, r.y)) && s.bounds.contains(Point::new(r.right(), r.bottom()))));
            }
        }
    }

    #[test]
    fn label_placement_moves_a_label_off_a_node() {
        let mut s = layout(&graph_of(LOOP));
        let k = s.edges.iter().position(|e| e.label.is_some()).unwrap();
        let node = s.node("/States/Poll").unwrap().rect;
        s.edges[k].label_at = node.center();
        assert_eq!(label_overlaps(&s.nodes, &s.edges).1, 1);
        labels::place_labels(&s.nodes, &mut s.edges);
        assert_eq!(label_overlaps(&s.nodes, &s.edges), (0, 0));
        let moved = s.edges[k].label_at;
        assert!((moved.x - node.center().x).abs() + (moved.y - node.center().y).abs() < 400.0, "it stays near: {moved:?}");
    }

    #[test]
    fn left_to_right_runs_the_ranks_across_with_heads_on_top() {
        let s = layout_in(&graph_of(LOOP), Direction::LeftRight);
        let order = ["#start", "/States/Poll", "/States/Done?", "/States/Finish", "#end"];
        for w in order.windows(2) {
            assert!(rect(&s, w[0]).right() < rect(&s, w[1]).x, "{} left of {}", w[0], w[1]);
        }
        let fwd = s.edges.iter().find(|e| e.field == EdgeField::Next).unwrap();
        let (from, to) = (rect(&s, &fwd.from), rect(&s, &fwd.to));
        assert_eq!(fwd.curves[0].from.x, from.right());
        let end = fwd.curves.last().unwrap().to;
        assert!(end.x == to.x && end.y > to.y && end.y < to.bottom(), "{end:?} on {to:?}'s left side");
        let back = s.edges.iter().find(|e| e.field == EdgeField::Default).unwrap();
        assert!(back.curves[0].to.x < back.curves[0].from.x, "the loop goes back left");
        assert_eq!(s.direction, Direction::LeftRight);
        // Branches stack under their container's head.
        let s = layout_in(&graph_of(r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"#), Direction::LeftRight);
        let (p, a, b) = (rect(&s, "/States/P"), rect(&s, "/States/P/Branches/0/States/A"), rect(&s, "/States/P/Branches/1/States/B"));
        assert!(a.y >= p.y + HEAD && a.bottom() < b.y && b.bottom() <= p.bottom(), "{p:?} {a:?} {b:?}");
        // A relayout in the other direction lays out again.
        let g = graph_of(LOOP);
        let td = layout(&g);
        assert_eq!(relayout_in(Some((&g, &td)), &g, Direction::LeftRight), layout_in(&g, Direction::LeftRight));
    }
}
