//! Generated suites (#17 §2): generation reaches every reachable edge of the seed, of every
//! palette pattern and of the realistic workflows, measured by running the suites; what is not
//! reached is explained.

mod corpus_support;

use serde_json::Value;
use statecraft::sim::handler::HandlerSet;
use statecraft::sim::scenario::seed_scenarios;
use statecraft::sim::suite::coverage::{Coverage, run_suite, run_suite_on};
use statecraft::sim::suite::generate::{Options, generate_on, suite_simulator};

/// Generates the suite of `definition`, runs it, and gives its coverage; every scenario passes
/// (its expectation was recorded from the same behaviour).
fn coverage_of(label: &str, definition: &str) -> Coverage {
    generated_and_covered(label, definition).1
}

fn generated_and_covered(label: &str, definition: &str) -> (Vec<statecraft::sim::scenario::Scenario>, Coverage) {
    // The document's own scenarios are where generation starts: the seed's three; for a corpus
    // workflow whose account holds S3 objects, its input written down beside it (the skeleton
    // input names no bucket those objects are in). Another corpus workflow starts from the
    // skeleton alone, and again with its written input too when that leaves something
    // unexplained (a list a JSONata `Items` or an intrinsic reads, which the skeleton lacks);
    // the suite that explains more is kept.
    let written: Vec<_> = written_scenario(label).into_iter().collect();
    let first = if definition == statecraft::seed::ORDER_WORKFLOW {
        suite_of(label, definition, &seed_scenarios())
    } else if s3_seed_of(label).is_some() || stores_seed_of(label).is_some() {
        suite_of(label, definition, &written)
    } else {
        suite_of(label, definition, &[])
    };
    let unexplained_count = |c: &Coverage| c.missed().into_iter().filter(|(_, why)| why.is_none()).count();
    if written.is_empty() || s3_seed_of(label).is_some() || stores_seed_of(label).is_some() || unexplained_count(&first.1) == 0 {
        return first;
    }
    let second = suite_of(label, definition, &written);
    if unexplained_count(&second.1) < unexplained_count(&first.1) { second } else { first }
}

fn suite_of(label: &str, definition: &str, base: &[statecraft::sim::scenario::Scenario]) -> (Vec<statecraft::sim::scenario::Scenario>, Coverage) {
    let simulator = simulator_of(label, definition);
    let parsed: Value = serde_json::from_str(definition).unwrap_or_default();
    let generated = generate_on(&simulator, &parsed, base, Options::default());
    let run = run_suite_on(simulator, &parsed, &generated.scenarios);
    for row in &run.rows {
        assert_eq!(row.pass, Some(true), "{label}: {} {:?}", row.name, row.mismatches);
    }
    (generated.scenarios, run.coverage)
}

/// The simulator a workflow's suite runs on: its account's S3 objects and the stores seeded
/// beside it, as `statecraft generate-suite --s3 --stores` takes them.
fn simulator_of(label: &str, definition: &str) -> statecraft::sim::batch::Simulator {
    let simulator = suite_simulator(definition, &HandlerSet::new(), &objects_of(label)).unwrap_or_else(|e| panic!("{label}: {e}"));
    match stores_seed_of(label) {
        Some(text) => simulator.with_more_stores(&statecraft::sim::stores::StoreSeeds::parse(&text).expect("the stores file is a store seed")),
        None => simulator,
    }
}

/// What is missed without a reason (empty: 100 % of reachable edges, states and goals).
fn unexplained(label: &str, coverage: &Coverage) -> Vec<String> {
    let missed: Vec<String> = coverage.missed().into_iter().filter(|(_, why)| why.is_none()).map(|(what, _)| format!("{label}: {what}")).collect();
    println!("{label}: {}", coverage.summary());
    for (what, why) in coverage.missed() {
        println!("    {what}: {}", why.as_deref().unwrap_or("NOT EXPLAINED"));
    }
    missed
}

fn assert_full(label: &str, coverage: &Coverage) {
    let missed = unexplained(label, coverage);
    assert!(missed.is_empty(), "not reached, unexplained: {missed:?}");
}

