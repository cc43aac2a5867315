//! The document being edited: its name, the ASL source text, and what the editor derives from it.

use crate::asl::json::{self, JsonSyntaxError};
use serde_json::Value;

/// One state as the shell lists it: its name, its type, and where it goes next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateSummary {
    pub name: String,
    /// The `Type` field as written, or `"?"` when it is missing.
    pub kind: String,
    /// Targets in order: Next, Choice rule targets, Default, Catch targets.
    pub targets: Vec<String>,
    pub is_start: bool,
    pub is_end: bool,
}

/// A state machine being edited.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub name: String,
    source: String,
    parsed: Result<Value, JsonSyntaxError>,
}

impl Document {
    /// A document named `name` holding the ASL text `source`.
    pub fn new(name: impl Into<String>, source: impl Into<String>) -> Self {
        let source = source.into();
        let parsed = json::parse(&source);
        Document { name: name.into(), source, parsed }
    }

    /// The seed's order workflow, the document the app opens with.
    pub fn seed() -> Self {
        Document::new(crate::seed::NAME, crate::seed::ORDER_WORKFLOW)
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    /// The syntax error of the source text, if it is not JSON.
    pub fn syntax_error(&self) -> Option<&JsonSyntaxError> {
        self.parsed.as_ref().err()
    }

    /// The top-level `Comment`, if any.
    pub fn comment(&self) -> Option<&str> {
        self.parsed.as_ref().ok()?.get("Comment")?.as_str()
    }

    /// The top-level states in document order.
    pub fn states(&self) -> Vec<StateSummary> {
        let Ok(root) = &self.parsed else { return Vec::new() };
        let start = root.get("StartAt").and_then(Value::as_str);
        let Some(states) = root.get("States").and_then(Value::as_object) else { return Vec::new() };
        states
            .iter()
            .map(|(name, state)| {
                let kind = state.get("Type").and_then(Value::as_str).unwrap_or("?").to_string();
                let mut targets = Vec::new();
                let mut push = |v: Option<&Value>| {
                    if let Some(t) = v.and_then(Value::as_str) {
                        if !targets.iter().any(|x| x == t) {
                            targets.push(t.to_string());
                        }
                    }
                };
                push(state.get("Next"));
                for rule in state.get("Choices").and_then(Value::as_array).into_iter().flatten() {
                    push(rule.get("Next"));
                }
                push(state.get("Default"));
                for catcher in state.get("Catch").and_then(Value::as_array).into_iter().flatten() {
                    push(catcher.get("Next"));
                }
                let is_end = state.get("End") == Some(&Value::Bool(true))
                    || matches!(kind.as_str(), "Succeed" | "Fail");
                StateSummary { name: name.clone(), kind, targets, is_start: start == Some(name.as_str()), is_end }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_lists_its_five_states_in_order() {
        let doc = Document::seed();
        assert_eq!(doc.syntax_error(), None);
        assert_eq!(doc.comment(), Some("Workflow de traitement de commande"));
        let states = doc.states();
        let names: Vec<_> = states.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["ValidateInput", "CheckValidation", "ProcessData", "SendNotification", "HandleError"]);
        assert!(states[0].is_start && !states[0].is_end);
        assert_eq!(states[0].targets, ["CheckValidation", "HandleError"]);
        assert_eq!(states[1].kind, "Choice");
        assert_eq!(states[1].targets, ["ProcessData", "HandleError"]);
        assert!(states[3].is_end && states[4].is_end);
    }

    #[test]
    fn a_broken_source_is_kept_and_located() {
        let doc = Document::new("broken", "{\"StartAt\": }");
        assert_eq!(doc.source(), "{\"StartAt\": }");
        let err = doc.syntax_error().expect("an error");
        assert_eq!((err.line, err.column), (1, 13));
        assert!(doc.states().is_empty());
    }
}
