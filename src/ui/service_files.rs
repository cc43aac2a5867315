//! The service catalogue in the page, fetched lazily: the wasm build embeds no service file, so
//! the first download carries none. When the document starts using a service
//! ([`crate::catalogue::fetch::needed_by`]), its one static file (`catalogue/NAME.json`, copied
//! into the site by trunk) is fetched once, handed to the page's [`Catalogue`] and kept (in
//! memory; the browser's HTTP cache keeps the file too). Runs, the inspector's error lists,
//! request checks and the export's policy all read that one catalogue.
//!
//! Which file to fetch and when a waiter may go is [`crate::catalogue::fetch::Files`]'s (native,
//! unit-tested); this module fetches and wakes. A Run (or a suite) waits for every file its
//! definition needs, those first asked for by its own click included; a file that cannot be
//! fetched, or whose fetch has not answered within [`FETCH_BUDGET_MS`], ends the wait said in
//! words, with a console line, and its service's Tasks answer with their request (the handlers'
//! fallback, whose log line says why).

use std::collections::BTreeMap;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalogue::Catalogue;
use crate::catalogue::fetch::{FileState, Files, Ready, failure_line};
use crate::catalogue::needs::file_of;

/// How long a service file's fetch may take before the waiters stop waiting for it.
pub const FETCH_BUDGET_MS: u64 = 20_000;

type Waiter = Box<dyn FnOnce()>;

/// The page's catalogue and the state of each service file it asked for.
#[derive(Clone, Copy)]
pub struct ServiceFiles {
    catalogue: StoredValue<Rc<Catalogue>, LocalStorage>,
    /// The files' texts, for the engine worker (`super::engine`), which keeps a catalogue of its own.
    texts: StoredValue<BTreeMap<String, Rc<str>>, LocalStorage>,
    /// Which files were asked for, where each is, and what waits for them.
    files: StoredValue<Files<Waiter>, LocalStorage>,
    /// Changes whenever a file's state does (what reads the states tracks it).
    changed: RwSignal<u64>,
}

impl ServiceFiles {
    pub fn new() -> Self {
        ServiceFiles {
            catalogue: StoredValue::new_local(Rc::new(Catalogue::built_in())),
            texts: StoredValue::new_local(BTreeMap::new()),
            files: StoredValue::new_local(Files::new()),
            changed: RwSignal::new(0),
        }
    }

    /// The catalogue with every file loaded so far.
    pub fn catalogue(&self) -> Rc<Catalogue> {
        self.catalogue.get_value()
    }

