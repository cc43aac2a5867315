//! Map: ItemsPath, ItemSelector (or legacy Parameters) with `$$.Map.Item`,
//! MaxConcurrency(Path), ToleratedFailureCount/Percentage(Path); in JSONata states Items,
//! ItemSelector with `$states.context.Map.Item`, and the counts as expressions. Iterations start
//! in index order, at most MaxConcurrency at a time; results keep item order.
//!
//! A Distributed Map ([`crate::asl::interp::distributed`]) reads its items with its ItemReader
//! through the handler registry (S3's getObject/listObjectsV2), selects and batches them, runs
//! each as a child workflow execution of its own (its own `$$.Execution` and `$$.StateMachine`,
//! no MapIteration events, its events in a history of its own (`Execution::child_histories`), no outer variables), records MapRunStarted after
//! MapStateStarted and MapRunSucceeded before MapStateSucceeded (as AWS's recorded histories
//! have them: MapStateStarted, MapRunStarted, MapRunSucceeded, MapStateSucceeded, then
//! MapStateExited linked to MapRunSucceeded), MapRunFailed for a failed run, fails with
//! States.ExceedToleratedFailureThreshold past its tolerance (0 by default), and with a
//! ResultWriter puts the result files and manifest into S3 and outputs `ResultWriterDetails`.

use std::sync::Arc;

use serde_json::Value;

use super::{Flow, context_for, finish_with_result, handle_error_after, jsonata_value, query_failed, site, variables};
use crate::asl::interp::distributed::{self, ChildRun, DistributedSpec, InputType, PayloadSpec, ReaderCall, ReaderSpec, Setting};
use crate::asl::interp::plug::{TaskContext, TaskRequest};
use crate::asl::interp::{ChildExecution, MapRun, names};
use crate::asl::history::EventKind;
use crate::asl::interp::pipeline::{self, QueryFailure, Refs};
use crate::asl::interp::program::{Action, CompiledState, MapSpec};
use crate::asl::interp::{Children, Execution, FiberId, Phase, StatesError};
use crate::asl::jsonata::{JsonataTemplate, type_name};
use crate::asl::model::QueryLanguage;
use crate::asl::path::{JsonPath, cause};
use crate::asl::value::Payload;

