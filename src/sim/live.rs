//! The run controller behind the Run drawer, on the page's side: one execution of a scenario as
//! the engine recorded it ([`RunRecord`], sent by the engine worker: `sim::engine`,
//! `sim::protocol`), revealed moment by moment (at once, or one step per pace), stepped back
//! through the moments it has passed, checked against the scenario's expected outcome. A task
//! waiting for its token and a redrive are the engine's: the page sends the answer and gets the
//! record continued ([`LiveRun::extend`]).
//!
//! A *moment* is the execution as it was after one `Execution::step`: how many history events
//! and trace entries there were, and the top-level variables. The engine runs ahead to the end
//! (or to a wait for a callback) and records every moment; the page *reveals* them: Step shows
//! the next one, Run shows them all. Stepping back selects an earlier moment; everything read
//! through the controller (the run model the canvas colours, the history, the data flow, the
//! variables, the clock) is then that moment's.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::run::{RunEnd, RunModel, status_of};
use super::scenario::{Expected, mismatches};
use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::history::HistoryEvent;
use crate::asl::interp::plug::LogLine;
use crate::asl::interp::trace::{Stage, TraceEntry};
use crate::asl::value::Payload;

/// What one execution recorded, as the engine sends it: the history (and a Distributed Map's
/// child histories), the data-flow trace, each moment, how it stands now, and its logs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub history: Vec<HistoryEvent>,
    pub children: Vec<ChildRecord>,
    pub trace: Vec<TraceEntry>,
    pub moments: Vec<MomentRecord>,
    pub transitions: u64,
    pub end: RunEnd,
    /// The task token a callback is awaited for, when the run waits for one.
    pub pending_token: Option<String>,
    /// The virtual time now.
    pub now: Millis,
    /// The simulated CloudWatch log groups and their lines.
    pub logs: Vec<(String, Vec<LogLine>)>,
    /// What the simulated stores hold at the end of what was run, with the empty stores the
    /// definition names.
    #[serde(default)]
    pub stores: super::stores::StoresView,
    /// What they held when the run started.
    #[serde(default)]
    pub stores_start: super::stores::StoresView,
    /// Every change the run made to them, in order ([`MomentRecord::stores`] says how many by
    /// each moment): the stores at a moment are [`RunRecord::stores_start`] with those applied.
    #[serde(default)]
    pub store_changes: Vec<super::stores::StoreChange>,
}

/// One Distributed Map child execution as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChildRecord {
    /// The Distributed Map state that started it.
    pub map_state: String,
    pub name: String,
    pub events: Vec<HistoryEvent>,
}

/// One moment as recorded: how much history and trace there was, and the top-level variables
/// when they changed (`None`: as at the moment before), so a long run does not send the same
/// variables once a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MomentRecord {
    pub events: usize,
    pub trace: usize,
    pub variables: Option<Map<String, Value>>,
    /// Distributed Map child executions started by then.
    #[serde(default)]
    pub children: usize,
    /// How many lines each log group had, when that changed (`None`: as at the moment before).
    #[serde(default)]
    pub logs: Option<Vec<(String, usize)>>,
    /// How many of [`RunRecord::store_changes`] had been made by then.
    #[serde(default)]
    pub stores: usize,
}

/// What the execution looked like after one step: the history events, trace entries,
/// Distributed Map child executions and store changes made by then, the top-level variables and
/// each log group's line count (both shared with the moment before when unchanged, so a long run
/// holds one copy of what did not change). The engine records one per step (`sim::engine`); it
/// crosses to the page as [`MomentRecord`]s ([`Moment::records`]) and the page reveals it.
#[derive(Debug, Clone, PartialEq)]
pub struct Moment {
    pub events: usize,
    pub trace: usize,
    pub children: usize,
    pub variables: Arc<Map<String, Value>>,
    pub logs: Arc<Vec<(String, usize)>>,
    pub stores: usize,
}

