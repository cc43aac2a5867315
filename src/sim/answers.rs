//! What each service answers, as the user chose it: the inspector's "Service answer" control
//! (kinds, the errors a Task can throw, one edit per choice) and the same choices on the command
//! line (`statecraft run --answer TARGET=SPEC`, `--answers FILE.json`), in a file the page
//! exports, so CI runs exactly what the page ran.
//!
//! The file (`answers.json`) holds [`HandlerSpec`]s as the document keeps them, by Task state
//! name and by resource ARN (a state's own choice wins over its resource's):
//!
//! ```json
//! {"states": {"Reserve": {"choice": {"kind": "throw", "error": "DynamoDB.ConditionalCheckFailedException", "cause": "..."}}},
//!  "resources": {"arn:aws:states:::sns:publish": {"choice": {"kind": "echo"}, "latency_ms": 250}}}
//! ```
//!
//! A flag is `TARGET=SPEC`: TARGET a state name or a resource (`arn:...`); SPEC one of
//! `default`, `echo`, `static:JSON`, `throw:ERROR[:CAUSE]`, `fail:N[:ERROR]`, `timeout`,
//! `latency:MS`, `jsonata:EXPRESSION`, `callback` (the task waits for its token; the page
//! answers it) or `callback:JSON` (answered in advance with that output). Flags for the same target add up (a choice and
//! a latency), and override the file's entry for that target.

use super::SimSettings;
use super::handler::{CompiledHandlers, HandlerChoice, HandlerSet, HandlerSpec, TaskInfo};
use crate::asl::error::names;
use crate::asl::json::{self, LineIndex, Node, escape_pointer_token};

/// A kind of answer, as the inspector offers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    Default,
    Echo,
    Static,
    Throw,
    FailThenSucceed,
    Timeout,
    Jsonata,
    Callback,
}

impl AnswerKind {
    pub const ALL: [AnswerKind; 8] = [
        AnswerKind::Default,
        AnswerKind::Echo,
        AnswerKind::Static,
        AnswerKind::Throw,
        AnswerKind::FailThenSucceed,
        AnswerKind::Timeout,
        AnswerKind::Jsonata,
        AnswerKind::Callback,
    ];

    /// The name in the page's controls and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            AnswerKind::Default => "default",
            AnswerKind::Echo => "echo",
            AnswerKind::Static => "static",
            AnswerKind::Throw => "throw",
            AnswerKind::FailThenSucceed => "fail",
            AnswerKind::Timeout => "timeout",
            AnswerKind::Jsonata => "jsonata",
            AnswerKind::Callback => "callback",
        }
    }

    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            AnswerKind::Default => "default (shaped like the service's answer)",
            AnswerKind::Echo => "echo the request",
            AnswerKind::Static => "static JSON",
            AnswerKind::Throw => "throw error",
            AnswerKind::FailThenSucceed => "fail N times, then succeed",
            AnswerKind::Timeout => "time out",
            AnswerKind::Jsonata => "JSONata expression",
            AnswerKind::Callback => "wait for callback",
        }
    }

    pub fn parse(name: &str) -> Option<AnswerKind> {
        AnswerKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The kind of a choice (a thrown `States.Timeout` is a time-out).
    pub fn of(choice: &HandlerChoice) -> AnswerKind {
        match choice {
            HandlerChoice::Seed => AnswerKind::Default,
            HandlerChoice::Echo => AnswerKind::Echo,
            HandlerChoice::Static { .. } => AnswerKind::Static,
            HandlerChoice::Throw { error, .. } if error == names::TIMEOUT => AnswerKind::Timeout,
            HandlerChoice::Throw { .. } => AnswerKind::Throw,
            HandlerChoice::FailThenSucceed { .. } => AnswerKind::FailThenSucceed,
            HandlerChoice::Jsonata { .. } => AnswerKind::Jsonata,
            HandlerChoice::Callback { .. } => AnswerKind::Callback,
        }
    }
}

/// The cause a chosen error carries: its code, and that it was simulated.
pub fn simulated_cause(error: &str) -> String {
    let code = error.rsplit('.').next().unwrap_or(error);
    format!("{code} (simulated by Statecraft)")
}

