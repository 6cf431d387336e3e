//! Shared helpers for the gosync benchmark suites (see `benches/README.md`).
//!
//! * [`harness`]: runs a workload on several threads at once and times it the
//!   way Go's `b.RunParallel` does (wall time of the whole, divided by the
//!   total number of operations), plus the [`Handoff`](harness::Handoff) slot
//!   that the `ActuallyWait` workload uses to pass a pending `done` to a helper
//!   thread.
//! * [`impls`]: the [`WaitGroupImpl`](impls::WaitGroupImpl) trait, which
//!   spells out what every workload does with each of the three wait groups
//!   under test, so that each workload is written once.
//! * [`MutexWaitGroup`]: the `Mutex<usize>` + `Condvar` baseline.
//! * [`work`]: the "local work" loop of Go's `...Work` benchmarks.
#![warn(missing_docs)]

// The false-sharing suite measures the gosync crates' unpadded twins, which
// exist only under this cfg. benches/.cargo/config.toml sets it; a RUSTFLAGS
// variable replaces that file's flags, so say what is missing.
#[cfg(not(gosync_bench))]
compile_error!(
    "gosync-benches needs `--cfg gosync_bench`: run cargo from benches/ \
     (its .cargo/config.toml sets it), and if you set RUSTFLAGS, add `--cfg gosync_bench` to it"
);

pub mod harness;
pub mod impls;
mod mutex_wg;
pub mod work;

pub use crate::mutex_wg::MutexWaitGroup;