impl Moment {
    /// `moments` as they cross to the page: the variables and the log counts only where they
    /// changed from the moment before.
    pub fn records(moments: &[Moment]) -> Vec<MomentRecord> {
        moments
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let before = i.checked_sub(1).map(|b| &moments[b]);
                MomentRecord {
                    events: m.events,
                    trace: m.trace,
                    variables: before.is_none_or(|b| !Arc::ptr_eq(&b.variables, &m.variables)).then(|| (*m.variables).clone()),
                    children: m.children,
                    logs: before.is_none_or(|b| !Arc::ptr_eq(&b.logs, &m.logs)).then(|| (*m.logs).clone()),
                    stores: m.stores,
                }
            })
            .collect()
    }

    /// The moments of `record` (at least one: started, nothing run), each count held within what
    /// the record holds and each unchanged value shared with the moment before.
    fn of_record(record: &RunRecord) -> Vec<Moment> {
        let mut moments = Vec::with_capacity(record.moments.len().max(1));
        let mut variables: Arc<Map<String, Value>> = Arc::new(Map::new());
        let mut logs: Arc<Vec<(String, usize)>> = Arc::new(Vec::new());
        for m in &record.moments {
            if let Some(v) = &m.variables {
                variables = Arc::new(v.clone());
            }
            if let Some(l) = &m.logs {
                logs = Arc::new(l.clone());
            }
            moments.push(Moment {
                events: m.events.min(record.history.len()),
                trace: m.trace.min(record.trace.len()),
                children: m.children.min(record.children.len()),
                variables: variables.clone(),
                logs: logs.clone(),
                stores: m.stores.min(record.store_changes.len()),
            });
        }
        if moments.is_empty() {
            moments.push(Moment { events: 0, trace: 0, children: 0, variables, logs, stores: 0 });
        }
        moments
    }
}

/// One recorded execution, how far it is revealed, and the moment being looked at.
pub struct LiveRun {
    record: RunRecord,
    moments: Vec<Moment>,
    /// How many moments are revealed (at least the first).
    reached: usize,
    /// The moment shown; `None`: the latest revealed.
    shown: Option<usize>,
    /// The run model of the moment shown (computed once per change).
    model: Arc<RunModel>,
}

/// What a step did: the same outcomes as the interpreter's step, read from the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// A moment more is shown.
    Progressed,
    /// The run waits for a callback (the engine has it).
    AwaitingCallback,
    /// The run has ended, and its end is shown.
    Finished,
}
/// Whether a run met its scenario's expected outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The scenario expects nothing.
    NothingExpected,
    /// The run has not ended (or an earlier moment is shown).
    Pending,
    Met,
    /// What differs, one line each.
    Missed(Vec<String>),
}

impl Verdict {
    /// The words shown next to the status.
    pub fn label(&self) -> String {
        match self {
            Verdict::NothingExpected => "no expected outcome".into(),
            Verdict::Pending => "expected outcome: pending".into(),
            Verdict::Met => "✓ as expected".into(),
            Verdict::Missed(why) => format!("✗ not as expected: {}", why.join("; ")),
        }
    }

    /// A CSS-friendly name: `none`, `pending`, `met`, `missed`.
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::NothingExpected => "none",
            Verdict::Pending => "pending",
            Verdict::Met => "met",
            Verdict::Missed(_) => "missed",
        }
    }
}

/// The virtual clock at the moment shown.
#[derive(Debug, Clone, PartialEq)]
pub struct ClockView {
    /// RFC 3339.
    pub now: String,
    /// Virtual seconds since the execution started.
    pub elapsed_s: f64,
    /// Virtual seconds that did not take real time.
    pub forwarded_s: f64,
}

/// One row of the event history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryRow {
    pub id: u64,
    pub kind: &'static str,
    /// Milliseconds since the execution started.
    pub offset_ms: Millis,
    pub timestamp: String,
    pub state: String,
}

/// One visit of a state, stage by stage: input, each pipeline stage, errors, retries, output.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitFlow {
    pub entered_event: u64,
    pub stages: Vec<(&'static str, Payload)>,
}

