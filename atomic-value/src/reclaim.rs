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
//! 2 ns per store (32 to 4,096), or when their inline size reaches 1 MiB.
//! A value replaced after a quiet spell is freed by the store that replaced
//! it. In the symmetric mode a pass is a `fence(SeqCst)` plus the scan, so
//! every store runs one.
//!
//! Whatever a pass leaves (values replaced in a burst, values a guard
//! held) must not wait for a next store that may never come: the list then
//! registers with the reclaimer thread (`crate::reclaimer`), which runs a
//! pass on it every 2 ms (unless its own stores just did) until its
//! backlog is gone.

use crate::sync::Arc;

use crate::cell::{ArcCell, Retired};
use crate::fence;
use crate::husk::{self, Husk};
use crate::reclaimer::Backlog;
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
    for (i, &pointer) in pointers.iter().enumerate() {
        let rest = ReleaseRest(&pointers[i + 1..]);
        // SAFETY: the caller owns this count (function contract).
        unsafe { Arc::decrement_strong_count(pointer) };
        std::mem::forget(rest);
    }
}

/// [`release_arcs`], keeping the allocations of values whose last
/// reference this was as husks on `husks` while it has fewer than `room`.
///
/// # Safety
/// As for [`release_arcs`], and no hazard slot holds any of the pointers.
unsafe fn release_keeping_husks<T>(pointers: &[*mut T], husks: &mut Vec<Husk<T>>, room: usize) {
    for (i, &pointer) in pointers.iter().enumerate() {
        let rest = ReleaseRest(&pointers[i + 1..]);
        // SAFETY: the caller owns this count and no slot holds it.
        unsafe { husk::release(pointer, husks, room) };
        std::mem::forget(rest);
    }
}

/// Releases the counts of the pointers a release left when a value's drop
/// unwound (it is forgotten otherwise).
struct ReleaseRest<'a, T>(&'a [*mut T]);

impl<T> Drop for ReleaseRest<'_, T> {
    fn drop(&mut self) {
        // SAFETY: forwarded from the release that made this; runs only while
        // that release is unwinding.
        unsafe { release_arcs(self.0) }
    }
}

/// Values replaced in [`ArcCell`](crate::raw::ArcCell)s, waiting until no
/// guard reads them: the other half of [`AtomicValue`](crate::AtomicValue),
/// shareable by any number of cells.
///
/// [`retire`](Self::retire) is cheap (a push under an uncontended lock);
/// every so often it runs a *reclamation pass*: one heavy fence, a scan of
/// the hazard slots, and the drop of every retired value no guard holds.
/// Passes are batched (see [`crate::docs::design`]); [`reclaim`](Self::reclaim)
/// runs one now. Dropping the list frees what it still holds, except values
/// still guarded, which their last guard frees.
///
/// # Examples
///
/// ```
/// use gosync_atomic_value::raw::{ArcCell, RetiredList};
/// use std::sync::Arc;
///
/// let retired = RetiredList::new();
/// let cells: Vec<ArcCell<u32>> = (0..4).map(|i| ArcCell::new(Some(Arc::new(i)))).collect();
/// for (i, cell) in cells.iter().enumerate() {
///     if let Some(old) = cell.swap(Some(Arc::new(10 + i as u32))) {
///         retired.retire(old);
///     }
/// }
/// retired.reclaim(); // nothing guards the old values: all four are freed
/// assert_eq!(*cells[3].load().unwrap(), 13);
/// ```
///
/// Its `Send`/`Sync` impls need `T: Send + Sync` (values retired on one
/// thread are dropped on another), which the type itself requires:
///
/// ```compile_fail
/// let _: Option<gosync_atomic_value::raw::RetiredList<std::sync::MutexGuard<'static, u8>>> = None;
/// ```
pub struct RetiredList<T: Send + Sync + 'static> {
    /// Shared with the reclaimer thread, which holds it weakly while the
    /// list is registered there (`crate::reclaimer`).
    shared: std::sync::Arc<Shared<T>>,
}

