//! Diagnostics: what is wrong with a definition, with a stable [`Code`], a [`Severity`], a
//! message, a JSON pointer and (when read from text) a span and a line:column.

use crate::asl::json::{LineIndex, Node, Position, Span};
use serde::Serialize;
use std::fmt;

/// How bad a diagnostic is: errors make AWS reject the definition, warnings are advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident = $text:literal, $severity:ident;)*) => {
        /// The stable identity of a rule. The text form ([`Code::as_str`]) never changes once published.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as printed: `BACKOFF_RATE`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }

            /// The severity every diagnostic with this code has.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The code whose text form is `text`.
            pub fn from_str(text: &str) -> Option<Code> {
                match text {
                    $($text => Some(Code::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    /// The text is not JSON: `{"StartAt": }`.
    JsonSyntax = "JSON_SYNTAX", Error;
    /// An object has the same key twice: `{"Type": "Pass", "Type": "Wait"}`.
    DuplicateKey = "DUPLICATE_KEY", Error;
    /// A required field is absent: a Task without `Resource`.
    MissingField = "MISSING_FIELD", Error;
    /// A field has the wrong JSON type: `"TimeoutSeconds": "10"`.
    FieldType = "FIELD_TYPE", Error;
    /// A field ASL does not define: `"Nxet": "B"`.
    UnknownField = "UNKNOWN_FIELD", Error;
    /// A known field on a state type that does not take it: `Seconds` on a Task, `Next` on a Choice.
    FieldNotAllowed = "FIELD_NOT_ALLOWED", Error;
    /// `Type` is not one of the eight state types: `"Type": "Lambda"`.
    StateType = "STATE_TYPE", Error;
    /// A field holds a value outside its allowed set: `"QueryLanguage": "SQL"`, `"Mode": "REMOTE"`.
    InvalidValue = "INVALID_VALUE", Error;
    /// A number outside its range: `"TimeoutSeconds": 0`, `"MaxAttempts": -1`, `HeartbeatSeconds` ≥ `TimeoutSeconds`.
    ValueRange = "VALUE_RANGE", Error;
    /// A number a 64-bit float cannot hold, anywhere in the definition: `"Result": 1e400`.
    NumberRange = "NUMBER_RANGE", Error;
    /// Two fields that exclude each other: `TimeoutSeconds` and `TimeoutSecondsPath`.
    ExclusiveFields = "EXCLUSIVE_FIELDS", Error;
    /// A Wait without exactly one of `Seconds`, `SecondsPath`, `Timestamp`, `TimestampPath`.
    WaitDuration = "WAIT_DURATION", Error;
    /// A state with both `Next` and `"End": true`.
    NextAndEnd = "NEXT_AND_END", Error;
    /// A Task, Pass, Wait, Parallel or Map with neither `Next` nor `"End": true`.
    MissingTransition = "MISSING_TRANSITION", Error;
    /// A top-level Choice rule without `Next`.
    ChoiceRuleNext = "CHOICE_RULE_NEXT", Error;
    /// A rule nested in `And`/`Or`/`Not` that has a `Next`.
    NestedRuleNext = "NESTED_RULE_NEXT", Error;
    /// A Choice rule with no comparison operator, or more than one.
    ChoiceRuleComparator = "CHOICE_RULE_COMPARATOR", Error;
    /// A Choice state whose `Choices` is empty.
    EmptyChoices = "EMPTY_CHOICES", Error;
    /// A retrier's `BackoffRate` below 1.0.
    BackoffRate = "BACKOFF_RATE", Error;
    /// A retrier's `JitterStrategy` that is not `FULL` or `NONE`.
    JitterStrategy = "JITTER_STRATEGY", Error;
    /// `States.ALL` not alone in its `ErrorEquals`, or in a retrier/catcher that is not the last.
    StatesAllPosition = "STATES_ALL_POSITION", Error;
    /// An empty `ErrorEquals`.
    EmptyErrorEquals = "EMPTY_ERROR_EQUALS", Error;
    /// `StartAt`, `Next`, `Default` or a catcher's `Next` names no state: `"Next": "Nowhere"`.
    UnknownTarget = "UNKNOWN_TARGET", Error;
    /// A transition out of a Parallel branch or Map processor, or into one from outside.
    BranchEscape = "BRANCH_ESCAPE", Error;
    /// A state that neither `StartAt` nor any transition of its scope names (AWS's "not reachable").
    UnreachableState = "UNREACHABLE_STATE", Error;
    /// The top-level `States` holds no terminal state (Succeed, Fail, `"End": true`).
    NoTerminalState = "NO_TERMINAL_STATE", Error;
    /// `States` is empty.
    EmptyStates = "EMPTY_STATES", Error;
    /// Two states with one name, in different branches or processors.
    DuplicateStateName = "DUPLICATE_STATE_NAME", Error;
    /// A state name that is empty, longer than 80 characters, or holds a forbidden character.
    StateName = "STATE_NAME", Error;
    /// A JSONPath that does not parse: `"InputPath": "$.a[?"`.
    JsonPathSyntax = "JSONPATH_SYNTAX", Error;
    /// A reference path (ResultPath, `...Path` fields) that is not a plain path: `"ResultPath": "$..a"`.
    ReferencePathSyntax = "REFERENCE_PATH_SYNTAX", Error;
    /// A payload template field `"x.$"` whose value is not a path or intrinsic: `"x.$": "hello"`.
    PayloadTemplate = "PAYLOAD_TEMPLATE", Error;
    /// An intrinsic function that does not parse, is unknown, or has the wrong number of arguments.
    IntrinsicFunction = "INTRINSIC_FUNCTION", Error;
    /// A field that the state's query language does not allow: `Parameters` under JSONata, `Output` under JSONPath.
    QueryLanguageField = "QUERY_LANGUAGE_FIELD", Error;
    /// A timestamp that is not RFC 3339: `"Timestamp": "2024-13-01"`.
    TimestampFormat = "TIMESTAMP_FORMAT", Error;
    /// A JSONata expression `{% ... %}` that does not parse, or a field that must be one but is not.
    JsonataSyntax = "JSONATA_SYNTAX", Error;
    /// A JSONata expression that reads a field of its input at its top level (`{% phone %}`):
    /// Step Functions gives an expression no input, only `$states` and variables.
    JsonataTopLevelReference = "JSONATA_TOP_LEVEL_REFERENCE", Error;
    /// A Task `Resource` AWS does not recognize: an optimized integration that does not exist
    /// (`arn:aws:states:::dynamodb:query`) or a pattern it does not offer (`lambda:invoke.sync`).
    UnknownResource = "UNKNOWN_RESOURCE", Error;
    /// In an EXPRESS state machine, a Task using `.sync`, `.waitForTaskToken` or an activity.
    ExpressIntegration = "EXPRESS_INTEGRATION", Error;
    /// A Task's `Credentials` without `RoleArn`, or with a field other than `RoleArn`.
    Credentials = "CREDENTIALS", Error;
    /// A Distributed Map's `Label` AWS refuses: longer than 40 characters, a forbidden character
    /// (white space, brackets, `?`, `*`, `"`, `#`, `%`, `\\`, `^`, `|`, `~`, `` ` ``, `$`, `&`, `,`,
    /// `;`, `:`, `/`, control characters).
    Label = "LABEL", Error;
    /// Two Distributed Maps of one machine with the same `Label`.
    DuplicateLabel = "DUPLICATE_LABEL", Error;
    /// A `$variable` that no state assigns.
    UndefinedVariable = "UNDEFINED_VARIABLE", Warning;
    /// A `$variable` assigned only inside a Parallel branch or Map processor, read outside it.
    OutOfScopeVariable = "OUT_OF_SCOPE_VARIABLE", Warning;
    /// A variable name an `Assign` cannot set: empty, longer than 80 characters, or holding a
    /// character other than letters, digits and `_` (`"order.id": ...`).
    VariableName = "VARIABLE_NAME", Error;
    /// An `Assign` setting the reserved variable `states` (`$states` is Step Functions' own).
    ReservedVariable = "RESERVED_VARIABLE", Error;
    /// A variable that an `Assign` sets but no state that can see it reads.
    UnusedVariable = "UNUSED_VARIABLE", Warning;
    /// A Parallel branch or Map iteration assigning a variable that an enclosing scope assigns:
    /// inner scopes read outer variables but cannot set them.
    OuterVariableAssigned = "OUTER_VARIABLE_ASSIGNED", Error;
    /// A Pass whose `Result` is static but looks dynamic (`"x.$"` keys are not evaluated in `Result`), or whose `Parameters` are discarded by `Result`.
    StaticPass = "STATIC_PASS", Warning;
    /// A payload value that looks like a path but whose key lacks the `.$` suffix, so it stays a literal string.
    PathWithoutDollar = "PATH_WITHOUT_DOLLAR", Warning;
    /// A catcher or retrier that earlier ones make unreachable: `["States.TaskFailed"]` after `["States.TaskFailed"]`.
    UnreachableCatcher = "UNREACHABLE_CATCHER", Warning;
    /// A Task's `Parameters`/`Arguments` that its operation's input shape does not accept (an
    /// unknown member, a missing required one, a wrong type, a value outside an enum): found by
    /// the service catalogue (`catalogue::requests`), where the service's model is at hand.
    RequestField = "REQUEST_FIELD", Warning;
    /// A Task's `Parameters`/`Arguments` object without a member its operation requires (neither
    /// `X` nor `X.$`): AWS refuses the definition, "The field 'FunctionName' is required but was
    /// missing". Found by the service catalogue (`catalogue::requests`), as REQUEST_FIELD is.
    RequiredRequestField = "REQUIRED_REQUEST_FIELD", Error;
    /// A path reading a field of a Parallel's output, which is an array: `"m.$": "$.message"` in
    /// the state after a Parallel with no `ResultSelector` or `ResultPath` that makes it an object.
    ArrayOutputField = "ARRAY_OUTPUT_FIELD", Warning;
}

impl Code {
    /// The code AWS's ValidateStateMachineDefinition gives the same problem (its list of
    /// diagnostic codes in the API reference, `ValidateStateMachineDefinitionDiagnostic`), so a
    /// finding can be compared with AWS's: most errors are what AWS calls schema validation;
    /// warnings AWS has no code for give `None`.
    pub fn aws_code(self) -> Option<&'static str> {
        use Code::*;
        Some(match self {
            JsonSyntax => "INVALID_JSON_DESCRIPTION",
            // "SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::aws-sdk:cloudwatchlogs:CreateLogStream
            // is not recognized. … at /States/SendTaskSuccess/Resource", as CreateStateMachine answers.
            UnknownResource => "SCHEMA_VALIDATION_FAILED",
            // "INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/Main/Output"
            // (CreateStateMachine, measured: floci-io/floci#2745).
            JsonataSyntax => "INVALID_JSONATA_EXPRESSION",
            // "UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not
            // supported. at /States/E/Output/v" (CreateStateMachine, measured: floci-io/floci#2670).
            JsonataTopLevelReference => "UNSUPPORTED_JSONATA_EXPRESSION",
            NoTerminalState => "MISSING_END_STATE",
            DuplicateStateName => "DUPLICATE_STATE_NAME",
            StateName => "INVALID_STATE_NAME",
            Label => "INVALID_LABEL_NAME",
            DuplicateLabel => "DUPLICATE_LABEL_NAME",
            // "INVALID_VARIABLE_NAME: Invalid variable name 'x': the variable name contains
            // invalid characters." and "RESERVED_VARIABLE_NAME: Cannot assign to reserved
            // variable '$states'." (CreateStateMachine, as a policy-as-code rule quotes it).
            VariableName => "INVALID_VARIABLE_NAME",
            ReservedVariable => "RESERVED_VARIABLE_NAME",
            // AWS reports an unreachable state under MISSING_TRANSITION_TARGET too.
            UnknownTarget | UnreachableState => "MISSING_TRANSITION_TARGET",
            PathWithoutDollar => "NO_DOLLAR",
            StaticPass => "PASS_RESULT_IS_STATIC",
            DuplicateKey | MissingField | FieldType | UnknownField | FieldNotAllowed | StateType | InvalidValue
            | ValueRange | NumberRange | ExclusiveFields | WaitDuration | NextAndEnd | MissingTransition
            | ChoiceRuleNext | NestedRuleNext | ChoiceRuleComparator | EmptyChoices | BackoffRate | JitterStrategy
            | StatesAllPosition | EmptyErrorEquals | BranchEscape | EmptyStates | JsonPathSyntax
            | ReferencePathSyntax | PayloadTemplate | IntrinsicFunction | QueryLanguageField | TimestampFormat
            | ExpressIntegration | Credentials | OuterVariableAssigned | RequiredRequestField => "SCHEMA_VALIDATION_FAILED",
            UndefinedVariable | OutOfScopeVariable | UnusedVariable | UnreachableCatcher | RequestField | ArrayOutputField => return None,
        })
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem found in a definition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// What is wrong, for the user.
    pub message: String,
    /// Where, as a JSON pointer into the definition: `/States/ProcessData/Retry/0/BackoffRate`.
    pub pointer: String,
    /// Where in the source text, when the definition was read from text.
    pub span: Option<Span>,
    /// The line:column of the span's start.
    pub position: Option<Position>,
}

impl Diagnostic {
    /// A diagnostic with `code`'s severity, not yet located in text.
    pub fn new(code: Code, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { code, severity: code.severity(), message: message.into(), pointer: pointer.into(), span: None, position: None }
    }

    /// Whether this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.position {
            write!(f, "{}:{}: ", p.line, p.column)?;
        }
        write!(f, "{}[{}]: {} ({})", self.severity, self.code, self.message, self.pointer)
    }
}

/// Fills in the span and line:column of every diagnostic that has none, by following its
/// pointer into `root` read from `text`. A pointer that ends on an object or array is placed at
/// its key (`"ProcessData": {` rather than the brace), anything else at the value.
pub fn locate(diagnostics: &mut [Diagnostic], root: &Node, text: &str) {
    if diagnostics.iter().all(|d| d.position.is_some()) {
        return;
    }
    let lines = LineIndex::new(text);
    for d in diagnostics.iter_mut().filter(|d| d.position.is_none()) {
        if let Some(span) = d.span {
            d.position = Some(lines.position(span.start as usize));
            continue;
        }
        // A pointer to a field that is missing points at the nearest ancestor that exists.
        let mut pointer = d.pointer.as_str();
        let found = loop {
            if let Some(found) = root.at_pointer(pointer) {
                break Some(found);
            }
            match pointer.rfind('/') {
                Some(i) => pointer = &pointer[..i],
                None => break None,
            }
        };
        if let Some((node, key_span)) = found {
            let span = match (&node.value, key_span) {
                (crate::asl::json::Value::Object(_) | crate::asl::json::Value::Array(_), Some(key)) => key,
                _ => node.span,
            };
            d.span = Some(span);
            d.position = Some(lines.position(span.start as usize));
        }
    }
}
