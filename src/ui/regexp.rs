//! The page's engine for JSONPath filter patterns (`=~ /…/`, `asl::path::pattern`): the browser's
//! own ECMAScript `RegExp`. The page parses paths to validate them and never runs a state machine,
//! so it only needs a pattern's syntax checked; the browser does that exactly as ECMAScript says,
//! and the page's module carries no regex engine or Unicode tables of its own (the engine worker
//! and the CLI use `pattern::backtracking`).

use std::sync::Arc;

use crate::asl::path::pattern::Matcher;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// ECMAScript's `RegExp`; its constructor throws a `SyntaxError` on a pattern it does not accept.
    type RegExp;
    #[wasm_bindgen(constructor, catch)]
    fn new(source: &str, flags: &str) -> Result<RegExp, JsValue>;
    #[wasm_bindgen(method)]
    fn test(this: &RegExp, text: &str) -> bool;
}

/// A pattern the browser accepted. It keeps its text, not the `RegExp` (a JS object is tied to
/// the page's thread), and builds the `RegExp` again when asked to match, which the page never does
/// in practice. Unlike the worker's engine, a match here is not interruptible.
struct Browser {
    source: String,
    flags: String,
}

impl Matcher for Browser {
    fn matches(&self, text: &str) -> bool {
        RegExp::new(&self.source, &self.flags).is_ok_and(|re| re.test(text))
    }
}

/// Compiles `source` with ECMAScript `flags` in the browser: an `asl::path::pattern::Engine`.
pub fn engine(source: &str, flags: &str) -> Result<Arc<dyn Matcher>, String> {
    match RegExp::new(source, flags) {
        Ok(_) => Ok(Arc::new(Browser { source: source.to_string(), flags: flags.to_string() })),
        Err(thrown) => Err(reason(&thrown)),
    }
}

/// What a thrown `SyntaxError` says, without the pattern it repeats: Chromium's message is
/// "Invalid regular expression: /SOURCE/FLAGS: REASON", and SOURCE is the anchored form the
/// user did not write.
fn reason(thrown: &JsValue) -> String {
    let message = thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .unwrap_or_else(|| "the browser did not accept it".to_string());
    match message.rsplit_once(": ") {
        Some((_, reason)) if message.starts_with("Invalid regular expression") => reason.to_string(),
        _ => message,
    }
}
