//! The state machines of a CloudFormation template (JSON or YAML; SAM's and what `cdk synth`
//! writes included): every `AWS::StepFunctions::StateMachine` and `AWS::Serverless::StateMachine`
//! resource, its definition however it is written (`Definition`, `DefinitionString` as a
//! string, an `Fn::Sub` or an `Fn::Join`, `DefinitionUri`/`DefinitionS3Location` in another
//! file), and its placeholders with their values (`DefinitionSubstitutions`, the `Fn::Sub`'s
//! variables, the intrinsic functions in the definition).

use super::error::FormatError;
use super::placeholder::{self, Origin, Simulated, Substitution};
use super::tree::{self, Intrinsics, Shape, Style, Tree};
use super::{Encoding, Machine, Slot, Token};
use crate::asl::json::{WriteStyle, escape_pointer_token};

const STEP_FUNCTIONS: &str = "AWS::StepFunctions::StateMachine";
const SERVERLESS: &str = "AWS::Serverless::StateMachine";

/// Every state machine resource of the template `root` (read from `text`), in file order.
pub fn machines(root: &Tree, text: &str) -> Result<Vec<Machine>, FormatError> {
    let Some(resources) = root.get("Resources") else { return Ok(Vec::new()) };
    let params = Params { root, text };
    let mut out = Vec::new();
    for entry in resources.entries() {
        let kind = entry.value.get("Type").and_then(Tree::as_str);
        if !matches!(kind, Some(STEP_FUNCTIONS | SERVERLESS)) {
            continue;
        }
        let pointer = format!("/Resources/{}", escape_pointer_token(&entry.key));
        let machine = machine(&entry.key, &entry.value, text, &params).map_err(|e| e.under(&pointer))?;
        out.push(machine);
    }
    Ok(out)
}

fn machine(id: &str, resource: &Tree, text: &str, params: &Params) -> Result<Machine, FormatError> {
    let line = crate::asl::json::LineIndex::new(text).position(resource.start).line;
    let props = resource.get("Properties");
    let prop = |key: &str| props.and_then(|p| p.get(key));
    let name = prop("StateMachineName").or_else(|| prop("Name")).and_then(Tree::as_str).unwrap_or(id).to_string();
    let yaml = !text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    let mut listed = Vec::new();
    if let Some(map) = prop("DefinitionSubstitutions") {
        for e in map.entries() {
            let simulated = (e.value.is_collection() || e.value.tag.is_some()).then(|| params.simulate(&e.value));
            listed.push(Substitution { simulated, ..Substitution::new(e.key.clone(), value_text(&e.value, text), Origin::DefinitionSubstitutions) });
        }
    }
    let mut tokens = TokenMaker::new(text, params);
    let (definition, slot) = if let Some(def) = prop("Definition") {
        object_slot(def, "Definition", text, yaml, &mut tokens)?
    } else if let Some(def) = prop("DefinitionString") {
        definition_string(def, text, yaml, &mut listed, &mut tokens, params)?
    } else if let Some(uri) = prop("DefinitionUri").or_else(|| prop("DefinitionS3Location")) {
        (String::new(), Slot::External { path: location_text(uri, text) })
    } else {
        let at = props.map_or(resource.start, |p| p.start);
        return Err(FormatError::at(text, at, "this state machine has no `Definition`, `DefinitionString` or `DefinitionUri`"));
    };
    let substitutions = complete(listed, &tokens.tokens, &tokens.simulated, &definition);
    Ok(Machine { id: id.to_string(), name, definition, substitutions, line, slot })
}

/// A definition written as an object in the template (`Definition`, the Serverless Framework's
/// `definition`, named `field`): its JSON, each intrinsic function in it a placeholder.
fn object_slot(def: &Tree, field: &str, text: &str, yaml: bool, tokens: &mut TokenMaker) -> Result<(String, Slot), FormatError> {
    if !matches!(def.shape, Shape::Map(_)) || intrinsic(def).is_some() {
        return Err(FormatError::at(text, def.start, format!("`{field}` must be an object (the state machine's JSON, written as YAML or JSON)")));
    }
    let json = tree::to_json(def, text, tokens)?;
    let definition = crate::asl::json::write(&json, WriteStyle::Pretty);
    Ok((definition, Slot::Object { tree: def.clone(), tokens: tokens.tokens.clone(), json: !yaml }))
}