/// One Distributed Map child execution, as listed in the History tab.
#[derive(Debug, Clone, PartialEq)]
pub struct ChildRow {
    /// Its index in the execution's child histories.
    pub index: usize,
    /// The Distributed Map state that started it.
    pub map_state: String,
    pub name: String,
    /// `RUNNING`, or how it ended (`SUCCEEDED`, `FAILED`, `TIMED_OUT`, `ABORTED`).
    pub status: &'static str,
    pub events: usize,
}

/// `events` as history rows, times counted from the first, filtered by type or state.
fn rows_of(events: &[HistoryEvent], filter: &str) -> Vec<HistoryRow> {
    let filter = filter.to_lowercase();
    let start = events.first().map_or(0, |e| e.timestamp);
    events
        .iter()
        .map(|e| HistoryRow {
            id: e.id,
            kind: e.kind.type_name(),
            offset_ms: e.timestamp - start,
            timestamp: format_rfc3339(e.timestamp),
            state: e.kind.state_name().unwrap_or("").to_string(),
        })
        .filter(|r| filter.is_empty() || r.kind.to_lowercase().contains(&filter) || r.state.to_lowercase().contains(&filter))
        .collect()
}

/// How long an animated run waits before its next step: the pace, plus in real time the
/// virtual time the step took (at most a minute).
pub fn pace_delay(pace_ms: u32, real_time: bool, virtual_before: Millis, virtual_after: Millis) -> u64 {
    let waited = if real_time { (virtual_after - virtual_before).clamp(0, 60_000) } else { 0 };
    (i64::from(pace_ms) + waited).max(0) as u64
}

impl LiveRun {
    /// The run of `record`, its first moment shown (started, no state entered).
    pub fn new(record: RunRecord) -> LiveRun {
        let mut run = LiveRun { record: RunRecord { moments: Vec::new(), ..record.clone() }, moments: Vec::new(), reached: 1, shown: None, model: Arc::new(RunModel::from_history(&[])) };
        run.take(record);
        run.refresh();
        run
    }

    /// The same execution recorded further (after a callback's answer or a redrive): the
    /// moments revealed so far stay revealed, the new ones are next.
    pub fn extend(&mut self, record: RunRecord) {
        self.take(record);
        self.shown = None;
        self.refresh();
    }

    fn take(&mut self, record: RunRecord) {
        let moments = Moment::of_record(&record);
        self.reached = self.reached.clamp(1, moments.len());
        self.moments = moments;
        self.record = record;
    }

    /// Whether every recorded moment is revealed.
    fn all_revealed(&self) -> bool {
        self.reached == self.moments.len()
    }

    fn refresh(&mut self) {
        self.model = Arc::new(match self.shown {
            None if self.all_revealed() => {
                let children: Vec<(&str, &[HistoryEvent])> = self.record.children.iter().map(|c| (c.map_state.as_str(), c.events.as_slice())).collect();
                RunModel::recorded(&self.record.history, &children, self.record.transitions, &self.record.end)
            }
            _ => RunModel::from_history(self.history()),
        });
    }

    /// The run model of the moment shown.
    pub fn model(&self) -> Arc<RunModel> {
        self.model.clone()
    }

    /// Whether the execution has ended and its end is revealed.
    pub fn finished(&self) -> bool {
        self.all_revealed() && self.record.end != RunEnd::Running
    }

    /// How many moments are revealed, and which one is shown (0-based).
    pub fn moments(&self) -> (usize, usize) {
        (self.reached, self.shown.unwrap_or(self.reached - 1))
    }

    /// Whether the latest revealed moment is shown.
    pub fn at_latest(&self) -> bool {
        self.shown.is_none()
    }

    fn current(&self) -> &Moment {
        &self.moments[self.shown.unwrap_or(self.reached - 1)]
    }

    /// Shows moment `index` (the latest revealed when past it).
    pub fn show_moment(&mut self, index: usize) {
        self.shown = (index + 1 < self.reached).then_some(index);
        self.refresh();
    }

    /// Shows the moment before; false at the first.
    pub fn step_back(&mut self) -> bool {
        let (_, at) = self.moments();
        if at == 0 {
            return false;
        }
        self.show_moment(at - 1);
        true
    }

