//! One stable sort for the whole crate, compiled once. The standard library's stable sort is
//! generic over the element and the comparison, so every `sort_by(|a, b| ...)` call site with
//! its own closure is a fresh copy of the whole merge sort (about 4 KB of wasm each; the page
//! had 26 of them). Here the sorting itself runs on `u32` indices with a `dyn` comparison
//! ([`order`]), instantiated once, and only a small loop of swaps ([`apply`]) is generic.
//! Same results as `slice::sort_by`: stable (equal items keep their order). Collecting into a
//! `BTreeSet` or `BTreeMap` sorts too (a copy per element type), so the page builds them by
//! inserting ([`set`], [`map`]).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The stable order of `n` items under `compare` (which compares two items by their
/// indices): `order[i]` is the index of the item that goes to position `i`.
pub fn order(n: usize, compare: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<u32> {
    let n = u32::try_from(n).expect("fewer than 2^32 items");
    let mut order: Vec<u32> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a as usize, b as usize));
    order
}

/// The swaps that put the items in `order` ([`order`]'s), one cycle of the permutation after
/// another: at most `n - 1`.
fn swaps(order: &[u32]) -> Vec<(u32, u32)> {
    let mut placed = vec![false; order.len()];
    let mut swaps = Vec::new();
    for start in 0..order.len() {
        let mut at = start;
        while !placed[at] {
            placed[at] = true;
            let from = order[at] as usize;
            if from == start {
                break;
            }
            // Position `at` takes the item from `from`; the item that was at `start` moves on to `from`.
            swaps.push((at as u32, from as u32));
            at = from;
        }
    }
    swaps
}

/// Puts `items` in `order` (position `i` takes the item that was at `order[i]`).
pub fn apply<T>(items: &mut [T], order: &[u32]) {
    debug_assert_eq!(items.len(), order.len());
    for (a, b) in swaps(order) {
        items.swap(a as usize, b as usize);
    }
}

/// Sorts `items` stably by `compare`: `slice::sort_by`, through the one sort of [`order`].
pub fn sort_by<T>(items: &mut [T], mut compare: impl FnMut(&T, &T) -> Ordering) {
    let order = order(items.len(), &mut |a, b| compare(&items[a], &items[b]));
    apply(items, &order);
}

/// Sorts `items` stably by the key `key` gives each: `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably in their natural order: `slice::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// The set of `items`, inserted one by one: `collect()` would sort them first, with a copy of
/// the stable sort for the element type.
pub fn set<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    set.extend(items);
    set
}

/// The map of `entries`, inserted one by one (a later value for the same key wins, as with
/// `collect()`, which would sort them first with a copy of the stable sort of its own).
pub fn map<K: Ord, V>(entries: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    map.extend(entries);
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed sequence of pseudo-random numbers (a linear congruential generator), so the
    /// cases are the same on every run.
    fn numbers(seed: u64, n: usize, below: u64) -> Vec<u64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                (x >> 33) % below
            })
            .collect()
    }

    #[test]
    fn sorts_as_the_standard_library_does_and_keeps_equal_items_in_order() {
        for (seed, n, below) in [(1, 0, 1), (2, 1, 5), (3, 2, 2), (4, 7, 3), (5, 100, 10), (6, 1000, 1000), (7, 257, 2)] {
            // Each item carries its original position: equal keys must keep their order.
            let items: Vec<(u64, usize)> = numbers(seed, n, below).into_iter().zip(0..).collect();
            let mut ours = items.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = items.clone();
            std.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(ours, std, "seed {seed}, {n} items");
            assert!(ours.windows(2).all(|w| w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 < w[1].1)), "seed {seed}");
        }
    }

    #[test]
    fn by_key_and_natural_order_and_reversed() {
        let mut words = vec!["pear", "fig", "apple", "kiwi", "banana", "date"];
        sort_by_key(&mut words, |w| w.len());
        assert_eq!(words, ["fig", "pear", "kiwi", "date", "apple", "banana"]);
        sort(&mut words);
        assert_eq!(words, ["apple", "banana", "date", "fig", "kiwi", "pear"]);
        sort_by_key(&mut words, |w| std::cmp::Reverse(w.len()));
        assert_eq!(words, ["banana", "apple", "date", "kiwi", "pear", "fig"]);
        let mut floats = vec![2.5, -1.0, f64::INFINITY, 0.0, -0.0];
        sort_by(&mut floats, f64::total_cmp);
        assert_eq!(floats.iter().map(|f| f.to_string()).collect::<Vec<_>>(), ["-1", "-0", "0", "2.5", "inf"]);
    }

    #[test]
    fn sets_and_maps_are_what_collect_gives() {
        let words = ["pear", "fig", "apple", "fig", "kiwi"];
        assert_eq!(set(words), words.into_iter().collect::<BTreeSet<_>>());
        let entries = [("b", 1), ("a", 2), ("b", 3)];
        assert_eq!(map(entries), entries.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(map(entries)["b"], 3, "the later value wins");
        assert!(set(Vec::<u8>::new()).is_empty());
    }

    #[test]
    fn applies_every_permutation_of_four() {
        let mut all = Vec::new();
        let mut p = [0u32, 1, 2, 3];
        // Heap's algorithm, iteratively: every order of four items.
        let mut c = [0usize; 4];
        all.push(p);
        let mut i = 0;
        while i < 4 {
            if c[i] < i {
                if i % 2 == 0 { p.swap(0, i) } else { p.swap(c[i], i) }
                all.push(p);
                c[i] += 1;
                i = 0;
            } else {
                c[i] = 0;
                i += 1;
            }
        }
        assert_eq!(all.len(), 24);
        for order in all {
            let mut items = vec!['a', 'b', 'c', 'd'];
            apply(&mut items, &order);
            let expected: Vec<char> = order.iter().map(|&i| ['a', 'b', 'c', 'd'][i as usize]).collect();
            assert_eq!(items, expected, "{order:?}");
            assert!(swaps(&order).len() <= 3);
        }
    }
}