/// What the generator does not reach and cannot explain from the definition alone, with why.
const KNOWN_MISSES: &[&str] = &[
    // Customizations for Control Tower's 93-state StackSet machine: these lie on the ways of an
    // Update request whose stack instances are updated (six answers of the one function in turn
    // must agree: CreateInstance "no", RequestType "Update", the account and region lists,
    // OverrideParametersExist, the operation's status) and of a Delete request of a machine not
    // deployed by CloudFormation; the generator's search stops before it finds them and does not
    // say why (it should).
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Override parameters do not exist in the event",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Waiting on Update... OperationInProgress",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Failed",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Create or Delete Stack Instance? → Export Stack Output Pass",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Stack Instance? → Override parameters do not exist in the event",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Override parameters do not exist in the event → Export Stack Output Pass",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Operation ID? → Waiting on Update... OperationInProgress",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Waiting on Update... OperationInProgress → Update Stack Instance",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Completed? → Update Instance Task Running",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Completed? → Update Instance Task Failed",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Completed? → Update Task Failed",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Failed → Failed",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Event from CloudFormation? → Success",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Stack Instance times out",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Stack Instance misses its heartbeat",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Status? times out",
    "tests/fixtures/workflows/aws-solutions-control-tower-customizations-stackset.asl.json: Update Instance Task Status? misses its heartbeat",
    // Give Stock Back runs over the lines that were reserved when another line was not. A handler
    // choice holds for every visit of a state, so an injected ConditionalCheckFailedException
    // fails every line (nothing reserved, nothing to give back) and the default answer reserves
    // every line (the table starts empty); a table where some SKUs lack stock is a seeded
    // DynamoDB store, which the generator does not write.
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: Give Stock Back",
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: start → Give Stock Back",
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: Give Stock Back → end",
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: Release Reserved Lines fails",
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: Give Stock Back Retry[0] then success",
    "tests/fixtures/workflows/dynamodb-inventory-reservation.asl.json: Give Stock Back Retry[0] exhausted",
    // The rule compares `$.reservation.statusCode`, which the ResultSelector reads from
    // lambda:invoke's `StatusCode`: 200 for every function that returns (a function's failure is
    // an error, which the state's Catch takes), on AWS as in the simulator. A static result sets
    // the function's payload, never the service's envelope.
    "tests/fixtures/workflows/order-fulfilment-saga.asl.json: Was Inventory Reserved → Mark Order As Failed",
    // (sensor-telemetry-jsonl-rollup's "Roll Up Telemetry Batches fails" was here until a Map
    // Run's failure recorded MapStateFailed after MapRunFailed, as AWS's histories do: the
    // scenario whose ItemReader finds no object now counts as the Map failing.)
];

/// The S3 objects a corpus workflow's account holds (`<name>.s3.json` beside it, as
/// tests/workflows.rs reads them), as their JSON text.
fn s3_seed_of(label: &str) -> Option<String> {
    label.ends_with(".asl.json").then(|| std::fs::read_to_string(label.replace(".asl.json", ".s3.json")).ok()).flatten()
}

/// The stores a corpus workflow's account holds (`<name>.stores.json`), as text.
fn stores_seed_of(label: &str) -> Option<String> {
    label.ends_with(".asl.json").then(|| std::fs::read_to_string(label.replace(".asl.json", ".stores.json")).ok()).flatten()
}

/// The scenario written down beside a corpus workflow (`<name>.expected.json`'s input).
fn written_scenario(label: &str) -> Option<statecraft::sim::scenario::Scenario> {
    let text = std::fs::read_to_string(label.replace(".asl.json", ".expected.json")).ok()?;
    let expected: serde_json::Value = serde_json::from_str(&text).ok()?;
    Some(statecraft::sim::scenario::Scenario::new("the written input", &expected.get("input")?.to_string()))
}

/// [`s3_seed_of`] as the store the simulator starts from (empty when there is none).
fn objects_of(label: &str) -> statecraft::handlers::s3::ObjectStore {
    let mut store = statecraft::handlers::s3::ObjectStore::default();
    if let Some(text) = s3_seed_of(label) {
        let seed: serde_json::Value = serde_json::from_str(&text).expect("the S3 seed is JSON");
        // Seeded objects were last modified when the default clock starts, as `statecraft run --s3` has them.
        let now = statecraft::asl::clock::Clock::now(&statecraft::asl::clock::VirtualClock::default());
        store.seed_from_json(&seed, now).expect("the S3 seed has the shape {bucket: {key: body}}");
    }
    store
}

fn workflow_files() -> Vec<(String, String)> {
    corpus_files(false)
}

/// The published aws-samples workflows of the simulator's corpus (tests/fixtures/README.md).
fn aws_samples_files() -> Vec<(String, String)> {
    corpus_files(true)
}

/// The corpus workflows, the aws-samples ones (`aws_samples`) or the others.
fn corpus_files(aws_samples: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures/workflows", "tests/fixtures/suites"] {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        let mut paths: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().ends_with(".asl.json") && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("aws-samples-")) == aws_samples)
            .collect();
        paths.sort();
        for path in paths {
            out.push((path.display().to_string(), corpus_support::runnable_definition(&path)));
        }
    }
    out
}

#[test]
fn the_seed_is_fully_covered() {
    for definition in [statecraft::seed::ORDER_WORKFLOW, statecraft::seed::ORDER_WORKFLOW_JSONATA] {
        let coverage = coverage_of("seed", definition);
        assert_full("seed", &coverage);
        assert_eq!(coverage.edge_figure().covered, coverage.edge_figure().total, "every edge of the seed is reachable");
    }
}

#[test]
fn every_palette_pattern_is_fully_covered() {
    let mut missed = Vec::new();
    for item in statecraft::editor::palette::items() {
        // The continuation placeholder becomes a Succeed state.
        let mut machine: Value = serde_json::from_str(item.asl).unwrap();
        let text = machine.to_string().replace("\"@next\"", "\"Continue\"");
        machine = serde_json::from_str(&text).unwrap();
        machine["States"]["Continue"] = serde_json::json!({"Type": "Succeed"});
        let coverage = coverage_of(item.label, &machine.to_string());
        missed.extend(unexplained(item.label, &coverage));
    }
    assert!(missed.is_empty(), "not reached, unexplained: {missed:#?}");
}

