//! What a definition uses, read for its execution role: every Task state (Parallel branches and
//! Map processors included, at any depth), every Distributed Map's child executions, `ItemReader`
//! and `ResultWriter`, each turned into [`Grant`]s (IAM actions on resource ARNs) by
//! [`super::iam`]. The deploy creates the Lambda functions; the other resources are the user's
//! and only appear in the execution role's policy.
//!
//! What cannot be known before a run (a path `.$`, a JSONata `{% %}`, a `${...}` placeholder)
//! gets the narrowest wildcard and an [`ExportWarning`] naming the state and the field, so that a
//! policy is never silently incomplete.

use super::iam::{self, Arn, Grant};
use crate::asl::json::Node;
use crate::asl::model::{StateKind, StateMachine};
use crate::asl::walk::{Reach, Walk};
use crate::catalogue::Catalogue;
use std::collections::BTreeSet;
use std::fmt;

/// A Lambda function the definition invokes, directly or through `lambda:invoke`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionUse {
    /// The function's name, without qualifier.
    pub name: String,
}

/// A DynamoDB table the definition names, and the actions it performs on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableUse {
    pub name: String,
    /// IAM actions: `dynamodb:GetItem`, ...
    pub actions: BTreeSet<String>,
}

/// Something the exporter could not grant exactly: a resource known only at run time (granted
/// by the narrowest wildcard), an action it cannot derive. Located on the state and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportWarning {
    /// The state's name.
    pub state: String,
    /// The field, as a JSON pointer into the definition (`/States/Save/Parameters/TableName.$`).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for ExportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "state {:?} ({}): {}", self.state, self.pointer, self.message)
    }
}

/// The warnings as lines to show, one per message: a message that several states share (every
/// Task calling the same `${Function.Arn}` placeholder) is said once, with the states it
/// concerns (the first five by name, then how many more), in the order of first appearance.
pub fn grouped(warnings: &[ExportWarning]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&ExportWarning>)> = Vec::new();
    for warning in warnings {
        match groups.iter_mut().find(|(message, _)| *message == warning.message) {
            Some((_, members)) => members.push(warning),
            None => groups.push((&warning.message, vec![warning])),
        }
    }
    groups
        .into_iter()
        .map(|(message, members)| match members.as_slice() {
            [one] => one.to_string(),
            many => {
                let named: Vec<String> = many.iter().take(5).map(|w| format!("{:?}", w.state)).collect();
                let more = match many.len().saturating_sub(5) {
                    0 => String::new(),
                    n => format!(" and {n} more"),
                };
                format!("{} states ({}{more}): {message}", many.len(), named.join(", "))
            }
        })
        .collect()
}

/// Everything the definition calls, each resource once, in order of first use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DefinitionResources {
    pub functions: Vec<FunctionUse>,
    pub tables: Vec<TableUse>,
    /// What the execution role must allow, in order of first use (merged into statements by
    /// [`super::policy`]).
    pub grants: Vec<Grant>,
    pub warnings: Vec<ExportWarning>,
}

/// A JSON pointer token: `~` and `/` escaped.
fn token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Where a Task is: its name and its JSON pointer.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    pub state: &'a str,
    pub pointer: String,
}

impl At<'_> {
    pub(crate) fn field(&self, field: &str) -> String {
        format!("{}/{}", self.pointer, field.split('/').map(token).collect::<Vec<_>>().join("/"))
    }
}

impl DefinitionResources {
    /// Scans `machine` with the catalogue embedded in native builds (none in the page's build:
    /// then `aws-sdk:` actions are derived from their names, with a warning).
    pub fn scan(machine: &StateMachine) -> Self {
        // The page's build has no catalogue: `aws-sdk:` actions are then derived from the
        // operation's name, with a warning.
        Self::scan_with(machine, &crate::catalogue::Catalogue::built_in())
    }

    /// Scans every Task state of `machine`, Parallel branches and Map processors included, with
    /// `catalogue` for the `aws-sdk:` IAM actions.
    pub fn scan_with(machine: &StateMachine, catalogue: &Catalogue) -> Self {
        let mut found = DefinitionResources::default();
        found.scan_machine(machine, catalogue);
        found
    }

