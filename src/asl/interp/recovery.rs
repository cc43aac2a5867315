//! Retry and Catch: which Retrier or Catcher an error matches, the back-off before the next
//! attempt (interval × rate^attempt, capped by MaxDelaySeconds, with optional full jitter from
//! the execution's seeded RNG), and what a state does with an error it raised: retry it later,
//! hand it to a Catcher (ResultPath or Output, Assign, then the Catcher's Next), or fail the
//! fiber. Which error names match which `ErrorEquals` entries is [`StatesError::matches`].

use rand::Rng;
use serde_json::Map;

use super::pipeline;
use super::program::{CatchRule, CompiledState, RetryPolicy};
use super::states::{commit_variables, complete, count_transition, evaluate_assign, jsonata_value, site};
use super::trace::Stage;
use super::{Execution, FiberId, Phase, StatesError};
use crate::asl::history::EventKind;
use crate::asl::model::{QueryLanguage, StateType};
use crate::asl::value::Payload;

/// Only Task, Parallel and Map have Retry and Catch.
fn recovers(state: &CompiledState) -> bool {
    matches!(state.state_type, StateType::Task | StateType::Parallel | StateType::Map)
}

/// The first Retrier whose `ErrorEquals` matches `error`, by its index.
pub(super) fn matching_retrier(state: &CompiledState, error: &StatesError) -> Option<usize> {
    let on_task = state.state_type == StateType::Task;
    state.retriers.iter().position(|r| r.error_equals.iter().any(|p| error.matches(p, on_task)))
}

/// The first Catcher whose `ErrorEquals` matches `error`.
pub(super) fn matching_catcher<'s>(state: &'s CompiledState, error: &StatesError) -> Option<&'s CatchRule> {
    let on_task = state.state_type == StateType::Task;
    state.catchers.iter().find(|c| c.error_equals.iter().any(|p| error.matches(p, on_task)))
}

/// Seconds to wait before retry number `attempts + 1` (`attempts` made so far under this
/// Retrier): `IntervalSeconds × BackoffRate^attempts`, at most `MaxDelaySeconds`; with
/// `JitterStrategy: FULL`, a uniform draw from 0 to that.
pub(super) fn retry_delay_seconds(policy: &RetryPolicy, attempts: u32, rng: &mut impl Rng) -> f64 {
    let mut delay = policy.interval_seconds * policy.backoff_rate.powi(attempts as i32);
    if let Some(max) = policy.max_delay_seconds {
        delay = delay.min(max);
    }
    if policy.full_jitter {
        delay = rng.random_range(0.0..=delay.max(0.0));
    }
    delay
}

/// Retry, then Catch, then fail the fiber.
pub(in crate::asl::interp) fn handle_error(exec: &mut Execution, fid: FiberId, state: &CompiledState, error: StatesError) {
    handle_error_after(exec, fid, state, error, None)
}

