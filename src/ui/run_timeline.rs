//! The run's timeline in the Run drawer, drawn from [`crate::sim::timeline::Timeline`]: a row
//! per lane (the execution, each Parallel branch, each Map iteration), a bar per state visit
//! with its attempts, back-offs and waits, the virtual clock's instants on the axis. Bars never
//! overlap in a row and a label is clipped to its bar (its full text in the title); a click
//! selects the state, so its data flow shows.

use leptos::prelude::*;

use super::context::Editor;
use super::run_inspect::select_state;
use super::run_ctx::RunCtx;
use crate::sim::timeline::{Bar, duration_label};

/// Rows drawn at most: a 10,000-item Map would otherwise draw 10,000 rows.
const LANES_SHOWN: usize = 60;

#[component]
pub fn Timeline() -> impl IntoView {
    let editor: Editor = expect_context();
    let run: RunCtx = expect_context();
    let timeline = Memo::new(move |_| run.read(|l| l.timeline()));
    let selected = move || editor.selected.with(|s| s.as_ref().map(|s| s.name.clone()));
    let bar_view = move |bar: &Bar, left: f64, width: f64, seg: Vec<(String, f64, f64)>| {
        let name = bar.state.to_string();
        let duration = bar.duration_ms();
        let text = if duration > 0 { format!("{name} · {}", duration_label(duration)) } else { name.clone() };
        let title = format!("{text} ({})", bar.status.name());
        let click = name.clone();
        let mine = name.clone();
        view! {
            <button class=format!("tl-bar run-{}", bar.status.name()) class:selected=move || selected().as_deref() == Some(mine.as_str())
                style=format!("left:{left:.3}%;width:{width:.3}%") title=title data-state=name data-duration-ms=duration.to_string()
                on:click=move |_| select_state(editor, &click)>
                {seg.into_iter().map(|(kind, l, w)| view! { <span class=format!("tl-seg seg-{kind}") style=format!("left:{l:.3}%;width:{w:.3}%")></span> }).collect_view()}
                <span class="tl-label">{text}</span>
            </button>
        }
    };
    view! {
        {move || timeline.get().filter(|t| !t.bars.is_empty()).map(|t| {
            let ticks: Vec<(f64, String)> = t.spaced_ticks(0.08).into_iter().map(|k| (t.percent(k.x), format!("+{}", duration_label(k.offset_ms)))).collect();
            let hidden = t.lanes.len().saturating_sub(LANES_SHOWN);
            let rows = t.lanes.iter().enumerate().take(LANES_SHOWN).map(|(i, lane)| {
                let bars = t.bars_in(i).map(|b| {
                    let span = f64::from(b.x1 - b.x0).max(1.0);
                    let seg = b.segments.iter().map(|s| (s.kind.name().to_string(), f64::from(s.x0 - b.x0) * 100.0 / span, f64::from(s.x1 - s.x0) * 100.0 / span)).collect();
                    bar_view(b, t.percent(b.x0), t.percent(b.x1) - t.percent(b.x0), seg)
                }).collect_view();
                view! {
                    <div class="tl-row" data-lane=lane.label.clone()>
                        <span class="tl-lane" style=format!("padding-left:{}rem", 0.2 + f64::from(lane.depth) * 0.8) title=lane.label.clone()>{lane.label.clone()}</span>
                        <div class="tl-track">{bars}</div>
                    </div>
                }
            }).collect_view();
            view! {
                <section class="run-timeline" data-testid="timeline" aria-label="Timeline">
                    <h4>"Timeline" <span class="muted">" · virtual clock; instants in order, time between them compressed"</span></h4>
                    <div class="tl-row tl-axis" aria-hidden="true">
                        <span class="tl-lane"></span>
                        <div class="tl-track">{ticks.into_iter().map(|(x, label)| view! { <span class="tl-tick" style=format!("left:{x:.3}%")>{label}</span> }).collect_view()}</div>
                    </div>
                    {rows}
                    {(hidden > 0).then(|| view! { <p class="muted">{format!("The first {LANES_SHOWN} lanes of {} are shown.", t.lanes.len())}</p> })}
                    <p class="tl-legend">
                        <span class="tl-key seg-attempt"></span>"task attempt "
                        <span class="tl-key seg-failed-attempt"></span>"failed attempt "
                        <span class="tl-key seg-retry"></span>"retry back-off "
                        <span class="tl-key seg-wait"></span>"wait"
                    </p>
                </section>
            }
        })}
    }
}
