//! Select: wait on several channel operations, complete exactly one.
//!
//! # The algorithm
//!
//! 1. Shuffle the cases (Fisher–Yates), then try each in that order
//!    without blocking. A uniformly random order makes every ready case
//!    equally likely to be the first ready one found: Go's fairness rule.
//! 2. None ready: register this thread's [`Context`] on every case's
//!    channel, re-checking each for readiness as we go (a case that became
//!    ready while we registered aborts the wait). Then wait until a
//!    partner claims the context for one of the cases, a channel closes,
//!    the timeout passes, or a timer case falls due.
//! 3. Unregister everywhere. If claimed for a case, *accept* it: finish
//!    the reservation the partner made for us (rendezvous), or retry that
//!    case (buffered). Otherwise go back to 1.
//!
//! Trying a case *reserves* it (a slot, a partner); the chosen case's
//! operation is finished afterwards through [`SelectedOperation`], so a
//! send case's value is produced only for the case that fires.

use std::fmt;
use std::time::{Duration, Instant};

use crate::channel::{Receiver, Sender};
use crate::context::{Context, Operation, Selected};
use crate::err::{RecvError, SelectTimeoutError, SendError, TrySelectError};
use crate::flavors::{array::ArrayToken, list::ListToken, zero::ZeroToken};

/// One channel operation as a select case. Implemented by each flavor's
/// sending and receiving side.
pub(crate) trait SelectHandle {
    /// Tries to reserve the operation without blocking; true if it is
    /// ready (reserved, or the channel is closed: the token says which).
    fn try_select(&self, token: &mut Token) -> bool;
    /// A time at which the case becomes ready by itself (timers).
    fn deadline(&self) -> Option<Instant>;
    /// Registers `cx` to be claimed for `oper`; true if the case is ready
    /// already (the caller then stops waiting).
    fn register(&self, oper: Operation, cx: &Context) -> bool;
    /// Removes the registration, if no claimant took it.
    fn unregister(&self, oper: Operation);
    /// After `cx` was claimed for this case: completes the reservation
    /// into `token`; false if the case must be retried.
    fn accept(&self, token: &mut Token, cx: &Context) -> bool;
    /// Undoes a reservation that [`SelectHandle::try_select`] or
    /// [`SelectHandle::accept`] made into `token` and that will never be
    /// finished (its [`SelectedOperation`] was dropped, or unwound by a
    /// panic in a send expression): the channel is left as if the case
    /// had never fired, as far as that can be done (see each flavor).
    fn cancel(&self, token: &mut Token);
    /// A pending task's wait was claimed for this case (and `cx`
    /// unregistered everywhere), but its future was dropped before it
    /// acted on the claim: passes on what the claim meant, so that no
    /// wake-up or reserved slot is lost with it (a woken receive wakes
    /// another receiver; a slot handed to a send case is given back or to
    /// the next queued sender).
    fn abandon(&self, token: &mut Token, cx: &Context);
    /// A number that changes whenever the case's readiness may have
    /// changed other than by a half-finished partner completing (which only
    /// ever makes a case ready): indices, waiter lists, the closed bit, a
    /// timer's "taken" state. A non-blocking select compares it before and
    /// after its pass (see [`run`]).
    fn version(&self) -> u64;
}

/// What a reservation holds until the operation is finished: one field
/// per flavor, only the chosen channel's is used.
#[derive(Debug, Default)]
pub(crate) struct Token {
    pub(crate) array: ArrayToken,
    pub(crate) list: ListToken,
    pub(crate) zero: ZeroToken,
    /// A timer's message (`None` with a ready timer case: closed).
    pub(crate) timer: Option<Instant>,
    /// The caller must not wait, not even for a partner in the middle of
    /// its half of an operation (`try_send`, `try_recv`, a select with
    /// `default`).
    pub(crate) nonblocking: bool,
}

impl Token {
    /// A token for an operation that must not wait at all.
    pub(crate) fn nonblocking() -> Token {
        Token {
            nonblocking: true,
            ..Token::default()
        }
    }
}

