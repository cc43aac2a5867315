//! Choice: the first rule that holds names the next state, else Default, else
//! `States.NoChoiceMatched`. Comparisons of mismatched types are false, as in AWS.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Flow, context_for, site};
use crate::asl::clock::parse_rfc3339;
use crate::asl::interp::pipeline::{self, StateSite};
use crate::asl::interp::program::{ChoiceSpec, CompiledOperand, CompiledState, Condition};
use crate::asl::interp::{Execution, FiberId, StatesError, names};
use crate::asl::model::ComparisonOperator as Op;
use crate::asl::path::{Roots, cause};

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &ChoiceSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let effective = pipeline::select(&state.input_path, &raw, &context, site)?;
    let roots = Roots::input(&effective).with_context(&context);
    let mut next = None;
    for (condition, target) in &spec.rules {
        if holds(condition, &roots, site)? {
            next = Some(*target);
            break;
        }
    }
    let next = match next.or(spec.default) {
        Some(n) => n,
        None => {
            return Err(StatesError::new(
                names::NO_CHOICE_MATCHED,
                cause::in_state(site.name, site.entered_event_id, "No Choice rule matched and no Default is set."),
            ));
        }
    };
    let output = pipeline::select(&state.output_path, &effective, &context, site)?;
    Ok(Flow::Leave { output, next: Some(next) })
}

/// Whether a rule holds for the input in `roots`.
pub(crate) fn holds(condition: &Condition, roots: &Roots, site: StateSite) -> Result<bool, StatesError> {
    match condition {
        Condition::And(all) => {
            for c in all {
                if !holds(c, roots, site)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        Condition::Or(any) => {
            for c in any {
                if holds(c, roots, site)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        Condition::Not(inner) => Ok(!holds(inner, roots, site)?),
        Condition::Compare { variable, operator, operand } => {
            let value = match variable.select(roots) {
                Ok(selected) => Some(selected.into_value()),
                Err(_) => None,
            };
            if *operator == Op::IsPresent {
                return Ok(value.is_some() == matches!(operand, CompiledOperand::Boolean(true)));
            }
            let Some(value) = value else {
                return Err(site.runtime(&format!("Invalid path '{}': The choice state's condition path references an invalid value.", variable.as_str())));
            };
            let other;
            let operand_value = match operand {
                CompiledOperand::Path(p) => {
                    other = p.eval(roots).map_err(|e| site.runtime(&cause::invalid_path(p.as_str(), &e)))?;
                    Some(&other)
                }
                _ => None,
            };
            Ok(compare(*operator, &value, operand, operand_value))
        }
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

fn ordering_holds(operator: Op, ordering: Ordering) -> bool {
    use Op::*;
    match operator {
        StringEquals | StringEqualsPath | NumericEquals | NumericEqualsPath | TimestampEquals | TimestampEqualsPath => {
            ordering == Ordering::Equal
        }
        StringLessThan | StringLessThanPath | NumericLessThan | NumericLessThanPath | TimestampLessThan | TimestampLessThanPath => {
            ordering == Ordering::Less
        }
        StringGreaterThan | StringGreaterThanPath | NumericGreaterThan | NumericGreaterThanPath | TimestampGreaterThan
        | TimestampGreaterThanPath => ordering == Ordering::Greater,
        StringLessThanEquals | StringLessThanEqualsPath | NumericLessThanEquals | NumericLessThanEqualsPath
        | TimestampLessThanEquals | TimestampLessThanEqualsPath => ordering != Ordering::Greater,
        StringGreaterThanEquals | StringGreaterThanEqualsPath | NumericGreaterThanEquals | NumericGreaterThanEqualsPath
        | TimestampGreaterThanEquals | TimestampGreaterThanEqualsPath => ordering != Ordering::Less,
        _ => false,
    }
}

fn compare(operator: Op, value: &Value, operand: &CompiledOperand, path_value: Option<&Value>) -> bool {
    use Op::*;
    let flag = matches!(operand, CompiledOperand::Boolean(true));
    match operator {
        IsNull => value.is_null() == flag,
        IsNumeric => value.is_number() == flag,
        IsString => value.is_string() == flag,
        IsBoolean => value.is_boolean() == flag,
        IsTimestamp => value.as_str().and_then(parse_rfc3339).is_some() == flag,
        IsPresent => flag,
        BooleanEquals => value.as_bool().is_some_and(|b| b == flag),
        BooleanEqualsPath => matches!((value, path_value), (Value::Bool(a), Some(Value::Bool(b))) if a == b),
        StringMatches => match (value, operand) {
            (Value::String(s), CompiledOperand::String(pattern)) => string_matches(s, pattern),
            _ => false,
        },
        StringEquals | StringLessThan | StringGreaterThan | StringLessThanEquals | StringGreaterThanEquals => {
            match (value, operand) {
                (Value::String(a), CompiledOperand::String(b)) => ordering_holds(operator, a.as_str().cmp(b.as_str())),
                _ => false,
            }
        }
        StringEqualsPath | StringLessThanPath | StringGreaterThanPath | StringLessThanEqualsPath | StringGreaterThanEqualsPath => {
            match (value, path_value) {
                (Value::String(a), Some(Value::String(b))) => ordering_holds(operator, a.as_str().cmp(b.as_str())),
                _ => false,
            }
        }
        NumericEquals | NumericLessThan | NumericGreaterThan | NumericLessThanEquals | NumericGreaterThanEquals => {
            match (number(value), operand) {
                (Some(a), CompiledOperand::Number(b)) => a.partial_cmp(b).is_some_and(|o| ordering_holds(operator, o)),
                _ => false,
            }
        }
        NumericEqualsPath | NumericLessThanPath | NumericGreaterThanPath | NumericLessThanEqualsPath
        | NumericGreaterThanEqualsPath => match (number(value), path_value.and_then(number)) {
            (Some(a), Some(b)) => a.partial_cmp(&b).is_some_and(|o| ordering_holds(operator, o)),
            _ => false,
        },
        TimestampEquals | TimestampLessThan | TimestampGreaterThan | TimestampLessThanEquals | TimestampGreaterThanEquals => {
            match (value.as_str().and_then(parse_rfc3339), operand) {
                (Some(a), CompiledOperand::Timestamp(Some(b))) => ordering_holds(operator, a.cmp(b)),
                _ => false,
            }
        }
        TimestampEqualsPath | TimestampLessThanPath | TimestampGreaterThanPath | TimestampLessThanEqualsPath
        | TimestampGreaterThanEqualsPath => {
            match (value.as_str().and_then(parse_rfc3339), path_value.and_then(Value::as_str).and_then(parse_rfc3339)) {
                (Some(a), Some(b)) => ordering_holds(operator, a.cmp(&b)),
                _ => false,
            }
        }
    }
}

/// `*` matches any run of characters; `\*` is a literal star and `\\` a literal backslash.
pub(crate) fn string_matches(text: &str, pattern: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Token {
        Char(char),
        Star,
    }
    let mut tokens = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(escaped) => tokens.push(Token::Char(escaped)),
                None => tokens.push(Token::Char('\\')),
            },
            '*' => tokens.push(Token::Star),
            c => tokens.push(Token::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Iterative wildcard matching with backtracking to the last star.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < tokens.len() && tokens[p] == Token::Char(text[t]) {
            t += 1;
            p += 1;
        } else if p < tokens.len() && tokens[p] == Token::Star {
            star = Some((p, t));
            p += 1;
        } else if let Some((sp, st)) = star {
            p = sp + 1;
            t = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    while p < tokens.len() && tokens[p] == Token::Star {
        p += 1;
    }
    p == tokens.len()
}
