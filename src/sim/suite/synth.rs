//! Inputs that make a Choice rule hold or fail: for each comparison a value on the right side of
//! it (numbers, strings, `StringMatches` patterns, timestamps, booleans, the type tests, `...Path`
//! comparisons setting both sides), combined through `And`/`Or`/`Not`; for a JSONata `Condition`,
//! a search over the fields it reads and the literals it holds, each candidate evaluated by the
//! engine. An assignment is a list of (path, value) to put into a state's input, `None` meaning
//! "absent". Nothing here is trusted: the generator keeps a scenario only when running it takes
//! the edge.

use rand::SeedableRng;
use serde_json::{Value, json};

use super::paths::{self, Step};
use crate::asl::clock::{format_rfc3339, parse_rfc3339};
use crate::asl::jsonata::{Dialect, Environment, Expression, expression_text};
use crate::asl::model::ComparisonOperator as Op;

/// Values to put at paths; `None` removes the field.
pub type Assignment = Vec<(Vec<Step>, Option<Value>)>;

const DAY_MS: i64 = 86_400_000;

/// Assignments that make `rule` hold (`want`) or fail, most direct first; empty when none is
/// known. `base` is the input the rule sees (a JSONata condition is evaluated against it).
pub fn satisfy(rule: &Value, want: bool, base: &Value) -> Vec<Assignment> {
    let Some(rule) = rule.as_object() else { return Vec::new() };
    if let Some(sub) = rule.get("Not") {
        return satisfy(sub, !want, base);
    }
    if let Some(subs) = rule.get("And").or_else(|| rule.get("Or")).and_then(Value::as_array) {
        let all = rule.contains_key("And") == want; // every sub must take `want`
        return if all { conjunction(subs, want, base) } else { disjunction(subs, want, base) };
    }
    if let Some(condition) = rule.get("Condition") {
        return match condition {
            Value::Bool(b) => if *b == want { vec![Vec::new()] } else { Vec::new() },
            Value::String(text) => condition_search(text, want, base),
            _ => Vec::new(),
        };
    }
    let Some(variable) = rule.get("Variable").and_then(Value::as_str).and_then(paths::reference) else { return Vec::new() };
    let Some((op, operand)) = rule.iter().find_map(|(k, v)| Op::from_name(k).map(|op| (op, v))) else { return Vec::new() };
    comparison(&variable, op, operand, want)
}

/// A rule that holds when `rule` holds (when there is one) and every one of `earlier` fails: one
/// JSONata `Condition` when they all are (so the search sees them together), else `And`/`Not`.
pub fn first_to_hold(earlier: &[&Value], rule: Option<&Value>) -> Value {
    let condition = |r: &Value| r.get("Condition").and_then(Value::as_str).map(|t| expression_text(t.trim()).unwrap_or(t.trim()).to_string());
    let mut parts = Vec::new();
    let own = match rule {
        Some(r) => condition(r).map(|c| format!("({c})")),
        None => Some("true".to_string()),
    };
    if let (Some(own), false) = (own, earlier.is_empty() && rule.is_none()) {
        parts.push(own);
        for r in earlier {
            match condition(r) {
                Some(c) => parts.push(format!("$not({c})")),
                None => {
                    parts.clear();
                    break;
                }
            }
        }
        if !parts.is_empty() {
            return json!({"Condition": format!("{{% {} %}}", parts.join(" and "))});
        }
    }
    let mut all: Vec<Value> = earlier.iter().map(|r| json!({"Not": strip_next(r)})).collect();
    all.extend(rule.map(strip_next));
    json!({"And": all})
}

fn strip_next(rule: &Value) -> Value {
    let mut rule = rule.clone();
    if let Some(map) = rule.as_object_mut() {
        map.remove("Next");
    }
    rule
}

/// Every sub-rule takes `want`: the first assignment of each, merged (a later one wins a
/// conflicting path: running the scenario tells whether the rule still holds).
fn conjunction(subs: &[Value], want: bool, base: &Value) -> Vec<Assignment> {
    let mut merged = Assignment::new();
    for sub in subs {
        let Some(first) = satisfy(sub, want, base).into_iter().next() else { return Vec::new() };
        for (path, value) in first {
            merged.retain(|(p, _)| p != &path);
            merged.push((path, value));
        }
    }
    vec![merged]
}

