//! Example values built from a shape, deterministic for a seed: what a simulated service answers
//! when nobody said what it should.
//!
//! Strings look like what their member holds (`TableArn` an ARN of the service, `QueryExecutionId`
//! a UUID, `CreationTime` a timestamp, `TableName` a name), enums pick one of their values (a status its success: `SUCCEEDED`, `ACTIVE`), counts of failures are 0 (`FailedPutCount`), lists
//! have one element (or their minimum), maps one entry, unions one member. Past
//! [`DEPTH_CAP`] levels, structures keep their required members only and lists and maps are empty
//! where the model allows it, so recursive shapes (DynamoDB's `AttributeValue`) stay small.
//!
//! Except along the paths a workflow reads ([`example_reading`]): a workflow that reads
//! `$.Reservations[0].Instances[0].NetworkInterfaces[0].SubnetId` finds it, however deep, because
//! the members on a read path are built whatever the depth, lists on it get the element read
//! (`[2]`: three), maps the key read, and a union the member read (`$.Item.count.N`: `N`). Only the
//! read paths go deeper, so an answer grows by the paths the workflow names, never by a whole
//! recursive shape.
//!
//! A batch call's answer follows its request ([`one_per_item`], a table of the calls AWS documents
//! as answering one entry per item: Firehose's `putRecordBatch`, Kinesis's `putRecords`, SQS's
//! and SNS's batches, EventBridge's `putEvents`): one entry per item sent, none failed.

use serde_json::{Map, Number, Value};

use super::service::{Bounds, Service, Shape, ShapeId};
use crate::asl::clock::format_rfc3339;

/// How deep an example goes with every member; below, only what the model requires.
pub const DEPTH_CAP: usize = 5;
/// Where even required members stop (a model whose required members recurse forever).
const HARD_DEPTH: usize = DEPTH_CAP + 8;
/// 2024-01-01T00:00:00Z: example timestamps fall in the year after it.
const EPOCH_2024: i64 = 1_704_067_200_000;
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// SplitMix64: small, fast and the same everywhere, so an example depends on its seed only.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn hex(&mut self, digits: usize) -> String {
        let mut out = String::with_capacity(digits);
        while out.len() < digits {
            out.push_str(&format!("{:016x}", self.next_u64()));
        }
        out.truncate(digits);
        out
    }

    fn uuid(&mut self) -> String {
        let h = self.hex(32);
        format!("{}-{}-4{}-a{}-{}", &h[..8], &h[8..12], &h[13..16], &h[17..20], &h[20..])
    }
}

/// An example value of `shape` for the service's operations, from `seed`.
pub fn example(service: &Service, shape: ShapeId, seed: u64) -> Value {
    example_reading(service, shape, seed, &[])
}

/// One step of a path read from an answer: a member (or a map's key), or a list's element.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReadStep {
    Member(String),
    Index(usize),
}

/// The most elements a list gets for a read of a later element (`$.Items[40]` gets no 41).
const MOST_READ_ELEMENTS: usize = 8;

/// [`example`] with every path of `reads` present in the answer, however deep (see the module).
pub fn example_reading(service: &Service, shape: ShapeId, seed: u64, reads: &[Vec<ReadStep>]) -> Value {
    let mut builder = Builder { service, rng: SplitMix::new(seed) };
    let along: Vec<&[ReadStep]> = reads.iter().map(Vec::as_slice).filter(|r| !r.is_empty()).collect();
    builder.value(shape, "", 0, &along)
}

/// The rest of each path of `along` that goes on through the member (or key) `name`.
fn through_member<'r>(along: &[&'r [ReadStep]], name: &str) -> Vec<&'r [ReadStep]> {
    along.iter().filter_map(|r| match r.split_first() {
        Some((ReadStep::Member(m), rest)) if m == name && !rest.is_empty() => Some(rest),
        _ => None,
    }).collect()
}

/// Whether a path of `along` reads the member (or key) `name`.
fn reads_member(along: &[&[ReadStep]], name: &str) -> bool {
    along.iter().any(|r| matches!(r.first(), Some(ReadStep::Member(m)) if m == name))
}

