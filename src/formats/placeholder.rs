//! Placeholders: the `${Name}` a template leaves in a definition for CloudFormation
//! (`DefinitionSubstitutions`, `Fn::Sub`), for a CDK token (a `Ref`/`Fn::GetAtt` piece of a
//! `Fn::Join`, shown as `${Logical.Attr}`) or for Terraform (`${var}`). They stay verbatim in
//! the text; [`Substitution`] lists each with its value. Two uses beyond listing: a diagnostic
//! about a string that holds a placeholder is not the definition's fault ([`tolerated`]), and a
//! run sees the values in place of the placeholders ([`resolve`]).

use crate::asl::diag::Diagnostic;
use crate::asl::json::{Node, Value};
use serde::{Deserialize, Serialize};

/// Where a placeholder's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Origin {
    /// The resource's `DefinitionSubstitutions`.
    DefinitionSubstitutions,
    /// The variable map of an `Fn::Sub`.
    SubVariable,
    /// A parameter, resource or pseudo parameter an `Fn::Sub` resolves (`${AWS::Region}`).
    Template,
    /// An intrinsic function written inside the definition, or a piece of an `Fn::Join`.
    Intrinsic,
    /// A variable of Terraform's `templatefile` (or an interpolation in HCL).
    Terraform,
    /// Used in the definition, given no value anywhere.
    Unset,
}

/// One placeholder and its value (a literal, or the expression that gives it, as written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Substitution {
    /// The name between `${` and `}`.
    pub name: String,
    pub value: String,
    pub origin: Origin,
}

/// The names of the placeholders `${...}` in `text`, in order of first use, without `${!...}`
/// (Fn::Sub's escape for a literal `${`) and `$${` (Terraform's).
pub fn names(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    let mut escaped_dollar = false;
    while let Some(i) = rest.find("${") {
        escaped_dollar = (i > 0 && rest.as_bytes()[i - 1] == b'$') || (i == 0 && escaped_dollar);
        let after = &rest[i + 2..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !escaped_dollar && !name.starts_with('!') && !name.is_empty() && !name.contains(['{', '"', '\n']) && !out.iter().any(|n| n == name) {
            out.push(name.to_string());
        }
        rest = &after[close + 1..];
        escaped_dollar = false;
    }
    out
}

/// Whether a string holds a placeholder.
pub fn holds_placeholder(s: &str) -> bool {
    !names(s).is_empty()
}

/// `diagnostics` without those about a string that holds a placeholder (a `Resource` of
/// `${ProcessFunctionArn}` is an ARN once deployed), read against the definition's tree.
pub fn tolerated(root: &Node, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostics
        .into_iter()
        .filter(|d| match root.at_pointer(&d.pointer) {
            Some((node, _)) => !matches!(&node.value, Value::String(s) if holds_placeholder(s)),
            None => true,
        })
        .collect()
}

/// `text` with each placeholder that has a value replaced by it (a value that is an expression,
/// such as `!GetAtt Fn.Arn`, stays a placeholder: only a literal can stand in).
pub fn resolve(text: &str, substitutions: &[Substitution]) -> String {
    let mut out = text.to_string();
    for s in substitutions {
        if is_literal(&s.value) {
            out = out.replace(&format!("${{{}}}", s.name), &json_inner(&s.value));
        }
    }
    out
}

/// Whether a value is a literal (not an intrinsic function or a Terraform expression).
pub fn is_literal(value: &str) -> bool {
    !(value.starts_with('!') || value.starts_with('{') || value.starts_with("Fn::") || value.is_empty())
}

/// `s` escaped to sit inside a JSON string.
fn json_inner(s: &str) -> String {
    let quoted = serde_json::to_string(s).unwrap_or_default();
    quoted[1..quoted.len() - 1].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_skip_the_escapes() {
        assert_eq!(names("a ${X} ${Y.Arn} ${!Lit} $${tf} ${X} ${AWS::Region}"), ["X", "Y.Arn", "AWS::Region"]);
        assert_eq!(names("${"), Vec::<String>::new());
    }

    #[test]
    fn only_literal_values_stand_in_for_a_run() {
        let subs = [
            Substitution { name: "T".into(), value: "my \"table\"".into(), origin: Origin::DefinitionSubstitutions },
            Substitution { name: "F".into(), value: "!GetAtt F.Arn".into(), origin: Origin::DefinitionSubstitutions },
        ];
        assert_eq!(resolve(r#"{"a": "${T}", "b": "${F}"}"#, &subs), r#"{"a": "my \"table\"", "b": "${F}"}"#);
    }

    #[test]
    fn diagnostics_on_placeholder_strings_are_tolerated() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "${Delay}", "Next": "B"}, "B": {"Type": "Wait", "Seconds": "soon", "End": true}}}"#;
        let report = crate::asl::validate::validate_text(text);
        let before = report.diagnostics.len();
        let after = tolerated(report.root.as_ref().unwrap(), report.diagnostics);
        assert!(after.len() < before, "{after:?}");
        assert!(after.iter().all(|d| !d.pointer.starts_with("/States/A/")), "{after:?}");
        assert!(after.iter().any(|d| d.pointer.starts_with("/States/B")), "the real error stays: {after:?}");
    }
}
