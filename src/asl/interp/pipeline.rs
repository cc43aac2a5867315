//! The JSONPath data-flow pipeline every state shares: InputPath → Parameters → (action) →
//! ResultSelector → ResultPath → OutputPath, with AWS's error names and cause texts.
//!
//! The JSONata branch (Arguments → action → Assign → Output, with `$states`) sits beside them
//! ([`evaluate_jsonata`], [`states_object`]), and so does Assign in both languages
//! ([`assign_jsonpath`]): the interpreter picks the branch by [`CompiledState::query_language`].
//! JSONPath paths and templates see the workflow variables through [`Refs`].

use rand::RngCore;
use serde_json::{Map, Value};

use super::StatesError;
use super::program::{CompiledState, IoPath, ResultPlacement};
use crate::asl::clock::Millis;
use crate::asl::jsonata::{Environment, JsonataTemplate, TemplateError};
use crate::asl::path::{Roots, Template, Variables, cause};
use crate::asl::value::{Payload, Shared};

/// What JSONPath reads besides `$`: the context object (`$$`) and the variables (`$name`).
#[derive(Clone, Copy)]
pub struct Refs<'a> {
    pub context: &'a Value,
    pub variables: &'a dyn Variables,
}

impl<'a> Refs<'a> {
    /// Roots with `input` as `$`.
    pub fn roots<'r>(&'r self, input: &'r Value) -> Roots<'r> {
        Roots::input(input).with_context(self.context).with_variables(self.variables)
    }
}

/// A JSONata evaluation failed (`States.QueryEvaluationError`): the field to blame, if any, and
/// the cause after AWS's state prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFailure {
    pub location: Option<String>,
    pub cause: String,
}

impl From<TemplateError> for QueryFailure {
    fn from(error: TemplateError) -> Self {
        QueryFailure { location: Some(error.field().to_string()), cause: error.cause() }
    }
}

/// `$states` for a JSONata field: `input` and `context` always, `result` and `errorOutput` where
/// AWS makes them available.
pub fn states_object(input: &Value, context: &Value, result: Option<&Value>, error_output: Option<&Value>) -> Value {
    let mut states = Map::with_capacity(4);
    states.insert("input".into(), input.clone());
    if let Some(result) = result {
        states.insert("result".into(), result.clone());
    }
    if let Some(error_output) = error_output {
        states.insert("errorOutput".into(), error_output.clone());
    }
    states.insert("context".into(), context.clone());
    Value::Object(states)
}

/// Evaluates a JSONata template with `$states`, the variables, the clock and the RNG; `field`
/// names it in causes.
pub fn evaluate_jsonata(
    template: &JsonataTemplate,
    states: &Value,
    variables: &dyn Variables,
    now: Millis,
    rng: &mut dyn RngCore,
    limits: crate::asl::jsonata::Limits,
    field: &str,
) -> Result<Value, QueryFailure> {
    let input = states.get("input");
    let mut env = Environment { states: Some(states), variables, now_millis: now, rng, limits };
    template.evaluate(input, &mut env, field).map_err(QueryFailure::from)
}

/// A JSONPath `Assign`: a payload template over `value` (`$`: the state's result, or the error
/// output in a Catch). Gives the variables to set.
pub fn assign_jsonpath(
    template: &Template,
    value: &Value,
    refs: &Refs,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Map<String, Value>, StatesError> {
    match build(template, value, refs, rng, site)? {
        Value::Object(map) => Ok(map),
        _ => Ok(Map::new()),
    }
}

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
pub fn select(path: &IoPath, value: &Payload, refs: &Refs, site: StateSite) -> Result<Payload, StatesError> {
    match path {
        IoPath::Whole => Ok(value.clone()),
        IoPath::Null => Ok(Payload::new(Value::Object(Map::new()))),
        IoPath::Path(p) => {
            p.eval(&refs.roots(value)).map(Payload::new).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))
        }
    }
}

