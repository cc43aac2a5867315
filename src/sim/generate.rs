//! Generated order scenarios: a template with random fields drawn from a seeded RNG (the same
//! template and seed give the same scenarios). Valid orders get an amount from a range; invalid
//! ones miss a field or have an amount that is zero or negative. Each carries what the seed's
//! workflow should do with it.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Map, Value, json};

use super::scenario::{Expected, Scenario};

/// How to generate.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Template {
    pub count: usize,
    pub seed: u64,
    /// Valid amounts are drawn from `[amount_min, amount_max]`, with two decimals.
    pub amount_min: f64,
    pub amount_max: f64,
    /// The share of invalid orders, 0 to 100.
    pub invalid_percent: u32,
}

impl Default for Template {
    fn default() -> Self {
        Template { count: 1000, seed: 1, amount_min: 1.0, amount_max: 500.0, invalid_percent: 30 }
    }
}

/// What kind of order a generated scenario is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderKind {
    Valid,
    MissingAmount,
    MissingEmail,
    NegativeAmount,
    ZeroAmount,
}

const FIRST: [&str; 8] = ["Jean", "Marie", "Luc", "Sophie", "Paul", "Claire", "Hugo", "Léa"];
const LAST: [&str; 8] = ["Dupont", "Martin", "Bernard", "Petit", "Durand", "Leroy", "Moreau", "Roux"];

/// The scenarios of `template`; an empty or reversed amount range is an error.
pub fn generate(template: &Template) -> Result<Vec<Scenario>, String> {
    let (min, max) = (template.amount_min, template.amount_max);
    if !(min.is_finite() && max.is_finite()) || min > max {
        return Err(format!("the amount range {min} to {max} is empty"));
    }
    if min <= 0.0 {
        return Err(format!("valid amounts must be positive; the range starts at {min}"));
    }
    let mut rng = StdRng::seed_from_u64(template.seed);
    let invalid = template.invalid_percent.min(100);
    Ok((0..template.count)
        .map(|i| {
            let kind = if rng.random_range(0..100) < invalid {
                [OrderKind::MissingAmount, OrderKind::MissingEmail, OrderKind::NegativeAmount, OrderKind::ZeroAmount][rng.random_range(0..4)]
            } else {
                OrderKind::Valid
            };
            let first = FIRST[rng.random_range(0..FIRST.len())];
            let last = LAST[rng.random_range(0..LAST.len())];
            let cents = rng.random_range((min * 100.0).round() as i64..=(max * 100.0).round() as i64);
            let amount = cents as f64 / 100.0;
            order(i + 1, kind, first, last, amount)
        })
        .collect())
}

fn order(n: usize, kind: OrderKind, first: &str, last: &str, amount: f64) -> Scenario {
    let mut input = Map::new();
    input.insert("name".into(), json!(format!("{first} {last}")));
    if kind != OrderKind::MissingEmail {
        input.insert("email".into(), json!(format!("{}.{}{n}@example.com", first.to_lowercase(), last.to_lowercase())));
    }
    match kind {
        OrderKind::MissingAmount => {}
        OrderKind::NegativeAmount => {
            input.insert("amount".into(), json!(-amount));
        }
        OrderKind::ZeroAmount => {
            input.insert("amount".into(), json!(0));
        }
        OrderKind::Valid | OrderKind::MissingEmail => {
            input.insert("amount".into(), json!(amount));
        }
    }
    let valid = kind == OrderKind::Valid;
    let mut output = Map::new();
    output.insert("statusCode".into(), json!(if valid { 200 } else { 400 }));
    let label = match kind {
        OrderKind::Valid => "valid",
        OrderKind::MissingAmount => "missing amount",
        OrderKind::MissingEmail => "missing email",
        OrderKind::NegativeAmount => "negative amount",
        OrderKind::ZeroAmount => "zero amount",
    };
    Scenario {
        name: format!("Generated {n} ({label})"),
        input: Value::Object(input).to_string(),
        expected: Some(Expected {
            status: Some("SUCCEEDED".into()),
            error: None,
            end_state: Some(if valid { "SendNotification" } else { "HandleError" }.into()),
            output,
        }),
        handlers: Default::default(),
    }
}
