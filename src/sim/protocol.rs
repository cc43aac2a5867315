//! The messages between the page and the engine worker, typed and versioned here only.
//!
//! The page (`ui::engine`) sends [`Request`]s; the worker (`src/bin/statecraft-worker.rs`, over
//! [`super::engine::Engine`]) answers each with one or more [`Response`]s carrying the
//! request's id. Every message travels as JSON text in an [`Envelope`] that names
//! [`VERSION`]; each side reads the version before the body, so a page and a worker from two
//! different builds say so in words instead of misreading each other.
//!
//! What is not the engine's is here too, because both sides must agree on it: how long the page
//! waits for an answer before it stops the worker ([`RUN_BUDGET_MS`]) and the words it then
//! puts on the run ([`stopped_words`]), and when it stops starting fresh workers ([`Restarts`],
//! [`engine_down_words`]).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::batch::{BatchRow, Coverage};
use super::generate::Template;
use super::handler::HandlerSet;
use super::live::RunRecord;
use super::scenario::Scenario;
use super::teststate::form::TestForm;
use crate::asl::clock::Millis;

/// The protocol's version: raise it whenever a message changes shape.
pub const VERSION: u32 = 6;

/// How long the page waits for the engine's next message about a request (a run's record, a
/// batch's progress) before it stops the worker and starts a fresh one. A runaway JSONata
/// expression meets its step or memory budget well before (`asl::jsonata::budget`); this is the
/// last resort for whatever else could hold the engine.
pub const RUN_BUDGET_MS: u32 = 5_000;

/// How often, at most, a batch posts its progress (the worker runs this long between two
/// looks at its messages, so a Stop is heard within it).
pub const BATCH_SLICE_MS: f64 = 50.0;

/// One message: the protocol version, the request's id (the page numbers its requests; a
/// response carries the id of the request it answers), and the body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub version: u32,
    pub id: u64,
    pub body: T,
}

/// What the page asks the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Start `scenario` and run it until it ends or a task waits for its token: answered by
    /// [`Response::Run`] (the whole record), or [`Response::Error`] when it cannot start. The
    /// run stays in the engine for what follows ([`Request::Callback`], [`Request::Redrive`]).
    Run { setup: Setup, scenario: Scenario },
    /// Answer the task of the engine's run that waits for its token, and run on: a new
    /// [`Response::Run`] (or [`Response::Heartbeat`] for a heartbeat).
    Callback { answer: CallbackAnswer },
    /// RedriveExecution of the engine's run with the handlers of `setup`, run on: a new
    /// [`Response::Run`].
    Redrive { setup: Setup },
    /// Run many scenarios: [`Response::BatchProgress`] as it goes, then [`Response::BatchDone`].
    Batch { setup: Setup, scenarios: BatchSource },
    /// Stop the batch running: it answers with [`Response::BatchDone`] for what it has done.
    StopBatch,
    /// Generate a suite or run one (the Tests tab): [`Response::SuiteProgress`] after each
    /// slice (the generation is one, then the runs in slices like a batch's), then
    /// [`Response::SuiteDone`].
    Suite { setup: Setup, job: SuiteJob },
    /// Stop the suite in progress: its request is answered with [`Response::SuiteStopped`].
    StopSuite,
    /// AWS's TestState for the state `state` of `definition`, filled in as `form`:
    /// [`Response::TestState`].
    TestState { definition: String, state: String, form: TestForm },
    /// The Export dialog's files for `definition` under `options`, `run.sh` starting
    /// `scenarios`: [`Response::Export`]. `services`: the catalogue files this engine has not
    /// been sent (the policy's `aws-sdk:` actions come from them). The exporters, the IAM
    /// policy and the templates' YAML run here, so the page's wasm does not carry them.
    Export { definition: String, options: crate::export::ExportOptions, scenarios: Vec<crate::export::Scenario>, services: Vec<(String, String)> },
    /// Open these files (a pasted template, files chosen together, a project's texts):
    /// [`Response::Opened`] with the state machines found, or why none opens, located. The
    /// template formats (Terraform/HCL, YAML, CloudFormation) run here, not in the page.
    Open(crate::formats::offer::Files),
    /// Save back: the template (and the files giving its values) of `source` with `definition`
    /// spliced in: [`Response::Saved`].
    Save { source: crate::formats::Source, definition: String },
    /// The inspector's "Convert to JSONata": `definition` with the state `state` (every state
    /// when `None`) converted from JSONPath, [`Response::Converted`]. The converter runs here,
    /// not in the page.
    Convert { definition: String, state: Option<crate::editor::scope::StateRef> },
}

/// Which scenarios a batch runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BatchSource {
    Scenarios(Vec<Scenario>),
    /// Generated in the engine: 10,000 of them would be megabytes of message otherwise.
    Generated(Template),
}

/// What a suite request asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SuiteJob {
    /// Generate a suite that reaches every reachable edge, starting from these scenarios (the
    /// document's), then run it to record what it covers.
    Generate { base: Vec<Scenario> },
    /// Run these scenarios (the document's suite) against their expected outcomes.
    Run { scenarios: Vec<Scenario> },
}

