//! The interpreter: [`Execution`] runs a compiled [`Program`] step by step, with time from a
//! [`Clock`] the caller owns and randomness from a seed the caller owns, and records an
//! AWS-shaped history.
//!
//! Owns: the step-wise API ([`Execution::step`], [`Execution::run`], callbacks), the
//! deterministic scheduler of branches and iterations (fibers), the shared state pipeline
//! ([`pipeline`]), Retry and Catch ([`recovery`]), and one small action per state type ([`states`]).
//!
//! Scheduling: each running branch or Map iteration is a fiber. The ready queue is worked from
//! the front, and a fiber that moves on goes back to the front, so a branch runs until it waits
//! (Wait, retry back-off, latency, callback) before its sibling starts: the history is the same
//! on every run. When every fiber waits on a timer, the clock jumps to the earliest one.

pub mod distributed;
pub mod isolated;
pub mod pipeline;
pub mod plug;
pub mod program;
pub mod quota;
mod recovery;
pub mod sdk_response;
mod states;
/// `StringMatches` as Choice rules match, for the test generator's synthesised values.
pub(crate) use states::string_matches;
pub use states::literal_comparison_holds;
pub mod trace;
pub mod variables;

use std::collections::VecDeque;
use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};

pub use crate::asl::error::{StatesError, names};
pub use plug::{HandlerRegistry, TaskHandler};
pub use program::{CompileError, Program};

use crate::asl::clock::{Clock, Millis, format_rfc3339};
use plug::CloudWatchLogs;
use crate::asl::history::{EventKind, HistoryEvent, Link};
use crate::asl::value::Payload;
use program::{ScopeId, StateId};

pub use crate::asl::model::ExecutionType;

/// The name AWS's TestState gives the tested state in the context object it makes
/// (`$$.State.Name`), whatever the state's own name.
pub const TEST_STATE_NAME: &str = "StateName";

/// What an execution is called and what limits it runs under.
#[derive(Debug, Clone)]
pub struct ExecutionConfig {
    /// The state machine's name (`$$.StateMachine.Name`).
    pub state_machine_name: String,
    /// The execution's name (`$$.Execution.Name`).
    pub execution_name: String,
    /// `$$.Execution.RoleArn` and the ExecutionStarted event's `roleArn`.
    pub role_arn: String,
    pub region: String,
    pub account: String,
    pub execution_type: ExecutionType,
    /// Seeds the RNG of intrinsics, jitter and handlers.
    pub seed: u64,
    /// State transitions after which the execution fails: an infinite loop ends, never hangs.
    pub max_transitions: u64,
    /// The payload and history quotas (AWS's by default).
    pub quotas: quota::Quotas,
    /// Nobody reads the handlers' log lines (a batch of many runs): handlers are told not to
    /// format them and [`Execution::logs`] stays empty. The history is the same either way.
    pub quiet: bool,
    /// Whether [`Execution::history`] keeps the events (true by default). When false, events
    /// are still numbered and counted (event ids in causes, `previousEventId`s and the history
    /// quota are the same) but not kept, so the payloads they would share are freed as the
    /// execution goes: for runs whose history nobody reads (the benchmarks).
    pub keep_history: bool,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        ExecutionConfig {
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsRole".into(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            execution_type: ExecutionType::Standard,
            seed: 0,
            max_transitions: 1_000_000,
            quotas: quota::Quotas::default(),
            quiet: false,
            keep_history: true,
        }
    }
}

/// What an ended execution gives back ([`Execution::into_parts`]).
pub struct EndedParts {
    pub status: ExecutionStatus,
    pub handlers: HandlerRegistry,
    pub config: ExecutionConfig,
}

/// Where an execution is.
#[derive(Debug, Clone, PartialEq)]
pub enum ExecutionStatus {
    Running,
    Succeeded { output: Payload },
    Failed(StatesError),
    TimedOut(StatesError),
}

impl ExecutionStatus {
    /// AWS's status name: `RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`.
    pub fn name(&self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded { .. } => "SUCCEEDED",
            ExecutionStatus::Failed(_) => "FAILED",
            ExecutionStatus::TimedOut(_) => "TIMED_OUT",
        }
    }
}

/// What one call to [`Execution::step`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    /// Some work ran (possibly after the clock jumped to a timer).
    Progressed,
    /// Nothing can run until a callback is delivered ([`Execution::send_task_success`] ...).
    AwaitingCallback,
    /// The execution has ended; see [`Execution::status`].
    Finished,
}

/// A fiber's slot in [`Execution`]'s fiber table (slots are reused once a fiber ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
struct FiberId(usize);

/// A task waiting for its token's callback ([`Execution::pending_callbacks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCallback {
    pub token: String,
    /// The Task state that waits.
    pub state: Arc<str>,
    /// Its HeartbeatSeconds, in milliseconds.
    pub heartbeat_ms: Option<i64>,
}

/// What a fiber does when it next runs.
#[derive(Debug, Clone)]
enum Phase {
    /// Record StateEntered, then act.
    Enter,
    /// Run the state's action (again, after a retry back-off).
    Act,
    /// A Wait has elapsed: leave with this output.
    LeaveWith(Payload),
    /// A task's latency has elapsed: report this outcome.
    TaskDone { effective: Payload, outcome: Result<Payload, StatesError> },
    /// Parked until the children finish.
    AwaitChildren,
    /// Parked until a callback for this token.
    /// `timeout_at`: TimeoutSeconds' deadline; `heartbeat`: HeartbeatSeconds in ms, counted
    /// from `heartbeat_from` (the start, then the last heartbeat).
    AwaitCallback { token: String, effective: Payload, timeout_at: Option<Millis>, heartbeat: Option<i64>, heartbeat_from: Millis },
}

