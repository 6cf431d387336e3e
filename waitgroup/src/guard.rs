//! `DoneGuard`: a `done()` tied to a scope.

use std::fmt;

use crate::WaitGroup;

/// Calls [`WaitGroup::done`] when dropped, including during a panic's unwind.
///
/// Made by [`WaitGroup::guard`], which has already added one to the counter.
/// The guard is `Send` and `Sync`, so it can be handed to the thread doing
/// the work (a scoped thread, since it borrows the group).
///
/// # Examples
///
/// A worker that panics still counts as done:
///
/// ```
/// use gosync_waitgroup::WaitGroup;
///
/// let wg = WaitGroup::new();
/// std::thread::scope(|s| {
///     let guard = wg.guard();
///     let worker = s.spawn(move || {
///         let _guard = guard;
///         panic!("worker failed");
///     });
///     wg.wait(); // does not hang
///     assert!(worker.join().is_err());
/// });
/// ```
///
/// A guard borrows its group, so it cannot outlive it (and a `done` can
/// never land on a group that is gone):
///
/// ```compile_fail
/// use gosync_waitgroup::WaitGroup;
///
/// let guard = {
///     let wg = WaitGroup::new();
///     wg.guard()
/// }; // error: `wg` does not live long enough
/// ```
#[must_use = "dropping the guard at once calls done() at once"]
pub struct DoneGuard<'a> {
    group: &'a WaitGroup,
}

impl<'a> DoneGuard<'a> {
    /// Wraps a `done()` the caller has already paid for with an `add(1)`.
    pub(crate) fn new(group: &'a WaitGroup) -> Self {
        Self { group }
    }

    /// The group this guard will call `done` on.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// let wg = WaitGroup::new();
    /// let guard = wg.guard();
    /// assert_eq!(guard.group().count(), 1);
    /// ```
    pub fn group(&self) -> &'a WaitGroup {
        self.group
    }
}

impl Drop for DoneGuard<'_> {
    fn drop(&mut self) {
        self.group.done();
    }
}

impl fmt::Debug for DoneGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DoneGuard")
            .field("group", self.group)
            .finish()
    }
}
