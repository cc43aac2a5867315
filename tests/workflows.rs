//! The corpus of production-style workflows (`tests/fixtures/workflows/`, `.asl.json` or `.asl.yaml`,
//! a definition with placeholders outside its strings read as `statecraft run` reads it, or a
//! project folder whose `template.yaml`, `template.json` or `main.tf` names its definition files,
//! read through `formats` with its substitutions, `<folder>.expected.json` beside it and, when
//! the template holds several machines, the one to run under `machine`): each validates with no
//! error and runs with zero configuration (the default handlers: seed Lambdas, the stateful
//! services, the service catalogue's answers) to the outcome written beside it in
//! `<name>.expected.json`: `input`, `status`, `output` (JSON pointers into the output and the
//! value each must have), or `error` for a failure; `notes` says what the run relies on, and
//! `gap`, when present, why the simulator's outcome is not yet AWS's (a known simulator gap,
//! recorded rather than hidden by tuning the workflow). A workflow that reads S3 objects (a
//! Distributed Map's ItemReader, a listing) may have `<name>.s3.json` beside it: the objects its
//! account holds before the run, `{"bucket": {"key": body}}` (a body is the object's text, or any
//! other JSON value stored as its JSON text), given to `statecraft run` as `--s3 FILE`. A
//! workflow that reads DynamoDB tables (a query, a scan) may have `<name>.stores.json` beside
//! it: the tables (and queues, topics, buckets) its account holds before the run, in the Run
//! drawer's store seed format (`sim::stores::StoreSeeds`), given to `statecraft run` as
//! `--stores FILE`.

mod corpus_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use statecraft::asl::interp::{ExecutionStatus, ExecutionType};
use statecraft::sim::batch::Simulator;
use statecraft::sim::handler::{HandlerChoice, HandlerSet, HandlerSpec, errors_for};

const SEED: u64 = 20_240_601;

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus folder")
        .filter_map(|e| corpus_support::entry_file(&e.expect("an entry").path()))
        .collect();
    files.sort();
    files
}

/// The path beside `definition` with its `.asl.json`/`.asl.yaml` ending (a project's folder
/// name) replaced by `ending`.
fn beside(definition: &Path, ending: &str) -> String {
    corpus_support::beside(definition, ending)
}

/// The definition a run uses, as JSON text (`corpus_support::runnable_definition`).
fn definition_of(file: &Path) -> String {
    corpus_support::runnable_definition(file)
}

