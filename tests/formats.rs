//! The files workflows live in (issue 15, "The formats"): every state machine of a SAM,
//! CloudFormation (YAML and JSON), CDK or Terraform template, and ASL YAML, opens with its
//! placeholders; an edit saved back changes only the lines of the state edited (a line diff
//! against the original), and cfn-lint passes every CloudFormation template written back.
//! Bad input gets located errors and never a panic.

use proptest::prelude::*;
use statecraft::editor::change::Change;
use statecraft::editor::document::Document;
use statecraft::editor::edit;
use statecraft::editor::scope::StateRef;
use statecraft::formats::{self, Format, Machine, Origin};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/templates").join(name)).unwrap()
}

fn machine(file: &str, id: &str) -> (String, Machine) {
    let text = fixture(file);
    let opened = formats::open(file, &text).unwrap_or_else(|e| panic!("{file}: {e}"));
    let m = opened.machines.into_iter().find(|m| m.id == id).unwrap_or_else(|| panic!("{file} has no {id}"));
    (text, m)
}

fn top(name: &str) -> StateRef {
    StateRef { scope: Vec::new(), name: name.into() }
}

/// The lines of `before` and `after` between their common first and last lines.
fn line_diff<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..].iter().rev().zip(b[head..].iter().rev()).take_while(|(x, y)| x == y).count();
    (a[head..a.len() - tail].to_vec(), b[head..b.len() - tail].to_vec())
}

/// Opens `id` of `file` as a document, applies `edit` to it, saves it back into the template,
/// and checks the line diff: the original lines that changed are all among `state_lines` (the
/// state's own lines, as they read in the original) and the new ones hold `expect`. The saved
/// template reopens to the edited definition. Gives the saved template.
fn round_trip(file: &str, id: &str, edit: impl FnOnce(&Document) -> Change, state_lines: &[&str], expect: &str) -> String {
    let (text, m) = machine(file, id);
    let mut doc = Document::new(m.name.clone(), m.definition.clone());
    assert!(doc.syntax_error().is_none(), "{file}/{id}: {:?}\n{}", doc.syntax_error(), m.definition);
    let change = edit(&doc);
    doc.apply(change).unwrap();
    let saved = formats::save(&text, &m, doc.text()).unwrap_or_else(|e| panic!("{file}/{id}: {e}"));
    let (removed, added) = line_diff(&text, &saved);
    assert!(!added.is_empty(), "{file}/{id}: nothing changed");
    for line in &removed {
        assert!(state_lines.iter().any(|s| line.contains(s)), "{file}/{id}: the line {line:?} changed, outside the state\n{saved}");
    }
    assert!(added.iter().any(|l| l.contains(expect)), "{file}/{id}: {expect:?} not in {added:#?}");
    let again = formats::open(file, &saved).unwrap_or_else(|e| panic!("{file}/{id} saved: {e}\n{saved}"));
    let back = again.machines.iter().find(|x| x.id == id).unwrap();
    let value = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
    if back.external().is_none() {
        assert_eq!(value(&back.definition), value(doc.text()), "{file}/{id}: the saved definition reads back");
    }
    saved
}

fn set_comment(name: &'static str) -> impl FnOnce(&Document) -> Change {
    move |doc| edit::update(doc, &top(name), |s| s.comment = Some("Edited here".into())).unwrap().unwrap()
}

fn rename(from: &'static str, to: &'static str) -> impl FnOnce(&Document) -> Change {
    move |doc| edit::rename(doc, &top(from), to).unwrap()
}

fn cfn_lint(name: &str, template: &str) {
    let venv = std::env::var_os("STATECRAFT_EXPORT_TOOLS").map(PathBuf::from).unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-export/bin"));
    let tool = venv.join("cfn-lint");
    if !tool.is_file() {
        eprintln!("cfn-lint is not installed ({}): {name} not linted", tool.display());
        return;
    }
    let dir = std::env::temp_dir().join(format!("statecraft-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, template).unwrap();
    let out = std::process::Command::new(tool).arg(&path).output().unwrap();
    assert!(out.status.success(), "cfn-lint on the saved {name}:\n{}{}\n{template}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

#[test]
fn sam_definition_with_substitutions_round_trips() {
    let (_, m) = machine("sam.yaml", "OrderStateMachine");
    assert_eq!(m.name, "order-processing");
    let subs: Vec<_> = m.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str(), s.origin)).collect();
    assert_eq!(
        subs,
        [
            ("ValidateFunctionArn", "!GetAtt ValidateFunction.Arn", Origin::DefinitionSubstitutions),
            ("ChargeFunctionArn", "!GetAtt ChargeFunction.Arn", Origin::DefinitionSubstitutions),
            ("TopicArn", "!Ref OrderTopic", Origin::DefinitionSubstitutions),
        ]
    );
    assert!(m.definition.contains("\"Resource\": \"${ChargeFunctionArn}\""), "{}", m.definition);
    // The placeholders are not errors.
    let report = statecraft::asl::validate::validate_text(&m.definition);
    let kept = formats::placeholder::tolerated(report.root.as_ref().unwrap(), report.diagnostics);
    assert!(kept.iter().all(|d| d.severity != statecraft::asl::diag::Severity::Error), "{kept:?}");

    let saved = round_trip("sam.yaml", "OrderStateMachine", set_comment("Notify"), &[], "Comment: \"Edited here\"");
    assert!(saved.contains("      Resource: ${ChargeFunctionArn} # the charging Lambda"), "comments kept:\n{saved}");
    cfn_lint("sam.yaml", &saved);
    let saved = round_trip("sam.yaml", "OrderStateMachine", rename("Charge", "ChargeCard"), &["Charge:", "Next: Charge"], "ChargeCard");
    cfn_lint("sam-renamed.yaml", &saved);
}

#[test]
fn cloudformation_yaml_fn_sub_round_trips() {
    let (_, m) = machine("cloudformation.yaml", "DispatchMachine");
    assert_eq!(m.name, "dispatch");
    let subs: Vec<_> = m.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str(), s.origin)).collect();
    assert_eq!(subs, [("AWS::Region", "!Ref AWS::Region", Origin::Template), ("Queue", "!Ref Queue", Origin::Template)]);
    let saved = round_trip("cloudformation.yaml", "DispatchMachine", |doc| {
        edit::update(doc, &top("Pause"), |s| {
            if let statecraft::asl::model::StateKind::Wait(w) = &mut s.kind {
                w.seconds = Some(statecraft::asl::model::NumberOrExpression::Number(statecraft::asl::json::Number::from_text("30")));
            }
        })
        .unwrap()
        .unwrap()
    }, &["\"Seconds\": 5"], "\"Seconds\": 30");
    cfn_lint("cloudformation.yaml", &saved);

    let (_, m) = machine("cloudformation.yaml", "CleanupMachine");
    assert_eq!((m.name.as_str(), m.substitutions[0].name.as_str(), m.substitutions[0].value.as_str()), ("CleanupMachine", "QueueUrl", "!Ref Queue"));
    let saved = round_trip("cloudformation.yaml", "CleanupMachine", set_comment("Purge"), &["{\"StartAt\": \"Purge\""], "Edited here");
    cfn_lint("cloudformation-cleanup.yaml", &saved);
}

