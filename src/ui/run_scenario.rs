//! The Run drawer's scenario column: the scenario picker (add, delete), its name, input and
//! expected outcome, and the handler per Task ([`super::run_handlers`]). Each edit is a document
//! change (undo, autosave); `on_change` tells the drawer its run is out of date, `on_handlers`
//! that the handlers changed.

use leptos::prelude::*;

use super::context::{Editor, now_ms};
use super::run_handlers::Handlers;
use crate::editor::change::Change;
use crate::editor::history::Merge;
use crate::sim::scenario::{Expected, Scenario};

#[component]
pub fn ScenarioColumn(current: RwSignal<usize>, on_change: Callback<()>, on_handlers: Callback<()>) -> impl IntoView {
    let editor: Editor = expect_context();
    let scenarios = move || editor.session.with(|s| s.doc.simulation().scenarios.clone());
    let scenario = move || editor.session.with(|s| s.doc.simulation().scenarios.get(current.get()).cloned());
    // A scenario's field edit: one undo step per burst of typing in that field.
    let update = move |field: &str, f: &dyn Fn(&mut Scenario)| {
        let i = current.get_untracked();
        let next = editor.session.with_untracked(|s| s.doc.simulation().with_scenario(i, f));
        let merge = Merge::Burst { key: format!("scenario {i} {field}"), at_ms: now_ms() };
        editor.perform_merged(Ok(Change::SetSimulation(Box::new(next))), "Edit scenario", merge);
    };
    let select = move |i: usize| {
        current.set(i);
        on_change.run(());
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
    view! {
        <div class="run-col">
            <div class="scenario-bar">
                <select data-testid="scenario-select" aria-label="Scenario"
                    on:change=move |ev| select(event_target_value(&ev).parse().unwrap_or(0))>
                    {move || scenarios().into_iter().enumerate().map(|(i, s)| view! {
                        <option value=i.to_string() selected=move || current.get() == i>{s.name}</option>
                    }).collect_view()}
                </select>
                <button title="Add a scenario" aria-label="Add a scenario" data-testid="scenario-add" on:click=add>"+"</button>
                <button title="Delete this scenario" aria-label="Delete this scenario" data-testid="scenario-delete" on:click=delete>"−"</button>
            </div>
            <label class="field">"Name"
                <input data-testid="scenario-name" prop:value=move || scenario().map(|s| s.name).unwrap_or_default()
                    on:change=move |ev| { let v = event_target_value(&ev); update("name", &|s| s.name = v.clone()) }/>
            </label>
            <label class="field">"Input"
                <textarea class="json" rows="5" data-testid="run-input" spellcheck="false"
                    prop:value=move || scenario().map(|s| s.input).unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); update("input", &|s| s.input = v.clone()); on_change.run(()) }></textarea>
            </label>
            <ExpectedField scenario=Signal::derive(scenario) update=Callback::new(move |e: Option<Expected>| update("expected", &|s| s.expected = e.clone()))/>
            <Handlers on_change=on_handlers/>
        </div>
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
        match crate::asl::json::from_text::<Expected>(&v) {
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

