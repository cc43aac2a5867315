//! The engine, on the worker's side of `sim::protocol`: what the engine worker
//! (`src/bin/statecraft-worker.rs`) does with each request, as a plain state machine the worker
//! only feeds with message text and a clock. It holds the service catalogue it has been sent,
//! the run the page is looking at (a [`Session`]: the execution and its moments, so a callback
//! or a redrive continues it) and the work in progress (a batch, or a suite generated then run),
//! done slice by slice so the worker reads its messages (a Stop) between slices.

use std::rc::Rc;
use std::sync::Arc;

use super::batch::{Batch, Simulator};
use super::generate::generate;
use super::live::{ChildRecord, Moment, RunRecord};
use super::protocol::{
    BatchSource, BatchSummary, CallbackAnswer, Envelope, ExportAnswer, Request, Response, RowView, Setup, SuiteJob, TestStateAnswer, VERSION, decode, encode,
};
use super::suite::{coverage, generate::Generation, generate::Options, view as suite_view};
use super::run::RunEnd;
use super::scenario::Scenario;
use crate::asl::interp::{Execution, StatesError, StepOutcome};
use crate::catalogue::Catalogue;
use crate::asl::value::Payload;

/// Scenarios run between two looks at the clock.
const CHUNK: usize = 50;

/// Executions a suite's generation runs between two looks at the slice's time.
const GENERATION_STEP: usize = 10;

/// One execution the page is looking at, with every moment recorded.
pub struct Session {
    exec: Execution,
    /// The simulated services' store the execution reads and writes (seeded from the
    /// simulator's store seeds; a redrive goes on over it, as on AWS).
    store: crate::handlers::services::SharedStore,
    /// The stores the definition names, shown even while empty.
    referenced: super::stores::Referenced,
    /// The stores at the start and every change made since.
    store_log: super::stores::StoreLog,
    moments: Vec<Moment>,
    /// The handlers the run was started with: a callback answered in advance
    /// ([`super::handler::HandlerChoice::Callback`] with an answer) is delivered as the task
    /// waits, as batches and suites deliver it.
    handlers: super::handler::CompiledHandlers,
    callback_failures: super::handler::CallbackFailures,
}

impl Session {
    /// Starts `scenario` on `simulator` and runs it until it ends or waits for a callback; or
    /// says why it cannot start.
    /// `referenced`: the stores the definition names, listed in the record even while empty.
    pub fn start(simulator: &Simulator, scenario: &Scenario, referenced: super::stores::Referenced) -> Result<Session, String> {
        let input = scenario.parsed_input()?;
        // The scenario's own handler choices over the document's, as a batch runs it.
        let simulator = &simulator.for_scenario(&scenario.handlers).map_err(|e| e.to_string())?;
        if let Some(refused) = crate::asl::interp::quota::execution_input_error(&scenario.input) {
            return Err(format!("AWS would not start this execution: {refused}"));
        }
        let store = simulator.fresh_store();
        let mut exec = simulator.start_over(input, 0, &store);
        exec.enable_trace();
        let handlers = simulator.handlers.clone();
        let store_log = super::stores::StoreLog::new(&store.borrow(), &referenced);
        let mut session = Session { exec, store, referenced, store_log, moments: Vec::new(), handlers, callback_failures: Default::default() };
        session.mark();
        session.run();
        Ok(session)
    }

    fn mark(&mut self) {
        let events = self.exec.history().len();
        let stores = self.store_log.follow(&self.store.borrow());
        if let Some(last) = self.moments.last_mut()
            && last.events == events
        {
            last.stores = stores;
            return;
        }
        let now = self.exec.top_level_variables();
        let variables = match self.moments.last() {
            Some(m) if *m.variables == now => m.variables.clone(),
            _ => Arc::new(now),
        };
        let counts: Vec<(String, usize)> = self.exec.logs().groups().map(|(g, l)| (g.to_string(), l.len())).collect();
        let logs = match self.moments.last() {
            Some(m) if *m.logs == counts => m.logs.clone(),
            _ => Arc::new(counts),
        };
        self.moments.push(Moment { events, trace: self.exec.trace().len(), children: self.exec.child_histories().len(), variables, logs, stores });
    }

    /// Steps until the execution ends or waits for a callback nobody answered in advance,
    /// recording every moment; a callback answered in advance is delivered as the task waits.
    fn run(&mut self) -> StepOutcome {
        use super::handler::CallbackRound;
        let mut rounds = 0;
        loop {
            let outcome = self.exec.step();
            self.mark();
            if outcome != StepOutcome::AwaitingCallback {
                if outcome == StepOutcome::Progressed {
                    continue;
                }
                return outcome;
            }
            rounds += 1;
            if rounds > 10_000 {
                return outcome;
            }
            match self.handlers.answer_callbacks_once(&mut self.exec, &mut self.callback_failures) {
                CallbackRound::Idle => return outcome,
                CallbackRound::Answered | CallbackRound::Waited => self.mark(),
            }
        }
    }

