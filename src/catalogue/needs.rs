//! Which service files a definition needs: the catalogue service of every Task's resource,
//! branches and iterations included. The page fetches exactly these (and nothing else) before a
//! run or an export; natively every file is embedded and this only names them.
//!
//! It reads the definition's JSON, not its compiled program, so a definition with errors still
//! gets its files (the editor checks requests while the user is fixing it).

use std::collections::BTreeSet;

use serde_json::Value;

use super::Integration;

/// A Task state of a definition: where it is and what it calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskResource {
    /// JSON pointer of the state (`/States/Fetch`, `/States/Each/ItemProcessor/States/Put`).
    pub pointer: String,
    pub name: String,
    pub resource: String,
}

/// Every Task state with a literal `Resource`, in document order.
pub fn task_resources(definition: &Value) -> Vec<TaskResource> {
    crate::asl::walk::json::states(definition, crate::asl::walk::Reach::Written)
        .into_iter()
        .filter(|v| v.state.get("Type").and_then(Value::as_str) == Some("Task"))
        .filter_map(|v| {
            let resource = v.state.get("Resource").and_then(Value::as_str)?;
            Some(TaskResource { name: v.name.to_string(), resource: resource.to_string(), pointer: v.pointer })
        })
        .collect()
}

/// The catalogue service of a resource (`dynamodb` for `arn:aws:states:::dynamodb:getItem` and
/// for `arn:aws:states:::aws-sdk:dynamodb:getItem`; `lambda` for a function's ARN, whose errors
/// are Lambda's `Invoke`'s); `None` for what calls no API operation (an activity,
/// `apigateway:invoke`) or is not an integration.
pub fn service_of(resource: &str) -> Option<String> {
    let integration = Integration::parse(resource).ok()?;
    integration.operation().map(|(service, _)| service.to_string())
}

/// The file of a service, relative to the catalogue's directory (`dynamodb.json`); `None` for a
/// name no file can have (the page builds a URL from it: only lowercase letters and digits).
pub fn file_of(service: &str) -> Option<String> {
    let plain = !service.is_empty() && service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    plain.then(|| format!("{service}.json"))
}

/// The service files `definition` needs, sorted, each once.
pub fn services_used(definition: &Value) -> BTreeSet<String> {
    crate::asl::sort::set(task_resources(definition).iter().filter_map(|t| service_of(&t.resource)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_the_service_of_every_task_branches_and_iterations_included() {
        let definition = json!({"StartAt": "Get", "States": {
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Next": "Both"},
            "Both": {"Type": "Parallel", "Next": "Each", "Branches": [
                {"StartAt": "Orgs", "States": {"Orgs": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:listAccounts", "End": true}}},
                {"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 1, "End": true}}}
            ]},
            "Each": {"Type": "Map", "Next": "Old", "ItemProcessor": {"StartAt": "Put", "States": {
                "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject", "End": true}}}},
            "Old": {"Type": "Map", "Next": "Fn", "Iterator": {"StartAt": "Ec2", "States": {
                "Ec2": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "End": true}}}},
            "Fn": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:F", "Next": "Notify"},
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": "Again"},
            "Again": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:putItem", "End": true}
        }});
        let used: Vec<String> = services_used(&definition).into_iter().collect();
        assert_eq!(used, ["dynamodb", "ec2", "lambda", "organizations", "s3", "sns"]);
        let tasks = task_resources(&definition);
        assert_eq!(tasks.iter().map(|t| t.pointer.as_str()).collect::<Vec<_>>(), [
            "/States/Get",
            "/States/Both/Branches/0/States/Orgs",
            "/States/Each/ItemProcessor/States/Put",
            "/States/Old/Iterator/States/Ec2",
            "/States/Fn",
            "/States/Notify",
            "/States/Again",
        ]);
    }

    #[test]
    fn what_calls_no_operation_needs_no_file() {
        for resource in ["arn:aws:states:us-east-1:123456789012:activity:A", "not an arn", "arn:aws:states:::apigateway:invoke"] {
            assert_eq!(service_of(resource), None, "{resource}");
        }
        assert_eq!(service_of("arn:aws:states:::lambda:invoke"), Some("lambda".into()));
        assert_eq!(service_of("arn:aws:lambda:us-east-1:123456789012:function:F"), Some("lambda".into()));
        assert_eq!(service_of("arn:aws:states:::bedrock:invokeModel"), Some("bedrockruntime".into()));
        assert!(services_used(&json!({"StartAt": 1, "States": []})).is_empty(), "a broken definition needs nothing, and does not panic");
        assert_eq!(file_of("resourcegroupstaggingapi").as_deref(), Some("resourcegroupstaggingapi.json"));
        for odd in ["", "../x", "s3/../../secret", "DynamoDB", "a b", "x?y"] {
            assert_eq!(file_of(odd), None, "{odd}");
        }
    }
}
