//! Writing the model back to JSON: each object's typed fields in canonical order, merged by its
//! [`Layout`] with the members kept as read.

use super::*;
use crate::asl::json::{self, Value, WriteStyle};

/// Collects `(field, value)` pairs for one object, skipping absent fields.
#[derive(Default)]
struct Fields(Vec<(&'static str, Node)>);

impl Fields {
    fn node(&mut self, name: &'static str, value: &Option<Node>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, v.clone()));
        }
        self
    }
    fn string(&mut self, name: &'static str, value: &Option<String>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, Node::string(v.clone())));
        }
        self
    }
    fn number(&mut self, name: &'static str, value: &Option<Number>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, Node::new(Value::Number(v.clone()))));
        }
        self
    }
    fn bool(&mut self, name: &'static str, value: Option<bool>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, Node::new(Value::Bool(v))));
        }
        self
    }
    fn path_or_null(&mut self, name: &'static str, value: &Option<PathOrNull>) -> &mut Self {
        if let Some(v) = value {
            let node = match v {
                PathOrNull::Path(p) => Node::string(p.clone()),
                PathOrNull::Null => Node::new(Value::Null),
            };
            self.0.push((name, node));
        }
        self
    }
    fn number_or_expression(&mut self, name: &'static str, value: &Option<NumberOrExpression>) -> &mut Self {
        if let Some(v) = value {
            let node = match v {
                NumberOrExpression::Number(n) => Node::new(Value::Number(n.clone())),
                NumberOrExpression::Expression(e) => Node::string(e.clone()),
            };
            self.0.push((name, node));
        }
        self
    }
    fn strings(&mut self, name: &'static str, value: &Option<Vec<String>>) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, Node::array(v.iter().map(|s| Node::string(s.clone())).collect())));
        }
        self
    }
    fn list<T>(&mut self, name: &'static str, value: &Option<Vec<T>>, write: impl Fn(&T) -> Node) -> &mut Self {
        if let Some(v) = value {
            self.0.push((name, Node::array(v.iter().map(write).collect())));
        }
        self
    }
    fn push(&mut self, name: &'static str, node: Node) -> &mut Self {
        self.0.push((name, node));
        self
    }
    fn query_language(&mut self, value: Option<QueryLanguage>) -> &mut Self {
        self.string("QueryLanguage", &value.map(|q| q.name().to_string()))
    }
}

impl StateMachine {
    /// The definition as a JSON tree: identical to the tree it was lowered from when unchanged.
    pub fn to_json(&self) -> Node {
        let mut f = Fields::default();
        f.string("Comment", &self.comment)
            .query_language(self.query_language)
            .string("StartAt", &self.start_at);
        // A `States` that was not an object is kept as read in the layout instead (no Field slot);
        // an empty one is written only if it was read.
        let had_states = self.layout.slots.iter().any(|s| matches!(s, Slot::Field("States")));
        if had_states || !self.states.is_empty() {
            f.push("States", Node::object(self.states.iter().map(|s| (s.name.clone(), s.state.to_json()))));
        }
        f.number("TimeoutSeconds", &self.timeout_seconds)
            .string("Version", &self.version);
        if let Some(config) = &self.processor_config {
            let mut c = Fields::default();
            c.string("Mode", &config.mode).string("ExecutionType", &config.execution_type);
            f.push("ProcessorConfig", config.layout.write(c.0));
        }
        self.layout.write(f.0)
    }

    /// The definition as JSON text (see [`json::write`] for the layouts).
    pub fn to_json_text(&self, style: WriteStyle) -> String {
        json::write(&self.to_json(), style)
    }
}

