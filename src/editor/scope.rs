//! Where a state lives: the path of nested state machines (Parallel branches, Map processors)
//! from the top, and the JSON pointer that names a state everywhere in the editor.

use crate::asl::json::escape_pointer_token;
use crate::asl::model::{State, StateKind, StateMachine};

/// One step down into a nested state machine: the container state's name and, for a Parallel,
/// the branch index (always 0 for a Map's item processor).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeStep {
    pub state: String,
    pub branch: usize,
}

/// The path from the top-level machine to a nested one; empty for the top level.
pub type Scope = Vec<ScopeStep>;

/// A state by its scope and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StateRef {
    pub scope: Scope,
    pub name: String,
}

impl StateRef {
    /// A top-level state.
    pub fn top(name: impl Into<String>) -> Self {
        StateRef { scope: Vec::new(), name: name.into() }
    }

    /// The JSON pointer of the state in `root` (needs the machine to tell Map's `Iterator` from
    /// `ItemProcessor`); this is the state's id in the editor.
    pub fn pointer(&self, root: &StateMachine) -> String {
        let mut out = scope_pointer(root, &self.scope);
        out.push_str("/States/");
        out.push_str(&escape_pointer_token(&self.name));
        out
    }

    /// The state this names in `root`, when it is there.
    pub fn resolve<'m>(&self, root: &'m StateMachine) -> Option<&'m State> {
        machine_at(root, &self.scope)?.state(&self.name)
    }
}

/// The JSON pointer of the machine at `scope` ("" for the top level).
pub fn scope_pointer(root: &StateMachine, scope: &[ScopeStep]) -> String {
    let mut out = String::new();
    let mut machine = Some(root);
    for step in scope {
        out.push_str("/States/");
        out.push_str(&escape_pointer_token(&step.state));
        let state = machine.and_then(|m| m.state(&step.state));
        match state.map(|s| &s.kind) {
            Some(StateKind::Map(map)) => {
                let field = if map.item_processor.is_none() && map.iterator.is_some() { "Iterator" } else { "ItemProcessor" };
                out.push('/');
                out.push_str(field);
                machine = map.processor();
            }
            Some(StateKind::Parallel(p)) => {
                out.push_str(&format!("/Branches/{}", step.branch));
                machine = p.branches.as_ref().and_then(|b| b.get(step.branch));
            }
            _ => {
                out.push_str(&format!("/Branches/{}", step.branch));
                machine = None;
            }
        }
    }
    out
}

/// The machine at `scope`, if every step exists.
pub fn machine_at<'m>(root: &'m StateMachine, scope: &[ScopeStep]) -> Option<&'m StateMachine> {
    let mut machine = root;
    for step in scope {
        machine = match &machine.state(&step.state)?.kind {
            StateKind::Parallel(p) => p.branches.as_ref()?.get(step.branch)?,
            StateKind::Map(m) if step.branch == 0 => m.processor()?,
            _ => return None,
        };
    }
    Some(machine)
}

/// The machine at `scope`, to edit.
pub fn machine_at_mut<'m>(root: &'m mut StateMachine, scope: &[ScopeStep]) -> Option<&'m mut StateMachine> {
    let mut machine = root;
    for step in scope {
        machine = match &mut machine.state_mut(&step.state)?.kind {
            StateKind::Parallel(p) => p.branches.as_mut()?.get_mut(step.branch)?,
            StateKind::Map(m) if step.branch == 0 => {
                if m.item_processor.is_some() {
                    m.item_processor.as_deref_mut()?
                } else {
                    m.iterator.as_deref_mut()?
                }
            }
            _ => return None,
        };
    }
    Some(machine)
}

