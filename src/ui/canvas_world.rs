//! The canvas's drawing: the edges and their labels (one SVG path and one label box per edge,
//! each following its own cell in the scene store, classed by kind, by the run shown and by
//! whether a palette drop would insert on it), the nodes, and what the gesture in progress
//! draws (the connection being dragged, the selection box).

use super::canvas_node::CanvasNode;
use super::context::{Editor, Gesture};
use crate::editor::graph::EdgeKind;
use crate::editor::drawn;
use crate::editor::geometry::Rect;
use crate::editor::layout::{Scene, SceneEdge};
use crate::editor::scope::StateRef;
use super::sim_view::SimView;
use leptos::prelude::*;

/// The markers and patterns the edges use, once.
pub const DEFS: &str = r#"<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow"/></marker>
<marker id="arrow-catch" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow catch"/></marker>
<pattern id="dots" width="24" height="24" patternUnits="userSpaceOnUse"><circle cx="1.5" cy="1.5" r="1.2" class="dot"/></pattern>
</defs>"#;

fn edge_class(e: &SceneEdge) -> &'static str {
    match e.kind {
        EdgeKind::Next | EdgeKind::Start => "edge next",
        EdgeKind::Default => "edge default",
        EdgeKind::Choice => "edge choice",
        EdgeKind::Catch => "edge catch",
        EdgeKind::End => "edge end",
    }
}

/// The path of the edge `id`; `drop_target` says which edge a palette drop would insert on.
pub fn edge_view(editor: Editor, drop_target: Selector<Option<String>>, id: String) -> Option<impl IntoView> {
    let (edge, path) = editor.scene.edge(&id)?;
    let base = edge_class(&edge);
    let sim = use_context::<SimView>();
    let from_name = edge.source.as_ref().map(|s| s.name.clone());
    let to_name = if edge.kind == EdgeKind::End { None } else { editor.scene.node(&edge.to).map(|(n, _)| n.label.clone()) };
    let (from_title, to_title) = (from_name.clone(), to_name.clone());
    let hot = Some(id.clone());
    let class = move || {
        let hot = drop_target.selected(&hot);
        let run = sim.map(|s| s.edge_class(from_name.as_deref(), to_name.as_deref())).unwrap_or("");
        format!("{base}{}{run}", if hot { " drop-target" } else { "" })
    };
    // (The arrowhead is the stylesheet's: `.edge` and `.edge.catch` set `marker-end`.)
    let d = move || path.with(|p| p.d());
    // Under a suite's coverage, why an edge is drawn as it is (an unreachable one's reason).
    let title = move || sim.and_then(|s| s.edge_title(from_title.as_deref(), to_title.as_deref())).map(|t| view! { <title>{t}</title> });
    Some(view! { <path class=class d=d data-edge=id>{title}</path> })
}

/// The node a reference's label was clicked for: the canvas brings it into view (see
/// `canvas_reveal`).
#[derive(Clone, Copy)]
pub struct GoTo(pub RwSignal<Option<String>>);

/// The label box of the edge `id`. A reference's label (an edge drawn as a stub, see
/// `editor::layout::refs`) is a button: it selects the target and brings it into view.
pub fn label_view(editor: Editor, id: String) -> Option<impl IntoView> {
    let (edge, path) = editor.scene.edge(&id)?;
    let style = {
        let path = path.clone();
        move || path.with(|p| format!("left: {}px; top: {}px", p.label_at.x, p.label_at.y))
    };
    // (Typing can change a label's words in place: see `SceneStore::reworded`.)
    let text = move || path.with(|p| p.text.clone());
    let catch = if edge.kind == EdgeKind::Catch { " catch" } else { "" };
    let Some(name) = edge.reference.clone() else {
        return Some(view! { <div class=format!("edge-label{catch}") style=style data-edge=id>{text}</div> }.into_any());
    };
    let target = editor.scene.node(&edge.to).map(|(n, _)| (n.id.clone(), n.state.clone()));
    let go = use_context::<GoTo>();
    let click = move |_| {
        let Some((node, state)) = target.clone() else { return };
        if state.is_some() {
            editor.select(state);
        }
        if let Some(GoTo(to)) = go {
            to.set(Some(node));
        }
    };
    let title = format!("Goes to {name}: click to select it");
    Some(
        view! {
            <button type="button" class=format!("edge-label reference{catch}") style=style data-edge=id data-reference=name title=title
                on:pointerdown=|e| e.stop_propagation() on:click=click>{text}</button>
        }
        .into_any(),
    )
}

