//! Distributed Map: what a Map whose `ProcessorConfig.Mode` is `DISTRIBUTED` adds to an inline
//! one, compiled from the model's JSON (`ItemReader`, `ItemBatcher`, `ResultWriter`, `Label`,
//! `ExecutionType`), and the pure stages the Map state runs them through (`states/map.rs` does
//! the calling): reading items out of S3 objects ([`parse_object`]: JSON, JSON Lines, CSV with
//! its header and delimiter; [`manifest_files`]: an S3 inventory manifest; [`listed_object`]: a
//! listObjectsV2 entry as an item), batching them ([`batches`]), and the result files a
//! ResultWriter puts into S3 ([`result_files`], [`manifest`]).
//!
//! S3 itself is reached only through the interpreter's plug: the Map asks the handler registry
//! for `arn:aws:states:::s3:getObject`, `listObjectsV2` and `putObject`, as AWS's Map Run calls
//! S3. A field the simulator cannot honour (a PARQUET reader, an Athena manifest, an unknown
//! member) is kept as [`DistributedSpec::unsupported`] and fails the run at that state with a
//! cause naming it, never ignored.

use serde_json::{Map, Value};

use super::program::{CompileError, err, jsonata, path};
use crate::asl::jsonata::JsonataTemplate;
use crate::asl::model::{self, QueryLanguage};
use crate::asl::path::{JsonPath, Template};

/// A number setting that may be a literal, a JSONPath `…Path` field or a JSONata expression.
#[derive(Debug)]
pub enum Setting {
    Literal(f64),
    Path(JsonPath),
    Expression(JsonataTemplate),
}

/// A payload: `Parameters` (JSONPath) or `Arguments` (JSONata), or `BatchInput`.
#[derive(Debug)]
pub enum PayloadSpec {
    JsonPath(Template),
    Jsonata(JsonataTemplate),
}

/// What an ItemReader's objects hold (`ReaderConfig.InputType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    Json,
    Jsonl,
    Csv,
    Manifest,
}

/// Where a CSV reader finds its column names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvHeader {
    FirstRow,
    Given(Vec<String>),
}

/// Which S3 call the reader makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderCall {
    GetObject,
    ListObjectsV2,
}

/// A compiled `ItemReader`.
#[derive(Debug)]
pub struct ReaderSpec {
    pub resource: String,
    pub call: ReaderCall,
    pub parameters: Option<PayloadSpec>,
    /// None with listObjectsV2 (the objects' metadata are the items), unless LOAD_AND_FLATTEN.
    pub input_type: Option<InputType>,
    pub csv_header: CsvHeader,
    pub csv_delimiter: u8,
    /// listObjectsV2 with `Transformation: LOAD_AND_FLATTEN`: each listed object is read as
    /// `input_type` and its items are the Map's.
    pub load_and_flatten: bool,
    /// JSON objects: a JSON Pointer to the array inside (`ItemsPointer`).
    pub items_pointer: Option<String>,
    pub max_items: Option<Setting>,
}

/// A compiled `ItemBatcher`.
#[derive(Debug, Default)]
pub struct BatcherSpec {
    pub max_items_per_batch: Option<Setting>,
    pub max_input_bytes_per_batch: Option<Setting>,
    pub batch_input: Option<PayloadSpec>,
}

/// `WriterConfig.OutputType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputType {
    Json,
    Jsonl,
}

/// `WriterConfig.Transformation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transformation {
    None,
    Compact,
    Flatten,
}

/// A compiled `ResultWriter`.
#[derive(Debug)]
pub struct WriterSpec {
    /// `arn:aws:states:::s3:putObject` with its Bucket and Prefix; absent: WriterConfig only
    /// (the results are formatted into the state's output, nothing is written).
    pub resource: Option<String>,
    pub parameters: Option<PayloadSpec>,
    pub output_type: OutputType,
    pub transformation: Transformation,
}

/// Whether each child workflow is a STANDARD or an EXPRESS execution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChildType {
    Standard,
    Express,
}

/// What a Distributed Map adds to an inline one.
#[derive(Debug)]
pub struct DistributedSpec {
    pub child_type: ChildType,
    /// The Map Run's name in its ARN (`Label`, else the state's name).
    pub label: String,
    pub reader: Option<ReaderSpec>,
    pub batcher: Option<BatcherSpec>,
    pub writer: Option<WriterSpec>,
    /// What the simulator cannot honour; the Map fails with this cause when it runs.
    pub unsupported: Option<String>,
}