/// [`handle_error`], recording `failed_event` (MapStateFailed, ParallelStateFailed) unless the
/// state is retried: AWS records it only when the state gives up.
pub(in crate::asl::interp) fn handle_error_after(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    error: StatesError,
    mut failed_event: Option<EventKind>,
) {
    exec.trace_value(fid, &state.name, Stage::Error, || Payload::new(error.to_output()));
    if recovers(state) {
        if let Some(index) = matching_retrier(state, &error) {
            let policy = &state.retriers[index];
            let attempts = exec.fiber(fid).retry_counts.get(index).copied().unwrap_or(0);
            if attempts < policy.max_attempts {
                let delay = retry_delay_seconds(policy, attempts, &mut exec.rng);
                let fiber = exec.fiber_mut(fid);
                if let Some(count) = fiber.retry_counts.get_mut(index) {
                    *count += 1;
                }
                fiber.retries += 1;
                fiber.phase = Phase::Act;
                let attempt = fiber.retries;
                exec.trace_value(fid, &state.name, Stage::Retry, || {
                    Payload::new(serde_json::json!({"attempt": attempt, "delaySeconds": delay, "retrier": index}))
                });
                let until = exec.clock.now() + (delay * 1000.0).round() as i64;
                exec.sleep_until(fid, until);
                return;
            }
        }
        if let Some(kind) = failed_event.take() {
            exec.record(Some(fid), kind);
        }
        if let Some(catcher) = matching_catcher(state, &error) {
            match caught_output(exec, fid, state, catcher, &error) {
                // An error output that quotes its input can double in size on every loop
                // through the catcher: the payload limit holds here too.
                Ok(output) if let Err(error) = exec.config.quotas.check_payload(&state.name, &output) => {
                    complete(exec, fid, Err(error));
                }
                Ok(output) => {
                    exec.trace_value(fid, &state.name, Stage::Caught, || output.clone());
                    // AWS closes a caught Task, Map or Parallel with its Exited event, whose
                    // output is the catcher's (the recordings: `TaskStateExited` after a caught
                    // `LambdaFunctionFailed`, `MapStateExited` after `MapStateFailed`).
                    if matches!(state.state_type, StateType::Task | StateType::Map | StateType::Parallel) {
                        let assigned = exec.fiber_mut(fid).assigned.take();
                        exec.record(Some(fid), EventKind::StateExited { state_type: state.state_type, name: state.name.clone(), output: output.clone(), assigned });
                    }
                    if !count_transition(exec) {
                        return;
                    }
                    let fiber = exec.fiber_mut(fid);
                    fiber.state = catcher.next;
                    fiber.input = output;
                    fiber.phase = Phase::Enter;
                    exec.ready.push_front(fid);
                }
                Err(e) => complete(exec, fid, Err(e)),
            }
            return;
        }
    }
    if let Some(kind) = failed_event {
        exec.record(Some(fid), kind);
    }
    complete(exec, fid, Err(error))
}

/// A catcher fired: its ResultPath or Output, and its Assign. Gives the next state's input.
fn caught_output(exec: &mut Execution, fid: FiberId, state: &CompiledState, catcher: &CatchRule, error: &StatesError) -> Result<Payload, StatesError> {
    let raw = exec.fiber(fid).input.clone();
    let error_output = error.to_output();
    let index = state.catchers.iter().position(|c| std::ptr::eq(c, catcher)).unwrap_or(0);
    let field = format!("Catch[{index}]/Assign");
    let assigned = match &catcher.assign {
        Some(assignment) => evaluate_assign(exec, fid, state, assignment, &field, &error_output, None, Some(&error_output))?,
        None => Map::new(),
    };
    let output = match state.query_language {
        QueryLanguage::JsonPath => {
            let site = site(exec, fid, state);
            pipeline::place(&catcher.result_path, &raw, Payload::new(error_output), site)?
        }
        QueryLanguage::Jsonata => match &catcher.output {
            Some(template) => {
                let field = format!("Catch[{index}]/Output");
                Payload::new(jsonata_value(exec, fid, state, template, &field, &raw, None, Some(&error_output))?)
            }
            None => Payload::new(error_output),
        },
    };
    commit_variables(exec, fid, state, assigned)?;
    Ok(output)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    fn policy(interval: f64, rate: f64, max_delay: Option<f64>, full_jitter: bool) -> RetryPolicy {
        RetryPolicy {
            error_equals: vec!["States.ALL".into()],
            interval_seconds: interval,
            max_attempts: 5,
            backoff_rate: rate,
            max_delay_seconds: max_delay,
            full_jitter,
        }
    }

    #[test]
    fn the_delay_grows_by_the_rate_up_to_the_cap() {
        let mut rng = StdRng::seed_from_u64(1);
        // (interval, rate, cap, attempts so far, seconds)
        let cases = [(2.0, 3.0, None, 0, 2.0), (2.0, 3.0, None, 2, 18.0), (2.0, 3.0, Some(10.0), 2, 10.0), (1.0, 1.0, None, 4, 1.0)];
        for (interval, rate, cap, attempts, seconds) in cases {
            assert_eq!(retry_delay_seconds(&policy(interval, rate, cap, false), attempts, &mut rng), seconds, "{interval} {rate} {cap:?} {attempts}");
        }
    }

    #[test]
    fn full_jitter_draws_from_zero_to_the_delay_with_the_seed() {
        let jittered = policy(4.0, 2.0, None, true);
        let draw = |seed| retry_delay_seconds(&jittered, 1, &mut StdRng::seed_from_u64(seed));
        for seed in 0..50 {
            assert!((0.0..=8.0).contains(&draw(seed)));
            assert_eq!(draw(seed), draw(seed));
        }
    }
}
