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
use std::ops::{Deref, DerefMut};

use crate::entry::Entry;
use crate::sync::{Arc, AtomicBool, Ordering};

/// Keys to entries, hashed by [`Entry::hash`] so that no table operation
/// calls the user's `Hash`.
///
/// Dropping it drops every entry even if one key's or value's `Drop`
/// panics (the rest are dropped while that panic unwinds; a second panic
/// aborts, as in `Vec`), where a plain `HashTable` would leak the rest.
pub(crate) struct Table<K, V: Send + Sync + 'static>(HashTable<Arc<Entry<K, V>>>);

impl<K, V: Send + Sync + 'static> Table<K, V> {
    pub(crate) fn new() -> Self {
        Self(HashTable::new())
    }

    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self(HashTable::with_capacity(capacity))
    }
}

impl<K, V: Send + Sync + 'static> Deref for Table<K, V> {
    type Target = HashTable<Arc<Entry<K, V>>>;

    #[inline(always)]
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<K, V: Send + Sync + 'static> DerefMut for Table<K, V> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<K, V: Send + Sync + 'static> Drop for Table<K, V> {
    fn drop(&mut self) {
        // If one entry's drop panics, `Drain`'s own drop (run while that
        // panic unwinds) drops the entries not yet reached.
        for entry in self.0.drain() {
            drop(entry);
        }
    }
}

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
