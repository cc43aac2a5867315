//! Graph rules: `StartAt` and every transition name a state of the same scope; no transition
//! leaves a Parallel branch or Map processor; every state is named by `StartAt` or a transition
//! (AWS's "not reachable"); the top level holds a terminal state; state names are unique across
//! nesting and well formed.

use super::{Scope, report};
use crate::asl::diag::{Code, Diagnostic};
use std::collections::HashMap;

/// State names to what the rules know of them, hashed with FNV: names are short, and SipHash
/// costs more than the rest of the graph rules on a 500-state machine.
type ByName<'m, V> = HashMap<&'m str, V, std::hash::BuildHasherDefault<crate::asl::fnv::Fnv>>;

/// Runs the graph rules over every scope.
pub fn check(scopes: &[Scope], out: &mut Vec<Diagnostic>) {
    // Which scope each name lives in (first one), to tell escapes from unknown names.
    let states = scopes.iter().map(|s| s.machine.states.len()).sum();
    let mut home: ByName<(usize, &str)> = ByName::with_capacity_and_hasher(states, Default::default());
    for (index, scope) in scopes.iter().enumerate() {
        for (named, pointer) in scope.machine.states.iter().zip(&scope.state_pointers) {
            check_name(&named.name, pointer, out);
            match home.get(named.name.as_str()) {
                Some((other, first)) if *other != index => report(
                    out,
                    Code::DuplicateStateName,
                    pointer,
                    format!("Duplicate State name: {} (the name is already used at {first}; names must be unique in the whole machine)", named.name),
                ),
                Some(_) => {}
                None => {
                    home.insert(&named.name, (index, pointer));
                }
            }
        }
    }
    for (index, scope) in scopes.iter().enumerate() {
        check_scope(index, scope, &home, out);
    }
}

fn check_name(name: &str, pointer: &str, out: &mut Vec<Diagnostic>) {
    let length = name.chars().count();
    let message = if length == 0 {
        "a state name cannot be empty".to_string()
    } else if length > 80 {
        // AWS's words: "INVALID_STATE_NAME: Invalid State name: State exceeds the 80-character
        // limit allowed by the service" (a deployment's refusal quoted in a CDK construct's docs).
        format!("Invalid State name: State exceeds the 80-character limit allowed by the service (the name is {length} characters long)")
    } else if let Some(c) = name.chars().find(|c| c.is_control()) {
        // Only control characters: spaces, `?`, `:` and the like are fine in *state* names
        // (Workflow Studio's own defaults are "Lambda Invoke", "Pass (1)"). The stricter
        // character list of the API reference applies to state machine and execution names.
        format!("the state name `{name}` contains the forbidden character {c:?}")
    } else {
        return;
    };
    report(out, Code::StateName, pointer, message);
}

