//! The workspace wired to the page: the first load (before the app mounts), autosave, the
//! other tabs' news, and the Documents menu, the New chooser, the save-failure and conflict
//! bars. The decisions are `editor::workspace`'s; storage is `store`'s.

use super::context::{Editor, STORAGE_KEY};
use super::store;
use crate::editor::document::{Document, Saved};
use crate::editor::workspace::{Choice, Remote, Start, Step, SyncState, Workspace, WriteOutcome, changed_words, replacement};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{BroadcastChannel, IdbDatabase};

/// Where a tab remembers which document it has open, across reloads (per tab: sessionStorage).
const OPEN_KEY: &str = "statecraft.open";

/// What the first load found.
pub struct Loaded {
    pub workspace: Workspace,
    pub doc: Document,
    pub db: Option<IdbDatabase>,
    /// The first step's writes (the seed, or the migrated autosave), still to carry out.
    pub first: Step,
    /// Why nothing can be stored, when the database did not open.
    pub error: Option<String>,
    /// Stored records that could not be read.
    pub unreadable: usize,
}

pub fn now() -> f64 {
    js_sys::Date::now()
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The old single autosave (localStorage), if there is one.
fn legacy() -> Option<Saved> {
    let text = local_storage()?.get_item(STORAGE_KEY).ok()??;
    crate::asl::json::from_text(&text).ok()
}

/// Opens storage and reads the workspace, then calls `done` (the app mounts then).
pub fn load(done: impl FnOnce(Loaded) + 'static) {
    let tab = format!("{}{}", (now() as u64) % 1_000_000_000, (js_sys::Math::random() * 1e6) as u64);
    let preferred = session_storage().and_then(|s| s.get_item(OPEN_KEY).ok().flatten());
    store::open(move |db| match db {
        Ok(db) => {
            let d = db.clone();
            store::load_all(&db, move |records| {
                let (records, unreadable, error) = match records {
                    Ok((r, n)) => (r, n, None),
                    Err(e) => (Vec::new(), 0, Some(e)),
                };
                let (workspace, mut first) = Workspace::load(records, legacy(), preferred.as_deref(), &tab, now());
                let doc = first.open.take().expect("a load opens a document");
                done(Loaded { workspace, doc, db: Some(d), first, error, unreadable });
            });
        }
        Err(e) => {
            let (workspace, mut first) = Workspace::load(Vec::new(), legacy(), None, &tab, now());
            let doc = first.open.take().expect("a load opens a document");
            done(Loaded { workspace, doc, db: None, first, error: Some(e), unreadable: 0 });
        }
    });
}

/// The workspace as the components share it.
#[derive(Clone, Copy)]
pub struct Docs {
    pub workspace: RwSignal<Workspace>,
    db: StoredValue<Option<IdbDatabase>, LocalStorage>,
    channel: StoredValue<Option<BroadcastChannel>, LocalStorage>,
    /// Why the last save failed, until a save succeeds.
    pub save_error: RwSignal<Option<String>>,
    /// The session's revision when its document was opened or taken from storage: the session
    /// at that revision holds no edit.
    clean_revision: StoredValue<u64>,
    /// The id of the document the session holds (the workspace's open one once shown).
    shown: StoredValue<String>,
    editor: Editor,
}

impl Docs {
    pub fn new(editor: Editor, loaded: Loaded) -> Docs {
        let channel = BroadcastChannel::new(store::CHANNEL).ok();
        let docs = Docs {
            shown: StoredValue::new(loaded.workspace.current().to_string()),
            workspace: RwSignal::new(loaded.workspace),
            db: StoredValue::new_local(loaded.db),
            channel: StoredValue::new_local(channel),
            save_error: RwSignal::new(None),
            clean_revision: StoredValue::new(editor.session.with_untracked(|s| s.doc.revision())),
            editor,
        };
        docs.remember_open();
        if let Some(e) = loaded.error {
            docs.save_error.set(Some(format!("documents cannot be stored in this browser: {e}")));
        }
        if loaded.unreadable > 0 {
            editor.notice.set(Some(format!("{} stored document(s) could not be read and were left as they are", loaded.unreadable)));
        }
        // The migrated autosave leaves localStorage once it is in the workspace.
        let migrating = legacy().is_some() && loaded.first.writes.len() == 1;
        docs.run_then(loaded.first, move |ok| {
            if ok && migrating {
                if let Some(s) = local_storage() {
                    let _ = s.remove_item(STORAGE_KEY);
                }
            }
        });
        docs.listen();
        docs
    }

    fn remember_open(&self) {
        if let Some(s) = session_storage() {
            let _ = s.set_item(OPEN_KEY, &self.workspace.with_untracked(|w| w.current().to_string()));
        }
    }

    /// The open document changed: an edit unless it is the document as opened.
    pub fn session_changed(&self) -> bool {
        let revision = self.editor.session.with_untracked(|s| s.doc.revision());
        if revision == self.clean_revision.get_value() {
            return false;
        }
        self.workspace.update_untracked(|w| w.edited());
        true
    }

    /// Saves the open document when it has unsaved edits.
    pub fn save(&self) {
        let write = self.editor.session.with_untracked(|s| self.workspace.try_update_untracked(|w| w.save(&s.doc, now()))).flatten();
        if let Some(write) = write {
            self.run(Step { writes: vec![write], ..Step::default() });
        }
    }

    /// Saves again now (the Try again button).
    pub fn retry(&self) {
        self.workspace.update_untracked(|w| w.edited());
        self.save();
    }

    /// Carries out `step`: its writes and deletions, then opens its document.
    pub fn run(&self, step: Step) {
        self.run_then(step, |_| {});
    }

    fn run_then(&self, step: Step, then: impl FnOnce(bool) + 'static) {
        let docs = *self;
        let Step { writes, deletes, open } = step;
        let then = std::rc::Rc::new(std::cell::RefCell::new(Some(then)));
        for write in writes {
            let then = then.clone();
            let sent = write.clone();
            let outcome = move |outcome: WriteOutcome| {
                let ok = outcome == WriteOutcome::Written;
                docs.written(&write, outcome);
                if let Some(f) = then.borrow_mut().take() {
                    f(ok);
                }
            };
            match self.db.get_value() {
                Some(db) => store::write(&db, &sent, outcome),
                None => outcome(WriteOutcome::Failed(
                    self.save_error.get_untracked().unwrap_or_else(|| "documents cannot be stored in this browser".into()),
                )),
            }
        }
        if !deletes.is_empty() {
            if let Some(db) = self.db.get_value() {
                store::delete(&db, &deletes.clone(), move |r| match r {
                    Ok(()) => {
                        for id in &deletes {
                            docs.channel.with_value(|c| store::announce(c.as_ref(), id, true));
                        }
                    }
                    Err(e) => docs.editor.notice.set(Some(format!("The trash was not emptied: {e}"))),
                });
            }
        }
        self.workspace.update(|_| {});
        if let Some(doc) = open {
            let same = self.workspace.with_untracked(|w| w.current() == self.shown.get_value());
            self.show(doc, same);
        }
    }

    /// Shows `doc`: in place of the open document as one undo step when it is the same
    /// document (another tab's version), else as another document with its own history (the
    /// one it had when it was left, `Session::switch`).
    fn show(&self, doc: Document, same: bool) {
        let editor = self.editor;
        if same {
            let change = editor.session.with_untracked(|s| replacement(&s.doc, &doc.saved()));
            editor.perform(Ok(change), "Take the other tab's version");
        } else {
            // Each document keeps its own undo history; undo here never applies another's step.
            let (leaving, arriving) = (self.shown.get_value(), self.workspace.with_untracked(|w| w.current().to_string()));
            editor.session.update(|s| s.switch(&leaving, &arriving, doc));
            editor.select(None);
            editor.fit_request.update(|n| *n += 1);
        }
        self.clean_revision.set_value(editor.session.with_untracked(|s| s.doc.revision()));
        self.shown.set_value(self.workspace.with_untracked(|w| w.current().to_string()));
        self.remember_open();
    }

    fn written(&self, write: &crate::editor::workspace::Write, outcome: WriteOutcome) {
        match &outcome {
            WriteOutcome::Written => {
                self.save_error.set(None);
                self.channel.with_value(|c| store::announce(c.as_ref(), &write.record.id, false));
            }
            WriteOutcome::Failed(why) => self.save_error.set(Some(why.clone())),
            WriteOutcome::Conflict(_) => {}
        }
        let remote = self.workspace.try_update(|w| w.written(write, outcome)).unwrap_or(Remote::Listed);
        self.remote(remote, &write.record.id);
    }

    fn remote(&self, remote: Remote, id: &str) {
        match remote {
            Remote::Listed => {}
            Remote::Reload(doc) => {
                let name = doc.name().to_string();
                self.show(*doc, true);
                self.editor.notice.set(Some(format!("“{name}” was changed in another tab: this is that version (Ctrl+Z goes back)")));
            }
            Remote::Conflict => {
                let _ = id;
                self.workspace.update(|_| {});
            }
        }
    }

    /// Listens to the other tabs.
    fn listen(&self) {
        let docs = *self;
        let Some(channel) = self.channel.get_value() else { return };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
            let Some((id, deleted)) = store::heard(&e) else { return };
            if deleted {
                docs.workspace.update(|w| w.removed(&id));
                return;
            }
            let Some(db) = docs.db.get_value() else { return };
            store::get(&db, &id.clone(), move |r| match r {
                Ok(Some(record)) => {
                    let remote = docs.workspace.try_update(|w| w.arrived(record)).unwrap_or(Remote::Listed);
                    docs.remote(remote, &id);
                }
                Ok(None) => docs.workspace.update(|w| w.removed(&id)),
                Err(e) => docs.editor.notice.set(Some(format!("Another tab changed a document, which could not be read: {e}"))),
            });
        });
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The page's lifetime: the channel listens as long as the app is there.
        on_message.forget();
    }

    /// Opens a new document holding `doc`; the open one stays in the list.
    pub fn create(&self, doc: Document, said: &str) {
        let step = self.editor.session.with_untracked(|s| self.workspace.try_update_untracked(|w| w.create(&s.doc, doc, now())));
        if let Some(step) = step {
            self.run(step);
            self.editor.notice.set(Some(format!("{said} (the earlier one is under Documents)")));
        }
    }

    /// Runs a workspace step that may fail.
    fn attempt(&self, f: impl FnOnce(&mut Workspace, &Document) -> Result<Step, crate::editor::workspace::WorkspaceError>) {
        let step = self.editor.session.with_untracked(|s| self.workspace.try_update_untracked(|w| f(w, &s.doc)));
        match step {
            Some(Ok(step)) => self.run(step),
            Some(Err(e)) => self.editor.notice.set(Some(format!("Not done: {e}"))),
            None => {}
        }
    }

    /// Every document as one zip.
    pub fn backup_zip(&self) -> Vec<u8> {
        let files = self.editor.session.with_untracked(|s| self.workspace.with_untracked(|w| w.backup(&s.doc)));
        let entries: Vec<crate::export::zip::ZipEntry> =
            files.iter().map(|(name, text)| crate::export::zip::ZipEntry { name, data: text.as_bytes(), executable: false }).collect();
        crate::export::zip::zip(&entries)
    }

    /// Downloads the backup once the part that makes it is here (`lazy::DialogsPart`: the
    /// zip writer is not the first paint's).
    pub fn download_backup_later(&self) {
        let docs = *self;
        super::lazy::DIALOGS_PART.then(self.editor.notice, "The backup was not downloaded", move |part| (part.download_backup)(docs));
    }

    pub fn download_backup(&self) {
        if let Err(e) = store::download("statecraft-backup.zip", "application/zip", &self.backup_zip()) {
            self.editor.notice.set(Some(format!("The backup could not be downloaded: {e}")));
        }
    }

    /// Restores the documents of a backup zip.
    pub fn restore_backup(&self, bytes: &[u8]) {
        let files = match crate::export::zip::unzip(bytes) {
            Ok(f) => f,
            Err(e) => return self.editor.notice.set(Some(format!("Nothing restored: {e}"))),
        };
        match self.workspace.try_update_untracked(|w| w.restore_backup(&files, now())) {
            Some(Ok((step, n))) => {
                self.run(step);
                self.editor.notice.set(Some(format!("Restored {n} document{} from the backup", if n == 1 { "" } else { "s" })));
            }
            Some(Err(e)) => self.editor.notice.set(Some(format!("Nothing restored: {e}"))),
            None => {}
        }
    }
}

