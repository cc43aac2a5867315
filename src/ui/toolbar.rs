//! The top bar: the document's name, undo/redo, fit, new/open/import/download/share, and the
//! notice line.

use super::context::Editor;
use super::documents::{ImportDialog, named, open_file, replace, share_link};
use super::export_panel::{ExportPanel, data_url};
use crate::editor::change::Change;
use leptos::prelude::*;

/// What New starts from: the smallest valid workflow, one Pass state.
const BLANK: &str = "{\n  \"StartAt\": \"Start\",\n  \"States\": {\n    \"Start\": {\n      \"Type\": \"Pass\",\n      \"End\": true\n    }\n  }\n}\n";

/// The document's name, renamed in place: a click turns it into a field; Enter or leaving the
/// field renames (one undo step), Escape keeps the old name.
#[component]
fn DocumentName() -> impl IntoView {
    let editor: Editor = expect_context();
    let name = move || editor.session.with(|s| s.doc.name().to_string());
    let editing = RwSignal::new(false);
    let commit = move |value: String| {
        editing.set(false);
        if value.trim() != name().trim() {
            editor.perform(Ok(Change::SetName(value)), "Rename workflow");
        }
    };
    view! {
        <Show when=move || editing.get() fallback=move || view! {
            <button class="doc-name" data-testid="doc-name" title="Rename the workflow (its state machine name in every export)"
                on:click=move |_| editing.set(true)>{name}</button>
        }>
            <input class="doc-name-input" aria-label="Workflow name" prop:value=name autofocus
                on:keydown=move |e: leptos::ev::KeyboardEvent| match e.key().as_str() {
                    "Enter" => commit(event_target_value(&e)),
                    "Escape" => editing.set(false),
                    _ => {}
                }
                on:blur=move |e| if editing.get_untracked() { commit(event_target_value(&e)) }/>
        </Show>
    }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let editor: Editor = expect_context();
    let session = editor.session;
    let name = move || session.with(|s| s.doc.name().to_string());
    let comment = move || session.with(|s| s.doc.machine().comment.clone().unwrap_or_default());
    let can_undo = move || session.with(|s| s.history.can_undo());
    let can_redo = move || session.with(|s| s.history.can_redo());
    // The link is written when clicked: encoding the text on every change would cost each keystroke.
    let download = move |e: leptos::ev::MouseEvent| {
        let link: web_sys::Element = event_target(&e);
        let _ = link.set_attribute("href", &session.with_untracked(|s| data_url("application/json", s.doc.text())));
    };
    let file_name = move || format!("{}.asl.json", name());
    // New and Open example replace the workflow as one undo step (Ctrl+Z gives it back).
    let replace_with = move |text: String, name: &str, label: &str, simulation: Option<crate::sim::SimSettings>| {
        let mut change = named(replace(editor, text), name);
        if let (Change::Batch(v), Some(sim)) = (&mut change, simulation) {
            v.push(Change::SetSimulation(Box::new(sim)));
        }
        if editor.perform(Ok(change), label) {
            editor.select(None);
            editor.fit_request.update(|n| *n += 1);
            editor.notice.set(Some(format!("{label} (Ctrl+Z goes back)")));
        }
    };
    let new_doc = move |_| replace_with(BLANK.to_string(), "Untitled", "New workflow", None);
    let open_seed = move |_| {
        replace_with(crate::seed::ORDER_WORKFLOW.to_string(), crate::seed::NAME, "Opened the example", Some(crate::sim::SimSettings::seeded()))
    };
    let importing = RwSignal::new(false);
    let exporting = RwSignal::new(false);
    let share = move |_| {
        if let Some(link) = share_link(editor) {
            editor.notice.set(Some(format!("Share link ({} characters) is in the address bar", link.len())));
        }
    };
    view! {
        <header class="topbar">
            <h1 class="brand"><span class="brand-mark" aria-hidden="true">"◆"</span>"Statecraft"</h1>
            <DocumentName/>
            <span class="doc-comment">{comment}</span>
            <span class="notice" role="status">{move || editor.notice.get()}</span>
            <div class="actions">
                <button class="tb" aria-label="Undo" title="Undo (Ctrl+Z)" disabled=move || !can_undo() on:click=move |_| editor.undo()>"↶"</button>
                <button class="tb" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !can_redo() on:click=move |_| editor.redo()>"↷"</button>
                <button class="tb" aria-label="Fit view" title="Fit view (F)" on:click=move |_| editor.fit_request.update(|n| *n += 1)>"⤢"</button>
                <span class="sep"></span>
                <button class="tb text" on:click=new_doc>"New"</button>
                <button class="tb text" on:click=open_seed>"Open example"</button>
                <label class="tb text" title="Open a .json file">"Open"
                    <input type="file" class="file-input" aria-label="Open file" accept=".json,application/json"
                        on:change=move |e| open_file(editor, &event_target::<web_sys::HtmlInputElement>(&e))/>
                </label>
                <button class="tb text" on:click=move |_| importing.set(true)>"Import"</button>
                <a class="tb text" href="#" download=file_name on:click=download>"Download"</a>
                <button class="tb text" title="Put the document in the page's address, to share" on:click=share>"Share"</button>
                <button class="tb text" title="Deploy scripts, templates and the diagram" on:click=move |_| exporting.set(true)>"Export"</button>
                <button class="tb" aria-label="Keyboard shortcuts" title="Shortcuts (?)" on:click=move |_| editor.show_shortcuts.update(|v| *v = !*v)>"?"</button>
            </div>
            <ImportDialog open=importing/>
            <ExportPanel open=exporting/>
        </header>
    }
}
