//! Task: calls the handler registered for the state, its resource or its Lambda function;
//! records Lambda* events for Lambda ARNs and Task* events for service integrations (wrapping
//! `lambda:invoke` results as AWS does); `.waitForTaskToken` parks until a callback.

use serde_json::Value;

use super::Flow;
use crate::asl::interp::plug::{TaskContext, TaskRequest};
use crate::asl::interp::sdk_response::{lambda_envelope, lambda_invoke_error, with_log_tail};
use crate::asl::history::{EventKind, TaskResource};
use crate::asl::interp::program::{CompiledState, Integration, SecondsSource, TaskSpec, TaskTarget};
use crate::asl::interp::{Execution, FiberId, Phase, StatesError, names, quota};
use crate::asl::path::{Roots, cause};
use crate::asl::value::Payload;

fn resource_of(spec: &TaskSpec) -> TaskResource {
    TaskResource { resource_type: spec.resource_type.clone(), resource: spec.resource_name.clone() }
}

/// TimeoutSeconds or HeartbeatSeconds: a literal, a path into the state input, or (JSONata)
/// an expression over the state input, which must give a positive integer.
#[inline]
fn seconds(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    source: &Option<SecondsSource>,
    context: &Value,
    field: &str,
) -> Result<Option<u64>, StatesError> {
    // Most Tasks set neither field, or a literal: no call per Task for that.
    match source {
        None => Ok(None),
        Some(SecondsSource::Literal(s)) => Ok(Some(*s)),
        Some(_) => seconds_evaluated(exec, fid, state, source, context, field),
    }
}

/// [`seconds`] from a path or an expression.
#[inline(never)]
fn seconds_evaluated(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    source: &Option<SecondsSource>,
    context: &Value,
    field: &str,
) -> Result<Option<u64>, StatesError> {
    Ok(match source {
        Some(SecondsSource::Literal(s)) => Some(*s),
        Some(SecondsSource::Path(p)) => {
            // A path that finds nothing, or no whole number, fails the state rather than leaving
            // the task without its limit.
            let site = super::site(exec, fid, state);
            let path_field = format!("{field}Path");
            // The path reads the state's input, not the Parameters' result: the recorded
            // `test_heartbeat_path_timeout` finds `$.HeartbeatSecondsPath` in the input while its
            // Parameters leave it out (whether InputPath applies first is in no recording).
            let input = exec.fiber(fid).input.clone();
            let value = p.eval(&Roots::input(&input).with_context(context)).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?;
            Some(value.as_u64().ok_or_else(|| site.runtime(&cause::field_not_integer(&path_field, p.as_str(), &value)))?)
        }
        Some(SecondsSource::Expression(template)) => {
            let raw = exec.fiber(fid).input.clone();
            let value = super::jsonata_value(exec, fid, state, template, field, &raw, None, None)?;
            match value.as_u64().filter(|s| *s > 0) {
                Some(s) => Some(s),
                None => {
                    let cause = format!("The {field} field must be a positive integer, not {value}.");
                    let failure = crate::asl::interp::pipeline::QueryFailure { location: Some(field.to_string()), cause };
                    return Err(super::query_failed(exec, fid, state, failure));
                }
            }
        }
        None => None,
    })
}

/// The Lambda function's name, borrowed (no allocation per call).
fn function_name<'a>(spec: &'a TaskSpec, effective: &'a Payload) -> Option<&'a str> {
    match &spec.target {
        TaskTarget::LambdaFunction { function_name } => Some(function_name),
        TaskTarget::LambdaInvoke => effective.get("FunctionName").and_then(Value::as_str).map(|name| {
            // A full or partial ARN names the function after `function:`.
            match name.split_once(":function:") {
                Some((_, rest)) => rest.split(':').next().unwrap_or(rest),
                None => name,
            }
        }),
        TaskTarget::Service { .. } | TaskTarget::Other => None,
    }
}

