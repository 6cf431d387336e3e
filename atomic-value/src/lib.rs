//! Go's sync/atomic.Value for Rust: a cache-line padded AtomicValue with contention-free loads and exact reclamation.
//!
//! **Not yet implemented.** This crate reserves its place in the gosync
//! workspace. Its public API (`AtomicValue<T>`) is pinned in the project's API
//! contract and arrives with its own issue; until then it exports nothing.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