/// Collects what cannot be simulated, to fail with at run time.
struct Gaps(Vec<String>);

impl Gaps {
    fn note(&mut self, what: String) {
        self.0.push(what);
    }

    /// Members of `object` other than `known` are noted as not simulated.
    fn unknown_members(&mut self, object: &Map<String, Value>, known: &[&str], field: &str) {
        for key in object.keys().filter(|k| !known.contains(&k.as_str())) {
            self.note(format!("{field}.{key}"));
        }
    }
}

struct Compiling<'a> {
    pointer: &'a str,
    jsonata: bool,
    uses_context: &'a mut bool,
}

impl Compiling<'_> {
    fn payload(&mut self, value: &Value, field: &str) -> Result<PayloadSpec, CompileError> {
        let pointer = format!("{}/{field}", self.pointer);
        if self.jsonata {
            Ok(PayloadSpec::Jsonata(jsonata(value, field.rsplit('/').next().unwrap_or(field), &pointer, self.uses_context)?))
        } else {
            *self.uses_context = true;
            Template::compile(value).map(PayloadSpec::JsonPath).map_err(|e| err(&pointer, e.to_string()))
        }
    }

    /// A number field and its `…Path` twin (JSONPath), or the field as an expression (JSONata).
    fn setting(&mut self, object: &Map<String, Value>, field: &str, at: &str) -> Result<Option<Setting>, CompileError> {
        let pointer = format!("{}/{at}/{field}", self.pointer);
        if let Some(text) = object.get(&format!("{field}Path")).and_then(Value::as_str) {
            return path(text, &format!("{pointer}Path"), self.uses_context).map(|p| Some(Setting::Path(p)));
        }
        match object.get(field) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(Some(Setting::Literal(n.as_f64().unwrap_or(0.0)))),
            Some(Value::String(s)) if self.jsonata && model::is_jsonata_expression(s) => {
                jsonata(&Value::String(s.clone()), field, &pointer, self.uses_context).map(|t| Some(Setting::Expression(t)))
            }
            Some(other) => Err(err(&pointer, format!("{field} must be a number, not {other}"))),
        }
    }
}

/// Compiles what a Distributed Map adds; `None` for an inline Map.
pub(super) fn compile(
    map: &model::Map,
    state_name: &str,
    language: QueryLanguage,
    pointer: &str,
    uses_context: &mut bool,
) -> Result<Option<DistributedSpec>, CompileError> {
    let config = map.processor().and_then(|p| p.processor_config.as_ref());
    if config.and_then(|c| c.mode.as_deref()) != Some("DISTRIBUTED") {
        return Ok(None);
    }
    let mut gaps = Gaps(Vec::new());
    let child_type = match config.and_then(|c| c.execution_type.as_deref()) {
        Some("EXPRESS") => ChildType::Express,
        _ => ChildType::Standard,
    };
    let mut c = Compiling { pointer, jsonata: language == QueryLanguage::Jsonata, uses_context };
    let reader = match map.item_reader.as_ref().map(|p| p.to_serde()) {
        Some(Value::Object(object)) => Some(compile_reader(&object, &mut c, &mut gaps)?),
        Some(_) => return Err(err(&format!("{pointer}/ItemReader"), "ItemReader must be an object")),
        None => None,
    };
    let batcher = match map.item_batcher.as_ref().map(|p| p.to_serde()) {
        Some(Value::Object(object)) => {
            gaps.unknown_members(&object, &["MaxItemsPerBatch", "MaxItemsPerBatchPath", "MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath", "BatchInput"], "ItemBatcher");
            Some(BatcherSpec {
                max_items_per_batch: c.setting(&object, "MaxItemsPerBatch", "ItemBatcher")?,
                max_input_bytes_per_batch: c.setting(&object, "MaxInputBytesPerBatch", "ItemBatcher")?,
                batch_input: object.get("BatchInput").map(|v| c.payload(v, "ItemBatcher/BatchInput")).transpose()?,
            })
        }
        Some(_) => return Err(err(&format!("{pointer}/ItemBatcher"), "ItemBatcher must be an object")),
        None => None,
    };
    let writer = match map.result_writer.as_ref().map(|p| p.to_serde()) {
        Some(Value::Object(object)) => Some(compile_writer(&object, &mut c, &mut gaps)?),
        Some(_) => return Err(err(&format!("{pointer}/ResultWriter"), "ResultWriter must be an object")),
        None => None,
    };
    let unsupported = (!gaps.0.is_empty()).then(|| {
        format!("Statecraft does not simulate {} of a Distributed Map; the run stops here rather than ignore it.", gaps.0.join(", "))
    });
    Ok(Some(DistributedSpec { child_type, label: map.label.clone().unwrap_or_else(|| state_name.to_string()), reader, batcher, writer, unsupported }))
}

