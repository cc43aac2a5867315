//! Export: what deploys exactly the definition that was designed and simulated, generated from
//! its text, with no UI dependency.
//!
//! - [`asl_json`](mod@asl_json): the definition as downloaded, byte-identical to the document's text
//!   (or with the account and region the user gives written into the deployment's ARNs).
//! - [`options`]: [`ExportOptions`] (name, region, type, logging, tracing, alarm; the seed's
//!   values by default) and [`Scenario`]s.
//! - [`resources`]: what the definition calls, every Task and Distributed Map at any depth, with
//!   [`ExportWarning`]s for what is known only at run time.
//! - [`iam`](mod@iam): the IAM actions and resources of each integration (AWS's pages, the catalogue).
//! - [`policy`]: least-privilege IAM for those resources.
//! - [`aws_cli`]: `deploy.sh`, `run.sh`, `logs.sh`, `cleanup.sh`: the course's CLI steps,
//!   generated and idempotent.
//! - [`cloudformation`]: CloudFormation (YAML, JSON) and SAM templates of the same resources.
//! - [`yaml`]: the templates' YAML, quoted and escaped so that no YAML reader misreads it.
//! - [`names`]: name checks and shell quoting, the injection defences.
//! - [`diagram`]: the diagram as SVG, from the editor's layout.
//! - [`zip`](mod@zip): a STORE-method zip writer for "Download all".
//!
//! [`export`] gives every file at once, with the policy's warnings; [`export_files`] the files.

pub mod asl_json;
pub mod aws_cli;
pub mod cloudformation;
pub mod command;
pub mod diagram;
pub mod names;
pub mod options;
pub mod iam;
pub mod policy;
pub mod resources;
pub mod yaml;
pub mod zip;

pub use names::{InvalidName, NameKind, shell_quote, terminal_safe, terminal_safe_line};
pub use options::{AlarmOptions, ExportOptions, LogLevel, LoggingOptions, Scenario, WorkflowType};
pub use resources::{DefinitionResources, ExportWarning};

use crate::asl::json::Node;
use crate::asl::model::StateMachine;
use std::fmt;

/// Why an export could not be generated.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportError {
    /// The definition is not JSON (`line:column: message`).
    DefinitionSyntax(String),
    /// Names that AWS would refuse or that a script could not carry safely.
    InvalidNames(Vec<InvalidName>),
    /// A scenario's input is not JSON.
    ScenarioInput { scenario: String, message: String },
    /// Exported as EXPRESS, a Task uses what an EXPRESS state machine cannot (`.sync`,
    /// `.waitForTaskToken`, an activity): AWS would refuse to create it. One located line each.
    ExpressIntegrations(Vec<String>),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::DefinitionSyntax(message) => write!(f, "the definition is not valid JSON: {message}"),
            ExportError::InvalidNames(names) => {
                let all: Vec<String> = names.iter().map(ToString::to_string).collect();
                write!(f, "{}", all.join("; "))
            }
            ExportError::ScenarioInput { scenario, message } => {
                write!(f, "the input of scenario {scenario:?} is not valid JSON: {message}")
            }
            ExportError::ExpressIntegrations(lines) => write!(f, "{}", lines.join("\n")),
        }
    }
}

impl std::error::Error for ExportError {}

/// The validator's EXPRESS refusals, as located lines.
fn refuse_express_integrations(definition_text: &str) -> Result<(), ExportError> {
    use crate::asl::diag::Code;
    let report = crate::asl::validate::validate_text_as(definition_text, crate::asl::model::ExecutionType::Express);
    let lines: Vec<String> = report.diagnostics.iter().filter(|d| d.code == Code::ExpressIntegration).map(ToString::to_string).collect();
    if lines.is_empty() { Ok(()) } else { Err(ExportError::ExpressIntegrations(lines)) }
}

/// A definition read for export: its text, its JSON tree (for in-place ARN rewriting), its
/// model, and the resources it uses.
#[derive(Debug, Clone)]
pub struct ExportedDefinition {
    pub text: String,
    pub root: Node,
    pub machine: StateMachine,
    pub resources: DefinitionResources,
}

impl ExportedDefinition {
    /// Reads `text`. Only JSON syntax is required here; the validator judges the rest. Every
    /// Lambda function it names must have a name AWS accepts, since the scripts create them.
    pub fn read(text: &str) -> Result<Self, ExportError> {
        Self::read_with(text, &crate::catalogue::Catalogue::built_in())
    }

    /// [`ExportedDefinition::read`], with the IAM actions of `aws-sdk:` calls from `catalogue`
    /// (the page's: the service files it fetched).
    pub fn read_with(text: &str, catalogue: &crate::catalogue::Catalogue) -> Result<Self, ExportError> {
        let (root, lowered) = crate::asl::lower::lower_text(text).map_err(|d| {
            let at = d.position.map(|p| format!("{}:{}: ", p.line, p.column)).unwrap_or_default();
            ExportError::DefinitionSyntax(format!("{at}{}", d.message))
        })?;
        let resources = DefinitionResources::scan_with(&lowered.machine, catalogue);
        let invalid: Vec<InvalidName> = resources
            .functions
            .iter()
            .filter_map(|f| names::check_name(NameKind::LambdaFunction, &f.name).err())
            .chain(resources.tables.iter().filter_map(|t| names::check_name(NameKind::Table, &t.name).err()))
            .collect();
        if !invalid.is_empty() {
            return Err(ExportError::InvalidNames(invalid));
        }
        Ok(ExportedDefinition { text: text.to_string(), root, machine: lowered.machine, resources })
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// The file name: `deploy.sh`, `state-machine.json`, `cloudformation.yaml`...
    pub name: &'static str,
    pub contents: String,
    /// Whether the file is a script to mark executable.
    pub executable: bool,
}

/// An export: its files, and what the execution role's policy could not grant exactly (a
/// resource known only at run time, granted by wildcard; an action not derived), each located on
/// its state and field. Shown with the files, never dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    pub files: Vec<ExportFile>,
    pub warnings: Vec<ExportWarning>,
}

