//! Geometry: points and rectangles in canvas space, the one viewport transform with its two
//! conversions (screen ↔ canvas), zoom about a point, fit-to-view, and pure edge paths.

use serde::{Deserialize, Serialize};

/// A point (or a vector) in canvas or screen space.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }
    fn dist(self, o: Point) -> f64 {
        ((self.x - o.x).powi(2) + (self.y - o.y).powi(2)).sqrt()
    }
}

/// An axis-aligned rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }
    pub fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }
    pub fn right(&self) -> f64 {
        self.x + self.w
    }
    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }
    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.x && p.x <= self.right() && p.y >= self.y && p.y <= self.bottom()
    }
    /// The smallest rectangle holding both.
    pub fn union(&self, o: &Rect) -> Rect {
        let x = self.x.min(o.x);
        let y = self.y.min(o.y);
        Rect::new(x, y, self.right().max(o.right()) - x, self.bottom().max(o.bottom()) - y)
    }
    pub fn translate(&self, dx: f64, dy: f64) -> Rect {
        Rect::new(self.x + dx, self.y + dy, self.w, self.h)
    }
}

/// The view onto the canvas: `screen = canvas * zoom + (x, y)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { x: 0.0, y: 0.0, zoom: 1.0 }
    }
}

/// The zoom range: far enough out for 500 states, close enough to read a label.
pub const MIN_ZOOM: f64 = 0.1;
/// How far fit may zoom out to show a whole machine: any machine fits (a 300-state chain laid
/// out left to right is about 100,000 px long). Below [`MIN_ZOOM`] the wheel only zooms in.
pub const FIT_MIN_ZOOM: f64 = 0.005;
pub const MAX_ZOOM: f64 = 2.5;

impl Viewport {
    /// A point on the screen (relative to the canvas element) in canvas coordinates.
    pub fn to_canvas(&self, screen: Point) -> Point {
        Point::new((screen.x - self.x) / self.zoom, (screen.y - self.y) / self.zoom)
    }
    /// A canvas point on the screen.
    pub fn to_screen(&self, canvas: Point) -> Point {
        Point::new(canvas.x * self.zoom + self.x, canvas.y * self.zoom + self.y)
    }
    /// Zoomed by `factor` (clamped) keeping the canvas point under `screen` fixed. A view that
    /// fit zoomed out below [`MIN_ZOOM`] does not zoom out further, nor jumps back in.
    pub fn zoom_at(&self, screen: Point, factor: f64) -> Viewport {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM.min(self.zoom), MAX_ZOOM);
        let anchor = self.to_canvas(screen);
        Viewport { x: screen.x - anchor.x * zoom, y: screen.y - anchor.y * zoom, zoom }
    }
    /// Moved by a screen-space delta.
    pub fn pan(&self, dx: f64, dy: f64) -> Viewport {
        Viewport { x: self.x + dx, y: self.y + dy, zoom: self.zoom }
    }
    /// The viewport that shows `bounds` whole and centred in a `width` × `height` screen with
    /// `padding` pixels around, never magnified beyond 1. When that would zoom out below
    /// `min_zoom` (a long machine), it stays readable at `min_zoom` and shows the top (where
    /// Start is), centred across.
    pub fn fit(bounds: Rect, width: f64, height: f64, padding: f64, min_zoom: f64) -> Viewport {
        let avail_w = (width - 2.0 * padding).max(1.0);
        let avail_h = (height - 2.0 * padding).max(1.0);
        let whole = (avail_w / bounds.w.max(1.0)).min(avail_h / bounds.h.max(1.0)).clamp(FIT_MIN_ZOOM, 1.0);
        let zoom = whole.max(min_zoom.min(1.0));
        let c = bounds.center();
        let y = if bounds.h * zoom > avail_h { padding - bounds.y * zoom } else { height / 2.0 - c.y * zoom };
        Viewport { x: width / 2.0 - c.x * zoom, y, zoom }
    }
    /// The CSS transform of the canvas layer.
    pub fn css_transform(&self) -> String {
        format!("translate({:.2}px, {:.2}px) scale({:.4})", self.x, self.y, self.zoom)
    }
}

