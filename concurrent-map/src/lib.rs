//! Go's sync.Map for Rust: the read-mostly / dirty-split concurrent map with lock-free reads.
//!
//! **Not yet implemented.** This crate reserves its place in the gosync
//! workspace. Its public API (`Map<K, V>`) is pinned in the project's API
//! contract and arrives with its own issue; until then it exports nothing.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
