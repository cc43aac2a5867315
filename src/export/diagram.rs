//! The diagram as a standalone SVG, drawn from the editor's layout (the same scene the canvas
//! shows, manual positions included): a box per state with its type's colour, name and one-line
//! summary; Parallel and Map as containers around their branches; edges with their labels,
//! catches dashed. Every name is XML-escaped text, never markup, and every character XML 1.0
//! forbids (C0 controls but tab, line feed and carriage return; U+FFFE, U+FFFF) is replaced by
//! U+FFFD, so the file stays well-formed whatever the names hold and the PNG export can read it.
//!
//! PNG: the page draws this SVG onto a canvas (the browser is the rasteriser). Natively there is
//! no PNG: a rasteriser crate would be a heavy dependency for little, and any SVG viewer or
//! `rsvg-convert diagram.svg -o diagram.png` does it.

use crate::editor::geometry::Point;
use crate::editor::graph::{EdgeKind, NodeKind, derive, shorten};
use crate::editor::layout::{Scene, layout, place};
use std::collections::BTreeMap;
use std::fmt::Write;

const MARGIN: f64 = 24.0;

/// The colour of a state type, as the canvas draws it (light theme).
pub fn type_colour(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::State("Task") => "#2f6fdb",
        NodeKind::State("Choice") => "#d97706",
        NodeKind::State("Wait") => "#0d9488",
        NodeKind::State("Parallel") => "#8b5cf6",
        NodeKind::State("Map") => "#db2777",
        NodeKind::State("Succeed") | NodeKind::Start => "#16a34a",
        NodeKind::State("Fail") => "#dc2626",
        NodeKind::End => "#475467",
        NodeKind::State(_) => "#64748b",
    }
}

/// The diagram of the definition `text` with the canvas's manual `positions` (by node id), or
/// `None` when the text is not JSON.
pub fn diagram_svg_of(text: &str, positions: &BTreeMap<String, Point>) -> Option<String> {
    let (_, lowered) = crate::asl::lower::lower_text(text).ok()?;
    let scene = place(&layout(&derive(&lowered.machine)), positions);
    Some(diagram_svg(&scene, lowered.machine.comment.as_deref()))
}

/// The SVG document of `scene`, titled by `title` when given.
pub fn diagram_svg(scene: &Scene, title: Option<&str>) -> String {
    let b = scene.bounds;
    let (ox, oy) = (MARGIN - b.x, MARGIN - b.y);
    let (w, h) = (b.w + 2.0 * MARGIN, b.h + 2.0 * MARGIN);
    let mut s = String::with_capacity(4096 + scene.nodes.len() * 600);
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
<title>{}</title>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7b8797"/></marker></defs>
<rect width="100%" height="100%" fill="#ffffff"/>
<g transform="translate({ox:.1},{oy:.1})">
"##,
        escape(title.unwrap_or("State machine"))
    );
    // Containers first (outermost first), then edges, then the other nodes on top.
    let mut containers: Vec<_> = scene.nodes.iter().filter(|n| n.container).collect();
    crate::asl::sort::sort_by_key(&mut containers, |n| n.depth);
    for n in containers {
        let r = n.rect;
        let colour = type_colour(n.kind);
        let _ = writeln!(
            s,
            r##"<g class="container"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="10" fill="{colour}" fill-opacity="0.06" stroke="{colour}" stroke-opacity="0.55"/><text x="{:.1}" y="{:.1}" font-size="13" font-weight="600" fill="#101828">{}</text><text x="{:.1}" y="{:.1}" font-size="11" fill="#667085">{}</text></g>"##,
            r.x, r.y, r.w, r.h, r.x + 12.0, r.y + 18.0, escape(&shorten(&n.label, 32)), r.x + 12.0, r.y + 32.0,
            escape(&shorten(&n.summary, 40))
        );
    }
    for e in &scene.edges {
        let dashed = if e.kind == EdgeKind::Catch { r#" stroke-dasharray="6 4""# } else { "" };
        let colour = if e.kind == EdgeKind::Catch { "#dc2626" } else { "#7b8797" };
        let _ = writeln!(s, r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="1.5"{dashed} marker-end="url(#arrow)"/>"#, e.svg());
        if let Some(label) = e.label_text() {
            let text = shorten(&label, if e.reference.is_some() { 40 } else { 28 });
            let tw = text.chars().count() as f64 * 6.2 + 10.0;
            let p = e.label_at;
            let _ = writeln!(
                s,
                r##"<g class="edge-label"><rect x="{:.1}" y="{:.1}" width="{tw:.1}" height="18" rx="9" fill="#ffffff" stroke="#d0d5dd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#344054">{}</text></g>"##,
                p.x - tw / 2.0, p.y - 9.0, p.x, p.y + 4.0, escape(&text)
            );
        }
    }
    for n in scene.nodes.iter().filter(|n| !n.container) {
        let r = n.rect;
        let colour = type_colour(n.kind);
        match n.kind {
            NodeKind::Start | NodeKind::End => {
                let _ = writeln!(
                    s,
                    r##"<g class="marker"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="{:.1}" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="12" font-weight="600" text-anchor="middle" fill="#ffffff">{}</text></g>"##,
                    r.x, r.y, r.w, r.h, r.h / 2.0, r.x + r.w / 2.0, r.y + r.h / 2.0 + 4.0, escape(&n.label)
                );
            }
            NodeKind::State(kind) => {
                let _ = writeln!(
                    s,
                    r##"<g class="node" data-kind="{kind}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="#ffffff" stroke="#d0d5dd"/><rect x="{:.1}" y="{:.1}" width="5" height="{:.1}" rx="2" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="13" font-weight="600" fill="#101828">{}</text><text x="{:.1}" y="{:.1}" font-size="11" fill="#667085" font-family="ui-monospace, Menlo, Consolas, monospace">{}</text></g>"##,
                    r.x, r.y, r.w, r.h, r.x, r.y, r.h, r.x + 14.0, r.y + 24.0, escape(&shorten(&n.label, 26)),
                    r.x + 14.0, r.y + 42.0, escape(&shorten(&n.summary, 30))
                );
            }
        }
    }
    s.push_str("</g>\n</svg>\n");
    s
}

/// `text` as XML character data or attribute value: markup characters escaped, characters XML
/// 1.0 does not allow replaced by U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Not an XML 1.0 `Char`; state names may hold them. (Rust strings hold no surrogates.)
            c if ((c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
