//! Block-style YAML for the templates (CloudFormation and SAM), written so that every YAML
//! reader the deployment meets reads back exactly the JSON value that was written: PyYAML and
//! cfn-lint (YAML 1.1), CloudFormation's own reader, and YAML 1.2 readers.
//!
//! Why hand-written: the maintained crates' emitters (yaml-rust2, saphyr, the serde_yaml forks
//! over libyaml) leave U+2028, U+2029 and U+0085 raw inside quoted scalars, where a YAML 1.1
//! reader takes them for line breaks, and quote for YAML 1.2 only (`2001-12-14`, `1_000` and,
//! in saphyr, `y`/`n` stay plain, and YAML 1.1 reads them as a date, a number, a boolean). Here
//! the rule is total and small, and costs the web build nothing:
//!
//! - a string is written plain only when it starts with an ASCII letter, holds only ASCII
//!   letters, digits and `_-./:`, does not end with `:`, and is none of the words a YAML 1.1
//!   or 1.2 resolver reads as a boolean or null (`y`, `n`, `yes`, `no`, `true`, `false`, `on`,
//!   `off`, `null`, in any case). Every number, date, `~`, `.inf`, `<<`, `=` and indicator
//!   starts with something other than a letter, so no other resolver rule can match it;
//! - every other string, key or value, is double-quoted, with every character that is not
//!   printable ASCII or printable non-ASCII escaped (`\n`, `\t`, `\r`, `\"`, `\\`, else `\uXXXX`):
//!   C0 and C1 controls, DEL, U+0085, U+2028, U+2029, U+FEFF, U+FFFE and U+FFFF;
//! - a multi-line string whose characters need no escape (but `\n`) and whose first line is not
//!   indented is a literal block (`|`, `|-`, `|+` as its trailing newlines require), so the
//!   Python sources and the definition stay readable;
//! - a number is written in a form that YAML 1.1 and 1.2 both read as that number (`1e5` becomes
//!   `1.0e+5`: YAML 1.1 needs the dot and the exponent's sign);
//! - a key longer than YAML's 1024-character limit on implicit keys is an explicit `? key`;
//! - an object that writes a key twice keeps the last one, as a JSON reader does.

use crate::asl::json::{Member, Node, Value};

/// The YAML document of `root`.
pub fn to_yaml(root: &Node) -> String {
    let mut out = String::new();
    match &root.value {
        Value::Object(members) if !members.is_empty() => write_mapping(&mut out, members, 0, false),
        Value::Array(items) if !items.is_empty() => write_sequence(&mut out, items, 0, false),
        _ => {
            write_scalar(&mut out, root, 0);
            out.push('\n');
        }
    }
    out
}

/// Implicit keys longer than this (as written) become explicit `? key` entries: YAML limits an
/// implicit key to 1024 characters.
const IMPLICIT_KEY_LIMIT: usize = 1000;

/// The members of an object with the ones a later member of the same key overrides left out.
fn last_of_each_key(members: &[Member]) -> impl Iterator<Item = &Member> {
    members.iter().enumerate().filter(|(i, m)| !members[i + 1..].iter().any(|later| later.key == m.key)).map(|(_, m)| m)
}

/// Writes the members at `indent`; the first on the current line when `inline` (after `- `).
fn write_mapping(out: &mut String, members: &[Member], indent: usize, inline: bool) {
    // Pairwise for the rare duplicates would be quadratic on big objects: only filter when needed.
    let has_duplicates = crate::asl::json::repeated_keys(members).next().is_some();
    let kept: Vec<&Member> = if has_duplicates { last_of_each_key(members).collect() } else { members.iter().collect() };
    for (i, m) in kept.into_iter().enumerate() {
        if i > 0 || !inline {
            push_indent(out, indent);
        }
        let key = string_text(&m.key);
        if key.chars().count() > IMPLICIT_KEY_LIMIT {
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            push_indent(out, indent);
        } else {
            out.push_str(&key);
        }
        out.push(':');
        write_value(out, &m.value, indent);
    }
}

/// Writes the items at `indent`; the first on the current line when `inline` (after `- `).
fn write_sequence(out: &mut String, items: &[Node], indent: usize, inline: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline {
            push_indent(out, indent);
        }
        out.push_str("- ");
        match &item.value {
            Value::Object(members) if !members.is_empty() => write_mapping(out, members, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => write_sequence(out, inner, indent + 2, true),
            _ => {
                write_scalar(out, item, indent);
                out.push('\n');
            }
        }
    }
}

