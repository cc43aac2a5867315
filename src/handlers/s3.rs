//! Simulated Amazon S3: buckets of objects ([`ObjectStore`], held by the
//! [`super::services::ServiceStore`]) and the calls a workflow makes on them: `getObject`,
//! `headObject`, `putObject`, `copyObject`, `listObjectsV2`, `deleteObject` and `deleteObjects`, as `aws-sdk:s3:*` Tasks and as the `arn:aws:states:::s3:*`
//! resources a Distributed Map's ItemReader and ResultWriter name. Answers have the SDK's
//! output shapes; errors have the names Step Functions gives an AWS SDK integration's errors
//! (`S3.NoSuchKeyException`, `S3.NoSuchBucketException`) and the SDK's cause text.
//!
//! Objects are text (what workflows read and write through Step Functions: JSON, JSON Lines,
//! CSV); an object's ETag is the MD5 of its body in quotes, as S3 gives it for a single-part
//! upload, its LastModified the virtual time of the put. Buckets must exist, unless the store
//! creates them on first use (zero-configuration runs, as DynamoDB tables are). The caller seeds
//! and reads the store through [`ObjectStore::put_object`], [`ObjectStore::object`],
//! [`ObjectStore::bucket_names`] and [`ObjectStore::objects`].

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::error::StatesError;

/// One object: its text and what S3 says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Object {
    pub body: String,
    /// `"<md5 hex>"`, quotes included, as S3 returns it.
    pub etag: String,
    pub last_modified: Millis,
    pub content_type: String,
}

impl S3Object {
    pub fn size(&self) -> usize {
        self.body.len()
    }
}

/// A bucket: objects by key, in key order (S3 lists keys in UTF-8 binary order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bucket {
    pub objects: BTreeMap<String, S3Object>,
}

/// Every simulated bucket.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ObjectStore {
    pub buckets: BTreeMap<String, Bucket>,
    /// Whether a bucket nobody created exists, empty, from its first use (zero-configuration
    /// runs: the workflow's buckets exist in its account).
    pub create_buckets_on_use: bool,
}

