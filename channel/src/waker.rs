//! The queues of blocked operations a channel keeps: who to wake when a
//! message arrives, a slot frees up, or the channel closes.
//!
//! [`Waker`] is a plain list, used under a lock its owner holds (the
//! rendezvous channel keeps both of its lists under its one mutex).
//! [`SyncWaker`] adds its own lock and an `is_empty` flag, so that the
//! lock-free flavors pay one atomic load per operation when nobody waits.

use std::ptr;
use std::time::Instant;

use crate::context::{Context, Operation, Selected};
use crate::select::Token;
use crate::sync::Backoff;
use crate::sync::{lock, seqcst_fence_for_loom, AtomicBool, Mutex, Ordering};
use crate::wait_queue::{Keyed, WaitQueue};

/// One blocked operation.
#[derive(Debug)]
pub(crate) struct Entry {
    /// Which of the waiter's cases this is.
    pub(crate) oper: Operation,
    /// The packet offered with it, else null: a rendezvous packet (zero
    /// flavor), or a blocked send's message (bounded flavor).
    pub(crate) packet: *mut (),
    /// The waiter.
    pub(crate) cx: Context,
}

impl Entry {
    /// A pending task with nothing to hand over: a claim only tells it to
    /// look again.
    fn is_wake_only(&self) -> bool {
        self.packet.is_null() && self.cx.is_task()
    }
}

// SAFETY: `packet` is an address, never dereferenced by the list itself;
// only the claimant that removes the entry (`try_select`, `claim_oldest`)
// uses it, under the hand-over protocol of `flavors::zero` or
// `flavors::array` (which also makes sure the packet outlives that use).
// The rest of the entry is `Send`.
unsafe impl Send for Entry {}

impl Keyed for Entry {
    fn key(&self) -> Operation {
        self.oper
    }
}

/// Blocked operations, oldest first (a [`WaitQueue`]: withdrawing any one
/// of them is O(1)).
#[derive(Debug, Default)]
pub(crate) struct Waker {
    entries: WaitQueue<Entry>,
}

impl Waker {
    pub(crate) fn register_with_packet(&mut self, oper: Operation, packet: *mut (), cx: &Context) {
        self.entries.push(Entry {
            oper,
            packet,
            cx: cx.clone(),
        });
    }

    /// Removes `oper`'s entry if a claimant has not already taken it.
    pub(crate) fn unregister(&mut self, oper: Operation) -> Option<Entry> {
        self.entries.remove(oper)
    }

    /// Claims the oldest waiter that is not the calling thread and has not
    /// been claimed elsewhere, hands it its packet, and removes it. The
    /// caller unparks it (after finishing the hand-off, so the waiter wakes
    /// to a completed operation).
    pub(crate) fn try_select(&mut self) -> Option<Entry> {
        let entry = self.entries.remove_first(|entry| {
            !entry.cx.is_current_thread()
                && entry.cx.try_select(Selected::Operation(entry.oper)).is_ok()
        })?;
        entry.cx.store_packet(entry.packet);
        Some(entry)
    }

    /// Claims the oldest waiter that a rendezvous can hand over to
    /// directly: not the calling thread, not claimed elsewhere, and not a
    /// *wake-only* entry (a task without a packet: it is woken to come and
    /// look, never handed a message it could drop unseen). Removes it and
    /// hands it its packet, like [`Waker::try_select`].
    pub(crate) fn claim_partner(&mut self) -> Option<Entry> {
        let entry = self.entries.remove_first(|entry| {
            !entry.is_wake_only()
                && !entry.cx.is_current_thread()
                && entry.cx.try_select(Selected::Operation(entry.oper)).is_ok()
        })?;
        entry.cx.store_packet(entry.packet);
        Some(entry)
    }

    /// Claims and removes the oldest wake-only entry (a pending task) that
    /// is not `except`'s: it is told to look again. The caller wakes it
    /// (`unpark`) once what it should find is in place.
    pub(crate) fn claim_task(&mut self, except: Option<&Context>) -> Option<Entry> {
        self.entries.remove_first(|entry| {
            entry.is_wake_only()
                && except.map_or(true, |cx| !cx.same(&entry.cx))
                && entry.cx.try_select(Selected::Operation(entry.oper)).is_ok()
        })
    }

    /// True if a waiter that [`Waker::claim_partner`] could claim waits.
    pub(crate) fn has_partner(&self) -> bool {
        self.entries.iter().any(|entry| {
            !entry.is_wake_only()
                && !entry.cx.is_current_thread()
                && entry.cx.selected() == Selected::Waiting
        })
    }

    /// True if a wake-only entry other than `except`'s waits unclaimed.
    pub(crate) fn has_task(&self, except: &Context) -> bool {
        self.entries.iter().any(|entry| {
            entry.is_wake_only()
                && !except.same(&entry.cx)
                && entry.cx.selected() == Selected::Waiting
        })
    }

    /// Claims the oldest waiter that has not been claimed elsewhere (or
    /// given up), whichever thread it is, and removes it: a bounded
    /// channel's hand-off of a freed slot, in the order the senders
    /// blocked. The caller hands over what it claimed it for, then
    /// unparks it.
    pub(crate) fn claim_oldest(&mut self) -> Option<Entry> {
        self.entries
            .remove_first(|entry| entry.cx.try_select(Selected::Operation(entry.oper)).is_ok())
    }

