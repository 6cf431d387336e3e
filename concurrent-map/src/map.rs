//! [`Map`], the public face of [`RawMap`] with the padded layout.

use gosync_atomic_value::Guard;
use std::borrow::Borrow;
use std::fmt;
use std::hash::{BuildHasher, Hash, RandomState};

use crate::layout::Padded;
use crate::raw_map::RawMap;

/// Go's `sync.Map`: a concurrent map for keys written once and read many
/// times, or for goroutines (threads) working on disjoint keys.
///
/// Loads of keys present in the read snapshot take no lock and write no
/// shared memory; so do stores, swaps, compare-and-swaps and deletes of
/// keys the snapshot has. New keys go to a locked *dirty* table, which is
/// promoted to the snapshot, in O(1), once lookups missing the snapshot
/// have cost as much as copying it. [`crate::docs::when_to_use`] says
/// where that pays and where a sharded map is better.
///
/// Values are returned as [`Guard`]s: a guard derefs to the value, keeps
/// it alive (it may outlive a later store, a delete or the map itself) and
/// is cheap to take (one hazard slot of the calling thread, no reference
/// count). `Guard::into_arc` turns one into an `Arc`.
///
/// Replaced and deleted values are dropped once no guard holds them, in
/// batches (see [`Map::reclaim`]), and never linger: within 10 ms of the
/// last guard's drop even if the map is never used again (gosync-atomic-value's
/// reclaimer thread frees what stores leave). Every key and value is
/// dropped exactly once, at the latest when the map (or the last guard) is
/// dropped.
///
/// # Examples
///
/// ```
/// use gosync_concurrent_map::Map;
///
/// let map = Map::new();
/// map.store("gopher", 1);
/// assert_eq!(map.load("gopher").as_deref(), Some(&1));
///
/// let (value, loaded) = map.load_or_store("gopher", 2);
/// assert_eq!((*value, loaded), (1, true));
///
/// map.delete("gopher");
/// assert!(map.load("gopher").is_none());
/// ```
pub struct Map<K: Send + Sync + 'static, V: Send + Sync + 'static, S = RandomState> {
    raw: RawMap<K, V, S, Padded>,
}

impl<K, V> Map<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    /// An empty map hashing with std's [`RandomState`] (SipHash, resistant
    /// to collision attacks). Allocates its first, empty, snapshot.
    ///
    /// # Examples
    ///
    /// ```
    /// let map: gosync_concurrent_map::Map<u64, String> = gosync_concurrent_map::Map::new();
    /// assert!(map.load(&1).is_none());
    /// ```
    pub fn new() -> Self {
        Self::with_hasher(RandomState::new())
    }
}

impl<K, V, S> Default for Map<K, V, S>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
    S: BuildHasher + Default,
{
    /// An empty map with the hasher's default.
    ///
    /// ```
    /// let map: gosync_concurrent_map::Map<u8, u8> = Default::default();
    /// map.store(1, 2);
    /// ```
    fn default() -> Self {
        Self::with_hasher(S::default())
    }
}

