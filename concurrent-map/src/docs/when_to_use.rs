//! # When to use this map, and when not
//!
//! Go's documentation says `sync.Map` is for two cases: a key written once
//! and read many times (caches that only grow), and goroutines reading,
//! writing and overwriting *disjoint* sets of keys. Both hold here. In
//! those cases a load is a lock-free lookup that writes no shared memory,
//! so readers on any number of cores do not slow each other down.
//!
//! ## What each operation costs
//!
//! | operation | key in the snapshot | key only in the dirty table | key absent |
//! |-----------|---------------------|-----------------------------|------------|
//! | `load` | lock-free | lock, a miss | lock-free if nothing is amended; else lock, a miss |
//! | `store`, `swap` | lock-free CAS (lock if tombstoned) | lock | lock (and maybe an O(n) dirty-table build) |
//! | `load_or_store` | lock-free | lock, a miss | lock |
//! | `compare_and_swap`, `compare_and_delete` | lock-free | lock, a miss | lock-free if nothing is amended |
//! | `delete`, `load_and_delete` | lock-free | lock, a miss | as `load` |
//! | `range` | lock-free walk; O(1) promotion first if amended | | |
//!
//! Every write allocates the value's `Arc`; replaced values are freed in
//! batches.
//!
//! ## Go's known weak spots, and what this crate does
//!
//! * **Misses go through the mutex until promotion** (golang/go#21032).
//!   Loads of keys added since the last promotion take the lock until
//!   enough of them have missed; a workload that keeps adding keys while
//!   reading new ones serialises on the lock. Kept: it is the design. The
//!   promotion itself is O(1) here (the table moves), and a miss on a key
//!   that exists nowhere takes no lock when nothing is amended, as in Go.
//! * **Store contention on new keys** (golang/go#21035). Every new key
//!   takes the lock, and the first new key after a promotion copies the
//!   snapshot into a new dirty table: O(n) `Arc` clones (no key clones and
//!   no rehashing: each entry carries its hash). A map that mostly inserts
//!   fresh keys is the wrong tool: use a sharded or lock-free hash map.
//! * **`Range` allocation** (golang/go#62404). `range` allocates nothing:
//!   it walks the snapshot's table in place. When keys were added since the
//!   last promotion it promotes first, which allocates one small snapshot
//!   header (the table moves, it is not copied).
//! * **Deleted keys kept forever** (golang/go#40999): see
//!   [`design`](crate::docs::design#memory).
//!
//! ## When not to use it
//!
//! * Write-heavy or insert-heavy maps: every new key takes one lock.
//! * Iteration that must see one consistent state of the whole map: `range`
//!   sees each key's value from some moment during the call, not one
//!   snapshot of all values.
//! * When `K` or `V` is not `Send + Sync + 'static`: replaced values may be
//!   dropped on another thread, later.
