//! The conformance runner: runs recorded AWS executions (`tests/fixtures/conformance/cases/*.json`,
//! format in `FORMAT.md`) and compares status, output (numbers keep their kind: `1` is not
//! `1.0`), error and cause exactly, then the history: event types, ids and previousEventIds
//! (except inside Parallel branches, where the recorder replaced them: see [`compare_history`]),
//! names, state inputs/outputs and assigned variables. [`run_dir`] gives one [`CaseResult`] per
//! case; [`report`] prints failures and the `AWS-recorded cases: N of M match` line.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::asl::clock::VirtualClock;
use crate::asl::error::StatesError;
use crate::asl::interp::plug::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::asl::history::{EventKind, HistoryEvent};
use crate::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, Program, StepOutcome};

/// The outcome of one case.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    pub name: String,
    pub requires: Vec<String>,
    /// `None` when the case passed; otherwise the first difference.
    pub failure: Option<String>,
}

impl CaseResult {
    /// Whether the case is tagged with `tag` in `requires`.
    pub fn requires(&self, tag: &str) -> bool {
        self.requires.iter().any(|t| t == tag)
    }
}

/// A recorded payload: strings that hold JSON are compared as the JSON they hold.
fn normalize(value: &Value) -> Value {
    match value {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| value.clone()),
        other => other.clone(),
    }
}

/// Whether an execution's error or cause is the recorded one: the same text, or the recorded
/// text with the recorder's placeholders standing for what they masked ([`masked_text_matches`]:
/// a cause naming a masked ARN or request id), or the same JSON value when both are JSON text.
fn texts_equal(expected: Option<&str>, actual: Option<&str>) -> bool {
    match (expected, actual) {
        (Some(e), Some(a)) if e == a => true,
        (Some(e), Some(a)) if e.contains('<') && masked_text_matches(e, a) => true,
        (Some(e), Some(a)) => matches!(
            (serde_json::from_str::<Value>(e), serde_json::from_str::<Value>(a)),
            (Ok(x), Ok(y)) if recorded_matches(&x, &y) && (e.starts_with('{') || e.starts_with('['))
        ),
        (None, None) => true,
        _ => false,
    }
}

/// Whether a recorded value matches ours, where the recording replaced each generated UUID with
/// a `<uuid:N>` placeholder (and ARN parts with `<ArnPart_0idx>` …: [`masked_text_matches`]),
/// and each date-time string with `"timestamp"` or `"date"` (the recorder's
/// snapshot transformer did so even for invalid dates such as `2016-13-05T21:29:29Z`: see the
/// `test_wait_timestamp_*[INVALID_*]` cases, whose inputs hold the dates and whose histories
/// show `"timestamp"`).
pub fn recorded_matches(want: &Value, got: &Value) -> bool {
    match (want, got) {
        // `base/test_base::test_query_context_object_values` masked the context object's times
        // as `start-time` (Execution.StartTime) and `entered-time` (State.EnteredTime).
        (Value::String(w), Value::String(g)) if matches!(w.as_str(), "timestamp" | "date" | "start-time" | "entered-time") => {
            // A date and a time, however separated: the recorder masked `2016-12-05 21:29:29Z`
            // too (`test_wait_timestamp_path[NO_T]`).
            g == w || (g.contains(':') && g.bytes().filter(u8::is_ascii_digit).count() >= 8)
        }
        (Value::String(w), Value::String(g)) if w.contains('<') => w == g || masked_text_matches(w, g),
        // `intrinsic_functions/test_math_operations::test_math_random*` replaced the number
        // States.MathRandom returned with this text.
        (Value::String(w), Value::Number(_)) if w == "RandomNumberGenerated" => true,
        (Value::Object(w), Value::Object(g)) => {
            w.len() == g.len() && w.iter().all(|(k, v)| g.get(k).is_some_and(|x| masked_by_key(k, v) || recorded_matches(v, x)))
        }
        (Value::Array(w), Value::Array(g)) => w.len() == g.len() && w.iter().zip(g).all(|(a, b)| recorded_matches(a, b)),
        _ => want == got,
    }
}

/// Whether the recorder replaced this member's value by a mask named after its key: the SDK
/// metadata of an optimized integration's response (`"RequestId": "RequestId"`,
/// `"x-amzn-RequestId": "x-amzn-RequestId"`, `"X-Amzn-Trace-Id": "X-Amzn-Trace-Id"`, the whole
/// header list) and its HTTP date (`"Date": "date"`), as `services/test_lambda_task_service`'s
/// recordings show. Any value of ours stands there.
///
/// A `.sync` child execution's dates in StartExecution's and DescribeExecution's answers
/// (`"StartDate": "start-date"`, `"StopDate": "stop-date"`, `callback/test_callback`'s
/// `test_start_execution_sync*`) are masked the same way.
fn masked_by_key(key: &str, want: &Value) -> bool {
    want.as_str().is_some_and(|mask| {
        mask == key || matches!((key, mask), ("Date", "date") | ("StartDate", "start-date") | ("StopDate", "stop-date"))
    })
}

