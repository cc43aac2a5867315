//! The live ASL code of the current document, with its syntax error if it has one.

use super::app::CurrentDocument;
use leptos::prelude::*;

#[component]
pub fn CodePane() -> impl IntoView {
    let CurrentDocument(doc) = expect_context();
    let source = move || doc.with(|d| d.source().to_string());
    let error = move || doc.with(|d| d.syntax_error().map(|e| e.to_string()));
    view! {
        <section class="panel code" aria-label="ASL definition">
            <h2>"ASL definition"</h2>
            <pre class="code-text" data-testid="asl-code">{source}</pre>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        </section>
    }
}
