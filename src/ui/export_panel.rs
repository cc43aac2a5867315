//! The Export dialog: the deployment options, a preview of each generated file with Copy and
//! Download, the diagram as SVG and PNG, and "Download all" as a zip. The files are generated
//! by the engine worker (`Request::Export`: the exporters, the IAM policy and the templates'
//! YAML are not in the page's wasm); the diagram is drawn here from the canvas's scene, and the
//! zip is written here. This holds the options the user types and shows the worker's answer;
//! while the answer to the latest options is on its way, the files are marked busy.

use super::context::Editor;
use super::engine::Engine;
use crate::export::diagram::diagram_svg;
use crate::export::zip::{ZipEntry, zip};
use crate::export::{AlarmOptions, ExportOptions, LogLevel, Scenario, WorkflowType};
use crate::sim::protocol::{ExportAnswer, ExportReply, GeneratedFile, Request};
use base64::Engine as _;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = "export function copy_text(t) { navigator.clipboard.writeText(t).catch(() => {}); }
export function svg_to_png(svg, name) {
  const img = new Image();
  img.onload = () => {
    const c = document.createElement('canvas'), s = 2;
    c.width = img.width * s; c.height = img.height * s;
    const g = c.getContext('2d'); g.scale(s, s); g.drawImage(img, 0, 0);
    c.toBlob(b => { const a = document.createElement('a'); a.href = URL.createObjectURL(b); a.download = name;
      document.body.appendChild(a); a.click(); a.remove(); setTimeout(() => URL.revokeObjectURL(a.href), 5000); }, 'image/png');
  };
  img.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg);
}")]
extern "C" {
    /// Puts `text` on the clipboard (asynchronously; a refusal is ignored).
    fn copy_text(text: &str);
    /// Draws the SVG onto a canvas (twice the size) and downloads it as a PNG named `name`.
    fn svg_to_png(svg: &str, name: &str);
}

/// `text` as a percent-encoded `data:` URL of type `mime`.
pub(super) fn data_url(mime: &str, text: &str) -> String {
    let mut out = format!("data:{mime};charset=utf-8,");
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("json") => "application/json",
        Some("sh") => "text/x-shellscript",
        Some("yaml") => "application/yaml",
        Some("svg") => "image/svg+xml",
        _ => "text/plain",
    }
}

/// What the user types, before it becomes [`ExportOptions`].
#[derive(Clone, PartialEq)]
struct Form {
    name: String,
    region: String,
    express: bool,
    level: LogLevel,
    log_group: String,
    tracing: bool,
    alarm_email: String,
    /// Write this account into the definition's ARNs instead of keeping its placeholders.
    use_account: bool,
    account: String,
}

impl Form {
    /// The form for the document named `document`: its name is the state machine's.
    fn new(document: &str) -> Self {
        let d = ExportOptions::for_document(document);
        Form {
            name: d.state_machine_name,
            region: d.region,
            express: false,
            level: d.logging.level,
            log_group: String::new(),
            tracing: false,
            alarm_email: String::new(),
            use_account: false,
            account: String::new(),
        }
    }

    fn options(&self) -> ExportOptions {
        let mut o = ExportOptions { state_machine_name: self.name.trim().to_string(), region: self.region.trim().to_string(), ..ExportOptions::default() };
        o.workflow_type = if self.express { WorkflowType::Express } else { WorkflowType::Standard };
        o.logging.level = self.level;
        o.logging.log_group = match self.log_group.trim() {
            "" => format!("/aws/vendedlogs/states/{}-Logs", o.state_machine_name),
            group => group.to_string(),
        };
        o.tracing = self.tracing;
        o.alarm = Some(self.alarm_email.trim()).filter(|e| !e.is_empty()).map(|e| AlarmOptions { email: e.to_string() });
        o.account_id = Some(self.account.trim()).filter(|a| self.use_account && !a.is_empty()).map(str::to_string);
        o
    }
}

/// What an export is made of (the engine's request), kept with the answer to it.
#[derive(Clone, PartialEq)]
struct Asked {
    definition: String,
    options: ExportOptions,
    scenarios: Vec<Scenario>,
}

const LEVELS: [LogLevel; 4] = [LogLevel::Off, LogLevel::Error, LogLevel::Fatal, LogLevel::All];

#[component]
pub fn ExportPanel(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <Show when=move || open.get()>
            <ExportDialog open=open/>
        </Show>
    }
}

