//! The Run drawer's Tests tab, wiring over [`crate::sim::suite::view`]: Generate (a suite that
//! reaches every reachable edge, saved with the document), Run (the document's suite), a line per
//! scenario (pass or fail against its expected outcome, editable in place; what it covers), the
//! coverage on the canvas ([`SimView::suite`]: edges taken, never taken, unreachable, with a
//! legend) and what no scenario reached with why, Download suite file / Open suite file (the file
//! `statecraft test` reads). Generating and running are the engine worker's (`Request::Suite`):
//! the tab shows its progress, and Stop ends it between two slices.

use std::sync::Arc;

use leptos::prelude::*;

use super::context::{Editor, now_ms};
use super::engine::Engine;
use super::run_ctx::setup;
use super::sim_view::SimView;
use crate::editor::change::Change;
use crate::editor::history::Merge;
use crate::sim::protocol::{Request, Response, SuiteJob};
use crate::sim::scenario::{Expected, Scenario};
use crate::sim::suite::view::{self, LEGEND, Outcome};

/// The Tests tab's state, kept by the drawer across tab switches.
#[derive(Clone, Copy)]
pub struct SuiteState {
    /// The last job's outcome.
    outcome: RwSignal<Option<Arc<Outcome>>>,
    /// What the engine is doing for the tab, in words (`None`: nothing).
    busy: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
}

impl SuiteState {
    pub fn new() -> Self {
        SuiteState { outcome: RwSignal::new(None), busy: RwSignal::new(None), problem: RwSignal::new(None) }
    }
}

/// How many scenario lines the tab draws: a suite of thousands (opened from a file) would hold
/// the page for seconds drawing rows nobody scrolls through.
const SHOWN_LINES: usize = 300;

/// What the tab says while the engine works on a suite.
fn progress_words(label: &str, done: usize, total: usize, generated_runs: Option<usize>) -> String {
    let generated = generated_runs.map(|n| format!("generated from {n} runs; ")).unwrap_or_default();
    format!("{label} {generated}{done} of {total} scenarios run")
}

