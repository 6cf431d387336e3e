//! Ports of Go's `src/sync/map_test.go` (Go 1.27), test by test, including
//! the two reference maps of `map_reference_test.go` (`RWMutexMap`,
//! `DeepCopyMap`) that the random-call tests compare against.
//!
//! Not ported here:
//! - `TestMapMatchesHashTrieMap`: compares Go's `sync.Map` with
//!   `internal/sync.HashTrieMap`, a third implementation of Go's own; the
//!   two references below cover the same ground.
//! - `TestMapRangeNoAllocations` and `TestMapClearOneAllocation`: in
//!   `go_map_allocs.rs`, which needs a counting global allocator of its own.
//! - The benchmarks of `map_bench_test.go` live with the benchmarks.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use common::{scaled, threads, within, Counted, Ledger, Rng, HANG};
use gosync_atomic_value::AtomicValue;
use gosync_concurrent_map::Map;

/// Go's `mapInterface`, for string keys and values (Go's random calls use
/// strings of 0 to 3 letters).
trait MapInterface: Default {
    fn load(&self, key: &str) -> Option<String>;
    fn store(&self, key: String, value: String);
    fn load_or_store(&self, key: String, value: String) -> (String, bool);
    fn load_and_delete(&self, key: &str) -> Option<String>;
    fn delete(&self, key: &str);
    fn swap(&self, key: String, value: String) -> Option<String>;
    fn compare_and_swap(&self, key: &str, old: &str, new: String) -> bool;
    fn compare_and_delete(&self, key: &str, old: &str) -> bool;
    fn range(&self, f: &mut dyn FnMut(&str, &str) -> bool);
    fn clear(&self);
}

impl MapInterface for Map<String, String> {
    fn load(&self, key: &str) -> Option<String> {
        Map::load(self, key).map(|v| (*v).clone())
    }
    fn store(&self, key: String, value: String) {
        Map::store(self, key, value)
    }
    fn load_or_store(&self, key: String, value: String) -> (String, bool) {
        let (actual, loaded) = Map::load_or_store(self, key, value);
        ((*actual).clone(), loaded)
    }
    fn load_and_delete(&self, key: &str) -> Option<String> {
        Map::load_and_delete(self, key).map(|v| (*v).clone())
    }
    fn delete(&self, key: &str) {
        Map::delete(self, key)
    }
    fn swap(&self, key: String, value: String) -> Option<String> {
        Map::swap(self, key, value).map(|v| (*v).clone())
    }
    fn compare_and_swap(&self, key: &str, old: &str, new: String) -> bool {
        match Map::compare_and_swap(self, key, &old.to_owned(), new.clone()) {
            Ok(()) => true,
            Err(back) => {
                assert_eq!(back, new, "Err gives `new` back");
                false
            }
        }
    }
    fn compare_and_delete(&self, key: &str, old: &str) -> bool {
        Map::compare_and_delete(self, key, &old.to_owned())
    }
    fn range(&self, f: &mut dyn FnMut(&str, &str) -> bool) {
        Map::range(self, |k, v| f(k, v))
    }
    fn clear(&self) {
        Map::clear(self)
    }
}

/// Go's `RWMutexMap`: a map behind a reader-writer lock.
#[derive(Default)]
struct RwLockMap {
    dirty: RwLock<HashMap<String, String>>,
}