/// Whether `got` is `want` with each placeholder the recorder wrote standing for what it masked:
/// `<uuid:N>` for one generated UUID (a Lambda's `requestId`, also inside a cause that is JSON
/// text: `"{\"errorMessage\": …, \"requestId\": \"<uuid:1>\", …}"`), and any other `<name>`
/// (`<ArnPart_0idx>`, `<ExecArnPart_0idx>`, `<partition>`, `<region>`) for one name: a run of
/// letters, digits, `.`, `_` and `-` (an ARN's parts, never its `:` or `/`); `<LogResult:N>`
/// for a Lambda log tail, base64 text.
fn masked_text_matches(want: &str, got: &str) -> bool {
    let is_uuid = |s: &str| s.len() == 36 && s.bytes().enumerate().all(|(i, b)| if [8, 13, 18, 23].contains(&i) { b == b'-' } else { b.is_ascii_hexdigit() });
    let is_name_byte = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-');
    // The next placeholder in `want`: (where it starts, its name, where it ends).
    let placeholder = |want: &str| -> Option<(usize, String, usize)> {
        let mut from = 0;
        while let Some(open) = want[from..].find('<').map(|i| from + i) {
            let name_len = want[open + 1..].bytes().take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-')).count();
            let close = open + 1 + name_len;
            if name_len > 0 && want.as_bytes().get(close) == Some(&b'>') {
                return Some((open, want[open + 1..close].to_string(), close + 1));
            }
            from = open + 1;
        }
        None
    };
    let Some((open, name, after)) = placeholder(want) else { return want == got };
    let Some(rest) = got.strip_prefix(&want[..open]) else { return false };
    let tail = &want[after..];
    if name.starts_with("uuid:") {
        return rest.len() >= 36 && rest.is_char_boundary(36) && is_uuid(&rest[..36]) && masked_text_matches(tail, &rest[36..]);
    }
    // `<LogResult:N>`: a Lambda log tail, base64 text (`LogType: Tail`).
    if name.starts_with("LogResult:") {
        let longest = rest.bytes().take_while(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')).count();
        return (4..=longest).step_by(4).any(|len| masked_text_matches(tail, &rest[len..]));
    }
    // A name of any length the rest then matches (recordings' strings are short).
    let longest = rest.bytes().take_while(|&b| is_name_byte(b)).count();
    (1..=longest).any(|len| masked_text_matches(tail, &rest[len..]))
}

/// A Lambda function a recording calls, declared by what its source does (a case's `lambdas`,
/// keyed by function name; FORMAT.md). LocalStack's tests create each function from a fixed
/// handler file (`lambdafunctions/raise_exception.py` ...), so its behaviour is known from that
/// file alone: it returns its event, returns a constant, or raises.
#[derive(Debug, Clone, PartialEq)]
enum DeclaredFunction {
    /// `{"echo": true}`: returns the event it was given.
    Echo,
    /// `{"return": V}`: returns `V` whatever the event.
    Return(Value),
    /// `{"raise": {"errorType", "errorMessage", "stackTrace", "runtime"}}`: the Python
    /// runtime's error, which Step Functions reports with the exception's class as the error and
    /// Lambda's error document (with a fresh `requestId`) as the cause. The runtimes write that
    /// document differently, as the recordings show: `python3.9` with Python's `json.dumps`
    /// spacing (the default), `python3.12` and later compactly.
    Raise { error_type: String, message: String, stack_trace: Vec<String>, compact: bool },
    /// `{"sleep": {"seconds": N, "then": BEHAVIOUR}}`: runs for N seconds (`time.sleep` in the
    /// handler file), then answers as BEHAVIOUR does; a Task's TimeoutSeconds may end it first.
    Sleep { seconds: u64, then: Box<DeclaredFunction> },
    /// `{"fail": {"error": E, "cause": C}}`: a service call that failed, as the recording's
    /// TaskFailed shows it (`SQS.SdkClientException` for a queue URL whose host does not
    /// resolve): Step Functions reports error `E` with cause `C` (either may be absent).
    Fail { error: Option<String>, cause: Option<String> },
}

/// The one member of a case's tagged object (`{"echo": true}`, `{"success": V}`), or `what` it
/// must be.
fn one_member<'a>(value: &'a Value, what: &str) -> Result<(&'a String, &'a Value), String> {
    let object = value.as_object().filter(|o| o.len() == 1).ok_or(what)?;
    Ok(object.iter().next().expect("one member"))
}

impl DeclaredFunction {
    fn from_json(value: &Value) -> Result<Self, String> {
        let (key, body) = one_member(value, "a declared function is one of {\"echo\": true}, {\"return\": V}, {\"raise\": {…}}, {\"sleep\": {…}}, {\"fail\": {…}}")?;
        match key.as_str() {
            "echo" => Ok(DeclaredFunction::Echo),
            "return" => Ok(DeclaredFunction::Return(body.clone())),
            "raise" => {
                let text = |field: &str| body.get(field).and_then(Value::as_str).map(str::to_string).ok_or(format!("`raise` needs the string {field}"));
                let stack_trace = match body.get("stackTrace") {
                    None => Vec::new(),
                    Some(Value::Array(lines)) => lines.iter().map(|l| l.as_str().map(str::to_string).ok_or("stackTrace holds strings")).collect::<Result<_, _>>()?,
                    Some(_) => return Err("stackTrace is an array of strings".into()),
                };
                let compact = match body.get("runtime").map(|r| r.as_str().ok_or("runtime is a string such as \"python3.12\"")) {
                    None => false,
                    Some(Err(e)) => return Err(e.into()),
                    Some(Ok(runtime)) => {
                        let minor = runtime.strip_prefix("python3.").and_then(|m| m.parse::<u32>().ok());
                        minor.ok_or(format!("unknown runtime {runtime:?}: python3.N"))? >= 12
                    }
                };
                Ok(DeclaredFunction::Raise { error_type: text("errorType")?, message: text("errorMessage")?, stack_trace, compact })
            }
            "return_repeated" => {
                let text = body.get("text").and_then(Value::as_str).ok_or("`return_repeated` needs the string `text`")?;
                let times = body.get("times").and_then(Value::as_u64).ok_or("`return_repeated` needs whole `times`")?;
                Ok(DeclaredFunction::Return(Value::String(text.repeat(times as usize))))
            }
            "sleep" => {
                let seconds = body.get("seconds").and_then(Value::as_u64).ok_or("`sleep` needs whole `seconds`")?;
                let then = DeclaredFunction::from_json(body.get("then").ok_or("`sleep` needs `then`, the behaviour after it")?)?;
                Ok(DeclaredFunction::Sleep { seconds, then: Box::new(then) })
            }
            "fail" => {
                let text = |field: &str| match body.get(field) {
                    None => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(format!("the failure's {field} is a string")),
                };
                Ok(DeclaredFunction::Fail { error: text("error")?, cause: text("cause")? })
            }
            other => Err(format!("unknown function behaviour {other:?}: echo, return, raise, sleep or fail")),
        }
    }
}

