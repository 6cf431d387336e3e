//! The public handles, [`Sender`] and [`Receiver`], and the constructors.
//!
//! Each handle dispatches through a private flavor enum to one of the
//! implementations in [`crate::flavors`]. The senders and receivers of a
//! channel are counted next to it, so that dropping the last sender
//! closes the channel and dropping the last receiver also drops what is
//! still buffered.

use std::fmt;
use std::iter::FusedIterator;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::time::{Duration, Instant};

use crate::err::{
    RecvError, RecvTimeoutError, SendError, SendTimeoutError, TryRecvError, TrySendError,
};
use crate::flavors::{array, at, list, never, tick, zero};
use crate::select::{self, Case, SelectHandle, Timeout, Token};
use crate::sync::{Arc, AtomicUsize, Ordering};

/// A channel and how many handles of each side it has.
pub(crate) struct Counted<C> {
    senders: AtomicUsize,
    receivers: AtomicUsize,
    pub(crate) chan: C,
}

impl<C> Counted<C> {
    fn new(chan: C) -> Arc<Self> {
        Arc::new(Counted {
            senders: AtomicUsize::new(1),
            receivers: AtomicUsize::new(1),
            chan,
        })
    }
}

enum SenderFlavor<T> {
    Array(Arc<Counted<array::Channel<T>>>),
    List(Arc<Counted<list::Channel<T>>>),
    Zero(Arc<Counted<zero::Channel<T>>>),
}

enum ReceiverFlavor<T> {
    Array(Arc<Counted<array::Channel<T>>>),
    List(Arc<Counted<list::Channel<T>>>),
    Zero(Arc<Counted<zero::Channel<T>>>),
    /// `after()`; the function turns the timer's `Instant` into `T` (it is
    /// the identity: this variant is only made with `T = Instant`).
    At(Arc<at::Channel>, fn(Instant) -> T),
    /// `tick()`; as `At`.
    Tick(Arc<tick::Channel>, fn(Instant) -> T),
    Never,
}

/// The sending side of a channel (Go's `chan<- T`).
///
/// Clone it to send from several threads; the channel closes when the last
/// sender is dropped, or earlier with [`Sender::close`].
///
/// # Examples
///
/// ```
/// let (tx, rx) = gosync_channel::unbounded();
/// let tx2 = tx.clone();
/// std::thread::spawn(move || tx2.send(1).unwrap());
/// tx.send(2).unwrap();
/// drop(tx);
/// let mut got: Vec<i32> = rx.iter().collect();
/// got.sort();
/// assert_eq!(got, [1, 2]);
/// ```
///
/// A sender moves `T`s to the receiving threads, so it is `Send` and
/// `Sync` only for `T: Send`:
///
/// ```compile_fail
/// let (tx, _rx) = gosync_channel::unbounded::<std::rc::Rc<u8>>();
/// std::thread::spawn(move || drop(tx)); // Rc is not Send
/// ```
pub struct Sender<T> {
    flavor: SenderFlavor<T>,
}

/// The receiving side of a channel (Go's `<-chan T`).
///
/// Clone it to receive from several threads (each message goes to one of
/// them). Dropping the last receiver closes the channel and drops the
/// messages still in it.
///
/// # Examples
///
/// ```
/// let (tx, rx) = gosync_channel::bounded(4);
/// tx.send("hello").unwrap();
/// assert_eq!(rx.recv(), Ok("hello"));
/// ```
///
/// Likewise `Send` and `Sync` only for `T: Send`:
///
/// ```compile_fail
/// fn sync<S: Sync>(_: &S) {}
/// let (_tx, rx) = gosync_channel::bounded::<std::rc::Rc<u8>>(1);
/// sync(&rx); // Rc is not Send
/// ```
pub struct Receiver<T> {
    flavor: ReceiverFlavor<T>,
}

// SAFETY: the handles give access to the channel only through `&self`
// methods that move `T`s between threads, which `T: Send` allows; the
// flavors are `Send + Sync` under the same bound.
unsafe impl<T: Send> Send for Sender<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Sender<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for Receiver<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Receiver<T> {}

// A panic never leaves a channel half-changed: no lock is held while user
// code runs (messages are moved, never dropped or cloned, under a lock),
// and a select's reservation is undone when a panic unwinds through its
// unfinished `SelectedOperation`. So a handle used after a caught panic
// behaves as before, as std's and crossbeam's handles (also unwind-safe)
// do. Without these impls the slots' `UnsafeCell`s would make the handles
// neither.
impl<T> UnwindSafe for Sender<T> {}
impl<T> RefUnwindSafe for Sender<T> {}
impl<T> UnwindSafe for Receiver<T> {}
impl<T> RefUnwindSafe for Receiver<T> {}

