//! Inspector edits as data: [`FieldOp`]s on one state's JSON, addressed by a JSON pointer
//! relative to the state (`/Retry/0/MaxAttempts`, `/Choices/1/And/0/Variable`). An edit rewrites
//! that member only: the state's key order and its unknown fields stay, and the state is read
//! back into the typed model. Form text is read by its [`Kind`]; a value of the wrong type is
//! kept as written (a string) so that the validator can locate it and nothing is lost.
//!
//! The same module holds the data the forms offer: the Task resource presets (with the
//! `REGION`/`ACCOUNT_ID` placeholders that export fills in), the Wait modes, the mutually
//! exclusive field groups, and the default operands of Choice rule operators.

use super::change::Change;
use super::document::Document;
use super::scope::{StateRef, machine_at};
use crate::asl::json::{self, Member, Node, Number, Span, Value, WriteStyle};
use crate::asl::lower::lower;
use crate::asl::model::{ComparisonOperator, OperandKind, QueryLanguage, Slot, State, StateMachine, is_jsonata_expression, is_test_field};
use super::scope::Scope;
use std::fmt;

/// How a form's text becomes a JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string; empty text removes the member.
    Text,
    /// A string, even empty (a Choice operand).
    Str,
    /// A number (or any JSON: `null` for a ResultPath); other text (a JSONata `{% %}` string, a
    /// path, a typo) is kept as a string. Empty removes.
    Number,
    /// `true` or `false`; empty removes.
    Bool,
    /// Any JSON (payloads), or one JSONata `{% %}` string; empty removes.
    Json,
    /// Comma-separated strings (ErrorEquals); empty removes.
    List,
}

/// One edit of a state's fields.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldOp {
    /// Sets the member at `at` from form text; a member of an [`EXCLUSIVE`] group replaces the
    /// others of its group in their place.
    Set { at: String, text: String, kind: Kind },
    /// Removes the member or array item at `at`.
    Remove(String),
    /// Appends the JSON `item` to the array at `at`, creating the array.
    Push { at: String, item: String },
    /// Moves the array item at `at` by `by` places.
    Move { at: String, by: isize },
    /// Renames the object member at `at`, keeping its place.
    Rename { at: String, to: String },
    /// Sets the test of the Choice rule at `at` to the operator `op` (a comparison, `And`, `Or`,
    /// `Not` or `Condition`). A comparison keeps its operand when the kind agrees; `And`/`Or`/`Not`
    /// wrap the rule's current test (with its Variable) and add a new comparison beside it.
    Operator { at: String, op: String },
}

