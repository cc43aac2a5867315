//! What a Task's `Resource` names: a Lambda function, an activity, an AWS SDK call
//! (`arn:aws:states:::aws-sdk:SERVICE:ACTION`) or one of Step Functions' *optimized*
//! integrations (`arn:aws:states:::SERVICE:ACTION`), with its integration pattern (Request
//! Response, `.sync`, `.sync:2`, `.waitForTaskToken`).
//!
//! Owns the table of optimized integrations ([`OPTIMIZED`]) and the patterns each supports, and
//! AWS's refusals: an optimized integration that does not exist, or a pattern it does not offer
//! ("The resource provided arn:aws:states:::dynamodb:query is not recognized. …"), an `aws-sdk:`
//! call to a service Step Functions' list does not have, an action not in camel case, or an
//! operation the list says is unsupported (the same words); and, in an
//! EXPRESS state machine, `.sync`, `.waitForTaskToken` and activities. The validator, the
//! interpreter and the IAM policy exporter read the same table.
//!
//! Source: the AWS Step Functions Developer Guide, "Integrating optimized services with Step
//! Functions" (integrate-optimized.html, the table of patterns per service) and each service's
//! page ("Supported APIs", e.g. connect-ddb.html, connect-bedrock.html, connect-emr.html),
//! as published in 2025. Everything not listed goes through `aws-sdk:`, which offers Request
//! Response and `.waitForTaskToken`, never `.sync`.

/// How a Task waits for the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pattern {
    /// No suffix: the HTTP response is the result.
    RequestResponse,
    /// `.sync`: run a job and wait for it to finish.
    Sync,
    /// `.sync:2`: `states:startExecution` only, with the child's output as parsed JSON.
    Sync2,
    /// `.waitForTaskToken`: wait for a callback with the task token.
    WaitForTaskToken,
}

impl Pattern {
    /// The resource suffix: `""`, `".sync"`, `".sync:2"`, `".waitForTaskToken"`.
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::WaitForTaskToken => ".waitForTaskToken",
        }
    }

    /// The pattern of an action written with its suffix (`startExecution.sync:2`), and the action.
    pub fn split(action: &str) -> (&str, Pattern) {
        for pattern in [Pattern::Sync2, Pattern::Sync, Pattern::WaitForTaskToken] {
            if let Some(name) = action.strip_suffix(pattern.suffix()) {
                return (name, pattern);
            }
        }
        (action, Pattern::RequestResponse)
    }

    /// Whether an EXPRESS state machine may use it (Request Response only).
    pub fn allowed_in_express(self) -> bool {
        self == Pattern::RequestResponse
    }
}

use Pattern::{RequestResponse as RR, Sync as SYNC, Sync2 as SYNC2, WaitForTaskToken as CALLBACK};

/// One optimized integration: `arn:aws:states:::SERVICE:ACTION` and the patterns it offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Optimized {
    /// The service as the resource names it: `lambda`, `dynamodb`, `elasticmapreduce` …
    pub service: &'static str,
    /// The action as the resource names it: `invoke`, `getItem`, `startExecution` …
    pub action: &'static str,
    pub patterns: &'static [Pattern],
}

impl Optimized {
    /// Whether the integration offers `pattern`.
    pub fn supports(&self, pattern: Pattern) -> bool {
        self.patterns.contains(&pattern)
    }

    /// The resource with `pattern`: `arn:aws:states:::ecs:runTask.sync`.
    pub fn resource(&self, pattern: Pattern) -> String {
        format!("arn:aws:states:::{}:{}{}", self.service, self.action, pattern.suffix())
    }
}

const fn op(service: &'static str, action: &'static str, patterns: &'static [Pattern]) -> Optimized {
    Optimized { service, action, patterns }
}

const RR_ONLY: &[Pattern] = &[RR];
const RR_SYNC: &[Pattern] = &[RR, SYNC];
const RR_CALLBACK: &[Pattern] = &[RR, CALLBACK];
const RR_SYNC_CALLBACK: &[Pattern] = &[RR, SYNC, CALLBACK];

