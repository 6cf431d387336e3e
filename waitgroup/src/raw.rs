//! The WaitGroup algorithm: one packed atomic word plus a futex epoch.
//!
//! [`RawWaitGroup`] is the whole algorithm; `WaitGroup` is a `RawWaitGroup` in a padded
//! cache slot plus the API around it. Keeping the two apart lets the
//! false-sharing benchmark run the very same code without the padding
//! (`UnpaddedWaitGroup`, in `--cfg gosync_bench` builds).
//!
//! # The state word
//!
//! All counting lives in one `AtomicU64`, so `add`/`done` are a single
//! `lock xadd` and `wait` on a finished group is a single load:
//!
//! | bits    | meaning |
//! |---------|---------|
//! | 63 – 32 | the counter, an `i32` in two's complement |
//! | 31 – 0  | waiters: threads inside `wait*`, and pending `WaitFut`s, that registered and have not yet deregistered |
//!
//! Adding `delta << 32` with wrapping arithmetic changes the counter half
//! exactly like `i32` wrapping addition and never carries into the waiter
//! half, whatever the sign of `delta`.
//!
//! The waiter count is an *upper bound* on the threads asleep: a waiter
//! registers before it sleeps and deregisters itself after it wakes (or times
//! out). Nobody else clears it. So "counter reached zero and waiters ≠ 0" is
//! exactly when a wake-up may be owed, and an over-count only costs one
//! unneeded `FUTEX_WAKE`.
//!
//! # The epoch
//!
//! Waiters sleep on a separate 32-bit word, the epoch, which the thread whose
//! `add` brings the counter to zero bumps once and then wakes everyone
//! sleeping on it. A waiter reads the epoch *before* it registers and sleeps
//! only while the epoch still holds that value, so a bump between its
//! registration and its sleep cannot be missed (the kernel re-checks the
//! word atomically with queueing the sleeper).
//!
//! The epoch is 32 bits (the width `futex(2)` compares) and wraps. A waiter
//! could only miss its release if a multiple of 2^32 releases happened between its
//! epoch read and its sleep, while it was descheduled; we accept that.
//!
//! A waiter returns once the epoch differs from what it read. That is right
//! even when the group was reused in between: the counter was zero at the
//! bump, and the bump came after the waiter's `wait` began, so the call
//! overlapped a moment when the counter was zero.
//!
//! # Async waiters
//!
//! A pending `WaitFut` (see `crate::wait_async`) is counted in the same
//! waiter half, so the `add` that reaches zero already knows a release is
//! owed, and `add`/`done` stay one `lock xadd` when nobody waits. Its
//! `Waker` sits in a lazily allocated list beside the epoch; the releasing
//! `add` bumps the epoch *first* and then drains the list, and the future
//! uses the epoch as its generation: it read the epoch before registering
//! and is released once the epoch differs, exactly like a blocking waiter.
//!
//! # Orderings
//!
//! * `add`'s `fetch_add` is AcqRel. Release: pairs with the Acquire load at
//!   the top of `wait`, so writes before `done()` are visible to a `wait`
//!   that sees the counter at zero. Acquire: when this `add` is the one that
//!   reaches zero, it acquires every earlier `done` (they form one release
//!   sequence of RMWs on the word) so that its epoch bump can pass them on.
//! * The epoch bump is Release; the waiter's re-load of the epoch is Acquire.
//!   Together with the point above: every `done` happens-before the woken
//!   `wait` returns.
//! * The waiter's registration CAS is AcqRel: its Release half makes the
//!   waiter's earlier epoch read happen-before the bump of whoever sees the
//!   registration (so that read cannot see the bump "early" and sleep on a
//!   value that will never change again); its Acquire half is unused but
//!   free on every target we care about.
//! * Deregistration is Relaxed: it publishes nothing, and as an RMW it keeps
//!   the release sequence of earlier `done`s intact.

use std::time::{Duration, Instant};

