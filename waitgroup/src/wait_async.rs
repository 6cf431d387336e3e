//! Async waiting: [`WaitFut`] and the list of parked wakers.
//!
//! # Protocol
//!
//! An async waiter follows the blocking waiter's protocol (`raw.rs`,
//! "The epoch"), with a `Waker` in a list instead of a futex sleep:
//!
//! 1. first poll: one Acquire load of the state word; a zero counter is
//!    `Ready` at once, with nothing registered;
//! 2. otherwise read the epoch, then register in the waiter half of the
//!    state word (a CAS that fails over to `Ready` if the counter is zero),
//!    then, *under the list's lock*, re-read the epoch: if it moved, the
//!    round ended in between and the future is `Ready`; if not, it stores
//!    its waker in a slab slot and is `Pending`;
//! 3. the `add` that brings the counter to zero sees the registration (the
//!    waiter half is non-zero), bumps the epoch and only *then* takes the
//!    list's lock and wakes every stored waker;
//! 4. a re-poll takes the lock and compares the epoch with the one read in
//!    step 2: different means released (`Ready`, even if the counter has
//!    risen again since, as Go's `Wait` returns), equal means keep waiting
//!    (the waker is replaced unless [`Waker::will_wake`] says it is the
//!    same).
//!
//! No lost wake-up: the drain (3) and the re-check (2) both run under the
//! lock, and the bump comes before the drain. Either the re-check's lock
//! comes first, and the drain finds the waker, or the drain's lock comes
//! first, and then the bump happens-before the re-check, which sees it.
//!
//! The slot belongs to its future until the future completes or is
//! dropped: the drain only *takes* the waker out of it. So a slot index is
//! never stale, removal is O(1), and a dropped future leaves nothing
//! behind. When the last slot is freed the slab is cleared and its storage
//! shrunk to a few slots.
//!
//! # Orderings
//!
//! * The first-poll load and the registration CAS (failure) are Acquire:
//!   they pair with the Release half of `add`'s `fetch_add`, so a zero seen
//!   there carries every `done` (as `is_zero` in `raw.rs`).
//! * The registration CAS succeeds AcqRel, as `wait_slow`'s: its Release
//!   half orders the earlier epoch read (and the list's installation)
//!   before the releasing `add`, which acquires it.
//! * The epoch re-reads are Acquire: they pair with the Release bump in
//!   `Futex::bump_and_wake_all`, which follows the releasing `add`'s
//!   AcqRel `fetch_add` that acquired every `done` of the round.
//! * Deregistration is Relaxed, as in `wait_slow`: it publishes nothing and
//!   keeps the release sequence on the state word intact.
//! * The list pointer is installed with a Release CAS and read with
//!   Acquire loads, so whoever sees the pointer sees an initialised list.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::task::{Context, Poll, Waker};

use crate::raw::{counter, RawWaitGroup};
use crate::sync::{AtomicPtr, Mutex, Ordering};
use crate::WaitGroup;

/// Marks a free slot's "next free" link as the end of the free list.
const NO_SLOT: usize = usize::MAX;
/// Storage the slab keeps when it empties; more is given back.
const KEEP_SLOTS: usize = 16;
/// Wakers taken out per lock hold while draining, to wake them unlocked
/// without allocating.
const BATCH: usize = 32;

/// A slot of the slab: a pending future's waker, or a link of the free list.
#[derive(Debug)]
enum Slot {
    /// Owned by a pending `WaitFut`. `None` once a release took the waker.
    Waiting(Option<Waker>),
    /// Free; the index of the next free slot, or `NO_SLOT`.
    Free(usize),
}

/// The parked wakers: a slab, so each future knows its slot's index.
#[derive(Debug)]
pub(crate) struct Slab {
    slots: Vec<Slot>,
    /// Head of the free list threaded through `Slot::Free`.
    free: usize,
    /// Slots in the `Waiting` state.
    waiting: usize,
}

impl Slab {
    #[cfg(not(gosync_loom))]
    const fn new() -> Self {
        Self {
            slots: Vec::new(),
            free: NO_SLOT,
            waiting: 0,
        }
    }

    #[cfg(gosync_loom)]
    fn new() -> Self {
        Self {
            slots: Vec::new(),
            free: NO_SLOT,
            waiting: 0,
        }
    }

