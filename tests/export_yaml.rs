//! The templates read back by real YAML readers (issue 15): state names and comments that YAML
//! would misread (`Yes`, `012`, `~`, `${Foo}`, U+2028, NUL, quotes, `#`, leading spaces...) come
//! back as the same strings, no two states collapse into one, and no comment injects anything.
//!
//! - a property test: arbitrary names and comments through every template we write, read back
//!   with a YAML 1.2 reader (saphyr) and compared with the JSON template and the definition,
//!   the substitutions applied as Step Functions' resource provider applies them;
//! - PyYAML and cfn-lint's own YAML 1.1 reader over a fixed sample of nasty names and a batch
//!   of generated ones (tests/export_support/yaml_check.py, in the venv's Python);
//! - cfn-lint over the templates of the fixed sample: clean.
//!
//! The tools come from `make setup`; a missing tool fails the test with that advice.

mod export_support;
use export_support::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
use saphyr::{LoadableYamlNode, ScalarOwned, YamlOwned};
use serde_json::{Value, json};
use statecraft::export::{ExportFile, ExportOptions, export_files};
use std::path::PathBuf;
use std::process::Command;

/// Pieces YAML readers are known to misread, alone or inside a name.
const NASTY: &[&str] = &[
    "Yes", "No", "On", "Off", "y", "n", "Y", "true", "False", "null", "~", "012", "0x1F", "0o17", "1e3", "1_000", "1:20", ".inf", "-.inf",
    ".NaN", "-", "<<", "=", "2001-12-14", "${Foo}", "${AWS::Region}", "${ValidateInputFunctionArn}", "$${x}", "${", "${!Literal}", "#",
    "a: b", " #c", ":", "'", "\"", "\\", "\u{2028}", "\u{2029}", "\u{85}", "\u{1b}[2J", "\0", "\u{7}", "\u{7f}", "\u{9b}", "\u{feff}",
    "\u{fffe}", "\u{ffff}", "\u{202e}", " ", "\t", "\n", "\r\n", "é", "😀", "? x", "- y", "!Ref", "&a", "*a", "|", ">", "%", "@", "`",
    "Resources:\n  Evil:\n    Type: AWS::SNS::Topic",
];

/// A name or comment: nasty pieces and arbitrary characters, mixed.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![prop::sample::select(NASTY).prop_map(str::to_string), any::<char>().prop_map(String::from), "[a-zA-Z0-9 ]{1,6}",];
    prop::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat())
}

/// A chain of Pass states named `names` (made distinct), each with `comment` and a result keyed
/// and valued by its name, and a few numbers in the forms YAML 1.1 reads differently.
fn definition(names: &[String], comment: &str) -> String {
    let mut unique: Vec<String> = Vec::new();
    for name in names {
        if !unique.contains(name) {
            unique.push(name.clone());
        }
    }
    if unique.is_empty() {
        unique.push("Only".into());
    }
    let mut states = serde_json::Map::new();
    for (i, name) in unique.iter().enumerate() {
        let mut state = json!({"Type": "Pass", "Comment": comment, "Result": {name.as_str(): name, "numbers": [1, -0.5, 1e5, 2.5e-3]}});
        match unique.get(i + 1) {
            Some(next) => state["Next"] = json!(next),
            None => state["End"] = json!(true),
        }
        states.insert(name.clone(), state);
    }
    serde_json::to_string_pretty(&json!({"Comment": comment, "StartAt": unique[0], "States": states})).unwrap()
}

fn file<'a>(files: &'a [ExportFile], name: &str) -> &'a str {
    &files.iter().find(|f| f.name == name).unwrap().contents
}

/// A YAML document as JSON data; a key that is not a string is a failure (a state read as a
/// boolean or a number).
fn yaml_to_json(yaml: &YamlOwned) -> Result<Value, String> {
    Ok(match yaml {
        YamlOwned::Value(ScalarOwned::Null) => Value::Null,
        YamlOwned::Value(ScalarOwned::Boolean(b)) => Value::Bool(*b),
        YamlOwned::Value(ScalarOwned::Integer(i)) => json!(i),
        YamlOwned::Value(ScalarOwned::FloatingPoint(f)) => json!(f.into_inner()),
        YamlOwned::Value(ScalarOwned::String(s)) => Value::String(s.clone()),
        YamlOwned::Sequence(items) => Value::Array(items.iter().map(yaml_to_json).collect::<Result<_, _>>()?),
        YamlOwned::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (k, v) in map {
                let YamlOwned::Value(ScalarOwned::String(key)) = k else { return Err(format!("a key read as {k:?}")) };
                object.insert(key.clone(), yaml_to_json(v)?);
            }
            Value::Object(object)
        }
        other => return Err(format!("read as {other:?}")),
    })
}

