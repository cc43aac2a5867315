//! The IAM permissions of each integration a Task can call, as AWS's "IAM policies for
//! integrated services" pages give them (Step Functions Developer Guide: dynamo-iam, sns-iam,
//! sqs-iam, lambda-iam, stepfunctions-iam, batch-iam, ecs-iam, glue-iam, sagemaker-iam,
//! codebuild-iam, emr-iam, athena-iam, api-gateway-iam, connect-third-party-apis (HTTP Task),
//! iam-policies-eg-dist-map), and the service catalogue's IAM action for `aws-sdk:` calls.
//!
//! [`task_grants`] reads one Task, [`distributed_map_grants`] one Distributed Map; both add
//! [`Grant`]s and warnings to a [`DefinitionResources`]. [`super::policy`] writes them.

use super::resources::{Argument, At, DefinitionResources, function_name_of, lambda_function_name, payload_argument, queue_name};
use crate::asl::json::Node;
use crate::asl::model::Map;
use crate::catalogue::resource::Optimized;
use crate::catalogue::{Catalogue, Integration, Pattern};
use serde_json::{Value, json};

/// A resource ARN of a grant, written for the deployment by [`super::policy`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arn {
    /// An ARN as the definition writes it: its placeholder account and region are filled.
    Written(String),
    /// `arn:aws:<service>:<region>:<account>:<rest>` in the deployment's region and account.
    Local { service: &'static str, rest: String },
    /// `arn:aws:<service>::<account>:<rest>` (IAM roles).
    Global { service: &'static str, rest: String },
    /// Written as is: `*`, `arn:aws:s3:::bucket/key`.
    Literal(String),
    /// An SQS queue URL, granted as the queue's ARN.
    QueueUrl(String),
    /// The exported state machine itself (a Distributed Map starts its own child executions).
    ThisMachine,
    /// The child executions of the exported state machine's Map Runs.
    ThisMachineChildExecutions,
}

/// IAM actions on one resource (with a condition, for S3 prefixes and HTTP endpoints).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The statement id it belongs to (numbered when several statements share it).
    pub sid: String,
    pub actions: Vec<String>,
    pub resource: Arn,
    pub condition: Option<Value>,
}

/// One Task as the exporter reads it.
pub(crate) struct Call<'a> {
    pub at: &'a At<'a>,
    pub resource: &'a str,
    pub payload: Option<&'a Node>,
    /// `Parameters` or `Arguments`.
    pub payload_key: &'static str,
    pub credentials: Option<&'a Node>,
}

impl Call<'_> {
    fn argument(&self, key: &str) -> Argument {
        payload_argument(self.payload, key)
    }

    fn field(&self, field: &str) -> String {
        self.at.field(&format!("{}/{field}", self.payload_key))
    }
}

fn grant(sid: &str, actions: &[String], resource: Arn) -> Grant {
    Grant { sid: sid.to_string(), actions: actions.to_vec(), resource, condition: None }
}

fn owned(actions: &[&str]) -> Vec<String> {
    actions.iter().map(|a| a.to_string()).collect()
}

/// How a resource is written in a message: `arn:aws:dynamodb:REGION:ACCOUNT:table/*`.
fn shown(arn: &Arn) -> String {
    match arn {
        Arn::Written(s) | Arn::Literal(s) | Arn::QueueUrl(s) => s.clone(),
        Arn::Local { service, rest } => format!("arn:aws:{service}:REGION:ACCOUNT:{rest}"),
        Arn::Global { service, rest } => format!("arn:aws:{service}::ACCOUNT:{rest}"),
        Arn::ThisMachine => "this state machine".into(),
        Arn::ThisMachineChildExecutions => "this state machine's child executions".into(),
    }
}

/// The resource named by `key`: `known(value)` when it is written; else the narrowest
/// `wildcard`, with a warning naming the field.
fn resource_of(found: &mut DefinitionResources, call: &Call<'_>, key: &str, actions: &[String], wildcard: Arn, known: impl FnOnce(&str) -> Option<Arn>) -> Arn {
    let (pointer, why) = match call.argument(key) {
        Argument::Static(value) => match known(&value) {
            Some(arn) => return arn,
            None => (call.field(key), format!("{key} {value:?} names no resource the exporter can read")),
        },
        Argument::Runtime { field, placeholder } => (call.field(&field), Argument::unknown_because(call.payload_key, &field, placeholder.as_deref())),
        Argument::Missing => (call.field(key), format!("{} has no {key}", call.payload_key)),
    };
    found.warn(call.at, &pointer, format!("{why}: {} granted on {}", actions.join(", "), shown(&wildcard)));
    wildcard
}