/// Which parallel work a fiber is waiting for.
#[derive(Debug)]
struct Children {
    results: Vec<Option<Value>>,
    /// In start order; usually the front finishes first (popped in O(1)).
    live: VecDeque<FiberId>,
    remaining: usize,
    /// Map only: the items not yet started, from `next_item` on.
    items: Vec<Value>,
    next_item: usize,
    /// Map only: the effective input the item selector reads.
    selector_input: Payload,
    max_concurrency: usize,
    failed: usize,
    tolerated_count: Option<u64>,
    tolerated_percentage: Option<f64>,
    is_map: bool,
    /// A Distributed Map: each child is a workflow execution of its own, whose run is kept for
    /// the result files; its items were selected (and batched) before they started.
    map_run: Option<Box<MapRun>>,
}

/// A Distributed Map's run in progress.
#[derive(Debug)]
struct MapRun {
    arn: String,
    id: String,
    names: distributed::MapRunNames,
    /// By child index: the child's name, input and start time, then its end.
    runs: Vec<Option<distributed::ChildRun>>,
    /// By child index: whether it has ended (its run's stop and outcome are final).
    ended: Vec<bool>,
    /// The items were selected and batched before the children started (an ItemBatcher).
    preselected: bool,
}

/// One running branch, iteration or the top level.
#[derive(Debug)]
struct Fiber {
    scope: ScopeId,
    state: StateId,
    input: Payload,
    phase: Phase,
    parent: Option<(FiberId, usize)>,
    previous_event: u64,
    entered_event: u64,
    /// The event the current state's StateEntered followed ([`Link::AsEntered`]).
    entered_previous: u64,
    entered_time: Millis,
    retry_counts: Vec<u32>,
    retries: u32,
    map_item: Option<(usize, Value)>,
    /// Map iterations: the Map's name; `started` once MapIterationStarted is recorded.
    iteration_of: Option<Arc<str>>,
    started: bool,
    /// Boxed: most fibers have none, and a 10,000-item Map keeps 10,000 fibers live.
    children: Option<Box<Children>>,
    /// The workflow variables this fiber sees and sets.
    variables: variables::VariableScope,
    /// What the current state's Assign set, for its StateExited event.
    assigned: Option<Arc<serde_json::Map<String, Value>>>,
    /// The task result already held to the quotas: an output that is this same value is not
    /// measured again when the state leaves.
    checked: Option<Payload>,
    /// A Distributed Map's child workflow (or a fiber inside one): its events belong to the
    /// child execution's own history, not this one's, and its `$$.Execution` is the child's.
    child_execution: Option<Arc<ChildExecution>>,
}

/// A Distributed Map's child workflow execution, as its context object names it.
#[derive(Debug)]
struct ChildExecution {
    arn: String,
    name: String,
    input: Payload,
    start: Millis,
    state_machine_arn: String,
    /// Its history in [`Execution::child_histories`].
    history: usize,
}

/// A Distributed Map child execution's own history (AWS keeps it apart from the parent's):
/// its events are numbered from 1, as in any execution. Kept when the parent keeps its history
/// ([`ExecutionConfig::keep_history`]), so that a run's model can show the states inside the
/// Map's ItemProcessor ([`crate::sim::run::RunModel::of`]).
#[derive(Debug, Clone)]
pub struct ChildHistory {
    /// The Distributed Map state that started it.
    pub map_state: Arc<str>,
    /// The child's execution name and ARN.
    pub name: String,
    pub arn: String,
    pub events: Vec<HistoryEvent>,
    /// Events recorded so far, kept or not.
    count: u64,
}

/// The key of a child execution's event outside its own history: the fiber's event links, the
/// trace's [`trace::TraceEntry::entered_event`] and a run model's visits use it, so a child's
/// visit never shares a key with the parent's (whose ids stay below 2^32).
pub fn child_event_key(child: usize, local_id: u64) -> u64 {
    ((child as u64 + 1) << 32) | local_id
}

/// The id a key has in its own history (the parent's ids are their own keys).
pub fn local_event_id(key: u64) -> u64 {
    key & 0xffff_ffff
}

/// The execution's random numbers (intrinsics, jitter, handlers): `StdRng` seeded from the
/// configured seed on first use, not at the start. Seeding ChaCha costs more than a short
/// execution's states (most never draw a number), and the stream is the same either way.
struct SeededRng {
    seed: u64,
    rng: Option<StdRng>,
}

impl SeededRng {
    fn new(seed: u64) -> SeededRng {
        SeededRng { seed, rng: None }
    }

    fn rng(&mut self) -> &mut StdRng {
        let seed = self.seed;
        self.rng.get_or_insert_with(|| StdRng::seed_from_u64(seed))
    }
}

impl rand::RngCore for SeededRng {
    fn next_u32(&mut self) -> u32 {
        self.rng().next_u32()
    }

    fn next_u64(&mut self) -> u64 {
        self.rng().next_u64()
    }

    fn fill_bytes(&mut self, dst: &mut [u8]) {
        self.rng().fill_bytes(dst)
    }
}

