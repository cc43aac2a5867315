//! The editor context, provided once at the root: the session (document + undo history) and the
//! view state around it (selection, viewport, the gesture in progress, a notice line).

use crate::editor::change::{Change, EditError};
use crate::editor::document::Document;
use crate::editor::geometry::{Point, Viewport};
use crate::editor::graph::{Graph, derive};
use crate::editor::history::Merge;
use crate::editor::layout::{Scene, place, relayout};
use crate::editor::scope::StateRef;
use crate::editor::session::Session;
use leptos::prelude::*;

/// Where autosave keeps the document in localStorage.
pub const STORAGE_KEY: &str = "statecraft.document.v1";

/// A gesture in progress on the canvas (or from the palette onto it).
#[derive(Debug, Clone, PartialEq)]
pub enum Gesture {
    /// Panning: where the pointer and the viewport were when it started.
    Pan { from: Point, viewport: Viewport },
    /// Moving a top-level node: one undo step for the whole drag.
    Move { id: String, from: Point, origin: Point, gesture: u64, moved: bool },
    /// Dragging a connection from a node's handle; `to` is the pointer in canvas space.
    Connect { from: StateRef, catch: bool, start: Point, to: Point },
    /// Dragging a palette item; `at` is the pointer on the screen (client coordinates).
    Palette { label: &'static str, from: Point, at: Point, moved: bool },
}

/// Everything the components share.
#[derive(Clone, Copy)]
pub struct Editor {
    pub session: RwSignal<Session>,
    pub selected: RwSignal<Option<StateRef>>,
    pub viewport: RwSignal<Viewport>,
    pub gesture: RwSignal<Option<Gesture>>,
    /// The edge a palette drag would insert on.
    pub drop_edge: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<String>>,
    pub show_shortcuts: RwSignal<bool>,
    /// Asks the canvas to fit the view (bumped by the F key, the button, a load).
    pub fit_request: RwSignal<u64>,
    /// The scene, laid out again only when the model changes; positions are applied after.
    pub scene: Memo<Scene>,
    /// Asks the code pane to select this span of the text (a clicked diagnostic).
    pub reveal: RwSignal<Option<crate::asl::json::Span>>,
    /// The document's diagnostics, notifying only when they change.
    pub diagnostics: Memo<Vec<crate::asl::diag::Diagnostic>>,
}

impl Editor {
    pub fn new(doc: Document) -> Self {
        let session = RwSignal::new(Session::new(doc));
        // Each derived value depends on the narrowest part of the session, so a drag (which moves
        // positions only) recomputes no graph, no layout and no diagnostics.
        let model_revision = Memo::new(move |_| session.with(|s| s.doc.model_revision()));
        let base = Memo::new(move |prev: Option<&(u64, Graph, Scene)>| {
            let rev = model_revision.get();
            let graph = session.with_untracked(|s| derive(s.doc.machine()));
            let scene = relayout(prev.map(|(_, g, s)| (g, s)), &graph);
            (rev, graph, scene)
        });
        let positions = Memo::new(move |_| session.with(|s| s.doc.positions().clone()));
        let scene = Memo::new(move |_| positions.with(|p| base.with(|(_, _, scene)| place(scene, p))));
        let diagnostics = Memo::new(move |_| session.with(|s| s.doc.diagnostics().to_vec()));
        Editor {
            session,
            selected: RwSignal::new(None),
            viewport: RwSignal::new(Viewport::default()),
            gesture: RwSignal::new(None),
            drop_edge: RwSignal::new(None),
            notice: RwSignal::new(None),
            show_shortcuts: RwSignal::new(false),
            fit_request: RwSignal::new(0),
            scene,
            reveal: RwSignal::new(None),
            diagnostics,
        }
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
        // A selection whose state no longer exists is dropped.
        let gone = self.selected.with_untracked(|sel| {
            sel.as_ref().is_some_and(|r| {
                self.session.with_untracked(|s| {
                    crate::editor::scope::machine_at(s.doc.machine(), &r.scope).and_then(|m| m.state(&r.name)).is_none()
                })
            })
        });
        if gone {
            self.selected.set(None);
        }
    }

    /// Replaces the document (open, new, restore): not an undo step, and the view fits it.
    pub fn load(&self, doc: Document) {
        self.session.set(Session::new(doc));
        self.selected.set(None);
        self.fit_request.update(|n| *n += 1);
    }
}

/// Milliseconds from the page's clock, for merging bursts of typing.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}
