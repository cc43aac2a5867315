//! The files workflows live in, and the state machines inside them.
//!
//! [`open`] recognises a file ([`detect`]), finds every state machine in it (a template can hold
//! several: each is a [`Machine`] with its logical id), and gives each definition as ASL JSON
//! text with its placeholders kept and listed ([`placeholder`]). [`save`] writes an edited
//! definition back into the same file by splicing: only the bytes of the definition change, and
//! within them only what differs ([`splice`]), in the file's own style; comments, key order,
//! other resources and intrinsic functions are kept.
//!
//! The stages: bytes → [`detect::Format`] → a located [`tree::Tree`] (`yaml`, or `asl::json`)
//! or, for Terraform, the located blocks of [`terraform`] → [`cloudformation`]'s machines →
//! the document; and back through [`splice`].

pub mod cloudformation;
pub mod detect;
pub mod error;
pub mod hcl_expr;
pub mod load;
pub mod offer;
pub mod placeholder;
pub mod project;
pub mod serverless;
pub mod source;
pub mod splice;
pub mod terraform;
pub mod tree;
pub mod yaml;

pub use detect::Format;
pub use error::FormatError;
pub use placeholder::{Origin, Substitution};
pub use source::{Companion, Source};

use tree::Tree;

/// One state machine found in a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// What identifies it in the file: the logical id, `aws_sfn_state_machine.<name>`, or the
    /// file's name for a bare definition.
    pub id: String,
    /// The document's name: `StateMachineName` / `name` when literal, else the id.
    pub name: String,
    /// The definition as ASL JSON, placeholders kept. Empty when it lives in another file
    /// ([`Machine::external`]).
    pub definition: String,
    pub substitutions: Vec<Substitution>,
    /// The 1-based line the resource starts at.
    pub line: usize,
    /// Where the definition is in the file and how it is written there.
    pub slot: Slot,
}

impl Machine {
    /// The file the definition lives in, when it is not in this one (`DefinitionUri`,
    /// Terraform's `templatefile`/`file`).
    pub fn external(&self) -> Option<&str> {
        match &self.slot {
            Slot::External { path } => Some(path),
            _ => None,
        }
    }
}

/// Where a definition sits in its file, and how to write it back.
#[derive(Debug, Clone, PartialEq)]
pub enum Slot {
    /// The whole file is the definition, as JSON.
    WholeJson,
    /// The whole file is the definition, as YAML (`.asl.yaml`): the document holds its JSON.
    WholeYaml { tree: Tree },
    /// An object (`Definition`), in a JSON template (`json`) or a YAML one (block or flow);
    /// the document holds its JSON. `tokens` are the intrinsic functions in it, shown as
    /// placeholders.
    Object { tree: Tree, tokens: Vec<Token>, json: bool },
    /// A string holding the definition's JSON (`DefinitionString`, an `Fn::Sub`'s string, a
    /// Terraform heredoc or string).
    Text { start: usize, end: usize, encoding: Encoding },
    /// The string pieces and tokens of an `Fn::Join` (what `cdk synth` writes): `start..end`
    /// spans the pieces, `separator` is what the file has between two of them.
    Join { start: usize, end: usize, delimiter: String, separator: String, yaml: bool, tokens: Vec<Token> },
    /// Terraform's `jsonencode({...})`: the HCL object expression, read as a tree (its bare
    /// references are `tokens`).
    Jsonencode { tree: Tree, tokens: Vec<Token> },
    /// In another file.
    External { path: String },
}

/// How a string holding a definition is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A JSON string literal, quotes included in the span.
    JsonString,
    /// A YAML literal block (`|`): the span is its content lines, indented by `indent` spaces.
    YamlLiteral { indent: usize },
    /// Any other YAML scalar: written back double-quoted.
    YamlScalar,
    /// A Terraform heredoc's lines, verbatim.
    Heredoc,
    /// A Terraform quoted string.
    HclString,
}

/// An intrinsic function (or Terraform expression) shown in the definition as a placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The placeholder, `${Name}`.
    pub placeholder: String,
    /// The source text it stands for, restored on save.
    pub source: String,
}