/// A cubic Bézier edge path: start, two control points, end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Curve {
    pub from: Point,
    pub c1: Point,
    pub c2: Point,
    pub to: Point,
}

/// The SVG path data of curves drawn one after another (an edge's route).
pub fn path_svg(curves: &[Curve]) -> String {
    let mut out = String::with_capacity(48 * curves.len());
    for (i, c) in curves.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        c.svg_into(&mut out);
    }
    out
}

impl Curve {
    /// The same curve moved by (`dx`, `dy`).
    pub fn translate(&self, dx: f64, dy: f64) -> Curve {
        let t = |p: Point| Point::new(p.x + dx, p.y + dy);
        Curve { from: t(self.from), c1: t(self.c1), c2: t(self.c2), to: t(self.to) }
    }
    /// The point at `t` in 0..=1.
    pub fn at(&self, t: f64) -> Point {
        let u = 1.0 - t;
        let (a, b, c, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
        Point::new(
            a * self.from.x + b * self.c1.x + c * self.c2.x + d * self.to.x,
            a * self.from.y + b * self.c1.y + c * self.c2.y + d * self.to.y,
        )
    }
    /// The SVG path data.
    pub fn svg(&self) -> String {
        let mut out = String::with_capacity(48);
        self.svg_into(&mut out);
        out
    }
    /// Appends the SVG path data to `out`.
    pub fn svg_into(&self, out: &mut String) {
        use std::fmt::Write;
        let _ = write!(
            out,
            "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            self.from.x, self.from.y, self.c1.x, self.c1.y, self.c2.x, self.c2.y, self.to.x, self.to.y
        );
    }
    /// The distance from `p` to the curve, sampled (good to a pixel for hit tests).
    pub fn distance(&self, p: Point) -> f64 {
        let mut best = f64::INFINITY;
        let mut prev = self.from;
        for i in 1..=24 {
            let next = self.at(i as f64 / 24.0);
            best = best.min(segment_distance(p, prev, next));
            prev = next;
        }
        best
    }
}

fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return p.dist(a);
    }
    let t = (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0);
    p.dist(Point::new(a.x + t * dx, a.y + t * dy))
}

/// The path of an edge leaving `from` at the bottom (at `exit_x`) for `to`. A forward edge
/// (target below) enters the target's top; a back edge (a loop) swings out to the right and
/// enters the target's right side, so it never cuts through the nodes between.
pub fn edge_curve(from: &Rect, exit_x: f64, to: &Rect) -> Curve {
    edge_curve_in_lane(from, exit_x, to, 0)
}