/// One sub-rule takes `want`: each sub's assignments, in turn.
fn disjunction(subs: &[Value], want: bool, base: &Value) -> Vec<Assignment> {
    subs.iter().flat_map(|sub| satisfy(sub, want, base)).collect()
}

fn one(path: &[Step], value: Option<Value>) -> Assignment {
    vec![(path.to_vec(), value)]
}

/// A value that gives the comparison `op` with `operand` the outcome `want` (`None` when none is
/// known): what a `...Path` comparison needs on one side when the other side's value is known.
pub fn value_against(op: Op, operand: &Value, want: bool) -> Option<Value> {
    comparison(&[], op, operand, want).into_iter().next().and_then(|a| a.into_iter().next()).and_then(|(_, v)| v)
}

/// A value that makes a comparison hold or fail; a value of another type as the last resort for
/// "fail" (a comparison with a value of the wrong type is false).
fn comparison(path: &[Step], op: Op, operand: &Value, want: bool) -> Vec<Assignment> {
    use Op::*;
    let with = |v: Value| vec![one(path, Some(v))];
    let mismatch = || vec![one(path, Some(Value::Array(Vec::new())))];
    match op {
        StringEquals | StringLessThan | StringGreaterThan | StringLessThanEquals | StringGreaterThanEquals | StringMatches => {
            let Some(s) = operand.as_str() else { return Vec::new() };
            let above = format!("{s}~");
            let below = s.chars().take(s.chars().count().saturating_sub(1)).collect::<String>();
            let pick = match (op, want) {
                (StringEquals, true) | (StringLessThanEquals, true) | (StringGreaterThanEquals, true) => Some(s.to_string()),
                (StringEquals, false) => Some(format!("{s}-other")),
                (StringLessThan, true) | (StringGreaterThanEquals, false) => (!s.is_empty()).then_some(below),
                (StringLessThan, false) | (StringGreaterThan, false) => Some(s.to_string()),
                (StringGreaterThan, true) | (StringLessThanEquals, false) => Some(above),
                (StringMatches, true) => Some(pattern_example(s)),
                (StringMatches, false) => {
                    let candidate = "\u{1}no match".to_string();
                    (!crate::asl::interp::string_matches(&candidate, s)).then_some(candidate)
                }
                _ => None,
            };
            match pick {
                Some(v) => with(Value::String(v)),
                None if !want => mismatch(),
                None => Vec::new(),
            }
        }
        NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
            let Some(n) = operand.as_f64() else { return Vec::new() };
            let v = match (op, want) {
                (NumericEquals, true) | (NumericLessThanEquals, true) | (NumericGreaterThanEquals, true) => n,
                (NumericLessThan, false) | (NumericGreaterThan, false) => n,
                (NumericEquals, false) | (NumericGreaterThan, true) | (NumericLessThanEquals, false) => n + 1.0,
                _ => n - 1.0,
            };
            with(number(v, operand))
        }
        BooleanEquals => operand.as_bool().map(|b| with(Value::Bool(b == want))).unwrap_or_default(),
        TimestampEquals | TimestampLessThan | TimestampGreaterThan | TimestampLessThanEquals | TimestampGreaterThanEquals => {
            let Some(t) = operand.as_str().and_then(parse_rfc3339) else { return Vec::new() };
            let v = match (op, want) {
                (TimestampEquals, true) | (TimestampLessThanEquals, true) | (TimestampGreaterThanEquals, true) => t,
                (TimestampLessThan, false) | (TimestampGreaterThan, false) => t,
                (TimestampEquals, false) | (TimestampGreaterThan, true) | (TimestampLessThanEquals, false) => t + DAY_MS,
                _ => t - DAY_MS,
            };
            if v == t { with(operand.clone()) } else { with(Value::String(format_rfc3339(v))) }
        }
        IsNull | IsPresent | IsNumeric | IsString | IsBoolean | IsTimestamp => {
            let Some(b) = operand.as_bool() else { return Vec::new() };
            let holds = b == want; // the type test must come out true
            let value = match (op, holds) {
                (IsPresent, true) => Some(json!("present")),
                (IsPresent, false) => None,
                (IsNull, true) => Some(Value::Null),
                (IsNumeric, true) => Some(json!(1)),
                (IsString, true) => Some(json!("text")),
                (IsBoolean, true) => Some(json!(true)),
                (_, true) => Some(json!("2026-01-01T00:00:00Z")), // IsTimestamp
                (IsString, false) | (IsTimestamp, false) => Some(json!(1)),
                (_, false) => Some(json!("text")),
            };
            vec![one(path, value)]
        }
        _ => path_comparison(path, op, operand, want),
    }
}

