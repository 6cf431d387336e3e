//! The two halves of the store-load fence that hazard slots need.
//!
//! A reader publishes a pointer in its hazard slot and then re-reads the
//! value's pointer; a reclaimer swaps the value's pointer and then reads
//! every hazard slot. That is the store-buffering litmus test: without a
//! store-load fence on *both* sides, both threads can read the old values
//! and a reader ends up holding freed memory. Readers load far more often
//! than values are reclaimed, so the fence is split unevenly:
//!
//! | mode | [`light`] (every load) | [`heavy`] (every reclamation pass) |
//! |---|---|---|
//! | asymmetric (Linux with `membarrier(2)`) | compiler fence only | `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)` |
//! | symmetric (other targets, Miri, loom, `--cfg gosync_portable_fences`) | `fence(SeqCst)` | `fence(SeqCst)` |
//!
//! `membarrier` makes every running thread of the process execute a full
//! memory barrier before it returns, so a reader's compiler fence becomes a
//! real one exactly when a reclaimer needs it to be: either the reader's slot
//! store was globally visible before the barrier (the reclaimer sees it), or
//! the reader's re-read comes after the barrier and sees the new pointer.
//! This is the technique of userspace RCU and folly's asymmetric hazard
//! pointers. Loom models both halves as `fence(SeqCst)`, which is exactly
//! the symmetric mode; the asymmetric mode's soundness rests on the kernel's
//! documented guarantee.
//!
//! The mode is chosen once per process, on first use, and never changes:
//! every reader and reclaimer sees the same mode.

use crate::sync::{fence, Ordering};

/// Orders this thread's earlier hazard-slot store before its next load of a
/// value pointer (reader side). Pairs with [`heavy`] in every reclamation
/// pass.
#[inline(always)]
pub(crate) fn light() {
    #[cfg(asymmetric_fences_possible)]
    {
        if asymmetric::enabled() {
            // Compiler fence only: the reclaimer's membarrier supplies the
            // hardware barrier on this CPU when it matters (module docs).
            std::sync::atomic::compiler_fence(Ordering::SeqCst);
            return;
        }
    }
    // Symmetric: pairs with the fence(SeqCst) in `heavy`.
    fence(Ordering::SeqCst);
}

/// Orders this thread's earlier pointer swap before its next reads of the
/// hazard slots (reclaimer side). Pairs with [`light`] in every load.
pub(crate) fn heavy() {
    #[cfg(asymmetric_fences_possible)]
    {
        if asymmetric::enabled() {
            asymmetric::barrier_all_threads();
            return;
        }
    }
    // Symmetric: pairs with the fence(SeqCst) in `light`.
    fence(Ordering::SeqCst);
}

/// How many replaced values a store may leave waiting before it must run a
/// reclamation pass: enough that the heavy fence costs at most about
/// [`BARRIER_NANOS_PER_STORE`] per store, within `32..=4096`. One value in
/// the symmetric mode, where the fence is cheap.
#[inline]
pub(crate) fn batch_limit() -> usize {
    #[cfg(asymmetric_fences_possible)]
    {
        if asymmetric::enabled() {
            let per_store = asymmetric::recent_barrier_nanos() / BARRIER_NANOS_PER_STORE;
            return (per_store as usize).clamp(32, 4096);
        }
    }
    1
}

/// The share of a heavy fence one store should pay, in nanoseconds.
#[cfg_attr(not(asymmetric_fences_possible), allow(dead_code))]
const BARRIER_NANOS_PER_STORE: u32 = 2;

/// Whether this process runs the asymmetric mode (for docs, tests and the
/// benchmarks' report).
pub(crate) fn is_asymmetric() -> bool {
    #[cfg(asymmetric_fences_possible)]
    {
        asymmetric::enabled()
    }
    #[cfg(not(asymmetric_fences_possible))]
    {
        false
    }
}