#[test]
fn cloudformation_json_round_trips_strings_and_objects() {
    let saved = round_trip("cloudformation.json", "SaveMachine", set_comment("Done"), &["\"Fn::Sub\""], "Edited here");
    cfn_lint("cloudformation.json", &saved);
    let (_, m) = machine("cloudformation.json", "ObjectMachine");
    assert_eq!((m.substitutions[0].name.as_str(), m.substitutions[0].value.as_str()), ("TableName", "{\"Ref\": \"Table\"}"));
    let saved = round_trip("cloudformation.json", "ObjectMachine", set_comment("Put"), &[], "Edited here");
    cfn_lint("cloudformation-object.json", &saved);
}

#[test]
fn cdk_fn_join_round_trips_with_its_tokens() {
    let (_, m) = machine("cdk.template.json", "StateMachine2E01A3A5");
    let names: Vec<_> = m.substitutions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["AWS::Partition", "SubmitLambda500A4BF5.Arn", "StatusLambda1A4F0E02.Arn"]);
    assert!(m.definition.contains("\"Resource\":\"arn:${AWS::Partition}:states:::lambda:invoke\""), "{}", m.definition);
    let saved = round_trip("cdk.template.json", "StateMachine2E01A3A5", set_comment("Final Status"), &["Final Status"], "Edited here");
    // Only the last piece changed: the tokens are written back as they were.
    assert_eq!(saved.matches("\"Fn::GetAtt\": [\n         \"SubmitLambda500A4BF5\"").count(), 1, "{saved}");
    cfn_lint("cdk.template.json", &saved);
}

#[test]
fn terraform_jsonencode_heredoc_and_templatefile() {
    let text = fixture("main.tf");
    let opened = formats::open("main.tf", &text).unwrap();
    assert_eq!(opened.format, Format::Terraform);
    let ids: Vec<_> = opened.machines.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect();
    assert_eq!(ids, [("aws_sfn_state_machine.orders", "orders"), ("aws_sfn_state_machine.report", "report"), ("aws_sfn_state_machine.templated", "templated")]);
    let orders = &opened.machines[0];
    assert!(orders.definition.contains("\"Resource\": \"${aws_lambda_function.process.arn}\""), "{}", orders.definition);
    round_trip("main.tf", "aws_sfn_state_machine.report", set_comment("Report"), &[], "Edited here");
    let saved = round_trip("main.tf", "aws_sfn_state_machine.orders", set_comment("Done"), &["Type = \"Succeed\""], "Edited here");
    assert!(saved.contains("        Resource = aws_lambda_function.process.arn\n"), "the reference stays a reference:\n{saved}");
    let templated = &opened.machines[2];
    assert_eq!(templated.external(), Some("templated.asl.json"));
    let vars: Vec<_> = templated.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str())).collect();
    assert_eq!(vars, [("process_arn", "aws_lambda_function.process.arn"), ("table", "orders")]);
    // The templatefile's own file opens as a definition with its placeholders.
    let saved = round_trip("templated.asl.json", "templated", set_comment("Save"), &[], "Edited here");
    assert!(saved.contains("\"TableName\": \"${table}\""));
}

#[test]
fn a_template_file_data_source_s_rendered_definition_is_its_template_filled_with_its_vars() {
    // The template provider's way, as aws-samples' Terraform workflows write it:
    // `definition = data.template_file.x.rendered`.
    let text = r#"resource "aws_dynamodb_table" "DDBTable" {
  name = "MetaDataTable"
}

data "template_file" "SFDefinitionFile" {
  template = file("${path.module}/statemachines/statemachine.asl.json")
  vars = {
    TableName = aws_dynamodb_table.DDBTable.id
    Prefix    = "videos"
  }
}

resource "aws_sfn_state_machine" "sfn_state_machine" {
  name       = "CSV-MAP-StateMachine"
  definition = data.template_file.SFDefinitionFile.rendered
}
"#;
    let opened = formats::open("main.tf", text).unwrap();
    let machine = &opened.machines[0];
    assert_eq!(machine.external(), Some("statemachines/statemachine.asl.json"));
    let vars: Vec<_> = machine.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str())).collect();
    assert_eq!(vars, [("TableName", "aws_dynamodb_table.DDBTable.id"), ("Prefix", "videos")]);
    // A heredoc template is the definition itself.
    let inline = text.replace("file(\"${path.module}/statemachines/statemachine.asl.json\")", "<<EOF\n{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Result\": \"${Prefix}\", \"End\": true}}}\nEOF");
    let opened = formats::open("main.tf", &inline).unwrap();
    assert!(opened.machines[0].definition.contains("\"Result\": \"${Prefix}\""), "{}", opened.machines[0].definition);
    // A data source the file does not hold is still an error, located.
    let missing = text.replace("data.template_file.SFDefinitionFile.rendered", "data.template_file.Other.rendered");
    assert!(formats::open("main.tf", &missing).is_err());
}

#[test]
fn the_registry_step_functions_module_is_a_machine_and_its_definition_may_be_a_local() {
    // As aws-samples' step-functions-lambda-version-cleanup writes it: the registry module,
    // its definition a `templatefile` kept in `locals`.
    let text = r#"locals {
  cleanup_definition = templatefile("${path.module}/statemachine/statemachine.asl.json", {
    sort_functions_fn_name = module.sort_functions_fn.lambda_function_name,
    filter_prefix = var.prefix
  })
}

module "lambda_cleanup_sfn" {
  source  = "terraform-aws-modules/step-functions/aws"
  version = "~> 4.1.1"
  name       = "lambda-cleanup-sfn"
  definition = local.cleanup_definition
  type = "STANDARD"
}

module "sort_functions_fn" {
  source  = "terraform-aws-modules/lambda/aws"
  function_name = "sort-functions"
}

variable "prefix" {
  default = "orders-"
}
"#;
    let opened = formats::open("main.tf", text).unwrap();
    let ids: Vec<_> = opened.machines.iter().map(|m| (m.id.as_str(), m.name.as_str())).collect();
    assert_eq!(ids, [("module.lambda_cleanup_sfn", "lambda-cleanup-sfn")], "the Lambda module is not a machine");
    let machine = &opened.machines[0];
    assert_eq!(machine.external(), Some("statemachine/statemachine.asl.json"));
    let vars: Vec<_> = machine.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str())).collect();
    assert_eq!(vars, [("sort_functions_fn_name", "module.sort_functions_fn.lambda_function_name"), ("filter_prefix", "orders-")]);
    // Another module, or a local that is not a definition, is not read as one.
    assert!(formats::open("x.tf", "module \"net\" {\n  source = \"terraform-aws-modules/vpc/aws\"\n  definition = \"{}\"\n}\n").is_err());
}

