//! Definitions AWS rejected (and the few it accepted beside them), recorded against real AWS
//! (`tests/fixtures/rejected/`, format in its README): our validator, as `statecraft validate`
//! runs it (the service catalogue's request checks included), must reject each one AWS
//! rejected, at the place AWS names, with a code that is AWS's or in AWS's family
//! (`Code::aws_code`), and accept each one AWS accepted.

use statecraft::asl::diag::Diagnostic;
use statecraft::asl::model::ExecutionType;
use statecraft::asl::validate::validate_text_as;
use statecraft::catalogue::Catalogue;
use statecraft::catalogue::requests::request_diagnostics;
use statecraft::sim::teststate::{TestStateRequest, test_state};
use std::path::Path;

/// One problem AWS reported: its code and where (a JSON pointer, or Jackson's "line: L, column:
/// C" for text that is not JSON).
struct AwsProblem {
    code: String,
    location: Option<String>,
    /// AWS's words for it, without the code and the location.
    message: String,
}

/// The problems AWS reported for a case: the diagnostics of ValidateStateMachineDefinition, or
/// the one in CreateStateMachine's InvalidDefinition message (`'CODE: message at /pointer'`).
fn aws_problems(expected: &serde_json::Value) -> Vec<AwsProblem> {
    if let Some(diagnostics) = expected["diagnostics"].as_array() {
        return diagnostics
            .iter()
            .filter(|d| d["severity"] == "ERROR")
            .map(|d| AwsProblem {
                code: d["code"].as_str().unwrap().to_string(),
                location: d["location"].as_str().map(str::to_string),
                message: d["message"].as_str().unwrap().to_string(),
            })
            .collect();
    }
    let message = expected["message"].as_str().expect("a diagnostics list or a message");
    let Some(inner) = message.strip_prefix("Invalid State Machine Definition: '").and_then(|m| m.strip_suffix('\'')) else {
        return Vec::new();
    };
    // Several problems are joined by ", " before each one's code: "CODE: a at /x, CODE: b at /y".
    let mut problems = Vec::new();
    let mut rest = inner;
    loop {
        let next = rest.match_indices(", ").map(|(i, _)| i).find(|&i| {
            let after = &rest[i + 2..];
            after.split_once(": ").is_some_and(|(code, _)| !code.is_empty() && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        });
        let (one, more) = match next {
            Some(i) => (&rest[..i], Some(&rest[i + 2..])),
            None => (rest, None),
        };
        let (code, text) = one.split_once(": ").expect("CODE: message");
        let (message, location) = match text.rsplit_once(" at /") {
            Some((message, pointer)) => (message, Some(format!("/{pointer}"))),
            None => (text, None),
        };
        problems.push(AwsProblem { code: code.to_string(), location, message: message.to_string() });
        match more {
            Some(more) => rest = more,
            None => return problems,
        }
    }
}

/// The request field a TestState refusal is about, read from AWS's message: ours must be
/// located there (AWS's refusals of TestState name no place).
fn teststate_fields(message: &str) -> &'static [&'static str] {
    if message.contains("State not found") {
        &["/stateName"]
    } else if message.contains("RoleArn") {
        &["/roleArn"]
    } else if message.contains("RevealSecrets") {
        &["/revealSecrets", "/mock"]
    } else if message.contains("Context object") {
        // "Invalid Context object provided: ..." (even "... when mocking a Context object").
        &["/context"]
    } else if message.contains("does not support Map or Parallel") {
        // Without a mock: AWS calls the definition invalid, we say the state needs a mock.
        &["/mock", "/definition"]
    } else if message.contains("mock") || message.contains("Mock") {
        &["/mock"]
    } else {
        &["/definition"]
    }
}

/// Whether our refusal of a TestState call holds AWS's words (we may add where and why).
fn teststate_in_aws_words(case: &serde_json::Value) -> bool {
    let message = case["expected"]["message"].as_str().unwrap_or_default();
    let refusal = match TestStateRequest::from_json(&case["request"].to_string()) {
        Err(e) => e,
        Ok(request) => match test_state(&request) {
            Err(e) => e,
            Ok(_) => return false,
        },
    };
    refusal.message.contains(message)
}

