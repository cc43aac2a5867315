//! The JSONPath data-flow pipeline every state shares: InputPath → Parameters → (action) →
//! ResultSelector → ResultPath → OutputPath, with AWS's error names and cause texts.
//!
//! A JSONata branch (Arguments → action → Output) and an Assign step slot in beside these
//! functions: the interpreter picks the branch by [`CompiledState::query_language`].

use std::sync::Arc;

use rand::RngCore;
use serde_json::{Map, Value};

use super::StatesError;
use super::program::{CompiledState, IoPath, ResultPlacement};
use crate::asl::path::{Roots, Template, cause};

/// Where the state being run was entered, for AWS's "An error occurred while executing the
/// state 'S' (entered at the event id #N)." prefix.
#[derive(Debug, Clone, Copy)]
pub struct StateSite<'a> {
    pub name: &'a str,
    pub entered_event_id: u64,
}

impl StateSite<'_> {
    /// `States.Runtime` with the state prefix and `message`.
    pub fn runtime(&self, message: &str) -> StatesError {
        StatesError::runtime(cause::in_state(self.name, self.entered_event_id, message))
    }
}

/// Applies InputPath or OutputPath. The whole value is shared, not copied.
pub fn select(path: &IoPath, value: &Arc<Value>, context: &Value, site: StateSite) -> Result<Arc<Value>, StatesError> {
    match path {
        IoPath::Whole => Ok(value.clone()),
        IoPath::Null => Ok(Arc::new(Value::Object(Map::new()))),
        IoPath::Path(p) => {
            let roots = Roots::input(value).with_context(context);
            p.eval(&roots).map(Arc::new).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))
        }
    }
}

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector) against `input`.
pub fn build(
    template: &Template,
    input: &Value,
    context: &Value,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Value, StatesError> {
    let roots = Roots::input(input).with_context(context);
    template.eval(&roots, rng).map_err(|e| {
        StatesError::new(e.error_name(), cause::in_state(site.name, site.entered_event_id, &e.cause(input)))
    })
}

/// Applies ResultPath: puts `result` into the raw state input.
pub fn place(placement: &ResultPlacement, raw_input: &Arc<Value>, result: Arc<Value>, site: StateSite) -> Result<Arc<Value>, StatesError> {
    match placement {
        ResultPlacement::Replace => Ok(result),
        ResultPlacement::Discard => Ok(raw_input.clone()),
        ResultPlacement::At(path) => {
            let document = Value::clone(raw_input);
            let result = Arc::try_unwrap(result).unwrap_or_else(|shared| Value::clone(&shared));
            path.write(document, result)
                .map(Arc::new)
                .map_err(|_| site.runtime(&cause::result_path_not_applicable(path.as_str(), raw_input)))
        }
    }
}

/// InputPath then Parameters: the effective input of the action.
pub fn effective_input(
    state: &CompiledState,
    raw_input: &Arc<Value>,
    context: &Value,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Arc<Value>, StatesError> {
    let selected = select(&state.input_path, raw_input, context, site)?;
    match &state.parameters {
        Some(template) => build(template, &selected, context, rng, site).map(Arc::new),
        None => Ok(selected),
    }
}

/// ResultSelector, ResultPath and OutputPath: the state output from the action's result.
pub fn state_output(
    state: &CompiledState,
    raw_input: &Arc<Value>,
    result: Arc<Value>,
    context: &Value,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Arc<Value>, StatesError> {
    let selected = match &state.result_selector {
        Some(template) => Arc::new(build(template, &result, context, rng, site)?),
        None => result,
    };
    let placed = place(&state.result_path, raw_input, selected, site)?;
    select(&state.output_path, &placed, context, site)
}
