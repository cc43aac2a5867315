//! Terraform: the `aws_sfn_state_machine` resources of a `.tf` file, read by a located scanner
//! that knows just enough HCL (strings with `${...}`, heredocs, comments, nested brackets) to
//! find each block's `name` and `definition` and read the definition's expression:
//! `jsonencode({...})` (an HCL object, its bare references such as
//! `aws_lambda_function.x.arn` shown as `${aws_lambda_function.x.arn}`), a heredoc, a string,
//! or `templatefile("x.asl.json", {...})` / `file("x.asl.json")` (in another file; the
//! template's variables become the substitutions).

use super::error::FormatError;
use super::placeholder::{self, Origin, Substitution};
use super::{Encoding, Machine, Slot, Token};
use crate::asl::json::{Member, Node, Number, Span, Value};
use serde::{Deserialize, Serialize};

/// Every `aws_sfn_state_machine` of the file, in order.
pub fn machines(text: &str) -> Result<Vec<Machine>, FormatError> {
    machines_in_module(text, &[])
}

/// Every `aws_sfn_state_machine` of the file, its `var.x` and `local.x` given the values the
/// module's other files hold (`module`, as [`module_files`] orders them) as well as its own.
pub fn machines_in_module(text: &str, module: &[ValueFile]) -> Result<Vec<Machine>, FormatError> {
    Ok(located_machines(text, module)?.into_iter().map(|(m, _)| m).collect())
}

/// Another file of a Terraform module that gives values to the file holding the state
/// machine: a `.tf` (its variables' `default`s and its `locals`) or a variable definitions
/// file (`terraform.tfvars`, `*.auto.tfvars`, their `.json` forms, or one given as
/// `-var-file` would be), which sets `var.x`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValueFile {
    /// Its path, as opened.
    pub file_name: String,
    pub text: String,
}

impl ValueFile {
    /// A `.tf` is the module's; any other file holds variable values, as `-var-file` reads
    /// it: JSON when its name ends in `.json`, else HCL (a `-var-file` may be named anything,
    /// and a `--var NAME=VALUE` is given as one such file: [`var_argument`]).
    fn kind(&self) -> ValueFileKind {
        let lower = self.file_name.to_ascii_lowercase();
        if lower.ends_with(".tf") {
            ValueFileKind::Module
        } else if lower.ends_with(".json") {
            ValueFileKind::VarsJson
        } else {
            ValueFileKind::Vars
        }
    }
}

/// `NAME=VALUE` as Terraform's `-var` gives it, as a variable definitions file of one line
/// named `--var NAME` (what an error about it says). A number or `true`/`false` is that value;
/// a value starting with `{` or `[` is an HCL object or tuple, as Terraform reads one for a
/// variable of a complex type; anything else is the string as typed (`$${` kept literal).
pub fn var_argument(arg: &str) -> Result<ValueFile, FormatError> {
    let Some((name, value)) = arg.split_once('=') else {
        return Err(FormatError::file(format!("--var {arg}: expected NAME=VALUE")));
    };
    let name = name.trim();
    let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !identifier {
        return Err(FormatError::file(format!("--var {arg}: `{name}` is not a variable name (letters, digits, `_` and `-`, not starting with a digit)")));
    }
    let bare = matches!(value, "true" | "false") || serde_json::from_str::<serde_json::Number>(value).is_ok() || value.trim_start().starts_with(['{', '[']);
    let written = if bare { value.to_string() } else { hcl_string(value).replace("${", "$${") };
    let file = ValueFile { file_name: format!("--var {name}"), text: format!("{name} = {written}\n") };
    // An object or tuple that is not HCL is said now, named after the argument.
    let attributes = attributes(&file.text, 0, file.text.len()).map_err(|e| FormatError::file(format!("--var {name}: {}", e.message)))?;
    if bare && attributes.iter().all(|(_, at)| literal_at(&file.text, *at).is_none()) {
        return Err(FormatError::file(format!("--var {name}: `{value}` is not a value Terraform can read offline (an object or tuple of literals)")));
    }
    Ok(file)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueFileKind {
    /// A `.tf` of the module.
    Module,
    /// HCL variable definitions (`.tfvars`).
    Vars,
    /// JSON variable definitions (`.tfvars.json`).
    VarsJson,
}

/// Whether a path is a Terraform variable definitions file.
pub fn is_var_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".tfvars") || lower.ends_with(".tfvars.json")
}

/// Whether Terraform reads a variable definitions file by itself (`terraform.tfvars`,
/// `*.auto.tfvars` and their `.json`), rather than only when named with `-var-file`.
pub fn is_automatic_var_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path).to_ascii_lowercase();
    matches!(name.as_str(), "terraform.tfvars" | "terraform.tfvars.json") || name.ends_with(".auto.tfvars") || name.ends_with(".auto.tfvars.json")
}

/// The files of `paths` that give values to the Terraform file `main`, as Terraform applies
/// them (later ones win): the other `.tf` files of its folder (the module), then
/// `terraform.tfvars`, `terraform.tfvars.json`, and the `*.auto.tfvars(.json)` in name order;
/// then, when the folder holds exactly one other `.tfvars`, that one, as `-var-file` would
/// give it. The second part is what is said about the var files not used (several that only
/// `-var-file` reads: which one is meant is not known).
pub fn module_files<'a>(main: &str, paths: &[&'a str]) -> (Vec<&'a str>, Option<String>) {
    module_files_for(main, paths, false)
}

/// [`module_files`], when the variable files are `named` on the command line (`--var-file`)
/// or not: named, the folder's other `.tfvars` are not read (Terraform reads them only when
/// named), and what is named is applied after the automatic ones.
pub fn module_files_for<'a>(main: &str, paths: &[&'a str], named: bool) -> (Vec<&'a str>, Option<String>) {
    let folder = |p: &str| p.rfind(['/', '\\']).map_or(String::new(), |i| p[..i].to_string());
    let here = folder(main);
    let mut siblings: Vec<&str> = paths.iter().copied().filter(|p| *p != main && folder(p) == here).collect();
    siblings.sort();
    let mut out: Vec<&str> = siblings.iter().copied().filter(|p| p.to_ascii_lowercase().ends_with(".tf")).collect();
    let base = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_ascii_lowercase();
    for name in ["terraform.tfvars", "terraform.tfvars.json"] {
        out.extend(siblings.iter().copied().filter(|p| base(p) == name));
    }
    out.extend(siblings.iter().copied().filter(|p| is_automatic_var_file(p) && !base(p).starts_with("terraform.tfvars")));
    let others: Vec<&str> = siblings.iter().copied().filter(|p| is_var_file(p) && !is_automatic_var_file(p)).collect();
    if named {
        return (out, None);
    }
    match others[..] {
        [] => (out, None),
        [one] => {
            out.push(one);
            (out, None)
        }
        _ => {
            let note = format!(
                "Terraform reads {} only when named with -var-file, and which one is meant is not known: none of their values is used",
                others.join(", ")
            );
            (out, Some(note))
        }
    }
}

