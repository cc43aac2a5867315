//! The syntax checks the rules call on single strings: JSONPath, reference paths, intrinsic
//! functions, JSONata expressions and RFC 3339 timestamps.
//!
//! Paths and intrinsic calls are judged by the parsers the interpreter runs
//! ([`crate::asl::path`], [`crate::asl::intrinsic`]), so the validator accepts exactly what
//! executes. The JSONata check is structural (non-empty, brackets balanced, strings and
//! comments closed), not a full JSONata parse.

use crate::asl::{intrinsic, path};

/// What is wrong with a string and the byte offset in it where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    pub message: String,
    pub offset: usize,
}

fn problem<T>(offset: usize, message: impl Into<String>) -> Result<T, SyntaxProblem> {
    Err(SyntaxProblem { message: message.into(), offset })
}

/// Checks a JSONPath as AWS accepts it: `$`, `$$` (context object) or `$name` (variable),
/// then Jayway JsonPath's grammar (names, `.[…]`, indices, wildcards, `..`, slices, unions,
/// filters, functions), as `asl::path` parses it.
pub fn check_json_path(text: &str) -> Result<(), SyntaxProblem> {
    // Most paths are `$.a.b`: plain names need no parse.
    if is_dotted_names(text) {
        return Ok(());
    }
    path::JsonPath::parse(text).map(|_| ()).map_err(|e| SyntaxProblem { message: e.message, offset: e.offset })
}

/// Whether `text` is `$` followed by one or more `.name` steps, each name an ASCII letter or `_`
/// then letters, digits or `_`: a path every JSONPath and reference path parser accepts.
pub fn is_dotted_names(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('$') else { return false };
    !rest.is_empty()
        && rest.split('.').skip(1).all(|name| {
            let b = name.as_bytes();
            !b.is_empty() && (b[0].is_ascii_alphabetic() || b[0] == b'_') && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
        })
        && rest.starts_with('.')
}

/// Checks a reference path: a JSONPath that names one node (names and single indices only).
pub fn check_reference_path(text: &str) -> Result<(), SyntaxProblem> {
    if is_dotted_names(text) {
        return Ok(());
    }
    path::ReferencePath::parse(text).map(|_| ()).map_err(|e| SyntaxProblem { message: e.message, offset: e.offset })
}

/// Whether a payload string is an intrinsic call rather than a path.
pub fn is_intrinsic(text: &str) -> bool {
    intrinsic::is_intrinsic(text)
}

/// Checks an intrinsic function call: a known name (one of the 18), well-formed arguments and
/// the right number of them.
pub fn check_intrinsic(text: &str) -> Result<(), SyntaxProblem> {
    intrinsic::parse(text).map(|_| ()).map_err(|e| SyntaxProblem { message: e.message, offset: e.offset })
}

/// Whether `text` is wrapped as a JSONata expression: `{%`, something, `%}`.
pub fn jsonata_braces(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.starts_with("{%") && trimmed.ends_with("%}") && trimmed.len() >= 4
}

/// Checks a JSONata expression written `{% ... %}`: the braces, a non-empty body, the engine's
/// own parser (`asl::jsonata`, in JSONata's words, as AWS refuses), then balanced brackets,
/// closed strings and comments.
/// Returns the offset of the problem in `text`.
pub fn check_jsonata(text: &str) -> Result<(), SyntaxProblem> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if !jsonata_braces(text) {
        // AWS's words (CreateStateMachine, the cdk-preflight rule pack's pf-sfn-asl-query-language).
        return problem(lead, "JSONata string must start with {% and end with %} (a JSONata expression is written `{% ... %}`)");
    }
    let body_start = lead + 2;
    let body = &trimmed[2..trimmed.len() - 2];
    if body.trim().is_empty() {
        return problem(body_start, "empty JSONata expression");
    }
    // The engine the interpreter runs judges the syntax (the Step Functions dialect: JSONata
    // 2.0.6, so `??` and `?:` are errors too); its words are AWS's (JSONata's own messages:
    // `Expected "]", got ","`, `String literal must be terminated by a matching quote`).
    if let Err(crate::asl::jsonata::JsonataError::Syntax { code, message, offset }) =
        crate::asl::jsonata::Expression::compile(body, crate::asl::jsonata::Dialect::StepFunctions)
    {
        return problem(body_start + offset.unwrap_or(0).min(body.len()), format!("JSONata syntax error {code}: {message}"));
    }
    // What the engine accepts is shaped right too: brackets balanced, strings and comments closed.
    let b = body.as_bytes();
    let mut stack: Vec<(u8, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'"' | b'\'' | b'`') => {
                let open = i;
                i += 1;
                while i < b.len() && b[i] != q {
                    i += if b[i] == b'\\' && q != b'`' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return problem(body_start + open, "unclosed string in JSONata expression");
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let Some(end) = body[i + 2..].find("*/") else {
                    return problem(body_start + i, "unclosed comment in JSONata expression");
                };
                i += end + 3;
            }
            c @ (b'(' | b'[' | b'{') => stack.push((c, i)),
            c @ (b')' | b']' | b'}') => {
                let open = match c {
                    b')' => b'(',
                    b']' => b'[',
                    _ => b'{',
                };
                match stack.pop() {
                    Some((o, _)) if o == open => {}
                    _ => return problem(body_start + i, format!("unbalanced `{}` in JSONata expression", c as char)),
                }
            }
            _ => {}
        }
        i += 1;
    }
    if let Some((c, at)) = stack.pop() {
        return problem(body_start + at, format!("unclosed `{}` in JSONata expression", c as char));
    }
    Ok(())
}

