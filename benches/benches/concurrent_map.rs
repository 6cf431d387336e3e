//! `gosync_concurrent_map::Map` against `papaya::HashMap`, `dashmap::DashMap`
//! and a `RwLock<HashMap>`, on every workload of Go's
//! `src/sync/map_bench_test.go` (Go 1.27: 24 benchmarks), one criterion
//! group per workload, named after the Go benchmark (`MapLoadMostlyHits`);
//! `benches/go/map_bench_test.go` runs the same workloads on Go's
//! `sync.Map`.
//!
//! Keys and values are `u64`. Every workload is Go's: the same key spaces
//! (the `hits`/`misses` constants), the same untimed setup (filling and
//! "priming" the map) and the same per-goroutine body, run by 2 threads
//! (Go's `-cpu 2`) through the suite harness's `run_parallel`. As in Go's
//! `benchMap`, thread `t` starts its counter `i` at `t * iters` (Go:
//! `id * b.N`) and does its share of the `iters` iterations; one iteration
//! of the body (which may make several map calls, e.g. `swap` then
//! `delete`) is one operation, and the reported time is the wall time of
//! both threads over `iters`: Go's `RunParallel` ns/op. Every sample builds
//! a fresh map and runs the setup (Go builds one per `b.N` round); the setup,
//! the thread start-up and the map's drop are not timed. Before the clock
//! starts each thread makes one untimed `load` of a key no workload uses, so
//! that first-use costs of a thread (a hazard record, papaya's thread
//! registration) are not in the timed loop.
//!
//! Every value an operation returns (through gosync's `Guard`, papaya's
//! guarded reference, dashmap's `Ref` or the lock guard) is read as a `u64`
//! and passed to [`black_box`]; `Range`'s callback passes each key and value
//! to `black_box` as well, so that no iteration can be optimised away.
//!
//! Functions of every group:
//!
//! * `gosync`: `Map::new()` (std `RandomState`, SipHash-1-3).
//! * `gosync_foldhash`: `Map::with_hasher(foldhash::fast::RandomState)`:
//!   the same map with a fast hasher (a reference column of the report: the
//!   peers all hash with SipHash).
//! * `papaya`: `papaya::HashMap<u64, u64>` (std `RandomState`), every call
//!   through its own `map.pin()` (papaya's per-operation API: one guard per
//!   call, the same per-call cost model as gosync's guards).
//! * `dashmap`: `dashmap::DashMap<u64, u64>` (std `RandomState`, default
//!   shard count).
//! * `rwlock_hashmap`: `std::sync::RwLock<std::collections::HashMap<u64,
//!   u64>>` (std `RandomState`), locked as Go's reference `RWMutexMap`
//!   (`src/sync/map_reference_test.go`) locks: `load` under the read lock,
//!   every other call under the write lock.
//!
//! How each Go operation maps onto each peer (where a peer has no such
//! operation, its natural primitive):
//!
//! | Go | papaya (`pin()` per call) | dashmap | `RwLock<HashMap>` |
//! |---|---|---|---|
//! | `Load` | `get` | `get` | read lock, `get` |
//! | `Store` | `insert` | `insert` | write lock, `insert` |
//! | `LoadOrStore` | `try_insert` (`Err` = loaded) | `entry`: occupied = loaded, vacant = `insert` (shard write lock either way) | write lock, `entry` (as Go's `RWMutexMap`) |
//! | `LoadAndDelete` | `remove` | `remove` | write lock, `remove` |
//! | `Delete` | `remove` | `remove` | write lock, `remove` |
//! | `Swap` | `insert` (returns the old value) | `insert` (returns the old value) | write lock, `insert` |
//! | `CompareAndSwap` | `compute`: `Insert(new)` if the value equals `old`, else `Abort` (papaya 0.2 has no value compare-exchange) | `get_mut` (shard write lock), compare, assign | write lock, `get_mut`, compare, assign |
//! | `CompareAndDelete` | `remove_if(value == old)` | `remove_if(value == old)` | write lock, compare, `remove` |
//! | `Range` | `iter()` under one pin, stop when `f` says so | `iter()` (each shard's read lock in turn) | read lock, iterate |
//! | `Clear` | `clear` | `clear` | write lock, `clear` |
//!
//! `MapAdversarialDelete` deletes from inside `Range` (Go: `m.Range(func(k,
//! _) { m.Delete(k); return false })`). gosync and papaya do exactly that;
//! dashmap and the `RwLock` cannot (the callback would take the write lock
//! of a shard or map whose read lock the iteration holds: a deadlock), so
//! dashmap takes the first key from `iter()`, drops the iterator and then
//! `remove`s it, and the `RwLock` does both under one write lock.
//!
//! `benches/README.md` defines each workload.

