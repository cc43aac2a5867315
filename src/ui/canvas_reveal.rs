//! Keeps the run's live state in view: when the run shown changes, the Run drawer opens or a
//! pane is resized, the state that failed or is still running (or waiting for a callback) is
//! brought into the canvas (see `editor::gesture::{run_focus, reveal}`); so is the target of a
//! reference whose label was clicked, the state Tab moves to in a big scene ([`tab`]) and the
//! state double-clicked in an overview ([`zoom_to`]), and the whole scene when an edit leaves
//! none of it in view. And keeps the keyboard's focus on the
//! canvas when the focused node stops being drawn ([`KeepFocus`]).

use super::context::Editor;
use super::sim_view::SimView;
use super::splitter::Panes;
use crate::editor::drawn;
use crate::editor::geometry::Rect;
use crate::editor::gesture::{reveal, run_focus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Tab (Shift+Tab) on a state node of a big scene, which draws only the states near the view:
/// the focus moves to the next (previous) state in the scene's order (`drawn::next_state`), the
/// view brought to it (`drawn::keyboard_view`) so that it is drawn, then focused. Tab or Enter on
/// the overview (a big scene zoomed out, no state drawn) goes to the first state. Past the last
/// state (or in a small scene, all drawn) the browser's own order goes on.
pub fn tab(editor: Editor, canvas: web_sys::HtmlElement, e: &web_sys::KeyboardEvent, size: Option<(f64, f64)>) {
    let key = e.key();
    if !matches!(key.as_str(), "Tab" | "Enter") || e.ctrl_key() || e.alt_key() || e.meta_key() {
        return;
    }
    let Some(target) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
    let from = target.get_attribute("data-node");
    let overview = target.has_attribute("data-overview") && !e.shift_key();
    if !(overview || (from.is_some() && key == "Tab")) {
        return;
    }
    let selected = editor.selected.get_untracked();
    let next = editor.scene.with_untracked(|s| {
        let next = match &from {
            _ if overview => drawn::entry(s, selected.as_ref()),
            Some(from) => drawn::next_state(s, from, !e.shift_key()),
            None => None,
        };
        (s.nodes.len() > drawn::ALWAYS_DRAWN).then(|| next.map(|n| (n.id.clone(), n.rect))).flatten()
    });
    let Some((id, rect)) = next else { return };
    e.prevent_default();
    zoom_to(editor, canvas, &id, rect, size);
}

/// Brings the node `id` (at `rect`) into view as the keyboard does (`drawn::keyboard_view`:
/// zoomed in to read it, from an overview), then focuses it once it is drawn.
pub fn zoom_to(editor: Editor, canvas: web_sys::HtmlElement, id: &str, rect: Rect, size: Option<(f64, f64)>) {
    if let Some(v) = size.and_then(|(w, h)| drawn::keyboard_view(&editor.viewport.get_untracked(), w, h, rect)) {
        editor.viewport.set(v);
    }
    // Once the view's items are drawn.
    let id = id.to_string();
    request_animation_frame(move || {
        if let Some(node) = node_element(&canvas, &id) {
            focus(&node);
        }
    });
}

/// The element of the node `id`, when it is drawn.
fn node_element(canvas: &web_sys::HtmlElement, id: &str) -> Option<web_sys::Element> {
    canvas.query_selector(&format!("[data-node=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\""))).ok()?
}

/// Focuses `el` without scrolling: the canvas's view is its transform, never its scroll position.
fn focus(el: &web_sys::Element) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
    if let Ok(focus) = js_sys::Reflect::get(el, &"focus".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(Into::into)) {
        let _ = focus.call1(el, &options);
    }
}

/// What had the keyboard's focus in the canvas: a state's node (its id) or the overview.
#[derive(Clone)]
struct Focused {
    el: web_sys::Element,
    /// The last state node focused (the overview has none).
    node: Option<String>,
}

/// Keeps the keyboard's focus in the canvas of a big scene, which draws only what is near the
/// view: when a pan or a zoom takes the focused node out of the page (or the overview goes as
/// the view zooms in), the focus goes to the overview when it is drawn, else to the state in view
/// nearest to where the focus was (`drawn::refocus`), instead of falling to the page. A press on
/// the canvas's background, or the focus leaving the canvas, lets it go.
#[derive(Clone, Copy)]
pub struct KeepFocus(StoredValue<Option<Focused>, LocalStorage>);

impl KeepFocus {
    /// Installs it on the canvas `canvas`, whose size `size` reads.
    pub fn install(editor: Editor, canvas: NodeRef<leptos::html::Section>, size: impl Fn() -> Option<(f64, f64)> + Copy + Send + Sync + 'static) -> KeepFocus {
        let keep = KeepFocus(StoredValue::new_local(None));
        Effect::new(move |_| {
            editor.viewport.track();
            editor.scene.with_items(|_| ());
            if keep.0.with_value(Option::is_none) {
                return;
            }
            // Once the view's items are drawn (or taken away).
            request_animation_frame(move || keep.restore(editor, canvas, size()));
        });
        keep
    }

