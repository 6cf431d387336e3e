//! Waiting in async code: the poll loop behind every future of the crate
//! (`recv_async`, `send_async` on buffered channels, streams, sinks,
//! `select_async!` and [`Select::select_async`]).
//!
//! A pending future is a select over its cases whose wait is a task
//! instead of a thread. Each poll:
//!
//! 1. If registered: look at the claim word of the future's [`Context`].
//!    Still waiting (and no deadline passed): `Pending`. Otherwise
//!    unregister every case and, if a partner claimed the context for a
//!    case, *accept* it (take the slot a bounded channel's hand-off
//!    reserved for a send case; otherwise just try that case again).
//! 2. Try every case without blocking, in a uniformly random order (Go's
//!    fairness). A ready case is the result.
//! 3. Register a fresh task context on every case, re-checking each as it
//!    goes (a case that turned ready aborts the wait), arm the earliest
//!    deadline on the timer thread ([`crate::timer`]), and return
//!    `Pending`.
//!
//! One claim word for all cases is Go's `selectDone`: at most one case is
//! ever committed. Commits happen only inside the future's own poll (step
//! 1's accept, step 2) and are handed to the caller in the same poll, so
//! a future dropped before `Ready` committed nothing. A claim it did not
//! get to act on is passed on by [`AsyncWait::cancel`] (see
//! `SelectHandle::abandon`): a wake-up goes to another waiter, a reserved
//! slot to the next queued sender.
//!
//! Tasks are never handed a message into a packet (a rendezvous partner
//! only wakes them; `flavors::zero` has the one exception, through its
//! `kept` queue), which is what makes receiving cancellation-safe.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};
use std::time::Instant;

use crate::context::{Context, Operation, Selected};
use crate::select::{self, Case, Select, SelectedOperation, Timeout, Token};
use crate::timer::Timer;

/// A future's wait across polls: its registration, the reservation being
/// made, and its deadline on the timer thread.
pub(crate) struct AsyncWait {
    /// The context the cases are registered with, while they are.
    cx: Option<Context>,
    /// How many cases (a prefix, in the order tried) are registered.
    registered: usize,
    token: Token,
    timer: Timer,
    /// Per-case identities of a several-case select: the addresses of
    /// these bytes, unique while they live. A one-case future uses its
    /// context's address instead (it may move between polls, so nothing
    /// inside it can serve).
    ids: Option<Box<[u8]>>,
}

impl fmt::Debug for AsyncWait {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncWait")
            .field("registered", &self.registered)
            .finish_non_exhaustive()
    }
}

impl Default for AsyncWait {
    fn default() -> Self {
        AsyncWait::new()
    }
}

impl AsyncWait {
    pub(crate) fn new() -> AsyncWait {
        AsyncWait {
            cx: None,
            registered: 0,
            token: Token::nonblocking(),
            timer: Timer::default(),
            ids: None,
        }
    }

    /// True while the future is registered on its channels.
    pub(crate) fn is_registered(&self) -> bool {
        self.cx.is_some()
    }

    fn operation(&self, cx: &Context, case: usize) -> Operation {
        match &self.ids {
            Some(ids) => Operation::hook(&ids[case]),
            None => cx.operation(),
        }
    }

