//! Renaming a state in place: a double-click on a node puts a text field over its name; Enter
//! renames it (one undoable change, every reference following, see `editor::edit::rename`),
//! Escape leaves it as it was. A name another state has is refused with the reason, and the
//! field stays open.

use super::context::Editor;
use crate::editor::edit;
use leptos::prelude::*;

/// The field over the node `renaming` holds (a scene node id), while it holds one.
#[component]
pub fn RenameField(renaming: RwSignal<Option<String>>) -> impl IntoView {
    let editor: Editor = expect_context();
    move || {
        let id = renaming.get()?;
        let (node, cells) = editor.scene.node(&id)?;
        let state = node.state.clone()?;
        let rect = cells.rect.get_untracked();
        let style = format!("left: {}px; top: {}px; width: {}px", rect.x, rect.y + rect.h / 2.0 - 16.0, rect.w.max(160.0));
        let input = NodeRef::<leptos::html::Input>::new();
        let commit = move |to: String| {
            let change = editor.session.with_untracked(|s| edit::rename(&s.doc, &state, &to));
            let unchanged = to.trim() == state.name;
            if unchanged || editor.perform(change, "Rename state") {
                renaming.set(None);
                if !unchanged {
                    editor.select(Some(crate::editor::scope::StateRef { scope: state.scope.clone(), name: to.trim().to_string() }));
                }
            }
        };
        let key = move |e: leptos::ev::KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                e.prevent_default();
                if let Some(el) = input.get_untracked() {
                    commit(el.value());
                }
            }
            "Escape" => {
                e.prevent_default();
                editor.notice.set(None);
                renaming.set(None);
            }
            _ => {}
        };
        Effect::new(move |_| {
            if let Some(el) = input.get() {
                let _ = el.focus();
                el.select();
            }
        });
        Some(view! {
            <input class="rename-field" type="text" node_ref=input style=style value=node.label.clone()
                aria-label=format!("Rename {}", node.label) data-testid="rename-field"
                on:keydown=key on:pointerdown=|e| e.stop_propagation() on:dblclick=|e| e.stop_propagation()
                on:blur=move |_| renaming.set(None)/>
        })
    }
}
