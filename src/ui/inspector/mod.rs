//! The inspector: a form for every field of the selected state's type (or the workflow's
//! top-level fields when nothing is selected). Each field commits on change (Enter, or leaving
//! it) as one undo step, through `editor::fields`, and keeps the focus: Enter then Backspace edits
//! the field, it does not delete the state; a value that cannot be written (bad JSON) stays in its field with
//! the reason, and the validator's diagnostics show beside the field they point at.

mod answer;
mod kinds;
mod test_state;

use super::context::Editor;
use super::engine::Engine;
use crate::sim::protocol::{ConvertAnswer, Request};
use crate::asl::json::{Node, Number};
use crate::asl::model::{QueryLanguage, State, StateKind};
use crate::editor::change::Change;
use crate::editor::edit;
use crate::editor::fields::{self, FieldOp, Kind};
use crate::editor::markup;
use crate::editor::scope::{StateRef, machine_at};
use leptos::prelude::*;
use std::collections::HashMap;
use std::sync::Arc as Rc;

fn opt(text: String) -> Option<String> {
    let t = text.trim().to_string();
    (!t.is_empty()).then_some(t)
}

/// Texts that could not be written, by full pointer: (the text, why).
type Drafts = RwSignal<HashMap<String, (String, String)>>;

/// What every field of one state's form needs.
#[derive(Clone)]
struct Cx {
    editor: Editor,
    r: StateRef,
    state: Rc<State>,
    json: Rc<Node>,
    /// The state's pointer; diagnostics and drafts are keyed below it.
    base: String,
    /// (pointer relative to the state, message) of each diagnostic in the state.
    diags: Rc<Vec<(String, String)>>,
    /// The states a transition of this one may name.
    names: Rc<Vec<String>>,
    jsonata: bool,
    drafts: Drafts,
}

