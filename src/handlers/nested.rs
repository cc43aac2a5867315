//! `states:startExecution.sync` (and `.sync:2`): a Task that runs another state machine the
//! caller provides to its end, on a virtual clock starting at the call's time, and answers as
//! Step Functions does: `DescribeExecution`'s fields, `Output` as JSON text (`.sync`) or JSON
//! (`.sync:2`); a failed child fails the Task with `States.TaskFailed` and that description as
//! its cause. The Task takes as long (in virtual time) as the child ran.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use super::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};

use crate::asl::clock::VirtualClock;
use crate::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, Program, StatesError, names};

/// A state machine a parent may start: its program and how to build its handlers.
pub struct ChildMachine {
    pub program: Arc<Program>,
    pub handlers: Box<dyn Fn() -> HandlerRegistry>,
}

/// Runs child state machines by ARN (`StateMachineArn` in the Task's parameters).
#[derive(Clone, Default)]
pub struct StartExecutionSync {
    machines: Arc<HashMap<String, Arc<ChildMachine>>>,
    runs: u64,
    last_duration: u64,
    /// The last call's StartExecution answer, for TaskSubmitted ([`TaskHandler::take_submitted`]).
    submitted: Option<Value>,
}

impl StartExecutionSync {
    /// Adds a machine the parent may start under `arn`.
    pub fn with_machine(mut self, arn: impl Into<String>, program: Arc<Program>, handlers: impl Fn() -> HandlerRegistry + 'static) -> Self {
        Arc::make_mut(&mut self.machines).insert(arn.into(), Arc::new(ChildMachine { program, handlers: Box::new(handlers) }));
        self
    }

    /// Registers this handler for both `.sync` forms.
    pub fn register(self, registry: &mut HandlerRegistry) {
        registry.register("arn:aws:states:::states:startExecution.sync", self.clone());
        registry.register("arn:aws:states:::states:startExecution.sync:2", self);
    }
}

impl TaskHandler for StartExecutionSync {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        self.runs += 1;
        // The Task passed `now` plus the latency this handler reported before the call (the last
        // child's duration): the call itself starts that much earlier.
        context.now -= self.last_duration as i64;
        let (result, duration, submitted) = start(&self.machines, self.runs, request, context);
        self.last_duration = duration;
        self.submitted = submitted;
        result
    }

    fn take_submitted(&mut self) -> Option<Value> {
        self.submitted.take()
    }

    /// As long as the last child ran.
    fn latency_millis(&self) -> u64 {
        self.last_duration
    }
}

