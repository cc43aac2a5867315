//! The syntax checks the rules call on single strings: JSONPath, reference paths, intrinsic
//! functions, JSONata expressions and RFC 3339 timestamps.
//!
//! Paths and intrinsics are checked here by a compact scanner until `crate::asl::path` and
//! `crate::asl::intrinsic` land; the three `check_*` functions are the only place to switch
//! over to their parsers. The JSONata check is structural (non-empty, brackets balanced, strings
//! and comments closed), not a full JSONata parse.

/// What is wrong with a string and the byte offset in it where the problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxProblem {
    pub message: String,
    pub offset: usize,
}

fn problem<T>(offset: usize, message: impl Into<String>) -> Result<T, SyntaxProblem> {
    Err(SyntaxProblem { message: message.into(), offset })
}

/// Whether a path may select many nodes (`*`, `..`, filters, slices, unions) or only name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PathKind {
    Any,
    Reference,
}

/// Checks a JSONPath as AWS accepts it: `$`, `$$` (context object) or `$name` (variable),
/// then `.name`, `..name`, `.*`, `['name']`, `[0]`, `[*]`, `[0,1]`, `[1:3]`, `[?(...)]`, `.length()`.
pub fn check_json_path(text: &str) -> Result<(), SyntaxProblem> {
    scan_path(text, PathKind::Any)
}

/// Checks a reference path: a JSONPath that names one node (names and single indices only).
pub fn check_reference_path(text: &str) -> Result<(), SyntaxProblem> {
    scan_path(text, PathKind::Reference)
}

fn is_name_char(c: char) -> bool {
    !matches!(c, '.' | '[' | ']' | '(' | ')' | ',' | '\'' | '"' | '*' | '?' | '@' | '$') && !c.is_whitespace()
}

fn scan_path(text: &str, kind: PathKind) -> Result<(), SyntaxProblem> {
    let b = text.as_bytes();
    if !text.starts_with('$') {
        return problem(0, "a path must start with `$`");
    }
    let mut i = 1;
    if text[i..].starts_with('$') {
        i += 1;
    } else {
        // `$name`: a variable.
        i += text[i..].chars().take_while(|c| is_name_char(*c)).map(char::len_utf8).sum::<usize>();
    }
    while i < b.len() {
        match b[i] {
            b'.' => {
                i += 1;
                if b.get(i) == Some(&b'.') {
                    if kind == PathKind::Reference {
                        return problem(i - 1, "a reference path cannot use `..`");
                    }
                    i += 1;
                }
                if b.get(i) == Some(&b'*') {
                    if kind == PathKind::Reference {
                        return problem(i, "a reference path cannot use `*`");
                    }
                    i += 1;
                    continue;
                }
                if b.get(i) == Some(&b'[') {
                    continue;
                }
                let len: usize = text[i..].chars().take_while(|c| is_name_char(*c)).map(char::len_utf8).sum();
                if len == 0 {
                    return problem(i, "expected a field name after `.`");
                }
                i += len;
                if text[i..].starts_with("()") {
                    if kind == PathKind::Reference {
                        return problem(i, "a reference path cannot call a function");
                    }
                    i += 2;
                    if i != b.len() {
                        return problem(i, "a path function must end the path");
                    }
                }
            }
            b'[' => i = scan_bracket(text, i, kind)?,
            _ => return problem(i, format!("unexpected `{}` in a path", text[i..].chars().next().unwrap_or(' '))),
        }
    }
    Ok(())
}