/// `...Path` comparisons: both sides set, from the plain comparison's values.
fn path_comparison(path: &[Step], op: Op, operand: &Value, want: bool) -> Vec<Assignment> {
    let Some(other) = operand.as_str().and_then(paths::reference) else { return Vec::new() };
    let Some(plain) = Op::from_name(op.name().trim_end_matches("Path")) else { return Vec::new() };
    let reference = match plain {
        Op::BooleanEquals => json!(true),
        o if o.name().starts_with("Numeric") => json!(10),
        o if o.name().starts_with("Timestamp") => json!("2026-01-01T00:00:00Z"),
        _ => json!("m"),
    };
    comparison(path, plain, &reference, want)
        .into_iter()
        .map(|mut a| {
            a.push((other.clone(), Some(reference.clone())));
            a
        })
        .collect()
}

/// An integer stays an integer.
fn number(v: f64, like: &Value) -> Value {
    if (like.is_i64() || like.is_u64()) && v.fract() == 0.0 { json!(v as i64) } else { json!(v) }
}

/// A string `StringMatches` takes: each `*` becomes `x`, `\*` a star, `\\` a backslash.
fn pattern_example(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '*' => out.push('x'),
            c => out.push(c),
        }
    }
    out
}

/// The paths a JSONata condition reads: under `$states.input` (`$states.input.order.total`), and
/// the workflow variables it reads (`$tries`, `$order.total`), as [`paths::reference`] gives
/// them (`[VARIABLES, name, ...]`): the generator puts those where the variable was assigned.
fn condition_reads(text: &str) -> Vec<Vec<Step>> {
    let mut out = reads_under(text, "$states.input");
    let marker = Step::Member(super::origin::VARIABLES.into());
    for name in variable_names(text) {
        let root = vec![marker.clone(), Step::Member(name.clone())];
        let under = reads_under(text, &format!("${name}"));
        if under.is_empty() {
            out.push(root);
        } else {
            out.extend(under.into_iter().map(|steps| [root.clone(), steps].concat()));
        }
    }
    out
}

