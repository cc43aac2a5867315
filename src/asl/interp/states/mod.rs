//! One small action per state type, and what they share: entering, leaving, transitions and
//! the completion of branches and iterations. Retry and Catch are in [`super::recovery`].

mod choice;
pub(crate) use choice::string_matches;
pub use choice::literal_comparison_holds;
mod fail;
mod map;
mod parallel;
mod pass;
mod succeed;
mod task;
mod wait;

use std::sync::Arc;

use serde_json::Value;

use serde_json::Map;

pub(super) use super::recovery::{handle_error, handle_error_after};
use super::pipeline::{self, QueryFailure, Refs, StateSite};
use super::program::{Action, Assignment, CompiledState, IoPath, ResultPlacement, StateId};
use super::trace::Stage;
use super::variables::VariableScope;
use super::{Execution, ExecutionStatus, FiberId, Phase, StatesError, names};
use crate::asl::history::EventKind;
use crate::asl::model::{QueryLanguage, StateType};
use crate::asl::path::cause;
use crate::asl::value::{Payload, Shared};

/// What an action decided.
pub(super) enum Flow {
    /// A result for ResultSelector → ResultPath → OutputPath, then Next.
    Result(Payload),
    /// The state's output, final, and where to go (`None`: the branch ends).
    Leave { output: Payload, next: Option<StateId> },
    /// The fiber parked itself (timer, children, callback).
    Parked,
}

/// Runs a fiber's next phase.
pub(super) fn run_fiber(exec: &mut Execution, fid: FiberId) {
    let program = exec.program.clone();
    let phase = std::mem::replace(&mut exec.fiber_mut(fid).phase, Phase::Act);
    let fiber = exec.fiber(fid);
    let state = program.state(fiber.scope, fiber.state);
    let outcome = match phase {
        Phase::Enter => {
            enter(exec, fid, state);
            act(exec, fid, state)
        }
        Phase::Act => act(exec, fid, state),
        Phase::LeaveWith(output) => Ok(Flow::Leave { output, next: state.next }),
        Phase::TaskDone { effective, outcome } => task::report(exec, fid, state, effective, outcome),
        Phase::AwaitCallback { token, effective, timeout_at, heartbeat, heartbeat_from } => {
            // Woken by its timer: the timeout or a missed heartbeat ends the wait.
            let now = exec.clock.now();
            let error = if timeout_at.is_some_and(|t| now >= t) {
                Some(StatesError::named(Some(names::TIMEOUT.into()), None))
            } else if heartbeat.is_some_and(|h| now >= heartbeat_from + h) {
                Some(StatesError::missed_heartbeat())
            } else {
                None
            };
            match error {
                Some(error) => task::report(exec, fid, state, effective, Err(error)),
                None => {
                    exec.fiber_mut(fid).phase = Phase::AwaitCallback { token, effective, timeout_at, heartbeat, heartbeat_from };
                    exec.schedule_callback_timer(fid);
                    return;
                }
            }
        }
        Phase::AwaitChildren => {
            // Parked fibers are not in the ready queue; put the phase back.
            exec.fiber_mut(fid).phase = phase;
            return;
        }
    };
    match outcome {
        Ok(Flow::Result(result)) => finish_with_result(exec, fid, state, result),
        Ok(Flow::Leave { output, next }) => leave(exec, fid, state, output, next),
        Ok(Flow::Parked) => {}
        Err(error) => handle_error(exec, fid, state, error),
    }
}

