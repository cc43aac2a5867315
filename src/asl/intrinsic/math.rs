//! Intrinsics for math: States.MathRandom, MathAdd.

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde_json::Value;

use super::table::show;
use super::{Call, Failure};

/// A number rounded as Java's `Math.round` does (halves toward positive infinity), which is
/// what AWS does with non-integer arguments: 2.5 → 3, -2.5 → -2.
fn rounded(value: &Value, what: &str) -> Result<i64, Failure> {
    let not_number = || format!("the {what} must be a number, got {}", show(value));
    let Value::Number(n) = value else {
        return Err(not_number());
    };
    if let Some(i) = n.as_i64() {
        return Ok(i);
    }
    let f = n.as_f64().ok_or_else(not_number)?;
    let r = (f + 0.5).floor();
    if r.is_finite() && r.abs() < 9.0e18 {
        Ok(r as i64)
    } else {
        Err(format!("the {what} is out of range: {}", show(value)))
    }
}

fn in_int_range(value: i64, what: &str) -> Result<i64, Failure> {
    if i32::try_from(value).is_ok() {
        Ok(value)
    } else {
        Err(format!(
            "the {what} must be between -2147483648 and 2147483647, got {value}"
        ))
    }
}

/// `States.MathRandom(start, end[, seed])`: an integer from `start` (inclusive) to `end`
/// (exclusive). With a seed the answer depends on the seed only; without, on the caller's RNG.
pub(crate) fn random(_: &Call, args: Vec<Value>, rng: &mut dyn RngCore) -> Result<Value, Failure> {
    let start = in_int_range(rounded(&args[0], "start")?, "start")?;
    let end = in_int_range(rounded(&args[1], "end")?, "end")?;
    if start >= end {
        return Err(format!(
            "the start ({start}) must be less than the end ({end})"
        ));
    }
    let n = match args.get(2) {
        Some(seed) => {
            let seed = rounded(seed, "seed")?;
            StdRng::seed_from_u64(seed as u64).random_range(start..end)
        }
        None => rng.random_range(start..end),
    };
    Ok(Value::from(n))
}

/// `States.MathAdd(a, b)`: the sum of the two arguments, each rounded to an integer first
/// (1.49 + 1.5 → 1 + 2 = 3, as the recorded cases show).
pub(crate) fn add(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let a = in_int_range(rounded(&args[0], "first argument")?, "first argument")?;
    let b = in_int_range(rounded(&args[1], "second argument")?, "second argument")?;
    Ok(Value::from(a + b))
}
