//! Coverage, measured by running: what a run reached (states, edges, goals, read from its trace,
//! [`crate::sim::run::RunModel`]), what a whole suite reached and by which scenario, and for each
//! edge or goal never reached, why no input can reach it when the definition says so (a catcher
//! shadowed by an earlier one, a rule that can never hold, a state nothing leads to); what is
//! missed without such a reason counts against the figure.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::generate::rule_holds;
use super::graph::{self, Edge, Goal, Graph};
use super::paths;
use super::synth;
use crate::asl::error::names;
use crate::sim::batch::{Batch, SetupError};
use crate::sim::handler::HandlerSet;
use crate::sim::run::{RunModel, START, StateStatus};
use crate::sim::scenario::Scenario;

/// What one run (or several) reached.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Reached {
    pub states: BTreeSet<String>,
    pub edges: BTreeSet<(String, String)>,
    pub goals: BTreeSet<Goal>,
}

impl Reached {
    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.edges.is_empty() && self.goals.is_empty()
    }

    /// What `self` reached that `other` did not.
    pub fn minus(&self, other: &Reached) -> Reached {
        Reached {
            states: self.states.difference(&other.states).cloned().collect(),
            edges: self.edges.difference(&other.edges).cloned().collect(),
            goals: self.goals.difference(&other.goals).cloned().collect(),
        }
    }

    pub fn extend(&mut self, other: Reached) {
        self.states.extend(other.states);
        self.edges.extend(other.edges);
        self.goals.extend(other.goals);
    }
}

/// What `run` reached of `graph`.
pub fn reached(graph: &Graph, run: &RunModel) -> Reached {
    let mut out = Reached::default();
    out.states.extend(run.states.keys().map(|s| s.to_string()));
    out.edges.extend(run.edges.keys().map(|(a, b)| (a.to_string(), b.to_string())));
    for visit in &run.visits {
        let Some(state) = graph.state(&visit.state) else { continue };
        let retried_map_run = distributed_retry_error(state, visit);
        let error = visit.error.as_ref().and_then(|(e, _)| e.as_deref()).or(retried_map_run);
        // A Map or Parallel that never exited failed (its catcher's edge may be drawn from a
        // state inside it in the trace).
        let failed = matches!(visit.status, StateStatus::Failed | StateStatus::Caught)
            || (visit.output.is_none() && run.status != "RUNNING" && (state.kind == "Map" || state.kind == "Parallel"))
            || run.branch_failures.iter().any(|s| **s == *state.name);
        match error {
            // A missed heartbeat is named States.Timeout too, as AWS names it.
            Some(names::TIMEOUT) if visit.missed_heartbeat => {
                out.goals.insert(Goal::HeartbeatTimesOut { state: state.name.clone() });
            }
            Some(names::TIMEOUT) => {
                out.goals.insert(Goal::TimesOut { state: state.name.clone() });
            }
            Some(names::HEARTBEAT_TIMEOUT) => {
                out.goals.insert(Goal::HeartbeatTimesOut { state: state.name.clone() });
            }
            _ => {}
        }
        if let (Some(error), true) = (error, visit.attempts > 1) {
            let retriers = graph::error_lists(&state.json, "Retry");
            if let Some(i) = retriers.iter().position(|list| graph::caught_by(list, error, state.kind == "Task")) {
                // A caught Map or Parallel exits (its status reads as succeeded): it failed first.
                let goal = match visit.status {
                    _ if failed => Some(Goal::RetryExhausted { state: state.name.clone(), retrier: i }),
                    StateStatus::Succeeded => Some(Goal::RetrySucceeds { state: state.name.clone(), retrier: i }),
                    _ => None,
                };
                out.goals.extend(goal);
            }
        }
        if failed && (state.kind == "Map" || state.kind == "Parallel") {
            out.goals.insert(Goal::BranchFails { state: state.name.clone() });
        }
        if state.kind == "Map" && visit.status == StateStatus::Succeeded && visit.failed_iterations > 0 {
            out.goals.insert(Goal::ToleratesFailure { state: state.name.clone() });
        }
    }
    out
}

