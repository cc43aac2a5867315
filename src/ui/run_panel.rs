//! The Run drawer under the canvas: scenarios and their input, handler choices per Task, the
//! controls (run, step, pause, reset, pace, real time), the virtual clock, callbacks for a task
//! waiting on a token, the result, the selected state's data flow, the event history, the logs
//! and the variables. Batches are in [`super::run_batch`]. The logic is `crate::sim`'s.

use std::sync::Arc;

use leptos::prelude::*;
use serde_json::Value;

use super::context::{Editor, now_ms};
use super::run_batch::BatchTab;
use super::sim_view::SimView;
use crate::asl::clock::format_rfc3339;
use crate::asl::interp::{Execution, StatesError, StepOutcome};
use crate::sim::batch::Simulator;
use crate::sim::handler::{HandlerChoice, HandlerSpec, TaskInfo, tasks};
use crate::sim::run::RunModel;
use crate::editor::change::Change;
use crate::editor::history::Merge;
use crate::sim::scenario::{Expected, Scenario};

/// The execution being run and what the page needs beside it.
struct Live {
    exec: Execution,
    /// Wall-clock ms when it started, for "real time".
    started_wall: f64,
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The simulator for the document as it is now.
pub fn simulator(editor: Editor) -> Result<Simulator, String> {
    editor.session.with_untracked(|s| {
        let text = crate::editor::sync::write(s.doc.machine());
        Simulator::new(&text, &s.doc.simulation().handlers).map_err(|e| e.to_string())
    })
}

#[component]
pub fn RunPanel() -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let tab = RwSignal::new("run");
    let current = RwSignal::new(0usize);
    let live: StoredValue<Option<Live>, LocalStorage> = StoredValue::new_local(None);
    let tick = RwSignal::new(0u64);
    let problem = RwSignal::new(None::<String>);
    let playing = RwSignal::new(false);
    let pace = RwSignal::new(0u32);
    let realtime = RwSignal::new(false);

    let scenarios = move || editor.session.with(|s| s.doc.simulation().scenarios.clone());
    let scenario = move || editor.session.with(|s| s.doc.simulation().scenarios.get(current.get()).cloned());
    // A scenario's field edit: one undo step per burst of typing in that field.
    let update_scenario = move |field: &str, f: &dyn Fn(&mut Scenario)| {
        let i = current.get_untracked();
        let next = editor.session.with_untracked(|s| s.doc.simulation().with_scenario(i, f));
        let merge = Merge::Burst { key: format!("scenario {i} {field}"), at_ms: now_ms() };
        editor.perform_merged(Ok(Change::SetSimulation(Box::new(next))), "Edit scenario", merge);
    };

    let refresh = move || {
        let model = live.with_value(|l| l.as_ref().map(|l| Arc::new(RunModel::of(&l.exec))));
        sim.coverage.set(None);
        sim.run.set(model);
        tick.update(|t| *t += 1);
    };
    let reset = move || {
        playing.set(false);
        live.set_value(None);
        sim.run.set(None);
        problem.set(None);
        tick.update(|t| *t += 1);
    };
    // Starts a fresh execution of the selected scenario; false when it cannot.
    let start = move || -> bool {
        let Some(sc) = scenario() else {
            problem.set(Some("Add a scenario to run.".into()));
            return false;
        };
        let input = match sc.parsed_input() {
            Ok(v) => v,
            Err(e) => {
                problem.set(Some(e));
                return false;
            }
        };
        if let Some(refused) = crate::asl::interp::quota::execution_input_error(&sc.input) {
            problem.set(Some(format!("AWS would not start this execution: {refused}")));
            return false;
        }
        match simulator(editor) {
            Ok(simulator) => {
                let mut exec = simulator.start(input, 0);
                exec.enable_trace();
                live.set_value(Some(Live { exec, started_wall: now_ms() }));
                problem.set(None);
                true
            }
            Err(e) => {
                problem.set(Some(e));
                false
            }
        }
    };
    let finished = move || live.with_value(|l| l.as_ref().is_none_or(|l| l.exec.status().name() != "RUNNING"));
    let step = move || -> StepOutcome {
        if live.with_value(Option::is_none) && !start() {
            return StepOutcome::Finished;
        }
        let mut outcome = StepOutcome::Finished;
        live.update_value(|l| {
            if let Some(l) = l {
                outcome = l.exec.step();
            }
        });
        refresh();
        outcome
    };