/// [`edge_curve`] for the `lane`-th of several edges between the same two nodes: a back edge
/// leaves and enters a little lower and swings a little wider per lane, so that none is drawn
/// over another (a forward edge is told apart by its `exit_x`).
pub fn edge_curve_in_lane(from: &Rect, exit_x: f64, to: &Rect, lane: usize) -> Curve {
    if to.y >= from.bottom() - 1.0 {
        let start = Point::new(exit_x, from.bottom());
        let end = Point::new(to.center().x, to.y);
        let bend = ((end.y - start.y) / 2.0).max(24.0);
        Curve { from: start, c1: Point::new(start.x, start.y + bend), c2: Point::new(end.x, end.y - bend), to: end }
    } else {
        let lane = lane as f64;
        let start = Point::new(from.right(), (from.center().y + 8.0 * lane).min(from.bottom()));
        let end = Point::new(to.right(), (to.center().y + 8.0 * lane).min(to.bottom()));
        let reach = 60.0 + (start.y - end.y).abs() * 0.15 + 24.0 * lane;
        let x = start.x.max(end.x) + reach;
        Curve { from: start, c1: Point::new(x, start.y), c2: Point::new(x, end.y), to: end }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: Point, b: Point) -> bool {
        (a.x - b.x).abs() < 1e-9 && (a.y - b.y).abs() < 1e-9
    }

    #[test]
    fn screen_and_canvas_round_trip_through_any_viewport() {
        for v in [Viewport::default(), Viewport { x: 40.0, y: -12.0, zoom: 0.5 }, Viewport { x: -3.0, y: 7.0, zoom: 2.0 }] {
            let p = Point::new(123.0, -45.5);
            assert!(close(v.to_screen(v.to_canvas(p)), p), "{v:?}");
        }
    }

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let v = Viewport { x: 10.0, y: 20.0, zoom: 1.0 };
        let cursor = Point::new(300.0, 200.0);
        let before = v.to_canvas(cursor);
        let z = v.zoom_at(cursor, 1.5);
        assert_eq!(z.zoom, 1.5);
        assert!(close(z.to_canvas(cursor), before));
        assert_eq!(v.zoom_at(cursor, 100.0).zoom, MAX_ZOOM);
        assert_eq!(v.zoom_at(cursor, 0.0001).zoom, MIN_ZOOM);
        // Fit went further out: zooming out stays there, zooming in comes back.
        let far = Viewport { x: 0.0, y: 0.0, zoom: 0.02 };
        assert_eq!(far.zoom_at(cursor, 0.5).zoom, 0.02);
        assert_eq!(far.zoom_at(cursor, 2.0).zoom, 0.04);
    }

    #[test]
    fn fit_centres_the_bounds_and_never_magnifies() {
        let small = Viewport::fit(Rect::new(0.0, 0.0, 100.0, 50.0), 800.0, 600.0, 40.0, 0.0);
        assert_eq!(small.zoom, 1.0);
        assert!(close(small.to_screen(Point::new(50.0, 25.0)), Point::new(400.0, 300.0)));
        let tall = Rect::new(-100.0, 0.0, 2000.0, 4000.0);
        let big = Viewport::fit(tall, 800.0, 600.0, 50.0, 0.0);
        assert!((big.zoom - 500.0 / 4000.0).abs() < 1e-9);
        let top_left = big.to_screen(Point::new(-100.0, 0.0));
        assert!((top_left.y - 50.0).abs() < 1e-9);
        // Any graph fits, far below the wheel's floor.
        let long = Rect::new(0.0, 0.0, 100_000.0, 900.0);
        let all = Viewport::fit(long, 800.0, 600.0, 40.0, 0.0);
        assert!(all.zoom < MIN_ZOOM && all.to_screen(Point::new(100_000.0, 0.0)).x <= 760.0 + 1e-9);
        // Kept readable: the top shows, centred across.
        let readable = Viewport::fit(tall, 800.0, 600.0, 50.0, 0.4);
        assert_eq!(readable.zoom, 0.4);
        assert!((readable.to_screen(Point::new(0.0, 0.0)).y - 50.0).abs() < 1e-9);
        assert!((readable.to_screen(tall.center()).x - 400.0).abs() < 1e-9);
    }

    #[test]
    fn forward_edges_go_down_and_back_edges_swing_right() {
        let a = Rect::new(0.0, 0.0, 100.0, 40.0);
        let b = Rect::new(0.0, 100.0, 100.0, 40.0);
        let down = edge_curve(&a, 50.0, &b);
        assert_eq!((down.from, down.to), (Point::new(50.0, 40.0), Point::new(50.0, 100.0)));
        let up = edge_curve(&b, 50.0, &a);
        assert_eq!(up.from, Point::new(100.0, 120.0));
        assert!(up.c1.x > 100.0 && up.at(0.5).x > 100.0);
        assert!(down.distance(Point::new(50.0, 70.0)) < 0.5);
        assert!(down.distance(Point::new(90.0, 70.0)) > 30.0);
        assert!(down.svg().starts_with("M50.0,40.0 C"));
    }
}