/// A channel with room for `cap` messages; `bounded(0)` is an unbuffered
/// rendezvous channel (Go's `make(chan T, cap)`).
///
/// On an unbuffered channel a send completes only when a receiver has
/// taken the message. On a buffered one a send blocks while the channel is
/// full.
///
/// # Panics
///
/// If `cap` messages cannot be allocated (the message contains
/// "capacity"). The check happens before any large allocation.
///
/// # Examples
///
/// ```
/// use gosync_channel::{bounded, TrySendError};
///
/// let (tx, rx) = bounded(1);
/// tx.send(1).unwrap();
/// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
/// assert_eq!(rx.recv(), Ok(1));
///
/// // Unbuffered: the send waits for the receiver.
/// let (tx, rx) = bounded(0);
/// let t = std::thread::spawn(move || tx.send("ping").unwrap());
/// assert_eq!(rx.recv(), Ok("ping"));
/// t.join().unwrap();
/// ```
pub fn bounded<T>(cap: usize) -> (Sender<T>, Receiver<T>) {
    if cap == 0 {
        let chan = Counted::new(zero::Channel::new());
        (
            Sender {
                flavor: SenderFlavor::Zero(Arc::clone(&chan)),
            },
            Receiver {
                flavor: ReceiverFlavor::Zero(chan),
            },
        )
    } else {
        let chan = Counted::new(array::Channel::with_capacity(cap));
        (
            Sender {
                flavor: SenderFlavor::Array(Arc::clone(&chan)),
            },
            Receiver {
                flavor: ReceiverFlavor::Array(chan),
            },
        )
    }
}

/// A channel without a bound: sends never block. Memory is allocated in
/// blocks of 31 messages and freed as they drain.
///
/// # Examples
///
/// ```
/// let (tx, rx) = gosync_channel::unbounded();
/// for i in 0..1000 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// assert_eq!(rx.iter().sum::<i32>(), 499_500);
/// ```
pub fn unbounded<T>() -> (Sender<T>, Receiver<T>) {
    let chan = Counted::new(list::Channel::new());
    (
        Sender {
            flavor: SenderFlavor::List(Arc::clone(&chan)),
        },
        Receiver {
            flavor: ReceiverFlavor::List(chan),
        },
    )
}

/// A channel that delivers one message, the `Instant` it fell due, once
/// `duration` has passed; afterwards it is never ready again and never
/// closed (Go's `time.After`).
///
/// No thread or timer is started: the message is produced when a receive
/// or select finds the deadline passed (a blocked one wakes at the
/// deadline).
///
/// # Examples
///
/// ```
/// use std::time::{Duration, Instant};
///
/// let start = Instant::now();
/// let at = gosync_channel::after(Duration::from_millis(5)).recv().unwrap();
/// assert!(at >= start + Duration::from_millis(5));
/// ```
pub fn after(duration: Duration) -> Receiver<Instant> {
    let deadline = Instant::now().checked_add(duration);
    Receiver {
        flavor: ReceiverFlavor::At(Arc::new(at::Channel::new(deadline)), |instant| instant),
    }
}

/// A channel that delivers the time of a tick every `period` (Go's
/// `time.Tick`).
///
/// Tick `k` is due at `start + k × period`, so the schedule does not
/// drift; a receiver that falls behind gets the latest due tick and the
/// missed ones are dropped, never delivered in a burst. No thread is
/// started.
///
/// # Panics
///
/// If `period` is zero.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
///
/// let ticker = gosync_channel::tick(Duration::from_millis(1));
/// let first = ticker.recv().unwrap();
/// let second = ticker.recv().unwrap();
/// assert!(second > first);
/// ```
pub fn tick(period: Duration) -> Receiver<Instant> {
    Receiver {
        flavor: ReceiverFlavor::Tick(Arc::new(tick::Channel::new(period)), |instant| instant),
    }
}

/// A channel that is never ready: Go's nil channel. A receive blocks
/// forever (or times out); in a select its case never fires, which is how
/// a case is switched off.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use gosync_channel::{never, RecvTimeoutError};
///
/// let rx = never::<i32>();
/// assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Err(RecvTimeoutError::Timeout));
/// ```
pub fn never<T>() -> Receiver<T> {
    Receiver {
        flavor: ReceiverFlavor::Never,
    }
}

/// `now + timeout`, or `None` (forever) if that overflows an `Instant`.
fn deadline_after(timeout: Duration) -> Option<Instant> {
    Instant::now().checked_add(timeout)
}

