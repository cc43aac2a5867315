//! The service catalogue over its embedded files: resources resolved to operations and IAM
//! actions, error names, example responses (deterministic, and conforming to their output shape
//! for every operation of every service), and Parameters checked against input shapes.

use serde_json::{Value, json};
use statecraft::catalogue::{Catalogue, FieldValidationMode, FindingKind, ResolveError, Resolved, Written, check};

fn resolve(catalogue: &Catalogue, resource: &str) -> Resolved {
    catalogue.resolve(resource).unwrap_or_else(|e| panic!("{resource}: {e}"))
}

#[test]
fn resources_resolve_to_their_operation_and_iam_actions() {
    let catalogue = Catalogue::embedded();
    // (resource, catalogue service, operation, IAM actions)
    let rows: &[(&str, &str, &str, &[&str])] = &[
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", "dynamodb", "GetItem", &["dynamodb:GetItem"]),
        ("arn:aws:states:::dynamodb:putItem", "dynamodb", "PutItem", &["dynamodb:PutItem"]),
        ("arn:aws:states:::aws-sdk:dynamodb:transactWriteItems", "dynamodb", "TransactWriteItems", &["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:ConditionCheckItem"]),
        ("arn:aws:states:::lambda:invoke", "lambda", "Invoke", &["lambda:InvokeFunction"]),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", "lambda", "Invoke", &["lambda:InvokeFunction"]),
        ("arn:aws:lambda:eu-west-3:123456789012:function:Charge", "lambda", "Invoke", &["lambda:InvokeFunction"]),
        ("arn:aws:states:::sns:publish", "sns", "Publish", &["sns:Publish"]),
        ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", "sqs", "SendMessage", &["sqs:SendMessage"]),
        ("arn:aws:states:::aws-sdk:s3:listObjectsV2", "s3", "ListObjectsV2", &["s3:ListBucket"]),
        ("arn:aws:states:::aws-sdk:s3:getObject", "s3", "GetObject", &["s3:GetObject"]),
        ("arn:aws:states:::aws-sdk:s3:copyObject", "s3", "CopyObject", &["s3:GetObject", "s3:PutObject"]),
        ("arn:aws:states:::aws-sdk:s3:deletePublicAccessBlock", "s3", "DeletePublicAccessBlock", &["s3:PutBucketPublicAccessBlock"]),
        ("arn:aws:states:::aws-sdk:s3:listBucketInventoryConfigurations", "s3", "ListBucketInventoryConfigurations", &["s3:GetInventoryConfiguration"]),
        ("arn:aws:states:::ecs:runTask.sync", "ecs", "RunTask", &["ecs:RunTask"]),
        ("arn:aws:states:::batch:submitJob.sync", "batch", "SubmitJob", &["batch:SubmitJob"]),
        ("arn:aws:states:::glue:startJobRun.sync", "glue", "StartJobRun", &["glue:StartJobRun"]),
        ("arn:aws:states:::events:putEvents", "eventbridge", "PutEvents", &["events:PutEvents"]),
        ("arn:aws:states:::states:startExecution.sync:2", "sfn", "StartExecution", &["states:StartExecution"]),
        ("arn:aws:states:::aws-sdk:sfn:describeExecution", "sfn", "DescribeExecution", &["states:DescribeExecution"]),
        ("arn:aws:states:::bedrock:invokeModel", "bedrockruntime", "InvokeModel", &["bedrock:InvokeModel"]),
        ("arn:aws:states:::sagemaker:createTrainingJob.sync", "sagemaker", "CreateTrainingJob", &["sagemaker:CreateTrainingJob"]),
        ("arn:aws:states:::athena:startQueryExecution.sync", "athena", "StartQueryExecution", &["athena:StartQueryExecution"]),
        ("arn:aws:states:::elasticmapreduce:createCluster.sync", "emr", "RunJobFlow", &["elasticmapreduce:RunJobFlow"]),
        ("arn:aws:states:::emr-serverless:startJobRun.sync", "emrserverless", "StartJobRun", &["emr-serverless:StartJobRun"]),
        ("arn:aws:states:::codebuild:startBuild.sync", "codebuild", "StartBuild", &["codebuild:StartBuild"]),
        ("arn:aws:states:::eks:createCluster.sync", "eks", "CreateCluster", &["eks:CreateCluster"]),
        ("arn:aws:states:::aws-sdk:ec2:describeInstances", "ec2", "DescribeInstances", &["ec2:DescribeInstances"]),
        ("arn:aws:states:::aws-sdk:cloudwatch:putMetricData", "cloudwatch", "PutMetricData", &["cloudwatch:PutMetricData"]),
        ("arn:aws:states:::aws-sdk:cloudwatchlogs:putLogEvents", "cloudwatchlogs", "PutLogEvents", &["logs:PutLogEvents"]),
        ("arn:aws:states:::aws-sdk:elasticloadbalancingv2:describeTargetHealth", "elasticloadbalancingv2", "DescribeTargetHealth", &["elasticloadbalancing:DescribeTargetHealth"]),
        ("arn:aws:states:::aws-sdk:sesv2:sendEmail", "sesv2", "SendEmail", &["ses:SendEmail"]),
        ("arn:aws:states:::aws-sdk:ses:sendEmail", "ses", "SendEmail", &["ses:SendEmail"]),
        ("arn:aws:states:::aws-sdk:organizations:listAccounts", "organizations", "ListAccounts", &["organizations:ListAccounts"]),
        ("arn:aws:states:::aws-sdk:secretsmanager:getSecretValue", "secretsmanager", "GetSecretValue", &["secretsmanager:GetSecretValue"]),
        ("arn:aws:states:::aws-sdk:ssm:getParameter", "ssm", "GetParameter", &["ssm:GetParameter"]),
        ("arn:aws:states:::aws-sdk:kms:decrypt", "kms", "Decrypt", &["kms:Decrypt"]),
        ("arn:aws:states:::aws-sdk:rekognition:detectLabels", "rekognition", "DetectLabels", &["rekognition:DetectLabels"]),
        ("arn:aws:states:::aws-sdk:textract:analyzeDocument", "textract", "AnalyzeDocument", &["textract:AnalyzeDocument"]),
        ("arn:aws:states:::aws-sdk:comprehend:detectSentiment", "comprehend", "DetectSentiment", &["comprehend:DetectSentiment"]),
        ("arn:aws:states:::aws-sdk:rds:describeDBInstances", "rds", "DescribeDBInstances", &["rds:DescribeDBInstances"]),
        ("arn:aws:states:::aws-sdk:iam:getRole", "iam", "GetRole", &["iam:GetRole"]),
        ("arn:aws:states:::aws-sdk:kinesis:putRecord", "kinesis", "PutRecord", &["kinesis:PutRecord"]),
        ("arn:aws:states:::aws-sdk:firehose:putRecord", "firehose", "PutRecord", &["firehose:PutRecord"]),
        ("arn:aws:states:::aws-sdk:apigateway:getRestApi", "apigateway", "GetRestApi", &["apigateway:GET"]),
        ("arn:aws:states:::aws-sdk:pinpoint:sendMessages", "pinpoint", "SendMessages", &["mobiletargeting:SendMessages"]),
        ("arn:aws:states:::aws-sdk:resourcegroupstaggingapi:getResources", "resourcegroupstaggingapi", "GetResources", &["tag:GetResources"]),
        ("arn:aws:states:::aws-sdk:cloudcontrol:getResource", "cloudcontrol", "GetResource", &["cloudformation:GetResource"]),
        ("arn:aws:states:::aws-sdk:emr:runJobFlow", "emr", "RunJobFlow", &["elasticmapreduce:RunJobFlow"]),
        ("arn:aws:states:::aws-sdk:sts:getCallerIdentity", "sts", "GetCallerIdentity", &["sts:GetCallerIdentity"]),
    ];
    let mut services = std::collections::BTreeSet::new();
    for (resource, service, operation, actions) in rows {
        let resolved = resolve(&catalogue, resource);
        assert_eq!((resolved.service.name.as_str(), resolved.operation.as_str()), (*service, *operation), "{resource}");
        assert_eq!(resolved.iam_actions(), *actions, "{resource}");
        services.insert(*service);
    }
    assert!(services.len() >= 20, "{} services", services.len());
}

