//! The run controller behind the Run drawer: one execution of a scenario, started from the
//! compiled model, stepped forward, run to its end (at once, or one step per pace), stepped
//! back through the moments it has passed, answered when a task waits for its token, checked
//! against the scenario's expected outcome, and redriven when it failed.
//!
//! A *moment* is the execution as it was after one [`Execution::step`]: how many history events
//! and trace entries there were, and the top-level variables. Stepping back selects an earlier
//! moment; everything read through the controller (the run model the canvas colours, the
//! history, the data flow, the variables, the clock) is then that moment's. Stepping forward from
//! an earlier moment replays the recorded ones before running anything new.

use std::sync::Arc;

use serde_json::{Map, Value};

use super::batch::Simulator;
use super::run::RunModel;
use super::scenario::{Expected, Scenario, mismatches};
use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::history::HistoryEvent;
use crate::asl::interp::trace::{Stage, TraceEntry};
use crate::asl::interp::{Execution, StatesError, StepOutcome};

/// What the execution looked like after one step.
#[derive(Debug, Clone)]
struct Moment {
    events: usize,
    trace: usize,
    variables: Arc<Map<String, Value>>,
}

/// One execution and the moment being looked at.
pub struct LiveRun {
    exec: Execution,
    moments: Vec<Moment>,
    /// The moment shown; `None`: the latest.
    shown: Option<usize>,
    /// The run model of the moment shown (computed once per change).
    model: Arc<RunModel>,
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
    pub stages: Vec<(&'static str, Arc<Value>)>,
}

/// How long an animated run waits before its next step: the pace, plus in real time the
/// virtual time the step took (at most a minute).
pub fn pace_delay(pace_ms: u32, real_time: bool, virtual_before: Millis, virtual_after: Millis) -> u64 {
    let waited = if real_time { (virtual_after - virtual_before).clamp(0, 60_000) } else { 0 };
    (i64::from(pace_ms) + waited).max(0) as u64
}

impl LiveRun {
    /// Starts `scenario` (not yet stepped), or says why it cannot start.
    pub fn start(simulator: &Simulator, scenario: &Scenario) -> Result<LiveRun, String> {
        let input = scenario.parsed_input()?;
        if let Some(refused) = crate::asl::interp::quota::execution_input_error(&scenario.input) {
            return Err(format!("AWS would not start this execution: {refused}"));
        }
        let mut exec = simulator.start(input, 0);
        exec.enable_trace();
        let mut run = LiveRun { exec, moments: Vec::new(), shown: None, model: Arc::new(RunModel::from_history(&[])) };
        run.mark();
        run.refresh();
        Ok(run)
    }

    /// The execution itself (its latest state, whatever moment is shown).
    pub fn execution(&self) -> &Execution {
        &self.exec
    }

    fn mark(&mut self) {
        let events = self.exec.history().len();
        if self.moments.last().is_some_and(|m| m.events == events) {
            return;
        }
        let now = self.exec.top_level_variables();
        let variables = match self.moments.last() {
            Some(m) if *m.variables == now => m.variables.clone(),
            _ => Arc::new(now),
        };
        self.moments.push(Moment { events, trace: self.exec.trace().len(), variables });
    }

    fn refresh(&mut self) {
        self.model = Arc::new(match self.shown {
            None => RunModel::of(&self.exec),
            Some(i) => RunModel::from_history(&self.exec.history()[..self.moments[i].events]),
        });
    }

    /// The run model of the moment shown.
    pub fn model(&self) -> Arc<RunModel> {
        self.model.clone()
    }

    /// Whether the execution has ended (the latest moment, whatever is shown).
    pub fn finished(&self) -> bool {
        self.exec.status().name() != "RUNNING"
    }

    /// How many moments there are, and which one is shown (0-based).
    pub fn moments(&self) -> (usize, usize) {
        let total = self.moments.len();
        (total, self.shown.unwrap_or(total - 1))
    }

    /// Whether the latest moment is shown.
    pub fn at_latest(&self) -> bool {
        self.shown.is_none()
    }

    fn current(&self) -> &Moment {
        &self.moments[self.shown.unwrap_or(self.moments.len() - 1)]
    }

