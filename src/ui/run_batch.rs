//! The Batch tab of the Run drawer: run all scenarios or N generated ones in chunks (a progress
//! bar, the page stays responsive), the table of outcome vs expected, coverage (a heat map on the
//! canvas and the never-reached states) and the cost on Standard and Express.

use std::sync::Arc;

use leptos::prelude::*;

use super::context::{Editor, now_ms};
use super::run_ctx::simulator;
use super::sim_view::SimView;
use crate::sim::batch::{Batch, BatchRow};
use crate::sim::cost::{Cost, EXPRESS_MEMORY_MB, dollars};
use crate::sim::generate::{Template, generate};

/// What a finished (or running) batch shows.
#[derive(Clone, Default)]
struct Summary {
    done: usize,
    total: usize,
    passed: usize,
    failed: usize,
    unchecked: usize,
    rows: Vec<BatchRow>,
    coverage: Vec<(String, u64)>,
    never: Vec<String>,
    transitions: u64,
    duration_ms: i64,
    elapsed_ms: f64,
}

/// Scenarios between two checks of the time slice.
const CHUNK: usize = 50;
/// Milliseconds of simulation per slice before the page gets to draw.
const SLICE_MS: f64 = 50.0;
const ROWS_SHOWN: usize = 200;

#[component]
pub fn BatchTab() -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let batch: StoredValue<Option<Batch>, LocalStorage> = StoredValue::new_local(None);
    let summary = RwSignal::new(None::<Summary>);
    let running = RwSignal::new(false);
    let progress = RwSignal::new((0usize, 0usize));
    let problem = RwSignal::new(None::<String>);
    let count = RwSignal::new(1000usize);
    let min = RwSignal::new(1.0f64);
    let max = RwSignal::new(500.0f64);
    let invalid = RwSignal::new(30u32);
    let seed = RwSignal::new(1u64);

    let snapshot = move |started: f64| {
        let names = simulator(editor).map(|s| s.state_names()).unwrap_or_default();
        batch.with_value(|b| {
            let Some(b) = b else { return };
            let (passed, failed, unchecked) = b.tally();
            let mut coverage: Vec<(String, u64)> = names.iter().map(|n| (n.to_string(), b.coverage.states.get(n).copied().unwrap_or(0))).collect();
            coverage.dedup();
            summary.set(Some(Summary {
                done: b.done(),
                total: b.len(),
                passed,
                failed,
                unchecked,
                rows: b.rows.iter().take(ROWS_SHOWN).cloned().collect(),
                coverage,
                never: b.coverage.never_reached(&names),
                transitions: b.transitions,
                duration_ms: b.duration_ms,
                elapsed_ms: now_ms() - started,
            }));
            sim.run.set(None);
            sim.coverage.set(Some(Arc::new(b.coverage.clone())));
        });
    };
    // Runs chunks for one time slice, shows the progress, and yields to the page; the full
    // summary is drawn when the batch ends (or is stopped).
    fn pump(
        batch: StoredValue<Option<Batch>, LocalStorage>,
        running: RwSignal<bool>,
        progress: RwSignal<(usize, usize)>,
        started: f64,
        snapshot: impl Fn(f64) + Clone + 'static,
    ) {
        let slice = now_ms();
        let mut finished = true;
        batch.update_value(|b| {
            if let Some(b) = b {
                while !b.finished() && now_ms() - slice < SLICE_MS {
                    b.run_chunk(CHUNK);
                }
                finished = b.finished();
                progress.set((b.done(), b.len()));
            }
        });
        if finished || !running.get_untracked() {
            snapshot(started);
            running.set(false);
            return;
        }
        let again = snapshot.clone();
        // The next frame, not a timer: nested zero timers are clamped to 4 ms each.
        request_animation_frame(move || pump(batch, running, progress, started, again));
    }
    let launch = move |scenarios: Vec<crate::sim::scenario::Scenario>| {
        match simulator(editor) {
            Ok(s) => {
                problem.set(None);
                batch.set_value(Some(Batch::new(s, scenarios)));
                running.set(true);
                let started = now_ms();
                summary.set(None);
                pump(batch, running, progress, started, snapshot);
            }
            Err(e) => problem.set(Some(e)),
        }
    };
    let run_all = move |_| launch(editor.session.with_untracked(|s| s.doc.simulation().scenarios.clone()));
    let run_generated = move |_| {
        let template = Template {
            count: count.get_untracked(),
            seed: seed.get_untracked(),
            amount_min: min.get_untracked(),
            amount_max: max.get_untracked(),
            invalid_percent: invalid.get_untracked(),
        };
        match generate(&template) {
            Ok(scenarios) => launch(scenarios),
            Err(e) => problem.set(Some(e)),
        }
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
                <button disabled=move || !running.get() on:click=move |_| running.set(false)>"Stop"</button>
                <button title="Hide the heat map" on:click=move |_| sim.coverage.set(None)>"Clear heat map"</button>
            </div>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert">{p}</p> })}
            {move || running.get().then(|| {
                let (done, total) = progress.get();
                view! {
                    <progress max=total.to_string() value=done.to_string() data-testid="batch-progress"></progress>
                    <p class="batch-summary">{format!("Running: {done} of {total}")}</p>
                }
            })}
            {move || summary.get().map(|s| {
                let per = |x: f64| if s.done > 0 { x / s.done as f64 } else { 0.0 };
                let avg_transitions = per(s.transitions as f64);
                let avg_ms = per(s.duration_ms as f64);
                let million = Cost::of(1_000_000.0, avg_transitions, avg_ms);
                let one = Cost::of(1.0, avg_transitions, avg_ms);
                let batch_cost = Cost::of(s.done as f64, avg_transitions, avg_ms);
                view! {
                    <p class="batch-summary" data-testid="batch-summary">
                        {format!("{} of {} run · {} passed · {} failed · {} without expectation · {:.0} ms in the page", s.done, s.total, s.passed, s.failed, s.unchecked, s.elapsed_ms)}
                    </p>
                    <div class="batch-grid">
                        <div>
                            <h4>"Coverage"</h4>
                            <ul class="coverage" data-testid="coverage">
                                {s.coverage.iter().map(|(n, c)| view! { <li class:never=*c == 0><span>{n.clone()}</span><b>{*c}</b></li> }).collect_view()}
                            </ul>
                            <p class="heat-legend" data-testid="heat-legend">
                                {crate::sim::batch::Heat::LEGEND.iter().map(|(class, words)| view! { <span class="heat-key" title=*words><i class=format!("heat {class}")></i>{*words}</span> }).collect_view()}
                                <span class="heat-key" title="failed in at least one run"><i class="heat heat-failed"></i>"failed in a run"</span>
                            </p>
                            <p data-testid="never-reached">{if s.never.is_empty() { "Every state was reached.".to_string() } else { format!("Never reached: {}", s.never.join(", ")) }}</p>
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
                                        <td>{r.name.clone()}</td><td>{r.status}</td><td>{r.end_state.clone().unwrap_or_default()}</td>
                                        <td title=r.mismatches.join("\n")>{verdict}{if r.mismatches.is_empty() { String::new() } else { format!(": {}", r.mismatches.join("; ")) }}</td>
                                        <td class="summary">{crate::editor::graph::shorten(&r.summary(), 90)}</td>
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