impl MapInterface for RwLockMap {
    fn load(&self, key: &str) -> Option<String> {
        self.dirty.read().unwrap().get(key).cloned()
    }
    fn store(&self, key: String, value: String) {
        self.dirty.write().unwrap().insert(key, value);
    }
    fn load_or_store(&self, key: String, value: String) -> (String, bool) {
        let mut dirty = self.dirty.write().unwrap();
        match dirty.get(&key) {
            Some(actual) => (actual.clone(), true),
            None => {
                dirty.insert(key, value.clone());
                (value, false)
            }
        }
    }
    fn load_and_delete(&self, key: &str) -> Option<String> {
        self.dirty.write().unwrap().remove(key)
    }
    fn delete(&self, key: &str) {
        self.dirty.write().unwrap().remove(key);
    }
    fn swap(&self, key: String, value: String) -> Option<String> {
        self.dirty.write().unwrap().insert(key, value)
    }
    fn compare_and_swap(&self, key: &str, old: &str, new: String) -> bool {
        let mut dirty = self.dirty.write().unwrap();
        match dirty.get_mut(key) {
            Some(value) if value == old => {
                *value = new;
                true
            }
            _ => false,
        }
    }
    fn compare_and_delete(&self, key: &str, old: &str) -> bool {
        let mut dirty = self.dirty.write().unwrap();
        if dirty.get(key).map(String::as_str) == Some(old) {
            dirty.remove(key);
            true
        } else {
            false
        }
    }
    fn range(&self, f: &mut dyn FnMut(&str, &str) -> bool) {
        // As Go's: snapshot the keys, then load each without the lock.
        let keys: Vec<String> = self.dirty.read().unwrap().keys().cloned().collect();
        for key in keys {
            if let Some(value) = self.load(&key) {
                if !f(&key, &value) {
                    break;
                }
            }
        }
    }
    fn clear(&self) {
        self.dirty.write().unwrap().clear();
    }
}

/// Go's `DeepCopyMap`: lock-free reads of an immutable map in an
/// `AtomicValue`, which every write replaces with a modified copy.
struct DeepCopyMap {
    mu: Mutex<()>,
    clean: AtomicValue<HashMap<String, String>>,
}

impl Default for DeepCopyMap {
    fn default() -> Self {
        Self {
            mu: Mutex::new(()),
            clean: AtomicValue::empty(),
        }
    }
}

impl DeepCopyMap {
    fn dirty(&self) -> HashMap<String, String> {
        self.clean
            .load()
            .map(|clean| (*clean).clone())
            .unwrap_or_default()
    }

    fn write<R>(&self, f: impl FnOnce(&mut HashMap<String, String>) -> R) -> R {
        let _locked = self.mu.lock().unwrap();
        let mut dirty = self.dirty();
        let result = f(&mut dirty);
        self.clean.store(dirty);
        result
    }
}

impl MapInterface for DeepCopyMap {
    fn load(&self, key: &str) -> Option<String> {
        self.clean.load().and_then(|clean| clean.get(key).cloned())
    }
    fn store(&self, key: String, value: String) {
        self.write(|dirty| dirty.insert(key, value));
    }
    fn load_or_store(&self, key: String, value: String) -> (String, bool) {
        if let Some(actual) = self.load(&key) {
            return (actual, true);
        }
        self.write(|dirty| match dirty.get(&key) {
            Some(actual) => (actual.clone(), true),
            None => {
                dirty.insert(key, value.clone());
                (value, false)
            }
        })
    }
    fn load_and_delete(&self, key: &str) -> Option<String> {
        self.write(|dirty| dirty.remove(key))
    }
    fn delete(&self, key: &str) {
        self.write(|dirty| dirty.remove(key));
    }
    fn swap(&self, key: String, value: String) -> Option<String> {
        self.write(|dirty| dirty.insert(key, value))
    }
    fn compare_and_swap(&self, key: &str, old: &str, new: String) -> bool {
        if self.load(key).as_deref() != Some(old) {
            return false;
        }
        self.write(|dirty| match dirty.get_mut(key) {
            Some(value) if value == old => {
                *value = new;
                true
            }
            _ => false,
        })
    }
    fn compare_and_delete(&self, key: &str, old: &str) -> bool {
        if self.load(key).as_deref() != Some(old) {
            return false;
        }
        self.write(|dirty| {
            if dirty.get(key).map(String::as_str) == Some(old) {
                dirty.remove(key);
                true
            } else {
                false
            }
        })
    }
    fn range(&self, f: &mut dyn FnMut(&str, &str) -> bool) {
        if let Some(clean) = self.clean.load() {
            for (key, value) in clean.iter() {
                if !f(key, value) {
                    break;
                }
            }
        }
    }
    fn clear(&self) {
        let _locked = self.mu.lock().unwrap();
        self.clean.store(HashMap::new());
    }
}

