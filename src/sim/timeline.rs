//! The timeline (a Gantt chart) of one execution on its virtual clock, read from its history:
//! one bar per state visit, one lane per branch (the execution's own, each Parallel branch and
//! each Map iteration, nested under the lane of the state that started it), and inside a bar
//! its task attempts, the retry back-offs between them and a Wait's waiting.
//!
//! The horizontal axis is the virtual clock, compressed: events at the same virtual time stand
//! one unit apart in their lane (a zero-latency run still shows its order), and the time
//! between two instants adds `2 + 2·log10(1 + seconds)` units, so a one-minute Wait is visibly
//! longer than a one-second retry and a one-year Wait still fits. Branches that run at the same
//! virtual time start at the same place.

use std::collections::HashMap;
use std::sync::Arc;

use super::run::StateStatus;
use crate::asl::clock::Millis;
use crate::asl::history::{EventKind, HistoryEvent};
use crate::asl::model::StateType;

/// One row of the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// `Execution`, `ParallelProcessing · branch 2`, `Process · item 7`.
    pub label: String,
    /// 0 for the execution's lane, 1 for a branch of it, ...
    pub depth: u32,
    /// The bar (a Parallel or Map visit) this lane runs under.
    pub parent_bar: Option<usize>,
}

/// What a part of a bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentKind {
    /// A task attempt that answered.
    Attempt,
    /// A task attempt that failed (or timed out).
    FailedAttempt,
    /// The back-off before a retry.
    RetryBackoff,
    /// A Wait state waiting.
    Wait,
}

impl SegmentKind {
    /// The CSS-friendly name.
    pub fn name(self) -> &'static str {
        match self {
            SegmentKind::Attempt => "attempt",
            SegmentKind::FailedAttempt => "failed-attempt",
            SegmentKind::RetryBackoff => "retry",
            SegmentKind::Wait => "wait",
        }
    }
}

/// A part of a bar, in layout units and virtual milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub kind: SegmentKind,
    pub x0: u32,
    pub x1: u32,
    pub start_ms: Millis,
    pub end_ms: Millis,
}

/// One state visit.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub lane: usize,
    pub state: Arc<str>,
    pub state_type: StateType,
    /// Its StateEntered event's id.
    pub entered_event: u64,
    pub status: StateStatus,
    pub start_ms: Millis,
    /// When it left; the end of the history when it has not.
    pub end_ms: Millis,
    /// From `x0` (included) to `x1` (excluded), in layout units.
    pub x0: u32,
    pub x1: u32,
    pub segments: Vec<Segment>,
}

impl Bar {
    /// Virtual milliseconds the visit took.
    pub fn duration_ms(&self) -> Millis {
        self.end_ms - self.start_ms
    }
}

/// Where the axis shows a virtual time.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    pub x: u32,
    /// Milliseconds since the execution started.
    pub offset_ms: Millis,
}

/// The chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Timeline {
    /// In display order: each lane followed by the lanes under it.
    pub lanes: Vec<Lane>,
    /// Bars' `lane` index `lanes`.
    pub bars: Vec<Bar>,
    /// Layout units from the first event to the last.
    pub width: u32,
    /// One per instant the virtual clock jumped to.
    pub ticks: Vec<Tick>,
}

/// Virtual time as people read it: `350 ms`, `1.5 s`, `2 min 5 s`, `3 h 20 min`, `2 d 4 h`.
pub fn duration_label(ms: Millis) -> String {
    let s = ms / 1000;
    match ms {
        ..1_000 => format!("{ms} ms"),
        ..60_000 => format!("{} s", (ms as f64 / 100.0).round() / 10.0),
        ..3_600_000 => format!("{} min {} s", s / 60, s % 60),
        ..86_400_000 => format!("{} h {} min", s / 3600, s % 3600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3600),
    }
}

