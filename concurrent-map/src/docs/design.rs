//! # Design
//!
//! The map is Go's classic `sync.Map` (Go 1.9 to 1.23; Go 1.24 replaced it
//! with a hash-trie), with gosync-atomic-value's hazard slots where Go has
//! a garbage collector.
//!
//! ## The parts
//!
//! ```text
//!  read side (own cache line)          write side (own cache line)
//!  ┌──────────────────────────┐        ┌──────────────────────────────┐
//!  │ snapshot: ArcCell ───────┼──┐     │ lock: Mutex<{ misses, dirty }>│
//!  │ hasher                   │  │     │ retired snapshots             │
//!  └──────────────────────────┘  │     └──────────────────────────────┘
//!                                ▼               │ dirty table (Option)
//!                 Snapshot { table, amended }    ▼
//!                   table: key → Arc<Entry> ◄── shared ──► key → Arc<Entry>
//!                                   │
//!                                   ▼
//!                  Entry { hash, key, value: ArcCell<V> }
//! ```
//!
//! * The **snapshot** (Go's `readOnly`) is a hash table published through
//!   one atomic pointer. Its set of keys never changes; it is replaced as a
//!   whole. Every operation starts by reading it, without a lock.
//! * The **dirty table** (Go's `dirty`), under the mutex, has every live key
//!   of the snapshot plus the keys stored since. It does not exist (Go's
//!   nil map) right after a promotion, until the next new key.
//! * **`amended`** says that the dirty table has keys the snapshot lacks: a
//!   lookup that misses the snapshot takes the lock only then.
//! * An **entry** holds one key's value cell, shared by both tables, so a
//!   store through either is seen through both. The cell has three states:
//!   a value, *empty* (deleted) and the *tombstone* (Go's `expunged`:
//!   deleted and left out of the dirty table). See [`crate::docs::when_to_use`]
//!   for what each operation costs.
//!
//! ## Operations
//!
//! * `load`: hash the key; look it up in the snapshot; load the entry's
//!   value. Only when the key is missing *and* `amended` is set: lock, look
//!   again in the current snapshot and in the dirty table, count a *miss*.
//! * `store`/`swap`/`compare_and_swap`/`delete` of a key the snapshot has:
//!   a compare-exchange on the entry's cell, no lock. A tombstoned entry
//!   refuses it (its key is missing from the dirty table, so the store
//!   would be lost at the next promotion); the store then takes the lock,
//!   turns the tombstone back into *empty* and puts the entry back into the
//!   dirty table.
//! * A **new key** takes the lock. If there is no dirty table, it is built
//!   by copying the snapshot's entries (one `Arc` each; no key is cloned or
//!   rehashed, the hash is stored in the entry) and tombstoning the empty
//!   ones, which are left out. Then the entry goes into the dirty table and
//!   `amended` is set.
//! * **Promotion**: when the misses reach the dirty table's length (the
//!   locked lookups have cost as much as a copy would), the dirty table
//!   becomes the new snapshot. O(1): the table moves into a new snapshot
//!   allocation; nothing is copied. `range` also promotes first when
//!   `amended` is set, so that it walks every key.
//! * `range` protects the current snapshot and walks its table with no lock
//!   held, loading each entry's value.
//! * `clear` publishes an empty snapshot and drops the dirty table.
//!
//! ## Memory
//!
//! The snapshot pointer and every entry's cell are gosync-atomic-value
//! [`ArcCell`](gosync_atomic_value::raw::ArcCell)s: a load publishes the
//! pointer it read in one of the thread's hazard slots and re-reads the
//! cell to validate it. A lock-free operation holds the snapshot in one
//! slot while it looks the key up, and a loaded value in another, which
//! the returned [`Guard`](crate::Guard) keeps.
//!
//! A replaced snapshot goes to the map's retired-snapshot list, a replaced
//! or deleted value to its retired-value list. A reclamation pass (batched,
//! see gosync-atomic-value's design notes; [`Map::reclaim`](crate::Map::reclaim)
//! forces one; what stores leave, the reclaimer thread's 2 ms rounds free,
//! so nothing waits for a next write) frees what no hazard slot holds. Freeing a snapshot drops its
//! `Arc`s to entries; an entry in neither a live snapshot nor the dirty
//! table is freed with it, and its value with it, unless a guard still
//! holds the value, which the guard then frees.
//!
//! Entries deleted from the map do not stay forever (Go issue #40999): a
//! deleted entry is tombstoned, and left out, the next time a dirty table
//! is built, and disappears at the promotion after that, when the snapshot
//! that still had it is reclaimed.
//!
//! ## Locking and user code
//!
//! The lock is held only for table lookups and inserts. User code that runs
//! under it is the key's `Eq` (looking up the dirty table) and the value's
//! `PartialEq` (a `compare_and_swap` of a key only the dirty table has),
//! both before anything is changed. `Hash` runs before the lock is taken;
//! keys, values, entries and snapshots are dropped after it is released.
//! So a panic in any of them leaves the map consistent, and the lock's
//! poison flag is ignored.
