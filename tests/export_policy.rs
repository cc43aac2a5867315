//! The execution role's policy (issue 14): exactly the actions a definition uses, on the
//! resources it names, for every kind of integration; a resource known only at run time gets the
//! narrowest wildcard and a warning that names the state and the field; nothing is omitted
//! silently. The templates of these workflows are linted by tests/export_verify.rs.

mod export_support;
use export_support::*;
use statecraft::export::asl_json::ArnTarget;
use statecraft::export::policy::execution_policy;
use statecraft::export::{ExportOptions, ExportWarning, ExportedDefinition, export};
use std::collections::BTreeSet;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "eu-west-3";

/// A statement as (Sid, actions, resources, condition).
type Statement = (String, Vec<String>, Vec<String>, Option<serde_json::Value>);

fn strings(value: &serde_json::Value) -> Vec<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// The policy of `definition` exported as `name` to account 123456789012 in eu-west-3, and the
/// export's warnings.
fn policy_named(definition: &str, name: &str) -> (Vec<Statement>, Vec<ExportWarning>) {
    let options = ExportOptions { state_machine_name: name.into(), ..ExportOptions::default() };
    let read = ExportedDefinition::read(definition).unwrap();
    let policy = execution_policy(&read.resources, &options, ArnTarget { account: ACCOUNT, region: REGION });
    let statements = policy
        .map(|p| {
            p["Statement"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| (s["Sid"].as_str().unwrap().to_string(), strings(&s["Action"]), strings(&s["Resource"]), s.get("Condition").cloned()))
                .collect()
        })
        .unwrap_or_default();
    let warnings = export(definition, &options, &[]).unwrap().warnings;
    assert_eq!(warnings, read.resources.warnings, "export() reports the scan's warnings");
    (statements, warnings)
}

fn policy(definition: &str) -> (Vec<Statement>, Vec<ExportWarning>) {
    policy_named(definition, "OrderProcessingWorkflow")
}

fn actions(statements: &[Statement]) -> BTreeSet<String> {
    statements.iter().flat_map(|s| s.1.clone()).collect()
}

