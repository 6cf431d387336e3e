//! One key's slot: Go's `entry`, a value cell with three states.
//!
//! | cell state  | meaning (Go's name)                 | in dirty table? |
//! |-------------|-------------------------------------|-----------------|
//! | value       | the key maps to it                  | yes, if dirty exists |
//! | empty       | deleted (`nil`)                     | yes, if dirty exists |
//! | tombstone   | deleted and left out of dirty (`expunged`) | no       |
//!
//! An entry is shared (`Arc`) by the snapshot and the dirty table. Changes
//! among *value* and *empty* are lock-free compare-exchanges, so storing to
//! a key the snapshot has never takes the lock. *Tombstone* is entered and
//! left only under the map's lock (`try_expunge_locked` while building a
//! dirty table, `unexpunge_locked` before putting the entry back into
//! one): a tombstoned entry's key is missing from dirty, so a lock-free
//! store into it would be lost at the next promotion, and `try_store`
//! refuses it.
//!
//! # Orderings
//!
//! All in the cell ([`ArcCell`]): every access is SeqCst, and the Release
//! half of a store pairs with the Acquire half of the load that sees it.

use gosync_atomic_value::raw::{ArcCell, HazardSlot, Retired, Seen};
use gosync_atomic_value::Guard;

use crate::sync::Arc;

pub(crate) struct Entry<K, V: Send + Sync + 'static> {
    /// The key's hash under the map's hasher, so that tables can be copied
    /// and grown without calling the user's `Hash` (or holding the hasher).
    pub(crate) hash: u64,
    pub(crate) key: K,
    value: ArcCell<V>,
}

/// What `try_load_or_store` did.
pub(crate) enum LoadOrStore<V: Send + Sync + 'static> {
    /// The key had a value: here it is.
    Loaded(Guard<V>),
    /// The offered value is now the key's.
    Stored,
    /// The entry is expunged; nothing was stored.
    Expunged,
}

impl<K, V: Send + Sync + 'static> Entry<K, V> {
    pub(crate) fn new(hash: u64, key: K, value: Arc<V>) -> Self {
        Self {
            hash,
            key,
            value: ArcCell::new(Some(value)),
        }
    }

    /// The value, if the key has one (Go's `entry.load`).
    #[inline(always)]
    pub(crate) fn load(&self) -> Option<Guard<V>> {
        self.value.load()
    }

    /// The value, protected by `slot` (`range`'s walk).
    #[inline(always)]
    pub(crate) fn load_into<'s>(&self, slot: &'s mut HazardSlot) -> Option<&'s V> {
        slot.protect(&self.value)
    }

    /// Replaces the value unless the entry is expunged (Go's `trySwap`).
    pub(crate) fn try_swap(&self, mut new: Arc<V>) -> Result<Option<Retired<V>>, Arc<V>> {
        loop {
            let seen = self.value.seen();
            if seen == Seen::Tombstone {
                return Err(new);
            }
            match self.value.compare_exchange(seen, Some(new)) {
                Ok(replaced) => return Ok(replaced),
                Err(back) => new = back.expect("the offered value comes back"),
            }
        }
    }

    /// Tombstone → empty: the caller (holding the lock) then puts the entry
    /// back into the dirty table. Go's `unexpungeLocked`.
    pub(crate) fn unexpunge_locked(&self) -> bool {
        self.value.compare_exchange(Seen::Tombstone, None).is_ok()
    }

    /// Replaces the value of an entry known not to be expunged (the lock is
    /// held and the entry is in the dirty table). Go's `swapLocked`.
    pub(crate) fn swap_locked(&self, new: Arc<V>) -> Option<Retired<V>> {
        self.value.swap(Some(new))
    }

    /// Go's `tryLoadOrStore`; stores a new count of `new`.
    pub(crate) fn try_load_or_store(&self, new: &Arc<V>) -> LoadOrStore<V> {
        loop {
            match self.value.seen() {
                Seen::Tombstone => return LoadOrStore::Expunged,
                Seen::Value(_) => {
                    if let Some(found) = self.value.load() {
                        return LoadOrStore::Loaded(found);
                    }
                    // Deleted (or expunged) between the two reads: again.
                }
                Seen::Empty => {
                    if self
                        .value
                        .compare_exchange(Seen::Empty, Some(Arc::clone(new)))
                        .is_ok()
                    {
                        return LoadOrStore::Stored;
                    }
                }
            }
        }
    }

    /// Empties the entry, returning the value it held (Go's `entry.delete`).
    pub(crate) fn delete(&self) -> Option<Retired<V>> {
        loop {
            let seen = self.value.seen();
            if !matches!(seen, Seen::Value(_)) {
                return None;
            }
            if let Ok(replaced) = self.value.compare_exchange(seen, None) {
                return replaced;
            }
        }
    }

    /// Replaces the value if it equals `old` (Go's `tryCompareAndSwap`).
    /// `Ok` carries the replaced value; `Err` hands `new` back.
    pub(crate) fn try_compare_and_swap(
        &self,
        old: &V,
        mut new: Arc<V>,
    ) -> Result<Retired<V>, Arc<V>>
    where
        V: PartialEq,
    {
        loop {
            let Some(current) = self.value.load() else {
                return Err(new);
            };
            if *current != *old {
                return Err(new);
            }
            // `current` keeps its address from being reused while we
            // compare-exchange against it: no ABA.
            match self
                .value
                .compare_exchange(Seen::Value(Guard::as_ptr(&current)), Some(new))
            {
                Ok(replaced) => return Ok(replaced.expect("a value was replaced")),
                Err(back) => new = back.expect("the offered value comes back"),
            }
        }
    }

    /// Empties the entry if its value equals `old` (Go's `CompareAndDelete`
    /// loop); `Some` carries the deleted value.
    pub(crate) fn compare_and_delete(&self, old: &V) -> Option<Retired<V>>
    where
        V: PartialEq,
    {
        loop {
            let current = self.value.load()?;
            if *current != *old {
                return None;
            }
            if let Ok(replaced) = self
                .value
                .compare_exchange(Seen::Value(Guard::as_ptr(&current)), None)
            {
                return replaced;
            }
        }
    }

    /// Empty → tombstone, so the caller (building a dirty table under the
    /// lock) may leave the entry out; `true` if the entry is expunged now.
    /// Go's `tryExpungeLocked`.
    pub(crate) fn try_expunge_locked(&self) -> bool {
        loop {
            match self.value.seen() {
                Seen::Tombstone => return true,
                Seen::Value(_) => return false,
                Seen::Empty => {
                    if self.value.try_tombstone() {
                        return true;
                    }
                }
            }
        }
    }
}
