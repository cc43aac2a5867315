//! The ordering phase: the order of the vertices within each rank that makes few edge crossings.
//! Barycenter sweeps, alternately down and up (ties broken left, then right, as dagre does),
//! each followed by a transpose pass (adjacent vertices swapped while that removes crossings),
//! keeping the best order seen; it stops when several sweeps in a row find nothing better.
//!
//! The graph is proper: every edge joins adjacent ranks (`succs` one rank down, `preds` one up).

/// Sweeps at most; and how many sweeps without improvement end the search.
const SWEEPS: usize = 32;
const PATIENCE: usize = 8;
/// Transpose passes per sweep at most (each pass is linear in the vertices' degrees).
const TRANSPOSE_PASSES: usize = 6;

/// The crossings between each pair of adjacent ranks, summed.
pub(super) fn crossings(layers: &[Vec<usize>], succs: &[Vec<usize>], pos: &[usize]) -> usize {
    layers.windows(2).map(|w| crossings_between(&w[0], &w[1], succs, pos)).sum()
}

/// The crossings of the edges from `upper` down to `lower`: inversions among the edges' lower
/// ends when they are sorted by their upper ends (Barth, Jünger and Mutzel's accumulator tree).
fn crossings_between(upper: &[usize], lower: &[usize], succs: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut ends: Vec<usize> = Vec::new();
    for &u in upper {
        let start = ends.len();
        ends.extend(succs[u].iter().map(|&v| pos[v]));
        ends[start..].sort_unstable();
    }
    // Fenwick tree over the lower rank's positions: for each edge, how many earlier edges end
    // to its right.
    let n = lower.len() + 1;
    let mut tree = vec![0usize; n + 1];
    let mut seen = 0usize;
    let mut count = 0usize;
    for &e in &ends {
        // Earlier edges ending at or before e.
        let mut i = e + 1;
        let mut le = 0;
        while i > 0 {
            le += tree[i];
            i &= i - 1;
        }
        count += seen - le;
        let mut i = e + 1;
        while i <= n {
            tree[i] += 1;
            i += i & i.wrapping_neg();
        }
        seen += 1;
    }
    count
}

/// Each vertex's index within its rank.
pub(super) fn positions(layers: &[Vec<usize>], total: usize) -> Vec<usize> {
    let mut pos = vec![0usize; total];
    for layer in layers {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
        }
    }
    pos
}

/// Reorders `layers` in place (see the module's documentation).
pub(super) fn reduce_crossings(layers: &mut Vec<Vec<usize>>, preds: &[Vec<usize>], succs: &[Vec<usize>]) {
    let total = preds.len();
    let mut pos = positions(layers, total);
    let mut best = layers.clone();
    let mut best_count = crossings(layers, succs, &pos);
    let mut stale = 0;
    for sweep_no in 0..SWEEPS {
        if best_count == 0 {
            break;
        }
        let down = sweep_no % 2 == 0;
        let bias_right = sweep_no % 4 >= 2;
        sweep(layers, &mut pos, if down { preds } else { succs }, down, bias_right);
        transpose(layers, &mut pos, preds, succs);
        let count = crossings(layers, succs, &pos);
        if count < best_count {
            best_count = count;
            best.clone_from(layers);
            stale = 0;
        } else {
            stale += 1;
            if stale >= PATIENCE {
                break;
            }
        }
    }
    *layers = best;
}