fn compile_reader(object: &Map<String, Value>, c: &mut Compiling, gaps: &mut Gaps) -> Result<ReaderSpec, CompileError> {
    gaps.unknown_members(object, &["Resource", "Parameters", "Arguments", "ReaderConfig"], "ItemReader");
    let resource = object.get("Resource").and_then(Value::as_str).unwrap_or_default().to_string();
    let call = match resource.as_str() {
        "arn:aws:states:::s3:getObject" => ReaderCall::GetObject,
        "arn:aws:states:::s3:listObjectsV2" => ReaderCall::ListObjectsV2,
        other => {
            gaps.note(format!("ItemReader.Resource {other}"));
            ReaderCall::GetObject
        }
    };
    let parameters = match (object.get("Parameters"), object.get("Arguments")) {
        (Some(v), _) => Some(c.payload(v, "ItemReader/Parameters")?),
        (None, Some(v)) => Some(c.payload(v, "ItemReader/Arguments")?),
        (None, None) => None,
    };
    let empty = Map::new();
    let config = object.get("ReaderConfig").and_then(Value::as_object).unwrap_or(&empty);
    gaps.unknown_members(
        config,
        &["InputType", "CSVHeaderLocation", "CSVHeaders", "CSVDelimiter", "MaxItems", "MaxItemsPath", "Transformation", "ItemsPointer", "ManifestType"],
        "ItemReader.ReaderConfig",
    );
    let input_type = match config.get("InputType").and_then(Value::as_str) {
        None => None,
        Some("JSON") => Some(InputType::Json),
        Some("JSONL") => Some(InputType::Jsonl),
        Some("CSV") => Some(InputType::Csv),
        Some("MANIFEST") => Some(InputType::Manifest),
        Some(other) => {
            gaps.note(format!("ItemReader.ReaderConfig.InputType {other}"));
            None
        }
    };
    if let Some(kind) = config.get("ManifestType").and_then(Value::as_str).filter(|k| *k != "S3_INVENTORY") {
        gaps.note(format!("ItemReader.ReaderConfig.ManifestType {kind}"));
    }
    let load_and_flatten = match config.get("Transformation").and_then(Value::as_str) {
        None | Some("NONE") => false,
        Some("LOAD_AND_FLATTEN") => true,
        Some(other) => {
            gaps.note(format!("ItemReader.ReaderConfig.Transformation {other}"));
            false
        }
    };
    let csv_header = match config.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => {
            let headers = config.get("CSVHeaders").and_then(Value::as_array).map(|h| h.iter().filter_map(Value::as_str).map(str::to_string).collect());
            match headers {
                Some(h) => CsvHeader::Given(h),
                None => return Err(err(&format!("{}/ItemReader/ReaderConfig/CSVHeaders", c.pointer), "CSVHeaderLocation GIVEN needs CSVHeaders, an array of strings")),
            }
        }
        _ => CsvHeader::FirstRow,
    };
    let csv_delimiter = match config.get("CSVDelimiter").and_then(Value::as_str) {
        None | Some("COMMA") => b',',
        Some("PIPE") => b'|',
        Some("SEMICOLON") => b';',
        Some("SPACE") => b' ',
        Some("TAB") => b'\t',
        Some(other) => {
            gaps.note(format!("ItemReader.ReaderConfig.CSVDelimiter {other}"));
            b','
        }
    };
    Ok(ReaderSpec {
        resource,
        call,
        parameters,
        input_type,
        csv_header,
        csv_delimiter,
        load_and_flatten,
        items_pointer: config.get("ItemsPointer").and_then(Value::as_str).map(str::to_string),
        max_items: c.setting(config, "MaxItems", "ItemReader/ReaderConfig")?,
    })
}