    // Animated run: one step per pace (or per virtual time elapsed, in real time).
    fn pump(live: StoredValue<Option<Live>, LocalStorage>, playing: RwSignal<bool>, pace: RwSignal<u32>, realtime: RwSignal<bool>, step: impl Fn() -> StepOutcome + Clone + 'static) {
        if !playing.get_untracked() {
            return;
        }
        let before = live.with_value(|l| l.as_ref().map_or(0, |l| l.exec.now()));
        if step() != StepOutcome::Progressed {
            playing.set(false);
            return;
        }
        let after = live.with_value(|l| l.as_ref().map_or(0, |l| l.exec.now()));
        let mut delay = pace.get_untracked() as i64;
        if realtime.get_untracked() {
            delay += (after - before).clamp(0, 60_000);
        }
        let again = step.clone();
        set_timeout(move || pump(live, playing, pace, realtime, again), std::time::Duration::from_millis(delay.max(0) as u64));
    }
    let run = move || {
        if finished() {
            live.set_value(None);
        }
        if live.with_value(Option::is_none) && !start() {
            return;
        }
        if pace.get_untracked() == 0 && !realtime.get_untracked() {
            live.update_value(|l| {
                if let Some(l) = l {
                    l.exec.run();
                }
            });
            refresh();
        } else {
            playing.set(true);
            pump(live, playing, pace, realtime, step);
        }
    };

