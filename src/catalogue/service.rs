//! One service of the catalogue, read from its file (`catalogue/<service>.json`, written by
//! `scripts/gen-catalogue.py`; the format is in `catalogue/README.md`): its operations with their
//! input and output shapes, error shapes and IAM actions, and the shapes, referred to by index.
//!
//! A file that does not follow the format gives a [`FormatError`] with the JSON pointer of the
//! offending value, never a panic: the page fetches these files, so they are input like any other.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::asl::json::escape_pointer_token;

/// The format version this reader understands (the files' `"v"`).
pub const FORMAT_VERSION: u64 = 1;

/// An index into [`Service::shapes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId(pub u32);

/// Inclusive bounds from the model (`min`/`max`): a length for strings, blobs, lists and maps,
/// a value for numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// A shape of the API model, with the documentation and wire details dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Members in the model's order, by their Step Functions (PascalCase) names.
    Structure { members: Vec<(String, ShapeId)>, required: Vec<String>, union: bool },
    /// A free-form JSON document: any value.
    Document,
    List { member: ShapeId, bounds: Bounds },
    Map { key: ShapeId, value: ShapeId, bounds: Bounds },
    /// `enum` is empty when any string goes.
    String { values: Vec<String>, bounds: Bounds },
    Integer { bounds: Bounds },
    Long { bounds: Bounds },
    /// `float` and `double`.
    Float { bounds: Bounds },
    Boolean,
    Timestamp,
    Blob { bounds: Bounds },
}

impl Shape {
    /// The JSON type a value of this shape has, for messages ("a string", "an object" ...).
    pub fn expected(&self) -> &'static str {
        match self {
            Shape::Structure { .. } | Shape::Map { .. } => "an object",
            Shape::Document => "any JSON value",
            Shape::List { .. } => "an array",
            Shape::String { .. } => "a string",
            Shape::Integer { .. } | Shape::Long { .. } => "an integer",
            Shape::Float { .. } => "a number",
            Shape::Boolean => "a boolean",
            Shape::Timestamp => "a timestamp (an ISO 8601 string or epoch seconds)",
            Shape::Blob { .. } => "a blob",
        }
    }

    /// A structure's member by name.
    pub fn member(&self, name: &str) -> Option<ShapeId> {
        match self {
            Shape::Structure { members, .. } => members.iter().find(|(m, _)| m == name).map(|(_, id)| *id),
            _ => None,
        }
    }
}

/// One API operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The model's name, PascalCase (`GetItem`).
    pub name: String,
    pub input: Option<ShapeId>,
    pub output: Option<ShapeId>,
    /// The error shapes' names as the model spells them (`ConditionalCheckFailedException`,
    /// `BucketAlreadyExists`).
    pub errors: Vec<String>,
    /// The IAM actions the call needs, without the service prefix (`GetItem`; S3's
    /// `ListObjectsV2` needs `ListBucket`).
    pub iam_actions: Vec<String>,
    pub deprecated: bool,
}

/// A service of the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct Service {
    /// Step Functions' name for it (`dynamodb`, `sfn`, `elasticloadbalancingv2`).
    pub name: String,
    /// The prefix of its errors in `aws-sdk:` integrations (`DynamoDb`, `Sfn`).
    pub error_prefix: String,
    /// The prefix of its IAM actions (`dynamodb`, `states`).
    pub iam_prefix: String,
    /// botocore's name for it and the API version the file was built from.
    pub botocore: String,
    pub api_version: String,
    /// Operations Step Functions does not support for this service.
    pub unsupported: Vec<String>,
    /// By name (PascalCase).
    pub operations: BTreeMap<String, Operation>,
    pub shapes: Vec<Shape>,
}

/// A catalogue file that does not follow the format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The JSON pointer of the offending value in the file ("" for the whole file).
    pub pointer: String,
    pub message: String,
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at {:?})", self.message, self.pointer)
    }
}

