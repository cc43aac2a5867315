//! The ranking's second step: network simplex (Gansner, Koutsofios, North and Vo, "A Technique
//! for Drawing Directed Graphs", 1993, §2). Given ranks that keep every edge's minimum length
//! (the longest path's), it moves nodes up and down the layers to make the sum of the edges'
//! lengths (in ranks, each weighted) as small as possible, still keeping every minimum.
//!
//! The longest path puts every node as high as it can go: a state reached early but needed late
//! (a Pass that only prepares a call far below, the states of a loop that closes far down) sits
//! high above what it leads to, and its edges run down the whole drawing. Counting the loops'
//! edges too (turned around, so they constrain nothing the forward edges do not), the simplex
//! pulls a loop's states together and a far edge's source down to its target: shorter edges,
//! fewer dummies, fewer long routes through the wrap's gutters.
//!
//! The method: a spanning tree of tight edges (each exactly its minimum length) gives the ranks;
//! each tree edge's cut value says how the total length changes when its two sides move apart;
//! while one is negative, that edge leaves the tree for the non-tree edge with the least slack
//! across the same cut, and the ranks follow. Each exchange is linear in the graph's size; a
//! budget of exchanges keeps a huge graph's layout quick (any tree on the way is a valid ranking,
//! only less tight).

use std::collections::HashMap;

/// An edge as a constraint: `rank[to] >= rank[from] + minlen`, with `weight` the price of each
/// rank it spans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Constraint {
    pub from: usize,
    pub to: usize,
    pub minlen: usize,
    pub weight: f64,
}

/// Improves `rank` (which must keep every constraint) to keep them all with the least weighted
/// total length, in at most `budget` exchanges; the smallest rank stays 0.
pub(super) fn tighten(rank: &mut [usize], constraints: &[Constraint], budget: usize) {
    let n = rank.len();
    if n < 3 || constraints.is_empty() {
        return;
    }
    debug_assert!(constraints.iter().all(|c| rank[c.to] >= rank[c.from] + c.minlen), "a feasible ranking to start from");
    // Edges between the same two nodes merge (the longest minimum, the weights summed); an edge
    // onto its own node constrains nothing.
    let mut merged: HashMap<(usize, usize), usize> = HashMap::new();
    let mut edges: Vec<Constraint> = Vec::new();
    for c in constraints.iter().filter(|c| c.from != c.to) {
        match merged.get(&(c.from, c.to)) {
            Some(&i) => {
                edges[i].minlen = edges[i].minlen.max(c.minlen);
                edges[i].weight += c.weight;
            }
            None => {
                merged.insert((c.from, c.to), edges.len());
                edges.push(*c);
            }
        }
    }
    // A root above every part of the graph (a weightless edge to the highest node of each part,
    // of minimum length 0), so that one tree spans all.
    let root = n;
    let mut r: Vec<i64> = rank.iter().map(|&v| v as i64).collect();
    r.push(r.iter().copied().min().unwrap_or(0));
    for top in parts(n, &edges).into_iter().map(|part| part.into_iter().min_by_key(|&v| (rank[v], v)).expect("a part has a node")) {
        edges.push(Constraint { from: root, to: top, minlen: 0, weight: 0.0 });
    }
    let mut s = Simplex::new(n + 1, edges, r);
    s.feasible_tree(root);
    s.number(root);
    s.cut_values();
    let mut from = 0;
    for _ in 0..budget {
        let Some(leave) = s.leaving(&mut from) else { break };
        let Some(enter) = s.entering(leave) else { break };
        s.exchange(root, leave, enter);
    }
    let low = s.rank[..n].iter().copied().min().unwrap_or(0);
    for (v, out) in rank.iter_mut().enumerate() {
        *out = (s.rank[v] - low) as usize;
    }
}

/// The graph's connected parts (edges taken either way), each as its nodes.
fn parts(n: usize, edges: &[Constraint]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..n).collect();
    fn find(parent: &mut [usize], mut v: usize) -> usize {
        while parent[v] != v {
            parent[v] = parent[parent[v]];
            v = parent[v];
        }
        v
    }
    for e in edges {
        let (a, b) = (find(&mut parent, e.from), find(&mut parent, e.to));
        if a != b {
            parent[a] = b;
        }
    }
    let mut by_root: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for v in 0..n {
        let p = find(&mut parent, v);
        by_root.entry(p).or_insert_with(|| {
            order.push(p);
            Vec::new()
        });
        by_root.get_mut(&p).expect("just inserted").push(v);
    }
    order.into_iter().map(|p| by_root.remove(&p).expect("a part")).collect()
}

struct Simplex {
    edges: Vec<Constraint>,
    /// Each node's edges (either way).
    incident: Vec<Vec<usize>>,
    rank: Vec<i64>,
    tree: Vec<bool>,
    cut: Vec<f64>,
    /// The tree rooted: each node's edge to its parent, its postorder number and the lowest
    /// number in its subtree (a node is under `v` when its number is in `low[v]..=lim[v]`).
    parent_edge: Vec<Option<usize>>,
    lim: Vec<usize>,
    low: Vec<usize>,
    /// The nodes in postorder.
    post: Vec<usize>,
}