    let select = move |i: usize| {
        current.set(i);
        reset();
    };
    let add = move |_| {
        let (next, at) = editor.session.with_untracked(|s| s.doc.simulation().with_new_scenario());
        if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Add scenario") {
            select(at);
        }
    };
    let delete = move |_| {
        let i = current.get_untracked();
        let next = editor.session.with_untracked(|s| s.doc.simulation().without_scenario(i));
        if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Delete scenario") {
            select(i.saturating_sub(1));
        }
    };

    // The clock: virtual now, elapsed and fast-forwarded.
    let clock = move || {
        tick.get();
        live.with_value(|l| {
            l.as_ref().map(|l| {
                let start = l.exec.history().first().map_or(0, |e| e.timestamp);
                let elapsed = (l.exec.now() - start) as f64 / 1000.0;
                let wall = if realtime.get_untracked() { (now_ms() - l.started_wall) / 1000.0 } else { 0.0 };
                let forwarded = (elapsed - wall).max(0.0);
                (format_rfc3339(l.exec.now()), format!("{elapsed:.1}s"), format!("fast-forwarded {forwarded:.1}s"))
            })
        })
    };
    let status = move || sim.run.with(|r| r.as_ref().map(|r| r.status).unwrap_or("NOT STARTED"));
    let built = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || sim.open.get());

    view! {
        <section class="run-drawer" class:open=move || sim.open.get() data-testid="run-panel" aria-label="Run panel">
            <header class="run-head">
                <button class="run-toggle" data-testid="run-toggle" aria-expanded=move || sim.open.get().to_string()
                    on:click=move |_| sim.open.update(|o| *o = !*o)>
                    {move || if sim.open.get() { "▾ Run" } else { "▸ Run" }}
                </button>
                <span class=move || format!("run-status status-{}", status().to_lowercase()) data-testid="run-status">{status}</span>
                <nav class="run-tabs">
                    <button class:active=move || tab.get() == "run" on:click=move |_| { tab.set("run"); sim.open.set(true) }>"Scenario"</button>
                    <button class:active=move || tab.get() == "batch" data-testid="batch-tab" on:click=move |_| { tab.set("batch"); sim.open.set(true) }>"Batch"</button>
                </nav>
            </header>
            <div class="run-body" hidden=move || !sim.open.get()>
                // Built the first time the drawer opens, then kept (hidden) so scenario edits and
                // runs survive closing it: a page that never runs anything never pays for it.
                {move || built.get().then(|| if tab.get() == "batch" { view! { <BatchTab/> }.into_any() } else { view! {
                <div class="run-grid">
                    <div class="run-col">
                        <div class="scenario-bar">
                            <select data-testid="scenario-select" aria-label="Scenario"
                                on:change=move |ev| select(event_target_value(&ev).parse().unwrap_or(0))>
                                {move || scenarios().into_iter().enumerate().map(|(i, s)| view! {
                                    <option value=i.to_string() selected=move || current.get() == i>{s.name}</option>
                                }).collect_view()}
                            </select>
                            <button title="Add a scenario" data-testid="scenario-add" on:click=add>"+"</button>
                            <button title="Delete this scenario" data-testid="scenario-delete" on:click=delete>"−"</button>
                        </div>
                        <label class="field">"Name"
                            <input data-testid="scenario-name" prop:value=move || scenario().map(|s| s.name).unwrap_or_default()
                                on:change=move |ev| { let v = event_target_value(&ev); update_scenario("name", &|s| s.name = v.clone()) }/>
                        </label>
                        <label class="field">"Input"
                            <textarea class="json" rows="5" data-testid="run-input" spellcheck="false"
                                prop:value=move || scenario().map(|s| s.input).unwrap_or_default()
                                on:input=move |ev| { let v = event_target_value(&ev); update_scenario("input", &|s| s.input = v.clone()); reset() }></textarea>
                        </label>
                        <ExpectedField scenario=Signal::derive(scenario) update=Callback::new(move |e: Option<Expected>| update_scenario("expected", &|s| s.expected = e.clone()))/>
                        <Handlers on_change=Callback::new(move |_| reset())/>
                    </div>
                    <div class="run-col">
                        <div class="run-controls">
                            <button class="primary" data-testid="run-start" on:click=move |_| run()>"▶ Run"</button>
                            <button data-testid="run-step" on:click=move |_| { playing.set(false); if finished() { live.set_value(None) } step(); }>"Step"</button>
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
                        </div>
                        <div class="run-clock" data-testid="run-clock">
                            {move || match clock() {
                                Some((now, elapsed, forwarded)) => view! {
                                    <span>"Virtual time " {now}</span><span>" · elapsed " {elapsed}</span><span class="forwarded" data-testid="run-forwarded">" · " {forwarded}</span>
                                }.into_any(),
                                None => view! { <span>"Not started"</span> }.into_any(),
                            }}
                        </div>
                        {move || problem.get().map(|p| view! { <p class="run-problem" role="alert">{p}</p> })}
                        <Callbacks live=live tick=tick on_sent=Callback::new(move |_| run())/>
                        <RunResult/>
                        <DataFlow live=live tick=tick/>
                    </div>
                    <div class="run-col">
                        <Inspect live=live tick=tick/>
                    </div>
                </div>
                }.into_any() })}
            </div>
        </section>
    }
}