fn compile_writer(object: &Map<String, Value>, c: &mut Compiling, gaps: &mut Gaps) -> Result<WriterSpec, CompileError> {
    gaps.unknown_members(object, &["Resource", "Parameters", "Arguments", "WriterConfig"], "ResultWriter");
    let resource = object.get("Resource").and_then(Value::as_str).map(str::to_string);
    if let Some(other) = resource.as_deref().filter(|r| *r != "arn:aws:states:::s3:putObject") {
        gaps.note(format!("ResultWriter.Resource {other}"));
    }
    let parameters = match (object.get("Parameters"), object.get("Arguments")) {
        (Some(v), _) => Some(c.payload(v, "ResultWriter/Parameters")?),
        (None, Some(v)) => Some(c.payload(v, "ResultWriter/Arguments")?),
        (None, None) => None,
    };
    let config = object.get("WriterConfig").and_then(Value::as_object);
    if let Some(config) = config {
        gaps.unknown_members(config, &["OutputType", "Transformation"], "ResultWriter.WriterConfig");
    }
    let output_type = match config.and_then(|c| c.get("OutputType")).and_then(Value::as_str) {
        None | Some("JSON") => OutputType::Json,
        Some("JSONL") => OutputType::Jsonl,
        Some(other) => {
            gaps.note(format!("ResultWriter.WriterConfig.OutputType {other}"));
            OutputType::Json
        }
    };
    // Exported results default to NONE; a WriterConfig without a Transformation too.
    let transformation = match config.and_then(|c| c.get("Transformation")).and_then(Value::as_str) {
        None | Some("NONE") => Transformation::None,
        Some("COMPACT") => Transformation::Compact,
        Some("FLATTEN") => Transformation::Flatten,
        Some(other) => {
            gaps.note(format!("ResultWriter.WriterConfig.Transformation {other}"));
            Transformation::None
        }
    };
    Ok(WriterSpec { resource, parameters, output_type, transformation })
}

/// The items of one object's text, read as `input_type`. Errors are the reader's cause.
pub fn parse_object(spec: &ReaderSpec, input_type: InputType, key: &str, body: &str) -> Result<Vec<Value>, String> {
    match input_type {
        InputType::Json => {
            let value: Value = serde_json::from_str(body).map_err(|e| format!("The object '{key}' is not JSON (line {}, column {}): {e}", e.line(), e.column()))?;
            let value = match &spec.items_pointer {
                Some(pointer) => value.pointer(pointer).cloned().ok_or_else(|| format!("ItemsPointer '{pointer}' points to nothing in the object '{key}'."))?,
                None => value,
            };
            match value {
                Value::Array(items) => Ok(items),
                // AWS's cause, word for word (`test_map_item_reader_json_no_json_list_object`).
                _ => Err(NOT_ITERABLE.to_string()),
            }
        }
        InputType::Jsonl => body
            .lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(n, line)| serde_json::from_str(line).map_err(|e| format!("Line {} of the object '{key}' is not JSON: {e}", n + 1)))
            .collect(),
        InputType::Csv => parse_csv(body, &spec.csv_header, spec.csv_delimiter, key),
        InputType::Manifest => Err(format!("The object '{key}' is a manifest; it lists files rather than holding items.")),
    }
}

/// AWS's cause when a JSON object's items are not an array.
pub const NOT_ITERABLE: &str = "Attempting to map over non-iterable node.";
/// AWS's cause when a CSV header names a column twice.
pub const DUPLICATE_HEADERS: &str = "CSV headers cannot contain duplicates.";

/// CSV rows as objects keyed by the header; every value stays a string, as AWS gives it. A row
/// longer than the header loses its extra fields, a shorter one has `""` for the missing ones
/// (AWS, `test_map_item_reader_csv_headers_decl_extra_fields`, `..._first_row_extra_fields`,
/// `..._headers_first_line`); a header naming a column twice fails the reader.
pub fn parse_csv(body: &str, header: &CsvHeader, delimiter: u8, key: &str) -> Result<Vec<Value>, String> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(body.as_bytes());
    let mut rows = reader.records();
    let names: Vec<String> = match header {
        CsvHeader::Given(names) => names.clone(),
        CsvHeader::FirstRow => match rows.next() {
            Some(row) => row.map_err(|e| format!("The object '{key}' is not CSV: {e}"))?.iter().map(str::to_string).collect(),
            None => return Ok(Vec::new()),
        },
    };
    if names.iter().enumerate().any(|(i, name)| names[..i].contains(name)) {
        return Err(DUPLICATE_HEADERS.to_string());
    }
    let mut items = Vec::new();
    for row in rows {
        let row = row.map_err(|e| format!("The object '{key}' is not CSV: {e}"))?;
        let field = |i: usize| Value::String(row.get(i).unwrap_or_default().to_string());
        items.push(Value::Object(names.iter().enumerate().map(|(i, name)| (name.clone(), field(i))).collect()));
    }
    Ok(items)
}