#[component]
pub fn SuiteTab() -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let engine: Engine = expect_context();
    let files: super::service_files::ServiceFiles = expect_context();
    let state: SuiteState = expect_context();
    let SuiteState { outcome, busy, problem } = state;
    let suite = move || editor.session.with(|s| s.doc.simulation().suite.clone());

    let show = move |o: Outcome| {
        sim.run.set(None);
        sim.coverage.set(None);
        sim.suite.set(Some(Arc::new(o.coverage.clone())));
        outcome.set(Some(Arc::new(o)));
    };
    // Sends `job` to the engine once the service files on their way are here; its progress and
    // its outcome come back as messages.
    let launch = move |label: &'static str, job: SuiteJob| {
        busy.set(Some(label.to_string()));
        problem.set(None);
        let generated = matches!(job, SuiteJob::Generate { .. });
        let text = editor.session.with_untracked(|s| s.doc.text().to_string());
        files.when_loaded(&text, move || {
            engine.ask(&Request::Suite { setup: setup(editor, engine, files), job }, move |answer: Response| match answer {
                Response::SuiteProgress { done, total, generated_runs } => busy.set(Some(progress_words(label, done, total, generated_runs))),
                Response::SuiteDone(o) => {
                    if generated {
                        let next = editor.session.with_untracked(|s| s.doc.simulation().with_suite(o.scenarios.clone()));
                        editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Generate test suite");
                    }
                    show(o);
                    busy.set(None);
                }
                Response::SuiteStopped { done, total } => {
                    busy.set(None);
                    problem.set(Some(match total {
                        0 => "The suite was stopped while it was being generated.".to_string(),
                        _ => format!("The suite was stopped after {done} of {total} scenarios."),
                    }));
                }
                Response::Error { message } => {
                    busy.set(None);
                    problem.set(Some(message));
                }
                other => {
                    busy.set(None);
                    problem.set(Some(format!("The engine answered a suite with {}.", other.what())));
                }
            });
        });
    };
    let generate = move |_| {
        let base = editor.session.with_untracked(|s| s.doc.simulation().scenarios.clone());
        launch("Generating the suite…", SuiteJob::Generate { base });
    };
    let run = move |_| {
        let scenarios = editor.session.with_untracked(|s| s.doc.simulation().suite.clone());
        if scenarios.is_empty() {
            problem.set(Some("The document has no suite yet: Generate one, or open a suite file.".into()));
            return;
        }
        launch("Running the suite…", SuiteJob::Run { scenarios });
    };
    let download = move |_| {
        let (name, text) = editor.session.with_untracked(|s| (s.doc.name().to_string(), view::file_text(s.doc.name(), &s.doc.simulation().handlers, &s.doc.simulation().suite)));
        if let Err(e) = super::store::download(&view::file_name(&name), "application/json", text.as_bytes()) {
            problem.set(Some(format!("The suite file could not be downloaded: {e}")));
        }
    };
    let open = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        // The suite and the handler choices it carries, one undoable step.
        super::workspace::read_file(&input, move |name, bytes| match editor.session.with_untracked(|s| view::open_into(s.doc.simulation(), &name, &String::from_utf8_lossy(&bytes))) {
            Ok((next, words)) => {
                if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Open suite file") {
                    outcome.set(None);
                    sim.suite.set(None);
                    problem.set(None);
                    editor.notice.set(Some(words));
                }
            }
            Err(e) => problem.set(Some(format!("{name} is not a suite file:\n{e}"))),
        });
    };
    // A scenario's expected outcome, edited in place: one undo step per burst in that field.
    let set_expected = move |i: usize, expected: Option<Expected>| {
        let next = editor.session.with_untracked(|s| {
            let mut suite = s.doc.simulation().suite.clone();
            if let Some(sc) = suite.get_mut(i) {
                sc.expected = expected;
            }
            s.doc.simulation().with_suite(suite)
        });
        let merge = Merge::Burst { key: format!("suite {i} expected"), at_ms: now_ms() };
        editor.perform_merged(Ok(Change::SetSimulation(Box::new(next))), "Edit expected outcome", merge);
    };
    // The outcome shown was of another suite than the document's now.
    let stale = move || outcome.with(|o| o.as_ref().is_some_and(|o| suite() != o.scenarios));

    view! {
        <div class="suite" data-testid="suite">
            <div class="run-controls">
                <button class="primary" data-testid="suite-generate" disabled=move || busy.get().is_some() on:click=generate
                    title="Generate scenarios that together reach every state, edge, Catch and Retry, with their outcomes recorded as expected">"Generate"</button>
                <button data-testid="suite-run" disabled=move || busy.get().is_some() on:click=run title="Run the document's suite against its expected outcomes">"▶ Run suite"</button>
                <button data-testid="suite-stop" disabled=move || busy.get().is_none() on:click=move |_| engine.tell(&Request::StopSuite)
                    title="Stop generating or running the suite">"Stop"</button>
                <button data-testid="suite-download" disabled=move || suite().is_empty() on:click=download
                    title="The suite file `statecraft test` reads (beside the definition downloaded as NAME.asl.json)">"Download suite file"</button>
                <label class="file-button" title="Open a suite file (statecraft generate-suite writes one)">"Open suite file"
                    <input type="file" class="file-input" data-testid="suite-open" aria-label="Open suite file" accept=".json,application/json" on:change=open/>
                </label>
                <button title="Hide the suite's coverage on the canvas" disabled=move || sim.suite.with(Option::is_none) on:click=move |_| sim.suite.set(None)>"Clear coverage"</button>
            </div>
            {move || busy.get().map(|b| view! { <p class="run-note" data-testid="suite-busy" role="status">{b}</p> })}
            {move || problem.get().map(|p| view! { <pre class="run-problem" role="alert">{p}</pre> })}
            <super::service_files::ServiceFilesStatus/>
            {move || stale().then(|| view! { <p class="run-note" data-testid="suite-stale">"The suite changed since this run: Run it again."</p> })}
            {move || match outcome.get() {
                None => view! {
                    <p class="muted" data-testid="suite-empty">{move || match suite().len() {
                        0 => "No suite yet. Generate one: scenarios that reach every reachable edge, with today's outcomes as their expectations.".to_string(),
                        n => format!("The document's suite has {n} scenario{}. Run it to see what passes and what it covers.", if n == 1 { "" } else { "s" }),
                    }}</p>
                }.into_any(),
                Some(o) => outcome_view(o, suite, set_expected).into_any(),
            }}
        </div>
    }
}

