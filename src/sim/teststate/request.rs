//! The TestState request as AWS's API takes it: the body of `TestState`, read from JSON text
//! with a located error for anything AWS would refuse to read (a JSON pointer and the
//! line:column in the request's text).
//!
//! `definition`, `input`, `variables`, `context`, `mock.result` and
//! `stateConfiguration.mapItemReaderData` are JSON *texts*, as in the API; they are kept as
//! the caller wrote them (so "Copy as AWS CLI" gives them back unchanged) and parsed when the
//! state runs.

use serde_json::{Map, Value};

use crate::asl::json::{self, Node, Span};

/// How much of the state's data flow the answer shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum InspectionLevel {
    /// The output (or error) only: no `inspectionData`.
    #[default]
    Info,
    /// Also the data after each processing step, the variables and the error details.
    Debug,
    /// Also the HTTP request and response of an HTTP Task.
    Trace,
}

impl InspectionLevel {
    pub const ALL: [InspectionLevel; 3] = [InspectionLevel::Info, InspectionLevel::Debug, InspectionLevel::Trace];

    /// AWS's name: `INFO`, `DEBUG`, `TRACE`.
    pub fn name(self) -> &'static str {
        match self {
            InspectionLevel::Info => "INFO",
            InspectionLevel::Debug => "DEBUG",
            InspectionLevel::Trace => "TRACE",
        }
    }

    pub fn parse(name: &str) -> Option<InspectionLevel> {
        InspectionLevel::ALL.into_iter().find(|l| l.name() == name)
    }
}

/// How strictly a mocked result is checked against the service's API model: the catalogue's
/// checking modes, which TestState's `fieldValidationMode` names.
pub use crate::catalogue::check::FieldValidationMode;

/// What the mock makes the state's action give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MockOutcome {
    /// `mock.result`: the action's result, as JSON text.
    Result(String),
    /// `mock.errorOutput`: the action fails with this error and cause.
    Error { error: String, cause: String },
}

/// `mock`: the action's outcome instead of calling the service (or running the branches).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mock {
    pub outcome: MockOutcome,
    /// `None` when the request leaves it out (AWS then checks as STRICT).
    pub field_validation_mode: Option<FieldValidationMode>,
}

impl Mock {
    /// The mode the result is checked in.
    pub fn mode(&self) -> FieldValidationMode {
        self.field_validation_mode.unwrap_or_default()
    }
}

/// `stateConfiguration`: where in a longer run the tested visit is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateConfiguration {
    /// Retries already made by the Retrier that matches the error.
    pub retrier_retry_count: Option<u32>,
    /// Map or Parallel with a mocked error: the state inside that raised it.
    pub error_caused_by_state: Option<String>,
    /// Map: iterations that failed, held against the tolerated failures.
    pub map_iteration_failure_count: Option<u64>,
    /// Map with an ItemReader: what the reader reads, as text (a JSON array for `InputType: JSON`).
    pub map_item_reader_data: Option<String>,
}

/// The body of a TestState call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestStateRequest {
    /// One state, or a whole state machine (then `state_name` names the state to test).
    pub definition: String,
    /// The state's input as JSON text (`{}` when absent).
    pub input: Option<String>,
    pub inspection_level: Option<InspectionLevel>,
    pub mock: Option<Mock>,
    /// The variables in scope, as a JSON object's text.
    pub variables: Option<String>,
    /// The context object (`$$`), as a JSON object's text.
    pub context: Option<String>,
    pub state_configuration: Option<StateConfiguration>,
    /// Whether an HTTP Task's request and response show their secrets (TRACE).
    pub reveal_secrets: Option<bool>,
    pub role_arn: Option<String>,
    pub state_name: Option<String>,
}

impl TestStateRequest {
    /// A request testing `definition` on `input` at INFO, nothing else set.
    pub fn new(definition: impl Into<String>, input: impl Into<String>) -> Self {
        TestStateRequest { definition: definition.into(), input: Some(input.into()), ..TestStateRequest::default() }
    }

