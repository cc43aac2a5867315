//! The interpreter's plug: what a simulated Task handler looks like, and the registry the
//! interpreter finds one in. This is the only thing the interpreter knows about handlers; every
//! concrete handler (the seed's Lambdas, the mocks, the services, mock files, nested
//! executions) lives above it, in [`crate::handlers`], and depends on this module, never the
//! reverse (`tests/architecture.rs` holds that line).
//!
//! A handler sees the world only through its [`TaskContext`]: the virtual time, the execution's
//! seeded RNG and its log stream. It never reads a clock or an OS random source. It answers with
//! a value or a [`StatesError`] (an ASL error name and a cause), which Retry and Catch then see
//! as any other error of the Task.

use std::collections::{BTreeMap, HashMap};

use rand::RngCore;
use serde_json::Value;

use crate::asl::clock::Millis;
use crate::asl::error::StatesError;
use crate::asl::value::Shared;

/// What a Task asks its handler.
#[derive(Debug, Clone, Copy)]
pub struct TaskRequest<'a> {
    /// The Task state's name.
    pub state_name: &'a str,
    /// The Task's `Resource` as written.
    pub resource: &'a str,
    /// The Lambda function's name, for Lambda ARNs and `lambda:invoke`.
    pub function_name: Option<&'a str>,
    /// The effective input (after InputPath and Parameters; for `lambda:invoke`, the `Payload`).
    pub input: &'a Value,
    /// 0 for the first attempt, then 1, 2 ... on retries.
    pub attempt: u32,
}

/// What a handler may use while it runs.
pub struct TaskContext<'a> {
    /// The virtual time of the call.
    pub now: Millis,
    /// The execution's seeded RNG.
    pub rng: &'a mut dyn RngCore,
    /// The lines the function prints, for its log stream.
    pub log: &'a mut Vec<String>,
    /// False when nobody reads the log (a batch of runs): a handler need not format its lines.
    pub logging: bool,
}

impl TaskContext<'_> {
    /// Appends the line `line()` builds to the log, when the log is read.
    pub fn print(&mut self, line: impl FnOnce() -> String) {
        if self.logging {
            self.log.push(line());
        }
    }
}

/// A simulated implementation of a Task's resource.
pub trait TaskHandler {
    /// Runs the task: its result, or an error with its ASL name and cause.
    fn invoke(&mut self, request: &TaskRequest, context: &mut TaskContext) -> Result<Value, StatesError>;

    /// How long a call takes, in virtual milliseconds.
    fn latency_millis(&self) -> u64 {
        0
    }

    /// Whether the result is the service's whole response (a mocked `lambda:invoke` response with
    /// its `StatusCode` and `Payload`), which the Task must not wrap again.
    fn returns_service_response(&self) -> bool {
        false
    }

    /// For a `.sync` job: the answer of the call that started it, taken once `invoke` has run.
    /// AWS records it as TaskSubmitted before it waits for the job's end, and so does the
    /// interpreter (`callback/test_callback`'s `test_start_execution_sync` recordings); `None`
    /// when the handler cannot tell (then no TaskSubmitted is recorded) or the call started none.
    fn take_submitted(&mut self) -> Option<Value> {
        None
    }

    /// Whether the handler works on shared values ([`TaskHandler::invoke_shared`]): its input is
    /// then handed over as it is held, and its answer kept as it is built, with nothing copied
    /// into a `serde_json::Value` on the way (an answer that holds its input, `{"data": input}`,
    /// shares it). Not for `lambda:invoke`, whose function's event is a member of the effective
    /// input: there `invoke` is called.
    fn takes_shared(&self) -> bool {
        false
    }

    /// Runs the task on the effective input in its shared form; `request.input` is `null`. Only
    /// called when [`TaskHandler::takes_shared`]; by default, [`TaskHandler::invoke`] on a copy.
    fn invoke_shared(&mut self, request: &TaskRequest, input: &Shared, context: &mut TaskContext) -> Result<Shared, StatesError> {
        let input = input.to_value();
        let request = TaskRequest { input: &input, ..*request };
        self.invoke(&request, context).map(|answer| Shared::from(&answer))
    }
}

/// Registries of at most this many keys are searched by a scan ([`HandlerRegistry::find`]).
const SCAN_AT_MOST: usize = 8;

/// Handlers by state name, resource ARN or Lambda function name.
#[derive(Default)]
pub struct HandlerRegistry {
    handlers: Vec<Box<dyn TaskHandler>>,
    /// Every key and its handler's index, in registration order (a key registered again keeps
    /// its place and takes the new index): what a small registry is scanned in.
    keys: Vec<(Box<str>, usize)>,
    /// The same keys hashed, for registries of more than [`SCAN_AT_MOST`] keys.
    by_key: HashMap<Box<str>, usize, std::hash::BuildHasherDefault<crate::asl::fnv::Fnv>>,
}

impl std::fmt::Debug for HandlerRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandlerRegistry").field("keys", &self.keys.iter().map(|(k, _)| k).collect::<Vec<_>>()).finish()
    }
}