/// A one-state definition calling `resource` with `parameters`.
fn task(resource: &str, parameters: &str) -> String {
    format!(r#"{{"StartAt": "Call it", "States": {{"Call it": {{"Type": "Task", "Resource": "{resource}", "Parameters": {parameters}, "End": true}}}}}}"#)
}

fn s(sid: &str, actions: &[&str], resources: &[&str]) -> Statement {
    (sid.into(), actions.iter().map(|a| a.to_string()).collect(), resources.iter().map(|r| r.to_string()).collect(), None)
}

#[test]
fn dynamodb_ses_and_organizations_get_exactly_their_actions() {
    let definition = r#"{"StartAt": "Get", "States": {
      "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Parameters": {"TableName": "Orders", "Key": {}}, "Next": "Put"},
      "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"TableName": "Orders", "Item": {}}, "Next": "Update"},
      "Update": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem", "Parameters": {"TableName": "Orders", "Key": {}}, "Next": "Query"},
      "Query": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "Parameters": {"TableName": "Orders", "KeyConditionExpression": "pk = :p"}, "Next": "Mail"},
      "Mail": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail", "Parameters": {"FromEmailAddress": "a@example.com", "Destination": {}, "Content": {}}, "Next": "Mail v1"},
      "Mail v1": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:ses:sendEmail", "Parameters": {"Source": "a@example.com", "Destination": {}, "Message": {}}, "Next": "Create"},
      "Create": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:createAccount", "Parameters": {"AccountName": "x", "Email": "x@example.com"}, "Next": "Status"},
      "Status": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:describeCreateAccountStatus", "Parameters": {"CreateAccountRequestId.$": "$.CreateAccountStatus.Id"}, "Next": "Move"},
      "Move": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:moveAccount", "Parameters": {"AccountId.$": "$.id", "SourceParentId": "r-1", "DestinationParentId": "ou-1"}, "End": true}}}"#;
    let (statements, warnings) = policy(definition);
    assert_eq!(
        statements,
        [
            s("UseTables", &["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], &["arn:aws:dynamodb:eu-west-3:123456789012:table/Orders"]),
            s("CallSes", &["ses:SendEmail"], &["*"]),
            s("CallOrganizations", &["organizations:CreateAccount", "organizations:DescribeCreateAccountStatus", "organizations:MoveAccount"], &["*"]),
        ]
    );
    // Every "*" is said, on its state.
    let warned: Vec<&str> = warnings.iter().map(|w| w.state.as_str()).collect();
    assert_eq!(warned, ["Mail", "Mail v1", "Create", "Status", "Move"]);
    assert!(warnings.iter().all(|w| w.message.ends_with("granted on *") && w.pointer.ends_with("/Resource")), "{warnings:?}");
}

#[test]
fn a_resource_named_at_run_time_gets_the_narrowest_wildcard_and_a_warning_on_its_state() {
    // (resource, parameters, field in the pointer, wildcard granted)
    let cases = [
        ("arn:aws:states:::dynamodb:putItem", r#"{"TableName.$": "$.table", "Item": {}}"#, "/Parameters/TableName.$", "arn:aws:dynamodb:eu-west-3:123456789012:table/*"),
        ("arn:aws:states:::dynamodb:putItem", r#"{"TableName": "${OrdersTable}", "Item": {}}"#, "/Parameters/TableName", "arn:aws:dynamodb:eu-west-3:123456789012:table/*"),
        ("arn:aws:states:::sns:publish", r#"{"TopicArn.$": "$.topic", "Message": "m"}"#, "/Parameters/TopicArn.$", "arn:aws:sns:eu-west-3:123456789012:*"),
        ("arn:aws:states:::sqs:sendMessage", r#"{"QueueUrl.$": "$.queue", "MessageBody": "m"}"#, "/Parameters/QueueUrl.$", "arn:aws:sqs:eu-west-3:123456789012:*"),
        ("arn:aws:states:::lambda:invoke", r#"{"FunctionName.$": "$.fn"}"#, "/Parameters/FunctionName.$", "arn:aws:lambda:eu-west-3:123456789012:function:*"),
        ("arn:aws:states:::states:startExecution", r#"{"StateMachineArn.$": "$.machine"}"#, "/Parameters/StateMachineArn.$", "arn:aws:states:eu-west-3:123456789012:stateMachine:*"),
        ("arn:aws:states:::aws-sdk:s3:getObject", r#"{"Bucket": "reports", "Key.$": "$.key"}"#, "/Parameters/Key.$", "arn:aws:s3:::reports/*"),
    ];
    for (resource, parameters, field, wildcard) in cases {
        let (statements, warnings) = policy(&task(resource, parameters));
        let resources: Vec<&String> = statements.iter().flat_map(|s| &s.2).collect();
        assert_eq!(resources, [wildcard], "{resource} {parameters}");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!((warnings[0].state.as_str(), warnings[0].pointer.as_str()), ("Call it", format!("/States/Call it{field}").as_str()));
        assert!(warnings[0].to_string().starts_with("state \"Call it\""), "{}", warnings[0]);
        assert!(warnings[0].message.contains(&wildcard.replace("eu-west-3", "REGION").replace(ACCOUNT, "ACCOUNT")), "{}", warnings[0].message);
    }
    // JSONata: an expression in Arguments is a run-time value too.
    let jsonata = r#"{"QueryLanguage": "JSONata", "StartAt": "Save the order", "States": {"Save the order": {"Type": "Task",
        "Resource": "arn:aws:states:::dynamodb:putItem", "Arguments": {"TableName": "{% $states.input.table %}", "Item": {}}, "End": true}}}"#;
    let (statements, warnings) = policy(jsonata);
    assert_eq!(statements[0].2, ["arn:aws:dynamodb:eu-west-3:123456789012:table/*"]);
    assert_eq!(warnings[0].pointer, "/States/Save the order/Arguments/TableName");
}

#[test]
fn sync_integrations_get_their_polling_actions_and_event_rules() {
    let rule = |name: &str| format!("arn:aws:events:eu-west-3:123456789012:rule/{name}");
    // (resource, parameters, actions beyond the request's, the managed rule)
    let cases: [(&str, &str, &[&str], Option<&str>); 6] = [
        ("arn:aws:states:::batch:submitJob.sync", r#"{"JobName": "j", "JobQueue": "q", "JobDefinition": "d"}"#, &["batch:DescribeJobs", "batch:TerminateJob"], Some("StepFunctionsGetEventsForBatchJobsRule")),
        ("arn:aws:states:::ecs:runTask.sync", r#"{"TaskDefinition": "t:1"}"#, &["ecs:StopTask", "ecs:DescribeTasks"], Some("StepFunctionsGetEventsForECSTaskRule")),
        ("arn:aws:states:::states:startExecution.sync", r#"{"StateMachineArn": "arn:aws:states:eu-west-3:123456789012:stateMachine:Child"}"#, &["states:DescribeExecution", "states:StopExecution"], Some("StepFunctionsGetEventsForStepFunctionsExecutionRule")),
        ("arn:aws:states:::states:startExecution.sync:2", r#"{"StateMachineArn": "arn:aws:states:eu-west-3:123456789012:stateMachine:Child"}"#, &["states:DescribeExecution", "states:StopExecution"], Some("StepFunctionsGetEventsForStepFunctionsExecutionRule")),
        ("arn:aws:states:::glue:startJobRun.sync", r#"{"JobName": "etl"}"#, &["glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], None),
        ("arn:aws:states:::sagemaker:createTrainingJob.sync", r#"{"TrainingJobName": "t"}"#, &["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"], Some("StepFunctionsGetEventsForSageMakerTrainingJobsRule")),
    ];
    for (resource, parameters, follow, managed_rule) in cases {
        let (sync, _) = policy(&task(resource, parameters));
        let (request, _) = policy(&task(resource.split(".sync").next().unwrap(), parameters));
        let extra: BTreeSet<String> = actions(&sync).difference(&actions(&request)).cloned().collect();
        let mut expected: BTreeSet<String> = follow.iter().map(|a| a.to_string()).collect();
        if managed_rule.is_some() {
            expected.extend(["events:PutTargets", "events:PutRule", "events:DescribeRule"].map(String::from));
        }
        assert_eq!(extra, expected, "{resource}");
        if let Some(name) = managed_rule {
            let events = sync.iter().find(|s| s.1.contains(&"events:PutRule".to_string())).unwrap();
            assert_eq!(events.2, [rule(name)], "{resource}");
        }
    }
    let (statements, _) = policy(&task("arn:aws:states:::states:startExecution.sync", r#"{"StateMachineArn": "arn:aws:states:eu-west-3:123456789012:stateMachine:Child"}"#));
    assert!(statements.contains(&s("FollowNestedExecutions", &["states:DescribeExecution", "states:StopExecution"], &["arn:aws:states:eu-west-3:123456789012:execution:Child:*"])));
    // A .sync whose polling actions the exporter does not know is said, not dropped.
    let (_, warnings) = policy(&task("arn:aws:states:::mediaconvert:createJob.sync", r#"{"Role": "r", "Settings": {}}"#));
    assert!(warnings.iter().any(|w| w.message.contains("mediaconvert:createJob.sync polls")), "{warnings:?}");
}

#[test]
fn a_distributed_map_starts_its_own_children_and_reads_and_writes_its_buckets() {
    let definition = r#"{"StartAt": "Each object", "States": {"Each object": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "landing", "Prefix": "2026/"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Inner", "States": {
          "Inner": {"Type": "Map", "ItemProcessor": {"StartAt": "Notify", "States": {
            "Notify": {"Type": "Task", "Resource": "arn:aws:states:::sns:publish", "Parameters": {"TopicArn": "arn:aws:sns:eu-west-3:123456789012:Done", "Message": "x"}, "End": true}}}, "End": true}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "runs/"}},
        "End": true}}}"#;
    let (statements, warnings) = policy_named(definition, "Ingest");
    assert!(warnings.is_empty(), "{warnings:?}");
    let mut list = s("ListItems", &["s3:ListBucket"], &["arn:aws:s3:::landing"]);
    list.3 = Some(serde_json::json!({"StringLike": {"s3:prefix": ["2026/*"]}}));
    assert_eq!(
        statements,
        [
            s("RunDistributedMaps", &["states:StartExecution"], &["arn:aws:states:eu-west-3:123456789012:stateMachine:Ingest"]),
            s("FollowDistributedMaps", &["states:DescribeExecution", "states:StopExecution"], &["arn:aws:states:eu-west-3:123456789012:execution:Ingest/*"]),
            list,
            s("WriteResults", &["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"], &["arn:aws:s3:::results/runs/*"]),
            s("PublishToTopics", &["sns:Publish"], &["arn:aws:sns:eu-west-3:123456789012:Done"]),
        ]
    );
    // An INLINE Map starts nothing of its own.
    let inline = definition.replace(r#""Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS""#, r#""Mode": "INLINE""#);
    let (statements, _) = policy_named(&inline, "Ingest");
    assert!(!actions(&statements).contains("states:StartExecution"));
}

#[test]
fn a_call_whose_arn_holds_a_template_s_pseudo_parameters_gets_its_action() {
    // `Fn::Sub` definitions and SAM files write `arn:${AWS::Partition}:states:::...`.
    let (statements, _) = policy(&task("arn:${AWS::Partition}:states:::aws-sdk:ec2:describeInstances", r#"{"InstanceIds": ["i-0abc"]}"#));
    assert!(actions(&statements).contains("ec2:DescribeInstances"), "{statements:?}");
    let (statements, _) = policy(&task("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:aws-sdk:sqs:sendMessage", r#"{"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/orders", "MessageBody": "m"}"#));
    assert!(actions(&statements).contains("sqs:SendMessage"), "{statements:?}");
}

#[test]
fn nothing_the_exporter_cannot_derive_is_dropped_silently() {
    // An operation the catalogue does not know is granted as written, with a warning.
    let (statements, warnings) = policy(&task("arn:aws:states:::aws-sdk:nosuchservice:doThing", "{}"));
    assert_eq!(actions(&statements), BTreeSet::from(["nosuchservice:DoThing".to_string()]));
    assert!(warnings.iter().any(|w| w.message.contains("does not give this call's IAM action")), "{warnings:?}");
    // A placeholder resource grants nothing, and says so.
    let (statements, warnings) = policy(&task("${ChargeFunctionArn}", "{}"));
    assert!(statements.is_empty());
    assert_eq!(warnings[0].pointer, "/States/Call it/Resource");
    assert!(warnings[0].message.contains("template placeholder ${ChargeFunctionArn}, known only once the template is deployed"), "{}", warnings[0].message);
    // A placeholder argument is known when the template is deployed, not at run time; a path is known at run time.
    let (_, warnings) = policy(&task("arn:aws:states:::dynamodb:putItem", r#"{"TableName": "${OrdersTable}", "Item": {}}"#));
    assert_eq!(warnings[0].pointer, "/States/Call it/Parameters/TableName");
    assert!(warnings[0].message.starts_with("Parameters.TableName is the template placeholder ${OrdersTable}, known only once the template is deployed"), "{}", warnings[0].message);
    assert!(!warnings[0].message.contains("run time"), "{}", warnings[0].message);
    let (_, warnings) = policy(&task("arn:aws:states:::dynamodb:putItem", r#"{"TableName.$": "$.table", "Item": {}}"#));
    assert!(warnings[0].message.starts_with("Parameters.TableName.$ is known only at run time"), "{}", warnings[0].message);
    // A Resource named by a JSONata expression is known at run time only: nothing granted, said on it.
    let named_at_run_time = r#"{"QueryLanguage": "JSONata", "StartAt": "Call it", "States": {"Call it": {"Type": "Task",
        "Resource": "{% 'arn:aws:lambda:us-east-1:123456789012:function:' & $states.input.fn %}", "End": true}}}"#;
    let (statements, warnings) = policy(named_at_run_time);
    assert!(statements.is_empty(), "{statements:?}");
    assert_eq!((warnings.len(), warnings[0].state.as_str(), warnings[0].pointer.as_str()), (1, "Call it", "/States/Call it/Resource"));
    assert!(warnings[0].message.contains("JSONata expression, known only at run time") && warnings[0].message.contains("grant its actions by hand"), "{}", warnings[0].message);
    // Credentials: the execution role assumes the role; the call's actions are the role's.
    let with_role = r#"{"StartAt": "Audit", "States": {"Audit": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:securityhub:enableSecurityHub",
        "Credentials": {"RoleArn": "arn:aws:iam::111122223333:role/Audit"}, "Parameters": {}, "End": true}}}"#;
    let (statements, warnings) = policy(with_role);
    assert_eq!(statements, [s("AssumeTaskRoles", &["sts:AssumeRole"], &["arn:aws:iam::111122223333:role/Audit"])]);
    assert!(warnings.iter().any(|w| w.pointer == "/States/Audit/Credentials" && w.message.contains("securityhub:EnableSecurityHub")), "{warnings:?}");
}

#[test]
fn the_account_vending_workflow_gets_every_permission_it_needs() {
    let (statements, warnings) = policy_named(&every_policy_text(), "AccountVending");
    let granted = |action: &str| -> Vec<String> { statements.iter().filter(|s| s.1.iter().any(|a| a == action)).flat_map(|s| s.2.clone()).collect() };
    let expected_actions = [
        "dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:PutItem",
        "organizations:CreateAccount", "organizations:DescribeCreateAccountStatus", "organizations:MoveAccount",
        "batch:SubmitJob", "batch:DescribeJobs", "batch:TerminateJob", "ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks",
        "events:PutTargets", "events:PutRule", "events:DescribeRule", "states:StartExecution", "states:DescribeExecution", "states:StopExecution",
        "s3:GetObject", "s3:PutObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload",
        "states:InvokeHTTPEndpoint", "events:RetrieveConnectionCredentials", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
        "execute-api:Invoke", "events:PutEvents", "sts:AssumeRole", "ses:SendEmail",
    ];
    assert_eq!(actions(&statements), expected_actions.iter().map(|a| a.to_string()).collect::<BTreeSet<_>>());
    assert_eq!(
        granted("dynamodb:Query"),
        ["arn:aws:dynamodb:eu-west-3:123456789012:table/AccountRequests", "arn:aws:dynamodb:eu-west-3:123456789012:table/AccountRequests/index/byOwner"]
    );
    assert_eq!(
        granted("states:StartExecution"),
        ["arn:aws:states:eu-west-3:123456789012:stateMachine:Guardrails", "arn:aws:states:eu-west-3:123456789012:stateMachine:AccountVending"]
    );
    assert_eq!(granted("execute-api:Invoke"), ["arn:aws:execute-api:eu-west-3:123456789012:a1b2c3d4e5/prod/POST/accounts"]);
    assert_eq!(granted("events:PutEvents"), ["arn:aws:events:eu-west-3:123456789012:event-bus/platform"]);
    assert!(granted("securityhub:EnableSecurityHub").is_empty(), "granted to the Credentials role, not this one");
    let states: BTreeSet<&str> = warnings.iter().map(|w| w.state.as_str()).collect();
    assert_eq!(
        states,
        BTreeSet::from(["Create the account", "Check the account status", "Move the account to its unit", "Record the resource", "Audit in the security account", "Welcome the owner", "Copy the platform team"])
    );
}

#[test]
fn statecraft_export_prints_the_warnings_to_stderr() {
    let dir = std::env::temp_dir().join(format!("statecraft-export-policy-{}", std::process::id()));
    let definition = dir.join("definition.json");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(&definition, task("arn:aws:states:::dynamodb:putItem", r#"{"TableName.$": "$.table", "Item": {}}"#)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_statecraft")).arg("export").arg(&definition).arg("--out").arg(dir.join("out")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: state \"Call it\" (/States/Call it/Parameters/TableName.$)"), "{stderr}");
    assert!(dir.join("out/cloudformation.yaml").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The page's export: a catalogue of only the service files the definition needs (what it
/// fetched) gives the policy the embedded catalogue gives; without them the `aws-sdk:` actions
/// are guessed, and a warning says so for each.
#[test]
fn the_page_s_catalogue_of_fetched_files_gives_the_same_policy() {
    use statecraft::catalogue::needs::services_used;
    use statecraft::catalogue::{Catalogue, Embedded, Source};
    use statecraft::export::export_with;
    let definition = r#"{"StartAt": "Get", "States": {
      "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Parameters": {"TableName": "Orders", "Key": {}}, "Next": "Mail"},
      "Mail": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:sesv2:sendEmail", "Parameters": {"FromEmailAddress": "a@example.com", "Destination": {}, "Content": {}}, "Next": "Accounts"},
      "Accounts": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:organizations:listAccounts", "End": true}}}"#;
    let options = ExportOptions::default();
    let needed = services_used(&serde_json::from_str(definition).unwrap());
    let fetched = Catalogue::from_files(needed.iter().map(|s| (s.clone(), Embedded.text(s).unwrap().into_owned())));
    let native = export(definition, &options, &[]).unwrap();
    let paged = export_with(definition, &options, &[], &fetched).unwrap();
    assert_eq!(paged, native);
    assert!(!paged.warnings.iter().any(|w| w.message.contains("catalogue")), "{:?}", paged.warnings);
    let without = export_with(definition, &options, &[], &Catalogue::from_files(Vec::<(String, String)>::new())).unwrap();
    let unresolved: Vec<&str> = without.warnings.iter().filter(|w| w.message.contains("the catalogue does not give")).map(|w| w.state.as_str()).collect();
    assert_eq!(unresolved, ["Mail", "Accounts"]);
}

/// A corpus workflow's definition (tests/fixtures/workflows).
fn corpus(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/fixtures/workflows/{name}.asl.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// "IAM policies for using Distributed Map states" (docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html):
/// StartExecution on the state machine, DescribeExecution and StopExecution on its executions,
/// and per reader: s3:GetObject on the object a getObject reader reads (CSV, JSON, JSONL),
/// s3:ListBucket on the bucket a listObjectsV2 reader lists (narrowed to its prefix); a
/// ResultWriter's PutObject, GetObject, ListMultipartUploadParts and AbortMultipartUpload on its
/// prefix. The three corpus workflows, one per reader type.
#[test]
fn the_corpus_distributed_maps_get_what_the_docs_list_per_reader_type() {
    let run = |name: &str| {
        [
            s("RunDistributedMaps", &["states:StartExecution"], &[&format!("arn:aws:states:eu-west-3:123456789012:stateMachine:{name}")]),
            s("FollowDistributedMaps", &["states:DescribeExecution", "states:StopExecution"], &[&format!("arn:aws:states:eu-west-3:123456789012:execution:{name}/*")]),
        ]
    };
    let writes = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"];

    // CSV over getObject, its bucket and key from the input; a ResultWriter under a dated prefix.
    let (statements, warnings) = policy_named(&corpus("customer-csv-import-distributed"), "CustomerImport");
    for expected in run("CustomerImport") {
        assert!(statements.contains(&expected), "{expected:?} in {statements:#?}");
    }
    let read = statements.iter().find(|st| st.0 == "ReadItems").expect("the reader's grant");
    // Bucket and Key are known only at run time: the narrowest grant the exporter can write,
    // and a warning to scope it down, as the page asks for paths resolved at run time.
    assert_eq!((read.1.clone(), read.2.clone()), (vec!["s3:GetObject".to_string()], vec!["arn:aws:s3:::*/*".to_string()]));
    let write = statements.iter().find(|st| st.0 == "WriteResults").expect("the writer's grant");
    assert_eq!((write.1.clone(), write.2.clone()), (writes.map(String::from).to_vec(), vec!["arn:aws:s3:::crm-import-results/*".to_string()]));
    // The Prefix is formatted at run time: the whole bucket, said on the ResultWriter.
    assert!(warnings.iter().any(|w| w.pointer.contains("ResultWriter")), "{warnings:?}");
    assert!(warnings.iter().any(|w| w.pointer.contains("ItemReader")), "the run-time bucket is said: {warnings:?}");

    // JSONL over getObject in JSONata; a WriterConfig alone writes nothing to S3.
    let (statements, _) = policy_named(&corpus("clickstream-jsonl-sessionizer"), "Clickstream");
    for expected in run("Clickstream") {
        assert!(statements.contains(&expected), "{expected:?} in {statements:#?}");
    }
    assert!(statements.iter().any(|st| st.0 == "ReadItems" && st.1 == ["s3:GetObject"]), "{statements:#?}");
    assert!(!statements.iter().any(|st| st.0 == "WriteResults"), "no ResultWriter Resource: {statements:#?}");

    // listObjectsV2: ListBucket on the listed bucket; a FLATTEN JSONL writer.
    let (statements, _) = policy_named(&corpus("product-image-catalog-refresh"), "ImageCatalog");
    for expected in run("ImageCatalog") {
        assert!(statements.contains(&expected), "{expected:?} in {statements:#?}");
    }
    assert!(statements.iter().any(|st| st.0 == "ListItems" && st.1 == ["s3:ListBucket"]), "{statements:#?}");
    let write = statements.iter().find(|st| st.0 == "WriteResults").expect("the writer's grant");
    assert_eq!(write.2, ["arn:aws:s3:::catalog-pipeline-results/*"]);
}

#[test]
fn a_role_handed_to_a_service_is_passed_with_iam_pass_role() {
    // EMR's createCluster (AWS's emr-iam page: iam:PassRole on the roles), by name.
    let emr = task(
        "arn:aws:states:::elasticmapreduce:createCluster.sync",
        r#"{"Name": "c", "ServiceRole": "EMR_DefaultRole", "JobFlowRole": "EMR_EC2_DefaultRole", "Instances": {"KeepJobFlowAliveWhenNoSteps": true}}"#,
    );
    let (statements, _) = policy(&emr);
    let passed: Vec<&Statement> = statements.iter().filter(|s| s.1 == ["iam:PassRole"]).collect();
    assert_eq!(passed.len(), 1, "{statements:?}");
    assert_eq!(
        passed[0].2,
        [format!("arn:aws:iam::{ACCOUNT}:role/EMR_DefaultRole"), format!("arn:aws:iam::{ACCOUNT}:role/EMR_EC2_DefaultRole")]
    );
    // An aws-sdk call given a role ARN, and one given a role at run time (warned, role/*).
    let sdk = task("arn:aws:states:::aws-sdk:sagemaker:createModel", r#"{"ModelName": "m", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/SageMakerExec"}"#);
    let (statements, _) = policy(&sdk);
    assert!(statements.iter().any(|s| s.1 == ["iam:PassRole"] && s.2 == ["arn:aws:iam::123456789012:role/SageMakerExec"]), "{statements:?}");
    let runtime = task("arn:aws:states:::aws-sdk:lambda:createFunction", r#"{"FunctionName": "f", "Role.$": "$.role", "Code": {}}"#);
    let (statements, warnings) = policy(&runtime);
    assert!(statements.iter().any(|s| s.1 == ["iam:PassRole"] && s.2 == [format!("arn:aws:iam::{ACCOUNT}:role/*")]), "{statements:?}");
    assert!(warnings.iter().any(|w| w.message.contains("iam:PassRole") && w.pointer.ends_with("/Role.$")), "{warnings:?}");
    // STS takes a role to assume, not to pass; a role's name is not a role handed over.
    let sts = task("arn:aws:states:::aws-sdk:sts:assumeRole", r#"{"RoleArn": "arn:aws:iam::123456789012:role/R", "RoleSessionName": "s"}"#);
    assert!(!actions(&policy(&sts).0).contains("iam:PassRole"));
    let iam = task("arn:aws:states:::aws-sdk:iam:getRole", r#"{"RoleName": "R"}"#);
    assert!(!actions(&policy(&iam).0).contains("iam:PassRole"));
}

mod corpus_support;

/// The IAM actions a Task's resource needs as the catalogue gives them, lowercased (IAM matches
/// actions case-insensitively); none for what the catalogue cannot resolve.
fn needed_actions(resource: &str, catalogue: &statecraft::catalogue::Catalogue) -> Vec<String> {
    catalogue.resolve(resource).map(|r| r.iam_actions()).unwrap_or_default().iter().map(|a| a.to_ascii_lowercase()).collect()
}

/// Every published and production-style workflow of the corpus (tests/fixtures/workflows), as
/// `statecraft export` reads it: its execution policy holds the IAM action of every Task it
/// calls (the catalogue's action for the Task's operation), unless a warning on that state says
/// why the exporter could not grant it (a placeholder or run-time resource); a Distributed Map
/// starts its child executions, and its readers and writers reach S3.
#[test]
fn every_corpus_workflow_s_policy_holds_the_actions_its_tasks_need() {
    use statecraft::catalogue::needs::task_resources;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows");
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| corpus_support::entry_file(&e.unwrap().path())).collect();
    entries.sort();
    let catalogue = statecraft::catalogue::Catalogue::embedded();
    let mut missing = Vec::new();
    let mut checked = 0;
    for file in &entries {
        let definition = corpus_support::runnable_definition(file);
        let Ok(read) = ExportedDefinition::read(&definition) else { continue };
        let options = ExportOptions { state_machine_name: "Corpus".into(), ..ExportOptions::default() };
        let policy = execution_policy(&read.resources, &options, ArnTarget { account: ACCOUNT, region: REGION });
        let granted: BTreeSet<String> = policy
            .iter()
            .flat_map(|p| p["Statement"].as_array().cloned().unwrap_or_default())
            .flat_map(|s| strings(&s["Action"]))
            .map(|a| a.to_ascii_lowercase())
            .collect();
        let warned: BTreeSet<&str> = read.resources.warnings.iter().map(|w| w.state.as_str()).collect();
        let value: serde_json::Value = serde_json::from_str(&definition).unwrap();
        for task in task_resources(&value) {
            for action in needed_actions(&task.resource, &catalogue) {
                checked += 1;
                if !granted.contains(&action) && !warned.contains(task.name.as_str()) {
                    missing.push(format!("{}: {} ({}) needs {action}", file.display(), task.name, task.resource));
                }
            }
        }
        if definition.contains("\"DISTRIBUTED\"") {
            for action in ["states:startexecution", "states:describeexecution", "states:stopexecution"] {
                if !granted.contains(action) {
                    missing.push(format!("{}: its Distributed Map needs {action}", file.display()));
                }
            }
        }
    }
    println!("{checked} Task actions checked in {} workflows", entries.len());
    assert!(checked > 200, "{checked}");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// AWS's athena-iam page: a query started by `athena:startQueryExecution` (`.sync` or not) reads
/// its data catalog, its data and results in S3, the Glue Data Catalog and Lake Formation's data
/// access; its results are read from S3. The published Terraform sample's own policy lists the
/// same actions (aws-samples/step-functions-workflows-collection, sfn-start-athena-query-tf/main.tf).
#[test]
fn an_athena_query_gets_what_the_athena_iam_page_lists() {
    let (statements, warnings) = policy(&corpus("aws-samples-sfn-start-athena-query-tf"));
    let granted = actions(&statements);
    for action in [
        "athena:StartQueryExecution",
        "athena:GetQueryExecution",
        "athena:StopQueryExecution",
        "athena:GetQueryResults",
        "athena:GetDataCatalog",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        "glue:GetTable",
        "glue:GetPartitions",
        "glue:BatchCreatePartition",
        "lakeformation:GetDataAccess",
    ] {
        assert!(granted.contains(action), "{action} in {statements:#?}");
    }
    let s3 = statements.iter().find(|s| s.0 == "AthenaQueryData" && s.1.contains(&"s3:PutObject".to_string())).expect("the query's S3 grant");
    assert_eq!(s3.2, ["arn:aws:s3:::*"]);
    let glue = statements.iter().find(|s| s.0 == "AthenaQueryCatalog").expect("the query's Glue grant");
    assert_eq!(glue.2[0], "arn:aws:glue:eu-west-3:123456789012:catalog");
    assert!(!warnings.iter().any(|w| w.message.contains("by hand") && w.state == "Start an Athena query"), "{warnings:?}");
}
