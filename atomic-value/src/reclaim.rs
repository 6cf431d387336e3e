//! Freeing replaced values: the scan, the batching policy, and the orphan
//! list for values still guarded when their `AtomicValue` is dropped.
//!
//! A replaced value is *retired*: its pointer goes on its `AtomicValue`'s
//! retired list, still holding the one `Arc` strong count the `AtomicValue`
//! owned. A *reclamation pass* takes the list, runs [`fence::heavy`], reads
//! every hazard slot, and drops the count of every retired pointer no slot
//! holds; the others go back on the list for the next pass.
//!
//! The heavy fence is what a pass costs: about 0.2 µs when no other thread
//! of the process is running and tens of µs (an IPI per busy CPU, slower
//! still in a VM) when some are. So in the asymmetric fence mode a store
//! starts a pass only when the coarse clock has ticked (≈4 ms) since the
//! last pass, or when the values retired since then reach
//! [`fence::batch_limit`]: as many as make the barrier's recent cost about
//! 8 ns per store (32 to 4,096). A value replaced after a quiet spell is
//! freed by the store that replaced it; values replaced in a burst wait for
//! the next tick's store, an explicit `reclaim`, or the `AtomicValue`'s
//! drop. In the symmetric mode a pass is a `fence(SeqCst)` plus the scan,
//! so every store runs one.

use crate::sync::Arc;

use crate::fence;
use crate::registry::for_each_protected;
use crate::sync::{lock, AtomicU32, AtomicUsize, Mutex, Ordering};

/// Moves every retired pointer that some hazard slot holds to the front of
/// `retired` and returns how many there are. The caller must have run
/// [`fence::heavy`] after the pointers became unreachable.
fn partition_protected<P>(retired: &mut [P], address: impl Fn(&P) -> *mut ()) -> usize {
    let mut kept = 0;
    for_each_protected(|protected| {
        if let Some(found) = retired[kept..].iter().position(|p| address(p) == protected) {
            retired.swap(kept, kept + found);
            kept += 1;
        }
    });
    kept
}

/// Drops one strong count of each pointer. If a value's `Drop` panics, the
/// rest are still dropped and the panic continues afterwards; a second panic
/// aborts, as it would in `Vec`'s drop.
///
/// # Safety
/// Each pointer came from `Arc::<T>::into_raw` and the caller owns one strong
/// count of it, which this consumes.
unsafe fn release_arcs<T>(pointers: &[*mut T]) {
    struct ReleaseRest<'a, T>(&'a [*mut T]);
    impl<T> Drop for ReleaseRest<'_, T> {
        fn drop(&mut self) {
            // SAFETY: forwarded from `release_arcs`; runs only while a
            // previous release is unwinding.
            unsafe { release_arcs(self.0) }
        }
    }
    for (i, &pointer) in pointers.iter().enumerate() {
        let rest = ReleaseRest(&pointers[i + 1..]);
        // SAFETY: the caller owns this count (function contract).
        unsafe { Arc::decrement_strong_count(pointer) };
        std::mem::forget(rest);
    }
}

/// An `AtomicValue`'s retired values and the clock of its last pass.
pub(crate) struct RetiredList<T> {
    inner: Mutex<Retired<T>>,
    /// Coarse clock tick of the last pass (asymmetric mode only).
    last_pass_tick: AtomicU32,
}

struct Retired<T> {
    /// Retired pointers, each owning one strong count.
    list: Vec<*mut T>,
    /// How many of `list` a pass put back because a guard held them; the
    /// rest were retired since.
    kept: usize,
    /// The buffer of the previous pass, reused so that steady stores do not
    /// allocate for the list.
    spare: Vec<*mut T>,
}

// SAFETY: the raw pointers are owned strong counts of `Arc<T>`s; moving or
// sharing the list moves or shares those counts, which `Arc<T>` allows when
// T: Send + Sync.
unsafe impl<T: Send + Sync> Send for RetiredList<T> {}
// SAFETY: as above; the list is behind a mutex.
unsafe impl<T: Send + Sync> Sync for RetiredList<T> {}