#[test]
fn realistic_workflows_are_fully_covered() {
    let files = workflow_files();
    let mut missed = Vec::new();
    let mut full = 0;
    let (mut replayed, mut left_out) = (0, 0);
    let mut distributed = Vec::new();
    for (name, text) in &files {
        let (scenarios, coverage) = generated_and_covered(name, text);
        // KNOWN GAP: replaying a mock file whose mocked states run inside a Distributed Map's
        // child executions does not yet end as the simulator's run did (the invocation order
        // of mocked states across child executions differs); those workflows are not replayed,
        // and say so.
        if text.contains("\"DISTRIBUTED\"") {
            distributed.push(name.clone());
        } else {
            let (r, l) = replay_mock_config(name, text, &scenarios);
            replayed += r;
            left_out += l;
        }
        let here = unexplained(name, &coverage);
        full += usize::from(here.is_empty());
        missed.extend(here);
    }
    println!("workflows: {full} of {} reach every reachable edge, state and goal", files.len());
    println!("MockConfigFile test cases: {replayed} replay their scenario; {left_out} scenarios left out with a reason; not replayed (Distributed Map, known gap): {distributed:?}");
    assert!(replayed > 100);
    assert!(files.len() >= 20, "at least 20 realistic workflows");
    assert_eq!(missed, KNOWN_MISSES.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "not reached, unexplained");
}

/// A Distributed Map's own Retry, followed by success (every child of the first Map Run fails,
/// then the next run succeeds) and by exhaustion, and its tolerated failed child execution:
/// goals generated and reached, read from the child executions' histories.
#[test]
fn distributed_map_retries_and_tolerated_failures_are_reached() {
    let fun = "arn:aws:lambda:us-east-1:123456789012:function:F";
    let processor = |task: &str| format!(r#"{{"ProcessorConfig": {{"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}}, "StartAt": "{task}", "States": {{"{task}": {{"Type": "Task", "Resource": "{fun}", "End": true}}}}}}"#);
    let definition = format!(r#"{{"StartAt": "Each", "States": {{
        "Each": {{"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {},
            "Retry": [{{"ErrorEquals": ["Work.Busy"], "MaxAttempts": 2}}, {{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}}],
            "ResultPath": null, "Next": "Some"}},
        "Some": {{"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1, "ItemProcessor": {},
            "Retry": [{{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 1, "IntervalSeconds": 1}}],
            "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Broken"}}],
            "ResultPath": null, "End": true}},
        "Broken": {{"Type": "Fail", "Error": "Broken"}}}}}}"#, processor("Work"), processor("Try"));
    let (scenarios, coverage) = generated_and_covered("distributed map retries", &definition);
    assert_full("distributed map retries", &coverage);
    use statecraft::sim::suite::graph::Goal;
    for goal in [
        Goal::RetrySucceeds { state: "Each".into(), retrier: 1 },
        Goal::RetryExhausted { state: "Each".into(), retrier: 1 },
        Goal::RetrySucceeds { state: "Some".into(), retrier: 0 },
        Goal::RetryExhausted { state: "Some".into(), retrier: 0 },
        Goal::ToleratesFailure { state: "Some".into() },
        Goal::BranchFails { state: "Some".into() },
    ] {
        let item = coverage.goals.iter().find(|i| i.what == goal).unwrap_or_else(|| panic!("{goal:?} is a goal: {}", coverage.summary()));
        assert!(!item.reached_by.is_empty(), "{goal:?} reached: {}", coverage.summary());
        // Reached by an injected failure inside the Map.
        assert!(item.reached_by.iter().all(|&i| !scenarios[i].handlers.is_empty()), "{goal:?}");
    }
    // A child's own error never reaches a Distributed Map's retrier: the Map Run fails with the
    // threshold's error.
    let busy = coverage.goals.iter().find(|i| i.what == Goal::RetrySucceeds { state: "Each".into(), retrier: 0 }).unwrap();
    assert!(busy.reached_by.is_empty() && busy.unreachable.as_deref().is_some_and(|r| r.contains("States.ExceedToleratedFailureThreshold")), "{busy:?}");
}

/// The published aws-samples workflows of the corpus (33): every reachable edge, state and goal reached, or what
/// is not listed with why ([`KNOWN_AWS_SAMPLES_MISSES`]).
#[test]
fn aws_samples_workflows_are_fully_covered() {
    let files = aws_samples_files();
    assert!(files.len() >= 33, "the corpus's aws-samples workflows: {}", files.len());
    let mut missed = Vec::new();
    for (name, text) in &files {
        let (_, coverage) = generated_and_covered(name, text);
        let e = coverage.edge_figure();
        println!("{name}: edges {} of {} reachable", e.covered, e.reachable);
        missed.extend(unexplained(name, &coverage));
    }
    assert_eq!(missed, KNOWN_AWS_SAMPLES_MISSES.iter().map(|s| s.to_string()).collect::<Vec<_>>(), "not reached, unexplained");
}

