//! The layering rules, read from the sources:
//! - `asl`, `catalogue`, `handlers`, `editor`, `export`, `seed` and `sim` compile and test
//!   natively, so they never import the browser or UI crates;
//! - the interpreter's plug-in boundary: `asl` (the interpreter included) never imports a
//!   concrete task handler (`crate::handlers`, above it) nor any other layer above it; handlers
//!   plug in through `asl::interp::plug`;
//! - below the interpreter (errors, JSON, paths, intrinsics, JSONata, model, lowering,
//!   validation, clock, history) nothing imports the interpreter;
//! - every module starts with a `//!` saying what it owns;
//! - the canvas and the Run drawer are wiring (their logic is `editor::gesture`'s and
//!   `sim::live`'s), so `ui/canvas.rs` and `ui/run_panel.rs` stay under 200 lines.

use std::path::{Path, PathBuf};

const PURE_LAYERS: [&str; 8] = ["src/asl", "src/catalogue", "src/handlers", "src/editor", "src/export", "src/formats", "src/seed", "src/sim"];
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

/// The layers above `asl`: the language and its interpreter import none of them.
const ABOVE_ASL: [&str; 7] = ["catalogue", "handlers", "sim", "editor", "export", "seed", "ui"];

/// The parts of `asl` below the interpreter: none of them imports `asl::interp`.
const BELOW_INTERP: [&str; 15] = [
    "error.rs", "fnv.rs", "sort.rs", "diag.rs", "clock.rs", "history.rs", "integrations.rs", "lower.rs", "json", "model", "path", "intrinsic", "jsonata",
    "validate", "walk.rs",
];

/// The 1-based lines of `source` (comments ignored) that name a module path starting with one of
/// `roots` (`crate::handlers::`, `statecraft::sim::`, `use crate::{handlers, ...}` ...).
fn imports_of(source: &str, roots: &[&str]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (i, line) in source.lines().enumerate() {
        let code = line.split("//").next().unwrap_or("");
        for root in roots {
            for prefix in ["crate::", "statecraft::", "crate::asl::", "super::super::"] {
                let qualified = format!("{prefix}{root}");
                let named = code.match_indices(&qualified).any(|(at, _)| {
                    let rest = &code[at + qualified.len()..];
                    let before_ok = at == 0 || !code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                    before_ok && (rest.starts_with("::") || rest.starts_with(';') || rest.starts_with(" as") || rest.starts_with(',') || rest.starts_with('}'))
                });
                let grouped = code.contains(&format!("{prefix}{{")) && code.split(&format!("{prefix}{{")).nth(1).is_some_and(|g| {
                    g.split('}').next().unwrap_or("").split(',').any(|item| item.trim().split("::").next() == Some(*root))
                });
                if named || grouped {
                    found.push((i + 1, format!("{prefix}{root}")));
                }
            }
        }
    }
    found
}

fn violations(root: &Path, dir: &str, skip: impl Fn(&Path) -> bool, roots: &[&str]) -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&root.join(dir), &mut files);
    let mut out = Vec::new();
    for file in files.iter().filter(|f| !skip(f)) {
        let source = std::fs::read_to_string(file).unwrap();
        for (line, what) in imports_of(&source, roots) {
            out.push(format!("{}:{line}: imports {what}", file.strip_prefix(root).unwrap().display()));
        }
    }
    out
}

#[test]
fn asl_and_its_interpreter_import_no_concrete_handler_nor_any_layer_above() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let found = violations(root, "src/asl", |_| false, &ABOVE_ASL);
    assert!(found.is_empty(), "asl imports a layer above it (handlers plug in through asl::interp::plug):\n{}", found.join("\n"));
    assert!(root.join("src/asl/interp/plug.rs").exists(), "the interpreter's plug is src/asl/interp/plug.rs");
}

#[test]
fn nothing_below_the_interpreter_imports_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for part in BELOW_INTERP {
        let path = root.join("src/asl").join(part);
        assert!(path.exists(), "{} is gone: update BELOW_INTERP", path.display());
        if path.is_dir() {
            found.extend(violations(root, &format!("src/asl/{part}"), |_| false, &["interp"]));
        } else {
            let source = std::fs::read_to_string(&path).unwrap();
            found.extend(imports_of(&source, &["interp"]).into_iter().map(|(line, what)| format!("src/asl/{part}:{line}: imports {what}")));
        }
    }
    assert!(found.is_empty(), "a part of asl below the interpreter imports it:\n{}", found.join("\n"));
}

#[test]
fn the_import_scanner_sees_each_form() {
    let caught = |s: &str| !imports_of(s, &["handlers"]).is_empty();
    assert!(caught("use crate::handlers::seed;"));
    assert!(caught("use crate::handlers;"));
    assert!(caught("    let r = crate::handlers::seed_registry();"));
    assert!(caught("use crate::{asl, handlers::Echo};"));
    assert!(caught("use statecraft::handlers::Echo;"));
    assert!(!caught("// crate::handlers::seed is only mentioned"));
    assert!(!caught("use crate::asl::interp::plug::HandlerRegistry;"));
    assert!(!caught("use crate::my_handlers::X;"));
    let interp = |s: &str| !imports_of(s, &["interp"]).is_empty();
    assert!(interp("use crate::asl::interp::StatesError;"));
    assert!(interp("use crate::asl::{interp, path};"));
    assert!(!interp("use crate::asl::error::StatesError;"));
}

#[test]
fn every_module_starts_with_a_doc_comment_saying_what_it_owns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    assert!(files.len() > 100, "expected the crate's sources, found {}", files.len());
    let undocumented: Vec<String> = files
        .iter()
        .filter(|file| !std::fs::read_to_string(file).unwrap().trim_start().starts_with("//!"))
        .map(|file| file.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert!(undocumented.is_empty(), "modules without a leading //! line:\n{}", undocumented.join("\n"));
}

#[test]
fn the_canvas_and_the_run_drawer_stay_wiring() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["src/ui/canvas.rs", "src/ui/run_panel.rs"] {
        let lines = std::fs::read_to_string(root.join(file)).unwrap().lines().count();
        assert!(lines < 200, "{file} has {lines} lines: its logic belongs in a native module (editor::gesture, sim::live)");
    }
}
