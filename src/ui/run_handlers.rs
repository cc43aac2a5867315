//! The handler of each Task state in the Run drawer (seed Lambda, echo, static JSON, throw,
//! fail N times, JSONata, wait for a callback; a latency), and the handler set as a Step
//! Functions Local MockConfigFile. The choices are `crate::sim::handler`'s.

use leptos::prelude::*;

use super::context::Editor;
use super::sim_view::SimView;
use crate::editor::change::Change;
use crate::sim::handler::{HandlerChoice, HandlerSpec, TaskInfo, tasks_of};

fn choice_kind(c: &HandlerChoice) -> &'static str {
    match c {
        HandlerChoice::Seed => "seed",
        HandlerChoice::Echo => "echo",
        HandlerChoice::Static { .. } => "static",
        HandlerChoice::Throw { .. } => "throw",
        HandlerChoice::FailThenSucceed { .. } => "fail",
        HandlerChoice::Jsonata { .. } => "jsonata",
        HandlerChoice::Callback { .. } => "callback",
    }
}

/// The picker's choices: each one's value and words.
const KINDS: [(&str, &str); 7] = [
    ("seed", "default answer"),
    ("echo", "echo"),
    ("static", "static JSON"),
    ("throw", "throw error"),
    ("fail", "fail N times, then succeed"),
    ("jsonata", "JSONata expression"),
    ("callback", "wait for callback"),
];

/// The words of the choice `kind` (the picker's title: a narrow picker cuts them).
fn kind_words(kind: &str) -> &'static str {
    KINDS.iter().find(|(k, _)| *k == kind).map_or("", |(_, words)| words)
}

fn choice_of(kind: &str) -> HandlerChoice {
    match kind {
        "echo" => HandlerChoice::Echo,
        "static" => HandlerChoice::Static { json: "{}".into() },
        "throw" => HandlerChoice::Throw { error: "States.TaskFailed".into(), cause: "Simulated error".into() },
        "fail" => HandlerChoice::FailThenSucceed { times: 2, error: "States.TaskFailed".into(), then: None },
        "jsonata" => HandlerChoice::Jsonata { expression: "{% $ %}".into() },
        "callback" => HandlerChoice::callback(),
        _ => HandlerChoice::Seed,
    }
}