/// The ETag S3 gives a single-part upload of `body`.
pub fn etag_of(body: &str) -> String {
    use md5_rc::Digest;
    let hex: String = md5_rc::Md5::digest(body.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// The content type S3 would have been told for a key, from its extension.
fn content_type_of(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("").to_ascii_lowercase().as_str() {
        "json" => "application/json",
        "jsonl" => "application/jsonl",
        "csv" => "text/csv",
        "txt" => "text/plain",
        _ => "binary/octet-stream",
    }
}

impl ObjectStore {
    /// Creates a bucket (kept as it is if it exists).
    pub fn create_bucket(&mut self, name: &str) -> &mut Bucket {
        self.buckets.entry(name.to_string()).or_default()
    }

    /// Writes an object at virtual time `now`, creating its bucket if needed (the caller seeds
    /// what it wants to exist).
    pub fn put_object(&mut self, bucket: &str, key: &str, body: impl Into<String>, now: Millis) -> &S3Object {
        let body = body.into();
        let object = S3Object { etag: etag_of(&body), body, last_modified: now, content_type: content_type_of(key).to_string() };
        let bucket = self.create_bucket(bucket);
        bucket.objects.insert(key.to_string(), object);
        &bucket.objects[key]
    }

    /// The object at `key` in `bucket`.
    pub fn object(&self, bucket: &str, key: &str) -> Option<&S3Object> {
        self.buckets.get(bucket)?.objects.get(key)
    }

    /// The buckets' names, in order.
    pub fn bucket_names(&self) -> impl Iterator<Item = &str> {
        self.buckets.keys().map(String::as_str)
    }

    /// The objects of a bucket, in key order (none if it does not exist).
    pub fn objects(&self, bucket: &str) -> impl Iterator<Item = (&str, &S3Object)> {
        self.buckets.get(bucket).into_iter().flat_map(|b| b.objects.iter().map(|(k, o)| (k.as_str(), o)))
    }

    /// Seeds the store from JSON: `{"bucket": {"key": body}}`, a body being text as it is or any
    /// other JSON value written as JSON text. The error names the member that is not of that shape.
    pub fn seed_from_json(&mut self, seed: &Value, now: Millis) -> Result<(), String> {
        let buckets = seed.as_object().ok_or("the S3 seed must be an object of buckets: {\"bucket\": {\"key\": body}}")?;
        for (bucket, objects) in buckets {
            let objects = objects.as_object().ok_or_else(|| format!("/{bucket}: a bucket must be an object of keys and bodies"))?;
            self.create_bucket(bucket);
            for (key, body) in objects {
                let text = match body {
                    Value::String(s) => s.clone(),
                    other => serde_json::to_string(other).unwrap_or_default(),
                };
                self.put_object(bucket, key, text, now);
            }
        }
        Ok(())
    }

    fn bucket(&mut self, name: &str) -> Result<&mut Bucket, StatesError> {
        if self.create_buckets_on_use {
            self.create_bucket(name);
        }
        self.buckets.get_mut(name).ok_or_else(|| s3_error("NoSuchBucket", "The specified bucket does not exist", 404))
    }
}

/// An S3 error as Step Functions reports an AWS SDK integration's: `S3.<Code>Exception`, with
/// the SDK's cause text. "Learning to use AWS service SDK integrations in Step Functions"
/// (docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html): the error is
/// `ServiceName.ErrorName`, and the `Exception` suffix is added even where the service's API
/// reference has none: S3's `BucketAlreadyExists` is `S3.BucketAlreadyExistsException`, so
/// `NoSuchKey` is `S3.NoSuchKeyException`. The cause text's form is the SDK's (not documented).
pub fn s3_error(code: &str, message: &str, status: u16) -> StatesError {
    StatesError::new(
        format!("S3.{code}Exception"),
        format!("{message} (Service: S3, Status Code: {status}, Request ID: 0000000000000000, Extended Request ID: 00000000000000000000000000000000)"),
    )
}

fn invalid(message: &str) -> StatesError {
    s3_error("S3", message, 400)
}

fn string_member<'v>(input: &'v Value, member: &str) -> Result<&'v str, StatesError> {
    match input.get(member) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s),
        Some(Value::String(_)) | None | Some(Value::Null) => Err(invalid(&format!("Missing required parameter in input: \"{member}\""))),
        Some(other) => Err(invalid(&format!("Invalid type for parameter {member}, value: {other}, type: {}, valid types: <class 'str'>", crate::asl::jsonata::type_name(other)))),
    }
}

/// The S3 operations the simulator answers, by their SDK names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    GetObject,
    HeadObject,
    PutObject,
    CopyObject,
    ListObjectsV2,
    DeleteObject,
    DeleteObjects,
}

impl Operation {
    /// The operation a resource names: `arn:aws:states:::s3:getObject`,
    /// `arn:aws:states:::aws-sdk:s3:putObject` ...
    pub fn of_resource(resource: &str) -> Option<Operation> {
        let rest = resource.strip_prefix("arn:aws:states:::")?;
        let action = rest.strip_prefix("aws-sdk:s3:").or_else(|| rest.strip_prefix("s3:"))?;
        match action {
            "getObject" => Some(Operation::GetObject),
            // HEAD is an AWS SDK call only (no optimized `s3:headObject`).
            "headObject" if rest.starts_with("aws-sdk:") => Some(Operation::HeadObject),
            "putObject" => Some(Operation::PutObject),
            // Copying is an AWS SDK call only (no optimized `s3:copyObject`).
            "copyObject" if rest.starts_with("aws-sdk:") => Some(Operation::CopyObject),
            "listObjectsV2" => Some(Operation::ListObjectsV2),
            // Deleting is an AWS SDK call only (no optimized `s3:` resource).
            "deleteObject" if rest.starts_with("aws-sdk:") => Some(Operation::DeleteObject),
            "deleteObjects" if rest.starts_with("aws-sdk:") => Some(Operation::DeleteObjects),
            _ => None,
        }
    }
}

/// The resources the simulated S3 answers.
pub const RESOURCES: [&str; 10] = [
    "arn:aws:states:::aws-sdk:s3:getObject",
    "arn:aws:states:::aws-sdk:s3:headObject",
    "arn:aws:states:::aws-sdk:s3:putObject",
    "arn:aws:states:::aws-sdk:s3:copyObject",
    "arn:aws:states:::aws-sdk:s3:listObjectsV2",
    "arn:aws:states:::aws-sdk:s3:deleteObject",
    "arn:aws:states:::aws-sdk:s3:deleteObjects",
    "arn:aws:states:::s3:getObject",
    "arn:aws:states:::s3:putObject",
    "arn:aws:states:::s3:listObjectsV2",
];

