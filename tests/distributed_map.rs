//! Distributed Map, simulated: each reader type and CSV variant, MaxItems, batching, tolerated
//! failures (counts, percentages, their paths and AWS's validation causes), each ResultWriter
//! transformation and output type with the files it puts into the simulated bucket, the Map
//! Run's events, and the fields the simulator refuses rather than ignore.
//!
//! One helper runs a one-Map machine over seeded S3 objects ([`run`]); each case says what the
//! Map's state is, what the bucket holds, and what the run gives.

use serde_json::{Value, json};
use statecraft::asl::interp::ExecutionStatus;
use statecraft::handlers::services::SharedStore;
use statecraft::sim::batch::Simulator;

/// A run's end: the status, the output (or `{error, cause}`), the event types, the store.
struct Run {
    status: &'static str,
    output: Value,
    events: Vec<String>,
    store: SharedStore,
}

impl Run {
    fn object(&self, bucket: &str, key: &str) -> String {
        let store = self.store.borrow();
        store.s3.object(bucket, key).unwrap_or_else(|| panic!("no s3://{bucket}/{key}; keys: {:?}", store.s3.objects(bucket).map(|(k, _)| k.to_string()).collect::<Vec<_>>())).body.clone()
    }

    fn json_object(&self, bucket: &str, key: &str) -> Value {
        serde_json::from_str(&self.object(bucket, key)).expect("a JSON object")
    }

    fn error(&self) -> (&str, &str) {
        (self.output["error"].as_str().unwrap_or(""), self.output["cause"].as_str().unwrap_or(""))
    }
}

/// The iteration's states: each child returns its input, unless it has `"fail": true` (or a
/// batch holds such an item), then it fails with `ItemFailed`.
const PROCESSOR: &str = r#"{
    "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    "StartAt": "Check",
    "States": {
        "Check": {"Type": "Choice", "Choices": [
            {"Or": [
                {"And": [{"Variable": "$.fail", "IsPresent": true}, {"Variable": "$.fail", "BooleanEquals": true}]},
                {"And": [{"Variable": "$.Items[0].fail", "IsPresent": true}, {"Variable": "$.Items[0].fail", "BooleanEquals": true}]}
            ], "Next": "Fail Item"}
        ], "Default": "Done"},
        "Fail Item": {"Type": "Fail", "Error": "ItemFailed", "Cause": "the item asked to fail"},
        "Done": {"Type": "Pass", "End": true}
    }
}"#;

/// Runs a machine whose only state is the Map `map` (its fields, ItemProcessor added) over
/// `input`, with the bucket objects `s3` (`{"bucket": {"key": body}}`).
fn run(map: Value, input: Value, s3: Value) -> Run {
    let mut state = map;
    state["Type"] = json!("Map");
    if state.get("ItemProcessor").is_none() {
        state["ItemProcessor"] = serde_json::from_str(PROCESSOR).unwrap();
    }
    state["End"] = json!(true);
    run_definition(json!({"StartAt": "Process", "States": {"Process": state}}), input, s3)
}

fn run_definition(definition: Value, input: Value, s3: Value) -> Run {
    let simulator = Simulator::new(&definition.to_string(), &Default::default()).expect("the definition compiles");
    let store = simulator.fresh_store();
    store.borrow_mut().s3.seed_from_json(&s3, 1_704_067_200_000).expect("a seed");
    let mut execution = simulator.start_over(input, 7, &store);
    execution.run();
    let events = execution.history().iter().map(|e| e.kind.type_name().to_string()).collect();
    let (status, output) = match execution.status() {
        ExecutionStatus::Succeeded { output } => ("SUCCEEDED", Value::clone(output)),
        ExecutionStatus::Failed(e) => ("FAILED", json!({"error": e.error, "cause": e.cause})),
        ExecutionStatus::TimedOut(e) => ("TIMED_OUT", json!({"error": e.error, "cause": e.cause})),
        ExecutionStatus::Running => ("RUNNING", Value::Null),
    };
    Run { status, output, events, store }
}

fn reader(input_type: &str, key: &str, extra: Value) -> Value {
    let mut config = json!({"InputType": input_type});
    for (k, v) in extra.as_object().into_iter().flatten() {
        config[k] = v.clone();
    }
    json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": config, "Parameters": {"Bucket": "data", "Key": key}}})
}

