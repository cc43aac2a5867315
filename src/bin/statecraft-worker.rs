//! The engine worker: a second wasm that trunk builds from `index.html` (`data-type="worker"`)
//! and the page starts once its canvas is drawn (`ui::engine`). It runs the interpreter,
//! JSONata, the handlers and the service catalogue, so a run, a batch or a runaway expression
//! never holds the page. Wiring only: message text in, `sim::engine::Engine`, message text out;
//! a batch or a suite runs in slices with a zero timer between them, so a Stop is read in time.

/// Rust's allocator, metered: a JSONata expression that would exhaust the worker's memory fails
/// with its budget named instead (`asl::jsonata::budget`).
#[global_allocator]
static GLOBAL: statecraft::asl::jsonata::Metered<std::alloc::System> = statecraft::asl::jsonata::Metered(std::alloc::System);

#[cfg(target_arch = "wasm32")]
mod worker {
    use std::cell::RefCell;
    use std::rc::Rc;

    use statecraft::sim::engine::Engine;
    use statecraft::sim::protocol::{BATCH_SLICE_MS, Response, encode};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    fn scope() -> DedicatedWorkerGlobalScope {
        js_sys::global().unchecked_into()
    }

    fn post(text: &str) {
        let _ = scope().post_message(&JsValue::from_str(text));
    }

    fn now() -> f64 {
        scope().performance().map_or(0.0, |p| p.now())
    }

    /// Runs one slice of the work in progress (a batch, a suite) and, while it goes on, schedules the next after a
    /// zero timer (the messages that came meanwhile are read first).
    fn slice(engine: Rc<RefCell<Engine>>) {
        let started = now();
        let text = engine.borrow_mut().slice_text(&mut || now() - started < BATCH_SLICE_MS);
        let Some(text) = text else { return };
        post(&text);
        if engine.borrow().working() {
            let next = Closure::once_into_js(move || slice(engine));
            let _ = scope().set_timeout_with_callback(next.unchecked_ref());
        }
    }

    pub fn start() {
        // The JSONPath filters' patterns run here, on the interruptible backtracking engine.
        statecraft::asl::path::pattern::use_engine(statecraft::asl::path::pattern::backtracking);
        let engine = Rc::new(RefCell::new(Engine::new()));
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let text = ev.data().as_string().unwrap_or_default();
            let was_running = engine.borrow().working();
            let answers = engine.borrow_mut().receive(&text);
            for answer in answers {
                post(&answer);
            }
            if !was_running && engine.borrow().working() {
                slice(engine.clone());
            }
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the page keeps it: so does its listener.
        on_message.forget();
        post(&encode(0, &Response::Ready));
    }
}

fn main() {
    console_error_panic_hook::set_once();
    #[cfg(target_arch = "wasm32")]
    worker::start();
}