/// The choice of `kind`, keeping what `current` has that still applies. `errors` are the Task's
/// errors ([`super::handler::errors_in`]), the operation's own first: "throw" starts with the
/// first of them, so a person who wants the usual one is done in one click.
pub fn choice_of_kind(kind: AnswerKind, current: &HandlerChoice, errors: &[String]) -> HandlerChoice {
    let current_error = match current {
        HandlerChoice::Throw { error, .. } | HandlerChoice::FailThenSucceed { error, .. } if error != names::TIMEOUT => Some(error.clone()),
        _ => None,
    };
    let error = || current_error.clone().or_else(|| errors.first().cloned()).unwrap_or_else(|| names::TASK_FAILED.to_string());
    match kind {
        AnswerKind::Default => HandlerChoice::Seed,
        AnswerKind::Echo => HandlerChoice::Echo,
        AnswerKind::Static => match current {
            HandlerChoice::Static { json } => HandlerChoice::Static { json: json.clone() },
            _ => HandlerChoice::Static { json: "{}".into() },
        },
        AnswerKind::Throw => {
            let error = error();
            HandlerChoice::Throw { cause: simulated_cause(&error), error }
        }
        AnswerKind::FailThenSucceed => HandlerChoice::FailThenSucceed { times: 2, error: error(), then: None },
        AnswerKind::Timeout => HandlerChoice::Throw { error: names::TIMEOUT.into(), cause: String::new() },
        AnswerKind::Jsonata => match current {
            HandlerChoice::Jsonata { expression } => HandlerChoice::Jsonata { expression: expression.clone() },
            _ => HandlerChoice::Jsonata { expression: "{% $ %}".into() },
        },
        AnswerKind::Callback => match current {
            HandlerChoice::Callback { answer } => HandlerChoice::Callback { answer: answer.clone() },
            _ => HandlerChoice::callback(),
        },
    }
}

/// `current` with `error` as the error it throws (or fails with); the cause follows the error.
pub fn choice_with_error(current: &HandlerChoice, error: &str) -> HandlerChoice {
    match current {
        HandlerChoice::FailThenSucceed { times, then, .. } => HandlerChoice::FailThenSucceed { times: *times, error: error.into(), then: then.clone() },
        _ => HandlerChoice::Throw { error: error.into(), cause: simulated_cause(error) },
    }
}

/// The settings with `spec` as the answer of the Task state `state`; the default answer with no
/// latency removes the entry, so a document where nothing is chosen stays without handlers.
pub fn with_answer(settings: &SimSettings, state: &str, spec: HandlerSpec) -> SimSettings {
    let mut out = settings.clone();
    if spec == HandlerSpec::default() {
        out.handlers.remove(state);
    } else {
        out.handlers.insert(state.to_string(), spec);
    }
    out
}

/// Handler choices by Task state name and by resource: the answers file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers {
    pub states: HandlerSet,
    pub resources: HandlerSet,
}

/// A problem in an answers file or flag, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersError {
    /// Where: `--answer` and the flag's text for a flag; the file's JSON pointer otherwise.
    pub pointer: String,
    /// 1-based line and column in the file (0 for a flag).
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for AnswersError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            return write!(f, "{}: {}", self.pointer, self.message);
        }
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{}:{}: {} ({pointer})", self.line, self.column, self.message)
    }
}

const SPEC_HELP: &str = "default, echo, static:JSON, throw:ERROR[:CAUSE], fail:N[:ERROR], timeout, latency:MS, jsonata:EXPRESSION, callback or callback:JSON";

impl Answers {
    /// The answers of a document (the page's "Download answers").
    pub fn of_document(handlers: &HandlerSet) -> Answers {
        Answers { states: handlers.clone(), resources: HandlerSet::new() }
    }

    /// The file's text, pretty-printed.
    pub fn to_json(&self) -> String {
        let mut top = serde_json::Map::new();
        for (key, set) in [("states", &self.states), ("resources", &self.resources)] {
            if !set.is_empty() {
                top.insert(key.into(), serde_json::to_value(set).unwrap_or_default());
            }
        }
        serde_json::to_string_pretty(&serde_json::Value::Object(top)).unwrap_or_default() + "\n"
    }

