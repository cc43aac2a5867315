//! The wrapping phase: a machine far longer than it is wide is cut between ranks into bands laid
//! side by side (top down: columns, left to right: rows), as a long text wraps into lines, so
//! that Fit shows it at a zoom where its names can be read instead of as a thin column in the
//! middle of a wide canvas. The edges that cross from one band to the next leave the bottom of
//! their band, run in the gutter between the two bands (each in its own lane, so that they do
//! not cross one another) and enter the next band from its top.
//!
//! How many bands: the number that gives the largest Fit on a canvas of [`CANVAS_ASPECT`], and
//! one band (no wrap) unless wrapping gains at least [`GAIN`]. Where to cut: near equal lengths,
//! at the gap between ranks that the fewest edges cross.

use crate::editor::geometry::Point;

/// The canvas's width over its height the wrap aims at: the canvas beside the palette and the
/// right column is 628 × 724 px in a 1280 × 800 window, 788 × 824 at 1440 × 900 and
/// 1268 × 1004 at 1920 × 1080 (0.87 to 1.26).
pub(super) const CANVAS_ASPECT: f64 = 1.0;
/// Between a band and the first lane of its connectors.
const MARGIN: f64 = 28.0;
/// Between two connectors' lanes.
const LANE: f64 = 10.0;
const MAX_BANDS: usize = 8;
/// A band holds at least this many ranks (a short machine is never wrapped).
const MIN_RANKS: usize = 6;
/// Wrapping must make Fit's zoom this much larger to be worth its connectors.
const GAIN: f64 = 1.3;

/// The layers' space as the bands cut it (across, along: see [`super::Direction`]).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Wrap {
    /// Each rank's band.
    band: Vec<usize>,
    /// Each band's shift (across, along).
    shift: Vec<(f64, f64)>,
    /// Each band's depth along, once shifted to start at 0.
    depth: Vec<f64>,
    /// Each gutter (after band `g`): where it starts across, once shifted.
    gutter: Vec<f64>,
    /// The ranks where bands start (the first is 0).
    firsts: Vec<usize>,
    /// The whole width across, gutters included.
    width: f64,
}

/// What the wrap needs of the layers: each rank's vertices, their size and place across, each
/// rank's start and depth along, and the ranks each edge runs between (none for an edge drawn
/// swinging out beside its node).
pub(super) struct Ranks<'a> {
    layers: &'a [Vec<usize>],
    across: &'a [f64],
    x: &'a [f64],
    start: &'a [f64],
    deep: &'a [f64],
    /// How many edges cross the gap just before each rank.
    crossed: Vec<usize>,
}

impl<'a> Ranks<'a> {
    pub(super) fn new(layers: &'a [Vec<usize>], across: &'a [f64], x: &'a [f64], start: &'a [f64], deep: &'a [f64], spans: &[Option<(usize, usize)>]) -> Self {
        // (Counted once, by differences: a 500-state machine is cut in many places.)
        let mut delta = vec![0isize; layers.len() + 1];
        for &(top, bottom) in spans.iter().flatten() {
            if top < bottom {
                delta[top + 1] += 1;
                delta[bottom + 1] -= 1;
            }
        }
        let crossed = delta.iter().scan(0isize, |acc, d| {
            *acc += d;
            Some(*acc as usize)
        });
        Ranks { layers, across, x, start, deep, crossed: crossed.take(layers.len()).collect() }
    }
    fn count(&self) -> usize {
        self.layers.len()
    }
    /// How many edges cross the gap just before rank `r`.
    fn crossing(&self, r: usize) -> usize {
        self.crossed[r]
    }
    fn end(&self, r: usize) -> f64 {
        self.start[r] + self.deep[r]
    }
}

impl Wrap {
    /// No wrap: one band, as laid out.
    pub(super) fn none(ranks: usize) -> Wrap {
        Wrap { band: vec![0; ranks], shift: vec![(0.0, 0.0)], depth: vec![0.0], gutter: Vec::new(), firsts: vec![0], width: 0.0 }
    }

