//! What each workload does with each wait group under test.
//!
//! [`WaitGroupImpl`] names every operation a workload needs. It is
//! implemented for `gosync_waitgroup::WaitGroup` ([`Gosync`]) and the
//! [`MutexWaitGroup`] baseline ([`MutexCondvar`]) by one generic
//! [`Counting`] (both have Go's method shape), and for
//! `crossbeam_utils::sync::WaitGroup` ([`Crossbeam`]) by hand. The workloads in
//! `benches/waitgroup.rs` are generic over the trait, so all three run the
//! same code around the wait-group calls.
//!
//! Crossbeam's group has a different shape: there is no `add`/`done`, a
//! handle *is* a unit of the count (`clone` adds one, `drop` is `done`), and
//! `wait` consumes the caller's handle and returns once every other handle
//! is gone. A round therefore needs a fresh group (one allocation), and
//! "wait on a group that is already at zero" can only be written as
//! `WaitGroup::new().wait()`. Each method below says what it means for
//! crossbeam.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Mutex, PoisonError};

use crossbeam_utils::CachePadded;

use crate::MutexWaitGroup;

/// The operations the workloads perform, for one wait-group implementation.
pub trait WaitGroupImpl {
    /// The criterion function name in every group.
    const NAME: &'static str;

    /// A group shared by all benchmark threads (`AddDone`, `Wait`), at zero.
    type Shared: Sync;
    /// A group private to one benchmark thread (`Uncontended`).
    type Own;
    /// A fresh group made for one round of `ActuallyWait`, owned by the
    /// waiting thread.
    type Group;
    /// A pending `done` of a [`Group`](Self::Group), handed to a helper
    /// thread.
    type Token: Send;
    /// A group that one thread waits on and another releases, re-armed by
    /// the waiter after each round (`WakeLatency`).
    type Latch: Sync;

    /// A shared group at zero.
    fn shared() -> Self::Shared;
    /// A thread's own group, at zero.
    fn own() -> Self::Own;
    /// `Uncontended`: one `add(1); done(); wait()` round on the thread's own
    /// group.
    fn add_done_wait(own: &mut Self::Own);
    /// `AddDone`: `add(1)`, then `between()`, then `done()`, on the shared
    /// group.
    fn add_done(shared: &Self::Shared, between: impl FnOnce());
    /// `Wait`: `wait()` on the shared group, whose counter is zero.
    fn wait_zero(shared: &Self::Shared);

    /// `ActuallyWait`: a fresh group.
    fn fresh() -> Self::Group;
    /// `ActuallyWait`: `add(1)`, returning the `done` that is now owed.
    fn add_one(group: &Self::Group) -> Self::Token;
    /// `ActuallyWait`: pays the owed `done`.
    ///
    /// # Safety
    ///
    /// The group `token` came from must stay alive, in place, until this
    /// returns (the token may point into it).
    unsafe fn done(token: Self::Token);
    /// `ActuallyWait`: `wait()` on the group.
    fn wait(group: &Self::Group);

    /// `WakeLatency`: a latch with one `done` owed.
    fn latch() -> Self::Latch;
    /// `WakeLatency`: pays the owed `done` (the releasing thread).
    fn release(latch: &Self::Latch);
    /// `WakeLatency`: waits until released (the waiting thread).
    fn wait_latch(latch: &Self::Latch);
    /// `WakeLatency`: after [`wait_latch`](Self::wait_latch) returned, owes
    /// one `done` again (the waiting thread, before it lets the releaser go
    /// on).
    fn rearm(latch: &Self::Latch);
}

/// A pointer to a group on the waiting thread's stack: the token of the
/// groups whose `done` is a method call.
pub struct GroupRef<G>(*const G);

// SAFETY: the pointee is `Sync` (checked at construction), and
// `WaitGroupImpl::done`'s contract keeps it alive while the token is used.
unsafe impl<G: Sync> Send for GroupRef<G> {}

impl<G: Sync> GroupRef<G> {
    fn new(group: &G) -> Self {
        Self(group)
    }
}

impl<G> fmt::Debug for GroupRef<G> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("GroupRef").field(&self.0).finish()
    }
}

