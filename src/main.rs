//! The web app's entry point: installs the panic hook and the metering allocator, and starts the
//! app (it mounts once the workspace is read). Nothing else.

/// Rust's allocator, metered: a JSONata expression that would exhaust the tab's memory fails with
/// its budget named instead (`asl::jsonata::budget`).
#[global_allocator]
static GLOBAL: statecraft::asl::jsonata::Metered<std::alloc::System> = statecraft::asl::jsonata::Metered(std::alloc::System);

fn main() {
    console_error_panic_hook::set_once();
    statecraft::ui::start();
}