/// Go's `mapOp`s.
#[derive(Debug, Clone, Copy)]
enum Op {
    Load,
    Store,
    LoadOrStore,
    LoadAndDelete,
    Delete,
    Swap,
    CompareAndSwap,
    CompareAndDelete,
    Clear,
}

const OPS: [Op; 9] = [
    Op::Load,
    Op::Store,
    Op::LoadOrStore,
    Op::LoadAndDelete,
    Op::Delete,
    Op::Swap,
    Op::CompareAndSwap,
    Op::CompareAndDelete,
    Op::Clear,
];

/// Go's `mapCall`. Unlike Go's generator (which sets `v` only for `Store`
/// and `LoadOrStore`), every call gets a value, so `Swap`, `CompareAndSwap`
/// and `CompareAndDelete` exercise non-nil values too.
#[derive(Debug, Clone)]
struct Call {
    op: Op,
    k: String,
    v: String,
    /// `CompareAndSwap`'s `new` (Go: `rand.Int()`).
    new: String,
}

/// Go's `mapResult`.
type CallResult = (Option<String>, bool);

impl Call {
    /// Go's `mapCall.apply`.
    fn apply(&self, m: &impl MapInterface) -> CallResult {
        let (k, v) = (&self.k, &self.v);
        match self.op {
            Op::Load => {
                let value = m.load(k);
                let ok = value.is_some();
                (value, ok)
            }
            Op::Store => {
                m.store(k.clone(), v.clone());
                (None, false)
            }
            Op::LoadOrStore => {
                let (actual, loaded) = m.load_or_store(k.clone(), v.clone());
                (Some(actual), loaded)
            }
            Op::LoadAndDelete => {
                let value = m.load_and_delete(k);
                let ok = value.is_some();
                (value, ok)
            }
            Op::Delete => {
                m.delete(k);
                (None, false)
            }
            Op::Swap => {
                let previous = m.swap(k.clone(), v.clone());
                let loaded = previous.is_some();
                (previous, loaded)
            }
            Op::CompareAndSwap => {
                if m.compare_and_swap(k, v, self.new.clone()) {
                    m.delete(k);
                    (Some(v.clone()), true)
                } else {
                    (None, false)
                }
            }
            Op::CompareAndDelete => {
                if m.compare_and_delete(k, v) && m.load(k).is_none() {
                    (None, true)
                } else {
                    (None, false)
                }
            }
            Op::Clear => {
                m.clear();
                (None, false)
            }
        }
    }
}

/// Go's `randValue`: 0 to 3 random lowercase letters.
fn rand_value(rng: &mut Rng) -> String {
    (0..rng.below(4))
        .map(|_| char::from(b'a' + rng.below(26) as u8))
        .collect()
}

/// Go's `mapCall.Generate`, for a slice of up to 50 calls as
/// `testing/quick` makes.
fn random_calls(rng: &mut Rng) -> Vec<Call> {
    (0..rng.below(51))
        .map(|_| Call {
            op: OPS[rng.below(OPS.len())],
            k: rand_value(rng),
            v: rand_value(rng),
            new: rng.next_u64().to_string(),
        })
        .collect()
}

/// Go's `applyCalls`: the result of every call, then the final contents
/// as `range` sees them.
fn apply_calls<M: MapInterface>(calls: &[Call]) -> (Vec<CallResult>, HashMap<String, String>) {
    let m = M::default();
    let results = calls.iter().map(|call| call.apply(&m)).collect();
    let mut last = HashMap::new();
    m.range(&mut |k, v| {
        assert!(
            last.insert(k.to_owned(), v.to_owned()).is_none(),
            "range visited {k:?} twice"
        );
        true
    });
    (results, last)
}