/// One execution of a state machine.
pub struct Execution {
    program: Arc<Program>,
    config: ExecutionConfig,
    clock: Box<dyn Clock>,
    rng: SeededRng,
    handlers: HandlerRegistry,
    logs: CloudWatchLogs,
    history: Vec<HistoryEvent>,
    /// Events recorded so far, kept or not ([`ExecutionConfig::keep_history`]).
    events: u64,
    /// StateEntered events so far.
    states_entered: u64,
    fibers: Vec<Option<Fiber>>,
    free: Vec<FiberId>,
    ready: VecDeque<FiberId>,
    sleeping: Vec<(Millis, u64, FiberId)>,
    sleep_seq: u64,
    status: ExecutionStatus,
    input: Payload,
    start_time: Millis,
    transitions: u64,
    token_seq: u64,
    /// The data-flow trace, when enabled.
    trace: Option<Vec<trace::TraceEntry>>,
    /// One state run on its own ([`Execution::start_isolated`]).
    isolation: Option<Box<isolated::Isolation>>,
    /// The histories of the Distributed Maps' child executions, in the order they started.
    child_histories: Vec<ChildHistory>,
    /// Times [`Execution::redrive`] restarted it (`$$.Execution.RedriveCount`).
    redrive_count: u32,
    /// Where the state machine's TimeoutSeconds counts from: the start, reset by a redrive.
    timeout_from: Millis,
    /// Where the top-level fiber was when it ended, for a redrive.
    last_top: Option<Box<TopAt>>,
}

/// Where the top-level branch stood when it ended: the state it was in, that state's input and
/// the variables it could see.
#[derive(Debug, Clone)]
struct TopAt {
    state: StateId,
    input: Payload,
    /// The top-level scope itself (two `Arc`s), not a copy of its variables: most runs end
    /// without anyone asking for them.
    variables: variables::VariableScope,
}

/// Why [`Execution::redrive`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedriveRefusal {
    /// It is still running: only an ended execution can be redriven.
    Running,
    /// It succeeded: nothing to redrive.
    Succeeded,
    /// EXPRESS executions cannot be redriven.
    Express,
    /// It ended before entering any state.
    NoState,
}

impl std::fmt::Display for RedriveRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedriveRefusal::Running => "the execution is still running; only a failed, timed-out or aborted one can be redriven",
            RedriveRefusal::Succeeded => "the execution succeeded; AWS redrives only executions that did not",
            RedriveRefusal::Express => "EXPRESS executions cannot be redriven (RedriveExecution is for STANDARD workflows)",
            RedriveRefusal::NoState => "the execution ended before it entered a state; start a new one",
        })
    }
}

impl std::fmt::Debug for Execution {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution").field("status", &self.status).field("events", &self.events).finish()
    }
}

/// A fiber id that names no live fiber: an interpreter bug, never the workflow's doing.
#[cold]
#[inline(never)]
fn no_live_fiber(fid: FiberId) -> ! {
    panic!("live fiber: {} is not live", fid.0)
}

impl Execution {
    /// Starts an execution: records ExecutionStarted at the clock's time; nothing else runs
    /// until [`Execution::step`] or [`Execution::run`]. The input is a `serde_json::Value`, or
    /// a [`crate::asl::value::Shared`] (read from text with `Shared::from_json`): a handler
    /// that works on shared values ([`TaskHandler::takes_shared`]) then reads it without a copy.
    pub fn start(
        program: Arc<Program>,
        input: impl Into<Payload>,
        clock: Box<dyn Clock>,
        handlers: HandlerRegistry,
        config: ExecutionConfig,
    ) -> Execution {
        let start_time = clock.now();
        let input: Payload = input.into();
        let start_state = program.scope(ScopeId::TOP).start;
        let mut execution = Execution {
            rng: SeededRng::new(config.seed),
            program,
            config,
            clock,
            handlers,
            logs: CloudWatchLogs::default(),
            history: Vec::new(),
            events: 0,
            states_entered: 0,
            // Room for the top-level fiber and a few branches: the first push would otherwise
            // take the growth path, once per execution.
            fibers: Vec::with_capacity(4),
            free: Vec::new(),
            ready: VecDeque::with_capacity(4),
            sleeping: Vec::new(),
            sleep_seq: 0,
            status: ExecutionStatus::Running,
            input: input.clone(),
            start_time,
            transitions: 0,
            token_seq: 0,
            trace: None,
            isolation: None,
            child_histories: Vec::new(),
            redrive_count: 0,
            timeout_from: start_time,
            last_top: None,
        };
        if execution.config.keep_history {
            let role_arn: Arc<str> = execution.config.role_arn.as_str().into();
            execution.push_event(HistoryEvent {
                id: 1,
                previous_event_id: 0,
                timestamp: start_time,
                kind: EventKind::ExecutionStarted { input: input.clone(), role_arn },
            });
        } else {
            // Numbered, not built: the role ARN would be copied for nothing.
            execution.events = 1;
        }
        let top = execution.spawn(ScopeId::TOP, start_state, input, None);
        execution.ready.push_back(top);
        execution
    }

    /// Runs the execution to its end (or to a task waiting for its token) and gives it back:
    /// `Execution::start(..).run_to_end()` is the library side of `statecraft run`, on
    /// whatever clock it was started with.
    pub fn run_to_end(mut self) -> Self {
        self.run();
        self
    }

    /// Starts an execution whose first state runs under `isolation`, with `variables` already
    /// set in the top-level scope: AWS's TestState, run by the caller one step at a time.
    pub fn start_isolated(
        program: Arc<Program>,
        input: Value,
        clock: Box<dyn Clock>,
        handlers: HandlerRegistry,
        config: ExecutionConfig,
        isolation: isolated::Isolation,
        variables: serde_json::Map<String, Value>,
    ) -> Execution {
        let mut execution = Execution::start(program, input, clock, handlers, config);
        execution.isolation = Some(Box::new(isolation));
        if let Some(root) = execution.ready.front().copied() {
            execution.fiber_mut(root).variables.commit(variables);
        }
        execution
    }

