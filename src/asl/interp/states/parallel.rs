//! Parallel: every branch runs on the effective input; the result is the array of branch
//! outputs, in branch order. A failing branch aborts the others and fails the state.

use serde_json::Value;

use super::{Flow, action_input, context_for};
use crate::asl::history::EventKind;
use crate::asl::interp::program::{CompiledState, ScopeId};
use crate::asl::interp::{Children, Execution, FiberId, Phase, StatesError};
use crate::asl::value::Payload;

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, branches: &[ScopeId]) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let effective = action_input(exec, fid, state, &context)?;
    if let Some(outcome) = exec.isolation.as_ref().and_then(|i| i.children_outcome.clone()) {
        return outcome.map(|result| Flow::Result(Payload::new(result)));
    }
    exec.record(Some(fid), EventKind::ParallelStateStarted);
    if branches.is_empty() {
        exec.record(Some(fid), EventKind::ParallelStateSucceeded);
        return Ok(Flow::Result(Payload::new(Value::Array(Vec::new()))));
    }
    exec.fiber_mut(fid).children = Some(Box::new(Children {
        results: vec![None; branches.len()],
        live: std::collections::VecDeque::with_capacity(branches.len()),
        remaining: branches.len(),
        items: Vec::new(),
        next_item: 0,
        selector_input: effective.clone(),
        max_concurrency: 0,
        failed: 0,
        tolerated_count: None,
        tolerated_percentage: None,
        is_map: false,
        map_run: None,
    }));
    exec.fiber_mut(fid).phase = Phase::AwaitChildren;
    let mut spawned = Vec::with_capacity(branches.len());
    for (index, &scope) in branches.iter().enumerate() {
        let start = exec.program.scope(scope).start;
        let child = exec.spawn(scope, start, effective.clone(), Some((fid, index)));
        spawned.push(child);
    }
    for &child in spawned.iter().rev() {
        exec.ready.push_front(child);
    }
    exec.fiber_mut(fid).children.as_mut().expect("set above").live = spawned.into();
    Ok(Flow::Parked)
}
