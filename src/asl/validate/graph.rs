//! Graph rules: `StartAt` and every transition name a state of the same scope; no transition
//! leaves a Parallel branch or Map processor; every state is reachable from `StartAt` by a real
//! walk; a terminal state is reachable; state names are unique across nesting and well formed.

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
                    format!("the state name `{}` is already used at {first}; names must be unique in the whole machine", named.name),
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
        format!("the state name is {length} characters long; the limit is 80")
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
        _ => report(out, Code::UnknownTarget, pointer, format!("there is no state named `{target}` in {where_}")),
    };
    let start = match &machine.start_at {
        Some(start) => match by_name.get(start.as_str()) {
            Some(&i) => Some(i),
            // Without states, the missing or empty `States` is the one problem (AWS names no other).
            None if machine.states.is_empty() => None,
            None => {
                unknown(start, format!("{}/StartAt", scope.pointer), out);
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
    let Some(start) = start else { return };
    let mut reached = vec![false; machine.states.len()];
    let mut stack = vec![start];
    reached[start] = true;
    while let Some(i) = stack.pop() {
        for &j in &edges[i] {
            if !reached[j] {
                reached[j] = true;
                stack.push(j);
            }
        }
    }
    let mut terminal_reached = false;
    for (i, named) in machine.states.iter().enumerate() {
        // A name written twice is reported as a duplicate key; judge only the one that counts.
        if by_name.get(named.name.as_str()) != Some(&i) {
            continue;
        }
        if reached[i] {
            terminal_reached |= named.state.is_terminal();
        } else {
            report(
                out,
                Code::UnreachableState,
                scope.state_pointers[i].as_str(),
                format!("no transition from `StartAt` reaches the state `{}`", named.name),
            );
        }
    }
    if !terminal_reached {
        report(
            out,
            Code::NoTerminalState,
            format!("{}/StartAt", scope.pointer),
            format!("no terminal state (Succeed, Fail or \"End\": true) can be reached in {where_}"),
        );
    }
}