/// TestState refusals given in AWS's words (the floor reached so far; `teststate_in_aws_words`).
const TESTSTATE_WORDED_FLOOR: usize = 49;

/// A TestState call AWS refused: we must refuse it too, about the same request field, and when
/// AWS's refusal names a definition problem, our validator must find it as for the other cases.
fn teststate_difference(case: &serde_json::Value) -> Option<String> {
    let body = case["request"].to_string();
    let message = case["expected"]["message"].as_str().unwrap();
    let refusal = match TestStateRequest::from_json(&body) {
        Err(e) => e,
        Ok(request) => match test_state(&request) {
            Err(e) => e,
            Ok(response) => return Some(format!("AWS refuses it ({message}), we answer {}", response.to_json())),
        },
    };
    // A mocked result's refusal is AWS's word for word (the member by name, the problem in
    // AWS's terms); other refusals are compared by the request field they are about.
    if message.starts_with("Mock result schema validation error: ") && refusal.message != message {
        return Some(format!("AWS refuses it with \"{message}\", we say \"{}\"", refusal.message));
    }
    let fields = teststate_fields(message);
    if !fields.iter().any(|f| refusal.pointer == *f || refusal.pointer.starts_with(&format!("{f}/"))) {
        return Some(format!("AWS refuses it ({message}), we refuse it at {} instead of {fields:?}: {}", refusal.pointer, refusal.message));
    }
    let problems = aws_problems(&case["expected"]);
    let report = statecraft::asl::validate::validate_text(case["request"]["definition"].as_str().unwrap());
    let missing: Vec<&AwsProblem> = problems.iter().filter(|p| !report.errors().any(|d| matches(d, p))).collect();
    (!missing.is_empty()).then(|| format!("AWS says {} at {:?}, our validator does not", missing[0].code, missing[0].location))
}

/// Whether our diagnostic says the problem in AWS's words: its message holds AWS's (we may add
/// where and why after them). Jackson's messages about text that is not JSON quote the text and
/// its place in Jackson's terms; only their first sentence is compared.
fn in_aws_words(ours: &Diagnostic, aws: &AwsProblem) -> bool {
    let words = aws.message.split("\n at [Source:").next().unwrap_or_default().trim();
    ours.message.contains(words)
}

/// Whether our diagnostic is the problem AWS reported: the same code family, and located at
/// AWS's place or inside it (ours may name the field where AWS names the state).
fn matches(ours: &Diagnostic, aws: &AwsProblem) -> bool {
    if ours.code.aws_code() != Some(aws.code.as_str()) {
        return false;
    }
    match aws.location.as_deref() {
        None => true,
        Some("/") => true,
        Some(location) if location.starts_with('/') => {
            // AWS writes an array member `Branches[0]` where a JSON pointer writes `Branches/0`.
            let location = aws_location_as_pointer(location);
            ours.pointer == location || ours.pointer.starts_with(&format!("{location}/"))
        }
        // Jackson's "[Source: ...; line: L, column: C]": the same line.
        Some(location) => {
            let line: Option<usize> =
                location.split("line: ").nth(1).and_then(|rest| rest.split(',').next()).and_then(|l| l.trim().parse().ok());
            line.is_none_or(|line| ours.position.is_some_and(|p| p.line == line))
        }
    }
}

