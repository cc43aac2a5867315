//! The JSONata functions Step Functions adds, as host functions of the engine: `$partition`,
//! `$range`, `$hash`, `$random` (with an optional seed), `$uuid`, `$parse`; and `$eval` made
//! unavailable, as on AWS.
//!
//! Randomness comes from one seed per evaluation, drawn by the caller from its own seeded RNG,
//! so a run is the same every time.

use std::sync::{Arc, Mutex, OnceLock};

use jlens_core::{Bindings, Error, HostFunction};
use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::{Value, json};

use super::Dialect;

/// The most items `$range` builds: AWS answers `$range(1, 360145, 1)` with its 360,145 items
/// and fails `$range(1, 360146, 1)` on its memory limit (measured with TestState, us-east-1,
/// 2026-08-30, and pinned in the floci emulator's `JsonataEvaluatorTest`). The intrinsic
/// `States.ArrayRange` keeps its own, documented 1,000.
pub const MAX_RANGE_ITEMS: usize = 360_145;

/// The names (without `$`) of the functions Step Functions adds.
pub const STEP_FUNCTIONS_FUNCTIONS: [&str; 6] = ["partition", "range", "hash", "random", "uuid", "parse"];

/// A Step Functions function's own argument error, with AWS's wording where it is known.
fn failure(message: impl Into<String>) -> Error {
    Error::new("SFN").with("message", message.into())
}

fn integer(value: &Option<Value>, what: &str, function: &str) -> Result<i64, Error> {
    let number = value.as_ref().and_then(Value::as_f64).ok_or_else(|| failure(format!("The {what} argument of ${function} must be a number")))?;
    if number.fract() != 0.0 || !number.is_finite() {
        return Err(failure(format!("The {what} argument of ${function} must be an integer, not {number}")));
    }
    Ok(number as i64)
}

/// `$partition(array, size)`: the array cut into chunks of `size` items, the last one shorter.
fn partition(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let items = match &args[0] {
        Some(Value::Array(items)) => items.clone(),
        Some(other) => vec![other.clone()],
        None => return Ok(None),
    };
    let size = integer(&args[1], "size", "partition")?;
    if size <= 0 {
        return Err(failure("The size argument of $partition must be a positive integer"));
    }
    let chunks: Vec<Value> = items.chunks(size as usize).map(|c| Value::Array(c.to_vec())).collect();
    Ok(Some(Value::Array(chunks)))
}

/// A number argument of `$range` as AWS reads it: rounded towards zero (`-1.7` is `-1`).
fn towards_zero(value: &Option<Value>, what: &str) -> Result<i64, Error> {
    let number = value.as_ref().and_then(Value::as_f64).ok_or_else(|| failure(format!("The {what} argument of $range must be a number")))?;
    if !number.is_finite() {
        return Err(failure(format!("The {what} argument of $range must be a finite number")));
    }
    Ok(number.trunc() as i64)
}

/// `$range(start, end, step)`: `start`, `start + step`, ... up to and including `end`, each
/// argument rounded towards zero as AWS reads it; one item alone is given bare, as JSONata gives
/// a sequence of one. Past [`MAX_RANGE_ITEMS`] it fails on AWS's memory limit, in AWS's words.
fn range(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let start = towards_zero(&args[0], "start")?;
    let end = towards_zero(&args[1], "end")?;
    let step = towards_zero(&args[2], "step")?;
    if step == 0 {
        return Err(failure("The step argument of $range must not be zero"));
    }
    let mut out = Vec::new();
    let mut n = start;
    while (step > 0 && n <= end) || (step < 0 && n >= end) {
        if out.len() == MAX_RANGE_ITEMS {
            return Err(Error::new("U1001").with("message", super::aws::MEMORY_LIMIT));
        }
        out.push(json!(n));
        n = match n.checked_add(step) {
            Some(next) => next,
            None => break,
        };
    }
    // A JSONata sequence of one item is that item: `$range(1, 1, 1)` is `1`, not `[1]`.
    if out.len() == 1 {
        return Ok(out.pop());
    }
    Ok(Some(Value::Array(out)))
}

/// `$hash(data, algorithm)`: the lowercase hex digest of a string (other values are hashed as
/// their JSON text).
fn hash(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    use sha2::Digest as _;
    let Some(data) = &args[0] else { return Ok(None) };
    let text = match data {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let algorithm = args[1].as_ref().and_then(Value::as_str).unwrap_or("");
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5_rc::Md5::digest(text.as_bytes()).to_vec(),
        "SHA-1" => sha1::Sha1::digest(text.as_bytes()).to_vec(),
        "SHA-256" => sha2::Sha256::digest(text.as_bytes()).to_vec(),
        "SHA-384" => sha2::Sha384::digest(text.as_bytes()).to_vec(),
        "SHA-512" => sha2::Sha512::digest(text.as_bytes()).to_vec(),
        other => {
            return Err(failure(format!(
                "The hash algorithm '{other}' is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512"
            )));
        }
    };
    Ok(Some(Value::String(digest.iter().map(|b| format!("{b:02x}")).collect())))
}

