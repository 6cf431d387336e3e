//! The algorithm: Go's classic (≤ 1.23) `sync.Map`, generic over the
//! [`Layout`] of its field groups so the false-sharing benchmark can run
//! the same code unpadded.
//!
//! # Invariants
//!
//! 1. `snapshot` always holds a [`Snapshot`]. It is replaced only under
//!    the lock (promotion, `clear`), and a replaced snapshot is retired, so
//!    a lock holder may read the current one without protecting it.
//! 2. While `dirty.table` is `Some`, it holds every key of the current
//!    snapshot whose entry is not expunged, plus the keys added since the
//!    snapshot was published; then `snapshot.amended()` says whether there
//!    are any of the latter. While it is `None`, no key is missing from the
//!    snapshot and no entry is expunged.
//! 3. An expunged entry (tombstone) is in no dirty table; it leaves that
//!    state only under the lock, by being put back into the dirty table.
//! 4. User code runs under the lock only in `Eq` and `PartialEq`, before
//!    the locked code changes anything. Keys, values, entries and
//!    snapshots are dropped and retired after the lock is released.
//!
//! # Why a reader never uses freed memory
//!
//! A lock-free operation protects the current snapshot with a hazard slot
//! (gosync-atomic-value), which keeps it and (through its `Arc`s) its
//! entries alive; a value it loads from an entry is protected by a second
//! slot, validated against the entry's cell, before the snapshot's slot is
//! released. The locked paths either work under the lock or clone the
//! entry's `Arc` there. So every entry is dropped only after every
//! protection of its value has happened-before the drop (through the
//! snapshot's reclamation pass or the `Arc` count), which is what
//! `ArcCell`'s drop needs to free or orphan the value without a fence.
//!
//! # Orderings
//!
//! The snapshot pointer and every entry cell are SeqCst (gosync-atomic-value).
//! `amended` is SeqCst (see [`Snapshot::amended`]). The misses counter and
//! the dirty table live under the lock.

use gosync_atomic_value::raw::{ArcCell, HazardSlot, Retired, RetiredList, Seen};
use gosync_atomic_value::Guard;
use std::borrow::Borrow;
use std::hash::{BuildHasher, Hash};

use crate::entry::{Entry, LoadOrStore};
use crate::layout::Layout;
use crate::retired::RetiredValues;
use crate::snapshot::{find, insert_new, Snapshot, Table};
use crate::sync::{lock, Arc, Mutex, MutexGuard};

#[repr(C)]
pub(crate) struct RawMap<K: Send + Sync + 'static, V: Send + Sync + 'static, S, L: Layout> {
    read: L::Block<ReadSide<K, V, S>>,
    write: L::Block<WriteSide<K, V>>,
    retired: RetiredValues<V>,
}

/// What every operation reads.
#[repr(C)]
struct ReadSide<K: Send + Sync + 'static, V: Send + Sync + 'static, S> {
    snapshot: ArcCell<Snapshot<K, V>>,
    hasher: S,
}

/// What misses and new keys write.
#[repr(C)]
struct WriteSide<K: Send + Sync + 'static, V: Send + Sync + 'static> {
    locked: Mutex<Dirty<K, V>>,
    /// Replaced snapshots, until no reader protects them.
    snapshots: RetiredList<Snapshot<K, V>>,
}

#[repr(C)]
struct Dirty<K: Send + Sync + 'static, V: Send + Sync + 'static> {
    /// Go's `misses`: locked lookups since the last promotion.
    misses: usize,
    /// Go's `dirty` (`None` is Go's nil map).
    table: Option<Table<K, V>>,
}

type Locked<'a, K, V> = MutexGuard<'a, Dirty<K, V>>;

/// What a locked section leaves to be disposed of after the lock is
/// released (invariant 4).
struct Leftovers<K: Send + Sync + 'static, V: Send + Sync + 'static> {
    snapshot: Option<Retired<Snapshot<K, V>>>,
    key: Option<K>,
}

impl<K: Send + Sync + 'static, V: Send + Sync + 'static> Default for Leftovers<K, V> {
    fn default() -> Self {
        Self {
            snapshot: None,
            key: None,
        }
    }
}