/// On a line pair of its own, like the `CachePadded` it used to sit in: a
/// map keeps one list per writing thread, and neighbouring allocations
/// must not put two writers' locks on one line.
#[repr(align(128))]
struct Shared<T: Send + Sync + 'static> {
    inner: Mutex<Pending<T>>,
    /// Coarse clock tick of the last pass (asymmetric mode only).
    last_pass_tick: AtomicU32,
    /// Held by the reclaimer for the whole of its pass on this list, values'
    /// drops included, so that dropping the list (or its `AtomicValue`)
    /// waits for a pass in flight and every value is gone when the drop
    /// returns, as it would be without a reclaimer.
    reclaimer_pass: Mutex<()>,
    /// Passes run on this list so far, by anyone (wrapping; Relaxed: a
    /// heuristic, a lost count costs one extra or one skipped round).
    passes: AtomicUsize,
    /// `passes` as the reclaimer last saw it. A list whose own stores ran
    /// a pass since is keeping up by itself: the round skips it (no heavy
    /// fence interrupting a busy writer) and looks again at the next one.
    passes_seen_by_reclaimer: AtomicUsize,
}

struct Pending<T> {
    /// Retired pointers, each owning one strong count.
    list: Vec<*mut T>,
    /// How many of `list` a pass put back because a guard held them; the
    /// rest were retired since.
    kept: usize,
    /// The buffer of the previous pass, reused so that steady stores do not
    /// allocate for the list.
    spare: Vec<*mut T>,
    /// Allocations of values passes dropped, for the next stores
    /// ([`crate::husk`]).
    husks: Vec<Husk<T>>,
    /// Some writer takes its new `Arc`s from this list (`new_arc`,
    /// `store_in`): only then do passes keep husks. A list nobody takes
    /// them from (a map's snapshots, a thread's shard that only deletes)
    /// would hold freed blocks back from the allocator for nothing, and
    /// make the allocations elsewhere slower.
    recycles: bool,
    /// The list is in the reclaimer's queue. Set when the list is left with
    /// a backlog, cleared by the reclaimer's pass that finds none; only
    /// ever changed under the lock, so the list is queued at most once.
    registered: bool,
}

impl<T> Pending<T> {
    /// Claims the list's registration with the reclaimer if it is left
    /// with a backlog and not queued yet: the caller then registers it
    /// (after releasing the lock).
    fn needs_registration(&mut self) -> bool {
        let needed = !self.list.is_empty() && !self.registered;
        self.registered |= needed;
        needed
    }
}

// SAFETY: the raw pointers are owned strong counts of `Arc<T>`s, and the
// husks unique `Arc<T>` allocations holding no value; moving or sharing the
// list moves or shares those counts (and lets another thread fill a husk
// with a `T` or free it), which `Arc<T>` allows when T: Send + Sync.
unsafe impl<T: Send + Sync + 'static> Send for Shared<T> {}
// SAFETY: as above; the list is behind a mutex.
unsafe impl<T: Send + Sync + 'static> Sync for Shared<T> {}

impl<T: Send + Sync + 'static> Default for RetiredList<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Send + Sync + 'static> std::fmt::Debug for RetiredList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetiredList")
            .field("len", &lock(&self.shared.inner).list.len())
            .finish()
    }
}

/// A backlog whose values' inline size adds up to this runs a pass at the
/// store that reaches it, whatever the batch limit: a burst of large values
/// holds at most about this much (plus one value) waiting. (What a value
/// owns on the heap is not counted; the reclaimer's deadline bounds how long
/// it waits.)
const BACKLOG_BYTES: usize = 1 << 20;

