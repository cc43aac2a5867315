//! The optional data-flow trace: for each state visit (keyed by its StateEntered event id), the
//! variables in scope when it was entered (when there are any), the value after each stage of
//! the pipeline (InputPath, Parameters or Arguments, the result,
//! ResultSelector, ResultPath, the output), the errors raised, the retries scheduled and the
//! catcher that fired. Off by default ([`super::Execution::enable_trace`]); when off, each hook
//! is one branch and builds nothing.

use std::sync::Arc;
use crate::asl::value::Payload;

/// A point of the pipeline a value was seen at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Stage {
    /// The variables the state can read, as it is entered: `{"name": value}`, outer scopes'
    /// included. Recorded only when there is at least one.
    Variables,
    AfterInputPath,
    AfterParameters,
    /// JSONata's Arguments: the action's input.
    AfterArguments,
    /// What the action returned (the task's result, the branches' array, Pass's Result).
    Result,
    AfterResultSelector,
    AfterResultPath,
    /// The state's output, after OutputPath (or JSONata's Output).
    Output,
    /// An error the state raised: `{"Error", "Cause"}`.
    Error,
    /// A retry was scheduled: `{"attempt", "delaySeconds", "retrier"}`.
    Retry,
    /// A catcher fired: the next state's input.
    Caught,
}

impl Stage {
    /// How the stage is labelled for people.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Variables => "variables in scope",
            Stage::AfterInputPath => "after InputPath",
            Stage::AfterParameters => "after Parameters",
            Stage::AfterArguments => "after Arguments",
            Stage::Result => "result",
            Stage::AfterResultSelector => "after ResultSelector",
            Stage::AfterResultPath => "after ResultPath",
            Stage::Output => "output",
            Stage::Error => "error",
            Stage::Retry => "retry",
            Stage::Caught => "caught",
        }
    }
}

/// One value seen in one state visit.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TraceEntry {
    /// The id of the visit's StateEntered event.
    pub entered_event: u64,
    pub state: Arc<str>,
    pub stage: Stage,
    pub value: Payload,
}