fn read_yaml(text: &str) -> Result<Value, String> {
    let docs = YamlOwned::load_from_str(text).map_err(|e| format!("not YAML: {e}"))?;
    match docs.as_slice() {
        [doc] => yaml_to_json(doc),
        _ => Err(format!("{} documents", docs.len())),
    }
}

/// What Step Functions' resource provider deploys: each `${key}` replaced by its (string)
/// value, repeatedly, as `StringUtils.replaceEachRepeatedly` does.
fn deployed(text: &str, substitutions: Option<&Value>) -> Value {
    let mut text = text.to_string();
    if let Some(map) = substitutions.and_then(Value::as_object) {
        for _ in 0..10 {
            let before = text.clone();
            for (key, value) in map {
                text = text.replace(&format!("${{{key}}}"), value.as_str().expect("a string substitution"));
            }
            if text == before {
                break;
            }
        }
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("the deployed definition is not JSON ({e}):\n{text}"))
}

/// Every template of `definition_text`, read back and compared; the first difference found.
fn check_templates(definition_text: &str) -> Result<(), String> {
    let files = export_files(definition_text, &ExportOptions::default(), &[]).map_err(|e| e.to_string())?;
    let definition: Value = serde_json::from_str(definition_text).unwrap();
    let cfn_json: Value = serde_json::from_str(file(&files, "cloudformation.json")).map_err(|e| format!("cloudformation.json: {e}"))?;
    let cfn_yaml = read_yaml(file(&files, "cloudformation.yaml")).map_err(|e| format!("cloudformation.yaml: {e}"))?;
    if cfn_yaml != cfn_json {
        return Err(format!("cloudformation.yaml reads as\n{cfn_yaml:#}\nnot\n{cfn_json:#}"));
    }
    let machine = &cfn_json["Resources"]["StateMachine"]["Properties"];
    if machine["DefinitionString"] != definition_text {
        return Err("DefinitionString is not the definition's text".into());
    }
    if deployed(definition_text, machine.get("DefinitionSubstitutions")) != definition {
        return Err("the CloudFormation template deploys another definition".into());
    }
    let sam = read_yaml(file(&files, "sam-template.yaml")).map_err(|e| format!("sam-template.yaml: {e}"))?;
    let sam_machine = &sam["Resources"]["StateMachine"]["Properties"];
    if sam_machine["Definition"] != definition {
        return Err(format!("the SAM Definition reads as\n{:#}\nnot\n{definition:#}", sam_machine["Definition"]));
    }
    // SAM's transform writes the Definition as JSON text, then the provider substitutes.
    let sam_text = serde_json::to_string_pretty(&sam_machine["Definition"]).unwrap();
    if deployed(&sam_text, sam_machine.get("DefinitionSubstitutions")) != definition {
        return Err("the SAM template deploys another definition".into());
    }
    let keys = |v: &Value| v["Resources"].as_object().map(|m| m.keys().cloned().collect::<Vec<_>>());
    if keys(&sam) != keys(&cfn_json) || keys(&cfn_json) != Some(vec!["LambdaRole".into(), "ExecutionRole".into(), "StateMachine".into()]) {
        return Err(format!("resources {:?} and {:?}", keys(&sam), keys(&cfn_json)));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_names_and_comments_read_back_the_same(names in prop::collection::vec(text(), 1..5), comment in text()) {
        let result = check_templates(&definition(&names, &comment));
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

/// The fixed sample: each nasty piece as a whole name, inside a name, and in the comment.
fn fixed_sample() -> Vec<String> {
    let mut names: Vec<String> = NASTY.iter().map(|s| s.to_string()).collect();
    names.extend(NASTY.iter().map(|s| format!("State {s} end")));
    names
}

#[test]
fn the_fixed_sample_reads_back_the_same() {
    let names = fixed_sample();
    check_templates(&definition(&names, &NASTY.concat())).unwrap();
    // One by one as well, so a name cannot hide behind another's substitution.
    for name in NASTY {
        check_templates(&definition(&[name.to_string()], name)).unwrap_or_else(|e| panic!("{name:?}: {e}"));
    }
}

#[test]
fn two_states_never_collapse_into_one() {
    // YAML 1.1 reads all of these as `true`, or as 10 (`012` octal, `0xA`, `1_0`, `10`).
    let names: Vec<String> = ["Yes", "yes", "YES", "On", "on", "y", "Y", "true", "012", "0xA", "1_0", "10"].map(String::from).to_vec();
    let text = definition(&names, "");
    check_templates(&text).unwrap();
    let files = export_files(&text, &ExportOptions::default(), &[]).unwrap();
    let sam = read_yaml(file(&files, "sam-template.yaml")).unwrap();
    let states = sam["Resources"]["StateMachine"]["Properties"]["Definition"]["States"].as_object().unwrap();
    assert_eq!(states.len(), names.len());
}

#[test]
fn a_crafted_comment_injects_nothing() {
    for brk in ["\n", "\u{2028}", "\u{2029}", "\u{85}", "\r"] {
        let comment = format!("x{brk}Resources:{brk}  Evil:{brk}    Type: AWS::SNS::Topic{brk}\"{brk}Outputs: {{}}");
        let text = definition(&["A".into()], &comment);
        check_templates(&text).unwrap_or_else(|e| panic!("{brk:?}: {e}"));
        let files = export_files(&text, &ExportOptions::default(), &[]).unwrap();
        for template in ["cloudformation.yaml", "sam-template.yaml"] {
            let read = read_yaml(file(&files, template)).unwrap();
            assert!(read["Resources"].get("Evil").is_none() && read["Outputs"].get("StateMachineArn").is_some(), "{template} {brk:?}");
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("statecraft-export-yaml-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn exported_dir(name: &str, definition_text: &str) -> PathBuf {
    let dir = scratch(name);
    write_files(&export_files(definition_text, &ExportOptions::default(), &[]).unwrap(), &dir);
    dir
}

#[test]
fn pyyaml_and_cfn_lint_read_the_templates_as_written() {
    let mut dirs = vec![exported_dir("sample", &definition(&fixed_sample(), &NASTY.concat()))];
    for (i, name) in NASTY.iter().enumerate() {
        dirs.push(exported_dir(&format!("nasty-{i}"), &definition(&[name.to_string()], name)));
    }
    // A batch of generated names and comments, the same every run.
    let mut runner = TestRunner::deterministic();
    let strategy = (prop::collection::vec(text(), 1..5), text());
    for i in 0..150 {
        let (names, comment) = strategy.new_tree(&mut runner).unwrap().current();
        dirs.push(exported_dir(&format!("generated-{i}"), &definition(&names, &comment)));
    }
    let out = Command::new(tool("python")).arg(root().join("tests/export_support/yaml_check.py")).args(&dirs).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "PyYAML / cfn-lint's reader:\n{text}");
    assert_eq!(text.trim(), format!("checked {}", dirs.len()));
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// cfn-lint checks state names as AWS does (one line, at most 80 characters): the fixed sample's
/// names that AWS accepts, in definitions of 32 states. (cfn-lint 1.51 expands an `Fn::Join` by
/// recursion, one level per element, and SAM's transform writes a definition as one element per
/// line: a SAM definition of more than ~950 JSON lines stops it with E1022 whatever the names.)
#[test]
fn cfn_lint_passes_the_templates_of_nasty_names() {
    let cfn_lint = tool("cfn-lint");
    let names: Vec<String> = fixed_sample().into_iter().filter(|n| !n.contains('\n') && n.chars().count() <= 80).collect();
    let mut templates = Vec::new();
    let mut dirs = Vec::new();
    for (i, chunk) in names.chunks(32).enumerate() {
        let dir = exported_dir(&format!("lint-{i}"), &definition(chunk, &NASTY.concat()));
        templates.extend(["cloudformation.yaml", "cloudformation.json", "sam-template.yaml"].map(|t| dir.join(t)));
        dirs.push(dir);
    }
    let out = Command::new(&cfn_lint).args(&templates).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "cfn-lint:\n{text}");
    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}