impl<T> RetiredList<T> {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Retired {
                list: Vec::new(),
                kept: 0,
                spare: Vec::new(),
            }),
            last_pass_tick: AtomicU32::new(0),
        }
    }

    /// Takes ownership of `pointer`'s strong count (the one the
    /// `AtomicValue` held before swapping it out), and runs a pass if the
    /// policy says so.
    ///
    /// # Safety
    /// `pointer` came from `Arc::<T>::into_raw`, is no longer reachable from
    /// the `AtomicValue`, and the caller hands over one strong count of it.
    pub(crate) unsafe fn retire(&self, pointer: *mut T) {
        let fresh = {
            let mut retired = lock(&self.inner);
            retired.list.push(pointer);
            retired.list.len().saturating_sub(retired.kept)
        };
        if self.pass_due(fresh) {
            self.pass();
        }
    }

    /// Whether a store that left `fresh` values retired since the last pass
    /// should run one now.
    fn pass_due(&self, fresh: usize) -> bool {
        if fresh >= fence::batch_limit() {
            return true;
        }
        // Read the clock only at 1, 2, 4, ... fresh values: the first store
        // after a pass (a quiet spell's store) always looks, a burst a few
        // times per batch.
        if !fresh.is_power_of_two() {
            return false;
        }
        // Relaxed: only a heuristic; a stale tick costs at most one extra or
        // one missed pass.
        coarse_tick() != self.last_pass_tick.load(Ordering::Relaxed)
    }

    /// One reclamation pass over this list.
    pub(crate) fn pass(&self) {
        let mut batch = {
            let mut retired = lock(&self.inner);
            if retired.list.is_empty() {
                return;
            }
            let spare = std::mem::take(&mut retired.spare);
            retired.kept = 0;
            std::mem::replace(&mut retired.list, spare)
        };
        if fence::is_asymmetric() {
            // Relaxed: heuristic only (see `pass_due`).
            self.last_pass_tick.store(coarse_tick(), Ordering::Relaxed);
        }
        // The pointers were made unreachable (swapped out) before they were
        // retired; this fence pairs with the light fence of every load.
        fence::heavy();
        let kept = partition_protected(&mut batch, |p| p.cast());
        {
            let mut retired = lock(&self.inner);
            if kept > 0 {
                retired.list.extend_from_slice(&batch[..kept]);
                retired.kept += kept;
            }
        }
        // SAFETY: every retired pointer holds a strong count the list owns;
        // those past `kept` are in no hazard slot after the heavy fence, so
        // no guard can be using them, and they are no longer on the list.
        unsafe { release_arcs(&batch[kept..]) };
        batch.clear();
        let mut retired = lock(&self.inner);
        if retired.spare.capacity() < batch.capacity() {
            retired.spare = batch;
        }
    }

    /// Frees every retired value and `current` (the `AtomicValue` is being
    /// dropped), except those a guard still holds, which go to the orphan
    /// list and are freed when their last guard is dropped.
    pub(crate) fn drop_all(&mut self, current: *mut T)
    where
        T: Send + Sync + 'static,
    {
        let mut batch = std::mem::take(&mut lock(&self.inner).list);
        if !current.is_null() {
            batch.push(current);
        }
        if batch.is_empty() {
            return;
        }
        // No heavy fence: `&mut` to the AtomicValue means every load of it
        // has finished and happened-before this drop, so the slot stores of
        // its guards are already visible to the Acquire scan. Nobody can
        // start protecting these pointers any more.
        let kept = partition_protected(&mut batch, |p| p.cast());
        if kept > 0 {
            let mut orphans = lock(&orphans().list);
            orphans.extend(batch[..kept].iter().map(|&pointer| Orphan {
                pointer: pointer.cast(),
                release: release_orphan::<T>,
            }));
            // Relaxed: see `Orphans::count`; the pass below runs the heavy
            // fence that orders this store before its scan.
            orphans_count().store(orphans.len(), Ordering::Relaxed);
        }
        // SAFETY: the list owned these counts; no hazard slot holds them and
        // none can start to (see above), and they are off every list.
        unsafe { release_arcs(&batch[kept..]) };
        if kept > 0 {
            // A guard may have cleared its slot between our scan and the
            // count store; this pass frees what it protected.
            let ours = &batch[..kept];
            reclaim_orphans(|orphan| ours.iter().any(|&p| p.cast() == orphan));
        }
    }
}

impl<T> Drop for RetiredList<T> {
    fn drop(&mut self) {
        // `drop_all` empties the list before the AtomicValue goes away;
        // nothing can be left here.
        debug_assert!(lock(&self.inner).list.is_empty());
    }
}

/// The coarse monotonic clock, in ticks of about 4 ms.
fn coarse_tick() -> u32 {
    #[cfg(asymmetric_fences_possible)]
    {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid timespec to write; CLOCK_MONOTONIC_COARSE
        // exists on every Linux that has membarrier.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC_COARSE, &mut now) };
        let nanos = (now.tv_sec as u64).wrapping_mul(1_000_000_000) + now.tv_nsec as u64;
        (nanos >> 22) as u32
    }
    #[cfg(not(asymmetric_fences_possible))]
    {
        0
    }
}

