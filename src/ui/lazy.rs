//! The parts of the page's wasm that are not needed for its first paint: the inspector, the Run
//! drawer's body and the top bar's dialogs. Each is a split point (`wasm_split`): the release
//! build cuts the code only it reaches into a module of its own (`scripts/wasm-split.mjs`, a
//! trunk post_build hook), which the page fetches right after its first paint ([`preload`],
//! started beside the engine worker). Until a part is here its place shows a stand-in
//! ([`Part::get`] is `None`); the signals the part reads (a dialog's `open`, the drawer's tab)
//! live outside it, so a click made before it arrives is shown when it does. A part that fails
//! to load (the network) says so where it would be. Without the `split` feature (natively, the wasm
//! tests) the split points are plain calls.

use super::documents::{ChooseMachine, DropReport, ImportDialog, Pending};
use super::export_panel::ExportPanel;
use super::inspector::Inspector;
use super::run_batch::BatchTab;
use super::run_inspect::{Callbacks, DataFlow, Inspect, RunResult};
use super::run_scenario::ScenarioColumn;
use super::run_stores::StoresTab;
use super::run_timeline::Timeline;
use super::workspace::NewDialog;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::thread::LocalKey;

/// The inspector's view.
#[derive(Clone, Copy)]
pub struct InspectorPart {
    pub inspector: fn() -> AnyView,
}

/// The Run drawer's body: its tabs and the scenario tab's columns (the drawer's head, controls
/// and the run itself stay in the first module).
#[derive(Clone, Copy)]
pub struct RunPart {
    pub batch: fn() -> AnyView,
    pub stores: fn() -> AnyView,
    pub suite: fn() -> AnyView,
    pub scenarios: fn(RwSignal<usize>, Callback<()>, Callback<()>) -> AnyView,
    pub callbacks: fn(Callback<()>) -> AnyView,
    pub result: fn() -> AnyView,
    pub data_flow: fn() -> AnyView,
    pub inspect: fn() -> AnyView,
    pub timeline: fn() -> AnyView,
}

/// The top bar's dialogs: New, Import, the template's state machine chooser, Export.
#[derive(Clone, Copy)]
pub struct DialogsPart {
    pub new: fn(RwSignal<bool>) -> AnyView,
    pub import: fn(RwSignal<bool>) -> AnyView,
    pub choose: fn(RwSignal<Option<Pending>>, RwSignal<Option<DropReport>>) -> AnyView,
    pub export: fn(RwSignal<bool>) -> AnyView,
}

// The split points. Each returns its part's views as plain function pointers, so that nothing
// generic crosses the cut; `fallible`: a module that does not load is an `Err`, not an abort.
// Only the page's build cuts them (the `split` feature, which index.html asks trunk for): a
// split point is an import that wasm-split's loader script answers, which the wasm tests lack.

fn inspector_views() -> InspectorPart {
    InspectorPart { inspector: || view! { <Inspector/> }.into_any() }
}

fn run_views() -> RunPart {
    RunPart {
        batch: || view! { <BatchTab/> }.into_any(),
        stores: || view! { <StoresTab/> }.into_any(),
        suite: || view! { <super::run_suite::SuiteTab/> }.into_any(),
        scenarios: |current, on_change, on_handlers| view! { <ScenarioColumn current=current on_change=on_change on_handlers=on_handlers/> }.into_any(),
        callbacks: |on_sent| view! { <Callbacks on_sent=on_sent/> }.into_any(),
        result: || view! { <RunResult/> }.into_any(),
        data_flow: || view! { <DataFlow/> }.into_any(),
        inspect: || view! { <Inspect/> }.into_any(),
        timeline: || view! { <Timeline/> }.into_any(),
    }
}

fn dialogs_views() -> DialogsPart {
    DialogsPart {
        new: |open| view! { <NewDialog open=open/> }.into_any(),
        import: |open| view! { <ImportDialog open=open/> }.into_any(),
        choose: |pending, report| view! { <ChooseMachine pending=pending report=report/> }.into_any(),
        export: |open| view! { <ExportPanel open=open/> }.into_any(),
    }
}

#[cfg(feature = "split")]
mod points {
    use super::*;
    use leptos::wasm_split::wasm_split;

