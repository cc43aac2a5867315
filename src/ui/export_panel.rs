//! The Export dialog: the deployment options, a preview of each generated file with Copy and
//! Download, the diagram as SVG and PNG, and "Download all" as a zip. Everything it shows comes
//! from `export` (files, diagram, zip); this only holds the options the user types.

use super::context::Editor;
use crate::export::diagram::diagram_svg;
use crate::export::zip::zip_files;
use crate::export::{AlarmOptions, ExportFile, ExportOptions, LogLevel, Scenario, WorkflowType, export_with};
use base64::Engine;
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
    let shown = RwSignal::new("state-machine.json");
    let service_files: super::service_files::ServiceFiles = expect_context();
    let files = Memo::new(move |_| {
        let options = form.with(Form::options);
        // The policy's aws-sdk actions come from the service files fetched so far: again when one arrives.
        service_files.states.track();
        let catalogue = service_files.catalogue();
        // run.sh starts the document's own scenarios (the Run drawer's list, saved with it).
        let mut export = session
            .with(|s| {
                export_with(s.doc.text(), &options, &Scenario::of_document(&s.doc), &catalogue)
            })
            .map_err(|e| e.to_string())?;
        let title = session.with(|s| s.doc.machine().comment.clone());
        let svg = editor.scene.with(|scene| diagram_svg(scene, title.as_deref()));
        export.files.push(ExportFile { name: "diagram.svg", contents: svg, executable: false });
        Ok::<_, String>(export)
    });
    let current = move || files.with(|f| f.as_ref().ok().and_then(|e| e.files.iter().find(|f| f.name == shown.get()).cloned()));
    let zip_url = move || {
        files.with(|f| match f {
            Ok(export) => format!("data:application/zip;base64,{}", base64::engine::general_purpose::STANDARD.encode(zip_files(&export.files))),
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
    let png = move |_| {
        if let Some(svg) = files.with(|f| f.as_ref().ok().and_then(|e| e.files.last().map(|d| d.contents.clone()))) {
            svg_to_png(&svg, "diagram.png");
        }
    };
    let text = move |set: fn(&mut Form, String)| move |e| form.update(|f| set(f, event_target_value(&e)));
    let check = move |set: fn(&mut Form, bool)| move |e| form.update(|f| set(f, event_target_checked(&e)));
    let close = move || open.set(false);
    view! {
        <div class="dialog-backdrop" on:click=move |_| close()>
            <div class="dialog export" role="dialog" aria-label="Export" on:click=|e| e.stop_propagation()
                on:keydown=move |e| if e.key() == "Escape" { close() }>
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
                    <div class="export-files">
                        {move || files.with(|f| match f {
                            Err(e) => view! { <p class="code-error" role="alert">{e.clone()}</p> }.into_any(),
                            Ok(export) => view! {
                                // What the policy could not grant exactly: never written silently.
                                {(!export.warnings.is_empty()).then(|| view! {
                                    <ul class="export-warnings" role="status" aria-label="Policy warnings">
                                        {export.warnings.iter().map(|w| view! { <li>{w.to_string()}</li> }).collect_view()}
                                    </ul>
                                })}
                                <div class="export-tabs" role="tablist" aria-label="Files">
                                    {export.files.iter().map(|file| {
                                        let name = file.name;
                                        view! { <button role="tab" class="export-tab" aria-selected=move || (shown.get() == name).to_string()
                                            on:click=move |_| shown.set(name)>{name}</button> }
                                    }).collect_view()}
                                </div>
                            }.into_any(),
                        })}
                        {move || current().map(|file| {
                            let is_svg = file.name.ends_with(".svg");
                            let href = data_url(mime(file.name), &file.contents);
                            view! {
                                <div class="export-file-actions">
                                    <span class="export-file-name">{file.name}" · "{file.contents.len()}" bytes"</span>
                                    <button class="btn" on:click=copy>"Copy"</button>
                                    <a class="btn" href=href.clone() download=file.name>"Download"</a>
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