use crate::futex::Futex;
use crate::sync::{AtomicU64, Ordering};
use crate::wait_async::LazyWakers;

/// The waiter half of the state word.
const WAITERS_MASK: u64 = u32::MAX as u64;

#[inline]
pub(crate) fn counter(state: u64) -> i32 {
    (state >> 32) as i32
}

#[inline]
fn waiters(state: u64) -> u32 {
    (state & WAITERS_MASK) as u32
}

/// The algorithm behind `WaitGroup`, without padding or API sugar.
#[derive(Debug)]
pub(crate) struct RawWaitGroup {
    /// Counter and waiter count, packed as the module docs' table shows.
    /// `pub(crate)` for the async waiters of `crate::wait_async`, which
    /// follow the same protocol as `wait_slow`.
    pub(crate) state: AtomicU64,
    /// The epoch waiters sleep on; bumped each time a zero releases waiters.
    pub(crate) epoch: Futex,
    /// The wakers of pending `WaitFut`s: one pointer, null until the first
    /// async waiter registers (see "Async waiters" above).
    pub(crate) async_waiters: LazyWakers,
}

impl RawWaitGroup {
    #[cfg(not(gosync_loom))]
    pub(crate) const fn new() -> Self {
        Self {
            state: AtomicU64::new(0),
            epoch: Futex::new(),
            async_waiters: LazyWakers::new(),
        }
    }

    #[cfg(gosync_loom)]
    pub(crate) fn new() -> Self {
        Self {
            state: AtomicU64::new(0),
            epoch: Futex::new(),
            async_waiters: LazyWakers::new(),
        }
    }

    /// `WaitGroup::add`.
    #[inline]
    #[track_caller]
    pub(crate) fn add(&self, delta: isize) {
        let Ok(delta) = i32::try_from(delta) else {
            delta_out_of_range(delta)
        };
        // Wrapping: for a negative delta this is the two's complement of
        // |delta| << 32, which subtracts from the counter half only.
        let increment = (i64::from(delta) as u64) << 32;
        // AcqRel: see "Orderings" in the module docs (Release pairs with
        // `wait`'s Acquire load; Acquire collects earlier `done`s for the
        // wake-up this call may owe).
        let previous = self.state.fetch_add(increment, Ordering::AcqRel);
        let (now, overflowed) = counter(previous).overflowing_add(delta);
        if overflowed || now < 0 {
            self.undo_and_panic(increment, overflowed);
        }
        if now == 0 && waiters(previous) != 0 {
            self.release_waiters();
        }
    }

    /// `WaitGroup::wait`.
    #[inline]
    pub(crate) fn wait(&self) {
        if !self.is_zero() {
            self.wait_slow(None);
        }
    }

    /// `WaitGroup::wait_timeout`.
    pub(crate) fn wait_timeout(&self, timeout: Duration) -> bool {
        if self.is_zero() {
            return true;
        }
        if timeout.is_zero() {
            return false;
        }
        // A deadline beyond `Instant`'s range is no deadline at all.
        match Instant::now().checked_add(timeout) {
            Some(deadline) => self.wait_slow(Some(deadline)),
            None => self.wait_slow(None),
        }
    }

    /// `WaitGroup::count`.
    pub(crate) fn count(&self) -> usize {
        // Relaxed: a snapshot, documented to synchronise nothing. A counter
        // that is transiently negative (a misused `add` about to undo
        // itself and panic) reads as zero.
        let count = counter(self.state.load(Ordering::Relaxed));
        usize::try_from(count).unwrap_or(0)
    }

    /// Counter and waiters, for `Debug`. Relaxed: a diagnostic snapshot.
    pub(crate) fn snapshot(&self) -> (i32, u32) {
        let state = self.state.load(Ordering::Relaxed);
        (counter(state), waiters(state))
    }

    #[cfg(gosync_loom)]
    pub(crate) fn expire_timeouts(&self) {
        self.epoch.expire_deadlines();
    }

