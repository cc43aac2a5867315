//! The editor context, provided once at the root: the session (document + undo history) and the
//! view state around it (selection, viewport, the gesture in progress, a notice line).

use crate::editor::change::{Change, EditError};
use crate::editor::document::Document;
use crate::editor::geometry::Viewport;
use crate::editor::graph::{Graph, derive};
use crate::editor::history::Merge;
use crate::editor::layout::{Direction, Scene, layout_in, reword_in, reword_state_in};
use crate::editor::scope::StateRef;
use crate::editor::session::Session;
use leptos::prelude::*;
pub use super::scene::SceneStore;
pub use crate::editor::gesture::Gesture;
use crate::editor::gesture::Outcome;

/// Where the page once autosaved its single document (localStorage): migrated into the
/// workspace on the first load (`ui::workspace`).
pub const STORAGE_KEY: &str = "statecraft.document.v1";

/// Everything the components share.
#[derive(Clone, Copy)]
pub struct Editor {
    pub session: RwSignal<Session>,
    /// The primary selected state: the inspector's and the code's. Set it with [`Editor::select`].
    pub selected: RwSignal<Option<StateRef>>,
    /// The states selected along with it (Shift+click, see `editor::selection`).
    pub also_selected: RwSignal<Vec<StateRef>>,
    pub viewport: RwSignal<Viewport>,
    pub gesture: RwSignal<Option<Gesture>>,
    /// The edge a palette drag would insert on.
    pub drop_edge: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<String>>,
    pub show_shortcuts: RwSignal<bool>,
    /// Asks the canvas to fit the view (bumped by the F key, the button, a load).
    pub fit_request: RwSignal<u64>,
    /// The scene, laid out again only when the model changes; positions are applied after, and
    /// each node and edge has its own cell (see [`SceneStore`]).
    pub scene: SceneStore,
    /// Which way the canvas lays out (the canvas's toggle).
    pub direction: RwSignal<Direction>,
    /// Asks the code pane to select this span of the text (a clicked diagnostic).
    pub reveal: RwSignal<Option<crate::asl::json::Span>>,
    /// The document's diagnostics, notifying only when they change; with the request checks.
    pub diagnostics: Memo<Vec<crate::asl::diag::Diagnostic>>,
    /// The request checks of the service files fetched so far (`catalogue::requests`), and the
    /// text they are of: set by the app as files arrive, shown only while the text is that one.
    pub requests: RwSignal<(String, Vec<crate::asl::diag::Diagnostic>)>,
}

impl Editor {
    pub fn new(doc: Document) -> Self {
        let session = RwSignal::new(Session::new(doc));
        // Each derived value depends on the narrowest part of the session, so a move (positions
        // only) recomputes no graph, no layout and no diagnostics, and a drag (a preview, until the
        // drop) changes no session at all.
        let model_revision = Memo::new(move |_| session.with(|s| s.doc.model_revision()));
        let positions_revision = Memo::new(move |_| session.with(|s| s.doc.positions_revision()));
        // (generation, graph, scene, whether only words changed, the model revision they are
        // of); a new generation each time, without comparing the scenes.
        let direction = RwSignal::new(Direction::default());
        let base = Memo::new_owning(move |prev: Option<(u64, Graph, Scene, bool, u64)>| {
            let revision = model_revision.get(); // (a read, not `track`: a memo computes only when read)
            let direction = direction.get();
            let generation = prev.as_ref().map_or(0, |p| p.0 + 1);
            // A keystroke inside one state, the model's only change since the last graph: that
            // state's node and edges derived again, and their words put in the scene in place.
            let prev = match prev {
                Some((_, mut graph, mut scene, _, was)) if was + 1 == revision && scene.direction == direction => {
                    let done = session.with_untracked(|s| s.doc.touched_state().is_some_and(|i| reword_state_in(&mut graph, &mut scene, s.doc.machine(), i)));
                    if done {
                        return ((generation, graph, scene, true, revision), true);
                    }
                    Some((graph, scene))
                }
                other => other.map(|(_, g, s, _, _)| (g, s)),
            };
            let graph = session.with_untracked(|s| derive(s.doc.machine()));
            let reworded = prev.as_ref().and_then(|(g, s)| reword_in((g, s), &graph, direction));
            let words_only = reworded.is_some();
            let scene = reworded.unwrap_or_else(|| layout_in(&graph, direction));
            ((generation, graph, scene, words_only, revision), true)
        });
        let (first, scene) = base.with_untracked(|(g, _, s, _, _)| (*g, s.clone()));
        let scene = session.with_untracked(|s| SceneStore::new(scene, s.doc.positions()));
        let placed = StoredValue::new(first);
        Effect::new(move |_| {
            let generation = base.with(|(g, _, _, _, _)| *g);
            let _ = positions_revision.get();
            let preview = scene.preview_tracked();
            let preview = preview.as_ref().map(|(id, at)| (id.as_str(), *at));
            session.with_untracked(|s| {
                if placed.get_value() != generation {
                    placed.set_value(generation);
                    // A keystroke inside a state changes words only: the items stay, and only
                    // what the words changed is drawn again.
                    base.with_untracked(|(_, _, laid, words_only, _)| {
                        if *words_only {
                            scene.reworded(laid, s.doc.positions(), preview)
                        } else {
                            scene.relaid(laid.clone(), s.doc.positions(), preview)
                        }
                    });
                } else {
                    scene.replace(s.doc.positions(), preview);
                }
            });
        });
        let requests = RwSignal::new((String::new(), Vec::new()));
        let diagnostics = Memo::new(move |_| {
            session.with(|s| {
                let mut all = s.doc.diagnostics().to_vec();
                requests.with(|(text, found)| if text == s.doc.text() { all.extend(found.iter().cloned()) });
                all
            })
        });
        session.with_untracked(|s| scene.set_problems(s.doc.diagnostics()));
        Effect::new(move |_| {
            scene.with_items(|_| ());
            diagnostics.with(|d| scene.set_problems(d));
        });
        Editor {
            session,
            selected: RwSignal::new(None),
            also_selected: RwSignal::new(Vec::new()),
            viewport: RwSignal::new(Viewport::default()),
            gesture: RwSignal::new(None),
            drop_edge: RwSignal::new(None),
            notice: RwSignal::new(None),
            show_shortcuts: RwSignal::new(false),
            fit_request: RwSignal::new(0),
            scene,
            direction,
            reveal: RwSignal::new(None),
            diagnostics,
            requests,
        }
    }