impl<T: Send + Sync + 'static> RetiredList<T> {
    /// An empty list.
    ///
    /// ```
    /// let retired = gosync_atomic_value::raw::RetiredList::<String>::new();
    /// retired.reclaim(); // nothing to do
    /// ```
    pub fn new() -> Self {
        Self {
            shared: std::sync::Arc::new(Shared {
                inner: Mutex::new(Pending {
                    list: Vec::new(),
                    kept: 0,
                    spare: Vec::new(),
                    husks: Vec::new(),
                    recycles: false,
                    registered: false,
                }),
                last_pass_tick: AtomicU32::new(0),
                reclaimer_pass: Mutex::new(()),
                passes: AtomicUsize::new(0),
                passes_seen_by_reclaimer: AtomicUsize::new(0),
            }),
        }
    }

    /// Takes over a replaced value and frees it once no guard holds it;
    /// runs a pass if the batching policy says one is due.
    ///
    /// A value no pass frees at once (a guard holds it, or the policy waits
    /// for more) is freed within a few ms of its last guard's drop by the
    /// reclaimer thread, if no store, [`reclaim`](Self::reclaim) or drop of
    /// this list does it first ([`docs::design`](crate::docs::design)).
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, RetiredList};
    /// use std::sync::Arc;
    ///
    /// let retired = RetiredList::new();
    /// let cell = ArcCell::new(Some(Arc::new(1)));
    /// let guard = cell.load().unwrap();
    /// retired.retire(cell.swap(Some(Arc::new(2))).unwrap());
    /// retired.reclaim(); // `guard` still holds 1: it stays on the list
    /// assert_eq!(*guard, 1);
    /// ```
    pub fn retire(&self, value: Retired<T>) {
        let pointer = value.into_raw();
        let (fresh, registered) = {
            let mut retired = lock(&self.shared.inner);
            retired.list.push(pointer);
            let fresh = retired.list.len().saturating_sub(retired.kept);
            (fresh, retired.registered)
        };
        self.after_retire(fresh, registered);
    }

    /// Stores `value` in `cell` and retires what it replaces, with one
    /// acquisition of the list's lock for both: the new `Arc` is made in a
    /// husk if the list has one ([`crate::husk`]), and the swap happens
    /// under the lock (only this list's writers take it; loads never do).
    /// With `keep_previous`, also returns a count of the replaced value.
    pub(crate) fn store_in(
        &self,
        cell: &ArcCell<T>,
        value: T,
        keep_previous: bool,
    ) -> Option<Arc<T>> {
        let (fresh, registered, previous) = {
            let mut retired = lock(&self.shared.inner);
            retired.recycles = true;
            let new = match retired.husks.pop() {
                Some(husk) => husk.fill(value),
                None => Arc::new(value),
            };
            let old = cell.swap(Some(new))?;
            let previous = keep_previous.then(|| old.to_arc());
            retired.list.push(old.into_raw());
            let fresh = retired.list.len().saturating_sub(retired.kept);
            (fresh, retired.registered, previous)
        };
        self.after_retire(fresh, registered);
        previous
    }

    /// An `Arc` holding `value`, for a cell whose replaced values this list
    /// retires: made in the allocation of a value a pass dropped (a
    /// *husk*) if the list kept one, else in a new allocation.
    ///
    /// A pass that holds the last reference to a value it frees drops the
    /// value but keeps its allocation, up to 32 KiB per list, for this: a
    /// writer that takes its new `Arc`s here allocates nothing in the steady
    /// state ([`docs::design`](crate::docs::design), "Husks").
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, RetiredList};
    ///
    /// let retired = RetiredList::new();
    /// let cell = ArcCell::new(Some(retired.new_arc(1)));
    /// retired.retire(cell.swap(Some(retired.new_arc(2))).unwrap());
    /// retired.reclaim(); // 1 is dropped; its allocation is kept
    /// let three = retired.new_arc(3); // made in 1's allocation
    /// retired.retire(cell.swap(Some(three)).unwrap());
    /// assert_eq!(*cell.load().unwrap(), 3);
    /// ```
    pub fn new_arc(&self, value: T) -> Arc<T> {
        let husk = {
            let mut retired = lock(&self.shared.inner);
            retired.recycles = true;
            retired.husks.pop()
        };
        match husk {
            Some(husk) => husk.fill(value),
            None => Arc::new(value),
        }
    }

    /// What a store owes the list after retiring: a pass when one is due,
    /// else a registration with the reclaimer when the list has a backlog.
    fn after_retire(&self, fresh: usize, registered: bool) {
        if self.shared.pass_due(fresh) {
            self.pass_and_register();
        } else if !registered && lock(&self.shared.inner).needs_registration() {
            self.register();
        }
    }

    /// Runs a reclamation pass now: frees every retired value that no guard
    /// holds.
    ///
    /// ```
    /// use gosync_atomic_value::raw::{ArcCell, RetiredList};
    /// use std::sync::Arc;
    ///
    /// let retired = RetiredList::new();
    /// let cell = ArcCell::new(Some(Arc::new(vec![0u8; 1 << 20])));
    /// retired.retire(cell.swap(None).unwrap());
    /// retired.reclaim(); // the megabyte is freed here
    /// ```
    ///
    /// If the reclaimer thread is in the middle of a pass on this list, this
    /// waits for it first, so that every value it took is dropped too when
    /// this returns.
    pub fn reclaim(&self) {
        let _pass_finished = self.shared.wait_for_reclaimer();
        self.pass_and_register();
    }

    /// A store's pass: no waiting for the reclaimer, whose pass in flight
    /// frees what it took anyway.
    fn pass_and_register(&self) {
        if self.shared.pass(false) {
            self.register();
        }
    }

    fn register(&self) {
        // The pass that left the backlog counts as seen: the first round
        // passes unless a store passes again before it.
        let passes = self.shared.passes.load(Ordering::Relaxed);
        self.shared
            .passes_seen_by_reclaimer
            .store(passes, Ordering::Relaxed);
        let weak: std::sync::Weak<dyn Backlog> =
            std::sync::Arc::downgrade(&self.shared) as std::sync::Weak<Shared<T>>;
        crate::reclaimer::register(weak);
    }

    /// Frees every retired value except those a guard still holds, which go
    /// to the orphan list and are freed when their last guard is dropped.
    ///
    /// # Safety
    /// Every load of every cell whose values were retired here has
    /// happened-before this call (the owner of the cells and the list is
    /// being dropped), so no heavy fence is needed.
    pub(crate) unsafe fn release_all_after_last_load(&mut self) {
        let mut batch = self.take_all();
        // SAFETY: the list owned these counts and they are off it now; the
        // caller rules out loads still running.
        unsafe { release_unreachable(&mut batch, false) }
    }
}