/// The grants of one Task. A Task with `Credentials` runs as another role: the execution role
/// only needs to assume it, and the call's permissions are listed in a warning.
pub(crate) fn task_grants(found: &mut DefinitionResources, call: &Call<'_>, catalogue: &Catalogue) {
    let Some(credentials) = call.credentials else {
        return call_grants(found, call, catalogue);
    };
    let mut own = DefinitionResources::default();
    call_grants(&mut own, call, catalogue);
    // The deploy still creates the functions it names; its own warnings ("granted on ...") are
    // about a policy this role does not get, so only the summary below is kept.
    found.functions.extend(own.functions.into_iter().filter(|f| !found.functions.contains(f)).collect::<Vec<_>>());
    let role_call = Call { payload: Some(credentials), payload_key: "Credentials", ..*call };
    let assume = owned(&["sts:AssumeRole"]);
    let role = resource_of(found, &role_call, "RoleArn", &assume, Arn::Global { service: "iam", rest: "role/*".into() }, |arn| {
        arn.starts_with("arn:").then(|| Arn::Written(arn.to_string()))
    });
    found.grant_owned(grant("AssumeTaskRoles", &assume, role));
    let actions: Vec<String> = own.grants.iter().flat_map(|g| g.actions.clone()).collect();
    if !actions.is_empty() {
        found.warn(
            call.at,
            &call.at.field("Credentials"),
            format!("the call runs as the role in Credentials: that role needs {}, not the execution role", dedupe(actions).join(", ")),
        );
    }
}

fn dedupe(items: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        if !out.contains(&item) {
            out.push(item);
        }
    }
    out
}

fn call_grants(found: &mut DefinitionResources, call: &Call<'_>, catalogue: &Catalogue) {
    if let Some(name) = lambda_function_name(call.resource) {
        return invoke_function(found, &name);
    }
    match Integration::parse(call.resource) {
        Ok(Integration::Activity { .. }) => {} // the worker polls; the execution role needs nothing
        Ok(Integration::LambdaFunction { function }) => invoke_function(found, function.split(':').next().unwrap_or_default()),
        Ok(Integration::Optimized { integration, pattern }) => {
            optimized_grants(found, call, integration, pattern);
            pass_role_grants(found, call, integration.service);
        }
        Ok(Integration::Sdk { service, operation, .. }) => {
            sdk_grants(found, call, &service, &operation, catalogue);
            pass_role_grants(found, call, &service);
        }
        Err(error) => {
            let why = if call.resource.contains("${") {
                format!(
                    "the Resource is the template placeholder {}, known only once the template is deployed with its value",
                    super::resources::template_placeholder(call.resource).unwrap_or_else(|| "${...}".into())
                )
            } else if call.resource.trim_start().starts_with("{%") {
                "the Resource is a JSONata expression, known only at run time".to_string()
            } else {
                format!("the Resource is not an integration the exporter knows ({error})")
            };
            found.warn(call.at, &call.at.field("Resource"), format!("{why}: no permission derived for it; grant its actions by hand"));
        }
    }
}

/// `iam:PassRole` on each role the request hands to the service: a member named `…Role` or
/// `…RoleArn` (EMR's `ServiceRole` and `JobFlowRole`, ECS's `TaskRoleArn`, SageMaker's
/// `RoleArn`, Lambda's `Role`, CloudFormation's `RoleARN`), as AWS's pages for these integrations
/// grant it: a service that acts as a role it is given needs the caller to be allowed to pass it.
/// A role written by name is `role/NAME` in the deployment's account; one known only at run
/// time gets `role/*` and a warning. STS and IAM calls take roles to assume or manage, not to
/// pass.
fn pass_role_grants(found: &mut DefinitionResources, call: &Call<'_>, service: &str) {
    if matches!(service, "sts" | "iam") {
        return;
    }
    let mut keys = Vec::new();
    if let Some(payload) = call.payload {
        role_members(payload, &mut String::new(), &mut keys);
    }
    let actions = owned(&["iam:PassRole"]);
    for key in keys {
        let role = resource_of(found, call, &key, &actions, Arn::Global { service: "iam", rest: "role/*".into() }, |value| {
            if value.starts_with("arn:") {
                value.contains(":role/").then(|| Arn::Written(value.to_string()))
            } else {
                let name = value.rsplit('/').next().unwrap_or(value);
                (!name.is_empty() && !name.contains(':')).then(|| Arn::Global { service: "iam", rest: format!("role/{name}") })
            }
        });
        found.grant_owned(grant("PassRolesToServices", &actions, role));
    }
}

