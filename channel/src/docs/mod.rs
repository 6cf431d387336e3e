//! Long-form documentation: the design, the proofs, Go differences and
//! performance.

pub mod proofs;