impl Simplex {
    fn new(n: usize, edges: Vec<Constraint>, rank: Vec<i64>) -> Simplex {
        let mut incident = vec![Vec::new(); n];
        for (i, e) in edges.iter().enumerate() {
            incident[e.from].push(i);
            incident[e.to].push(i);
        }
        let m = edges.len();
        Simplex { edges, incident, rank, tree: vec![false; m], cut: vec![0.0; m], parent_edge: vec![None; n], lim: vec![0; n], low: vec![0; n], post: Vec::with_capacity(n) }
    }

    fn slack(&self, e: usize) -> i64 {
        let c = &self.edges[e];
        self.rank[c.to] - self.rank[c.from] - c.minlen as i64
    }

    fn other(&self, e: usize, v: usize) -> usize {
        let c = &self.edges[e];
        if c.from == v { c.to } else { c.from }
    }

    /// A spanning tree of tight edges, grown from `root`: the tight edges out of the tree are
    /// taken; when none is left, the tree moves by the least slack of an edge leaving it, which
    /// makes that edge tight.
    fn feasible_tree(&mut self, root: usize) {
        let n = self.rank.len();
        let mut inside = vec![false; n];
        inside[root] = true;
        let mut count = 1;
        let mut members = vec![root];
        let mut stack = vec![root];
        loop {
            while let Some(v) = stack.pop() {
                for k in 0..self.incident[v].len() {
                    let e = self.incident[v][k];
                    let w = self.other(e, v);
                    if !inside[w] && self.slack(e) == 0 {
                        inside[w] = true;
                        self.tree[e] = true;
                        count += 1;
                        members.push(w);
                        stack.push(w);
                    }
                }
            }
            if count == n {
                return;
            }
            // The edge with one end in the tree and the least slack.
            let mut best: Option<(i64, usize)> = None;
            for (e, c) in self.edges.iter().enumerate() {
                if inside[c.from] != inside[c.to] {
                    let s = self.rank[c.to] - self.rank[c.from] - c.minlen as i64;
                    if best.is_none_or(|(b, _)| s < b) {
                        best = Some((s, e));
                    }
                }
            }
            let Some((slack, e)) = best else { return };
            let delta = if inside[self.edges[e].from] { slack } else { -slack };
            for &v in &members {
                self.rank[v] += delta;
            }
            let c = self.edges[e];
            stack.push(if inside[c.from] { c.from } else { c.to });
        }
    }

    /// Roots the tree at `root`: parents, postorder numbers and subtrees' lowest numbers.
    fn number(&mut self, root: usize) {
        self.post.clear();
        self.parent_edge.iter_mut().for_each(|p| *p = None);
        let mut next = 0;
        // (node, index of the next incident edge to look at, lowest number under it)
        let mut stack: Vec<(usize, usize, usize)> = vec![(root, 0, usize::MAX)];
        while let Some(top) = stack.last_mut() {
            let (v, k) = (top.0, top.1);
            if k < self.incident[v].len() {
                top.1 += 1;
                let e = self.incident[v][k];
                if self.tree[e] && Some(e) != self.parent_edge[v] {
                    let w = self.other(e, v);
                    self.parent_edge[w] = Some(e);
                    stack.push((w, 0, usize::MAX));
                }
            } else {
                let low = top.2.min(next);
                self.lim[v] = next;
                self.low[v] = low;
                next += 1;
                self.post.push(v);
                stack.pop();
                if let Some(up) = stack.last_mut() {
                    up.2 = up.2.min(low);
                }
            }
        }
    }

    fn under(&self, v: usize, top: usize) -> bool {
        self.low[top] <= self.lim[v] && self.lim[v] <= self.lim[top]
    }

    /// Every tree edge's cut value, from the leaves up: how much the total weighted length grows
    /// per rank when the edge's head side moves away from its tail side.
    fn cut_values(&mut self) {
        for i in 0..self.post.len() {
            let child = self.post[i];
            let Some(pe) = self.parent_edge[child] else { continue };
                        let child_is_tail = self.edges[pe].from == child;
            let mut cut = self.edges[pe].weight;
            for &e in &self.incident[child] {
                if e == pe {
                    continue;
                }
                let c = &self.edges[e];
                let out = c.from == child;
                let to_head = out == child_is_tail;
                cut += if to_head { c.weight } else { -c.weight };
                if self.tree[e] {
                    cut += if to_head { -self.cut[e] } else { self.cut[e] };
                }
            }
            self.cut[pe] = cut;
        }
    }

    /// A tree edge with a negative cut value, looked for from `from` on (round the edges).
    fn leaving(&self, from: &mut usize) -> Option<usize> {
        let m = self.edges.len();
        for k in 0..m {
            let e = (*from + k) % m;
            if self.tree[e] && self.cut[e] < -1e-9 {
                *from = e + 1;
                return Some(e);
            }
        }
        None
    }