fn enter(exec: &mut Execution, fid: FiberId, state: &CompiledState) {
    if let Some(map_name) = exec.fiber(fid).iteration_of.clone() {
        if !exec.fiber(fid).started {
            let index = exec.fiber(fid).parent.map_or(0, |p| p.1);
            exec.record(Some(fid), EventKind::MapIterationStarted { name: map_name, index });
            exec.fiber_mut(fid).started = true;
        }
    }
    let entered_previous = exec.fiber(fid).previous_event;
    let id = exec.record_with(Some(fid), true, |exec| EventKind::StateEntered {
        state_type: state.state_type,
        name: state.name.clone(),
        input: exec.fiber(fid).input.clone(),
    });
    let now = exec.clock.now();
    let fiber = exec.fiber_mut(fid);
    fiber.entered_event = id;
    fiber.entered_previous = entered_previous;
    fiber.entered_time = now;
    fiber.retries = 0;
    fiber.assigned = None;
    fiber.checked = None;
    fiber.retry_counts.clear();
    fiber.retry_counts.resize(state.retriers.len(), 0);
    if exec.trace.is_some() {
        let visible = exec.fiber(fid).variables.visible();
        if !visible.is_empty() {
            exec.trace_value(fid, &state.name, Stage::Variables, || Payload::new(Value::Object(visible)));
        }
    }
}

/// The context object, built only when the state reads it.
pub(super) fn context_for(exec: &Execution, fid: FiberId, state: &CompiledState) -> Value {
    if state.uses_context { exec.context_object(fid, None) } else { Value::Null }
}

/// The variables the fiber sees (a cheap clone, so the fiber need not stay borrowed).
pub(super) fn variables(exec: &Execution, fid: FiberId) -> VariableScope {
    exec.fiber(fid).variables.clone()
}

/// Records EvaluationFailed and gives the `States.QueryEvaluationError` the state raises.
pub(super) fn query_failed(exec: &mut Execution, fid: FiberId, state: &CompiledState, failure: QueryFailure) -> StatesError {
    let entered = exec.fiber(fid).entered_event;
    let full = cause::in_state(&state.name, entered, &failure.cause);
    let link = crate::asl::history::evaluation_failed_link(state.state_type);
    let kind = EventKind::EvaluationFailed {
        error: names::QUERY_EVALUATION_ERROR.into(),
        cause: full.clone(),
        location: failure.location,
        state: state.name.clone(),
    };
    exec.record_linked(Some(fid), false, link, |_| kind);
    StatesError::new(names::QUERY_EVALUATION_ERROR, full)
}

