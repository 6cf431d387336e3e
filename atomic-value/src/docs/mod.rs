//! Long-form documentation: how the crate works, what is proven, how it
//! differs from Go, and what it costs.

pub mod design;
pub mod go_differences;
pub mod performance;
pub mod proofs;
