//! `statecraft export`: the command line's words turned into [`ExportOptions`] and
//! [`Scenario`]s, then every file generated. The binary only reads and writes files.

use super::options::{AlarmOptions, ExportOptions, LogLevel, Scenario, WorkflowType};
use super::{Export, ExportFile, ExportWarning, export};

/// The options as typed on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub name: String,
    pub region: String,
    pub account_id: Option<String>,
    /// `standard` or `express`.
    pub workflow_type: String,
    /// `off`, `error`, `fatal` or `all`.
    pub log_level: String,
    pub log_group: Option<String>,
    pub tracing: bool,
    pub alarm_email: Option<String>,
}

impl ExportRequest {
    /// The options this request asks for, or what is wrong with it.
    pub fn options(&self) -> Result<ExportOptions, String> {
        let defaults = ExportOptions::default();
        let workflow_type = match self.workflow_type.to_ascii_lowercase().as_str() {
            "standard" => WorkflowType::Standard,
            "express" => WorkflowType::Express,
            other => return Err(format!("--type must be standard or express, not {other:?}")),
        };
        let level = match self.log_level.to_ascii_lowercase().as_str() {
            "off" => LogLevel::Off,
            "error" => LogLevel::Error,
            "fatal" => LogLevel::Fatal,
            "all" => LogLevel::All,
            other => return Err(format!("--log-level must be off, error, fatal or all, not {other:?}")),
        };
        let mut logging = defaults.logging.clone();
        logging.level = level;
        logging.log_group = self.log_group.clone().unwrap_or_else(|| format!("/aws/vendedlogs/states/{}-Logs", self.name));
        Ok(ExportOptions {
            state_machine_name: self.name.clone(),
            region: self.region.clone(),
            account_id: self.account_id.clone(),
            workflow_type,
            logging,
            tracing: self.tracing,
            alarm: self.alarm_email.clone().map(|email| AlarmOptions { email }),
            ..defaults
        })
    }
}

/// The scenarios `run.sh` starts when none are given: the seed's three for the seed's
/// workflow; for any other, one whose input is the skeleton of what the definition reads (never
/// the seed's orders).
pub fn default_scenarios(definition_text: &str) -> Vec<Scenario> {
    if definition_text == crate::seed::ORDER_WORKFLOW {
        return Scenario::seed_scenarios();
    }
    crate::sim::SimSettings::for_definition(definition_text).scenarios.iter().map(|c| Scenario { name: c.name.clone(), input: c.input.clone() }).collect()
}

/// The state machine's name when `--name` is not given: the definition file's name without its
/// extensions (`vending.asl.json` gives `vending`), made a valid name; the seed's own without a file.
pub fn default_name(definition: Option<&std::path::Path>) -> String {
    let Some(path) = definition else { return crate::seed::NAME.to_string() };
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let stem = file.split('.').next().unwrap_or_default();
    super::names::name_from(super::names::NameKind::StateMachine, stem, "StateMachine")
}

/// Reads scenarios from JSON: `[{"name": "...", "input": <any JSON>}]`.
pub fn parse_scenarios(text: &str) -> Result<Vec<Scenario>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("scenarios: {e}"))?;
    let items = value.as_array().ok_or("scenarios: expected an array of {\"name\", \"input\"}")?;
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item.get("name").and_then(|n| n.as_str()).ok_or(format!("scenarios[{i}]: no \"name\" string"))?;
            let input = item.get("input").ok_or(format!("scenarios[{i}]: no \"input\""))?;
            Ok(Scenario { name: name.to_string(), input: input.to_string() })
        })
        .collect()
}

/// Every file for `definition_text`, with the scenarios of `scenarios_json` (the seed's three
/// tests when `None`), and the diagram (`diagram.svg`, automatic layout).
pub fn export_command(definition_text: &str, request: &ExportRequest, scenarios_json: Option<&str>) -> Result<Vec<ExportFile>, String> {
    export_command_with_warnings(definition_text, request, scenarios_json).map(|(files, _)| files)
}

/// [`export_command`] with the policy's warnings (the binary prints them to stderr).
pub fn export_command_with_warnings(
    definition_text: &str,
    request: &ExportRequest,
    scenarios_json: Option<&str>,
) -> Result<(Vec<ExportFile>, Vec<ExportWarning>), String> {
    let options = request.options()?;
    let scenarios = match scenarios_json {
        Some(text) => parse_scenarios(text)?,
        None => default_scenarios(definition_text),
    };
    let Export { mut files, warnings } = export(definition_text, &options, &scenarios).map_err(|e| e.to_string())?;
    if let Some(svg) = super::diagram::diagram_svg_of(definition_text, &Default::default()) {
        files.push(ExportFile { name: "diagram.svg", contents: svg, executable: false });
    }
    Ok((files, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_a_name_or_scenarios_a_definition_file_exports_under_its_own() {
        assert_eq!(default_name(Some(std::path::Path::new("dir/account vending.asl.json"))), "account-vending");
        assert_eq!(default_name(None), crate::seed::NAME);
        assert_eq!(default_scenarios(crate::seed::ORDER_WORKFLOW), Scenario::seed_scenarios());
        let other = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.detail.executionArn", "End": true}}}"#;
        let scenarios = default_scenarios(other);
        assert_eq!(scenarios.len(), 1);
        let input: serde_json::Value = serde_json::from_str(&scenarios[0].input).unwrap();
        assert!(input["detail"].get("executionArn").is_some(), "{input}");
        let request = ExportRequest {
            name: default_name(Some(std::path::Path::new("watch.json"))),
            region: "eu-west-3".into(),
            account_id: None,
            workflow_type: "standard".into(),
            log_level: "off".into(),
            log_group: None,
            tracing: false,
            alarm_email: None,
        };
        let (files, _) = export_command_with_warnings(other, &request, None).unwrap();
        let run = &files.iter().find(|f| f.name == "run.sh").unwrap().contents;
        assert!(run.contains("STATE_MACHINE_NAME=watch") || run.contains("STATE_MACHINE_NAME='watch'"), "{run}");
        assert!(!run.contains("Jean") && !run.contains(crate::seed::NAME), "{run}");
    }
}