    /// A request testing the state `state_name` of a whole machine (`definition`) on `input`,
    /// at `level`: what a "Test this state" panel starts from.
    pub fn for_state(definition: impl Into<String>, state_name: impl Into<String>, input: impl Into<String>, level: InspectionLevel) -> Self {
        TestStateRequest {
            definition: definition.into(),
            input: Some(input.into()),
            inspection_level: Some(level),
            state_name: Some(state_name.into()),
            ..TestStateRequest::default()
        }
    }

    /// The inspection level, INFO when absent.
    pub fn level(&self) -> InspectionLevel {
        self.inspection_level.unwrap_or_default()
    }

    /// Reads a request body.
    pub fn from_json(text: &str) -> Result<TestStateRequest, RequestError> {
        let root = json::read(text).map_err(|e| RequestError {
            pointer: String::new(),
            line: e.line,
            column: e.column,
            message: format!("the request is not JSON: {}", e.message),
        })?;
        Reader { text }.request(&root)
    }

    /// The request as the JSON body AWS takes (fields in AWS's order, absent ones left out).
    pub fn to_json(&self) -> Value {
        let mut body = Map::new();
        body.insert("definition".into(), Value::String(self.definition.clone()));
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                body.insert(key.into(), value);
            }
        };
        put("roleArn", self.role_arn.clone().map(Value::String));
        put("input", self.input.clone().map(Value::String));
        put("inspectionLevel", self.inspection_level.map(|l| Value::String(l.name().into())));
        put("revealSecrets", self.reveal_secrets.map(Value::Bool));
        put("variables", self.variables.clone().map(Value::String));
        put("stateName", self.state_name.clone().map(Value::String));
        put("mock", self.mock.as_ref().map(mock_json));
        put("context", self.context.clone().map(Value::String));
        put("stateConfiguration", self.state_configuration.as_ref().map(configuration_json));
        Value::Object(body)
    }
}

/// `mock` as AWS takes it.
pub fn mock_json(mock: &Mock) -> Value {
    let mut map = Map::new();
    match &mock.outcome {
        MockOutcome::Result(text) => {
            map.insert("result".into(), Value::String(text.clone()));
        }
        MockOutcome::Error { error, cause } => {
            map.insert("errorOutput".into(), serde_json::json!({"error": error, "cause": cause}));
        }
    }
    if let Some(mode) = mock.field_validation_mode {
        map.insert("fieldValidationMode".into(), Value::String(mode.name().into()));
    }
    Value::Object(map)
}

/// `stateConfiguration` as AWS takes it.
pub fn configuration_json(configuration: &StateConfiguration) -> Value {
    let mut map = Map::new();
    if let Some(n) = configuration.retrier_retry_count {
        map.insert("retrierRetryCount".into(), n.into());
    }
    if let Some(s) = &configuration.error_caused_by_state {
        map.insert("errorCausedByState".into(), Value::String(s.clone()));
    }
    if let Some(n) = configuration.map_iteration_failure_count {
        map.insert("mapIterationFailureCount".into(), n.into());
    }
    if let Some(s) = &configuration.map_item_reader_data {
        map.insert("mapItemReaderData".into(), Value::String(s.clone()));
    }
    Value::Object(map)
}

/// Why a request cannot be answered: where (a JSON pointer into the request, and the
/// line:column of the request's text, 1:1 when it has none) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    pub pointer: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl RequestError {
    /// An error at `pointer` with no known position in a text.
    pub fn at(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        RequestError { pointer: pointer.into(), line: 1, column: 1, message: message.into() }
    }
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}:{}: {} ({pointer})", self.line, self.column, self.message)
    }
}

impl std::error::Error for RequestError {}

struct Reader<'t> {
    text: &'t str,
}