impl<T: Send + Sync + 'static> RetiredList<T> {
    /// Takes every retired pointer off the list, once a reclaimer pass in
    /// flight has finished. (On the reclaimer thread itself, a drop nested
    /// in a value's drop must not wait for the pass it runs inside.)
    fn take_all(&mut self) -> Vec<*mut T> {
        let _pass_finished = self.shared.wait_for_reclaimer();
        std::mem::take(&mut lock(&self.shared.inner).list)
    }
}

impl<T: Send + Sync + 'static> Drop for RetiredList<T> {
    fn drop(&mut self) {
        crate::reclaimer::order_drop_with_rounds();
        let mut batch = self.take_all();
        // SAFETY: the list owned these counts and they are off it now. The
        // cells they came from may still be loaded elsewhere, so fence.
        unsafe { release_unreachable(&mut batch, true) }
    }
}

impl<T: Send + Sync + 'static> Shared<T> {
    /// Waits for a reclaimer pass in flight on this list and keeps the next
    /// one from starting while the guard lives; nothing on the reclaimer
    /// thread itself, where the caller may be nested in that very pass.
    fn wait_for_reclaimer(&self) -> Option<crate::sync::MutexGuard<'_, ()>> {
        if crate::reclaimer::on_reclaimer_thread() {
            None
        } else {
            Some(lock(&self.reclaimer_pass))
        }
    }

    /// Whether a store that left `fresh` values retired since the last pass
    /// should run one now.
    fn pass_due(&self, fresh: usize) -> bool {
        if fresh >= fence::batch_limit()
            || fresh.saturating_mul(std::mem::size_of::<T>()) >= BACKLOG_BYTES
        {
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

    /// One reclamation pass. By a store or `reclaim` (`by_reclaimer`
    /// false): returns true if the list is left with a backlog and the
    /// caller must register it with the reclaimer. By the reclaimer:
    /// returns true if the list stays registered, and deregisters it (false)
    /// when its backlog is gone.
    fn pass(&self, by_reclaimer: bool) -> bool {
        self.passes.fetch_add(1, Ordering::Relaxed);
        let batch = {
            let mut retired = lock(&self.inner);
            if retired.list.is_empty() {
                if by_reclaimer {
                    retired.registered = false;
                }
                return false;
            }
            let spare = std::mem::take(&mut retired.spare);
            retired.kept = 0;
            (
                std::mem::replace(&mut retired.list, spare),
                std::mem::take(&mut retired.husks),
                if retired.recycles {
                    husk::capacity::<T>()
                } else {
                    0
                },
            )
        };
        let (mut batch, mut husks, husk_room) = batch;
        if fence::is_asymmetric() {
            // Relaxed: heuristic only (see `pass_due`).
            self.last_pass_tick.store(coarse_tick(), Ordering::Relaxed);
        }
        // The pointers were made unreachable (swapped out) before they were
        // retired; this fence pairs with the light fence of every load.
        fence::heavy();
        let kept = partition_protected(&mut batch, |p| p.cast());
        let backlog = {
            let mut retired = lock(&self.inner);
            if kept > 0 {
                retired.list.extend_from_slice(&batch[..kept]);
                retired.kept += kept;
            }
            if by_reclaimer {
                retired.registered = !retired.list.is_empty();
                retired.registered
            } else {
                retired.needs_registration()
            }
        };
        // SAFETY: every retired pointer holds a strong count the list owns;
        // those past `kept` are in no hazard slot after the heavy fence, so
        // no guard can be using them, and they are no longer on the list.
        unsafe { release_keeping_husks(&batch[kept..], &mut husks, husk_room) };
        batch.clear();
        let mut retired = lock(&self.inner);
        if retired.spare.capacity() < batch.capacity() {
            retired.spare = batch;
        }
        // Stores took none while the pass held them; a pass that ran
        // meanwhile may have kept some too.
        if retired.husks.is_empty() {
            retired.husks = husks;
        } else {
            retired.husks.append(&mut husks);
            retired.husks.truncate(husk::capacity::<T>());
        }
        backlog
    }
}

impl<T: Send + Sync + 'static> Backlog for Shared<T> {
    fn reclaimer_pass(&self) -> bool {
        let passes = self.passes.load(Ordering::Relaxed);
        if self
            .passes_seen_by_reclaimer
            .swap(passes, Ordering::Relaxed)
            != passes
        {
            return true;
        }
        let _in_pass = lock(&self.reclaimer_pass);
        let backlog = self.pass(true);
        self.passes_seen_by_reclaimer
            .store(self.passes.load(Ordering::Relaxed), Ordering::Relaxed);
        backlog
    }
}