fn start(
    machines: &HashMap<String, Arc<ChildMachine>>,
    runs: u64,
    request: &TaskRequest,
    context: &mut TaskContext,
) -> (Result<Value, StatesError>, u64, Option<Value>) {
    let arn = request.input.get("StateMachineArn").and_then(Value::as_str).unwrap_or_default();
    let Some(machine) = machines.get(arn) else {
        // As the SDK words the service's refusal, with its request id
        // (`error_handling/test_task_service_sfn::test_start_execution_no_such_arn`).
        let request_id = crate::asl::jsonata::functions::uuid_from(&mut *context.rng);
        let cause = format!(
            "State Machine Does Not Exist: '{arn}' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: {request_id}; Proxy: null)"
        );
        return (Err(StatesError::new("StepFunctions.StateMachineDoesNotExistException", cause)), 0, None);
    };
    let machine_name = arn.rsplit(':').next().unwrap_or("child").to_string();
    let name = request.input.get("Name").and_then(Value::as_str).map(str::to_string).unwrap_or_else(|| format!("{machine_name}-{}", runs));
    // No input, or a null one, starts the child with `{}` (`test_start_execution_sync`'s
    // `"Input": null`: the child's Input is "{}").
    let input = match request.input.get("Input") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::String(text.clone())),
        None | Some(Value::Null) => json!({}),
        Some(other) => other.clone(),
    };
    let start_time = context.now;
    let config = ExecutionConfig {
        state_machine_name: machine_name,
        execution_name: name.clone(),
        seed: context.rng.next_u64(),
        quiet: !context.logging,
        ..ExecutionConfig::default()
    };
    let clock = VirtualClock::starting_at(start_time);
    let mut child = Execution::start(machine.program.clone(), input.clone(), Box::new(clock), (machine.handlers)(), config);
    child.run();
    let stop = child.now();
    let duration = (stop - start_time).max(0) as u64;
    let execution_arn = format!("{}:{}", arn.replacen(":stateMachine:", ":execution:", 1), name);
    let mut description = Map::new();
    description.insert("ExecutionArn".into(), json!(execution_arn));
    let sync2 = request.resource.ends_with(":2");
    // `.sync:2` gives the input and output as JSON, `.sync` as JSON text (the recordings' Input
    // `{}` and "{}").
    description.insert("Input".into(), if sync2 { input.clone() } else { json!(serde_json::to_string(&input).unwrap_or_default()) });
    description.insert("InputDetails".into(), json!({"Included": true}));
    description.insert("Name".into(), json!(name));
    description.insert("StartDate".into(), json!(start_time));
    description.insert("StateMachineArn".into(), json!(arn));
    let submitted = Some(start_answer(&execution_arn, start_time, context));
    match child.status() {
        ExecutionStatus::Succeeded { output } => {
            let output = if sync2 { Value::clone(output) } else { json!(serde_json::to_string(&**output).unwrap_or_default()) };
            description.insert("Output".into(), output);
            description.insert("OutputDetails".into(), json!({"Included": true}));
            description.insert("Status".into(), json!("SUCCEEDED"));
            description.insert("StopDate".into(), json!(stop));
            (Ok(Value::Object(description)), duration, submitted)
        }
        ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => {
            if let Some(error) = &e.error {
                description.insert("Error".into(), json!(error));
            }
            if let Some(cause) = &e.cause {
                description.insert("Cause".into(), json!(cause));
            }
            description.insert("Status".into(), json!(child.status().name()));
            description.insert("StopDate".into(), json!(stop));
            (Err(StatesError::new(names::TASK_FAILED, serde_json::to_string(&Value::Object(description)).unwrap_or_default())), duration, submitted)
        }
        ExecutionStatus::Running => (
            Err(StatesError::new(names::TASK_FAILED, "The child execution waits for a task token callback, which a .sync parent cannot deliver.")),
            duration,
            submitted,
        ),
    }
}

/// StartExecution's own answer, before the parent waits for the child's end (TaskSubmitted):
/// the execution's ARN and start date with the SDK's metadata, its `Content-Length` the length
/// of the body on the wire, `{"executionArn":"…","startDate":1.688135739585E9}` (the JSON 1.0
/// protocol's dates are epoch seconds, written as Java writes a double).
fn start_answer(execution_arn: &str, start: i64, context: &mut TaskContext) -> Value {
    let wire = format!("{{\"executionArn\":{},\"startDate\":{}}}", json!(execution_arn), java_double(start as f64 / 1000.0));
    let mut answer = crate::asl::interp::sdk_response::with_metadata(
        json!({"ExecutionArn": execution_arn, "StartDate": start}),
        "application/x-amz-json-1.0",
        &[("connection", "keep-alive".to_string())],
        context,
    );
    crate::asl::interp::sdk_response::set_header(&mut answer, "Content-Length", wire.len().to_string());
    answer
}

/// A double as Java's `Double.toString` writes one of 10^7 or more: `1.688135739585E9`, `2.0E9`
/// (the shortest digits that read back, at least one after the point).
fn java_double(value: f64) -> String {
    let text = format!("{value:e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa = if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exponent}")
}

