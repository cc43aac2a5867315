//! Variable rules: every `$variable` read must be assigned by some state (`Assign`) in the same
//! scope or an enclosing one, and on every path that reaches the read: a variable assigned on
//! one branch of a Choice and read after the branches meet is flagged, with a path on which
//! nothing assigns it. A variable assigned only inside a Parallel branch or Map processor is out
//! of scope outside it. These are warnings: the checker cannot see every JSONata binding. A
//! variable assigned where nothing that can see it reads it is a warning; a branch or iteration
//! assigning a variable of an enclosing scope is an error (inner scopes read outer variables but
//! cannot set them; a distributed Map, which sees no outer variable, is exempt).

use super::syntax::is_intrinsic;
use super::{Scope, report};
use crate::asl::diag::{Code, Diagnostic};
use crate::asl::json::{Node, Walk};
use crate::asl::model::*;
use std::collections::{HashMap, HashSet, VecDeque};

/// JSONata's built-in functions, which a `$name` without a call may still refer to (`$map(a, $string)`).
const JSONATA_BUILTINS: &[&str] = &[
    "string", "length", "substring", "substringBefore", "substringAfter", "uppercase", "lowercase", "trim", "pad",
    "contains", "split", "join", "match", "replace", "eval", "base64encode", "base64decode", "encodeUrlComponent",
    "encodeUrl", "decodeUrlComponent", "decodeUrl", "number", "abs", "floor", "ceil", "round", "power", "sqrt",
    "random", "formatNumber", "formatBase", "formatInteger", "parseInteger", "sum", "max", "min", "average",
    "boolean", "not", "exists", "count", "append", "sort", "reverse", "shuffle", "distinct", "zip", "keys", "lookup",
    "spread", "merge", "sift", "each", "error", "assert", "type", "map", "filter", "single", "reduce", "now",
    "millis", "fromMillis", "toMillis", "partition", "range", "hash", "uuid", "parse",
];

/// Runs the variable rules over every scope.
pub fn check(scopes: &[Scope], out: &mut Vec<Diagnostic>) {
    let assignments: Vec<Vec<(String, String)>> = scopes.iter().map(assignments_in).collect();
    for (name, pointer) in assignments.iter().flatten() {
        if name == "states" {
            // The Developer Guide's "Reserved variable: $states"; AWS's words for assigning it.
            report(out, Code::ReservedVariable, pointer.clone(), "Cannot assign to reserved variable '$states'. (`$states` is Step Functions' own: the state's input, result, error output and context)");
        } else if let Some((problem, characters)) = variable_name_problem(name) {
            let aws = if characters { "the variable name contains invalid characters." } else { "the variable name is not valid." };
            report(out, Code::VariableName, pointer.clone(), format!("Invalid variable name '{name}': {aws} ({problem})"));
        }
    }
    let assigned: Vec<HashSet<String>> = assignments.iter().map(|a| a.iter().map(|(n, _)| n.clone()).collect()).collect();
    let mut paths = Paths { scopes, edges: vec![None; scopes.len()], memo: HashMap::new() };
    let mut read: Vec<HashSet<String>> = Vec::with_capacity(scopes.len());
    for (index, scope) in scopes.iter().enumerate() {
        let mut refs = Refs::default();
        for (named, pointer) in scope.machine.states.iter().zip(&scope.state_pointers) {
            let language = crate::asl::walk::state_language(&named.state, scope.language);
            refs.state(&named.state, pointer, language);
            refs.states_done.push(refs.found.len());
        }
        read.push(refs.found.iter().map(|(n, _)| n.clone()).collect());
        let mut state = 0;
        for (at, (name, pointer)) in refs.found.into_iter().enumerate() {
            while refs.states_done[state] <= at {
                state += 1;
            }
            let visible = (0..scopes.len()).any(|s| assigned[s].contains(&name) && Scope::sees(scopes, index, s));
            if visible {
                if let Some(path) = paths.unassigned_path(index, state, &name) {
                    report(
                        out,
                        Code::UndefinedVariable,
                        pointer,
                        format!("`${name}` may be read before it is assigned: no state assigns it on the path {}", path.join(" → ")),
                    );
                }
                continue;
            }
            if assigned.iter().any(|a| a.contains(&name)) {
                report(
                    out,
                    Code::OutOfScopeVariable,
                    pointer,
                    format!("`${name}` is assigned only inside another Parallel branch or Map processor, so it is not visible here"),
                );
            } else {
                report(out, Code::UndefinedVariable, pointer, format!("no state assigns the variable `${name}`"));
            }
        }
    }
    for (index, scope) in scopes.iter().enumerate() {
        let distributed = scope.machine.processor_config.as_ref().and_then(|c| c.mode.as_deref()) == Some("DISTRIBUTED");
        for (name, pointer) in &assignments[index] {
            // Read here or in a scope nested inside (which sees this one's variables).
            if !(0..scopes.len()).any(|r| read[r].contains(name) && Scope::sees(scopes, r, index)) {
                report(out, Code::UnusedVariable, pointer.clone(), format!("`${name}` is assigned but never read"));
            }
            let outer = (0..scopes.len()).find(|&a| a != index && assigned[a].contains(name) && Scope::sees(scopes, index, a));
            if let (Some(_), false) = (outer, distributed) {
                report(
                    out,
                    Code::OuterVariableAssigned,
                    pointer.clone(),
                    format!("`${name}` belongs to an enclosing scope: a Parallel branch or Map iteration can read it but not assign it (use another name, and return values through the output)"),
                );
            }
        }
    }
}

