//! The canvas: nodes and edges in one transformed layer, with pan (drag the background), zoom
//! (wheel, about the cursor), fit, node drags, connections from handles, and palette drops.
//! It only wires DOM events to the editor: hit tests, routes and changes are `editor`'s.

use super::canvas_node::{CanvasNode, node_down};
use super::context::{Editor, Gesture};
use crate::editor::change::Change;
use crate::editor::edit::{self, EdgeTarget, Handle};
use crate::editor::geometry::{Point, Viewport};
use crate::editor::graph::{EdgeField, EdgeKind};
use crate::editor::layout::{Direction, NODE_H, NODE_W, SceneEdge};
use crate::editor::palette::item;
use crate::editor::scope::StateRef;
use leptos::prelude::*;

fn client(e: &web_sys::PointerEvent) -> Point {
    Point::new(e.client_x() as f64, e.client_y() as f64)
}

/// Inserts a palette item without a drop point: after the selected state (on its Next or End
/// edge), else free in the middle of the view.
pub fn drop_default(editor: Editor, label: &str) {
    let Some(item) = item(label) else { return };
    let root = editor.session.with_untracked(|s| s.doc.machine().clone());
    let (entry, _) = edit::instantiate(&item, &root);
    let selected = editor.selected.get_untracked();
    let change = editor.session.with_untracked(|s| {
        let after = selected.as_ref().and_then(|r| {
            let st = crate::editor::scope::machine_at(s.doc.machine(), &r.scope)?.state(&r.name)?;
            let field = if st.next.is_some() { EdgeField::Next } else if st.end == Some(true) { EdgeField::End } else { return None };
            Some(EdgeTarget { scope: r.scope.clone(), source: Some(r.clone()), field })
        });
        match after {
            Some(edge) => edit::insert_on_edge(&s.doc, &edge, &item).map(|c| (c, edge.scope)),
            None => edit::add_free(&s.doc, &Vec::new(), &item, None).map(|c| (c, Vec::new())),
        }
    });
    let scope = change.as_ref().map(|(_, s)| s.clone()).unwrap_or_default();
    if editor.perform(change.map(|(c, _)| c), &format!("Add {label}")) {
        editor.select(Some(StateRef { scope, name: entry }));
    }
}

fn edge_class(e: &SceneEdge) -> &'static str {
    match e.kind {
        EdgeKind::Next | EdgeKind::Start => "edge next",
        EdgeKind::Default => "edge default",
        EdgeKind::Choice => "edge choice",
        EdgeKind::Catch => "edge catch",
        EdgeKind::End => "edge end",
    }
}

const DEFS: &str = r#"<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>
<marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow catch"/></marker>
<pattern id="dots" width="24" height="24" patternUnits="userSpaceOnUse"><circle cx="1.5" cy="1.5" r="1.2" class="dot"/></pattern>
</defs>"#;