/// The paths (`Instances/JobFlowRole`, without `.$`) of the members of `node` that name a role
/// the call passes.
fn role_members(node: &Node, at: &mut String, out: &mut Vec<String>) {
    let crate::asl::json::Value::Object(members) = &node.value else { return };
    for member in members {
        let key = member.key.strip_suffix(".$").unwrap_or(&member.key);
        let lower = key.to_ascii_lowercase();
        let len = at.len();
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(key);
        if lower.ends_with("role") || lower.ends_with("rolearn") {
            if !out.contains(at) {
                out.push(at.clone());
            }
        } else {
            role_members(&member.value, at, out);
        }
        at.truncate(len);
    }
}

fn invoke_function(found: &mut DefinitionResources, name: &str) {
    found.add_function(name.to_string());
    let actions = owned(&["lambda:InvokeFunction"]);
    for rest in [format!("function:{name}"), format!("function:{name}:*")] {
        found.grant_owned(grant("InvokeLambdaFunctions", &actions, Arn::Local { service: "lambda", rest }));
    }
}

/// The IAM actions an optimized integration's request needs (`lambda:invoke` →
/// `lambda:InvokeFunction`). Checked against the catalogue in the tests.
pub fn optimized_actions(integration: &Optimized) -> Vec<String> {
    if !integration.iam.is_empty() {
        return owned(integration.iam);
    }
    match (integration.service, integration.action) {
        ("lambda", "invoke") => owned(&["lambda:InvokeFunction"]),
        ("s3", "listObjectsV2") => owned(&["s3:ListBucket"]),
        (service, _) => match integration.calls {
            Some((_, operation)) => vec![format!("{service}:{operation}")],
            None => Vec::new(),
        },
    }
}

/// The S3 actions an Athena query needs on the data it reads and the results it writes (AWS's
/// athena-iam page, StartQueryExecution).
const ATHENA_QUERY_S3: &[&str] = &[
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:AbortMultipartUpload",
    "s3:CreateBucket",
    "s3:PutObject",
];

/// The Glue Data Catalog actions an Athena query needs (AWS's athena-iam page).
const ATHENA_QUERY_GLUE: &[&str] = &[
    "glue:CreateDatabase",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:UpdateDatabase",
    "glue:DeleteDatabase",
    "glue:CreateTable",
    "glue:UpdateTable",
    "glue:GetTable",
    "glue:GetTables",
    "glue:DeleteTable",
    "glue:BatchDeleteTable",
    "glue:BatchCreatePartition",
    "glue:CreatePartition",
    "glue:UpdatePartition",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:BatchGetPartition",
    "glue:DeletePartition",
    "glue:BatchDeletePartition",
];

/// What a `.sync` integration polls with and the EventBridge managed rule it creates, per
/// AWS's page of each service. `None`: not known here (a warning says so).
fn sync_permissions(integration: &Optimized) -> Option<(&'static [&'static str], Option<&'static str>)> {
    Some(match (integration.service, integration.action) {
        ("batch", "submitJob") => (&["batch:DescribeJobs", "batch:TerminateJob"], Some("StepFunctionsGetEventsForBatchJobsRule")),
        ("ecs", "runTask") => (&["ecs:StopTask", "ecs:DescribeTasks"], Some("StepFunctionsGetEventsForECSTaskRule")),
        ("glue", "startJobRun") => (&["glue:GetJobRun", "glue:GetJobRuns", "glue:BatchStopJobRun"], None),
        ("athena", "startQueryExecution") => (&["athena:GetQueryExecution", "athena:StopQueryExecution"], None),
        ("sagemaker", "createTrainingJob") => {
            (&["sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"], Some("StepFunctionsGetEventsForSageMakerTrainingJobsRule"))
        }
        ("sagemaker", "createTransformJob") => {
            (&["sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob"], Some("StepFunctionsGetEventsForSageMakerTransformJobsRule"))
        }
        ("sagemaker", "createProcessingJob") => {
            (&["sagemaker:DescribeProcessingJob", "sagemaker:StopProcessingJob"], Some("StepFunctionsGetEventsForSageMakerProcessingJobsRule"))
        }
        ("codebuild", "startBuild") => (&["codebuild:StopBuild", "codebuild:BatchGetBuilds"], Some("StepFunctionsGetEventForCodeBuildStartBuildRule")),
        ("elasticmapreduce", "createCluster") => {
            (&["elasticmapreduce:DescribeCluster", "elasticmapreduce:TerminateJobFlows"], Some("StepFunctionsGetEventsForEMRRunJobFlowRule"))
        }
        ("elasticmapreduce", "addStep") => {
            (&["elasticmapreduce:DescribeStep", "elasticmapreduce:CancelSteps"], Some("StepFunctionsGetEventsForEMRAddJobFlowStepsRule"))
        }
        ("elasticmapreduce", "terminateCluster") => (&["elasticmapreduce:DescribeCluster"], Some("StepFunctionsGetEventsForEMRTerminateJobFlowsRule")),
        _ => return None,
    })
}