/// What a retried Distributed Map's Map Run failed on, which its history does not record (only
/// the last attempt's MapRunFailed is). A Map Run fails for one of three things: failed child
/// executions past its tolerance (0 by default: `States.ExceedToleratedFailureThreshold`,
/// whatever they failed on), its ItemReader (`States.ItemReaderFailed`) or its ResultWriter
/// (`States.ResultWriterFailed`); of those this run could have raised (a failed child for the
/// first, the part for the others), the first a retrier of the state takes.
fn distributed_retry_error(state: &graph::StateInfo, visit: &crate::sim::run::Visit) -> Option<&'static str> {
    if state.kind != "Map" || visit.attempts < 2 || !graph::distributed(&state.json) {
        return None;
    }
    let possible = [
        (names::EXCEED_TOLERATED_FAILURE_THRESHOLD, visit.failed_iterations > 0),
        (names::ITEM_READER_FAILED, state.json.contains_key("ItemReader")),
        (names::RESULT_WRITER_FAILED, state.json.contains_key("ResultWriter")),
    ];
    let retriers = graph::error_lists(&state.json, "Retry");
    possible.into_iter().filter(|(_, could)| *could).map(|(e, _)| e).find(|e| retriers.iter().any(|l| graph::caught_by(l, e, false)))
}

/// One edge or goal of the definition, what reached it and, if nothing did, why nothing can.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Item<T> {
    pub what: T,
    /// Indices of the scenarios that reached it.
    pub reached_by: Vec<usize>,
    /// Why no input can reach it (set only when nothing did and the definition shows why).
    pub unreachable: Option<String>,
}

impl<T> Item<T> {
    pub fn covered(&self) -> bool {
        !self.reached_by.is_empty()
    }
}

/// A suite's coverage of a definition.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    pub states: Vec<Item<String>>,
    pub edges: Vec<Item<Edge>>,
    pub goals: Vec<Item<Goal>>,
    /// What each scenario reached, in suite order.
    pub per_scenario: Vec<Reached>,
}

/// Covered, reachable (total less the explained unreachable) and total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub covered: usize,
    pub reachable: usize,
    pub total: usize,
}

impl Figure {
    fn of<T>(items: &[Item<T>]) -> Figure {
        Figure {
            covered: items.iter().filter(|i| i.covered()).count(),
            reachable: items.iter().filter(|i| i.covered() || i.unreachable.is_none()).count(),
            total: items.len(),
        }
    }

    /// Covered out of reachable, in percent (100 when nothing is reachable).
    pub fn percent(&self) -> f64 {
        if self.reachable == 0 { 100.0 } else { self.covered as f64 * 100.0 / self.reachable as f64 }
    }
}

impl Coverage {
    pub fn state_figure(&self) -> Figure {
        Figure::of(&self.states)
    }
    pub fn edge_figure(&self) -> Figure {
        Figure::of(&self.edges)
    }
    pub fn goal_figure(&self) -> Figure {
        Figure::of(&self.goals)
    }

    /// `states 5 of 5, edges 7 of 7 reachable (8 in all), goals 2 of 3`, for a summary line.
    pub fn summary(&self) -> String {
        let (s, e, g) = (self.state_figure(), self.edge_figure(), self.goal_figure());
        let all = |f: Figure| if f.total != f.reachable { format!(" ({} in all)", f.total) } else { String::new() };
        format!(
            "states {} of {} reachable{}, edges {} of {} reachable{}, goals {} of {} reachable{}",
            s.covered, s.reachable, all(s), e.covered, e.reachable, all(e), g.covered, g.reachable, all(g)
        )
    }

    /// Every edge and goal not reached: `(what, why)`; `why` is `None` when nothing explains it.
    pub fn missed(&self) -> Vec<(String, Option<String>)> {
        let edges = self.edges.iter().filter(|i| !i.covered()).map(|i| (i.what.describe(), i.unreachable.clone()));
        let goals = self.goals.iter().filter(|i| !i.covered()).map(|i| (i.what.describe(), i.unreachable.clone()));
        let states = self.states.iter().filter(|i| !i.covered()).map(|i| (i.what.clone(), i.unreachable.clone()));
        states.chain(edges).chain(goals).collect()
    }