/// The answer to a task waiting for its token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CallbackAnswer {
    /// SendTaskSuccess with this output (JSON, already read by the page).
    Success { output: Value },
    /// SendTaskFailure.
    Failure { error: String, cause: String },
    /// SendTaskHeartbeat.
    Heartbeat,
}

/// What a run is made of: the definition's text as it runs (a template's placeholders
/// replaced), its handler choices, and the AWS API models this engine has not been sent yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Setup {
    pub definition: String,
    pub handlers: HandlerSet,
    /// (service, the text of its catalogue file): the engine keeps each one it is sent.
    #[serde(default)]
    pub services: Vec<(String, String)>,
    /// The S3 objects and DynamoDB items every execution starts with (the document's).
    #[serde(default)]
    pub stores: super::stores::StoreSeeds,
    /// The document's name: the state machine's name in `$$.StateMachine.Name` and the ARNs
    /// (`None`: the engine's default name).
    #[serde(default)]
    pub name: Option<String>,
}

impl Setup {
    /// The simulator of this setup: the definition compiled (its text read once), its
    /// handlers, its store seeds and its name. The catalogue is the caller's to add.
    pub fn simulator(&self) -> Result<super::batch::Simulator, super::batch::SetupError> {
        let simulator = super::batch::Simulator::new(&self.definition, &self.handlers)?.with_stores(&self.stores);
        Ok(match &self.name {
            Some(name) => simulator.named(name),
            None => simulator,
        })
    }
}

/// What the engine answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The worker has started and reads its messages (id 0): the page holds its requests until
    /// then, since a worker drops what arrives before it listens.
    Ready,
    /// The run as recorded so far: every moment up to its end or its wait for a callback.
    Run(RunRecord),
    /// The virtual time a heartbeat was received at, `None` when no task waits any more.
    Heartbeat { at: Option<Millis> },
    BatchProgress { done: usize, total: usize },
    BatchDone(BatchSummary),
    /// A suite's runs so far; `generated_runs`: how many executions its generation took, once
    /// it is generated.
    SuiteProgress { done: usize, total: usize, generated_runs: Option<usize> },
    SuiteDone(super::suite::view::Outcome),
    /// The suite was stopped after `done` of its `total` scenarios.
    SuiteStopped { done: usize, total: usize },
    TestState(TestStateAnswer),
    Export(ExportAnswer),
    Opened(crate::formats::offer::Found),
    /// Every file saved back, `(name, text)`, the definition's first; or why it cannot be
    /// written, in words.
    Saved(Result<Vec<(String, String)>, String>),
    /// The definition's new text with the states converted to JSONata, or every reason it
    /// cannot be, in words ([`Request::Convert`]).
    Converted(Result<String, String>),
    /// The request could not be carried out, in words (shown on the run).
    Error { message: String },
}

/// A batch's outcome: the counts, the first rows, coverage and the totals the cost needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub done: usize,
    pub total: usize,
    pub passed: usize,
    pub failed: usize,
    pub unchecked: usize,
    /// The first [`BatchSummary::ROWS`] rows.
    pub rows: Vec<RowView>,
    pub coverage: Coverage,
    /// Every state of the definition, in program order (coverage lists them all).
    pub states: Vec<String>,
    pub transitions: u64,
    pub duration_ms: i64,
}

impl BatchSummary {
    /// How many rows a summary carries.
    pub const ROWS: usize = 200;
}

/// One row of a batch as the table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    pub name: String,
    pub status: String,
    pub end_state: Option<String>,
    pub pass: Option<bool>,
    pub mismatches: Vec<String>,
    /// The output, or `error: cause`, in one line.
    pub summary: String,
}

impl From<&BatchRow> for RowView {
    fn from(row: &BatchRow) -> RowView {
        RowView {
            name: row.name.clone(),
            status: row.status.to_string(),
            end_state: row.end_state.clone(),
            pass: row.pass,
            mismatches: row.mismatches.clone(),
            summary: row.summary(),
        }
    }
}

/// TestState's answer as the panel shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TestStateAnswer {
    Body { status: String, next: Option<String>, body: String },
    /// AWS would refuse the request: why.
    Refused(String),
}

/// The generated files of an export as the dialog shows them, or why there are none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ExportAnswer {
    /// Every file in the exporter's order, and what the policy could not grant exactly, one
    /// located line each.
    Files { files: Vec<GeneratedFile>, warnings: Vec<String> },
    /// Why the files could not be generated, in words (a name AWS would refuse, a definition
    /// that is not JSON ...).
    Refused(String),
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeneratedFile {
    pub name: String,
    pub contents: String,
    /// A script, to mark executable in the zip.
    pub executable: bool,
}