    /// The isolation the execution runs under, as the states left it (a Map's settings).
    pub fn isolation(&self) -> Option<&isolated::Isolation> {
        self.isolation.as_deref()
    }

    /// The history so far (empty when [`ExecutionConfig::keep_history`] is off).
    pub fn history(&self) -> &[HistoryEvent] {
        &self.history
    }

    /// Events recorded so far, whether the history keeps them or not.
    pub fn event_count(&self) -> u64 {
        self.events
    }

    /// States entered so far (StateEntered events), nested states included.
    pub fn states_entered(&self) -> u64 {
        self.states_entered
    }

    /// Numbers an event in, and keeps it when the history is kept. (The execution's own events;
    /// the states' go through [`Execution::record_with`], which counts StateEntered.)
    fn push_event(&mut self, event: HistoryEvent) {
        self.events = event.id;
        if self.config.keep_history {
            self.history.push(event);
        }
    }

    /// The Distributed Maps' child executions' histories (their events when the history is kept).
    pub fn child_histories(&self) -> &[ChildHistory] {
        &self.child_histories
    }

    /// Opens a child execution's history and records its ExecutionStarted; the fiber `fid`
    /// (the child's first) chains its events after it.
    fn start_child_history(&mut self, fid: FiberId, map_state: Arc<str>, name: String, arn: String, input: Payload) -> usize {
        let index = self.child_histories.len();
        self.child_histories.push(ChildHistory { map_state, name, arn, events: Vec::new(), count: 0 });
        let role_arn: Arc<str> = self.config.role_arn.as_str().into();
        self.fiber_mut(fid).previous_event = child_event_key(index, 0);
        self.record_child(fid, index, Link::Chain, |_| EventKind::ExecutionStarted { input, role_arn });
        index
    }

    /// Records an event in the child history `child`, after the fiber's previous one; returns
    /// its key ([`child_event_key`]).
    fn record_child(&mut self, fid: FiberId, child: usize, link: Link, kind: impl FnOnce(&Execution) -> EventKind) -> u64 {
        let local = self.child_histories[child].count + 1;
        let previous_key = match link {
            Link::AsideOfLast => child_event_key(child, self.child_histories[child].count),
            Link::AsEntered => self.fiber(fid).entered_previous,
            Link::Chain | Link::Aside => self.fiber(fid).previous_event,
        };
        if self.config.keep_history {
            let event = HistoryEvent { id: local, previous_event_id: local_event_id(previous_key), timestamp: self.clock.now(), kind: kind(self) };
            self.child_histories[child].events.push(event);
        }
        self.child_histories[child].count = local;
        let key = child_event_key(child, local);
        self.fiber_mut(fid).previous_event = match link {
            Link::Chain | Link::AsEntered => key,
            Link::Aside | Link::AsideOfLast => previous_key,
        };
        key
    }

    /// Where the execution is.
    pub fn status(&self) -> &ExecutionStatus {
        &self.status
    }

    /// The execution's status, the execution itself dropped first: a succeeded execution's
    /// output is then usually no longer shared with its history, so taking it out of the `Arc`
    /// costs no copy.
    pub fn into_status(self) -> ExecutionStatus {
        self.into_parts().status
    }

    /// [`Execution::into_status`], also giving back the handlers and the configuration: a
    /// caller that runs many executions with the same handlers and names (the benchmarks)
    /// builds the registry and the configuration's strings once.
    pub fn into_parts(self) -> EndedParts {
        let Execution { status, history, fibers, trace, handlers, config, .. } = self;
        drop((history, fibers, trace));
        EndedParts { status, handlers, config }
    }

    /// What the handlers printed, by log group.
    pub fn logs(&self) -> &CloudWatchLogs {
        &self.logs
    }

    /// The clock's current time.
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// The variables set in the top-level scope so far, or when the execution ended (a
    /// variables panel's view).
    pub fn top_level_variables(&self) -> serde_json::Map<String, Value> {
        match self.fibers.iter().flatten().find(|f| f.parent.is_none()) {
            Some(root) => root.variables.visible(),
            // The variables as they were when the top-level fiber ended.
            None => self.last_top.as_ref().map(|top| top.variables.visible()).unwrap_or_default(),
        }
    }

    /// Starts recording the data-flow trace ([`trace`]) from now on.
    pub fn enable_trace(&mut self) {
        self.trace.get_or_insert_with(Vec::new);
    }

    /// The data-flow trace so far (empty unless [`Execution::enable_trace`] was called).
    pub fn trace(&self) -> &[trace::TraceEntry] {
        self.trace.as_deref().unwrap_or(&[])
    }

    /// State transitions so far (what Standard workflows are billed by).
    pub fn transitions(&self) -> u64 {
        self.transitions
    }

    /// The configuration the execution runs with.
    pub fn config(&self) -> &ExecutionConfig {
        &self.config
    }

    /// Runs until the execution ends or waits for a callback.
    pub fn run(&mut self) -> StepOutcome {
        loop {
            match self.step() {
                StepOutcome::Progressed => continue,
                other => return other,
            }
        }
    }

    /// The state the next step enters, when the next step enters one: where a state that has
    /// just left went (a Choice's chosen rule, a catcher's Next).
    pub fn state_about_to_enter(&self) -> Option<&str> {
        let fiber = self.ready.front().and_then(|&fid| self.fibers[fid.0].as_ref())?;
        matches!(fiber.phase, Phase::Enter).then(|| &*self.program.state(fiber.scope, fiber.state).name)
    }