#[test]
fn asl_yaml_round_trips_keeping_comments() {
    let saved = round_trip("flow.asl.yaml", "flow", set_comment("Wait"), &[], "Comment: \"Edited here\"");
    assert!(saved.contains("greeting: hello   # what to say"), "{saved}");
}

#[test]
fn a_template_without_state_machines_says_so() {
    let e = formats::open("t.yaml", "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n").unwrap_err();
    assert!(e.to_string().contains("holds no state machine"), "{e}");
    let e = formats::open("t.yaml", "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      RoleArn: x\n").unwrap_err();
    assert_eq!((e.line, e.pointer.as_deref()), (5, Some("/Resources/M")), "{e}");
    assert!(e.to_string().starts_with("line 5, column 7 (/Resources/M): this state machine has no `Definition`"), "{e}");
    let e = formats::open("t.json", "{\"Resources\": {\"M\": {\"Type\": \"AWS::StepFunctions::StateMachine\", \"Properties\": {\"Definition\": [1]}}}}").unwrap_err();
    assert_eq!((e.line, e.column), (1, 95), "{e}");
    let e = formats::open("x.yaml", "Resources:\n  A: [\n").unwrap_err();
    assert!(e.line >= 2 && e.message.starts_with("not YAML"), "{e}");
    let e = formats::open("main.tf", "resource \"aws_sfn_state_machine\" \"x\" {\n  definition = \"{\n}\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random bytes, and every fixture cut anywhere, never panic.
    #[test]
    fn no_input_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400), cut in 0usize..4000, which in 0usize..7) {
        let text = String::from_utf8_lossy(&bytes);
        for name in ["x.yaml", "x.json", "x.tf", "x.asl.yaml"] {
            let _ = formats::open(name, &text);
        }
        let names = ["sam.yaml", "cloudformation.yaml", "cloudformation.json", "cdk.template.json", "main.tf", "flow.asl.yaml", "templated.asl.json"];
        let full = fixture(names[which]);
        let mut at = cut.min(full.len());
        while !full.is_char_boundary(at) { at -= 1; }
        if let Ok(opened) = formats::open(names[which], &full[..at]) {
            for m in &opened.machines {
                let _ = formats::save(&full[..at], m, &m.definition);
                let _ = formats::save(&full[..at], m, &full[..at]);
            }
        }
    }
}

/// Opens `id` of `file` as the page does (a document remembering its template), sets the
/// Substitutions table's values `set` (one undoable change each), autosaves and restores the
/// document, edits the state `Pause`, and saves the template back. Gives the original and the
/// saved template.
fn substitutions_round_trip(file: &str, id: &str, set: &[(&str, &str)]) -> (String, String) {
    let (text, m) = machine(file, id);
    let opened = formats::open(file, &text).unwrap();
    let mut doc = Document::new(m.name.clone(), m.definition.clone());
    doc.apply(Change::SetSource(Some(Box::new(formats::Source::new(file, opened.format, &text, &m))))).unwrap();
    for (name, value) in set {
        let next = doc.source().unwrap().with_value(name, value);
        doc.apply(Change::SetSource(Some(Box::new(next)))).unwrap();
    }
    // The values are saved with the document.
    let stored = serde_json::to_string(&doc.saved()).unwrap();
    let mut doc = Document::restore(serde_json::from_str(&stored).unwrap());
    for (name, value) in set {
        assert_eq!(doc.source().unwrap().substitutions.iter().find(|s| s.name == *name).map(|s| s.value.as_str()), Some(*value), "{file}: {name}");
    }
    let change = set_comment("Pause")(&doc);
    doc.apply(change).unwrap();
    let saved = doc.source().unwrap().save(doc.text()).unwrap_or_else(|e| panic!("{file}: {e}"));
    (text, saved)
}

#[test]
fn substitution_values_set_in_the_table_are_written_back_where_the_template_holds_literals() {
    let (text, saved) = substitutions_round_trip("substitutions.yaml", "AuditMachine", &[("TableName", "audit-prod"), ("Note", "no: wait"), ("TopicArn", "arn:aws:sns:eu-west-3:123456789012:t")]);
    // Line by line (nothing is added or removed): the state's comment and the two literals.
    assert_eq!(text.lines().count(), saved.lines().count(), "{saved}");
    let changed: Vec<(&str, &str)> = text.lines().zip(saved.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(
        changed,
        [
            ("            Comment: ${Note}", "            Comment: \"Edited here\""),
            ("        TableName: audit-dev # the stage's table", "        TableName: audit-prod # the stage's table"),
            ("        Note: \"waits: a while\"", "        Note: \"no: wait\""),
        ],
        "{saved}"
    );
    assert!(saved.contains("        TableName: audit-prod # the stage's table\n"), "the literal is replaced, its comment kept:\n{saved}");
    assert!(saved.contains("        Note: \"no: wait\"\n"), "quoted as YAML needs:\n{saved}");
    assert!(saved.contains("        TopicArn: !Ref AuditTopic\n"), "an intrinsic function stays:\n{saved}");
    assert!(saved.contains("TableName: audit-dev\n"), "the policy's own value is not a substitution:\n{saved}");
    // It reads back with the new values.
    let again = formats::open("substitutions.yaml", &saved).unwrap();
    let subs: Vec<_> = again.machines[0].substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str())).collect();
    assert_eq!(subs, [("TableName", "audit-prod"), ("Note", "no: wait"), ("TopicArn", "!Ref AuditTopic")]);
    cfn_lint("substitutions.yaml", &saved);

    let (text, saved) = substitutions_round_trip("substitutions.json", "AuditMachine", &[("TableName", "audit \"prod\""), ("TopicArn", "arn:aws:sns:eu-west-3:123456789012:t")]);
    assert!(saved.contains("\"TableName\": \"audit \\\"prod\\\"\","), "{saved}");
    assert!(saved.contains("\"Note\": \"waits\","), "an unchanged value stays:\n{saved}");
    assert!(saved.contains("\"TopicArn\": {\"Ref\": \"AuditTopic\"}"), "{saved}");
    let changed: Vec<&str> = text.lines().zip(saved.lines()).filter(|(a, b)| a != b).map(|(a, _)| a).collect();
    assert!(changed.iter().all(|l| l.contains("\"Pause\"") || l.contains("\"TableName\": \"audit-dev\"")) && changed.len() == 2, "{changed:?}\n{saved}");
    let again = formats::open("substitutions.json", &saved).unwrap();
    assert_eq!(again.machines[0].substitutions[0].value, "audit \"prod\"");
    cfn_lint("substitutions.json", &saved);

    // Nothing set: the template comes back as it was, but for the state edited.
    let (text, saved) = substitutions_round_trip("substitutions.yaml", "AuditMachine", &[]);
    let changed: Vec<&str> = text.lines().zip(saved.lines()).filter(|(a, b)| a != b).map(|(a, _)| a).collect();
    assert_eq!(changed, ["            Comment: ${Note}"]);
}

