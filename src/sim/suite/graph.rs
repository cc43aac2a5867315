//! What a suite must reach, read from the definition: every state, every edge (the start of each
//! scope, each `Next`, each Choice rule and `Default`, each `Catch`, each end), and the goals an
//! edge does not show (each retrier followed by success and by exhaustion, a Task's timeout and
//! heartbeat, a Map's or Parallel's failure). Edges are (from, to) pairs as a run's trace records
//! them ([`crate::sim::run`]), with [`START`] and [`END`] for the markers; two rules to the same
//! state are one edge with two labels.

use serde_json::{Map, Value};

use crate::asl::error::{StatesError, names};
use crate::sim::run::{END, START};

/// A state of the definition, any scope.
#[derive(Debug, Clone, PartialEq)]
pub struct StateInfo {
    pub name: String,
    /// `Task`, `Choice`, ...
    pub kind: String,
    pub scope: usize,
    /// The state as written.
    pub json: Map<String, Value>,
    /// Whether it is written in JSONata (its own `QueryLanguage`, else the machine's).
    pub jsonata: bool,
}

/// A scope: the top level (0), a Parallel branch or a Map processor.
#[derive(Debug, Clone, PartialEq)]
pub struct ScopeInfo {
    /// The Map or Parallel state that runs it; `None` for the top level.
    pub owner: Option<String>,
    pub start: String,
}

/// One edge and the fields that make it (`Next`, `Choices[0]`, `Default`, `Catch[1]`, `start`, `end`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub labels: Vec<String>,
}

impl Edge {
    /// `A → B`, with the markers as `start` and `end`.
    pub fn describe(&self) -> String {
        let name = |s: &str| match s {
            START => "start".to_string(),
            END => "end".to_string(),
            other => other.to_string(),
        };
        format!("{} → {}", name(&self.from), name(&self.to))
    }
}

/// A goal no edge shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Goal {
    /// Retrier `retrier` of `state` retries and the state then succeeds.
    RetrySucceeds { state: String, retrier: usize },
    /// Retrier `retrier` of `state` retries until its attempts run out.
    RetryExhausted { state: String, retrier: usize },
    /// The Task's `TimeoutSeconds` runs out.
    TimesOut { state: String },
    /// The Task's `HeartbeatSeconds` runs out.
    HeartbeatTimesOut { state: String },
    /// The Map or Parallel fails because something inside it failed.
    BranchFails { state: String },
    /// The Map succeeds although an iteration failed (within its `ToleratedFailureCount` or
    /// `ToleratedFailurePercentage`).
    ToleratesFailure { state: String },
}

impl Goal {
    pub fn state(&self) -> &str {
        match self {
            Goal::RetrySucceeds { state, .. }
            | Goal::RetryExhausted { state, .. }
            | Goal::TimesOut { state }
            | Goal::HeartbeatTimesOut { state }
            | Goal::BranchFails { state }
            | Goal::ToleratesFailure { state } => state,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Goal::RetrySucceeds { state, retrier } => format!("{state} Retry[{retrier}] then success"),
            Goal::RetryExhausted { state, retrier } => format!("{state} Retry[{retrier}] exhausted"),
            Goal::TimesOut { state } => format!("{state} times out"),
            Goal::HeartbeatTimesOut { state } => format!("{state} misses its heartbeat"),
            Goal::BranchFails { state } => format!("{state} fails"),
            Goal::ToleratesFailure { state } => format!("{state} tolerates a failed iteration"),
        }
    }
}

/// The definition's states, scopes, edges and goals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    pub states: Vec<StateInfo>,
    pub scopes: Vec<ScopeInfo>,
    pub edges: Vec<Edge>,
    pub goals: Vec<Goal>,
    /// Each `.waitForTaskToken` Task's success output shaped for what the states after it read
    /// ([`crate::sim::downstream`]: a Choice on `$.answer.action` finds an `action` that takes
    /// its main branch), by state name.
    pub callback_outputs: std::collections::BTreeMap<String, Value>,
}