#[cfg(asymmetric_fences_possible)]
mod asymmetric {
    use std::sync::atomic::{AtomicU32, AtomicU8, Ordering};

    const UNKNOWN: u8 = 0;
    const ASYMMETRIC: u8 = 1;
    const SYMMETRIC: u8 = 2;

    /// The process's fence mode, decided once by [`decide`].
    ///
    /// Relaxed everywhere: the byte carries no data with it, and the one fact
    /// it stands for (the process is registered for expedited membarrier) is
    /// kernel state that was complete before the byte was written.
    static MODE: AtomicU8 = AtomicU8::new(UNKNOWN);

    // From <linux/membarrier.h>.
    const MEMBARRIER_CMD_QUERY: libc::c_long = 0;
    const MEMBARRIER_CMD_PRIVATE_EXPEDITED: libc::c_long = 1 << 3;
    const MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED: libc::c_long = 1 << 4;

    #[inline(always)]
    pub(super) fn enabled() -> bool {
        // Relaxed: the byte publishes no data (see `MODE`).
        match MODE.load(Ordering::Relaxed) {
            ASYMMETRIC => true,
            SYMMETRIC => false,
            _ => decide(),
        }
    }

    #[cold]
    fn decide() -> bool {
        let mode = if register() { ASYMMETRIC } else { SYMMETRIC };
        // Two threads may race here; both registrations are harmless (the
        // command is idempotent) and the first recorded mode wins for all.
        // Relaxed: as in `enabled`; registration finished before the CAS.
        match MODE.compare_exchange(UNKNOWN, mode, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(_) => mode == ASYMMETRIC,
            Err(decided) => decided == ASYMMETRIC,
        }
    }

    fn membarrier(cmd: libc::c_long) -> libc::c_long {
        // SAFETY: membarrier takes two integer arguments and touches no
        // memory of ours; any failure is reported through the return value.
        unsafe {
            libc::syscall(
                libc::SYS_membarrier,
                cmd,
                0 as libc::c_long,
                0 as libc::c_long,
            )
        }
    }

    fn register() -> bool {
        let supported = membarrier(MEMBARRIER_CMD_QUERY);
        supported >= 0
            && supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED != 0
            && membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) == 0
    }

    /// What one `barrier_all_threads` has cost lately, in nanoseconds: an
    /// average over the last few, weighted 3:1 towards the past. About
    /// 200 ns when no other thread of the process is running, tens of µs
    /// when some are (an interrupt to each busy CPU; more in a VM).
    ///
    /// Relaxed: a statistic; nothing is published through it.
    static BARRIER_NANOS: AtomicU32 = AtomicU32::new(0);

    pub(super) fn recent_barrier_nanos() -> u32 {
        BARRIER_NANOS.load(Ordering::Relaxed)
    }

    pub(super) fn barrier_all_threads() {
        let start = std::time::Instant::now();
        barrier_all_threads_untimed();
        let nanos = u32::try_from(start.elapsed().as_nanos()).unwrap_or(u32::MAX);
        // Relaxed: a statistic (see `BARRIER_NANOS`); a lost update between
        // two concurrent passes only skews the average a little.
        let average = BARRIER_NANOS.load(Ordering::Relaxed);
        let updated = if average == 0 {
            nanos
        } else {
            ((u64::from(average) * 3 + u64::from(nanos)) / 4) as u32
        };
        // Relaxed: as above.
        BARRIER_NANOS.store(updated, Ordering::Relaxed);
    }

    fn barrier_all_threads_untimed() {
        let result = membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
        // Registration succeeded, so this cannot fail short of a kernel bug;
        // carrying on would free memory readers may hold, so stop instead
        // (the caller has not freed anything yet).
        assert_eq!(
            result,
            0,
            "gosync-atomic-value: membarrier(PRIVATE_EXPEDITED) failed after registration: {}",
            std::io::Error::last_os_error()
        );
    }
}