impl TaskHandler for DeclaredFunction {
    fn latency_millis(&self) -> u64 {
        match self {
            DeclaredFunction::Sleep { seconds, then } => seconds * 1000 + then.latency_millis(),
            _ => 0,
        }
    }

    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        match self {
            DeclaredFunction::Sleep { then, .. } => then.invoke(request, context),
            DeclaredFunction::Echo => Ok(request.input.clone()),
            DeclaredFunction::Return(value) => Ok(value.clone()),
            DeclaredFunction::Fail { error, cause } => Err(StatesError::named(error.clone(), cause.clone())),
            DeclaredFunction::Raise { error_type, message, stack_trace, compact } => {
                let request_id = crate::asl::jsonata::functions::uuid_from(&mut *context.rng);
                let document = serde_json::json!({
                    "errorMessage": message, "errorType": error_type, "requestId": request_id, "stackTrace": stack_trace,
                });
                let text = if *compact { document.to_string() } else { crate::asl::python::json_dumps(&document) };
                Err(StatesError::new(error_type.clone(), text))
            }
        }
    }
}

/// The account and region the runner's executions run in: the account as the recorder wrote it
/// (111111111111); the region is one the recordings mask (`<region>`).
const ACCOUNT: &str = "111111111111";
const REGION: &str = "us-east-1";

/// Lambda as a case's `lambda:invoke` Tasks reach it: the declared function its `FunctionName`
/// names, or Lambda's answer for a name the account has no function under,
/// `Lambda.ResourceNotFoundException` with AWS's cause (`error_handling/test_task_service_lambda
/// ::test_no_such_function`: "Function not found: arn:aws:lambda:REGION:ACCOUNT:function:NAME
/// (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID:
/// UUID; Proxy: null)").
struct DeclaredLambda {
    functions: Vec<(String, DeclaredFunction)>,
    /// The latency of the function called last (a Task reads it again once the call is made).
    latency: u64,
}

impl TaskHandler for DeclaredLambda {
    fn latency_millis(&self) -> u64 {
        self.latency
    }

    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let name = request.function_name.unwrap_or_default();
        match self.functions.iter_mut().find(|(n, _)| n == name) {
            Some((_, function)) => {
                self.latency = function.latency_millis();
                function.invoke(request, context)
            }
            None => {
                self.latency = 0;
                let request_id = crate::asl::jsonata::functions::uuid_from(&mut *context.rng);
                Err(StatesError::new(
                    "Lambda.ResourceNotFoundException",
                    format!(
                        "Function not found: arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: {request_id}; Proxy: null)"
                    ),
                ))
            }
        }
    }
}

/// The handlers of a case's declared Lambda functions (`lambdas`, by function name) and service
/// calls (`services`, by resource ARN: what the service answered, such as SQS's `sendMessage`
/// response before a `.waitForTaskToken` task waits). Also the handlers of a child machine a
/// case declares in `machines` (its own `lambdas`), built by the caller that runs them
/// ([`run_dir_with`]).
pub fn declared_functions(case: &Value) -> Result<HandlerRegistry, String> {
    let mut registry = HandlerRegistry::new();
    register_declared_functions(case, &mut registry)?;
    Ok(registry)
}

/// [`declared_functions`] registered into `registry`, over what it holds (a TestState call's
/// `lambdas`, beside the simulator's own handlers).
pub fn register_declared_functions(case: &Value, registry: &mut HandlerRegistry) -> Result<(), String> {
    let mut lambda = DeclaredLambda { functions: Vec::new(), latency: 0 };
    for field in ["lambdas", "services"] {
        if let Some(declared) = case.get(field) {
            let declared = declared.as_object().ok_or(format!("`{field}` is an object of names"))?;
            for (name, behaviour) in declared {
                let function = DeclaredFunction::from_json(behaviour).map_err(|e| format!("{field}/{name}: {e}"))?;
                if field == "lambdas" {
                    lambda.functions.push((name.clone(), function.clone()));
                }
                registry.register(name.clone(), function);
            }
        }
    }
    // A Lambda ARN Task finds its function by name; a `lambda:invoke` Task finds Lambda, which
    // looks the name up (and may not find it).
    if !lambda.functions.is_empty() {
        registry.register("arn:aws:states:::lambda:invoke", lambda);
    }
    Ok(())
}

/// One answer a recording's test sent to a task waiting for its token (a case's `callbacks`,
/// FORMAT.md): SendTaskHeartbeat, SendTaskSuccess with an output, SendTaskFailure with an
/// optional error and cause.
#[derive(Debug, Clone, PartialEq)]
enum Callback {
    Heartbeat,
    Success(Value),
    Failure { error: Option<String>, cause: Option<String> },
}

impl Callback {
    fn from_json(value: &Value) -> Result<Self, String> {
        let (key, body) = one_member(value, "a callback is one of {\"heartbeat\": true}, {\"success\": V}, {\"failure\": {\"error\": E, \"cause\": C}}")?;
        match key.as_str() {
            "heartbeat" => Ok(Callback::Heartbeat),
            "success" => Ok(Callback::Success(body.clone())),
            "failure" => {
                let text = |field: &str| match body.get(field) {
                    None => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s.clone())),
                    Some(_) => Err(format!("the failure's {field} is a string")),
                };
                Ok(Callback::Failure { error: text("error")?, cause: text("cause")? })
            }
            other => Err(format!("unknown callback {other:?}: heartbeat, success or failure")),
        }
    }
}