    /// The wrap that gives the largest Fit on a canvas `aspect` times wider across than along.
    pub(super) fn choose(ranks: &Ranks, aspect: f64) -> Wrap {
        let n = ranks.count();
        let one = Wrap::build(ranks, vec![0]);
        let mut best = (one.fit(ranks, aspect), one.clone());
        for k in 2..=MAX_BANDS.min(n / MIN_RANKS) {
            let wrap = Wrap::build(ranks, cuts(ranks, k));
            let fit = wrap.fit(ranks, aspect);
            if fit > best.0 {
                best = (fit, wrap);
            }
        }
        if best.0 >= GAIN * one.fit(ranks, aspect) { best.1 } else { one }
    }

    fn build(ranks: &Ranks, firsts: Vec<usize>) -> Wrap {
        let n = ranks.count();
        let bands = firsts.len();
        let mut band = vec![0; n];
        let (mut shift, mut depth, mut gutter) = (Vec::new(), Vec::new(), Vec::new());
        let mut cursor = 0.0;
        for b in 0..bands {
            let (first, last) = (firsts[b], firsts.get(b + 1).map_or(n, |&f| f) - 1);
            band[first..=last].iter_mut().for_each(|x| *x = b);
            let verts = ranks.layers[first..=last].iter().flatten();
            let lo = verts.clone().map(|&v| ranks.x[v] - ranks.across[v] / 2.0).fold(f64::INFINITY, f64::min);
            let hi = verts.map(|&v| ranks.x[v] + ranks.across[v] / 2.0).fold(f64::NEG_INFINITY, f64::max);
            let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
            shift.push((cursor - lo, -ranks.start[first]));
            depth.push(ranks.end(last) - ranks.start[first]);
            cursor += hi - lo;
            if b + 1 < bands {
                gutter.push(cursor);
                cursor += gutter_width(ranks.crossing(firsts[b + 1]));
            }
        }
        Wrap { band, shift, depth, gutter, firsts, width: cursor }
    }

    /// Fit's zoom on a canvas of `aspect` (its height 1), up to a constant.
    fn fit(&self, ranks: &Ranks, aspect: f64) -> f64 {
        let across = self.width;
        let lanes = (1..self.firsts.len()).map(|b| ranks.crossing(self.firsts[b])).max().unwrap_or(0);
        let room = if self.firsts.len() > 1 { 2.0 * (MARGIN + LANE * lanes as f64) } else { 0.0 };
        let along = self.depth.iter().copied().fold(0.0, f64::max) + room;
        (aspect / across.max(1.0)).min(1.0 / along.max(1.0))
    }

    pub(super) fn bands(&self) -> usize {
        self.firsts.len()
    }

    /// A point of rank `r` (in the layers' space as laid out) where the wrap puts it.
    pub(super) fn point(&self, r: usize, p: Point) -> Point {
        let (dx, dy) = self.shift[self.band[r]];
        Point::new(p.x + dx, p.y + dy)
    }

    pub(super) fn band(&self, r: usize) -> usize {
        self.band[r]
    }

    /// The first rank of the band after gutter `g`.
    pub(super) fn after(&self, g: usize) -> usize {
        self.firsts[g + 1]
    }

    /// The corners of the `lane`-th of `lanes` connectors in gutter `g`, from `from` (the bottom
    /// of band `g`, wrapped) to `to` (the top of band `g + 1`, wrapped): down out of the band,
    /// across to the gutter, up beside the band to above the next, across, then down into it.
    /// Lane 0 is the leftmost edge leaving the band: it runs lowest below it, furthest along the
    /// gutter and nearest above the next band, so that the connectors of one gutter never cross.
    pub(super) fn connector(&self, g: usize, lane: usize, lanes: usize, from: Point, to: Point) -> [Point; 4] {
        let outer = (lanes - 1 - lane) as f64 * LANE;
        let below = self.depth[g] + MARGIN + outer;
        let beside = self.gutter[g] + MARGIN + outer;
        let above = -MARGIN - lane as f64 * LANE;
        [Point::new(from.x, below), Point::new(beside, below), Point::new(beside, above), Point::new(to.x, above)]
    }
}

fn gutter_width(lanes: usize) -> f64 {
    2.0 * MARGIN + LANE * lanes.saturating_sub(1) as f64
}