    /// Reads an answers file, reporting every problem with its place.
    pub fn parse(text: &str) -> Result<Answers, Vec<AnswersError>> {
        let lines = LineIndex::new(text);
        let at = |offset: u32, pointer: &str, message: String| {
            let p = lines.position(offset as usize);
            AnswersError { pointer: pointer.to_string(), line: p.line, column: p.column, message }
        };
        let root = json::read(text).map_err(|e| vec![AnswersError { pointer: String::new(), line: e.line, column: e.column, message: e.message }])?;
        let Some(members) = root.as_object() else {
            return Err(vec![at(root.span.start, "", format!("an answers file is an object with \"states\" and \"resources\", not {}", root.kind_name()))]);
        };
        let mut answers = Answers::default();
        let mut errors = Vec::new();
        for member in members {
            let pointer = format!("/{}", escape_pointer_token(&member.key));
            let set = match member.key.as_str() {
                "states" => &mut answers.states,
                "resources" => &mut answers.resources,
                other => {
                    errors.push(at(member.key_span.start, &pointer, format!("unknown field {other:?}: an answers file has \"states\" and \"resources\"")));
                    continue;
                }
            };
            let Some(entries) = member.value.as_object() else {
                errors.push(at(member.value.span.start, &pointer, format!("{:?} maps names to answers (an object), not {}", member.key, member.value.kind_name())));
                continue;
            };
            for entry in entries {
                let pointer = format!("{pointer}/{}", escape_pointer_token(&entry.key));
                match read_spec(&entry.value, &pointer) {
                    Ok(spec) => {
                        set.insert(entry.key.clone(), spec);
                    }
                    Err((node, pointer, message)) => errors.push(at(node.span.start, &pointer, message)),
                }
            }
        }
        if errors.is_empty() { Ok(answers) } else { Err(errors) }
    }

