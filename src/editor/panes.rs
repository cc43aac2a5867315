//! The workspace's pane sizes and their splitters: the palette's and the side column's widths,
//! the inspector's height above the code, and the Run drawer's height. Drags and arrow keys
//! give new sizes, always clamped so that every pane (the canvas above all) keeps room in the
//! window; the sizes are kept as JSON (the page stores them as a UI preference), and a stored
//! value that is not usable gives the defaults back.

use serde::{Deserialize, Serialize};

/// One splitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Splitter {
    /// Between the palette and the canvas (a vertical bar: the palette's width).
    Palette,
    /// Between the canvas and the side column (the side column's width).
    Side,
    /// Between the inspector and the code (a horizontal bar: the inspector's height).
    Inspector,
    /// Above the Run drawer (the drawer's height).
    Drawer,
}

impl Splitter {
    pub const ALL: [Splitter; 4] = [Splitter::Palette, Splitter::Side, Splitter::Inspector, Splitter::Drawer];

    /// Whether the bar is vertical (dragged left and right; `aria-orientation`).
    pub fn vertical(self) -> bool {
        matches!(self, Splitter::Palette | Splitter::Side)
    }

    /// Its accessible name.
    pub fn label(self) -> &'static str {
        match self {
            Splitter::Palette => "Resize the palette",
            Splitter::Side => "Resize the inspector and code column",
            Splitter::Inspector => "Resize the inspector above the code",
            Splitter::Drawer => "Resize the Run drawer",
        }
    }

    /// +1 when moving the bar right (or down) grows its pane, -1 when it shrinks it.
    fn sign(self) -> f64 {
        match self {
            Splitter::Palette | Splitter::Inspector => 1.0,
            Splitter::Side | Splitter::Drawer => -1.0,
        }
    }
}

/// The window the panes share, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    pub width: f64,
    pub height: f64,
}

/// The smallest a pane may be.
const MIN_PALETTE: f64 = 140.0;
const MIN_SIDE: f64 = 260.0;
const MIN_INSPECTOR: f64 = 80.0;
const MIN_DRAWER: f64 = 120.0;
/// What the canvas keeps at least, across and down.
const MIN_CANVAS_W: f64 = 280.0;
const MIN_CANVAS_H: f64 = 140.0;
/// What the side column keeps under the inspector (the code pane's head and a few lines) and
/// the page keeps above the workspace (the top bar) and for the drawer's own head.
const CODE_KEEPS: f64 = 90.0;
const CHROME_H: f64 = 90.0;
/// The two vertical bars' widths (the stylesheet's `.splitter.vertical`), which the canvas's
/// column gives up.
const BARS_W: f64 = 10.0;
/// One arrow-key step, and one with Shift.
pub const STEP: f64 = 16.0;
pub const BIG_STEP: f64 = 64.0;

/// The four sizes, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PaneSizes {
    pub palette: f64,
    pub side: f64,
    pub inspector: f64,
    pub drawer: f64,
}

impl Default for PaneSizes {
    fn default() -> Self {
        PaneSizes { palette: 212.0, side: 430.0, inspector: 300.0, drawer: 360.0 }
    }
}

impl PaneSizes {
    pub fn get(&self, s: Splitter) -> f64 {
        match s {
            Splitter::Palette => self.palette,
            Splitter::Side => self.side,
            Splitter::Inspector => self.inspector,
            Splitter::Drawer => self.drawer,
        }
    }

    /// The range the pane of `s` may take in `window`, given the other sizes.
    pub fn range(&self, s: Splitter, window: Window) -> (f64, f64) {
        let (min, max) = match s {
            Splitter::Palette => (MIN_PALETTE, window.width - self.side - BARS_W - MIN_CANVAS_W),
            Splitter::Side => (MIN_SIDE, window.width - self.palette - BARS_W - MIN_CANVAS_W),
            // The inspector may take the whole column but the code pane's head.
            Splitter::Inspector => (MIN_INSPECTOR, window.height - CHROME_H - CODE_KEEPS),
            Splitter::Drawer => (MIN_DRAWER, window.height - CHROME_H - MIN_CANVAS_H),
        };
        // A window too small for every minimum gives each pane its minimum.
        (min, max.max(min))
    }

