//! Wait: Seconds, SecondsPath, Timestamp or TimestampPath on the virtual clock, with AWS's
//! errors for values that are not whole seconds or ISO-8601 timestamps.

use serde_json::Value;

use super::{Flow, context_for, site};
use crate::asl::clock::parse_rfc3339;
use crate::asl::interp::pipeline;
use crate::asl::interp::program::{CompiledState, WaitSpec};
use crate::asl::interp::{Execution, FiberId, Phase, StatesError};
use crate::asl::path::{Roots, cause};

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &WaitSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &context, site)?;
    let now = exec.clock.now();
    let roots = Roots::input(&effective).with_context(&context);
    let until = match spec {
        WaitSpec::Seconds(s) => now + (*s as i64) * 1000,
        WaitSpec::SecondsPath(p) => {
            let value = p.eval(&roots).map_err(|_| site.runtime(&cause::parameter_not_found("SecondsPath", p.as_str())))?;
            let seconds = match &value {
                Value::Number(n) if n.is_u64() => n.as_u64().unwrap_or(0) as i64,
                Value::Number(n) if n.is_i64() => 0.max(n.as_i64().unwrap_or(0)),
                other => return Err(site.runtime(&cause::seconds_path_not_long(p.as_str(), other))),
            };
            now + seconds * 1000
        }
        WaitSpec::Timestamp(Some(t), _) => *t,
        WaitSpec::Timestamp(None, text) => {
            return Err(site.runtime(&format!(
                "The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: {text}"
            )));
        }
        WaitSpec::TimestampPath(p) => {
            let value = p.eval(&roots).map_err(|_| site.runtime(&cause::parameter_not_found("TimestampPath", p.as_str())))?;
            match value.as_str().and_then(parse_rfc3339) {
                Some(t) => t,
                None => return Err(site.runtime(&cause::timestamp_path_invalid(p.as_str(), &value))),
            }
        }
    };
    let output = pipeline::select(&state.output_path, &effective, &context, site)?;
    if until <= now {
        return Ok(Flow::Leave { output, next: state.next });
    }
    exec.fiber_mut(fid).phase = Phase::LeaveWith(output);
    exec.sleep_until(fid, until);
    Ok(Flow::Parked)
}