    /// Each file loaded so far: (service, text).
    pub fn texts(&self) -> Vec<(String, Rc<str>)> {
        self.texts.with_value(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
    }

    /// Starts fetching the files the definition `text` uses that were not asked for yet (the
    /// page's own read, once typing pauses).
    pub fn need_definition(&self, text: &str) {
        let needed = crate::catalogue::fetch::needed_by(text);
        let before = self.files.with_value(|f| f.asked());
        let fetch = self.files.try_update_value(|f| f.ask(&needed)).unwrap_or_default();
        if self.files.with_value(|f| f.asked()) != before {
            self.changed.update(|n| *n += 1);
        }
        self.fetch_all(fetch);
    }

    /// Runs `f` once every file the definition `text` needs is here or could not be had
    /// (at once if none is on its way), fetching those not asked for yet.
    pub fn when_loaded(&self, text: &str, f: impl FnOnce() + 'static) {
        let needed = crate::catalogue::fetch::needed_by(text);
        // A waiter that goes later goes from a fetch's task, where no component owns what runs:
        // it runs under the owner of its click, so that what it reads from the context (the
        // run's setup reads the service files and the engine there) is found. (Without it a Run
        // that had to wait sent the engine none of the files it had waited for.)
        let owner = Owner::current();
        let f = move || match owner {
            Some(owner) => owner.with(f),
            None => f(),
        };
        let (fetch, ready) = self.files.try_update_value(|files| files.wait(needed, Box::new(f) as Waiter)).expect("the service files are kept while the app lives");
        // (A name no file can have failed at once: the status line says so.)
        self.changed.update(|n| *n += 1);
        self.fetch_all(fetch);
        if let Some(ready) = ready {
            go(vec![ready]);
        }
    }

    fn fetch_all(&self, fetch: Vec<String>) {
        if !fetch.is_empty() {
            self.changed.update(|n| *n += 1);
        }
        for name in fetch {
            let files = *self;
            let late = name.clone();
            set_timeout(
                move || {
                    let why = format!("no answer within {} s", FETCH_BUDGET_MS / 1000);
                    let on_its_way = files.files.try_with_value(|f| f.state(&late) == Some(&FileState::Loading)).unwrap_or(false);
                    if on_its_way {
                        leptos::logging::warn!("{}", failure_line(&late, &why));
                        let ready = files.files.try_update_value(|f| f.give_up(&late, &why)).unwrap_or_default();
                        files.changed.update(|n| *n += 1);
                        go(ready);
                    }
                },
                std::time::Duration::from_millis(FETCH_BUDGET_MS),
            );
            leptos::task::spawn_local(async move {
                let outcome = match file_of(&name) {
                    None => Err("no catalogue file can have this name".to_string()),
                    Some(file) => match fetch_text(&format!("./catalogue/{file}")).await {
                        Ok(text) => match files.catalogue.with_value(|c| c.insert_text(&name, &text).map(|_| ())) {
                            Ok(()) => {
                                files.texts.update_value(|t| {
                                    t.insert(name.clone(), text.into());
                                });
                                Ok(())
                            }
                            Err(e) => Err(format!("the file is broken: {e}")),
                        },
                        Err(why) => Err(why),
                    },
                };
                if let Err(why) = &outcome {
                    leptos::logging::warn!("{}", failure_line(&name, why));
                }
                let ready = files.files.try_update_value(|f| f.arrived(&name, outcome)).unwrap_or_default();
                files.changed.update(|n| *n += 1);
                go(ready);
            });
        }
    }

    /// Tracks every change of a file's state.
    pub fn track(&self) {
        self.changed.track();
    }

    /// Whether any file has arrived (tracked).
    pub fn any_loaded(&self) -> bool {
        self.changed.track();
        self.files.with_value(|f| f.any_loaded())
    }

    /// The services whose file is on its way (tracked).
    pub fn loading(&self) -> Vec<String> {
        self.changed.track();
        self.files.with_value(|f| f.loading())
    }

    /// The files that could not be had, each said in words (tracked).
    pub fn failures(&self) -> Vec<String> {
        self.changed.track();
        self.files.with_value(|f| f.failures())
    }
}

/// Runs the waiters that may go (outside the files' store: a waiter may ask for files again).
fn go(ready: Vec<Ready<Waiter>>) {
    for r in ready {
        (r.then)();
    }
}

/// The text at `url`, or why not.
async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or("no window")?;
    let response = wasm_bindgen_futures::JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| "the network request failed".to_string())?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "no response".to_string())?;
    if !response.ok() {
        return Err(format!("HTTP {}", response.status()));
    }
    let text = response.text().map_err(|_| "the response has no text".to_string())?;
    let text = wasm_bindgen_futures::JsFuture::from(text).await.map_err(|_| "the response could not be read".to_string())?;
    text.as_string().ok_or_else(|| "the response is not text".to_string())
}

/// One line while files load ("the run starts when they are here"), and each failure.
#[component]
pub fn ServiceFilesStatus() -> impl IntoView {
    let files: ServiceFiles = expect_context();
    view! {
        {move || {
            let loading = files.loading();
            (!loading.is_empty()).then(|| view! {
                <p class="run-note" role="status" data-testid="service-files-loading">
                    {format!("Loading the AWS API models of {}…", loading.join(", "))}
                </p>
            })
        }}
        {move || files.failures().into_iter().map(|line| view! { <p class="run-problem" role="alert" data-testid="service-files-failed">{line}</p> }).collect_view()}
    }
}
