//! YAML into a located [`Tree`], over saphyr-parser's events: every node with its byte span
//! and tag (CloudFormation's `!Sub`, `!Ref`, `!GetAtt`, `!Join` ... are kept as tags), every
//! error at a line:column. Only the first document is read; aliases are refused (CloudFormation
//! refuses them too), except by [`read_expanding_aliases`] (a Serverless Framework service, whose
//! loader takes anchors, aliases and `<<` merge keys), and nesting is capped so hostile input
//! cannot exhaust the stack.

use super::error::FormatError;
use super::tree::{Entry, Shape, Style, Tree};
use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting accepted (as `asl::json::MAX_DEPTH`).
const MAX_DEPTH: usize = 256;

/// Most nodes an expansion of aliases may make (a handful of aliases to aliases can otherwise
/// stand for billions of nodes).
const MAX_EXPANDED: usize = 200_000;

/// Reads the first YAML document of `text`.
pub fn read(text: &str) -> Result<Tree, FormatError> {
    read_with(text, false)
}

/// [`read`], an alias (`*name`) read as a copy of the node its anchor (`&name`) marks (the copy
/// keeps the anchor's spans) and a `<<` merge key's mapping (or list of mappings) merged into
/// its mapping, keys written there winning, as the Serverless Framework's YAML loader does.
pub fn read_expanding_aliases(text: &str) -> Result<Tree, FormatError> {
    read_with(text, true)
}

fn read_with(text: &str, expand: bool) -> Result<Tree, FormatError> {
    let mut anchors: std::collections::HashMap<usize, Tree> = std::collections::HashMap::new();
    let mut expanded = 0usize;
    let offsets = CharOffsets::new(text);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    loop {
        let (event, span) = match parser.next_event() {
            None => return Err(FormatError::file("the file holds no YAML document")),
            Some(Err(e)) => {
                let m = e.marker();
                return Err(FormatError::at(text, offsets.byte(m.index()), format!("not YAML: {}", e.info())));
            }
            Some(Ok(pair)) => pair,
        };
        let (start, end) = (offsets.byte(span.start.index()), offsets.byte(span.end.index()));
        let done = match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => None,
            Event::StreamEnd | Event::DocumentEnd => return Err(FormatError::file("the file holds no YAML document")),
            Event::Alias(id) if expand => {
                let Some(node) = anchors.get(&id) else { return Err(FormatError::at(text, start, "this alias names no anchor before it")) };
                expanded += node_count(node);
                if expanded > MAX_EXPANDED {
                    return Err(FormatError::at(text, start, format!("aliases here stand for more than {MAX_EXPANDED} nodes")));
                }
                Some(node.clone())
            }
            Event::Alias(_) => return Err(FormatError::at(text, start, "YAML aliases (`*name`) are not supported in templates")),
            Event::Scalar(value, style, anchor, tag) => {
                let style = match style {
                    ScalarStyle::Plain => Style::Plain,
                    ScalarStyle::SingleQuoted => Style::SingleQuoted,
                    ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
                    ScalarStyle::Literal => Style::Literal,
                    ScalarStyle::Folded => Style::Folded,
                };
                let end = match style {
                    Style::Literal | Style::Folded => start + text[start..end].trim_end().len(),
                    // The parser's span of a quoted scalar can run on over a comment after it.
                    Style::DoubleQuoted | Style::SingleQuoted => quoted_end(text, start, end),
                    _ => end,
                };
                let node = Tree { shape: Shape::Scalar(value.into_owned()), tag: tag.map(|t| tag_text(&t)), start, end, style };
                if expand && anchor != 0 {
                    anchors.insert(anchor, node.clone());
                }
                Some(node)
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(FormatError::at(text, start, format!("nested deeper than {MAX_DEPTH} levels")));
                }
                let flow = is_flow(text, &span, &offsets);
                let shape = if matches!(event, Event::MappingStart(..)) { Shape::Map(Vec::new()) } else { Shape::Seq(Vec::new()) };
                stack.push(Open {
                    tree: Tree { shape, tag: tag.as_ref().map(|t| tag_text(t)), start, end: start, style: if flow { Style::Flow } else { Style::Block } },
                    key: None,
                    anchor,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let mut open = stack.pop().ok_or_else(|| FormatError::at(text, start, "not YAML: an unexpected end of a collection"))?;
                open.tree.end = match open.tree.style {
                    Style::Flow => end,
                    // A block collection ends with its last child (the event comes at the next token).
                    _ => last_child_end(&open.tree).unwrap_or(open.tree.start),
                };
                if expand {
                    merge_keys(&mut open.tree);
                }
                if expand && open.anchor != 0 {
                    anchors.insert(open.anchor, open.tree.clone());
                }
                Some(open.tree)
            }
        };
        let Some(node) = done else { continue };
        match stack.last_mut() {
            None => return Ok(node),
            Some(parent) => parent.add(node, text)?,
        }
    }
}

/// A collection being read, the key read before its next value, and its anchor's id (0: none).
struct Open {
    tree: Tree,
    key: Option<Tree>,
    anchor: usize,
}

/// How many nodes `tree` holds, itself included.
fn node_count(tree: &Tree) -> usize {
    1 + match &tree.shape {
        Shape::Scalar(_) => 0,
        Shape::Seq(items) => items.iter().map(node_count).sum(),
        Shape::Map(entries) => entries.iter().map(|e| node_count(&e.value)).sum(),
    }
}