use std::collections::hash_map::{Entry, HashMap};
use std::hash::RandomState;
use std::hint::black_box;
use std::sync::{PoisonError, RwLock};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use dashmap::DashMap;
use gosync_benches::harness::{benchmark_group_timed, run_parallel, share, Timing, THREADS};
use gosync_concurrent_map::Map;

/// A key no workload uses: the warm-up `load` of each thread.
const WARM_UP_KEY: u64 = u64::MAX;

/// Go's `mapInterface`, on `u64` keys and values: what every workload
/// needs from one implementation. Every method is one call of Go's API;
/// returned values are read out of whatever the implementation hands back.
trait ConcurrentMap: Sync {
    fn new() -> Self;
    fn load(&self, key: u64) -> Option<u64>;
    fn store(&self, key: u64, value: u64);
    /// The value now in the map, and whether it was already there.
    fn load_or_store(&self, key: u64, value: u64) -> (u64, bool);
    fn load_and_delete(&self, key: u64) -> Option<u64>;
    fn delete(&self, key: u64);
    /// The previous value, if any.
    fn swap(&self, key: u64, value: u64) -> Option<u64>;
    /// Whether the value was `old` and is now `new`.
    fn compare_and_swap(&self, key: u64, old: u64, new: u64) -> bool;
    /// Whether the value was `old` and the entry is now gone.
    fn compare_and_delete(&self, key: u64, old: u64) -> bool;
    /// Calls `f` on every entry until it returns `false`. `f` must not call
    /// into the map (see [`ConcurrentMap::delete_first`]).
    fn range(&self, f: impl FnMut(u64, u64) -> bool);
    /// Go's `m.Range(func(k, _ any) bool { m.Delete(k); return false })`:
    /// deletes the first key a range visits (see the module docs for the
    /// peers that cannot delete from inside their iteration).
    fn delete_first(&self);
    fn clear(&self);
}

/// `gosync` and `gosync_foldhash`: `Map` with the given hasher; `$new` is
/// how the function builds it.
macro_rules! gosync_map {
    ($map:ty, $new:expr) => {
        impl ConcurrentMap for $map {
            fn new() -> Self {
                $new
            }
            #[inline]
            fn load(&self, key: u64) -> Option<u64> {
                Map::load(self, &key).map(|guard| *guard)
            }
            #[inline]
            fn store(&self, key: u64, value: u64) {
                Map::store(self, key, value);
            }
            #[inline]
            fn load_or_store(&self, key: u64, value: u64) -> (u64, bool) {
                let (guard, loaded) = Map::load_or_store(self, key, value);
                (*guard, loaded)
            }
            #[inline]
            fn load_and_delete(&self, key: u64) -> Option<u64> {
                Map::load_and_delete(self, &key).map(|guard| *guard)
            }
            #[inline]
            fn delete(&self, key: u64) {
                Map::delete(self, &key);
            }
            #[inline]
            fn swap(&self, key: u64, value: u64) -> Option<u64> {
                Map::swap(self, key, value).map(|guard| *guard)
            }
            #[inline]
            fn compare_and_swap(&self, key: u64, old: u64, new: u64) -> bool {
                Map::compare_and_swap(self, &key, &old, new).is_ok()
            }
            #[inline]
            fn compare_and_delete(&self, key: u64, old: u64) -> bool {
                Map::compare_and_delete(self, &key, &old)
            }
            #[inline]
            fn range(&self, mut f: impl FnMut(u64, u64) -> bool) {
                Map::range(self, |key, value| f(*key, *value));
            }
            #[inline]
            fn delete_first(&self) {
                Map::range(self, |key, _| {
                    Map::delete(self, key);
                    false
                });
            }
            #[inline]
            fn clear(&self) {
                Map::clear(self);
            }
        }
    };
}