/// How long a select may wait (used by `select!`; not public API).
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Timeout {
    /// Not at all (`default`).
    Now,
    /// Until some case fires.
    Never,
    /// Until this instant.
    At(Instant),
}

impl Timeout {
    /// `now + timeout`, or forever when that overflows an `Instant`.
    pub fn after(timeout: Duration) -> Timeout {
        Instant::now()
            .checked_add(timeout)
            .map_or(Timeout::Never, Timeout::At)
    }
}

/// One case: the operation, its index as the user sees it, and what
/// identifies it when the operation is finished: the channel's address and
/// the direction.
#[doc(hidden)]
pub struct Case<'a> {
    handle: &'a dyn SelectHandle,
    index: usize,
    addr: *const u8,
    direction: Direction,
}

/// Which end of its channel a case operates on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Direction {
    Recv,
    Send,
}

impl Direction {
    /// The `SelectedOperation` method that finishes such a case.
    fn method(self) -> &'static str {
        match self {
            Direction::Recv => "recv",
            Direction::Send => "send",
        }
    }

    /// What such a case is called.
    fn case(self) -> &'static str {
        match self {
            Direction::Recv => "receive",
            Direction::Send => "send",
        }
    }
}

impl<'a> Case<'a> {
    /// A receive case on `receiver`.
    #[doc(hidden)]
    pub fn recv<T>(receiver: &'a Receiver<T>, index: usize) -> Case<'a> {
        Case {
            handle: receiver.as_select_handle(),
            index,
            addr: receiver.addr(),
            direction: Direction::Recv,
        }
    }

    /// A send case on `sender`.
    #[doc(hidden)]
    pub fn send<T>(sender: &'a Sender<T>, index: usize) -> Case<'a> {
        Case {
            handle: sender.as_select_handle(),
            index,
            addr: sender.addr(),
            direction: Direction::Send,
        }
    }
}

impl<'a> Case<'a> {
    /// The case's operation.
    pub(crate) fn handle(&self) -> &'a dyn SelectHandle {
        self.handle
    }
}

impl fmt::Debug for Case<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}

/// Runs a select over `cases`; `None` when the timeout passed first (or
/// at once for [`Timeout::Now`] with no case ready).
pub(crate) fn run<'a>(cases: &mut [Case<'a>], timeout: Timeout) -> Option<SelectedOperation<'a>> {
    // A deadline that has already passed (a zero timeout, say) asks what
    // `default` asks: is a case ready at this instant? It gets the same
    // one-instant snapshot; a single pass could see a case that was ready
    // throughout as not ready while a partner moved a message between two
    // of the channels (crossbeam's `linearizable_timeout`).
    let timeout = match timeout {
        Timeout::At(deadline) if deadline <= Instant::now() => Timeout::Now,
        timeout => timeout,
    };
    let deadline = match timeout {
        Timeout::At(deadline) => Some(deadline),
        _ => None,
    };
    if cases.is_empty() {
        wait_for_nothing(timeout);
        return None;
    }
    let mut token = match timeout {
        Timeout::Now => Token::nonblocking(),
        _ => Token::default(),
    };
    let mut passes = 0;
    loop {
        // A non-blocking select must act on one instant's state, as Go's
        // (which locks every channel): no case ready at once. Trying the
        // cases one by one cannot see that by itself (a case tried early
        // can become ready while a later one stops being ready), so the
        // pass is repeated until no case's version changed during it. A
        // case tried first then was not ready at that instant, and none of
        // the others became ready before it either, except by a partner
        // finishing its half (which we may take as not yet done).
        let before = if matches!(timeout, Timeout::Now) {
            versions(cases)
        } else {
            0
        };
        shuffle(cases);
        for case in cases.iter() {
            if case.handle.try_select(&mut token) {
                return Some(SelectedOperation::new(token, case));
            }
        }
        match timeout {
            Timeout::Now => {
                passes += 1;
                // Bounded, so that traffic on the channels cannot keep a
                // non-blocking select from returning; 64 consecutive
                // changes during a pass of a few loads each do not happen
                // by chance.
                if versions(cases) == before || passes >= 64 {
                    return None;
                }
                continue;
            }
            Timeout::At(deadline) if Instant::now() >= deadline => return None,
            _ => {}
        }
        let chosen = Context::with(|cx| {
            let mut registered = 0;
            let mut selected = Selected::Waiting;
            for case in cases.iter() {
                registered += 1;
                if case.handle.register(Operation::hook(case), cx) {
                    selected = match cx.try_select(Selected::Aborted) {
                        Ok(()) => Selected::Aborted,
                        Err(claimed) => claimed,
                    };
                    break;
                }
                selected = cx.selected();
                if selected != Selected::Waiting {
                    break;
                }
            }
            if selected == Selected::Waiting {
                let wake = cases
                    .iter()
                    .filter_map(|case| case.handle.deadline())
                    .chain(deadline)
                    .min();
                selected = cx.wait_until(wake);
            }
            for case in &cases[..registered] {
                case.handle.unregister(Operation::hook(case));
            }
            if let Selected::Operation(oper) = selected {
                let case = cases
                    .iter()
                    .position(|case| Operation::hook(case) == oper)
                    .expect("claimed for one of our cases");
                if cases[case].handle.accept(&mut token, cx) {
                    return Some(case);
                }
            }
            None
        });
        if let Some(case) = chosen {
            return Some(SelectedOperation::new(token, &cases[case]));
        }
    }
}