/// Every export of `definition_text` at once, in a stable order: the ASL JSON, the four
/// scripts, the three templates. The warnings are [`export`]'s.
pub fn export_files(definition_text: &str, options: &ExportOptions, scenarios: &[Scenario]) -> Result<Vec<ExportFile>, ExportError> {
    export(definition_text, options, scenarios).map(|e| e.files)
}

/// Every file of `definition_text`, with the warnings of its policy.
pub fn export(definition_text: &str, options: &ExportOptions, scenarios: &[Scenario]) -> Result<Export, ExportError> {
    export_with(definition_text, options, scenarios, &crate::catalogue::Catalogue::built_in())
}

/// [`export`], with the policy's `aws-sdk:` actions from `catalogue` (the page hands over the
/// service files it fetched; natively every file is embedded).
pub fn export_with(definition_text: &str, options: &ExportOptions, scenarios: &[Scenario], catalogue: &crate::catalogue::Catalogue) -> Result<Export, ExportError> {
    options.check().map_err(ExportError::InvalidNames)?;
    for scenario in scenarios {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&scenario.input) {
            return Err(ExportError::ScenarioInput { scenario: scenario.name.clone(), message: e.to_string() });
        }
    }
    let definition = ExportedDefinition::read_with(definition_text, catalogue)?;
    if options.workflow_type == WorkflowType::Express {
        refuse_express_integrations(definition_text)?;
    }
    let file = |name, contents, executable| ExportFile { name, contents, executable };
    let files = vec![
        file("state-machine.json", asl_json::asl_json(&definition.text, &definition.root, options), false),
        file("deploy.sh", aws_cli::deploy_script(&definition, options), true),
        file("run.sh", aws_cli::run_script(options, scenarios), true),
        file("logs.sh", aws_cli::logs_script(&definition, options), true),
        file("cleanup.sh", aws_cli::cleanup_script(&definition, options), true),
        file("cloudformation.yaml", cloudformation::cloudformation_yaml(&definition, options), false),
        file("cloudformation.json", cloudformation::cloudformation_json(&definition, options), false),
        file("sam-template.yaml", cloudformation::sam_yaml(&definition, options), false),
    ];
    Ok(Export { files, warnings: definition.resources.warnings.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::document::Document;

    /// A workflow pasted in place of the seed: nothing of the seed's identity is left.
    const VENDING: &str = r#"{"Comment": "Creates an account", "StartAt": "Create", "States": {
      "Create": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:createAccount",
        "Parameters": {"AccountName.$": "$.detail.accountName", "Email.$": "$.detail.email"}, "End": true}}}"#;

    #[test]
    fn a_pasted_workflow_exports_under_its_own_name_with_its_own_scenarios() {
        let doc = Document::new("Account vending: OU", VENDING);
        let options = ExportOptions::for_document(doc.name());
        assert_eq!(options.state_machine_name, "Account-vending-OU");
        assert_eq!(options.logging.log_group, "/aws/vendedlogs/states/Account-vending-OU-Logs");
        let scenarios = Scenario::of_document(&doc);
        assert_eq!(scenarios.len(), 1, "one scenario, the skeleton of what the definition reads");
        let input: serde_json::Value = serde_json::from_str(&scenarios[0].input).unwrap();
        assert!(input["detail"].get("accountName").is_some() && input["detail"].get("email").is_some(), "{input}");
        let export = export(doc.text(), &options, &scenarios).expect("exports");
        for file in &export.files {
            assert!(!file.contents.contains(crate::seed::NAME), "{} carries the seed's name", file.name);
            for test in crate::seed::TEST_INPUTS {
                assert!(!file.contents.contains(test.input), "{} carries the seed's scenario {}", file.name, test.name);
            }
        }
        let file = |name: &str| &export.files.iter().find(|f| f.name == name).unwrap().contents;
        assert!(file("deploy.sh").contains("STATE_MACHINE_NAME='Account-vending-OU'") || file("deploy.sh").contains("STATE_MACHINE_NAME=Account-vending-OU"), "{}", file("deploy.sh"));
        assert!(file("run.sh").contains(&scenarios[0].name));
        assert!(file("cloudformation.yaml").contains("Account-vending-OU"));
        assert!(file("sam-template.yaml").contains("Account-vending-OU"));
        // The seed keeps its own.
        assert_eq!(ExportOptions::for_document(Document::seed().name()).state_machine_name, crate::seed::NAME);
        assert_eq!(ExportOptions::for_document("???").state_machine_name, "StateMachine");
    }
}