    fn scan_machine(&mut self, machine: &StateMachine, catalogue: &Catalogue) {
        // Depth first, as an execution enters them: a Map's grants come before its processor's.
        for visit in Walk::new(machine, Reach::Run).depth_first() {
            let at = At { state: visit.name, pointer: visit.pointer.to_string() };
            let data = &visit.state.data;
            match &visit.state.kind {
                StateKind::Task(task) => {
                    let (payload, key) = match (&data.parameters, &data.arguments) {
                        (Some(p), _) => (Some(p), "Parameters"),
                        (None, Some(a)) => (Some(a), "Arguments"),
                        (None, None) => (None, "Parameters"),
                    };
                    match &task.resource {
                        Some(resource) => {
                            let call = iam::Call { at: &at, resource, payload, payload_key: key, credentials: task.credentials.as_ref() };
                            iam::task_grants(self, &call, catalogue);
                        }
                        None => self.warn(&at, &at.field("Resource"), "the Task has no Resource: no permission derived".into()),
                    }
                }
                StateKind::Map(map) => {
                    let distributed = map.processor().and_then(|p| p.processor_config.as_ref()).and_then(|c| c.mode.as_deref()) == Some("DISTRIBUTED");
                    if distributed {
                        iam::distributed_map_grants(self, &at, map);
                    }
                }
                _ => {}
            }
        }
    }

    /// Adds a grant of `actions` on `resource`.
    pub(crate) fn grant(&mut self, sid: &'static str, actions: &[&str], resource: Arn) {
        self.grants.push(Grant { sid: sid.to_string(), actions: actions.iter().map(|a| a.to_string()).collect(), resource, condition: None });
    }

    pub(crate) fn grant_owned(&mut self, grant: Grant) {
        self.grants.push(grant);
    }

    /// A warning on `pointer` of the state at `at`, once.
    pub(crate) fn warn(&mut self, at: &At<'_>, pointer: &str, message: String) {
        let warning = ExportWarning { state: at.state.to_string(), pointer: pointer.to_string(), message };
        if !self.warnings.contains(&warning) {
            self.warnings.push(warning);
        }
    }

    pub(crate) fn add_function(&mut self, name: String) {
        if !self.functions.iter().any(|f| f.name == name) {
            self.functions.push(FunctionUse { name });
        }
    }

    pub(crate) fn add_table(&mut self, name: &str, actions: &[String]) {
        match self.tables.iter_mut().find(|t| t.name == name) {
            Some(table) => table.actions.extend(actions.iter().cloned()),
            None => self.tables.push(TableUse { name: name.to_string(), actions: actions.iter().cloned().collect() }),
        }
    }
}

/// A service-integration argument: written as a literal, chosen at run time, or absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Argument {
    Static(String),
    /// Not known from the definition: the field as written (`TableName.$`, or `TableName`
    /// holding a JSONata expression or a `${...}` placeholder). A path or an expression is
    /// known at run time; a template's placeholder (`placeholder`, `${DDBTable}`) when the
    /// template is deployed, which is not the same advice to the reader.
    Runtime { field: String, placeholder: Option<String> },
    Missing,
}