/// Makes an example answer the last page of a listing: the members that would continue it are
/// left out, and a "more to come" flag is false. A zero-configuration run of a pagination loop
/// (`Choice: $.NextToken IsPresent → list again`) then ends after one page, as it does on an
/// account with few resources, instead of paging forever. A continuation member is an output
/// member that feeds a member of the request, by the API's own naming: the same name holding a
/// token or marker (`NextToken`, `Marker`), `Next<X>` for the request's `<X>` or `Start<X>`
/// (`NextMarker` → `Marker`, `NextContinuationToken` → `ContinuationToken`, `NextRecordName` →
/// `StartRecordName`), `LastEvaluated<X>` for `ExclusiveStart<X>` (DynamoDB); the flag is
/// `IsTruncated`/`Truncated`.
pub fn last_page(service: &Service, input: Option<ShapeId>, output: ShapeId, value: &mut Value) {
    let (Shape::Structure { members, .. }, Value::Object(answer)) = (service.shape(output), value) else { return };
    let asked: Vec<&str> = match input.map(|id| service.shape(id)) {
        Some(Shape::Structure { members, .. }) => members.iter().map(|(m, _)| m.as_str()).collect(),
        _ => Vec::new(),
    };
    let asks = |name: &str| asked.iter().any(|a| a.eq_ignore_ascii_case(name));
    let token_like = |name: &str| {
        let lower = name.to_ascii_lowercase();
        lower.ends_with("token") || lower.ends_with("marker")
    };
    for (name, _) in members {
        let continues = (asks(name) && token_like(name))
            || strip_prefix_ignore_case(name, "Next").is_some_and(|x| !x.is_empty() && (asks(x) || asks(&format!("Start{x}"))))
            || strip_prefix_ignore_case(name, "LastEvaluated").is_some_and(|x| asks(&format!("ExclusiveStart{x}")));
        if continues {
            answer.remove(name);
        } else if matches!(name.as_str(), "IsTruncated" | "Truncated") && answer.get(name).is_some_and(Value::is_boolean) {
            answer.insert(name.clone(), Value::Bool(false));
        }
    }
}

/// The calls whose answer has one entry per item sent, as AWS documents them: the service, the
/// operation, the request's list and the answer's list. A batch of ten answers with ten entries
/// (a workflow that reads `$.RequestResponses[9]`, or counts them, finds them all), none failed.
pub const ONE_PER_ITEM: &[(&str, &str, &str, &str)] = &[
    ("firehose", "PutRecordBatch", "Records", "RequestResponses"),
    ("kinesis", "PutRecords", "Records", "Records"),
    ("sqs", "SendMessageBatch", "Entries", "Successful"),
    ("sqs", "DeleteMessageBatch", "Entries", "Successful"),
    ("sqs", "ChangeMessageVisibilityBatch", "Entries", "Successful"),
    ("sns", "PublishBatch", "PublishBatchRequestEntries", "Successful"),
    ("eventbridge", "PutEvents", "Entries", "Entries"),
];

/// Makes an example answer of a batch call ([`ONE_PER_ITEM`]) follow the request: its list gets
/// one entry per item sent (the elements it has are kept, more are built from `seed`), each
/// entry's plain members named as the item's take the item's value (SQS's and SNS's `Id`), and
/// the answer's lists of failures (`Failed`) are empty. Other calls and requests without the
/// list are left as they are.
pub fn one_per_item(service: &Service, operation: &str, request: &Value, value: &mut Value, seed: u64) {
    let Some((_, _, asked, answered)) = ONE_PER_ITEM.iter().find(|e| e.0 == service.name && e.1 == operation) else { return };
    let (Some(items), Some(op), Value::Object(answer)) = (request.get(*asked).and_then(Value::as_array), service.operations.get(operation), value) else { return };
    let Some(Shape::Structure { members, .. }) = op.output.map(|id| service.shape(id)) else { return };
    let Some(element) = members.iter().find(|(m, _)| m == answered).and_then(|(_, id)| match service.shape(*id) {
        Shape::List { member, .. } => Some(*member),
        _ => None,
    }) else { return };
    let mut entries = match answer.remove(*answered) {
        Some(Value::Array(entries)) => entries,
        _ => Vec::new(),
    };
    entries.truncate(items.len());
    for i in entries.len()..items.len() {
        let mut builder = Builder { service, rng: SplitMix::new(seed.wrapping_add(i as u64 + 1)) };
        entries.push(builder.value(element, &singular(answered), 1, &[]));
    }
    for (entry, item) in entries.iter_mut().zip(items) {
        let (Value::Object(entry), Value::Object(item)) = (entry, item) else { continue };
        for (name, got) in entry.iter_mut() {
            if let Some(given) = item.get(name)
                && (given.is_string() || given.is_number())
                && std::mem::discriminant(given) == std::mem::discriminant(got)
            {
                *got = given.clone();
            }
        }
    }
    answer.insert(answered.to_string(), Value::Array(entries));
    for (name, _) in members {
        if name != answered && reports_failure(name) && answer.get(name).is_some_and(Value::is_array) {
            answer.insert(name.clone(), Value::Array(Vec::new()));
        }
    }
}