    /// Whether the counter is zero, with the Acquire that makes a `true`
    /// answer carry every `done` that led to it.
    #[inline]
    fn is_zero(&self) -> bool {
        // Acquire: pairs with the Release half of `add`'s fetch_add.
        counter(self.state.load(Ordering::Acquire)) == 0
    }

    /// The blocking part of `wait` and `wait_timeout`. Returns `true` when
    /// the counter was seen at zero, `false` when `deadline` passed first.
    #[cold]
    #[inline(never)]
    fn wait_slow(&self, deadline: Option<Instant>) -> bool {
        // Two bounded phases before sleeping (the crate's spin policy,
        // `sync::spin_then_yield`); skipped under loom, which cannot explore
        // a busy-wait.
        #[cfg(not(gosync_loom))]
        if crate::sync::spin_then_yield(|| self.is_zero()) {
            return true;
        }

        // The epoch is read before registering: see "The epoch" above.
        // Acquire: pairs with the Release bump, should we already see one.
        let epoch = self.epoch.load(Ordering::Acquire);
        // Acquire: as in `is_zero`.
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if counter(state) == 0 {
                return true;
            }
            // Success AcqRel: see "Orderings" in the module docs. Failure
            // Acquire: the value is re-checked for zero at the top of the
            // loop, and a zero seen there must carry the `done`s before it
            // (pairs with `add`'s Release, as in `is_zero`).
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

        let released = loop {
            // Acquire: pairs with the Release bump in `release_waiters`;
            // seeing a new epoch makes every `done` of that round visible.
            if self.epoch.load(Ordering::Acquire) != epoch {
                break true;
            }
            if !self.epoch.wait_until(epoch, deadline) {
                // Timed out; a release may still have raced in.
                break self.epoch.load(Ordering::Acquire) != epoch;
            }
        };
        // Relaxed: deregistering publishes nothing (see "Orderings").
        self.state.fetch_sub(1, Ordering::Relaxed);
        released
    }

    /// Wakes the waiters of a round whose counter just reached zero.
    #[cold]
    #[inline(never)]
    fn release_waiters(&self) {
        self.epoch.bump_and_wake_all();
        // After the bump, never before: an async waiter that registers its
        // waker after this drain has taken the list's lock finds the new
        // epoch under that lock and does not wait (see `crate::wait_async`).
        if let Some(wakers) = self.async_waiters.get() {
            wakers.wake_all();
        }
    }

    /// Reverts a misused `add` and panics with Go's message.
    #[cold]
    #[inline(never)]
    #[track_caller]
    fn undo_and_panic(&self, increment: u64, overflowed: bool) -> ! {
        // AcqRel, as in `add`: the undo is itself an `add`.
        let previous = self.state.fetch_sub(increment, Ordering::AcqRel);
        // While our bad value was visible a waiter may have registered (it
        // saw a non-zero counter); if undoing brings the counter back to
        // zero, that waiter is owed a wake-up like after any other add.
        let restored = previous.wrapping_sub(increment);
        if counter(restored) == 0 && waiters(restored) != 0 {
            self.release_waiters();
        }
        if overflowed {
            panic!("sync: WaitGroup counter overflow");
        }
        panic!("sync: negative WaitGroup counter");
    }
}

#[cold]
#[inline(never)]
#[track_caller]
fn delta_out_of_range(delta: isize) -> ! {
    panic!("sync: WaitGroup counter overflow (delta {delta} is outside the i32 range)")
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::*;

    #[test]
    fn packing_keeps_halves_apart() {
        let minus_one = (i64::from(-1i32) as u64) << 32;
        let state = (5u64 << 32) | 7;
        let state = state.wrapping_add(minus_one);
        assert_eq!((counter(state), waiters(state)), (4, 7));
        let zero_minus_one = 7u64.wrapping_add(minus_one);
        assert_eq!((counter(zero_minus_one), waiters(zero_minus_one)), (-1, 7));
    }
}