/// Every optimized integration, by service then action.
pub const OPTIMIZED: &[Optimized] = &[
    // Amazon API Gateway, HTTP Task
    op("apigateway", "invoke", RR_CALLBACK),
    op("http", "invoke", RR_ONLY),
    // Amazon Athena
    op("athena", "startQueryExecution", RR_SYNC),
    op("athena", "stopQueryExecution", RR_ONLY),
    op("athena", "getQueryExecution", RR_ONLY),
    op("athena", "getQueryResults", RR_ONLY),
    // AWS Batch
    op("batch", "submitJob", RR_SYNC),
    // Amazon Bedrock
    op("bedrock", "invokeModel", RR_ONLY),
    op("bedrock", "createModelCustomizationJob", RR_SYNC),
    // connect-bedrockagentcore.html: request-response only.
    op("bedrockagentcore", "invokeHarness", RR_ONLY),
    // AWS CodeBuild
    op("codebuild", "startBuild", RR_SYNC),
    op("codebuild", "stopBuild", RR_ONLY),
    op("codebuild", "batchDeleteBuilds", RR_ONLY),
    op("codebuild", "batchGetReports", RR_ONLY),
    op("codebuild", "startBuildBatch", RR_SYNC),
    op("codebuild", "stopBuildBatch", RR_ONLY),
    op("codebuild", "retryBuildBatch", RR_SYNC),
    op("codebuild", "deleteBuildBatch", RR_ONLY),
    // AWS Glue DataBrew
    op("databrew", "startJobRun", RR_SYNC),
    // Amazon DynamoDB
    op("dynamodb", "getItem", RR_ONLY),
    op("dynamodb", "putItem", RR_ONLY),
    op("dynamodb", "updateItem", RR_ONLY),
    op("dynamodb", "deleteItem", RR_ONLY),
    // Amazon ECS / Fargate
    op("ecs", "runTask", RR_SYNC_CALLBACK),
    // Amazon EKS
    op("eks", "createCluster", RR_SYNC),
    op("eks", "deleteCluster", RR_SYNC),
    op("eks", "createFargateProfile", RR_SYNC),
    op("eks", "deleteFargateProfile", RR_SYNC),
    op("eks", "createNodegroup", RR_SYNC),
    op("eks", "deleteNodegroup", RR_SYNC),
    op("eks", "runJob", RR_SYNC),
    op("eks", "call", RR_ONLY),
    // Amazon EMR
    op("elasticmapreduce", "createCluster", RR_SYNC),
    op("elasticmapreduce", "terminateCluster", RR_SYNC),
    op("elasticmapreduce", "addStep", RR_SYNC),
    op("elasticmapreduce", "cancelStep", RR_ONLY),
    op("elasticmapreduce", "setClusterTerminationProtection", RR_ONLY),
    op("elasticmapreduce", "modifyInstanceFleetByName", RR_ONLY),
    op("elasticmapreduce", "modifyInstanceGroupByName", RR_ONLY),
    // Amazon EMR on EKS
    op("emr-containers", "createVirtualCluster", RR_ONLY),
    op("emr-containers", "deleteVirtualCluster", RR_SYNC),
    op("emr-containers", "startJobRun", RR_SYNC),
    // Amazon EMR Serverless
    op("emr-serverless", "createApplication", RR_SYNC),
    op("emr-serverless", "startApplication", RR_SYNC),
    op("emr-serverless", "stopApplication", RR_SYNC),
    op("emr-serverless", "deleteApplication", RR_SYNC),
    op("emr-serverless", "startJobRun", RR_SYNC),
    op("emr-serverless", "cancelJobRun", RR_SYNC),
    // Amazon EventBridge
    op("events", "putEvents", RR_CALLBACK),
    // AWS Glue
    op("glue", "startJobRun", RR_SYNC),
    // AWS Lambda
    op("lambda", "invoke", RR_CALLBACK),
    // AWS Elemental MediaConvert
    op("mediaconvert", "createJob", RR_SYNC),
    // Amazon SageMaker
    op("sagemaker", "createEndpoint", RR_ONLY),
    op("sagemaker", "createEndpointConfig", RR_ONLY),
    op("sagemaker", "createHyperParameterTuningJob", RR_SYNC),
    op("sagemaker", "createLabelingJob", RR_SYNC),
    op("sagemaker", "createModel", RR_ONLY),
    op("sagemaker", "createProcessingJob", RR_SYNC),
    op("sagemaker", "createTrainingJob", RR_SYNC),
    op("sagemaker", "createTransformJob", RR_SYNC),
    op("sagemaker", "updateEndpoint", RR_ONLY),
    // Amazon SNS, Amazon SQS
    op("sns", "publish", RR_CALLBACK),
    op("sqs", "sendMessage", RR_CALLBACK),
    // AWS Step Functions
    op("states", "startExecution", &[RR, SYNC, SYNC2, CALLBACK]),
];

