//! The performance workloads of `../shared/bench/` (the same ASL files the peer interpreter
//! runs), with the peer harness's inputs, task-handler semantics and expected outputs.
//!
//! Owns: the list of workloads ([`WORKLOADS`]), their inputs, the `order_workflow` handlers,
//! running every execution of a workload on a virtual clock ([`run_workload`]) and checking the
//! outputs and the transition count ([`WorkloadSpec::verify`]). It has no wall clock and reads
//! no files: the caller (`statecraft bench`, `benches/asl_interp.rs`) passes the definition text
//! and does the timing.

use std::rc::Rc;
use std::sync::Arc;

use serde_json::{Map, Value, json};

use crate::asl::clock::VirtualClock;
use crate::asl::json::Compact;
use crate::asl::interp::plug::{HandlerRegistry, TaskContext, TaskHandler, TaskRequest};
use crate::asl::history::EventKind;
use crate::asl::interp::{CompileError, Execution, ExecutionConfig, ExecutionStatus, ExecutionType, Program, StatesError};
use crate::asl::value::{Payload, Shared};

/// One workload: a definition, a number of sequential executions and what they must give.
#[derive(Debug, Clone, Copy)]
pub struct WorkloadSpec {
    /// The workload's name, as the peer harness calls it.
    pub name: &'static str,
    /// The definition's file name in the workloads directory.
    pub file: &'static str,
    /// Sequential executions per run.
    pub executions: usize,
    /// State transitions (StateEntered events) per run, nested states included.
    pub transitions: u64,
    /// Standard, or Express where a Standard workflow would pass 25,000 history events.
    pub execution_type: ExecutionType,
    /// How many runs one measuring process makes (the first is "cold").
    pub inner: usize,
}

const LOOP_N: u64 = 10_000;
const MAP_ITEMS: usize = 10_000;
const ORDER_RUNS: usize = 10_000;
const PAR_RUNS: usize = 1_000;

/// The workloads of the peer harness, in its order.
pub const WORKLOADS: &[WorkloadSpec] = &[
    WorkloadSpec { name: "loop_counter", file: "loop_counter.json", executions: 1, transitions: 2 * LOOP_N + 3, execution_type: ExecutionType::Express, inner: 2 },
    WorkloadSpec { name: "map_10k", file: "map_10k.json", executions: 1, transitions: 1 + 3 * MAP_ITEMS as u64, execution_type: ExecutionType::Express, inner: 2 },
    WorkloadSpec { name: "order_workflow", file: "order_workflow.json", executions: ORDER_RUNS, transitions: 39_000, execution_type: ExecutionType::Standard, inner: 2 },
    WorkloadSpec { name: "wait_heavy", file: "wait_heavy.json", executions: 1, transitions: 1_000, execution_type: ExecutionType::Standard, inner: 11 },
    WorkloadSpec { name: "parallel_fanout", file: "parallel_fanout.json", executions: PAR_RUNS, transitions: 101 * PAR_RUNS as u64, execution_type: ExecutionType::Standard, inner: 2 },
    WorkloadSpec { name: "chain_500", file: "chain_500.json", executions: 100, transitions: 50_000, execution_type: ExecutionType::Standard, inner: 2 },
    WorkloadSpec { name: "choice_200", file: "choice_200.json", executions: 100, transitions: 15_300, execution_type: ExecutionType::Standard, inner: 2 },
];

/// The workload called `name`.
pub fn workload(name: &str) -> Option<&'static WorkloadSpec> {
    WORKLOADS.iter().find(|w| w.name == name)
}

/// What one run of a workload produced.
#[derive(Debug, Clone)]
pub struct WorkloadRun {
    /// Each execution's output, or its error as `{"Error", "Cause"}` under `"failed"`, kept in
    /// a compact form ([`Kept`]): 10,000 order outputs as `Value`s would take 18 MiB, most of it
    /// hash indexes and spare entry slots nobody reads again.
    pub outputs: Vec<Kept>,
    /// StateEntered events over all executions.
    pub transitions: u64,
}

/// An output as a run keeps it: as the handlers built it, in its shared form (objects are one
/// vector of members, keys shared), or else moved into the compact form ([`Compact`]).
#[derive(Debug, Clone)]
pub enum Kept {
    Shared(Shared),
    Compact(Compact),
}

impl Kept {
    /// Keeps an execution's output.
    pub fn new(output: Payload) -> Kept {
        match Payload::into_shared(output) {
            Ok(shared) => Kept::Shared(shared),
            Err(output) => Kept::Compact(Compact::from(Payload::into_value(output))),
        }
    }