/// One number summing up every case's [`SelectHandle::version`].
fn versions(cases: &[Case<'_>]) -> u64 {
    cases.iter().fold(0u64, |sum, case| {
        sum.rotate_left(17) ^ case.handle.version().wrapping_mul(0x9E37_79B9_7F4A_7C15)
    })
}

/// A select with no case: Go's `select {}` blocks forever.
fn wait_for_nothing(timeout: Timeout) {
    match timeout {
        Timeout::Now => {}
        Timeout::At(deadline) => {
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                if left.is_zero() {
                    break;
                }
                crate::context::park_timeout(left);
            }
        }
        Timeout::Never => loop {
            // Nothing can wake us for good: park (a spurious wake-up
            // parks again).
            crate::sync::thread::park();
        },
    }
}

/// Shuffles `cases` uniformly (Fisher–Yates) with a per-thread xorshift
/// generator: Go's poll order.
pub(crate) fn shuffle(cases: &mut [Case<'_>]) {
    if cases.len() < 2 {
        return;
    }
    for i in (1..cases.len()).rev() {
        let j = random_below(i + 1);
        cases.swap(i, j);
    }
}

/// A uniform-enough number in `0..n` (n small): Lemire's multiply-shift
/// over 32 random bits.
fn random_below(n: usize) -> usize {
    ((u64::from(random_u32()) * n as u64) >> 32) as usize
}

#[cfg(not(gosync_loom))]
fn random_u32() -> u32 {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicU32, Ordering};
    std::thread_local! {
        static STATE: Cell<u32> = const { Cell::new(0) };
    }
    /// Hands every thread a different seed; no clock (Miri's isolation
    /// forbids the wall clock) and no dependency.
    static SEEDS: AtomicU32 = AtomicU32::new(0x9E37_79B9);
    STATE.with(|state| {
        let mut x = state.get();
        if x == 0 {
            // Relaxed: only needs to differ between threads.
            let n = SEEDS.fetch_add(0x9E37_79B9, Ordering::Relaxed);
            let addr = std::ptr::from_ref(state) as usize as u64;
            let mixed = (u64::from(n) ^ addr).wrapping_mul(0xD6E8_FEB8_6659_FD93);
            x = (mixed >> 32) as u32 | 1;
        }
        // xorshift32
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        state.set(x);
        x
    })
}

