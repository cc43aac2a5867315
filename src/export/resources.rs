//! What a definition uses: the AWS resources its Task states call, found in the typed model
//! (`Resource`, and `Parameters`/`Arguments` of the service integrations). The deploy creates
//! the Lambda functions; the others (topics, queues, tables, nested state machines) are the
//! user's, and only appear in the execution role's policy.

use crate::asl::json::Node;
use crate::asl::model::{StateKind, StateMachine};
use std::collections::BTreeSet;

/// A Lambda function the definition invokes, directly or through `lambda:invoke`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionUse {
    /// The function's name, without qualifier.
    pub name: String,
}

/// A DynamoDB table and the item actions the definition performs on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableUse {
    pub name: String,
    /// IAM actions: `dynamodb:GetItem`, ...
    pub actions: BTreeSet<&'static str>,
}

/// A state machine the definition starts (`states:startExecution`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NestedExecution {
    /// Its ARN, as written in the definition.
    pub arn: String,
    /// `.sync` or `.sync:2`: Step Functions also describes and stops it, through an EventBridge rule.
    pub waits_for_completion: bool,
}

/// A service call whose target is chosen at run time (`"TopicArn.$": "$.topic"`): the policy
/// can only grant it by wildcard over the account's resources of that service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeTarget {
    pub state: String,
    /// The IAM actions the call needs: `sns:Publish`.
    pub actions: Vec<&'static str>,
    /// `lambda`, `sns`, `sqs`, `dynamodb`, `states`.
    pub service: &'static str,
}

/// Everything the definition calls, each resource once, in order of first use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefinitionResources {
    pub functions: Vec<FunctionUse>,
    /// SNS topic ARNs.
    pub topics: Vec<String>,
    /// SQS queue URLs.
    pub queues: Vec<String>,
    pub tables: Vec<TableUse>,
    pub nested_executions: Vec<NestedExecution>,
    pub runtime_targets: Vec<RuntimeTarget>,
    /// `Resource` values this exporter does not know how to grant (activities, other
    /// integrations), with the state that uses them.
    pub unsupported: Vec<(String, String)>,
}

/// The service integration prefix of optimized and SDK integrations.
const INTEGRATION_PREFIX: &str = "arn:aws:states:::";

impl DefinitionResources {
    /// Scans every Task state of `machine`, Parallel branches and Map processors included.
    pub fn scan(machine: &StateMachine) -> Self {
        let mut found = DefinitionResources::default();
        found.scan_machine(machine);
        found
    }

    fn scan_machine(&mut self, machine: &StateMachine) {
        for named in &machine.states {
            match &named.state.kind {
                StateKind::Task(task) => {
                    let payload = named.state.data.parameters.as_ref().or(named.state.data.arguments.as_ref());
                    if let Some(resource) = &task.resource {
                        self.scan_task(&named.name, resource, payload);
                    }
                }
                StateKind::Parallel(parallel) => {
                    for branch in parallel.branches.iter().flatten() {
                        self.scan_machine(branch);
                    }
                }
                StateKind::Map(map) => {
                    if let Some(processor) = map.processor() {
                        self.scan_machine(processor);
                    }
                }
                _ => {}
            }
        }
    }

    fn scan_task(&mut self, state: &str, resource: &str, payload: Option<&Node>) {
        if let Some(name) = lambda_function_name(resource) {
            self.add_function(name);
            return;
        }
        let Some(integration) = resource.strip_prefix(INTEGRATION_PREFIX) else {
            self.unsupported.push((state.to_string(), resource.to_string()));
            return;
        };
        // lambda:invoke.waitForTaskToken -> ("lambda:invoke", ".waitForTaskToken")
        let (action, pattern) = match integration.find('.') {
            Some(dot) => (&integration[..dot], &integration[dot..]),
            None => (integration, ""),
        };
        let argument = |key: &str| payload_argument(payload, key);
        let mut runtime = |service: &'static str, actions: Vec<&'static str>| {
            self.runtime_targets.push(RuntimeTarget { state: state.to_string(), actions, service })
        };
        match action {
            "lambda:invoke" => match argument("FunctionName") {
                Argument::Static(name) => match function_name_of(&name) {
                    Some(name) => self.add_function(name),
                    None => self.unsupported.push((state.to_string(), format!("FunctionName {name}"))),
                },
                Argument::Runtime | Argument::Missing => runtime("lambda", vec!["lambda:InvokeFunction"]),
            },
            "sns:publish" => match argument("TopicArn") {
                Argument::Static(arn) => push_once(&mut self.topics, arn),
                Argument::Runtime | Argument::Missing => runtime("sns", vec!["sns:Publish"]),
            },
            "sqs:sendMessage" => match argument("QueueUrl") {
                Argument::Static(url) => push_once(&mut self.queues, url),
                Argument::Runtime | Argument::Missing => runtime("sqs", vec!["sqs:SendMessage"]),
            },
            "dynamodb:getItem" | "dynamodb:putItem" | "dynamodb:updateItem" | "dynamodb:deleteItem" => {
                let iam_action = match action {
                    "dynamodb:getItem" => "dynamodb:GetItem",
                    "dynamodb:putItem" => "dynamodb:PutItem",
                    "dynamodb:updateItem" => "dynamodb:UpdateItem",
                    _ => "dynamodb:DeleteItem",
                };
                match argument("TableName") {
                    Argument::Static(name) => match self.tables.iter_mut().find(|t| t.name == name) {
                        Some(table) => {
                            table.actions.insert(iam_action);
                        }
                        None => self.tables.push(TableUse { name, actions: BTreeSet::from([iam_action]) }),
                    },
                    Argument::Runtime | Argument::Missing => runtime("dynamodb", vec![iam_action]),
                }
            }
            "states:startExecution" => {
                let waits_for_completion = pattern.starts_with(".sync");
                match argument("StateMachineArn") {
                    Argument::Static(arn) => {
                        match self.nested_executions.iter_mut().find(|n| n.arn == arn) {
                            Some(nested) => nested.waits_for_completion |= waits_for_completion,
                            None => self.nested_executions.push(NestedExecution { arn, waits_for_completion }),
                        }
                    }
                    Argument::Runtime | Argument::Missing => runtime("states", vec!["states:StartExecution"]),
                }
            }
            _ => self.unsupported.push((state.to_string(), resource.to_string())),
        }
    }

