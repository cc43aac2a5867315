//! Parse + lower + validate throughput on the shipped workloads, the 500-state chain first.
//! Run: `cargo bench --bench asl_validate`.

use criterion::{Criterion, criterion_group, criterion_main};
use statecraft::asl::json::{self, WriteStyle};
use statecraft::asl::validate::validate_text;
use std::hint::black_box;

fn workload(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-workloads").join(name);
    std::fs::read_to_string(path).unwrap()
}

fn bench(c: &mut Criterion) {
    let chain = workload("chain_500.json");
    let report = validate_text(&chain);
    assert!(!report.has_errors());
    c.bench_function("parse+validate chain_500 (500 states)", |b| b.iter(|| validate_text(black_box(&chain))));
    c.bench_function("read JSON only chain_500", |b| b.iter(|| json::read(black_box(&chain)).unwrap()));
    let machine = report.machine.unwrap();
    c.bench_function("write back chain_500", |b| b.iter(|| black_box(&machine).to_json_text(WriteStyle::Pretty)));
    for name in ["choice_200.json", "parallel_fanout.json", "map_10k.json"] {
        let text = workload(name);
        c.bench_function(&format!("parse+validate {name}"), |b| b.iter(|| validate_text(black_box(&text))));
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
