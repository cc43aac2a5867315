//! Intrinsics for arrays: States.Array, ArrayPartition, ArrayContains, ArrayRange,
//! ArrayGetItem, ArrayLength, ArrayUnique.

use rand::RngCore;
use serde_json::Value;

use super::table::{array_arg, integer_arg, show};
use super::{Call, Failure};

/// AWS caps the arrays ArrayRange builds.
const MAX_RANGE_ITEMS: usize = 1000;

/// `States.Array(a, b, …)`: the arguments as an array.
pub(crate) fn array(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    Ok(Value::Array(args))
}

/// `States.ArrayPartition([1,2,3], 2)` → `[[1,2],[3]]`.
pub(crate) fn partition(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let items = array_arg(&args[0], "first argument")?;
    let size = integer_arg(&args[1], "chunk size")?;
    if size <= 0 {
        return Err(format!(
            "the chunk size must be a positive integer, got {size}"
        ));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    Ok(Value::Array(
        items
            .chunks(size)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

/// `States.ArrayContains(array, value)`.
pub(crate) fn contains(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let items = array_arg(&args[0], "first argument")?;
    Ok(Value::Bool(items.contains(&args[1])))
}

/// `States.ArrayRange(1, 9, 2)` → `[1,3,5,7,9]`: the end is inclusive.
pub(crate) fn range(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let start = integer_arg(&args[0], "start")?;
    let end = integer_arg(&args[1], "end")?;
    let step = integer_arg(&args[2], "step")?;
    if step == 0 {
        return Err("the step must not be zero".into());
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        (i128::from(end) - i128::from(start)) / i128::from(step) + 1
    };
    if count > MAX_RANGE_ITEMS as i128 {
        return Err(format!(
            "the range would hold {count} items; arrays it builds hold at most {MAX_RANGE_ITEMS}"
        ));
    }
    let items = (0..count as i64)
        .map(|k| Value::from(start + k * step))
        .collect();
    Ok(Value::Array(items))
}

/// `States.ArrayGetItem(array, index)`.
pub(crate) fn get_item(
    _: &Call,
    mut args: Vec<Value>,
    _: &mut dyn RngCore,
) -> Result<Value, Failure> {
    let index = integer_arg(&args[1], "index")?;
    let Value::Array(items) = &mut args[0] else {
        return Err(format!(
            "the first argument must be an array, got {}",
            show(&args[0])
        ));
    };
    let len = items.len();
    match usize::try_from(index).ok().filter(|&k| k < len) {
        Some(k) => Ok(items.swap_remove(k)),
        None => Err(format!(
            "the index {index} is out of bounds for an array of length {len}"
        )),
    }
}

/// `States.ArrayLength(array)`.
pub(crate) fn length(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    Ok(Value::from(array_arg(&args[0], "argument")?.len()))
}

/// `States.ArrayUnique(array)`: duplicates removed, first occurrences kept in order.
pub(crate) fn unique(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let items = array_arg(&args[0], "argument")?;
    let mut kept: Vec<Value> = Vec::with_capacity(items.len());
    for item in items {
        if !kept.contains(item) {
            kept.push(item.clone());
        }
    }
    Ok(Value::Array(kept))
}
