//! The ASL JSON as exported, and the one place that rewrites ARNs in a definition's text.
//!
//! The export is the document's text, byte for byte. When the user gives an account id, the
//! ARNs the deployment owns are rewritten in place (only those strings' bytes change): Lambda
//! functions move to the deploy region and account, and any other ARN or queue URL gets its
//! placeholder account (`ACCOUNT_ID`, anything that is not 12 digits) and placeholder region
//! filled in. The scripts and templates use the same rewriting with their own stand-ins for the
//! account, which they learn only when they run.

use super::names::{NameKind, check_name};
use super::options::ExportOptions;
use crate::asl::json::{Node, Value};

/// What to write for the account and region of the ARNs a deployment owns.
#[derive(Debug, Clone, Copy)]
pub struct ArnTarget<'a> {
    pub account: &'a str,
    pub region: &'a str,
}

/// A string of the definition that names a resource, and which field it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceField {
    /// A Task's `Resource`.
    TaskResource,
    /// A service integration argument: `FunctionName`, `TopicArn`, `QueueUrl`, `StateMachineArn`.
    Argument(&'static str),
}

const ARGUMENT_FIELDS: [&str; 4] = ["FunctionName", "TopicArn", "QueueUrl", "StateMachineArn"];

/// The ASL definition to download: `text` itself when `options.account_id` is `None`, else
/// `text` with the deployment's ARNs naming that account and `options.region`.
pub fn asl_json(text: &str, root: &Node, options: &ExportOptions) -> String {
    match &options.account_id {
        None => text.to_string(),
        Some(account) => {
            let target = ArnTarget { account, region: &options.region };
            rewrite_resource_strings(text, root, |value, _| deployed_resource(value, target))
        }
    }
}

/// `text` with each resource-naming string replaced by what `replace` returns for it (`None`
/// keeps it). Only those strings' bytes change; the rest is copied as is.
pub fn rewrite_resource_strings(text: &str, root: &Node, mut replace: impl FnMut(&str, ResourceField) -> Option<String>) -> String {
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    collect_resource_strings(root, &mut |node, field| {
        if let Some(value) = node.as_str()
            && let Some(new_value) = replace(value, field)
            && new_value != value
        {
            let json = serde_json::to_string(&new_value).unwrap_or_default();
            edits.push((node.span.start as usize, node.span.end as usize, json));
        }
    });
    crate::asl::sort::sort_by_key(&mut edits, |e| e.0);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end, json) in edits {
        if start < at || end > text.len() || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue; // a node built by code, not read: nothing to replace in the text
        }
        out.push_str(&text[at..start]);
        out.push_str(&json);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Calls `visit` on each string node that names a resource, in every Task of the tree.