#[test]
fn a_terraform_templatefile_opens_in_one_step_with_its_definition_file() {
    let files = [("main.tf".to_string(), fixture("main.tf")), ("templated.asl.json".to_string(), fixture("templated.asl.json"))];
    // In either order: the definition file is not a document of its own once the template names it.
    for files in [files.to_vec(), files.iter().rev().cloned().collect()] {
        let all = formats::open_files(&files).unwrap();
        let names: Vec<_> = all.iter().map(|o| (o.file_name.as_str(), o.machine.name.as_str())).collect();
        assert_eq!(names, [("main.tf", "orders"), ("main.tf", "report"), ("templated.asl.json", "templated")]);
        let templated = &all[2];
        assert_eq!(templated.machine.external(), None, "the definition came with it");
        assert_eq!(templated.machine.definition, fixture("templated.asl.json"));
        let vars: Vec<_> = templated.machine.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str(), s.origin)).collect();
        assert_eq!(vars, [("process_arn", "aws_lambda_function.process.arn", Origin::Terraform), ("table", "orders", Origin::Terraform)]);
        // As a document: runs see the template's values; Save writes the definition file.
        let mut doc = Document::new(templated.machine.name.clone(), templated.machine.definition.clone());
        doc.apply(Change::SetSource(Some(Box::new(formats::Source::new(&templated.file_name, templated.format, &templated.text, &templated.machine))))).unwrap();
        assert!(doc.runnable_text().contains("\"TableName\": \"orders\""), "{}", doc.runnable_text());
        let change = set_comment("Save")(&doc);
        doc.apply(change).unwrap();
        let saved = doc.source().unwrap().save(doc.text()).unwrap();
        assert!(saved.contains("Edited here") && saved.contains("\"TableName\": \"${table}\""), "{saved}");
        assert_eq!(doc.source().unwrap().file_name, "templated.asl.json");
    }
    // Without its file, the machine stays external (the page says which file to add).
    let alone = formats::open_files(&files[..1]).unwrap();
    assert_eq!(alone[2].machine.external(), Some("templated.asl.json"));
    // A file that cannot be read names itself.
    let bad = formats::open_files(&[files[0].clone(), ("templated.asl.json".into(), "{".into())]).unwrap_err();
    assert!(bad.message.starts_with("templated.asl.json: "), "{bad}");
}

/// The lines that differ between two texts of the same line count, as (before, after).
fn changed_lines<'a>(before: &'a str, after: &'a str) -> Vec<(&'a str, &'a str)> {
    assert_eq!(before.lines().count(), after.lines().count(), "{after}");
    before.lines().zip(after.lines()).filter(|(a, b)| a != b).collect()
}

/// Opens `id` of `file` as the page does, sets the values `set` in the Substitutions table,
/// applies `edit`, and gives the document and every file Save template writes.
fn save_with_values(files: &[(&str, String)], id: &str, set: &[(&str, &str)], edit: impl FnOnce(&Document) -> Change) -> (Document, Vec<(String, String)>) {
    let owned: Vec<(String, String)> = files.iter().map(|(n, t)| (n.to_string(), t.clone())).collect();
    let all = formats::open_files(&owned).unwrap();
    let openable = all.iter().find(|o| o.machine.id == id || o.companion.as_ref().is_some_and(|c| c.machine == id)).unwrap_or_else(|| panic!("no {id}"));
    let mut doc = Document::new(openable.machine.name.clone(), openable.machine.definition.clone());
    doc.apply(Change::SetSource(Some(Box::new(openable.source())))).unwrap();
    for (name, value) in set {
        let next = doc.source().unwrap().with_value(name, value);
        doc.apply(Change::SetSource(Some(Box::new(next)))).unwrap();
    }
    // Kept through autosave, the other file included.
    let stored = serde_json::to_string(&doc.saved()).unwrap();
    let mut doc = Document::restore(serde_json::from_str(&stored).unwrap());
    let change = edit(&doc);
    doc.apply(change).unwrap();
    let saved = doc.source().unwrap().save_files(doc.text()).unwrap_or_else(|e| panic!("{id}: {e}"));
    (doc, saved)
}

fn values(m: &Machine) -> Vec<(&str, &str, Origin)> {
    m.substitutions.iter().map(|s| (s.name.as_str(), s.value.as_str(), s.origin)).collect()
}

#[test]
fn fn_sub_variable_maps_keep_their_placeholders_and_take_the_values_set() {
    let (text, m) = machine("sub-variables.yaml", "ImportMachine");
    assert_eq!(
        values(&m),
        [("TableName", "imports-dev", Origin::SubVariable), ("QueueUrl", "!Ref Queue", Origin::SubVariable), ("Greeting", "hello: world", Origin::SubVariable)]
    );
    let set = [("TableName", "imports-prod"), ("Greeting", "bye: now"), ("QueueUrl", "https://sqs/queue")];
    let (doc, saved) = save_with_values(&[("sub-variables.yaml", text.clone())], "ImportMachine", &set, set_comment("Pause"));
    let [(name, saved)] = &saved[..] else { panic!("one file: {saved:?}") };
    assert_eq!(name, "sub-variables.yaml");
    let removed: Vec<&str> = text.lines().filter(|l| !saved.lines().any(|k| k == *l)).collect();
    let added: Vec<&str> = saved.lines().filter(|l| !text.lines().any(|k| k == *l)).collect();
    assert!(removed.iter().all(|l| l.contains("\"Pause\"") || l.contains("TableName: imports-dev") || l.contains("Greeting:")), "{removed:#?}\n{saved}");
    assert!(saved.contains("        - TableName: imports-prod   # the stage's table\n"), "the literal replaced, its comment kept:\n{saved}");
    assert!(saved.contains("          QueueUrl: !Ref Queue\n"), "an intrinsic function stays:\n{saved}");
    assert!(saved.contains("          Greeting: \"bye: now\"\n"), "{saved}");
    assert!(added.iter().any(|l| l.contains("Edited here")), "{added:#?}");
    assert!(saved.contains("\"Parameters\": {\"TableName\": \"${TableName}\""), "the placeholders stay:\n{saved}");
    let again = formats::open("sub-variables.yaml", saved).unwrap();
    let back = &again.machines[0];
    assert_eq!(values(back)[0], ("TableName", "imports-prod", Origin::SubVariable));
    assert_eq!(serde_json::from_str::<serde_json::Value>(&back.definition).unwrap(), serde_json::from_str::<serde_json::Value>(doc.text()).unwrap());
    cfn_lint("sub-variables.yaml", saved);

    // The long form, its map written in flow style: only the value changes.
    let (_, saved) = save_with_values(&[("sub-variables.yaml", text.clone())], "LongFormMachine", &[("Table", "orders-prod")], |d| rename("Put", "PutItem")(d));
    let saved = &saved[0].1;
    assert!(saved.contains("          - {Table: orders-prod, Unused: keep}\n"), "{saved}");
    let again = formats::open("sub-variables.yaml", saved).unwrap();
    assert!(again.machines[1].definition.contains("\"PutItem\""), "{}", again.machines[1].definition);
    cfn_lint("sub-variables-long.yaml", saved);

    // JSON: `Fn::Sub` with its map, only the literal's bytes change.
    let text = fixture("sub-variables.json");
    let (_, saved) = save_with_values(&[("sub-variables.json", text.clone())], "AlertMachine", &[("Message", "disk \"full\""), ("TopicArn", "arn:aws:sns:eu-west-1:1:t")], set_comment("Alert"));
    let saved = &saved[0].1;
    let changed = changed_lines(&text, saved);
    assert_eq!(changed.len(), 2, "{changed:#?}");
    assert_eq!(changed[1], ("              \"Message\": \"disk full\"", "              \"Message\": \"disk \\\"full\\\"\""));
    assert!(changed[0].1.contains("Edited here") && changed[0].1.contains("${TopicArn}") && changed[0].1.contains("${Message}"), "{changed:#?}");
    assert!(saved.contains("\"TopicArn\": {\"Ref\": \"Topic\"}"), "{saved}");
    cfn_lint("sub-variables.json", saved);
}

