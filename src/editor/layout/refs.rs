//! The references phase: which edges are drawn as a short stub ending in a labelled reference to
//! their target ("→ Notify Failure") instead of a long edge across the drawing.
//!
//! Real workflows send many states to one shared target: twenty Catches to one "Handle
//! Failure", a Choice's defaults to one Fail, many terminal states to End. Drawn in full, those
//! edges run the length of the machine, bundle beside it (and, once it wraps into bands, in the
//! gutters between them) and cross everything on their way; at the zoom that fits a big machine
//! they are a grey mass that no one can follow. A reader of a big diagram follows a name better
//! than a line, as a subway map names the line to change to instead of drawing it across the map.
//!
//! The rule: a target entered by at least [`HUB_MIN`] edges going down is a hub; of its edges,
//! the one from the nearest source, and every edge spanning at most [`LONG`] ranks, are drawn in
//! full; the others become references. Loops are never references (they are what the drawing's
//! shape says), nor edges into a target that few states reach. The seed's error handler, reached
//! by three edges, keeps them all.

/// A target entered by at least this many edges going down is shared enough that its far
/// sources name it instead of drawing a line to it.
pub(super) const HUB_MIN: usize = 4;
/// An edge spanning at most this many ranks is drawn in full (a labelled edge spans two: this is
/// about two states apart).
pub(super) const LONG: usize = 4;

/// Which of the edges become references, given each edge's ends when it goes down the layers
/// (None for a loop, an edge onto its own node, an edge from Start) and each node's rank.
pub(super) fn references(down: &[Option<(usize, usize)>], rank: &[usize]) -> Vec<bool> {
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); rank.len()];
    for (i, ends) in down.iter().enumerate() {
        if let Some((_, to)) = *ends {
            into[to].push(i);
        }
    }
    let mut out = vec![false; down.len()];
    for (to, edges) in into.iter().enumerate() {
        if edges.len() < HUB_MIN {
            continue;
        }
        let from = |i: usize| down[i].expect("an edge going down").0;
        // The nearest source keeps its line, so that the target stays joined to the drawing (the
        // first in the document on a tie).
        let nearest = edges.iter().copied().max_by_key(|&i| (rank[from(i)], std::cmp::Reverse(i)));
        for &i in edges {
            if Some(i) != nearest && rank[to].saturating_sub(rank[from(i)]) > LONG {
                out[i] = true;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn far_edges_into_a_shared_target_become_references_and_the_nearest_stays_drawn() {
        // Nodes 0..=9 ranked 0..=9; node 9 reached from 1, 2, 3 and 8.
        let rank: Vec<usize> = (0..10).collect();
        let down = [Some((1, 9)), Some((2, 9)), Some((3, 9)), Some((8, 9)), Some((0, 1))];
        assert_eq!(references(&down, &rank), [true, true, true, false, false]);
    }

    #[test]
    fn a_target_few_edges_reach_and_short_edges_are_drawn_in_full() {
        let rank: Vec<usize> = (0..10).collect();
        // Three edges in: not shared enough, however long.
        assert_eq!(references(&[Some((0, 9)), Some((1, 9)), Some((2, 9))], &rank), [false; 3]);
        // Four in, two of them within LONG ranks of the target.
        let near = 9 - LONG;
        let down = [Some((0, 9)), Some((1, 9)), Some((near, 9)), Some((8, 9))];
        assert_eq!(references(&down, &rank), [true, true, false, false]);
        // Loops and edges not going down are never references.
        let down = [None, None, None, None, Some((0, 9))];
        assert_eq!(references(&down, &rank), [false; 5]);
    }

    #[test]
    fn on_a_tie_the_first_edge_of_the_nearest_sources_keeps_its_line() {
        let rank = [0, 0, 0, 0, 9];
        let down = [Some((0, 4)), Some((1, 4)), Some((2, 4)), Some((3, 4))];
        assert_eq!(references(&down, &rank), [false, true, true, true]);
    }
}
