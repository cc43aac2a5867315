//! Choice rules: [`ChoiceRule`], the [`ComparisonOperator`] enum, `And`/`Or`/`Not` nesting, and
//! JSONata `Condition`s.

use super::{Layout, Payload};
use crate::asl::json::Number;

/// One rule of a Choice state's `Choices`, or a rule nested in `And`/`Or`/`Not`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChoiceRule {
    /// JSONPath only: the path of the value to compare.
    pub variable: Option<String>,
    /// The comparison, combination or condition. `None` when the rule has none (reported).
    pub test: Option<RuleTest>,
    /// Top-level rules only.
    pub next: Option<String>,
    pub assign: Option<Payload>,
    /// JSONata only.
    pub output: Option<Payload>,
    pub comment: Option<String>,
    pub layout: Layout,
}

/// What a rule tests.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleTest {
    /// `"Variable": "$.x", "NumericGreaterThan": 3`.
    Compare { operator: ComparisonOperator, operand: Operand },
    And(Vec<ChoiceRule>),
    Or(Vec<ChoiceRule>),
    Not(Box<ChoiceRule>),
    /// JSONata: `"Condition": "{% $states.input.x > 3 %}"`, braces included.
    Condition(String),
    /// JSONata: `"Condition": true` (or `false`): a literal boolean, which AWS accepts as a
    /// Condition that always (never) holds.
    ConstantCondition(bool),
}

impl RuleTest {
    /// The ASL field that holds this test: `NumericGreaterThan`, `And`, `Condition`...
    pub fn field_name(&self) -> &'static str {
        match self {
            RuleTest::Compare { operator, .. } => operator.name(),
            RuleTest::And(_) => "And",
            RuleTest::Or(_) => "Or",
            RuleTest::Not(_) => "Not",
            RuleTest::Condition(_) | RuleTest::ConstantCondition(_) => "Condition",
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    String(String),
    Number(Number),
    Boolean(bool),
    /// The path of the `...Path` operators.
    Path(String),
}

/// What type of operand an operator takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperandKind {
    String,
    Number,
    Boolean,
    /// An RFC 3339 timestamp string.
    Timestamp,
    /// A reference path to the value to compare with.
    Path,
}

macro_rules! operators {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal, $kind:ident;)*) => {
        /// Every comparison operator of Choice rules, the `...Path` forms and the type tests included.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ComparisonOperator {
            $($(#[doc = $doc])* $variant,)*
        }

        impl ComparisonOperator {
            /// Every operator, in ASL documentation order.
            pub const ALL: &'static [ComparisonOperator] = &[$(ComparisonOperator::$variant,)*];

            /// The ASL field name: `StringEquals`.
            pub fn name(self) -> &'static str {
                match self {
                    $(ComparisonOperator::$variant => $name,)*
                }
            }

            /// The type of operand this operator takes.
            pub fn operand_kind(self) -> OperandKind {
                match self {
                    $(ComparisonOperator::$variant => OperandKind::$kind,)*
                }
            }

            /// The operator whose ASL field name is `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some(ComparisonOperator::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

operators! {
    StringEquals = "StringEquals", String;
    StringEqualsPath = "StringEqualsPath", Path;
    StringLessThan = "StringLessThan", String;
    StringLessThanPath = "StringLessThanPath", Path;
    StringGreaterThan = "StringGreaterThan", String;
    StringGreaterThanPath = "StringGreaterThanPath", Path;
    StringLessThanEquals = "StringLessThanEquals", String;
    StringLessThanEqualsPath = "StringLessThanEqualsPath", Path;
    StringGreaterThanEquals = "StringGreaterThanEquals", String;
    StringGreaterThanEqualsPath = "StringGreaterThanEqualsPath", Path;
    /// A pattern where `*` matches any run of characters and `\*` a literal star.
    StringMatches = "StringMatches", String;
    NumericEquals = "NumericEquals", Number;
    NumericEqualsPath = "NumericEqualsPath", Path;
    NumericLessThan = "NumericLessThan", Number;
    NumericLessThanPath = "NumericLessThanPath", Path;
    NumericGreaterThan = "NumericGreaterThan", Number;
    NumericGreaterThanPath = "NumericGreaterThanPath", Path;
    NumericLessThanEquals = "NumericLessThanEquals", Number;
    NumericLessThanEqualsPath = "NumericLessThanEqualsPath", Path;
    NumericGreaterThanEquals = "NumericGreaterThanEquals", Number;
    NumericGreaterThanEqualsPath = "NumericGreaterThanEqualsPath", Path;
    BooleanEquals = "BooleanEquals", Boolean;
    BooleanEqualsPath = "BooleanEqualsPath", Path;
    TimestampEquals = "TimestampEquals", Timestamp;
    TimestampEqualsPath = "TimestampEqualsPath", Path;
    TimestampLessThan = "TimestampLessThan", Timestamp;
    TimestampLessThanPath = "TimestampLessThanPath", Path;
    TimestampGreaterThan = "TimestampGreaterThan", Timestamp;
    TimestampGreaterThanPath = "TimestampGreaterThanPath", Path;
    TimestampLessThanEquals = "TimestampLessThanEquals", Timestamp;
    TimestampLessThanEqualsPath = "TimestampLessThanEqualsPath", Path;
    TimestampGreaterThanEquals = "TimestampGreaterThanEquals", Timestamp;
    TimestampGreaterThanEqualsPath = "TimestampGreaterThanEqualsPath", Path;
    /// `true`: the variable is null; `false`: it is not.
    IsNull = "IsNull", Boolean;
    IsPresent = "IsPresent", Boolean;
    IsNumeric = "IsNumeric", Boolean;
    IsString = "IsString", Boolean;
    IsBoolean = "IsBoolean", Boolean;
    IsTimestamp = "IsTimestamp", Boolean;
}

/// Whether `key` is a field that holds a rule's test (an operator, `And`, `Or`, `Not`, `Condition`).
pub fn is_test_field(key: &str) -> bool {
    matches!(key, "And" | "Or" | "Not" | "Condition") || ComparisonOperator::from_name(key).is_some()
}