/// What the generator does not reach on the aws-samples workflows and cannot explain from the
/// definition alone, with why.
const KNOWN_AWS_SAMPLES_MISSES: &[&str] = &[
    // Its lock limit is the unfilled template value `${SF_ConcurrentAccessLimit}`: DynamoDB refuses
    // the conditional update's `:limit` as no number (as AWS would), so every lock attempt fails
    // and nothing past it runs. The generator does not choose values for template placeholders.
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Continue Because Lock Was Already Acquired",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Do Work",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Here",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: You",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Do",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Work",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Run Lambda Function With Controlled Concurrency",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Release Lock",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Success State",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Get Lock → Do Work",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Acquire Lock → end",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Check If Lock Already Acquired → Continue Because Lock Was Already Acquired",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Continue Because Lock Was Already Acquired → end",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Do Work → Release Lock",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: start → Here",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Here → You",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: You → Do",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Do → Work",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Work → Run Lambda Function With Controlled Concurrency",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Run Lambda Function With Controlled Concurrency → end",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Release Lock → Success State",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Success State → end",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Acquire Lock Retry[1] then success",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Do Work fails",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Release Lock Retry[1] then success",
    "tests/fixtures/workflows/aws-samples-app-control-concurrency-with-dynamodb.asl.json: Release Lock Retry[1] exhausted",
    // The on-demand fallback (RedriveOnDemand's children, InvokeOnDemand, RecordError) reads a
    // JSONL object from `${OutputBucket}` at the key the ReconcileRecords function answers; no
    // such object is in the simulated S3, so the reader fails (States.ItemReaderFailed, uncaught)
    // and no child runs: the generator injects answers, it writes no S3 objects. (CheckOutcome's
    // rules, on the WaitForBatchCompletion callback's `status`, are reached: the callback is
    // answered with the status each rule wants.)
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: InvokeOnDemand",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: RecordError",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: RedriveOnDemand → MergeResults",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: start → InvokeOnDemand",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: InvokeOnDemand → end",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: InvokeOnDemand → RecordError",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: RecordError → end",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: InvokeOnDemand Retry[0] then success",
    "tests/fixtures/workflows/aws-samples-bedrock-batch-with-sla.asl.json: InvokeOnDemand Retry[0] exhausted",
    // 'Emit - TIMEDOUT' is a request-response putEvents that reads $$.Task.Token, which only a
    // callback task has: it fails with States.Runtime whenever it runs (as `statecraft run` shows
    // after a phase's heartbeat), so its End edge is never taken; the heartbeat goal of a
    // request-response task is generated although nothing waits on it (the generator should
    // explain both; it does not yet).
    "tests/fixtures/workflows/aws-samples-circuit-breaker.asl.json: Emit - TIMEDOUT → end",
    "tests/fixtures/workflows/aws-samples-circuit-breaker.asl.json: Emit - TIMEDOUT misses its heartbeat",
    // The published workflow's own dead rule: its first Choice rule sends every status but
    // `completed` back to the Wait, `failed` included, so the rule leading to Fail never holds.
    "tests/fixtures/workflows/aws-samples-demo-fis-ecs-stop-task.asl.json: Fail",
    "tests/fixtures/workflows/aws-samples-demo-fis-ecs-stop-task.asl.json: Choice → Fail",
    // The published workflow's own fault: 'Update DynamoDb' names #CsvUrl in its
    // UpdateExpression but defines only #errorCsvUrl, which DynamoDB always refuses
    // (ValidationException).
    "tests/fixtures/workflows/aws-samples-distributed-data-stream-aggregator.asl.json: Job Succeeded",
    "tests/fixtures/workflows/aws-samples-distributed-data-stream-aggregator.asl.json: Update DynamoDb → Job Succeeded",
    "tests/fixtures/workflows/aws-samples-distributed-data-stream-aggregator.asl.json: Job Succeeded → end",
    // The three seeded files are one batch (MaxItemsPerBatch 500), so one child: its failure is
    // 100% of the Map Run, over the 5% tolerated, and the Map fails instead of tolerating it.
    "tests/fixtures/workflows/aws-samples-dmap-temperatures.asl.json: DistributedMap tolerates a failed iteration",
    // 'Parse SQS Input' (the Default when the input has no `query`) reads `$[0].body` of an SQS
    // batch and parses it with States.StringToJson: the generator makes values for Choices, not an
    // array whose first element holds JSON text, so the state fails on its InputPath.
    "tests/fixtures/workflows/aws-samples-early-stopping-sf-bedrock.asl.json: Parse SQS Input → Initialize",
    // Needs a stored DynamoDB item whose `executionresult.S` is JSON text: the generator injects
    // service answers but does not synthesise table contents that a later state parses.
    "tests/fixtures/workflows/aws-samples-idempotent-workflow.asl.json: De-serialize previous results → Success",
    // Both branches' Choices decide on numbers that 'Format parameters' parses with
    // States.StringToJson from the input's DynamoDB `N` strings: the generator traces a value back
    // through `Parameters` paths but not through an intrinsic that parses text, so it writes no
    // input that makes the stock exceed the threshold or be zero.
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Pass State",
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Update product to OUT OF STOCK",
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Check if Stock Level is below the threshold → Pass State",
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Pass State → end",
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Check if Stock Level is zero → Update product to OUT OF STOCK",
    "tests/fixtures/workflows/aws-samples-inventory-check-levels.asl.json: Update product to OUT OF STOCK → end",
    // A child execution of the outer Distributed Map runs only ProcessObjects, a Distributed Map
    // that tolerates every failed child (ToleratedFailurePercentage 100) and has no ItemReader
    // (its Catch takes only States.ItemReaderFailed): nothing a child runs can fail it, so no
    // child of the outer Map fails for its tolerance to let through.
    "tests/fixtures/workflows/aws-samples-s3-high-throughput-distributed-map.asl.json: S3 Distributed Map State Machine tolerates a failed iteration",
];

