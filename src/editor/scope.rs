//! Where a state lives: the path of nested state machines (Parallel branches, Map processors)
//! from the top, and the JSON pointer that names a state everywhere in the editor.

use crate::asl::json::{escape_pointer_token, lies_within};
use crate::asl::model::{State, StateKind, StateMachine};
use crate::asl::walk::{self, Nesting, Reach, Walk};

/// One step down into a nested state machine: the container state's name and, for a Parallel,
/// the branch index (always 0 for a Map's item processor).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct ScopeStep {
    pub state: String,
    pub branch: usize,
}

/// The path from the top-level machine to a nested one; empty for the top level.
pub type Scope = Vec<ScopeStep>;

/// A state by its scope and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
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
        let (how, inner) = match state.map(|s| (&s.kind, walk::child(s, step.branch))) {
            Some((_, Some((how, inner)))) => (how, Some(inner)),
            // A Map's processor is named even before it is written.
            Some((StateKind::Map(_), None)) => (Nesting::ItemProcessor, None),
            _ => (Nesting::Branch(step.branch), None),
        };
        out.push('/');
        out.push_str(&how.field());
        machine = inner;
    }
    out
}

/// The machine at `scope`, if every step exists.
pub fn machine_at<'m>(root: &'m StateMachine, scope: &[ScopeStep]) -> Option<&'m StateMachine> {
    let mut machine = root;
    for step in scope {
        machine = walk::child(machine.state(&step.state)?, step.branch)?.1;
    }
    Some(machine)
}

/// The machine at `scope`, to edit.
pub fn machine_at_mut<'m>(root: &'m mut StateMachine, scope: &[ScopeStep]) -> Option<&'m mut StateMachine> {
    let mut machine = root;
    for step in scope {
        machine = walk::child_mut(machine.state_mut(&step.state)?, step.branch)?.1;
    }
    Some(machine)
}

/// The nested machines of a state that run, with their branch indexes: Parallel branches or a
/// Map's processor.
pub fn children(state: &State) -> Vec<(usize, &StateMachine)> {
    walk::nested(state, Reach::Run).into_iter().map(|(how, m)| (how.index(), m)).collect()
}

/// The scope of a walk's scope: its containers as editor steps.
pub fn scope_of(scope: &walk::Scope) -> Scope {
    scope.path.iter().map(|(state, how)| ScopeStep { state: state.to_string(), branch: how.index() }).collect()
}

/// Every state name used anywhere in the machine, nested ones included.
pub fn all_names(root: &StateMachine) -> Vec<String> {
    Walk::new(root, Reach::Run).depth_first().map(|v| v.name.to_string()).collect()
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
/// with duplicates, the first found top-down: a scope's states before its nested scopes').
pub fn find_by_name(root: &StateMachine, name: &str) -> Option<StateRef> {
    let walk = Walk::new(root, Reach::Run);
    let scope = walk.scopes.iter().find(|s| s.machine.states.iter().any(|st| st.name == name))?;
    Some(StateRef { scope: scope_of(scope), name: name.to_string() })
}

/// `pointer` and each prefix of it that ends before a '/', shortest first: the pointers of
/// everything a diagnostic at `pointer` lies within, as a scene names its nodes (a state's node
/// id is its pointer), so that a lookup of each finds the nodes it falls in.
pub fn enclosing_pointers(pointer: &str) -> impl Iterator<Item = &str> {
    pointer.match_indices('/').map(|(i, _)| i).chain(std::iter::once(pointer.len())).map(move |end| &pointer[..end])
}


/// The state that a JSON pointer (of a diagnostic, say) falls in: the deepest state whose pointer
/// is a prefix of it.
pub fn state_at_pointer(root: &StateMachine, pointer: &str) -> Option<StateRef> {
    let walk = Walk::new(root, Reach::Run);
    let visit = walk.depth_first().filter(|v| lies_within(pointer, v.pointer)).last()?;
    Some(StateRef { scope: scope_of(&walk.scopes[visit.scope]), name: visit.name.to_string() })
}

/// Where a JSON pointer (a diagnostic's) is, in words: the innermost state it lies in and the
/// field inside it, `Disable Termination › Parameters.DisableApiTermination.Value` (an item of a
/// list as `Catch[0].Next`); outside any state, the field alone (`StartAt`); empty for the whole
/// definition. A line:column says where in the text; this says where in the workflow.
pub fn describe_pointer(root: &StateMachine, pointer: &str) -> String {
    describe_pointers(root, [pointer]).pop().unwrap_or_default()
}

/// [`describe_pointer`] for each of `pointers` (a definition's diagnostics), walking the
/// machine once.
pub fn describe_pointers<'p>(root: &StateMachine, pointers: impl IntoIterator<Item = &'p str>) -> Vec<String> {
    let walk = Walk::new(root, Reach::Run);
    let states: Vec<(&str, &str)> = walk.depth_first().map(|v| (v.pointer, v.name)).collect();
    pointers.into_iter().map(|p| describe_within(&states, p)).collect()
}