impl ExportAnswer {
    /// The answer of an export.
    pub fn of(export: Result<crate::export::Export, crate::export::ExportError>) -> ExportAnswer {
        match export {
            Ok(export) => ExportAnswer::Files {
                files: export.files.into_iter().map(|f| GeneratedFile { name: f.name.to_string(), contents: f.contents, executable: f.executable }).collect(),
                // A message shared by many states (the same placeholder Resource) is one line.
                warnings: crate::export::resources::grouped(&export.warnings),
            },
            Err(e) => ExportAnswer::Refused(e.to_string()),
        }
    }
}

impl Response {
    /// What kind of answer this is, in words (the page names an answer it did not expect by
    /// this: formatting the whole answer with `Debug` linked every type's `Debug` into the page).
    pub fn what(&self) -> &'static str {
        match self {
            Response::Ready => "the engine being ready",
            Response::Run(_) => "a run",
            Response::Heartbeat { .. } => "a heartbeat",
            Response::BatchProgress { .. } => "a batch's progress",
            Response::BatchDone(_) => "a batch's summary",
            Response::SuiteProgress { .. } => "a suite's progress",
            Response::SuiteDone(_) => "a suite's outcome",
            Response::SuiteStopped { .. } => "a stopped suite",
            Response::TestState(_) => "a TestState answer",
            Response::Export(_) => "an export's files",
            Response::Opened(_) => "the files opened",
            Response::Saved(_) => "the files saved",
            Response::Converted(_) => "a converted definition",
            Response::Error { .. } => "an error",
        }
    }

    /// Whether more answers to the same request follow (a batch's progress).
    pub fn more_to_come(&self) -> bool {
        matches!(self, Response::BatchProgress { .. } | Response::SuiteProgress { .. })
    }
}

/// The kind of an answer's body as it is sent (`"Ready"`, `{"Run": ...}`): the [`Response`]
/// variant's name, read without decoding the rest.
pub fn kind_of(body: &Value) -> Option<&str> {
    match body {
        Value::String(kind) => Some(kind),
        Value::Object(map) if map.len() == 1 => map.keys().next().map(String::as_str),
        _ => None,
    }
}

/// Whether more answers to the same request follow one of this kind ([`Response::more_to_come`],
/// by the variant's name).
pub fn more_after(kind: &str) -> bool {
    matches!(kind, "BatchProgress" | "SuiteProgress")
}

/// The words of an [`Response::Error`] body, read without decoding the rest.
pub fn error_words(body: &Value) -> Option<&str> {
    body.get("Error")?.get("message")?.as_str()
}

/// An answer as the code that asked reads it. The page's link to the engine passes each
/// answer's body on as it came ([`Answer::read`] is called by the asker's callback), so the
/// page's first module carries only the decoders of the answers its own code asks for (a file
/// opened, saved back: [`OpenAnswer`], [`SaveAnswer`]), and the run record's, the batch's, the
/// suite's, TestState's and the export's decoders are in the parts of the page that ask for
/// them (README, "The page's wasm in parts"), each reading only its own kinds where it can
/// (`narrow_answer!`: a part holds a copy of every decoder it reaches). [`Response`] reads every
/// kind (the Run drawer's runs, batches and suites).
pub trait Answer: for<'de> Deserialize<'de> + 'static {
    /// The page's own error, in words (a stopped engine, an answer that could not be read).
    fn error(message: String) -> Self;

    /// Reads an answer's body; one of another kind than this type reads is an error in words.
    fn read(body: Value) -> Self {
        let kind = kind_of(&body).unwrap_or("no known kind").to_string();
        crate::asl::json::from_value(body).unwrap_or_else(|e| Self::error(format!("The engine's answer ({kind}) could not be read: {e}")))
    }
}

impl Answer for Response {
    fn error(message: String) -> Self {
        Response::Error { message }
    }
}

/// A narrow answer: the one kind a request is answered with, or [`Response::Error`]; read from the
/// same body as [`Response`], with the decoders of that kind only.
macro_rules! narrow_answer {
    ($(#[$doc:meta])* $name:ident { $kind:ident($ty:ty) }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        pub enum $name {
            $kind($ty),
            Error { message: String },
        }

        impl Answer for $name {
            fn error(message: String) -> Self {
                $name::Error { message }
            }
        }
    };
}

narrow_answer!(
    /// The answer to [`Request::Open`] (the page's first module: a file opened, a project dropped).
    OpenAnswer { Opened(crate::formats::offer::Found) }
);
narrow_answer!(
    /// The answer to [`Request::Save`] (the page's first module: Save template).
    SaveAnswer { Saved(Result<Vec<(String, String)>, String>) }
);
narrow_answer!(
    /// The answer to [`Request::Convert`] (the inspector's part).
    ConvertAnswer { Converted(Result<String, String>) }
);
narrow_answer!(
    /// The answer to [`Request::TestState`] (the inspector's part).
    TestStateReply { TestState(TestStateAnswer) }
);
narrow_answer!(
    /// The answer to [`Request::Export`] (the dialogs' part).
    ExportReply { Export(ExportAnswer) }
);

