//! The loom shim: every atomic, lock and cell the crate uses comes from here.
//!
//! Built normally, these are `std`'s types. Built with
//! `RUSTFLAGS="--cfg gosync_loom"`, they are loom's model-checked twins, so
//! the loom tests in `tests/loom_*.rs` exercise the production code itself,
//! not a copy of it.
//!
//! The cfg is ours (`gosync_loom`, not `loom`) so that turning it on does not
//! also switch `cfg(loom)` code inside our dependencies.

#[cfg(not(gosync_loom))]
pub(crate) use std::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};
#[cfg(all(not(gosync_loom), not(gosync_native_futex)))]
pub(crate) use std::sync::Condvar;
#[cfg(not(gosync_loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(gosync_loom)]
pub(crate) use loom::sync::atomic::{AtomicPtr, AtomicU32, AtomicU64, Ordering};
#[cfg(gosync_loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

// Only the spin policy below yields, and it is not built under loom.
#[cfg(not(gosync_loom))]
use std::thread;

/// Rounds of exponential spinning a waiter does before it parks: 1 + 2 + 4
/// + 8 = 15 `pause` instructions, well under a microsecond.
#[cfg(not(gosync_loom))]
const SPIN_ROUNDS: u32 = 4;

/// `yield_now` calls a waiter makes, re-checking the counter after each,
/// between spinning and parking: about 6 µs on the 2-vCPU machine the
/// benchmarks run on (a yield costs ~0.3 µs there). Measured with threads
/// pinned to one and to two cores: yielding beats pure spinning in both
/// (the same-core peer gets to run; the other-core peer is still caught
/// before we sleep). See the crate's `docs::performance`.
#[cfg(not(gosync_loom))]
const YIELD_ROUNDS: u32 = 20;

/// The crate's one spin policy: the two bounded phases of a `wait` before
/// it sleeps, both cheaper than a trip through the kernel when the
/// releasing `done` is close. Returns `true` as soon as `done()` does,
/// `false` when the caller should park.
///
/// 1. Spin ([`SPIN_ROUNDS`] rounds of crossbeam's exponential
///    `Backoff::spin`, the shape gosync-channel's own `Backoff` has):
///    catches a `done` that is nanoseconds away on another core.
/// 2. Yield ([`YIELD_ROUNDS`] times): if the thread that owes the `done`
///    shares our core, this lets it run now instead of after our time slice
///    (pure spinning would starve it); if it is on another core, each yield
///    returns at once and keeps us watching for a few more microseconds.
///
/// The channel's waits yield for longer (a 50 µs budget): a rendezvous
/// partner is usually about to come back, a group's last `done` often is
/// not, and the numbers here were measured for `wait`.
///
/// Not built under loom: every spin is another branch of loom's state
/// space and buys nothing there (loom has no notion of "soon"), so the
/// models park at once.
#[cfg(not(gosync_loom))]
pub(crate) fn spin_then_yield(mut done: impl FnMut() -> bool) -> bool {
    let backoff = crossbeam_utils::Backoff::new();
    for _ in 0..SPIN_ROUNDS {
        backoff.spin();
        if done() {
            return true;
        }
    }
    for _ in 0..YIELD_ROUNDS {
        thread::yield_now();
        if done() {
            return true;
        }
    }
    false
}

/// An `UnsafeCell` with loom's closure-based access on both sides, so code
/// that holds data in a cell reads the same under loom and std.
///
/// `WaitGroup` holds no data of its own; the cell is here so every crate of
/// the family has the same shim surface, and is exercised by this module's
/// unit test.
#[cfg(not(gosync_loom))]
#[derive(Debug, Default)]
#[allow(dead_code)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(gosync_loom))]
#[allow(dead_code)]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(std::cell::UnsafeCell::new(value))
    }

    /// Runs `f` with a shared raw pointer to the contents.
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Runs `f` with a unique raw pointer to the contents.
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(gosync_loom)]
#[allow(unused_imports)]
pub(crate) use loom::cell::UnsafeCell;

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::UnsafeCell;

    #[test]
    fn unsafe_cell_round_trips() {
        let cell = UnsafeCell::new(1u32);
        // SAFETY: the cell is local to this test; no other reference exists.
        cell.with_mut(|p| unsafe { *p += 1 });
        // SAFETY: as above, and the write above has finished.
        assert_eq!(cell.with(|p| unsafe { *p }), 2);
    }
}