    /// The CSS class of an edge on the canvas: `edge-taken` or `edge-never-taken`.
    pub fn edge_class(&self, from: &str, to: &str) -> &'static str {
        match self.edges.iter().find(|i| i.what.from == from && i.what.to == to) {
            Some(i) if i.covered() => "edge-taken",
            Some(_) => "edge-never-taken",
            None => "",
        }
    }

    /// The CSS class of a state on the canvas: `state-covered` or `state-never-reached`.
    pub fn state_class(&self, name: &str) -> &'static str {
        match self.states.iter().find(|i| i.what == name) {
            Some(i) if i.covered() => "state-covered",
            Some(_) => "state-never-reached",
            None => "",
        }
    }
}

/// A suite run: one row per scenario and the coverage.
pub struct SuiteRun {
    pub rows: Vec<crate::sim::batch::BatchRow>,
    pub coverage: Coverage,
}

/// Runs `scenarios` on `definition` (with the document's `handlers` under each scenario's own)
/// and measures what they reached.
/// `s3`: the objects the account holds before each run.
pub fn run_suite(definition: &str, scenarios: &[Scenario], handlers: &HandlerSet, s3: &crate::handlers::s3::ObjectStore) -> Result<SuiteRun, SetupError> {
    let simulator = super::generate::suite_simulator(definition, handlers, s3)?;
    let parsed: Value = serde_json::from_str(definition).unwrap_or_default();
    Ok(run_suite_on(simulator, &parsed, scenarios))
}

/// [`run_suite`] on a simulator made already (the page's), for `parsed`, the definition it runs.
pub fn run_suite_on(simulator: crate::sim::batch::Simulator, parsed: &Value, scenarios: &[Scenario]) -> SuiteRun {
    let mut batch = suite_batch(simulator, scenarios.to_vec());
    batch.run_all();
    measured(batch, parsed)
}

/// The batch that runs a suite: every run kept (coverage reads them), each with the seed it
/// was generated with. The engine worker runs it chunk by chunk, then [`measured`].
pub fn suite_batch(simulator: crate::sim::batch::Simulator, scenarios: Vec<Scenario>) -> Batch {
    let mut batch = Batch::new(simulator, scenarios);
    batch.keep_runs = true;
    batch.fixed_seed = Some(super::generate::SEED);
    batch
}

/// What a finished [`suite_batch`] reached of `parsed`.
pub fn measured(batch: Batch, parsed: &Value) -> SuiteRun {
    let graph = Graph::of(parsed);
    let per_scenario: Vec<Reached> = batch.rows.iter().map(|r| r.run.as_deref().map(|run| reached(&graph, run)).unwrap_or_default()).collect();
    SuiteRun { coverage: measure(&graph, per_scenario), rows: batch.rows }
}