/// An S3 inventory manifest: the bucket its files are in, their keys, and the CSV header
/// (`fileSchema`) their rows have.
pub fn manifest_files(body: &str, key: &str) -> Result<(String, Vec<String>, CsvHeader), String> {
    let manifest: Value = serde_json::from_str(body).map_err(|e| format!("The manifest '{key}' is not JSON: {e}"))?;
    match manifest.get("fileFormat").and_then(Value::as_str) {
        Some("CSV") => {}
        other => return Err(format!("The manifest '{key}' has fileFormat {}; Statecraft simulates CSV inventories only.", other.unwrap_or("(none)"))),
    }
    let bucket = manifest.get("destinationBucket").and_then(Value::as_str).ok_or_else(|| format!("The manifest '{key}' has no destinationBucket."))?;
    let bucket = bucket.strip_prefix("arn:aws:s3:::").unwrap_or(bucket).to_string();
    let schema = manifest.get("fileSchema").and_then(Value::as_str).ok_or_else(|| format!("The manifest '{key}' has no fileSchema."))?;
    let header = CsvHeader::Given(schema.split(',').map(|s| s.trim().to_string()).collect());
    let files = manifest
        .get("files")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("The manifest '{key}' has no files."))?
        .iter()
        .map(|f| f.get("key").and_then(Value::as_str).map(str::to_string).ok_or_else(|| format!("A file of the manifest '{key}' has no key.")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok((bucket, files, header))
}

/// A listObjectsV2 entry as the item a Distributed Map gives its child: `Etag` (so spelt, not
/// the SDK's `ETag`), `Key`, `LastModified` (epoch seconds, not the SDK's timestamp), `Size`,
/// `StorageClass`: the child input "ItemReader (Map)" shows for an S3 listing
/// (docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html, and AWS's
/// announcement of listObjectsV2 input: `"Etag": "\"0570…\"", "LastModified": 1668699881`).
pub fn listed_object(entry: &Value) -> Value {
    let last_modified = entry
        .get("LastModified")
        .and_then(Value::as_str)
        .and_then(crate::asl::clock::parse_rfc3339)
        .map_or(Value::Null, |ms| Value::from(ms / 1000));
    let mut item = Map::new();
    item.insert("Etag".into(), entry.get("ETag").cloned().unwrap_or(Value::Null));
    item.insert("Key".into(), entry.get("Key").cloned().unwrap_or(Value::Null));
    item.insert("LastModified".into(), last_modified);
    item.insert("Size".into(), entry.get("Size").cloned().unwrap_or(Value::Null));
    item.insert("StorageClass".into(), entry.get("StorageClass").cloned().unwrap_or_else(|| "STANDARD".into()));
    Value::Object(item)
}

/// Groups items into batches of at most `max_items` items and `max_bytes` bytes (the child's
/// input as JSON text); each batch is `{"BatchInput": …, "Items": […]}`. An item that alone
/// exceeds `max_bytes` is an error.
pub fn batches(items: Vec<Value>, max_items: Option<u64>, max_bytes: Option<u64>, batch_input: Option<&Value>) -> Result<Vec<Value>, String> {
    let wrap = |items: Vec<Value>| {
        let mut batch = Map::new();
        if let Some(input) = batch_input {
            batch.insert("BatchInput".into(), input.clone());
        }
        batch.insert("Items".into(), Value::Array(items));
        Value::Object(batch)
    };
    let base = serde_json::to_string(&wrap(Vec::new())).map_or(0, |t| t.len()) as u64;
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut bytes = base;
    for item in items {
        let size = serde_json::to_string(&item).map_or(0, |t| t.len()) as u64;
        if let Some(limit) = max_bytes
            && base + size > limit
        {
            return Err(format!("An item of {size} bytes does not fit in a batch of MaxInputBytesPerBatch {limit} bytes."));
        }
        let separator = u64::from(!current.is_empty());
        let full_by_count = max_items.is_some_and(|m| current.len() as u64 >= m);
        let full_by_bytes = max_bytes.is_some_and(|limit| bytes + separator + size > limit);
        if !current.is_empty() && (full_by_count || full_by_bytes) {
            out.push(wrap(std::mem::take(&mut current)));
            bytes = base;
        }
        bytes += u64::from(!current.is_empty()) + size;
        current.push(item);
    }
    if !current.is_empty() {
        out.push(wrap(current));
    }
    Ok(out)
}

/// How one child workflow execution ended, for the result files.
#[derive(Debug, Clone)]
pub struct ChildRun {
    pub name: String,
    pub input: Value,
    pub start: crate::asl::clock::Millis,
    pub stop: crate::asl::clock::Millis,
    pub outcome: Result<Value, crate::asl::error::StatesError>,
}

/// The ARNs a Map Run's records name.
#[derive(Debug, Clone)]
pub struct MapRunNames {
    /// `arn:aws:states:REGION:ACCOUNT:stateMachine:MACHINE/LABEL`
    pub state_machine_arn: String,
    /// `arn:aws:states:REGION:ACCOUNT:execution:MACHINE/LABEL:`, the child's name follows.
    pub execution_prefix: String,
}

/// A child's record as the NONE transformation writes it (AWS's DescribeExecution fields).
fn child_record(run: &ChildRun, names: &MapRunNames) -> Value {
    let text = |v: &Value| Value::String(serde_json::to_string(v).unwrap_or_default());
    let mut record = Map::new();
    if let Err(error) = &run.outcome {
        record.insert("Cause".into(), error.cause.clone().map_or(Value::Null, Value::String));
        record.insert("Error".into(), error.error.clone().map_or(Value::Null, Value::String));
    }
    record.insert("ExecutionArn".into(), Value::String(format!("{}{}", names.execution_prefix, run.name)));
    record.insert("Input".into(), text(&run.input));
    record.insert("InputDetails".into(), serde_json::json!({"Included": true}));
    record.insert("Name".into(), Value::String(run.name.clone()));
    if let Ok(output) = &run.outcome {
        record.insert("Output".into(), text(output));
        record.insert("OutputDetails".into(), serde_json::json!({"Included": true}));
    }
    record.insert("RedriveCount".into(), Value::from(0));
    match &run.outcome {
        Ok(_) => {
            record.insert("RedriveStatus".into(), "NOT_REDRIVABLE".into());
            record.insert("RedriveStatusReason".into(), "Execution is SUCCEEDED and cannot be redriven".into());
        }
        Err(_) => {
            record.insert("RedriveStatus".into(), "REDRIVABLE_BY_MAP_RUN".into());
        }
    }
    record.insert("StartDate".into(), Value::String(crate::asl::clock::format_rfc3339(run.start)));
    record.insert("StateMachineArn".into(), Value::String(names.state_machine_arn.clone()));
    record.insert("Status".into(), if run.outcome.is_ok() { "SUCCEEDED".into() } else { "FAILED".into() });
    record.insert("StopDate".into(), Value::String(crate::asl::clock::format_rfc3339(run.stop)));
    Value::Object(record)
}

/// The results of the children under a transformation: NONE gives every child's record; COMPACT
/// a succeeded child's output (a failed one keeps its record); FLATTEN as COMPACT, with array
/// outputs spread into the list.
pub fn transformed(runs: &[ChildRun], transformation: Transformation, names: &MapRunNames) -> Vec<Value> {
    let mut out = Vec::with_capacity(runs.len());
    for run in runs {
        match (&run.outcome, transformation) {
            (Ok(_), Transformation::None) | (Err(_), _) => out.push(child_record(run, names)),
            (Ok(output), Transformation::Compact) => out.push(output.clone()),
            (Ok(Value::Array(items)), Transformation::Flatten) => out.extend(items.iter().cloned()),
            (Ok(output), Transformation::Flatten) => out.push(output.clone()),
        }
    }
    out
}

/// One result file: its key and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultFile {
    pub status: &'static str,
    pub key: String,
    pub body: String,
}