/// The transitions of one state: the target's index and the variables the transition assigns
/// (the state's `Assign` on Next and Default, a Choice rule's on its Next, a catcher's on its).
type Edges = Vec<Vec<(usize, HashSet<String>)>>;

fn edges_of(scope: &Scope) -> Edges {
    let machine = scope.machine;
    let index: HashMap<&str, usize> = machine.states.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let keys = |node: &Option<Node>| -> HashSet<String> {
        node.as_ref()
            .and_then(Node::as_object)
            .unwrap_or(&[])
            .iter()
            .map(|m| m.key.strip_suffix(".$").unwrap_or(&m.key).to_string())
            .collect()
    };
    machine
        .states
        .iter()
        .map(|named| {
            let s = &named.state;
            let mut edges = Vec::new();
            let mut add = |target: &Option<String>, assigns: HashSet<String>| {
                if let Some(&t) = target.as_deref().and_then(|t| index.get(t)) {
                    edges.push((t, assigns));
                }
            };
            add(&s.next, keys(&s.data.assign));
            if let StateKind::Choice(choice) = &s.kind {
                for rule in choice.choices.iter().flatten() {
                    add(&rule.next, keys(&rule.assign));
                }
                add(&choice.default, keys(&s.data.assign));
            }
            for catcher in s.catch.iter().flatten() {
                add(&catcher.next, keys(&catcher.assign));
            }
            edges
        })
        .collect()
}

/// Where each variable can be reached unassigned, scope by scope, computed once per variable.
struct Paths<'a, 'm> {
    scopes: &'a [Scope<'m>],
    /// Each scope's transitions, built the first time a read in it needs them.
    edges: Vec<Option<Edges>>,
    /// (scope, variable) → for each state, the state it was first reached from without the
    /// variable being assigned (`Some(None)` for StartAt, `None` if it is never reached so).
    memo: HashMap<(usize, String), Vec<Option<Option<usize>>>>,
}

impl Paths<'_, '_> {
    /// A path from the start of the execution to `state` of `scope` on which nothing assigns
    /// `name`, as state names; `None` when every path assigns it first.
    fn unassigned_path(&mut self, scope: usize, state: usize, name: &str) -> Option<Vec<String>> {
        self.reached_without(scope, name)[state]?;
        let states = &self.scopes[scope].machine.states;
        let reached = &self.memo[&(scope, name.to_string())];
        let mut path = vec![states[state].name.clone()];
        let mut at = state;
        while let Some(Some(from)) = reached[at] {
            if path.len() > states.len() {
                break;
            }
            path.push(states[from].name.clone());
            at = from;
        }
        path.reverse();
        let parent = self.scopes[scope].parent.zip(self.scopes[scope].enclosing_state);
        if let Some((p, s)) = parent
            && let Some(mut outer) = self.unassigned_path(p, s, name)
        {
            outer.append(&mut path);
            return Some(outer);
        }
        Some(path)
    }

