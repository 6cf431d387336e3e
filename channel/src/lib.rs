//! Go's channels for Rust: bounded, unbuffered and unbounded channels with close, select! and timers.
//!
//! **Not yet implemented.** This crate reserves its place in the gosync
//! workspace. Its public API (`bounded`, `unbounded`, `Sender`, `Receiver`, `select!`) is pinned in the project's API
//! contract and arrives with its own issue; until then it exports nothing.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
