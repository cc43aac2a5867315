//! The inspector: a form for the selected state's core fields (or the workflow's top-level
//! fields when nothing is selected). Each field commits on change, as one undo step.

use super::context::Editor;
use crate::asl::json::Number;
use crate::asl::model::{NumberOrExpression, State, StateKind};
use crate::editor::change::Change;
use crate::editor::edit;
use crate::editor::graph::rule_text;
use crate::editor::scope::{StateRef, machine_at};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Commits a field: Enter leaves the field, which fires `change`.
fn blur_on_enter(e: leptos::ev::KeyboardEvent) {
    if e.key() == "Enter" {
        if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.blur();
        }
    }
}

fn opt(text: String) -> Option<String> {
    let t = text.trim().to_string();
    (!t.is_empty()).then_some(t)
}

fn number(text: &str) -> Option<Number> {
    let t = text.trim();
    t.parse::<f64>().ok().map(|_| Number::from_text(t))
}

fn num_text(n: &Option<NumberOrExpression>) -> String {
    match n {
        Some(NumberOrExpression::Number(n)) => n.text().to_string(),
        Some(NumberOrExpression::Expression(e)) => e.clone(),
        None => String::new(),
    }
}

/// A labelled one-line field.
fn field(label: &'static str, value: String, commit: impl Fn(String) + 'static) -> impl IntoView {
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <input type="text" prop:value=value on:keydown=blur_on_enter on:change=move |e| commit(event_target_value(&e))/>
        </label>
    }
}

