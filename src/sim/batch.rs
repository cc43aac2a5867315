//! Running many scenarios: a [`Simulator`] compiles the definition and the handler set once and
//! runs scenarios on a virtual clock; a [`Batch`] runs a list in chunks (so a page can draw
//! between them), giving one [`BatchRow`] per scenario (outcome vs expected), the [`Coverage`]
//! of states and edges, and the totals the cost is computed from.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::handler::{CompiledHandlers, HandlerError, HandlerSet, TaskInfo, tasks, with_expectations};
use super::run::{END, RunModel, START};
use super::scenario::{Scenario, mismatches};
use crate::asl::clock::VirtualClock;
use crate::asl::interp::{Execution, ExecutionConfig, ExecutionType, Program};
use crate::asl::value::Payload;

/// A definition and handler set ready to run many times.
#[derive(Clone)]
pub struct Simulator {
    pub program: Arc<Program>,
    /// The definition as plain JSON, read once with the program (suites, the stores it names).
    pub definition: Payload,
    pub tasks: Vec<TaskInfo>,
    pub handlers: CompiledHandlers,
    pub execution_type: ExecutionType,
    /// The S3 objects every execution starts with (a Distributed Map's ItemReader reads them);
    /// each execution writes into its own copy.
    pub s3: crate::handlers::s3::ObjectStore,
    /// The DynamoDB items every execution starts with, by table; each execution writes into its
    /// own copy.
    pub tables: BTreeMap<String, Vec<serde_json::Map<String, Value>>>,
    /// The SQS messages and SNS subscriptions every execution starts with (the queues and
    /// topics of the document's store seeds; its buckets and tables are in `s3` and `tables`).
    pub messages: super::stores::StoreSeeds,
    /// A history limit below AWS's 25,000 events (a generated suite's: a polling loop whose
    /// Task always answers "not yet" fails sooner, the same way).
    pub history_limit: Option<usize>,
    /// The state machine's name in every execution: `$$.StateMachine.Name` and the state
    /// machine's and executions' ARNs. A document's runs use the document's name
    /// ([`Simulator::named`]); without one, the interpreter's neutral `StateMachine`.
    pub name: String,
}

/// Why a simulator could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum SetupError {
    /// The definition cannot run: where and why.
    Definition { pointer: String, message: String },
    Handlers(Vec<HandlerError>),
}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SetupError::Definition { pointer, message } => write!(f, "the definition cannot run: {message} ({pointer})"),
            SetupError::Handlers(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                f.write_str(&lines.join("; "))
            }
        }
    }
}

impl Simulator {
    /// Compiles `definition` and `handlers`. The text is read once: the span-keeping tree gives
    /// the model the program is compiled from, and the definition's JSON ([`Simulator::definition`])
    /// that what reads plain JSON takes (the expected answers, the stores it names, suites).
    pub fn new(definition: &str, handlers: &HandlerSet) -> Result<Simulator, SetupError> {
        let (root, lowered) = crate::asl::lower::lower_text(definition)
            .map_err(|d| SetupError::Definition { pointer: d.pointer.clone(), message: d.message.clone() })?;
        if let Some(d) = lowered.diagnostics.iter().find(|d| d.is_error()) {
            return Err(SetupError::Definition { pointer: d.pointer.clone(), message: d.message.clone() });
        }
        Simulator::compiled(&lowered.machine, root.to_serde(), handlers)
    }

    /// Compiles a document's model as it is (no round trip through its text) and `handlers`.
    pub fn from_machine(machine: &crate::asl::model::StateMachine, handlers: &HandlerSet) -> Result<Simulator, SetupError> {
        Simulator::compiled(machine, machine.to_json().to_serde(), handlers)
    }

    /// `machine` compiled, `definition` its JSON.
    fn compiled(machine: &crate::asl::model::StateMachine, definition: Value, handlers: &HandlerSet) -> Result<Simulator, SetupError> {
        let program = Program::compile(machine).map_err(|e| SetupError::Definition { pointer: e.pointer.clone(), message: e.message.clone() })?;
        let handlers = CompiledHandlers::compile(handlers).map_err(SetupError::Handlers)?;
        let tasks = with_expectations(tasks(&program), &definition);
        Ok(Simulator {
            program: Arc::new(program),
            definition: Payload::new(definition),
            tasks,
            handlers,
            execution_type: ExecutionType::Standard,
            s3: Default::default(),
            tables: BTreeMap::new(),
            messages: Default::default(),
            history_limit: None,
            name: ExecutionConfig::default().state_machine_name,
        })
    }