/// The result files of a Map Run under `folder` (`<prefix>/<map run id>`): SUCCEEDED_0, FAILED_0
/// and PENDING_0 (items never run), as JSON arrays or JSON Lines.
///
/// "ResultWriter (Map)" (docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html):
/// executions with the same status go to their respective files, `manifest.json` beside them,
/// the state's output `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key": "<prefix>/<id>/manifest.json"}}`.
/// A status without results gets no file: the recorded manifests show `"FAILED": []` with no
/// FAILED file. The docs do not name JSONL files; `.jsonl` is our choice (what OutputType
/// JSONL writes), and AWS's split of files past 5 GB is not simulated (one file per status).
pub fn result_files(succeeded: &[Value], failed: &[Value], pending: &[Value], output_type: OutputType, folder: &str) -> Vec<ResultFile> {
    let extension = match output_type {
        OutputType::Json => "json",
        OutputType::Jsonl => "jsonl",
    };
    let render = |items: &[Value]| match output_type {
        OutputType::Json => serde_json::to_string(items).unwrap_or_default(),
        OutputType::Jsonl => items.iter().map(|v| serde_json::to_string(v).unwrap_or_default() + "\n").collect(),
    };
    [("SUCCEEDED", succeeded), ("FAILED", failed), ("PENDING", pending)]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(status, items)| ResultFile { status, key: format!("{folder}/{status}_0.{extension}"), body: render(items) })
        .collect()
}