    /// Adds one `--answer TARGET=SPEC` flag (over what the file said for TARGET).
    pub fn add_flag(&mut self, flag: &str) -> Result<(), AnswersError> {
        let error = |message: String| AnswersError { pointer: format!("--answer '{flag}'"), line: 0, column: 0, message };
        // The first `=` followed by a kind of answer: a state name may hold `=` itself.
        let split = flag.match_indices('=').map(|(i, _)| i).find(|&i| {
            let rest = &flag[i + 1..];
            let word = rest.split(':').next().unwrap_or(rest);
            word == "latency" || AnswerKind::parse(word).is_some()
        });
        let Some(i) = split else {
            return Err(error(format!("write TARGET=ANSWER, where TARGET is a Task state's name or a resource ARN and ANSWER is {SPEC_HELP}")));
        };
        let (target, spec_text) = (flag[..i].trim(), &flag[i + 1..]);
        if target.is_empty() {
            return Err(error("the Task state or resource before '=' is missing".into()));
        }
        let set = if target.starts_with("arn:") { &mut self.resources } else { &mut self.states };
        let mut spec = set.get(target).cloned().unwrap_or_default();
        apply_flag_spec(&mut spec, spec_text).map_err(error)?;
        let compiled = CompiledHandlers::compile(&HandlerSet::from([(target.to_string(), spec.clone())]));
        if let Err(errors) = compiled {
            return Err(error(errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ")));
        }
        set.insert(target.to_string(), spec);
        Ok(())
    }

    /// The handler set of a program's Tasks: each state's own answer, else its resource's. A
    /// name or resource that no Task has is an error (a typo would silently change nothing).
    pub fn resolve(&self, tasks: &[TaskInfo]) -> Result<HandlerSet, Vec<String>> {
        let mut errors = Vec::new();
        for name in self.states.keys() {
            if !tasks.iter().any(|t| &t.state == name) {
                let known: Vec<&str> = tasks.iter().map(|t| t.state.as_str()).collect();
                errors.push(format!("no Task state is named {name:?} (the Task states: {})", if known.is_empty() { "none".into() } else { known.join(", ") }));
            }
        }
        for resource in self.resources.keys() {
            if !tasks.iter().any(|t| &t.resource == resource) {
                errors.push(format!("no Task calls {resource:?}"));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut set = HandlerSet::new();
        for task in tasks {
            if let Some(spec) = self.states.get(&task.state).or_else(|| self.resources.get(&task.resource)) {
                set.insert(task.state.clone(), spec.clone());
            }
        }
        Ok(set)
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.resources.is_empty()
    }
}

/// One entry of the file: a [`HandlerSpec`] as the document keeps it, its choice usable.
fn read_spec<'n>(node: &'n Node, pointer: &str) -> Result<HandlerSpec, (&'n Node, String, String)> {
    let spec: HandlerSpec = crate::asl::json::from_value(node.to_serde()).map_err(|e| {
        let (at, pointer) = match node.get("choice") {
            Some(choice) => (choice, format!("{pointer}/choice")),
            None => (node, pointer.to_string()),
        };
        (at, pointer, format!("not an answer ({e}); an answer is {{\"choice\": {{\"kind\": \"throw\", \"error\": \"...\", \"cause\": \"...\"}}, \"latency_ms\": 0}}, with kind seed, echo, static, throw, fail_then_succeed, jsonata or callback"))
    })?;
    if let Err(errors) = CompiledHandlers::compile(&HandlerSet::from([(String::new(), spec.clone())])) {
        let field = match spec.choice {
            HandlerChoice::Static { .. } => "/choice/json",
            HandlerChoice::Throw { .. } => "/choice/error",
            HandlerChoice::Jsonata { .. } => "/choice/expression",
            _ => "/choice",
        };
        let at = node.at_pointer(field).map(|(n, _)| n).unwrap_or(node);
        let message = errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join("; ");
        return Err((at, format!("{pointer}{field}"), message));
    }
    Ok(spec)
}

/// `spec` with a flag's SPEC applied: a kind replaces the choice, `latency:MS` the latency.
fn apply_flag_spec(spec: &mut HandlerSpec, text: &str) -> Result<(), String> {
    let (word, arg) = match text.split_once(':') {
        Some((w, a)) => (w, Some(a)),
        None => (text, None),
    };
    let needs = |what: &str| format!("'{word}' needs {what}: {word}:{}", what.to_uppercase().replace(' ', "_"));
    let choice = match (word, arg) {
        ("latency", Some(ms)) => {
            spec.latency_ms = ms.trim().parse().map_err(|_| format!("the latency is a whole number of milliseconds, not {ms:?}"))?;
            return Ok(());
        }
        ("latency", None) => return Err(needs("milliseconds")),
        ("default", None) => HandlerChoice::Seed,
        ("echo", None) => HandlerChoice::Echo,
        ("timeout", None) => HandlerChoice::Throw { error: names::TIMEOUT.into(), cause: String::new() },
        ("callback", None) => HandlerChoice::callback(),
        // The callback answered in advance: SendTaskSuccess with this output as the task waits.
        ("callback", Some(json)) => HandlerChoice::Callback { answer: Some(crate::sim::handler::CallbackAnswer::Success { output: json.to_string() }) },
        ("static", Some(json)) => HandlerChoice::Static { json: json.to_string() },
        ("static", None) => return Err(needs("JSON")),
        ("throw", Some(rest)) => {
            let (error, cause) = match rest.split_once(':') {
                Some((e, c)) => (e.trim().to_string(), c.to_string()),
                None => (rest.trim().to_string(), simulated_cause(rest.trim())),
            };
            HandlerChoice::Throw { error, cause }
        }
        ("throw", None) => return Err(needs("an error")),
        ("fail", Some(rest)) => {
            let (times, error) = rest.split_once(':').unwrap_or((rest, names::TASK_FAILED));
            let times = times.trim().parse().map_err(|_| format!("fail:N needs a whole number of failures, not {times:?}"))?;
            HandlerChoice::FailThenSucceed { times, error: error.trim().to_string(), then: None }
        }
        ("fail", None) => return Err(needs("a number")),
        ("jsonata", Some(expression)) => HandlerChoice::Jsonata { expression: expression.to_string() },
        ("jsonata", None) => return Err(needs("an expression")),
        (word, Some(_)) if matches!(word, "default" | "echo" | "timeout") => {
            return Err(format!("'{word}' takes nothing after it"));
        }
        (other, _) => return Err(format!("unknown answer {other:?}: write {SPEC_HELP}")),
    };
    spec.choice = choice;
    Ok(())
}

/// Reads the flags over the file (both optional) into [`Answers`]; every problem reported.
pub fn from_file_and_flags(file: Option<&str>, flags: &[String]) -> Result<Answers, Vec<AnswersError>> {
    let mut answers = match file {
        Some(text) => Answers::parse(text)?,
        None => Answers::default(),
    };
    let errors: Vec<AnswersError> = flags.iter().filter_map(|f| answers.add_flag(f).err()).collect();
    if errors.is_empty() { Ok(answers) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(state: &str, resource: &str) -> TaskInfo {
        TaskInfo { state: state.into(), function: None, resource: resource.into(), expects: Default::default() }
    }

    fn flagged(flags: &[&str]) -> Result<Answers, Vec<AnswersError>> {
        from_file_and_flags(None, &flags.iter().map(|f| f.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn each_kind_of_flag_becomes_the_choice_the_page_makes() {
        let answers = flagged(&[
            "Reserve=throw:DynamoDB.ConditionalCheckFailedException",
            "Charge=throw:Payments.Declined:card refused: twice",
            "Notify=fail:2:SNS.ThrottledException",
            "Notify=latency:250",
            "Audit=static:{\"ok\": true, \"a=b\": 1}",
            "Slow=timeout",
            "Echoed=echo",
            "Calc=jsonata:{% $.n + 1 %}",
            "arn:aws:states:::sqs:sendMessage=default",
            "arn:aws:states:::sqs:sendMessage=latency:5",
            "A=B=echo",
        ])
        .unwrap();
        let choice = |name: &str| answers.states[name].choice.clone();
        assert_eq!(choice("Reserve"), HandlerChoice::Throw { error: "DynamoDB.ConditionalCheckFailedException".into(), cause: "ConditionalCheckFailedException (simulated by Statecraft)".into() });
        assert_eq!(choice("Charge"), HandlerChoice::Throw { error: "Payments.Declined".into(), cause: "card refused: twice".into() });
        assert_eq!(answers.states["Notify"], HandlerSpec { choice: HandlerChoice::FailThenSucceed { times: 2, error: "SNS.ThrottledException".into(), then: None }, latency_ms: 250 });
        assert_eq!(choice("Audit"), HandlerChoice::Static { json: "{\"ok\": true, \"a=b\": 1}".into() });
        assert_eq!(AnswerKind::of(&choice("Slow")), AnswerKind::Timeout);
        assert_eq!(choice("Echoed"), HandlerChoice::Echo);
        assert_eq!(choice("A=B"), HandlerChoice::Echo, "a state name may hold '='");
        assert_eq!(answers.resources["arn:aws:states:::sqs:sendMessage"], HandlerSpec { choice: HandlerChoice::Seed, latency_ms: 5 });
    }

    #[test]
    fn a_bad_flag_says_what_is_wrong_with_it() {
        let cases = [
            ("Reserve", "write TARGET=ANSWER"),
            ("Reserve=thro:X", "write TARGET=ANSWER"),
            ("=echo", "is missing"),
            ("Reserve=throw", "'throw' needs an error"),
            ("Reserve=fail:two", "whole number of failures"),
            ("Reserve=latency:soon", "whole number of milliseconds"),
            ("Reserve=static:{nope", "not JSON (line 1, column 2)"),
            ("Reserve=echo:x", "takes nothing after it"),
            ("Reserve=jsonata:{% $. %}", "does not compile"),
        ];
        for (flag, expected) in cases {
            let errors = flagged(&[flag]).unwrap_err();
            let shown = errors[0].to_string();
            assert!(shown.starts_with(&format!("--answer '{flag}': ")) && shown.contains(expected), "{flag}: {shown}");
        }
    }

    #[test]
    fn the_file_the_page_writes_reads_back() {
        let mut handlers = HandlerSet::new();
        handlers.insert("Reserve".into(), HandlerSpec { choice: HandlerChoice::Throw { error: "DynamoDB.ConditionalCheckFailedException".into(), cause: "c".into() }, latency_ms: 0 });
        handlers.insert("Notify".into(), HandlerSpec { choice: HandlerChoice::FailThenSucceed { times: 3, error: "States.TaskFailed".into(), then: None }, latency_ms: 40 });
        let text = Answers::of_document(&handlers).to_json();
        assert_eq!(Answers::parse(&text).unwrap(), Answers { states: handlers, resources: HandlerSet::new() });
        assert_eq!(Answers::parse("{}").unwrap(), Answers::default());
    }

    #[test]
    fn a_bad_file_is_reported_by_pointer_and_line_and_column() {
        let shown = |text: &str| Answers::parse(text).unwrap_err().iter().map(ToString::to_string).collect::<Vec<_>>();
        assert_eq!(shown("{\"states\": {\n  \"A\": {\"choice\": {\"kind\": \"thro\"}}}}"), [
            "2:19: not an answer (unknown variant `thro`, expected one of `seed`, `echo`, `static`, `throw`, `fail_then_succeed`, `jsonata`, `callback`); an answer is {\"choice\": {\"kind\": \"throw\", \"error\": \"...\", \"cause\": \"...\"}, \"latency_ms\": 0}, with kind seed, echo, static, throw, fail_then_succeed, jsonata or callback (/states/A/choice)"
        ]);
        assert_eq!(shown("{\"states\": {\"A/B\": {\"choice\": {\"kind\": \"static\", \"json\": \"{x\"}}}}"), [
            "1:58: the static result is not JSON (line 1, column 2): key must be a string at line 1 column 2 (/states/A~1B/choice/json)"
        ]);
        assert_eq!(shown("{\"state\": {}, \"resources\": []}"), [
            "1:2: unknown field \"state\": an answers file has \"states\" and \"resources\" (/state)",
            "1:28: \"resources\" maps names to answers (an object), not an array (/resources)",
        ]);
        let cut = shown("{\"states\": {\"A\": ");
        assert!(cut.len() == 1 && cut[0].starts_with("1:18: "), "{cut:?}");
        assert_eq!(shown("[1]"), ["1:1: an answers file is an object with \"states\" and \"resources\", not an array (/)"]);
    }

    #[test]
    fn a_state_s_answer_wins_over_its_resource_s_and_typos_are_errors() {
        let sns = "arn:aws:states:::sns:publish";
        let tasks = [task("Notify", sns), task("Alert", sns), task("Get", "arn:aws:states:::dynamodb:getItem")];
        let answers = flagged(&["arn:aws:states:::sns:publish=echo", "Alert=timeout"]).unwrap();
        let set = answers.resolve(&tasks).unwrap();
        assert_eq!(set.keys().collect::<Vec<_>>(), ["Alert", "Notify"]);
        assert_eq!(set["Notify"].choice, HandlerChoice::Echo);
        assert_eq!(AnswerKind::of(&set["Alert"].choice), AnswerKind::Timeout);
        let typo = flagged(&["Notfy=echo", "arn:aws:states:::sqs:sendMessage=echo"]).unwrap().resolve(&tasks).unwrap_err();
        assert_eq!(typo, [
            "no Task state is named \"Notfy\" (the Task states: Notify, Alert, Get)",
            "no Task calls \"arn:aws:states:::sqs:sendMessage\"",
        ]);
    }

    #[test]
    fn the_inspector_s_two_clicks_choose_the_operation_s_error() {
        let errors = vec!["DynamoDB.ConditionalCheckFailedException".to_string(), "DynamoDB.ResourceNotFoundException".to_string(), "States.Timeout".to_string()];
        // Click one: "throw error" throws the operation's first error.
        let thrown = choice_of_kind(AnswerKind::Throw, &HandlerChoice::Seed, &errors);
        assert_eq!(thrown, HandlerChoice::Throw { error: "DynamoDB.ConditionalCheckFailedException".into(), cause: "ConditionalCheckFailedException (simulated by Statecraft)".into() });
        // Click two: another error of the list.
        let other = choice_with_error(&thrown, "DynamoDB.ResourceNotFoundException");
        assert_eq!(other, HandlerChoice::Throw { error: "DynamoDB.ResourceNotFoundException".into(), cause: "ResourceNotFoundException (simulated by Statecraft)".into() });
        // Switching kinds keeps the error; a time-out is not an error to keep.
        assert_eq!(choice_of_kind(AnswerKind::FailThenSucceed, &other, &errors), HandlerChoice::FailThenSucceed { times: 2, error: "DynamoDB.ResourceNotFoundException".into(), then: None });
        let timeout = choice_of_kind(AnswerKind::Timeout, &other, &errors);
        assert_eq!(AnswerKind::of(&timeout), AnswerKind::Timeout);
        assert_eq!(choice_of_kind(AnswerKind::Throw, &timeout, &[]), HandlerChoice::Throw { error: "States.TaskFailed".into(), cause: "TaskFailed (simulated by Statecraft)".into() });
        for kind in AnswerKind::ALL {
            assert_eq!(AnswerKind::parse(kind.name()), Some(kind));
            assert_eq!(AnswerKind::of(&choice_of_kind(kind, &HandlerChoice::Seed, &errors)), kind);
        }
    }

    #[test]
    fn choosing_the_default_answer_removes_the_entry() {
        let settings = SimSettings::default();
        let thrown = with_answer(&settings, "Get", HandlerSpec { choice: HandlerChoice::Echo, latency_ms: 0 });
        assert_eq!(thrown.handlers.len(), 1);
        assert_eq!(with_answer(&thrown, "Get", HandlerSpec::default()), settings);
    }
}