    /// The same simulator, every execution starting with the document's store seeds (in place
    /// of any S3 objects it had).
    pub fn with_stores(mut self, seeds: &super::stores::StoreSeeds) -> Simulator {
        self.s3 = seeds.objects(VirtualClock::START);
        self.tables = seeds.tables.clone();
        self.messages = super::stores::StoreSeeds { queues: seeds.queues.clone(), topics: seeds.topics.clone(), ..Default::default() };
        self
    }

    /// The same simulator, every execution starting with `seeds` besides what it had (a store
    /// named in both takes the seeds' contents; `statecraft test --stores` over `--s3`).
    pub fn with_more_stores(mut self, seeds: &super::stores::StoreSeeds) -> Simulator {
        for (bucket, objects) in &seeds.buckets {
            self.s3.create_bucket(bucket);
            for (key, body) in objects {
                self.s3.put_object(bucket, key, body.clone(), VirtualClock::START);
            }
        }
        self.tables.extend(seeds.tables.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.messages = self.messages.merged(&super::stores::StoreSeeds { queues: seeds.queues.clone(), topics: seeds.topics.clone(), ..Default::default() });
        self
    }

    /// The same simulator, its executions belonging to the state machine named after `name` (a
    /// document's name, made a valid state machine name as the export makes it, so a run's ARNs
    /// are the deployed machine's); a name with nothing valid in it keeps the one it has.
    pub fn named(mut self, name: &str) -> Simulator {
        use crate::export::names::{NameKind, name_from};
        self.name = name_from(NameKind::StateMachine, name, &self.name);
        self
    }

    /// A fresh handler registry for one execution (a redrive's, after the handlers changed).
    pub fn registry(&self) -> crate::asl::interp::HandlerRegistry {
        self.handlers.registry_over(&self.tasks, &self.fresh_store())
    }

    /// The same simulator, with default answers from `catalogue` (on wasm, the service files
    /// the page fetched; natively every service is embedded already).
    pub fn with_catalogue(mut self, catalogue: std::rc::Rc<crate::catalogue::Catalogue>) -> Simulator {
        self.handlers = self.handlers.with_catalogue(catalogue);
        self
    }

    /// Every state name of the program, branches included, in program order.
    pub fn state_names(&self) -> Vec<Arc<str>> {
        self.program.scopes.iter().flat_map(|s| s.states.iter().map(|st| st.name.clone())).collect()
    }

    /// Starts an execution of `input` (not yet run); `seed` seeds its RNG.
    pub fn start(&self, input: Value, seed: u64) -> Execution {
        self.start_with(input, seed, false)
    }

    /// [`Simulator::start`] over the caller's service store (its tables, queues, topics and
    /// buckets, seeded before and read after the run), in place of a copy of [`Simulator::s3`].
    pub fn start_over(&self, input: Value, seed: u64, store: &crate::handlers::services::SharedStore) -> Execution {
        Execution::start(self.program.clone(), input, Box::new(VirtualClock::default()), self.handlers.registry_over(&self.tasks, store), self.config(seed, false))
    }

    /// A zero-configuration store holding a copy of [`Simulator::s3`] and [`Simulator::tables`].
    pub fn fresh_store(&self) -> crate::handlers::services::SharedStore {
        let store = super::handler::zero_configuration_store();
        let buckets = self.s3.buckets.clone();
        let mut held = store.borrow_mut();
        held.s3.buckets = buckets;
        for (name, items) in &self.tables {
            held.tables.entry(name.clone()).or_default().items.extend(items.iter().cloned());
        }
        self.messages.seed_messages(&mut held);
        drop(held);
        store
    }

    fn config(&self, seed: u64, quiet: bool) -> ExecutionConfig {
        let mut config = ExecutionConfig {
            seed,
            execution_type: self.execution_type,
            state_machine_name: self.name.clone(),
            quiet,
            ..ExecutionConfig::default()
        };
        if let Some(limit) = self.history_limit {
            config.quotas.history_events = Some(limit);
        }
        config
    }

    /// [`Simulator::start`]; `quiet`: nobody will read the handlers' log lines.
    fn start_with(&self, input: Value, seed: u64, quiet: bool) -> Execution {
        // A fresh store per execution: only when something is seeded does it need a copy.
        let registry = if self.s3.buckets.is_empty() && self.tables.is_empty() && self.messages.is_empty() { self.handlers.registry(&self.tasks) } else { self.handlers.registry_over(&self.tasks, &self.fresh_store()) };
        Execution::start(self.program.clone(), input, Box::new(VirtualClock::default()), registry, self.config(seed, quiet))
    }

    /// Runs `input` to its end (or to a callback it waits for that no handler answers:
    /// [`CompiledHandlers::answer_callbacks`]).
    pub fn run(&self, input: Value, seed: u64) -> RunModel {
        let mut execution = self.start(input, seed);
        execution.run();
        self.handlers.answer_callbacks(&mut execution);
        RunModel::of(&execution)
    }

    /// [`Simulator::run`] for a batch: the handlers' log lines, which a batch never shows, are
    /// not formatted. The history, and so the run model, is the same.
    pub fn run_quiet(&self, input: Value, seed: u64) -> RunModel {
        let mut execution = self.start_with(input, seed, true);
        execution.run();
        self.handlers.answer_callbacks(&mut execution);
        RunModel::of(&execution)
    }

    /// This simulator with a scenario's own handler choices over the document's (itself when
    /// the scenario has none).
    pub fn for_scenario(&self, handlers: &HandlerSet) -> Result<Simulator, SetupError> {
        if handlers.is_empty() {
            return Ok(self.clone());
        }
        let compiled = self.handlers.overlay(handlers).map_err(SetupError::Handlers)?;
        Ok(Simulator { handlers: compiled, ..self.clone() })
    }
}

/// One scenario's outcome in a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    pub name: String,
    pub status: &'static str,
    pub end_state: Option<String>,
    /// `None` when nothing was expected.
    pub pass: Option<bool>,
    /// The run, for coverage of goals finer than edges (`None` when the scenario could not run).
    pub run: Option<Arc<RunModel>>,
    pub mismatches: Vec<String>,
    /// Billed transitions: states entered plus retries.
    pub transitions: u64,
    pub duration_ms: i64,
    /// The output, or the error and cause (formatted only when shown: [`BatchRow::summary`]).
    pub result: Result<Payload, (Option<String>, Option<String>)>,
}