/// The first ranks of `k` bands of near equal lengths, each cut at the gap the fewest edges
/// cross within a fifth of a band's length of where an equal cut would be.
fn cuts(ranks: &Ranks, k: usize) -> Vec<usize> {
    let n = ranks.count();
    let total = ranks.end(n - 1);
    let mut firsts = vec![0];
    for b in 1..k {
        let ideal = total * b as f64 / k as f64;
        let window = total / k as f64 / 5.0;
        let prev = *firsts.last().expect("a first band");
        let lo = prev + MIN_RANKS;
        let hi = n.saturating_sub(MIN_RANKS * (k - b));
        if lo > hi {
            break;
        }
        let score = |r: usize| {
            let off = (ranks.start[r] - ideal).abs();
            (if off <= window { 0 } else { 1 }, if off <= window { ranks.crossing(r) } else { 0 }, off)
        };
        let best = (lo..=hi).min_by(|&a, &c| {
            let (sa, sc) = (score(a), score(c));
            sa.0.cmp(&sc.0).then(sa.1.cmp(&sc.1)).then(sa.2.total_cmp(&sc.2))
        });
        firsts.extend(best);
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A chain of `n` ranks, one vertex each, 200 wide and 60 deep with gaps of 64.
    fn chain(n: usize) -> (Vec<Vec<usize>>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<Option<(usize, usize)>>) {
        let layers = (0..n).map(|r| vec![r]).collect();
        let start = (0..n).map(|r| r as f64 * 124.0).collect();
        let spans = (1..n).map(|r| Some((r - 1, r))).collect();
        (layers, vec![200.0; n], vec![100.0; n], start, vec![60.0; n], spans)
    }

    #[test]
    fn a_short_machine_is_not_wrapped() {
        let (layers, across, x, start, deep, spans) = chain(8);
        let r = Ranks::new(&layers, &across, &x, &start, &deep, &spans);
        assert_eq!(Wrap::choose(&r, CANVAS_ASPECT).bands(), 1);
    }

    #[test]
    fn a_long_chain_wraps_into_columns_of_near_equal_length_and_fits_larger() {
        let (layers, across, x, start, deep, spans) = chain(60);
        let r = Ranks::new(&layers, &across, &x, &start, &deep, &spans);
        let wrap = Wrap::choose(&r, CANVAS_ASPECT);
        let k = wrap.bands();
        assert!((3..=8).contains(&k), "{k} bands");
        let lengths: Vec<usize> = (0..k).map(|b| (0..60).filter(|&q| wrap.band(q) == b).count()).collect();
        assert!(lengths.iter().max().unwrap() - lengths.iter().min().unwrap() <= 2, "{lengths:?}");
        assert!(wrap.fit(&r, CANVAS_ASPECT) > GAIN * Wrap::build(&r, vec![0]).fit(&r, CANVAS_ASPECT));
        // Every band starts at the top, and each lies right of the one before, past its gutter.
        for b in 0..k {
            let first = wrap.firsts[b];
            assert_eq!(wrap.point(first, Point::new(100.0, start[first])).y, 0.0);
            if b > 0 {
                let left = wrap.point(first, Point::new(0.0, 0.0)).x;
                assert!(left >= wrap.gutter[b - 1] + 2.0 * MARGIN - 1e-9, "band {b} at {left}");
            }
        }
    }

    #[test]
    fn the_cut_goes_where_the_fewest_edges_cross() {
        // 24 ranks; a long edge spans ranks 0..=11, so a cut at 12 crosses one edge, elsewhere
        // near the middle two.
        let (layers, across, x, start, deep, mut spans) = chain(24);
        spans.push(Some((0, 11)));
        let r = Ranks::new(&layers, &across, &x, &start, &deep, &spans);
        assert_eq!(cuts(&r, 2), vec![0, 12]);
    }

    #[test]
    fn connectors_of_one_gutter_do_not_cross() {
        let (layers, across, x, start, deep, mut spans) = chain(24);
        spans.push(Some((0, 20)));
        let r = Ranks::new(&layers, &across, &x, &start, &deep, &spans);
        let wrap = Wrap::build(&r, vec![0, 12]);
        let a = wrap.connector(0, 0, 2, Point::new(50.0, 0.0), Point::new(500.0, 0.0));
        let b = wrap.connector(0, 1, 2, Point::new(150.0, 0.0), Point::new(600.0, 0.0));
        // The leftmost runs lower below, further along the gutter, nearer above.
        assert!(a[0].y > b[0].y && a[1].x > b[1].x && a[2].y > b[2].y);
        // Everything below its band and above the next.
        assert!(b[0].y > wrap.depth[0] && a[2].y < 0.0);
    }
}