/// The state under the pointer in an overview: its node's id, its name, its box.
#[derive(Debug, Clone, PartialEq)]
pub struct Tip {
    pub id: String,
    pub name: String,
    pub rect: Rect,
}

/// A run's (a batch's, a suite's) classes of a node or an edge that an overview draws over its
/// boxes and curves: not those that say "not reached", "never taken", "not visited" (the
/// overview's own paths are dimmed under a run).
fn sim_mark(class: &str) -> Option<String> {
    let class = class.trim();
    let quiet = ["not-taken", "not-reached", "heat-0", "cold"];
    (!class.is_empty() && !quiet.iter().any(|q| class.split(' ').any(|c| c == *q))).then(|| class.to_string())
}

/// The boxes `d` marked `class` in an overview; the selection and the state a run failed in (or
/// is in) with a wide pale halo under them, so that a box of a few pixels is seen at once.
fn mark(class: String, d: String) -> impl IntoView {
    let halo = ["selected", "run-failed", "run-in-progress"].contains(&class.as_str()).then(|| view! { <path class=format!("overview-halo {class}") d=d.clone()/> });
    view! { {halo}<path class=format!("overview-mark {class}") d=d/> }
}

/// What an overview draws over its boxes, as a few paths (`drawn::{boxes_by, edges_by,
/// problem_dots}`): the run shown (its path, the state that failed), the problems, the
/// selection, and the box under the pointer.
fn overview_marks(editor: Editor, tip: RwSignal<Option<Tip>>) -> impl IntoView {
    let sim = use_context::<SimView>();
    let run = move || {
        // (Nothing to ask of each state and edge when no run, batch or suite is shown.)
        let sim = sim.filter(SimView::shows_anything)?;
        editor.scene.with(|s| {
            let boxes = drawn::boxes_by(&s.nodes, |n| sim_mark(&sim.node_class(n.state.as_ref()?.name.as_str())));
            let trail = drawn::edges_by(s, |e, to| {
                let to = if e.kind == EdgeKind::End { None } else { to.map(|n| n.label.as_str()) };
                sim_mark(sim.edge_class(e.source.as_ref().map(|s| s.name.as_str()), to))
            });
            let trail = trail.into_iter().map(|(class, d)| view! { <path class=format!("overview-trail {class}") d=d/> }).collect_view();
            let boxes = boxes.into_iter().map(|(class, d)| mark(class, d)).collect_view();
            Some(view! { {trail}{boxes} })
        })
    };
    let problems = move || {
        let dots = editor.diagnostics.with(|d| editor.scene.with(|s| drawn::problem_dots(s, d)));
        dots.into_iter().map(|(class, d)| view! { <path class=format!("overview-dot {class}") d=d/> }).collect_view()
    };
    let selection = move || {
        let chosen: Vec<StateRef> = editor.selected.with(|p| editor.also_selected.with(|a| p.iter().chain(a).cloned().collect()));
        if chosen.is_empty() {
            return None;
        }
        let marks = editor.scene.with(|s| drawn::boxes_by(&s.nodes, |n| n.state.as_ref().filter(|r| chosen.contains(r)).map(|_| "selected".to_string())));
        Some(marks.into_iter().map(|(class, d)| mark(class, d)).collect_view())
    };
    let pointed = move || {
        let t = tip.get()?;
        let marks = editor.scene.with(|s| drawn::boxes_by(s.nodes.iter().filter(|n| n.id == t.id), |_| Some("pointed".to_string())));
        Some(marks.into_iter().map(|(class, d)| view! { <path class=format!("overview-mark {class}") d=d/> }).collect_view())
    };
    view! { {run}{problems}{selection}{pointed} }
}