impl Reader<'_> {
    fn error(&self, span: Span, pointer: &str, message: impl Into<String>) -> RequestError {
        let position = json::LineIndex::new(self.text).position(span.start as usize);
        RequestError { pointer: pointer.to_string(), line: position.line, column: position.column, message: message.into() }
    }

    fn object<'n>(&self, node: &'n Node, pointer: &str, known: &[&str]) -> Result<&'n [json::Member], RequestError> {
        let members = node.as_object().ok_or_else(|| self.error(node.span, pointer, format!("expected an object, found {}", node.kind_name())))?;
        let mut seen: Vec<&str> = Vec::new();
        for member in members {
            let at = format!("{pointer}/{}", json::escape_pointer_token(&member.key));
            if !known.contains(&member.key.as_str()) {
                return Err(self.error(member.key_span, &at, format!("unknown field '{}' (known: {})", member.key, known.join(", "))));
            }
            if seen.contains(&member.key.as_str()) {
                return Err(self.error(member.key_span, &at, format!("the field '{}' is given twice", member.key)));
            }
            seen.push(&member.key);
        }
        Ok(members)
    }

    fn string(&self, node: &Node, pointer: &str) -> Result<String, RequestError> {
        node.as_str().map(str::to_string).ok_or_else(|| self.error(node.span, pointer, format!("expected a string, found {}", node.kind_name())))
    }

    /// A string holding JSON text: it must parse (its own line:column is in the message).
    fn json_text(&self, node: &Node, pointer: &str, what: &str) -> Result<String, RequestError> {
        let text = self.string(node, pointer)?;
        if let Err(e) = json::parse(&text) {
            return Err(self.error(node.span, pointer, format!("{what} is not JSON: {}:{}: {}", e.line, e.column, e.message)));
        }
        Ok(text)
    }

    /// A JSON text that must be an object (variables, context).
    fn object_text(&self, node: &Node, pointer: &str, what: &str) -> Result<String, RequestError> {
        let text = self.json_text(node, pointer, what)?;
        if !json::parse(&text).is_ok_and(|v| v.is_object()) {
            return Err(self.error(node.span, pointer, format!("{what} must be a JSON object")));
        }
        Ok(text)
    }

    fn count(&self, node: &Node, pointer: &str) -> Result<u64, RequestError> {
        match &node.value {
            json::Value::Number(n) => n.as_u64().ok_or_else(|| self.error(node.span, pointer, format!("expected a non-negative integer, found {}", n.text()))),
            _ => Err(self.error(node.span, pointer, format!("expected a non-negative integer, found {}", node.kind_name()))),
        }
    }

    fn request(&self, root: &Node) -> Result<TestStateRequest, RequestError> {
        const FIELDS: [&str; 10] = [
            "definition", "roleArn", "input", "inspectionLevel", "revealSecrets", "variables", "stateName", "mock", "context",
            "stateConfiguration",
        ];
        let members = self.object(root, "", &FIELDS)?;
        let mut request = TestStateRequest::default();
        let mut definition = None;
        for member in members {
            let pointer = format!("/{}", member.key);
            let node = &member.value;
            match member.key.as_str() {
                "definition" => {
                    let text = self.json_text(node, &pointer, "the definition")?;
                    if !json::parse(&text).is_ok_and(|v| v.is_object()) {
                        return Err(self.error(node.span, &pointer, "the definition must be a JSON object: a state, or a state machine"));
                    }
                    definition = Some(text);
                }
                "roleArn" => request.role_arn = Some(self.string(node, &pointer)?),
                "input" => request.input = Some(self.json_text(node, &pointer, "the input")?),
                "inspectionLevel" => {
                    let name = self.string(node, &pointer)?;
                    request.inspection_level = Some(
                        InspectionLevel::parse(&name)
                            .ok_or_else(|| self.error(node.span, &pointer, format!("the inspection level must be INFO, DEBUG or TRACE, not '{name}'")))?,
                    );
                }
                "revealSecrets" => match node.value {
                    json::Value::Bool(b) => request.reveal_secrets = Some(b),
                    _ => return Err(self.error(node.span, &pointer, format!("expected true or false, found {}", node.kind_name()))),
                },
                "variables" => request.variables = Some(self.object_text(node, &pointer, "variables")?),
                "stateName" => {
                    let name = self.string(node, &pointer)?;
                    if name.is_empty() || name.chars().count() > 80 {
                        return Err(self.error(node.span, &pointer, "a state name has 1 to 80 characters"));
                    }
                    request.state_name = Some(name);
                }
                "mock" => request.mock = Some(self.mock(node, &pointer)?),
                "context" => request.context = Some(self.object_text(node, &pointer, "the context")?),
                "stateConfiguration" => request.state_configuration = Some(self.configuration(node, &pointer)?),
                _ => unreachable!("checked against FIELDS"),
            }
        }
        request.definition = definition.ok_or_else(|| self.error(root.span, "", "the field 'definition' is required"))?;
        Ok(request)
    }

    fn mock(&self, node: &Node, pointer: &str) -> Result<Mock, RequestError> {
        let members = self.object(node, pointer, &["result", "errorOutput", "fieldValidationMode"])?;
        let mut outcome = None;
        let mut mode = None;
        for member in members {
            let at = format!("{pointer}/{}", member.key);
            let value = &member.value;
            match member.key.as_str() {
                "result" | "errorOutput" if outcome.is_some() => {
                    // AWS's words (`test_both_mock_result_and_mock_error_output_are_set`).
                    return Err(self.error(member.key_span, &at, "A test mock should have only one of the following fields: [result, errorOutput]."));
                }
                // AWS's words first ("Mocked result must be valid JSON", even in NONE mode:
                // `test_base_lambda_service_task_mock_is_not_json_string`), then where.
                "result" => outcome = Some(MockOutcome::Result(self.json_text(value, &at, "the mocked result").map_err(|mut e| {
                    e.message = format!("Mocked result must be valid JSON ({})", e.message);
                    e
                })?)),
                "errorOutput" => {
                    let fields = self.object(value, &at, &["error", "cause"])?;
                    let get = |name: &str| -> Result<String, RequestError> {
                        match fields.iter().find(|m| m.key == name) {
                            Some(m) => self.string(&m.value, &format!("{at}/{name}")),
                            None => Ok(String::new()),
                        }
                    };
                    outcome = Some(MockOutcome::Error { error: get("error")?, cause: get("cause")? });
                }
                "fieldValidationMode" => {
                    let name = self.string(value, &at)?;
                    mode = Some(
                        FieldValidationMode::parse(&name)
                            .ok_or_else(|| self.error(value.span, &at, format!("the field validation mode must be STRICT, PRESENT or NONE, not '{name}'")))?,
                    );
                }
                _ => unreachable!("checked by object"),
            }
        }
        let outcome = outcome.ok_or_else(|| self.error(node.span, pointer, "a mock needs a result or an errorOutput"))?;
        Ok(Mock { outcome, field_validation_mode: mode })
    }

    fn configuration(&self, node: &Node, pointer: &str) -> Result<StateConfiguration, RequestError> {
        let members = self.object(node, pointer, &["retrierRetryCount", "errorCausedByState", "mapIterationFailureCount", "mapItemReaderData"])?;
        let mut configuration = StateConfiguration::default();
        for member in members {
            let at = format!("{pointer}/{}", member.key);
            let value = &member.value;
            match member.key.as_str() {
                "retrierRetryCount" => {
                    let n = self.count(value, &at)?;
                    configuration.retrier_retry_count =
                        Some(u32::try_from(n).map_err(|_| self.error(value.span, &at, "the retry count is too large"))?);
                }
                "errorCausedByState" => configuration.error_caused_by_state = Some(self.string(value, &at)?),
                "mapIterationFailureCount" => configuration.map_iteration_failure_count = Some(self.count(value, &at)?),
                "mapItemReaderData" => configuration.map_item_reader_data = Some(self.string(value, &at)?),
                _ => unreachable!("checked by object"),
            }
        }
        Ok(configuration)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<TestStateRequest, RequestError> {
        TestStateRequest::from_json(text)
    }

    #[test]
    fn every_field_is_read_and_written_back() {
        let text = r#"{
  "definition": "{\"Type\": \"Pass\", \"End\": true}",
  "roleArn": "arn:aws:iam::1:role/R",
  "input": "{\"a\": 1}",
  "inspectionLevel": "TRACE",
  "revealSecrets": true,
  "variables": "{\"x\": 2}",
  "stateName": "S",
  "mock": {"result": "[1]", "fieldValidationMode": "NONE"},
  "context": "{\"Execution\": {}}",
  "stateConfiguration": {"retrierRetryCount": 2, "errorCausedByState": "In", "mapIterationFailureCount": 1, "mapItemReaderData": "[1, 2]"}
}"#;
        let request = read(text).unwrap();
        assert_eq!(request.level(), InspectionLevel::Trace);
        assert_eq!(request.role_arn.as_deref(), Some("arn:aws:iam::1:role/R"));
        assert_eq!(request.reveal_secrets, Some(true));
        assert_eq!(request.state_name.as_deref(), Some("S"));
        assert_eq!(request.mock, Some(Mock { outcome: MockOutcome::Result("[1]".into()), field_validation_mode: Some(FieldValidationMode::None) }));
        let configuration = request.state_configuration.clone().unwrap();
        assert_eq!(configuration.retrier_retry_count, Some(2));
        assert_eq!(configuration.error_caused_by_state.as_deref(), Some("In"));
        assert_eq!(configuration.map_iteration_failure_count, Some(1));
        assert_eq!(configuration.map_item_reader_data.as_deref(), Some("[1, 2]"));
        let again = read(&serde_json::to_string(&request.to_json()).unwrap()).unwrap();
        assert_eq!(again, request);
    }

    #[test]
    fn the_level_defaults_to_info_and_the_mode_to_strict() {
        let request = read(r#"{"definition": "{}", "mock": {"errorOutput": {"error": "E", "cause": "C"}}}"#).unwrap();
        assert_eq!(request.level(), InspectionLevel::Info);
        let mock = request.mock.unwrap();
        assert_eq!(mock.mode(), FieldValidationMode::Strict);
        assert_eq!(mock.outcome, MockOutcome::Error { error: "E".into(), cause: "C".into() });
    }

    #[test]
    fn bad_requests_are_located() {
        let cases: &[(&str, &str, (usize, usize), &str)] = &[
            ("{\n  \"definition\": 3}", "/definition", (2, 17), "expected a string"),
            ("{\"input\": \"{}\"}", "", (1, 1), "'definition' is required"),
            ("{\"definition\": \"{}\",\n \"inspectionLevel\": \"LOUD\"}", "/inspectionLevel", (2, 21), "INFO, DEBUG or TRACE"),
            ("{\"definition\": \"{}\", \"input\": \"{nope\"}", "/input", (1, 31), "the input is not JSON"),
            ("{\"definition\": \"[]\"}", "/definition", (1, 16), "must be a JSON object"),
            ("{\"definition\": \"{}\", \"variables\": \"[1]\"}", "/variables", (1, 35), "must be a JSON object"),
            ("{\"definition\": \"{}\", \"mock\": {\"result\": \"1\", \"errorOutput\": {}}}", "/mock/errorOutput", (1, 46), "only one of the following fields: [result, errorOutput]"),
            ("{\"definition\": \"{}\", \"mock\": {}}", "/mock", (1, 30), "needs a result or an errorOutput"),
            ("{\"definition\": \"{}\", \"mock\": {\"result\": \"1\", \"fieldValidationMode\": \"LAX\"}}", "/mock/fieldValidationMode", (1, 69), "STRICT, PRESENT or NONE"),
            ("{\"definition\": \"{}\", \"stateConfiguration\": {\"retrierRetryCount\": -1}}", "/stateConfiguration/retrierRetryCount", (1, 66), "non-negative integer"),
            ("{\"definition\": \"{}\", \"stateName\": \"\"}", "/stateName", (1, 35), "1 to 80"),
            ("{\"definition\": \"{}\", \"colour\": 1}", "/colour", (1, 22), "unknown field"),
            ("{\"definition\": \"{}\", \"revealSecrets\": \"yes\"}", "/revealSecrets", (1, 39), "true or false"),
            ("{\"definition\": \"{}\",", "", (1, 21), "not JSON"),
        ];
        for (text, pointer, (line, column), message) in cases {
            let error = read(text).expect_err(text);
            assert_eq!(&error.pointer, pointer, "{text}");
            assert_eq!((error.line, error.column), (*line, *column), "{text}: {error}");
            assert!(error.message.contains(message), "{text}: {error}");
        }
    }
}
