//! The simulator's logic, for the Run panel and for tests: scenarios and their expected outcomes
//! ([`scenario`]), handler choices per Task state ([`handler`]), the run model read from an
//! execution's history ([`run`]), batches with coverage ([`batch`]), cost ([`cost`]) and
//! generated scenarios ([`generate`]), handler sets as Step Functions Local MockConfigFiles
//! ([`mock`]), and AWS's TestState offline ([`teststate`]). No UI: it compiles and tests natively.

pub mod answers;
pub mod batch;
pub mod command;
pub mod cost;
pub mod downstream;
pub mod engine;
pub mod generate;
pub mod handler;
pub mod live;
pub mod mock;
pub mod protocol;
pub mod run;
pub mod scenario;
pub mod skeleton;
pub mod stores;
pub mod suite;
pub mod teststate;
pub mod timeline;

use serde::{Deserialize, Serialize};

/// What the Run panel keeps with a document: its scenarios, its handler choices, what the
/// simulated stores hold before each run, and its test suite.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SimSettings {
    #[serde(default)]
    pub scenarios: Vec<scenario::Scenario>,
    #[serde(default, skip_serializing_if = "handler::HandlerSet::is_empty")]
    pub handlers: handler::HandlerSet,
    /// The generated (or hand-edited) test suite: scenarios with their own handler choices and
    /// expected outcomes ([`suite`]); empty until one is generated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suite: Vec<scenario::Scenario>,
    /// The S3 objects and DynamoDB items every run starts with ([`stores`]).
    #[serde(default, skip_serializing_if = "stores::StoreSeeds::is_empty")]
    pub stores: stores::StoreSeeds,
}

impl SimSettings {
    /// The seed's three scenarios and no handler choices (what an autosave from before the
    /// simulator restores to).
    pub fn seeded() -> Self {
        SimSettings { scenarios: scenario::seed_scenarios(), ..SimSettings::default() }
    }

    /// What a new or imported document starts with: one scenario whose input is the skeleton of
    /// what the definition reads ([`skeleton`]), no handler choices. `{}` when the text is not
    /// JSON.
    pub fn for_definition(text: &str) -> Self {
        let input = serde_json::from_str::<serde_json::Value>(text).map(|d| skeleton::skeleton(&d)).unwrap_or_default();
        let input = if input.is_null() { serde_json::json!({}) } else { input };
        let text = serde_json::to_string_pretty(&input).unwrap_or_else(|_| "{}".into());
        SimSettings { scenarios: vec![scenario::Scenario::new("First run", text)], ..SimSettings::default() }
    }

    // The edits the Run panel makes, each giving the settings after it: the document applies
    // them as one `Change::SetSimulation`, so undo and autosave see them as any other edit.

    /// With a new scenario (a fresh name, input `{}`) at the end; its index.
    pub fn with_new_scenario(&self) -> (SimSettings, usize) {
        let mut out = self.clone();
        out.scenarios.push(scenario::Scenario::new(scenario::fresh_name(&self.scenarios), "{}"));
        let at = out.scenarios.len() - 1;
        (out, at)
    }

    /// Without scenario `index` (unchanged when there is none).
    pub fn without_scenario(&self, index: usize) -> SimSettings {
        let mut out = self.clone();
        if index < out.scenarios.len() {
            out.scenarios.remove(index);
        }
        out
    }

    /// With scenario `index` edited by `edit` (unchanged when there is none).
    pub fn with_scenario(&self, index: usize, edit: impl FnOnce(&mut scenario::Scenario)) -> SimSettings {
        let mut out = self.clone();
        if let Some(s) = out.scenarios.get_mut(index) {
            edit(s);
        }
        out
    }

    /// With `spec` as the handler of the Task state `task`.
    pub fn with_handler(&self, task: impl Into<String>, spec: handler::HandlerSpec) -> SimSettings {
        let mut out = self.clone();
        out.handlers.insert(task.into(), spec);
        out
    }

    /// With `handlers` instead of the current handler choices (an imported mock file).
    pub fn with_handlers(&self, handlers: handler::HandlerSet) -> SimSettings {
        SimSettings { handlers, ..self.clone() }
    }

    /// With `stores` as what the simulated stores hold before each run.
    pub fn with_stores(&self, stores: stores::StoreSeeds) -> SimSettings {
        SimSettings { stores, ..self.clone() }
    }

    /// With `suite` as the document's test suite (a generated one replaces the last).
    pub fn with_suite(&self, suite: Vec<scenario::Scenario>) -> SimSettings {
        SimSettings { suite, ..self.clone() }
    }
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn a_new_definition_starts_with_the_input_it_reads() {
        let settings = SimSettings::for_definition(r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.detail.id", "End": true}}}"#);
        assert_eq!(settings.scenarios.len(), 1);
        let input: serde_json::Value = serde_json::from_str(&settings.scenarios[0].input).unwrap();
        assert_eq!(input, serde_json::json!({"detail": {"id": "..."}}));
        assert_eq!(SimSettings::for_definition("{ not json").scenarios[0].input, "{}");
    }

    #[test]
    fn each_edit_gives_new_settings_and_leaves_the_old_ones() {
        let seeded = SimSettings::seeded();
        let (added, at) = seeded.with_new_scenario();
        assert_eq!(at, 3);
        assert_eq!(added.scenarios.len(), 4);
        assert!(!seeded.scenarios.iter().any(|s| s.name == added.scenarios[3].name), "a fresh name");
        assert_eq!(added.without_scenario(3), seeded);
        assert_eq!(seeded.without_scenario(9), seeded);
        let renamed = seeded.with_scenario(0, |s| s.name = "Renamed".into());
        assert_eq!(renamed.scenarios[0].name, "Renamed");
        assert_eq!(seeded.with_scenario(9, |s| s.name = "x".into()), seeded);
        let handled = seeded.with_handler("ProcessData", handler::HandlerSpec::default());
        assert_eq!(handled.handlers.len(), 1);
        assert_eq!(handled.with_handlers(handler::HandlerSet::new()), seeded);
        let tested = seeded.with_suite(vec![scenario::Scenario::new("t", "{}")]);
        assert_eq!(tested.suite.len(), 1);
        let saved = serde_json::to_string(&tested).unwrap();
        assert_eq!(serde_json::from_str::<SimSettings>(&saved).unwrap(), tested, "the suite is saved with the document");
        assert!(!serde_json::to_string(&seeded).unwrap().contains("suite"), "an empty suite is not written");
        let stocked = seeded.with_stores(stores::StoreSeeds::default().with_object("b", "k.csv", "a\n1\n").unwrap());
        let saved = serde_json::to_string(&stocked).unwrap();
        assert_eq!(serde_json::from_str::<SimSettings>(&saved).unwrap(), stocked, "the stores are saved with the document");
        assert!(!serde_json::to_string(&seeded).unwrap().contains("stores"), "empty stores are not written");
    }
}