    #[wasm_split(___inspector___, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn inspector_part() -> Result<InspectorPart, SplitLoaderError> {
        Ok(inspector_views())
    }

    #[wasm_split(___run___, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn run_part() -> Result<RunPart, SplitLoaderError> {
        Ok(run_views())
    }

    #[wasm_split(___dialogs___, wasm_split_path = ::leptos::wasm_split, fallible)]
    pub fn dialogs_part() -> Result<DialogsPart, SplitLoaderError> {
        Ok(dialogs_views())
    }
}

#[cfg(not(feature = "split"))]
mod points {
    use super::*;

    pub async fn inspector_part() -> Result<InspectorPart, SplitLoaderError> {
        Ok(inspector_views())
    }

    pub async fn run_part() -> Result<RunPart, SplitLoaderError> {
        Ok(run_views())
    }

    pub async fn dialogs_part() -> Result<DialogsPart, SplitLoaderError> {
        Ok(dialogs_views())
    }
}

use points::{dialogs_part, inspector_part, run_part};

type Load<T> = fn() -> Pin<Box<dyn Future<Output = Result<T, SplitLoaderError>>>>;

/// One part's state: here or not (reactive), failed or not (reactive), on its way or not.
pub struct Slot<T: 'static> {
    value: ArcRwSignal<Option<T>>,
    failed: ArcRwSignal<bool>,
    loading: Cell<bool>,
}

impl<T: Send + Sync + 'static> Slot<T> {
    fn new() -> Self {
        Slot { value: ArcRwSignal::new(None), failed: ArcRwSignal::new(false), loading: Cell::new(false) }
    }
}

/// A part of the page loaded after the first paint: where it is kept and how it is fetched.
#[derive(Clone, Copy)]
pub struct Part<T: 'static> {
    slot: &'static LocalKey<Slot<T>>,
    load: Load<T>,
}

thread_local! {
    static INSPECTOR: Slot<InspectorPart> = Slot::new();
    static RUN: Slot<RunPart> = Slot::new();
    static DIALOGS: Slot<DialogsPart> = Slot::new();
}

pub const INSPECTOR_PART: Part<InspectorPart> = Part { slot: &INSPECTOR, load: || Box::pin(inspector_part()) };
pub const RUN_PART: Part<RunPart> = Part { slot: &RUN, load: || Box::pin(run_part()) };
pub const DIALOGS_PART: Part<DialogsPart> = Part { slot: &DIALOGS, load: || Box::pin(dialogs_part()) };

impl<T: Copy + Send + Sync + 'static> Part<T> {
    /// The part's views if it is here (a reactive read: a view built from it is built when it
    /// arrives). Reading does not fetch it: [`preload`] does, after the first paint, so that
    /// the first module's own start is not slowed by it.
    pub fn get(self) -> Option<T> {
        self.slot.with(|s| s.value.get())
    }

    /// Whether its last load failed (reactive).
    pub fn failed(self) -> bool {
        self.slot.with(|s| s.failed.get())
    }

    /// Fetches the part unless it is here or on its way.
    pub fn start(self) {
        let go = self.slot.with(|s| {
            let idle = !s.loading.get() && s.value.with_untracked(Option::is_none);
            if idle {
                s.loading.set(true);
            }
            idle
        });
        if !go {
            return;
        }
        let (slot, load) = (self.slot, self.load);
        leptos::task::spawn_local(async move {
            let result = load().await;
            slot.with(|s| {
                s.loading.set(false);
                match result {
                    Ok(value) => {
                        s.failed.set(false);
                        s.value.set(Some(value));
                    }
                    Err(_) => s.failed.set(true),
                }
            });
        });
    }
}

/// Starts every part's load: called once the first frame is drawn (as the engine worker and
/// the code editor are), so a part is normally here before anyone opens it.
pub fn preload() {
    INSPECTOR_PART.start();
    RUN_PART.start();
    DIALOGS_PART.start();
}

/// What stands where a part that could not be loaded would be.
pub fn failed_note() -> impl IntoView {
    view! { <p class="lazy-failed" role="alert">"This part of the page could not be loaded. Reload the page to try again."</p> }
}