fn integer_field(path: &JsonPath, field: &str, input: &Value, refs: &Refs, site: pipeline::StateSite) -> Result<u64, StatesError> {
    let value = path.eval(&refs.roots(input)).map_err(|e| site.runtime(&cause::invalid_path(path.as_str(), &e)))?;
    if field == "ToleratedFailureCountPath" && value.as_i64().is_some_and(|n| n < 0) {
        return Err(site.runtime("ToleratedFailureCount cannot be negative."));
    }
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
fn given_by_test_state(exec: &Execution) -> Option<Vec<Value>> {
    exec.isolation.as_ref().and_then(|i| i.reader_items.clone())
}

/// Where a Map's items come from before its own selector (`Items`, `ItemsPath`) is looked at.
enum Given {
    /// Given whole: by TestState (`mapItemReaderData`) or read by the ItemReader.
    Items(Vec<Value>),
    /// The ItemReader failed: the Map Run's failure is recorded and the fiber parked.
    Parked,
    /// No reader: the Map's selector picks the items from its input.
    None,
}

/// The items TestState or an ItemReader gives a Map, the same for both query languages. A Map
/// with a field the simulator cannot honour fails here, in a real run only: TestState gives the
/// reader's items itself.
fn given_items(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec, input: &Value) -> Result<Given, StatesError> {
    let distributed = spec.distributed.as_ref();
    if let Some(cause) = distributed.and_then(|d| d.unsupported.as_ref()).filter(|_| exec.isolation.is_none()) {
        return Err(site(exec, fid, state).runtime(cause));
    }
    if let Some(items) = given_by_test_state(exec) {
        return Ok(Given::Items(items));
    }
    match distributed.and_then(|d| d.reader.as_ref()) {
        Some(reader) => Ok(read_in_map_run(exec, fid, state, spec, reader, input)?.map_or(Given::Parked, Given::Items)),
        None => Ok(Given::None),
    }
}

fn run_jsonata(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec) -> Result<Flow, StatesError> {
    let raw = exec.fiber(fid).input.clone();
    let items = match given_items(exec, fid, state, spec, &raw)? {
        Given::Items(items) => Value::Array(items),
        Given::Parked => return Ok(Flow::Parked),
        Given::None => match &spec.items {
            Some(template) => jsonata_field(exec, fid, state, template, "Items", &raw, "array")?,
            None => Value::clone(&raw),
        },
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
    distributed_started(exec, fid, spec, items.len());
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
    if tolerated_percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
        return Err(site(exec, fid, state).runtime("ToleratedFailurePercentage must be between 0 and 100."));
    }
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
    let items = match given_items(exec, fid, state, spec, &effective)? {
        Given::Items(items) => Value::Array(items),
        Given::Parked => return Ok(Flow::Parked),
        Given::None => match &spec.items_path {
            Some(p) => p.eval(&refs.roots(&effective)).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?,
            None => Value::clone(&effective),
        },
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
    distributed_started(exec, fid, spec, items.len());
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
            let percentage = value.as_f64().ok_or_else(|| site.runtime(&cause::field_not_number(field, p.as_str(), &value)))?;
            if !(0.0..=100.0).contains(&percentage) {
                return Err(site.runtime("ToleratedFailurePercentage must be between 0 and 100."));
            }
            Some(percentage)
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
    effective: Payload,
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
            return outcome.map(|result| Flow::Result(Payload::new(result)));
        }
    }
    // A Distributed Map recorded its MapStateStarted already ([`distributed_started`]).
    if spec.distributed.is_none() {
        exec.record(Some(fid), EventKind::MapStateStarted { length: items.len() });
    }
    if let Some(d) = spec.distributed.as_deref() {
        return start_map_run(exec, fid, state, spec, d, items, effective, max_concurrency, tolerated_count, tolerated_percentage);
    }
    if items.is_empty() {
        exec.record(Some(fid), EventKind::MapStateSucceeded);
        return Ok(Flow::Result(Payload::new(Value::Array(Vec::new()))));
    }
    let tolerance = (tolerated_count, tolerated_percentage);
    await_iterations(exec, fid, state, spec, items, effective, max_concurrency, tolerance, None)
}

/// Parks the Map on its iterations (or a Map Run's child executions): one result slot per
/// item, the first `max_concurrency` started.
#[allow(clippy::too_many_arguments)]
fn await_iterations(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    spec: &MapSpec,
    items: Vec<Value>,
    selector_input: Payload,
    max_concurrency: u64,
    (tolerated_count, tolerated_percentage): (Option<u64>, Option<f64>),
    map_run: Option<Box<MapRun>>,
) -> Result<Flow, StatesError> {
    let count = items.len();
    exec.fiber_mut(fid).children = Some(Box::new(Children {
        results: vec![None; count],
        live: std::collections::VecDeque::new(),
        remaining: count,
        items,
        next_item: 0,
        selector_input,
        max_concurrency: max_concurrency as usize,
        failed: 0,
        tolerated_count,
        tolerated_percentage,
        is_map: true,
        map_run,
    }));
    exec.fiber_mut(fid).phase = Phase::AwaitChildren;
    spawn_iterations(exec, fid, state, spec)?;
    Ok(Flow::Parked)
}