/// A fresh task token: the execution's seed and its count of tokens handed out, so a replay
/// hands out the same ones.
fn next_token(exec: &mut Execution) -> String {
    exec.token_seq += 1;
    format!("{:016x}{:016x}", exec.config.seed, exec.token_seq)
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &TaskSpec) -> Result<Flow, StatesError> {
    let token = (spec.integration == Integration::WaitForTaskToken).then(|| next_token(exec));
    // A `.sync` job's state has a task token in its context object too (SendTaskSuccess: "used
    // by ... Task states using the callback pattern, and optionally Task states using the job
    // run pattern"): a child execution may be handed `$$.Task.Token`. Nothing waits for it.
    let job_token = (spec.integration == Integration::Sync && state.uses_context).then(|| next_token(exec));
    let context = if state.uses_context || token.is_some() {
        exec.context_object(fid, token.as_deref().or(job_token.as_deref()))
    } else {
        Value::Null
    };
    let effective = super::action_input(exec, fid, state, &context)?;
    let timeout = seconds(exec, fid, state, &spec.timeout, &context, "TimeoutSeconds")?;
    let heartbeat = seconds(exec, fid, state, &spec.heartbeat, &context, "HeartbeatSeconds")?;
    let is_lambda_function = matches!(spec.target, TaskTarget::LambdaFunction { .. });
    // The events are built only when the history keeps them (their names and ARNs are copies).
    if is_lambda_function {
        exec.record_with(Some(fid), false, |_| EventKind::LambdaFunctionScheduled {
            resource: spec.resource.clone(),
            input: effective.clone(),
            timeout_seconds: timeout,
        });
        exec.record_with(Some(fid), false, |_| EventKind::LambdaFunctionStarted);
    } else {
        exec.record_with(Some(fid), false, |exec| EventKind::TaskScheduled {
            task: resource_of(spec),
            region: exec.config.region.as_str().into(),
            parameters: effective.clone(),
            timeout_seconds: timeout,
            heartbeat_seconds: heartbeat,
        });
        exec.record_with(Some(fid), false, |_| EventKind::TaskStarted { task: resource_of(spec) });
    }
    let function = function_name(spec, &effective);
    // `lambda:invoke`'s Payload given as a string is the request's body as it is: the function
    // reads that text as JSON, so its event is the value the text writes (`"0.0"` → 0.0,
    // `"null"` → null: `services/test_lambda_task_service::test_invoke_json_values`, recorded).
    // A text that is no JSON stays the string it is.
    let text_event: Option<Value> = match spec.target {
        TaskTarget::LambdaInvoke => effective.get("Payload").and_then(Value::as_str).and_then(|text| serde_json::from_str(text).ok()),
        _ => None,
    };
    // The handler borrows its input: cloning a large payload per call would dominate short tasks.
    // Shared, not built per call: an empty `Map` seeds a hasher, and most Tasks never use it.
    static EMPTY_PAYLOAD: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| Value::Object(serde_json::Map::new()));
    // Set once the handler is known: one that takes shared values reads none.
    static NO_INPUT: Value = Value::Null;
    let attempt = exec.fiber(fid).retries;
    let mut request = TaskRequest {
        state_name: &state.name,
        resource: &spec.resource,
        function_name: function,
        input: &NO_INPUT,
        attempt,
    };
    let now = exec.clock.now();
    let mut log = Vec::new();
    let mut submitted = None;
    let (outcome, latency) = match exec.handlers.find(&request) {
        Some(handler) => {
            let latency = handler.latency_millis();
            // `lambda:invoke` answers with the function's result wrapped in Lambda's response,
            // unless the handler already gives the whole response (a mocked one).
            let wrap = spec.target == TaskTarget::LambdaInvoke && token.is_none() && !handler.returns_service_response();
            let mut task_context = TaskContext { now: now + latency as i64, rng: &mut exec.rng, log: &mut log, logging: !exec.config.quiet };
            let outcome = if handler.takes_shared() && spec.target != TaskTarget::LambdaInvoke {
                let input = effective.to_shared();
                handler.invoke_shared(&request, &input, &mut task_context).map(Payload::from_shared)
            } else {
                request.input = match spec.target {
                    // A null Payload is no payload: the function's event is `{}`, as for an
                    // absent one (`services/test_lambda_task_service::test_invoke`: the identity
                    // function answers `{}`).
                    TaskTarget::LambdaInvoke => match &text_event {
                        Some(event) => event,
                        None => effective.get("Payload").filter(|p| !p.is_null()).unwrap_or(&EMPTY_PAYLOAD),
                    },
                    _ => &effective,
                };
                handler.invoke(&request, &mut task_context).map(Payload::new)
            };
            // A `.sync` child knows how long it ran only once it has run.
            let latency = handler.latency_millis();
            if spec.integration == Integration::Sync {
                submitted = handler.take_submitted();
            }
            let log_tail = wrap && effective.get("LogType").and_then(Value::as_str) == Some("Tail");
            let outcome = if wrap {
                outcome
                    .map(|payload| {
                        let response = lambda_envelope(Payload::into_value(payload), &mut task_context);
                        Payload::new(if log_tail { with_log_tail(response, task_context.log, latency) } else { response })
                    })
                    .map_err(lambda_invoke_error)
            } else {
                outcome
            };
            (outcome, latency)
        }
        None => (
            Err(StatesError::new(
                names::TASK_FAILED,
                format!("No handler is registered for the state '{}' or the resource '{}'.", state.name, spec.resource),
            )),
            0,
        ),
    };
    let outcome = outcome.and_then(|response| failed_entries(spec, response));
    if !log.is_empty() {
        exec.logs.append(function.unwrap_or(&state.name), now, log);
    }
    // The job was started: its start call's answer is recorded before the job's end, whether the
    // job then succeeds or fails (`test_start_execution_sync_delegate_failure`).
    if let Some(response) = submitted {
        exec.record_with(Some(fid), false, |_| EventKind::TaskSubmitted { task: resource_of(spec), output: Payload::new(response) });
    }
    if let Some(token) = token {
        // The service accepted the call (the message carrying the token is sent): AWS records
        // its response as TaskSubmitted before waiting (`callback/test_callback`'s recordings).
        match outcome {
            Err(error) => return report(exec, fid, state, effective, Err(error)),
            Ok(response) => {
                exec.record_with(Some(fid), false, |_| EventKind::TaskSubmitted { task: resource_of(spec), output: response });
            }
        }
        let timeout_at = timeout.map(|t| now + t as i64 * 1000);
        let heartbeat = heartbeat.map(|h| h as i64 * 1000);
        exec.fiber_mut(fid).phase = Phase::AwaitCallback { token, effective, timeout_at, heartbeat, heartbeat_from: now };
        exec.schedule_callback_timer(fid);
        return Ok(Flow::Parked);
    }
    if let Some(limit) = timeout {
        if latency > limit * 1000 {
            let error = StatesError::named(Some(names::TIMEOUT.into()), None);
            exec.fiber_mut(fid).phase = Phase::TaskDone { effective, outcome: Err(error) };
            let until = now + (limit * 1000) as i64;
            exec.sleep_until(fid, until);
            return Ok(Flow::Parked);
        }
    }
    if latency > 0 {
        exec.fiber_mut(fid).phase = Phase::TaskDone { effective, outcome };
        exec.sleep_until(fid, now + latency as i64);
        return Ok(Flow::Parked);
    }
    report(exec, fid, state, effective, outcome)
}

