//! The recorded AWS executions that are one Pass state with `Parameters` (payload templates with
//! paths and intrinsic functions), replayed through `asl::path::Template` alone: the template's
//! result must equal AWS's recorded output exactly, number kinds included (what the recorder
//! masked, a generated UUID or random number, matched as the conformance runner matches it).

use std::path::Path;

use rand::SeedableRng;
use rand::rngs::StdRng;
use serde_json::{Value, json};
use statecraft::asl::conformance::recorded_matches;
use statecraft::asl::path::{Roots, Template};

/// The case's single Pass state's Parameters, when the case is nothing more than that.
fn single_pass_parameters(case: &Value) -> Option<&Value> {
    let definition = &case["definition"];
    if definition.get("QueryLanguage").is_some() || case["expected"]["status"] != "SUCCEEDED" {
        return None;
    }
    let states = definition["States"].as_object()?;
    if states.len() != 1 {
        return None;
    }
    let state = states.values().next()?;
    let plain = state["Type"] == "Pass"
        && [
            "InputPath",
            "ResultPath",
            "OutputPath",
            "ResultSelector",
            "Assign",
            "QueryLanguage",
        ]
        .iter()
        .all(|field| state.get(*field).is_none());
    if plain { state.get("Parameters") } else { None }
}

#[test]
fn single_pass_parameter_cases_reproduce_aws_outputs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance/cases");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("conformance cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    let (mut intrinsic_passed, mut other_passed, mut failures) = (0, 0, Vec::new());
    for path in names {
        let text = std::fs::read_to_string(&path).expect("readable case");
        let case: Value = serde_json::from_str(&text).expect("case JSON");
        let Some(parameters) = single_pass_parameters(&case) else {
            continue;
        };
        let name = case["name"].as_str().unwrap_or_default().to_string();
        let input = &case["input"];
        // The context object as the conformance runner's executions see it (the recorder masked
        // the names these cases read: `<ArnPart_0idx>` stands for any one).
        let context = json!({
            "Execution": {"Id": "arn:aws:states:us-east-1:111111111111:execution:StateMachine:execution", "Input": input, "Name": "execution", "RoleArn": "snf_role_arn"},
            "StateMachine": {"Id": "arn:aws:states:us-east-1:111111111111:stateMachine:StateMachine", "Name": "StateMachine"},
        });
        let roots = Roots::input(input).with_context(&context);
        let result = Template::compile(parameters)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t.eval(&roots, &mut StdRng::seed_from_u64(0))
                    .map_err(|e| e.to_string())
            });
        match result {
            // Equal, or equal but for what the recorder masked (a generated UUID, a random
            // number, a name), as the conformance runner compares.
            Ok(output) if recorded_matches(&case["expected"]["output"], &output) => {
                if name.starts_with("intrinsic_functions.") {
                    intrinsic_passed += 1;
                } else {
                    other_passed += 1;
                }
            }
            Ok(output) => failures.push(format!(
                "{name}: got {output}, AWS gave {}",
                case["expected"]["output"]
            )),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    println!(
        "intrinsic cases reproduced: {intrinsic_passed}; other single-Pass cases: {other_passed}"
    );
    assert!(
        failures.is_empty(),
        "{} failing:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Every JSONPath intrinsic case in the corpus is a single Pass state.
    assert!(
        intrinsic_passed >= 52,
        "only {intrinsic_passed} intrinsic cases found"
    );
    assert!(other_passed >= 8, "only {other_passed} other cases found");
}
