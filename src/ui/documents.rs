//! Documents in and out of the page: open a file (a definition, or a state machine of a
//! template: `crate::formats` reads it, and a template with several asks which), import by paste (the Import dialog, or Ctrl+V
//! on the canvas), copy/paste of states (Ctrl+C/Ctrl+V), and share links in the URL hash. The
//! decisions are `editor::clipboard`'s and `editor::share`'s; this wires them to the browser.
//! Whatever comes in is one undoable step, and bad input changes nothing and says where it is bad.

use super::context::Editor;
use crate::editor::change::Change;
use crate::editor::clipboard::{self, Paste};
use crate::editor::share;
use crate::formats;
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
    // Whatever replaces the definition is no longer the old template's.
    out.push(Change::SetSource(None));
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
/// A template's state machines are asked about through `choosing` when there are several
/// (without it, the first opens).
pub fn import_text(editor: Editor, text: &str, name: &str, choosing: Option<RwSignal<Option<Pending>>>) -> Result<(), String> {
    let scope = editor.selected.get_untracked().map(|r| r.scope).unwrap_or_default();
    let pasted = match editor.session.with_untracked(|s| clipboard::paste(&s.doc, &scope, text)) {
        Ok(p) => p,
        // Not a definition nor states: it may be a template (YAML, CloudFormation, Terraform).
        Err(e @ (clipboard::PasteError::Syntax { .. } | clipboard::PasteError::NotStates)) => {
            return match formats::open("template", text) {
                Ok(opened) => {
                    let file_name = match opened.format {
                        formats::Format::AslYaml => "definition.asl.yaml",
                        formats::Format::CloudFormationYaml => "template.yaml",
                        formats::Format::Terraform => "main.tf",
                        _ => "template.json",
                    };
                    match (opened.machines.len(), choosing) {
                        (n, Some(choosing)) if n > 1 => choosing.set(Some(Pending { file_name: file_name.into(), text: text.into(), opened })),
                        _ => open_machine(editor, file_name, text, opened.format, &opened.machines[0]),
                    }
                    Ok(())
                }
                // A text that looks like JSON is best explained as JSON.
                Err(_) if text.trim_start().starts_with(['{', '[']) => Err(e.to_string()),
                Err(f) => Err(f.to_string()),
            };
        }
        Err(e) => return Err(e.to_string()),
    };
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

/// A file whose state machines are being chosen from.
#[derive(Clone)]
pub struct Pending {
    pub file_name: String,
    pub text: String,
    pub opened: formats::Opened,
}

/// Opens the file chosen in `input`: a definition, or the state machine of a template (when
/// it holds several, `choosing` gets them and the page asks which). It becomes the document's
/// text as one undo step; a file that cannot be read is reported, located, and nothing changes.
pub fn open_file(editor: Editor, input: &web_sys::HtmlInputElement, choosing: RwSignal<Option<Pending>>) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let file_name = file.name();
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let r = reader.clone();
    let onload = Closure::once_into_js(move || {
        let text = r.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
        match formats::open(&file_name, &text) {
            Err(e) => {
                // A JSON file's problem reads as before: "not JSON at line L, column C".
                let why = match crate::asl::json::read(&text) {
                    Err(j) if text.trim_start().starts_with('{') => format!("not JSON at line {}, column {}: {}", j.line, j.column, j.message),
                    _ => e.to_string(),
                };
                editor.notice.set(Some(format!("{file_name} was not opened: {why}")));
            }
            Ok(opened) if opened.machines.len() == 1 => open_machine(editor, &file_name, &text, opened.format, &opened.machines[0]),
            Ok(opened) => choosing.set(Some(Pending { file_name, text, opened })),
        }
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// Makes `machine` of the file the document (one undo step), remembering its template.
pub fn open_machine(editor: Editor, file_name: &str, text: &str, format: formats::Format, machine: &formats::Machine) {
    if let Some(path) = machine.external() {
        let names: Vec<&str> = machine.substitutions.iter().map(|s| s.name.as_str()).collect();
        let vars = if names.is_empty() { String::new() } else { format!(" (its placeholders: {})", names.join(", ")) };
        editor.notice.set(Some(format!("{} keeps its definition in {path}: open that file{vars}", machine.id)));
        return;
    }
    let mut change = named(replace(editor, machine.definition.clone()), &machine.name);
    let remember = format != formats::Format::AslJson || !machine.substitutions.is_empty();
    if remember && let Change::Batch(v) = &mut change {
        v.push(Change::SetSource(Some(Box::new(formats::Source::new(file_name, format, text, machine)))));
    }
    if editor.perform(Ok(change), "Open file") {
        editor.select(None);
        editor.fit_request.update(|n| *n += 1);
        let what = if format.is_template() { format!("{} from {file_name}", machine.id) } else { file_name.to_string() };
        editor.notice.set(Some(format!("Opened {what} (Ctrl+Z goes back)")));
    }
}

/// Asks which state machine of a template to open.
#[component]
pub fn ChooseMachine(pending: RwSignal<Option<Pending>>) -> impl IntoView {
    let editor: Editor = expect_context();
    view! {
        {move || pending.get().map(|p| {
            let rows = p.opened.machines.iter().enumerate().map(|(i, m)| {
                let p = p.clone();
                let label = if m.name == m.id { m.id.clone() } else { format!("{} ({})", m.id, m.name) };
                let place = match m.external() {
                    Some(path) => format!("line {}, definition in {path}", m.line),
                    None => format!("line {}", m.line),
                };
                view! {
                    <li><button class="btn machine-choice" on:click=move |_| {
                        pending.set(None);
                        open_machine(editor, &p.file_name, &p.text, p.opened.format, &p.opened.machines[i]);
                    }>{label}</button><span class="hint">{place}</span></li>
                }
            }).collect_view();
            view! {
                <div class="dialog-backdrop" on:click=move |_| pending.set(None)>
                    <div class="dialog choose" role="dialog" aria-label="Choose a state machine" on:click=|e| e.stop_propagation()>
                        <h2>"Which state machine?"</h2>
                        <p class="hint">{format!("{} holds {} state machines.", p.file_name, p.opened.machines.len())}</p>
                        <ul class="machine-list">{rows}</ul>
                        <div class="inspector-actions"><button class="btn" on:click=move |_| pending.set(None)>"Cancel"</button></div>
                    </div>
                </div>
            }
        })}
    }
}

/// The template of the document with the edited definition spliced in, for a download; or why
/// it cannot be written.
pub fn saved_template(editor: Editor) -> Option<Result<(String, String), String>> {
    editor.session.with_untracked(|s| {
        let source = s.doc.source()?;
        if !source.format.is_template() && source.format != formats::Format::AslYaml {
            return None;
        }
        Some(source.save(s.doc.text()).map(|t| (source.file_name.clone(), t)).map_err(|e| e.to_string()))
    })
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
        if let Err(message) = import_text(editor, &text, "Pasted definition", None) {
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
    let choosing = use_context::<RwSignal<Option<Pending>>>();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        open.set(false);
        error.set(None);
    };
    let import = move |_| match import_text(editor, &text.get_untracked(), "Imported definition", choosing) {
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
                    <p class="hint">"Paste a whole definition, in JSON or YAML, or a SAM, CloudFormation, CDK or Terraform template (it replaces the document; Ctrl+Z goes back), or states to add."</p>
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
