//! [`Source`]: what a document opened from a template remembers of it, so that it can be saved
//! back into it: the file's name and text, which machine, and the placeholders' values. It is
//! plain data (autosaved with the document); the machine's slot is found again from the text
//! at save time, so nothing positional goes stale.

use super::error::FormatError;
use super::placeholder::{self, Substitution};
use super::{Format, Machine};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The template's file name, as opened (the name a save downloads under).
    pub file_name: String,
    pub format: Format,
    /// The template as opened.
    pub template: String,
    /// The machine's id in it ([`Machine::id`]).
    pub machine: String,
    /// Each placeholder's value: as the template gives it, or as the user set it for runs.
    pub substitutions: Vec<Substitution>,
    /// The template that gives the values, when it is another file than the definition's
    /// (Terraform's `templatefile`: the `.tf` beside the `.asl.json`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub values_in: Option<Companion>,
    /// The Terraform module's other files that give values (`variables.tf`,
    /// `terraform.tfvars`), as opened: a value set in the table is written back into the one
    /// that holds it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub value_files: Vec<super::terraform::ValueFile>,
}

/// The other file of a document: a template naming the definition file the document is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Companion {
    pub file_name: String,
    pub format: Format,
    /// The template as opened.
    pub template: String,
    /// The machine's id in it.
    pub machine: String,
}

impl Source {
    /// The source of `machine`, read from `template`.
    pub fn new(file_name: &str, format: Format, template: &str, machine: &Machine) -> Self {
        Source {
            file_name: file_name.to_string(),
            format,
            template: template.to_string(),
            machine: machine.id.clone(),
            substitutions: machine.substitutions.clone(),
            values_in: None,
            value_files: Vec::new(),
        }
    }

    /// The same source, its values given by `companion` (the template naming its file).
    pub fn with_companion(mut self, companion: Option<Companion>) -> Self {
        self.values_in = companion;
        self
    }

    /// The template with `definition` in place of the machine's definition, and the values set
    /// in the Substitutions table in place of the literal values of its
    /// `DefinitionSubstitutions` (values given by intrinsic functions stay): only the changed
    /// parts differ from the template as opened.
    pub fn save(&self, definition: &str) -> Result<String, FormatError> {
        Ok(self.save_all(definition)?.0)
    }

    /// [`Source::save`], and the module's value files it changed.
    fn save_all(&self, definition: &str) -> Result<(String, Vec<super::terraform::ValueFile>), FormatError> {
        let opened = super::open_in_module(&self.file_name, &self.template, &self.value_files)?;
        let machine = opened
            .machines
            .iter()
            .find(|m| m.id == self.machine)
            .ok_or_else(|| FormatError::file(format!("{} no longer holds {}", self.file_name, self.machine)))?;
        let saved = super::save(&self.template, machine, definition)?;
        write_values(self.format, &saved, &self.machine, &self.substitutions, &self.value_files)
    }

    /// Every file the document saves back into, with its new text: the file of the definition
    /// ([`Source::save`]), then the template that gives its values when that is another file
    /// and a value set in the table changed in it (Terraform's `.tf` beside its
    /// `templatefile`).
    pub fn save_files(&self, definition: &str) -> Result<Vec<(String, String)>, FormatError> {
        let (saved, mut values) = self.save_all(definition)?;
        let mut out = vec![(self.file_name.clone(), saved)];
        if let Some(c) = &self.values_in {
            let (written, more) =
                write_values(c.format, &c.template, &c.machine, &self.substitutions, &self.value_files).map_err(|e| FormatError::file(format!("{}: {e}", c.file_name)))?;
            if written != c.template {
                out.push((c.file_name.clone(), written));
            }
            values.extend(more);
        }
        out.extend(values.into_iter().map(|f| (f.file_name, f.text)));
        Ok(out)
    }

    /// `definition` with every placeholder whose value is a literal replaced by it (for runs).
    pub fn resolve(&self, definition: &str) -> String {
        placeholder::resolve(definition, &self.substitutions)
    }

    /// The same source with the value of placeholder `name` set to `value` (added if the
    /// placeholder had none).
    pub fn with_value(&self, name: &str, value: &str) -> Source {
        let mut next = self.clone();
        match next.substitutions.iter_mut().find(|s| s.name == name) {
            Some(s) => {
                // What is typed in the table is a value, not the template's expression.
                if s.value != value {
                    s.expression = false;
                }
                s.value = value.to_string();
            }
            None => next.substitutions.push(Substitution::new(name.to_string(), value.to_string(), placeholder::Origin::Unset)),
        }
        next
    }
}

/// `template` (of `format`) with the literal values behind the placeholders of `machine` set to
/// those of `values` where they differ, and the Terraform module's value files that changed.
fn write_values(
    format: Format,
    template: &str,
    machine: &str,
    values: &[Substitution],
    module: &[super::terraform::ValueFile],
) -> Result<(String, Vec<super::terraform::ValueFile>), FormatError> {
    match format {
        Format::CloudFormationJson | Format::CloudFormationYaml | Format::Serverless => {
            let json = template.trim_start_matches('\u{feff}').trim_start().starts_with('{');
            Ok((super::cloudformation::write_substitutions(template, json, machine, values)?, Vec::new()))
        }
        Format::Terraform => super::terraform::write_values_in_module(template, machine, values, module),
        Format::AslJson | Format::AslYaml => Ok((template.to_string(), Vec::new())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_saves_into_its_template_and_resolves_literals() {
        let template = "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n      Definition:\n        StartAt: A\n        States:\n          A: {Type: Pass, Result: \"${Greeting}\", End: true}\n      DefinitionSubstitutions:\n        Greeting: hi # said once\n";
        let opened = super::super::open("t.yaml", template).unwrap();
        let source = Source::new("t.yaml", opened.format, template, &opened.machines[0]);
        assert_eq!(source.substitutions[0].value, "hi");
        let saved = source.save(r#"{"StartAt": "A", "States": {"A": {"Type": "Succeed", "Result": "${Greeting}"}}}"#).unwrap();
        // A flow mapping that lost a key keeps the rest as written.
        assert!(saved.contains("          A: {Type: Succeed, Result: \"${Greeting}\"}\n"), "{saved}");
        assert!(saved.ends_with("Greeting: hi # said once\n"));
        assert_eq!(source.resolve("\"${Greeting}\""), "\"hi\"");
        assert_eq!(source.with_value("Greeting", "hello").resolve("${Greeting}"), "hello");
        assert!(source.save("{").unwrap_err().message.starts_with("the definition is not JSON"));
    }
}
