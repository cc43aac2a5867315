//! The template a document came from, in the inspector's Workflow form: which file and
//! machine, and the Substitutions table (each placeholder's value, editable: one undo step
//! each, `Change::SetSource`). The values are what runs and validation use; the template keeps
//! its own expressions. Shown only for a document opened from a template.

use super::context::Editor;
use crate::editor::change::Change;
use crate::formats::Origin;
use leptos::prelude::*;

fn origin_text(origin: Origin) -> &'static str {
    match origin {
        Origin::DefinitionSubstitutions => "DefinitionSubstitutions",
        Origin::SubVariable => "Fn::Sub variable",
        Origin::Template => "template (Fn::Sub)",
        Origin::Intrinsic => "intrinsic function",
        Origin::Terraform => "Terraform",
        Origin::Unset => "no value",
    }
}

#[component]
pub fn TemplatePanel() -> impl IntoView {
    let editor: Editor = expect_context();
    let source = Memo::new(move |_| editor.session.with(|s| s.doc.source().cloned()));
    move || {
        source.get().map(|src| {
            let rows = src
                .substitutions
                .iter()
                .map(|sub| {
                    let name = sub.name.clone();
                    let label = format!("${{{}}}", sub.name);
                    let commit = move |value: String| {
                        let next = editor.session.with_untracked(|s| s.doc.source().map(|src| src.with_value(&name, &value)));
                        if let Some(next) = next {
                            editor.perform(Ok(Change::SetSource(Some(Box::new(next)))), "Edit substitution");
                        }
                    };
                    view! {
                        <tr>
                            <td class="sub-name"><code>{label.clone()}</code></td>
                            <td><input type="text" class="sub-value" aria-label=format!("Value of {label}") prop:value=sub.value.clone()
                                on:change=move |e| commit(event_target_value(&e))/></td>
                            <td class="hint">{origin_text(sub.origin)}{(!sub.note().is_empty()).then(|| view! { <br/><span class="sub-note">{sub.note()}</span> })}</td>
                        </tr>
                    }
                })
                .collect_view();
            let empty = src.substitutions.is_empty();
            view! {
                <div class="template-panel" role="group" aria-label="Template">
                    <h2>"Template"</h2>
                    <p class="hint">{format!("{} in {} ({}). Save template writes the edited definition back into it.", src.machine, src.file_name, src.format.describe())}</p>
                    <h3>"Substitutions"</h3>
                    {if empty {
                        view! { <p class="hint">"No placeholders."</p> }.into_any()
                    } else {
                        view! {
                            <table class="substitutions" aria-label="Substitutions">
                                <thead><tr><th>"Placeholder"</th><th>"Value"</th><th>"From"</th></tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }
                        .into_any()
                    }}
                </div>
            }
        })
    }
}