fn fail<T>(pointer: &str, message: impl Into<String>) -> Result<T, FormatError> {
    Err(FormatError { pointer: pointer.to_string(), message: message.into() })
}

fn child(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_pointer_token(token))
}

fn field<'a>(object: &'a Map<String, Value>, pointer: &str, key: &str) -> Result<&'a Value, FormatError> {
    object.get(key).map_or_else(|| fail(pointer, format!("missing \"{key}\"")), Ok)
}

fn string(value: &Value, pointer: &str) -> Result<String, FormatError> {
    value.as_str().map(str::to_string).map_or_else(|| fail(pointer, "expected a string"), Ok)
}

fn text_field(object: &Map<String, Value>, pointer: &str, key: &str) -> Result<String, FormatError> {
    string(field(object, pointer, key)?, &child(pointer, key))
}

fn strings(value: &Value, pointer: &str) -> Result<Vec<String>, FormatError> {
    let Some(items) = value.as_array() else { return fail(pointer, "expected an array of strings") };
    items.iter().enumerate().map(|(i, item)| string(item, &child(pointer, &i.to_string()))).collect()
}

fn object<'a>(value: &'a Value, pointer: &str) -> Result<&'a Map<String, Value>, FormatError> {
    value.as_object().map_or_else(|| fail(pointer, "expected an object"), Ok)
}

/// A shape reference, checked against the number of shapes.
fn shape_id(value: &Value, pointer: &str, count: usize) -> Result<ShapeId, FormatError> {
    match value.as_u64() {
        Some(n) if (n as usize) < count => Ok(ShapeId(n as u32)),
        Some(n) => fail(pointer, format!("shape {n} does not exist ({count} shapes)")),
        None => fail(pointer, "expected a shape index"),
    }
}

fn bounds(shape: &Map<String, Value>, pointer: &str) -> Result<Bounds, FormatError> {
    let bound = |key: &str| match shape.get(key) {
        None => Ok(None),
        Some(v) => v.as_f64().map(Some).map_or_else(|| fail(&child(pointer, key), "expected a number"), Ok),
    };
    Ok(Bounds { min: bound("mn")?, max: bound("mx")? })
}

fn parse_shape(value: &Value, pointer: &str, count: usize) -> Result<Shape, FormatError> {
    let shape = object(value, pointer)?;
    let kind = text_field(shape, pointer, "t")?;
    let reference = |key: &str| shape_id(field(shape, pointer, key)?, &child(pointer, key), count);
    Ok(match kind.as_str() {
        "S" if shape.contains_key("d") => Shape::Document,
        "S" => {
            let members_pointer = child(pointer, "m");
            let members = object(field(shape, pointer, "m")?, &members_pointer)?
                .iter()
                .map(|(name, id)| Ok((name.clone(), shape_id(id, &child(&members_pointer, name), count)?)))
                .collect::<Result<Vec<_>, FormatError>>()?;
            let required = match shape.get("r") {
                Some(r) => strings(r, &child(pointer, "r"))?,
                None => Vec::new(),
            };
            if let Some(missing) = required.iter().find(|r| !members.iter().any(|(m, _)| m == *r)) {
                return fail(&child(pointer, "r"), format!("required member {missing:?} is not a member"));
            }
            Shape::Structure { members, required, union: shape.contains_key("u") }
        }
        "L" => Shape::List { member: reference("m")?, bounds: bounds(shape, pointer)? },
        "M" => Shape::Map { key: reference("k")?, value: reference("v")?, bounds: bounds(shape, pointer)? },
        "s" => Shape::String {
            values: match shape.get("e") {
                Some(e) => strings(e, &child(pointer, "e"))?,
                None => Vec::new(),
            },
            bounds: bounds(shape, pointer)?,
        },
        "i" => Shape::Integer { bounds: bounds(shape, pointer)? },
        "l" => Shape::Long { bounds: bounds(shape, pointer)? },
        "f" => Shape::Float { bounds: bounds(shape, pointer)? },
        "b" => Shape::Boolean,
        "t" => Shape::Timestamp,
        "B" => Shape::Blob { bounds: bounds(shape, pointer)? },
        other => return fail(&child(pointer, "t"), format!("unknown shape type {other:?}")),
    })
}