/// The suite as Step Functions Local test cases replays it: each test case, run with its mocked
/// responses and nothing else, ends as the scenario expects (status, error); the scenarios left
/// out are named with why. How many replayed, and how many were left out.
fn replay_mock_config(name: &str, definition: &str, scenarios: &[statecraft::sim::scenario::Scenario]) -> (usize, usize) {
    use statecraft::sim::command::{MockSelection, RunOptions, run_command};
    let (config, notes) = statecraft::sim::suite::export::mock_config_on(&simulator_of(name, definition), definition, scenarios, "Machine").unwrap();
    for note in &notes {
        assert!(note.contains(": "), "{name}: a note names its scenario and why: {note}");
    }
    let text = config.to_text();
    let mut replayed = 0;
    for case in &config.state_machines[0].test_cases {
        let scenario = scenarios.iter().find(|s| s.name == case.name).unwrap();
        let expected = scenario.expected.as_ref().unwrap();
        let options = RunOptions {
            seed: 0,
            start_time: None,
            execution_type: statecraft::asl::model::ExecutionType::Standard,
            history: false,
            mocks: Some(MockSelection { text: text.clone(), test_case: case.name.clone(), state_machine: None }),
            s3: s3_seed_of(name),
            jsonata: Default::default(),
            answers: Default::default(),
            stores: stores_seed_of(name).map(|text| (name.replace(".asl.json", ".stores.json"), text)),
            print_stores: false,
        };
        let report = run_command(definition, &scenario.input, &options);
        let succeeded = expected.status.as_deref() == Some("SUCCEEDED");
        assert_eq!(report.exit_code, if succeeded { 0 } else { 1 }, "{name}: {}: {}{}", case.name, report.stdout, report.stderr);
        if let Some(error) = &expected.error {
            assert!(report.stdout.contains(&format!("\"error\":{}", serde_json::to_string(error).unwrap())), "{name}: {}: {}", case.name, report.stdout);
        }
        replayed += 1;
    }
    (replayed, notes.len())
}


