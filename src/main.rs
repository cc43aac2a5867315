//! The web app's entry point: installs the panic hook and the metering allocator, the split
//! points of the page's wasm (the parts loaded after the first paint, `ui::lazy`), and starts
//! the app (it mounts once the workspace is read). Nothing else.

/// Rust's allocator, metered: a JSONata expression that would exhaust the tab's memory fails with
/// its budget named instead (`asl::jsonata::budget`).
#[global_allocator]
static GLOBAL: statecraft::asl::jsonata::Metered<std::alloc::System> = statecraft::asl::jsonata::Metered(std::alloc::System);

use statecraft::ui::lazy::{self, DialogsPart, InspectorPart, RunPart, SplitLoaderError};
use leptos::wasm_split::wasm_split;

// The split points: scripts/wasm-split.mjs cuts what only each reaches into a module of its own
// (README, "The page's wasm in parts"). Here, not in the library, so that only this binary
// links them (`fallible`: a module that does not load is an `Err`, not an abort).

#[wasm_split(___inspector___, wasm_split_path = ::leptos::wasm_split, fallible)]
fn inspector_part() -> Result<InspectorPart, SplitLoaderError> {
    Ok(lazy::inspector_views())
}

#[wasm_split(___run___, wasm_split_path = ::leptos::wasm_split, fallible)]
fn run_part() -> Result<RunPart, SplitLoaderError> {
    Ok(lazy::run_views())
}

#[wasm_split(___dialogs___, wasm_split_path = ::leptos::wasm_split, fallible)]
fn dialogs_part() -> Result<DialogsPart, SplitLoaderError> {
    Ok(lazy::dialogs_views())
}

fn main() {
    console_error_panic_hook::set_once();
    lazy::install(lazy::Loaders {
        inspector: || Box::pin(inspector_part()),
        run: || Box::pin(run_part()),
        dialogs: || Box::pin(dialogs_part()),
    });
    statecraft::ui::start();
}
