//! The parts of the page's wasm that are not needed for its first paint: the inspector, the Run
//! drawer's body (the run, its controls and tabs) and the top bar's dialogs. Each is a split
//! point of the web binary (`src/main.rs`, `wasm_split`, handed over by [`install`]): the
//! release build cuts the code only it reaches into a module of its own
//! (`scripts/wasm-split.mjs`, a trunk post_build hook), which the page fetches right after its
//! first paint ([`preload`], started beside the engine worker). Until a part is here its place
//! shows a stand-in ([`Part::get`] is `None`); the signals the part reads (a dialog's `open`, the
//! drawer's tab and open state, in `SimView`) live outside it, so a click made before it arrives
//! is shown when it does. A part that fails to load (the network) says so where it would be (a
//! dialog asked for: in a small dialog of its own). The wasm tests install [`plain`] calls.

use super::context::Editor;
use super::documents::{ChooseMachine, ImportDialog, Pending};
use super::export_panel::ExportPanel;
use super::inspector::Inspector;
use super::run_panel::RunPanel;
use super::workspace::{Docs, NewDialog};
use leptos::prelude::*;
pub use leptos::wasm_split::SplitLoaderError;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::thread::LocalKey;

/// The inspector's view.
#[derive(Clone, Copy)]
pub struct InspectorPart {
    pub inspector: fn() -> AnyView,
}

/// The Run drawer's body, whole: the run, its controls and every tab (the drawer's head, with
/// the tab and the open state it sets, is the first module's: `run_drawer`).
#[derive(Clone, Copy)]
pub struct RunPart {
    pub drawer: fn() -> AnyView,
}

/// The top bar's dialogs: New, Import, the template's state machine chooser, Export; and the
/// actions no first paint needs, which await the part ([`Part::then`]): opening a share link,
/// the backup's download and restore, reading a zip. (Not the dropped project's listener: it
/// must be there from the first paint, or a drop before the part arrives would be the
/// browser's; what it starts awaits the part.)
#[derive(Clone, Copy)]
pub struct DialogsPart {
    pub new: fn(RwSignal<bool>) -> AnyView,
    pub import: fn(RwSignal<bool>) -> AnyView,
    pub choose: fn(RwSignal<Option<Pending>>) -> AnyView,
    pub export: fn(RwSignal<bool>) -> AnyView,
    /// Opens the document of a `#share=` hash (`documents::open_shared`).
    pub open_shared: fn(Editor, Docs, String),
    /// Downloads every document as one zip.
    pub download_backup: fn(Docs),
    /// Restores the documents of a backup zip's bytes.
    pub restore_backup: fn(Docs, Vec<u8>),
    /// The files of a project zip (`formats::project::unzip`).
    pub unzip: fn(&[u8]) -> Result<Vec<(String, Vec<u8>)>, String>,
}

// The parts' views as plain function pointers, so that nothing generic crosses a cut. The
// split points themselves are the web binary's (`src/main.rs`, `#[wasm_split]`): there they
// are what only the page links; in the library they would be exported by every binary linking
// it (the engine worker too, which would then carry the whole UI).

/// The inspector's views (the body of its split point).
pub fn inspector_views() -> InspectorPart {
    InspectorPart { inspector: || view! { <Inspector/> }.into_any() }
}

/// The Run drawer's body's views (the body of its split point).
pub fn run_views() -> RunPart {
    RunPart { drawer: || view! { <RunPanel/> }.into_any() }
}

/// The top bar's dialogs' views (the body of their split point).
pub fn dialogs_views() -> DialogsPart {
    DialogsPart {
        new: |open| view! { <NewDialog open=open/> }.into_any(),
        import: |open| view! { <ImportDialog open=open/> }.into_any(),
        choose: |pending| view! { <ChooseMachine pending=pending/> }.into_any(),
        export: |open| view! { <ExportPanel open=open/> }.into_any(),
        open_shared: super::documents::open_shared,
        download_backup: |docs| docs.download_backup(),
        restore_backup: |docs, bytes| docs.restore_backup(&bytes),
        unzip: crate::formats::project::unzip,
    }
}

/// How each part is fetched: the web binary's split points ([`install`]), or [`plain`] calls.
#[derive(Clone, Copy)]
pub struct Loaders {
    pub inspector: Load<InspectorPart>,
    pub run: Load<RunPart>,
    pub dialogs: Load<DialogsPart>,
}

/// The parts as plain calls, for a build that is not cut (the wasm tests).
pub fn plain() -> Loaders {
    Loaders {
        inspector: || Box::pin(async { Ok(inspector_views()) }),
        run: || Box::pin(async { Ok(run_views()) }),
        dialogs: || Box::pin(async { Ok(dialogs_views()) }),
    }
}

thread_local! {
    static LOADERS: Cell<Option<Loaders>> = const { Cell::new(None) };
}

/// Says how the parts are fetched; before the app mounts. Without it no part is ever here.
pub fn install(loaders: Loaders) {
    LOADERS.with(|l| l.set(Some(loaders)));
}

/// A part's fetch: its split point, called as the `async` function it is.
pub type Load<T> = fn() -> Pin<Box<dyn Future<Output = Result<T, SplitLoaderError>>>>;

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
    load: fn(Loaders) -> Load<T>,
}

thread_local! {
    static INSPECTOR: Slot<InspectorPart> = Slot::new();
    static RUN: Slot<RunPart> = Slot::new();
    static DIALOGS: Slot<DialogsPart> = Slot::new();
}

pub const INSPECTOR_PART: Part<InspectorPart> = Part { slot: &INSPECTOR, load: |l| l.inspector };
pub const RUN_PART: Part<RunPart> = Part { slot: &RUN, load: |l| l.run };
pub const DIALOGS_PART: Part<DialogsPart> = Part { slot: &DIALOGS, load: |l| l.dialogs };

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
        let Some(loaders) = LOADERS.with(Cell::get) else { return };
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
        let (slot, load) = (self.slot, (self.load)(loaders));
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

impl<T: Copy + Send + Sync + 'static> Part<T> {
    /// The part, fetched now if it is not here yet (its split point's loader runs once however
    /// many wait on it); `None` if it could not be loaded.
    pub async fn ready(self) -> Option<T> {
        if let Some(value) = self.slot.with(|s| s.value.get_untracked()) {
            return Some(value);
        }
        let loaders = LOADERS.with(Cell::get)?;
        let value = ((self.load)(loaders))().await.ok()?;
        self.slot.with(|s| {
            s.failed.set(false);
            s.value.set(Some(value));
        });
        Some(value)
    }

    /// Runs an action that needs the part once it is here (at once if it is), so an action
    /// asked for before the part arrives is not lost; one that cannot be loaded says so in
    /// `notice`, naming `what`.
    pub fn then(self, notice: RwSignal<Option<String>>, what: &'static str, action: impl FnOnce(T) + 'static) {
        leptos::task::spawn_local(async move {
            match self.ready().await {
                Some(part) => action(part),
                None => notice.set(Some(format!("{what}: this part of the page could not be loaded. Reload the page to try again."))),
            }
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
