//! What executions would cost on AWS (us-east-1 list prices): Standard by state transition,
//! Express by request and duration, and which is cheaper.
//!
//! Standard: $0.025 per 1,000 state transitions, after 4,000 free per month. Express: $1.00 per
//! million requests, plus duration rounded up to the next 100 ms, billed in 64 MB memory chunks
//! at $0.00001667 per GB-second (the first 1,000 GB-hours' tier, $0.06 per GB-hour). The memory
//! an Express execution uses depends on the definition and payloads; we assume one 64 MB chunk,
//! which a small workflow such as the seed's fits in.

/// Dollars per state transition (Standard).
pub const STANDARD_PER_TRANSITION: f64 = 0.025 / 1000.0;
/// Free state transitions per month (Standard).
pub const STANDARD_FREE_TRANSITIONS: f64 = 4000.0;
/// Dollars per request (Express).
pub const EXPRESS_PER_REQUEST: f64 = 1.0 / 1_000_000.0;
/// Dollars per GB-second of duration (Express, first tier).
pub const EXPRESS_PER_GB_SECOND: f64 = 0.000_016_67;
/// The memory we assume an Express execution is billed for, in MB.
pub const EXPRESS_MEMORY_MB: f64 = 64.0;

/// What a number of executions costs both ways.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    pub executions: f64,
    pub standard: f64,
    pub express: f64,
}

impl Cost {
    /// `executions` runs of `transitions` state transitions and `duration_ms` each, in one
    /// month (so the free tier counts once).
    pub fn of(executions: f64, transitions: f64, duration_ms: f64) -> Cost {
        let billed_transitions = (executions * transitions - STANDARD_FREE_TRANSITIONS).max(0.0);
        let billed_seconds = (duration_ms.max(0.0) / 100.0).ceil().max(1.0) * 0.1;
        let gb_seconds = billed_seconds * EXPRESS_MEMORY_MB / 1024.0;
        Cost {
            executions,
            standard: billed_transitions * STANDARD_PER_TRANSITION,
            express: executions * (EXPRESS_PER_REQUEST + gb_seconds * EXPRESS_PER_GB_SECOND),
        }
    }

    /// The cheaper type: `Express`, `Standard`, or `equal`.
    pub fn cheaper(&self) -> &'static str {
        if (self.standard - self.express).abs() < 1e-12 {
            "equal"
        } else if self.express < self.standard {
            "Express"
        } else {
            "Standard"
        }
    }
}

/// Dollars with enough digits for small amounts: `$0.000125`, `$25.00`.
pub fn dollars(amount: f64) -> String {
    if amount == 0.0 {
        "$0".into()
    } else if amount >= 1.0 {
        format!("${amount:.2}")
    } else {
        let digits = (-(amount.log10().floor()) as usize + 2).min(10);
        format!("${amount:.digits$}")
    }
}