#[test]
fn every_reader_type_and_csv_variant_gives_its_items() {
    let csv_rows = json!([{"id": "1", "name": "Smith, Jo", "note": "says \"hi\""}, {"id": "2", "name": "Lee", "note": ""}]);
    let given = json!([{"a": "1", "b": "x y"}, {"a": "2", "b": "z"}]);
    let cases: Vec<(&str, Value, &str, Value)> = vec![
        ("CSV, FIRST_ROW, commas and quotes", reader("CSV", "in.csv", json!({"CSVHeaderLocation": "FIRST_ROW"})), "id,name,note\n1,\"Smith, Jo\",\"says \"\"hi\"\"\"\n2,Lee,\n", csv_rows),
        ("CSV, GIVEN headers, PIPE", reader("CSV", "in.csv", json!({"CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"], "CSVDelimiter": "PIPE"})), "1|x y\n2|z\n", given.clone()),
        ("CSV, SEMICOLON", reader("CSV", "in.csv", json!({"CSVDelimiter": "SEMICOLON"})), "a;b\n1;x y\n2;z\n", given.clone()),
        ("CSV, TAB", reader("CSV", "in.csv", json!({"CSVDelimiter": "TAB"})), "a\tb\n1\tx y\n2\tz\n", given.clone()),
        ("CSV, SPACE with a quoted field", reader("CSV", "in.csv", json!({"CSVDelimiter": "SPACE"})), "a b\n1 \"x y\"\n2 z\n", given),
        ("CSV, default header is the first row", reader("CSV", "in.csv", json!({})), "n\n7\n", json!([{"n": "7"}])),
        ("JSON array", reader("JSON", "in.json", json!({})), r#"[{"n": 1}, "two", [3]]"#, json!([{"n": 1}, "two", [3]])),
        ("JSON with ItemsPointer", reader("JSON", "in.json", json!({"ItemsPointer": "/page/rows"})), r#"{"page": {"rows": [1, 2]}}"#, json!([1, 2])),
        ("JSONL, blank lines skipped", reader("JSONL", "in.jsonl", json!({})), "{\"n\":1}\n\n{\"n\":2}\n", json!([{"n": 1}, {"n": 2}])),
        ("MaxItems", reader("JSONL", "in.jsonl", json!({"MaxItems": 1})), "{\"n\":1}\n{\"n\":2}\n", json!([{"n": 1}])),
        ("MaxItemsPath", reader("JSONL", "in.jsonl", json!({"MaxItemsPath": "$.limit"})), "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n", json!([{"n": 1}, {"n": 2}])),
    ];
    for (name, map, body, want) in cases {
        let key = map["ItemReader"]["Parameters"]["Key"].as_str().unwrap().to_string();
        let r = run(map, json!({"limit": 2}), json!({"data": {key: body}}));
        assert_eq!((r.status, &r.output), ("SUCCEEDED", &want), "{name}");
    }
}

#[test]
fn a_manifest_reads_the_csv_files_it_lists() {
    let manifest = json!({
        "sourceBucket": "photos", "destinationBucket": "arn:aws:s3:::inventory", "version": "2016-11-30",
        "fileFormat": "CSV", "fileSchema": "Bucket, Key, Size",
        "files": [{"key": "photos/data/a.csv", "size": 40, "MD5checksum": "x"}, {"key": "photos/data/b.csv", "size": 20, "MD5checksum": "y"}]
    });
    let map = reader("MANIFEST", "photos/manifest.json", json!({}));
    let seed = json!({
        "data": {"photos/manifest.json": manifest},
        "inventory": {"photos/data/a.csv": "photos,2024/a.jpg,100\nphotos,2024/b.jpg,200\n", "photos/data/b.csv": "photos,2024/c.jpg,5\n"}
    });
    let r = run(map, json!({}), seed);
    assert_eq!(r.status, "SUCCEEDED", "{}", r.output);
    assert_eq!(r.output.as_array().unwrap().len(), 3);
    assert_eq!(r.output[2], json!({"Bucket": "photos", "Key": "2024/c.jpg", "Size": "5"}));
}

#[test]
fn list_objects_v2_gives_each_objects_metadata_and_load_and_flatten_its_items() {
    let seed = json!({"data": {"logs/a.jsonl": "{\"n\":1}\n{\"n\":2}\n", "logs/b.jsonl": "{\"n\":3}\n", "other/c.txt": "x"}});
    let listing = json!({"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "logs/"}}});
    let r = run(listing, json!({}), seed.clone());
    assert_eq!(r.status, "SUCCEEDED", "{}", r.output);
    assert_eq!(
        r.output[0],
        json!({"Etag": statecraft::handlers::s3::etag_of("{\"n\":1}\n{\"n\":2}\n"), "Key": "logs/a.jsonl", "LastModified": 1_704_067_200, "Size": 16, "StorageClass": "STANDARD"})
    );
    assert_eq!(r.output.as_array().unwrap().len(), 2);
    let flatten = json!({"ItemReader": {"Resource": "arn:aws:states:::s3:listObjectsV2", "ReaderConfig": {"InputType": "JSONL", "Transformation": "LOAD_AND_FLATTEN"}, "Parameters": {"Bucket": "data", "Prefix": "logs/"}}});
    let r = run(flatten, json!({}), seed);
    assert_eq!((r.status, r.output), ("SUCCEEDED", json!([{"n": 1}, {"n": 2}, {"n": 3}])));
}

#[test]
fn reader_errors_are_item_reader_failed() {
    let r = run(reader("CSV", "missing.csv", json!({})), json!({}), json!({"data": {}}));
    assert_eq!(r.error().0, "States.ItemReaderFailed");
    assert!(r.error().1.starts_with("The specified key does not exist."), "{}", r.error().1);
    let r = run(reader("CSV", "bad.csv", json!({})), json!({}), json!({"data": {"bad.csv": "a,a\n1,2\n"}}));
    assert_eq!(r.error(), ("States.ItemReaderFailed", "CSV headers cannot contain duplicates."));
    let r = run(reader("JSON", "x.json", json!({})), json!({}), json!({"data": {"x.json": "{\"not\": \"an array\"}"}}));
    assert_eq!(r.error(), ("States.ItemReaderFailed", "Attempting to map over non-iterable node."));
    // The Map Run reads the items: a failed read is a Map Run that started and failed, after
    // MapStateStarted (length 0: nothing read yet), then the state's failure (AWS's recorded
    // histories of a reader's failure).
    assert_eq!(r.events, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
    // and a Catch sees it as it would any Map Run failure.
    let mut caught = reader("CSV", "missing.csv", json!({}));
    caught["Catch"] = json!([{"ErrorEquals": ["States.ItemReaderFailed"], "ResultPath": "$.error", "Next": "Recover"}]);
    caught["Type"] = json!("Map");
    caught["ItemProcessor"] = serde_json::from_str(PROCESSOR).unwrap();
    caught["Next"] = json!("Recover");
    let definition = json!({"StartAt": "Process", "States": {"Process": caught, "Recover": {"Type": "Pass", "End": true}}});
    let r = run_definition(definition, json!({}), json!({"data": {}}));
    assert_eq!(r.status, "SUCCEEDED");
    assert_eq!(r.output["error"]["Error"], "States.ItemReaderFailed");
    assert_eq!(r.events[2..6], ["MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed"]);
    assert!(r.events.contains(&"PassStateEntered".to_string()), "{:?}", r.events);
}

#[test]
fn an_object_version_is_not_simulated_and_stops_the_run_rather_than_read_another() {
    let mut map = reader("JSON", "x.json", json!({}));
    map["ItemReader"]["Parameters"]["VersionId"] = json!("BcK42coT2jE1234VHLUvBV1yLNod2OEt");
    map["Catch"] = json!([{"ErrorEquals": ["States.ALL"], "Next": "Never"}]);
    map["Type"] = json!("Map");
    map["ItemProcessor"] = serde_json::from_str(PROCESSOR).unwrap();
    map["Next"] = json!("Never");
    let definition = json!({"StartAt": "Process", "States": {"Process": map, "Never": {"Type": "Pass", "End": true}}});
    let r = run_definition(definition, json!({}), json!({"data": {"x.json": "[1]"}}));
    assert_eq!(r.status, "FAILED", "States.ALL does not catch States.Runtime");
    assert_eq!(r.error().0, "States.Runtime");
    assert!(r.error().1.starts_with("Statecraft does not simulate S3 object versions"), "{}", r.error().1);
}

#[test]
fn what_is_not_simulated_fails_the_run_at_the_map_and_says_so() {
    for (map, named) in [
        (reader("PARQUET", "x.parquet", json!({})), "ItemReader.ReaderConfig.InputType PARQUET"),
        (reader("CSV", "x.csv", json!({"CSVDelimiter": "COLON"})), "ItemReader.ReaderConfig.CSVDelimiter COLON"),
        (json!({"ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "Surprise": 1}, "Parameters": {"Bucket": "data", "Key": "x"}}}), "ItemReader.ReaderConfig.Surprise"),
        (json!({"ResultWriter": {"Resource": "arn:aws:states:::dynamodb:putItem", "Parameters": {"Bucket": "out"}}}), "ResultWriter.Resource arn:aws:states:::dynamodb:putItem"),
    ] {
        let r = run(map, json!([1]), json!({"data": {"x.csv": "a\n1\n", "x.json": "[1]", "x.parquet": "PAR1"}}));
        assert_eq!(r.error().0, "States.Runtime", "{named}");
        assert!(r.error().1.contains(&format!("Statecraft does not simulate {named}")), "{}", r.error().1);
        assert!(r.error().1.contains("'Process'"), "located on the state: {}", r.error().1);
    }
}

#[test]
fn batching_by_count_bytes_and_paths_with_batch_input() {
    let seed = json!({"data": {"in.jsonl": "{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n"}});
    let cases = [
        (json!({"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}}), vec![2, 2, 1], true),
        (json!({"MaxItemsPerBatchPath": "$.size"}), vec![3, 2], false),
        // {"Items":[]} is 12 bytes, each {"n":1} 7, with a comma between.
        (json!({"MaxInputBytesPerBatch": 27}), vec![2, 2, 1], false),
        (json!({"MaxInputBytesPerBatchPath": "$.bytes", "MaxItemsPerBatch": 1}), vec![1, 1, 1, 1, 1], false),
    ];
    for (batcher, sizes, with_input) in cases {
        let mut map = reader("JSONL", "in.jsonl", json!({}));
        map["ItemBatcher"] = batcher.clone();
        let r = run(map, json!({"run": "r-1", "size": 3, "bytes": 100}), seed.clone());
        assert_eq!(r.status, "SUCCEEDED", "{batcher}: {}", r.output);
        let got: Vec<usize> = r.output.as_array().unwrap().iter().map(|b| b["Items"].as_array().unwrap().len()).collect();
        assert_eq!(got, sizes, "{batcher}");
        assert_eq!(r.output[0]["Items"][0], json!({"n": 1}));
        assert_eq!(r.output[0].get("BatchInput").cloned(), with_input.then(|| json!({"run": "r-1"})), "{batcher}");
    }
    // The ItemSelector shapes each item before it is batched.
    let mut map = reader("JSONL", "in.jsonl", json!({}));
    map["ItemBatcher"] = json!({"MaxItemsPerBatch": 5});
    map["ItemSelector"] = json!({"value.$": "$$.Map.Item.Value.n", "index.$": "$$.Map.Item.Index"});
    let r = run(map, json!({}), seed.clone());
    assert_eq!(r.output[0]["Items"][4], json!({"value": 5, "index": 4}));
    let mut map = reader("JSONL", "in.jsonl", json!({}));
    map["ItemBatcher"] = json!({"MaxInputBytesPerBatch": 15});
    let r = run(map, json!({}), seed);
    assert_eq!(r.error().0, "States.Runtime");
    assert!(r.error().1.contains("does not fit in a batch of MaxInputBytesPerBatch 15 bytes"), "{}", r.error().1);
}

fn items_failing(failing: &[usize], total: usize) -> Value {
    (0..total).map(|i| json!({"i": i, "fail": failing.contains(&i)})).collect()
}

#[test]
fn tolerated_failures_by_count_percentage_and_paths() {
    let threshold = ("States.ExceedToleratedFailureThreshold", "The specified tolerated failure threshold was exceeded");
    // (Map fields, failing items of 4, outcome: None = succeeds)
    let cases: Vec<(Value, Vec<usize>, Option<(&str, &str)>)> = vec![
        (json!({}), vec![], None),
        (json!({}), vec![2], Some(threshold)),
        (json!({"ToleratedFailureCount": 1}), vec![2], None),
        (json!({"ToleratedFailureCount": 1}), vec![0, 2], Some(threshold)),
        (json!({"ToleratedFailurePercentage": 50}), vec![0, 2], None),
        (json!({"ToleratedFailurePercentage": 25}), vec![0, 2], Some(threshold)),
        (json!({"ToleratedFailureCountPath": "$.count"}), vec![1, 3], None),
        (json!({"ToleratedFailurePercentagePath": "$.percentage"}), vec![1], None),
        (json!({"ToleratedFailureCountPath": "$.negative"}), vec![], Some(("States.Runtime", "ToleratedFailureCount cannot be negative."))),
        (json!({"ToleratedFailurePercentagePath": "$.tooMuch"}), vec![], Some(("States.Runtime", "ToleratedFailurePercentage must be between 0 and 100."))),
    ];
    for (fields, failing, want) in cases {
        let mut map = fields.clone();
        map["ItemsPath"] = json!("$.items");
        let input = json!({"items": items_failing(&failing, 4), "count": 2, "percentage": 25, "negative": -1, "tooMuch": 101});
        let r = run(map, input, json!({}));
        match want {
            None => {
                assert_eq!(r.status, "SUCCEEDED", "{fields} {failing:?}: {}", r.output);
                for &i in &failing {
                    assert_eq!(r.output[i]["Error"], "ItemFailed", "a tolerated failure's place holds its error");
                }
            }
            Some((error, cause)) => {
                assert_eq!(r.error().0, error, "{fields} {failing:?}");
                assert!(r.error().1.ends_with(cause), "{fields}: {}", r.error().1);
            }
        }
    }
}

#[test]
fn map_run_events_replace_the_inline_maps() {
    let r = run(json!({"ItemsPath": "$.items"}), json!({"items": items_failing(&[], 2)}), json!({}));
    // AWS's recorded Distributed Map histories (LocalStack's
    // test_map_state_config_distributed_* snapshots): MapStateStarted before MapRunStarted,
    // MapStateSucceeded after MapRunSucceeded.
    assert_eq!(r.events, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]);
    let r = run(json!({"ItemsPath": "$.items"}), json!({"items": items_failing(&[1], 2)}), json!({}));
    assert_eq!(r.events, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
    let definition = json!({"StartAt": "Process", "States": {"Process": {"Type": "Map", "ItemsPath": "$.items", "Label": "Orders",
        "ItemProcessor": serde_json::from_str::<Value>(PROCESSOR).unwrap(), "End": true}}});
    let simulator = Simulator::new(&definition.to_string(), &Default::default()).unwrap();
    let mut execution = simulator.start(json!({"items": [1]}), 1);
    execution.run();
    let started = statecraft::asl::history::history_json(execution.history())["events"][3].clone();
    let arn = started["mapRunStartedEventDetails"]["mapRunArn"].as_str().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:states:us-east-1:123456789012:mapRun:"), "{arn}");
    assert!(arn.contains("/Orders:"), "the Label names the Map Run: {arn}");
}

fn writer(transformation: Option<&str>, output_type: Option<&str>) -> Value {
    let mut w = json!({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix.$": "$.prefix"}});
    let mut config = serde_json::Map::new();
    if let Some(t) = transformation {
        config.insert("Transformation".into(), json!(t));
    }
    if let Some(o) = output_type {
        config.insert("OutputType".into(), json!(o));
    }
    if !config.is_empty() {
        w["WriterConfig"] = Value::Object(config);
    }
    w
}

#[test]
fn result_writer_puts_the_manifest_and_result_files_for_each_transformation_and_output_type() {
    let items = json!([{"i": 0, "out": [1, 2]}, {"i": 1, "out": [3]}, {"i": 2, "fail": true}]);
    for (transformation, output_type, extension) in [(None, None, "json"), (Some("NONE"), Some("JSONL"), "jsonl"), (Some("COMPACT"), Some("JSON"), "json"), (Some("FLATTEN"), Some("JSON"), "json")] {
        let map = json!({"ItemsPath": "$.items", "ToleratedFailureCount": 1, "ResultWriter": writer(transformation, output_type),
            "ItemSelector": {"i.$": "$$.Map.Item.Value.i", "fail.$": "$$.Map.Item.Value.fail", "out.$": "$$.Map.Item.Value.out"}});
        let items: Value = items.as_array().unwrap().iter().map(|i| json!({"i": i["i"], "fail": i.get("fail").cloned().unwrap_or(json!(false)), "out": i.get("out").cloned().unwrap_or(json!([]))})).collect();
        let r = run(map, json!({"items": items, "prefix": "exports/"}), json!({"results": {}}));
        assert_eq!(r.status, "SUCCEEDED", "{transformation:?}: {}", r.output);
        let details = &r.output["ResultWriterDetails"];
        assert_eq!(details["Bucket"], "results");
        let manifest_key = details["Key"].as_str().unwrap();
        let run_arn = r.output["MapRunArn"].as_str().unwrap();
        let id = run_arn.rsplit(':').next().unwrap();
        assert_eq!(manifest_key, format!("exports/{id}/manifest.json"));
        let manifest = r.json_object("results", manifest_key);
        assert_eq!(manifest["DestinationBucket"], "results");
        assert_eq!(manifest["MapRunArn"], run_arn);
        assert_eq!(manifest["ResultFiles"]["PENDING"], json!([]));
        let succeeded_key = format!("exports/{id}/SUCCEEDED_0.{extension}");
        let failed_key = format!("exports/{id}/FAILED_0.{extension}");
        assert_eq!(manifest["ResultFiles"]["SUCCEEDED"], json!([{"Key": succeeded_key, "Size": r.object("results", &succeeded_key).len()}]));
        assert_eq!(manifest["ResultFiles"]["FAILED"][0]["Key"], failed_key);
        let read = |key: &str| -> Vec<Value> {
            let text = r.object("results", key);
            if extension == "jsonl" { text.lines().map(|l| serde_json::from_str(l).unwrap()).collect() } else { serde_json::from_str(&text).unwrap() }
        };
        let succeeded = read(&succeeded_key);
        let failed = read(&failed_key);
        // A failed child is written with its whole record under every transformation.
        assert_eq!((failed.len(), &failed[0]["Status"], &failed[0]["Error"], &failed[0]["Cause"]), (1, &json!("FAILED"), &json!("ItemFailed"), &json!("the item asked to fail")));
        assert_eq!(failed[0]["Input"], json!({"i": 2, "fail": true, "out": []}).to_string());
        match transformation.unwrap_or("NONE") {
            "NONE" => {
                assert_eq!(succeeded.len(), 2);
                let record = &succeeded[0];
                assert_eq!(record["Status"], "SUCCEEDED");
                assert_eq!(record["Output"], json!({"i": 0, "fail": false, "out": [1, 2]}).to_string());
                assert_eq!(record["InputDetails"], json!({"Included": true}));
                assert!(record["ExecutionArn"].as_str().unwrap().ends_with(&format!(":{}", record["Name"].as_str().unwrap())));
                assert!(record["StateMachineArn"].as_str().unwrap().ends_with("/Process"));
                assert!(record["StartDate"].as_str().unwrap().ends_with('Z'));
            }
            "COMPACT" => assert_eq!(succeeded, [json!({"i": 0, "fail": false, "out": [1, 2]}), json!({"i": 1, "fail": false, "out": [3]})]),
            _ => assert_eq!(succeeded.len(), 2, "objects are not flattened"),
        }
    }
}

#[test]
fn flatten_spreads_array_outputs_and_writer_config_alone_formats_the_output() {
    let processor = json!({"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Out", "States": {"Out": {"Type": "Pass", "OutputPath": "$.out", "End": true}}});
    let items = json!({"items": [{"out": [1, 2]}, {"out": [3]}], "prefix": ""});
    let r = run(json!({"ItemsPath": "$.items", "ItemProcessor": processor, "ResultWriter": writer(Some("FLATTEN"), Some("JSON"))}), items.clone(), json!({"results": {}}));
    let key = r.output["ResultWriterDetails"]["Key"].as_str().unwrap().replace("manifest.json", "SUCCEEDED_0.json");
    assert!(!key.starts_with('/'), "an empty prefix adds no empty segment: {key}");
    assert_eq!(r.object("results", &key), "[1,2,3]");
    let r = run(json!({"ItemsPath": "$.items", "ItemProcessor": processor, "ResultWriter": {"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}}), items.clone(), json!({}));
    assert_eq!((r.status, r.output), ("SUCCEEDED", json!([1, 2, 3])));
    let r = run(json!({"ItemsPath": "$.items", "ItemProcessor": processor, "ResultWriter": {"WriterConfig": {"Transformation": "COMPACT"}}}), items, json!({}));
    assert_eq!(r.output, json!([[1, 2], [3]]));
}

#[test]
fn a_failed_map_run_still_writes_its_results_and_a_missing_bucket_is_result_writer_failed() {
    let map = json!({"ItemsPath": "$.items", "MaxConcurrency": 1, "ResultWriter": writer(Some("COMPACT"), None)});
    let r = run(map.clone(), json!({"items": items_failing(&[1], 3), "prefix": "p"}), json!({"results": {}}));
    assert_eq!(r.error().0, "States.ExceedToleratedFailureThreshold");
    let store = r.store.borrow();
    let keys: Vec<String> = store.s3.objects("results").map(|(k, _)| k.rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(keys, ["FAILED_0.json", "PENDING_0.json", "SUCCEEDED_0.json", "manifest.json"], "item 2 never started: it is pending");
    drop(store);
    // Buckets must exist when the store does not create them on use.
    let simulator = Simulator::new(&json!({"StartAt": "Process", "States": {"Process": {"Type": "Map", "ItemsPath": "$.items", "ResultWriter": writer(None, None),
        "ItemProcessor": serde_json::from_str::<Value>(PROCESSOR).unwrap(), "End": true}}}).to_string(), &Default::default()).unwrap();
    let store = SharedStore::default();
    let mut execution = simulator.start_over(json!({"items": [1], "prefix": "p"}), 1, &store);
    execution.run();
    let ExecutionStatus::Failed(error) = execution.status() else { panic!("{:?}", execution.status()) };
    assert_eq!(error.error.as_deref(), Some("States.ResultWriterFailed"));
    assert!(error.cause.as_deref().unwrap().starts_with("The specified bucket does not exist"));
}

#[test]
fn a_jsonata_distributed_map_with_arguments_and_express_children() {
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Process", "States": {"Process": {
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "MaxItems": "{% $states.input.limit %}"},
            "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "orders.csv"}},
        "ItemSelector": {"order": "{% $states.context.Map.Item.Value.id %}", "total": "{% $number($states.context.Map.Item.Value.total) %}"},
        "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"bucket": "{% $states.input.bucket %}"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Sum",
            "States": {"Sum": {"Type": "Pass", "Output": "{% $sum($states.input.Items.total) %}", "End": true}}},
        "ResultWriter": {"WriterConfig": {"Transformation": "NONE"}},
        "End": true}}});
    let r = run_definition(definition, json!({"bucket": "data", "limit": 3}), json!({"data": {"orders.csv": "id,total\na,1\nb,2\nc,4\nd,8\n"}}));
    assert_eq!(r.status, "SUCCEEDED", "{}", r.output);
    assert_eq!(r.output.as_array().unwrap().iter().map(|x| x["Output"].clone()).collect::<Vec<_>>(), [json!("3"), json!("4")]);
    assert!(r.output[0]["ExecutionArn"].as_str().unwrap().contains(":express:"), "EXPRESS children have express execution ARNs");
    assert_eq!(r.output[1]["Input"], json!({"BatchInput": {"bucket": "data"}, "Items": [{"order": "c", "total": 4}]}).to_string());
}

#[test]
fn the_corpus_image_workflow_writes_one_flattened_json_lines_file_of_every_image() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workflows");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let definition: Value = serde_json::from_str(&read("product-image-catalog-refresh.asl.json")).unwrap();
    let input = serde_json::from_str::<Value>(&read("product-image-catalog-refresh.expected.json")).unwrap()["input"].clone();
    let r = run_definition(definition, input, serde_json::from_str(&read("product-image-catalog-refresh.s3.json")).unwrap());
    assert_eq!(r.status, "SUCCEEDED", "{}", r.output);
    let store = r.store.borrow();
    let files: Vec<(&str, &str)> = store.s3.objects("catalog-pipeline-results").map(|(k, o)| (k, o.body.as_str())).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    let (key, body) = files.iter().find(|(k, _)| k.ends_with("SUCCEEDED_0.jsonl")).expect("the results file");
    assert!(key.starts_with("image-labelling/v42/"), "{key}");
    let lines: Vec<Value> = body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // FLATTEN: the three batches' arrays become one line per image, in listing order.
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[0], json!({"key": "incoming/2024-06/sku-1001-back.jpg", "size": "JPEG bytes of sku-1001 back".len()}));
    assert!(store.tables["product-images"].items.len() == 5, "each image recorded once");
}

#[test]
fn the_validator_refuses_distributed_fields_an_inline_map_would_drop_and_empty_ones() {
    // A Distributed Map names its children's execution type (AWS requires it).
    let processor = |mode: &str| {
        let config = if mode == "DISTRIBUTED" { json!({"Mode": mode, "ExecutionType": "STANDARD"}) } else { json!({"Mode": mode}) };
        json!({"ProcessorConfig": config, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}})
    };
    let reader = json!({"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Parameters": {"Bucket": "b", "Key": "k"}});
    let cases = [
        (json!({"ItemReader": reader, "ItemProcessor": processor("INLINE")}), Some(("FIELD_NOT_ALLOWED", "/States/M/ItemReader"))),
        (json!({"ItemBatcher": {"MaxItemsPerBatch": 2}, "ItemProcessor": processor("INLINE")}), Some(("FIELD_NOT_ALLOWED", "/States/M/ItemBatcher"))),
        (json!({"ResultWriter": {"WriterConfig": {"Transformation": "COMPACT"}}, "ItemProcessor": processor("INLINE")}), Some(("FIELD_NOT_ALLOWED", "/States/M/ResultWriter"))),
        (json!({"ResultWriter": {}, "ItemProcessor": processor("DISTRIBUTED")}), Some(("MISSING_FIELD", "/States/M/ResultWriter"))),
        (json!({"ItemBatcher": {"BatchInput": {}}, "ItemProcessor": processor("DISTRIBUTED")}), Some(("MISSING_FIELD", "/States/M/ItemBatcher"))),
        (json!({"ItemReader": reader, "ItemBatcher": {"MaxInputBytesPerBatchPath": "$.b"}, "ItemProcessor": processor("DISTRIBUTED")}), None),
    ];
    for (mut map, want) in cases {
        map["Type"] = json!("Map");
        map["End"] = json!(true);
        let text = json!({"StartAt": "M", "States": {"M": map}}).to_string();
        let report = statecraft::asl::validate::validate_text_as(&text, statecraft::asl::interp::ExecutionType::Standard);
        let errors: Vec<(String, String)> = report.errors().map(|d| (d.code.as_str().to_string(), d.pointer.clone())).collect();
        match want {
            Some((code, pointer)) => assert!(errors.contains(&(code.to_string(), pointer.to_string())), "{text}: {errors:?}"),
            None => assert!(errors.is_empty(), "{text}: {errors:?}"),
        }
    }
}

#[test]
fn a_child_execution_has_its_own_context_and_no_outer_variables() {
    let definition = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "Process"},
        "Process": {"Type": "Map", "ItemsPath": "$.items", "Label": "Kids",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Who", "States": {"Who": {"Type": "Pass", "Parameters": {
                "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input", "machine.$": "$$.StateMachine.Name"}, "End": true}}},
            "End": true}}});
    let r = run_definition(definition, json!({"items": [{"n": 1}]}), json!({}));
    assert_eq!(r.status, "SUCCEEDED", "{}", r.output);
    let child = &r.output[0];
    assert_eq!(child["input"], json!({"n": 1}), "the child's input, not the parent's");
    let machine = child["machine"].as_str().unwrap();
    assert!(machine.ends_with("/Kids"), "the parent's machine and the Map's Label: {machine}");
    assert!(child["id"].as_str().unwrap().ends_with(&format!(":execution:{machine}:{}", child["name"].as_str().unwrap())), "{child}");
    // Outer variables are out of a child execution's reach.
    let definition = json!({"StartAt": "Set", "States": {
        "Set": {"Type": "Pass", "Assign": {"outer": 1}, "Next": "Process"},
        "Process": {"Type": "Map", "ItemsPath": "$.items",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Read", "States": {"Read": {"Type": "Pass", "Parameters": {"v.$": "$outer"}, "End": true}}},
            "End": true}}});
    let r = run_definition(definition, json!({"items": [1]}), json!({}));
    assert_eq!(r.error().0, "States.ExceedToleratedFailureThreshold", "the child failed reading $outer: {}", r.output);
}

