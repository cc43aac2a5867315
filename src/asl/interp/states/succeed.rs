//! Succeed: InputPath then OutputPath (JSONata: Output), and the branch ends successfully.

use super::{Flow, context_for, jsonata_value, site, variables};
use crate::asl::interp::pipeline::{self, Refs};
use crate::asl::interp::program::CompiledState;
use crate::asl::interp::{Execution, FiberId, StatesError};
use crate::asl::model::QueryLanguage;
use crate::asl::value::Payload;

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState) -> Result<Flow, StatesError> {
    let raw = exec.fiber(fid).input.clone();
    if state.query_language == QueryLanguage::Jsonata {
        let output = match &state.output {
            Some(template) => Payload::new(jsonata_value(exec, fid, state, template, "Output", &raw, None, None)?),
            None => raw,
        };
        return Ok(Flow::Leave { output, next: None });
    }
    let context = context_for(exec, fid, state);
    let vars = variables(exec, fid);
    let refs = Refs { context: &context, variables: &vars };
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &refs, site)?;
    let output = pipeline::select(&state.output_path, &effective, &refs, site)?;
    Ok(Flow::Leave { output, next: None })
}
