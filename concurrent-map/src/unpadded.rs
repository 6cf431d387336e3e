//! The map without its padding, for the false-sharing benchmark only.
//! Compiled only with `--cfg gosync_bench`, which only the `benches/`
//! workspace sets: a user's build has no such type.

use gosync_atomic_value::Guard;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasher, Hash, RandomState};

use crate::layout::Unpadded;
use crate::raw_map::RawMap;

/// [`Map`](crate::Map) without cache-line padding: the snapshot pointer, the lock and
/// the misses counter share a line. For the false-sharing benchmark only.
#[doc(hidden)]
pub struct UnpaddedMap<K: Send + Sync + 'static, V: Send + Sync + 'static, S = RandomState> {
    raw: RawMap<K, V, S, Unpadded>,
}

#[doc(hidden)]
impl<K, V> UnpaddedMap<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    pub fn new() -> Self {
        Self {
            raw: RawMap::with_hasher(RandomState::new()),
        }
    }
}

#[doc(hidden)]
impl<K, V> Default for UnpaddedMap<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    fn default() -> Self {
        Self::new()
    }
}

#[doc(hidden)]
impl<K, V, S> UnpaddedMap<K, V, S>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
    S: BuildHasher,
{
    pub fn load<Q>(&self, key: &Q) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.raw.load(key)
    }

    pub fn store(&self, key: K, value: V) {
        self.raw.swap(key, value, false);
    }

    pub fn load_or_store(&self, key: K, value: V) -> (Guard<V>, bool) {
        self.raw.load_or_store(key, value)
    }

    pub fn delete<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.raw.load_and_delete(key, false);
    }
}

impl<K: Send + Sync + 'static, V: Send + Sync + 'static, S> fmt::Debug for UnpaddedMap<K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnpaddedMap").finish_non_exhaustive()
    }
}