    /// The execution as recorded so far.
    pub fn record(&self) -> RunRecord {
        let exec = &self.exec;
        RunRecord {
            history: exec.history().to_vec(),
            children: exec
                .child_histories()
                .iter()
                .map(|c| ChildRecord { map_state: c.map_state.to_string(), name: c.name.clone(), events: c.events.clone() })
                .collect(),
            trace: exec.trace().to_vec(),
            moments: Moment::records(&self.moments),
            transitions: exec.transitions(),
            end: RunEnd::of(exec.status()),
            pending_token: exec.pending_task_tokens().into_iter().next(),
            now: exec.now(),
            logs: exec.logs().groups().map(|(g, lines)| (g.to_string(), lines.to_vec())).collect(),
            stores: super::stores::StoresView::of(&self.store.borrow(), &self.referenced),
            stores_start: self.store_log.start().clone(),
            store_changes: self.store_log.changes().to_vec(),
        }
    }

    /// Answers the task waiting for its token and runs on. A heartbeat gives the virtual time it
    /// was received at (`None` when nothing waits).
    pub fn answer(&mut self, answer: CallbackAnswer) -> Result<Option<crate::asl::clock::Millis>, String> {
        let token = self.exec.pending_task_tokens().into_iter().next().ok_or("No task is waiting for a callback.")?;
        match answer {
            CallbackAnswer::Success { output } => {
                self.exec.send_task_success(&token, output);
            }
            CallbackAnswer::Failure { error, cause } => {
                self.exec.send_task_failure(&token, StatesError::new(&error, &cause));
            }
            CallbackAnswer::Heartbeat => return Ok(self.exec.send_task_heartbeat(&token).then(|| self.exec.now())),
        }
        self.run();
        Ok(None)
    }

    /// RedriveExecution with the handlers of `simulator` (what the services answer now), then
    /// runs on.
    pub fn redrive(&mut self, simulator: &Simulator) -> Result<u32, String> {
        // The redriven execution goes on over the same store: what it wrote before it failed
        // is still there, as on AWS.
        let registry = simulator.handlers.registry_over(&simulator.tasks, &self.store);
        self.handlers = simulator.handlers.clone();
        let count = self.exec.redrive(Some(registry)).map_err(|e| format!("Cannot redrive: {e}."))?;
        self.mark();
        self.run();
        Ok(count)
    }
}

/// A batch in progress and the request it answers.
struct BatchJob {
    id: u64,
    batch: Batch,
    states: Vec<String>,
}

/// A suite in progress and the request it answers: generated step by step (when asked), then
/// run chunk by chunk like a batch; a Stop is read between any two.
struct SuiteWork {
    id: u64,
    stage: SuiteStage,
}

enum SuiteStage {
    Generate { simulator: Simulator, generation: Box<Generation> },
    Run { batch: Batch, definition: Payload, generated_runs: Option<usize> },
}

/// What the engine works on between messages.
enum Work {
    Batch(BatchJob),
    Suite(SuiteWork),
}

/// The engine: the catalogue it has been sent, the run being looked at, the work in progress.
pub struct Engine {
    catalogue: Rc<Catalogue>,
    session: Option<Session>,
    work: Option<Work>,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

impl Engine {
    pub fn new() -> Engine {
        Engine { catalogue: Rc::new(Catalogue::built_in()), session: None, work: None }
    }

    /// Reads one message and answers it: the texts to post back (none for a batch or a suite,
    /// whose answers come from [`Engine::slice`]). A message of another protocol version, or
    /// one that cannot be read, is answered with [`Response::Error`] in words.
    pub fn receive(&mut self, text: &str) -> Vec<String> {
        match decode::<Request>(text) {
            Ok(envelope) => self.handle(envelope).iter().map(|e| encode(e.id, &e.body)).collect(),
            Err((id, error)) => vec![encode(id.unwrap_or(0), &Response::Error { message: error.to_string() })],
        }
    }