    /// One poll of a select over `cases` (module docs). `Ready(None)`:
    /// `deadline` passed first.
    pub(crate) fn poll<'a>(
        &mut self,
        cases: &mut [Case<'a>],
        deadline: Option<Instant>,
        task: &mut TaskContext<'_>,
    ) -> Poll<Option<SelectedOperation<'a>>> {
        if cases.len() > 1 && self.ids.is_none() {
            self.ids = Some(vec![0; cases.len()].into_boxed_slice());
        }
        let mut passes = 0;
        // Registered with this poll's waker in this poll: no need to store it.
        let mut fresh = false;
        loop {
            if let Some(cx) = &self.cx {
                // A claimed wait needs no new waker: it settles now. Else
                // the waker is stored before the claim is checked again, so
                // a claim after that check wakes this poll's waker.
                let mut selected = cx.selected();
                if selected == Selected::Waiting && !fresh {
                    cx.set_waker(task.waker());
                    selected = cx.selected();
                }
                if selected == Selected::Waiting {
                    let wake = cases
                        .iter()
                        .filter_map(|case| case.handle().deadline())
                        .chain(deadline)
                        .min();
                    match wake {
                        Some(at) if Instant::now() >= at => {}
                        Some(at) => {
                            self.timer.arm(at, task.waker());
                            return Poll::Pending;
                        }
                        None => return Poll::Pending,
                    }
                    selected = match cx.try_select(Selected::Aborted) {
                        Ok(()) => Selected::Aborted,
                        Err(claimed) => claimed,
                    };
                }
                let cx = self.cx.take().expect("checked");
                self.unregister(cases, &cx);
                if let Selected::Operation(oper) = selected {
                    let case = (0..cases.len())
                        .find(|&case| self.operation(&cx, case) == oper)
                        .expect("claimed for one of our cases");
                    if cases[case].handle().accept(&mut self.token, &cx) {
                        return Poll::Ready(Some(self.chosen(&cases[case])));
                    }
                }
            }
            if self.ids.is_some() {
                select::shuffle(cases);
            }
            for case in cases.iter() {
                if case.handle().try_select(&mut self.token) {
                    return Poll::Ready(Some(self.chosen(case)));
                }
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                self.timer.disarm();
                return Poll::Ready(None);
            }
            passes += 1;
            if passes > 2 {
                // Readiness keeps flickering (a partner in the middle of
                // its half of an operation, which a task must not spin
                // on): let the executor run it, and look again.
                crate::sync::yield_for_loom();
                task.waker().wake_by_ref();
                return Poll::Pending;
            }
            let cx = Context::for_task(task.waker());
            for (index, case) in cases.iter().enumerate() {
                self.registered += 1;
                if case.handle().register(self.operation(&cx, index), &cx) {
                    // Ready already: give up this wait and try again.
                    let _ = cx.try_select(Selected::Aborted);
                    break;
                }
                if cx.selected() != Selected::Waiting {
                    break;
                }
            }
            self.cx = Some(cx);
            fresh = true;
        }
    }

    fn chosen<'a>(&mut self, case: &Case<'a>) -> SelectedOperation<'a> {
        self.timer.disarm();
        let token = std::mem::replace(&mut self.token, Token::nonblocking());
        SelectedOperation::new(token, case)
    }

    fn unregister(&mut self, cases: &[Case<'_>], cx: &Context) {
        for (index, case) in cases[..self.registered].iter().enumerate() {
            case.handle().unregister(self.operation(cx, index));
        }
        self.registered = 0;
    }

    /// The future is dropped (or done with this wait): unregisters, and
    /// passes on a claim it will not act on.
    pub(crate) fn cancel(&mut self, cases: &[Case<'_>]) {
        self.timer.disarm();
        let Some(cx) = self.cx.take() else {
            return;
        };
        self.unregister(cases, &cx);
        if let Err(Selected::Operation(oper)) = cx.try_select(Selected::Aborted) {
            if let Some(case) = (0..cases.len()).find(|&case| self.operation(&cx, case) == oper) {
                cases[case].handle().abandon(&mut self.token, &cx);
            }
        }
    }
}

/// The future of a `select_async!`: owns its cases. Not public API.
#[doc(hidden)]
pub struct SelectFuture<'a, const N: usize, M> {
    cases: [Case<'a>; N],
    timeout: Timeout,
    wait: AsyncWait,
    /// `Send` only if every case's message type is (see `new`).
    _send: PhantomData<M>,
}

// SAFETY: the cases refer to channels through `&dyn SelectHandle`, which
// is `Sync` exactly when the channel's message type is `Send`; `M` is a
// tuple of `PhantomData<T>` for each case's `T` (the contract of `new`),
// so `M: Send` is that condition for every case. The token's pointers are
// into those channels, and the context is `Send + Sync`.
unsafe impl<const N: usize, M: Send> Send for SelectFuture<'_, N, M> {}

// `M` is only a marker; nothing is pinned.
impl<const N: usize, M> Unpin for SelectFuture<'_, N, M> {}

impl<'a, const N: usize, M> SelectFuture<'a, N, M> {
    /// A select over `cases` that gives up at `timeout`.
    ///
    /// # Safety
    ///
    /// `M` is `Send` only if the message type of every case's channel is
    /// `Send` (the macro passes a tuple of `PhantomData<T>`).
    #[doc(hidden)]
    pub unsafe fn new(cases: [Case<'a>; N], timeout: Timeout, _send: M) -> Self {
        SelectFuture {
            cases,
            timeout,
            wait: AsyncWait::new(),
            _send: PhantomData,
        }
    }
}

impl<'a, const N: usize, M> Future for SelectFuture<'a, N, M> {
    type Output = Option<SelectedOperation<'a>>;

    fn poll(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        poll_select(&mut this.wait, &mut this.cases, this.timeout, task)
    }
}

impl<const N: usize, M> Drop for SelectFuture<'_, N, M> {
    fn drop(&mut self) {
        self.wait.cancel(&self.cases);
    }
}

impl<const N: usize, M> fmt::Debug for SelectFuture<'_, N, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectFuture").finish_non_exhaustive()
    }
}

