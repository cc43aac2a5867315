//! What the inspector's "Test this state" panel asks, as data: the fields a person fills in
//! (input, mock, level) turned into a [`TestStateRequest`] over the whole definition, and the
//! input to start from (what the state received in the last run).

use super::request::{InspectionLevel, Mock, MockOutcome, TestStateRequest};
use crate::sim::run::RunModel;

/// The panel's mock choice.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum MockChoice {
    /// No mock: the simulator's handler answers (the seed's Lambdas, the services...).
    #[default]
    None,
    /// The action's result, as JSON text.
    Result(String),
    /// The action fails with this error and cause.
    Error { error: String, cause: String },
}

/// What the panel holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TestForm {
    /// The state's input, JSON text.
    pub input: String,
    pub mock: MockChoice,
    pub level: InspectionLevel,
}

impl TestForm {
    /// The form for a state: its input from the last run's latest visit of it, else `{}`; no
    /// mock; DEBUG (the level that shows the data after each step).
    pub fn for_state(run: Option<&RunModel>, state: &str) -> TestForm {
        let input = run
            .and_then(|r| r.visits.iter().rev().find(|v| &*v.state == state))
            .map(|v| serde_json::to_string_pretty(&*v.input).unwrap_or_else(|_| "{}".into()))
            .unwrap_or_else(|| "{}".into());
        TestForm { input, mock: MockChoice::None, level: InspectionLevel::Debug }
    }

    /// The TestState request: the state `state` of `definition` (the document's whole text).
    pub fn request(&self, definition: &str, state: &str) -> TestStateRequest {
        let mut request = TestStateRequest::for_state(definition, state, self.input.clone(), self.level);
        request.mock = match &self.mock {
            // The simulator's handler answers as the simulator's execution role (AWS needs a
            // role to call a Task's resource).
            MockChoice::None => {
                request.role_arn = Some(crate::asl::interp::ExecutionConfig::default().role_arn);
                None
            }
            MockChoice::Result(text) => Some(Mock { outcome: MockOutcome::Result(text.clone()), field_validation_mode: None }),
            MockChoice::Error { error, cause } => {
                Some(Mock { outcome: MockOutcome::Error { error: error.clone(), cause: cause.clone() }, field_validation_mode: None })
            }
        };
        request
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::teststate::{TestStatus, aws_cli_command, test_state};

    #[test]
    fn the_seed_s_process_data_with_a_mocked_error_is_caught() {
        let form = TestForm {
            input: r#"{"isValid": true, "orderId": "ORD-1", "name": "A", "email": "a@example.com", "amount": 150}"#.into(),
            mock: MockChoice::Error { error: "States.TaskFailed".into(), cause: "boom".into() },
            level: InspectionLevel::Debug,
        };
        let request = form.request(crate::seed::ORDER_WORKFLOW, "ProcessData");
        let response = test_state(&request).expect("answers");
        assert_eq!(response.status, TestStatus::CaughtError);
        assert_eq!(response.next_state.as_deref(), Some("HandleError"));
        assert!(response.inspection_data.is_some(), "DEBUG shows the data");
        let command = aws_cli_command(&request);
        assert!(command.contains("--state-name 'ProcessData'"), "{command}");
        assert!(command.contains("--inspection-level 'DEBUG'"), "{command}");
        assert!(command.contains(r#"--mock '{"errorOutput":{"error":"States.TaskFailed","cause":"boom"}}'"#), "{command}");
    }

    #[test]
    fn the_input_comes_from_the_last_visit_of_the_state() {
        assert_eq!(TestForm::for_state(None, "X").input, "{}");
    }
}
