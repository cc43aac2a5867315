//! The graph derived from the model: a node per state (with Start and End markers), an edge per
//! transition (Next, Default, each Choice rule, each Catch), and Parallel branches and Map
//! processors as nested graphs. Derived data only: it is rebuilt from the model, never edited.

use super::scope::{Scope, ScopeStep, StateRef, children};
use crate::asl::model::{ChoiceRule, NumberOrExpression, Operand, RuleTest, State, StateKind, StateMachine};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Start,
    End,
    /// A state, by its `Type` (`"Task"`...; `"Unknown"` when unrecognized).
    State(&'static str),
}

/// What a node shows: the same in the graph and, placed, on the canvas ([`super::layout::SceneNode`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeInfo {
    /// Unique in the whole graph: the state's pointer, or the scope's pointer + `#start`/`#end`.
    pub id: String,
    pub kind: NodeKind,
    /// The state, for state nodes.
    pub state: Option<StateRef>,
    pub label: String,
    /// One line about the state: its resource, its wait, its rule count...
    pub summary: String,
    pub is_start: bool,
    pub is_end: bool,
}

/// One node of a (nested) graph.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub info: NodeInfo,
    /// Parallel branches or the Map processor, each a graph of its own.
    pub children: Vec<Graph>,
}

impl std::ops::Deref for GraphNode {
    type Target = NodeInfo;
    fn deref(&self) -> &NodeInfo {
        &self.info
    }
}

/// Which field of a state an edge stands for: where an insertion on it rewires.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EdgeField {
    /// From the Start marker: the scope's `StartAt`.
    StartAt,
    Next,
    Default,
    Choice(usize),
    Catch(usize),
    /// From a state with `"End": true` (or a Succeed/Fail) to the End marker.
    End,
}

/// Which kind of line to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    Next,
    Default,
    Choice,
    Catch,
    Start,
    End,
}

/// One edge between two nodes of the same graph.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphEdge {
    pub id: String,
    /// Indexes into the graph's nodes.
    pub from: usize,
    pub to: usize,
    pub kind: EdgeKind,
    pub label: Option<String>,
    /// The state the edge leaves (None for the Start marker's edge) and the field it stands for.
    pub source: Option<StateRef>,
    pub field: EdgeField,
}

/// The graph of one machine (the top level, a branch, a processor).
#[derive(Debug, Clone, PartialEq)]
pub struct Graph {
    pub scope: Scope,
    /// Node 0 is the Start marker, node 1 the End marker, then the states in document order.
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
}

/// The graph of `root`.
pub fn derive(root: &StateMachine) -> Graph {
    derive_scope(root, root, Vec::new(), "")
}

fn derive_scope(root: &StateMachine, machine: &StateMachine, scope: Scope, pointer: &str) -> Graph {
    let mut nodes = vec![
        marker(format!("{pointer}#start"), NodeKind::Start, "Start"),
        marker(format!("{pointer}#end"), NodeKind::End, "End"),
    ];
    // Each name's node, looked up once per transition: a map, not a scan (a scan made deriving
    // a 2,000-state machine quadratic). The first state of a name wins, as a scan would have it.
    let mut by_name: std::collections::HashMap<&str, usize> = std::collections::HashMap::with_capacity(machine.states.len());
    for (i, s) in machine.states.iter().enumerate() {
        by_name.entry(s.name.as_str()).or_insert(i + 2);
    }
    let index_of = |name: &str| by_name.get(name).copied();
    for i in 0..machine.states.len() {
        nodes.push(state_node(root, machine, &scope, i));
    }
    let mut edges = Vec::new();
    if let Some(start) = machine.start_at.as_deref().and_then(index_of) {
        edges.push(GraphEdge {
            id: format!("{pointer}#start->"),
            from: 0,
            to: start,
            kind: EdgeKind::Start,
            label: None,
            source: None,
            field: EdgeField::StartAt,
        });
    }
    for (i, named) in machine.states.iter().enumerate() {
        state_edges(&named.state, i + 2, &nodes[i + 2].info, &index_of, &mut edges);
    }
    Graph { scope, nodes, edges }
}

/// The node of the state `i` of `machine` (at `scope` in `root`), its nested graphs included.
fn state_node(root: &StateMachine, machine: &StateMachine, scope: &Scope, i: usize) -> GraphNode {
    let named = &machine.states[i];
    let r = StateRef { scope: scope.clone(), name: named.name.clone() };
    let id = r.pointer(root);
    let kids = children(&named.state)
        .into_iter()
        .map(|(branch, child)| {
            let mut inner = scope.clone();
            inner.push(ScopeStep { state: named.name.clone(), branch });
            let child_pointer = super::scope::scope_pointer(root, &inner);
            derive_scope(root, child, inner, &child_pointer)
        })
        .collect();
    let info = NodeInfo {
        kind: NodeKind::State(named.state.kind.state_type().map(|t| t.name()).unwrap_or("Unknown")),
        state: Some(r),
        label: named.name.clone(),
        summary: summary(&named.state),
        is_start: machine.start_at.as_deref() == Some(named.name.as_str()),
        is_end: named.state.is_terminal(),
        id,
    };
    GraphNode { info, children: kids }
}

