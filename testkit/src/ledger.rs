//! Drop accounting for the stress and behaviour tests of every crate.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// Ids per lazily made chunk, and chunks: room for 16M ids (256K under
/// Miri, where making the chunk table is not free).
const CHUNK: usize = if cfg!(miri) { 1024 } else { 4096 };
const CHUNKS: usize = if cfg!(miri) { 256 } else { 4096 };

/// Per-value creation and drop counts, so that a test can say *which*
/// value was dropped twice, too early or never.
///
/// Each crate's drop-counted test type takes an id from
/// [`Ledger::make_id`] when it is made and calls [`Ledger::record_drop`]
/// from its `Drop`. The counters grow on demand in chunks, without a
/// lock, so counting is an atomic add or two and never serialises the
/// threads of a stress test.
///
/// ```
/// use gosync_testkit::Ledger;
///
/// struct Counted(usize, std::sync::Arc<Ledger>);
/// impl Drop for Counted {
///     fn drop(&mut self) {
///         self.1.record_drop(self.0);
///     }
/// }
///
/// let ledger = Ledger::new();
/// let a = Counted(ledger.make_id(), ledger.clone());
/// let _b = Counted(ledger.make_id(), ledger.clone());
/// drop(a);
/// assert_eq!(ledger.drops_of(0), 1);
/// assert_eq!(ledger.alive(), vec![1]);
/// assert_eq!(ledger.live(), 1);
/// ledger.assert_no_double_drop();
/// ```
#[derive(Debug)]
pub struct Ledger {
    next_id: AtomicUsize,
    dropped: AtomicUsize,
    chunks: Box<[OnceLock<Box<[AtomicUsize]>>]>,
}

impl Ledger {
    /// An empty ledger, shared by the values it counts.
    pub fn new() -> Arc<Self> {
        Arc::new(Self {
            next_id: AtomicUsize::new(0),
            dropped: AtomicUsize::new(0),
            chunks: (0..CHUNKS).map(|_| OnceLock::new()).collect(),
        })
    }

    fn counter(&self, id: usize) -> &AtomicUsize {
        assert!(id < CHUNK * CHUNKS, "Ledger full ({} ids)", CHUNK * CHUNKS);
        let chunk = self.chunks[id / CHUNK]
            .get_or_init(|| (0..CHUNK).map(|_| AtomicUsize::new(0)).collect());
        &chunk[id % CHUNK]
    }

    /// A fresh id: one more value made.
    pub fn make_id(&self) -> usize {
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let _ = self.counter(id);
        id
    }

    /// Value `id` is being dropped.
    pub fn record_drop(&self, id: usize) {
        self.counter(id).fetch_add(1, Ordering::SeqCst);
        self.dropped.fetch_add(1, Ordering::SeqCst);
    }

    /// How many values have been made so far.
    pub fn created(&self) -> usize {
        self.next_id.load(Ordering::SeqCst)
    }

    /// How many drops have been recorded in all (cheap, unlike
    /// [`Ledger::alive`]).
    pub fn dropped(&self) -> usize {
        self.dropped.load(Ordering::SeqCst)
    }

    /// Values made and not dropped, assuming none was dropped twice (cheap).
    pub fn live(&self) -> usize {
        self.created() - self.dropped()
    }

    /// How many times value `id` has been dropped.
    pub fn drops_of(&self, id: usize) -> usize {
        self.counter(id).load(Ordering::SeqCst)
    }

    /// Ids of the values made so far and not dropped, ascending.
    pub fn alive(&self) -> Vec<usize> {
        (0..self.created())
            .filter(|&id| self.drops_of(id) == 0)
            .collect()
    }

    /// How many values made so far have not been dropped (checks each id).
    pub fn alive_count(&self) -> usize {
        (0..self.created())
            .filter(|&id| self.drops_of(id) == 0)
            .count()
    }

    /// Panics if any value was dropped more than once.
    pub fn assert_no_double_drop(&self) {
        let twice: Vec<(usize, usize)> = (0..self.created())
            .map(|id| (id, self.drops_of(id)))
            .filter(|&(_, n)| n > 1)
            .collect();
        assert!(
            twice.is_empty(),
            "(id, drops) dropped more than once: {:?}",
            &twice[..twice.len().min(32)]
        );
    }

    /// Panics unless every value made so far was dropped exactly once.
    pub fn assert_all_dropped_once(&self) {
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

/// A value that adds one to a shared counter when dropped: the cheap check
/// of exactly-once handling where a test does not need to know *which*
/// value (for that, a type of the test's own over a [`Ledger`]).
///
/// ```
/// use gosync_testkit::Counted;
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
///
/// let drops = Arc::new(AtomicUsize::new(0));
/// drop(vec![Counted::new(&drops), Counted::new(&drops)]);
/// assert_eq!(drops.load(Ordering::SeqCst), 2);
/// ```
#[derive(Debug)]
pub struct Counted {
    drops: Arc<AtomicUsize>,
}

impl Counted {
    /// A value that counts its drop in `drops`.
    pub fn new(drops: &Arc<AtomicUsize>) -> Self {
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
