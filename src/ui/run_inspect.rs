//! What the Run drawer shows of the run at the moment selected: the callback panel of a task
//! waiting on its token, the result, the selected state's data flow, and the event history (this
//! execution's, or a Distributed Map child execution's), the logs and the variables. Everything
//! is read from [`crate::sim::live::LiveRun`].

use leptos::prelude::*;
use serde_json::Value;

use super::context::Editor;
use super::run_ctx::RunCtx;
use super::sim_view::SimView;
use crate::asl::clock::format_rfc3339;
use super::engine::Engine;
use crate::sim::live::{LiveRun, callback_output};
use crate::sim::protocol::{CallbackAnswer, Request, Response};

/// How many child executions the History tab's picker lists (a number field reaches the rest).
const CHILDREN_LISTED: usize = 1000;

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Selects the state named `name` on the canvas, when the document has it.
pub fn select_state(editor: Editor, name: &str) {
    let found = editor.session.with_untracked(|s| crate::editor::scope::find_by_name(s.doc.machine(), name));
    if found.is_some() {
        editor.select(found);
    }
}

/// Send success / failure / heartbeat for a task waiting on its token.
#[component]
pub fn Callbacks(on_sent: Callback<()>) -> impl IntoView {
    let run: RunCtx = expect_context();
    let engine: Engine = expect_context();
    let payload = RwSignal::new(String::from("{\"approved\": true}"));
    let error = RwSignal::new(String::from("Rejected"));
    let cause = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let token = move || run.read(LiveRun::pending_token).flatten();
    // The engine has the waiting task: it answers and records the run on, which goes on here.
    let answer = move |answer: CallbackAnswer| {
        let heartbeat = answer == CallbackAnswer::Heartbeat;
        run.ask(engine, &Request::Callback { answer }, move |response: Response| match response {
            Response::Run(record) => {
                note.set(None);
                run.change(|l| l.extend(record));
                on_sent.run(());
            }
            Response::Heartbeat { at: Some(ms) } if heartbeat => note.set(Some(format!(
                "Heartbeat received at {}: the task keeps waiting, its HeartbeatSeconds count restarts.",
                format_rfc3339(ms)
            ))),
            Response::Heartbeat { .. } => note.set(Some("No task is waiting on this token any more.".into())),
            Response::Error { message } => note.set(Some(message)),
            other => note.set(Some(format!("The engine answered a callback with {}.", other.what()))),
        });
    };
    let send = move |ok: bool| {
        if ok {
            match callback_output(&payload.get_untracked()) {
                Ok(output) => answer(CallbackAnswer::Success { output }),
                Err(e) => note.set(Some(e)),
            }
        } else {
            answer(CallbackAnswer::Failure { error: error.get_untracked(), cause: cause.get_untracked() });
        }
    };
    let heartbeat = move || answer(CallbackAnswer::Heartbeat);
    view! {
        {move || token().map(|t| view! {
            <div class="callback" data-testid="callback-panel">
                <p>"Waiting for a callback on task token " <code>{t.clone()}</code></p>
                <textarea class="json" rows="2" aria-label="Callback output" data-testid="callback-output" prop:value=move || payload.get()
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
pub fn RunResult() -> impl IntoView {
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
    // What the person running it can do about a failure the simulated account caused.
    let advice = move || sim.run.with(|r| r.as_ref().and_then(|r| crate::sim::run::advice(r.error.as_deref()?, r.cause.as_deref().unwrap_or(""))));
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
                <textarea readonly node_ref=area rows="6" class="json" aria-label="Run result" data-testid="run-output">{body}</textarea>
                {advice().map(|a| view! { <p class="run-note" data-testid="run-advice">{a}</p> })}
            </div>
        })}
    }
}

/// The selected state's visits: input, each pipeline stage, errors, retries, output.
#[component]
pub fn DataFlow() -> impl IntoView {
    let editor: Editor = expect_context();
    let run: RunCtx = expect_context();
    let visits = move || {
        let name = editor.selected.get()?.name;
        let rows = run.read(|l| l.data_flow(&name))?;
        Some((name, rows))
    };
    view! {
        {move || visits().map(|(name, rows)| view! {
            <div class="dataflow" data-testid="dataflow">
                <h4>"Data flow of " {name}</h4>
                {rows.is_empty().then(|| view! { <p class="muted">"Not reached at this moment of the run."</p> })}
                {rows.into_iter().map(|v| view! {
                    <dl class="stages" data-visit=v.entered_event.to_string()>
                        {v.stages.into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd><pre>{pretty(&v)}</pre></dd> }).collect_view()}
                    </dl>
                }).collect_view()}
            </div>
        })}
    }
}