#[test]
fn resources_that_name_nothing_known_say_why() {
    let catalogue = Catalogue::embedded();
    let rows: &[(&str, &str)] = &[
        ("arn:aws:states:::aws-sdk:dynamodb:getThing", "dynamodb has no operation GetThing"),
        ("arn:aws:states:::aws-sdk:dynamo:getItem", "no AWS SDK integration named \"dynamo\""),
        ("arn:aws:states:::aws-sdk:sts:assumeRole", "Step Functions does not support sts:AssumeRole"),
        ("arn:aws:states:::aws-sdk:s3:selectObjectContent", "Step Functions does not support s3:SelectObjectContent"),
        ("arn:aws:states:::dynamodb:query", "dynamodb:query is not an optimized integration"),
        ("arn:aws:states:::apigateway:invoke", "calls no single API operation"),
        ("arn:aws:states:::lambda:invoke.sync", "does not support the pattern \".sync\""),
    ];
    for (resource, message) in rows {
        let error = catalogue.resolve(resource).unwrap_err();
        assert!(error.to_string().contains(message), "{resource}: {error}");
    }
    assert!(matches!(catalogue.resolve("arn:aws:states:::http:invoke"), Err(ResolveError::NoOperation)));
}

#[test]
fn errors_carry_the_names_step_functions_gives_them() {
    let catalogue = Catalogue::embedded();
    // (resource, errors it must list)
    let rows: &[(&str, &[&str])] = &[
        ("arn:aws:states:::aws-sdk:dynamodb:putItem", &["DynamoDb.ConditionalCheckFailedException", "DynamoDb.ResourceNotFoundException", "DynamoDb.DynamoDbException"]),
        ("arn:aws:states:::dynamodb:putItem", &["DynamoDB.ConditionalCheckFailedException", "DynamoDB.AmazonDynamoDBException"]),
        ("arn:aws:states:::lambda:invoke", &["Lambda.TooManyRequestsException", "Lambda.ServiceException", "Lambda.AWSLambdaException"]),
        ("arn:aws:states:::aws-sdk:lambda:invoke", &["Lambda.TooManyRequestsException", "Lambda.LambdaException"]),
        // S3's model names it BucketAlreadyExists: Step Functions adds the suffix.
        ("arn:aws:states:::aws-sdk:s3:createBucket", &["S3.BucketAlreadyExistsException", "S3.BucketAlreadyOwnedByYouException"]),
        ("arn:aws:states:::aws-sdk:s3:getObject", &["S3.NoSuchKeyException"]),
        ("arn:aws:states:::aws-sdk:acmpca:deleteCertificateAuthority", &["AcmPca.ResourceNotFoundException"]),
        ("arn:aws:states:::aws-sdk:sfn:startExecution", &["Sfn.ExecutionAlreadyExistsException", "Sfn.StateMachineDoesNotExistException"]),
        ("arn:aws:states:::states:startExecution", &["StepFunctions.ExecutionAlreadyExistsException"]),
        ("arn:aws:states:::sqs:sendMessage", &["SQS.QueueDoesNotExistException", "SQS.AmazonSQSException"]),
        ("arn:aws:states:::aws-sdk:elasticloadbalancingv2:describeTargetHealth", &["ElasticLoadBalancingV2.TargetGroupNotFoundException"]),
    ];
    for (resource, expected) in rows {
        let names = resolve(&catalogue, resource).error_names();
        for name in *expected {
            assert!(names.iter().any(|n| n == name), "{resource}: {name} not in {names:?}");
        }
        let unique: std::collections::BTreeSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "{resource}: repeated names in {names:?}");
    }
}