/// `pointer` in words, given every state's `(pointer, name)` depth first.
fn describe_within(states: &[(&str, &str)], pointer: &str) -> String {
    let (name, rest) = match states.iter().filter(|(p, _)| lies_within(pointer, p)).last() {
        Some((p, name)) => (Some(*name), &pointer[p.len()..]),
        None => (None, pointer),
    };
    let mut path = String::new();
    for token in rest.split('/').skip(1) {
        let token = crate::asl::json::pointer_token(token);
        if !path.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) && !token.is_empty() {
            path.push_str(&format!("[{token}]"));
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&token);
        }
    }
    match name {
        Some(name) if path.is_empty() => name.to_string(),
        Some(name) => format!("{name} › {path}"),
        None => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::lower::lower_text;

    #[test]
    fn a_pointer_is_said_as_its_state_and_the_field_inside_it() {
        let root = machine(NESTED);
        let said = |p: &str| describe_pointer(&root, p);
        assert_eq!(said("/States/P/Branches/1/States/M/Iterator/States/a~1b/Type"), "a/b › Type");
        assert_eq!(said("/States/P/Branches/1/States/M"), "M");
        assert_eq!(said("/States/P/Branches/0/StartAt"), "P › Branches[0].StartAt");
        assert_eq!(said("/States/P/Catch/0/ErrorEquals/1"), "P › Catch[0].ErrorEquals[1]");
        assert_eq!(said("/StartAt"), "StartAt");
        assert_eq!(said(""), "");
        // A state's own name that looks like an index stays a name.
        let root = machine(r#"{"StartAt":"7","States":{"7":{"Type":"Pass","Parameters":{"a~b":{"0":1}},"End":true}}}"#);
        assert_eq!(describe_pointer(&root, "/States/7/Parameters/a~0b/0"), "7 › Parameters.a~b[0]");
    }

    fn machine(text: &str) -> StateMachine {
        lower_text(text).expect("json").1.machine
    }

    const NESTED: &str = r#"{"StartAt":"P","States":{
        "P":{"Type":"Parallel","Branches":[
            {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
            {"StartAt":"M","States":{"M":{"Type":"Map","Iterator":{"StartAt":"a/b","States":{"a/b":{"Type":"Succeed"}}},"End":true}}}
        ],"End":true}}}"#;

    #[test]
    fn a_pointer_lies_within_each_of_its_prefixes_that_end_before_a_slash() {
        let all: Vec<&str> = enclosing_pointers("/States/P/Branches/0/States/A/Next").collect();
        assert_eq!(all, ["", "/States", "/States/P", "/States/P/Branches", "/States/P/Branches/0", "/States/P/Branches/0/States", "/States/P/Branches/0/States/A", "/States/P/Branches/0/States/A/Next"]);
        assert_eq!(enclosing_pointers("").collect::<Vec<_>>(), [""]);
    }

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