/// AWS's location as a JSON pointer: AWS names an array's element with brackets after the
/// array's name (`/States/C/Choices[0]/Next`, `/States/P/Branches[0]/States/Ghost`), a JSON
/// pointer as a step of its own (`/States/C/Choices/0/Next`).
fn aws_location_as_pointer(location: &str) -> String {
    let mut out = String::new();
    let mut rest = location;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|c| open + c) else { break };
        let index = &rest[open + 1..close];
        let at_step_end = matches!(rest.as_bytes().get(close + 1), None | Some(b'/') | Some(b'['));
        if !index.is_empty() && index.bytes().all(|b| b.is_ascii_digit()) && at_step_end {
            out.push_str(&rest[..open]);
            out.push('/');
            out.push_str(index);
        } else {
            out.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn aws_locations_read_as_json_pointers() {
    assert_eq!(aws_location_as_pointer("/States/C/Choices[0]/Next"), "/States/C/Choices/0/Next");
    assert_eq!(aws_location_as_pointer("/States/P/Branches[12]/States/Ghost"), "/States/P/Branches/12/States/Ghost");
    assert_eq!(aws_location_as_pointer("/States/a[b]/Next"), "/States/a[b]/Next");
    assert_eq!(aws_location_as_pointer("/States/x[1]y"), "/States/x[1]y");
}

/// The JSON files of `tests/fixtures/<folder>`, sorted, with the folder's path.
fn fixture_files(folder: &str) -> (std::path::PathBuf, Vec<std::path::PathBuf>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(folder);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    (dir, paths)
}

#[test]
fn aws_rejected_definitions_are_rejected_as_aws_does() {
    let (_, paths) = fixture_files("rejected");
    let catalogue = Catalogue::built_in();
    let mut failures = Vec::new();
    let mut known_differences = Vec::new();
    let (mut rejected, mut accepted) = ((0, 0), (0, 0));
    // Of the definitions rejected at AWS's place, how many in AWS's words.
    let mut worded = 0;
    let mut teststate_worded = 0;
    for path in &paths {
        let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy();
        if case["api"] == "TestState" {
            rejected.1 += 1;
            teststate_worded += usize::from(teststate_in_aws_words(&case));
            // A case whose difference is explained in the fixture (`known_difference`: AWS's
            // model then and botocore's now disagree) is reported, not failed; one that starts
            // to match must lose its explanation.
            let known = case["known_difference"].as_str();
            match (teststate_difference(&case), known) {
                (None, None) => rejected.0 += 1,
                (None, Some(_)) => failures.push(format!("{name}: matches AWS now; remove its known_difference")),
                (Some(difference), Some(why)) => known_differences.push(format!("{name}: {difference} ({why})")),
                (Some(difference), None) => failures.push(format!("{name}: {difference}")),
            }
            continue;
        }
        let machine_type = if case["type"] == "EXPRESS" { ExecutionType::Express } else { ExecutionType::Standard };
        let definition = case["definition"].as_str().unwrap();
        let mut report = validate_text_as(definition, machine_type);
        // As `statecraft validate` does: with the service catalogue's request checks.
        report.diagnostics.extend(request_diagnostics(definition, &catalogue));
        let errors: Vec<&Diagnostic> = report.errors().collect();
        let problems = aws_problems(&case["expected"]);
        if problems.is_empty() {
            accepted.1 += 1;
            match errors.first() {
                None => accepted.0 += 1,
                Some(d) => failures.push(format!("{name}: AWS accepts it, we say {} at {:?}: {}", d.code, d.pointer, d.message)),
            }
            continue;
        }
        rejected.1 += 1;
        let missing: Vec<&AwsProblem> = problems.iter().filter(|p| !errors.iter().any(|d| matches(d, p))).collect();
        // AWS's graph check names every missing target and every unreachable state at once: where
        // it reports one, ours must report none it does not.
        let graph = "MISSING_TRANSITION_TARGET";
        if problems.iter().any(|p| p.code == graph) {
            for d in errors.iter().filter(|d| d.code.aws_code() == Some(graph) && !problems.iter().any(|p| matches(d, p))) {
                failures.push(format!("{name}: we say {} at {:?} too, AWS does not: {}", d.code, d.pointer, d.message));
            }
        }
        if missing.is_empty() {
            rejected.0 += 1;
            // Found at AWS's place: now in AWS's words? A case whose wording we do not follow
            // says why in `known_wording_difference`; it is reported, and fails once it matches.
            let unworded: Vec<&AwsProblem> =
                problems.iter().filter(|p| !errors.iter().any(|d| matches(d, p) && in_aws_words(d, p))).collect();
            match (unworded.first(), case["known_wording_difference"].as_str()) {
                (None, None) => worded += 1,
                (None, Some(_)) => failures.push(format!("{name}: in AWS's words now; remove its known_wording_difference")),
                (Some(p), Some(why)) => known_differences.push(format!("{name}: AWS says \"{}\" ({why})", p.message)),
                (Some(p), None) => {
                    let ours: Vec<&str> = errors.iter().filter(|d| matches(d, p)).map(|d| d.message.as_str()).collect();
                    failures.push(format!("{name}: AWS says \"{}\", we say {ours:?}", p.message));
                }
            }
        } else {
            let ours: Vec<String> = errors.iter().map(|d| format!("{} at {:?}", d.code, d.pointer)).collect();
            for p in missing {
                failures.push(format!(
                    "{name}: AWS says {} at {}, we say [{}]",
                    p.code,
                    p.location.as_deref().unwrap_or("(no place)"),
                    ours.join(", ")
                ));
            }
        }
    }
    for f in &failures {
        println!("{f}");
    }
    for d in &known_differences {
        println!("known difference: {d}");
    }
    println!("AWS-rejected definitions: {} of {} rejected as AWS does", rejected.0, rejected.1);
    println!("AWS-rejected definitions (not TestState) in AWS's words: {worded}");
    println!("TestState calls AWS refused, refused in AWS's words: {teststate_worded}");
    assert!(teststate_worded >= TESTSTATE_WORDED_FLOOR, "{teststate_worded} TestState refusals in AWS's words, below the floor of {TESTSTATE_WORDED_FLOOR}");
    println!("AWS-accepted definitions beside them: {} of {} accepted", accepted.0, accepted.1);
    assert!(failures.is_empty(), "{} differences from AWS:\n{}", failures.len(), failures.join("\n"));
}

/// Definitions that use what AWS documents as valid (`tests/fixtures/accepted/`, README there):
/// no error on any of them. A false error here is a rule refusing what AWS accepts.
#[test]
fn documented_definitions_are_accepted() {
    let (dir, paths) = fixture_files("accepted");
    assert!(paths.len() >= 10, "the documented definitions are missing: {}", dir.display());
    let mut false_errors = Vec::new();
    for path in &paths {
        let name = path.file_name().unwrap().to_string_lossy();
        let report = validate_text_as(&std::fs::read_to_string(path).unwrap(), ExecutionType::Standard);
        assert!(report.machine.as_ref().is_some_and(|m| m.states.len() >= 3), "{name}: not the workflow it should be");
        for d in &report.diagnostics {
            // A PATH_WITHOUT_DOLLAR on a documented definition would advise a `.$` key AWS refuses.
            if d.is_error() || d.code == statecraft::asl::diag::Code::PathWithoutDollar {
                false_errors.push(format!("{name}: {d}"));
            } else {
                println!("{name}: {d}");
            }
        }
    }
    assert!(false_errors.is_empty(), "errors on definitions AWS documents as valid:\n{}", false_errors.join("\n"));
}

/// Every JSONata definition AWS ran in a recorded execution or TestState call
/// (`tests/fixtures/conformance/cases/`, `tests/fixtures/teststate/`) was accepted by AWS: none
/// may be refused as reading a field at an expression's top level (the rule AWS's
/// `UNSUPPORTED_JSONATA_EXPRESSION` refusals show; a string with spaces around `{% %}` is a
/// literal, not an expression).
#[test]
fn jsonata_definitions_aws_ran_read_no_field_at_their_top_level() {
    let mut checked = 0;
    for folder in ["conformance/cases", "teststate"] {
        let (_, paths) = fixture_files(folder);
        for path in paths {
            let case: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let definition = match case.get("definition").or_else(|| case.get("request").and_then(|r| r.get("definition"))) {
                Some(serde_json::Value::String(text)) => text.clone(),
                Some(value) => value.to_string(),
                None => continue,
            };
            if !definition.contains("{%") {
                continue;
            }
            checked += 1;
            let report = statecraft::asl::validate::validate_text(&definition);
            let refused: Vec<String> =
                report.diagnostics.iter().filter(|d| d.code == statecraft::asl::diag::Code::JsonataTopLevelReference).map(|d| d.to_string()).collect();
            assert!(refused.is_empty(), "{}: {refused:?}", path.display());
        }
    }
    assert!(checked >= 50, "{checked} JSONata definitions");
}