/// Runs `operation` with the request `input` at virtual time `now`.
pub fn call(store: &mut ObjectStore, operation: Operation, input: &Value, now: Millis) -> Result<Value, StatesError> {
    match operation {
        Operation::GetObject => get_object(store, input),
        Operation::HeadObject => head_object(store, input),
        Operation::PutObject => put_object(store, input, now),
        Operation::CopyObject => copy_object(store, input, now),
        Operation::ListObjectsV2 => list_objects_v2(store, input),
        Operation::DeleteObject => delete_object(store, input),
        Operation::DeleteObjects => delete_objects(store, input),
    }
}

/// `DeleteObject`: the object is gone; a key that is not there is no error (S3 answers 204 for
/// both), a bucket that is not there is.
fn delete_object(store: &mut ObjectStore, input: &Value) -> Result<Value, StatesError> {
    let (bucket, key) = (string_member(input, "Bucket")?, string_member(input, "Key")?);
    store.bucket(bucket)?.objects.remove(key);
    Ok(Value::Object(Map::new()))
}

/// `DeleteObjects`: each listed key is gone and named under `Deleted` (none in quiet mode,
/// which reports only errors); at most 1,000 keys a request, as S3 allows.
fn delete_objects(store: &mut ObjectStore, input: &Value) -> Result<Value, StatesError> {
    let bucket = string_member(input, "Bucket")?;
    let Some(objects) = input.pointer("/Delete/Objects").and_then(Value::as_array) else {
        return Err(invalid("Missing required parameter in Delete: \"Objects\""));
    };
    if objects.len() > 1000 {
        return Err(s3_error("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema", 400));
    }
    let quiet = input.pointer("/Delete/Quiet").and_then(Value::as_bool).unwrap_or(false);
    let found = store.bucket(bucket)?;
    let mut deleted = Vec::new();
    for object in objects {
        let key = string_member(object, "Key")?;
        found.objects.remove(key);
        deleted.push(serde_json::json!({"Key": key}));
    }
    let mut out = Map::new();
    if !quiet {
        out.insert("Deleted".into(), Value::Array(deleted));
    }
    Ok(Value::Object(out))
}

/// The object a `getObject`/`headObject` request names (`operation` is the name the refusal of a
/// `VersionId` gives).
fn requested<'s>(store: &'s mut ObjectStore, input: &Value, operation: &str, missing: impl FnOnce() -> StatesError) -> Result<&'s S3Object, StatesError> {
    let (bucket, key) = (string_member(input, "Bucket")?, string_member(input, "Key")?);
    // The store keeps one version of each object: reading "the current one" for a VersionId
    // would answer a different question than the workflow asked, so the run stops instead.
    if let Some(version) = input.get("VersionId").filter(|v| !v.is_null()) {
        return Err(StatesError::new(
            crate::asl::error::names::RUNTIME,
            format!("Statecraft does not simulate S3 object versions: {operation} of '{key}' with VersionId {version} cannot be answered; the run stops here rather than read the current version."),
        ));
    }
    store.bucket(bucket)?.objects.get(key).ok_or_else(missing)
}

/// What `getObject` and `headObject` both say of an object: its metadata (and its `Body` for a
/// GET, after `AcceptRanges` as the SDK orders its members).
fn object_metadata(object: &S3Object, body: bool) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("AcceptRanges".into(), "bytes".into());
    if body {
        out.insert("Body".into(), Value::String(object.body.clone()));
    }
    out.insert("ContentLength".into(), Value::from(object.size()));
    out.insert("ContentType".into(), Value::String(object.content_type.clone()));
    out.insert("ETag".into(), Value::String(object.etag.clone()));
    out.insert("LastModified".into(), Value::String(format_rfc3339(object.last_modified)));
    out.insert("Metadata".into(), Value::Object(Map::new()));
    out.insert("ServerSideEncryption".into(), "AES256".into());
    out
}

