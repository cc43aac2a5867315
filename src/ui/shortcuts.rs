//! The keyboard shortcut list, opened with `?`.

use super::context::Editor;
use leptos::prelude::*;

const SHORTCUTS: [(&str, &str); 10] = [
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Shift+click", "Add a state to the selection, or take it out"),
    ("Delete", "Delete the selected states"),
    ("Ctrl+D", "Duplicate the selected states"),
    ("Ctrl+C / Ctrl+V", "Copy the selected states / paste states or a definition"),
    ("F", "Fit the view"),
    ("Escape", "Clear the selection"),
    ("Wheel / drag", "Zoom / pan the canvas"),
    ("?", "Show or hide this list"),
];

#[component]
pub fn Shortcuts() -> impl IntoView {
    let editor: Editor = expect_context();
    view! {
        <Show when=move || editor.show_shortcuts.get()>
            <div class="dialog-backdrop" on:click=move |_| editor.show_shortcuts.set(false)>
                <div class="dialog" role="dialog" aria-label="Keyboard shortcuts" on:click=|e| e.stop_propagation()>
                    <super::app::ReturnFocus/>
                    <h2>"Keyboard shortcuts"</h2>
                    <dl class="shortcut-list">
                        {SHORTCUTS.iter().map(|(k, what)| view! { <dt><kbd>{*k}</kbd></dt><dd>{*what}</dd> }).collect_view()}
                    </dl>
                </div>
            </div>
        </Show>
    }
}
