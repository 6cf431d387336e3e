//! Helpers shared by the channel's integration tests: the hang detector, and
//! drop-counted messages ([`Ledger`], [`Counted`]) so that a test can say
//! which message was dropped twice, never, or too early.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
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

/// Per-message drop counts for [`Counted`] messages. Its size is fixed when
/// it is made (a test knows how many messages it can send at most), so
/// counting is one atomic add and never serialises the threads of a stress
/// test behind a lock.
#[derive(Debug)]
pub(crate) struct Ledger {
    created: AtomicUsize,
    dropped: AtomicUsize,
    drops: Box<[AtomicU32]>,
}

impl Ledger {
    /// A ledger with room for `capacity` messages.
    pub(crate) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            created: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            drops: (0..capacity).map(|_| AtomicU32::new(0)).collect(),
        })
    }

    fn make_id(&self) -> usize {
        let id = self.created.fetch_add(1, Ordering::SeqCst);
        assert!(
            id < self.drops.len(),
            "Ledger full ({} ids)",
            self.drops.len()
        );
        id
    }

    fn record_drop(&self, id: usize) {
        self.drops[id].fetch_add(1, Ordering::SeqCst);
        self.dropped.fetch_add(1, Ordering::SeqCst);
    }

    /// How many messages have been made.
    pub(crate) fn created(&self) -> usize {
        self.created.load(Ordering::SeqCst)
    }

    /// How many drops have been recorded in all.
    pub(crate) fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    /// How many messages have been made and not dropped (assuming none
    /// was dropped twice).
    pub(crate) fn live(&self) -> usize {
        self.created() - self.dropped()
    }

    /// How many times message `id` has been dropped.
    pub(crate) fn drops_of(&self, id: usize) -> u32 {
        self.drops[id].load(Ordering::SeqCst)
    }

    /// Ids of the messages made so far and not dropped, ascending.
    pub(crate) fn alive(&self) -> Vec<usize> {
        (0..self.created())
            .filter(|&id| self.drops_of(id) == 0)
            .collect()
    }

    /// Panics if any message was dropped more than once.
    pub(crate) fn assert_no_double_drop(&self) {
        let twice: Vec<(usize, u32)> = (0..self.created())
            .map(|id| (id, self.drops_of(id)))
            .filter(|&(_, n)| n > 1)
            .collect();
        assert!(
            twice.is_empty(),
            "(id, drops) dropped more than once: {:?}",
            &twice[..twice.len().min(32)]
        );
    }

    /// Panics unless every message made so far was dropped exactly once.
    pub(crate) fn assert_all_dropped_once(&self) {
        self.assert_no_double_drop();
        let leaked = self.alive();
        assert!(
            leaked.is_empty(),
            "{} of {} messages never dropped (leaked), ids {:?}",
            leaked.len(),
            self.created(),
            &leaked[..leaked.len().min(32)]
        );
    }
}

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