impl<K, V, S> Map<K, V, S>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
    S: BuildHasher,
{
    /// An empty map hashing keys with `hasher` (for example a faster,
    /// non-cryptographic one for keys no attacker chooses).
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_concurrent_map::Map;
    /// use std::hash::BuildHasherDefault;
    /// use std::collections::hash_map::DefaultHasher;
    ///
    /// let map: Map<u32, u32, BuildHasherDefault<DefaultHasher>> =
    ///     Map::with_hasher(BuildHasherDefault::default());
    /// map.store(1, 1);
    /// ```
    pub fn with_hasher(hasher: S) -> Self {
        Self {
            raw: RawMap::with_hasher(hasher),
        }
    }

    /// The map's hasher.
    ///
    /// ```
    /// use gosync_concurrent_map::Map;
    /// use std::hash::RandomState;
    ///
    /// let map: Map<u8, u8> = Map::new();
    /// let _: &RandomState = map.hasher();
    /// ```
    pub fn hasher(&self) -> &S {
        self.raw.hasher()
    }

    /// The value stored for `key` (Go's `Load`). Lock-free when the key is
    /// in the read snapshot, or when no key is missing from it.
    ///
    /// # Examples
    ///
    /// ```
    /// use gosync_concurrent_map::Map;
    ///
    /// let map = Map::new();
    /// map.store(String::from("k"), vec![1, 2]);
    /// let value = map.load("k").unwrap(); // looked up by &str
    /// assert_eq!(*value, [1, 2]);
    /// assert!(map.load("missing").is_none());
    /// ```
    #[inline]
    pub fn load<Q>(&self, key: &Q) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.raw.load(key)
    }

    /// Sets the value for `key` (Go's `Store`). Lock-free when the key is in
    /// the read snapshot and not expunged; a new key takes the lock.
    ///
    /// The replaced value is dropped once no guard holds it (batched; within
    /// 10 ms of its last guard).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(1, "one");
    /// map.store(1, "uno");
    /// assert_eq!(*map.load(&1).unwrap(), "uno");
    /// ```
    pub fn store(&self, key: K, value: V) {
        self.raw.swap(key, value, false);
    }

    /// Returns the existing value for `key` if there is one (and `true`),
    /// or stores `value` and returns it (and `false`). Go's `LoadOrStore`.
    ///
    /// When the key was present, `value` is dropped before this returns.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// let (first, loaded) = map.load_or_store("k", 1);
    /// assert_eq!((*first, loaded), (1, false));
    /// let (again, loaded) = map.load_or_store("k", 2);
    /// assert_eq!((*again, loaded), (1, true));
    /// ```
    pub fn load_or_store(&self, key: K, value: V) -> (Guard<V>, bool) {
        self.raw.load_or_store(key, value)
    }

    /// Deletes `key`, returning the value it had (Go's `LoadAndDelete`).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(7, 'x');
    /// assert_eq!(map.load_and_delete(&7).as_deref(), Some(&'x'));
    /// assert!(map.load_and_delete(&7).is_none());
    /// ```
    pub fn load_and_delete<Q>(&self, key: &Q) -> Option<Guard<V>>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.raw.load_and_delete(key, true)
    }

    /// Deletes `key` (Go's `Delete`). Deleting a missing key does nothing.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(1, 1);
    /// map.delete(&1);
    /// map.delete(&2);
    /// assert!(map.load(&1).is_none());
    /// ```
    pub fn delete<Q>(&self, key: &Q)
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        self.raw.load_and_delete(key, false);
    }

    /// Stores `value` for `key` and returns the previous value, if any
    /// (Go's `Swap`).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// assert!(map.swap("k", 1).is_none());
    /// assert_eq!(map.swap("k", 2).as_deref(), Some(&1));
    /// ```
    pub fn swap(&self, key: K, value: V) -> Option<Guard<V>> {
        self.raw.swap(key, value, true)
    }

    /// Stores `new` for `key` if its current value equals `old` (Go's
    /// `CompareAndSwap`, which compares with `==`).
    ///
    /// # Errors
    ///
    /// Hands `new` back when the key is missing or its value differs.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store("hits", 1);
    /// assert_eq!(map.compare_and_swap("hits", &1, 2), Ok(()));
    /// assert_eq!(map.compare_and_swap("hits", &1, 3), Err(3));
    /// assert_eq!(map.compare_and_swap("misses", &0, 1), Err(1));
    /// ```
    pub fn compare_and_swap<Q>(&self, key: &Q, old: &V, new: V) -> Result<(), V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
        V: PartialEq,
    {
        self.raw.compare_and_swap(key, old, new)
    }

    /// Deletes `key` if its value equals `old`; `true` if it did (Go's
    /// `CompareAndDelete`).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(1, "a");
    /// assert!(!map.compare_and_delete(&1, &"b"));
    /// assert!(map.compare_and_delete(&1, &"a"));
    /// assert!(map.load(&1).is_none());
    /// ```
    pub fn compare_and_delete<Q>(&self, key: &Q, old: &V) -> bool
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
        V: PartialEq,
    {
        self.raw.compare_and_delete(key, old)
    }

    /// Calls `f` for each key and value, until `f` returns `false` (Go's
    /// `Range`).
    ///
    /// No key is visited twice. A value visited may be from any moment
    /// during the call; keys stored or deleted during it may or may not be
    /// visited. No lock is held while `f` runs, so `f` may call any method
    /// of this map, `range` included; a panic in `f` leaves the map intact.
    /// Iterating allocates nothing (if keys were added since the last
    /// promotion, the first `range` promotes them, in O(1)).
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// for i in 0..10 {
    ///     map.store(i, i * i);
    /// }
    /// let mut sum = 0;
    /// map.range(|_, v| {
    ///     sum += v;
    ///     true
    /// });
    /// assert_eq!(sum, 285);
    ///
    /// // `f` may change the map it walks.
    /// map.range(|k, _| {
    ///     map.delete(k);
    ///     true
    /// });
    /// assert!(map.load(&3).is_none());
    /// ```
    pub fn range<F: FnMut(&K, &V) -> bool>(&self, f: F) {
        self.raw.range(f)
    }

    /// Deletes every key (Go's `Clear`): publishes an empty snapshot and
    /// drops the dirty table. Entries still guarded keep their values alive
    /// until the guards go.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(1, 1);
    /// let kept = map.load(&1).unwrap();
    /// map.clear();
    /// assert!(map.load(&1).is_none());
    /// assert_eq!(*kept, 1);
    /// ```
    pub fn clear(&self) {
        self.raw.clear()
    }

    /// Drops every replaced or deleted value (and replaced snapshot) that
    /// no guard holds, now rather than at the next batched pass. Not in
    /// Go, which has a garbage collector.
    ///
    /// # Examples
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store(1, vec![0u8; 1 << 20]);
    /// map.store(1, Vec::new());
    /// map.reclaim(); // the megabyte is freed here
    /// ```
    pub fn reclaim(&self) {
        self.raw.reclaim()
    }
}

impl<K, V, S> fmt::Debug for Map<K, V, S>
where
    K: Hash + Eq + Send + Sync + 'static + fmt::Debug,
    V: Send + Sync + 'static + fmt::Debug,
    S: BuildHasher,
{
    /// Formats the entries of one `range` walk.
    ///
    /// ```
    /// let map = gosync_concurrent_map::Map::new();
    /// map.store("k", 1);
    /// assert_eq!(format!("{map:?}"), r#"{"k": 1}"#);
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        self.range(|k, v| {
            map.entry(k, v);
            true
        });
        map.finish()
    }
}