#[test]
fn terraform_values_are_written_back_into_the_tf_where_they_are_literals() {
    let main = fixture("tf-vars/main.tf");
    let definition = fixture("tf-vars/templates/ingest.asl.json");
    let files = [("main.tf", main.clone()), ("templates/ingest.asl.json", definition.clone())];
    let all = formats::open_files(&files.iter().map(|(n, t)| (n.to_string(), t.clone())).collect::<Vec<_>>()).unwrap();
    let ingest = &all.iter().find(|o| o.machine.name == "ingest").unwrap().machine;
    assert_eq!(
        values(ingest),
        [
            ("table_name", "orders-dev", Origin::Terraform),
            ("wait_seconds", "30", Origin::Terraform),
            ("greeting", "hello", Origin::Terraform),
            ("queue_url", "aws_sqs_queue.jobs.url", Origin::Terraform),
            ("label", "nightly", Origin::Terraform),
        ],
        "a variable's default and a local stand for the variable"
    );
    let set = [("table_name", "orders-prod"), ("wait_seconds", "45"), ("label", "weekly \"${x}\""), ("greeting", "hello")];
    let (_, saved) = save_with_values(&files, "aws_sfn_state_machine.ingest", &set, set_comment("Notify"));
    let names: Vec<_> = saved.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["templates/ingest.asl.json", "main.tf"], "the definition file, then the .tf that gives its values");
    assert!(saved[0].1.contains("\"TableName\": \"${table_name}\"") && saved[0].1.contains("Edited here"), "{}", saved[0].1);
    assert_eq!(
        changed_lines(&main, &saved[1].1),
        [
            ("  default     = \"orders-dev\" # overridden per stage", "  default     = \"orders-prod\" # overridden per stage"),
            ("  default = 30", "  default = 45"),
            ("    label        = \"nightly\"", "    label        = \"weekly \\\"$${x}\\\"\""),
        ]
    );
    let again = formats::open_files(&[("main.tf".into(), saved[1].1.clone()), ("ingest.asl.json".into(), saved[0].1.clone())]).unwrap();
    let back = &again.iter().find(|o| o.machine.name == "ingest").unwrap().machine;
    assert_eq!(&values(back)[..2], [("table_name", "orders-prod", Origin::Terraform), ("wait_seconds", "45", Origin::Terraform)]);
    assert_eq!(values(back)[4], ("label", "weekly \"$${x}\"", Origin::Terraform), "Terraform's escape, read as written");

    // Nothing set: only the definition file is written.
    let (_, saved) = save_with_values(&files, "aws_sfn_state_machine.ingest", &[], set_comment("Notify"));
    assert_eq!(saved.len(), 1);

    // jsonencode: `var.x` and `local.x` references show the literal and take it back.
    let (_, m) = machine("tf-vars/main.tf", "aws_sfn_state_machine.inline");
    assert_eq!(values(&m), [("var.table_name", "orders-dev", Origin::Terraform), ("local.retries", "3", Origin::Terraform)]);
    let (doc, saved) = save_with_values(&[("main.tf", main.clone())], "aws_sfn_state_machine.inline", &[("local.retries", "5"), ("var.table_name", "orders-qa")], set_comment("Put"));
    assert!(doc.runnable_text().contains("\"TableName\": \"orders-qa\""), "{}", doc.runnable_text());
    let [(_, saved)] = &saved[..] else { panic!() };
    let removed: Vec<&str> = main.lines().filter(|l| !saved.lines().any(|k| k == *l)).collect();
    let added: Vec<&str> = saved.lines().filter(|l| !main.lines().any(|k| k == *l)).collect();
    assert_eq!(removed, ["  default     = \"orders-dev\" # overridden per stage", "  retries  = 3"], "{saved}");
    assert!(added.iter().any(|l| l.contains("Edited here")));
    assert!(saved.contains("  retries  = 5\n") && saved.contains("  default     = \"orders-qa\" # overridden per stage\n"), "{saved}");
    assert!(saved.contains("          TableName = var.table_name\n") && saved.contains("        Seconds = local.retries\n"), "the references stay:\n{saved}");
}