impl HandlerRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        HandlerRegistry::default()
    }

    /// Registers `handler` under `key`: a state name, a resource ARN or a Lambda function name.
    /// A later registration under the same key wins.
    pub fn register(&mut self, key: impl Into<String>, handler: impl TaskHandler + 'static) -> &mut Self {
        if self.handlers.is_empty() {
            // Registries are built per execution and usually hold a few handlers: one
            // allocation each for the lists instead of growing them step by step.
            self.handlers.reserve(SCAN_AT_MOST);
            self.keys.reserve(SCAN_AT_MOST);
        }
        self.handlers.push(Box::new(handler));
        let index = self.handlers.len() - 1;
        let key: Box<str> = key.into().into_boxed_str();
        match self.keys.iter_mut().find(|(k, _)| *k == key) {
            Some((_, slot)) => *slot = index,
            None => self.keys.push((key.clone(), index)),
        }
        if self.keys.len() > SCAN_AT_MOST {
            if self.by_key.is_empty() {
                self.by_key.extend(self.keys.iter().cloned());
            } else {
                self.by_key.insert(key, index);
            }
        }
        self
    }

    /// The handler for a task: by state name first, then resource, then function name.
    pub fn find(&mut self, request: &TaskRequest) -> Option<&mut dyn TaskHandler> {
        let index = [Some(request.state_name), Some(request.resource), request.function_name]
            .into_iter()
            .flatten()
            .find_map(|key| self.index_of(key))?;
        Some(self.handlers[index].as_mut())
    }

    /// The handler registered under `key`. A few keys (most registries) are compared one by
    /// one in a plain list, lengths first: hashing a name, or walking a hash table's groups,
    /// costs more than scanning a handful of them, and this runs on every Task.
    fn index_of(&self, key: &str) -> Option<usize> {
        if self.keys.len() <= SCAN_AT_MOST {
            self.keys.iter().find(|(k, _)| k.len() == key.len() && **k == *key).map(|&(_, i)| i)
        } else {
            self.by_key.get(key).copied()
        }
    }
}

/// One line of a simulated CloudWatch log stream.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LogLine {
    pub timestamp: Millis,
    pub message: String,
}

/// Simulated CloudWatch Logs: one group per function, `/aws/lambda/NAME`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloudWatchLogs {
    groups: BTreeMap<String, Vec<LogLine>>,
}

impl CloudWatchLogs {
    /// Appends `lines` to the group of `function`.
    pub fn append(&mut self, function: &str, timestamp: Millis, lines: impl IntoIterator<Item = String>) {
        let group = self.groups.entry(format!("/aws/lambda/{function}")).or_default();
        group.extend(lines.into_iter().map(|message| LogLine { timestamp, message }));
    }

    /// The lines of a log group such as `/aws/lambda/ValidateInput`.
    pub fn group(&self, name: &str) -> &[LogLine] {
        self.groups.get(name).map_or(&[], Vec::as_slice)
    }

    /// Every group and its lines, by name.
    pub fn groups(&self) -> impl Iterator<Item = (&str, &[LogLine])> {
        self.groups.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }
}

/// A JSON object from its members, in order: what `json!` builds, without serializing the
/// values it is given (`json!` copies an interpolated `Value` through serde). For handlers.
pub fn object<const N: usize>(members: [(&str, Value); N]) -> Value {
    let mut map = serde_json::Map::with_capacity(N);
    for (key, value) in members {
        map.insert(key.to_string(), value);
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers with its number.
    struct Numbered(u64);

    impl TaskHandler for Numbered {
        fn invoke(&mut self, _: &TaskRequest, _: &mut TaskContext) -> Result<Value, StatesError> {
            Ok(Value::from(self.0))
        }
    }

    fn answer(registry: &mut HandlerRegistry, state_name: &str, resource: &str) -> Option<Value> {
        let input = Value::Null;
        let request = TaskRequest { state_name, resource, function_name: None, input: &input, attempt: 0 };
        let (mut rng, mut log) = (<rand::rngs::StdRng as rand::SeedableRng>::seed_from_u64(0), Vec::new());
        let mut context = TaskContext { now: 0, rng: &mut rng, log: &mut log, logging: false };
        registry.find(&request).map(|h| h.invoke(&request, &mut context).unwrap())
    }

    #[test]
    fn a_later_registration_wins_in_small_and_large_registries() {
        for size in [3u64, 20] {
            let mut registry = HandlerRegistry::new();
            for i in 0..size {
                registry.register(format!("S{i}"), Numbered(i));
            }
            registry.register("S1", Numbered(100));
            assert_eq!(answer(&mut registry, "S1", "arn"), Some(Value::from(100)), "{size} keys");
            assert_eq!(answer(&mut registry, "S2", "arn"), Some(Value::from(2)), "{size} keys");
            // By resource when no state of that name is registered.
            assert_eq!(answer(&mut registry, "Other", "S0"), Some(Value::from(0)), "{size} keys");
            assert_eq!(answer(&mut registry, "Other", "arn"), None, "{size} keys");
            // Past the scan size, keys registered after the table was built are found too.
            registry.register("Late", Numbered(7));
            assert_eq!(answer(&mut registry, "Late", "arn"), Some(Value::from(7)), "{size} keys");
        }
    }
}
