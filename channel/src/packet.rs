//! The cell a message moves through when one thread hands it to another
//! that is blocked: a rendezvous (`flavors::zero`, where its use is
//! tabled), or a bounded channel's hand-off of a freed slot to a blocked
//! sender (`flavors::array`). The side that fills or empties it stores
//! `ready` with Release; the side that waits for it loads `ready` with
//! Acquire, then owns the packet's contents.

use crate::sync::{AtomicBool, Backoff, Ordering, UnsafeCell};

/// The cell a message moves through.
pub(crate) struct Packet<T> {
    /// On a waiter's stack, or boxed (a select's rendezvous case: see the
    /// table in `flavors::zero`).
    pub(crate) on_stack: bool,
    /// The hand-over flag: set by whoever fills or empties the packet.
    pub(crate) ready: AtomicBool,
    pub(crate) msg: UnsafeCell<Option<T>>,
}

impl<T> Packet<T> {
    pub(crate) fn empty_on_stack() -> Self {
        Packet {
            on_stack: true,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(None),
        }
    }

    pub(crate) fn empty_on_heap() -> Box<Self> {
        Box::new(Packet {
            on_stack: false,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(None),
        })
    }

    pub(crate) fn message_on_stack(msg: T) -> Self {
        Packet {
            on_stack: true,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(Some(msg)),
        }
    }

    /// Waits until the other side has filled or emptied the packet.
    pub(crate) fn wait_ready(&self) {
        let mut backoff = Backoff::new();
        // Acquire: pairs with the other side's Release store of `ready`
        // (the rendezvous' `write`, `read` and cancels; a bounded channel's
        // `hand_off`).
        while !self.ready.load(Ordering::Acquire) {
            backoff.snooze();
        }
    }

    /// Whether the packet holds a message.
    ///
    /// # Safety
    ///
    /// As for [`Packet::take`].
    pub(crate) unsafe fn has_message(&self) -> bool {
        // SAFETY: exclusive by the caller's contract.
        self.msg.with(|msg| unsafe { (*msg).is_some() })
    }

    /// Takes the message out.
    ///
    /// # Safety
    ///
    /// The caller is the only thread touching the packet's message now.
    pub(crate) unsafe fn take(&self) -> Option<T> {
        // SAFETY: exclusive by the caller's contract.
        self.msg.with_mut(|msg| unsafe { (*msg).take() })
    }
}
