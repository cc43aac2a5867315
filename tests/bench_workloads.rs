//! Every benchmark workload runs with the peer harness's semantics: the outputs and the
//! transition counts `statecraft bench` verifies hold here too, on the repository's copies.

use statecraft::asl::bench::{WORKLOADS, compile, run_workload};

#[test]
fn every_workload_gives_the_expected_outputs_and_transitions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-workloads");
    for spec in WORKLOADS {
        let text = std::fs::read_to_string(dir.join(spec.file)).unwrap();
        let program = compile(&text).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let run = run_workload(spec, &program, spec.inputs());
        spec.verify(&run).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
    }
}