    fn reached_without(&mut self, scope: usize, name: &str) -> &Vec<Option<Option<usize>>> {
        let key = (scope, name.to_string());
        if !self.memo.contains_key(&key) {
            let count = self.scopes[scope].machine.states.len();
            let mut reached: Vec<Option<Option<usize>>> = vec![None; count];
            // An inner scope starts with what its Parallel or Map state could see when entered.
            let parent = self.scopes[scope].parent.zip(self.scopes[scope].enclosing_state);
            let available_at_entry = match parent {
                Some((p, s)) => self.reached_without(p, name)[s].is_none(),
                None => false,
            };
            let start = self.scopes[scope].machine.states.iter().position(|s| Some(&s.name) == self.scopes[scope].machine.start_at.as_ref());
            if let (false, Some(start)) = (available_at_entry, start) {
                let edges = self.edges[scope].get_or_insert_with(|| edges_of(&self.scopes[scope]));
                reached[start] = Some(None);
                let mut queue = VecDeque::from([start]);
                while let Some(at) = queue.pop_front() {
                    for (target, assigns) in &edges[at] {
                        if reached[*target].is_none() && !assigns.contains(name) {
                            reached[*target] = Some(Some(at));
                            queue.push_back(*target);
                        }
                    }
                }
            }
            self.memo.insert(key.clone(), reached);
        }
        &self.memo[&key]
    }
}

/// Every `Assign` key of the states of `scope` (not nested ones): the variable and the key's pointer.
fn assignments_in(scope: &Scope) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // `at` is called only for an Assign that is there.
    let mut keys = |node: &Option<Node>, at: &dyn Fn() -> String| {
        let members = node.as_ref().and_then(Node::as_object).unwrap_or(&[]);
        let at = if members.is_empty() { String::new() } else { at() };
        for m in members {
            let name = m.key.strip_suffix(".$").unwrap_or(&m.key).to_string();
            out.push((name, format!("{at}/{}", crate::asl::json::escape_pointer_token(&m.key))));
        }
    };
    for (named, pointer) in scope.machine.states.iter().zip(&scope.state_pointers) {
        let s = &named.state;
        keys(&s.data.assign, &|| format!("{pointer}/Assign"));
        for (i, c) in s.catch.iter().flatten().enumerate() {
            keys(&c.assign, &|| format!("{pointer}/Catch/{i}/Assign"));
        }
        if let StateKind::Choice(choice) = &s.kind {
            for (i, rule) in choice.choices.iter().flatten().enumerate() {
                keys(&rule.assign, &|| format!("{pointer}/Choices/{i}/Assign"));
            }
        }
    }
    out
}

/// Whether a JSONPath payload template has a `.$` value that reads a variable.
fn template_reads_variables(node: &Node) -> bool {
    match (node.as_object(), node.as_array()) {
        (Some(members), _) => members.iter().any(|m| match m.value.as_str() {
            Some(text) if m.key.ends_with(".$") => !variable_reads(text, false).is_empty(),
            _ => template_reads_variables(&m.value),
        }),
        (_, Some(items)) => items.iter().any(template_reads_variables),
        _ => false,
    }
}

/// The `$variable` reads found so far, with the pointer of the field that reads each.
#[derive(Default)]
struct Refs {
    found: Vec<(String, String)>,
    /// For each state in turn, how many reads had been found once it was done.
    states_done: Vec<usize>,
}

impl Refs {
    fn text(&mut self, text: &str, pointer: &str, jsonata: bool) {
        for name in variable_reads(text, jsonata) {
            self.found.push((name, pointer.to_string()));
        }
    }

    /// A path field `field` of the object at `base`; the pointer is built only if it reads a variable.
    fn path(&mut self, text: Option<&str>, base: &str, field: &str) {
        if let Some(t) = text {
            for name in variable_reads(t, false) {
                self.found.push((name, format!("{base}/{field}")));
            }
        }
    }

    /// `.$` values of a JSONPath payload template (most read none: then no pointer is built).
    fn template(&mut self, node: &Option<Node>, pointer: &str) {
        let Some(node) = node else { return };
        node.walk(&mut pointer.to_string(), &mut |node, key, pointer| match (key, node.as_str()) {
            (Some(key), Some(text)) if key.ends_with(".$") => {
                self.text(text, pointer, false);
                Walk::Skip
            }
            _ => Walk::Descend,
        });
    }

    /// `{% %}` strings of a JSONata payload.
    fn jsonata(&mut self, node: &Option<Node>, pointer: &str) {
        let Some(node) = node else { return };
        node.walk(&mut pointer.to_string(), &mut |node, _, pointer| {
            if let Some(text) = node.as_str().filter(|t| is_jsonata_expression(t)) {
                self.text(text, pointer, true);
            }
            Walk::Descend
        });
    }

    fn expression(&mut self, value: &Option<NumberOrExpression>, pointer: String) {
        if let Some(NumberOrExpression::Expression(e)) = value {
            self.text(e, &pointer, true);
        }
    }