fn strip_prefix_ignore_case<'a>(name: &'a str, prefix: &str) -> Option<&'a str> {
    let head = name.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &name[prefix.len()..])
}

struct Builder<'s> {
    service: &'s Service,
    rng: SplitMix,
}

/// `StateMachineArn` → `state-machine`: the words of a PascalCase name, lower case, dashed.
fn kebab(name: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    for (i, &c) in chars.iter().enumerate() {
        let next_is_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        let prev_is_lower = i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
        if c.is_ascii_uppercase() && i > 0 && (prev_is_lower || next_is_lower) {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `TableNames` → `TableName`, `Entries` → `Entry`: the name of one element of a list member.
fn singular(name: &str) -> String {
    if let Some(stem) = name.strip_suffix("ies") {
        return format!("{stem}y");
    }
    name.strip_suffix("List").or_else(|| name.strip_suffix('s')).unwrap_or(name).to_string()
}

fn strip_any<'a>(name: &'a str, suffixes: &[&str]) -> Option<&'a str> {
    suffixes.iter().find_map(|s| name.strip_suffix(s))
}

impl Builder<'_> {
    /// The example of shape `id` for a member `name`, `depth` levels down; `along`: the rest of
    /// the read paths that come through here (each non-empty).
    fn value(&mut self, id: ShapeId, name: &str, depth: usize, along: &[&[ReadStep]]) -> Value {
        let service = self.service;
        match service.shape(id) {
            Shape::Structure { members, required, union } => {
                let mut object = Map::new();
                if depth >= HARD_DEPTH && along.is_empty() {
                    return Value::Object(object);
                }
                if *union && !members.is_empty() {
                    // The member read, else a union's plain-text member when it has one
                    // (DynamoDB's AttributeValue: `S`): any text is a valid value of it, where a
                    // member read as a number or a flag (`N`, `NULL`) holds only some texts and
                    // values; else any member.
                    let read = members.iter().find(|(member, _)| reads_member(along, member));
                    let plain = members.iter().find(|(_, shape)| matches!(service.shape(*shape), Shape::String { values, .. } if values.is_empty()));
                    let (member, shape) = match read.or(plain) {
                        Some(found) => found,
                        None => &members[self.rng.below(members.len() as u64) as usize],
                    };
                    let value = self.value(*shape, member, depth + 1, &through_member(along, member));
                    object.insert(member.clone(), value);
                    return Value::Object(object);
                }
                for (member, shape) in members {
                    let is_required = required.contains(member);
                    if is_required || (depth < DEPTH_CAP && !reports_failure(member)) || reads_member(along, member) {
                        let value = self.value(*shape, member, depth + 1, &through_member(along, member));
                        object.insert(member.clone(), value);
                    }
                }
                Value::Object(object)
            }
            Shape::Document => Value::Object(Map::new()),
            Shape::List { member, bounds } => {
                // A read element is there: `[2]` needs three (within the model's maximum).
                let read = along.iter().filter_map(|r| match r.first() {
                    Some(ReadStep::Index(i)) => Some(i + 1),
                    _ => None,
                }).max().map_or(0, |n| n.min(MOST_READ_ELEMENTS));
                let max = bounds.max.map_or(usize::MAX, |m| m.max(0.0) as usize);
                let count = self.count(bounds, depth).max(read.min(max));
                (0..count)
                    .map(|i| {
                        let rest: Vec<&[ReadStep]> = along.iter().filter_map(|r| match r.split_first() {
                            Some((ReadStep::Index(at), rest)) if *at == i && !rest.is_empty() => Some(rest),
                            _ => None,
                        }).collect();
                        self.value(*member, &singular(name), depth + 1, &rest)
                    })
                    .collect()
            }
            Shape::Map { key, value, bounds } => {
                let mut object = Map::new();
                // The keys read, when the workflow reads some (`$.Attributes.Policy`).
                let mut read: Vec<&str> = Vec::new();
                for r in along {
                    if let Some(ReadStep::Member(m)) = r.first()
                        && !read.contains(&m.as_str())
                    {
                        read.push(m);
                    }
                }
                if !read.is_empty() {
                    for key in read {
                        let value = self.value(*value, key, depth + 1, &through_member(along, key));
                        object.insert(key.to_string(), value);
                    }
                    return Value::Object(object);
                }
                let count = self.count(bounds, depth);
                for i in 0..count {
                    let key = match self.value(*key, "Key", depth + 1, &[]) {
                        Value::String(s) => s,
                        other => format!("key-{i}-{other}"),
                    };
                    let value = self.value(*value, &singular(name), depth + 1, &[]);
                    object.insert(key, value);
                }
                Value::Object(object)
            }
            Shape::String { values, bounds } => {
                if values.is_empty() {
                    Value::String(fit(self.string(name), bounds))
                } else if let Some(happy) = happy_value(name, values) {
                    // A status answers as in an account where things work: a job that
                    // SUCCEEDED, a table that is ACTIVE (a random one would send a polling
                    // loop or a Choice down the failure branch for no reason).
                    Value::String(happy.clone())
                } else {
                    Value::String(values[self.rng.below(values.len() as u64) as usize].clone())
                }
            }
            Shape::Integer { bounds } | Shape::Long { bounds } => Value::Number(self.integer(name, bounds).into()),
            Shape::Float { bounds } => {
                let low = bounds.min.unwrap_or(0.0);
                let high = bounds.max.unwrap_or(low + 100.0).max(low);
                let value = low + (high - low) * (self.rng.below(10_001) as f64 / 10_000.0);
                // Two decimals read well, unless rounding leaves the bounds (a learning rate of
                // at least 0.0000001 is not 0).
                let rounded = (value * 100.0).round() / 100.0;
                let value = if (low..=high).contains(&rounded) { rounded } else { value };
                Number::from_f64(value).map_or(Value::Null, Value::Number)
            }
            Shape::Boolean => Value::Bool(self.rng.below(2) == 1),
            Shape::Timestamp => Value::String(self.timestamp()),
            Shape::Blob { .. } => {
                // A blob comes back base64-encoded; these are the bytes of a short hex text.
                Value::String(base64_of(self.rng.hex(12).as_bytes()))
            }
        }
    }

    /// How many elements a list or map gets: one, its minimum if more (at most 3), none past the
    /// depth cap when the model allows none.
    fn count(&mut self, bounds: &Bounds, depth: usize) -> usize {
        let min = bounds.min.unwrap_or(0.0).max(0.0) as usize;
        if depth >= DEPTH_CAP {
            return min.min(1);
        }
        let max = bounds.max.map_or(usize::MAX, |m| m.max(0.0) as usize);
        min.clamp(1, 3).min(max)
    }

    fn integer(&mut self, name: &str, bounds: &Bounds) -> i64 {
        let low = bounds.min.map_or(0, |m| m as i64);
        let high = bounds.max.map_or(low.saturating_add(100), |m| m as i64).max(low);
        let allows_200 = bounds.min.is_none_or(|m| m <= 200.0) && bounds.max.is_none_or(|m| m >= 200.0);
        if name.ends_with("StatusCode") && allows_200 {
            return 200;
        }
        // A count of failures (Firehose's `FailedPutCount`, Kinesis's `FailedRecordCount`,
        // `ErrorCount`): none, as a status is its success.
        let lower = name.to_ascii_lowercase();
        if lower.ends_with("count") && (lower.contains("fail") || lower.contains("error")) {
            return low.max(0).min(high);
        }
        let span = (high - low).unsigned_abs().saturating_add(1).min(1_000_000);
        low + self.rng.below(span) as i64
    }

    fn timestamp(&mut self) -> String {
        let offset = self.rng.below(365 * 24 * 3600) as i64 * 1000;
        format_rfc3339(EPOCH_2024 + offset)
    }

    /// A string that looks like what a member of this name holds.
    fn string(&mut self, name: &str) -> String {
        let prefix = &self.service.iam_prefix;
        if let Some(stem) = strip_any(name, &["Arn", "ARN"]) {
            let kind = if stem.is_empty() { "resource".to_string() } else { kebab(stem) };
            return format!("arn:aws:{prefix}:{REGION}:{ACCOUNT}:{kind}/{kind}-{}", self.rng.hex(8));
        }
        if name == "AccountId" || name == "Account" || name == "OwnerId" {
            return ACCOUNT.to_string();
        }
        if name == "Region" || name == "AwsRegion" {
            return REGION.to_string();
        }
        if let Some(stem) = strip_any(name, &["Url", "URL", "Uri", "URI", "Endpoint"]) {
            let path = if stem.is_empty() { "resource".to_string() } else { kebab(stem) };
            return format!("https://{prefix}.{REGION}.amazonaws.com/{ACCOUNT}/{path}-{}", self.rng.hex(6));
        }
        if name.contains("Email") {
            return format!("user-{}@example.com", self.rng.hex(6));
        }
        if let Some(stem) = strip_any(name, &["Id", "ID"]) {
            let short = |p: &str, rng: &mut SplitMix| format!("{p}-0{}", rng.hex(16));
            return match stem {
                "Instance" => short("i", &mut self.rng),
                "Vpc" => short("vpc", &mut self.rng),
                "Subnet" => short("subnet", &mut self.rng),
                "SecurityGroup" | "Group" => short("sg", &mut self.rng),
                "Image" => short("ami", &mut self.rng),
                "Volume" => short("vol", &mut self.rng),
                "Snapshot" => short("snap", &mut self.rng),
                _ => self.rng.uuid(),
            };
        }
        if name.ends_with("Time") || name.ends_with("Date") || name.ends_with("Timestamp") || name.ends_with("At") {
            return self.timestamp();
        }
        if name.contains("Md5") || name.contains("MD5") || name.contains("ETag") || name.contains("Hash") || name.contains("Checksum") {
            return self.rng.hex(32);
        }
        if name.contains("Token") {
            return base64_of(self.rng.hex(24).as_bytes());
        }
        if name.ends_with("Status") || name.ends_with("State") {
            return "ACTIVE".to_string();
        }
        if name.ends_with("Version") {
            return (1 + self.rng.below(9)).to_string();
        }
        if name.ends_with("Message") || name.ends_with("Description") || name.ends_with("Reason") {
            return format!("Example {} {}", kebab(name).replace('-', " "), self.rng.hex(4));
        }
        let stem = name.strip_suffix("Name").unwrap_or(name);
        let word = if stem.is_empty() { "example".to_string() } else { kebab(stem) };
        format!("{word}-{}", self.rng.hex(4))
    }
}