    fn outcome(&self) -> StepOutcome {
        match (&self.record.end, &self.record.pending_token) {
            (RunEnd::Running, Some(_)) => StepOutcome::AwaitingCallback,
            _ => StepOutcome::Finished,
        }
    }

    /// One step forward: the next revealed moment when an earlier one is shown, else the next
    /// recorded one.
    pub fn step(&mut self) -> StepOutcome {
        if let Some(i) = self.shown {
            self.show_moment(i + 1);
            return StepOutcome::Progressed;
        }
        if self.all_revealed() {
            return self.outcome();
        }
        self.reached += 1;
        self.refresh();
        StepOutcome::Progressed
    }

    /// Reveals every recorded moment (to the end, or to the wait for a callback); shows the
    /// latest.
    pub fn run(&mut self) -> StepOutcome {
        self.shown = None;
        self.reached = self.moments.len();
        self.refresh();
        self.outcome()
    }

    /// The virtual time now (of the moment shown).
    pub fn now(&self) -> Millis {
        match self.shown {
            None if self.all_revealed() => self.record.now,
            _ => self.history().last().map_or(0, |e| e.timestamp),
        }
    }

    /// The clock, given how many real seconds the run has taken (none when not in real time).
    pub fn clock(&self, real_seconds: f64) -> ClockView {
        let start = self.record.history.first().map_or(0, |e| e.timestamp);
        let now = self.now();
        let elapsed_s = (now - start) as f64 / 1000.0;
        ClockView { now: format_rfc3339(now), elapsed_s, forwarded_s: (elapsed_s - real_seconds).max(0.0) }
    }

