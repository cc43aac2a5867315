//! The typed model of an Amazon States Language definition: [`StateMachine`], [`State`],
//! [`StateKind`] and the shared parts (data-flow fields, transitions, retry/catch, choice rules).
//!
//! The model is lossless: every object remembers its key order and the fields the model does
//! not know (or could not type) in a [`Layout`], and numbers keep their text, so
//! [`StateMachine::to_json`] of an unchanged model gives back the JSON it was lowered from, and an
//! edit changes only what it touches. Required fields are `Option`s because a model is built
//! even from a broken definition; the validator says what is missing.

mod choice;
mod errors;
mod layout;
mod state;
mod write;

pub use choice::{ChoiceRule, ComparisonOperator, Operand, OperandKind, RuleTest, is_test_field};
pub use errors::{Catcher, Retrier};
pub use layout::{Layout, Slot};
pub use state::{
    Choice, DataFlow, Fail, Map, Parallel, Pass, PathOrNull, State, StateKind, StateType, Task, Wait, ALL_STATE_FIELDS,
};

use crate::asl::json::{Node, Number};

/// A state machine's type, which is not part of its definition: STANDARD or EXPRESS. The
/// validator refuses in EXPRESS what it cannot run (`.sync`, `.waitForTaskToken`, activities);
/// the interpreter applies its history and duration quotas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExecutionType {
    #[default]
    Standard,
    Express,
}

/// A state machine, or the states of a Parallel branch or a Map's item processor.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StateMachine {
    pub comment: Option<String>,
    pub start_at: Option<String>,
    /// States in source order. A name written twice appears twice (and is reported).
    pub states: Vec<NamedState>,
    /// Top level only.
    pub timeout_seconds: Option<Number>,
    /// Top level only.
    pub version: Option<String>,
    /// The default query language of the states below; JSONPath when absent at the top.
    pub query_language: Option<QueryLanguage>,
    /// Map `ItemProcessor` only: `{"Mode": "INLINE" | "DISTRIBUTED", "ExecutionType": ...}`.
    pub processor_config: Option<ProcessorConfig>,
    pub layout: Layout,
}

/// A state and its name.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedState {
    pub name: String,
    pub state: State,
}

impl StateMachine {
    /// The state named `name` (the last one, if the name is written twice).
    pub fn state(&self, name: &str) -> Option<&State> {
        self.states.iter().rev().find(|s| s.name == name).map(|s| &s.state)
    }

    /// The state named `name`, to edit.
    pub fn state_mut(&mut self, name: &str) -> Option<&mut State> {
        self.states.iter_mut().rev().find(|s| s.name == name).map(|s| &mut s.state)
    }
}

/// The language that a state's expressions are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    /// The name as written in ASL: `JSONPath`, `JSONata`.
    pub fn name(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }

    /// The language named `name` in ASL.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }
}

/// A Map item processor's `ProcessorConfig`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcessorConfig {
    /// `INLINE` or `DISTRIBUTED`.
    pub mode: Option<String>,
    /// `STANDARD` or `EXPRESS` (distributed mode).
    pub execution_type: Option<String>,
    pub layout: Layout,
}

/// A numeric field that JSONata states may also write as an expression string:
/// `"TimeoutSeconds": 30` or `"TimeoutSeconds": "{% $timeout %}"`.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberOrExpression {
    Number(Number),
    /// The string as written, braces included.
    Expression(String),
}

impl NumberOrExpression {
    /// The number, when this is a literal.
    pub fn number(&self) -> Option<&Number> {
        match self {
            NumberOrExpression::Number(n) => Some(n),
            NumberOrExpression::Expression(_) => None,
        }
    }
}

/// Whether `text` is a JSONata expression string: `{% ... %}`.
pub fn is_jsonata_expression(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4 && t.starts_with("{%") && t.ends_with("%}")
}

/// A payload (Parameters, ResultSelector, Result, Arguments, Output, Assign, ItemReader ...), kept as JSON.
pub type Payload = Node;