impl Service {
    /// Reads a service file.
    pub fn parse(text: &str) -> Result<Service, FormatError> {
        let root: Value = serde_json::from_str(text)
            .map_err(|e| FormatError { pointer: String::new(), message: format!("not JSON: {e}") })?;
        let top = object(&root, "")?;
        match field(top, "", "v")?.as_u64() {
            Some(FORMAT_VERSION) => {}
            _ => return fail("/v", format!("unsupported format version (this reader reads {FORMAT_VERSION})")),
        }
        let shape_values = field(top, "", "shapes")?.as_array().map_or_else(|| fail("/shapes", "expected an array"), Ok)?;
        let count = shape_values.len();
        let shapes = shape_values
            .iter()
            .enumerate()
            .map(|(i, s)| parse_shape(s, &format!("/shapes/{i}"), count))
            .collect::<Result<Vec<_>, _>>()?;
        let error_names = match top.get("errors") {
            Some(e) => strings(e, "/errors")?,
            None => Vec::new(),
        };
        let mut operations = BTreeMap::new();
        for (name, op) in object(field(top, "", "ops")?, "/ops")? {
            let pointer = child("/ops", name);
            let op = object(op, &pointer)?;
            let reference = |key: &str| op.get(key).map(|v| shape_id(v, &child(&pointer, key), count)).transpose();
            let errors = match op.get("e") {
                None => Vec::new(),
                Some(Value::Array(indices)) => indices
                    .iter()
                    .enumerate()
                    .map(|(i, index)| match index.as_u64().and_then(|n| error_names.get(n as usize)) {
                        Some(name) => Ok(name.clone()),
                        None => fail(&child(&child(&pointer, "e"), &i.to_string()), "expected an index into \"errors\""),
                    })
                    .collect::<Result<Vec<_>, _>>()?,
                Some(_) => return fail(&child(&pointer, "e"), "expected an array"),
            };
            let iam_actions = match op.get("a") {
                None => vec![name.clone()],
                Some(Value::String(action)) => vec![action.clone()],
                Some(actions) => strings(actions, &child(&pointer, "a"))?,
            };
            let operation = Operation {
                name: name.clone(),
                input: reference("i")?,
                output: reference("o")?,
                errors,
                iam_actions,
                deprecated: op.contains_key("x"),
            };
            operations.insert(name.clone(), operation);
        }
        Ok(Service {
            name: text_field(top, "", "service")?,
            error_prefix: text_field(top, "", "prefix")?,
            iam_prefix: text_field(top, "", "iam")?,
            botocore: text_field(top, "", "botocore")?,
            api_version: text_field(top, "", "api")?,
            unsupported: match top.get("unsupported") {
                Some(u) => strings(u, "/unsupported")?,
                None => Vec::new(),
            },
            operations,
            shapes,
        })
    }

    /// A shape by its index (indices come from this service, so they are in range).
    pub fn shape(&self, id: ShapeId) -> &Shape {
        &self.shapes[id.0 as usize]
    }

    /// An operation by the name a Task resource gives it: `getItem` or `GetItem`.
    pub fn operation(&self, action: &str) -> Option<&Operation> {
        self.operations.get(&pascal_case(action))
    }

    /// The IAM actions an operation needs, prefixed (`dynamodb:GetItem`).
    pub fn iam_actions(&self, operation: &Operation) -> Vec<String> {
        operation.iam_actions.iter().map(|a| format!("{}:{a}", self.iam_prefix)).collect()
    }

    /// The name Step Functions gives an error shape in an `aws-sdk:` integration:
    /// `<Prefix>.<Name>`, with the `Exception` suffix added when the model's name lacks it
    /// (`S3.BucketAlreadyExistsException`).
    pub fn sdk_error_name(&self, error_shape: &str) -> String {
        error_name(&self.error_prefix, error_shape)
    }
}

