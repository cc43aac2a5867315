//! CloudFormation (YAML and JSON) and SAM templates with the same resources as `deploy.sh`:
//! the two roles with the same names and policies, the functions with their code inline, the
//! log group, the state machine and the alarm. The definition's ARNs go through
//! `DefinitionSubstitutions`: each Lambda ARN becomes `${<Function>Arn}`, and placeholder
//! accounts and regions `${AccountId}` and `${Region}`.

use super::ExportedDefinition;
use super::asl_json::{ArnTarget, deployed_resource, rewrite_resource_strings};
use super::aws_cli::function_source;
use super::options::ExportOptions;
use super::policy::{LAMBDA_BASIC_EXECUTION_POLICY, execution_policy, trust_policy};
use super::resources::lambda_function_name;
use serde_json::{Map, Value, json};

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

fn template(definition: &ExportedDefinition, options: &ExportOptions, flavour: Flavour) -> Value {
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
            let parsed: Value = serde_json::from_str(&definition_text).unwrap_or(Value::Null);
            machine.insert("Definition".into(), parsed);
            if options.logging_enabled() {
                machine.insert("Logging".into(), logging);
            }
            machine.insert("Tracing".into(), json!({"Enabled": options.tracing}));
        }
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
    Value::Object(root)
}

/// The CloudFormation template, as JSON.
pub fn cloudformation_json(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    let mut text = serde_json::to_string_pretty(&template(definition, options, Flavour::CloudFormation)).unwrap_or_default();
    text.push('\n');
    text
}

/// The CloudFormation template, as YAML.
pub fn cloudformation_yaml(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    to_yaml(&template(definition, options, Flavour::CloudFormation))
}

/// The SAM template, as YAML: serverless functions with inline code, and the state machine.
pub fn sam_yaml(definition: &ExportedDefinition, options: &ExportOptions) -> String {
    to_yaml(&template(definition, options, Flavour::Sam))
}

/// Block-style YAML for a JSON value: keys plain, strings plain only when unambiguous, else
/// double-quoted with JSON escapes (valid YAML); multi-line strings as literal blocks.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn write_map(out: &mut String, map: &Map<String, Value>, indent: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 || !out.ends_with("- ") {
            out.push_str(&" ".repeat(indent));
        }
        out.push_str(&key_text(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

fn write_value(out: &mut String, value: &Value, indent: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, indent + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                out.push_str(&" ".repeat(indent + 2));
                out.push_str("- ");
                match item {
                    Value::Object(map) if !map.is_empty() => write_map(out, map, indent + 4),
                    Value::Array(inner) if !inner.is_empty() => {
                        // A nested sequence: put it on its own lines under the dash.
                        out.push_str("\n");
                        let mut nested = String::new();
                        write_value(&mut nested, item, indent + 2);
                        out.push_str(nested.trim_start_matches('\n'));
                    }
                    other => {
                        let mut line = String::new();
                        write_value(&mut line, other, indent + 2);
                        out.push_str(line.trim_start_matches(' '));
                    }
                }
            }
        }
        Value::String(s) if s.contains('\n') && block_safe(s) => {
            let chomp = if s.ends_with("\n\n") {
                "+"
            } else if s.ends_with('\n') {
                ""
            } else {
                "-"
            };
            out.push_str(&format!(" |{chomp}\n"));
            for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
                if !line.is_empty() {
                    out.push_str(&" ".repeat(indent + 2));
                    out.push_str(line);
                }
                out.push('\n');
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// Whether a multi-line string reads back the same from a literal block: its first line is not
/// indented, and it has no tab, carriage return or other control character.
fn block_safe(s: &str) -> bool {
    !s.starts_with([' ', '\n']) && !s.chars().any(|c| c.is_control() && c != '\n')
}

fn key_text(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_' || c == '-') && !key.ends_with(':') {
        key.to_string()
    } else {
        serde_json::to_string(key).unwrap_or_default()
    }
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => {
            let plain = !s.is_empty()
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-./:".contains(c))
                && !s.contains(": ")
                && !s.ends_with(':')
                && !matches!(s.to_ascii_lowercase().as_str(), "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n");
            if plain { s.clone() } else { serde_json::to_string(s).unwrap_or_default() }
        }
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        other => other.to_string(),
    }
}
