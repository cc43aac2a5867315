//! The page's link to the engine worker (`src/bin/statecraft-worker.rs`): starts it once the
//! canvas is drawn, sends it `sim::protocol` requests and hands each answer to the request's
//! callback, as it came (its body, decoded by the code that asked: `protocol::Answer`, so this
//! first module of the page carries no decoder of the answers only a later part asks for). A
//! watchdog gives every request [`START_BUDGET_MS`] for the worker to say it
//! listens, then [`RUN_BUDGET_MS`] to its next answer; past either, or when the worker fails,
//! the worker is terminated, a fresh one is started, and every request still waiting is
//! answered with an error saying so in the words of what it asked for (a run, a file
//! opened or saved: [`crate::sim::protocol::stopped_words`]). Workers that fail before a word,
//! one after another (a script that does not load), are not started without end: after
//! [`crate::sim::protocol::RESTARTS_IN_A_ROW`] the page gives up (`protocol::Restarts` decides),
//! says so above the canvas ([`EngineDown`]) and answers every request in those words. The
//! messages and the words are `sim::protocol`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;

use serde_json::Value;

use crate::sim::protocol::{AfterStop, Answer, RUN_BUDGET_MS, Request, Restarts, START_BUDGET_MS, StopCause, Work, decode, encode, engine_down_words, error_words, kind_of, more_after, stopped_words};

/// The worker's start script (trunk's loader shim of the `statecraft-worker` binary).
const WORKER_SCRIPT: &str = "./statecraft-worker_loader.js";

/// An answer's body as it came, or the page's own error in words.
type OnAnswer = Rc<dyn Fn(Result<Value, String>)>;
type Listeners = (Closure<dyn FnMut(web_sys::MessageEvent)>, Closure<dyn FnMut(web_sys::Event)>);

struct Pending {
    on_answer: OnAnswer,
    /// What it asked for: the words of a stop name it.
    work: Work,
    watchdog: Option<TimeoutHandle>,
}

/// The worker and what waits on it.
#[derive(Default)]
struct Link {
    worker: Option<web_sys::Worker>,
    /// Whether the worker has said it listens; until then requests wait in `outbox`.
    ready: bool,
    outbox: Vec<(u64, String)>,
    next_id: u64,
    pending: BTreeMap<u64, Pending>,
    /// The services whose catalogue file this worker has been sent.
    services_sent: BTreeSet<String>,
    /// Workers stopped in a row without a word: whether the next stop starts a fresh one.
    restarts: Restarts,
    /// Kept alive as long as the worker they listen to.
    _listeners: Option<Listeners>,
    /// The last stopped worker's: a restart may run inside one of them, so they are dropped at
    /// the next restart, not while they run.
    _retired: Option<Listeners>,
}

/// The engine link, shared through the context.
#[derive(Clone, Copy)]
pub struct Engine {
    link: StoredValue<Link, LocalStorage>,
    /// Whether the page has given up on the engine (said by [`EngineDown`]).
    down: RwSignal<bool>,
}

impl Engine {
    pub fn new() -> Engine {
        Engine { link: StoredValue::new_local(Link { next_id: 1, ..Link::default() }), down: RwSignal::new(false) }
    }

    /// Whether the page has given up starting the engine (tracked).
    pub fn down(&self) -> bool {
        self.down.get()
    }