/// EventBridge's optimized `putEvents` fails when the service answers that some entries failed
/// (`FailedEntryCount` above 0): error `EventBridge.FailedEntry`, the whole answer as cause,
/// whoever answered (`services/test_events_task_service`: a malformed Detail, an entry without
/// Source beside one that was put). The `aws-sdk:eventbridge` call returns the answer as it is.
fn failed_entries(spec: &TaskSpec, response: Payload) -> Result<Payload, StatesError> {
    let is_put_events = matches!(&spec.target, TaskTarget::Service { service, action } if service == "events" && action == "putEvents");
    if !is_put_events {
        return Ok(response);
    }
    match response.get("FailedEntryCount").and_then(Value::as_f64) {
        Some(failed) if failed > 0.0 => Err(StatesError::new("EventBridge.FailedEntry", response.to_string())),
        _ => Ok(response),
    }
}

/// Records the task's outcome and hands the result to the pipeline (or the error to Retry/Catch).
pub(super) fn report(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    _effective: Payload,
    outcome: Result<Payload, StatesError>,
) -> Result<Flow, StatesError> {
    let crate::asl::interp::program::Action::Task(spec) = &state.action else {
        return Err(StatesError::runtime("a task outcome reached a state that is not a Task"));
    };
    let is_lambda_function = matches!(spec.target, TaskTarget::LambdaFunction { .. });
    match outcome {
        // A Lambda function's answer over the payload limit is the Lambda task's failure, which
        // States.ALL catches, named as `error_handling/test_states_errors` recorded it: after the
        // service (`lambda`) for `lambda:invoke`, after the function's ARN for a function
        // Resource. Any other result over it is Step Functions' own terminal error, named after
        // the state.
        Ok(value) if let Err(error) = exec.config.quotas.check_payload(&state.name, &value) => {
            let too_deep = quota::payload_nested_deeper_than(&value, quota::MAX_NESTING_DEPTH);
            let reported_as = match spec.target {
                TaskTarget::LambdaInvoke => Some(&spec.resource_type),
                TaskTarget::LambdaFunction { .. } => Some(&spec.resource),
                TaskTarget::Service { .. } | TaskTarget::Other => None,
            };
            let error = match reported_as {
                Some(name) if !too_deep => quota::result_too_large(name).reported_by_task(),
                _ => error,
            };
            report(exec, fid, state, _effective, Err(error))
        }
        Ok(value) => {
            let result = value;
            exec.fiber_mut(fid).checked = Some(result.clone());
            if is_lambda_function {
                exec.record_with(Some(fid), false, |_| EventKind::LambdaFunctionSucceeded { output: result.clone() });
            } else {
                exec.record_with(Some(fid), false, |_| EventKind::TaskSucceeded { task: resource_of(spec), output: result.clone() });
            }
            Ok(Flow::Result(result))
        }
        Err(error) => {
            let timed_out = matches!(error.error.as_deref(), Some(names::TIMEOUT | names::HEARTBEAT_TIMEOUT));
            exec.record_with(Some(fid), false, |_| match (is_lambda_function, timed_out) {
                (true, false) => EventKind::LambdaFunctionFailed { error: error.error.clone(), cause: error.cause.clone() },
                (true, true) => EventKind::LambdaFunctionTimedOut { error: error.error.clone(), cause: error.cause.clone() },
                (false, false) => EventKind::TaskFailed { task: resource_of(spec), error: error.error.clone(), cause: error.cause.clone() },
                (false, true) => EventKind::TaskTimedOut {
                    task: resource_of(spec),
                    error: error.error.clone(),
                    cause: error.cause.clone(),
                    heartbeat: error.heartbeat_missed,
                },
            });
            Err(error)
        }
    }
}
