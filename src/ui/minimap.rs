//! The minimap in the canvas's corner, shown while the scene is larger than the view: the
//! nodes as small boxes (one path for all of them) and the view as a frame; a press or drag centres the view there (see
//! `editor::minimap`).

use super::context::Editor;
use crate::editor::geometry::Point;
use crate::editor::minimap::{HEIGHT, Minimap as Map, WIDTH, boxes_path, needed};
use leptos::prelude::*;

#[component]
pub fn Minimap(size: impl Fn() -> Option<(f64, f64)> + Copy + Send + Sync + 'static) -> impl IntoView {
    let editor: Editor = expect_context();
    let viewport = editor.viewport;
    // The canvas's size, read again whenever the view changes (a resize refits or pans it).
    let view_size = move || {
        viewport.track();
        size().unwrap_or((0.0, 0.0))
    };
    let map = Memo::new(move |_| editor.scene.with_geometry(|s| Map::new(s.bounds)));
    // (A memo: the minimap is built again only when it comes or goes, not at every pan or move.)
    let shown = Memo::new(move |_| {
        let (w, h) = view_size();
        editor.scene.with_geometry(|s| needed(s.bounds, &viewport.get(), w, h))
    });
    // The states and the containers, one path each (see `boxes_path`).
    let boxes = move || {
        let m = map.get();
        let (states, containers) = editor.scene.with_geometry(|s| {
            let of = |container: bool| boxes_path(&m, s.nodes.iter().filter(|n| n.state.is_some() && n.container == container).map(|n| n.rect));
            (of(false), of(true))
        });
        view! {
            <path class="minimap-node" d=states/>
            <path class="minimap-node container" d=containers/>
        }
    };
    let frame = move || {
        let (w, h) = view_size();
        let r = map.get().view(&viewport.get(), w, h);
        view! { <rect class="minimap-view" x=r.x y=r.y width=r.w height=r.h/> }
    };
    let dragging = StoredValue::new(false);
    let go = move |e: &leptos::ev::PointerEvent| {
        use wasm_bindgen::JsCast;
        let Some(el) = e.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let r = el.get_bounding_client_rect();
        let p = Point::new(e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
        let (w, h) = size().unwrap_or((0.0, 0.0));
        viewport.set(map.get_untracked().centre_on(p, &viewport.get_untracked(), w, h));
    };
    let down = move |e: leptos::ev::PointerEvent| {
        e.stop_propagation();
        e.prevent_default();
        dragging.set_value(true);
        go(&e);
    };
    let moved = move |e: leptos::ev::PointerEvent| {
        if dragging.get_value() && e.buttons() & 1 == 1 {
            go(&e);
        } else {
            dragging.set_value(false);
        }
    };
    move || {
        shown.get().then(|| {
            view! {
                <svg class="minimap" width=WIDTH height=HEIGHT role="img" aria-label="Minimap: press or drag to move the view"
                    data-testid="minimap" on:pointerdown=down on:pointermove=moved on:pointerup=move |_| dragging.set_value(false)>
                    {boxes}
                    {frame}
                </svg>
            }
        })
    }
}
