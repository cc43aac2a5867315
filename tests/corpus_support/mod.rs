//! What the corpus tests share: a corpus file's definition read as `statecraft run` reads it.

// Each test crate that includes this module uses a part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The template files a project folder of the corpus may hold (a SAM or CloudFormation template,
/// a CDK stack's synthesised template, a Terraform module's main file, a Serverless Framework
/// service), in the order looked for.
pub const PROJECT_FILES: &[&str] = &["template.yaml", "template.json", "main.tf", "serverless.yml"];

/// The file a corpus entry runs: an ASL file itself, or a project folder's template.
pub fn entry_file(path: &Path) -> Option<PathBuf> {
    let name = path.to_string_lossy();
    if path.is_dir() {
        return PROJECT_FILES.iter().map(|f| path.join(f)).find(|p| p.is_file());
    }
    (name.ends_with(".asl.json") || name.ends_with(".asl.yaml")).then(|| path.to_path_buf())
}

/// The path beside a corpus entry with its `.asl.json`/`.asl.yaml` ending (or, for a project
/// folder's template, the folder's name) followed by `ending`: `<name>.expected.json`.
pub fn beside(definition: &Path, ending: &str) -> String {
    let path = definition.to_string_lossy();
    if let Some(stem) = path.strip_suffix(".asl.json").or_else(|| path.strip_suffix(".asl.yaml")) {
        return format!("{stem}{ending}");
    }
    let folder = definition.parent().expect("a project template is in its folder");
    format!("{}{ending}", folder.to_string_lossy())
}

/// The definition a run uses, as JSON text: the file as it is, or (ASL YAML, a definition with
/// placeholders outside its strings that a CDK stack or a Terraform `templatefile` fills in, a
/// project's template with its definition files beside it) what `statecraft run` makes of it
/// through `formats` (placeholders with no value kept, or the fields they stand for left out).
/// A template holding several state machines runs the one its `<name>.expected.json` names
/// under `machine`.
pub fn runnable_definition(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    if serde_json::from_str::<serde_json::Value>(&text).is_ok() && file.to_string_lossy().ends_with(".asl.json") {
        return text;
    }
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let folder = file.parent().unwrap().to_path_buf();
    let read = move |path: &str| std::fs::read_to_string(folder.join(path)).map_err(|e| e.to_string());
    let machines = statecraft::formats::load::load(&name, &text, &read).unwrap_or_else(|e| panic!("{name}: {e}"));
    let wanted = std::fs::read_to_string(beside(file, ".expected.json"))
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v.get("machine").and_then(|m| m.as_str()).map(str::to_string));
    statecraft::formats::load::pick(&name, machines, wanted.as_deref()).unwrap_or_else(|e| panic!("{}: {e}", file.display())).runnable
}