/// Whether an optional member tells of a failure (`FunctionError`, `Failures`,
/// `UnprocessedItems`): a successful example leaves it out, or a Choice on `IsPresent` would see
/// every call fail.
/// Status values of a working account, best first.
const HAPPY: &[&str] = &[
    "SUCCEEDED", "SUCCESS", "SUCCESSFUL", "COMPLETED", "COMPLETE", "AVAILABLE", "ACTIVE", "ENABLED", "READY", "RUNNING", "OK",
    "HEALTHY", "IN_SERVICE", "INSERVICE", "APPROVED", "PASSED", "VERIFIED", "ISSUED", "DEPLOYED", "CREATED",
];

/// The enum value a member that reports a status or state takes by default (`Status`,
/// `JobRunState`, `TableStatus`, `State`): the first of [`HAPPY`] it has, in any case.
fn happy_value<'v>(member: &str, values: &'v [String]) -> Option<&'v String> {
    let reports_status = ["Status", "State", "Health"].iter().any(|s| member.ends_with(s));
    if !reports_status {
        return None;
    }
    HAPPY.iter().find_map(|h| values.iter().find(|v| v.eq_ignore_ascii_case(h) || v.replace(' ', "_").eq_ignore_ascii_case(h)))
}

fn reports_failure(member: &str) -> bool {
    member.contains("Error") || member.contains("Fail") || member.starts_with("Unprocessed")
}