/// History, logs and variables.
#[component]
pub fn Inspect() -> impl IntoView {
    let editor: Editor = expect_context();
    let run: RunCtx = expect_context();
    let view_tab = RwSignal::new("history");
    let filter = RwSignal::new(String::new());
    let expanded = RwSignal::new(None::<u64>);
    // The execution whose history is shown: this one, or a Distributed Map's child.
    let which = RwSignal::new(None::<usize>);
    let children = move || run.read(|l| l.child_executions()).unwrap_or_default();
    let rows = move || {
        let w = which.get();
        let rows = run.read(|l| match w {
            None => l.history_rows(&filter.get()),
            Some(i) => l.child_history_rows(i, &filter.get()),
        });
        rows.unwrap_or_default().into_iter().map(move |r| (w, r)).collect::<Vec<_>>()
    };
    let logs = move || {
        run.read(|l| {
            // (The moment's: stepping back hides the lines written after it.)
            l.logs().into_iter().map(|(g, lines)| (g.to_string(), lines.iter().map(|x| (format_rfc3339(x.timestamp), x.message.clone())).collect::<Vec<_>>())).collect::<Vec<_>>()
        })
        .unwrap_or_default()
    };
    let variables = move || {
        run.read(|l| {
            let steps = l.variables_by_visit().into_iter().map(|(id, state, values)| (id, state.to_string(), serde_json::to_string(&*values).unwrap_or_default()));
            (pretty(&Value::Object((*l.variables()).clone())), steps.collect::<Vec<_>>())
        })
        .unwrap_or_default()
    };
    let tab = move |id: &'static str, label: &'static str| view! {
        <button class:active=move || view_tab.get() == id data-testid=format!("tab-{id}") on:click=move |_| view_tab.set(id)>{label}</button>
    };
    view! {
        <nav class="run-tabs inner">{tab("history", "Events")}{tab("logs", "Logs")}{tab("vars", "Variables")}</nav>
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
                        <h4>"Top level, at this moment"</h4>
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
                                        <tr class="event" data-event=id.to_string() title="Select this state on the canvas" on:click=move |_| select_state(editor, &name)>
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
                {move || {
                    let children = children();
                    let total = children.len();
                    (total > 0).then(|| view! {
                        <label class="field child-pick">"Execution"
                            <select data-testid="history-execution" aria-label="Execution whose history is shown"
                                on:change=move |ev| { expanded.set(None); which.set(event_target_value(&ev).parse().ok()) }>
                                <option value="" selected=move || which.get().is_none()>"This execution"</option>
                                {children.into_iter().take(CHILDREN_LISTED).map(|c| {
                                    let i = c.index;
                                    view! {
                                        <option value=i.to_string() selected=move || which.get() == Some(i)>
                                            {format!("{} child {} · {} · {} ({} events)", c.map_state, i + 1, c.name, c.status, c.events)}
                                        </option>
                                    }
                                }).collect_view()}
                            </select>
                        </label>
                        {(total > CHILDREN_LISTED).then(|| view! {
                            <label class="field">{format!("Child execution (1 to {total})")}
                                <input type="number" min="1" max=total.to_string() data-testid="history-child-number"
                                    on:change=move |ev| { expanded.set(None); which.set(event_target_value(&ev).parse::<usize>().ok().filter(|n| (1..=total).contains(n)).map(|n| n - 1)) }/>
                            </label>
                        })}
                    })
                }}
                <input class="filter" placeholder="Filter events" aria-label="Filter events" data-testid="history-filter" prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))/>
                <table class="history" data-testid="history">
                    <thead><tr><th>"ID"</th><th>"Type"</th><th>"State"</th><th>"Time"</th></tr></thead>
                    <tbody>
                        // Keyed: a step adds its new rows and leaves the others alone.
                        <For each=rows key=|(w, r)| (*w, r.id, r.kind, r.offset_ms) let:row>
                        {
                            let (w, r) = row;
                            let id = r.id;
                            // A narrow drawer cuts the cells: their whole text on hover.
                            let state_title = r.state.clone();
                            let open = move || expanded.get() == Some(id);
                            // Details are written out only for the row that is open.
                            let details = move || {
                                run.read(|l| match w {
                                    None => l.event(id).map(|e| pretty(&e.to_json())),
                                    Some(i) => l.child_history(i).unwrap_or_default().get(id as usize - 1).map(|e| pretty(&e.to_json())),
                                })
                                .flatten()
                                .unwrap_or_default()
                            };
                            view! {
                                <tr class="event" class:open=open on:click=move |_| expanded.update(|e| *e = if *e == Some(id) { None } else { Some(id) })>
                                    <td>{id}</td><td title=r.kind>{r.kind}</td><td title=state_title>{r.state}</td><td title=r.timestamp>{format!("+{:.3}s", r.offset_ms as f64 / 1000.0)}</td>
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
