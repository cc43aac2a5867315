//! The workspace's storage: IndexedDB, one record per document (the JSON of an
//! `editor::workspace::Record`, keyed by its id, in the object store `documents` of the database
//! `statecraft`), and a BroadcastChannel that tells the other tabs which record changed. A small
//! binding over web-sys: the save protocol's check-and-write runs inside one readwrite
//! transaction, in the request callbacks themselves, so no other tab can write in between.
//!
//! Every failure comes back in words (`describe`), never as a dropped result.

use crate::editor::workspace::{Record, Write, WriteOutcome};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransactionMode};

const DATABASE: &str = "statecraft";
const STORE: &str = "documents";
/// The channel on which tabs say which record they wrote or deleted.
pub const CHANNEL: &str = "statecraft.workspace";

/// The closures of one operation, kept alive until it ends, then dropped after the callback
/// that ended it has returned.
#[derive(Default)]
struct Callbacks(Vec<Closure<dyn FnMut(web_sys::Event)>>);

fn keep(callbacks: &Rc<RefCell<Callbacks>>, f: impl FnMut(web_sys::Event) + 'static) -> js_sys::Function {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let function: js_sys::Function = closure.as_ref().unchecked_ref::<js_sys::Function>().clone();
    callbacks.borrow_mut().0.push(closure);
    function
}

fn release(callbacks: &Rc<RefCell<Callbacks>>) {
    let held = std::mem::take(&mut *callbacks.borrow_mut());
    leptos::prelude::set_timeout(move || drop(held), std::time::Duration::ZERO);
}

/// What went wrong, in words a user can act on.
pub fn describe(error: &JsValue) -> String {
    let (name, message) = match error.dyn_ref::<web_sys::DomException>() {
        Some(e) => (e.name(), e.message()),
        None => (String::new(), error.as_string().unwrap_or_else(|| format!("{error:?}"))),
    };
    match name.as_str() {
        "QuotaExceededError" => "the browser's storage for this page is full".into(),
        "InvalidStateError" | "UnknownError" => format!("the browser's storage is not available ({message})"),
        "SecurityError" => "this browser does not let the page store anything (private mode, or storage blocked for this site)".into(),
        "" => message,
        _ => format!("{name}: {message}"),
    }
}

/// Opens the database (creating its object store the first time), then calls `done`.
pub fn open(done: impl FnOnce(Result<IdbDatabase, String>) + 'static) {
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = {
        let done = done.clone();
        move |r: Result<IdbDatabase, String>| {
            if let Some(f) = done.borrow_mut().take() {
                f(r);
            }
        }
    };
    let factory = match web_sys::window().map(|w| w.indexed_db()) {
        Some(Ok(Some(f))) => f,
        Some(Err(e)) => return finish(Err(describe(&e))),
        _ => return finish(Err("this browser has no IndexedDB".into())),
    };
    let request: IdbOpenDbRequest = match factory.open_with_u32(DATABASE, 1) {
        Ok(r) => r,
        Err(e) => return finish(Err(describe(&e))),
    };
    let callbacks = Rc::new(RefCell::new(Callbacks::default()));
    let r = request.clone();
    request.set_onupgradeneeded(Some(&keep(&callbacks, move |_| {
        if let Ok(db) = r.result().and_then(|d| d.dyn_into::<IdbDatabase>().map_err(JsValue::from)) {
            // Version 1 is the first: the store does not exist yet.
            let _ = db.create_object_store(STORE);
        }
    })));
    let (r, c, f) = (request.clone(), callbacks.clone(), finish.clone());
    request.set_onsuccess(Some(&keep(&callbacks, move |_| {
        let db = r.result().and_then(|d| d.dyn_into::<IdbDatabase>().map_err(JsValue::from));
        release(&c);
        f(db.map_err(|e| describe(&e)));
    })));
    let (r, c) = (request.clone(), callbacks.clone());
    request.set_onerror(Some(&keep(&callbacks, move |_| {
        let why = r.error().ok().flatten().map(|e| describe(&e)).unwrap_or_else(|| "the database did not open".into());
        release(&c);
        finish(Err(why));
    })));
}

