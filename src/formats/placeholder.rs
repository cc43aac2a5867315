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
    /// Whether the placeholder stands for a whole JSON value rather than text in a string: an
    /// unquoted `${wait}` in a Terraform `templatefile` definition (`"Seconds": ${wait}`), a
    /// reference in `jsonencode` (`Seconds = var.wait`). A run puts a number, boolean, object
    /// or array value there as that value, not as a string.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bare: bool,
    /// What a run uses when `value` is an expression worked out offline: a CloudFormation
    /// parameter's `Default`, a pseudo parameter's simulated value, an `Fn::Sub` of those.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simulated: Option<Simulated>,
    /// Whether `value` is an expression the template gives rather than a literal, when its
    /// text alone does not say (Terraform writes references bare: `aws_sqs_queue.jobs.url`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub expression: bool,
}

/// A value worked out for runs from an expression the template gives, and how; or why it
/// cannot be (`value` is `None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Simulated {
    pub value: Option<String>,
    /// How it was worked out, in words (`the Default of parameter Stage`), or why it is not
    /// known (`parameter Stage has no Default`).
    pub why: String,
}

impl Substitution {
    pub fn new(name: impl Into<String>, value: impl Into<String>, origin: Origin) -> Self {
        Substitution { name: name.into(), value: value.into(), origin, bare: false, simulated: None, expression: false }
    }

    /// The value a run puts in place of the placeholder: a literal value, else the simulated
    /// one; `None` when it is not known offline (the placeholder stays).
    pub fn run_value(&self) -> Option<&str> {
        if self.is_literal() {
            Some(&self.value)
        } else {
            self.simulated.as_ref().and_then(|s| s.value.as_deref())
        }
    }

    /// Whether the value is a literal (not an intrinsic function or a Terraform expression).
    pub fn is_literal(&self) -> bool {
        // Terraform says which of its values are expressions (`expression`); a literal there
        // may be an object's JSON (`{"S": "new"}`), which in CloudFormation is a function.
        !self.expression && (is_literal(&self.value) || (self.origin == Origin::Terraform && !self.value.is_empty()))
    }

    /// What a run does with this placeholder, in words (the Substitutions table's note).
    pub fn note(&self) -> String {
        match (self.is_literal(), &self.simulated) {
            (true, _) => String::new(),
            (false, Some(Simulated { value: Some(v), why })) => format!("runs as {v} ({why})"),
            (false, Some(Simulated { value: None, why })) => format!("unknown offline ({why}): runs keep the placeholder; set a value here to run with one"),
            // A bare placeholder stands for a number, a flag or an object, which its name as a
            // string cannot be: a run goes without the field ([`resolve`]).
            (false, None) if self.value.is_empty() && self.bare => "no value: runs go without this field; set one here".to_string(),
            (false, None) if self.value.is_empty() => "no value: runs keep the placeholder; set one here".to_string(),
            (false, None) => "unknown until deployed: runs keep the placeholder; set a value here to run with one".to_string(),
        }
    }
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
/// such as `!GetAtt Fn.Arn`, stays a placeholder unless it was worked out offline: see
/// [`Substitution::run_value`]). A bare placeholder (a whole value, `"${wait}"` in the
/// document) takes a value that reads as JSON (`30`, `true`, `{"a": 1}`) as that value.
pub fn resolve(text: &str, substitutions: &[Substitution]) -> String {
    let mut out = text.to_string();
    for s in substitutions {
        let Some(value) = s.run_value() else { continue };
        let placeholder = format!("${{{}}}", s.name);
        if s.bare
            && let Ok(json) = serde_json::from_str::<serde_json::Value>(value)
            && !json.is_string()
        {
            out = out.replace(&format!("\"{}\"", json_inner(&placeholder)), &serde_json::to_string(&json).unwrap_or_default());
        }
        out = out.replace(&placeholder, &json_inner(value));
    }
    without_unset_bare_fields(out, substitutions)
}

/// `text` without the members whose whole value is a bare placeholder that has no value for a
/// run (`"TimeoutSeconds": ${BatchCutoffSeconds}` in a CDK-filled definition opened alone): the
/// field holds a number, a flag or an object once deployed, which the placeholder's name as a
/// string is not, so a run goes without it (no timeout, no concurrency limit, the service's
/// default) rather than being refused for a string where a number goes. A field the language
/// cannot do without (a Wait's `Seconds`) is then reported missing. Text that is not JSON is
/// left as it is.
fn without_unset_bare_fields(text: String, substitutions: &[Substitution]) -> String {
    let unset: Vec<String> = substitutions.iter().filter(|s| s.bare && s.run_value().is_none()).map(|s| format!("${{{}}}", s.name)).collect();
    if unset.is_empty() || !unset.iter().any(|p| text.contains(&format!("\"{}\"", json_inner(p)))) {
        return text;
    }
    let Ok(mut root) = serde_json::from_str::<serde_json::Value>(&text) else { return text };
    fn strip(value: &mut serde_json::Value, unset: &[String]) {
        match value {
            serde_json::Value::Object(members) => {
                members.retain(|_, v| !matches!(v, serde_json::Value::String(s) if unset.contains(s)));
                members.values_mut().for_each(|v| strip(v, unset));
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| strip(v, unset)),
            _ => {}
        }
    }
    strip(&mut root, &unset);
    serde_json::to_string_pretty(&root).unwrap_or(text)
}

/// A placeholder written outside any string of a JSON text (`"Seconds": ${wait}`, what a
/// Terraform `templatefile` definition may hold): `start..end` spans `${...}`, `expr` is what
/// is between the braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BareSpot {
    pub start: usize,
    pub end: usize,
    pub expr: String,
}

