//! # Performance
//!
//! Measured with criterion in `benches/` (package `gosync-benches`), side by
//! side with `crossbeam_utils::sync::WaitGroup`, a `Mutex` + `Condvar`
//! counter and Go's own `sync.WaitGroup` benchmarks. The numbers and the
//! command are in the repository README's results section.