/// The summary, the legend, what was missed and the line per scenario.
fn outcome_view(o: Arc<Outcome>, suite: impl Fn() -> Vec<Scenario> + Copy + Send + Sync + 'static, set_expected: impl Fn(usize, Option<Expected>) + Copy + Send + Sync + 'static) -> impl IntoView {
    let c = &o.coverage;
    let generated = o.generated_runs.map(|n| format!(" · generated from {n} runs")).unwrap_or_default();
    let missed = c.missed();
    let (states, edges, goals) = (c.state_figure(), c.edge_figure(), c.goal_figure());
    view! {
        <p class="batch-summary" data-testid="suite-summary">
            {format!("{} · {}{generated}", o.tally(), c.edge_percent())}
        </p>
        <p class="muted" data-testid="suite-figures">{format!(
            "Covered: states {} of {} reachable, edges {} of {} reachable ({} in all), goals (retries, timeouts, heartbeats, branch failures) {} of {} reachable",
            states.covered, states.reachable, edges.covered, edges.reachable, edges.total, goals.covered, goals.reachable)}</p>
        <p class="suite-legend" data-testid="suite-legend">
            <span>"On the canvas:"</span>
            {LEGEND.iter().map(|(class, words)| view! { <span class="suite-key"><svg width="28" height="8"><line x1="1" y1="4" x2="27" y2="4" class=format!("edge suite-edge suite-{class}")/></svg>{*words}</span> }).collect_view()}
        </p>
        {(!missed.is_empty()).then(|| view! {
            <details class="suite-missed" data-testid="suite-missed" open>
                <summary>{format!("Not reached ({})", missed.len())}</summary>
                <ul>{missed.into_iter().map(|(what, why)| {
                    let unexplained = why.is_none();
                    view! { <li class:gap=unexplained><b>{what}</b>": "{why.unwrap_or_else(|| "no scenario reaches it: a gap in the suite".into())}</li> }
                }).collect_view()}</ul>
            </details>
        })}
        <table class="batch-rows suite-rows" data-testid="suite-rows">
            <thead><tr><th>"Verdict"</th><th>"Scenario and what it covers"</th><th>"Outcome"</th><th>"Expected (edit to pin another outcome)"</th></tr></thead>
            <tbody>
                {o.lines.iter().enumerate().take(SHOWN_LINES).map(|(i, line)| {
                    let verdict = line.verdict.name();
                    let mark = match line.verdict { view::Verdict::Pass => "✓ pass", view::Verdict::Fail => "✗ fail", view::Verdict::Unchecked => "— none" };
                    let covers = format!("covers {} ({} new): {}", line.covers.len(), line.new, line.covers.join(", "));
                    let outcome = match &line.end_state { Some(end) => format!("{} at {end}", line.status), None => line.status.to_string() };
                    view! {
                        <tr class=format!("row-{verdict}") data-testid="suite-row" data-verdict=verdict>
                            <td class="verdict">{mark}</td>
                            <td>
                                <div class="suite-name">{line.name.clone()}</div>
                                {(!line.mismatches.is_empty()).then(|| view! { <div class="run-problem" data-testid="suite-mismatch">{line.mismatches.join("; ")}</div> })}
                                <div class="suite-covers" data-testid="suite-covers" title=line.covers.join("\n")>{covers}</div>
                            </td>
                            <td>{outcome}</td>
                            <td>{expected_input(i, suite, set_expected)}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(o.lines.len() > SHOWN_LINES).then(|| view! {
            <p class="muted" data-testid="suite-more">{format!("The first {SHOWN_LINES} of {} scenarios; the summary and the canvas count them all.", o.lines.len())}</p>
        })}
    }
}

/// A suite scenario's expected outcome as a small JSON object, edited in place.
fn expected_input(
    index: usize,
    suite: impl Fn() -> Vec<Scenario> + Copy + Send + Sync + 'static,
    set_expected: impl Fn(usize, Option<Expected>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let text = move || {
        suite().get(index).and_then(|s| s.expected.as_ref()).map(|e| serde_json::to_string(e).unwrap_or_default()).unwrap_or_default()
    };
    let change = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        if v.trim().is_empty() {
            error.set(None);
            return set_expected(index, None);
        }
        match crate::asl::json::from_text::<Expected>(&v) {
            Ok(e) => {
                error.set(None);
                set_expected(index, Some(e));
            }
            Err(e) => error.set(Some(format!("Expected outcome: {e}"))),
        }
    };
    view! {
        <input class="json suite-expected" data-testid="suite-expected" aria-label=format!("Expected outcome of scenario {}", index + 1)
            prop:value=text on:change=change spellcheck="false"/>
        {move || error.get().map(|e| view! { <p class="run-problem">{e}</p> })}
    }
}