    /// Runs until the next state named `state_name` is about to be entered (a breakpoint), the
    /// execution ends, or it waits for a callback.
    pub fn run_until_state(&mut self, state_name: &str) -> StepOutcome {
        loop {
            if let Some(&fid) = self.ready.front() {
                if let Some(f) = &self.fibers[fid.0] {
                    if matches!(f.phase, Phase::Enter) && &*self.program.state(f.scope, f.state).name == state_name {
                        return StepOutcome::Progressed;
                    }
                }
            }
            match self.step() {
                StepOutcome::Progressed => continue,
                other => return other,
            }
        }
    }

    /// Runs one unit of work: one state of one fiber (entering and acting, or leaving after a
    /// timer), jumping the clock to the next timer when nothing else can run.
    pub fn step(&mut self) -> StepOutcome {
        if self.status != ExecutionStatus::Running {
            return StepOutcome::Finished;
        }
        let fid = match self.ready.pop_front() {
            Some(fid) => fid,
            None => {
                // Only a callback's own timeout or heartbeat is left: the caller may still send
                // the callback, so time does not jump by itself ([`Execution::advance_time`]).
                if self.sleeping.iter().all(|s| self.is_awaiting_callback(s.2)) {
                    return StepOutcome::AwaitingCallback;
                }
                self.wake_next();
                if self.status != ExecutionStatus::Running {
                    return StepOutcome::Finished;
                }
                match self.ready.pop_front() {
                    Some(fid) => fid,
                    None => return StepOutcome::AwaitingCallback,
                }
            }
        };
        if self.fibers[fid.0].is_none() {
            return StepOutcome::Progressed;
        }
        states::run_fiber(self, fid);
        if self.status == ExecutionStatus::Running { StepOutcome::Progressed } else { StepOutcome::Finished }
    }

    /// Delivers a `.waitForTaskToken` success. Returns false when no task waits on `token`.
    pub fn send_task_success(&mut self, token: &str, output: Value) -> bool {
        self.deliver(token, Ok(output))
    }

    /// Delivers a `.waitForTaskToken` failure. Returns false when no task waits on `token`.
    pub fn send_task_failure(&mut self, token: &str, error: StatesError) -> bool {
        self.deliver(token, Err(error))
    }

    /// Lets `millis` of virtual time pass, running whatever falls due (a callback's timeout or
    /// missed heartbeat included), then runs on as [`Execution::run`] does.
    pub fn advance_time(&mut self, millis: u64) -> StepOutcome {
        let target = self.clock.now() + millis as i64;
        loop {
            while matches!(self.status, ExecutionStatus::Running) && !self.ready.is_empty() {
                self.step();
            }
            if !matches!(self.status, ExecutionStatus::Running) {
                return StepOutcome::Finished;
            }
            match self.sleeping.iter().map(|s| s.0).min() {
                Some(t) if t <= target => self.wake_next(),
                _ => break,
            }
        }
        if self.clock.now() < target {
            self.clock.advance_to(target);
        }
        self.run()
    }

    /// AWS's RedriveExecution: the same execution, restarted from the top-level state that did
    /// not succeed (re-entered with the input it had, the variables as they were), its history
    /// continued after an ExecutionRedriven event. The states that succeeded are not run again,
    /// and the state machine's TimeoutSeconds counts from now. `handlers` replaces the task
    /// handlers when given (what a service answers may have been fixed since).
    ///
    /// Unlike AWS, a Parallel or Map state that failed is run again whole: AWS reruns only its
    /// branches and iterations that did not succeed. Returns the redrive count.
    pub fn redrive(&mut self, handlers: Option<HandlerRegistry>) -> Result<u32, RedriveRefusal> {
        match self.status {
            ExecutionStatus::Running => return Err(RedriveRefusal::Running),
            ExecutionStatus::Succeeded { .. } => return Err(RedriveRefusal::Succeeded),
            ExecutionStatus::Failed(_) | ExecutionStatus::TimedOut(_) => {}
        }
        if self.config.execution_type == ExecutionType::Express {
            return Err(RedriveRefusal::Express);
        }
        // A timeout leaves the top-level fiber where it was; a failure has released it.
        let top = match self.fibers.iter().flatten().find(|f| f.parent.is_none()) {
            Some(root) => TopAt { state: root.state, input: root.input.clone(), variables: root.variables.clone() },
            None => match self.last_top.as_deref() {
                Some(top) => top.clone(),
                None => return Err(RedriveRefusal::NoState),
            },
        };
        if self.events == 1 {
            return Err(RedriveRefusal::NoState);
        }
        if let Some(handlers) = handlers {
            self.handlers = handlers;
        }
        self.fibers.clear();
        self.free.clear();
        self.ready.clear();
        self.sleeping.clear();
        self.last_top = None;
        self.redrive_count += 1;
        self.timeout_from = self.clock.now();
        self.status = ExecutionStatus::Running;
        let id = self.events + 1;
        self.push_event(HistoryEvent {
            id,
            previous_event_id: self.events,
            timestamp: self.clock.now(),
            kind: EventKind::ExecutionRedriven { redrive_count: self.redrive_count },
        });
        let fid = self.spawn(ScopeId::TOP, top.state, top.input, None);
        let fiber = self.fiber_mut(fid);
        fiber.previous_event = id;
        fiber.variables.commit(top.variables.visible());
        self.ready.push_back(fid);
        Ok(self.redrive_count)
    }

    /// Times the execution has been redriven.
    pub fn redrive_count(&self) -> u32 {
        self.redrive_count
    }

