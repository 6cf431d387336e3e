//! Go's sync.Map for Rust (work in progress: a temporary locked implementation
//! with the final public signatures).
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash, RandomState};
use std::sync::{Arc, Mutex};

pub use gosync_atomic_value::Guard;

/// Go's `sync.Map`.
pub struct Map<K, V, S = RandomState> {
    inner: Mutex<HashMap<K, Arc<V>, S>>,
}

impl<K, V, S> fmt::Debug for Map<K, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Map").finish_non_exhaustive()
    }
}

impl<K: Hash + Eq + Send + Sync + 'static, V: Send + Sync + 'static> Map<K, V> {
    /// An empty map.
    pub fn new() -> Self {
        Self::with_hasher(RandomState::new())
    }
}

impl<K: Hash + Eq + Send + Sync + 'static, V: Send + Sync + 'static, S: BuildHasher + Default> Default
    for Map<K, V, S>
{
    fn default() -> Self {
        Self::with_hasher(S::default())
    }
}

impl<K: Hash + Eq + Send + Sync + 'static, V: Send + Sync + 'static, S: BuildHasher> Map<K, V, S> {
    /// An empty map using `hasher`.
    pub fn with_hasher(hasher: S) -> Self {
        Self { inner: Mutex::new(HashMap::with_hasher(hasher)) }
    }
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Arc<V>, S>> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
    /// Go's Load.
    pub fn load<Q>(&self, key: &Q) -> Option<Guard<V>>
    where K: Borrow<Q>, Q: ?Sized + Hash + Eq {
        self.lock().get(key).cloned().map(Guard::from)
    }
    /// Go's Store.
    pub fn store(&self, key: K, value: V) {
        self.lock().insert(key, Arc::new(value));
    }
    /// Go's LoadOrStore.
    pub fn load_or_store(&self, key: K, value: V) -> (Guard<V>, bool) {
        let mut m = self.lock();
        if let Some(v) = m.get(&key) { return (Guard::from(v.clone()), true); }
        let v = Arc::new(value);
        m.insert(key, v.clone());
        (Guard::from(v), false)
    }
    /// Go's LoadAndDelete.
    pub fn load_and_delete<Q>(&self, key: &Q) -> Option<Guard<V>>
    where K: Borrow<Q>, Q: ?Sized + Hash + Eq {
        self.lock().remove(key).map(Guard::from)
    }
    /// Go's Delete.
    pub fn delete<Q>(&self, key: &Q)
    where K: Borrow<Q>, Q: ?Sized + Hash + Eq {
        self.lock().remove(key);
    }
    /// Go's Swap.
    pub fn swap(&self, key: K, value: V) -> Option<Guard<V>> {
        self.lock().insert(key, Arc::new(value)).map(Guard::from)
    }
    /// Go's CompareAndSwap.
    pub fn compare_and_swap<Q>(&self, key: &Q, old: &V, new: V) -> Result<(), V>
    where K: Borrow<Q>, Q: ?Sized + Hash + Eq, V: PartialEq {
        let mut m = self.lock();
        match m.get_mut(key) {
            Some(v) if **v == *old => { *v = Arc::new(new); Ok(()) }
            _ => Err(new),
        }
    }
    /// Go's CompareAndDelete.
    pub fn compare_and_delete<Q>(&self, key: &Q, old: &V) -> bool
    where K: Borrow<Q>, Q: ?Sized + Hash + Eq, V: PartialEq {
        let mut m = self.lock();
        match m.get(key) {
            Some(v) if **v == *old => { m.remove(key); true }
            _ => false,
        }
    }
    /// Go's Range.
    pub fn range<F: FnMut(&K, &V) -> bool>(&self, f: F) {
        let _ = f;
        unimplemented!("stub")
    }
    /// Go's Clear.
    pub fn clear(&self) {
        self.lock().clear();
    }
}

/// The same map without cache-line padding (false-sharing benchmark only).
#[doc(hidden)]
pub type UnpaddedMap<K, V, S = RandomState> = Map<K, V, S>;