fn check_scope(index: usize, scope: &Scope, home: &ByName<(usize, &str)>, out: &mut Vec<Diagnostic>) {
    let machine = scope.machine;
    let by_name: ByName<usize> = machine.states.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let where_ = match scope.kind {
        super::ScopeKind::Top => "the state machine",
        super::ScopeKind::Branch => "this Parallel branch",
        super::ScopeKind::Processor => "this Map processor",
    };
    let unknown = |target: &str, pointer: String, out: &mut Vec<Diagnostic>| match home.get(target) {
        Some((other, _)) if *other != index => report(
            out,
            Code::BranchEscape,
            pointer,
            format!("`{target}` is not in {where_}; a transition cannot leave or enter a Parallel branch or Map processor"),
        ),
        // AWS says "Missing 'Next' target" whichever field names it (`Default`, a catcher's `Next`).
        _ => report(out, Code::UnknownTarget, pointer, format!("Missing 'Next' target: {target} (there is no state named `{target}` in {where_})")),
    };
    // Whether `StartAt` names a state the scope does not hold: AWS then names no state from the
    // start, and a state no transition names is unreachable ("Missing 'Next' target: X at
    // /StartAt, ... State "Y" is not reachable. at /States/Y", serverless-step-functions#250).
    let mut start_missing = false;
    let start = match &machine.start_at {
        Some(start) => match by_name.get(start.as_str()) {
            Some(&i) => Some(i),
            // Without states, the missing or empty `States` is the one problem (AWS names no other).
            None if machine.states.is_empty() => None,
            None => {
                unknown(start, format!("{}/StartAt", scope.pointer), out);
                start_missing = true;
                None
            }
        },
        None => None,
    };
    // Edges, and the unknown targets while at it.
    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(machine.states.len());
    for (named, pointer) in machine.states.iter().zip(&scope.state_pointers) {
        let mut to = Vec::new();
        for (field, target) in named.state.transitions() {
            match by_name.get(target) {
                Some(&i) => to.push(i),
                None => unknown(target, format!("{pointer}{field}"), out),
            }
        }
        edges.push(to);
    }
    // AWS's MISSING_END_STATE: a workflow whose top-level States has no terminal state
    // (Succeed, Fail, `"End": true`), reachable or not. Only the top level: a Parallel branch or
    // Map processor that loops forever is accepted. AWS then reports no unreachable state.
    // (Without states, the missing or empty `States` is the problem.)
    if matches!(scope.kind, super::ScopeKind::Top) && !machine.states.is_empty() && !machine.states.iter().any(|s| s.state.is_terminal()) {
        // AWS names no place ("at null"); ours is the start of the workflow.
        report(out, Code::NoTerminalState, format!("{}/StartAt", scope.pointer), "Workflow has no terminal state (no Succeed, Fail or \"End\": true state)");
        return;
    }
    if start.is_none() && !start_missing {
        return;
    }
    // AWS's "not reachable" is a state that no transition of its scope names: neither `StartAt`
    // nor any state's `Next`, `Default`, rule or catcher, reachable or not. A state named only by
    // one that nothing reaches is not reported: with `StartAt` naming no state, AWS reports "Pass
    // One", which nothing names, and not "Success", which "Pass One" names (aws-cloudformation/
    // cfn-lint#4074, CreateStateMachine's answer quoted in full).
    let mut named = vec![false; machine.states.len()];
    if let Some(i) = start {
        named[i] = true;
    }
    for to in &edges {
        for &j in to {
            named[j] = true;
        }
    }
    for (i, state) in machine.states.iter().enumerate() {
        // A name written twice is reported as a duplicate key; judge only the one that counts.
        if by_name.get(state.name.as_str()) != Some(&i) || named[i] {
            continue;
        }
        report(
            out,
            Code::UnreachableState,
            scope.state_pointers[i].as_str(),
            format!("State \"{}\" is not reachable. (neither `StartAt` nor any transition names it)", state.name),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::asl::diag::Code;
    use crate::asl::validate::errors_of as errors;

    #[test]
    fn a_workflow_without_a_terminal_state_is_that_one_problem() {
        // A loop and a state nothing reaches: AWS names the missing end, not the unreachable state.
        let found = errors(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"Unused":{"Type":"Pass","Next":"A"}}}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, Code::NoTerminalState);
        assert!(found[0].2.starts_with("Workflow has no terminal state"), "{found:?}");
        assert_eq!(Code::NoTerminalState.aws_code(), Some("MISSING_END_STATE"));
    }

    #[test]
    fn an_unreachable_terminal_state_is_unreachable_not_a_missing_end() {
        let found = errors(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"},"C":{"Type":"Pass","End":true}}}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::UnreachableState, "/States/C"));
        assert!(found[0].2.starts_with("State \"C\" is not reachable."), "{found:?}");
        assert_eq!(Code::UnreachableState.aws_code(), Some("MISSING_TRANSITION_TARGET"));
    }

    #[test]
    fn only_a_state_no_transition_names_is_unreachable() {
        // `X` is named by nothing, `Y` only by `X`: AWS reports `X` alone (cfn-lint#4074's answer).
        let found = errors(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"X":{"Type":"Pass","Next":"Y"},"Y":{"Type":"Pass","Next":"Y"}}}"#);
        let pointers: Vec<&str> = found.iter().map(|e| e.1.as_str()).collect();
        assert_eq!(pointers, ["/States/X"], "{found:?}");
        // A catcher's `Next` and a Choice's `Default` name their states too.
        let named = r#"{"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"T"}],"Default":"D"},"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true},"D":{"Type":"Succeed"},"H":{"Type":"Fail"}}}"#;
        assert_eq!(errors(named), vec![]);
    }

    #[test]
    fn a_map_processor_or_branch_that_loops_forever_is_accepted() {
        let map = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}},"End":true}}}"#;
        assert_eq!(errors(map), vec![]);
        let branch = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"Next":"A"}}}],"End":true}}}"#;
        assert_eq!(errors(branch), vec![]);
        // An unreachable state inside one is still refused, where it is.
        let unreachable = r#"{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true},"Ghost":{"Type":"Pass","End":true}}},"End":true}}}"#;
        let found = errors(unreachable);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].1, "/States/M/ItemProcessor/States/Ghost");
    }

    #[test]
    fn a_missing_target_is_named_in_aws_words_at_the_field_that_names_it() {
        let found = errors(r#"{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":true,"Next":"Z"}],"Default":"Ghost"},"Z":{"Type":"Pass","End":true}}}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::UnknownTarget, "/States/A/Default"));
        assert!(found[0].2.starts_with("Missing 'Next' target: Ghost"), "{found:?}");
        // With no terminal state as well, both are reported.
        let both = errors(r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"NOPE"}}}"#);
        let codes: Vec<Code> = both.iter().map(|e| e.0).collect();
        assert!(codes.contains(&Code::UnknownTarget) && codes.contains(&Code::NoTerminalState), "{both:?}");
    }

    #[test]
    fn a_field_a_state_does_not_take_is_not_supported_in_aws_words() {
        let found = errors(r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","TimeoutSeconds":5,"Branches":[{"StartAt":"W","States":{"W":{"Type":"Succeed"}}}],"End":true}}}"#);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].0, found[0].1.as_str()), (Code::FieldNotAllowed, "/States/P/TimeoutSeconds"));
        assert!(found[0].2.starts_with("Field 'TimeoutSeconds' is not supported"), "{found:?}");
    }
}