#[test]
fn statecraft_run_seeds_s3_from_a_file_and_says_where_a_bad_one_is_wrong() {
    use statecraft::sim::command::{RunOptions, run_command};
    let definition = json!({"QueryLanguage": "JSONata", "StartAt": "Process", "States": {"Process": {"Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON"}, "Arguments": {"Bucket": "in", "Key": "items.json"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "out", "Prefix": "{% $states.input.run %}"}},
        "End": true}}})
    .to_string();
    let options = |s3: &str| RunOptions {
        seed: 1,
        start_time: None,
        execution_type: statecraft::asl::interp::ExecutionType::Standard,
        history: false,
        mocks: None,
        s3: Some(s3.to_string()),
        jsonata: Default::default(),
        answers: Default::default(), stores: None, print_stores: false,
    };
    let report = run_command(&definition, r#"{"run": "r1"}"#, &options(r#"{"in": {"items.json": [1, 2]}}"#));
    assert_eq!(report.exit_code, 0, "{}{}", report.stdout, report.stderr);
    let output: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(output["ResultWriterDetails"]["Bucket"], "out");
    assert!(output["ResultWriterDetails"]["Key"].as_str().unwrap().starts_with("r1/"));
    let bad = run_command(&definition, "{}", &options("{\"in\": \n [1]}"));
    assert_eq!((bad.exit_code, bad.stderr.as_str()), (2, "--s3: /in: a bucket must be an object of keys and bodies\n"));
    let broken = run_command(&definition, "{}", &options("{\"in\": "));
    assert_eq!(broken.exit_code, 2);
    assert!(broken.stderr.starts_with("--s3: not JSON (line 1, column 7)"), "{}", broken.stderr);
}