impl<T> Sender<T> {
    /// Sends `msg`, blocking while the channel is full (unbuffered: until a
    /// receiver takes it).
    ///
    /// # Errors
    ///
    /// [`SendError`] handing `msg` back if the channel is closed, or
    /// closes while we wait.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// tx.send(1).unwrap();
    /// drop(rx);
    /// assert_eq!(tx.send(2).unwrap_err().into_inner(), 2);
    /// ```
    #[inline]
    pub fn send(&self, msg: T) -> Result<(), SendError<T>> {
        let sent = match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.send(msg, None),
            SenderFlavor::List(chan) => chan.chan.send(msg).map_err(SendTimeoutError::Closed),
            SenderFlavor::Zero(chan) => chan.chan.send(msg, None),
        };
        sent.map_err(|err| match err {
            SendTimeoutError::Closed(msg) => SendError(msg),
            SendTimeoutError::Timeout(_) => unreachable!("no deadline"),
        })
    }

    /// Sends `msg` if that can be done without blocking.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] if the channel is full (unbuffered: no
    /// receiver is waiting), [`TrySendError::Closed`] if it is closed;
    /// both hand `msg` back.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_channel::{bounded, TrySendError};
    ///
    /// let (tx, _rx) = bounded(0);
    /// assert_eq!(tx.try_send(1), Err(TrySendError::Full(1)));
    /// ```
    #[inline]
    pub fn try_send(&self, msg: T) -> Result<(), TrySendError<T>> {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.try_send(msg),
            SenderFlavor::List(chan) => chan.chan.send(msg).map_err(TrySendError::Closed),
            SenderFlavor::Zero(chan) => chan.chan.try_send(msg),
        }
    }

    /// Sends `msg`, blocking at most `timeout`.
    ///
    /// # Errors
    ///
    /// [`SendTimeoutError::Timeout`] if there was no room in time,
    /// [`SendTimeoutError::Closed`] if the channel is closed; both hand
    /// `msg` back.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_channel::{bounded, SendTimeoutError};
    /// use std::time::Duration;
    ///
    /// let (tx, _rx) = bounded(1);
    /// tx.send(1).unwrap();
    /// let err = tx.send_timeout(2, Duration::from_millis(1)).unwrap_err();
    /// assert_eq!(err, SendTimeoutError::Timeout(2));
    /// ```
    #[inline]
    pub fn send_timeout(&self, msg: T, timeout: Duration) -> Result<(), SendTimeoutError<T>> {
        self.send_deadline_opt(msg, deadline_after(timeout))
    }

    /// Sends `msg`, blocking at most until `deadline`.
    ///
    /// # Errors
    ///
    /// As [`Sender::send_timeout`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// tx.send_deadline(1, Instant::now() + Duration::from_secs(1)).unwrap();
    /// assert_eq!(rx.recv(), Ok(1));
    /// ```
    pub fn send_deadline(&self, msg: T, deadline: Instant) -> Result<(), SendTimeoutError<T>> {
        self.send_deadline_opt(msg, Some(deadline))
    }

    #[inline]
    fn send_deadline_opt(
        &self,
        msg: T,
        deadline: Option<Instant>,
    ) -> Result<(), SendTimeoutError<T>> {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.send(msg, deadline),
            SenderFlavor::List(chan) => chan.chan.send(msg).map_err(SendTimeoutError::Closed),
            SenderFlavor::Zero(chan) => chan.chan.send(msg, deadline),
        }
    }

    /// Closes the channel (Go's `close(ch)`); true if this call closed it,
    /// false if it was already closed.
    ///
    /// Afterwards every send fails and hands its message back; receivers
    /// first get the messages still buffered, then
    /// [`RecvError`]. Blocked senders and receivers wake at once.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(2);
    /// tx.send(1).unwrap();
    /// assert!(tx.close());
    /// assert!(!tx.close());
    /// assert_eq!(rx.recv(), Ok(1));
    /// assert!(rx.recv().is_err());
    /// ```
    pub fn close(&self) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.close(),
            SenderFlavor::List(chan) => chan.chan.close(),
            SenderFlavor::Zero(chan) => chan.chan.close(),
        }
    }

    /// Messages buffered now. An unbuffered channel holds none, except a
    /// message *kept* for the next receiver: one a non-blocking send handed
    /// to a pending receive future that was then dropped (see
    /// [`docs::go_differences`](crate::docs::go_differences)); it counts.
    ///
    /// ```
    /// let (tx, _rx) = gosync_channel::unbounded();
    /// tx.send(()).unwrap();
    /// assert_eq!(tx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.len(),
            SenderFlavor::List(chan) => chan.chan.len(),
            SenderFlavor::Zero(chan) => chan.chan.len(),
        }
    }

    /// The capacity: `Some(0)` unbuffered, `None` unbounded.
    ///
    /// ```
    /// assert_eq!(gosync_channel::bounded::<u8>(3).0.capacity(), Some(3));
    /// assert_eq!(gosync_channel::unbounded::<u8>().0.capacity(), None);
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        match &self.flavor {
            SenderFlavor::Array(chan) => Some(chan.chan.capacity()),
            SenderFlavor::List(_) => None,
            SenderFlavor::Zero(_) => Some(0),
        }
    }

    /// True if no message is buffered (unbuffered: none is kept, see
    /// [`Sender::len`]).
    ///
    /// ```
    /// assert!(gosync_channel::bounded::<u8>(1).0.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.is_empty(),
            SenderFlavor::List(chan) => chan.chan.is_empty(),
            SenderFlavor::Zero(chan) => chan.chan.len() == 0,
        }
    }

    /// True if the buffer is full (always, unbuffered; never, unbounded).
    ///
    /// ```
    /// let (tx, _rx) = gosync_channel::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(tx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.is_full(),
            SenderFlavor::List(_) => false,
            SenderFlavor::Zero(_) => true,
        }
    }

    /// True once the channel is closed.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded::<u8>(1);
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.is_closed(),
            SenderFlavor::List(chan) => chan.chan.is_closed(),
            SenderFlavor::Zero(chan) => chan.chan.is_closed(),
        }
    }

    /// True if both handles belong to the same channel.
    ///
    /// ```
    /// let (tx, _rx) = gosync_channel::unbounded::<u8>();
    /// assert!(tx.same_channel(&tx.clone()));
    /// ```
    pub fn same_channel(&self, other: &Sender<T>) -> bool {
        self.addr() == other.addr()
    }

    pub(crate) fn addr(&self) -> *const u8 {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.addr(),
            SenderFlavor::List(chan) => chan.chan.addr(),
            SenderFlavor::Zero(chan) => chan.chan.addr(),
        }
    }

    pub(crate) fn as_select_handle(&self) -> &dyn SelectHandle {
        self
    }

    /// The rendezvous channel behind this sender, if it is one (its
    /// `send_async` has a path of its own).
    pub(crate) fn as_zero(&self) -> Option<&zero::Channel<T>> {
        match &self.flavor {
            SenderFlavor::Zero(chan) => Some(&chan.chan),
            _ => None,
        }
    }

    /// Finishes a selected send case.
    ///
    /// # Safety
    ///
    /// `token` was reserved by a select case on this sender's channel, and
    /// is used once.
    #[inline]
    pub(crate) unsafe fn write(&self, token: &mut Token, msg: T) -> Result<(), SendError<T>> {
        // SAFETY: the caller's contract is each flavor's `write` contract.
        let written = unsafe {
            match &self.flavor {
                SenderFlavor::Array(chan) => chan.chan.write(token, msg),
                SenderFlavor::List(chan) => chan.chan.write_selected(token, msg),
                SenderFlavor::Zero(chan) => chan.chan.write(token, msg),
            }
        };
        written.map_err(SendError)
    }
}