/// The optimized integration `service:action`, if Step Functions has one.
pub fn optimized(service: &str, action: &str) -> Option<&'static Optimized> {
    OPTIMIZED.iter().find(|o| o.service == service && o.action == action)
}

/// What a Task's `Resource` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource<'a> {
    /// `arn:aws:states:::SERVICE:ACTION[.pattern]`, a known one.
    Optimized { integration: &'static Optimized, pattern: Pattern },
    /// `arn:aws:states:::aws-sdk:SERVICE:ACTION[.pattern]`.
    AwsSdk { service: &'a str, action: &'a str, pattern: Pattern },
    /// `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
    LambdaFunction,
    /// `arn:aws:states:REGION:ACCOUNT:activity:NAME`.
    Activity,
    /// Not a literal ARN: a `${...}` placeholder to be substituted, or anything else Statecraft
    /// does not judge.
    Other,
}

/// Why AWS refuses a Task's resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceError {
    /// An `arn:aws:states:::` resource that is no optimized integration, or a pattern the
    /// integration (or `aws-sdk`) does not offer.
    NotRecognized { resource: String },
    /// A pattern (or an activity) an EXPRESS state machine cannot use.
    NotInExpress { what: &'static str },
}

impl ResourceError {
    /// AWS's message.
    pub fn message(&self) -> String {
        match self {
            ResourceError::NotRecognized { resource } => format!(
                "The resource provided {resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
            ),
            ResourceError::NotInExpress { what } => format!("Express state machine does not support {what}"),
        }
    }
}

/// Step Functions' AWS SDK integrations: each service's name in `aws-sdk:<name>:<action>`, its
/// errors' prefix and the operations it does not support, one service a line (the Developer
/// Guide's "Supported AWS SDK service integrations", transcribed for the service catalogue).
const SDK_SERVICES: &str = include_str!("../../scripts/catalogue/sfn-sdk-services.txt");

/// Whether `aws-sdk:<service>:<action>` names a call Step Functions offers, as far as the
/// validator can tell without the service's API model: a service of Step Functions' list, an
/// action written in camel case (`getObject`; AWS refuses `GetObject` as it refuses an unknown
/// service: "The resource provided arn:aws:states:::aws-sdk:cloudwatchlogs:CreateLogStream is
/// not recognized"), and not one of the operations the guide lists as unsupported. Whether the
/// service has the operation at all is the catalogue's to say (`catalogue::requests`).
pub fn sdk_call_exists(service: &str, action: &str) -> bool {
    if !action.starts_with(|c: char| c.is_ascii_lowercase()) {
        return false;
    }
    let Some(line) = SDK_SERVICES.lines().filter(|l| !l.starts_with('#')).find(|l| l.split_whitespace().next() == Some(service)) else {
        return false;
    };
    let mut operation = action.to_string();
    operation[..1].make_ascii_uppercase();
    !line.split_whitespace().nth(2).is_some_and(|unsupported| unsupported.split(',').any(|o| o == operation))
}