/// The workflow variables a JSONata text reads: `$name` not followed by `(` (a function), not
/// `$states`, `$` or `$$`, and not bound in the text itself (`$name :=`).
fn variable_names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (at, _) in text.match_indices('$') {
        if text[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        let rest = &text[at + 1..];
        let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() || name == "states" || name.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        let after = rest[name.len()..].trim_start();
        if after.starts_with('(') || after.starts_with(":=") {
            continue;
        }
        let bound = text.match_indices(&format!("${name}")).any(|(i, _)| text[i + 1 + name.len()..].trim_start().starts_with(":="));
        if !bound && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// An input with the variables an assignment sets (under [`super::origin::VARIABLES`]) taken
/// out: (the input, the variables).
pub fn split_variables(mut input: Value) -> (Value, serde_json::Map<String, Value>) {
    let variables = input.as_object_mut().and_then(|m| m.remove(super::origin::VARIABLES)).and_then(|v| match v {
        Value::Object(m) => Some(m),
        _ => None,
    });
    (input, variables.unwrap_or_default())
}

/// The member paths a JSONata text reads under `root` (`$states.result` gives `Items` for
/// `$states.result.Items.{...}`).
pub fn reads_under(text: &str, root: &str) -> Vec<Vec<Step>> {
    let mut out: Vec<Vec<Step>> = Vec::new();
    for (at, _) in text.match_indices(root) {
        let rest = &text[at + root.len()..];
        let mut steps = Vec::new();
        let mut chars = rest.chars().peekable();
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `$states.inputs`, another name
        }
        loop {
            match chars.peek() {
                Some('.') => {
                    chars.next();
                    let name: String = std::iter::from_fn(|| chars.next_if(|c| c.is_alphanumeric() || *c == '_')).collect();
                    if name.is_empty() {
                        break;
                    }
                    steps.push(Step::Member(name));
                }
                // `[0]`: an index; any other predicate ends the path.
                Some('[') => {
                    let mut ahead = chars.clone();
                    ahead.next();
                    let digits: String = std::iter::from_fn(|| ahead.next_if(char::is_ascii_digit)).collect();
                    match (digits.parse::<usize>(), ahead.next()) {
                        (Ok(index), Some(']')) => {
                            steps.push(Step::Index(index));
                            chars = ahead;
                        }
                        _ => break,
                    }
                }
                _ => break,
            }
        }
        if !steps.is_empty() && !out.contains(&steps) {
            out.push(steps);
        }
    }
    out
}

/// A read through a JSONata filter on a list under `root`: `$states.result.Blocks[BlockType =
/// 'QUERY'].Query` is the list `Blocks`, the element member `BlockType` that must equal
/// `"QUERY"`, and what is read of the elements it keeps (`Query`).
#[derive(Debug, Clone, PartialEq)]
pub struct FilteredRead {
    pub list: Vec<Step>,
    pub member: String,
    pub value: Value,
    pub rest: Vec<Step>,
}

/// The reads of a JSONata text under `root` that go through a filter comparing an element's
/// member with a literal (`[Type='X']`, `[Type = "X"]`, `[Count=3]`): an example answer holds an
/// element that the filter keeps only when it is told which.
pub fn filtered_reads_under(text: &str, root: &str) -> Vec<FilteredRead> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices(root) {
        let rest = &text[at + root.len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut at = 0;
        let (list, end) = member_steps(rest);
        at += end;
        let Some((member, value, end)) = member_equals(&rest[at..]) else { continue };
        at += end;
        let (after, _) = member_steps(&rest[at..]);
        let read = FilteredRead { list, member, value, rest: after };
        if !read.list.is_empty() && !out.contains(&read) {
            out.push(read);
        }
    }
    out
}

/// The `.name` and `[0]` steps at the start of `text`, and where they end.
fn member_steps(text: &str) -> (Vec<Step>, usize) {
    let mut steps = Vec::new();
    let mut at = 0;
    loop {
        let rest = &text[at..];
        if let Some(after) = rest.strip_prefix('.') {
            let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name.is_empty() {
                break;
            }
            at += 1 + name.len();
            steps.push(Step::Member(name));
        } else if let Some(after) = rest.strip_prefix('[') {
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            match (digits.parse::<usize>(), after[digits.len()..].starts_with(']')) {
                (Ok(index), true) => {
                    at += digits.len() + 2;
                    steps.push(Step::Index(index));
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    (steps, at)
}

/// `[member = literal]` at the start of `text` (a quoted string or a number): the member, the
/// literal and where the filter ends.
fn member_equals(text: &str) -> Option<(String, Value, usize)> {
    let inner = text.strip_prefix('[')?;
    let close = inner.find(']')?;
    let (member, literal) = inner[..close].split_once('=')?;
    let member = member.trim();
    if member.is_empty() || !member.chars().all(|c| c.is_alphanumeric() || c == '_') || literal.starts_with('=') || member.ends_with(['!', '<', '>']) {
        return None;
    }
    let literal = literal.trim();
    let value = match literal.chars().next()? {
        quote @ ('\'' | '"') => {
            let body = literal.strip_prefix(quote)?.strip_suffix(quote)?;
            (!body.contains(quote)).then(|| Value::String(body.to_string()))?
        }
        _ => serde_json::from_str::<serde_json::Number>(literal).ok().map(Value::Number)?,
    };
    Some((member.to_string(), value, close + 2))
}

/// The literals of a JSONata text: numbers and quoted strings.
fn condition_literals(text: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '"' || c == '\'' {
            let body: String = std::iter::from_fn(|| chars.next_if(|(_, d)| *d != c)).map(|(_, d)| d).collect();
            chars.next();
            out.push(Value::String(body));
        } else if c.is_ascii_digit() && !text[..i].ends_with(|p: char| p.is_alphanumeric() || p == '_' || p == '$') {
            let mut end = i + 1;
            while let Some((j, _)) = chars.next_if(|(_, d)| d.is_ascii_digit() || *d == '.') {
                end = j + 1;
            }
            if let Ok(n) = text[i..end].parse::<f64>() {
                out.push(number(n, &if n.fract() == 0.0 { json!(1) } else { json!(0.5) }));
            }
        }
    }
    out
}

/// Whether a JSONata condition holds on `input` (`None`: it cannot be evaluated there); the
/// variables it reads are the ones `input` carries under [`super::origin::VARIABLES`].
pub fn condition_holds(expression: &Expression, input: &Value) -> Option<bool> {
    let (input, variables) = split_variables(input.clone());
    let states = json!({"input": input, "context": {}});
    let mut rng = rand::rngs::StdRng::seed_from_u64(0);
    let mut env = Environment { states: Some(&states), variables: &variables, now_millis: 0, rng: &mut rng, limits: Default::default() };
    match expression.evaluate(Some(&input), &mut env).ok()? {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    }
}

/// How many values [`condition_search`] tries beside the condition's literals.
const GENERIC_VALUES: usize = 12;

/// A search for inputs on which a JSONata condition gives `want`: each field it reads set to each
/// literal it holds (and its neighbours), to `true`/`false`, `null`, an empty or a short list,
/// or left out; then pairs of fields. Each candidate is evaluated by the engine.
fn condition_search(text: &str, want: bool, base: &Value) -> Vec<Assignment> {
    let source = expression_text(text.trim()).unwrap_or(text.trim());
    let Ok(expression) = Expression::compile(source, Dialect::StepFunctions) else { return Vec::new() };
    let reads = condition_reads(source);
    let mut values: Vec<Option<Value>> = Vec::new();
    for literal in condition_literals(source) {
        if let Some(n) = literal.as_f64() {
            values.extend([number(n + 1.0, &literal), number(n - 1.0, &literal)].map(Some));
        }
        if let Some(s) = literal.as_str() {
            values.push(Some(json!(format!("{s}-other"))));
        }
        values.push(Some(literal));
    }
    values.extend(
        [json!(true), json!(false), Value::Null, json!(0), json!(1), json!(1_000_000), json!(""), json!("text"), json!([]), json!([1, 2, 3]), json!({})]
            .map(Some),
    );
    values.push(None);
    debug_assert!(values.len() >= GENERIC_VALUES);
    // A variable the condition reads and the assignment leaves alone is bound to null: Step
    // Functions refuses an expression naming a variable that is not bound.
    let variable_roots: Vec<Vec<Step>> = reads.iter().filter(|p| paths::is_variable(p)).map(|p| p[..2].to_vec()).collect();
    let holds = |a: &Assignment| {
        let mut input = base.clone();
        for root in &variable_roots {
            if !a.iter().any(|(p, _)| p.starts_with(root)) {
                paths::set(&mut input, root, Some(Value::Null));
            }
        }
        for (path, value) in a {
            paths::set(&mut input, path, value.clone());
        }
        condition_holds(&expression, &input) == Some(want)
    };
    // The variables' values before the Choice are not known here (the run holds them): a
    // condition that reads one is searched with it set.
    if !reads.iter().any(|p| paths::is_variable(p)) && holds(&Vec::new()) {
        return vec![Vec::new()];
    }
    let mut found = Vec::new();
    for path in &reads {
        for value in &values {
            let a = one(path, value.clone());
            if holds(&a) {
                found.push(a);
                if found.len() >= 2 {
                    return found;
                }
            }
        }
    }
    if found.is_empty() {
        for (i, p) in reads.iter().enumerate() {
            for q in &reads[i + 1..] {
                for v in &values {
                    for w in &values {
                        let a = vec![(p.clone(), v.clone()), (q.clone(), w.clone())];
                        if holds(&a) {
                            return vec![a];
                        }
                    }
                }
            }
        }
        // Three fields at once, over fewer values: the literals' first, then the plainest.
        if let [p, q, r, ..] = reads.as_slice() {
            let literal_count = values.len() - GENERIC_VALUES;
            let generic = [Some(json!(true)), Some(json!(0)), Some(json!(1_000_000)), Some(json!("text")), Some(json!([1, 2, 3])), None];
            let few: Vec<&Option<Value>> = values.iter().take(literal_count.min(10)).chain(generic.iter()).collect();
            for u in &few {
                for v in &few {
                    for w in &few {
                        let a = vec![(p.clone(), (*u).clone()), (q.clone(), (*v).clone()), (r.clone(), (*w).clone())];
                        if holds(&a) {
                            return vec![a];
                        }
                    }
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the first assignment, applied to `{}`, makes the rule hold as wanted, checked by
    /// running the rule in a one-Choice machine.
    fn check(rule: Value, want: bool) {
        let assignments = satisfy(&rule, want, &json!({}));
        assert!(!assignments.is_empty(), "no assignment for {rule} = {want}");
        let mut input = json!({});
        for (path, value) in &assignments[0] {
            paths::set(&mut input, path, value.clone());
        }
        assert_eq!(super::super::generate::rule_holds(&rule, false, &input), Some(want), "{rule} on {input}");
    }

    #[test]
    fn every_comparison_can_be_made_to_hold_and_to_fail() {
        for (op, operand) in [
            ("StringEquals", json!("ok")), ("StringLessThan", json!("m")), ("StringGreaterThan", json!("m")),
            ("StringLessThanEquals", json!("m")), ("StringGreaterThanEquals", json!("m")), ("StringMatches", json!("log-*.txt")),
            ("NumericEquals", json!(3)), ("NumericLessThan", json!(3)), ("NumericGreaterThan", json!(2.5)),
            ("NumericLessThanEquals", json!(3)), ("NumericGreaterThanEquals", json!(3)), ("BooleanEquals", json!(false)),
            ("TimestampEquals", json!("2026-03-01T00:00:00Z")), ("TimestampLessThan", json!("2026-03-01T00:00:00Z")),
            ("TimestampGreaterThanEquals", json!("2026-03-01T00:00:00Z")), ("IsNull", json!(true)), ("IsPresent", json!(true)),
            ("IsPresent", json!(false)), ("IsNumeric", json!(true)), ("IsString", json!(true)), ("IsBoolean", json!(false)),
            ("IsTimestamp", json!(true)), ("NumericGreaterThanPath", json!("$.limit")), ("StringEqualsPath", json!("$.other")),
            ("TimestampLessThanPath", json!("$.deadline")), ("BooleanEqualsPath", json!("$.flag")),
        ] {
            for want in [true, false] {
                let mut rule = serde_json::Map::new();
                rule.insert("Variable".into(), json!("$.a.b"));
                rule.insert(op.into(), operand.clone());
                check(Value::Object(rule), want);
            }
        }
    }

    #[test]
    fn and_or_not_combine() {
        let rule = json!({"And": [{"Variable": "$.n", "NumericGreaterThan": 5}, {"Not": {"Variable": "$.s", "StringEquals": "x"}}]});
        check(rule.clone(), true);
        check(rule, false);
        let rule = json!({"Or": [{"Variable": "$.n", "IsPresent": false}, {"Variable": "$.t", "IsBoolean": true}]});
        check(rule.clone(), true);
        check(rule, false);
    }

    #[test]
    fn a_jsonata_condition_is_searched_with_the_engine() {
        let rule = json!({"Condition": "{% $states.input.order.total > 100 and $states.input.tier = 'gold' %}"});
        for want in [true, false] {
            let found = satisfy(&rule, want, &json!({}));
            assert!(!found.is_empty(), "{want}");
            let mut input = json!({});
            for (path, value) in &found[0] {
                paths::set(&mut input, path, value.clone());
            }
            assert_eq!(super::super::generate::rule_holds(&rule, true, &input), Some(want), "{input}");
        }
        assert!(satisfy(&json!({"Condition": false}), true, &json!({})).is_empty());
    }

    #[test]
    fn a_jsonata_condition_on_variables_is_searched_with_them() {
        let rule = json!({"Condition": "{% $tries < 3 and $order.total > 100 and $states.input.tier = 'gold' and ($n := 2; $n > 1) %}"});
        assert_eq!(variable_names("$tries < 3 and $order.total > $string($x) and ($n := 2; $n)"), ["tries", "order", "x"]);
        for want in [true, false] {
            let found = satisfy(&rule, want, &json!({}));
            assert!(!found.is_empty(), "{want}");
            let mut input = json!({});
            for (path, value) in &found[0] {
                paths::set(&mut input, path, value.clone());
            }
            if want {
                assert!(found[0].iter().any(|(p, _)| paths::is_variable(p)), "{:?}", found[0]);
            }
            // Checked by the interpreter, the variables assigned before the Choice.
            assert_eq!(super::super::generate::rule_holds(&rule, true, &input), Some(want), "{input}");
        }
    }
}