/// The expected outcome as a small JSON object.
#[component]
fn ExpectedField(scenario: Signal<Option<Scenario>>, update: Callback<Option<Expected>>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let text = move || {
        scenario.with(|s| {
            s.as_ref().and_then(|s| s.expected.as_ref()).map(|e| serde_json::to_string(e).unwrap_or_default()).unwrap_or_default()
        })
    };
    let change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if v.trim().is_empty() {
            error.set(None);
            update.run(None);
            return;
        }
        match serde_json::from_str::<Expected>(&v) {
            Ok(e) => {
                error.set(None);
                update.run(Some(e));
            }
            Err(e) => error.set(Some(format!("Expected outcome: {e}"))),
        }
    };
    view! {
        <label class="field">"Expected (optional: status, end_state, output fields)"
            <input class="json" data-testid="scenario-expected" prop:value=text on:change=change
                placeholder=r#"{"status":"SUCCEEDED","end_state":"SendNotification"}"#/>
        </label>
        {move || error.get().map(|e| view! { <p class="run-problem">{e}</p> })}
    }
}

fn choice_kind(c: &HandlerChoice) -> &'static str {
    match c {
        HandlerChoice::Seed => "seed",
        HandlerChoice::Echo => "echo",
        HandlerChoice::Static { .. } => "static",
        HandlerChoice::Throw { .. } => "throw",
        HandlerChoice::FailThenSucceed { .. } => "fail",
        HandlerChoice::Jsonata { .. } => "jsonata",
        HandlerChoice::Callback => "callback",
    }
}

fn choice_of(kind: &str) -> HandlerChoice {
    match kind {
        "echo" => HandlerChoice::Echo,
        "static" => HandlerChoice::Static { json: "{}".into() },
        "throw" => HandlerChoice::Throw { error: "States.TaskFailed".into(), cause: "Simulated error".into() },
        "fail" => HandlerChoice::FailThenSucceed { times: 2, error: "States.TaskFailed".into(), then: None },
        "jsonata" => HandlerChoice::Jsonata { expression: "{% $ %}".into() },
        "callback" => HandlerChoice::Callback,
        _ => HandlerChoice::Seed,
    }
}

