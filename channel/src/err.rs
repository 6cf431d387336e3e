//! The errors of channel operations.
//!
//! Every error of an operation that carries a message hands the message
//! back (`into_inner`), so a failed send loses nothing.

use std::error::Error;
use std::fmt;

/// [`Sender::send`](crate::Sender::send) failed: the channel is closed.
/// The message is handed back.
///
/// # Examples
///
/// ```
/// let (tx, rx) = gosync_channel::unbounded();
/// rx.close();
/// let err = tx.send(7).unwrap_err();
/// assert_eq!(err.into_inner(), 7);
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct SendError<T>(pub T);

/// [`Sender::try_send`](crate::Sender::try_send) failed. The message is
/// handed back.
///
/// # Examples
///
/// ```
/// use gosync_channel::{bounded, TrySendError};
///
/// let (tx, rx) = bounded(1);
/// tx.try_send(1).unwrap();
/// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
/// rx.close();
/// assert_eq!(tx.try_send(3), Err(TrySendError::Closed(3)));
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum TrySendError<T> {
    /// The channel is full (an unbuffered channel: no receiver is waiting).
    Full(T),
    /// The channel is closed.
    Closed(T),
}

/// [`Sender::send_timeout`](crate::Sender::send_timeout) failed. The
/// message is handed back.
///
/// # Examples
///
/// ```
/// use gosync_channel::{bounded, SendTimeoutError};
/// use std::time::Duration;
///
/// let (tx, _rx) = bounded(0);
/// let err = tx.send_timeout("hi", Duration::from_millis(1)).unwrap_err();
/// assert_eq!(err, SendTimeoutError::Timeout("hi"));
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum SendTimeoutError<T> {
    /// No room (no receiver) before the timeout.
    Timeout(T),
    /// The channel is closed.
    Closed(T),
}

/// [`Receiver::recv`](crate::Receiver::recv) failed: the channel is closed
/// and empty.
///
/// # Examples
///
/// ```
/// let (tx, rx) = gosync_channel::bounded::<i32>(1);
/// drop(tx);
/// assert_eq!(rx.recv(), Err(gosync_channel::RecvError));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct RecvError;

/// [`Receiver::try_recv`](crate::Receiver::try_recv) failed.
///
/// # Examples
///
/// ```
/// use gosync_channel::{unbounded, TryRecvError};
///
/// let (tx, rx) = unbounded::<i32>();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// tx.close();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum TryRecvError {
    /// No message is ready (an unbuffered channel: no sender is waiting).
    Empty,
    /// The channel is closed and empty.
    Closed,
}

/// [`Receiver::recv_timeout`](crate::Receiver::recv_timeout) failed.
///
/// # Examples
///
/// ```
/// use gosync_channel::{unbounded, RecvTimeoutError};
/// use std::time::Duration;
///
/// let (_tx, rx) = unbounded::<i32>();
/// assert_eq!(rx.recv_timeout(Duration::from_millis(1)), Err(RecvTimeoutError::Timeout));
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum RecvTimeoutError {
    /// No message before the timeout.
    Timeout,
    /// The channel is closed and empty.
    Closed,
}

/// [`Select::try_select`](crate::Select::try_select) found no ready case.
///
/// ```
/// let (_tx, rx) = gosync_channel::bounded::<u8>(1);
/// let mut sel = gosync_channel::Select::new();
/// sel.recv(&rx);
/// assert!(sel.try_select().is_err());
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct TrySelectError;

/// [`Select::select_timeout`](crate::Select::select_timeout) found no
/// ready case before the timeout.
///
/// ```
/// use std::time::Duration;
///
/// let rx = gosync_channel::never::<u8>();
/// let mut sel = gosync_channel::Select::new();
/// sel.recv(&rx);
/// assert!(sel.select_timeout(Duration::from_millis(1)).is_err());
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub struct SelectTimeoutError;

impl<T> SendError<T> {
    /// The message that could not be sent.
    ///
    /// ```
    /// assert_eq!(gosync_channel::SendError(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> TrySendError<T> {
    /// The message that could not be sent.
    ///
    /// ```
    /// assert_eq!(gosync_channel::TrySendError::Full(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(msg) | TrySendError::Closed(msg) => msg,
        }
    }

    /// True for [`TrySendError::Full`].
    /// ```
    /// assert!(gosync_channel::TrySendError::Full(1).is_full());
    /// ```
    pub fn is_full(&self) -> bool {
        matches!(self, TrySendError::Full(_))
    }

    /// True for [`TrySendError::Closed`].
    /// ```
    /// assert!(gosync_channel::TrySendError::Closed(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TrySendError::Closed(_))
    }
}

