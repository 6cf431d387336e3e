//! Sending in async code: [`SendFut`] and [`SendSink`].
//!
//! On a buffered or unbounded channel a send is a one-case select waiting
//! as a task ([`crate::select_async`]): a blocked send future queues with
//! the blocked threads, in order, and is handed a reserved slot (a
//! permit) when one frees up; it writes its message in its own poll, so a
//! future dropped before `Ready` delivered nothing, and a permit it held
//! goes to the next queued sender. On `bounded(0)` the message waits in a
//! shared packet for a receiver to take (`flavors::zero`): the send
//! completes once one has.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context as TaskContext, Poll};

use futures_sink::Sink;

use crate::channel::Sender;
use crate::err::{SendError, TrySendError};
use crate::flavors::zero::AsyncSend;
use crate::handle::Handle;
use crate::select::Case;
use crate::select_async::AsyncWait;

/// The state of one send in progress, shared by [`SendFut`] and
/// [`SendSink`].
struct Sending<T> {
    /// The message, until it is sent (or, on `bounded(0)`, until it waits
    /// in the shared packet).
    msg: Option<T>,
    /// Waiting on a buffered channel.
    wait: AsyncWait,
    /// Waiting on a rendezvous channel.
    zero: AsyncSend<T>,
    /// A send is in progress (a message given and not yet resolved).
    active: bool,
}

impl<T> Sending<T> {
    fn new(msg: Option<T>) -> Self {
        Sending {
            active: msg.is_some(),
            msg,
            wait: AsyncWait::new(),
            zero: AsyncSend::default(),
        }
    }

    fn poll(
        &mut self,
        sender: &Sender<T>,
        task: &mut TaskContext<'_>,
    ) -> Poll<Result<(), SendError<T>>> {
        assert!(self.active, "a send future polled after it completed");
        let outcome = match sender.as_zero() {
            Some(zero) => match zero.poll_send(&mut self.msg, &mut self.zero, task) {
                Poll::Ready(done) => done.map_err(SendError),
                Poll::Pending => return Poll::Pending,
            },
            None => {
                // Not waiting yet: the wait's first pass would be a
                // one-case try, which `try_send` is (it honours queued
                // senders as that pass does), without the select
                // machinery. A registered wait must settle its claim first.
                if !self.wait.is_registered() {
                    let msg = self.msg.take().expect("an active send has its message");
                    match sender.try_send(msg) {
                        Ok(()) => {
                            self.active = false;
                            return Poll::Ready(Ok(()));
                        }
                        Err(TrySendError::Closed(msg)) => {
                            self.active = false;
                            return Poll::Ready(Err(SendError(msg)));
                        }
                        Err(TrySendError::Full(msg)) => self.msg = Some(msg),
                    }
                }
                let mut cases = [Case::send(sender, 0)];
                match self.wait.poll(&mut cases, None, task) {
                    Poll::Ready(Some(chosen)) => {
                        let msg = self.msg.take().expect("an active send has its message");
                        chosen.send(sender, msg)
                    }
                    Poll::Ready(None) => unreachable!("a send without a deadline"),
                    Poll::Pending => return Poll::Pending,
                }
            }
        };
        self.active = false;
        Poll::Ready(outcome)
    }

    fn cancel(&mut self, sender: &Sender<T>) {
        match sender.as_zero() {
            Some(zero) => zero.cancel_async_send(&mut self.zero),
            None if self.wait.is_registered() => self.wait.cancel(&[Case::send(sender, 0)]),
            None => {}
        }
        self.active = false;
    }
}

/// The future of [`Sender::send_async`] and [`Sender::into_send_async`].
///
/// Resolves once the message is in the channel (on `bounded(0)`: once a
/// receiver has taken it), or to [`SendError`] with the message if the
/// channel is closed. Dropped before it resolves, it delivered nothing on
/// a buffered or unbounded channel (the message is dropped with it); on
/// `bounded(0)` a receiver may have taken it in the instant before (see
/// [`docs::go_differences`](crate::docs::go_differences)).
///
/// ```compile_fail
/// fn send<S: Send>(_: S) {}
/// let (tx, _rx) = gosync_channel::unbounded::<std::rc::Rc<u8>>();
/// send(tx.send_async(std::rc::Rc::new(1))); // Rc is not Send
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct SendFut<'a, T> {
    sender: Handle<'a, Sender<T>>,
    sending: Sending<T>,
}

// SAFETY: the wait's token points into the sender's channel, kept alive
// by `sender`; the packet and contexts are `Send + Sync` for `T: Send`;
// the future moves a `T` and a sender (or `&Sender`, `Send` as
// `Sender<T>: Sync`), which needs `T: Send`.
unsafe impl<T: Send> Send for SendFut<'_, T> {}

// The message is never pinned (it is moved into the channel), so the
// future may move between polls whatever `T` is.
impl<T> Unpin for SendFut<'_, T> {}

impl<T> Future for SendFut<'_, T> {
    type Output = Result<(), SendError<T>>;

    fn poll(self: Pin<&mut Self>, task: &mut TaskContext<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.sending.poll(&this.sender, task)
    }
}

impl<T> Drop for SendFut<'_, T> {
    fn drop(&mut self) {
        self.sending.cancel(&self.sender);
    }
}

impl<T> fmt::Debug for SendFut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendFut")
            .field("sender", &*self.sender)
            .field("active", &self.sending.active)
            .finish()
    }
}

