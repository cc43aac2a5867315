//! The IAM policies of a deployment: the roles' trust policies, and the execution role's inline
//! policy, which names exactly the resources the definition uses (least privilege), plus the
//! log delivery and X-Ray permissions when logging and tracing are on.

use super::asl_json::{ArnTarget, deployed_resource};
use super::options::ExportOptions;
use super::iam::{Arn, Grant};
use super::resources::{DefinitionResources, queue_name};
use serde_json::{Value, json};

/// The trust policy that lets `service` (`lambda.amazonaws.com`) assume a role.
pub fn trust_policy(service: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]
    })
}

/// The managed policy the Lambda role gets, as in the course.
pub const LAMBDA_BASIC_EXECUTION_POLICY: &str = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

fn statement(sid: &str, actions: &[&str], resources: Vec<String>) -> Value {
    json!({"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources})
}

/// A grant's resource ARN for `target`.
fn arn_for(arn: &Arn, options: &ExportOptions, target: ArnTarget<'_>) -> String {
    let ArnTarget { account, region } = target;
    let filled = |value: &str| deployed_resource(value, target).unwrap_or_else(|| value.to_string());
    let name = &options.state_machine_name;
    match arn {
        Arn::Written(value) => filled(value),
        Arn::Local { service, rest } => format!("arn:aws:{service}:{region}:{account}:{rest}"),
        Arn::Global { service, rest } => format!("arn:aws:{service}::{account}:{rest}"),
        Arn::Literal(value) => value.clone(),
        Arn::QueueUrl(url) => {
            let url = filled(url);
            let queue = || -> Option<String> {
                let host_region = url.strip_prefix("https://sqs.")?.split(".amazonaws.com/").next()?.to_string();
                let queue_account = url.split('/').nth(3)?.to_string();
                Some(format!("arn:aws:sqs:{host_region}:{queue_account}:{}", queue_name(&url)?))
            };
            queue().unwrap_or_else(|| format!("arn:aws:sqs:{region}:{account}:{}", queue_name(&url).unwrap_or("*")))
        }
        Arn::ThisMachine => format!("arn:aws:states:{region}:{account}:stateMachine:{name}"),
        Arn::ThisMachineChildExecutions => format!("arn:aws:states:{region}:{account}:execution:{name}/*"),
    }
}

/// The grants as statements: the actions on each resource united, then the resources that get
/// the same actions (under the same statement id and condition) in one statement, in order of
/// first use. Ids shared by several statements are numbered.
fn grant_statements(grants: &[Grant], options: &ExportOptions, target: ArnTarget<'_>) -> Vec<Value> {
    type Key = (String, String, Option<Value>);
    let mut per_resource: Vec<(Key, Vec<String>)> = Vec::new();
    for grant in grants {
        let key = (grant.sid.clone(), arn_for(&grant.resource, options, target), grant.condition.clone());
        let at = match per_resource.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                per_resource.push((key, Vec::new()));
                per_resource.len() - 1
            }
        };
        for action in &grant.actions {
            if !per_resource[at].1.contains(action) {
                per_resource[at].1.push(action.clone());
            }
        }
    }
    // (sid, actions, condition) -> resources
    type Group = ((String, Vec<String>, Option<Value>), Vec<String>);
    let mut groups: Vec<Group> = Vec::new();
    for ((sid, resource, condition), actions) in per_resource {
        let key = (sid, actions, condition);
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, resources)) => resources.push(resource),
            None => groups.push((key, vec![resource])),
        }
    }
    let count = |sid: &str| groups.iter().filter(|((s, _, _), _)| s == sid).count();
    let mut seen: Vec<&str> = Vec::new();
    let mut statements = Vec::new();
    for ((sid, actions, condition), resources) in &groups {
        seen.push(sid);
        let id = if count(sid) > 1 { format!("{sid}{}", seen.iter().filter(|s| **s == sid.as_str()).count()) } else { sid.clone() };
        let actions: Vec<&str> = actions.iter().map(String::as_str).collect();
        let mut s = statement(&id, &actions, resources.clone());
        if let Some(condition) = condition {
            s["Condition"] = condition.clone();
        }
        statements.push(s);
    }
    statements
}

/// The execution role's inline policy, with ARNs written for `target`; `None` when the state
/// machine needs no permission at all (IAM refuses an empty policy).
pub fn execution_policy(resources: &DefinitionResources, options: &ExportOptions, target: ArnTarget<'_>) -> Option<Value> {
    let mut statements = grant_statements(&resources.grants, options, target);
    if options.logging_enabled() {
        statements.push(statement(
            "DeliverLogs",
            &[
                "logs:CreateLogDelivery",
                "logs:CreateLogStream",
                "logs:GetLogDelivery",
                "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery",
                "logs:ListLogDeliveries",
                "logs:PutLogEvents",
                "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies",
                "logs:DescribeLogGroups",
            ],
            vec!["*".to_string()],
        ));
    }
    if options.tracing {
        statements.push(statement(
            "Tracing",
            &["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
            vec!["*".to_string()],
        ));
    }
    (!statements.is_empty()).then(|| json!({"Version": "2012-10-17", "Statement": statements}))
}