    fn insert(&mut self, waker: Waker) -> usize {
        let index = if self.free == NO_SLOT {
            self.slots.push(Slot::Waiting(Some(waker)));
            self.slots.len() - 1
        } else {
            let index = self.free;
            match std::mem::replace(&mut self.slots[index], Slot::Waiting(Some(waker))) {
                Slot::Free(next) => self.free = next,
                Slot::Waiting(_) => unreachable!("WaitGroup: free list points at a used slot"),
            }
            index
        };
        self.waiting += 1;
        index
    }

    /// Frees `index`; returns its waker, for the caller to drop unlocked.
    fn remove(&mut self, index: usize) -> Option<Waker> {
        let old = std::mem::replace(&mut self.slots[index], Slot::Free(self.free));
        let Slot::Waiting(waker) = old else {
            unreachable!("WaitGroup: a WaitFut's slot was already free")
        };
        self.free = index;
        self.waiting -= 1;
        if self.waiting == 0 {
            self.slots.clear();
            self.free = NO_SLOT;
            if self.slots.capacity() > KEEP_SLOTS {
                self.slots.shrink_to(KEEP_SLOTS);
            }
        }
        waker
    }

    /// Stores `waker` in `index` unless the stored one would wake the same
    /// task; returns the replaced waker, for the caller to drop unlocked.
    fn set_waker(&mut self, index: usize, waker: &Waker) -> Option<Waker> {
        match &mut self.slots[index] {
            Slot::Waiting(Some(stored)) if stored.will_wake(waker) => None,
            Slot::Waiting(slot) => slot.replace(waker.clone()),
            Slot::Free(_) => unreachable!("WaitGroup: a WaitFut's slot was free"),
        }
    }

    /// Slots in use and allocated, for the tests.
    #[cfg(all(test, not(gosync_loom)))]
    pub(crate) fn usage(&self) -> (usize, usize, usize) {
        (self.waiting, self.slots.len(), self.slots.capacity())
    }
}

/// The list of pending futures' wakers, allocated on first use.
#[derive(Debug)]
pub(crate) struct WakerList {
    slab: Mutex<Slab>,
}

impl WakerList {
    pub(crate) fn lock(&self) -> crate::sync::MutexGuard<'_, Slab> {
        // A poisoned lock means a waker's `clone` panicked while we held
        // it; every slab operation leaves the slab consistent before it
        // calls out, so the data is still good.
        self.slab.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Wakes every stored waker (the releasing `add`, after its epoch
    /// bump). Wakers are taken out under the lock and woken outside it, in
    /// batches, so a waker that polls or drops its future at once cannot
    /// deadlock on the lock.
    pub(crate) fn wake_all(&self) {
        let mut batch: [Option<Waker>; BATCH] = Default::default();
        let mut next = 0;
        // Slots past the length seen at the first lock were filled after the
        // bump was visible to their owners (the lock orders them after it),
        // so they belong to the next round: no need to wake them.
        let mut end = None;
        loop {
            let mut taken = 0;
            {
                let mut slab = self.lock();
                let end = *end.get_or_insert(slab.slots.len());
                let end = end.min(slab.slots.len());
                while next < end && taken < BATCH {
                    if let Slot::Waiting(waker) = &mut slab.slots[next] {
                        if let Some(waker) = waker.take() {
                            batch[taken] = Some(waker);
                            taken += 1;
                        }
                    }
                    next += 1;
                }
                if taken == 0 {
                    return;
                }
            }
            for waker in &mut batch[..taken] {
                if let Some(waker) = waker.take() {
                    waker.wake();
                }
            }
        }
    }
}

/// A pointer to the group's [`WakerList`], null until an async waiter
/// first needs it, so that groups nobody awaits never allocate and
/// `WaitGroup::new` stays `const` and one cache slot.
pub(crate) struct LazyWakers {
    ptr: AtomicPtr<WakerList>,
}

impl LazyWakers {
    #[cfg(not(gosync_loom))]
    pub(crate) const fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    #[cfg(gosync_loom)]
    pub(crate) fn new() -> Self {
        Self {
            ptr: AtomicPtr::new(ptr::null_mut()),
        }
    }

    /// The list, if an async waiter ever allocated it.
    #[inline]
    pub(crate) fn get(&self) -> Option<&WakerList> {
        // Acquire: pairs with the Release CAS in `get_or_init`, so the list
        // is seen initialised.
        let list = self.ptr.load(Ordering::Acquire);
        // SAFETY: the pointer is null or came from `Box::into_raw` in
        // `get_or_init`; it is freed only in `drop`, which has `&mut self`,
        // so it outlives every `&self` borrow, including the one returned.
        unsafe { list.as_ref() }
    }

