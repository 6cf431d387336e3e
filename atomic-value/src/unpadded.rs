//! The `AtomicValue` algorithm without its padding, for the false-sharing
//! benchmark only. Compiled only with `--cfg gosync_bench`, which only the
//! `benches/` workspace sets: a user's build has no such type.

use std::fmt;

use crate::guard::Guard;
use crate::raw_value::RawAtomicValue;

/// The same algorithm as [`AtomicValue`](crate::AtomicValue) without its
/// cache-line padding, so that the false-sharing benchmark can measure the
/// shipped layout against the same code unpadded.
#[doc(hidden)]
pub struct UnpaddedAtomicValue<T: Send + Sync + 'static> {
    raw: RawAtomicValue<T>,
}

impl<T: Send + Sync + 'static> UnpaddedAtomicValue<T> {
    /// As [`AtomicValue::new`](crate::AtomicValue::new).
    pub fn new(value: T) -> Self {
        Self {
            raw: RawAtomicValue::new(Some(value)),
        }
    }

    /// As [`AtomicValue::load`](crate::AtomicValue::load).
    #[inline]
    pub fn load(&self) -> Option<Guard<T>> {
        self.raw.load()
    }

    /// As [`AtomicValue::store`](crate::AtomicValue::store).
    pub fn store(&self, value: T) {
        self.raw.store(value)
    }
}

impl<T: Send + Sync + 'static> fmt::Debug for UnpaddedAtomicValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnpaddedAtomicValue")
            .finish_non_exhaustive()
    }
}
