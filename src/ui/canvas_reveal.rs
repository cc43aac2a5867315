//! Keeps the run's live state in view: when the run shown changes, the Run drawer opens or a
//! pane is resized, the state that failed or is still running (or waiting for a callback) is
//! brought into the canvas (see `editor::gesture::{run_focus, reveal}`); so is the target of a
//! reference whose label was clicked, and the state Tab moves to in a big scene ([`tab`]).

use super::context::Editor;
use super::sim_view::SimView;
use super::splitter::Panes;
use crate::editor::drawn;
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
    let next = editor.scene.with_untracked(|s| {
        let next = match &from {
            _ if overview => s.nodes.iter().find(|n| n.state.is_some()),
            Some(from) => drawn::next_state(s, from, !e.shift_key()),
            None => None,
        };
        (s.nodes.len() > drawn::ALWAYS_DRAWN).then(|| next.map(|n| (n.id.clone(), n.rect))).flatten()
    });
    let Some((id, rect)) = next else { return };
    e.prevent_default();
    if let Some(v) = size.and_then(|(w, h)| drawn::keyboard_view(&editor.viewport.get_untracked(), w, h, rect)) {
        editor.viewport.set(v);
    }
    // Once the view's items are drawn.
    request_animation_frame(move || {
        let Ok(Some(node)) = canvas.query_selector(&format!("[data-node=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\""))) else { return };
        // (Without scrolling: the canvas's view is its transform, never its scroll position.)
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"preventScroll".into(), &true.into());
        if let Ok(focus) = js_sys::Reflect::get(&node, &"focus".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(Into::into)) {
            let _ = focus.call1(&node, &options);
        }
    });
}

/// Installs the effect on a canvas whose size `size` reads.
pub fn install(editor: Editor, size: impl Fn() -> Option<(f64, f64)> + Copy + Send + Sync + 'static) {
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
