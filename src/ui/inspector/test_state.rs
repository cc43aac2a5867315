//! The inspector's "Test this state" panel: AWS's TestState, offline, for the selected state in
//! its whole definition. The request and the answer are `sim::teststate`'s; this wires the form.

use super::super::context::Editor;
use super::super::sim_view::SimView;
use crate::sim::teststate::form::{MockChoice, TestForm};
use crate::sim::protocol::{Request, TestStateAnswer, TestStateReply};
use crate::sim::teststate::{InspectionLevel, aws_cli_command};
use leptos::prelude::*;

/// What the panel shows after a test: the answer's body, or why there is none.
#[derive(Clone)]
enum Answer {
    Body { status: String, next: Option<String>, body: String },
    Refused(String),
}

#[component]
pub fn TestStatePanel(state: String) -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    let engine: super::super::engine::Engine = expect_context();
    let initial = sim.run.with_untracked(|r| TestForm::for_state(r.as_deref(), &state));
    let input = RwSignal::new(initial.input);
    let mock_kind = RwSignal::new("none".to_string());
    let result = RwSignal::new("{}".to_string());
    let error = RwSignal::new("States.TaskFailed".to_string());
    let cause = RwSignal::new(String::new());
    let level = RwSignal::new(initial.level);
    let answer = RwSignal::new(None::<Answer>);
    let state_name = StoredValue::new(state);

    let form = move || TestForm {
        input: input.get_untracked(),
        mock: match mock_kind.get_untracked().as_str() {
            "result" => MockChoice::Result(result.get_untracked()),
            "error" => MockChoice::Error { error: error.get_untracked(), cause: cause.get_untracked() },
            _ => MockChoice::None,
        },
        level: level.get_untracked(),
    };
    let request = move || {
        let definition = editor.session.with_untracked(|s| s.doc.text().to_string());
        form().request(&definition, &state_name.get_value())
    };
    // TestState runs in the engine worker (`super::super::engine`), like every run.
    let run = move |_| {
        let definition = editor.session.with_untracked(|s| s.doc.text().to_string());
        let ask = Request::TestState { definition, state: state_name.get_value(), form: form() };
        engine.ask(&ask, move |response: TestStateReply| {
            answer.set(Some(match response {
                TestStateReply::TestState(TestStateAnswer::Body { status, next, body }) => Answer::Body { status, next, body },
                TestStateReply::TestState(TestStateAnswer::Refused(why)) | TestStateReply::Error { message: why } => Answer::Refused(why),
            }))
        });
    };
    let copy = move |_| {
        let command = aws_cli_command(&request());
        if let Some(w) = web_sys::window() {
            let _ = w.navigator().clipboard().write_text(&command);
        }
        editor.notice.set(Some("Copied the aws stepfunctions test-state command".into()));
    };
    let levels = [InspectionLevel::Info, InspectionLevel::Debug, InspectionLevel::Trace];

    view! {
        <details class="test-state">
            <summary>"Test this state"</summary>
            <label class="field">
                <span class="field-label">"Input"</span>
                <textarea class="json" rows="5" spellcheck="false" aria-label="Test input" prop:value=move || input.get()
                    on:input=move |e| input.set(event_target_value(&e))></textarea>
            </label>
            <label class="field">
                <span class="field-label">"Mock"</span>
                <select aria-label="Mock" on:change=move |e| mock_kind.set(event_target_value(&e))>
                    <option value="none" selected=true>"None: the simulator answers"</option>
                    <option value="result">"A result"</option>
                    <option value="error">"An error"</option>
                </select>
            </label>
            <Show when=move || mock_kind.get() == "result">
                <label class="field">
                    <span class="field-label">"Mocked result"</span>
                    <textarea class="json" rows="3" spellcheck="false" aria-label="Mocked result" prop:value=move || result.get()
                        on:input=move |e| result.set(event_target_value(&e))></textarea>
                </label>
            </Show>
            <Show when=move || mock_kind.get() == "error">
                <label class="field">
                    <span class="field-label">"Error"</span>
                    <input type="text" aria-label="Mocked error" prop:value=move || error.get() on:input=move |e| error.set(event_target_value(&e))/>
                </label>
                <label class="field">
                    <span class="field-label">"Cause"</span>
                    <input type="text" aria-label="Mocked cause" prop:value=move || cause.get() on:input=move |e| cause.set(event_target_value(&e))/>
                </label>
            </Show>
            <label class="field">
                <span class="field-label">"Inspection level"</span>
                <select aria-label="Inspection level" on:change=move |e| {
                    if let Some(l) = InspectionLevel::parse(&event_target_value(&e)) { level.set(l) }
                }>
                    {levels.into_iter().map(|l| view! { <option value=l.name() selected=move || level.get() == l>{l.name()}</option> }).collect_view()}
                </select>
            </label>
            <div class="inspector-actions">
                <button class="btn" on:click=run>"Run test"</button>
                <button class="btn" on:click=copy title="The same call on real AWS">"Copy as AWS CLI"</button>
            </div>
            {move || answer.get().map(|a| match a {
                Answer::Body { status, next, body } => { let chip = format!("status-chip status-{}", status.to_lowercase()); view! {
                    <div class="test-answer" data-testid="test-answer">
                        <p><span class=chip>{status}</span>
                            {next.map(|n| view! { " → " <strong>{n}</strong> })}</p>
                        <pre class="json">{body}</pre>
                    </div>
                }.into_any() }
                Answer::Refused(why) => view! { <p class="field-error" role="alert">{why}</p> }.into_any(),
            })}
        </details>
    }
}
