//! The IAM policies of a deployment: the roles' trust policies, and the execution role's inline
//! policy, which names exactly the resources the definition uses (least privilege), plus the
//! log delivery and X-Ray permissions when logging and tracing are on.

use super::asl_json::{ArnTarget, deployed_resource};
use super::options::ExportOptions;
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

/// The execution role's inline policy, with ARNs written for `target`; `None` when the state
/// machine needs no permission at all (IAM refuses an empty policy).
pub fn execution_policy(resources: &DefinitionResources, options: &ExportOptions, target: ArnTarget<'_>) -> Option<Value> {
    let ArnTarget { account, region } = target;
    let filled = |value: &str| deployed_resource(value, target).unwrap_or_else(|| value.to_string());
    let mut statements = Vec::new();
    if !resources.functions.is_empty() {
        let arns = resources
            .functions
            .iter()
            .flat_map(|f| {
                let arn = format!("arn:aws:lambda:{region}:{account}:function:{}", f.name);
                [arn.clone(), format!("{arn}:*")]
            })
            .collect();
        statements.push(statement("InvokeLambdaFunctions", &["lambda:InvokeFunction"], arns));
    }
    if !resources.topics.is_empty() {
        statements.push(statement("PublishToTopics", &["sns:Publish"], resources.topics.iter().map(|t| filled(t)).collect()));
    }
    if !resources.queues.is_empty() {
        let arns = resources
            .queues
            .iter()
            .filter_map(|url| {
                let url = filled(url);
                let host_region = url.strip_prefix("https://sqs.")?.split(".amazonaws.com/").next()?.to_string();
                let queue_account = url.split('/').nth(3)?.to_string();
                Some(format!("arn:aws:sqs:{host_region}:{queue_account}:{}", queue_name(&url)?))
            })
            .collect();
        statements.push(statement("SendToQueues", &["sqs:SendMessage"], arns));
    }
    for (i, table) in resources.tables.iter().enumerate() {
        let actions: Vec<&str> = table.actions.iter().copied().collect();
        let arn = format!("arn:aws:dynamodb:{region}:{account}:table/{}", table.name);
        statements.push(statement(&format!("UseTable{}", i + 1), &actions, vec![arn]));
    }
    if !resources.nested_executions.is_empty() {
        let machines: Vec<String> = resources.nested_executions.iter().map(|n| filled(&n.arn)).collect();
        statements.push(statement("StartNestedExecutions", &["states:StartExecution"], machines));
        let waited: Vec<String> = resources
            .nested_executions
            .iter()
            .filter(|n| n.waits_for_completion)
            .map(|n| filled(&n.arn).replacen(":stateMachine:", ":execution:", 1) + ":*")
            .collect();
        if !waited.is_empty() {
            statements.push(statement("FollowNestedExecutions", &["states:DescribeExecution", "states:StopExecution"], waited));
            statements.push(statement(
                "NestedExecutionEvents",
                &["events:PutTargets", "events:PutRule", "events:DescribeRule"],
                vec![format!("arn:aws:events:{region}:{account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule")],
            ));
        }
    }
    for (i, runtime) in resources.runtime_targets.iter().enumerate() {
        let any = match runtime.service {
            "lambda" => format!("arn:aws:lambda:{region}:{account}:function:*"),
            "dynamodb" => format!("arn:aws:dynamodb:{region}:{account}:table/*"),
            "states" => format!("arn:aws:states:{region}:{account}:stateMachine:*"),
            service => format!("arn:aws:{service}:{region}:{account}:*"),
        };
        statements.push(statement(&format!("RuntimeTarget{}", i + 1), &runtime.actions, vec![any]));
    }
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