impl Cx {
    /// Applies `ops` as one step; the reason when it could not be done.
    fn run(&self, ops: Vec<FieldOp>, label: &str) -> Option<String> {
        match self.editor.session.with_untracked(|s| fields::change(&s.doc, &self.r, &ops)) {
            Ok(Some(c)) => (!self.editor.perform(Ok(c), label)).then(|| self.editor.notice.get_untracked().unwrap_or_default()),
            Ok(None) => None,
            Err(e) => Some(e.to_string()),
        }
    }
    fn act(&self, ops: Vec<FieldOp>, label: &'static str) -> impl Fn(leptos::ev::MouseEvent) + 'static {
        let cx = self.clone();
        move |_| {
            if let Some(e) = cx.run(ops.clone(), label) {
                cx.editor.notice.set(Some(e));
            }
        }
    }
    fn text(&self, at: &str) -> String {
        fields::text_at(&self.json, at)
    }
    fn len(&self, at: &str) -> usize {
        self.json.at_pointer(at).and_then(|(n, _)| n.as_array().map(<[Node]>::len)).unwrap_or(0)
    }
    fn has(&self, at: &str) -> bool {
        self.json.at_pointer(at).is_some()
    }
    /// The diagnostics at `at` or inside it.
    fn problem(&self, at: &str) -> Option<String> {
        let inside = |p: &str| p == at || p.strip_prefix(at).is_some_and(|r| r.starts_with('/'));
        let found: Vec<&str> = self.diags.iter().filter(|(p, _)| inside(p)).map(|(_, m)| m.as_str()).collect();
        (!found.is_empty()).then(|| found.join("; "))
    }
}

fn error_line(e: Option<String>) -> Option<impl IntoView> {
    e.map(|e| view! { <span class="field-error" role="alert">{e}</span> })
}

/// A labelled field for the member at `at`, read as `kind` (a text area for JSON).
fn input(cx: &Cx, label: &'static str, at: String, kind: Kind) -> AnyView {
    let key = format!("{}{at}", cx.base);
    let draft = cx.drafts.with(|d| d.get(&key).cloned());
    let (value, err) = match draft {
        Some((text, e)) => (text, Some(e)),
        None => (cx.text(&at), cx.problem(&at)),
    };
    let commit = {
        let cx = cx.clone();
        let at = at.clone();
        move |text: String| {
            let failed = cx.run(vec![FieldOp::Set { at: at.clone(), text: text.clone(), kind }], label);
            let had = cx.drafts.with_untracked(|d| d.contains_key(&key));
            match failed {
                Some(e) => cx.drafts.update(|d| {
                    d.insert(key.clone(), (text, e));
                }),
                None if had => cx.drafts.update(|d| {
                    d.remove(&key);
                }),
                None => {}
            }
        }
    };
    let control = if kind == Kind::Json {
        let rows = value.lines().count().clamp(2, 12);
        view! { <textarea class="json" rows=rows spellcheck="false" data-at=at prop:value=value on:change=move |e| commit(event_target_value(&e))></textarea> }.into_any()
    } else {
        view! { <input type="text" data-at=at prop:value=value on:change=move |e| commit(event_target_value(&e))/> }.into_any()
    };
    let invalid = err.is_some();
    view! {
        <label class="field" class:invalid=invalid>
            <span class="field-label">{label}</span>
            {control}
            {error_line(err)}
        </label>
    }
    .into_any()
}

/// A labelled choice among `options` (value, text) for the member at `at`; "" removes it.
fn select(cx: &Cx, label: &'static str, at: String, current: String, options: Vec<(String, String)>, none: Option<&'static str>, commit: Rc<dyn Fn(String) + Send + Sync>) -> AnyView {
    let err = cx.problem(&at);
    let invalid = err.is_some();
    // (The options as one piece of HTML: a Next picker lists every state of the machine.)
    let options = markup::options(none, &current, &options, true);
    view! {
        <label class="field" class:invalid=invalid>
            <span class="field-label">{label}</span>
            <select data-at=at on:change=move |e| commit(event_target_value(&e)) inner_html=options></select>
            {error_line(err)}
        </label>
    }
    .into_any()
}

/// A select that sets the member at `at` to the picked text.
fn choose(cx: &Cx, label: &'static str, at: &str, options: &[&str], none: Option<&'static str>) -> AnyView {
    let c = cx.clone();
    let a = at.to_string();
    let commit = Rc::new(move |v: String| {
        if let Some(e) = c.run(vec![FieldOp::Set { at: a.clone(), text: v, kind: Kind::Text }], label) {
            c.editor.notice.set(Some(e));
        }
    });
    select(cx, label, at.to_string(), cx.text(at), options.iter().map(|o| (o.to_string(), o.to_string())).collect(), none, commit)
}

/// A choice of a state of the same machine, for a transition.
fn target(cx: &Cx, label: &'static str, at: &str) -> AnyView {
    let names: Vec<&str> = cx.names.iter().map(String::as_str).collect();
    choose(cx, label, at, &names, Some("— none —"))
}

/// Up, down and remove buttons for item `i` of the `n` items of the array at `list`.
fn item_buttons(cx: &Cx, list: &str, i: usize, n: usize) -> impl IntoView {
    let at = format!("{list}/{i}");
    view! {
        <span class="item-buttons">
            <button class="icon-btn" title="Move up" aria-label="Move up" disabled=i == 0 on:click=cx.act(vec![FieldOp::Move { at: at.clone(), by: -1 }], "Reorder")>"↑"</button>
            <button class="icon-btn" title="Move down" aria-label="Move down" disabled=i + 1 == n on:click=cx.act(vec![FieldOp::Move { at: at.clone(), by: 1 }], "Reorder")>"↓"</button>
            <button class="icon-btn danger" title="Remove" aria-label="Remove" on:click=cx.act(vec![FieldOp::Remove(at)], "Remove")>"✕"</button>
        </span>
    }
}

/// What a form shows, read from the document: the form is rebuilt when this changes, and only
/// then (typing elsewhere in the code, or in another state, leaves it alone).
#[derive(Clone, PartialEq)]
enum Shown {
    /// The workflow's fields: comment, timeout, StartAt, the state names, the query language.
    Workflow(String, String, String, Vec<String>, &'static str),
    /// The selected state (None when it no longer exists), and whether the text parses.
    State(StateRef, Option<StateData>, bool),
}

/// A state as its form shows it.
#[derive(Clone, PartialEq)]
struct StateData {
    state: State,
    /// The states of the same machine a transition may name.
    names: Vec<String>,
    /// The state's pointer.
    base: String,
    /// (pointer relative to the state, message) of each diagnostic in the state.
    diags: Vec<(String, String)>,
    jsonata: bool,
}

fn shown(s: &crate::editor::session::Session, selected: Option<StateRef>) -> Shown {
    let root = s.doc.machine();
    let Some(r) = selected else {
        return Shown::Workflow(
            root.comment.clone().unwrap_or_default(),
            root.timeout_seconds.as_ref().map(|n| n.text().to_string()).unwrap_or_default(),
            root.start_at.clone().unwrap_or_default(),
            root.states.iter().map(|s| s.name.clone()).collect(),
            root.query_language.map(|q| q.name()).unwrap_or(""),
        );
    };
    let found = machine_at(root, &r.scope).and_then(|m| {
        let state = m.state(&r.name)?.clone();
        let names = m.states.iter().map(|s| s.name.clone()).filter(|n| *n != r.name).collect();
        let base = r.pointer(root);
        let diags = s
            .doc
            .diagnostics()
            .iter()
            .filter_map(|d| d.pointer.strip_prefix(&base).filter(|p| p.is_empty() || p.starts_with('/')).map(|p| (p.to_string(), d.message.clone())))
            .collect();
        let jsonata = fields::query_language(root, &r.scope, &r.name) == QueryLanguage::Jsonata;
        Some(StateData { state, names, base, diags, jsonata })
    });
    Shown::State(r, found, s.doc.syntax_error().is_some())
}

#[component]
pub fn Inspector() -> impl IntoView {
    let editor: Editor = expect_context();
    let drafts: Drafts = RwSignal::new(HashMap::new());
    // The workflow form's offer to convert every state, here since switching the language
    // rebuilds the form (a signal of the form's own would start again hidden).
    let offer = RwSignal::new(false);
    // The form is rebuilt when what it shows changes: not when a node moves, nor when the code
    // changes elsewhere.
    let revision = Memo::new(move |_| editor.session.with(|s| (s.doc.model_revision(), s.doc.syntax_error().is_some())));
    let shows = Memo::new(move |_| {
        let _ = revision.get(); // (a read: a memo computes only when read)
        let selected = editor.selected.get();
        editor.session.with_untracked(|s| shown(s, selected))
    });
    view! {
        <section class="panel inspector" aria-label="Inspector">
            {move || {
                // (Rebuilt in place: the elements, and the focus, stay.)
                match shows.get() {
                    Shown::State(r, data, _) => {
                        if offer.get_untracked() {
                            offer.set(false);
                        }
                        state_form(editor, r, data, drafts).into_any()
                    }
                    Shown::Workflow(comment, timeout, start, names, ql) => workflow_form(editor, comment, timeout, start, names, ql, offer).into_any(),
                }
            }}
        </section>
    }
}

fn ql_options() -> Vec<(String, String)> {
    [QueryLanguage::JsonPath, QueryLanguage::Jsonata].iter().map(|q| (q.name().to_string(), q.name().to_string())).collect()
}

fn workflow_form(editor: Editor, comment: String, timeout: String, start: String, names: Vec<String>, ql: &'static str, offer: RwSignal<bool>) -> impl IntoView {
    let timeout_error = RwSignal::new(None::<String>);
    let set_timeout = move |v: String| {
        let t = v.trim();
        let n = if t.is_empty() { Some(None) } else { t.parse::<f64>().ok().map(|_| Some(Number::from_text(t))) };
        match n {
            Some(n) => {
                timeout_error.set(None);
                editor.perform(Ok(Change::SetTimeout(n)), "Edit timeout");
            }
            None => timeout_error.set(Some(format!("{t:?} is not a number of seconds"))),
        }
    };
    let set_ql = move |v: String| {
        let q = QueryLanguage::from_name(&v);
        editor.perform(Ok(Change::SetQueryLanguage { scope: vec![], query_language: q }), "Edit query language");
        offer.set(q == Some(QueryLanguage::Jsonata));
    };
    let engine: Engine = expect_context();
    let convert_all = move |_| {
        ask_convert(editor, engine, None);
        offer.set(false);
    };
    let opts = |v: Vec<String>| v.into_iter().map(|n| (n.clone(), n)).collect::<Vec<_>>();
    view! {
        <h2>"Workflow"</h2>
        <p class="hint">"Select a state to edit it. Drag items from the palette onto an edge, the canvas, or into a branch."</p>
        <label class="field">
            <span class="field-label">"Comment"</span>
            <input type="text" data-at="/Comment" prop:value=comment
                on:change=move |e| { editor.perform(Ok(Change::SetComment { scope: vec![], comment: opt(event_target_value(&e)) }), "Edit comment"); }/>
        </label>
        <label class="field" class:invalid=move || timeout_error.with(Option::is_some)>
            <span class="field-label">"TimeoutSeconds"</span>
            <input type="text" data-at="/TimeoutSeconds" prop:value=timeout on:change=move |e| set_timeout(event_target_value(&e))/>
            {move || error_line(timeout_error.get())}
        </label>
        <label class="field">
            <span class="field-label">"QueryLanguage"</span>
            <select data-at="/QueryLanguage" on:change=move |e| set_ql(event_target_value(&e))>
                <option value="" selected=ql.is_empty()>"JSONPath (default)"</option>
                {ql_options().into_iter().map(|(v, t)| { let sel = v == ql; view! { <option value=v selected=sel>{t}</option> } }).collect_view()}
            </select>
        </label>
        {move || offer.get().then(|| view! {
            <div class="offer" role="group" aria-label="Convert to JSONata">
                <span>"Convert every state's JSONPath fields to JSONata too?"</span>
                <button class="btn" on:click=convert_all>"Convert all states"</button>
                <button class="btn" on:click=move |_| offer.set(false)>"Keep them"</button>
            </div>
        })}
        <label class="field">
            <span class="field-label">"StartAt"</span>
            <select data-at="/StartAt" on:change=move |e| { editor.perform(Ok(Change::SetStartAt { scope: vec![], start_at: opt(event_target_value(&e)) }), "Edit StartAt"); }
                inner_html=markup::options(Some("— none —"), &start, &opts(names), false)></select>
        </label>
        <super::template_panel::TemplatePanel/>
    }
}

/// "Convert to JSONata" of the state `state` (every state when `None`): the engine worker
/// converts the text (`editor::convert::convert_text`, so the page's wasm carries no
/// converter), and its answer replaces the text as one undoable step, if the text is still the
/// one it was sent; otherwise, or when a field cannot be converted, the notice says why.
fn ask_convert(editor: Editor, engine: Engine, state: Option<StateRef>) {
    let sent = editor.session.with_untracked(|s| s.doc.text().to_string());
    let request = Request::Convert { definition: sent.clone(), state };
    engine.ask(&request, move |response: ConvertAnswer| match response {
        ConvertAnswer::Converted(Ok(text)) => {
            if editor.session.with_untracked(|s| s.doc.text() == sent) {
                editor.perform(Ok(Change::SetText(text)), "Convert to JSONata");
            } else {
                editor.notice.set(Some("Not converted: the definition changed in the meantime; convert again".into()));
            }
        }
        ConvertAnswer::Converted(Err(why)) => editor.notice.set(Some(why)),
        ConvertAnswer::Error { message } => editor.notice.set(Some(format!("Not converted: {message}"))),
    });
}

/// JSONPath fields that converting to JSONata would rewrite.
const JSONPATH_FIELDS: &[&str] = &["/InputPath", "/Parameters", "/ResultSelector", "/ResultPath", "/OutputPath", "/ItemsPath", "/ItemSelector", "/Choices"];

fn state_form(editor: Editor, r: StateRef, data: Option<StateData>, drafts: Drafts) -> impl IntoView {
    let Some(StateData { state, names, base, diags, jsonata }) = data else {
        return view! { <p class="hint">"The selected state no longer exists."</p> }.into_any();
    };
    let cx = Cx {
        editor,
        r: r.clone(),
        json: Rc::new(state.to_json()),
        state: Rc::new(state),
        base,
        diags: Rc::new(diags),
        names: Rc::new(names),
        jsonata,
        drafts,
    };
    let kind = cx.state.kind.state_type().map(|t| t.name()).unwrap_or("Unknown");
    let rename = {
        let r = r.clone();
        move |to: String| {
            let change = editor.session.with_untracked(|s| edit::rename(&s.doc, &r, &to));
            if editor.perform(change, "Rename state") {
                editor.selected.set(Some(StateRef { scope: r.scope.clone(), name: to.trim().to_string() }));
            }
        }
    };
    // Switching to JSONata offers to convert the JSONPath fields.
    let offer = RwSignal::new(false);
    let set_ql = {
        let cx = cx.clone();
        Rc::new(move |v: String| {
            let wants = v == "JSONata" && !cx.jsonata && JSONPATH_FIELDS.iter().any(|f| cx.has(f));
            if wants {
                offer.set(true);
            } else if let Some(e) = cx.run(vec![FieldOp::Set { at: "/QueryLanguage".into(), text: v, kind: Kind::Text }], "Edit query language") {
                editor.notice.set(Some(e));
            }
        })
    };
    let engine: Engine = expect_context();
    let convert_now = {
        let r = r.clone();
        move |_| {
            ask_convert(editor, engine, Some(r.clone()));
            offer.set(false);
        }
    };
    let only_switch = {
        let cx = cx.clone();
        move |_| {
            offer.set(false);
            cx.run(vec![FieldOp::Set { at: "/QueryLanguage".into(), text: "JSONata".into(), kind: Kind::Text }], "Edit query language");
        }
    };
    let delete = {
        let r = r.clone();
        move |_| {
            let change = editor.session.with_untracked(|s| edit::delete(&s.doc, &r));
            if editor.perform(change, "Delete state") {
                editor.select(None);
            }
        }
    };
    let duplicate = {
        let r = r.clone();
        move |_| match editor.session.with_untracked(|s| edit::duplicate(&s.doc, &r)) {
            Ok((change, name)) => {
                if editor.perform(Ok(change), "Duplicate state") {
                    editor.select(Some(StateRef { scope: r.scope.clone(), name }));
                }
            }
            Err(e) => editor.notice.set(Some(e.to_string())),
        }
    };
    let ty = cx.state.kind.state_type();
    let flows = !matches!(cx.state.kind, StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_) | StateKind::Unrecognized);
    let end = cx.state.end == Some(true);
    let end_cx = cx.clone();
    let own: Vec<&str> = cx.diags.iter().filter(|(p, _)| p.is_empty()).map(|(_, m)| m.as_str()).collect();
    let top_problem = error_line((!own.is_empty()).then(|| own.join("; ")));
    let answer = match &cx.state.kind {
        StateKind::Task(t) => Some(answer::service_answer(editor, r.name.clone(), t.resource.clone().unwrap_or_default())),
        _ => None,
    };
    view! {
        <h2><span class=format!("kind-chip kind-{}", kind.to_lowercase())>{kind}</span>" state"</h2>
        {top_problem}
        <label class="field">
            <span class="field-label">"Name"</span>
            <input type="text" aria-label="State name" prop:value=r.name.clone() on:change=move |e| rename(event_target_value(&e))/>
        </label>
        {input(&cx, "Comment", "/Comment".into(), Kind::Text)}
        {select(&cx, "QueryLanguage", "/QueryLanguage".into(), cx.text("/QueryLanguage"), ql_options(), Some("inherited"), set_ql)}
        {move || offer.get().then(|| view! {
            <div class="offer" role="group" aria-label="Convert to JSONata">
                <span>"Convert this state's JSONPath fields to JSONata?"</span>
                <button class="btn" on:click=convert_now.clone()>"Convert fields"</button>
                <button class="btn" on:click=only_switch.clone()>"Only switch"</button>
            </div>
        })}
        {kinds::specific(&cx)}
        {ty.map(|t| kinds::io(&cx, t))}
        {flows.then(|| view! {
            {target(&cx, "Next", "/Next")}
            <label class="field check">
                <input type="checkbox" data-at="/End" prop:checked=end on:change=move |e| {
                    let on = event_target_checked(&e);
                    end_cx.run(vec![FieldOp::Set { at: "/End".into(), text: if on { "true".into() } else { String::new() }, kind: Kind::Bool }], "Edit end");
                }/>
                <span>"End the flow here"</span>
            </label>
        })}
        {kinds::errors(&cx)}
        {answer}
        <div class="inspector-actions">
            <button class="btn" on:click=duplicate>"Duplicate"</button>
            <button class="btn danger" on:click=delete>"Delete"</button>
        </div>
        <test_state::TestStatePanel state=r.name.clone()/>
    }
    .into_any()
}
