//! Every benchmark workload runs with the peer harness's semantics: the outputs and the
//! transition counts `statecraft bench` verifies hold here too, on the repository's copies,
//! whether the executions keep their histories or not.

use statecraft::asl::bench::{WORKLOADS, compile, run_workload, run_workload_with};

#[test]
fn every_workload_gives_the_expected_outputs_and_transitions() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-workloads");
    for spec in WORKLOADS {
        let text = std::fs::read_to_string(dir.join(spec.file)).unwrap();
        let program = compile(&text).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let run = run_workload(spec, &program, spec.inputs());
        spec.verify(&run).unwrap_or_else(|e| panic!("{}: {e}", spec.name));
        let kept = run_workload_with(spec, &program, spec.inputs(), true);
        spec.verify(&kept).unwrap_or_else(|e| panic!("{} (history kept): {e}", spec.name));
    }
}
