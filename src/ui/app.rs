//! The app: top bar, palette, canvas, inspector, code and diagnostics, with splitters between
//! them (`splitter`); the global shortcuts and autosave into the workspace (`workspace`,
//! `store`); Escape closing the dialog on top, and the focus given back to what opened a dialog
//! when it closes ([`ReturnFocus`]). [`start`] loads the workspace, then mounts.

use super::canvas::Canvas;
use super::code_pane::CodePane;
use super::context::Editor;
use super::diagnostics::Diagnostics;
use super::lazy::{INSPECTOR_PART, failed_note};
use super::palette::Palette;
use super::run_drawer::RunDrawer;
use super::sim_view::SimView;
use super::shortcuts::Shortcuts;
use super::splitter::SplitterBar;
use super::toolbar::Toolbar;
use super::workspace::{Docs, Loaded, WorkspaceBars};
use crate::editor::panes::Splitter;
use crate::editor::edit;
use leptos::prelude::*;

/// Reads the workspace from storage, then mounts the app on the page's body.
pub fn start() {
    crate::asl::path::pattern::use_engine(super::regexp::engine);
    super::workspace::load(|loaded| leptos::mount::mount_to_body(move || view! { <App loaded/> }));
}


/// How long typing pauses before the whole text is read again for the service files it uses and
/// the request checks.
const QUIET_MS: u64 = 250;

#[component]
pub fn App(loaded: Loaded) -> impl IntoView {
    // JSONPath filter patterns are checked by the browser's RegExp (no regex engine in the page).
    crate::asl::path::pattern::use_engine(super::regexp::engine);
    let editor = Editor::new(loaded.doc.clone());
    provide_context(editor);
    let docs = Docs::new(editor, loaded);
    provide_context(docs);
    let sim = SimView::new();
    provide_context(sim);
    let panes = super::splitter::Panes::install();
    // The service files the document uses, fetched the first time it uses each.
    let files = super::service_files::ServiceFiles::new();
    provide_context(files);
    // The engine worker starts once the canvas has been drawn: it is not on the first paint's path.
    let engine = super::engine::Engine::new();
    provide_context(engine);
    // So do the parts of the page's own wasm that the first paint does not show (`lazy`).
    request_animation_frame(move || set_timeout(move || { engine.start(); super::lazy::preload() }, std::time::Duration::ZERO));
    // Both read the text again, so they follow the text alone: a move, a drag or a selection
    // does not parse a big definition again.
    let text = Memo::new(move |_| editor.session.with(|s| s.doc.text().to_string()));
    let check_requests = Trigger::new();
    // The service files the text uses and the request checks read the whole text again, so they
    // wait until typing pauses (`QUIET_MS`): a burst reads it once, and no keystroke's frame (nor
    // the one after) carries them. Until then the request checks of the older text are not shown
    // (they are kept with the text they are of). A Run or a suite clicked before the pause asks
    // for the files its definition needs itself, and waits for them
    // (`ServiceFiles::when_loaded`).
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        text.track();
        let mine = generation.get_value() + 1;
        generation.set_value(mine);
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    text.with_untracked(|t| files.need_definition(t));
                    check_requests.notify();
                }
            },
            std::time::Duration::from_millis(QUIET_MS),
        );
    });
    // Each Task's request checked against its operation's input, once the service's file is here
    // (with no file here yet there is nothing to check against, and the text is not read).
    Effect::new(move |_| {
        check_requests.track();
        let any = files.any_loaded();
        let text = text.get_untracked();
        if !any && editor.requests.with_untracked(|(_, found)| found.is_empty()) {
            return;
        }
        let found = if any { crate::catalogue::requests::request_diagnostics(&text, &files.catalogue()) } else { Vec::new() };
        editor.requests.set((text, found));
    });

    // Autosave after every edit (Effect: the one place the app asks the workspace to save), at
    // most once per 150 ms: a change after a pause is saved once it is painted, a burst (typing)
    // every 150 ms, and whatever is pending when the page goes away. A drag changes the document
    // once, at the drop. Opening a document is no edit (`Docs::session_changed`).
    let pending = StoredValue::new(false);
    let last = StoredValue::new(f64::NEG_INFINITY);
    let save = move || {
        if pending.get_value() {
            pending.set_value(false);
            last.set_value(super::context::now_ms());
            docs.save();
        }
    };
    Effect::new(move |first: Option<()>| {
        editor.session.track();
        if first.is_some() && docs.session_changed() && !pending.get_value() {
            pending.set_value(true);
            let wait = last.get_value() + 150.0 - super::context::now_ms();
            if wait > 0.0 {
                set_timeout(save, std::time::Duration::from_millis(wait as u64));
            } else {
                request_animation_frame(move || set_timeout(save, std::time::Duration::ZERO));
            }
        }
    });
    let hide = window_event_listener(leptos::ev::pagehide, move |_| save());
    on_cleanup(move || hide.remove());

    super::documents::install(editor, docs, engine);
    let keys = window_event_listener(leptos::ev::keydown, move |e: web_sys::KeyboardEvent| on_key(editor, e));
    on_cleanup(move || keys.remove());

    view! {
        <div class="app" data-testid="app" style=move || panes.sizes.with(|s| s.css_vars())>
            <Toolbar/>
            <WorkspaceBars/>
            <super::engine::EngineDown/>
            <main class="workspace">
                <Palette/>
                <SplitterBar which=Splitter::Palette/>
                // The drawer takes its height from the canvas, which shrinks (it is never covered).
                <div class="center">
                    <Canvas/>
                    {move || sim.open.get().then(|| view! { <SplitterBar which=Splitter::Drawer/> })}
                    <RunDrawer/>
                </div>
                <SplitterBar which=Splitter::Side/>
                <aside class="side">
                    // The inspector's code loads after the first paint (`lazy`): its place is
                    // kept by an empty panel until then.
                    {move || match INSPECTOR_PART.get() {
                        Some(part) => (part.inspector)(),
                        None => view! { <section class="panel inspector" aria-label="Inspector">{move || INSPECTOR_PART.failed().then(failed_note)}</section> }.into_any(),
                    }}
                    <SplitterBar which=Splitter::Inspector/>
                    <CodePane/>
                    <Diagnostics/>
                </aside>
            </main>
            <Shortcuts/>
        </div>
    }
}

