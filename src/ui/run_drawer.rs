//! The Run drawer's frame, drawn at the first paint: its head (the toggle, the run's status and
//! verdict, the tab strip) and the body's place. The body (`super::run_panel`: the scenario
//! column, the controls, what a run shows, the Batch, Stores and Tests tabs) is a part of the
//! page's wasm loaded after the first paint (`super::lazy`): until it is here its place says
//! "Loading…", and what the head sets (the drawer open, the tab, both in [`SimView`]) is read by
//! the body when it arrives, so no click is lost.

use leptos::prelude::*;

use super::lazy::{RUN_PART, failed_note};
use super::sim_view::SimView;

#[component]
pub fn RunDrawer() -> impl IntoView {
    let sim: SimView = expect_context();
    let status = move || sim.run.with(|r| r.as_ref().map(|r| r.status).unwrap_or("NOT STARTED"));
    let built = Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || sim.open.get());
    let tab_button = move |name: &'static str, label: &'static str, testid: Option<&'static str>| {
        view! {
            <button class:active=move || sim.tab.get() == name data-testid=testid on:click=move |_| { sim.tab.set(name); sim.open.set(true) }>{label}</button>
        }
    };

    view! {
        <section class="run-drawer" class:open=move || sim.open.get() data-testid="run-panel" aria-label="Run panel">
            <header class="run-head">
                <button class="run-toggle" data-testid="run-toggle" aria-expanded=move || sim.open.get().to_string()
                    on:click=move |_| sim.open.update(|o| *o = !*o)>
                    {move || if sim.open.get() { "▾ Run" } else { "▸ Run" }}
                </button>
                <span class=move || format!("run-status status-{}", status().to_lowercase()) data-testid="run-status">{status}</span>
                {move || sim.verdict.get().map(|(name, label)| view! { <span class=format!("run-verdict verdict-{name}") data-testid="run-verdict" title=label.clone()>{label.clone()}</span> })}
                <nav class="run-tabs">
                    {tab_button("run", "Scenario", None)}
                    {tab_button("batch", "Batch", Some("batch-tab"))}
                    {tab_button("stores", "Stores", Some("stores-tab"))}
                    {tab_button("suite", "Tests", Some("suite-tab"))}
                </nav>
            </header>
            <div class="run-body" hidden=move || !sim.open.get()>
                // Built the first time the drawer opens, then kept (hidden) so scenario edits and
                // runs survive closing it: a page that never runs anything never pays for it.
                // Its code is a part of the wasm loaded after the first paint (`lazy`); it is
                // built once (untracked: what it reads is its own to follow).
                {move || built.get().then(|| match RUN_PART.get() {
                    None => if RUN_PART.failed() { failed_note().into_any() } else { view! { <p class="run-note" role="status">"Loading…"</p> }.into_any() },
                    Some(part) => untrack(part.drawer),
                })}
            </div>
        </section>
    }
}
