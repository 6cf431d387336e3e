//! The cell a message moves through when one thread hands it to another
//! that is blocked: a rendezvous (`flavors::zero`, where its use is
//! tabled), or a bounded channel's hand-off of a freed slot to a blocked
//! sender (`flavors::array`). The side that fills or empties it stores
//! `ready` with Release; the side that waits for it loads `ready` with
//! Acquire, then owns the packet's contents.

use crate::sync::{AtomicBool, Backoff, Ordering, UnsafeCell};

/// Where a packet lives and who frees it (the table in `flavors::zero`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PacketKind {
    /// On a blocked thread's stack; its owner waits for `ready`.
    Stack,
    /// Boxed for a select's rendezvous case; freed by whoever reads it.
    Heap,
    /// In an `Arc` shared by a pending `send_async` and its list entry
    /// (then its claimant): each holder drops its own count, so the
    /// future may be dropped at any point of the hand-over.
    Shared,
    /// Boxed by a receive that took a message the channel kept for it (a
    /// rendezvous message handed to a task that then went away); freed by
    /// its reader, put back if the receive is cancelled.
    Kept,
}

/// The cell a message moves through.
pub(crate) struct Packet<T> {
    pub(crate) kind: PacketKind,
    /// The hand-over flag: set by whoever fills or empties the packet.
    pub(crate) ready: AtomicBool,
    pub(crate) msg: UnsafeCell<Option<T>>,
}

impl<T> Packet<T> {
    pub(crate) fn empty_on_stack() -> Self {
        Packet {
            kind: PacketKind::Stack,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(None),
        }
    }

    pub(crate) fn empty_on_heap() -> Box<Self> {
        Box::new(Packet {
            kind: PacketKind::Heap,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(None),
        })
    }

    /// A pending `send_async`'s packet, holding its message.
    pub(crate) fn shared(msg: T) -> Self {
        Packet {
            kind: PacketKind::Shared,
            ready: AtomicBool::new(false),
            msg: UnsafeCell::new(Some(msg)),
        }
    }

    /// A kept message, boxed for the receive that takes it: filled and
    /// `ready` already.
    pub(crate) fn kept(msg: T) -> Box<Self> {
        Box::new(Packet {
            kind: PacketKind::Kept,
            ready: AtomicBool::new(true),
            msg: UnsafeCell::new(Some(msg)),
        })
    }

    pub(crate) fn message_on_stack(msg: T) -> Self {
        Packet {
            kind: PacketKind::Stack,
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
