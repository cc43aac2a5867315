//! The live ASL code in a real code editor (CodeMirror, through [`super::code_view`]): line
//! numbers, JSON highlighting, bracket matching, folding, search, and squiggles at each
//! diagnostic's span. Typing becomes the model as soon as it parses; a burst of typing is one
//! step of the document's undo history, which is the only undo (the editor keeps none of its
//! own, so Ctrl+Z in the code undoes canvas edits too, in order). The bundle is loaded after the
//! first paint ([`code_view::load`]); when it is missing (the wasm tests load no scripts) or
//! fails to load, a plain textarea stands in.

use super::code_view::{self, CodeView};
use super::context::{Editor, now_ms};
use crate::editor::change::Change;
use crate::editor::history::Merge;
use crate::editor::sync::{marks, reveal_offset, utf16_range, visible_range};
use leptos::prelude::*;

/// The marks as the bridge takes them: `[[from, to, severity, message], ...]`.
fn marks_json(text: &str, diagnostics: &[crate::asl::diag::Diagnostic]) -> String {
    let list: Vec<_> = marks(text, diagnostics)
        .into_iter()
        .map(|m| (m.from, m.to, if m.error { "error" } else { "warning" }, m.message))
        .collect();
    serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
}

/// Where the wrap toggle's choice is kept.
const WRAP_KEY: &str = "statecraft.codewrap.v1";

fn wrap_pref() -> Option<bool> {
    let v = web_sys::window()?.local_storage().ok()??.get_item(WRAP_KEY).ok()??;
    Some(v == "1")
}

#[component]
pub fn CodePane() -> impl IntoView {
    let editor: Editor = expect_context();
    let session = editor.session;
    let host = NodeRef::<leptos::html::Div>::new();
    let view: StoredValue<Option<CodeView>, LocalStorage> = StoredValue::new_local(None);
    // The text the code editor holds: what it last reported, or what it was last given.
    let shown = StoredValue::new(String::new());
    let ready = RwSignal::new(false);
    let fallback = RwSignal::new(false);

    let typed = move |text: String| {
        shown.set_value(text.clone());
        editor.perform_merged(Ok(Change::SetText(text)), "Edit code", Merge::Burst { key: "code".into(), at_ms: now_ms() });
    };
    // The editor's bundle is started once the page has painted (the canvas does not wait for
    // it); until it is here the pane shows its heading and an empty host.
    let bundle = RwSignal::new(None::<bool>);
    request_animation_frame(move || {
        // try_set: the pane may be gone by then (nothing to mount).
        set_timeout(move || code_view::load(move |loaded| {
            let _ = bundle.try_set(Some(loaded));
        }), std::time::Duration::ZERO)
    });
    // Mount the editor once its host is in the page and the bundle is here.
    Effect::new(move |_| {
        let Some(el) = host.get() else { return };
        let Some(loaded) = bundle.get() else { return };
        if ready.get_untracked() || fallback.get_untracked() {
            return;
        }
        if !loaded {
            fallback.set(true);
            return;
        }
        let text = session.with_untracked(|s| s.doc.text().to_string());
        match code_view::create(&el, &text, typed) {
            Some(v) => {
                shown.set_value(text);
                view.set_value(Some(v));
                ready.set(true);
            }
            None => fallback.set(true),
        }
    });

    // A node drag changes the session but not the text: nothing below runs again for it.
    let text = Memo::new(move |_| session.with(|s| s.doc.text().to_string()));
    // Model → editor: the text (never an echo of what was typed), then the squiggles over it.
    Effect::new(move |sent: Option<String>| {
        if !ready.get() {
            return String::new();
        }
        let marks = text.with(|t| editor.diagnostics.with(|d| marks_json(t, d)));
        view.with_value(|v| {
            let Some(v) = v else { return };
            text.with(|t| {
                if shown.with_value(|s| s != t) {
                    v.set_text(t);
                    shown.set_value(t.clone());
                }
            });
            if sent.as_deref() != Some(marks.as_str()) {
                v.set_diagnostics(&marks);
            }
        });
        marks
    });
    // The selected state's lines are highlighted and scrolled to.
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        let sel = editor.selected.get();
        let range = sel.and_then(|r| {
            session.with_untracked(|s| {
                let span = s.doc.span_of(&r.pointer(s.doc.machine()))?;
                let (from, to) = utf16_range(s.doc.text(), span);
                Some((from, to, reveal_offset(s.doc.text(), span)))
            })
        });
        // Scrolled to the start of the state's name, not to its value after a long name.
        let (from, to, reveal) = range.map_or((-1, -1, -1), |(a, b, r)| (a as i32, b as i32, r as i32));
        view.with_value(|v| if let Some(v) = v { v.highlight(from, to, reveal) });
    });
    // A clicked diagnostic: its span is selected in the code.
    Effect::new(move |_| {
        let Some(span) = editor.reveal.get() else { return };
        if !ready.get_untracked() {
            return;
        }
        let (from, to) = session.with_untracked(|s| visible_range(s.doc.text(), span));
        view.with_value(|v| if let Some(v) = v { v.select(from as u32, to as u32) });
    });

    let error = Memo::new(move |_| {
        session.with(|s| {
            s.doc.syntax_error().map(|d| {
                let at = d.position.map(|p| format!("line {}, column {}: ", p.line, p.column)).unwrap_or_default();
                format!("{at}{} — the canvas shows the last valid graph", d.message)
            })
        })
    });
    // Long lines (ARNs) wrap when the user asks; the choice is kept as a UI preference.
    let wrap = RwSignal::new(wrap_pref().unwrap_or(false));
    Effect::new(move |_| {
        let on = wrap.get();
        if ready.get() {
            view.with_value(|v| if let Some(v) = v { v.set_wrap(on) });
        }
        if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = s.set_item(WRAP_KEY, if on { "1" } else { "0" });
        }
    });
    let on_input = move |e: leptos::ev::Event| typed(event_target_value(&e));
    view! {
        <section class="panel code">
            <h2>"ASL definition"
                <button class="wrap-toggle" type="button" aria-pressed=move || wrap.get().to_string() data-testid="wrap-toggle"
                    title="Wrap long lines" on:click=move |_| wrap.update(|w| *w = !*w)>"Wrap lines"</button>
            </h2>
            {move || error.get().map(|e| view! { <p class="code-error" role="alert">{e}</p> })}
            <div class="code-host" node_ref=host></div>
            <Show when=move || fallback.get()>
                <textarea class="code-text" data-testid="asl-code" aria-label="ASL definition" spellcheck="false"
                    autocomplete="off" wrap=move || if wrap.get() { "soft" } else { "off" } on:input=on_input prop:value=move || text.get()></textarea>
            </Show>
        </section>
    }
}
