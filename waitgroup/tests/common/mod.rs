//! Helpers shared by the integration tests.
#![allow(dead_code)]

/// The hang detector and its bound, shared by every crate's tests.
#[allow(unused_imports)] // not every test binary uses both
pub(crate) use gosync_testkit::{within, HANG};

/// A value that counts its own drops, to prove exactly-once handling.
#[allow(unused_imports)] // not every test binary uses it
pub(crate) use gosync_testkit::Counted;

/// Scale for heavy loops: Miri runs a small fraction.
pub(crate) fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 50).max(2)
    } else {
        n
    }
}
