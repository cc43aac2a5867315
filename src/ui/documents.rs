//! Documents in and out of the page: open a file (a definition, or a state machine of a
//! template: `crate::formats` reads it, and a template with several asks which), import by
//! paste (the Import dialog, or Ctrl+V on the canvas), copy/paste of states (Ctrl+C/Ctrl+V), and share links in the URL hash. The
//! decisions are `editor::clipboard`'s and `editor::share`'s; this wires them to the browser.
//! A whole definition (a file, an import, a paste, a share link) comes in as a new document of
//! the workspace, the open one staying in the list; states pasted into the open document are one
//! undoable step; bad input changes nothing and says where it is bad.

use super::context::Editor;
use super::workspace::Docs;
use crate::editor::change::Change;
use crate::editor::document::{Document, Saved};
use crate::editor::clipboard::{self, Paste};
use crate::editor::share;
use super::engine::Engine;
use crate::formats;
use crate::formats::offer::{Files, Found, Offer};
use crate::sim::protocol::{OpenAnswer, Request, SaveAnswer};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// A new document named `name` (shortened; "Untitled" when empty) holding the definition
/// `text`, with a first scenario whose input is what the definition reads.
fn new_document(name: &str, text: String) -> Document {
    let name = name.trim();
    Document::new(if name.is_empty() { "Untitled".to_string() } else { crate::editor::graph::shorten(name, 60) }, text)
}

/// Asks the engine worker to open `files` (the template formats are read there, not in the
/// page); `answer` gets what they hold, or why not in words (the engine's own failure too).
fn ask_open(engine: Engine, files: Files, answer: impl FnOnce(Found) + 'static) {
    let answer = std::cell::Cell::new(Some(answer));
    engine.ask(&Request::Open(files), move |response| {
        let found = match response {
            OpenAnswer::Opened(found) => found,
            OpenAnswer::Error { message } => Found::Machines(Err(message)),
        };
        if let Some(answer) = answer.take() {
            answer(found);
        }
    });
}

/// Pastes `text`: a whole definition becomes a new document named `name`; a template's state
/// machine too (asked about through `choosing` when there are several; without it, the first
/// opens); states or a state go into the open document, as one undo step. `done` hears whether
/// it was taken (a template is read by the engine worker, so that may come later).
pub fn import_text(
    editor: Editor,
    docs: Docs,
    engine: Engine,
    text: &str,
    name: &str,
    choosing: Option<RwSignal<Option<Pending>>>,
    done: impl FnOnce(Result<(), String>) + 'static,
) {
    let scope = editor.selected.get_untracked().map(|r| r.scope).unwrap_or_default();
    let pasted = match editor.session.with_untracked(|s| clipboard::paste(&s.doc, &scope, text)) {
        Ok(p) => p,
        // Not a definition nor states: it may be a template (YAML, CloudFormation, Terraform).
        Err(e @ (clipboard::PasteError::Syntax { .. } | clipboard::PasteError::NotStates)) => {
            // A text that looks like JSON is best explained as JSON.
            let as_json = text.trim_start().starts_with(['{', '[']);
            let e = e.to_string();
            ask_open(engine, Files::Pasted { text: text.to_string() }, move |found| {
                done(match found {
                    Found::Machines(Ok(choices)) if !choices.is_empty() => {
                        match (choices.len(), choosing) {
                            (n, Some(choosing)) if n > 1 => choosing.set(Some(Pending { title: choices[0].file_name.clone(), choices })),
                            _ => open_machine(editor, docs, &choices[0]),
                        }
                        Ok(())
                    }
                    Found::Machines(Err(f)) if !as_json => Err(f),
                    _ => Err(e),
                })
            });
            return;
        }
        Err(e) => return done(Err(e.to_string())),
    };
    match pasted {
        // Named by where it came from (its Comment is prose: Workflow Studio's default is "A
        // description of my state machine").
        Paste::Definition { .. } => {
            docs.create(new_document(name, text.to_string()), "Imported the definition");
        }
        Paste::States { change, names } => {
            let count = names.len();
            if editor.perform(Ok(change), "Paste states") {
                editor.select_many(&scope, names);
                editor.notice.set(Some(format!("Pasted {count} state{}", if count == 1 { "" } else { "s" })));
            }
        }
    }
    done(Ok(()))
}