/// A state machine whose definition is the object `def` of a file that is no CloudFormation
/// template (the Serverless Framework's `stepFunctions`), `root` giving what its intrinsic
/// functions come to offline (the pseudo parameters; a `Ref` to anything else is a resource).
pub(super) fn object_machine(id: &str, name: &str, line: usize, def: &Tree, field: &str, root: &Tree, text: &str) -> Result<Machine, FormatError> {
    let params = Params { root, text };
    let yaml = !text.trim_start_matches('\u{feff}').trim_start().starts_with('{');
    let mut tokens = TokenMaker::new(text, &params);
    let (definition, slot) = object_slot(def, field, text, yaml, &mut tokens)?;
    let substitutions = complete(Vec::new(), &tokens.tokens, &tokens.simulated, &definition);
    Ok(Machine { id: id.to_string(), name: name.to_string(), definition, substitutions, line, slot })
}

/// `DefinitionString`: a string, an `Fn::Sub` or an `Fn::Join`.
fn definition_string(
    def: &Tree,
    text: &str,
    yaml: bool,
    listed: &mut Vec<Substitution>,
    tokens: &mut TokenMaker,
    params: &Params,
) -> Result<(String, Slot), FormatError> {
    match intrinsic(def) {
        None => string_slot(def, text),
        Some(("Fn::Sub", arg)) => {
            let string = match &arg.shape {
                Shape::Seq(items) if items.len() == 2 => {
                    for e in items[1].entries() {
                        let simulated = (e.value.is_collection() || e.value.tag.is_some()).then(|| params.simulate(&e.value));
                        listed.push(Substitution { simulated, ..Substitution::new(e.key.clone(), value_text(&e.value, text), Origin::SubVariable) });
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
                    let simulated = Some(if name.contains('.') { attribute_unknown(&name) } else { params.reference(&name) });
                    listed.push(Substitution { simulated, ..Substitution::new(name, value, Origin::Template) });
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
    /// What a run can put for each token, in the same order.
    simulated: Vec<Simulated>,
    params: &'a Params<'a>,
}

impl<'a> TokenMaker<'a> {
    fn new(text: &'a str, params: &'a Params<'a>) -> Self {
        TokenMaker { text, tokens: Vec::new(), simulated: Vec::new(), params }
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
        self.simulated.push(self.params.simulate(node));
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
    let root = if json { Tree::from_json(&crate::asl::json::read(text).map_err(|e| FormatError::at(text, e.offset, format!("not JSON: {}", e.message)))?) } else { super::yaml::read(text).or_else(|e| super::yaml::read_expanding_aliases(text).map_err(|_| e))? };
    let props = super::serverless::resource_blocks(&root).into_iter().find_map(|block| block.get("Resources").and_then(|r| r.get(id))).and_then(|r| r.get("Properties"));
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
fn complete(mut listed: Vec<Substitution>, tokens: &[Token], simulated: &[Simulated], definition: &str) -> Vec<Substitution> {
    for (t, sim) in tokens.iter().zip(simulated) {
        let name = t.placeholder[2..t.placeholder.len() - 1].to_string();
        if !listed.iter().any(|s| s.name == name) {
            let value = t.source.split_whitespace().collect::<Vec<_>>().join(" ");
            listed.push(Substitution { simulated: Some(sim.clone()), ..Substitution::new(name, value, Origin::Intrinsic) });
        }
    }
    for name in placeholder::names(definition) {
        if !listed.iter().any(|s| s.name == name) {
            listed.push(Substitution::new(name, String::new(), Origin::Unset));
        }
    }
    listed
}

/// The simulated pseudo parameters: the account and region every simulated ARN uses
/// (`asl::interp::ExecutionConfig`'s), the standard partition.
const PSEUDO: [(&str, &str); 6] = [
    ("AWS::Region", "us-east-1"),
    ("AWS::AccountId", "123456789012"),
    ("AWS::Partition", "aws"),
    ("AWS::URLSuffix", "amazonaws.com"),
    ("AWS::StackName", "statecraft-stack"),
    ("AWS::StackId", "arn:aws:cloudformation:us-east-1:123456789012:stack/statecraft-stack/00000000-0000-0000-0000-000000000000"),
];

fn attribute_unknown(name: &str) -> Simulated {
    Simulated { value: None, why: format!("{name} is known only once deployed") }
}

/// The template's `Parameters` and the pseudo parameters: what a `Ref`, an `Fn::Sub` or an
/// `Fn::Join` of them comes to offline.
struct Params<'a> {
    root: &'a Tree,
    text: &'a str,
}

impl Params<'_> {
    /// `Ref name`: a parameter's `Default`, a pseudo parameter's simulated value; else why not.
    fn reference(&self, name: &str) -> Simulated {
        if let Some((_, value)) = PSEUDO.iter().find(|(n, _)| *n == name) {
            return Simulated { value: Some(value.to_string()), why: format!("the simulated {name}") };
        }
        if name == "AWS::NoValue" || name == "AWS::NotificationARNs" {
            return Simulated { value: None, why: format!("{name} has no value to run with") };
        }
        let Some(param) = self.root.get("Parameters").and_then(|p| p.get(name)) else {
            return Simulated { value: None, why: format!("{name} is a resource, known only once deployed") };
        };
        let kind = param.get("Type").and_then(Tree::as_str).unwrap_or("");
        match param.get("Default") {
            // An SSM parameter's Default is the parameter's name, not its value.
            Some(_) if kind.starts_with("AWS::SSM::Parameter::Value") => {
                Simulated { value: None, why: format!("parameter {name} is read from SSM Parameter Store at deploy time") }
            }
            Some(d) if !d.is_collection() && d.tag.is_none() => Simulated { value: Some(value_text(d, self.text)), why: format!("the Default of parameter {name}") },
            _ => Simulated { value: None, why: format!("parameter {name} has no Default") },
        }
    }

    /// What `node` (a value in the template) comes to offline: a literal as itself, `Ref`,
    /// `Fn::Sub` and `Fn::Join` of what is known; else why not.
    fn simulate(&self, node: &Tree) -> Simulated {
        let mut why = Vec::new();
        match self.value(node, &mut why, 0) {
            Ok(value) => {
                let why = if why.is_empty() { "as written".to_string() } else { format!("from {}", why.join(" and ")) };
                Simulated { value: Some(value), why }
            }
            Err(unknown) => unknown,
        }
    }

    fn value(&self, node: &Tree, why: &mut Vec<String>, depth: usize) -> Result<String, Simulated> {
        let unknown = |why: String| Simulated { value: None, why };
        if depth > 16 {
            return Err(unknown("nested too deeply".into()));
        }
        let known = |s: Simulated, why: &mut Vec<String>| match s.value {
            Some(v) => {
                if !why.contains(&s.why) {
                    why.push(s.why);
                }
                Ok(v)
            }
            None => Err(s),
        };
        match intrinsic(node) {
            None => match &node.shape {
                Shape::Scalar(_) => Ok(value_text(node, self.text)),
                _ => Err(unknown("a list or map, not a string".into())),
            },
            Some(("Ref", arg)) => match arg.as_str() {
                Some(name) => known(self.reference(name), why),
                None => Err(unknown("a Ref without a name".into())),
            },
            Some(("Fn::GetAtt", arg)) => Err(attribute_unknown(&value_text(arg, self.text).replace([' ', '[', ']', '"'], "").replace(',', "."))),
            Some(("Fn::Sub", arg)) => {
                let (string, vars) = match &arg.shape {
                    Shape::Seq(items) if items.len() == 2 => (&items[0], Some(&items[1])),
                    _ => (arg, None),
                };
                let Some(string) = string.as_str() else { return Err(unknown("an Fn::Sub without a string".into())) };
                let mut out = String::new();
                let mut rest = string;
                while let Some(i) = rest.find("${") {
                    out.push_str(&rest[..i]);
                    let after = &rest[i + 2..];
                    let Some(close) = after.find('}') else { break };
                    let name = &after[..close];
                    if let Some(literal) = name.strip_prefix('!') {
                        out.push_str(&format!("${{{literal}}}"));
                    } else if let Some(var) = vars.and_then(|v| v.get(name)) {
                        out.push_str(&self.value(var, why, depth + 1)?);
                    } else if name.contains('.') {
                        return Err(attribute_unknown(name));
                    } else {
                        out.push_str(&known(self.reference(name), why)?);
                    }
                    rest = &after[close + 1..];
                }
                out.push_str(rest);
                Ok(out)
            }
            Some(("Fn::Join", arg)) => {
                let items = arg.items();
                let (Some(delimiter), Some(pieces)) = (items.first().and_then(Tree::as_str), items.get(1)) else {
                    return Err(unknown("an Fn::Join without a delimiter and pieces".into()));
                };
                let parts = pieces.items().iter().map(|p| self.value(p, why, depth + 1)).collect::<Result<Vec<_>, _>>()?;
                Ok(parts.join(delimiter))
            }
            Some((other, _)) => Err(unknown(format!("{other} is not worked out offline"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subs(template: &str) -> Vec<(String, Option<String>, String)> {
        let root = super::super::yaml::read(template).unwrap();
        let m = &machines(&root, template).unwrap()[0];
        m.substitutions.iter().map(|s| (s.name.clone(), s.run_value().map(str::to_string), s.note())).collect()
    }

    #[test]
    fn parameters_defaults_and_pseudo_parameters_give_runs_their_values() {
        let template = r#"Parameters:
  Stage: {Type: String, Default: dev}
  Retries: {Type: Number, Default: 3}
  Secret: {Type: String}
  Key: {Type: "AWS::SSM::Parameter::Value<String>", Default: /app/key}
Resources:
  Fn: {Type: AWS::Lambda::Function}
  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub
        - '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "${Stage} ${AWS::Region} ${Table} ${Arn} ${Secret} ${Fn.Arn} ${Key} ${AWS::AccountId} ${AWS::Partition}", "End": true}}}'
        - Table: !Sub "${Stage}-orders"
          Arn: !Join [":", ["arn", !Ref AWS::Partition, "sqs", !Ref AWS::Region, !Ref AWS::AccountId, !Sub "q-${Retries}-${!Literal}"]]
"#;
        let got = subs(template);
        let run = |name: &str| got.iter().find(|(n, _, _)| n == name).unwrap_or_else(|| panic!("{name}: {got:#?}"));
        assert_eq!(run("Table").1.as_deref(), Some("dev-orders"));
        assert_eq!(run("Table").2, "runs as dev-orders (from the Default of parameter Stage)");
        assert_eq!(run("Arn").1.as_deref(), Some("arn:aws:sqs:us-east-1:123456789012:q-3-${Literal}"));
        assert_eq!(run("Stage").1.as_deref(), Some("dev"));
        assert_eq!(run("AWS::Region").1.as_deref(), Some("us-east-1"));
        assert_eq!(run("AWS::Region").2, "runs as us-east-1 (the simulated AWS::Region)");
        assert_eq!(run("AWS::Partition").1.as_deref(), Some("aws"));
        assert_eq!(run("AWS::AccountId").1.as_deref(), Some("123456789012"));
        for (name, why) in [("Secret", "parameter Secret has no Default"), ("Fn.Arn", "Fn.Arn is known only once deployed"), ("Key", "read from SSM Parameter Store")] {
            assert_eq!(run(name).1, None, "{name}");
            assert!(run(name).2.starts_with("unknown offline (") && run(name).2.contains(why), "{name}: {}", run(name).2);
        }
    }
}
