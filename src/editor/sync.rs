//! Code ↔ model sync, without echo loops.
//!
//! Text flows one way at a time. Typing sets the text; it is read (and, when it parses, becomes
//! the model) but never rewritten. A canvas or form edit changes the model; the text is written
//! from it, and the code pane receives it because it differs from the text the pane shows
//! (the pane remembers what it last showed or sent, so its own keystrokes never come back). A text
//! that does not parse keeps the last valid model, and the located error is shown beside it.

use crate::asl::diag::Diagnostic;
use crate::asl::json::{self, Member, Node, Span, Value, WriteStyle};
use crate::asl::model::StateMachine;
use crate::asl::validate::validate_text;

/// What reading a text gives.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The model, when the text is JSON.
    pub machine: Option<StateMachine>,
    /// The JSON tree (for spans), when the text is JSON.
    pub root: Option<Node>,
    /// Every diagnostic, located; the one `JSON_SYNTAX` error when the text is not JSON.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, lowers and validates `text`.
pub fn read(text: &str) -> Reading {
    let report = validate_text(text);
    Reading { machine: report.machine, root: report.root, diagnostics: report.diagnostics }
}

/// The text of `machine`: two-space pretty JSON, key order and unknown fields as read.
pub fn write(machine: &StateMachine) -> String {
    machine.to_json_text(WriteStyle::Pretty)
}

/// The text of `machine` written over `old_text` (read as `old_root`): every value that did not
/// change keeps its text exactly as the user wrote it, so an edit rewrites only what it touches.
pub fn write_over(old_text: &str, old_root: &Node, machine: &StateMachine) -> String {
    let new = machine.to_json();
    let (start, end) = (old_root.span.start as usize, old_root.span.end as usize);
    if end > old_text.len() || start > end {
        return write(machine);
    }
    let indent = line_indent(old_text, start);
    let mut out = String::with_capacity(old_text.len() + 256);
    out.push_str(&old_text[..start]);
    splice(old_text, old_root, &new, &indent, &mut out);
    out.push_str(&old_text[end..]);
    out
}

/// The leading whitespace of the line holding byte `at`.
fn line_indent(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

fn pretty(node: &Node, indent: &str, out: &mut String) {
    let text = json::write(node, WriteStyle::Pretty);
    out.push_str(&text.replace('\n', &format!("\n{indent}")));
}

fn splice(text: &str, old: &Node, new: &Node, indent: &str, out: &mut String) {
    if old == new {
        out.push_str(&text[old.span.start as usize..old.span.end as usize]);
        return;
    }
    match (&old.value, &new.value) {
        (Value::Object(a), Value::Object(b)) if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.key == y.key) => {
            let mut cursor = old.span.start as usize;
            for (x, y) in a.iter().zip(b) {
                out.push_str(&text[cursor..x.value.span.start as usize]);
                splice(text, &x.value, &y.value, &line_indent(text, x.value.span.start as usize), out);
                cursor = x.value.span.end as usize;
            }
            out.push_str(&text[cursor..old.span.end as usize]);
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() && !a.is_empty() => {
            let mut cursor = old.span.start as usize;
            for (x, y) in a.iter().zip(b) {
                out.push_str(&text[cursor..x.span.start as usize]);
                splice(text, x, y, &line_indent(text, x.span.start as usize), out);
                cursor = x.span.end as usize;
            }
            out.push_str(&text[cursor..old.span.end as usize]);
        }
        (Value::Object(a), Value::Object(b)) if !b.is_empty() => {
            let inner = format!("{indent}  ");
            let mut used = vec![false; a.len()];
            out.push('{');
            for (i, m) in b.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&inner);
                out.push_str(&json::write(&Node::string(m.key.clone()), WriteStyle::Compact));
                out.push_str(": ");
                match a.iter().enumerate().position(|(j, x): (usize, &Member)| !used[j] && x.key == m.key) {
                    Some(j) => {
                        used[j] = true;
                        splice(text, &a[j].value, &m.value, &inner, out);
                    }
                    None => pretty(&m.value, &inner, out),
                }
            }
            out.push('\n');
            out.push_str(indent);
            out.push('}');
        }
        (Value::Array(a), Value::Array(b)) if !b.is_empty() => {
            let inner = format!("{indent}  ");
            out.push('[');
            for (i, item) in b.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&inner);
                match a.get(i) {
                    Some(x) => splice(text, x, item, &inner, out),
                    None => pretty(item, &inner, out),
                }
            }
            out.push('\n');
            out.push_str(indent);
            out.push(']');
        }
        _ => pretty(new, indent, out),
    }
}