/// The coverage of `graph` by scenarios that reached `per_scenario`.
pub fn measure(graph: &Graph, per_scenario: Vec<Reached>) -> Coverage {
    let by = |test: &dyn Fn(&Reached) -> bool| -> Vec<usize> {
        per_scenario.iter().enumerate().filter(|(_, r)| test(r)).map(|(i, _)| i).collect()
    };
    let mut edges: Vec<Item<Edge>> = graph
        .edges
        .iter()
        .map(|e| Item { what: e.clone(), reached_by: by(&|r| r.edges.contains(&(e.from.clone(), e.to.clone()))), unreachable: None })
        .collect();
    for item in edges.iter_mut().filter(|i| !i.covered()) {
        item.unreachable = edge_reason(graph, &item.what);
    }
    // A state is unreachable when every edge into it is: its edges then are too (to a fixpoint).
    let mut states: Vec<Item<String>> = graph
        .states
        .iter()
        .map(|s| Item { what: s.name.clone(), reached_by: by(&|r| r.states.contains(&s.name)), unreachable: None })
        .collect();
    loop {
        let mut changed = false;
        for s in 0..states.len() {
            if states[s].covered() || states[s].unreachable.is_some() {
                continue;
            }
            let name = states[s].what.clone();
            let into: Vec<&Item<Edge>> = edges.iter().filter(|e| e.what.to == name).collect();
            let reason = if into.iter().any(|e| e.what.from == START) {
                // A scope's start: unreachable with the state that runs the scope.
                let owner = graph.owners(&name).first().map(|o| o.name.clone());
                owner.filter(|o| states.iter().any(|i| &i.what == o && i.unreachable.is_some())).map(|o| format!("{o} is never reached"))
            } else if !into.is_empty() && into.iter().all(|e| e.unreachable.is_some()) {
                Some(format!("every edge into {name} is unreachable"))
            } else if into.is_empty() {
                Some(format!("no state leads to {name}"))
            } else {
                None
            };
            if let Some(reason) = reason {
                states[s].unreachable = Some(reason);
                changed = true;
                for e in edges.iter_mut().filter(|e| (e.what.from == name || (e.what.from == START && e.what.to == name)) && !e.covered()) {
                    e.unreachable.get_or_insert_with(|| format!("{name} is never reached"));
                }
            }
        }
        if !changed {
            break;
        }
    }
    let goals = graph
        .goals
        .iter()
        .map(|g| {
            let reached_by = by(&|r| r.goals.contains(g));
            let unreachable = if reached_by.is_empty() {
                states.iter().find(|s| s.what == g.state() && s.unreachable.is_some()).map(|s| format!("{} is never reached", s.what)).or_else(|| goal_reason(graph, g))
            } else {
                None
            };
            Item { what: g.clone(), reached_by, unreachable }
        })
        .collect();
    Coverage { states, edges, goals, per_scenario }
}

/// Why an edge can never be taken, when the definition shows it.
fn edge_reason(graph: &Graph, edge: &Edge) -> Option<String> {
    let state = graph.state(&edge.from)?;
    let reasons: Vec<Option<String>> = edge.labels.iter().map(|label| label_reason(graph, state, label)).collect();
    if reasons.iter().all(Option::is_some) { Some(reasons.into_iter().flatten().collect::<Vec<_>>().join("; ")) } else { None }
}

