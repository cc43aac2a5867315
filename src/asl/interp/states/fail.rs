//! Fail: the branch fails with Error/ErrorPath and Cause/CausePath (either may be absent).

use serde_json::Value;

use super::{Flow, context_for, site};
use crate::asl::interp::program::{CompiledState, FailSpec};
use crate::asl::interp::{Execution, FiberId, StatesError};
use crate::asl::path::{JsonPath, Roots, cause};

fn read_text(path: &JsonPath, input: &Value, context: &Value, field: &str) -> Result<String, String> {
    let roots = Roots::input(input).with_context(context);
    match path.eval(&roots) {
        Ok(Value::String(s)) => Ok(s),
        Ok(other) => Err(format!("The {field} field refers to value {other} which is not a valid string: {}", path.as_str())),
        Err(e) => Err(cause::invalid_path(path.as_str(), &e)),
    }
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &FailSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let error = match &spec.error_path {
        Some(p) => Some(read_text(p, &raw, &context, "ErrorPath").map_err(|m| site.runtime(&m))?),
        None => spec.error.clone(),
    };
    let cause = match &spec.cause_path {
        Some(p) => Some(read_text(p, &raw, &context, "CausePath").map_err(|m| site.runtime(&m))?),
        None => spec.cause.clone(),
    };
    Err(StatesError { error, cause })
}
