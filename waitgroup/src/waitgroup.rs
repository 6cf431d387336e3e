//! The `WaitGroup` type: one packed atomic word plus a futex epoch.
//!
//! # The state word
//!
//! All counting lives in one `AtomicU64`, so `add`/`done` are a single
//! `lock xadd` and `wait` on a finished group is a single load:
//!
//! | bits    | meaning |
//! |---------|---------|
//! | 63 – 32 | the counter, an `i32` in two's complement |
//! | 31 – 0  | waiters: threads inside `wait*` that registered and have not yet deregistered |
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
//! A waiter returns once the epoch differs from what it read. That is right
//! even when the group was reused in between: the counter was zero at the
//! bump, and the bump came after the waiter's `wait` began, so the call
//! overlapped a moment when the counter was zero.
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

use std::fmt;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_utils::{Backoff, CachePadded};

use crate::futex::Futex;
use crate::guard::DoneGuard;
use crate::sync::{AtomicU64, Ordering, SPIN_ROUNDS};

/// The waiter half of the state word.
const WAITERS_MASK: u64 = u32::MAX as u64;

#[inline]
fn counter(state: u64) -> i32 {
    (state >> 32) as i32
}

#[inline]
fn waiters(state: u64) -> u32 {
    (state & WAITERS_MASK) as u32
}

/// Waits for a collection of tasks to finish: Go's `sync.WaitGroup`.
///
/// A `WaitGroup` is a counter. [`add`](Self::add) raises it by the number of
/// tasks about to start, each task calls [`done`](Self::done) when it
/// finishes, and [`wait`](Self::wait) blocks until the counter is back to
/// zero. [`go`](Self::go) does all three steps for a closure on a new thread,
/// and [`guard`](Self::guard) ties a `done` to a scope.
///
/// The whole group is one 128-byte cache slot (the alignment of
/// [`crossbeam_utils::CachePadded`] on x86_64 and aarch64), so an array of
/// groups, or a group next to other hot data, never shares a line.
///
/// # Memory ordering
///
/// Every write made before a `done()` is visible after a `wait()` (or a
/// [`wait_timeout`](Self::wait_timeout) that returned `true`) that it
/// released returns, as in the Go memory model.
///
/// # Reuse
///
/// A group can be reused for a new round of tasks once `wait` has returned.
/// As in Go, the new round's `add` calls should happen after the previous
/// round's `wait` calls have returned; a `wait` that overlaps the boundary
/// returns at one of the two zeros, never with the counter above zero
/// throughout its call.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use gosync_waitgroup::WaitGroup;
///
/// let wg = Arc::new(WaitGroup::new());
/// let sum = Arc::new(AtomicUsize::new(0));
/// for i in 1..=10 {
///     let sum = Arc::clone(&sum);
///     wg.go(move || {
///         sum.fetch_add(i, Ordering::Relaxed);
///     });
/// }
/// wg.wait();
/// assert_eq!(sum.load(Ordering::Relaxed), 55);
/// ```
///
/// A `static` group, Go style:
///
/// ```
/// use gosync_waitgroup::WaitGroup;
///
/// static WG: WaitGroup = WaitGroup::new();
///
/// WG.add(2);
/// std::thread::spawn(|| WG.done());
/// std::thread::spawn(|| WG.done());
/// WG.wait();
/// assert_eq!(WG.count(), 0);
/// ```
pub struct WaitGroup {
    inner: CachePadded<Inner>,
}

struct Inner {
    /// Counter and waiter count, packed as the module docs' table shows.
    state: AtomicU64,
    /// The epoch waiters sleep on; bumped each time a zero releases waiters.
    epoch: Futex,
}

impl WaitGroup {
    /// Creates a group with a counter of zero.
    ///
    /// `const`, so a group can live in a `static` with no lazy
    /// initialisation, and allocation-free.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// assert_eq!(wg.count(), 0);
    /// wg.wait(); // returns at once
    /// ```
    #[cfg(not(gosync_loom))]
    pub const fn new() -> WaitGroup {
        WaitGroup {
            inner: CachePadded::new(Inner {
                state: AtomicU64::new(0),
                epoch: Futex::new(),
            }),
        }
    }

    /// Creates a group with a counter of zero (loom build: loom's atomics
    /// cannot be built in a `const fn`).
    #[cfg(gosync_loom)]
    pub fn new() -> WaitGroup {
        WaitGroup {
            inner: CachePadded::new(Inner {
                state: AtomicU64::new(0),
                epoch: Futex::new(),
            }),
        }
    }

