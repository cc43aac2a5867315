//! The generator: a search, guided by what running scenarios actually reaches. It starts from the
//! document's scenarios and the skeleton of what the definition reads ([`crate::sim::skeleton`]),
//! runs each, and from every scenario that reached something new derives more: for each Choice
//! it visited, inputs that make each rule hold and all of them fail ([`synth`]), put where that
//! state's input lives in the execution's input, or returned by the Task whose result it reads;
//! for each Task it visited, the error each Catch takes, one failure then success and failures
//! until each Retry is exhausted, a latency past its timeout, a missed heartbeat injected; for a
//! `.waitForTaskToken` Task, its callback answered with success, with each Catch's and Retry's
//! error, or never (until its timeout, heartbeats sent, or its missed heartbeat); for each Map
//! and Parallel, an error thrown inside. A scenario is kept only when
//! its run reached a state, edge or goal no kept scenario had. Its expected outcome is then
//! recorded as observed, so the suite pins today's behaviour.

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use serde_json::{Map, Value};

use super::coverage::{Reached, reached};
use super::graph::{self, ANY_ERROR, Graph};
use super::origin::{self, Origin};
use super::paths::{self, Step};
use super::synth::{self, Assignment};
use crate::sim::batch::{Batch, SetupError, Simulator};
use crate::sim::handler::{CallbackAnswer, HandlerChoice, HandlerSet, HandlerSpec};
use crate::sim::run::RunModel;
use crate::sim::scenario::{Expected, Scenario};

/// How far the search goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Executions the search may run (each is milliseconds of virtual time at most).
    pub max_runs: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { max_runs: 1500 }
    }
}

/// What the generator gives: the scenarios (expected outcomes recorded), and how many runs it took.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    pub scenarios: Vec<Scenario>,
    pub runs: usize,
}

/// The seed of every run of a suite, while generating and when running it: a scenario reaches
/// what it reached when it was kept.
pub const SEED: u64 = 0;

/// The history limit of a suite's runs (AWS's is 25,000 events): a polling loop whose Task
/// always answers "not yet" reaches it, and a suite of such loops stays quick to run.
pub const HISTORY_LIMIT: usize = 2_000;

/// The simulator a suite runs on: the document's handlers, the S3 objects its account holds
/// before each run (`s3`: a Distributed Map's ItemReader reads them), [`HISTORY_LIMIT`].
pub fn suite_simulator(definition: &str, handlers: &HandlerSet, s3: &crate::handlers::s3::ObjectStore) -> Result<Simulator, SetupError> {
    Ok(Simulator { history_limit: Some(HISTORY_LIMIT), s3: s3.clone(), ..Simulator::new(definition, handlers)? })
}

/// The cause injected errors carry.
pub const INJECTED_CAUSE: &str = "Injected by the generated suite";

/// A scenario being tried: what it is made of, in words, its input and its own handlers.
#[derive(Debug, Clone)]
struct Candidate {
    steps: Vec<String>,
    input: Value,
    handlers: HandlerSet,
}

struct Kept {
    candidate: Candidate,
    run: RunModel,
}

/// Generates the suite of `definition`, starting from `scenarios` (the document's) and the
/// document's handler choices.
pub fn generate(definition: &str, base: &[Scenario], handlers: &HandlerSet, s3: &crate::handlers::s3::ObjectStore, options: Options) -> Result<Generated, SetupError> {
    let simulator = suite_simulator(definition, handlers, s3)?;
    let parsed: Value = serde_json::from_str(definition).unwrap_or_default();
    Ok(generate_on(&simulator, &parsed, base, options))
}

/// [`generate`] on a simulator made already (the page's: its catalogue, its handlers, with
/// [`HISTORY_LIMIT`]), for `parsed`, the definition it runs.
pub fn generate_on(simulator: &Simulator, parsed: &Value, base: &[Scenario], options: Options) -> Generated {
    let mut generation = Generation::new(simulator, parsed, base, options);
    while !generation.advance(usize::MAX) {}
    generation.finish()
}

/// A search in progress, driven step by step: [`Generation::advance`] runs a few more
/// candidates and comes back, so the engine worker reads its messages between two steps (a
/// Stop ends the search there) and reports how far it has got.
pub struct Generation {
    search: Search,
    /// The starting candidates not tried yet.
    starts: VecDeque<Candidate>,
    /// Kept scenarios whose mutations are still to be made.
    queue: VecDeque<usize>,
    /// The mutations of the kept scenario being worked on, not tried yet.
    pending: VecDeque<Candidate>,
}

impl Generation {
    pub fn new(simulator: &Simulator, parsed: &Value, base: &[Scenario], options: Options) -> Generation {
        let mut starts = VecDeque::from([Candidate { steps: vec!["the skeleton input".into()], input: crate::sim::skeleton::skeleton(parsed), handlers: HandlerSet::new() }]);
        for scenario in base {
            if let Ok(input) = scenario.parsed_input() {
                starts.push_back(Candidate { steps: vec![format!("the input of '{}'", scenario.name)], input, handlers: scenario.handlers.clone() });
            }
        }
        let search = Search {
            simulator: simulator.clone(),
            graph: Graph::of(parsed),
            seen: HashSet::new(),
            covered: Reached::default(),
            kept: Vec::new(),
            runs: 0,
            max: options.max_runs,
        };
        Generation { search, starts, queue: VecDeque::new(), pending: VecDeque::new() }
    }

    /// Tries candidates until at least `runs` more executions have run (a candidate's runs are
    /// not split) or the search has ended; whether it has ended.
    pub fn advance(&mut self, runs: usize) -> bool {
        let until = self.search.runs.saturating_add(runs);
        while self.search.runs < until {
            if self.search.runs >= self.search.max {
                self.starts.clear();
                self.queue.clear();
                self.pending.clear();
                return true;
            }
            if let Some(candidate) = self.starts.pop_front() {
                if let Some(k) = self.search.try_candidate(candidate) {
                    self.queue.push_back(k);
                }
            } else if let Some(candidate) = self.pending.pop_front() {
                if let Some(k) = self.search.try_candidate(candidate) {
                    self.queue.push_back(k);
                }
            } else if let Some(k) = self.queue.pop_front() {
                self.pending = mutations(&self.search.graph, &self.search.kept[k]).into();
            } else {
                return true;
            }
        }
        self.done()
    }