/// A Distributed Map's start: items selected and batched (with an ItemBatcher), the Map Run
/// named and recorded, the first child executions started.
#[allow(clippy::too_many_arguments)]
fn start_map_run(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    spec: &MapSpec,
    d: &DistributedSpec,
    items: Vec<Value>,
    effective: Payload,
    max_concurrency: u64,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
) -> Result<Flow, StatesError> {
    let preselected = d.batcher.is_some();
    let items = match &d.batcher {
        None => items,
        Some(batcher) => {
            // Each item goes through the ItemSelector, then into a batch.
            let mut selected = Vec::with_capacity(items.len());
            for (index, item) in items.into_iter().enumerate() {
                selected.push(select_item(exec, fid, state, spec, index, item, &effective)?);
            }
            let max_items = setting(exec, fid, state, batcher.max_items_per_batch.as_ref(), &effective, "MaxItemsPerBatch")?;
            let max_bytes = setting(exec, fid, state, batcher.max_input_bytes_per_batch.as_ref(), &effective, "MaxInputBytesPerBatch")?;
            let batch_input = batcher.batch_input.as_ref().map(|p| payload(exec, fid, state, p, &effective, "BatchInput")).transpose()?;
            distributed::batches(selected, max_items, max_bytes, batch_input.as_ref()).map_err(|cause| site(exec, fid, state).runtime(&cause))?
        }
    };
    let (arn, id, names) = map_run_identity(exec, d);
    exec.record(Some(fid), EventKind::MapRunStarted { map_run_arn: arn.as_str().into() });
    let count = items.len();
    let run = MapRun { arn, id, names, runs: vec![None; count], ended: vec![false; count], preselected };
    if items.is_empty() {
        let output = match map_run_output(exec, fid, state, d, &run, Vec::new(), &effective) {
            Ok(output) => output,
            Err(error) => {
                map_run_failed(exec, fid, state, error);
                return Ok(Flow::Parked);
            }
        };
        exec.record(Some(fid), EventKind::MapRunSucceeded);
        exec.record(Some(fid), EventKind::MapStateSucceeded);
        return Ok(Flow::Result(Payload::new(output)));
    }
    // A Distributed Map tolerates no failed child unless told otherwise.
    let tolerance = (tolerated_count.or(Some(0)), tolerated_percentage);
    await_iterations(exec, fid, state, spec, items, effective, max_concurrency, tolerance, Some(Box::new(run)))
}

/// An item through the ItemSelector (or as it is without one), with `$$.Map.Item` set.
#[allow(clippy::too_many_arguments)]
fn select_item(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec, index: usize, item: Value, selector_input: &Value) -> Result<Value, StatesError> {
    Ok(match (&spec.item_selector, &spec.item_selector_jsonata) {
        (_, Some(template)) => {
            let mut context = exec.context_object_with(fid, None, spec.selector_reads_execution_input);
            context["Map"] = map_item_context(index, item);
            let states = pipeline::states_object(selector_input, &context, None, None);
            let vars = variables(exec, fid);
            let now = exec.clock.now();
            pipeline::evaluate_jsonata(template, &states, &vars, now, &mut exec.rng, exec.config.quotas.jsonata, "ItemSelector")
                .map_err(|f| query_failed(exec, fid, state, f))?
        }
        (Some(template), None) => {
            let mut context = exec.context_object_with(fid, None, spec.selector_reads_execution_input);
            context["Map"] = map_item_context(index, item);
            let site = site(exec, fid, state);
            let vars = variables(exec, fid);
            pipeline::build(template, selector_input, &Refs { context: &context, variables: &vars }, &mut exec.rng, site)?
        }
        (None, None) => item,
    })
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
        let distributed = children.map_run.as_ref().map(|run| run.preselected);
        let item = std::mem::take(&mut exec.fiber_mut(fid).children.as_mut().expect("checked").items[index]);
        let input = if distributed == Some(true) {
            item
        } else {
            let selector_input = exec.fiber(fid).children.as_ref().expect("checked").selector_input.clone();
            select_item(exec, fid, state, spec, index, item, &selector_input)?
        };
        let start = exec.program.scope(spec.processor).start;
        let child_input = Payload::new(input);
        let child = exec.spawn(spec.processor, start, child_input.clone(), Some((fid, index)));
        if distributed.is_some() {
            // A child workflow execution of its own: its events are its own history's, and it
            // sees none of the parent's variables.
            let name = crate::asl::jsonata::functions::uuid_from(&mut exec.rng);
            let now = exec.clock.now();
            let run = exec.fiber_mut(fid).children.as_mut().and_then(|c| c.map_run.as_mut()).expect("checked");
            let arn = format!("{}{name}", run.names.execution_prefix);
            let state_machine_arn = run.names.state_machine_arn.clone();
            run.runs[index] = Some(ChildRun { name: name.clone(), input: Value::clone(&child_input), start: now, stop: now, outcome: Ok(Value::Null) });
            let history = exec.start_child_history(child, state.name.clone(), name.clone(), arn.clone(), child_input.clone());
            let execution = ChildExecution { arn, name, input: child_input.clone(), start: now, state_machine_arn, history };
            let fiber = exec.fiber_mut(child);
            fiber.child_execution = Some(Arc::new(execution));
            fiber.variables = crate::asl::interp::variables::VariableScope::default();
        } else {
            exec.fiber_mut(child).iteration_of = Some(state.name.clone());
        }
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
        let distributed = exec.fiber_mut(fid).children.take().is_some_and(|c| c.map_run.is_some());
        if distributed {
            map_run_failed(exec, fid, state, error);
        } else {
            handle_error_after(exec, fid, state, error, Some(EventKind::MapStateFailed));
        }
    }
}

