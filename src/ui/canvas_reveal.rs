//! Keeps the run's live state in view: when the run shown changes, the Run drawer opens or a
//! pane is resized, the state that failed or is still running (or waiting for a callback) is
//! brought into the canvas (see `editor::gesture::{run_focus, reveal}`); so is the target of a
//! reference whose label was clicked.

use super::context::Editor;
use super::sim_view::SimView;
use super::splitter::Panes;
use crate::editor::gesture::{reveal, run_focus};
use leptos::prelude::*;

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