fn get_object(store: &mut ObjectStore, input: &Value) -> Result<Value, StatesError> {
    let object = requested(store, input, "getObject", || s3_error("NoSuchKey", "The specified key does not exist.", 404))?;
    Ok(Value::Object(object_metadata(object, true)))
}

/// `HeadObject`: the object's metadata without its body. A HEAD response has no body, so S3's
/// 404 carries no error message: the SDK raises `NoSuchKeyException` with the message `null`
/// (the Java SDK's text for an error without one), which Step Functions names
/// `S3.NoSuchKeyException` as it does a GET's.
fn head_object(store: &mut ObjectStore, input: &Value) -> Result<Value, StatesError> {
    let object = requested(store, input, "headObject", || s3_error("NoSuchKey", "null", 404))?;
    Ok(Value::Object(object_metadata(object, false)))
}

fn put_object(store: &mut ObjectStore, input: &Value, now: Millis) -> Result<Value, StatesError> {
    let (bucket, key) = (string_member(input, "Bucket")?, string_member(input, "Key")?);
    let body = match input.get("Body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        // Step Functions sends a JSON Body as its JSON text.
        Some(other) => serde_json::to_string(other).unwrap_or_default(),
    };
    store.bucket(bucket)?;
    let content_type = input.get("ContentType").and_then(Value::as_str).map(str::to_string);
    let object = store.put_object(bucket, key, body, now).clone();
    if let Some(content_type) = content_type {
        store.buckets.get_mut(bucket).and_then(|b| b.objects.get_mut(key)).expect("just put").content_type = content_type;
    }
    let mut out = Map::new();
    out.insert("ETag".into(), Value::String(object.etag));
    out.insert("ServerSideEncryption".into(), "AES256".into());
    Ok(Value::Object(out))
}

/// `CopyObject`: the object `CopySource` names (`bucket/key`, with or without a leading `/`,
/// its key URL-encoded as the API asks) is put at `Bucket`/`Key` with the same body and content
/// type; the answer is the SDK's `CopyObjectResult` (ETag, LastModified). A source that is not
/// there is S3's `NoSuchKey`; a source `?versionId=` is refused as a `VersionId` is elsewhere.
fn copy_object(store: &mut ObjectStore, input: &Value, now: Millis) -> Result<Value, StatesError> {
    let (bucket, key) = (string_member(input, "Bucket")?, string_member(input, "Key")?);
    let source = string_member(input, "CopySource")?;
    let (path, version) = match source.split_once("?versionId=") {
        Some((path, version)) => (path, Some(version)),
        None => (source, None),
    };
    if let Some(version) = version {
        return Err(StatesError::new(
            crate::asl::error::names::RUNTIME,
            format!("Statecraft does not simulate S3 object versions: copyObject of '{path}' with versionId {version} cannot be answered; the run stops here rather than copy the current version."),
        ));
    }
    let path = percent_decoded(path.strip_prefix('/').unwrap_or(path));
    let Some((from_bucket, from_key)) = path.split_once('/').filter(|(b, k)| !b.is_empty() && !k.is_empty()) else {
        return Err(invalid(&format!("Invalid copy source object key: {source}")));
    };
    let source_object = store.bucket(from_bucket)?.objects.get(from_key).cloned().ok_or_else(|| s3_error("NoSuchKey", "The specified key does not exist.", 404))?;
    store.bucket(bucket)?;
    let content_type = input.get("ContentType").and_then(Value::as_str).filter(|_| input.get("MetadataDirective").and_then(Value::as_str) == Some("REPLACE"));
    let content_type = content_type.map_or(source_object.content_type.clone(), str::to_string);
    let object = S3Object { etag: source_object.etag.clone(), body: source_object.body, last_modified: now, content_type };
    let (etag, modified) = (object.etag.clone(), object.last_modified);
    store.buckets.get_mut(bucket).expect("just made sure").objects.insert(key.to_string(), object);
    let mut result = Map::new();
    result.insert("ETag".into(), Value::String(etag));
    result.insert("LastModified".into(), Value::String(format_rfc3339(modified)));
    let mut out = Map::new();
    out.insert("CopyObjectResult".into(), Value::Object(result));
    out.insert("ServerSideEncryption".into(), "AES256".into());
    Ok(Value::Object(out))
}