#[component]
fn ExportDialog(open: RwSignal<bool>) -> impl IntoView {
    let editor: Editor = expect_context();
    let session = editor.session;
    let form = RwSignal::new(Form::new(&session.with_untracked(|s| s.doc.name().to_string())));
    let shown = RwSignal::new(String::from("state-machine.json"));
    let service_files: super::service_files::ServiceFiles = expect_context();
    let engine: Engine = expect_context();
    // What the engine is asked: the document's text, the options and the document's scenarios
    // (run.sh starts them: the Run drawer's list, saved with it). Again when a service file
    // arrives: the policy's aws-sdk actions come from the files fetched so far.
    let asked = Memo::new(move |_| {
        service_files.track();
        let options = form.with(Form::options);
        session.with(|s| Asked { definition: s.doc.text().to_string(), options, scenarios: Scenario::of_document(&s.doc) })
    });
    // The last answer, with what it answered: shown until the next one comes.
    let answered: RwSignal<Option<(Asked, ExportAnswer)>> = RwSignal::new(None);
    Effect::new(move |_| {
        let asked = asked.get();
        let request = Request::Export {
            definition: asked.definition.clone(),
            options: asked.options.clone(),
            scenarios: asked.scenarios.clone(),
            services: engine.unsent_services(service_files.texts()),
        };
        engine.ask(&request, move |response: ExportReply| {
            let answer = match response {
                ExportReply::Export(answer) => answer,
                ExportReply::Error { message } => ExportAnswer::Refused(message),
            };
            // The worker answers in order: this is the answer to the latest request sent so far.
            answered.try_set(Some((asked.clone(), answer)));
        });
    });
    let busy = move || answered.with(|a| a.as_ref().is_none_or(|(k, _)| asked.with(|now| k != now)));
    // The diagram, drawn from the canvas's scene.
    let diagram = Memo::new(move |_| {
        let title = session.with(|s| s.doc.machine().comment.clone());
        editor.scene.with(|scene| diagram_svg(scene, title.as_deref()))
    });
    // The files shown: the engine's, then the diagram; or why there are none.
    let files = Memo::new(move |_| {
        answered.with(|a| match a.as_ref().map(|(_, answer)| answer) {
            None => Err(None),
            Some(ExportAnswer::Refused(why)) => Err(Some(why.clone())),
            Some(ExportAnswer::Files { files, warnings }) => {
                let mut files = files.clone();
                files.push(GeneratedFile { name: "diagram.svg".into(), contents: diagram.get(), executable: false });
                Ok((files, warnings.clone()))
            }
        })
    });
    let current = move || {
        files.with(|f| f.as_ref().ok().and_then(|(files, _)| shown.with(|shown| files.iter().find(|f| f.name == *shown).cloned())))
    };
    let zip_url = move || {
        files.with(|f| match f {
            Ok((files, _)) => {
                let entries: Vec<ZipEntry> = files.iter().map(|f| ZipEntry { name: &f.name, data: f.contents.as_bytes(), executable: f.executable }).collect();
                format!("data:application/zip;base64,{}", base64::engine::general_purpose::STANDARD.encode(zip(&entries)))
            }
            Err(_) => String::new(),
        })
    };
    let zip_name = move || format!("{}-export.zip", form.with(|f| f.name.trim().to_string()));
    let copy = move |_| {
        if let Some(file) = current() {
            copy_text(&file.contents);
            editor.notice.set(Some(format!("Copied {}", file.name)));
        }
    };
    let png = move |_| svg_to_png(&diagram.get_untracked(), "diagram.png");
    let text = move |set: fn(&mut Form, String)| move |e| form.update(|f| set(f, event_target_value(&e)));
    let check = move |set: fn(&mut Form, bool)| move |e| form.update(|f| set(f, event_target_checked(&e)));
    let close = move || open.set(false);
    view! {
        <div class="dialog-backdrop" on:click=move |_| close()>
            <div class="dialog export" role="dialog" aria-label="Export" on:click=|e| e.stop_propagation()
                on:keydown=move |e| if e.key() == "Escape" { close() }>
                <super::app::ReturnFocus/>
                <h2>"Export"</h2>
                <div class="export-body">
                    <div class="export-options">
                        <label>"State machine name"<input aria-label="State machine name" prop:value=move || form.with(|f| f.name.clone()) on:input=text(|f, v| f.name = v)/></label>
                        <label>"Region"<input aria-label="Region" prop:value=move || form.with(|f| f.region.clone()) on:input=text(|f, v| f.region = v)/></label>
                        <label>"Type"
                            <select aria-label="Type" on:change=move |e| form.update(|f| f.express = event_target_value(&e) == "EXPRESS")>
                                <option value="STANDARD" selected=move || form.with(|f| !f.express)>"Standard"</option>
                                <option value="EXPRESS" selected=move || form.with(|f| f.express)>"Express"</option>
                            </select>
                        </label>
                        <label>"Logging level"
                            <select aria-label="Logging level" on:change=move |e| {
                                let v = event_target_value(&e);
                                form.update(|f| f.level = LEVELS.into_iter().find(|l| l.api_name() == v).unwrap_or(LogLevel::Off));
                            }>
                                {LEVELS.into_iter().map(|l| view! { <option value=l.api_name() selected=move || form.with(|f| f.level == l)>{l.api_name()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Log group"<input aria-label="Log group" placeholder=move || form.with(|f| format!("/aws/vendedlogs/states/{}-Logs", f.name.trim()))
                            prop:value=move || form.with(|f| f.log_group.clone()) on:input=text(|f, v| f.log_group = v)/></label>
                        <label class="check"><input type="checkbox" aria-label="X-Ray tracing" prop:checked=move || form.with(|f| f.tracing) on:change=check(|f, v| f.tracing = v)/>"X-Ray tracing"</label>
                        <label>"Alarm e-mail (failed executions)"<input type="email" aria-label="Alarm e-mail" placeholder="none"
                            prop:value=move || form.with(|f| f.alarm_email.clone()) on:input=text(|f, v| f.alarm_email = v)/></label>
                        <label class="check"><input type="checkbox" aria-label="Write account and region into ARNs" prop:checked=move || form.with(|f| f.use_account)
                            on:change=check(|f, v| f.use_account = v)/>"Write account and region into ARNs"</label>
                        <Show when=move || form.with(|f| f.use_account)>
                            <label>"Account id"<input aria-label="Account id" inputmode="numeric" placeholder="123456789012"
                                prop:value=move || form.with(|f| f.account.clone()) on:input=text(|f, v| f.account = v)/></label>
                        </Show>
                    </div>
                    <div class="export-files" aria-busy=move || busy().to_string()>
                        {move || files.with(|f| match f {
                            Err(None) => view! { <p class="hint">"Generating the files…"</p> }.into_any(),
                            Err(Some(e)) => view! { <p class="code-error" role="alert">{e.clone()}</p> }.into_any(),
                            Ok((files, warnings)) => view! {
                                // What the policy could not grant exactly: never written silently.
                                {(!warnings.is_empty()).then(|| view! {
                                    <ul class="export-warnings" role="status" aria-label="Policy warnings">
                                        {warnings.iter().map(|w| view! { <li>{w.clone()}</li> }).collect_view()}
                                    </ul>
                                })}
                                <div class="export-tabs" role="tablist" aria-label="Files">
                                    {files.iter().map(|file| {
                                        let name = file.name.clone();
                                        let selected = name.clone();
                                        let chosen = name.clone();
                                        view! { <button role="tab" class="export-tab" aria-selected=move || shown.with(|s| *s == selected).to_string()
                                            on:click=move |_| shown.set(chosen.clone())>{name}</button> }
                                    }).collect_view()}
                                </div>
                            }.into_any(),
                        })}
                        {move || current().map(|file| {
                            let is_svg = file.name.ends_with(".svg");
                            let href = data_url(mime(&file.name), &file.contents);
                            view! {
                                <div class="export-file-actions">
                                    <span class="export-file-name">{file.name.clone()}" · "{file.contents.len()}" bytes"</span>
                                    <button class="btn" on:click=copy>"Copy"</button>
                                    <a class="btn" href=href.clone() download=file.name.clone()>"Download"</a>
                                    {is_svg.then(|| view! { <button class="btn" on:click=png>"Download PNG"</button> })}
                                </div>
                                {if is_svg {
                                    view! { <div class="export-preview diagram"><img alt="Diagram" src=href/></div> }.into_any()
                                } else {
                                    view! { <pre class="export-preview" data-testid="export-preview" tabindex="0" aria-label="Preview of the file">{file.contents}</pre> }.into_any()
                                }}
                            }
                        })}
                    </div>
                </div>
                <div class="inspector-actions">
                    <a class="btn primary" href=zip_url download=zip_name>"Download all (.zip)"</a>
                    <button class="btn" on:click=move |_| close()>"Close"</button>
                </div>
            </div>
        </div>
    }
}
