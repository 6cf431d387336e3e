//! Helpers shared by the integration tests: drop-counted keys and values
//! ([`Ledger`], [`Counted`]), keys and values that panic on demand
//! ([`Trap`], [`Touchy`]), a hang detector ([`within`]), a colliding hasher
//! and a small deterministic RNG.
#![allow(dead_code)]

use std::borrow::Borrow;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;

/// The hang detector and its bound, shared by every crate's tests.
#[allow(unused_imports)] // not every test binary uses both
pub(crate) use gosync_testkit::{within, HANG};

/// Scale for heavy loops: Miri runs a small fraction.
pub(crate) fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 100).max(2)
    } else {
        n
    }
}

/// Threads for the stress tests: the machine's parallelism, at least 2 and
/// at most `max` (3 under Miri).
pub(crate) fn threads(max: usize) -> usize {
    let n = std::thread::available_parallelism().map_or(2, |n| n.get());
    n.clamp(2, if cfg!(miri) { max.min(3) } else { max })
}

/// Runs `f`, counting a panic instead of propagating it.
pub(crate) fn counting_panics(panics: &mut usize, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        *panics += 1;
    }
}

#[allow(unused_imports)] // each test binary uses some of the helpers
pub(crate) use gosync_testkit::{expect_panic, panic_message};

/// Ids per lazily made chunk of a [`Ledger`], and chunks: room for 16M ids
/// (256K under Miri, where making the chunk table is not free).
const CHUNK: usize = if cfg!(miri) { 1024 } else { 4096 };
const CHUNKS: usize = if cfg!(miri) { 256 } else { 4096 };

/// Drop accounting, shared by every crate's tests.
pub(crate) use gosync_testkit::Ledger;

/// A drop-counted key or value. Equality and hashing are by `tag` only (two
/// distinct `Counted` can be equal, as two Go values can), and it borrows as
/// its tag, so a `Map<Counted, _>` is looked up with `&u64`. Redundant
/// fields and a heap payload make a torn, freed or reused value likely to
/// be noticed by [`Counted::assert_intact`] (and by Miri).
#[derive(Debug)]
pub(crate) struct Counted {
    tag: u64,
    id: usize,
    mirror: u64,
    payload: Box<u64>,
    ledger: Arc<Ledger>,
}

impl Counted {
    pub(crate) fn new(ledger: &Arc<Ledger>, tag: u64) -> Self {
        Self {
            tag,
            id: ledger.make_id(),
            mirror: !tag,
            payload: Box::new(tag),
            ledger: Arc::clone(ledger),
        }
    }

    pub(crate) fn tag(&self) -> u64 {
        self.tag
    }

    pub(crate) fn id(&self) -> usize {
        self.id
    }

    /// Panics unless the value is whole and not yet dropped.
    pub(crate) fn assert_intact(&self) {
        assert_eq!(self.mirror, !self.tag, "torn value {self:?}");
        assert_eq!(*self.payload, self.tag, "corrupt payload {self:?}");
        assert_eq!(
            self.ledger.drops_of(self.id),
            0,
            "value {} ({}) read after its drop",
            self.id,
            self.tag
        );
    }
}

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        self.tag == other.tag
    }
}

impl Eq for Counted {}

impl Hash for Counted {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Exactly as `u64` hashes, for `Borrow<u64>`.
        self.tag.hash(state);
    }
}

impl Borrow<u64> for Counted {
    fn borrow(&self) -> &u64 {
        &self.tag
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.ledger.record_drop(self.id);
    }
}

const DISARMED: u32 = u32::MAX;

/// Which [`Touchy`] numbers panic, and where. One per test, so that tests
/// running in parallel do not set off each other's traps.
#[derive(Debug)]
pub(crate) struct Trap {
    hash: AtomicU32,
    eq: AtomicU32,
    sprung: AtomicUsize,
}

impl Trap {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            hash: AtomicU32::new(DISARMED),
            eq: AtomicU32::new(DISARMED),
            sprung: AtomicUsize::new(0),
        })
    }

    /// From now on, hashing a `Touchy` numbered `n` panics.
    pub(crate) fn arm_hash(&self, n: u32) {
        self.hash.store(n, Ordering::SeqCst);
    }

    /// From now on, comparing a `Touchy` numbered `n` (on either side of
    /// `==`) panics.
    pub(crate) fn arm_eq(&self, n: u32) {
        self.eq.store(n, Ordering::SeqCst);
    }

    pub(crate) fn disarm(&self) {
        self.hash.store(DISARMED, Ordering::SeqCst);
        self.eq.store(DISARMED, Ordering::SeqCst);
    }

    /// How many times a trap has gone off.
    pub(crate) fn sprung(&self) -> usize {
        self.sprung.load(Ordering::SeqCst)
    }

    fn check_hash(&self, n: u32) {
        if self.hash.load(Ordering::SeqCst) == n {
            self.sprung.fetch_add(1, Ordering::SeqCst);
            panic!("trap: Hash of {n}");
        }
    }

    fn check_eq(&self, a: u32, b: u32) {
        let armed = self.eq.load(Ordering::SeqCst);
        if armed == a || armed == b {
            self.sprung.fetch_add(1, Ordering::SeqCst);
            panic!("trap: Eq of {a} and {b}");
        }
    }
}

/// A drop-counted key or value whose `Hash` and `PartialEq` panic when its
/// [`Trap`] is armed for its number, and whose `Drop` panics (after
/// counting itself) if it was made with [`Touchy::bomb`].
#[derive(Debug)]
pub(crate) struct Touchy {
    n: u32,
    id: usize,
    explodes: bool,
    ledger: Arc<Ledger>,
    trap: Arc<Trap>,
}

impl Touchy {
    pub(crate) fn new(ledger: &Arc<Ledger>, trap: &Arc<Trap>, n: u32) -> Self {
        Self {
            n,
            id: ledger.make_id(),
            explodes: false,
            ledger: Arc::clone(ledger),
            trap: Arc::clone(trap),
        }
    }

    /// Like [`Touchy::new`], but its drop panics.
    pub(crate) fn bomb(ledger: &Arc<Ledger>, trap: &Arc<Trap>, n: u32) -> Self {
        let mut bomb = Self::new(ledger, trap, n);
        bomb.explodes = true;
        bomb
    }

    pub(crate) fn n(&self) -> u32 {
        self.n
    }

    pub(crate) fn id(&self) -> usize {
        self.id
    }
}

impl Hash for Touchy {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.trap.check_hash(self.n);
        self.n.hash(state);
    }
}

impl PartialEq for Touchy {
    fn eq(&self, other: &Self) -> bool {
        self.trap.check_eq(self.n, other.n);
        self.n == other.n
    }
}

impl Eq for Touchy {}

impl Drop for Touchy {
    fn drop(&mut self) {
        self.ledger.record_drop(self.id);
        if self.explodes && !std::thread::panicking() {
            panic!("bomb {} (id {}) went off", self.n, self.id);
        }
    }
}

/// A hasher that sends every key to the same bucket, so that every lookup
/// compares keys with `Eq`.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct CollidingHasher;

impl Hasher for CollidingHasher {
    fn finish(&self) -> u64 {
        0x5555
    }

    fn write(&mut self, _bytes: &[u8]) {}
}

/// `BuildHasher` of [`CollidingHasher`].
pub(crate) type Colliding = BuildHasherDefault<CollidingHasher>;

#[allow(unused_imports)] // each test binary uses some of the helpers
pub(crate) use gosync_testkit::Rng;