    /// The output as a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        match self {
            Kept::Shared(shared) => shared.to_value(),
            Kept::Compact(compact) => compact.to_value(),
        }
    }
}

/// The input of the `i`-th order: kind = i % 20; 3 → amount 0, 7 → no email, 14 → negative
/// amount, 13 → customer "FAIL_NOTIFY" (SendNotification throws), else valid.
pub fn order_input(i: usize) -> Value {
    let kind = i % 20;
    let mut input = Map::new();
    input.insert("orderId".into(), json!(format!("ORD-{i}")));
    input.insert("name".into(), json!(if kind == 13 { "FAIL_NOTIFY".to_string() } else { format!("Customer {i}") }));
    if kind != 7 {
        input.insert("email".into(), json!(format!("customer{i}@example.com")));
    }
    let amount: i64 = match kind {
        3 => 0,
        14 => -((i % 50) as i64 + 1),
        _ => (i % 500) as i64 + 1,
    };
    input.insert("amount".into(), json!(amount));
    Value::Object(input)
}

/// The expected output of the `i`-th order and its transitions.
fn order_expected(i: usize) -> (Value, u64) {
    let input = order_input(i);
    let order_id = input["orderId"].clone();
    match i % 20 {
        3 | 7 | 14 => (
            json!({"status": "FAILED", "errorType": "ValidationError", "message": "Invalid order (statusCode 400)", "orderId": order_id}),
            3,
        ),
        13 => (
            json!({"status": "FAILED", "errorType": "NotificationFailed", "message": format!("SMTP rejected {}", input["email"].as_str().unwrap_or("")), "orderId": order_id}),
            5,
        ),
        _ => {
            let amount = input["amount"].as_f64().unwrap_or(0.0);
            let total = amount * 1.2;
            let result = json!({
                "orderId": order_id, "customer": input["name"], "email": input["email"], "amount": input["amount"],
                "tax": js_number(amount * 0.2), "total": js_number(total), "status": "PROCESSED",
            });
            let notification = json!({
                "to": input["email"],
                "subject": format!("Order {} processed", input["orderId"].as_str().unwrap_or("")),
                "message": format!("Dear {}, your order total is {total:.2}", input["name"].as_str().unwrap_or("")),
                "sent": true,
            });
            (json!({"result": result, "notification": notification}), 4)
        }
    }
}

/// A JS number as JSON: integral values as integers, as `JSON.stringify` writes them.
fn js_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9.0e15 { json!(x as i64) } else { json!(x) }
}

fn map_items() -> Value {
    Value::Array(
        (0..MAP_ITEMS)
            .map(|i| json!({"id": i, "value": i % 100, "category": if i % 3 == 0 { "fizz" } else { "other" }}))
            .collect(),
    )
}

impl WorkloadSpec {
    /// The inputs of one run, one per execution, in the engine's shared form: built before the
    /// clock starts, as the peer harness builds its JavaScript objects before it times a run
    /// (one at a time, so the `serde_json::Value`s are not all held beside them).
    pub fn shared_inputs(&self) -> Vec<Shared> {
        (0..self.executions).map(|i| Shared::from(&self.input(i))).collect()
    }

    /// The inputs of one run, one per execution.
    pub fn inputs(&self) -> Vec<Value> {
        (0..self.executions).map(|i| self.input(i)).collect()
    }

    /// The input of the `i`-th execution of a run.
    fn input(&self, i: usize) -> Value {
        match self.name {
            "loop_counter" => json!({"n": LOOP_N}),
            "map_10k" => json!({"items": map_items()}),
            "order_workflow" => order_input(i),
            "wait_heavy" => json!({"tag": "wait", "payload": [1, 2, 3]}),
            "parallel_fanout" | "chain_500" => json!({"value": i}),
            "choice_200" => json!({"x": 50, "tag": "t70"}),
            _ => Value::Null,
        }
    }

    /// The handlers the workload's Tasks call.
    pub fn handlers(&self) -> HandlerRegistry {
        let mut registry = HandlerRegistry::new();
        if self.name == "order_workflow" {
            let words = Rc::new(OrderWords::new());
            for (name, function) in [
                ("ValidateInput", OrderFunction::ValidateInput),
                ("ProcessData", OrderFunction::ProcessData),
                ("SendNotification", OrderFunction::SendNotification),
                ("HandleError", OrderFunction::HandleError),
            ] {
                registry.register(name, OrderHandler { function, words: words.clone() });
            }
        }
        registry
    }

