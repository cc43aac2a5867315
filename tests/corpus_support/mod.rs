//! What the corpus tests share: a corpus file's definition read as `statecraft run` reads it.

use std::path::Path;

/// The definition a run uses, as JSON text: the file as it is, or (ASL YAML, a definition with
/// placeholders outside its strings that a CDK stack or a Terraform `templatefile` fills in)
/// what `statecraft run` makes of it through `formats` (placeholders with no value kept, or the
/// fields they stand for left out).
pub fn runnable_definition(file: &Path) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    if serde_json::from_str::<serde_json::Value>(&text).is_ok() {
        return text;
    }
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let mut machines = statecraft::formats::load::load(&name, &text, &|_| Err("no companion files".into())).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(machines.len(), 1, "{name}");
    machines.remove(0).runnable
}