/// A top-level block: `resource "aws_sfn_state_machine" "x" { ... }`, `variable "x" {...}`,
/// `locals {...}`; its body is `body..end` (inside the braces).
struct Block {
    word: String,
    labels: Vec<String>,
    start: usize,
    body: usize,
    end: usize,
}

/// The file's top-level blocks, in order (attributes at the top level are stepped over).
fn blocks(text: &str) -> Result<Vec<Block>, FormatError> {
    let mut out = Vec::new();
    let mut s = Scanner { text, at: 0 };
    loop {
        s.skip_space(true)?;
        if s.at >= text.len() {
            return Ok(out);
        }
        let start = s.at;
        let word = s.word();
        if word.is_empty() {
            s.skip_value()?;
            s.advance_from(start);
            continue;
        }
        // A block: labels, then `{`.
        let mut labels = Vec::new();
        loop {
            s.skip_space(false)?;
            match s.peek() {
                Some(b'"') => labels.push(s.string()?.0),
                Some(b'{') => break,
                Some(b'=') => {
                    s.at += 1;
                    s.skip_space(false)?;
                    s.skip_value()?;
                    break;
                }
                _ => {
                    let w = s.word();
                    if w.is_empty() {
                        return Err(FormatError::at(text, s.at, "not Terraform: expected a block or an attribute"));
                    }
                    labels.push(w.to_string());
                }
            }
        }
        if s.peek() != Some(b'{') {
            continue;
        }
        let body = s.at + 1;
        s.skip_value()?;
        out.push(Block { word: word.to_string(), labels, start, body, end: s.at - 1 });
    }
}

/// The attributes `key = value` of a block's body, each with the scanner's position at its
/// value (nested blocks are stepped over).
fn attributes(text: &str, body: usize, end: usize) -> Result<Vec<(String, usize)>, FormatError> {
    let mut out = Vec::new();
    let mut s = Scanner { text: &text[..end], at: body };
    loop {
        s.skip_space(true)?;
        if s.at >= end {
            return Ok(out);
        }
        let before = s.at;
        let key = s.word().to_string();
        s.skip_space(false)?;
        if key.is_empty() || s.peek() != Some(b'=') {
            // A nested block or something else: step over it.
            if key.is_empty() {
                s.skip_value()?;
                s.advance_from(before);
            }
            continue;
        }
        s.at += 1;
        s.skip_space(false)?;
        out.push((key, s.at));
        s.skip_value()?;
    }
}

/// A literal the file writes for an expression (a quoted string without interpolation, a
/// number, `true`/`false`), where it is written: what a value edited in the page replaces.
#[derive(Debug, Clone, PartialEq)]
struct Literal {
    value: String,
    start: usize,
    end: usize,
    quoted: bool,
    /// The module's file it is written in (an index into the [`ValueFile`]s), `None` for the
    /// file holding the machine.
    file: Option<usize>,
    /// Written in a `.tfvars.json` (a JSON string, no Terraform escapes).
    json: bool,
}

/// The literal at `at`, if the expression there is one.
fn literal_at(text: &str, at: usize) -> Option<Literal> {
    let mut s = Scanner { text, at };
    if s.peek() == Some(b'"') {
        let (value, _) = s.string().ok()?;
        let interpolated = value.contains("${") || value.contains("%{");
        return (!interpolated).then_some(Literal { value, start: at, end: s.at, quoted: true, file: None, json: false });
    }
    if matches!(s.peek(), Some(b'{' | b'[')) {
        // An object or tuple of literals (what an unquoted `${x}` of a templatefile may stand
        // for): its JSON.
        let mut tokens = Vec::new();
        let node = s.value(&mut tokens, 0).ok()?;
        let value = crate::asl::json::write(&node, crate::asl::json::WriteStyle::Compact);
        return tokens.is_empty().then_some(Literal { value, start: at, end: s.at, quoted: false, file: None, json: false });
    }
    let expr = s.raw_expression().ok()?;
    let literal = matches!(expr, "true" | "false") || serde_json::from_str::<serde_json::Number>(expr).is_ok();
    literal.then(|| Literal { value: expr.to_string(), start: at, end: at + expr.len(), quoted: false, file: None, json: false })
}

/// The literals of a `.tfvars.json`: each member of its object, as `var.NAME`.
fn json_vars(text: &str) -> Result<Vec<(String, Literal)>, FormatError> {
    let root = crate::asl::json::read(text).map_err(|e| FormatError::at(text, e.offset, format!("not JSON: {}", e.message)))?;
    let Value::Object(members) = &root.value else {
        return Err(FormatError::at(text, root.span.start as usize, "a .tfvars.json holds an object of variable values"));
    };
    Ok(members
        .iter()
        .map(|m| {
            let (start, end) = (m.value.span.start as usize, m.value.span.end as usize);
            let (value, quoted) = match &m.value.value {
                Value::String(v) => (v.clone(), true),
                _ => (crate::asl::json::write(&m.value, crate::asl::json::WriteStyle::Compact), false),
            };
            (format!("var.{}", m.key), Literal { value, start, end, quoted, file: None, json: true })
        })
        .collect())
}