    /// Checks a run's outputs and transition count against the peer harness's expectations.
    pub fn verify(&self, run: &WorkloadRun) -> Result<(), String> {
        if run.outputs.len() != self.executions {
            return Err(format!("{} outputs, expected {}", run.outputs.len(), self.executions));
        }
        if run.transitions != self.transitions {
            return Err(format!("{} transitions, expected {}", run.transitions, self.transitions));
        }
        let check = |i: usize, expected: Value| -> Result<(), String> {
            let got = run.outputs[i].to_value();
            if got == expected {
                Ok(())
            } else {
                Err(format!("execution {i}: got {got}, expected {expected}"))
            }
        };
        match self.name {
            "loop_counter" => check(0, json!({"counter": LOOP_N, "n": LOOP_N})),
            "map_10k" => check(
                0,
                Value::Array(
                    (0..MAP_ITEMS)
                        .map(|i| {
                            let fizz = i % 3 == 0;
                            json!({"id": i, "label": format!("item-{i}"), "value": if fizz { i % 100 + 1 } else { i % 100 }, "kind": if fizz { "fizz" } else { "other" }})
                        })
                        .collect(),
                ),
            ),
            "order_workflow" => (0..ORDER_RUNS).try_for_each(|i| check(i, order_expected(i).0)),
            "wait_heavy" => check(0, json!({"tag": "wait", "payload": [1, 2, 3]})),
            "parallel_fanout" => (0..PAR_RUNS)
                .try_for_each(|i| check(i, Value::Array((0..10).map(|b| json!({"branch": b, "step": 9, "value": i})).collect()))),
            "chain_500" => (0..100).try_for_each(|i| check(i, json!({"step": 499, "value": i}))),
            "choice_200" => (0..100).try_for_each(|i| check(i, json!({"x": 50, "tag": "t70", "last": 99}))),
            other => Err(format!("unknown workload {other}")),
        }
    }
}

/// The order total's expected transitions, summed as the peer harness does (a self-check).
pub fn order_transitions() -> u64 {
    (0..ORDER_RUNS).map(|i| order_expected(i).1).sum()
}

/// Compiles a workload's definition.
pub fn compile(definition: &str) -> Result<Arc<Program>, CompileError> {
    Program::from_text(definition).map(Arc::new)
}

/// Runs every execution of one run of `spec`, sequentially, each on its own virtual clock. The
/// histories are not kept ([`ExecutionConfig::keep_history`]): the harness reads only the
/// outputs and counts the states entered, as the peer harness does in its timed runs.
pub fn run_workload<I: Into<Payload>>(spec: &WorkloadSpec, program: &Arc<Program>, inputs: Vec<I>) -> WorkloadRun {
    run_workload_with(spec, program, inputs, false)
}

/// [`run_workload`], keeping every execution's history when `keep_history` (as a caller that
/// shows it would).
pub fn run_workload_with<I: Into<Payload>>(spec: &WorkloadSpec, program: &Arc<Program>, inputs: Vec<I>, keep_history: bool) -> WorkloadRun {
    let mut outputs = Vec::with_capacity(inputs.len());
    let mut transitions = 0;
    // One registry for the run, handed from execution to execution, as the peer harness passes
    // one handlers object to every execution (the workloads' handlers keep no state).
    let mut handlers = Some(spec.handlers());
    // The configuration goes from execution to execution too (its names are strings: a copy
    // per execution would be five allocations), only its seed changes.
    let mut config = ExecutionConfig {
        execution_type: spec.execution_type,
        state_machine_name: spec.name.into(),
        // The peer's workloads carry payloads over AWS's 256 KiB (map_10k's 10,000 items);
        // the peer does not enforce it, and the comparison runs the same semantics.
        quotas: crate::asl::interp::quota::Quotas::unlimited(),
        keep_history,
        ..ExecutionConfig::default()
    };
    for (i, input) in inputs.into_iter().enumerate() {
        config.seed = i as u64;
        let registry = handlers.take().unwrap_or_else(|| spec.handlers());
        let mut execution = Execution::start(program.clone(), input, Box::new(VirtualClock::default()), registry, config);
        execution.run();
        let entered = execution.states_entered();
        if keep_history {
            debug_assert_eq!(entered, execution.history().iter().filter(|e| matches!(e.kind, EventKind::StateEntered { .. })).count() as u64);
        }
        transitions += entered;
        let ended = execution.into_parts();
        handlers = Some(ended.handlers);
        config = ended.config;
        outputs.push(match ended.status {
            ExecutionStatus::Succeeded { output } => Kept::new(output),
            ExecutionStatus::Failed(e) | ExecutionStatus::TimedOut(e) => Kept::Compact(Compact::from(json!({"failed": e.to_output()}))),
            ExecutionStatus::Running => Kept::Compact(Compact::from(json!({"failed": "still running"}))),
        });
    }
    WorkloadRun { outputs, transitions }
}

