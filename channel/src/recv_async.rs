//! Receiving in async code: [`RecvFut`] and [`RecvStream`].
//!
//! Both are a one-case select waiting as a task ([`crate::select_async`]),
//! so they share the channel's queues with blocking threads and are
//! cancellation-safe: a message is taken only inside the poll that
//! returns it.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_core::stream::{FusedStream, Stream};

use crate::channel::Receiver;
use crate::err::{RecvError, TryRecvError};
use crate::handle::Handle;
use crate::select::Case;
use crate::select_async::AsyncWait;

/// One receive, as a task waits for it: takes a message if there is one,
/// otherwise registers and returns `Pending`.
fn poll_recv<T>(
    receiver: &Receiver<T>,
    wait: &mut AsyncWait,
    task: &mut TaskContext<'_>,
) -> Poll<Result<T, RecvError>> {
    // Not waiting yet (first poll, or a claim already settled): the wait's
    // first pass would be a one-case try, which `try_recv` is, without
    // the select machinery. A registered wait must settle its claim first.
    if !wait.is_registered() {
        match receiver.try_recv() {
            Ok(msg) => return Poll::Ready(Ok(msg)),
            Err(TryRecvError::Closed) => return Poll::Ready(Err(RecvError)),
            Err(TryRecvError::Empty) => {}
        }
    }
    let mut cases = [Case::recv(receiver, 0)];
    match wait.poll(&mut cases, None, task) {
        Poll::Ready(Some(chosen)) => Poll::Ready(chosen.recv(receiver)),
        Poll::Ready(None) => unreachable!("a receive without a deadline"),
        Poll::Pending => Poll::Pending,
    }
}

fn cancel_recv<T>(receiver: &Receiver<T>, wait: &mut AsyncWait) {
    if wait.is_registered() {
        wait.cancel(&[Case::recv(receiver, 0)]);
    }
}

/// The future of [`Receiver::recv_async`] and [`Receiver::into_recv_async`].
///
/// Resolves to the next message, or to [`RecvError`] once the channel is
/// closed and drained. Dropped before it resolves, it has taken nothing:
/// the message stays for another receiver, on every kind of channel.
///
/// It is `Send` when `T` is, as the receiver is:
///
/// ```compile_fail
/// fn send<S: Send>(_: S) {}
/// let (_tx, rx) = gosync_channel::unbounded::<std::rc::Rc<u8>>();
/// send(rx.recv_async()); // Rc is not Send
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct RecvFut<'a, T> {
    receiver: Handle<'a, Receiver<T>>,
    wait: AsyncWait,
}

// SAFETY: `AsyncWait` holds a token whose raw pointers point into the
// receiver's channel (kept alive by `receiver`) and a `Send + Sync`
// context; moving the future moves a receiver (or a `&Receiver`, which is
// `Send` as `Receiver<T>: Sync`), which needs `T: Send`.
unsafe impl<T: Send> Send for RecvFut<'_, T> {}

impl<T> Future for RecvFut<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        poll_recv(&this.receiver, &mut this.wait, task)
    }
}

impl<T> Drop for RecvFut<'_, T> {
    fn drop(&mut self) {
        cancel_recv(&self.receiver, &mut self.wait);
    }
}

impl<T> fmt::Debug for RecvFut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvFut")
            .field("receiver", &*self.receiver)
            .field("pending", &self.wait.is_registered())
            .finish()
    }
}

/// The stream of [`Receiver::stream`] and [`Receiver::into_stream`]: every
/// message until the channel is closed and drained (Go's
/// `for v := range ch` in async code).
///
/// Between items it holds nothing; dropped while waiting for one, it has
/// taken nothing. Once it has returned `None` it stays ended
/// ([`FusedStream`]).
///
/// ```compile_fail
/// fn send<S: Send>(_: S) {}
/// let (_tx, rx) = gosync_channel::unbounded::<std::rc::Rc<u8>>();
/// send(rx.stream()); // Rc is not Send
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct RecvStream<'a, T> {
    receiver: Handle<'a, Receiver<T>>,
    wait: AsyncWait,
    ended: bool,
}