/// The nested machines of a state, with their branch indexes: Parallel branches or a Map's processor.
pub fn children(kind: &StateKind) -> Vec<(usize, &StateMachine)> {
    match kind {
        StateKind::Parallel(p) => p.branches.iter().flatten().enumerate().collect(),
        StateKind::Map(m) => m.processor().map(|p| (0, p)).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Every state name used anywhere in the machine, nested ones included.
pub fn all_names(root: &StateMachine) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(m: &StateMachine, out: &mut Vec<String>) {
        for s in &m.states {
            out.push(s.name.clone());
            for (_, child) in children(&s.state.kind) {
                walk(child, out);
            }
        }
    }
    walk(root, &mut out);
    out
}

/// `base`, or `base2`, `base3`... : the first that no state anywhere in `root` is named,
/// nor any name in `taken`. AWS wants names unique across the whole machine.
pub fn unique_name(root: &StateMachine, base: &str, taken: &[String]) -> String {
    let names = all_names(root);
    let free = |n: &str| !names.iter().any(|x| x == n) && !taken.iter().any(|x| x == n);
    if free(base) {
        return base.to_string();
    }
    (2..).map(|i| format!("{base}{i}")).find(|n| free(n)).expect("an unbounded range has a free name")
}

/// The state named `name`, wherever it is nested (AWS wants names unique in the whole machine;
/// with duplicates, the first found top-down).
pub fn find_by_name(root: &StateMachine, name: &str) -> Option<StateRef> {
    fn walk(m: &StateMachine, scope: &Scope, name: &str) -> Option<StateRef> {
        if m.states.iter().any(|s| s.name == name) {
            return Some(StateRef { scope: scope.clone(), name: name.to_string() });
        }
        m.states.iter().find_map(|s| {
            children(&s.state.kind).into_iter().find_map(|(branch, child)| {
                let mut inner = scope.clone();
                inner.push(ScopeStep { state: s.name.clone(), branch });
                walk(child, &inner, name)
            })
        })
    }
    walk(root, &Vec::new(), name)
}

/// The state that a JSON pointer (of a diagnostic, say) falls in: the deepest state whose pointer
/// is a prefix of it.
pub fn state_at_pointer(root: &StateMachine, pointer: &str) -> Option<StateRef> {
    let mut best: Option<StateRef> = None;
    fn walk(root: &StateMachine, m: &StateMachine, scope: &Scope, pointer: &str, best: &mut Option<StateRef>) {
        for s in &m.states {
            let r = StateRef { scope: scope.clone(), name: s.name.clone() };
            let p = r.pointer(root);
            if pointer == p || pointer.starts_with(&(p.clone() + "/")) {
                *best = Some(r);
                for (branch, child) in children(&s.state.kind) {
                    let mut inner = scope.clone();
                    inner.push(ScopeStep { state: s.name.clone(), branch });
                    walk(root, child, &inner, pointer, best);
                }
            }
        }
    }
    walk(root, root, &Vec::new(), pointer, &mut best);
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::lower::lower_text;

    fn machine(text: &str) -> StateMachine {
        lower_text(text).expect("json").1.machine
    }

    const NESTED: &str = r#"{"StartAt":"P","States":{
        "P":{"Type":"Parallel","Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
            {"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"a/b","States":{"a/b":{"Type":"Succeed"}}},"End":true}}}
        ],"End":true}}}"#;

    #[test]
    fn pointers_follow_branches_and_both_processor_names() {
        let m = machine(NESTED);
        let deep = StateRef {
            scope: vec![ScopeStep { state: "P".into(), branch: 1 }, ScopeStep { state: "M".into(), branch: 0 }],
            name: "a/b".into(),
        };
        assert_eq!(deep.pointer(&m), "/States/P/Branches/1/States/M/Iterator/States/a~1b");
        assert!(machine_at(&m, &deep.scope).unwrap().state("a/b").is_some());
        assert_eq!(state_at_pointer(&m, "/States/P/Branches/1/States/M/Iterator/States/a~1b/Type"), Some(deep.clone()));
        assert_eq!(state_at_pointer(&m, "/States/P/Branches/0"), Some(StateRef::top("P")));
        assert_eq!(state_at_pointer(&m, "/StartAt"), None);
        assert_eq!(find_by_name(&m, "a/b").map(|r| r.scope), Some(deep.scope));
        assert_eq!(find_by_name(&m, "P"), Some(StateRef::top("P")));
        assert_eq!(find_by_name(&m, "nowhere"), None);
    }

    #[test]
    fn unique_names_look_in_every_scope() {
        let m = machine(NESTED);
        assert_eq!(unique_name(&m, "Task", &[]), "Task");
        assert_eq!(unique_name(&m, "A", &[]), "A2");
        assert_eq!(unique_name(&m, "A", &["A2".into()]), "A3");
    }
}