thread_local! {
    /// The element that had the focus when each open dialog opened, by the dialog's number.
    static OPENERS: std::cell::RefCell<std::collections::BTreeMap<u64, web_sys::HtmlElement>> = Default::default();
    static NEXT_OPENER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Put inside a dialog: what had the focus when it opened (the button that opened it) gets the
/// focus back when it closes, unless the focus has gone elsewhere on the page meanwhile (it is
/// in the dialog going away, or nowhere) or that element has left the page.
#[component]
pub fn ReturnFocus() -> impl IntoView {
    use wasm_bindgen::JsCast;
    let document = web_sys::window().and_then(|w| w.document());
    let opener = document.as_ref().and_then(|d| d.active_element()).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let body = document.as_ref().and_then(|d| d.body());
    if let Some(opener) = opener.filter(|o| Some(o) != body.as_ref()) {
        let id = NEXT_OPENER.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        OPENERS.with(|o| o.borrow_mut().insert(id, opener));
        on_cleanup(move || {
            let Some(opener) = OPENERS.with(|o| o.borrow_mut().remove(&id)) else { return };
            let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
            let lost = match document.active_element() {
                None => true,
                Some(active) => Some(&active) == document.body().as_ref().map(|b| b.as_ref()) || active.closest("[role=dialog]").ok().flatten().is_some(),
            };
            if lost && opener.is_connected() {
                let _ = opener.focus();
            }
        });
    }
}

/// Closes the dialog on top, if one is open, by a click on its backdrop (every dialog closes on
/// one: `.dialog-backdrop`). Whether there was one.
fn close_top_dialog() -> bool {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(all) = document.query_selector_all(".dialog-backdrop") else { return false };
    let Some(top) = all.item(all.length().saturating_sub(1)).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    top.click();
    true
}

/// Whether the key event comes from where text is typed (fields and the code editor).
fn in_field(e: &web_sys::KeyboardEvent) -> bool {
    super::documents::in_text(e.target())
}

fn on_key(editor: Editor, e: web_sys::KeyboardEvent) {
    let ctrl = e.ctrl_key() || e.meta_key();
    let key = e.key();
    // Undo and redo are the document's everywhere, the code pane included.
    if ctrl && (key == "z" || key == "Z") {
        e.prevent_default();
        if e.shift_key() { editor.redo() } else { editor.undo() }
        return;
    }
    if ctrl && (key == "y" || key == "Y") {
        e.prevent_default();
        editor.redo();
        return;
    }
    // Escape closes the dialog on top, as a click on its backdrop does, wherever the focus is
    // (on the button that opened it, in one of its fields).
    if key == "Escape" && !e.default_prevented() && close_top_dialog() {
        e.prevent_default();
        return;
    }
    if in_field(&e) {
        return;
    }
    let selection = editor.selection();
    match key.as_str() {
        "Delete" | "Backspace" => {
            if !selection.is_empty() {
                e.prevent_default();
                let (change, label) = match selection.as_slice() {
                    [r] => (editor.session.with_untracked(|s| edit::delete(&s.doc, r)), "Delete state"),
                    many => (editor.session.with_untracked(|s| edit::delete_all(&s.doc, many)), "Delete states"),
                };
                if editor.perform(change, label) {
                    editor.select(None);
                }
            }
        }
        "d" | "D" if ctrl => {
            e.prevent_default();
            match selection.as_slice() {
                [] => {}
                [r] => {
                    let made = editor.session.with_untracked(|s| edit::duplicate(&s.doc, r));
                    if let Ok((change, name)) = made {
                        if editor.perform(Ok(change), "Duplicate state") {
                            editor.select(Some(crate::editor::scope::StateRef { scope: r.scope.clone(), name }));
                        }
                    }
                }
                // Several: as copying and pasting them, so the transitions among them follow.
                many => {
                    let made = editor.session.with_untracked(|s| crate::editor::clipboard::duplicate_all(&s.doc, many));
                    if let Ok((change, names)) = made {
                        if editor.perform(Ok(change), "Duplicate states") {
                            editor.select_many(&many[0].scope, names);
                        }
                    }
                }
            }
        }
        "f" | "F" if !ctrl => editor.fit_request.update(|n| *n += 1),
        "Escape" => {
            editor.select(None);
            editor.show_shortcuts.set(false);
            // A drag in progress is dropped where it started.
            editor.gesture.set(None);
            editor.scene.end_preview();
        }
        "?" => editor.show_shortcuts.update(|v| *v = !*v),
        _ => {}
    }
}
