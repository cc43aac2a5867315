//! Running one state on its own, as AWS's TestState does: what such an execution overrides.
//!
//! The execution stays a real one (the same pipeline, Retry, Catch, variables, quotas); an
//! [`Isolation`] only replaces what a single state cannot have on its own: the context object
//! (`$$`), given by the caller, and the children of a Parallel or Map, whose outcome is mocked
//! (with a number of failed Map iterations held against the Map's tolerance). The caller (the
//! TestState module) reads the rest from the data-flow trace.

use serde_json::Value;

use super::{StatesError, names};

/// What an isolated execution overrides.
#[derive(Debug, Clone, Default)]
pub struct Isolation {
    /// The context object every state reads as `$$` (`$states.context`), instead of the one
    /// the execution builds (a Map item's `Map` and a task token's `Task` are still added).
    pub context: Option<Value>,
    /// Without a given context: the one AWS's TestState makes instead of an execution's
    /// (recorded in LocalStack's `test_test_state_scenarios` snapshots, `$states` in a Catch's
    /// Output and `$states.context` in a Pass): the execution an EXPRESS one
    /// (`arn:aws:states:REGION:ACCOUNT:express:MACHINE:NAME`) with no `RedriveCount`, its
    /// `RoleArn` the request's (`null` when none was sent), and the state named `StateName`.
    pub test_state_context: Option<TestStateContext>,
    /// The outcome a Parallel or Map gives without running its branches or iterations.
    pub children_outcome: Option<Result<Value, StatesError>>,
    /// Map: how many iterations count as failed, held against ToleratedFailureCount and
    /// ToleratedFailurePercentage.
    pub map_iteration_failures: u64,
    /// Map with an ItemReader: the items it reads (TestState's mapItemReaderData), in place of
    /// ItemsPath or Items.
    pub reader_items: Option<Vec<Value>>,
    /// What the Map evaluated when it reached its iterations (set by the Map).
    pub map_settings: Option<MapSettings>,
}

/// What the context object AWS's TestState makes takes from the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestStateContext {
    /// The request's `roleArn`.
    pub role_arn: Option<String>,
}

/// A Map's evaluated settings, as it starts its iterations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapSettings {
    pub items: usize,
    pub max_concurrency: u64,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
}

impl Isolation {
    /// The Map's outcome instead of its iterations (`None`: none is mocked, run them). A mocked
    /// error wins; a mocked result fails with `States.ExceedToleratedFailureThreshold` when the
    /// failed iterations exceed the tolerance. A Map with neither ToleratedFailureCount nor
    /// ToleratedFailurePercentage has no threshold to exceed: its mocked result stands, however
    /// many iterations are said to have failed (AWS answered SUCCEEDED with the mocked result to
    /// `mapIterationFailureCount` 2 of 3: LocalStack's `test_state_configuration` snapshot,
    /// `test_map_state_failure_count[*-BASE_MAP_STATE]`).
    pub(super) fn map_outcome(&mut self, settings: MapSettings) -> Option<Result<Value, StatesError>> {
        self.map_settings = Some(settings);
        let outcome = self.children_outcome.clone()?;
        let failed = self.map_iteration_failures;
        let has_threshold = settings.tolerated_failure_count.is_some() || settings.tolerated_failure_percentage.is_some();
        let within_count = settings.tolerated_failure_count.is_some_and(|c| failed <= c);
        let within_percentage = settings
            .tolerated_failure_percentage
            .is_some_and(|p| settings.items > 0 && (failed as f64) * 100.0 / (settings.items as f64) <= p);
        Some(match outcome {
            Ok(_) if has_threshold && failed > 0 && !within_count && !within_percentage => Err(StatesError::new(
                names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                "The specified tolerated failure threshold was exceeded",
            )),
            other => other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(count: Option<u64>, percentage: Option<f64>) -> MapSettings {
        MapSettings { items: 4, max_concurrency: 0, tolerated_failure_count: count, tolerated_failure_percentage: percentage }
    }

    #[test]
    fn failures_are_held_against_the_tolerance() {
        let mut isolation = Isolation { children_outcome: Some(Ok(Value::Null)), map_iteration_failures: 2, ..Isolation::default() };
        assert_eq!(isolation.map_outcome(settings(Some(2), None)), Some(Ok(Value::Null)));
        assert_eq!(isolation.map_outcome(settings(None, Some(50.0))), Some(Ok(Value::Null)));
        let exceeded = isolation.map_outcome(settings(Some(1), Some(25.0))).unwrap().unwrap_err();
        assert_eq!(exceeded.name(), names::EXCEED_TOLERATED_FAILURE_THRESHOLD);
        // No threshold set: none to exceed (AWS's answer, recorded).
        assert_eq!(isolation.map_outcome(settings(None, None)), Some(Ok(Value::Null)));
        assert_eq!(isolation.map_settings, Some(settings(None, None)));
    }

    #[test]
    fn a_mocked_error_wins_and_no_mock_runs_the_iterations() {
        let error = StatesError::new("Mock", "c");
        let mut isolation = Isolation { children_outcome: Some(Err(error.clone())), ..Isolation::default() };
        assert_eq!(isolation.map_outcome(settings(Some(9), None)), Some(Err(error)));
        assert_eq!(Isolation::default().map_outcome(settings(None, None)), None);
    }
}
