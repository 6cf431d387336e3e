//! The WaitGroup algorithm without its padding, for the false-sharing
//! benchmark only.

use crate::raw::RawWaitGroup;

/// `WaitGroup`'s exact algorithm *without* the cache-line padding.
///
/// Not part of the API: it exists so that `gosync-benches` can measure what
/// the padding buys by running the very same code both ways. Use
/// [`WaitGroup`](crate::WaitGroup).
///
/// # Examples
///
/// ```
/// use gosync_waitgroup::UnpaddedWaitGroup;
///
/// let pair = [UnpaddedWaitGroup::new(), UnpaddedWaitGroup::new()];
/// assert!(std::mem::size_of_val(&pair) < 128); // both share a cache line
/// pair[0].add(1);
/// pair[0].done();
/// pair[0].wait();
/// ```
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