/// A wait group with Go's method-call shape (`add`, `done`, `wait` on a
/// shared reference): gosync's and the [`MutexWaitGroup`] baseline. One
/// generic [`WaitGroupImpl`] ([`Counting`]) serves both, so they run
/// identical workload code.
pub trait CountingGroup: Sync {
    /// The criterion function name.
    const NAME: &'static str;
    /// A group at zero.
    fn new() -> Self;
    /// Go's `Add`.
    fn add(&self, delta: isize);
    /// Go's `Done`.
    fn done(&self);
    /// Go's `Wait`.
    fn wait(&self);
}

impl CountingGroup for gosync_waitgroup::WaitGroup {
    const NAME: &'static str = "gosync";
    fn new() -> Self {
        gosync_waitgroup::WaitGroup::new()
    }
    #[inline]
    fn add(&self, delta: isize) {
        gosync_waitgroup::WaitGroup::add(self, delta);
    }
    #[inline]
    fn done(&self) {
        gosync_waitgroup::WaitGroup::done(self);
    }
    #[inline]
    fn wait(&self) {
        gosync_waitgroup::WaitGroup::wait(self);
    }
}

impl CountingGroup for MutexWaitGroup {
    const NAME: &'static str = "mutex_condvar";
    fn new() -> Self {
        MutexWaitGroup::new()
    }
    #[inline]
    fn add(&self, delta: isize) {
        MutexWaitGroup::add(self, delta);
    }
    #[inline]
    fn done(&self) {
        MutexWaitGroup::done(self);
    }
    #[inline]
    fn wait(&self) {
        MutexWaitGroup::wait(self);
    }
}

/// The workloads for a [`CountingGroup`]; never constructed.
#[derive(Debug)]
pub struct Counting<G>(PhantomData<G>);

/// `gosync_waitgroup::WaitGroup`.
pub type Gosync = Counting<gosync_waitgroup::WaitGroup>;

/// The [`MutexWaitGroup`] baseline.
pub type MutexCondvar = Counting<MutexWaitGroup>;

impl<G: CountingGroup> WaitGroupImpl for Counting<G> {
    const NAME: &'static str = G::NAME;

    type Shared = G;
    /// Padded like Go's `PaddedWaitGroup`. (gosync's group already is one
    /// 128-byte slot, so for it the wrapper adds nothing.)
    type Own = CachePadded<G>;
    type Group = G;
    type Token = GroupRef<G>;
    type Latch = G;

    fn shared() -> Self::Shared {
        G::new()
    }
    fn own() -> Self::Own {
        CachePadded::new(G::new())
    }
    #[inline]
    fn add_done_wait(own: &mut Self::Own) {
        own.add(1);
        own.done();
        own.wait();
    }
    #[inline]
    fn add_done(shared: &Self::Shared, between: impl FnOnce()) {
        shared.add(1);
        between();
        shared.done();
    }
    #[inline]
    fn wait_zero(shared: &Self::Shared) {
        shared.wait();
    }
    #[inline]
    fn fresh() -> Self::Group {
        G::new()
    }
    #[inline]
    fn add_one(group: &Self::Group) -> Self::Token {
        group.add(1);
        GroupRef::new(group)
    }
    #[inline]
    unsafe fn done(token: Self::Token) {
        // SAFETY: the caller keeps the group alive until we return.
        unsafe { (*token.0).done() }
    }
    #[inline]
    fn wait(group: &Self::Group) {
        group.wait();
    }
    fn latch() -> Self::Latch {
        let latch = G::new();
        latch.add(1);
        latch
    }
    #[inline]
    fn release(latch: &Self::Latch) {
        latch.done();
    }
    #[inline]
    fn wait_latch(latch: &Self::Latch) {
        latch.wait();
    }
    #[inline]
    fn rearm(latch: &Self::Latch) {
        latch.add(1);
    }
}

/// `crossbeam_utils::sync::WaitGroup`: `clone` is `add(1)`, dropping a
/// handle is `done()`, and `wait` consumes a handle.
#[derive(Debug)]
pub enum Crossbeam {}

