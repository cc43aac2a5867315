//! A [`TaskHandler`] that answers with the catalogue's example response for the Task's
//! operation: a response shaped like the real one, deterministic for the execution's seed.
//!
//! The bare example, with nothing of the integration around it. Zero-configuration runs use
//! [`super::optimized::default_handler`] instead, which adds what AWS returns besides (the
//! `lambda:invoke` envelope, SDK metadata, finished `.sync` jobs, `putEvents` entries).

use serde_json::Value;

use crate::asl::error::StatesError;
use crate::asl::interp::plug::{TaskContext, TaskHandler, TaskRequest};
use crate::catalogue::{Catalogue, ResolveError, Resolved};

/// Answers with the example response of one resolved operation.
#[derive(Debug, Clone)]
pub struct CatalogueHandler {
    resolved: Resolved,
}

impl CatalogueHandler {
    pub fn new(resolved: Resolved) -> Self {
        CatalogueHandler { resolved }
    }

    /// The handler for a Task's resource, if the catalogue resolves it.
    pub fn for_resource(catalogue: &Catalogue, resource: &str) -> Result<Self, ResolveError> {
        catalogue.resolve(resource).map(CatalogueHandler::new)
    }

    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }
}

impl TaskHandler for CatalogueHandler {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let seed = context.rng.next_u64();
        let mut example = self.resolved.example_output(seed);
        // A batch call's answer has one entry per item sent.
        crate::catalogue::example::one_per_item(&self.resolved.service, &self.resolved.operation, request.input, &mut example, seed);
        Ok(example)
    }
}