/// The units the virtual clock's jump of `ms` adds to the axis.
fn gap_units(ms: Millis) -> u32 {
    (2.0 + 2.0 * (1.0 + ms as f64 / 1000.0).log10()).round() as u32
}

/// Reading a history into lanes and bars.
struct Reader<'h> {
    history: &'h [HistoryEvent],
    /// Lanes in creation order, with their open bar and their children.
    lanes: Vec<Lane>,
    open: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
    bars: Vec<Bar>,
    /// Per bar: its entered x is known, its exit event (if any).
    exit_event: Vec<Option<usize>>,
    /// Per bar: the attempt in progress (its start event index), the last failed attempt's end.
    attempt: Vec<Option<usize>>,
    failed_at: Vec<Option<usize>>,
    /// Segments as event indices, turned into x once every event has one.
    segments: Vec<Vec<(SegmentKind, usize, Option<usize>)>>,
    /// Per event (by index), its lane.
    lane_of: Vec<usize>,
    /// Parallel/Map bars that ended without exiting (failed), not to be matched again.
    closed: Vec<bool>,
    /// Bars left open by an attempt a redrive ran again: failed.
    superseded: Vec<bool>,
}

impl<'h> Reader<'h> {
    fn kind(&self, id: u64) -> Option<&'h EventKind> {
        self.history.get((id as usize).wrapping_sub(1)).map(|e| &e.kind)
    }

    fn new_lane(&mut self, parent_lane: usize, parent_bar: Option<usize>, label: String) -> usize {
        let depth = self.lanes.get(parent_lane).map_or(0, |l| l.depth + 1);
        self.lanes.push(Lane { label, depth, parent_bar });
        self.open.push(None);
        self.children.push(Vec::new());
        let lane = self.lanes.len() - 1;
        self.children[parent_lane].push(lane);
        lane
    }

    /// The lanes from `lane` up to the execution's.
    fn ancestors(&self, lane: usize) -> Vec<usize> {
        let mut out = vec![lane];
        let mut at = lane;
        while let Some(bar) = self.lanes[at].parent_bar {
            at = self.bars[bar].lane;
            out.push(at);
        }
        out
    }

    /// The open bar named `name` nearest `lane` going up, else the latest open one by that name.
    fn open_bar_named(&self, lane: usize, name: &str) -> Option<usize> {
        let near = self.ancestors(lane).into_iter().find_map(|l| self.open[l].filter(|&b| &*self.bars[b].state == name));
        near.or_else(|| self.open.iter().flatten().copied().filter(|&b| &*self.bars[b].state == name).max())
    }

    /// The open Parallel or Map bar nearest `lane` going up.
    fn open_fan_out(&self, lane: usize) -> Option<usize> {
        self.ancestors(lane).into_iter().find_map(|l| {
            self.open[l].filter(|&b| !self.closed[b] && matches!(self.bars[b].state_type, StateType::Parallel | StateType::Map))
        })
    }

    fn read(&mut self) {
        for (index, event) in self.history.iter().enumerate() {
            let prev = event.previous_event_id;
            let prev_lane = if prev == 0 { 0 } else { self.lane_of.get(prev as usize - 1).copied().unwrap_or(0) };
            let lane = match &event.kind {
                EventKind::ExecutionRedriven { .. } => {
                    for lane in 0..self.open.len() {
                        if let Some(bar) = self.open[lane].take() {
                            self.superseded[bar] = true;
                        }
                    }
                    0
                }
                EventKind::StateEntered { state_type, name, .. } => {
                    let lane = match self.kind(prev) {
                        Some(EventKind::ParallelStateStarted) | Some(EventKind::MapStateStarted { .. }) => {
                            let parent_bar = self.open_fan_out(prev_lane);
                            let siblings = self.children[prev_lane].iter().filter(|&&l| self.lanes[l].parent_bar == parent_bar && parent_bar.is_some()).count();
                            let fan = parent_bar.map(|b| self.bars[b].state.clone()).unwrap_or_else(|| "branch".into());
                            let label = match self.kind(prev) {
                                Some(EventKind::MapStateStarted { .. }) => format!("{fan} · item {siblings}"),
                                _ => format!("{fan} · branch {}", siblings + 1),
                            };
                            self.new_lane(parent_bar.map_or(prev_lane, |b| self.bars[b].lane), parent_bar, label)
                        }
                        _ => prev_lane,
                    };
                    self.bars.push(Bar {
                        lane,
                        state: name.clone(),
                        state_type: *state_type,
                        entered_event: event.id,
                        status: StateStatus::InProgress,
                        start_ms: event.timestamp,
                        end_ms: event.timestamp,
                        x0: index as u32,
                        x1: index as u32,
                        segments: Vec::new(),
                    });
                    self.exit_event.push(None);
                    self.attempt.push(None);
                    self.failed_at.push(None);
                    self.segments.push(Vec::new());
                    self.closed.push(false);
                    self.superseded.push(false);
                    self.open[lane] = Some(self.bars.len() - 1);
                    lane
                }
                EventKind::MapIterationStarted { name, index: item } => {
                    let parent_bar = self.open_bar_named(prev_lane, name);
                    let parent_lane = parent_bar.map_or(prev_lane, |b| self.bars[b].lane);
                    self.new_lane(parent_lane, parent_bar, format!("{name} · item {item}"))
                }
                EventKind::StateExited { name, .. } => match self.open_bar_named(prev_lane, name) {
                    Some(bar) => {
                        self.exit_event[bar] = Some(index);
                        self.bars[bar].end_ms = event.timestamp;
                        // A Task exits after a failed attempt only when a Catch took the error.
                        if self.failed_at[bar].is_some() {
                            self.closed[bar] = true;
                        }
                        if self.bars[bar].state_type == StateType::Wait {
                            self.segments[bar].push((SegmentKind::Wait, self.bars[bar].x0 as usize, Some(index)));
                        }
                        let lane = self.bars[bar].lane;
                        self.open[lane] = None;
                        lane
                    }
                    None => prev_lane,
                },
                EventKind::ParallelStateSucceeded
                | EventKind::ParallelStateFailed
                | EventKind::ParallelStateAborted
                | EventKind::MapStateSucceeded
                | EventKind::MapStateFailed
                | EventKind::MapStateAborted => match self.open_fan_out(prev_lane) {
                    Some(bar) => {
                        if !matches!(event.kind, EventKind::ParallelStateSucceeded | EventKind::MapStateSucceeded) {
                            self.closed[bar] = true;
                        }
                        self.bars[bar].lane
                    }
                    None => prev_lane,
                },
                EventKind::LambdaFunctionScheduled { .. } | EventKind::TaskScheduled { .. } => {
                    if let Some(bar) = self.open[prev_lane] {
                        if let Some(failed) = self.failed_at[bar].take() {
                            self.segments[bar].push((SegmentKind::RetryBackoff, failed, Some(index)));
                        }
                        self.attempt[bar] = Some(index);
                    }
                    prev_lane
                }
                EventKind::LambdaFunctionSucceeded { .. } | EventKind::TaskSucceeded { .. } => {
                    if let Some(bar) = self.open[prev_lane] {
                        if let Some(start) = self.attempt[bar].take() {
                            self.segments[bar].push((SegmentKind::Attempt, start, Some(index)));
                        }
                    }
                    prev_lane
                }
                EventKind::LambdaFunctionFailed { .. }
                | EventKind::LambdaFunctionTimedOut { .. }
                | EventKind::TaskFailed { .. }
                | EventKind::TaskTimedOut { .. } => {
                    if let Some(bar) = self.open[prev_lane] {
                        if let Some(start) = self.attempt[bar].take() {
                            self.segments[bar].push((SegmentKind::FailedAttempt, start, Some(index)));
                        }
                        self.failed_at[bar] = Some(index);
                    }
                    prev_lane
                }
                _ => prev_lane,
            };
            self.lane_of.push(lane);
        }
    }
}

