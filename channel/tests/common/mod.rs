//! Helpers shared by the channel's integration tests: the hang detector, and
//! drop-counted messages ([`Ledger`], [`Counted`]) so that a test can say
//! which message was dropped twice, never, or too early.
#![allow(dead_code)]

use std::sync::Arc;

/// The hang detector and its bound, shared by every crate's tests.
#[allow(unused_imports)] // not every test binary uses both
pub(crate) use gosync_testkit::{within, HANG};

/// Scale for heavy loops: Miri runs a small fraction (at least `min_miri`).
pub(crate) fn scaled(n: usize, min_miri: usize) -> usize {
    if cfg!(miri) {
        (n / 1000).max(min_miri)
    } else {
        n
    }
}

#[allow(unused_imports)] // each test binary uses some of the helpers
pub(crate) use gosync_testkit::{expect_panic, panic_message};

/// Drop accounting, shared by every crate's tests.
pub(crate) use gosync_testkit::Ledger;

/// A drop-counted message carrying a `tag` (for stress tests: who sent it
/// and its sequence number, see [`Counted::tagged`]). A mirror field and a
/// heap payload make a torn, freed or duplicated message likely to be
/// noticed by [`Counted::assert_intact`] (and by Miri).
#[derive(Debug)]
pub(crate) struct Counted {
    id: usize,
    tag: u64,
    mirror: u64,
    payload: Box<u64>,
    ledger: Arc<Ledger>,
}

impl Counted {
    pub(crate) fn new(ledger: &Arc<Ledger>, tag: u64) -> Self {
        Self {
            id: ledger.make_id(),
            tag,
            mirror: !tag,
            payload: Box::new(tag),
            ledger: Arc::clone(ledger),
        }
    }

    /// Message number `seq` of sender `sender`.
    pub(crate) fn tagged(ledger: &Arc<Ledger>, sender: u32, seq: u32) -> Self {
        Self::new(ledger, u64::from(sender) << 32 | u64::from(seq))
    }

    /// The ledger's id of this message.
    pub(crate) fn id(&self) -> usize {
        self.id
    }

    pub(crate) fn tag(&self) -> u64 {
        self.tag
    }

    /// `(sender, seq)` of a message made by [`Counted::tagged`].
    pub(crate) fn origin(&self) -> (u32, u32) {
        ((self.tag >> 32) as u32, self.tag as u32)
    }

    /// Panics unless the message is whole and not yet dropped.
    pub(crate) fn assert_intact(&self) {
        assert_eq!(self.mirror, !self.tag, "torn message {self:?}");
        assert_eq!(*self.payload, self.tag, "corrupt payload {self:?}");
        assert_eq!(
            self.ledger.drops_of(self.id),
            0,
            "message {} (tag {:#x}) used after its drop",
            self.id,
            self.tag
        );
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.ledger.record_drop(self.id);
    }
}
