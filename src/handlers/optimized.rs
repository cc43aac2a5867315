//! The default answers of Tasks nobody configured: what AWS returns, shaped from the service
//! catalogue, deterministic for the execution's seed ([`TaskContext::rng`]).
//!
//! - Optimized integrations answer as AWS returns them: the `lambda:invoke` envelope
//!   (`ExecutedVersion`, `Payload`, `SdkHttpMetadata`, `SdkResponseMetadata`, `StatusCode`),
//!   EventBridge `putEvents` (`Entries`, `FailedEntryCount`), Step Functions `startExecution`
//!   (`ExecutionArn`, `StartDate`) and its `.sync`/`.sync:2` execution description, other `.sync`
//!   jobs as their describe operation reports a finished job, and every other optimized call as
//!   the catalogue's example of its output; all with the SDK's HTTP metadata ([`with_metadata`]).
//! - `aws-sdk:` calls answer with the catalogue's example of the operation's output (no HTTP
//!   metadata: AWS SDK integrations return the bare response).
//! - A Lambda function nobody simulates cannot be known: it echoes its payload (wrapped in the
//!   real envelope for `lambda:invoke`).
//! - The HTTP Task and `apigateway:invoke` call an API nobody simulates: a 200 answer in the
//!   HTTP Task's shape, the request's body back as the response's ([`HttpInvokeEcho`]).
//! - What the catalogue cannot resolve (an activity, a service it lacks) echoes its input and
//!   says so in the run's log ([`Unresolved`]).
//!
//! SNS, SQS and DynamoDB's stateful calls are [`super::services`]'s; it uses [`with_metadata`]
//! for the same envelope.

use serde_json::{Map, Value, json};

use super::{TaskContext, TaskHandler, TaskRequest};
use crate::asl::error::StatesError;
use crate::catalogue::{Catalogue, Integration, Pattern, ResolveError, Resolved};
use crate::catalogue::example::ReadStep;

const REGION: &str = "us-east-1";
const ACCOUNT: &str = "123456789012";

/// A version-4 UUID from the execution's RNG (the one `$uuid()` draws).
pub use crate::asl::jsonata::functions::uuid_from as uuid;

pub use crate::asl::interp::sdk_response::{http_date, lambda_envelope, with_metadata};

/// `http:invoke` (or `apigateway:invoke`) of an API nobody simulates: a 200 answer in the HTTP Task's shape (`Headers`
/// with lists of values, `ResponseBody`, `StatusCode`, `StatusText`), the body being the request's
/// `RequestBody` back (`{}` without one), as a function nobody simulates answers its payload.
#[derive(Debug, Clone, Copy, Default)]
pub struct HttpInvokeEcho;

impl TaskHandler for HttpInvokeEcho {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let body = request.input.get("RequestBody").cloned().unwrap_or_else(|| json!({}));
        let length = serde_json::to_string(&body).map_or(0, |t| t.len());
        Ok(json!({
            "Headers": {"content-length": [length.to_string()], "content-type": ["application/json"], "date": [http_date(context.now)]},
            "ResponseBody": body,
            "StatusCode": 200,
            "StatusText": "OK",
        }))
    }
}

/// Whether `resource` is the HTTP Task (`arn:aws:states:::http:invoke`, any partition).
pub fn is_http_invoke(resource: &str) -> bool {
    resource.strip_prefix("arn:").and_then(|r| r.split_once(":states:::")).is_some_and(|(_, rest)| rest == "http:invoke")
}

/// Whether `resource` is the optimized API Gateway integration (`apigateway:invoke`, any
/// partition, either pattern). It calls no API operation of a service model: it calls the
/// workflow's own API, and answers as the HTTP Task does (AWS's "Create API Gateway REST APIs
/// with Step Functions" page: the status code, the headers and the response body), so nobody's
/// API answers with [`HttpInvokeEcho`], not with the request back.
pub fn is_api_gateway_invoke(resource: &str) -> bool {
    crate::asl::integrations::integration_rest(resource).is_some_and(|rest| matches!(rest, "apigateway:invoke" | "apigateway:invoke.waitForTaskToken"))
}

/// AgentCore `invokeHarness`: Step Functions turns the harness's conversation into a
/// Converse-shaped answer (AWS's "Invoke Amazon Bedrock AgentCore harness" page): the last
/// assistant message's text under `Output.Message.Content`, `StopReason`, and the token counts
/// of the whole session under `Usage`. The agent's words cannot be known; they say they are an
/// example, naming the harness.
#[derive(Debug, Clone, Copy, Default)]
pub struct HarnessAnswer;

impl TaskHandler for HarnessAnswer {
    fn invoke(&mut self, request: &TaskRequest, _context: &mut TaskContext) -> Result<Value, StatesError> {
        let arn = request.input.get("HarnessArn").and_then(Value::as_str).unwrap_or_default();
        let harness = arn.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("harness");
        let (input_tokens, output_tokens) = (412, 96);
        Ok(json!({
            "Output": {"Message": {"Role": "assistant", "Content": [{"Text": format!("Example response of the harness {harness}.")}]}},
            "StopReason": "end_turn",
            "Usage": {"InputTokens": input_tokens, "OutputTokens": output_tokens, "TotalTokens": input_tokens + output_tokens},
        }))
    }
}

