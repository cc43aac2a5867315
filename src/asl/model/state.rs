//! [`State`] and [`StateKind`]: the eight state types, their own fields, and the fields they share.

use super::{Catcher, ChoiceRule, Layout, NumberOrExpression, Payload, QueryLanguage, Retrier, StateMachine};

/// The eight state types, without their data: what `"Type"` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StateType {
    Task,
    Pass,
    Wait,
    Choice,
    Parallel,
    Map,
    Succeed,
    Fail,
}

/// Fields every state type takes.
const COMMON_FIELDS: &[&str] = &["Type", "Comment", "QueryLanguage"];

impl StateType {
    /// Every state type.
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Pass,
        StateType::Wait,
        StateType::Choice,
        StateType::Parallel,
        StateType::Map,
        StateType::Succeed,
        StateType::Fail,
    ];

    /// The `Type` value: `Task`.
    pub fn name(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Wait => "Wait",
            StateType::Choice => "Choice",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
        }
    }

    /// The type whose `Type` value is `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        StateType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The fields of this type besides `Type`, `Comment` and `QueryLanguage`, in both query languages.
    pub fn own_fields(self) -> &'static [&'static str] {
        match self {
            StateType::Task => &[
                "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Arguments", "Output", "Assign",
                "Next", "End", "Retry", "Catch", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
                "HeartbeatSecondsPath", "Credentials",
            ],
            StateType::Pass => &["InputPath", "OutputPath", "Parameters", "ResultPath", "Output", "Assign", "Next", "End", "Result"],
            StateType::Wait => &[
                "InputPath", "OutputPath", "Output", "Assign", "Next", "End", "Seconds", "SecondsPath", "Timestamp",
                "TimestampPath",
            ],
            StateType::Choice => &["InputPath", "OutputPath", "Output", "Assign", "Choices", "Default"],
            StateType::Parallel => &[
                "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Arguments", "Output", "Assign",
                "Next", "End", "Retry", "Catch", "Branches",
            ],
            StateType::Map => &[
                "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Output", "Assign", "Next", "End",
                "Retry", "Catch", "ItemsPath", "Items", "ItemSelector", "Iterator", "ItemProcessor", "MaxConcurrency",
                "MaxConcurrencyPath", "ItemReader", "ItemBatcher", "ResultWriter", "ToleratedFailureCount",
                "ToleratedFailureCountPath", "ToleratedFailurePercentage", "ToleratedFailurePercentagePath", "Label",
            ],
            StateType::Succeed => &["InputPath", "OutputPath", "Output"],
            StateType::Fail => &["Error", "ErrorPath", "Cause", "CausePath"],
        }
    }

    /// Whether a state of this type may have the field `key`.
    pub fn allows(self, key: &str) -> bool {
        COMMON_FIELDS.contains(&key) || self.own_fields().contains(&key)
    }
}

/// Every field some state type takes (to tell "not allowed here" from "unknown").
pub const ALL_STATE_FIELDS: &[&str] = &[
    "Type", "Comment", "QueryLanguage", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
    "Arguments", "Output", "Assign", "Next", "End", "Retry", "Catch", "Resource", "TimeoutSeconds",
    "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Credentials", "Result", "Seconds",
    "SecondsPath", "Timestamp", "TimestampPath", "Choices", "Default", "Branches", "ItemsPath", "Items",
    "ItemSelector", "Iterator", "ItemProcessor", "MaxConcurrency", "MaxConcurrencyPath", "ItemReader", "ItemBatcher",
    "ResultWriter", "ToleratedFailureCount", "ToleratedFailureCountPath", "ToleratedFailurePercentage",
    "ToleratedFailurePercentagePath", "Label", "Error", "ErrorPath", "Cause", "CausePath",
];

/// A path field that may also be `null` (`"ResultPath": null` discards the result).
#[derive(Debug, Clone, PartialEq)]
pub enum PathOrNull {
    Path(String),
    Null,
}

impl PathOrNull {
    /// The path, unless this is `null`.
    pub fn path(&self) -> Option<&str> {
        match self {
            PathOrNull::Path(p) => Some(p),
            PathOrNull::Null => None,
        }
    }
}

/// The data-flow fields of the state pipeline, shared by the state types that take them.
/// JSONPath: InputPath → Parameters → action → ResultSelector → ResultPath → OutputPath.
/// JSONata: Arguments → action → Output. Both: Assign.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DataFlow {
    pub input_path: Option<PathOrNull>,
    pub parameters: Option<Payload>,
    pub result_selector: Option<Payload>,
    pub result_path: Option<PathOrNull>,
    pub output_path: Option<PathOrNull>,
    pub arguments: Option<Payload>,
    pub output: Option<Payload>,
    pub assign: Option<Payload>,
}

/// One state: its type-specific data in `kind`, and what state types share.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub kind: StateKind,
    pub comment: Option<String>,
    pub query_language: Option<QueryLanguage>,
    pub next: Option<String>,
    pub end: Option<bool>,
    pub data: DataFlow,
    pub retry: Option<Vec<Retrier>>,
    pub catch: Option<Vec<Catcher>>,
    pub layout: Layout,
}