/// Every operation of every service: the example output is the same for a seed, differs between
/// seeds somewhere, and conforms to its shape under STRICT (required members present, types and
/// enums right).
#[test]
fn example_outputs_are_deterministic_and_conform_to_their_shape() {
    let catalogue = Catalogue::embedded();
    let names = catalogue.names();
    assert!(names.len() >= 350, "{} services", names.len());
    let (mut operations, mut with_output, mut seed_sensitive) = (0, 0, 0);
    for name in &names {
        let service = catalogue.service(name).unwrap().unwrap_or_else(|| panic!("{name}"));
        assert_eq!(&service.name, name);
        for (op_name, operation) in &service.operations {
            operations += 1;
            let Some(output) = operation.output else { continue };
            with_output += 1;
            let a = statecraft::catalogue::example::example(&service, output, 42);
            let b = statecraft::catalogue::example::example(&service, output, 42);
            assert_eq!(a, b, "{name}:{op_name}");
            if a != statecraft::catalogue::example::example(&service, output, 43) {
                seed_sensitive += 1;
            }
            let findings = check::check(&service, output, &a, FieldValidationMode::Strict, Written::Value, &[]);
            assert!(findings.is_empty(), "{name}:{op_name}: {findings:?}\n{a}");
        }
    }
    assert!(operations > 15_000, "{operations} operations");
    assert!(seed_sensitive * 10 > with_output * 8, "{seed_sensitive} of {with_output} examples depend on the seed");
}