/// Under loom the order is fixed: the models check edges, not fairness,
/// and must be deterministic for loom to replay them.
#[cfg(gosync_loom)]
fn random_u32() -> u32 {
    0
}

/// The dynamic form of [`select!`](crate::select!): a run-time set of
/// cases.
///
/// Add cases with [`Select::recv`] and [`Select::send`], which return the
/// case's index; [`Select::select`] (or its non-blocking and timed forms)
/// picks one ready case, uniformly at random among the ready ones, and
/// returns it as a [`SelectedOperation`], which must then be completed
/// with [`SelectedOperation::recv`] or [`SelectedOperation::send`] on the
/// same channel.
///
/// # Examples
///
/// ```
/// use gosync_channel::{bounded, unbounded, Select};
///
/// let (tx1, rx1) = unbounded();
/// let (tx2, rx2) = bounded(1);
/// tx1.send("one").unwrap();
///
/// let mut sel = Select::new();
/// let first = sel.recv(&rx1);
/// let second = sel.send(&tx2);
/// let op = sel.select();
/// if op.index() == first {
///     assert_eq!(op.recv(&rx1), Ok("one"));
/// } else {
///     assert_eq!(op.index(), second);
///     op.send(&tx2, "two").unwrap();
/// }
/// ```
pub struct Select<'a> {
    cases: Vec<Case<'a>>,
    next_index: usize,
}

impl<'a> Select<'a> {
    /// An empty select. Selecting with no case blocks forever (Go's
    /// `select {}`), or until the timeout.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let mut sel = gosync_channel::Select::new();
    /// assert!(sel.select_timeout(Duration::from_millis(1)).is_err());
    /// ```
    pub fn new() -> Select<'a> {
        Select {
            cases: Vec::new(),
            next_index: 0,
        }
    }

    /// Adds a receive case on `receiver`; returns its index.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::unbounded();
    /// tx.send(7).unwrap();
    /// let mut sel = gosync_channel::Select::new();
    /// let i = sel.recv(&rx);
    /// let op = sel.select();
    /// assert_eq!(op.index(), i);
    /// assert_eq!(op.recv(&rx), Ok(7));
    /// ```
    pub fn recv<T>(&mut self, receiver: &'a Receiver<T>) -> usize {
        let index = self.next_index;
        self.cases.push(Case::recv(receiver, index));
        self.next_index += 1;
        index
    }

    /// Adds a send case on `sender`; returns its index. The message is
    /// given later, to [`SelectedOperation::send`], only if this case is
    /// chosen.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// let mut sel = gosync_channel::Select::new();
    /// sel.send(&tx);
    /// sel.select().send(&tx, "hi").unwrap();
    /// assert_eq!(rx.recv(), Ok("hi"));
    /// ```
    pub fn send<T>(&mut self, sender: &'a Sender<T>) -> usize {
        let index = self.next_index;
        self.cases.push(Case::send(sender, index));
        self.next_index += 1;
        index
    }

    /// Removes the case with this index (other indices keep theirs).
    ///
    /// # Panics
    ///
    /// If no case has this index.
    ///
    /// ```
    /// let (tx1, rx1) = gosync_channel::unbounded();
    /// let (_tx2, rx2) = gosync_channel::unbounded::<i32>();
    /// tx1.send(1).unwrap();
    /// let mut sel = gosync_channel::Select::new();
    /// let first = sel.recv(&rx1);
    /// let second = sel.recv(&rx2);
    /// sel.remove(first);
    /// assert!(sel.try_select().is_err()); // only `rx2` is left, and it is empty
    /// # let _ = second;
    /// ```
    pub fn remove(&mut self, index: usize) {
        let at = self
            .cases
            .iter()
            .position(|case| case.index == index)
            .unwrap_or_else(|| panic!("no select case with index {index}"));
        self.cases.swap_remove(at);
    }

    /// Picks a ready case without blocking.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// let mut sel = gosync_channel::Select::new();
    /// sel.recv(&rx);
    /// assert!(sel.try_select().is_err());
    /// tx.send(1).unwrap();
    /// assert_eq!(sel.try_select().unwrap().recv(&rx), Ok(1));
    /// ```
    ///
    /// # Errors
    ///
    /// [`TrySelectError`] if no case is ready.
    pub fn try_select(&mut self) -> Result<SelectedOperation<'a>, TrySelectError> {
        run(&mut self.cases, Timeout::Now).ok_or(TrySelectError)
    }

    /// The cases, for [`Select::select_async`]'s future.
    pub(crate) fn cases_mut(&mut self) -> &mut [Case<'a>] {
        &mut self.cases
    }

    /// Blocks until a case is ready and picks it.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(0);
    /// std::thread::spawn(move || tx.send(3).unwrap());
    /// let mut sel = gosync_channel::Select::new();
    /// sel.recv(&rx);
    /// assert_eq!(sel.select().recv(&rx), Ok(3));
    /// ```
    pub fn select(&mut self) -> SelectedOperation<'a> {
        run(&mut self.cases, Timeout::Never).expect("a select without timeout returns a case")
    }

    /// Blocks until a case is ready, at most `timeout`.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (_tx, rx) = gosync_channel::unbounded::<u8>();
    /// let mut sel = gosync_channel::Select::new();
    /// sel.recv(&rx);
    /// assert!(sel.select_timeout(Duration::from_millis(1)).is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`SelectTimeoutError`] if no case was ready in time.
    pub fn select_timeout(
        &mut self,
        timeout: Duration,
    ) -> Result<SelectedOperation<'a>, SelectTimeoutError> {
        run(&mut self.cases, Timeout::after(timeout)).ok_or(SelectTimeoutError)
    }

    /// Blocks until a case is ready, at most until `deadline`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (_tx, rx) = gosync_channel::unbounded::<u8>();
    /// let mut sel = gosync_channel::Select::new();
    /// sel.recv(&rx);
    /// let deadline = Instant::now() + Duration::from_millis(1);
    /// assert!(sel.select_deadline(deadline).is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`SelectTimeoutError`] if no case was ready in time.
    pub fn select_deadline(
        &mut self,
        deadline: Instant,
    ) -> Result<SelectedOperation<'a>, SelectTimeoutError> {
        run(&mut self.cases, Timeout::At(deadline)).ok_or(SelectTimeoutError)
    }
}

