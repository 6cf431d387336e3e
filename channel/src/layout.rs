//! Which fields of a bounded channel share a cache line.
//!
//! The bounded ring keeps four groups apart, each on its own
//! [`CachePadded`] block (128 bytes on x86_64 and aarch64, where the
//! spatial prefetcher pulls lines in pairs):
//!
//! | block           | written by                         |
//! |-----------------|------------------------------------|
//! | `head`          | every receive                      |
//! | `tail`          | every send, and `close`            |
//! | senders' waker  | blocked senders (rare)             |
//! | receivers' waker| blocked receivers (rare)           |
//!
//! A producer and a consumer running on two cores then each write their
//! own line; unpadded, every send invalidates the line every receive
//! writes, and the other way round. The `Unpadded` layout runs the same
//! code with the groups adjacent, for the false-sharing benchmark; it
//! exists only in `--cfg gosync_bench` builds (the `benches/` workspace).

use crossbeam_utils::CachePadded;
use std::ops::Deref;

/// How the bounded channel's field groups are wrapped.
pub trait Layout: 'static {
    /// The wrapper of one group.
    type Block<T>: Deref<Target = T>;
    /// Wraps one group.
    fn block<T>(value: T) -> Self::Block<T>;
}

/// Each group on its own padded cache-line block (the shipped layout).
#[derive(Debug)]
pub struct Padded;

impl Layout for Padded {
    type Block<T> = CachePadded<T>;

    #[inline(always)]
    fn block<T>(value: T) -> CachePadded<T> {
        CachePadded::new(value)
    }
}

/// The groups packed together (the false-sharing benchmark's baseline).
#[cfg(gosync_bench)]
#[derive(Debug)]
pub struct Unpadded;

#[cfg(gosync_bench)]
impl Layout for Unpadded {
    type Block<T> = Plain<T>;

    #[inline(always)]
    fn block<T>(value: T) -> Plain<T> {
        Plain(value)
    }
}

/// No padding at all.
#[cfg(gosync_bench)]
#[derive(Debug)]
pub struct Plain<T>(T);

#[cfg(gosync_bench)]
impl<T> Deref for Plain<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}
