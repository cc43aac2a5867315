//! The SDK's answer around a service's response, as Step Functions' optimized integrations
//! return it: `SdkHttpMetadata` (the HTTP headers, as lists and as strings, and the status) and
//! `SdkResponseMetadata` (the request id), and `lambda:invoke`'s envelope around a function's
//! result (`ExecutedVersion`, `Payload`, `StatusCode`, Lambda's own headers).
//!
//! Here, below the handlers, because the interpreter wraps a plain function handler's result
//! for `lambda:invoke` itself (`states::task`), and the recordings show the whole envelope
//! (`services/test_lambda_task_service`); the handlers (`crate::handlers::optimized`,
//! `crate::handlers::services`) use the same functions for the answers they build.

use serde_json::{Map, Value, json};

use crate::asl::clock::{Millis, format_rfc3339};
use crate::asl::error::StatesError;
use crate::asl::interp::plug::TaskContext;
use crate::asl::jsonata::functions::uuid_from as uuid;

/// An HTTP `Date` header (RFC 7231's IMF-fixdate): `Fri, 14 Jan 2022 12:56:21 GMT`.
pub fn http_date(now: Millis) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    // `2022-01-14T12:56:21.000Z`: the calendar is the clock's; only the names are added here.
    let text = format_rfc3339(now);
    let (year, month, day) = (&text[0..4], text[5..7].parse::<usize>().unwrap_or(1), &text[8..10]);
    let weekday = DAYS[now.div_euclid(86_400_000).rem_euclid(7) as usize];
    format!("{weekday}, {day} {} {year} {} GMT", MONTHS[(month - 1).min(11)], &text[11..19])
}

/// The SDK's response metadata Step Functions adds to an optimized integration's response:
/// `SdkHttpMetadata` (`AllHttpHeaders` as lists, `HttpHeaders` as strings, `HttpStatusCode`) and
/// `SdkResponseMetadata` (`RequestId`). `headers` are the service's own headers, besides
/// `Content-Length`, `Content-Type`, `Date` and `x-amzn-RequestId`.
pub fn with_metadata(mut response: Value, content_type: &str, headers: &[(&str, String)], context: &mut TaskContext) -> Value {
    let request_id = uuid(context.rng);
    let length = serde_json::to_string(&response).map_or(0, |t| t.len());
    let mut all: Vec<(String, String)> = vec![
        ("Content-Length".into(), length.to_string()),
        ("Content-Type".into(), content_type.into()),
        ("Date".into(), http_date(context.now)),
        ("x-amzn-RequestId".into(), request_id.clone()),
    ];
    all.extend(headers.iter().map(|(k, v)| (k.to_string(), v.clone())));
    all.sort_by_key(|(k, _)| k.to_ascii_lowercase());
    let lists: Map<String, Value> = all.iter().map(|(k, v)| (k.clone(), json!([v]))).collect();
    let single: Map<String, Value> = all.into_iter().map(|(k, v)| (k, Value::String(v))).collect();
    if let Value::Object(map) = &mut response {
        map.insert("SdkHttpMetadata".into(), json!({"AllHttpHeaders": lists, "HttpHeaders": single, "HttpStatusCode": 200}));
        map.insert("SdkResponseMetadata".into(), json!({"RequestId": request_id}));
    }
    response
}

/// Sets one header of a response [`with_metadata`] wrote, in both of its maps (`AllHttpHeaders`
/// as a list, `HttpHeaders` as a string); a response without the metadata is left as it is.
pub fn set_header(response: &mut Value, name: &str, value: String) {
    if let Some(meta) = response.get_mut("SdkHttpMetadata") {
        meta["AllHttpHeaders"][name] = json!([value]);
        meta["HttpHeaders"][name] = Value::String(value);
    }
}

/// `lambda:invoke`'s response around a function's result, as Step Functions returns it.
pub fn lambda_envelope(payload: Value, context: &mut TaskContext) -> Value {
    let trace = format!("root=1-{:08x}-{:024x};sampled=0", (context.now / 1000).max(0), context.rng.next_u64() as u128 * 0x1_0000 % (1u128 << 96));
    let response = json!({"ExecutedVersion": "$LATEST", "Payload": payload, "StatusCode": 200});
    let headers = [
        ("Connection", "keep-alive".to_string()),
        ("X-Amz-Executed-Version", "$LATEST".to_string()),
        ("x-amzn-Remapped-Content-Length", "0".to_string()),
        ("X-Amzn-Trace-Id", trace),
    ];
    let mut response = with_metadata(response, "application/json", &headers, context);
    // The length is the payload's, not the envelope's, as the function's runtime wrote it: the
    // recordings' Python functions answer with `json.dumps`'s spacing (`test_context_object`'s
    // `test_result_selector`: 82 bytes for a payload 77 bytes long written compactly).
    let length = crate::asl::python::json_dumps(&response["Payload"]).len().to_string();
    set_header(&mut response, "Content-Length", length);
    response
}

/// `lambda:invoke`'s answer when its request asked for `"LogType": "Tail"`: the function's log
/// tail, base64, as `LogResult` and as the `X-Amz-Log-Result` header
/// (`services/test_lambda_task_service::test_invoke_unsupported_param`, recorded against AWS:
/// the Step Functions guide calls the parameter unsupported, AWS passes it on). The tail is what
/// Lambda writes for one invocation: the `START`, the lines the function printed, `END` and
/// `REPORT`, under the request id the envelope carries.
pub fn with_log_tail(mut response: Value, printed: &[String], millis: u64) -> Value {
    use base64::Engine;
    let request_id = response["SdkResponseMetadata"]["RequestId"].as_str().unwrap_or_default().to_string();
    let mut tail = format!("START RequestId: {request_id} Version: $LATEST\n");
    for line in printed {
        tail.push_str(line);
        tail.push('\n');
    }
    let billed = millis.max(1);
    tail.push_str(&format!(
        "END RequestId: {request_id}\nREPORT RequestId: {request_id}\tDuration: {millis}.00 ms\tBilled Duration: {billed} ms\tMemory Size: 128 MB\tMax Memory Used: 32 MB\t\n"
    ));
    let encoded = base64::engine::general_purpose::STANDARD.encode(tail);
    set_header(&mut response, "X-Amz-Log-Result", encoded.clone());
    if let Value::Object(map) = &mut response {
        map.insert("LogResult".into(), Value::String(encoded));
    }
    response
}

/// `lambda:invoke`'s error for a function that failed: the error document the function's
/// runtime wrote (`{"errorMessage": …, "errorType": …, …}`) is read and written again compactly,
/// whatever spacing the runtime used, where a Lambda ARN Task passes the runtime's text on as it
/// is. The recordings, made the same day against the same python3.9 function: through
/// `lambda:invoke` the cause is `{"errorMessage":"Some exception was raised.",…}`
/// (`error_handling/test_task_service_lambda`), as the ARN it is `{"errorMessage": "Some
/// exception was raised.", …}` (`error_handling/test_task_lambda`). A cause that is no JSON
/// object is left as it is.
pub fn lambda_invoke_error(mut error: StatesError) -> StatesError {
    if let Some(cause) = error.cause.as_deref().filter(|c| c.starts_with('{'))
        && let Ok(document @ Value::Object(_)) = serde_json::from_str::<Value>(cause)
    {
        error.cause = Some(document.to_string());
    }
    error
}