    /// The list, allocating it on first use.
    pub(crate) fn get_or_init(&self) -> &WakerList {
        if let Some(list) = self.get() {
            return list;
        }
        self.init()
    }

    #[cold]
    #[inline(never)]
    fn init(&self) -> &WakerList {
        let fresh = Box::into_raw(Box::new(WakerList {
            slab: Mutex::new(Slab::new()),
        }));
        // Success Release: publishes the initialised list (pairs with the
        // Acquire in `get`). Failure Acquire: we will use the winner's list.
        match self.ptr.compare_exchange(
            ptr::null_mut(),
            fresh,
            Ordering::Release,
            Ordering::Acquire,
        ) {
            // SAFETY: we just installed `fresh`, a live `Box` allocation that
            // is freed only by `drop` (`&mut self`).
            Ok(_) => unsafe { &*fresh },
            Err(winner) => {
                // SAFETY: `fresh` came from `Box::into_raw` above and was
                // never shared (the CAS failed), so we still own it.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: `winner` is the installed list: non-null (the CAS
                // failed on a non-null value), from `Box::into_raw`, freed
                // only by `drop`.
                unsafe { &*winner }
            }
        }
    }
}

impl Drop for LazyWakers {
    fn drop(&mut self) {
        // `&mut self`: nobody else can reach the pointer, any ordering will
        // do (Acquire keeps loom's and std's code the same).
        let list = self.ptr.load(Ordering::Acquire);
        if !list.is_null() {
            // SAFETY: non-null means it came from `Box::into_raw` in
            // `get_or_init`, and this is the only place that frees it.
            drop(unsafe { Box::from_raw(list) });
        }
    }
}

impl fmt::Debug for LazyWakers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyWakers")
            .field("allocated", &self.get().is_some())
            .finish()
    }
}

// `AtomicPtr<T>` is `Send + Sync` whatever `T` is, so the group's
// auto-traits do not check the list: this does.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<WakerList>();
};

/// Where a `WaitFut` is in the protocol of the module docs.
#[derive(Debug, Clone, Copy)]
enum Stage {
    /// Not polled yet: the wait begins at the first poll.
    Unpolled,
    /// Registered in the state word, waker in `slot`, released once the
    /// epoch differs from `epoch`.
    Registered { epoch: u32, slot: usize },
    /// Returned `Ready`; holds nothing.
    Finished,
}

impl RawWaitGroup {
    /// Step 1 of the module docs' protocol.
    #[inline]
    fn poll_first(&self, waker: &Waker) -> Stage {
        // Acquire: pairs with the Release half of `add`'s `fetch_add`.
        let state = self.state.load(Ordering::Acquire);
        if counter(state) == 0 {
            return Stage::Finished;
        }
        self.register_async(state, waker)
    }