/// A Distributed Map whose children have all ended: its output (the results, or where the
/// ResultWriter put them), MapRunSucceeded, and the state's result.
pub(super) fn finish_map_run(exec: &mut Execution, fid: FiberId, state: &CompiledState, children: Box<Children>) {
    let Action::Map(spec) = &state.action else { return };
    let Some(d) = spec.distributed.as_deref() else { return };
    let Children { results, map_run, selector_input, .. } = *children;
    let run = map_run.expect("a Map Run");
    let runs: Vec<ChildRun> = run.runs.iter().flatten().cloned().collect();
    let output = match &d.writer {
        None => Ok(Value::Array(results.into_iter().map(|r| r.unwrap_or(Value::Null)).collect())),
        Some(_) => map_run_output(exec, fid, state, d, &run, runs, &selector_input),
    };
    exec.fiber_mut(fid).phase = Phase::Act;
    match output {
        Ok(output) => {
            // Then MapStateSucceeded, as after an inline Map's last iteration; the state's
            // exit links to MapRunSucceeded (`Link::AsideOfLast`).
            exec.record(Some(fid), EventKind::MapRunSucceeded);
            exec.record(Some(fid), EventKind::MapStateSucceeded);
            finish_with_result(exec, fid, state, Payload::new(output));
        }
        Err(error) => map_run_failed(exec, fid, state, error),
    }
}

/// A Map Run that failed: MapRunFailed (its error and cause), then MapStateFailed unless a
/// retrier runs the state again, then Retry/Catch. AWS's recorded histories of a Map Run that
/// failed read MapRunStarted, MapRunFailed, MapStateFailed, ExecutionFailed (LocalStack's
/// `test_map_item_reader_csv_max_items_paths[-1]` snapshot).
fn map_run_failed(exec: &mut Execution, fid: FiberId, state: &CompiledState, error: StatesError) {
    exec.record(Some(fid), EventKind::MapRunFailed { error: error.error.clone(), cause: error.cause.clone() });
    handle_error_after(exec, fid, state, error, Some(EventKind::MapStateFailed));
}

