//! Succeed: InputPath then OutputPath, and the branch ends successfully.

use super::{Flow, context_for, site};
use crate::asl::interp::pipeline;
use crate::asl::interp::program::CompiledState;
use crate::asl::interp::{Execution, FiberId, StatesError};

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &context, site)?;
    let output = pipeline::select(&state.output_path, &effective, &context, site)?;
    Ok(Flow::Leave { output, next: None })
}
