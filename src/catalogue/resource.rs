//! A Task's `Resource` read as an integration: which service and API operation it calls, with
//! which integration pattern, under which error names, needing which IAM actions.
//!
//! Three forms reach the catalogue:
//! - `arn:aws:states:::aws-sdk:<service>:<action>[.waitForTaskToken]`: any operation of a
//!   service Step Functions' AWS SDK integrations support, named as Step Functions names it
//!   (`sfn`, `elasticloadbalancingv2`); errors are `<Prefix>.<Name>Exception` with the prefix of
//!   the service's file (`DynamoDb.ConditionalCheckFailedException`).
//! - `arn:aws:states:::<service>:<action>[.sync|.sync:2|.waitForTaskToken]`: an optimized
//!   integration, from [`OPTIMIZED`], a table of the ones Step Functions has, each mapped to the
//!   API operation it calls (`elasticmapreduce:createCluster` calls EMR's `RunJobFlow`); its
//!   errors carry the optimized integration's own prefix (`DynamoDB.`, `Lambda.`, `SNS.`).
//! - a Lambda function ARN (`arn:aws:lambda:<region>:<account>:function:<name>`), the legacy
//!   form of `lambda:invoke`.

use super::service::pascal_case;

/// How a Task waits for its integration: the language's own ([`crate::asl::integrations`]).
pub use crate::asl::integrations::Pattern;

/// The pattern of a resource suffix (`""`, `.sync`, `.sync:2`, `.waitForTaskToken`).
fn pattern_of_suffix(suffix: &str) -> Option<Pattern> {
    [Pattern::RequestResponse, Pattern::Sync, Pattern::Sync2, Pattern::WaitForTaskToken].into_iter().find(|p| p.suffix() == suffix)
}

use Pattern::{RequestResponse as RR, Sync, Sync2, WaitForTaskToken as Wftt};

/// An optimized integration: the resource's `<service>:<action>`, the API operation it calls
/// (catalogue service and operation, when it calls exactly one), its error prefix and the
/// patterns it supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Optimized {
    pub service: &'static str,
    pub action: &'static str,
    /// The catalogue's service and operation it calls; `None` when it calls no single API
    /// operation (`apigateway:invoke`, `http:invoke`, `eks:call`).
    pub calls: Option<(&'static str, &'static str)>,
    /// IAM actions, when they are not the called operation's.
    pub iam: &'static [&'static str],
    /// Its errors' prefix: `DynamoDB` in `DynamoDB.ConditionalCheckFailedException`.
    pub error_prefix: &'static str,
    /// The error a call fails with when the service's error is not a modelled one (the SDK's
    /// base exception).
    pub base_error: &'static str,
    pub patterns: &'static [Pattern],
    /// Members that take any JSON value although the model says string: the optimized
    /// integration serialises them (`sqs:sendMessage`'s `MessageBody`).
    pub json_members: &'static [&'static str],
    /// Whether its request is the integration's own rather than the called operation's input
    /// (EMR's cluster actions take `ClusterId` and `Step`, and Step Functions builds
    /// `AddJobFlowSteps`' `JobFlowId` and `Steps` from them): not checked against that input.
    pub own_request: bool,
}

const fn opt(
    service: &'static str,
    action: &'static str,
    calls: Option<(&'static str, &'static str)>,
    error_prefix: &'static str,
    base_error: &'static str,
    patterns: &'static [Pattern],
) -> Optimized {
    Optimized { service, action, calls, iam: &[], error_prefix, base_error, patterns, json_members: &[], own_request: false }
}

