//! # Performance
//!
//! Measured with `benches/report.sh` (criterion, `benches/benches/atomic_value.rs`)
//! side by side with arc-swap, `RwLock<Arc<T>>`, a plain `AtomicPtr` load
//! (the floor) and Go's `atomic.Value`; the table is in the repository's
//! `benches/RESULTS.md` and README.
