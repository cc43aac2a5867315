//! The one walk over nested state machines: the sets of states a definition holds (the top
//! level, each Parallel branch, a Map's item processor under its old name `Iterator` or its new
//! one `ItemProcessor`), each with its JSON pointer, its query language, its parent and the path
//! of containers from the top; and every state in them with its pointer and effective language.
//!
//! Everything that goes down into nested machines goes through here (the validator, the
//! compiler, the editor's scopes and conversion, the exporters' resource scan), so that which
//! machines there are and how they are named is decided once. [`nested`] and [`nested_mut`] are
//! one state's children; [`Walk`] is the whole tree, read once.
//!
//! What a walk enters is a [`Reach`]: a Map that writes both `Iterator` and `ItemProcessor` has
//! two written processors (the validator checks both, and reports the pair) but runs one
//! (`ItemProcessor`, as AWS does).

use crate::asl::json::escape_pointer_token;
use crate::asl::model::{Map, QueryLanguage, State, StateKind, StateMachine};

/// Where a nested state machine hangs off its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nesting {
    /// `Branches/{i}` of a Parallel.
    Branch(usize),
    /// A Map's item processor under its old name.
    Iterator,
    /// A Map's item processor.
    ItemProcessor,
}

impl Nesting {
    /// The field path below the state: `Branches/2`, `Iterator`, `ItemProcessor`.
    pub fn field(self) -> String {
        match self {
            Nesting::Branch(i) => format!("Branches/{i}"),
            Nesting::Iterator => "Iterator".into(),
            Nesting::ItemProcessor => "ItemProcessor".into(),
        }
    }

    /// The pointer of the nested machine, below the pointer of its state.
    pub fn pointer(self, state_pointer: &str) -> String {
        let field = self.field();
        let mut out = String::with_capacity(state_pointer.len() + 1 + field.len());
        out.push_str(state_pointer);
        out.push('/');
        out.push_str(&field);
        out
    }

    /// The branch's index; 0 for a Map's processor (a Map has one).
    pub fn index(self) -> usize {
        match self {
            Nesting::Branch(i) => i,
            Nesting::Iterator | Nesting::ItemProcessor => 0,
        }
    }

    /// What kind of set of states this nesting holds.
    pub fn kind(self) -> ScopeKind {
        match self {
            Nesting::Branch(_) => ScopeKind::Branch,
            Nesting::Iterator | Nesting::ItemProcessor => ScopeKind::Processor,
        }
    }
}

/// Which nested machines a walk enters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every one written: a Map with both `Iterator` and `ItemProcessor` gives both, `Iterator`
    /// first (the validator checks every state written).
    Written,
    /// The ones an execution runs: a Map's `ItemProcessor`, or its `Iterator` when it has none.
    Run,
}

/// The processor a Map runs, and under which name it is written.
pub fn processor(map: &Map) -> Option<(Nesting, &StateMachine)> {
    match (&map.item_processor, &map.iterator) {
        (Some(p), _) => Some((Nesting::ItemProcessor, p)),
        (None, Some(p)) => Some((Nesting::Iterator, p)),
        (None, None) => None,
    }
}

/// [`processor`], to edit.
pub fn processor_mut(map: &mut Map) -> Option<(Nesting, &mut StateMachine)> {
    match (&mut map.item_processor, &mut map.iterator) {
        (Some(p), _) => Some((Nesting::ItemProcessor, p)),
        (None, Some(p)) => Some((Nesting::Iterator, p)),
        (None, None) => None,
    }
}

/// The nested machines of `state` that `reach` enters, in the order they are written: a
/// Parallel's branches; a Map's processor (both names under [`Reach::Written`]).
pub fn nested(state: &State, reach: Reach) -> Vec<(Nesting, &StateMachine)> {
    match &state.kind {
        StateKind::Parallel(p) => p.branches.iter().flatten().enumerate().map(|(i, b)| (Nesting::Branch(i), b)).collect(),
        StateKind::Map(m) => match reach {
            Reach::Run => processor(m).into_iter().collect(),
            Reach::Written => {
                let old = m.iterator.as_deref().map(|p| (Nesting::Iterator, p));
                let new = m.item_processor.as_deref().map(|p| (Nesting::ItemProcessor, p));
                old.into_iter().chain(new).collect()
            }
        },
        _ => Vec::new(),
    }
}

