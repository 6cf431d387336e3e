//! Go's `sync.Map` for Rust: the read-mostly / dirty-split concurrent map,
//! with lock-free reads.
//!
//! [`Map`] is Go's classic `sync.Map` design (Go 1.9 to 1.23): an
//! atomically published, read-only *snapshot* that every operation reads
//! without a lock, and a mutex-protected *dirty* table that takes new keys
//! and is promoted to the snapshot once enough lookups have missed it.
//! Values live in per-key cells that stores update with a compare-exchange,
//! so a key that is in the snapshot is loaded, stored, swapped and deleted
//! without ever taking the lock. Memory is reclaimed with
//! [gosync-atomic-value]'s hazard slots, which is what makes lock-free
//! reads safe without a garbage collector.
//!
//! # Loading and storing
//!
//! ```
//! use gosync_concurrent_map::Map;
//!
//! let map = Map::new();
//! map.store("gopher", 10);
//!
//! // A load returns a guard: it derefs to the value and keeps it alive.
//! let guard = map.load("gopher").unwrap();
//! map.store("gopher", 11);
//! assert_eq!(*guard, 10); // the old value, still valid
//! assert_eq!(*map.load("gopher").unwrap(), 11);
//! ```
//!
//! # Many readers, few writers
//!
//! The map is `Send + Sync`; share it with an `Arc` or scoped threads.
//!
//! ```
//! use gosync_concurrent_map::Map;
//!
//! let config = Map::new();
//! config.store("timeout_ms", 250);
//! std::thread::scope(|s| {
//!     for _ in 0..4 {
//!         s.spawn(|| {
//!             for _ in 0..1000 {
//!                 let timeout = config.load("timeout_ms").unwrap();
//!                 assert!(*timeout == 250 || *timeout == 500);
//!             }
//!         });
//!     }
//!     config.store("timeout_ms", 500);
//! });
//! ```
//!
//! # Atomic read-modify-write
//!
//! `load_or_store`, `swap`, `compare_and_swap` and `compare_and_delete` are
//! atomic per key, as in Go:
//!
//! ```
//! use gosync_concurrent_map::Map;
//!
//! let counters: Map<&str, u64> = Map::new();
//! counters.load_or_store("requests", 0);
//! std::thread::scope(|s| {
//!     for _ in 0..2 {
//!         s.spawn(|| {
//!             for _ in 0..100 {
//!                 loop {
//!                     let now = *counters.load("requests").unwrap();
//!                     if counters.compare_and_swap("requests", &now, now + 1).is_ok() {
//!                         break;
//!                     }
//!                 }
//!             }
//!         });
//!     }
//! });
//! assert_eq!(*counters.load("requests").unwrap(), 200);
//! ```
//!
//! # Walking the map
//!
//! `range` holds no lock while it calls you, so the closure may use the
//! map (Go allows this; a sharded map's iterator would deadlock):
//!
//! ```
//! use gosync_concurrent_map::Map;
//!
//! let sessions = Map::new();
//! for id in 0..8 {
//!     sessions.store(id, id % 2 == 0);
//! }
//! sessions.range(|id, expired| {
//!     if *expired {
//!         sessions.delete(id);
//!     }
//!     true
//! });
//! let mut left = 0;
//! sessions.range(|_, _| {
//!     left += 1;
//!     true
//! });
//! assert_eq!(left, 4);
//! ```
//!
//! # The memory model
//!
//! As in Go, a write happens-before any read that observes it: a `store`,
//! `swap`, `load_or_store` that stored, successful `compare_and_swap`,
//! `delete`, `load_and_delete`, successful `compare_and_delete` and `clear`
//! each happen-before a `load`, `load_or_store`, `load_and_delete`,
//! `range` or compare that observes their effect. [`docs::proofs`] lists
//! the loom model behind each edge.
//!
//! # Further reading
//!
//! * [`docs::design`]: the snapshot, the dirty table, entries and their
//!   three states, promotion, reclamation.
//! * [`docs::when_to_use`]: which workloads it is for, and Go's known
//!   weak spots (and what this crate does about them).
//! * [`docs::go_differences`]: where it differs from Go's `sync.Map`.
//! * [`docs::performance`]: the numbers.
//!
//! [gosync-atomic-value]: gosync_atomic_value
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod docs;
mod entry;
mod layout;
mod map;
mod raw_map;
mod retired;
mod snapshot;
mod sync;
#[cfg(gosync_bench)]
mod unpadded;

pub use gosync_atomic_value::Guard;
pub use map::Map;
#[cfg(gosync_bench)]
#[doc(hidden)]
pub use unpadded::UnpaddedMap;
