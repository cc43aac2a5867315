//! Converting a state from JSONPath to JSONata: InputPath/Parameters/ResultSelector/ResultPath/
//! OutputPath become `Arguments` and `Output` holding `{% %}` expressions, Choice `Variable` +
//! operator becomes `Condition`, `ItemsPath` becomes `Items`, `...Path` fields become
//! expressions, catchers' `ResultPath` becomes `Output`, intrinsics become JSONata functions.
//!
//! The public API, for the inspector's "Convert to JSONata" button:
//! - [`convert_to_jsonata`]: the gesture on a document: one undoable [`Change`], or every
//!   reason it cannot be done (the document is then left as it is).
//! - [`convert_state`]: the same on a bare [`State`] (a Map or Parallel is converted with the
//!   states inside it, each of them given `"QueryLanguage": "JSONata"`: a nested state takes the
//!   machine's query language, not its container's, `walk::scope_language`).
//! - [`convert_machine`]: every state of a machine, and `"QueryLanguage": "JSONata"` at the top
//!   (which every state, however deep, then inherits).
//!
//! Conversion is all or nothing: a path or intrinsic with no JSONata equivalent here (slices,
//! `['a','b']` unions, descendant wildcards) is reported with the pointer of its field, and
//! nothing is converted. On the path taken by a successful execution the converted state gives
//! the same output; where JSONPath would fail (a path that selects nothing) JSONata may instead
//! give no value, and `States.MathRandom` draws from `$random()` rather than the same sequence.

use super::change::Change;
use super::document::Document;
use super::scope::{StateRef, machine_at};
use crate::asl::intrinsic::{self, Arg, Function};
use crate::asl::json::{Member, Node, Span, Value};
use crate::asl::model::{
    Catcher, ChoiceRule, ComparisonOperator, NumberOrExpression, Operand, PathOrNull, QueryLanguage, RuleTest, State,
    StateKind, StateMachine,
};
use crate::asl::walk::{self, Reach};
use crate::asl::path::{CompareOp, Filter, JsonPath, Root, Segment, Selector};
use std::fmt;

/// Why a field could not be converted: the JSON pointer of the field (relative to the state,
/// e.g. `/Parameters/id.$`) and what stands in the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message)
    }
}

/// The inspector's gesture: converts the state `r` of `doc` (and, for a Map or Parallel, the
/// states inside it) to JSONata, as one undoable change. A state already in JSONata gives an
/// error saying so.
pub fn convert_to_jsonata(doc: &Document, r: &StateRef) -> Result<Change, Vec<ConvertError>> {
    let converted = converted_state(doc.machine(), r)?;
    Ok(Change::ReplaceState { scope: r.scope.clone(), name: r.name.clone(), state: Box::new(converted) })
}

/// The state `r` of `machine` in JSONata ([`convert_state`]); an error when there is no such
/// state or it is in JSONata already.
fn converted_state(machine: &StateMachine, r: &StateRef) -> Result<State, Vec<ConvertError>> {
    let one = |message: String| vec![ConvertError { pointer: String::new(), message }];
    let state = machine_at(machine, &r.scope).and_then(|m| m.state(&r.name)).ok_or_else(|| one(format!("no state named '{}'", r.name)))?;
    if state.query_language == Some(QueryLanguage::Jsonata) {
        return Err(one(format!("'{}' is already in JSONata", r.name)));
    }
    convert_state(state)
}

/// The inspector's "Convert all states": every state of `machine` converted and
/// `"QueryLanguage": "JSONata"` at the top, as one change.
pub fn convert_all(machine: &StateMachine) -> Result<Change, Vec<ConvertError>> {
    let m = convert_machine(machine)?;
    let mut out: Vec<Change> =
        m.states.into_iter().map(|st| Change::ReplaceState { scope: vec![], name: st.name, state: Box::new(st.state) }).collect();
    out.push(Change::SetQueryLanguage { scope: vec![], query_language: m.query_language });
    Ok(Change::Batch(out))
}

