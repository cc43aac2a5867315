//! What the canvas shows over its drawing: the corner controls (zoom in and out about the
//! centre, the zoom level, fit, the layout's direction), the banner of a text that is not JSON,
//! and the ghost of a palette item being dragged.

use super::context::{Editor, Gesture};
use crate::editor::geometry::Point;
use crate::editor::layout::Direction;
use leptos::prelude::*;

/// The controls of a canvas whose element is `el`.
#[component]
pub fn CanvasControls(el: NodeRef<leptos::html::Section>) -> impl IntoView {
    let editor: Editor = expect_context();
    let viewport = editor.viewport;
    let zoom_by = move |factor: f64| {
        if let Some(div) = el.get_untracked() {
            let c = Point::new(div.client_width() as f64 / 2.0, div.client_height() as f64 / 2.0);
            viewport.update(|v| *v = v.zoom_at(c, factor));
        }
    };
    let zoom_text = move || {
        let z = viewport.with(|v| v.zoom) * 100.0;
        if z < 10.0 { format!("{z:.1}%") } else { format!("{z:.0}%") }
    };
    let direction = editor.direction;
    let flip = move |_| {
        direction.update(|d| {
            *d = match d {
                Direction::TopDown => Direction::LeftRight,
                Direction::LeftRight => Direction::TopDown,
            }
        });
        editor.fit_request.update(|n| *n += 1);
    };
    let flip_label = move || match direction.get() {
        Direction::TopDown => "Lay out left to right",
        Direction::LeftRight => "Lay out top down",
    };
    let flip_icon = move || match direction.get() {
        Direction::TopDown => "⇄",
        Direction::LeftRight => "⇅",
    };
    view! {
        <div class="zoom-controls" on:pointerdown=|e| e.stop_propagation()>
            <button aria-label="Zoom in" on:click=move |_| zoom_by(1.25)>"+"</button>
            <span class="zoom-level">{zoom_text}</span>
            <button aria-label="Zoom out" on:click=move |_| zoom_by(0.8)>"−"</button>
            <button aria-label="Fit to view" on:click=move |_| editor.fit_request.update(|n| *n += 1)>"⤢"</button>
            <button aria-label=flip_label title=flip_label on:click=flip>{flip_icon}</button>
        </div>
    }
}

/// Says that the graph is the last valid one while the text is not JSON.
#[component]
pub fn StaleBanner() -> impl IntoView {
    let editor: Editor = expect_context();
    let stale = move || {
        editor.session.with(|s| {
            s.doc.syntax_error().map(|d| {
                let at = d.position.map(|p| format!(" at line {}, column {}", p.line, p.column)).unwrap_or_default();
                format!("The ASL text is not valid JSON{at}. Showing the last valid graph.")
            })
        })
    };
    move || stale().map(|s| view! { <div class="stale-banner" role="alert">{s}</div> })
}

/// The palette item being dragged, beside the pointer.
#[component]
pub fn DragGhost() -> impl IntoView {
    let editor: Editor = expect_context();
    move || match editor.gesture.get() {
        Some(Gesture::Palette { label, at, moved: true, .. }) => {
            let style = format!("left: {}px; top: {}px", at.x + 12.0, at.y + 12.0);
            Some(view! { <div class="drag-ghost" style=style>{label}</div> })
        }
        _ => None,
    }
}