    fn add_function(&mut self, name: String) {
        if !self.functions.iter().any(|f| f.name == name) {
            self.functions.push(FunctionUse { name });
        }
    }
}

fn push_once(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// A service-integration argument: written as a literal, chosen at run time, or absent.
enum Argument {
    Static(String),
    Runtime,
    Missing,
}

/// The argument `key` of a Task's `Parameters` (JSONPath: `key` or `key.$`) or `Arguments`
/// (JSONata: a literal, or a `{% %}` expression).
fn payload_argument(payload: Option<&Node>, key: &str) -> Argument {
    let Some(payload) = payload else { return Argument::Missing };
    if payload.get(&format!("{key}.$")).is_some() {
        return Argument::Runtime;
    }
    match payload.get(key).and_then(Node::as_str) {
        Some(text) if crate::asl::model::is_jsonata_expression(text) => Argument::Runtime,
        Some(text) => Argument::Static(text.to_string()),
        None if payload.get(key).is_some() => Argument::Runtime,
        None => Argument::Missing,
    }
}

/// The function name of a Lambda function ARN `arn:aws:lambda:region:account:function:NAME[:qualifier]`.
pub fn lambda_function_name(arn: &str) -> Option<String> {
    let fields: Vec<&str> = arn.split(':').collect();
    if fields.len() >= 7 && fields[0] == "arn" && fields[2] == "lambda" && fields[5] == "function" && !fields[6].is_empty() {
        Some(fields[6].to_string())
    } else {
        None
    }
}

/// The function name in a `lambda:invoke` `FunctionName`: a name, `name:qualifier`, a partial
/// ARN `account:function:name` or a full ARN.
pub fn function_name_of(function_name: &str) -> Option<String> {
    if function_name.starts_with("arn:") {
        return lambda_function_name(function_name);
    }
    let fields: Vec<&str> = function_name.split(':').collect();
    let name = match fields.as_slice() {
        [_, "function", name, ..] => name,
        [name, ..] => name,
        [] => return None,
    };
    (!name.is_empty()).then(|| name.to_string())
}

/// The queue name of an SQS queue URL `https://sqs.region.amazonaws.com/account/name`.
pub fn queue_name(url: &str) -> Option<&str> {
    url.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty() && !n.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> DefinitionResources {
        let (_, lowered) = crate::asl::lower::lower_text(text).unwrap();
        DefinitionResources::scan(&lowered.machine)
    }

    #[test]
    fn the_seed_uses_its_four_functions() {
        let found = scan(crate::seed::ORDER_WORKFLOW);
        let names: Vec<&str> = found.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ValidateInput", "ProcessData", "SendNotification", "HandleError"]);
        assert!(found.unsupported.is_empty() && found.runtime_targets.is_empty());
    }

    #[test]
    fn finds_integrations_in_branches_and_processors() {
        let found = scan(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
              {"StartAt":"I","States":{"I":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:Fn:$LATEST","Payload.$":"$"},"Next":"S"},
                "S":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn":"arn:aws:sns:eu-west-3:ACCOUNT_ID:Topic","Message":"x"},"Next":"D"},
                "D":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","Parameters":{"TableName":"Orders","Item":{}},"Next":"G"},
                "G":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItem","Parameters":{"TableName":"Orders","Key":{}},"End":true}}},
              {"StartAt":"M","States":{"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Q","States":{
                "Q":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"QueueUrl":"https://sqs.eu-west-3.amazonaws.com/ACCOUNT_ID/Q","MessageBody.$":"$"},"Next":"N"},
                "N":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync:2","Parameters":{"StateMachineArn":"arn:aws:states:eu-west-3:ACCOUNT_ID:stateMachine:Child"},"Next":"R"},
                "R":{"Type":"Task","Resource":"arn:aws:states:::sns:publish","Parameters":{"TopicArn.$":"$.topic"},"End":true}}}}}}]}}}"#,
        );
        assert_eq!(found.functions, [FunctionUse { name: "Fn".into() }]);
        assert_eq!(found.topics, ["arn:aws:sns:eu-west-3:ACCOUNT_ID:Topic"]);
        assert_eq!(found.queues, ["https://sqs.eu-west-3.amazonaws.com/ACCOUNT_ID/Q"]);
        assert_eq!(found.tables[0].actions.iter().copied().collect::<Vec<_>>(), ["dynamodb:GetItem", "dynamodb:PutItem"]);
        assert!(found.nested_executions[0].waits_for_completion);
        assert_eq!(found.runtime_targets[0].state, "R");
    }

    #[test]
    fn reads_function_names_in_every_form() {
        assert_eq!(function_name_of("Fn").as_deref(), Some("Fn"));
        assert_eq!(function_name_of("Fn:prod").as_deref(), Some("Fn"));
        assert_eq!(function_name_of("123456789012:function:Fn").as_deref(), Some("Fn"));
        assert_eq!(function_name_of("arn:aws:lambda:eu-west-3:123456789012:function:Fn:1").as_deref(), Some("Fn"));
        assert_eq!(queue_name("https://sqs.eu-west-3.amazonaws.com/123456789012/Q"), Some("Q"));
    }
}