/// The definition `text` with the state `state` (every state when `None`) converted: the text
/// [`convert_to_jsonata`] (or [`convert_all`]) gives when applied to a document of `text`
/// (the model changed the same way and written over the text, `sync::write_over`), without a
/// document; or every reason it cannot be, in words. The engine worker answers the page's button
/// with it (`sim::protocol::Request::Convert`), so the page's wasm carries no converter.
pub fn convert_text(text: &str, state: Option<&StateRef>) -> Result<String, String> {
    let words = |errors: Vec<ConvertError>| errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("; ");
    let (root, lowered) = crate::asl::lower::lower_text(text).map_err(|_| "the definition is not JSON".to_string())?;
    let mut machine = lowered.machine;
    let replaced: Vec<(Vec<super::scope::ScopeStep>, String, State)> = match state {
        Some(r) => vec![(r.scope.clone(), r.name.clone(), converted_state(&machine, r).map_err(words)?)],
        None => {
            let converted = convert_machine(&machine).map_err(words)?;
            machine.query_language = converted.query_language;
            converted.states.into_iter().map(|st| (Vec::new(), st.name, st.state)).collect()
        }
    };
    for (scope, name, converted) in replaced {
        if let Some(slot) = super::scope::machine_at_mut(&mut machine, &scope).and_then(|m| m.state_mut(&name)) {
            *slot = converted;
        }
    }
    Ok(super::sync::write_over(text, &root, &machine))
}

/// `state` in JSONata, with `"QueryLanguage": "JSONata"` set on it and on every state nested in
/// it (they would otherwise keep the machine's language, JSONPath, with JSONata fields).
pub fn convert_state(state: &State) -> Result<State, Vec<ConvertError>> {
    let mut out = convert_body(state, Some(QueryLanguage::Jsonata))?;
    out.query_language = Some(QueryLanguage::Jsonata);
    Ok(out)
}

/// Every state of `machine` in JSONata, and `"QueryLanguage": "JSONata"` at its top (the states
/// then inherit it and do not repeat it).
pub fn convert_machine(machine: &StateMachine) -> Result<StateMachine, Vec<ConvertError>> {
    let mut out = convert_states(machine, "", None)?;
    out.query_language = Some(QueryLanguage::Jsonata);
    Ok(out)
}