/// The order with the fewest crossings after reducing each of `starts` (the first on a tie).
pub(super) fn best_of(starts: Vec<Vec<Vec<usize>>>, preds: &[Vec<usize>], succs: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut best: Option<(usize, Vec<Vec<usize>>)> = None;
    for mut layers in starts {
        reduce_crossings(&mut layers, preds, succs);
        let count = crossings(&layers, succs, &positions(&layers, preds.len()));
        if best.as_ref().is_none_or(|(c, _)| count < *c) {
            best = Some((count, layers));
        }
        if best.as_ref().is_some_and(|(c, _)| *c == 0) {
            break;
        }
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// dagre's first order: a depth-first walk down the edges from each vertex in rank order, each
/// vertex appended to its rank when first met.
pub(super) fn walk(rank: &[usize], succs: &[Vec<usize>], ranks: usize) -> Vec<Vec<usize>> {
    let mut by_rank: Vec<usize> = (0..rank.len()).collect();
    crate::asl::sort::sort_by_key(&mut by_rank, |&v| rank[v]);
    let mut layers = vec![Vec::new(); ranks];
    let mut seen = vec![false; rank.len()];
    for root in by_rank {
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            if seen[v] {
                continue;
            }
            seen[v] = true;
            layers[rank[v]].push(v);
            stack.extend(succs[v].iter().rev().copied().filter(|&w| !seen[w]));
        }
    }
    layers
}

/// One barycenter sweep: each rank (after the first, in the sweep's direction) sorted by the
/// mean position of its neighbours in the rank before; a vertex without any keeps its place.
fn sweep(layers: &mut [Vec<usize>], pos: &mut [usize], fixed: &[Vec<usize>], down: bool, bias_right: bool) {
    let ranks = layers.len();
    let order: Vec<usize> = if down { (1..ranks).collect() } else { (0..ranks.saturating_sub(1)).rev().collect() };
    for r in order {
        let mut keyed: Vec<(f64, f64, usize)> = layers[r]
            .iter()
            .map(|&v| {
                let nb = &fixed[v];
                let key = if nb.is_empty() { pos[v] as f64 } else { nb.iter().map(|&u| pos[u] as f64).sum::<f64>() / nb.len() as f64 };
                let tie = if bias_right { -(pos[v] as f64) } else { pos[v] as f64 };
                (key, tie, v)
            })
            .collect();
        crate::asl::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        layers[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
        for (i, &v) in layers[r].iter().enumerate() {
            pos[v] = i;
        }
    }
}

/// The crossings between the edges of `u` and of `v` (u left of v) to their neighbours `nb`.
fn pair_crossings(u: usize, v: usize, nb: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut c = 0;
    for &a in &nb[u] {
        for &b in &nb[v] {
            if pos[a] > pos[b] {
                c += 1;
            }
        }
    }
    c
}

/// Swaps adjacent vertices while a swap removes crossings (with both neighbouring ranks).
fn transpose(layers: &mut [Vec<usize>], pos: &mut [usize], preds: &[Vec<usize>], succs: &[Vec<usize>]) {
    for _ in 0..TRANSPOSE_PASSES {
        let mut improved = false;
        for layer in layers.iter_mut() {
            for i in 0..layer.len().saturating_sub(1) {
                let (v, w) = (layer[i], layer[i + 1]);
                let kept = pair_crossings(v, w, preds, pos) + pair_crossings(v, w, succs, pos);
                let swapped = pair_crossings(w, v, preds, pos) + pair_crossings(w, v, succs, pos);
                if swapped < kept {
                    layer.swap(i, i + 1);
                    pos[v] = i + 1;
                    pos[w] = i;
                    improved = true;
                }
            }
        }
        if !improved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// preds and succs of a proper graph from its edges.
    fn graph(total: usize, edges: &[(usize, usize)]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
        let (mut preds, mut succs) = (vec![Vec::new(); total], vec![Vec::new(); total]);
        for &(a, b) in edges {
            succs[a].push(b);
            preds[b].push(a);
        }
        (preds, succs)
    }

    /// Crossings counted pair by pair, to check the accumulator tree against.
    fn naive(layers: &[Vec<usize>], succs: &[Vec<usize>]) -> usize {
        let pos = positions(layers, succs.len());
        let mut c = 0;
        for layer in layers {
            let edges: Vec<(usize, usize)> = layer.iter().flat_map(|&u| succs[u].iter().map(move |&v| (u, v))).collect();
            for (i, a) in edges.iter().enumerate() {
                for b in &edges[i + 1..] {
                    let (x, y) = (pos[a.0] as i64 - pos[b.0] as i64, pos[a.1] as i64 - pos[b.1] as i64);
                    if x * y < 0 {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    #[test]
    fn crossings_are_counted_like_pair_by_pair() {
        // Two ranks of four, every edge drawn from a small generator.
        let mut seed = 11u64;
        for _ in 0..50 {
            let mut edges = Vec::new();
            for u in 0..4 {
                for v in 4..8 {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    if (seed >> 40) % 3 == 0 {
                        edges.push((u, v));
                    }
                }
            }
            let (_, succs) = graph(8, &edges);
            let layers = vec![vec![2, 0, 3, 1], vec![5, 7, 4, 6]];
            assert_eq!(crossings(&layers, &succs, &positions(&layers, 8)), naive(&layers, &succs), "{edges:?}");
        }
    }

    #[test]
    fn a_crossed_ladder_is_uncrossed() {
        // 0→3, 1→4, 2→5 drawn with the lower rank reversed: three crossings, none after.
        let (preds, succs) = graph(9, &[(0, 3), (1, 4), (2, 5), (3, 6), (4, 7), (5, 8)]);
        let mut layers = vec![vec![0, 1, 2], vec![5, 4, 3], vec![6, 8, 7]];
        assert!(crossings(&layers, &succs, &positions(&layers, 9)) > 0);
        reduce_crossings(&mut layers, &preds, &succs);
        assert_eq!(crossings(&layers, &succs, &positions(&layers, 9)), 0, "{layers:?}");
    }

    #[test]
    fn the_walk_meets_every_vertex_once_and_the_best_start_wins() {
        let (preds, succs) = graph(9, &[(0, 3), (1, 4), (2, 5), (3, 6), (4, 7), (5, 8)]);
        let rank = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        let walked = walk(&rank, &succs, 3);
        assert_eq!(walked, [vec![0, 1, 2], vec![3, 4, 5], vec![6, 7, 8]]);
        let crossed = vec![vec![0, 1, 2], vec![5, 4, 3], vec![6, 8, 7]];
        let best = best_of(vec![crossed, walked], &preds, &succs);
        assert_eq!(crossings(&best, &succs, &positions(&best, 9)), 0);
    }

    #[test]
    fn the_result_is_never_worse_than_the_start() {
        // K(3,3) between two ranks cannot be uncrossed; whatever the order, nothing gets worse.
        let edges: Vec<(usize, usize)> = (0..3).flat_map(|u| (3..6).map(move |v| (u, v))).collect();
        let (preds, succs) = graph(6, &edges);
        let mut layers = vec![vec![0, 1, 2], vec![3, 4, 5]];
        let before = crossings(&layers, &succs, &positions(&layers, 6));
        reduce_crossings(&mut layers, &preds, &succs);
        assert!(crossings(&layers, &succs, &positions(&layers, 6)) <= before);
        let mut sorted = layers.clone();
        sorted.iter_mut().for_each(|l| l.sort());
        assert_eq!(sorted, [vec![0, 1, 2], vec![3, 4, 5]], "the same vertices, reordered");
    }
}