#[component]
pub fn Canvas() -> impl IntoView {
    let editor: Editor = expect_context();
    let el = NodeRef::<leptos::html::Section>::new();
    let viewport = editor.viewport;

    // Client coordinates → relative to the canvas element; and whether they are inside it.
    let local = move |p: Point| -> Option<Point> {
        let r = el.get_untracked()?.get_bounding_client_rect();
        let inside = p.x >= r.left() && p.x <= r.right() && p.y >= r.top() && p.y <= r.bottom();
        inside.then(|| Point::new(p.x - r.left(), p.y - r.top()))
    };
    let to_canvas = move |p: Point| local(p).map(|l| viewport.get_untracked().to_canvas(l));

    let fit = move || {
        if let Some(div) = el.get_untracked() {
            let (w, h) = (div.client_width() as f64, div.client_height() as f64);
            if w > 0.0 && h > 0.0 {
                let bounds = editor.scene.with_untracked(|s| s.bounds);
                viewport.set(Viewport::fit(bounds, w, h, 40.0, 0.0));
            }
        }
    };
    Effect::new(move |_| {
        editor.fit_request.track();
        request_animation_frame(fit);
    });

    let move_listener = window_event_listener(leptos::ev::pointermove, move |e: web_sys::PointerEvent| {
        let Some(g) = editor.gesture.get_untracked() else { return };
        let at = client(&e);
        match g {
            Gesture::Pan { from, viewport: v } => viewport.set(v.pan(at.x - from.x, at.y - from.y)),
            Gesture::Move { id, from, origin, moved } => {
                let zoom = viewport.get_untracked().zoom;
                let (dx, dy) = ((at.x - from.x) / zoom, (at.y - from.y) / zoom);
                if !moved && dx.abs() < 3.0 && dy.abs() < 3.0 {
                    return;
                }
                // The scene previews the move (only this node, what it holds and their edges are
                // redrawn); the document changes once, at the drop.
                editor.scene.preview(&id, Point::new((origin.x + dx).round(), (origin.y + dy).round()));
                if !moved {
                    editor.gesture.set(Some(Gesture::Move { id, from, origin, moved: true }));
                }
            }
            Gesture::Connect { from, catch, start, .. } => {
                if let Some(to) = to_canvas(at) {
                    editor.gesture.set(Some(Gesture::Connect { from, catch, start, to }));
                }
            }
            Gesture::Palette { label, from, moved, .. } => {
                let moved = moved || (at.x - from.x).abs() + (at.y - from.y).abs() > 4.0;
                editor.gesture.set(Some(Gesture::Palette { label, from, at, moved }));
                let zoom = viewport.get_untracked().zoom;
                let hit = to_canvas(at).and_then(|p| editor.scene.with_untracked(|s| s.edge_at(p, 14.0 / zoom).map(|e| e.id.clone())));
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
        let at = client(&e);
        match g {
            Gesture::Connect { from, catch, .. } => {
                let Some(p) = to_canvas(at) else { return };
                let target = editor.scene.with_untracked(|s| {
                    s.nodes
                        .iter()
                        .filter(|n| n.rect.contains(p) && n.scope == from.scope)
                        .filter_map(|n| n.state.clone())
                        .next_back()
                });
                if let Some(to) = target.filter(|t| *t != from || !catch) {
                    let handle = if catch { Handle::Catch } else { Handle::Next };
                    let change = editor.session.with_untracked(|s| edit::connect(&s.doc, &from, &to.name, handle));
                    editor.perform(change, "Connect");
                }
            }
            Gesture::Palette { label, moved, .. } => {
                if !moved {
                    drop_default(editor, label);
                    return;
                }
                let Some(p) = to_canvas(at) else { return };
                let Some(item) = item(label) else { return };
                let zoom = viewport.get_untracked().zoom;
                let root = editor.session.with_untracked(|s| s.doc.machine().clone());
                let (entry, _) = edit::instantiate(&item, &root);
                let (change, scope) = editor.session.with_untracked(|s| {
                    editor.scene.with_untracked(|scene| {
                        if let Some(edge) = scene.edge_at(p, 14.0 / zoom) {
                            let target = EdgeTarget { scope: edge.scope.clone(), source: edge.source.clone(), field: edge.field.clone() };
                            return (edit::insert_on_edge(&s.doc, &target, &item), edge.scope.clone());
                        }
                        if let Some(c) = scene.container_at(p) {
                            // The branch whose nodes are nearest the drop point.
                            let prefix = format!("{}/", c.id);
                            let scope = scene
                                .nodes
                                .iter()
                                .filter(|n| n.depth == c.depth + 1 && n.id.starts_with(&prefix))
                                .min_by(|a, b| (a.rect.center().x - p.x).abs().total_cmp(&(b.rect.center().x - p.x).abs()))
                                .map(|n| n.scope.clone());
                            if let Some(scope) = scope {
                                return (edit::add_free(&s.doc, &scope, &item, None), scope);
                            }
                        }
                        let at = Point::new((p.x - NODE_W / 2.0).round(), (p.y - NODE_H / 2.0).round());
                        (edit::add_free(&s.doc, &Vec::new(), &item, Some(at)), Vec::new())
                    })
                });
                if editor.perform(change, &format!("Add {label}")) {
                    editor.select(Some(StateRef { scope, name: entry }));
                }
            }
            Gesture::Move { id, moved, .. } => {
                if let Some((_, to)) = editor.scene.previewed().filter(|(p, _)| moved && *p == id) {
                    editor.perform(Ok(Change::SetPosition { id, at: Some(to) }), "Move state");
                }
                editor.scene.end_preview();
            }
            Gesture::Pan { .. } => {}
        }
    });
    on_cleanup(move || {
        move_listener.remove();
        up_listener.remove();
    });

    // A state node's pointer events are handled here, for all of them at once (delegation by
    // the `data-node` attribute): a node builds no listeners of its own.
    let node_of = |e: &web_sys::PointerEvent| -> Option<String> {
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
    let background_down = move |e: leptos::ev::PointerEvent| {
        if let Some(id) = node_of(&e) {
            return node_down(editor, &id, &e);
        }
        if e.button() != 0 {
            return;
        }
        editor.select(None);
        editor.gesture.set(Some(Gesture::Pan { from: client(&e), viewport: viewport.get_untracked() }));
    };
    let wheel = move |e: leptos::ev::WheelEvent| {
        e.prevent_default();
        let Some(p) = local(Point::new(e.client_x() as f64, e.client_y() as f64)) else { return };
        let factor = (-e.delta_y() * 0.0015).exp();
        viewport.update(|v| *v = v.zoom_at(p, factor));
    };
    let zoom_by = move |factor: f64| {
        if let Some(div) = el.get_untracked() {
            let c = Point::new(div.client_width() as f64 / 2.0, div.client_height() as f64 / 2.0);
            viewport.update(|v| *v = v.zoom_at(c, factor));
        }
    };

    // The lists are keyed by how each item looks, not where it is: a move re-creates nothing, and
    // each element follows its own cell in the scene store (see `CanvasNode`; edges below).
    let node_keys = Memo::new(move |_| editor.scene.with_items(|s| s.nodes.iter().map(|n| (n.id.clone(), n.look())).collect::<Vec<_>>()));
    let edge_keys = Memo::new(move |_| editor.scene.with_items(|s| s.edges.iter().map(|e| (e.id.clone(), e.look())).collect::<Vec<_>>()));
    let label_keys = Memo::new(move |_| {
        editor.scene.with_items(|s| s.edges.iter().filter(|e| e.label.is_some()).map(|e| (e.id.clone(), e.look())).collect::<Vec<_>>())
    });
    // Each of these notifies the one or two items whose answer changes, not every item.
    let hovered = Selector::new(move || hover.get());
    let selected = Selector::new(move || editor.selected.get());
    let drop_target = Selector::new(move || editor.drop_edge.get());
    let edge_view = move |id: String| {
        let (edge, path) = editor.scene.edge(&id)?;
        let base = edge_class(&edge);
        let sim = use_context::<super::sim_view::SimView>();
        let from_name = edge.source.as_ref().map(|s| s.name.clone());
        let to_name = if edge.kind == EdgeKind::End { None } else { editor.scene.node(&edge.to).map(|(n, _)| n.label.clone()) };
        let hot = Some(id.clone());
        let drop_target = drop_target.clone();
        let class = move || {
            let hot = drop_target.selected(&hot);
            let run = sim.map(|s| s.edge_class(from_name.as_deref(), to_name.as_deref())).unwrap_or("");
            format!("{base}{}{run}", if hot { " drop-target" } else { "" })
        };
        // (The arrowhead is the stylesheet's: `.edge` and `.edge.catch` set `marker-end`.)
        let d = move || path.with(|p| p.d.clone());
        Some(view! { <path class=class d=d data-edge=id/> })
    };
    let label_view = move |id: String| {
        let (edge, path) = editor.scene.edge(&id)?;
        let style = move || path.with(|p| format!("left: {}px; top: {}px", p.label_at.x, p.label_at.y));
        let class = if edge.kind == EdgeKind::Catch { "edge-label catch" } else { "edge-label" };
        Some(view! { <div class=class style=style>{edge.label}</div> })
    };
    let transform = move || viewport.with(|v| v.css_transform());
    let grid = move || {
        viewport.with(|v| format!("background-position: {:.1}px {:.1}px; background-size: {:.1}px {:.1}px", v.x, v.y, 24.0 * v.zoom, 24.0 * v.zoom))
    };
    let preview = move || match editor.gesture.get() {
        Some(Gesture::Connect { start, to, catch, .. }) => {
            let d = format!("M{:.1},{:.1} L{:.1},{:.1}", start.x, start.y, to.x, to.y);
            Some(view! { <path class=if catch { "edge connecting catch" } else { "edge connecting" } d=d/> })
        }
        _ => None,
    };
    let ghost = move || match editor.gesture.get() {
        Some(Gesture::Palette { label, at, moved: true, .. }) => {
            let style = format!("left: {}px; top: {}px", at.x + 12.0, at.y + 12.0);
            Some(view! { <div class="drag-ghost" style=style>{label}</div> })
        }
        _ => None,
    };
    let stale = move || {
        editor.session.with(|s| {
            s.doc.syntax_error().map(|d| {
                let at = d.position.map(|p| format!(" at line {}, column {}", p.line, p.column)).unwrap_or_default();
                format!("The ASL text is not valid JSON{at}. Showing the last valid graph.")
            })
        })
    };
    let zoom_text = move || {
        let z = viewport.with(|v| v.zoom) * 100.0;
        if z < 10.0 { format!("{z:.1}%") } else { format!("{z:.0}%") }
    };
    // Zoomed out, nodes show their names only (see the stylesheet).
    let zoomed_out = move || viewport.with(|v| v.zoom < 0.55);
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
        <section class="canvas" node_ref=el aria-label="Canvas" style=grid on:pointerdown=background_down on:wheel=wheel
            on:pointerover=over on:pointerleave=leave class:zoomed-out=zoomed_out
            class:dragging=move || editor.gesture.with(|g| matches!(g, Some(Gesture::Palette { moved: true, .. })))>
            <div class="world" style:transform=transform>
                <svg class="edges" width="1" height="1" inner_html=DEFS></svg>
                <svg class="edges" width="1" height="1">
                    <For each=move || edge_keys.get() key=|k| k.clone() let:k>
                        {edge_view(k.0)}
                    </For>
                    {preview}
                </svg>
                <For each=move || node_keys.get() key=|k| k.clone() let:k>
                    <CanvasNode id=k.0 hovered=hovered.clone() selected=selected.clone()/>
                </For>
                <For each=move || label_keys.get() key=|k| k.clone() let:k>
                    {label_view(k.0)}
                </For>
            </div>
            {move || stale().map(|s| view! { <div class="stale-banner" role="alert">{s}</div> })}
            <div class="zoom-controls" on:pointerdown=|e| e.stop_propagation()>
                <button aria-label="Zoom in" on:click=move |_| zoom_by(1.25)>"+"</button>
                <span class="zoom-level">{zoom_text}</span>
                <button aria-label="Zoom out" on:click=move |_| zoom_by(0.8)>"−"</button>
                <button aria-label="Fit to view" on:click=move |_| editor.fit_request.update(|n| *n += 1)>"⤢"</button>
                <button aria-label=flip_label title=flip_label on:click=flip>{flip_icon}</button>
            </div>
            {ghost}
        </section>
    }
}
