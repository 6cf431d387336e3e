//! The flavor of [`after`](crate::after): one message at a deadline.
//!
//! No thread and no timer wheel: the message "arrives" when a receiver
//! looks at the clock and finds the deadline passed, and the one receiver
//! that flips `received` gets it. Afterwards the channel is never ready
//! again and never closed, as Go's `time.After` channel.

use std::time::Instant;

use crate::context::{Context, Operation};
use crate::select::{SelectHandle, Token};
use crate::sync::{AtomicBool, Ordering};
use crate::waker::SyncWaker;

/// A one-shot timer channel.
pub(crate) struct Channel {
    /// When the message is due; `None` if the deadline is beyond what an
    /// `Instant` can hold (never).
    deadline: Option<Instant>,
    /// The message has been taken.
    received: AtomicBool,
    /// Closed by [`Receiver::close`](crate::Receiver::close).
    closed: AtomicBool,
    /// Receivers blocked waiting (only a close wakes them early).
    receivers: SyncWaker,
}

impl Channel {
    pub(crate) fn new(deadline: Option<Instant>) -> Self {
        Channel {
            deadline,
            received: AtomicBool::new(false),
            closed: AtomicBool::new(false),
            receivers: SyncWaker::new(),
        }
    }

    fn is_due(&self) -> bool {
        self.deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// Takes the message if it is due; true with `None` in the token if
    /// the channel is closed.
    pub(crate) fn start_recv(&self, token: &mut Token) -> bool {
        // Relaxed: `received` guards no data (the message is the deadline
        // itself); the swap only decides who gets it.
        if self.is_due()
            && !self.received.load(Ordering::Relaxed)
            && !self.received.swap(true, Ordering::Relaxed)
        {
            token.timer = self.deadline;
            return true;
        }
        if self.is_closed() {
            token.timer = None;
            return true;
        }
        false
    }

    /// The message of a successful `start_recv`, or `Err` if closed.
    pub(crate) fn read(token: &mut Token) -> Result<Instant, ()> {
        token.timer.take().ok_or(())
    }

    pub(crate) fn len(&self) -> usize {
        // Relaxed: a snapshot; `received` guards no data.
        usize::from(self.is_due() && !self.received.load(Ordering::Relaxed))
    }

    pub(crate) fn is_closed(&self) -> bool {
        // Acquire: pairs with the Release swap in `close` (close
        // happens-before a receive that reports it).
        self.closed.load(Ordering::Acquire)
    }

    pub(crate) fn close(&self) -> bool {
        // Release: pairs with the Acquire load in `is_closed`.
        if self.closed.swap(true, Ordering::Release) {
            return false;
        }
        self.receivers.close();
        true
    }
}

impl SelectHandle for Channel {
    fn try_select(&self, token: &mut Token) -> bool {
        self.start_recv(token)
    }

    fn deadline(&self) -> Option<Instant> {
        // Relaxed: only decides whether to wake at the deadline.
        if self.received.load(Ordering::Relaxed) {
            None
        } else {
            self.deadline
        }
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        self.receivers.register(oper, cx);
        self.len() > 0 || self.is_closed()
    }

    fn unregister(&self, oper: Operation) {
        self.receivers.unregister(oper);
    }

    fn accept(&self, token: &mut Token, _cx: &Context) -> bool {
        self.start_recv(token)
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // Timers never claim a waiter: they fall due by themselves.
    }

    fn cancel(&self, token: &mut Token) {
        // The one message was taken for a case that never completed: put
        // it back for the next receiver. Relaxed: as in `start_recv`; the
        // store only decides who gets the message next.
        if token.timer.take().is_some() {
            self.received.store(false, Ordering::Relaxed);
            self.receivers.notify();
        }
    }

    fn version(&self) -> u64 {
        // The deadline's passing only ever makes the case ready.
        u64::from(self.received.load(Ordering::SeqCst)) | u64::from(self.is_closed()) << 1
    }
}
