//! `WaitGroup`: the algorithm of [`crate::raw`] in one padded cache slot,
//! and the API users see.

use std::fmt;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use crossbeam_utils::CachePadded;

use crate::guard::DoneGuard;
use crate::raw::RawWaitGroup;

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
    raw: CachePadded<RawWaitGroup>,
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
            raw: CachePadded::new(RawWaitGroup::new()),
        }
    }

    /// Creates a group with a counter of zero (loom build: loom's atomics
    /// cannot be built in a `const fn`).
    #[cfg(gosync_loom)]
    pub fn new() -> WaitGroup {
        WaitGroup {
            raw: CachePadded::new(RawWaitGroup::new()),
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
        self.raw.add(delta);
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
    /// Otherwise it spins for a moment, then yields its core a few times
    /// (so that a task sharing the core can finish), then parks the thread
    /// until the `done` that brings the counter to zero wakes it. The active
    /// part is bounded: about 6 µs on the benchmark machine.
    ///
    /// # On an async runtime
    ///
    /// `wait` blocks the calling *thread*. Called from inside an async task
    /// it blocks the runtime's worker thread, and every other task scheduled
    /// on it, until the counter reaches zero; on a current-thread runtime,
    /// or when the tasks that would call `done` need that worker, this is a
    /// deadlock. In async code use [`wait_async`](Self::wait_async), which
    /// parks only the task.
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
        self.raw.wait();
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
        self.raw.wait_timeout(timeout)
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
        self.raw.count()
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

    /// The algorithm, for the async waiters and `track`.
    #[inline]
    pub(crate) fn raw(&self) -> &RawWaitGroup {
        &self.raw
    }

    /// Loom builds only: makes every `wait_timeout` on this group, present
    /// and future, time out, as a timer thread would. Loom has no clock, so
    /// the models decide by hand when "the deadline" passes.
    #[cfg(gosync_loom)]
    #[doc(hidden)]
    pub fn expire_timeouts(&self) {
        self.raw.expire_timeouts();
    }
}

impl Default for WaitGroup {
    /// Same as [`WaitGroup::new`].
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for WaitGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (count, waiters) = self.raw.snapshot();
        f.debug_struct("WaitGroup")
            .field("count", &count)
            .field("waiters", &waiters)
            .finish()
    }
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::*;

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
