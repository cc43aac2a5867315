//! The inspector's sections by state type (Task resource picker, Wait modes, the Choice rule
//! builder, Map and Parallel settings, Pass and Fail), the data-flow fields of each query
//! language with the Assign editor, and the Retry and Catch list editors.

use super::{Cx, choose, input, item_buttons, select, target};
use crate::asl::json::Node;
use crate::asl::model::{ComparisonOperator, OperandKind, StateKind, StateType, is_test_field};
use crate::editor::fields::{self, FieldOp, Kind, NEW_RULE, PRESETS, WAIT_MODES};
use crate::editor::scope::unique_name;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use std::sync::Arc as Rc;

fn s(at: &str) -> String {
    at.to_string()
}

/// The fields of the state's own type.
pub(super) fn specific(cx: &Cx) -> AnyView {
    match &cx.state.kind {
        StateKind::Task(t) => {
            let current = t.resource.as_deref().and_then(fields::preset_of).map(|p| p.label).unwrap_or("");
            let c = cx.clone();
            let pick = Rc::new(move |label: String| {
                if let Some(p) = PRESETS.iter().find(|p| p.label == label) {
                    c.run(fields::pick_preset(&c.state, p, c.jsonata), "Pick resource");
                }
            });
            let options: Vec<(String, String)> = PRESETS.iter().map(|p| (p.label.to_string(), p.label.to_string())).collect();
            view! {
                <label class="field">
                    <span class="field-label">"Resource type"</span>
                    <select aria-label="Resource type" data-at="#preset" on:change=move |e| pick(event_target_value(&e))>
                        <option value="" selected=current.is_empty()>"Custom ARN"</option>
                        {options.into_iter().map(|(v, t): (String, String)| { let sel = v == current; view! { <option value=v selected=sel>{t}</option> } }).collect_view()}
                    </select>
                </label>
                {input(cx, "Resource", s("/Resource"), Kind::Text)}
                <p class="hint">"REGION and ACCOUNT_ID are placeholders that export fills in."</p>
                <div class="grid2">
                    {input(cx, "TimeoutSeconds", s("/TimeoutSeconds"), Kind::Number)}
                    {input(cx, "HeartbeatSeconds", s("/HeartbeatSeconds"), Kind::Number)}
                    {(!cx.jsonata).then(|| view! {
                        {input(cx, "TimeoutSecondsPath", s("/TimeoutSecondsPath"), Kind::Text)}
                        {input(cx, "HeartbeatSecondsPath", s("/HeartbeatSecondsPath"), Kind::Text)}
                    })}
                </div>
            }
            .into_any()
        }
        StateKind::Wait(_) => {
            let modes: Vec<&(&str, &str, Kind)> = WAIT_MODES.iter().filter(|(m, ..)| !cx.jsonata || !m.ends_with("Path")).collect();
            let current = WAIT_MODES.iter().find(|(m, ..)| cx.has(&format!("/{m}"))).copied();
            let c = cx.clone();
            let switch = move |mode: String| {
                if let Some((m, default, kind)) = WAIT_MODES.iter().find(|(m, ..)| *m == mode) {
                    c.run(vec![FieldOp::Set { at: format!("/{m}"), text: default.to_string(), kind: *kind }], "Switch wait mode");
                }
            };
            let name = current.map(|(m, ..)| m).unwrap_or("");
            view! {
                <label class="field">
                    <span class="field-label">"Wait for"</span>
                    <select aria-label="Wait mode" data-at="#wait-mode" on:change=move |e| switch(event_target_value(&e))>
                        {current.is_none().then(|| view! { <option value="" selected=true>"— pick a mode —"</option> })}
                        {modes.into_iter().map(|(m, ..)| { let sel = *m == name; view! { <option value=*m selected=sel>{*m}</option> } }).collect_view()}
                    </select>
                </label>
                {current.map(|(m, _, kind)| input(cx, m, format!("/{m}"), kind))}
            }
            .into_any()
        }
        StateKind::Choice(_) => {
            let n = cx.len("/Choices");
            let rule_item = if cx.jsonata {
                format!(r#"{{"Condition":"{{% true %}}","Next":{}}}"#, next_json(cx))
            } else {
                format!(r#"{{"Variable":"$.value","StringEquals":"","Next":{}}}"#, next_json(cx))
            };
            view! {
                <h3>"Rules"</h3>
                {(0..n).map(|i| view! {
                    <fieldset class="item rule-item">
                        <legend>{format!("Rule {}", i + 1)}{item_buttons(cx, "/Choices", i, n)}</legend>
                        {rule(cx, format!("/Choices/{i}"), 0)}
                        {target(cx, "Then go to", &format!("/Choices/{i}/Next"))}
                    </fieldset>
                }).collect_view()}
                <button class="btn add" on:click=cx.act(vec![FieldOp::Push { at: s("/Choices"), item: rule_item }], "Add rule")>"+ Add rule"</button>
                {target(cx, "Default", "/Default")}
            }
            .into_any()
        }
        StateKind::Map(m) => {
            let processor = match crate::asl::walk::processor(m) {
                Some((how, _)) => format!("/{}", how.field()),
                None => "/ItemProcessor".to_string(),
            };
            let p = cx.jsonata;
            view! {
                <h3>"Items"</h3>
                {if p { input(cx, "Items", s("/Items"), Kind::Json) } else { input(cx, "ItemsPath", s("/ItemsPath"), Kind::Text) }}
                {input(cx, "ItemSelector", s("/ItemSelector"), Kind::Json)}
                {choose(cx, "Mode", &format!("{processor}/ProcessorConfig/Mode"), &["INLINE", "DISTRIBUTED"], Some("INLINE (default)"))}
                {choose(cx, "ExecutionType", &format!("{processor}/ProcessorConfig/ExecutionType"), &["STANDARD", "EXPRESS"], Some("— none (INLINE) —"))}
                <div class="grid2">
                    {input(cx, "MaxConcurrency", s("/MaxConcurrency"), Kind::Number)}
                    {input(cx, "ToleratedFailureCount", s("/ToleratedFailureCount"), Kind::Number)}
                    {input(cx, "ToleratedFailurePercentage", s("/ToleratedFailurePercentage"), Kind::Number)}
                    {input(cx, "Label", s("/Label"), Kind::Text)}
                    {(!p).then(|| view! {
                        {input(cx, "MaxConcurrencyPath", s("/MaxConcurrencyPath"), Kind::Text)}
                        {input(cx, "ToleratedFailureCountPath", s("/ToleratedFailureCountPath"), Kind::Text)}
                        {input(cx, "ToleratedFailurePercentagePath", s("/ToleratedFailurePercentagePath"), Kind::Text)}
                    })}
                </div>
            }
            .into_any()
        }
        StateKind::Parallel(p) => {
            let branches: Vec<(String, usize)> =
                p.branches.iter().flatten().map(|b| (b.start_at.clone().unwrap_or_default(), b.states.len())).collect();
            let n = branches.len();
            let fresh = cx.editor.session.with_untracked(|s| unique_name(s.doc.machine(), &format!("Branch{}", n + 1), &[]));
            let item = format!(r#"{{"StartAt":{0},"States":{{{0}:{{"Type":"Pass","End":true}}}}}}"#, json_str(&fresh));
            view! {
                <h3>"Branches"</h3>
                <ol class="branches">
                    {branches.into_iter().enumerate().map(|(i, (start, count))| view! {
                        <li>{format!("starts at {start} · {count} state{}", if count == 1 { "" } else { "s" })}{item_buttons(cx, "/Branches", i, n)}</li>
                    }).collect_view()}
                </ol>
                <button class="btn add" on:click=cx.act(vec![FieldOp::Push { at: s("/Branches"), item }], "Add branch")>"+ Add branch"</button>
            }
            .into_any()
        }
        StateKind::Pass(_) if !cx.jsonata => input(cx, "Result", s("/Result"), Kind::Json),
        StateKind::Fail(_) => {
            let p = !cx.jsonata;
            view! {
                {input(cx, "Error", s("/Error"), Kind::Text)}
                {input(cx, "Cause", s("/Cause"), Kind::Text)}
                {p.then(|| view! {
                    {input(cx, "ErrorPath", s("/ErrorPath"), Kind::Text)}
                    {input(cx, "CausePath", s("/CausePath"), Kind::Text)}
                })}
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}

fn json_str(text: &str) -> String {
    crate::asl::json::write(&Node::string(text), crate::asl::json::WriteStyle::Compact)
}

/// The first state a new rule or catcher may go to, as JSON (`null` when there is none).
fn next_json(cx: &Cx) -> String {
    cx.names.first().map(|n| json_str(n)).unwrap_or_else(|| "null".into())
}

/// The rule builder: one rule (at `at`) with its operator, and its nested rules for And/Or/Not.
fn rule(cx: &Cx, at: String, depth: usize) -> AnyView {
    let node = cx.json.at_pointer(&at).map(|(n, _)| n.clone());
    let test = node.as_ref().and_then(|n| n.as_object()).and_then(|m| m.iter().find(|m| is_test_field(&m.key)).map(|m| m.key.clone()));
    let test = test.unwrap_or_default();
    let mut ops: Vec<&str> = vec!["And", "Or", "Not"];
    if cx.jsonata || test == "Condition" {
        ops.insert(0, "Condition");
    }
    if !cx.jsonata || test != "Condition" {
        ops.extend(ComparisonOperator::ALL.iter().map(|o| o.name()));
    }
    let c = cx.clone();
    let a = at.clone();
    let pick = Rc::new(move |op: String| {
        c.run(vec![FieldOp::Operator { at: a.clone(), op }], "Edit rule");
    });
    let options = ops.iter().map(|o| (o.to_string(), o.to_string())).collect();
    let picker = select(cx, "Test", format!("{at}#op"), test.clone(), options, (depth == 0 && test.is_empty()).then_some("— pick —"), pick);
    let body = match test.as_str() {
        "And" | "Or" => {
            let list = format!("{at}/{test}");
            let n = cx.len(&list);
            view! {
                <div class="nested">
                    {(0..n).map(|i| view! {
                        <div class="sub">
                            {rule(cx, format!("{list}/{i}"), depth + 1)}
                            <button class="icon-btn danger" title="Remove condition" aria-label="Remove condition"
                                on:click=cx.act(vec![FieldOp::Remove(format!("{list}/{i}"))], "Remove condition")>"✕"</button>
                        </div>
                    }).collect_view()}
                    <button class="btn add" on:click=cx.act(vec![FieldOp::Push { at: list.clone(), item: NEW_RULE.into() }], "Add condition")>"+ Add condition"</button>
                </div>
            }
            .into_any()
        }
        "Not" => view! { <div class="nested"><div class="sub">{rule(cx, format!("{at}/Not"), depth + 1)}</div></div> }.into_any(),
        "Condition" => input(cx, "Condition", format!("{at}/Condition"), Kind::Text),
        "" => ().into_any(),
        op => {
            let kind = match ComparisonOperator::from_name(op).map(|o| o.operand_kind()) {
                Some(OperandKind::Number) => Kind::Number,
                Some(OperandKind::Boolean) => Kind::Bool,
                Some(OperandKind::Path) => Kind::Text,
                _ => Kind::Str,
            };
            view! {
                <div class="grid2">
                    {input(cx, "Variable", format!("{at}/Variable"), Kind::Text)}
                    {input(cx, "Value", format!("{at}/{op}"), kind)}
                </div>
            }
            .into_any()
        }
    };
    view! { <div class="rule-edit" data-rule=at>{picker}{body}</div> }.into_any()
}

/// The data-flow fields the state's type takes in its query language, and Assign.
pub(super) fn io(cx: &Cx, ty: StateType) -> AnyView {
    let fields: &[(&'static str, Kind)] = if cx.jsonata {
        &[("Arguments", Kind::Json), ("Output", Kind::Json)]
    } else {
        &[("InputPath", Kind::Number), ("Parameters", Kind::Json), ("ResultSelector", Kind::Json), ("ResultPath", Kind::Number), ("OutputPath", Kind::Number)]
    };
    let shown: Vec<_> = fields.iter().filter(|(f, _)| ty.allows(f)).collect();
    let assign = ty.allows("Assign").then(|| assign(cx));
    (!shown.is_empty() || assign.is_some())
        .then(|| {
            view! {
                <h3>"Input and output"</h3>
                {shown.into_iter().map(|(f, k)| input(cx, f, format!("/{f}"), *k)).collect_view()}
                {assign}
            }
        })
        .into_any()
}

/// Assign as variable name → value rows (a value is JSON, or text kept as a string).
fn assign(cx: &Cx) -> AnyView {
    let keys: Vec<String> = cx.json.get("Assign").and_then(Node::as_object).map(|m| m.iter().map(|m| m.key.clone()).collect()).unwrap_or_default();
    let fresh = (1..).map(|i| format!("var{i}")).find(|k| !keys.contains(k)).expect("a free name");
    view! {
        <div class="assign" role="group" aria-label="Assign">
            <span class="field-label">"Assign (variables)"</span>
            {keys.into_iter().map(|k| {
                let at = format!("/Assign/{}", k.replace('~', "~0").replace('/', "~1"));
                let c = cx.clone();
                let a = at.clone();
                let rename = move |e: leptos::ev::Event| {
                    let to = event_target_value(&e);
                    if let Some(err) = c.run(vec![FieldOp::Rename { at: a.clone(), to }], "Rename variable") {
                        c.editor.notice.set(Some(err));
                    }
                };
                view! {
                    <div class="kv">
                        <input type="text" class="key" aria-label="Variable name" data-at=format!("{at}#key") prop:value=k on:change=rename/>
                        {input(cx, "Value", at.clone(), Kind::Number)}
                        <button class="icon-btn danger" title="Remove variable" aria-label="Remove variable" on:click=cx.act(vec![FieldOp::Remove(at)], "Remove variable")>"✕"</button>
                    </div>
                }
            }).collect_view()}
            <button class="btn add" on:click=cx.act(vec![FieldOp::Set { at: format!("/Assign/{fresh}"), text: "null".into(), kind: Kind::Number }], "Add variable")>"+ Add variable"</button>
        </div>
    }
    .into_any()
}

/// ErrorEquals as chips: each removable, and a field that adds one.
fn chips(cx: &Cx, at: String) -> AnyView {
    let errors: Vec<String> = cx.json.at_pointer(&at).and_then(|(n, _)| n.as_array()).map(|a| a.iter().filter_map(Node::as_str).map(str::to_string).collect()).unwrap_or_default();
    let err = cx.problem(&at);
    let invalid = err.is_some();
    let set = |list: Vec<String>| FieldOp::Set { at: at.clone(), text: list.join(","), kind: Kind::List };
    let c = cx.clone();
    let (a, current) = (at.clone(), errors.clone());
    let add = move |e: leptos::ev::Event| {
        let mut list = current.clone();
        list.extend(event_target_value(&e).split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()));
        if c.run(vec![FieldOp::Set { at: a.clone(), text: list.join(","), kind: Kind::List }], "Edit errors").is_none() {
            // Added: the field is empty for the next one.
            if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                input.set_value("");
            }
        }
    };
    view! {
        <div class="field" class:invalid=invalid>
            <span class="field-label">"ErrorEquals"</span>
            <div class="chips">
                {errors.iter().enumerate().map(|(i, e)| {
                    let mut rest = errors.clone();
                    rest.remove(i);
                    view! { <span class="chip">{e.clone()}<button aria-label=format!("Remove {e}") on:click=cx.act(vec![set(rest)], "Edit errors")>"×"</button></span> }
                }).collect_view()}
                <input type="text" class="chip-input" list="statecraft-errors" placeholder="Add error…" aria-label="Add error" data-at=at.clone() on:change=add/>
            </div>
            {super::error_line(err)}
        </div>
    }
    .into_any()
}

const ERRORS: &[&str] = &["States.ALL", "States.TaskFailed", "States.Timeout", "States.HeartbeatTimeout", "States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure", "States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure", "States.ExceedToleratedFailureThreshold", "States.QueryEvaluationError", "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException"];

/// "+ Add catcher": asks where the new catcher goes (its siblings, never itself), then adds one
/// that catches an error no catcher of the state names yet (see `editor::edit::add_catcher`).
fn add_catcher(cx: &Cx) -> AnyView {
    let asking = RwSignal::new(false);
    let (editor, r) = (cx.editor, cx.r.clone());
    let targets = editor.session.with_untracked(|s| crate::editor::edit::catch_targets(&s.doc, &r));
    let error = crate::editor::edit::uncaught_error(&cx.state);
    let chosen = move |e: leptos::ev::Event| {
        let next = event_target_value(&e);
        if next.is_empty() {
            return;
        }
        let change = editor.session.with_untracked(|s| crate::editor::edit::add_catcher(&s.doc, &r, &next));
        editor.perform(change, "Add catcher");
        asking.set(false);
    };
    let Some(error) = error else {
        return view! { <p class="hint">"Every error is caught."</p> }.into_any();
    };
    view! {
        <Show when=move || asking.get() fallback=move || view! {
            <button class="btn add" on:click=move |_| asking.set(true)>"+ Add catcher"</button>
        }>
            <label class="field new-catcher">
                <span class="field-label">{format!("New catcher for {error}: goes to")}</span>
                <select data-testid="new-catcher-next" on:change=chosen.clone()
                    on:keydown=move |e: leptos::ev::KeyboardEvent| if e.key() == "Escape" { asking.set(false) }>
                    <option value="" selected=true>"— choose a state —"</option>
                    {targets.iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                </select>
            </label>
        </Show>
    }
    .into_any()
}

/// The Retry and Catch list editors (Task, Parallel, Map).
pub(super) fn errors(cx: &Cx) -> AnyView {
    if !matches!(cx.state.kind, StateKind::Task(_) | StateKind::Parallel(_) | StateKind::Map(_)) {
        return ().into_any();
    }
    let (nr, nc) = (cx.len("/Retry"), cx.len("/Catch"));
    view! {
        <datalist id="statecraft-errors">{ERRORS.iter().map(|e| view! { <option value=*e/> }).collect_view()}</datalist>
        <h3>"Retry"</h3>
        {(0..nr).map(|i| {
            let p = format!("/Retry/{i}");
            view! {
                <fieldset class="item retrier">
                    <legend>{format!("Retrier {}", i + 1)}{item_buttons(cx, "/Retry", i, nr)}</legend>
                    {chips(cx, format!("{p}/ErrorEquals"))}
                    <div class="grid2">
                        {input(cx, "IntervalSeconds", format!("{p}/IntervalSeconds"), Kind::Number)}
                        {input(cx, "MaxAttempts", format!("{p}/MaxAttempts"), Kind::Number)}
                        {input(cx, "BackoffRate", format!("{p}/BackoffRate"), Kind::Number)}
                        {input(cx, "MaxDelaySeconds", format!("{p}/MaxDelaySeconds"), Kind::Number)}
                    </div>
                    {choose(cx, "JitterStrategy", &format!("{p}/JitterStrategy"), &["FULL", "NONE"], Some("— none —"))}
                </fieldset>
            }
        }).collect_view()}
        <button class="btn add" on:click=cx.act(vec![FieldOp::Push { at: s("/Retry"), item: r#"{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":3,"BackoffRate":2}"#.into() }], "Add retrier")>"+ Add retrier"</button>
        <h3>"Catch"</h3>
        {(0..nc).map(|i| {
            let p = format!("/Catch/{i}");
            view! {
                <fieldset class="item catcher">
                    <legend>{format!("Catcher {}", i + 1)}{item_buttons(cx, "/Catch", i, nc)}</legend>
                    {chips(cx, format!("{p}/ErrorEquals"))}
                    {target(cx, "Next", &format!("{p}/Next"))}
                    {if cx.jsonata { input(cx, "Output", format!("{p}/Output"), Kind::Json) } else { input(cx, "ResultPath", format!("{p}/ResultPath"), Kind::Number) }}
                </fieldset>
            }
        }).collect_view()}
        {add_catcher(cx)}
    }
    .into_any()
}