    /// Adds `delta`, which may be negative, to the counter.
    ///
    /// If the counter becomes zero, every thread blocked in [`wait`](Self::wait)
    /// is released. With nobody waiting this is one atomic read-modify-write:
    /// no lock, no allocation, no system call.
    ///
    /// Calls with a positive `delta` that start a round (counter at zero)
    /// should happen before the `wait` they are meant to hold up, typically
    /// before spawning the task, as in Go.
    ///
    /// # Panics
    ///
    /// * `sync: negative WaitGroup counter` if the counter would drop below
    ///   zero.
    /// * `sync: WaitGroup counter overflow` if it would exceed `i32::MAX`
    ///   (Go's counter is an `int32` as well), or if `delta` itself is
    ///   outside the `i32` range.
    ///
    /// In both cases the counter is left as it was before the call.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// wg.add(3);
    /// wg.add(-2);
    /// assert_eq!(wg.count(), 1);
    /// ```
    ///
    /// ```should_panic
    /// gosync_waitgroup::WaitGroup::new().add(-1);
    /// ```
    #[inline]
    #[track_caller]
    pub fn add(&self, delta: isize) {
        let Ok(delta) = i32::try_from(delta) else {
            delta_out_of_range(delta)
        };
        // Wrapping: for a negative delta this is the two's complement of
        // |delta| << 32, which subtracts from the counter half only.
        let increment = (i64::from(delta) as u64) << 32;
        // AcqRel: see "Orderings" in the module docs (Release pairs with
        // `wait`'s Acquire load; Acquire collects earlier `done`s for the
        // wake-up this call may owe).
        let previous = self.inner.state.fetch_add(increment, Ordering::AcqRel);
        let (now, overflowed) = counter(previous).overflowing_add(delta);
        if overflowed || now < 0 {
            self.undo_and_panic(increment, overflowed);
        }
        if now == 0 && waiters(previous) != 0 {
            self.release_waiters();
        }
    }

    /// Decrements the counter by one: `add(-1)`.
    ///
    /// # Panics
    ///
    /// `sync: negative WaitGroup counter` if the counter is already zero;
    /// the counter stays zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// wg.add(1);
    /// std::thread::scope(|s| {
    ///     s.spawn(|| wg.done());
    ///     wg.wait();
    /// });
    /// ```
    #[inline]
    #[track_caller]
    pub fn done(&self) {
        self.add(-1);
    }

    /// Blocks until the counter is zero.
    ///
    /// Returns at once, after a single atomic load, when it already is.
    /// Otherwise spins briefly (a few microseconds at most), then parks the
    /// thread until the `done` that brings the counter to zero wakes it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = Arc::new(WaitGroup::new());
    /// let mut results = Vec::new();
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// for i in 0..4 {
    ///     let tx = tx.clone();
    ///     wg.go(move || tx.send(i * i).unwrap());
    /// }
    /// wg.wait();
    /// drop(tx);
    /// results.extend(rx);
    /// results.sort();
    /// assert_eq!(results, [0, 1, 4, 9]);
    /// ```
    #[inline]
    pub fn wait(&self) {
        if !self.is_zero() {
            self.wait_slow(None);
        }
    }

    /// Blocks until the counter is zero or `timeout` has passed.
    ///
    /// Returns `true` if the counter reached zero: then, as with
    /// [`wait`](Self::wait), every write before the releasing `done` calls
    /// is visible. Returns `false` on timeout. A zero `timeout` makes this a
    /// non-blocking check. The timeout is a real deadline handed to the
    /// kernel, not a polling loop.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// assert!(wg.wait_timeout(Duration::ZERO));
    /// wg.add(1);
    /// assert!(!wg.wait_timeout(Duration::from_millis(10)));
    /// wg.done();
    /// assert!(wg.wait_timeout(Duration::from_secs(1)));
    /// ```
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
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

    /// A snapshot of the counter.
    ///
    /// Useful for diagnostics and tests; by the time it returns other threads
    /// may have changed the counter. Synchronises nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// wg.add(2);
    /// assert_eq!(wg.count(), 2);
    /// ```
    pub fn count(&self) -> usize {
        // Relaxed: a snapshot, documented to synchronise nothing. A counter
        // that is transiently negative (a misused `add` about to undo
        // itself and panic) reads as zero.
        let count = counter(self.inner.state.load(Ordering::Relaxed));
        usize::try_from(count).unwrap_or(0)
    }