/// The values the file gives (its own variables' defaults and locals), then those of the
/// module's other files in the order Terraform applies them: a later `var.x` replaces an
/// earlier one (a `.tfvars` over a `default`). A value file that cannot be read is an error
/// naming it.
fn module_values(text: &str, blocks: &[Block], module: &[ValueFile]) -> Result<Vec<(String, Literal)>, FormatError> {
    let mut out = variables(text, blocks)?;
    for (i, file) in module.iter().enumerate() {
        let named = |e: FormatError| FormatError { message: format!("{}: {}", file.file_name, e.message), ..e };
        let found = match file.kind() {
            ValueFileKind::Module => blocks_of(&file.text).and_then(|b| variables(&file.text, &b)).map_err(named)?,
            ValueFileKind::Vars => attributes(&file.text, 0, file.text.len())
                .map_err(named)?
                .into_iter()
                .filter_map(|(key, at)| literal_at(&file.text, at).map(|lit| (format!("var.{key}"), lit)))
                .collect(),
            ValueFileKind::VarsJson => json_vars(&file.text).map_err(named)?,
        };
        for (name, lit) in found {
            let lit = Literal { file: Some(i), ..lit };
            match out.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) if file.kind() != ValueFileKind::Module => slot.1 = lit,
                Some(_) => {}
                None => out.push((name, lit)),
            }
        }
    }
    Ok(out)
}

/// [`blocks`], for where a variable of that name hides it.
fn blocks_of(text: &str) -> Result<Vec<Block>, FormatError> {
    blocks(text)
}

