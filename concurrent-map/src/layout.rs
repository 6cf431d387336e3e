//! Which fields share a cache line.
//!
//! [`Map`](crate::Map) keeps three groups apart, each on its own
//! [`CachePadded`] block (128 bytes on x86_64, where the spatial prefetcher
//! pulls lines in pairs):
//!
//! | block      | fields                                  | written                         |
//! |------------|-----------------------------------------|---------------------------------|
//! | read side  | snapshot pointer, hasher                | on promotion, clear (rare)      |
//! | write side | lock, dirty table, misses, `amended`... | on every miss and new key       |
//! | retired    | the retired values' lists, one per shard | on every replacement of a value |
//!
//! Every operation reads the read side; a load that hits touches nothing
//! else of the map. Go's `sync.Map` puts `mu`, `read`, `dirty` and
//! `misses` in one 48-byte struct, so every miss that increments `misses`
//! under the lock evicts the line every hit reads.
//!
//! The hidden `UnpaddedMap` (`--cfg gosync_bench` builds only: the
//! `benches/` workspace) swaps [`Padded`] for [`Unpadded`]: the same code with the blocks adjacent (`repr(C)`), the
//! snapshot pointer and the misses counter a few bytes apart, for the
//! false-sharing benchmark.

use crossbeam_utils::CachePadded;
use std::ops::Deref;

/// How the map's field groups are wrapped.
pub(crate) trait Layout {
    type Block<T>: Deref<Target = T>;
    fn block<T>(value: T) -> Self::Block<T>;
}

/// Each group on its own padded cache-line block (the shipped layout).
#[derive(Debug)]
pub(crate) struct Padded;

impl Layout for Padded {
    type Block<T> = CachePadded<T>;

    #[inline(always)]
    fn block<T>(value: T) -> CachePadded<T> {
        CachePadded::new(value)
    }
}

/// The groups packed together (the false-sharing benchmark's baseline, and
/// the layout tests' contrast).
#[cfg(any(gosync_bench, all(test, not(gosync_loom))))]
#[derive(Debug)]
pub(crate) struct Unpadded;

#[cfg(any(gosync_bench, all(test, not(gosync_loom))))]
impl Layout for Unpadded {
    type Block<T> = Plain<T>;

    #[inline(always)]
    fn block<T>(value: T) -> Plain<T> {
        Plain(value)
    }
}

/// No padding at all.
#[cfg(any(gosync_bench, all(test, not(gosync_loom))))]
#[derive(Debug)]
pub(crate) struct Plain<T>(T);

#[cfg(any(gosync_bench, all(test, not(gosync_loom))))]
impl<T> Deref for Plain<T> {
    type Target = T;

    #[inline(always)]
    fn deref(&self) -> &T {
        &self.0
    }
}