    /// Adds one to the counter now and returns a guard that calls
    /// [`done`](Self::done) when dropped, also when the scope unwinds from a
    /// panic.
    ///
    /// # Panics
    ///
    /// `sync: WaitGroup counter overflow` if the counter is at `i32::MAX`.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// std::thread::scope(|s| {
    ///     for _ in 0..3 {
    ///         let guard = wg.guard();
    ///         s.spawn(move || {
    ///             let _done = guard; // done() runs when this drops
    ///         });
    ///     }
    ///     wg.wait();
    /// });
    /// assert_eq!(wg.count(), 0);
    /// ```
    #[inline]
    #[track_caller]
    pub fn guard(&self) -> DoneGuard<'_> {
        self.add(1);
        DoneGuard::new(self)
    }

    /// Runs `f` on a new thread as one task of the group: Go 1.25's `wg.Go`.
    ///
    /// Adds one now, spawns the thread, and calls `done` when `f` returns
    /// *or panics*. The panic is not swallowed: the returned handle's
    /// [`join`](JoinHandle::join) reports it.
    ///
    /// Unlike Go, where a panicking task crashes the program and `Wait`
    /// never returns, a panic in `f` here unwinds its own thread only, so
    /// `wait` still returns once the other tasks finish.
    ///
    /// # Panics
    ///
    /// If the operating system refuses to create a thread; the counter is
    /// restored first, so a `wait` does not hang on the task that never ran.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = Arc::new(WaitGroup::new());
    /// let ok = wg.go(|| {});
    /// let failed = wg.go(|| panic!("task failed"));
    /// wg.wait(); // returns although one task panicked
    /// assert!(ok.join().is_ok());
    /// assert!(failed.join().is_err());
    /// ```
    pub fn go<F>(self: &Arc<Self>, f: F) -> JoinHandle<()>
    where
        F: FnOnce() + Send + 'static,
    {
        self.add(1);
        let group = Arc::clone(self);
        let spawned = std::thread::Builder::new().spawn(move || {
            let _done = DoneGuard::new(&group);
            f();
        });
        match spawned {
            Ok(handle) => handle,
            Err(error) => {
                self.done();
                panic!("WaitGroup::go: failed to spawn a thread: {error}");
            }
        }
    }

    /// Loom builds only: makes every `wait_timeout` on this group, present
    /// and future, time out, as a timer thread would. Loom has no clock, so
    /// the models decide by hand when "the deadline" passes.
    #[cfg(gosync_loom)]
    #[doc(hidden)]
    pub fn expire_timeouts(&self) {
        self.inner.epoch.expire_deadlines();
    }

    /// Whether the counter is zero, with the Acquire that makes a `true`
    /// answer carry every `done` that led to it.
    #[inline]
    fn is_zero(&self) -> bool {
        // Acquire: pairs with the Release half of `add`'s fetch_add.
        counter(self.inner.state.load(Ordering::Acquire)) == 0
    }

    /// The blocking part of `wait` and `wait_timeout`. Returns `true` when
    /// the counter was seen at zero, `false` when `deadline` passed first.
    #[cold]
    #[inline(never)]
    fn wait_slow(&self, deadline: Option<Instant>) -> bool {
        // A `done` that is nanoseconds away is cheaper to catch spinning than
        // through the kernel. Bounded: a few microseconds, never a yield
        // loop that would starve a task sharing our core.
        let backoff = Backoff::new();
        for _ in 0..SPIN_ROUNDS {
            backoff.spin();
            if self.is_zero() {
                return true;
            }
        }

        let inner = &*self.inner;
        // The epoch is read before registering: see "The epoch" above.
        // Acquire: pairs with the Release bump, should we already see one.
        let epoch = inner.epoch.load(Ordering::Acquire);
        // Acquire: as in `is_zero`.
        let mut state = inner.state.load(Ordering::Acquire);
        loop {
            if counter(state) == 0 {
                return true;
            }
            // AcqRel: see "Orderings" in the module docs.
            match inner.state.compare_exchange_weak(
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
            if inner.epoch.load(Ordering::Acquire) != epoch {
                break true;
            }
            if !inner.epoch.wait_until(epoch, deadline) {
                // Timed out; a release may still have raced in.
                break inner.epoch.load(Ordering::Acquire) != epoch;
            }
        };
        // Relaxed: deregistering publishes nothing (see "Orderings").
        inner.state.fetch_sub(1, Ordering::Relaxed);
        released
    }

    /// Wakes the waiters of a round whose counter just reached zero.
    #[cold]
    #[inline(never)]
    fn release_waiters(&self) {
        self.inner.epoch.bump_and_wake_all();
    }

    /// Reverts a misused `add` and panics with Go's message.
    #[cold]
    #[inline(never)]
    #[track_caller]
    fn undo_and_panic(&self, increment: u64, overflowed: bool) -> ! {
        // AcqRel, as in `add`: the undo is itself an `add`.
        let previous = self.inner.state.fetch_sub(increment, Ordering::AcqRel);
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

impl Default for WaitGroup {
    /// Same as [`WaitGroup::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for WaitGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Relaxed: a diagnostic snapshot.
        let state = self.inner.state.load(Ordering::Relaxed);
        f.debug_struct("WaitGroup")
            .field("count", &counter(state))
            .field("waiters", &waiters(state))
            .finish()
    }
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

    #[test]
    fn debug_shows_count_and_waiters() {
        let wg = WaitGroup::new();
        wg.add(2);
        assert_eq!(format!("{wg:?}"), "WaitGroup { count: 2, waiters: 0 }");
    }

    #[test]
    fn layout_is_one_padded_slot() {
        let align = std::mem::align_of::<CachePadded<u8>>();
        assert_eq!(std::mem::size_of::<WaitGroup>(), align);
        assert_eq!(std::mem::align_of::<WaitGroup>(), align);
        #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
        assert_eq!(align, 128);
    }
}