/// [`nested`], to edit.
pub fn nested_mut(state: &mut State, reach: Reach) -> Vec<(Nesting, &mut StateMachine)> {
    match &mut state.kind {
        StateKind::Parallel(p) => p.branches.iter_mut().flatten().enumerate().map(|(i, b)| (Nesting::Branch(i), b)).collect(),
        StateKind::Map(m) => match reach {
            Reach::Run => processor_mut(m).into_iter().collect(),
            Reach::Written => {
                let old = m.iterator.as_deref_mut().map(|p| (Nesting::Iterator, p));
                let new = m.item_processor.as_deref_mut().map(|p| (Nesting::ItemProcessor, p));
                old.into_iter().chain(new).collect()
            }
        },
        _ => Vec::new(),
    }
}

/// The nested machine that runs at `index` of `state`: branch `index` of a Parallel, the
/// processor of a Map when `index` is 0.
pub fn child(state: &State, index: usize) -> Option<(Nesting, &StateMachine)> {
    match &state.kind {
        StateKind::Parallel(p) => p.branches.as_ref()?.get(index).map(|b| (Nesting::Branch(index), b)),
        StateKind::Map(m) if index == 0 => processor(m),
        _ => None,
    }
}

/// [`child`], to edit.
pub fn child_mut(state: &mut State, index: usize) -> Option<(Nesting, &mut StateMachine)> {
    match &mut state.kind {
        StateKind::Parallel(p) => p.branches.as_mut()?.get_mut(index).map(|b| (Nesting::Branch(index), b)),
        StateKind::Map(m) if index == 0 => processor_mut(m),
        _ => None,
    }
}

/// The query language of the states of `machine`, a set of states nested in (or at) a scope
/// whose states default to `outer` (JSONPath above the top level): the machine's own
/// `QueryLanguage` when it writes one, else `outer`. This is the one place the rule lives:
/// a state that writes no `QueryLanguage` takes its machine's, and a nested machine takes the
/// one of the machine it is nested in, never the enclosing Map's or Parallel's own. AWS's
/// Developer Guide: "If not provided for the state machine, the default value for each state is
/// JSONPath"; the CDK's reference for every state: "If the state does not contain a
/// queryLanguage field, then it will use the query language specified in the top-level
/// queryLanguage field"; floci-io/floci #2968 (fixed by #2972), measured against AWS: a state in a
/// JSONata Map's `ItemProcessor` or a JSONata Parallel's `Branches` of a JSONPath machine runs as
/// JSONPath. The validator, the compiler and the editor's conversion all read it through here.
pub fn scope_language(machine: &StateMachine, outer: QueryLanguage) -> QueryLanguage {
    machine.query_language.unwrap_or(outer)
}

/// The effective query language of `state` in a scope whose language is `scope` (see
/// [`scope_language`]): its own `QueryLanguage`, else the scope's.
pub fn state_language(state: &State, scope: QueryLanguage) -> QueryLanguage {
    state.query_language.unwrap_or(scope)
}

/// Where a set of states sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    Top,
    Branch,
    Processor,
}

/// One set of states (the top level, a Parallel branch, a Map processor) and where it is.
#[derive(Debug)]
pub struct Scope<'m> {
    pub machine: &'m StateMachine,
    /// The pointer of the object holding `StartAt` and `States` (`""` at the top).
    pub pointer: String,
    /// The query language its states default to.
    pub language: QueryLanguage,
    /// The index of the enclosing scope in the walk.
    pub parent: Option<usize>,
    /// The index, among the parent's states, of the Parallel or Map state that holds this scope.
    pub enclosing_state: Option<usize>,
    pub kind: ScopeKind,
    /// How it hangs off its container (`None` at the top).
    pub nesting: Option<Nesting>,
    /// The containers from the top: each one's name and how this scope is nested in it.
    pub path: Vec<(&'m str, Nesting)>,
    /// The pointer of each state, in the order of `machine.states`.
    pub state_pointers: Vec<String>,
}

impl Scope<'_> {
    /// Whether scope `index` is this one's ancestor (or itself), within `scopes`.
    pub fn sees(scopes: &[Scope], from: usize, index: usize) -> bool {
        let mut at = Some(from);
        while let Some(i) = at {
            if i == index {
                return true;
            }
            at = scopes[i].parent;
        }
        false
    }
}

/// One state met by a walk.
#[derive(Debug, Clone, Copy)]
pub struct Visit<'w, 'm> {
    /// Its scope's index in [`Walk::scopes`].
    pub scope: usize,
    /// Its index in its scope's states.
    pub index: usize,
    pub name: &'m str,
    pub state: &'m State,
    pub pointer: &'w str,
    /// Its effective query language: its own `QueryLanguage`, else its scope's.
    pub language: QueryLanguage,
}