impl Graph {
    /// The graph of a definition (what is not a state machine gives an empty graph: the
    /// simulator reports why it cannot run).
    pub fn of(definition: &Value) -> Graph {
        let mut graph = Graph::default();
        if let Some(machine) = definition.as_object() {
            let jsonata = machine.get("QueryLanguage").and_then(Value::as_str) == Some("JSONata");
            graph.scope(machine, None, jsonata);
        }
        let callback = |s: &StateInfo| s.json.get("Resource").and_then(Value::as_str).is_some_and(|r| r.ends_with(".waitForTaskToken"));
        if graph.states.iter().any(callback) {
            let expectations = crate::sim::downstream::expectations(definition);
            for state in graph.states.iter().filter(|s| callback(s)) {
                if let Some(expectation) = expectations.get(&state.name).filter(|e| !e.is_empty()) {
                    graph.callback_outputs.insert(state.name.clone(), expectation.shape_payload(Value::Object(Default::default())));
                }
            }
        }
        graph
    }

    pub fn state(&self, name: &str) -> Option<&StateInfo> {
        self.states.iter().find(|s| s.name == name)
    }

    /// The Map or Parallel states enclosing `name`, innermost first.
    pub fn owners(&self, name: &str) -> Vec<&StateInfo> {
        let mut out = Vec::new();
        let mut current = self.state(name);
        while let Some(state) = current {
            current = self.scopes.get(state.scope).and_then(|s| s.owner.as_deref()).and_then(|o| self.state(o));
            if let Some(owner) = current {
                out.push(owner);
            }
        }
        out
    }

    /// The states of the scopes `owner` runs (its branches or its processor), nested ones included.
    pub fn inside(&self, owner: &str) -> Vec<&StateInfo> {
        self.states.iter().filter(|s| self.owners(&s.name).iter().any(|o| o.name == owner)).collect()
    }

    fn edge(&mut self, from: &str, to: &str, label: String) {
        match self.edges.iter_mut().find(|e| e.from == from && e.to == to) {
            Some(edge) => edge.labels.push(label),
            None => self.edges.push(Edge { from: from.into(), to: to.into(), labels: vec![label] }),
        }
    }

    fn scope(&mut self, machine: &Map<String, Value>, owner: Option<String>, jsonata: bool) {
        let index = self.scopes.len();
        let start = machine.get("StartAt").and_then(Value::as_str).unwrap_or_default().to_string();
        self.scopes.push(ScopeInfo { owner, start: start.clone() });
        self.edge(START, &start, "start".into());
        let Some(states) = machine.get("States").and_then(Value::as_object) else { return };
        for (name, state) in states {
            let Some(state) = state.as_object() else { continue };
            let kind = state.get("Type").and_then(Value::as_str).unwrap_or_default().to_string();
            let jsonata = match state.get("QueryLanguage").and_then(Value::as_str) {
                Some(language) => language == "JSONata",
                None => jsonata,
            };
            self.states.push(StateInfo { name: name.clone(), kind: kind.clone(), scope: index, json: state.clone(), jsonata });
            if let Some(next) = state.get("Next").and_then(Value::as_str) {
                self.edge(name, next, "Next".into());
            }
            if state.get("End") == Some(&Value::Bool(true)) || kind == "Succeed" {
                self.edge(name, END, if kind == "Succeed" { "Succeed".into() } else { "End".into() });
            }
            for (i, rule) in state.get("Choices").and_then(Value::as_array).into_iter().flatten().enumerate() {
                if let Some(next) = rule.get("Next").and_then(Value::as_str) {
                    self.edge(name, next, format!("Choices[{i}]"));
                }
            }
            if let Some(default) = state.get("Default").and_then(Value::as_str) {
                self.edge(name, default, "Default".into());
            }
            for (i, catcher) in state.get("Catch").and_then(Value::as_array).into_iter().flatten().enumerate() {
                if let Some(next) = catcher.get("Next").and_then(Value::as_str) {
                    self.edge(name, next, format!("Catch[{i}]"));
                }
            }
            // A Map or Parallel is retried when something inside fails (the run model counts its starts).
            for (i, retrier) in state.get("Retry").and_then(Value::as_array).into_iter().flatten().enumerate() {
                if matches!(kind.as_str(), "Task" | "Map" | "Parallel") && retrier.get("MaxAttempts").and_then(Value::as_u64) != Some(0) {
                    self.goals.push(Goal::RetrySucceeds { state: name.clone(), retrier: i });
                    self.goals.push(Goal::RetryExhausted { state: name.clone(), retrier: i });
                }
            }
            if kind == "Task" {
                if state.contains_key("TimeoutSeconds") || state.contains_key("TimeoutSecondsPath") {
                    self.goals.push(Goal::TimesOut { state: name.clone() });
                }
                if state.contains_key("HeartbeatSeconds") || state.contains_key("HeartbeatSecondsPath") {
                    self.goals.push(Goal::HeartbeatTimesOut { state: name.clone() });
                }
            }
            if kind == "Parallel" || kind == "Map" {
                self.goals.push(Goal::BranchFails { state: name.clone() });
            }
            // A Distributed Map's iterations fail in child executions, which its run model counts.
            if kind == "Map" && tolerates_failure(state) {
                self.goals.push(Goal::ToleratesFailure { state: name.clone() });
            }
            for (_, inner) in crate::asl::walk::json::nested(state, crate::asl::walk::Reach::Run) {
                self.scope(inner, Some(name.clone()), jsonata_of(inner, jsonata));
            }
        }
    }
}