/// The edges leaving the state `s`, node `from` (`node`), pushed onto `edges`; `index_of` gives
/// the node of a name.
fn state_edges(s: &State, from: usize, node: &NodeInfo, index_of: &dyn Fn(&str) -> Option<usize>, edges: &mut Vec<GraphEdge>) {
    let source = node.state.clone();
    let sid = &node.id;
    let mut push = |target: &str, kind, label: Option<String>, field: EdgeField| {
        if let Some(to) = index_of(target) {
            edges.push(GraphEdge { id: format!("{sid}->{field:?}"), from, to, kind, label, source: source.clone(), field });
        }
    };
    if let Some(next) = &s.next {
        push(next, EdgeKind::Next, None, EdgeField::Next);
    }
    if let StateKind::Choice(choice) = &s.kind {
        for (k, rule) in choice.choices.iter().flatten().enumerate() {
            if let Some(next) = &rule.next {
                push(next, EdgeKind::Choice, Some(shorten(&rule_text(rule), 28)), EdgeField::Choice(k));
            }
        }
        if let Some(default) = &choice.default {
            push(default, EdgeKind::Default, Some("Default".into()), EdgeField::Default);
        }
    }
    for (k, catcher) in s.catch.iter().flatten().enumerate() {
        if let Some(next) = &catcher.next {
            let errors = catcher.error_equals.as_ref().map(|e| e.join(", ")).unwrap_or_default();
            push(next, EdgeKind::Catch, Some(shorten(&errors, 28)), EdgeField::Catch(k));
        }
    }
    if s.is_terminal() {
        edges.push(GraphEdge {
            id: format!("{sid}->End"),
            from,
            to: 1,
            kind: EdgeKind::End,
            label: None,
            source: node.state.clone(),
            field: EdgeField::End,
        });
    }
}

/// The top-level state `index` of `root` derived again: its node and the edges leaving it, as
/// [`derive`] gives them (what an edit confined to that state changes of the graph; see
/// `layout::reword_state_in`).
pub fn derive_top_state(root: &StateMachine, index: usize) -> Option<(GraphNode, Vec<GraphEdge>)> {
    let named = root.states.get(index)?;
    let node = state_node(root, root, &Vec::new(), index);
    // (A scan for the few names one state names: the first state of a name wins, as in `derive`.)
    let index_of = |name: &str| root.states.iter().position(|s| s.name == name).map(|i| i + 2);
    let mut edges = Vec::new();
    state_edges(&named.state, index + 2, &node.info, &index_of, &mut edges);
    Some((node, edges))
}

fn marker(id: String, kind: NodeKind, label: &str) -> GraphNode {
    let info = NodeInfo { id, kind, state: None, label: label.into(), summary: String::new(), is_start: false, is_end: false };
    GraphNode { info, children: Vec::new() }
}

/// One line about a state for its node.
pub fn summary(state: &State) -> String {
    let num = |n: &Option<NumberOrExpression>| match n {
        Some(NumberOrExpression::Number(n)) => Some(n.text().to_string()),
        Some(NumberOrExpression::Expression(e)) => Some(e.clone()),
        None => None,
    };
    match &state.kind {
        StateKind::Task(t) => {
            // An optimized Lambda integration names its function in the parameters.
            let function = state.data.parameters.as_ref().or(state.data.arguments.as_ref()).and_then(|p| p.get("FunctionName")?.as_str());
            match (t.resource.as_deref(), function) {
                (Some(r), Some(f)) if r.starts_with("arn:aws:states:::lambda:invoke") => {
                    if f.contains(":function:") { short_resource(f) } else { format!("λ {f}") }
                }
                (Some(r), _) => short_resource(r),
                (None, _) => "no resource".into(),
            }
        }
        StateKind::Wait(w) => num(&w.seconds)
            .map(|s| format!("wait {s} s"))
            .or_else(|| w.seconds_path.clone().map(|p| format!("wait {p} s")))
            .or_else(|| w.timestamp.clone().map(|t| format!("until {t}")))
            .or_else(|| w.timestamp_path.clone().map(|p| format!("until {p}")))
            .unwrap_or_else(|| "no duration".into()),
        StateKind::Choice(c) => {
            let n = c.choices.as_ref().map_or(0, Vec::len);
            format!("{n} rule{}{}", if n == 1 { "" } else { "s" }, if c.default.is_some() { " + default" } else { "" })
        }
        StateKind::Parallel(p) => {
            let n = p.branches.as_ref().map_or(0, Vec::len);
            format!("{n} branch{}", if n == 1 { "" } else { "es" })
        }
        StateKind::Map(m) => match (&m.items_path, &m.max_concurrency) {
            (Some(p), _) => format!("each of {p}"),
            (None, Some(_)) => format!("max {} at once", num(&m.max_concurrency).unwrap_or_default()),
            _ => "each item".into(),
        },
        StateKind::Pass(_) => "pass input through".into(),
        StateKind::Succeed => "success".into(),
        StateKind::Fail(f) => f.error.clone().or_else(|| f.error_path.clone()).unwrap_or_else(|| "failure".into()),
        StateKind::Unrecognized => "unknown type".into(),
    }
}