    /// Selects `r` alone (or nothing).
    pub fn select(&self, r: Option<StateRef>) {
        if self.also_selected.with_untracked(|a| !a.is_empty()) {
            self.also_selected.set(Vec::new());
        }
        self.selected.set(r);
    }

    /// Shift+click on `r`: adds it to the selection or takes it out.
    pub fn toggle_selected(&self, r: StateRef) {
        let (primary, also) = crate::editor::selection::toggle(self.selected.get_untracked(), self.also_selected.get_untracked(), r);
        self.also_selected.set(also);
        self.selected.set(primary);
        let n = self.selection().len();
        self.notice.set((n > 1).then(|| format!("{n} states selected: Delete, Ctrl+C and Ctrl+D act on all of them")));
    }

    /// Selects the states `names` of the machine at `scope`, the first as the primary one.
    pub fn select_many(&self, scope: &crate::editor::scope::Scope, names: Vec<String>) {
        let mut refs = names.into_iter().map(|name| StateRef { scope: scope.clone(), name });
        let first = refs.next();
        self.also_selected.set(refs.collect());
        self.selected.set(first);
    }

    /// Everything selected, the primary first.
    pub fn selection(&self) -> Vec<StateRef> {
        self.selected.with_untracked(|p| self.also_selected.with_untracked(|a| crate::editor::selection::all(p.as_ref(), a)))
    }

    /// Performs a gesture's change as one undo step, or shows why it could not be done.
    pub fn perform(&self, change: Result<Change, EditError>, label: &str) -> bool {
        self.perform_merged(change, label, Merge::Never)
    }

    pub fn perform_merged(&self, change: Result<Change, EditError>, label: &str, merge: Merge) -> bool {
        let result = change.and_then(|c| {
            let mut out = Ok(());
            self.session.update(|s| out = s.perform(c, label, merge));
            out
        });
        match result {
            Ok(()) => {
                self.notice.set(None);
                true
            }
            Err(e) => {
                self.notice.set(Some(e.to_string()));
                false
            }
        }
    }

    /// Applies what a gesture ended in: performs its change and selects what it says, or
    /// makes its states the selection.
    pub fn apply(&self, outcome: Outcome) {
        match outcome {
            Outcome::Nothing => {}
            Outcome::Edit { change, label, select } => {
                if self.perform(change, &label) && select.is_some() {
                    self.select(select);
                }
            }
            Outcome::Select(refs) => match refs.first() {
                None => self.select(None),
                Some(first) => {
                    let scope = first.scope.clone();
                    self.select_many(&scope, refs.into_iter().map(|r| r.name).collect());
                }
            },
            Outcome::Toggle(r) => self.toggle_selected(r),
        }
    }

    pub fn undo(&self) {
        let mut r = Ok(false);
        self.session.update(|s| r = s.undo());
        self.after_history(r);
    }

    pub fn redo(&self) {
        let mut r = Ok(false);
        self.session.update(|s| r = s.redo());
        self.after_history(r);
    }

    fn after_history(&self, r: Result<bool, EditError>) {
        match r {
            Ok(_) => self.notice.set(None),
            Err(e) => self.notice.set(Some(e.to_string())),
        }
        // A selection whose states no longer exist is dropped.
        let exists = |r: &StateRef| self.session.with_untracked(|s| r.resolve(s.doc.machine()).is_some());
        if self.selected.with_untracked(|sel| sel.as_ref().is_some_and(|r| !exists(r))) {
            self.selected.set(None);
        }
        if self.also_selected.with_untracked(|a| a.iter().any(|r| !exists(r))) {
            self.also_selected.update(|a| a.retain(|r| exists(r)));
        }
    }
}

/// Milliseconds from the page's clock, for merging bursts of typing.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}