/// One workload ready to be timed: validated and compiled once, its inputs built before each
/// timed run, its last run kept for checking after the clock stopped. The WebAssembly bench
/// (`src/bin/statecraft-bench-wasm.rs`) is this, bound for JavaScript; the native tests drive
/// the same calls, so the binding cannot rot unnoticed (`tests/bench_wasm.rs`).
pub struct Workload {
    spec: &'static WorkloadSpec,
    program: Arc<Program>,
    /// The next run's inputs ([`Workload::prepare`]).
    inputs: Option<Vec<Shared>>,
    /// The last run, for [`Workload::verify`].
    last: Option<WorkloadRun>,
}

impl Workload {
    /// Validates and compiles `definition` for the workload called `name`.
    pub fn new(name: &str, definition: &str) -> Result<Workload, String> {
        let spec = workload(name).ok_or_else(|| format!("unknown workload {name}"))?;
        if crate::asl::validate::validate_text(definition).has_errors() {
            return Err(format!("{} does not validate", spec.file));
        }
        let program = compile(definition).map_err(|e| e.to_string())?;
        Ok(Workload { spec, program, inputs: None, last: None })
    }

    /// The workload's description.
    pub fn spec(&self) -> &'static WorkloadSpec {
        self.spec
    }

    /// Builds the next run's inputs and releases the last run's outputs (not part of the timed
    /// run: the native harness drops a run's outputs after its clock stopped, too; freeing
    /// 10,000 kept order outputs was an eighth of a warm order_workflow run in wasm).
    pub fn prepare(&mut self) {
        self.last = None;
        self.inputs = Some(self.spec.shared_inputs());
    }

    /// Runs every execution of one run; gives the state transitions. The outputs are kept
    /// until the next [`Workload::prepare`], as the native harness keeps them until it checked
    /// them.
    pub fn run(&mut self) -> u64 {
        let inputs = self.inputs.take().unwrap_or_else(|| self.spec.shared_inputs());
        // Released by `prepare` already, unless the caller skipped it.
        self.last = None;
        let run = run_workload(self.spec, &self.program, inputs);
        let transitions = run.transitions;
        self.last = Some(run);
        transitions
    }

    /// Checks the last run's outputs and transitions against the peer harness's.
    pub fn verify(&self) -> Result<(), String> {
        let run = self.last.as_ref().ok_or("nothing has run yet")?;
        self.spec.verify(run).map_err(|e| format!("{}: {e}", self.spec.name))
    }
}

/// The peer harness's `orderHandlers`, as simulated handlers: which function, and the words
/// its answers are made of (one table for the four, made with the registry).
struct OrderHandler {
    function: OrderFunction,
    words: Rc<OrderWords>,
}

#[derive(Debug, Clone, Copy)]
enum OrderFunction {
    ValidateInput,
    ProcessData,
    SendNotification,
    HandleError,
}

/// The keys and constant strings of the order handlers' answers, made once per registry (the
/// shared values are counted without atomics, so they belong to one thread): an answer's
/// object shares them (a count each) instead of allocating them.
struct OrderWords {
    status_code: Rc<str>,
    is_valid: Rc<str>,
    data: Rc<str>,
    result: Rc<str>,
    order_id: Rc<str>,
    customer: Rc<str>,
    email: Rc<str>,
    amount: Rc<str>,
    tax: Rc<str>,
    total: Rc<str>,
    status: Rc<str>,
    to: Rc<str>,
    subject: Rc<str>,
    message: Rc<str>,
    sent: Rc<str>,
    error_type: Rc<str>,
    processed: Shared,
    failed: Shared,
    validation_error: Shared,
}

