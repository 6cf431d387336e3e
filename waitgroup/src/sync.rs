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

#[cfg(not(gosync_loom))]
pub(crate) use std::thread;

#[cfg(gosync_loom)]
pub(crate) use loom::thread;

/// Rounds of exponential spinning a waiter does before it parks: 1 + 2 + 4
/// + 8 = 15 `pause` instructions, well under a microsecond.
///
/// Under loom every spin is another branch of the state space and buys
/// nothing (loom has no notion of "soon"), so the models park at once.
pub(crate) const SPIN_ROUNDS: u32 = if cfg!(gosync_loom) { 0 } else { 4 };

/// `yield_now` calls a waiter makes, re-checking the counter after each,
/// between spinning and parking: about 6 µs on the 2-vCPU machine the
/// benchmarks run on (a yield costs ~0.3 µs there). Measured with threads
/// pinned to one and to two cores: yielding beats pure spinning in both
/// (the same-core peer gets to run; the other-core peer is still caught
/// before we sleep). See the crate's `docs::performance`.
pub(crate) const YIELD_ROUNDS: u32 = if cfg!(gosync_loom) { 0 } else { 20 };

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
