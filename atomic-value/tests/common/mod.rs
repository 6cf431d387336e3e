//! Helpers shared by the integration tests.
#![allow(dead_code)]

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
#[allow(unused_imports)] // not every test binary uses it
pub(crate) use gosync_testkit::Counted;

/// Drop accounting, shared by every crate's tests.
pub(crate) use gosync_testkit::Ledger;

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
