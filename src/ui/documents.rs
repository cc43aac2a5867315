//! Documents in and out of the page: open a file, import by paste (the Import dialog, or Ctrl+V
//! on the canvas), copy/paste of states (Ctrl+C/Ctrl+V), and share links in the URL hash. The
//! decisions are `editor::clipboard`'s and `editor::share`'s; this wires them to the browser.
//! Whatever comes in is one undoable step, and bad input changes nothing and says where it is bad.

use super::context::Editor;
use crate::editor::change::Change;
use crate::editor::clipboard::{self, Paste};
use crate::editor::share;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The change that replaces the document's text with `text`, drops its manual positions, and
/// gives it a first scenario whose input is what the new definition reads (the old scenarios
/// were the old workflow's).
pub fn replace(editor: Editor, text: String) -> Change {
    let mut out: Vec<Change> =
        editor.session.with_untracked(|s| s.doc.positions().keys().map(|id| Change::SetPosition { id: id.clone(), at: None }).collect());
    out.push(Change::SetSimulation(Box::new(crate::sim::SimSettings::for_definition(&text))));
    out.push(Change::SetText(text));
    Change::Batch(out)
}

/// The change that names the document `name` (shortened), when it has a name.
fn set_name(name: &str) -> Option<Change> {
    let name = name.trim();
    (!name.is_empty()).then(|| Change::SetName(crate::editor::graph::shorten(name, 60)))
}

/// `change`, then the name, as one change.
pub fn named(change: Change, name: &str) -> Change {
    match (change, set_name(name)) {
        (Change::Batch(mut v), Some(n)) => {
            v.push(n);
            Change::Batch(v)
        }
        (c, Some(n)) => Change::Batch(vec![c, n]),
        (c, None) => c,
    }
}

/// Pastes `text` (a definition, states, or a state) into the document, as one undo step.
/// `name` names a pasted definition without a Comment.
pub fn import_text(editor: Editor, text: &str, name: &str) -> Result<(), String> {
    let scope = editor.selected.get_untracked().map(|r| r.scope).unwrap_or_default();
    let pasted = editor.session.with_untracked(|s| clipboard::paste(&s.doc, &scope, text)).map_err(|e| e.to_string())?;
    match pasted {
        Paste::Definition { comment, .. } => {
            let change = named(replace(editor, text.to_string()), comment.as_deref().unwrap_or(name));
            if editor.perform(Ok(change), "Import definition") {
                editor.select(None);
                editor.fit_request.update(|n| *n += 1);
            }
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

/// Opens the file chosen in `input`: a JSON file becomes the document's text (one undo step);
/// anything else is reported with where it stops being JSON, and nothing changes.
pub fn open_file(editor: Editor, input: &web_sys::HtmlInputElement) {
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
            Ok(_) => {
                if editor.perform(Ok(named(replace(editor, text), stem)), "Open file") {
                    editor.select(None);
                    editor.fit_request.update(|n| *n += 1);
                    editor.notice.set(Some(format!("Opened {file_name} (Ctrl+Z goes back)")));
                }
            }
        }
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// Puts the document in the page's URL as a share link; gives the link.
pub fn share_link(editor: Editor) -> Option<String> {
    let hash = editor.session.with_untracked(|s| share::encode(&s.doc));
    let location = web_sys::window()?.location();
    location.set_hash(&hash).ok()?;
    location.href().ok()
}

/// Opens the document of a `#share=` link in the page's URL, as an undo step over the current one.
fn open_shared(editor: Editor) {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let hash = location.hash().unwrap_or_default();
    match share::decode(&hash) {
        Ok(None) => return,
        Err(e) => editor.notice.set(Some(e.to_string())),
        Ok(Some(share::SharedDoc { name, text, positions, simulation })) => {
            let same = editor.session.with_untracked(|s| s.doc.text() == text && *s.doc.positions() == positions);
            if !same {
                let mut change = replace(editor, text);
                if let Change::Batch(v) = &mut change {
                    v.extend(positions.into_iter().map(|(id, at)| Change::SetPosition { id, at: Some(at) }));
                    v.push(Change::SetSimulation(Box::new(simulation)));
                }
                if editor.perform(Ok(named(change, &name)), "Open shared link") {
                    editor.notice.set(Some("Opened the shared document (Ctrl+Z goes back)".into()));
                }
            }
        }
    }
    // The link has been opened: a reload keeps the (autosaved) document instead.
    let _ = location.set_hash("");
}

/// Whether the event comes from where text is typed (fields and the code editor).
pub fn in_text(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|el| {
        el.is_content_editable() || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
    })
}

/// Opens a share link in the URL, and handles copy and paste outside text fields.
pub fn install(editor: Editor) {
    open_shared(editor);
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
        if let Err(message) = import_text(editor, &text, "Pasted definition") {
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
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        open.set(false);
        error.set(None);
    };
    let import = move |_| match import_text(editor, &text.get_untracked(), "Imported definition") {
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
                    <p class="hint">"Paste a whole definition (it replaces the document; Ctrl+Z goes back), or states to add."</p>
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