    /// Shows moment `index` (the latest when past the end).
    pub fn show_moment(&mut self, index: usize) {
        self.shown = (index + 1 < self.moments.len()).then_some(index);
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

    /// One step forward: the next recorded moment when an earlier one is shown, else one step
    /// of the execution.
    pub fn step(&mut self) -> StepOutcome {
        if let Some(i) = self.shown {
            self.show_moment(i + 1);
            return StepOutcome::Progressed;
        }
        let outcome = self.exec.step();
        self.mark();
        self.refresh();
        outcome
    }

    /// Runs until the execution ends or waits for a callback, recording every moment; shows the
    /// latest.
    pub fn run(&mut self) -> StepOutcome {
        self.shown = None;
        let outcome = loop {
            let outcome = self.exec.step();
            self.mark();
            if outcome != StepOutcome::Progressed {
                break outcome;
            }
        };
        self.refresh();
        outcome
    }

    /// The virtual time now (of the moment shown).
    pub fn now(&self) -> Millis {
        match self.shown {
            None => self.exec.now(),
            Some(_) => self.history().last().map_or(0, |e| e.timestamp),
        }
    }

    /// The clock, given how many real seconds the run has taken (none when not in real time).
    pub fn clock(&self, real_seconds: f64) -> ClockView {
        let start = self.exec.history().first().map_or(0, |e| e.timestamp);
        let now = self.now();
        let elapsed_s = (now - start) as f64 / 1000.0;
        ClockView { now: format_rfc3339(now), elapsed_s, forwarded_s: (elapsed_s - real_seconds).max(0.0) }
    }

    /// The history up to the moment shown.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.exec.history()[..self.current().events]
    }