    fn state(&mut self, s: &State, pointer: &str, language: QueryLanguage) {
        let at = |f: &str| format!("{pointer}/{f}");
        let d = &s.data;
        match language {
            QueryLanguage::JsonPath => {
                for (f, v) in [("InputPath", &d.input_path), ("OutputPath", &d.output_path)] {
                    self.path(v.as_ref().and_then(PathOrNull::path), pointer, f);
                }
                // Most templates read no variable: then no pointer is built.
                for (f, v) in [("Parameters", &d.parameters), ("ResultSelector", &d.result_selector), ("Assign", &d.assign)] {
                    if v.as_ref().is_some_and(template_reads_variables) {
                        self.template(v, &at(f));
                    }
                }
                for (i, c) in s.catch.iter().flatten().enumerate() {
                    if c.assign.as_ref().is_some_and(template_reads_variables) {
                        self.template(&c.assign, &at(&format!("Catch/{i}/Assign")));
                    }
                }
            }
            QueryLanguage::Jsonata => {
                for (f, v) in [("Arguments", &d.arguments), ("Output", &d.output), ("Assign", &d.assign)] {
                    self.jsonata(v, &at(f));
                }
                for (i, c) in s.catch.iter().flatten().enumerate() {
                    self.jsonata(&c.output, &at(&format!("Catch/{i}/Output")));
                    self.jsonata(&c.assign, &at(&format!("Catch/{i}/Assign")));
                }
            }
        }
        let jsonata = language == QueryLanguage::Jsonata;
        match &s.kind {
            StateKind::Task(t) => {
                self.path(t.timeout_seconds_path.as_deref(), pointer, "TimeoutSecondsPath");
                self.path(t.heartbeat_seconds_path.as_deref(), pointer, "HeartbeatSecondsPath");
                self.expression(&t.timeout_seconds, at("TimeoutSeconds"));
                self.expression(&t.heartbeat_seconds, at("HeartbeatSeconds"));
                if jsonata { self.jsonata(&t.credentials, &at("Credentials")) } else { self.template(&t.credentials, &at("Credentials")) }
            }
            StateKind::Wait(w) => {
                self.path(w.seconds_path.as_deref(), pointer, "SecondsPath");
                self.path(w.timestamp_path.as_deref(), pointer, "TimestampPath");
                self.expression(&w.seconds, at("Seconds"));
                if jsonata && let Some(t) = &w.timestamp {
                    self.text(t, &at("Timestamp"), true);
                }
            }
            StateKind::Map(m) => {
                self.path(m.items_path.as_deref(), pointer, "ItemsPath");
                self.path(m.max_concurrency_path.as_deref(), pointer, "MaxConcurrencyPath");
                self.path(m.tolerated_failure_count_path.as_deref(), pointer, "ToleratedFailureCountPath");
                self.path(m.tolerated_failure_percentage_path.as_deref(), pointer, "ToleratedFailurePercentagePath");
                for (f, v) in [("MaxConcurrency", &m.max_concurrency), ("ToleratedFailureCount", &m.tolerated_failure_count), ("ToleratedFailurePercentage", &m.tolerated_failure_percentage)] {
                    self.expression(v, at(f));
                }
                for (f, v) in [("Items", &m.items), ("ItemSelector", &m.item_selector), ("ItemReader", &m.item_reader), ("ResultWriter", &m.result_writer), ("ItemBatcher", &m.item_batcher)] {
                    if jsonata { self.jsonata(v, &at(f)) } else { self.template(v, &at(f)) }
                }
            }
            StateKind::Fail(f) => {
                self.path(f.error_path.as_deref(), pointer, "ErrorPath");
                self.path(f.cause_path.as_deref(), pointer, "CausePath");
                if jsonata {
                    for (name, v) in [("Error", &f.error), ("Cause", &f.cause)] {
                        if let Some(t) = v.as_ref().filter(|t| is_jsonata_expression(t)) {
                            self.text(t, &at(name), true);
                        }
                    }
                }
            }
            StateKind::Choice(c) => {
                for (i, rule) in c.choices.iter().flatten().enumerate() {
                    self.rule(rule, &at(&format!("Choices/{i}")), jsonata);
                }
            }
            StateKind::Pass(_) | StateKind::Parallel(_) | StateKind::Succeed | StateKind::Unrecognized => {}
        }
    }