/// What follows the `arn:PARTITION:states:::` prefix of a service integration, whatever the
/// partition (`aws`, `aws-cn`, a template's `${AWS::Partition}`). A region and an account between its colons
/// (`arn:aws:states:us-east-1:123456789012:aws-sdk:s3:getObject`, as Workflow Studio once wrote
/// them and published workflows still hold) name the same integration: such a resource is one
/// when what follows is an `aws-sdk:` call or an optimized integration's `service:action`, so that
/// an activity's ARN (`...:activity:NAME`) stays an activity.
pub fn integration_rest(resource: &str) -> Option<&str> {
    let rest = resource.strip_prefix("arn:")?;
    let (_partition, rest) = split_field(rest)?;
    let rest = rest.strip_prefix("states:")?;
    if let Some(rest) = rest.strip_prefix("::") {
        return Some(rest);
    }
    let (_region, rest) = split_field(rest)?;
    let (_account, rest) = split_field(rest)?;
    let named = rest.starts_with("aws-sdk:") || rest.split_once(':').is_some_and(|(service, action)| optimized(service, Pattern::split(action).0).is_some());
    named.then_some(rest)
}

/// An ARN's next field and what follows its `:`. A field may be a template's placeholder with
/// colons of its own (`arn:${AWS::Partition}:states:::aws-sdk:ec2:describeInstances`, as a
/// CloudFormation `Fn::Sub` or a SAM definition writes it): a `:` inside `${...}` does not end it.
pub fn split_field(text: &str) -> Option<(&str, &str)> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
                continue;
            }
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 => return Some((&text[..i], &text[i + 1..])),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Reads a Task's `Resource`: `Err` when AWS would refuse it whatever the workflow type.
pub fn parse(resource: &str) -> Result<Resource<'_>, ResourceError> {
    if resource.contains("${") {
        return Ok(Resource::Other);
    }
    let not_recognized = || ResourceError::NotRecognized { resource: resource.to_string() };
    let aws_partition = resource.strip_prefix("arn:").is_some_and(|rest| rest.starts_with("aws"));
    if let Some(rest) = integration_rest(resource).filter(|_| aws_partition) {
        if let Some(sdk) = rest.strip_prefix("aws-sdk:") {
            let (service, action) = sdk.split_once(':').ok_or_else(not_recognized)?;
            let (action, pattern) = Pattern::split(action);
            if service.is_empty() || action.is_empty() || !matches!(pattern, RR | CALLBACK) || !sdk_call_exists(service, action) {
                return Err(not_recognized());
            }
            return Ok(Resource::AwsSdk { service, action, pattern });
        }
        let (service, action) = rest.split_once(':').ok_or_else(not_recognized)?;
        let (action, pattern) = Pattern::split(action);
        return match optimized(service, action) {
            Some(integration) if integration.supports(pattern) => Ok(Resource::Optimized { integration, pattern }),
            _ => Err(not_recognized()),
        };
    }
    let mut parts = resource.splitn(7, ':');
    let fields: Vec<&str> = parts.by_ref().take(6).collect();
    Ok(match fields.as_slice() {
        ["arn", _, "lambda", _, _, "function"] => Resource::LambdaFunction,
        ["arn", _, "states", _, _, "activity"] => Resource::Activity,
        _ => Resource::Other,
    })
}

