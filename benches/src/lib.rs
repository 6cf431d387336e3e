//! Shared helpers for the gosync benchmark suites (see `benches/README.md`).
#![warn(missing_docs)]
