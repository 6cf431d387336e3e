//! Go's `sync/atomic.Value` for Rust: an [`AtomicValue<T>`] that threads
//! load and replace atomically, with loads that write no shared cache line.
//!
//! Go's `atomic.Value` is a pointer swap, and Go's garbage collector frees
//! the old value once no goroutine can see it. Rust has no collector, so the
//! hard part is knowing when no reader still holds the old value. This crate
//! answers it with hazard slots: a load publishes the value's pointer in a
//! slot of its own thread (a cache line no other thread writes), and a
//! store's reclamation pass frees only what no slot holds. On Linux the
//! store-load fence such a publication needs is moved off the read path
//! with `membarrier(2)`, so a load costs about what a plain pointer load
//! does. The scheme, its invariants and every ordering are in
//! [`docs::design`]; what is proven and how, in [`docs::proofs`].
//!
//! # Loading and storing
//!
//! ```
//! use gosync_atomic_value::AtomicValue;
//!
//! let value = AtomicValue::new(String::from("hello"));
//! assert_eq!(*value.load().unwrap(), "hello");
//!
//! value.store(String::from("world"));
//! assert_eq!(*value.load().unwrap(), "world");
//! ```
//!
//! [`load`](AtomicValue::load) returns a [`Guard`], which dereferences to
//! the value and keeps it alive even while other threads store new ones.
//! [`load_arc`](AtomicValue::load_arc) returns an `Arc` instead, for keeping
//! a value long or sending it to another thread.
//!
//! # The empty value
//!
//! Like Go's zero `atomic.Value`, an `AtomicValue` may start empty:
//!
//! ```
//! use gosync_atomic_value::AtomicValue;
//!
//! let value: AtomicValue<u64> = AtomicValue::default();
//! assert!(value.load().is_none());
//! assert_eq!(value.swap(1), None);
//! assert_eq!(value.swap(2).as_deref(), Some(&1));
//! ```
//!
//! # Compare-and-swap, by value
//!
//! [`compare_and_swap`](AtomicValue::compare_and_swap) compares with `==`,
//! as Go does, and gives the new value back when it fails:
//!
//! ```
//! use gosync_atomic_value::AtomicValue;
//!
//! let version = AtomicValue::new(1);
//! assert_eq!(version.compare_and_swap(Some(&1), 2), Ok(()));
//! assert_eq!(version.compare_and_swap(Some(&1), 3), Err(3));
//! ```
//!
//! # Hot-swapping a configuration
//!
//! The canonical use: many threads read the current configuration on every
//! request, one thread replaces it now and then.
//!
//! ```
//! use gosync_atomic_value::AtomicValue;
//! use std::sync::Arc;
//! use std::thread;
//!
//! #[derive(Debug)]
//! struct Config {
//!     version: u32,
//!     upstream: String,
//! }
//!
//! let config = Arc::new(AtomicValue::new(Config { version: 1, upstream: "a:80".into() }));
//! let readers: Vec<_> = (0..4)
//!     .map(|_| {
//!         let config = Arc::clone(&config);
//!         thread::spawn(move || {
//!             for _ in 0..1000 {
//!                 let current = config.load().unwrap();
//!                 assert!(!current.upstream.is_empty());
//!             }
//!         })
//!     })
//!     .collect();
//! config.store(Config { version: 2, upstream: "b:80".into() });
//! for reader in readers {
//!     reader.join().unwrap();
//! }
//! assert_eq!(config.load().unwrap().version, 2);
//! ```
//!
//! # When old values are dropped
//!
//! Every stored value is dropped exactly once, never while a guard or `Arc`
//! still refers to it, and nothing is left behind once the `AtomicValue`
//! and every guard and `Arc` are gone. Replaced values do not linger: once
//! the last guard or `Arc` to one is gone it is dropped within 10 ms (about
//! 2–3 ms measured), even if the `AtomicValue` is never used again. On
//! Linux, stores free replaced values in batches (a store after a quiet
//! spell of ≈4 ms frees what it replaced at once; a burst of stores leaves
//! the rest to a pass), and what a store leaves, the process-wide
//! `gosync-reclaimer` thread frees on its next round, every 2 ms while
//! anything waits (it sleeps otherwise).
//! [`AtomicValue::reclaim`] frees everything unguarded at once. The details
//! are in [`docs::design`]; how this compares with Go, in
//! [`docs::go_differences`].
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod cell;
pub mod docs;
mod fence;
mod guard;
mod hazard_slot;
mod husk;
mod raw_value;
mod reader;
mod reclaim;
mod reclaimer;
mod registry;
mod sync;
#[cfg(gosync_bench)]
mod unpadded;
mod value;

pub use guard::Guard;
pub use reader::Reader;

/// The parts [`AtomicValue`] is made of, for data structures that keep many
/// hazard-protected values on the same reclamation (gosync-concurrent-map
/// keeps one [`ArcCell`](raw::ArcCell) per entry and one
/// [`RetiredList`](raw::RetiredList) per map).
///
/// An `AtomicValue` is an `ArcCell` plus a `RetiredList` on a padded cache
/// line; the cell's loads are the same code. [`docs::design`] explains the
/// scheme.
pub mod raw {
    pub use crate::cell::{ArcCell, Retired, Seen};
    pub use crate::hazard_slot::HazardSlot;
    pub use crate::reclaim::RetiredList;
    /// One round of the reclaimer thread, run by the caller: loom builds only,
    /// where the thread does not exist (see `tests/loom_no_linger.rs`).
    #[cfg(gosync_loom)]
    #[doc(hidden)]
    pub use crate::reclaimer::run_round as run_reclaimer_round;
}
#[cfg(gosync_bench)]
#[doc(hidden)]
pub use unpadded::UnpaddedAtomicValue;
pub use value::AtomicValue;

/// Whether this process uses the asymmetric fences (`membarrier(2)`) rather
/// than a `SeqCst` fence on every load. Decided on first use. For tests and
/// benchmark reports; not part of the supported API.
///
/// ```
/// let mode = if gosync_atomic_value::uses_asymmetric_fences() { "membarrier" } else { "SeqCst" };
/// println!("loads use {mode} fences");
/// ```
#[doc(hidden)]
pub fn uses_asymmetric_fences() -> bool {
    fence::is_asymmetric()
}