/// Why a message could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ProtocolError {
    /// The other side speaks another version of the protocol (it is from another build).
    Version { ours: u32, theirs: Option<u64> },
    /// Not a message of this protocol.
    Malformed(String),
}

impl std::fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProtocolError::Version { ours, theirs: Some(theirs) } => write!(
                f,
                "The page and the engine come from different builds (message protocol {theirs} received, {ours} expected): reload the page."
            ),
            ProtocolError::Version { ours, theirs: None } => {
                write!(f, "A message without a protocol version reached the engine link (version {ours} expected): reload the page.")
            }
            ProtocolError::Malformed(why) => write!(f, "A message between the page and the engine could not be read: {why}."),
        }
    }
}

/// The text of a message.
pub fn encode<T: Serialize>(id: u64, body: &T) -> String {
    #[derive(Serialize)]
    struct Out<'a, T> {
        version: u32,
        id: u64,
        body: &'a T,
    }
    // Only maps with string keys and plain values are written: serializing cannot fail.
    serde_json::to_string(&Out { version: VERSION, id, body }).unwrap_or_default()
}

/// Reads a message: its version first (a mismatch is [`ProtocolError::Version`], whatever the
/// body), then its body. The id is given back with the error when it could be read, so the
/// answer can say which request failed.
pub fn decode<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Envelope<T>, (Option<u64>, ProtocolError)> {
    // Read once into a `Value` (one JSON parser for every message type: `asl::json::from_text`),
    // then the head from it, then the body.
    let value: Value = serde_json::from_str(text).map_err(|e| (None, ProtocolError::Malformed(e.to_string())))?;
    let Value::Object(head) = &value else {
        return Err((None, ProtocolError::Malformed("not a JSON object".into())));
    };
    let id = match head.get("id") {
        None | Some(Value::Null) => None,
        Some(id) => Some(id.as_u64().ok_or_else(|| (None, ProtocolError::Malformed("the id is not a whole number".into())))?),
    };
    let version = head.get("version").and_then(Value::as_u64);
    if version != Some(u64::from(VERSION)) {
        return Err((id, ProtocolError::Version { ours: VERSION, theirs: version }));
    }
    crate::asl::json::from_value::<Envelope<T>>(value).map_err(|e| (id, ProtocolError::Malformed(e.to_string())))
}

/// Why the page stopped the engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopCause {
    /// No answer within [`RUN_BUDGET_MS`] of the request being posted (or of its last answer).
    NoAnswer { after_ms: u32 },
    /// The worker did not say it listens within [`START_BUDGET_MS`] of the request (its
    /// script or its wasm did not load, or failed before it could say so).
    NotStarted { after_ms: u32 },
    /// The worker failed (a trap, an out-of-memory): the browser's error event.
    Crashed,
    /// The person stopped it (Reset or Stop while the engine was busy).
    Asked,
}

/// How long the page waits for a worker to say it listens before it gives up on the requests
/// waiting for it and starts a fresh one: its script and wasm (about 800 KB gzipped) load after
/// the page's first paint, which on a slow connection or a busy machine takes seconds.
pub const START_BUDGET_MS: u32 = 20_000;

/// What a request asks the engine for, as the words of a stop name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// A run, a callback's answer, a redrive: said on the run.
    Run,
    /// A batch of runs (the Batch tab).
    Batch,
    /// A suite generated or run (the Tests tab).
    Suite,
    /// The inspector's "Test this state".
    TestState,
    /// The Export dialog's files.
    Export,
    /// Files opened, a template pasted, a project dropped: said after "x was not opened: ".
    Open,
    /// Save template: said after "The template was not saved: ".
    Save,
    /// Convert to JSONata: said after "Not converted: ".
    Convert,
}

impl Request {
    /// What the request asks for, in the words of a stop.
    pub fn work(&self) -> Work {
        match self {
            Request::Run { .. } | Request::Callback { .. } | Request::Redrive { .. } => Work::Run,
            Request::Batch { .. } | Request::StopBatch => Work::Batch,
            Request::Suite { .. } | Request::StopSuite => Work::Suite,
            Request::TestState { .. } => Work::TestState,
            Request::Export { .. } => Work::Export,
            Request::Open(_) => Work::Open,
            Request::Save { .. } => Work::Save,
            Request::Convert { .. } => Work::Convert,
        }
    }
}