#[test]
fn each_child_execution_keeps_its_own_history_and_the_run_model_lights_the_item_processor() {
    use statecraft::asl::interp::trace::Stage;
    use statecraft::sim::run::{RunModel, StateStatus};
    let definition = json!({"StartAt": "Process", "States": {"Process": {"Type": "Map", "ItemsPath": "$.items",
        "ToleratedFailureCount": 1,
        "ItemProcessor": serde_json::from_str::<Value>(PROCESSOR).unwrap(), "End": true}}});
    let simulator = Simulator::new(&definition.to_string(), &Default::default()).unwrap();
    let mut execution = simulator.start(json!({"items": [{"n": 1}, {"n": 2, "fail": true}]}), 3);
    execution.enable_trace();
    execution.run();
    assert!(matches!(execution.status(), ExecutionStatus::Succeeded { .. }));
    // The parent's history has none of the children's events ...
    let parent: Vec<&str> = execution.history().iter().map(|e| e.kind.type_name()).collect();
    assert!(!parent.contains(&"ChoiceStateEntered"), "{parent:?}");
    // ... each child has its own, numbered from 1.
    let children = execution.child_histories();
    assert_eq!(children.len(), 2);
    let types = |i: usize| children[i].events.iter().map(|e| e.kind.type_name()).collect::<Vec<_>>();
    assert_eq!(types(0), ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]);
    assert_eq!(types(1), ["ExecutionStarted", "ChoiceStateEntered", "ChoiceStateExited", "FailStateEntered", "ExecutionFailed"]);
    assert_eq!(children[0].events.iter().map(|e| (e.id, e.previous_event_id)).collect::<Vec<_>>(), [(1, 0), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5)]);
    assert_eq!(&*children[1].map_state, "Process");
    assert!(children[1].arn.ends_with(&format!(":{}", children[1].name)), "{}", children[1].arn);
    // The run model lights the ItemProcessor's states and keeps each visit's data.
    let model = RunModel::of(&execution);
    assert_eq!(model.state_status("Process"), StateStatus::Succeeded);
    assert_eq!(model.state_status("Check"), StateStatus::Succeeded);
    assert_eq!(model.state_status("Done"), StateStatus::Succeeded);
    assert_eq!(model.state_status("Fail Item"), StateStatus::Failed);
    assert_eq!(model.states["Check"].visits, 2);
    let done: Vec<_> = model.visits.iter().filter(|v| &*v.state == "Done").collect();
    assert_eq!((*done[0].input).clone(), json!({"n": 1}));
    assert_eq!(done[0].output.as_deref(), Some(&json!({"n": 1})));
    assert_eq!(model.edges.get(&("Check".into(), "Done".into())), Some(&1));
    assert_eq!(model.edges.get(&("#start".into(), "Check".into())), Some(&2));
    // Each child's visit has its own key, and the trace's values are found by it.
    let keys: std::collections::BTreeSet<u64> = model.visits.iter().map(|v| v.entered_event).collect();
    assert_eq!(keys.len(), model.visits.len(), "no two visits share a key");
    let fail = model.visits.iter().find(|v| &*v.state == "Fail Item").unwrap();
    let traced: Vec<_> = execution.trace().iter().filter(|e| e.entered_event == fail.entered_event).collect();
    assert!(traced.iter().any(|e| e.stage == Stage::Error && e.value["Error"] == "ItemFailed"), "{traced:?}");
}