impl BatchRow {
    /// The output, or `error: cause`, in one line.
    pub fn summary(&self) -> String {
        match &self.result {
            Ok(output) => serde_json::to_string(&**output).unwrap_or_default(),
            Err((error, cause)) => format!("{}: {}", error.as_deref().unwrap_or(""), cause.as_deref().unwrap_or("")),
        }
    }
}

/// How often each state and edge ran over a batch. Serde: the engine worker sends it to the page
/// (`sim::protocol`), edges as `[from, to, count]` triples (JSON keys are strings only).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Coverage {
    pub states: BTreeMap<Arc<str>, u64>,
    /// (from, to) state names, with [`START`] and [`END`] for the markers.
    #[serde(with = "edge_counts")]
    pub edges: BTreeMap<(Arc<str>, Arc<str>), u64>,
    pub runs: u64,
    /// Per state, the runs in which it failed (uncaught).
    pub failed: BTreeMap<Arc<str>, u64>,
}

/// How hot a state is drawn in the heat map: a neutral sequential scale (never run, then five
/// steps up to the most visited), and apart from it, failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heat {
    Never,
    /// 1 to 5: the share of the busiest state's visits, in fifths (rounded up).
    Level(u8),
}

impl Heat {
    /// The legend: each level's class and what it means.
    pub const LEGEND: [(&'static str, &'static str); 6] = [
        ("heat-0", "never run"),
        ("heat-1", "up to 20 % of the busiest state's visits"),
        ("heat-2", "up to 40 %"),
        ("heat-3", "up to 60 %"),
        ("heat-4", "up to 80 %"),
        ("heat-5", "up to 100 %"),
    ];