/// Pads (with `x`) or cuts an ASCII string to the model's length bounds.
fn fit(mut text: String, bounds: &Bounds) -> String {
    if let Some(max) = bounds.max {
        text.truncate(max.max(0.0) as usize);
    }
    if let Some(min) = bounds.min {
        while (text.len() as f64) < min {
            text.push('x');
        }
    }
    text
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_dashed_words() {
        assert_eq!(kebab("StateMachine"), "state-machine");
        assert_eq!(kebab("DBCluster"), "db-cluster");
        assert_eq!(kebab("S3Bucket"), "s3-bucket");
        assert_eq!(singular("TableNames"), "TableName");
        assert_eq!(singular("SubnetIdList"), "SubnetId");
        assert_eq!(singular("Entries"), "Entry");
    }

    #[test]
    fn a_count_of_failures_is_none_whatever_the_seed() {
        let catalogue = crate::catalogue::Catalogue::embedded();
        // (Within the model's bounds: Kinesis's `FailedRecordCount` is at least 1 when present.)
        for (resource, member) in [("arn:aws:states:::aws-sdk:firehose:putRecordBatch", "/FailedPutCount")] {
            let resolved = catalogue.resolve(resource).unwrap();
            let counts: Vec<Value> = (0..20).filter_map(|seed| resolved.example_output(seed).pointer(member).cloned()).collect();
            // (An optional member may be left out.)
            assert!(!counts.is_empty() && counts.iter().all(|c| c == &serde_json::json!(0)), "{resource}: {counts:?}");
        }
    }

    #[test]
    fn the_generator_is_the_same_for_a_seed() {
        let (mut a, mut b) = (SplitMix::new(7), SplitMix::new(7));
        assert_eq!((a.next_u64(), a.next_u64()), (b.next_u64(), b.next_u64()));
        assert_ne!(SplitMix::new(7).next_u64(), SplitMix::new(8).next_u64());
        let uuid = SplitMix::new(1).uuid();
        assert_eq!((uuid.len(), uuid.matches('-').count()), (36, 4), "{uuid}");
    }

    #[test]
    fn an_example_holds_every_path_read_however_deep_and_stays_small_elsewhere() {
        let catalogue = crate::catalogue::Catalogue::embedded();
        let resolved = catalogue.resolve("arn:aws:states:::aws-sdk:ec2:describeInstances").unwrap();
        let step = |s: &str| match s.parse::<usize>() {
            Ok(i) => ReadStep::Index(i),
            Err(_) => ReadStep::Member(s.to_string()),
        };
        let path = |p: &str| p.split('/').map(step).collect::<Vec<_>>();
        let plain = resolved.example_output(7);
        // Cut at the depth cap: the instance's network interfaces are an empty list.
        assert_eq!(plain.pointer("/Reservations/0/Instances/0/NetworkInterfaces"), Some(&serde_json::json!([])));
        let reads = [path("Reservations/0/Instances/0/NetworkInterfaces/0/SubnetId"), path("Reservations/0/Instances/0/BlockDeviceMappings/2/Ebs/VolumeId")];
        let deep = resolved.example_output_reading(7, &reads);
        let subnet = deep.pointer("/Reservations/0/Instances/0/NetworkInterfaces/0/SubnetId").and_then(Value::as_str).unwrap();
        assert!(subnet.starts_with("subnet-"), "{subnet}");
        // `[2]` needs three elements.
        assert!(deep.pointer("/Reservations/0/Instances/0/BlockDeviceMappings/2/Ebs/VolumeId").is_some());
        // Only the read paths grow: the interface's other lists stay cut.
        assert!(deep.pointer("/Reservations/0/Instances/0/NetworkInterfaces/0/PrivateIpAddresses").is_none_or(|v| v == &serde_json::json!([])));
        let size = |v: &Value| serde_json::to_string(v).unwrap().len();
        assert!(size(&deep) < size(&plain) * 2, "{} against {}", size(&deep), size(&plain));
        // A map gets the key read, a union the member read (DynamoDB's `N`, not its plain `S`).
        let query = catalogue.resolve("arn:aws:states:::aws-sdk:dynamodb:query").unwrap();
        let items = query.example_output_reading(7, &[path("Items/0/count/N")]);
        assert!(items.pointer("/Items/0/count/N").is_some(), "{items}");
        assert!(items.pointer("/Items/0/count/S").is_none(), "{items}");
    }

    #[test]
    fn lengths_fit_the_bounds() {
        assert_eq!(fit("abc".into(), &Bounds { min: Some(5.0), max: None }), "abcxx");
        assert_eq!(fit("abcdef".into(), &Bounds { min: None, max: Some(2.0) }), "ab");
    }
}