/// `$parse(text)`: the JSON value a string holds.
fn parse(args: &[Option<Value>]) -> Result<Option<Value>, Error> {
    let Some(value) = &args[0] else { return Ok(None) };
    let Value::String(text) = value else {
        // AWS: "T0410: Argument 1 of function "parse" does not match function signature" for
        // `$parse(null)` (measured with TestState, pinned in the floci emulator's tests).
        return Err(Error::new("T0410").with("index", 1).with("token", "parse"));
    };
    // AWS refuses, with D3137, what a lenient reader takes: an empty or blank string, a second
    // document after the first, a key written twice in one object, a number beyond a 64-bit
    // float (`1e400`): measured with TestState by the floci emulator's maintainers and pinned in
    // its `JsonataEvaluatorTest` (`parse_rejectsJsonAwsRejects`, floci-io/floci#2783).
    let invalid = |why: String| Error::new("D3137").with("message", format!("Invalid JSON: {why}"));
    let (_, notes) = crate::asl::json::read_noting_duplicates(text).map_err(|e| {
        invalid(format!("{} at {}:{}", e.message.trim_start_matches("invalid JSON: "), e.line, e.column))
    })?;
    if notes.duplicates {
        return Err(invalid("an object writes the same key twice".into()));
    }
    serde_json::from_str(text).map(Some).map_err(|e| invalid(e.to_string()))
}

/// `$random(seed)` as AWS answers it: the first `nextDouble()` of Java's `java.util.Random`
/// seeded with `seed` (rounded towards zero): `$random(42)` is 0.7275636800328681 and
/// `$random(0)` 0.730967787376657 on AWS (measured with TestState, pinned in the floci
/// emulator's tests). Java's generator is the 48-bit linear congruential one its documentation
/// specifies.
pub fn java_random_double(seed: i64) -> f64 {
    const MULTIPLIER: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;
    let mut state = (seed as u64 ^ MULTIPLIER) & MASK;
    let mut next = |bits: u32| {
        state = state.wrapping_mul(MULTIPLIER).wrapping_add(0xB) & MASK;
        state >> (48 - bits)
    };
    let high = next(26);
    let low = next(27);
    ((high << 27) + low) as f64 / (1u64 << 53) as f64
}

/// A version-4 UUID from `rng`.
pub fn uuid_from(rng: &mut dyn RngCore) -> String {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

fn deterministic() -> &'static Bindings {
    static BINDINGS: OnceLock<Bindings> = OnceLock::new();
    BINDINGS.get_or_init(|| {
        let with = |signature: &str, f: fn(&[Option<Value>]) -> Result<Option<Value>, Error>| {
            HostFunction::with_signature(signature, move |args, _| f(args)).expect("valid signature").without_input()
        };
        Bindings::new()
            .function("partition", with("<an:a>", partition))
            .function("range", with("<nnn:a>", range))
            .function("hash", with("<xs:s>", hash))
            .function("parse", with("<x:x>", parse))
            // AWS: "$eval is not available"; calling it fails as calling an unknown function does.
            .function("eval", HostFunction::new(1, |_, _| Err(Error::new("T1006"))).without_input())
    })
}

/// The bindings for one evaluation in `dialect`: the Step Functions functions, with `$random`
/// and `$uuid` drawing from a generator seeded with `seed`.
pub fn bindings(dialect: Dialect, seed: u64) -> Bindings {
    match dialect {
        Dialect::Jsonata => Bindings::new(),
        Dialect::StepFunctions => {
            let rng = Arc::new(Mutex::new(StdRng::seed_from_u64(seed)));
            let for_random = rng.clone();
            let random = HostFunction::with_signature("<n?:n>", move |args, _| {
                let value: f64 = match args.first().and_then(|a| a.as_ref()) {
                    Some(seed) => java_random_double(seed.as_f64().unwrap_or(0.0).trunc() as i64),
                    None => for_random.lock().unwrap_or_else(|e| e.into_inner()).random(),
                };
                Ok(Some(json!(value)))
            })
            .expect("valid signature")
            .without_input();
            let uuid = HostFunction::with_signature("<:s>", move |_, _| {
                let mut rng = rng.lock().unwrap_or_else(|e| e.into_inner());
                Ok(Some(Value::String(uuid_from(&mut *rng))))
            })
            .expect("valid signature")
            .without_input();
            deterministic().clone().function("random", random).function("uuid", uuid)
        }
    }
}

/// The JSONata engine's built-in functions, by name (without `$`), in its documentation order.
/// Written out rather than read from `jlens_core::function_catalog()`: the catalogue is built
/// from the functions' implementations, so reading it links the whole evaluator (and its regex
/// engine) into whatever checks an expression's names, such as the page's live diagnostics. A
/// test holds the two equal.
pub const ENGINE_FUNCTIONS: [&str; 65] = [
    "sum", "count", "max", "min", "average", "string", "substring", "substringBefore", "substringAfter", "lowercase", "uppercase",
    "length", "trim", "pad", "match", "contains", "replace", "split", "join", "formatNumber", "formatBase", "formatInteger",
    "parseInteger", "number", "floor", "ceil", "round", "abs", "sqrt", "power", "random", "boolean", "not", "exists", "map", "zip",
    "filter", "single", "reduce", "sift", "keys", "lookup", "spread", "merge", "each", "append", "reverse", "sort", "shuffle",
    "distinct", "error", "assert", "type", "eval", "clone", "base64encode", "base64decode", "encodeUrlComponent", "encodeUrl",
    "decodeUrlComponent", "decodeUrl", "now", "millis", "fromMillis", "toMillis",
];

/// Every function name (without `$`) an expression in `dialect` can call: the engine's built-ins
/// and, for Step Functions, the added ones.
pub fn names(dialect: Dialect) -> Vec<&'static str> {
    let mut names = ENGINE_FUNCTIONS.to_vec();
    if dialect == Dialect::StepFunctions {
        names.extend(STEP_FUNCTIONS_FUNCTIONS);
    }
    names
}
