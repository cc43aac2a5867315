//! The minimap: the whole scene scaled into a small box, with the part the view shows as a
//! rectangle on it. It is shown only when the scene is larger than the view; a press or drag on
//! it centres the view on that point, at the same zoom.

use super::geometry::{Point, Rect, Viewport};

/// The box the minimap draws in, in screen pixels.
pub const WIDTH: f64 = 180.0;
pub const HEIGHT: f64 = 120.0;
/// Room around the scene inside the box.
const PAD: f64 = 6.0;

/// The scene `bounds` fitted into the minimap's box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimap {
    pub bounds: Rect,
    /// Minimap pixels per canvas pixel.
    pub scale: f64,
    /// Where the bounds' corner is drawn in the box.
    pub offset: Point,
}

impl Minimap {
    pub fn new(bounds: Rect) -> Minimap {
        let scale = ((WIDTH - 2.0 * PAD) / bounds.w.max(1.0)).min((HEIGHT - 2.0 * PAD) / bounds.h.max(1.0));
        let offset = Point::new((WIDTH - bounds.w * scale) / 2.0, (HEIGHT - bounds.h * scale) / 2.0);
        Minimap { bounds, scale, offset }
    }

    /// A canvas rectangle in minimap pixels.
    pub fn rect(&self, r: Rect) -> Rect {
        Rect::new(self.offset.x + (r.x - self.bounds.x) * self.scale, self.offset.y + (r.y - self.bounds.y) * self.scale, r.w * self.scale, r.h * self.scale)
    }

    /// A point of the minimap in canvas space.
    pub fn to_canvas(&self, p: Point) -> Point {
        Point::new(self.bounds.x + (p.x - self.offset.x) / self.scale, self.bounds.y + (p.y - self.offset.y) / self.scale)
    }

    /// The part of the canvas a `width` × `height` view shows through `viewport`, in minimap
    /// pixels.
    pub fn view(&self, viewport: &Viewport, width: f64, height: f64) -> Rect {
        let a = viewport.to_canvas(Point::new(0.0, 0.0));
        self.rect(Rect::new(a.x, a.y, width / viewport.zoom, height / viewport.zoom))
    }

    /// The viewport centred on the minimap point `p`, at the same zoom.
    pub fn centre_on(&self, p: Point, viewport: &Viewport, width: f64, height: f64) -> Viewport {
        let c = self.to_canvas(p);
        Viewport { x: width / 2.0 - c.x * viewport.zoom, y: height / 2.0 - c.y * viewport.zoom, zoom: viewport.zoom }
    }
}

/// The boxes `rects` (canvas space) as one SVG path in minimap pixels, each at least a pixel wide
/// and high: the minimap draws a machine's nodes as one element, not one per node, so a
/// keystroke or a drag at thousands of states redraws one path.
pub fn boxes_path(map: &Minimap, rects: impl IntoIterator<Item = Rect>) -> String {
    use std::fmt::Write;
    let mut d = String::new();
    for r in rects {
        let r = map.rect(r);
        let _ = write!(d, "M{:.1} {:.1}h{:.1}v{:.1}h{:.1}z", r.x, r.y, r.w.max(1.0), r.h.max(1.0), -r.w.max(1.0));
    }
    d
}

/// Whether the scene `bounds` sticks out of a `width` × `height` view (the minimap is shown).
pub fn needed(bounds: Rect, viewport: &Viewport, width: f64, height: f64) -> bool {
    let a = viewport.to_screen(Point::new(bounds.x, bounds.y));
    let b = viewport.to_screen(Point::new(bounds.right(), bounds.bottom()));
    width > 0.0 && height > 0.0 && (a.x < -1.0 || a.y < -1.0 || b.x > width + 1.0 || b.y > height + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scene_fits_the_box_and_points_map_back() {
        let m = Minimap::new(Rect::new(100.0, 0.0, 1000.0, 4000.0));
        let r = m.rect(m.bounds);
        assert!(r.x >= 0.0 && r.y >= 0.0 && r.right() <= WIDTH + 1e-9 && r.bottom() <= HEIGHT + 1e-9, "{r:?}");
        // Tall: the height fills the box less its padding, centred across.
        assert!((r.h - (HEIGHT - 2.0 * PAD)).abs() < 1e-9);
        assert!((r.center().x - WIDTH / 2.0).abs() < 1e-9);
        let p = Point::new(600.0, 2000.0);
        let on = m.rect(Rect::new(p.x, p.y, 0.0, 0.0));
        let back = m.to_canvas(Point::new(on.x, on.y));
        assert!((back.x - p.x).abs() < 1e-9 && (back.y - p.y).abs() < 1e-9);
    }

    #[test]
    fn a_press_centres_the_view_there_and_the_view_rect_follows() {
        let m = Minimap::new(Rect::new(0.0, 0.0, 2000.0, 2000.0));
        let v = Viewport { x: 0.0, y: 0.0, zoom: 0.5 };
        let moved = m.centre_on(Point::new(WIDTH / 2.0, HEIGHT / 2.0), &v, 800.0, 600.0);
        assert_eq!(moved.zoom, 0.5);
        let centre = moved.to_canvas(Point::new(400.0, 300.0));
        assert!((centre.x - 1000.0).abs() < 1e-9 && (centre.y - 1000.0).abs() < 1e-9);
        // The view rect is centred on the press.
        let view = m.view(&moved, 800.0, 600.0);
        assert!((view.center().x - WIDTH / 2.0).abs() < 1e-9 && (view.center().y - HEIGHT / 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_boxes_are_one_path_of_closed_rectangles_in_minimap_pixels() {
        let m = Minimap::new(Rect::new(0.0, 0.0, 1000.0, 1000.0));
        let d = boxes_path(&m, [Rect::new(0.0, 0.0, 100.0, 50.0), Rect::new(500.0, 500.0, 0.0, 0.0)]);
        let a = m.rect(Rect::new(0.0, 0.0, 100.0, 50.0));
        let b = m.rect(Rect::new(500.0, 500.0, 0.0, 0.0));
        assert_eq!(
            d,
            format!("M{:.1} {:.1}h{:.1}v{:.1}h{:.1}zM{:.1} {:.1}h1.0v1.0h-1.0z", a.x, a.y, a.w, a.h, -a.w, b.x, b.y),
            "a box too small to see is drawn one pixel wide"
        );
        assert_eq!(boxes_path(&m, []), "");
    }

    #[test]
    fn it_is_needed_only_when_the_scene_is_larger_than_the_view() {
        let bounds = Rect::new(0.0, 0.0, 400.0, 300.0);
        let fit = Viewport { x: 200.0, y: 150.0, zoom: 1.0 };
        assert!(!needed(bounds, &fit, 800.0, 600.0));
        assert!(needed(bounds, &Viewport { x: 200.0, y: 150.0, zoom: 2.0 }, 800.0, 600.0));
        assert!(needed(bounds, &Viewport { x: -50.0, y: 0.0, zoom: 1.0 }, 800.0, 600.0));
    }
}