    /// Whether nothing is left to try.
    pub fn done(&self) -> bool {
        self.search.runs >= self.search.max || (self.starts.is_empty() && self.pending.is_empty() && self.queue.is_empty())
    }

    /// Executions run so far.
    pub fn runs(&self) -> usize {
        self.search.runs
    }

    /// Scenarios kept so far.
    pub fn kept(&self) -> usize {
        self.search.kept.len()
    }

    /// The scenarios kept so far (all of them once [`Generation::advance`] has said it ended),
    /// their expected outcomes recorded; the search is left empty.
    pub fn finish(&mut self) -> Generated {
        let kept = std::mem::take(&mut self.search.kept);
        let scenarios: Vec<Scenario> = kept
            .iter()
            .enumerate()
            .map(|(i, k)| Scenario {
                name: format!("{:02} {}", i + 1, k.candidate.steps.join("; ")),
                input: serde_json::to_string_pretty(&k.candidate.input).unwrap_or_else(|_| "{}".into()),
                expected: None,
                handlers: k.candidate.handlers.clone(),
            })
            .collect();
        Generated { scenarios: record_expected(&self.search.simulator, scenarios), runs: self.search.runs }
    }
}

/// The scenarios with their expected outcome as a batch run gives it (status, error, end state,
/// the output's top-level fields).
pub fn record_expected(simulator: &Simulator, scenarios: Vec<Scenario>) -> Vec<Scenario> {
    let mut batch = Batch::new(simulator.clone(), scenarios.clone());
    batch.fixed_seed = Some(SEED);
    batch.run_all();
    scenarios
        .into_iter()
        .zip(&batch.rows)
        .map(|(mut scenario, row)| {
            let (output, error) = match &row.result {
                Ok(output) => (output.as_object().cloned().unwrap_or_default(), None),
                Err((error, _)) => (Map::new(), error.clone()),
            };
            scenario.expected = Some(Expected { status: Some(row.status.to_string()), error, end_state: row.end_state.clone(), output });
            scenario
        })
        .collect()
}

struct Search {
    simulator: Simulator,
    graph: Graph,
    seen: HashSet<String>,
    covered: Reached,
    kept: Vec<Kept>,
    runs: usize,
    max: usize,
}

impl Search {
    /// Runs a candidate not tried before; keeps it (its index) when it reached something new.
    fn try_candidate(&mut self, candidate: Candidate) -> Option<usize> {
        let key = format!("{}|{}", candidate.input, serde_json::to_string(&candidate.handlers).unwrap_or_default());
        if !self.seen.insert(key) || self.runs >= self.max {
            return None;
        }
        self.runs += 1;
        let mut simulator = self.simulator.for_scenario(&candidate.handlers).ok()?;
        let mut candidate = candidate;
        let mut run = simulator.run_quiet(candidate.input.clone(), SEED);
        // A field the flow reads but the input lacks: supply it and run again.
        let mut supplied = Vec::new();
        while supplied.len() < 8 && self.runs < self.max {
            let Some((supplied_candidate, path)) = supply_missing(&self.graph, &candidate, &run) else { break };
            // Supplied by a Task's answer: the handlers changed too.
            if supplied_candidate.handlers != candidate.handlers {
                simulator = self.simulator.for_scenario(&supplied_candidate.handlers).ok()?;
            }
            candidate = supplied_candidate;
            supplied.push(path);
            self.runs += 1;
            run = simulator.run_quiet(candidate.input.clone(), SEED);
        }
        if !supplied.is_empty() {
            candidate.steps.push(format!("with {} supplied", supplied.join(", ")));
        }
        let reached = reached(&self.graph, &run);
        let new = reached.minus(&self.covered);
        if new.is_empty() && !self.kept.is_empty() {
            return None;
        }
        self.covered.extend(reached);
        self.kept.push(Kept { candidate, run });
        Some(self.kept.len() - 1)
    }
}

/// When a run failed because a state read a path its input lacks (`The JSONPath '$.x' ... could
/// not be found`, an `ItemsPath` with no results), the candidate with that field supplied where
/// it comes from ([`origin`]: the execution's input or a Task's answer; else where the state's
/// input lives in the execution's input), two items for an `ItemsPath`, else a string; and the path.
fn supply_missing(graph: &Graph, candidate: &Candidate, run: &RunModel) -> Option<(Candidate, String)> {
    let cause = run.cause.as_deref()?;
    let state_name = cause.split_once("executing the state '")?.1.split_once("' (entered")?.0;
    let path = ["The JSONPath '", "Invalid path '"].iter().find_map(|m| cause.split_once(m).and_then(|(_, rest)| rest.split_once('\'')).map(|(p, _)| p))?;
    let steps = paths::steps(path).filter(|s| !s.is_empty())?;
    let state = graph.state(state_name)?;
    let at = run.visits.iter().rposition(|v| *v.state == *state_name)?;
    let visit = &run.visits[at];
    let input_path = state.json.get("InputPath").and_then(Value::as_str).and_then(paths::steps).unwrap_or_default();
    let items_path = state.json.get("ItemsPath").and_then(Value::as_str);
    let value = if items_path == Some(path) { Value::Array(vec![serde_json::json!({"id": "item-1"}), serde_json::json!({"id": "item-2"})]) } else { Value::from("value") };
    let wanted = vec![([input_path.clone(), steps.clone()].concat(), Some(value.clone()))];
    if let Some((traced, _)) = at_origin(graph, candidate, run, at, &wanted)
        && (traced.input != candidate.input || traced.handlers != candidate.handlers)
    {
        return Some((traced, path.to_string()));
    }
    let location = locations(&candidate.input, &visit.input).into_iter().next()?;
    let mut out = candidate.clone();
    paths::set(&mut out.input, &[location, input_path, steps].concat(), Some(value));
    (out.input != candidate.input).then(|| (out, path.to_string()))
}