/// Writes what follows a key's `:`, the key being at `indent`.
fn write_value(out: &mut String, value: &Node, indent: usize) {
    match &value.value {
        Value::Object(members) if !members.is_empty() => {
            out.push('\n');
            write_mapping(out, members, indent + 2, false);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_sequence(out, items, indent + 2, false);
        }
        _ => {
            out.push(' ');
            write_scalar(out, value, indent);
            out.push('\n');
        }
    }
}

/// Writes a scalar (or an empty collection) whose parent is at `indent`, without the newline.
fn write_scalar(out: &mut String, node: &Node, indent: usize) {
    match &node.value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n.text())),
        Value::String(s) if s.contains('\n') && block_safe(s) => write_literal_block(out, s, indent),
        Value::String(s) => out.push_str(&string_text(s)),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// A literal block for `s`, its lines indented two more than `indent`.
fn write_literal_block(out: &mut String, s: &str, indent: usize) {
    let body = s.trim_end_matches('\n');
    let chomp = match s.len() - body.len() {
        0 => "-",
        1 => "",
        _ => "+",
    };
    out.push('|');
    out.push_str(chomp);
    for line in s.strip_suffix('\n').unwrap_or(s).split('\n') {
        out.push('\n');
        if !line.is_empty() {
            push_indent(out, indent + 2);
            out.push_str(line);
        }
    }
}

/// Whether a multi-line string reads back the same from a literal block: its first line is not
/// indented and not empty, and no character but `\n` would need an escape (tabs and carriage
/// returns are kept out too, and every Unicode line break).
fn block_safe(s: &str) -> bool {
    !s.starts_with([' ', '\n']) && s.chars().all(|c| c == '\n' || (c != '\t' && printable(c)))
}

/// Whether `s` may be written as a plain scalar and read back as this string by any YAML
/// resolver (1.1 or 1.2): see the module's documentation.
pub fn plain_safe(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'))
        && !s.ends_with(':')
        && !matches!(s.to_ascii_lowercase().as_str(), "y" | "n" | "yes" | "no" | "true" | "false" | "on" | "off" | "null")
}

/// `s` as a YAML scalar on one line: plain when [`plain_safe`], else double-quoted and escaped.
pub fn string_text(s: &str) -> String {
    if plain_safe(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match escape_of(c) {
            Some(escape) => out.push_str(&escape),
            None => out.push(c),
        }
    }
    out.push('"');
    out
}

/// How `c` is written inside a double-quoted scalar, when not as itself: the quote, the
/// backslash, and every character YAML does not print as itself (controls, DEL, C1, the
/// Unicode line and paragraph separators, the byte-order mark, U+FFFE and U+FFFF).
fn escape_of(c: char) -> Option<String> {
    let simple = match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\t' => "\\t",
        '\r' => "\\r",
        _ => "",
    };
    if !simple.is_empty() {
        return Some(simple.to_string());
    }
    (!printable(c)).then(|| format!("\\u{:04X}", c as u32))
}

/// Whether YAML takes `c` as itself on a line: printable ASCII, or non-ASCII that is neither a
/// C1 control, a Unicode line break, the byte-order mark, nor U+FFFE or U+FFFF.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~') || (c >= '\u{A0}' && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}'))
}

/// JSON text (as `serde_json` writes it) with every character that YAML does not print as
/// itself escaped as `\uXXXX`: the same JSON, which a YAML 1.1 reader also takes as written.
/// cfn-lint reads `.json` templates with its YAML reader first, and PyYAML refuses DEL and C1
/// controls and folds U+2028 inside a quoted string. Such characters are only ever inside JSON
/// strings (`serde_json` escapes C0 controls itself), where `\uXXXX` means the same character.
pub fn json_for_yaml_readers(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if printable(c) || matches!(c, '\n' | '\t' | '\r') {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{:04X}", c as u32));
        }
    }
    out
}

