//! The diagnostics list: every problem the validator found, located (line:column, and the state
//! and field in words: `editor::scope::describe_pointers`); clicking one selects its state on the
//! canvas and its span in the code.

use super::context::Editor;
use crate::editor::scope::{describe_pointers, state_at_pointer};
use leptos::prelude::*;

#[component]
pub fn Diagnostics() -> impl IntoView {
    let editor: Editor = expect_context();
    let items = Memo::new(move |_| {
        editor.diagnostics.with(|all| {
            // Which state and field, in words (a line:column alone says little in a long definition).
            let places = editor.session.with_untracked(|s| describe_pointers(s.doc.machine(), all.iter().map(|d| d.pointer.as_str())));
            all.iter()
                .zip(places)
                .enumerate()
                .map(|(i, (d, at))| {
                    let place = d.position.map(|p| format!("{}:{}", p.line, p.column)).unwrap_or_default();
                    (i, d.is_error(), d.code.as_str(), d.message.clone(), place, d.pointer.clone(), d.span, at)
                })
                .collect::<Vec<_>>()
        })
    });
    let count = move || items.with(Vec::len);
    view! {
        <section class="panel diagnostics-panel">
            <h2>"Problems " <span class="count">{count}</span></h2>
            <ul class="diagnostics" aria-label="Diagnostics">
                <For each=move || items.get() key=|d| d.clone() let:d>
                    {
                        let (_, error, code, message, place, pointer, span, at) = d;
                        let select = move |_| {
                            let r = editor.session.with_untracked(|s| state_at_pointer(s.doc.machine(), &pointer));
                            if r.is_some() {
                                editor.select(r);
                            }
                            if span.is_some() {
                                editor.reveal.set(span);
                            }
                        };
                        view! {
                            <li class=if error { "diag error" } else { "diag warning" }>
                                <button class="diag-button" on:click=select>
                                    <span class="diag-icon" aria-hidden="true">{if error { "●" } else { "▲" }}</span>
                                    <span class="diag-message">{message}</span>
                                    {(!at.is_empty()).then(|| view! { <span class="diag-where">{at}</span> })}
                                    <span class="diag-code">{code}</span>
                                    <span class="diag-place">{place}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
                <Show when=move || count() == 0>
                    <li class="diag ok">"No problems: the definition is valid."</li>
                </Show>
            </ul>
        </section>
    }
}