    fn is_awaiting_callback(&self, fid: FiberId) -> bool {
        matches!(self.fibers.get(fid.0), Some(Some(Fiber { phase: Phase::AwaitCallback { .. }, .. })))
    }

    /// Delivers a `.waitForTaskToken` heartbeat: the HeartbeatSeconds count starts again.
    /// Returns false when no task waits on `token`.
    pub fn send_task_heartbeat(&mut self, token: &str) -> bool {
        let now = self.clock.now();
        let found = self.fibers.iter().position(|f| {
            matches!(f, Some(Fiber { phase: Phase::AwaitCallback { token: t, .. }, .. }) if t == token)
        });
        let Some(fid) = found.map(FiberId) else { return false };
        if let Some(Fiber { phase: Phase::AwaitCallback { heartbeat_from, .. }, .. }) = &mut self.fibers[fid.0] {
            *heartbeat_from = now;
        }
        self.sleeping.retain(|s| s.2 != fid);
        self.schedule_callback_timer(fid);
        true
    }

    /// Sleeps a callback-waiting fiber until its next deadline (timeout or heartbeat), if any.
    fn schedule_callback_timer(&mut self, fid: FiberId) {
        if let Some(Fiber { phase: Phase::AwaitCallback { timeout_at, heartbeat, heartbeat_from, .. }, .. }) = &self.fibers[fid.0] {
            let next = [*timeout_at, heartbeat.map(|h| heartbeat_from + h)].into_iter().flatten().min();
            if let Some(until) = next {
                self.sleep_seq += 1;
                self.sleeping.push((until, self.sleep_seq, fid));
            }
        }
    }

    /// The tasks waiting for their token's callback: the token, the state and its
    /// HeartbeatSeconds (a caller that answers callbacks by state, sending heartbeats in time).
    pub fn pending_callbacks(&self) -> Vec<PendingCallback> {
        self.fibers
            .iter()
            .flatten()
            .filter_map(|f| match &f.phase {
                Phase::AwaitCallback { token, heartbeat, .. } => Some(PendingCallback {
                    token: token.clone(),
                    state: self.program.state(f.scope, f.state).name.clone(),
                    heartbeat_ms: *heartbeat,
                }),
                _ => None,
            })
            .collect()
    }

    /// The task tokens callbacks are awaited for.
    pub fn pending_task_tokens(&self) -> Vec<String> {
        self.fibers
            .iter()
            .flatten()
            .filter_map(|f| match &f.phase {
                Phase::AwaitCallback { token, .. } => Some(token.clone()),
                _ => None,
            })
            .collect()
    }

    fn deliver(&mut self, token: &str, outcome: Result<Value, StatesError>) -> bool {
        let found = self.fibers.iter().position(|f| {
            matches!(f, Some(Fiber { phase: Phase::AwaitCallback { token: t, .. }, .. }) if t == token)
        });
        let Some(fid) = found.map(FiberId) else { return false };
        let fiber = self.fibers[fid.0].as_mut().expect("found above");
        let Phase::AwaitCallback { effective, .. } = std::mem::replace(&mut fiber.phase, Phase::Act) else { return false };
        fiber.phase = Phase::TaskDone { effective, outcome: outcome.map(Payload::new) };
        self.sleeping.retain(|s| s.2 != fid);
        self.ready.push_front(fid);
        true
    }

    fn wake_next(&mut self) {
        let Some(earliest) = self.sleeping.iter().map(|s| s.0).min() else { return };
        if let Some(timeout) = self.program.timeout_seconds {
            let deadline = self.timeout_from + timeout as i64 * 1000;
            if earliest > deadline {
                self.clock.advance_to(deadline);
                self.end(ExecutionStatus::TimedOut(StatesError::named(Some(names::TIMEOUT.into()), None)));
                return;
            }
        }
        let limit = quota::max_duration_millis(self.config.execution_type);
        if earliest > self.start_time + limit {
            self.clock.advance_to(self.start_time + limit);
            self.end(ExecutionStatus::TimedOut(StatesError::new(
                names::TIMEOUT,
                "The execution reached its maximum duration.",
            )));
            return;
        }
        self.clock.advance_to(earliest);
        let mut due: Vec<(Millis, u64, FiberId)> = Vec::new();
        self.sleeping.retain(|s| {
            if s.0 <= earliest {
                due.push(*s);
                false
            } else {
                true
            }
        });
        due.sort();
        for (_, _, fid) in due {
            self.ready.push_back(fid);
        }
    }

    fn sleep_until(&mut self, fid: FiberId, until: Millis) {
        if until <= self.clock.now() {
            self.ready.push_front(fid);
        } else {
            self.sleep_seq += 1;
            self.sleeping.push((until, self.sleep_seq, fid));
        }
    }

    fn spawn(&mut self, scope: ScopeId, state: StateId, input: Payload, parent: Option<(FiberId, usize)>) -> FiberId {
        let (previous_event, variables, child_execution) = match parent {
            Some((pid, _)) => (self.fiber(pid).previous_event, self.fiber(pid).variables.child(), self.fiber(pid).child_execution.clone()),
            None => (0, variables::VariableScope::default(), None),
        };
        let fiber = Fiber {
            scope,
            state,
            input,
            phase: Phase::Enter,
            parent,
            previous_event,
            entered_event: 0,
            entered_previous: 0,
            entered_time: 0,
            retry_counts: Vec::new(),
            retries: 0,
            map_item: None,
            iteration_of: None,
            started: false,
            children: None,
            variables,
            assigned: None,
            checked: None,
            child_execution,
        };
        match self.free.pop() {
            Some(id) => {
                self.fibers[id.0] = Some(fiber);
                id
            }
            None => {
                self.fibers.push(Some(fiber));
                FiberId(self.fibers.len() - 1)
            }
        }
    }