/// Why an edit could not be made; the form shows it beside the field and keeps the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError(pub String);

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fields of which a state (or a rule) holds at most one: setting one removes the others.
pub const EXCLUSIVE: &[&[&str]] = &[
    &["Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
    &["TimeoutSeconds", "TimeoutSecondsPath"],
    &["HeartbeatSeconds", "HeartbeatSecondsPath"],
    &["MaxConcurrency", "MaxConcurrencyPath"],
    &["ToleratedFailureCount", "ToleratedFailureCountPath"],
    &["ToleratedFailurePercentage", "ToleratedFailurePercentagePath"],
    &["Error", "ErrorPath"],
    &["Cause", "CausePath"],
    &["Next", "End"],
];

/// The four ways a Wait state waits, with the default value each starts from.
pub const WAIT_MODES: &[(&str, &str, Kind)] = &[
    ("Seconds", "10", Kind::Number),
    ("SecondsPath", "$.waitSeconds", Kind::Text),
    ("Timestamp", "2030-01-01T00:00:00Z", Kind::Text),
    ("TimestampPath", "$.until", Kind::Text),
];

/// A Task resource the picker offers: its label, its ARN and (JSONPath) a Parameters skeleton.
pub struct Preset {
    pub label: &'static str,
    pub resource: &'static str,
    pub parameters: &'static str,
}

const FN: &str = "arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction";

/// The resource picker's presets; anything else is a custom ARN.
pub const PRESETS: &[Preset] = &[
    Preset { label: "Lambda: invoke", resource: "arn:aws:states:::lambda:invoke", parameters: r#"{"FunctionName":"arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction","Payload.$":"$"}"# },
    Preset { label: "Lambda: invoke, wait for callback", resource: "arn:aws:states:::lambda:invoke.waitForTaskToken", parameters: r#"{"FunctionName":"arn:aws:lambda:REGION:ACCOUNT_ID:function:MyFunction","Payload":{"input.$":"$","taskToken.$":"$$.Task.Token"}}"# },
    Preset { label: "Lambda: function ARN", resource: FN, parameters: "" },
    Preset { label: "SNS: publish", resource: "arn:aws:states:::sns:publish", parameters: r#"{"TopicArn":"arn:aws:sns:REGION:ACCOUNT_ID:MyTopic","Message.$":"$"}"# },
    Preset { label: "SQS: send message", resource: "arn:aws:states:::sqs:sendMessage", parameters: r#"{"QueueUrl":"https://sqs.REGION.amazonaws.com/ACCOUNT_ID/MyQueue","MessageBody.$":"$"}"# },
    Preset { label: "SQS: send, wait for callback", resource: "arn:aws:states:::sqs:sendMessage.waitForTaskToken", parameters: r#"{"QueueUrl":"https://sqs.REGION.amazonaws.com/ACCOUNT_ID/MyQueue","MessageBody":{"input.$":"$","taskToken.$":"$$.Task.Token"}}"# },
    Preset { label: "DynamoDB: get item", resource: "arn:aws:states:::dynamodb:getItem", parameters: r#"{"TableName":"MyTable","Key":{"id":{"S.$":"$.id"}}}"# },
    Preset { label: "DynamoDB: put item", resource: "arn:aws:states:::dynamodb:putItem", parameters: r#"{"TableName":"MyTable","Item":{"id":{"S.$":"$.id"}}}"# },
    Preset { label: "DynamoDB: update item", resource: "arn:aws:states:::dynamodb:updateItem", parameters: r##"{"TableName":"MyTable","Key":{"id":{"S.$":"$.id"}},"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"status"},"ExpressionAttributeValues":{":s":{"S.$":"$.status"}}}"## },
    Preset { label: "DynamoDB: delete item", resource: "arn:aws:states:::dynamodb:deleteItem", parameters: r#"{"TableName":"MyTable","Key":{"id":{"S.$":"$.id"}}}"# },
    Preset { label: "Step Functions: start execution (.sync)", resource: "arn:aws:states:::states:startExecution.sync:2", parameters: r#"{"StateMachineArn":"arn:aws:states:REGION:ACCOUNT_ID:stateMachine:Child","Input.$":"$"}"# },
    Preset { label: "ECS: run task (.sync)", resource: "arn:aws:states:::ecs:runTask.sync", parameters: r#"{"LaunchType":"FARGATE","Cluster":"arn:aws:ecs:REGION:ACCOUNT_ID:cluster/MyCluster","TaskDefinition":"MyTask"}"# },
    Preset { label: "Glue: start job run (.sync)", resource: "arn:aws:states:::glue:startJobRun.sync", parameters: r#"{"JobName":"MyJob"}"# },
    Preset { label: "Batch: submit job (.sync)", resource: "arn:aws:states:::batch:submitJob.sync", parameters: r#"{"JobName":"MyJob","JobDefinition":"arn:aws:batch:REGION:ACCOUNT_ID:job-definition/MyJobDef","JobQueue":"arn:aws:batch:REGION:ACCOUNT_ID:job-queue/MyQueue"}"# },
    Preset { label: "Activity", resource: "arn:aws:states:REGION:ACCOUNT_ID:activity:MyActivity", parameters: "" },
];

/// The preset whose ARN `resource` is, when it is one (a Lambda function ARN counts as one).
pub fn preset_of(resource: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.resource == resource).or_else(|| {
        resource.starts_with("arn:aws:lambda:").then(|| PRESETS.iter().find(|p| p.resource == FN)).flatten()
    })
}

/// The field ops that pick a preset: the Resource, and a payload skeleton when the state has
/// none (Parameters in JSONPath; in JSONata, Arguments with `.$` paths turned into expressions).
pub fn pick_preset(state: &State, preset: &Preset, jsonata: bool) -> Vec<FieldOp> {
    let mut ops = vec![FieldOp::Set { at: "/Resource".into(), text: preset.resource.into(), kind: Kind::Text }];
    let has_payload = state.data.parameters.is_some() || state.data.arguments.is_some();
    if !preset.parameters.is_empty() && !has_payload {
        let (field, text) = if jsonata {
            let mut node = json::read(preset.parameters).expect("presets are JSON");
            to_expressions(&mut node);
            ("/Arguments", json::write(&node, WriteStyle::Compact))
        } else {
            ("/Parameters", preset.parameters.to_string())
        };
        ops.push(FieldOp::Set { at: field.into(), text, kind: Kind::Json });
    }
    ops
}

/// `"Key.$": "$.a"` → `"Key": "{% $states.input.a %}"` (and `$$.Task.Token` → `$states.context.Task.Token`).
fn to_expressions(node: &mut Node) {
    match &mut node.value {
        Value::Object(members) => {
            for m in members {
                if let (Some(key), Some(path)) = (m.key.strip_suffix(".$").map(str::to_string), m.value.as_str()) {
                    let expr = match path.strip_prefix("$$") {
                        Some(rest) => format!("$states.context{rest}"),
                        None => format!("$states.input{}", &path[path.len().min(1)..]),
                    };
                    m.key = key;
                    m.value = Node::string(format!("{{% {expr} %}}"));
                } else {
                    to_expressions(&mut m.value);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_expressions),
        _ => {}
    }
}

/// The operand a comparison starts from when its operator is picked.
pub fn default_operand(op: ComparisonOperator) -> Node {
    match op.operand_kind() {
        OperandKind::String => Node::string(""),
        OperandKind::Number => Node::new(Value::Number(Number::from_text("0"))),
        OperandKind::Boolean => Node::new(Value::Bool(true)),
        OperandKind::Timestamp => Node::string("2030-01-01T00:00:00Z"),
        OperandKind::Path => Node::string("$.other"),
    }
}

/// The JSON a new Choice comparison starts as.
pub const NEW_RULE: &str = r#"{"Variable":"$.value","StringEquals":""}"#;

/// Reads form `text` as `kind`; `None` removes the member.
pub fn value_of(text: &str, kind: Kind) -> Result<Option<Node>, FieldError> {
    let t = text.trim();
    if t.is_empty() && kind != Kind::Str {
        return Ok(None);
    }
    Ok(Some(match kind {
        Kind::Text => Node::string(t),
        Kind::Str => Node::string(text),
        Kind::Number => match json::read(t) {
            Ok(n @ Node { value: Value::Number(_), .. }) => n,
            _ => Node::string(t),
        },
        Kind::Bool => match t {
            "true" => Node::new(Value::Bool(true)),
            "false" => Node::new(Value::Bool(false)),
            _ => return Err(FieldError(format!("expected true or false, not {t:?}"))),
        },
        Kind::Json if is_jsonata_expression(t) => Node::string(t),
        Kind::Json => json::read(t).map_err(|e| FieldError(e.to_string()))?,
        Kind::List => Node::array(t.split(',').map(str::trim).filter(|s| !s.is_empty()).map(Node::string).collect()),
    }))
}

fn tokens(at: &str) -> Vec<String> {
    at.split('/').skip(1).map(crate::asl::json::pointer_token).collect()
}

fn no_field(at: &str) -> FieldError {
    FieldError(format!("nothing at {at}"))
}

/// The node at `path` under `node`, creating missing objects on the way when `create`.
fn walk<'n>(node: &'n mut Node, path: &[String], create: bool) -> Option<&'n mut Node> {
    let Some((first, rest)) = path.split_first() else { return Some(node) };
    let child = match &mut node.value {
        Value::Object(members) => {
            if !members.iter().any(|m| m.key == *first) {
                if !create {
                    return None;
                }
                members.push(member(first, Node::object([])));
            }
            &mut members.iter_mut().rev().find(|m| m.key == *first)?.value
        }
        Value::Array(items) => items.get_mut(first.parse::<usize>().ok()?)?,
        _ => return None,
    };
    walk(child, rest, create)
}

fn member(key: &str, value: Node) -> Member {
    Member { key: key.to_string(), key_span: Span::default(), value }
}

/// Sets `key` in `members`: in its place if present, else in the place of a removed member of
/// its exclusive group, else at the end.
fn set_member(members: &mut Vec<Member>, key: &str, value: Node) {
    if let Some(m) = members.iter_mut().rev().find(|m| m.key == key) {
        m.value = value;
        return;
    }
    let group = EXCLUSIVE.iter().find(|g| g.contains(&key)).copied().unwrap_or(&[]);
    let at = members.iter().position(|m| group.contains(&m.key.as_str())).unwrap_or(members.len());
    members.retain(|m| !group.contains(&m.key.as_str()));
    members.insert(at.min(members.len()), member(key, value));
}

/// Applies `op` to the JSON object of a state (or of anything whose members are edited alike).
pub fn edit_node(root: &mut Node, op: &FieldOp) -> Result<(), FieldError> {
    match op {
        FieldOp::Set { at, text, kind } => {
            let value = value_of(text, *kind)?;
            let path = tokens(at);
            let (key, parent) = path.split_last().ok_or_else(|| no_field(at))?;
            let parent = walk(root, parent, value.is_some()).ok_or_else(|| no_field(at))?;
            match (&mut parent.value, value) {
                (Value::Object(members), Some(v)) => set_member(members, key, v),
                (Value::Object(members), None) => members.retain(|m| m.key != *key),
                (Value::Array(items), Some(v)) => *items.get_mut(key.parse::<usize>().map_err(|_| no_field(at))?).ok_or_else(|| no_field(at))? = v,
                _ => return Err(no_field(at)),
            }
        }
        FieldOp::Remove(at) => {
            let path = tokens(at);
            let (key, parent_path) = path.split_last().ok_or_else(|| no_field(at))?;
            let parent = walk(root, parent_path, false).ok_or_else(|| no_field(at))?;
            match &mut parent.value {
                Value::Object(members) => members.retain(|m| m.key != *key),
                Value::Array(items) => {
                    let i = key.parse::<usize>().ok().filter(|i| *i < items.len()).ok_or_else(|| no_field(at))?;
                    items.remove(i);
                    // An emptied Retry or Catch goes: AWS would reject neither, but nobody wants it.
                    if items.is_empty() && parent_path.len() == 1 && matches!(parent_path[0].as_str(), "Retry" | "Catch") {
                        return edit_node(root, &FieldOp::Remove(format!("/{}", parent_path[0])));
                    }
                }
                _ => return Err(no_field(at)),
            }
        }
        FieldOp::Push { at, item } => {
            let item = json::read(item).map_err(|e| FieldError(e.to_string()))?;
            let path = tokens(at);
            let (key, parent) = path.split_last().ok_or_else(|| no_field(at))?;
            let Value::Object(members) = &mut walk(root, parent, true).ok_or_else(|| no_field(at))?.value else {
                return Err(no_field(at));
            };
            match members.iter_mut().rev().find(|m| m.key == *key) {
                Some(Member { value: Node { value: Value::Array(items), .. }, .. }) => items.push(item),
                Some(m) => m.value = Node::array(vec![item]),
                None => members.push(member(key, Node::array(vec![item]))),
            }
        }
        FieldOp::Move { at, by } => {
            let path = tokens(at);
            let (key, parent) = path.split_last().ok_or_else(|| no_field(at))?;
            let Value::Array(items) = &mut walk(root, parent, false).ok_or_else(|| no_field(at))?.value else {
                return Err(no_field(at));
            };
            let from = key.parse::<usize>().ok().filter(|i| *i < items.len()).ok_or_else(|| no_field(at))?;
            let to = from.saturating_add_signed(*by).min(items.len() - 1);
            let item = items.remove(from);
            items.insert(to, item);
        }
        FieldOp::Rename { at, to } => {
            let path = tokens(at);
            let (key, parent) = path.split_last().ok_or_else(|| no_field(at))?;
            let Value::Object(members) = &mut walk(root, parent, false).ok_or_else(|| no_field(at))?.value else {
                return Err(no_field(at));
            };
            if to.is_empty() || (to != key && members.iter().any(|m| m.key == *to)) {
                return Err(FieldError(format!("{to:?} is empty or already there")));
            }
            members.iter_mut().rev().find(|m| m.key == *key).ok_or_else(|| no_field(at))?.key = to.clone();
        }
        FieldOp::Operator { at, op } => {
            let rule = walk(root, &tokens(at), false).ok_or_else(|| no_field(at))?;
            let Value::Object(members) = &mut rule.value else { return Err(no_field(at)) };
            set_operator(members, op)?;
        }
    }
    Ok(())
}

/// See [`FieldOp::Operator`].
fn set_operator(members: &mut Vec<Member>, op: &str) -> Result<(), FieldError> {
    let at = members.iter().position(|m| is_test_field(&m.key) || m.key == "Variable").unwrap_or(members.len());
    let (test, rest): (Vec<Member>, Vec<Member>) =
        std::mem::take(members).into_iter().partition(|m| is_test_field(&m.key) || m.key == "Variable");
    *members = rest;
    let current = test.iter().find(|m| m.key != "Variable").map(|m| m.key.as_str());
    let new_rule = || json::read(NEW_RULE).expect("a rule");
    let inner = Node::new(Value::Object(test.clone()));
    let replace: Vec<Member> = match op {
        "And" | "Or" => match (current, test.iter().find(|m| m.key == "And" || m.key == "Or")) {
            (_, Some(m)) => vec![member(op, m.value.clone())],
            _ => vec![member(op, Node::array(vec![inner, new_rule()]))],
        },
        "Not" => vec![member("Not", if test.is_empty() { new_rule() } else { inner })],
        "Condition" => vec![member("Condition", Node::string("{% true %}"))],
        name => {
            let operator = ComparisonOperator::from_name(name).ok_or_else(|| FieldError(format!("{name:?} is not an operator")))?;
            // From And/Or/Not: the first comparison inside becomes the rule.
            let mut flat = test.clone();
            while let Some(m) = flat.iter().find(|m| matches!(m.key.as_str(), "And" | "Or" | "Not")) {
                let first = match &m.value.value {
                    Value::Array(items) => items.first().cloned(),
                    _ => Some(m.value.clone()),
                };
                flat = first.and_then(|n| n.as_object().map(<[Member]>::to_vec)).unwrap_or_default();
            }
            let variable = flat.iter().find(|m| m.key == "Variable").map(|m| m.value.clone()).unwrap_or_else(|| Node::string("$.value"));
            let same_kind = flat
                .iter()
                .find_map(|m| ComparisonOperator::from_name(&m.key).filter(|o| o.operand_kind() == operator.operand_kind()).map(|_| m.value.clone()));
            vec![member("Variable", variable), member(name, same_kind.unwrap_or_else(|| default_operand(operator)))]
        }
    };
    for (k, m) in replace.into_iter().enumerate() {
        members.insert((at + k).min(members.len()), m);
    }
    Ok(())
}

/// The state `r` with `ops` applied, read back into the model; the members the edit added
/// go to their canonical place.
pub fn apply(state: &State, ops: &[FieldOp]) -> Result<State, FieldError> {
    let mut node = state.to_json();
    let before: Vec<String> = node.as_object().unwrap_or(&[]).iter().map(|m| m.key.clone()).collect();
    for op in ops {
        edit_node(&mut node, op)?;
    }
    let added: Vec<String> = node.as_object().unwrap_or(&[]).iter().map(|m| m.key.clone()).filter(|k| {
        // A member that took the place of one of its group stays there.
        let group = EXCLUSIVE.iter().find(|g| g.contains(&k.as_str())).copied().unwrap_or(&[]);
        !before.contains(k) && !before.iter().any(|b| group.contains(&b.as_str()))
    })
    .collect();
    let machine = Node::object([("States".to_string(), Node::object([("s".to_string(), node)]))]);
    let mut out = lower(&machine).machine.states.pop().map(|s| s.state).ok_or_else(|| no_field(""))?;
    out.layout.slots.retain(|s| !matches!(s, Slot::Field(k) if added.iter().any(|a| a == k)));
    Ok(out)
}

/// The change that applies `ops` to the state `r`; `None` when nothing changes.
pub fn change(doc: &Document, r: &StateRef, ops: &[FieldOp]) -> Result<Option<Change>, FieldError> {
    let old = machine_at(doc.machine(), &r.scope).and_then(|m| m.state(&r.name)).ok_or_else(|| FieldError(format!("there is no state named {:?}", r.name)))?;
    let new = apply(old, ops)?;
    Ok((new != *old).then(|| Change::ReplaceState { scope: r.scope.clone(), name: r.name.clone(), state: Box::new(new) }))
}

/// The query language the state `name` in the machine at `scope` is written in: its own, else its
/// nearest container's, else the top level's, else JSONPath.
pub fn query_language(root: &StateMachine, scope: &Scope, name: &str) -> QueryLanguage {
    let mut ql = root.query_language;
    for (i, step) in scope.iter().enumerate() {
        if let Some(q) = machine_at(root, &scope[..i]).and_then(|m| m.state(&step.state)).and_then(|s| s.query_language) {
            ql = Some(q);
        }
    }
    machine_at(root, scope).and_then(|m| m.state(name)).and_then(|s| s.query_language).or(ql).unwrap_or(QueryLanguage::JsonPath)
}

/// The value at `at` in the state, as form text: strings bare, other JSON pretty.
pub fn text_at(state_json: &Node, at: &str) -> String {
    match state_json.at_pointer(at).map(|(n, _)| n) {
        None => String::new(),
        Some(Node { value: Value::String(s), .. }) => s.clone(),
        Some(Node { value: Value::Array(items), .. }) if items.iter().all(|i| i.as_str().is_some()) && at.ends_with("ErrorEquals") => {
            items.iter().filter_map(Node::as_str).collect::<Vec<_>>().join(", ")
        }
        Some(n) => json::write(n, WriteStyle::Pretty),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::lower::lower_text;

    fn state(text: &str) -> State {
        lower_text(&format!(r#"{{"StartAt":"s","States":{{"s":{text}}}}}"#)).expect("json").1.machine.states.remove(0).state
    }

    fn set(at: &str, text: &str, kind: Kind) -> FieldOp {
        FieldOp::Set { at: at.into(), text: text.into(), kind }
    }

    /// (the state, the edits, the state's JSON after them)
    fn cases() -> Vec<(&'static str, Vec<FieldOp>, &'static str)> {
        use Kind::*;
        let task = r#"{"Type":"Task","Resource":"arn:x","X-Unknown":1,"Next":"B"}"#;
        let wait = r#"{"Type":"Wait","Seconds":5,"Next":"B"}"#;
        let choice = r#"{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEquals":1,"Next":"B"}],"Default":"C"}"#;
        vec![
            // Unknown members and key order stay; new fields go to their canonical place.
            (task, vec![set("/Comment", "hi", Text)], r#"{"Type":"Task","Comment":"hi","Resource":"arn:x","X-Unknown":1,"Next":"B"}"#),
            (task, vec![set("/TimeoutSeconds", "30", Number)], r#"{"Type":"Task","Resource":"arn:x","TimeoutSeconds":30,"X-Unknown":1,"Next":"B"}"#),
            (task, vec![set("/TimeoutSeconds", "30", Number), set("/TimeoutSecondsPath", "$.t", Text)], r#"{"Type":"Task","Resource":"arn:x","TimeoutSecondsPath":"$.t","X-Unknown":1,"Next":"B"}"#),
            // A wrong value is kept as written, for the validator to locate.
            (task, vec![set("/HeartbeatSeconds", "soon", Number)], r#"{"Type":"Task","Resource":"arn:x","HeartbeatSeconds":"soon","X-Unknown":1,"Next":"B"}"#),
            (task, vec![set("/Resource", "", Text)], r#"{"Type":"Task","X-Unknown":1,"Next":"B"}"#),
            (task, vec![set("/Parameters", r#"{"a.$": "$.b"}"#, Json)], r#"{"Type":"Task","Resource":"arn:x","Parameters":{"a.$":"$.b"},"X-Unknown":1,"Next":"B"}"#),
            (task, vec![set("/End", "true", Bool)], r#"{"Type":"Task","Resource":"arn:x","X-Unknown":1,"End":true}"#),
            (r#"{"Type":"Pass","End":true}"#, vec![set("/Next", "B", Text)], r#"{"Type":"Pass","Next":"B"}"#),
            (task, vec![set("/ResultPath", "null", Json)], r#"{"Type":"Task","Resource":"arn:x","ResultPath":null,"X-Unknown":1,"Next":"B"}"#),
            // Retry and Catch lists: add, edit, reorder, remove.
            (
                task,
                vec![
                    FieldOp::Push { at: "/Retry".into(), item: r#"{"ErrorEquals":["States.ALL"]}"#.into() },
                    set("/Retry/0/MaxAttempts", "-1", Number),
                    set("/Retry/0/ErrorEquals", "States.Timeout, Lambda.Unknown", List),
                    set("/Retry/0/JitterStrategy", "FULL", Text),
                ],
                r#"{"Type":"Task","Resource":"arn:x","Retry":[{"ErrorEquals":["States.Timeout","Lambda.Unknown"],"MaxAttempts":-1,"JitterStrategy":"FULL"}],"X-Unknown":1,"Next":"B"}"#,
            ),
            (
                r#"{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["A"],"Next":"X"},{"ErrorEquals":["B"],"Next":"Y"}]}"#,
                vec![FieldOp::Move { at: "/Catch/1".into(), by: -1 }, set("/Catch/0/ResultPath", "$.error", Text)],
                r#"{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["B"],"Next":"Y","ResultPath":"$.error"},{"ErrorEquals":["A"],"Next":"X"}]}"#,
            ),
            (
                r#"{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["A"]}]}"#,
                vec![FieldOp::Remove("/Retry/0".into())],
                r#"{"Type":"Task","Resource":"r","End":true}"#,
            ),
            // Wait: one mode at a time, switched in place.
            (wait, vec![set("/TimestampPath", "$.t", Text)], r#"{"Type":"Wait","TimestampPath":"$.t","Next":"B"}"#),
            (wait, vec![set("/Seconds", "{% $x %}", Number)], r#"{"Type":"Wait","Seconds":"{% $x %}","Next":"B"}"#),
            // Choice rules: operators, their Path forms, type tests, nesting.
            (choice, vec![FieldOp::Operator { at: "/Choices/0".into(), op: "NumericGreaterThan".into() }], r#"{"Type":"Choice","Choices":[{"Variable":"$.a","NumericGreaterThan":1,"Next":"B"}],"Default":"C"}"#),
            (choice, vec![FieldOp::Operator { at: "/Choices/0".into(), op: "NumericEqualsPath".into() }], r#"{"Type":"Choice","Choices":[{"Variable":"$.a","NumericEqualsPath":"$.other","Next":"B"}],"Default":"C"}"#),
            (choice, vec![FieldOp::Operator { at: "/Choices/0".into(), op: "IsPresent".into() }], r#"{"Type":"Choice","Choices":[{"Variable":"$.a","IsPresent":true,"Next":"B"}],"Default":"C"}"#),
            (choice, vec![FieldOp::Operator { at: "/Choices/0".into(), op: "StringMatches".into() }, set("/Choices/0/StringMatches", "log-*.txt", Str)], r#"{"Type":"Choice","Choices":[{"Variable":"$.a","StringMatches":"log-*.txt","Next":"B"}],"Default":"C"}"#),
            (
                choice,
                vec![FieldOp::Operator { at: "/Choices/0".into(), op: "And".into() }, set("/Choices/0/And/1/Variable", "$.b", Text)],
                r#"{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericEquals":1},{"Variable":"$.b","StringEquals":""}],"Next":"B"}],"Default":"C"}"#,
            ),
            (
                choice,
                vec![FieldOp::Operator { at: "/Choices/0".into(), op: "Not".into() }],
                r#"{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","NumericEquals":1},"Next":"B"}],"Default":"C"}"#,
            ),
            (
                choice,
                vec![
                    FieldOp::Operator { at: "/Choices/0".into(), op: "Or".into() },
                    FieldOp::Operator { at: "/Choices/0/Or/1".into(), op: "Not".into() },
                    FieldOp::Operator { at: "/Choices/0".into(), op: "And".into() },
                ],
                r#"{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","NumericEquals":1},{"Not":{"Variable":"$.value","StringEquals":""}}],"Next":"B"}],"Default":"C"}"#,
            ),
            (
                r#"{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","BooleanEquals":true}],"Next":"B"}]}"#,
                vec![FieldOp::Operator { at: "/Choices/0".into(), op: "BooleanEqualsPath".into() }],
                r#"{"Type":"Choice","Choices":[{"Variable":"$.a","BooleanEqualsPath":"$.other","Next":"B"}]}"#,
            ),
            (
                r#"{"Type":"Choice","QueryLanguage":"JSONata","Choices":[{"Condition":"{% $states.input.a %}","Next":"B"}]}"#,
                vec![FieldOp::Push { at: "/Choices".into(), item: r#"{"Condition":"{% true %}","Next":"C"}"#.into() }, set("/Default", "C", Text)],
                r#"{"Type":"Choice","QueryLanguage":"JSONata","Choices":[{"Condition":"{% $states.input.a %}","Next":"B"},{"Condition":"{% true %}","Next":"C"}],"Default":"C"}"#,
            ),
            // Map settings, the processor's mode included (created when missing).
            (
                r#"{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}"#,
                vec![set("/ItemsPath", "$.items", Text), set("/MaxConcurrency", "5", Number), set("/ToleratedFailurePercentage", "10", Number), set("/ItemProcessor/ProcessorConfig/Mode", "DISTRIBUTED", Text)],
                r#"{"Type":"Map","ItemsPath":"$.items","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}},"ProcessorConfig":{"Mode":"DISTRIBUTED"}},"MaxConcurrency":5,"ToleratedFailurePercentage":10,"End":true}"#,
            ),
            // Assign as a key/value editor.
            (
                r#"{"Type":"Pass","Assign":{"a":1,"b":2},"End":true}"#,
                vec![FieldOp::Rename { at: "/Assign/a".into(), to: "total".into() }, set("/Assign/b", "{\"x\": [1]}", Json), set("/Assign/c", "\"{% $states.input %}\"", Json)],
                r#"{"Type":"Pass","Assign":{"total":1,"b":{"x":[1]},"c":"{% $states.input %}"},"End":true}"#,
            ),
            // Parallel: add and remove branches.
            (
                r#"{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}],"End":true}"#,
                vec![FieldOp::Push { at: "/Branches".into(), item: r#"{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}"#.into() }, FieldOp::Remove("/Branches/0".into())],
                r#"{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}"#,
            ),
            (r#"{"Type":"Pass","End":true}"#, vec![set("/QueryLanguage", "JSONata", Text)], r#"{"Type":"Pass","QueryLanguage":"JSONata","End":true}"#),
        ]
    }

    #[test]
    fn each_edit_rewrites_only_its_member() {
        let mut wrong = Vec::new();
        for (i, (before, ops, after)) in cases().into_iter().enumerate() {
            let s = apply(&state(before), &ops).unwrap_or_else(|e| panic!("case {i}: {e}"));
            let got = json::write(&s.to_json(), WriteStyle::Compact);
            if got != after {
                wrong.push(format!("case {i}: {ops:?}\n  got  {got}\n  want {after}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn bad_input_is_refused_with_a_located_reason() {
        let s = state(r#"{"Type":"Task","Resource":"r","End":true}"#);
        let err = apply(&s, &[set("/Parameters", "{\"a\": }", Kind::Json)]).unwrap_err();
        assert!(err.0.starts_with("1:7: invalid JSON"), "{err}");
        assert!(apply(&s, &[FieldOp::Remove("/Retry/3".into())]).is_err());
        assert!(apply(&s, &[FieldOp::Operator { at: "/Resource".into(), op: "And".into() }]).is_err());
        assert!(apply(&s, &[set("/End", "maybe", Kind::Bool)]).is_err());
    }

    #[test]
    fn presets_fill_a_payload_in_the_state_s_language() {
        let s = state(r#"{"Type":"Task","Resource":"r","End":true}"#);
        let sns = PRESETS.iter().find(|p| p.label == "SNS: publish").unwrap();
        let json_path = apply(&s, &pick_preset(&s, sns, false)).unwrap();
        assert_eq!(json_path.data.parameters.as_ref().and_then(|p| p.get("Message.$")).and_then(Node::as_str), Some("$"));
        let jsonata = apply(&s, &pick_preset(&s, PRESETS.iter().find(|p| p.resource.ends_with("waitForTaskToken")).unwrap(), true)).unwrap();
        let args = json::write(jsonata.data.arguments.as_ref().unwrap(), WriteStyle::Compact);
        assert!(args.contains(r#""taskToken":"{% $states.context.Task.Token %}""#) && args.contains(r#""input":"{% $states.input %}""#), "{args}");
        // A payload already there is kept.
        assert!(pick_preset(&json_path, sns, false).len() == 1);
        assert_eq!(preset_of("arn:aws:lambda:eu-west-3:123456789012:function:F").map(|p| p.resource), Some(FN));
        assert!(preset_of("arn:aws:states:::lambda:invoke").is_some() && preset_of("arn:custom").is_none());
    }

    #[test]
    fn the_query_language_is_inherited_from_the_nearest_container() {
        let root = lower_text(
            r#"{"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Parallel","QueryLanguage":"JSONPath","End":true,
                "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","QueryLanguage":"JSONata","End":true}}}]}}}"#,
        )
        .unwrap()
        .1
        .machine;
        let inner = vec![super::super::scope::ScopeStep { state: "P".into(), branch: 0 }];
        assert_eq!(query_language(&root, &vec![], "P"), QueryLanguage::JsonPath);
        assert_eq!(query_language(&root, &inner, "A"), QueryLanguage::JsonPath);
        assert_eq!(query_language(&root, &inner, "B"), QueryLanguage::Jsonata);
        assert_eq!(query_language(&StateMachine::default(), &vec![], "X"), QueryLanguage::JsonPath);
        let s = state(r#"{"Type":"Task","QueryLanguage":"JSONata","Resource":"r","End":true}"#);
        assert_eq!(json::write(&apply(&s, &[set("/Arguments", "{% $states.input %}", Kind::Json)]).unwrap().data.arguments.unwrap(), WriteStyle::Compact), r#""{% $states.input %}""#);
    }

    #[test]
    fn form_text_reads_back_what_was_set() {
        let s = state(r#"{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["A","B"],"MaxAttempts":3}]}"#).to_json();
        assert_eq!(text_at(&s, "/Resource"), "r");
        assert_eq!(text_at(&s, "/Retry/0/ErrorEquals"), "A, B");
        assert_eq!(text_at(&s, "/Retry/0/MaxAttempts"), "3");
        assert_eq!(text_at(&s, "/Parameters"), "");
    }

    #[test]
    fn every_operator_can_be_picked_and_reads_back_as_itself() {
        let base = state(r#"{"Type":"Choice","Choices":[{"Variable":"$.a","StringEquals":"x","Next":"B"}]}"#);
        for op in ComparisonOperator::ALL {
            let s = apply(&base, &[FieldOp::Operator { at: "/Choices/0".into(), op: op.name().into() }]).unwrap();
            let crate::asl::model::StateKind::Choice(c) = &s.kind else { panic!() };
            assert_eq!(c.choices.as_ref().unwrap()[0].test.as_ref().map(|t| t.field_name()), Some(op.name()));
        }
    }
}
