//! Request checks over a whole definition: every Task's `Parameters` (JSONPath) or `Arguments`
//! (JSONata), as written, checked against its operation's input shape ([`super::check`]), as
//! warnings located on the field (JSON pointer, span, line:column). `statecraft validate` runs it
//! with every service file; the page with the files it has fetched, so a service's checks appear
//! once its file is here. An `aws-sdk:` call to an operation its service's model does not have is
//! an error, in AWS's words ("The resource provided … is not recognized"), and so is an optimized
//! integration's request without a member its operation requires ("The field 'FunctionName' is
//! required but was missing"), or with no request at all ("Parameters field is required for
//! resource ARN: arn:aws:states:::lambda:invoke").

use super::needs::task_resources;
use super::check::FindingKind;
use super::{Catalogue, FieldValidationMode, Written};
use crate::asl::diag::{Code, Diagnostic, locate};

/// The request warnings of the definition `text` (none when it is not JSON: the validator says
/// why). A Task whose service the catalogue lacks, or whose resource is a path, is not checked.
pub fn request_diagnostics(text: &str, catalogue: &Catalogue) -> Vec<Diagnostic> {
    let Ok(root) = crate::asl::json::read(text) else { return Vec::new() };
    let definition = root.to_serde();
    let mut out = Vec::new();
    for task in task_resources(&definition) {
        let Some(state) = definition.pointer(&task.pointer) else { continue };
        let resolved = match catalogue.resolve(&task.resource) {
            Ok(resolved) => resolved,
            // The service's model has no such operation: AWS refuses the resource as it refuses
            // an unknown service (the validator's rule, which cannot see the models).
            Err(super::ResolveError::UnknownOperation { service, operation }) if task.resource.contains(":aws-sdk:") => {
                let refused = crate::asl::integrations::ResourceError::NotRecognized { resource: task.resource.clone() };
                out.push(Diagnostic::new(
                    Code::UnknownResource,
                    format!("{}/Resource", task.pointer),
                    format!("{} ({service} has no operation {operation})", refused.message()),
                ));
                continue;
            }
            Err(_) => continue,
        };
        let Some((field, request)) = ["Arguments", "Parameters"].into_iter().find_map(|f| state.get(f).map(|v| (f, v))) else {
            // CreateStateMachine refuses an optimized integration called without a request:
            // "Parameters field is required for resource ARN: arn:aws:states:::lambda:invoke"
            // ("Arguments field …" in a JSONata state), as the cdk-preflight rule pack's
            // pf-sfn-asl-integration-parameters reproduced against AWS. TestState, which ran
            // `lambda:invoke` without them, is not held to it (the validator's rules are).
            if matches!(resolved.integration, super::Integration::Optimized { .. }) {
                let language = state.get("QueryLanguage").or_else(|| definition.get("QueryLanguage")).and_then(serde_json::Value::as_str);
                let field = if language == Some("JSONata") { "Arguments" } else { "Parameters" };
                out.push(Diagnostic::new(
                    Code::RequiredRequestField,
                    task.pointer.clone(),
                    format!("{field} field is required for resource ARN: {} (an optimized integration is called with a request; give it `{field}`)", task.resource),
                ));
            }
            continue;
        };
        // A Lambda function ARN's Parameters are the function's event, not Invoke's request.
        if matches!(resolved.integration, super::Integration::LambdaFunction { .. }) {
            continue;
        }
        let operation = format!("{}:{}", resolved.service.name, resolved.operation);
        let optimized = matches!(resolved.integration, super::Integration::Optimized { .. });
        let written: Vec<&str> = request.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        for finding in resolved.check_parameters(request, FieldValidationMode::Strict, Written::Template) {
            let pointer = format!("{}/{field}{}", task.pointer, finding.pointer);
            // A member an optimized integration's request lacks makes AWS refuse the
            // definition, in these words (measured with ValidateStateMachineDefinition for
            // lambda:invoke's FunctionName, sqs:sendMessage's QueueUrl and MessageBody,
            // dynamodb:putItem's TableName and Item and seven more, as a policy-as-code rule
            // records). A Task without `Parameters` is refused above, not here (AWS's TestState
            // ran `lambda:invoke` without them, the input naming the function). An
            // `aws-sdk:` request stays a warning: its members' spelling is the Java SDK's, which
            // the catalogue derives, and a false refusal is worse than a missed one; so does a
            // member written in another case ("did you mean").
            let member = finding.message.split('"').nth(1).unwrap_or_default();
            let respelled = written.iter().any(|w| w.trim_end_matches(".$").eq_ignore_ascii_case(member));
            if optimized && !respelled && finding.kind == FindingKind::MissingRequired && finding.pointer.is_empty() {
                out.push(Diagnostic::new(
                    Code::RequiredRequestField,
                    pointer,
                    format!("The field '{member}' is required but was missing ({operation} input; a `{member}.$` path fills it at run time)"),
                ));
                continue;
            }
            out.push(Diagnostic::new(Code::RequestField, pointer, format!("{} ({operation} input)", finding.message)));
        }
    }
    locate(&mut out, &root, text);
    out
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn each_wrong_field_is_a_warning_on_that_field_and_a_missing_required_one_an_error_for_optimized_integrations() {
        let text = r#"{"StartAt": "Get", "States": {
  "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
          "Parameters": {"TableName": "Orders", "Key": {"id": {"S.$": "$.id"}}, "ConsistentRead": "yes"}, "Next": "Each"},
  "Each": {"Type": "Map", "ItemProcessor": {"StartAt": "Put", "States": {
    "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject", "QueryLanguage": "JSONata",
            "Arguments": {"Bucket": "b", "Kee": "{% $states.input.key %}"}, "End": true}}}, "Next": "Fine"},
  "Fine": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "t", "Message.$": "$"}, "Next": "Unknown"},
  "Unknown": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:nosuchservice:doIt", "Parameters": {"x": 1}, "Next": "Bare"},
  "Bare": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "Next": "Function"},
  "Function": {"Type": "Task", "Resource": "arn:aws:lambda:eu-west-1:123456789012:function:score", "Parameters": {"orderId.$": "$.id"}, "Next": "Step"},
  "Step": {"Type": "Task", "Resource": "arn:aws:states:::elasticmapreduce:addStep.sync", "Parameters": {"ClusterId": "j-1", "Step": {"Name": "s", "HadoopJarStep": {"Jar": "command-runner.jar"}}}, "End": true}
}}"#;
        let found = request_diagnostics(text, &Catalogue::embedded());
        let shown: Vec<(String, usize, usize)> = found.iter().map(|d| (d.pointer.clone(), d.position.unwrap().line, d.position.unwrap().column)).collect();
        assert_eq!(shown, [
            ("/States/Get/Parameters/ConsistentRead".to_string(), 3, 99),
            ("/States/Each/ItemProcessor/States/Put/Arguments/Kee".to_string(), 6, 49),
            ("/States/Each/ItemProcessor/States/Put/Arguments".to_string(), 6, 13),
        ]);
        assert!(found.iter().all(|d| d.code == Code::RequestField && !d.is_error()));
        // An optimized integration's request without a required member is refused, as AWS
        // refuses it, and so is one called without a request at all (CreateStateMachine:
        // "Parameters field is required for resource ARN: …").
        let refused = request_diagnostics(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"Payload.$": "$"}, "Next": "B"},
                "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": {"QueueUrl.$": "$.q", "messageBody": "x"}, "Next": "C"},
                "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}"#,
            &Catalogue::embedded(),
        );
        let errors: Vec<(&str, &str)> = refused.iter().filter(|d| d.is_error()).map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
        assert_eq!(errors.len(), 2, "{refused:?}");
        assert!(refused.iter().filter(|d| d.is_error()).all(|d| d.code == Code::RequiredRequestField));
        assert_eq!(errors[0].0, "/States/A/Parameters");
        assert!(errors[0].1.starts_with("The field 'FunctionName' is required but was missing"), "{}", errors[0].1);
        assert_eq!(errors[1].0, "/States/C");
        assert!(errors[1].1.starts_with("Parameters field is required for resource ARN: arn:aws:states:::lambda:invoke"), "{}", errors[1].1);
        // In a JSONata state the request is `Arguments`; an `aws-sdk:` call without one is left alone.
        let jsonata = request_diagnostics(
            r#"{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Next": "B"},
                "B": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "End": true}}}"#,
            &Catalogue::embedded(),
        );
        let errors: Vec<(&str, &str)> = jsonata.iter().filter(|d| d.is_error()).map(|d| (d.pointer.as_str(), d.message.as_str())).collect();
        assert_eq!(errors.len(), 1, "{jsonata:?}");
        assert!(errors[0].1.starts_with("Arguments field is required for resource ARN: arn:aws:states:::sns:publish"), "{}", errors[0].1);
        assert!(found[0].message.ends_with("(dynamodb:GetItem input)"), "{}", found[0].message);
        // A member the SDK fills itself (the idempotencyToken trait: EMR Serverless' and EMR on
        // EKS' ClientToken) is no missing field; the other required members still are.
        let tokens = request_diagnostics(
            r#"{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::emr-serverless:startJobRun.sync", "Parameters": {"ApplicationId": "00abc", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/emr", "JobDriver": {"SparkSubmit": {"EntryPoint": "s3://b/job.py"}}}, "Next": "B"},
                "B": {"Type": "Task", "Resource": "arn:aws:states:::emr-containers:startJobRun.sync", "Parameters": {"ExecutionRoleArn": "arn:aws:iam::123456789012:role/emr", "ReleaseLabel": "emr-6.15.0-latest", "JobDriver": {"SparkSubmitJobDriver": {"EntryPoint": "s3://b/job.py"}}}, "End": true}}}"#,
            &Catalogue::embedded(),
        );
        let errors: Vec<&str> = tokens.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("The field 'VirtualClusterId' is required but was missing (emrcontainers:StartJobRun"), "{errors:?}");
        assert!(request_diagnostics("{ not json", &Catalogue::embedded()).is_empty());
        // Without the service's file (the page before it is fetched): nothing said yet.
        assert!(request_diagnostics(text, &Catalogue::from_files(Vec::<(String, String)>::new())).is_empty());
    }
}
