//! The canvas: nodes and edges in one transformed layer. It only wires DOM events to
//! `editor::gesture` (pointer events in canvas coordinates in; a preview, a change or a
//! selection out). What is drawn in canvas space is `canvas_world`'s, the corner controls are
//! `canvas_controls`', a node is `canvas_node`'s.

use super::canvas_controls::{CanvasControls, DragGhost, StaleBanner};
use super::canvas_overview::{OverviewPointer, OverviewTip};
use super::canvas_world::World;
use super::canvas_node::node_down;
use super::context::{Editor, Gesture};
use crate::editor::drawn;
use crate::editor::geometry::{Point, Viewport};
use crate::editor::gesture::{self, Pointer, Preview};
use leptos::prelude::*;

fn client(e: &web_sys::PointerEvent) -> Point {
    Point::new(e.client_x() as f64, e.client_y() as f64)
}

/// The palette item `label` clicked (or activated from the keyboard): it lands connected after
/// the selection (see [`gesture::default_target`]).
pub fn drop_default(editor: Editor, label: &str) {
    let Some(item) = crate::editor::palette::item(label) else { return };
    let selected = editor.selected.get_untracked();
    editor.apply(editor.session.with_untracked(|s| gesture::drop_default(&s.doc, &item, selected.as_ref())));
}

