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

pub mod harness;
pub mod impls;
mod mutex_wg;
pub mod work;

pub use crate::mutex_wg::MutexWaitGroup;
