//! Go's sync/atomic.Value for Rust
//!
//! **Not yet implemented.** This crate reserves its place in the gosync
//! workspace; its public API ( a cache-line padded AtomicValue with contention-free loads and exact reclamation.:AtomicValue<T>) is pinned in the project's API contract
//! and arrives with its own issue. Until then it exports nothing.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
