//! The performance workloads in WebAssembly: the same engine the page's worker runs (the
//! interpreter of `asl::interp`, the workloads and handlers of `asl::bench`, the worker's
//! metered allocator), exposed to JavaScript by wasm-bindgen. `scripts/bench-wasm.mjs` loads it
//! (wasm-bindgen's nodejs target) and times [`Workload::run`] with the JS clock, beside the peer
//! in the same run (`scripts/bench-peer.sh --wasm`). Wiring only: what runs and what is checked
//! is `asl::bench`'s, as for `statecraft bench`. Natively it only says what it is for.

/// The engine worker's allocator (`src/bin/statecraft-worker.rs`), so the figures are the
/// worker's: Rust's own allocator, metered for the JSONata memory budget.
#[global_allocator]
static GLOBAL: statecraft::asl::jsonata::Metered<std::alloc::System> = statecraft::asl::jsonata::Metered(std::alloc::System);

#[cfg(target_arch = "wasm32")]
mod entry {
    use statecraft::asl::bench;
    use wasm_bindgen::prelude::*;

    /// One workload, validated and compiled once; run as often as the caller times it
    /// ([`bench::Workload`], whose calls the native tests drive).
    #[wasm_bindgen]
    pub struct Workload {
        workload: bench::Workload,
    }

    #[wasm_bindgen]
    impl Workload {
        /// Validates and compiles `definition` for the workload called `name`.
        #[wasm_bindgen(constructor)]
        pub fn new(name: &str, definition: &str) -> Result<Workload, JsError> {
            // The worker's engine for JSONPath filter patterns (a wasm binary names its own).
            statecraft::asl::path::pattern::use_engine(statecraft::asl::path::pattern::backtracking);
            bench::Workload::new(name, definition).map(|workload| Workload { workload }).map_err(|e| JsError::new(&e))
        }

        /// How many runs one measuring process makes (the first is cold), as natively.
        pub fn inner(&self) -> usize {
            self.workload.spec().inner
        }

        /// Builds the next run's inputs (not part of the timed run, as natively).
        pub fn prepare(&mut self) {
            self.workload.prepare()
        }

        /// Runs every execution of one run; gives the state transitions.
        pub fn run(&mut self) -> f64 {
            self.workload.run() as f64
        }

        /// Checks the last run's outputs and transitions against the peer harness's.
        pub fn verify(&self) -> Result<(), JsError> {
            self.workload.verify().map_err(|e| JsError::new(&e))
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("statecraft-bench-wasm is built for wasm32 and run by scripts/bench-wasm.mjs (see the README's Benchmarks)");
}
