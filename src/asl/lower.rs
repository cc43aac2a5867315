//! Lowering: the span-keeping JSON tree to the typed [`StateMachine`], field by field.
//!
//! Lowering never stops at the first problem. It reports what is wrong with the JSON shape
//! (duplicate keys, wrong field types, unknown fields, fields the state type does not take,
//! unknown state types) and keeps every member it could not type in the object's [`Layout`], so
//! the model it returns writes back to the same JSON. Everything else is the validator's job.

use crate::asl::diag::{Code, Diagnostic};
use crate::asl::json::{self, Member, Node, Span, Value, escape_pointer_token};
use crate::asl::model::*;

/// A model and what lowering found wrong on the way.
#[derive(Debug, Clone)]
pub struct Lowered {
    pub machine: StateMachine,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text` and lowers it. A text that is not JSON gives its one located `JSON_SYNTAX` diagnostic.
pub fn lower_text(text: &str) -> Result<(Node, Lowered), Diagnostic> {
    // Empty text is not a JSON mistake but a missing definition: AWS says "Definition must be
    // a valid JSON object" (schema validation), not a syntax error.
    if text.trim().is_empty() {
        let mut d = Diagnostic::new(Code::FieldType, "", "Definition must be a valid JSON object (the definition is empty)");
        d.span = Some(Span::new(0, text.len()));
        d.position = Some(json::Position { line: 1, column: 1 });
        return Err(d);
    }
    match json::read_noting_duplicates(text) {
        Ok((root, notes)) => {
            let lowered = lower_with(&root, notes);
            Ok((root, lowered))
        }
        Err(e) => {
            let mut d = Diagnostic::new(Code::JsonSyntax, "", e.message);
            d.span = Some(Span::new(e.offset, e.offset));
            d.position = Some(json::Position { line: e.line, column: e.column });
            Err(d)
        }
    }
}

/// Lowers a JSON tree to a model, collecting every shape problem.
pub fn lower(root: &Node) -> Lowered {
    lower_with(root, json::ReadNotes { duplicates: true, large_numbers: true })
}

/// [`lower`]; the walks for duplicate keys and for numbers beyond a float run only when the
/// reader's `notes` say the tree may have some.
fn lower_with(root: &Node, notes: json::ReadNotes) -> Lowered {
    let mut diagnostics = Vec::new();
    if notes.duplicates {
        report_duplicate_keys(root, "", &mut diagnostics);
    }
    if notes.large_numbers {
        report_numbers_beyond_f64(root, "", &mut diagnostics);
    }
    let machine = if root.as_object().is_some() {
        lower_machine(root, "", MachineScope::Top, &mut diagnostics)
    } else {
        diagnostics.push(Diagnostic::new(
            Code::FieldType,
            "",
            format!("a state machine definition must be an object, not {}", root.kind_name()),
        ));
        StateMachine::default()
    };
    Lowered { machine, diagnostics }
}

/// The top-level state at `index` of the member `States` of `root` lowered again (after an edit
/// inside it), with what lowering finds wrong in it: the diagnostics [`lower`] gives whose
/// pointer is the state's or below it, except a duplicate of the state's own name (the `States`
/// object's). `None` when [`lower`] would not lower the state on its own: `root` is not an
/// object, `States` is not its last member of that name, or some state is not an object.
pub fn lower_top_state(root: &Node, states_member: usize, index: usize) -> Option<(NamedState, Vec<Diagnostic>)> {
    let members = root.as_object()?;
    if members.iter().rposition(|m| m.key == "States") != Some(states_member) {
        return None;
    }
    let named = members[states_member].value.as_object()?;
    if !named.iter().all(|m| m.value.as_object().is_some()) {
        return None;
    }
    let member = named.get(index)?;
    let pointer = format!("/States/{}", escape_pointer_token(&member.key));
    let mut diagnostics = Vec::new();
    report_duplicate_keys(&member.value, &pointer, &mut diagnostics);
    report_numbers_beyond_f64(&member.value, &pointer, &mut diagnostics);
    let state = lower_state(&member.value, &pointer, &mut diagnostics);
    Some((NamedState { name: member.key.clone(), state }, diagnostics))
}

/// Reports every key written twice in one object, anywhere in the tree below `root` (at
/// `base`). The walk keeps the steps it took, not a pointer: the pointer is written only for a
/// key that is reported.
fn report_duplicate_keys(root: &Node, base: &str, out: &mut Vec<Diagnostic>) {
    /// One step down from the root: a member's key or an element's index.
    enum Step<'a> {
        Key(&'a str),
        Index(usize),
    }
    fn pointer_of(base: &str, steps: &[Step], key: &str) -> String {
        let mut pointer = base.to_string();
        for step in steps {
            match step {
                Step::Key(k) => pointer.push_str(&format!("/{}", escape_pointer_token(k))),
                Step::Index(i) => pointer.push_str(&format!("/{i}")),
            }
        }
        format!("{pointer}/{}", escape_pointer_token(key))
    }
    fn visit<'a>(node: &'a Node, base: &str, steps: &mut Vec<Step<'a>>, out: &mut Vec<Diagnostic>) {
        if let Some(members) = node.as_object() {
            for m in json::repeated_keys(members) {
                let mut d = Diagnostic::new(
                    Code::DuplicateKey,
                    pointer_of(base, steps, &m.key),
                    format!("the key `{}` is written more than once in this object; only the last one counts", m.key),
                );
                d.span = Some(m.key_span);
                out.push(d);
            }
            for m in members {
                steps.push(Step::Key(&m.key));
                visit(&m.value, base, steps, out);
                steps.pop();
            }
        } else if let Some(items) = node.as_array() {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                visit(item, base, steps, out);
                steps.pop();
            }
        }
    }
    visit(root, base, &mut Vec::new(), out);
}

/// Reports every number a 64-bit float cannot hold (`1e400`, `-1e400`): the interpreter's
/// values are doubles, as in the JSON readers AWS documents, and JSON has no infinity, so a run
/// would see `null` where the definition says a number. Refused, located, rather than run
/// differently, as an execution input with such a number is. (`1e-400` is 0 to a double: kept.)
fn report_numbers_beyond_f64(root: &Node, base: &str, out: &mut Vec<Diagnostic>) {
    root.walk(&mut base.to_string(), &mut |node, _, pointer| {
        if let Value::Number(n) = &node.value
            && n.as_f64().is_infinite()
        {
            let mut d = Diagnostic::new(
                Code::NumberRange,
                pointer.to_string(),
                format!("the number {} is beyond what a 64-bit float holds (±1.8e308); write a smaller one, or a string", shorten_number(n.text())),
            );
            d.span = Some(node.span);
            out.push(d);
        }
        json::Walk::Descend
    });
}

/// A number's text for a message: a 400-digit number is cut in the middle.
fn shorten_number(text: &str) -> String {
    if text.len() <= 40 { text.to_string() } else { format!("{}…{} ({} characters)", &text[..16], &text[text.len() - 16..], text.len()) }
}

/// Which fields an object may have.
#[derive(Clone, Copy)]
enum Allowed {
    Fields(&'static [&'static str]),
    State(StateType),
    /// A state whose type is unknown: everything is kept, nothing reported.
    Anything,
}

/// Takes typed fields out of one object, remembering the member order, and reports what is left.
struct FieldReader<'a, 'd> {
    members: &'a [Member],
    pointer: &'a str,
    slots: Vec<Option<Slot>>,
    allowed: Allowed,
    diags: &'d mut Vec<Diagnostic>,
}

impl<'a, 'd> FieldReader<'a, 'd> {
    fn new(members: &'a [Member], pointer: &'a str, allowed: Allowed, diags: &'d mut Vec<Diagnostic>) -> Self {
        FieldReader { members, pointer, slots: vec![None; members.len()], allowed, diags }
    }

    fn field_pointer(&self, key: &str) -> String {
        format!("{}/{}", self.pointer, escape_pointer_token(key))
    }

    /// The last member named `key`, if this object may have it.
    fn take(&mut self, key: &'static str) -> Option<(usize, &'a Node)> {
        // Look for the member first: most fields are absent, and that check is the cheap one.
        let i = self.members.iter().rposition(|m| m.key == key)?;
        let allowed = match self.allowed {
            Allowed::Fields(fields) => fields.contains(&key),
            Allowed::State(t) => t.allows(key),
            Allowed::Anything => false,
        };
        if !allowed {
            return None;
        }
        self.slots[i] = Some(Slot::Field(key));
        Some((i, &self.members[i].value))
    }

    /// Keeps member `i` as read and reports that it should be `expected`.
    fn reject(&mut self, i: usize, expected: &str) {
        let m = &self.members[i];
        self.diags.push(Diagnostic::new(
            Code::FieldType,
            self.field_pointer(&m.key),
            format!("`{}` must be {expected}, not {}", m.key, m.value.kind_name()),
        ));
        self.slots[i] = Some(Slot::Extra(m.clone()));
    }

    /// Keeps member `i` as read without a diagnostic (the caller reports, or the validator will).
    fn keep(&mut self, i: usize) {
        self.slots[i] = Some(Slot::Extra(self.members[i].clone()));
    }

    fn typed<T>(&mut self, key: &'static str, expected: &str, convert: impl FnOnce(&'a Node) -> Option<T>) -> Option<T> {
        let (i, node) = self.take(key)?;
        let value = convert(node);
        if value.is_none() {
            self.reject(i, expected);
        }
        value
    }

    fn string(&mut self, key: &'static str) -> Option<String> {
        self.typed(key, "a string", |n| n.as_str().map(str::to_string))
    }

    fn bool(&mut self, key: &'static str) -> Option<bool> {
        self.typed(key, "a boolean", |n| match n.value {
            Value::Bool(b) => Some(b),
            _ => None,
        })
    }

    fn number(&mut self, key: &'static str) -> Option<json::Number> {
        self.typed(key, "a number", |n| match &n.value {
            Value::Number(x) => Some(x.clone()),
            _ => None,
        })
    }

    fn node(&mut self, key: &'static str) -> Option<Node> {
        self.take(key).map(|(_, n)| n.clone())
    }

    fn object(&mut self, key: &'static str) -> Option<Node> {
        self.typed(key, "an object", |n| n.as_object().map(|_| n.clone()))
    }

    fn path_or_null(&mut self, key: &'static str) -> Option<PathOrNull> {
        self.typed(key, "a path string or null", |n| match &n.value {
            Value::Null => Some(PathOrNull::Null),
            Value::String(s) => Some(PathOrNull::Path(s.clone())),
            _ => None,
        })
    }

    fn number_or_expression(&mut self, key: &'static str) -> Option<NumberOrExpression> {
        self.typed(key, "a number (or a JSONata expression string)", |n| match &n.value {
            Value::Number(x) => Some(NumberOrExpression::Number(x.clone())),
            Value::String(s) => Some(NumberOrExpression::Expression(s.clone())),
            _ => None,
        })
    }

    fn strings(&mut self, key: &'static str) -> Option<Vec<String>> {
        self.typed(key, "an array of strings", |n| n.as_array()?.iter().map(|s| s.as_str().map(str::to_string)).collect())
    }

    fn query_language(&mut self) -> Option<QueryLanguage> {
        let (i, node) = self.take("QueryLanguage")?;
        match node.as_str().map(QueryLanguage::from_name) {
            Some(Some(q)) => Some(q),
            // AWS's words at the field (ValidateStateMachineDefinition, measured: floci-io/floci
            // #2968 and the tests of #2972), then ours; the value only, exactly as AWS spells it.
            Some(None) => {
                self.diags.push(Diagnostic::new(
                    Code::InvalidValue,
                    self.field_pointer("QueryLanguage"),
                    format!(
                        "Value should be one of the following: [JSONPath, JSONata] (`QueryLanguage` is {:?}; the names are case-sensitive)",
                        node.as_str().unwrap_or("")
                    ),
                ));
                self.keep(i);
                None
            }
            None => {
                self.diags.push(Diagnostic::new(
                    Code::FieldType,
                    self.field_pointer("QueryLanguage"),
                    format!("Expected value of type [STRING] (`QueryLanguage` must be \"JSONPath\" or \"JSONata\", not {})", node.kind_name()),
                ));
                self.keep(i);
                None
            }
        }
    }

    /// An array of objects, each lowered by `lower_item(item, item_pointer, diagnostics)`.
    fn objects<T>(&mut self, key: &'static str, mut lower_item: impl FnMut(&'a Node, &str, &mut Vec<Diagnostic>) -> T) -> Option<Vec<T>> {
        let (i, node) = self.take(key)?;
        let items = match node.as_array() {
            Some(items) if items.iter().all(|n| n.as_object().is_some()) => items,
            _ => {
                self.reject(i, "an array of objects");
                return None;
            }
        };
        let base = self.field_pointer(key);
        Some(items.iter().enumerate().map(|(j, item)| lower_item(item, &format!("{base}/{j}"), self.diags)).collect())
    }

    /// One object, lowered by `lower_item`.
    fn with_object<T>(&mut self, key: &'static str, lower_item: impl FnOnce(&'a Node, &str, &mut Vec<Diagnostic>) -> T) -> Option<T> {
        let (i, node) = self.take(key)?;
        if node.as_object().is_none() {
            self.reject(i, "an object");
            return None;
        }
        let pointer = self.field_pointer(key);
        Some(lower_item(node, &pointer, self.diags))
    }

    /// The layout, after reporting every member nobody took. `context` names the object: "a Task state".
    fn finish(self, context: &dyn std::fmt::Display) -> Layout {
        let FieldReader { members, pointer, slots, allowed, diags } = self;
        // Objects are small: a linear look-up beats hashing here.
        let taken: Vec<&str> = slots.iter().zip(members).filter(|(s, _)| s.is_some()).map(|(_, m)| m.key.as_str()).collect();
        let slots = slots
            .into_iter()
            .zip(members)
            .map(|(slot, m)| {
                slot.unwrap_or_else(|| {
                    // An earlier duplicate of a taken key is reported as DUPLICATE_KEY already.
                    if !taken.contains(&m.key.as_str()) {
                        let field = format!("{pointer}/{}", escape_pointer_token(&m.key));
                        match allowed {
                            Allowed::Anything => {}
                            // AWS's words for a field its schema has no place for: "Field 'X' is not supported".
                            Allowed::State(_) if ALL_STATE_FIELDS.contains(&m.key.as_str()) => diags.push(Diagnostic::new(
                                Code::FieldNotAllowed,
                                field,
                                format!("Field '{}' is not supported: `{}` is not allowed in {context}", m.key, m.key),
                            )),
                            _ => diags.push(Diagnostic::new(
                                Code::UnknownField,
                                field,
                                format!("Field '{}' is not supported: unknown field `{}` in {context}", m.key, m.key),
                            )),
                        }
                    }
                    Slot::Extra(m.clone())
                })
            })
            .collect();
        Layout { slots }
    }
}

/// Where a set of states sits, which decides the fields its object may have.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MachineScope {
    Top,
    Branch,
    Processor,
}

const TOP_FIELDS: &[&str] = &["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
// No `QueryLanguage` on a nested machine: AWS refuses it on a Parallel's branch, an
// `ItemProcessor` or an `Iterator` ("Field 'QueryLanguage' is not supported" at
// /States/M/ItemProcessor, measured with ValidateStateMachineDefinition: floci-io/floci #2968 and
// the tests of #2972); its states take the top level's (`walk::scope_language`).
const BRANCH_FIELDS: &[&str] = &["Comment", "StartAt", "States"];
const PROCESSOR_FIELDS: &[&str] = &["Comment", "StartAt", "States", "ProcessorConfig"];

fn lower_machine(node: &Node, pointer: &str, scope: MachineScope, diags: &mut Vec<Diagnostic>) -> StateMachine {
    let members = node.as_object().unwrap_or(&[]);
    let fields = match scope {
        MachineScope::Top => TOP_FIELDS,
        MachineScope::Branch => BRANCH_FIELDS,
        MachineScope::Processor => PROCESSOR_FIELDS,
    };
    let mut r = FieldReader::new(members, pointer, Allowed::Fields(fields), diags);
    let comment = r.string("Comment");
    let start_at = r.string("StartAt");
    // Left untaken on a branch or an item processor, where it is reported as a field AWS does not
    // support.
    let query_language = if matches!(scope, MachineScope::Top) { r.query_language() } else { None };
    let timeout_seconds = r.number("TimeoutSeconds");
    let version = r.string("Version");
    let processor_config = r.with_object("ProcessorConfig", |n, p, d| {
        let mut c = FieldReader::new(n.as_object().unwrap_or(&[]), p, Allowed::Fields(&["Mode", "ExecutionType"]), d);
        let mode = c.string("Mode");
        let execution_type = c.string("ExecutionType");
        ProcessorConfig { mode, execution_type, layout: c.finish(&"ProcessorConfig") }
    });
    let states = match r.take("States") {
        Some((i, states)) => match states.as_object() {
            Some(named) if named.iter().all(|m| m.value.as_object().is_some()) => {
                let base = r.field_pointer("States");
                named
                    .iter()
                    .map(|m| NamedState {
                        name: m.key.clone(),
                        state: lower_state(&m.value, &format!("{base}/{}", escape_pointer_token(&m.key)), r.diags),
                    })
                    .collect()
            }
            _ => {
                r.reject(i, "an object whose members are states (objects)");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    let context = match scope {
        MachineScope::Top => "the state machine",
        MachineScope::Branch => "a Parallel branch",
        MachineScope::Processor => "a Map item processor",
    };
    let layout = r.finish(&context);
    StateMachine { comment, start_at, states, timeout_seconds, version, query_language, processor_config, layout }
}

fn lower_state(node: &Node, pointer: &str, diags: &mut Vec<Diagnostic>) -> State {
    let members = node.as_object().unwrap_or(&[]);
    let type_index = members.iter().rposition(|m| m.key == "Type");
    let state_type = match type_index.map(|i| &members[i].value) {
        None => {
            diags.push(Diagnostic::new(Code::MissingField, pointer, "a state needs a `Type`"));
            None
        }
        Some(t) => match t.as_str() {
            Some(name) => {
                let found = StateType::from_name(name);
                if found.is_none() {
                    diags.push(Diagnostic::new(
                        Code::StateType,
                        format!("{pointer}/Type"),
                        // AWS's words: "The field 'Type' should have one of these values: [...]".
                        format!(
                            "The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] (unknown state type {name:?})"
                        ),
                    ));
                }
                found
            }
            None => {
                diags.push(Diagnostic::new(
                    Code::FieldType,
                    format!("{pointer}/Type"),
                    format!("`Type` must be a string, not {}", t.kind_name()),
                ));
                None
            }
        },
    };
    let Some(state_type) = state_type else {
        let r = FieldReader::new(members, pointer, Allowed::Anything, diags);
        let mut state = State::new(StateKind::Unrecognized);
        state.layout = r.finish(&"a state");
        return state;
    };
    let mut r = FieldReader::new(members, pointer, Allowed::State(state_type), diags);
    r.take("Type");
    let comment = r.string("Comment");
    let query_language = r.query_language();
    let kind = match state_type {
        StateType::Task => StateKind::Task(Task {
            resource: r.string("Resource"),
            timeout_seconds: r.number_or_expression("TimeoutSeconds"),
            timeout_seconds_path: r.string("TimeoutSecondsPath"),
            heartbeat_seconds: r.number_or_expression("HeartbeatSeconds"),
            heartbeat_seconds_path: r.string("HeartbeatSecondsPath"),
            credentials: r.object("Credentials"),
        }),
        StateType::Pass => StateKind::Pass(Pass { result: r.node("Result") }),
        StateType::Wait => StateKind::Wait(Wait {
            seconds: r.number_or_expression("Seconds"),
            seconds_path: r.string("SecondsPath"),
            timestamp: r.string("Timestamp"),
            timestamp_path: r.string("TimestampPath"),
        }),
        StateType::Choice => StateKind::Choice(Choice {
            choices: r.objects("Choices", lower_rule),
            default: r.string("Default"),
        }),
        StateType::Parallel => StateKind::Parallel(Parallel {
            branches: r.objects("Branches", |n, p, d| lower_machine(n, p, MachineScope::Branch, d)),
        }),
        StateType::Map => StateKind::Map(Map {
            items_path: r.string("ItemsPath"),
            items: r.node("Items"),
            item_selector: r.object("ItemSelector"),
            iterator: r.with_object("Iterator", |n, p, d| Box::new(lower_machine(n, p, MachineScope::Processor, d))),
            item_processor: r.with_object("ItemProcessor", |n, p, d| Box::new(lower_machine(n, p, MachineScope::Processor, d))),
            max_concurrency: r.number_or_expression("MaxConcurrency"),
            max_concurrency_path: r.string("MaxConcurrencyPath"),
            item_reader: r.object("ItemReader"),
            item_batcher: r.object("ItemBatcher"),
            result_writer: r.object("ResultWriter"),
            tolerated_failure_count: r.number_or_expression("ToleratedFailureCount"),
            tolerated_failure_count_path: r.string("ToleratedFailureCountPath"),
            tolerated_failure_percentage: r.number_or_expression("ToleratedFailurePercentage"),
            tolerated_failure_percentage_path: r.string("ToleratedFailurePercentagePath"),
            label: r.string("Label"),
        }),
        StateType::Succeed => StateKind::Succeed,
        StateType::Fail => StateKind::Fail(Fail {
            error: r.string("Error"),
            error_path: r.string("ErrorPath"),
            cause: r.string("Cause"),
            cause_path: r.string("CausePath"),
        }),
    };
    let data = DataFlow {
        input_path: r.path_or_null("InputPath"),
        parameters: r.node("Parameters"),
        result_selector: r.node("ResultSelector"),
        result_path: r.path_or_null("ResultPath"),
        output_path: r.path_or_null("OutputPath"),
        arguments: r.node("Arguments"),
        output: r.node("Output"),
        assign: r.object("Assign"),
    };
    let next = r.string("Next");
    let end = r.bool("End");
    let retry = r.objects("Retry", lower_retrier);
    let catch = r.objects("Catch", lower_catcher);
    let layout = r.finish(&format_args!("a {} state", state_type.name()));
    State { kind, comment, query_language, next, end, data, retry, catch, layout }
}

const RETRIER_FIELDS: &[&str] =
    &["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];
const CATCHER_FIELDS: &[&str] = &["ErrorEquals", "Next", "ResultPath", "Output", "Assign", "Comment"];

fn lower_retrier(node: &Node, pointer: &str, diags: &mut Vec<Diagnostic>) -> Retrier {
    let mut r = FieldReader::new(node.as_object().unwrap_or(&[]), pointer, Allowed::Fields(RETRIER_FIELDS), diags);
    Retrier {
        error_equals: r.strings("ErrorEquals"),
        interval_seconds: r.number("IntervalSeconds"),
        max_attempts: r.number("MaxAttempts"),
        backoff_rate: r.number("BackoffRate"),
        max_delay_seconds: r.number("MaxDelaySeconds"),
        jitter_strategy: r.string("JitterStrategy"),
        comment: r.string("Comment"),
        layout: r.finish(&"a retrier"),
    }
}

fn lower_catcher(node: &Node, pointer: &str, diags: &mut Vec<Diagnostic>) -> Catcher {
    let mut r = FieldReader::new(node.as_object().unwrap_or(&[]), pointer, Allowed::Fields(CATCHER_FIELDS), diags);
    Catcher {
        error_equals: r.strings("ErrorEquals"),
        next: r.string("Next"),
        result_path: r.path_or_null("ResultPath"),
        output: r.node("Output"),
        assign: r.object("Assign"),
        comment: r.string("Comment"),
        layout: r.finish(&"a catcher"),
    }
}

/// Every field a Choice rule may have: its own, plus each operator and combinator.
fn rule_fields() -> &'static [&'static str] {
    use std::sync::OnceLock;
    static FIELDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    FIELDS.get_or_init(|| {
        let mut f = vec!["Variable", "Next", "Assign", "Output", "Comment", "And", "Or", "Not", "Condition"];
        f.extend(ComparisonOperator::ALL.iter().map(|o| o.name()));
        f
    })
}

fn lower_rule(node: &Node, pointer: &str, diags: &mut Vec<Diagnostic>) -> ChoiceRule {
    let members = node.as_object().unwrap_or(&[]);
    let mut r = FieldReader::new(members, pointer, Allowed::Fields(rule_fields()), diags);
    let variable = r.string("Variable");
    let next = r.string("Next");
    let assign = r.object("Assign");
    let output = r.node("Output");
    let comment = r.string("Comment");
    let mut test = None;
    let mut seen_test = false;
    for (i, m) in members.iter().enumerate() {
        // Only the last of duplicate keys counts; earlier ones stay as read (DUPLICATE_KEY).
        if !is_test_field(&m.key) || members[i + 1..].iter().any(|later| later.key == m.key) {
            continue;
        }
        if seen_test {
            // A second test is kept as read; the validator reports CHOICE_RULE_COMPARATOR.
            r.keep(i);
            continue;
        }
        seen_test = true;
        test = match m.key.as_str() {
            "And" => r.objects("And", lower_rule).map(RuleTest::And),
            "Or" => r.objects("Or", lower_rule).map(RuleTest::Or),
            "Not" => r.with_object("Not", lower_rule).map(|rule| RuleTest::Not(Box::new(rule))),
            "Condition" => r.typed("Condition", "a string or a boolean", |n| match &n.value {
                Value::String(s) => Some(RuleTest::Condition(s.clone())),
                Value::Bool(b) => Some(RuleTest::ConstantCondition(*b)),
                _ => None,
            }),
            name => {
                let Some(operator) = ComparisonOperator::from_name(name) else { continue };
                let operand = match operator.operand_kind() {
                    OperandKind::String | OperandKind::Timestamp => r.string(operator.name()).map(Operand::String),
                    OperandKind::Number => r.number(operator.name()).map(Operand::Number),
                    OperandKind::Boolean => r.bool(operator.name()).map(Operand::Boolean),
                    OperandKind::Path => r.string(operator.name()).map(Operand::Path),
                };
                operand.map(|operand| RuleTest::Compare { operator, operand })
            }
        };
    }
    ChoiceRule { variable, test, next, assign, output, comment, layout: r.finish(&"a Choice rule") }
}
