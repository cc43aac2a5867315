//! The state machines of a CloudFormation template (JSON or YAML; SAM's and what `cdk synth`
//! writes included): every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine`
//! resource, its definition however it is written (`Definition`, `DefinitionString` as a
//! string, an `Fn::Sub` or an `Fn::Join`, `DefinitionUri`/`DefinitionS3Location` in another
//! file), and its placeholders with their values (`DefinitionSubstitutions`, the `Fn::Sub`'s
//! variables, the intrinsic functions in the definition).

use super::error::FormatError;
use super::placeholder::{self, Origin, Substitution};
use super::tree::{self, Intrinsics, Shape, Style, Tree};
use super::{Encoding, Machine, Slot, Token};
use crate::asl::json::{WriteStyle, escape_pointer_token};

const STEP_FUNCTIONS: &str = "AWS::StepFunctions::StateMachine";
const SERVERLESS: &str = "AWS::Serverless::StateMachine";

/// Every state machine resource of the template `root` (read from `text`), in file order.
pub fn machines(root: &Tree, text: &str) -> Result<Vec<Machine>, FormatError> {
    let Some(resources) = root.get("Resources") else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for entry in resources.entries() {
        let kind = entry.value.get("Type").and_then(Tree::as_str);
        if !matches!(kind, Some(STEP_FUNCTIONS | SERVERLESS)) {
            continue;
        }
        let pointer = format!("/Resources/{}", escape_pointer_token(&entry.key));
        let machine = machine(&entry.key, &entry.value, text).map_err(|e| e.under(&pointer))?;
        out.push(machine);
    }
    Ok(out)
}

fn machine(id: &str, resource: &Tree, text: &str) -> Result<Machine, FormatError> {
    let line = crate::asl::json::LineIndex::new(text).position(resource.start).line;
    let props = resource.get("Properties");
    let prop = |key: &str| props.and_then(|p| p.get(key));
    let name = prop("StateMachineName").or_else(|| prop("Name")).and_then(Tree::as_str).unwrap_or(id).to_string();
    let yaml = !text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    let mut listed = Vec::new();
    if let Some(map) = prop("DefinitionSubstitutions") {
        for e in map.entries() {
            listed.push(Substitution::new(e.key.clone(), value_text(&e.value, text), Origin::DefinitionSubstitutions));
        }
    }
    let mut tokens = TokenMaker::new(text);
    let (definition, slot) = if let Some(def) = prop("Definition") {
        if !matches!(def.shape, Shape::Map(_)) || intrinsic(def).is_some() {
            return Err(FormatError::at(text, def.start, "`Definition` must be an object (the state machine's JSON, written as YAML or JSON)"));
        }
        let json = tree::to_json(def, text, &mut tokens)?;
        let definition = crate::asl::json::write(&json, WriteStyle::Pretty);
        (definition, Slot::Object { tree: def.clone(), tokens: tokens.tokens.clone(), json: !yaml })
    } else if let Some(def) = prop("DefinitionString") {
        definition_string(def, text, yaml, &mut listed, &mut tokens)?
    } else if let Some(uri) = prop("DefinitionUri").or_else(|| prop("DefinitionS3Location")) {
        (String::new(), Slot::External { path: location_text(uri, text) })
    } else {
        let at = props.map_or(resource.start, |p| p.start);
        return Err(FormatError::at(text, at, "this state machine has no `Definition`, `DefinitionString` or `DefinitionUri`"));
    };
    let substitutions = complete(listed, &tokens.tokens, &definition);
    Ok(Machine { id: id.to_string(), name, definition, substitutions, line, slot })
}