/// `<prefix>.<name>`, with `Exception` appended when `name` lacks it.
pub fn error_name(prefix: &str, shape: &str) -> String {
    let suffix = if shape.ends_with("Exception") { "" } else { "Exception" };
    format!("{prefix}.{shape}{suffix}")
}

/// A member's name in an `aws-sdk:` integration. Step Functions calls services through the AWS
/// SDK for Java 2.x and reads and writes members by the SDK's names for them ("Parameters in
/// Step Functions are expressed in PascalCase", AWS's "AWS SDK integrations" page; its examples:
/// DynamoDB's `BOOL` is written `Bool`, EC2's `Equals` `EqualsValue`). The SDK's name of a member
/// is the model's with its leading run of capitals made lower case, but for the last one when a
/// lower-case letter follows it (the SDK's `sourceDBSnapshotIdentifier()`, `ssekmsKeyId()`,
/// `endTimecodeSMPTE()`, `sseCustomerKeyMD5()`), capitalised: `DBSnapshotIdentifier` →
/// `DbSnapshotIdentifier`, `SSEKMSKeyId` → `SsekmsKeyId`, `MD5OfBody` → `Md5OfBody`, `ETag` stays
/// `ETag`, and capitals later in the name stay: `SourceDBSnapshotIdentifier`, Rekognition's
/// `EndTimecodeSMPTE` (which the published segment-detection workflow reads under that name);
/// `IPv6Address` → `Ipv6Address` (a `v` and digits after the capitals belong to them); with the
/// SDK's renames of names Java reserves: `NULL` → `Nul`, `Equals` → `EqualsValue`. Optimized
/// integrations keep the model's names (`BOOL`, `DBSnapshot`), only capitalised, as the catalogue
/// holds them.
pub fn sdk_member_name(name: &str) -> String {
    match name {
        "NULL" => return "Nul".into(),
        "Equals" | "EqualsValue" => return "EqualsValue".into(),
        _ => {}
    }
    let mut out = String::with_capacity(name.len());
    for chunk in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        // How far the leading run of capitals reaches, and whether its last one starts a word.
        let run = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
        let next = chars.get(run).copied();
        let after_next = chars.get(run + 1).copied();
        let version = next == Some('v') && after_next.is_some_and(|d| d.is_ascii_digit());
        let keep_last = run > 1 && next.is_some_and(|n| n.is_ascii_lowercase()) && !version;
        for (i, &c) in chars.iter().enumerate() {
            let lower = i > 0 && i < run && !(keep_last && i == run - 1);
            out.push(if i == 0 { c.to_ascii_uppercase() } else if lower { c.to_ascii_lowercase() } else { c });
        }
    }
    out
}

impl Service {
    /// This service as the `aws-sdk:` integration sees it: every structure's members (and
    /// required members) named by [`sdk_member_name`].
    pub fn with_sdk_names(&self) -> Service {
        let shapes = self
            .shapes
            .iter()
            .map(|shape| match shape {
                Shape::Structure { members, required, union } => Shape::Structure {
                    members: members.iter().map(|(name, id)| (sdk_member_name(name), *id)).collect(),
                    required: required.iter().map(|name| sdk_member_name(name)).collect(),
                    union: *union,
                },
                other => other.clone(),
            })
            .collect();
        Service { shapes, ..self.clone() }
    }
}