gosync_map!(Map<u64, u64>, Map::new());
gosync_map!(
    Map<u64, u64, foldhash::fast::RandomState>,
    Map::with_hasher(foldhash::fast::RandomState::default())
);

/// `papaya`: every call pins the map on its own (`map.pin()`).
type Papaya = papaya::HashMap<u64, u64, RandomState>;

impl ConcurrentMap for Papaya {
    fn new() -> Self {
        papaya::HashMap::with_hasher(RandomState::new())
    }
    #[inline]
    fn load(&self, key: u64) -> Option<u64> {
        self.pin().get(&key).copied()
    }
    #[inline]
    fn store(&self, key: u64, value: u64) {
        self.pin().insert(key, value);
    }
    #[inline]
    fn load_or_store(&self, key: u64, value: u64) -> (u64, bool) {
        match self.pin().try_insert(key, value) {
            Ok(stored) => (*stored, false),
            Err(occupied) => (*occupied.current, true),
        }
    }
    #[inline]
    fn load_and_delete(&self, key: u64) -> Option<u64> {
        self.pin().remove(&key).copied()
    }
    #[inline]
    fn delete(&self, key: u64) {
        self.pin().remove(&key);
    }
    #[inline]
    fn swap(&self, key: u64, value: u64) -> Option<u64> {
        self.pin().insert(key, value).copied()
    }
    #[inline]
    fn compare_and_swap(&self, key: u64, old: u64, new: u64) -> bool {
        let map = self.pin();
        let outcome = map.compute(key, |entry| match entry {
            Some((_, &current)) if current == old => papaya::Operation::Insert(new),
            _ => papaya::Operation::Abort(()),
        });
        matches!(outcome, papaya::Compute::Updated { .. })
    }
    #[inline]
    fn compare_and_delete(&self, key: u64, old: u64) -> bool {
        matches!(
            self.pin().remove_if(&key, |_, &current| current == old),
            Ok(Some(_))
        )
    }
    #[inline]
    fn range(&self, mut f: impl FnMut(u64, u64) -> bool) {
        for (&key, &value) in self.pin().iter() {
            if !f(key, value) {
                break;
            }
        }
    }
    #[inline]
    fn delete_first(&self) {
        let map = self.pin();
        if let Some((key, _)) = map.iter().next() {
            map.remove(key);
        }
    }
    #[inline]
    fn clear(&self) {
        self.pin().clear();
    }
}

/// `dashmap`.
type Dash = DashMap<u64, u64, RandomState>;

impl ConcurrentMap for Dash {
    fn new() -> Self {
        DashMap::with_hasher(RandomState::new())
    }
    #[inline]
    fn load(&self, key: u64) -> Option<u64> {
        self.get(&key).map(|entry| *entry)
    }
    #[inline]
    fn store(&self, key: u64, value: u64) {
        self.insert(key, value);
    }
    #[inline]
    fn load_or_store(&self, key: u64, value: u64) -> (u64, bool) {
        match self.entry(key) {
            dashmap::Entry::Occupied(entry) => (*entry.get(), true),
            dashmap::Entry::Vacant(entry) => (*entry.insert(value), false),
        }
    }
    #[inline]
    fn load_and_delete(&self, key: u64) -> Option<u64> {
        self.remove(&key).map(|(_, value)| value)
    }
    #[inline]
    fn delete(&self, key: u64) {
        self.remove(&key);
    }
    #[inline]
    fn swap(&self, key: u64, value: u64) -> Option<u64> {
        self.insert(key, value)
    }
    #[inline]
    fn compare_and_swap(&self, key: u64, old: u64, new: u64) -> bool {
        match self.get_mut(&key) {
            Some(mut current) if *current == old => {
                *current = new;
                true
            }
            _ => false,
        }
    }
    #[inline]
    fn compare_and_delete(&self, key: u64, old: u64) -> bool {
        self.remove_if(&key, |_, &current| current == old).is_some()
    }
    #[inline]
    fn range(&self, mut f: impl FnMut(u64, u64) -> bool) {
        for entry in self.iter() {
            if !f(*entry.key(), *entry.value()) {
                break;
            }
        }
    }
    #[inline]
    fn delete_first(&self) {
        // The iterator (and its shard read lock) is dropped at the end of
        // this statement, before `remove` takes the shard's write lock.
        let first = self.iter().next().map(|entry| *entry.key());
        if let Some(key) = first {
            self.remove(&key);
        }
    }
    #[inline]
    fn clear(&self) {
        DashMap::clear(self);
    }
}