/// A JSON number's text in a form YAML 1.1 and 1.2 both read as that number: an exponent
/// needs a fraction and a signed exponent in YAML 1.1 (`1e5` is a string there).
pub fn number_text(json: &str) -> String {
    let Some(e) = json.find(['e', 'E']) else { return json.to_string() };
    let (mantissa, letter, exponent) = (&json[..e], &json[e..e + 1], &json[e + 1..]);
    let fraction = if mantissa.contains('.') { "" } else { ".0" };
    let sign = if exponent.starts_with(['+', '-']) { "" } else { "+" };
    format!("{mantissa}{fraction}{letter}{sign}{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asl::json::read;

    fn yaml(json: &str) -> String {
        to_yaml(&read(json).unwrap())
    }

    #[test]
    fn words_a_resolver_reads_as_something_else_are_quoted() {
        for word in [
            "Yes", "No", "On", "Off", "y", "n", "Y", "N", "true", "FALSE", "null", "Null", "~", "", "012", "0x1F", "0o17", "1e3",
            "1_000", "1:20", "2001-12-14", ".inf", "-.inf", "+.inf", ".NaN", "-", "<<", "=", "!Ref", "&a", "*a", "@x", "`x", "%x",
            "a: b", "a:", "a #b", " a", "a ", "-1", "+1", "0", "1.5", "[a]", "{a}", "?", "|", ">", "'", "\"",
        ] {
            assert!(!plain_safe(word), "{word:?} must be quoted");
            assert!(string_text(word).starts_with('"'), "{word:?}");
        }
        for word in ["Task", "ValidateInput", "arn:aws:states:::lambda:invoke", "index.lambda_handler", "python3.14", "a-b_c/d"] {
            assert_eq!(string_text(word), word);
        }
    }

    #[test]
    fn line_breaks_and_non_printable_characters_are_escaped() {
        let s = "a\u{2028}b\u{2029}c\u{85}d\u{7F}e\u{1B}f\u{9B}g\u{FEFF}h\u{FFFE}i\u{FFFF}j\0k\tl\r\n\"\\é😀";
        assert_eq!(
            string_text(s),
            "\"a\\u2028b\\u2029c\\u0085d\\u007Fe\\u001Bf\\u009Bg\\uFEFFh\\uFFFEi\\uFFFFj\\u0000k\\tl\\r\\n\\\"\\\\é😀\""
        );
        // A multi-line string holding a Unicode line break is no literal block.
        assert_eq!(yaml(r#"{"c": "a\nb\u2028Resources:"}"#), "c: \"a\\nb\\u2028Resources:\"\n");
    }

    #[test]
    fn json_for_yaml_readers_escapes_what_yaml_would_not_print() {
        let json = serde_json::to_string_pretty(&serde_json::json!({"a\u{2028}": "b\u{7F}\u{85}\u{9B}\u{FEFF}\u{FFFF}é\n"})).unwrap();
        let escaped = json_for_yaml_readers(&json);
        assert_eq!(escaped, "{\n  \"a\\u2028\": \"b\\u007F\\u0085\\u009B\\uFEFF\\uFFFFé\\n\"\n}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&escaped).unwrap(), serde_json::from_str::<serde_json::Value>(&json).unwrap());
    }

    #[test]
    fn numbers_read_the_same_in_yaml_1_1_and_1_2() {
        for (json, yaml) in
            [("1", "1"), ("-0", "-0"), ("1.5", "1.5"), ("1e5", "1.0e+5"), ("1E-5", "1.0E-5"), ("2.5e+3", "2.5e+3"), ("-3e300", "-3.0e+300")]
        {
            assert_eq!(number_text(json), yaml);
        }
    }

    #[test]
    fn blocks_nesting_and_empty_collections() {
        assert_eq!(
            yaml(r#"{"a": {"b": [1, {"c": "x", "d": []}, [true, null]], "e": {}}, "f": "one\ntwo\n", "g": "k\n\n"}"#),
            "a:\n  b:\n    - 1\n    - c: x\n      d: []\n    - - true\n      - null\n  e: {}\nf: |\n  one\n  two\ng: |+\n  k\n\n"
        );
        assert_eq!(yaml(r#"{"Type": "Pass", "Type": "Wait"}"#), "Type: Wait\n", "the last of a repeated key");
        let long = "k".repeat(1100);
        assert_eq!(yaml(&format!(r#"{{"{long}": 1}}"#)), format!("? {long}\n: 1\n"));
    }
}