fn optimized_grants(found: &mut DefinitionResources, call: &Call<'_>, integration: &'static Optimized, pattern: Pattern) {
    let actions = optimized_actions(integration);
    let sync = matches!(pattern, Pattern::Sync | Pattern::Sync2);
    let local = |service: &'static str, rest: &str| Arn::Local { service, rest: rest.to_string() };
    match (integration.service, integration.action) {
        ("lambda", "invoke") => match call.argument("FunctionName") {
            Argument::Static(name) if function_name_of(&name).is_some() => invoke_function(found, &function_name_of(&name).unwrap_or_default()),
            _ => {
                let arn = resource_of(found, call, "FunctionName", &actions, local("lambda", "function:*"), |_| None);
                found.grant_owned(grant("InvokeLambdaFunctions", &actions, arn));
            }
        },
        ("sns", "publish") => {
            let key = if matches!(call.argument("TopicArn"), Argument::Missing) && !matches!(call.argument("TargetArn"), Argument::Missing) { "TargetArn" } else { "TopicArn" };
            let arn = resource_of(found, call, key, &actions, local("sns", "*"), |arn| arn.starts_with("arn:").then(|| Arn::Written(arn.into())));
            found.grant_owned(grant("PublishToTopics", &actions, arn));
        }
        ("sqs", "sendMessage") => {
            let arn = resource_of(found, call, "QueueUrl", &actions, local("sqs", "*"), |url| queue_name(url).map(|_| Arn::QueueUrl(url.into())));
            found.grant_owned(grant("SendToQueues", &actions, arn));
        }
        ("dynamodb", _) => table_grant(found, call, &actions),
        ("states", "startExecution") => {
            let arn = resource_of(found, call, "StateMachineArn", &actions, local("states", "stateMachine:*"), |arn| {
                arn.contains(":stateMachine:").then(|| Arn::Written(arn.into()))
            });
            let executions = match &arn {
                Arn::Written(machine) => Arn::Written(machine.replacen(":stateMachine:", ":execution:", 1) + ":*"),
                _ => local("states", "execution:*"),
            };
            found.grant_owned(grant("StartNestedExecutions", &actions, arn));
            if sync {
                found.grant_owned(grant("FollowNestedExecutions", &owned(&["states:DescribeExecution", "states:StopExecution"]), executions));
                found.grant_owned(grant(
                    "NestedExecutionEvents",
                    &owned(&["events:PutTargets", "events:PutRule", "events:DescribeRule"]),
                    local("events", "rule/StepFunctionsGetEventsForStepFunctionsExecutionRule"),
                ));
            }
            return;
        }
        ("apigateway", "invoke") => {
            let arn = api_gateway_arn(found, call, &actions);
            found.grant_owned(grant("InvokeApis", &actions, arn));
        }
        ("http", "invoke") => http_grants(found, call),
        ("bedrockagentcore", "invokeHarness") => {
            let arn = resource_of(found, call, "HarnessArn", &actions, local("bedrock-agentcore", "harness/*"), |arn| {
                arn.contains(":harness/").then(|| Arn::Written(arn.into()))
            });
            found.grant_owned(grant("InvokeHarnesses", &actions, arn));
        }
        ("events", "putEvents") => {
            let buses = event_buses(found, call, &actions);
            for bus in buses {
                found.grant_owned(grant("PutEvents", &actions, bus));
            }
        }
        ("athena", action) => {
            found.grant_owned(grant("CallAthena", &actions, Arn::Literal("*".into())));
            // AWS's athena-iam page: a query reads its data catalog, its data and results in
            // S3, the Glue Data Catalog's databases, tables and partitions, and Lake
            // Formation's data access; its results are read from S3.
            if action == "startQueryExecution" {
                found.grant_owned(grant("CallAthena", &owned(&["athena:GetDataCatalog"]), local("athena", "datacatalog/*")));
                found.grant_owned(grant("AthenaQueryData", &owned(ATHENA_QUERY_S3), Arn::Literal("arn:aws:s3:::*".into())));
                for rest in ["catalog", "database/*", "table/*", "userDefinedFunction/*"] {
                    found.grant_owned(grant("AthenaQueryCatalog", &owned(ATHENA_QUERY_GLUE), local("glue", rest)));
                }
                found.grant_owned(grant("AthenaQueryLakeFormation", &owned(&["lakeformation:GetDataAccess"]), Arn::Literal("*".into())));
            } else if action == "getQueryResults" {
                found.grant_owned(grant("AthenaQueryData", &owned(&["s3:GetObject"]), Arn::Literal("arn:aws:s3:::*".into())));
            }
        }
        (service, _) => {
            // AWS's templates grant these on "*": the services have no resource-level control
            // for these calls, or the job's id is not known before it starts.
            found.grant_owned(grant(&call_sid(service), &actions, Arn::Literal("*".into())));
        }
    }
    if sync {
        match sync_permissions(integration) {
            Some((follow, rule)) => {
                found.grant_owned(grant("FollowJobs", &owned(follow), Arn::Literal("*".into())));
                if let Some(rule) = rule {
                    let events = owned(&["events:PutTargets", "events:PutRule", "events:DescribeRule"]);
                    found.grant_owned(grant("JobEventRules", &events, local("events", &format!("rule/{rule}"))));
                }
            }
            None => found.warn(
                call.at,
                &call.at.field("Resource"),
                format!("the permissions that {}:{}{} polls the job with are not derived: add them from AWS's IAM page for the service", integration.service, integration.action, pattern.suffix()),
            ),
        }
    }
}

