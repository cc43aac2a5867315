//! The Batch tab of the Run drawer: run all scenarios or N generated ones in the engine worker
//! (a progress bar as it posts its progress; the page only draws), the table of outcome vs expected, coverage (a heat map on the
//! canvas and the never-reached states) and the cost on Standard and Express. A batch waits, as
//! a Run does, for the service files its definition needs (`super::service_files`).

use std::sync::Arc;

use leptos::prelude::*;

use super::context::{Editor, now_ms};
use super::engine::Engine;
use super::run_ctx::setup;
use super::sim_view::SimView;
use crate::sim::cost::{Cost, EXPRESS_MEMORY_MB, dollars};
use crate::sim::generate::Template;
use crate::sim::protocol::{BatchSource, BatchSummary, Request, Response};

/// What a finished (or stopped) batch shows: the engine's summary and how long it took here.
#[derive(Clone)]
struct Summary {
    engine: BatchSummary,
    coverage: Vec<(String, u64)>,
    never: Vec<String>,
    elapsed_ms: f64,
}

const ROWS_SHOWN: usize = BatchSummary::ROWS;

#[component]
pub fn BatchTab() -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let engine: Engine = expect_context();
    let files: super::service_files::ServiceFiles = expect_context();
    let summary = RwSignal::new(None::<Summary>);
    let running = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let problem = RwSignal::new(None::<String>);
    let count = RwSignal::new(1000usize);
    let min = RwSignal::new(1.0f64);
    let max = RwSignal::new(500.0f64);
    let invalid = RwSignal::new(30u32);
    let seed = RwSignal::new(1u64);

    // The engine runs the batch in its worker and posts its progress; the page only draws.
    let launch = move |scenarios: BatchSource| {
        problem.set(None);
        summary.set(None);
        progress.set((0, 0));
        running.set(true);
        // Sent once the service files its definition needs are here (or could not be had), as
        // a Run and a suite are: a batch started before they arrived would run without them.
        let text = editor.session.with_untracked(|s| s.doc.text().to_string());
        files.when_loaded(&text, move || {
            let started = now_ms();
            engine.ask(&Request::Batch { setup: setup(editor, engine, files), scenarios }, move |answer: Response| match answer {
                Response::BatchProgress { done, total } => progress.set((done, total)),
                Response::BatchDone(s) => {
                    running.set(false);
                    let coverage: Vec<(String, u64)> = s.states.iter().map(|n| (n.clone(), s.coverage.states.get(n.as_str()).copied().unwrap_or(0))).collect();
                    let names: Vec<std::sync::Arc<str>> = s.states.iter().map(|n| n.as_str().into()).collect();
                    let never = s.coverage.never_reached(&names);
                    sim.run.set(None);
                    sim.coverage.set(Some(Arc::new(s.coverage.clone())));
                    summary.set(Some(Summary { engine: s, coverage, never, elapsed_ms: now_ms() - started }));
                }
                Response::Error { message } => {
                    running.set(false);
                    problem.set(Some(message));
                }
                other => {
                    running.set(false);
                    problem.set(Some(format!("The engine answered a batch with {}.", other.what())));
                }
            });
        });
    };
    let run_all = move |_| launch(BatchSource::Scenarios(editor.session.with_untracked(|s| s.doc.simulation().scenarios.clone())));
    let run_generated = move |_| {
        let template = Template {
            count: count.get_untracked(),
            seed: seed.get_untracked(),
            amount_min: min.get_untracked(),
            amount_max: max.get_untracked(),
            invalid_percent: invalid.get_untracked(),
        };
        launch(BatchSource::Generated(template));
    };
    let number = |sig: RwSignal<f64>| move |ev: leptos::ev::Event| sig.set(event_target_value(&ev).parse().unwrap_or(sig.get_untracked()));

    view! {
        <div class="batch" data-testid="batch">
            <div class="run-controls">
                <button class="primary" data-testid="batch-run-all" disabled=move || running.get() on:click=run_all>"Run all scenarios"</button>
                <span class="sep">"or"</span>
                <button data-testid="batch-generate" disabled=move || running.get() on:click=run_generated>"Generate and run"</button>
                <input type="number" min="1" max="100000" class="short" aria-label="Number of scenarios" data-testid="batch-count"
                    prop:value=move || count.get().to_string() on:change=move |ev| count.set(event_target_value(&ev).parse().unwrap_or(1000))/>
                <span>"orders, amounts from"</span>
                <input type="number" class="short" aria-label="Smallest amount" prop:value=move || min.get().to_string() on:change=number(min)/>
                <span>"to"</span>
                <input type="number" class="short" aria-label="Largest amount" prop:value=move || max.get().to_string() on:change=number(max)/>
                <input type="number" min="0" max="100" class="short" aria-label="Invalid orders (%)" title="Invalid orders (%)"
                    prop:value=move || invalid.get().to_string() on:change=move |ev| invalid.set(event_target_value(&ev).parse().unwrap_or(30))/>
                <span>"% invalid, seed"</span>
                <input type="number" class="short" aria-label="Random seed" prop:value=move || seed.get().to_string()
                    on:change=move |ev| seed.set(event_target_value(&ev).parse().unwrap_or(1))/>
                <button data-testid="batch-stop" disabled=move || !running.get() on:click=move |_| engine.tell(&Request::StopBatch)>"Stop"</button>
                <button title="Hide the heat map" on:click=move |_| sim.coverage.set(None)>"Clear heat map"</button>
            </div>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert">{p}</p> })}
            <super::service_files::ServiceFilesStatus/>
            {move || running.get().then(|| {
                let (done, total) = progress.get();
                view! {
                    <progress max=total.to_string() value=done.to_string() data-testid="batch-progress"></progress>
                    <p class="batch-summary">{format!("Running: {done} of {total}")}</p>
                }
            })}
            {move || summary.get().map(|sum| {
                let s = &sum.engine;
                let per = |x: f64| if s.done > 0 { x / s.done as f64 } else { 0.0 };
                let avg_transitions = per(s.transitions as f64);
                let avg_ms = per(s.duration_ms as f64);
                let million = Cost::of(1_000_000.0, avg_transitions, avg_ms);
                let one = Cost::of(1.0, avg_transitions, avg_ms);
                let batch_cost = Cost::of(s.done as f64, avg_transitions, avg_ms);
                view! {
                    <p class="batch-summary" data-testid="batch-summary">
                        {format!("{} of {} run · {} passed · {} failed · {} without expectation · {:.0} ms in the page", s.done, s.total, s.passed, s.failed, s.unchecked, sum.elapsed_ms)}
                    </p>
                    <div class="batch-grid">
                        <div>
                            <h4>"Coverage"</h4>
                            <ul class="coverage" data-testid="coverage">
                                {sum.coverage.iter().map(|(n, c)| view! { <li class:never=*c == 0><span>{n.clone()}</span><b>{*c}</b></li> }).collect_view()}
                            </ul>
                            <p class="heat-legend" data-testid="heat-legend">
                                {crate::sim::batch::Heat::LEGEND.iter().map(|(class, words)| view! { <span class="heat-key" title=*words><i class=format!("heat {class}")></i>{*words}</span> }).collect_view()}
                                <span class="heat-key" title="failed in at least one run"><i class="heat heat-failed"></i>"failed in a run"</span>
                            </p>
                            <p data-testid="never-reached">{if sum.never.is_empty() { "Every state was reached.".to_string() } else { format!("Never reached: {}", sum.never.join(", ")) }}</p>
                        </div>
                        <div>
                            <h4>"Cost"</h4>
                            <table class="cost" data-testid="cost">
                                <thead><tr><th></th><th>"Standard"</th><th>"Express"</th></tr></thead>
                                <tbody>
                                    <tr><td>"One execution (beyond the free tier)"</td><td>{dollars(avg_transitions * crate::sim::cost::STANDARD_PER_TRANSITION)}</td><td>{dollars(one.express)}</td></tr>
                                    <tr><td>{format!("This batch ({})", s.done)}</td><td>{dollars(batch_cost.standard)}</td><td>{dollars(batch_cost.express)}</td></tr>
                                    <tr><td>"Per million executions"</td><td>{dollars(million.standard)}</td><td>{dollars(million.express)}</td></tr>
                                </tbody>
                            </table>
                            <p class="muted">{format!(
                                "{avg_transitions:.1} transitions and {:.1} s per execution on average. At a million a month, {} is cheaper. Standard: $0.025 per 1,000 transitions after 4,000 free a month. Express: $1.00 per million requests plus $0.00001667 per GB-second, assuming {EXPRESS_MEMORY_MB:.0} MB and 100 ms rounding.",
                                avg_ms / 1000.0, million.cheaper())}</p>
                        </div>
                    </div>
                    <table class="batch-rows" data-testid="batch-rows">
                        <thead><tr><th>"Scenario"</th><th>"Status"</th><th>"End state"</th><th>"vs expected"</th><th>"Result"</th></tr></thead>
                        <tbody>
                            {s.rows.iter().map(|r| {
                                let verdict = match r.pass { Some(true) => "pass", Some(false) => "fail", None => "—" };
                                view! {
                                    <tr class=format!("row-{verdict}")>
                                        <td>{r.name.clone()}</td><td>{r.status.clone()}</td><td>{r.end_state.clone().unwrap_or_default()}</td>
                                        <td title=r.mismatches.join("\n")>{verdict}{if r.mismatches.is_empty() { String::new() } else { format!(": {}", r.mismatches.join("; ")) }}</td>
                                        <td class="summary">{crate::editor::graph::shorten(&r.summary, 90)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    {(s.total > ROWS_SHOWN).then(|| view! { <p class="muted">{format!("The first {ROWS_SHOWN} rows of {} are shown.", s.total)}</p> })}
                }
            })}
        </div>
    }
}