/// Every file under `dir` (a fixture folder), as `(path from dir, bytes)`, as a dropped folder gives them.
fn folder_files(dir: &str) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push((path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(&path).unwrap()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

#[test]
fn a_dropped_sam_app_opens_its_state_machine_with_its_definition_file() {
    let mut files = folder_files("projects/sam-app");
    // A folder dropped whole carries its name; a zip of it, the same paths.
    for f in &mut files {
        f.0 = format!("stock-trader/{}", f.0);
    }
    files.push(("stock-trader/node_modules/x/package.json".into(), b"{}".to_vec()));
    files.push(("stock-trader/logo.png".into(), vec![0x89, b'P', b'N', b'G', 0xff]));
    files.push(("stock-trader/broken.json".into(), vec![b'{', 0xff]));
    let project = formats::project::open_project(files.clone());
    let found: Vec<_> = project.found.iter().map(|f| (f.place.as_str(), f.openable.file_name.as_str(), f.openable.machine.name.as_str())).collect();
    assert_eq!(
        found,
        [(
            "stock-trader/template.yaml (StockTradingStateMachine) with stock-trader/statemachine/stock_trader.asl.json",
            "stock-trader/statemachine/stock_trader.asl.json",
            "StockTradingStateMachine"
        )]
    );
    let m = &project.found[0].openable.machine;
    assert_eq!(m.substitutions.iter().find(|s| s.name == "Threshold").map(|s| (s.value.as_str(), s.origin)), Some(("50", Origin::DefinitionSubstitutions)));
    let skipped: Vec<(&str, &str)> = project.skipped.iter().map(|s| (s.path.as_str(), s.why.as_str())).collect();
    let why = |path: &str| skipped.iter().find(|(p, _)| *p == path).map(|(_, w)| *w).unwrap_or_else(|| panic!("{path} not said: {skipped:#?}"));
    assert!(why("stock-trader/.aws-sam/").contains("build output"), "{skipped:#?}");
    assert!(why("stock-trader/node_modules/").contains("dependencies"));
    assert!(why("stock-trader/template.yaml (ArchivedStateMachine)").contains("in S3 (s3://release-artifacts/archived.asl.json)"));
    assert!(why("stock-trader/events.json").contains("neither a template"), "{skipped:#?}");
    assert_eq!(why("stock-trader/broken.json"), "not text (not UTF-8)");
    assert!(why("3 other files").starts_with("not JSON, YAML or Terraform: stock-trader/functions/stock_checker/app.py"), "{skipped:#?}");
    assert_eq!(skipped.len(), 6, "{skipped:#?}");

    // Saved back: the definition file, then the template with the value set in the table.
    let openable = &project.found[0].openable;
    let mut doc = Document::new(openable.machine.name.clone(), openable.machine.definition.clone());
    doc.apply(Change::SetSource(Some(Box::new(openable.source().with_value("Threshold", "75"))))).unwrap();
    let change = rename("Buy or Sell?", "Buy Or Sell")(&doc);
    doc.apply(change).unwrap();
    let saved = doc.source().unwrap().save_files(doc.text()).unwrap();
    assert_eq!(saved.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["stock-trader/statemachine/stock_trader.asl.json", "stock-trader/template.yaml"]);
    assert!(saved[0].1.contains("\"Buy Or Sell\": {") && saved[0].1.contains("\"Resource\": \"${DDBPutItem}\""), "{}", saved[0].1);
    let template = fixture_text("projects/sam-app/template.yaml");
    assert_eq!(changed_lines(&template, &saved[1].1), [("        Threshold: \"50\" # the price to sell above", "        Threshold: \"75\" # the price to sell above")]);

    // The same folder as a zip.
    let entries: Vec<statecraft::export::zip::ZipEntry> = files.iter().map(|(n, b)| statecraft::export::zip::ZipEntry { name: n, data: b, executable: false }).collect();
    let zipped = formats::project::open_zip(&statecraft::export::zip::zip(&entries)).unwrap();
    assert_eq!(zipped, project);
    assert!(formats::project::open_zip(b"PK not really").unwrap_err().starts_with("not a zip archive"));
}

fn fixture_text(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)).unwrap()
}

