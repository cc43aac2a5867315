//! `inspectionData`: the interpreter's data-flow trace of the tested visit, read the way AWS
//! shows it at each inspection level.
//!
//! INFO shows none. DEBUG shows the input and the data after each step the state has, by AWS's
//! rules as recorded (the cases in `tests/fixtures/teststate/`):
//! - JSONPath: `afterInputPath`; `afterParameters` for Pass and Task (the input after InputPath
//!   when there are no Parameters); `result` for Task and for a Pass with `Result` (which then
//!   shows neither InputPath nor Parameters); `afterResultSelector` (the result when there is no
//!   ResultSelector) and `afterResultPath` for Pass, Task, Parallel and Map. Succeed, Fail,
//!   Choice and Wait show `afterInputPath` (a Fail has no InputPath: its input).
//! - JSONata: `afterArguments` and, for Task, `result`; nothing else (AWS fills the others for
//!   JSONPath only).
//! - A Parallel whose branches are mocked shows no input processing (no `afterInputPath`,
//!   `afterParameters` or `afterArguments`); a Map shows `afterInputPath`, then
//!   `maxConcurrency` (0 when unset) and its tolerated failures once it has reached its
//!   iterations, and then, when it has an ItemsPath, `afterItemsPath`: the items it selected
//!   (recorded: `test_state_map_context_object[EXECUTION_INPUT_VALUES]`, an ItemsPath into the
//!   context object).
//! - `variables` when any are in scope after the state; `errorDetails` when a Retrier or
//!   Catcher matched.
//!
//! TRACE adds an HTTP Task's `request` and `response`; offline no HTTP call is made, so TRACE
//! shows what DEBUG shows.

use serde_json::{Map, Value};

use super::request::InspectionLevel;
use super::response::{ErrorDetails, InspectionData};
use crate::asl::interp::isolated::MapSettings;
use crate::asl::interp::pipeline::{self, Refs, StateSite};
use crate::asl::interp::program::{Action, CompiledState};
use crate::asl::interp::trace::{Stage, TraceEntry};
use crate::asl::model::{QueryLanguage, StateType};
use crate::asl::value::Payload;

/// What the tested visit left.
pub struct Visit<'a> {
    pub state: &'a CompiledState,
    pub input: &'a Value,
    /// The trace of the tested attempt.
    pub entries: &'a [TraceEntry],
    /// A Parallel's or Map's outcome was mocked (its branches did not run).
    pub mocked_children: bool,
    pub map_settings: Option<MapSettings>,
    /// The variables after the state, when there are any.
    pub variables: Option<Value>,
    pub error_details: Option<ErrorDetails>,
    /// The context object given, for the steps the trace does not record.
    pub context: Option<&'a Value>,
    pub given_variables: &'a Map<String, Value>,
}

impl Visit<'_> {
    fn stage(&self, stage: Stage) -> Option<Value> {
        self.entries.iter().find(|e| e.stage == stage).map(|e| Value::clone(&e.value))
    }

    /// InputPath for the states whose trace does not record it (Succeed, Choice, Wait, Map).
    fn input_path_applied(&self) -> Option<Value> {
        let null = Value::Null;
        let refs = Refs { context: self.context.unwrap_or(&null), variables: self.given_variables };
        let site = StateSite { name: &self.state.name, entered_event_id: 0 };
        pipeline::select(&self.state.input_path, &Payload::new(self.input.clone()), &refs, site).ok().map(|v| Value::clone(&v))
    }

    /// A Map's ItemsPath over its input after InputPath, when it selected the items.
    fn items_path_applied(&self) -> Option<Value> {
        let Action::Map(spec) = &self.state.action else { return None };
        let path = spec.items_path.as_ref()?;
        let effective = self.input_path_applied()?;
        let null = Value::Null;
        let refs = Refs { context: self.context.unwrap_or(&null), variables: self.given_variables };
        path.eval(&refs.roots(&effective)).ok().filter(Value::is_array)
    }
}

/// The inspection data AWS shows at `level`.
pub fn inspection_data(level: InspectionLevel, visit: &Visit) -> Option<InspectionData> {
    if level == InspectionLevel::Info {
        return None;
    }
    let state = visit.state;
    let mut data = InspectionData { input: Some(visit.input.clone()), ..InspectionData::default() };
    let reached_result = visit.stage(Stage::Result);
    match state.query_language {
        QueryLanguage::JsonPath => {
            let pass_result = matches!(state.action, Action::Pass { result: Some(_) });
            let mocked_parallel = visit.mocked_children && state.state_type == StateType::Parallel;
            let shows_input_processing = !mocked_parallel && !pass_result;
            if shows_input_processing {
                data.after_input_path = match state.state_type {
                    StateType::Fail => Some(visit.input.clone()),
                    StateType::Pass | StateType::Task | StateType::Parallel => visit.stage(Stage::AfterInputPath),
                    StateType::Succeed | StateType::Choice | StateType::Wait | StateType::Map => visit.input_path_applied(),
                };
            }
            if shows_input_processing && matches!(state.state_type, StateType::Pass | StateType::Task) {
                data.after_parameters = match &state.parameters {
                    Some(_) => visit.stage(Stage::AfterParameters),
                    None => data.after_input_path.clone(),
                };
            }
            if state.state_type == StateType::Task || pass_result {
                data.result = reached_result.clone();
            }
            if matches!(state.state_type, StateType::Pass | StateType::Task | StateType::Parallel | StateType::Map) {
                data.after_result_selector = visit.stage(Stage::AfterResultSelector).or(reached_result);
                data.after_result_path = visit.stage(Stage::AfterResultPath);
            }
        }
        QueryLanguage::Jsonata => {
            if !(visit.mocked_children && state.state_type == StateType::Parallel) {
                data.after_arguments = visit.stage(Stage::AfterArguments);
            }
            if state.state_type == StateType::Task {
                data.result = reached_result;
            }
        }
    }
    if let Some(settings) = visit.map_settings.filter(|_| state.state_type == StateType::Map) {
        if state.query_language == QueryLanguage::JsonPath {
            data.after_items_path = visit.items_path_applied();
        }
        data.max_concurrency = Some(settings.max_concurrency);
        data.tolerated_failure_count = settings.tolerated_failure_count;
        data.tolerated_failure_percentage = settings.tolerated_failure_percentage;
    }
    data.variables = visit.variables.clone();
    data.error_details = visit.error_details.filter(|d| !d.is_empty());
    Some(data)
}