/// What the page says when it stopped the engine while `work` waited on it, and how to go on:
/// on a run, that a fresh engine is ready; for a file opened or saved, the reason (the page puts
/// "x was not opened: " before it) and that trying again will work.
pub fn stopped_words(work: Work, cause: StopCause, detail: &str) -> String {
    let detail = detail.trim();
    let reason = match cause {
        StopCause::NoAnswer { after_ms } => format!("the engine did not answer within {} s", seconds(after_ms)),
        StopCause::NotStarted { after_ms } => format!("the engine did not start within {} s (its files may not have loaded)", seconds(after_ms)),
        StopCause::Crashed if detail.is_empty() => "the engine failed".into(),
        StopCause::Crashed => format!("the engine failed ({detail})"),
        StopCause::Asked => "the engine was stopped".into(),
    };
    // A fresh worker is started at once; it is ready when the old one had started.
    let fresh = if matches!(cause, StopCause::NotStarted { .. }) { "A fresh engine is starting" } else { "A fresh engine is ready" };
    let subject = match work {
        Work::Open | Work::Save | Work::Convert => return format!("{reason}. {fresh}: try again."),
        Work::Run => "The run",
        Work::Batch => "The batch",
        Work::Suite => "The suite",
        Work::TestState => "The test",
        Work::Export => "The export",
    };
    match cause {
        StopCause::NoAnswer { after_ms } => format!("{subject} was stopped after {} s: the engine did not answer. {fresh}.", seconds(after_ms)),
        StopCause::NotStarted { .. } => format!("{subject} did not start: {reason}. {fresh}: try again."),
        StopCause::Crashed if detail.is_empty() => format!("The engine failed and was stopped. {fresh}."),
        StopCause::Crashed => format!("The engine failed and was stopped ({detail}). {fresh}."),
        StopCause::Asked => format!("The engine was stopped. {fresh}."),
    }
}

/// How many workers in a row may be stopped without a word from any of them (its script or its
/// wasm failing to load, say: each fresh one fails the same way) before the page stops starting
/// fresh ones and says the engine could not start.
pub const RESTARTS_IN_A_ROW: u32 = 3;

/// The watchdog's count of workers stopped in a row without a word: it decides whether a stop
/// starts a fresh worker or gives up ([`RESTARTS_IN_A_ROW`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Restarts {
    silent: u32,
}

/// What follows a stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterStop {
    /// Start a fresh worker.
    StartFresh,
    /// Start none: the engine could not start ([`engine_down_words`]); every request is refused in those words.
    GiveUp,
}

impl Restarts {
    /// The worker said something (that it listens, an answer): it loaded, so the count starts again.
    pub fn heard(&mut self) {
        self.silent = 0;
    }

    /// A worker was stopped for `cause`: whether a fresh one is started. The person's own stop
    /// (Reset) is not the engine failing and counts for nothing, but does not forgive either.
    pub fn stopped(&mut self, cause: StopCause) -> AfterStop {
        if cause != StopCause::Asked {
            self.silent += 1;
        }
        self.after()
    }

    /// Whether the page has given up on the engine.
    pub fn after(&self) -> AfterStop {
        if self.silent >= RESTARTS_IN_A_ROW { AfterStop::GiveUp } else { AfterStop::StartFresh }
    }
}

/// What the page says, and each request is answered, once it has given up on the engine.
pub fn engine_down_words() -> String {
    format!("The engine could not start: it failed {RESTARTS_IN_A_ROW} times in a row before it said a word (its files may not have loaded). Reload the page to try again.")
}