/// A file picked in `input`, read as bytes.
pub(super) fn read_file(input: &web_sys::HtmlInputElement, done: impl FnOnce(String, Vec<u8>) + 'static) {
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let name = file.name();
    let Ok(reader) = web_sys::FileReader::new() else { return };
    let r = reader.clone();
    let onload = Closure::once_into_js(move || {
        let bytes = r.result().map(|v| js_sys::Uint8Array::new(&v).to_vec()).unwrap_or_default();
        done(name, bytes);
    });
    reader.set_onload(Some(onload.unchecked_ref()));
    let _ = reader.read_as_array_buffer(&file);
}

/// The Documents menu: the list (switch, duplicate, rename, delete), the trash (restore, empty),
/// and the backup.
#[component]
pub fn DocumentsMenu() -> impl IntoView {
    let docs: Docs = expect_context();
    let editor = docs.editor;
    let open = RwSignal::new(false);
    let renaming = RwSignal::new(None::<String>);
    let count = move || docs.workspace.with(|w| w.documents().count());
    let current_name = move || editor.session.with(|s| s.doc.name().to_string());
    let rename = move |id: String, value: String| {
        renaming.set(None);
        let is_open = docs.workspace.with_untracked(|w| w.current() == id);
        if is_open {
            if value.trim() != current_name().trim() && !value.trim().is_empty() {
                editor.perform(Ok(crate::editor::change::Change::SetName(value.trim().to_string())), "Rename workflow");
            }
        } else {
            docs.attempt(|w, _| w.rename(&id, &value, now()));
        }
    };
    let rows = move || {
        let now = now();
        let current = docs.workspace.with(|w| w.current().to_string());
        let live_name = current_name();
        docs.workspace.with(|w| {
            w.documents()
                .map(|r| {
                    let id = r.id.clone();
                    let is_open = id == current;
                    let name = if is_open { live_name.clone() } else { r.name().to_string() };
                    let when = changed_words(r.changed_ms, now);
                    let (i1, i2, i3, i4, i5) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                    let editing = move || renaming.get().as_deref() == Some(i4.as_str());
                    let n = name.clone();
                    let (row_id, dup_label, ren_label, del_label) = (id.clone(), format!("Duplicate {name}"), format!("Rename {name}"), format!("Delete {name}"));
                    view! {
                        <li class="doc-row" class:open=is_open data-doc-id=row_id>
                            <Show when=editing fallback=move || {
                                let (i1, n) = (i1.clone(), n.clone());
                                view! {
                                    <button class="doc-open" title="Open this document" aria-current=move || is_open.then_some("true")
                                        on:click=move |_| { docs.attempt(|w, d| w.switch(d, &i1, now)); open.set(false); }>
                                        <span class="doc-row-name">{n}</span>
                                    </button>
                                }
                            }>
                                {
                                    let i5 = i5.clone();
                                    let name = name.clone();
                                    view! {
                                        <input class="doc-rename" aria-label="New name" prop:value=name autofocus
                                            on:keydown=move |e: leptos::ev::KeyboardEvent| match e.key().as_str() {
                                                "Enter" => rename(i5.clone(), event_target_value(&e)),
                                                "Escape" => renaming.set(None),
                                                _ => {}
                                            }/>
                                    }
                                }
                            </Show>
                            <span class="doc-when">{when}</span>
                            <button class="doc-act" title="Duplicate" aria-label=dup_label
                                on:click=move |_| { docs.attempt(|w, d| w.duplicate(d, &i2, now)); }>"Duplicate"</button>
                            <button class="doc-act" title="Rename" aria-label=ren_label
                                on:click=move |_| renaming.set(Some(i3.clone()))>"Rename"</button>
                            <button class="doc-act" title="Delete (to the trash)" aria-label=del_label
                                on:click=move |_| { docs.attempt(|w, d| w.delete(d, &id, now)); }>"Delete"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let trash = move || {
        let now = now();
        docs.workspace.with(|w| {
            w.trash()
                .into_iter()
                .map(|r| {
                    let id = r.id.clone();
                    let name = r.name().to_string();
                    let when = format!("deleted {}", changed_words(r.trashed_ms.unwrap_or(now), now));
                    let (row_id, label) = (id.clone(), format!("Restore {name}"));
                    view! {
                        <li class="doc-row trashed" data-doc-id=row_id>
                            <span class="doc-row-name">{name}</span>
                            <span class="doc-when">{when}</span>
                            <button class="btn small" aria-label=label on:click=move |_| { docs.attempt(|w, _| w.restore(&id, now)); }>"Restore"</button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let has_trash = move || docs.workspace.with(|w| !w.trash().is_empty());
    let empty_trash = move |_| {
        let step = docs.workspace.try_update_untracked(|w| w.empty_trash());
        if let Some(step) = step {
            docs.run(step);
        }
    };
    let restore_input = move |e: leptos::ev::Event| {
        read_file(&event_target::<web_sys::HtmlInputElement>(&e), move |_, bytes| {
            super::lazy::DIALOGS_PART.then(editor.notice, "Nothing restored", move |part| (part.restore_backup)(docs, bytes))
        });
    };
    view! {
        <div class="docs-menu">
            <button class="tb text" aria-haspopup="true" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>{move || format!("Documents ({})", count())}</button>
            <Show when=move || open.get()>
                <div class="docs-backdrop" on:click=move |_| open.set(false)></div>
                <div class="docs-panel" role="dialog" aria-label="Documents">
                    <super::app::ReturnFocus/>
                    <h2>"Documents"</h2>
                    <ul class="doc-list">{rows}</ul>
                    <Show when=has_trash>
                        <h3>"Trash"</h3>
                        <ul class="doc-list">{trash}</ul>
                        <button class="btn small" on:click=empty_trash>"Empty trash"</button>
                    </Show>
                    <div class="docs-foot">
                        <button class="btn" title="Every document in one zip" on:click=move |_| docs.download_backup_later()>"Back up everything (.zip)"</button>
                        <label class="btn">"Restore a backup…"
                            <input type="file" class="file-input" aria-label="Restore a backup" accept=".zip,application/zip" on:change=restore_input/>
                        </label>
                    </div>
                </div>
            </Show>
        </div>
    }
}

/// New's chooser: a blank workflow, the example, or a palette pattern.
#[component]
pub fn NewDialog(open: RwSignal<bool>) -> impl IntoView {
    let docs: Docs = expect_context();
    view! {
        <Show when=move || open.get()>
            <div class="dialog-backdrop" on:click=move |_| open.set(false)>
                <div class="dialog new-doc" role="dialog" aria-label="New document" on:click=|e| e.stop_propagation()>
                    <super::app::ReturnFocus/>
                    <h2>"New document"</h2>
                    <p class="hint">"The document open now stays in the Documents list."</p>
                    <div class="new-choices">
                        {Start::all().into_iter().map(|start| view! {
                            <button class="btn" on:click=move |_| { open.set(false); docs.create(start.document(), "New workflow"); }>{start.label()}</button>
                        }).collect_view()}
                    </div>
                    <div class="inspector-actions"><button class="btn" on:click=move |_| open.set(false)>"Cancel"</button></div>
                </div>
            </div>
        </Show>
    }
}

/// The bars above the canvas: a save that failed (what happened and what to do), and another
/// tab's save of the document edited here (both versions, the user's choice).
#[component]
pub fn WorkspaceBars() -> impl IntoView {
    let docs: Docs = expect_context();
    let editor = docs.editor;
    let conflict = move || docs.workspace.with(|w| matches!(w.state(), SyncState::Conflict { .. }));
    let choose = move |choice: Choice| {
        let step = editor.session.with_untracked(|s| docs.workspace.try_update_untracked(|w| w.resolve(choice, &s.doc, now())));
        if let Some(step) = step {
            docs.run(step);
            docs.save();
        }
    };
    view! {
        {move || docs.save_error.get().map(|why| view! {
            <div class="ws-bar error" role="alert">
                <span>{format!("Not saved: {why}. Your work is still here in this tab. Download a backup now; then free some space (or close other tabs) and try again.")}</span>
                <button class="btn" on:click=move |_| docs.download_backup_later()>"Download backup"</button>
                <button class="btn" on:click=move |_| docs.retry()>"Try again"</button>
            </div>
        })}
        <Show when=conflict>
            <div class="ws-bar conflict" role="alert">
                <span>{move || format!("Another tab saved “{}” while you were editing it here. Both versions are kept until you choose:", editor.session.with(|s| s.doc.name().to_string()))}</span>
                <button class="btn" title="This tab's version becomes a new document" on:click=move |_| choose(Choice::KeepBoth)>"Keep both"</button>
                <button class="btn" title="Write this tab's version over the other tab's" on:click=move |_| choose(Choice::KeepMine)>"Keep mine"</button>
                <button class="btn" title="Drop this tab's edits" on:click=move |_| choose(Choice::TakeTheirs)>"Take theirs"</button>
            </div>
        </Show>
    }
}