fn poll_select<'a>(
    wait: &mut AsyncWait,
    cases: &mut [Case<'a>],
    timeout: Timeout,
    task: &mut TaskContext<'_>,
) -> Poll<Option<SelectedOperation<'a>>> {
    match timeout {
        // `default`: the blocking select's one-instant snapshot; it never
        // waits, so it needs no task.
        Timeout::Now => Poll::Ready(select::run(cases, Timeout::Now)),
        Timeout::Never => wait.poll(cases, None, task),
        Timeout::At(deadline) => wait.poll(cases, Some(deadline), task),
    }
}

/// The future of [`Select::select_async`].
///
/// Resolves to the chosen case, which must then be finished with
/// [`SelectedOperation::recv`] or [`SelectedOperation::send`]. Dropped
/// before it is ready, it has committed no case.
#[must_use = "futures do nothing unless polled"]
pub struct SelectAsync<'s, 'a> {
    select: &'s mut Select<'a>,
    wait: AsyncWait,
}

impl fmt::Debug for SelectAsync<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectAsync")
            .field("select", &self.select)
            .finish_non_exhaustive()
    }
}

impl<'a> Future for SelectAsync<'_, 'a> {
    type Output = SelectedOperation<'a>;

    fn poll(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        match this.wait.poll(this.select.cases_mut(), None, task) {
            Poll::Ready(Some(chosen)) => Poll::Ready(chosen),
            Poll::Ready(None) => unreachable!("no deadline"),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl Drop for SelectAsync<'_, '_> {
    fn drop(&mut self) {
        self.wait.cancel(self.select.cases_mut());
    }
}

impl<'a> Select<'a> {
    /// Waits, in async code, until one of the cases is ready, and returns
    /// it (uniformly at random among the ready ones, as
    /// [`Select::select`]). With no cases it never completes (Go's
    /// `select {}`).
    ///
    /// Dropped before it completes, the future has committed no case: no
    /// message was taken, no slot kept. A send case it returns on a
    /// `bounded(0)` channel may complete by handing its value to a pending
    /// receive future (see [`docs::go_differences`](crate::docs::go_differences)).
    ///
    /// ```
    /// use gosync_channel::{bounded, Select};
    ///
    /// futures::executor::block_on(async {
    ///     let (tx1, rx1) = bounded::<&str>(1);
    ///     let (_tx2, rx2) = bounded::<&str>(1);
    ///     std::thread::spawn(move || tx1.send("first").unwrap());
    ///
    ///     let mut sel = Select::new();
    ///     let one = sel.recv(&rx1);
    ///     let _two = sel.recv(&rx2);
    ///     let op = sel.select_async().await;
    ///     assert_eq!(op.index(), one);
    ///     assert_eq!(op.recv(&rx1), Ok("first"));
    /// });
    /// ```
    pub fn select_async(&mut self) -> SelectAsync<'_, 'a> {
        SelectAsync {
            select: self,
            wait: AsyncWait::new(),
        }
    }
}