/// `CallOrganizations`: a statement id from a service name.
fn call_sid(service: &str) -> String {
    let mut sid = String::from("Call");
    for part in service.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            sid.extend(first.to_uppercase());
            sid.push_str(chars.as_str());
        }
    }
    sid
}

fn table_grant(found: &mut DefinitionResources, call: &Call<'_>, actions: &[String]) {
    let arn = resource_of(found, call, "TableName", actions, Arn::Local { service: "dynamodb", rest: "table/*".into() }, |name| {
        Some(Arn::Local { service: "dynamodb", rest: format!("table/{name}") })
    });
    if let Arn::Local { rest, .. } = &arn
        && let Some(name) = rest.strip_prefix("table/").filter(|n| *n != "*")
    {
        found.add_table(name, actions);
        match call.argument("IndexName") {
            Argument::Missing => {}
            Argument::Static(index) => found.grant_owned(grant("UseTables", actions, Arn::Local { service: "dynamodb", rest: format!("{rest}/index/{index}") })),
            Argument::Runtime { .. } => {
                let index = resource_of(found, call, "IndexName", actions, Arn::Local { service: "dynamodb", rest: format!("{rest}/index/*") }, |_| None);
                found.grant_owned(grant("UseTables", actions, index));
            }
        }
    }
    found.grant_owned(grant("UseTables", actions, arn));
}

/// `execute-api:Invoke` on `<api id>/<stage>/<method>/<path>`, from `ApiEndpoint`
/// (`<id>.execute-api.<region>.amazonaws.com`), `Stage`, `Method` and `Path`.
fn api_gateway_arn(found: &mut DefinitionResources, call: &Call<'_>, actions: &[String]) -> Arn {
    let wildcard = Arn::Local { service: "execute-api", rest: "*".into() };
    let endpoint = resource_of(found, call, "ApiEndpoint", actions, wildcard.clone(), |endpoint| {
        let (id, rest) = endpoint.split_once(".execute-api.")?;
        let region = rest.strip_suffix(".amazonaws.com")?;
        Some(Arn::Literal(format!("{id}|{region}")))
    });
    let Arn::Literal(id_region) = endpoint else { return wildcard };
    let (id, region) = id_region.split_once('|').unwrap_or_default();
    let part = |found: &mut DefinitionResources, key: &str| match call.argument(key) {
        Argument::Static(value) => value.trim_start_matches('/').to_string(),
        Argument::Missing if key == "Path" => String::new(),
        _ => {
            resource_of(found, call, key, actions, Arn::Literal("*".into()), |_| None);
            "*".to_string()
        }
    };
    let (stage, method, path) = (part(found, "Stage"), part(found, "Method"), part(found, "Path"));
    let region = if region.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') { region } else { "*" };
    Arn::Written(format!("arn:aws:execute-api:{region}:ACCOUNT_ID:{id}/{stage}/{method}/{path}"))
}