/// `%XX` escapes decoded (a `CopySource`'s key is URL-encoded); anything else kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn list_objects_v2(store: &mut ObjectStore, input: &Value) -> Result<Value, StatesError> {
    let name = string_member(input, "Bucket")?;
    let prefix = input.get("Prefix").and_then(Value::as_str).unwrap_or("");
    let delimiter = input.get("Delimiter").and_then(Value::as_str).filter(|d| !d.is_empty());
    let max_keys = match input.get("MaxKeys") {
        None | Some(Value::Null) => 1000,
        Some(v) => v.as_u64().ok_or_else(|| invalid(&format!("Invalid type for parameter MaxKeys, value: {v}, valid types: <class 'int'>")))? as usize,
    };
    // The continuation token is the last key of the previous page (S3's is opaque).
    let after = input.get("ContinuationToken").or_else(|| input.get("StartAfter")).and_then(Value::as_str).unwrap_or("").to_string();
    let bucket = store.bucket(name)?;
    let mut contents = Vec::new();
    let mut common: Vec<String> = Vec::new();
    let mut truncated = false;
    let mut last = None;
    for (key, object) in bucket.objects.range::<str, _>((std::ops::Bound::Excluded(after.as_str()), std::ops::Bound::Unbounded)) {
        if !key.starts_with(prefix) {
            continue;
        }
        if contents.len() + common.len() >= max_keys {
            truncated = true;
            break;
        }
        if let Some(d) = delimiter
            && let Some(at) = key[prefix.len()..].find(d)
        {
            let folder = key[..prefix.len() + at + d.len()].to_string();
            if !common.contains(&folder) {
                common.push(folder);
            }
            last = Some(key.clone());
            continue;
        }
        let mut entry = Map::new();
        entry.insert("ETag".into(), Value::String(object.etag.clone()));
        entry.insert("Key".into(), Value::String(key.clone()));
        entry.insert("LastModified".into(), Value::String(format_rfc3339(object.last_modified)));
        entry.insert("Size".into(), Value::from(object.size()));
        entry.insert("StorageClass".into(), "STANDARD".into());
        contents.push(Value::Object(entry));
        last = Some(key.clone());
    }
    let mut out = Map::new();
    if !contents.is_empty() {
        out.insert("Contents".into(), Value::Array(contents.clone()));
    }
    if !common.is_empty() {
        out.insert("CommonPrefixes".into(), common.iter().map(|p| serde_json::json!({"Prefix": p})).collect());
    }
    if let Some(d) = delimiter {
        out.insert("Delimiter".into(), Value::String(d.to_string()));
    }
    out.insert("IsTruncated".into(), Value::Bool(truncated));
    out.insert("KeyCount".into(), Value::from(contents.len() + common.len()));
    out.insert("MaxKeys".into(), Value::from(max_keys));
    out.insert("Name".into(), Value::String(name.to_string()));
    if truncated && let Some(last) = last {
        out.insert("NextContinuationToken".into(), Value::String(last));
    }
    out.insert("Prefix".into(), Value::String(prefix.to_string()));
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn store() -> ObjectStore {
        let mut s = ObjectStore::default();
        s.put_object("data", "in/a.csv", "id,n\n1,2\n", 1_000);
        s.put_object("data", "in/b.json", "[1,2]", 2_000);
        s.put_object("data", "in/sub/c.txt", "c", 3_000);
        s.put_object("data", "other.txt", "o", 4_000);
        s
    }

    #[test]
    fn get_put_round_trip_with_etag_and_time() {
        let mut s = store();
        let put = call(&mut s, Operation::PutObject, &json!({"Bucket": "data", "Key": "out/r.json", "Body": {"ok": true}}), 9_000).unwrap();
        assert_eq!(put["ETag"], etag_of("{\"ok\":true}"));
        let got = call(&mut s, Operation::GetObject, &json!({"Bucket": "data", "Key": "out/r.json"}), 10_000).unwrap();
        assert_eq!(got["Body"], "{\"ok\":true}");
        assert_eq!(got["ContentLength"], 11);
        assert_eq!(got["ContentType"], "application/json");
        assert_eq!(got["LastModified"], format_rfc3339(9_000));
        // MD5 of "hello", the value S3 documents for it.
        assert_eq!(etag_of("hello"), "\"5d41402abc4b2a76b9719d911017c592\"");
    }

    #[test]
    fn copy_object_puts_the_source_s_body_at_the_new_key_or_says_no_such_key() {
        let mut s = store();
        s.create_buckets_on_use = true;
        let copied = call(&mut s, Operation::CopyObject, &json!({"Bucket": "archive", "Key": "2024/a.csv", "CopySource": "data/in/a.csv"}), 9_000).unwrap();
        assert_eq!(copied["CopyObjectResult"]["ETag"], etag_of("id,n\n1,2\n"));
        assert_eq!(copied["CopyObjectResult"]["LastModified"], format_rfc3339(9_000));
        let object = s.object("archive", "2024/a.csv").expect("copied");
        assert_eq!((object.body.as_str(), object.content_type.as_str()), ("id,n\n1,2\n", "text/csv"));
        assert!(s.object("data", "in/a.csv").is_some(), "the source stays");
        // A leading slash and a URL-encoded key name the same object.
        call(&mut s, Operation::CopyObject, &json!({"Bucket": "archive", "Key": "c.txt", "CopySource": "/data/in%2Fsub%2Fc.txt"}), 9_000).unwrap();
        assert_eq!(s.object("archive", "c.txt").map(|o| o.body.as_str()), Some("c"));
        let missing = call(&mut s, Operation::CopyObject, &json!({"Bucket": "archive", "Key": "x", "CopySource": "data/in/none.csv"}), 9_000).unwrap_err();
        assert_eq!(missing.error.as_deref(), Some("S3.NoSuchKeyException"));
        assert_eq!(Operation::of_resource("arn:aws:states:::aws-sdk:s3:copyObject"), Some(Operation::CopyObject));
    }

    #[test]
    fn errors_have_the_sdk_integration_names() {
        let mut s = store();
        let missing = call(&mut s, Operation::GetObject, &json!({"Bucket": "data", "Key": "nope"}), 0).unwrap_err();
        assert_eq!(missing.error.as_deref(), Some("S3.NoSuchKeyException"));
        assert!(missing.cause.unwrap().starts_with("The specified key does not exist. (Service: S3, Status Code: 404"));
        let bucket = call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "absent"}), 0).unwrap_err();
        assert_eq!(bucket.error.as_deref(), Some("S3.NoSuchBucketException"));
        let no_key = call(&mut s, Operation::GetObject, &json!({"Bucket": "data"}), 0).unwrap_err();
        assert!(no_key.cause.unwrap().starts_with("Missing required parameter in input: \"Key\""));
        s.create_buckets_on_use = true;
        assert_eq!(call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "fresh"}), 0).unwrap()["KeyCount"], 0);
    }

    #[test]
    fn head_object_reads_the_seeded_object_s_metadata_or_says_no_such_key() {
        let mut s = store();
        let head = call(&mut s, Operation::HeadObject, &json!({"Bucket": "data", "Key": "in/a.csv"}), 0).unwrap();
        assert_eq!(head["ContentLength"], 9);
        assert_eq!(head["ContentType"], "text/csv");
        assert_eq!(head["ETag"], etag_of("id,n\n1,2\n"));
        assert_eq!(head["LastModified"], format_rfc3339(1_000));
        assert!(head.get("Body").is_none(), "a HEAD has no body: {head}");
        let missing = call(&mut s, Operation::HeadObject, &json!({"Bucket": "data", "Key": "in/none.csv"}), 0).unwrap_err();
        assert_eq!(missing.error.as_deref(), Some("S3.NoSuchKeyException"));
        assert!(missing.cause.unwrap().starts_with("null (Service: S3, Status Code: 404"));
        assert_eq!(call(&mut s, Operation::HeadObject, &json!({"Bucket": "absent", "Key": "k"}), 0).unwrap_err().error.as_deref(), Some("S3.NoSuchBucketException"));
        assert_eq!(Operation::of_resource("arn:aws:states:::aws-sdk:s3:headObject"), Some(Operation::HeadObject));
        assert_eq!(Operation::of_resource("arn:aws:states:::s3:headObject"), None, "no optimized HEAD");
    }

    #[test]
    fn an_object_version_is_refused_not_ignored() {
        let mut s = store();
        let versioned = call(&mut s, Operation::GetObject, &json!({"Bucket": "data", "Key": "in/a.csv", "VersionId": "v1"}), 0).unwrap_err();
        assert_eq!(versioned.error.as_deref(), Some("States.Runtime"));
        assert!(versioned.cause.unwrap().starts_with("Statecraft does not simulate S3 object versions"));
        assert!(call(&mut s, Operation::GetObject, &json!({"Bucket": "data", "Key": "in/a.csv", "VersionId": null}), 0).is_ok());
    }

    #[test]
    fn list_objects_v2_prefix_delimiter_and_pages() {
        let mut s = store();
        let all = call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "data", "Prefix": "in/"}), 0).unwrap();
        let keys: Vec<&str> = all["Contents"].as_array().unwrap().iter().map(|c| c["Key"].as_str().unwrap()).collect();
        assert_eq!(keys, ["in/a.csv", "in/b.json", "in/sub/c.txt"]);
        assert_eq!(all["Contents"][0]["Size"], 9);
        assert_eq!(all["Contents"][0]["StorageClass"], "STANDARD");
        let folders = call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "data", "Prefix": "in/", "Delimiter": "/"}), 0).unwrap();
        assert_eq!(folders["CommonPrefixes"], json!([{"Prefix": "in/sub/"}]));
        assert_eq!(folders["KeyCount"], 3);
        let page = call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "data", "MaxKeys": 2}), 0).unwrap();
        assert_eq!((page["IsTruncated"].clone(), page["NextContinuationToken"].clone()), (json!(true), json!("in/b.json")));
        let next = call(&mut s, Operation::ListObjectsV2, &json!({"Bucket": "data", "MaxKeys": 2, "ContinuationToken": "in/b.json"}), 0).unwrap();
        assert_eq!(next["Contents"][0]["Key"], "in/sub/c.txt");
        assert_eq!(next["IsTruncated"], false);
    }

    #[test]
    fn deleting_removes_objects_and_names_them_unless_quiet() {
        let mut s = store();
        for key in ["a/1", "a/2", "b/1"] {
            s.put_object("bkt", key, "x", 0);
        }
        let input = json!({"Bucket": "bkt", "Delete": {"Objects": [{"Key": "a/1"}, {"Key": "a/2"}, {"Key": "never"}]}});
        let out = call(&mut s, Operation::DeleteObjects, &input, 0).unwrap();
        assert_eq!(out, json!({"Deleted": [{"Key": "a/1"}, {"Key": "a/2"}, {"Key": "never"}]}));
        assert_eq!(s.objects("bkt").map(|(k, _)| k).collect::<Vec<_>>(), ["b/1"]);
        let quiet = json!({"Bucket": "bkt", "Delete": {"Objects": [{"Key": "b/1"}], "Quiet": true}});
        assert_eq!(call(&mut s, Operation::DeleteObjects, &quiet, 0).unwrap(), json!({}));
        assert_eq!(call(&mut s, Operation::DeleteObject, &json!({"Bucket": "bkt", "Key": "gone"}), 0).unwrap(), json!({}));
        assert_eq!(s.objects("bkt").count(), 0);
        assert_eq!(Operation::of_resource("arn:aws:states:::aws-sdk:s3:deleteObjects"), Some(Operation::DeleteObjects));
        assert_eq!(Operation::of_resource("arn:aws:states:::s3:deleteObject"), None, "no optimized delete");
    }

    #[test]
    fn seeding_from_json_and_reading_back() {
        let mut s = ObjectStore::default();
        s.seed_from_json(&json!({"b": {"k.csv": "a,b\n1,2", "k.json": [1, {"x": 2}]}}), 5).unwrap();
        assert_eq!(s.object("b", "k.json").unwrap().body, "[1,{\"x\":2}]");
        assert_eq!(s.bucket_names().collect::<Vec<_>>(), ["b"]);
        assert_eq!(s.objects("b").count(), 2);
        assert!(s.seed_from_json(&json!({"b": []}), 0).unwrap_err().starts_with("/b:"));
        assert_eq!(Operation::of_resource("arn:aws:states:::aws-sdk:s3:listObjectsV2"), Some(Operation::ListObjectsV2));
        assert_eq!(Operation::of_resource("arn:aws:states:::s3:getObject"), Some(Operation::GetObject));
        assert_eq!(Operation::of_resource("arn:aws:states:::s3:deleteObject"), None);
    }
}