/// Go's `quick.CheckEqual(applyMap, applyOther, nil)`, with more inputs
/// than quick's default 100.
fn check_equal<Reference: MapInterface>(seed: u64) {
    let mut rng = Rng::new(seed);
    for case in 0..scaled(500) {
        let calls = random_calls(&mut rng);
        let ours = apply_calls::<Map<String, String>>(&calls);
        let reference = apply_calls::<Reference>(&calls);
        assert_eq!(ours.0, reference.0, "case {case}: results of {calls:?}");
        assert_eq!(
            ours.1, reference.1,
            "case {case}: final contents of {calls:?}"
        );
    }
}

/// Go: `TestMapMatchesRWMutex`.
#[test]
fn test_map_matches_rw_mutex() {
    check_equal::<RwLockMap>(1);
}

/// Go: `TestMapMatchesDeepCopy`.
#[test]
fn test_map_matches_deep_copy() {
    check_equal::<DeepCopyMap>(2);
}

/// Go: `TestConcurrentRange`. Writers store multiples of each key (and
/// load) while `range` runs again and again; every range must visit every
/// key exactly once and see only multiples of it.
#[test]
fn test_concurrent_range() {
    within(HANG, || {
        let map_size: i64 = if cfg!(miri) { 32 } else { 1 << 10 };
        let m = Arc::new(Map::<i64, i64>::new());
        for n in 1..=map_size {
            m.store(n, n);
        }
        let done = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (1..=threads(8) as i64)
            .map(|g| {
                let (m, done) = (Arc::clone(&m), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut r = Rng::new(g as u64);
                    let mut i: i64 = 0;
                    while !done.load(Ordering::Relaxed) {
                        for n in 1..map_size {
                            if r.below(map_size as usize) == 0 {
                                m.store(n, n * (i % 1_000_000) * g);
                            } else {
                                let _ = m.load(&n);
                            }
                        }
                        i += 1;
                    }
                })
            })
            .collect();

        let iters = if cfg!(miri) { 2 } else { 1 << 10 };
        for _ in 0..iters {
            let mut seen = HashSet::with_capacity(map_size as usize);
            m.range(|&k, &v| {
                assert_eq!(
                    v % k,
                    0,
                    "while storing multiples of {k}, range saw value {v}"
                );
                assert!(seen.insert(k), "range visited key {k} twice");
                true
            });
            assert_eq!(
                seen.len(),
                map_size as usize,
                "range visited {} elements of a {map_size}-element map",
                seen.len()
            );
        }
        done.store(true, Ordering::Relaxed);
        for writer in writers {
            writer.join().unwrap();
        }
    });
}

/// Go: `TestIssue40999`. Go stores and deletes fresh keys until the garbage
/// collector has freed one of them (a leak hangs the test). Here keys and
/// values count their drops: some deleted key must be freed while the map
/// lives; after many more deletes most of them must be (deleted entries do
/// not pile up); and after the map drops, all of them exactly once.
#[test]
fn test_issue_40999() {
    within(HANG, || {
        let (keys, values) = (Ledger::new(), Ledger::new());
        let m = Map::<Counted, Counted>::new();
        // Go: "add an initial entry to bias len(m.dirty) above the miss
        // count".
        m.store(Counted::new(&keys, u64::MAX), Counted::new(&values, 0));

        let limit = scaled(1 << 16) as u64;
        let mut i = 0;
        while keys.dropped() == 0 {
            assert!(
                i < limit,
                "no deleted key freed after {limit} store/delete pairs"
            );
            m.store(Counted::new(&keys, i), Counted::new(&values, i));
            m.delete(&i);
            i += 1;
        }

        // Many more deletes, then some other traffic (loads of the bias key
        // promote, in Go's design; stores rebuild).
        let burst = if cfg!(miri) { 64 } else { 20_000 };
        for j in i..i + burst {
            m.store(Counted::new(&keys, j), Counted::new(&values, j));
            m.delete(&j);
        }
        for _ in 0..64 {
            assert!(m.load(&u64::MAX).is_some());
        }
        for j in 0..16 {
            m.store(Counted::new(&keys, u64::MAX - 1), Counted::new(&values, j));
        }
        m.delete(&(u64::MAX - 1));
        let deleted = (i + burst) as usize;
        let bound = (deleted / 4).max(1024);
        for (what, ledger) in [("keys", &keys), ("values", &values)] {
            let alive = ledger.alive_count();
            assert!(
                alive <= bound,
                "{alive} {what} alive after {deleted} deletes (bound {bound}): \
                 deleted entries pile up"
            );
        }
        drop(m);
        keys.assert_all_dropped_once();
        values.assert_all_dropped_once();
    });
}

