//! The WebAssembly benchmark cannot rot unnoticed: its binding (`src/bin/statecraft-bench-wasm.rs`)
//! is `asl::bench::Workload` for JavaScript, so these tests drive the same calls natively on the
//! workload files (no timing asserted), and check that what `scripts/bench-wasm.mjs` and
//! `scripts/bench-peer.sh --wasm` call is what the binding exports.

use std::collections::BTreeSet;
use std::path::Path;

use statecraft::asl::bench::{WORKLOADS, Workload};

fn repo_file(path: &str) -> String {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn definition(name: &str) -> String {
    repo_file(&format!("tests/fixtures/bench-workloads/{name}.json"))
}

/// Every workload validates and compiles through the binding's constructor; the short ones also
/// run and verify through its calls (`tests/bench_workloads.rs` runs all of them in full).
#[test]
fn the_bindings_calls_compile_run_and_verify() {
    for spec in WORKLOADS {
        let mut workload = Workload::new(spec.name, &definition(spec.name)).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        assert!(workload.verify().is_err(), "{}: verify before any run must fail", spec.name);
        assert!(workload.spec().inner >= 2, "{}: one cold and at least one warm run", spec.name);
        if matches!(spec.name, "wait_heavy" | "choice_200" | "chain_500") {
            workload.prepare();
            assert_eq!(workload.run(), spec.transitions, "{}", spec.name);
            workload.verify().unwrap_or_else(|e| panic!("{e}"));
            // The next run's preparation releases these outputs, so the timed run does not
            // spend its time freeing the last one's (as the native harness, which drops them
            // after checking them).
            workload.prepare();
            assert!(workload.verify().is_err(), "{}: prepare releases the last run's outputs", spec.name);
            assert_eq!(workload.run(), spec.transitions, "{}", spec.name);
            workload.verify().unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

#[test]
fn a_wrong_definition_or_name_is_refused_in_words() {
    // wait_heavy's input through loop_counter's definition: one short execution, a wrong output.
    let error = Workload::new("wait_heavy", &definition("loop_counter")).and_then(|mut w| {
        w.prepare();
        w.run();
        w.verify()
    });
    assert!(error.unwrap_err().starts_with("wait_heavy: "), "a run of the wrong definition fails its check");
    assert_eq!(Workload::new("no_such_workload", "{}").err().as_deref(), Some("unknown workload no_such_workload"));
    assert_eq!(Workload::new("chain_500", "{\"StartAt\": \"Nowhere\", \"States\": {}}").err().as_deref(), Some("chain_500.json does not validate"));
}

/// The names a JavaScript text calls as `receiver.NAME(`.
fn methods_called_on(text: &str, receiver: &str) -> BTreeSet<String> {
    let prefix = format!("{receiver}.");
    text.match_indices(&prefix)
        .filter(|(at, _)| !text[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        .filter_map(|(at, _)| {
            let rest = &text[at + prefix.len()..];
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            rest[name.len()..].starts_with('(').then_some(name)
        })
        .collect()
}

#[test]
fn the_script_calls_only_what_the_binding_exports() {
    let script = repo_file("scripts/bench-wasm.mjs");
    let binding = repo_file("src/bin/statecraft-bench-wasm.rs");
    let called = methods_called_on(&script, "workload");
    assert_eq!(
        called,
        ["inner", "prepare", "run", "verify"].into_iter().map(String::from).collect(),
        "scripts/bench-wasm.mjs calls these on a Workload"
    );
    for name in &called {
        assert!(binding.contains(&format!("pub fn {name}(")), "the binding exports no `{name}`");
    }
    assert!(script.contains("new Workload(name, definition)"));
    assert!(binding.contains("#[wasm_bindgen(constructor)]\n        pub fn new(name: &str, definition: &str)"));
    assert!(binding.contains("pub struct Workload {"), "the class the script loads is `Workload`");
    // The package file the script loads is the one wasm-bindgen writes for the binary
    // bench-peer.sh builds.
    assert!(script.contains("'statecraft-bench-wasm.js'"));
    assert!(repo_file("Cargo.toml").contains("name = \"statecraft-bench-wasm\"\npath = \"src/bin/statecraft-bench-wasm.rs\""));
    let peer = repo_file("scripts/bench-peer.sh");
    assert!(peer.contains("--target wasm32-unknown-unknown --bin statecraft-bench-wasm"));
    assert!(peer.contains("scripts/bench-wasm.mjs"));
}

#[test]
fn the_script_runs_the_same_workloads_as_the_native_bench() {
    let script = repo_file("scripts/bench-wasm.mjs");
    let line = script.lines().find(|l| l.starts_with("const ALL = [")).expect("the script's workload list");
    let listed: Vec<&str> = line.split('\'').skip(1).step_by(2).collect();
    let native: Vec<&str> = WORKLOADS.iter().map(|w| w.name).collect();
    assert_eq!(listed, native);
}