    /// The history up to the moment shown.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.record.history[..self.current().events]
    }

    /// The event `id` of the whole recorded history.
    pub fn event(&self, id: u64) -> Option<&HistoryEvent> {
        self.record.history.get(usize::try_from(id).ok()?.checked_sub(1)?)
    }

    /// The simulated CloudWatch log groups and the lines they had at the moment shown (groups
    /// with none left out).
    pub fn logs(&self) -> Vec<(&str, &[LogLine])> {
        let had = &self.current().logs;
        self.record
            .logs
            .iter()
            .filter_map(|(group, lines)| {
                let n = had.iter().find(|(g, _)| g == group).map_or(0, |(_, n)| *n).min(lines.len());
                (n > 0).then(|| (group.as_str(), &lines[..n]))
            })
            .collect()
    }

    /// The history's rows whose type or state contains `filter` (any case).
    pub fn history_rows(&self, filter: &str) -> Vec<HistoryRow> {
        rows_of(self.history(), filter)
    }

    /// The Distributed Maps' child executions started by the moment shown, in the order they
    /// started.
    pub fn child_executions(&self) -> Vec<ChildRow> {
        (0..self.current().children)
            .filter_map(|index| {
                let events = self.child_history(index)?;
                let child = &self.record.children[index];
                Some(ChildRow { index, map_state: child.map_state.clone(), name: child.name.clone(), status: status_of(events), events: events.len() })
            })
            .collect()
    }

    /// The history of child execution `index` up to the moment shown. A child's events are not
    /// counted per moment (a Distributed Map may start thousands): at an earlier moment, they
    /// are those stamped no later than the moment's last event.
    pub fn child_history(&self, index: usize) -> Option<&[HistoryEvent]> {
        if index >= self.current().children {
            return None;
        }
        let events = &self.record.children.get(index)?.events;
        Some(match self.shown {
            None if self.all_revealed() => events,
            _ => {
                let now = self.now();
                &events[..events.partition_point(|e| e.timestamp <= now)]
            }
        })
    }

    /// [`LiveRun::history_rows`] of child execution `index` (none when there is no such child).
    pub fn child_history_rows(&self, index: usize, filter: &str) -> Vec<HistoryRow> {
        self.child_history(index).map(|events| rows_of(events, filter)).unwrap_or_default()
    }

    /// What the simulated stores held at the moment shown, with the empty stores the definition
    /// names: the stores at the start with the changes made by then (at the last, the end's).
    pub fn stores(&self) -> super::stores::StoresView {
        let made = self.current().stores;
        if made >= self.record.store_changes.len() {
            return self.record.stores.clone();
        }
        super::stores::StoresView::at(&self.record.stores_start, &self.record.store_changes[..made])
    }

    /// The data-flow trace up to the moment shown.
    pub fn trace(&self) -> &[TraceEntry] {
        &self.record.trace[..self.current().trace]
    }

    /// The visits of `state` up to the moment shown, stage by stage.
    pub fn data_flow(&self, state: &str) -> Vec<VisitFlow> {
        let trace = self.trace();
        self.model
            .visits
            .iter()
            .filter(|v| &*v.state == state)
            .map(|v| {
                let mut stages: Vec<(&'static str, Payload)> = vec![("input", v.input.clone())];
                stages.extend(
                    trace.iter().filter(|e| e.entered_event == v.entered_event && e.stage != Stage::Output).map(|e| (e.stage.label(), e.value.clone())),
                );
                if let Some(o) = &v.output {
                    stages.push(("output", o.clone()));
                }
                VisitFlow { entered_event: v.entered_event, stages }
            })
            .collect()
    }

    /// The top-level variables at the moment shown.
    pub fn variables(&self) -> Arc<Map<String, Value>> {
        self.current().variables.clone()
    }

    /// For each state visit that could read variables, the ones in scope as it was entered:
    /// (StateEntered id, state, variables), oldest first, up to the moment shown.
    pub fn variables_by_visit(&self) -> Vec<(u64, Arc<str>, Payload)> {
        self.trace().iter().filter(|e| e.stage == Stage::Variables).map(|e| (e.entered_event, e.state.clone(), e.value.clone())).collect()
    }

    /// The timeline of the run up to the moment shown.
    pub fn timeline(&self) -> super::timeline::Timeline {
        super::timeline::Timeline::of(self.history())
    }

    /// The task token a callback is awaited for (once the wait is revealed).
    pub fn pending_token(&self) -> Option<String> {
        self.all_revealed().then(|| self.record.pending_token.clone()).flatten()
    }

    /// Whether the run met `expected` (judged at the latest moment, once it has ended).
    pub fn verdict(&self, expected: Option<&Expected>) -> Verdict {
        let Some(expected) = expected else { return Verdict::NothingExpected };
        if !self.finished() || !self.at_latest() {
            return Verdict::Pending;
        }
        match mismatches(expected, &self.model) {
            why if why.is_empty() => Verdict::Met,
            why => Verdict::Missed(why),
        }
    }

    /// Whether the run failed (its failure revealed) and can be redriven from the state that
    /// failed.
    pub fn redrivable(&self) -> bool {
        self.all_revealed() && matches!(self.record.end, RunEnd::Failed { .. } | RunEnd::TimedOut { .. })
    }
}