/// A retired value whose `AtomicValue` has been dropped while a guard still
/// protected it, type-erased so one list serves every `T`.
struct Orphan {
    pointer: *mut (),
    release: unsafe fn(*mut ()),
}

// SAFETY: orphans are only made from `T: Send + Sync + 'static` (see
// `drop_all`), so releasing them on any thread, at any later time, is
// what an `Arc<T>` would allow.
unsafe impl Send for Orphan {}

/// # Safety
/// `pointer` came from `Arc::<T>::into_raw` and the caller owns one count.
unsafe fn release_orphan<T>(pointer: *mut ()) {
    // SAFETY: forwarded from the caller.
    unsafe { Arc::decrement_strong_count(pointer.cast::<T>()) }
}

pub(crate) struct Orphans {
    list: Mutex<Vec<Orphan>>,
    /// `list.len()`, readable without the lock. Written under the lock.
    ///
    /// A guard reads it after clearing its slot; a pass writes it before its
    /// heavy fence and scan. Store-buffering again, settled by the same
    /// light/heavy fence pair as loads: either the pass sees the slot clear
    /// and frees the value, or the guard sees a non-zero count and runs a
    /// pass of its own after this one.
    count: AtomicUsize,
}

crate::sync::global! {
    fn orphans() -> &'static Orphans = Orphans {
        list: Mutex::new(Vec::new()),
        count: AtomicUsize::new(0),
    };
}

#[inline]
fn orphans_count() -> &'static AtomicUsize {
    &orphans().count
}

/// After a guard for `pointer` clears its slot: if `pointer` is an orphan
/// that no other guard holds, free it. Costs a relaxed load when there are
/// no orphans at all.
#[inline(always)]
pub(crate) fn after_guard_release(pointer: *mut ()) {
    // Pairs with the heavy fence of an orphan pass (see `Orphans::count`).
    fence::light();
    // Relaxed: ordered by the fences (see `Orphans::count`).
    if orphans_count().load(Ordering::Relaxed) != 0 {
        release_orphan_guarded_by(pointer);
    }
}

#[cold]
fn release_orphan_guarded_by(pointer: *mut ()) {
    // Not an orphan (the usual case when some other value is one): nothing
    // to do, and no heavy fence. If our value is orphaned after this check,
    // the dropping thread's own pass sees our cleared slot: it takes the
    // lock after we release it, so our clear happens-before its scan.
    let is_orphan = lock(&orphans().list)
        .iter()
        .any(|orphan| orphan.pointer == pointer);
    if is_orphan {
        reclaim_orphans(|orphan| orphan == pointer);
    }
}

/// One pass over the orphan list, freeing those orphans `ours` selects that
/// no hazard slot holds.
///
/// Each caller frees only its own orphans (a guard its value, a dropped
/// `AtomicValue` its values), so a value's `Drop` runs on a thread that
/// used that value, never inside an unrelated guard's drop.
#[cold]
fn reclaim_orphans(mut ours: impl FnMut(*mut ()) -> bool) {
    let doomed = {
        // Held across the scan, so a guard that saw a non-zero count and
        // comes here runs its pass after ours, seeing its own slot clear.
        let mut list = lock(&orphans().list);
        if list.is_empty() {
            return;
        }
        fence::heavy();
        let protected = partition_protected(&mut list, |orphan: &Orphan| orphan.pointer);
        let mut doomed = Vec::new();
        let mut index = protected;
        while index < list.len() {
            if ours(list[index].pointer) {
                doomed.push(list.swap_remove(index));
            } else {
                index += 1;
            }
        }
        // Relaxed: under the lock; see `Orphans::count`.
        orphans_count().store(list.len(), Ordering::Relaxed);
        doomed
    };
    // Outside the lock: a value's Drop may drop another AtomicValue.
    struct ReleaseRest(std::vec::IntoIter<Orphan>);
    impl Drop for ReleaseRest {
        fn drop(&mut self) {
            for orphan in self.0.by_ref() {
                // SAFETY: as below; runs only while a release is unwinding.
                unsafe { (orphan.release)(orphan.pointer) };
            }
        }
    }
    let mut rest = ReleaseRest(doomed.into_iter());
    for orphan in rest.0.by_ref() {
        // SAFETY: the orphan list owned this count; the orphan is off the
        // list and no hazard slot held it after the heavy fence.
        unsafe { (orphan.release)(orphan.pointer) };
    }
}