/// The goals a run's edges do not show, each generated and then reached by running the suite:
/// a `.waitForTaskToken` callback answered with success (Next), with each catcher's error, with
/// a retrier's error until it runs out, never answered until its timeout (heartbeats sent) and
/// until its missed heartbeat; a Task's timeout; a missed heartbeat injected into an activity.
#[test]
fn callbacks_timeouts_and_heartbeats_are_generated_and_reached() {
    let definition = r#"{"StartAt": "Ask approval", "States": {
        "Ask approval": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/approvals", "MessageBody": {"token.$": "$$.Task.Token"}},
            "TimeoutSeconds": 3600, "HeartbeatSeconds": 600,
            "Retry": [{"ErrorEquals": ["Approval.Busy"], "MaxAttempts": 2, "IntervalSeconds": 1}],
            "Catch": [{"ErrorEquals": ["Approval.Rejected"], "Next": "Rejected"},
                      {"ErrorEquals": ["States.Timeout"], "Next": "Expired"},
                      {"ErrorEquals": ["States.ALL"], "Next": "Broken"}],
            "Next": "Ship"},
        "Ship": {"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:activity:ship", "TimeoutSeconds": 30, "HeartbeatSeconds": 10,
            "Catch": [{"ErrorEquals": ["States.HeartbeatTimeout"], "Next": "Lost"}, {"ErrorEquals": ["States.Timeout"], "Next": "Late"}],
            "End": true},
        "Rejected": {"Type": "Fail", "Error": "Rejected"},
        "Expired": {"Type": "Fail", "Error": "Expired"},
        "Broken": {"Type": "Fail", "Error": "Broken"},
        "Lost": {"Type": "Fail", "Error": "Lost"},
        "Late": {"Type": "Fail", "Error": "Late"}}}"#;
    let (scenarios, coverage) = generated_and_covered("callbacks", definition);
    assert_full("callbacks", &coverage);
    let f = coverage.edge_figure();
    assert_eq!((f.covered, f.total), (f.total, 8), "{}", coverage.summary());
    let g = coverage.goal_figure();
    assert_eq!((g.covered, g.total), (6, 6), "{}", coverage.summary());
    // What only an answered callback reaches, reached by the scenario that answers it so: Next
    // (a handler that fails before the task waits cannot take it), Retry then success, and a
    // missed heartbeat.
    use statecraft::sim::handler::{CallbackAnswer, HandlerChoice};
    use statecraft::sim::suite::graph::Goal;
    let answer = |i: usize| match scenarios[i].handlers.get("Ask approval").map(|h| &h.choice) {
        Some(HandlerChoice::Callback { answer: Some(answer) }) => Some(answer.clone()),
        _ => None,
    };
    let edge = coverage.edges.iter().find(|i| i.what.from == "Ask approval" && i.what.to == "Ship").unwrap();
    assert!(edge.reached_by.iter().all(|&i| matches!(answer(i), Some(CallbackAnswer::Success { .. } | CallbackAnswer::FailuresThenSuccess { .. }))));
    let goal = |g: Goal| coverage.goals.iter().find(|i| i.what == g).unwrap().reached_by.clone();
    let retried = goal(Goal::RetrySucceeds { state: "Ask approval".into(), retrier: 0 });
    assert!(retried.iter().any(|&i| matches!(answer(i), Some(CallbackAnswer::FailuresThenSuccess { times: 1, .. }))), "{retried:?}");
    let missed = goal(Goal::HeartbeatTimesOut { state: "Ask approval".into() });
    assert!(missed.iter().all(|&i| answer(i) == Some(CallbackAnswer::Silence { heartbeats: false })), "{missed:?}");
    assert!(!goal(Goal::TimesOut { state: "Ask approval".into() }).is_empty());
    let injected = goal(Goal::HeartbeatTimesOut { state: "Ship".into() });
    let throws_heartbeat = |i: usize| matches!(scenarios[i].handlers.get("Ship").map(|h| &h.choice), Some(HandlerChoice::Throw { error, .. }) if error == "States.HeartbeatTimeout");
    assert!(!injected.is_empty() && injected.iter().all(|&i| throws_heartbeat(i)), "{injected:?}");
    // The suite file keeps the answers, and reads back the same.
    let text = statecraft::sim::suite::file::Suite { definition: None, scenarios: scenarios.clone(), ..Default::default() }.to_text();
    assert!(text.contains("\"with\": \"silence\""), "{text}");
    assert_eq!(statecraft::sim::suite::file::Suite::parse(&text).unwrap().scenarios, scenarios);
}

