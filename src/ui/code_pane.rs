//! The live ASL code: an editable text with line numbers, the selected state's lines
//! highlighted, and the lines with problems marked. Typing becomes the model as soon as it
//! parses; a burst of typing is one undo step.

use super::context::{Editor, now_ms};
use crate::editor::change::Change;
use crate::editor::history::Merge;
use crate::asl::json::LineIndex;
use leptos::prelude::*;

const LINE_HEIGHT: f64 = 19.0;

#[component]
pub fn CodePane() -> impl IntoView {
    let editor: Editor = expect_context();
    let session = editor.session;
    let area = NodeRef::<leptos::html::Textarea>::new();
    let scroller = NodeRef::<leptos::html::Div>::new();

    // Model → text: only when the text differs from what the field holds (never an echo).
    Effect::new(move |_| {
        let text = session.with(|s| s.doc.text().to_string());
        if let Some(el) = area.get() {
            if el.value() != text {
                el.set_value(&text);
            }
        }
    });

    let on_input = move |e: leptos::ev::Event| {
        let value = event_target_value(&e);
        editor.perform_merged(Ok(Change::SetText(value)), "Edit code", Merge::Burst { key: "code".into(), at_ms: now_ms() });
    };

    // Memos: a node drag changes the session but not the text, so nothing here re-renders.
    let line_count = Memo::new(move |_| session.with(|s| s.doc.text().lines().count().max(1) + 1));
    // The lines of the selected state, 1-based and inclusive.
    let selected_lines = Memo::new(move |_| {
        let sel = editor.selected.get()?;
        session.with(|s| {
            let pointer = sel.pointer(s.doc.machine());
            let span = s.doc.span_of(&pointer)?;
            let index = LineIndex::new(s.doc.text());
            Some((index.position(span.start as usize).line, index.position(span.end as usize).line))
        })
    });
    // Scroll the selected state into view.
    Effect::new(move |_| {
        if let (Some((first, _)), Some(el)) = (selected_lines.get(), scroller.get_untracked()) {
            let top = (first as f64 - 3.0).max(0.0) * LINE_HEIGHT;
            el.set_scroll_top(top as i32);
        }
    });
    let problem_lines = Memo::new(move |_| {
        session.with(|s| s.doc.diagnostics().iter().filter_map(|d| Some((d.position?.line, d.is_error()))).collect::<Vec<_>>())
    });
    let gutter = move || {
        let n = line_count.get();
        let problems = problem_lines.get();
        (1..n)
            .map(|i| {
                let class = match problems.iter().find(|(l, _)| *l == i) {
                    Some((_, true)) => "ln error",
                    Some((_, false)) => "ln warning",
                    None => "ln",
                };
                view! { <div class=class>{i}</div> }
            })
            .collect_view()
    };
    let band = move || {
        selected_lines.get().map(|(a, b)| {
            let style = format!("top: {}px; height: {}px", (a - 1) as f64 * LINE_HEIGHT + 8.0, (b - a + 1) as f64 * LINE_HEIGHT);
            view! { <div class="code-band" style=style></div> }
        })
    };
    let error = Memo::new(move |_| {
        session.with(|s| {
            s.doc.syntax_error().map(|d| {
                let at = d.position.map(|p| format!("line {}, column {}: ", p.line, p.column)).unwrap_or_default();
                format!("{at}{} — the canvas shows the last valid graph", d.message)
            })
        })
    });
    let initial = session.with_untracked(|s| s.doc.text().to_string());
    view! {
        <section class="panel code">
            <h2>"ASL definition"</h2>
            {move || error.get().map(|e| view! { <p class="code-error" role="alert">{e}</p> })}
            <div class="code-scroll" node_ref=scroller>
                <div class="code-gutter" aria-hidden="true">{gutter}</div>
                <div class="code-body">
                    {band}
                    <textarea
                        node_ref=area
                        class="code-text"
                        data-testid="asl-code"
                        aria-label="ASL definition"
                        spellcheck="false"
                        autocomplete="off"
                        wrap="off"
                        rows=move || line_count.get()
                        on:input=on_input
                        prop:value=initial
                    ></textarea>
                </div>
            </div>
        </section>
    }
}