/// The literal values the file gives `var.NAME` (a `variable` block's `default`) and
/// `local.NAME` (an attribute of a `locals` block), by that name.
fn variables(text: &str, blocks: &[Block]) -> Result<Vec<(String, Literal)>, FormatError> {
    let mut out = Vec::new();
    for b in blocks {
        match (b.word.as_str(), b.labels.as_slice()) {
            ("variable", [name]) => {
                for (key, at) in attributes(text, b.body, b.end)? {
                    if key == "default"
                        && let Some(lit) = literal_at(&text[..b.end], at)
                    {
                        out.push((format!("var.{name}"), lit));
                    }
                }
            }
            ("locals", []) => {
                for (key, at) in attributes(text, b.body, b.end)? {
                    if let Some(lit) = literal_at(&text[..b.end], at) {
                        out.push((format!("local.{key}"), lit));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Every machine of the file with, for each placeholder whose value is a literal written in
/// the file, where that literal is.
fn located_machines(text: &str, module: &[ValueFile]) -> Result<Vec<(Machine, Vec<(String, Literal)>)>, FormatError> {
    let blocks = blocks(text)?;
    let variables = module_values(text, &blocks, module)?;
    let env = ModuleEnv::new(text, &blocks, module)?;
    let mut out = Vec::new();
    let locals: Vec<(String, usize, usize)> = blocks
        .iter()
        .filter(|b| b.word == "locals")
        .map(|b| attributes(text, b.body, b.end).map(|found| found.into_iter().map(|(key, at)| (key, at, b.end)).collect::<Vec<_>>()))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    let data = template_file_data(text, &blocks)?;
    for b in &blocks {
        if b.word == "resource" && b.labels.first().is_some_and(|l| l == "aws_sfn_state_machine") {
            let id = format!("aws_sfn_state_machine.{}", b.labels.get(1).cloned().unwrap_or_default());
            out.push(machine(text, id, b, &variables, &env, &locals, &data)?);
        } else if b.word == "module" && is_step_functions_module(text, b)? {
            let id = format!("module.{}", b.labels.first().cloned().unwrap_or_default());
            out.push(machine(text, id, b, &variables, &env, &locals, &data)?);
        }
    }
    Ok(out)
}

/// Whether a `module` block calls the registry's Step Functions module
/// (`terraform-aws-modules/step-functions/aws`, or its repository as a git source), whose
/// `name`, `definition` and `type` are the state machine's as `aws_sfn_state_machine`'s are.
fn is_step_functions_module(text: &str, b: &Block) -> Result<bool, FormatError> {
    for (key, at) in attributes(text, b.body, b.end)? {
        let mut s = Scanner { text: &text[..b.end], at };
        if key == "source" && s.peek() == Some(b'"') {
            let source = s.string()?.0;
            return Ok(source.starts_with("terraform-aws-modules/step-functions/") || source.contains("terraform-aws-step-functions"));
        }
    }
    Ok(false)
}

/// `text` with the literals behind the placeholders of the machine `id` set to `values` where
/// they differ (a `templatefile` map's string, a variable's `default`, a local, a `.tfvars`
/// value): only those literals' bytes change, in the file that holds each (`text`, or one of
/// the `module`'s files: those are given back changed, the others not). A value given by any
/// other expression stays as it is, as does a value set to something that is not a literal.
pub fn write_values_in_module(text: &str, id: &str, values: &[Substitution], module: &[ValueFile]) -> Result<(String, Vec<ValueFile>), FormatError> {
    let Some((_, located)) = located_machines(text, module)?.into_iter().find(|(m, _)| m.id == id) else {
        return Err(FormatError::file(format!("the Terraform file no longer holds {id}")));
    };
    let mut edits: Vec<(Option<usize>, usize, usize, String)> = Vec::new();
    for (name, lit) in located {
        let Some(wanted) = values.iter().find(|v| v.name == name && v.origin == Origin::Terraform) else { continue };
        if wanted.value == lit.value || !wanted.is_literal() || edits.iter().any(|e| e.0 == lit.file && e.1 == lit.start) {
            continue;
        }
        let bare = !lit.quoted && serde_json::from_str::<serde_json::Value>(&wanted.value).is_ok_and(|v| !v.is_string());
        let written = if bare {
            wanted.value.clone()
        } else if lit.json {
            serde_json::to_string(&wanted.value).unwrap_or_default()
        } else {
            // A literal `${` in a value is Terraform's `$${`.
            hcl_string(&wanted.value).replace("${", "$${")
        };
        edits.push((lit.file, lit.start, lit.end, written));
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.1));
    let apply = |file: Option<usize>, text: &str| {
        let mut out = text.to_string();
        for (_, start, end, written) in edits.iter().filter(|e| e.0 == file) {
            out.replace_range(*start..*end, written);
        }
        out
    };
    let changed = module
        .iter()
        .enumerate()
        .filter(|(i, _)| edits.iter().any(|e| e.0 == Some(*i)))
        .map(|(i, f)| ValueFile { file_name: f.file_name.clone(), text: apply(Some(i), &f.text) })
        .collect();
    Ok((apply(None, text), changed))
}

/// The module's files (`module`) that give a value to a placeholder of the machine `id` of
/// `text`, by name, in the module's order.
pub fn files_giving_values(text: &str, id: &str, module: &[ValueFile]) -> Vec<String> {
    let Ok(machines) = located_machines(text, module) else { return Vec::new() };
    let Some((_, located)) = machines.into_iter().find(|(m, _)| m.id == id) else { return Vec::new() };
    module.iter().enumerate().filter(|(i, _)| located.iter().any(|(_, l)| l.file == Some(*i))).map(|(_, f)| f.file_name.clone()).collect()
}

/// [`write_values_in_module`] for a file on its own.
pub fn write_values(text: &str, id: &str, values: &[Substitution]) -> Result<String, FormatError> {
    write_values_in_module(text, id, values, &[]).map(|(out, _)| out)
}

/// The machine of one resource block, its body at `body..end`.
fn machine(
    text: &str,
    id: String,
    block: &Block,
    variables: &[(String, Literal)],
    env: &ModuleEnv,
    locals: &[(String, usize, usize)],
    data: &[TemplateFileData],
) -> Result<(Machine, Vec<(String, Literal)>), FormatError> {
    let (start, body, end) = (block.start, block.body, block.end);
    let line = crate::asl::json::LineIndex::new(text).position(start).line;
    let (mut name, mut found) = (None, None);
    for (key, at) in attributes(text, body, end)? {
        let mut s = Scanner { text: &text[..end], at };
        match key.as_str() {
            "name" if s.peek() == Some(b'"') => name = Some(s.string()?.0),
            // `definition = local.x`: the local's own expression (a `templatefile` kept in
            // `locals`, as the registry module's examples write it).
            "definition" => match (local_definition(text, at, locals), rendered_template(text, at, data)) {
                (Some((local_at, local_end)), _) => found = Some(definition(&mut Scanner { text: &text[..local_end], at: local_at })?),
                // `data.template_file.x.rendered`: its `template` (a `file(...)`, a heredoc, a
                // string) filled in with its `vars`, as `templatefile(path, vars)` would be.
                (None, Some(d)) => {
                    let (content, slot, _, _) = definition(&mut Scanner { text: &text[..d.end], at: d.template })?;
                    let (subs, located) = match d.vars {
                        Some(vars) => template_vars(&mut Scanner { text: &text[..d.end], at: vars })?,
                        None => (Vec::new(), Vec::new()),
                    };
                    found = Some((content, slot, subs, located));
                }
                (None, None) => found = Some(definition(&mut s)?),
            },
            _ => {}
        }
    }
    let label = id.rsplit('.').next().unwrap_or(&id).to_string();
    let name = name.filter(|n| !placeholder::holds_placeholder(n)).unwrap_or(label);
    let Some((definition, slot, mut substitutions, mut located)) = found else {
        return Err(FormatError::at(text, start, format!("`{id}` has no `definition`")));
    };
    for n in placeholder::names(&definition) {
        if !substitutions.iter().any(|s: &Substitution| s.name == n) {
            substitutions.push(Substitution::new(n, String::new(), Origin::Unset));
        }
    }
    // A placeholder given by `var.x` or `local.x` (a templatefile's variable, a reference in
    // `jsonencode`, an interpolation in a heredoc) shows the literal the file gives it.
    for sub in &mut substitutions {
        let expr = if sub.value.is_empty() { sub.name.clone() } else { sub.value.clone() };
        if let Some((_, lit)) = variables.iter().find(|(n, _)| *n == expr) {
            sub.value = lit.value.clone();
            sub.origin = Origin::Terraform;
            sub.expression = false;
            located.push((sub.name.clone(), lit.clone()));
        }
    }
    // Any other expression (`"${local.prefix}-jobs"`, `lookup(var.tags, "team")`,
    // `aws_sqs_queue.jobs.url`) is worked out from the module's values when it can be, and
    // says why not when it cannot.
    for sub in &mut substitutions {
        if !sub.is_literal() {
            simulate(sub, env);
        }
    }
    Ok((Machine { id, name, definition, substitutions, line, slot }, located))
}

/// The `definition = ...` expression at the scanner.
#[allow(clippy::type_complexity)]
/// Where the expression of the local that `local.NAME` at `at` names starts, and where its
/// `locals` block ends, when the file holds it.
fn local_definition(text: &str, at: usize, locals: &[(String, usize, usize)]) -> Option<(usize, usize)> {
    let name = text[at..].strip_prefix("local.")?;
    let name: String = name.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
    locals.iter().find(|(key, _, _)| *key == name).map(|(_, local_at, end)| (*local_at, *end))
}

fn definition(s: &mut Scanner) -> Result<(String, Slot, Vec<Substitution>, Vec<(String, Literal)>), FormatError> {
    let text = s.text;
    if text[s.at..].starts_with("<<") {
        let (start, end) = s.heredoc()?;
        let content = text[start..end].to_string();
        return Ok((content, Slot::Text { start, end, encoding: Encoding::Heredoc }, Vec::new(), Vec::new()));
    }
    if s.peek() == Some(b'"') {
        let start = s.at;
        let (value, _) = s.string()?;
        return Ok((value, Slot::Text { start, end: s.at, encoding: Encoding::HclString }, Vec::new(), Vec::new()));
    }
    let call = s.word().to_string();
    s.skip_space(false)?;
    if call.is_empty() || s.peek() != Some(b'(') {
        return Err(FormatError::at(text, s.at, "the `definition` must be `jsonencode({...})`, `templatefile(...)`, `file(...)`, a heredoc or a string"));
    }
    s.at += 1;
    s.skip_space(true)?;
    match call.as_str() {
        "jsonencode" => {
            let mut tokens = Vec::new();
            let node = s.value(&mut tokens, 0)?;
            s.skip_space(true)?;
            s.expect(b')')?;
            let definition = crate::asl::json::write(&node, crate::asl::json::WriteStyle::Pretty);
            let subs = tokens
                .iter()
                .map(|t: &Token| Substitution { bare: true, expression: true, ..Substitution::new(t.placeholder[2..t.placeholder.len() - 1].to_string(), t.source.clone(), Origin::Terraform) })
                .collect();
            Ok((definition, Slot::Jsonencode { tree: super::tree::Tree::from_json(&node), tokens }, subs, Vec::new()))
        }
        "templatefile" | "file" => {
            let path = if s.peek() == Some(b'"') { s.string()?.0 } else { s.raw_expression()?.to_string() };
            let (mut subs, mut located) = (Vec::new(), Vec::new());
            s.skip_space(true)?;
            if call == "templatefile" && s.peek() == Some(b',') {
                s.at += 1;
                s.skip_space(true)?;
                (subs, located) = template_vars(s)?;
                s.skip_space(true)?;
            }
            s.expect(b')')?;
            let path = path.replace("${path.module}/", "");
            Ok((String::new(), Slot::External { path }, subs, located))
        }
        other => Err(FormatError::at(text, s.at, format!("a `definition` built with `{other}(...)` cannot be edited here"))),
    }
}

/// The variables of a template, from the map at the scanner (`templatefile`'s second argument,
/// a `template_file` data source's `vars`): each a substitution, with where its literal is.
#[allow(clippy::type_complexity)]
fn template_vars(s: &mut Scanner) -> Result<(Vec<Substitution>, Vec<(String, Literal)>), FormatError> {
    let (mut subs, mut located) = (Vec::new(), Vec::new());
    let mut tokens = Vec::new();
    let vars = s.value(&mut tokens, 0)?;
    for m in vars.as_object().unwrap_or(&[]) {
        let token = match &m.value.value {
            Value::String(v) => tokens.iter().find(|t| t.placeholder == *v),
            _ => None,
        };
        // A quoted string with interpolations is an expression, kept as written.
        let interpolated = matches!(&m.value.value, Value::String(v) if token.is_none() && interpolates(v));
        let value = match (&m.value.value, token) {
            (_, Some(t)) => t.source.clone(),
            _ if interpolated => s.text[m.value.span.start as usize..m.value.span.end as usize].to_string(),
            (Value::String(v), None) => v.clone(),
            _ => crate::asl::json::write(&m.value, crate::asl::json::WriteStyle::Compact),
        };
        if let Some(lit) = literal_at(s.text, m.value.span.start as usize) {
            located.push((m.key.clone(), lit));
        }
        // An expression (`aws_sqs_queue.jobs.url`) is not known offline, unless the
        // module gives it a value (`var.x`, `local.x`: resolved below).
        subs.push(Substitution { expression: token.is_some() || interpolated, ..Substitution::new(m.key.clone(), value, Origin::Terraform) });
    }
    Ok((subs, located))
}

/// A `data "template_file" "NAME"` block: where its `template` and `vars` expressions start,
/// and where the block ends.
struct TemplateFileData {
    name: String,
    template: usize,
    vars: Option<usize>,
    end: usize,
}

/// The `data "template_file"` blocks of a file (the template provider's way, before
/// `templatefile`, to fill a definition file in: `definition = data.template_file.x.rendered`).
fn template_file_data(text: &str, blocks: &[Block]) -> Result<Vec<TemplateFileData>, FormatError> {
    let mut out = Vec::new();
    for b in blocks.iter().filter(|b| b.word == "data" && b.labels.first().is_some_and(|l| l == "template_file")) {
        let (mut template, mut vars) = (None, None);
        for (key, at) in attributes(text, b.body, b.end)? {
            match key.as_str() {
                "template" => template = Some(at),
                "vars" => vars = Some(at),
                _ => {}
            }
        }
        if let (Some(template), Some(name)) = (template, b.labels.get(1)) {
            out.push(TemplateFileData { name: name.clone(), template, vars, end: b.end });
        }
    }
    Ok(out)
}

/// The `data.template_file.NAME.rendered` reference at `at`, and the block it names.
fn rendered_template<'a>(text: &str, at: usize, data: &'a [TemplateFileData]) -> Option<&'a TemplateFileData> {
    let rest = text[at..].strip_prefix("data.template_file.")?;
    let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-')).collect();
    rest[name.len()..].starts_with(".rendered").then_some(())?;
    data.iter().find(|d| d.name == name)
}

/// Whether an HCL string (as the scanner reads it, `${...}` kept) interpolates or holds a
/// directive: a `${` or `%{` that is not Terraform's escape `$${` / `%%{`.
fn interpolates(v: &str) -> bool {
    let bytes = v.as_bytes();
    (1..bytes.len()).any(|i| bytes[i] == b'{' && matches!(bytes[i - 1], b'$' | b'%') && (i < 2 || bytes[i - 2] != bytes[i - 1]))
}

/// What the module's variables and locals are worth, as expressions: `var.x` the last value
/// given (a `default`, then the `.tfvars` in the order Terraform applies them, a `--var`),
/// `local.x` its expression (which may read other values: worked out on demand, a cycle said
/// as such), `path.module`/`path.root` the module's folder, `terraform.workspace` `default`.
pub struct ModuleEnv {
    given: Vec<(String, Given)>,
    /// The names being worked out, to say a cycle instead of looping.
    visiting: std::cell::RefCell<Vec<String>>,
}

enum Given {
    /// HCL expression text.
    Hcl(String),
    /// A `.tfvars.json` value.
    Json(serde_json::Value),
}

impl ModuleEnv {
    fn new(text: &str, blocks: &[Block], module: &[ValueFile]) -> Result<ModuleEnv, FormatError> {
        let mut given: Vec<(String, Given)> = Vec::new();
        let mut give = |name: String, value: Given, replace: bool| match given.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) if replace => slot.1 = value,
            Some(_) => {}
            None => given.push((name, value)),
        };
        let module_blocks = |text: &str, blocks: &[Block], give: &mut dyn FnMut(String, Given, bool)| -> Result<(), FormatError> {
            for b in blocks {
                match (b.word.as_str(), b.labels.as_slice()) {
                    ("variable", [name]) => {
                        for (key, at) in attributes(text, b.body, b.end)? {
                            if key == "default" {
                                give(format!("var.{name}"), Given::Hcl(expression_text(&text[..b.end], at).to_string()), false);
                            }
                        }
                    }
                    ("locals", []) => {
                        for (key, at) in attributes(text, b.body, b.end)? {
                            give(format!("local.{key}"), Given::Hcl(expression_text(&text[..b.end], at).to_string()), false);
                        }
                    }
                    _ => {}
                }
            }
            Ok(())
        };
        module_blocks(text, blocks, &mut give)?;
        for file in module {
            match file.kind() {
                ValueFileKind::Module => {
                    // Unreadable files were said by `module_values` already.
                    if let Ok(b) = blocks_of(&file.text) {
                        module_blocks(&file.text, &b, &mut give)?;
                    }
                }
                ValueFileKind::Vars => {
                    for (key, at) in attributes(&file.text, 0, file.text.len()).unwrap_or_default() {
                        give(format!("var.{key}"), Given::Hcl(expression_text(&file.text, at).to_string()), true);
                    }
                }
                ValueFileKind::VarsJson => {
                    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(&file.text) {
                        for (key, value) in map {
                            give(format!("var.{key}"), Given::Json(value), true);
                        }
                    }
                }
            }
        }
        Ok(ModuleEnv { given, visiting: std::cell::RefCell::new(Vec::new()) })
    }
}

impl super::hcl_expr::Env for ModuleEnv {
    fn lookup(&self, root: &str, first: Option<&str>) -> Option<super::hcl_expr::Lookup> {
        self.value_of(root, first?).map(super::hcl_expr::Lookup::Pair)
    }
}

impl ModuleEnv {
    fn value_of(&self, root: &str, first: &str) -> Option<Result<serde_json::Value, super::hcl_expr::Unknown>> {
        use super::hcl_expr::Unknown;
        match (root, first) {
            ("path", "module" | "root" | "cwd") => return Some(Ok(serde_json::Value::from("."))),
            ("terraform", "workspace") => return Some(Ok(serde_json::Value::from("default"))),
            ("var" | "local", _) => {}
            _ => return None,
        }
        let name = format!("{root}.{first}");
        let (_, given) = self.given.iter().find(|(n, _)| *n == name)?;
        let text = match given {
            Given::Json(v) => return Some(Ok(v.clone())),
            Given::Hcl(text) => text,
        };
        if self.visiting.borrow().contains(&name) {
            return Some(Err(Unknown { why: format!("{name} refers to itself") }));
        }
        self.visiting.borrow_mut().push(name.clone());
        let value = match super::hcl_expr::parse(text) {
            Ok(expr) => super::hcl_expr::eval(&expr, self).map_err(|u| Unknown { why: if u.why.starts_with(&name) { u.why } else { format!("{name}: {}", u.why) } }),
            Err(e) => Err(Unknown { why: format!("{name} is not an expression read here ({})", e.message) }),
        };
        self.visiting.borrow_mut().pop();
        Some(value)
    }
}

/// The text of the expression at `at`: a heredoc, or up to the end of its line (brackets
/// balanced, as HCL ends an attribute).
fn expression_text(text: &str, at: usize) -> &str {
    let mut s = Scanner { text, at };
    let done = if text[at..].starts_with("<<") { s.heredoc().map(|_| ()) } else { s.raw_expression().map(|_| ()) };
    match done {
        Ok(()) => text[at..s.at].trim_end(),
        Err(_) => &text[at..],
    }
}

/// The variables a `templatefile` gives its definition file, by name: what `${upper(table)}`
/// or `${item.id}` in that file reads. A variable whose value is not known offline is said so.
pub struct TemplateVars<'a>(pub &'a [Substitution]);

