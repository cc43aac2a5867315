//! One node on the canvas: a state (icon, name, summary, problem badge, handles), a container
//! (Parallel/Map) behind its branches, or a Start/End marker; positioned by its own cell in the
//! scene store (`super::scene`). Its head is static HTML (`editor::markup`), set in one go and
//! again only when its problem count changes; its pointer events are the canvas's (delegated by
//! `data-node`, see [`node_down`]), so a 500-state machine builds few DOM nodes and no listeners.

use super::context::Editor;
use crate::editor::gesture;
use super::palette::icon;
use crate::editor::geometry::Point;
use crate::editor::graph::NodeKind;
use crate::editor::markup;
use crate::editor::scope::StateRef;
use leptos::prelude::*;

/// A pointer press on the state node `id` (the canvas delegates it here): selects the state and
/// starts a move gesture from where the node is.
pub fn node_down(editor: Editor, id: &str, e: &web_sys::PointerEvent) {
    if e.button() != 0 {
        return;
    }
    e.stop_propagation();
    let Some(state) = editor.scene.with_untracked(|s| s.node(id).and_then(|n| n.state.clone())) else { return };
    // Shift+press adds the state to the selection (or takes it out); it moves nothing.
    if e.shift_key() {
        editor.toggle_selected(state);
        return;
    }
    // A press on a state of a multiple selection keeps the selection and makes it the primary
    // one (out, then back in); a press elsewhere selects that state alone.
    let primary = editor.selected.with_untracked(|p| p.as_ref() == Some(&state));
    if editor.also_selected.with_untracked(|a| a.contains(&state)) {
        editor.toggle_selected(state.clone());
        editor.toggle_selected(state.clone());
    } else if !primary {
        editor.select(Some(state.clone()));
    }
    let from = Point::new(e.client_x() as f64, e.client_y() as f64);
    if let Some(g) = editor.scene.with_untracked(|s| gesture::press_node(s, id, from)) {
        editor.gesture.set(Some(g));
    }
}

/// The node `id` of the scene. Its element lives as long as the node looks the same (the canvas
/// keys it by [`crate::editor::layout::SceneNode::look`]); a move only restyles it, through the
/// node's own cell in the scene store. Its connection handles exist only while it is hovered or
/// selected.
#[component]
pub fn CanvasNode(id: String, hovered: Selector<Option<String>>, selected: Selector<Option<StateRef>>) -> impl IntoView {
    let editor: Editor = expect_context();
    let Some((node, cells)) = editor.scene.node(&id) else {
        return ().into_any();
    };
    let rect = cells.rect;
    let style = {
        let rect = rect.clone();
        move || rect.with(|r| format!("left: {}px; top: {}px; width: {}px; height: {}px", r.x, r.y, r.w, r.h))
    };
    let (kind, marker) = match node.kind {
        NodeKind::State(k) => (k, false),
        NodeKind::Start => ("start", true),
        NodeKind::End => ("end", true),
    };
    if marker {
        let class = format!("marker marker-{kind}{}", if node.depth > 0 { " inner" } else { "" });
        // (`data-marker`, not `data-node`: a press on a marker pans, as on the background.)
        return view! { <div class=class style=style aria-hidden="true" data-marker=id>{node.label.clone()}</div> }.into_any();
    }
    let state = node.state.clone().expect("a state node has a state");
    let selected = {
        let key = Some(state.clone());
        let state = state.clone();
        move || selected.selected(&key) || editor.also_selected.with(|a| a.contains(&state))
    };
    let lit = {
        let key = Some(id.clone());
        let selected = selected.clone();
        move || selected() || hovered.selected(&key)
    };
    let problems = cells.problems;
    let container = node.container;
    let sim = use_context::<super::sim_view::SimView>();
    let run_name = node.label.clone();
    let run_class = move || sim.map(|s| s.node_class(&run_name)).unwrap_or_default();
    let badge_name = node.label.clone();
    let class = {
        let kind = kind.to_lowercase();
        move || {
            format!(
                "node kind-{kind}{}{}{}",
                if container { " container" } else { "" },
                if selected() { " selected" } else { "" },
                run_class()
            )
        }
    };
    let can_continue = !matches!(kind, "Succeed" | "Fail");
    let can_catch = matches!(kind, "Task" | "Parallel" | "Map");
    let handle = {
        let id = id.clone();
        move |catch: bool| {
            let id = id.clone();
            move |e: leptos::ev::PointerEvent| {
                e.stop_propagation();
                e.prevent_default();
                if let Some(g) = editor.scene.with_untracked(|s| gesture::press_handle(s, &id, catch)) {
                    editor.gesture.set(Some(g));
                }
            }
        }
    };
    // A container's head is as tall as its name's lines (a state's head fills the node).
    let head_style = container.then(|| format!("height: {}px", node.head_height()));
    let head = {
        let (icon, lines, summary) = (icon(kind), node.lines.clone(), cells.summary);
        // (Its accessible name is its content: see `markup::node_head`.)
        move || problems.with(|&(errors, warnings)| summary.with(|summary| markup::node_head(icon, kind, &lines, summary, errors, warnings)))
    };
    // The retry badge (outside the head, whose contents are clipped to it: the badge sits on the
    // corner), then the handles; one optional piece, so an idle node holds a single placeholder.
    let extras = move || {
        let retries = sim.and_then(|s| s.retries(&badge_name));
        let lit = lit();
        (retries.is_some() || lit).then(|| {
            view! {
                {retries.map(|t| view! { <span class="retry-badge" title="Retries">{t}</span> })}
                {lit.then(|| view! {
                    {can_continue.then(|| view! { <span class="handle handle-next" title="Drag to connect" on:pointerdown=handle(false)></span> })}
                    {can_catch.then(|| view! { <span class="handle handle-catch" title="Drag to add a catcher" on:pointerdown=handle(true)></span> })}
                })}
            }
        })
    };
    view! {
        <div class=class style=style role="button" tabindex="0" data-state-name=node.label.clone() data-node=id>
            <div class="node-head" style=head_style inner_html=head></div>
            {extras}
        </div>
    }
    .into_any()
}