    /// Starts the worker (when none runs, and the page has not given up on it).
    pub fn start(&self) {
        if self.link.with_value(|l| l.worker.is_some() || l.restarts.after() == AfterStop::GiveUp) {
            return;
        }
        let engine = *self;
        let worker = match web_sys::Worker::new(WORKER_SCRIPT) {
            Ok(w) => w,
            Err(e) => {
                leptos::logging::error!("The engine worker could not start: {e:?}");
                return;
            }
        };
        let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            if let Some(text) = ev.data().as_string() {
                engine.receive(&text);
            }
        });
        // A trap is an `ErrorEvent` with a message; a script that does not load, a plain `Event`.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
            ev.prevent_default();
            let message = ev.dyn_ref::<web_sys::ErrorEvent>().map(|e| e.message()).unwrap_or_default();
            engine.restart(StopCause::Crashed, &message);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        self.link.update_value(|l| {
            l.worker = Some(worker);
            l.ready = false;
            l.services_sent.clear();
            l._listeners = Some((on_message, on_error));
        });
    }

    /// Sends `request`; `on_answer` gets each answer to it (a batch's progress, then its end),
    /// or the error that stopped the engine, read as `A` (the kinds this request is answered
    /// with: decoded here, in the asker's code, not in the link's). Its id.
    pub fn ask<A: Answer>(&self, request: &Request, on_answer: impl Fn(A) + 'static) -> u64 {
        self.send(request, Rc::new(move |body: Result<Value, String>| on_answer(body.map_or_else(A::error, A::read))))
    }

    fn send(&self, request: &Request, on_answer: OnAnswer) -> u64 {
        self.start();
        if self.link.with_value(|l| l.restarts.after() == AfterStop::GiveUp) {
            // Answered after the caller's own bookkeeping, as any answer is.
            set_timeout(move || on_answer(Err(engine_down_words())), std::time::Duration::ZERO);
            return 0;
        }
        let id = self.link.try_update_value(|l| {
            let id = l.next_id;
            l.next_id += 1;
            l.pending.insert(id, Pending { on_answer, work: request.work(), watchdog: None });
            id
        });
        let Some(id) = id else { return 0 };
        // Until the worker listens, the request waits in the outbox: it gets the worker's start
        // budget, then its own once posted (a worker that never starts does not leave it waiting).
        if !self.link.with_value(|l| l.ready) {
            self.arm(id, StopCause::NotStarted { after_ms: START_BUDGET_MS });
        }
        self.post(id, encode(id, request));
        id
    }

    /// Sends `request` without waiting for an answer of its own (a batch's Stop: the batch's
    /// request gets the answer).
    pub fn tell(&self, request: &Request) {
        self.post(0, encode(0, request));
    }

    /// The services among `wanted` this worker has not been sent yet, now counted as sent.
    pub fn unsent_services(&self, wanted: Vec<(String, Rc<str>)>) -> Vec<(String, String)> {
        self.start();
        self.link
            .try_update_value(|l| {
                wanted.into_iter().filter(|(name, _)| l.services_sent.insert(name.clone())).map(|(name, text)| (name, text.to_string())).collect()
            })
            .unwrap_or_default()
    }

    /// Stops the worker (whatever it is doing), starts a fresh one and answers what waited.
    pub fn stop(&self) {
        self.restart(StopCause::Asked, "");
    }

    fn post(&self, id: u64, text: String) {
        let sent = self.link.with_value(|l| match (&l.worker, l.ready) {
            (Some(w), true) => w.post_message(&text.as_str().into()).is_ok(),
            _ => false,
        });
        if !sent {
            self.link.update_value(|l| l.outbox.push((id, text)));
            return;
        }
        self.arm(id, StopCause::NoAnswer { after_ms: RUN_BUDGET_MS });
    }

    /// (Re)starts the watchdog of request `id`: past its budget (`cause`'s), the engine stops.
    fn arm(&self, id: u64, cause: StopCause) {
        if id == 0 {
            return;
        }
        let budget = match cause {
            StopCause::NoAnswer { after_ms } | StopCause::NotStarted { after_ms } => after_ms,
            StopCause::Crashed | StopCause::Asked => return,
        };
        let engine = *self;
        let handle = set_timeout_with_handle(
            move || {
                if engine.link.with_value(|l| l.pending.contains_key(&id)) {
                    engine.restart(cause, "");
                }
            },
            std::time::Duration::from_millis(u64::from(budget)),
        )
        .ok();
        self.link.update_value(|l| match l.pending.get_mut(&id) {
            Some(p) => {
                if let Some(old) = std::mem::replace(&mut p.watchdog, handle) {
                    old.clear();
                }
            }
            None => {
                if let Some(h) = handle {
                    h.clear();
                }
            }
        });
    }

    fn receive(&self, text: &str) {
        // Only the envelope and the answer's kind are read here; the asker decodes the body.
        let (id, body) = match decode::<Value>(text) {
            Ok(envelope) => (envelope.id, Ok(envelope.body)),
            Err((id, error)) => (id.unwrap_or(0), Err(error.to_string())),
        };
        let kind = body.as_ref().ok().and_then(kind_of);
        // The worker loaded and speaks.
        self.link.update_value(|l| l.restarts.heard());
        if kind == Some("Ready") {
            let outbox = self.link.try_update_value(|l| {
                l.ready = true;
                std::mem::take(&mut l.outbox)
            });
            for (id, text) in outbox.unwrap_or_default() {
                self.post(id, text);
            }
            return;
        }
        let more = kind.is_some_and(more_after);
        let on_answer = self.link.try_update_value(|l| {
            let on_answer = l.pending.get(&id).map(|p| p.on_answer.clone());
            if !more {
                if let Some(Pending { watchdog: Some(w), .. }) = l.pending.remove(&id) {
                    w.clear();
                }
            }
            on_answer
        });
        let Some(Some(on_answer)) = on_answer else {
            if let Some(message) = body.as_ref().map_or_else(|e| Some(e.as_str()), error_words) {
                leptos::logging::warn!("The engine: {message}");
            }
            return;
        };
        if more {
            self.arm(id, StopCause::NoAnswer { after_ms: RUN_BUDGET_MS });
        }
        on_answer(body);
    }

    /// Terminates the worker, starts a fresh one, and answers every waiting request with
    /// the words of `cause`.
    /// When workers have failed before a word too often in a row, none is started: the page
    /// says the engine could not start, and so is every waiting request told.
    fn restart(&self, cause: StopCause, detail: &str) {
        let Some((waiting, after)) = self.link.try_update_value(|l| {
            if let Some(w) = l.worker.take() {
                w.terminate();
            }
            l.ready = false;
            l.outbox.clear();
            l._retired = l._listeners.take();
            (std::mem::take(&mut l.pending), l.restarts.stopped(cause))
        }) else {
            return;
        };
        match after {
            AfterStop::StartFresh => self.start(),
            AfterStop::GiveUp => {
                leptos::logging::error!("{}", engine_down_words());
                self.down.set(true);
            }
        }
        for (_, pending) in waiting {
            if let Some(w) = pending.watchdog {
                w.clear();
            }
            let message = match after {
                AfterStop::StartFresh => stopped_words(pending.work, cause, detail),
                AfterStop::GiveUp => engine_down_words(),
            };
            (pending.on_answer)(Err(message));
        }
    }
}

/// The bar above the canvas once the page has given up on the engine: what happened and how to
/// go on (reload the page).
#[component]
pub fn EngineDown() -> impl IntoView {
    let engine: Engine = expect_context();
    let reload = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    view! {
        {move || engine.down().then(|| view! {
            <div class="ws-bar error" role="alert" data-testid="engine-down">
                <span>{engine_down_words()}</span>
                <button class="btn" on:click=reload>"Reload"</button>
            </div>
        })}
    }
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}
