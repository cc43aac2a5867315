//! The service catalogue in the page, fetched lazily: the wasm build embeds no service file, so
//! the first download carries none. When the document starts using a service
//! ([`crate::catalogue::needs::services_used`]), its one static file (`catalogue/NAME.json`,
//! copied into the site by trunk) is fetched once, handed to the page's [`Catalogue`] and kept
//! (in memory; the browser's HTTP cache keeps the file too). Runs, the inspector's error lists,
//! request checks and the export's policy all read that one catalogue.
//!
//! A Run pressed while a file is loading starts when the last one arrives; a file that cannot be
//! fetched is said in words, with a console line, and its service's Tasks answer with their
//! request (the handlers' fallback, whose log line says why).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::catalogue::Catalogue;
use crate::catalogue::needs::file_of;

/// Where a service's file is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileState {
    Loading,
    Loaded,
    /// Why it could not be had, in words.
    Failed(String),
}

/// The page's catalogue and the state of each service file it asked for.
#[derive(Clone, Copy)]
pub struct ServiceFiles {
    catalogue: StoredValue<Rc<Catalogue>, LocalStorage>,
    /// The files' texts, for the engine worker (`super::engine`), which keeps a catalogue of its own.
    texts: StoredValue<BTreeMap<String, Rc<str>>, LocalStorage>,
    pub states: RwSignal<BTreeMap<String, FileState>>,
    /// What runs once nothing is loading (a Run pressed while a file was on its way).
    waiting: StoredValue<Vec<Box<dyn FnOnce()>>, LocalStorage>,
}

impl ServiceFiles {
    pub fn new() -> Self {
        ServiceFiles {
            catalogue: StoredValue::new_local(Rc::new(Catalogue::built_in())),
            texts: StoredValue::new_local(BTreeMap::new()),
            states: RwSignal::new(BTreeMap::new()),
            waiting: StoredValue::new_local(Vec::new()),
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

    /// Starts fetching each of `services` not asked for yet.
    pub fn need(&self, services: &BTreeSet<String>) {
        let new: Vec<String> = self.states.with_untracked(|s| services.iter().filter(|n| !s.contains_key(*n)).cloned().collect());
        if new.is_empty() {
            return;
        }
        self.states.update(|s| {
            for name in &new {
                s.insert(name.clone(), FileState::Loading);
            }
        });
        for name in new {
            let files = *self;
            leptos::task::spawn_local(async move {
                let state = match file_of(&name) {
                    None => FileState::Failed("no catalogue file can have this name".into()),
                    Some(file) => match fetch_text(&format!("./catalogue/{file}")).await {
                        Ok(text) => match files.catalogue.with_value(|c| c.insert_text(&name, &text).map(|_| ())) {
                            Ok(()) => {
                                files.texts.update_value(|t| {
                                    t.insert(name.clone(), text.into());
                                });
                                FileState::Loaded
                            }
                            Err(e) => FileState::Failed(format!("the file is broken: {e}")),
                        },
                        Err(why) => FileState::Failed(why),
                    },
                };
                if let FileState::Failed(why) = &state {
                    leptos::logging::warn!("{}", failure_line(&name, why));
                }
                files.states.update(|s| {
                    s.insert(name, state);
                });
                if files.loading().is_empty() {
                    for run in files.waiting.try_update_value(std::mem::take).unwrap_or_default() {
                        run();
                    }
                }
            });
        }
    }

    /// Starts fetching the files the definition `text` uses. A Run or a suite calls this before
    /// it waits ([`Self::when_loaded`]): the page's own read of the text waits until typing
    /// pauses, and a Run clicked before then must still wait for the files its Tasks answer from.
    pub fn need_definition(&self, text: &str) {
        let needed = serde_json::from_str::<serde_json::Value>(text).map(|d| crate::catalogue::needs::services_used(&d)).unwrap_or_default();
        self.need(&needed);
    }

    /// The services whose file is on its way (tracked).
    pub fn loading(&self) -> Vec<String> {
        self.states.with(|s| s.iter().filter(|(_, st)| **st == FileState::Loading).map(|(n, _)| n.clone()).collect())
    }

    /// The files that could not be had, each said in words (tracked).
    pub fn failures(&self) -> Vec<String> {
        self.states.with(|s| {
            s.iter().filter_map(|(n, st)| match st {
                FileState::Failed(why) => Some(failure_line(n, why)),
                _ => None,
            })
            .collect()
        })
    }

    /// Runs `f` now, or once the files on their way have arrived.
    pub fn when_loaded(&self, f: impl FnOnce() + 'static) {
        if self.states.with_untracked(|s| s.values().any(|st| *st == FileState::Loading)) {
            self.waiting.update_value(|w| w.push(Box::new(f)));
        } else {
            f();
        }
    }
}

fn failure_line(service: &str, why: &str) -> String {
    format!("The AWS API model of {service} could not be loaded ({why}): Tasks calling {service} answer with their own request instead.")
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
