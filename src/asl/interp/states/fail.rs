//! Fail: the branch fails with Error/ErrorPath and Cause/CausePath (either may be absent; in
//! JSONata states Error and Cause may be expressions).

use serde_json::Value;

use super::{Flow, context_for, jsonata_value, site, variables};
use crate::asl::interp::pipeline::Refs;
use crate::asl::interp::program::{CompiledState, FailSpec};
use crate::asl::interp::{Execution, FiberId, StatesError};
use crate::asl::jsonata::JsonataTemplate;
use crate::asl::path::{JsonPath, cause};

fn read_text(path: &JsonPath, input: &Value, refs: &Refs, field: &str) -> Result<String, String> {
    match path.eval(&refs.roots(input)) {
        Ok(Value::String(s)) => Ok(s),
        Ok(other) => Err(format!("The {field} field refers to value {other} which is not a valid string: {}", path.as_str())),
        Err(e) => Err(cause::invalid_path(path.as_str(), &e)),
    }
}

fn expression_text(exec: &mut Execution, fid: FiberId, state: &CompiledState, template: &JsonataTemplate, field: &str) -> Result<String, StatesError> {
    let raw = exec.fiber(fid).input.clone();
    Ok(match jsonata_value(exec, fid, state, template, field, &raw, None, None)? {
        Value::String(s) => s,
        other => other.to_string(),
    })
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &FailSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let vars = variables(exec, fid);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let refs = Refs { context: &context, variables: &vars };
    let error = match (&spec.error_expression, &spec.error_path) {
        (Some(t), _) => Some(expression_text(exec, fid, state, t, "Error")?),
        (None, Some(p)) => Some(read_text(p, &raw, &refs, "ErrorPath").map_err(|m| site.runtime(&m))?),
        (None, None) => spec.error.clone(),
    };
    let cause = match (&spec.cause_expression, &spec.cause_path) {
        (Some(t), _) => Some(expression_text(exec, fid, state, t, "Cause")?),
        (None, Some(p)) => Some(read_text(p, &raw, &refs, "CausePath").map_err(|m| site.runtime(&m))?),
        (None, None) => spec.cause.clone(),
    };
    Err(StatesError { error, cause })
}