impl OrderWords {
    fn new() -> OrderWords {
        OrderWords {
            status_code: "statusCode".into(),
            is_valid: "isValid".into(),
            data: "data".into(),
            result: "result".into(),
            order_id: "orderId".into(),
            customer: "customer".into(),
            email: "email".into(),
            amount: "amount".into(),
            tax: "tax".into(),
            total: "total".into(),
            status: "status".into(),
            to: "to".into(),
            subject: "subject".into(),
            message: "message".into(),
            sent: "sent".into(),
            error_type: "errorType".into(),
            processed: Shared::from("PROCESSED"),
            failed: Shared::from("FAILED"),
            validation_error: Shared::from("ValidationError"),
        }
    }
}

/// A JS number as a shared value: integral values as integers, as `JSON.stringify` writes them.
fn js_number_shared(x: f64) -> Shared {
    if x.fract() == 0.0 && x.abs() < 9.0e15 {
        Shared::Number((x as i64).into())
    } else {
        serde_json::Number::from_f64(x).map_or(Shared::Null, Shared::Number)
    }
}

impl TaskHandler for OrderHandler {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        self.invoke_shared(request, &Shared::from(request.input), context).map(|answer| answer.to_value())
    }

    // The harness's functions build their answers from their input (`data: input`, the
    // customer's fields), as JavaScript objects share them: so do these.
    fn takes_shared(&self) -> bool {
        true
    }

    fn invoke_shared(&mut self, _: &TaskRequest, input: &Shared, _: &mut TaskContext) -> Result<Shared, StatesError> {
        // A member, or `null` (as reading a missing property gives `undefined`).
        fn at<'v>(v: &'v Shared, k: &str) -> &'v Shared {
            const NULL: &Shared = &Shared::Null;
            v.get(k).unwrap_or(NULL)
        }
        let w = &*self.words;
        match self.function {
            OrderFunction::ValidateInput => {
                let valid = at(input, "name").as_str().is_some_and(|n| !n.is_empty())
                    && at(input, "email").as_str().is_some_and(|e| e.contains('@'))
                    && at(input, "amount").as_f64().is_some_and(|a| a > 0.0);
                Ok(Shared::object(vec![
                    (w.status_code.clone(), Shared::Number(if valid { 200 } else { 400 }.into())),
                    (w.is_valid.clone(), Shared::Bool(valid)),
                    (w.data.clone(), input.clone()),
                ]))
            }
            OrderFunction::ProcessData => {
                let d = at(input, "data");
                let amount = at(d, "amount").as_f64().unwrap_or(f64::NAN);
                let result = Shared::object(vec![
                    (w.order_id.clone(), at(d, "orderId").clone()),
                    (w.customer.clone(), at(d, "name").clone()),
                    (w.email.clone(), at(d, "email").clone()),
                    (w.amount.clone(), at(d, "amount").clone()),
                    (w.tax.clone(), js_number_shared(amount * 0.2)),
                    (w.total.clone(), js_number_shared(amount * 1.2)),
                    (w.status.clone(), w.processed.clone()),
                ]);
                // Room for the notification SendNotification's ResultPath puts beside it.
                let mut members = Vec::with_capacity(2);
                members.push((w.result.clone(), result));
                Ok(Shared::object(members))
            }
            OrderFunction::SendNotification => {
                let r = at(input, "result");
                let email = at(r, "email").as_str().unwrap_or("undefined");
                if at(r, "customer").as_str() == Some("FAIL_NOTIFY") {
                    return Err(StatesError::new("NotificationFailed", format!("SMTP rejected {email}")));
                }
                let total = at(r, "total").as_f64().unwrap_or(f64::NAN);
                // Put together piece by piece: `format!` sizes its string by guessing and goes
                // through the formatting machinery for each argument.
                let order_id = at(r, "orderId").as_str().unwrap_or("undefined");
                let customer = at(r, "customer").as_str().unwrap_or("undefined");
                let subject = concat(&["Order ", order_id, " processed"], 0);
                let mut message = concat(&["Dear ", customer, ", your order total is "], 24);
                push_fixed_2(&mut message, total);
                Ok(Shared::object(vec![
                    (w.to.clone(), at(r, "email").clone()),
                    (w.subject.clone(), Shared::from(subject)),
                    (w.message.clone(), Shared::from(message)),
                    (w.sent.clone(), Shared::Bool(true)),
                ]))
            }
            OrderFunction::HandleError => {
                // The first of these members (`[object, member]`) that is set and not null.
                let first = |paths: &[[&str; 2]]| {
                    paths
                        .iter()
                        .find_map(|[object, member]| input.get(object).and_then(|o| o.get(member)).filter(|v| **v != Shared::Null).cloned())
                        .unwrap_or(Shared::Null)
                };
                if let Some(error) = input.get("error") {
                    Ok(Shared::object(vec![
                        (w.status.clone(), w.failed.clone()),
                        (w.error_type.clone(), at(error, "Error").clone()),
                        (w.message.clone(), at(error, "Cause").clone()),
                        (w.order_id.clone(), first(&[["result", "orderId"], ["data", "orderId"]])),
                    ]))
                } else {
                    let status_code = at(input, "statusCode").to_value();
                    Ok(Shared::object(vec![
                        (w.status.clone(), w.failed.clone()),
                        (w.error_type.clone(), w.validation_error.clone()),
                        (w.message.clone(), Shared::from(format!("Invalid order (statusCode {status_code})"))),
                        (w.order_id.clone(), first(&[["data", "orderId"]])),
                    ]))
                }
            }
        }
    }
}