#[test]
fn example_strings_look_like_their_member() {
    let catalogue = Catalogue::embedded();
    let start = resolve(&catalogue, "arn:aws:states:::aws-sdk:sfn:startExecution").example_output(7);
    let arn = start["ExecutionArn"].as_str().unwrap();
    assert!(arn.starts_with("arn:aws:states:us-east-1:123456789012:execution/"), "{arn}");
    let date = start["StartDate"].as_str().unwrap();
    assert!(date.starts_with("2024-") || date.starts_with("2025-"), "{date}");
    assert!(date.ends_with('Z'), "{date}");

    let sqs = resolve(&catalogue, "arn:aws:states:::sqs:sendMessage").example_output(7);
    assert_eq!(sqs["MD5OfMessageBody"].as_str().unwrap().len(), 32, "{sqs}");
    assert_eq!(sqs["MessageId"].as_str().unwrap().len(), 36, "{sqs}");

    let athena = resolve(&catalogue, "arn:aws:states:::athena:getQueryExecution").example_output(7);
    let state = athena["QueryExecution"]["Status"]["State"].as_str().unwrap();
    assert!(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"].contains(&state), "{athena}");

    let tables = resolve(&catalogue, "arn:aws:states:::aws-sdk:dynamodb:listTables").example_output(7);
    let names = tables["TableNames"].as_array().unwrap();
    assert_eq!(names.len(), 1, "{tables}");
    assert!(names[0].as_str().unwrap().starts_with("table-"), "{tables}");

    let invoke = resolve(&catalogue, "arn:aws:states:::aws-sdk:lambda:invoke").example_output(7);
    assert_eq!(invoke["StatusCode"], 200, "{invoke}");
    assert!(invoke.get("FunctionError").is_none(), "a successful call has no FunctionError: {invoke}");
    let run = resolve(&catalogue, "arn:aws:states:::ecs:runTask").example_output(7);
    assert!(run.get("Failures").is_none() && run["Tasks"].as_array().is_some_and(|t| t.len() == 1), "{run}");
}

/// DynamoDB's AttributeValue holds exactly one data type (DynamoDB refuses any other): an example
/// item is one that a workflow can put back, as a migration's scan → putItem loop does.
#[test]
fn example_dynamodb_items_hold_one_data_type_per_attribute() {
    let catalogue = Catalogue::embedded();
    fn one_type_each(value: &Value) {
        let members = value.as_object().unwrap_or_else(|| panic!("an AttributeValue is an object: {value}"));
        assert_eq!(members.len(), 1, "{value}");
        match members.iter().next() {
            Some((kind, inner)) if kind == "M" => inner.as_object().unwrap().values().for_each(one_type_each),
            Some((kind, inner)) if kind == "L" => inner.as_array().unwrap().iter().for_each(one_type_each),
            _ => {}
        }
    }
    for seed in 0..20 {
        let scan = resolve(&catalogue, "arn:aws:states:::aws-sdk:dynamodb:scan").example_output(seed);
        for item in scan["Items"].as_array().unwrap() {
            item.as_object().unwrap().values().for_each(one_type_each);
        }
        let got = resolve(&catalogue, "arn:aws:states:::dynamodb:getItem").example_output(seed);
        got["Item"].as_object().unwrap().values().for_each(one_type_each);
    }
}

/// A resource, Parameters as written, and the findings expected as (pointer, kind).
type ParameterRow = (&'static str, Value, Vec<(&'static str, FindingKind)>);