/// `getItem` → `GetItem`: Task resources name actions in camelCase, the model in PascalCase.
pub fn pascal_case(action: &str) -> String {
    let mut chars = action.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{"v":1,"service":"demo","prefix":"Demo","iam":"demo","botocore":"demo","api":"2020-01-01",
        "protocol":"json","errors":["NotFound","ThrottledException"],
        "ops":{"GetThing":{"i":0,"o":2,"e":[0,1]},"ListThings":{"a":["List","Read"]}},
        "shapes":[{"t":"S","m":{"Name":1},"r":["Name"]},{"t":"s","mn":1,"mx":8},{"t":"S","m":{}}]}"#;

    #[test]
    fn a_small_service_reads_with_its_errors_and_actions() {
        let service = Service::parse(SMALL).unwrap();
        let op = service.operation("getThing").unwrap();
        assert_eq!(op.input, Some(ShapeId(0)));
        assert_eq!(op.errors, ["NotFound", "ThrottledException"]);
        assert_eq!(service.iam_actions(op), ["demo:GetThing"]);
        assert_eq!(service.iam_actions(service.operation("ListThings").unwrap()), ["demo:List", "demo:Read"]);
        assert_eq!(service.sdk_error_name("NotFound"), "Demo.NotFoundException");
        assert_eq!(service.sdk_error_name("ThrottledException"), "Demo.ThrottledException");
        assert_eq!(service.shape(ShapeId(1)), &Shape::String { values: vec![], bounds: Bounds { min: Some(1.0), max: Some(8.0) } });
    }

    #[test]
    fn a_broken_file_names_the_place() {
        let cases = [
            ("[]", "", "expected an object"),
            (r#"{"v":2}"#, "/v", "unsupported format version"),
            (&SMALL.replace(r#""i":0"#, r#""i":7"#), "/ops/GetThing/i", "shape 7 does not exist"),
            (&SMALL.replace(r#""t":"s""#, r#""t":"q""#), "/shapes/1/t", "unknown shape type"),
            (&SMALL.replace(r#""r":["Name"]"#, r#""r":["Nom"]"#), "/shapes/0/r", "is not a member"),
            (&SMALL.replace(r#""e":[0,1]"#, r#""e":[0,5]"#), "/ops/GetThing/e/1", "an index into"),
            ("{", "", "not JSON"),
        ];
        for (text, pointer, message) in cases {
            let error = Service::parse(text).unwrap_err();
            assert_eq!(error.pointer, pointer, "{text}");
            assert!(error.message.contains(message), "{text}: {}", error.message);
        }
    }

    #[test]
    fn sdk_integrations_name_members_as_the_java_sdk_does() {
        let cases = [
            ("DBSnapshotIdentifier", "DbSnapshotIdentifier"),
            ("SourceDBSnapshotIdentifier", "SourceDBSnapshotIdentifier"),
            ("EndTimecodeSMPTE", "EndTimecodeSMPTE"),
            ("SSECustomerKeyMD5", "SseCustomerKeyMD5"),
            ("DBSnapshots", "DbSnapshots"),
            ("BOOL", "Bool"),
            ("SS", "Ss"),
            ("S", "S"),
            ("NULL", "Nul"),
            ("Equals", "EqualsValue"),
            ("SSEKMSKeyId", "SsekmsKeyId"),
            ("KMSKeyId", "KmsKeyId"),
            ("MD5OfBody", "Md5OfBody"),
            ("ETag", "ETag"),
            ("IPv6Address", "Ipv6Address"),
            ("VPCSecurityGroupIds", "VpcSecurityGroupIds"),
            ("S3Key", "S3Key"),
            ("ListObjectsV2", "ListObjectsV2"),
            ("TableName", "TableName"),
            ("taskDefinition", "TaskDefinition"),
            ("awsvpcConfiguration", "AwsvpcConfiguration"),
            ("PercentProgress", "PercentProgress"),
            ("", ""),
        ];
        for (model, sdk) in cases {
            assert_eq!(sdk_member_name(model), sdk, "{model}");
            assert_eq!(sdk_member_name(sdk), sdk, "{sdk} is its own SDK name");
        }
    }

    #[test]
    fn pascal_case_capitalises_the_first_letter_only() {
        assert_eq!(pascal_case("getItem"), "GetItem");
        assert_eq!(pascal_case("ListObjectsV2"), "ListObjectsV2");
        assert_eq!(pascal_case(""), "");
    }
}
