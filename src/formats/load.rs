//! The state machines of a file as the command line takes them: `statecraft validate`, `run` and
//! `export` accept any file a workflow lives in (ASL JSON or YAML, a SAM/CloudFormation/CDK
//! template, a Terraform file), as the page's Open does. A template's definition in another file
//! (SAM's `DefinitionUri`, Terraform's `templatefile`) is read beside it through the caller's
//! `read`; placeholders with a literal value (`DefinitionSubstitutions`, `Fn::Sub` variables,
//! `templatefile` variables) run as that value, others stay placeholders; the validator's
//! findings about a string holding a placeholder are not the definition's fault
//! ([`placeholder::tolerated`]).

use super::placeholder::{self, Substitution};
use super::{Format, FormatError, Openable};

/// One state machine of a file, ready to validate, run or export.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The logical id (`MigratorMachine`, `aws_sfn_state_machine.main`) or the file's name.
    pub id: String,
    /// The state machine's name: `StateMachineName`/`name` when literal, else the id.
    pub name: String,
    /// The format of the file the definition was read from.
    pub format: Format,
    /// The definition as ASL JSON, placeholders kept.
    pub definition: String,
    /// What a run executes: the definition with each placeholder that has a literal value
    /// replaced by it.
    pub runnable: String,
    pub substitutions: Vec<Substitution>,
    /// Whether the file given is a template (the machine is one of its resources), rather than
    /// the definition itself.
    pub from_template: bool,
    /// The file the definition is written in (the template, or the definition file it names),
    /// as the template names it: the file a diagnostic's line and column are in.
    pub written_in: String,
    /// Where the definition is in `written_in`.
    pub placement: Placement,
}

/// Where a definition is in the file it is written in, to say a diagnostic's line and column
/// there rather than in the definition as ASL JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// The file is the definition as JSON: positions are the definition's own.
    Own,
    /// A located tree of the file (a YAML or JSON `Definition`, `jsonencode`, an ASL YAML file,
    /// a templatefile with unquoted placeholders): a pointer's node is where it is written.
    Tree { tree: super::tree::Tree, text: String },
    /// The definition's lines are the file's from `first_line` on, each indented by `indent`
    /// (a YAML literal block, a heredoc).
    Lines { first_line: usize, indent: usize },
    /// Inside a string or joined pieces starting at this position: said there.
    At { line: usize, column: usize },
}

impl Placement {
    fn of(openable: &Openable) -> Placement {
        use super::{Encoding, Slot};
        let at = |offset: usize| crate::asl::json::LineIndex::new(&openable.text).position(offset);
        match &openable.machine.slot {
            Slot::WholeJson | Slot::External { .. } => Placement::Own,
            Slot::WholeYaml { tree } | Slot::Object { tree, .. } | Slot::Jsonencode { tree, .. } => Placement::Tree { tree: tree.clone(), text: openable.text.clone() },
            Slot::Text { start, encoding: Encoding::YamlLiteral { indent }, .. } => Placement::Lines { first_line: at(*start).line, indent: *indent },
            Slot::Text { start, encoding: Encoding::Heredoc, .. } => Placement::Lines { first_line: at(*start).line, indent: 0 },
            Slot::Text { start, .. } | Slot::Join { start, .. } => {
                let p = at(*start);
                Placement::At { line: p.line, column: p.column }
            }
        }
    }

    /// Where the diagnostic at `pointer`, at `position` in the definition, is in the file.
    pub fn position(&self, pointer: &str, position: Option<crate::asl::json::Position>) -> Option<crate::asl::json::Position> {
        use crate::asl::json::Position;
        match self {
            Placement::Own => position,
            Placement::Lines { first_line, indent } => position.map(|p| Position { line: first_line + p.line - 1, column: p.column + indent }),
            Placement::At { line, column } => Some(Position { line: *line, column: *column }),
            Placement::Tree { tree, text } => {
                let mut node = tree;
                let mut offset = tree.start;
                if !pointer.is_empty() {
                    for raw in pointer.trim_start_matches('/').split('/') {
                        let token = crate::asl::json::pointer_token(raw);
                        if let Some(e) = node.entries().iter().rev().find(|e| e.key == token) {
                            offset = e.key_start;
                            node = &e.value;
                        } else if let Some(item) = token.parse::<usize>().ok().and_then(|i| node.items().get(i)) {
                            offset = item.start;
                            node = item;
                        } else {
                            break;
                        }
                    }
                }
                Some(crate::asl::json::LineIndex::new(text).position(offset))
            }
        }
    }
}

