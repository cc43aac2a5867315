//! Runs every public conformance case not tagged `jsonata` or `variables` and asserts how many
//! pass. The floor only goes up.

use std::path::Path;

use statecraft::asl::conformance::{report, run_dir_with};
use statecraft::handlers::case_declarations;

/// The number of cases that passed when this floor was last raised: all of them. The one with a
/// nested Parallel (`test_parallel_state_nested`) lost three events to the recorder's Parallel
/// normalisation; the runner compares it with our history normalised the same way
/// (`asl::conformance`, `as_recorded`). 34 cases converted later from the same snapshots
/// (Distributed Map histories and tolerated-failure paths, TimestampPath formats, Fail paths
/// with intrinsics, nested Map, Parallel) raised it from 288; 21 more (issue #14: intrinsic
/// functions' edge cases, Choice, a Distributed Map with an ItemSelector) to 342; 15 Lambda
/// tasks whose functions the cases declare (`lambdas`: functions that raise, echo or return a
/// constant) to 357; 8 callback, heartbeat and `lambda:invoke` cases (SQS answers in `services`,
/// the test's SendTask* calls in `callbacks`) to 365; 9 more (comments, functions sleeping past a
/// TimeoutSeconds, a function's answer over the payload limit) to 374; 4 context object cases
/// (the whole object, its masked ARN parts) to 378; 4 `startExecution.sync` cases whose child
/// machines the case declares (`machines`, run by `handlers::nested::case_machines`: a Pass, a
/// Fail, a function timing out, `.sync` and `.sync:2`) to 382; 5 `lambda:invoke` failures
/// (`error_handling/test_task_service_lambda`: the error document written compactly, a function
/// the account lacks, a timeout caught with an empty cause) to 387; the 35 other executions of
/// `intrinsic_functions/test_array` (every ArrayPartition of 0 to 4 items in chunks of 1 to 5,
/// ArrayContains of arrays, objects and booleans, States.Array of every type, ArrayGetItem, an
/// empty States.Array(), ArrayRange past its end) to 422; the 8 other executions of
/// `test_json_manipulation` (StringToJson of a blank string, numbers, text, arrays, objects;
/// JsonToString of 0 and true) to 430; the 10 other executions of `test_math_add` (MathAdd's
/// rounding of halves, negative and positive) to 440; the 45 other recorded cases of
/// `choice_operators/test_boolean_equals` (BooleanEquals and BooleanEqualsPath against every JSON
/// type) to 485; the 111 other recorded cases of `choice_operators/test_is_operators` (IsBoolean,
/// IsNull, IsNumeric, IsPresent, IsString against every JSON type) to 596; the 97 other recorded
/// cases of `choice_operators/test_numeric` (NumericEquals against every JSON type, the four
/// orderings, literal and Path) to 693; the 23 other recorded cases of
/// `choice_operators/test_string_operators` to 716; the 23 other recorded cases of
/// `choice_operators/test_timestamp_operators` to 739; 3 more of `scenarios/test_base_scenarios`
/// (an inline Map over every JSON type, a Map retried until its retrier runs out, a Map's
/// ItemSelector over objects) to 742; 3 more of the same (legacy Iterator with Parameters over
/// objects and strings, a Map whose matching retrier is the third) to 745; 7 more of the same
/// (Lambda functions retried until caught, an empty Retry and Catch, a Catch naming States.Runtime
/// that AWS does not let catch it, a Map without ProcessorConfig, Parallel branch order and a
/// failing branch) to 752; 6 more of the same (a Parallel's Catch and Retry, the legacy Iterator
/// with a DISTRIBUTED or INLINE ProcessorConfig and Parameters or ItemSelector) to 758; 2 more
/// (a retrier with every interval field, jitter FULL and NONE) to 760; 1 more (a retrier with
/// MaxAttempts 0 on `lambda:invoke`) to 761; the 3 other ToleratedFailurePercentagePath values
/// (1.1, 100, 100.1) to 764; a Parallel's Parameters to 765; `test_map_state_config_inline_item_selector`
/// (a second recording of the Distributed ItemSelector template) to 766; 9 Distributed Maps
/// reading CSV and JSON objects from S3 (`s3`, seeded by `handlers::case_declarations`:
/// MaxItems and MaxItemsPath, a negative and a fractional one failing) to 775;
/// `test_max_concurrency_path[1]` to 776; `test_map_item_reader_csv_max_items[0]` (MaxItems 0: every
/// item) to 777; 8 more Distributed Maps reading S3 objects (CSV headers given or in the first
/// row, rows longer or shorter than the header, duplicate headers failing, a JSON array and a JSON
/// object that is not one) to 785; the three executions of `scenarios/test_sfn_scenarios`'s
/// `test_path_based_on_data` (a Choice with Not, NumericEquals and And, and its Default) to 788;
/// 17 Tasks calling SQS, EventBridge, DynamoDB, Secrets Manager,
/// S3 and Step Functions whose answers or failures the cases declare (`services`: EventBridge's
/// failed entries, SDK exceptions caught by States.TaskFailed, a SendTaskFailure) to 805; 2
/// startExecution answers and 3 `aws-sdk:dynamodb` runs against the table the case declares
/// (`dynamodb`, the stateful services of `handlers::services`) to 810; 9 `aws-sdk:s3` getObject and
/// putObject runs (bodies of every kind, a JSON Body's ETag) to 819; 4 `aws-sdk:sfn` calls (two
/// startExecution answers, sendTaskSuccess and sendTaskFailure refusing an unknown token) to 823;
/// listSecrets before a Pass to 824; the 11 other `lambda:invoke` executions of
/// `services/test_lambda_task_service` (a string Payload read as JSON by the function, every JSON
/// type; a function answering bytes; `LogType: Tail`'s log tail) to 835;
/// `base/test_base::test_query_context_object_values` (every context object field a Pass reads)
/// to 836; 6 `sns:publish` executions of `services/test_sns_task_service` recorded in 2024 and
/// one of 2023 (message attributes, a FIFO topic's SequenceNumber, the XML answer's length, a
/// topic the account lacks: `sns`, the topics a case declares) to 842; 8 intrinsic functions'
/// executions (States.UUID, States.Format of the context object's StateMachine, nested
/// StringSplit/ArrayGetItem/MathAdd/ArrayLength calls, States.MathRandom with and without a seed)
/// to 850; `context_object/test_context_object::test_items_path` (a Map's ItemsPath in the
/// context object) to 851.
/// The one case
/// that differs keeps a recording artefact its `note` explains (a racy `previousEventId`).
const PASSING_FLOOR: usize = 851;

#[test]
fn conformance_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance/cases");
    let results = run_dir_with(&dir, |tags| !tags.iter().any(|t| t == "jsonata" || t == "variables"), &case_declarations).expect("cases readable");
    print!("{}", report(&results));
    let passed = results.iter().filter(|r| r.failure.is_none()).count();
    println!("conformance: {passed} of {} non-JSONata, non-Variables cases match (ids and previous ids included)", results.len());
    assert!(passed >= PASSING_FLOOR, "{passed} cases match, fewer than the floor {PASSING_FLOOR}");
}
