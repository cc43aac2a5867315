//! The top bar: the documents menu, the open document's name, undo/redo, fit,
//! new/open/import/download/share, and the notice line.

use super::context::Editor;
use super::documents::{DropReport, Pending, ProjectDrop, open_file, save_template, share};
use super::export_panel::data_url;
use super::lazy::{DIALOGS_PART, failed_note};
use super::workspace::{Docs, DocumentsMenu};
use crate::editor::change::Change;
use crate::editor::workspace::Start;
use leptos::prelude::*;

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
            <button class="doc-name" data-testid="doc-name" title=move || format!("{}: click to rename the workflow (its state machine name in every export)", name())
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
    // New and Open example open a new document; the open one stays in the Documents list.
    let docs: Docs = expect_context();
    let choosing = RwSignal::new(false);
    let open_seed = move |_| docs.create(Start::Example.document(), "Opened the example");
    let importing = RwSignal::new(false);
    let choosing_machine = RwSignal::new(None::<Pending>);
    let project_report = RwSignal::new(None::<DropReport>);
    // The Import dialog (below) asks the same question when a pasted template holds several.
    provide_context(choosing_machine);
    // Any file the document remembers (a template, or the definition file of a Terraform
    // templatefile) is saved back under its own name.
    let has_template = move || session.with(|s| s.doc.source().is_some());
    let template_name = move || session.with(|s| s.doc.source().map(|src| src.file_name.clone()).unwrap_or_default());
    // The template is spliced by the engine worker when the link is clicked, and downloaded
    // when it answers; a definition that cannot be written back (not JSON) says why and
    // downloads nothing.
    let engine: super::engine::Engine = expect_context();
    let on_save_template = move |e: leptos::ev::MouseEvent| {
        e.prevent_default();
        save_template(editor, engine);
    };
    let exporting = RwSignal::new(false);
    view! {
        <header class="topbar">
            // The notice has a line of its own under the bar's row: beside the name it squeezed
            // a long name to its first letters at 1280 px, and itself into a narrow column.
            <div class="topbar-row">
            <h1 class="brand"><span class="brand-mark" aria-hidden="true">"◆"</span>"Statecraft"</h1>
            <DocumentsMenu/>
            <DocumentName/>
            <span class="doc-comment">{comment}</span>
            <div class="actions">
                <button class="tb" aria-label="Undo" title="Undo (Ctrl+Z)" disabled=move || !can_undo() on:click=move |_| editor.undo()>"↶"</button>
                <button class="tb" aria-label="Redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !can_redo() on:click=move |_| editor.redo()>"↷"</button>
                <button class="tb" aria-label="Fit view" title="Fit view (F)" on:click=move |_| editor.fit_request.update(|n| *n += 1)>"⤢"</button>
                <span class="sep"></span>
                <button class="tb text" title="A new document (the open one stays in the list)" on:click=move |_| choosing.set(true)>"New"</button>
                <button class="tb text" on:click=open_seed>"Open example"</button>
                <label class="tb text" title="Open a definition (.json, .asl.yaml), a SAM, CloudFormation or CDK template, or Terraform">"Open"
                    <input type="file" multiple class="file-input" aria-label="Open file" title="A definition or template; with a Terraform templatefile or a DefinitionUri, choose its definition file (and variables.tf, terraform.tfvars) too; or a project's .zip" accept=".json,.yaml,.yml,.tf,.tfvars,.template,.zip,application/json,application/zip"
                        on:change=move |e| open_file(editor, docs, engine, &event_target::<web_sys::HtmlInputElement>(&e), choosing_machine, project_report)/>
                </label>
                <button class="tb text" on:click=move |_| importing.set(true)>"Import"</button>
                <a class="tb text" href="#" download=file_name on:click=download>"Download"</a>
                <Show when=has_template>
                    <a class="tb text" href="#" download=template_name title="Download the template with the edited definition in it" on:click=on_save_template>"Save template"</a>
                </Show>
                <button class="tb text" title="Copy a link that opens this document" on:click=move |_| share(editor)>"Share"</button>
                <button class="tb text" title="Deploy scripts, templates and the diagram" on:click=move |_| exporting.set(true)>"Export"</button>
                <button class="tb" aria-label="Keyboard shortcuts" title="Shortcuts (?)" on:click=move |_| editor.show_shortcuts.update(|v| *v = !*v)>"?"</button>
            </div>
            </div>
            <span class="notice" role="status">{move || editor.notice.get()}</span>
            // The dialogs' code loads after the first paint (`lazy`); a dialog opened before it
            // is here opens when it arrives. One asked for when it could not be loaded says so,
            // as the inspector's and the Run drawer's places do.
            {move || match DIALOGS_PART.get() {
                Some(part) => view! {
                    {(part.new)(choosing)}
                    {(part.import)(importing)}
                    {(part.choose)(choosing_machine)}
                    {(part.export)(exporting)}
                }.into_any(),
                None => {
                    let asked = move || choosing.get() || importing.get() || choosing_machine.with(Option::is_some) || exporting.get();
                    let close = move || {
                        choosing.set(false);
                        importing.set(false);
                        choosing_machine.set(None);
                        exporting.set(false);
                    };
                    view! {
                        <Show when=move || DIALOGS_PART.failed() && asked()>
                            <div class="dialog-backdrop" on:click=move |_| close()>
                                <div class="dialog" role="dialog" aria-label="Not loaded" data-testid="dialogs-failed" on:click=|e| e.stop_propagation()
                                    on:keydown=move |e| if e.key() == "Escape" { close() }>
                                    <super::app::ReturnFocus/>
                                    {failed_note()}
                                    <div><button class="btn" on:click=move |_| close()>"Close"</button></div>
                                </div>
                            </div>
                        </Show>
                    }.into_any()
                }
            }}
            // A drop is heard from the first paint on (its dialog is small).
            <ProjectDrop report=project_report/>
        </header>
    }
}
