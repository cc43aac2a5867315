//! Reading an edited text again by re-reading only what the edit touched.
//!
//! A keystroke changes a few bytes of a document that may hold thousands of states. [`patch`]
//! finds the changed bytes (the text the two versions do not share at either end), the smallest
//! value of the old tree whose first and last bytes the change leaves alone, reads that value's
//! new text on its own, puts the result in place and moves every span after it. This gives
//! exactly the tree a full [`read`](super::read) of the new text gives: the text around the value
//! is unchanged, a JSON value's extent is fixed by its own first and last characters (a quote, a
//! bracket, a brace, or a digit or letter followed by the unchanged character that ended it
//! before), so the reader, reaching the value's start, reads the same value and goes on as it
//! did. When the value's new text is not one JSON value (a quote typed inside a string), its
//! parent is tried, then the next; a value holding most of the text is not tried (a full read
//! costs about the same and locates the error), and the caller reads the whole text.

use super::{MAX_DEPTH, Node, ReadNotes, Span, Value, escape_pointer_token, read_noting_duplicates};

/// What [`patch`] re-read: where, and how the text moved after it.
#[derive(Debug, Clone, PartialEq)]
pub struct Patched {
    /// The child indices (member or item) from the root down to the re-read value; empty for
    /// the root itself (never returned: that is a full read).
    pub path: Vec<usize>,
    /// The JSON pointer of the re-read value (in the new tree).
    pub pointer: String,
    /// The value's span in the old text.
    pub old_span: Span,
    /// Its span in the new text.
    pub new_span: Span,
    /// What the reader noticed in the re-read value (duplicate keys, numbers beyond a float).
    pub notes: ReadNotes,
}

impl Patched {
    /// How many bytes the text after the value moved (negative: towards the start).
    pub fn delta(&self) -> i64 {
        self.new_span.end as i64 - self.old_span.end as i64
    }
}

/// The changed bytes of `old` → `new`: `(start, old_end, new_end)`, the longest common prefix
/// and then the longest common suffix that does not overlap it. `None` when the texts are equal.
pub fn changed_range(old: &str, new: &str) -> Option<(usize, usize, usize)> {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = common_prefix(a, b);
    if prefix == a.len() && prefix == b.len() {
        return None;
    }
    let room = a.len().min(b.len()) - prefix;
    let suffix = common_suffix(&a[prefix..], &b[prefix..]).min(room);
    Some((prefix, a.len() - suffix, b.len() - suffix))
}

fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    // Eight bytes at a time: a keystroke in a 200 KB text compares the whole of it.
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && a[i..i + 8] == b[i..i + 8] {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (ea, eb) = (a.len(), b.len());
    let mut i = 0;
    while i + 8 <= n && a[ea - i - 8..ea - i] == b[eb - i - 8..eb - i] {
        i += 8;
    }
    while i < n && a[ea - i - 1] == b[eb - i - 1] {
        i += 1;
    }
    i
}

/// Makes `root`, the tree of `old_text`, the tree of `new_text` by re-reading the smallest value
/// the edit lies strictly inside. `None` (and `root` untouched) when the caller must read the
/// whole text: the texts are equal, nothing smaller than most of the text holds the edit, or no
/// enclosing value's new text is one JSON value.
pub fn patch(root: &mut Node, old_text: &str, new_text: &str) -> Option<Patched> {
    if root.span.end as usize > old_text.len() {
        return None;
    }
    let (start, old_end, new_end) = changed_range(old_text, new_text)?;
    let delta = new_end as i64 - old_end as i64;
    // The chain of values holding the change strictly inside (first and last bytes unchanged).
    let mut chain: Vec<usize> = Vec::new();
    let mut node: &Node = root;
    loop {
        let inside = |c: &Node| (c.span.start as usize) < start && old_end < c.span.end as usize;
        let next = match &node.value {
            Value::Object(members) => members.iter().position(|m| inside(&m.value)),
            Value::Array(items) => items.iter().position(inside),
            _ => None,
        };
        let Some(i) = next else { break };
        chain.push(i);
        node = child(node, i);
    }
    // The deepest first; a value holding half the text or more is left to a full read.
    let limit = new_text.len() / 2;
    while !chain.is_empty() {
        let old_span = at_path(root, &chain).span;
        let new_span = Span { start: old_span.start, end: (old_span.end as i64 + delta) as u32 };
        if (new_span.end - new_span.start) as usize >= limit {
            return None;
        }
        let slice = &new_text[new_span.start as usize..new_span.end as usize];
        if let Ok((mut fresh, notes)) = read_noting_duplicates(slice)
            && fresh.span == Span::new(0, slice.len())
            && depth(&fresh) + chain.len() <= MAX_DEPTH
        {
            offset(&mut fresh, new_span.start as i64);
            let old_end_of_value = old_span.end;
            shift_after(root, old_end_of_value, delta);
            *at_path_mut(root, &chain) = fresh;
            let pointer = pointer_of(root, &chain);
            return Some(Patched { path: chain, pointer, old_span, new_span, notes });
        }
        chain.pop();
    }
    None
}

