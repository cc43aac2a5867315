//! CloudFormation (YAML and JSON) and SAM templates with the same resources as `deploy.sh`:
//! the two roles with the same names and policies, the functions with their code inline, the
//! log group, the state machine and the alarm. The definition's ARNs go through
//! `DefinitionSubstitutions`: each Lambda ARN becomes `${<Function>Arn}`, and placeholder
//! accounts and regions `${AccountId}` and `${Region}`.
//!
//! Step Functions' resource provider replaces exactly `${key}` for each key of
//! `DefinitionSubstitutions` (repeatedly, with no escape syntax: `${!` would stay in the deployed
//! definition) and leaves any other `${...}` as written, while cfn-lint (E1029) reads any
//! `${Name}` of a definition that is no key as a forgotten `Fn::Sub`. So each literal `${Name}`
//! of the definition gets a substitution of its own, `Name: "\u0024{Name}"`: the provider writes
//! `\u0024{Name}` in its place, inside a JSON string, which is the same JSON string. That holds
//! for keys too (state names), where SAM's `Fn::Sub` could not go.
//! The YAML is written by [`super::yaml`], whose quoting no YAML reader misreads.

use super::ExportedDefinition;
use super::asl_json::{ArnTarget, deployed_resource, rewrite_resource_strings};
use super::aws_cli::function_source;
use super::options::ExportOptions;
use super::policy::{LAMBDA_BASIC_EXECUTION_POLICY, execution_policy, trust_policy};
use super::resources::lambda_function_name;
use super::yaml::to_yaml;
use crate::asl::json::{Node, Number, Value as JsonValue};
use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// Stand-ins for the stack's account and region in the policy before it becomes `Fn::Sub`.
const ACCOUNT: &str = "__STATECRAFT_STACK_ACCOUNT__";
const REGION: &str = "__STATECRAFT_STACK_REGION__";

/// Which template flavour to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavour {
    CloudFormation,
    Sam,
}

/// A CloudFormation logical id from a name: its letters and digits, and a suffix.
fn logical_id(name: &str, suffix: &str, taken: &[String]) -> String {
    let base: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    let base = if base.is_empty() { "Resource".to_string() } else { base };
    let mut id = format!("{base}{suffix}");
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}{n}{suffix}");
        n += 1;
    }
    id
}

/// `base`, or `base2`, `base3`... : the first whose `${...}` form is not already in `text`.
fn substitution_key(base: &str, text: &str) -> String {
    let mut key = base.to_string();
    let mut n = 2;
    while text.contains(&format!("${{{key}}}")) {
        key = format!("{base}{n}");
        n += 1;
    }
    key
}

/// A string for `Fn::Sub` in which the stand-ins become the stack's pseudo parameters and any
/// other `${` is literal.
fn sub(text: &str) -> Value {
    let escaped = text.replace("${", "${!");
    let text = escaped.replace(ACCOUNT, "${AWS::AccountId}").replace(REGION, "${AWS::Region}");
    if text.contains("${AWS::") { json!({"Fn::Sub": text}) } else { Value::String(text) }
}

/// Replaces the stand-ins in every string of a policy by `Fn::Sub`.
fn subbed(value: Value) -> Value {
    match value {
        Value::String(s) => sub(&s),
        Value::Array(items) => Value::Array(items.into_iter().map(subbed).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, subbed(v))).collect()),
        other => other,
    }
}

/// The names `X` of the `${X}` in `text` that cfn-lint and the provider read as placeholders
/// (`X` made of letters, digits and `_:.`), sorted, once each.
fn literal_placeholders(text: &str) -> BTreeSet<&str> {
    text.match_indices("${")
        .filter_map(|(at, _)| {
            let rest = &text[at + 2..];
            let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.'))).unwrap_or(rest.len());
            (name_len > 0 && rest[name_len..].starts_with('}')).then(|| &rest[..name_len])
        })
        .collect()
}

/// A template built as JSON, and for SAM the definition as read (number text kept), which goes
/// into the YAML as the state machine's `Definition`.
struct Template {
    json: Value,
    sam_definition: Option<Node>,
}

impl Template {
    /// The whole template as one tree, the SAM definition in its place.
    fn into_node(self) -> Node {
        let mut root = node_of(&self.json);
        if let Some(definition) = self.sam_definition
            && let Some(slot) = member_mut(&mut root, &["Resources", "StateMachine", "Properties", "Definition"])
        {
            *slot = definition;
        }
        root
    }
}

/// A `serde_json` value as a tree of [`Node`]s.
fn node_of(value: &Value) -> Node {
    Node::new(match value {
        Value::Null => JsonValue::Null,
        Value::Bool(b) => JsonValue::Bool(*b),
        Value::Number(n) => JsonValue::Number(Number::from_text(n.to_string())),
        Value::String(s) => JsonValue::String(s.clone()),
        Value::Array(items) => JsonValue::Array(items.iter().map(node_of).collect()),
        Value::Object(map) => return Node::object(map.iter().map(|(k, v)| (k.clone(), node_of(v)))),
    })
}

