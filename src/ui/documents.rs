//! Documents in and out of the page: open a file, import by paste (the Import dialog, or Ctrl+V
//! on the canvas), copy/paste of states (Ctrl+C/Ctrl+V), and share links in the URL hash. The
//! decisions are `editor::clipboard`'s and `editor::share`'s; this wires them to the browser.
//! A whole definition (a file, an import, a paste, a share link) comes in as a new document of
//! the workspace, the open one staying in the list; states pasted into the open document are one
//! undoable step; bad input changes nothing and says where it is bad.

use super::context::Editor;
use super::workspace::Docs;
use crate::editor::document::{Document, Saved};
use crate::editor::clipboard::{self, Paste};
use crate::editor::share;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A new document named `name` (shortened; "Untitled" when empty) holding the definition
/// `text`, with a first scenario whose input is what the definition reads.
fn new_document(name: &str, text: String) -> Document {
    let name = name.trim();
    Document::new(if name.is_empty() { "Untitled".to_string() } else { crate::editor::graph::shorten(name, 60) }, text)
}

/// Pastes `text`: a whole definition becomes a new document (named by its Comment, else
/// `name`); states or a state go into the open document, as one undo step.
pub fn import_text(editor: Editor, docs: Docs, text: &str, name: &str) -> Result<(), String> {
    let scope = editor.selected.get_untracked().map(|r| r.scope).unwrap_or_default();
    let pasted = editor.session.with_untracked(|s| clipboard::paste(&s.doc, &scope, text)).map_err(|e| e.to_string())?;
    match pasted {
        Paste::Definition { comment, .. } => {
            docs.create(new_document(comment.as_deref().unwrap_or(name), text.to_string()), "Imported the definition");
        }
        Paste::States { change, names } => {
            let count = names.len();
            if editor.perform(Ok(change), "Paste states") {
                editor.select_many(&scope, names);
                editor.notice.set(Some(format!("Pasted {count} state{}", if count == 1 { "" } else { "s" })));
            }
        }
    }
    Ok(())
}

/// Opens the file chosen in `input`: a JSON file becomes a new document; anything else is
/// reported with where it stops being JSON, and nothing changes.
pub fn open_file(editor: Editor, docs: Docs, input: &web_sys::HtmlInputElement) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let file_name = file.name();
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let r = reader.clone();
    let onload = Closure::once_into_js(move || {
        let text = r.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
        let stem = file_name.trim_end_matches(".json").trim_end_matches(".asl");
        match crate::asl::json::read(&text) {
            Err(e) => editor.notice.set(Some(format!("{file_name} was not opened: not JSON at line {}, column {}: {}", e.line, e.column, e.message))),
            Ok(_) => docs.create(new_document(stem, text), &format!("Opened {file_name}")),
        }
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// The share link of the open document.
pub fn share_link(editor: Editor) -> Option<String> {
    let hash = editor.session.with_untracked(|s| share::encode(&s.doc));
    let href = web_sys::window()?.location().href().ok()?;
    let base = href.split('#').next().unwrap_or_default();
    Some(format!("{base}{hash}"))
}

/// Copies the open document's share link to the clipboard, and says so; when the clipboard
/// refuses, the link goes into the address bar instead.
pub fn share(editor: Editor) {
    let Some(link) = share_link(editor) else { return };
    let Some(window) = web_sys::window() else { return };
    let promise = window.navigator().clipboard().write_text(&link);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => editor.notice.set(Some(format!("Share link copied to the clipboard ({} characters)", link.len()))),
            Err(e) => {
                if let Some(hash) = link.find('#').map(|i| &link[i..]) {
                    let _ = window.location().set_hash(hash);
                }
                editor.notice.set(Some(format!("The clipboard refused the link ({}): it is in the address bar", super::store::describe(&e))));
            }
        }
    });
}

/// Opens the document of a `#share=` link in the page's URL, as a new document.
fn open_shared(editor: Editor, docs: Docs) {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let hash = location.hash().unwrap_or_default();
    match share::decode(&hash) {
        Ok(None) => return,
        Err(e) => editor.notice.set(Some(e.to_string())),
        Ok(Some(share::SharedDoc { name, text, positions, simulation })) => {
            let name = if name.trim().is_empty() { "Shared workflow".to_string() } else { name };
            docs.create(Document::restore(Saved { name, text, positions, last_valid: None, simulation }), "Opened the shared link");
        }
    }
    // The link has been opened: a reload keeps the (stored) document instead of a second copy.
    let _ = location.set_hash("");
}

/// Whether the event comes from where text is typed (fields and the code editor).
pub fn in_text(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|el| {
        el.is_content_editable() || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
    })
}

/// Opens a share link in the URL, and handles copy and paste outside text fields.
pub fn install(editor: Editor, docs: Docs) {
    open_shared(editor, docs);
    let copy = window_event_listener(leptos::ev::copy, move |e: web_sys::ClipboardEvent| {
        if in_text(e.target()) {
            return;
        }
        let selection = editor.selection();
        let Ok((text, names)) = editor.session.with_untracked(|s| clipboard::copy_all(&s.doc, &selection)) else { return };
        if let Some(data) = e.clipboard_data() {
            if data.set_data("text/plain", &text).is_ok() {
                e.prevent_default();
                editor.notice.set(Some(format!("Copied {}", names.join(", "))));
            }
        }
    });
    let paste = window_event_listener(leptos::ev::paste, move |e: web_sys::ClipboardEvent| {
        if in_text(e.target()) {
            return;
        }
        let Some(text) = e.clipboard_data().and_then(|d| d.get_data("text/plain").ok()) else { return };
        e.prevent_default();
        if let Err(message) = import_text(editor, docs, &text, "Pasted definition") {
            editor.notice.set(Some(format!("Nothing pasted: {message}")));
        }
    });
    on_cleanup(move || {
        copy.remove();
        paste.remove();
    });
}

/// The Import dialog: paste a definition (or states) and import it.
#[component]
pub fn ImportDialog(open: RwSignal<bool>) -> impl IntoView {
    let editor: Editor = expect_context();
    let docs: Docs = expect_context();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        open.set(false);
        error.set(None);
    };
    let import = move |_| match import_text(editor, docs, &text.get_untracked(), "Imported definition") {
        Ok(()) => {
            text.set(String::new());
            close();
        }
        Err(e) => error.set(Some(e)),
    };
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:click=move |_| close()>
                <div class="dialog import" role="dialog" aria-label="Import" on:click=|e| e.stop_propagation()>
                    <h2>"Import"</h2>
                    <p class="hint">"Paste a whole definition (it opens as a new document), or states to add to this one."</p>
                    <textarea class="import-text" aria-label="Definition to import" spellcheck="false" prop:value=move || text.get()
                        on:input=move |e| text.set(event_target_value(&e))></textarea>
                    {move || error.get().map(|e| view! { <p class="code-error" role="alert">{e}</p> })}
                    <div class="inspector-actions">
                        <button class="btn" on:click=import>"Import"</button>
                        <button class="btn" on:click=move |_| close()>"Cancel"</button>
                    </div>
                </div>
            </div>
        </Show>
    }
}
