//! The Run drawer's body, wiring only (its frame and head are [`super::run_drawer`]'s, drawn at
//! the first paint; this is a part of the page's wasm loaded after it, `super::lazy`): the
//! scenario column ([`super::run_scenario`]), the controls over [`crate::sim::live::LiveRun`]
//! (run, step, step back, pause, reset, pace, real time, redrive), the verdict it gives the head,
//! the clock, the timeline
//! ([`super::run_timeline`]) and what the run shows ([`super::run_inspect`]), all over the run
//! shared in [`super::run_ctx`]. Batches are in [`super::run_batch`], the stores in
//! [`super::run_stores`], test suites in [`super::run_suite`]. The logic is `crate::sim`'s.

use leptos::prelude::*;

use super::context::{Editor, now_ms};
use super::engine::Engine;
use super::run_ctx::{RunCtx, pump, setup};
use super::run_inspect::{Callbacks, DataFlow, Inspect, RunResult};
use super::run_scenario::ScenarioColumn;
use super::run_timeline::Timeline;
use super::sim_view::SimView;
use crate::sim::live::LiveRun;
use crate::sim::protocol::{Request, Response};

#[component]
pub fn RunPanel() -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let files: super::service_files::ServiceFiles = expect_context();
    let engine: Engine = expect_context();
    let run = RunCtx::new(sim);
    provide_context(run);
    provide_context(super::run_suite::SuiteState::new());
    let current = RwSignal::new(0usize);
    let problem = RwSignal::new(None::<String>);
    let (playing, pace, realtime) = (RwSignal::new(false), RwSignal::new(0u32), RwSignal::new(false));
    let started_wall = StoredValue::new(0.0f64);

    let scenario = move || editor.session.with(|s| s.doc.simulation().scenarios.get(current.get()).cloned());
    let reset = move || {
        playing.set(false);
        problem.set(None);
        run.set(None);
        // A run the engine is still working on is stopped with it: Reset always works.
        if run.forget_request() {
            engine.stop();
        }
    };
    // A fresh execution of the selected scenario, recorded by the engine; `then` once it is here.
    let start = move |then: Callback<()>| {
        let Some(scenario) = editor.session.with_untracked(|s| s.doc.simulation().scenarios.get(current.get_untracked()).cloned()) else {
            problem.set(Some("Add a scenario to run.".into()));
            return;
        };
        problem.set(None);
        run.ask(engine, &Request::Run { setup: setup(editor, engine, files), scenario }, move |answer: Response| match answer {
            Response::Run(record) => {
                started_wall.set_value(now_ms());
                run.set(Some(LiveRun::new(record)));
                then.run(());
            }
            Response::Error { message } => problem.set(Some(message)),
            other => problem.set(Some(format!("The engine answered a run with {}.", other.what()))),
        });
    };
    // The run to go on with (a new one when the last has ended and its end is shown), then `then`.
    let ready = move |then: Callback<()>| {
        if run.has(|l| !(l.finished() && l.at_latest())) {
            then.run(());
        } else {
            start(then);
        }
    };
    let go = move || {
        if pace.get_untracked() == 0 && !realtime.get_untracked() {
            run.change(LiveRun::run);
        } else {
            playing.set(true);
            pump(run, playing, pace, realtime);
        }
    };
    let redrive = move || {
        run.ask(engine, &Request::Redrive { setup: setup(editor, engine, files) }, move |answer: Response| match answer {
            Response::Run(record) => {
                run.change(|l| l.extend(record));
                go();
            }
            Response::Error { message } => problem.set(Some(message)),
            other => problem.set(Some(format!("The engine answered a redrive with {}.", other.what()))),
        });
    };
    let moments = move || run.read(|l| l.moments()).unwrap_or((0, 0));
    let clock = move || {
        let wall = if realtime.get_untracked() { (now_ms() - started_wall.get_value()) / 1000.0 } else { 0.0 };
        run.read(|l| l.clock(wall))
    };
    // A finished run stays when a handler changes: it can be redriven with the new answer.
    let handlers_changed = move || {
        if !run.has(LiveRun::finished) {
            reset();
        }
    };
    let verdict = move || run.read(|l| l.verdict(scenario().and_then(|s| s.expected).as_ref()));
    let redrivable = move || run.read(|l| l.redrivable() && l.at_latest()).unwrap_or(false);
    // The head shows the verdict (`run_drawer`).
    Effect::new(move || {
        let shown = verdict().map(|v| (v.name(), v.label()));
        if sim.verdict.with_untracked(|v| *v != shown) {
            sim.verdict.set(shown);
        }
    });

    view! {
        // The tab is the head's (in `SimView`, set before this part may have arrived); the run
        // and the scenario chosen outlive a change of tab.
        {move || match sim.tab.get() {
            "batch" => view! { <super::run_batch::BatchTab/> }.into_any(),
            "stores" => view! { <super::run_stores::StoresTab/> }.into_any(),
            "suite" => view! { <super::run_suite::SuiteTab/> }.into_any(),
            _ => view! {
                <div class="run-grid">
                    <ScenarioColumn current=current on_change=Callback::new(move |_| reset()) on_handlers=Callback::new(move |_| handlers_changed())/>
                    <div class="run-col">
                        <div class="run-controls">
                            <button class="primary" data-testid="run-start" disabled=move || run.waiting.get()
                                on:click=move |_| editor.session.with_untracked(|s| files.when_loaded(s.doc.text(), move || { if run.has(LiveRun::finished) { run.set(None) } ready(Callback::new(move |_| go())) }))>"▶ Run"</button>
                            <button data-testid="run-back" title="Step back: show the moment before" disabled=move || moments().1 == 0
                                on:click=move |_| { playing.set(false); run.change(LiveRun::step_back); }>"◀ Back"</button>
                            <button data-testid="run-step" disabled=move || run.waiting.get()
                                on:click=move |_| { playing.set(false); ready(Callback::new(move |_| { run.change(LiveRun::step); })) }>"Step"</button>
                            <button data-testid="run-pause" disabled=move || !playing.get() on:click=move |_| playing.set(false)>"Pause"</button>
                            <button data-testid="run-reset" on:click=move |_| reset()>"Reset"</button>
                            <label>"Speed "
                                <select data-testid="run-pace" on:change=move |ev| pace.set(event_target_value(&ev).parse().unwrap_or(0))>
                                    <option value="0">"instant"</option>
                                    <option value="16">"animated, fast"</option>
                                    <option value="250">"animated"</option>
                                    <option value="800">"animated, slow"</option>
                                </select>
                            </label>
                            <label title="Waits and latencies take real time"><input type="checkbox" data-testid="run-realtime" on:change=move |ev| realtime.set(event_target_checked(&ev))/>" real time"</label>
                            {move || redrivable().then(|| view! {
                                <button data-testid="run-redrive" title="RedriveExecution: go on from the state that failed, with the handlers as they are now" on:click=move |_| redrive()>"↻ Redrive"</button>
                            })}
                        </div>
                        {move || (moments().0 > 1).then(|| {
                            let (total, at) = moments();
                            view! {
                                <label class="run-moment">{format!("Moment {} of {total}", at + 1)}
                                    <input type="range" min="0" max=(total - 1).to_string() prop:value=at.to_string() data-testid="run-moment"
                                        on:input=move |ev| { playing.set(false); let i = event_target_value(&ev).parse().unwrap_or(0); run.change(|l| l.show_moment(i)); }/>
                                </label>
                            }
                        })}
                        <div class="run-clock" data-testid="run-clock">
                            {move || match clock() {
                                Some(c) => view! {
                                    <span>"Virtual time " {c.now}</span><span>{format!(" · elapsed {:.1}s", c.elapsed_s)}</span>
                                    <span class="forwarded" data-testid="run-forwarded">{format!(" · fast-forwarded {:.1}s", c.forwarded_s)}</span>
                                }.into_any(),
                                None => view! { <span>"Not started"</span> }.into_any(),
                            }}
                        </div>
                        {move || run.waiting.get().then(|| view! { <p class="run-note" role="status" data-testid="run-waiting">"Running in the engine…"</p> })}
                        {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="run-problem">{p}</p> })}
                        <super::service_files::ServiceFilesStatus/>
                        <Callbacks on_sent=Callback::new(move |_| go())/>
                        <RunResult/>
                        <DataFlow/>
                    </div>
                    <div class="run-col">
                        <Inspect/>
                    </div>
                </div>
                <Timeline/>
            }.into_any(),
        }}
    }
}