impl<K, V, S, L> RawMap<K, V, S, L>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
    S: BuildHasher,
    L: Layout,
{
    pub(crate) fn with_hasher(hasher: S) -> Self {
        Self {
            read: L::block(ReadSide {
                snapshot: ArcCell::new(Some(Arc::new(Snapshot::new(Table::new())))),
                hasher,
            }),
            write: L::block(WriteSide {
                locked: Mutex::new(Dirty {
                    misses: 0,
                    table: None,
                }),
                snapshots: RetiredList::new(),
            }),
            retired: RetiredValues::new(),
        }
    }

    pub(crate) fn hasher(&self) -> &S {
        &self.read.hasher
    }

    #[inline(always)]
    fn hash<Q: ?Sized + Hash>(&self, key: &Q) -> u64 {
        self.read.hasher.hash_one(key)
    }

    /// The current snapshot, protected by a hazard slot.
    #[inline(always)]
    fn snapshot(&self) -> Guard<Snapshot<K, V>> {
        self.read
            .snapshot
            .load()
            .expect("the map always holds a snapshot")
    }

    /// The current snapshot, read under the lock without protection.
    ///
    /// The borrow checker ties the result to `self`, not to the lock (the
    /// locked code needs the guard mutably too): every caller stops using
    /// it before it calls [`Self::unlock`].
    fn snapshot_locked(&self, _locked: &Locked<'_, K, V>) -> &Snapshot<K, V> {
        match self.read.snapshot.seen() {
            // SAFETY: only lock holders replace the snapshot (invariant 1),
            // and the caller holds the lock for as long as it uses the
            // result; a snapshot is freed only after it is replaced.
            Seen::Value(snapshot) => unsafe { &*snapshot },
            _ => unreachable!("the map always holds a snapshot"),
        }
    }

    /// Releases the lock, then disposes of what the locked section left.
    fn unlock(&self, locked: Locked<'_, K, V>, leftovers: Leftovers<K, V>) {
        drop(locked);
        if let Some(snapshot) = leftovers.snapshot {
            self.write.snapshots.retire(snapshot);
        }
        drop(leftovers.key);
    }

    /// Retires a replaced value; with `keep`, first hands the caller a
    /// guard for it (a hazard slot, no reference count).
    fn retire_value(&self, replaced: Option<Retired<V>>, keep: bool) -> Option<Guard<V>> {
        let replaced = replaced?;
        let previous = keep.then(|| replaced.guard());
        self.retired.retire(replaced);
        previous
    }

    /// Go's `missLocked`: counts a locked lookup and promotes the dirty
    /// table once the misses have paid for copying it.
    fn miss_locked(&self, dirty: &mut Dirty<K, V>) -> Option<Retired<Snapshot<K, V>>> {
        dirty.misses += 1;
        let len = dirty.table.as_ref().map_or(0, |table| table.len());
        if dirty.misses < len {
            return None;
        }
        self.promote_locked(dirty)
    }

    /// Publishes the dirty table as the new snapshot: O(1), the table moves.
    fn promote_locked(&self, dirty: &mut Dirty<K, V>) -> Option<Retired<Snapshot<K, V>>> {
        dirty.misses = 0;
        let table = dirty.table.take()?;
        self.read
            .snapshot
            .swap(Some(Arc::new(Snapshot::new(table))))
    }

    /// Go's `dirtyLocked`: makes sure the dirty table exists, building it
    /// from the snapshot and leaving expunged entries out.
    fn dirty_table_locked<'d>(
        dirty: &'d mut Dirty<K, V>,
        snapshot: &Snapshot<K, V>,
    ) -> &'d mut Table<K, V> {
        dirty.table.get_or_insert_with(|| {
            let mut table = Table::with_capacity(snapshot.table.len());
            for entry in snapshot.table.iter() {
                if !entry.try_expunge_locked() {
                    insert_new(&mut table, Arc::clone(entry));
                }
            }
            table
        })
    }

    /// Adds a key that neither table has (the lock is held).
    fn insert_locked(
        &self,
        dirty: &mut Dirty<K, V>,
        snapshot: &Snapshot<K, V>,
        entry: Entry<K, V>,
    ) {
        let first_new_key = !snapshot.amended();
        let table = Self::dirty_table_locked(dirty, snapshot);
        insert_new(table, Arc::new(entry));
        if first_new_key {
            snapshot.set_amended();
        }
    }

    #[inline]
    pub(crate) fn load<Q>(&self, key: &Q) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let hash = self.hash(key);
        let snapshot = self.snapshot();
        if let Some(entry) = find(&snapshot.table, hash, key) {
            return entry.load();
        }
        if !snapshot.amended() {
            return None;
        }
        drop(snapshot);
        self.load_locked(hash, key)
    }

    #[inline(never)]
    fn load_locked<Q>(&self, hash: u64, key: &Q) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let mut locked = lock(&self.write.locked);
        let mut leftovers = Leftovers::default();
        let snapshot = self.snapshot_locked(&locked);
        let found = if let Some(entry) = find(&snapshot.table, hash, key) {
            entry.load()
        } else if snapshot.amended() {
            let found = locked
                .table
                .as_ref()
                .and_then(|table| find(table, hash, key))
                .and_then(|entry| entry.load());
            leftovers.snapshot = self.miss_locked(&mut locked);
            found
        } else {
            None
        };
        self.unlock(locked, leftovers);
        found
    }

    /// Go's `Swap` (and `Store`, which ignores the result): with `keep`, an
    /// owned guard of the replaced value.
    pub(crate) fn swap(&self, key: K, value: V, keep: bool) -> Option<Guard<V>> {
        let hash = self.hash(&key);
        let mut new = self.retired.new_arc(value);
        {
            let snapshot = self.snapshot();
            if let Some(entry) = find(&snapshot.table, hash, &key) {
                match entry.try_swap(new) {
                    Ok(replaced) => {
                        drop(snapshot);
                        return self.retire_value(replaced, keep);
                    }
                    Err(back) => new = back,
                }
            }
        }
        self.swap_locked(hash, key, new, keep)
    }

    fn swap_locked(&self, hash: u64, key: K, new: Arc<V>, keep: bool) -> Option<Guard<V>> {
        let mut locked = lock(&self.write.locked);
        let mut leftovers = Leftovers::default();
        let snapshot = self.snapshot_locked(&locked);
        let replaced = if let Some(entry) = find(&snapshot.table, hash, &key) {
            if entry.unexpunge_locked() {
                // Expunged means a dirty table exists and lacks the key
                // (invariants 2, 3).
                insert_new(
                    Self::dirty_table_locked(&mut locked, snapshot),
                    Arc::clone(entry),
                );
            }
            leftovers.key = Some(key);
            entry.swap_locked(new)
        } else if let Some(entry) = locked.table.as_ref().and_then(|t| find(t, hash, &key)) {
            let replaced = entry.swap_locked(new);
            leftovers.key = Some(key);
            replaced
        } else {
            self.insert_locked(&mut locked, snapshot, Entry::new(hash, key, new));
            None
        };
        self.unlock(locked, leftovers);
        self.retire_value(replaced, keep)
    }

    pub(crate) fn load_or_store(&self, key: K, value: V) -> (Guard<V>, bool) {
        let hash = self.hash(&key);
        let new = Arc::new(value);
        {
            let snapshot = self.snapshot();
            if let Some(entry) = find(&snapshot.table, hash, &key) {
                if let Some(found) = entry.load() {
                    return (found, true);
                }
                match entry.try_load_or_store(&new) {
                    LoadOrStore::Loaded(found) => return (found, true),
                    LoadOrStore::Stored => return (Guard::from(new), false),
                    LoadOrStore::Expunged => {}
                }
            }
        }
        self.load_or_store_locked(hash, key, new)
    }

    fn load_or_store_locked(&self, hash: u64, key: K, new: Arc<V>) -> (Guard<V>, bool) {
        let mut locked = lock(&self.write.locked);
        let mut leftovers = Leftovers::default();
        let snapshot = self.snapshot_locked(&locked);
        let outcome = if let Some(entry) = find(&snapshot.table, hash, &key) {
            if entry.unexpunge_locked() {
                insert_new(
                    Self::dirty_table_locked(&mut locked, snapshot),
                    Arc::clone(entry),
                );
            }
            leftovers.key = Some(key);
            entry.try_load_or_store(&new)
        } else if let Some(entry) = locked.table.as_ref().and_then(|t| find(t, hash, &key)) {
            let outcome = entry.try_load_or_store(&new);
            leftovers.key = Some(key);
            leftovers.snapshot = self.miss_locked(&mut locked);
            outcome
        } else {
            self.insert_locked(
                &mut locked,
                snapshot,
                Entry::new(hash, key, Arc::clone(&new)),
            );
            LoadOrStore::Stored
        };
        self.unlock(locked, leftovers);
        match outcome {
            LoadOrStore::Loaded(found) => (found, true),
            LoadOrStore::Stored => (Guard::from(new), false),
            LoadOrStore::Expunged => unreachable!("unexpunged under the lock"),
        }
    }

    /// Go's `LoadAndDelete` (and `Delete`): with `keep`, an owned guard of
    /// the deleted value.
    pub(crate) fn load_and_delete<Q>(&self, key: &Q, keep: bool) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let hash = self.hash(key);
        {
            let snapshot = self.snapshot();
            if let Some(entry) = find(&snapshot.table, hash, key) {
                let deleted = entry.delete();
                drop(snapshot);
                return self.retire_value(deleted, keep);
            }
            if !snapshot.amended() {
                return None;
            }
        }
        let entry = self.entry_locked(hash, key, true)?;
        self.retire_value(entry.delete(), keep)
    }

    /// The locked half of a lookup that may delete: the key's entry from
    /// the snapshot or from the dirty table (counting a miss), with an
    /// `Arc` so it can be used after the lock is released. With `remove`,
    /// a dirty-only entry also leaves the dirty table (Go's
    /// `LoadAndDelete`).
    fn entry_locked<Q>(&self, hash: u64, key: &Q, remove: bool) -> Option<Arc<Entry<K, V>>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let mut locked = lock(&self.write.locked);
        let mut leftovers = Leftovers::default();
        let snapshot = self.snapshot_locked(&locked);
        let entry = if let Some(entry) = find(&snapshot.table, hash, key) {
            Some(Arc::clone(entry))
        } else if snapshot.amended() {
            let entry = match locked.table.as_mut() {
                Some(table) if remove => table
                    .find_entry(hash, |entry| {
                        entry.hash == hash && entry.key.borrow() == key
                    })
                    .ok()
                    .map(|occupied| occupied.remove().0),
                Some(table) => find(table, hash, key).cloned(),
                None => None,
            };
            // Go counts the miss whether or not the key was there.
            leftovers.snapshot = self.miss_locked(&mut locked);
            entry
        } else {
            None
        };
        self.unlock(locked, leftovers);
        entry
    }

    pub(crate) fn compare_and_swap<Q>(&self, key: &Q, old: &V, new: V) -> Result<(), V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
        V: PartialEq,
    {
        let hash = self.hash(key);
        let new = self.retired.new_arc(new);
        {
            let snapshot = self.snapshot();
            if let Some(entry) = find(&snapshot.table, hash, key) {
                return match entry.try_compare_and_swap(old, new) {
                    Ok(replaced) => {
                        drop(snapshot);
                        self.retired.retire(replaced);
                        Ok(())
                    }
                    Err(back) => Err(unshared(back)),
                };
            }
            if !snapshot.amended() {
                return Err(unshared(new));
            }
        }
        self.compare_and_swap_locked(hash, key, old, new)
    }

    fn compare_and_swap_locked<Q>(&self, hash: u64, key: &Q, old: &V, new: Arc<V>) -> Result<(), V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
        V: PartialEq,
    {
        let mut locked = lock(&self.write.locked);
        let mut leftovers = Leftovers::default();
        let snapshot = self.snapshot_locked(&locked);
        // `PartialEq` runs under the lock, before anything changes
        // (invariant 4): a panic in it leaves the map as it was.
        let outcome = if let Some(entry) = find(&snapshot.table, hash, key) {
            entry.try_compare_and_swap(old, new)
        } else if let Some(entry) = locked.table.as_ref().and_then(|t| find(t, hash, key)) {
            let outcome = entry.try_compare_and_swap(old, new);
            leftovers.snapshot = self.miss_locked(&mut locked);
            outcome
        } else {
            Err(new)
        };
        self.unlock(locked, leftovers);
        match outcome {
            Ok(replaced) => {
                self.retired.retire(replaced);
                Ok(())
            }
            Err(back) => Err(unshared(back)),
        }
    }

    pub(crate) fn compare_and_delete<Q>(&self, key: &Q, old: &V) -> bool
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
        V: PartialEq,
    {
        let hash = self.hash(key);
        let deleted = {
            let snapshot = self.snapshot();
            if let Some(entry) = find(&snapshot.table, hash, key) {
                entry.compare_and_delete(old)
            } else if !snapshot.amended() {
                return false;
            } else {
                drop(snapshot);
                match self.entry_locked(hash, key, false) {
                    Some(entry) => entry.compare_and_delete(old),
                    None => return false,
                }
            }
        };
        // `Entry::compare_and_delete` returns `Some` exactly when it deleted.
        let was_deleted = deleted.is_some();
        self.retire_value(deleted, false);
        was_deleted
    }

    pub(crate) fn range<F: FnMut(&K, &V) -> bool>(&self, mut f: F) {
        let mut snapshot = self.snapshot();
        if snapshot.amended() {
            drop(snapshot);
            let mut locked = lock(&self.write.locked);
            let leftovers = Leftovers {
                snapshot: if self.snapshot_locked(&locked).amended() {
                    self.promote_locked(&mut locked)
                } else {
                    None
                },
                ..Leftovers::default()
            };
            self.unlock(locked, leftovers);
            // Whatever snapshot is current now has every key stored before
            // this call that has not been deleted since.
            snapshot = self.snapshot();
        }
        // No lock is held: `f` may call any method of the map. The
        // snapshot's table is fixed, so no key comes twice. One hazard slot
        // protects each value in turn while `f` looks at it.
        let mut slot = HazardSlot::new();
        for entry in snapshot.table.iter() {
            if let Some(value) = entry.load_into(&mut slot) {
                if !f(&entry.key, value) {
                    break;
                }
            }
        }
    }

    pub(crate) fn clear(&self) {
        {
            let snapshot = self.snapshot();
            if snapshot.table.is_empty() && !snapshot.amended() {
                return;
            }
        }
        let mut locked = lock(&self.write.locked);
        let snapshot = self.snapshot_locked(&locked);
        let old = if !snapshot.table.is_empty() || snapshot.amended() {
            self.read
                .snapshot
                .swap(Some(Arc::new(Snapshot::new(Table::new()))))
        } else {
            None
        };
        let dirty = locked.table.take();
        locked.misses = 0;
        self.unlock(
            locked,
            Leftovers {
                snapshot: old,
                ..Leftovers::default()
            },
        );
        drop(dirty);
    }

    /// Frees every replaced value and snapshot no guard holds now.
    pub(crate) fn reclaim(&self) {
        self.write.snapshots.reclaim();
        self.retired.reclaim();
    }
}

