//! [`ExportOptions`]: what the user chooses about a deployment, with the seed course's values as
//! defaults, and [`Scenario`]: a named execution input that `run.sh` starts.

use super::names::{InvalidName, NameKind, check_name};
use serde::{Deserialize, Serialize};

/// Standard or Express: the `--type` of `create-state-machine`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum WorkflowType {
    #[default]
    Standard,
    Express,
}

impl WorkflowType {
    /// As the AWS API writes it: `STANDARD`, `EXPRESS`.
    pub fn api_name(self) -> &'static str {
        match self {
            WorkflowType::Standard => "STANDARD",
            WorkflowType::Express => "EXPRESS",
        }
    }
}

/// The execution-history level Step Functions logs to CloudWatch Logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum LogLevel {
    /// No logging (the course's choice: "Logging : OFF").
    #[default]
    Off,
    Error,
    Fatal,
    All,
}

impl LogLevel {
    /// As the AWS API writes it: `OFF`, `ERROR`, `FATAL`, `ALL`.
    pub fn api_name(self) -> &'static str {
        match self {
            LogLevel::Off => "OFF",
            LogLevel::Error => "ERROR",
            LogLevel::Fatal => "FATAL",
            LogLevel::All => "ALL",
        }
    }
}

/// Where and how much the state machine logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoggingOptions {
    pub level: LogLevel,
    /// The log group the state machine writes to (created by the deploy when logging is on).
    pub log_group: String,
    /// Whether log events carry execution input and output.
    pub include_execution_data: bool,
}

/// An alarm on failed executions, sent by e-mail through an SNS topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlarmOptions {
    /// The e-mail address subscribed to the alarm's topic (AWS asks it to confirm).
    pub email: String,
}

/// Everything the user chooses about a deployment. `Default` is the seed course's deployment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportOptions {
    /// The state machine's name: `OrderProcessingWorkflow`.
    pub state_machine_name: String,
    /// The region everything is deployed to: `eu-west-3`.
    pub region: String,
    /// The account id to write into ARNs of the exported definition; `None` keeps the
    /// definition's own text (its placeholders, such as `ACCOUNT_ID`). Scripts always read the
    /// account from STS.
    pub account_id: Option<String>,
    pub workflow_type: WorkflowType,
    pub logging: LoggingOptions,
    /// X-Ray tracing of executions.
    pub tracing: bool,
    /// An alarm on failed executions; `None` for no alarm.
    pub alarm: Option<AlarmOptions>,
    /// The role Lambda functions run as: `StepFunctionsLambdaRole`.
    pub lambda_role_name: String,
    /// The role the state machine runs as: `StepFunctionsExecutionRole`.
    pub execution_role_name: String,
    /// The execution role's inline policy: `InvokeLambda`.
    pub execution_policy_name: String,
    /// The Lambda runtime. The course used `python3.11`, whose creation AWS has since disabled
    /// (cfn-lint E2533); the handlers run unchanged on `python3.14`.
    pub lambda_runtime: String,
}

impl Default for ExportOptions {
    fn default() -> Self {
        let name = crate::seed::NAME.to_string();
        ExportOptions {
            logging: LoggingOptions {
                level: LogLevel::Off,
                log_group: format!("/aws/vendedlogs/states/{name}-Logs"),
                include_execution_data: true,
            },
            state_machine_name: name,
            region: "eu-west-3".to_string(),
            account_id: None,
            workflow_type: WorkflowType::Standard,
            tracing: false,
            alarm: None,
            lambda_role_name: "StepFunctionsLambdaRole".to_string(),
            execution_role_name: "StepFunctionsExecutionRole".to_string(),
            execution_policy_name: "InvokeLambda".to_string(),
            lambda_runtime: "python3.14".to_string(),
        }
    }
}

impl ExportOptions {
    /// The options of a document's export: the state machine named after the document (made a
    /// valid name: `Account vending: OU` gives `Account-vending-OU`; `StateMachine` when nothing
    /// in it is valid, never another workflow's name), its log group after it.
    pub fn for_document(document: &str) -> Self {
        let name = crate::export::names::name_from(NameKind::StateMachine, document, "StateMachine");
        let mut options = ExportOptions::default();
        options.logging.log_group = format!("/aws/vendedlogs/states/{name}-Logs");
        options.state_machine_name = name;
        options
    }

    /// Checks every name the scripts and templates will use, reporting all that fail.
    pub fn check(&self) -> Result<(), Vec<InvalidName>> {
        let mut checks = vec![
            (NameKind::StateMachine, self.state_machine_name.as_str()),
            (NameKind::Region, self.region.as_str()),
            (NameKind::Role, self.lambda_role_name.as_str()),
            (NameKind::Role, self.execution_role_name.as_str()),
            (NameKind::Policy, self.execution_policy_name.as_str()),
            (NameKind::Runtime, self.lambda_runtime.as_str()),
            (NameKind::LogGroup, self.logging.log_group.as_str()),
        ];
        if let Some(account) = &self.account_id {
            checks.push((NameKind::AccountId, account));
        }
        if let Some(alarm) = &self.alarm {
            checks.push((NameKind::Email, &alarm.email));
        }
        let errors: Vec<InvalidName> = checks.into_iter().filter_map(|(kind, name)| check_name(kind, name).err()).collect();
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// Whether the state machine logs at all.
    pub fn logging_enabled(&self) -> bool {
        self.logging.level != LogLevel::Off
    }

    /// The alarm's SNS topic name: `<state machine>-Alarms`.
    pub fn alarm_topic_name(&self) -> String {
        format!("{}-Alarms", self.state_machine_name)
    }

    /// The alarm's name: `<state machine>-ExecutionsFailed`.
    pub fn alarm_name(&self) -> String {
        format!("{}-ExecutionsFailed", self.state_machine_name)
    }
}

/// A named execution input: `run.sh` starts one execution per scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// Free text, shown when the execution runs; never used as an AWS name.
    pub name: String,
    /// The execution input, JSON text.
    pub input: String,
}

impl Scenario {
    /// A document's own scenarios (the Run drawer's list, saved with it), for `run.sh`.
    pub fn of_document(doc: &crate::editor::document::Document) -> Vec<Scenario> {
        doc.simulation().scenarios.iter().map(|c| Scenario { name: c.name.clone(), input: c.input.clone() }).collect()
    }

    /// The seed course's three tests.
    pub fn seed_scenarios() -> Vec<Scenario> {
        crate::seed::TEST_INPUTS
            .iter()
            .map(|t| Scenario { name: t.name.to_string(), input: t.input.to_string() })
            .collect()
    }
}