/// Whether `resource` is AgentCore's `invokeHarness` (any partition).
pub fn is_harness_invoke(resource: &str) -> bool {
    matches!(Integration::parse(resource), Ok(Integration::Optimized { integration, .. }) if (integration.service, integration.action) == ("bedrockagentcore", "invokeHarness"))
}

/// `lambda:invoke` of a function nobody simulates: its payload back, in the real envelope.
#[derive(Debug, Clone, Copy, Default)]
pub struct LambdaInvokeEcho;

impl TaskHandler for LambdaInvokeEcho {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        Ok(lambda_envelope(request.input.clone(), context))
    }

    fn returns_service_response(&self) -> bool {
        true
    }
}

/// A Task the catalogue cannot answer for (an activity, a service it lacks): its input back, and
/// a log line that says why.
#[derive(Debug, Clone)]
pub struct Unresolved {
    pub reason: String,
}

impl TaskHandler for Unresolved {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let reason = &self.reason;
        context.print(|| format!("statecraft: no simulated answer for {} ({reason}): the task returns its input", request.resource));
        Ok(request.input.clone())
    }
}

/// What a resolved integration answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    /// The catalogue's example of the operation's output.
    Example,
    /// EventBridge `putEvents`: an event id per entry.
    PutEvents,
    /// Step Functions `startExecution` (request-response): the new execution's ARN and date.
    StartExecution,
    /// `startExecution.sync` (`Output` as text) or `.sync:2` (`Output` as JSON).
    ExecutionSucceeded { json_output: bool },
    /// Another `.sync` job: its describe operation's answer, finished.
    SyncJob,
    /// Bedrock `invokeModel`: Step Functions gives the model's JSON body parsed, in the format
    /// of the model's family ([`model_body`]).
    ModelResponse,
}

/// Optimized integrations that answer in their own words, not the called API's (AWS's
/// "Create and manage Amazon EMR clusters" page): (service, action, [(API member, integration
/// member)]). A list renamed to a single name gives its first element (`StepIds` → `StepId`).
const OWN_RESPONSES: &[(&str, &str, &[(&str, &str)])] = &[
    ("elasticmapreduce", "createCluster", &[("JobFlowId", "ClusterId")]),
    ("elasticmapreduce", "addStep", &[("StepIds", "StepId")]),
    ("elasticmapreduce", "cancelStep", &[("CancelStepsInfoList", "CancelStepsInfo")]),
];

/// `response` with the members renamed as the integration names them ([`OWN_RESPONSES`]).
fn in_own_words(integration: &Integration, mut response: Value) -> Value {
    let Integration::Optimized { integration, .. } = integration else { return response };
    let Some((_, _, renames)) = OWN_RESPONSES.iter().find(|r| r.0 == integration.service && r.1 == integration.action) else { return response };
    let Value::Object(members) = &mut response else { return response };
    for (from, to) in *renames {
        if let Some(value) = members.remove(*from) {
            let value = match value {
                Value::Array(items) if from.ends_with('s') || from.ends_with("List") => items.into_iter().next().unwrap_or(Value::Null),
                other => other,
            };
            members.insert(to.to_string(), value);
        }
    }
    response
}

/// The default answer of a resolved integration.
#[derive(Debug, Clone)]
pub struct CatalogueAnswer {
    resolved: Resolved,
    answer: Answer,
    /// The describe operation's answer for a `.sync` job, when the catalogue has it.
    describe: Option<Resolved>,
    /// The paths the workflow reads from the answer, built into the example however deep.
    reads: Vec<Vec<ReadStep>>,
    /// A `.sync` job's start answer from the last call, for TaskSubmitted
    /// ([`TaskHandler::take_submitted`]).
    submitted: Option<Value>,
}

/// `.sync` jobs: the integration, the operation that describes the job, where the job is in
/// that answer (a list is read at its first element), and the members a finished job has.
const SYNC_JOBS: &[(&str, &str, &str, &[&str], &[(&str, &str)])] = &[
    ("athena", "startQueryExecution", "GetQueryExecution", &[], &[("/QueryExecution/Status/State", "SUCCEEDED")]),
    ("batch", "submitJob", "DescribeJobs", &["Jobs"], &[("/Status", "SUCCEEDED")]),
    // CodeBuild's `.sync` answers with the build under `Build`, as `StartBuild` does.
    ("codebuild", "startBuild", "StartBuild", &[], &[("/Build/BuildStatus", "SUCCEEDED"), ("/Build/BuildComplete", "true"), ("/Build/CurrentPhase", "COMPLETED")]),
    ("codebuild", "startBuildBatch", "StartBuildBatch", &[], &[("/BuildBatch/BuildBatchStatus", "SUCCEEDED"), ("/BuildBatch/Complete", "true")]),
    ("ecs", "runTask", "DescribeTasks", &[], &[("/Tasks/0/LastStatus", "STOPPED"), ("/Tasks/0/DesiredStatus", "STOPPED"), ("/Tasks/0/Containers/0/ExitCode", "0"), ("/Failures", "[]")]),
    ("glue", "startJobRun", "GetJobRun", &["JobRun"], &[("/JobRunState", "SUCCEEDED")]),
    ("sagemaker", "createTrainingJob", "DescribeTrainingJob", &[], &[("/TrainingJobStatus", "Completed")]),
    ("sagemaker", "createTransformJob", "DescribeTransformJob", &[], &[("/TransformJobStatus", "Completed")]),
    ("sagemaker", "createProcessingJob", "DescribeProcessingJob", &[], &[("/ProcessingJobStatus", "Completed")]),
    // EMR's `createCluster.sync` and `addStep.sync` wait for the cluster or the step, then answer
    // as `createCluster` and `addStep` do (`ClusterId`, `StepId`: [`OWN_RESPONSES`]); published
    // workflows read `$.cluster.ClusterId` after `createCluster.sync`.
    ("emr-serverless", "startJobRun", "GetJobRun", &[], &[("/JobRun/State", "SUCCESS")]),
    ("databrew", "startJobRun", "DescribeJobRun", &[], &[("/State", "SUCCEEDED")]),
];

