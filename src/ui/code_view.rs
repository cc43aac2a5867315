//! The bridge to the code editor: `window.StatecraftCM`, CodeMirror 6 bundled from
//! `web/codemirror/entry.js` (loaded by index.html before the wasm). Offsets are UTF-16 units,
//! as JavaScript counts ([`crate::editor::sync::utf16_offset`] converts).

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

    /// Highlights the lines of `from..to` and scrolls to them; `from < 0` clears.
    #[wasm_bindgen(method)]
    pub fn highlight(this: &CodeView, from: i32, to: i32);
}

/// A code editor in `parent` holding `text`, calling `on_change` with the whole text after each
/// edit the user makes; `None` when the bundle did not load (the pane falls back to a textarea).
pub fn create(parent: &web_sys::Element, text: &str, on_change: impl FnMut(String) + 'static) -> Option<CodeView> {
    let callback = Closure::<dyn FnMut(String)>::new(on_change).into_js_value();
    create_view(parent, text, &callback).ok()
}