/// The optimized integrations Step Functions offers (the Developer Guide's "Integrating
/// optimized services" pages), each with the API operation it calls.
pub const OPTIMIZED: &[Optimized] = &[
    Optimized { json_members: &["Payload"], ..opt("lambda", "invoke", Some(("lambda", "Invoke")), "Lambda", "Lambda.AWSLambdaException", &[RR, Wftt]) },
    Optimized { iam: &["execute-api:Invoke"], ..opt("apigateway", "invoke", None, "ApiGateway", "ApiGateway.AmazonApiGatewayException", &[RR, Wftt]) },
    opt("athena", "startQueryExecution", Some(("athena", "StartQueryExecution")), "Athena", "Athena.AmazonAthenaException", &[RR, Sync]),
    opt("athena", "stopQueryExecution", Some(("athena", "StopQueryExecution")), "Athena", "Athena.AmazonAthenaException", &[RR]),
    opt("athena", "getQueryExecution", Some(("athena", "GetQueryExecution")), "Athena", "Athena.AmazonAthenaException", &[RR]),
    opt("athena", "getQueryResults", Some(("athena", "GetQueryResults")), "Athena", "Athena.AmazonAthenaException", &[RR]),
    // (AWS's table: Batch offers Request Response and .sync, not a callback.)
    opt("batch", "submitJob", Some(("batch", "SubmitJob")), "Batch", "Batch.AWSBatchException", &[RR, Sync]),
    Optimized { iam: &["bedrock:InvokeModel"], ..opt("bedrock", "invokeModel", Some(("bedrockruntime", "InvokeModel")), "Bedrock", "Bedrock.AmazonBedrockException", &[RR]) },
    // AgentCore's harness: an agent loop; Step Functions answers in the Converse shape
    // ([`crate::handlers::optimized::HarnessAnswer`]). The catalogue has no AgentCore model.
    Optimized {
        iam: &["bedrock-agentcore:InvokeHarness"],
        ..opt("bedrockagentcore", "invokeHarness", None, "BedrockAgentCore", "BedrockAgentCore.BedrockAgentCoreException", &[RR])
    },
    opt("bedrock", "createModelCustomizationJob", Some(("bedrock", "CreateModelCustomizationJob")), "Bedrock", "Bedrock.AmazonBedrockException", &[RR, Sync]),
    opt("codebuild", "startBuild", Some(("codebuild", "StartBuild")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR, Sync]),
    opt("codebuild", "stopBuild", Some(("codebuild", "StopBuild")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR]),
    opt("codebuild", "batchDeleteBuilds", Some(("codebuild", "BatchDeleteBuilds")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR]),
    opt("codebuild", "batchGetReports", Some(("codebuild", "BatchGetReports")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR]),
    opt("codebuild", "startBuildBatch", Some(("codebuild", "StartBuildBatch")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR, Sync]),
    opt("codebuild", "retryBuildBatch", Some(("codebuild", "RetryBuildBatch")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR, Sync]),
    opt("codebuild", "stopBuildBatch", Some(("codebuild", "StopBuildBatch")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR]),
    opt("codebuild", "deleteBuildBatch", Some(("codebuild", "DeleteBuildBatch")), "CodeBuild", "CodeBuild.AWSCodeBuildException", &[RR]),
    opt("dynamodb", "getItem", Some(("dynamodb", "GetItem")), "DynamoDB", "DynamoDB.AmazonDynamoDBException", &[RR]),
    opt("dynamodb", "putItem", Some(("dynamodb", "PutItem")), "DynamoDB", "DynamoDB.AmazonDynamoDBException", &[RR]),
    opt("dynamodb", "updateItem", Some(("dynamodb", "UpdateItem")), "DynamoDB", "DynamoDB.AmazonDynamoDBException", &[RR]),
    opt("dynamodb", "deleteItem", Some(("dynamodb", "DeleteItem")), "DynamoDB", "DynamoDB.AmazonDynamoDBException", &[RR]),
    opt("ecs", "runTask", Some(("ecs", "RunTask")), "ECS", "ECS.AmazonECSException", &[RR, Sync, Wftt]),
    opt("eks", "createCluster", Some(("eks", "CreateCluster")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    opt("eks", "deleteCluster", Some(("eks", "DeleteCluster")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    opt("eks", "createFargateProfile", Some(("eks", "CreateFargateProfile")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    opt("eks", "deleteFargateProfile", Some(("eks", "DeleteFargateProfile")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    opt("eks", "createNodegroup", Some(("eks", "CreateNodegroup")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    opt("eks", "deleteNodegroup", Some(("eks", "DeleteNodegroup")), "EKS", "EKS.AmazonEKSException", &[RR, Sync]),
    Optimized { iam: &["eks:DescribeCluster"], ..opt("eks", "runJob", None, "EKS", "EKS.AmazonEKSException", &[RR, Sync]) },
    Optimized { iam: &["eks:DescribeCluster"], ..opt("eks", "call", None, "EKS", "EKS.AmazonEKSException", &[RR]) },
    opt("elasticmapreduce", "createCluster", Some(("emr", "RunJobFlow")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR, Sync]),
    Optimized { own_request: true, ..opt("elasticmapreduce", "terminateCluster", Some(("emr", "TerminateJobFlows")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR, Sync]) },
    Optimized { own_request: true, ..opt("elasticmapreduce", "addStep", Some(("emr", "AddJobFlowSteps")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR, Sync]) },
    Optimized { own_request: true, ..opt("elasticmapreduce", "cancelStep", Some(("emr", "CancelSteps")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR]) },
    Optimized { own_request: true, ..opt("elasticmapreduce", "setClusterTerminationProtection", Some(("emr", "SetTerminationProtection")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR]) },
    Optimized { own_request: true, ..opt("elasticmapreduce", "modifyInstanceFleetByName", Some(("emr", "ModifyInstanceFleet")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR]) },
    Optimized { own_request: true, ..opt("elasticmapreduce", "modifyInstanceGroupByName", Some(("emr", "ModifyInstanceGroups")), "EMR", "EMR.AmazonElasticMapReduceException", &[RR]) },
    opt("emr-containers", "startJobRun", Some(("emrcontainers", "StartJobRun")), "EMRContainers", "EMRContainers.AmazonEMRContainersException", &[RR, Sync]),
    opt("emr-containers", "createVirtualCluster", Some(("emrcontainers", "CreateVirtualCluster")), "EMRContainers", "EMRContainers.AmazonEMRContainersException", &[RR]),
    opt("emr-containers", "deleteVirtualCluster", Some(("emrcontainers", "DeleteVirtualCluster")), "EMRContainers", "EMRContainers.AmazonEMRContainersException", &[RR, Sync]),
    opt("emr-serverless", "createApplication", Some(("emrserverless", "CreateApplication")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    opt("emr-serverless", "startApplication", Some(("emrserverless", "StartApplication")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    opt("emr-serverless", "stopApplication", Some(("emrserverless", "StopApplication")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    opt("emr-serverless", "deleteApplication", Some(("emrserverless", "DeleteApplication")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    opt("emr-serverless", "startJobRun", Some(("emrserverless", "StartJobRun")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    opt("emr-serverless", "cancelJobRun", Some(("emrserverless", "CancelJobRun")), "EMRServerless", "EMRServerless.AWSEMRServerlessException", &[RR, Sync]),
    Optimized { json_members: &["Entries/*/Detail"], ..opt("events", "putEvents", Some(("eventbridge", "PutEvents")), "EventBridge", "EventBridge.AmazonEventBridgeException", &[RR, Wftt]) },
    opt("glue", "startJobRun", Some(("glue", "StartJobRun")), "Glue", "Glue.AWSGlueException", &[RR, Sync]),
    opt("databrew", "startJobRun", Some(("databrew", "StartJobRun")), "DataBrew", "DataBrew.AWSGlueDataBrewException", &[RR, Sync]),
    opt("mediaconvert", "createJob", Some(("mediaconvert", "CreateJob")), "MediaConvert", "MediaConvert.AWSMediaConvertException", &[RR, Sync]),
    opt("sagemaker", "createTrainingJob", Some(("sagemaker", "CreateTrainingJob")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR, Sync]),
    opt("sagemaker", "createTransformJob", Some(("sagemaker", "CreateTransformJob")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR, Sync]),
    opt("sagemaker", "createProcessingJob", Some(("sagemaker", "CreateProcessingJob")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR, Sync]),
    opt("sagemaker", "createHyperParameterTuningJob", Some(("sagemaker", "CreateHyperParameterTuningJob")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR, Sync]),
    opt("sagemaker", "createLabelingJob", Some(("sagemaker", "CreateLabelingJob")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR, Sync]),
    opt("sagemaker", "createModel", Some(("sagemaker", "CreateModel")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR]),
    opt("sagemaker", "createEndpoint", Some(("sagemaker", "CreateEndpoint")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR]),
    opt("sagemaker", "createEndpointConfig", Some(("sagemaker", "CreateEndpointConfig")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR]),
    opt("sagemaker", "updateEndpoint", Some(("sagemaker", "UpdateEndpoint")), "SageMaker", "SageMaker.AmazonSageMakerException", &[RR]),
    Optimized { json_members: &["Message"], ..opt("sns", "publish", Some(("sns", "Publish")), "SNS", "SNS.AmazonSNSException", &[RR, Wftt]) },
    Optimized { json_members: &["MessageBody"], ..opt("sqs", "sendMessage", Some(("sqs", "SendMessage")), "SQS", "SQS.AmazonSQSException", &[RR, Wftt]) },
    Optimized { json_members: &["Input"], ..opt("states", "startExecution", Some(("sfn", "StartExecution")), "StepFunctions", "StepFunctions.AWSStepFunctionsException", &[RR, Sync, Sync2, Wftt]) },
    Optimized {
        iam: &["states:InvokeHTTPEndpoint", "events:RetrieveConnectionCredentials", "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        ..opt("http", "invoke", None, "States", "States.Http.Socket", &[RR])
    },
    // Distributed Map's ItemReader and ResultWriter name these.
    opt("s3", "getObject", Some(("s3", "GetObject")), "S3", "S3.AmazonS3Exception", &[RR]),
    opt("s3", "listObjectsV2", Some(("s3", "ListObjectsV2")), "S3", "S3.AmazonS3Exception", &[RR]),
    opt("s3", "putObject", Some(("s3", "PutObject")), "S3", "S3.AmazonS3Exception", &[RR]),
];

/// The optimized integration `<service>:<action>`, if Step Functions has it.
pub fn optimized(service: &str, action: &str) -> Option<&'static Optimized> {
    OPTIMIZED.iter().find(|o| o.service == service && o.action == action)
}

/// What a Task resource calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Integration {
    /// `aws-sdk:<service>:<action>`: `service` is Step Functions' name (the catalogue file's),
    /// `operation` PascalCase.
    Sdk { service: String, operation: String, pattern: Pattern },
    Optimized { integration: &'static Optimized, pattern: Pattern },
    /// A Lambda function ARN: Lambda's `Invoke`, errors as `lambda:invoke`'s.
    LambdaFunction { function: String },
    /// An activity ARN: a worker answers, no API operation.
    Activity { name: String },
}

/// A resource that names no integration the catalogue knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    /// Not `arn:<partition>:states:::...`, a Lambda function or an activity.
    NotAnIntegration,
    /// `arn:aws:states:::<service>:<action>` that is no optimized integration.
    UnknownOptimized { service: String, action: String },
    /// A suffix that is no pattern, or a pattern the integration does not support.
    BadPattern { suffix: String },
}

impl std::fmt::Display for ResourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResourceError::NotAnIntegration => write!(f, "not a service integration, Lambda function or activity ARN"),
            ResourceError::UnknownOptimized { service, action } => {
                write!(f, "{service}:{action} is not an optimized integration (an aws-sdk:{service}:{action} integration may exist)")
            }
            ResourceError::BadPattern { suffix } => write!(f, "the integration does not support the pattern {suffix:?}"),
        }
    }
}

/// `getItem.waitForTaskToken` → (`getItem`, the pattern).
fn split_pattern(action: &str) -> Result<(&str, Pattern), ResourceError> {
    let at = action.find('.').unwrap_or(action.len());
    let (name, suffix) = action.split_at(at);
    pattern_of_suffix(suffix).map(|p| (name, p)).ok_or_else(|| ResourceError::BadPattern { suffix: suffix.to_string() })
}

impl Integration {
    /// Reads a Task's resource.
    pub fn parse(resource: &str) -> Result<Integration, ResourceError> {
        // The fields between colons, a template's placeholder (`${AWS::Partition}`) one field.
        let mut parts: Vec<&str> = Vec::with_capacity(6);
        let mut rest = resource;
        while parts.len() < 5 {
            let Some((field, after)) = crate::asl::integrations::split_field(rest) else { break };
            parts.push(field);
            rest = after;
        }
        parts.push(rest);
        let &[arn, _partition, service, _region, _account, rest] = parts.as_slice() else { return Err(ResourceError::NotAnIntegration) };
        if arn != "arn" {
            return Err(ResourceError::NotAnIntegration);
        }
        // A service integration, with or without a region and account (`asl::integrations`).
        let integration = crate::asl::integrations::integration_rest(resource);
        match (service, integration) {
            ("states", Some(rest)) => {
                let (target, action) = match rest.strip_prefix("aws-sdk:") {
                    Some(sdk) => (Some(sdk), None),
                    None => (None, Some(rest)),
                };
                if let Some(sdk) = target {
                    let (service, action) = sdk.split_once(':').ok_or(ResourceError::NotAnIntegration)?;
                    let (action, pattern) = split_pattern(action)?;
                    if service.is_empty() || action.is_empty() {
                        return Err(ResourceError::NotAnIntegration);
                    }
                    if !matches!(pattern, Pattern::RequestResponse | Pattern::WaitForTaskToken) {
                        return Err(ResourceError::BadPattern { suffix: pattern.suffix().to_string() });
                    }
                    return Ok(Integration::Sdk { service: service.to_string(), operation: pascal_case(action), pattern });
                }
                let (service, action) = action.unwrap_or_default().split_once(':').ok_or(ResourceError::NotAnIntegration)?;
                let (action, pattern) = split_pattern(action)?;
                let integration = optimized(service, action)
                    .ok_or_else(|| ResourceError::UnknownOptimized { service: service.to_string(), action: action.to_string() })?;
                if !integration.patterns.contains(&pattern) {
                    return Err(ResourceError::BadPattern { suffix: pattern.suffix().to_string() });
                }
                Ok(Integration::Optimized { integration, pattern })
            }
            ("lambda", None) => match rest.split_once(':') {
                Some(("function", function)) if !function.is_empty() => Ok(Integration::LambdaFunction { function: function.to_string() }),
                _ => Err(ResourceError::NotAnIntegration),
            },
            ("states", None) => match rest.split_once(':') {
                Some(("activity", name)) if !name.is_empty() => Ok(Integration::Activity { name: name.to_string() }),
                _ => Err(ResourceError::NotAnIntegration),
            },
            _ => Err(ResourceError::NotAnIntegration),
        }
    }

    /// The catalogue service and operation it calls, if it calls exactly one.
    pub fn operation(&self) -> Option<(&str, &str)> {
        match self {
            Integration::Sdk { service, operation, .. } => Some((service, operation)),
            Integration::Optimized { integration, .. } => integration.calls,
            Integration::LambdaFunction { .. } => Some(("lambda", "Invoke")),
            Integration::Activity { .. } => None,
        }
    }

    /// The prefix of its errors, when it does not come from the service's file.
    pub fn error_prefix(&self) -> Option<&'static str> {
        match self {
            Integration::Sdk { .. } | Integration::Activity { .. } => None,
            Integration::Optimized { integration, .. } => Some(integration.error_prefix),
            Integration::LambdaFunction { .. } => Some("Lambda"),
        }
    }

    /// The members that take any JSON value although the model says string.
    /// Whether the request is the optimized integration's own ([`Optimized::own_request`]).
    pub fn own_request(&self) -> bool {
        matches!(self, Integration::Optimized { integration, .. } if integration.own_request)
    }

    pub fn json_members(&self) -> &'static [&'static str] {
        match self {
            Integration::Optimized { integration, .. } => integration.json_members,
            Integration::LambdaFunction { .. } => &["Payload"],
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_form_of_resource_reads() {
        let sdk = |s: &str, o: &str, p| Ok(Integration::Sdk { service: s.into(), operation: o.into(), pattern: p });
        let cases: &[(&str, Result<Integration, ResourceError>)] = &[
            ("arn:aws:states:::aws-sdk:dynamodb:getItem", sdk("dynamodb", "GetItem", RR)),
            ("arn:aws-cn:states:::aws-sdk:s3:listObjectsV2", sdk("s3", "ListObjectsV2", RR)),
            ("arn:aws:states:::aws-sdk:sqs:sendMessage.waitForTaskToken", sdk("sqs", "SendMessage", Wftt)),
            ("arn:aws:states:::aws-sdk:ecs:runTask.sync", Err(ResourceError::BadPattern { suffix: ".sync".into() })),
            ("arn:aws:states:::aws-sdk:s3:getObject.later", Err(ResourceError::BadPattern { suffix: ".later".into() })),
            ("arn:aws:states:::dynamodb:query", Err(ResourceError::UnknownOptimized { service: "dynamodb".into(), action: "query".into() })),
            ("arn:aws:states:::dynamodb:getItem.sync", Err(ResourceError::BadPattern { suffix: ".sync".into() })),
            ("arn:aws:lambda:us-east-1:123456789012:function:Charge", Ok(Integration::LambdaFunction { function: "Charge".into() })),
            ("arn:aws:states:us-east-1:123456789012:activity:Review", Ok(Integration::Activity { name: "Review".into() })),
            // A region and account in an integration's ARN (published workflows hold them).
            ("arn:aws:states:us-east-1:776177632559:aws-sdk:transcribe:getTranscriptionJob", sdk("transcribe", "GetTranscriptionJob", RR)),
            ("arn:aws:states:us-east-1:000000000000:elasticmapreduce:addStep.sync", Ok(Integration::Optimized { integration: optimized("elasticmapreduce", "addStep").unwrap(), pattern: Sync })),
            ("arn:aws:states:us-east-1:123456789012:stateMachine:Orders", Err(ResourceError::NotAnIntegration)),
            // A template's placeholders in the partition, region and account (`Fn::Sub`'s
            // pseudo parameters hold colons of their own).
            ("arn:${AWS::Partition}:states:::aws-sdk:ec2:describeInstances", sdk("ec2", "DescribeInstances", RR)),
            ("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:aws-sdk:sqs:sendMessage.waitForTaskToken", sdk("sqs", "SendMessage", Wftt)),
            ("arn:${AWS::Partition}:states:::dynamodb:getItem", Ok(Integration::Optimized { integration: optimized("dynamodb", "getItem").unwrap(), pattern: RR })),
            ("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}", Ok(Integration::LambdaFunction { function: "${FunctionName}".into() })),
            ("arn:aws:states:::aws-sdk:", Err(ResourceError::NotAnIntegration)),
            ("arn:aws:sns:us-east-1:123456789012:topic", Err(ResourceError::NotAnIntegration)),
            ("not an arn", Err(ResourceError::NotAnIntegration)),
        ];
        for (resource, expected) in cases {
            assert_eq!(&Integration::parse(resource), expected, "{resource}");
        }
    }

    #[test]
    fn optimized_integrations_carry_their_pattern_and_operation() {
        let Ok(Integration::Optimized { integration, pattern }) = Integration::parse("arn:aws:states:::states:startExecution.sync:2") else {
            panic!()
        };
        assert_eq!((integration.calls, pattern), (Some(("sfn", "StartExecution")), Sync2));
        let emr = Integration::parse("arn:aws:states:::elasticmapreduce:createCluster.sync").unwrap();
        assert_eq!(emr.operation(), Some(("emr", "RunJobFlow")));
        assert_eq!(emr.error_prefix(), Some("EMR"));
        // AgentCore's harness calls no modelled operation and answers only request-response.
        let harness = Integration::parse("arn:aws:states:::bedrockagentcore:invokeHarness").unwrap();
        assert_eq!((harness.operation(), harness.error_prefix()), (None, Some("BedrockAgentCore")));
        assert!(matches!(Integration::parse("arn:aws:states:::bedrockagentcore:invokeHarness.sync"), Err(ResourceError::BadPattern { .. })));
    }

    #[test]
    fn every_optimized_row_is_unique_and_supports_request_response() {
        for (i, row) in OPTIMIZED.iter().enumerate() {
            assert!(row.patterns.contains(&RR), "{}:{}", row.service, row.action);
            assert!(row.base_error.starts_with(row.error_prefix), "{}:{}", row.service, row.action);
            assert!(!OPTIMIZED[..i].iter().any(|o| o.service == row.service && o.action == row.action), "{}:{} twice", row.service, row.action);
            assert!(row.calls.is_some() || !row.iam.is_empty(), "{}:{} needs IAM actions", row.service, row.action);
        }
    }
}