/// `arn:aws:lambda:…:function:Name` → `λ Name`; `arn:aws:states:::sns:publish` → `sns:publish`.
pub fn short_resource(arn: &str) -> String {
    if let Some(i) = arn.find(":function:") {
        let name = &arn[i + ":function:".len()..];
        return format!("λ {}", name.split(':').next().unwrap_or(name));
    }
    if let Some(rest) = arn.strip_prefix("arn:aws:states:::") {
        return rest.to_string();
    }
    arn.rsplit(':').next().unwrap_or(arn).to_string()
}

/// A Choice rule's condition in a few words: `$.isValid == true`.
pub fn rule_text(rule: &ChoiceRule) -> String {
    let Some(test) = &rule.test else { return "?".into() };
    match test {
        RuleTest::Compare { operator, operand } => {
            let name = operator.name();
            let var = rule.variable.as_deref().unwrap_or("?");
            let bare = ["String", "Numeric", "Boolean", "Timestamp"]
                .iter()
                .find_map(|p| name.strip_prefix(p))
                .unwrap_or(name)
                .trim_end_matches("Path");
            let op = match bare {
                "Equals" => "==",
                "LessThan" => "<",
                "GreaterThan" => ">",
                "LessThanEquals" => "<=",
                "GreaterThanEquals" => ">=",
                "Matches" => "~",
                other => return format!("{var} {other}"),
            };
            let value = match operand {
                Operand::String(s) => format!("\"{s}\""),
                Operand::Number(n) => n.text().to_string(),
                Operand::Boolean(b) => b.to_string(),
                Operand::Path(p) => p.clone(),
            };
            format!("{var} {op} {value}")
        }
        RuleTest::And(rules) => rules.iter().map(rule_text).collect::<Vec<_>>().join(" and "),
        RuleTest::Or(rules) => rules.iter().map(rule_text).collect::<Vec<_>>().join(" or "),
        RuleTest::Not(rule) => format!("not {}", rule_text(rule)),
        RuleTest::Condition(c) => c.trim().trim_start_matches("{%").trim_end_matches("%}").trim().to_string(),
        RuleTest::ConstantCondition(b) => b.to_string(),
    }
}

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut s: String = text.chars().take(max.saturating_sub(1)).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;

    fn edges(g: &Graph) -> Vec<String> {
        g.edges
            .iter()
            .map(|e| format!("{}-{:?}->{}{}", g.nodes[e.from].label, e.kind, g.nodes[e.to].label, e.label.as_ref().map(|l| format!(" [{l}]")).unwrap_or_default()))
            .collect()
    }

    #[test]
    fn the_seed_has_every_kind_of_edge() {
        let g = derive(Document::seed().machine());
        assert_eq!(g.nodes.len(), 7);
        assert_eq!(g.nodes[2].summary, "λ ValidateInput");
        assert_eq!(g.nodes[3].summary, "1 rule + default");
        assert_eq!(
            edges(&g),
            [
                "Start-Start->ValidateInput",
                "ValidateInput-Next->CheckValidation",
                "ValidateInput-Catch->HandleError [States.ALL]",
                "CheckValidation-Choice->ProcessData [$.isValid == true]",
                "CheckValidation-Default->HandleError [Default]",
                "ProcessData-Next->SendNotification",
                "ProcessData-Catch->HandleError [States.ALL]",
                "SendNotification-End->End",
                "HandleError-End->End",
            ]
        );
        assert!(g.nodes[2].is_start && g.nodes[5].is_end);
    }

    #[test]
    fn parallel_branches_and_map_processors_are_nested_graphs() {
        let doc = Document::new(
            "n",
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"M","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Gone"}}}]},
              "M":{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"C","States":{"C":{"Type":"Succeed"}}},"End":true}}}"#,
        );
        let g = derive(doc.machine());
        let p = &g.nodes[2];
        assert_eq!((p.summary.as_str(), p.children.len()), ("2 branches", 2));
        assert_eq!(p.children[0].nodes[2].id, "/States/P/Branches/0/States/A");
        assert_eq!(p.children[0].nodes[2].summary, "wait 5 s");
        // A dangling Next draws no edge (the validator reports it).
        assert_eq!(edges(&p.children[1]), ["Start-Start->B"]);
        assert_eq!(g.nodes[3].children[0].nodes[2].id, "/States/M/ItemProcessor/States/C");
        assert_eq!(g.nodes[3].summary, "each of $.items");
    }

    #[test]
    fn labels_are_short() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(short_resource("arn:aws:states:::sns:publish"), "sns:publish");
        assert_eq!(short_resource("arn:aws:lambda:us-east-1:1:function:F:$LATEST"), "λ F");
        let doc = Document::new("t", r#"{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction","Payload.$":"$"},"End":true}}}"#);
        assert_eq!(summary(&doc.machine().states[0].state), "λ MyFunction");
    }
}
