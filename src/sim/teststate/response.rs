//! The TestState answer as AWS gives it: `status`, `output` (JSON text), `error`, `cause`,
//! `nextState` and `inspectionData`, with AWS's field names.

use serde_json::{Map, Value};

/// How the tested state ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestStatus {
    Succeeded,
    Failed,
    /// A Retrier matched the error and has attempts left.
    Retriable,
    /// A Catcher matched the error: `nextState` is its Next.
    CaughtError,
}

impl TestStatus {
    /// AWS's name: `SUCCEEDED`, `FAILED`, `RETRIABLE`, `CAUGHT_ERROR`.
    pub fn name(self) -> &'static str {
        match self {
            TestStatus::Succeeded => "SUCCEEDED",
            TestStatus::Failed => "FAILED",
            TestStatus::Retriable => "RETRIABLE",
            TestStatus::CaughtError => "CAUGHT_ERROR",
        }
    }
}

/// `inspectionData.errorDetails`: which Retrier or Catcher handled the error.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ErrorDetails {
    pub retry_index: Option<usize>,
    pub retry_backoff_interval_seconds: Option<u64>,
    pub catch_index: Option<usize>,
}

impl ErrorDetails {
    pub fn is_empty(&self) -> bool {
        self.retry_index.is_none() && self.retry_backoff_interval_seconds.is_none() && self.catch_index.is_none()
    }
}

/// `inspectionData`: the data after each processing step (values as JSON, written as JSON text).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InspectionData {
    pub input: Option<Value>,
    pub after_input_path: Option<Value>,
    pub after_parameters: Option<Value>,
    pub after_arguments: Option<Value>,
    /// A Map's items, as its ItemsPath selected them.
    pub after_items_path: Option<Value>,
    pub result: Option<Value>,
    pub after_result_selector: Option<Value>,
    pub after_result_path: Option<Value>,
    pub max_concurrency: Option<u64>,
    pub tolerated_failure_count: Option<u64>,
    pub tolerated_failure_percentage: Option<f64>,
    /// The variables after the state (those given and those it assigned).
    pub variables: Option<Value>,
    pub error_details: Option<ErrorDetails>,
    /// An HTTP Task's request and response (TRACE).
    pub request: Option<Value>,
    pub response: Option<Value>,
}

impl InspectionData {
    /// The object AWS sends: data as JSON text, counts as numbers.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        let texts = [
            ("input", &self.input),
            ("afterInputPath", &self.after_input_path),
            ("afterParameters", &self.after_parameters),
            ("afterArguments", &self.after_arguments),
            ("afterItemsPath", &self.after_items_path),
            ("result", &self.result),
            ("afterResultSelector", &self.after_result_selector),
            ("afterResultPath", &self.after_result_path),
        ];
        for (name, value) in texts {
            if let Some(value) = value {
                map.insert(name.into(), Value::String(json_text(value)));
            }
        }
        if let Some(request) = &self.request {
            map.insert("request".into(), request.clone());
        }
        if let Some(response) = &self.response {
            map.insert("response".into(), response.clone());
        }
        if let Some(variables) = &self.variables {
            map.insert("variables".into(), Value::String(json_text(variables)));
        }
        if let Some(details) = self.error_details.filter(|d| !d.is_empty()) {
            let mut d = Map::new();
            if let Some(i) = details.catch_index {
                d.insert("catchIndex".into(), i.into());
            }
            if let Some(i) = details.retry_index {
                d.insert("retryIndex".into(), i.into());
            }
            if let Some(s) = details.retry_backoff_interval_seconds {
                d.insert("retryBackoffIntervalSeconds".into(), s.into());
            }
            map.insert("errorDetails".into(), Value::Object(d));
        }
        if let Some(n) = self.max_concurrency {
            map.insert("maxConcurrency".into(), n.into());
        }
        if let Some(n) = self.tolerated_failure_count {
            map.insert("toleratedFailureCount".into(), n.into());
        }
        if let Some(p) = self.tolerated_failure_percentage {
            map.insert("toleratedFailurePercentage".into(), serde_json::Number::from_f64(p).map_or(Value::Null, Value::Number));
        }
        Value::Object(map)
    }
}

/// What TestState answers.
#[derive(Debug, Clone, PartialEq)]
pub struct TestStateResponse {
    pub status: TestStatus,
    /// The state's output (SUCCEEDED), or the catcher's (CAUGHT_ERROR).
    pub output: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub next_state: Option<String>,
    /// Present at DEBUG and TRACE.
    pub inspection_data: Option<InspectionData>,
}

impl TestStateResponse {
    /// The body AWS answers, `output` as JSON text.
    pub fn to_json(&self) -> Value {
        let mut map = Map::new();
        if let Some(output) = &self.output {
            map.insert("output".into(), Value::String(json_text(output)));
        }
        if let Some(error) = &self.error {
            map.insert("error".into(), Value::String(error.clone()));
        }
        if let Some(cause) = &self.cause {
            map.insert("cause".into(), Value::String(cause.clone()));
        }
        if let Some(data) = &self.inspection_data {
            map.insert("inspectionData".into(), data.to_json());
        }
        if let Some(next) = &self.next_state {
            map.insert("nextState".into(), Value::String(next.clone()));
        }
        map.insert("status".into(), Value::String(self.status.name().into()));
        Value::Object(map)
    }
}

/// A value as compact JSON text, as AWS writes payloads.
pub fn json_text(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn data_is_written_as_json_text_and_counts_as_numbers() {
        let response = TestStateResponse {
            status: TestStatus::CaughtError,
            output: Some(json!({"a": [1]})),
            error: Some("E".into()),
            cause: Some("C".into()),
            next_state: Some("Handle".into()),
            inspection_data: Some(InspectionData {
                input: Some(json!({"a": 1})),
                after_input_path: Some(json!("text")),
                max_concurrency: Some(0),
                tolerated_failure_percentage: Some(12.5),
                variables: Some(json!({"x": 1})),
                error_details: Some(ErrorDetails { retry_index: Some(0), catch_index: Some(1), ..ErrorDetails::default() }),
                ..InspectionData::default()
            }),
        };
        assert_eq!(
            response.to_json(),
            json!({
                "output": "{\"a\":[1]}",
                "error": "E",
                "cause": "C",
                "inspectionData": {
                    "input": "{\"a\":1}",
                    "afterInputPath": "\"text\"",
                    "variables": "{\"x\":1}",
                    "errorDetails": {"catchIndex": 1, "retryIndex": 0},
                    "maxConcurrency": 0,
                    "toleratedFailurePercentage": 12.5
                },
                "nextState": "Handle",
                "status": "CAUGHT_ERROR"
            })
        );
    }

    #[test]
    fn empty_error_details_are_left_out() {
        let data = InspectionData { error_details: Some(ErrorDetails::default()), ..InspectionData::default() };
        assert_eq!(data.to_json(), json!({}));
        assert_eq!(TestStatus::Retriable.name(), "RETRIABLE");
    }
}
