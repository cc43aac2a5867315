//! Map (inline): ItemsPath, ItemSelector (or legacy Parameters) with `$$.Map.Item`,
//! MaxConcurrency(Path), ToleratedFailureCount/Percentage(Path); in JSONata states Items,
//! ItemSelector with `$states.context.Map.Item`, and the counts as expressions. Iterations start
//! in index order, at most MaxConcurrency at a time; results keep item order.

use std::sync::Arc;

use serde_json::Value;

use super::{Flow, context_for, handle_error_after, jsonata_value, query_failed, site, variables};
use crate::asl::history::EventKind;
use crate::asl::interp::pipeline::{self, QueryFailure, Refs};
use crate::asl::interp::program::{Action, CompiledState, MapSpec};
use crate::asl::interp::{Children, Execution, FiberId, Phase, StatesError};
use crate::asl::jsonata::{JsonataTemplate, type_name};
use crate::asl::model::QueryLanguage;
use crate::asl::path::{JsonPath, cause};

fn integer_field(path: &JsonPath, field: &str, input: &Value, refs: &Refs, site: pipeline::StateSite) -> Result<u64, StatesError> {
    let value = path.eval(&refs.roots(input)).map_err(|e| site.runtime(&cause::invalid_path(path.as_str(), &e)))?;
    // A variable holding "1" counts as 1, as AWS reads it.
    value
        .as_u64()
        .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
        .ok_or_else(|| site.runtime(&cause::field_not_integer(field, path.as_str(), &value)))
}

/// A JSONata expression field of the Map (Items, MaxConcurrency ...) that must give `expected`.
fn jsonata_field(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    template: &JsonataTemplate,
    field: &str,
    raw: &Value,
    expected: &str,
) -> Result<Value, StatesError> {
    let value = jsonata_value(exec, fid, state, template, field, raw, None, None)?;
    let fits = match expected {
        "array" => value.is_array(),
        "integer" => value.as_f64().is_some_and(|f| f >= 0.0 && f.fract() == 0.0),
        _ => value.is_number(),
    };
    if fits {
        return Ok(value);
    }
    let source = super::wait::expression_source(template);
    let failure = QueryFailure {
        location: Some(field.to_string()),
        cause: format!(
            "The JSONata expression '{source}' specified for the field '{field}' returned an unexpected result type. Expected '{expected}', but was '{}' for value: {value}",
            type_name(&value)
        ),
    };
    Err(query_failed(exec, fid, state, failure))
}

/// The items an ItemReader read, when an isolated execution gives them (TestState).
fn read_items(exec: &Execution) -> Option<Vec<Value>> {
    exec.isolation.as_ref().and_then(|i| i.reader_items.clone())
}

fn run_jsonata(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec) -> Result<Flow, StatesError> {
    let raw = exec.fiber(fid).input.clone();
    let items = match (read_items(exec), &spec.items) {
        (Some(items), _) => Value::Array(items),
        (None, Some(template)) => jsonata_field(exec, fid, state, template, "Items", &raw, "array")?,
        (None, None) => Value::clone(&raw),
    };
    let items = match items {
        Value::Array(items) => items,
        other => {
            let failure = QueryFailure {
                location: None,
                cause: format!("Map state input must be an array but was: {}", serde_json::to_string(&other).unwrap_or_default()),
            };
            return Err(query_failed(exec, fid, state, failure));
        }
    };
    let max_concurrency = match &spec.max_concurrency_expression {
        Some(t) => jsonata_field(exec, fid, state, t, "MaxConcurrency", &raw, "integer")?.as_f64().unwrap_or(0.0) as u64,
        None => spec.max_concurrency.unwrap_or(0),
    };
    let tolerated_count = match &spec.tolerated_failure_count_expression {
        Some(t) => Some(jsonata_field(exec, fid, state, t, "ToleratedFailureCount", &raw, "integer")?.as_f64().unwrap_or(0.0) as u64),
        None => spec.tolerated_failure_count,
    };
    let tolerated_percentage = match &spec.tolerated_failure_percentage_expression {
        Some(t) => Some(jsonata_field(exec, fid, state, t, "ToleratedFailurePercentage", &raw, "number")?.as_f64().unwrap_or(0.0)),
        None => spec.tolerated_failure_percentage,
    };
    start(exec, fid, state, spec, items, raw, max_concurrency, tolerated_count, tolerated_percentage)
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec) -> Result<Flow, StatesError> {
    if state.query_language == QueryLanguage::Jsonata {
        // A JSONata Map that fails before its iterations start records MapStateFailed (unless retried).
        return match run_jsonata(exec, fid, state, spec) {
            Err(error) => {
                handle_error_after(exec, fid, state, error, Some(EventKind::MapStateFailed));
                Ok(Flow::Parked)
            }
            flow => flow,
        };
    }
    let context = context_for(exec, fid, state);
    let vars = variables(exec, fid);
    let refs = Refs { context: &context, variables: &vars };
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &refs, site)?;
    let items = match (read_items(exec), &spec.items_path) {
        (Some(items), _) => Value::Array(items),
        (None, Some(p)) => p.eval(&refs.roots(&effective)).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?,
        (None, None) => Value::clone(&effective),
    };
    let items = match items {
        Value::Array(items) => items,
        _ => {
            // AWS's words (recorded by TestState), which name a `$$.` path as `$.`.
            let path = spec.items_path.as_ref().map_or("$", |p| p.as_str());
            let path = path.strip_prefix('$').filter(|rest| rest.starts_with('$')).unwrap_or(path);
            return Err(site.runtime(&format!("Reference path \"{path}\" must point to array.")));
        }
    };
    let max_concurrency = match &spec.max_concurrency_path {
        Some(p) => integer_field(p, "MaxConcurrencyPath", &effective, &refs, site)?,
        None => spec.max_concurrency.unwrap_or(0),
    };
    let tolerated_count = match &spec.tolerated_failure_count_path {
        Some(p) => Some(integer_field(p, "ToleratedFailureCountPath", &effective, &refs, site)?),
        None => spec.tolerated_failure_count,
    };
    let tolerated_percentage = match &spec.tolerated_failure_percentage_path {
        Some(p) => {
            let value = p.eval(&refs.roots(&effective)).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?;
            let field = "ToleratedFailurePercentagePath";
            Some(value.as_f64().ok_or_else(|| site.runtime(&cause::field_not_number(field, p.as_str(), &value)))?)
        }
        None => spec.tolerated_failure_percentage,
    };
    start(exec, fid, state, spec, items, effective, max_concurrency, tolerated_count, tolerated_percentage)
}

