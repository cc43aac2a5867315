//! A project opened whole: a dropped folder or a zip of one (a SAM app with `template.yaml` and
//! `statemachine/*.asl.json`, a Terraform module with its `.tf` and `templates/`, a CDK app with
//! `cdk.out/*.template.json`). Which files are read, how a template finds the definition file
//! it names (by its path from the template's folder, else by a unique file name), and what is
//! said about every file that gives no document: the stages are [`candidates`] (by path and
//! size), [`known`] files said for what they are, [`super::open`] on the rest (by content),
//! then [`pair`] (templates with their definition files).

use super::{Companion, Machine, Openable};

/// The folders whose files are never read: dependencies, build output and tools' state (a
/// SAM build copies the template into `.aws-sam`, which would list every machine twice).
const IGNORED_FOLDERS: [&str; 10] = ["node_modules", ".git", ".aws-sam", ".terraform", ".venv", "venv", "__pycache__", ".idea", ".vscode", "target"];

/// The file names that can hold a state machine.
const EXTENSIONS: [&str; 6] = [".json", ".yaml", ".yml", ".tf", ".template", ".tfvars"];

/// The largest file read (a definition or template is far smaller).
pub const MAX_FILE: usize = 10 << 20;

/// What opening a project found.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    /// Each state machine, ready to be a document, in path order.
    pub found: Vec<Found>,
    /// Each file (or folder, or group of files) that gave no document, and why.
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub openable: Openable,
    /// Where it was found, in words: `template.yaml (OrderMachine) with statemachine/order.asl.json`.
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Skipped {
    /// The file's path in the project, a folder (ending in `/`), or a count of files.
    pub path: String,
    pub why: String,
}

/// The files of a zip archive, opened as a project.
pub fn open_zip(bytes: &[u8]) -> Result<Project, String> {
    Ok(open_project(unzip(bytes)?))
}

/// The files of a zip archive, `(path, bytes)`, or why it cannot be read.
pub fn unzip(bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    crate::export::zip::unzip(bytes).map_err(|e| format!("not a zip archive that can be read: {e}"))
}

/// Opens the files of a folder or archive, `(path, bytes)` with `/` between the folders.
pub fn open_project(files: Vec<(String, Vec<u8>)>) -> Project {
    let (texts, skipped) = self::texts(files);
    open_texts(texts, skipped)
}

/// The files of a folder or archive worth reading, `(path, text)` in path order, and what is
/// said of the others (the first stage of [`open_project`]: by path and size only, so the page
/// does it before it sends the texts to the engine worker).
pub fn texts(files: Vec<(String, Vec<u8>)>) -> (Vec<(String, String)>, Vec<Skipped>) {
    let mut files: Vec<(String, Vec<u8>)> = files.into_iter().map(|(p, b)| (normalise(&p), b)).collect();
    crate::asl::sort::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    candidates(files)
}

/// Opens the texts [`texts`] kept, `skipped` being what it said of the others: every state
/// machine found, and every file that gave none, sorted by path.
pub fn open_texts(texts: Vec<(String, String)>, mut skipped: Vec<Skipped>) -> Project {
    let paths: Vec<&str> = texts.iter().map(|(p, _)| p.as_str()).collect();
    let mut opened = Vec::new();
    // The files that gave values to a Terraform file's machines, and what is said of var files.
    let mut gave_values: Vec<String> = Vec::new();
    let mut notes: Vec<(String, String)> = Vec::new();
    for (path, text) in &texts {
        if let Some(why) = known(path) {
            skipped.push(Skipped { path: path.clone(), why: why.into() });
            continue;
        }
        if super::terraform::is_var_file(path) {
            continue;
        }
        let mut module = Vec::new();
        if super::detect::detect(path, text) == Ok(super::Format::Terraform) {
            let (chosen, note) = super::terraform::module_files(path, &paths);
            module = chosen
                .into_iter()
                .filter_map(|c| texts.iter().find(|(p, _)| p == c))
                .map(|(p, t)| super::terraform::ValueFile { file_name: p.clone(), text: t.clone() })
                .collect();
            if let Some(note) = note {
                notes.push((folder(path).to_string(), note));
            }
        }
        match super::open_in_module(path, text, &module) {
            Ok(o) => {
                for m in &o.machines {
                    gave_values.extend(super::terraform::files_giving_values(text, &m.id, &o.module));
                }
                opened.push((path.clone(), text.clone(), o));
            }
            Err(e) => skipped.push(Skipped { path: path.clone(), why: e.to_string() }),
        }
    }
    // A `.tf` without a state machine whose values a machine took (`variables.tf`) and the var
    // files read are said with the machine; the var files nobody read, here.
    skipped.retain(|s| !(s.path.to_ascii_lowercase().ends_with(".tf") && gave_values.contains(&s.path) && s.why.contains("holds no state machine")));
    for (path, _) in &texts {
        if super::terraform::is_var_file(path) && !gave_values.contains(path) {
            let why = match notes.iter().find(|(f, _)| f == folder(path)) {
                Some((_, note)) if !super::terraform::is_automatic_var_file(path) => note.clone(),
                _ => "Terraform variable values, but no Terraform file beside it holds a state machine".to_string(),
            };
            skipped.push(Skipped { path: path.clone(), why });
        }
    }
    let (found, missing) = pair(&opened, |template, external| locate(&opened, template, external), false);
    skipped.extend(missing);
    skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Project { found, skipped }
}

