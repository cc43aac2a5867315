//! The Leptos user interface: a thin layer that reads the editor's state and dispatches to it.
//! It decides nothing; the logic lives in `editor`, `asl` and `export`.

mod app;
mod canvas;
mod canvas_controls;
mod canvas_world;
mod canvas_node;
mod canvas_overview;
mod canvas_reveal;
mod canvas_size;
mod code_pane;
mod code_view;
mod context;
mod diagnostics;
mod documents;
mod engine;
mod export_panel;
mod inspector;
pub mod lazy;
mod minimap;
mod palette;
mod regexp;
mod rename;
mod scene;
mod run_batch;
mod run_suite;
mod run_ctx;
mod run_drawer;
mod run_handlers;
mod run_inspect;
mod run_panel;
mod run_scenario;
mod run_stores;
mod run_timeline;
mod service_files;
mod shortcuts;
mod sim_view;
mod store;
mod template_panel;
mod splitter;
mod toolbar;
mod workspace;

pub use app::{App, start};
pub use workspace::{Loaded, load};