/// The HTTP Task: `states:InvokeHTTPEndpoint` on the state machine itself for the endpoint and
/// method, the connection's credentials, and the connection's secret.
fn http_grants(found: &mut DefinitionResources, call: &Call<'_>) {
    let invoke = owned(&["states:InvokeHTTPEndpoint"]);
    let mut condition = serde_json::Map::new();
    if let Argument::Static(method) = call.argument("Method") {
        condition.insert("StringEquals".into(), json!({"states:HTTPMethod": method}));
    }
    match call.argument("ApiEndpoint") {
        Argument::Static(endpoint) => {
            condition.insert("StringLike".into(), json!({"states:HTTPEndpoint": format!("{}*", endpoint)}));
        }
        _ => {
            resource_of(found, call, "ApiEndpoint", &invoke, Arn::ThisMachine, |_| None);
        }
    }
    let condition = (!condition.is_empty()).then_some(Value::Object(condition));
    found.grant_owned(Grant { sid: "InvokeHttpEndpoints".into(), actions: invoke, resource: Arn::ThisMachine, condition });
    let retrieve = owned(&["events:RetrieveConnectionCredentials"]);
    let connection = resource_of(found, call, "Authentication/ConnectionArn", &retrieve, Arn::Local { service: "events", rest: "connection/*".into() }, |arn| {
        arn.starts_with("arn:").then(|| Arn::Written(arn.into()))
    });
    found.grant_owned(grant("UseConnections", &retrieve, connection));
    found.grant_owned(grant(
        "ReadConnectionSecrets",
        &owned(&["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]),
        Arn::Literal("arn:aws:secretsmanager:*:*:secret:events!connection/*".into()),
    ));
}

/// The event buses of `events:putEvents`'s `Entries` (the default bus when an entry names none).
fn event_buses(found: &mut DefinitionResources, call: &Call<'_>, actions: &[String]) -> Vec<Arn> {
    let bus = |name: &str| if name.starts_with("arn:") { Arn::Written(name.into()) } else { Arn::Local { service: "events", rest: format!("event-bus/{name}") } };
    let entries = call.payload.and_then(|p| p.get("Entries")).and_then(Node::as_array);
    let Some(entries) = entries else {
        return vec![resource_of(found, call, "Entries", actions, Arn::Local { service: "events", rest: "event-bus/*".into() }, |_| None)];
    };
    let mut buses = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let one = match payload_argument(Some(entry), "EventBusName") {
            Argument::Missing => bus("default"),
            Argument::Static(name) => bus(&name),
            Argument::Runtime { .. } => resource_of(found, call, &format!("Entries/{i}/EventBusName"), actions, Arn::Local { service: "events", rest: "event-bus/*".into() }, |_| None),
        };
        if !buses.contains(&one) {
            buses.push(one);
        }
    }
    buses
}

/// An `aws-sdk:` call: the catalogue's IAM actions, on the resource its parameters name.
fn sdk_grants(found: &mut DefinitionResources, call: &Call<'_>, service: &str, operation: &str, catalogue: &Catalogue) {
    let actions = match catalogue.resolve(call.resource) {
        Ok(resolved) => resolved.iam_actions(),
        Err(error) => {
            let guess = vec![format!("{service}:{operation}")];
            found.warn(call.at, &call.at.field("Resource"), format!("the catalogue does not give this call's IAM action ({error}): {} granted as written; check it", guess[0]));
            guess
        }
    };
    let any = |service: &'static str, rest: &str| Arn::Local { service, rest: rest.to_string() };
    let arn = match service {
        "dynamodb" if !matches!(call.argument("TableName"), Argument::Missing) => return table_grant(found, call, &actions),
        "s3" if !matches!(call.argument("Bucket"), Argument::Missing) => {
            let bucket = resource_of(found, call, "Bucket", &actions, Arn::Literal("arn:aws:s3:::*".into()), |b| Some(Arn::Literal(format!("arn:aws:s3:::{b}"))));
            match (bucket, call.argument("Key")) {
                (bucket, Argument::Missing) => bucket,
                (Arn::Literal(bucket), _) if bucket.ends_with(":::*") => Arn::Literal("arn:aws:s3:::*/*".into()),
                (Arn::Literal(bucket), _) => {
                    let wildcard = Arn::Literal(format!("{bucket}/*"));
                    resource_of(found, call, "Key", &actions, wildcard, |key| Some(Arn::Literal(format!("{bucket}/{key}"))))
                }
                (other, _) => other,
            }
        }
        "sqs" if !matches!(call.argument("QueueUrl"), Argument::Missing) => {
            resource_of(found, call, "QueueUrl", &actions, any("sqs", "*"), |url| queue_name(url).map(|_| Arn::QueueUrl(url.into())))
        }
        "sns" if !matches!(call.argument("TopicArn"), Argument::Missing) => {
            resource_of(found, call, "TopicArn", &actions, any("sns", "*"), |arn| arn.starts_with("arn:").then(|| Arn::Written(arn.into())))
        }
        "lambda" if !matches!(call.argument("FunctionName"), Argument::Missing) => {
            resource_of(found, call, "FunctionName", &actions, any("lambda", "function:*"), |name| {
                function_name_of(name).map(|n| any("lambda", &format!("function:{n}")))
            })
        }
        "sfn" if !matches!(call.argument("StateMachineArn"), Argument::Missing) => {
            resource_of(found, call, "StateMachineArn", &actions, any("states", "stateMachine:*"), |arn| arn.starts_with("arn:").then(|| Arn::Written(arn.into())))
        }
        "sfn" if !matches!(call.argument("ExecutionArn"), Argument::Missing) => {
            resource_of(found, call, "ExecutionArn", &actions, any("states", "execution:*"), |arn| arn.starts_with("arn:").then(|| Arn::Written(arn.into())))
        }
        "secretsmanager" if !matches!(call.argument("SecretId"), Argument::Missing) => {
            resource_of(found, call, "SecretId", &actions, any("secretsmanager", "secret:*"), |id| {
                Some(if id.starts_with("arn:") { Arn::Written(id.into()) } else { any("secretsmanager", &format!("secret:{id}-??????")) })
            })
        }
        _ => {
            found.warn(
                call.at,
                &call.at.field("Resource"),
                format!("the exporter does not derive resource ARNs for aws-sdk:{service}: {} granted on *", actions.join(", ")),
            );
            Arn::Literal("*".into())
        }
    };
    // The statement is named after the IAM prefix, so that sesv2 and ses calls share one.
    let prefix = actions.first().and_then(|a| a.split(':').next()).unwrap_or(service).to_string();
    found.grant_owned(grant(&call_sid(&prefix), &actions, arn));
}

/// A Distributed Map: its child executions (started by the state machine itself), the S3 reads
/// of its `ItemReader` and the writes of its `ResultWriter` ("IAM policies for using
/// Distributed Map states").
pub(crate) fn distributed_map_grants(found: &mut DefinitionResources, at: &At<'_>, map: &Map) {
    found.grant("RunDistributedMaps", &["states:StartExecution"], Arn::ThisMachine);
    found.grant("FollowDistributedMaps", &["states:DescribeExecution", "states:StopExecution"], Arn::ThisMachineChildExecutions);
    if let Some(reader) = &map.item_reader {
        item_reader_grants(found, at, reader);
    }
    if let Some(writer) = &map.result_writer {
        result_writer_grants(found, at, writer);
    }
}

/// `ItemReader`/`ResultWriter` read as a Task call of their own `Resource`.
fn s3_call<'a>(at: &'a At<'a>, field: &'static str, node: &'a Node) -> Option<(At<'a>, &'a str, Option<&'a Node>, &'static str)> {
    let resource = node.get("Resource").and_then(Node::as_str)?;
    let (payload, key) = match (node.get("Parameters"), node.get("Arguments")) {
        (Some(p), _) => (Some(p), "Parameters"),
        (None, a) => (a, "Arguments"),
    };
    Some((At { state: at.state, pointer: at.field(field) }, resource, payload, key))
}