    /// These sizes with the pane of `s` set to `value`, clamped to its range.
    pub fn with(&self, s: Splitter, value: f64, window: Window) -> PaneSizes {
        let (min, max) = self.range(s, window);
        let v = if value.is_finite() { value.clamp(min, max).round() } else { self.get(s) };
        let mut out = *self;
        match s {
            Splitter::Palette => out.palette = v,
            Splitter::Side => out.side = v,
            Splitter::Inspector => out.inspector = v,
            Splitter::Drawer => out.drawer = v,
        }
        out
    }

    /// A drag of the bar of `s` that started when its pane was `start` and has moved the
    /// pointer by `delta` pixels (right or down positive, along the bar's axis).
    pub fn dragged(&self, s: Splitter, start: f64, delta: f64, window: Window) -> PaneSizes {
        self.with(s, start + s.sign() * delta, window)
    }

    /// The sizes after a key press on the bar of `s`, or `None` when the key does nothing.
    /// Arrows move the bar the way they point (Shift: further); Home and End take the pane
    /// to its smallest and largest.
    pub fn key(&self, s: Splitter, key: &str, shift: bool, window: Window) -> Option<PaneSizes> {
        let step = if shift { BIG_STEP } else { STEP };
        let delta = match (key, s.vertical()) {
            ("ArrowLeft", true) | ("ArrowUp", false) => -step,
            ("ArrowRight", true) | ("ArrowDown", false) => step,
            ("Home", _) => return Some(self.with(s, self.range(s, window).0, window)),
            ("End", _) => return Some(self.with(s, self.range(s, window).1, window)),
            _ => return None,
        };
        Some(self.dragged(s, self.get(s), delta, window))
    }

    /// The sizes after the bar of `s` is double-clicked (or Enter is pressed on it): its pane
    /// takes all the room it may (the inspector the whole column but the code pane's head), or,
    /// when it already has, goes back to its default size.
    pub fn toggled(&self, s: Splitter, window: Window) -> PaneSizes {
        let (_, max) = self.range(s, window);
        let target = if self.get(s) >= max { PaneSizes::default().get(s) } else { max };
        self.with(s, target, window)
    }

    /// Every size clamped to `window` (after the window changed, or as read from storage).
    pub fn fitted(&self, window: Window) -> PaneSizes {
        Splitter::ALL.iter().fold(*self, |sizes, &s| sizes.with(s, sizes.get(s), window))
    }

    /// The sizes as stored.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Sizes read back from storage, fitted to `window`; the defaults when the text is not
    /// what [`Self::to_json`] writes.
    pub fn from_json(text: &str, window: Window) -> PaneSizes {
        let read: PaneSizes = crate::asl::json::from_text(text).unwrap_or_default();
        let sane = [read.palette, read.side, read.inspector, read.drawer].iter().all(|v| v.is_finite());
        if sane { read } else { PaneSizes::default() }.fitted(window)
    }