/// Crossbeam's side of `WakeLatency`: the waiter's handle and the handle
/// whose drop releases it, for the current round.
///
/// Crossbeam's `wait` consumes the group, so each round makes a new one
/// ([`rearm`](WaitGroupImpl::rearm)), and the two handles must travel
/// between the threads; they travel in these two slots. Each slot's lock is
/// only ever taken by one thread at a time (the workload's own ordering
/// sees to that), so it costs an uncontended lock and unlock, tens of
/// nanoseconds against the microseconds of a condvar wake-up.
#[derive(Debug)]
pub struct CrossbeamLatch {
    waiter: Mutex<Option<crossbeam_utils::sync::WaitGroup>>,
    releaser: Mutex<Option<crossbeam_utils::sync::WaitGroup>>,
}

fn take(
    slot: &Mutex<Option<crossbeam_utils::sync::WaitGroup>>,
) -> crossbeam_utils::sync::WaitGroup {
    slot.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .expect("the latch was not armed")
}

fn fill(
    slot: &Mutex<Option<crossbeam_utils::sync::WaitGroup>>,
    handle: crossbeam_utils::sync::WaitGroup,
) {
    *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(handle);
}

impl WaitGroupImpl for Crossbeam {
    const NAME: &'static str = "crossbeam";

    /// The root handle, held for the whole run, so the count never reaches
    /// zero while workers clone and drop.
    type Shared = crossbeam_utils::sync::WaitGroup;
    /// Nothing: every round makes its own group.
    type Own = ();
    /// The waiter's handle, taken out by `wait`.
    type Group = Cell<Option<crossbeam_utils::sync::WaitGroup>>;
    /// A cloned handle; dropping it is the `done`.
    type Token = crossbeam_utils::sync::WaitGroup;
    type Latch = CrossbeamLatch;

    fn shared() -> Self::Shared {
        crossbeam_utils::sync::WaitGroup::new()
    }
    fn own() -> Self::Own {}
    /// `WaitGroup::new()`, `clone()` (add), drop the clone (done), `wait()`:
    /// a round costs an allocation and a free, because `wait` consumes the
    /// group.
    #[inline]
    fn add_done_wait(_own: &mut Self::Own) {
        let group = crossbeam_utils::sync::WaitGroup::new();
        drop(group.clone());
        group.wait();
    }
    /// `clone()` the root (add), `between()`, drop the clone (done).
    #[inline]
    fn add_done(shared: &Self::Shared, between: impl FnOnce()) {
        let handle = shared.clone();
        between();
        drop(handle);
    }
    /// `WaitGroup::new().wait()`: crossbeam cannot wait on a group other
    /// threads also hold without waiting for their handles, so the only
    /// "wait on a finished group" is a fresh group's, an allocation, a
    /// `notify_all` and a free.
    #[inline]
    fn wait_zero(_shared: &Self::Shared) {
        crossbeam_utils::sync::WaitGroup::new().wait();
    }
    #[inline]
    fn fresh() -> Self::Group {
        Cell::new(Some(crossbeam_utils::sync::WaitGroup::new()))
    }
    #[inline]
    fn add_one(group: &Self::Group) -> Self::Token {
        let handle = group.take().expect("fresh group");
        let token = handle.clone();
        group.set(Some(handle));
        token
    }
    #[inline]
    unsafe fn done(token: Self::Token) {
        drop(token);
    }
    #[inline]
    fn wait(group: &Self::Group) {
        group.take().expect("fresh group").wait();
    }
    fn latch() -> Self::Latch {
        let latch = CrossbeamLatch {
            waiter: Mutex::new(None),
            releaser: Mutex::new(None),
        };
        Self::rearm(&latch);
        latch
    }
    #[inline]
    fn release(latch: &Self::Latch) {
        drop(take(&latch.releaser));
    }
    #[inline]
    fn wait_latch(latch: &Self::Latch) {
        take(&latch.waiter).wait();
    }
    /// A new group: the waiter keeps one handle, the releaser gets a clone.
    #[inline]
    fn rearm(latch: &Self::Latch) {
        let group = crossbeam_utils::sync::WaitGroup::new();
        fill(&latch.releaser, group.clone());
        fill(&latch.waiter, group);
    }
}
