//! Map (inline): ItemsPath, ItemSelector (or legacy Parameters) with `$$.Map.Item`,
//! MaxConcurrency(Path), ToleratedFailureCount/Percentage(Path). Iterations start in index
//! order, at most MaxConcurrency at a time; results keep item order.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Flow, context_for, handle_error_after, site};
use crate::asl::history::EventKind;
use crate::asl::interp::pipeline;
use crate::asl::interp::program::{Action, CompiledState, MapSpec};
use crate::asl::interp::{Children, Execution, FiberId, Phase, StatesError};
use crate::asl::path::{JsonPath, Roots, cause};

fn integer_field(path: &JsonPath, field: &str, input: &Value, context: &Value, site: pipeline::StateSite) -> Result<u64, StatesError> {
    let value = path
        .eval(&Roots::input(input).with_context(context))
        .map_err(|e| site.runtime(&cause::invalid_path(path.as_str(), &e)))?;
    value.as_u64().ok_or_else(|| site.runtime(&cause::field_not_integer(field, path.as_str(), &value)))
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &context, site)?;
    let items = match &spec.items_path {
        Some(p) => p
            .eval(&Roots::input(&effective).with_context(&context))
            .map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?,
        None => Value::clone(&effective),
    };
    let items = match items {
        Value::Array(items) => items,
        other => {
            let path = spec.items_path.as_ref().map_or("$", |p| p.as_str());
            return Err(site.runtime(&format!(
                "Item reader failed: the ItemsPath '{path}' does not point to an array but to {}",
                serde_json::to_string(&other).unwrap_or_default()
            )));
        }
    };
    let max_concurrency = match &spec.max_concurrency_path {
        Some(p) => integer_field(p, "MaxConcurrencyPath", &effective, &context, site)?,
        None => spec.max_concurrency.unwrap_or(0),
    };
    let tolerated_count = match &spec.tolerated_failure_count_path {
        Some(p) => Some(integer_field(p, "ToleratedFailureCountPath", &effective, &context, site)?),
        None => spec.tolerated_failure_count,
    };
    let tolerated_percentage = match &spec.tolerated_failure_percentage_path {
        Some(p) => Some(
            p.eval(&Roots::input(&effective).with_context(&context))
                .ok()
                .and_then(|v| v.as_f64())
                .ok_or_else(|| site.runtime(&format!("The ToleratedFailurePercentagePath field does not refer to a number: {}", p.as_str())))?,
        ),
        None => spec.tolerated_failure_percentage,
    };
    exec.record(Some(fid), EventKind::MapStateStarted { length: items.len() });
    if items.is_empty() {
        exec.record(Some(fid), EventKind::MapStateSucceeded);
        return Ok(Flow::Result(Arc::new(Value::Array(Vec::new()))));
    }
    let count = items.len();
    exec.fiber_mut(fid).children = Some(Children {
        results: vec![None; count],
        live: Vec::new(),
        remaining: count,
        items,
        next_item: 0,
        selector_input: effective,
        max_concurrency: max_concurrency as usize,
        failed: 0,
        tolerated_count,
        tolerated_percentage,
        is_map: true,
    });
    exec.fiber_mut(fid).phase = Phase::AwaitChildren;
    spawn_iterations(exec, fid, state, spec)?;
    Ok(Flow::Parked)
}

/// Starts as many iterations as MaxConcurrency allows, lowest index first.
fn spawn_iterations(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec) -> Result<(), StatesError> {
    let mut spawned = Vec::new();
    loop {
        let children = exec.fiber(fid).children.as_ref().expect("a Map in progress");
        let limit = if children.max_concurrency == 0 { usize::MAX } else { children.max_concurrency };
        if children.next_item >= children.items.len() || children.live.len() >= limit {
            break;
        }
        let index = children.next_item;
        let item = std::mem::take(&mut exec.fiber_mut(fid).children.as_mut().expect("checked").items[index]);
        let input = match &spec.item_selector {
            Some(template) => {
                let mut context = exec.context_object(fid, None);
                context["Map"] = json!({"Item": {"Index": index, "Value": item}});
                let selector_input = exec.fiber(fid).children.as_ref().expect("checked").selector_input.clone();
                let site = site(exec, fid, state);
                pipeline::build(template, &selector_input, &context, &mut exec.rng, site)?
            }
            None => item,
        };
        let start = exec.program.scopes[spec.processor].start;
        let child = exec.spawn(spec.processor, start, Arc::new(input), Some((fid, index)));
        exec.fiber_mut(child).iteration_of = Some(state.name.clone());
        let children = exec.fiber_mut(fid).children.as_mut().expect("checked");
        children.next_item += 1;
        children.live.push(child);
        spawned.push(child);
    }
    for &child in spawned.iter().rev() {
        exec.ready.push_front(child);
    }
    Ok(())
}

/// After an iteration ends: starts the next ones MaxConcurrency now allows.
pub(super) fn start_more(exec: &mut Execution, fid: FiberId, state: &CompiledState) {
    let Action::Map(spec) = &state.action else { return };
    if let Err(error) = spawn_iterations(exec, fid, state, spec) {
        super::abort_children(exec, fid);
        exec.fiber_mut(fid).children = None;
        handle_error_after(exec, fid, state, error, Some(EventKind::MapStateFailed));
    }
}