/// AWS's recorded answers to a CSV reader's MaxItems and MaxItemsPath (LocalStack's
/// `test_map_item_reader_csv_max_items[...]` and `..._max_items_paths[...]` snapshots, Apache-2.0:
/// a four-row CSV, `ReaderConfig.MaxItems` or `MaxItemsPath: $.MaxItems`): 0 and a limit past
/// the rows read them all; a negative value is the reader's failure inside the Map Run; a
/// non-integer fails the state before the Map Run starts, after MapStateStarted (length 0).
#[test]
fn max_items_as_aws_recorded_it() {
    let csv = "Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n";
    let s3 = json!({"data": {"file.csv": csv}});
    let rows = |n: usize| Value::Array((0..n).map(|i| json!({"Col1": format!("Value{}", 2 * i + 1), "Col2": format!("Value{}", 2 * i + 2)})).collect());
    let passing = json!({"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Pass", "States": {"Pass": {"Type": "Pass", "End": true}}});
    let succeeded = ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded", "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"];
    for (config, input, rows_read) in [
        (json!({"MaxItems": 0}), json!({}), 4),
        (json!({"MaxItems": 2}), json!({}), 2),
        (json!({"MaxItems": 100_000_000}), json!({}), 4),
        (json!({"MaxItemsPath": "$.MaxItems"}), json!({"MaxItems": 0}), 4),
        (json!({"MaxItemsPath": "$.MaxItems"}), json!({"MaxItems": 2}), 2),
        (json!({"MaxItemsPath": "$.MaxItems"}), json!({"MaxItems": 100_000_001}), 4),
    ] {
        let mut map = reader("CSV", "file.csv", config.clone());
        map["ItemProcessor"] = passing.clone();
        let r = run(map, input.clone(), s3.clone());
        assert_eq!((r.status, &r.output), ("SUCCEEDED", &rows(rows_read)), "{config} {input}");
        assert_eq!(r.events, succeeded, "{config} {input}");
    }
    let mut map = reader("CSV", "file.csv", json!({"MaxItemsPath": "$.MaxItems"}));
    map["ItemProcessor"] = passing.clone();
    let r = run(map.clone(), json!({"MaxItems": -1}), s3.clone());
    assert_eq!(r.error(), ("States.ItemReaderFailed", "field MaxItems must be positive"));
    assert_eq!(r.events, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]);
    let r = run(map, json!({"MaxItems": 1.5}), s3);
    assert_eq!(
        r.error(),
        ("States.Runtime", "An error occurred while executing the state 'Process' (entered at the event id #2). The MaxItemsPath field refers to value \"1.5\" which is not a valid integer: $.MaxItems")
    );
    assert_eq!(r.events, ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "ExecutionFailed"]);
}