    /// Step 2: read the epoch, register, re-check under the lock, park.
    #[cold]
    #[inline(never)]
    fn register_async(&self, mut state: u64, waker: &Waker) -> Stage {
        // Before registering (see "The epoch" in `raw.rs`). Acquire: pairs
        // with the Release bump, should we already see one.
        let epoch = self.epoch.load(Ordering::Acquire);
        // Installed before the registration below publishes it.
        let list = self.async_waiters.get_or_init();
        let waker = waker.clone();
        loop {
            if counter(state) == 0 {
                return Stage::Finished;
            }
            // Success AcqRel, failure Acquire: see "Orderings" above.
            match self.state.compare_exchange_weak(
                state,
                state + 1,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }
        let mut slab = list.lock();
        // The re-check: a release whose drain took the lock before us has
        // bumped the epoch first, so we see it here. Acquire: pairs with
        // the Release bump.
        if self.epoch.load(Ordering::Acquire) != epoch {
            drop(slab);
            self.deregister_async();
            return Stage::Finished;
        }
        let slot = slab.insert(waker);
        Stage::Registered { epoch, slot }
    }

    /// Step 4: a re-poll. Returns `true` when the future was released.
    #[cold]
    #[inline(never)]
    fn repoll_async(&self, epoch: u32, slot: usize, waker: &Waker) -> bool {
        let list = self.registered_list();
        let mut slab = list.lock();
        // Under the lock, for the same reason as the re-check in
        // `register_async`. Acquire: pairs with the Release bump.
        if self.epoch.load(Ordering::Acquire) != epoch {
            let old = slab.remove(slot);
            drop(slab);
            drop(old);
            self.deregister_async();
            true
        } else {
            let old = slab.set_waker(slot, waker);
            drop(slab);
            drop(old);
            false
        }
    }

    /// A registered future is dropped: free its slot, deregister.
    #[cold]
    #[inline(never)]
    fn cancel_async(&self, slot: usize) {
        let old = self.registered_list().lock().remove(slot);
        drop(old);
        // Nobody else's wake-up depends on ours: each waiter has its own
        // slot and a release wakes them all.
        self.deregister_async();
    }

    fn registered_list(&self) -> &WakerList {
        self.async_waiters
            .get()
            .expect("WaitGroup: a registered WaitFut without a waker list")
    }

    fn deregister_async(&self) {
        // Relaxed: deregistering publishes nothing (see "Orderings").
        self.state.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The future returned by [`WaitGroup::wait_async`]: completes when the
/// group's counter is zero.
///
/// It carries the same edge as [`WaitGroup::wait`]: every write made before
/// a `done()` is visible once the `WaitFut` that call released has returned
/// `Ready`.
///
/// * The wait begins at the first poll, not when the future is created. A
///   counter already at zero makes that poll `Ready` after a single atomic
///   load, with nothing registered.
/// * Once a zero of the counter has released the future, it returns `Ready`
///   at its next poll even if the counter has risen again meanwhile (as
///   Go's `Wait` does).
/// * Dropping a pending `WaitFut` unregisters it in O(1) and leaves nothing
///   behind; other waiters still get their wake-ups.
/// * Polling again after `Ready` returns `Ready` again.
///
/// `WaitFut` is `Send`, `Sync` and `Unpin`; it borrows its group.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use gosync_waitgroup::WaitGroup;
///
/// # futures::executor::block_on(async {
/// let wg = Arc::new(WaitGroup::new());
/// wg.add(1);
/// let worker = {
///     let wg = Arc::clone(&wg);
///     std::thread::spawn(move || wg.done())
/// };
/// let fut = wg.wait_async();
/// println!("{fut:?}");
/// fut.await;
/// assert_eq!(wg.count(), 0);
/// # worker.join().unwrap();
/// # });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WaitFut<'a> {
    group: &'a WaitGroup,
    stage: Stage,
}

impl Future for WaitFut<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let raw = this.group.raw();
        this.stage = match this.stage {
            Stage::Unpolled => raw.poll_first(cx.waker()),
            Stage::Registered { epoch, slot } => {
                if raw.repoll_async(epoch, slot, cx.waker()) {
                    Stage::Finished
                } else {
                    this.stage
                }
            }
            Stage::Finished => Stage::Finished,
        };
        match this.stage {
            Stage::Finished => Poll::Ready(()),
            _ => Poll::Pending,
        }
    }
}

impl Drop for WaitFut<'_> {
    fn drop(&mut self) {
        if let Stage::Registered { slot, .. } = self.stage {
            self.group.raw().cancel_async(slot);
        }
    }
}

impl fmt::Debug for WaitFut<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let stage = match self.stage {
            Stage::Unpolled => "unpolled",
            Stage::Registered { .. } => "waiting",
            Stage::Finished => "finished",
        };
        f.debug_struct("WaitFut")
            .field("group", self.group)
            .field("stage", &stage)
            .finish()
    }
}