/// A callback answered in advance is delivered as the task waits: success, failure, failures
/// then success (retried), silence with heartbeats until the timeout, silence until the missed
/// heartbeat; without an answer the run waits, as before.
#[test]
fn callbacks_answered_in_advance_are_delivered_as_the_task_waits() {
    use statecraft::sim::batch::Simulator;
    use statecraft::sim::handler::{CallbackAnswer, HandlerChoice, HandlerSpec};
    let definition = r#"{"StartAt": "Wait for token", "States": {
        "Wait for token": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "Parameters": {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token"}},
            "TimeoutSeconds": 3600, "HeartbeatSeconds": 600,
            "Retry": [{"ErrorEquals": ["Busy"], "MaxAttempts": 3, "IntervalSeconds": 2}], "End": true}}}"#;
    let run = |answer: Option<CallbackAnswer>| {
        let handlers: HandlerSet = [("Wait for token".to_string(), HandlerSpec { choice: HandlerChoice::Callback { answer }, latency_ms: 0 })].into();
        Simulator::new(definition, &handlers).unwrap().run(serde_json::json!({}), 0)
    };
    let done = run(Some(CallbackAnswer::Success { output: r#"{"approved": true}"#.into() }));
    assert_eq!(done.status, "SUCCEEDED");
    assert_eq!(done.output.as_deref(), Some(&serde_json::json!({"approved": true})));
    let failed = run(Some(CallbackAnswer::Failure { error: "Nope".into(), cause: "no".into() }));
    assert_eq!((failed.status, failed.error.as_deref()), ("FAILED", Some("Nope")));
    let exhausted = run(Some(CallbackAnswer::Failure { error: "Busy".into(), cause: String::new() }));
    assert_eq!((exhausted.status, exhausted.visits[0].attempts), ("FAILED", 4));
    let retried = run(Some(CallbackAnswer::FailuresThenSuccess { times: 2, error: "Busy".into(), output: "{}".into() }));
    assert_eq!((retried.status, retried.visits[0].attempts), ("SUCCEEDED", 3));
    let timed_out = run(Some(CallbackAnswer::Silence { heartbeats: true }));
    assert_eq!((timed_out.status, timed_out.error.as_deref()), ("FAILED", Some("States.Timeout")));
    assert_eq!(timed_out.duration_ms, 3_600_000);
    let missed = run(Some(CallbackAnswer::Silence { heartbeats: false }));
    // A missed heartbeat is named States.Timeout, as AWS names it; its visit says it missed one.
    assert_eq!((missed.status, missed.error.as_deref()), ("FAILED", Some("States.Timeout")));
    assert!(missed.visits[0].missed_heartbeat);
    assert_eq!(missed.duration_ms, 600_000);
    assert_eq!(run(None).status, "RUNNING");
}

/// Choices that branch on what a Task returned, not on the execution's input: each rule and the
/// Default reached by the Task's synthesised answer, the value traced back through the Task's
/// ResultSelector, ResultPath and OutputPath, a Pass's Parameters, an `Assign`ed variable, a
/// JSONata `Output`, and nested `And`/`Or`/`Not` rules.
#[test]
fn choices_on_task_results_are_reached_by_synthesised_answers() {
    let fun = "arn:aws:lambda:us-east-1:123456789012:function:F";
    let shapes = [
        // A legacy Lambda ARN: the function's result replaces the state's input; a polling loop.
        ("legacy lambda", format!(r#"{{"StartAt": "Start", "States": {{
            "Start": {{"Type": "Task", "Resource": "{fun}", "Next": "Get"}},
            "Get": {{"Type": "Task", "Resource": "{fun}", "Next": "Is"}},
            "Is": {{"Type": "Choice", "Choices": [
                {{"Variable": "$.status", "StringEquals": "SUCCEEDED", "Next": "Done"}},
                {{"Variable": "$.status", "StringEquals": "FAILED", "Next": "Failed"}}], "Default": "Wait"}},
            "Wait": {{"Type": "Wait", "Seconds": 5, "Next": "Get"}},
            "Done": {{"Type": "Succeed"}}, "Failed": {{"Type": "Fail", "Error": "Failed"}}}}}}"#)),
        // lambda:invoke through ResultSelector, ResultPath and OutputPath, then a Pass's Parameters.
        ("invoke through selector and paths", format!(r#"{{"StartAt": "Score", "States": {{
            "Score": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {{"FunctionName": "{fun}", "Payload.$": "$"}},
                "ResultSelector": {{"risk.$": "$.Payload.assessment"}}, "ResultPath": "$.scored", "OutputPath": "$.scored", "Next": "Shape"}},
            "Shape": {{"Type": "Pass", "Parameters": {{"level.$": "$.risk.level", "flags.$": "$.risk.flags"}}, "Next": "Route"}},
            "Route": {{"Type": "Choice", "Choices": [
                {{"And": [{{"Variable": "$.level", "NumericGreaterThan": 80}}, {{"Not": {{"Variable": "$.flags.manual", "BooleanEquals": true}}}}], "Next": "Reject"}},
                {{"Or": [{{"Variable": "$.level", "NumericLessThan": 10}}, {{"Variable": "$.flags.trusted", "IsPresent": true}}], "Next": "Accept"}}],
                "Default": "Review"}},
            "Reject": {{"Type": "Fail", "Error": "Rejected"}}, "Accept": {{"Type": "Succeed"}}, "Review": {{"Type": "Succeed"}}}}}}"#)),
        // A variable assigned from a Task's result, read by a later Choice.
        ("assigned variable", format!(r#"{{"StartAt": "Count", "States": {{
            "Count": {{"Type": "Task", "Resource": "{fun}", "Assign": {{"stock.$": "$.inventory.available"}}, "ResultPath": null, "Next": "Enough"}},
            "Enough": {{"Type": "Choice", "Choices": [{{"Variable": "$stock", "NumericGreaterThanEquals": 5, "Next": "Ship"}}], "Default": "Backorder"}},
            "Ship": {{"Type": "Succeed"}}, "Backorder": {{"Type": "Succeed"}}}}}}"#)),
        // JSONata: the Task's Output template, and a variable assigned from its result.
        ("jsonata output", format!(r#"{{"QueryLanguage": "JSONata", "StartAt": "Check", "States": {{
            "Check": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {{"FunctionName": "{fun}"}},
                "Output": {{"verdict": "{{% $states.result.Payload.verdict %}}"}}, "Next": "Decide"}},
            "Decide": {{"Type": "Choice", "Choices": [
                {{"Condition": "{{% $states.input.verdict = 'fraud' %}}", "Next": "Block"}},
                {{"Condition": "{{% $states.input.verdict = 'review' %}}", "Next": "Queue"}}], "Default": "Pass through"}},
            "Block": {{"Type": "Fail", "Error": "Fraud"}}, "Queue": {{"Type": "Succeed"}}, "Pass through": {{"Type": "Succeed"}}}}}}"#)),
        // JSONata conditions reading variables assigned from a Task's result (through a Pass that
        // reassigns one), beside a field of the state's input.
        ("jsonata variables", format!(r#"{{"QueryLanguage": "JSONata", "StartAt": "Score", "States": {{
            "Score": {{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {{"FunctionName": "{fun}"}},
                "Assign": {{"risk": "{{% $states.result.Payload.risk %}}", "flags": "{{% $states.result.Payload.flags %}}"}}, "Output": "{{% $states.input %}}", "Next": "Keep"}},
            "Keep": {{"Type": "Pass", "Assign": {{"level": "{{% $risk %}}"}}, "Next": "Decide"}},
            "Decide": {{"Type": "Choice", "Choices": [
                {{"Condition": "{{% $level > 80 and $not($flags.manual) %}}", "Next": "Block"}},
                {{"Condition": "{{% $level < 10 or $states.input.vip = true %}}", "Next": "Accept"}}], "Default": "Review"}},
            "Block": {{"Type": "Fail", "Error": "Risky"}}, "Accept": {{"Type": "Succeed"}}, "Review": {{"Type": "Succeed"}}}}}}"#)),
    ];
    for (label, definition) in &shapes {
        let (scenarios, coverage) = generated_and_covered(label, definition);
        assert_full(label, &coverage);
        let f = coverage.edge_figure();
        assert_eq!(f.covered, f.total, "{label}: {}", coverage.summary());
        // The edges were reached by answers, not by the input: some scenario sets a Task's answer.
        assert!(scenarios.iter().any(|s| !s.handlers.is_empty()), "{label}");
    }
}


