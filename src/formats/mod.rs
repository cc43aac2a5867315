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
pub mod load;
pub mod placeholder;
pub mod project;
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
}

/// Reads `text` (named `file_name`) and finds its state machines. A file with none is an
/// error that says so.
pub fn open(file_name: &str, text: &str) -> Result<Opened, FormatError> {
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
        Format::Terraform => terraform::machines(text)?,
    };
    if machines.is_empty() {
        return Err(FormatError::file(format!("{file_name} is a {} but holds no state machine", format.describe())));
    }
    Ok(Opened { format, machines })
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
}

impl Openable {
    /// What the document opened from it remembers, to save back.
    pub fn source(&self) -> Source {
        Source::new(&self.file_name, self.format, &self.text, &self.machine).with_companion(self.companion.clone())
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
    let mut opened = Vec::new();
    for (file_name, text) in files {
        let o = open(file_name, text).map_err(|e| FormatError::file(format!("{file_name}: {e}")))?;
        opened.push((file_name.clone(), text.clone(), o));
    }
    let base = |path: &str| path.rsplit(['/', '\\']).next().unwrap_or(path).to_string();
    let locate = |_: &str, path: &str| opened.iter().position(|(f, _, other)| !other.format.is_template() && base(f) == base(path));
    let (found, _) = project::pair(&opened, locate, true);
    Ok(found.into_iter().map(|f| f.openable).collect())
}

/// A template with the definition of `machine` (read from `template`) replaced by `definition`
/// (ASL JSON, placeholders as [`open`] gave them). Only what differs is rewritten.
pub fn save(template: &str, machine: &Machine, definition: &str) -> Result<String, FormatError> {
    splice::save(template, machine, definition)
}

/// The file name a definition saved out of a template takes for `external` files.
fn stem(file_name: &str) -> String {
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

fn bare_json(file_name: &str, text: &str) -> Result<Machine, FormatError> {
    crate::asl::json::read(text).map_err(|e| syntax(text, e))?;
    let name = stem(file_name);
    let substitutions = placeholder::names(text)
        .into_iter()
        .map(|name| Substitution { name, value: String::new(), origin: Origin::Unset })
        .collect();
    Ok(Machine { id: name.clone(), name, definition: text.to_string(), substitutions, line: 1, slot: Slot::WholeJson })
}

fn bare_yaml(file_name: &str, text: &str) -> Result<Machine, FormatError> {
    let tree = yaml::read(text)?;
    let json = tree::to_json(&tree, text, &mut tree::NoIntrinsics)?;
    let definition = crate::asl::json::write(&json, crate::asl::json::WriteStyle::Pretty);
    let name = stem(file_name);
    let substitutions = placeholder::names(&definition)
        .into_iter()
        .map(|name| Substitution { name, value: String::new(), origin: Origin::Unset })
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