impl Timeline {
    /// The timeline of `history`.
    pub fn of(history: &[HistoryEvent]) -> Timeline {
        if history.is_empty() {
            return Timeline::default();
        }
        let mut reader = Reader {
            history,
            lanes: vec![Lane { label: "Execution".into(), depth: 0, parent_bar: None }],
            open: vec![None],
            children: vec![Vec::new()],
            bars: Vec::new(),
            exit_event: Vec::new(),
            attempt: Vec::new(),
            failed_at: Vec::new(),
            segments: Vec::new(),
            lane_of: Vec::new(),
            closed: Vec::new(),
            superseded: Vec::new(),
        };
        reader.read();

        // x of each event: one unit per event of its lane at the same instant; a jump of the
        // clock adds its gap after the busiest lane of the instant before.
        let mut xs = Vec::with_capacity(history.len());
        let mut ticks = vec![Tick { x: 0, offset_ms: 0 }];
        let start = history[0].timestamp;
        let (mut base, mut busiest, mut at) = (0u32, 0u32, start);
        // The next free unit of each lane at this instant.
        let mut count: HashMap<usize, u32> = HashMap::new();
        for (event, &lane) in history.iter().zip(&reader.lane_of) {
            if event.timestamp != at {
                base += busiest + gap_units(event.timestamp - at);
                busiest = 0;
                at = event.timestamp;
                count.clear();
                ticks.push(Tick { x: base, offset_ms: at - start });
            }
            // After the event it follows too: a Parallel's end comes after its branches' ends.
            let after = match event.previous_event_id as usize {
                0 => 0,
                p => xs.get(p - 1).map_or(0, |&x: &u32| x + 1),
            };
            let free = count.entry(lane).or_default();
            let x = (base + *free).max(after);
            xs.push(x);
            *free = x - base + 1;
            busiest = busiest.max(*free);
        }
        let width = base + busiest.max(1);
        let end_ms = history.last().map_or(start, |e| e.timestamp);

        let ended = matches!(
            history.last().map(|e| &e.kind),
            Some(EventKind::ExecutionSucceeded { .. } | EventKind::ExecutionFailed { .. } | EventKind::ExecutionTimedOut { .. } | EventKind::ExecutionAborted { .. })
        );
        // A visit that never left: caught when its lane went on, failed when the run ended.
        let mut went_on = vec![false; reader.bars.len()];
        let mut last_in_lane: HashMap<usize, usize> = HashMap::new();
        for (b, bar) in reader.bars.iter().enumerate() {
            if let Some(before) = last_in_lane.insert(bar.lane, b) {
                went_on[before] = true;
            }
        }
        let mut bars = reader.bars;
        for (b, bar) in bars.iter_mut().enumerate() {
            let x0 = xs[bar.entered_event as usize - 1];
            let (x1, end) = match reader.exit_event[b] {
                Some(exit) => (xs[exit] + 1, history[exit].timestamp),
                None => (width, end_ms),
            };
            bar.x0 = x0;
            bar.x1 = x1.max(x0 + 1);
            bar.end_ms = end;
            bar.status = match reader.exit_event[b] {
                // A Parallel or Map whose branch failed exits only when a Catch takes it on.
                Some(_) if reader.closed[b] => StateStatus::Caught,
                Some(_) => StateStatus::Succeeded,
                None if reader.superseded[b] => StateStatus::Failed,
                None if went_on[b] => StateStatus::Caught,
                None if ended => StateStatus::Failed,
                None => StateStatus::InProgress,
            };
            let mut open_attempt = reader.attempt[b].map(|s| (SegmentKind::Attempt, s, None));
            bar.segments = reader.segments[b]
                .iter()
                .copied()
                .chain(open_attempt.take())
                .map(|(kind, from, to)| {
                    let from_x = if kind == SegmentKind::Wait { x0 } else { xs[from] };
                    let from_ms = if kind == SegmentKind::Wait { bar.start_ms } else { history[from].timestamp };
                    let (to_x, to_ms) = match to {
                        Some(t) => (xs[t] + 1, history[t].timestamp),
                        None => (bar.x1, bar.end_ms),
                    };
                    Segment { kind, x0: from_x, x1: to_x.max(from_x + 1), start_ms: from_ms, end_ms: to_ms }
                })
                .collect();
        }

        // Display order: each lane, then the lanes under it, in the order they started.
        let mut order = Vec::with_capacity(reader.lanes.len());
        let mut stack = vec![0usize];
        while let Some(lane) = stack.pop() {
            order.push(lane);
            stack.extend(reader.children[lane].iter().rev());
        }
        let mut position = vec![0; reader.lanes.len()];
        for (i, &lane) in order.iter().enumerate() {
            position[lane] = i;
        }
        let lanes = order.iter().map(|&l| reader.lanes[l].clone()).collect();
        for bar in &mut bars {
            bar.lane = position[bar.lane];
        }
        Timeline { lanes, bars, width, ticks }
    }

