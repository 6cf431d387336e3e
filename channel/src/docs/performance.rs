//! # Performance
//!
//! (Numbers land with the benchmark run; see the workspace README's
//! results section and `benches/RESULTS.md`.)
