//! The Amazon States Language: reading a definition with positions, the typed model, the
//! validator, AWS's JSONPath dialect and intrinsic functions, the integrations a Task can name,
//! and the interpreter. No UI, no wall clock, no I/O.
//!
//! Layers, bottom up: [`error`] (the ASL error names) and the language (json, model, lower,
//! path, intrinsic, jsonata, integrations, validate, history, clock), which never import the
//! interpreter; then [`interp`], whose plug ([`interp::plug`]) concrete handlers implement from
//! above (`crate::handlers`); then [`conformance`] and [`bench`], which run it.

pub mod bench;
pub mod clock;
pub mod conformance;
pub mod diag;
pub mod error;
pub mod fnv;
pub mod history;
pub mod integrations;
pub mod interp;
pub mod intrinsic;
pub mod json;
pub mod jsonata;
pub mod lower;
pub mod model;
pub mod path;
pub mod python;
pub mod sort;
pub mod validate;
pub mod value;
pub mod walk;