/// A Distributed Map past its tolerance (`error`): its results so far are written (a
/// ResultWriter's FAILED and PENDING files too), then MapRunFailed and MapStateFailed
/// ([`map_run_failed`]), and Retry/Catch see `error`.
pub(super) fn fail_map_run(exec: &mut Execution, fid: FiberId, state: &CompiledState, children: Box<Children>, error: StatesError) {
    let Action::Map(spec) = &state.action else { return };
    let Some(d) = spec.distributed.as_deref() else { return };
    let Children { map_run, selector_input, items, next_item, .. } = *children;
    let run = map_run.expect("a Map Run");
    if let Some(writer) = d.writer.as_ref().filter(|w| w.resource.is_some()) {
        let runs: Vec<ChildRun> = run.runs.iter().zip(&run.ended).filter(|(_, ended)| **ended).filter_map(|(r, _)| r.clone()).collect();
        let pending: Vec<Value> = items.into_iter().skip(next_item).collect();
        // The Map fails with its threshold error whether or not the files could be written.
        let _ = write_results(exec, fid, state, writer, &run, runs, pending, &selector_input);
    }
    exec.fiber_mut(fid).phase = Phase::Act;
    map_run_failed(exec, fid, state, error);
}

/// The output of a Map Run with a ResultWriter: the formatted results (WriterConfig only), or
/// `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}` once the files are in S3. Without
/// a writer (an empty run), the empty results.
fn map_run_output(exec: &mut Execution, fid: FiberId, state: &CompiledState, d: &DistributedSpec, run: &MapRun, runs: Vec<ChildRun>, input: &Value) -> Result<Value, StatesError> {
    match &d.writer {
        None => Ok(Value::Array(runs.into_iter().map(|r| r.outcome.unwrap_or_else(|e| e.to_output())).collect())),
        Some(writer) if writer.resource.is_none() => Ok(Value::Array(distributed::transformed(&runs, writer.transformation, &run.names))),
        Some(writer) => write_results(exec, fid, state, writer, run, runs, Vec::new(), input),
    }
}

/// Puts the result files and the manifest into the bucket the writer's Parameters name.
#[allow(clippy::too_many_arguments)]
fn write_results(
    exec: &mut Execution,
    fid: FiberId,
    state: &CompiledState,
    writer: &distributed::WriterSpec,
    run: &MapRun,
    runs: Vec<ChildRun>,
    pending: Vec<Value>,
    input: &Value,
) -> Result<Value, StatesError> {
    let failed = |cause: String| StatesError::new(names::RESULT_WRITER_FAILED, cause);
    let parameters = match &writer.parameters {
        Some(p) => payload(exec, fid, state, p, input, "Parameters")?,
        None => Value::Object(serde_json::Map::new()),
    };
    let bucket = parameters.get("Bucket").and_then(Value::as_str).ok_or_else(|| failed("The ResultWriter's Parameters must name a Bucket (a string).".into()))?.to_string();
    let prefix = parameters.get("Prefix").and_then(Value::as_str).unwrap_or("");
    let (ok, err): (Vec<ChildRun>, Vec<ChildRun>) = runs.into_iter().partition(|r| r.outcome.is_ok());
    let succeeded = distributed::transformed(&ok, writer.transformation, &run.names);
    let failed_records = distributed::transformed(&err, writer.transformation, &run.names);
    let folder = distributed::result_folder(prefix, &run.id);
    let files = distributed::result_files(&succeeded, &failed_records, &pending, writer.output_type, &folder);
    let resource = writer.resource.as_deref().unwrap_or("arn:aws:states:::s3:putObject");
    for file in &files {
        let request = serde_json::json!({"Bucket": bucket, "Key": file.key, "Body": file.body});
        call_s3(exec, state, resource, &request).map_err(|e| failed(e.cause.unwrap_or_default()))?;
    }
    let manifest_key = format!("{folder}/manifest.json");
    let manifest = serde_json::to_string(&distributed::manifest(&bucket, &run.arn, &files)).unwrap_or_default();
    call_s3(exec, state, resource, &serde_json::json!({"Bucket": bucket, "Key": manifest_key, "Body": manifest})).map_err(|e| failed(e.cause.unwrap_or_default()))?;
    Ok(serde_json::json!({"MapRunArn": run.arn, "ResultWriterDetails": {"Bucket": bucket, "Key": manifest_key}}))
}