/// The value at `path` (object keys) below `node`.
fn member_mut<'a>(node: &'a mut Node, path: &[&str]) -> Option<&'a mut Node> {
    let Some((first, rest)) = path.split_first() else { return Some(node) };
    match &mut node.value {
        JsonValue::Object(members) => member_mut(&mut members.iter_mut().rev().find(|m| m.key == *first)?.value, rest),
        _ => None,
    }
}

fn template(definition: &ExportedDefinition, options: &ExportOptions, flavour: Flavour) -> Template {
    let functions = &definition.resources.functions;
    let mut resources = Map::new();
    let mut function_ids: Vec<String> = Vec::new();
    for f in functions {
        let id = logical_id(&f.name, "Function", &function_ids);
        function_ids.push(id);
    }
    let mut substitutions = Map::new();
    // The definition, with its ARNs as substitution keys. Step Functions' resource replaces
    // exactly `${key}` for each key of DefinitionSubstitutions and leaves any other `${...}` as
    // written (it has no escape syntax), so a key is chosen that the definition does not
    // already hold as `${key}`: a literal `${AccountId}` in a Pass result survives.
    let text = &definition.text;
    let account_key = substitution_key("AccountId", text);
    let region_key = substitution_key("Region", text);
    let function_keys: Vec<String> = function_ids.iter().map(|id| substitution_key(&format!("{id}Arn"), text)).collect();
    let definition_text = {
        let (account, region) = (format!("${{{account_key}}}"), format!("${{{region_key}}}"));
        let target = ArnTarget { account: &account, region: &region };
        rewrite_resource_strings(&definition.text, &definition.root, |value, _| {
            if let Some(name) = lambda_function_name(value) {
                let i = functions.iter().position(|f| f.name == name)?;
                let key = &function_keys[i];
                substitutions.insert(key.clone(), json!({"Fn::GetAtt": [function_ids[i], "Arn"]}));
                let qualifier = value.splitn(8, ':').nth(7).map(|q| format!(":{q}")).unwrap_or_default();
                return Some(format!("${{{key}}}{qualifier}"));
            }
            let filled = deployed_resource(value, target)?;
            if filled.contains(&account) {
                substitutions.insert(account_key.clone(), json!({"Ref": "AWS::AccountId"}));
            }
            if filled.contains(&region) {
                substitutions.insert(region_key.clone(), json!({"Ref": "AWS::Region"}));
            }
            Some(filled)
        })
    };

    resources.insert(
        "LambdaRole".into(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": options.lambda_role_name,
                "AssumeRolePolicyDocument": trust_policy("lambda.amazonaws.com"),
                "ManagedPolicyArns": [{"Fn::Sub": LAMBDA_BASIC_EXECUTION_POLICY.replacen("arn:aws:", "arn:${AWS::Partition}:", 1)}],
            }
        }),
    );
    for (f, id) in functions.iter().zip(&function_ids) {
        let properties = match flavour {
            Flavour::CloudFormation => json!({
                "FunctionName": f.name,
                "Runtime": options.lambda_runtime,
                "Handler": "index.lambda_handler",
                "Role": {"Fn::GetAtt": ["LambdaRole", "Arn"]},
                "Code": {"ZipFile": function_source(&f.name)},
            }),
            Flavour::Sam => json!({
                "FunctionName": f.name,
                "Runtime": options.lambda_runtime,
                "Handler": "index.lambda_handler",
                "Role": {"Fn::GetAtt": ["LambdaRole", "Arn"]},
                "InlineCode": function_source(&f.name),
            }),
        };
        let kind = if flavour == Flavour::Sam { "AWS::Serverless::Function" } else { "AWS::Lambda::Function" };
        resources.insert(id.clone(), json!({"Type": kind, "Properties": properties}));
    }
    if options.logging_enabled() {
        resources.insert(
            "StateMachineLogGroup".into(),
            json!({"Type": "AWS::Logs::LogGroup", "Properties": {"LogGroupName": options.logging.log_group}}),
        );
    }
    let mut role_properties = json!({
        "RoleName": options.execution_role_name,
        "AssumeRolePolicyDocument": trust_policy("states.amazonaws.com"),
    });
    if let Some(policy) = execution_policy(&definition.resources, options, ArnTarget { account: ACCOUNT, region: REGION }) {
        role_properties["Policies"] = json!([{"PolicyName": options.execution_policy_name, "PolicyDocument": subbed(policy)}]);
    }
    resources.insert("ExecutionRole".into(), json!({"Type": "AWS::IAM::Role", "Properties": role_properties}));

    let mut machine = Map::new();
    let logging = if options.logging_enabled() {
        json!({
            "Level": options.logging.level.api_name(),
            "IncludeExecutionData": options.logging.include_execution_data,
            "Destinations": [{"CloudWatchLogsLogGroup": {"LogGroupArn": {"Fn::GetAtt": ["StateMachineLogGroup", "Arn"]}}}],
        })
    } else {
        json!({"Level": "OFF"})
    };
    match flavour {
        Flavour::CloudFormation => {
            machine.insert("StateMachineName".into(), json!(options.state_machine_name));
            machine.insert("StateMachineType".into(), json!(options.workflow_type.api_name()));
            machine.insert("RoleArn".into(), json!({"Fn::GetAtt": ["ExecutionRole", "Arn"]}));
            machine.insert("DefinitionString".into(), json!(definition_text));
            machine.insert("LoggingConfiguration".into(), logging);
            machine.insert("TracingConfiguration".into(), json!({"Enabled": options.tracing}));
        }
        Flavour::Sam => {
            machine.insert("Name".into(), json!(options.state_machine_name));
            machine.insert("Type".into(), json!(options.workflow_type.api_name()));
            machine.insert("Role".into(), json!({"Fn::GetAtt": ["ExecutionRole", "Arn"]}));
            // Filled in by `Template::into_node` with the definition read as it is written.
            machine.insert("Definition".into(), Value::Null);
            if options.logging_enabled() {
                machine.insert("Logging".into(), logging);
            }
            machine.insert("Tracing".into(), json!({"Enabled": options.tracing}));
        }
    }
    for name in literal_placeholders(text) {
        substitutions.insert(name.to_string(), json!(format!("\\u0024{{{name}}}")));
    }
    if !substitutions.is_empty() {
        machine.insert("DefinitionSubstitutions".into(), Value::Object(substitutions));
    }
    let machine_kind = if flavour == Flavour::Sam { "AWS::Serverless::StateMachine" } else { "AWS::StepFunctions::StateMachine" };
    resources.insert("StateMachine".into(), json!({"Type": machine_kind, "Properties": machine}));

    if let Some(alarm) = &options.alarm {
        resources.insert(
            "AlarmTopic".into(),
            json!({"Type": "AWS::SNS::Topic", "Properties": {
                "TopicName": options.alarm_topic_name(),
                "Subscription": [{"Protocol": "email", "Endpoint": alarm.email}],
            }}),
        );
        resources.insert(
            "ExecutionsFailedAlarm".into(),
            json!({"Type": "AWS::CloudWatch::Alarm", "Properties": {
                "AlarmName": options.alarm_name(),
                "Namespace": "AWS/States",
                "MetricName": "ExecutionsFailed",
                "Dimensions": [{"Name": "StateMachineArn", "Value": {"Ref": "StateMachine"}}],
                "Statistic": "Sum",
                "Period": 300,
                "EvaluationPeriods": 1,
                "Threshold": 1,
                "ComparisonOperator": "GreaterThanOrEqualToThreshold",
                "TreatMissingData": "notBreaching",
                "AlarmActions": [{"Ref": "AlarmTopic"}],
            }}),
        );
    }

    let mut root = Map::new();
    root.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    if flavour == Flavour::Sam {
        root.insert("Transform".into(), json!("AWS::Serverless-2016-10-31"));
    }
    root.insert(
        "Description".into(),
        json!(format!("State machine {} and the Lambda functions it invokes. Generated by Statecraft.", options.state_machine_name)),
    );
    root.insert("Resources".into(), Value::Object(resources));
    root.insert(
        "Outputs".into(),
        json!({"StateMachineArn": {"Description": "The state machine's ARN", "Value": {"Ref": "StateMachine"}}}),
    );
    let sam_definition = (flavour == Flavour::Sam).then(|| crate::asl::json::read(&definition_text).unwrap_or_else(|_| Node::new(JsonValue::Null)));
    Template { json: Value::Object(root), sam_definition }
}

/// The CloudFormation template, as JSON (with the characters YAML readers misread escaped:
/// cfn-lint reads it with one).
pub fn cloudformation_json(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    let text = serde_json::to_string_pretty(&template(definition, options, Flavour::CloudFormation).json).unwrap_or_default();
    let mut text = super::yaml::json_for_yaml_readers(&text);
    text.push('\n');
    text
}

/// The CloudFormation template, as YAML.
pub fn cloudformation_yaml(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    to_yaml(&template(definition, options, Flavour::CloudFormation).into_node())
}

/// The SAM template, as YAML: serverless functions with inline code, and the state machine.
pub fn sam_yaml(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    to_yaml(&template(definition, options, Flavour::Sam).into_node())
}
