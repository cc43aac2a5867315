//! The Run drawer's shared run: the [`LiveRun`] in a stored value with a tick its readers track,
//! published to the canvas (through [`SimView`]) after each change; what the engine worker needs
//! to run the document as it is ([`setup`]: runs, batches and suites alike); the animated run's
//! pump.

use leptos::prelude::*;

use super::context::Editor;
use super::sim_view::SimView;
use super::engine::Engine;
use super::service_files::ServiceFiles;
use crate::sim::live::{LiveRun, StepOutcome, pace_delay};
use crate::sim::protocol::{Request, Response, Setup};

/// The run in the drawer, shared by its parts: read it tracked, change it and the canvas shows
/// the moment it is at.
#[derive(Clone, Copy)]
pub struct RunCtx {
    live: StoredValue<Option<LiveRun>, LocalStorage>,
    tick: RwSignal<u64>,
    sim: SimView,
    /// Whether the engine is working on a request of this run (tracked).
    pub waiting: RwSignal<bool>,
    /// Counts the requests: an answer to one that a later request (or Reset) replaced is dropped.
    generation: StoredValue<u64>,
}

impl RunCtx {
    pub fn new(sim: SimView) -> Self {
        RunCtx { live: StoredValue::new_local(None), tick: RwSignal::new(0), sim, waiting: RwSignal::new(false), generation: StoredValue::new(0) }
    }

    /// Asks the engine `request` for this run; `on_answer` gets the answer unless the run moved
    /// on meanwhile (another request, Reset).
    pub fn ask(&self, engine: Engine, request: &Request, on_answer: impl Fn(Response) + 'static) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.waiting.set(true);
        let ctx = *self;
        engine.ask(request, move |answer: Response| {
            if ctx.generation.get_value() == generation {
                ctx.waiting.set(false);
                on_answer(answer);
            }
        });
    }

    /// Forgets the request in flight (its answer will be dropped); true when there was one.
    pub fn forget_request(&self) -> bool {
        self.generation.update_value(|g| *g += 1);
        let was = self.waiting.get_untracked();
        self.waiting.set(false);
        was
    }

    /// Reads the run; re-read after each change.
    pub fn read<T>(&self, f: impl FnOnce(&LiveRun) -> T) -> Option<T> {
        self.tick.track();
        self.live.with_value(|l| l.as_ref().map(f))
    }

    /// Changes the run (when there is one), then publishes its moment.
    pub fn change<T>(&self, f: impl FnOnce(&mut LiveRun) -> T) -> Option<T> {
        let mut out = None;
        self.live.update_value(|l| out = l.as_mut().map(f));
        self.publish();
        out
    }

    /// Whether there is a run and `f` holds of it (untracked).
    pub fn has(&self, f: impl FnOnce(&LiveRun) -> bool) -> bool {
        self.live.with_value(|l| l.as_ref().is_some_and(f))
    }

    pub fn set(&self, run: Option<LiveRun>) {
        self.live.set_value(run);
        self.publish();
    }

    fn publish(&self) {
        let model = self.live.with_value(|l| l.as_ref().map(LiveRun::model));
        if model.is_some() {
            self.sim.coverage.set(None);
            self.sim.suite.set(None);
        }
        self.sim.run.set(model);
        self.tick.update(|t| *t += 1);
    }
}

/// What the engine needs to run the document as it is now ([`crate::editor::document::Document::setup`])
/// with the service files fetched so far (`files`) that `engine` has not been sent. Both are
/// given, not looked up: a Run or a suite often starts from a callback (once the files it waits
/// for are here) where no component's context can be found, and a lookup there would send no
/// files at all, without a word.
pub fn setup(editor: Editor, engine: Engine, files: ServiceFiles) -> Setup {
    let mut setup = editor.session.with_untracked(|s| s.doc.setup());
    setup.services = engine.unsent_services(files.texts());
    setup
}

/// Animated run: one step per pace (plus the virtual time it took, in real time).
pub fn pump(run: RunCtx, playing: RwSignal<bool>, pace: RwSignal<u32>, realtime: RwSignal<bool>) {
    if !playing.get_untracked() {
        return;
    }
    let stepped = run.change(|l| (l.now(), l.step(), l.now()));
    let Some((before, StepOutcome::Progressed, after)) = stepped else {
        playing.set(false);
        return;
    };
    let delay = pace_delay(pace.get_untracked(), realtime.get_untracked(), before, after);
    set_timeout(move || pump(run, playing, pace, realtime), std::time::Duration::from_millis(delay));
}

