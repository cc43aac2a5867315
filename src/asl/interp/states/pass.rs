//! Pass: the effective input, or `Result`, as the result (JSONata: the input, which Output may
//! reshape).

use super::{Flow, action_input, context_for, site, variables};
use crate::asl::interp::pipeline::{self, Refs};
use crate::asl::interp::program::{CompiledState, IoPath};
use crate::asl::interp::{Execution, FiberId, StatesError};
use crate::asl::model::QueryLanguage;
use crate::asl::value::Payload;

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, result: Option<&Payload>) -> Result<Flow, StatesError> {
    if let Some(result) = result {
        // InputPath still runs (and can fail) even though Result replaces its value.
        if state.query_language == QueryLanguage::JsonPath && !matches!(state.input_path, IoPath::Whole) {
            let context = context_for(exec, fid, state);
            let vars = variables(exec, fid);
            let raw = exec.fiber(fid).input.clone();
            pipeline::select(&state.input_path, &raw, &Refs { context: &context, variables: &vars }, site(exec, fid, state))?;
        }
        return Ok(Flow::Result(result.clone()));
    }
    let context = context_for(exec, fid, state);
    action_input(exec, fid, state, &context).map(Flow::Result)
}