/// Every state machine of `text` (named `file_name`), with the definitions that live in other
/// files read through `read` (a path as the template writes it, relative to the template).
pub fn load(file_name: &str, text: &str, read: &dyn Fn(&str) -> Result<String, String>) -> Result<Vec<Loaded>, FormatError> {
    load_in_module(file_name, text, read, &[])
}

/// [`load`], a Terraform file taking the values its module's other files give (`module`, as
/// [`super::terraform::module_files`] orders them).
pub fn load_in_module(
    file_name: &str,
    text: &str,
    read: &dyn Fn(&str) -> Result<String, String>,
    module: &[super::terraform::ValueFile],
) -> Result<Vec<Loaded>, FormatError> {
    let opened = super::open_in_module(file_name, text, module)?;
    let mut files = vec![(file_name.to_string(), text.to_string())];
    for machine in &opened.machines {
        if let Some(path) = machine.external() {
            let companion = read(path).map_err(|e| {
                FormatError::file(format!("{file_name}: {}'s definition is in {path}, which cannot be read: {e}", machine.id))
            })?;
            if !files.iter().any(|(f, _)| f == path) {
                files.push((path.to_string(), companion));
            }
        }
    }
    let mut out: Vec<Loaded> = super::open_files_in(&files, Some(module))?.into_iter().map(loaded).collect();
    // A definition read from its own file is still the template's resource.
    for machine in &mut out {
        machine.from_template = opened.format.is_template();
        if let Some(resource) = opened.machines.iter().find(|m| m.external().is_some() && m.name == machine.name) {
            machine.id = resource.id.clone();
        }
    }
    Ok(out)
}

fn loaded(openable: Openable) -> Loaded {
    let placement = Placement::of(&openable);
    let written_in = openable.file_name.clone();
    let machine = openable.machine;
    let runnable = placeholder::resolve(&machine.definition, &machine.substitutions);
    Loaded {
        id: machine.id,
        name: machine.name,
        format: openable.format,
        definition: machine.definition,
        runnable,
        substitutions: machine.substitutions,
        from_template: false,
        written_in,
        placement,
    }
}

/// The one machine `wanted` names (by id or name), or the only one there is; otherwise an error
/// that lists them.
pub fn pick(file_name: &str, mut machines: Vec<Loaded>, wanted: Option<&str>) -> Result<Loaded, FormatError> {
    let ids = |machines: &[Loaded]| machines.iter().map(|m| m.id.as_str()).collect::<Vec<_>>().join(", ");
    match wanted {
        Some(w) => match machines.iter().position(|m| m.id == w || m.name == w) {
            Some(i) => Ok(machines.swap_remove(i)),
            None => Err(FormatError::file(format!("{file_name} holds no state machine {w}; it holds {}", ids(&machines)))),
        },
        None if machines.len() == 1 => Ok(machines.remove(0)),
        None => Err(FormatError::file(format!(
            "{file_name} holds {} state machines ({}): choose one with --machine",
            machines.len(),
            ids(&machines)
        ))),
    }
}