fn index_of(label: &str, field: &str) -> Option<usize> {
    label.strip_prefix(field)?.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

fn label_reason(graph: &Graph, state: &graph::StateInfo, label: &str) -> Option<String> {
    let on_task = state.kind == "Task";
    if let Some(i) = index_of(label, "Catch") {
        let catchers = graph::error_lists(&state.json, "Catch");
        if let Err(j) = graph::error_for(&catchers, i, on_task) {
            return Some(format!("Catch[{i}] is shadowed by Catch[{j}], which takes every error it names"));
        }
        if !on_task && !can_fail_inside(graph, &state.name) {
            return Some(format!("nothing inside {} can fail, so Catch[{i}] is never taken", state.name));
        }
        if names_only_missing_parts(state, &catchers[i]) {
            return Some(format!("Catch[{i}] names only {}: errors of an ItemReader or ResultWriter that {} does not have", catchers[i].join(", "), state.name));
        }
        return None;
    }
    let rules = state.json.get("Choices").and_then(Value::as_array)?;
    if let Some(reason) = list_input_reason(graph, state, rules) {
        return Some(reason);
    }
    if let Some(i) = index_of(label, "Choices") {
        return (!can_hold(&rules[i], true, state.jsonata)).then(|| format!("Choices[{i}] can never hold: no value satisfies it"));
    }
    if label == "Default" {
        return rules
            .iter()
            .position(|r| !can_hold(r, false, state.jsonata))
            .map(|j| format!("Choices[{j}] always holds, so Default is never taken"));
    }
    None
}

/// A JSONPath Choice whose input is always a Map's or Parallel's list of results (every state
/// leading to it is one, keeping its results whole: no `ResultSelector`, `ResultPath` or
/// `OutputPath` but `$`) while its first rule reads a field of an object: the rule cannot be
/// evaluated on a list (AWS fails the state with `States.Runtime`), so no edge out of it is taken.
fn list_input_reason(graph: &Graph, state: &graph::StateInfo, rules: &[Value]) -> Option<String> {
    if state.jsonata || state.json.contains_key("InputPath") {
        return None;
    }
    let into: Vec<&graph::StateInfo> = graph.edges.iter().filter(|e| e.to == state.name).filter_map(|e| graph.state(&e.from)).collect();
    let whole = |s: &&graph::StateInfo| {
        let kept = |field: &str| s.json.get(field).is_none_or(|v| v.as_str() == Some("$"));
        matches!(s.kind.as_str(), "Map" | "Parallel")
            && !s.jsonata
            && !s.json.contains_key("ResultSelector")
            && !s.json.contains_key("ResultWriter")
            && kept("ResultPath")
            && kept("OutputPath")
            && graph.edges.iter().filter(|e| e.from == s.name && e.to == state.name).all(|e| e.labels.iter().all(|l| l == "Next"))
    };
    let first = into.first().filter(|_| into.iter().all(whole))?;
    fn reads_a_field(rule: &Value) -> bool {
        let Some(rule) = rule.as_object() else { return false };
        if let Some(sub) = rule.get("Not") {
            return reads_a_field(sub);
        }
        if let Some(subs) = rule.get("And").or_else(|| rule.get("Or")).and_then(Value::as_array) {
            return subs.first().is_some_and(reads_a_field);
        }
        let member = rule.get("Variable").and_then(Value::as_str).and_then(paths::steps).is_some_and(|p| matches!(p.first(), Some(paths::Step::Member(_))));
        member && !rule.contains_key("IsPresent")
    }
    // Checked by the interpreter: the rule alone on a list fails.
    let rule = rules.first().filter(|r| reads_a_field(r) && rule_holds(r, false, &Value::Array(vec![Value::Object(Default::default())])).is_none())?;
    let variable = rule.get("Variable").and_then(Value::as_str).unwrap_or("a field");
    Some(format!("its input is always the list of results of {} (a list has no field: its first rule, on {variable}, fails the state)", first.name))
}

/// Whether some synthesised assignment makes the rule come out `want`, checked by the interpreter.
fn can_hold(rule: &Value, want: bool, jsonata: bool) -> bool {
    let base = Value::Object(Default::default());
    synth::satisfy(rule, want, &base).iter().any(|a| {
        let mut input = base.clone();
        for (path, value) in a {
            paths::set(&mut input, path, value.clone());
        }
        rule_holds(rule, jsonata, &input) == Some(want)
    })
}

/// Whether a callback's HeartbeatSeconds is no shorter than its TimeoutSeconds (both literal):
/// the timeout always comes first, so no heartbeat can be missed.
fn heartbeat_after_timeout(state: &graph::StateInfo) -> bool {
    let callback = state.json.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(".waitForTaskToken"));
    let seconds = |field: &str| state.json.get(field).and_then(Value::as_u64);
    callback && matches!((seconds("HeartbeatSeconds"), seconds("TimeoutSeconds")), (Some(h), Some(t)) if h >= t)
}

/// Why a Distributed Map's retrier is never taken: its failed child executions fail it with
/// `States.ExceedToleratedFailureThreshold` only, and the retrier does not take that error (or
/// an earlier one does); the errors of an ItemReader or ResultWriter it has are still possible.
fn distributed_retry_reason(state: &graph::StateInfo, retriers: &[Vec<String>], index: usize) -> Option<String> {
    if state.kind != "Map" || !graph::distributed(&state.json) {
        return None;
    }
    let exceeded = names::EXCEED_TOLERATED_FAILURE_THRESHOLD;
    let first = retriers.iter().position(|l| graph::caught_by(l, exceeded, false));
    if first == Some(index) {
        return None;
    }
    let own_parts = [(names::ITEM_READER_FAILED, "ItemReader"), (names::RESULT_WRITER_FAILED, "ResultWriter")];
    if own_parts.iter().any(|(error, part)| state.json.contains_key(*part) && graph::caught_by(&retriers[index], error, false)) {
        return None;
    }
    Some(match first {
        Some(j) if j < index => format!("a Distributed Map's failed child executions fail it with {exceeded}, which Retry[{j}] takes first"),
        _ => format!("a Distributed Map's failed child executions fail it with {exceeded}, which Retry[{index}] does not name"),
    })
}