/// Everything drawn in canvas space; `hover` is the node under the pointer, `tip` the state
/// under it in an overview. `size` is the canvas's size in pixels, when it is in the page.
#[component]
pub fn World(hover: RwSignal<Option<String>>, tip: RwSignal<Option<Tip>>, size: Callback<(), Option<(f64, f64)>>) -> impl IntoView {
    let editor: Editor = expect_context();
    // A big scene draws only what is near the view (`editor::drawn`); a small one, everything.
    let area = Memo::new(move |_| {
        let nodes = editor.scene.with_items(|s| s.nodes.len());
        if nodes <= drawn::ALWAYS_DRAWN {
            return None;
        }
        let (w, h) = size.run(()).filter(|(w, h)| *w > 0.0 && *h > 0.0).unwrap_or((1600.0, 1000.0));
        editor.viewport.with(|v| drawn::area(nodes, v, w, h))
    });
    // Zoomed out too far to read (a Fit of thousands of states), a big scene is a few paths
    // (`drawn::Overview`) and no item is drawn on its own.
    let overview = Memo::new(move |_| {
        let nodes = editor.scene.with_items(|s| s.nodes.len());
        editor.viewport.with(|v| drawn::overview(nodes, v.zoom))
    });
    // Culled, the lists follow moves too (a node dropped into the view is drawn there).
    let with_scene = move |f: &mut dyn FnMut(&Scene, Option<&Rect>)| {
        if overview.get() {
            return;
        }
        let a = area.get();
        // (Words alone, a keystroke's, change neither which items are drawn nor how they look.)
        if a.is_some() { editor.scene.with_geometry(|s| f(s, a.as_ref())) } else { editor.scene.with_items(|s| f(s, None)) }
    };
    // The lists are keyed by how each item looks, not where it is: a move re-creates nothing, and
    // each element follows its own cell in the scene store (see `CanvasNode`; edges likewise).
    let node_keys = Memo::new(move |_| {
        let mut keys = Vec::new();
        with_scene(&mut |s, a| keys = s.nodes.iter().filter(|n| drawn::node(n, a)).map(|n| (n.id.clone(), n.look())).collect());
        keys
    });
    let edge_keys = Memo::new(move |_| {
        let mut keys = Vec::new();
        with_scene(&mut |s, a| keys = s.edges.iter().filter(|e| drawn::edge(e, a)).map(|e| (e.id.clone(), e.look())).collect());
        keys
    });
    let label_keys = Memo::new(move |_| {
        let mut keys = Vec::new();
        with_scene(&mut |s, a| keys = s.edges.iter().filter(|e| e.has_label() && drawn::edge(e, a)).map(|e| (e.id.clone(), e.look())).collect());
        keys
    });
    // Each of these notifies the one or two items whose answer changes, not every item.
    let hovered = Selector::new(move || hover.get());
    let selected = Selector::new(move || editor.selected.get());
    let drop_target = Selector::new(move || editor.drop_edge.get());
    // What the gesture in progress draws: the connection being dragged, the selection box.
    let preview = move || match editor.gesture.get() {
        Some(Gesture::Connect { start, to, catch, .. }) => {
            let d = format!("M{:.1},{:.1} L{:.1},{:.1}", start.x, start.y, to.x, to.y);
            Some(view! { <path class=if catch { "edge connecting catch" } else { "edge connecting" } d=d/> }.into_any())
        }
        Some(g @ Gesture::Select { .. }) => g.band().map(|b| view! { <rect class="select-band" x=b.x y=b.y width=b.w height=b.h/> }.into_any()),
        _ => None,
    };
    let sim = use_context::<SimView>();
    let overview_paths = move || {
        overview.get().then(|| {
            let (o, states) = editor.scene.with(|s| (drawn::Overview::of(s), s.nodes.iter().filter(|n| n.state.is_some()).count()));
            let boxes = o.kinds.into_iter().map(|(kind, d)| view! { <path class=format!("overview-box kind-{kind}") d=d/> }).collect_view();
            // (Focusable: the keyboard's way in, see `canvas_reveal::tab`.)
            let name = format!("{states} states, zoomed out: Tab or Enter goes to the selected state or the first; click a box to select its state, double-click to zoom in to it");
            // Under a run (a batch, a suite), the overview's own paths are dimmed, and what the
            // run reached drawn over them.
            let shown = move || sim.is_some_and(|s| s.shows_anything());
            view! {
                <svg class="edges overview" class:sim-shown=shown width="1" height="1" tabindex="0" role="button" aria-label=name data-overview="">
                    <path class="overview-edges" d=o.edges/>
                    <path class="overview-box container" d=o.containers/>
                    {boxes}
                    {overview_marks(editor, tip)}
                </svg>
            }
        })
    };
    view! {
        <svg class="edges" width="1" height="1" inner_html=DEFS></svg>
        {overview_paths}
        <svg class="edges" width="1" height="1">
            <For each=move || edge_keys.get() key=|k| k.clone() let:k>
                {edge_view(editor, drop_target.clone(), k.0)}
            </For>
            {preview}
        </svg>
        <For each=move || node_keys.get() key=|k| k.clone() let:k>
            <CanvasNode id=k.0 hovered=hovered.clone() selected=selected.clone()/>
        </For>
        <For each=move || label_keys.get() key=|k| k.clone() let:k>
            {label_view(editor, k.0)}
        </For>
    }
}