/// A labelled choice of a state of the same machine ("" for none).
fn target(label: &'static str, value: Option<String>, names: Vec<String>, commit: impl Fn(Option<String>) + 'static) -> impl IntoView {
    let current = value.clone().unwrap_or_default();
    view! {
        <label class="field">
            <span class="field-label">{label}</span>
            <select on:change=move |e| commit(opt(event_target_value(&e)))>
                <option value="" selected=value.is_none()>"— none —"</option>
                {names.into_iter().map(|n| { let sel = n == current; view! { <option value=n.clone() selected=sel>{n.clone()}</option> } }).collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Inspector() -> impl IntoView {
    let editor: Editor = expect_context();
    view! {
        <section class="panel inspector" aria-label="Inspector">
            {move || match editor.selected.get() {
                Some(r) => state_form(editor, r).into_any(),
                None => workflow_form(editor).into_any(),
            }}
        </section>
    }
}

fn workflow_form(editor: Editor) -> impl IntoView {
    let (comment, timeout, start, names) = editor.session.with(|s| {
        let m = s.doc.machine();
        (
            m.comment.clone().unwrap_or_default(),
            m.timeout_seconds.as_ref().map(|n| n.text().to_string()).unwrap_or_default(),
            m.start_at.clone(),
            m.states.iter().map(|s| s.name.clone()).collect::<Vec<_>>(),
        )
    });
    view! {
        <h2>"Workflow"</h2>
        <p class="hint">"Select a state to edit it. Drag items from the palette onto an edge or the canvas."</p>
        {field("Comment", comment, move |v| { editor.perform(Ok(Change::SetComment { scope: vec![], comment: opt(v) }), "Edit comment"); })}
        {field("TimeoutSeconds", timeout, move |v| { editor.perform(Ok(Change::SetTimeout(number(&v))), "Edit timeout"); })}
        {target("StartAt", start, names, move |v| { editor.perform(Ok(Change::SetStartAt { scope: vec![], start_at: v }), "Edit StartAt"); })}
    }
}

fn state_form(editor: Editor, r: StateRef) -> impl IntoView {
    let found = editor.session.with(|s| {
        let m = machine_at(s.doc.machine(), &r.scope)?;
        let state = m.state(&r.name)?.clone();
        let names: Vec<String> = m.states.iter().map(|s| s.name.clone()).filter(|n| *n != r.name).collect();
        Some((state, names))
    });
    let Some((state, names)) = found else {
        return view! { <p class="hint">"The selected state no longer exists."</p> }.into_any();
    };
    let kind = state.kind.state_type().map(|t| t.name()).unwrap_or("Unknown");
    // Applies `f` to the state as one step.
    let update = {
        let r = r.clone();
        move |label: &'static str, f: Box<dyn FnOnce(&mut State)>| {
            let change = editor.session.with_untracked(|s| edit::update(&s.doc, &r, f));
            if let Ok(Some(c)) = change {
                editor.perform(Ok(c), label);
            } else if let Err(e) = change {
                editor.notice.set(Some(e.to_string()));
            }
        }
    };
    let rename = {
        let r = r.clone();
        move |to: String| {
            let change = editor.session.with_untracked(|s| edit::rename(&s.doc, &r, &to));
            if editor.perform(change, "Rename state") {
                editor.selected.set(Some(StateRef { scope: r.scope.clone(), name: to.trim().to_string() }));
            }
        }
    };
    let u = update.clone();
    let comment = field("Comment", state.comment.clone().unwrap_or_default(), move |v| u("Edit comment", Box::new(move |s| s.comment = opt(v))));
    let specific = match &state.kind {
        StateKind::Task(t) => {
            let (u1, u2, u3) = (update.clone(), update.clone(), update.clone());
            view! {
                {field("Resource", t.resource.clone().unwrap_or_default(), move |v| u1("Edit resource", Box::new(move |s| if let StateKind::Task(t) = &mut s.kind { t.resource = opt(v) })))}
                <p class="hint">"e.g. arn:aws:lambda:REGION:ACCOUNT_ID:function:Name or arn:aws:states:::sns:publish"</p>
                {field("TimeoutSeconds", num_text(&t.timeout_seconds), move |v| u2("Edit timeout", Box::new(move |s| if let StateKind::Task(t) = &mut s.kind { t.timeout_seconds = number(&v).map(NumberOrExpression::Number) })))}
                {field("HeartbeatSeconds", num_text(&t.heartbeat_seconds), move |v| u3("Edit heartbeat", Box::new(move |s| if let StateKind::Task(t) = &mut s.kind { t.heartbeat_seconds = number(&v).map(NumberOrExpression::Number) })))}
            }
            .into_any()
        }
        StateKind::Wait(w) => {
            let u1 = update.clone();
            field("Seconds", num_text(&w.seconds), move |v| u1("Edit wait", Box::new(move |s| if let StateKind::Wait(w) = &mut s.kind { w.seconds = number(&v).map(NumberOrExpression::Number) }))).into_any()
        }
        StateKind::Fail(f) => {
            let (u1, u2) = (update.clone(), update.clone());
            view! {
                {field("Error", f.error.clone().unwrap_or_default(), move |v| u1("Edit error", Box::new(move |s| if let StateKind::Fail(f) = &mut s.kind { f.error = opt(v) })))}
                {field("Cause", f.cause.clone().unwrap_or_default(), move |v| u2("Edit cause", Box::new(move |s| if let StateKind::Fail(f) = &mut s.kind { f.cause = opt(v) })))}
            }
            .into_any()
        }
        StateKind::Map(m) => {
            let u1 = update.clone();
            field("ItemsPath", m.items_path.clone().unwrap_or_default(), move |v| u1("Edit items path", Box::new(move |s| if let StateKind::Map(m) = &mut s.kind { m.items_path = opt(v) }))).into_any()
        }
        StateKind::Choice(c) => {
            let rules: Vec<(usize, String, Option<String>)> =
                c.choices.iter().flatten().enumerate().map(|(i, rule)| (i, rule_text(rule), rule.next.clone())).collect();
            let u1 = update.clone();
            let default = target("Default", c.default.clone(), names.clone(), move |v| u1("Edit default", Box::new(move |s| if let StateKind::Choice(c) = &mut s.kind { c.default = v })));
            let names = names.clone();
            view! {
                <h3>"Rules"</h3>
                <ol class="rules">
                    {rules.into_iter().map(|(i, text, next)| {
                        let u = update.clone();
                        view! {
                            <li class="rule">
                                <code>{text}</code>
                                {target("Then go to", next, names.clone(), move |v| u("Edit rule", Box::new(move |s| if let StateKind::Choice(c) = &mut s.kind { if let Some(rule) = c.choices.iter_mut().flatten().nth(i) { rule.next = v } })))}
                            </li>
                        }
                    }).collect_view()}
                </ol>
                {default}
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    let flow = if matches!(state.kind, StateKind::Choice(_) | StateKind::Succeed | StateKind::Fail(_)) {
        ().into_any()
    } else {
        let u1 = update.clone();
        let u2 = update.clone();
        let end = state.end == Some(true);
        view! {
            {target("Next", state.next.clone(), names.clone(), move |v| u1("Edit next", Box::new(move |s| { s.end = if v.is_some() { None } else { Some(true) }; s.next = v; })))}
            <label class="field check">
                <input type="checkbox" prop:checked=end on:change=move |e| {
                    let on = event_target_checked(&e);
                    u2("Edit end", Box::new(move |s| if on { s.end = Some(true); s.next = None } else { s.end = None }))
                }/>
                <span>"End the flow here"</span>
            </label>
        }
        .into_any()
    };
    let delete = {
        let r = r.clone();
        move |_| {
            let change = editor.session.with_untracked(|s| edit::delete(&s.doc, &r));
            if editor.perform(change, "Delete state") {
                editor.selected.set(None);
            }
        }
    };
    let duplicate = {
        let r = r.clone();
        move |_| {
            let made = editor.session.with_untracked(|s| edit::duplicate(&s.doc, &r));
            match made {
                Ok((change, name)) => {
                    if editor.perform(Ok(change), "Duplicate state") {
                        editor.selected.set(Some(StateRef { scope: r.scope.clone(), name }));
                    }
                }
                Err(e) => editor.notice.set(Some(e.to_string())),
            }
        }
    };
    view! {
        <h2><span class=format!("kind-chip kind-{}", kind.to_lowercase())>{kind}</span>" state"</h2>
        <label class="field">
            <span class="field-label">"Name"</span>
            <input type="text" aria-label="State name" prop:value=r.name.clone() on:keydown=blur_on_enter on:change=move |e| rename(event_target_value(&e))/>
        </label>
        {comment}
        {specific}
        {flow}
        <div class="inspector-actions">
            <button class="btn" on:click=duplicate>"Duplicate"</button>
            <button class="btn danger" on:click=delete>"Delete"</button>
        </div>
    }
    .into_any()
}
