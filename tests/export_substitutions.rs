//! `DefinitionSubstitutions` in the CloudFormation template, applied as Step Functions' resource
//! provider applies them (each `${key}` of the map replaced, repeatedly; any other `${...}` left
//! as written): the deployed definition is the document's, with the deployment's ARNs, and a
//! literal `${...}` in the definition (even one spelling a key we use) survives: as itself, or,
//! for each `${Name}` cfn-lint would take for a placeholder, as `\u0024{Name}`, the same JSON.

use serde_json::Value;
use statecraft::export::{ExportOptions, ExportedDefinition, cloudformation};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-3";

/// What the stack resolves each substitution to.
fn resolve(template: &Value, value: &Value) -> String {
    if let Some(text) = value.as_str() {
        return text.to_string();
    }
    if let Some(get_att) = value.get("Fn::GetAtt") {
        let id = get_att[0].as_str().unwrap();
        let name = template["Resources"][id]["Properties"]["FunctionName"].as_str().unwrap();
        return format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}");
    }
    match value["Ref"].as_str() {
        Some("AWS::AccountId") => ACCOUNT.into(),
        Some("AWS::Region") => REGION.into(),
        other => panic!("unexpected substitution {other:?}"),
    }
}

/// The provider's `StringUtils.replaceEachRepeatedly` over `${key}`.
fn substitute(template: &Value) -> String {
    let machine = &template["Resources"]["StateMachine"]["Properties"];
    let mut text = machine["DefinitionString"].as_str().unwrap().to_string();
    let map = machine["DefinitionSubstitutions"].as_object().cloned().unwrap_or_default();
    loop {
        let before = text.clone();
        for (key, value) in &map {
            text = text.replace(&format!("${{{key}}}"), &resolve(template, value));
        }
        if text == before {
            return text;
        }
    }
}

fn deployed(definition_text: &str) -> (Value, String) {
    let definition = ExportedDefinition::read(definition_text).unwrap();
    let template: Value = serde_json::from_str(&cloudformation::cloudformation_json(&definition, &ExportOptions::default())).unwrap();
    let text = substitute(&template);
    (template, text)
}

#[test]
fn the_seed_deploys_with_its_arns_filled_in() {
    let (_, text) = deployed(statecraft::seed::ORDER_WORKFLOW);
    assert_eq!(text, statecraft::seed::ORDER_WORKFLOW.replace("ACCOUNT_ID", ACCOUNT));
}

#[test]
fn a_literal_dollar_brace_in_the_definition_survives() {
    let literal = "${AccountId} ${Region} ${ValidateInputFunctionArn} ${Unknown} $${x} ${";
    let def = statecraft::seed::ORDER_WORKFLOW.replace(
        r#""SendNotification": {
      "Type": "Task","#,
        &format!(
            r#""SendNotification": {{
      "Type": "Task",
      "Comment": {},"#,
            serde_json::to_string(literal).unwrap()
        ),
    );
    assert!(def.contains("${AccountId}"), "the definition carries the literal");
    // A resource that needs the stack's account and region too.
    let def = def.replace(
        r#""Resource": "arn:aws:lambda:eu-west-3:ACCOUNT_ID:function:HandleError","#,
        r#""Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "arn:aws:sns:REGION:ACCOUNT_ID:Alerts", "Message.$": "$"},"#,
    );
    let (template, text) = deployed(&def);
    let keys: Vec<&String> = template["Resources"]["StateMachine"]["Properties"]["DefinitionSubstitutions"].as_object().unwrap().keys().collect();
    assert!(keys.iter().any(|k| k.as_str() == "AccountId2") && keys.iter().any(|k| k.as_str() == "Region2"), "{keys:?}");
    assert!(keys.iter().any(|k| k.as_str() == "ValidateInputFunctionArn2"), "{keys:?}");
    let mut expected = def.replace("ACCOUNT_ID", ACCOUNT).replace("arn:aws:sns:REGION:", &format!("arn:aws:sns:{REGION}:"));
    for name in ["AccountId", "Region", "ValidateInputFunctionArn", "Unknown", "x"] {
        expected = expected.replace(&format!("${{{name}}}"), &format!("\\u0024{{{name}}}"));
    }
    assert_eq!(text, expected);
    let parsed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(parsed["States"]["SendNotification"]["Comment"], literal);
}