    /// Carries out one request.
    pub fn handle(&mut self, request: Envelope<Request>) -> Vec<Envelope<Response>> {
        let id = request.id;
        let body = match request.body {
            Request::Run { setup, scenario } => {
                self.session = None;
                match self.simulator(&setup).and_then(|s| Session::start(&s, &scenario, super::stores::Referenced::of_definition(&s.definition))) {
                    Ok(session) => {
                        let record = session.record();
                        self.session = Some(session);
                        Response::Run(record)
                    }
                    Err(message) => Response::Error { message },
                }
            }
            Request::Callback { answer } => match self.session.as_mut().map(|s| s.answer(answer.clone())) {
                None => Response::Error { message: "No run is waiting for a callback: run the scenario again.".into() },
                Some(Err(message)) => Response::Error { message },
                Some(Ok(at)) if answer == CallbackAnswer::Heartbeat => Response::Heartbeat { at },
                Some(Ok(_)) => Response::Run(self.session.as_ref().map(Session::record).expect("a session answered")),
            },
            Request::Redrive { setup } => match self.simulator(&setup) {
                Err(message) => Response::Error { message },
                Ok(simulator) => match self.session.as_mut() {
                    None => Response::Error { message: "There is no run to redrive: run the scenario again.".into() },
                    Some(session) => match session.redrive(&simulator) {
                        Ok(_) => Response::Run(session.record()),
                        Err(message) => Response::Error { message },
                    },
                },
            },
            Request::Batch { setup, scenarios } => {
                let scenarios = match scenarios {
                    BatchSource::Scenarios(list) => Ok(list),
                    BatchSource::Generated(template) => generate(&template),
                };
                match scenarios.and_then(|list| self.simulator(&setup).map(|s| (s, list))) {
                    Ok((simulator, list)) => {
                        let states = simulator.state_names().iter().map(|n| n.to_string()).collect();
                        self.work = Some(Work::Batch(BatchJob { id, batch: Batch::new(simulator, list), states }));
                        return Vec::new();
                    }
                    Err(message) => Response::Error { message },
                }
            }
            Request::StopBatch => match self.work.take() {
                Some(Work::Batch(job)) => return vec![Envelope { version: VERSION, id: job.id, body: Response::BatchDone(summary(&job)) }],
                other => {
                    self.work = other;
                    return Vec::new();
                }
            },
            Request::Suite { setup, job } => match self.simulator(&setup) {
                Ok(simulator) => {
                    let simulator = suite_view::for_suites(simulator);
                    let stage = match job {
                        SuiteJob::Generate { base } => {
                            let generation = Box::new(Generation::new(&simulator, &simulator.definition, &base, Options::default()));
                            SuiteStage::Generate { simulator, generation }
                        }
                        SuiteJob::Run { scenarios } => {
                            SuiteStage::Run { definition: simulator.definition.clone(), batch: coverage::suite_batch(simulator, scenarios), generated_runs: None }
                        }
                    };
                    self.work = Some(Work::Suite(SuiteWork { id, stage }));
                    return Vec::new();
                }
                Err(message) => Response::Error { message },
            },
            Request::StopSuite => match self.work.take() {
                Some(Work::Suite(work)) => {
                    let (done, total) = match &work.stage {
                        SuiteStage::Generate { .. } => (0, 0),
                        SuiteStage::Run { batch, .. } => (batch.done(), batch.len()),
                    };
                    return vec![Envelope { version: VERSION, id: work.id, body: Response::SuiteStopped { done, total } }];
                }
                other => {
                    self.work = other;
                    return Vec::new();
                }
            },
            Request::Export { definition, options, scenarios, services } => match self.learn(&services) {
                Err(message) => Response::Error { message },
                Ok(()) => Response::Export(ExportAnswer::of(crate::export::export_with(&definition, &options, &scenarios, &self.catalogue))),
            },
            Request::Open(files) => Response::Opened(crate::formats::offer::open(&files)),
            Request::Save { source, definition } => Response::Saved(crate::formats::offer::save(&source, &definition)),
            Request::Convert { definition, state } => Response::Converted(crate::editor::convert::convert_text(&definition, state.as_ref())),
            Request::TestState { definition, state, form } => {
                Response::TestState(match super::teststate::test_state(&form.request(&definition, &state)) {
                    Ok(response) => TestStateAnswer::Body {
                        status: response.status.name().to_string(),
                        next: response.next_state.clone(),
                        body: serde_json::to_string_pretty(&response.to_json()).unwrap_or_default(),
                    },
                    Err(e) => TestStateAnswer::Refused(e.to_string()),
                })
            }
        };
        vec![Envelope { version: VERSION, id, body }]
    }

    /// Whether work (a batch, a suite) is in progress.
    pub fn working(&self) -> bool {
        self.work.is_some()
    }