#[component]
pub fn Canvas() -> impl IntoView {
    let editor: Editor = expect_context();
    let el = NodeRef::<leptos::html::Section>::new();
    let viewport = editor.viewport;

    // A point on the screen → relative to the canvas element, when it is inside it.
    let local = move |p: Point| -> Option<Point> {
        let r = el.get_untracked()?.get_bounding_client_rect();
        let inside = p.x >= r.left() && p.x <= r.right() && p.y >= r.top() && p.y <= r.bottom();
        inside.then(|| Point::new(p.x - r.left(), p.y - r.top()))
    };
    let pointer = move |e: &web_sys::PointerEvent| {
        let screen = client(e);
        Pointer { screen, canvas: local(screen).map(|l| viewport.get_untracked().to_canvas(l)) }
    };
    // (Kept by a ResizeObserver: see `canvas_size`.)
    let size = super::canvas_size::observe(el);

    let fit = move || {
        if let Some((w, h)) = size().filter(|(w, h)| *w > 0.0 && *h > 0.0) {
            viewport.set(Viewport::fit(editor.scene.with_untracked(|s| s.bounds), w, h, 40.0, 0.0));
        }
    };
    Effect::new(move |_| {
        editor.fit_request.track();
        request_animation_frame(fit);
    });
    provide_context(super::canvas_world::GoTo(RwSignal::new(None)));
    super::canvas_reveal::install(editor, size);

    let move_listener = window_event_listener(leptos::ev::pointermove, move |e: web_sys::PointerEvent| {
        let Some(g) = editor.gesture.get_untracked() else { return };
        let (next, preview) = editor.scene.with_untracked(|s| g.pointer_move(pointer(&e), &viewport.get_untracked(), s));
        if next != g {
            editor.gesture.set(Some(next));
        }
        match preview {
            Preview::Nothing => {}
            Preview::Viewport(v) => viewport.set(v),
            // The scene previews the move (only this node, what it holds and their edges are
            // redrawn); the document changes once, at the drop.
            Preview::Node { id, at } => editor.scene.preview(&id, at),
            Preview::DropEdge(hit) => {
                if editor.drop_edge.get_untracked() != hit {
                    editor.drop_edge.set(hit);
                }
            }
        }
    });
    let up_listener = window_event_listener(leptos::ev::pointerup, move |e: web_sys::PointerEvent| {
        let Some(g) = editor.gesture.get_untracked() else { return };
        editor.gesture.set(None);
        editor.drop_edge.set(None);
        let selected = editor.selected.get_untracked();
        let outcome = editor.session.with_untracked(|s| {
            editor.scene.with_untracked(|scene| g.release(pointer(&e), &viewport.get_untracked(), scene, &s.doc, selected.as_ref()))
        });
        editor.apply(outcome);
        editor.scene.end_preview();
    });
    on_cleanup(move || {
        move_listener.remove();
        up_listener.remove();
    });

    // A state node's pointer events are handled here, for all of them at once (delegation by
    // the `data-node` attribute): a node builds no listeners of its own.
    let node_of = |e: &web_sys::Event| -> Option<String> {
        use wasm_bindgen::JsCast;
        let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
        target.closest("[data-node]").ok()??.get_attribute("data-node")
    };
    let hover = RwSignal::new(None::<String>);
    // The innermost node under the pointer is the hovered one; none off the nodes.
    let over = move |e: leptos::ev::PointerEvent| {
        let id = node_of(&e);
        if hover.with_untracked(|h| *h != id) {
            hover.set(id);
        }
    };
    let leave = move |_: leptos::ev::PointerEvent| {
        if hover.with_untracked(Option::is_some) {
            hover.set(None);
        }
    };
    // A big scene zoomed out is drawn as an overview, with no element per state.
    let ov = OverviewPointer::new(editor, el);
    let keep = super::canvas_reveal::KeepFocus::install(editor, el, size);
    let background_down = move |e: leptos::ev::PointerEvent| {
        if let Some(id) = node_of(&e) {
            return node_down(editor, &id, &e);
        }
        if e.button() != 0 {
            return;
        }
        keep.let_go();
        // A click on a state's box in an overview selects it, a click on the empty canvas clears
        // the selection; a drag from either pans and keeps it (a box a few pixels wide is not
        // for moving). Decided at the release (`gesture::Click`).
        let on = ov.pressed(&e);
        editor.gesture.set(Some(gesture::press_background(viewport.get_untracked(), pointer(&e), e.shift_key(), on)));
    };
    let renaming = RwSignal::new(None::<String>);
    let double_click = move |e: leptos::ev::MouseEvent| {
        if let Some(id) = node_of(&e) {
            renaming.set(Some(id));
            return;
        }
        ov.double_clicked(&e, size());
    };
    let wheel = move |e: leptos::ev::WheelEvent| {
        e.prevent_default();
        let Some(p) = local(Point::new(e.client_x() as f64, e.client_y() as f64)) else { return };
        let factor = (-e.delta_y() * 0.0015).exp();
        viewport.update(|v| *v = v.zoom_at(p, factor));
    };

    let focus_in = move |e: leptos::ev::FocusEvent| keep.focus_in(&e);
    let focus_out = move |e: leptos::ev::FocusEvent| {
        if let Some(canvas) = el.get_untracked() {
            keep.focus_out(&e, &canvas);
        }
    };
    let key = move |e: leptos::ev::KeyboardEvent| {
        if let Some(canvas) = el.get_untracked() {
            super::canvas_reveal::tab(editor, canvas.into(), &e, size());
        }
    };
    let transform = move || viewport.with(|v| v.css_transform());
    let grid = move || {
        viewport.with(|v| format!("background-position: {:.1}px {:.1}px; background-size: {:.1}px {:.1}px", v.x, v.y, 24.0 * v.zoom, 24.0 * v.zoom))
    };
    // Zoomed out, nodes show their names only (see the stylesheet).
    let zoomed_out = move || viewport.with(|v| v.zoom < 0.55);
    // How many states the scene has (a big one draws only those near the view).
    let states = move || editor.scene.with_items(|s| s.nodes.iter().filter(|n| n.state.is_some()).count());
    // What is drawn (for tests and tools): `all`, only what is `near` the view, or an `overview`.
    let drawn_what = Memo::new(move |_| viewport.with(|v| drawn::Drawn::of(editor.scene.with_items(|s| s.nodes.len()), v.zoom)).as_str());
    view! {
        <section class="canvas" node_ref=el aria-label="Canvas" data-states=states data-drawn=move || drawn_what.get() style=grid on:pointerdown=background_down on:wheel=wheel
            on:pointerover=over on:pointerleave=move |e| { leave(e); ov.tip.set(None) } on:pointermove=move |e| ov.moved(&e)
            on:dblclick=double_click on:keydown=key on:focusin=focus_in on:focusout=focus_out class:zoomed-out=zoomed_out
            class:dragging=move || editor.gesture.with(|g| matches!(g, Some(Gesture::Palette { moved: true, .. })))>
            <div class="world" style:transform=transform>
                <World hover=hover tip=ov.tip size=Callback::new(move |_| size())/>
                <super::rename::RenameField renaming=renaming/>
            </div>
            <OverviewTip pointer=ov size=Callback::new(move |_| size())/>
            <StaleBanner/>
            <CanvasControls el=el/>
            <super::minimap::Minimap size=size/>
            <DragGhost/>
        </section>
    }
}