/// Runs the execution to its end, answering each task that waits for its token with the case's
/// callbacks in order; when none is left, time passes (a year at most) so that a task's
/// TimeoutSeconds or HeartbeatSeconds runs out as it did when the test sent nothing more.
fn run_answering(mut execution: Execution, case: &Value) -> Result<Execution, String> {
    let answers = match case.get("callbacks") {
        None => Vec::new(),
        Some(Value::Array(list)) => list.iter().enumerate().map(|(i, c)| Callback::from_json(c).map_err(|e| format!("callbacks/{i}: {e}"))).collect::<Result<_, _>>()?,
        Some(_) => return Err("`callbacks` is an array".into()),
    };
    let mut answers = answers.into_iter().enumerate();
    while execution.run() == StepOutcome::AwaitingCallback {
        let Some((i, answer)) = answers.next() else {
            const A_YEAR_MS: u64 = 366 * 86_400_000;
            execution.advance_time(A_YEAR_MS);
            break;
        };
        let token = execution.pending_task_tokens().into_iter().next().ok_or(format!("callbacks/{i}: no task waits for a token"))?;
        let delivered = match answer {
            Callback::Heartbeat => execution.send_task_heartbeat(&token),
            Callback::Success(output) => execution.send_task_success(&token, output),
            Callback::Failure { error, cause } => execution.send_task_failure(&token, StatesError::named(error, cause)),
        };
        if !delivered {
            return Err(format!("callbacks/{i}: the task waiting for the token did not take the answer"));
        }
    }
    if let Some((i, _)) = answers.next() {
        return Err(format!("callbacks/{i}: the execution ended before this answer"));
    }
    Ok(execution)
}

fn compact(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_default();
    if text.len() > 300 { format!("{}…", &text[..text.char_indices().nth(300).map_or(text.len(), |(i, _)| i)]) } else { text }
}

/// What a caller above `asl` adds to a case's handlers: the handlers this layer cannot name,
/// such as the nested-execution handler that runs the child machines a case declares in
/// `machines` (`handlers::nested::case_machines`), `s3` (`handlers::services::case_s3`): both
/// through `handlers::case_declarations`.
pub type ExtraHandlers<'a> = &'a dyn Fn(&Value, &mut HandlerRegistry) -> Result<(), String>;

/// The extra handlers of [`run_case`] and [`run_dir`]: none. A case that declares child machines
/// says it needs a runner that can start them.
fn no_extra_handlers(case: &Value, _: &mut HandlerRegistry) -> Result<(), String> {
    match case.get("machines") {
        Some(_) => Err("the case starts child machines (`machines`): run it with the nested-execution handler (run_dir_with)".into()),
        None => Ok(()),
    }
}

/// Runs one case given as JSON; `Err` says why the case could not even be read.
pub fn run_case(case: &Value) -> CaseResult {
    run_case_with(case, &no_extra_handlers)
}

/// [`run_case`] with handlers `extra` adds to the case's declared ones.
pub fn run_case_with(case: &Value, extra: ExtraHandlers) -> CaseResult {
    let name = case.get("name").and_then(Value::as_str).unwrap_or("?").to_string();
    let requires = case
        .get("requires")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let failure = check_case(case, extra).err();
    CaseResult { name, requires, failure }
}

fn check_case(case: &Value, extra: ExtraHandlers) -> Result<(), String> {
    let definition = case.get("definition").ok_or("the case has no definition")?;
    let program = Program::from_text(&definition.to_string()).map_err(|e| format!("definition does not compile: {e}"))?;
    let input = case.get("input").cloned().unwrap_or(Value::Object(Default::default()));
    // The recorder wrote the account as 111111111111 and the role as snf_role_arn: the
    // execution runs as them (the context object's ARNs, `test_context_object`).
    let config = ExecutionConfig { role_arn: "snf_role_arn".into(), account: ACCOUNT.into(), region: REGION.into(), ..ExecutionConfig::default() };
    let mut handlers = declared_functions(case)?;
    extra(case, &mut handlers)?;
    let execution = run_answering(Execution::start(Arc::new(program), input, Box::new(VirtualClock::default()), handlers, config), case)?;
    let expected = case.get("expected").ok_or("the case has no expected outcome")?;
    let expected_status = expected.get("status").and_then(Value::as_str).unwrap_or("");
    let status = execution.status();
    if status.name() != expected_status {
        let detail = match status {
            ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => format!(" ({e})"),
            ExecutionStatus::Succeeded { output } => format!(" (output {})", compact(output)),
            ExecutionStatus::Running => " (still running: awaiting a callback)".into(),
        };
        return Err(format!("status: expected {expected_status}, got {}{detail}", status.name()));
    }
    match status {
        ExecutionStatus::Succeeded { output } => {
            let want = expected.get("output").cloned().unwrap_or(Value::Null);
            if !recorded_matches(&want, output) {
                return Err(format!("output: expected {}, got {}", compact(&want), compact(output)));
            }
        }
        ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => {
            let want_error = expected.get("error").and_then(Value::as_str);
            if want_error != e.error.as_deref() {
                return Err(format!("error: expected {want_error:?}, got {:?}", e.error));
            }
            let want_cause = expected.get("cause").and_then(Value::as_str);
            if !texts_equal(want_cause, e.cause.as_deref()) {
                return Err(format!("cause: expected {want_cause:?}, got {:?}", e.cause));
            }
        }
        ExecutionStatus::Running => {}
    }
    if let Some(history) = case.get("history").and_then(Value::as_array).filter(|h| !h.is_empty()) {
        // A case recorded with GetExecutionHistory's `reverseOrder: true` lists the events last
        // first; the source names the parameter.
        let source = case.get("source").and_then(Value::as_str).unwrap_or("");
        let forward: Vec<Value> =
            if source.contains("reverseOrder[True]") { history.iter().rev().cloned().collect() } else { history.clone() };
        // A history the recorder normalised around Parallel states is compared with ours
        // normalised the same way (see [`as_recorded`]).
        if forward.iter().any(|e| e.get("id").is_some_and(is_normalised_id)) {
            compare_history(&forward, &as_recorded(execution.history()))?;
        } else {
            compare_history(&forward, execution.history())?;
        }
    }
    Ok(())
}

