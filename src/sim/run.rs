//! The run model: what one execution did, read from its history as AWS's graph inspector shows
//! it: the outcome, the path of state visits, each state's status (succeeded, failed, caught, in
//! progress, not reached), the edges taken, retries, and each visit's input and output. A
//! Distributed Map's child executions, whose events are in histories of their own, add their
//! visits as an inline Map's iterations do.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::asl::history::{EventKind, HistoryEvent};
use crate::asl::interp::{Execution, ExecutionStatus, child_event_key};
use crate::asl::value::Payload;

/// The pseudo state an execution (or a branch) starts from, for edges.
pub const START: &str = "#start";
/// The pseudo state an execution (or a branch) ends at, for edges.
pub const END: &str = "#end";

/// How an execution stands: [`ExecutionStatus`] as data that crosses from the engine worker to
/// the page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum RunEnd {
    Running,
    Succeeded { output: Payload },
    Failed { error: Option<String>, cause: Option<String> },
    TimedOut { error: Option<String>, cause: Option<String> },
}

impl RunEnd {
    pub fn of(status: &ExecutionStatus) -> RunEnd {
        match status {
            ExecutionStatus::Running => RunEnd::Running,
            ExecutionStatus::Succeeded { output } => RunEnd::Succeeded { output: output.clone() },
            ExecutionStatus::Failed(e) => RunEnd::Failed { error: e.error.clone(), cause: e.cause.clone() },
            ExecutionStatus::TimedOut(e) => RunEnd::TimedOut { error: e.error.clone(), cause: e.cause.clone() },
        }
    }

    /// AWS's status name: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`.
    pub fn name(&self) -> &'static str {
        match self {
            RunEnd::Running => "RUNNING",
            RunEnd::Succeeded { .. } => "SUCCEEDED",
            RunEnd::Failed { .. } => "FAILED",
            RunEnd::TimedOut { .. } => "TIMED_OUT",
        }
    }
}

/// How a state is coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StateStatus {
    Succeeded,
    Failed,
    /// Failed, and a Catch sent the execution on.
    Caught,
    InProgress,
    NotReached,
}

impl StateStatus {
    /// The CSS-friendly name: `succeeded`, `failed`, `caught`, `in-progress`, `not-reached`.
    pub fn name(self) -> &'static str {
        match self {
            StateStatus::Succeeded => "succeeded",
            StateStatus::Failed => "failed",
            StateStatus::Caught => "caught",
            StateStatus::InProgress => "in-progress",
            StateStatus::NotReached => "not-reached",
        }
    }
}

/// One visit of a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Visit {
    pub state: Arc<str>,
    /// The id of its StateEntered event.
    pub entered_event: u64,
    pub input: Payload,
    pub output: Option<Payload>,
    /// The last error the state's task raised: (error, cause).
    pub error: Option<(Option<String>, Option<String>)>,
    /// Attempts (1 + retries) for a Task; for a Map or a Parallel, how many times it started its
    /// iterations or branches (a retried one starts them again).
    pub attempts: u32,
    /// A Map's iterations that failed (its `ToleratedFailureCount`/`Percentage` may let it succeed);
    /// for a Distributed Map, its child executions that failed.
    pub failed_iterations: u32,
    pub status: StateStatus,
    /// It failed in an attempt that a redrive then ran again: the later visit tells the state's
    /// status.
    pub superseded: bool,
    /// Its task timed out by missing a heartbeat (AWS names it `States.Timeout` all the same).
    pub missed_heartbeat: bool,
}

/// Per state, over all its visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StateRun {
    pub status: StateStatus,
    pub visits: u32,
    pub retries: u32,
}

/// What one execution did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunModel {
    /// `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`.
    pub status: &'static str,
    pub output: Option<Payload>,
    pub error: Option<String>,
    pub cause: Option<String>,
    /// The state the execution ended in (the last one entered at the top level).
    pub end_state: Option<String>,
    pub visits: Vec<Visit>,
    pub states: BTreeMap<Arc<str>, StateRun>,
    /// (from, to) state names; [`START`] and [`END`] for the markers. Counted.
    pub edges: BTreeMap<(Arc<str>, Arc<str>), u32>,
    pub transitions: u64,
    /// The Map and Parallel states that failed (a catcher may have taken the failure on), in
    /// order: their StateExited follows their MapStateFailed or ParallelStateFailed.
    pub branch_failures: Vec<Arc<str>>,
    /// Virtual milliseconds from ExecutionStarted to the last event.
    pub duration_ms: i64,
}