/// `manifest.json`: `DestinationBucket`, `MapRunArn`, and `ResultFiles` listing each status's
/// files as `{"Key", "Size"}` (empty lists included), as exported manifests show it (the
/// ResultWriter page describes the manifest without listing its fields).
pub fn manifest(bucket: &str, map_run_arn: &str, files: &[ResultFile]) -> Value {
    let listed = |status: &str| -> Value {
        files.iter().filter(|f| f.status == status).map(|f| serde_json::json!({"Key": f.key, "Size": f.body.len()})).collect()
    };
    serde_json::json!({
        "DestinationBucket": bucket,
        "MapRunArn": map_run_arn,
        "ResultFiles": {"FAILED": listed("FAILED"), "PENDING": listed("PENDING"), "SUCCEEDED": listed("SUCCEEDED")},
    })
}

/// The folder a Map Run's results go to: `<prefix>/<map run id>` (no empty segment).
pub fn result_folder(prefix: &str, map_run_id: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    if prefix.is_empty() { map_run_id.to_string() } else { format!("{prefix}/{map_run_id}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reader(header: CsvHeader, delimiter: u8) -> ReaderSpec {
        ReaderSpec {
            resource: String::new(),
            call: ReaderCall::GetObject,
            parameters: None,
            input_type: Some(InputType::Csv),
            csv_header: header,
            csv_delimiter: delimiter,
            load_and_flatten: false,
            items_pointer: None,
            max_items: None,
        }
    }

    #[test]
    fn csv_rows_become_objects_of_strings() {
        let spec = reader(CsvHeader::FirstRow, b',');
        let items = parse_object(&spec, InputType::Csv, "k", "id,name,amount\n1,\"Smith, Jo\",20.5\n2,\"say \"\"hi\"\"\",3\n").unwrap();
        assert_eq!(items, vec![json!({"id": "1", "name": "Smith, Jo", "amount": "20.5"}), json!({"id": "2", "name": "say \"hi\"", "amount": "3"})]);
        let given = reader(CsvHeader::Given(vec!["a".into(), "b".into()]), b'|');
        assert_eq!(parse_object(&given, InputType::Csv, "k", "1|2\n3|4").unwrap(), vec![json!({"a": "1", "b": "2"}), json!({"a": "3", "b": "4"})]);
        // A longer row loses its extra fields, a shorter one gets "" for the missing ones.
        let ragged = parse_object(&spec, InputType::Csv, "k", "a,b\n1,2,3\n4\n").unwrap();
        assert_eq!(ragged, vec![json!({"a": "1", "b": "2"}), json!({"a": "4", "b": ""})]);
        let twice = reader(CsvHeader::Given(vec!["a".into(), "a".into()]), b',');
        assert_eq!(parse_object(&twice, InputType::Csv, "k", "1,2\n").unwrap_err(), DUPLICATE_HEADERS);
        assert_eq!(parse_object(&spec, InputType::Csv, "k", "a,a\n1,2\n").unwrap_err(), DUPLICATE_HEADERS);
        assert_eq!(parse_object(&spec, InputType::Csv, "k", "").unwrap(), Vec::<Value>::new());
    }

    #[test]
    fn json_and_json_lines() {
        let mut spec = reader(CsvHeader::FirstRow, b',');
        assert_eq!(parse_object(&spec, InputType::Json, "k", "[1, {\"a\": 2}]").unwrap(), vec![json!(1), json!({"a": 2})]);
        assert_eq!(parse_object(&spec, InputType::Json, "k", "{\"a\": 1}").unwrap_err(), NOT_ITERABLE);
        spec.items_pointer = Some("/data/rows".into());
        assert_eq!(parse_object(&spec, InputType::Json, "k", "{\"data\": {\"rows\": [3]}}").unwrap(), vec![json!(3)]);
        assert_eq!(parse_object(&spec, InputType::Jsonl, "k", "{\"a\":1}\n\n[2]\n").unwrap(), vec![json!({"a": 1}), json!([2])]);
        assert!(parse_object(&spec, InputType::Jsonl, "k", "{\"a\":1}\nnope\n").unwrap_err().starts_with("Line 2 of the object 'k'"));
    }

    #[test]
    fn batches_by_count_and_bytes() {
        let items: Vec<Value> = (0..5).map(|i| json!(i)).collect();
        let by_count = batches(items.clone(), Some(2), None, Some(&json!({"run": 1}))).unwrap();
        assert_eq!(by_count.len(), 3);
        assert_eq!(by_count[0], json!({"BatchInput": {"run": 1}, "Items": [0, 1]}));
        assert_eq!(by_count[2]["Items"], json!([4]));
        // {"Items":[]} is 12 bytes; each digit 1 more, and a comma between.
        let by_bytes = batches(items, None, Some(15), None).unwrap();
        assert_eq!(by_bytes.iter().map(|b| b["Items"].as_array().unwrap().len()).collect::<Vec<_>>(), [2, 2, 1]);
        assert!(batches(vec![json!("a long string")], None, Some(13), None).is_err());
    }

    #[test]
    fn transformations_and_files() {
        let names = MapRunNames { state_machine_arn: "arn:sm/L".into(), execution_prefix: "arn:ex/L:".into() };
        let runs = vec![
            ChildRun { name: "a".into(), input: json!({"i": 1}), start: 0, stop: 1000, outcome: Ok(json!([1, 2])) },
            ChildRun { name: "b".into(), input: json!({"i": 2}), start: 0, stop: 1000, outcome: Err(crate::asl::error::StatesError::new("E", "c")) },
        ];
        let none = transformed(&runs, Transformation::None, &names);
        assert_eq!(none[0]["Output"], "[1,2]");
        assert_eq!(none[0]["ExecutionArn"], "arn:ex/L:a");
        assert_eq!(none[1]["Error"], "E");
        assert_eq!(none[1]["Status"], "FAILED");
        assert_eq!(transformed(&runs, Transformation::Compact, &names)[0], json!([1, 2]));
        let flat = transformed(&runs, Transformation::Flatten, &names);
        assert_eq!((flat[0].clone(), flat[1].clone(), flat.len()), (json!(1), json!(2), 3));
        let files = result_files(&[json!(1), json!(2)], &[], &[], OutputType::Jsonl, "out/id");
        assert_eq!(files, vec![ResultFile { status: "SUCCEEDED", key: "out/id/SUCCEEDED_0.jsonl".into(), body: "1\n2\n".into() }]);
        let m = manifest("b", "arn:run", &files);
        assert_eq!(m["ResultFiles"]["SUCCEEDED"], json!([{"Key": "out/id/SUCCEEDED_0.jsonl", "Size": 4}]));
        assert_eq!(m["ResultFiles"]["FAILED"], json!([]));
        assert_eq!(result_folder("", "id"), "id");
        assert_eq!(result_folder("runs/", "id"), "runs/id");
    }

    #[test]
    fn manifests_and_listings() {
        let (bucket, files, header) = manifest_files(
            r#"{"sourceBucket":"src","destinationBucket":"arn:aws:s3:::inv","fileFormat":"CSV","fileSchema":"Bucket, Key, Size","files":[{"key":"data/1.csv.gz","size":10}]}"#,
            "m",
        )
        .unwrap();
        assert_eq!((bucket.as_str(), files, header), ("inv", vec!["data/1.csv.gz".to_string()], CsvHeader::Given(vec!["Bucket".into(), "Key".into(), "Size".into()])));
        assert!(manifest_files(r#"{"fileFormat":"ORC"}"#, "m").unwrap_err().contains("ORC"));
        let item = listed_object(&json!({"ETag": "\"e\"", "Key": "k", "LastModified": "2024-01-01T00:00:01.000Z", "Size": 3, "StorageClass": "STANDARD"}));
        assert_eq!(item, json!({"Etag": "\"e\"", "Key": "k", "LastModified": 1_704_067_201, "Size": 3, "StorageClass": "STANDARD"}));
    }
}
