//! The template formats as a service of the engine worker: the page's two questions about files
//! and their plain, serialisable answers. Reading a template (Terraform/HCL, YAML,
//! CloudFormation) and splicing an edited definition back into it run in the worker
//! (`sim::engine`, [`crate::sim::protocol::Request::Open`] and `Request::Save`), so the page's
//! wasm carries none of it. "Open these files" ([`open`]): a pasted text, files chosen together,
//! or a project's texts give the state machines found, each an [`Offer`] (what the page shows
//! and the [`Source`] the document keeps), or why none opens, located. "Save back" ([`save`]):
//! a document's [`Source`] and its edited definition give every file's new text.

use serde::{Deserialize, Serialize};

use super::project::Skipped;
use super::{Choice, Format, Openable, Source, Substitution};

/// Files to open, as the page read them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Files {
    /// A text pasted (the Import dialog, Ctrl+V on the canvas) that is neither a definition nor
    /// states: a template, perhaps.
    Pasted { text: String },
    /// Files chosen together with Open, `(name, text)`: a template and the definition files it
    /// names (Terraform's `templatefile`, SAM's `DefinitionUri`), a module's value files.
    Chosen { files: Vec<(String, String)> },
    /// A project's files (a dropped folder, a zip), sorted out by the page
    /// ([`super::project::texts`]): the texts worth reading, `(path, text)`, and what it
    /// skipped and why.
    Project { texts: Vec<(String, String)>, skipped: Vec<Skipped> },
}

/// What the files hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Found {
    /// The state machines of a pasted text or of files chosen, in order, or why there is none
    /// to open, in words (located: `line 3, column 5: ...`).
    Machines(Result<Vec<Offer>, String>),
    /// A project's state machines, each with where it was found in words, and every file that
    /// gave none, with why, by path.
    Project { found: Vec<(Offer, String)>, skipped: Vec<Skipped> },
}

/// One state machine found, as the page offers it and opens it: plain data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The file the definition is saved back into.
    pub file_name: String,
    pub format: Format,
    /// Its id in the file ([`super::Machine::id`]).
    pub id: String,
    /// The document's name.
    pub name: String,
    /// The definition as ASL JSON, placeholders kept (empty when [`Offer::external`]).
    pub definition: String,
    pub substitutions: Vec<Substitution>,
    /// The file holding the definition, when it is not among those opened.
    pub external: Option<String>,
    /// How the chooser lists it.
    pub choice: Choice,
    /// What the document opened from it keeps, to save back.
    pub source: Source,
}

impl From<&Openable> for Offer {
    fn from(o: &Openable) -> Offer {
        let m = &o.machine;
        Offer {
            file_name: o.file_name.clone(),
            format: o.format,
            id: m.id.clone(),
            name: m.name.clone(),
            definition: m.definition.clone(),
            substitutions: m.substitutions.clone(),
            external: m.external().map(str::to_string),
            choice: o.choice(),
            source: o.source(),
        }
    }
}

/// Opens `files`: the answer to the page's "open these files".
pub fn open(files: &Files) -> Found {
    match files {
        Files::Pasted { text } => Found::Machines(pasted(text)),
        Files::Chosen { files } => Found::Machines(chosen(files)),
        Files::Project { texts, skipped } => {
            let project = super::project::open_texts(texts.clone(), skipped.clone());
            Found::Project { found: project.found.iter().map(|f| (Offer::from(&f.openable), f.place.clone())).collect(), skipped: project.skipped }
        }
    }
}

/// The state machines of a pasted template, named after what it is (`template.yaml`, `main.tf`).
fn pasted(text: &str) -> Result<Vec<Offer>, String> {
    let opened = super::open("template", text).map_err(|e| e.to_string())?;
    let file_name = match opened.format {
        Format::AslYaml => "definition.asl.yaml",
        Format::CloudFormationYaml => "template.yaml",
        Format::Terraform => "main.tf",
        Format::Serverless => "serverless.yml",
        _ => "template.json",
    };
    Ok(opened
        .machines
        .into_iter()
        .map(|machine| Offer::from(&Openable { file_name: file_name.into(), text: text.into(), format: opened.format, machine, companion: None, module: Vec::new() }))
        .collect())
}

/// The state machines of files chosen together, or why they do not open. A lone JSON file's
/// problem reads as JSON's ("not JSON at line L, column C: ..."), and a lone file's without
/// its name (the page says which file).
fn chosen(files: &[(String, String)]) -> Result<Vec<Offer>, String> {
    match super::open_files(files) {
        Ok(found) => Ok(found.iter().map(Offer::from).collect()),
        Err(e) => {
            let why = match files {
                [(_, text)] if text.trim_start().starts_with('{') => match crate::asl::json::read(text) {
                    Err(j) => format!("not JSON at line {}, column {}: {}", j.line, j.column, j.message),
                    Ok(_) => e.to_string(),
                },
                _ => e.to_string(),
            };
            Err(match files {
                [(name, _)] => why.strip_prefix(&format!("{name}: ")).map(str::to_string).unwrap_or(why),
                _ => why,
            })
        }
    }
}