/// `DefinitionString`: a string, an `Fn::Sub` or an `Fn::Join`.
fn definition_string(
    def: &Tree,
    text: &str,
    yaml: bool,
    listed: &mut Vec<Substitution>,
    tokens: &mut TokenMaker,
) -> Result<(String, Slot), FormatError> {
    match intrinsic(def) {
        None => string_slot(def, text),
        Some(("Fn::Sub", arg)) => {
            let string = match &arg.shape {
                Shape::Seq(items) if items.len() == 2 => {
                    for e in items[1].entries() {
                        listed.push(Substitution::new(e.key.clone(), value_text(&e.value, text), Origin::SubVariable));
                    }
                    &items[0]
                }
                Shape::Scalar(_) => arg,
                _ => return Err(FormatError::at(text, arg.start, "`Fn::Sub` takes a string, or a string and a map of variables")),
            };
            let (definition, slot) = string_slot(string, text)?;
            // Every other `${X}` of an Fn::Sub names a parameter, a resource or a pseudo parameter.
            for name in placeholder::names(&definition) {
                if !listed.iter().any(|s| s.name == name) {
                    let value = if name.contains('.') { format!("!GetAtt {name}") } else { format!("!Ref {name}") };
                    listed.push(Substitution::new(name, value, Origin::Template));
                }
            }
            Ok((definition, slot))
        }
        Some(("Fn::Join", arg)) => {
            let items = arg.items();
            let (Some(delimiter), Some(pieces)) = (items.first().and_then(Tree::as_str), items.get(1)) else {
                return Err(FormatError::at(text, arg.start, "`Fn::Join` takes a delimiter and a list of pieces"));
            };
            let pieces = pieces.items();
            let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
                return Err(FormatError::at(text, arg.start, "this `Fn::Join` has no pieces"));
            };
            let mut definition = String::new();
            for (k, piece) in pieces.iter().enumerate() {
                if k > 0 {
                    definition.push_str(delimiter);
                }
                match piece.as_str() {
                    Some(s) if piece.tag.is_none() => definition.push_str(s),
                    _ => match tokens.stand_in(piece) {
                        Some(p) => definition.push_str(&p),
                        None => return Err(FormatError::at(text, piece.start, "a piece of `Fn::Join` must be a string or an intrinsic function")),
                    },
                }
            }
            let separator = match pieces.get(1) {
                Some(second) => text[first.end..second.start].to_string(),
                None => if yaml { ", ".into() } else { ",\n".into() },
            };
            let slot = Slot::Join {
                start: first.start,
                end: last.end,
                delimiter: delimiter.to_string(),
                separator,
                yaml,
                tokens: tokens.tokens.clone(),
            };
            Ok((definition, slot))
        }
        Some((other, _)) => Err(FormatError::at(text, def.start, format!("a `DefinitionString` built with `{other}` cannot be edited here (only a string, `Fn::Sub` or `Fn::Join`)"))),
    }
}

/// A string node holding the definition.
fn string_slot(node: &Tree, text: &str) -> Result<(String, Slot), FormatError> {
    let Shape::Scalar(value) = &node.shape else {
        return Err(FormatError::at(text, node.start, "the definition string must be a string"));
    };
    let start = untagged_start(node, text);
    let slot = match node.style {
        Style::JsonString => Slot::Text { start, end: node.end, encoding: Encoding::JsonString },
        Style::Literal => {
            // The span starts at the `|` header, or (in some places) at the first content line:
            // the slot is the content lines, whole.
            let source = &text[start..node.end];
            let content = if source.starts_with(['|', '>']) {
                source.find('\n').map_or(node.end, |i| start + i + 1)
            } else {
                text[..start].rfind('\n').map_or(0, |i| i + 1)
            };
            let indent = text[content..node.end].lines().find(|l| !l.trim().is_empty()).map_or(2, |l| l.len() - l.trim_start().len());
            Slot::Text { start: content, end: node.end, encoding: Encoding::YamlLiteral { indent } }
        }
        _ => Slot::Text { start, end: node.end, encoding: Encoding::YamlScalar },
    };
    Ok((value.clone(), slot))
}

/// Where a tagged node's value starts (after `!Sub `).
fn untagged_start(node: &Tree, text: &str) -> usize {
    let source = &text[node.start..node.end];
    if node.tag.is_some() && source.starts_with('!') {
        let after_tag = source.find(char::is_whitespace).unwrap_or(source.len());
        let rest = &source[after_tag..];
        node.start + after_tag + (rest.len() - rest.trim_start().len())
    } else {
        node.start
    }
}

/// An intrinsic function, short form (`!Sub x`) or long (`{"Fn::Sub": x}`): its full name and
/// its argument.
pub fn intrinsic(node: &Tree) -> Option<(&'static str, &Tree)> {
    const NAMES: [&str; 16] = [
        "Ref", "Fn::Sub", "Fn::Join", "Fn::GetAtt", "Fn::If", "Fn::Select", "Fn::Split", "Fn::ImportValue", "Fn::FindInMap",
        "Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::Transform", "Fn::Equals", "Fn::ToJsonString", "Fn::Length",
    ];
    if let Some(tag) = &node.tag {
        let short = tag.strip_prefix('!')?;
        return NAMES.iter().find(|n| n.strip_prefix("Fn::").unwrap_or(n) == short).map(|n| (*n, node));
    }
    match node.entries() {
        [only] => NAMES.iter().find(|n| **n == only.key).map(|n| (*n, &only.value)),
        _ => None,
    }
}

/// Gives each intrinsic function met in a definition a placeholder: `${X}` for `Ref X`,
/// `${X.Attr}` for `Fn::GetAtt`, `${Token1}`... for the others.
struct TokenMaker<'a> {
    text: &'a str,
    tokens: Vec<Token>,
}

impl<'a> TokenMaker<'a> {
    fn new(text: &'a str) -> Self {
        TokenMaker { text, tokens: Vec::new() }
    }
}