fn expected_of(definition: &Path) -> Value {
    let path = beside(definition, ".expected.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The S3 objects a workflow's account holds before its run (`<name>.s3.json`), as text.
fn s3_seed_of(definition: &Path) -> Option<String> {
    std::fs::read_to_string(beside(definition, ".s3.json")).ok()
}

/// The stores a workflow's account holds before its run (`<name>.stores.json`): the file's
/// name and text.
fn stores_seed_of(definition: &Path) -> Option<(String, String)> {
    let path = beside(definition, ".stores.json");
    std::fs::read_to_string(&path).ok().map(|text| (path, text))
}

/// The execution's status, output or error, as `(status, output, error)`.
fn run(definition: &str, handlers: &HandlerSet, input: Value) -> (&'static str, Value, Option<String>) {
    run_seeded(definition, handlers, input, None, None)
}

/// [`run`] with the S3 objects of `s3` (a seed file's text) and the stores of `stores` (a
/// stores file's text).
fn run_seeded(definition: &str, handlers: &HandlerSet, input: Value, s3: Option<&str>, stores: Option<&str>) -> (&'static str, Value, Option<String>) {
    let mut simulator = Simulator::new(definition, handlers).expect("the definition runs");
    if let Some(text) = s3 {
        let seed: Value = serde_json::from_str(text).expect("the S3 seed is JSON");
        simulator.s3.seed_from_json(&seed, 1_704_067_200_000).expect("the S3 seed has the shape {bucket: {key: body}}");
    }
    if let Some(text) = stores {
        let seeds = statecraft::sim::stores::StoreSeeds::parse(text).expect("the stores file is a store seed");
        simulator = simulator.with_more_stores(&seeds);
    }
    let mut execution = simulator.start(input, SEED);
    execution.run();
    match execution.status() {
        ExecutionStatus::Succeeded { output } => ("SUCCEEDED", Value::clone(output), None),
        ExecutionStatus::Failed(e) => ("FAILED", Value::Null, e.error.clone()),
        ExecutionStatus::TimedOut(e) => ("TIMED_OUT", Value::Null, e.error.clone()),
        ExecutionStatus::Running => ("RUNNING", Value::Null, None),
    }
}

/// What differs between a run and its expected outcome.
fn mismatches(expected: &Value, (status, output, error): &(&'static str, Value, Option<String>)) -> Vec<String> {
    let mut wrong = Vec::new();
    if expected["status"] != *status {
        wrong.push(format!("status {status} (error {error:?}), expected {}", expected["status"]));
    }
    if let Some(name) = expected.get("error").and_then(Value::as_str)
        && error.as_deref() != Some(name)
    {
        wrong.push(format!("error {error:?}, expected {name}"));
    }
    for (pointer, want) in expected.get("output").and_then(Value::as_object).into_iter().flatten() {
        match output.pointer(pointer) {
            Some(got) if got == want => {}
            got => wrong.push(format!("output {pointer} is {got:?}, expected {want}")),
        }
    }
    wrong
}

/// The services a definition calls: `aws-sdk:<service>:` and optimized `states:::<service>:`.
fn services(definition: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for piece in definition.split("\"arn:aws:states:::").skip(1) {
        let piece = piece.strip_prefix("aws-sdk:").unwrap_or(piece);
        if let Some(service) = piece.split(':').next() {
            found.insert(service.to_string());
        }
    }
    found
}

#[test]
fn every_workflow_validates_and_runs_to_its_expected_outcome_with_zero_configuration() {
    let files = corpus();
    let mut ok = 0;
    let mut gaps = Vec::new();
    let mut failures = Vec::new();
    let mut all_services = BTreeSet::new();
    for file in &files {
        let name = file.to_string_lossy().split("fixtures/workflows/").last().unwrap_or_default().to_string();
        let definition = definition_of(file);
        let report = statecraft::asl::validate::validate_text_as(&definition, ExecutionType::Standard);
        let errors: Vec<String> = report.errors().map(|d| format!("{} {} ({})", d.code.as_str(), d.message, d.pointer)).collect();
        if !errors.is_empty() {
            failures.push(format!("{name}: does not validate: {errors:?}"));
            continue;
        }
        all_services.extend(services(&definition));
        let expected = expected_of(file);
        let outcome = run_seeded(&definition, &HandlerSet::new(), expected["input"].clone(), s3_seed_of(file).as_deref(), stores_seed_of(file).map(|(_, t)| t).as_deref());
        let wrong = mismatches(&expected, &outcome);
        if std::env::var_os("WORKFLOWS_SHOW").is_some() {
            println!("{name}: {} {}", outcome.0, outcome.1);
        }
        if wrong.is_empty() {
            ok += 1;
            if expected.get("gap").is_some() {
                gaps.push(name.clone());
            }
        } else {
            failures.push(format!("{name}: {} | output {}", wrong.join("; "), outcome.1));
        }
    }
    println!("workflows: {ok} of {} run to their expected outcome", files.len());
    println!("of which {} with a recorded simulator gap: {}", gaps.len(), gaps.join(", "));
    println!("services called: {} ({})", all_services.len(), all_services.iter().cloned().collect::<Vec<_>>().join(", "));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(files.len() >= 40, "the corpus has {} workflows", files.len());
    assert!(all_services.len() >= 20, "{all_services:?}");
}

/// The services a definition calls through `aws-sdk:`.
fn sdk_services(definition: &str) -> BTreeSet<String> {
    definition.split("\"arn:aws:states:::aws-sdk:").skip(1).filter_map(|piece| piece.split(':').next()).map(str::to_string).collect()
}

#[test]
fn the_corpus_has_what_production_workflows_use() {
    let texts: Vec<String> = corpus().iter().map(|f| definition_of(f)).collect();
    let count = |needle: &str| texts.iter().filter(|t| t.contains(needle)).count();
    let sdk: BTreeSet<String> = texts.iter().flat_map(|t| sdk_services(t)).collect();
    assert!(sdk.len() >= 20, "aws-sdk calls to {} services: {sdk:?}", sdk.len());
    // (what, how many workflows have it at least)
    let wanted = [
        ("\"InputType\": \"CSV\"", 2),
        ("\"InputType\": \"JSONL\"", 2),
        ("\"Mode\": \"DISTRIBUTED\"", 4),
        (".sync", 8),
        (".waitForTaskToken", 2),
        ("\"QueryLanguage\": \"JSONata\"", 3),
        ("\"Assign\"", 3),
        ("\"Credentials\"", 2),
        ("\"ResultSelector\"", 20),
        ("\"Type\": \"Parallel\"", 5),
        ("\"Catch\"", 30),
        ("\"Retry\"", 30),
        ("States.Format(", 15),
        ("arn:aws:states:::lambda:invoke", 5),
    ];
    for (what, least) in wanted {
        assert!(count(what) >= least, "{what} in {} workflows, fewer than {least}", count(what));
    }
    // Nested Map and Parallel: a Map or a Parallel inside another.
    let nested = texts.iter().filter(|t| {
        let v: Value = serde_json::from_str(t).unwrap();
        fn depth(v: &Value) -> usize {
            let inner = |s: &Value| s.get("States").and_then(Value::as_object).map_or(0, |m| m.values().map(depth).max().unwrap_or(0));
            let own = matches!(v.get("Type").and_then(Value::as_str), Some("Map" | "Parallel")) as usize;
            let below = v.get("Branches").and_then(Value::as_array).map_or(0, |b| b.iter().map(inner).max().unwrap_or(0))
                .max(v.get("ItemProcessor").or(v.get("Iterator")).map_or(0, inner));
            own + below.max(inner(v))
        }
        depth(&v) >= 2
    }).count();
    assert!(nested >= 4, "{nested} workflows nest a Map or a Parallel in another");
}

#[test]
fn the_same_run_twice_is_the_same() {
    for file in corpus() {
        let definition = definition_of(&file);
        let input = expected_of(&file)["input"].clone();
        let s3 = s3_seed_of(&file);
        let stores = stores_seed_of(&file).map(|(_, text)| text);
        let once = run_seeded(&definition, &HandlerSet::new(), input.clone(), s3.as_deref(), stores.as_deref());
        assert_eq!(once, run_seeded(&definition, &HandlerSet::new(), input, s3.as_deref(), stores.as_deref()), "{}", file.display());
    }
}

#[test]
fn a_service_error_on_demand_is_caught_by_its_name() {
    let resource = "arn:aws:states:::dynamodb:putItem";
    let errors = errors_for(resource);
    for name in ["DynamoDB.ConditionalCheckFailedException", "DynamoDB.AmazonDynamoDBException", "States.Timeout", "States.TaskFailed"] {
        assert!(errors.iter().any(|e| e == name), "{name} in {errors:?}");
    }
    assert!(errors_for("arn:aws:states:::aws-sdk:s3:getObject").iter().any(|e| e == "S3.NoSuchKeyException"));
    assert!(errors_for("arn:aws:states:::lambda:invoke").iter().any(|e| e == "Lambda.TooManyRequestsException"));
    assert_eq!(errors_for("arn:aws:states:us-east-1:123456789012:activity:approve"), ["States.Timeout", "States.TaskFailed"]);

    let file = corpus().into_iter().find(|f| f.ends_with("order-fulfilment-saga.asl.json")).expect("the saga");
    let definition = std::fs::read_to_string(&file).unwrap();
    let input = expected_of(&file)["input"].clone();
    let state = "Record Order As Pending In Orders Table";
    let throw = |error: &str| -> HandlerSet {
        let choice = HandlerChoice::Throw { error: error.into(), cause: "The conditional request failed".into() };
        [(state.to_string(), HandlerSpec { choice, latency_ms: 0 })].into()
    };
    let caught = run(&definition, &throw("DynamoDB.ConditionalCheckFailedException"), input.clone());
    assert_eq!(caught.0, "SUCCEEDED");
    assert_eq!(caught.1["error"]["Error"], json!("DynamoDB.ConditionalCheckFailedException"), "the Catch's ResultPath holds the error");
    assert!(caught.1.get("shipping").is_none(), "the Catch path skipped shipping: {}", caught.1);
    // An error the Catch does not name fails the execution with it.
    let uncaught = run(&definition, &throw("DynamoDB.ResourceNotFoundException"), input);
    assert_eq!((uncaught.0, uncaught.2.as_deref()), ("FAILED", Some("DynamoDB.ResourceNotFoundException")));
}

#[test]
fn statecraft_run_gives_the_same_outcomes_with_zero_configuration() {
    use statecraft::sim::command::{RunOptions, run_command};
    for file in corpus() {
        let definition = definition_of(&file);
        let expected = expected_of(&file);
        let options = RunOptions { seed: SEED, start_time: None, execution_type: ExecutionType::Standard, history: false, mocks: None, s3: s3_seed_of(&file), jsonata: Default::default(), answers: Default::default(), stores: stores_seed_of(&file), print_stores: false };
        let report = run_command(&definition, &expected["input"].to_string(), &options);
        let want = if expected["status"] == "SUCCEEDED" { 0 } else { 1 };
        assert_eq!(report.exit_code, want, "{}: {}{}", file.display(), report.stdout, report.stderr);
        let printed: Value = serde_json::from_str(&report.stdout).expect("JSON on stdout");
        if let Some(error) = expected.get("error") {
            assert_eq!(&printed["error"], error, "{}", file.display());
        }
        for (pointer, want) in expected.get("output").and_then(Value::as_object).into_iter().flatten() {
            assert_eq!(printed.pointer(pointer), Some(want), "{} {pointer}", file.display());
        }
    }
}

/// What the stores hold after `statecraft run --print-stores` of a corpus workflow: the tables'
/// items, by table name.
fn tables_after(name: &str) -> std::collections::BTreeMap<String, Vec<Value>> {
    use statecraft::sim::command::{RunOptions, run_command};
    let file = corpus().into_iter().find(|f| f.ends_with(name)).expect("the workflow");
    let definition = definition_of(&file);
    let expected = expected_of(&file);
    let options = RunOptions { seed: SEED, start_time: None, execution_type: ExecutionType::Standard, history: false, mocks: None, s3: s3_seed_of(&file), jsonata: Default::default(), answers: Default::default(), stores: stores_seed_of(&file), print_stores: true };
    let report = run_command(&definition, &expected["input"].to_string(), &options);
    assert_eq!(report.exit_code, 0, "{}", report.stderr);
    let printed: Value = serde_json::from_str(report.stderr.trim()).expect("the stores as JSON on stderr");
    printed["stores"]["tables"].as_array().expect("tables").iter().map(|t| (t["name"].as_str().unwrap().to_string(), t["items"].as_array().cloned().unwrap_or_default())).collect()
}

#[test]
fn paging_workflows_read_every_page_of_their_seeded_tables() {
    // The transfer pages through 53 items (50, 3, then an empty page) and copies each.
    let tables = tables_after("aws-samples-dynamodb-transfer.asl.json");
    let (source, target) = (&tables["${SourceTableName}"], &tables["${TargetTableName}"]);
    assert_eq!((source.len(), target.len()), (53, 53));
    assert!(source.iter().all(|item| target.contains(item)), "every item copied as it was");
    // The order-history export records its export once and counts it on the customer.
    let tables = tables_after("customer-order-history-export.asl.json");
    assert_eq!(tables["order-exports-prod"], [json!({"exportId": {"S": "CUST-2291#2024"}, "orderCount": {"N": "6"}, "amountCents": {"N": "27898"}, "pages": {"N": "3"}})]);
    assert_eq!(tables["customers-prod"][0]["exportCount"], json!({"N": "3"}));
    assert_eq!(tables["customers-prod"][0]["lastExport"], json!({"S": "2024"}));
}

#[test]
fn a_migration_writes_each_item_back_in_place() {
    let tables = tables_after("aws-samples-dynamodb-migrations.asl.json");
    let skus: Vec<&Value> = tables["${MigrateTableName}"].iter().map(|i| &i["sku"]["S"]).collect();
    assert_eq!(skus, ["SKU-1001", "SKU-1002", "SKU-1003", "SKU-1004"], "replaced, not appended");
}

#[test]
fn a_distributed_batch_import_writes_each_record_of_its_file_once() {
    // Four organisations in the seeded JSON file, one batch of them, one PutRequest each.
    let tables = tables_after("aws-samples-distributed-batch-import.asl.yaml");
    let items = &tables["${DynamoDBTable}"];
    let names: Vec<&Value> = items.iter().map(|i| &i["name"]["S"]).collect();
    assert_eq!(names, ["Company 1", "Company 2", "Company 3", "Company 4"]);
    assert!(items.iter().all(|i| i["SK"] == json!({"S": "organization"}) && i["PK"]["S"].as_str().is_some_and(|k| k.len() == 36)), "{items:?}");
}

#[test]
fn the_s3_tables_export_reads_this_week_s_forms_into_one_batch_of_firehose_records() {
    // Firehose's answer echoed: the child's output is what it sent.
    let file = corpus().into_iter().find(|f| f.to_string_lossy().contains("aws-samples-s3-tables-distributed-map/")).expect("the workflow");
    let definition = definition_of(&file);
    let echo: HandlerSet = [("PutRecordBatch".to_string(), HandlerSpec { choice: HandlerChoice::Echo, latency_ms: 0 })].into();
    let (status, output, error) = run_seeded(&definition, &echo, json!({}), s3_seed_of(&file).as_deref(), None);
    assert_eq!((status, error), ("SUCCEEDED", None), "{output}");
    // The listing's prefix is this week's (2024/01 at the run's start): three forms, not last
    // week's, in one batch of up to ten, so one child.
    let batches = output.as_array().expect("the Map's results");
    assert_eq!(batches.len(), 1, "{output}");
    let records = batches[0]["Records"].as_array().expect("the records sent");
    assert_eq!(records.len(), 3, "{output}");
    for record in records {
        // Each record pairs the QUERY block's alias with the QUERY_RESULT block's text.
        let data: Value = serde_json::from_str(record["Data"].as_str().expect("Data is text")).expect("JSON text");
        assert_eq!(data["processed_date"], json!("2024-01-01"), "{data}");
        assert_eq!(data.as_object().map(|o| o.len()), Some(2), "{data}");
    }
    assert_eq!(batches[0]["DeliveryStreamName"], json!("put_raw_form_data"));
}

/// What the buckets hold after `statecraft run --print-stores` of a corpus workflow: the keys,
/// by bucket name.
fn buckets_after(name: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    use statecraft::sim::command::{RunOptions, run_command};
    let file = corpus().into_iter().find(|f| f.ends_with(name)).expect("the workflow");
    let expected = expected_of(&file);
    let options = RunOptions { seed: SEED, start_time: None, execution_type: ExecutionType::Standard, history: false, mocks: None, s3: s3_seed_of(&file), jsonata: Default::default(), answers: Default::default(), stores: stores_seed_of(&file), print_stores: true };
    let report = run_command(&definition_of(&file), &expected["input"].to_string(), &options);
    assert_eq!(report.exit_code, 0, "{}", report.stderr);
    let printed: Value = serde_json::from_str(report.stderr.trim()).expect("the stores as JSON on stderr");
    let keys = |b: &Value| b["objects"].as_array().into_iter().flatten().map(|o| o["key"].as_str().unwrap().to_string()).collect();
    printed["stores"]["buckets"].as_array().expect("buckets").iter().map(|b| (b["name"].as_str().unwrap().to_string(), keys(b))).collect()
}

#[test]
fn distributed_maps_over_a_listing_delete_and_copy_every_object_they_list() {
    // The bulk delete removes what is under its prefix and nothing else.
    let buckets = buckets_after("aws-samples-demo-bulk-delete-s3-objects.asl.json");
    assert_eq!(buckets["expired-exports"], ["keep/readme.txt"]);
    // The copy pages through 1,003 keys (1,000, then 3) and copies each, body and all.
    let buckets = buckets_after("aws-samples-copy-noaa-data.asl.json");
    assert_eq!(buckets["noaa-gsod-pds"].len(), 1003);
    assert_eq!(buckets["${DestinationBucket}"], buckets["noaa-gsod-pds"]);
}

/// What `statecraft run --print-stores` of a corpus workflow leaves in its stores, as JSON.
fn stores_after(name: &str) -> Value {
    use statecraft::sim::command::{RunOptions, run_command};
    let file = corpus().into_iter().find(|f| f.ends_with(name)).expect("the workflow");
    let expected = expected_of(&file);
    let options = RunOptions { seed: SEED, start_time: None, execution_type: ExecutionType::Standard, history: false, mocks: None, s3: s3_seed_of(&file), jsonata: Default::default(), answers: Default::default(), stores: stores_seed_of(&file), print_stores: true };
    let report = run_command(&definition_of(&file), &expected["input"].to_string(), &options);
    assert_eq!(report.exit_code, 0, "{}", report.stderr);
    serde_json::from_str::<Value>(report.stderr.trim()).expect("the stores as JSON on stderr")["stores"].clone()
}

#[test]
fn templates_run_as_deployed_a_semicolon_csv_a_batch_write_and_a_document_analysis() {
    // A CDK template's Distributed Map reads its CSV with the delimiter it names: three rows, the
    // comma inside "Gadget, large" part of a field, each a child whose output the ResultWriter keeps.
    let stores = stores_after("aws-cdk-distributed-map-csv-delimiter/template.json");
    let objects = stores["buckets"][0]["objects"].as_array().expect("the bucket's objects");
    let results = objects.iter().find(|o| o["key"].as_str().is_some_and(|k| k.ends_with("/SUCCEEDED_0.json"))).expect("the result file");
    let children: Vec<Value> = serde_json::from_str(results["body"].as_str().unwrap()).unwrap();
    let inputs: Vec<Value> = children.iter().map(|c| serde_json::from_str(c["Input"].as_str().unwrap()).unwrap()).collect();
    assert_eq!(inputs, [json!({"sku": "A-1", "name": "Widget", "qty": "3"}), json!({"sku": "B-2", "name": "Gadget, large", "qty": "1"}), json!({"sku": "C-3", "name": "Bolt", "qty": "12"})]);
    // A SAM DefinitionUri whose substitutions name the attributes: each item written once, in
    // the attributes the template names.
    let stores = stores_after("aws-samples-sfn-dynamodb-batchwriteitem/template.yaml");
    assert_eq!(stores["tables"][0]["items"], json!([
        {"id": {"S": "1"}, "name": {"S": "Alpha"}, "rating": {"S": "5"}},
        {"id": {"S": "2"}, "name": {"S": "Beta"}, "rating": {"S": "3"}}]));
    // Resources given by DefinitionSubstitutions' !Sub arn:${AWS::Partition}: the part saved
    // under analysis/ and the result published.
    let stores = stores_after("aws-samples-sdk-document-text-analysis/template.yaml");
    let keys: Vec<&str> = stores["buckets"][0]["objects"].as_array().unwrap().iter().filter_map(|o| o["key"].as_str()).collect();
    assert_eq!(keys, ["analysis/reports/q3.txt/0", "reports/q3.txt"]);
    assert_eq!(stores["topics"][0]["messages"][0]["Message"]["objectKey"], json!("reports/q3.txt"));
}
