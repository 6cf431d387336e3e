//! The read-only snapshot: Go's `readOnly`, the table every operation
//! reads first without a lock.
//!
//! A snapshot's table never changes after it is published: keys come and
//! go in it only by publishing a new snapshot (promotion of the dirty
//! table, or `clear`). Its entries' *values* change in place (see
//! [`crate::entry`]). `amended` starts false and is set, once, under the
//! lock, when the dirty table first gets a key this table lacks; it is
//! never cleared, so a reader that finds it set on an old snapshot still
//! takes the locked path and re-checks the current one.

use hashbrown::HashTable;
use std::borrow::Borrow;

use crate::entry::Entry;
use crate::sync::{Arc, AtomicBool, Ordering};

/// Keys to entries, hashed by [`Entry::hash`] so that no table operation
/// calls the user's `Hash`.
pub(crate) type Table<K, V> = HashTable<Arc<Entry<K, V>>>;

pub(crate) struct Snapshot<K, V: Send + Sync + 'static> {
    pub(crate) table: Table<K, V>,
    /// Go's `readOnly.amended`: the dirty table has keys `table` lacks.
    amended: AtomicBool,
}

impl<K, V: Send + Sync + 'static> Snapshot<K, V> {
    pub(crate) fn new(table: Table<K, V>) -> Self {
        Self {
            table,
            amended: AtomicBool::new(false),
        }
    }

    /// SeqCst, with `set_amended`: a miss on this snapshot must see a key
    /// stored in the dirty table before it (Go's "store happens-before the
    /// load that observes it" through the locked path), and the store sets
    /// the flag before its lock is released.
    #[inline(always)]
    pub(crate) fn amended(&self) -> bool {
        self.amended.load(Ordering::SeqCst)
    }

    /// Under the map's lock only.
    pub(crate) fn set_amended(&self) {
        self.amended.store(true, Ordering::SeqCst);
    }
}

/// The entry for `key` in `table`.
///
/// The stored hash is compared first, so the user's `Eq` runs only for
/// keys whose full 64-bit hashes agree.
#[inline(always)]
pub(crate) fn find<'t, K, V, Q>(
    table: &'t Table<K, V>,
    hash: u64,
    key: &Q,
) -> Option<&'t Arc<Entry<K, V>>>
where
    K: Borrow<Q>,
    Q: ?Sized + Eq,
    V: Send + Sync + 'static,
{
    table.find(hash, |entry| {
        entry.hash == hash && entry.key.borrow() == key
    })
}

/// Adds an entry whose key the table does not have.
pub(crate) fn insert_new<K, V: Send + Sync + 'static>(
    table: &mut Table<K, V>,
    entry: Arc<Entry<K, V>>,
) {
    table.insert_unique(entry.hash, entry, |entry| entry.hash);
}
