//! Error handling on Task, Parallel and Map: [`Retrier`] and [`Catcher`].

use super::{Layout, Payload};
use crate::asl::json::Number;

/// One entry of `Retry`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Retrier {
    pub error_equals: Option<Vec<String>>,
    pub interval_seconds: Option<Number>,
    pub max_attempts: Option<Number>,
    pub backoff_rate: Option<Number>,
    pub max_delay_seconds: Option<Number>,
    /// `FULL` or `NONE`; kept as written so a wrong value survives to be reported and written back.
    pub jitter_strategy: Option<String>,
    pub comment: Option<String>,
    pub layout: Layout,
}

/// One entry of `Catch`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catcher {
    pub error_equals: Option<Vec<String>>,
    pub next: Option<String>,
    /// JSONPath only. `Some(PathOrNull::Null)` for `"ResultPath": null`.
    pub result_path: Option<super::PathOrNull>,
    /// JSONata only.
    pub output: Option<Payload>,
    pub assign: Option<Payload>,
    pub comment: Option<String>,
    pub layout: Layout,
}