    /// The history's rows whose type or state contains `filter` (any case).
    pub fn history_rows(&self, filter: &str) -> Vec<HistoryRow> {
        let filter = filter.to_lowercase();
        let start = self.exec.history().first().map_or(0, |e| e.timestamp);
        self.history()
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

    /// The data-flow trace up to the moment shown.
    pub fn trace(&self) -> &[TraceEntry] {
        &self.exec.trace()[..self.current().trace]
    }

    /// The visits of `state` up to the moment shown, stage by stage.
    pub fn data_flow(&self, state: &str) -> Vec<VisitFlow> {
        let trace = self.trace();
        self.model
            .visits
            .iter()
            .filter(|v| &*v.state == state)
            .map(|v| {
                let mut stages: Vec<(&'static str, Arc<Value>)> = vec![("input", v.input.clone())];
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
    pub fn variables_by_visit(&self) -> Vec<(u64, Arc<str>, Arc<Value>)> {
        self.trace().iter().filter(|e| e.stage == Stage::Variables).map(|e| (e.entered_event, e.state.clone(), e.value.clone())).collect()
    }

    /// The timeline of the run up to the moment shown.
    pub fn timeline(&self) -> super::timeline::Timeline {
        super::timeline::Timeline::of(self.history())
    }

    /// The task token a callback is awaited for (at the latest moment).
    pub fn pending_token(&self) -> Option<String> {
        self.exec.pending_task_tokens().into_iter().next()
    }

    /// SendTaskSuccess with `output` (JSON text) for the waiting task; the run moves on at the
    /// next step. Shows the latest moment.
    pub fn send_success(&mut self, output: &str) -> Result<(), String> {
        let value: Value = serde_json::from_str(output)
            .map_err(|e| format!("The output is not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
        let token = self.pending_token().ok_or("No task is waiting for a callback.")?;
        self.shown = None;
        self.exec.send_task_success(&token, value);
        self.refresh();
        Ok(())
    }

    /// SendTaskFailure with `error` and `cause` for the waiting task.
    pub fn send_failure(&mut self, error: &str, cause: &str) -> Result<(), String> {
        let token = self.pending_token().ok_or("No task is waiting for a callback.")?;
        self.shown = None;
        self.exec.send_task_failure(&token, StatesError::new(error, cause));
        self.refresh();
        Ok(())
    }

    /// SendTaskHeartbeat: the task keeps waiting and its HeartbeatSeconds count restarts. The
    /// virtual time it was received at, or `None` when no task waits any more.
    pub fn heartbeat(&mut self) -> Option<Millis> {
        let token = self.pending_token()?;
        self.exec.send_task_heartbeat(&token).then(|| self.exec.now())
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

    /// The state the run failed in, when it can be redriven from it.
    pub fn redrivable(&self) -> bool {
        matches!(self.exec.status().name(), "FAILED" | "TIMED_OUT")
    }

    /// RedriveExecution: the same execution restarted from the state that failed, with the
    /// handlers of `simulator` (what the services answer now), then run as [`LiveRun::run`]
    /// does. Its redrive count.
    pub fn redrive(&mut self, simulator: &Simulator) -> Result<u32, String> {
        let count = self.exec.redrive(Some(simulator.registry())).map_err(|e| format!("Cannot redrive: {e}."))?;
        self.shown = None;
        self.mark();
        self.refresh();
        Ok(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    use crate::sim::run::StateStatus;
    use crate::sim::scenario::seed_scenarios;

    fn seed_with(handlers: &[(&str, HandlerChoice)]) -> Simulator {
        let set: HandlerSet = handlers.iter().map(|(k, c)| (k.to_string(), HandlerSpec { choice: c.clone(), latency_ms: 0 })).collect();
        let lowered = crate::asl::lower::lower_text(crate::seed::ORDER_WORKFLOW).expect("the seed reads").1;
        Simulator::from_machine(&lowered.machine, &set).expect("the seed compiles")
    }

    #[test]
    fn a_seed_scenario_runs_from_the_model_and_meets_its_expected_outcome() {
        for scenario in seed_scenarios() {
            let mut run = LiveRun::start(&seed_with(&[]), &scenario).expect("starts");
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
        let mut run = LiveRun::start(&sim, scenario).expect("starts");
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
        let mut run = LiveRun::start(&seed_with(&[]), &seed_scenarios()[0]).expect("starts");
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
            assert!(run.trace().len() <= run.execution().trace().len());
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
        let mut run = LiveRun::start(&sim, &Scenario::new("s", "{}")).unwrap();
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
    fn a_callback_task_waits_for_success_failure_or_heartbeats() {
        let text = r#"{"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "Approve", "Payload": {"token.$": "$$.Task.Token"}}, "HeartbeatSeconds": 60, "End": true}}}"#;
        let lowered = crate::asl::lower::lower_text(text).unwrap().1;
        let set: HandlerSet = [("Approve".to_string(), HandlerSpec { choice: HandlerChoice::callback(), latency_ms: 0 })].into();
        let sim = Simulator::from_machine(&lowered.machine, &set).unwrap();
        let mut run = LiveRun::start(&sim, &Scenario::new("s", "{}")).unwrap();
        assert_eq!(run.run(), StepOutcome::AwaitingCallback);
        assert!(run.pending_token().is_some());
        assert!(run.heartbeat().is_some());
        assert_eq!(run.send_success("{ nope").unwrap_err().split(" (").next(), Some("The output is not JSON"));
        run.send_success(r#"{"approved": true}"#).unwrap();
        assert_eq!(run.run(), StepOutcome::Finished);
        assert_eq!(run.model().output.as_deref(), Some(&serde_json::json!({"approved": true})));
        assert_eq!(run.heartbeat(), None);
        assert!(run.send_failure("Rejected", "").is_err(), "nothing waits any more");

        let mut refused = LiveRun::start(&sim, &Scenario::new("s", "{}")).unwrap();
        refused.run();
        refused.send_failure("Rejected", "no").unwrap();
        refused.run();
        assert_eq!(refused.model().error.as_deref(), Some("Rejected"));
    }

    #[test]
    fn a_failed_run_is_redriven_from_the_state_that_failed_after_its_answer_changed() {
        let scenario = &seed_scenarios()[0];
        let broken = seed_with(&[("SendNotification", HandlerChoice::Throw { error: "Mail.Unavailable".into(), cause: "SMTP down".into() })]);
        let mut run = LiveRun::start(&broken, scenario).unwrap();
        run.run();
        assert_eq!(run.model().status, "FAILED");
        assert!(run.redrivable());
        let before = run.execution().history().len();
        assert_eq!(run.redrive(&seed_with(&[])), Ok(1));
        run.run();
        let model = run.model();
        assert_eq!(model.status, "SUCCEEDED");
        assert_eq!(run.verdict(scenario.expected.as_ref()), Verdict::Met);
        assert_eq!(model.state_status("SendNotification"), StateStatus::Succeeded, "the later visit tells");
        assert_eq!(model.states["ValidateInput"].visits, 1, "what succeeded is not run again");
        assert_eq!(model.edges.get(&("ProcessData".into(), "SendNotification".into())), Some(&1), "one edge, not two");
        assert!(!model.edges.keys().any(|(from, to)| &**from == crate::sim::run::START && &**to == "SendNotification"));
        assert_eq!(run.execution().history()[before].kind.type_name(), "ExecutionRedriven");
        let timeline = run.timeline();
        let sends: Vec<StateStatus> = timeline.bars.iter().filter(|b| &*b.state == "SendNotification").map(|b| b.status).collect();
        assert_eq!(sends, [StateStatus::Failed, StateStatus::Succeeded], "both attempts, in the execution's lane");
        assert_eq!(timeline.lanes.len(), 1);
        assert!(!run.redrivable());
        assert!(run.redrive(&broken).unwrap_err().contains("succeeded"));
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
        let error = LiveRun::start(&seed_with(&[]), &Scenario::new("Broken", "{ nope")).err().unwrap();
        assert!(error.contains("line 1, column 3"), "{error}");
    }
}
