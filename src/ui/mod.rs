//! The Leptos user interface: a thin layer that reads the editor's state and dispatches to it.
//! It decides nothing; the logic lives in `editor`, `asl` and `export`.

mod app;
mod code_pane;
mod outline;

pub use app::App;