#[test]
fn a_dropped_terraform_module_pairs_templatefiles_by_path() {
    let mut files = folder_files("templates/tf-vars");
    // A definition of the same name elsewhere does not confuse the path the .tf names.
    files.push(("old/ingest.asl.json".into(), br#"{"StartAt": "Old", "States": {"Old": {"Type": "Succeed"}}}"#.to_vec()));
    files.push(("outputs.tf".into(), b"output \"arn\" {\n  value = aws_sfn_state_machine.ingest.arn\n}\n".to_vec()));
    let project = formats::project::open_project(files);
    let found: Vec<_> = project.found.iter().map(|f| (f.place.as_str(), f.openable.machine.name.as_str())).collect();
    assert_eq!(
        found,
        [
            ("main.tf (aws_sfn_state_machine.ingest) with templates/ingest.asl.json", "ingest"),
            ("main.tf (aws_sfn_state_machine.inline)", "inline"),
            ("old/ingest.asl.json", "ingest"),
        ]
    );
    assert_eq!(project.found[0].openable.companion.as_ref().map(|c| c.file_name.as_str()), Some("main.tf"));
    let skipped: Vec<_> = project.skipped.iter().map(|s| (s.path.as_str(), s.why.as_str())).collect();
    assert_eq!(skipped, [("outputs.tf", "outputs.tf is a Terraform file but holds no state machine")]);
}

#[test]
fn a_dropped_cdk_app_opens_the_synthesized_template_and_names_cdks_own_files() {
    let mut files = folder_files("projects/cdk-app");
    files.push(("node_modules/constructs/package.json".into(), br#"{"name": "constructs"}"#.to_vec()));
    let project = formats::project::open_project(files);
    let found: Vec<_> = project.found.iter().map(|f| (f.place.as_str(), f.openable.machine.name.as_str())).collect();
    assert_eq!(found, [("cdk.out/JobsStack.template.json (JobsMachine5F3B8E77)", "JobsMachine5F3B8E77")]);
    let m = &project.found[0].openable.machine;
    assert!(m.definition.contains("\"FunctionName\":\"${SubmitJob9E0F4B2A.Arn}\""), "{}", m.definition);
    let skipped: Vec<_> = project.skipped.iter().map(|s| (s.path.as_str(), s.why.as_str())).collect();
    assert_eq!(
        skipped,
        [
            ("3 other files", "not JSON, YAML or Terraform: bin/app.ts, cdk.out/asset.3f2a9c/index.js, lib/jobs-stack.ts"),
            ("cdk.json", "the CDK app's settings (its state machines are in cdk.out/*.template.json)"),
            ("cdk.out/JobsStack.assets.json", "CDK's list of assets (its templates are the *.template.json)"),
            ("cdk.out/manifest.json", "CDK's own output (its templates are the *.template.json)"),
            ("cdk.out/tree.json", "CDK's own output (its templates are the *.template.json)"),
            ("node_modules/", "not read: dependencies, build output or tools' files (1 file)"),
            ("package.json", "a Node.js or TypeScript project's settings"),
            ("tsconfig.json", "a Node.js or TypeScript project's settings"),
        ]
    );
    // Edited and saved: only the piece of the Join holding the state changes, the tokens stay.
    let text = fixture_text("projects/cdk-app/cdk.out/JobsStack.template.json");
    let mut doc = Document::new(m.name.clone(), m.definition.clone());
    let change = rename("Wait 30s", "Wait a while")(&doc);
    doc.apply(change).unwrap();
    let saved = formats::save(&text, m, doc.text()).unwrap();
    let changed = changed_lines(&text, &saved);
    assert_eq!(changed.len(), 2, "{changed:#?}");
    assert!(changed.iter().all(|(a, _)| a.contains("Wait 30s")), "{changed:#?}");
    assert!(saved.contains("{\"Fn::GetAtt\": [\"SubmitJob9E0F4B2A\", \"Arn\"]}"), "{saved}");
    cfn_lint("JobsStack.template.json", &saved);
}

/// The value each placeholder runs with (its `run_value`), by name.
fn run_values(m: &Machine) -> Vec<(&str, Option<&str>, bool)> {
    m.substitutions.iter().map(|s| (s.name.as_str(), s.run_value(), s.bare)).collect()
}

#[test]
fn a_terraform_module_takes_values_from_variables_tf_and_tfvars_and_keeps_unquoted_placeholders() {
    let files = folder_files("projects/tf-module");
    let project = formats::project::open_project(files.clone());
    let found: Vec<_> = project.found.iter().map(|f| (f.place.as_str(), f.openable.machine.name.as_str())).collect();
    assert_eq!(
        found,
        [
            ("main.tf (aws_sfn_state_machine.poller) with templates/poller.asl.json, values from variables.tf, terraform.tfvars", "poller"),
            ("main.tf (aws_sfn_state_machine.inline), values from terraform.tfvars", "inline"),
        ]
    );
    assert!(project.skipped.is_empty(), "variables.tf and terraform.tfvars are said with the machines: {:#?}", project.skipped);
    let poller = &project.found[0].openable;
    assert_eq!(
        run_values(&poller.machine),
        [
            ("table_name", Some("jobs-dev"), false),
            ("wait_seconds", Some("30"), true),
            ("enabled", Some("true"), true),
            ("item", Some(r#"{"id":{"S":"job-1"},"status":{"S":"new"}}"#), true),
            ("queue_url", None, false),
        ],
        "terraform.tfvars over the default; an object default as JSON; a resource's attribute unknown offline"
    );
    let queue = poller.machine.substitutions.iter().find(|s| s.name == "queue_url").unwrap();
    assert_eq!(queue.note(), "unknown offline (aws_sqs_queue.jobs.url is a resource's attribute: known once deployed): runs keep the placeholder; set a value here to run with one");
    // The document holds JSON (the unquoted placeholders as strings); a run has the values.
    let mut doc = Document::new(poller.machine.name.clone(), poller.machine.definition.clone());
    assert!(doc.syntax_error().is_none(), "{}", poller.machine.definition);
    assert!(poller.machine.definition.contains(r#""Seconds": "${wait_seconds}","#), "{}", poller.machine.definition);
    doc.apply(Change::SetSource(Some(Box::new(poller.source().with_value("wait_seconds", "45"))))).unwrap();
    let run: serde_json::Value = serde_json::from_str(&doc.runnable_text()).unwrap_or_else(|e| panic!("{e}: {}", doc.runnable_text()));
    assert_eq!(run["States"]["Pause"]["Seconds"], 45);
    assert_eq!(run["States"]["Put"]["Parameters"]["Item"], serde_json::json!({"id": {"S": "job-1"}, "status": {"S": "new"}}));
    assert_eq!(run["States"]["Done"]["Result"], serde_json::json!({"enabled": true, "queue": "${queue_url}"}));
    assert_eq!(run["Comment"], "Polls the jobs-dev table");
    let errors: Vec<_> = doc.diagnostics().iter().filter(|d| d.severity == statecraft::asl::diag::Severity::Error).cloned().collect();
    assert!(errors.is_empty(), "placeholders standing for numbers are not errors: {errors:?}");

    // Edited on the canvas and saved: the definition file changes in the state edited only,
    // its unquoted placeholders kept; the value set goes into terraform.tfvars, where it is.
    let change = set_comment("Put")(&doc);
    doc.apply(change).unwrap();
    let saved = doc.source().unwrap().save_files(doc.text()).unwrap();
    assert_eq!(saved.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["templates/poller.asl.json", "terraform.tfvars"]);
    let definition = fixture_text("projects/tf-module/templates/poller.asl.json");
    let (removed, added) = line_diff(&definition, &saved[0].1);
    assert!(removed.iter().all(|l| l.contains("\"Put\"") || l.contains("\"Type\": \"Task\",") || l.contains("\"Resource\": \"arn:aws:states:::dynamodb:putItem\"")), "{removed:#?}\n{}", saved[0].1);
    assert!(added.iter().any(|l| l.contains("Edited here")), "{added:#?}");
    for kept in ["\"Seconds\": ${wait_seconds},", "\"Item\": ${item}}", "{\"enabled\": ${enabled}, \"queue\": \"${queue_url}\"}"] {
        assert!(saved[0].1.contains(kept), "{kept} kept:\n{}", saved[0].1);
    }
    let tfvars = fixture_text("projects/tf-module/terraform.tfvars");
    assert_eq!(changed_lines(&tfvars, &saved[1].1), [("wait_seconds = 30 # poll every half minute", "wait_seconds = 45 # poll every half minute")]);
    // Reopened with the saved files: the same machine, the value set.
    let reopened: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|(p, b)| match saved.iter().find(|(n, _)| n == p) {
            Some((_, t)) => (p.clone(), t.as_bytes().to_vec()),
            None => (p.clone(), b.clone()),
        })
        .collect();
    let again = formats::project::open_project(reopened);
    let back = &again.found[0].openable.machine;
    assert_eq!(run_values(back)[1], ("wait_seconds", Some("45"), true));
    assert!(back.definition.contains("Edited here"));

    // jsonencode: `Seconds = var.wait_seconds` runs as the number tfvars gives.
    let inline = &project.found[1].openable;
    let mut doc = Document::new(inline.machine.name.clone(), inline.machine.definition.clone());
    doc.apply(Change::SetSource(Some(Box::new(inline.source())))).unwrap();
    let run: serde_json::Value = serde_json::from_str(&doc.runnable_text()).unwrap();
    assert_eq!(run["States"]["Pause"]["Seconds"], 30);

    // A lone other .tfvars is applied as `-var-file` would; with two, which one is not known.
    let mut with_one = files.clone();
    with_one.push(("prod.tfvars".into(), b"table_name = \"jobs-prod\"\n".to_vec()));
    let one = formats::project::open_project(with_one.clone());
    assert_eq!(run_values(&one.found[0].openable.machine)[0], ("table_name", Some("jobs-prod"), false));
    assert!(one.found[0].place.ends_with("values from variables.tf, terraform.tfvars, prod.tfvars"), "{}", one.found[0].place);
    with_one.push(("staging.tfvars".into(), b"table_name = \"jobs-staging\"\n".to_vec()));
    let two = formats::project::open_project(with_one);
    assert_eq!(run_values(&two.found[0].openable.machine)[0], ("table_name", Some("jobs-dev"), false));
    let said: Vec<_> = two.skipped.iter().map(|s| (s.path.as_str(), s.why.as_str())).collect();
    assert_eq!(said.len(), 2, "{said:#?}");
    assert!(said.iter().all(|(_, why)| why.contains("only when named with -var-file")), "{said:#?}");

    // Chosen together with the Open button: the same values.
    let chosen: Vec<(String, String)> = files.iter().map(|(p, b)| (p.clone(), String::from_utf8(b.clone()).unwrap())).collect();
    let opened = formats::open_files(&chosen).unwrap();
    assert_eq!(opened.len(), 2);
    assert_eq!(run_values(&opened[0].machine)[1], ("wait_seconds", Some("30"), true));
    // A broken value file names itself.
    let mut broken = chosen.clone();
    broken.push(("zz.auto.tfvars".into(), "wait_seconds = \"never\n".into()));
    let e = formats::open_files(&broken).unwrap_err().to_string();
    assert!(e.contains("zz.auto.tfvars: not Terraform: a string is never closed"), "{e}");
}

#[test]
fn a_templatefile_definition_with_unquoted_placeholders_opens_alone_and_says_where_it_is_broken() {
    let text = fixture_text("projects/tf-module/templates/poller.asl.json");
    let opened = formats::open("poller.asl.json", &text).unwrap();
    assert_eq!(opened.format, Format::AslJson);
    let m = &opened.machines[0];
    let bare: Vec<_> = m.substitutions.iter().filter(|s| s.bare).map(|s| s.name.as_str()).collect();
    assert_eq!(bare, ["wait_seconds", "item", "enabled"]);
    // Saved unchanged, it is the file as it was.
    assert_eq!(formats::save(&text, m, &m.definition).unwrap(), text);
    // Not JSON for another reason: located in the file as written.
    let broken = text.replace("\"Next\": \"Put\"", "\"Next\" \"Put\"");
    let e = formats::open("poller.asl.json", &broken).unwrap_err();
    assert_eq!((e.line, e.message.starts_with("not JSON")), (15, true), "{e}");
}

/// The module's files as the page's file picker gives them: names without their folders.
fn picked_module() -> Vec<(String, String)> {
    ["main.tf", "variables.tf", "terraform.tfvars", "templates/poller.asl.json"]
        .iter()
        .map(|p| (p.rsplit('/').next().unwrap().to_string(), fixture_text(&format!("projects/tf-module/{p}"))))
        .collect()
}

#[test]
fn a_module_s_separate_files_picked_together_give_the_machines_with_their_values() {
    // In any order the picker gives them.
    let mut files = picked_module();
    for round in 0..2 {
        let opened = formats::open_files(&files).unwrap();
        let names: Vec<_> = opened.iter().map(|o| o.machine.name.as_str()).collect();
        assert_eq!(names, ["poller", "inline"], "round {round}");
        let poller = &opened[0];
        assert_eq!((poller.file_name.as_str(), poller.companion.as_ref().map(|c| c.file_name.as_str())), ("poller.asl.json", Some("main.tf")));
        assert_eq!(run_values(&poller.machine)[..3], [("table_name", Some("jobs-dev"), false), ("wait_seconds", Some("30"), true), ("enabled", Some("true"), true)]);
        let module: Vec<_> = poller.module.iter().map(|f| f.file_name.as_str()).collect();
        assert_eq!(module, ["variables.tf", "terraform.tfvars"]);
        // The chooser names each after the template's resource, not after the file it was read from.
        let choices: Vec<_> = opened.iter().map(|o| o.choice()).map(|c| (c.label, c.place)).collect();
        assert_eq!(
            choices,
            [
                ("aws_sfn_state_machine.poller (poller)".to_string(), "main.tf, line 3, definition in poller.asl.json, values from variables.tf, terraform.tfvars".to_string()),
                ("aws_sfn_state_machine.inline (inline)".to_string(), "main.tf, line 15, values from terraform.tfvars".to_string()),
            ],
            "round {round}"
        );
        files.reverse();
    }
}

#[test]
fn a_templatefile_without_its_definition_file_is_listed_as_missing_it() {
    let main = fixture_text("projects/tf-module/main.tf");
    let opened = formats::open_files(&[("main.tf".to_string(), main)]).unwrap();
    assert_eq!(
        opened[0].choice(),
        formats::Choice { label: "aws_sfn_state_machine.poller (poller)".into(), place: "main.tf, line 3, definition in templates/poller.asl.json, not among the files chosen".into() }
    );
}

#[test]
fn templatefile_expressions_are_worked_out_from_the_module_s_values_or_say_why_not() {
    let main = r#"locals {
  prefix = "svc-${var.stage}"
  loop   = local.loop
}
variable "stage" { default = "dev" }
variable "tags" {
  default = { team = "orders" }
}
resource "aws_sfn_state_machine" "notes" {
  name       = "notes"
  definition = templatefile("notes.asl.json", {
    table   = "${local.prefix}-jobs"
    team    = lookup(var.tags, "team", "nobody")
    payload = jsonencode({ stage = var.stage, retries = 3 })
    mode    = var.stage == "prod" ? "live" : "test"
    names   = join("-", [var.stage, "a"])
    label   = format("%s/%d", local.prefix, 7)
    queue   = aws_sqs_queue.jobs.url
    stamp   = timestamp()
    cycle   = local.loop
    plain   = "as is $${x}"
  })
}
"#;
    let asl = r#"{"StartAt": "Save", "States": {"Save": {"Type": "Pass", "Parameters": {"t": "${table}", "team": "${team}", "p": "${payload}", "m": "${mode}", "n": "${names}", "l": "${label}", "q": "${queue}", "s": "${stamp}", "c": "${cycle}", "x": "${plain}", "u": "${upper(team)}", "v": "${queue}-x"}, "End": true}}}"#;
    let files = [("main.tf".to_string(), main.to_string()), ("terraform.tfvars".to_string(), "stage = \"prod\"\n".to_string()), ("notes.asl.json".to_string(), asl.to_string())];
    let opened = formats::open_files(&files).unwrap();
    let m = &opened[0].machine;
    let said: Vec<(&str, Option<&str>, String)> = m.substitutions.iter().map(|s| (s.name.as_str(), s.run_value(), s.note())).collect();
    let expect: &[(&str, Option<&str>, &str)] = &[
        ("table", Some("svc-prod-jobs"), "runs as svc-prod-jobs (worked out from local.prefix)"),
        ("team", Some("orders"), "runs as orders (worked out from var.tags)"),
        ("payload", Some(r#"{"retries":3,"stage":"prod"}"#), r#"runs as {"retries":3,"stage":"prod"} (worked out from var.stage)"#),
        ("mode", Some("live"), "runs as live (worked out from var.stage)"),
        ("names", Some("prod-a"), "runs as prod-a (worked out from var.stage)"),
        ("label", Some("svc-prod/7"), "runs as svc-prod/7 (worked out from local.prefix)"),
        ("queue", None, "unknown offline (aws_sqs_queue.jobs.url is a resource's attribute: known once deployed): runs keep the placeholder; set a value here to run with one"),
        ("stamp", None, "unknown offline (the function timestamp() is not worked out offline): runs keep the placeholder; set a value here to run with one"),
        ("cycle", None, "unknown offline (local.loop refers to itself): runs keep the placeholder; set a value here to run with one"),
        ("plain", Some("as is $${x}"), ""),
        ("upper(team)", Some("ORDERS"), "runs as ORDERS (worked out from team)"),
    ];
    assert_eq!(said.len(), expect.len(), "{said:#?}");
    for ((name, run, note), (want_name, want_run, want_note)) in said.iter().zip(expect) {
        assert_eq!((*name, *run, note.as_str()), (*want_name, *want_run, *want_note));
    }
    // A run has the values worked out; what is unknown stays a placeholder.
    let mut doc = Document::new(m.name.clone(), m.definition.clone());
    doc.apply(Change::SetSource(Some(Box::new(opened[0].source())))).unwrap();
    let run: serde_json::Value = serde_json::from_str(&doc.runnable_text()).unwrap();
    let p = &run["States"]["Save"]["Parameters"];
    assert_eq!((p["t"].as_str(), p["u"].as_str(), p["q"].as_str(), p["v"].as_str()), (Some("svc-prod-jobs"), Some("ORDERS"), Some("${queue}"), Some("${queue}-x")));
    // The template is saved back unchanged: the expressions are the template's.
    let saved = doc.source().unwrap().save_files(doc.text()).unwrap();
    assert!(saved.iter().all(|(name, _)| name != "main.tf"), "{saved:?}");
}