/// A lone plain definition chosen with Open, which the page opens by itself without asking the
/// engine worker (which may still be starting): a file not named as Terraform whose text reads
/// as JSON, holds `StartAt` and `States`, is no template (no `Resources`,
/// `AWSTemplateFormatVersion` or `Transform`) and has no `${...}` placeholder (those the worker
/// lists for the Substitutions table). Its document's name and text, as [`open`] gives them
/// (`Offer::name`, `Offer::definition`); anything else, a broken file included, goes to the
/// worker, which reads every format and locates what is wrong. Only `asl::json` is read here, so
/// the page's wasm gains none of the formats.
pub fn plain_definition(files: &[(String, String)]) -> Option<(String, String)> {
    let [(file_name, text)] = files else { return None };
    if file_name.to_ascii_lowercase().ends_with(".tf") || !text.trim_start().starts_with('{') || !super::placeholder::names(text).is_empty() {
        return None;
    }
    let root = crate::asl::json::read(text).ok()?;
    let template = ["Resources", "AWSTemplateFormatVersion", "Transform"].iter().any(|k| root.get(k).is_some());
    (!template && root.get("StartAt").is_some() && root.get("States").is_some()).then(|| (super::stem(file_name), text.clone()))
}

/// Every file the document of `source` saves back into with `definition` in it, `(name, text)`,
/// the definition's file first ([`Source::save_files`]); or why it cannot be written, in words.
pub fn save(source: &Source, definition: &str) -> Result<Vec<(String, String)>, String> {
    source.save_files(definition).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAM: &str = "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Result: \"${Greeting}\", End: true}\n      DefinitionSubstitutions:\n        Greeting: hi\n";

    fn machines(found: Found) -> Result<Vec<Offer>, String> {
        match found {
            Found::Machines(m) => m,
            other => panic!("{other:?}"),
        }
    }

    /// The fixtures a person opens: definitions, templates, layouts.
    fn fixture_files() -> Vec<(String, String)> {
        let mut out = Vec::new();
        for dir in ["tests/fixtures/workflows", "tests/fixtures/layout-corpus", "tests/fixtures/templates", "tests/fixtures/accepted"] {
            let mut paths: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.is_file()).collect();
            paths.sort();
            for path in paths {
                let Ok(text) = std::fs::read_to_string(&path) else { continue };
                out.push((path.file_name().unwrap().to_string_lossy().into_owned(), text));
            }
        }
        out
    }

    #[test]
    fn a_plain_definition_opens_in_the_page_as_the_worker_would_open_it() {
        let (mut plain, mut worker) = (0, 0);
        for (name, text) in fixture_files() {
            let files = vec![(name.clone(), text.clone())];
            match plain_definition(&files) {
                Some((doc_name, definition)) => {
                    plain += 1;
                    let offers = machines(open(&Files::Chosen { files })).unwrap_or_else(|e| panic!("{name}: {e}"));
                    let [o] = &offers[..] else { panic!("{name}: {} machines", offers.len()) };
                    assert_eq!((o.format, o.external.as_deref()), (Format::AslJson, None), "{name}");
                    assert!(o.substitutions.is_empty(), "{name}: {:?}", o.substitutions);
                    assert_eq!((doc_name.as_str(), definition.as_str()), (o.name.as_str(), o.definition.as_str()), "{name}");
                }
                None => worker += 1,
            }
        }
        // Most fixtures are plain definitions; the templates, YAML and placeholders go to the worker.
        assert!(plain > 100 && worker > 10, "{plain} plain, {worker} for the worker");
        let lone = |name: &str, text: &str| plain_definition(&[(name.to_string(), text.to_string())]);
        let def = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}"#;
        assert_eq!(lone("flow.asl.json", def), Some(("flow".into(), def.into())));
        assert_eq!(lone("flow.asl.json", &def.replace("Pass\"", "Pass\", \"Result\": \"${Table}\"")), None, "a placeholder");
        assert_eq!(lone("flow.asl.json", "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}"), None, "broken: the worker locates it");
        assert_eq!(lone("template.json", r#"{"Resources": {}, "StartAt": "A", "States": {}}"#), None);
        assert_eq!(lone("flow.asl.yaml", "StartAt: A\nStates: {}\n"), None);
        assert_eq!(plain_definition(&[("a.json".into(), def.into()), ("b.json".into(), def.into())]), None, "files chosen together");
    }

    #[test]
    fn a_pasted_template_offers_its_machines_with_their_source() {
        let offers = machines(open(&Files::Pasted { text: SAM.into() })).unwrap();
        assert_eq!(offers.len(), 1);
        let o = &offers[0];
        assert_eq!((o.file_name.as_str(), o.format, o.id.as_str()), ("template.yaml", Format::CloudFormationYaml, "Flow"));
        assert!(o.definition.contains("\"${Greeting}\""), "{}", o.definition);
        assert_eq!(o.substitutions[0].value, "hi");
        assert_eq!(o.choice.label, "Flow");
        let line = super::super::open("t.yaml", SAM).unwrap().machines[0].line;
        assert_eq!(o.choice.place, format!("template.yaml, line {line}"));
        assert_eq!((o.source.file_name.as_str(), o.source.machine.as_str()), ("template.yaml", "Flow"));
        assert_eq!(o.external, None);
    }

    #[test]
    fn a_pasted_text_that_is_no_template_says_where_it_breaks() {
        let why = machines(open(&Files::Pasted { text: "Resources:\n  A: [\n".into() })).unwrap_err();
        assert!(why.starts_with("line "), "{why}");
        assert!(why.contains("not YAML"), "{why}");
    }

    #[test]
    fn a_lone_broken_json_file_is_said_as_json_without_its_name() {
        let files = vec![("broken.asl.json".to_string(), "{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}".to_string())];
        let why = machines(open(&Files::Chosen { files })).unwrap_err();
        assert!(why.starts_with("not JSON at line 3, column "), "{why}");
        let files = vec![("topic.yaml".to_string(), "Resources:\n  T:\n    Type: AWS::SNS::Topic\n".to_string())];
        let why = machines(open(&Files::Chosen { files })).unwrap_err();
        assert_eq!(why, "topic.yaml is a CloudFormation template (YAML) but holds no state machine");
    }

    #[test]
    fn a_machine_whose_definition_is_elsewhere_is_offered_as_external() {
        let tf = "resource \"aws_sfn_state_machine\" \"poller\" {\n  name = \"poller\"\n  definition = templatefile(\"${path.module}/poller.asl.json\", { table = \"orders\" })\n}\n";
        let offers = machines(open(&Files::Chosen { files: vec![("main.tf".into(), tf.into())] })).unwrap();
        assert_eq!(offers[0].external.as_deref(), Some("poller.asl.json"));
        let definition = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": \"${table}\", \"End\": true}}}";
        let files = vec![("main.tf".to_string(), tf.to_string()), ("poller.asl.json".to_string(), definition.to_string())];
        let offers = machines(open(&Files::Chosen { files })).unwrap();
        assert_eq!(offers.len(), 1);
        assert_eq!((offers[0].file_name.as_str(), offers[0].external.as_deref()), ("poller.asl.json", None));
        assert_eq!(offers[0].choice.label, "aws_sfn_state_machine.poller (poller)");
        assert!(offers[0].choice.place.starts_with("main.tf, line 1, definition in poller.asl.json"), "{}", offers[0].choice.place);
    }

    #[test]
    fn a_project_gives_its_machines_and_what_it_skipped_sorted_with_the_pages_own() {
        let (texts, skipped) = super::super::project::texts(vec![
            ("app/template.yaml".into(), SAM.as_bytes().to_vec()),
            ("app/node_modules/x/package.json".into(), b"{}".to_vec()),
            ("app/README.md".into(), b"# app".to_vec()),
        ]);
        assert_eq!(texts.len(), 1);
        let Found::Project { found, skipped } = open(&Files::Project { texts, skipped }) else { panic!() };
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "app/template.yaml (Flow)");
        let paths: Vec<&str> = skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["1 other file", "app/node_modules/"]);
    }

    #[test]
    fn saving_back_writes_the_template_or_says_why_not() {
        let offers = machines(open(&Files::Pasted { text: SAM.into() })).unwrap();
        let source = &offers[0].source;
        let files = save(source, "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Result\": \"${Greeting}\", \"End\": true, \"Comment\": \"x\"}}}").unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "template.yaml");
        assert!(files[0].1.contains("          A: {Type: Pass, Result: \"${Greeting}\", End: true, Comment: \"x\"}\n"), "{}", files[0].1);
        assert!(files[0].1.ends_with("Greeting: hi\n"), "{}", files[0].1);
        let why = save(source, "{").unwrap_err();
        assert!(why.contains("the definition is not JSON"), "{why}");
    }
}