    /// Works on what is in progress while `more` says there is time left in this slice (checked
    /// after each chunk): its progress, or its outcome when it has ended. `None` without work.
    pub fn slice(&mut self, more: &mut dyn FnMut() -> bool) -> Option<Envelope<Response>> {
        let (id, body, finished) = match self.work.as_mut()? {
            Work::Batch(job) => {
                loop {
                    job.batch.run_chunk(CHUNK);
                    if job.batch.finished() || !more() {
                        break;
                    }
                }
                match job.batch.finished() {
                    true => (job.id, Response::BatchDone(summary(job)), true),
                    false => (job.id, Response::BatchProgress { done: job.batch.done(), total: job.batch.len() }, false),
                }
            }
            Work::Suite(work) => match &mut work.stage {
                SuiteStage::Generate { simulator, generation } => {
                    // A few runs a step (each is milliseconds at most), until the slice's time is up.
                    loop {
                        if generation.advance(GENERATION_STEP) || !more() {
                            break;
                        }
                    }
                    if !generation.done() {
                        let body = Response::SuiteProgress { done: 0, total: generation.kept(), generated_runs: Some(generation.runs()) };
                        return Some(Envelope { version: VERSION, id: work.id, body });
                    }
                    let generated = generation.finish();
                    let (runs, total) = (generated.runs, generated.scenarios.len());
                    let definition = simulator.definition.clone();
                    let batch = coverage::suite_batch(simulator.clone(), generated.scenarios);
                    work.stage = SuiteStage::Run { batch, definition, generated_runs: Some(runs) };
                    (work.id, Response::SuiteProgress { done: 0, total, generated_runs: Some(runs) }, false)
                }
                SuiteStage::Run { batch, generated_runs, .. } => {
                    loop {
                        batch.run_chunk(CHUNK);
                        if batch.finished() || !more() {
                            break;
                        }
                    }
                    if !batch.finished() {
                        return Some(Envelope {
                            version: VERSION,
                            id: work.id,
                            body: Response::SuiteProgress { done: batch.done(), total: batch.len(), generated_runs: *generated_runs },
                        });
                    }
                    // The suite has run: measured once, what it reached.
                    let Some(Work::Suite(SuiteWork { id, stage: SuiteStage::Run { batch, definition, generated_runs } })) = self.work.take() else {
                        return None;
                    };
                    let scenarios = batch.scenarios().to_vec();
                    let run = coverage::measured(batch, &definition);
                    (id, Response::SuiteDone(suite_view::outcome(run, &definition, scenarios, generated_runs)), true)
                }
            },
        };
        if finished {
            self.work = None;
        }
        Some(Envelope { version: VERSION, id, body })
    }

    /// [`Engine::slice`] as the text to post.
    pub fn slice_text(&mut self, more: &mut dyn FnMut() -> bool) -> Option<String> {
        self.slice(more).map(|e| encode(e.id, &e.body))
    }

    /// Keeps the catalogue files `services` brings: (service, text).
    fn learn(&mut self, services: &[(String, String)]) -> Result<(), String> {
        for (service, text) in services {
            if let Err(e) = self.catalogue.insert_text(service, text) {
                return Err(format!("The AWS API model of {service} is broken: {e}"));
            }
        }
        Ok(())
    }