impl Default for Select<'_> {
    fn default() -> Self {
        Select::new()
    }
}

impl fmt::Debug for Select<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Select")
            .field("cases", &self.cases.len())
            .finish()
    }
}

/// The case a select chose, reserved but not yet finished.
///
/// Finish it with [`SelectedOperation::recv`] or
/// [`SelectedOperation::send`], passing the channel of the chosen case.
///
/// # Panics
///
/// Dropping it unfinished panics (the select chose a case that then never
/// happened: a bug in the caller). The reservation is undone first, so the
/// channel keeps working: a reserved slot is released, a claimed partner
/// retries. The same undo runs when a panic unwinds through an unfinished
/// operation (say, in a `select!` send expression); then it does not
/// panic again. A receive case whose message a partner had already handed
/// over cannot be undone: that message is dropped (see
/// [`docs::go_differences`](crate::docs::go_differences)).
///
/// ```
/// let (tx, rx) = gosync_channel::unbounded();
/// tx.send("x").unwrap();
/// let mut sel = gosync_channel::Select::new();
/// let i = sel.recv(&rx);
/// let op = sel.select();
/// assert_eq!(op.index(), i);
/// assert_eq!(op.recv(&rx), Ok("x"));
/// ```
#[must_use = "a selected operation must be completed with `recv` or `send`"]
pub struct SelectedOperation<'a> {
    token: Token,
    index: usize,
    /// The chosen case's channel and direction, checked by `recv`/`send`.
    addr: *const u8,
    direction: Direction,
    /// The chosen case's handle, to undo the reservation if the operation
    /// is dropped unfinished.
    handle: &'a dyn SelectHandle,
    done: bool,
}

