//! The pointer on a big scene's overview (`editor::drawn::Overview`), which has no element per
//! state: the state under the pointer is found natively (`drawn::hit_on_screen`), its name shown
//! in a tooltip (`drawn::TipPlace`), a click selects it (at the release: a pan started on it
//! selects nothing, `gesture::Click`) and a double-click zooms in to it.

use super::canvas_world::Tip;
use super::context::Editor;
use crate::editor::drawn;
use crate::editor::geometry::{Point, Rect};
use crate::editor::scope::StateRef;
use leptos::prelude::*;

/// The canvas's overview pointer: the canvas element, and the state the tooltip names.
#[derive(Clone, Copy)]
pub struct OverviewPointer {
    editor: Editor,
    el: NodeRef<leptos::html::Section>,
    pub tip: RwSignal<Option<Tip>>,
}

impl OverviewPointer {
    pub fn new(editor: Editor, el: NodeRef<leptos::html::Section>) -> Self {
        OverviewPointer { editor, el, tip: RwSignal::new(None) }
    }

    fn showing(&self) -> bool {
        drawn::overview(self.editor.scene.with_untracked(|s| s.nodes.len()), self.editor.viewport.get_untracked().zoom)
    }

    /// The state under the pointer, when the overview is drawn and the event is on the canvas
    /// itself (not through its controls or the minimap over it).
    fn hit(&self, e: &web_sys::MouseEvent) -> Option<(String, StateRef, Rect)> {
        if !self.showing() || e.target() != e.current_target() {
            return None;
        }
        let r = self.el.get_untracked()?.get_bounding_client_rect();
        let at = Point::new(e.client_x() as f64 - r.left(), e.client_y() as f64 - r.top());
        let view = self.editor.viewport.get_untracked();
        self.editor.scene.with_untracked(|s| {
            drawn::hit_on_screen(s, &view, at).and_then(|n| Some((n.id.clone(), n.state.clone()?, n.rect)))
        })
    }

    /// The tooltip follows the pointer from box to box (none during a gesture).
    pub fn moved(&self, e: &web_sys::PointerEvent) {
        let found = self.editor.gesture.with_untracked(Option::is_none).then(|| self.hit(e)).flatten();
        let next = found.map(|(id, state, rect)| Tip { id, name: state.name, rect });
        if self.tip.with_untracked(|t| t.as_ref().map(|t| &t.id) != next.as_ref().map(|t| &t.id)) {
            self.tip.set(next);
        }
    }

    /// The state whose box a press is on (a click on it selects it, at the release:
    /// `gesture::press_background`).
    pub fn pressed(&self, e: &web_sys::PointerEvent) -> Option<StateRef> {
        self.hit(e).map(|(_, state, _)| state)
    }

    /// A double-click on a state's box zooms in to it and focuses its node. Whether it was on one.
    pub fn double_clicked(&self, e: &web_sys::MouseEvent, size: Option<(f64, f64)>) -> bool {
        let (Some((id, _, rect)), Some(canvas)) = (self.hit(e), self.el.get_untracked()) else { return false };
        self.tip.set(None);
        super::canvas_reveal::zoom_to(self.editor, canvas.into(), &id, rect, size);
        true
    }
}

/// The name of the state under the pointer in an overview (no name is drawn there), over its
/// box; it follows the view.
#[component]
pub fn OverviewTip(pointer: OverviewPointer, size: Callback<(), Option<(f64, f64)>>) -> impl IntoView {
    let editor = pointer.editor;
    move || {
        let t = pointer.tip.get()?;
        if !editor.viewport.with(|v| drawn::overview(editor.scene.with_items(|s| s.nodes.len()), v.zoom)) {
            return None;
        }
        let (w, _) = size.run(()).unwrap_or((0.0, 0.0));
        let style = editor.viewport.with(|v| drawn::TipPlace::of(t.rect, v, w).css());
        Some(view! { <div class="overview-tip" role="tooltip" style=style>{t.name}</div> })
    }
}
