//! `Tracked`: a future that counts as one task of a group.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::WaitGroup;

/// A future that is one task of a [`WaitGroup`]: made by
/// [`WaitGroup::track`], which has already added one to the counter.
///
/// `done()` runs exactly once, at the first of:
///
/// * the inner future returning `Ready` (the inner future is dropped first,
///   then `done()` runs, then the output is returned);
/// * the inner future's `poll` panicking: `done()` runs during that
///   unwinding, whatever becomes of the `Tracked` afterwards;
/// * the `Tracked` being dropped unfinished (again after dropping the inner
///   future).
///
/// Polling a `Tracked` again after it returned `Ready`, or after its inner
/// future panicked, panics.
///
/// `Tracked<F>` is `Send` when `F` is, `'static` when `F` is, and `Unpin`
/// when `F` is. It holds an `Arc` of its group and allocates nothing.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use gosync_waitgroup::WaitGroup;
///
/// # futures::executor::block_on(async {
/// let wg = Arc::new(WaitGroup::new());
/// let task = wg.track(async { 6 * 7 });
/// assert_eq!(wg.count(), 1);
/// println!("{task:?}");
/// assert_eq!(task.await, 42);
/// assert_eq!(wg.count(), 0);
/// # });
/// ```
#[must_use = "futures do nothing unless polled; dropping a Tracked calls done() at once"]
pub struct Tracked<F> {
    /// Structurally pinned; `None` once it completed and was dropped.
    future: Option<F>,
    /// Not pinned. `Some` while a `done()` is owed.
    group: Option<Arc<WaitGroup>>,
}

/// Calls `done()` on the group it takes out of a `Tracked` when dropped:
/// on the normal path and while unwinding from a panic alike.
struct DoneOnDrop<'a>(&'a mut Option<Arc<WaitGroup>>);

impl Drop for DoneOnDrop<'_> {
    fn drop(&mut self) {
        if let Some(group) = self.0.take() {
            group.done();
        }
    }
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: pin projection by hand. `future` is structurally pinned:
        // it is only reached as `Pin<&mut F>` below, dropped in place (by
        // `Pin::set` or by `Drop`, never moved out), `Tracked` is `Unpin`
        // only when `F` is (auto trait, no manual impl), it is not
        // `repr(packed)`, and its `Drop` does not move it either. `group` is
        // not pinned and is used through a plain `&mut`. We move nothing out
        // of `this`.
        let this = unsafe { self.get_unchecked_mut() };
        assert!(
            this.group.is_some(),
            "Tracked polled after it completed (or after its future panicked)"
        );
        // Armed while the inner future runs: a panic out of its `poll`, or
        // out of its drop below, unwinds through this guard, which calls
        // `done()`.
        let done = DoneOnDrop(&mut this.group);
        // SAFETY: structural pinning of `future`, see above; `self` was
        // pinned, so the `F` inside the `Option` is pinned too.
        let mut future = unsafe { Pin::new_unchecked(&mut this.future) };
        let Some(inner) = future.as_mut().as_pin_mut() else {
            unreachable!("Tracked: the future is gone while a done() is owed")
        };
        match inner.poll(cx) {
            Poll::Pending => {
                std::mem::forget(done);
                Poll::Pending
            }
            Poll::Ready(output) => {
                // Drop the finished future in place before `done()`, so
                // whatever it owned is released before a waiter is.
                future.set(None);
                drop(done);
                Poll::Ready(output)
            }
        }
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        if self.group.is_some() {
            let done = DoneOnDrop(&mut self.group);
            // SAFETY: `future` is structurally pinned (see `poll`); dropping
            // it in place, which `Pin::set` does, is what the pin contract
            // asks of a pinned value at the end of its life.
            unsafe { Pin::new_unchecked(&mut self.future) }.set(None);
            drop(done);
        }
    }
}

impl<F> fmt::Debug for Tracked<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Tracked");
        match &self.group {
            Some(group) => s.field("group", &**group),
            None => s.field("group", &"<done>"),
        };
        s.finish_non_exhaustive()
    }
}

impl WaitGroup {
    /// Makes `fut` one task of the group: adds one to the counter now and
    /// returns a [`Tracked`] future that calls [`done`](Self::done) when
    /// `fut` completes, when its `poll` panics, or when the `Tracked` is
    /// dropped unfinished. The async counterpart of [`go`](Self::go), for
    /// any executor.
    ///
    /// The `Tracked` holds an `Arc` clone of the group and allocates
    /// nothing, so spawning many tracked tasks costs no more than spawning
    /// the futures themselves. It is `Send` and `'static` when `fut` is, as
    /// `tokio::spawn` requires.
    ///
    /// # Panics
    ///
    /// `sync: WaitGroup counter overflow` if the counter is at `i32::MAX`
    /// (then `fut` is dropped and nothing is tracked).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    /// use gosync_waitgroup::WaitGroup;
    ///
    /// #[tokio::main(flavor = "multi_thread", worker_threads = 2)]
    /// async fn main() {
    ///     let wg = Arc::new(WaitGroup::new());
    ///     let sum = Arc::new(AtomicUsize::new(0));
    ///     for i in 1..=100 {
    ///         let sum = Arc::clone(&sum);
    ///         tokio::spawn(wg.track(async move {
    ///             sum.fetch_add(i, Ordering::Relaxed);
    ///         }));
    ///     }
    ///     wg.wait_async().await;
    ///     assert_eq!(sum.load(Ordering::Relaxed), 5050);
    /// }
    /// ```
    #[track_caller]
    pub fn track<F: Future>(self: &Arc<Self>, fut: F) -> Tracked<F> {
        self.add(1);
        Tracked {
            future: Some(fut),
            group: Some(Arc::clone(self)),
        }
    }
}