#[test]
fn parameters_are_checked_against_the_input_shape() {
    use FindingKind::*;
    let catalogue = Catalogue::embedded();
    let rows: Vec<ParameterRow> = vec![
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "Orders", "Key": {"pk": {"S": "1"}}}), vec![]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName.$": "$.table", "Key": {"pk": {"S.$": "$.id"}}}), vec![]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "Orders"}), vec![("", MissingRequired)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"Table": "Orders", "Key": {}}), vec![("/Table", UnknownMember), ("", MissingRequired)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"tableName": "Orders", "Key": {}}), vec![("/tableName", UnknownMember), ("", MissingRequired)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": 5, "Key": {}}), vec![("/TableName", WrongType)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "T", "Key": {"pk": {"Q": "1"}}}), vec![("/Key/pk/Q", UnknownMember)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "T", "Key": {}, "ConsistentRead": "yes"}), vec![("/ConsistentRead", WrongType)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "T", "Key": {}, "ReturnConsumedCapacity": "ALL"}), vec![("/ReturnConsumedCapacity", BadEnum)]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "T", "Key": {}, "ReturnConsumedCapacity": "TOTAL"}), vec![]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!({"TableName": "{% $table %}", "Key": "{% $key %}"}), vec![]),
        ("arn:aws:states:::aws-sdk:dynamodb:getItem", json!("{% $request %}"), vec![]),
        ("arn:aws:states:::aws-sdk:sqs:sendMessage", json!({"QueueUrl": "u", "MessageBody": {"a": 1}}), vec![("/MessageBody", WrongType)]),
        // The optimized integration serialises a JSON MessageBody.
        ("arn:aws:states:::sqs:sendMessage", json!({"QueueUrl": "u", "MessageBody": {"a": 1}}), vec![]),
        ("arn:aws:states:::sqs:sendMessage", json!({"QueueUrl": "u", "MessageBody": "m", "DelaySeconds": 1.5}), vec![("/DelaySeconds", WrongType)]),
        ("arn:aws:states:::lambda:invoke", json!({"FunctionName": "f", "Payload.$": "$"}), vec![]),
        ("arn:aws:states:::lambda:invoke", json!({"FunctionName": "f", "Payload": {"any": ["json"]}, "InvocationType": "Async"}), vec![("/InvocationType", BadEnum)]),
        ("arn:aws:states:::lambda:invoke", json!({"Payload": {}}), vec![("", MissingRequired)]),
        ("arn:aws:states:::events:putEvents", json!({"Entries": [{"Detail": {"x": 1}, "DetailType": "t", "Source": "s"}]}), vec![]),
        ("arn:aws:states:::events:putEvents", json!({"Entries": [{"Detail": {"x": 1}, "Sauce": "s"}]}), vec![("/Entries/0/Sauce", UnknownMember)]),
        ("arn:aws:states:::events:putEvents", json!({"Entries": {"Detail": "d"}}), vec![("/Entries", WrongType)]),
        ("arn:aws:states:::aws-sdk:ec2:describeInstances", json!({"Filters": [{"Name": "tag:env", "Values": ["prod"]}], "MaxResults": 10}), vec![]),
        ("arn:aws:states:::aws-sdk:ec2:describeInstances", json!({"Filters": [{"Name": "tag:env", "Values": "prod"}]}), vec![("/Filters/0/Values", WrongType)]),
        ("arn:aws:states:::aws-sdk:s3:putObject", json!({"Bucket": "b", "Key": "k/a~b", "Body": {"json": true}, "Tagging": "a=b"}), vec![]),
        ("arn:aws:states:::aws-sdk:s3:putObject", json!({"Bucket": "b", "Key": "k", "Metadata": {"a/b": 1}}), vec![("/Metadata/a~1b", WrongType)]),
    ];
    for (resource, parameters, expected) in rows {
        let resolved = resolve(&catalogue, resource);
        let findings = resolved.check_parameters(&parameters, FieldValidationMode::Strict, Written::Template);
        let got: Vec<(&str, FindingKind)> = findings.iter().map(|f| (f.pointer.as_str(), f.kind.clone())).collect();
        assert_eq!(got, expected, "{resource} {parameters}: {findings:?}");
        for finding in &findings {
            assert!(!finding.message.is_empty());
        }
    }
}