/// AWS's status of the execution whose history is `history` (so far): how its last
/// execution-level event leaves it. `RUNNING` until it ends and again after an
/// `ExecutionRedriven`; `SUCCEEDED`, `FAILED`, `TIMED_OUT` or `ABORTED` after it ends. The one
/// reading of a run's status from its events: the run model's and a Distributed Map child's in
/// the History tab.
pub fn status_of(history: &[HistoryEvent]) -> &'static str {
    history
        .iter()
        .rev()
        .find_map(|e| match e.kind {
            EventKind::ExecutionSucceeded { .. } => Some("SUCCEEDED"),
            EventKind::ExecutionFailed { .. } => Some("FAILED"),
            EventKind::ExecutionTimedOut { .. } => Some("TIMED_OUT"),
            EventKind::ExecutionAborted { .. } => Some("ABORTED"),
            EventKind::ExecutionRedriven { .. } => Some("RUNNING"),
            _ => None,
        })
        .unwrap_or("RUNNING")
}

/// The Map or Parallel visit that visit `v` runs inside and that is still running (not exited,
/// not given up): the one a restart after `v`'s error belongs to.
fn container_of(visits: &[Visit], parent: &[Option<usize>], gave_up: &[bool], v: usize) -> Option<usize> {
    let mut at = parent.get(v).copied().flatten();
    while let Some(u) = at {
        if visits[u].output.is_none() && !gave_up[u] {
            return Some(u);
        }
        at = parent[u];
    }
    None
}

impl RunModel {
    /// The model of `execution` as it is now.
    pub fn of(execution: &Execution) -> RunModel {
        let children: Vec<(&str, &[HistoryEvent])> = execution.child_histories().iter().map(|c| (&*c.map_state, c.events.as_slice())).collect();
        RunModel::recorded(execution.history(), &children, execution.transitions(), &RunEnd::of(execution.status()))
    }

    /// The model of a recorded execution (what [`RunModel::of`] reads from a live one): its
    /// history, a Distributed Map's child histories (with the Map state that started each), its
    /// billed transitions and how it stands.
    /// The page builds it from what the engine worker sent (`sim::protocol`).
    pub fn recorded(history: &[HistoryEvent], children: &[(&str, &[HistoryEvent])], transitions: u64, end: &RunEnd) -> RunModel {
        let mut model = RunModel::from_history(history);
        // A Distributed Map's children run in histories of their own: their visits light the
        // states of its ItemProcessor, as an inline Map's iterations do.
        for (index, (map_state, child)) in children.iter().enumerate() {
            model.absorb_child(RunModel::from_history(child), index, map_state);
        }
        model.transitions = transitions;
        match end {
            RunEnd::Running => model.status = "RUNNING",
            RunEnd::Succeeded { output } => model.output = Some(output.clone()),
            RunEnd::Failed { error, cause } | RunEnd::TimedOut { error, cause } => {
                model.error = error.clone();
                model.cause = cause.clone();
            }
        }
        model
    }