impl Intrinsics for TokenMaker<'_> {
    fn stand_in(&mut self, node: &Tree) -> Option<String> {
        let (name, arg) = intrinsic(node)?;
        let source = node.source(self.text).to_string();
        if let Some(t) = self.tokens.iter().find(|t| t.source == source) {
            return Some(t.placeholder.clone());
        }
        let label = match name {
            "Ref" => arg.as_str().map(str::to_string),
            "Fn::GetAtt" => match &arg.shape {
                Shape::Scalar(s) => Some(s.clone()),
                Shape::Seq(items) => {
                    let parts: Option<Vec<&str>> = items.iter().map(Tree::as_str).collect();
                    parts.map(|p| p.join("."))
                }
                Shape::Map(_) => None,
            },
            _ => None,
        };
        let mut label = label.unwrap_or_else(|| format!("Token{}", self.tokens.len() + 1));
        if self.tokens.iter().any(|t| t.placeholder == format!("${{{label}}}")) {
            label = format!("{label}_{}", self.tokens.len() + 1);
        }
        let placeholder = format!("${{{label}}}");
        self.tokens.push(Token { placeholder: placeholder.clone(), source });
        Some(placeholder)
    }
}

/// A value as a person reads it: a string as itself, anything else as written (whitespace runs
/// folded to one space).
fn value_text(node: &Tree, text: &str) -> String {
    match (&node.shape, node.tag.is_none()) {
        (Shape::Scalar(s), true) => s.clone(),
        _ => node.source(text).split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// `text` (a template, JSON when `json`) with the literal values of the `DefinitionSubstitutions`
/// of the machine `id`, and of the variable map of its `Fn::Sub`, set to those of `values` where
/// they differ: only those scalars' bytes change. A value the template gives by an intrinsic function (`!GetAtt F.Arn`, `{"Ref": ...}`)
/// stays as it is, as does a value set to something that is not a literal, and a placeholder
/// the template gives no value.
pub fn write_substitutions(text: &str, json: bool, id: &str, values: &[Substitution]) -> Result<String, FormatError> {
    let root = if json { Tree::from_json(&crate::asl::json::read(text).map_err(|e| FormatError::at(text, e.offset, format!("not JSON: {}", e.message)))?) } else { super::yaml::read(text)? };
    let props = root.get("Resources").and_then(|r| r.get(id)).and_then(|r| r.get("Properties"));
    // The maps that give values: `DefinitionSubstitutions`, and the variables of a
    // `DefinitionString` built with `Fn::Sub` (`Fn::Sub: [template, {Var: value}]`, `!Sub`).
    let mut maps: Vec<(&Tree, Origin)> = Vec::new();
    if let Some(map) = props.and_then(|p| p.get("DefinitionSubstitutions")) {
        maps.push((map, Origin::DefinitionSubstitutions));
    }
    if let Some(("Fn::Sub", arg)) = props.and_then(|p| p.get("DefinitionString")).and_then(intrinsic)
        && let Shape::Seq(items) = &arg.shape
        && items.len() == 2
    {
        maps.push((&items[1], Origin::SubVariable));
    }
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    for (entry, origin) in maps.iter().flat_map(|(map, origin)| map.entries().iter().map(move |e| (e, *origin))) {
        let node = &entry.value;
        let Some(wanted) = values.iter().find(|v| v.name == entry.key && v.origin == origin) else { continue };
        let held = value_text(node, text);
        let literal = matches!(node.shape, Shape::Scalar(_)) && node.tag.is_none() && placeholder::is_literal(&held);
        if !literal || wanted.value == held || !wanted.is_literal() {
            continue;
        }
        let written = if json { serde_json::to_string(&wanted.value).unwrap_or_default() } else { crate::export::yaml::string_text(&wanted.value) };
        edits.push((node.start, node.end, written));
    }
    let mut out = text.to_string();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, written) in edits {
        out.replace_range(start..end, &written);
    }
    Ok(out)
}

/// `DefinitionUri` / `DefinitionS3Location`: a path, or an S3 location.
fn location_text(node: &Tree, text: &str) -> String {
    if let Some(s) = node.as_str() {
        return s.to_string();
    }
    match (node.get("Bucket").and_then(Tree::as_str), node.get("Key").and_then(Tree::as_str)) {
        (Some(b), Some(k)) => format!("s3://{b}/{k}"),
        _ => value_text(node, text),
    }
}

/// The substitutions listed, then the tokens, then every other placeholder of the definition
/// (without a value).
fn complete(mut listed: Vec<Substitution>, tokens: &[Token], definition: &str) -> Vec<Substitution> {
    for t in tokens {
        let name = t.placeholder[2..t.placeholder.len() - 1].to_string();
        if !listed.iter().any(|s| s.name == name) {
            let value = t.source.split_whitespace().collect::<Vec<_>>().join(" ");
            listed.push(Substitution::new(name, value, Origin::Intrinsic));
        }
    }
    for name in placeholder::names(definition) {
        if !listed.iter().any(|s| s.name == name) {
            listed.push(Substitution::new(name, String::new(), Origin::Unset));
        }
    }
    listed
}