/// A Map whose literal `ToleratedFailurePercentage` is 100 and that has no ItemReader or
/// ResultWriter of its own to fail: nothing fails it.
fn tolerates_every_failure(state: &graph::StateInfo) -> bool {
    state.kind == "Map"
        && state.json.get("ToleratedFailurePercentage").and_then(Value::as_f64).is_some_and(|p| p >= 100.0)
        && !state.json.contains_key("ItemReader")
        && !state.json.contains_key("ResultWriter")
}

/// Whether every error a catcher names is one only a part the Map lacks raises: its ItemReader's
/// `States.ItemReaderFailed`, its ResultWriter's `States.ResultWriterFailed`.
fn names_only_missing_parts(state: &graph::StateInfo, list: &[String]) -> bool {
    let raised_by = |name: &str| match name {
        names::ITEM_READER_FAILED => Some("ItemReader"),
        names::RESULT_WRITER_FAILED => Some("ResultWriter"),
        _ => None,
    };
    state.kind == "Map" && !list.is_empty() && list.iter().all(|n| raised_by(n).is_some_and(|part| !state.json.contains_key(part)))
}

/// Whether an error a suite can inject inside `owner` (a Map or Parallel) escapes it: a Fail
/// state, or a Task that no `States.ALL` catcher of its own takes (scatter-gather's quote task
/// catches everything into a Pass, so nothing injected fails the Map; only the Map's own data
/// could, a missing path or a non-list `ItemsPath`, with States.Runtime).
fn can_fail_inside(graph: &Graph, owner: &str) -> bool {
    let catches_every_error = |state: &Map<String, Value>| graph::error_lists(state, "Catch").iter().any(|errors| errors.iter().any(|e| e == "States.ALL"));
    graph.inside(owner).iter().any(|s| s.kind == "Fail" || (s.kind == "Task" && !catches_every_error(&s.json)))
}

fn goal_reason(graph: &Graph, goal: &Goal) -> Option<String> {
    let state = graph.state(goal.state())?;
    match goal {
        Goal::HeartbeatTimesOut { state: name } => heartbeat_after_timeout(state).then(|| format!("{name}: its TimeoutSeconds runs out before its HeartbeatSeconds")),
        Goal::RetrySucceeds { retrier, .. } | Goal::RetryExhausted { retrier, .. } => {
            let retriers = graph::error_lists(&state.json, "Retry");
            let on_task = state.kind == "Task";
            if !on_task && !can_fail_inside(graph, &state.name) {
                return Some(format!("nothing inside {} can fail", state.name));
            }
            if let Some(reason) = distributed_retry_reason(state, &retriers, *retrier) {
                return Some(reason);
            }
            graph::error_for(&retriers, *retrier, on_task).err().map(|j| format!("Retry[{retrier}] is shadowed by Retry[{j}], which takes every error it names"))
        }
        Goal::ToleratesFailure { state: name } => (!can_fail_inside(graph, name)).then(|| format!("nothing inside {name} can fail")),
        Goal::BranchFails { state: name } if tolerates_every_failure(state) => {
            Some(format!("{name} tolerates every failed iteration (ToleratedFailurePercentage 100) and has no ItemReader or ResultWriter, so nothing fails it"))
        }
        Goal::BranchFails { state: name } => (!can_fail_inside(graph, name)).then(|| format!("nothing inside {name} can fail")),
        Goal::TimesOut { .. } => None,
    }
}
