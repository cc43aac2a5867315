//! [`StatesError`]: an error as a state raises it, with the literal ASL name (`States.TaskFailed`,
//! `States.Runtime`, or a handler's own name) and AWS's cause text, and the rules by which
//! Retry and Catch match it.

use std::fmt;

/// The predefined error names of the Amazon States Language.
pub mod names {
    /// Matches every error name (with the exceptions in [`super::StatesError::matches`]).
    pub const ALL: &str = "States.ALL";
    /// A path, template or value could not be used: never retried or caught by `States.ALL`.
    pub const RUNTIME: &str = "States.Runtime";
    /// A Task failed.
    pub const TASK_FAILED: &str = "States.TaskFailed";
    /// A Task ran longer than TimeoutSeconds or missed a heartbeat.
    pub const TIMEOUT: &str = "States.Timeout";
    /// A Task's heartbeat was missed.
    pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
    /// A payload exceeded 262,144 bytes.
    pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
    /// No Choice rule matched and there is no Default.
    pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
    /// An intrinsic function failed.
    pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
    /// A ResultPath could not be applied.
    pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";
    /// A parameter path did not match.
    pub const PARAMETER_PATH_FAILURE: &str = "States.ParameterPathFailure";
    /// A Map failed more iterations than it tolerates.
    pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
    /// A Distributed Map's ItemReader could not read its items.
    pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
    /// A Distributed Map's ResultWriter could not write its results.
    pub const RESULT_WRITER_FAILED: &str = "States.ResultWriterFailed";
    /// The execution was stopped or a branch was aborted.
    pub const BRANCH_FAILED: &str = "States.BranchFailed";
    /// A JSONata expression failed or gave a value of the wrong type.
    pub const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";
}

/// An error raised while running a state: its ASL name and cause, either of which AWS may omit
/// (a Fail state without Error or Cause).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatesError {
    /// `States.Runtime`, `States.TaskFailed`, `MyCustomError` ...
    pub error: Option<String>,
    /// AWS's cause text.
    pub cause: Option<String>,
    /// Whether a Task's service reported the error as the task's failure (a `lambda:invoke`
    /// result over the payload limit): then even a name Step Functions otherwise raises as a
    /// terminal error (`States.DataLimitExceeded`) is matched by `States.ALL` and
    /// `States.TaskFailed`. False for every error Step Functions raises itself.
    pub reported_by_task: bool,
    /// Whether a Task that waited for its token missed a heartbeat ([`StatesError::missed_heartbeat`]).
    pub heartbeat_missed: bool,
}

impl StatesError {
    /// An error with a name and a cause.
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Self {
        StatesError { error: Some(error.into()), cause: Some(cause.into()), reported_by_task: false, heartbeat_missed: false }
    }

    /// An error whose name and cause either may be absent (a Fail state without Error or Cause).
    pub fn named(error: Option<String>, cause: Option<String>) -> Self {
        StatesError { error, cause, reported_by_task: false, heartbeat_missed: false }
    }

    /// The same error, reported by the Task's service as the task's failure
    /// ([`StatesError::reported_by_task`]).
    pub fn reported_by_task(self) -> Self {
        StatesError { reported_by_task: true, ..self }
    }

    /// A Task's missed heartbeat (no SendTaskHeartbeat within HeartbeatSeconds). AWS reports it
    /// as `States.Timeout` without a cause, in the TaskTimedOut event and the execution's failure
    /// alike (`timeouts/test_heartbeats`' recordings); only a Retrier's or Catcher's
    /// `States.HeartbeatTimeout` tells it from the TimeoutSeconds one ([`StatesError::matches`]).
    pub fn missed_heartbeat() -> Self {
        StatesError { heartbeat_missed: true, ..StatesError::named(Some(names::TIMEOUT.into()), None) }
    }

    /// `States.Runtime` with `cause`.
    pub fn runtime(cause: impl Into<String>) -> Self {
        StatesError::new(names::RUNTIME, cause)
    }

    /// The name used for matching: an unnamed error matches only `States.ALL`.
    pub fn name(&self) -> &str {
        self.error.as_deref().unwrap_or("")
    }