    /// `heat-0` ... `heat-5`.
    pub fn class(self) -> String {
        match self {
            Heat::Never => "heat-0".into(),
            Heat::Level(n) => format!("heat-{n}"),
        }
    }
}

impl Coverage {
    /// Adds one run.
    pub fn add(&mut self, run: &RunModel) {
        self.runs += 1;
        for (name, state) in &run.states {
            *self.states.entry(name.clone()).or_default() += u64::from(state.visits);
        }
        for (name, state) in &run.states {
            if state.status == super::run::StateStatus::Failed {
                *self.failed.entry(name.clone()).or_default() += 1;
            }
        }
        for (edge, count) in &run.edges {
            *self.edges.entry(edge.clone()).or_default() += u64::from(*count);
        }
    }

    /// The states of `all` that never ran.
    pub fn never_reached(&self, all: &[Arc<str>]) -> Vec<String> {
        all.iter().filter(|n| !self.states.contains_key(*n)).map(|n| n.to_string()).collect()
    }

    /// A state's step on the heat map's scale.
    pub fn heat_level(&self, state: &str) -> Heat {
        match self.heat(state) {
            h if h <= 0.0 => Heat::Never,
            h => Heat::Level((h * 5.0).ceil().clamp(1.0, 5.0) as u8),
        }
    }

    /// In how many runs the state failed.
    pub fn failures(&self, state: &str) -> u64 {
        self.failed.get(state).copied().unwrap_or(0)
    }

    /// A state's heat from 0 (never) to 1 (the most visited).
    pub fn heat(&self, state: &str) -> f64 {
        let max = self.states.values().copied().max().unwrap_or(0);
        match (self.states.get(state), max) {
            (Some(&n), m) if m > 0 => n as f64 / m as f64,
            _ => 0.0,
        }
    }

    /// How often an edge was taken (`START`/`END` for the markers).
    pub fn edge_count(&self, from: &str, to: &str) -> u64 {
        self.edges.iter().filter(|((f, t), _)| &**f == from && &**t == to).map(|(_, n)| *n).sum()
    }
}

/// A batch of scenarios run in chunks.
pub struct Batch {
    simulator: Simulator,
    scenarios: Vec<Scenario>,
    next: usize,
    pub rows: Vec<BatchRow>,
    pub coverage: Coverage,
    pub transitions: u64,
    pub duration_ms: i64,
    /// Keep each row's [`RunModel`] (a suite's coverage reads them; a batch of thousands does not).
    pub keep_runs: bool,
    /// The seed of every run (a suite's: each scenario runs as it was generated); `None`: the
    /// scenario's index.
    pub fixed_seed: Option<u64>,
}

impl Batch {
    pub fn new(simulator: Simulator, scenarios: Vec<Scenario>) -> Batch {
        Batch {
            simulator,
            rows: Vec::with_capacity(scenarios.len()),
            scenarios,
            next: 0,
            coverage: Coverage::default(),
            transitions: 0,
            duration_ms: 0,
            keep_runs: false,
            fixed_seed: None,
        }
    }

    pub fn len(&self) -> usize {
        self.scenarios.len()
    }

