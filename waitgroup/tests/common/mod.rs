//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The hang detector and its bound, shared by every crate's tests.
#[allow(unused_imports)] // not every test binary uses both
pub(crate) use gosync_testkit::{within, HANG};

/// A value that counts its own drops, to prove exactly-once handling.
#[derive(Debug)]
pub(crate) struct Counted {
    drops: Arc<AtomicUsize>,
}

impl Counted {
    pub(crate) fn new(drops: &Arc<AtomicUsize>) -> Self {
        Self {
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Scale for heavy loops: Miri runs a small fraction.
pub(crate) fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 50).max(2)
    } else {
        n
    }
}