/// A diagnostic as the code view marks it: a range in UTF-16 units (how JavaScript, and so the
/// code editor, counts), never empty while the text has a character to mark.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub from: usize,
    pub to: usize,
    pub error: bool,
    pub message: String,
}

/// The UTF-16 offset of byte `byte` of `text` (clamped to the text, and back to a char boundary).
pub fn utf16_offset(text: &str, byte: usize) -> usize {
    let mut byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    let head = &text[..byte];
    if head.is_ascii() { byte } else { head.encode_utf16().count() }
}

/// `span` of `text` in UTF-16 units.
pub fn utf16_range(text: &str, span: Span) -> (usize, usize) {
    (utf16_offset(text, span.start as usize), utf16_offset(text, span.end as usize))
}

/// Where the code view scrolls to show the value at `span` of `text` (a selected state's
/// object), in UTF-16 units: the opening quote of the name it is the value of, so a long state
/// name is revealed from its start instead of scrolled past (the view scrolls to the nearest
/// side, and the value starts where the name ends); the value's own start when no name comes
/// before it (the whole definition, an item of a list).
pub fn reveal_offset(text: &str, span: Span) -> usize {
    let start = (span.start as usize).min(text.len());
    let key_start = || -> Option<usize> {
        let head = text.get(..start)?.trim_end();
        let head = head.strip_suffix(':')?.trim_end();
        let inside = head.strip_suffix('"')?;
        // Back to the quote that opens the name: the first one not escaped by a backslash.
        let mut i = inside.len();
        loop {
            let quote = inside[..i].rfind('"')?;
            let backslashes = inside[..quote].bytes().rev().take_while(|b| *b == b'\\').count();
            if backslashes % 2 == 0 {
                return Some(quote);
            }
            i = quote;
        }
    };
    utf16_offset(text, key_start().unwrap_or(start))
}

/// `span` of `text` in UTF-16 units, widened when empty (where a syntax error was found) to the
/// character after it, or before it at the very end, so that it can be seen and selected.
pub fn visible_range(text: &str, span: Span) -> (usize, usize) {
    let (start, end) = visible_bytes(text, span);
    utf16_range(text, Span::new(start, end))
}

/// The marks of the located `diagnostics` of `text`, each at its [`visible_range`]. The byte
/// offsets are turned into UTF-16 ones in one pass over the text, however many there are.
pub fn marks(text: &str, diagnostics: &[Diagnostic]) -> Vec<Mark> {
    let spans: Vec<(usize, usize)> = diagnostics.iter().filter_map(|d| d.span).map(|s| visible_bytes(text, s)).collect();
    let mut offsets: Vec<usize> = spans.iter().flat_map(|&(a, b)| [a, b]).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let units = Utf16::new(text, &offsets);
    diagnostics
        .iter()
        .filter(|d| d.span.is_some())
        .zip(spans)
        .map(|(d, (start, end))| Mark { from: units.at(start), to: units.at(end), error: d.is_error(), message: format!("{} [{}]", d.message, d.code.as_str()) })
        .collect()
}

/// The UTF-16 offsets of some byte offsets of a text, found in one pass.
struct Utf16 {
    /// (byte, units), by byte.
    known: Vec<(usize, usize)>,
}