#[test]
fn the_mode_decides_what_is_checked() {
    let catalogue = Catalogue::embedded();
    let resolved = resolve(&catalogue, "arn:aws:states:::aws-sdk:dynamodb:getItem");
    let parameters = json!({"Tabel": "T", "ConsistentRead": 1});
    let kinds = |mode| -> Vec<FindingKind> {
        resolved.check_parameters(&parameters, mode, Written::Value).into_iter().map(|f| f.kind).collect()
    };
    use FindingKind::*;
    assert_eq!(kinds(FieldValidationMode::Strict), [UnknownMember, WrongType, MissingRequired, MissingRequired]);
    assert_eq!(kinds(FieldValidationMode::Present), [UnknownMember, WrongType]);
    assert_eq!(kinds(FieldValidationMode::None), []);
    // At run time a key ending in ".$" is a key like any other.
    let evaluated = resolved.check_parameters(&json!({"TableName.$": "T", "Key": {}}), FieldValidationMode::Strict, Written::Value);
    assert_eq!(evaluated.iter().map(|f| f.kind.clone()).collect::<Vec<_>>(), [UnknownMember, MissingRequired]);
    assert_eq!(FieldValidationMode::parse("PRESENT"), Some(FieldValidationMode::Present));
    assert_eq!(FieldValidationMode::parse("present"), None);
}

#[test]
fn the_did_you_mean_hint_names_the_member() {
    let catalogue = Catalogue::embedded();
    let resolved = resolve(&catalogue, "arn:aws:states:::aws-sdk:dynamodb:getItem");
    let findings = resolved.check_parameters(&json!({"tablename": "T", "Key": {}}), FieldValidationMode::Present, Written::Template);
    assert_eq!(findings.len(), 1);
    assert!(findings[0].message.contains("did you mean TableName?"), "{}", findings[0].message);
}

#[test]
fn an_unknown_top_level_field_says_aws_accepts_it_and_its_runs_fail_there() {
    // `lambda:invoke.waitForTaskToken` with TaskToken beside Payload: AWS's
    // ValidateStateMachineDefinition says OK, the run fails with "The field "TaskToken" is not
    // supported by Step Functions" (the same words the Developer Guide quotes for EC2's Filter).
    let catalogue = Catalogue::embedded();
    let resolved = resolve(&catalogue, "arn:aws:states:::lambda:invoke.waitForTaskToken");
    let findings = resolved.check_parameters(&json!({"FunctionName": "f", "Payload": {}, "TaskToken.$": "$$.Task.Token"}), FieldValidationMode::Present, Written::Template);
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].message.contains("The field \"TaskToken\" is not supported by Step Functions"), "{}", findings[0].message);
    // Deeper down it is the service's business: no such sentence.
    let resolved = resolve(&catalogue, "arn:aws:states:::events:putEvents");
    let findings = resolved.check_parameters(&json!({"Entries": [{"Detail": {"x": 1}, "Sauce": "s"}]}), FieldValidationMode::Present, Written::Template);
    assert!(findings.iter().all(|f| !f.message.contains("not supported by Step Functions")), "{findings:?}");
}

#[test]
fn every_service_file_names_itself_and_its_operations_resolve() {
    let catalogue = Catalogue::embedded();
    for name in catalogue.names() {
        let service = catalogue.service(&name).unwrap().unwrap();
        let (op_name, _) = service.operations.iter().find(|(op, _)| !service.unsupported.contains(op)).unwrap();
        let mut action = op_name.clone();
        action[..1].make_ascii_lowercase();
        let resolved = resolve(&catalogue, &format!("arn:aws:states:::aws-sdk:{name}:{action}"));
        let actions = resolved.iam_actions();
        assert!(actions.iter().all(|a| a.starts_with(&format!("{}:", service.iam_prefix))), "{name}: {actions:?}");
        assert!(!service.error_prefix.is_empty() && service.error_prefix.chars().next().unwrap().is_ascii_uppercase(), "{name}");
    }
}

