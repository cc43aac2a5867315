//! One node on the canvas: a state (icon, name, summary, problem badge, handles), a container
//! (Parallel/Map) behind its branches, or a Start/End marker; positioned by a per-node memo.

use super::context::{Editor, Gesture, now_ms};
use super::palette::icon;
use crate::editor::geometry::{Point, Rect};
use crate::editor::graph::NodeKind;
use crate::editor::scope::StateRef;
use leptos::prelude::*;
use std::collections::HashMap;

/// Each node's and each edge's index in the scene, by id (see [`crate::editor::layout::Scene::index`]).
pub type SceneIndex = Memo<(HashMap<String, usize>, HashMap<String, usize>)>;

/// The node `id` of the scene. Its element lives as long as the node looks the same (the canvas
/// keys it by [`crate::editor::layout::SceneNode::look`]); a move only restyles it. Its connection
/// handles exist only while it is hovered or selected.
#[component]
pub fn CanvasNode(id: String, hover: RwSignal<Option<String>>, index: SceneIndex) -> impl IntoView {
    let editor: Editor = expect_context();
    let find = {
        let id = id.clone();
        move |s: &crate::editor::layout::Scene, ix: &HashMap<String, usize>| ix.get(&id).and_then(|&i| s.nodes.get(i)).map(|n| n.rect)
    };
    let Some(node) = editor.scene.with_untracked(|s| index.with_untracked(|(ix, _)| ix.get(&id).and_then(|&i| s.nodes.get(i)).cloned())) else {
        return ().into_any();
    };
    let first = node.rect;
    // Only the moved node's memo changes during a drag, so only its element is restyled.
    let rect = Memo::new(move |prev: Option<&Rect>| {
        editor.scene.with(|s| index.with(|(ix, _)| find(s, ix))).or(prev.copied()).unwrap_or(first)
    });
    let style = move || {
        let r = rect.get();
        format!("left: 0; top: 0; transform: translate({}px, {}px); width: {}px; height: {}px", r.x, r.y, r.w, r.h)
    };
    let (kind, marker) = match node.kind {
        NodeKind::State(k) => (k, false),
        NodeKind::Start => ("start", true),
        NodeKind::End => ("end", true),
    };
    if marker {
        let class = format!("marker marker-{kind}{}", if node.depth > 0 { " inner" } else { "" });
        return view! { <div class=class style=style aria-hidden="true">{node.label.clone()}</div> }.into_any();
    }
    let state = node.state.clone().expect("a state node has a state");
    let selected = {
        let state = state.clone();
        Memo::new(move |_| editor.selected.with(|s| s.as_ref() == Some(&state)))
    };
    let lit = {
        let id = id.clone();
        Memo::new(move |_| selected.get() || hover.with(|h| h.as_deref() == Some(id.as_str())))
    };
    let problems = {
        let id = id.clone();
        Memo::new(move |_| {
            editor.diagnostics.with(|all| {
                let mut errors = 0;
                let mut warnings = 0;
                for d in all {
                    if d.pointer.strip_prefix(id.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')) {
                        if d.is_error() { errors += 1 } else { warnings += 1 }
                    }
                }
                (errors, warnings)
            })
        })
    };
    let container = node.container;
    let sim = use_context::<super::sim_view::SimView>();
    let run_name = node.label.clone();
    let run_class = move || sim.map(|s| s.node_class(&run_name)).unwrap_or_default();
    let badge_name = node.label.clone();
    let retry_badge = move || sim.and_then(|s| s.retries(&badge_name)).map(|t| view! { <span class="retry-badge" title="Retries">{t}</span> });
    let class = {
        let kind = kind.to_lowercase();
        move || {
            format!(
                "node kind-{kind}{}{}{}",
                if container { " container" } else { "" },
                if selected.get() { " selected" } else { "" },
                run_class()
            )
        }
    };
    let top_level = node.depth == 0;
    let down = {
        let state = state.clone();
        let id = id.clone();
        move |e: leptos::ev::PointerEvent| {
            if e.button() != 0 {
                return;
            }
            e.stop_propagation();
            editor.selected.set(Some(state.clone()));
            // A nested state's position is relative to its container's corner.
            let rect = rect.get_untracked();
            let origin = if top_level {
                Some(Point::new(rect.x, rect.y))
            } else {
                let (inner, last) = state.scope.split_at(state.scope.len() - 1);
                let container = StateRef { scope: inner.to_vec(), name: last[0].state.clone() };
                let cid = editor.session.with_untracked(|s| container.pointer(s.doc.machine()));
                editor.scene.with_untracked(|s| s.node(&cid).map(|c| Point::new(rect.x - c.rect.x, rect.y - c.rect.y)))
            };
            if let Some(origin) = origin {
                let from = Point::new(e.client_x() as f64, e.client_y() as f64);
                editor.gesture.set(Some(Gesture::Move { id: id.clone(), from, origin, gesture: (now_ms() * 1000.0) as u64, moved: false }));
            }
        }
    };
    let can_continue = !matches!(kind, "Succeed" | "Fail");
    let can_catch = matches!(kind, "Task" | "Parallel" | "Map");
    let handle = move |catch: bool| {
        let state = state.clone();
        move |e: leptos::ev::PointerEvent| {
            e.stop_propagation();
            e.prevent_default();
            let rect = rect.get_untracked();
            let start = if catch { Point::new(rect.right(), rect.y + 20.0) } else { Point::new(rect.center().x, rect.bottom()) };
            editor.gesture.set(Some(Gesture::Connect { from: state.clone(), catch, start, to: start }));
        }
    };
    let aria = format!("{} ({kind})", node.label);
    let badge = move || {
        let (errors, warnings) = problems.get();
        (errors + warnings > 0).then(|| {
            let class = if errors > 0 { "badge error" } else { "badge warning" };
            let title = format!("{errors} error(s), {warnings} warning(s)");
            view! { <span class=class title=title>{errors + warnings}</span> }
        })
    };
    let over = {
        let id = id.clone();
        move |e: leptos::ev::PointerEvent| {
            // The innermost node under the pointer is the hovered one.
            e.stop_propagation();
            if hover.with_untracked(|h| h.as_deref() != Some(id.as_str())) {
                hover.set(Some(id.clone()));
            }
        }
    };
    let leave = move |_: leptos::ev::PointerEvent| {
        if hover.with_untracked(|h| h.as_deref() == Some(id.as_str())) {
            hover.set(None);
        }
    };
    let handles = move || {
        lit.get().then(|| {
            view! {
                {can_continue.then(|| view! { <span class="handle handle-next" title="Drag to connect" on:pointerdown=handle(false)></span> })}
                {can_catch.then(|| view! { <span class="handle handle-catch" title="Drag to add a catcher" on:pointerdown=handle(true)></span> })}
            }
        })
    };
    view! {
        <div class=class style=style role="button" tabindex="0" aria-label=aria data-state-name=node.label.clone()
            on:pointerdown=down on:pointerover=over on:pointerleave=leave>
            <div class="node-head">
                <span class="kind-icon" aria-hidden="true">{icon(kind)}</span>
                <span class="node-text">
                    <span class="node-name">{node.label.clone()}</span>
                    <span class="node-summary">{node.summary.clone()}</span>
                </span>
                {badge}
                {retry_badge}
            </div>
            {handles}
        </div>
    }
    .into_any()
}