/// One handler picker per Task state.
#[component]
fn Handlers(on_change: Callback<()>) -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    // The Task states, recompiled only while the drawer is open (the rows are hidden otherwise),
    // and the handler set: both memos, so a keystroke that changes neither redraws no row.
    let tasks = Memo::new(move |was: Option<&Vec<TaskInfo>>| {
        if !sim.open.get() && let Some(was) = was {
            return was.clone();
        }
        editor.session.with(|s| {
            s.doc.model_revision();
            crate::asl::interp::Program::compile(s.doc.machine()).map(|p| tasks(&p)).unwrap_or_default()
        })
    });
    let handlers = Memo::new(move |_| editor.session.with(|s| s.doc.simulation().handlers.clone()));
    let spec_of = move |name: &str| handlers.with_untracked(|h| h.get(name).cloned().unwrap_or_default());
    let set_spec = move |name: String, spec: HandlerSpec| {
        let next = editor.session.with_untracked(|s| s.doc.simulation().with_handler(name, spec));
        if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Choose handler") {
            on_change.run(());
        }
    };
    let row = move |task: TaskInfo| {
        let name = task.state.clone();
        let n1 = name.clone();
        let n2 = name.clone();
        let n3 = name.clone();
        // This row's spec alone: the row redraws when its own handler changes.
        let own = Memo::new(move |_| handlers.with(|h| h.get(&n1).cloned().unwrap_or_default()));
        let spec = move || own.get();
        let kind = {
            let spec = spec.clone();
            move || choice_kind(&spec().choice)
        };
        let on_kind = move |ev: leptos::ev::Event| {
            let mut s = spec_of(&n2);
            s.choice = choice_of(&event_target_value(&ev));
            set_spec(n2.clone(), s);
        };
        let on_latency = move |ev: leptos::ev::Event| {
            let mut s = spec_of(&n3);
            s.latency_ms = event_target_value(&ev).parse().unwrap_or(0);
            set_spec(n3.clone(), s);
        };
        let params = {
            let name = name.clone();
            move || {
                let spec = own.get();
                let name = name.clone();
                let field = move |label: &'static str, value: String, apply: fn(&mut HandlerChoice, String)| {
                    let name = name.clone();
                    view! {
                        <input class="param" aria-label=label placeholder=label prop:value=value data-testid=format!("handler-{label}")
                            on:change=move |ev| {
                                let mut s = spec_of(&name);
                                apply(&mut s.choice, event_target_value(&ev));
                                set_spec(name.clone(), s);
                            }/>
                    }
                };
                match spec.choice {
                    HandlerChoice::Static { json } => field("json", json, |c, v| *c = HandlerChoice::Static { json: v }).into_any(),
                    HandlerChoice::Throw { error, cause } => view! {
                        {field("error", error, |c, v| if let HandlerChoice::Throw { error, .. } = c { *error = v })}
                        {field("cause", cause, |c, v| if let HandlerChoice::Throw { cause, .. } = c { *cause = v })}
                    }.into_any(),
                    HandlerChoice::FailThenSucceed { times, error, .. } => view! {
                        {field("times", times.to_string(), |c, v| if let HandlerChoice::FailThenSucceed { times, .. } = c { *times = v.parse().unwrap_or(1) })}
                        {field("error", error, |c, v| if let HandlerChoice::FailThenSucceed { error, .. } = c { *error = v })}
                    }.into_any(),
                    HandlerChoice::Jsonata { expression } => field("expression", expression, |c, v| *c = HandlerChoice::Jsonata { expression: v }).into_any(),
                    _ => ().into_any(),
                }
            }
        };
        let title = task.function.clone().map(|f| format!("Lambda {f}")).unwrap_or(task.resource.clone());
        view! {
            <div class="handler-row" data-handler=name.clone()>
                <span class="handler-name" title=title>{name.clone()}</span>
                <select aria-label=format!("Handler of {name}") prop:value=kind on:change=on_kind>
                    <option value="seed">"seed Lambda"</option>
                    <option value="echo">"echo"</option>
                    <option value="static">"static JSON"</option>
                    <option value="throw">"throw error"</option>
                    <option value="fail">"fail N times, then succeed"</option>
                    <option value="jsonata">"JSONata expression"</option>
                    <option value="callback">"wait for callback"</option>
                </select>
                <input class="latency" type="number" min="0" title="Simulated latency (ms)" aria-label=format!("Latency of {name}")
                    prop:value=move || spec().latency_ms.to_string() on:change=on_latency/>
                <span class="params">{params}</span>
            </div>
        }
    };
    view! {
        <details class="handlers" open>
            <summary>"Handlers per Task"</summary>
            {move || tasks.get().into_iter().map(row).collect_view()}
            <MockConfigFile tasks=tasks on_change=on_change/>
        </details>
    }
}