/// The fields a JSONata expression `{% ... %}` reads of its input at its top level (`phone` in
/// `{% phone %}`, `items` in `{% $count(items) %}`): Step Functions evaluates an expression with
/// no input (the state's input is `$states.input`), and AWS refuses such a reference when the
/// definition is created. Empty when the expression does not parse (the syntax check says why).
///
/// Read from the parsed tree by [`top_level_names`], not by the engine's own analysis of what an
/// expression reads (`jlens_core::Expression::reads`): that analysis links the engine's whole
/// function library, about 230 KB of gzipped wasm, into the page, which validates as you type.
/// `tests/asl_validate.rs` holds the two to each other over the JSONata test suite.
pub fn jsonata_top_level_fields(text: &str) -> Vec<String> {
    // Only a string that is wholly an expression is one (` {% x %} ` is a literal string).
    let Some(body) = text.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")) else { return Vec::new() };
    let Ok(expression) = jlens_core::Expression::compile(body) else { return Vec::new() };
    let mut names = Vec::new();
    top_level_names(&expression.ast().root, &mut names);
    names.sort();
    names.dedup();
    names
}

/// The field names `node` reads of the context it is evaluated in, where that is certain: the
/// first step of a path when it is a name, through the operators, blocks, conditions,
/// constructors and function arguments that keep the context. A later path step, a predicate, a
/// function's body and a transform read other contexts, and are not followed (a name there is
/// never reported: the check refuses only what AWS refuses).
pub fn top_level_names(node: &jlens_core::Node, out: &mut Vec<String>) {
    use jlens_core::NodeKind as K;
    let mut all = |nodes: &mut dyn Iterator<Item = &jlens_core::Node>| nodes.for_each(|n| top_level_names(n, out));
    match &node.kind {
        K::Name { name } => out.push(name.clone()),
        K::Path { steps, .. } => all(&mut steps.iter().take(1)),
        K::Binary { lhs, rhs, .. } | K::Fallback { lhs, rhs, .. } | K::Apply { lhs, rhs } => all(&mut [&**lhs, &**rhs].into_iter()),
        K::Negate { expr } => all(&mut std::iter::once(&**expr)),
        K::Array { items } => all(&mut items.iter()),
        K::Object { pairs } => all(&mut pairs.iter().flat_map(|(k, v)| [k, v])),
        K::Condition { condition, then, otherwise } => {
            all(&mut [&**condition, &**then].into_iter().chain(otherwise.as_deref()))
        }
        K::Block { exprs, .. } => all(&mut exprs.iter()),
        K::Bind { rhs, .. } => all(&mut std::iter::once(&**rhs)),
        K::Function { args, .. } | K::Partial { args, .. } => all(&mut args.iter()),
        _ => {}
    }
}