/// Evaluates a payload template (Parameters, ResultSelector, ItemSelector) against `input`.
pub fn build(
    template: &Template,
    input: &Value,
    refs: &Refs,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Value, StatesError> {
    template.eval(&refs.roots(input), rng).map_err(|e| {
        StatesError::new(e.error_name(), cause::in_state(site.name, site.entered_event_id, &e.cause(input)))
    })
}

/// [`build`] as a payload: in the shared form when the template has one
/// ([`Template::eval_shared`]), else the `serde_json::Value` [`build`] gives (or its error).
pub fn build_payload(
    template: &Template,
    input: &Payload,
    refs: &Refs,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Payload, StatesError> {
    match template.eval_shared(input) {
        Some(shared) => Ok(Payload::from_shared(shared)),
        None => build(template, input, refs, rng, site).map(Payload::new),
    }
}

/// Applies ResultPath: puts `result` into the raw state input.
pub fn place(placement: &ResultPlacement, raw_input: &Payload, result: Payload, site: StateSite) -> Result<Payload, StatesError> {
    match placement {
        ResultPlacement::Replace => Ok(result),
        ResultPlacement::Discard => Ok(raw_input.clone()),
        ResultPlacement::At(path) => {
            // An object in its shared form, and a result at one of its members: a new object
            // sharing every other member (the catch of a task whose input a handler built).
            if let (Some(member), Some(Shared::Object(_))) = (single_member(path), raw_input.as_shared()) {
                let mut document = raw_input.to_shared();
                if document.insert(member, result.to_shared()).is_ok() {
                    return Ok(Payload::from_shared(document));
                }
            }
            let document = Value::clone(raw_input);
            let result = Payload::into_value(result);
            path.write(document, result)
                .map(Payload::new)
                .map_err(|_| site.runtime(&cause::result_path_not_applicable(path.as_str(), raw_input)))
        }
    }
}

/// The member a reference path names when it is `$.name` (or `$['name']`).
pub fn single_member(path: &crate::asl::path::ReferencePath) -> Option<&str> {
    use crate::asl::path::{Root, Segment, Selector};
    let path = path.as_json_path();
    match (path.root(), path.segments(), path.function()) {
        (Root::Input, [Segment::Child(Selector::Name(name))], None) => Some(name),
        _ => None,
    }
}

/// InputPath then Parameters: the effective input of the action.
pub fn effective_input(
    state: &CompiledState,
    raw_input: &Payload,
    refs: &Refs,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Payload, StatesError> {
    let selected = select(&state.input_path, raw_input, refs, site)?;
    match &state.parameters {
        Some(template) => build_payload(template, &selected, refs, rng, site),
        None => Ok(selected),
    }
}

/// ResultSelector: the selected result, which Assign and ResultPath see.
pub fn select_result(state: &CompiledState, result: Payload, refs: &Refs, rng: &mut dyn RngCore, site: StateSite) -> Result<Payload, StatesError> {
    match &state.result_selector {
        Some(template) => build_payload(template, &result, refs, rng, site),
        None => Ok(result),
    }
}

/// ResultPath and OutputPath: the state output from the selected result.
pub fn place_and_select(
    state: &CompiledState,
    raw_input: &Payload,
    selected: Payload,
    refs: &Refs,
    site: StateSite,
) -> Result<Payload, StatesError> {
    let placed = place(&state.result_path, raw_input, selected, site)?;
    select(&state.output_path, &placed, refs, site)
}

/// ResultSelector, ResultPath and OutputPath: the state output from the action's result.
pub fn state_output(
    state: &CompiledState,
    raw_input: &Payload,
    result: Payload,
    refs: &Refs,
    rng: &mut dyn RngCore,
    site: StateSite,
) -> Result<Payload, StatesError> {
    let selected = select_result(state, result, refs, rng, site)?;
    place_and_select(state, raw_input, selected, refs, site)
}