/// The state machines of the files opened, being chosen from.
#[derive(Clone)]
pub struct Pending {
    /// What was opened, in words: a file's name, or the names of the files chosen together.
    pub title: String,
    pub choices: Vec<Offer>,
}

/// Opens the files chosen in `input` together (a template and the definition files it names,
/// as Terraform's `templatefile` keeps them: `formats::open_files`, in the engine worker): one
/// state machine opens as a new document; with several, `choosing` gets them and the page asks
/// which. A file that cannot be read is reported, located, and nothing changes.
pub fn open_file(editor: Editor, docs: Docs, engine: Engine, input: &web_sys::HtmlInputElement, choosing: RwSignal<Option<Pending>>, report: RwSignal<Option<DropReport>>) {
    let Some(list) = input.files() else { return };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    input.set_value("");
    if files.is_empty() {
        return;
    }
    // A zip is a project, opened as a dropped one is (and reported the same way).
    if files.iter().any(|f| f.name().to_ascii_lowercase().ends_with(".zip")) {
        let [zip] = &files[..] else {
            editor.notice.set(Some("A .zip is a whole project: open it on its own.".into()));
            return;
        };
        let zip = zip.clone();
        leptos::task::spawn_local(async move {
            let title = zip.name();
            match bytes_of(&zip).await {
                Ok(bytes) => opened_project(editor, docs, engine, title, unzip(&bytes).await, Vec::new(), report),
                Err(why) => editor.notice.set(Some(format!("{title} was not opened: it {why}"))),
            }
        });
        return;
    }
    let count = files.len();
    let read: std::rc::Rc<std::cell::RefCell<Vec<Option<(String, String)>>>> = std::rc::Rc::new(std::cell::RefCell::new(vec![None; count]));
    for (i, file) in files.into_iter().enumerate() {
        let Ok(reader) = web_sys::FileReader::new() else { return };
        let (r, read, file_name) = (reader.clone(), read.clone(), file.name());
        let onload = Closure::once_into_js(move || {
            let text = r.result().ok().and_then(|v| v.as_string()).unwrap_or_default();
            read.borrow_mut()[i] = Some((file_name, text));
            let all: Option<Vec<(String, String)>> = read.borrow().iter().cloned().collect();
            if let Some(all) = all {
                opened_files(editor, docs, engine, all, choosing);
            }
        });
        reader.set_onload(Some(onload.unchecked_ref()));
        let _ = reader.read_as_text(&file);
    }
}

/// The files chosen, read: their state machines open (or are offered), or why not is said. A
/// lone plain definition opens at once, in the page (`formats::offer::plain_definition`); the
/// rest is read by the engine worker.
fn opened_files(editor: Editor, docs: Docs, engine: Engine, files: Vec<(String, String)>, choosing: RwSignal<Option<Pending>>) {
    let title = files.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(" + ");
    if let Some((name, text)) = formats::offer::plain_definition(&files) {
        docs.create(new_document(&name, text), &format!("Opened {title}"));
        return;
    }
    ask_open(engine, Files::Chosen { files }, move |found| match found {
        Found::Machines(Err(why)) => editor.notice.set(Some(format!("{title} was not opened: {why}"))),
        Found::Machines(Ok(choices)) if choices.len() == 1 => open_machine(editor, docs, &choices[0]),
        Found::Machines(Ok(choices)) => choosing.set(Some(Pending { title, choices })),
        Found::Project { .. } => {}
    });
}

/// Opens a state machine as a new document that remembers the file it is saved back into.
pub fn open_machine(editor: Editor, docs: Docs, offer: &Offer) {
    let Offer { file_name, format, id, .. } = offer;
    if let Some(path) = &offer.external {
        let names: Vec<&str> = offer.substitutions.iter().map(|s| s.name.as_str()).collect();
        let vars = if names.is_empty() { String::new() } else { format!(" (its placeholders: {})", names.join(", ")) };
        editor.notice.set(Some(format!("{id} keeps its definition in {path}: open {file_name} and {path} together{vars}")));
        return;
    }
    let mut doc = new_document(&offer.name, offer.definition.clone());
    let remember = *format != formats::Format::AslJson || !offer.substitutions.is_empty();
    if remember && let Err(e) = doc.apply(Change::SetSource(Some(Box::new(offer.source.clone())))) {
        editor.notice.set(Some(format!("{file_name} was not opened: {e}")));
        return;
    }
    let what = if format.is_template() { format!("{id} from {file_name}") } else { file_name.to_string() };
    docs.create(doc, &format!("Opened {what}"));
}