    /// The ticks to label, each at least `min_fraction` of the width after the one before (the
    /// first always), so their labels never overlap.
    pub fn spaced_ticks(&self, min_fraction: f64) -> Vec<&Tick> {
        let mut out: Vec<&Tick> = Vec::new();
        for tick in &self.ticks {
            if out.last().is_none_or(|last| f64::from(tick.x - last.x) >= min_fraction * f64::from(self.width.max(1))) {
                out.push(tick);
            }
        }
        out
    }

    /// Where `x` is across the width, in percent.
    pub fn percent(&self, x: u32) -> f64 {
        f64::from(x) * 100.0 / f64::from(self.width.max(1))
    }

    /// The bars of lane `lane`, left to right.
    pub fn bars_in(&self, lane: usize) -> impl Iterator<Item = &Bar> {
        self.bars.iter().filter(move |b| b.lane == lane)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::batch::Simulator;
    use crate::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    use serde_json::{Value, json};

    /// Runs `definition` on `input` with `handlers`; its timeline.
    fn timeline(definition: &Value, input: &str, handlers: &[(&str, HandlerChoice)]) -> Timeline {
        let set: HandlerSet = handlers.iter().map(|(k, c)| (k.to_string(), HandlerSpec { choice: c.clone(), latency_ms: 0 })).collect();
        let sim = Simulator::new(&definition.to_string(), &set).expect("compiles");
        let mut exec = sim.start(serde_json::from_str(input).unwrap(), 0);
        exec.run();
        let timeline = Timeline::of(exec.history());
        // No two bars of a lane overlap: their labels cannot either.
        for lane in 0..timeline.lanes.len() {
            let bars: Vec<&Bar> = timeline.bars_in(lane).collect();
            for pair in bars.windows(2) {
                assert!(pair[0].x1 <= pair[1].x0, "{} and {} overlap in lane {lane}", pair[0].state, pair[1].state);
            }
        }
        timeline
    }

    fn bar<'t>(t: &'t Timeline, state: &str) -> &'t Bar {
        t.bars.iter().find(|b| &*b.state == state).unwrap_or_else(|| panic!("no bar for {state}"))
    }

    /// The seed with the course's optional steps: "Étape 6" (a 60-second Wait before
    /// ProcessData) and "Étape 7" (SendEmail and SendSMS in parallel after it).
    fn seed_with_course_steps() -> Value {
        let mut def: Value = serde_json::from_str(crate::seed::ORDER_WORKFLOW).unwrap();
        let lambda = |name: &str| format!("arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:{name}");
        def["States"]["CheckValidation"]["Choices"][0]["Next"] = json!("WaitForApproval");
        def["States"]["WaitForApproval"] = json!({"Type": "Wait", "Seconds": 60, "Next": "ProcessData"});
        def["States"]["ProcessData"]["Next"] = json!("ParallelProcessing");
        def["States"]["ParallelProcessing"] = json!({"Type": "Parallel", "Next": "SendNotification", "ResultPath": null, "Branches": [
            {"StartAt": "SendEmail", "States": {"SendEmail": {"Type": "Task", "Resource": lambda("SendEmail"), "End": true}}},
            {"StartAt": "SendSMS", "States": {"SendSMS": {"Type": "Task", "Resource": lambda("SendSMS"), "End": true}}}]});
        def
    }

    #[test]
    fn the_seed_with_its_wait_and_parallel_shows_the_branches_as_lanes_and_the_wait_as_a_minute() {
        let t = timeline(&seed_with_course_steps(), crate::seed::TEST_INPUTS[0].input, &[]);
        let labels: Vec<&str> = t.lanes.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["Execution", "ParallelProcessing · branch 1", "ParallelProcessing · branch 2"]);
        assert_eq!(t.lanes.iter().map(|l| l.depth).collect::<Vec<_>>(), [0, 1, 1]);
        let order: Vec<&str> = t.bars_in(0).map(|b| &*b.state).collect();
        assert_eq!(order, ["ValidateInput", "CheckValidation", "WaitForApproval", "ProcessData", "ParallelProcessing", "SendNotification"]);
        let (wait, parallel) = (bar(&t, "WaitForApproval"), bar(&t, "ParallelProcessing"));
        assert_eq!(wait.duration_ms(), 60_000);
        assert_eq!(wait.segments.iter().map(|s| (s.kind, s.end_ms - s.start_ms)).collect::<Vec<_>>(), [(SegmentKind::Wait, 60_000)]);
        let check = bar(&t, "CheckValidation");
        assert!(wait.x1 - wait.x0 > 3 * (check.x1 - check.x0), "the minute is visibly longer: {wait:?} vs {check:?}");
        assert_eq!(t.ticks.iter().map(|k| k.offset_ms).collect::<Vec<_>>(), [0, 60_000]);
        let (email, sms) = (bar(&t, "SendEmail"), bar(&t, "SendSMS"));
        assert_eq!((email.lane, sms.lane), (1, 2));
        assert_eq!(email.x0, sms.x0, "the branches start together");
        assert!(parallel.x0 <= email.x0 && email.x1 <= parallel.x1 && sms.x1 <= parallel.x1, "inside their Parallel");
        assert_eq!(email.segments.iter().map(|s| s.kind).collect::<Vec<_>>(), [SegmentKind::Attempt]);
        assert!(t.bars.iter().all(|b| b.status == StateStatus::Succeeded));
        assert_eq!(t.lanes[1].parent_bar.map(|b| &*t.bars[b].state), Some("ParallelProcessing"));
    }

    #[test]
    fn retries_show_each_attempt_and_the_back_off_between() {
        let mut def: Value = serde_json::from_str(crate::seed::ORDER_WORKFLOW).unwrap();
        def["States"]["ProcessData"]["Retry"] = json!([{"ErrorEquals": ["States.TaskFailed"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 2}]);
        let fail = HandlerChoice::FailThenSucceed { times: 2, error: "States.TaskFailed".into(), then: None };
        let t = timeline(&def, crate::seed::TEST_INPUTS[0].input, &[("ProcessData", fail)]);
        let process = bar(&t, "ProcessData");
        let parts: Vec<(SegmentKind, Millis)> = process.segments.iter().map(|s| (s.kind, s.end_ms - s.start_ms)).collect();
        assert_eq!(
            parts,
            [
                (SegmentKind::FailedAttempt, 0),
                (SegmentKind::RetryBackoff, 1_000),
                (SegmentKind::FailedAttempt, 0),
                (SegmentKind::RetryBackoff, 2_000),
                (SegmentKind::Attempt, 0)
            ]
        );
        assert!(process.segments.windows(2).all(|w| w[0].x1 <= w[1].x0 + 1), "in order: {:?}", process.segments);
        assert_eq!(process.duration_ms(), 3_000);
    }

    #[test]
    fn map_iterations_and_parallel_branches_nest_as_lanes() {
        let def = json!({"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
            "ItemProcessor": {"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "Pause", "States": {"Pause": {"Type": "Wait", "Seconds": 5, "End": true}}},
                {"StartAt": "Note", "States": {"Note": {"Type": "Pass", "End": true}}}]}}}}}});
        let t = timeline(&def, r#"{"items": [1, 2]}"#, &[]);
        let lanes: Vec<(&str, u32)> = t.lanes.iter().map(|l| (l.label.as_str(), l.depth)).collect();
        assert_eq!(
            lanes,
            [
                ("Execution", 0),
                ("Each · item 0", 1),
                ("Fan · branch 1", 2),
                ("Fan · branch 2", 2),
                ("Each · item 1", 1),
                ("Fan · branch 1", 2),
                ("Fan · branch 2", 2)
            ]
        );
        let lane_states = |lane: usize| t.bars_in(lane).map(|b| b.state.to_string()).collect::<Vec<_>>();
        assert_eq!(lane_states(0), ["Each"]);
        assert_eq!(lane_states(1), ["Fan"]);
        assert_eq!(lane_states(2), ["Pause"]);
        assert_eq!(lane_states(3), ["Note"]);
        assert_eq!(lane_states(6), ["Note"]);
        let pauses: Vec<&Bar> = t.bars.iter().filter(|b| &*b.state == "Pause").collect();
        assert!(pauses.iter().all(|b| b.duration_ms() == 5_000));
        assert_eq!(pauses[0].start_ms, pauses[1].start_ms, "the iterations wait at the same time");
        let each = bar(&t, "Each");
        assert_eq!(each.duration_ms(), 5_000);
        assert!(t.bars.iter().all(|b| b.x0 >= each.x0 && b.x1 <= each.x1));
        assert!(t.bars.iter().all(|b| b.status == StateStatus::Succeeded), "{:?}", t.bars);
    }

    #[test]
    fn a_failed_branch_leaves_its_bar_failed_and_the_parallel_caught() {
        let def = json!({"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "Next": "Done", "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}], "Branches": [
                {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom"}}},
                {"StartAt": "Fine", "States": {"Fine": {"Type": "Pass", "End": true}}}]},
            "Recover": {"Type": "Pass", "End": true},
            "Done": {"Type": "Pass", "End": true}}});
        let t = timeline(&def, "{}", &[]);
        assert_eq!(bar(&t, "Fan").status, StateStatus::Caught);
        assert_eq!(bar(&t, "Boom").status, StateStatus::Failed);
        assert_eq!(t.bars_in(0).map(|b| &*b.state).collect::<Vec<_>>(), ["Fan", "Recover"]);
    }

    #[test]
    fn tick_labels_keep_their_distance() {
        let t = Timeline { width: 100, ticks: [0, 3, 9, 20, 24, 60].map(|x| Tick { x, offset_ms: i64::from(x) }).to_vec(), ..Timeline::default() };
        assert_eq!(t.spaced_ticks(0.1).iter().map(|k| k.x).collect::<Vec<_>>(), [0, 20, 60]);
        assert_eq!(t.percent(25), 25.0);
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration_label(350), "350 ms");
        assert_eq!(duration_label(1_500), "1.5 s");
        assert_eq!(duration_label(125_000), "2 min 5 s");
        assert_eq!(duration_label(12_000_000), "3 h 20 min");
        assert_eq!(duration_label(187_200_000), "2 d 4 h");
    }
}
