//! The inspector's "Service answer" of a Task: what its service answers in runs (the default
//! answer shaped like the service's, echo, static JSON, one of the operation's errors under the
//! name Step Functions gives it, fail N times then succeed, time out, a JSONata expression, a
//! callback) and a latency. "Throw error" then an error is two clicks. Each change is one
//! undoable `Change::SetSimulation`; the choices are the Run drawer's, and "Download answers"
//! writes them for `statecraft run --answers`. The logic is `crate::sim::answers`.

use leptos::prelude::*;

use super::super::context::Editor;
use super::super::export_panel::data_url;
use super::super::service_files::ServiceFiles;
use crate::editor::change::Change;
use crate::sim::answers::{AnswerKind, Answers, choice_of_kind, choice_with_error, with_answer};
use crate::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec, errors_in, problems};

/// The section for the Task state `state` calling `resource`.
pub(super) fn service_answer(editor: Editor, state: String, resource: String) -> impl IntoView {
    let files: ServiceFiles = expect_context();
    let spec = {
        let state = state.clone();
        Memo::new(move |_| editor.session.with(|s| s.doc.simulation().handlers.get(&state).cloned().unwrap_or_default()))
    };
    // The operation's errors, once its service's file is here.
    let errors = Memo::new(move |_| {
        files.track();
        errors_in(&files.catalogue(), &resource)
    });
    let set = {
        let state = state.clone();
        move |next: HandlerSpec| {
            let settings = editor.session.with_untracked(|s| with_answer(s.doc.simulation(), &state, next));
            editor.perform(Ok(Change::SetSimulation(Box::new(settings))), "Choose service answer");
        }
    };
    let edit = {
        let set = set.clone();
        move |f: &dyn Fn(&mut HandlerSpec)| {
            let mut next = spec.get_untracked();
            f(&mut next);
            set(next);
        }
    };
    let on_kind = {
        let edit = edit.clone();
        move |ev: leptos::ev::Event| {
            let Some(kind) = AnswerKind::parse(&event_target_value(&ev)) else { return };
            let errors = errors.get_untracked();
            edit(&|s| s.choice = choice_of_kind(kind, &s.choice, &errors));
        }
    };
    let on_error = {
        let edit = edit.clone();
        move |ev: leptos::ev::Event| {
            let error = event_target_value(&ev);
            edit(&|s| s.choice = choice_with_error(&s.choice, &error));
        }
    };
    let on_latency = {
        let edit = edit.clone();
        move |ev: leptos::ev::Event| {
            let ms = event_target_value(&ev).trim().parse().unwrap_or(0);
            edit(&|s| s.latency_ms = ms);
        }
    };
    let kind = move || AnswerKind::of(&spec.get().choice);
    // What only some kinds have: the error list, the count, the JSON, the expression.
    let details = {
        let edit = edit.clone();
        move || {
            let edit = edit.clone();
            let current = spec.get().choice;
            let error_list = |chosen: String| {
                let mut names = errors.get();
                if !names.contains(&chosen) {
                    names.insert(0, chosen.clone());
                }
                let on_error = on_error.clone();
                view! {
                    <label class="field">
                        <span class="field-label">"Error"</span>
                        <select aria-label="Error to throw" data-testid="answer-error" on:change=on_error>
                            {names.into_iter().map(|n| { let sel = n == chosen; let shown = n.clone(); view! { <option value=n selected=sel>{shown}</option> } }).collect_view()}
                        </select>
                    </label>
                }
            };
            match current {
                HandlerChoice::Throw { error, cause } if error != crate::asl::error::names::TIMEOUT => {
                    let edit = edit.clone();
                    view! {
                        {error_list(error)}
                        <label class="field">
                            <span class="field-label">"Cause"</span>
                            <input type="text" aria-label="Cause" prop:value=cause on:change=move |ev| {
                                let cause = event_target_value(&ev);
                                edit(&|s| if let HandlerChoice::Throw { cause: c, .. } = &mut s.choice { *c = cause.clone() });
                            }/>
                        </label>
                    }
                    .into_any()
                }
                HandlerChoice::FailThenSucceed { times, error, .. } => view! {
                    {error_list(error)}
                    <label class="field">
                        <span class="field-label">"Failures before success"</span>
                        <input type="number" min="0" aria-label="Failures before success" prop:value=times.to_string() on:change=move |ev| {
                            let n = event_target_value(&ev).trim().parse().unwrap_or(1);
                            edit(&|s| if let HandlerChoice::FailThenSucceed { times, .. } = &mut s.choice { *times = n });
                        }/>
                    </label>
                }
                .into_any(),
                HandlerChoice::Static { json } => view! {
                    <label class="field">
                        <span class="field-label">"Answer (JSON)"</span>
                        <textarea class="json" rows="3" spellcheck="false" aria-label="Static answer" prop:value=json on:change=move |ev| {
                            let json = event_target_value(&ev);
                            edit(&|s| s.choice = HandlerChoice::Static { json: json.clone() });
                        }></textarea>
                    </label>
                }
                .into_any(),
                HandlerChoice::Jsonata { expression } => view! {
                    <label class="field">
                        <span class="field-label">"JSONata over the request ($)"</span>
                        <input type="text" aria-label="Answer expression" prop:value=expression on:change=move |ev| {
                            let expression = event_target_value(&ev);
                            edit(&|s| s.choice = HandlerChoice::Jsonata { expression: expression.clone() });
                        }/>
                    </label>
                }
                .into_any(),
                _ => ().into_any(),
            }
        }
    };
    // A choice that cannot run, said here as well as when Run is pressed.
    let problem = {
        let state = state.clone();
        move || {
            let errors = problems(&HandlerSet::from([(state.clone(), spec.get())]));
            (!errors.is_empty()).then(|| view! { <p class="field-error" role="alert">{errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")}</p> })
        }
    };
    let download = move || editor.session.with(|s| data_url("application/json", &Answers::of_document(&s.doc.simulation().handlers).to_json()));
    view! {
        <fieldset class="item service-answer" aria-label="Service answer" data-testid="service-answer">
            <legend>"Service answer in runs"</legend>
            <label class="field">
                <span class="field-label">"Answer"</span>
                <select aria-label="Service answer" data-testid="answer-kind" on:change=on_kind>
                    {AnswerKind::ALL.into_iter().map(|k| view! { <option value=k.name() selected=move || kind() == k>{k.label()}</option> }).collect_view()}
                </select>
            </label>
            {details}
            <label class="field">
                <span class="field-label">"Latency (ms)"</span>
                <input type="number" min="0" aria-label="Answer latency" prop:value=move || spec.get().latency_ms.to_string() on:change=on_latency/>
            </label>
            {problem}
            <a class="btn" data-testid="download-answers" href=download download="answers.json"
                title="Every Task's answer, for statecraft run --answers answers.json">"Download answers"</a>
        </fieldset>
    }
}
