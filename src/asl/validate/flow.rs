//! Data-flow rules across states: what one state hands the next, and a read the next cannot
//! make of it. Today one rule: a Parallel's output is an array (one element per branch), so a
//! later state reading a field of it (`"message.$": "$.message"`) fails the run at AWS
//! (`States.Runtime`: "The JSONPath '$.message' specified for the field 'message.$' could not be
//! found in the input '[...]'"). Warned, where the field is read.
//!
//! Only what is certain: the Parallel is JSONPath and neither `ResultSelector`, nor a
//! `ResultPath` other than `$`, nor an `OutputPath` other than `$` reshapes its result; the
//! reader is JSONPath and is what `Next` leads to, or comes after states that hand their input
//! on untouched (a Wait, a Pass with no `Parameters`, `Result` or path). A Choice is not judged
//! (its rules may test `IsPresent`), nor an element read (`$[0].message`), a deep scan or a
//! function of the whole array (`$.length()`), nor JSONata states.

use super::{Scope, report};
use crate::asl::diag::{Code, Diagnostic};
use crate::asl::json::{Node, escape_pointer_token};
use crate::asl::model::{PathOrNull, QueryLanguage, State, StateKind};
use crate::asl::walk::state_language;

/// Runs the data-flow rules over every scope.
pub fn check(scopes: &[Scope], out: &mut Vec<Diagnostic>) {
    for scope in scopes {
        for named in &scope.machine.states {
            if hands_on_an_array(&named.state, scope.language)
                && let Some(next) = &named.state.next
            {
                follow(scope, &named.name, next, out);
            }
        }
    }
}

/// Whether `state` is a JSONPath Parallel whose output is its branches' array as it is.
fn hands_on_an_array(state: &State, language: QueryLanguage) -> bool {
    let StateKind::Parallel(_) = state.kind else { return false };
    let d = &state.data;
    state_language(state, language) == QueryLanguage::JsonPath
        && d.result_selector.is_none()
        && whole(&d.result_path)
        && whole(&d.output_path)
}

/// Whether a path field is absent or `$`: the value passes through it whole.
fn whole(path: &Option<PathOrNull>) -> bool {
    match path {
        None => true,
        Some(PathOrNull::Path(p)) => p.trim() == "$",
        Some(PathOrNull::Null) => false,
    }
}

/// Walks from the state `next` on, while the array reaches it untouched, warning at each read
/// of a field of it.
fn follow(scope: &Scope, parallel: &str, next: &str, out: &mut Vec<Diagnostic>) {
    let mut at = next;
    // A chain of hand-on states cannot be longer than the scope (a loop stops there).
    for _ in 0..scope.machine.states.len() {
        let Some(index) = scope.machine.states.iter().position(|s| s.name == at) else { return };
        let state = &scope.machine.states[index].state;
        if state_language(state, scope.language) != QueryLanguage::JsonPath {
            return;
        }
        let pointer = &scope.state_pointers[index];
        let mut reads = Vec::new();
        match &state.data.input_path {
            Some(PathOrNull::Path(p)) if p.trim() != "$" => {
                if reads_a_field(p) {
                    reads.push((format!("{pointer}/InputPath"), p.as_str()));
                }
                warn(parallel, &reads, out);
                return;
            }
            Some(PathOrNull::Null) => return,
            _ => {}
        }
        state_reads(state, pointer, &mut reads);
        warn(parallel, &reads, out);
        if !hands_input_on(state) {
            return;
        }
        match &state.next {
            Some(n) => at = n,
            None => return,
        }
    }
}

fn warn(parallel: &str, reads: &[(String, &str)], out: &mut Vec<Diagnostic>) {
    for (pointer, path) in reads {
        report(
            out,
            Code::ArrayOutputField,
            pointer.clone(),
            format!(
                "`{path}` reads a field of the Parallel `{parallel}`'s output, which is an array (one element per branch): the run fails here (States.Runtime). Read an element (`$[0]…`), or give `{parallel}` a `ResultSelector` or a `ResultPath` such as `$.results`"
            ),
        );
    }
}

/// The paths of `state` read from its effective input, with their pointers (a Choice aside).
fn state_reads<'s>(state: &'s State, pointer: &str, reads: &mut Vec<(String, &'s str)>) {
    if let Some(parameters) = &state.data.parameters {
        template_reads(parameters, &format!("{pointer}/Parameters"), reads);
    }
    let mut fields: Vec<(&str, &Option<String>)> = Vec::new();
    match &state.kind {
        StateKind::Task(t) => fields.extend([("TimeoutSecondsPath", &t.timeout_seconds_path), ("HeartbeatSecondsPath", &t.heartbeat_seconds_path)]),
        StateKind::Wait(w) => fields.extend([("SecondsPath", &w.seconds_path), ("TimestampPath", &w.timestamp_path)]),
        StateKind::Fail(f) => fields.extend([("ErrorPath", &f.error_path), ("CausePath", &f.cause_path)]),
        StateKind::Map(m) => {
            fields.extend([
                ("ItemsPath", &m.items_path),
                ("MaxConcurrencyPath", &m.max_concurrency_path),
                ("ToleratedFailureCountPath", &m.tolerated_failure_count_path),
                ("ToleratedFailurePercentagePath", &m.tolerated_failure_percentage_path),
            ]);
            if let Some(selector) = &m.item_selector {
                template_reads(selector, &format!("{pointer}/ItemSelector"), reads);
            }
        }
        _ => {}
    }
    for (field, value) in fields {
        if let Some(p) = value
            && reads_a_field(p)
        {
            reads.push((format!("{pointer}/{field}"), p.as_str()));
        }
    }
}