impl CatalogueAnswer {
    /// The answer for a resolved resource; `catalogue` gives a `.sync` job's describe operation.
    pub fn new(resolved: Resolved, catalogue: &Catalogue) -> Self {
        let (answer, describe) = match &resolved.integration {
            Integration::Optimized { integration, pattern } => match (integration.service, integration.action, pattern) {
                ("events", "putEvents", _) => (Answer::PutEvents, None),
                ("bedrock", "invokeModel", _) => (Answer::ModelResponse, None),
                ("states", "startExecution", Pattern::RequestResponse | Pattern::WaitForTaskToken) => (Answer::StartExecution, None),
                ("states", "startExecution", Pattern::Sync) => (Answer::ExecutionSucceeded { json_output: false }, None),
                ("states", "startExecution", Pattern::Sync2) => (Answer::ExecutionSucceeded { json_output: true }, None),
                (service, action, Pattern::Sync | Pattern::Sync2) => {
                    let job = SYNC_JOBS.iter().find(|j| j.0 == service && j.1 == action);
                    let describe = job.and_then(|j| {
                        let (called, _) = integration.calls?;
                        catalogue.service(called).ok().flatten().filter(|s| s.operations.contains_key(j.2)).map(|s| Resolved {
                            integration: resolved.integration.clone(),
                            service: s,
                            operation: j.2.to_string(),
                        })
                    });
                    (Answer::SyncJob, describe)
                }
                _ => (Answer::Example, None),
            },
            _ => (Answer::Example, None),
        };
        CatalogueAnswer { resolved, answer, describe, reads: Vec::new(), submitted: None }
    }

    /// The same answer with the paths the workflow reads from it present in the example, however
    /// deep ([`crate::catalogue::example::example_reading`]).
    pub fn reading(mut self, reads: Vec<Vec<ReadStep>>) -> Self {
        self.reads = reads;
        self
    }

    pub fn resolved(&self) -> &Resolved {
        &self.resolved
    }

    fn sync_job(&self, seed: u64) -> Value {
        let Integration::Optimized { integration, .. } = &self.resolved.integration else { return self.resolved.example_output(seed) };
        let Some(describe) = &self.describe else { return self.resolved.example_output(seed) };
        let job = SYNC_JOBS.iter().find(|j| j.0 == integration.service && j.1 == integration.action);
        let mut value = describe.example_output(seed);
        if let Some((_, _, _, pick, finished)) = job {
            for member in *pick {
                value = match value.get(*member) {
                    Some(Value::Array(items)) => items.first().cloned().unwrap_or(Value::Object(Map::new())),
                    Some(other) => other.clone(),
                    None => Value::Object(Map::new()),
                };
            }
            for (pointer, text) in *finished {
                set_pointer(&mut value, pointer, serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string())));
            }
        }
        value
    }
}

/// A response member named as a request member, of the same JSON type, takes the request's value:
/// a service answers about what it was asked (Translate's `TargetLanguageCode`, a `TableName`, a
/// job's name), not about an example's.
fn echo_request_members(mut response: Value, request: &Value) -> Value {
    let (Value::Object(out), Value::Object(asked)) = (&mut response, request) else { return response };
    for (name, value) in out.iter_mut() {
        if let Some(given) = asked.get(name)
            && std::mem::discriminant(given) == std::mem::discriminant(value)
            && !given.is_object()
            && !given.is_array()
        {
            *value = given.clone();
        }
    }
    response
}

/// Sets the member at a JSON pointer, making the objects (and first array elements) on the way.
fn set_pointer(value: &mut Value, pointer: &str, new: Value) {
    let mut at = value;
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if let Ok(index) = part.parse::<usize>()
            && let Value::Array(items) = at
        {
            if items.len() <= index {
                items.resize(index + 1, Value::Object(Map::new()));
            }
            if last {
                items[index] = new;
                return;
            }
            at = &mut items[index];
            continue;
        }
        if !at.is_object() {
            *at = Value::Object(Map::new());
        }
        let map = at.as_object_mut().expect("made an object above");
        if last {
            map.insert(part.to_string(), new);
            return;
        }
        at = map.entry(part.to_string()).or_insert_with(|| Value::Object(Map::new()));
    }
}