/// Scans `[...]` starting at `start` (the `[`), returning the offset after `]`.
fn scan_bracket(text: &str, start: usize, kind: PathKind) -> Result<usize, SyntaxProblem> {
    let b = text.as_bytes();
    let mut i = start + 1;
    match b.get(i) {
        Some(b'\'' | b'"') => {
            let quote = b[i];
            let mut names = 0;
            loop {
                if b.get(i) != Some(&quote) {
                    return problem(i, "expected a quoted name");
                }
                i += 1;
                while i < b.len() && b[i] != quote {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                if i >= b.len() {
                    return problem(start, "unclosed quoted name");
                }
                i += 1;
                names += 1;
                match b.get(i) {
                    Some(b',') => i += 1,
                    Some(b']') => break,
                    _ => return problem(i, "expected `]` after the quoted name"),
                }
            }
            if names > 1 && kind == PathKind::Reference {
                return problem(start, "a reference path cannot use a union");
            }
            Ok(i + 1)
        }
        Some(b'*') if b.get(i + 1) == Some(&b']') => {
            if kind == PathKind::Reference {
                return problem(i, "a reference path cannot use `*`");
            }
            Ok(i + 2)
        }
        Some(b'?') => {
            if kind == PathKind::Reference {
                return problem(i, "a reference path cannot use a filter");
            }
            if b.get(i + 1) != Some(&b'(') {
                return problem(i + 1, "expected `(` after `?`");
            }
            let mut depth = 0usize;
            let mut j = i + 1;
            while j < b.len() {
                match b[j] {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    q @ (b'\'' | b'"') => {
                        j += 1;
                        while j < b.len() && b[j] != q {
                            j += if b[j] == b'\\' { 2 } else { 1 };
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= b.len() || b.get(j + 1) != Some(&b']') {
                return problem(start, "unclosed filter `[?(...)]`");
            }
            if text[i + 2..j].trim().is_empty() {
                return problem(i + 2, "empty filter");
            }
            Ok(j + 2)
        }
        _ => {
            let end = text[i..].find(']').map(|e| i + e).ok_or(SyntaxProblem { message: "unclosed `[`".into(), offset: start })?;
            let inside = &text[i..end];
            let is_int = |s: &str| {
                let s = s.trim();
                let s = s.strip_prefix('-').unwrap_or(s);
                !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit())
            };
            if is_int(inside) {
                return Ok(end + 1);
            }
            if kind == PathKind::Reference {
                return problem(i, "a reference path can only index with a single number or name");
            }
            let ok = if inside.contains(':') {
                let parts: Vec<&str> = inside.split(':').collect();
                parts.len() <= 3 && parts.iter().all(|p| p.trim().is_empty() || is_int(p))
            } else {
                inside.split(',').all(is_int)
            };
            if ok { Ok(end + 1) } else { problem(i, format!("invalid index `[{inside}]`")) }
        }
    }
}

/// The 18 intrinsic functions with their smallest and largest argument counts (`None`: no limit).
pub const INTRINSIC_FUNCTIONS: &[(&str, usize, Option<usize>)] = &[
    ("States.Format", 1, None),
    ("States.StringToJson", 1, Some(1)),
    ("States.JsonToString", 1, Some(1)),
    ("States.Array", 0, None),
    ("States.ArrayPartition", 2, Some(2)),
    ("States.ArrayContains", 2, Some(2)),
    ("States.ArrayRange", 3, Some(3)),
    ("States.ArrayGetItem", 2, Some(2)),
    ("States.ArrayLength", 1, Some(1)),
    ("States.ArrayUnique", 1, Some(1)),
    ("States.Base64Encode", 1, Some(1)),
    ("States.Base64Decode", 1, Some(1)),
    ("States.Hash", 2, Some(2)),
    ("States.JsonMerge", 3, Some(3)),
    ("States.MathRandom", 2, Some(3)),
    ("States.MathAdd", 2, Some(2)),
    ("States.StringSplit", 2, Some(2)),
    ("States.UUID", 0, Some(0)),
];

/// Whether a payload string is an intrinsic call rather than a path.
pub fn is_intrinsic(text: &str) -> bool {
    text.trim_start().starts_with("States.")
}

/// Checks an intrinsic function call: a known name, balanced arguments (strings in single
/// quotes, numbers, `true`/`false`/`null`, paths, nested calls) and the right number of them.
pub fn check_intrinsic(text: &str) -> Result<(), SyntaxProblem> {
    let mut call = IntrinsicScanner { text, pos: 0 };
    call.skip_space();
    call.call()?;
    call.skip_space();
    if call.pos != text.len() {
        return problem(call.pos, "unexpected text after the intrinsic call");
    }
    Ok(())
}

struct IntrinsicScanner<'a> {
    text: &'a str,
    pos: usize,
}

impl IntrinsicScanner<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }
    fn skip_space(&mut self) {
        self.pos += self.rest().len() - self.rest().trim_start().len();
    }
    fn call(&mut self) -> Result<(), SyntaxProblem> {
        let start = self.pos;
        let name_len = self.rest().find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_')).unwrap_or(self.rest().len());
        let name = &self.text[start..start + name_len];
        let Some(&(_, min, max)) = INTRINSIC_FUNCTIONS.iter().find(|(n, _, _)| *n == name) else {
            return problem(start, format!("unknown intrinsic function `{name}`"));
        };
        self.pos += name_len;
        self.skip_space();
        if !self.rest().starts_with('(') {
            return problem(self.pos, format!("expected `(` after `{name}`"));
        }
        self.pos += 1;
        self.skip_space();
        let mut count = 0;
        if self.rest().starts_with(')') {
            self.pos += 1;
        } else {
            loop {
                self.skip_space();
                self.argument()?;
                count += 1;
                self.skip_space();
                match self.rest().chars().next() {
                    Some(',') => self.pos += 1,
                    Some(')') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return problem(self.pos, format!("expected `,` or `)` in the arguments of `{name}`")),
                }
            }
        }
        if count < min || max.is_some_and(|m| count > m) {
            let expected = match max {
                Some(m) if m == min => format!("{min}"),
                Some(m) => format!("{min} to {m}"),
                None => format!("at least {min}"),
            };
            return problem(start, format!("`{name}` takes {expected} argument(s), got {count}"));
        }
        Ok(())
    }
    fn argument(&mut self) -> Result<(), SyntaxProblem> {
        let rest = self.rest();
        let start = self.pos;
        if rest.starts_with('\'') {
            let b = rest.as_bytes();
            let mut i = 1;
            while i < b.len() && b[i] != b'\'' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            if i >= b.len() {
                return problem(start, "unclosed string argument");
            }
            self.pos += i + 1;
        } else if rest.starts_with("States.") {
            self.call()?;
        } else if rest.starts_with('$') {
            // A path runs to the next top-level `,` or `)` (brackets may hold commas).
            let mut depth = 0i32;
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '[' | '(' => depth += 1,
                    ']' => depth -= 1,
                    ')' if depth > 0 => depth -= 1,
                    ',' | ')' if depth == 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            let path = rest[..end].trim_end();
            check_json_path(path).map_err(|p| SyntaxProblem { offset: start + p.offset, ..p })?;
            self.pos += end;
        } else {
            let len = rest.find([',', ')']).unwrap_or(rest.len());
            let literal = rest[..len].trim();
            let is_literal = matches!(literal, "true" | "false" | "null")
                || (!literal.is_empty() && crate::asl::json::read(literal).is_ok_and(|n| matches!(n.value, crate::asl::json::Value::Number(_))));
            if !is_literal {
                return problem(start, format!("invalid argument `{literal}`"));
            }
            self.pos += len;
        }
        Ok(())
    }
}

/// Checks a JSONata expression written `{% ... %}`: the braces, a non-empty body, balanced
/// brackets, closed strings and comments. Returns the offset of the problem in `text`.
pub fn check_jsonata(text: &str) -> Result<(), SyntaxProblem> {
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if !(trimmed.starts_with("{%") && trimmed.ends_with("%}") && trimmed.len() >= 4) {
        return problem(lead, "a JSONata expression must be written `{% ... %}`");
    }
    let body_start = lead + 2;
    let body = &trimmed[2..trimmed.len() - 2];
    if body.trim().is_empty() {
        return problem(body_start, "empty JSONata expression");
    }
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
    fn paths() {
        for ok in ["$", "$$", "$.a", "$.a.b[0]", "$..a", "$.a[*]", "$['a b']", "$.a[1:2]", "$.a[?(@.x > 1)]", "$$.Execution.Input", "$var.x", "$.a.length()", "$[0,1]", "$.a-b"] {
            assert!(check_json_path(ok).is_ok(), "{ok}");
        }
        for bad in ["", "a", "$.", "$.a[", "$.a[?(@.x]", "$.a b", "$[x]"] {
            assert!(check_json_path(bad).is_err(), "{bad}");
        }
        assert!(check_reference_path("$.a['b'][0]").is_ok());
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
        assert_eq!(INTRINSIC_FUNCTIONS.len(), 18);
    }

    #[test]
    fn jsonata() {
        for ok in ["{% $states.input.a %}", "{% [1, (2)] %}", "{% 'a)' & \"b]\" %}", "{% /* ( */ 1 %}"] {
            assert!(check_jsonata(ok).is_ok(), "{ok}");
        }
        for bad in ["{% %}", "{% (1 %}", "{% 1] %}", "{% 'a %}", "$.a", "{% /* %}"] {
            assert!(check_jsonata(bad).is_err(), "{bad}");
        }
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
