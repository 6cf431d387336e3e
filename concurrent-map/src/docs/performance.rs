//! # Performance
//!
//! Numbers arrive with the benchmark run (see the workspace README).