/// A mapping's `<<` entries replaced by the entries of the mapping (or mappings) they hold that
/// the mapping does not write itself.
fn merge_keys(tree: &mut Tree) {
    let Shape::Map(entries) = &mut tree.shape else { return };
    if !entries.iter().any(|e| e.key == "<<") {
        return;
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) = std::mem::take(entries).into_iter().partition(|e| e.key == "<<");
    for merge in merges {
        let sources: Vec<Tree> = match merge.value.shape {
            Shape::Seq(items) => items,
            _ => vec![merge.value],
        };
        for source in sources {
            if let Shape::Map(more) = source.shape {
                for entry in more {
                    if !own.iter().any(|e| e.key == entry.key) {
                        own.push(entry);
                    }
                }
            }
        }
    }
    *entries = own;
}

impl Open {
    fn add(&mut self, node: Tree, text: &str) -> Result<(), FormatError> {
        match &mut self.tree.shape {
            Shape::Seq(items) => items.push(node),
            Shape::Map(entries) => match self.key.take() {
                None => {
                    if node.is_collection() {
                        return Err(FormatError::at(text, node.start, "a mapping key must be a plain word or a quoted string"));
                    }
                    self.key = Some(node);
                }
                Some(key) => {
                    let Shape::Scalar(name) = key.shape else { unreachable!("keys are scalars") };
                    entries.push(Entry { key: name, key_start: key.start, key_end: key.end, value: node });
                }
            },
            Shape::Scalar(_) => unreachable!("only collections are open"),
        }
        Ok(())
    }
}

/// Just after the closing quote of the quoted scalar that opens at or after `start` (its tag
/// before it), within `..end`.
fn quoted_end(text: &str, start: usize, end: usize) -> usize {
    let slice = &text[start..end];
    let Some(open) = slice.find(['"', '\'']) else { return end };
    let quote = slice.as_bytes()[open];
    let bytes = slice.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return start + i + 1,
            _ => i += 1,
        }
    }
    end
}

fn last_child_end(tree: &Tree) -> Option<usize> {
    match &tree.shape {
        Shape::Map(entries) => entries.last().map(|e| e.value.end),
        Shape::Seq(items) => items.last().map(|t| t.end),
        Shape::Scalar(_) => None,
    }
}

/// Whether the collection starting at `span` is a flow one (`{`/`[` at the start, after a tag).
fn is_flow(text: &str, span: &Span, offsets: &CharOffsets) -> bool {
    let slice = text.get(offsets.byte(span.start.index())..offsets.byte(span.end.index())).unwrap_or("");
    slice.trim_end().ends_with(['{', '['])
}

fn tag_text(tag: &saphyr_parser::Tag) -> String {
    format!("{}{}", tag.handle, tag.suffix)
}

/// Character index → byte offset (saphyr's markers count characters).
struct CharOffsets {
    /// Byte offset of each character, when the text is not all ASCII.
    table: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let table = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharOffsets { table, len: text.len() }
    }

    fn byte(&self, index: usize) -> usize {
        match &self.table {
            None => index.min(self.len),
            Some(t) => t.get(index).copied().unwrap_or(self.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_keep_their_spans_tags_and_styles() {
        let text = "A:\n  B: !Sub |\n    x ${Y}\n  C: {D: [1, 'two']}\n  é: !GetAtt F.Arn\nZ: z\n";
        let root = read(text).unwrap();
        let a = root.get("A").unwrap();
        assert_eq!((a.style, a.source(text)), (Style::Block, "B: !Sub |\n    x ${Y}\n  C: {D: [1, 'two']}\n  é: !GetAtt F.Arn"));
        let b = a.get("B").unwrap();
        assert_eq!((b.tag.as_deref(), b.style, b.source(text)), (Some("!Sub"), Style::Literal, "!Sub |\n    x ${Y}"));
        assert_eq!(a.get("C").unwrap().source(text), "{D: [1, 'two']}");
        assert_eq!(a.get("é").unwrap().source(text), "!GetAtt F.Arn");
        assert_eq!(root.get("Z").unwrap().as_str(), Some("z"));
    }

    #[test]
    fn errors_are_located_and_aliases_refused() {
        let e = read("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(e.line >= 1 && e.message.starts_with("not YAML"), "{e}");
        let e = read("a: &x 1\nb: *x\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 4), "{e}");
        assert!(read("").is_err());
        assert!(read(&"[".repeat(10_000)).is_err());
    }

    #[test]
    fn a_serverless_service_s_aliases_and_merge_keys_are_expanded_and_bounded() {
        let text = "defaults: &defaults\n  memory: 512\n  timeout: 30\nlist: &names [a, b]\nfn:\n  <<: *defaults\n  timeout: 60\n  names: *names\n";
        let root = read_expanding_aliases(text).unwrap();
        let f = root.get("fn").unwrap();
        let keys: Vec<&str> = f.entries().iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["timeout", "names", "memory"]);
        let scalar = |key: &str| match &f.get(key).unwrap().shape {
            Shape::Scalar(v) => v.clone(),
            other => panic!("{key}: {other:?}"),
        };
        assert_eq!(scalar("timeout"), "60", "the mapping's own key wins");
        assert_eq!(scalar("memory"), "512");
        assert_eq!(f.get("names").unwrap().items().len(), 2);
        assert!(read(text).is_err(), "a template still refuses them");
        // A billion laughs is refused, located.
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (k, name) in ["b", "c", "d", "e", "f", "g"].iter().enumerate() {
            let prev = ["a", "b", "c", "d", "e", "f"][k];
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = read_expanding_aliases(&bomb).unwrap_err();
        assert!(e.message.contains("more than") && e.line > 1, "{e}");
    }
}