    /// The CSS custom properties the stylesheet sizes the panes by.
    pub fn css_vars(&self) -> String {
        format!(
            "--palette-w: {}px; --side-w: {}px; --inspector-h: {}px; --drawer-h: {}px",
            self.palette, self.side, self.inspector, self.drawer
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: Window = Window { width: 1280.0, height: 800.0 };

    #[test]
    fn a_drag_grows_or_shrinks_the_pane_the_bar_belongs_to() {
        let s = PaneSizes::default();
        // Right grows the palette and shrinks the side column; down grows the inspector and
        // shrinks the drawer.
        assert_eq!(s.dragged(Splitter::Palette, 212.0, 30.0, LAPTOP).palette, 242.0);
        assert_eq!(s.dragged(Splitter::Side, 430.0, 30.0, LAPTOP).side, 400.0);
        assert_eq!(s.dragged(Splitter::Inspector, 300.0, 30.0, LAPTOP).inspector, 330.0);
        assert_eq!(s.dragged(Splitter::Drawer, 360.0, 30.0, LAPTOP).drawer, 330.0);
        // Only that pane changes.
        let d = s.dragged(Splitter::Palette, 212.0, 30.0, LAPTOP);
        assert_eq!((d.side, d.inspector, d.drawer), (s.side, s.inspector, s.drawer));
    }

    #[test]
    fn every_size_is_clamped_so_the_canvas_keeps_room() {
        let s = PaneSizes::default();
        let cases = [
            (Splitter::Palette, -1000.0, MIN_PALETTE),
            (Splitter::Palette, 5000.0, 1280.0 - 430.0 - BARS_W - MIN_CANVAS_W),
            (Splitter::Side, 5000.0, MIN_SIDE),
            (Splitter::Side, -5000.0, 1280.0 - 212.0 - BARS_W - MIN_CANVAS_W),
            (Splitter::Inspector, 5000.0, 800.0 - CHROME_H - CODE_KEEPS),
            (Splitter::Inspector, -5000.0, MIN_INSPECTOR),
            (Splitter::Drawer, -5000.0, 800.0 - CHROME_H - MIN_CANVAS_H),
            (Splitter::Drawer, 5000.0, MIN_DRAWER),
        ];
        for (splitter, delta, want) in cases {
            let got = s.dragged(splitter, s.get(splitter), delta, LAPTOP).get(splitter);
            assert_eq!(got, want, "{splitter:?} by {delta}");
        }
        // A window smaller than every minimum gives the minimums, not a negative size.
        let tiny = Window { width: 300.0, height: 200.0 };
        let f = s.fitted(tiny);
        assert_eq!((f.palette, f.side, f.inspector, f.drawer), (MIN_PALETTE, MIN_SIDE, MIN_INSPECTOR, MIN_DRAWER));
    }

    #[test]
    fn arrow_keys_move_the_bar_the_way_they_point() {
        let s = PaneSizes::default();
        let key = |sp, k, shift| s.key(sp, k, shift, LAPTOP).map(|n| n.get(sp));
        assert_eq!(key(Splitter::Palette, "ArrowRight", false), Some(212.0 + STEP));
        assert_eq!(key(Splitter::Palette, "ArrowLeft", true), Some(212.0 - BIG_STEP));
        assert_eq!(key(Splitter::Side, "ArrowLeft", false), Some(430.0 + STEP));
        assert_eq!(key(Splitter::Drawer, "ArrowUp", false), Some(360.0 + STEP));
        assert_eq!(key(Splitter::Inspector, "ArrowDown", false), Some(300.0 + STEP));
        assert_eq!(key(Splitter::Inspector, "Home", false), Some(MIN_INSPECTOR));
        assert_eq!(key(Splitter::Drawer, "End", false), Some(800.0 - CHROME_H - MIN_CANVAS_H));
        // Keys across the bar's axis, and other keys, do nothing.
        assert_eq!(key(Splitter::Palette, "ArrowUp", false), None);
        assert_eq!(key(Splitter::Drawer, "ArrowLeft", false), None);
        assert_eq!(key(Splitter::Drawer, "a", false), None);
    }

    #[test]
    fn a_double_click_gives_the_pane_all_its_room_and_another_gives_the_default_back() {
        let s = PaneSizes::default();
        let full = s.toggled(Splitter::Inspector, LAPTOP);
        assert_eq!(full.inspector, 800.0 - CHROME_H - CODE_KEEPS, "the whole column but the code's head");
        assert_eq!((full.palette, full.side, full.drawer), (s.palette, s.side, s.drawer));
        assert_eq!(full.toggled(Splitter::Inspector, LAPTOP), s);
        let wide = s.toggled(Splitter::Side, LAPTOP);
        assert_eq!(wide.side, s.range(Splitter::Side, LAPTOP).1);
        assert_eq!(wide.toggled(Splitter::Side, LAPTOP).side, s.side);
    }

    #[test]
    fn sizes_round_trip_through_storage_and_bad_text_gives_the_defaults() {
        let s = PaneSizes::default().dragged(Splitter::Side, 430.0, -50.0, LAPTOP);
        assert_eq!(PaneSizes::from_json(&s.to_json(), LAPTOP), s);
        assert_eq!(PaneSizes::from_json("not json", LAPTOP), PaneSizes::default());
        assert_eq!(PaneSizes::from_json(r#"{"palette": 1}"#, LAPTOP), PaneSizes::default());
        // Stored on a big screen, read on a small one: fitted.
        let wide = PaneSizes { palette: 600.0, side: 900.0, inspector: 900.0, drawer: 900.0 };
        let fitted = PaneSizes::from_json(&wide.to_json(), LAPTOP);
        for sp in Splitter::ALL {
            let (min, max) = fitted.range(sp, LAPTOP);
            assert!(fitted.get(sp) >= min && fitted.get(sp) <= max, "{sp:?}: {fitted:?}");
        }
    }

    #[test]
    fn the_css_names_every_size() {
        assert_eq!(PaneSizes::default().css_vars(), "--palette-w: 212px; --side-w: 430px; --inspector-h: 300px; --drawer-h: 360px");
    }
}