/// A Map's and a Parallel's own Retry, followed by success and by exhaustion, and a Map's
/// tolerated failure: goals generated and reached.
#[test]
fn map_and_parallel_retries_and_tolerated_failures_are_reached() {
    let fun = "arn:aws:lambda:us-east-1:123456789012:function:F";
    let definition = format!(r#"{{"StartAt": "Each", "States": {{
        "Each": {{"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{fun}", "End": true}}}}}},
            "Retry": [{{"ErrorEquals": ["Work.Busy"], "MaxAttempts": 2}}, {{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2, "IntervalSeconds": 1}}],
            "ResultPath": null, "Next": "Some"}},
        "Some": {{"Type": "Map", "ItemsPath": "$.items", "ToleratedFailureCount": 1,
            "ItemProcessor": {{"StartAt": "Try", "States": {{"Try": {{"Type": "Task", "Resource": "{fun}", "End": true}}}}}},
            "ResultPath": null, "Next": "Both"}},
        "Both": {{"Type": "Parallel", "Branches": [
            {{"StartAt": "Left", "States": {{"Left": {{"Type": "Task", "Resource": "{fun}", "End": true}}}}}},
            {{"StartAt": "Right", "States": {{"Right": {{"Type": "Pass", "End": true}}}}}}],
            "Retry": [{{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}}],
            "Catch": [{{"ErrorEquals": ["States.ALL"], "Next": "Broken"}}], "End": true}},
        "Broken": {{"Type": "Fail", "Error": "Broken"}}}}}}"#);
    let (_, coverage) = generated_and_covered("map and parallel retries", &definition);
    assert_full("map and parallel retries", &coverage);
    use statecraft::sim::suite::graph::Goal;
    for goal in [
        Goal::RetrySucceeds { state: "Each".into(), retrier: 0 },
        Goal::RetryExhausted { state: "Each".into(), retrier: 0 },
        Goal::ToleratesFailure { state: "Some".into() },
        Goal::RetrySucceeds { state: "Both".into(), retrier: 0 },
        Goal::RetryExhausted { state: "Both".into(), retrier: 0 },
        Goal::BranchFails { state: "Both".into() },
    ] {
        let item = coverage.goals.iter().find(|i| i.what == goal).unwrap_or_else(|| panic!("{goal:?} is a goal: {}", coverage.summary()));
        assert!(!item.reached_by.is_empty(), "{goal:?} reached: {}", coverage.summary());
    }
}

/// A Choice that reads a field of a Map's list of results can take no edge (the state fails with
/// `States.Runtime`): its edges are unreachable, with the reason, and so is what only they lead to
/// (the layout corpus's generated business processes have many such Choices).
#[test]
fn a_choice_on_a_list_of_results_is_explained() {
    let fun = "arn:aws:lambda:us-east-1:123456789012:function:F";
    let definition = format!(r#"{{"StartAt": "Each", "States": {{
        "Each": {{"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {{"StartAt": "Work", "States": {{"Work": {{"Type": "Task", "Resource": "{fun}", "End": true}}}}}}, "Next": "Skip?"}},
        "Skip?": {{"Type": "Choice", "Choices": [{{"Variable": "$.flags.skip", "BooleanEquals": true, "Next": "Skipped"}}], "Default": "Done"}},
        "Skipped": {{"Type": "Succeed"}}, "Done": {{"Type": "Succeed"}}}}}}"#);
    let scenario = statecraft::sim::scenario::Scenario::new("two items", r#"{"items": [{"id": 1}, {"id": 2}]}"#);
    let coverage = run_suite(&definition, &[scenario], &HandlerSet::new(), &Default::default()).unwrap().coverage;
    let unexplained: Vec<String> = coverage.edges.iter().filter(|e| !e.covered() && e.unreachable.is_none()).map(|e| e.what.describe()).collect();
    assert!(unexplained.is_empty(), "{unexplained:?}");
    let edge = coverage.edges.iter().find(|e| e.what.from == "Skip?" && e.what.to == "Done").unwrap();
    assert!(edge.unreachable.as_deref().is_some_and(|r| r.contains("list of results of Each")), "{:?}", edge.unreachable);
    let state = coverage.states.iter().find(|s| s.what == "Skipped").unwrap();
    assert!(state.unreachable.is_some());
}