    /// Tells every waiter the channel closed. Entries stay; each waiter
    /// withdraws its own (in O(1), so a close that wakes 100,000 tasks
    /// costs O(100,000) in all).
    pub(crate) fn close(&mut self) {
        for entry in self.entries.iter() {
            if entry.cx.try_select(Selected::Closed).is_ok() {
                entry.cx.unpark();
            }
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many operations wait here (tests).
    #[cfg(all(test, not(gosync_loom)))]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }
}

impl Drop for Waker {
    fn drop(&mut self) {
        debug_assert!(self.entries.is_empty(), "a waiter outlived its channel");
    }
}

/// A [`Waker`] behind its own lock, with a lock-free emptiness check.
#[derive(Debug, Default)]
pub(crate) struct SyncWaker {
    inner: Mutex<Waker>,
    /// True when `inner` has no entries.
    ///
    /// SeqCst on every access: this flag is one half of a store-then-load
    /// (Dekker) pattern. A waiter stores "not empty" (registering), then
    /// loads the channel's indices to re-check readiness; a producer stores
    /// the indices (its compare-exchange), then loads this flag. With SeqCst
    /// on all four, at least one of them sees the other's store, so a
    /// waiter is never left asleep next to a ready channel.
    is_empty: AtomicBool,
}

impl SyncWaker {
    pub(crate) fn new() -> Self {
        Self {
            inner: Mutex::new(Waker::default()),
            is_empty: AtomicBool::new(true),
        }
    }

    pub(crate) fn register(&self, oper: Operation, cx: &Context) {
        self.register_with_packet(oper, ptr::null_mut(), cx);
    }

    /// [`SyncWaker::register`], offering `packet` to the claimant (see
    /// [`Entry::packet`]).
    pub(crate) fn register_with_packet(&self, oper: Operation, packet: *mut (), cx: &Context) {
        let mut inner = lock(&self.inner);
        inner.register_with_packet(oper, packet, cx);
        self.is_empty.store(false, Ordering::SeqCst);
        // The caller re-checks readiness next: the load half.
        seqcst_fence_for_loom();
    }

    pub(crate) fn unregister(&self, oper: Operation) -> Option<Entry> {
        let mut inner = lock(&self.inner);
        let entry = inner.unregister(oper);
        self.is_empty.store(inner.is_empty(), Ordering::SeqCst);
        entry
    }

    /// Whether anyone waits here (the flag; SeqCst, see `is_empty`).
    #[inline]
    pub(crate) fn has_waiters(&self) -> bool {
        !self.is_empty.load(Ordering::SeqCst)
    }

    /// Runs `f` on the waiter list under its lock, then updates the flag.
    pub(crate) fn with_waiters<R>(&self, f: impl FnOnce(&mut Waker) -> R) -> R {
        let mut inner = lock(&self.inner);
        let result = f(&mut inner);
        self.is_empty.store(inner.is_empty(), Ordering::SeqCst);
        result
    }

    /// Wakes one waiter, if any waits.
    #[inline]
    pub(crate) fn notify(&self) {
        // The caller just made the channel ready: the store half.
        seqcst_fence_for_loom();
        if !self.is_empty.load(Ordering::SeqCst) {
            self.notify_slow();
        }
    }

    /// [`notify`](Self::notify) for a caller that has just fenced
    /// (SeqCst) after the store that made the channel ready.
    #[inline]
    pub(crate) fn notify_after_fence(&self) {
        if !self.is_empty.load(Ordering::SeqCst) {
            self.notify_slow();
        }
    }

    #[cold]
    fn notify_slow(&self) {
        let mut inner = lock(&self.inner);
        let selected = inner.try_select();
        self.is_empty.store(inner.is_empty(), Ordering::SeqCst);
        drop(inner);
        if let Some(entry) = selected {
            entry.cx.unpark();
        }
    }

    /// The blocking loop of the lock-free flavors' receives (a bounded
    /// channel's senders queue in order instead: `flavors::array`'s
    /// `send_blocked` and `hand_off`): tries `reserve`, backs
    /// off briefly, then registers on this waker, re-checks `ready`, waits
    /// to be woken, and tries again; until `reserve` succeeds (true) or the
    /// deadline passes (false). The caller then finishes the reservation.
    ///
    /// `ready` is the load half of the store-then-load pattern described at
    /// [`SyncWaker::is_empty`](SyncWaker): an operation that made the
    /// channel ready before it could see our registration must not leave
    /// us asleep, so it must read the channel's indices with SeqCst.
    #[inline]
    pub(crate) fn reserve_or_wait(
        &self,
        token: &mut Token,
        deadline: Option<Instant>,
        mut reserve: impl FnMut(&mut Token) -> bool,
        ready: impl Fn() -> bool,
    ) -> bool {
        loop {
            let mut backoff = Backoff::new();
            loop {
                if reserve(token) {
                    return true;
                }
                if backoff.is_completed() {
                    break;
                }
                backoff.snooze();
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return false;
            }
            Context::with(|cx| {
                let oper = Operation::hook(token);
                self.register(oper, cx);
                if ready() {
                    let _ = cx.try_select(Selected::Aborted);
                }
                if cx.wait_until(deadline) != Selected::Operation(oper) {
                    self.unregister(oper);
                }
            });
        }
    }

    /// Wakes every waiter: the channel closed.
    pub(crate) fn close(&self) {
        let mut inner = lock(&self.inner);
        inner.close();
        self.is_empty.store(inner.is_empty(), Ordering::SeqCst);
    }
}