/// `rwlock_hashmap`: Go's `RWMutexMap` (`src/sync/map_reference_test.go`)
/// in Rust.
struct RwLockHashMap(RwLock<HashMap<u64, u64>>);

impl RwLockHashMap {
    #[inline]
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<u64, u64>> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
    #[inline]
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<u64, u64>> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl ConcurrentMap for RwLockHashMap {
    fn new() -> Self {
        Self(RwLock::new(HashMap::new()))
    }
    #[inline]
    fn load(&self, key: u64) -> Option<u64> {
        self.read().get(&key).copied()
    }
    #[inline]
    fn store(&self, key: u64, value: u64) {
        self.write().insert(key, value);
    }
    #[inline]
    fn load_or_store(&self, key: u64, value: u64) -> (u64, bool) {
        match self.write().entry(key) {
            Entry::Occupied(entry) => (*entry.get(), true),
            Entry::Vacant(entry) => (*entry.insert(value), false),
        }
    }
    #[inline]
    fn load_and_delete(&self, key: u64) -> Option<u64> {
        self.write().remove(&key)
    }
    #[inline]
    fn delete(&self, key: u64) {
        self.write().remove(&key);
    }
    #[inline]
    fn swap(&self, key: u64, value: u64) -> Option<u64> {
        self.write().insert(key, value)
    }
    #[inline]
    fn compare_and_swap(&self, key: u64, old: u64, new: u64) -> bool {
        match self.write().get_mut(&key) {
            Some(current) if *current == old => {
                *current = new;
                true
            }
            _ => false,
        }
    }
    #[inline]
    fn compare_and_delete(&self, key: u64, old: u64) -> bool {
        let mut map = self.write();
        if map.get(&key) == Some(&old) {
            map.remove(&key);
            true
        } else {
            false
        }
    }
    #[inline]
    fn range(&self, mut f: impl FnMut(u64, u64) -> bool) {
        for (&key, &value) in self.read().iter() {
            if !f(key, value) {
                break;
            }
        }
    }
    #[inline]
    fn delete_first(&self) {
        let mut map = self.write();
        if let Some(&key) = map.keys().next() {
            map.remove(&key);
        }
    }
    #[inline]
    fn clear(&self) {
        self.write().clear();
    }
}

/// One thread's own state in a workload (only `MapAdversarialAlloc` uses
/// it: its `stores` and `loadsSinceStore` counters).
type ThreadState = [u64; 2];

/// Go's `benchMap` + `RunParallel` for one implementation and `iters`
/// operations in total: a fresh map, `setup` (Go's `bench.setup`), then
/// each of [`THREADS`] threads runs `op` (one iteration of Go's `perG`
/// loop) for `i = t * iters, t * iters + 1, ...`, its share of `iters`
/// times. Returns the wall time of both threads.
///
/// `op` is a generic parameter, not a function pointer, so that every
/// workload's loop is compiled (and the map calls inlined) for each
/// implementation.
fn run<M: ConcurrentMap>(
    iters: u64,
    setup: impl FnOnce(&M),
    op: impl Fn(&M, u64, &mut ThreadState) + Sync,
) -> Duration {
    let map = M::new();
    setup(&map);
    let wall = run_parallel(
        THREADS,
        |_| {
            black_box(map.load(WARM_UP_KEY));
            ThreadState::default()
        },
        |index, state| {
            let map = black_box(&map);
            let start = index as u64 * iters;
            for i in start..start + share(iters, THREADS, index) {
                op(map, i, state);
            }
        },
    )
    .wall;
    drop(map);
    wall
}

/// Go's common setup: `LoadOrStore(i, i)` for `i < hits`, then `hits * 2`
/// loads of `i % hits` ("prime the map to get it into a steady state").
fn fill_and_prime<M: ConcurrentMap, const HITS: u64>(map: &M) {
    for i in 0..HITS {
        map.load_or_store(i, i);
    }
    for i in 0..HITS * 2 {
        black_box(map.load(i % HITS));
    }
}

/// Go's setup `m.LoadOrStore(0, 0)`.
fn one_key<M: ConcurrentMap>(map: &M) {
    map.load_or_store(0, 0);
}

/// Go's setup `m.Store(0, 0)`.
fn store_zero<M: ConcurrentMap>(map: &M) {
    map.store(0, 0);
}

/// Go's setup `m.Store(i, i)` for `i < 1 << 10`.
fn store_1024<M: ConcurrentMap>(map: &M) {
    for i in 0..MAP_SIZE {
        map.store(i, i);
    }
}

fn no_setup<M: ConcurrentMap>(_: &M) {}

/// `mapSize` of Go's `Range` and `AdversarialDelete`.
const MAP_SIZE: u64 = 1 << 10;

/// `MapLoadMostlyHits` / `MapLoadMostlyMisses`: `Load(i % (hits + misses))`.
fn load_op<M: ConcurrentMap, const HITS: u64, const MISSES: u64>(
    map: &M,
    i: u64,
    _: &mut ThreadState,
) {
    black_box(map.load(i % (HITS + MISSES)));
}

/// `MapLoadOrStoreBalanced`: `j = i % 256`; `LoadOrStore(j, i)` (a hit)
/// for `j < 128`, else `LoadOrStore(i, i)` (a new key).
fn load_or_store_balanced<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    const HITS: u64 = 128;
    const MISSES: u64 = 128;
    let j = i % (HITS + MISSES);
    if j < HITS {
        let (value, loaded) = map.load_or_store(j, i);
        assert!(loaded, "unexpected miss for {j}");
        black_box(value);
    } else {
        let (value, loaded) = map.load_or_store(i, i);
        assert!(!loaded, "failed to store {i}: existing value {value}");
        black_box(value);
    }
}