/// Whether a Map runs its items as child executions (`ProcessorConfig.Mode` DISTRIBUTED).
pub fn distributed(state: &Map<String, Value>) -> bool {
    use crate::asl::walk::{Reach, json};
    json::nested(state, Reach::Run).into_iter().any(|(_, p)| p.get("ProcessorConfig").and_then(|c| c.get("Mode")).and_then(Value::as_str) == Some("DISTRIBUTED"))
}

/// Whether a Map may succeed with a failed iteration: a tolerated count or percentage above zero,
/// or one read at run time (`...Path`, a JSONata expression).
pub fn tolerates_failure(state: &Map<String, Value>) -> bool {
    ["ToleratedFailureCount", "ToleratedFailurePercentage"].iter().any(|f| match state.get(*f) {
        Some(Value::Number(n)) => n.as_f64().is_some_and(|n| n > 0.0),
        Some(Value::String(_)) => true,
        _ => false,
    }) || state.contains_key("ToleratedFailureCountPath")
        || state.contains_key("ToleratedFailurePercentagePath")
}

fn jsonata_of(machine: &Map<String, Value>, inherited: bool) -> bool {
    match machine.get("QueryLanguage").and_then(Value::as_str) {
        Some(language) => language == "JSONata",
        None => inherited,
    }
}

/// The `ErrorEquals` lists of a state's `Retry` or `Catch` (`field`), in order.
pub fn error_lists(state: &Map<String, Value>, field: &str) -> Vec<Vec<String>> {
    state
        .get(field)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|r| {
            r.get("ErrorEquals").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).map(String::from).collect()
        })
        .collect()
}

/// The name an injected error takes when any name will do: matched by `States.ALL` and
/// `States.TaskFailed`, by nothing else.
pub const ANY_ERROR: &str = "Simulated.Failure";

/// Whether the error `name`, raised by a Task's service (`on_task`) or inside a branch, is caught
/// by an `ErrorEquals` list.
pub fn caught_by(list: &[String], name: &str, on_task: bool) -> bool {
    let error = StatesError::new(name, "").reported_by_task();
    list.iter().any(|pattern| error.matches(pattern, on_task))
}

