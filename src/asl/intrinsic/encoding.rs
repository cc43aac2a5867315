//! Intrinsics for data encoding and hashing: States.Base64Encode, Base64Decode, Hash.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use serde_json::Value;
use sha2::Digest;

use super::table::{show, string_arg};
use super::{Call, Failure};

/// AWS caps the inputs of these functions at 10,000 characters.
const MAX_INPUT_CHARS: usize = 10_000;

fn bounded<'a>(value: &'a Value, what: &str) -> Result<&'a str, Failure> {
    let text = string_arg(value, what)?;
    let chars = text.chars().count();
    if chars > MAX_INPUT_CHARS {
        return Err(format!(
            "the {what} has {chars} characters; at most {MAX_INPUT_CHARS} are allowed"
        ));
    }
    Ok(text)
}

/// `States.Base64Encode('text')`.
pub(crate) fn base64_encode(
    _: &Call,
    args: Vec<Value>,
    _: &mut dyn RngCore,
) -> Result<Value, Failure> {
    let text = bounded(&args[0], "input")?;
    Ok(Value::String(STANDARD.encode(text.as_bytes())))
}

/// `States.Base64Decode('dGV4dA==')`: the decoded bytes must be UTF-8 text.
pub(crate) fn base64_decode(
    _: &Call,
    args: Vec<Value>,
    _: &mut dyn RngCore,
) -> Result<Value, Failure> {
    let text = bounded(&args[0], "input")?;
    let bytes = STANDARD
        .decode(text.as_bytes())
        .map_err(|e| format!("the input is not valid base64: {e}"))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| "the decoded bytes are not UTF-8 text".to_string())
}

/// `States.Hash(data, 'SHA-256')`: the lowercase hex digest. Algorithms: MD5, SHA-1, SHA-256,
/// SHA-384, SHA-512.
pub(crate) fn hash(_: &Call, args: Vec<Value>, _: &mut dyn RngCore) -> Result<Value, Failure> {
    let algorithm = string_arg(&args[1], "algorithm")?;
    let data = match &args[0] {
        Value::String(_) => bounded(&args[0], "data")?.to_string(),
        Value::Null => return Err("the data must not be null".into()),
        other => show(other),
    };
    let bytes = data.as_bytes();
    let digest: Vec<u8> = match algorithm {
        "MD5" => md5_rc::Md5::digest(bytes).to_vec(),
        "SHA-1" => sha1::Sha1::digest(bytes).to_vec(),
        "SHA-256" => sha2::Sha256::digest(bytes).to_vec(),
        "SHA-384" => sha2::Sha384::digest(bytes).to_vec(),
        "SHA-512" => sha2::Sha512::digest(bytes).to_vec(),
        other => {
            return Err(format!(
                "unsupported algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
            ));
        }
    };
    Ok(Value::String(
        digest.iter().map(|b| format!("{b:02x}")).collect(),
    ))
}
