//! The bounds of one JSONata evaluation: steps, which the engine counts, and memory, which a
//! metering allocator counts.
//!
//! JSONata has loops without a loop keyword: `[1..10000000].([1..10000000])` builds ten million
//! arrays of ten million numbers, each in one engine step. A step budget alone does not stop it;
//! the process runs out of memory first (a native abort, a WASM `unreachable`). So each
//! evaluation also has a memory budget: the bytes it holds beyond what was held when it started.
//!
//! Memory is counted by [`Metered`], a wrapper around the global allocator that a binary installs
//! (`statecraft` and the web app do). While an evaluation runs on a thread, the wrapper adds every
//! allocation of that thread to a per-thread count and takes away every release; once the count
//! passes the budget, it cancels the evaluation's [`jlens_core::CancelToken`], which the engine
//! reads at every step. The evaluation then fails with the limit named in its cause. Without the
//! wrapper (a library user's own binary, the test harness) only the step budget applies.
//!
//! While no evaluation runs anywhere, the wrapper costs one relaxed load of a global counter per
//! allocation; while one runs, a thread-local read as well.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How far one evaluation may go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Engine steps (each node evaluated, each function called back): past it, `U1006`.
    pub max_steps: u64,
    /// Bytes the evaluation may hold at once beyond what its thread held when it started
    /// (counted only where [`Metered`] is the global allocator).
    pub max_memory: usize,
}

impl Limits {
    /// 20 million steps, 256 MiB: far beyond what a state's expression over a 256 KiB payload
    /// needs (AWS's payload quota), far below what exhausts a browser tab.
    pub const DEFAULT: Limits = Limits { max_steps: 20_000_000, max_memory: 256 << 20 };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The per-thread count. Every field is a `Cell` of a plain value, initialised by a constant:
/// reading it from inside the allocator never allocates and never registers a destructor.
struct Meter {
    /// Whether an evaluation is being metered on this thread.
    active: Cell<bool>,
    /// Bytes allocated minus bytes released since the evaluation started (negative when it
    /// released memory it did not allocate).
    held: Cell<isize>,
    /// The budget, in bytes.
    limit: Cell<isize>,
    /// Set once the budget was passed.
    tripped: Cell<bool>,
    /// The evaluation's cancel token, owned by [`Metering`] on the evaluating frame.
    token: Cell<*const jlens_core::CancelToken>,
}

thread_local! {
    static METER: Meter = const {
        Meter {
            active: Cell::new(false),
            held: Cell::new(0),
            limit: Cell::new(isize::MAX),
            tripped: Cell::new(false),
            token: Cell::new(std::ptr::null()),
        }
    };
}

/// How many evaluations are being metered, on any thread: while none is, the allocator reads
/// this one global and nothing else (the interpreter allocates a great deal outside JSONata).
static METERING: AtomicUsize = AtomicUsize::new(0);

/// Adds `delta` bytes to the running evaluation's count, cancelling it past its budget.
///
/// Inlined into every allocation and release for the one global load; the thread-local work
/// is out of line ([`count_metered`]), so that the common case (nothing metered) is a load and
/// a branch, without a call, even in a size-optimised build that inlines little on its own.
#[inline(always)]
fn count(delta: isize) {
    if METERING.load(Ordering::Relaxed) != 0 {
        count_metered(delta);
    }
}

/// [`count`] while some evaluation is metered: this thread's count, if it is the one.
#[cold]
#[inline(never)]
fn count_metered(delta: isize) {
    let _ = METER.try_with(|m| {
        if !m.active.get() {
            return;
        }
        let held = m.held.get().saturating_add(delta);
        m.held.set(held);
        if held > m.limit.get() && !m.tripped.get() {
            m.tripped.set(true);
            let token = m.token.get();
            if !token.is_null() {
                // SAFETY: `token` points at the `CancelToken` owned by the `Metering` guard that
                // set it, which clears it (and `active`) before the token is dropped; the guard
                // lives on this thread's stack for the whole metered evaluation. `cancel` only
                // stores a flag: it does not allocate.
                unsafe { (*token).cancel() };
            }
        }
    });
}

/// A global allocator that meters JSONata evaluations (see the module's documentation).
/// Install it in a binary:
///
/// ```ignore
/// #[global_allocator]
/// static GLOBAL: Metered<std::alloc::System> = Metered(std::alloc::System);
/// ```
pub struct Metered<A>(pub A);

// SAFETY: every call is forwarded to the inner allocator unchanged; the metering only reads and
// writes this thread's counters.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Metered<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() {
            count(layout.size() as isize);
        }
        p
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { self.0.dealloc(ptr, layout) };
        count(-(layout.size() as isize));
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            count(new_size as isize - layout.size() as isize);
        }
        p
    }
}

