//! The Amazon States Language: reading a definition with positions, and (in later modules) the
//! typed model, the validator and the interpreter. No UI, no wall clock, no I/O.

pub mod json;
