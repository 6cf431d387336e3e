//! Long-form documentation: design, proofs, differences from Go, performance.
//!
//! Nothing in this module is code; it is prose kept next to the code it
//! describes so that it is versioned and rendered with it.

pub mod design;
pub mod go_differences;
pub mod performance;
pub mod proofs;