fn collect_resource_strings(node: &Node, visit: &mut impl FnMut(&Node, ResourceField)) {
    match &node.value {
        Value::Object(members) => {
            if node.get("Type").and_then(Node::as_str) == Some("Task") {
                if let Some(resource) = node.get("Resource") {
                    visit(resource, ResourceField::TaskResource);
                }
                for payload in ["Parameters", "Arguments"].iter().filter_map(|k| node.get(k)) {
                    for field in ARGUMENT_FIELDS {
                        if let Some(value) = payload.get(field) {
                            visit(value, ResourceField::Argument(field));
                        }
                    }
                }
            }
            for m in members {
                collect_resource_strings(&m.value, visit);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_resource_strings(item, visit)),
        _ => {}
    }
}

/// Whether an ARN's account field is a placeholder to fill (anything but 12 digits; empty
/// fields, as in `arn:aws:states:::lambda:invoke`, are not).
fn is_placeholder_account(account: &str) -> bool {
    !account.is_empty() && check_name(NameKind::AccountId, account).is_err()
}

fn is_placeholder_region(region: &str) -> bool {
    !region.is_empty() && check_name(NameKind::Region, region).is_err()
}

/// The resource `value` as deployed to `target`: a Lambda function ARN moves to the target
/// region and account; another ARN or an SQS queue URL gets its placeholders filled. `None`
/// when nothing changes (names, integration ARNs, complete ARNs of other services).
pub fn deployed_resource(value: &str, target: ArnTarget<'_>) -> Option<String> {
    if let Some(rest) = value.strip_prefix("arn:") {
        let mut fields: Vec<&str> = rest.splitn(5, ':').collect();
        if fields.len() < 5 {
            return None;
        }
        let is_lambda_function = fields[1] == "lambda" && fields[4].starts_with("function:");
        if is_lambda_function || is_placeholder_region(fields[2]) {
            fields[2] = target.region;
        }
        if is_lambda_function || is_placeholder_account(fields[3]) {
            fields[3] = target.account;
        }
        let rewritten = format!("arn:{}", fields.join(":"));
        return (rewritten != value).then_some(rewritten);
    }
    // https://sqs.REGION.amazonaws.com/ACCOUNT/NAME
    if let Some(rest) = value.strip_prefix("https://sqs.") {
        let (host_region, path) = rest.split_once(".amazonaws.com/")?;
        let (account, name) = path.split_once('/')?;
        let region = if is_placeholder_region(host_region) { target.region } else { host_region };
        let account = if is_placeholder_account(account) { target.account } else { account };
        let rewritten = format!("https://sqs.{region}.amazonaws.com/{account}/{name}");
        return (rewritten != value).then_some(rewritten);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn export(text: &str, account: Option<&str>) -> String {
        let root = crate::asl::json::read(text).unwrap();
        let options = ExportOptions { account_id: account.map(str::to_string), ..ExportOptions::default() };
        asl_json(text, &root, &options)
    }

    #[test]
    fn without_an_account_the_export_is_the_text_itself() {
        assert_eq!(export(crate::seed::ORDER_WORKFLOW, None), crate::seed::ORDER_WORKFLOW);
    }

    #[test]
    fn a_given_account_changes_only_the_arns() {
        let out = export(crate::seed::ORDER_WORKFLOW, Some("123456789012"));
        assert_eq!(
            out,
            crate::seed::ORDER_WORKFLOW.replace("ACCOUNT_ID", "123456789012"),
            "only the four ARNs' account changes"
        );
    }

    #[test]
    fn lambda_arns_move_to_the_deploy_region_and_placeholders_fill() {
        let t = ArnTarget { account: "111122223333", region: "eu-west-3" };
        assert_eq!(
            deployed_resource("arn:aws:lambda:us-east-1:444455556666:function:F:prod", t).as_deref(),
            Some("arn:aws:lambda:eu-west-3:111122223333:function:F:prod")
        );
        assert_eq!(
            deployed_resource("arn:aws:sns:REGION:ACCOUNT_ID:Topic", t).as_deref(),
            Some("arn:aws:sns:eu-west-3:111122223333:Topic")
        );
        assert_eq!(deployed_resource("arn:aws:sns:us-east-1:444455556666:Topic", t), None);
        assert_eq!(deployed_resource("arn:aws:states:::lambda:invoke", t), None);
        assert_eq!(
            deployed_resource("https://sqs.eu-west-3.amazonaws.com/ACCOUNT_ID/Q", t).as_deref(),
            Some("https://sqs.eu-west-3.amazonaws.com/111122223333/Q")
        );
    }

    #[test]
    fn strings_outside_resource_fields_are_untouched() {
        let text = r#"{"StartAt":"arn:aws:lambda:x:ACCOUNT_ID:function:F","States":{"arn:aws:lambda:x:ACCOUNT_ID:function:F":{"Type":"Pass","Result":"arn:aws:lambda:x:ACCOUNT_ID:function:F","End":true}}}"#;
        assert_eq!(export(text, Some("123456789012")), text);
    }
}
