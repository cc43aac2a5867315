//! Choice: the first rule that holds names the next state, else Default, else
//! `States.NoChoiceMatched`. Comparisons of mismatched types are false, as in AWS. In JSONata
//! states a rule is a `Condition` expression that must give a boolean. A matched rule's Assign
//! and Output apply; when Default is taken, the state's own.

use std::cmp::Ordering;

use serde_json::Value;

use super::{Flow, commit_variables, context_for, evaluate_assign, jsonata_value, query_failed, site, variables};
use crate::asl::clock::parse_rfc3339;
use crate::asl::interp::pipeline::{self, QueryFailure, Refs, StateSite};
use crate::asl::interp::program::{Assignment, ChoiceSpec, CompiledOperand, CompiledState, Condition};
use crate::asl::interp::{Execution, FiberId, StatesError, names};
use crate::asl::jsonata::{Environment, JsonataTemplate};
use crate::asl::model::ComparisonOperator as Op;
use crate::asl::model::QueryLanguage;
use crate::asl::path::{Root, Roots, Segment, Selector, cause};
use crate::asl::value::{Payload, Shared};

/// Whether a JSONata Condition holds; a failure or a non-boolean is a QueryEvaluationError.
fn condition_holds(exec: &mut Execution, fid: FiberId, state: &CompiledState, condition: &Condition, raw: &Value) -> Result<bool, StatesError> {
    if let Condition::Constant(holds) = condition {
        return Ok(*holds);
    }
    let Condition::Expression { expression, field } = condition else {
        return Err(site(exec, fid, state).runtime("a JSONPath rule reached a JSONata state"));
    };
    let context = context_for(exec, fid, state);
    let states = pipeline::states_object(raw, &context, None, None);
    let vars = variables(exec, fid);
    let now = exec.clock.now();
    let mut env = Environment { states: Some(&states), variables: &vars, now_millis: now, rng: &mut exec.rng, limits: exec.config.quotas.jsonata };
    let failure = match expression.evaluate(Some(raw), &mut env) {
        Ok(Some(Value::Bool(b))) => return Ok(b),
        Ok(Some(other)) => format!(
            "The JSONata expression '{}' specified for the field '{field}' returned an unexpected result type. Expected 'boolean', but was '{}' for value: {other}",
            expression.source(),
            crate::asl::jsonata::type_name(&other)
        ),
        Ok(None) if expression.gives_function(Some(raw), &env) => crate::asl::jsonata::template::unsupported_result(expression.source(), field),
        Ok(None) => format!("The JSONata expression '{}' specified for the field '{field}' returned nothing (undefined).", expression.source()),
        Err(e) => format!(
            "The JSONata expression '{}' specified for the field '{field}' threw an error during evaluation{}",
            expression.source(),
            e.aws_cause_tail()
        ),
    };
    Err(query_failed(exec, fid, state, QueryFailure { location: Some(field.clone()), cause: failure }))
}

pub(super) fn run(exec: &mut Execution, fid: FiberId, state: &CompiledState, spec: &ChoiceSpec) -> Result<Flow, StatesError> {
    let context = context_for(exec, fid, state);
    let vars = variables(exec, fid);
    let raw = exec.fiber(fid).input.clone();
    let site = site(exec, fid, state);
    let refs = Refs { context: &context, variables: &vars };
    let jsonata = state.query_language == QueryLanguage::Jsonata;
    let effective = if jsonata { raw.clone() } else { pipeline::select(&state.input_path, &raw, &refs, site)? };
    let mut matched = None;
    for (i, (condition, target)) in spec.rules.iter().enumerate() {
        let holds = if jsonata {
            condition_holds(exec, fid, state, condition, &raw)?
        } else {
            // An input in its shared form is read as it is where the rule allows.
            match effective.as_shared().and_then(|input| holds_shared(condition, input)) {
                Some(holds) => holds,
                None => holds(condition, &refs.roots(&effective), site)?,
            }
        };
        if holds {
            matched = Some((i, *target));
            break;
        }
    }
    let (assign, output_template): (Option<&Assignment>, Option<&JsonataTemplate>) = match matched {
        Some((i, _)) => spec.effects.get(i).map_or((None, None), |e| (e.assign.as_ref(), e.output.as_ref())),
        None => (state.assign.as_ref(), state.output.as_ref()),
    };
    let next = match matched.map(|m| m.1).or(spec.default) {
        Some(n) => n,
        None => {
            return Err(StatesError::new(
                names::NO_CHOICE_MATCHED,
                cause::in_state(site.name, site.entered_event_id, "No Choice rule matched and no Default is set."),
            ));
        }
    };
    let assigned = match assign {
        Some(assignment) => {
            // The field's name is only for causes: built when there is an Assign to blame.
            let field = match matched {
                Some((i, _)) => format!("Choices[{i}]/Assign"),
                None => "Assign".to_string(),
            };
            Some(evaluate_assign(exec, fid, state, assignment, &field, &effective, None, None)?)
        }
        // `None`, not an empty `Map`: one would seed a hasher on every Choice.
        None => None,
    };
    let output = match (jsonata, output_template) {
        (true, Some(template)) => {
            let field = match matched {
                Some((i, _)) => format!("Choices[{i}]/Output"),
                None => "Output".to_string(),
            };
            Payload::new(jsonata_value(exec, fid, state, template, &field, &raw, None, None)?)
        }
        (true, None) => raw,
        (false, _) => pipeline::select(&state.output_path, &effective, &refs, site)?,
    };
    if let Some(assigned) = assigned {
        commit_variables(exec, fid, state, assigned)?;
    }
    Ok(Flow::Leave { output, next: Some(next) })
}

