//! The splitters between the panes: a bar to drag, or to focus and move with the arrow keys
//! (`role="separator"`); a double-click or Enter gives its pane all its room and back. Their sizes are `editor::panes`' (clamped there); the page keeps them
//! in localStorage as a UI preference and hands them to the stylesheet as custom properties.

use crate::editor::panes::{PaneSizes, Splitter, Window};
use leptos::prelude::*;

/// Where the pane sizes are kept between visits.
const STORAGE_KEY: &str = "statecraft.panes.v1";

/// The pane sizes, provided once at the root.
#[derive(Clone, Copy)]
pub struct Panes {
    pub sizes: RwSignal<PaneSizes>,
}

fn window() -> Window {
    let w = web_sys::window();
    let get = |v: Option<Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue>>| v.and_then(|r| r.ok()).and_then(|v| v.as_f64()).unwrap_or(0.0);
    Window { width: get(w.as_ref().map(|w| w.inner_width())), height: get(w.as_ref().map(|w| w.inner_height())) }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

impl Panes {
    /// The sizes stored by an earlier visit (or the defaults), saved again at each change and
    /// fitted again when the window is resized.
    pub fn install() -> Panes {
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let sizes = RwSignal::new(stored.map_or_else(|| PaneSizes::default().fitted(window()), |t| PaneSizes::from_json(&t, window())));
        Effect::new(move |first: Option<()>| {
            let json = sizes.with(|s| s.to_json());
            if first.is_some() {
                if let Some(s) = storage() {
                    let _ = s.set_item(STORAGE_KEY, &json);
                }
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| {
            let fitted = sizes.get_untracked().fitted(window());
            if fitted != sizes.get_untracked() {
                sizes.set(fitted);
            }
        });
        on_cleanup(move || resize.remove());
        let panes = Panes { sizes };
        provide_context(panes);
        panes
    }
}

/// The bar of `which`.
#[component]
pub fn SplitterBar(which: Splitter) -> impl IntoView {
    let panes: Panes = expect_context();
    let sizes = panes.sizes;
    // The drag in progress: where the pointer and the pane's size were at the press.
    let drag = StoredValue::new(None::<(f64, f64)>);
    let along = move |e: &leptos::ev::PointerEvent| if which.vertical() { e.client_x() as f64 } else { e.client_y() as f64 };
    let down = move |e: leptos::ev::PointerEvent| {
        if e.button() != 0 {
            return;
        }
        e.prevent_default();
        use wasm_bindgen::JsCast;
        if let Some(el) = e.current_target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = el.set_pointer_capture(e.pointer_id());
            let _ = el.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
        drag.set_value(Some((along(&e), sizes.get_untracked().get(which))));
    };
    let moved = move |e: leptos::ev::PointerEvent| {
        if let Some((from, start)) = drag.get_value() {
            let next = sizes.get_untracked().dragged(which, start, along(&e) - from, window());
            if next != sizes.get_untracked() {
                sizes.set(next);
            }
        }
    };
    let up = move |_: leptos::ev::PointerEvent| drag.set_value(None);
    let toggle = move || sizes.set(sizes.get_untracked().toggled(which, window()));
    let key = move |e: leptos::ev::KeyboardEvent| {
        if e.key() == "Enter" {
            e.prevent_default();
            toggle();
        } else if let Some(next) = sizes.get_untracked().key(which, &e.key(), e.shift_key(), window()) {
            e.prevent_default();
            sizes.set(next);
        }
    };
    let now = move || sizes.with(|s| s.get(which)).to_string();
    let range = move || sizes.with(|s| s.range(which, window()));
    let orientation = if which.vertical() { "vertical" } else { "horizontal" };
    let class = if which.vertical() { "splitter vertical" } else { "splitter horizontal" };
    view! {
        <div class=class role="separator" tabindex="0" aria-label=which.label() aria-orientation=orientation
            aria-valuenow=now aria-valuemin=move || range().0.to_string() aria-valuemax=move || range().1.to_string()
            data-splitter=format!("{which:?}").to_lowercase()
            on:pointerdown=down on:pointermove=moved on:pointerup=up on:pointercancel=up on:keydown=key on:dblclick=move |_| toggle()
            title="Drag to resize; double-click (or Enter) to give the pane all its room, again to restore it"></div>
    }
}