impl State {
    /// The state as a JSON object.
    pub fn to_json(&self) -> Node {
        let mut f = Fields::default();
        if let Some(t) = self.kind.state_type() {
            f.push("Type", Node::string(t.name()));
        }
        f.string("Comment", &self.comment).query_language(self.query_language);
        match &self.kind {
            StateKind::Task(t) => {
                f.string("Resource", &t.resource)
                    .number_or_expression("TimeoutSeconds", &t.timeout_seconds)
                    .string("TimeoutSecondsPath", &t.timeout_seconds_path)
                    .number_or_expression("HeartbeatSeconds", &t.heartbeat_seconds)
                    .string("HeartbeatSecondsPath", &t.heartbeat_seconds_path)
                    .node("Credentials", &t.credentials);
            }
            StateKind::Pass(p) => {
                f.node("Result", &p.result);
            }
            StateKind::Wait(w) => {
                f.number_or_expression("Seconds", &w.seconds)
                    .string("SecondsPath", &w.seconds_path)
                    .string("Timestamp", &w.timestamp)
                    .string("TimestampPath", &w.timestamp_path);
            }
            StateKind::Choice(c) => {
                f.list("Choices", &c.choices, ChoiceRule::to_json).string("Default", &c.default);
            }
            StateKind::Parallel(p) => {
                f.list("Branches", &p.branches, StateMachine::to_json);
            }
            StateKind::Map(m) => {
                f.string("ItemsPath", &m.items_path)
                    .node("Items", &m.items)
                    .node("ItemSelector", &m.item_selector)
                    .node("Iterator", &m.iterator.as_ref().map(|p| p.to_json()))
                    .node("ItemProcessor", &m.item_processor.as_ref().map(|p| p.to_json()))
                    .number_or_expression("MaxConcurrency", &m.max_concurrency)
                    .string("MaxConcurrencyPath", &m.max_concurrency_path)
                    .node("ItemReader", &m.item_reader)
                    .node("ItemBatcher", &m.item_batcher)
                    .node("ResultWriter", &m.result_writer)
                    .number_or_expression("ToleratedFailureCount", &m.tolerated_failure_count)
                    .string("ToleratedFailureCountPath", &m.tolerated_failure_count_path)
                    .number_or_expression("ToleratedFailurePercentage", &m.tolerated_failure_percentage)
                    .string("ToleratedFailurePercentagePath", &m.tolerated_failure_percentage_path)
                    .string("Label", &m.label);
            }
            StateKind::Succeed | StateKind::Unrecognized => {}
            StateKind::Fail(x) => {
                f.string("Error", &x.error)
                    .string("ErrorPath", &x.error_path)
                    .string("Cause", &x.cause)
                    .string("CausePath", &x.cause_path);
            }
        }
        let d = &self.data;
        f.path_or_null("InputPath", &d.input_path)
            .node("Parameters", &d.parameters)
            .node("Arguments", &d.arguments)
            .node("ResultSelector", &d.result_selector)
            .path_or_null("ResultPath", &d.result_path)
            .path_or_null("OutputPath", &d.output_path)
            .node("Output", &d.output)
            .node("Assign", &d.assign)
            .list("Retry", &self.retry, Retrier::to_json)
            .list("Catch", &self.catch, Catcher::to_json)
            .string("Next", &self.next)
            .bool("End", self.end);
        self.layout.write(f.0)
    }
}

impl Retrier {
    /// The retrier as a JSON object.
    pub fn to_json(&self) -> Node {
        let mut f = Fields::default();
        f.strings("ErrorEquals", &self.error_equals)
            .number("IntervalSeconds", &self.interval_seconds)
            .number("MaxAttempts", &self.max_attempts)
            .number("BackoffRate", &self.backoff_rate)
            .number("MaxDelaySeconds", &self.max_delay_seconds)
            .string("JitterStrategy", &self.jitter_strategy)
            .string("Comment", &self.comment);
        self.layout.write(f.0)
    }
}

impl Catcher {
    /// The catcher as a JSON object.
    pub fn to_json(&self) -> Node {
        let mut f = Fields::default();
        f.strings("ErrorEquals", &self.error_equals)
            .path_or_null("ResultPath", &self.result_path)
            .node("Output", &self.output)
            .node("Assign", &self.assign)
            .string("Next", &self.next)
            .string("Comment", &self.comment);
        self.layout.write(f.0)
    }
}

impl ChoiceRule {
    /// The rule as a JSON object.
    pub fn to_json(&self) -> Node {
        let mut f = Fields::default();
        f.string("Variable", &self.variable);
        if let Some(test) = &self.test {
            let node = match test {
                RuleTest::Compare { operand, .. } => match operand {
                    Operand::String(s) | Operand::Path(s) => Node::string(s.clone()),
                    Operand::Number(n) => Node::new(Value::Number(n.clone())),
                    Operand::Boolean(b) => Node::new(Value::Bool(*b)),
                },
                RuleTest::And(rules) | RuleTest::Or(rules) => Node::array(rules.iter().map(ChoiceRule::to_json).collect()),
                RuleTest::Not(rule) => rule.to_json(),
                RuleTest::Condition(c) => Node::string(c.clone()),
                RuleTest::ConstantCondition(b) => Node::new(Value::Bool(*b)),
            };
            f.push(test.field_name(), node);
        }
        f.node("Assign", &self.assign)
            .node("Output", &self.output)
            .string("Next", &self.next)
            .string("Comment", &self.comment);
        self.layout.write(f.0)
    }
}
