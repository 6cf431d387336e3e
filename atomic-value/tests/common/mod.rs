//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The hang detector and its bound, shared by every crate's tests.
#[allow(unused_imports)] // not every test binary uses both
pub(crate) use gosync_testkit::{within, HANG};

/// Scale for heavy loops: Miri runs a small fraction.
pub(crate) fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 50).max(2)
    } else {
        n
    }
}

/// Scale for loops that store on every turn: Miri runs a tenth of what
/// [`scaled`] gives, as a store (its reclamation pass over every thread's
/// hazard slots) costs milliseconds there.
pub(crate) fn scaled_stores(n: usize) -> usize {
    if cfg!(miri) {
        (n / 500).max(2)
    } else {
        n
    }
}

/// A value that counts its own drops, to prove exactly-once handling.
#[derive(Debug)]
pub(crate) struct Counted {
    drops: Arc<AtomicUsize>,
}

impl Counted {
    pub(crate) fn new(drops: &Arc<AtomicUsize>) -> Self {
        Self {
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// Per-value drop counts for a bounded number of [`Tracked`] values, so a
/// test can say *which* value was dropped twice, too early or never.
#[derive(Debug)]
pub(crate) struct Ledger {
    next_id: AtomicUsize,
    drops: Box<[AtomicUsize]>,
}

impl Ledger {
    /// Room for `capacity` values; making one more panics.
    pub(crate) fn new(capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            next_id: AtomicUsize::new(0),
            drops: (0..capacity).map(|_| AtomicUsize::new(0)).collect(),
        })
    }

    /// A fresh id for a value that reports its drop with [`Ledger::record_drop`].
    pub(crate) fn make_id(&self) -> usize {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        assert!(id < self.drops.len(), "Ledger too small");
        id
    }

    /// Value `id` is being dropped.
    pub(crate) fn record_drop(&self, id: usize) {
        self.drops[id].fetch_add(1, Ordering::SeqCst);
    }

    /// How many values have been made so far.
    pub(crate) fn created(&self) -> usize {
        self.next_id.load(Ordering::SeqCst)
    }

    /// How many times value `id` has been dropped.
    pub(crate) fn drops_of(&self, id: usize) -> usize {
        self.drops[id].load(Ordering::SeqCst)
    }

    /// Ids of the values made so far that have not been dropped.
    pub(crate) fn alive(&self) -> Vec<usize> {
        (0..self.created())
            .filter(|&id| self.drops_of(id) == 0)
            .collect()
    }

    /// Panics unless no value was ever dropped more than once.
    pub(crate) fn assert_no_double_drop(&self) {
        let twice: Vec<(usize, usize)> = (0..self.created())
            .map(|id| (id, self.drops_of(id)))
            .filter(|&(_, n)| n > 1)
            .collect();
        assert!(
            twice.is_empty(),
            "(id, drops) dropped more than once: {twice:?}"
        );
    }

    /// Panics unless every value made so far was dropped exactly once.
    pub(crate) fn assert_all_dropped_once(&self) {
        self.assert_no_double_drop();
        let leaked = self.alive();
        assert!(
            leaked.is_empty(),
            "{} of {} values never dropped (leaked), ids {:?}",
            leaked.len(),
            self.created(),
            &leaked[..leaked.len().min(32)]
        );
    }
}

/// A heap-owning value with a drop count in a [`Ledger`], and redundant
/// fields that a torn, freed or reused value would be unlikely to keep
/// consistent. Equality (for `compare_and_swap`) is by `key` only, so two
/// distinct values can be equal, as in Go.
#[derive(Debug)]
pub(crate) struct Tracked {
    id: usize,
    key: u64,
    mirror: u64,
    payload: Box<[u64]>,
    ledger: Arc<Ledger>,
}

impl Tracked {
    pub(crate) fn new(ledger: &Arc<Ledger>, key: u64) -> Self {
        Self {
            id: ledger.make_id(),
            key,
            mirror: !key,
            payload: vec![key; 4].into_boxed_slice(),
            ledger: Arc::clone(ledger),
        }
    }

    pub(crate) fn id(&self) -> usize {
        self.id
    }

    pub(crate) fn key(&self) -> u64 {
        self.key
    }

    /// Panics unless the value is whole and has not been dropped: reading it
    /// through a guard or `Arc` must never see a freed value.
    pub(crate) fn assert_intact(&self) {
        assert_eq!(self.mirror, !self.key, "torn value {self:?}");
        assert!(
            self.payload.iter().all(|&w| w == self.key),
            "corrupt payload {self:?}"
        );
        let drops = self.ledger.drops_of(self.id);
        assert_eq!(drops, 0, "value {} read after its drop", self.id);
    }
}

impl PartialEq for Tracked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        self.ledger.record_drop(self.id);
    }
}

#[allow(unused_imports)] // each test binary uses some of the helpers
pub(crate) use gosync_testkit::Rng;
