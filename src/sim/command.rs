//! The library side of `statecraft run`: one definition, one input, one seed and start time in;
//! what to print and the exit code out. No files, no wall clock: the binary reads and prints.

use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, ExecutionType, Program};
use crate::asl::clock::VirtualClock;
use crate::handlers::HandlerRegistry;
use crate::handlers::mock_config::MockConfig;
use crate::sim::answers::Answers;
use crate::sim::handler::{CompiledHandlers, tasks};
use crate::asl::history::history_json;

/// What `statecraft run` was asked.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub seed: u64,
    /// RFC 3339; the [`VirtualClock`] default when absent.
    pub start_time: Option<String>,
    pub execution_type: ExecutionType,
    /// Print the history (AWS's `{"events": [...]}`) on stderr.
    pub history: bool,
    /// A mock configuration file's text and the test case to run (with its state machine when
    /// several have a test case by that name).
    pub mocks: Option<MockSelection>,
    /// `--s3 FILE`: the S3 objects the run starts with, `{"bucket": {"key": body}}` as JSON text.
    pub s3: Option<String>,
    /// How far one JSONata evaluation may go (`--max-steps`, `--max-memory`).
    pub jsonata: crate::asl::jsonata::Limits,
    /// What services answer (`--answers FILE`, `--answer TARGET=SPEC`): the page's choices.
    pub answers: Answers,
    /// `--stores FILE`: the file's name and text, the stores the run starts with
    /// ([`crate::sim::stores::StoreSeeds::parse`]; over `--s3`'s objects).
    pub stores: Option<(String, String)>,
    /// `--print-stores`: print what the stores hold at the end on stderr, as JSON.
    pub print_stores: bool,
}

/// `--mocks FILE --test-case NAME [--state-machine NAME]`.
#[derive(Debug, Clone)]
pub struct MockSelection {
    pub text: String,
    pub test_case: String,
    pub state_machine: Option<String>,
}