    /// The non-tree edge with the least slack from the head side of `leave`'s cut to its tail side.
    fn entering(&self, leave: usize) -> Option<usize> {
        let c = self.edges[leave];
        // The side under the edge in the rooted tree, and whether it is the head's side.
        let (below, flip) = if self.lim[c.from] > self.lim[c.to] { (c.to, true) } else { (c.from, false) };
        let mut best: Option<(i64, usize)> = None;
        for (e, d) in self.edges.iter().enumerate() {
            if self.tree[e] {
                continue;
            }
            if flip == self.under(d.from, below) && flip != self.under(d.to, below) {
                let s = self.slack(e);
                if best.is_none_or(|(b, _)| s < b) {
                    best = Some((s, e));
                }
            }
        }
        best.map(|(_, e)| e)
    }

    fn exchange(&mut self, root: usize, leave: usize, enter: usize) {
        self.tree[leave] = false;
        self.tree[enter] = true;
        self.number(root);
        self.cut_values();
        // The ranks from the root down the tree (preorder: the postorder reversed).
        for i in (0..self.post.len()).rev() {
            let v = self.post[i];
            let Some(pe) = self.parent_edge[v] else { continue };
            let c = self.edges[pe];
            self.rank[v] = if c.to == v { self.rank[c.from] + c.minlen as i64 } else { self.rank[c.to] - c.minlen as i64 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn total(rank: &[usize], cs: &[Constraint]) -> f64 {
        cs.iter().map(|c| c.weight * (rank[c.to] as f64 - rank[c.from] as f64)).sum()
    }

    fn feasible(rank: &[usize], cs: &[Constraint]) -> bool {
        cs.iter().all(|c| rank[c.to] >= rank[c.from] + c.minlen)
    }

    fn c(from: usize, to: usize, minlen: usize) -> Constraint {
        Constraint { from, to, minlen, weight: 1.0 }
    }

    #[test]
    fn a_source_high_above_its_only_target_comes_down_to_it() {
        // 0 → 1 → 2 → 3 → 4, and 5 (a source, ranked 0 by the longest path) → 4.
        let cs = [c(0, 1, 1), c(1, 2, 1), c(2, 3, 1), c(3, 4, 1), c(5, 4, 1)];
        let mut rank = vec![0, 1, 2, 3, 4, 0];
        let before = total(&rank, &cs);
        tighten(&mut rank, &cs, 100);
        assert!(feasible(&rank, &cs));
        assert_eq!(rank[5], 3, "{rank:?}");
        assert_eq!(total(&rank, &cs), before - 3.0);
    }

    #[test]
    fn a_loop_closing_far_below_pulls_its_states_together() {
        // 0 → 1 → 2 → 3 → 4 → 5 (a spine), and 0 → 6 → 7 with 7 leaving for 4 and 5 and its loop
        // 7 → 6 (turned: 6 → 7). The longest path ranks 6 and 7 at 1 and 2, far above where they
        // lead; one rank down, two edges are shorter and one longer.
        let cs = [c(0, 1, 1), c(1, 2, 1), c(2, 3, 1), c(3, 4, 1), c(4, 5, 1), c(0, 6, 1), c(6, 7, 1), c(7, 4, 1), c(7, 5, 1), c(6, 7, 1)];
        let mut rank = vec![0, 1, 2, 3, 4, 5, 1, 2];
        let before = total(&rank, &cs);
        tighten(&mut rank, &cs, 100);
        assert!(feasible(&rank, &cs));
        assert_eq!(total(&rank, &cs), before - 1.0, "{rank:?}");
        assert_eq!((rank[6], rank[7]), (2, 3), "{rank:?}");
    }

    #[test]
    fn the_result_is_optimal_on_small_random_graphs() {
        // Against every ranking of up to 5 nodes, by brute force (no optimum needs more ranks than
        // the sum of the minimum lengths along a path: 2 × 4).
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for _ in 0..60 {
            let n = 3 + next(3) as usize;
            // A DAG: edges from lower to higher index, some of minimum length 2.
            let mut cs = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    if next(3) == 0 {
                        cs.push(Constraint { from: a, to: b, minlen: 1 + next(2) as usize, weight: 1.0 + next(2) as f64 });
                    }
                }
            }
            if cs.is_empty() {
                continue;
            }
            // The longest path.
            let mut rank = vec![0usize; n];
            for v in 0..n {
                for e in cs.iter().filter(|e| e.to == v) {
                    rank[v] = rank[v].max(rank[e.from] + e.minlen);
                }
            }
            let mut best = f64::INFINITY;
            let limit = 2 * n - 1;
            let mut r = vec![0usize; n];
            loop {
                if feasible(&r, &cs) {
                    best = best.min(total(&r, &cs));
                }
                let mut i = 0;
                while i < n && r[i] + 1 == limit {
                    r[i] = 0;
                    i += 1;
                }
                if i == n {
                    break;
                }
                r[i] += 1;
            }
            tighten(&mut rank, &cs, 1000);
            assert!(feasible(&rank, &cs), "{cs:?} {rank:?}");
            assert!((total(&rank, &cs) - best).abs() < 1e-9, "{cs:?}: {rank:?} gives {}, the best {best}", total(&rank, &cs));
            assert_eq!(rank.iter().min(), Some(&0));
        }
    }
}
