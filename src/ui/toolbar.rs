//! The top bar: the document's name, undo/redo, fit, new/open/download, and the notice line.

use super::context::Editor;
use crate::editor::document::Document;
use leptos::prelude::*;

/// `text` percent-encoded for a `data:` URL.
fn data_url(text: &str) -> String {
    let mut out = String::from("data:application/json;charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let editor: Editor = expect_context();
    let session = editor.session;
    let name = move || session.with(|s| s.doc.name.clone());
    let comment = move || session.with(|s| s.doc.machine().comment.clone().unwrap_or_default());
    let can_undo = move || session.with(|s| s.history.can_undo());
    let can_redo = move || session.with(|s| s.history.can_redo());
    let download = move || session.with(|s| data_url(s.doc.text()));
    let file_name = move || format!("{}.asl.json", name());
    let new_doc = move |_| editor.load(Document::new("Untitled", "{\n  \"StartAt\": \"\",\n  \"States\": {}\n}\n"));
    let open_seed = move |_| editor.load(Document::seed());
    view! {
        <header class="topbar">
            <span class="brand"><span class="brand-mark" aria-hidden="true">"◆"</span>"Statecraft"</span>
            <span class="doc-name" data-testid="doc-name">{name}</span>
            <span class="doc-comment">{comment}</span>
            <span class="notice" role="status">{move || editor.notice.get()}</span>
            <div class="actions">
                <button class="tb" aria-label="Undo" title="Undo (Ctrl+Z)" disabled=move || !can_undo() on:click=move |_| editor.undo()>"↶"</button>
                <button class="tb" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !can_redo() on:click=move |_| editor.redo()>"↷"</button>
                <button class="tb" aria-label="Fit view" title="Fit view (F)" on:click=move |_| editor.fit_request.update(|n| *n += 1)>"⤢"</button>
                <span class="sep"></span>
                <button class="tb text" on:click=new_doc>"New"</button>
                <button class="tb text" on:click=open_seed>"Open example"</button>
                <a class="tb text" href=download download=file_name>"Download"</a>
                <button class="tb" aria-label="Keyboard shortcuts" title="Shortcuts (?)" on:click=move |_| editor.show_shortcuts.update(|v| *v = !*v)>"?"</button>
            </div>
        </header>
    }
}