/// The child machines a conformance case declares (`machines`: each ARN's `definition` and
/// the `lambdas` its Tasks call, FORMAT.md), registered as this handler for the
/// `startExecution.sync` Tasks of the case (`asl::conformance::run_dir_with`).
pub fn case_machines(case: &Value, registry: &mut HandlerRegistry) -> Result<(), String> {
    let Some(machines) = case.get("machines") else { return Ok(()) };
    let machines = machines.as_object().ok_or("`machines` is an object of state machine ARNs")?;
    let mut handler = StartExecutionSync::default();
    for (arn, machine) in machines {
        let definition = machine.get("definition").ok_or(format!("machines/{arn}: no definition"))?;
        let program = Program::from_text(&definition.to_string()).map_err(|e| format!("machines/{arn}: definition does not compile: {e}"))?;
        crate::asl::conformance::declared_functions(machine).map_err(|e| format!("machines/{arn}: {e}"))?;
        let machine = machine.clone();
        let handlers = move || crate::asl::conformance::declared_functions(&machine).unwrap_or_default();
        handler = handler.with_machine(arn.clone(), Arc::new(program), handlers);
    }
    handler.register(registry);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::interp::Execution;

    fn program(definition: Value) -> Arc<Program> {
        Arc::new(Program::from_text(&definition.to_string()).expect("compiles"))
    }

    const CHILD: &str = "arn:aws:states:us-east-1:123456789012:stateMachine:Child";

    fn parent(resource: &str) -> Execution {
        let child = program(json!({"StartAt": "W", "States": {
            "W": {"Type": "Wait", "Seconds": 60, "Next": "C"},
            "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Bad"},
            "Done": {"Type": "Pass", "Parameters": {"doubled.$": "States.MathAdd($.n, $.n)"}, "End": true},
            "Bad": {"Type": "Fail", "Error": "Child.Bad", "Cause": "not ok"}}}));
        let parent = program(json!({"StartAt": "Run", "States": {
            "Run": {"Type": "Task", "Resource": resource,
                    "Parameters": {"StateMachineArn": CHILD, "Input.$": "$"},
                    "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Failed"}], "End": true},
            "Failed": {"Type": "Pass", "End": true}}}));
        let mut handlers = HandlerRegistry::new();
        StartExecutionSync::default().with_machine(CHILD, child, HandlerRegistry::new).register(&mut handlers);
        let input = if resource.ends_with(":2") { json!({"ok": true, "n": 21}) } else { json!({"ok": true, "n": 1}) };
        Execution::start(parent, input, Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end()
    }

    #[test]
    fn sync_runs_the_child_to_its_end_and_takes_its_time() {
        let execution = parent("arn:aws:states:::states:startExecution.sync:2");
        let ExecutionStatus::Succeeded { output } = execution.status() else { panic!("{:?}", execution.status()) };
        assert_eq!(output["Output"], json!({"doubled": 42}));
        assert_eq!(output["Status"], "SUCCEEDED");
        assert_eq!(output["ExecutionArn"], "arn:aws:states:us-east-1:123456789012:execution:Child:Child-1");
        assert_eq!(execution.now() - execution.history()[0].timestamp, 60_000, "the child's Wait is the task's duration");
        let sync1 = parent("arn:aws:states:::states:startExecution.sync");
        let ExecutionStatus::Succeeded { output } = sync1.status() else { panic!() };
        assert_eq!(output["Output"], json!("{\"doubled\":2}"), ".sync gives the output as JSON text");
    }

    #[test]
    fn a_failed_child_fails_the_task_with_its_description() {
        let child = program(json!({"StartAt": "Bad", "States": {"Bad": {"Type": "Fail", "Error": "Child.Bad", "Cause": "not ok"}}}));
        let parent = program(json!({"StartAt": "Run", "States": {"Run": {"Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2", "Parameters": {"StateMachineArn": CHILD}, "End": true}}}));
        let mut handlers = HandlerRegistry::new();
        StartExecutionSync::default().with_machine(CHILD, child, HandlerRegistry::new).register(&mut handlers);
        let execution = Execution::start(parent, json!({}), Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end();
        let ExecutionStatus::Failed(error) = execution.status() else { panic!("{:?}", execution.status()) };
        assert_eq!(error.error.as_deref(), Some("States.TaskFailed"));
        let cause: Value = serde_json::from_str(error.cause.as_deref().unwrap()).unwrap();
        assert_eq!((cause["Status"].as_str(), cause["Error"].as_str(), cause["Cause"].as_str()), (Some("FAILED"), Some("Child.Bad"), Some("not ok")));
    }

    /// A machine the account lacks: the SDK's refusal, worded as AWS recorded it for a plain
    /// `startExecution` (`error_handling/test_task_service_sfn`), with the request id and proxy.
    #[test]
    fn a_machine_the_account_lacks_is_refused_as_the_sdk_words_it() {
        let parent = program(json!({"StartAt": "Run", "States": {"Run": {"Type": "Task",
            "Resource": "arn:aws:states:::states:startExecution.sync:2", "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Gone"}, "End": true}}}));
        let mut handlers = HandlerRegistry::new();
        StartExecutionSync::default().register(&mut handlers);
        let execution = Execution::start(parent, json!({}), Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end();
        let ExecutionStatus::Failed(error) = execution.status() else { panic!("{:?}", execution.status()) };
        assert_eq!(error.error.as_deref(), Some("StepFunctions.StateMachineDoesNotExistException"));
        let cause = error.cause.as_deref().unwrap_or_default();
        let head = "State Machine Does Not Exist: 'arn:aws:states:us-east-1:123456789012:stateMachine:Gone' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: ";
        assert!(cause.starts_with(head) && cause.ends_with("; Proxy: null)"), "{cause}");
        let request_id = &cause[head.len()..cause.len() - "; Proxy: null)".len()];
        assert!(request_id.len() == 36 && request_id.split('-').count() == 5, "a UUID: {request_id}");
    }

    /// StartExecution's answer (TaskSubmitted) carries the SDK's metadata; its Content-Length is
    /// the wire body's, as `test_start_execution_sync` recorded it: 161 bytes for a machine
    /// named as LocalStack's tests name theirs and a start date with milliseconds.
    #[test]
    fn the_start_answer_counts_the_body_on_the_wire() {
        let arn = "arn:aws:states:us-east-1:111111111111:execution:statemachine_create_and_record_execution_5e1f0a3c:TestStartTarget";
        use rand::SeedableRng;
        let (mut rng, mut log) = (rand::rngs::StdRng::seed_from_u64(1), Vec::new());
        let mut context = TaskContext { now: 1_688_136_139_585, rng: &mut rng, log: &mut log, logging: false };
        let answer = start_answer(arn, 1_688_136_139_585, &mut context);
        assert_eq!(answer["SdkHttpMetadata"]["HttpHeaders"]["Content-Length"], json!("161"), "{answer}");
        assert_eq!(answer["SdkHttpMetadata"]["AllHttpHeaders"]["connection"], json!(["keep-alive"]));
        assert_eq!((&answer["ExecutionArn"], &answer["StartDate"]), (&json!(arn), &json!(1_688_136_139_585_i64)));
        assert_eq!([java_double(1_688_136_139.585), java_double(1_704_067_200.0), java_double(2e9)], ["1.688136139585E9", "1.7040672E9", "2.0E9"]);
    }

    /// A null or absent Input starts the child with `{}`; `.sync:2` describes it as JSON,
    /// `.sync` as text.
    #[test]
    fn a_null_input_starts_the_child_with_an_empty_object() {
        let child = program(json!({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}));
        for (resource, want) in [("arn:aws:states:::states:startExecution.sync", json!("{}")), ("arn:aws:states:::states:startExecution.sync:2", json!({}))] {
            let parent = program(json!({"StartAt": "Run", "States": {"Run": {"Type": "Task", "Resource": resource,
                "Parameters": {"StateMachineArn": CHILD, "Input": null}, "End": true}}}));
            let mut handlers = HandlerRegistry::new();
            StartExecutionSync::default().with_machine(CHILD, child.clone(), HandlerRegistry::new).register(&mut handlers);
            let execution = Execution::start(parent, json!({}), Box::new(VirtualClock::default()), handlers, ExecutionConfig::default()).run_to_end();
            let ExecutionStatus::Succeeded { output } = execution.status() else { panic!("{:?}", execution.status()) };
            assert_eq!((&output["Input"], &output["Output"]), (&want, &want), "{resource}");
        }
    }
}
