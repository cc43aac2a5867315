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
    use std::sync::Arc;

    use serde_json::Value;
    use statecraft::asl::bench::{WorkloadRun, WorkloadSpec, compile, run_workload, workload};
    use statecraft::asl::interp::Program;
    use wasm_bindgen::prelude::*;

    /// One workload, validated and compiled once; run as often as the caller times it.
    #[wasm_bindgen]
    pub struct Workload {
        spec: &'static WorkloadSpec,
        program: Arc<Program>,
        /// The next run's inputs, built before the timed part ([`Workload::prepare`]).
        inputs: Option<Vec<Value>>,
        /// The last run, for [`Workload::verify`] after the clock stopped.
        last: Option<WorkloadRun>,
    }

    #[wasm_bindgen]
    impl Workload {
        /// Validates and compiles `definition` for the workload called `name`.
        #[wasm_bindgen(constructor)]
        pub fn new(name: &str, definition: &str) -> Result<Workload, JsError> {
            let spec = workload(name).ok_or_else(|| JsError::new(&format!("unknown workload {name}")))?;
            if statecraft::asl::validate::validate_text(definition).has_errors() {
                return Err(JsError::new(&format!("{} does not validate", spec.file)));
            }
            let program = compile(definition).map_err(|e| JsError::new(&e.to_string()))?;
            Ok(Workload { spec, program, inputs: None, last: None })
        }

        /// How many runs one measuring process makes (the first is cold), as natively.
        pub fn inner(&self) -> usize {
            self.spec.inner
        }

        /// Builds the next run's inputs (not part of the timed run, as natively).
        pub fn prepare(&mut self) {
            self.inputs = Some(self.spec.inputs());
        }

        /// Runs every execution of one run; gives the state transitions. The outputs are kept
        /// until the next run, as the native harness keeps them.
        pub fn run(&mut self) -> f64 {
            let inputs = self.inputs.take().unwrap_or_else(|| self.spec.inputs());
            self.last = None;
            let run = run_workload(self.spec, &self.program, inputs);
            let transitions = run.transitions as f64;
            self.last = Some(run);
            transitions
        }

        /// Checks the last run's outputs and transitions against the peer harness's.
        pub fn verify(&self) -> Result<(), JsError> {
            let run = self.last.as_ref().ok_or_else(|| JsError::new("nothing has run yet"))?;
            self.spec.verify(run).map_err(|e| JsError::new(&format!("{}: {e}", self.spec.name)))
        }
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("statecraft-bench-wasm is built for wasm32 and run by scripts/bench-wasm.mjs (see the README's Benchmarks)");
}