/// The [`Sink`] of [`Sender::sink`] and [`Sender::into_sink`].
///
/// `start_send` hands it one message; `poll_ready` and `poll_flush` drive
/// that send to completion (as [`SendFut`] would). `poll_close` flushes;
/// it does not close the channel (other senders may still send: call
/// [`Sender::close`] for Go's `close`).
///
/// ```compile_fail
/// fn send<S: Send>(_: S) {}
/// let (tx, _rx) = gosync_channel::unbounded::<std::rc::Rc<u8>>();
/// send(tx.sink()); // Rc is not Send
/// ```
#[must_use = "sinks do nothing unless polled"]
pub struct SendSink<'a, T> {
    sender: Handle<'a, Sender<T>>,
    sending: Sending<T>,
}

// SAFETY: as for `SendFut`.
unsafe impl<T: Send> Send for SendSink<'_, T> {}

// As for `SendFut`: the message is never pinned.
impl<T> Unpin for SendSink<'_, T> {}

impl<T> SendSink<'_, T> {
    fn poll_pending(&mut self, task: &mut TaskContext<'_>) -> Poll<Result<(), SendError<T>>> {
        if !self.sending.active {
            return Poll::Ready(Ok(()));
        }
        self.sending.poll(&self.sender, task)
    }

    /// The sender this sink sends with.
    ///
    /// ```
    /// let (tx, _rx) = gosync_channel::unbounded::<u8>();
    /// let sink = tx.sink();
    /// assert!(sink.sender().same_channel(&tx));
    /// ```
    pub fn sender(&self) -> &Sender<T> {
        &self.sender
    }
}

impl<T> Sink<T> for SendSink<'_, T> {
    type Error = SendError<T>;

    fn poll_ready(
        self: Pin<&mut Self>,
        task: &mut TaskContext<'_>,
    ) -> Poll<Result<(), Self::Error>> {
        self.get_mut().poll_pending(task)
    }

    fn start_send(self: Pin<&mut Self>, item: T) -> Result<(), Self::Error> {
        let this = self.get_mut();
        assert!(
            !this.sending.active,
            "SendSink::start_send called before poll_ready returned Ready"
        );
        this.sending = Sending::new(Some(item));
        Ok(())
    }

    fn poll_flush(
        self: Pin<&mut Self>,
        task: &mut TaskContext<'_>,
    ) -> Poll<Result<(), Self::Error>> {
        self.get_mut().poll_pending(task)
    }

    fn poll_close(
        self: Pin<&mut Self>,
        task: &mut TaskContext<'_>,
    ) -> Poll<Result<(), Self::Error>> {
        self.get_mut().poll_pending(task)
    }
}

impl<T> Drop for SendSink<'_, T> {
    fn drop(&mut self) {
        self.sending.cancel(&self.sender);
    }
}

impl<T> fmt::Debug for SendSink<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendSink")
            .field("sender", &*self.sender)
            .field("active", &self.sending.active)
            .finish()
    }
}

impl<T> Sender<T> {
    /// Sends `msg` in async code: the future resolves once the message is
    /// in the channel, waiting while it is full (on `bounded(0)`: until a
    /// receiver, thread or task, has taken it).
    ///
    /// Threads and tasks may share the channel on either end. Blocked
    /// senders, threads and futures alike, get room in the order they
    /// blocked. Dropped before it resolves, the future delivered nothing
    /// on a buffered or unbounded channel; on `bounded(0)` a receiver may
    /// have taken the message in the instant before.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(0);
    /// let consumer = std::thread::spawn(move || rx.recv().unwrap());
    /// futures::executor::block_on(tx.send_async("to a thread")).unwrap();
    /// assert_eq!(consumer.join().unwrap(), "to a thread");
    /// ```
    pub fn send_async(&self, msg: T) -> SendFut<'_, T> {
        SendFut {
            sender: Handle::Borrowed(self),
            sending: Sending::new(Some(msg)),
        }
    }

    /// [`Sender::send_async`], owning the sender: the future is `'static`.
    ///
    /// ```
    /// let (tx, rx) = gosync_channel::bounded(1);
    /// futures::executor::block_on(tx.into_send_async(9)).unwrap();
    /// assert_eq!(rx.recv(), Ok(9));
    /// ```
    pub fn into_send_async(self, msg: T) -> SendFut<'static, T> {
        SendFut {
            sender: Handle::Owned(self),
            sending: Sending::new(Some(msg)),
        }
    }

    /// A [`Sink`] sending into this channel.
    ///
    /// ```
    /// use futures::SinkExt;
    ///
    /// let (tx, rx) = gosync_channel::bounded(4);
    /// futures::executor::block_on(async {
    ///     let mut sink = tx.sink();
    ///     sink.send(1).await.unwrap();
    ///     sink.send(2).await.unwrap();
    /// });
    /// assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn sink(&self) -> SendSink<'_, T> {
        SendSink {
            sender: Handle::Borrowed(self),
            sending: Sending::new(None),
        }
    }

    /// [`Sender::sink`], owning the sender.
    ///
    /// ```
    /// use futures::{stream, SinkExt, StreamExt};
    ///
    /// let (tx, rx) = gosync_channel::unbounded();
    /// futures::executor::block_on(async {
    ///     let mut sink = tx.into_sink();
    ///     sink.send_all(&mut stream::iter([1, 2, 3]).map(Ok)).await.unwrap();
    /// });
    /// // The sink (the last sender) is gone: the channel is closed.
    /// assert_eq!(rx.iter().collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn into_sink(self) -> SendSink<'static, T> {
        SendSink {
            sender: Handle::Owned(self),
            sending: Sending::new(None),
        }
    }
}