fn child(node: &Node, i: usize) -> &Node {
    match &node.value {
        Value::Object(members) => &members[i].value,
        Value::Array(items) => &items[i],
        _ => unreachable!("a path goes through containers only"),
    }
}

fn child_mut(node: &mut Node, i: usize) -> &mut Node {
    match &mut node.value {
        Value::Object(members) => &mut members[i].value,
        Value::Array(items) => &mut items[i],
        _ => unreachable!("a path goes through containers only"),
    }
}

/// The node at child indices `path` below `root`.
pub fn at_path<'a>(root: &'a Node, path: &[usize]) -> &'a Node {
    path.iter().fold(root, |n, &i| child(n, i))
}

fn at_path_mut<'a>(root: &'a mut Node, path: &[usize]) -> &'a mut Node {
    path.iter().fold(root, |n, &i| child_mut(n, i))
}

/// The JSON pointer of the node at `path`.
pub fn pointer_of(root: &Node, path: &[usize]) -> String {
    let mut pointer = String::new();
    let mut node = root;
    for &i in path {
        match &node.value {
            Value::Object(members) => {
                pointer.push('/');
                pointer.push_str(&escape_pointer_token(&members[i].key));
            }
            _ => pointer.push_str(&format!("/{i}")),
        }
        node = child(node, i);
    }
    pointer
}

/// The deepest nesting of arrays and objects in `node`, as the reader counts it (a scalar is 0).
fn depth(node: &Node) -> usize {
    match &node.value {
        Value::Object(members) => 1 + members.iter().map(|m| depth(&m.value)).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn move_span(span: &mut Span, by: i64) {
    span.start = (span.start as i64 + by) as u32;
    span.end = (span.end as i64 + by) as u32;
}

/// Moves every span of `node` by `by` bytes.
fn offset(node: &mut Node, by: i64) {
    move_span(&mut node.span, by);
    match &mut node.value {
        Value::Object(members) => {
            for m in members {
                move_span(&mut m.key_span, by);
                offset(&mut m.value, by);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|n| offset(n, by)),
        _ => {}
    }
}

/// Moves by `delta` what starts at or after `end` (the old end of the re-read value), and the end
/// of what holds it. (The re-read value itself is replaced after this.)
fn shift_after(node: &mut Node, end: u32, delta: i64) {
    if delta == 0 {
        return;
    }
    if node.span.start >= end {
        return offset(node, delta);
    }
    if node.span.end < end {
        return;
    }
    node.span.end = (node.span.end as i64 + delta) as u32;
    match &mut node.value {
        Value::Object(members) => {
            for m in members {
                if m.key_span.start >= end {
                    move_span(&mut m.key_span, delta);
                }
                shift_after(&mut m.value, end, delta);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|n| shift_after(n, end, delta)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;

    fn same(a: &Node, b: &Node) -> bool {
        a.same_with_spans(b)
    }

    /// Patches `old` into `new` and expects the full read's tree, re-reading at `pointer`
    /// (`None`: the caller must read all).
    fn patches(old: &str, new: &str, pointer: Option<&str>) {
        let mut root = read(old).unwrap();
        let got = patch(&mut root, old, new);
        assert_eq!(got.as_ref().map(|p| p.pointer.as_str()), pointer, "{old:?} → {new:?}");
        if got.is_some() {
            assert!(same(&root, &read(new).unwrap()), "{old:?} → {new:?}: {root:?}");
        } else {
            assert!(same(&root, &read(old).unwrap()), "untouched");
        }
    }

    #[test]
    fn re_reads_the_smallest_value_that_holds_the_edit() {
        let doc = r#"{"States": {"A": {"Resource": "arn:F10", "Next": "B"}, "B": {"Type": "Succeed"}}, "x": [1, 22, 3], "z": "padding padding padding padding padding padding"}"#;
        patches(doc, &doc.replace("F10", "G0"), Some("/States/A/Resource"));
        patches(doc, &doc.replace("22", "2"), Some("/x"));
        patches(doc, &doc.replace("22", "212"), Some("/x/1"));
        patches(doc, &doc.replace("\"Next\"", "\"Nxt\""), Some("/States/A"));
        patches(doc, &doc.replace("F10", "F\"10"), None);
        patches(doc, &doc.replace("Succeed\"}", "Succeed\", \"Comment\": \"é\"}"), Some("/States/B"));
    }

    #[test]
    fn a_broken_value_falls_back_to_its_parent_or_to_a_full_read() {
        let doc = r#"{"pad": "padding padding padding padding padding padding padding padding", "a": {"b": [1, 2], "c": 3}}"#;
        // `[1, 2` + `]` moved: the array does not parse alone; its object does.
        patches(doc, &doc.replace("[1, 2], \"c\": 3", "[1, 2, \"c\": 3]"), None);
        patches(doc, &doc.replace("[1, 2]", "[1, {}]"), Some("/a/b"));
        patches(doc, doc, None);
        // Typing after a number makes it longer: the change touches its last byte.
        patches(doc, &doc.replace("3}", "34}"), Some("/a"));
    }
}