    /// Whether a Retrier's or Catcher's `ErrorEquals` entry `pattern` matches this error, as AWS
    /// matches: `States.Runtime` is matched by nothing, not even its own name (a Catch naming it
    /// lets the execution fail: `scenarios/test_base_scenarios::test_catch_states_runtime`'s
    /// recording); `States.ALL` matches everything but it and
    /// `States.DataLimitExceeded` (unless a Task's service reported either:
    /// [`StatesError::reported_by_task`]); `States.HeartbeatTimeout` matches a missed heartbeat,
    /// which is named `States.Timeout` ([`StatesError::missed_heartbeat`]); on a Task, `States.TaskFailed` matches every error but
    /// `States.Timeout` (and the two above); anything else matches by exact name.
    pub fn matches(&self, pattern: &str, on_task: bool) -> bool {
        let name = self.name();
        if name == names::RUNTIME && !self.reported_by_task {
            return false;
        }
        if pattern == name || (pattern == names::HEARTBEAT_TIMEOUT && self.heartbeat_missed) {
            return true;
        }
        let unmatchable = !self.reported_by_task && (name == names::RUNTIME || name == names::DATA_LIMIT_EXCEEDED);
        match pattern {
            names::ALL => !unmatchable,
            names::TASK_FAILED => on_task && !unmatchable && name != names::TIMEOUT && name != names::HEARTBEAT_TIMEOUT,
            _ => false,
        }
    }

    /// The error output a Catcher passes on: `{"Error": ..., "Cause": ...}` with absent parts left
    /// out, except a timed-out Task's: `States.Timeout` has no cause in its TaskTimedOut event or
    /// the execution's failure, yet is caught as `{"Error": "States.Timeout", "Cause": ""}`
    /// (`error_handling/test_task_service_lambda::test_invoke_timeout`'s recording).
    pub fn to_output(&self) -> serde_json::Value {
        let mut map = serde_json::Map::new();
        if let Some(e) = &self.error {
            map.insert("Error".into(), serde_json::Value::String(e.clone()));
        }
        match &self.cause {
            Some(c) => {
                map.insert("Cause".into(), serde_json::Value::String(c.clone()));
            }
            None if self.error.as_deref() == Some(names::TIMEOUT) => {
                map.insert("Cause".into(), serde_json::Value::String(String::new()));
            }
            None => {}
        }
        serde_json::Value::Object(map)
    }
}

impl fmt::Display for StatesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.error.as_deref().unwrap_or("(no error)"))?;
        if let Some(c) = &self.cause {
            write!(f, ": {c}")?;
        }
        Ok(())
    }
}

impl std::error::Error for StatesError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_all_does_not_catch_runtime() {
        assert!(!StatesError::runtime("x").matches(names::ALL, true));
        assert!(!StatesError::runtime("x").matches(names::RUNTIME, true), "not even by its own name");
        assert!(StatesError::new("Custom", "x").matches(names::ALL, false));
        assert!(!StatesError::new("Custom", "x").matches("State.ALL", false));
    }

    #[test]
    fn task_failed_catches_task_errors_but_timeouts() {
        assert!(StatesError::new("Lambda.Unknown", "x").matches(names::TASK_FAILED, true));
        assert!(!StatesError::new(names::TIMEOUT, "x").matches(names::TASK_FAILED, true));
        assert!(StatesError::new(names::TIMEOUT, "x").matches(names::TIMEOUT, true));
    }

    #[test]
    fn a_data_limit_error_a_task_reports_is_caught_by_states_all() {
        let raised = StatesError::new(names::DATA_LIMIT_EXCEEDED, "x");
        assert!(!raised.matches(names::ALL, true));
        let reported = raised.clone().reported_by_task();
        assert!(reported.matches(names::ALL, true));
        assert!(reported.matches(names::TASK_FAILED, true));
        assert!(reported.matches(names::DATA_LIMIT_EXCEEDED, true));
        assert!(!StatesError::runtime("x").reported_by_task().matches("Other", true));
    }

    /// A missed heartbeat is `States.Timeout` to everyone but a `States.HeartbeatTimeout`
    /// catcher, which tells it from a TimeoutSeconds timeout.
    #[test]
    fn a_missed_heartbeat_is_named_a_timeout_and_caught_as_either() {
        let missed = StatesError::missed_heartbeat();
        assert_eq!((missed.error.as_deref(), missed.cause.as_deref()), (Some(names::TIMEOUT), None));
        assert!(missed.matches(names::HEARTBEAT_TIMEOUT, true) && missed.matches(names::TIMEOUT, true) && missed.matches(names::ALL, true));
        assert!(!missed.matches(names::TASK_FAILED, true));
        assert!(!StatesError::named(Some(names::TIMEOUT.into()), None).matches(names::HEARTBEAT_TIMEOUT, true));
        // Caught as a TimeoutSeconds timeout is: with an empty cause (`test_invoke_timeout`).
        assert_eq!(missed.to_output(), serde_json::json!({"Error": "States.Timeout", "Cause": ""}));
        assert_eq!(StatesError::named(Some("Custom".into()), None).to_output(), serde_json::json!({"Error": "Custom"}));
    }
}