/// Asks which state machine of a template to open. (A dropped project's report, a dialog too,
/// is `ProjectDrop`'s, which the top bar keeps in the first module.)
#[component]
pub fn ChooseMachine(pending: RwSignal<Option<Pending>>) -> impl IntoView {
    let editor: Editor = expect_context();
    let docs: Docs = expect_context();
    view! {
        {move || pending.get().map(|p| {
            // The keyboard starts on the first choice (Escape cancels: `app::close_top_dialog`).
            let first = NodeRef::<leptos::html::Button>::new();
            Effect::new(move |_| {
                if let Some(button) = first.get() {
                    let _ = button.focus();
                }
            });
            let rows = p.choices.iter().enumerate().map(|(i, o)| {
                let p = p.clone();
                let formats::Choice { label, place } = o.choice.clone();
                let first = (i == 0).then_some(first);
                view! {
                    <li><button class="btn machine-choice" node_ref=first.unwrap_or_default() on:click=move |_| {
                        pending.set(None);
                        open_machine(editor, docs, &p.choices[i]);
                    }>{label}</button><span class="hint">{place}</span></li>
                }
            }).collect_view();
            view! {
                <div class="dialog-backdrop" on:click=move |_| pending.set(None)>
                    <div class="dialog choose" role="dialog" aria-label="Choose a state machine" on:click=|e| e.stop_propagation()>
                        <super::app::ReturnFocus/>
                        <h2>"Which state machine?"</h2>
                        <p class="hint">{format!("{} holds {} state machines.", p.title, p.choices.len())}</p>
                        <ul class="machine-list">{rows}</ul>
                        <div class="inspector-actions"><button class="btn" on:click=move |_| pending.set(None)>"Cancel"</button></div>
                    </div>
                </div>
            }
        })}
    }
}

/// Saves the document back into the file it came from (a template, an ASL YAML file, the
/// definition file of a Terraform templatefile): the engine worker splices the edited
/// definition in, and the file is downloaded; or the notice says why it cannot be written. When
/// the values set in the Substitutions table live in another file (the `.tf` of a
/// templatefile) and changed there, that file is downloaded too, and said.
pub fn save_template(editor: Editor, engine: Engine) {
    let Some((source, definition)) = editor.session.with_untracked(|s| s.doc.source().map(|src| (src.clone(), s.doc.text().to_string()))) else { return };
    engine.ask(&Request::Save { source, definition }, move |response| {
        let files = match response {
            SaveAnswer::Saved(files) => files,
            SaveAnswer::Error { message } => Err(message),
        };
        match files {
            Err(message) => editor.notice.set(Some(format!("The template was not saved: {message}"))),
            Ok(files) => {
                for (name, text) in &files {
                    download(name, text);
                }
                if let [(first, _), more @ ..] = &files[..]
                    && !more.is_empty()
                {
                    let names: Vec<&str> = more.iter().map(|(n, _)| n.as_str()).collect();
                    editor.notice.set(Some(format!("Saved {first} and {} (the values set in the Substitutions table)", names.join(", "))));
                }
            }
        }
    });
}

/// Downloads `text` as the file `name`, through a link clicked once.
fn download(name: &str, text: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Ok(link) = document.create_element("a") else { return };
    let _ = link.set_attribute("href", &super::export_panel::data_url("text/plain", text));
    let _ = link.set_attribute("download", name);
    if let Ok(link) = link.dyn_into::<web_sys::HtmlElement>() {
        link.click();
    }
}