/// The argument `key` of a Task's `Parameters` (JSONPath: `key` or `key.$`) or `Arguments`
/// (JSONata: a literal, or a `{% %}` expression), or of a nested object (`key` = `A/B`).
pub(crate) fn payload_argument(payload: Option<&Node>, key: &str) -> Argument {
    let Some(mut node) = payload else { return Argument::Missing };
    let mut path: Vec<&str> = key.split('/').collect();
    let last = path.pop().unwrap_or_default();
    let mut written = String::new();
    for part in path {
        if node.as_str().is_some_and(crate::asl::model::is_jsonata_expression) || node.get(&format!("{part}.$")).is_some() {
            return Argument::Runtime { field: format!("{written}{part}"), placeholder: None };
        }
        match node.get(part) {
            Some(inner) => node = inner,
            None => return Argument::Missing,
        }
        written.push_str(part);
        written.push('/');
    }
    if node.as_str().is_some_and(crate::asl::model::is_jsonata_expression) {
        return Argument::Runtime { field: written.trim_end_matches('/').to_string(), placeholder: None };
    }
    if node.get(&format!("{last}.$")).is_some() {
        return Argument::Runtime { field: format!("{written}{last}.$"), placeholder: None };
    }
    let field = format!("{written}{last}");
    match node.get(last).and_then(Node::as_str) {
        Some(text) if crate::asl::model::is_jsonata_expression(text) => Argument::Runtime { field, placeholder: None },
        Some(text) if template_placeholder(text).is_some() => Argument::Runtime { field, placeholder: template_placeholder(text) },
        Some(text) => Argument::Static(text.to_string()),
        None if node.get(last).is_some() => Argument::Runtime { field, placeholder: None },
        None => Argument::Missing,
    }
}

/// The first placeholder of a template in `text`, delimiters included: `${...}`
/// (CloudFormation's `DefinitionSubstitutions` or `Fn::Sub`, Terraform's `templatefile`), or
/// `<...>`, what published samples write for a value the reader fills in (`<TableName>`,
/// `<EventBusARN>`): no AWS name or ARN holds `<` or `>`, so such a text names nothing yet.
pub(crate) fn template_placeholder(text: &str) -> Option<String> {
    if let Some(start) = text.find("${")
        && let Some(end) = text[start..].find('}')
    {
        return Some(text[start..start + end + 1].to_string());
    }
    let start = text.find('<')?;
    let end = text[start..].find('>')?;
    let inner = &text[start + 1..start + end];
    let named = inner.trim() == inner && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.' | ':'));
    named.then(|| text[start..start + end + 1].to_string())
}

