//! Pass: the effective input, or `Result`, as the result.

use std::sync::Arc;

use serde_json::Value;

use super::{Flow, context_for, site};
use crate::asl::interp::pipeline;
use crate::asl::interp::program::CompiledState;
use crate::asl::interp::{Execution, FiberId, StatesError};

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, result: Option<&Arc<Value>>) -> Result<Flow, StatesError> {
    if let Some(result) = result {
        // InputPath still runs (and can fail) even though Result replaces its value.
        if !matches!(state.input_path, crate::asl::interp::program::IoPath::Whole) {
            let context = context_for(exec, fid, state);
            let raw = exec.fiber(fid).input.clone();
            pipeline::select(&state.input_path, &raw, &context, site(exec, fid, state))?;
        }
        return Ok(Flow::Result(result.clone()));
    }
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    pipeline::effective_input(state, &raw, &context, &mut exec.rng, site).map(Flow::Result)
}