    /// The simulator of `setup`, over the catalogue with the services it brings.
    fn simulator(&mut self, setup: &Setup) -> Result<Simulator, String> {
        self.learn(&setup.services)?;
        Ok(setup.simulator().map_err(|e| e.to_string())?.with_catalogue(self.catalogue.clone()))
    }
}

fn summary(job: &BatchJob) -> BatchSummary {
    let b = &job.batch;
    let (passed, failed, unchecked) = b.tally();
    BatchSummary {
        done: b.done(),
        total: b.len(),
        passed,
        failed,
        unchecked,
        rows: b.rows.iter().take(BatchSummary::ROWS).map(RowView::from).collect(),
        coverage: b.coverage.clone(),
        states: job.states.clone(),
        transitions: b.transitions,
        duration_ms: b.duration_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use crate::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec};
    use crate::sim::live::{LiveRun, StepOutcome as Shown};
    use crate::sim::scenario::seed_scenarios;

    fn setup(definition: &str, handlers: &[(&str, HandlerChoice)]) -> Setup {
        let handlers: HandlerSet = handlers.iter().map(|(k, c)| (k.to_string(), HandlerSpec { choice: c.clone(), latency_ms: 0 })).collect();
        Setup { definition: definition.into(), handlers, services: Vec::new(), stores: Default::default(), name: None }
    }

    fn ask(engine: &mut Engine, id: u64, body: Request) -> Response {
        let mut out = engine.handle(Envelope { version: VERSION, id, body });
        assert_eq!(out.len(), 1, "{out:?}");
        let envelope = out.remove(0);
        assert_eq!(envelope.id, id);
        envelope.body
    }

    fn record(response: Response) -> RunRecord {
        match response {
            Response::Run(record) => record,
            other => panic!("expected a record, got {other:?}"),
        }
    }

    /// The Export dialog's files come from the engine: every file in the exporter's order, the
    /// definition as written, and a name AWS would refuse said in words instead.
    #[test]
    fn an_export_is_generated_by_the_engine() {
        use crate::export::{ExportOptions, Scenario as Run};
        let mut engine = Engine::new();
        let ask = |options: ExportOptions| Envelope {
            version: VERSION,
            id: 4,
            body: Request::Export { definition: crate::seed::ORDER_WORKFLOW.into(), options, scenarios: Run::seed_scenarios(), services: Vec::new() },
        };
        let out = engine.handle(ask(ExportOptions::for_document("Orders")));
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].id, 4);
        let Response::Export(ExportAnswer::Files { files, .. }) = &out[0].body else { panic!("{:?}", out[0].body) };
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["state-machine.json", "deploy.sh", "run.sh", "logs.sh", "cleanup.sh", "cloudformation.yaml", "cloudformation.json", "sam-template.yaml"]);
        assert_eq!(files[0].contents, crate::seed::ORDER_WORKFLOW);
        assert!(files[1].executable && !files[5].executable);
        assert!(files[1].contents.contains("STATE_MACHINE_NAME='Orders'"), "{}", files[1].contents);
        let bad = ExportOptions { state_machine_name: "bad name $(x)".into(), ..ExportOptions::default() };
        match &engine.handle(ask(bad))[0].body {
            Response::Export(ExportAnswer::Refused(why)) => assert!(why.contains("name"), "{why}"),
            other => panic!("{other:?}"),
        }
        let broken = Envelope { version: VERSION, id: 5, body: Request::Export { definition: "{".into(), options: ExportOptions::default(), scenarios: Vec::new(), services: vec![("sqs".into(), "{".into())] } };
        assert!(matches!(&engine.handle(broken)[0].body, Response::Error { message } if message.contains("sqs")));
    }

    /// A template is opened and saved back by the engine, answering the request's id: the page
    /// sends text and gets plain data.
    #[test]
    fn templates_are_opened_and_saved_back_by_the_engine() {
        use crate::formats::offer::{Files, Found};
        let mut engine = Engine::new();
        let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A # first\n        States: {A: {Type: Pass, End: true}}\n";
        let out = engine.handle(Envelope { version: VERSION, id: 6, body: Request::Open(Files::Pasted { text: template.into() }) });
        assert_eq!(out[0].id, 6);
        let Response::Opened(Found::Machines(Ok(offers))) = &out[0].body else { panic!("{:?}", out[0].body) };
        assert_eq!(offers[0].id, "M");
        let definition = offers[0].definition.replace("\"Pass\"", "\"Succeed\"").replace(",\n      \"End\": true", "");
        let out = engine.handle(Envelope { version: VERSION, id: 7, body: Request::Save { source: offers[0].source.clone(), definition } });
        let Response::Saved(Ok(files)) = &out[0].body else { panic!("{:?}", out[0].body) };
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "template.yaml");
        assert!(files[0].1.contains("StartAt: A # first") && files[0].1.contains("Type: Succeed"), "{}", files[0].1);
        let out = engine.handle(Envelope { version: VERSION, id: 8, body: Request::Open(Files::Chosen { files: vec![("bad.yaml".into(), "a: [".into())] }) });
        assert!(matches!(&out[0].body, Response::Opened(Found::Machines(Err(why))) if why.starts_with("line ")), "{:?}", out[0].body);
    }

    #[test]
    fn a_conversion_to_jsonata_is_the_engine_s_and_gives_the_text_the_page_would_have_written() {
        use crate::editor::convert::{convert_all, convert_to_jsonata};
        use crate::editor::document::Document;
        use crate::editor::scope::StateRef;
        let mut engine = Engine::new();
        let nested = r#"{"Comment": "kept", "StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.a", "ResultPath": "$.r", "End": true}}}],
            "ResultSelector": {"x.$": "$[0].r"}, "End": true}}}"#;
        let inner = StateRef { scope: vec![crate::editor::scope::ScopeStep { state: "P".into(), branch: 0 }], name: "A".into() };
        let seed = crate::seed::ORDER_WORKFLOW;
        let one = StateRef { scope: Vec::new(), name: "CheckValidation".into() };
        for (text, state) in [(nested, Some(inner)), (nested, None), (seed, Some(one)), (seed, None)] {
            let out = engine.handle(Envelope { version: VERSION, id: 9, body: Request::Convert { definition: text.into(), state: state.clone() } });
            let Response::Converted(Ok(converted)) = &out[0].body else { panic!("{:?}", out[0].body) };
            // What the page did before the converter moved here: the same change, applied to its document.
            let mut doc = Document::new("n", text);
            let change = match &state {
                Some(r) => convert_to_jsonata(&doc, r).unwrap(),
                None => convert_all(doc.machine()).unwrap(),
            };
            doc.apply(change).unwrap();
            assert_eq!(converted, doc.text());
            assert!(converted.contains("\"Comment\": \"kept\"") || text != nested, "{converted}");
            assert_ne!(converted, text);
            assert!(converted.contains("\"QueryLanguage\": \"JSONata\""), "{converted}");
        }
        // A state that is not there, a text that is not JSON, a path JSONata cannot say: in words.
        let out = engine.handle(Envelope { version: VERSION, id: 10, body: Request::Convert { definition: seed.into(), state: Some(StateRef { scope: Vec::new(), name: "Nope".into() }) } });
        assert_eq!(out[0].body, Response::Converted(Err("/: no state named 'Nope'".into())));
        let out = engine.handle(Envelope { version: VERSION, id: 11, body: Request::Convert { definition: "{".into(), state: None } });
        assert_eq!(out[0].body, Response::Converted(Err("the definition is not JSON".into())));
        let unconvertible = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.items[1:3]", "End": true}}}"#;
        let out = engine.handle(Envelope { version: VERSION, id: 12, body: Request::Convert { definition: unconvertible.into(), state: None } });
        assert!(matches!(&out[0].body, Response::Converted(Err(why)) if why.starts_with("/States/A/InputPath: array slices")), "{:?}", out[0].body);
    }

    #[test]
    fn a_run_comes_back_recorded_to_its_end_and_the_page_reveals_it() {
        let mut engine = Engine::new();
        let scenario = seed_scenarios().remove(0);
        let record = record(ask(&mut engine, 1, Request::Run { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), scenario: scenario.clone() }));
        assert_eq!(record.end.name(), "SUCCEEDED");
        let mut run = LiveRun::new(record);
        assert_eq!(run.moments(), (1, 0));
        assert_eq!(run.model().status, "RUNNING", "only the start is shown");
        assert_eq!(run.step(), Shown::Progressed);
        assert_eq!(run.run(), Shown::Finished);
        assert_eq!(run.verdict(scenario.expected.as_ref()), crate::sim::live::Verdict::Met);
        assert!(run.logs().iter().any(|(g, lines)| *g == "/aws/lambda/ValidateInput" && !lines.is_empty()), "{:?}", run.logs());
    }

    #[test]
    fn a_scenario_that_cannot_start_is_an_error_in_words() {
        let mut engine = Engine::new();
        let broken = Scenario::new("Broken", "{ nope");
        match ask(&mut engine, 1, Request::Run { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), scenario: broken }) {
            Response::Error { message } => assert!(message.contains("line 1, column 3"), "{message}"),
            other => panic!("{other:?}"),
        }
        match ask(&mut engine, 2, Request::Run { setup: setup("{\"StartAt\": 1}", &[]), scenario: Scenario::new("s", "{}") }) {
            Response::Error { message } => assert!(message.starts_with("the definition cannot run"), "{message}"),
            other => panic!("{other:?}"),
        }
        match ask(&mut engine, 3, Request::Callback { answer: CallbackAnswer::Heartbeat }) {
            Response::Error { message } => assert!(message.contains("No run"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_callback_waits_in_the_engine_and_the_answer_continues_the_record() {
        let text = r#"{"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "Approve", "Payload": {"token.$": "$$.Task.Token"}}, "HeartbeatSeconds": 60, "End": true}}}"#;
        let mut engine = Engine::new();
        let first = record(ask(&mut engine, 1, Request::Run { setup: setup(text, &[("Approve", HandlerChoice::callback())]), scenario: Scenario::new("s", "{}") }));
        assert!(first.pending_token.is_some());
        let mut run = LiveRun::new(first);
        assert_eq!(run.pending_token(), None, "the wait is not revealed yet");
        assert_eq!(run.run(), Shown::AwaitingCallback);
        assert!(run.pending_token().is_some());
        let revealed = run.moments().0;
        match ask(&mut engine, 2, Request::Callback { answer: CallbackAnswer::Heartbeat }) {
            Response::Heartbeat { at: Some(_) } => {}
            other => panic!("{other:?}"),
        }
        let next = record(ask(&mut engine, 3, Request::Callback { answer: CallbackAnswer::Success { output: serde_json::json!({"approved": true}) } }));
        run.extend(next);
        assert_eq!(run.moments().0, revealed, "what was revealed stays, the rest is next");
        assert_eq!(run.run(), Shown::Finished);
        assert_eq!(run.model().output.as_deref(), Some(&serde_json::json!({"approved": true})));
        match ask(&mut engine, 4, Request::Callback { answer: CallbackAnswer::Failure { error: "Rejected".into(), cause: String::new() } }) {
            Response::Error { message } => assert_eq!(message, "No task is waiting for a callback."),
            other => panic!("{other:?}"),
        }
        assert_eq!(crate::sim::live::callback_output("{ nope").unwrap_err().split(" (").next(), Some("The output is not JSON"));
    }

    /// A callback answered in advance (the handler's preset answer) is delivered as the task
    /// waits, as batches and suites deliver it: every moment recorded, no wait left for the page.
    #[test]
    fn a_single_run_delivers_a_callback_answered_in_advance() {
        use crate::sim::handler::CallbackAnswer as Preset;
        let text = r#"{"StartAt": "Approve", "States": {"Approve": {"Type": "Task",
            "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "Approve", "Payload": {"token.$": "$$.Task.Token"}}, "TimeoutSeconds": 3600, "HeartbeatSeconds": 600,
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 2, "IntervalSeconds": 1}], "End": true}}}"#;
        let preset = |answer: Preset| HandlerChoice::Callback { answer: Some(answer) };
        let mut engine = Engine::new();
        let run = |engine: &mut Engine, choice: HandlerChoice| {
            let record = record(ask(engine, 1, Request::Run { setup: setup(text, &[("Approve", choice)]), scenario: Scenario::new("s", "{}") }));
            let mut live = LiveRun::new(record.clone());
            assert_eq!(live.run(), Shown::Finished, "{:?}", record.end);
            (record, live)
        };
        let (answered, live) = run(&mut engine, preset(Preset::Success { output: r#"{"approved": true}"#.into() }));
        assert_eq!(answered.pending_token, None);
        assert_eq!(live.model().output.as_deref(), Some(&serde_json::json!({"approved": true})));
        let (_, live) = run(&mut engine, preset(Preset::FailuresThenSuccess { times: 1, error: "Busy".into(), output: "{}".into() }));
        assert_eq!((live.model().status, live.model().visits[0].attempts), ("SUCCEEDED", 2));
        let (_, live) = run(&mut engine, preset(Preset::Silence { heartbeats: false }));
        // A missed heartbeat is named States.Timeout, as AWS records it.
        assert_eq!((live.model().status, live.model().error.as_deref()), ("FAILED", Some("States.Timeout")));
        // The moments in between are recorded: the page reveals the wait, then the answer.
        assert!(live.moments().0 >= 3, "{:?}", live.moments());
        // Without an answer the run still waits for the page's.
        let first = record(ask(&mut engine, 2, Request::Run { setup: setup(text, &[("Approve", HandlerChoice::callback())]), scenario: Scenario::new("s", "{}") }));
        assert!(first.pending_token.is_some());
    }

    #[test]
    fn a_failed_run_is_redriven_in_the_engine_with_the_new_answers() {
        let scenario = seed_scenarios().remove(0);
        let throw = [("SendNotification", HandlerChoice::Throw { error: "Mail.Unavailable".into(), cause: "SMTP down".into() })];
        let mut engine = Engine::new();
        let failed = record(ask(&mut engine, 1, Request::Run { setup: setup(crate::seed::ORDER_WORKFLOW, &throw), scenario: scenario.clone() }));
        let mut run = LiveRun::new(failed);
        run.run();
        assert!(run.redrivable());
        let redriven = record(ask(&mut engine, 2, Request::Redrive { setup: setup(crate::seed::ORDER_WORKFLOW, &[]) }));
        run.extend(redriven);
        run.run();
        assert_eq!(run.model().status, "SUCCEEDED");
        assert_eq!(run.model().states["ValidateInput"].visits, 1, "what succeeded is not run again");
        assert!(!run.redrivable());
        match ask(&mut engine, 3, Request::Redrive { setup: setup(crate::seed::ORDER_WORKFLOW, &[]) }) {
            Response::Error { message } => assert!(message.contains("succeeded"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_batch_runs_slice_by_slice_and_a_stop_ends_it_with_what_it_has_done() {
        let mut engine = Engine::new();
        let template = crate::sim::generate::Template { count: 400, ..Default::default() };
        let body = Request::Batch { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), scenarios: BatchSource::Generated(template) };
        assert!(engine.handle(Envelope { version: VERSION, id: 9, body }).is_empty());
        let first = engine.slice(&mut || false).expect("a slice");
        assert_eq!((first.id, first.body), (9, Response::BatchProgress { done: CHUNK, total: 400 }));
        let stopped = engine.handle(Envelope { version: VERSION, id: 10, body: Request::StopBatch });
        match &stopped[..] {
            [Envelope { id: 9, body: Response::BatchDone(s), .. }] => {
                assert_eq!((s.done, s.total), (CHUNK, 400));
                assert_eq!(s.passed + s.failed + s.unchecked, CHUNK);
                assert_eq!(s.states.first().map(String::as_str), Some("ValidateInput"));
            }
            other => panic!("{other:?}"),
        }
        assert!(!engine.working() && engine.slice(&mut || true).is_none());
    }

    /// Every answer to request `id` until its last one.
    fn answers(engine: &mut Engine, id: u64) -> Vec<Response> {
        let mut out = Vec::new();
        while let Some(envelope) = engine.slice(&mut || true) {
            assert_eq!(envelope.id, id);
            out.push(envelope.body);
        }
        out
    }

    #[test]
    fn a_suite_is_generated_then_run_in_slices_in_the_engine() {
        let mut engine = Engine::new();
        let body = Request::Suite { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), job: SuiteJob::Generate { base: seed_scenarios() } };
        assert!(engine.handle(Envelope { version: VERSION, id: 3, body }).is_empty(), "a suite answers slice by slice");
        let out = answers(&mut engine, 3);
        let (generated, total) = match &out[0] {
            Response::SuiteProgress { done: 0, total, generated_runs: Some(runs) } => (*runs, *total),
            other => panic!("the generation is the first slice: {other:?}"),
        };
        assert!(generated >= total && total > 1, "{generated} runs for {total} scenarios");
        let outcome = match out.last() {
            Some(Response::SuiteDone(outcome)) => outcome.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!((outcome.lines.len(), outcome.generated_runs), (total, Some(generated)));
        assert_eq!(outcome.passed(), total, "a generated suite records today's outcomes: {outcome:?}");
        // The same as the one-call path the CLI takes.
        let simulator = setup(crate::seed::ORDER_WORKFLOW, &[]).simulator().expect("compiles");
        let parsed: Value = serde_json::from_str(crate::seed::ORDER_WORKFLOW).expect("JSON");
        let job = suite_view::Job::Generate { base: seed_scenarios(), options: Options::default() };
        assert_eq!(suite_view::perform(simulator, &parsed, job), outcome);

        let body = Request::Suite { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), job: SuiteJob::Run { scenarios: outcome.scenarios.clone() } };
        assert!(engine.handle(Envelope { version: VERSION, id: 4, body }).is_empty());
        match answers(&mut engine, 4).last() {
            Some(Response::SuiteDone(again)) => {
                assert_eq!(again.lines, outcome.lines);
                assert_eq!(again.coverage, outcome.coverage);
                assert_eq!(again.generated_runs, None);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_suite_being_generated_stops_between_two_steps() {
        let mut engine = Engine::new();
        // A workflow whose search takes many steps: a saga of Catches and Retries.
        let definition = include_str!("../../tests/fixtures/workflows/travel-booking-saga.asl.json");
        let body = Request::Suite { setup: setup(definition, &[]), job: SuiteJob::Generate { base: Vec::new() } };
        assert!(engine.handle(Envelope { version: VERSION, id: 5, body }).is_empty());
        // A slice with no time left takes one step of the search and says how far it got.
        let mut steps = Vec::new();
        for _ in 0..3 {
            match engine.slice(&mut || false).map(|e| e.body) {
                Some(Response::SuiteProgress { done: 0, total, generated_runs: Some(runs) }) => steps.push((runs, total)),
                other => panic!("a step of the generation: {other:?}"),
            }
        }
        assert!(steps[0].0 >= GENERATION_STEP && steps[0].0 < Options::default().max_runs, "{steps:?}");
        assert!(steps.windows(2).all(|w| w[1].0 > w[0].0 && w[1].1 >= w[0].1), "each step runs more: {steps:?}");
        let stopped = engine.handle(Envelope { version: VERSION, id: 6, body: Request::StopSuite });
        assert_eq!(stopped, [Envelope { version: VERSION, id: 5, body: Response::SuiteStopped { done: 0, total: 0 } }]);
        assert!(!engine.working() && engine.slice(&mut || true).is_none());
    }

    #[test]
    fn a_long_suite_stops_between_slices_with_what_it_has_run() {
        let mut engine = Engine::new();
        let scenarios: Vec<Scenario> = (0..400).map(|i| Scenario { name: format!("s{i}"), ..seed_scenarios().remove(0) }).collect();
        let body = Request::Suite { setup: setup(crate::seed::ORDER_WORKFLOW, &[]), job: SuiteJob::Run { scenarios } };
        assert!(engine.handle(Envelope { version: VERSION, id: 7, body }).is_empty());
        let first = engine.slice(&mut || false).expect("a slice");
        assert_eq!((first.id, first.body), (7, Response::SuiteProgress { done: CHUNK, total: 400, generated_runs: None }));
        // A batch's Stop leaves the suite alone; the suite's stops it.
        assert!(engine.handle(Envelope { version: VERSION, id: 8, body: Request::StopBatch }).is_empty());
        assert!(engine.working());
        let stopped = engine.handle(Envelope { version: VERSION, id: 9, body: Request::StopSuite });
        assert_eq!(stopped, [Envelope { version: VERSION, id: 7, body: Response::SuiteStopped { done: CHUNK, total: 400 } }]);
        assert!(!engine.working() && engine.slice(&mut || true).is_none());
        let broken = Request::Suite { setup: setup("{\"StartAt\": 1}", &[]), job: SuiteJob::Run { scenarios: Vec::new() } };
        match ask(&mut engine, 10, broken) {
            Response::Error { message } => assert!(message.starts_with("the definition cannot run"), "{message}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_message_of_another_version_is_answered_in_words() {
        let mut engine = Engine::new();
        let text = encode(4, &Request::StopBatch).replacen(&format!("\"version\":{VERSION}"), "\"version\":0", 1);
        let answers = engine.receive(&text);
        let back: Envelope<Response> = decode(&answers[0]).unwrap_or_else(|(_, e)| panic!("{e}"));
        assert_eq!(back.id, 4);
        match back.body {
            Response::Error { message } => assert!(message.contains("different builds"), "{message}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(decode::<Response>(&engine.receive("]")[0]).unwrap().body, Response::Error { .. }));
    }

    #[test]
    fn test_state_runs_in_the_engine() {
        let mut engine = Engine::new();
        let form = crate::sim::teststate::form::TestForm::for_state(None, "ValidateInput");
        let form = crate::sim::teststate::form::TestForm { input: r#"{"orderId": "A-1", "amount": 12, "customerEmail": "a@b.c"}"#.into(), ..form };
        match ask(&mut engine, 1, Request::TestState { definition: crate::seed::ORDER_WORKFLOW.into(), state: "ValidateInput".into(), form }) {
            Response::TestState(TestStateAnswer::Body { status, body, .. }) => {
                assert_eq!(status, "SUCCEEDED", "{body}");
            }
            other => panic!("{other:?}"),
        }
    }
}