/// Every state of `machine` converted, each (and each nested in it) given `language` as its
/// own `QueryLanguage` (`None`: inherited from the top level).
fn convert_states(machine: &StateMachine, pointer: &str, language: Option<QueryLanguage>) -> Result<StateMachine, Vec<ConvertError>> {
    let mut out = machine.clone();
    let mut errors = Vec::new();
    for named in &mut out.states {
        match convert_body(&named.state, language) {
            Ok(mut s) => {
                s.query_language = language;
                named.state = s;
            }
            Err(e) => {
                let at = format!("{pointer}/States/{}", crate::asl::json::escape_pointer_token(&named.name));
                errors.extend(e.into_iter().map(|e| ConvertError { pointer: format!("{at}{}", e.pointer), message: e.message }));
            }
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// A value being built: a JSONata expression, or a JSON template whose strings may be `{% %}`.
#[derive(Debug, Clone)]
enum Built {
    Expr(String),
    Template(Node),
}

impl Built {
    /// As an expression, to compose.
    fn expr(&self) -> String {
        match self {
            Built::Expr(e) => e.clone(),
            Built::Template(node) => template_expr(node),
        }
    }

    /// As a field value: a template, or `"{% expr %}"`.
    fn node(self) -> Node {
        match self {
            Built::Expr(e) => Node::string(format!("{{% {e} %}}")),
            Built::Template(node) => node,
        }
    }
}

/// Collects errors while converting one state; pointers are relative to the state.
struct Converter {
    errors: Vec<ConvertError>,
}

impl Converter {
    fn fail(&mut self, pointer: &str, message: impl Into<String>) -> String {
        self.errors.push(ConvertError { pointer: pointer.to_string(), message: message.into() });
        "null".to_string()
    }

    /// A JSONPath (`$.a`, `$$.x`, `$v`) read against `base` (an expression for `$`).
    fn path(&mut self, text: &str, base: &str, pointer: &str) -> String {
        match JsonPath::parse(text) {
            Ok(path) => self.path_expr(&path, base, pointer),
            Err(e) => self.fail(pointer, format!("the path '{text}' is not valid: {e}")),
        }
    }

    fn path_expr(&mut self, path: &JsonPath, base: &str, pointer: &str) -> String {
        let root = match path.root() {
            Root::Input => base.to_string(),
            Root::Context => "$states.context".to_string(),
            Root::Variable(name) => format!("${name}"),
        };
        let steps = match self.steps(path.segments(), pointer) {
            Some(s) => s,
            None => return "null".into(),
        };
        let mut expr = if steps.is_empty() { root } else { format!("{}{steps}", wrap(&root)) };
        if let Some(function) = path.function() {
            let plain_length = function.name == crate::asl::path::FunctionName::Length && function.args.is_empty();
            if !plain_length || !path.is_definite() {
                return self.fail(pointer, "only length() at the end of a definite path is converted");
            }
            expr = format!("($v := {expr}; $type($v) = 'string' ? $length($v) : $type($v) = 'object' ? $count($keys($v)) : $count($v))");
        } else if !path.is_definite() {
            // JSONPath gives a list for an indefinite path, even of one or no element.
            expr = format!("$append([], {expr})");
        }
        expr
    }

    fn steps(&mut self, segments: &[Segment], pointer: &str) -> Option<String> {
        let mut out = String::new();
        for segment in segments {
            match segment {
                Segment::Child(Selector::Name(name)) => {
                    out.push('.');
                    out.push_str(&self.name(name, pointer)?);
                }
                Segment::Child(Selector::Index(i)) => out.push_str(&format!("[{i}]")),
                Segment::Child(Selector::Indices(list)) => {
                    let items: Vec<String> = list.iter().map(i64::to_string).collect();
                    out.push_str(&format!("[[{}]]", items.join(", ")));
                }
                // JSONata maps a path step over an array's elements by itself.
                Segment::Child(Selector::Wildcard) => {}
                Segment::Child(Selector::Filter(filter)) => {
                    let f = self.filter(filter, pointer)?;
                    out.push_str(&format!("[{f}]"));
                }
                Segment::Descendant(Selector::Name(name)) => {
                    out.push_str(".**.");
                    out.push_str(&self.name(name, pointer)?);
                }
                Segment::Child(Selector::Names(_)) => {
                    self.fail(pointer, "a union of names (['a','b']) has no JSONata path form; rewrite it as an object");
                    return None;
                }
                Segment::Child(Selector::Slice(_)) => {
                    self.fail(pointer, "array slices ([1:3]) are not converted; use $filter or [[1..2]] by hand");
                    return None;
                }
                Segment::Descendant(_) => {
                    self.fail(pointer, "only ..name descendants are converted (as .**.name)");
                    return None;
                }
            }
        }
        Some(out)
    }

    fn name(&mut self, name: &str, pointer: &str) -> Option<String> {
        let plain = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain && !matches!(name, "and" | "or" | "in" | "true" | "false" | "null" | "function") {
            Some(name.to_string())
        } else if name.contains('`') {
            self.fail(pointer, format!("the field name {name:?} holds a backtick, which JSONata cannot quote"));
            None
        } else {
            Some(format!("`{name}`"))
        }
    }

    fn filter(&mut self, filter: &Filter, pointer: &str) -> Option<String> {
        Some(match filter {
            Filter::Exists(operand) => format!("$exists({})", self.operand(operand, pointer)?),
            Filter::Compare(a, op, b) => {
                let op = match op {
                    CompareOp::Eq => "=",
                    CompareOp::Ne => "!=",
                    CompareOp::Lt => "<",
                    CompareOp::Le => "<=",
                    CompareOp::Gt => ">",
                    CompareOp::Ge => ">=",
                    _ => {
                        self.fail(pointer, "only ==, !=, <, <=, > and >= filters are converted");
                        return None;
                    }
                };
                format!("{} {op} {}", self.operand(a, pointer)?, self.operand(b, pointer)?)
            }
            Filter::And(a, b) => format!("({} and {})", self.filter(a, pointer)?, self.filter(b, pointer)?),
            Filter::Or(a, b) => format!("({} or {})", self.filter(a, pointer)?, self.filter(b, pointer)?),
            Filter::Not(a) => format!("$not({})", self.filter(a, pointer)?),
        })
    }

    fn operand(&mut self, operand: &crate::asl::path::Operand, pointer: &str) -> Option<String> {
        use crate::asl::path::Operand as O;
        Some(match operand {
            O::Current(steps) if steps.function.is_some() => {
                self.fail(pointer, "a path function inside a filter is not converted");
                return None;
            }
            O::Current(steps) => {
                let steps = self.steps(&steps.segments, pointer)?;
                if steps.is_empty() { "$".into() } else { format!("${steps}") }
            }
            O::Document(_) => {
                self.fail(pointer, "a filter that refers to the whole document ($...) is not converted");
                return None;
            }
            O::Literal(v) => v.to_string(),
            O::Pattern(_) => {
                self.fail(pointer, "a regular-expression filter (=~) is not converted");
                return None;
            }
        })
    }

    /// A payload template (Parameters, ResultSelector, ItemSelector, Assign) whose `.$` paths
    /// read `base`.
    fn template(&mut self, node: &Node, base: &str, pointer: &str) -> Node {
        match &node.value {
            Value::Object(members) => {
                let mut out = Vec::with_capacity(members.len());
                for m in members {
                    let at = format!("{pointer}/{}", crate::asl::json::escape_pointer_token(&m.key));
                    match (m.key.strip_suffix(".$"), &m.value.value) {
                        (Some(key), Value::String(text)) => {
                            let expr = self.reference(text, base, &at);
                            out.push(Member { key: key.to_string(), key_span: Span::default(), value: Built::Expr(expr).node() });
                        }
                        _ => out.push(Member {
                            key: m.key.clone(),
                            key_span: Span::default(),
                            value: self.template(&m.value, base, &at),
                        }),
                    }
                }
                Node::new(Value::Object(out))
            }
            Value::Array(items) => Node::array(
                items.iter().enumerate().map(|(i, item)| self.template(item, base, &format!("{pointer}/{i}"))).collect(),
            ),
            Value::String(s) if crate::asl::model::is_jsonata_expression(s) => {
                // Literal text that JSONata would read as an expression: keep it a string.
                Built::Expr(json_string(s)).node()
            }
            _ => node.clone(),
        }
    }

    /// The value of a `.$` field: a path or an intrinsic call.
    fn reference(&mut self, text: &str, base: &str, pointer: &str) -> String {
        if intrinsic::is_intrinsic(text) {
            match intrinsic::parse(text) {
                Ok(call) => self.call(&call, base, pointer),
                Err(e) => self.fail(pointer, format!("the intrinsic is not valid: {e}")),
            }
        } else {
            self.path(text, base, pointer)
        }
    }

    fn arg(&mut self, arg: &Arg, base: &str, pointer: &str) -> String {
        match arg {
            Arg::Literal(v) => v.to_string(),
            Arg::String(s) => json_string(&s.text),
            Arg::Path(p) => self.path_expr(p, base, pointer),
            Arg::Call(c) => self.call(c, base, pointer),
        }
    }

    fn call(&mut self, call: &intrinsic::Call, base: &str, pointer: &str) -> String {
        let args: Vec<String> = call.args.iter().map(|a| self.arg(a, base, pointer)).collect();
        let a = |i: usize| args.get(i).cloned().unwrap_or_else(|| "null".into());
        match call.function {
            Function::Format => {
                let Some(Arg::String(template)) = call.args.first() else {
                    return self.fail(pointer, "States.Format needs a string template first to be converted");
                };
                let mut parts = Vec::new();
                let mut literal = String::new();
                let chars: Vec<char> = template.text.chars().collect();
                let mut next_arg = 1;
                let mut i = 0;
                while i < chars.len() {
                    let escaped = template.escaped.get(i).copied().unwrap_or(false);
                    if chars[i] == '{' && !escaped && chars.get(i + 1) == Some(&'}') {
                        if !literal.is_empty() {
                            parts.push(json_string(&std::mem::take(&mut literal)));
                        }
                        parts.push(format!("$string({})", a(next_arg)));
                        next_arg += 1;
                        i += 2;
                    } else {
                        literal.push(chars[i]);
                        i += 1;
                    }
                }
                if !literal.is_empty() || parts.is_empty() {
                    parts.push(json_string(&literal));
                }
                format!("({})", parts.join(" & "))
            }
            Function::StringToJson => format!("$parse({})", a(0)),
            Function::JsonToString => format!("$string({})", a(0)),
            // An array constructor splices an array item into itself, so items are appended
            // one by one, an array value as `[[x]]` to keep it whole.
            Function::Array => call.args.iter().zip(&args).fold("[]".to_string(), |acc, (arg, x)| match arg {
                Arg::Literal(_) | Arg::String(_) => format!("$append({acc}, [{x}])"),
                _ => format!("$append({acc}, ($x := {x}; $type($x) = 'array' ? [[$x]] : [$x]))"),
            }),
            Function::ArrayPartition => format!("$partition({}, {})", a(0), a(1)),
            Function::ArrayContains => format!("({} in {})", a(1), a(0)),
            Function::ArrayRange => format!("$range({}, {}, {})", a(0), a(1), a(2)),
            Function::ArrayGetItem => format!("{}[{}]", wrap(&a(0)), a(1)),
            Function::ArrayLength => format!("$count({})", a(0)),
            Function::ArrayUnique => format!("$distinct({})", a(0)),
            Function::Base64Encode => format!("$base64encode({})", a(0)),
            Function::Base64Decode => format!("$base64decode({})", a(0)),
            Function::Hash => format!("$hash({}, {})", a(0), a(1)),
            Function::JsonMerge => format!("$merge([{}, {}])", a(0), a(1)),
            Function::MathRandom => format!("($floor($random() * ({1} - {0})) + {0})", a(0), a(1)),
            Function::MathAdd => format!("({} + {})", a(0), a(1)),
            Function::StringSplit => format!("$split({}, {})", a(0), a(1)),
            Function::Uuid => "$uuid()".into(),
        }
    }

    /// A Choice rule's test, with `Variable` paths read against `base`.
    fn condition(&mut self, rule: &ChoiceRule, base: &str, pointer: &str) -> String {
        let Some(test) = &rule.test else {
            return self.fail(pointer, "the rule has no comparison");
        };
        match test {
            RuleTest::And(rules) | RuleTest::Or(rules) => {
                let joiner = if matches!(test, RuleTest::And(_)) { " and " } else { " or " };
                let field = test.field_name();
                let parts: Vec<String> =
                    rules.iter().enumerate().map(|(i, r)| self.condition(r, base, &format!("{pointer}/{field}/{i}"))).collect();
                format!("({})", parts.join(joiner))
            }
            RuleTest::Not(rule) => format!("$not({})", self.condition(rule, base, &format!("{pointer}/Not"))),
            RuleTest::Condition(text) => strip_braces(text).to_string(),
            RuleTest::ConstantCondition(b) => b.to_string(),
            RuleTest::Compare { operator, operand } => {
                let Some(variable) = &rule.variable else {
                    return self.fail(pointer, "the rule has no Variable");
                };
                let v = self.path(variable, base, &format!("{pointer}/Variable"));
                self.compare(*operator, operand, &v, base, &format!("{pointer}/{}", operator.name()))
            }
        }
    }

    fn compare(&mut self, op: ComparisonOperator, operand: &Operand, v: &str, base: &str, pointer: &str) -> String {
        use ComparisonOperator as C;
        let name = op.name();
        let value = match operand {
            Operand::String(s) => json_string(s),
            Operand::Number(n) => n.text().to_string(),
            Operand::Boolean(b) => b.to_string(),
            Operand::Path(p) => self.path(p, base, pointer),
        };
        let flag = matches!(operand, Operand::Boolean(true));
        let typed = |ty: &str, cmp: &str| format!("($v := {v}; $w := {value}; $type($v) = '{ty}' and $type($w) = '{ty}' ? $v {cmp} $w : false)");
        let timed = |cmp: &str| {
            format!("($v := {v}; $w := {value}; $type($v) = 'string' and $type($w) = 'string' ? $toMillis($v) {cmp} $toMillis($w) : false)")
        };
        let is = |test: String| if flag { test } else { format!("$not({test})") };
        let cmp = if name.contains("GreaterThanEquals") {
            ">="
        } else if name.contains("LessThanEquals") {
            "<="
        } else if name.contains("GreaterThan") {
            ">"
        } else if name.contains("LessThan") {
            "<"
        } else {
            "="
        };
        match op {
            C::StringEquals | C::StringEqualsPath | C::StringLessThan | C::StringLessThanPath | C::StringGreaterThan
            | C::StringGreaterThanPath | C::StringLessThanEquals | C::StringLessThanEqualsPath
            | C::StringGreaterThanEquals | C::StringGreaterThanEqualsPath => typed("string", cmp),
            C::NumericEquals | C::NumericEqualsPath | C::NumericLessThan | C::NumericLessThanPath
            | C::NumericGreaterThan | C::NumericGreaterThanPath | C::NumericLessThanEquals
            | C::NumericLessThanEqualsPath | C::NumericGreaterThanEquals | C::NumericGreaterThanEqualsPath => {
                typed("number", cmp)
            }
            C::BooleanEquals | C::BooleanEqualsPath => typed("boolean", "="),
            C::TimestampEquals | C::TimestampEqualsPath | C::TimestampLessThan | C::TimestampLessThanPath
            | C::TimestampGreaterThan | C::TimestampGreaterThanPath | C::TimestampLessThanEquals
            | C::TimestampLessThanEqualsPath | C::TimestampGreaterThanEquals | C::TimestampGreaterThanEqualsPath => timed(cmp),
            C::StringMatches => {
                let Operand::String(pattern) = operand else {
                    return self.fail(pointer, "StringMatches needs a string pattern");
                };
                format!("($v := {v}; $type($v) = 'string' ? $contains($v, /{}/) : false)", matches_regex(pattern))
            }
            C::IsNull => is(format!("($type({v}) = 'null')")),
            C::IsPresent => is(format!("$exists({v})")),
            C::IsNumeric => is(format!("($type({v}) = 'number')")),
            C::IsString => is(format!("($type({v}) = 'string')")),
            C::IsBoolean => is(format!("($type({v}) = 'boolean')")),
            C::IsTimestamp => is(format!(
                "($v := {v}; $type($v) = 'string' ? $contains($v, /^\\d{{4}}-\\d{{2}}-\\d{{2}}T\\d{{2}}:\\d{{2}}:\\d{{2}}(\\.\\d+)?(Z|[+-]\\d{{2}}:\\d{{2}})$/) : false)"
            )),
        }
    }
}

/// Converts one state (its children too, given `nested` as their `QueryLanguage`) without
/// touching its own `QueryLanguage`.
fn convert_body(state: &State, nested: Option<QueryLanguage>) -> Result<State, Vec<ConvertError>> {
    let mut c = Converter { errors: Vec::new() };
    let mut out = state.clone();
    let d = &state.data;
    let input = "$states.input";
    // The effective input: InputPath applied to the state input.
    let effective = match &d.input_path {
        None => input.to_string(),
        Some(PathOrNull::Null) => "{}".to_string(),
        Some(PathOrNull::Path(p)) => c.path(p, input, "/InputPath"),
    };
    let has_action = matches!(state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_));
    let is_map = matches!(state.kind, StateKind::Map(_));

    // Arguments: what the action receives.
    let mut arguments = None;
    if has_action && !is_map {
        arguments = match &d.parameters {
            Some(p) => Some(c.template(p, &effective, "/Parameters").clone()),
            None if effective != input => Some(Built::Expr(effective.clone()).node()),
            None => None,
        };
    }

    // The result before ResultPath: `$` of JSONPath's Assign.
    let result: Built = match &state.kind {
        StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_) => match &d.result_selector {
            Some(s) => Built::Template(c.template(s, "$states.result", "/ResultSelector")),
            None => Built::Expr("$states.result".into()),
        },
        StateKind::Pass(pass) => match (&pass.result, &d.parameters) {
            (Some(r), _) => Built::Template(c.template_literal(r)),
            (None, Some(p)) => Built::Template(c.template(p, &effective, "/Parameters")),
            (None, None) => Built::Expr(effective.clone()),
        },
        _ => Built::Expr(effective.clone()),
    };

    // Assign sees `$` = the result (after ResultSelector).
    let assign = d.assign.as_ref().map(|a| c.template(a, &result.expr(), "/Assign"));

    // Output: ResultPath places the result into the state input, OutputPath selects from that.
    let placed: Built = match &d.result_path {
        None => result.clone(),
        Some(PathOrNull::Null) => Built::Expr(input.into()),
        Some(PathOrNull::Path(p)) => c.place(p, input, &result, "/ResultPath"),
    };
    let output: Option<Built> = match &d.output_path {
        None => Some(placed),
        Some(PathOrNull::Null) => Some(Built::Expr("{}".into())),
        Some(PathOrNull::Path(p)) => {
            let base = format!("({})", placed.expr());
            Some(Built::Expr(c.path(p, &base, "/OutputPath")))
        }
    };
    // Only write Output where it differs from JSONata's default (the result, or the input).
    let default_output = if has_action { "$states.result" } else { input };
    let output = output.filter(|o| !matches!(o, Built::Expr(e) if e == default_output));

    out.data = Default::default();
    out.data.arguments = arguments;
    out.data.output = output.map(Built::node);
    out.data.assign = assign;

    match (&state.kind, &mut out.kind) {
        (StateKind::Task(task), StateKind::Task(t)) => {
            if let Some(p) = &task.timeout_seconds_path {
                t.timeout_seconds = Some(NumberOrExpression::Expression(brace(&c.path(p, &effective, "/TimeoutSecondsPath"))));
                t.timeout_seconds_path = None;
            }
            if let Some(p) = &task.heartbeat_seconds_path {
                t.heartbeat_seconds =
                    Some(NumberOrExpression::Expression(brace(&c.path(p, &effective, "/HeartbeatSecondsPath"))));
                t.heartbeat_seconds_path = None;
            }
            if let Some(cred) = &task.credentials {
                t.credentials = Some(c.template(cred, &effective, "/Credentials"));
            }
        }
        (StateKind::Pass(_), StateKind::Pass(p)) => p.result = None,
        (StateKind::Wait(wait), StateKind::Wait(w)) => {
            if let Some(p) = &wait.seconds_path {
                w.seconds = Some(NumberOrExpression::Expression(brace(&c.path(p, &effective, "/SecondsPath"))));
                w.seconds_path = None;
            }
            if let Some(p) = &wait.timestamp_path {
                w.timestamp = Some(brace(&c.path(p, &effective, "/TimestampPath")));
                w.timestamp_path = None;
            }
        }
        (StateKind::Choice(choice), StateKind::Choice(ch)) => {
            let mut rules = Vec::new();
            for (i, rule) in choice.choices.iter().flatten().enumerate() {
                let at = format!("/Choices/{i}");
                let condition = c.condition(rule, &effective, &at);
                let mut r = ChoiceRule {
                    next: rule.next.clone(),
                    comment: rule.comment.clone(),
                    test: Some(RuleTest::Condition(brace(&condition))),
                    ..ChoiceRule::default()
                };
                r.assign = rule.assign.as_ref().map(|a| c.template(a, &effective, &format!("{at}/Assign")));
                rules.push(r);
            }
            if choice.choices.is_some() {
                ch.choices = Some(rules);
            }
        }
        (StateKind::Fail(fail), StateKind::Fail(f)) => {
            if let Some(p) = &fail.error_path {
                f.error = Some(brace(&c.reference(p, input, "/ErrorPath")));
                f.error_path = None;
            }
            if let Some(p) = &fail.cause_path {
                f.cause = Some(brace(&c.reference(p, input, "/CausePath")));
                f.cause_path = None;
            }
        }
        (StateKind::Map(map), StateKind::Map(m)) => {
            let items = match &map.items_path {
                Some(p) => c.path(p, &effective, "/ItemsPath"),
                None => effective.clone(),
            };
            m.items = (items != input).then(|| Built::Expr(items).node());
            m.items_path = None;
            // ItemSelector (or the legacy Parameters) reads the Map's effective input.
            let selector = map.item_selector.as_ref().map(|s| (s, "/ItemSelector")).or(d.parameters.as_ref().map(|p| (p, "/Parameters")));
            m.item_selector = selector.map(|(s, at)| c.template(s, &effective, at));
            for (field, path, target) in [
                ("/MaxConcurrencyPath", &map.max_concurrency_path, &mut m.max_concurrency),
                ("/ToleratedFailureCountPath", &map.tolerated_failure_count_path, &mut m.tolerated_failure_count),
                ("/ToleratedFailurePercentagePath", &map.tolerated_failure_percentage_path, &mut m.tolerated_failure_percentage),
            ] {
                if let Some(p) = path {
                    *target = Some(NumberOrExpression::Expression(brace(&c.path(p, &effective, field))));
                }
            }
            m.max_concurrency_path = None;
            m.tolerated_failure_count_path = None;
            m.tolerated_failure_percentage_path = None;
            if let Some(reader) = &map.item_reader
                && reader_has_paths(reader)
            {
                c.fail("/ItemReader", "ItemReader parameters with paths are not converted; write its Arguments by hand");
            }
        }
        _ => {}
    }
    // The machines nested in it (a Parallel's branches, the Map's processor that runs).
    for (how, inner) in walk::nested_mut(&mut out, Reach::Run) {
        match convert_states(inner, &format!("/{}", how.field()), nested) {
            Ok(converted) => *inner = converted,
            Err(e) => c.errors.extend(e),
        }
    }

    // Catchers: ResultPath places the error output into the state input.
    if let Some(catchers) = &state.catch {
        let mut converted = Vec::new();
        for (i, catcher) in catchers.iter().enumerate() {
            let at = format!("/Catch/{i}");
            let error = Built::Expr("$states.errorOutput".into());
            let output = match &catcher.result_path {
                None => None,
                Some(PathOrNull::Null) => Some(Built::Expr(input.into())),
                Some(PathOrNull::Path(p)) => Some(c.place(p, input, &error, &format!("{at}/ResultPath")))
                    .filter(|o| !matches!(o, Built::Expr(e) if e == "$states.errorOutput")),
            };
            converted.push(Catcher {
                result_path: None,
                output: output.map(Built::node),
                assign: catcher.assign.as_ref().map(|a| c.template(a, "$states.errorOutput", &format!("{at}/Assign"))),
                ..catcher.clone()
            });
        }
        out.catch = Some(converted);
    }

    if c.errors.is_empty() { Ok(out) } else { Err(c.errors) }
}

impl Converter {
    /// ResultPath: `value` written into `document` (an expression) at the reference path `path`.
    fn place(&mut self, path: &str, document: &str, value: &Built, pointer: &str) -> Built {
        let parsed = match JsonPath::parse(path) {
            Ok(p) => p,
            Err(e) => {
                self.fail(pointer, format!("the path '{path}' is not valid: {e}"));
                return value.clone();
            }
        };
        if !matches!(parsed.root(), Root::Input) {
            self.fail(pointer, "a ResultPath must start with $");
            return value.clone();
        }
        let mut names = Vec::new();
        for segment in parsed.segments() {
            match segment {
                Segment::Child(Selector::Name(n)) => match self.name(n, pointer) {
                    Some(_) => names.push(n.clone()),
                    None => return value.clone(),
                },
                _ => {
                    self.fail(pointer, "only ResultPaths of field names ($.a.b) are converted");
                    return value.clone();
                }
            }
        }
        if names.is_empty() {
            return value.clone();
        }
        // $merge([doc, {"a": $merge([doc.a, {"b": value}])}])
        fn nest(c: &mut Converter, doc: &str, names: &[String], value: &str, pointer: &str) -> String {
            let (first, rest) = names.split_first().expect("at least one name");
            let inner = if rest.is_empty() {
                value.to_string()
            } else {
                let step = c.name(first, pointer).unwrap_or_default();
                nest(c, &format!("{doc}.{step}"), rest, value, pointer)
            };
            format!("$merge([{doc}, {{{}: {inner}}}])", json_string(first))
        }
        Built::Expr(nest(self, document, &names, &value.expr(), pointer))
    }

    /// A Pass `Result`: literal JSON, kept literal.
    fn template_literal(&mut self, node: &Node) -> Node {
        match &node.value {
            Value::Object(members) => Node::new(Value::Object(
                members
                    .iter()
                    .map(|m| Member { key: m.key.clone(), key_span: Span::default(), value: self.template_literal(&m.value) })
                    .collect(),
            )),
            Value::Array(items) => Node::array(items.iter().map(|i| self.template_literal(i)).collect()),
            Value::String(s) if crate::asl::model::is_jsonata_expression(s) => Built::Expr(json_string(s)).node(),
            _ => node.clone(),
        }
    }
}

/// A JSON template as a JSONata expression: objects and arrays as constructors, `{% e %}`
/// strings as `(e)`, literals as JSON (which JSONata reads as itself).
fn template_expr(node: &Node) -> String {
    match &node.value {
        Value::Object(members) => {
            let parts: Vec<String> = members.iter().map(|m| format!("{}: {}", json_string(&m.key), template_expr(&m.value))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(template_expr).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::String(s) if crate::asl::model::is_jsonata_expression(s) => format!("({})", strip_braces(s)),
        _ => crate::asl::json::write(node, crate::asl::json::WriteStyle::Compact),
    }
}

fn strip_braces(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")).map(str::trim).unwrap_or(t)
}

fn brace(expr: &str) -> String {
    format!("{{% {expr} %}}")
}

/// `expr` safe to follow with a path step.
fn wrap(expr: &str) -> String {
    let simple = expr.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '$' | '_' | '.' | '`' | '[' | ']' | '-'));
    if simple { expr.to_string() } else { format!("({expr})") }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// A StringMatches pattern (`*` any run, `\*` a star) as a regex body, anchored.
fn matches_regex(pattern: &str) -> String {
    let mut out = String::from("^");
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'*') => {
                chars.next();
                out.push_str("\\*");
            }
            '\\' if chars.peek() == Some(&'\\') => {
                chars.next();
                out.push_str("\\\\");
            }
            '*' => out.push_str(".*"),
            c if "\\^$.|?+()[]{}/".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push('$');
    out
}

fn reader_has_paths(reader: &Node) -> bool {
    let mut found = false;
    reader.walk(&mut String::new(), &mut |_, key, _| {
        if key.is_some_and(|k| k.ends_with(".$")) {
            found = true;
        }
        crate::asl::json::Walk::Descend
    });
    found
}