/// The wanted values (paths in the input of `run.visits[visit]`, or variables it reads) put
/// where they come from ([`origin::trace`]): into the execution's input, or into the answer of
/// the Task whose result carries them (a static result, the result after its injected failures,
/// or a callback's success). `None` when no value could be traced; else the candidate and the
/// Tasks whose answers it sets.
fn at_origin(graph: &Graph, candidate: &Candidate, run: &RunModel, visit: usize, wanted: &Assignment) -> Option<(Candidate, Vec<String>)> {
    let mut out = candidate.clone();
    let mut results: BTreeMap<String, Value> = BTreeMap::new();
    let mut traced = 0;
    for (path, value) in wanted {
        match origin::trace(graph, run, visit, path) {
            Some(Origin::Input(p)) => paths::set(&mut out.input, &p, value.clone()),
            Some(Origin::TaskResult { state, path }) => {
                let result = results.entry(state.clone()).or_insert_with(|| current_result(graph, candidate, run, &state));
                paths::set(result, &path, value.clone());
            }
            None => continue,
        }
        traced += 1;
    }
    if traced == 0 {
        return None;
    }
    let tasks: Vec<String> = results.keys().cloned().collect();
    for (state, result) in results {
        let callback = graph.state(&state).and_then(|s| s.json.get("Resource")).and_then(Value::as_str).is_some_and(|r| r.ends_with(".waitForTaskToken"));
        let json = result.to_string();
        let choice = match out.handlers.get(&state).map(|h| &h.choice) {
            Some(HandlerChoice::FailThenSucceed { times, error, .. }) => HandlerChoice::FailThenSucceed { times: *times, error: error.clone(), then: Some(json) },
            Some(HandlerChoice::Callback { answer: Some(CallbackAnswer::FailuresThenSuccess { times, error, .. }) }) => {
                HandlerChoice::Callback { answer: Some(CallbackAnswer::FailuresThenSuccess { times: *times, error: error.clone(), output: json }) }
            }
            _ if callback => HandlerChoice::Callback { answer: Some(CallbackAnswer::Success { output: json }) },
            _ => HandlerChoice::Static { json },
        };
        let latency_ms = out.handlers.get(&state).map(|h| h.latency_ms).unwrap_or(0);
        out.handlers.insert(state, HandlerSpec { choice, latency_ms });
    }
    Some((out, tasks))
}

/// What a Task answers in this scenario, as a value to change: its static answer when it has
/// one, else its result taken back from its output in this run ([`invert_result`]), else `{}`.
fn current_result(graph: &Graph, candidate: &Candidate, run: &RunModel, state: &str) -> Value {
    let given = match candidate.handlers.get(state).map(|h| &h.choice) {
        Some(HandlerChoice::Static { json } | HandlerChoice::FailThenSucceed { then: Some(json), .. }) => Some(json),
        Some(HandlerChoice::Callback { answer: Some(CallbackAnswer::Success { output } | CallbackAnswer::FailuresThenSuccess { output, .. }) }) => Some(output),
        _ => None,
    };
    if let Some(value) = given.and_then(|json| serde_json::from_str(json).ok()) {
        return value;
    }
    let task = graph.state(state).filter(|s| !s.jsonata);
    let output = run.visits.iter().rev().find(|v| *v.state == *state).and_then(|v| v.output.as_deref());
    match (task, output) {
        (Some(task), Some(output)) => invert_result(&task.json, output).unwrap_or_else(|| Value::Object(Map::new())),
        _ => Value::Object(Map::new()),
    }
}

/// Whether a Choice rule holds on `input`, as the interpreter decides: the rule alone in a
/// one-Choice machine (`None` when evaluating it fails). The variables `input` carries (under
/// [`origin::VARIABLES`], as an assignment puts them) are assigned by a Pass state before it.
pub fn rule_holds(rule: &Value, jsonata: bool, input: &Value) -> Option<bool> {
    let mut rule = rule.clone();
    rule.as_object_mut()?.insert("Next".into(), Value::from("Holds"));
    let (input, variables) = synth::split_variables(input.clone());
    let input = &input;
    let mut machine = serde_json::json!({"StartAt": "Rule", "States": {
        "Rule": {"Type": "Choice", "Choices": [rule], "Default": "Fails"},
        "Holds": {"Type": "Succeed"}, "Fails": {"Type": "Succeed"}}});
    if !variables.is_empty() {
        machine["StartAt"] = Value::from("Variables");
        machine["States"]["Variables"] = serde_json::json!({"Type": "Pass", "Assign": variables, "Next": "Rule"});
    }
    if jsonata {
        machine["QueryLanguage"] = Value::from("JSONata");
    }
    let simulator = Simulator::new(&machine.to_string(), &HandlerSet::new()).ok()?;
    let run = simulator.run_quiet(input.clone(), 0);
    match (run.status, run.end_state.as_deref()) {
        ("SUCCEEDED", Some("Holds")) => Some(true),
        ("SUCCEEDED", Some("Fails")) => Some(false),
        _ => None,
    }
}

fn with_handler(kept: &Kept, step: String, state: &str, spec: HandlerSpec) -> Candidate {
    let mut candidate = kept.candidate.clone();
    candidate.steps.push(step);
    candidate.handlers.insert(state.to_string(), spec);
    candidate
}

fn throw(error: &str) -> HandlerSpec {
    HandlerSpec { choice: HandlerChoice::Throw { error: error.into(), cause: INJECTED_CAUSE.into() }, latency_ms: 0 }
}