/// Checks an RFC 3339 timestamp as AWS compares them: `2024-03-01T12:00:00Z`, fraction and
/// numeric offset allowed, uppercase `T` and `Z`.
pub fn check_timestamp(text: &str) -> Result<(), SyntaxProblem> {
    let b = text.as_bytes();
    let digits = |from: usize, n: usize| -> Option<u32> {
        let s = text.get(from..from + n)?;
        if s.bytes().all(|c| c.is_ascii_digit()) { s.parse().ok() } else { None }
    };
    let bad = |at: usize| problem(at, "expected an RFC 3339 timestamp such as 2024-03-01T12:00:00Z");
    let (Some(year), Some(month), Some(day)) = (digits(0, 4), digits(5, 2), digits(8, 2)) else { return bad(0) };
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') || b.get(10) != Some(&b'T') {
        return bad(4);
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return problem(5, "month out of range"),
    };
    if day == 0 || day > days_in_month {
        return problem(8, "day out of range");
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(11, 2), digits(14, 2), digits(17, 2)) else { return bad(11) };
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return bad(13);
    }
    if hour > 23 || minute > 59 || second > 60 {
        return problem(11, "time out of range");
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let n = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return problem(i, "expected digits after `.`");
        }
        i += 1 + n;
    }
    match b.get(i) {
        Some(b'Z') if i + 1 == b.len() => Ok(()),
        Some(b'+' | b'-') if i + 6 == b.len() => match (digits(i + 1, 2), b.get(i + 3), digits(i + 4, 2)) {
            (Some(h), Some(b':'), Some(m)) if h <= 23 && m <= 59 => Ok(()),
            _ => problem(i, "invalid time zone offset"),
        },
        _ => problem(i, "expected `Z` or a `+hh:mm` offset at the end of the timestamp"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_names_are_paths_both_parsers_accept() {
        for text in ["$.a", "$.value", "$.a.b.c", "$._x1", "$.A_b9.c", "$.length", "$.true"] {
            assert!(is_dotted_names(text), "{text}");
            assert!(path::JsonPath::parse(text).is_ok(), "{text}");
            assert!(path::ReferencePath::parse(text).is_ok(), "{text}");
        }
        for text in ["$", "$$", "$.", "$..a", "$.a.", "$.1a", "$.a-b", "$var.x", "$$.a", "$.a[0]", "a.b", "$.é"] {
            assert!(!is_dotted_names(text), "{text}");
        }
    }

    #[test]
    fn paths() {
        for ok in ["$", "$$", "$.a", "$.a.b[0]", "$..a", "$.a[*]", "$['a b']", "$.a[1:2]", "$.a[?(@.x > 1)]", "$$.Execution.Input", "$var.x", "$.a.length()", "$[0,1]", "$.a-b", "$.[0]", "$.Snapshots.[0].State", "$.a[?(@.x =~ /a.*/i)]", "$.a.sum()"] {
            assert!(check_json_path(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "$.", "$.a[", "$.a[?(@.x]", "$.a b", "$[x]"] {
            assert!(check_json_path(bad).is_err(), "{bad}");
        }
        assert!(check_reference_path("$.a['b'][0]").is_ok());
        assert!(check_reference_path("$.Snapshots.[0].State").is_ok());
        for bad in ["$..a", "$.a[*]", "$.a[?(@)]", "$.a.length()", "$[0,1]"] {
            assert!(check_reference_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn intrinsics() {
        for ok in ["States.Format('{} {}', $.a, $.b[0])", "States.Array()", "States.UUID()", "States.MathRandom(1, 2, 3)", "States.JsonToString(States.StringToJson('{}'))", "States.ArrayRange(1, -2.5, 1e3)", "States.Array(true, null, 'a\\'b')"] {
            assert!(check_intrinsic(ok).is_ok(), "{ok}: {:?}", check_intrinsic(ok));
        }
        for bad in ["States.Nope()", "States.UUID(1)", "States.ArrayRange(1, 2)", "States.Format(", "States.Array(x)", "States.Array('a)", "States.Array() x"] {
            assert!(check_intrinsic(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jsonata() {
        for ok in ["{% $states.input.a %}", "{% [1, (2)] %}", "{% 'a)' & \"b]\" %}", "{% /* ( */ 1 %}"] {
            assert!(check_jsonata(ok).is_ok(), "{ok}");
        }
        for bad in ["{% %}", "{% (1 %}", "{% 1] %}", "{% 'a %}", "$.a", "{% /* %}", "{% $states.input. %}", "{% 1 ?? 2 %}", "{% 1 + %}"] {
            assert!(check_jsonata(bad).is_err(), "{bad}");
        }
        let located = check_jsonata("{% 1 ?? 2 %}").unwrap_err();
        assert!(located.offset >= 5 && located.message.contains("S0211"), "{located:?}");
    }

    #[test]
    fn timestamps() {
        for ok in ["2024-02-29T00:00:00Z", "2016-03-14T01:59:00.123+01:00", "2016-03-14T01:59:00-05:30"] {
            assert!(check_timestamp(ok).is_ok(), "{ok}");
        }
        for bad in ["2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-01-01", "2024-01-01T25:00:00Z", "2024-01-01t00:00:00z", "2024-01-01T00:00:00"] {
            assert!(check_timestamp(bad).is_err(), "{bad}");
        }
    }
}
