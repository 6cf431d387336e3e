//! Long-form documentation (no code): how the channels are built, what
//! the loom models prove, where they differ from Go, and what they cost.
//!
//! * [`design`]: the flavors, parking, close and select.
//! * [`proofs`]: the Go memory-model rules and the loom model of each.
//! * [`go_differences`]: what a Go programmer should know.
//! * [`performance`]: measured numbers against Go and the Rust peers.

pub mod design;
pub mod go_differences;
pub mod performance;
pub mod proofs;
