//! The document outline: every top-level state with its type, its targets and Start/End marks.

use super::app::CurrentDocument;
use leptos::prelude::*;

#[component]
pub fn Outline() -> impl IntoView {
    let CurrentDocument(doc) = expect_context();
    let states = move || doc.with(|d| d.states());
    view! {
        <section class="panel outline" aria-label="States">
            <h2>"States"</h2>
            <ol class="state-list" data-testid="state-list">
                <For each=states key=|s| s.name.clone() let:state>
                    <li class="state" data-kind=state.kind.clone() data-testid="state">
                        <span class="state-kind">{state.kind.clone()}</span>
                        <span class="state-name">{state.name.clone()}</span>
                        {state.is_start.then(|| view! { <span class="mark start">"Start"</span> })}
                        {state.is_end.then(|| view! { <span class="mark end">"End"</span> })}
                        <span class="state-targets">
                            {(!state.targets.is_empty()).then(|| format!("→ {}", state.targets.join(", ")))}
                        </span>
                    </li>
                </For>
            </ol>
        </section>
    }
}