/// Evaluates a JSONata template of the state with `$states` built from `input`, `result` and
/// `error_output`; a failure records EvaluationFailed.
pub(super) fn jsonata_value(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    template: &crate::asl::jsonata::JsonataTemplate,
    field: &str,
    input: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Result<Value, StatesError> {
    let context = context_for(exec, fid, state);
    jsonata_value_in(exec, fid, state, template, field, input, &context, result, error_output)
}

/// [`jsonata_value`] with the context object the caller built (a Task's, which holds its
/// `Task.Token`).
#[allow(clippy::too_many_arguments)]
fn jsonata_value_in(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    template: &crate::asl::jsonata::JsonataTemplate,
    field: &str,
    input: &Value,
    context: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Result<Value, StatesError> {
    let states = pipeline::states_object(input, context, result, error_output);
    let vars = variables(exec, fid);
    let now = exec.clock.now();
    pipeline::evaluate_jsonata(template, &states, &vars, now, &mut exec.rng, exec.config.quotas.jsonata, field).map_err(|f| query_failed(exec, fid, state, f))
}

/// The input of the action: InputPath → Parameters (JSONPath), or Arguments (JSONata).
pub(super) fn action_input(exec: &mut Execution, fid: FiberId, state: &CompiledState, context: &Value) -> Result<Payload, StatesError> {
    match state.query_language {
        QueryLanguage::JsonPath => {
            let site = site(exec, fid, state);
            let tracing = exec.trace.is_some();
            // pipeline::effective_input, stage by stage for the trace. The fiber's input and
            // variables are borrowed beside the RNG, not cloned: this runs on every state.
            let (selected, effective) = {
                let Execution { fibers, rng, .. } = &mut *exec;
                let fiber = fibers[fid.0].as_ref().expect("live fiber");
                let refs = Refs { context, variables: &fiber.variables };
                let selected = match &state.input_path {
                    IoPath::Whole => None,
                    path => Some(pipeline::select(path, &fiber.input, &refs, site)?),
                };
                let from = selected.as_ref().unwrap_or(&fiber.input);
                let effective = match &state.parameters {
                    Some(template) => Some(pipeline::build_payload(template, from, &refs, rng, site)?),
                    None => None,
                };
                // Kept when the trace shows it or it is the effective input itself.
                let selected = (tracing || effective.is_none()).then(|| selected.unwrap_or_else(|| fiber.input.clone()));
                (selected, effective)
            };
            if let Some(selected) = &selected {
                exec.trace_value(fid, &state.name, Stage::AfterInputPath, || selected.clone());
            }
            match effective {
                Some(effective) => {
                    exec.trace_value(fid, &state.name, Stage::AfterParameters, || effective.clone());
                    Ok(effective)
                }
                None => Ok(selected.expect("kept without Parameters")),
            }
        }
        QueryLanguage::Jsonata => {
            let raw = exec.fiber(fid).input.clone();
            match &state.arguments {
                Some(arguments) => {
                    // The context the Task built: `$states.context.Task.Token` of a callback or
                    // a `.sync` job is in it.
                    let effective = Payload::new(jsonata_value_in(exec, fid, state, arguments, "Arguments", &raw, context, None, None)?);
                    exec.trace_value(fid, &state.name, Stage::AfterArguments, || effective.clone());
                    Ok(effective)
                }
                None => Ok(raw),
            }
        }
    }
}

/// Evaluates an Assign: `dollar` is `$` for JSONPath; `result`/`error_output` go into `$states`
/// for JSONata. Gives the variables to set (not yet set).
pub(super) fn evaluate_assign(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    assignment: &Assignment,
    field: &str,
    dollar: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Result<Map<String, Value>, StatesError> {
    match assignment {
        Assignment::JsonPath(template) => {
            let context = context_for(exec, fid, state);
            let vars = variables(exec, fid);
            let refs = Refs { context: &context, variables: &vars };
            let site = site(exec, fid, state);
            pipeline::assign_jsonpath(template, dollar, &refs, &mut exec.rng, site)
        }
        Assignment::Jsonata(template) => {
            let raw = exec.fiber(fid).input.clone();
            match jsonata_value(exec, fid, state, template, field, &raw, result, error_output)? {
                Value::Object(map) => Ok(map),
                _ => Ok(Map::new()),
            }
        }
    }
}

/// Sets assigned variables in the fiber's scope, within AWS's limits.
pub(super) fn commit_variables(exec: &mut Execution, fid: FiberId, state: &CompiledState, assigned: Map<String, Value>) -> Result<(), StatesError> {
    if assigned.is_empty() {
        return Ok(());
    }
    if let Err(message) = exec.fiber(fid).variables.check_limits(&assigned) {
        let site = site(exec, fid, state);
        return Err(StatesError::new(names::DATA_LIMIT_EXCEEDED, cause::in_state(site.name, site.entered_event_id, &message)));
    }
    let assigned = Arc::new(assigned);
    let fiber = exec.fiber_mut(fid);
    fiber.variables.commit(Map::clone(&assigned));
    fiber.assigned = Some(assigned);
    Ok(())
}

/// The state's output from the action's result, variables set: ResultSelector → Assign →
/// ResultPath → OutputPath (JSONPath), or Assign → Output (JSONata). Every reference sees the
/// variables from before this state's Assign.
fn output_from_result(exec: &mut Execution, fid: FiberId, state: &CompiledState, result: Payload) -> Result<Payload, StatesError> {
    exec.trace_value(fid, &state.name, Stage::Result, || result.clone());
    let (output, assigned) = match state.query_language {
        QueryLanguage::JsonPath => {
            let context = context_for(exec, fid, state);
            let site = site(exec, fid, state);
            // The fiber's input and variables are borrowed, not cloned (this runs on every
            // state), beside the RNG where a ResultSelector may draw from it.
            let selected = match &state.result_selector {
                Some(_) => {
                    let Execution { fibers, rng, .. } = &mut *exec;
                    let fiber = fibers[fid.0].as_ref().expect("live fiber");
                    let refs = Refs { context: &context, variables: &fiber.variables };
                    let selected = pipeline::select_result(state, result, &refs, rng, site)?;
                    exec.trace_value(fid, &state.name, Stage::AfterResultSelector, || selected.clone());
                    selected
                }
                None => result,
            };
            // `None` without an Assign: an empty `Map` would still seed its hasher, every state.
            let assigned = match &state.assign {
                Some(assignment) => Some(evaluate_assign(exec, fid, state, assignment, "Assign", &selected, None, None)?),
                None => None,
            };
            // Placed into or beside the input, the result is not the output: the task result's
            // quota mark ([`leave`]) would only keep it shared, and a shared result is copied.
            if !matches!(state.result_path, ResultPlacement::Replace) {
                let fiber = exec.fiber_mut(fid);
                if fiber.checked.as_ref().is_some_and(|c| Payload::ptr_eq(c, &selected)) {
                    fiber.checked = None;
                }
            }
            if let ResultPlacement::At(path) = &state.result_path {
                if exec.trace.is_none() && Payload::is_unique(&mut exec.fiber_mut(fid).input) {
                    // An input held in its shared form, and a result put at one of its members
                    // (`$.name`), stay in that form.
                    if let Some(member) = pipeline::single_member(path).filter(|_| exec.fiber(fid).input.as_shared().is_some_and(|i| matches!(i, Shared::Object(_)))) {
                        return output_in_shared(exec, fid, state, member, &context, selected, assigned);
                    }
                    return output_in_place(exec, fid, state, path, &context, selected, assigned);
                }
            }
            // pipeline::place_and_select, stage by stage for the trace.
            let placed = pipeline::place(&state.result_path, &exec.fiber(fid).input, selected, site)?;
            exec.trace_value(fid, &state.name, Stage::AfterResultPath, || placed.clone());
            let output = match &state.output_path {
                IoPath::Whole => placed,
                path => {
                    let fiber = exec.fiber(fid);
                    let refs = Refs { context: &context, variables: &fiber.variables };
                    pipeline::select(path, &placed, &refs, site)?
                }
            };
            (output, assigned)
        }
        QueryLanguage::Jsonata => {
            let raw = exec.fiber(fid).input.clone();
            // Pass has no result of its own: `$states.result` is for Task, Parallel and Map.
            let has_result = matches!(state.state_type, StateType::Task | StateType::Parallel | StateType::Map);
            let result_ref = has_result.then_some(&*result);
            let assigned = match &state.assign {
                Some(assignment) => Some(evaluate_assign(exec, fid, state, assignment, "Assign", &result, result_ref, None)?),
                None => None,
            };
            let output = match &state.output {
                Some(template) => Payload::new(jsonata_value(exec, fid, state, template, "Output", &raw, result_ref, None)?),
                None => result,
            };
            (output, assigned)
        }
    };
    if let Some(assigned) = assigned {
        commit_variables(exec, fid, state, assigned)?;
    }
    Ok(output)
}

/// ResultPath → OutputPath → the variables → the payload quota, for a state input nobody else
/// holds: the result is written into the input itself instead of into a copy of it (the copy
/// was most of a short Task's cost). Whatever fails after the write puts the input back as it
/// was first, so Catch sees the state input, as with a copy. The output is held to the quota
/// here, as [`leave`] would.
fn output_in_place(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    path: &crate::asl::path::ReferencePath,
    context: &Value,
    selected: Payload,
    assigned: Option<Map<String, Value>>,
) -> Result<Payload, StatesError> {
    let site = site(exec, fid, state);
    let result = Payload::into_value(selected);
    let fiber = exec.fiber_mut(fid);
    let Some(input) = Payload::get_mut(&mut fiber.input) else {
        return Err(StatesError::runtime("the state input is shared"));
    };
    let undo = match path.write_in_place(input, result) {
        Ok(undo) => undo,
        Err(_) => return Err(site.runtime(&cause::result_path_not_applicable(path.as_str(), &fiber.input))),
    };
    output_after_write(exec, fid, state, context, assigned, site).map_err(|error| {
        // The output (shared with the input when it is the whole of it) is gone: the input is
        // the fiber's alone again.
        if let Some(input) = Payload::get_mut(&mut exec.fiber_mut(fid).input) {
            path.restore(input, undo);
        }
        error
    })
}

/// What follows a result written into the state input in place ([`output_in_place`],
/// [`output_in_shared`]): OutputPath over the written input, the Assign committed, the quotas
/// checked, the output kept as the fiber's checked one. The caller undoes the write if this fails.
fn output_after_write(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    context: &Value,
    assigned: Option<Map<String, Value>>,
    site: StateSite<'_>,
) -> Result<Payload, StatesError> {
    let fiber = exec.fiber(fid);
    let output = match &state.output_path {
        IoPath::Whole => fiber.input.clone(),
        output_path => {
            let refs = Refs { context, variables: &fiber.variables };
            pipeline::select(output_path, &fiber.input, &refs, site)?
        }
    };
    if let Some(assigned) = assigned {
        commit_variables(exec, fid, state, assigned)?;
    }
    exec.config.quotas.check_payload(&state.name, &output)?;
    exec.fiber_mut(fid).checked = Some(output.clone());
    Ok(output)
}

/// [`output_in_place`] for a state input held in its shared form, an object, and a result put
/// at its member `member`: the member is set in the input itself (copied first only where the
/// object is shared with another value), and put back as it was if what follows fails.
fn output_in_shared(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    member: &str,
    context: &Value,
    selected: Payload,
    assigned: Option<Map<String, Value>>,
) -> Result<Payload, StatesError> {
    let site = site(exec, fid, state);
    let result = selected.to_shared();
    drop(selected);
    let fiber = exec.fiber_mut(fid);
    let Some(Shared::Object(members)) = Payload::get_shared_mut(&mut fiber.input) else {
        return Err(StatesError::runtime("the state input is shared"));
    };
    let members = std::rc::Rc::make_mut(members);
    // What to put back: the member's value before, or nothing where it was added at the end.
    let before = match members.iter_mut().find(|(k, _)| **k == *member) {
        Some((_, slot)) => Some(std::mem::replace(slot, result)),
        None => {
            members.push((member.into(), result));
            None
        }
    };
    output_after_write(exec, fid, state, context, assigned, site).map_err(|error| {
        // As in [`output_in_place`]: the output is gone, the input is the fiber's alone.
        if let Some(Shared::Object(members)) = Payload::get_shared_mut(&mut exec.fiber_mut(fid).input) {
            let members = std::rc::Rc::make_mut(members);
            match before {
                Some(value) => {
                    if let Some((_, slot)) = members.iter_mut().find(|(k, _)| **k == *member) {
                        *slot = value;
                    }
                }
                None => {
                    members.pop();
                }
            }
        }
        error
    })
}

pub(super) fn site<'s>(exec: &Execution, fid: FiberId, state: &'s CompiledState) -> StateSite<'s> {
    // In a child execution, the id in the child's own history.
    StateSite { name: &state.name, entered_event_id: crate::asl::interp::local_event_id(exec.fiber(fid).entered_event) }
}

fn act(exec: &mut Execution, fid: FiberId, state: &CompiledState) -> Result<Flow, StatesError> {
    match &state.action {
        Action::Pass { result } => pass::run(exec, fid, state, result.as_ref()),
        Action::Succeed => succeed::run(exec, fid, state),
        Action::Fail(spec) => fail::run(exec, fid, state, spec),
        Action::Choice(spec) => choice::run(exec, fid, state, spec),
        Action::Wait(spec) => wait::run(exec, fid, state, spec),
        Action::Task(spec) => task::run(exec, fid, state, spec),
        Action::Parallel { branches } => parallel::run(exec, fid, state, branches),
        Action::Map(spec) => map::run(exec, fid, state, spec),
    }
}

/// ResultSelector → Assign → ResultPath → OutputPath (or Assign → Output), then leave.
pub(super) fn finish_with_result(exec: &mut Execution, fid: FiberId, state: &CompiledState, result: Payload) {
    match output_from_result(exec, fid, state, result) {
        Ok(output) => leave(exec, fid, state, output, state.next),
        Err(error) => handle_error(exec, fid, state, error),
    }
}

/// Records StateExited and moves to `next`, or ends the fiber.
pub(super) fn leave(exec: &mut Execution, fid: FiberId, state: &CompiledState, output: Payload, next: Option<StateId>) {
    // An output that is the input itself was checked when it arrived, and one that is the
    // task's result when the result came.
    let checked = exec.fiber_mut(fid).checked.take();
    let measured = Payload::ptr_eq(&output, &exec.fiber(fid).input) || checked.is_some_and(|c| Payload::ptr_eq(&c, &output));
    if state.state_type != StateType::Fail && !measured {
        if let Err(error) = exec.config.quotas.check_payload(&state.name, &output) {
            handle_error(exec, fid, state, error);
            return;
        }
    }
    if state.state_type != StateType::Fail {
        exec.trace_value(fid, &state.name, Stage::Output, || output.clone());
        let assigned = exec.fiber_mut(fid).assigned.take();
        exec.record_with(Some(fid), false, |_| EventKind::StateExited {
            state_type: state.state_type,
            name: state.name.clone(),
            output: output.clone(),
            assigned,
        });
    }
    let ends = state.state_type == StateType::Succeed || next.is_none();
    if ends {
        complete(exec, fid, Ok(output));
        return;
    }
    if !count_transition(exec) {
        return;
    }
    let fiber = exec.fiber_mut(fid);
    fiber.state = next.expect("checked above");
    fiber.input = output;
    fiber.phase = Phase::Enter;
    exec.ready.push_front(fid);
}

/// Counts a transition (to Next, or to a catcher's Next); past the cap the execution fails, so
/// an infinite loop ends instead of hanging. False when it ended.
pub(super) fn count_transition(exec: &mut Execution) -> bool {
    exec.transitions += 1;
    if exec.transitions > exec.config.max_transitions {
        exec.end(ExecutionStatus::Failed(StatesError::runtime(format!(
            "The execution exceeded {} state transitions; it is probably looping forever.",
            exec.config.max_transitions
        ))));
        return false;
    }
    true
}

/// A fiber reached its end: the execution ends, or its parent learns the outcome.
pub(super) fn complete(exec: &mut Execution, fid: FiberId, outcome: Result<Payload, StatesError>) {
    let Some((pid, index)) = exec.fiber(fid).parent else {
        exec.release(fid);
        exec.end(match outcome {
            Ok(output) => ExecutionStatus::Succeeded { output },
            Err(error) => ExecutionStatus::Failed(error),
        });
        return;
    };
    if let Some(map_name) = exec.fiber(fid).iteration_of.clone() {
        let kind = match &outcome {
            Ok(_) => EventKind::MapIterationSucceeded { name: map_name, index },
            Err(_) => EventKind::MapIterationFailed { name: map_name, index },
        };
        exec.record(Some(fid), kind);
    }
    // A child execution ends in its own history; the Map's events go on from its own last one.
    let ends_child = starts_child_execution(exec, fid, pid);
    if ends_child {
        let kind = match &outcome {
            Ok(output) => EventKind::ExecutionSucceeded { output: output.clone() },
            Err(e) => EventKind::ExecutionFailed { error: e.error.clone(), cause: e.cause.clone() },
        };
        exec.record(Some(fid), kind);
    }
    let last_event = exec.fiber(fid).previous_event;
    exec.release(fid);
    if !ends_child {
        exec.fiber_mut(pid).previous_event = last_event;
    }
    let program = exec.program.clone();
    let parent_state = {
        let p = exec.fiber(pid);
        program.state(p.scope, p.state)
    };
    let now = exec.clock.now();
    let children = exec.fiber_mut(pid).children.as_mut().expect("a parent has children");
    // A 10,000-item Map keeps 10,000 children live: no O(n) search when the oldest finishes.
    if children.live.front() == Some(&fid) {
        children.live.pop_front();
    } else {
        children.live.retain(|&c| c != fid);
    }
    children.remaining -= 1;
    if let Some(run) = children.map_run.as_mut() {
        // A Distributed Map keeps how each child execution ended, for its result files.
        if let Some(Some(child)) = run.runs.get_mut(index) {
            child.stop = now;
            child.outcome = outcome.as_ref().map(|o| Value::clone(o)).map_err(Clone::clone);
        }
        run.ended[index] = true;
    }
    match outcome {
        Ok(output) => {
            children.results[index] = Some(Payload::into_value(output));
        }
        Err(error) => {
            children.failed += 1;
            let total = children.results.len();
            let tolerated = children.is_map && within_tolerance(children, total);
            if tolerated {
                children.results[index] = Some(error.to_output());
            } else {
                // The cause AWS gives (recorded by TestState: tests/fixtures/teststate/
                // *test_map_state_failure_count*exceeds_tolerated_failure.json); "Tolerated
                // failure threshold for the Distributed Map state" names the error for a count
                // and a percentage alike, and no other cause is documented for a percentage.
                let error = if children.is_map && (children.tolerated_count.is_some() || children.tolerated_percentage.is_some()) {
                    StatesError::new(
                        super::names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold was exceeded",
                    )
                } else {
                    error
                };
                abort_children(exec, pid);
                let children = exec.fiber_mut(pid).children.take().expect("checked");
                if children.map_run.is_some() {
                    map::fail_map_run(exec, pid, parent_state, children, error);
                    return;
                }
                let kind = if parent_state.state_type == StateType::Map { EventKind::MapStateFailed } else { EventKind::ParallelStateFailed };
                handle_error_after(exec, pid, parent_state, error, Some(kind));
                return;
            }
        }
    }
    if parent_state.state_type == StateType::Map {
        map::start_more(exec, pid, parent_state);
    }
    let Some(children) = exec.fibers[pid.0].as_ref().and_then(|f| f.children.as_ref()) else { return };
    if children.remaining == 0 {
        let children = exec.fiber_mut(pid).children.take().expect("checked");
        if children.map_run.is_some() {
            map::finish_map_run(exec, pid, parent_state, children);
            return;
        }
        let results: Vec<Value> = children.results.into_iter().map(|r| r.unwrap_or(Value::Null)).collect();
        let kind = if parent_state.state_type == StateType::Map { EventKind::MapStateSucceeded } else { EventKind::ParallelStateSucceeded };
        exec.record(Some(pid), kind);
        exec.fiber_mut(pid).phase = Phase::Act;
        finish_with_result(exec, pid, parent_state, Payload::new(Value::Array(results)));
    }
}

fn within_tolerance(children: &super::Children, total: usize) -> bool {
    let by_count = children.tolerated_count.is_some_and(|c| children.failed as u64 <= c);
    let by_percentage =
        children.tolerated_percentage.is_some_and(|p| total > 0 && (children.failed as f64) * 100.0 / (total as f64) <= p);
    by_count || by_percentage
}

/// Whether the fiber `fid` (a child of `pid`) is a Distributed Map's child execution itself,
/// not a fiber inside one.
fn starts_child_execution(exec: &Execution, fid: FiberId, pid: FiberId) -> bool {
    match (&exec.fiber(fid).child_execution, &exec.fiber(pid).child_execution) {
        (Some(child), Some(parent)) => !Arc::ptr_eq(child, parent),
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Stops every live child of `pid` (and their children), recording MapIterationAborted for
/// started iterations, and ExecutionAborted in an aborted child execution's history.
pub(super) fn abort_children(exec: &mut Execution, pid: FiberId) {
    let live = exec.fiber(pid).children.as_ref().map(|c| c.live.clone()).unwrap_or_default();
    for child in live {
        if exec.fiber(child).children.is_some() {
            abort_children(exec, child);
        }
        if let (Some(name), true) = (exec.fiber(child).iteration_of.clone(), exec.fiber(child).started) {
            let index = exec.fiber(child).parent.map_or(0, |p| p.1);
            exec.record(Some(child), EventKind::MapIterationAborted { name, index });
        }
        if starts_child_execution(exec, child, pid) {
            exec.record(Some(child), EventKind::ExecutionAborted { error: None, cause: None });
        }
        exec.ready.retain(|&f| f != child);
        exec.sleeping.retain(|s| s.2 != child);
        exec.release(child);
    }
}
