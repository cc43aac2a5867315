//! The JSONPath grammar table (`tests/fixtures/jsonpath/grammar.tsv`), both directions: every
//! row says what Jayway JsonPath (the library AWS evaluates paths with) does with a path, and the
//! rule that decides it. Accepted paths must parse, validate in a definition (InputPath and a
//! Parameters `.$` value) and compile for a run; rejected ones must fail with an offset inside the
//! text and be reported as JSONPATH_SYNTAX; evaluation rows compare results or Jayway's messages.

use std::path::Path;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use statecraft::asl::diag::Code;
use statecraft::asl::interp::Program;
use statecraft::asl::intrinsic;
use statecraft::asl::path::{JsonPath, ReferencePath, Roots};
use statecraft::asl::validate::{syntax, validate_text};

struct Row {
    line: usize,
    kind: String,
    text: String,
    input: String,
    expected: String,
    rule: String,
}

fn rows() -> Vec<Row> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/jsonpath/grammar.tsv");
    let text = std::fs::read_to_string(file).expect("grammar.tsv");
    let mut rows = Vec::new();
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            assert_eq!(line, "kind\ttext\tinput\texpected\trule", "the header row");
            header_seen = true;
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        assert_eq!(cells.len(), 5, "line {}: five tab-separated cells: {line}", i + 1);
        rows.push(Row {
            line: i + 1,
            kind: cells[0].to_string(),
            text: cells[1].to_string(),
            input: cells[2].to_string(),
            expected: cells[3].to_string(),
            rule: cells[4].to_string(),
        });
    }
    rows
}

fn json(row: &Row, cell: &str) -> Value {
    serde_json::from_str(cell).unwrap_or_else(|e| panic!("line {}: {cell:?} is not JSON: {e}", row.line))
}

/// A one-state definition using `path` as InputPath and as a Parameters `.$` value (or, for a
/// reference path, as ResultPath).
fn definition(path: &str, reference: bool) -> String {
    let state = if reference {
        json!({"Type": "Pass", "ResultPath": path, "End": true})
    } else {
        json!({"Type": "Pass", "InputPath": path, "Parameters": {"x.$": path}, "End": true})
    };
    json!({"StartAt": "S", "States": {"S": state}}).to_string()
}