/// One handler picker per Task state.
#[component]
pub fn Handlers(on_change: Callback<()>) -> impl IntoView {
    let editor: Editor = expect_context();
    let sim: SimView = expect_context();
    // The Task states, read from the model (nothing is compiled on the page) and only while the
    // drawer is open (the rows are hidden otherwise), and the handler set: both memos, so a
    // keystroke that changes neither redraws no row.
    let tasks = Memo::new(move |was: Option<&Vec<TaskInfo>>| {
        if !sim.open.get() && let Some(was) = was {
            return was.clone();
        }
        editor.session.with(|s| {
            s.doc.model_revision();
            tasks_of(s.doc.machine())
        })
    });
    let handlers = Memo::new(move |_| editor.session.with(|s| s.doc.simulation().handlers.clone()));
    let spec_of = move |name: &str| handlers.with_untracked(|h| h.get(name).cloned().unwrap_or_default());
    let set_spec = move |name: String, spec: HandlerSpec| {
        let next = editor.session.with_untracked(|s| s.doc.simulation().with_handler(name, spec));
        if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Choose handler") {
            on_change.run(());
        }
    };
    let row = move |task: TaskInfo| {
        let name = task.state.clone();
        let n1 = name.clone();
        let n2 = name.clone();
        let n3 = name.clone();
        // This row's spec alone: the row redraws when its own handler changes.
        let own = Memo::new(move |_| handlers.with(|h| h.get(&n1).cloned().unwrap_or_default()));
        let spec = move || own.get();
        let kind = {
            let spec = spec.clone();
            move || choice_kind(&spec().choice)
        };
        let on_kind = move |ev: leptos::ev::Event| {
            let mut s = spec_of(&n2);
            s.choice = choice_of(&event_target_value(&ev));
            set_spec(n2.clone(), s);
        };
        let on_latency = move |ev: leptos::ev::Event| {
            let mut s = spec_of(&n3);
            s.latency_ms = event_target_value(&ev).parse().unwrap_or(0);
            set_spec(n3.clone(), s);
        };
        let params = {
            let name = name.clone();
            move || {
                let spec = own.get();
                let name = name.clone();
                let field = move |label: &'static str, value: String, apply: fn(&mut HandlerChoice, String)| {
                    let name = name.clone();
                    view! {
                        <input class="param" aria-label=label placeholder=label prop:value=value data-testid=format!("handler-{label}")
                            on:change=move |ev| {
                                let mut s = spec_of(&name);
                                apply(&mut s.choice, event_target_value(&ev));
                                set_spec(name.clone(), s);
                            }/>
                    }
                };
                match spec.choice {
                    HandlerChoice::Static { json } => field("json", json, |c, v| *c = HandlerChoice::Static { json: v }).into_any(),
                    HandlerChoice::Throw { error, cause } => view! {
                        {field("error", error, |c, v| if let HandlerChoice::Throw { error, .. } = c { *error = v })}
                        {field("cause", cause, |c, v| if let HandlerChoice::Throw { cause, .. } = c { *cause = v })}
                    }.into_any(),
                    HandlerChoice::FailThenSucceed { times, error, .. } => view! {
                        {field("times", times.to_string(), |c, v| if let HandlerChoice::FailThenSucceed { times, .. } = c { *times = v.parse().unwrap_or(1) })}
                        {field("error", error, |c, v| if let HandlerChoice::FailThenSucceed { error, .. } = c { *error = v })}
                    }.into_any(),
                    HandlerChoice::Jsonata { expression } => field("expression", expression, |c, v| *c = HandlerChoice::Jsonata { expression: v }).into_any(),
                    _ => ().into_any(),
                }
            }
        };
        let title = task.function.clone().map(|f| format!("Lambda {f}")).unwrap_or(task.resource.clone());
        view! {
            <div class="handler-row" data-handler=name.clone()>
                <span class="handler-name" title=title>{name.clone()}</span>
                <select aria-label=format!("Handler of {name}") title={
                    let kind = kind.clone();
                    move || kind_words(kind())
                } prop:value=kind on:change=on_kind>
                    {KINDS.iter().map(|(value, words)| {
                        let title = (*value == "seed").then_some("The seed Lambda of its function name, else the simulated service or the catalogue's answer");
                        view! { <option value=*value title=title>{*words}</option> }
                    }).collect_view()}
                </select>
                <input class="latency" type="number" min="0" title="Simulated latency (ms)" aria-label=format!("Latency of {name}")
                    prop:value=move || spec().latency_ms.to_string() on:change=on_latency/>
                <span class="params">{params}</span>
            </div>
        }
    };
    view! {
        <details class="handlers" open>
            <summary>"Handlers per Task"</summary>
            {move || tasks.get().into_iter().map(row).collect_view()}
            <MockConfigFile tasks=tasks on_change=on_change/>
        </details>
    }
}

/// The handler set as a Step Functions Local MockConfigFile: export to the text box, or import
/// what is pasted there.
#[component]
fn MockConfigFile(tasks: Memo<Vec<TaskInfo>>, on_change: Callback<()>) -> impl IntoView {
    let editor: Editor = expect_context();
    let text = RwSignal::new(String::new());
    let note = RwSignal::new(None::<String>);
    let export = move |_| {
        let (config, notes) = editor.session.with_untracked(|s| crate::sim::mock::export(&s.doc.simulation().handlers, &tasks.get_untracked(), s.doc.name()));
        text.set(config.to_text());
        note.set((!notes.is_empty()).then(|| notes.join("; ")));
    };
    let import = move |_| match crate::sim::mock::import(&text.get_untracked(), None, &tasks.get_untracked()) {
        Ok(set) => {
            let n = set.len();
            let next = editor.session.with_untracked(|s| s.doc.simulation().with_handlers(set));
            if editor.perform(Ok(Change::SetSimulation(Box::new(next))), "Import mock file") {
                note.set(Some(format!("Imported {n} handler(s).")));
                on_change.run(());
            }
        }
        Err(e) => note.set(Some(e)),
    };
    view! {
        <details class="mock-config">
            <summary>"MockConfigFile (Step Functions Local)"</summary>
            <textarea class="json" rows="4" data-testid="mock-config" spellcheck="false" prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            <div class="run-controls">
                <button data-testid="mock-export" on:click=export>"Export"</button>
                <button data-testid="mock-import" on:click=import>"Import"</button>
            </div>
            {move || note.get().map(|n| view! { <p class="run-note" data-testid="mock-note">{n}</p> })}
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_of_the_picker_has_words_and_is_read_back_as_itself() {
        for (kind, words) in KINDS {
            assert_eq!(choice_kind(&choice_of(kind)), kind);
            assert_eq!(kind_words(kind), words);
            assert!(!words.is_empty());
        }
        assert_eq!(kind_words("fail"), "fail N times, then succeed");
        assert_eq!(kind_words("nonsense"), "");
    }
}