/// Every variation of a kept scenario worth running.
fn mutations(graph: &Graph, kept: &Kept) -> Vec<Candidate> {
    let mut out = Vec::new();
    let visited: BTreeSet<&str> = kept.run.visits.iter().map(|v| &*v.state).collect();
    for state in graph.states.iter().filter(|s| visited.contains(s.name.as_str())) {
        if state.kind == "Map" {
            out.extend(reader_failure_mutations(state, kept));
        }
        match state.kind.as_str() {
            "Choice" => out.extend(choice_mutations(graph, state, kept)),
            "Task" => out.extend(task_mutations(graph, state, kept)),
            "Map" if !map_has_items(state, kept) => out.extend(map_items_mutations(graph, state, kept)),
            "Map" | "Parallel" => {
                let catchers = graph::error_lists(&state.json, "Catch");
                let mut errors: Vec<String> = (0..catchers.len()).filter_map(|i| graph::error_for(&catchers, i, false).ok()).collect();
                errors.extend([ANY_ERROR.to_string(), crate::asl::error::names::TIMEOUT.to_string()]);
                // Tasks inside that ran, with an error their own catchers let through.
                let mut thrown = 0;
                for task in graph.inside(&state.name).into_iter().filter(|s| s.kind == "Task" && visited.contains(s.name.as_str())) {
                    let own = graph::error_lists(&task.json, "Catch");
                    for error in errors.iter().filter(|e| !own.iter().any(|l| graph::caught_by(l, e, true))) {
                        out.push(with_handler(kept, format!("{} inside {} throws {error}", task.name, state.name), &task.name, throw(error)));
                        thrown += 1;
                    }
                    if thrown >= 6 {
                        break;
                    }
                }
                out.extend(map_parallel_retry_mutations(graph, state, kept, &visited));
            }
            _ => {}
        }
    }
    // Callbacks that wait side by side (a Parallel asking three approvers): each mutation above
    // answers one, and the Parallel moves on only when all are; so one more answers every
    // callback that ran and was not answered yet with success.
    let waiting: Vec<&str> = graph
        .states
        .iter()
        .filter(|s| visited.contains(s.name.as_str()) && !kept.candidate.handlers.contains_key(&s.name))
        .filter(|s| s.json.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(".waitForTaskToken")))
        .map(|s| s.name.as_str())
        .collect();
    if waiting.len() > 1 {
        let mut candidate = kept.candidate.clone();
        candidate.steps.push(format!("{} are called back with success", waiting.join(", ")));
        for name in waiting {
            let answer = CallbackAnswer::Success { output: graph.state(name).map_or_else(|| "{}".to_string(), |s| callback_output(graph, s)) };
            candidate.handlers.insert(name.to_string(), HandlerSpec { choice: HandlerChoice::Callback { answer: Some(answer) }, latency_ms: 0 });
        }
        out.push(candidate);
    }
    out
}

/// A Map's or Parallel's own retries, and a Map's tolerated failures: a Task inside that ran
/// fails once with each retrier's error (the state starts again and succeeds; in a Map over two
/// items, one iteration fails, which a tolerance lets through) and fails always (the retries
/// run out). The Task's own retriers and catchers must let the error through.
fn map_parallel_retry_mutations(graph: &Graph, state: &graph::StateInfo, kept: &Kept, visited: &BTreeSet<&str>) -> Vec<Candidate> {
    let retriers = graph::error_lists(&state.json, "Retry");
    let mut errors: Vec<(String, String)> = if graph::distributed(&state.json) {
        // Failed child executions fail a Distributed Map with one error, whatever they failed on:
        // the retrier that takes it first is the one a failure inside reaches.
        let exceeded = crate::asl::error::names::EXCEED_TOLERATED_FAILURE_THRESHOLD;
        retriers.iter().position(|l| graph::caught_by(l, exceeded, false)).map(|i| (ANY_ERROR.to_string(), format!(" (Retry[{i}])"))).into_iter().collect()
    } else {
        (0..retriers.len()).filter_map(|i| graph::error_for(&retriers, i, false).ok().map(|e| (e, format!(" (Retry[{i}])")))).collect()
    };
    if graph::tolerates_failure(&state.json) {
        errors.push((ANY_ERROR.to_string(), " (tolerated)".to_string()));
    }
    let mut out = Vec::new();
    let inside: Vec<&graph::StateInfo> = graph.inside(&state.name).into_iter().filter(|s| s.kind == "Task" && visited.contains(s.name.as_str())).collect();
    // A Distributed Map runs a child execution per item or batch, and a retry must see the first
    // Map Run fail past its tolerance: every child of the first attempt fails, then the task
    // succeeds (a tolerated failure needs one).
    let children = if graph::distributed(&state.json) {
        processor_of(&state.json)
            .and_then(|p| p.get("StartAt"))
            .and_then(Value::as_str)
            .map(|start| kept.run.visits.iter().filter(|v| *v.state == *start).count())
            .unwrap_or(1)
            .max(1) as u32
    } else {
        1
    };
    for (error, why) in &errors {
        let lets_through = |task: &&&graph::StateInfo| {
            ["Catch", "Retry"].iter().all(|field| !graph::error_lists(&task.json, field).iter().any(|l| graph::caught_by(l, error, true)))
        };
        let Some(task) = inside.iter().find(lets_through) else { continue };
        let times = if why.contains("Retry") { children } else { 1 };
        let once = HandlerSpec { choice: HandlerChoice::FailThenSucceed { times, error: error.clone(), then: None }, latency_ms: 0 };
        let how = if times == 1 { "once".to_string() } else { format!("{times} times") };
        out.push(with_handler(kept, format!("{} inside {} fails {how} with {error}{why}", task.name, state.name), &task.name, once));
        if why.contains("Retry") {
            out.push(with_handler(kept, format!("{} inside {} always fails with {error}{why}", task.name, state.name), &task.name, throw(error)));
        }
    }
    out
}

/// A Distributed Map's ItemReader failing (its call answered with an error, which the Map
/// raises as `States.ItemReaderFailed`): once then read (the retrier that takes it first
/// retries and the Map goes on), and always (its retries run out, or its catcher takes it).
/// The reader's call reaches the handler chosen for the Map state.
fn reader_failure_mutations(state: &graph::StateInfo, kept: &Kept) -> Vec<Candidate> {
    let reader_failed = crate::asl::error::names::ITEM_READER_FAILED;
    if !state.json.contains_key("ItemReader") || kept.candidate.handlers.contains_key(&state.name) {
        return Vec::new();
    }
    let takes = |field: &str| graph::error_lists(&state.json, field).iter().any(|l| graph::caught_by(l, reader_failed, false));
    let mut out = Vec::new();
    let name = &state.name;
    if takes("Retry") {
        let once = HandlerSpec { choice: HandlerChoice::FailThenSucceed { times: 1, error: ANY_ERROR.into(), then: None }, latency_ms: 0 };
        out.push(with_handler(kept, format!("{name}'s ItemReader fails once ({reader_failed})"), name, once));
    }
    if takes("Retry") || takes("Catch") {
        out.push(with_handler(kept, format!("{name}'s ItemReader always fails ({reader_failed})"), name, throw(ANY_ERROR)));
    }
    out
}