/// Every optimized integration that calls one API operation finds it in the catalogue, and the
/// members it lets take any JSON are members of that operation's input.
#[test]
fn every_optimized_integration_resolves() {
    use statecraft::catalogue::resource::OPTIMIZED;
    use statecraft::catalogue::{Shape, ShapeId};
    let catalogue = Catalogue::embedded();
    for row in OPTIMIZED {
        let resource = format!("arn:aws:states:::{}:{}", row.service, row.action);
        if row.calls.is_none() {
            assert!(matches!(catalogue.resolve(&resource), Err(ResolveError::NoOperation)), "{resource}");
            continue;
        }
        let resolved = resolve(&catalogue, &resource);
        assert!(!resolved.iam_actions().is_empty(), "{resource}");
        for member in row.json_members {
            let mut shape: Option<ShapeId> = resolved.operation().input;
            for part in member.split('/') {
                let id = shape.unwrap_or_else(|| panic!("{resource}: {member}"));
                shape = match (resolved.service.shape(id), part) {
                    (Shape::List { member, .. }, "*") => Some(*member),
                    (s, name) => s.member(name),
                };
            }
            assert!(shape.is_some(), "{resource}: {member} is not a member of the input");
        }
    }
}

/// The page's way: no embedded files, a service handed over once fetched.
#[test]
fn a_catalogue_without_files_learns_a_service_from_its_text() {
    use statecraft::catalogue::{Embedded, Source, Texts};
    let catalogue = Catalogue::new(Texts::default());
    assert!(matches!(catalogue.resolve("arn:aws:states:::aws-sdk:sqs:sendMessage"), Err(ResolveError::UnknownService(s)) if s == "sqs"));
    let text = Embedded.text("sqs").unwrap();
    catalogue.insert_text("sqs", &text).unwrap();
    assert_eq!(resolve(&catalogue, "arn:aws:states:::aws-sdk:sqs:sendMessage").iam_actions(), ["sqs:SendMessage"]);
    let broken = catalogue.insert_text("sns", "{\"v\":1}").unwrap_err();
    assert_eq!(broken.pointer, "");
    assert!(matches!(catalogue.resolve("arn:aws:states:::sns:publish"), Err(ResolveError::Format { .. })));
}

/// The catalogue's handler in a run: each Task answers with its operation's example, the same
/// for the same execution seed, and the workflow reads fields of the real response's shape.
#[test]
fn the_catalogue_handler_answers_tasks_in_a_run() {
    use statecraft::asl::clock::VirtualClock;
    use statecraft::asl::interp::plug::HandlerRegistry;
    use statecraft::asl::interp::{Execution, ExecutionConfig, ExecutionStatus, Program};
    use statecraft::handlers::catalogue::CatalogueHandler;
    let definition = json!({"StartAt": "Describe", "States": {
        "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:athena:getQueryExecution",
                     "Parameters": {"QueryExecutionId.$": "$.id"},
                     "ResultSelector": {"state.$": "$.QueryExecution.Status.State", "id.$": "$.QueryExecution.QueryExecutionId"},
                     "ResultPath": "$.query", "Next": "Start"},
        "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
                  "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child", "Input": {"a": 1}},
                  "ResultSelector": {"arn.$": "$.ExecutionArn"}, "ResultPath": "$.child", "End": true}}});
    let program = std::sync::Arc::new(Program::from_text(&definition.to_string()).unwrap());
    let catalogue = Catalogue::embedded();
    let run = |seed: u64| {
        let mut handlers = HandlerRegistry::new();
        for (state, resource) in [("Describe", "arn:aws:states:::aws-sdk:athena:getQueryExecution"), ("Start", "arn:aws:states:::states:startExecution")] {
            handlers.register(state, CatalogueHandler::for_resource(&catalogue, resource).unwrap());
        }
        let config = ExecutionConfig { seed, ..ExecutionConfig::default() };
        let mut execution = Execution::start(program.clone(), json!({"id": "q-1"}), Box::new(VirtualClock::default()), handlers, config);
        execution.run();
        match execution.status() {
            ExecutionStatus::Succeeded { output } => output.clone(),
            other => panic!("{other:?}"),
        }
    };
    let output = run(11);
    assert_eq!(output, run(11));
    assert_ne!(output, run(12));
    let state = output["query"]["state"].as_str().unwrap();
    assert!(["QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"].contains(&state), "{output}");
    assert!(output["child"]["arn"].as_str().unwrap().starts_with("arn:aws:states:"), "{output}");
}

