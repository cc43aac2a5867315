//! What a file is, from its content first and its name second: a bare definition (JSON or
//! YAML), a CloudFormation/SAM/CDK template (JSON or YAML), or Terraform.

use super::error::FormatError;
use super::tree::Tree;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// ASL as JSON (`.asl.json`, `.json`).
    AslJson,
    /// ASL as YAML (`.asl.yaml`, `.asl.yml`).
    AslYaml,
    /// A CloudFormation template as JSON: SAM, or what `cdk synth` writes.
    CloudFormationJson,
    /// A CloudFormation or SAM template as YAML.
    CloudFormationYaml,
    /// Terraform (`.tf`) with `aws_sfn_state_machine` resources.
    Terraform,
    /// A Serverless Framework service (`serverless.yml`): the serverless-step-functions
    /// plugin's `stepFunctions` and the CloudFormation `resources`.
    Serverless,
}

impl Format {
    /// The format in words.
    pub fn describe(self) -> &'static str {
        match self {
            Format::AslJson => "state machine definition (JSON)",
            Format::AslYaml => "state machine definition (YAML)",
            Format::CloudFormationJson => "CloudFormation template (JSON)",
            Format::CloudFormationYaml => "CloudFormation template (YAML)",
            Format::Terraform => "Terraform file",
            Format::Serverless => "Serverless Framework service",
        }
    }

    /// Whether the format is a template that can hold several machines.
    pub fn is_template(self) -> bool {
        !matches!(self, Format::AslJson | Format::AslYaml)
    }
}

/// Recognises `text`, named `file_name`.
pub fn detect(file_name: &str, text: &str) -> Result<Format, FormatError> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".tf") || (text.contains("aws_sfn_state_machine") && text.contains("resource ")) {
        return Ok(Format::Terraform);
    }
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(FormatError::file(format!("{file_name} is empty")));
    }
    if trimmed.starts_with('{') {
        let (root, _) = super::read_templated_json(text)?;
        return classify(&Tree::from_json(&root), &lower, Format::CloudFormationJson, Format::AslJson);
    }
    let root = match super::yaml::read(text) {
        Ok(root) => root,
        // A Serverless Framework service may use anchors and aliases, which its loader takes.
        Err(e) => match super::yaml::read_expanding_aliases(text) {
            Ok(root) if super::serverless::is_service(&root) => root,
            _ => return Err(e),
        },
    };
    classify(&root, &lower, Format::CloudFormationYaml, Format::AslYaml)
}

fn classify(root: &Tree, lower_name: &str, template: Format, definition: Format) -> Result<Format, FormatError> {
    if super::serverless::is_service(root) {
        return Ok(Format::Serverless);
    }
    if root.get("Resources").is_some() || root.get("AWSTemplateFormatVersion").is_some() || root.get("Transform").is_some() {
        return Ok(template);
    }
    if root.get("States").is_some() || root.get("StartAt").is_some() || lower_name.contains(".asl.") {
        return Ok(definition);
    }
    Err(FormatError::file(
        "neither a template (it has no `Resources`) nor a state machine definition (it has no `StartAt` or `States`)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_then_the_name() {
        let cases = [
            ("x.json", r#"{"StartAt": "A", "States": {}}"#, Format::AslJson),
            ("x.json", r#"{"Resources": {}}"#, Format::CloudFormationJson),
            ("x.yaml", "Resources:\n  A: 1\n", Format::CloudFormationYaml),
            ("flow.asl.yaml", "StartAt: A\nStates: {}\n", Format::AslYaml),
            ("serverless.yml", "service: s\nprovider: {name: aws}\nresources:\n  Resources: {}\n", Format::Serverless),
            ("x.yml", "stepFunctions:\n  stateMachines: {}\n", Format::Serverless),
            ("template.yml", "AWSTemplateFormatVersion: '2010-09-09'\n", Format::CloudFormationYaml),
            ("main.tf", "resource \"x\" \"y\" {}", Format::Terraform),
        ];
        for (name, text, format) in cases {
            assert_eq!(detect(name, text), Ok(format), "{name}: {text}");
        }
        assert!(detect("x.yaml", "a: b\n").unwrap_err().message.contains("neither a template"));
        assert_eq!(detect("x.json", "{\"a\" 1}").unwrap_err().line, 1);
        assert!(detect("x.json", "  ").is_err());
    }
}