/// Send success / failure / heartbeat for a task waiting on its token.
#[component]
fn Callbacks(live: StoredValue<Option<Live>, LocalStorage>, tick: RwSignal<u64>, on_sent: Callback<()>) -> impl IntoView {
    let payload = RwSignal::new(String::from("{\"approved\": true}"));
    let error = RwSignal::new(String::from("Rejected"));
    let cause = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let token = move || {
        tick.get();
        live.with_value(|l| l.as_ref().and_then(|l| l.exec.pending_task_tokens().into_iter().next()))
    };
    let send = move |ok: bool| {
        let Some(t) = token() else { return };
        let outcome = if ok {
            match serde_json::from_str::<Value>(&payload.get_untracked()) {
                Ok(v) => Ok(v),
                Err(e) => {
                    note.set(Some(format!("The output is not JSON: {e}")));
                    return;
                }
            }
        } else {
            Err(StatesError::new(error.get_untracked(), cause.get_untracked()))
        };
        live.update_value(|l| {
            if let Some(l) = l {
                match outcome {
                    Ok(v) => l.exec.send_task_success(&t, v),
                    Err(e) => l.exec.send_task_failure(&t, e),
                };
            }
        });
        note.set(None);
        on_sent.run(());
    };
    // SendTaskHeartbeat: the task keeps waiting and its HeartbeatSeconds count starts again now.
    let heartbeat = move || {
        let Some(t) = token() else { return };
        let mut at = None;
        live.update_value(|l| {
            if let Some(l) = l.as_mut() {
                if l.exec.send_task_heartbeat(&t) {
                    at = Some(l.exec.now());
                }
            }
        });
        note.set(Some(match at {
            Some(ms) => format!("Heartbeat received at {}: the task keeps waiting, its HeartbeatSeconds count restarts.", format_rfc3339(ms)),
            None => "No task is waiting on this token any more.".into(),
        }));
        tick.update(|n| *n += 1);
    };
    view! {
        {move || token().map(|t| view! {
            <div class="callback" data-testid="callback-panel">
                <p>"Waiting for a callback on task token " <code>{t.clone()}</code></p>
                <textarea class="json" rows="2" data-testid="callback-output" prop:value=move || payload.get()
                    on:input=move |ev| payload.set(event_target_value(&ev))></textarea>
                <div class="run-controls">
                    <button class="primary" data-testid="callback-success" on:click=move |_| send(true)>"Send success"</button>
                    <input aria-label="Error" prop:value=move || error.get() on:input=move |ev| error.set(event_target_value(&ev))/>
                    <input aria-label="Cause" placeholder="cause" prop:value=move || cause.get() on:input=move |ev| cause.set(event_target_value(&ev))/>
                    <button data-testid="callback-failure" on:click=move |_| send(false)>"Send failure"</button>
                    <button data-testid="callback-heartbeat" on:click=move |_| heartbeat()>"Heartbeat"</button>
                </div>
                {move || note.get().map(|n| view! { <p class="run-note">{n}</p> })}
            </div>
        })}
    }
}

/// The output, or the error and cause, copyable.
#[component]
fn RunResult() -> impl IntoView {
    let sim: SimView = expect_context();
    let text = move || {
        sim.run.with(|r| {
            r.as_ref().and_then(|r| match (&r.output, &r.error) {
                (Some(o), _) => Some(("output", pretty(o))),
                (None, Some(e)) => Some(("error", format!("{e}\n{}", r.cause.as_deref().unwrap_or("")))),
                _ => None,
            })
        })
    };
    let area = NodeRef::<leptos::html::Textarea>::new();
    let copy = move |_| {
        if let Some(t) = area.get_untracked() {
            t.select();
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&t.value());
            }
        }
    };
    view! {
        {move || text().map(|(kind, body)| view! {
            <div class=format!("run-result {kind}") data-testid="run-result">
                <div class="run-result-head"><strong>{if kind == "output" { "Output" } else { "Error" }}</strong>
                    <button on:click=copy title="Copy to the clipboard">"Copy"</button></div>
                <textarea readonly node_ref=area rows="6" class="json" data-testid="run-output">{body}</textarea>
            </div>
        })}
    }
}

/// The selected state's visits: input, each pipeline stage, errors, retries, output.
#[component]
fn DataFlow(live: StoredValue<Option<Live>, LocalStorage>, tick: RwSignal<u64>) -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let visits = move || {
        tick.get();
        let name = editor.selected.get()?.name;
        let run = sim.run.get()?;
        let rows: Vec<(u64, Vec<(String, String)>)> = live.with_value(|l| {
            let trace = l.as_ref().map(|l| l.exec.trace()).unwrap_or(&[]);
            run.visits
                .iter()
                .filter(|v| *v.state == *name)
                .map(|v| {
                    let mut stages = vec![("input".to_string(), pretty(&v.input))];
                    for e in trace.iter().filter(|e| e.entered_event == v.entered_event && e.stage != crate::asl::interp::trace::Stage::Output) {
                        stages.push((e.stage.label().to_string(), pretty(&e.value)));
                    }
                    if let Some(o) = &v.output {
                        stages.push(("output".into(), pretty(o)));
                    }
                    (v.entered_event, stages)
                })
                .collect()
        });
        Some((name, rows))
    };
    view! {
        {move || visits().map(|(name, rows)| view! {
            <div class="dataflow" data-testid="dataflow">
                <h4>"Data flow of " {name}</h4>
                {if rows.is_empty() { Some(view! { <p class="muted">"Not reached in this run."</p> }) } else { None }}
                {rows.into_iter().map(|(id, stages)| view! {
                    <dl class="stages" data-visit=id.to_string()>
                        {stages.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd><pre>{v}</pre></dd> }).collect_view()}
                    </dl>
                }).collect_view()}
            </div>
        })}
    }
}

