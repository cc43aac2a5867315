//! Fail: the branch fails with Error/ErrorPath and Cause/CausePath (either may be absent; in
//! JSONata states Error and Cause may be expressions).

use rand::RngCore;
use serde_json::Value;

use super::{Flow, context_for, jsonata_value, site, variables};
use crate::asl::interp::pipeline::{Refs, StateSite};
use crate::asl::interp::program::{CompiledState, FailSpec, PathOrCall};
use crate::asl::interp::{Execution, FiberId, StatesError};
use crate::asl::jsonata::JsonataTemplate;
use crate::asl::path::cause;

/// ErrorPath or CausePath: the text its path selects or its intrinsic call returns.
fn read_text(source: &PathOrCall, input: &Value, refs: &Refs, rng: &mut dyn RngCore, site: StateSite, field: &str) -> Result<String, StatesError> {
    let (value, written) = match source {
        PathOrCall::Path(path) => {
            let value = path.eval(&refs.roots(input)).map_err(|e| site.runtime(&cause::invalid_path(path.as_str(), &e)))?;
            (value, path.as_str())
        }
        PathOrCall::Call { call, text } => {
            let value = call
                .eval(&refs.roots(input), rng)
                .map_err(|e| StatesError::new(e.error_name(), cause::in_state(site.name, site.entered_event_id, &e.cause(input))))?;
            (value, text.as_str())
        }
    };
    match value {
        Value::String(s) => Ok(s),
        other => Err(site.runtime(&cause::field_not_string(field, written, &other))),
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
        (None, Some(p)) => Some(read_text(p, &raw, &refs, &mut exec.rng, site, "ErrorPath")?),
        (None, None) => spec.error.clone(),
    };
    let cause = match (&spec.cause_expression, &spec.cause_path) {
        (Some(t), _) => Some(expression_text(exec, fid, state, t, "Cause")?),
        (None, Some(p)) => Some(read_text(p, &raw, &refs, &mut exec.rng, site, "CausePath")?),
        (None, None) => spec.cause.clone(),
    };
    Err(StatesError::named(error, cause))
}