/// A definition's scopes, read once: the top level first, each scope before the scopes nested
/// in its states (in the order of its states).
#[derive(Debug)]
pub struct Walk<'m> {
    pub scopes: Vec<Scope<'m>>,
    /// For each state in depth-first order (a state, then the states nested in it, then the
    /// next state): its scope and index.
    order: Vec<(usize, usize)>,
}

impl<'m> Walk<'m> {
    /// Walks `machine`, entering what `reach` enters.
    pub fn new(machine: &'m StateMachine, reach: Reach) -> Walk<'m> {
        let mut walk = Walk { scopes: Vec::new(), order: Vec::new() };
        walk.enter(machine, String::new(), QueryLanguage::JsonPath, None, None, Vec::new(), reach);
        walk
    }

    #[allow(clippy::too_many_arguments)]
    fn enter(
        &mut self,
        machine: &'m StateMachine,
        pointer: String,
        inherited: QueryLanguage,
        parent: Option<(usize, usize)>,
        nesting: Option<Nesting>,
        path: Vec<(&'m str, Nesting)>,
        reach: Reach,
    ) {
        let language = scope_language(machine, inherited);
        let index = self.scopes.len();
        let state_pointers: Vec<String> = machine.states.iter().map(|s| state_pointer(&pointer, &s.name)).collect();
        let kind = nesting.map_or(ScopeKind::Top, Nesting::kind);
        self.scopes.push(Scope {
            machine,
            pointer,
            language,
            parent: parent.map(|p| p.0),
            enclosing_state: parent.map(|p| p.1),
            kind,
            nesting,
            path: path.clone(),
            state_pointers,
        });
        for (i, named) in machine.states.iter().enumerate() {
            self.order.push((index, i));
            for (how, child) in nested(&named.state, reach) {
                let child_pointer = how.pointer(&self.scopes[index].state_pointers[i]);
                let mut child_path = path.clone();
                child_path.push((named.name.as_str(), how));
                // The scope's language, not the state's: see [`scope_language`].
                self.enter(child, child_pointer, language, Some((index, i)), Some(how), child_path, reach);
            }
        }
    }

    /// The state at `index` of scope `scope`.
    pub fn visit(&self, scope: usize, index: usize) -> Visit<'_, 'm> {
        let s = &self.scopes[scope];
        let named = &s.machine.states[index];
        Visit {
            scope,
            index,
            name: &named.name,
            state: &named.state,
            pointer: &s.state_pointers[index],
            language: state_language(&named.state, s.language),
        }
    }

    /// Every state, scope by scope (each scope's states in order, scopes as in [`Walk::scopes`]).
    pub fn by_scope(&self) -> impl Iterator<Item = Visit<'_, 'm>> {
        self.scopes.iter().enumerate().flat_map(move |(s, scope)| (0..scope.machine.states.len()).map(move |i| self.visit(s, i)))
    }

    /// Every state, depth first: a state, then the states nested in it, then the next state.
    pub fn depth_first(&self) -> impl Iterator<Item = Visit<'_, 'm>> {
        self.order.iter().map(move |&(s, i)| self.visit(s, i))
    }
}

/// `{scope}/States/{name}`, the name escaped; written without the formatting machinery, as it
/// runs for every state.
pub fn state_pointer(scope: &str, name: &str) -> String {
    let name = escape_pointer_token(name);
    let mut pointer = String::with_capacity(scope.len() + 8 + name.len());
    pointer.push_str(scope);
    pointer.push_str("/States/");
    pointer.push_str(&name);
    pointer
}

/// The same knowledge over a definition read as plain JSON (`serde_json`), for the parts that
/// read a definition without lowering it.
pub mod json {
    use super::{Nesting, Reach};
    use serde_json::{Map, Value};

    /// The nested machines of the state object `state` that `reach` enters, as in
    /// [`super::nested`]; anything that is not an object is not a machine.
    pub fn nested(state: &Map<String, Value>, reach: Reach) -> Vec<(Nesting, &Map<String, Value>)> {
        let mut out: Vec<(Nesting, &Map<String, Value>)> = Vec::new();
        if let Some(branches) = state.get("Branches").and_then(Value::as_array) {
            out.extend(branches.iter().enumerate().filter_map(|(i, b)| Some((Nesting::Branch(i), b.as_object()?))));
        }
        let old = state.get("Iterator").and_then(Value::as_object).map(|p| (Nesting::Iterator, p));
        let new = state.get("ItemProcessor").and_then(Value::as_object).map(|p| (Nesting::ItemProcessor, p));
        match reach {
            Reach::Written => out.extend(old.into_iter().chain(new)),
            Reach::Run => out.extend(new.or(old)),
        }
        out
    }

    /// One state object met by [`states`].
    #[derive(Debug, Clone)]
    pub struct Visit<'v> {
        pub pointer: String,
        pub name: &'v str,
        pub state: &'v Map<String, Value>,
    }

    /// Every state object of `machine` (a definition's object) depth first, with its pointer:
    /// a state, then the states nested in it, then the next state.
    pub fn states(machine: &Value, reach: Reach) -> Vec<Visit<'_>> {
        let mut out = Vec::new();
        fn walk<'v>(machine: &'v Map<String, Value>, at: &str, reach: Reach, out: &mut Vec<Visit<'v>>) {
            let Some(states) = machine.get("States").and_then(Value::as_object) else { return };
            for (name, state) in states {
                let Some(state) = state.as_object() else { continue };
                let pointer = super::state_pointer(at, name);
                let nested = nested(state, reach);
                out.push(Visit { pointer: pointer.clone(), name: name.as_str(), state });
                for (how, child) in nested {
                    walk(child, &how.pointer(&pointer), reach, out);
                }
            }
        }
        if let Some(machine) = machine.as_object() {
            walk(machine, "", reach, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every nesting in every form: branches holding a Map with the new name, a Map with the old
    /// name inside a processor, a Map writing both names, JSONata set on a container.
    const NESTED: &str = r#"{"StartAt":"P","States":{
      "P":{"Type":"Parallel","QueryLanguage":"JSONata","Next":"Old","Branches":[
        {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
        {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"a/b","States":{
          "a/b":{"Type":"Map","End":true,"Iterator":{"StartAt":"Deep","States":{"Deep":{"Type":"Succeed"}}}}}}}}}]},
      "Old":{"Type":"Map","Next":"Both","Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}}},
      "Both":{"Type":"Map","End":true,
        "Iterator":{"StartAt":"Shadowed","States":{"Shadowed":{"Type":"Pass","End":true}}},
        "ItemProcessor":{"StartAt":"Runs","States":{"Runs":{"Type":"Pass","End":true}}}}}}"#;

    fn machine() -> StateMachine {
        crate::asl::lower::lower_text(NESTED).expect("lowers").1.machine
    }

    #[test]
    fn a_written_walk_reaches_every_nested_state_in_every_form() {
        let m = machine();
        let walk = Walk::new(&m, Reach::Written);
        let pointers: Vec<&str> = walk.depth_first().map(|v| v.pointer).collect();
        assert_eq!(
            pointers,
            [
                "/States/P",
                "/States/P/Branches/0/States/A",
                "/States/P/Branches/1/States/M",
                "/States/P/Branches/1/States/M/ItemProcessor/States/a~1b",
                "/States/P/Branches/1/States/M/ItemProcessor/States/a~1b/Iterator/States/Deep",
                "/States/Old",
                "/States/Old/Iterator/States/I",
                "/States/Both",
                "/States/Both/Iterator/States/Shadowed",
                "/States/Both/ItemProcessor/States/Runs",
            ]
        );
        // Scope by scope, the same states.
        let mut by_scope: Vec<&str> = walk.by_scope().map(|v| v.pointer).collect();
        by_scope.sort();
        let mut sorted = pointers.clone();
        sorted.sort();
        assert_eq!(by_scope, sorted);
        let scopes: Vec<(&str, ScopeKind)> = walk.scopes.iter().map(|s| (s.pointer.as_str(), s.kind)).collect();
        assert_eq!(
            scopes,
            [
                ("", ScopeKind::Top),
                ("/States/P/Branches/0", ScopeKind::Branch),
                ("/States/P/Branches/1", ScopeKind::Branch),
                ("/States/P/Branches/1/States/M/ItemProcessor", ScopeKind::Processor),
                ("/States/P/Branches/1/States/M/ItemProcessor/States/a~1b/Iterator", ScopeKind::Processor),
                ("/States/Old/Iterator", ScopeKind::Processor),
                ("/States/Both/Iterator", ScopeKind::Processor),
                ("/States/Both/ItemProcessor", ScopeKind::Processor),
            ]
        );
        // Each pointer names the state it visits, and parents come before children.
        let text = crate::asl::json::read(NESTED).unwrap();
        for v in walk.depth_first() {
            let (node, _) = text.at_pointer(v.pointer).expect(v.pointer);
            assert!(node.get("Type").is_some(), "{}", v.pointer);
            assert_eq!(v.pointer.rsplit('/').next().unwrap(), escape_pointer_token(v.name));
        }
        for (i, s) in walk.scopes.iter().enumerate() {
            assert!(s.parent.is_none_or(|p| p < i));
            assert_eq!(s.path.len(), s.pointer.matches("/States/").count());
        }
    }

    #[test]
    fn a_run_walk_enters_the_processor_that_runs() {
        let m = machine();
        let walk = Walk::new(&m, Reach::Run);
        let names: Vec<&str> = walk.depth_first().map(|v| v.name).collect();
        assert_eq!(names, ["P", "A", "M", "a/b", "Deep", "Old", "I", "Both", "Runs"]);
        let deep = walk.depth_first().find(|v| v.name == "Deep").unwrap();
        let path: Vec<(&str, Nesting)> = walk.scopes[deep.scope].path.clone();
        assert_eq!(path, [("P", Nesting::Branch(1)), ("M", Nesting::ItemProcessor), ("a/b", Nesting::Iterator)]);
    }

    #[test]
    fn nested_states_take_the_machine_s_language_not_the_container_s() {
        let m = machine();
        let walk = Walk::new(&m, Reach::Run);
        let language = |walk: &Walk, name: &str| walk.depth_first().find(|v| v.name == name).unwrap().language;
        assert_eq!(language(&walk, "P"), QueryLanguage::Jsonata);
        assert_eq!(language(&walk, "A"), QueryLanguage::JsonPath, "in a branch of the JSONata Parallel of a JSONPath machine");
        assert_eq!(language(&walk, "Deep"), QueryLanguage::JsonPath, "two Maps under the JSONata Parallel");
        assert_eq!(language(&walk, "I"), QueryLanguage::JsonPath);
        let scopes: Vec<QueryLanguage> = walk.scopes.iter().map(|s| s.language).collect();
        assert!(scopes.iter().all(|&l| l == QueryLanguage::JsonPath), "{scopes:?}");
        // A JSONata machine: every nested state is JSONata, however deep.
        let mut jsonata = m.clone();
        jsonata.query_language = Some(QueryLanguage::Jsonata);
        jsonata.state_mut("P").unwrap().query_language = None;
        let walk = Walk::new(&jsonata, Reach::Run);
        assert!(walk.depth_first().all(|v| v.language == QueryLanguage::Jsonata));
        // A branch that writes its own `QueryLanguage` gives it to its states.
        let mut branch = m.clone();
        let p = branch.state_mut("P").unwrap();
        child_mut(p, 0).unwrap().1.query_language = Some(QueryLanguage::Jsonata);
        let walk = Walk::new(&branch, Reach::Run);
        assert_eq!(language(&walk, "A"), QueryLanguage::Jsonata);
        assert_eq!(language(&walk, "Deep"), QueryLanguage::JsonPath, "the other branch");
    }

    #[test]
    fn one_state_s_children_and_the_child_at_an_index() {
        let m = machine();
        let both = m.state("Both").unwrap();
        let fields = |reach| nested(both, reach).into_iter().map(|(n, _)| n.field()).collect::<Vec<_>>();
        assert_eq!(fields(Reach::Written), ["Iterator", "ItemProcessor"]);
        assert_eq!(fields(Reach::Run), ["ItemProcessor"]);
        assert_eq!(child(both, 0).map(|(n, p)| (n, p.start_at.clone())), Some((Nesting::ItemProcessor, Some("Runs".into()))));
        assert!(child(both, 1).is_none());
        let p = m.state("P").unwrap();
        assert_eq!(child(p, 1).map(|(n, _)| n.pointer("/States/P")), Some("/States/P/Branches/1".into()));
        assert!(nested(m.state("Old").unwrap(), Reach::Run)[0].0 == Nesting::Iterator);
        let mut m2 = m.clone();
        let old = m2.state_mut("Old").unwrap();
        nested_mut(old, Reach::Run)[0].1.comment = Some("edited".into());
        assert_eq!(child_mut(old, 0).unwrap().1.comment.as_deref(), Some("edited"));
    }

    #[test]
    fn the_json_walk_knows_the_same_nestings() {
        let value: serde_json::Value = serde_json::from_str(NESTED).unwrap();
        let m = machine();
        for reach in [Reach::Written, Reach::Run] {
            let mut from_json: Vec<String> = json::states(&value, reach).into_iter().map(|v| v.pointer).collect();
            let mut from_model: Vec<String> = Walk::new(&m, reach).depth_first().map(|v| v.pointer.to_string()).collect();
            from_json.sort();
            from_model.sort();
            assert_eq!(from_json, from_model, "{reach:?}");
        }
    }
}