/// History, logs and variables.
#[component]
fn Inspect(live: StoredValue<Option<Live>, LocalStorage>, tick: RwSignal<u64>) -> impl IntoView {
    let view_tab = RwSignal::new("history");
    let filter = RwSignal::new(String::new());
    let expanded = RwSignal::new(None::<u64>);
    let rows = move || {
        tick.get();
        let f = filter.get().to_lowercase();
        live.with_value(|l| {
            l.as_ref()
                .map(|l| {
                    let start = l.exec.history().first().map_or(0, |e| e.timestamp);
                    l.exec
                        .history()
                        .iter()
                        .map(|e| (e.id, e.kind.type_name(), e.timestamp - start, format_rfc3339(e.timestamp), e.kind.state_name().unwrap_or("").to_string()))
                        .filter(|r| f.is_empty() || r.1.to_lowercase().contains(&f) || r.4.to_lowercase().contains(&f))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let logs = move || {
        tick.get();
        live.with_value(|l| {
            l.as_ref()
                .map(|l| {
                    l.exec
                        .logs()
                        .groups()
                        .map(|(g, lines)| (g.to_string(), lines.iter().map(|x| (format_rfc3339(x.timestamp), x.message.clone())).collect::<Vec<_>>()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    // The top-level variables now, and for each state visit that could read variables, the ones
    // in scope as it was entered (from the trace), newest first.
    let variables = move || {
        tick.get();
        live.with_value(|l| {
            l.as_ref()
                .map(|l| {
                    let steps: Vec<(u64, String, String)> = l
                        .exec
                        .trace()
                        .iter()
                        .filter(|e| e.stage == crate::asl::interp::trace::Stage::Variables)
                        .map(|e| (e.entered_event, e.state.to_string(), serde_json::to_string(&*e.value).unwrap_or_default()))
                        .collect();
                    (pretty(&Value::Object(l.exec.top_level_variables())), steps)
                })
                .unwrap_or_default()
        })
    };
    let editor: Editor = expect_context();
    view! {
        <nav class="run-tabs inner">
            <button class:active=move || view_tab.get() == "history" data-testid="tab-history" on:click=move |_| view_tab.set("history")>"Events"</button>
            <button class:active=move || view_tab.get() == "logs" data-testid="tab-logs" on:click=move |_| view_tab.set("logs")>"Logs"</button>
            <button class:active=move || view_tab.get() == "vars" data-testid="tab-vars" on:click=move |_| view_tab.set("vars")>"Variables"</button>
        </nav>
        {move || match view_tab.get() {
            "logs" => view! {
                <div class="run-logs" data-testid="run-logs">
                    {logs().into_iter().map(|(g, lines)| view! {
                        <h4>{g}</h4>
                        <ul>{lines.into_iter().map(|(t, m)| view! { <li><time>{t}</time>" " {m}</li> }).collect_view()}</ul>
                    }).collect_view()}
                </div>
            }.into_any(),
            "vars" => {
                let (now, steps) = variables();
                let total = steps.len();
                view! {
                    <div class="run-vars" data-testid="run-vars">
                        <h4>"Top level, now"</h4>
                        <pre data-testid="vars-now">{now}</pre>
                        <h4>"In scope as each state was entered"</h4>
                        {(total == 0).then(|| view! { <p class="muted">"No state has read variables yet."</p> })}
                        {(total > 500).then(|| view! { <p class="muted">{format!("The last 500 of {total} steps.")}</p> })}
                        <table class="history vars-steps" data-testid="vars-steps">
                            <thead><tr><th>"Event"</th><th>"State"</th><th>"Variables"</th></tr></thead>
                            <tbody>
                                {steps.into_iter().rev().take(500).map(|(id, state, values)| {
                                    let name = state.clone();
                                    view! {
                                        <tr class="event" data-event=id.to_string() title="Select this state on the canvas"
                                            on:click=move |_| {
                                                let found = editor.session.with_untracked(|s| crate::editor::scope::find_by_name(s.doc.machine(), &name));
                                                if found.is_some() {
                                                    editor.select(found);
                                                }
                                            }>
                                            <td>{id}</td><td>{state}</td><td><code>{values}</code></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }
            _ => view! {
                <input class="filter" placeholder="Filter events" data-testid="history-filter" prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))/>
                <table class="history" data-testid="history">
                    <thead><tr><th>"ID"</th><th>"Type"</th><th>"State"</th><th>"Time"</th></tr></thead>
                    <tbody>
                        // Keyed: a step adds its new rows and leaves the others alone.
                        <For each=rows key=|r| (r.0, r.1, r.2) let:r>
                        {
                            let (id, kind, offset, ts, state) = r;
                            let open = move || expanded.get() == Some(id);
                            // Details are written out only for the row that is open.
                            let details = move || {
                                live.with_value(|l| {
                                    l.as_ref().and_then(|l| l.exec.history().get(id as usize - 1)).map(|e| pretty(&e.to_json())).unwrap_or_default()
                                })
                            };
                            view! {
                                <tr class="event" class:open=open on:click=move |_| expanded.update(|e| *e = if *e == Some(id) { None } else { Some(id) })>
                                    <td>{id}</td><td>{kind}</td><td>{state}</td><td title=ts>{format!("+{:.3}s", offset as f64 / 1000.0)}</td>
                                </tr>
                                {move || open().then(|| view! { <tr class="details"><td colspan="4"><pre>{details()}</pre></td></tr> })}
                            }
                        }
                        </For>
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

/// The handler set as a Step Functions Local MockConfigFile: export to the text box, or import
/// what is pasted there.
#[component]
fn MockConfigFile(tasks: Memo<Vec<TaskInfo>>, on_change: Callback<()>) -> impl IntoView {
    let editor: Editor = expect_context();
    let text = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let export = move |_| {
        let (config, notes) = editor.session.with_untracked(|s| crate::sim::mock::export(&s.doc.simulation().handlers, &tasks.get_untracked(), s.doc.name()));
        text.set(config.to_text());
        note.set((!notes.is_empty()).then(|| notes.join("; ")));
    };
    let import = move |_| match crate::sim::mock::import(&text.get_untracked(), None, &tasks.get_untracked()) {
        Ok(set) => {
            let n = set.len();
            let next = editor.session.with_untracked(|s| s.doc.simulation().with_handlers(set));
            if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Import mock file") {
                note.set(Some(format!("Imported {n} handler(s).")));
                on_change.run(());
            }
        }
        Err(e) => note.set(Some(e)),
    };
    view! {
        <details class="mock-config">
            <summary>"MockConfigFile (Step Functions Local)"</summary>
            <textarea class="json" rows="4" data-testid="mock-config" spellcheck="false" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="run-controls">
                <button data-testid="mock-export" on:click=export>"Export"</button>
                <button data-testid="mock-import" on:click=import>"Import"</button>
            </div>
            {move || note.get().map(|n| view! { <p class="run-note" data-testid="mock-note">{n}</p> })}
        </details>
    }
}
