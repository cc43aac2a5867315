//! A suite as a file: `{"statecraftSuite": 1, "definition": "order.asl.json", "handlers": {...},
//! "scenarios": [...]}`: the document's handler choices (what every scenario starts from, so a
//! suite downloaded from the page replays the same answers in `statecraft test`), and each
//! scenario with its name, its input (JSON), its own handler choices over those and its
//! expected outcome. Read with every error located (JSON pointer, line and column); written pretty.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::asl::json::{self, LineIndex};
use crate::sim::handler::HandlerSet;
use crate::sim::scenario::{Expected, Scenario};

/// The version this build writes and reads.
pub const VERSION: u64 = 1;

/// A suite: the definition it tests (a path, relative to the suite's file) and its scenarios.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suite {
    pub definition: Option<String>,
    /// The document's handler choices, under each scenario's own.
    pub handlers: HandlerSet,
    pub scenarios: Vec<Scenario>,
}

/// One scenario as the file has it (the input as JSON, not text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileScenario {
    name: String,
    #[serde(default = "empty_object")]
    input: Value,
    #[serde(default, skip_serializing_if = "HandlerSet::is_empty")]
    handlers: HandlerSet,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expected: Option<Expected>,
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

/// Why a suite file cannot be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuiteError {
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for SuiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() { "the top level" } else { &self.pointer };
        write!(f, "{}:{}: {} ({pointer})", self.line, self.column, self.message)
    }
}

impl Suite {
    /// Reads a suite file; every problem found, located.
    pub fn parse(text: &str) -> Result<Suite, Vec<SuiteError>> {
        let root = json::read(text).map_err(|e| vec![SuiteError { pointer: String::new(), line: e.line, column: e.column, message: e.message }])?;
        let lines = LineIndex::new(text);
        let at = |pointer: &str, message: String| {
            let offset = root.at_pointer(pointer).map_or(0, |(n, _)| n.span.start as usize);
            let p = lines.position(offset);
            SuiteError { pointer: pointer.to_string(), line: p.line, column: p.column, message }
        };
        let value: Value = serde_json::from_str(text).map_err(|e| vec![SuiteError { pointer: String::new(), line: e.line(), column: e.column(), message: e.to_string() }])?;
        let Some(top) = value.as_object() else { return Err(vec![at("", "a suite is a JSON object".into())]) };
        let mut errors = Vec::new();
        match top.get("statecraftSuite").map(|v| (v, v.as_u64())) {
            None => errors.push(at("", format!("\"statecraftSuite\": {VERSION} is missing: is this a Statecraft suite?"))),
            Some((_, Some(VERSION))) => {}
            Some((_, Some(v))) if v > VERSION => errors.push(at("/statecraftSuite", format!("version {v} is newer than this statecraft reads ({VERSION}): update statecraft"))),
            Some((v, _)) => errors.push(at("/statecraftSuite", format!("the version must be {VERSION}, not {v}"))),
        }
        for key in top.keys().filter(|k| !matches!(k.as_str(), "statecraftSuite" | "definition" | "handlers" | "scenarios")) {
            errors.push(at(&format!("/{}", json::escape_pointer_token(key)), format!("unknown field '{key}' (expected statecraftSuite, definition, handlers, scenarios)")));
        }
        let handlers = match top.get("handlers") {
            None | Some(Value::Null) => HandlerSet::default(),
            Some(v) => crate::asl::json::from_value::<HandlerSet>(v.clone()).unwrap_or_else(|e| {
                errors.push(at("/handlers", format!("the handlers: {e}")));
                HandlerSet::default()
            }),
        };
        let definition = match top.get("definition") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                errors.push(at("/definition", "the definition is the path of an ASL file, a string".into()));
                None
            }
        };
        let mut scenarios = Vec::new();
        match top.get("scenarios") {
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let pointer = format!("/scenarios/{i}");
                    match crate::asl::json::from_value::<FileScenario>(item.clone()) {
                        Ok(s) => {
                            if scenarios.iter().any(|o: &Scenario| o.name == s.name) {
                                errors.push(at(&format!("{pointer}/name"), format!("another scenario is named '{}'", s.name)));
                            }
                            scenarios.push(Scenario {
                                name: s.name,
                                input: serde_json::to_string_pretty(&s.input).unwrap_or_default(),
                                expected: s.expected,
                                handlers: s.handlers,
                            });
                        }
                        Err(e) => errors.push(at(&pointer, format!("scenario {i}: {e}"))),
                    }
                }
            }
            None => errors.push(at("", "\"scenarios\" is missing".into())),
            Some(_) => errors.push(at("/scenarios", "the scenarios are a JSON array".into())),
        }
        if errors.is_empty() { Ok(Suite { definition, handlers, scenarios }) } else { Err(errors) }
    }

    /// The file's text (a scenario whose input is not JSON keeps it as a string).
    pub fn to_text(&self) -> String {
        let scenarios: Vec<FileScenario> = self
            .scenarios
            .iter()
            .map(|s| FileScenario {
                name: s.name.clone(),
                input: s.parsed_input().unwrap_or_else(|_| Value::String(s.input.clone())),
                handlers: s.handlers.clone(),
                expected: s.expected.clone(),
            })
            .collect();
        let mut top = serde_json::Map::new();
        top.insert("statecraftSuite".into(), Value::from(VERSION));
        if let Some(d) = &self.definition {
            top.insert("definition".into(), Value::from(d.clone()));
        }
        if !self.handlers.is_empty() {
            top.insert("handlers".into(), serde_json::to_value(&self.handlers).unwrap_or_default());
        }
        top.insert("scenarios".into(), serde_json::to_value(scenarios).unwrap_or_default());
        serde_json::to_string_pretty(&Value::Object(top)).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suite_reads_back_what_it_wrote() {
        let mut scenario = Scenario::new("one", r#"{"a": 1}"#);
        scenario.expected = Some(Expected { status: Some("SUCCEEDED".into()), ..Expected::default() });
        scenario.handlers.insert("T".into(), crate::sim::handler::HandlerSpec::default());
        let suite = Suite { definition: Some("flow.asl.json".into()), handlers: HandlerSet::new(), scenarios: vec![scenario] };
        let back = Suite::parse(&suite.to_text()).unwrap();
        assert_eq!(back.definition, suite.definition);
        assert_eq!(back.scenarios[0].parsed_input().unwrap(), serde_json::json!({"a": 1}));
        assert_eq!(back.scenarios[0].expected, suite.scenarios[0].expected);
        assert_eq!(back.scenarios[0].handlers, suite.scenarios[0].handlers);
    }

    #[test]
    fn errors_are_located() {
        let errors = Suite::parse("{\"statecraftSuite\": 1,\n \"scenarios\": [\n  {\"name\": \"a\"},\n  {\"name\": \"b\", \"expectd\": {}}]}").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].pointer.as_str(), errors[0].line, errors[0].column), ("/scenarios/1", 4, 3));
        assert!(errors[0].message.contains("expectd"), "{}", errors[0].message);
        let errors = Suite::parse("{\"statecraftSuite\": 2, \"scenarios\": []}").unwrap_err();
        assert!(errors[0].to_string().starts_with("1:21: version 2 is newer"), "{}", errors[0]);
        assert_eq!(Suite::parse("{\"scenarios\": [").unwrap_err()[0].line, 1);
        assert!(Suite::parse("{\"scenarios\": []}").unwrap_err()[0].message.contains("statecraftSuite"));
    }
}