fn parse(value: &JsValue) -> Option<Record> {
    value.as_string().and_then(|json| crate::asl::json::from_text(&json).ok())
}

/// Every stored record (records that do not read are skipped, and counted).
pub fn load_all(db: &IdbDatabase, done: impl FnOnce(Result<(Vec<Record>, usize), String>) + 'static) {
    let request = match db.transaction_with_str(STORE).and_then(|t| t.object_store(STORE)).and_then(|s| s.get_all()) {
        Ok(r) => r,
        Err(e) => return done(Err(describe(&e))),
    };
    on_request(&request, move |result| {
        done(result.map(|all| {
            let all: js_sys::Array = all.unchecked_into();
            let records: Vec<Record> = all.iter().filter_map(|v| parse(&v)).collect();
            let unreadable = all.length() as usize - records.len();
            (records, unreadable)
        }))
    });
}

/// The record `id`, if stored.
pub fn get(db: &IdbDatabase, id: &str, done: impl FnOnce(Result<Option<Record>, String>) + 'static) {
    let request = match db.transaction_with_str(STORE).and_then(|t| t.object_store(STORE)).and_then(|s| s.get(&JsValue::from_str(id))) {
        Ok(r) => r,
        Err(e) => return done(Err(describe(&e))),
    };
    on_request(&request, move |result| done(result.map(|v| parse(&v))));
}

fn on_request(request: &IdbRequest, done: impl FnOnce(Result<JsValue, String>) + 'static) {
    let done = Rc::new(RefCell::new(Some(done)));
    let callbacks = Rc::new(RefCell::new(Callbacks::default()));
    let (r, c, d) = (request.clone(), callbacks.clone(), done.clone());
    request.set_onsuccess(Some(&keep(&callbacks, move |_| {
        release(&c);
        if let Some(f) = d.borrow_mut().take() {
            f(r.result().map_err(|e| describe(&e)));
        }
    })));
    let (r, c) = (request.clone(), callbacks.clone());
    request.set_onerror(Some(&keep(&callbacks, move |_| {
        release(&c);
        if let Some(f) = done.borrow_mut().take() {
            f(Err(r.error().ok().flatten().map(|e| describe(&e)).unwrap_or_else(|| "the read failed".into())));
        }
    })));
}

/// Carries out `write` under the save protocol: in one readwrite transaction, reads the stored
/// revision and writes only if it is the expected one. `done` hears the outcome once the
/// transaction has ended (written means committed).
pub fn write(db: &IdbDatabase, write: &Write, done: impl FnOnce(WriteOutcome) + 'static) {
    let done = Rc::new(RefCell::new(Some(done)));
    let finish = move |outcome: WriteOutcome| {
        if let Some(f) = done.borrow_mut().take() {
            f(outcome);
        }
    };
    let json = match serde_json::to_string(&write.record) {
        Ok(j) => j,
        Err(e) => return finish(WriteOutcome::Failed(e.to_string())),
    };
    let transaction = match db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite) {
        Ok(t) => t,
        Err(e) => return finish(WriteOutcome::Failed(describe(&e))),
    };
    let store = match transaction.object_store(STORE) {
        Ok(s) => s,
        Err(e) => return finish(WriteOutcome::Failed(describe(&e))),
    };
    let key = JsValue::from_str(&write.record.id);
    let read = match store.get(&key) {
        Ok(r) => r,
        Err(e) => return finish(WriteOutcome::Failed(describe(&e))),
    };
    let callbacks = Rc::new(RefCell::new(Callbacks::default()));
    // What the transaction found (a conflict), or a put that threw.
    let found: Rc<RefCell<Option<WriteOutcome>>> = Rc::default();
    let expect = write.expect;
    let (r, f, t) = (read.clone(), found.clone(), transaction.clone());
    read.set_onsuccess(Some(&keep(&callbacks, move |_| {
        let stored = r.result().ok().and_then(|v| parse(&v));
        if stored.as_ref().map(|s| s.revision) != expect {
            *f.borrow_mut() = Some(WriteOutcome::Conflict(stored));
            return;
        }
        if let Err(e) = store.put_with_key(&JsValue::from_str(&json), &key) {
            *f.borrow_mut() = Some(WriteOutcome::Failed(describe(&e)));
            let _ = t.abort();
        }
    })));
    let (c, f, fin) = (callbacks.clone(), found.clone(), Rc::new(RefCell::new(Some(finish))));
    let fin2 = fin.clone();
    transaction.set_oncomplete(Some(&keep(&callbacks, move |_| {
        release(&c);
        let outcome = f.borrow_mut().take().unwrap_or(WriteOutcome::Written);
        if let Some(finish) = fin.borrow_mut().take() {
            finish(outcome);
        }
    })));
    let (c, t) = (callbacks.clone(), transaction.clone());
    let on_fail = move |_: web_sys::Event| {
        release(&c);
        let outcome = found.borrow_mut().take().unwrap_or_else(|| {
            WriteOutcome::Failed(t.error().map(|e| describe(&e)).unwrap_or_else(|| "the write was cancelled".into()))
        });
        if let Some(finish) = fin2.borrow_mut().take() {
            finish(outcome);
        }
    };
    transaction.set_onabort(Some(&keep(&callbacks, on_fail)));
}