/// Records MapStateStarted and starts the first iterations.
#[allow(clippy::too_many_arguments)]
fn start(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    spec: &MapSpec,
    items: Vec<Value>,
    effective: Arc<Value>,
    max_concurrency: u64,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
) -> Result<Flow, StatesError> {
    if let Some(isolation) = exec.isolation.as_deref_mut() {
        let settings = crate::asl::interp::isolated::MapSettings {
            items: items.len(),
            max_concurrency,
            tolerated_failure_count: tolerated_count,
            tolerated_failure_percentage: tolerated_percentage,
        };
        if let Some(outcome) = isolation.map_outcome(settings) {
            return outcome.map(|result| Flow::Result(Arc::new(result)));
        }
    }
    exec.record(Some(fid), EventKind::MapStateStarted { length: items.len() });
    if items.is_empty() {
        exec.record(Some(fid), EventKind::MapStateSucceeded);
        return Ok(Flow::Result(Arc::new(Value::Array(Vec::new()))));
    }
    let count = items.len();
    exec.fiber_mut(fid).children = Some(Box::new(Children {
        results: vec![None; count],
        live: std::collections::VecDeque::new(),
        remaining: count,
        items,
        next_item: 0,
        selector_input: effective,
        max_concurrency: max_concurrency as usize,
        failed: 0,
        tolerated_count,
        tolerated_percentage,
        is_map: true,
    }));
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
        let input = match (&spec.item_selector, &spec.item_selector_jsonata) {
            (_, Some(template)) => {
                let mut context = exec.context_object_with(fid, None, spec.selector_reads_execution_input);
                context["Map"] = map_item_context(index, item);
                let selector_input = exec.fiber(fid).children.as_ref().expect("checked").selector_input.clone();
                let states = pipeline::states_object(&selector_input, &context, None, None);
                let vars = variables(exec, fid);
                let now = exec.clock.now();
                pipeline::evaluate_jsonata(template, &states, &vars, now, &mut exec.rng, exec.config.quotas.jsonata, "ItemSelector")
                    .map_err(|f| query_failed(exec, fid, state, f))?
            }
            (Some(template), None) => {
                let mut context = exec.context_object_with(fid, None, spec.selector_reads_execution_input);
                context["Map"] = map_item_context(index, item);
                let selector_input = exec.fiber(fid).children.as_ref().expect("checked").selector_input.clone();
                let site = site(exec, fid, state);
                let vars = variables(exec, fid);
                pipeline::build(template, &selector_input, &Refs { context: &context, variables: &vars }, &mut exec.rng, site)?
            }
            (None, None) => item,
        };
        let start = exec.program.scope(spec.processor).start;
        let child = exec.spawn(spec.processor, start, Arc::new(input), Some((fid, index)));
        exec.fiber_mut(child).iteration_of = Some(state.name.clone());
        let children = exec.fiber_mut(fid).children.as_mut().expect("checked");
        children.next_item += 1;
        children.live.push_back(child);
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

/// `{"Item": {"Index": i, "Value": item}}`, moving the item in (`json!` would copy it).
fn map_item_context(index: usize, item: Value) -> Value {
    let mut entry = serde_json::Map::with_capacity(2);
    entry.insert("Index".into(), Value::from(index));
    entry.insert("Value".into(), item);
    let mut map = serde_json::Map::with_capacity(1);
    map.insert("Item".into(), Value::Object(entry));
    Value::Object(map)
}