/// The placeholders of `text` written outside its strings (a JSON text otherwise). A `${`
/// never closed is left for the JSON reader to report.
pub fn bare_spots(text: &str) -> Vec<BareSpot> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'$' if !in_string && bytes.get(i + 1) == Some(&b'{') => {
                // The expression may hold braces and strings of its own (`${jsonencode({a = "}"})}`).
                let (mut depth, mut j, mut quoted) = (0usize, i + 2, false);
                let close = loop {
                    let Some(&b) = bytes.get(j) else { break None };
                    match b {
                        b'\\' if quoted => j += 1,
                        b'"' => quoted = !quoted,
                        b'{' if !quoted => depth += 1,
                        b'}' if !quoted && depth == 0 => break Some(j),
                        b'}' if !quoted => depth -= 1,
                        b'\n' if !quoted => break None,
                        _ => {}
                    }
                    j += 1;
                };
                let Some(close) = close else { break };
                out.push(BareSpot { start: i, end: close + 1, expr: text[i + 2..close].trim().to_string() });
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `text` with each of its bare `spots` replaced by a JSON string of the same length (so the
/// JSON reader's spans are the text's): what a located tree of the file is read from.
pub fn stand_in_text(text: &str, spots: &[BareSpot]) -> String {
    let mut out = text.to_string();
    for s in spots.iter().rev() {
        out.replace_range(s.start..s.end, &format!("\"{}\"", "_".repeat(s.end - s.start - 2)));
    }
    out
}

/// `text` with each of its bare `spots` written as the string `"${expr}"`: the definition as
/// the document holds it.
pub fn quoted_text(text: &str, spots: &[BareSpot]) -> String {
    let mut out = text.to_string();
    for s in spots.iter().rev() {
        out.replace_range(s.start..s.end, &serde_json::to_string(&format!("${{{}}}", s.expr)).unwrap_or_default());
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
            Substitution::new("T", "my \"table\"", Origin::DefinitionSubstitutions),
            Substitution::new("F", "!GetAtt F.Arn", Origin::DefinitionSubstitutions),
        ];
        assert_eq!(resolve(r#"{"a": "${T}", "b": "${F}"}"#, &subs), r#"{"a": "my \"table\"", "b": "${F}"}"#);
    }

    #[test]
    fn bare_placeholders_take_json_values_and_worked_out_ones_stand_in() {
        let wait = Substitution { bare: true, ..Substitution::new("wait", "30", Origin::Terraform) };
        let flag = Substitution { bare: true, ..Substitution::new("on", "true", Origin::Terraform) };
        let word = Substitution { bare: true, ..Substitution::new("word", "later", Origin::Terraform) };
        let text = r#"{"Seconds": "${wait}", "Comment": "waits ${wait}s", "B": "${on}", "W": "${word}"}"#;
        assert_eq!(resolve(text, &[wait, flag, word]), r#"{"Seconds": 30, "Comment": "waits 30s", "B": true, "W": "later"}"#);
        let region = Substitution {
            simulated: Some(Simulated { value: Some("us-east-1".into()), why: "simulated".into() }),
            ..Substitution::new("AWS::Region", "!Ref AWS::Region", Origin::Template)
        };
        assert_eq!(resolve("${AWS::Region}", std::slice::from_ref(&region)), "us-east-1");
        assert!(region.note().starts_with("runs as us-east-1"));
        assert!(Substitution::new("F", "!GetAtt F.Arn", Origin::Template).note().starts_with("unknown until deployed"));
    }

    #[test]
    fn a_run_goes_without_the_fields_of_bare_placeholders_that_have_no_value() {
        // A CDK-filled definition opened alone: its numbers are placeholders nobody gave.
        let cutoff = Substitution { bare: true, ..Substitution::new("Cutoff", "", Origin::Unset) };
        let quoted = Substitution::new("Table", "", Origin::Unset);
        let text = r#"{"StartAt": "W", "States": {"W": {"Type": "Task", "TimeoutSeconds": "${Cutoff}", "Parameters": {"TableName": "${Table}", "N": "${Cutoff}"}, "End": true}}}"#;
        let run: serde_json::Value = serde_json::from_str(&resolve(text, &[cutoff.clone(), quoted.clone()])).unwrap();
        assert_eq!(run["States"]["W"], serde_json::json!({"Type": "Task", "Parameters": {"TableName": "${Table}"}, "End": true}));
        assert!(cutoff.note().contains("go without"), "{}", cutoff.note());
        // Given a value, the field runs with it; a quoted placeholder alone leaves the text as it is.
        let given = Substitution { bare: true, ..Substitution::new("Cutoff", "3600", Origin::Terraform) };
        assert!(resolve(text, &[given]).contains(r#""TimeoutSeconds": 3600"#));
        assert_eq!(resolve(text, &[quoted]), text);
    }

    #[test]
    fn bare_spots_are_found_outside_strings_only() {
        let text = "{\"a\": ${wait}, \"b\": \"${in_string}\", \"c\": ${ jsonencode({x = \"}\"}) }}";
        let spots = bare_spots(text);
        let exprs: Vec<&str> = spots.iter().map(|s| s.expr.as_str()).collect();
        assert_eq!(exprs, ["wait", "jsonencode({x = \"}\"})"]);
        let standin = stand_in_text(text, &spots);
        assert_eq!(standin.len(), text.len());
        assert!(serde_json::from_str::<serde_json::Value>(&standin).is_ok(), "{standin}");
        let quoted = quoted_text(text, &spots);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&quoted).unwrap()["a"], "${wait}");
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