fn item_reader_grants(found: &mut DefinitionResources, at: &At<'_>, reader: &Node) {
    let Some((inner, resource, payload, key)) = s3_call(at, "ItemReader", reader) else { return };
    let call = Call { at: &inner, resource, payload, payload_key: key, credentials: None };
    let bucket_arn = |found: &mut DefinitionResources, actions: &[String]| {
        resource_of(found, &call, "Bucket", actions, Arn::Literal("arn:aws:s3:::*".into()), |b| Some(Arn::Literal(format!("arn:aws:s3:::{b}"))))
    };
    let config = reader.get("ReaderConfig");
    let config_value = |name: &str| config.and_then(|c| c.get(name)).and_then(Node::as_str).map(str::to_string);
    match Integration::parse(resource) {
        Ok(Integration::Optimized { integration, .. }) if integration.service == "s3" && integration.action == "getObject" => {
            let actions = owned(&["s3:GetObject"]);
            let object = match bucket_arn(found, &actions) {
                Arn::Literal(bucket) if !bucket.ends_with(":::*") => {
                    resource_of(found, &call, "Key", &actions, Arn::Literal(format!("{bucket}/*")), |k| Some(Arn::Literal(format!("{bucket}/{k}"))))
                }
                _ => Arn::Literal("arn:aws:s3:::*/*".into()),
            };
            found.grant_owned(grant("ReadItems", &actions, object));
            if config_value("InputType").as_deref() == Some("MANIFEST") {
                found.warn(&inner, &inner.field("ReaderConfig/InputType"), "a MANIFEST lists the files the Map reads: grant s3:GetObject on them by hand".into());
            }
        }
        Ok(Integration::Optimized { integration, .. }) if integration.service == "s3" && integration.action == "listObjectsV2" => {
            let list = owned(&["s3:ListBucket"]);
            let bucket = bucket_arn(found, &list);
            let prefix = match call.argument("Prefix") {
                Argument::Static(prefix) => Some(prefix),
                Argument::Missing => None,
                Argument::Runtime { field, placeholder } => {
                    found.warn(&inner, &call.field(&field), format!("{}: s3:ListBucket granted on every prefix", Argument::unknown_because(key, &field, placeholder.as_deref())));
                    None
                }
            };
            let condition = prefix.as_ref().map(|p| json!({"StringLike": {"s3:prefix": [format!("{p}*")]}}));
            found.grant_owned(Grant { sid: "ListItems".into(), actions: list, resource: bucket.clone(), condition });
            if config_value("Transformation").as_deref() == Some("LOAD_AND_FLATTEN")
                && let Arn::Literal(bucket) = bucket
            {
                let objects = if bucket.ends_with(":::*") { "arn:aws:s3:::*/*".to_string() } else { format!("{bucket}/{}*", prefix.unwrap_or_default()) };
                found.grant_owned(grant("ReadItems", &owned(&["s3:GetObject"]), Arn::Literal(objects)));
            }
        }
        _ => found.warn(&inner, &inner.field("Resource"), format!("an ItemReader of {resource} is not one the exporter knows: no permission derived for it")),
    }
}