impl super::hcl_expr::Env for TemplateVars<'_> {
    fn lookup(&self, root: &str, _: Option<&str>) -> Option<super::hcl_expr::Lookup> {
        let sub = self.0.iter().find(|s| s.name == root && s.origin == Origin::Terraform)?;
        let found = match sub.run_value() {
            // A value reads as JSON when it is one (a number, a map), else as text.
            Some(v) => Ok(serde_json::from_str::<serde_json::Value>(v).ok().filter(|j| !j.is_string()).unwrap_or_else(|| serde_json::Value::from(v))),
            None => Err(super::hcl_expr::Unknown {
                why: match &sub.simulated {
                    Some(placeholder::Simulated { why, .. }) => format!("{root}: {why}"),
                    None => format!("{root} is not known offline"),
                },
            }),
        };
        Some(super::hcl_expr::Lookup::Root(found))
    }
}

/// `sub` (an expression the template gives, `sub.value`, or a placeholder that is one,
/// `sub.name`) given the value a run uses when `env` knows what it reads, or why not.
pub fn simulate(sub: &mut Substitution, env: &dyn super::hcl_expr::Env) {
    use super::hcl_expr;
    let source = if sub.value.is_empty() { sub.name.clone() } else { sub.value.clone() };
    let simulated = match hcl_expr::parse(&source) {
        Ok(expr) => match hcl_expr::eval(&expr, env) {
            Ok(value) => {
                let read = references(&expr);
                let why = if read.is_empty() { "worked out offline".to_string() } else { format!("worked out from {}", read.join(", ")) };
                placeholder::Simulated { value: Some(hcl_expr::as_text(&value)), why }
            }
            Err(unknown) => placeholder::Simulated { value: None, why: unknown.why },
        },
        Err(e) => placeholder::Simulated { value: None, why: format!("not a Terraform expression read here: {}", e.message) },
    };
    if sub.origin == Origin::Unset && simulated.value.is_some() {
        sub.origin = Origin::Terraform;
    }
    sub.simulated = Some(simulated);
}