impl<T> SendTimeoutError<T> {
    /// The message that could not be sent.
    ///
    /// ```
    /// assert_eq!(gosync_channel::SendTimeoutError::Timeout(5).into_inner(), 5);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            SendTimeoutError::Timeout(msg) | SendTimeoutError::Closed(msg) => msg,
        }
    }

    /// True for [`SendTimeoutError::Timeout`].
    /// ```
    /// assert!(gosync_channel::SendTimeoutError::Timeout(1).is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, SendTimeoutError::Timeout(_))
    }

    /// True for [`SendTimeoutError::Closed`].
    /// ```
    /// assert!(gosync_channel::SendTimeoutError::Closed(1).is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, SendTimeoutError::Closed(_))
    }
}

impl TryRecvError {
    /// True for [`TryRecvError::Empty`].
    /// ```
    /// assert!(gosync_channel::TryRecvError::Empty.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        matches!(self, TryRecvError::Empty)
    }

    /// True for [`TryRecvError::Closed`].
    /// ```
    /// assert!(gosync_channel::TryRecvError::Closed.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TryRecvError::Closed)
    }
}

impl RecvTimeoutError {
    /// True for [`RecvTimeoutError::Timeout`].
    /// ```
    /// assert!(gosync_channel::RecvTimeoutError::Timeout.is_timeout());
    /// ```
    pub fn is_timeout(&self) -> bool {
        matches!(self, RecvTimeoutError::Timeout)
    }

    /// True for [`RecvTimeoutError::Closed`].
    /// ```
    /// assert!(gosync_channel::RecvTimeoutError::Closed.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, RecvTimeoutError::Closed)
    }
}

// The message is not printed: `T` need not be `Debug`, and a message can be
// large; as std's `mpsc` errors do.
impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError(..)")
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("Full(..)"),
            TrySendError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Debug for SendTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendTimeoutError::Timeout(_) => f.write_str("Timeout(..)"),
            SendTimeoutError::Closed(_) => f.write_str("Closed(..)"),
        }
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sending on a closed channel")
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TrySendError::Full(_) => f.write_str("sending on a full channel"),
            TrySendError::Closed(_) => f.write_str("sending on a closed channel"),
        }
    }
}

impl<T> fmt::Display for SendTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendTimeoutError::Timeout(_) => f.write_str("timed out sending on a full channel"),
            SendTimeoutError::Closed(_) => f.write_str("sending on a closed channel"),
        }
    }
}

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("receiving on a closed and empty channel")
    }
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("receiving on an empty channel"),
            TryRecvError::Closed => f.write_str("receiving on a closed and empty channel"),
        }
    }
}

impl fmt::Display for RecvTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecvTimeoutError::Timeout => f.write_str("timed out receiving on an empty channel"),
            RecvTimeoutError::Closed => f.write_str("receiving on a closed and empty channel"),
        }
    }
}

impl fmt::Display for TrySelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no select case was ready")
    }
}

impl fmt::Display for SelectTimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timed out waiting for a select case")
    }
}

impl<T> Error for SendError<T> {}
impl<T> Error for TrySendError<T> {}
impl<T> Error for SendTimeoutError<T> {}
impl Error for RecvError {}
impl Error for TryRecvError {}
impl Error for RecvTimeoutError {}
impl Error for TrySelectError {}
impl Error for SelectTimeoutError {}

impl<T> From<SendError<T>> for TrySendError<T> {
    fn from(err: SendError<T>) -> Self {
        TrySendError::Closed(err.0)
    }
}

impl<T> From<SendError<T>> for SendTimeoutError<T> {
    fn from(err: SendError<T>) -> Self {
        SendTimeoutError::Closed(err.0)
    }
}

impl From<RecvError> for TryRecvError {
    fn from(_: RecvError) -> Self {
        TryRecvError::Closed
    }
}

impl From<RecvError> for RecvTimeoutError {
    fn from(_: RecvError) -> Self {
        RecvTimeoutError::Closed
    }
}