/// What a callback's success sends, as JSON text: what its `ResultSelector` reads, with the
/// fields the states after it read ([`Graph::callback_outputs`]); `{}` when nothing is read.
fn callback_output(graph: &Graph, state: &graph::StateInfo) -> String {
    let output = match (graph.callback_outputs.get(&state.name), selected_output(state)) {
        (Some(Value::Object(read)), Value::Object(mut selected)) => {
            for (k, v) in read {
                selected.entry(k.clone()).or_insert_with(|| v.clone());
            }
            Value::Object(selected)
        }
        (_, selected) => selected,
    };
    output.to_string()
}

/// What a callback's success sends for its `ResultSelector` to read (`{}` without one).
fn selected_output(state: &graph::StateInfo) -> Value {
    match state.json.contains_key("ResultSelector") {
        true => invert_result(&state.json, &Value::Object(Map::new())).unwrap_or_default(),
        false => Value::Object(Map::new()),
    }
}

fn task_mutations(graph: &Graph, state: &graph::StateInfo, kept: &Kept) -> Vec<Candidate> {
    let name = state.name.as_str();
    let mut out = Vec::new();
    let catchers = graph::error_lists(&state.json, "Catch");
    for i in 0..catchers.len() {
        if let Ok(error) = graph::error_for(&catchers, i, true) {
            out.push(with_handler(kept, format!("{name} throws {error} (Catch[{i}])"), name, throw(&error)));
        }
    }
    let retriers = graph::error_lists(&state.json, "Retry");
    for i in 0..retriers.len() {
        if let Ok(error) = graph::error_for(&retriers, i, true) {
            let once = HandlerSpec { choice: HandlerChoice::FailThenSucceed { times: 1, error: error.clone(), then: None }, latency_ms: 0 };
            out.push(with_handler(kept, format!("{name} fails once with {error} (Retry[{i}])"), name, once));
            // The default answer may not be one the state can read: then the result it needs.
            if let Some(then) = result_after_retry(state, kept) {
                let once = HandlerSpec { choice: HandlerChoice::FailThenSucceed { times: 1, error: error.clone(), then: Some(then) }, latency_ms: 0 };
                out.push(with_handler(kept, format!("{name} fails once with {error} (Retry[{i}]), then returns a result it reads"), name, once));
            }
            out.push(with_handler(kept, format!("{name} always fails with {error} (Retry[{i}])"), name, throw(&error)));
        }
    }
    if catchers.is_empty() {
        out.push(with_handler(kept, format!("{name} throws {ANY_ERROR}"), name, throw(ANY_ERROR)));
    }
    // A default answer its ResultSelector cannot read: a result shaped for it.
    let failed = kept.run.visits.iter().any(|v| *v.state == *name && v.output.is_none());
    if failed && state.json.contains_key("ResultSelector") && !kept.candidate.handlers.contains_key(name) {
        if let Some(result) = invert_result(&state.json, &Value::Object(Map::new())) {
            let spec = HandlerSpec { choice: HandlerChoice::Static { json: result.to_string() }, latency_ms: 0 };
            out.push(with_handler(kept, format!("{name} returns what its ResultSelector reads"), name, spec));
        }
    }
    let callback = state.json.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(".waitForTaskToken"));
    let has_timeout = state.json.contains_key("TimeoutSeconds") || state.json.contains_key("TimeoutSecondsPath");
    let has_heartbeat = state.json.contains_key("HeartbeatSeconds") || state.json.contains_key("HeartbeatSecondsPath");
    if callback {
        // The callback answered: SendTaskSuccess takes Next; SendTaskFailure with the error each
        // Catch takes, and with each Retry's error (answered the same way on every attempt, the
        // retries run out); silence until the timeout (heartbeats sent) or the missed heartbeat.
        let answered = |answer: CallbackAnswer| HandlerSpec { choice: HandlerChoice::Callback { answer: Some(answer) }, latency_ms: 0 };
        // With what its `ResultSelector` reads only (a Choice's Default on an absent field), and
        // with what the states after it read (the rules on the answer's fields).
        let plain = selected_output(state).to_string();
        let output = callback_output(graph, state);
        out.push(with_handler(kept, format!("{name} is called back with success"), name, answered(CallbackAnswer::Success { output: plain.clone() })));
        if output != plain {
            out.push(with_handler(kept, format!("{name} is called back with success, with what the states after it read"), name, answered(CallbackAnswer::Success { output: output.clone() })));
        }
        for i in 0..catchers.len() {
            if let Ok(error) = graph::error_for(&catchers, i, true) {
                let failure = CallbackAnswer::Failure { error: error.clone(), cause: INJECTED_CAUSE.into() };
                out.push(with_handler(kept, format!("{name} is called back with failure {error} (Catch[{i}])"), name, answered(failure)));
            }
        }
        for i in 0..retriers.len() {
            if let Ok(error) = graph::error_for(&retriers, i, true) {
                let failure = CallbackAnswer::Failure { error: error.clone(), cause: INJECTED_CAUSE.into() };
                out.push(with_handler(kept, format!("{name} is always called back with failure {error} (Retry[{i}])"), name, answered(failure)));
                let once = CallbackAnswer::FailuresThenSuccess { times: 1, error: error.clone(), output: output.clone() };
                out.push(with_handler(kept, format!("{name} is called back with failure {error} once (Retry[{i}]), then with success"), name, answered(once)));
            }
        }
        if has_timeout {
            out.push(with_handler(kept, format!("{name} is never called back, heartbeats sent, until its timeout"), name, answered(CallbackAnswer::Silence { heartbeats: true })));
        }
        if has_heartbeat {
            out.push(with_handler(kept, format!("{name} is never called back nor sent a heartbeat"), name, answered(CallbackAnswer::Silence { heartbeats: false })));
        }
        return out;
    }
    if has_timeout {
        let seconds = state.json.get("TimeoutSeconds").and_then(Value::as_u64).unwrap_or(366 * 86_400);
        let spec = HandlerSpec { choice: HandlerChoice::Seed, latency_ms: (seconds + 1) * 1000 };
        out.push(with_handler(kept, format!("{name} outlives its timeout"), name, spec));
    }
    if has_heartbeat {
        // A task that is not a callback misses its heartbeat only as its service reports it (an
        // activity worker that stops): the error injected.
        out.push(with_handler(kept, format!("{name} misses its heartbeat"), name, throw(crate::asl::error::names::HEARTBEAT_TIMEOUT)));
    }
    out
}