/// The `var.x` and `local.x` an expression reads, in order, once each.
fn references(expr: &super::hcl_expr::Expr) -> Vec<String> {
    use super::hcl_expr::{Expr, Part, Step};
    fn walk(e: &Expr, out: &mut Vec<String>) {
        let step = |s: &Step, out: &mut Vec<String>| {
            if let Step::Index(i) = s {
                walk(i, out);
            }
        };
        match e {
            Expr::Reference { root, steps } => {
                let name = match (root.as_str(), steps.first()) {
                    ("var" | "local", Some(Step::Attr(a))) => Some(format!("{root}.{a}")),
                    ("path" | "terraform", _) => None,
                    // A templatefile's variable.
                    _ => Some(root.clone()),
                };
                if let Some(name) = name.filter(|n| !out.contains(n)) {
                    out.push(name);
                }
                steps.iter().for_each(|s| step(s, out));
            }
            Expr::Index(base, steps) => {
                walk(base, out);
                steps.iter().for_each(|s| step(s, out));
            }
            Expr::Template(parts) => parts.iter().for_each(|p| {
                if let Part::Interpolation(e) = p {
                    walk(e, out);
                }
            }),
            Expr::Tuple(items) => items.iter().for_each(|i| walk(i, out)),
            Expr::Object(members) => members.iter().for_each(|(k, v)| {
                walk(k, out);
                walk(v, out);
            }),
            Expr::Call { args, .. } => args.iter().for_each(|a| walk(a, out)),
            Expr::Unary(_, a) => walk(a, out),
            Expr::Binary(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            Expr::Conditional(a, b, c) => {
                walk(a, out);
                walk(b, out);
                walk(c, out);
            }
            Expr::Literal(_) | Expr::Unsupported { .. } => {}
        }
    }
    let mut out = Vec::new();
    walk(expr, &mut out);
    out
}

/// `node` as an HCL object expression (what `jsonencode` takes), its lines after the first
/// indented by `indent`; strings that are a token's placeholder are the token's expression.
pub fn hcl_object(node: &Node, indent: &str, tokens: &[Token]) -> String {
    let mut out = String::new();
    write_hcl(node, indent, 0, tokens, &mut out);
    out
}

fn write_hcl(node: &Node, base: &str, depth: usize, tokens: &[Token], out: &mut String) {
    let pad = |d: usize| format!("{base}{}", "  ".repeat(d));
    match &node.value {
        Value::Object(members) if !members.is_empty() => {
            out.push_str("{\n");
            for m in members {
                out.push_str(&pad(depth + 1));
                out.push_str(&hcl_key(&m.key));
                out.push_str(" = ");
                write_hcl(&m.value, base, depth + 1, tokens, out);
                out.push('\n');
            }
            out.push_str(&pad(depth));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&pad(depth + 1));
                write_hcl(item, base, depth + 1, tokens, out);
                out.push_str(",\n");
            }
            out.push_str(&pad(depth));
            out.push(']');
        }
        Value::String(s) => match tokens.iter().find(|t| t.placeholder == *s) {
            Some(t) => out.push_str(&t.source),
            None => out.push_str(&hcl_string(s)),
        },
        _ => out.push_str(&crate::asl::json::write(node, crate::asl::json::WriteStyle::Compact)),
    }
}

