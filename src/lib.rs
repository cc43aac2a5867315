//! Statecraft: design, simulate and export AWS Step Functions state machines, offline.
//!
//! The code map (the README's Architecture section says more):
//!
//! - [`asl`]: the Amazon States Language and its interpreter. No UI, no wall clock, no I/O.
//! - [`handlers`]: the concrete simulated task handlers, plugged into the interpreter's
//!   [`asl::interp::plug`]; `asl` never imports them.
//! - [`editor`]: pure editor logic: the document being edited, changes, undo, graph, layout.
//! - [`export`]: the ASL JSON and the deploy scripts generated from a document.
//! - [`seed`]: the user's order-processing scenario, embedded verbatim.
//! - [`sim`]: the simulator's logic: scenarios, handler choices, run model, batches, coverage, cost.
//! - [`ui`]: Leptos components, a thin layer that reads the editor and dispatches to it.
//!
//! `asl`, `handlers`, `editor`, `export`, `seed` and `sim` never import leptos, web-sys, wasm-bindgen, js-sys or
//! gloo; `tests/architecture.rs` holds that line.

pub mod asl;
pub mod editor;
pub mod export;
pub mod handlers;
pub mod seed;
pub mod sim;
pub mod ui;