/// SendTaskSuccess's output, read: the JSON value, or why it is not JSON.
pub fn callback_output(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("The output is not JSON (line {}, column {}): {e}", e.line(), e.column()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    use crate::sim::batch::Simulator;
    use crate::sim::scenario::{Scenario, seed_scenarios};

    /// The run the engine records, as the page gets it.
    fn started(simulator: &Simulator, scenario: &Scenario) -> Result<LiveRun, String> {
        crate::sim::engine::Session::start(simulator, scenario, Default::default()).map(|s| LiveRun::new(s.record()))
    }

    fn seed_with(handlers: &[(&str, HandlerChoice)]) -> Simulator {
        let set: HandlerSet = handlers.iter().map(|(k, c)| (k.to_string(), HandlerSpec { choice: c.clone(), latency_ms: 0 })).collect();
        let lowered = crate::asl::lower::lower_text(crate::seed::ORDER_WORKFLOW).expect("the seed reads").1;
        Simulator::from_machine(&lowered.machine, &set).expect("the seed compiles")
    }

    #[test]
    fn moments_cross_to_the_page_with_only_what_changed_and_come_back_the_same() {
        let vars = |n: i64| Arc::new(Map::from_iter([("n".to_string(), Value::from(n))]));
        let (one, logs) = (vars(1), Arc::new(vec![("/aws/lambda/f".to_string(), 2)]));
        let moment = |events, variables: &Arc<Map<String, Value>>, logs: &Arc<Vec<(String, usize)>>| Moment {
            events,
            trace: events,
            children: 0,
            variables: variables.clone(),
            logs: logs.clone(),
            stores: events / 2,
        };
        let none = Arc::new(Vec::new());
        let moments = vec![moment(1, &Arc::new(Map::new()), &none), moment(2, &one, &none), moment(3, &one, &logs), moment(4, &vars(2), &logs)];
        let records = Moment::records(&moments);
        let sent: Vec<(bool, bool)> = records.iter().map(|r| (r.variables.is_some(), r.logs.is_some())).collect();
        assert_eq!(sent, [(true, true), (true, false), (false, true), (true, false)], "the first in full, then only changes");
        let record = RunRecord {
            history: Vec::new(),
            children: Vec::new(),
            trace: Vec::new(),
            moments: records,
            transitions: 0,
            end: RunEnd::Running,
            pending_token: None,
            now: 0,
            logs: Vec::new(),
            stores: Default::default(),
            stores_start: Default::default(),
            store_changes: Vec::new(),
        };
        let back = Moment::of_record(&RunRecord { history: vec![], ..record.clone() });
        assert!(back.iter().all(|m| m.events == 0 && m.trace == 0 && m.stores == 0), "counts held within what the record holds");
        let values: Vec<(Map<String, Value>, Vec<(String, usize)>)> = back.iter().map(|m| ((*m.variables).clone(), (*m.logs).clone())).collect();
        let sent: Vec<(Map<String, Value>, Vec<(String, usize)>)> = moments.iter().map(|m| ((*m.variables).clone(), (*m.logs).clone())).collect();
        assert_eq!(values, sent, "each moment's variables and logs come back");
        assert!(Arc::ptr_eq(&back[1].variables, &back[2].variables) && Arc::ptr_eq(&back[2].logs, &back[3].logs), "unchanged values shared");
        assert_eq!(Moment::of_record(&RunRecord { moments: vec![], ..record }).len(), 1, "a record with no moment: started, nothing run");
    }

    #[test]
    fn a_seed_scenario_runs_from_the_model_and_meets_its_expected_outcome() {
        for scenario in seed_scenarios() {
            let mut run = started(&seed_with(&[]), &scenario).expect("starts");
            assert_eq!(run.verdict(scenario.expected.as_ref()), Verdict::Pending);
            assert_eq!(run.run(), StepOutcome::Finished);
            assert_eq!(run.model().status, "SUCCEEDED");
            assert_eq!(run.verdict(scenario.expected.as_ref()), Verdict::Met, "{}", scenario.name);
            assert_eq!(run.verdict(None), Verdict::NothingExpected);
        }
    }

    #[test]
    fn a_run_that_ends_elsewhere_says_what_differs() {
        let scenario = &seed_scenarios()[0];
        let sim = seed_with(&[("ProcessData", HandlerChoice::Throw { error: "Boom".into(), cause: "down".into() })]);
        let mut run = started(&sim, scenario).expect("starts");
        run.run();
        match run.verdict(scenario.expected.as_ref()) {
            Verdict::Missed(why) => {
                assert!(why.iter().any(|w| w == "ended in HandleError instead of SendNotification"), "{why:?}");
                assert!(why.iter().any(|w| w.starts_with("output.statusCode is")), "{why:?}");
            }
            other => panic!("expected a miss, got {other:?}"),
        }
    }

    #[test]
    fn stepping_back_shows_each_earlier_moment_and_stepping_forward_replays_them() {
        let mut run = started(&seed_with(&[]), &seed_scenarios()[0]).expect("starts");
        run.run();
        let (total, at) = run.moments();
        assert_eq!(at, total - 1);
        let full = run.model().path().len();
        assert_eq!(full, 4);
        let mut lit = vec![full];
        let mut events = vec![run.history().len()];
        while run.step_back() {
            lit.push(run.model().path().len());
            events.push(run.history().len());
            assert!(run.trace().len() <= run.record.trace.len());
        }
        assert_eq!(run.moments().1, 0);
        assert_eq!(*lit.last().unwrap(), 0, "the first moment: started, no state entered");
        assert!(lit.windows(2).all(|w| w[0] >= w[1]), "the lit path only shrinks: {lit:?}");
        assert!(events.windows(2).all(|w| w[0] > w[1]), "each moment has fewer events: {events:?}");
        assert_eq!(run.model().status, "RUNNING", "a past moment is still running");
        assert_eq!(run.verdict(seed_scenarios()[0].expected.as_ref()), Verdict::Pending);
        // The data flow of ProcessData: nothing at the moment before it was entered.
        let entered = (0..total)
            .find(|&i| {
                run.show_moment(i);
                run.model().visits.iter().any(|v| &*v.state == "ProcessData")
            })
            .expect("ProcessData ran");
        assert_eq!(run.data_flow("ProcessData").len(), 1);
        run.show_moment(entered - 1);
        assert!(run.data_flow("ProcessData").is_empty());
        assert!(run.trace().iter().all(|e| &*e.state != "ProcessData"), "nor its trace");
        run.show_moment(total - 1);
        assert!(run.at_latest());
        assert_eq!(run.data_flow("ProcessData")[0].stages.last().map(|s| s.0), Some("output"));
        // Forward from the first moment replays without running anything new.
        run.show_moment(0);
        for _ in 1..total {
            assert_eq!(run.step(), StepOutcome::Progressed);
        }
        assert!(run.at_latest());
        assert_eq!(run.moments().0, total);
        assert_eq!(run.model().status, "SUCCEEDED");
    }

    #[test]
    fn variables_are_those_of_the_moment_shown() {
        let text = r#"{"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"n": 1}, "Next": "B"},
            "B": {"Type": "Pass", "Assign": {"n": 2}, "End": true}}}"#;
        let lowered = crate::asl::lower::lower_text(text).unwrap().1;
        let sim = Simulator::from_machine(&lowered.machine, &HandlerSet::new()).unwrap();
        let mut run = started(&sim, &Scenario::new("s", "{}")).unwrap();
        run.run();
        assert_eq!(run.variables().get("n"), Some(&Value::from(2)));
        let seen: Vec<Option<Value>> = (0..run.moments().0)
            .map(|i| {
                run.show_moment(i);
                run.variables().get("n").cloned()
            })
            .collect();
        assert!(seen.contains(&Some(Value::from(1))), "{seen:?}");
        assert_eq!(seen[0], None);
        run.show_moment(0);
        assert!(run.variables_by_visit().is_empty());
    }

    #[test]
    fn an_animated_run_waits_its_pace_and_in_real_time_the_virtual_time_too() {
        assert_eq!(pace_delay(250, false, 0, 60_000), 250);
        assert_eq!(pace_delay(16, true, 1_000, 3_000), 2_016);
        assert_eq!(pace_delay(0, true, 0, 86_400_000), 60_000, "at most a minute per step");
        assert_eq!(pace_delay(0, true, 5, 0), 0);
    }

    #[test]
    fn a_scenario_whose_input_is_not_json_does_not_start() {
        let error = started(&seed_with(&[]), &Scenario::new("Broken", "{ nope")).err().unwrap();
        assert!(error.contains("line 1, column 3"), "{error}");
    }
    #[test]
    fn the_logs_are_those_written_by_the_moment_shown() {
        let mut run = started(&seed_with(&[]), &seed_scenarios()[0]).expect("starts");
        run.run();
        let lines = |run: &LiveRun| run.logs().iter().map(|(_, l)| l.len()).sum::<usize>();
        let all: usize = run.record.logs.iter().map(|(_, l)| l.len()).sum();
        assert!(all > 0, "the seed's functions log");
        assert_eq!(lines(&run), all, "the latest moment: every line");
        let mut seen = vec![all];
        while run.step_back() {
            seen.push(lines(&run));
        }
        assert_eq!(seen.last(), Some(&0), "the first moment: nothing written yet");
        assert!(seen.windows(2).all(|w| w[0] >= w[1]) && seen.windows(2).any(|w| w[0] > w[1]), "{seen:?}");
        // A group appears once its function has run.
        let first_group = (0..run.moments().0).find(|&i| {
            run.show_moment(i);
            !run.logs().is_empty()
        });
        run.show_moment(first_group.expect("some moment has logs") - 1);
        assert!(run.logs().is_empty());
    }

    #[test]
    fn a_run_starts_from_the_documents_store_seeds_and_shows_the_stores_and_child_histories_after() {
        use crate::sim::stores::{Referenced, StoreSeeds};
        let text = r#"{"StartAt": "Load", "States": {
            "Load": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": "Customers", "Key": {"id": {"S": "c1"}}}, "ResultPath": "$.customer", "Next": "Rows"},
            "Rows": {"Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                    "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}, "Parameters": {"Bucket": "inbox", "Key": "rows.csv"}},
                "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Send",
                    "States": {"Send": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
                        "Parameters": {"QueueUrl": "https://sqs/rows", "MessageBody.$": "$.sku"}, "End": true}}},
                "ResultPath": null, "End": true}}}"#;
        let seeds = StoreSeeds::default()
            .with_object("inbox", "rows.csv", "sku,qty\nA,1\nB,2\nC,3\n")
            .unwrap()
            .with_items("Customers", r#"[{"id": {"S": "c1"}, "name": {"S": "Ada"}}]"#)
            .unwrap();
        let sim = Simulator::new(text, &HandlerSet::new()).unwrap().with_stores(&seeds);
        let start = |sim: &Simulator| crate::sim::engine::Session::start(sim, &Scenario::new("s", "{}"), Referenced::of_text(text)).map(|s| LiveRun::new(s.record())).unwrap();
        let mut run = start(&sim);
        run.run();
        assert_eq!(run.model().status, "SUCCEEDED", "{:?}", run.model().cause);
        assert_eq!(run.model().output.as_deref().unwrap()["customer"]["Item"]["name"], serde_json::json!({"S": "Ada"}));
        let after = run.stores();
        let sent: Vec<&Value> = after.queues[0].messages.iter().map(|m| &m["MessageBody"]).collect();
        assert!(!run.record.store_changes.is_empty() && run.record.store_changes.len() < 10, "a change per write: {:?}", run.record.store_changes);
        assert_eq!(sent.len(), 3, "one message per CSV row");
        assert_eq!(after.buckets[0].objects[0].key, "rows.csv");
        let children = run.child_executions();
        assert_eq!(children.len(), 3);
        assert!(children.iter().all(|c| c.status == "SUCCEEDED" && c.map_state == "Rows"), "{children:?}");
        let rows = run.child_history_rows(1, "");
        assert_eq!(rows.first().map(|r| r.kind), Some("ExecutionStarted"));
        assert_eq!(rows.last().map(|r| r.kind), Some("ExecutionSucceeded"));
        assert!(rows.iter().any(|r| r.state == "Send"));
        assert!(run.child_history_rows(9, "").is_empty());
        // At the first moment no child has started, and nothing was sent yet; stepping forward,
        // the messages arrive one by one, and the last moment shows the end.
        run.show_moment(0);
        assert!(run.child_executions().is_empty());
        assert!(run.stores().queues[0].messages.is_empty(), "the stores follow the moment shown");
        assert_eq!(run.stores().tables[0].items.len(), 1, "the seeded item is there from the start");
        let total = run.moments().0;
        let sent: Vec<usize> = (0..total)
            .map(|i| {
                run.show_moment(i);
                run.stores().queues[0].messages.len()
            })
            .collect();
        assert!(sent.windows(2).all(|w| w[0] <= w[1]) && sent.last() == Some(&3), "{sent:?}");
        assert_eq!(run.stores(), after, "the last moment is the end");
        run.show_moment(0);
        assert_eq!(super::super::stores::StoresView::at(&run.record.stores_start, &run.record.store_changes), run.record.stores, "the log replays to the end");
        // The next run starts from the seeds again, not from what this one wrote.
        let mut again = start(&sim);
        again.run();
        assert_eq!(again.stores().queues[0].messages.len(), 3);
    }
}
