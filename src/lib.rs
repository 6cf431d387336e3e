//! gosync: Go's concurrency primitives for Rust.
//!
//! This facade re-exports the family's crates as modules. Depend on a single
//! crate (`gosync-waitgroup`, `gosync-channel`, ...) when you only need one;
//! every crate is usable alone.
//!
//! | Go | gosync |
//! |----|--------|
//! | `sync.WaitGroup` | [`waitgroup::WaitGroup`] |
//! | `sync/atomic.Value` | [`atomic_value::AtomicValue`] |
//! | `sync.Map` | [`concurrent_map::Map`] |
//! | `chan`, `select`, `time.After` | [`channel::bounded`], [`channel::select!`], [`channel::after`] |
//!
//! ```
//! use gosync::waitgroup::WaitGroup;
//!
//! let wg = WaitGroup::new();
//! std::thread::scope(|s| {
//!     let guard = wg.guard();
//!     s.spawn(move || drop(guard));
//!     wg.wait();
//! });
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub use gosync_atomic_value as atomic_value;
pub use gosync_channel as channel;
pub use gosync_concurrent_map as concurrent_map;
pub use gosync_waitgroup as waitgroup;