    // `fiber` and `fiber_mut` run several times per state: inlined even in the size-tuned wasm
    // build (opt-level z called them, and the index and `expect` inside them, as functions: 6%
    // of a Pass state's time in the worker), the panic kept out of line.
    #[inline(always)]
    fn fiber(&self, fid: FiberId) -> &Fiber {
        match self.fibers.get(fid.0) {
            Some(Some(fiber)) => fiber,
            _ => no_live_fiber(fid),
        }
    }

    #[inline(always)]
    fn fiber_mut(&mut self, fid: FiberId) -> &mut Fiber {
        match self.fibers.get_mut(fid.0) {
            Some(Some(fiber)) => fiber,
            _ => no_live_fiber(fid),
        }
    }

    fn release(&mut self, fid: FiberId) {
        if let Some(root) = self.fibers[fid.0].take_if(|f| f.parent.is_none()) {
            // Kept once, for a redrive and for the variables panel after the end. The execution
            // ends with its top-level fiber: its slot is not worth a free-list entry (the first
            // push would allocate the list, once per execution).
            self.last_top = Some(Box::new(TopAt { state: root.state, input: root.input, variables: root.variables }));
            return;
        }
        self.fibers[fid.0] = None;
        self.free.push(fid);
    }

    /// Records an event after the fiber's previous one.
    /// After the execution has ended nothing more is recorded; in a Standard execution the
    /// 25,000th event may only be ExecutionSucceeded, so any other ends it as failed.
    fn record(&mut self, fid: Option<FiberId>, kind: EventKind) -> u64 {
        let entered = matches!(kind, EventKind::StateEntered { .. });
        let link = kind.link();
        self.record_linked(fid, entered, link, |_| kind)
    }

    /// [`Execution::record`], building the event only when the history keeps it: the states'
    /// own events would otherwise clone (and drop) a name and a payload for nothing.
    /// `entered`: the event is StateEntered.
    #[inline]
    fn record_with(&mut self, fid: Option<FiberId>, entered: bool, kind: impl FnOnce(&Execution) -> EventKind) -> u64 {
        self.record_linked(fid, entered, Link::Chain, kind)
    }

    /// [`Execution::record_with`], linking the event as `link` says ([`Link`]).
    #[inline]
    fn record_linked(&mut self, fid: Option<FiberId>, entered: bool, link: Link, kind: impl FnOnce(&Execution) -> EventKind) -> u64 {
        // An event nobody keeps, of a fiber in this execution's own history (most events of a
        // run whose history is not kept): numbered and linked with one look at the fiber. It
        // runs twice per state, so it stays inlined and leaves everything else to the full path.
        if !self.config.keep_history
            && let Some(f) = fid
            && matches!(self.status, ExecutionStatus::Running)
            && (self.config.execution_type != ExecutionType::Standard
                || self.config.quotas.history_events.is_none_or(|limit| self.events as usize + 1 < limit))
        {
            let events = self.events;
            let fiber = self.fibers[f.0].as_mut().expect("live fiber");
            if fiber.child_execution.is_none() {
                let id = events + 1;
                let previous_event_id = match link {
                    Link::AsideOfLast => events,
                    Link::AsEntered => fiber.entered_previous,
                    Link::Chain | Link::Aside => fiber.previous_event,
                };
                fiber.previous_event = match link {
                    Link::Chain | Link::AsEntered => id,
                    Link::Aside | Link::AsideOfLast => previous_event_id,
                };
                self.events = id;
                self.states_entered += u64::from(entered);
                return id;
            }
        }
        self.record_full(fid, entered, link, kind)
    }

    /// [`Execution::record_linked`]'s general path: kept events, child executions' histories,
    /// the history quota, an ended execution.
    #[inline(never)]
    fn record_full(&mut self, fid: Option<FiberId>, entered: bool, link: Link, kind: impl FnOnce(&Execution) -> EventKind) -> u64 {
        if !matches!(self.status, ExecutionStatus::Running) {
            return self.events;
        }
        // A child execution's events go to its own history.
        if let Some((fid, child)) = fid.and_then(|f| self.fiber(f).child_execution.as_ref().map(|c| (f, c.history))) {
            return self.record_child(fid, child, link, kind);
        }
        if self.config.execution_type == ExecutionType::Standard
            && self.config.quotas.history_events.is_some_and(|limit| self.events as usize + 1 >= limit)
        {
            self.end(ExecutionStatus::Failed(quota::history_full()));
            return self.events;
        }
        let id = self.events + 1;
        let previous_event_id = match (fid, link) {
            (None, _) | (Some(_), Link::AsideOfLast) => self.events,
            (Some(fid), Link::AsEntered) => self.fiber(fid).entered_previous,
            (Some(fid), Link::Chain | Link::Aside) => self.fiber(fid).previous_event,
        };
        self.states_entered += u64::from(entered);
        if self.config.keep_history {
            let kind = kind(self);
            self.push_event(HistoryEvent { id, previous_event_id, timestamp: self.clock.now(), kind });
        } else {
            self.events = id;
        }
        if let Some(fid) = fid {
            self.fiber_mut(fid).previous_event = match link {
                Link::Chain | Link::AsEntered => id,
                Link::Aside | Link::AsideOfLast => previous_event_id,
            };
        }
        id
    }