/// Go: `TestMapRangeNestedCall` (issue 46399): `range` inside `range`,
/// with loads, stores and deletes from the inner callback, and the outer
/// one deleting every key it visits.
#[test]
fn test_map_range_nested_call() {
    within(HANG, || {
        let m = Map::<usize, &'static str>::new();
        for (i, v) in ["hello", "world", "Go"].into_iter().enumerate() {
            m.store(i, v);
        }
        m.range(|&key, _| {
            m.range(|key, value| {
                // We should be able to load the key offered in the range
                // callback, as there are no concurrent deletes.
                let loaded = m.load(key).map(|v| *v);
                assert_eq!(
                    loaded,
                    Some(*value),
                    "nested range loads an unexpected value"
                );
                // 42 was never stored before: a loaded value would be a bug
                // of nested range.
                let (_, loaded) = m.load_or_store(42, "dummy");
                assert!(!loaded, "nested range loads an unexpected value");
                // Store, then load-and-delete, key 42: no later range may
                // see it.
                let val = "sync.Map";
                m.store(42, val);
                let taken = m.load_and_delete(&42).map(|v| *v);
                assert_eq!(taken, Some(val), "nested range loads an unexpected value");
                true
            });
            // Remove the key from the map on the fly.
            m.delete(&key);
            true
        });
        // After a range of deletes, every key is gone and a further range
        // does not call its callback.
        let mut length = 0;
        m.range(|_, _| {
            length += 1;
            true
        });
        assert_eq!(length, 0, "unexpected map size");
    });
}

/// Go: `TestCompareAndSwap_NonExistingKey` (issue 51972): Go compares with
/// `nil`; here an `Option` value compared with `None`.
#[test]
fn test_compare_and_swap_non_existing_key() {
    let m = Map::<u64, Option<u32>>::new();
    assert_eq!(
        m.compare_and_swap(&7, &None, Some(42)),
        Err(Some(42)),
        "compare_and_swap on a non-existing key succeeded"
    );
    assert!(m.load(&7).is_none());
    assert!(!m.compare_and_delete(&7, &None));
}

/// Go: `TestConcurrentClear`: ten threads store, ten load, ten clear, all
/// at once; after a final clear, `range` sees nothing.
#[test]
fn test_concurrent_clear() {
    within(HANG, || {
        let m = Map::<u32, u32>::new();
        let per_role = if cfg!(miri) { 3 } else { 10 };
        std::thread::scope(|s| {
            for i in 0..per_role {
                let m = &m;
                s.spawn(move || m.store(i, i * 10));
                s.spawn(move || {
                    if let Some(value) = m.load(&i) {
                        assert_eq!(*value, i * 10, "key {i}");
                    }
                });
                s.spawn(move || m.clear());
            }
        });
        m.clear();
        for i in 0..per_role {
            assert!(m.load(&i).is_none());
        }
        m.range(|k, v| panic!("after clear, the map contains ({k}, {v}); expected it empty"));
    });
}
