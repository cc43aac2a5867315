//! The palette: every state type, Task presets and patterns, as buttons. Drag one onto an edge
//! to insert it there, onto empty canvas for a free state, or into a branch; a click (or the
//! keyboard) inserts it after the selected state.

use super::canvas::drop_default;
use super::context::Editor;
use crate::editor::gesture::press_palette;
use crate::editor::geometry::Point;
use crate::editor::palette::{Group, items};
use leptos::prelude::*;

/// The glyph of each state type.
pub fn icon(kind: &str) -> &'static str {
    match kind {
        "Task" => "⚙",
        "Pass" => "→",
        "Wait" => "◷",
        "Choice" => "◇",
        "Parallel" => "∥",
        "Map" => "⟳",
        "Succeed" => "✓",
        "Fail" => "✕",
        _ => "?",
    }
}

#[component]
pub fn Palette() -> impl IntoView {
    let editor: Editor = expect_context();
    let all = items();
    view! {
        <nav class="palette" aria-label="Palette">
            {Group::ALL.into_iter().map(|group| {
                let group_items: Vec<_> = all.iter().copied().filter(|i| i.group == group).collect();
                view! {
                    <h3>{group.title()}</h3>
                    <div class="palette-items">
                        {group_items.into_iter().map(|item| {
                            let start = move |e: leptos::ev::PointerEvent| {
                                if e.button() != 0 { return; }
                                e.prevent_default();
                                let p = Point::new(e.client_x() as f64, e.client_y() as f64);
                                editor.gesture.set(Some(press_palette(item.label, p)));
                            };
                            // Keyboard activation (a click with no pointer behind it).
                            let click = move |e: leptos::ev::MouseEvent| if e.detail() == 0 { drop_default(editor, item.label) };
                            view! {
                                <button class="palette-item" data-kind=item.kind aria-label=item.label title=item.hint
                                    on:pointerdown=start on:click=click>
                                    <span class="kind-icon" aria-hidden="true">{icon(item.kind)}</span>
                                    <span class="palette-text">
                                        <span class="palette-label">{item.label}</span>
                                        // Drawn by the stylesheet from the attribute: the button's name is its
                                        // label alone (the hint is its title), and no visible text is left out
                                        // of that name.
                                        <span class="palette-hint" data-hint=item.hint aria-hidden="true"></span>
                                    </span>
                                </button>
                            }
                        }).collect_view()}
                    </div>
                }
            }).collect_view()}
        </nav>
    }
}
