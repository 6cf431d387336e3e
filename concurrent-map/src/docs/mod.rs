//! Long-form documentation: design, proofs, when to use the map, how it
//! differs from Go, and its performance. Prose only; no code lives here.

pub mod design;
pub mod go_differences;
pub mod performance;
pub mod proofs;
pub mod when_to_use;
