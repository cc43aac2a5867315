//! The Amazon States Language: reading a definition with positions, the typed model, the
//! validator, AWS's JSONPath dialect and intrinsic functions, and the interpreter.
//! No UI, no wall clock, no I/O.

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
pub mod validate;