/// What a file holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    pub format: Format,
    pub machines: Vec<Machine>,
    /// The other files of a Terraform module that gave values to its `var.x` and `local.x`
    /// (empty for other formats, and for a file opened on its own).
    pub module: Vec<terraform::ValueFile>,
}

/// Reads `text` (named `file_name`) and finds its state machines. A file with none is an
/// error that says so.
pub fn open(file_name: &str, text: &str) -> Result<Opened, FormatError> {
    open_in_module(file_name, text, &[])
}

/// [`open`], a Terraform file taking the values of its module's other files (`module`, as
/// [`terraform::module_files`] orders them: variables' defaults, locals, `.tfvars`).
pub fn open_in_module(file_name: &str, text: &str, module: &[terraform::ValueFile]) -> Result<Opened, FormatError> {
    let format = detect::detect(file_name, text)?;
    let machines = match format {
        Format::AslJson => vec![bare_json(file_name, text)?],
        Format::AslYaml => vec![bare_yaml(file_name, text)?],
        Format::CloudFormationJson | Format::CloudFormationYaml => {
            let root = if format == Format::CloudFormationJson {
                Tree::from_json(&crate::asl::json::read(text).map_err(|e| syntax(text, e))?)
            } else {
                yaml::read(text)?
            };
            cloudformation::machines(&root, text)?
        }
        Format::Terraform => terraform::machines_in_module(text, module)?,
        Format::Serverless => {
            let root = if text.trim_start_matches('\u{feff}').trim_start().starts_with('{') {
                Tree::from_json(&crate::asl::json::read(text).map_err(|e| syntax(text, e))?)
            } else {
                yaml::read_expanding_aliases(text)?
            };
            serverless::machines(&root, text)?
        }
    };
    if machines.is_empty() {
        return Err(FormatError::file(format!("{file_name} is a {} but holds no state machine", format.describe())));
    }
    let module = if format == Format::Terraform { module.to_vec() } else { Vec::new() };
    Ok(Opened { format, machines, module })
}

/// One state machine ready to be a document: the file its definition is saved back into (its
/// name, text and format) and the machine in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Openable {
    pub file_name: String,
    pub text: String,
    pub format: Format,
    pub machine: Machine,
    /// The template naming this definition file and giving its values, when it was opened
    /// with it (Terraform's `templatefile`, SAM's `DefinitionUri`).
    pub companion: Option<Companion>,
    /// The Terraform module's other files that give its values (see [`Opened::module`]).
    pub module: Vec<terraform::ValueFile>,
}

/// How the page's chooser lists a state machine: what it is (`label`: the template's resource,
/// and its name when it differs) and where (`place`: the file and line, the file holding its
/// definition, the module's files that give its values).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Choice {
    pub label: String,
    pub place: String,
}

impl Openable {
    /// How the chooser lists it. A machine paired with its definition file is named after the
    /// template's resource (`aws_sfn_state_machine.poller`), not after the definition file it
    /// was read from, and said to be in the template.
    pub fn choice(&self) -> Choice {
        let m = &self.machine;
        let named = |id: &str| if m.name == id { id.to_string() } else { format!("{id} ({})", m.name) };
        let values = |template: &str, id: &str| {
            let used = terraform::files_giving_values(template, id, &self.module);
            if used.is_empty() { String::new() } else { format!(", values from {}", used.join(", ")) }
        };
        match (&self.companion, m.external()) {
            (Some(c), _) => {
                let line = open(&c.file_name, &c.template).ok().and_then(|o| o.machines.into_iter().find(|t| t.id == c.machine)).map(|t| t.line);
                let at = line.map_or(String::new(), |l| format!(", line {l}"));
                Choice { label: named(&c.machine), place: format!("{}{at}, definition in {}{}", c.file_name, self.file_name, values(&c.template, &c.machine)) }
            }
            (None, Some(path)) => Choice { label: named(&m.id), place: format!("{}, line {}, definition in {path}, not among the files chosen", self.file_name, m.line) },
            (None, None) => Choice { label: named(&m.id), place: format!("{}, line {}{}", self.file_name, m.line, values(&self.text, &m.id)) },
        }
    }

