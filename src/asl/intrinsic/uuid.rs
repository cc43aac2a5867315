//! Intrinsics for unique identifiers: States.UUID.

use rand::RngCore;
use serde_json::Value;

use super::{Call, Failure};

/// `States.UUID()`: a version-4 UUID drawn from the caller's seeded RNG.
pub(crate) fn uuid(_: &Call, _: Vec<Value>, rng: &mut dyn RngCore) -> Result<Value, Failure> {
    let mut bytes = [0u8; 16];
    rng.fill_bytes(&mut bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(Value::String(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )))
}
