//! Wait: Seconds, SecondsPath, Timestamp or TimestampPath (or, in JSONata states, Seconds and
//! Timestamp as expressions) on the virtual clock, with AWS's errors for values that are not
//! whole seconds or ISO-8601 timestamps. Assign and Output take effect when the wait starts.

use serde_json::{Map, Value};

use super::{Flow, commit_variables, context_for, evaluate_assign, jsonata_value, query_failed, site, variables};
use crate::asl::clock::parse_rfc3339;
use crate::asl::interp::pipeline::{self, QueryFailure, Refs};
use crate::asl::interp::program::{CompiledState, WaitSpec};
use crate::asl::interp::{Execution, FiberId, Phase, StatesError};
use crate::asl::model::QueryLanguage;
use crate::asl::path::cause;
use crate::asl::value::Payload;

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &WaitSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let vars = variables(exec, fid);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let refs = Refs { context: &context, variables: &vars };
    let effective =
        if state.query_language == QueryLanguage::Jsonata { raw.clone() } else { pipeline::select(&state.input_path, &raw, &refs, site)? };
    let now = exec.clock.now();
    let roots = refs.roots(&effective);
    let until = match spec {
        WaitSpec::Seconds(s) => now + (*s as i64) * 1000,
        WaitSpec::SecondsPath(p) => {
            let value = p.eval(&roots).map_err(|_| site.runtime(&cause::parameter_not_found("SecondsPath", p.as_str())))?;
            let seconds = match &value {
                Value::Number(n) if n.is_u64() => n.as_u64().unwrap_or(0) as i64,
                // AWS refuses to wait a negative time rather than not waiting.
                Value::Number(n) if n.is_i64() => return Err(site.runtime(&cause::seconds_path_negative(p.as_str(), &value))),
                other => return Err(site.runtime(&cause::seconds_path_not_long(p.as_str(), other))),
            };
            now + seconds * 1000
        }
        WaitSpec::SecondsExpression(template) => {
            let value = jsonata_value(exec, fid, state, template, "Seconds", &raw, None, None)?;
            match value.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0) {
                Some(seconds) => now + (seconds as i64) * 1000,
                None => {
                    let failure = QueryFailure {
                        location: Some("Seconds".into()),
                        cause: format!(
                            "The JSONata expression '{}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '{}' for value: {value}",
                            expression_source(template),
                            crate::asl::jsonata::type_name(&value)
                        ),
                    };
                    return Err(query_failed(exec, fid, state, failure));
                }
            }
        }
        WaitSpec::Timestamp(Some(t), _) => *t,
        WaitSpec::Timestamp(None, text) => {
            return Err(site.runtime(&format!(
                "The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: {text}"
            )));
        }
        WaitSpec::TimestampExpression(template) => {
            let value = jsonata_value(exec, fid, state, template, "Timestamp", &raw, None, None)?;
            match value.as_str().and_then(parse_rfc3339) {
                Some(t) => t,
                None => {
                    let shown = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let failure = QueryFailure {
                        location: Some("Timestamp".into()),
                        cause: format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}"),
                    };
                    return Err(query_failed(exec, fid, state, failure));
                }
            }
        }
        WaitSpec::TimestampPath(p) => {
            let value = p.eval(&roots).map_err(|_| site.runtime(&cause::parameter_not_found("TimestampPath", p.as_str())))?;
            match value.as_str().and_then(parse_rfc3339) {
                Some(t) => t,
                None => return Err(site.runtime(&cause::timestamp_path_invalid(p.as_str(), &value))),
            }
        }
    };
    let assigned = match &state.assign {
        Some(assignment) => evaluate_assign(exec, fid, state, assignment, "Assign", &effective, None, None)?,
        None => Map::new(),
    };
    let output = match (state.query_language, &state.output) {
        (QueryLanguage::Jsonata, Some(template)) => Payload::new(jsonata_value(exec, fid, state, template, "Output", &raw, None, None)?),
        (QueryLanguage::Jsonata, None) => raw,
        (QueryLanguage::JsonPath, _) => pipeline::select(&state.output_path, &effective, &refs, site)?,
    };
    commit_variables(exec, fid, state, assigned)?;
    if until <= now {
        return Ok(Flow::Leave { output, next: state.next });
    }
    exec.fiber_mut(fid).phase = Phase::LeaveWith(output);
    exec.sleep_until(fid, until);
    Ok(Flow::Parked)
}

/// The text of a template that is one expression, for causes.
pub(super) fn expression_source(template: &crate::asl::jsonata::JsonataTemplate) -> String {
    match template {
        crate::asl::jsonata::JsonataTemplate::Expression(e) => e.source().to_string(),
        other => format!("{other:?}"),
    }
}