    /// The model of a history (the status from its last event).
    pub fn from_history(history: &[HistoryEvent]) -> RunModel {
        let mut visits: Vec<Visit> = Vec::new();
        // The visit each event belongs to, by event id (index 0 unused).
        let mut visit_of: Vec<Option<usize>> = vec![None; history.len() + 2];
        let mut followed: Vec<bool> = Vec::new();
        let mut edges: BTreeMap<(Arc<str>, Arc<str>), u32> = BTreeMap::new();
        let start: Arc<str> = START.into();
        let end: Arc<str> = END.into();
        // The execution's error and cause, when it failed (the last ExecutionFailed's).
        let mut failure: (Option<String>, Option<String>) = (None, None);
        let mut last_top: Option<usize> = None;
        let mut branch_failures: Vec<Arc<str>> = Vec::new();
        let mut branch_failed = false;
        // Each visit's Map or Parallel (the visit that started the branch or iteration it is in),
        // and the Map and Parallel visits that gave up (failed past their retries).
        let mut parent: Vec<Option<usize>> = Vec::new();
        let mut gave_up: Vec<bool> = Vec::new();
        // The last error a task raised: what a Map or Parallel that starts again was retried on.
        let mut last_error: Option<(Option<String>, Option<String>)> = None;
        // Nesting depth of each visit (0: the top level), and the open visits by state name.
        let mut depth: Vec<u32> = Vec::new();
        // FNV: the keys are short state names, hashed on every entered and exited event.
        let mut open: std::collections::HashMap<Arc<str>, Vec<usize>, std::hash::BuildHasherDefault<crate::asl::fnv::Fnv>> =
            std::collections::HashMap::default();
        let kind_of = |id: u64| history.get((id as usize).wrapping_sub(1)).map(|e| &e.kind);
        for event in history {
            let prev = event.previous_event_id as usize;
            let inherited = visit_of.get(prev).copied().flatten();
            let slot = event.id as usize;
            match &event.kind {
                EventKind::StateEntered { name, input, .. } => {
                    let index = visits.len();
                    visits.push(Visit {
                        state: name.clone(),
                        entered_event: event.id,
                        input: input.clone(),
                        output: None,
                        error: None,
                        attempts: 0,
                        failed_iterations: 0,
                        status: StateStatus::InProgress,
                        superseded: false,
                        missed_heartbeat: false,
                    });
                    followed.push(false);
                    gave_up.push(false);
                    let opens_branch = matches!(
                        kind_of(prev as u64),
                        Some(EventKind::ParallelStateStarted | EventKind::MapIterationStarted { .. } | EventKind::MapStateStarted { .. })
                    );
                    let d = inherited.map_or(0, |v| depth[v] + u32::from(opens_branch));
                    depth.push(d);
                    parent.push(if opens_branch { inherited } else { inherited.and_then(|v| parent[v]) });
                    open.entry(name.clone()).or_default().push(index);
                    let redriven = matches!(kind_of(prev as u64), Some(EventKind::ExecutionRedriven { .. }));
                    let from = match (kind_of(prev as u64), inherited) {
                        _ if opens_branch || redriven => start.clone(),
                        (Some(EventKind::StateExited { .. }), Some(v)) => {
                            followed[v] = true;
                            visits[v].state.clone()
                        }
                        (Some(_), Some(v)) if visits[v].output.is_none() => {
                            // Left without exiting: a Catch fired.
                            visits[v].status = StateStatus::Caught;
                            followed[v] = true;
                            if let Some(list) = open.get_mut(&visits[v].state) {
                                list.retain(|&x| x != v);
                            }
                            visits[v].state.clone()
                        }
                        _ => start.clone(),
                    };
                    // A redrive re-enters the state the edge into it already led to.
                    if !redriven {
                        *edges.entry((from, name.clone())).or_default() += 1;
                    }
                    if d == 0 {
                        last_top = Some(index);
                    }
                    set(&mut visit_of, slot, Some(index));
                }
                // A Distributed Map's MapRunStarted follows its MapStateStarted: the same start.
                EventKind::MapRunStarted { .. } if matches!(kind_of(prev as u64), Some(EventKind::MapStateStarted { .. })) => {
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::MapStateStarted { .. } | EventKind::ParallelStateStarted | EventKind::MapRunStarted { .. } => {
                    // Started right after it was entered, or again (retried after the error
                    // raised inside it, the event following that error's; a Distributed Map's
                    // retried Map Run follows the one before).
                    // A retried Distributed Map starts again after its failed Map Run
                    // (MapRunFailed, MapStateStarted, MapRunStarted), as AWS records it.
                    let again = match (&event.kind, kind_of(prev as u64)) {
                        (EventKind::MapRunStarted { .. }, Some(EventKind::MapRunStarted { .. })) => true,
                        (EventKind::MapStateStarted { .. } | EventKind::MapRunStarted { .. }, Some(EventKind::MapRunFailed { .. })) => true,
                        _ => false,
                    };
                    let owner = inherited.and_then(|v| if visits[v].entered_event == prev as u64 || again { Some(v) } else { container_of(&visits, &parent, &gave_up, v) });
                    if let Some(c) = owner {
                        if visits[c].attempts > 0 {
                            // Retried: the failure before is the retrier's, not the exit's.
                            visits[c].error = last_error.clone();
                            branch_failed = false;
                        }
                        visits[c].attempts += 1;
                    }
                    set(&mut visit_of, slot, owner.or(inherited));
                }
                EventKind::MapIterationFailed { name, .. } => {
                    if let Some(&v) = open.get(name).and_then(|l| l.last()) {
                        visits[v].failed_iterations += 1;
                    }
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::MapStateFailed | EventKind::ParallelStateFailed => {
                    branch_failed = true;
                    let owner = inherited.and_then(|v| if visits[v].entered_event == prev as u64 { Some(v) } else { container_of(&visits, &parent, &gave_up, v) });
                    if let Some(c) = owner {
                        gave_up[c] = true;
                    }
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::StateExited { name, output, .. } => {
                    if std::mem::take(&mut branch_failed) {
                        branch_failures.push(name.clone());
                    }
                    // By name: a Parallel or Map exits after its branches' events.
                    let exited = open.get_mut(name).and_then(Vec::pop).or(inherited);
                    // A Task whose error a Catch took exits right after its failure, with the
                    // catcher's output (as AWS records it): caught, and, as before AWS's exit
                    // was recorded, with no output of its own (the catcher's is the next
                    // state's input).
                    let caught_task = matches!(
                        kind_of(prev as u64),
                        Some(EventKind::LambdaFunctionFailed { .. } | EventKind::LambdaFunctionTimedOut { .. } | EventKind::TaskFailed { .. } | EventKind::TaskTimedOut { .. })
                    );
                    if let Some(v) = exited {
                        if caught_task {
                            visits[v].status = StateStatus::Caught;
                        } else {
                            visits[v].output = Some(output.clone());
                        }
                        if visits[v].status == StateStatus::InProgress {
                            visits[v].status = StateStatus::Succeeded;
                        }
                    }
                    set(&mut visit_of, slot, exited);
                }
                EventKind::LambdaFunctionScheduled { .. } | EventKind::TaskScheduled { .. } => {
                    if let Some(v) = inherited {
                        visits[v].attempts += 1;
                    }
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::LambdaFunctionFailed { error, cause }
                | EventKind::LambdaFunctionTimedOut { error, cause }
                | EventKind::TaskFailed { error, cause, .. }
                | EventKind::TaskTimedOut { error, cause, .. } => {
                    if let Some(v) = inherited {
                        visits[v].error = Some((error.clone(), cause.clone()));
                        visits[v].missed_heartbeat = matches!(event.kind, EventKind::TaskTimedOut { heartbeat: true, .. });
                    }
                    last_error = Some((error.clone(), cause.clone()));
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::MapRunFailed { error, cause } => {
                    // The Map Run's own error (the threshold's, or its reader's or writer's), which
                    // its Catch reads; a caught Distributed Map exits after it, as an inline one
                    // after MapStateFailed.
                    branch_failed = true;
                    if let Some(v) = inherited {
                        visits[v].error = Some((error.clone(), cause.clone()));
                        gave_up[v] = true;
                    }
                    last_error = Some((error.clone(), cause.clone()));
                    set(&mut visit_of, slot, inherited);
                }
                EventKind::ExecutionFailed { error, cause } => failure = (error.clone(), cause.clone()),
                EventKind::ExecutionSucceeded { .. } | EventKind::ExecutionTimedOut { .. } | EventKind::ExecutionAborted { .. } => {}
                EventKind::ExecutionRedriven { .. } => {
                    // The visits left open failed in the attempt before; their states run again.
                    for visit in visits.iter_mut().filter(|v| v.status == StateStatus::InProgress) {
                        visit.status = StateStatus::Failed;
                        visit.superseded = true;
                    }
                    open.clear();
                }
                _ => set(&mut visit_of, slot, inherited),
            }
        }
        let status = status_of(history);
        for (v, visit) in visits.iter_mut().enumerate() {
            if visit.status == StateStatus::InProgress && status != "RUNNING" {
                visit.status = StateStatus::Failed;
            }
            if visit.status == StateStatus::Succeeded && !followed[v] {
                *edges.entry((visit.state.clone(), end.clone())).or_default() += 1;
            }
        }
        let mut states: BTreeMap<Arc<str>, StateRun> = BTreeMap::new();
        for visit in visits.iter().filter(|v| !v.superseded) {
            let entry = states.entry(visit.state.clone()).or_insert(StateRun { status: visit.status, visits: 0, retries: 0 });
            entry.visits += 1;
            entry.retries += visit.attempts.saturating_sub(1);
            // A failure anywhere shows; otherwise the latest visit's status.
            if entry.status != StateStatus::Failed {
                entry.status = visit.status;
            }
        }
        let duration_ms = match (history.first(), history.last()) {
            (Some(a), Some(b)) => b.timestamp - a.timestamp,
            _ => 0,
        };
        RunModel {
            status,
            output: None,
            error: failure.0,
            cause: failure.1,
            end_state: last_top.map(|v| visits[v].state.to_string()),
            visits,
            states,
            edges,
            transitions: 0,
            branch_failures,
            duration_ms,
        }
    }

    /// Adds the model of the child execution `index` of a Distributed Map: its visits (keyed
    /// by [`child_event_key`], as the trace keys them), its states and its edges; a failed child
    /// counts against the latest visit of `map_state` (children start in order, a nested
    /// Distributed Map's after the child that runs it).
    fn absorb_child(&mut self, child: RunModel, index: usize, map_state: &str) {
        if child.status == "FAILED"
            && let Some(map) = self.visits.iter_mut().rev().find(|v| &*v.state == map_state)
        {
            map.failed_iterations += 1;
        }
        for mut visit in child.visits {
            visit.entered_event = child_event_key(index, visit.entered_event);
            self.visits.push(visit);
        }
        for (name, run) in child.states {
            let entry = self.states.entry(name).or_insert(StateRun { status: run.status, visits: 0, retries: 0 });
            entry.visits += run.visits;
            entry.retries += run.retries;
            // A failure anywhere shows; otherwise the latest child's status.
            if entry.status != StateStatus::Failed {
                entry.status = run.status;
            }
        }
        for (edge, count) in child.edges {
            *self.edges.entry(edge).or_default() += count;
        }
    }

    /// A state's status in this run ([`StateStatus::NotReached`] when it never ran).
    pub fn state_status(&self, name: &str) -> StateStatus {
        self.states.get(name).map_or(StateStatus::NotReached, |s| s.status)
    }

    /// The names of the visited states, in order.
    pub fn path(&self) -> Vec<&str> {
        self.visits.iter().map(|v| &*v.state).collect()
    }
}

fn set(visit_of: &mut [Option<usize>], slot: usize, value: Option<usize>) {
    if let Some(s) = visit_of.get_mut(slot) {
        *s = value;
    }
}

/// What to do about a failure the simulated account itself caused, in words for the person
/// running it (AWS's cause text stays as it is): an S3 object or bucket a run reads is not in
/// the simulated account (a Distributed Map's CSV or JSON file, a `getObject`), which the Run
/// drawer's Stores tab can add. `None` for any other failure.
pub fn advice(error: &str, cause: &str) -> Option<&'static str> {
    let s3_reader = error == crate::asl::error::names::ITEM_READER_FAILED || error.starts_with("S3.");
    if s3_reader && cause.contains("The specified key does not exist") {
        Some("The simulated S3 account holds no object at that key. Add it in the Run drawer's Stores tab (S3: the bucket, the key and the file's text), or load a store seed there, then run again.")
    } else if s3_reader && cause.contains("The specified bucket does not exist") {
        Some("The simulated S3 account has no such bucket. Add the bucket and its objects in the Run drawer's Stores tab, then run again.")
    } else if error == crate::asl::error::names::RUNTIME && cause.contains("'$.Contents'") && cause.contains("No results for path") {
        // S3's listObjectsV2 leaves `Contents` out when nothing is listed: an empty bucket.
        Some("The S3 listing had no Contents: the simulated bucket is empty (S3 leaves Contents out then). Add its objects in the Run drawer's Stores tab, then run again.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    #[test]
    fn a_missing_s3_object_is_said_to_be_added_in_the_stores_tab() {
        let cause = "The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 0000000000000000, Extended Request ID: 00000000000000000000000000000000)";
        for error in ["States.ItemReaderFailed", "S3.NoSuchKeyException"] {
            assert!(super::advice(error, cause).is_some_and(|a| a.contains("Stores tab")), "{error}");
        }
        assert!(super::advice("States.ItemReaderFailed", "The specified bucket does not exist").is_some_and(|a| a.contains("Stores tab")));
        assert_eq!(super::advice("States.TaskFailed", cause), None, "a function's own error is its own");
        assert_eq!(super::advice("States.ItemReaderFailed", "Attempting to map over non-iterable node."), None);
        let empty = "An error occurred while executing the state 'Copy' (entered at the event id #7). Invalid path '$.Contents' : No results for path: $['Contents']";
        assert!(super::advice("States.Runtime", empty).is_some_and(|a| a.contains("bucket is empty")));
        assert_eq!(super::advice("States.Runtime", "Invalid path '$.Items' : No results for path: $['Items']"), None);
    }

    use super::*;
    use crate::asl::model::StateType;

    /// A history of these events, one second apart.
    fn history(kinds: Vec<EventKind>) -> Vec<HistoryEvent> {
        kinds.into_iter().enumerate().map(|(i, kind)| HistoryEvent { id: i as u64 + 1, previous_event_id: i as u64, timestamp: i as i64 * 1000, kind }).collect()
    }

    fn started() -> EventKind {
        EventKind::ExecutionStarted { input: crate::asl::value::Payload::new(Value::Null), role_arn: "arn:aws:iam::123456789012:role/r".into() }
    }

    fn entered(name: &str) -> EventKind {
        EventKind::StateEntered { state_type: StateType::Pass, name: name.into(), input: crate::asl::value::Payload::new(Value::Null) }
    }

    fn failed() -> EventKind {
        EventKind::ExecutionFailed { error: Some("E".into()), cause: None }
    }

    #[test]
    fn the_status_is_how_the_last_execution_level_event_leaves_the_run() {
        let cases: Vec<(Vec<EventKind>, &str)> = vec![
            (vec![], "RUNNING"),
            (vec![started()], "RUNNING"),
            (vec![started(), entered("A")], "RUNNING"),
            (vec![started(), EventKind::ExecutionSucceeded { output: crate::asl::value::Payload::new(Value::Null) }], "SUCCEEDED"),
            (vec![started(), entered("A"), failed()], "FAILED"),
            (vec![started(), EventKind::ExecutionTimedOut { error: None, cause: None }], "TIMED_OUT"),
            (vec![started(), EventKind::ExecutionAborted { error: None, cause: None }], "ABORTED"),
            (vec![started(), failed(), EventKind::ExecutionRedriven { redrive_count: 1 }, entered("A")], "RUNNING"),
            (vec![started(), failed(), EventKind::ExecutionRedriven { redrive_count: 1 }, failed()], "FAILED"),
        ];
        for (kinds, status) in cases {
            let events = history(kinds);
            assert_eq!(status_of(&events), status, "{events:?}");
            assert_eq!(RunModel::from_history(&events).status, status, "the run model reads the same: {events:?}");
        }
    }

    #[test]
    fn a_state_left_open_when_the_run_ends_failed_and_one_open_while_it_runs_is_in_progress() {
        let open = history(vec![started(), entered("A")]);
        assert_eq!(RunModel::from_history(&open).state_status("A"), StateStatus::InProgress);
        let ended = history(vec![started(), entered("A"), failed()]);
        assert_eq!(RunModel::from_history(&ended).state_status("A"), StateStatus::Failed);
        let redriven = history(vec![started(), entered("A"), failed(), EventKind::ExecutionRedriven { redrive_count: 1 }]);
        let model = RunModel::from_history(&redriven);
        assert_eq!(model.status, "RUNNING");
        assert!(model.visits[0].superseded, "the failed attempt's visit runs again");
    }

    /// AWS closes a Task whose error a Catch took with TaskStateExited right after the failure;
    /// a Task that exits after its last attempt succeeded is not caught.
    #[test]
    fn a_task_that_exits_right_after_its_failure_was_caught() {
        let task = |name: &str| EventKind::StateEntered { state_type: StateType::Task, name: name.into(), input: crate::asl::value::Payload::new(Value::Null) };
        let exited = |name: &str| EventKind::StateExited { state_type: StateType::Task, name: name.into(), output: crate::asl::value::Payload::new(Value::Null), assigned: None };
        let scheduled = || EventKind::LambdaFunctionScheduled { resource: "arn:aws:lambda:us-east-1:1:function:f".into(), input: crate::asl::value::Payload::new(Value::Null), timeout_seconds: None };
        let lambda_failed = || EventKind::LambdaFunctionFailed { error: Some("Exception".into()), cause: None };
        let caught = history(vec![started(), task("T"), scheduled(), EventKind::LambdaFunctionStarted, lambda_failed(), exited("T"), entered("Handler")]);
        let model = RunModel::from_history(&caught);
        assert_eq!(model.state_status("T"), StateStatus::Caught);
        assert_eq!(model.visits[0].error, Some((Some("Exception".into()), None)));
        assert_eq!(model.visits[0].output, None, "a caught Task has no output of its own");
        let retried = history(vec![
            started(), task("T"), scheduled(), EventKind::LambdaFunctionStarted, lambda_failed(), scheduled(), EventKind::LambdaFunctionStarted,
            EventKind::LambdaFunctionSucceeded { output: crate::asl::value::Payload::new(Value::Null) }, exited("T"),
        ]);
        assert_eq!(RunModel::from_history(&retried).state_status("T"), StateStatus::Succeeded);
    }
}