/// A value of ours that was offered but never published: its only count.
fn unshared<V>(arc: Arc<V>) -> V {
    match Arc::try_unwrap(arc) {
        Ok(value) => value,
        Err(_) => unreachable!("an unpublished value has one owner"),
    }
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use super::*;
    use crate::layout::{Padded, Unpadded};
    use std::hash::RandomState;
    use std::mem::{align_of, offset_of, size_of};

    type Shipped = RawMap<u64, u64, RandomState, Padded>;
    type Packed = RawMap<u64, u64, RandomState, Unpadded>;

    #[test]
    fn shipped_layout_keeps_the_read_side_alone_on_its_block() {
        assert_eq!(align_of::<Shipped>(), 128);
        assert_eq!(offset_of!(Shipped, read), 0);
        assert_eq!(offset_of!(Shipped, write), 128);
        // The read side (snapshot pointer and hasher) fits its block, so no
        // written field shares its 128 bytes.
        assert!(size_of::<ReadSide<u64, u64, RandomState>>() <= 128);
        assert!(offset_of!(Shipped, retired) >= 256);
        assert_eq!(offset_of!(Shipped, retired) % 128, 0);
    }

    #[test]
    fn unpadded_layout_puts_the_snapshot_pointer_and_misses_on_one_line() {
        type Read = ReadSide<u64, u64, RandomState>;
        let snapshot = offset_of!(Packed, read) + offset_of!(Read, snapshot);
        let write = offset_of!(Packed, write);
        // The lock follows the read side directly; `misses` is the first
        // field of the data it guards, after the lock's state word (std's
        // futex mutex: a few bytes). So both start within the 64-byte line
        // of the snapshot pointer.
        assert_eq!(snapshot, 0);
        assert!(write + 16 <= 64, "the lock starts at byte {write}");
    }
}