/// The files worth reading, as text, and what is said of the others: one line per ignored
/// folder, one per file too large or not text, one for all files of other kinds.
fn candidates(files: Vec<(String, Vec<u8>)>) -> (Vec<(String, String)>, Vec<Skipped>) {
    let mut texts = Vec::new();
    let mut skipped = Vec::new();
    let mut ignored: Vec<(String, usize)> = Vec::new();
    let mut others: Vec<String> = Vec::new();
    for (path, bytes) in files {
        let parts: Vec<&str> = path.split('/').collect();
        if let Some(k) = parts[..parts.len() - 1].iter().position(|p| IGNORED_FOLDERS.contains(p)) {
            let prefix = format!("{}/", parts[..=k].join("/"));
            match ignored.iter_mut().find(|(p, _)| *p == prefix) {
                Some((_, n)) => *n += 1,
                None => ignored.push((prefix, 1)),
            }
            continue;
        }
        let lower = path.to_ascii_lowercase();
        if !EXTENSIONS.iter().any(|e| lower.ends_with(e)) {
            others.push(path);
            continue;
        }
        if bytes.len() > MAX_FILE {
            skipped.push(Skipped { path, why: format!("too large to be a template ({} MB; the limit is {} MB)", bytes.len() >> 20, MAX_FILE >> 20) });
            continue;
        }
        match String::from_utf8(bytes) {
            Ok(text) => texts.push((path, text)),
            Err(_) => skipped.push(Skipped { path, why: "not text (not UTF-8)".into() }),
        }
    }
    for (folder, n) in ignored {
        skipped.push(Skipped { path: folder, why: format!("not read: dependencies, build output or tools' files ({n} file{})", plural(n)) });
    }
    if !others.is_empty() {
        let shown: Vec<&str> = others.iter().take(5).map(String::as_str).collect();
        let more = if others.len() > shown.len() { format!(" and {} more", others.len() - shown.len()) } else { String::new() };
        skipped.push(Skipped {
            path: format!("{} other file{}", others.len(), plural(others.len())),
            why: format!("not JSON, YAML or Terraform: {}{more}", shown.join(", ")),
        });
    }
    (texts, skipped)
}