/// What a retried Task should return after its failures when its default answer may not do: the
/// static result this scenario already gives it, else (for a state with a `ResultSelector`) what
/// reproduces its output in this run, or a result shaped for the selector.
fn result_after_retry(state: &graph::StateInfo, kept: &Kept) -> Option<String> {
    if let Some(HandlerSpec { choice: HandlerChoice::Static { json }, .. }) = kept.candidate.handlers.get(&state.name) {
        return Some(json.clone());
    }
    if !state.json.contains_key("ResultSelector") {
        return None;
    }
    let output = kept.run.visits.iter().find(|v| *v.state == *state.name).and_then(|v| v.output.as_deref().cloned());
    invert_result(&state.json, &output.unwrap_or(Value::Object(Map::new()))).map(|v| v.to_string())
}

/// For each rule (and Default) of a visited Choice, the inputs that should take it.
fn choice_mutations(graph: &Graph, state: &graph::StateInfo, kept: &Kept) -> Vec<Candidate> {
    let name = state.name.as_str();
    let Some(visit) = kept.run.visits.iter().find(|v| &*v.state == name) else { return Vec::new() };
    let seen: &Value = &visit.input;
    let input_path = state.json.get("InputPath").and_then(Value::as_str).and_then(paths::steps).unwrap_or_default();
    let effective = paths::get(seen, &input_path).cloned().unwrap_or(Value::Null);
    let rules: Vec<&Value> = state.json.get("Choices").and_then(Value::as_array).map(|r| r.iter().collect()).unwrap_or_default();
    let mut wanted: Vec<(String, Assignment)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        // This rule holds and every earlier one fails (the rule that is taken), then this rule alone.
        let taken = synth::satisfy(&synth::first_to_hold(&rules[..i], Some(rule)), true, &effective).into_iter().take(2);
        for assignment in taken.chain(synth::satisfy(rule, true, &effective).into_iter().take(2)) {
            wanted.push((format!("{name} Choices[{i}]"), assignment));
        }
    }
    for assignment in synth::satisfy(&synth::first_to_hold(&rules, None), true, &effective).into_iter().take(1) {
        wanted.push((format!("{name} Default"), assignment));
    }
    // Default: every rule fails at once.
    let mut all_fail = Assignment::new();
    let mut possible = true;
    for rule in &rules {
        match synth::satisfy(rule, false, &effective).into_iter().next() {
            Some(a) => {
                for (path, value) in a {
                    all_fail.retain(|(p, _)| p != &path);
                    all_fail.push((path, value));
                }
            }
            None => possible = false,
        }
    }
    if possible {
        wanted.push((format!("{name} Default"), all_fail));
    }
    let mut out = Vec::new();
    let at = kept.run.visits.iter().position(|v| &*v.state == name).unwrap_or_default();
    for (label, assignment) in wanted {
        let assignment: Assignment =
            assignment.into_iter().map(|(p, v)| if paths::is_variable(&p) { (p, v) } else { ([input_path.clone(), p].concat(), v) }).collect();
        // Where each value comes from: the execution's input, or a Task's result.
        if let Some((mut candidate, tasks)) = at_origin(graph, &kept.candidate, &kept.run, at, &assignment) {
            let by = if tasks.is_empty() { "input".to_string() } else { format!("{} returning", tasks.join(", ")) };
            candidate.steps.push(format!("{label} by {by} {}", describe(&assignment)));
            out.push(candidate);
        }
        let assignment: Assignment = assignment.into_iter().filter(|(p, _)| !paths::is_variable(p)).collect();
        // Where the state's input lives in the execution's input.
        for location in locations(&kept.candidate.input, seen).into_iter().take(3) {
            let mut candidate = kept.candidate.clone();
            for (path, value) in &assignment {
                paths::set(&mut candidate.input, &[location.clone(), path.clone()].concat(), value.clone());
            }
            candidate.steps.push(format!("{label} by input {}", describe(&assignment)));
            out.push(candidate);
        }
        // Or returned by a Task whose result the state reads.
        out.extend(task_result_mutations(graph, kept, &label, &assignment));
        // Or traced by value: the value the rule reads today, replaced wherever it comes from.
        out.extend(traced_mutations(graph, kept, &label, &effective, &assignment));
    }
    out
}