/// An error name that list `index` of `lists` matches and no earlier list does: one of its own
/// names, else [`ANY_ERROR`], else a timeout (which `States.ALL` takes and `States.TaskFailed`
/// does not); `Err(j)` when every name it matches is matched by list `j` before it.
pub fn error_for(lists: &[Vec<String>], index: usize, on_task: bool) -> Result<String, usize> {
    let own = &lists[index];
    let candidates = own
        .iter()
        .filter(|n| n.as_str() != names::ALL && n.as_str() != names::TASK_FAILED)
        .cloned()
        .chain([ANY_ERROR, names::TIMEOUT, names::HEARTBEAT_TIMEOUT].map(String::from));
    let mut shadow = None;
    for name in candidates {
        if !caught_by(own, &name, on_task) {
            continue;
        }
        match lists[..index].iter().position(|earlier| caught_by(earlier, &name, on_task)) {
            None => return Ok(name),
            Some(j) => shadow = shadow.or(Some(j)),
        }
    }
    Err(shadow.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_callback_s_success_carries_what_the_choice_after_it_reads() {
        // As published (security-incident-response): the approver's answer decides the branch.
        let graph = Graph::of(&json!({"StartAt": "Ask", "States": {
            "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                    "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}}, "ResultPath": "$.taskresult", "Next": "Choose"},
            "Choose": {"Type": "Choice", "Choices": [
                {"Variable": "$.taskresult.action", "StringEquals": "delete", "Next": "Denied"},
                {"Variable": "$.taskresult.action", "StringEquals": "allow", "Next": "Approved"}], "Default": "Denied"},
            "Denied": {"Type": "Fail"},
            "Approved": {"Type": "Pass", "Parameters": {"who.$": "$.taskresult.approver"}, "End": true},
            "Plain": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}));
        let output = &graph.callback_outputs["Ask"];
        // The branch that ends well is taken, and what it reads is there.
        assert_eq!(output["action"], "allow", "{output}");
        assert!(output.get("approver").is_some(), "{output}");
        assert!(!graph.callback_outputs.contains_key("Plain"));
    }

    #[test]
    fn edges_and_goals_of_a_nested_definition() {
        let graph = Graph::of(&json!({"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 5,
                  "Retry": [{"ErrorEquals": ["X"]}, {"ErrorEquals": ["Y"], "MaxAttempts": 0}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}], "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.a", "IsPresent": true, "Next": "M"}, {"Variable": "$.b", "IsNull": true, "Next": "M"}], "Default": "F"},
            "M": {"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true},
            "F": {"Type": "Fail"}}}));
        let described: Vec<String> = graph.edges.iter().map(Edge::describe).collect();
        assert_eq!(described, ["start → T", "T → C", "T → F", "C → M", "C → F", "M → end", "start → I", "I → end"]);
        assert_eq!(graph.edges[3].labels, ["Choices[0]", "Choices[1]"]);
        assert_eq!(
            graph.goals,
            [
                Goal::RetrySucceeds { state: "T".into(), retrier: 0 },
                Goal::RetryExhausted { state: "T".into(), retrier: 0 },
                Goal::TimesOut { state: "T".into() },
                Goal::BranchFails { state: "M".into() },
            ]
        );
        assert_eq!(graph.owners("I")[0].name, "M");
        assert_eq!(graph.inside("M").len(), 1);
    }

    #[test]
    fn an_error_is_chosen_per_catcher_and_shadowed_catchers_are_named() {
        let lists = |v: &[&[&str]]| v.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect::<Vec<Vec<String>>>();
        let catchers = lists(&[&["A", "B"], &["A"], &["States.TaskFailed"], &["States.ALL"], &["States.Timeout"]]);
        assert_eq!(error_for(&catchers, 0, true), Ok("A".into()));
        assert_eq!(error_for(&catchers, 1, true), Err(0));
        assert_eq!(error_for(&catchers, 2, true), Ok(ANY_ERROR.into()));
        assert_eq!(error_for(&catchers, 3, true), Ok("States.Timeout".into()), "States.ALL after TaskFailed still takes timeouts");
        assert_eq!(error_for(&catchers, 4, true), Err(3));
    }
}
