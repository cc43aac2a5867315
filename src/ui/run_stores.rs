//! The Run drawer's Stores tab, wiring only: the S3 buckets, DynamoDB tables, SQS queues and SNS
//! topics of the document, each with what it holds before every run (the document's seeds) and
//! at the moment of the run the drawer shows (stepping back shows the stores as they were then:
//! `LiveRun::stores`); a file dropped on a bucket, an object typed into it, a table's items, a
//! queue's waiting messages or a topic's subscriptions pasted become seeds, each one undoable
//! `Change::SetSimulation`. A seed that
//! cannot be taken is said, located, and the typed text stays. The logic is
//! `crate::sim::stores`'s.

use std::collections::BTreeSet;

use leptos::prelude::*;
use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

use super::context::Editor;
use super::run_ctx::RunCtx;
use crate::editor::change::Change;
use crate::sim::stores::{MessageStore, Referenced, SeedError, StoreSeeds, StoresView, object_from_file};

/// How much of an object's text a card shows.
const PREVIEW_CHARS: usize = 1200;

fn preview(body: &str) -> String {
    match body.char_indices().nth(PREVIEW_CHARS) {
        Some((at, _)) => format!("{}\n… ({} more bytes)", &body[..at], body.len() - at),
        None => body.to_string(),
    }
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// Everything the cards share.
#[derive(Clone, Copy)]
struct Stores {
    editor: Editor,
    seeds: Memo<StoreSeeds>,
    before: Memo<StoresView>,
    after: Memo<Option<StoresView>>,
}

impl Stores {
    /// Makes `next` the document's seeds, as one undoable change.
    fn set(&self, next: StoreSeeds, label: &str) {
        let settings = self.editor.session.with_untracked(|s| s.doc.simulation().with_stores(next));
        self.editor.perform(Ok(Change::SetSimulation(Box::new(settings))), label);
    }

    /// Makes `next` the document's seeds (one undoable change labelled `label`) when it could
    /// be made, else says in `problem` why, after `refused`. Whether it was taken.
    fn take(&self, next: Result<StoreSeeds, SeedError>, label: &str, problem: RwSignal<Option<String>>, refused: &str) -> bool {
        match next {
            Ok(next) => {
                problem.set(None);
                self.set(next, label);
                true
            }
            Err(e) => {
                problem.set(Some(format!("{refused}: {e}")));
                false
            }
        }
    }
}

/// Reads the files of a drop on the bucket `bucket` and seeds each as an object.
fn drop_files(stores: Stores, bucket: String, ev: leptos::ev::DragEvent, problem: RwSignal<Option<String>>) {
    ev.prevent_default();
    let Some(files) = ev.data_transfer().and_then(|d| d.files()) else { return };
    for i in 0..files.length() {
        let Some(file) = files.get(i) else { continue };
        let Ok(reader) = web_sys::FileReader::new() else { continue };
        let (r, name, bucket) = (reader.clone(), file.name(), bucket.clone());
        let onload = Closure::once_into_js(move || {
            let bytes = r.result().map(|v| js_sys::Uint8Array::new(&v).to_vec()).unwrap_or_default();
            let seeded = object_from_file(&name, &bytes).and_then(|(key, body)| stores.seeds.with_untracked(|s| s.with_object(&bucket, &key, &body)));
            stores.take(seeded, "Drop a file on a bucket", problem, &format!("{name} was not added"));
        });
        reader.set_onload(Some(onload.unchecked_ref()));
        let _ = reader.read_as_array_buffer(&file);
    }
}

#[component]
pub fn StoresTab() -> impl IntoView {
    let editor: Editor = expect_context();
    let run: RunCtx = expect_context();
    let seeds = Memo::new(move |_| editor.session.with(|s| s.doc.simulation().stores.clone()));
    let referenced = Memo::new(move |_| {
        editor.session.with(|s| {
            s.doc.model_revision();
            Referenced::of_text(&s.doc.runnable_text())
        })
    });
    let before = Memo::new(move |_| StoresView::before(&seeds.get(), &referenced.get()));
    let after = Memo::new(move |_| run.read(|l| l.stores()));
    let stores = Stores { editor, seeds, before, after };
    // Stores added here before they hold anything (a name the definition builds at run time).
    let extra_buckets = RwSignal::new(Vec::<String>::new());
    let extra_tables = RwSignal::new(Vec::<String>::new());
    let extra_queues = RwSignal::new(Vec::<String>::new());
    let extra_topics = RwSignal::new(Vec::<String>::new());
    let new_name = RwSignal::new(String::new());
    let names = move |of: fn(&StoresView) -> Vec<String>, extra: RwSignal<Vec<String>>| -> Vec<String> {
        let mut all: BTreeSet<String> = crate::asl::sort::set(before.with(|b| of(b)));
        all.extend(after.with(|a| a.as_ref().map(of).unwrap_or_default()));
        all.extend(extra.get());
        all.into_iter().collect()
    };
    let bucket_names = move || names(|v| v.buckets.iter().map(|b| b.name.clone()).collect(), extra_buckets);
    let table_names = move || names(|v| v.tables.iter().map(|t| t.name.clone()).collect(), extra_tables);
    let queue_names = move || names(|v| MessageStore::Queue.all(v).iter().map(|q| q.name.clone()).collect(), extra_queues);
    let topic_names = move || names(|v| MessageStore::Topic.all(v).iter().map(|t| t.name.clone()).collect(), extra_topics);
    let new_channel = RwSignal::new(String::new());
    // The name typed in `input` added to the stores `to` shows.
    let add = move |input: RwSignal<String>, to: RwSignal<Vec<String>>| {
        let name = input.get_untracked().trim().to_string();
        if !name.is_empty() {
            to.update(|v| if !v.contains(&name) { v.push(name) });
            input.set(String::new());
        }
    };
    let ran = move || after.with(Option::is_some);

    view! {
        <div class="stores" data-testid="stores">
            <p class="muted">
                "What the simulated services hold before every run of this document, and at the moment of the run this drawer shows"
                {move || (!ran()).then_some(" (run a scenario to see it)")}
                ". Drop a CSV, JSON or JSONL file on a bucket to add it as an object."
            </p>
            <h4>"S3 buckets"</h4>
            {move || bucket_names().is_empty().then(|| view! { <p class="muted">"The definition names no bucket."</p> })}
            <For each=bucket_names key=|n| n.clone() let:name>
                <BucketCard stores=stores name=name/>
            </For>
            <h4>"DynamoDB tables"</h4>
            {move || table_names().is_empty().then(|| view! { <p class="muted">"The definition names no table."</p> })}
            <For each=table_names key=|n| n.clone() let:name>
                <TableCard stores=stores name=name/>
            </For>
            <div class="stores-add">
                <input aria-label="New bucket or table name" placeholder="bucket or table name" data-testid="stores-new-name"
                    prop:value=move || new_name.get() on:input=move |ev| new_name.set(event_target_value(&ev))/>
                <button on:click=move |_| add(new_name, extra_buckets)>"Add bucket"</button>
                <button on:click=move |_| add(new_name, extra_tables)>"Add table"</button>
            </div>
            <h4>"SQS queues"</h4>
            {move || queue_names().is_empty().then(|| view! { <p class="muted">"The definition names no queue."</p> })}
            <For each=queue_names key=|n| n.clone() let:name>
                <MessagesCard stores=stores store=MessageStore::Queue name=name/>
            </For>
            <h4>"SNS topics"</h4>
            {move || topic_names().is_empty().then(|| view! { <p class="muted">"The definition names no topic."</p> })}
            <For each=topic_names key=|n| n.clone() let:name>
                <MessagesCard stores=stores store=MessageStore::Topic name=name/>
            </For>
            <div class="stores-add">
                <input aria-label="New queue URL or topic ARN" placeholder="queue URL or topic ARN" data-testid="stores-new-channel"
                    prop:value=move || new_channel.get() on:input=move |ev| new_channel.set(event_target_value(&ev))/>
                <button on:click=move |_| add(new_channel, extra_queues)>"Add queue"</button>
                <button on:click=move |_| add(new_channel, extra_topics)>"Add topic"</button>
            </div>
        </div>
    }
}

/// A bucket: a drop zone, its seeded objects (removable), an object typed in, and its objects
/// after the run.
#[component]
fn BucketCard(stores: Stores, name: String) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let hover = RwSignal::new(false);
    let (key, body) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let before = {
        let name = name.clone();
        move || stores.before.with(|b| b.buckets.iter().find(|x| x.name == name).cloned())
    };
    let after = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().map(|a| a.buckets.iter().find(|x| x.name == name).map(|b| b.objects.clone()).unwrap_or_default()))
    };
    let seeded_keys = {
        let name = name.clone();
        move || stores.seeds.with(|s| s.buckets.get(&name).map(|o| crate::asl::sort::set(o.keys().cloned())).unwrap_or_default())
    };
    let add = {
        let name = name.clone();
        move |_| {
            let next = stores.seeds.with_untracked(|s| s.with_object(&name, key.get_untracked().trim(), &body.get_untracked()));
            if stores.take(next, "Add an object", problem, "The object was not added") {
                key.set(String::new());
                body.set(String::new());
            }
        }
    };
    let on_drop = {
        let name = name.clone();
        move |ev: leptos::ev::DragEvent| {
            hover.set(false);
            drop_files(stores, name.clone(), ev, problem);
        }
    };
    let remove = {
        let name = name.clone();
        move |k: String| {
            let next = stores.seeds.with_untracked(|s| s.without_object(&name, &k));
            stores.set(next, "Remove an object");
        }
    };
    view! {
        <section class="store-card" data-testid="bucket" data-bucket=name.clone() aria-label=format!("Bucket {name}")>
            <header><strong>{format!("s3://{name}")}</strong></header>
            <div class="drop-zone" class:hover=move || hover.get() data-testid="bucket-drop"
                on:dragover=move |ev: leptos::ev::DragEvent| { ev.prevent_default(); hover.set(true) }
                on:dragleave=move |_| hover.set(false)
                on:drop=on_drop>
                "Drop a CSV, JSON or JSONL file here"
            </div>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="store-problem">{p}</p> })}
            <div class="store-sides">
                <div data-testid="bucket-before">
                    <h5>"Before each run"</h5>
                    {move || before().map(|b| view! {
                        {b.missing_keys.iter().map(|k| view! { <p class="muted missing-key">{format!("The definition reads {k}, which is not here yet.")}</p> }).collect_view()}
                        {b.objects.is_empty().then(|| view! { <p class="muted">"Empty."</p> })}
                        {b.objects.into_iter().map(|o| {
                            let k = o.key.clone();
                            let remove = remove.clone();
                            let seeded = seeded_keys().contains(&o.key);
                            view! {
                                <details class="store-object" data-key=o.key.clone()>
                                    <summary>{o.key.clone()}<span class="muted">{format!(" · {} bytes", o.size)}</span>
                                        {seeded.then(|| view! { <button class="link" title="Remove this object" aria-label=format!("Remove {}", o.key) on:click=move |_| remove(k.clone())>"×"</button> })}
                                    </summary>
                                    <pre>{preview(&o.body)}</pre>
                                </details>
                            }
                        }).collect_view()}
                    })}
                    <details class="store-add">
                        <summary>"Add an object"</summary>
                        <input aria-label="Object key" placeholder="key, e.g. input/orders.json" prop:value=move || key.get() on:input=move |ev| key.set(event_target_value(&ev))/>
                        <textarea class="json" rows="4" aria-label="Object body" spellcheck="false" placeholder="its text: JSON, JSON Lines, CSV…"
                            prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                        <button on:click=add>"Add object"</button>
                    </details>
                </div>
                <div data-testid="bucket-after">
                    <h5>"At the moment shown"</h5>
                    {move || match after() {
                        None => view! { <p class="muted">"Not run yet."</p> }.into_any(),
                        Some(objects) if objects.is_empty() => view! { <p class="muted">"Empty."</p> }.into_any(),
                        Some(objects) => objects.into_iter().map(|o| view! {
                            <details class="store-object" data-key=o.key.clone()>
                                <summary>{o.key.clone()}<span class="muted">{format!(" · {} bytes", o.size)}</span></summary>
                                <pre>{preview(&o.body)}</pre>
                            </details>
                        }).collect_view().into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

/// A table: its seeded items as editable JSON, and its items after the run.
#[component]
fn TableCard(stores: Stores, name: String) -> impl IntoView {
    let (text, problem) = {
        let name = name.clone();
        seed_text(stores, move |s| s.items_text(&name))
    };
    let save = {
        let name = name.clone();
        move |_| {
            let next = stores.seeds.with_untracked(|s| s.with_items(&name, &text.get_untracked()));
            stores.take(next, "Seed a table", problem, "The items were not saved");
        }
    };
    let key = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().and_then(|a| a.tables.iter().find(|t| t.name == name).map(|t| t.key.join(", "))))
    };
    let after = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().map(|a| a.tables.iter().find(|t| t.name == name).map(|t| t.items.clone()).unwrap_or_default()))
    };
    view! {
        <section class="store-card" data-testid="table" data-table=name.clone() aria-label=format!("Table {name}")>
            <header><strong>{name.clone()}</strong>
                {move || key().filter(|k| !k.is_empty()).map(|k| view! { <span class="muted">{format!(" · key {k}")}</span> })}
            </header>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="store-problem">{p}</p> })}
            <div class="store-sides">
                <div>
                    <h5>"Before each run"</h5>
                    <textarea class="json" rows="4" spellcheck="false" aria-label=format!("Items of {name}") data-testid="table-items"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button on:click=save data-testid="table-save">"Save items"</button>
                    <span class="muted">" DynamoDB JSON, as getItem returns it"</span>
                </div>
                <div data-testid="table-after">
                    <h5>"At the moment shown"</h5>
                    {move || match after() {
                        None => view! { <p class="muted">"Not run yet."</p> }.into_any(),
                        Some(items) if items.is_empty() => view! { <p class="muted">"No items."</p> }.into_any(),
                        Some(items) => view! { <pre>{pretty(&Value::Array(items))}</pre> }.into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

/// Seeds edited as JSON text in a box: what a table's, a queue's and a topic's cards share.
/// Undo and redo give the document's text back to the box; a failed save keeps the typing.
fn seed_text(stores: Stores, of: impl Fn(&StoreSeeds) -> String + Send + Sync + 'static) -> (RwSignal<String>, RwSignal<Option<String>>) {
    let text = RwSignal::new(stores.seeds.with_untracked(|s| of(s)));
    let problem = RwSignal::new(None::<String>);
    let seeded = Memo::new(move |_| stores.seeds.with(|s| of(s)));
    Effect::new(move |_| {
        text.set(seeded.get());
        problem.set(None);
    });
    (text, problem)
}

/// What a queue's card and a topic's card say differently; `kind` names the test ids.
struct MessagesWords {
    kind: &'static str,
    seeds_heading: &'static str,
    /// The seeds' box, "… of NAME", and its test id.
    seeds_label: &'static str,
    seeds_testid: &'static str,
    save: &'static str,
    hint: &'static str,
    /// The undo step's label, and what a refused seed is said after.
    change: &'static str,
    refused: &'static str,
    after_heading: &'static str,
}

fn words(store: MessageStore) -> MessagesWords {
    match store {
        MessageStore::Queue => MessagesWords {
            kind: "queue",
            seeds_heading: "Waiting before each run",
            seeds_label: "Messages of",
            seeds_testid: "queue-messages",
            save: "Save messages",
            hint: " bodies, or {\"MessageBody\", \"MessageAttributes\"}",
            change: "Seed a queue",
            refused: "The messages were not saved",
            after_heading: "At the moment shown",
        },
        MessageStore::Topic => MessagesWords {
            kind: "topic",
            seeds_heading: "Subscriptions",
            seeds_label: "Subscriptions of",
            seeds_testid: "topic-subscriptions",
            save: "Save subscriptions",
            hint: " a queue's ARN or URL receives what is published",
            change: "Subscribe to a topic",
            refused: "The subscriptions were not saved",
            after_heading: "Published by the moment shown",
        },
    }
}

/// A queue or a topic: its seeds as editable JSON (a queue's messages waiting before each run,
/// as bodies or objects as `sendMessage` takes them; a topic's subscriptions, endpoints or
/// `{"Protocol", "Endpoint", "RawMessageDelivery"}`, an SQS one receiving what is published),
/// and its messages at the moment shown (waiting in the queue, published to the topic).
#[component]
fn MessagesCard(stores: Stores, store: MessageStore, name: String) -> impl IntoView {
    let w = words(store);
    let (text, problem) = {
        let name = name.clone();
        seed_text(stores, move |s| store.seed_text(s, &name))
    };
    let save = {
        let name = name.clone();
        move |_| {
            let next = stores.seeds.with_untracked(|s| store.with_seed_text(s, &name, &text.get_untracked()));
            stores.take(next, w.change, problem, w.refused);
        }
    };
    let after = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().map(|a| store.messages(a, &name)))
    };
    let after_count = after.clone();
    view! {
        <section class="store-card" data-testid=w.kind data-name=name.clone() aria-label=format!("{} {name}", w.kind)>
            <header><strong>{name.clone()}</strong>{move || after_count().map(|m| view! { <span class="muted">{format!(" · {} message{} at the moment shown", m.len(), if m.len() == 1 { "" } else { "s" })}</span> })}</header>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="store-problem">{p}</p> })}
            <div class="store-sides">
                <div>
                    <h5>{w.seeds_heading}</h5>
                    <textarea class="json" rows="3" spellcheck="false" aria-label=format!("{} {name}", w.seeds_label) data-testid=w.seeds_testid
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button on:click=save data-testid=format!("{}-save", w.kind)>{w.save}</button>
                    <span class="muted">{w.hint}</span>
                </div>
                <div data-testid=format!("{}-after", w.kind)>
                    <h5>{w.after_heading}</h5>
                    {move || match after() {
                        None => view! { <p class="muted">"Not run yet."</p> }.into_any(),
                        Some(messages) if messages.is_empty() => view! { <p class="muted">"No messages."</p> }.into_any(),
                        Some(messages) => messages.iter().map(|m| view! { <pre class="store-message">{pretty(m)}</pre> }).collect_view().into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}