impl TaskHandler for CatalogueAnswer {
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError> {
        let seed = context.rng.next_u64();
        let optimized = matches!(self.resolved.integration, Integration::Optimized { .. });
        let response = match self.answer {
            Answer::Example => {
                let mut example = self.resolved.example_output_reading(seed, &self.reads);
                // A batch call answers with one entry per item sent.
                crate::catalogue::example::one_per_item(&self.resolved.service, &self.resolved.operation, request.input, &mut example, seed);
                echo_request_members(example, request.input)
            }
            Answer::SyncJob => {
                // The start call's answer is the start operation's example, from the same seed.
                self.submitted = Some(in_own_words(&self.resolved.integration, self.resolved.example_output(seed)));
                // The finished job is the one asked for (Batch's `JobName`, `JobQueue`), also
                // where the answer wraps it (EMR Serverless' `JobRun`, CodeBuild's `Build`).
                let mut job = echo_request_members(self.sync_job(seed), request.input);
                if let Value::Object(members) = &mut job {
                    for wrapped in members.values_mut().filter(|v| v.is_object()) {
                        *wrapped = echo_request_members(std::mem::take(wrapped), request.input);
                    }
                }
                job
            }
            Answer::PutEvents => {
                let entries = request.input.get("Entries").and_then(Value::as_array).map_or(0, Vec::len).max(1);
                let entries: Vec<Value> = (0..entries).map(|_| json!({"EventId": uuid(context.rng)})).collect();
                json!({"Entries": entries, "FailedEntryCount": 0})
            }
            Answer::StartExecution => json!({"ExecutionArn": execution_arn(request.input, context), "StartDate": context.now}),
            Answer::ModelResponse => {
                let model = request.input.get("ModelId").and_then(Value::as_str).unwrap_or_default();
                let body = request.input.get("Body").unwrap_or(&Value::Null);
                json!({"Body": model_body(model, body, &uuid(context.rng)), "ContentType": "application/json"})
            }
            Answer::ExecutionSucceeded { json_output } => {
                let arn = execution_arn(request.input, context);
                self.submitted = Some(json!({"ExecutionArn": arn, "StartDate": context.now}));
                let machine = request.input.get("StateMachineArn").and_then(Value::as_str).unwrap_or_default().to_string();
                let name = arn.rsplit(':').next().unwrap_or_default().to_string();
                // The child's output cannot be known: it is taken to return its input.
                let input = match request.input.get("Input") {
                    Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::String(text.clone())),
                    Some(other) => other.clone(),
                    None => json!({}),
                };
                let text = serde_json::to_string(&input).unwrap_or_default();
                let output = if json_output { input.clone() } else { Value::String(text.clone()) };
                let input_value = if json_output { input } else { Value::String(text) };
                json!({
                    "ExecutionArn": arn, "Input": input_value, "InputDetails": {"Included": true}, "Name": name,
                    "Output": output, "OutputDetails": {"Included": true}, "RedriveCount": 0, "RedriveStatus": "NOT_REDRIVABLE",
                    "RedriveStatusReason": "Execution is SUCCEEDED and cannot be redriven",
                    "StartDate": context.now, "StateMachineArn": machine, "Status": "SUCCEEDED", "StopDate": context.now,
                })
            }
        };
        let response = in_own_words(&self.resolved.integration, response);
        Ok(if optimized { with_metadata(response, "application/x-amz-json-1.0", &[], context) } else { response })
    }

    fn take_submitted(&mut self) -> Option<Value> {
        self.submitted.take()
    }
}

