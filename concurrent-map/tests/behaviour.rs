//! The contract of each method of `Map`, one test per promise: every method
//! on an empty map, a present key and keys deleted in several ways;
//! `Borrow` lookups; guards outliving the map; zero-sized values; `range`
//! (early stop, re-entrant calls of every method from its callback, no key
//! visited twice); and panics in `range`'s callback and in user `Hash`,
//! `Eq`, `PartialEq` and `Drop` impls, after which the map must still work,
//! hold every entry, and drop every key and value exactly once.
//!
//! Values may be dropped late (in batches, after deferred reclamation, at
//! the latest when the map drops), so drop counts are only checked once the
//! map is gone, or for values that a live guard must still keep alive.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::hash::BuildHasher;
use std::ops::Deref;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{
    counting_panics, expect_panic, within, Colliding, Counted, Ledger, Rng, Touchy, Trap, HANG,
};
use gosync_concurrent_map::{Guard, Map};

type CountedMap = Map<Counted, Counted>;

fn c(ledger: &Arc<Ledger>, tag: u64) -> Counted {
    Counted::new(ledger, tag)
}

/// The tag and id of a loaded value.
fn seen(value: Option<Guard<Counted>>) -> Option<(u64, usize)> {
    value.map(|g| {
        g.assert_intact();
        (g.tag(), g.id())
    })
}

fn tag(value: Option<Guard<Counted>>) -> Option<u64> {
    seen(value).map(|(tag, _)| tag)
}

/// Present in [`fixture`]: key 1 holds 10.
const PRESENT: u64 = 1;
/// Keys of [`fixture`] that were stored and deleted, each in another way
/// (and, in a read-mostly / dirty-split map, in another internal state).
const DELETED: [u64; 5] = [2, 3, 4, 5, 6];
/// Never stored in [`fixture`].
const ABSENT: u64 = 7;

/// A map holding `PRESENT -> 10`, after the keys in `DELETED` were stored
/// and deleted:
/// - 2: deleted right after its store (still in the dirty part);
/// - 3: loaded often enough to be promoted to the read-only part, then
///   deleted there;
/// - 4: promoted, deleted with `load_and_delete`, then a new key was stored
///   (which, in Go's design, expunges it while rebuilding the dirty part);
/// - 5: removed with `compare_and_delete`;
/// - 6: stored twice, then deleted.
fn fixture(ledger: &Arc<Ledger>) -> CountedMap {
    let m = Map::new();
    m.store(c(ledger, PRESENT), c(ledger, 10));
    m.store(c(ledger, 2), c(ledger, 20));
    m.delete(&2);
    m.store(c(ledger, 3), c(ledger, 30));
    for _ in 0..8 {
        assert_eq!(tag(m.load(&3)), Some(30));
    }
    m.delete(&3);
    m.store(c(ledger, 4), c(ledger, 40));
    for _ in 0..8 {
        assert_eq!(tag(m.load(&4)), Some(40));
    }
    assert_eq!(tag(m.load_and_delete(&4)), Some(40));
    m.store(c(ledger, 5), c(ledger, 50));
    assert!(m.compare_and_delete(&5, &c(ledger, 50)));
    m.store(c(ledger, 6), c(ledger, 60));
    m.store(c(ledger, 6), c(ledger, 61));
    m.delete(&6);
    for _ in 0..8 {
        assert_eq!(tag(m.load(&PRESENT)), Some(10));
    }
    m
}

/// Panics unless `m` maps exactly `expected` among the keys `0..=ABSENT`
/// (checked with `load`, not `range`).
fn assert_holds(m: &CountedMap, expected: &[(u64, u64)]) {
    for key in 0..=ABSENT + 1 {
        let want = expected.iter().find(|(k, _)| *k == key).map(|&(_, v)| v);
        assert_eq!(tag(m.load(&key)), want, "key {key}");
    }
}

#[test]
fn send_sync_default_debug() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_default_debug<T: Default + Debug>() {}
    fn assert_guard<G: Clone + Deref<Target = u32>>() {}
    assert_send_sync::<Map<u32, u32>>();
    assert_send_sync::<Map<String, Vec<u8>>>();
    assert_send_sync::<Map<Counted, Counted, Colliding>>();
    assert_default_debug::<Map<u32, u32>>();
    assert_default_debug::<Map<String, String, Colliding>>();
    assert_guard::<Guard<u32>>();

    let m = Map::<u32, u32>::default();
    assert!(m.load(&1).is_none());
    m.store(1, 2);
    assert_eq!(m.load(&1).as_deref(), Some(&2));
    assert!(!format!("{m:?}").is_empty());
    let m = Map::<String, String, Colliding>::default();
    m.store("a".into(), "b".into());
    assert_eq!(m.load("a").as_deref().map(String::as_str), Some("b"));
}