fn seconds(ms: u32) -> String {
    if ms % 1000 == 0 { (ms / 1000).to_string() } else { format!("{:.1}", f64::from(ms) / 1000.0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::handler::{HandlerChoice, HandlerSpec};
    use crate::sim::run::RunEnd;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug>(id: u64, body: T) {
        let text = encode(id, &body);
        let back: Envelope<T> = decode(&text).unwrap_or_else(|(_, e)| panic!("{e}: {text}"));
        assert_eq!(back, Envelope { version: VERSION, id, body }, "{text}");
    }

    fn setup() -> Setup {
        let handlers: HandlerSet =
            [("ProcessData".to_string(), HandlerSpec { choice: HandlerChoice::Throw { error: "Boom".into(), cause: "down".into() }, latency_ms: 5 })].into();
        Setup { definition: crate::seed::ORDER_WORKFLOW.into(), handlers, services: vec![("sqs".into(), "{}".into())], stores: Default::default(), name: None }
    }

    /// A record with every part filled: a real run of the seed.
    fn record() -> RunRecord {
        let mut engine = crate::sim::engine::Engine::new();
        let scenario = crate::sim::scenario::seed_scenarios().remove(0);
        let broken = engine.handle(Envelope { version: VERSION, id: 1, body: Request::Run { setup: setup(), scenario: scenario.clone() } });
        assert!(matches!(&broken[0].body, Response::Error { message } if message.starts_with("The AWS API model of sqs is broken")), "{broken:?}");
        let setup = Setup { services: Vec::new(), ..setup() };
        let out = engine.handle(Envelope { version: VERSION, id: 1, body: Request::Run { setup, scenario } });
        match out.into_iter().next().map(|e| e.body) {
            Some(Response::Run(record)) => record,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn every_request_comes_back_as_it_was_sent() {
        let scenario = crate::sim::scenario::seed_scenarios().remove(1);
        round_trip(1, Request::Run { setup: setup(), scenario: scenario.clone() });
        round_trip(2, Request::Callback { answer: CallbackAnswer::Success { output: serde_json::json!({"ok": [1, 2.5, "x"]}) } });
        round_trip(3, Request::Callback { answer: CallbackAnswer::Failure { error: "Rejected".into(), cause: "no".into() } });
        round_trip(4, Request::Callback { answer: CallbackAnswer::Heartbeat });
        round_trip(5, Request::Redrive { setup: setup() });
        round_trip(6, Request::Batch { setup: setup(), scenarios: BatchSource::Scenarios(vec![scenario]) });
        round_trip(7, Request::Batch { setup: setup(), scenarios: BatchSource::Generated(Template { count: 10_000, ..Template::default() }) });
        round_trip(8, Request::StopBatch);
        let form = TestForm::for_state(None, "ProcessData");
        round_trip(9, Request::TestState { definition: crate::seed::ORDER_WORKFLOW.into(), state: "ProcessData".into(), form });
        round_trip(10, Request::Suite { setup: setup(), job: SuiteJob::Generate { base: crate::sim::scenario::seed_scenarios() } });
        round_trip(11, Request::Suite { setup: setup(), job: SuiteJob::Run { scenarios: crate::sim::scenario::seed_scenarios() } });
        round_trip(12, Request::StopSuite);
        let options = crate::export::ExportOptions { alarm: Some(crate::export::AlarmOptions { email: "ops@example.com".into() }), ..Default::default() };
        round_trip(13, Request::Export { definition: crate::seed::ORDER_WORKFLOW.into(), options, scenarios: crate::export::Scenario::seed_scenarios(), services: Vec::new() });
        use crate::formats::offer::Files;
        round_trip(14, Request::Open(Files::Pasted { text: "Resources: {}".into() }));
        round_trip(15, Request::Open(Files::Chosen { files: vec![("main.tf".into(), "resource \"x\" \"y\" {}".into()), ("a.asl.json".into(), "{}".into())] }));
        let skipped = vec![crate::formats::project::Skipped { path: "README.md".into(), why: "not JSON".into() }];
        round_trip(16, Request::Open(Files::Project { texts: vec![("app/t.yaml".into(), "x: 1".into())], skipped }));
        let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n";
        let opened = crate::formats::open("t.yaml", template).unwrap();
        let source = crate::formats::Source::new("t.yaml", opened.format, template, &opened.machines[0]);
        round_trip(17, Request::Save { source, definition: "{}".into() });
        let nested = crate::editor::scope::StateRef { scope: vec![crate::editor::scope::ScopeStep { state: "Fan out".into(), branch: 1 }], name: "B".into() };
        round_trip(18, Request::Convert { definition: "{}".into(), state: Some(nested) });
        round_trip(19, Request::Convert { definition: "{}".into(), state: None });
    }

    #[test]
    fn every_response_comes_back_as_it_was_sent() {
        let record = record();
        assert!(matches!(record.end, RunEnd::Succeeded { .. }), "the seed catches ProcessData's error: {:?}", record.end);
        assert!(!record.trace.is_empty() && record.moments.len() > 3 && !record.logs.is_empty());
        round_trip(1, Response::Run(record));
        round_trip(2, Response::Heartbeat { at: Some(1_000) });
        round_trip(3, Response::Heartbeat { at: None });
        round_trip(4, Response::BatchProgress { done: 50, total: 10_000 });
        let mut engine = crate::sim::engine::Engine::new();
        let scenarios = BatchSource::Generated(Template { count: 20, ..Template::default() });
        let setup = Setup { services: Vec::new(), ..setup() };
        let done = engine.handle(Envelope { version: VERSION, id: 5, body: Request::Batch { setup, scenarios } });
        assert!(done.is_empty(), "a batch answers slice by slice");
        let summary = std::iter::from_fn(|| engine.slice(&mut || true)).find_map(|e| match e.body {
            Response::BatchDone(s) => Some(s),
            _ => None,
        });
        let summary = summary.expect("the batch ends");
        assert_eq!((summary.done, summary.total), (20, 20));
        assert!(summary.coverage.edges.len() > 3, "{:?}", summary.coverage);
        round_trip(5, Response::BatchDone(summary));
        round_trip(6, Response::TestState(TestStateAnswer::Body { status: "SUCCEEDED".into(), next: Some("B".into()), body: "{}".into() }));
        round_trip(7, Response::TestState(TestStateAnswer::Refused("no".into())));
        round_trip(8, Response::Error { message: "The scenario's input is not JSON".into() });
        round_trip(0, Response::Ready);
        round_trip(9, Response::SuiteProgress { done: 50, total: 120, generated_runs: Some(300) });
        round_trip(10, Response::SuiteStopped { done: 50, total: 120 });
        let plain = Setup { services: Vec::new(), ..self::setup() };
        let outcome = crate::sim::suite::view::perform(plain.simulator().expect("compiles"), &serde_json::from_str(&plain.definition).unwrap(), crate::sim::suite::view::Job::Generate { base: Vec::new(), options: Default::default() });
        assert!(outcome.lines.len() > 1 && !outcome.coverage.edges.is_empty(), "{outcome:?}");
        assert!(outcome.coverage.per_scenario.iter().any(|r| !r.edges.is_empty()));
        round_trip(11, Response::SuiteDone(outcome));
        round_trip(12, Response::Export(ExportAnswer::Refused("no".into())));
        use crate::formats::offer::{Files, Found, open};
        let opened = open(&Files::Chosen { files: vec![("t.json".into(), crate::seed::ORDER_WORKFLOW.into())] });
        assert!(matches!(&opened, Found::Machines(Ok(m)) if m.len() == 1), "{opened:?}");
        round_trip(13, Response::Opened(opened));
        round_trip(14, Response::Opened(Found::Machines(Err("line 1, column 2: not YAML".into()))));
        let project = open(&Files::Project { texts: vec![("a/t.asl.json".into(), crate::seed::ORDER_WORKFLOW.into())], skipped: Vec::new() });
        assert!(matches!(&project, Found::Project { found, .. } if found.len() == 1), "{project:?}");
        round_trip(15, Response::Opened(project));
        round_trip(16, Response::Saved(Ok(vec![("t.yaml".into(), "x: 1\n".into())])));
        round_trip(17, Response::Saved(Err("the definition is not JSON".into())));
        round_trip(18, Response::Converted(Ok("{\"StartAt\": \"A\"}".into())));
        round_trip(19, Response::Converted(Err("/InputPath: no JSONata equivalent".into())));
        assert!(Response::SuiteProgress { done: 0, total: 0, generated_runs: None }.more_to_come());
        assert!(!Response::SuiteStopped { done: 0, total: 0 }.more_to_come());
    }

    /// The page's link reads an answer's kind, whether more follow, and an error's words from
    /// the body as sent, and the asker decodes the rest: both agree with [`Response`]'s own.
    #[test]
    fn answers_are_read_by_kind_before_they_are_decoded() {
        let answers = [
            Response::Ready,
            Response::Heartbeat { at: Some(5) },
            Response::BatchProgress { done: 1, total: 2 },
            Response::SuiteProgress { done: 0, total: 3, generated_runs: Some(7) },
            Response::SuiteStopped { done: 1, total: 3 },
            Response::Saved(Ok(vec![("t.yaml".into(), "x: 1\n".into())])),
            Response::Converted(Err("no".into())),
            Response::Error { message: "the engine stopped".into() },
        ];
        for answer in answers {
            let body = serde_json::to_value(&answer).unwrap();
            let kind = kind_of(&body).unwrap_or_else(|| panic!("{body}"));
            assert!(format!("{answer:?}").starts_with(kind), "{kind} for {answer:?}");
            assert_eq!(more_after(kind), answer.more_to_come(), "{kind}");
            let words = match &answer {
                Response::Error { message } => Some(message.as_str()),
                _ => None,
            };
            assert_eq!(error_words(&body), words);
            assert_eq!(<Response as Answer>::read(body), answer);
        }
    }

    #[test]
    fn an_answer_narrowed_to_its_request_reads_its_kinds_and_refuses_others_in_words() {
        let saved = serde_json::to_value(Response::Saved(Err("the definition is not JSON".into()))).unwrap();
        assert!(matches!(SaveAnswer::read(saved), SaveAnswer::Saved(Err(why)) if why == "the definition is not JSON"));
        let error = serde_json::to_value(Response::Error { message: "down".into() }).unwrap();
        assert!(matches!(OpenAnswer::read(error), OpenAnswer::Error { message } if message == "down"));
        let opened = crate::formats::offer::Found::Machines(Err("line 1, column 2: not YAML".into()));
        let body = serde_json::to_value(Response::Opened(opened.clone())).unwrap();
        assert!(matches!(OpenAnswer::read(body), OpenAnswer::Opened(found) if found == opened));
        let other = serde_json::to_value(Response::Converted(Ok("{}".into()))).unwrap();
        match OpenAnswer::read(other) {
            OpenAnswer::Error { message } => assert!(message.starts_with("The engine's answer (Converted) could not be read: "), "{message}"),
            answer => panic!("{answer:?}"),
        }
    }

    #[test]
    fn another_version_is_said_in_words_whatever_the_body() {
        let text = encode(7, &Request::StopBatch).replace(&format!("\"version\":{VERSION}"), "\"version\":99");
        let (id, error) = decode::<Request>(&text).unwrap_err();
        assert_eq!(id, Some(7));
        assert_eq!(error, ProtocolError::Version { ours: VERSION, theirs: Some(99) });
        assert!(error.to_string().contains("different builds") && error.to_string().contains("reload the page"), "{error}");
        let (id, error) = decode::<Response>(r#"{"id": 3, "body": {"Nonsense": 1}}"#).unwrap_err();
        assert_eq!((id, &error), (Some(3), &ProtocolError::Version { ours: VERSION, theirs: None }));
        let (_, error) = decode::<Request>(&format!(r#"{{"version": {VERSION}, "id": 4, "body": {{"Nonsense": 1}}}}"#)).unwrap_err();
        assert!(matches!(error, ProtocolError::Malformed(_)), "{error:?}");
        assert!(matches!(decode::<Request>("not json").unwrap_err(), (None, ProtocolError::Malformed(_))));
    }

    #[test]
    fn workers_that_fail_before_a_word_are_restarted_three_times_then_the_page_gives_up() {
        let mut r = Restarts::default();
        // A script that never loads: each fresh worker fails at once.
        assert_eq!(r.stopped(StopCause::Crashed), AfterStop::StartFresh);
        assert_eq!(r.stopped(StopCause::NotStarted { after_ms: START_BUDGET_MS }), AfterStop::StartFresh);
        assert_eq!(r.stopped(StopCause::Crashed), AfterStop::GiveUp);
        assert_eq!(r.after(), AfterStop::GiveUp);
        let words = engine_down_words();
        assert!(words.starts_with("The engine could not start") && words.contains(&format!("{RESTARTS_IN_A_ROW} times")) && words.ends_with("Reload the page to try again."), "{words}");

        // A worker that answers in between is forgiven: runaways stopped one after another,
        // each by a worker that had loaded, never add up.
        let mut r = Restarts::default();
        for _ in 0..10 {
            r.heard();
            assert_eq!(r.stopped(StopCause::NoAnswer { after_ms: RUN_BUDGET_MS }), AfterStop::StartFresh);
        }
        // The person's Reset is not the engine failing.
        let mut r = Restarts::default();
        for _ in 0..10 {
            assert_eq!(r.stopped(StopCause::Asked), AfterStop::StartFresh);
        }
        // ...nor does it forgive failures before it.
        assert_eq!(r.stopped(StopCause::Crashed), AfterStop::StartFresh);
        assert_eq!(r.stopped(StopCause::Crashed), AfterStop::StartFresh);
        assert_eq!(r.stopped(StopCause::Asked), AfterStop::StartFresh);
        assert_eq!(r.stopped(StopCause::Crashed), AfterStop::GiveUp);
    }

    #[test]
    fn a_stopped_engine_is_said_in_words() {
        assert_eq!(
            stopped_words(Work::Run, StopCause::NoAnswer { after_ms: RUN_BUDGET_MS }, ""),
            "The run was stopped after 5 s: the engine did not answer. A fresh engine is ready."
        );
        assert_eq!(stopped_words(Work::Run, StopCause::NoAnswer { after_ms: 2_500 }, "").split(':').next(), Some("The run was stopped after 2.5 s"));
        assert_eq!(
            stopped_words(Work::Run, StopCause::Crashed, " RuntimeError: unreachable "),
            "The engine failed and was stopped (RuntimeError: unreachable). A fresh engine is ready."
        );
        assert!(stopped_words(Work::Run, StopCause::Asked, "").ends_with("A fresh engine is ready."));
    }

    #[test]
    fn a_file_opened_or_saved_that_the_engine_never_answers_says_why_and_to_try_again() {
        let open = Request::Open(crate::formats::offer::Files::Pasted { text: "Resources: {}".into() });
        assert_eq!(open.work(), Work::Open);
        let template = "StartAt: A\nStates: {A: {Type: Pass, End: true}}\n";
        let opened = crate::formats::open("t.asl.yaml", template).unwrap();
        let source = crate::formats::Source::new("t.asl.yaml", opened.format, template, &opened.machines[0]);
        assert_eq!(Request::Save { source, definition: "{}".into() }.work(), Work::Save);
        assert_eq!(Request::Convert { definition: "{}".into(), state: None }.work(), Work::Convert);
        assert_eq!(
            stopped_words(Work::Convert, StopCause::Crashed, ""),
            "the engine failed. A fresh engine is ready: try again."
        );
        assert_eq!(Request::Redrive { setup: setup() }.work(), Work::Run);
        // Put after "x.yaml was not opened: " / "The template was not saved: ".
        assert_eq!(
            stopped_words(Work::Open, StopCause::NoAnswer { after_ms: RUN_BUDGET_MS }, ""),
            "the engine did not answer within 5 s. A fresh engine is ready: try again."
        );
        assert_eq!(
            stopped_words(Work::Save, StopCause::NotStarted { after_ms: START_BUDGET_MS }, ""),
            "the engine did not start within 20 s (its files may not have loaded). A fresh engine is starting: try again."
        );
        assert_eq!(stopped_words(Work::Open, StopCause::Crashed, "out of memory"), "the engine failed (out of memory). A fresh engine is ready: try again.");
        // A run waiting for an engine that never started says so too, not that it ran 5 s.
        assert_eq!(
            stopped_words(Work::Run, StopCause::NotStarted { after_ms: START_BUDGET_MS }, ""),
            "The run did not start: the engine did not start within 20 s (its files may not have loaded). A fresh engine is starting: try again."
        );
        assert!(stopped_words(Work::Batch, StopCause::NoAnswer { after_ms: RUN_BUDGET_MS }, "").starts_with("The batch was stopped after 5 s"));
    }
}