/// Deletes the records `ids` for good.
pub fn delete(db: &IdbDatabase, ids: &[String], done: impl FnOnce(Result<(), String>) + 'static) {
    let run = || -> Result<web_sys::IdbTransaction, JsValue> {
        let transaction = db.transaction_with_str_and_mode(STORE, IdbTransactionMode::Readwrite)?;
        let store = transaction.object_store(STORE)?;
        for id in ids {
            store.delete(&JsValue::from_str(id))?;
        }
        Ok(transaction)
    };
    let transaction = match run() {
        Ok(t) => t,
        Err(e) => return done(Err(describe(&e))),
    };
    let done = Rc::new(RefCell::new(Some(done)));
    let callbacks = Rc::new(RefCell::new(Callbacks::default()));
    let (c, d) = (callbacks.clone(), done.clone());
    transaction.set_oncomplete(Some(&keep(&callbacks, move |_| {
        release(&c);
        if let Some(f) = d.borrow_mut().take() {
            f(Ok(()));
        }
    })));
    let (c, t) = (callbacks.clone(), transaction.clone());
    transaction.set_onabort(Some(&keep(&callbacks, move |_| {
        release(&c);
        if let Some(f) = done.borrow_mut().take() {
            f(Err(t.error().map(|e| describe(&e)).unwrap_or_else(|| "the deletion was cancelled".into())));
        }
    })));
}

/// A message on [`CHANNEL`]: which record another tab wrote (or deleted, when `deleted`).
pub fn announce(channel: Option<&web_sys::BroadcastChannel>, id: &str, deleted: bool) {
    if let Some(channel) = channel {
        let message = serde_json::json!({ "id": id, "deleted": deleted }).to_string();
        let _ = channel.post_message(&JsValue::from_str(&message));
    }
}

/// Reads a [`CHANNEL`] message: (id, deleted).
pub fn heard(event: &web_sys::MessageEvent) -> Option<(String, bool)> {
    let value: serde_json::Value = serde_json::from_str(&event.data().as_string()?).ok()?;
    Some((value.get("id")?.as_str()?.to_string(), value.get("deleted").and_then(|d| d.as_bool()).unwrap_or(false)))
}

/// Offers `bytes` as a file download named `name`.
pub fn download(name: &str, mime: &str, bytes: &[u8]) -> Result<(), String> {
    let run = || -> Result<(), JsValue> {
        let array = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&array, &options)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob)?;
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let link: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
        link.set_href(&url);
        link.set_download(name);
        link.click();
        leptos::prelude::set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
        Ok(())
    };
    run().map_err(|e| describe(&e))
}
