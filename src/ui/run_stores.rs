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
use crate::sim::stores::{Referenced, StoreSeeds, StoresView, object_from_file};

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
            match seeded {
                Ok(next) => {
                    problem.set(None);
                    stores.set(next, "Drop a file on a bucket");
                }
                Err(e) => problem.set(Some(format!("{name} was not added: {e}"))),
            }
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
        let mut all: BTreeSet<String> = before.with(|b| of(b)).into_iter().collect();
        all.extend(after.with(|a| a.as_ref().map(of).unwrap_or_default()));
        all.extend(extra.get());
        all.into_iter().collect()
    };
    let bucket_names = move || names(|v| v.buckets.iter().map(|b| b.name.clone()).collect(), extra_buckets);
    let table_names = move || names(|v| v.tables.iter().map(|t| t.name.clone()).collect(), extra_tables);
    let queue_names = move || names(|v| v.queues.iter().map(|q| q.name.clone()).collect(), extra_queues);
    let topic_names = move || names(|v| v.topics.iter().map(|t| t.name.clone()).collect(), extra_topics);
    let add = move |to: RwSignal<Vec<String>>| {
        let name = new_name.get_untracked().trim().to_string();
        if !name.is_empty() {
            to.update(|v| if !v.contains(&name) { v.push(name) });
            new_name.set(String::new());
        }
    };
    let new_channel = RwSignal::new(String::new());
    let add_channel = move |to: RwSignal<Vec<String>>| {
        let name = new_channel.get_untracked().trim().to_string();
        if !name.is_empty() {
            to.update(|v| if !v.contains(&name) { v.push(name) });
            new_channel.set(String::new());
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
                <button on:click=move |_| add(extra_buckets)>"Add bucket"</button>
                <button on:click=move |_| add(extra_tables)>"Add table"</button>
            </div>
            <h4>"SQS queues"</h4>
            {move || queue_names().is_empty().then(|| view! { <p class="muted">"The definition names no queue."</p> })}
            <For each=queue_names key=|n| n.clone() let:name>
                <QueueCard stores=stores name=name/>
            </For>
            <h4>"SNS topics"</h4>
            {move || topic_names().is_empty().then(|| view! { <p class="muted">"The definition names no topic."</p> })}
            <For each=topic_names key=|n| n.clone() let:name>
                <TopicCard stores=stores name=name/>
            </For>
            <div class="stores-add">
                <input aria-label="New queue URL or topic ARN" placeholder="queue URL or topic ARN" data-testid="stores-new-channel"
                    prop:value=move || new_channel.get() on:input=move |ev| new_channel.set(event_target_value(&ev))/>
                <button on:click=move |_| add_channel(extra_queues)>"Add queue"</button>
                <button on:click=move |_| add_channel(extra_topics)>"Add topic"</button>
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
        move || stores.seeds.with(|s| s.buckets.get(&name).map(|o| o.keys().cloned().collect::<BTreeSet<_>>()).unwrap_or_default())
    };
    let add = {
        let name = name.clone();
        move |_| match stores.seeds.with_untracked(|s| s.with_object(&name, key.get_untracked().trim(), &body.get_untracked())) {
            Ok(next) => {
                problem.set(None);
                stores.set(next, "Add an object");
                key.set(String::new());
                body.set(String::new());
            }
            Err(e) => problem.set(Some(format!("The object was not added: {e}"))),
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
    let problem = RwSignal::new(None::<String>);
    let text = RwSignal::new(stores.seeds.with_untracked(|s| s.items_text(&name)));
    // Undo and redo give the document's items back to the box; a failed save keeps the typing.
    {
        let name = name.clone();
        let seeded = Memo::new(move |_| stores.seeds.with(|s| s.items_text(&name)));
        Effect::new(move |_| {
            text.set(seeded.get());
            problem.set(None);
        });
    }
    let save = {
        let name = name.clone();
        move |_| match stores.seeds.with_untracked(|s| s.with_items(&name, &text.get_untracked())) {
            Ok(next) => {
                problem.set(None);
                stores.set(next, "Seed a table");
            }
            Err(e) => problem.set(Some(format!("The items were not saved: {e}"))),
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

/// Seeds edited as JSON text in a box: what a queue's and a topic's cards share with a table's.
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

/// A queue: the messages waiting in it before each run (editable JSON: bodies, or objects as
/// `sendMessage` takes them), and those in it at the moment shown.
#[component]
fn QueueCard(stores: Stores, name: String) -> impl IntoView {
    let (text, problem) = {
        let name = name.clone();
        seed_text(stores, move |s| s.messages_text(&name))
    };
    let save = {
        let name = name.clone();
        move |_| match stores.seeds.with_untracked(|s| s.with_messages(&name, &text.get_untracked())) {
            Ok(next) => {
                problem.set(None);
                stores.set(next, "Seed a queue");
            }
            Err(e) => problem.set(Some(format!("The messages were not saved: {e}"))),
        }
    };
    let after = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().map(|a| a.queues.iter().find(|q| q.name == name).map(|q| q.messages.clone()).unwrap_or_default()))
    };
    let after_count = after.clone();
    view! {
        <section class="store-card" data-testid="queue" data-name=name.clone() aria-label=format!("queue {name}")>
            <header><strong>{name.clone()}</strong>{move || after_count().map(|m| view! { <span class="muted">{format!(" · {} message{} at the moment shown", m.len(), if m.len() == 1 { "" } else { "s" })}</span> })}</header>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="store-problem">{p}</p> })}
            <div class="store-sides">
                <div>
                    <h5>"Waiting before each run"</h5>
                    <textarea class="json" rows="3" spellcheck="false" aria-label=format!("Messages of {name}") data-testid="queue-messages"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button on:click=save data-testid="queue-save">"Save messages"</button>
                    <span class="muted">" bodies, or {\"MessageBody\", \"MessageAttributes\"}"</span>
                </div>
                <div data-testid="queue-after">
                    <h5>"At the moment shown"</h5>
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

/// A topic: its subscriptions (editable JSON: endpoints, or `{"Protocol", "Endpoint",
/// "RawMessageDelivery"}`; an SQS one receives what is published), and the messages published
/// to it by the moment shown.
#[component]
fn TopicCard(stores: Stores, name: String) -> impl IntoView {
    let (text, problem) = {
        let name = name.clone();
        seed_text(stores, move |s| s.subscriptions_text(&name))
    };
    let save = {
        let name = name.clone();
        move |_| match stores.seeds.with_untracked(|s| s.with_subscriptions(&name, &text.get_untracked())) {
            Ok(next) => {
                problem.set(None);
                stores.set(next, "Subscribe to a topic");
            }
            Err(e) => problem.set(Some(format!("The subscriptions were not saved: {e}"))),
        }
    };
    let after = {
        let name = name.clone();
        move || stores.after.with(|a| a.as_ref().map(|a| a.topics.iter().find(|t| t.name == name).map(|t| t.messages.clone()).unwrap_or_default()))
    };
    let after_count = after.clone();
    view! {
        <section class="store-card" data-testid="topic" data-name=name.clone() aria-label=format!("topic {name}")>
            <header><strong>{name.clone()}</strong>{move || after_count().map(|m| view! { <span class="muted">{format!(" · {} message{} at the moment shown", m.len(), if m.len() == 1 { "" } else { "s" })}</span> })}</header>
            {move || problem.get().map(|p| view! { <p class="run-problem" role="alert" data-testid="store-problem">{p}</p> })}
            <div class="store-sides">
                <div>
                    <h5>"Subscriptions"</h5>
                    <textarea class="json" rows="3" spellcheck="false" aria-label=format!("Subscriptions of {name}") data-testid="topic-subscriptions"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button on:click=save data-testid="topic-save">"Save subscriptions"</button>
                    <span class="muted">" a queue's ARN or URL receives what is published"</span>
                </div>
                <div data-testid="topic-after">
                    <h5>"Published by the moment shown"</h5>
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