impl Argument {
    /// Why the argument is not known from the definition, in words: `Parameters.TableName.$ is
    /// known only at run time`, or `Parameters.TableName is the template placeholder
    /// ${DDBTable}, known only once the template is deployed`.
    pub(crate) fn unknown_because(payload_key: &str, field: &str, placeholder: Option<&str>) -> String {
        match placeholder {
            Some(p) => format!("{payload_key}.{field} is the template placeholder {p}, known only once the template is deployed with its value"),
            None => format!("{payload_key}.{field} is known only at run time"),
        }
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
    #[test]
    fn a_message_several_states_share_is_one_line_naming_them() {
        let warning = |state: &str, message: &str| super::ExportWarning { state: state.into(), pointer: format!("/States/{state}/Resource"), message: message.into() };
        let shared = "the Resource is the template placeholder ${Fn.Arn}";
        let mut warnings: Vec<super::ExportWarning> = (1..=7).map(|i| warning(&format!("Step {i}"), shared)).collect();
        warnings.insert(2, warning("Save", "TableName.$ is read at run time"));
        let lines = super::grouped(&warnings);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0], format!("7 states (\"Step 1\", \"Step 2\", \"Step 3\", \"Step 4\", \"Step 5\" and 2 more): {shared}"));
        assert_eq!(lines[1], warnings[2].to_string(), "a message of one state stays as it was, located");
    }

    use super::*;
    use crate::export::iam::Arn;

    fn scan(text: &str) -> DefinitionResources {
        let (_, lowered) = crate::asl::lower::lower_text(text).unwrap();
        DefinitionResources::scan(&lowered.machine)
    }

    #[test]
    fn a_template_placeholder_is_dollar_braced_or_angle_bracketed() {
        let cases = [
            ("${DDBTable}", Some("${DDBTable}")),
            ("arn:aws:sns:${AWS::Region}:x", Some("${AWS::Region}")),
            ("<TableName>", Some("<TableName>")),
            ("arn:aws:events:us-east-1:123456789012:event-bus/<Your Bus>", Some("<Your Bus>")),
            ("Orders", None),
            ("a < b > c", None),
            ("<>", None),
        ];
        for (text, want) in cases {
            assert_eq!(template_placeholder(text).as_deref(), want, "{text}");
        }
    }

    #[test]
    fn a_sample_s_angle_bracket_names_are_granted_as_unknown_until_filled_in() {
        // Published samples leave `<TableName>` for the reader: the export grants on every table
        // of the account and says why, rather than refusing the name.
        let found = scan(
            r#"{"StartAt":"P","States":{"P":{"Type":"Task","Resource":"arn:aws:states:::aws-sdk:dynamodb:putItem.waitForTaskToken",
              "Parameters":{"TableName":"<TableName>","Item":{"k":{"S.$":"$$.Task.Token"}}},"Next":"E"},
              "E":{"Type":"Task","Resource":"arn:aws:states:::events:putEvents","Parameters":{"Entries":[{"EventBusName":"<EventBusARN>","Source":"s","DetailType":"d","Detail":{}}]},"End":true}}}"#,
        );
        assert!(found.tables.is_empty(), "no table named {:?}", found.tables);
        let table = found.grants.iter().find(|g| g.actions.contains(&"dynamodb:PutItem".to_string())).expect("the put is granted");
        assert_eq!(table.resource, Arn::Local { service: "dynamodb", rest: "table/*".into() });
        assert!(found.warnings.iter().any(|w| w.message.contains("<TableName>")), "{:?}", found.warnings);
        assert!(found.grants.iter().any(|g| g.actions.contains(&"events:PutEvents".to_string())));
    }

    #[test]
    fn an_agentcore_harness_is_invoked_on_its_arn() {
        let found = scan(
            r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Task","Resource":"arn:aws:states:::bedrockagentcore:invokeHarness",
              "Arguments":{"HarnessArn":"arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/analyst-a1b2c3d4e5","RuntimeSessionId":"{% $states.context.Execution.Name %}"},"Next":"B"},
              "B":{"Type":"Task","Resource":"arn:aws:states:::bedrockagentcore:invokeHarness","Arguments":{"HarnessArn":"${HarnessArn}"},"End":true}}}"#,
        );
        let grants: Vec<(&[String], &Arn)> = found.grants.iter().map(|g| (g.actions.as_slice(), &g.resource)).collect();
        let action = vec!["bedrock-agentcore:InvokeHarness".to_string()];
        assert!(grants.contains(&(action.as_slice(), &Arn::Written("arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/analyst-a1b2c3d4e5".into()))), "{grants:?}");
        assert!(grants.contains(&(action.as_slice(), &Arn::Local { service: "bedrock-agentcore", rest: "harness/*".into() })), "{grants:?}");
    }

    #[test]
    fn the_seed_uses_its_four_functions() {
        let found = scan(crate::seed::ORDER_WORKFLOW);
        let names: Vec<&str> = found.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["ValidateInput", "ProcessData", "SendNotification", "HandleError"]);
        assert!(found.warnings.is_empty(), "{:?}", found.warnings);
        assert!(found.grants.iter().all(|g| g.actions == ["lambda:InvokeFunction"]));
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
        assert_eq!(found.tables[0].actions.iter().map(String::as_str).collect::<Vec<_>>(), ["dynamodb:GetItem", "dynamodb:PutItem"]);
        let resources: Vec<&Arn> = found.grants.iter().map(|g| &g.resource).collect();
        assert!(resources.contains(&&Arn::Written("arn:aws:sns:eu-west-3:ACCOUNT_ID:Topic".into())));
        assert!(resources.contains(&&Arn::QueueUrl("https://sqs.eu-west-3.amazonaws.com/ACCOUNT_ID/Q".into())));
        assert!(found.grants.iter().any(|g| g.actions.contains(&"events:PutRule".to_string())), "the .sync:2 rule");
        assert_eq!(found.warnings.len(), 1);
        let warning = &found.warnings[0];
        assert_eq!((warning.state.as_str(), warning.pointer.as_str()), ("R", "/States/P/Branches/1/States/M/ItemProcessor/States/R/Parameters/TopicArn.$"));
        assert!(warning.message.contains("arn:aws:sns:REGION:ACCOUNT:*"), "{}", warning.message);
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
