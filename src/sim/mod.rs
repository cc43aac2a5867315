//! The simulator's logic, for the Run panel and for tests: scenarios and their expected outcomes
//! ([`scenario`]), handler choices per Task state ([`handler`]), the run model read from an
//! execution's history ([`run`]), batches with coverage ([`batch`]), cost ([`cost`]) and
//! generated scenarios ([`generate`]), handler sets as Step Functions Local MockConfigFiles
//! ([`mock`]), and AWS's TestState offline ([`teststate`]). No UI: it compiles and tests natively.

pub mod batch;
pub mod cost;
pub mod generate;
pub mod handler;
pub mod mock;
pub mod run;
pub mod scenario;
pub mod teststate;

use serde::{Deserialize, Serialize};

/// What the Run panel keeps with a document: its scenarios and its handler choices.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimSettings {
    #[serde(default)]
    pub scenarios: Vec<scenario::Scenario>,
    #[serde(default, skip_serializing_if = "handler::HandlerSet::is_empty")]
    pub handlers: handler::HandlerSet,
}

impl SimSettings {
    /// The seed's three scenarios and no handler choices (what an autosave from before the
    /// simulator restores to).
    pub fn seeded() -> Self {
        SimSettings { scenarios: scenario::seed_scenarios(), handlers: handler::HandlerSet::new() }
    }
}