impl WaitGroup {
    /// Waits for the counter to reach zero without blocking the thread: the
    /// async twin of [`wait`](Self::wait), with the same memory-ordering
    /// edge.
    ///
    /// The returned [`WaitFut`] checks the counter when first polled (one
    /// atomic load, `Ready` at once on a zero counter), otherwise parks its
    /// task's [`Waker`] until the `done` that brings the counter to zero
    /// wakes it. Blocking and async waiters can wait on one group at once.
    /// Dropping the future cancels the wait cleanly, so it can sit in a
    /// `select!` next to a timeout.
    ///
    /// `add` and `done` stay a single atomic instruction while no waiter
    /// (blocking or async) is registered.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// #[tokio::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let wg = Arc::new(WaitGroup::new());
    ///     for _ in 0..10 {
    ///         wg.add(1);
    ///         let wg = Arc::clone(&wg);
    ///         tokio::spawn(async move {
    ///             tokio::task::yield_now().await;
    ///             wg.done();
    ///         });
    ///     }
    ///     wg.wait_async().await;
    ///     assert_eq!(wg.count(), 0);
    /// }
    /// ```
    ///
    /// With a timeout: dropping the future when the timer wins leaves the
    /// group as it was.
    ///
    /// ```
    /// use std::time::Duration;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let wg = WaitGroup::new();
    /// wg.add(1);
    /// let timed_out = tokio::time::timeout(Duration::from_millis(5), wg.wait_async()).await;
    /// assert!(timed_out.is_err());
    /// wg.done();
    /// wg.wait_async().await; // zero: ready at once
    /// # });
    /// ```
    pub fn wait_async(&self) -> WaitFut<'_> {
        WaitFut {
            group: self,
            stage: Stage::Unpolled,
        }
    }
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use std::pin::pin;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::task::Wake;

    use super::*;

    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn usage(wg: &WaitGroup) -> (usize, usize, usize) {
        wg.raw()
            .async_waiters
            .get()
            .map_or((0, 0, 0), |l| l.lock().usage())
    }

    #[test]
    fn many_polled_and_dropped_futures_leave_nothing() {
        let wg = WaitGroup::new();
        wg.add(1);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        let n = if cfg!(miri) { 200 } else { 20_000 };
        // All alive at once: the slab grows to `n`...
        let mut futs: Vec<_> = (0..n).map(|_| Box::pin(wg.wait_async())).collect();
        for fut in &mut futs {
            assert!(fut.as_mut().poll(&mut cx).is_pending());
        }
        assert_eq!(usage(&wg).0, n);
        assert_eq!(wg.raw().snapshot(), (1, n as u32));
        // ...and gives its storage back once they are gone.
        drop(futs);
        let (waiting, len, capacity) = usage(&wg);
        assert_eq!((waiting, len), (0, 0));
        assert!(capacity <= KEEP_SLOTS, "capacity {capacity} kept");
        assert_eq!(wg.raw().snapshot(), (1, 0));
        // One at a time: the same slot is reused, nothing grows.
        for _ in 0..n {
            let mut fut = pin!(wg.wait_async());
            assert!(fut.as_mut().poll(&mut cx).is_pending());
            assert_eq!(usage(&wg).1, 1);
        }
        assert_eq!(usage(&wg).0, 0);
        assert_eq!(count.0.load(Ordering::Relaxed), 0);
        wg.done();
    }

    #[test]
    fn free_list_reuses_slots_in_the_middle() {
        let wg = WaitGroup::new();
        wg.add(1);
        let waker = Waker::from(Arc::new(Count(AtomicUsize::new(0))));
        let mut cx = Context::from_waker(&waker);
        let mut futs: Vec<_> = (0..4).map(|_| Box::pin(wg.wait_async())).collect();
        for fut in &mut futs {
            assert!(fut.as_mut().poll(&mut cx).is_pending());
        }
        drop(futs.remove(1));
        drop(futs.remove(1)); // the original third
        assert_eq!(usage(&wg).0, 2);
        futs.push(Box::pin(wg.wait_async()));
        futs.push(Box::pin(wg.wait_async()));
        for fut in &mut futs[2..] {
            assert!(fut.as_mut().poll(&mut cx).is_pending());
        }
        let (waiting, len, _) = usage(&wg);
        assert_eq!(
            (waiting, len),
            (4, 4),
            "freed slots are reused before the slab grows"
        );
        wg.done();
        for fut in &mut futs {
            assert!(fut.as_mut().poll(&mut cx).is_ready());
        }
        assert_eq!(usage(&wg), (0, 0, usage(&wg).2));
    }

    #[test]
    fn release_wakes_more_than_one_batch() {
        let wg = WaitGroup::new();
        wg.add(1);
        let count = Arc::new(Count(AtomicUsize::new(0)));
        let waker = Waker::from(Arc::clone(&count));
        let mut cx = Context::from_waker(&waker);
        let n = BATCH * 2 + 3;
        let mut futs: Vec<_> = (0..n).map(|_| Box::pin(wg.wait_async())).collect();
        for fut in &mut futs {
            assert!(fut.as_mut().poll(&mut cx).is_pending());
        }
        wg.done();
        assert_eq!(count.0.load(Ordering::Relaxed), n);
        for fut in &mut futs {
            assert!(fut.as_mut().poll(&mut cx).is_ready());
        }
        assert_eq!(usage(&wg).0, 0);
        assert_eq!(wg.raw().snapshot(), (0, 0));
    }

    #[test]
    fn a_group_nobody_awaits_allocates_no_list() {
        let wg = WaitGroup::new();
        wg.add(1);
        wg.done();
        futures::executor::block_on(wg.wait_async());
        assert!(wg.raw().async_waiters.get().is_none());
    }
}