// SAFETY: as for `RecvFut`.
unsafe impl<T: Send> Send for RecvStream<'_, T> {}

impl<T> Stream for RecvStream<'_, T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        if this.ended {
            return Poll::Ready(None);
        }
        match poll_recv(&this.receiver, &mut this.wait, task) {
            Poll::Ready(Ok(msg)) => Poll::Ready(Some(msg)),
            Poll::Ready(Err(RecvError)) => {
                this.ended = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        if self.ended {
            (0, Some(0))
        } else {
            (self.receiver.len(), None)
        }
    }
}

impl<T> FusedStream for RecvStream<'_, T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

impl<T> Drop for RecvStream<'_, T> {
    fn drop(&mut self) {
        cancel_recv(&self.receiver, &mut self.wait);
    }
}

impl<T> fmt::Debug for RecvStream<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecvStream")
            .field("receiver", &*self.receiver)
            .field("pending", &self.wait.is_registered())
            .field("ended", &self.ended)
            .finish()
    }
}

impl<T> Receiver<T> {
    /// Receives a message in async code: the future resolves to the next
    /// message, or to [`RecvError`] once the channel is closed and empty.
    ///
    /// Threads and tasks may receive from (and send to) the same channel
    /// at once, on any executor. The future is cancellation-safe: dropped
    /// before it resolves (say, as the losing branch of a
    /// `tokio::select!`), it has taken no message. On a `bounded(0)`
    /// channel a pending `recv_async` is a waiting receiver, as a blocked
    /// goroutine is: a sender's `try_send` succeeds by handing it the
    /// message (kept for the next receiver if the future is then
    /// dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(0);
    /// let producer = std::thread::spawn(move || tx.send("from a thread").unwrap());
    /// let got = futures::executor::block_on(rx.recv_async());
    /// assert_eq!(got, Ok("from a thread"));
    /// producer.join().unwrap();
    /// ```
    pub fn recv_async(&self) -> RecvFut<'_, T> {
        RecvFut {
            receiver: Handle::Borrowed(self),
            wait: AsyncWait::new(),
        }
    }

    /// [`Receiver::recv_async`], owning the receiver: the future is
    /// `'static` (to spawn it, say).
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::unbounded();
    /// let fut = rx.into_recv_async();
    /// tx.send(3).unwrap();
    /// assert_eq!(futures::executor::block_on(fut), Ok(3));
    /// ```
    pub fn into_recv_async(self) -> RecvFut<'static, T> {
        RecvFut {
            receiver: Handle::Owned(self),
            wait: AsyncWait::new(),
        }
    }

    /// The messages as a [`Stream`], until the channel is closed and
    /// drained.
    ///
    /// ```
    /// use futures::StreamExt;
    ///
    /// let (tx, rx) = gosync_channel::bounded(2);
    /// std::thread::spawn(move || {
    ///     for i in 0..5 {
    ///         tx.send(i).unwrap();
    ///     }
    /// });
    /// let all: Vec<i32> = futures::executor::block_on(rx.stream().collect());
    /// assert_eq!(all, [0, 1, 2, 3, 4]);
    /// ```
    pub fn stream(&self) -> RecvStream<'_, T> {
        RecvStream {
            receiver: Handle::Borrowed(self),
            wait: AsyncWait::new(),
            ended: false,
        }
    }

    /// [`Receiver::stream`], owning the receiver.
    ///
    /// ```
    /// use futures::StreamExt;
    ///
    /// let (tx, rx) = gosync_channel::unbounded();
    /// tx.send('a').unwrap();
    /// drop(tx);
    /// let mut stream = rx.into_stream();
    /// futures::executor::block_on(async {
    ///     assert_eq!(stream.next().await, Some('a'));
    ///     assert_eq!(stream.next().await, None);
    /// });
    /// ```
    pub fn into_stream(self) -> RecvStream<'static, T> {
        RecvStream {
            receiver: Handle::Owned(self),
            wait: AsyncWait::new(),
            ended: false,
        }
    }
}