/// A new Map Run's ARN, id and the names its child executions get.
fn map_run_identity(exec: &mut Execution, d: &DistributedSpec) -> (String, String, distributed::MapRunNames) {
    let id = crate::asl::jsonata::functions::uuid_from(&mut exec.rng);
    let (region, account, machine) = (&exec.config.region, &exec.config.account, &exec.config.state_machine_name);
    let arn = format!("arn:aws:states:{region}:{account}:mapRun:{machine}/{}:{id}", d.label);
    let names = distributed::MapRunNames {
        state_machine_arn: format!("arn:aws:states:{region}:{account}:stateMachine:{machine}/{}", d.label),
        // EXPRESS children have express execution ARNs.
        execution_prefix: match d.child_type {
            distributed::ChildType::Standard => format!("arn:aws:states:{region}:{account}:execution:{machine}/{}:", d.label),
            distributed::ChildType::Express => format!("arn:aws:states:{region}:{account}:express:{machine}/{}:", d.label),
        },
    };
    (arn, id, names)
}

/// Reads a Distributed Map's items; `None` when the reader failed, which is then handled.
///
/// The Map Run is what reads the items, so a reader that fails records MapRunStarted then
/// MapRunFailed (the reader's error and cause) and MapStateFailed, as a Map Run past its
/// tolerance does; Retry and Catch then see the error.
///
/// AWS's recorded histories (LocalStack's `test_map_item_reader_csv_max_items_paths` snapshots)
/// fix the order: MapStateStarted with length 0 (the items are not read yet); then a MaxItemsPath
/// that is not an integer fails the state there with States.Runtime (`Err`: no Map Run, no
/// MapStateFailed); a negative MaxItems is the reader's failure ("field MaxItems must be
/// positive"); a failed read records MapRunStarted, MapRunFailed and MapStateFailed.
fn read_in_map_run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &MapSpec, reader: &ReaderSpec, input: &Value) -> Result<Option<Vec<Value>>, StatesError> {
    exec.record(Some(fid), EventKind::MapStateStarted { length: 0 });
    let max_items = max_items(exec, fid, state, reader, input)?;
    let error = match max_items.and_then(|max| read_with(exec, fid, state, reader, input, max)) {
        Ok(items) => return Ok(Some(items)),
        Err(error) => error,
    };
    if let Some(d) = spec.distributed.as_deref() {
        let (arn, ..) = map_run_identity(exec, d);
        exec.record(Some(fid), EventKind::MapRunStarted { map_run_arn: arn.as_str().into() });
    }
    map_run_failed(exec, fid, state, error);
    Ok(None)
}

/// A Distributed Map records MapStateStarted (its items' count) as soon as it has its items,
/// before it reads its MaxConcurrency and tolerated-failure settings and before its Map Run
/// starts: AWS's recorded histories read MapStateEntered, MapStateStarted {length},
/// MapRunStarted, and a ToleratedFailureCountPath or ...PercentagePath that selects no valid
/// value fails the state after MapStateStarted (an inline Map's MaxConcurrencyPath fails before
/// it). One with an ItemReader recorded it (length 0) before reading ([`read_in_map_run`]).
fn distributed_started(exec: &mut Execution, fid: FiberId, spec: &MapSpec, length: usize) {
    if spec.distributed.is_some() && !reads_in_map_run(exec, spec) {
        exec.record(Some(fid), EventKind::MapStateStarted { length });
    }
}

/// Whether this run of the Map reads its items with its ItemReader (TestState may give them).
fn reads_in_map_run(exec: &Execution, spec: &MapSpec) -> bool {
    spec.distributed.as_ref().is_some_and(|d| d.reader.is_some()) && given_by_test_state(exec).is_none()
}