impl State {
    /// A state of `kind` with no other field set.
    pub fn new(kind: StateKind) -> Self {
        State {
            kind,
            comment: None,
            query_language: None,
            next: None,
            end: None,
            data: DataFlow::default(),
            retry: None,
            catch: None,
            layout: Layout::default(),
        }
    }

    /// Whether reaching this state can end the execution: Succeed, Fail, or `"End": true`.
    pub fn is_terminal(&self) -> bool {
        matches!(self.kind, StateKind::Succeed | StateKind::Fail(_)) || self.end == Some(true)
    }

    /// Every state name this state may go to, with the pointer (relative to the state) of the
    /// field that names it: Next, each Choice rule's Next, Default, each catcher's Next.
    pub fn transitions(&self) -> Vec<(String, &str)> {
        let mut out = Vec::new();
        if let Some(next) = &self.next {
            out.push(("/Next".to_string(), next.as_str()));
        }
        if let StateKind::Choice(choice) = &self.kind {
            for (i, rule) in choice.choices.iter().flatten().enumerate() {
                if let Some(next) = &rule.next {
                    out.push((format!("/Choices/{i}/Next"), next.as_str()));
                }
            }
            if let Some(default) = &choice.default {
                out.push(("/Default".to_string(), default.as_str()));
            }
        }
        for (i, catcher) in self.catch.iter().flatten().enumerate() {
            if let Some(next) = &catcher.next {
                out.push((format!("/Catch/{i}/Next"), next.as_str()));
            }
        }
        out
    }
}

/// The type of a state with its type-specific fields.
#[derive(Debug, Clone, PartialEq)]
pub enum StateKind {
    Task(Task),
    Pass(Pass),
    Wait(Wait),
    Choice(Choice),
    Parallel(Parallel),
    Map(Map),
    Succeed,
    Fail(Fail),
    /// `Type` is missing or names no state type; all fields are kept in the layout as read.
    Unrecognized,
}

impl StateKind {
    /// The state type, unless unrecognized.
    pub fn state_type(&self) -> Option<StateType> {
        Some(match self {
            StateKind::Task(_) => StateType::Task,
            StateKind::Pass(_) => StateType::Pass,
            StateKind::Wait(_) => StateType::Wait,
            StateKind::Choice(_) => StateType::Choice,
            StateKind::Parallel(_) => StateType::Parallel,
            StateKind::Map(_) => StateType::Map,
            StateKind::Succeed => StateType::Succeed,
            StateKind::Fail(_) => StateType::Fail,
            StateKind::Unrecognized => return None,
        })
    }
}

/// A Task state's own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    pub resource: Option<String>,
    pub timeout_seconds: Option<NumberOrExpression>,
    pub timeout_seconds_path: Option<String>,
    pub heartbeat_seconds: Option<NumberOrExpression>,
    pub heartbeat_seconds_path: Option<String>,
    pub credentials: Option<Payload>,
}

/// A Pass state's own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pass {
    pub result: Option<Payload>,
}

/// A Wait state's own fields: exactly one should be set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wait {
    pub seconds: Option<NumberOrExpression>,
    pub seconds_path: Option<String>,
    /// An RFC 3339 timestamp, or a JSONata expression.
    pub timestamp: Option<String>,
    pub timestamp_path: Option<String>,
}

/// A Choice state's own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub choices: Option<Vec<ChoiceRule>>,
    pub default: Option<String>,
}

/// A Parallel state's own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Parallel {
    pub branches: Option<Vec<StateMachine>>,
}

/// A Map state's own fields, the distributed ones included.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    pub items_path: Option<String>,
    /// JSONata: an array or an expression string.
    pub items: Option<Payload>,
    pub item_selector: Option<Payload>,
    /// The legacy name of `item_processor`.
    pub iterator: Option<Box<StateMachine>>,
    pub item_processor: Option<Box<StateMachine>>,
    pub max_concurrency: Option<NumberOrExpression>,
    pub max_concurrency_path: Option<String>,
    pub item_reader: Option<Payload>,
    pub item_batcher: Option<Payload>,
    pub result_writer: Option<Payload>,
    pub tolerated_failure_count: Option<NumberOrExpression>,
    pub tolerated_failure_count_path: Option<String>,
    pub tolerated_failure_percentage: Option<NumberOrExpression>,
    pub tolerated_failure_percentage_path: Option<String>,
    pub label: Option<String>,
}

impl Map {
    /// The item processor, under either of its names.
    pub fn processor(&self) -> Option<&StateMachine> {
        self.item_processor.as_deref().or(self.iterator.as_deref())
    }
}

/// A Fail state's own fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fail {
    pub error: Option<String>,
    pub error_path: Option<String>,
    pub cause: Option<String>,
    pub cause_path: Option<String>,
}