/// `MapLoadOrStoreUnique`: `LoadOrStore(i, i)`.
fn load_or_store_unique<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    black_box(map.load_or_store(i, i));
}

/// `MapLoadOrStoreCollision`: `LoadOrStore(0, 0)`.
fn load_or_store_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    black_box(map.load_or_store(0, 0));
}

/// `MapLoadAndDeleteBalanced`: `j = i % 256`; `LoadAndDelete(j)` for
/// `j < 128`, else `LoadAndDelete(i)`.
fn load_and_delete_balanced<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    const HITS: u64 = 128;
    const MISSES: u64 = 128;
    let j = i % (HITS + MISSES);
    if j < HITS {
        black_box(map.load_and_delete(j));
    } else {
        black_box(map.load_and_delete(i));
    }
}

/// `MapLoadAndDeleteUnique`: `LoadAndDelete(i)`.
fn load_and_delete_unique<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    black_box(map.load_and_delete(i));
}

/// `MapLoadAndDeleteCollision`: `LoadAndDelete(0)`, and `Store(0, 0)` if it
/// loaded.
fn load_and_delete_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    if black_box(map.load_and_delete(0)).is_some() {
        map.store(0, 0);
    }
}

/// `MapRange`: a full `Range` over the 1024 entries.
fn range_op<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    map.range(|key, value| {
        black_box((key, value));
        true
    });
}

/// `MapAdversarialAlloc`: `Load(i)` (a miss); after every `stores + 1`
/// loads, `LoadOrStore(i, stores)` and `stores++`. `state` is this thread's
/// `[stores, loadsSinceStore]`.
fn adversarial_alloc<M: ConcurrentMap>(map: &M, i: u64, state: &mut ThreadState) {
    let [stores, loads_since_store] = state;
    black_box(map.load(i));
    *loads_since_store += 1;
    if *loads_since_store > *stores {
        black_box(map.load_or_store(i, *stores));
        *loads_since_store = 0;
        *stores += 1;
    }
}

/// `MapAdversarialDelete`: `Load(i)`; every 1024th `i`, delete the first
/// key a `Range` visits and `Store(i, i)`.
fn adversarial_delete<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    black_box(map.load(i));
    if i % MAP_SIZE == 0 {
        map.delete_first();
        map.store(i, i);
    }
}

/// `MapDeleteCollision`: `Delete(0)`.
fn delete_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    map.delete(0);
}

/// `MapSwapCollision`: `Swap(0, 0)`.
fn swap_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    black_box(map.swap(0, 0));
}