    /// What the document opened from it remembers, to save back.
    pub fn source(&self) -> Source {
        let mut source = Source::new(&self.file_name, self.format, &self.text, &self.machine).with_companion(self.companion.clone());
        source.value_files = self.module.clone();
        source
    }
}

/// Opens files chosen together (a template and the definition files it names: Terraform's
/// `templatefile("x.asl.json", {...})`, SAM's `DefinitionUri`), and gives every state machine
/// across them, in the order of the files. A machine whose definition lives in another of the
/// files takes it from there: the document is that file's definition (Save writes it), named
/// after the template's resource, with the template's values for its placeholders; that file
/// is not listed again on its own. A machine whose file is not among them stays external. A
/// file that cannot be read is an error naming it.
pub fn open_files(files: &[(String, String)]) -> Result<Vec<Openable>, FormatError> {
    open_files_in(files, None)
}

/// [`open_files`], a Terraform file among them taking its values from `module` when given
/// (the command line reads the module's folder), else from the files chosen with it.
pub fn open_files_in(files: &[(String, String)], module: Option<&[terraform::ValueFile]>) -> Result<Vec<Openable>, FormatError> {
    let mut opened = Vec::new();
    // Chosen together, files are one folder: a `.tf` takes the values of the others
    // (`variables.tf`, `terraform.tfvars`), which are not state machines themselves.
    let base = |path: &str| path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    let bases: Vec<String> = files.iter().map(|(f, _)| base(f)).collect();
    let names: Vec<&str> = bases.iter().map(String::as_str).collect();
    for (file_name, text) in files {
        if terraform::is_var_file(file_name) {
            continue;
        }
        let module = match (detect::detect(file_name, text), module) {
            (Ok(Format::Terraform), Some(given)) => given.to_vec(),
            (Ok(Format::Terraform), None) => module_of(&base(file_name), &names, files),
            _ => Vec::new(),
        };
        let o = match open_in_module(file_name, text, &module) {
            // A `.tf` without a state machine (`variables.tf`) is there for its values.
            Err(_) if !module.is_empty() && terraform::machines(text).is_ok_and(|m| m.is_empty()) => continue,
            o => o.map_err(|e| FormatError::file(format!("{file_name}: {e}")))?,
        };
        opened.push((file_name.clone(), text.clone(), o));
    }
    let locate = |_: &str, path: &str| opened.iter().position(|(f, _, other)| !other.format.is_template() && base(f) == base(path));
    let (found, _) = project::pair(&opened, locate, true);
    if found.is_empty() {
        let names: Vec<&str> = files.iter().map(|(f, _)| f.as_str()).collect();
        return Err(FormatError::file(format!("no state machine in {}", names.join(", "))));
    }
    Ok(found.into_iter().map(|f| f.openable).collect())
}

/// The files of `files` (whose names are `names`, in the same order) that give values to the
/// Terraform file named `main`, in the order Terraform applies them.
fn module_of(main: &str, names: &[&str], files: &[(String, String)]) -> Vec<terraform::ValueFile> {
    let (chosen, _) = terraform::module_files(main, names);
    chosen
        .into_iter()
        .filter_map(|n| names.iter().position(|m| *m == n))
        .map(|i| terraform::ValueFile { file_name: files[i].0.clone(), text: files[i].1.clone() })
        .collect()
}

/// A template with the definition of `machine` (read from `template`) replaced by `definition`
/// (ASL JSON, placeholders as [`open`] gave them). Only what differs is rewritten.
pub fn save(template: &str, machine: &Machine, definition: &str) -> Result<String, FormatError> {
    splice::save(template, machine, definition)
}

/// The file name a definition saved out of a template takes for `external` files.
/// A file's name without its folder and its definition or template extensions (`flow.asl.json`
/// → `flow`): the name of the document opened from it.
pub(crate) fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    let mut stem = base;
    for ext in [".json", ".yaml", ".yml", ".asl", ".template", ".tf"] {
        stem = stem.strip_suffix(ext).unwrap_or(stem);
    }
    stem.to_string()
}

