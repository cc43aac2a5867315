//! Statecraft: design, simulate and export AWS Step Functions state machines, offline.
//!
//! The code map (the README's Architecture section says more):
//!
//! - [`asl`]: the Amazon States Language and its interpreter. No UI, no wall clock, no I/O.
//! - [`catalogue`]: the AWS APIs a Task can call (inputs, outputs, errors, IAM actions), from
//!   AWS's API models; example responses and request checks.
//! - [`handlers`]: the concrete simulated task handlers, plugged into the interpreter's
//!   [`asl::interp::plug`]; `asl` never imports them.
//! - [`editor`]: pure editor logic: the document being edited, changes, undo, graph, layout.
//! - [`export`]: the ASL JSON and the deploy scripts generated from a document.
//! - [`formats`]: the files workflows live in (SAM, CloudFormation, CDK output, Terraform, ASL
//!   YAML): which state machines a file holds, each definition with its placeholders, saved back.
//! - [`seed`]: the user's order-processing scenario, embedded verbatim.
//! - [`sim`]: the simulator's logic: scenarios, handler choices, run model, batches, coverage, cost.
//! - [`ui`]: Leptos components, a thin layer that reads the editor and dispatches to it.
//!
//! `asl`, `catalogue`, `handlers`, `editor`, `export`, `formats`, `seed` and `sim` never import leptos,
//! web-sys, wasm-bindgen, js-sys or gloo; `tests/architecture.rs` holds that line.

pub mod asl;
pub mod catalogue;
pub mod editor;
pub mod export;
pub mod formats;
pub mod handlers;
pub mod seed;
pub mod sim;
pub mod ui;