#[test]
fn load_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    for key in 0..10 {
        assert!(empty.load(&key).is_none());
    }
    let m = fixture(&ledger);
    let first = m.load(&PRESENT).unwrap();
    assert_eq!(first.tag(), 10);
    let again = m.load(&PRESENT).unwrap();
    assert!(Guard::ptr_eq(&first, &again), "two loads, one stored value");
    for key in DELETED.into_iter().chain([ABSENT]) {
        assert!(m.load(&key).is_none(), "key {key}");
    }
    drop((first, again, m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn store_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    empty.store(c(&ledger, 0), c(&ledger, 100));
    assert_eq!(tag(empty.load(&0)), Some(100));

    let m = fixture(&ledger);
    let old = m.load(&PRESENT).unwrap();
    m.store(c(&ledger, PRESENT), c(&ledger, 11));
    assert_eq!(tag(m.load(&PRESENT)), Some(11));
    old.assert_intact();
    assert_eq!(old.tag(), 10, "a guard keeps the value it loaded");
    for key in DELETED {
        m.store(c(&ledger, key), c(&ledger, key * 100));
    }
    m.store(c(&ledger, ABSENT), c(&ledger, ABSENT * 100));
    let mut expected: Vec<(u64, u64)> = DELETED.iter().map(|&k| (k, k * 100)).collect();
    expected.extend([(PRESENT, 11), (ABSENT, ABSENT * 100)]);
    assert_holds(&m, &expected);
    drop((old, m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn load_or_store_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    let (stored, loaded) = empty.load_or_store(c(&ledger, 0), c(&ledger, 100));
    assert_eq!((stored.tag(), loaded), (100, false));
    assert!(Guard::ptr_eq(&stored, &empty.load(&0).unwrap()));

    let m = fixture(&ledger);
    let existing = m.load(&PRESENT).unwrap();
    let offered = c(&ledger, 99);
    let offered_id = offered.id();
    let (actual, loaded) = m.load_or_store(c(&ledger, PRESENT), offered);
    assert!(loaded);
    assert!(
        Guard::ptr_eq(&actual, &existing),
        "(existing, true), not a copy"
    );
    assert_eq!(actual.tag(), 10);
    assert_eq!(tag(m.load(&PRESENT)), Some(10), "existing value kept");
    for key in DELETED.into_iter().chain([ABSENT]) {
        let offered = c(&ledger, key * 100);
        let id = offered.id();
        let (actual, loaded) = m.load_or_store(c(&ledger, key), offered);
        assert_eq!((actual.tag(), actual.id(), loaded), (key * 100, id, false));
        assert_eq!(seen(m.load(&key)), Some((key * 100, id)));
    }
    drop((stored, actual, existing, m, empty));
    assert_eq!(
        ledger.drops_of(offered_id),
        1,
        "the value not stored is dropped, exactly once"
    );
    ledger.assert_all_dropped_once();
}

#[test]
fn load_and_delete_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    assert!(empty.load_and_delete(&0).is_none());
    assert!(empty.load(&0).is_none());

    let m = fixture(&ledger);
    let before = m.load(&PRESENT).unwrap();
    let taken = m.load_and_delete(&PRESENT).unwrap();
    assert!(Guard::ptr_eq(&before, &taken));
    assert!(m.load(&PRESENT).is_none());
    assert!(m.load_and_delete(&PRESENT).is_none(), "already deleted");
    for key in DELETED.into_iter().chain([ABSENT]) {
        assert!(m.load_and_delete(&key).is_none(), "key {key}");
    }
    assert_holds(&m, &[]);
    drop(m);
    assert_eq!(taken.tag(), 10, "the guard outlives the map");
    drop((before, taken, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn delete_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    empty.delete(&0);
    assert!(empty.load(&0).is_none());

    let m = fixture(&ledger);
    m.delete(&PRESENT);
    assert!(m.load(&PRESENT).is_none());
    m.delete(&PRESENT);
    for key in DELETED.into_iter().chain([ABSENT]) {
        m.delete(&key);
    }
    assert_holds(&m, &[]);
    m.store(c(&ledger, PRESENT), c(&ledger, 12));
    assert_holds(&m, &[(PRESENT, 12)]);
    drop((m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn swap_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    assert!(empty.swap(c(&ledger, 0), c(&ledger, 100)).is_none());
    assert_eq!(tag(empty.load(&0)), Some(100));

    let m = fixture(&ledger);
    let before = m.load(&PRESENT).unwrap();
    let previous = m.swap(c(&ledger, PRESENT), c(&ledger, 11)).unwrap();
    assert!(Guard::ptr_eq(&before, &previous), "the previous value");
    assert_eq!(tag(m.load(&PRESENT)), Some(11));
    let second = m.swap(c(&ledger, PRESENT), c(&ledger, 12)).unwrap();
    assert_eq!(second.tag(), 11);
    for key in DELETED.into_iter().chain([ABSENT]) {
        assert!(m.swap(c(&ledger, key), c(&ledger, key * 100)).is_none());
        assert_eq!(tag(m.load(&key)), Some(key * 100));
    }
    drop((m, empty));
    assert_eq!((before.tag(), previous.tag(), second.tag()), (10, 10, 11));
    drop((before, previous, second));
    ledger.assert_all_dropped_once();
}

#[test]
fn compare_and_swap_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    let new = c(&ledger, 5);
    let new_id = new.id();
    let back = empty.compare_and_swap(&0, &c(&ledger, 5), new).unwrap_err();
    assert_eq!((back.tag(), back.id()), (5, new_id), "Err gives `new` back");
    back.assert_intact();
    drop(back);
    assert!(empty.load(&0).is_none(), "no insert on a missing key");

    let m = fixture(&ledger);
    // Mismatch: `new` comes back, the value stays.
    let new = c(&ledger, 11);
    let new_id = new.id();
    let back = m
        .compare_and_swap(&PRESENT, &c(&ledger, 9), new)
        .unwrap_err();
    assert_eq!((back.tag(), back.id()), (11, new_id));
    drop(back);
    assert_eq!(tag(m.load(&PRESENT)), Some(10));
    // Match with an equal but distinct `old`.
    let new = c(&ledger, 11);
    let new_id = new.id();
    assert!(m.compare_and_swap(&PRESENT, &c(&ledger, 10), new).is_ok());
    assert_eq!(seen(m.load(&PRESENT)), Some((11, new_id)));
    // Matching the old value again fails now.
    assert!(m
        .compare_and_swap(&PRESENT, &c(&ledger, 10), c(&ledger, 12))
        .is_err());
    for key in DELETED.into_iter().chain([ABSENT]) {
        for old in [key * 10, 0] {
            let new = c(&ledger, 1000 + key);
            let new_id = new.id();
            let back = m.compare_and_swap(&key, &c(&ledger, old), new).unwrap_err();
            assert_eq!((back.tag(), back.id()), (1000 + key, new_id), "key {key}");
        }
    }
    assert_holds(&m, &[(PRESENT, 11)]);
    drop((m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn compare_and_delete_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    assert!(!empty.compare_and_delete(&0, &c(&ledger, 0)));

    let m = fixture(&ledger);
    assert!(!m.compare_and_delete(&PRESENT, &c(&ledger, 9)), "mismatch");
    assert_eq!(tag(m.load(&PRESENT)), Some(10));
    assert!(m.compare_and_delete(&PRESENT, &c(&ledger, 10)));
    assert!(m.load(&PRESENT).is_none());
    assert!(!m.compare_and_delete(&PRESENT, &c(&ledger, 10)), "gone");
    for key in DELETED.into_iter().chain([ABSENT]) {
        assert!(!m.compare_and_delete(&key, &c(&ledger, key * 10)));
    }
    assert_holds(&m, &[]);
    drop((m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn clear_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    empty.clear();
    empty.clear();
    assert!(empty.load(&0).is_none());

    let m = fixture(&ledger);
    let guard = m.load(&PRESENT).unwrap();
    for key in 10..20 {
        m.store(c(&ledger, key), c(&ledger, key));
    }
    m.clear();
    assert_holds(&m, &[]);
    for key in 10..20 {
        assert!(m.load(&key).is_none());
    }
    assert_eq!(guard.tag(), 10, "a guard survives clear");
    // Usable after clear, for old and new keys alike.
    m.store(c(&ledger, PRESENT), c(&ledger, 13));
    m.store(c(&ledger, 2), c(&ledger, 23));
    assert_holds(&m, &[(PRESENT, 13), (2, 23)]);
    m.clear();
    m.clear();
    assert_holds(&m, &[]);
    drop((guard, m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn range_on_empty_present_and_deleted_keys() {
    let ledger = Ledger::new();
    let empty = CountedMap::new();
    empty.range(|k, v| panic!("range of an empty map visited ({k:?}, {v:?})"));

    let m = fixture(&ledger);
    let mut visits = Vec::new();
    m.range(|k, v| {
        visits.push((k.tag(), v.tag()));
        true
    });
    assert_eq!(visits, [(PRESENT, 10)], "deleted keys are not visited");
    for key in DELETED {
        m.store(c(&ledger, key), c(&ledger, key * 100));
    }
    let mut visits = Vec::new();
    m.range(|k, v| {
        k.assert_intact();
        v.assert_intact();
        visits.push((k.tag(), v.tag()));
        true
    });
    visits.sort_unstable();
    let mut expected: Vec<(u64, u64)> = DELETED.iter().map(|&k| (k, k * 100)).collect();
    expected.push((PRESENT, 10));
    expected.sort_unstable();
    assert_eq!(visits, expected);
    m.clear();
    m.range(|k, _| panic!("range after clear visited {k:?}"));
    drop((m, empty));
    ledger.assert_all_dropped_once();
}

#[test]
fn range_stops_when_f_returns_false() {
    let m = Map::new();
    for i in 0..32u32 {
        m.store(i, i);
    }
    for stop_after in [1, 2, 7, 32] {
        let mut calls = 0;
        m.range(|_, _| {
            calls += 1;
            calls < stop_after
        });
        assert_eq!(calls, stop_after, "f returned false on call {stop_after}");
    }
    let mut calls = 0;
    m.range(|_, _| {
        calls += 1;
        true
    });
    assert_eq!(calls, 32);
}

#[test]
fn borrowed_lookups_of_string_keys_with_str() {
    let m: Map<String, u32> = Map::new();
    m.store("one".to_owned(), 1);
    m.store("two".to_owned(), 2);
    m.store("three".to_owned(), 3);
    m.store("four".to_owned(), 4);
    assert_eq!(m.load("one").as_deref(), Some(&1));
    assert!(m.load("five").is_none());
    assert_eq!(m.load_and_delete("two").as_deref(), Some(&2));
    assert!(m.load("two").is_none());
    m.delete("three");
    assert!(m.load("three").is_none());
    assert_eq!(m.compare_and_swap("four", &4, 40), Ok(()));
    assert_eq!(m.compare_and_swap("four", &4, 41), Err(41));
    assert_eq!(m.compare_and_swap("five", &4, 42), Err(42));
    assert!(!m.compare_and_delete("four", &4));
    assert!(m.compare_and_delete("four", &40));
    assert!(!m.compare_and_delete("five", &0));
    let key = String::from("one");
    assert_eq!(m.load(&key).as_deref(), Some(&1), "&String works as well");
    assert_eq!(m.load(key.as_str()).as_deref(), Some(&1));
}

#[test]
fn every_key_in_one_bucket() {
    // A hasher under which all keys collide: only `Eq` tells them apart.
    let ledger = Ledger::new();
    let m: Map<Counted, Counted, Colliding> = Map::with_hasher(Colliding::default());
    for key in 0..40 {
        m.store(c(&ledger, key), c(&ledger, key * 10));
    }
    for key in (0..40).step_by(3) {
        m.delete(&key);
    }
    for key in 0..40 {
        let want = (key % 3 != 0).then_some(key * 10);
        assert_eq!(tag(m.load(&key)), want, "key {key}");
    }
    assert!(m.swap(c(&ledger, 3), c(&ledger, 1)).is_none());
    assert_eq!(tag(m.swap(c(&ledger, 3), c(&ledger, 2))), Some(1));
    assert!(m
        .compare_and_swap(&4, &c(&ledger, 40), c(&ledger, 4))
        .is_ok());
    assert!(m.compare_and_delete(&5, &c(&ledger, 50)));
    assert_eq!(tag(m.load(&4)), Some(4));
    assert!(m.load(&5).is_none());
    drop(m);
    ledger.assert_all_dropped_once();
}

#[test]
fn many_keys_grow_and_shrink() {
    let ledger = Ledger::new();
    let m = CountedMap::new();
    let n = if cfg!(miri) { 100 } else { 20_000 };
    for key in 0..n {
        m.store(c(&ledger, key), c(&ledger, key + 1));
        if key % 7 == 0 {
            // Reads in between, so a read-mostly map promotes now and then.
            assert_eq!(tag(m.load(&(key / 2))), Some(key / 2 + 1));
        }
    }
    for key in (0..n).filter(|k| k % 2 == 0) {
        assert_eq!(tag(m.load_and_delete(&key)), Some(key + 1));
    }
    for key in 0..n {
        let want = (key % 2 == 1).then_some(key + 1);
        assert_eq!(tag(m.load(&key)), want, "key {key}");
    }
    drop(m);
    ledger.assert_all_dropped_once();
}

#[test]
fn guards_outlive_the_map() {
    let ledger = Ledger::new();
    let m = fixture(&ledger);
    for key in 10..16 {
        m.store(c(&ledger, key), c(&ledger, key));
    }
    let loaded = m.load(&PRESENT).unwrap();
    let clone = loaded.clone();
    let (existing, was_loaded) = m.load_or_store(c(&ledger, 10), c(&ledger, 0));
    assert!(was_loaded);
    let previous = m.swap(c(&ledger, 11), c(&ledger, 111)).unwrap();
    let taken = m.load_and_delete(&12).unwrap();
    let guards = [&loaded, &clone, &existing, &previous, &taken];
    let expected: Vec<(u64, usize)> = guards.iter().map(|g| (g.tag(), g.id())).collect();
    m.clear();
    drop(m);
    for (guard, &(tag, id)) in guards.iter().zip(&expected) {
        guard.assert_intact();
        assert_eq!((guard.tag(), guard.id()), (tag, id));
    }
    // An `Arc` from a guard crosses threads, after the map is gone.
    let arc = Guard::into_arc(taken);
    let from_thread = std::thread::spawn(move || {
        arc.assert_intact();
        arc.tag()
    })
    .join()
    .unwrap();
    assert_eq!(from_thread, 12);
    drop(loaded);
    clone.assert_intact();
    drop((clone, existing, previous));
    ledger.assert_all_dropped_once();
}

#[test]
fn zero_sized_keys_and_values() {
    static ZST_DROPS: AtomicUsize = AtomicUsize::new(0);
    #[derive(Debug, PartialEq)]
    struct Zst;
    impl Drop for Zst {
        fn drop(&mut self) {
            ZST_DROPS.fetch_add(1, Ordering::SeqCst);
        }
    }
    let mut made = 0;
    let mut zst = || {
        made += 1;
        Zst
    };
    let m: Map<u32, Zst> = Map::new();
    for key in 0..50 {
        m.store(key, zst());
    }
    for key in 0..50 {
        m.store(key, zst());
    }
    let (_, loaded) = m.load_or_store(3, zst());
    assert!(loaded);
    assert!(m.swap(4, zst()).is_some());
    assert_eq!(m.compare_and_swap(&5, &Zst, zst()), Ok(()));
    assert!(m.compare_and_delete(&6, &Zst));
    assert!(m.load_and_delete(&7).is_some());
    m.delete(&8);
    let guard = m.load(&9).unwrap();
    for key in 0..50 {
        assert_eq!(m.load(&key).is_some(), !(6..=8).contains(&key), "key {key}");
    }
    drop(m);
    let _: &Zst = &guard;
    drop(guard);
    assert_eq!(
        ZST_DROPS.load(Ordering::SeqCst),
        made + 2,
        "+ the two `old`s"
    );

    // A unit key: a map of at most one entry.
    let unit: Map<(), ()> = Map::new();
    assert!(unit.load(&()).is_none());
    unit.store((), ());
    assert!(unit.load(&()).is_some());
    assert!(unit.load_or_store((), ()).1);
    assert!(unit.compare_and_delete(&(), &()));
    assert!(unit.load(&()).is_none());
}

#[test]
fn range_calls_every_method_of_the_same_map_from_f() {
    const KEYS: u64 = if cfg!(miri) { 6 } else { 16 };
    within(HANG, || {
        let ledger = Ledger::new();
        let m = CountedMap::new();
        for key in 0..KEYS {
            m.store(c(&ledger, key), c(&ledger, key));
        }
        let mut visited = HashSet::new();
        m.range(|k, v| {
            let key = k.tag();
            assert!(visited.insert(key), "key {key} visited twice");
            v.assert_intact();
            if key >= KEYS {
                // A key stored by f (and deleted again) seen by the range.
                return true;
            }
            // Every method, on this key, on others and on new keys.
            assert!(m.load(&key).is_some());
            m.store(c(&ledger, key), c(&ledger, v.tag()));
            m.store(c(&ledger, 100 + key), c(&ledger, 100 + key));
            let _ = m.load_or_store(c(&ledger, 200 + key), c(&ledger, 200 + key));
            let _ = m.swap(c(&ledger, 300 + key), c(&ledger, 300 + key));
            let _ = m.compare_and_swap(&key, &c(&ledger, key), c(&ledger, key));
            let _ = m.compare_and_delete(&(300 + key), &c(&ledger, 300 + key));
            let _ = m.load_and_delete(&(200 + key));
            m.delete(&(100 + key));
            let mut inner = 0;
            m.range(|_, _| {
                inner += 1;
                inner < 3
            });
            true
        });
        assert!((0..KEYS).all(|k| visited.contains(&k)), "{visited:?}");
        for key in 0..KEYS {
            assert_eq!(tag(m.load(&key)), Some(key));
        }
        // And clear from inside f: the range ends without hanging.
        let mut calls = 0;
        m.range(|_, _| {
            calls += 1;
            m.clear();
            true
        });
        assert!(calls >= 1);
        for key in (0..4).flat_map(|h| (0..KEYS).map(move |k| 100 * h + k)) {
            assert!(m.load(&key).is_none(), "key {key} after clear");
        }
        drop(m);
        ledger.assert_all_dropped_once();
    });
}

#[test]
fn range_never_visits_a_key_twice_while_f_stores_new_keys() {
    within(HANG, || {
        let m: Map<u64, u64> = Map::new();
        let initial = if cfg!(miri) { 16 } else { 64 };
        let limit = if cfg!(miri) { 200 } else { 10_000 };
        for key in 0..initial {
            m.store(key, key);
        }
        let mut visits: HashMap<u64, usize> = HashMap::new();
        let mut next = initial;
        m.range(|&k, &v| {
            assert!(v == k || v == k + 1_000_000, "({k}, {v})");
            *visits.entry(k).or_default() += 1;
            // Overwrite this key, grow the map by two fresh keys, and
            // overwrite a key that may not have been visited yet.
            m.store(k, k + 1_000_000);
            m.store(next, next);
            m.store(next + 1, next + 1);
            m.store((k * 7) % initial, (k * 7) % initial + 1_000_000);
            next += 2;
            next < limit
        });
        let twice: Vec<_> = visits.iter().filter(|(_, &n)| n > 1).collect();
        assert!(twice.is_empty(), "visited more than once: {twice:?}");
        if next < limit {
            for key in 0..initial {
                assert_eq!(visits.get(&key), Some(&1), "key {key}, present throughout");
            }
        }
    });
}

#[test]
fn range_while_f_deletes_keys() {
    // Go's TestMapRangeNestedCall deletes the visited key; here f also
    // deletes keys not visited yet, which may then be visited or not.
    within(HANG, || {
        let m: Map<u32, u32> = Map::new();
        for key in 0..64 {
            m.store(key, key);
        }
        let mut visited = HashSet::new();
        m.range(|&k, &v| {
            assert_eq!(k, v);
            assert!(visited.insert(k), "key {k} visited twice");
            m.delete(&k);
            m.delete(&((k + 1) % 64));
            true
        });
        assert!(!visited.is_empty());
        for key in 0..64 {
            assert!(m.load(&key).is_none());
        }
        m.range(|k, _| panic!("{k} left after deleting everything"));
    });
}

#[test]
fn panic_in_range_callback_leaves_the_map_usable() {
    within(HANG, || {
        let ledger = Ledger::new();
        let m = CountedMap::new();
        for key in 0..16 {
            m.store(c(&ledger, key), c(&ledger, key));
        }
        for panic_on_call in [1, 5, 16] {
            let mut calls = 0;
            expect_panic("boom in range", || {
                m.range(|_, _| {
                    calls += 1;
                    if calls == panic_on_call {
                        panic!("boom in range (call {calls})");
                    }
                    true
                })
            });
            // Usable, nothing lost, nothing locked.
            for key in 0..16 {
                assert_eq!(tag(m.load(&key)), Some(key));
            }
            m.store(c(&ledger, 100), c(&ledger, 100));
            m.delete(&100);
        }
        // A panic in a nested range, unwinding through the outer one.
        expect_panic("boom in nested range", || {
            m.range(|_, _| {
                m.range(|_, _| panic!("boom in nested range"));
                true
            })
        });
        let mut seen = Vec::new();
        m.range(|k, v| {
            seen.push((k.tag(), v.tag()));
            true
        });
        seen.sort_unstable();
        assert_eq!(seen, (0..16).map(|k| (k, k)).collect::<Vec<_>>());
        drop(m);
        ledger.assert_all_dropped_once();
    });
}

/// A `Touchy` key or value.
fn t(ledger: &Arc<Ledger>, trap: &Arc<Trap>, n: u32) -> Touchy {
    Touchy::new(ledger, trap, n)
}

type TouchyMap<S = std::hash::RandomState> = Map<Touchy, Touchy, S>;

#[test]
fn panic_in_hash_of_the_key_looked_up_or_stored() {
    within(HANG, || {
        let (ledger, trap) = (Ledger::new(), Trap::new());
        let m = TouchyMap::new();
        for key in 0..8 {
            m.store(t(&ledger, &trap, key), t(&ledger, &trap, 1000 + key));
        }
        trap.arm_hash(99);
        let probe = || t(&ledger, &trap, 99);
        let value = || t(&ledger, &trap, 1099);
        expect_panic("trap: Hash of 99", || m.store(probe(), value()));
        expect_panic("trap", || drop(m.load(&probe())));
        expect_panic("trap", || drop(m.load_or_store(probe(), value())));
        expect_panic("trap", || drop(m.swap(probe(), value())));
        expect_panic("trap", || drop(m.load_and_delete(&probe())));
        expect_panic("trap", || m.delete(&probe()));
        expect_panic("trap", || {
            drop(m.compare_and_swap(&probe(), &value(), value()))
        });
        expect_panic("trap", || {
            m.compare_and_delete(&probe(), &value());
        });
        assert_eq!(trap.sprung(), 8);
        // Other keys still work, during and after.
        for key in 0..8 {
            let probe = t(&ledger, &trap, key);
            assert_eq!(m.load(&probe).map(|v| v.n()), Some(1000 + key));
        }
        m.store(t(&ledger, &trap, 8), t(&ledger, &trap, 1008));
        trap.disarm();
        assert!(
            m.load(&probe()).is_none(),
            "the failed stores stored nothing"
        );
        m.store(probe(), value());
        assert_eq!(m.load(&probe()).map(|v| v.n()), Some(1099));
        for key in 0..9 {
            let probe = t(&ledger, &trap, key);
            assert_eq!(m.load(&probe).map(|v| v.n()), Some(1000 + key));
        }
        drop(m);
        ledger.assert_all_dropped_once();
    });
}

/// What a key may hold after operations that panicked part-way: any of
/// these values (`None`: absent).
type Possible = HashMap<u32, HashSet<Option<u32>>>;

/// Runs random operations on keys `0..KEYS` of `m` with each wrapped in
/// `catch_unwind`, tracking what every key may hold: exactly the value a
/// completed operation implies, or, after a panic, the old possibilities
/// plus the operation's effect. Checks every completed operation's result
/// against what was possible. Returns how many operations panicked.
fn ops_under_trap<S: BuildHasher>(
    m: &TouchyMap<S>,
    ledger: &Arc<Ledger>,
    trap: &Arc<Trap>,
    possible: &mut Possible,
    seed: u64,
    steps: usize,
) -> usize {
    const KEYS: u32 = 8;
    let mut rng = Rng::new(seed);
    let mut panics = 0;
    let first_value = 10_000 + 1000 * seed as u32;
    for new in (first_value..).take(steps) {
        let key = rng.below(KEYS as usize) as u32;
        let k = || t(ledger, trap, key);
        let v = |n| t(ledger, trap, n);
        let can = possible.get(&key).cloned().unwrap_or_default();
        let present: Vec<u32> = can.iter().flatten().copied().collect();
        let guess = if !present.is_empty() && rng.one_in(2) {
            present[rng.below(present.len())]
        } else {
            new + 7_000_000
        };
        let op = rng.below(9);
        let mut outcome: Option<Option<u32>> = None;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match op {
            0 => {
                let got = m.load(&k()).map(|g| g.n());
                assert!(
                    can.contains(&got),
                    "load({key}) = {got:?}, possible {can:?}"
                );
                outcome = Some(got);
            }
            1 => {
                m.store(k(), v(new));
                outcome = Some(Some(new));
            }
            2 => {
                let (actual, loaded) = m.load_or_store(k(), v(new));
                let got = loaded.then(|| actual.n());
                assert!(can.contains(&got), "load_or_store({key}): {got:?} {can:?}");
                if !loaded {
                    assert_eq!(actual.n(), new);
                }
                outcome = Some(Some(actual.n()));
            }
            3 => {
                let got = m.load_and_delete(&k()).map(|g| g.n());
                assert!(
                    can.contains(&got),
                    "load_and_delete({key}): {got:?} {can:?}"
                );
                outcome = Some(None);
            }
            4 => {
                m.delete(&k());
                outcome = Some(None);
            }
            5 => {
                let got = m.swap(k(), v(new)).map(|g| g.n());
                assert!(can.contains(&got), "swap({key}): {got:?} {can:?}");
                outcome = Some(Some(new));
            }
            6 => match m.compare_and_swap(&k(), &v(guess), v(new)) {
                Ok(()) => {
                    assert!(can.contains(&Some(guess)), "cas({key}, {guess}) {can:?}");
                    outcome = Some(Some(new));
                }
                Err(back) => {
                    assert_eq!(back.n(), new, "Err gives `new` back");
                    let mut rest = can.clone();
                    rest.remove(&Some(guess));
                    assert!(!rest.is_empty(), "cas({key}, {guess}) failed, {can:?}");
                    if rest.len() == 1 {
                        outcome = rest.into_iter().next();
                    }
                }
            },
            7 => {
                if m.compare_and_delete(&k(), &v(guess)) {
                    assert!(can.contains(&Some(guess)), "cad({key}, {guess}) {can:?}");
                    outcome = Some(None);
                } else {
                    let mut rest = can.clone();
                    rest.remove(&Some(guess));
                    assert!(!rest.is_empty(), "cad({key}, {guess}) failed, {can:?}");
                    if rest.len() == 1 {
                        outcome = rest.into_iter().next();
                    }
                }
            }
            _ => {
                if rng.one_in(4) {
                    m.clear();
                    for set in possible.values_mut() {
                        *set = HashSet::from([None]);
                    }
                }
            }
        }));
        match (result, outcome) {
            (Ok(()), Some(known)) => {
                possible.insert(key, HashSet::from([known]));
            }
            (Ok(()), None) => {}
            (Err(payload), _) => {
                let message = common::panic_message(&*payload);
                assert!(message.starts_with("trap"), "not a trap: {message}");
                panics += 1;
                let set = possible.entry(key).or_default();
                match op {
                    1 | 2 | 5 | 6 => {
                        set.insert(Some(new));
                    }
                    3 | 4 | 7 => {
                        set.insert(None);
                    }
                    8 => {
                        for set in possible.values_mut() {
                            set.insert(None);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    panics
}

/// Disarms the trap and checks that every key of `0..8` holds one of its
/// possible values, then narrows `possible` to what it holds.
fn check_possible<S: BuildHasher>(
    m: &TouchyMap<S>,
    ledger: &Arc<Ledger>,
    trap: &Arc<Trap>,
    possible: &mut Possible,
) {
    trap.disarm();
    for key in 0..8 {
        let got = m.load(&t(ledger, trap, key)).map(|g| g.n());
        let can = possible.entry(key).or_insert_with(|| HashSet::from([None]));
        assert!(
            can.contains(&got),
            "key {key} holds {got:?}; possible: {can:?}"
        );
        *can = HashSet::from([got]);
    }
}

/// Fills keys `0..8`, arms `arm` (for key 3, present), runs operations
/// that may panic, disarms, and checks that no entry was lost or changed
/// behind the model's back, that the map keeps working, and that every key
/// and value is dropped exactly once.
fn trap_on_a_stored_key<S: BuildHasher>(m: TouchyMap<S>, arm: impl Fn(&Trap)) {
    let (ledger, trap) = (Ledger::new(), Trap::new());
    let mut possible = Possible::new();
    for key in 0..8 {
        m.store(t(&ledger, &trap, key), t(&ledger, &trap, 100 + key));
        possible.insert(key, HashSet::from([Some(100 + key)]));
    }
    let mut panics = 0;
    for round in 0..if cfg!(miri) { 1 } else { 20 } {
        arm(&trap);
        panics += ops_under_trap(&m, &ledger, &trap, &mut possible, round, 40);
        check_possible(&m, &ledger, &trap, &mut possible);
        // Disarmed: the map works exactly.
        ops_under_trap(&m, &ledger, &trap, &mut possible, 100 + round, 20);
        check_possible(&m, &ledger, &trap, &mut possible);
    }
    assert!(panics > 0, "the trap never went off");
    drop(m);
    ledger.assert_all_dropped_once();
}

#[test]
fn panic_in_hash_of_a_stored_key() {
    within(HANG, || {
        trap_on_a_stored_key(TouchyMap::new(), |trap| trap.arm_hash(3))
    });
}

#[test]
fn panic_in_eq_of_a_stored_key() {
    // All keys collide, so lookups of any key may compare it with key 3.
    within(HANG, || {
        trap_on_a_stored_key(TouchyMap::with_hasher(Colliding::default()), |trap| {
            trap.arm_eq(3)
        })
    });
}

#[test]
fn panic_in_eq_of_the_key_looked_up() {
    within(HANG, || {
        let (ledger, trap) = (Ledger::new(), Trap::new());
        let m = TouchyMap::with_hasher(Colliding::default());
        for key in 0..8 {
            m.store(t(&ledger, &trap, key), t(&ledger, &trap, 100 + key));
        }
        trap.arm_eq(50);
        let probe = || t(&ledger, &trap, 50);
        expect_panic("trap: Eq", || drop(m.load(&probe())));
        expect_panic("trap: Eq", || {
            m.store(probe(), t(&ledger, &trap, 150));
        });
        expect_panic("trap: Eq", || m.delete(&probe()));
        trap.disarm();
        for key in 0..8 {
            let got = m.load(&t(&ledger, &trap, key)).map(|g| g.n());
            assert_eq!(got, Some(100 + key));
        }
        assert!(m.load(&probe()).is_none());
        drop(m);
        ledger.assert_all_dropped_once();
    });
}

#[test]
fn panic_in_value_eq_during_compare_and_swap_and_compare_and_delete() {
    within(HANG, || {
        let (ledger, trap) = (Ledger::new(), Trap::new());
        let m: Map<u32, Touchy> = Map::new();
        for key in 0..8 {
            m.store(key, t(&ledger, &trap, 100 + key));
        }
        let stored_id = m.load(&3).unwrap().id();
        trap.arm_eq(103);
        // The stored value's `==` panics.
        let new = t(&ledger, &trap, 500);
        let new_id = new.id();
        expect_panic("trap: Eq", || {
            let _ = m.compare_and_swap(&3, &t(&ledger, &trap, 103), new);
        });
        expect_panic("trap: Eq", || {
            let _ = m.compare_and_swap(&3, &t(&ledger, &trap, 7), t(&ledger, &trap, 501));
        });
        expect_panic("trap: Eq", || {
            m.compare_and_delete(&3, &t(&ledger, &trap, 103));
        });
        // `old`'s `==` panics, compared with another key's value.
        expect_panic("trap: Eq", || {
            let _ = m.compare_and_swap(&4, &t(&ledger, &trap, 103), t(&ledger, &trap, 502));
        });
        expect_panic("trap: Eq", || {
            m.compare_and_delete(&4, &t(&ledger, &trap, 103));
        });
        assert_eq!(m.load(&3).map(|g| (g.n(), g.id())), Some((103, stored_id)));
        assert_eq!(m.load(&4).map(|g| g.n()), Some(104));
        // Unarmed values still compare.
        assert!(m
            .compare_and_swap(&5, &t(&ledger, &trap, 105), t(&ledger, &trap, 5))
            .is_ok());
        assert!(m.compare_and_delete(&6, &t(&ledger, &trap, 106)));
        trap.disarm();
        assert!(m
            .compare_and_swap(&3, &t(&ledger, &trap, 103), t(&ledger, &trap, 3))
            .is_ok());
        assert!(m.compare_and_delete(&4, &t(&ledger, &trap, 104)));
        let got: Vec<Option<u32>> = (0..8).map(|k| m.load(&k).map(|g| g.n())).collect();
        let want = [100, 101, 102, 3, 0, 5, 0, 107].map(|n| (n != 0).then_some(n));
        assert_eq!(got, want);
        drop(m);
        assert_eq!(ledger.drops_of(new_id), 1, "`new` of the panicked CAS");
        ledger.assert_all_dropped_once();
    });
}

/// Keys at which the tests below place their bomb: where a map's drop or
/// clear meets it depends on the hashes, so every position is tried.
fn bomb_keys() -> std::ops::Range<u32> {
    if cfg!(miri) {
        3..5
    } else {
        0..8
    }
}

#[test]
fn panicking_value_drop_when_the_map_drops() {
    for bomb_key in bomb_keys() {
        let (ledger, trap) = (Ledger::new(), Trap::new());
        let m: Map<u32, Touchy> = Map::new();
        for key in 0..8 {
            let value = if key == bomb_key {
                Touchy::bomb(&ledger, &trap, key)
            } else {
                t(&ledger, &trap, key)
            };
            m.store(key, value);
        }
        let guarded = (bomb_key + 1) % 8;
        let guard = m.load(&guarded).unwrap();
        expect_panic(&format!("bomb {bomb_key}"), || drop(m));
        assert_eq!(
            ledger.alive(),
            [guard.id()],
            "bomb at {bomb_key}: every other value dropped, the guarded one kept"
        );
        drop(guard);
        ledger.assert_all_dropped_once();
    }
}

#[test]
fn panicking_value_drop_when_values_are_replaced() {
    // Wherever the bomb's drop runs (the operation that replaces it, a
    // later reclamation, the map's drop), its panic surfaces exactly once,
    // the map still works and every other value is dropped exactly once.
    for how in ["store", "delete", "clear", "swap"] {
        for bomb_key in bomb_keys() {
            let (ledger, trap) = (Ledger::new(), Trap::new());
            let m: Map<u32, Touchy> = Map::new();
            let mut panics = 0;
            for key in 0..8 {
                m.store(key, t(&ledger, &trap, key));
            }
            m.store(bomb_key, Touchy::bomb(&ledger, &trap, bomb_key));
            counting_panics(&mut panics, || match how {
                "store" => m.store(bomb_key, t(&ledger, &trap, 100)),
                "delete" => m.delete(&bomb_key),
                "clear" => m.clear(),
                _ => drop(m.swap(bomb_key, t(&ledger, &trap, 100))),
            });
            let rounds = if cfg!(miri) { 3 } else { 50 };
            for round in 0..rounds {
                for key in 0..8 {
                    counting_panics(&mut panics, || {
                        m.store(key, t(&ledger, &trap, 1000 * round + key))
                    });
                }
                counting_panics(&mut panics, || m.delete(&(round % 8)));
            }
            let last = rounds - 1;
            for key in 0..8 {
                let want = (key != last % 8).then_some(1000 * last + key);
                assert_eq!(
                    m.load(&key).map(|g| g.n()),
                    want,
                    "{how} {bomb_key}: key {key}"
                );
            }
            drop_after_the_bomb(m, panics, &ledger, &format!("{how} {bomb_key}"));
        }
    }
}

/// Drops `m` and checks the end state of a bomb test: the bomb's panic
/// surfaced at most once here (`panics` counts those seen before the
/// drop; exactly once under Miri, which has no reclaimer thread), nothing
/// was dropped twice, and nothing leaked.
fn drop_after_the_bomb<K, V>(m: Map<K, V>, mut panics: usize, ledger: &Ledger, label: &str)
where
    K: std::hash::Hash + Eq + Send + Sync + 'static,
    V: Send + Sync + 'static,
{
    counting_panics(&mut panics, || drop(m));
    // Exactly once here, unless gosync-atomic-value's reclaimer thread ran
    // the bomb's drop (and caught its panic) first; the ledger checks below
    // show it was dropped exactly once either way.
    let limit = if cfg!(miri) { 1..=1 } else { 0..=1 };
    assert!(
        limit.contains(&panics),
        "{label}: the bomb's panic surfaced {panics} times"
    );
    ledger.assert_no_double_drop();
    assert_eq!(
        ledger.alive(),
        [],
        "{label}: leaked after the bomb went off"
    );
}

#[test]
fn panicking_key_drop() {
    // A key whose drop panics, deleted, replaced by an equal key, or still
    // in the map when it drops.
    for how in ["delete", "store again", "map drop"] {
        for bomb_key in bomb_keys() {
            let (ledger, trap) = (Ledger::new(), Trap::new());
            let m: Map<Touchy, u32> = Map::new();
            let mut panics = 0;
            for key in 0..8 {
                let k = if key == bomb_key {
                    Touchy::bomb(&ledger, &trap, key)
                } else {
                    t(&ledger, &trap, key)
                };
                m.store(k, key);
            }
            counting_panics(&mut panics, || match how {
                "delete" => m.delete(&t(&ledger, &trap, bomb_key)),
                "store again" => m.store(t(&ledger, &trap, bomb_key), 55),
                _ => {}
            });
            for round in 0..if cfg!(miri) { 4 } else { 20 } {
                counting_panics(&mut panics, || {
                    m.store(t(&ledger, &trap, 10 + round), round);
                    m.delete(&t(&ledger, &trap, 10 + round));
                });
            }
            let want = match how {
                "delete" => None,
                "store again" => Some(55),
                _ => Some(bomb_key),
            };
            let got = m.load(&t(&ledger, &trap, bomb_key)).as_deref().copied();
            assert_eq!(got, want, "{how} {bomb_key}");
            for key in (0..8).filter(|&k| k != bomb_key) {
                assert_eq!(m.load(&t(&ledger, &trap, key)).as_deref(), Some(&key));
            }
            drop_after_the_bomb(m, panics, &ledger, &format!("{how} {bomb_key}"));
        }
    }
}

#[test]
fn panicking_drop_of_a_value_guarded_beyond_the_map() {
    let (ledger, trap) = (Ledger::new(), Trap::new());
    let m: Map<u32, Touchy> = Map::new();
    m.store(1, Touchy::bomb(&ledger, &trap, 1));
    m.store(2, t(&ledger, &trap, 2));
    let guard = m.load(&1).unwrap();
    m.store(1, t(&ledger, &trap, 11));
    drop(m);
    assert_eq!(ledger.alive(), [guard.id()]);
    expect_panic("bomb 1", || drop(guard));
    ledger.assert_all_dropped_once();
}
