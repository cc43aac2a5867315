//! The app shell: top bar, the document outline, and the live ASL code.

use super::{code_pane::CodePane, outline::Outline};
use crate::editor::document::Document;
use leptos::prelude::*;

/// The document being edited, shared with every component below the root.
#[derive(Clone, Copy)]
pub struct CurrentDocument(pub RwSignal<Document>);

#[component]
pub fn App() -> impl IntoView {
    let doc = RwSignal::new(Document::seed());
    provide_context(CurrentDocument(doc));
    let name = move || doc.with(|d| d.name.clone());
    let comment = move || doc.with(|d| d.comment().unwrap_or_default().to_string());
    view! {
        <div class="app" data-testid="app">
            <header class="topbar">
                <span class="brand">"Statecraft"</span>
                <span class="doc-name" data-testid="doc-name">{name}</span>
                <span class="doc-comment">{comment}</span>
            </header>
            <main class="workspace">
                <Outline/>
                <CodePane/>
            </main>
        </div>
    }
}
