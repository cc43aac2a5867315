//! The Run drawer's shared run: the [`LiveRun`] in a stored value with a tick its readers track,
//! published to the canvas (through [`SimView`]) after each change; the simulator of the
//! document as it is; the animated run's pump.

use leptos::prelude::*;

use super::context::Editor;
use super::sim_view::SimView;
use crate::asl::interp::StepOutcome;
use crate::sim::batch::Simulator;
use crate::sim::live::{LiveRun, pace_delay};

/// The run in the drawer, shared by its parts: read it tracked, change it and the canvas shows
/// the moment it is at.
#[derive(Clone, Copy)]
pub struct RunCtx {
    live: StoredValue<Option<LiveRun>, LocalStorage>,
    tick: RwSignal<u64>,
    sim: SimView,
}

impl RunCtx {
    pub fn new(sim: SimView) -> Self {
        RunCtx { live: StoredValue::new_local(None), tick: RwSignal::new(0), sim }
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

/// The simulator for the document as it is now: its model compiled, its handlers.
pub fn simulator(editor: Editor) -> Result<Simulator, String> {
    let simulator = editor.session.with_untracked(|s| match s.doc.source() {
        // A template's placeholders with a literal value in the Substitutions table run as that
        // value: through the text, where they are replaced.
        Some(_) => Simulator::new(&s.doc.runnable_text(), &s.doc.simulation().handlers),
        None => Simulator::from_machine(s.doc.machine(), &s.doc.simulation().handlers),
    }.map_err(|e| e.to_string()))?;
    // The page's catalogue: the service files fetched so far (super::service_files).
    Ok(match use_context::<super::service_files::ServiceFiles>() {
        Some(files) => simulator.with_catalogue(files.catalogue()),
        None => simulator,
    })
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