/// What the `RetiredList`'s drop could not take: only values put back by a
/// reclaimer pass that a drop nested inside it did not wait for.
impl<T: Send + Sync + 'static> Drop for Shared<T> {
    fn drop(&mut self) {
        let mut batch = std::mem::take(&mut lock(&self.inner).list);
        // SAFETY: the list owned these counts and they are off it now. The
        // cells they came from may still be loaded elsewhere, so fence.
        unsafe { release_unreachable(&mut batch, true) }
    }
}

/// Frees the values of `batch` that no hazard slot holds, and hands those
/// that one does to the orphan list, to be freed when their last guard is
/// dropped.
///
/// # Safety
/// Each pointer came from `Arc::<T>::into_raw`, the caller owns one strong
/// count of it (which this consumes), and nothing can newly reach it: it
/// is in no cell. With `heavy_fence == false` the caller also guarantees
/// that every load that could have read it happened-before this call.
pub(crate) unsafe fn release_unreachable<T: Send + Sync + 'static>(
    batch: &mut [*mut T],
    heavy_fence: bool,
) {
    if batch.is_empty() {
        return;
    }
    if heavy_fence {
        // Pairs with the light fence of every load (as in a pass).
        fence::heavy();
    }
    // Without the fence: every load of these pointers has happened-before
    // this call (contract), so the slot stores of their guards are already
    // visible to the Acquire scan.
    let kept = partition_protected(batch, |p| p.cast());
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
    // SAFETY: the caller owned these counts; no hazard slot holds them and
    // none can start to (see above).
    unsafe { release_arcs(&batch[kept..]) };
    if kept > 0 {
        // A guard may have cleared its slot between our scan and the
        // count store; this pass frees what it protected.
        let ours = &batch[..kept];
        reclaim_orphans(|orphan| ours.iter().any(|&p| p.cast() == orphan));
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
// `release_unreachable`), so releasing them on any thread, at any later time, is
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