/// The reader's MaxItems (`None`: no limit, as 0 is). A MaxItemsPath that selects no integer
/// fails the state (`Err`, States.Runtime, AWS's words); a negative value is the Map Run's
/// failure to read (the inner `Err`, States.ItemReaderFailed).
fn max_items(exec: &mut Execution, fid: FiberId, state: &CompiledState, reader: &ReaderSpec, input: &Value) -> Result<Result<Option<u64>, StatesError>, StatesError> {
    let Some(setting) = reader.max_items.as_ref() else { return Ok(Ok(None)) };
    let value = setting_value(exec, fid, state, setting, input, "MaxItems")?;
    if let (Setting::Path(p), None, None) = (setting, value.as_i64(), value.as_u64()) {
        return Err(site(exec, fid, state).runtime(&cause::field_not_integer("MaxItemsPath", p.as_str(), &value)));
    }
    Ok(match value.as_f64() {
        Some(n) if n < 0.0 => Err(StatesError::new(names::ITEM_READER_FAILED, "field MaxItems must be positive")),
        Some(n) if n.fract() == 0.0 => Ok(Some(n as u64).filter(|n| *n > 0)),
        _ => return Err(site(exec, fid, state).runtime(&format!("MaxItems must be a non-negative integer, but was {value}."))),
    })
}

/// Calls S3 through the handler registry, as the Map Run does.
fn call_s3(exec: &mut Execution, state: &CompiledState, resource: &str, input: &Value) -> Result<Value, StatesError> {
    let request = TaskRequest { state_name: &state.name, resource, function_name: None, input, attempt: 0 };
    let now = exec.clock.now();
    let mut log = Vec::new();
    match exec.handlers.find(&request) {
        Some(handler) => handler.invoke(&request, &mut TaskContext { now, rng: &mut exec.rng, log: &mut log, logging: false }),
        None => Err(StatesError::new(names::TASK_FAILED, format!("No handler is registered for the resource '{resource}'."))),
    }
}

/// A Distributed Map's payload (reader or writer Parameters/Arguments, BatchInput) over `input`.
fn payload(exec: &mut Execution, fid: FiberId, state: &CompiledState, payload: &PayloadSpec, input: &Value, field: &str) -> Result<Value, StatesError> {
    match payload {
        PayloadSpec::JsonPath(template) => {
            let context = context_for(exec, fid, state);
            let vars = variables(exec, fid);
            let site = site(exec, fid, state);
            pipeline::build(template, input, &Refs { context: &context, variables: &vars }, &mut exec.rng, site)
        }
        PayloadSpec::Jsonata(template) => jsonata_value(exec, fid, state, template, field, input, None, None),
    }
}

/// The value a Distributed Map's count setting gives: its literal, what its path selects (a path
/// that selects nothing fails the state), or what its JSONata expression evaluates to.
fn setting_value(exec: &mut Execution, fid: FiberId, state: &CompiledState, setting: &Setting, input: &Value, field: &str) -> Result<Value, StatesError> {
    Ok(match setting {
        Setting::Literal(n) => Value::from(*n),
        Setting::Path(p) => {
            let context = context_for(exec, fid, state);
            let vars = variables(exec, fid);
            let refs = Refs { context: &context, variables: &vars };
            let site = site(exec, fid, state);
            p.eval(&refs.roots(input)).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?
        }
        Setting::Expression(t) => jsonata_value(exec, fid, state, t, field, input, None, None)?,
    })
}

/// A count of a Distributed Map (MaxItems, MaxItemsPerBatch ...): a positive integer.
fn setting(exec: &mut Execution, fid: FiberId, state: &CompiledState, setting: Option<&Setting>, input: &Value, field: &str) -> Result<Option<u64>, StatesError> {
    let Some(setting) = setting else { return Ok(None) };
    let value = setting_value(exec, fid, state, setting, input, field)?;
    match value.as_f64() {
        Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(Some(n as u64)),
        _ => Err(site(exec, fid, state).runtime(&format!("{field} must be a non-negative integer, but was {value}."))),
    }
}

