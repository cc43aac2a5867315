//! The bridge to the code editor: `window.StatecraftCM`, CodeMirror 6 bundled from
//! `web/codemirror/entry.js`. index.html names the bundle but does not run it: [`load`] starts it
//! after the first paint, so the canvas is drawn without waiting for 120 KB of script (issue #18).
//! Offsets are UTF-16 units, as JavaScript counts ([`crate::editor::sync::utf16_offset`] converts).

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// One code editor on the page.
    pub type CodeView;

    #[wasm_bindgen(catch, js_namespace = StatecraftCM, js_name = create)]
    fn create_view(parent: &web_sys::Element, text: &str, on_change: &JsValue) -> Result<CodeView, JsValue>;

    /// Replaces the text as the smallest change (the cursor and folds stay); not reported back.
    #[wasm_bindgen(method, js_name = setText)]
    pub fn set_text(this: &CodeView, text: &str);

    /// The squiggles: JSON `[[from, to, "error"|"warning", message], ...]`.
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    pub fn set_diagnostics(this: &CodeView, list: &str);

    /// Selects `from..to`, scrolls to it and focuses the editor.
    #[wasm_bindgen(method)]
    pub fn select(this: &CodeView, from: u32, to: u32);

    /// Wraps long lines, or not.
    #[wasm_bindgen(method, js_name = setWrap)]
    pub fn set_wrap(this: &CodeView, on: bool);

    /// Highlights the lines of `from..to` and scrolls them in, `reveal` (the state's name) in
    /// view; `from < 0` clears.
    #[wasm_bindgen(method)]
    pub fn highlight(this: &CodeView, from: i32, to: i32, reveal: i32);
}

/// A code editor in `parent` holding `text`, calling `on_change` with the whole text after each
/// edit the user makes; `None` when the bundle did not load (the pane falls back to a textarea).
pub fn create(parent: &web_sys::Element, text: &str, on_change: impl FnMut(String) + 'static) -> Option<CodeView> {
    let callback = Closure::<dyn FnMut(String)>::new(on_change).into_js_value();
    create_view(parent, text, &callback).ok()
}

/// Starts the code editor's bundle, which index.html carries as an inert script
/// (`#codemirror-bundle`, a type the browser does not run, so the first paint does not wait
/// for it), and calls `done(true)` once `window.StatecraftCM` is there; `done(false)` when the
/// page carries no bundle (the wasm tests) or it failed to load. Already there: at once.
pub fn load(done: impl FnOnce(bool) + 'static) {
    let Some(window) = web_sys::window() else { return done(false) };
    if js_sys::Reflect::has(&window, &JsValue::from_str("StatecraftCM")).unwrap_or(false) {
        return done(true);
    }
    let Some(document) = window.document() else { return done(false) };
    let inert = document.get_element_by_id(BUNDLE_ID);
    let Some(src) = inert.as_ref().and_then(|e| e.get_attribute("src")) else { return done(false) };
    let Ok(script) = document.create_element("script") else { return done(false) };
    let _ = script.set_attribute("src", &src);
    if let Some(integrity) = inert.as_ref().and_then(|e| e.get_attribute("integrity")) {
        let _ = script.set_attribute("integrity", &integrity);
    }
    // One of the two events comes; whichever does answers, the other finds `done` taken.
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(Box::new(done) as Box<dyn FnOnce(bool)>)));
    for (event, loaded) in [("load", true), ("error", false)] {
        let done = done.clone();
        let heard = Closure::once_into_js(move || {
            if let Some(done) = done.take() {
                done(loaded);
            }
        });
        let _ = script.add_event_listener_with_callback(event, heard.unchecked_ref());
    }
    let appended = document.body().map(|b| b.append_child(&script).is_ok()).unwrap_or(false);
    if !appended {
        if let Some(done) = done.take() {
            done(false);
        }
    }
}

/// The id of index.html's inert script that names the bundle (its hashed file name).
const BUNDLE_ID: &str = "codemirror-bundle";