fn result_writer_grants(found: &mut DefinitionResources, at: &At<'_>, writer: &Node) {
    let Some((inner, resource, payload, key)) = s3_call(at, "ResultWriter", writer) else { return }; // WriterConfig only: nothing written to S3
    let call = Call { at: &inner, resource, payload, payload_key: key, credentials: None };
    let actions = owned(&["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]);
    let objects = match resource_of(found, &call, "Bucket", &actions, Arn::Literal("arn:aws:s3:::*".into()), |b| Some(Arn::Literal(format!("arn:aws:s3:::{b}")))) {
        Arn::Literal(bucket) if !bucket.ends_with(":::*") => match call.argument("Prefix") {
            Argument::Static(prefix) if !prefix.trim_matches('/').is_empty() => Arn::Literal(format!("{bucket}/{}/*", prefix.trim_matches('/'))),
            Argument::Static(_) | Argument::Missing => Arn::Literal(format!("{bucket}/*")),
            Argument::Runtime { .. } => resource_of(found, &call, "Prefix", &actions, Arn::Literal(format!("{bucket}/*")), |_| None),
        },
        _ => Arn::Literal("arn:aws:s3:::*/*".into()),
    };
    found.grant_owned(grant("WriteResults", &actions, objects));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimized_actions_agree_with_the_catalogue() {
        let catalogue = Catalogue::embedded();
        for row in crate::catalogue::resource::OPTIMIZED {
            let resource = format!("arn:aws:states:::{}:{}", row.service, row.action);
            let expected = catalogue.resolve(&resource).map(|r| r.iam_actions()).unwrap_or_else(|_| owned(row.iam));
            assert_eq!(optimized_actions(row), expected, "{resource}");
            assert!(!expected.is_empty(), "{resource}");
        }
    }

    #[test]
    fn statement_ids_are_alphanumeric() {
        assert_eq!(call_sid("emr-containers"), "CallEmrContainers");
        assert_eq!(call_sid("organizations"), "CallOrganizations");
    }
}