/// The places in `input` that hold `value` (the root when it is the input itself), shallowest first.
fn locations(input: &Value, value: &Value) -> Vec<Vec<Step>> {
    fn walk(at: &Value, value: &Value, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>, depth: usize) {
        if at == value {
            out.push(path.clone());
            return;
        }
        if depth > 6 {
            return;
        }
        match at {
            Value::Object(map) => {
                for (k, v) in map {
                    path.push(Step::Member(k.clone()));
                    walk(v, value, path, out, depth + 1);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate().take(10) {
                    path.push(Step::Index(i));
                    walk(v, value, path, out, depth + 1);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(input, value, &mut Vec::new(), &mut out, 0);
    if out.is_empty() && (value.is_object() || value.is_null()) {
        out.push(Vec::new()); // pass-through with fields added on the way: try the root
    }
    out
}

/// Whether the Map ran over at least one item in this run (a state of its processor ran).
fn map_has_items(state: &graph::StateInfo, kept: &Kept) -> bool {
    kept.run.visits.iter().any(|v| state_is_inside(state, &v.state))
}

/// The processor a Map state runs.
fn processor_of(state: &serde_json::Map<String, Value>) -> Option<&serde_json::Map<String, Value>> {
    use crate::asl::walk::{Nesting, Reach, json};
    json::nested(state, Reach::Run).into_iter().find(|(how, _)| !matches!(how, Nesting::Branch(_))).map(|(_, p)| p)
}

fn state_is_inside(owner: &graph::StateInfo, name: &str) -> bool {
    let processor = processor_of(&owner.json);
    processor.and_then(|p| p.get("States")).and_then(Value::as_object).is_some_and(|states| states.contains_key(name))
}

/// A Map that ran over no item: its `ItemsPath` given two items (the skeleton of what its
/// processor reads), where the Map's input lives in the execution's input.
fn map_items_mutations(graph: &Graph, state: &graph::StateInfo, kept: &Kept) -> Vec<Candidate> {
    let Some(visit) = kept.run.visits.iter().find(|v| *v.state == *state.name) else { return Vec::new() };
    let items_path = match (state.json.get("ItemsPath").and_then(Value::as_str), state.json.get("Items")) {
        (Some(p), _) => paths::steps(p),
        // JSONata: the first field of the input its Items expression reads.
        (None, Some(Value::String(items))) => synth::reads_under(items, "$states.input").into_iter().next(),
        (None, Some(_)) => None,
        _ if state.json.contains_key("ItemReader") => None,
        _ => Some(Vec::new()),
    };
    let Some(items_path) = items_path else { return Vec::new() };
    let processor = processor_of(&state.json).map(|p| Value::Object(p.clone())).unwrap_or_default();
    let item = match crate::sim::skeleton::skeleton(&processor) {
        Value::Object(m) if m.is_empty() => serde_json::json!({"id": "item"}),
        other => other,
    };
    let mut out = Vec::new();
    let at = kept.run.visits.iter().position(|v| *v.state == *state.name).unwrap_or_default();
    let input_path = state.json.get("InputPath").and_then(Value::as_str).and_then(paths::steps).unwrap_or_default();
    let two = vec![([input_path, items_path.clone()].concat(), Some(Value::Array(vec![item.clone(), item.clone()])))];
    if let Some((mut candidate, _)) = at_origin(graph, &kept.candidate, &kept.run, at, &two) {
        candidate.steps.push(format!("{} over two items", state.name));
        out.push(candidate);
    }
    for location in locations(&kept.candidate.input, &visit.input).into_iter().take(2) {
        let mut candidate = kept.candidate.clone();
        paths::set(&mut candidate.input, &[location, items_path.clone()].concat(), Some(Value::Array(vec![item.clone(), item.clone()])));
        candidate.steps.push(format!("{} over two items", state.name));
        out.push(candidate);
    }
    out
}

/// For each Task visited before the Choice whose result the Choice reads, a static result that
/// gives the wanted values: the state's output in this run with the assignment applied, taken
/// back through its `OutputPath`, `ResultPath` and `ResultSelector` ([`invert_result`]).
fn task_result_mutations(graph: &Graph, kept: &Kept, label: &str, assignment: &Assignment) -> Vec<Candidate> {
    let mut out = Vec::new();
    let choice_at = kept.run.visits.iter().position(|v| label.starts_with(&*v.state)).unwrap_or(kept.run.visits.len());
    let mut tried = 0;
    for visit in kept.run.visits[..choice_at].iter().rev() {
        let Some(task) = graph.state(&visit.state).filter(|s| s.kind == "Task") else { continue };
        let Some(output) = visit.output.as_deref() else { continue };
        if tried >= 3 {
            continue;
        }
        tried += 1;
        let mut desired = output.clone();
        for (path, value) in assignment {
            paths::set(&mut desired, path, value.clone());
        }
        let Some(result) = invert_result(&task.json, &desired) else { continue };
        let spec = HandlerSpec { choice: HandlerChoice::Static { json: result.to_string() }, latency_ms: 0 };
        let mut candidate = kept.candidate.clone();
        candidate.steps.push(format!("{label} by {} returning {}", task.name, describe(assignment)));
        candidate.handlers.insert(task.name.clone(), spec);
        out.push(candidate);
    }
    out
}

/// The values a Choice reads today, found in the execution's input or in what a Task visited
/// before it returned (through an `ItemSelector`, a `ResultSelector`, a Parallel's results...),
/// and replaced there by the wanted ones: a static result for the Task ([`invert_result`]).
fn traced_mutations(graph: &Graph, kept: &Kept, label: &str, effective: &Value, assignment: &Assignment) -> Vec<Candidate> {
    // The value at the path, or else the nearest enclosing one that exists, with the wanted value
    // put inside it.
    // Several wanted values inside the same enclosing value change it once.
    let mut replacements: Vec<(&Value, Option<Value>)> = Vec::new();
    for (path, new) in assignment {
        let found = (0..=path.len()).rev().find_map(|n| {
            let old = paths::get(effective, &path[..n]).filter(|old| !old.is_null() && !old.is_boolean() && n > 0)?;
            Some((n, old))
        });
        let Some((n, old)) = found else { continue };
        if n == path.len() {
            replacements.push((old, new.clone()));
            continue;
        }
        match replacements.iter_mut().find(|(o, _)| *o == old) {
            Some((_, Some(container))) => paths::set(container, &path[n..], new.clone()),
            Some((_, None)) => {}
            None => {
                let mut container = old.clone();
                paths::set(&mut container, &path[n..], new.clone());
                if container.is_object() || container.is_array() {
                    replacements.push((old, Some(container)));
                }
            }
        }
    }
    if replacements.is_empty() {
        return Vec::new();
    }
    let apply = |value: &Value| -> Option<Value> {
        let mut out = value.clone();
        let mut changed = false;
        for (old, new) in &replacements {
            changed |= replace_all(&mut out, old, new);
        }
        if !changed && out == *value {
            return None;
        }
        changed.then_some(out)
    };
    let mut out = Vec::new();
    if let Some(input) = apply(&kept.candidate.input) {
        let mut candidate = kept.candidate.clone();
        candidate.input = input;
        candidate.steps.push(format!("{label} by input {}", describe(assignment)));
        out.push(candidate);
    }
    let choice_at = kept.run.visits.iter().position(|v| label.starts_with(&*v.state)).unwrap_or(kept.run.visits.len());
    out.extend(jsonata_result_mutations(graph, kept, label, choice_at));
    let mut done: Vec<&str> = Vec::new();
    for visit in kept.run.visits[..choice_at].iter().rev() {
        let Some(task) = graph.state(&visit.state).filter(|s| s.kind == "Task" && !s.jsonata) else { continue };
        if done.contains(&task.name.as_str()) || done.len() >= 4 {
            continue;
        }
        done.push(&task.name);
        let Some(desired) = visit.output.as_deref().and_then(apply) else { continue };
        let Some(result) = invert_result(&task.json, &desired) else { continue };
        let mut candidate = kept.candidate.clone();
        candidate.steps.push(format!("{label} by {} returning {}", task.name, describe(assignment)));
        candidate.handlers.insert(task.name.clone(), HandlerSpec { choice: HandlerChoice::Static { json: result.to_string() }, latency_ms: 0 });
        out.push(candidate);
    }
    out
}

/// A JSONata Task's `Output` cannot be taken back: for the last one before the Choice, results
/// where each field its `Output` reads of `$states.result` is empty (`[]`, `0`, `""`) in turn.
fn jsonata_result_mutations(graph: &Graph, kept: &Kept, label: &str, choice_at: usize) -> Vec<Candidate> {
    let Some(task) = kept.run.visits[..choice_at].iter().rev().find_map(|v| graph.state(&v.state).filter(|s| s.kind == "Task" && s.jsonata)) else {
        return Vec::new();
    };
    let output = task.json.get("Output").map(Value::to_string).unwrap_or_default();
    let mut out = Vec::new();
    for path in synth::reads_under(&output, "$states.result") {
        for empty in [Value::Array(Vec::new()), Value::from(0), Value::from("")] {
            let mut result = Value::Object(Map::new());
            paths::set(&mut result, &path, Some(empty.clone()));
            let mut candidate = kept.candidate.clone();
            candidate.steps.push(format!("{label} by {} returning {} = {empty}", task.name, paths::display(&path)));
            candidate.handlers.insert(task.name.clone(), HandlerSpec { choice: HandlerChoice::Static { json: result.to_string() }, latency_ms: 0 });
            out.push(candidate);
        }
    }
    out
}

/// Replaces every occurrence of `old` inside `value` by `new` (`None`: removed from its object or
/// array); whether anything changed.
fn replace_all(value: &mut Value, old: &Value, new: &Option<Value>) -> bool {
    if value == old {
        if let Some(new) = new {
            *value = new.clone();
            return true;
        }
    }
    match value {
        Value::Object(map) => {
            let mut changed = false;
            if new.is_none() {
                let before = map.len();
                map.retain(|_, v| v != old);
                changed |= map.len() != before;
            }
            for v in map.values_mut() {
                changed |= replace_all(v, old, new);
            }
            changed
        }
        Value::Array(items) => {
            let mut changed = false;
            if new.is_none() {
                let before = items.len();
                items.retain(|v| v != old);
                changed |= items.len() != before;
            }
            for v in items.iter_mut() {
                changed |= replace_all(v, old, new);
            }
            changed
        }
        _ => false,
    }
}

/// What a Task's handler must return for the state to output `desired` (`None` when its
/// `ResultPath` is `null` or its fields are not simple paths): `OutputPath` taken back, then the
/// value at `ResultPath`, then `ResultSelector` inverted (each `"key.$": "$.path"` puts the
/// key's value at the path), then, for `lambda:invoke`, the `Payload` the function returns.
pub fn invert_result(task: &Map<String, Value>, desired: &Value) -> Option<Value> {
    let after_result_path = match task.get("OutputPath") {
        Some(Value::String(p)) => {
            let mut v = Value::Object(Map::new());
            paths::set(&mut v, &paths::steps(p)?, Some(desired.clone()));
            v
        }
        _ => desired.clone(),
    };
    let result_path = match task.get("ResultPath") {
        Some(Value::String(p)) => paths::steps(p)?,
        Some(Value::Null) => return None,
        _ => Vec::new(),
    };
    let selected = paths::get(&after_result_path, &result_path).cloned().unwrap_or(Value::Object(Map::new()));
    let raw = match task.get("ResultSelector") {
        Some(selector) => {
            let mut raw = Value::Object(Map::new());
            invert_selector(selector, &selected, &mut raw);
            raw
        }
        None => selected,
    };
    let invoke = task.get("Resource").and_then(Value::as_str).is_some_and(|r| r.starts_with("arn:aws:states:::lambda:invoke"));
    Some(if invoke { raw.get("Payload").cloned().unwrap_or(raw) } else { raw })
}

fn invert_selector(selector: &Value, selected: &Value, raw: &mut Value) {
    let Some(fields) = selector.as_object() else { return };
    for (key, value) in fields {
        match (key.strip_suffix(".$"), value) {
            (Some(name), Value::String(path)) => {
                if let Some(steps) = paths::steps(path) {
                    let wanted = selected.get(name).cloned().unwrap_or_else(|| Value::from("value"));
                    paths::set(raw, &steps, Some(wanted));
                } else if let Some(steps) = string_to_json_argument(path) {
                    // `States.StringToJson($.Body)`: the service answers the value as JSON text.
                    let wanted = selected.get(name).cloned().unwrap_or_else(|| Value::Object(Map::new()));
                    paths::set(raw, &steps, Some(Value::String(wanted.to_string())));
                }
            }
            (None, Value::Object(_)) => invert_selector(value, selected.get(key).unwrap_or(&Value::Null), raw),
            _ => {}
        }
    }
}

/// The path `States.StringToJson($.path)` reads (the one intrinsic a selector over a service's
/// text answer is taken back through).
fn string_to_json_argument(text: &str) -> Option<Vec<Step>> {
    let inner = text.trim().strip_prefix("States.StringToJson(")?.strip_suffix(')')?;
    paths::steps(inner)
}

fn describe(assignment: &Assignment) -> String {
    if assignment.is_empty() {
        return "as it is".into();
    }
    assignment
        .iter()
        .map(|(p, v)| match v {
            Some(v) => format!("{} = {v}", paths::display(p)),
            None => format!("{} absent", paths::display(p)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}



#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generation_driven_step_by_step_gives_the_suite_generated_at_once() {
        let simulator = Simulator::new(crate::seed::ORDER_WORKFLOW, &HandlerSet::new()).expect("the seed compiles");
        let parsed: Value = serde_json::from_str(crate::seed::ORDER_WORKFLOW).expect("JSON");
        let base = crate::sim::scenario::seed_scenarios();
        let at_once = generate_on(&simulator, &parsed, &base, Options::default());
        let mut generation = Generation::new(&simulator, &parsed, &base, Options::default());
        let mut steps = 0;
        while !generation.advance(3) {
            steps += 1;
            assert!(generation.runs() >= 3 * steps, "each step runs at least what it was given");
        }
        assert!(steps > 3, "{steps} steps");
        assert_eq!(generation.finish(), at_once);
        // A budget caps the search wherever a step ends.
        let mut capped = Generation::new(&simulator, &parsed, &base, Options { max_runs: 7 });
        while !capped.advance(2) {}
        assert_eq!(capped.runs(), 7);
    }
}