/// The pieces one after the other, in a string with room for `spare` more bytes.
fn concat(pieces: &[&str], spare: usize) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.len()).sum::<usize>() + spare);
    pieces.iter().for_each(|p| out.push_str(p));
    out
}

/// Writes `x` with two decimals (JavaScript's `toFixed(2)`, as the peer harness's handler
/// prints a total), exactly as `format!("{x:.2}")` does. The formatter expands the number's
/// exact decimal value to round it (~900 instructions); here the cents are `x × 100` rounded,
/// which is the same number unless the product lies near a half cent, where the rounding of
/// the product itself could decide: those, and numbers too large for the margin to hold, go
/// to the formatter.
fn push_fixed_2(out: &mut String, x: f64) {
    let magnitude = x.abs();
    // Below 10^9, `magnitude × 100` < 2^37 is within 2^-17 of the exact product, far inside
    // the 10^-3 kept from a half cent.
    if magnitude < 1e9 {
        let scaled = magnitude * 100.0;
        if (scaled - scaled.floor() - 0.5).abs() > 1e-3 {
            let cents = scaled.round() as u64;
            if x.is_sign_negative() {
                out.push('-');
            }
            let mut digits = [0u8; 20];
            let mut at = digits.len();
            let mut whole = cents / 100;
            loop {
                at -= 1;
                digits[at] = b'0' + (whole % 10) as u8;
                whole /= 10;
                if whole == 0 {
                    break;
                }
            }
            out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or("0"));
            let fraction = (cents % 100) as u8;
            out.push('.');
            out.push(char::from(b'0' + fraction / 10));
            out.push(char::from(b'0' + fraction % 10));
            return;
        }
    }
    use std::fmt::Write;
    let _ = write!(out, "{x:.2}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_decimals_are_written_as_the_formatter_writes_them() {
        let fixed = |x: f64| {
            let mut out = String::new();
            push_fixed_2(&mut out, x);
            out
        };
        // The harness's totals, and numbers around half cents, signs, zeros and the large.
        let mut values: Vec<f64> = (-2_000..20_000).map(|n| n as f64 * 1.2).collect();
        values.extend((-2_000..2_000).map(|n| n as f64 * 0.005));
        values.extend([0.0, -0.0, 0.125, 0.375, 1.005, 2.675, -1.005, 1.0049999, 1.0050001, 999_999_999.995, 1e9, 1e300, -1e-300]);
        values.extend([f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, f64::MAX]);
        // A spread over many magnitudes (a fixed LCG, no randomness in the test).
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let mantissa = (state >> 11) as f64 / (1u64 << 53) as f64;
            let exponent = ((state >> 3) % 24) as i32 - 8;
            values.push((mantissa - 0.5) * 10f64.powi(exponent));
        }
        for x in values {
            assert_eq!(fixed(x), format!("{x:.2}"), "{x:e}");
        }
        let mut message = concat(&["a", "", "bc"], 3);
        assert_eq!((message.as_str(), message.capacity() >= 6), ("abc", true));
        message.clear();
    }

    #[test]
    fn order_transitions_match_the_peer_harness() {
        assert_eq!(order_transitions(), workload("order_workflow").unwrap().transitions);
    }

    #[test]
    fn order_inputs_have_the_peer_harness_kinds() {
        assert_eq!(order_input(3)["amount"], json!(0));
        assert!(order_input(7).get("email").is_none());
        assert_eq!(order_input(14)["amount"], json!(-15));
        assert_eq!(order_input(13)["name"], json!("FAIL_NOTIFY"));
        assert_eq!(order_input(21), json!({"orderId": "ORD-21", "name": "Customer 21", "email": "customer21@example.com", "amount": 22}));
    }
}