/// A model's answer body in its family's format (from the model id, or the part of an ARN after
/// its last `/`, and the request's body): Anthropic's Messages or Text Completions, Amazon Titan's and Nova's, Meta Llama's, Mistral's,
/// Cohere's and AI21's. The text cannot be known; it says it is an example.
fn model_body(model: &str, request: &Value, id: &str) -> Value {
    let model = model.rsplit('/').next().unwrap_or(model);
    let family = model.split('.').find(|p| !matches!(*p, "us" | "eu" | "apac" | "global")).unwrap_or_default();
    let text = format!("Example response of {model}.");
    let (input_tokens, output_tokens) = (12, 8);
    match family {
        // Anthropic's Text Completions API (Claude v2 and Instant, asked with `prompt`), rather
        // than Messages: the answer is the completion.
        "anthropic" if request.get("prompt").is_some() && request.get("messages").is_none() => {
            json!({"completion": format!(" {text}"), "stop_reason": "stop_sequence", "stop": "\n\nHuman:"})
        }
        "anthropic" => json!({"id": format!("msg_{}", id.replace('-', "")), "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": null,
            "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens}}),
        "amazon" if model.contains("nova") => json!({"output": {"message": {"role": "assistant", "content": [{"text": text}]}},
            "stopReason": "end_turn", "usage": {"inputTokens": input_tokens, "outputTokens": output_tokens, "totalTokens": input_tokens + output_tokens}}),
        "amazon" if model.contains("embed") => json!({"embedding": [0.0125, -0.0311, 0.0472], "inputTextTokenCount": input_tokens}),
        "meta" => json!({"generation": text, "prompt_token_count": input_tokens, "generation_token_count": output_tokens, "stop_reason": "stop"}),
        "mistral" => json!({"outputs": [{"text": text, "stop_reason": "stop"}]}),
        "cohere" => json!({"id": id, "generations": [{"id": id, "text": text, "finish_reason": "COMPLETE"}], "prompt": ""}),
        "ai21" => json!({"id": id, "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]}),
        // Amazon Titan Text, and any other family: Titan's shape.
        _ => json!({"inputTextTokenCount": input_tokens, "results": [{"tokenCount": output_tokens, "outputText": text, "completionReason": "FINISH"}]}),
    }
}

/// The ARN of a started execution: the machine's, as an execution, named as asked or by a UUID.
fn execution_arn(input: &Value, context: &mut TaskContext) -> String {
    let name = match input.get("Name").and_then(Value::as_str) {
        Some(n) => n.to_string(),
        None => uuid(context.rng),
    };
    match input.get("StateMachineArn").and_then(Value::as_str).and_then(|a| a.split_once(":stateMachine:")) {
        Some((prefix, machine)) => format!("{prefix}:execution:{}:{name}", machine.split(':').next().unwrap_or(machine)),
        None => format!("arn:aws:states:{REGION}:{ACCOUNT}:execution:StateMachine:{name}"),
    }
}

/// The default handler of a Task's resource, and what it is when it cannot be the catalogue's.
pub fn default_handler(catalogue: &Catalogue, resource: &str) -> Box<dyn TaskHandler> {
    default_handler_reading(catalogue, resource, Vec::new())
}

/// [`default_handler`], a service's example answer holding the paths `reads` that the workflow
/// reads from it, however deep.
pub fn default_handler_reading(catalogue: &Catalogue, resource: &str, reads: Vec<Vec<ReadStep>>) -> Box<dyn TaskHandler> {
    if resource.starts_with("arn:aws:states:::lambda:invoke") || is_partition_lambda_invoke(resource) {
        return Box::new(LambdaInvokeEcho);
    }
    if is_http_invoke(resource) || is_api_gateway_invoke(resource) {
        return Box::new(HttpInvokeEcho);
    }
    if is_harness_invoke(resource) {
        return Box::new(HarnessAnswer);
    }
    match catalogue.resolve(resource) {
        Ok(resolved) => match resolved.integration {
            // A Lambda function's result is its own: it echoes its payload.
            Integration::LambdaFunction { .. } => Box::new(super::Echo),
            _ => Box::new(CatalogueAnswer::new(resolved, catalogue).reading(reads)),
        },
        Err(error) => Box::new(Unresolved { reason: unresolved_reason(&error) }),
    }
}

/// Whether `resource` is the optimized `lambda:invoke` (any partition, any pattern).
pub fn is_lambda_invoke(resource: &str) -> bool {
    resource.starts_with("arn:aws:states:::lambda:invoke") || is_partition_lambda_invoke(resource)
}

fn is_partition_lambda_invoke(resource: &str) -> bool {
    resource.starts_with("arn:") && resource.contains(":states:::lambda:invoke")
}

fn unresolved_reason(error: &ResolveError) -> String {
    match error {
        ResolveError::NoOperation => "it calls no single API operation".to_string(),
        ResolveError::UnknownService(s) => format!("the catalogue has no service {s:?} in this build"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn call(handler: &mut dyn TaskHandler, resource: &str, input: Value) -> (Value, Vec<String>) {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let mut log = Vec::new();
        let result = {
            let mut context = TaskContext { now: 1_642_164_981_000, rng: &mut rng, log: &mut log, logging: true };
            let request = TaskRequest { state_name: "S", resource, function_name: None, input: &input, attempt: 0 };
            handler.invoke(&request, &mut context).unwrap()
        };
        (result, log)
    }

    fn answer(resource: &str, input: Value) -> Value {
        let catalogue = Catalogue::embedded();
        call(default_handler(&catalogue, resource).as_mut(), resource, input).0
    }

    #[test]
    fn the_http_task_answers_200_in_its_own_shape_with_the_request_body_back() {
        let resource = "arn:aws:states:::http:invoke";
        assert!(is_http_invoke(resource) && is_http_invoke("arn:aws-us-gov:states:::http:invoke") && !is_http_invoke("arn:aws:states:::apigateway:invoke"));
        let answered = answer(resource, json!({"ApiEndpoint": "https://example.com/orders", "Method": "POST", "RequestBody": {"id": 7}}));
        assert_eq!((answered["StatusCode"].clone(), answered["StatusText"].clone(), answered["ResponseBody"].clone()), (json!(200), json!("OK"), json!({"id": 7})));
        assert_eq!(answered["Headers"]["content-type"], json!(["application/json"]));
        assert_eq!(answer(resource, json!({"ApiEndpoint": "https://example.com", "Method": "GET"}))["ResponseBody"], json!({}));
    }

    #[test]
    fn a_call_whose_arn_holds_a_template_s_pseudo_parameters_answers_in_its_api_s_shape() {
        // `Fn::Sub` definitions write `arn:${AWS::Partition}:...`: the call is still EC2's
        // DescribeInstances, not an unknown resource that echoes its request.
        let asked = json!({"InstanceIds": ["i-0abc"]});
        let answered = answer("arn:${AWS::Partition}:states:::aws-sdk:ec2:describeInstances", asked.clone());
        assert_ne!(answered, asked);
        assert!(answered.get("Reservations").is_some_and(Value::is_array), "{answered}");
        let sub = answer("arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:aws-sdk:sqs:sendMessage", json!({"QueueUrl": "q", "MessageBody": "m"}));
        assert!(sub.get("MessageId").is_some() && sub.get("MessageBody").is_none(), "{sub}");
    }

    #[test]
    fn api_gateway_answers_in_the_http_task_s_shape_not_with_its_request() {
        for resource in ["arn:aws:states:::apigateway:invoke", "arn:aws-cn:states:::apigateway:invoke", "arn:aws:states:::apigateway:invoke.waitForTaskToken"] {
            assert!(is_api_gateway_invoke(resource), "{resource}");
            let asked = json!({"ApiEndpoint": "abc123.execute-api.us-east-1.amazonaws.com", "Method": "POST", "Stage": "Prod", "Path": "/@connections/x", "AuthType": "IAM_ROLE", "RequestBody": {"Progress": 10}});
            let answered = answer(resource, asked);
            assert_eq!((answered["StatusCode"].clone(), answered["StatusText"].clone(), answered["ResponseBody"].clone()), (json!(200), json!("OK"), json!({"Progress": 10})));
            assert!(answered.get("ApiEndpoint").is_none() && answered.get("Method").is_none(), "not the request back: {answered}");
        }
        assert!(!is_api_gateway_invoke("arn:aws:states:::http:invoke") && !is_api_gateway_invoke("arn:aws:states:::aws-sdk:apigateway:getRestApis"));
    }

    #[test]
    fn an_agentcore_harness_answers_in_the_converse_shape_naming_the_harness() {
        let resource = "arn:aws:states:::bedrockagentcore:invokeHarness";
        assert!(is_harness_invoke(resource) && is_harness_invoke("arn:aws-cn:states:::bedrockagentcore:invokeHarness") && !is_harness_invoke("arn:aws:states:::bedrock:invokeModel"));
        let arn = "arn:aws:bedrock-agentcore:us-east-1:123456789012:harness/analyst-a1b2c3d4e5";
        let asked = json!({"HarnessArn": arn, "RuntimeSessionId": "run-1-analyze", "Messages": [{"Role": "user", "Content": [{"Text": "Analyze s3://sales/q2.csv"}]}]});
        let answered = answer(resource, asked);
        let text = answered.pointer("/Output/Message/Content/0/Text").and_then(Value::as_str).unwrap_or_default();
        assert!(text.contains("analyst-a1b2c3d4e5") && !text.contains("Analyze"), "an example, not the prompt back: {answered}");
        assert_eq!(answered["Output"]["Message"]["Role"], json!("assistant"));
        let usage = &answered["Usage"];
        assert_eq!(usage["TotalTokens"].as_i64(), Some(usage["InputTokens"].as_i64().unwrap() + usage["OutputTokens"].as_i64().unwrap()));
        assert!(answered.get("HarnessArn").is_none() && answered.get("Messages").is_none());
    }

    #[test]
    fn emr_answers_in_the_integration_s_own_words_with_or_without_sync() {
        for pattern in ["", ".sync"] {
            let created = answer(&format!("arn:aws:states:::elasticmapreduce:createCluster{pattern}"), json!({"Name": "c", "Instances": {}}));
            assert!(created["ClusterId"].is_string() && created.get("JobFlowId").is_none() && created.get("Cluster").is_none(), "{created}");
            let step = answer(&format!("arn:aws:states:::elasticmapreduce:addStep{pattern}"), json!({"ClusterId": "j-1", "Step": {}}));
            assert!(step["StepId"].is_string() && step.get("StepIds").is_none(), "{step}");
        }
        let cancelled = answer("arn:aws:states:::elasticmapreduce:cancelStep", json!({"ClusterId": "j-1", "StepId": "s-1"}));
        assert!(cancelled["CancelStepsInfo"].is_object(), "{cancelled}");
    }

    #[test]
    fn a_listing_s_default_answer_is_its_last_page() {
        // The token that would fetch the next page is absent, whatever the API calls it.
        for (resource, token) in [
            ("arn:aws:states:::aws-sdk:sfn:listExecutions", "NextToken"),
            ("arn:aws:states:::aws-sdk:dynamodb:scan", "LastEvaluatedKey"),
            ("arn:aws:states:::aws-sdk:dynamodb:listTables", "LastEvaluatedTableName"),
            ("arn:aws:states:::aws-sdk:lambda:listFunctions", "NextMarker"),
            ("arn:aws:states:::aws-sdk:iam:listUsers", "Marker"),
            ("arn:aws:states:::aws-sdk:route53:listResourceRecordSets", "NextRecordName"),
            ("arn:aws:states:::aws-sdk:ec2:describeInstances", "NextToken"),
        ] {
            let page = answer(resource, json!({"NextToken": "t", "Marker": "m"}));
            assert!(page.get(token).is_none(), "{resource}: {page}");
        }
        assert_eq!(answer("arn:aws:states:::aws-sdk:iam:listUsers", json!({}))["IsTruncated"], false);
        // What is not a continuation stays: a scan's items, a listing's other members.
        assert!(answer("arn:aws:states:::aws-sdk:dynamodb:scan", json!({"TableName": "t"}))["Items"].is_array());
        assert!(answer("arn:aws:states:::aws-sdk:iam:listUsers", json!({}))["Users"].is_array());
    }

    #[test]
    fn http_dates_read_as_aws_writes_them() {
        assert_eq!(http_date(1_642_164_981_000), "Fri, 14 Jan 2022 12:56:21 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn lambda_invoke_has_the_real_envelope() {
        let r = answer("arn:aws:states:::lambda:invoke", json!({"a": 1}));
        assert_eq!(r["Payload"], json!({"a": 1}));
        assert_eq!((r["StatusCode"].clone(), r["ExecutedVersion"].clone()), (json!(200), json!("$LATEST")));
        let meta = &r["SdkHttpMetadata"];
        assert_eq!(meta["HttpStatusCode"], 200);
        // `{"a": 1}`: the payload as a Python function writes it (`json.dumps`' spacing).
        assert_eq!(meta["HttpHeaders"]["Content-Length"], "8");
        assert_eq!(meta["AllHttpHeaders"]["X-Amz-Executed-Version"], json!(["$LATEST"]));
        assert_eq!(meta["HttpHeaders"]["x-amzn-RequestId"], r["SdkResponseMetadata"]["RequestId"]);
        assert_eq!(r["SdkResponseMetadata"]["RequestId"].as_str().map(str::len), Some(36));
    }

    #[test]
    fn put_events_and_start_execution() {
        let r = answer("arn:aws:states:::events:putEvents", json!({"Entries": [{"Detail": {}}, {"Detail": {}}]}));
        assert_eq!(r["FailedEntryCount"], 0);
        assert_eq!(r["Entries"].as_array().map(Vec::len), Some(2));
        let started = answer("arn:aws:states:::states:startExecution", json!({"StateMachineArn": "arn:aws:states:eu-west-1:111:stateMachine:Child", "Name": "run-1"}));
        assert_eq!(started["ExecutionArn"], "arn:aws:states:eu-west-1:111:execution:Child:run-1");
        assert_eq!(started["StartDate"], 1_642_164_981_000i64);
        let sync2 = answer("arn:aws:states:::states:startExecution.sync:2", json!({"StateMachineArn": "arn:aws:states:eu-west-1:111:stateMachine:Child", "Input": {"k": 1}}));
        assert_eq!((sync2["Status"].clone(), sync2["Output"].clone()), (json!("SUCCEEDED"), json!({"k": 1})));
        let sync = answer("arn:aws:states:::states:startExecution.sync", json!({"StateMachineArn": "arn:aws:states:eu-west-1:111:stateMachine:Child", "Input": {"k": 1}}));
        assert_eq!(sync["Output"], "{\"k\":1}");
    }

    #[test]
    fn a_batch_call_answers_with_one_entry_per_item_sent_none_failed() {
        // (service call, request list, its length, answer list)
        let cases = [
            ("arn:aws:states:::aws-sdk:firehose:putRecordBatch", "Records", 7, "RequestResponses"),
            ("arn:aws:states:::aws-sdk:kinesis:putRecords", "Records", 3, "Records"),
            ("arn:aws:states:::aws-sdk:sqs:sendMessageBatch", "Entries", 4, "Successful"),
            ("arn:aws:states:::aws-sdk:sns:publishBatch", "PublishBatchRequestEntries", 2, "Successful"),
            ("arn:aws:states:::aws-sdk:eventbridge:putEvents", "Entries", 5, "Entries"),
        ];
        for (resource, asked, count, answered) in cases {
            let items: Vec<Value> = (0..count).map(|i| json!({"Id": format!("item-{i}"), "Data": "eA=="})).collect();
            let r = answer(resource, json!({asked: items, "DeliveryStreamName": "s", "StreamName": "s", "QueueUrl": "q", "TopicArn": "t"}));
            let entries = r[answered].as_array().unwrap_or_else(|| panic!("{resource}: {r}"));
            assert_eq!(entries.len(), count, "{resource}: {r}");
            // Entries differ from one another, and an entry's `Id` is its item's.
            assert_ne!(entries[0], entries[1], "{resource}");
            if entries[0].get("Id").is_some() {
                assert_eq!(entries[count - 1]["Id"], format!("item-{}", count - 1), "{resource}");
            }
            // None failed: no failure list with entries, no count above 0.
            for failed in ["Failed", "FailedPutCount", "FailedRecordCount", "FailedEntryCount"] {
                assert!(r.get(failed).is_none_or(|f| f == &json!([]) || f == &json!(0)), "{resource}: {failed} in {r}");
            }
        }
        // A request without its list (or another call) keeps the example as it was.
        let r = answer("arn:aws:states:::aws-sdk:firehose:putRecordBatch", json!({"DeliveryStreamName": "s"}));
        assert!(r["RequestResponses"].as_array().is_some_and(|e| !e.is_empty()), "{r}");
    }

    #[test]
    fn a_bedrock_model_answers_in_its_family_s_format() {
        let claude = answer("arn:aws:states:::bedrock:invokeModel", json!({"ModelId": "anthropic.claude-3-haiku-20240307-v1:0", "Body": {}}));
        assert_eq!(claude["Body"]["content"][0]["type"], "text");
        assert!(claude["Body"]["content"][0]["text"].as_str().is_some_and(|t| t.contains("claude")), "{claude}");
        assert_eq!(claude["ContentType"], "application/json");
        // Asked with a `prompt` (Text Completions, Claude v2), Claude answers a completion.
        let legacy = answer("arn:aws:states:::bedrock:invokeModel", json!({"ModelId": "anthropic.claude-v2", "Body": {"prompt": "\n\nHuman: hi\n\nAssistant:", "max_tokens_to_sample": 200}}));
        assert!(legacy["Body"]["completion"].is_string() && legacy["Body"].get("content").is_none(), "{legacy}");
        let arn = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1";
        let titan = answer("arn:aws:states:::bedrock:invokeModel", json!({"ModelId": arn, "Body": {}}));
        assert!(titan["Body"]["results"][0]["outputText"].is_string(), "{titan}");
        let nova = answer("arn:aws:states:::bedrock:invokeModel", json!({"ModelId": "us.amazon.nova-lite-v1:0", "Body": {}}));
        assert!(nova["Body"]["output"]["message"]["content"][0]["text"].is_string(), "{nova}");
        let llama = answer("arn:aws:states:::bedrock:invokeModel", json!({"ModelId": "meta.llama3-8b-instruct-v1:0", "Body": {}}));
        assert!(llama["Body"]["generation"].is_string(), "{llama}");
    }

    #[test]
    fn a_response_member_named_as_a_request_member_answers_what_was_asked() {
        let r = answer("arn:aws:states:::aws-sdk:translate:translateText", json!({"Text": "Hallo", "SourceLanguageCode": "auto", "TargetLanguageCode": "fr"}));
        assert_eq!((r["TargetLanguageCode"].clone(), r["SourceLanguageCode"].clone()), (json!("fr"), json!("auto")));
        assert!(r["TranslatedText"].is_string());
        // Another type is not taken: a structure asked for stays the API's own.
        assert_eq!(echo_request_members(json!({"A": "x", "B": 1}), &json!({"A": 2, "B": 3})), json!({"A": "x", "B": 3}));
    }

    #[test]
    fn sync_jobs_are_finished_jobs() {
        let athena = answer("arn:aws:states:::athena:startQueryExecution.sync", json!({"QueryString": "SELECT 1"}));
        assert_eq!(athena["QueryExecution"]["Status"]["State"], "SUCCEEDED");
        let glue = answer("arn:aws:states:::glue:startJobRun.sync", json!({"JobName": "j"}));
        assert_eq!(glue["JobRunState"], "SUCCEEDED");
        assert!(glue.get("SdkHttpMetadata").is_some());
        let batch = answer("arn:aws:states:::batch:submitJob.sync", json!({}));
        assert_eq!(batch["Status"], "SUCCEEDED");
        let build = answer("arn:aws:states:::codebuild:startBuild.sync", json!({"ProjectName": "p"}));
        assert_eq!((build["Build"]["BuildStatus"].clone(), build["Build"]["BuildComplete"].clone()), (json!("SUCCEEDED"), json!(true)));
        let ecs = answer("arn:aws:states:::ecs:runTask.sync", json!({}));
        assert_eq!((ecs["Tasks"][0]["LastStatus"].clone(), ecs["Failures"].clone()), (json!("STOPPED"), json!([])));
        // The job an answer wraps is the one asked for: its application, name and project.
        assert_eq!(build["Build"]["ProjectName"], "p");
        let asked = json!({"ApplicationId": "00fabc123", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/emr", "Name": "nightly", "JobDriver": {"SparkSubmit": {"EntryPoint": "s3://b/job.py"}}});
        let run = answer("arn:aws:states:::emr-serverless:startJobRun.sync", asked);
        assert_eq!((run["JobRun"]["ApplicationId"].clone(), run["JobRun"]["Name"].clone(), run["JobRun"]["State"].clone()), (json!("00fabc123"), json!("nightly"), json!("SUCCESS")));
    }

    #[test]
    fn sdk_calls_are_bare_and_unknowns_echo_with_a_log_line() {
        let r = answer("arn:aws:states:::aws-sdk:s3:getObject", json!({"Bucket": "b", "Key": "k"}));
        assert!(r.is_object() && r.get("SdkHttpMetadata").is_none() && r.get("Body").is_some(), "{r}");
        let catalogue = Catalogue::embedded();
        let resource = "arn:aws:states:us-east-1:123456789012:activity:approve";
        let (r, log) = call(default_handler(&catalogue, resource).as_mut(), resource, json!({"x": 1}));
        assert_eq!(r, json!({"x": 1}));
        assert!(log[0].contains("no simulated answer") && log[0].contains(resource), "{log:?}");
    }
}
