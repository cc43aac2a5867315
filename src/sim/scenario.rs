//! Scenarios: a named execution input with an optional expected outcome (status, end state,
//! output fields), saved with the document; the seed's three course tests; checking an outcome
//! against what was expected.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::handler::HandlerSet;
use super::run::RunModel;

/// One named input to run, and what it should give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub name: String,
    /// The input as the user typed it (kept even while it is not JSON).
    pub input: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<Expected>,
    /// This scenario's own handler choices, over the document's (a generated suite injects the
    /// error a Catch takes, or N failures for a Retry, this way).
    #[serde(default, skip_serializing_if = "HandlerSet::is_empty")]
    pub handlers: HandlerSet,
}

/// What a scenario should give; every part is optional.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Expected {
    /// `SUCCEEDED`, `FAILED`, `TIMED_OUT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The error a failed execution ends with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The last state entered at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_state: Option<String>,
    /// Fields the output must hold with these values (others may be there too).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub output: Map<String, Value>,
}

impl Scenario {
    pub fn new(name: impl Into<String>, input: impl Into<String>) -> Self {
        Scenario { name: name.into(), input: input.into(), expected: None, handlers: HandlerSet::new() }
    }

    /// The input as JSON, or where it is not JSON.
    pub fn parsed_input(&self) -> Result<Value, String> {
        serde_json::from_str(&self.input)
            .map_err(|e| format!("scenario '{}': the input is not JSON (line {}, column {}): {e}", self.name, e.line(), e.column()))
    }
}

/// The course's three tests, with what the course says they give: the valid order is confirmed
/// by SendNotification, the two invalid ones end in HandleError.
pub fn seed_scenarios() -> Vec<Scenario> {
    crate::seed::TEST_INPUTS
        .iter()
        .enumerate()
        .map(|(i, seed)| {
            let valid = i == 0;
            let mut output = Map::new();
            output.insert("statusCode".into(), Value::from(if valid { 200 } else { 400 }));
            if valid {
                output.insert("workflowStatus".into(), Value::from("COMPLETED"));
            }
            Scenario {
                name: seed.name.to_string(),
                input: seed.input.to_string(),
                expected: Some(Expected {
                    status: Some("SUCCEEDED".into()),
                    error: None,
                    end_state: Some(if valid { "SendNotification" } else { "HandleError" }.into()),
                    output,
                }),
                handlers: HandlerSet::new(),
            }
        })
        .collect()
}

/// A name for a new scenario not already taken: `Scenario 4`, `Scenario 5`, ...
pub fn fresh_name(scenarios: &[Scenario]) -> String {
    (scenarios.len() + 1..).map(|n| format!("Scenario {n}")).find(|n| scenarios.iter().all(|s| &s.name != n)).unwrap_or_default()
}

/// Why an outcome does not match what was expected: one line per difference; empty when it
/// matches (or nothing was expected).
pub fn mismatches(expected: &Expected, run: &RunModel) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(status) = &expected.status {
        if status != run.status {
            out.push(format!("status {} instead of {status}", run.status));
        }
    }
    if let Some(error) = &expected.error {
        if run.error.as_deref() != Some(error.as_str()) {
            out.push(format!("error {} instead of {error}", run.error.as_deref().unwrap_or("none")));
        }
    }
    if let Some(end) = &expected.end_state {
        if run.end_state.as_deref() != Some(end.as_str()) {
            out.push(format!("ended in {} instead of {end}", run.end_state.as_deref().unwrap_or("no state")));
        }
    }
    for (key, want) in &expected.output {
        match run.output.as_ref().and_then(|o| o.get(key)) {
            Some(got) if got == want => {}
            Some(got) => out.push(format!("output.{key} is {got} instead of {want}")),
            None => out.push(format!("output.{key} is missing (expected {want})")),
        }
    }
    out
}