    /// A focus event in the canvas (`focusin`): remembers a node's or the overview's element.
    pub fn focus_in(&self, e: &web_sys::Event) {
        let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if let Some(id) = el.get_attribute("data-node") {
            self.0.set_value(Some(Focused { el, node: Some(id) }));
        } else if el.has_attribute("data-overview") {
            let node = self.0.with_value(|f| f.as_ref().and_then(|f| f.node.clone()));
            self.0.set_value(Some(Focused { el, node }));
        }
    }

    /// A `focusout` in the canvas: the focus going elsewhere in the page lets it go (an element
    /// taken out of the page has nowhere it goes).
    pub fn focus_out(&self, e: &web_sys::Event, canvas: &web_sys::Element) {
        let to = js_sys::Reflect::get(e, &"relatedTarget".into()).ok().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if to.is_some_and(|to| !canvas.contains(Some(&to))) {
            self.0.set_value(None);
        }
    }

    /// A press on the background: the user has put the focus elsewhere.
    pub fn let_go(&self) {
        self.0.set_value(None);
    }

    fn restore(&self, editor: Editor, canvas: NodeRef<leptos::html::Section>, size: Option<(f64, f64)>) {
        let Some(Focused { el, node }) = self.0.get_value() else { return };
        if el.is_connected() {
            return;
        }
        // Culled, not deleted or renamed: only a big scene's node that is still in it (or the
        // overview, zoomed in from).
        let culled = editor.scene.with_untracked(|s| {
            s.nodes.len() > drawn::ALWAYS_DRAWN && (el.has_attribute("data-overview") || node.as_ref().is_some_and(|id| s.node(id).is_some()))
        });
        if !culled {
            self.0.set_value(None);
            return;
        }
        let (Some(canvas), Some(document)) = (canvas.get_untracked(), web_sys::window().and_then(|w| w.document())) else { return };
        // Only when the focus fell to the page, not when something else took it.
        if document.active_element().is_some_and(|a| document.body().is_none_or(|b| a != *b.as_ref())) {
            self.0.set_value(None);
            return;
        }
        if let Ok(Some(overview)) = canvas.query_selector("[data-overview]") {
            return focus(&overview);
        }
        let Some((w, h)) = size else { return };
        let v = editor.viewport.get_untracked();
        let view = Rect::new(-v.x / v.zoom, -v.y / v.zoom, w / v.zoom, h / v.zoom);
        let lost = node.unwrap_or_default();
        let to = editor.scene.with_untracked(|s| drawn::refocus(s, &lost, view).map(|n| n.id.clone()));
        if let Some(el) = to.and_then(|id| node_element(&canvas, &id)) {
            focus(&el);
        }
    }
}

/// Installs the effect on a canvas whose size `size` reads.
pub fn install(editor: Editor, size: impl Fn() -> Option<(f64, f64)> + Copy + Send + Sync + 'static) {
    // A scene of which the view shows nothing any more (states deleted under the view), or
    // another machine in place of the one shown (pasted or typed): the whole of it fitted
    // (`drawn::view_when_lost`).
    let before = StoredValue::new_local(None::<std::collections::HashSet<String>>);
    Effect::new(move |_| {
        let names = editor.scene.with_items(drawn::state_names);
        let Some((w, h)) = size() else { return };
        let lost = before.with_value(|b| editor.scene.with_untracked(|s| drawn::view_when_lost(b.as_ref(), s, &editor.viewport.get_untracked(), w, h)));
        before.set_value(Some(names));
        if let Some(v) = lost {
            editor.viewport.set(v);
        }
    });
    // A reference's label clicked: its target into view.
    if let Some(super::canvas_world::GoTo(to)) = use_context::<super::canvas_world::GoTo>() {
        Effect::new(move |_| {
            let Some(id) = to.get() else { return };
            let Some((w, h)) = size() else { return };
            let rect = editor.scene.with_untracked(|s| s.node(&id).map(|n| n.rect));
            if let Some(v) = rect.and_then(|r| reveal(&editor.viewport.get_untracked(), w, h, r)) {
                editor.viewport.set(v);
            }
            to.set(None);
        });
    }
    let Some(sim) = use_context::<SimView>() else { return };
    let panes = use_context::<Panes>();
    Effect::new(move |_| {
        let focus = sim.run.with(|r| r.as_ref().and_then(|r| run_focus(r).map(str::to_string)));
        let _ = sim.open.get();
        if let Some(p) = panes {
            p.sizes.track();
        }
        let Some(name) = focus else { return };
        // After the layout has taken the drawer's new size.
        request_animation_frame(move || {
            let Some((w, h)) = size() else { return };
            let rect = editor.scene.with_untracked(|s| {
                s.nodes.iter().find(|n| n.state.as_ref().is_some_and(|r| r.name == name)).map(|n| n.rect)
            });
            if let Some(to) = rect.and_then(|r| reveal(&editor.viewport.get_untracked(), w, h, r)) {
                editor.viewport.set(to);
            }
        });
    });
}
