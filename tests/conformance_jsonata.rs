//! Runs every public conformance case tagged `jsonata` or `variables` (JSONata, workflow
//! variables, `$states`, QueryEvaluationError) and asserts how many pass. The floor only goes up.

use std::path::Path;

use statecraft::asl::conformance::{report, run_dir_with};
use statecraft::handlers::case_declarations;

/// The number of cases that passed when this floor was last raised: all of them.
/// `BASE_SCOPE_PARALLEL`'s recorded history lost its ParallelStateSucceeded (id 12: the next
/// event, 13, follows 11) and has its branch events sorted by type, both by the recorder's
/// Parallel normalisation; the runner compares it with our history normalised the same way
/// (`asl::conformance`, `as_recorded`).
/// 14 JSONata cases converted later from the same snapshots (Map Items of every type, an Items
/// expression that gives a function, Choice Conditions) raised it from 58; 5 more (issue #14:
/// a literal Condition, Map Items from a variable, Wait Timestamps without T or Z) to 77; 9
/// Lambda tasks whose Catch reads `$states.errorOutput` (a declared function that raises; three in
/// a Map, one failing on an undefined variable) to 86; 4 JSONata Arguments cases (issue #14) to 90;
/// 12 JSONata Output cases (`outputdecl/test_output`: every JSON type, the context object, after a
/// Lambda function and `lambda:invoke`) to 102; 6 Assign cases (`assign/test_assign_base`: literals of
/// every type that look like paths, intrinsics or expressions, paths into the input and the context
/// object, variables read into variables, a Map reading an outer variable) to 108; 6 references to
/// an undefined variable (`assign/test_assign_reference_variables::test_undefined_reference`: in
/// Output, a field of it, Assign, Arguments, a field of it, after two states) to 114; 3 JSONata
/// fields of `evaluate_jsonata` (a Map's ToleratedFailurePercentage and ToleratedFailureCount from
/// the input, a `lambda:invoke` Task's HeartbeatSeconds) to 117; a Fail state's JSONata Error
/// (`scenarios/test_base_scenarios::test_fail_error_jsonata`) to 118; the 4 other recorded Items
/// failures (a literal null; a variable holding a number, a string, an object) to 122.
const PASSING_FLOOR: usize = 122;

#[test]
fn jsonata_and_variables_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance/cases");
    let results = run_dir_with(&dir, |tags| tags.iter().any(|t| t == "jsonata" || t == "variables"), &case_declarations).expect("cases readable");
    print!("{}", report(&results));
    let passed = results.iter().filter(|r| r.failure.is_none()).count();
    println!("conformance: {passed} of {} JSONata and Variables cases match (ids and previous ids included)", results.len());
    assert!(passed >= PASSING_FLOOR, "{passed} cases match, fewer than the floor {PASSING_FLOOR}");
}