    fn rule(&mut self, rule: &ChoiceRule, pointer: &str, jsonata: bool) {
        self.path(rule.variable.as_deref(), pointer, "Variable");
        if jsonata {
            self.jsonata(&rule.assign, &format!("{pointer}/Assign"));
            self.jsonata(&rule.output, &format!("{pointer}/Output"));
        } else {
            self.template(&rule.assign, &format!("{pointer}/Assign"));
        }
        match &rule.test {
            Some(RuleTest::Compare { operand: Operand::Path(p), operator }) => {
                self.text(p, &format!("{pointer}/{}", operator.name()), false);
            }
            Some(RuleTest::Condition(c)) => self.text(c, &format!("{pointer}/Condition"), true),
            Some(RuleTest::And(rules) | RuleTest::Or(rules)) => {
                let name = rule.test.as_ref().map(RuleTest::field_name).unwrap_or("And");
                for (i, r) in rules.iter().enumerate() {
                    self.rule(r, &format!("{pointer}/{name}/{i}"), jsonata);
                }
            }
            Some(RuleTest::Not(r)) => self.rule(r, &format!("{pointer}/Not"), jsonata),
            _ => {}
        }
    }
}

/// The variable names a path, intrinsic call or JSONata expression reads: `$name` outside
/// string literals, except `$$`, `$states`, JSONata built-ins, function calls and names the
/// expression binds itself (`$x := ...`, `function($x)`).
pub fn variable_reads(text: &str, jsonata: bool) -> Vec<String> {
    if !jsonata && !text.starts_with('$') && !is_intrinsic(text) {
        return Vec::new();
    }
    // Most paths read the input (`$.a`), not a variable: skip the scan when no `$` starts a name.
    if !text.as_bytes().windows(2).any(|w| w[0] == b'$' && (w[1].is_ascii_alphabetic() || w[1] == b'_')) {
        return Vec::new();
    }
    let b = text.as_bytes();
    let mut names: Vec<(String, bool)> = Vec::new(); // (name, is bound here)
    let mut i = 0;
    let mut in_function_params = false;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') if jsonata || q == b'\'' => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'$' if i + 1 < b.len() && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'_') && (i == 0 || b[i - 1] != b'$') => {
                let start = i + 1;
                let mut end = start;
                while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                    end += 1;
                }
                let name = &text[start..end];
                let after = text[end..].trim_start();
                let bound = jsonata && (after.starts_with(":=") || in_function_params);
                let skipped = jsonata && (name == "states" || after.starts_with('(') || JSONATA_BUILTINS.contains(&name));
                if !skipped {
                    names.push((name.to_string(), bound));
                }
                i = end;
                continue;
            }
            b'(' if jsonata => in_function_params = text[..i].trim_end().ends_with("function"),
            b')' => in_function_params = false,
            _ => {}
        }
        i += 1;
    }
    let bound: HashSet<&str> = names.iter().filter(|(_, b)| *b).map(|(n, _)| n.as_str()).collect();
    let mut out: Vec<String> = Vec::new();
    for (name, _) in &names {
        if !bound.contains(name.as_str()) && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::variable_reads;

    #[test]
    fn reads() {
        assert_eq!(variable_reads("$x.a", false), ["x"]);
        assert_eq!(variable_reads("$.x", false), Vec::<String>::new());
        assert_eq!(variable_reads("$$.Execution", false), Vec::<String>::new());
        assert_eq!(variable_reads("States.Format('{} $no', $a, $b.c)", false), ["a", "b"]);
        assert_eq!(variable_reads("{% $sum($states.input.a) + $y %}", true), ["y"]);
        assert_eq!(variable_reads("{% ($t := 1; $t + $u) %}", true), ["u"]);
        assert_eq!(variable_reads("{% $map($xs, function($v) { $v * 2 }) %}", true), ["xs"]);
        assert_eq!(variable_reads("{% '$notvar' & $v %}", true), ["v"]);
    }
}

/// What is wrong with a variable name an `Assign` sets, if anything: AWS takes 1 to 80
/// characters, a letter or `_` first, then letters, digits and `_` (a name `$x.y` or `$1x`
/// could not be read back: JSONPath reads `$x.y` as a path into `$x`, and JSONata has no `$1x`).
/// Whether the problem is a character (AWS: "the variable name contains invalid characters.").
fn variable_name_problem(name: &str) -> Option<(String, bool)> {
    let length = name.chars().count();
    let mut chars = name.chars();
    match chars.next() {
        None => Some(("a name cannot be empty".into(), false)),
        _ if length > 80 => Some((format!("it is {length} characters long; the limit is 80"), false)),
        Some(first) if !(first.is_alphabetic() || first == '_') => Some((format!("a name starts with a letter or `_`, not {first:?}"), true)),
        _ => chars.find(|c| !(c.is_alphanumeric() || *c == '_')).map(|c| (format!("a name holds only letters, digits and `_`, not {c:?}"), true)),
    }
}