/// Our history as the recorder left AWS's: LocalStack's snapshot tests pass the history of a
/// case with Parallel states through a normaliser (`SfnNoneRecursiveParallelTransformer`,
/// described here from its observable effect, not copied) before recording it:
///
/// - the events after a `ParallelStateStarted` are collected, their ids set to `[0]` and
///   previousEventIds to 0, until the next Parallel end event (`ParallelStateSucceeded`,
///   `…Failed`, `…Aborted`, `…Exited`), where the slice from after the start up to that end
///   event is replaced by the collected events sorted by their JSON text (AWS's `timestamp` is
///   first in that text and was already the placeholder "timestamp", so the order is the
///   event's type, then its details: every branch's Entered before every Exited);
/// - the replacement happens again at every later Parallel end event, with the same collection,
///   so each one removes the end event before it: a Parallel's `ParallelStateSucceeded` is lost
///   at its `ParallelStateExited`, and a nested Parallel loses three events;
/// - the walk goes on by index over the shrinking list, so the event just after a removal is
///   not looked at.
///
/// That is why the two recorded cases with Parallel states list `ParallelStateExited` with no
/// `ParallelStateSucceeded` before it, their branch events grouped by type, and the nested one
/// nine events whose last ids are 11 and 12. The runner applies the same steps to our history
/// so that everything the recorder kept is compared, and the branch events as a set.
fn as_recorded(actual: &[HistoryEvent]) -> Vec<HistoryEvent> {
    let mut events = actual.to_vec();
    let mut start: Option<usize> = None;
    let mut collected: Vec<HistoryEvent> = Vec::new();
    let mut collecting = false;
    let mut i = 0;
    while i < events.len() {
        match events[i].kind.type_name() {
            "ParallelStateSucceeded" | "ParallelStateFailed" | "ParallelStateAborted" | "ParallelStateExited" => {
                let mut sorted = collected.clone();
                sorted.sort_by_cached_key(|e| (e.kind.type_name(), e.kind.state_name().map(str::to_string), e.to_json().to_string()));
                events.splice(start.unwrap_or(0)..i, sorted);
                collecting = false;
            }
            "ParallelStateStarted" => {
                collecting = true;
                collected.clear();
                start = Some(i + 1);
            }
            _ if collecting => collected.push(events[i].clone()),
            _ => {}
        }
        i += 1;
    }
    events
}

/// The id the recorder gave the events inside a Parallel branch: `[0]`.
fn is_normalised_id(id: &Value) -> bool {
    matches!(id.as_array().map(Vec::as_slice), Some([n]) if n.as_u64() == Some(0))
}

/// Compares a recorded history with ours, event by event: type, id and previousEventId, then
/// the state events' names, inputs, outputs and assigned variables.
///
/// What is not compared, and why: the id and previousEventId of the events inside a Parallel
/// branch, which the recorder replaced with `[0]` and 0 ([`is_normalised_id`]; 9 events in 3
/// cases). Everything else about those events is compared, and so are the ids of every event
/// around them. No case is skipped.
fn compare_history(expected: &[Value], actual: &[HistoryEvent]) -> Result<(), String> {
    for (i, want) in expected.iter().enumerate() {
        let want_type = want.get("type").and_then(Value::as_str).unwrap_or("");
        let Some(got) = actual.get(i) else {
            return Err(format!("history: event #{} expected {want_type}, got the end of the history", i + 1));
        };
        if got.kind.type_name() != want_type {
            return Err(format!("history: event #{} expected {want_type}, got {}", i + 1, got.kind.type_name()));
        }
        // Ids and links. The recorder replaced the ids of the events inside a Parallel branch
        // with `[0]` and their previousEventId with 0 (FORMAT.md: "Inside Parallel, branch events
        // were normalised"): for those events, and only those, neither is compared. Every other
        // event's id and previousEventId must be AWS's.
        if let Some(want_id) = want.get("id").and_then(Value::as_u64) {
            if got.id != want_id {
                return Err(format!("history: event #{} ({want_type}) id: expected {want_id}, got {}", i + 1, got.id));
            }
            let want_previous = want.get("previousEventId").and_then(Value::as_u64);
            if want_previous != Some(got.previous_event_id) {
                return Err(format!(
                    "history: event #{} ({want_type}) previousEventId: expected {}, got {}",
                    i + 1,
                    want_previous.map_or("none".into(), |p| p.to_string()),
                    got.previous_event_id
                ));
            }
        } else if !want.get("id").is_some_and(is_normalised_id) {
            return Err(format!("history: event #{} ({want_type}) has no id the runner can read: {:?}", i + 1, want.get("id")));
        }
        let details = want.get("stateEnteredEventDetails").or_else(|| want.get("stateExitedEventDetails"));
        if let Some(details) = details {
            let want_name = details.get("name").and_then(Value::as_str);
            if want_name != got.kind.state_name() {
                return Err(format!("history: event #{} ({want_type}) name: expected {want_name:?}, got {:?}", i + 1, got.kind.state_name()));
            }
            if let (Some(want), EventKind::StateExited { assigned, .. }) = (details.get("assignedVariables"), &got.kind) {
                let want: serde_json::Map<String, Value> =
                    want.as_object().map(|m| m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()).unwrap_or_default();
                let got_assigned = assigned.as_deref().cloned().unwrap_or_default();
                if !recorded_matches(&Value::Object(want.clone()), &Value::Object(got_assigned.clone())) {
                    return Err(format!(
                        "history: event #{} ({want_type}) assignedVariables: expected {}, got {}",
                        i + 1,
                        compact(&Value::Object(want)),
                        compact(&Value::Object(got_assigned))
                    ));
                }
            }
            let (field, value) = match &got.kind {
                EventKind::StateEntered { input, .. } => ("input", input),
                EventKind::StateExited { output, .. } => ("output", output),
                _ => continue,
            };
            if let Some(want_value) = details.get(field) {
                let want_value = normalize(want_value);
                if !recorded_matches(&want_value, value) {
                    return Err(format!(
                        "history: event #{} ({want_type} {}) {field}: expected {}, got {}",
                        i + 1,
                        want_name.unwrap_or(""),
                        compact(&want_value),
                        compact(value)
                    ));
                }
            }
        }
    }
    if actual.len() > expected.len() {
        return Err(format!("history: {} extra events, first {}", actual.len() - expected.len(), actual[expected.len()].kind.type_name()));
    }
    Ok(())
}