/// An object key: bare when an identifier, else quoted.
pub fn hcl_key(key: &str) -> String {
    let bare = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { key.to_string() } else { hcl_string(key) }
}

/// A string as an HCL quoted string (its `${...}` kept as interpolations, `%{` escaped).
fn hcl_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default().replace("%{", "%%{")
}

/// A cursor over HCL text.
struct Scanner<'a> {
    text: &'a str,
    at: usize,
}

const MAX_DEPTH: usize = 256;

impl<'a> Scanner<'a> {
    /// Steps over one character when nothing was read since `from` (so no loop stalls).
    fn advance_from(&mut self, from: usize) {
        if self.at == from {
            self.at += self.text.get(self.at..).and_then(|r| r.chars().next()).map_or(1, char::len_utf8);
        }
    }

    /// Skips spaces, newlines, comments and the commas between members.
    fn skip_separators(&mut self) -> Result<(), FormatError> {
        loop {
            self.skip_space(true)?;
            if self.peek() != Some(b',') {
                return Ok(());
            }
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn expect(&mut self, b: u8) -> Result<(), FormatError> {
        if self.peek() == Some(b) {
            self.at += 1;
            Ok(())
        } else {
            Err(FormatError::at(self.text, self.at, format!("not Terraform: expected `{}`", b as char)))
        }
    }

    /// Skips spaces and comments (and newlines when `newlines`).
    fn skip_space(&mut self, newlines: bool) -> Result<(), FormatError> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() {
            match bytes[self.at] {
                b' ' | b'\t' | b'\r' => self.at += 1,
                b'\n' if newlines => self.at += 1,
                b'#' => self.skip_line(),
                b'/' if bytes.get(self.at + 1) == Some(&b'/') => self.skip_line(),
                b'/' if bytes.get(self.at + 1) == Some(&b'*') => match self.text[self.at + 2..].find("*/") {
                    Some(i) => self.at += i + 4,
                    None => return Err(FormatError::at(self.text, self.at, "not Terraform: a `/*` comment is never closed")),
                },
                _ => break,
            }
        }
        Ok(())
    }

    fn skip_line(&mut self) {
        self.at = self.text[self.at..].find('\n').map_or(self.text.len(), |i| self.at + i);
    }

    /// An identifier (letters, digits, `_`, `-`, `.`, `[`/`]` of an index kept out).
    fn word(&mut self) -> &'a str {
        let start = self.at;
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() && (bytes[self.at].is_ascii_alphanumeric() || matches!(bytes[self.at], b'_' | b'-' | b'.' | b'*')) {
            self.at += 1;
        }
        &self.text[start..self.at]
    }

