//! Concrete simulated task handlers, above the interpreter: they implement its plug
//! ([`crate::asl::interp::plug`]: [`TaskHandler`], [`HandlerRegistry`]) and the interpreter never
//! names them. Here: the generic handlers (echo, static result, throw,
//! fail-N-times-then-succeed, latency), the seed's four Lambdas ([`seed`], printing as Python does
//! through [`crate::asl::python`]), SNS/SQS/DynamoDB/S3 over an in-memory store ([`services`], DynamoDB's tables,
//! operations and expression language in [`dynamodb`], S3's buckets in [`s3`]), Step Functions
//! Local's mock files ([`mock_config`]), nested `startExecution.sync` runs ([`nested`]), and
//! the default answers of Tasks nobody configured, from the service catalogue ([`optimized`]:
//! optimized integrations as AWS returns them, `aws-sdk:` calls shaped from the API models).

/// What a conformance case declares beyond its Lambda functions, for the runner in
/// [`crate::asl::conformance`]: child state machines (`machines`, [`nested::case_machines`]) and
/// the S3 objects and DynamoDB tables its test made (`s3`, `dynamodb`, [`services::case_s3`]).
pub fn case_declarations(case: &Value, registry: &mut HandlerRegistry) -> Result<(), String> {
    nested::case_machines(case, registry)?;
    services::case_s3(case, registry)
}

pub mod catalogue;
pub mod dynamodb;
pub mod messages;
pub mod mock_config;
pub mod nested;
pub mod optimized;
pub mod s3;
pub mod seed;
pub mod services;

use serde_json::Value;

pub use crate::asl::error::StatesError;
pub use crate::asl::interp::plug::{CloudWatchLogs, HandlerRegistry, LogLine, TaskContext, TaskHandler, TaskRequest, object};

/// A registry with the seed's four Lambdas under their function names.
pub fn seed_registry() -> HandlerRegistry {
    let mut registry = HandlerRegistry::new();
    seed::register(&mut registry);
    registry
}

/// Returns its input.
#[derive(Debug, Clone, Copy, Default)]
pub struct Echo;

impl TaskHandler for Echo {
    fn invoke(&mut self, request: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(request.input.clone())
    }
}

/// Always returns the same value.
#[derive(Debug, Clone)]
pub struct StaticResult(pub Value);

impl TaskHandler for StaticResult {
    fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(self.0.clone())
    }
}

/// Always fails with the same error and cause.
#[derive(Debug, Clone)]
pub struct Throw(pub StatesError);

impl TaskHandler for Throw {
    fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
        Err(self.0.clone())
    }
}

/// Fails the first `failures` calls with `error`, then behaves as `then`.
pub struct FailTimesThenSucceed {
    pub failures: u32,
    pub error: StatesError,
    pub then: Box<dyn TaskHandler>,
    calls: u32,
}

impl FailTimesThenSucceed {
    /// Fails `failures` times with `error`, then delegates to `then`.
    pub fn new(failures: u32, error: StatesError, then: impl TaskHandler + 'static) -> Self {
        FailTimesThenSucceed { failures, error, then: Box::new(then), calls: 0 }
    }
}

impl TaskHandler for FailTimesThenSucceed {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        self.calls += 1;
        if self.calls <= self.failures {
            Err(self.error.clone())
        } else {
            self.then.invoke(request, context)
        }
    }

    fn latency_millis(&self) -> u64 {
        self.then.latency_millis()
    }

    fn returns_service_response(&self) -> bool {
        self.then.returns_service_response()
    }

    fn take_submitted(&mut self) -> Option<Value> {
        self.then.take_submitted()
    }
}

/// Another handler that takes `millis` of virtual time per call.
pub struct WithLatency<H> {
    pub inner: H,
    pub millis: u64,
}

impl<H: TaskHandler> TaskHandler for WithLatency<H> {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        self.inner.invoke(request, context)
    }

    fn latency_millis(&self) -> u64 {
        self.millis
    }

    fn returns_service_response(&self) -> bool {
        self.inner.returns_service_response()
    }

    fn take_submitted(&mut self) -> Option<Value> {
        self.inner.take_submitted()
    }
}