/// The two views of Step Functions' optimized integrations agree: the language's table
/// (`asl::integrations`: which exist and with which patterns, what the validator accepts) and the
/// catalogue's (which API operation each calls, its error prefix, its IAM actions). An entry in
/// one and not the other, or with other patterns, would let a definition validate and then have
/// no answer, or the reverse.
#[test]
fn the_optimized_integrations_agree_with_the_language_s_table() {
    use statecraft::asl::integrations as lang;
    use statecraft::catalogue::resource as cat;
    let mut differences = Vec::new();
    // `s3:getObject`, `s3:listObjectsV2` and `s3:putObject` name a Distributed Map's ItemReader
    // and ResultWriter, never a Task: the language's table of Task integrations has no S3.
    for c in cat::OPTIMIZED.iter().filter(|c| c.service != "s3") {
        match lang::optimized(c.service, c.action) {
            None => differences.push(format!("{}:{} is in the catalogue's table only", c.service, c.action)),
            Some(l) => {
                for p in c.patterns {
                    if !l.supports(*p) {
                        differences.push(format!("{}:{}{}: the catalogue offers it, the language refuses it", c.service, c.action, p.suffix()));
                    }
                }
            }
        }
    }
    for l in lang::OPTIMIZED {
        if cat::optimized(l.service, l.action).is_none() {
            differences.push(format!("{}:{} is in the language's table only", l.service, l.action));
        }
    }
    assert!(differences.is_empty(), "{} differences:\n{}", differences.len(), differences.join("\n"));
}

/// The page's whole way, natively: the services a definition needs, their files handed over
/// (what the page fetched), a catalogue built from them alone; a run with it answers every Task
/// exactly as the native build does with every file embedded. Without a file, that service's
/// Task echoes its request (and the run's log says why).
#[test]
fn a_catalogue_of_the_files_a_definition_needs_runs_it_as_natively() {
    use statecraft::catalogue::needs::services_used;
    use statecraft::catalogue::{Embedded, Source};
    use statecraft::sim::batch::Simulator;
    use std::rc::Rc;
    let definition = json!({"StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                "Parameters": {"TableName": "Orders", "Key": {"id": {"S.$": "$.id"}}}, "ResultPath": "$.got", "Next": "Accounts"},
        "Accounts": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:listAccounts", "ResultPath": "$.accounts", "Next": "Instances"},
        "Instances": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ec2:describeInstances", "ResultPath": "$.ec2", "Next": "Object"},
        "Object": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getBucketTagging",
                   "Parameters": {"Bucket": "b"}, "ResultSelector": {"tags.$": "$.TagSet"}, "ResultPath": "$.s3", "End": true}}});
    let text = definition.to_string();
    let needed = services_used(&definition);
    assert_eq!(needed.iter().map(String::as_str).collect::<Vec<_>>(), ["dynamodb", "ec2", "organizations", "s3"]);
    let files: Vec<(String, String)> = needed.iter().map(|s| (s.clone(), Embedded.text(s).unwrap().into_owned())).collect();
    let native = Simulator::new(&text, &Default::default()).unwrap().with_catalogue(Rc::new(Catalogue::embedded())).run(json!({"id": "o-1"}), 7);
    let paged = Simulator::new(&text, &Default::default()).unwrap().with_catalogue(Rc::new(Catalogue::from_files(files.clone()))).run(json!({"id": "o-1"}), 7);
    assert_eq!(native.status, "SUCCEEDED");
    assert_eq!(paged.output, native.output);
    let output = paged.output.clone().unwrap();
    assert!(output["accounts"]["Accounts"].is_array(), "organizations answers from its output shape: {output}");
    assert!(output["ec2"]["Reservations"].is_array(), "{output}");
    assert!(output["s3"]["tags"].is_array(), "{output}");

    // One file missing (its fetch failed): that Task echoes its request, with a log line.
    let without_ec2: Vec<(String, String)> = files.into_iter().filter(|(s, _)| s != "ec2").collect();
    let catalogue = Catalogue::from_files(without_ec2);
    assert!(catalogue.has("s3") && !catalogue.has("ec2"));
    let partial = Simulator::new(&text, &Default::default()).unwrap().with_catalogue(Rc::new(catalogue)).run(json!({"id": "o-1"}), 7);
    assert_eq!(partial.status, "SUCCEEDED");
    let partial_output = partial.output.unwrap();
    assert_eq!(partial_output["accounts"], output["accounts"]);
    assert!(partial_output["ec2"].get("Reservations").is_none(), "{partial_output}");
}