/// `MapSwapMostlyHits` / `MapSwapMostlyMisses`: `v = i % (hits + misses)`;
/// `Swap(v, v)` if `v < hits`, else `Swap(i, i)` then `Delete(i)`.
fn swap_op<M: ConcurrentMap, const HITS: u64, const MISSES: u64>(
    map: &M,
    i: u64,
    _: &mut ThreadState,
) {
    if i % (HITS + MISSES) < HITS {
        let v = i % (HITS + MISSES);
        black_box(map.swap(v, v));
    } else {
        black_box(map.swap(i, i));
        map.delete(i);
    }
}

/// `MapCompareAndSwapCollision`: `CompareAndSwap(0, 0, 42)`, and if that
/// succeeded `CompareAndSwap(0, 42, 0)`.
fn compare_and_swap_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    if black_box(map.compare_and_swap(0, 0, 42)) {
        black_box(map.compare_and_swap(0, 42, 0));
    }
}

/// `MapCompareAndSwapNoExistingKey`: `CompareAndSwap(i, 0, 0)` (a missing
/// key), and `Delete(i)` if it succeeded.
fn compare_and_swap_no_existing_key<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    if black_box(map.compare_and_swap(i, 0, 0)) {
        map.delete(i);
    }
}

/// `MapCompareAndSwapValueNotEqual`: `CompareAndSwap(0, 1, 2)` on a map
/// holding `0 -> 0`: always fails.
fn compare_and_swap_value_not_equal<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    black_box(map.compare_and_swap(0, 1, 2));
}

/// Go's `v := i; if i%(hits+misses) < hits { v = i % (hits + misses) }`.
#[inline]
fn hit_or_unique<const HITS: u64, const MISSES: u64>(i: u64) -> u64 {
    if i % (HITS + MISSES) < HITS {
        i % (HITS + MISSES)
    } else {
        i
    }
}

/// `MapCompareAndSwapMostlyHits` / `...MostlyMisses`: `CompareAndSwap(v,
/// v, v)`, `v` from [`hit_or_unique`].
fn compare_and_swap_op<M: ConcurrentMap, const HITS: u64, const MISSES: u64>(
    map: &M,
    i: u64,
    _: &mut ThreadState,
) {
    let v = hit_or_unique::<HITS, MISSES>(i);
    black_box(map.compare_and_swap(v, v, v));
}

/// `MapCompareAndDeleteCollision`: `CompareAndDelete(0, 0)`, and
/// `Store(0, 0)` if it deleted.
fn compare_and_delete_collision<M: ConcurrentMap>(map: &M, _: u64, _: &mut ThreadState) {
    if black_box(map.compare_and_delete(0, 0)) {
        map.store(0, 0);
    }
}

/// `MapCompareAndDeleteMostlyHits` / `...MostlyMisses`:
/// `CompareAndDelete(v, v)`, `v` from [`hit_or_unique`], and `Store(v, v)`
/// if it deleted.
fn compare_and_delete_op<M: ConcurrentMap, const HITS: u64, const MISSES: u64>(
    map: &M,
    i: u64,
    _: &mut ThreadState,
) {
    let v = hit_or_unique::<HITS, MISSES>(i);
    if black_box(map.compare_and_delete(v, v)) {
        map.store(v, v);
    }
}

/// `MapClear`: `Clear()`, then `Store(i % 256, i % 256)`.
fn clear_op<M: ConcurrentMap>(map: &M, i: u64, _: &mut ThreadState) {
    let (k, v) = (i % 256, i % 256);
    map.clear();
    map.store(k, v);
}

/// A workload for implementation `M`, to run on criterion's `iters`.
type Workload = Box<dyn Fn(u64) -> Duration>;

fn workload<M: ConcurrentMap + 'static>(
    setup: impl Fn(&M) + 'static,
    op: impl Fn(&M, u64, &mut ThreadState) + Sync + 'static,
) -> Workload {
    Box::new(move |iters| run(iters, &setup, &op))
}