fn syntax(text: &str, e: crate::asl::json::JsonSyntaxError) -> FormatError {
    FormatError::at(text, e.offset, format!("not JSON: {}", e.message))
}

/// Reads a JSON text that may hold placeholders outside its strings (a Terraform
/// `templatefile` definition: `"Seconds": ${wait}`): the tree (each such placeholder a string
/// node spanning it) and the placeholders. A text that is JSON has none; one that is neither
/// gets the JSON reader's error about the text as written.
pub(crate) fn read_templated_json(text: &str) -> Result<(crate::asl::json::Node, Vec<placeholder::BareSpot>), FormatError> {
    match crate::asl::json::read(text) {
        Ok(root) => Ok((root, Vec::new())),
        Err(e) => {
            let spots = placeholder::bare_spots(text);
            if spots.is_empty() {
                return Err(syntax(text, e));
            }
            let root = crate::asl::json::read(&placeholder::stand_in_text(text, &spots)).map_err(|e| syntax(text, e))?;
            Ok((root, spots))
        }
    }
}

fn bare_json(file_name: &str, text: &str) -> Result<Machine, FormatError> {
    let (root, spots) = read_templated_json(text)?;
    let name = stem(file_name);
    if spots.is_empty() {
        let substitutions = placeholder::names(text).into_iter().map(|name| Substitution::new(name, String::new(), Origin::Unset)).collect();
        return Ok(Machine { id: name.clone(), name, definition: text.to_string(), substitutions, line: 1, slot: Slot::WholeJson });
    }
    // The document holds each bare placeholder as the string `"${x}"`; saving writes it back
    // bare (a token whose source is the placeholder as the file writes it).
    let mut tree = Tree::from_json(&root);
    mark_bare(&mut tree, &spots);
    let tokens: Vec<Token> = spots.iter().map(|s| Token { placeholder: format!("${{{}}}", s.expr), source: text[s.start..s.end].to_string() }).collect();
    let definition = placeholder::quoted_text(text, &spots);
    let substitutions = placeholder::names(&definition)
        .into_iter()
        .map(|name| {
            let bare = spots.iter().any(|s| s.expr == name);
            Substitution { bare, ..Substitution::new(name, String::new(), Origin::Unset) }
        })
        .collect();
    Ok(Machine { id: name.clone(), name, definition, substitutions, line: 1, slot: Slot::Object { tree, tokens, json: true } })
}

/// The string nodes standing in for bare placeholders, given the placeholder as their value.
fn mark_bare(tree: &mut Tree, spots: &[placeholder::BareSpot]) {
    match &mut tree.shape {
        tree::Shape::Scalar(value) => {
            if let Some(s) = spots.iter().find(|s| s.start == tree.start && s.end == tree.end) {
                *value = format!("${{{}}}", s.expr);
            }
        }
        tree::Shape::Seq(items) => items.iter_mut().for_each(|t| mark_bare(t, spots)),
        tree::Shape::Map(entries) => entries.iter_mut().for_each(|e| mark_bare(&mut e.value, spots)),
    }
}

fn bare_yaml(file_name: &str, text: &str) -> Result<Machine, FormatError> {
    let tree = yaml::read(text)?;
    let json = tree::to_json(&tree, text, &mut tree::NoIntrinsics)?;
    let definition = crate::asl::json::write(&json, crate::asl::json::WriteStyle::Pretty);
    let name = stem(file_name);
    let substitutions = placeholder::names(&definition)
        .into_iter()
        .map(|name| Substitution::new(name, String::new(), Origin::Unset))
        .collect();
    Ok(Machine { id: name.clone(), name, definition, substitutions, line: 1, slot: Slot::WholeYaml { tree } })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_file_name() {
        assert_eq!(stem("dir/flow.asl.json"), "flow");
        assert_eq!(stem("order.asl.yaml"), "order");
    }
}
