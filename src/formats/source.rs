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
        }
    }

    /// The template with `definition` in place of the machine's definition, and the values set
    /// in the Substitutions table in place of the literal values of its
    /// `DefinitionSubstitutions` (values given by intrinsic functions stay): only the changed
    /// parts differ from the template as opened.
    pub fn save(&self, definition: &str) -> Result<String, FormatError> {
        let opened = super::open(&self.file_name, &self.template)?;
        let machine = opened
            .machines
            .iter()
            .find(|m| m.id == self.machine)
            .ok_or_else(|| FormatError::file(format!("{} no longer holds {}", self.file_name, self.machine)))?;
        let saved = super::save(&self.template, machine, definition)?;
        match self.format {
            Format::CloudFormationJson | Format::CloudFormationYaml => {
                super::cloudformation::write_substitutions(&saved, self.format == Format::CloudFormationJson, &self.machine, &self.substitutions)
            }
            Format::AslJson | Format::AslYaml | Format::Terraform => Ok(saved),
        }
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
            Some(s) => s.value = value.to_string(),
            None => next.substitutions.push(Substitution { name: name.to_string(), value: value.to_string(), origin: placeholder::Origin::Unset }),
        }
        next
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