/// The `"x.$": "$.field"` members of a payload template, at any depth.
fn template_reads<'n>(node: &'n Node, pointer: &str, reads: &mut Vec<(String, &'n str)>) {
    if let Some(members) = node.as_object() {
        for m in members {
            let p = format!("{pointer}/{}", escape_pointer_token(&m.key));
            match m.value.as_str() {
                Some(path) if m.key.ends_with(".$") => {
                    if reads_a_field(path) {
                        reads.push((p, path));
                    }
                }
                _ => template_reads(&m.value, &p, reads),
            }
        }
    } else if let Some(items) = node.as_array() {
        for (i, item) in items.iter().enumerate() {
            template_reads(item, &format!("{pointer}/{i}"), reads);
        }
    }
}

/// Whether a JSONPath's first step reads a named field of the root (`$.message`,
/// `$['message']`), which an array does not have. An index, a wildcard, a filter, a deep scan
/// and a function of the root (`$.length()`) are fine on an array.
fn reads_a_field(path: &str) -> bool {
    let path = path.trim();
    if let Some(rest) = path.strip_prefix("$.") {
        let name: String = rest.chars().take_while(|c| !matches!(c, '.' | '[' | '(')).collect();
        let after = rest[name.len()..].chars().next();
        return !name.is_empty() && name != "*" && after != Some('(');
    }
    path.starts_with("$['") || path.starts_with("$[\"")
}

/// Whether `state` hands its (whole) input on as its output: a Wait, or a Pass that sets
/// nothing, with no path but `$`.
fn hands_input_on(state: &State) -> bool {
    let d = &state.data;
    let plain = d.parameters.is_none() && whole(&d.result_path) && whole(&d.output_path);
    match &state.kind {
        StateKind::Wait(_) => whole(&d.output_path),
        StateKind::Pass(pass) => plain && pass.result.is_none(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::validate_text;

    fn warned(states: &str) -> Vec<String> {
        let text = format!(r#"{{"StartAt":"P","States":{{{states}}}}}"#);
        validate_text(&text).diagnostics.iter().filter(|d| d.code == Code::ArrayOutputField).map(|d| d.pointer.clone()).collect()
    }

    const PARALLEL: &str = r#""Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"message":"hi"},"End":true}}}]"#;

    #[test]
    fn a_field_of_a_parallels_array_is_warned_where_it_is_read() {
        let found = warned(&format!(r#""P":{{{PARALLEL},"Next":"T"}},"T":{{"Type":"Pass","Parameters":{{"m.$":"$.message","n":{{"k.$":"$['message']"}}}},"End":true}}"#));
        assert_eq!(found, ["/States/T/Parameters/m.$", "/States/T/Parameters/n/k.$"]);
        // Through a Wait and a bare Pass, to an InputPath and a Map's ItemsPath.
        let found = warned(&format!(r#""P":{{{PARALLEL},"Next":"W"}},"W":{{"Type":"Wait","Seconds":1,"Next":"B"}},"B":{{"Type":"Pass","Next":"I"}},"I":{{"Type":"Pass","InputPath":"$.message","End":true}}"#));
        assert_eq!(found, ["/States/I/InputPath"]);
        let found = warned(&format!(r#""P":{{{PARALLEL},"Next":"M"}},"M":{{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{{"StartAt":"X","States":{{"X":{{"Type":"Pass","End":true}}}}}},"End":true}}"#));
        assert_eq!(found, ["/States/M/ItemsPath"]);
    }

    #[test]
    fn reshaped_outputs_element_reads_and_choices_are_not_warned() {
        let reader = r#""T":{"Type":"Pass","Parameters":{"m.$":"$.message"},"End":true}"#;
        for reshape in [r#","ResultSelector":{"message.$":"$[0].message"}"#, r#","ResultPath":"$.results""#, r#","OutputPath":"$[0]""#, r#","ResultPath":null"#] {
            assert_eq!(warned(&format!(r#""P":{{{PARALLEL}{reshape},"Next":"T"}},{reader}"#)), Vec::<String>::new(), "{reshape}");
        }
        let fine = r#""T":{"Type":"Pass","Parameters":{"first.$":"$[0].message","all.$":"$","n.$":"$.length()","deep.$":"$..message","ctx.$":"$$.Execution.Id"},"End":true}"#;
        assert_eq!(warned(&format!(r#""P":{{{PARALLEL},"Next":"T"}},{fine}"#)), Vec::<String>::new());
        let choice = r#""C":{"Type":"Choice","Choices":[{"Variable":"$.message","IsPresent":true,"Next":"D"}],"Default":"D"},"D":{"Type":"Succeed"}"#;
        assert_eq!(warned(&format!(r#""P":{{{PARALLEL},"Next":"C"}},{choice}"#)), Vec::<String>::new());
        // A state that reshapes its input stops the walk: what comes after reads an object.
        let pass = r#""S":{"Type":"Pass","Parameters":{"all.$":"$"},"Next":"T"}"#;
        assert_eq!(warned(&format!(r#""P":{{{PARALLEL},"Next":"S"}},{pass},{reader}"#)), Vec::<String>::new());
    }
}