/// The diagnostics of a loaded definition: the validator's and the request checks', less those
/// about a string that holds a placeholder (a `Resource` of `${ProcessFunctionArn}` is an ARN
/// once deployed).
pub fn diagnostics(loaded: &Loaded, execution_type: crate::asl::model::ExecutionType) -> Vec<crate::asl::diag::Diagnostic> {
    let mut report = crate::asl::validate::validate_text_as(&loaded.definition, execution_type);
    report.diagnostics.extend(crate::catalogue::requests::request_diagnostics(&loaded.definition, &crate::catalogue::Catalogue::built_in()));
    let mut diagnostics = match crate::asl::json::read(&loaded.definition) {
        Ok(root) => placeholder::tolerated(&root, report.diagnostics),
        Err(_) => report.diagnostics,
    };
    // Said where the file writes it, not where the definition's JSON has it.
    for d in &mut diagnostics {
        d.position = loaded.placement.position(&d.pointer, d.position);
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::model::ExecutionType;

    const SAM: &str = "Transform: AWS::Serverless-2016-10-31\nResources:\n  Migrator:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: statemachine/flow.asl.json\n      DefinitionSubstitutions:\n        TableName: orders\n        FunctionArn: !GetAtt Fn.Arn\n";
    const FLOW: &str = r#"{"StartAt": "Scan", "States": {
  "Scan": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:scan", "Parameters": {"TableName": "${TableName}"}, "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "${FunctionArn}", "End": true}}}"#;

    fn read(path: &str) -> Result<String, String> {
        match path {
            "statemachine/flow.asl.json" => Ok(FLOW.to_string()),
            other => Err(format!("no file {other}")),
        }
    }

    #[test]
    fn a_sam_template_s_definition_uri_is_read_beside_it_and_literal_substitutions_run() {
        let machines = load("template.yaml", SAM, &read).unwrap();
        let one = pick("template.yaml", machines, None).unwrap();
        assert_eq!((one.id.as_str(), one.name.as_str()), ("Migrator", "Migrator"));
        assert!(one.runnable.contains(r#""TableName": "orders""#), "{}", one.runnable);
        // An intrinsic's value is not known offline: it stays a placeholder.
        assert!(one.runnable.contains("${FunctionArn}") && one.definition.contains("${TableName}"));
        // `Resource: ${FunctionArn}` is an ARN once deployed: no error about it.
        let errors: Vec<_> = diagnostics(&one, ExecutionType::Standard).into_iter().filter(|d| d.severity == crate::asl::diag::Severity::Error).collect();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(one.written_in, "statemachine/flow.asl.json");
    }

    #[test]
    fn diagnostics_are_said_where_the_template_writes_the_state() {
        // A YAML Definition: the line of the key in the template.
        let yaml = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Next: Gone}\n";
        let one = pick("t.yaml", load("t.yaml", yaml, &read).unwrap(), None).unwrap();
        let d = diagnostics(&one, ExecutionType::Standard).into_iter().find(|d| d.pointer == "/States/A/Next").unwrap();
        assert_eq!(d.position.map(|p| (p.line, p.column)), Some((8, 27)), "{d:?}");
        // A literal block: the definition's line, moved down to the block and indented.
        let block = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      DefinitionString: |\n        {\"StartAt\": \"A\",\n         \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"Gone\"}}}\n";
        let one = pick("t.yaml", load("t.yaml", block, &read).unwrap(), None).unwrap();
        let d = diagnostics(&one, ExecutionType::Standard).into_iter().find(|d| d.pointer == "/States/A/Next").unwrap();
        assert_eq!(d.position.map(|p| p.line), Some(7), "{d:?}");
    }

    #[test]
    fn a_missing_definition_file_or_an_unnamed_machine_is_an_error_in_words() {
        let gone = load("template.yaml", SAM, &|_: &str| Err("No such file".to_string())).unwrap_err().to_string();
        assert!(gone.contains("Migrator's definition is in statemachine/flow.asl.json") && gone.contains("No such file"), "{gone}");
        let two = format!("{SAM}  Other:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: P\n        States:\n          P: {{Type: Pass, End: true}}\n");
        let machines = load("template.yaml", &two, &read).unwrap();
        let ask = pick("template.yaml", machines.clone(), None).unwrap_err().to_string();
        assert!(ask.contains("2 state machines (Migrator, Other): choose one with --machine"), "{ask}");
        assert_eq!(pick("template.yaml", machines.clone(), Some("Other")).unwrap().id, "Other");
        let wrong = pick("template.yaml", machines, Some("Nope")).unwrap_err().to_string();
        assert!(wrong.contains("holds no state machine Nope; it holds Migrator, Other"), "{wrong}");
    }

    #[test]
    fn a_bare_definition_is_its_own_machine() {
        let machines = load("dir/flow.asl.json", FLOW, &read).unwrap();
        let one = pick("dir/flow.asl.json", machines, None).unwrap();
        assert_eq!((one.name.as_str(), one.format, one.from_template), ("flow", Format::AslJson, false));
        assert_eq!(one.runnable, FLOW);
    }
}