fn codes(text: &str) -> Vec<Code> {
    validate_text(text).diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn every_row_holds() {
    let rows = rows();
    let mut failures = Vec::new();
    let mut count = std::collections::BTreeMap::<String, usize>::new();
    for row in &rows {
        *count.entry(row.kind.clone()).or_default() += 1;
        let cites = ["Jayway", "PathCompiler", "FilterCompiler", "Token", "Operation", "Evaluator", "ValueNodes", "AWS", "Deliberate"]
            .iter()
            .any(|w| row.rule.contains(w))
            || row.rule.split(|c: char| !c.is_alphanumeric()).any(|w| {
                ["Length", "Sum", "Max", "Min", "Average", "StandardDeviation", "First", "Last", "Index", "KeySetFunction", "Concatenate", "Append", "Distinct", "AbstractAggregation", "AbstractSequenceAggregation", "PathFunctionFactory", "Parameter", "RelationalOperator", "PathNode", "EqualsEvaluator", "InEvaluator", "NotInEvaluator", "SizeEvaluator", "EmptyEvaluator", "ContainsEvaluator", "RegexpEvaluator", "SubsetOfEvaluator", "AnyOfEvaluator", "NoneOfEvaluator", "CompiledPath", "FunctionPathToken", "PropertyPathToken"].contains(&w)
            });
        if !cites {
            failures.push(format!("line {}: the rule does not cite a Jayway class or AWS: {}", row.line, row.rule));
        }
        if let Err(message) = check(row) {
            failures.push(format!("line {} ({} {}): {message}\n    rule: {}", row.line, row.kind, row.text, row.rule));
        }
    }
    println!("JSONPath grammar table: {} rows {count:?}", rows.len());
    assert!(rows.len() >= 80, "the table has {} rows", rows.len());
    for kind in ["accept", "reject", "eval", "fail", "ref-accept", "ref-reject", "intrinsic"] {
        assert!(count.get(kind).is_some_and(|n| *n > 0), "no {kind} rows");
    }
    assert!(failures.is_empty(), "{} of {} rows fail:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

fn check(row: &Row) -> Result<(), String> {
    let text = row.text.as_str();
    match row.kind.as_str() {
        "accept" => {
            JsonPath::parse(text).map_err(|e| format!("does not parse: {e}"))?;
            syntax::check_json_path(text).map_err(|e| format!("the validator rejects it: {e:?}"))?;
            if !text.starts_with("$$") {
                let def = definition(text, false);
                let found = codes(&def);
                if found.iter().any(|c| matches!(c, Code::JsonPathSyntax | Code::PayloadTemplate)) {
                    return Err(format!("the definition does not validate: {found:?}"));
                }
                Program::from_text(&def).map_err(|e| format!("the definition does not compile for a run: {e:?}"))?;
            }
            Ok(())
        }
        "reject" => {
            match JsonPath::parse(text) {
                Ok(_) => return Err("parses, but Jayway rejects it".into()),
                Err(e) if e.offset > text.len() => return Err(format!("error offset {} is past the text", e.offset)),
                Err(_) => {}
            }
            if syntax::check_json_path(text).is_ok() {
                return Err("the validator accepts it".into());
            }
            if text.starts_with('$') && !codes(&definition(text, false)).contains(&Code::JsonPathSyntax) {
                return Err("the definition is not reported as JSONPATH_SYNTAX".into());
            }
            Ok(())
        }
        "ref-accept" => {
            ReferencePath::parse(text).map_err(|e| format!("does not parse as a reference path: {e}"))?;
            syntax::check_reference_path(text).map_err(|e| format!("the validator rejects it: {e:?}"))?;
            if codes(&definition(text, true)).contains(&Code::ReferencePathSyntax) {
                return Err("the definition reports REFERENCE_PATH_SYNTAX".into());
            }
            Ok(())
        }
        "ref-reject" => {
            if ReferencePath::parse(text).is_ok() {
                return Err("parses as a reference path".into());
            }
            if !codes(&definition(text, true)).contains(&Code::ReferencePathSyntax) {
                return Err("the definition is not reported as REFERENCE_PATH_SYNTAX".into());
            }
            Ok(())
        }
        "eval" => {
            let path = JsonPath::parse(text).map_err(|e| format!("does not parse: {e}"))?;
            let input = json(row, &row.input);
            let expected = json(row, &row.expected);
            match path.eval(&Roots::input(&input)) {
                Ok(got) if got == expected => Ok(()),
                Ok(got) => Err(format!("gives {got}, expected {expected}")),
                Err(e) => Err(format!("fails: {e}")),
            }
        }
        "fail" => {
            let path = JsonPath::parse(text).map_err(|e| format!("does not parse: {e}"))?;
            let input = json(row, &row.input);
            match path.eval(&Roots::input(&input)) {
                Ok(got) => Err(format!("gives {got}, expected the failure {:?}", row.expected)),
                Err(e) if e.to_string() == row.expected => Ok(()),
                Err(e) => Err(format!("fails with {:?}, expected {:?}", e.to_string(), row.expected)),
            }
        }
        "intrinsic" => {
            let call = intrinsic::parse(text).map_err(|e| format!("does not parse: {e:?}"))?;
            let input = json(row, &row.input);
            let expected = json(row, &row.expected);
            match call.eval(&Roots::input(&input), &mut StdRng::seed_from_u64(1)) {
                Ok(got) if got == expected => Ok(()),
                Ok(got) => Err(format!("gives {got}, expected {expected}")),
                Err(e) => Err(format!("fails: {e}")),
            }
        }
        "intrinsic-reject" => match intrinsic::parse(text) {
            Ok(_) => Err("parses".into()),
            Err(e) if e.offset > text.len() => Err(format!("error offset {} is past the text", e.offset)),
            Err(_) => Ok(()),
        },
        other => Err(format!("unknown kind {other:?}")),
    }
}