/// Whether a rule holds for an input in its shared form, when that can be told without its
/// `serde_json::Value`: each variable a `$.a.b` path to a member that is there, compared with a
/// literal. `None` otherwise ([`holds`] decides, with AWS's errors for what is missing).
fn holds_shared(condition: &Condition, input: &Shared) -> Option<bool> {
    match condition {
        Condition::And(all) => {
            for c in all {
                if !holds_shared(c, input)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        Condition::Or(any) => {
            for c in any {
                if holds_shared(c, input)? {
                    return Some(true);
                }
            }
            Some(false)
        }
        Condition::Not(inner) => holds_shared(inner, input).map(|h| !h),
        Condition::Expression { .. } | Condition::Constant(_) => None,
        Condition::Compare { variable, operator, operand } => {
            if matches!(operand, CompiledOperand::Path(_)) || *variable.root() != Root::Input || variable.function().is_some() {
                return None;
            }
            let mut node = input;
            for segment in variable.segments() {
                match segment {
                    Segment::Child(Selector::Name(name)) => node = node.get(name)?,
                    _ => return None,
                }
            }
            // A scalar converts without allocating (a string copies its text once).
            Some(compare(*operator, &node.to_value(), operand, None))
        }
    }
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
        Condition::Expression { .. } | Condition::Constant(_) => Err(site.runtime("a JSONata Condition reached a JSONPath state")),
        Condition::Compare { variable, operator, operand } => {
            // The node itself, borrowed (a rule compares it, it does not keep it): a copy per
            // rule would allocate for every string compared.
            let value: Option<std::borrow::Cow<Value>> = match variable.select(roots) {
                Ok(crate::asl::path::Selected::One(node)) => Some(std::borrow::Cow::Borrowed(node)),
                Ok(selected) => Some(std::borrow::Cow::Owned(selected.into_value())),
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

/// Whether a comparison with a literal operand (`"StringEquals": ""`) holds for `value` (`None`:
/// the field is absent), as a Choice rule decides it; `None` for a `...Path` operator or an
/// operand of the wrong type, which a rule cannot hold. An absent field holds only `IsPresent:
/// false` (a rule reading it otherwise fails the run on AWS).
pub fn literal_comparison_holds(operator: Op, value: Option<&Value>, operand: &Value) -> Option<bool> {
    use crate::asl::model::OperandKind;
    let operand = match (operator.operand_kind(), operand) {
        (OperandKind::Path, _) => return None,
        (OperandKind::Timestamp, Value::String(s)) => CompiledOperand::Timestamp(parse_rfc3339(s)),
        (OperandKind::String, Value::String(s)) => CompiledOperand::String(s.clone()),
        (OperandKind::Number, Value::Number(n)) => CompiledOperand::Number(n.as_f64()?),
        (OperandKind::Boolean, Value::Bool(b)) => CompiledOperand::Boolean(*b),
        _ => return None,
    };
    if operator == Op::IsPresent {
        return Some(value.is_some() == matches!(operand, CompiledOperand::Boolean(true)));
    }
    Some(value.is_some_and(|v| compare(operator, v, &operand, None)))
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