#[wasm_bindgen(inline_js = "async function bytes(stream) { return new Uint8Array(await new Response(stream).arrayBuffer()); }
export function deflate_raw(data) { return bytes(new Blob([data]).stream().pipeThrough(new CompressionStream('deflate-raw'))); }
export async function inflate_raw(data, limit) {
  const reader = new Blob([data]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = []; let size = 0;
  for (;;) {
    let chunk;
    try { chunk = await reader.read(); } catch (e) { throw 'damaged'; }
    if (chunk.done) break;
    size += chunk.value.length;
    if (size > limit) { reader.cancel().catch(() => {}); throw 'too large'; }
    parts.push(chunk.value);
  }
  return bytes(new Blob(parts).stream());
}")]
extern "C" {
    /// `data` raw-deflated by the browser (`CompressionStream('deflate-raw')`): a `Uint8Array`.
    fn deflate_raw(data: &[u8]) -> js_sys::Promise;
    /// `data` inflated by the browser (`DecompressionStream('deflate-raw')`): a `Uint8Array`, or
    /// rejected with `'too large'` past `limit` bytes (read no further) or `'damaged'`.
    fn inflate_raw(data: &[u8], limit: f64) -> js_sys::Promise;
}

/// The share link of the open document: its JSON deflated by the browser (`editor::share`
/// decides what the link holds; the page's wasm carries no deflate code).
async fn share_link(editor: Editor) -> Option<String> {
    let json = editor.session.with_untracked(|s| share::json_of(&s.doc));
    let deflated = wasm_bindgen_futures::JsFuture::from(deflate_raw(&json)).await.ok()?;
    let hash = share::link_of_deflated(&js_sys::Uint8Array::new(&deflated).to_vec());
    let href = web_sys::window()?.location().href().ok()?;
    let base = href.split('#').next().unwrap_or_default();
    Some(format!("{base}{hash}"))
}

/// Copies the open document's share link to the clipboard, and says so; when the clipboard
/// refuses, the link goes into the address bar instead.
pub fn share(editor: Editor) {
    let Some(window) = web_sys::window() else { return };
    leptos::task::spawn_local(async move {
        let Some(link) = share_link(editor).await else { return };
        let promise = window.navigator().clipboard().write_text(&link);
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

/// The document a share link's hash carries: read by `editor::share`, a deflated one inflated
/// by the browser first (at most `share::MAX_JSON_BYTES`).
async fn decode_shared(hash: &str) -> Result<Option<share::SharedDoc>, share::ShareError> {
    let json = match share::payload(hash)? {
        None => return Ok(None),
        Some(share::Payload::Plain(json)) => json,
        Some(share::Payload::Deflated(bytes)) => match wasm_bindgen_futures::JsFuture::from(inflate_raw(&bytes, share::MAX_JSON_BYTES as f64)).await {
            Ok(json) => js_sys::Uint8Array::new(&json).to_vec(),
            Err(why) => return Err(share::inflate_failed(why.as_string().as_deref() == Some("too large"))),
        },
    };
    share::read_json(json).map(Some)
}

/// Opens the document of a `#share=` link in the page's URL, as a new document, once the part
/// that reads it is here (`lazy::DialogsPart`).
fn open_shared_later(editor: Editor, docs: Docs) {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    let hash = location.hash().unwrap_or_default();
    if !hash.starts_with("#share=") {
        return;
    }
    super::lazy::DIALOGS_PART.then(editor.notice, "The shared link was not opened", move |part| (part.open_shared)(editor, docs, hash));
}

/// Opens the document of `hash`, a `#share=` link's, as a new document (the dialogs part's).
pub fn open_shared(editor: Editor, docs: Docs, hash: String) {
    let Some(location) = web_sys::window().map(|w| w.location()) else { return };
    leptos::task::spawn_local(async move {
        match decode_shared(&hash).await {
            Ok(None) => return,
            Err(e) => editor.notice.set(Some(e.to_string())),
            Ok(Some(share::SharedDoc { name, text, positions, simulation })) => {
                let name = if name.trim().is_empty() { "Shared workflow".to_string() } else { name };
                docs.create(Document::restore(Saved { name, text, positions, last_valid: None, simulation, source: None }), "Opened the shared link");
            }
        }
        // The link has been opened: a reload keeps the (stored) document instead of a second copy.
        let _ = location.set_hash("");
    });
}

/// Whether the event comes from where text is typed (fields and the code editor).
pub fn in_text(target: Option<web_sys::EventTarget>) -> bool {
    target.and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).is_some_and(|el| {
        el.is_content_editable() || matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
    })
}

/// Opens a share link in the URL, and handles copy and paste outside text fields.
pub fn install(editor: Editor, docs: Docs, engine: Engine) {
    open_shared_later(editor, docs);
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
        import_text(editor, docs, engine, &text, "Pasted definition", None, move |taken| {
            if let Err(message) = taken {
                editor.notice.set(Some(format!("Nothing pasted: {message}")));
            }
        });
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
    let engine: Engine = expect_context();
    let choosing = use_context::<RwSignal<Option<Pending>>>();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let close = move || {
        open.set(false);
        error.set(None);
    };
    // Opened, it is ready for the paste.
    let field = NodeRef::<leptos::html::Textarea>::new();
    Effect::new(move |_| {
        if let Some(field) = field.get() {
            let _ = field.focus();
        }
    });
    let import = move |_| {
        import_text(editor, docs, engine, &text.get_untracked(), "Imported definition", choosing, move |taken| match taken {
            Ok(()) => {
                text.set(String::new());
                close();
            }
            Err(e) => error.set(Some(e)),
        })
    };
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:click=move |_| close()>
                <div class="dialog import" role="dialog" aria-label="Import" on:click=|e| e.stop_propagation()>
                    <super::app::ReturnFocus/>
                    <h2>"Import"</h2>
                    <p class="hint">"Paste a whole definition, in JSON or YAML, or a SAM, CloudFormation, CDK or Terraform template (it opens as a new document), or states to add to this one."</p>
                    <textarea class="import-text" node_ref=field aria-label="Definition to import" spellcheck="false" prop:value=move || text.get()
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

/// What a dropped project gave: the documents opened and the files that gave none, and why.
#[derive(Clone)]
pub struct DropReport {
    title: String,
    found: Vec<String>,
    skipped: Vec<formats::project::Skipped>,
}

/// A folder, a zip or files dropped on the page (anywhere a drop is not taken by something
/// else, such as a bucket of the Stores tab): every state machine in them opens as a
/// document (`formats::project` decides which files and how they pair), and a dialog lists
/// what was found and what was skipped and why.
#[component]
pub fn ProjectDrop(report: RwSignal<Option<DropReport>>) -> impl IntoView {
    let editor: Editor = expect_context();
    let docs: Docs = expect_context();
    let engine: Engine = expect_context();
    let carries_files = |e: &web_sys::DragEvent| e.data_transfer().is_some_and(|d| d.types().includes(&JsValue::from_str("Files"), 0));
    let over = window_event_listener(leptos::ev::dragover, move |e: web_sys::DragEvent| {
        if !e.default_prevented() && carries_files(&e) {
            e.prevent_default();
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |e: web_sys::DragEvent| {
        if e.default_prevented() || !carries_files(&e) {
            return;
        }
        e.prevent_default();
        let Some(items) = e.data_transfer().map(|d| d.items()) else { return };
        // The entries are only readable during the event: taken now, read after.
        let mut entries = Vec::new();
        let mut files = Vec::new();
        for i in 0..items.length() {
            let Some(item) = items.get(i) else { continue };
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) if entry.is_directory() => entries.push(entry),
                _ => files.extend(item.get_as_file().ok().flatten()),
            }
        }
        leptos::task::spawn_local(async move {
            let title = entries.iter().map(|e| e.name()).chain(files.iter().map(|f| f.name())).collect::<Vec<_>>().join(", ");
            let mut read = Vec::new();
            let mut problems = Vec::new();
            for entry in entries {
                read_folder(entry, &mut read, &mut problems).await;
            }
            for file in files {
                match bytes_of(&file).await {
                    Ok(bytes) => read.push((file.name(), bytes)),
                    Err(why) => problems.push(formats::project::Skipped { path: file.name(), why }),
                }
            }
            // One zip dropped alone is a project of its own (read by the dialogs part, awaited).
            let files = match &read[..] {
                [(name, bytes)] if name.to_ascii_lowercase().ends_with(".zip") => unzip(bytes).await,
                _ => Ok(read),
            };
            opened_project(editor, docs, engine, title, files, problems, report);
        });
    });
    on_cleanup(move || {
        over.remove();
        drop.remove();
    });
    move || {
        report.get().map(|r| {
            let found = r.found.iter().map(|p| view! { <li>{p.clone()}</li> }).collect_view();
            let skipped = r.skipped.iter().map(|s| view! { <li><code>{s.path.clone()}</code>": "{s.why.clone()}</li> }).collect_view();
            let none = r.found.is_empty();
            view! {
                <div class="dialog-backdrop" on:click=move |_| report.set(None)>
                    <div class="dialog choose" role="dialog" aria-label="Project opened" on:click=|e| e.stop_propagation()>
                        <super::app::ReturnFocus/>
                        <h2>{format!("Opened from {}", r.title)}</h2>
                        <h3>{format!("Found {} state machine{}", r.found.len(), if r.found.len() == 1 { "" } else { "s" })}</h3>
                        {if none { view! { <p class="hint">"No state machine in these files: nothing was opened."</p> }.into_any() } else { view! { <ul class="project-found">{found}</ul> }.into_any() }}
                        <h3>{format!("Skipped ({})", r.skipped.len())}</h3>
                        <ul class="project-skipped">{skipped}</ul>
                        <div class="inspector-actions"><button class="btn" on:click=move |_| report.set(None)>"Close"</button></div>
                    </div>
                </div>
            }
        })
    }
}

/// A project read (dropped, or a zip chosen with Open): the page keeps the files worth reading
/// (`formats::project::texts`), the engine worker opens them; every state machine opens as a
/// document, and the report lists them and what was skipped, with `problems` (files that could
/// not be read).
fn opened_project(
    editor: Editor,
    docs: Docs,
    engine: Engine,
    title: String,
    files: Result<Vec<(String, Vec<u8>)>, String>,
    problems: Vec<formats::project::Skipped>,
    report: RwSignal<Option<DropReport>>,
) {
    let files = match files {
        Err(why) => return editor.notice.set(Some(format!("{title} was not opened: {why}"))),
        Ok(files) => files,
    };
    let (texts, skipped) = formats::project::texts(files);
    ask_open(engine, Files::Project { texts, skipped }, move |found| match found {
        Found::Machines(Err(why)) => editor.notice.set(Some(format!("{title} was not opened: {why}"))),
        Found::Machines(Ok(_)) => {}
        Found::Project { found, mut skipped } => {
            for (offer, _) in &found {
                open_machine(editor, docs, offer);
            }
            skipped.extend(problems);
            let count = found.len();
            editor.notice.set(Some(format!("Opened {count} state machine{} from {title}", if count == 1 { "" } else { "s" })));
            report.set(Some(DropReport { title, found: found.into_iter().map(|(_, place)| place).collect(), skipped }));
        }
    });
}

/// The files of a project zip (`formats::project::unzip`), read by the dialogs part
/// (`lazy::DialogsPart`: the zip reader is not the first paint's), awaited if it is not here yet.
async fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    match super::lazy::DIALOGS_PART.ready().await {
        Some(part) => (part.unzip)(bytes),
        None => Err("the part of the page that reads a zip could not be loaded; reload the page to try again".into()),
    }
}

/// The bytes of a dropped file, or why not.
async fn bytes_of(file: &web_sys::File) -> Result<Vec<u8>, String> {
    match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
        Ok(buffer) => Ok(js_sys::Uint8Array::new(&buffer).to_vec()),
        Err(e) => Err(format!("could not be read ({})", super::store::describe(&e))),
    }
}

/// Every file under a dropped folder, with its path from the folder dropped (its name first).
async fn read_folder(root: web_sys::FileSystemEntry, out: &mut Vec<(String, Vec<u8>)>, problems: &mut Vec<formats::project::Skipped>) {
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        let reader = folder.unchecked_into::<web_sys::FileSystemDirectoryEntry>().create_reader();
        // readEntries gives a batch at a time, until an empty one.
        loop {
            let batch = js_sys::Promise::new(&mut |resolve, reject| {
                let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
            });
            let Ok(batch) = wasm_bindgen_futures::JsFuture::from(batch).await else { break };
            let batch = js_sys::Array::from(&batch);
            if batch.length() == 0 {
                break;
            }
            for entry in batch.iter() {
                let entry: web_sys::FileSystemEntry = entry.unchecked_into();
                if entry.is_directory() {
                    folders.push(entry);
                    continue;
                }
                let path = entry.full_path();
                let file = js_sys::Promise::new(&mut |resolve, reject| {
                    entry.unchecked_ref::<web_sys::FileSystemFileEntry>().file_with_callback_and_callback(&resolve, &reject);
                });
                let read = match wasm_bindgen_futures::JsFuture::from(file).await {
                    Ok(file) => bytes_of(&file.unchecked_into()).await,
                    Err(e) => Err(format!("could not be read ({})", super::store::describe(&e))),
                };
                match read {
                    Ok(bytes) => out.push((path, bytes)),
                    Err(why) => problems.push(formats::project::Skipped { path, why }),
                }
            }
        }
    }
}