    /// A quoted string: its value (escapes read, `${...}` kept as written) and its source.
    fn string(&mut self) -> Result<(String, &'a str), FormatError> {
        let start = self.at;
        self.at += 1;
        let mut value = String::new();
        loop {
            let Some(c) = self.text.get(self.at..).and_then(|r| r.chars().next()) else {
                return Err(FormatError::at(self.text, start, "not Terraform: a string is never closed"));
            };
            match c {
                '"' => {
                    self.at += 1;
                    return Ok((value, &self.text[start..self.at]));
                }
                '\n' => return Err(FormatError::at(self.text, start, "not Terraform: a string is never closed on its line")),
                '\\' => {
                    let Some(next) = self.text.get(self.at + 1..).and_then(|r| r.chars().next()) else {
                        return Err(FormatError::at(self.text, start, "not Terraform: a string is never closed"));
                    };
                    self.at += 1 + next.len_utf8();
                    match next {
                        'n' => value.push('\n'),
                        't' => value.push('\t'),
                        'r' => value.push('\r'),
                        'u' => {
                            let hex = self.text.get(self.at..self.at + 4).unwrap_or("");
                            match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                                Some(ch) => {
                                    value.push(ch);
                                    self.at += 4;
                                }
                                None => return Err(FormatError::at(self.text, self.at, "not Terraform: a `\\u` escape needs four hex digits")),
                            }
                        }
                        other => value.push(other),
                    }
                }
                '$' | '%' if self.text[self.at + 1..].starts_with('{') => {
                    let open = self.at;
                    self.at += 2;
                    self.balanced(b'}')?;
                    value.push_str(&self.text[open..self.at]);
                }
                _ => {
                    value.push(c);
                    self.at += c.len_utf8();
                }
            }
        }
    }

    /// Skips to just after the `close` that balances an opening already passed.
    fn balanced(&mut self, close: u8) -> Result<(), FormatError> {
        let start = self.at;
        let mut stack = vec![close];
        while let Some(&want) = stack.last() {
            let Some(b) = self.peek() else {
                return Err(FormatError::at(self.text, start.saturating_sub(1), format!("not Terraform: `{}` is never closed", want as char)));
            };
            match b {
                b'"' => {
                    self.string()?;
                    continue;
                }
                b'#' => {
                    self.skip_line();
                    continue;
                }
                b'{' => stack.push(b'}'),
                b'[' => stack.push(b']'),
                b'(' => stack.push(b')'),
                b'}' | b']' | b')' if b == want => {
                    stack.pop();
                }
                b'}' | b']' | b')' => return Err(FormatError::at(self.text, self.at, format!("not Terraform: `{}` where `{}` was expected", b as char, want as char))),
                _ => {}
            }
            if stack.len() > MAX_DEPTH {
                return Err(FormatError::at(self.text, self.at, "nested too deeply"));
            }
            self.at += self.text[self.at..].chars().next().map_or(1, char::len_utf8);
        }
        Ok(())
    }

    /// Skips one value or block body: balanced brackets, a string, a heredoc, or the rest of
    /// the line.
    fn skip_value(&mut self) -> Result<(), FormatError> {
        match self.peek() {
            Some(b'{') | Some(b'[') | Some(b'(') => {
                let close = match self.peek() {
                    Some(b'{') => b'}',
                    Some(b'[') => b']',
                    _ => b')',
                };
                self.at += 1;
                self.balanced(close)
            }
            Some(b'"') => self.string().map(|_| ()),
            Some(b'<') if self.text[self.at..].starts_with("<<") => self.heredoc().map(|_| ()),
            Some(_) => {
                self.raw_expression()?;
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// A heredoc at the cursor: the span of its content lines (without the last newline).
    fn heredoc(&mut self) -> Result<(usize, usize), FormatError> {
        let start = self.at;
        self.at += 2;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let marker = self.word().to_string();
        let Some(nl) = self.text[self.at..].find('\n') else {
            return Err(FormatError::at(self.text, start, "not Terraform: a heredoc needs its lines"));
        };
        let content = self.at + nl + 1;
        let mut line_start = content;
        while line_start <= self.text.len() {
            let line_end = self.text[line_start..].find('\n').map_or(self.text.len(), |i| line_start + i);
            if !marker.is_empty() && self.text[line_start..line_end].trim() == marker {
                self.at = line_end;
                return Ok((content, line_start.saturating_sub(1).max(content)));
            }
            if line_end >= self.text.len() {
                break;
            }
            line_start = line_end + 1;
        }
        Err(FormatError::at(self.text, start, format!("not Terraform: the heredoc `{marker}` is never closed")))
    }

    /// An expression up to the next `,`, newline or closing bracket at its own depth.
    fn raw_expression(&mut self) -> Result<&'a str, FormatError> {
        let start = self.at;
        while let Some(b) = self.peek() {
            match b {
                b',' | b'\n' | b'}' | b']' | b')' | b'#' => break,
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' | b'(' => self.skip_value()?,
                _ => self.at += self.text[self.at..].chars().next().map_or(1, char::len_utf8),
            }
        }
        Ok(self.text[start..self.at].trim_end())
    }

    /// An HCL value as JSON: objects, tuples, strings, numbers, `true`/`false`/`null`; any
    /// other expression becomes a `${...}` placeholder with its token.
    fn value(&mut self, tokens: &mut Vec<Token>, depth: usize) -> Result<Node, FormatError> {
        if depth > MAX_DEPTH {
            return Err(FormatError::at(self.text, self.at, "nested too deeply"));
        }
        self.skip_space(true)?;
        let start = self.at;
        let value = match self.peek() {
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                loop {
                    self.skip_separators()?;
                    match self.peek() {
                        Some(b'}') => {
                            self.at += 1;
                            break;
                        }
                        None => return Err(FormatError::at(self.text, start, "not Terraform: `{` is never closed")),
                        _ => {}
                    }
                    let key_start = self.at;
                    let key = match self.peek() {
                        Some(b'"') => self.string()?.0,
                        Some(b'(') => {
                            self.at += 1;
                            self.balanced(b')')?;
                            self.text[key_start + 1..self.at - 1].trim().to_string()
                        }
                        _ => {
                            let w = self.word();
                            if w.is_empty() {
                                return Err(FormatError::at(self.text, self.at, "not Terraform: expected a key"));
                            }
                            w.to_string()
                        }
                    };
                    let key_span = Span::new(key_start, self.at);
                    self.skip_space(false)?;
                    if !matches!(self.peek(), Some(b'=' | b':')) {
                        return Err(FormatError::at(self.text, self.at, format!("not Terraform: expected `=` after `{key}`")));
                    }
                    self.at += 1;
                    let value = self.value(tokens, depth + 1)?;
                    members.push(Member { key, key_span, value });
                }
                Value::Object(members)
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_separators()?;
                    match self.peek() {
                        Some(b']') => {
                            self.at += 1;
                            break;
                        }
                        None => return Err(FormatError::at(self.text, start, "not Terraform: `[` is never closed")),
                        _ => items.push(self.value(tokens, depth + 1)?),
                    }
                }
                Value::Array(items)
            }
            Some(b'"') => {
                let (s, _) = self.string()?;
                // A string that is only an interpolation of a reference is that reference.
                Value::String(s)
            }
            Some(b'<') if self.text[self.at..].starts_with("<<") => {
                let (s, e) = self.heredoc()?;
                Value::String(self.text[s..e].to_string())
            }
            _ => {
                let expr = self.raw_expression()?;
                if expr.is_empty() {
                    return Err(FormatError::at(self.text, self.at, "not Terraform: expected a value"));
                }
                match expr {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    _ if serde_json::from_str::<serde_json::Number>(expr).is_ok() => Value::Number(Number::from_text(expr)),
                    _ => {
                        let placeholder = format!("${{{expr}}}");
                        if !tokens.iter().any(|t| t.placeholder == placeholder) {
                            tokens.push(Token { placeholder: placeholder.clone(), source: expr.to_string() });
                        }
                        Value::String(placeholder)
                    }
                }
            }
        };
        Ok(Node { value, span: Span::new(start, self.at) })
    }
}