impl<'a> SelectedOperation<'a> {
    pub(crate) fn new(token: Token, case: &Case<'a>) -> Self {
        SelectedOperation {
            token,
            index: case.index,
            addr: case.addr,
            direction: case.direction,
            handle: case.handle,
            done: false,
        }
    }

    /// The index of the chosen case (as returned by [`Select::recv`] or
    /// [`Select::send`]).
    ///
    /// ```
    /// let (tx, _rx) = gosync_channel::bounded::<u8>(1);
    /// let mut sel = gosync_channel::Select::new();
    /// let i = sel.send(&tx);
    /// let op = sel.select();
    /// assert_eq!(op.index(), i);
    /// op.send(&tx, 1).unwrap();
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }

    /// Panics unless the chosen case is a `direction` case on the channel
    /// at `addr`: finishing a reservation on another channel, or a send
    /// reservation with a read, would read a slot nobody wrote.
    fn check(&self, addr: *const u8, direction: Direction) {
        assert!(
            self.direction == direction,
            "SelectedOperation::{} called on a {} case (index {}): finish it with \
             SelectedOperation::{}",
            direction.method(),
            self.direction.case(),
            self.index,
            self.direction.method(),
        );
        assert!(
            addr == self.addr,
            "SelectedOperation::{} called with a handle of another channel than the \
             chosen case's (index {})",
            direction.method(),
            self.index
        );
    }

    /// Finishes a receive case.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded::<u8>(1);
    /// drop(tx); // closed: the case is ready, with an error
    /// let mut sel = gosync_channel::Select::new();
    /// sel.recv(&rx);
    /// assert!(sel.select().recv(&rx).is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`RecvError`] if the channel is closed and empty (a closed channel's
    /// case is ready).
    ///
    /// # Panics
    ///
    /// If the chosen case is not a receive case on `receiver`'s channel
    /// (any receiver of that channel will do). The reservation is undone
    /// first, as when the operation is dropped.
    ///
    /// ```should_panic
    /// let (tx, rx) = gosync_channel::bounded::<u8>(1);
    /// let mut sel = gosync_channel::Select::new();
    /// sel.send(&tx);
    /// let op = sel.select();
    /// let _ = op.recv(&rx); // panics: the chosen case sends
    /// ```
    pub fn recv<T>(mut self, receiver: &Receiver<T>) -> Result<T, RecvError> {
        self.check(receiver.addr(), Direction::Recv);
        self.done = true;
        // SAFETY: the token was reserved by a receive case on this
        // receiver's channel (checked above), and is used once (`self` is
        // consumed, and `done` keeps `drop` from undoing it).
        unsafe { receiver.read(&mut self.token) }
    }

    /// Finishes a send case with `msg`.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// rx.close(); // a send case on a closed channel is ready and fails
    /// let mut sel = gosync_channel::Select::new();
    /// sel.send(&tx);
    /// let err = sel.select().send(&tx, 5).unwrap_err();
    /// assert_eq!(err.into_inner(), 5);
    /// ```
    ///
    /// # Errors
    ///
    /// [`SendError`] handing `msg` back if the channel is closed.
    ///
    /// # Panics
    ///
    /// If the chosen case is not a send case on `sender`'s channel (any
    /// sender of that channel will do). The reservation is undone first,
    /// and `msg` is dropped.
    pub fn send<T>(mut self, sender: &Sender<T>, msg: T) -> Result<(), SendError<T>> {
        self.check(sender.addr(), Direction::Send);
        self.done = true;
        // SAFETY: as in `recv`, for a send case.
        unsafe { sender.write(&mut self.token, msg) }
    }
}

impl Drop for SelectedOperation<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        self.handle.cancel(&mut self.token);
        if !std::thread::panicking() {
            panic!("a SelectedOperation was dropped without being completed");
        }
    }
}

impl fmt::Debug for SelectedOperation<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SelectedOperation")
            .field("index", &self.index)
            .finish_non_exhaustive()
    }
}