/// What a well-known file that never holds a state machine is, said instead of the reason
/// opening it would give (a CDK app's `cdk.out` holds the templates beside CDK's own files).
fn known(path: &str) -> Option<&'static str> {
    let name = base(path);
    let in_cdk_out = path.split('/').any(|p| p == "cdk.out");
    match name {
        "package.json" | "package-lock.json" | "tsconfig.json" | "jsconfig.json" => Some("a Node.js or TypeScript project's settings"),
        "cdk.json" | "cdk.context.json" => Some("the CDK app's settings (its state machines are in cdk.out/*.template.json)"),
        "manifest.json" | "tree.json" if in_cdk_out => Some("CDK's own output (its templates are the *.template.json)"),
        _ if in_cdk_out && name.ends_with(".assets.json") => Some("CDK's list of assets (its templates are the *.template.json)"),
        _ => None,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `path` with `\` as `/`, without `./`, a leading `/`, and `..` folded.
fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// `, values from variables.tf, terraform.tfvars`: the module's files that gave the machine a
/// value, in words (empty when none did).
fn values_from(text: &str, module: &[super::terraform::ValueFile], machine: &Machine) -> String {
    let used = super::terraform::files_giving_values(text, &machine.id, module);
    if used.is_empty() { String::new() } else { format!(", values from {}", used.join(", ")) }
}

pub(super) fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

fn base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The definition file `external` names from `template`: by its path from the template's
/// folder (Terraform's `${path.module}` and `${path.root}` are that folder), else the one
/// definition file of that name.
fn locate(opened: &[(String, String, super::Opened)], template: &str, external: &str) -> Option<usize> {
    if external.starts_with("s3://") {
        return None;
    }
    let relative = external.trim_start_matches("${path.module}/").trim_start_matches("${path.root}/");
    let wanted = normalise(&format!("{}/{relative}", folder(template)));
    let definitions = || opened.iter().enumerate().filter(|(_, (_, _, o))| !o.format.is_template());
    if let Some((i, _)) = definitions().find(|(_, (p, _, _))| *p == wanted) {
        return Some(i);
    }
    let mut same_name = definitions().filter(|(_, (p, _, _))| base(p) == base(&wanted));
    match (same_name.next(), same_name.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Every machine of the files opened, a template's machine with its definition file when
/// `locate` finds it (that file then gives no document of its own), in the files' order; and
/// the machines whose definition file is not there, said as skipped (or, when
/// `keep_external`, found as they are: the page then says which file to add).
pub(super) fn pair(
    opened: &[(String, String, super::Opened)],
    locate: impl Fn(&str, &str) -> Option<usize>,
    keep_external: bool,
) -> (Vec<Found>, Vec<Skipped>) {
    let companion = |path: &str, m: &Machine| m.external().and_then(|e| locate(path, e));
    let used: Vec<bool> = (0..opened.len())
        .map(|i| opened.iter().any(|(p, _, o)| o.format.is_template() && o.machines.iter().any(|m| companion(p, m) == Some(i))))
        .collect();
    let (mut found, mut missing) = (Vec::new(), Vec::new());
    for (i, (path, text, o)) in opened.iter().enumerate() {
        if !o.format.is_template() {
            if !used[i] {
                let openable = Openable { file_name: path.clone(), text: text.clone(), format: o.format, machine: o.machines[0].clone(), companion: None, module: Vec::new() };
                found.push(Found { openable, place: path.clone() });
            }
            continue;
        }
        for machine in &o.machines {
            let place = format!("{path} ({})", machine.id);
            let values = values_from(text, &o.module, machine);
            let Some(at) = companion(path, machine) else {
                match machine.external() {
                    Some(external) if !keep_external => {
                        let why = if external.starts_with("s3://") {
                            format!("its definition is in S3 ({external}), not in these files")
                        } else {
                            format!("its definition file {external} is not among these files")
                        };
                        missing.push(Skipped { path: place, why });
                    }
                    _ => {
                        let openable =
                            Openable { file_name: path.clone(), text: text.clone(), format: o.format, machine: machine.clone(), companion: None, module: o.module.clone() };
                        found.push(Found { openable, place: format!("{place}{values}") });
                    }
                }
                continue;
            };
            let (file, definition_text, definition) = &opened[at];
            let inner = &definition.machines[0];
            // The template's values first, then the definition's other placeholders.
            let mut substitutions = machine.substitutions.clone();
            for s in &inner.substitutions {
                match substitutions.iter_mut().find(|t| t.name == s.name) {
                    // Written bare in the definition file: the template's value is a whole JSON value.
                    Some(t) => t.bare |= s.bare,
                    None => substitutions.push(s.clone()),
                }
            }
            // A Terraform templatefile's own expressions (`${upper(table)}`) are worked out
            // from the variables it is given.
            if o.format == super::Format::Terraform {
                let given = machine.substitutions.clone();
                for sub in substitutions.iter_mut().filter(|s| s.origin == super::Origin::Unset && !given.iter().any(|g| g.name == s.name)) {
                    super::terraform::simulate(sub, &super::terraform::TemplateVars(&given));
                }
            }
            let openable = Openable {
                file_name: file.clone(),
                text: definition_text.clone(),
                format: definition.format,
                machine: Machine { name: machine.name.clone(), substitutions, ..inner.clone() },
                companion: Some(Companion { file_name: path.clone(), format: o.format, template: text.clone(), machine: machine.id.clone() }),
                module: o.module.clone(),
            };
            found.push(Found { openable, place: format!("{place} with {file}{values}") });
        }
    }
    (found, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_normalised_and_resolved_from_the_template() {
        assert_eq!(normalise("./a\\b/../c.json"), "a/c.json");
        assert_eq!(normalise("/x//y"), "x/y");
        assert_eq!(folder("infra/main.tf"), "infra");
        assert_eq!(folder("main.tf"), "");
    }
}