impl Utf16 {
    /// The offsets of `bytes` (sorted, without repeats) in `text`.
    fn new(text: &str, bytes: &[usize]) -> Self {
        let mut known = Vec::with_capacity(bytes.len());
        let (mut at, mut units) = (0usize, 0usize);
        for &b in bytes {
            let mut b = b.min(text.len());
            while !text.is_char_boundary(b) {
                b -= 1;
            }
            let part = &text[at.min(b)..b];
            units += if part.is_ascii() { part.len() } else { part.encode_utf16().count() };
            at = at.max(b);
            known.push((b, units));
        }
        Utf16 { known }
    }

    fn at(&self, byte: usize) -> usize {
        match self.known.binary_search_by_key(&byte, |&(b, _)| b) {
            Ok(i) => self.known[i].1,
            // (A byte inside a character was moved back to its start.)
            Err(i) => self.known[i.saturating_sub(1)].1,
        }
    }
}

/// The byte range [`visible_range`] marks.
fn visible_bytes(text: &str, span: Span) -> (usize, usize) {
    let (start, end) = (span.start as usize, span.end as usize);
    if start >= end {
        let at = start.min(text.len());
        match (text.get(at..).and_then(|t| t.chars().next()), text.get(..at).and_then(|t| t.chars().next_back())) {
            (Some(c), _) if c != '\n' => (at, at + c.len_utf8()),
            (_, Some(c)) => (at - c.len_utf8(), at),
            _ => (at, at),
        }
    } else {
        (start, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_state_is_revealed_from_the_start_of_its_name() {
        let long = "Wait For The Downstream Reconciliation Of Every Pending Ledger Entry \\\"quoted\\\" é";
        let text = format!("{{\n  \"StartAt\": \"A\",\n  \"States\": {{\n    \"{long}\" :\n      {{\"Type\": \"Succeed\"}},\n    \"A\": {{\"Type\": \"Pass\", \"End\": true}}\n  }}\n}}");
        let r = read(&text);
        let root = r.root.expect("json");
        let unescaped = long.replace("\\\"", "\"");
        let value = root.at_pointer(&format!("/States/{}", unescaped.replace('~', "~0").replace('/', "~1"))).expect("the state").0.span;
        // The name's opening quote, in UTF-16 units (the é after it does not count), not the value's `{`.
        let quote = text.find(&format!("\"{long}\"")).unwrap();
        assert!((value.start as usize) > quote + long.len());
        assert_eq!(reveal_offset(&text, value), utf16_offset(&text, quote));
        let a = root.at_pointer("/States/A").unwrap().0.span;
        assert_eq!(reveal_offset(&text, a), utf16_offset(&text, text.find("\"A\": {").unwrap()), "after the é, UTF-16 units");
        // No name before it: the value itself (the whole definition; a list's item).
        assert_eq!(reveal_offset(&text, root.span), 0);
        let list = "{\"L\": [ {\"x\": 1}]}";
        let item = read(list).root.unwrap();
        let item = item.at_pointer("/L/0").unwrap().0.span;
        assert_eq!(reveal_offset(list, item), item.start as usize);
    }

    #[test]
    fn an_unchanged_model_writes_back_byte_for_byte() {
        let r = read(crate::seed::ORDER_WORKFLOW);
        let m = r.machine.expect("the seed parses");
        assert_eq!(write_over(crate::seed::ORDER_WORKFLOW, r.root.as_ref().unwrap(), &m), crate::seed::ORDER_WORKFLOW);
    }

    /// Reads `before`, edits its model with `edit`, writes it over the text, expects `after`.
    fn edits(before: &str, edit: impl FnOnce(&mut StateMachine), after: &str) {
        let r = read(before);
        let mut m = r.machine.expect("json");
        edit(&mut m);
        let text = write_over(before, r.root.as_ref().unwrap(), &m);
        assert_eq!(text, after);
        assert_eq!(read(&text).machine.expect("still json").to_json(), m.to_json());
    }

    #[test]
    fn edits_rewrite_only_what_they_touch() {
        let compact = "{\"StartAt\":\"A\", \"States\":{\"A\":{\"Type\":\"Pass\",  \"End\":true}}, \"x-mine\": [1,2]}";
        // A changed value keeps everything around it.
        edits(compact, |m| m.start_at = Some("B".into()), &compact.replace("\"A\", \"States", "\"B\", \"States"));
        // A new member rewrites its one object, pretty, at its depth.
        edits(
            compact,
            |m| m.comment = Some("hi".into()),
            "{\n  \"Comment\": \"hi\",\n  \"StartAt\": \"A\",\n  \"States\": {\"A\":{\"Type\":\"Pass\",  \"End\":true}},\n  \"x-mine\": [1,2]\n}",
        );
    }

    #[test]
    fn the_seed_keeps_its_compact_catchers_when_a_state_changes() {
        let r = read(crate::seed::ORDER_WORKFLOW);
        let mut m = r.machine.unwrap();
        m.state_mut("SendNotification").unwrap().comment = Some("tell them".into());
        let text = write_over(crate::seed::ORDER_WORKFLOW, r.root.as_ref().unwrap(), &m);
        assert!(text.contains("\"Catch\": [{\n        \"ErrorEquals\": [\"States.ALL\"],"), "{text}");
        assert!(text.contains("    \"SendNotification\": {\n      \"Type\": \"Task\",\n      \"Comment\": \"tell them\",\n"), "{text}");
        assert_eq!(read(&text).machine.unwrap().to_json(), m.to_json());
    }

    #[test]
    fn broken_text_gives_one_located_syntax_error_and_no_model() {
        let r = read("{\n  \"StartAt\": \n}");
        assert!(r.machine.is_none());
        assert_eq!(r.diagnostics.len(), 1);
        assert_eq!(r.diagnostics[0].code.as_str(), "JSON_SYNTAX");
        assert_eq!(r.diagnostics[0].position.map(|p| p.line), Some(3));
    }

    #[test]
    fn marks_count_utf16_and_widen_empty_spans() {
        // "é" is 2 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes and 2 units.
        assert_eq!(utf16_offset("aé𝄞b", 7), 4);
        assert_eq!(utf16_offset("aé𝄞b", 2), 1, "inside a character: back to its start");
        assert_eq!(utf16_offset("ab", 99), 2);
        let text = "{\n  \"Comment\": \"é\",\n  \"StartAt\": \n}";
        let r = read(text);
        let m = marks(text, &r.diagnostics);
        assert_eq!(m.len(), 1);
        // The error sits at the closing brace, after the accented line: one unit per character.
        let brace = text.encode_utf16().count() - 1;
        assert_eq!((m[0].from, m[0].to), (brace, brace + 1));
        assert!(m[0].error && m[0].message.ends_with("[JSON_SYNTAX]"), "{:?}", m[0]);
        // At the very end of the text the mark takes the character before.
        let cut = "{\"a\": ";
        let m = marks(cut, &read(cut).diagnostics);
        assert!(m[0].to == cut.len() && m[0].from == cut.len() - 1, "{m:?}");
    }

    #[test]
    fn marks_in_one_pass_are_each_diagnostic_s_visible_range() {
        // Non-ASCII before, between and inside the marked values, diagnostics in any order.
        let text = "{\"Comment\": \"𝄞é\", \"StartAt\": \"Ä\", \"States\": {\"Ä\": {\"Type\": \"Task\", \"Resource\": \"é\", \"Next\": \"Nö\", \"x\": 1}}}";
        let r = read(text);
        assert!(r.diagnostics.len() >= 3, "{:?}", r.diagnostics);
        let mut diagnostics = r.diagnostics.clone();
        diagnostics.reverse();
        let one_pass = marks(text, &diagnostics);
        let each: Vec<_> = diagnostics.iter().map(|d| visible_range(text, d.span.unwrap())).collect();
        assert_eq!(one_pass.iter().map(|m| (m.from, m.to)).collect::<Vec<_>>(), each);
    }
}