impl<T> SelectHandle for Sender<T> {
    fn try_select(&self, token: &mut Token) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().try_select(token),
            SenderFlavor::List(chan) => chan.chan.sender().try_select(token),
            SenderFlavor::Zero(chan) => chan.chan.sender().try_select(token),
        }
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, oper: crate::context::Operation, cx: &crate::context::Context) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().register(oper, cx),
            SenderFlavor::List(chan) => chan.chan.sender().register(oper, cx),
            SenderFlavor::Zero(chan) => chan.chan.sender().register(oper, cx),
        }
    }

    fn unregister(&self, oper: crate::context::Operation) {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().unregister(oper),
            SenderFlavor::List(chan) => chan.chan.sender().unregister(oper),
            SenderFlavor::Zero(chan) => chan.chan.sender().unregister(oper),
        }
    }

    fn accept(&self, token: &mut Token, cx: &crate::context::Context) -> bool {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().accept(token, cx),
            SenderFlavor::List(chan) => chan.chan.sender().accept(token, cx),
            SenderFlavor::Zero(chan) => chan.chan.sender().accept(token, cx),
        }
    }

    fn abandon(&self, token: &mut Token, cx: &crate::context::Context) {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().abandon(token, cx),
            SenderFlavor::List(chan) => chan.chan.sender().abandon(token, cx),
            SenderFlavor::Zero(chan) => chan.chan.sender().abandon(token, cx),
        }
    }

    fn cancel(&self, token: &mut Token) {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.sender().cancel(token),
            SenderFlavor::List(chan) => chan.chan.sender().cancel(token),
            SenderFlavor::Zero(chan) => chan.chan.sender().cancel(token),
        }
    }

    fn version(&self) -> u64 {
        match &self.flavor {
            SenderFlavor::Array(chan) => chan.chan.version(),
            SenderFlavor::List(chan) => chan.chan.version(),
            SenderFlavor::Zero(chan) => chan.chan.version(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        // AcqRel: the last sender's decrement must see every other sender's
        // (Release) so the close comes after all their sends.
        match &self.flavor {
            SenderFlavor::Array(chan) => {
                if chan.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close();
                }
            }
            SenderFlavor::List(chan) => {
                if chan.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close();
                }
            }
            SenderFlavor::Zero(chan) => {
                if chan.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close();
                }
            }
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        // Relaxed: a new handle made from a live one; the count only has
        // to be exact, not ordered (as `Arc::clone`).
        let flavor = match &self.flavor {
            SenderFlavor::Array(chan) => {
                chan.senders.fetch_add(1, Ordering::Relaxed);
                SenderFlavor::Array(Arc::clone(chan))
            }
            SenderFlavor::List(chan) => {
                chan.senders.fetch_add(1, Ordering::Relaxed);
                SenderFlavor::List(Arc::clone(chan))
            }
            SenderFlavor::Zero(chan) => {
                chan.senders.fetch_add(1, Ordering::Relaxed);
                SenderFlavor::Zero(Arc::clone(chan))
            }
        };
        Sender { flavor }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl<T> Receiver<T> {
    /// Receives a message, blocking until one arrives; once the channel is
    /// closed, the buffered messages first, then [`RecvError`].
    ///
    /// # Errors
    ///
    /// [`RecvError`] if the channel is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// std::thread::spawn(move || tx.send(5).unwrap());
    /// assert_eq!(rx.recv(), Ok(5));
    /// assert!(rx.recv().is_err()); // the sender is gone: closed
    /// ```
    #[inline]
    pub fn recv(&self) -> Result<T, RecvError> {
        self.recv_deadline_opt(None).map_err(|err| match err {
            RecvTimeoutError::Closed => RecvError,
            RecvTimeoutError::Timeout => unreachable!("no deadline"),
        })
    }

    /// Receives a message if one is ready; never blocks.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if none is ready (unbuffered: no sender is
    /// waiting), [`TryRecvError::Closed`] if the channel is closed and
    /// empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_channel::{unbounded, TryRecvError};
    ///
    /// let (tx, rx) = unbounded();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    #[inline]
    pub fn try_recv(&self) -> Result<T, TryRecvError> {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.try_recv(),
            ReceiverFlavor::List(chan) => chan.chan.try_recv(),
            ReceiverFlavor::Zero(chan) => chan.chan.try_recv(),
            ReceiverFlavor::At(..) | ReceiverFlavor::Tick(..) | ReceiverFlavor::Never => {
                let mut token = Token::nonblocking();
                if self.try_select(&mut token) {
                    // SAFETY: reserved just now on this channel, used once.
                    unsafe { self.read(&mut token) }.map_err(|RecvError| TryRecvError::Closed)
                } else {
                    Err(TryRecvError::Empty)
                }
            }
        }
    }

    /// Receives a message, blocking at most `timeout`.
    ///
    /// # Errors
    ///
    /// [`RecvTimeoutError::Timeout`] if none arrived in time,
    /// [`RecvTimeoutError::Closed`] if the channel is closed and empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_channel::{bounded, RecvTimeoutError};
    /// use std::time::Duration;
    ///
    /// let (_tx, rx) = bounded::<i32>(1);
    /// assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Err(RecvTimeoutError::Timeout));
    /// ```
    #[inline]
    pub fn recv_timeout(&self, timeout: Duration) -> Result<T, RecvTimeoutError> {
        self.recv_deadline_opt(deadline_after(timeout))
    }

    /// Receives a message, blocking at most until `deadline`.
    ///
    /// # Errors
    ///
    /// As [`Receiver::recv_timeout`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    ///
    /// let (tx, rx) = gosync_channel::unbounded();
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.recv_deadline(Instant::now() + Duration::from_secs(1)), Ok(1));
    /// ```
    pub fn recv_deadline(&self, deadline: Instant) -> Result<T, RecvTimeoutError> {
        self.recv_deadline_opt(Some(deadline))
    }

    #[inline]
    fn recv_deadline_opt(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.recv(deadline),
            ReceiverFlavor::List(chan) => chan.chan.recv(deadline),
            ReceiverFlavor::Zero(chan) => chan.chan.recv(deadline),
            ReceiverFlavor::At(..) | ReceiverFlavor::Tick(..) | ReceiverFlavor::Never => {
                // Timers block through the select machinery: one case.
                let mut cases = [Case::recv(self, 0)];
                let timeout = deadline.map_or(Timeout::Never, Timeout::At);
                match select::run(&mut cases, timeout) {
                    Some(op) => op.recv(self).map_err(|RecvError| RecvTimeoutError::Closed),
                    None => Err(RecvTimeoutError::Timeout),
                }
            }
        }
    }

    /// A blocking iterator: Go's `for v := range ch`. It ends when the
    /// channel is closed and drained.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(3);
    /// std::thread::spawn(move || {
    ///     for i in 0..3 {
    ///         tx.send(i).unwrap();
    ///     }
    /// });
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [0, 1, 2]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T> {
        Iter { receiver: self }
    }

    /// An iterator over the messages ready now; never blocks.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::unbounded();
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn try_iter(&self) -> TryIter<'_, T> {
        TryIter { receiver: self }
    }

    /// Closes the channel from the receiving side; true if this call closed
    /// it. Afterwards sends fail (handing their message back), and
    /// receivers still get what is buffered, then [`RecvError`]. Closing a
    /// [`never`](fn@crate::never) channel does nothing and returns false.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::unbounded();
    /// tx.send(1).unwrap();
    /// assert!(rx.close());
    /// assert!(tx.send(2).is_err());
    /// assert_eq!(rx.recv(), Ok(1));
    /// assert!(rx.recv().is_err());
    /// ```
    pub fn close(&self) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.close(),
            ReceiverFlavor::List(chan) => chan.chan.close(),
            ReceiverFlavor::Zero(chan) => chan.chan.close(),
            ReceiverFlavor::At(chan, _) => chan.close(),
            ReceiverFlavor::Tick(chan, _) => chan.close(),
            ReceiverFlavor::Never => false,
        }
    }

    /// Messages buffered now (a timer: 1 while its message is due; an
    /// unbuffered channel: the message it keeps, if any, see
    /// [`Sender::len`]).
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(2);
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.len(),
            ReceiverFlavor::List(chan) => chan.chan.len(),
            ReceiverFlavor::Zero(chan) => chan.chan.len(),
            ReceiverFlavor::Never => 0,
            ReceiverFlavor::At(chan, _) => chan.len(),
            ReceiverFlavor::Tick(chan, _) => chan.len(),
        }
    }

    /// The capacity: `Some(0)` unbuffered or never, `Some(1)` a timer,
    /// `None` unbounded.
    ///
    /// ```
    /// assert_eq!(gosync_channel::bounded::<u8>(0).1.capacity(), Some(0));
    /// ```
    pub fn capacity(&self) -> Option<usize> {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => Some(chan.chan.capacity()),
            ReceiverFlavor::List(_) => None,
            ReceiverFlavor::Zero(_) | ReceiverFlavor::Never => Some(0),
            ReceiverFlavor::At(..) | ReceiverFlavor::Tick(..) => Some(1),
        }
    }

    /// True if no message is buffered.
    ///
    /// ```
    /// assert!(gosync_channel::unbounded::<u8>().1.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.is_empty(),
            ReceiverFlavor::List(chan) => chan.chan.is_empty(),
            _ => self.len() == 0,
        }
    }

    /// True if the buffer is full (unbuffered and never: always).
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// tx.send(1).unwrap();
    /// assert!(rx.is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.is_full(),
            ReceiverFlavor::List(_) => false,
            ReceiverFlavor::Zero(_) | ReceiverFlavor::Never => true,
            ReceiverFlavor::At(chan, _) => chan.len() == 1,
            ReceiverFlavor::Tick(chan, _) => chan.len() == 1,
        }
    }

    /// True once the channel is closed (a [`never`](fn@crate::never) channel: never).
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::unbounded::<u8>();
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.is_closed(),
            ReceiverFlavor::List(chan) => chan.chan.is_closed(),
            ReceiverFlavor::Zero(chan) => chan.chan.is_closed(),
            ReceiverFlavor::At(chan, _) => chan.is_closed(),
            ReceiverFlavor::Tick(chan, _) => chan.is_closed(),
            ReceiverFlavor::Never => false,
        }
    }

    /// True if both handles belong to the same channel (all [`never`](fn@crate::never)
    /// receivers are one channel).
    ///
    /// ```
    /// let (_tx, rx) = gosync_channel::unbounded::<u8>();
    /// assert!(rx.same_channel(&rx.clone()));
    /// ```
    pub fn same_channel(&self, other: &Receiver<T>) -> bool {
        self.addr() == other.addr()
    }

    pub(crate) fn addr(&self) -> *const u8 {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.addr(),
            ReceiverFlavor::List(chan) => chan.chan.addr(),
            ReceiverFlavor::Zero(chan) => chan.chan.addr(),
            ReceiverFlavor::At(chan, _) => Arc::as_ptr(chan).cast(),
            ReceiverFlavor::Tick(chan, _) => Arc::as_ptr(chan).cast(),
            ReceiverFlavor::Never => std::ptr::from_ref(&never::NEVER).cast(),
        }
    }

    pub(crate) fn as_select_handle(&self) -> &dyn SelectHandle {
        self
    }

    /// Finishes a selected receive case.
    ///
    /// # Safety
    ///
    /// `token` was reserved by a select case on this receiver's channel,
    /// and is used once.
    #[inline]
    pub(crate) unsafe fn read(&self, token: &mut Token) -> Result<T, RecvError> {
        // SAFETY: the caller's contract is each flavor's `read` contract.
        let read = unsafe {
            match &self.flavor {
                ReceiverFlavor::Array(chan) => chan.chan.read(token),
                ReceiverFlavor::List(chan) => chan.chan.read(token),
                ReceiverFlavor::Zero(chan) => chan.chan.read(token),
                ReceiverFlavor::At(_, into) => at::Channel::read(token).map(into),
                ReceiverFlavor::Tick(_, into) => tick::Channel::read(token).map(into),
                ReceiverFlavor::Never => unreachable!("a never() case is never selected"),
            }
        };
        read.map_err(|()| RecvError)
    }
}