/// Every workload for implementation `M`, in Go's file order: `(criterion
/// group = Go benchmark name without "Benchmark", workload)`.
fn workloads<M: ConcurrentMap + 'static>() -> Vec<(&'static str, Workload)> {
    vec![
        (
            "MapLoadMostlyHits",
            workload(fill_and_prime::<M, 1023>, load_op::<M, 1023, 1>),
        ),
        (
            "MapLoadMostlyMisses",
            workload(fill_and_prime::<M, 1>, load_op::<M, 1, 1023>),
        ),
        (
            "MapLoadOrStoreBalanced",
            workload(fill_and_prime::<M, 128>, load_or_store_balanced::<M>),
        ),
        (
            "MapLoadOrStoreUnique",
            workload(no_setup::<M>, load_or_store_unique::<M>),
        ),
        (
            "MapLoadOrStoreCollision",
            workload(one_key::<M>, load_or_store_collision::<M>),
        ),
        (
            "MapLoadAndDeleteBalanced",
            workload(fill_and_prime::<M, 128>, load_and_delete_balanced::<M>),
        ),
        (
            "MapLoadAndDeleteUnique",
            workload(no_setup::<M>, load_and_delete_unique::<M>),
        ),
        (
            "MapLoadAndDeleteCollision",
            workload(one_key::<M>, load_and_delete_collision::<M>),
        ),
        ("MapRange", workload(store_1024::<M>, range_op::<M>)),
        (
            "MapAdversarialAlloc",
            workload(no_setup::<M>, adversarial_alloc::<M>),
        ),
        (
            "MapAdversarialDelete",
            workload(store_1024::<M>, adversarial_delete::<M>),
        ),
        (
            "MapDeleteCollision",
            workload(one_key::<M>, delete_collision::<M>),
        ),
        (
            "MapSwapCollision",
            workload(one_key::<M>, swap_collision::<M>),
        ),
        (
            "MapSwapMostlyHits",
            workload(fill_and_prime::<M, 1023>, swap_op::<M, 1023, 1>),
        ),
        (
            "MapSwapMostlyMisses",
            workload(fill_and_prime::<M, 1>, swap_op::<M, 1, 1023>),
        ),
        (
            "MapCompareAndSwapCollision",
            workload(one_key::<M>, compare_and_swap_collision::<M>),
        ),
        (
            "MapCompareAndSwapNoExistingKey",
            workload(no_setup::<M>, compare_and_swap_no_existing_key::<M>),
        ),
        (
            "MapCompareAndSwapValueNotEqual",
            workload(store_zero::<M>, compare_and_swap_value_not_equal::<M>),
        ),
        (
            "MapCompareAndSwapMostlyHits",
            workload(fill_and_prime::<M, 1023>, compare_and_swap_op::<M, 1023, 1>),
        ),
        (
            "MapCompareAndSwapMostlyMisses",
            workload(fill_and_prime::<M, 1>, compare_and_swap_op::<M, 1, 1023>),
        ),
        (
            "MapCompareAndDeleteCollision",
            workload(one_key::<M>, compare_and_delete_collision::<M>),
        ),
        (
            "MapCompareAndDeleteMostlyHits",
            workload(
                fill_and_prime::<M, 1023>,
                compare_and_delete_op::<M, 1023, 1>,
            ),
        ),
        (
            "MapCompareAndDeleteMostlyMisses",
            workload(fill_and_prime::<M, 1>, compare_and_delete_op::<M, 1, 1023>),
        ),
        ("MapClear", workload(no_setup::<M>, clear_op::<M>)),
    ]
}

fn concurrent_map(c: &mut Criterion) {
    // The functions of every group, in table order.
    let implementations: [(&str, Vec<(&str, Workload)>); 5] = [
        ("gosync", workloads::<Map<u64, u64>>()),
        (
            "gosync_foldhash",
            workloads::<Map<u64, u64, foldhash::fast::RandomState>>(),
        ),
        ("papaya", workloads::<Papaya>()),
        ("dashmap", workloads::<Dash>()),
        ("rwlock_hashmap", workloads::<RwLockHashMap>()),
    ];
    let groups: Vec<&str> = implementations[0].1.iter().map(|(name, _)| *name).collect();
    for (index, group_name) in groups.iter().enumerate() {
        let mut group = benchmark_group_timed(c, group_name, Timing::many_functions_from_env());
        for (function, workloads) in &implementations {
            let (name, workload) = &workloads[index];
            assert_eq!(name, group_name);
            group.bench_function(*function, |b| b.iter_custom(workload));
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = concurrent_map
}
criterion_main!(benches);
