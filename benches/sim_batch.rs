//! The simulator's batch natively: 10,000 generated order scenarios on the seed's workflow with
//! the seed's handlers, as the Batch tab runs them (the page's default template, seed 1).
//! Run: `cargo bench --bench sim_batch` (prints wall and thread-CPU ms per batch, median of 5);
//! `cargo bench --bench sim_batch -- --once` runs one batch (for `valgrind --tool=callgrind`).
//!
//! The page adds its own overhead (time slices, progress, summary); `tests/e2e/bench-sim.mjs`
//! measures that end to end.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use statecraft::sim::batch::{Batch, Simulator};
use statecraft::sim::generate::{Template, generate};

fn thread_cpu_now() -> Duration {
    let mut t = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `t` is a valid timespec to write into; the clock id is a constant Linux supports.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

fn batch() -> Batch {
    let simulator = Simulator::new(statecraft::seed::ORDER_WORKFLOW, &BTreeMap::new()).expect("the seed compiles");
    let scenarios = generate(&Template { count: 10_000, ..Template::default() }).expect("the default template");
    Batch::new(simulator, scenarios)
}

fn main() {
    let once = std::env::args().any(|a| a == "--once");
    let runs = if once { 1 } else { 5 };
    let mut walls = Vec::new();
    let mut cpus = Vec::new();
    for _ in 0..runs {
        let mut b = batch();
        let (t, c) = (Instant::now(), thread_cpu_now());
        while !b.finished() {
            b.run_chunk(50);
        }
        walls.push(t.elapsed().as_secs_f64() * 1e3);
        cpus.push((thread_cpu_now() - c).as_secs_f64() * 1e3);
        let (passed, failed, unchecked) = b.tally();
        assert_eq!((passed, failed, unchecked), (10_000, 0, 0), "every generated scenario passes");
    }
    walls.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    println!(
        "sim_batch: 10,000 order scenarios: median {:.1} ms wall, {:.1} ms thread CPU (walls {:?})",
        walls[walls.len() / 2],
        cpus[cpus.len() / 2],
        walls.iter().map(|w| format!("{w:.1}")).collect::<Vec<_>>()
    );
}
