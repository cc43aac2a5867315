//! The layering rule: `asl`, `catalogue`, `editor`, `export` and `seed` compile and test natively, so they never
//! import the browser or UI crates. This test reads their sources and fails on any such import.

use std::path::{Path, PathBuf};

const PURE_LAYERS: [&str; 6] = ["src/asl", "src/catalogue", "src/editor", "src/export", "src/seed", "src/sim"];
const FORBIDDEN: [&str; 5] = ["leptos", "web_sys", "wasm_bindgen", "js_sys", "gloo"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every use of a forbidden crate as a path root (`leptos::`, `use web_sys`, `extern crate gloo`,
/// `gloo_timers::`, `#[wasm_bindgen]`), with its 1-based line. Comments are ignored.
fn forbidden_uses(source: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        let trimmed = code.trim_start();
        let is_import = trimmed.starts_with("use ") || trimmed.starts_with("pub use ") || trimmed.contains("extern crate");
        let mut idents = code.char_indices().peekable();
        while let Some((start, c)) = idents.next() {
            if !(c.is_alphanumeric() || c == '_') {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(j, d)) = idents.peek() {
                if !(d.is_alphanumeric() || d == '_') {
                    break;
                }
                end = j + d.len_utf8();
                idents.next();
            }
            let ident = &code[start..end];
            let forbidden = FORBIDDEN.contains(&ident) || ident.starts_with("gloo_");
            let is_path_root = code[end..].trim_start().starts_with("::");
            let is_attribute = code[..start].trim_end().ends_with("#[");
            if forbidden && (is_import || is_path_root || is_attribute) {
                found.push((i + 1, ident.to_string()));
            }
        }
    }
    found
}

#[test]
fn pure_layers_import_no_ui_or_browser_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for layer in PURE_LAYERS {
        rust_files(&root.join(layer), &mut files);
    }
    assert!(files.len() >= 4, "expected the pure layers' sources, found {files:?}");
    let mut violations = Vec::new();
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        for (line, krate) in forbidden_uses(&source) {
            violations.push(format!("{}:{line}: imports {krate}", file.strip_prefix(root).unwrap().display()));
        }
    }
    assert!(violations.is_empty(), "UI/browser crates imported by a pure layer:\n{}", violations.join("\n"));
}

#[test]
fn the_scanner_catches_each_form_of_import() {
    let caught = |s: &str| !forbidden_uses(s).is_empty();
    assert!(caught("use leptos::prelude::*;"));
    assert!(caught("    let w = web_sys::window();"));
    assert!(caught("use wasm_bindgen::JsCast;"));
    assert!(caught("use js_sys::Date;"));
    assert!(caught("use gloo_timers::future::sleep;"));
    assert!(caught("use gloo::storage;"));
    assert!(caught("extern crate leptos;"));
    assert!(caught("#[wasm_bindgen]"));
    assert!(caught("use {serde, leptos};"));
    assert!(!caught("// leptos::view! is only mentioned in a comment"));
    assert!(!caught("let myleptos = 1; let web_sys_like = 2;"));
    assert!(!caught("/// the UI uses leptos, not this module"));
}