/// Meters one evaluation on this thread while it lives: create it, pass [`Metering::token`] to
/// the engine, evaluate, then ask [`Metering::exceeded`]. Nested guards (an evaluation inside a
/// host function) restore the outer one's state when dropped.
pub struct Metering {
    token: Box<jlens_core::CancelToken>,
    limit: usize,
    outer: (bool, isize, isize, bool, *const jlens_core::CancelToken),
}

impl Metering {
    /// Starts metering with a budget of `max_memory` bytes.
    pub fn start(max_memory: usize) -> Metering {
        // The token is boxed so that its address stays put while the guard moves.
        let token = Box::new(jlens_core::CancelToken::new());
        let outer = METER.with(|m| {
            let outer = (m.active.get(), m.held.get(), m.limit.get(), m.tripped.get(), m.token.get());
            m.held.set(0);
            m.limit.set(max_memory.min(isize::MAX as usize) as isize);
            m.tripped.set(false);
            m.token.set(&*token as *const _);
            m.active.set(true);
            outer
        });
        METERING.fetch_add(1, Ordering::Relaxed);
        Metering { token, limit: max_memory, outer }
    }

    /// The token to give the engine (a clone shares the flag).
    pub fn token(&self) -> jlens_core::CancelToken {
        (*self.token).clone()
    }

    /// Whether the evaluation passed its memory budget.
    pub fn exceeded(&self) -> bool {
        METER.with(|m| m.tripped.get())
    }

    /// The budget, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }
}

impl Drop for Metering {
    fn drop(&mut self) {
        METERING.fetch_sub(1, Ordering::Relaxed);
        let (active, held, limit, tripped, token) = self.outer;
        let _ = METER.try_with(|m| {
            // What this evaluation still holds belongs to its caller now.
            let inner = m.held.get();
            m.active.set(active);
            m.held.set(held.saturating_add(inner));
            m.limit.set(limit);
            m.tripped.set(tripped);
            m.token.set(token);
        });
    }
}

/// `256 MiB`, `1.5 GiB`, `512 KiB`: a byte count as people read it.
pub fn human_bytes(bytes: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 || value.fract() == 0.0 { format!("{value} {}", UNITS[unit]) } else { format!("{value:.1} {}", UNITS[unit]) }
}

/// Parses what `human_bytes` prints, and plain byte counts: `256MiB`, `1 GiB`, `65536`, also
/// `MB`/`GB`/`KB` (read as binary units, as the budget is).
pub fn parse_bytes(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = (&t[..split], t[split..].trim());
    let value: f64 = number.parse().map_err(|_| format!("`{text}` is not a size (examples: 65536, 512KiB, 256MiB, 1GiB)"))?;
    let scale = match unit.to_ascii_lowercase().as_str() {
        "" | "b" | "bytes" => 1u64,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("`{text}`: unknown unit `{unit}` (use bytes, KiB, MiB or GiB)")),
    };
    let bytes = value * scale as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > usize::MAX as f64 {
        return Err(format!("`{text}` is out of range"));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_bytes("256MiB"), Ok(256 << 20));
        assert_eq!(parse_bytes("1 GiB"), Ok(1 << 30));
        assert_eq!(parse_bytes("65536"), Ok(65536));
        assert_eq!(parse_bytes("1.5k"), Ok(1536));
        assert!(parse_bytes("12 parsecs").unwrap_err().contains("unknown unit"));
        assert!(parse_bytes("").is_err());
        assert!(parse_bytes("0").is_err());
        assert_eq!(human_bytes(256 << 20), "256 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(100), "100 bytes");
    }

    #[test]
    fn a_guard_restores_the_outer_state() {
        let outer = Metering::start(1 << 20);
        {
            let inner = Metering::start(10);
            assert!(!inner.exceeded());
            // Without `Metered` installed (the test harness), nothing is counted.
        }
        assert!(!outer.exceeded());
        drop(outer);
        METER.with(|m| {
            assert!(!m.active.get());
            assert!(m.token.get().is_null());
        });
    }

    #[test]
    fn counting_past_the_budget_cancels_the_token() {
        let guard = Metering::start(1000);
        let token = guard.token();
        count(600);
        assert!(!token.is_cancelled());
        count(-300);
        count(600);
        assert!(!token.is_cancelled(), "900 held, under 1000");
        count(200);
        assert!(token.is_cancelled());
        assert!(guard.exceeded());
    }
}