    /// Records a trace value for the fiber's current state visit; `value` is only built when
    /// the trace is on.
    fn trace_value(&mut self, fid: FiberId, name: &Arc<str>, stage: trace::Stage, value: impl FnOnce() -> Payload) {
        if self.trace.is_none() {
            return;
        }
        let entered_event = self.fiber(fid).entered_event;
        let value = value();
        if let Some(entries) = &mut self.trace {
            entries.push(trace::TraceEntry { entered_event, state: name.clone(), stage, value });
        }
    }

    fn end(&mut self, status: ExecutionStatus) {
        if !matches!(self.status, ExecutionStatus::Running) {
            return;
        }
        let previous = self.events;
        let kind = match &status {
            ExecutionStatus::Succeeded { output } => EventKind::ExecutionSucceeded { output: output.clone() },
            ExecutionStatus::Failed(e) => EventKind::ExecutionFailed { error: e.error.clone(), cause: e.cause.clone() },
            ExecutionStatus::TimedOut(e) => EventKind::ExecutionTimedOut { error: e.error.clone(), cause: e.cause.clone() },
            ExecutionStatus::Running => return,
        };
        self.push_event(HistoryEvent {
            id: previous + 1,
            previous_event_id: previous,
            timestamp: self.clock.now(),
            kind,
        });
        self.status = status;
        self.ready.clear();
        self.sleeping.clear();
    }

    /// The context object (`$$`) for a fiber's current state.
    fn context_object(&self, fid: FiberId, task_token: Option<&str>) -> Value {
        self.context_object_with(fid, task_token, true)
    }

    /// The context object, with `Execution.Input` only when `with_input`: a 10,000-item Map
    /// would otherwise copy the whole execution input for every item.
    fn context_object_with(&self, fid: FiberId, task_token: Option<&str>, with_input: bool) -> Value {
        let fiber = self.fiber(fid);
        let state = self.program.state(fiber.scope, fiber.state);
        let machine_arn = format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.config.region, self.config.account, self.config.state_machine_name
        );
        let execution_arn = format!(
            "arn:aws:states:{}:{}:execution:{}:{}",
            self.config.region, self.config.account, self.config.state_machine_name, self.config.execution_name
        );
        if let Some(given) = self.isolation.as_ref().and_then(|i| i.context.as_ref()) {
            let mut context = given.clone();
            if let Some(object) = context.as_object_mut() {
                // A Task.Token given with the context is the one `$$.Task.Token` reads (AWS's
                // TestState answer to `test_state_wait_task_context_object`); the callback still
                // reaches the task through the token the run issued.
                if let Some(token) = task_token.filter(|_| !object.contains_key("Task")) {
                    object.insert("Task".into(), json!({"Token": token}));
                }
                if let Some((index, value)) = &fiber.map_item {
                    object.insert("Map".into(), json!({"Item": {"Index": index, "Value": value}}));
                }
            }
            return context;
        }
        let mut context = json!({
            "Execution": {
                "Id": execution_arn,
                "Input": null,
                "StartTime": format_rfc3339(self.start_time),
                "Name": self.config.execution_name,
                "RoleArn": self.config.role_arn,
                "RedriveCount": self.redrive_count,
            },
            "StateMachine": {"Id": machine_arn, "Name": self.config.state_machine_name},
            "State": {
                "EnteredTime": format_rfc3339(fiber.entered_time),
                "Name": &*state.name,
                "RetryCount": fiber.retries,
            },
        });
        // AWS's TestState runs the state in an EXPRESS execution of its own, names the state
        // `StateName` and the role the request's (`Isolation::test_state_context`).
        if let Some(made) = self.isolation.as_ref().and_then(|i| i.test_state_context.as_ref()) {
            let express_arn = format!(
                "arn:aws:states:{}:{}:express:{}:{}",
                self.config.region, self.config.account, self.config.state_machine_name, self.config.execution_name
            );
            context["Execution"] = json!({
                "Id": express_arn,
                "Input": null,
                "Name": self.config.execution_name,
                "RoleArn": made.role_arn,
                "StartTime": format_rfc3339(self.start_time),
            });
            context["State"]["Name"] = json!(TEST_STATE_NAME);
        }
        // A state that cannot retry has no RetryCount: AWS's context object for a Pass state
        // holds only the state's Name and EnteredTime (`context_object/test_context_object`).
        if !matches!(state.action, program::Action::Task(_) | program::Action::Parallel { .. } | program::Action::Map(_))
            && let Some(entered) = context.get_mut("State").and_then(Value::as_object_mut)
        {
            entered.shift_remove("RetryCount");
        }
        // Set after `json!`, which would copy the input through serialization.
        if let Some(execution) = context.get_mut("Execution").and_then(Value::as_object_mut) {
            let input = fiber.child_execution.as_ref().map_or(&self.input, |child| &child.input);
            if with_input {
                execution.insert("Input".into(), Value::clone(input));
            } else {
                execution.shift_remove("Input");
            }
            if let Some(child) = &fiber.child_execution {
                // A Distributed Map's child is an execution of its own state machine.
                execution.insert("Id".into(), Value::String(child.arn.clone()));
                execution.insert("Name".into(), Value::String(child.name.clone()));
                execution.insert("StartTime".into(), Value::String(format_rfc3339(child.start)));
                let machine_name = child.state_machine_arn.rsplit(':').next().unwrap_or_default().to_string();
                context["StateMachine"] = json!({"Id": child.state_machine_arn, "Name": machine_name});
            }
        }
        if let Some(token) = task_token {
            context["Task"] = json!({"Token": token});
        }
        if let Some((index, value)) = &fiber.map_item {
            context["Map"] = json!({"Item": {"Index": index, "Value": value}});
        }
        context
    }
}

#[cfg(test)]
mod tests;