impl<T> SelectHandle for Receiver<T> {
    fn try_select(&self, token: &mut Token) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().try_select(token),
            ReceiverFlavor::List(chan) => chan.chan.receiver().try_select(token),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().try_select(token),
            ReceiverFlavor::At(chan, _) => chan.try_select(token),
            ReceiverFlavor::Tick(chan, _) => chan.try_select(token),
            ReceiverFlavor::Never => never::NEVER.try_select(token),
        }
    }

    fn deadline(&self) -> Option<Instant> {
        match &self.flavor {
            ReceiverFlavor::At(chan, _) => chan.deadline(),
            ReceiverFlavor::Tick(chan, _) => chan.deadline(),
            _ => None,
        }
    }

    fn register(&self, oper: crate::context::Operation, cx: &crate::context::Context) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().register(oper, cx),
            ReceiverFlavor::List(chan) => chan.chan.receiver().register(oper, cx),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().register(oper, cx),
            ReceiverFlavor::At(chan, _) => chan.register(oper, cx),
            ReceiverFlavor::Tick(chan, _) => chan.register(oper, cx),
            ReceiverFlavor::Never => never::NEVER.register(oper, cx),
        }
    }

    fn unregister(&self, oper: crate::context::Operation) {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().unregister(oper),
            ReceiverFlavor::List(chan) => chan.chan.receiver().unregister(oper),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().unregister(oper),
            ReceiverFlavor::At(chan, _) => chan.unregister(oper),
            ReceiverFlavor::Tick(chan, _) => chan.unregister(oper),
            ReceiverFlavor::Never => never::NEVER.unregister(oper),
        }
    }

    fn accept(&self, token: &mut Token, cx: &crate::context::Context) -> bool {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().accept(token, cx),
            ReceiverFlavor::List(chan) => chan.chan.receiver().accept(token, cx),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().accept(token, cx),
            ReceiverFlavor::At(chan, _) => chan.accept(token, cx),
            ReceiverFlavor::Tick(chan, _) => chan.accept(token, cx),
            ReceiverFlavor::Never => never::NEVER.accept(token, cx),
        }
    }

    fn abandon(&self, token: &mut Token, cx: &crate::context::Context) {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().abandon(token, cx),
            ReceiverFlavor::List(chan) => chan.chan.receiver().abandon(token, cx),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().abandon(token, cx),
            ReceiverFlavor::At(chan, _) => chan.abandon(token, cx),
            ReceiverFlavor::Tick(chan, _) => chan.abandon(token, cx),
            ReceiverFlavor::Never => never::NEVER.abandon(token, cx),
        }
    }

    fn cancel(&self, token: &mut Token) {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.receiver().cancel(token),
            ReceiverFlavor::List(chan) => chan.chan.receiver().cancel(token),
            ReceiverFlavor::Zero(chan) => chan.chan.receiver().cancel(token),
            ReceiverFlavor::At(chan, _) => chan.cancel(token),
            ReceiverFlavor::Tick(chan, _) => chan.cancel(token),
            ReceiverFlavor::Never => never::NEVER.cancel(token),
        }
    }

    fn version(&self) -> u64 {
        match &self.flavor {
            ReceiverFlavor::Array(chan) => chan.chan.version(),
            ReceiverFlavor::List(chan) => chan.chan.version(),
            ReceiverFlavor::Zero(chan) => chan.chan.version(),
            ReceiverFlavor::At(chan, _) => chan.version(),
            ReceiverFlavor::Tick(chan, _) => chan.version(),
            ReceiverFlavor::Never => 0,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        // AcqRel: as in `Sender::drop`.
        match &self.flavor {
            ReceiverFlavor::Array(chan) => {
                if chan.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close_and_discard();
                }
            }
            ReceiverFlavor::List(chan) => {
                if chan.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close_and_discard();
                }
            }
            ReceiverFlavor::Zero(chan) => {
                if chan.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
                    chan.chan.close();
                }
            }
            ReceiverFlavor::At(..) | ReceiverFlavor::Tick(..) | ReceiverFlavor::Never => {}
        }
    }
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        // Relaxed: as in `Sender::clone`.
        let flavor = match &self.flavor {
            ReceiverFlavor::Array(chan) => {
                chan.receivers.fetch_add(1, Ordering::Relaxed);
                ReceiverFlavor::Array(Arc::clone(chan))
            }
            ReceiverFlavor::List(chan) => {
                chan.receivers.fetch_add(1, Ordering::Relaxed);
                ReceiverFlavor::List(Arc::clone(chan))
            }
            ReceiverFlavor::Zero(chan) => {
                chan.receivers.fetch_add(1, Ordering::Relaxed);
                ReceiverFlavor::Zero(Arc::clone(chan))
            }
            ReceiverFlavor::At(chan, into) => ReceiverFlavor::At(Arc::clone(chan), *into),
            ReceiverFlavor::Tick(chan, into) => ReceiverFlavor::Tick(Arc::clone(chan), *into),
            ReceiverFlavor::Never => ReceiverFlavor::Never,
        };
        Receiver { flavor }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("capacity", &self.capacity())
            .field("len", &self.len())
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// The blocking iterator of [`Receiver::iter`]: ends once the channel is
/// closed and drained.
///
/// ```
/// let (tx, rx) = gosync_channel::unbounded();
/// tx.send(1).unwrap();
/// drop(tx);
/// let mut it = rx.iter();
/// assert_eq!(it.next(), Some(1));
/// assert_eq!(it.next(), None);
/// ```
#[derive(Debug)]
pub struct Iter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for Iter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