/// Runs every `*.json` case of `dir` in name order whose tags pass `include`.
pub fn run_dir(dir: &Path, include: impl Fn(&[String]) -> bool) -> std::io::Result<Vec<CaseResult>> {
    run_dir_with(dir, include, &no_extra_handlers)
}

/// [`run_dir`] with handlers `extra` adds to each case's declared ones.
pub fn run_dir_with(dir: &Path, include: impl Fn(&[String]) -> bool, extra: ExtraHandlers) -> std::io::Result<Vec<CaseResult>> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut results = Vec::with_capacity(paths.len());
    for path in paths {
        let text = std::fs::read_to_string(&path)?;
        let case: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                results.push(CaseResult {
                    name: path.display().to_string(),
                    requires: Vec::new(),
                    failure: Some(format!("not JSON: {e}")),
                });
                continue;
            }
        };
        let requires: Vec<String> = case
            .get("requires")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
            .unwrap_or_default();
        if include(&requires) {
            results.push(run_case_with(&case, extra));
        }
    }
    Ok(results)
}

/// One line per failing case with its first difference, then the summary
/// `AWS-recorded cases: N of M match` (not "N passed, N failed", which a CI log reader would take
/// for a test runner's own result).
pub fn report(results: &[CaseResult]) -> String {
    let mut out = String::new();
    for r in results {
        if let Some(f) = &r.failure {
            out.push_str(&format!("FAIL {}: {}\n", r.name, f));
        }
    }
    let passed = results.iter().filter(|r| r.failure.is_none()).count();
    out.push_str(&format!("AWS-recorded cases: {passed} of {} match\n", results.len()));
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A one-Pass case whose history is AWS's, with `edit` applied to it.
    fn pass_case(edit: impl FnOnce(&mut Vec<Value>)) -> Value {
        let mut history = vec![
            json!({"id": 1, "previousEventId": 0, "type": "ExecutionStarted"}),
            json!({"id": 2, "previousEventId": 0, "type": "PassStateEntered", "stateEnteredEventDetails": {"name": "P", "input": {"a": 1}}}),
            json!({"id": 3, "previousEventId": 2, "type": "PassStateExited", "stateExitedEventDetails": {"name": "P", "output": {"a": 1}}}),
            json!({"id": 4, "previousEventId": 3, "type": "ExecutionSucceeded"}),
        ];
        edit(&mut history);
        json!({
            "name": "pass",
            "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
            "input": {"a": 1},
            "expected": {"status": "SUCCEEDED", "output": {"a": 1}},
            "history": history,
        })
    }

    #[test]
    fn ids_and_previous_ids_are_compared() {
        assert_eq!(run_case(&pass_case(|_| {})).failure, None);
        let wrong_link = run_case(&pass_case(|h| h[2]["previousEventId"] = json!(1))).failure.unwrap();
        assert!(wrong_link.contains("previousEventId: expected 1, got 2"), "{wrong_link}");
        let wrong_id = run_case(&pass_case(|h| h[3]["id"] = json!(5))).failure.unwrap();
        assert!(wrong_id.contains("id: expected 5, got 4"), "{wrong_id}");
    }

    /// The recorder's normalisation, applied to our history of a nested Parallel and of a flat
    /// one with three branches: the events it lost and the order it sorted are AWS's recordings'.
    #[test]
    fn our_history_normalised_as_the_recorder_did_loses_and_sorts_the_same_events() {
        let run = |definition: Value| {
            let program = Program::from_text(&definition.to_string()).unwrap();
            let execution = Execution::start(Arc::new(program), json!({}), Box::new(VirtualClock::default()), HandlerRegistry::new(), ExecutionConfig::default()).run_to_end();
            as_recorded(execution.history()).iter().map(|e| (e.id, e.kind.type_name(), e.kind.state_name().map(str::to_string))).collect::<Vec<_>>()
        };
        let nested = run(json!({"StartAt": "L1", "States": {"L1": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "L2", "States": {"L2": {"Type": "Parallel", "End": true, "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}]}}}));
        let ids_and_types: Vec<(u64, &str)> = nested.iter().map(|(id, t, _)| (*id, *t)).collect();
        assert_eq!(ids_and_types, [
            (1, "ExecutionStarted"), (2, "ParallelStateEntered"), (3, "ParallelStateStarted"), (4, "ParallelStateEntered"),
            (5, "ParallelStateStarted"), (6, "PassStateEntered"), (7, "PassStateExited"), (11, "ParallelStateExited"), (12, "ExecutionSucceeded"),
        ]);
        let flat = run(json!({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
            {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
            {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}]}}}));
        let order: Vec<(&str, Option<&str>)> = flat.iter().map(|(_, t, n)| (*t, n.as_deref())).collect();
        assert_eq!(order[3..], [
            ("PassStateEntered", Some("A")), ("PassStateEntered", Some("B")), ("PassStateExited", Some("A")), ("PassStateExited", Some("B")),
            ("ParallelStateExited", Some("P")), ("ExecutionSucceeded", None),
        ]);
    }

    #[test]
    fn only_the_recorders_normalised_ids_are_not_compared() {
        let normalised = pass_case(|h| {
            h[1]["id"] = json!([0]);
            h[1]["previousEventId"] = json!(0);
        });
        assert_eq!(run_case(&normalised).failure, None);
        let unreadable = run_case(&pass_case(|h| h[1]["id"] = json!("2"))).failure.unwrap();
        assert!(unreadable.contains("no id the runner can read"), "{unreadable}");
    }

    #[test]
    fn a_masked_uuid_inside_a_string_matches_any_uuid_there_only() {
        let want = r#"{"requestId": "<uuid:1>", "x": 1}"#;
        assert!(masked_text_matches(want, r#"{"requestId": "0a1b2c3d-0000-4000-8000-00000000abcd", "x": 1}"#));
        assert!(!masked_text_matches(want, r#"{"requestId": "not-a-uuid-at-all-but-thirty-six-ch", "x": 1}"#));
        assert!(!masked_text_matches(want, r#"{"requestId": "0a1b2c3d-0000-4000-8000-00000000abcd", "x": 2}"#));
        assert!(!masked_text_matches(want, r#"{"requestId": "0a1b2c3d-0000-4000-8000-00000000abcd", "x": 1} "#));
    }

    /// A masked Lambda log tail stands for base64 text only.
    #[test]
    fn a_masked_log_result_matches_base64_text() {
        assert!(masked_text_matches("<LogResult:1>", "U1RBUlQgUmVxdWVzdElkOg=="));
        assert!(masked_text_matches("<LogResult:1>", "U1RB+/Rz"));
        assert!(!masked_text_matches("<LogResult:1>", "START RequestId"));
        assert!(!masked_text_matches("<LogResult:1>", "U1RBU"));
        assert!(!masked_text_matches("<LogResult:1>", ""));
    }

    /// An ARN's masked parts stand for one name each, never for its separators.
    #[test]
    fn masked_arn_parts_match_one_name_each() {
        let want = "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>";
        assert!(masked_text_matches(want, "arn:aws:states:us-east-1:111111111111:execution:StateMachine:my-run_1"));
        assert!(!masked_text_matches(want, "arn:aws:states:us-east-1:111111111111:execution:StateMachine"));
        assert!(!masked_text_matches(want, "arn:aws:states:us-east-1:222222222222:execution:M:e"));
        assert!(!masked_text_matches("a/<name>/b", "a/x/y/b"));
        assert!(recorded_matches(&json!({"StartTime": "date", "n": "<x>"}), &json!({"StartTime": "2026-12-07T04:00:00.000Z", "n": "<x>"})));
    }

    /// A declared function that raises fails the Task with the exception's class and Lambda's
    /// error document, written as Python writes it; a bad declaration is the case's failure.
    #[test]
    fn declared_functions_answer_as_their_handler_files_do() {
        let case = |lambdas: Value| {
            json!({
                "name": "lambda",
                "definition": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:111111111111:function:f", "End": true}}},
                "input": {"a": "é"},
                "lambdas": lambdas,
                "expected": {"status": "SUCCEEDED", "output": {"a": "é"}},
            })
        };
        assert_eq!(run_case(&case(json!({"f": {"echo": true}}))).failure, None);
        let constant = run_case(&case(json!({"f": {"return": 7}}))).failure.unwrap();
        assert!(constant.contains("output: expected {\"a\":\"é\"}, got 7"), "{constant}");
        let raised = run_case(&case(json!({"f": {"raise": {"errorType": "Exception", "errorMessage": "bad é", "stackTrace": ["  line 2\n"]}}})));
        let failure = raised.failure.unwrap();
        assert!(failure.starts_with("status: expected SUCCEEDED, got FAILED") && failure.contains("requestId"), "{failure}");
        let mut failed = case(json!({"f": {"raise": {"errorType": "Exception", "errorMessage": "bad é", "stackTrace": ["  line 2\n"]}}}));
        failed["expected"] = json!({"status": "FAILED", "error": "Exception",
            "cause": r#"{"errorMessage": "bad \u00e9", "errorType": "Exception", "requestId": "<uuid:1>", "stackTrace": ["  line 2\n"]}"#});
        assert_eq!(run_case(&failed).failure, None);
        // The python3.12 runtime writes the same document compactly (how it writes non-ASCII text
        // is in no recording: this only pins what the runner does).
        failed["lambdas"]["f"]["raise"]["runtime"] = json!("python3.12");
        failed["expected"]["cause"] = json!(r#"{"errorMessage":"bad é","errorType":"Exception","requestId":"<uuid:1>","stackTrace":["  line 2\n"]}"#);
        assert_eq!(run_case(&failed).failure, None);
        failed["lambdas"]["f"]["raise"]["runtime"] = json!("nodejs20.x");
        assert!(run_case(&failed).failure.unwrap().contains("unknown runtime \"nodejs20.x\""));
        let unknown = run_case(&case(json!({"f": {"nap": 3}}))).failure.unwrap();
        assert!(unknown.contains("lambdas/f: unknown function behaviour \"nap\""), "{unknown}");
        // A function that sleeps longer than the Task's TimeoutSeconds times out.
        let mut slow = case(json!({"f": {"sleep": {"seconds": 60, "then": {"echo": true}}}}));
        assert_eq!(run_case(&slow).failure, None);
        slow["definition"]["States"]["T"]["TimeoutSeconds"] = json!(5);
        slow["expected"] = json!({"status": "FAILED", "error": "States.Timeout"});
        assert_eq!(run_case(&slow).failure, None);
    }

    /// A service call declared failing (`{"fail": …}`) fails the Task with that error and cause,
    /// which a Catch sees like any other.
    #[test]
    fn a_declared_service_failure_fails_the_task() {
        let case = |catch: Value, expected: Value| {
            json!({"name": "fail", "input": {},
                "definition": {"StartAt": "T", "States": {
                    "T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl": "q", "MessageBody": "m"}, "Catch": catch, "End": true},
                    "H": {"Type": "Pass", "End": true}}},
                "services": {"arn:aws:states:::sqs:sendMessage": {"fail": {"error": "SQS.SdkClientException", "cause": "Unable to execute HTTP request"}}},
                "expected": expected})
        };
        let failed = json!({"status": "FAILED", "error": "SQS.SdkClientException", "cause": "Unable to execute HTTP request"});
        assert_eq!(run_case(&case(json!([]), failed)).failure, None);
        let caught = json!({"status": "SUCCEEDED", "output": {"Error": "SQS.SdkClientException", "Cause": "Unable to execute HTTP request"}});
        assert_eq!(run_case(&case(json!([{"ErrorEquals": ["SQS.SdkClientException"], "Next": "H"}]), caught)).failure, None);
    }

    /// A `.waitForTaskToken` case: the service's answer from `services`, the test's answers from
    /// `callbacks` in order; with none left, time passes until the task's timeout.
    #[test]
    fn callbacks_answer_the_waiting_task_in_order_then_time_runs_out() {
        let case = |fields: Value, callbacks: Value, expected: Value| {
            let mut task = json!({"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                "Parameters": {"MessageBody": {"TaskToken.$": "$$.Task.Token"}}, "End": true});
            task.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
            json!({"name": "callback", "definition": {"StartAt": "T", "States": {"T": task}}, "input": {},
                "services": {"arn:aws:states:::sqs:sendMessage.waitForTaskToken": {"return": {"MessageId": "m"}}},
                "callbacks": callbacks, "expected": expected})
        };
        let ok = json!({"status": "SUCCEEDED", "output": "done"});
        let beats = json!([{"heartbeat": true}, {"heartbeat": true}, {"success": "done"}]);
        assert_eq!(run_case(&case(json!({"HeartbeatSeconds": 5}), beats, ok.clone())).failure, None);
        let failed = json!({"status": "FAILED", "error": "E", "cause": "C"});
        assert_eq!(run_case(&case(json!({}), json!([{"failure": {"error": "E", "cause": "C"}}]), failed)).failure, None);
        let timed_out = json!({"status": "FAILED", "error": "States.Timeout"});
        assert_eq!(run_case(&case(json!({"TimeoutSeconds": 5}), json!([]), timed_out.clone())).failure, None);
        assert_eq!(run_case(&case(json!({"HeartbeatSeconds": 5}), json!([]), timed_out)).failure, None);
        let left_over = run_case(&case(json!({}), json!([{"success": "done"}, {"heartbeat": true}]), ok.clone())).failure.unwrap();
        assert!(left_over.contains("callbacks/1: the execution ended before this answer"), "{left_over}");
        let unknown = run_case(&case(json!({}), json!([{"maybe": 1}]), ok)).failure.unwrap();
        assert!(unknown.contains("callbacks/0: unknown callback \"maybe\""), "{unknown}");
    }

    /// The recorder masked SDK metadata by its key's name and HTTP dates as `date`: any value
    /// matches there, and only there.
    #[test]
    fn values_masked_by_their_key_match_any_value() {
        let want = json!({"RequestId": "RequestId", "Date": "date", "Other": "Other", "n": 1});
        assert!(recorded_matches(&want, &json!({"RequestId": "a-b", "Date": "Mon, 07 Dec 2026 04:00:00 GMT", "Other": ["x"], "n": 1})));
        assert!(!recorded_matches(&want, &json!({"RequestId": "a-b", "Date": "x", "Other": "x", "n": 2})));
        assert!(!recorded_matches(&json!({"Date": "Date"}), &json!({"Date": "date"})) || masked_by_key("Date", &json!("Date")));
        assert!(!masked_by_key("RequestId", &json!("requestid")) && !masked_by_key("Date", &json!("DATE")));
    }

    /// A `.sync` child's dates are masked by key (`"StartDate": "start-date"`), and only there.
    #[test]
    fn a_sync_childs_dates_are_masked_by_their_key() {
        assert!(recorded_matches(&json!({"StartDate": "start-date", "StopDate": "stop-date"}), &json!({"StartDate": 1704067200000_i64, "StopDate": 1704067205000_i64})));
        assert!(!recorded_matches(&json!({"Name": "start-date"}), &json!({"Name": 1})));
        assert!(!recorded_matches(&json!({"StopDate": "start-date"}), &json!({"StopDate": 1})));
    }

    /// A case that starts child machines says so when run without the nested handler, and the
    /// handlers a caller adds are registered for the run.
    #[test]
    fn child_machines_need_the_callers_handler() {
        let mut case = pass_case(|_| {});
        case["machines"] = json!({"arn:aws:states:us-east-1:111111111111:stateMachine:c": {"definition": {}}});
        assert!(run_case(&case).failure.unwrap().contains("`machines`"));
        let called = std::cell::Cell::new(false);
        let extra = |c: &Value, _: &mut HandlerRegistry| {
            called.set(c.get("machines").is_some());
            Ok(())
        };
        assert_eq!(run_case_with(&case, &extra).failure, None);
        assert!(called.get());
        let refusing = |_: &Value, _: &mut HandlerRegistry| Err("no such machine".to_string());
        assert_eq!(run_case_with(&case, &refusing).failure.as_deref(), Some("no such machine"));
    }

    #[test]
    fn the_summary_counts_matching_cases() {
        let results = [run_case(&pass_case(|_| {})), run_case(&pass_case(|h| h[3]["id"] = json!(9)))];
        let text = report(&results);
        assert!(text.ends_with("AWS-recorded cases: 1 of 2 match\n"), "{text}");
        assert!(text.starts_with("FAIL pass: history: event #4"), "{text}");
    }
}