    /// The scenarios it runs, in order.
    pub fn scenarios(&self) -> &[Scenario] {
        &self.scenarios
    }

    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
    }

    /// Scenarios run so far.
    pub fn done(&self) -> usize {
        self.next
    }

    pub fn finished(&self) -> bool {
        self.next >= self.scenarios.len()
    }

    /// Runs up to `count` more scenarios; gives how many ran.
    pub fn run_chunk(&mut self, count: usize) -> usize {
        let end = self.next.saturating_add(count).min(self.scenarios.len());
        let ran = end - self.next;
        while self.next < end {
            let row = self.run_one(self.next);
            self.rows.push(row);
            self.next += 1;
        }
        ran
    }

    /// Runs everything left.
    pub fn run_all(&mut self) {
        self.run_chunk(usize::MAX);
    }

    fn run_one(&mut self, index: usize) -> BatchRow {
        let scenario = &self.scenarios[index];
        let simulator = self.simulator.for_scenario(&scenario.handlers).map_err(|e| format!("scenario '{}': {e}", scenario.name));
        let (run, input_error) = match (scenario.parsed_input(), simulator) {
            (Ok(input), Ok(simulator)) => (Some(simulator.run_quiet(input, self.fixed_seed.unwrap_or(index as u64))), None),
            (Err(e), _) | (_, Err(e)) => (None, Some(e)),
        };
        let Some(run) = run else {
            return BatchRow {
                name: scenario.name.clone(),
                status: "INVALID_INPUT",
                end_state: None,
                pass: Some(false),
                run: None,
                mismatches: vec![input_error.unwrap_or_default()],
                transitions: 0,
                duration_ms: 0,
                result: Err((None, None)),
            };
        };
        self.coverage.add(&run);
        let transitions = billed_transitions(&run);
        self.transitions += transitions;
        self.duration_ms += run.duration_ms;
        let found = scenario.expected.as_ref().map(|e| mismatches(e, &run));
        BatchRow {
            name: scenario.name.clone(),
            status: run.status,
            end_state: run.end_state.clone(),
            pass: found.as_ref().map(Vec::is_empty),
            run: self.keep_runs.then(|| Arc::new(run.clone())),
            mismatches: found.unwrap_or_default(),
            transitions,
            duration_ms: run.duration_ms,
            result: match &run.output {
                Some(output) => Ok(output.clone()),
                None => Err((run.error.clone(), run.cause.clone())),
            },
        }
    }

    /// Rows that passed, failed, and had nothing expected.
    pub fn tally(&self) -> (usize, usize, usize) {
        let passed = self.rows.iter().filter(|r| r.pass == Some(true)).count();
        let failed = self.rows.iter().filter(|r| r.pass == Some(false)).count();
        (passed, failed, self.rows.len() - passed - failed)
    }
}

/// What Standard bills for a run: every state entered, and every retry.
pub fn billed_transitions(run: &RunModel) -> u64 {
    run.visits.len() as u64 + run.states.values().map(|s| u64::from(s.retries)).sum::<u64>()
}

/// The marker names, for matching edges drawn to the Start and End markers.
pub fn is_marker(name: &str) -> bool {
    name == START || name == END
}

/// [`Coverage::edges`] as a list of `(from, to, count)`.
mod edge_counts {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    type Edges = BTreeMap<(Arc<str>, Arc<str>), u64>;

    pub fn serialize<S: Serializer>(edges: &Edges, s: S) -> Result<S::Ok, S::Error> {
        let triples: Vec<(&str, &str, u64)> = edges.iter().map(|((from, to), n)| (&**from, &**to, *n)).collect();
        triples.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Edges, D::Error> {
        let triples = Vec::<(Arc<str>, Arc<str>, u64)>::deserialize(d)?;
        Ok(crate::asl::sort::map(triples.into_iter().map(|(from, to, n)| ((from, to), n))))
    }
}

#[cfg(test)]
mod heat_tests {
    use super::*;
    use crate::sim::handler::{HandlerChoice, HandlerSpec};

    #[test]
    fn the_heat_map_steps_through_five_levels_and_counts_failures_apart() {
        let mut handlers = HandlerSet::new();
        handlers.insert("SendNotification".into(), HandlerSpec { choice: HandlerChoice::Throw { error: "Down".into(), cause: String::new() }, latency_ms: 0 });
        let sim = Simulator::new(crate::seed::ORDER_WORKFLOW, &handlers).unwrap();
        let mut coverage = Coverage::default();
        for input in crate::seed::TEST_INPUTS {
            coverage.add(&sim.run(serde_json::from_str(input.input).unwrap(), 0));
        }
        assert_eq!(coverage.heat_level("ValidateInput"), Heat::Level(5), "in all three runs");
        assert_eq!(coverage.heat_level("HandleError"), Heat::Level(4), "two of three: 67 %, the fourth step");
        assert_eq!(coverage.heat_level("ProcessData"), Heat::Level(2), "one of three: 33 %");
        assert_eq!(coverage.heat_level("Nowhere"), Heat::Never);
        assert_eq!(coverage.failures("SendNotification"), 1);
        assert_eq!(coverage.failures("ValidateInput"), 0);
        assert_eq!(Heat::Level(3).class(), "heat-3");
        assert_eq!(Heat::LEGEND.len(), 6);
    }
}
