//! # Proofs: the loom models
//!
//! (Filled in with the loom models.)