impl Resource<'_> {
    /// The integration pattern (Request Response for Lambda functions and unknown resources;
    /// an activity is a callback in all but name).
    pub fn pattern(&self) -> Pattern {
        match self {
            Resource::Optimized { pattern, .. } | Resource::AwsSdk { pattern, .. } => *pattern,
            Resource::Activity => CALLBACK,
            Resource::LambdaFunction | Resource::Other => RR,
        }
    }

    /// Why an EXPRESS state machine cannot use this resource, if it cannot.
    pub fn express_error(&self) -> Option<ResourceError> {
        let what = match (self, self.pattern()) {
            (Resource::Activity, _) => "Activity ARN",
            (_, SYNC | SYNC2) => "'.sync' service integration",
            (_, CALLBACK) => "'.waitForTaskToken' service integration",
            (_, RR) => return None,
        };
        Some(ResourceError::NotInExpress { what })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (resource, accepted)
    const RESOURCES: &[(&str, bool)] = &[
        ("arn:aws:states:::lambda:invoke", true),
        ("arn:aws:states:::lambda:invoke.waitForTaskToken", true),
        ("arn:aws:states:::lambda:invoke.sync", false),
        ("arn:aws:states:::dynamodb:getItem", true),
        ("arn:aws:states:::dynamodb:query", false),
        ("arn:aws:states:::dynamodb:getItem.waitForTaskToken", false),
        ("arn:aws:states:::ecs:runTask.sync", true),
        ("arn:aws:states:::ecs:runTask.waitForTaskToken", true),
        ("arn:aws:states:::states:startExecution.sync:2", true),
        ("arn:aws:states:::glue:startJobRun.sync:2", false),
        ("arn:aws:states:::sns:publish", true),
        ("arn:aws:states:::bedrockagentcore:invokeHarness", true),
        ("arn:aws:states:::bedrockagentcore:invokeHarness.waitForTaskToken", false),
        ("arn:aws:states:::s3:getObject", false),
        ("arn:aws:states:::aws-sdk:s3:getObject", true),
        ("arn:aws:states:::aws-sdk:dynamodb:query.waitForTaskToken", true),
        ("arn:aws:states:::aws-sdk:glue:startJobRun.sync", false),
        ("arn:aws:states:::aws-sdk:s3", false),
        ("arn:aws-cn:states:::sqs:sendMessage", true),
        ("arn:aws-us-gov:states:::sqs:receiveMessage", false),
        ("arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken", true),
        // Not a service Step Functions' SDK integrations reach, an action in Pascal case, an
        // operation the guide lists as unsupported.
        ("arn:aws:states:::aws-sdk:apigatewaymanagementapi:postToConnection", false),
        ("arn:aws:states:::aws-sdk:cloudwatchlogs:CreateLogStream", false),
        ("arn:aws:states:::aws-sdk:cloudwatchlogs:createLogStream", true),
        ("arn:aws:states:::aws-sdk:cloudwatchlogs:startLiveTail", false),
        ("arn:aws:states:::aws-sdk:codebuild:startBuild.sync", false),
        ("arn:aws:lambda:us-east-1:123456789012:function:f", true),
        ("arn:aws:states:us-east-1:123456789012:activity:a", true),
        ("arn:aws:states:::${Service}:invoke", true),
    ];

    #[test]
    fn resources_are_refused_as_aws_refuses_them() {
        for (resource, accepted) in RESOURCES {
            assert_eq!(parse(resource).is_ok(), *accepted, "{resource}");
        }
        assert_eq!(
            parse("arn:aws:states:::dynamodb:query").unwrap_err().message(),
            "The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region."
        );
    }

    #[test]
    fn express_refuses_jobs_callbacks_and_activities() {
        // (resource, what EXPRESS does not support)
        let cases = [
            ("arn:aws:states:::lambda:invoke", None),
            ("arn:aws:states:::aws-sdk:s3:getObject", None),
            ("arn:aws:lambda:us-east-1:1:function:f", None),
            ("arn:aws:states:::ecs:runTask.sync", Some("Express state machine does not support '.sync' service integration")),
            ("arn:aws:states:::states:startExecution.sync:2", Some("Express state machine does not support '.sync' service integration")),
            ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", Some("Express state machine does not support '.waitForTaskToken' service integration")),
            ("arn:aws:states:us-east-1:1:activity:a", Some("Express state machine does not support Activity ARN")),
        ];
        for (resource, refusal) in cases {
            let error = parse(resource).unwrap().express_error().map(|e| e.message());
            assert_eq!(error.as_deref(), refusal, "{resource}");
        }
    }

    #[test]
    fn every_integration_offers_request_response_and_is_listed_once() {
        for (i, o) in OPTIMIZED.iter().enumerate() {
            assert!(o.supports(Pattern::RequestResponse), "{}:{}", o.service, o.action);
            assert!(!OPTIMIZED[..i].iter().any(|p| p.service == o.service && p.action == o.action), "{}:{} twice", o.service, o.action);
            for pattern in o.patterns {
                assert_eq!(parse(&o.resource(*pattern)), Ok(Resource::Optimized { integration: o, pattern: *pattern }));
            }
        }
    }
}