/// The default answers of a zero-configuration run ([`CompiledHandlers::registry`]: the seed's
/// functions, the stateful services over a store holding the `--s3` objects, the catalogue's
/// answers) with the chosen answers over them, then the test case's mocked states (which win,
/// being registered later under the states' names).
fn registry(program: &Program, definition: &str, options: &RunOptions, store: &crate::handlers::services::SharedStore) -> Result<(HandlerRegistry, CompiledHandlers), String> {
    let (answers, mocks) = (&options.answers, options.mocks.as_ref());
    // Seeded objects were last modified when the default clock starts.
    let now = crate::asl::clock::Clock::now(&VirtualClock::default());
    if let Some(text) = &options.s3 {
        let seed: Value = serde_json::from_str(text).map_err(|e| format!("--s3: not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
        store.borrow_mut().s3.seed_from_json(&seed, now).map_err(|e| format!("--s3: {e}"))?;
    }
    if let Some((name, text)) = &options.stores {
        crate::sim::stores::read_file(name, text)?.seed(&mut store.borrow_mut(), now);
    }
    let machine: Value = serde_json::from_str(definition).unwrap_or(Value::Null);
    let tasks = crate::sim::handler::with_expectations(tasks(program), &machine);
    let chosen = answers.resolve(&tasks).map_err(|errors| errors.iter().map(|e| format!("answers: {e}")).collect::<Vec<_>>().join("\n"))?;
    let compiled = CompiledHandlers::compile(&chosen).map_err(|errors| errors.iter().map(|e| format!("answers: {e}")).collect::<Vec<_>>().join("\n"))?;
    let mut registry = compiled.registry_over(&tasks, store);
    if let Some(selection) = mocks {
        let config = MockConfig::parse(&selection.text).map_err(|errors| {
            errors.iter().map(|e| format!("mocks:{e}")).collect::<Vec<_>>().join("\n")
        })?;
        let case = config.test_case(selection.state_machine.as_deref(), &selection.test_case)?;
        config.register_test_case(case, &mut registry)?;
    }
    Ok((registry, compiled))
}

/// What to print and how to exit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunReport {
    pub stdout: String,
    pub stderr: String,
    /// 0 success, 1 failure/timeout, 2 usage error or invalid definition.
    pub exit_code: u8,
}

fn usage(message: String) -> RunReport {
    RunReport { stdout: String::new(), stderr: message, exit_code: 2 }
}

/// Validates and runs `definition` on `input` with the seed's handlers registered.
pub fn run_command(definition: &str, input: &str, options: &RunOptions) -> RunReport {
    let report = crate::asl::validate::validate_text_as(definition, options.execution_type);
    if report.has_errors() {
        let lines: Vec<String> = report
            .errors()
            .map(|d| match d.position {
                Some(p) => format!("{}:{}: error[{}]: {}", p.line, p.column, d.code.as_str(), d.message),
                None => format!("error[{}]: {} ({})", d.code.as_str(), d.message, d.pointer),
            })
            .collect();
        return usage(lines.join("\n") + "\n");
    }
    let program = match Program::from_text(definition) {
        Ok(p) => p,
        Err(e) => return usage(format!("the definition cannot run: {e}\n")),
    };
    if let Some(refused) = crate::asl::interp::quota::execution_input_error(input) {
        return usage(format!("StartExecution would refuse the input: {refused}\n"));
    }
    // Read straight into the shared form the handlers take (no `serde_json::Value` copy).
    let input = match crate::asl::value::Shared::from_json(input) {
        Ok(v) => v,
        Err(e) => return usage(format!("the input is not JSON: {e}\n")),
    };
    let clock = match &options.start_time {
        Some(t) => match VirtualClock::starting_at_rfc3339(t) {
            Some(c) => c,
            None => return usage(format!("--start-time is not an RFC 3339 timestamp: {t}\n")),
        },
        None => VirtualClock::default(),
    };
    let store = crate::sim::handler::zero_configuration_store();
    let (handlers, compiled) = match registry(&program, definition, options, &store) {
        Ok(h) => h,
        Err(e) => return usage(format!("{e}\n")),
    };
    let mut config = ExecutionConfig { seed: options.seed, execution_type: options.execution_type, ..ExecutionConfig::default() };
    config.quotas.jsonata = options.jsonata;
    let mut execution = Execution::start(Arc::new(program), input, Box::new(clock), handlers, config).run_to_end();
    // Callbacks answered in advance (`--answer STATE=callback:JSON`) are delivered as the tasks wait.
    compiled.answer_callbacks(&mut execution);
    let mut stderr = if options.history {
        serde_json::to_string_pretty(&history_json(execution.history())).unwrap_or_default() + "\n"
    } else {
        String::new()
    };
    if options.print_stores {
        let view = crate::sim::stores::StoresView::of(&store.borrow(), &crate::sim::stores::Referenced::of_text(definition));
        stderr.push_str(&(serde_json::to_string_pretty(&serde_json::json!({"stores": view})).unwrap_or_default() + "\n"));
    }
    match execution.status() {
        ExecutionStatus::Succeeded { output } => {
            RunReport { stdout: serde_json::to_string(&**output).unwrap_or_default() + "\n", stderr, exit_code: 0 }
        }
        ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => {
            let mut map = Map::new();
            if let Some(error) = &e.error {
                map.insert("error".into(), Value::String(error.clone()));
            }
            if let Some(cause) = &e.cause {
                map.insert("cause".into(), Value::String(cause.clone()));
            }
            RunReport { stdout: serde_json::to_string(&Value::Object(map)).unwrap_or_default() + "\n", stderr, exit_code: 1 }
        }
        ExecutionStatus::Running => {
            // Not an AWS error: the execution is still running, as it would on AWS until the
            // callback comes. Say which tasks wait and how to answer them.
            let waiting: Vec<String> = execution.pending_callbacks().iter().map(|p| p.state.to_string()).collect();
            let first = waiting.first().cloned().unwrap_or_default();
            let cause = format!(
                "The execution is still running: {} {} for a task token callback. Answer it in advance with --answer '{first}=callback:{{\"approved\": true}}' (the callback's output as JSON).",
                waiting.iter().map(|w| format!("'{w}'")).collect::<Vec<_>>().join(", "),
                if waiting.len() == 1 { "waits" } else { "wait" },
            );
            let report = json!({"status": "RUNNING", "waiting": waiting, "cause": cause});
            RunReport { stdout: serde_json::to_string(&report).unwrap_or_default() + "\n", stderr, exit_code: 1 }
        }
    }
}