/// The items an ItemReader reads, at most MaxItems. Any failure to read is
/// States.ItemReaderFailed.
fn read_with(exec: &mut Execution, fid: FiberId, state: &CompiledState, reader: &ReaderSpec, input: &Value, max_items: Option<u64>) -> Result<Vec<Value>, StatesError> {
    let failed = |cause: String| StatesError::new(names::ITEM_READER_FAILED, cause);
    let parameters = match &reader.parameters {
        Some(p) => payload(exec, fid, state, p, input, "Arguments")?,
        None => Value::Object(serde_json::Map::new()),
    };
    // What S3 refuses is the reader's failure; what Statecraft does not simulate (an object
    // version) stops the run at the state instead.
    let get = |exec: &mut Execution, bucket: &Value, key: &str, version: Option<&Value>| -> Result<String, StatesError> {
        let mut request = serde_json::json!({"Bucket": bucket, "Key": key});
        if let Some(version) = version {
            request["VersionId"] = version.clone();
        }
        let object = call_s3(exec, state, "arn:aws:states:::s3:getObject", &request)
            .map_err(|e| if e.error.as_deref() == Some(names::RUNTIME) { e } else { failed(e.cause.unwrap_or_default()) })?;
        Ok(object.get("Body").and_then(Value::as_str).unwrap_or_default().to_string())
    };
    let bucket = parameters.get("Bucket").cloned().unwrap_or(Value::Null);
    let mut items = match reader.call {
        ReaderCall::GetObject => {
            let key = parameters.get("Key").and_then(Value::as_str).ok_or_else(|| failed("The ItemReader's Parameters must name a Key (a string).".into()))?.to_string();
            // "If the bucket has versioning enabled, you can also provide the Amazon S3 object
            // version" (ItemReader (Map)): handed to getObject, which says it is not simulated.
            let body = get(exec, &bucket, &key, parameters.get("VersionId").filter(|v| !v.is_null()))?;
            match reader.input_type {
                Some(InputType::Manifest) => {
                    let (files_bucket, files, header) = distributed::manifest_files(&body, &key).map_err(failed)?;
                    let mut items = Vec::new();
                    for file in files {
                        let text = get(exec, &Value::String(files_bucket.clone()), &file, None)?;
                        items.extend(distributed::parse_csv(&text, &header, b',', &file).map_err(failed)?);
                    }
                    items
                }
                Some(input_type) => distributed::parse_object(reader, input_type, &key, &body).map_err(failed)?,
                None => return Err(failed("An ItemReader over s3:getObject needs ReaderConfig.InputType (JSON, JSONL, CSV or MANIFEST).".into())),
            }
        }
        ReaderCall::ListObjectsV2 => {
            let mut request = parameters.clone();
            let mut entries = Vec::new();
            loop {
                let page = call_s3(exec, state, &reader.resource, &request).map_err(|e| failed(e.cause.unwrap_or_default()))?;
                entries.extend(page.get("Contents").and_then(Value::as_array).cloned().unwrap_or_default());
                match page.get("NextContinuationToken").filter(|_| page["IsTruncated"] == Value::Bool(true)) {
                    Some(token) => request["ContinuationToken"] = token.clone(),
                    None => break,
                }
            }
            if reader.load_and_flatten {
                let input_type = reader.input_type.filter(|t| *t != InputType::Manifest).ok_or_else(|| failed("LOAD_AND_FLATTEN needs ReaderConfig.InputType JSON, JSONL or CSV.".into()))?;
                let mut items = Vec::new();
                for entry in &entries {
                    let key = entry.get("Key").and_then(Value::as_str).unwrap_or_default().to_string();
                    let body = get(exec, &bucket, &key, None)?;
                    items.extend(distributed::parse_object(reader, input_type, &key, &body).map_err(failed)?);
                }
                items
            } else {
                entries.iter().map(distributed::listed_object).collect()
            }
        }
    };
    if let Some(max) = max_items {
        items.truncate(max as usize);
    }
    Ok(items)
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
