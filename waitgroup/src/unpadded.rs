//! The WaitGroup algorithm without its padding, for the false-sharing
//! benchmark only. Compiled only with `--cfg gosync_bench`, which only the
//! `benches/` workspace sets: a user's build has no such type.

use crate::raw::RawWaitGroup;

/// `WaitGroup`'s exact algorithm *without* the cache-line padding.
///
/// It exists so that `gosync-benches` can measure what
/// the padding buys by running the very same code both ways. Use
/// [`WaitGroup`](crate::WaitGroup).
///
#[doc(hidden)]
#[derive(Debug)]
pub struct UnpaddedWaitGroup {
    raw: RawWaitGroup,
}

impl UnpaddedWaitGroup {
    /// A group with a counter of zero.
    #[cfg(not(gosync_loom))]
    pub const fn new() -> Self {
        Self {
            raw: RawWaitGroup::new(),
        }
    }

    /// As `WaitGroup::add`.
    #[inline]
    #[track_caller]
    pub fn add(&self, delta: isize) {
        self.raw.add(delta);
    }

    /// As `WaitGroup::done`.
    #[inline]
    #[track_caller]
    pub fn done(&self) {
        self.raw.add(-1);
    }

    /// As `WaitGroup::wait`.
    #[inline]
    pub fn wait(&self) {
        self.raw.wait();
    }
}

#[cfg(not(gosync_loom))]
impl Default for UnpaddedWaitGroup {
    fn default() -> Self {
        Self::new()
    }
}