impl<T> FusedIterator for Iter<'_, T> {}

/// The non-blocking iterator of [`Receiver::try_iter`]: ends at the first
/// message that is not there yet.
///
/// ```
/// let (tx, rx) = gosync_channel::bounded(2);
/// tx.send('a').unwrap();
/// let mut it = rx.try_iter();
/// assert_eq!(it.next(), Some('a'));
/// assert_eq!(it.next(), None); // empty, though still open
/// ```
#[derive(Debug)]
pub struct TryIter<'a, T> {
    receiver: &'a Receiver<T>,
}

impl<T> Iterator for TryIter<'_, T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.receiver.try_recv().ok()
    }
}

/// The owning blocking iterator of `Receiver`'s [`IntoIterator`].
///
/// ```
/// let (tx, rx) = gosync_channel::bounded(3);
/// for i in 0..3 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// let all: Vec<i32> = rx.into_iter().collect();
/// assert_eq!(all, [0, 1, 2]);
/// ```
#[derive(Debug)]
pub struct IntoIter<T> {
    receiver: Receiver<T>,
}

impl<T> Iterator for IntoIter<T> {
    type Item = T;

    #[inline]
    fn next(&mut self) -> Option<T> {
        self.receiver.recv().ok()
    }
}

impl<T> FusedIterator for IntoIter<T> {}

impl<'a, T> IntoIterator for &'a Receiver<T> {
    type Item = T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<T> IntoIterator for Receiver<T> {
    type Item = T;
    type IntoIter = IntoIter<T>;

    fn into_iter(self) -> IntoIter<T> {
        IntoIter { receiver: self }
    }
}
