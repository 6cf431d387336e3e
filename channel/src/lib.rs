//! Go's channels for Rust
//!
//! **Not yet implemented.** This crate reserves its place in the gosync
//! workspace; its public API ( bounded, unbuffered and unbounded channels with close, select! and timers.:Sender / Receiver / select!) is pinned in the project's API contract
//! and arrives with its own issue. Until then it exports nothing.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]
