//! Parse + lower + validate on the shipped workloads, the 500-state chain first.
//! Run: `cargo bench --bench asl_validate`.
//!
//! Each figure is measured twice: in wall-clock time (criterion's default) and in the thread's
//! CPU time, which a machine shared with other jobs does not inflate.

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, criterion_group, criterion_main};
use statecraft::asl::json::{self, WriteStyle};
use statecraft::asl::validate::validate_text;
use std::hint::black_box;
use std::time::Duration;

fn workload(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench-workloads").join(name);
    std::fs::read_to_string(path).unwrap()
}

/// CPU time consumed by the calling thread (`CLOCK_THREAD_CPUTIME_ID`).
struct ThreadCpuTime;

fn thread_cpu_now() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec to write into; the clock id is a constant Linux supports.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

static WALL_TIME: WallTime = WallTime;

impl Measurement for ThreadCpuTime {
    type Intermediate = Duration;
    type Value = Duration;
    fn start(&self) -> Duration {
        thread_cpu_now()
    }
    fn end(&self, start: Duration) -> Duration {
        thread_cpu_now().saturating_sub(start)
    }
    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }
    fn zero(&self) -> Duration {
        Duration::ZERO
    }
    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Values are nanoseconds, as with wall time.
        WALL_TIME.formatter()
    }
}

fn bench<M: Measurement + 'static>(c: &mut Criterion<M>, clock: &str) {
    let chain = workload("chain_500.json");
    let report = validate_text(&chain);
    assert!(!report.has_errors());
    c.bench_function(&format!("{clock}: parse+validate chain_500 (500 states)"), |b| b.iter(|| validate_text(black_box(&chain))));
    c.bench_function(&format!("{clock}: read JSON only chain_500"), |b| b.iter(|| json::read(black_box(&chain)).unwrap()));
    let machine = report.machine.unwrap();
    c.bench_function(&format!("{clock}: write back chain_500"), |b| b.iter(|| black_box(&machine).to_json_text(WriteStyle::Pretty)));
    for name in ["choice_200.json", "parallel_fanout.json", "wait_heavy.json"] {
        let text = workload(name);
        c.bench_function(&format!("{clock}: parse+validate {name}"), |b| b.iter(|| validate_text(black_box(&text))));
    }
}

fn wall_clock(c: &mut Criterion) {
    bench(c, "wall");
}

fn cpu_clock(c: &mut Criterion<ThreadCpuTime>) {
    bench(c, "cpu");
}

criterion_group!(wall, wall_clock);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpuTime);
    targets = cpu_clock
}
criterion_main!(cpu, wall);
