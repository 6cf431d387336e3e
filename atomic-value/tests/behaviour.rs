//! The contract of each method, one test per promise.
//!
//! Reclamation is checked with per-value drop counts ([`Ledger`]): a
//! replaced value may be dropped late (at a later store, `reclaim()` or the
//! `AtomicValue`'s drop), but never twice, never while a guard or `Arc`
//! still points at it, and never not at all.
#![cfg(not(gosync_loom))]

mod common;

use std::cell::RefCell;
use std::fmt::Debug;
use std::ops::Deref;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use common::{within, Counted, Ledger, Rng, Tracked, HANG};
use gosync_atomic_value::{AtomicValue, Guard, Reader};

fn ids(range: std::ops::Range<usize>) -> Vec<usize> {
    range.collect()
}

#[test]
fn send_sync_default_debug() {
    fn assert_traits<T: Send + Sync + Default + Debug>() {}
    fn assert_send_sync<T: Send + Sync + Default>() {}
    fn assert_guard<G: Clone + Deref<Target = u32>>() {}
    assert_traits::<AtomicValue<u32>>();
    assert_traits::<AtomicValue<String>>();
    struct NoDebug;
    assert_send_sync::<AtomicValue<NoDebug>>();
    assert_guard::<Guard<u32>>();

    assert!(AtomicValue::<u32>::default().load().is_none());
    let full = format!("{:?}", AtomicValue::new(42u32));
    assert!(
        full.contains("AtomicValue") && full.contains("42"),
        "{full}"
    );
    let empty = format!("{:?}", AtomicValue::<u32>::empty());
    assert!(
        empty.contains("AtomicValue") && !empty.contains("42"),
        "{empty}"
    );
}

#[test]
fn guard_is_not_send() {
    // Compiles only if `Guard<u32>: !Send`: for a `Send` type both impls
    // apply and the `_` cannot be inferred (static_assertions' trick).
    trait AmbiguousIfSend<A> {
        fn some_item() {}
    }
    impl<T: ?Sized> AmbiguousIfSend<()> for T {}
    impl<T: ?Sized + Send> AmbiguousIfSend<u8> for T {}
    <Guard<u32> as AmbiguousIfSend<_>>::some_item();
}

#[test]
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
fn layout_is_one_padded_cache_slot() {
    fn check<T: Send + Sync + 'static>() {
        let name = std::any::type_name::<T>();
        assert_eq!(
            std::mem::size_of::<AtomicValue<T>>(),
            128,
            "size, T = {name}"
        );
        assert_eq!(
            std::mem::align_of::<AtomicValue<T>>(),
            128,
            "align, T = {name}"
        );
    }
    check::<()>();
    check::<u8>();
    check::<String>();
    check::<[u64; 64]>();
    check::<Tracked>();
    // Neighbours in an array are a whole slot apart.
    let pair = [AtomicValue::new(1u8), AtomicValue::new(2u8)];
    let gap = std::ptr::addr_of!(pair[1]) as usize - std::ptr::addr_of!(pair[0]) as usize;
    assert_eq!(gap, 128);
}

#[test]
fn empty_loads_none_until_the_first_store() {
    let v = AtomicValue::<u32>::empty();
    assert!(v.load().is_none());
    assert!(v.load_arc().is_none());
    v.reclaim();
    assert!(v.load().is_none());
    v.store(7);
    assert_eq!(v.load().as_deref(), Some(&7));
    assert_eq!(v.load_arc().as_deref(), Some(&7));
}

#[test]
fn new_loads_its_value_and_load_arc_agrees() {
    let v = AtomicValue::new(String::from("hello"));
    assert_eq!(v.load().as_deref().map(String::as_str), Some("hello"));
    assert_eq!(v.load_arc().as_deref().map(String::as_str), Some("hello"));
    // Loading does not take the value out.
    assert_eq!(v.load().as_deref().map(String::as_str), Some("hello"));
}

#[test]
fn zero_sized_and_over_aligned_values() {
    let unit = AtomicValue::new(());
    assert_eq!(unit.load().as_deref(), Some(&()));
    assert_eq!(unit.swap(()).as_deref(), Some(&()));
    assert_eq!(unit.compare_and_swap(Some(&()), ()), Ok(()));
    unit.reclaim();

    #[derive(Debug, PartialEq)]
    #[repr(align(256))]
    struct Wide(u8);
    let wide = AtomicValue::new(Wide(1));
    for i in 2..10 {
        let guard = wide.load().unwrap();
        assert!(std::ptr::from_ref::<Wide>(&guard).is_aligned());
        assert_eq!(guard.0, i - 1);
        wide.store(Wide(i));
    }
    let arc = wide.load_arc().unwrap();
    assert!(std::ptr::from_ref::<Wide>(&arc).is_aligned());
    assert_eq!(*arc, Wide(9));
}

#[test]
fn store_replaces_and_drops_each_old_value_once() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    for key in 1..=10 {
        v.store(Tracked::new(&ledger, key));
        assert_eq!(v.load().unwrap().key(), key);
        ledger.assert_no_double_drop();
        assert_eq!(ledger.drops_of(key as usize), 0, "current value dropped");
    }
    v.reclaim();
    assert_eq!(
        ledger.alive(),
        [10],
        "after reclaim only the current value lives"
    );
    v.reclaim();
    ledger.assert_no_double_drop();
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn swap_returns_the_previous_value_in_an_arc_that_outlives_everything() {
    let ledger = Ledger::new();
    let v = AtomicValue::empty();
    assert!(v.swap(Tracked::new(&ledger, 0)).is_none());
    let first = v.swap(Tracked::new(&ledger, 1)).expect("previous value");
    assert_eq!(first.id(), 0);
    v.reclaim();
    first.assert_intact();
    let second = v.swap(Tracked::new(&ledger, 2)).expect("previous value");
    assert_eq!(second.id(), 1);
    assert_eq!(v.load().unwrap().id(), 2);
    drop(v);
    assert_eq!(
        ledger.alive(),
        [0, 1],
        "only the Arcs' values outlive the AtomicValue"
    );
    first.assert_intact();
    second.assert_intact();
    drop(first);
    assert_eq!(ledger.alive(), [1], "the last Arc drops its value");
    drop(second);
    ledger.assert_all_dropped_once();
}

#[test]
fn load_arc_outlives_stores_reclaim_and_the_atomic_value() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let arc = v.load_arc().unwrap();
    v.store(Tracked::new(&ledger, 1));
    v.store(Tracked::new(&ledger, 2));
    v.reclaim();
    assert_eq!(ledger.alive(), [0, 2]);
    arc.assert_intact();
    // An Arc can leave the thread; the guard cannot.
    let arc = std::thread::spawn(move || {
        arc.assert_intact();
        arc
    })
    .join()
    .unwrap();
    drop(v);
    assert_eq!(ledger.alive(), [0]);
    arc.assert_intact();
    drop(arc);
    ledger.assert_all_dropped_once();
}

#[test]
fn guard_keeps_its_value_across_stores_and_reclaim() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let guard = v.load().unwrap();
    for key in 1..=50 {
        v.store(Tracked::new(&ledger, key));
        guard.assert_intact();
    }
    v.reclaim();
    assert_eq!(guard.id(), 0);
    guard.assert_intact();
    assert_eq!(
        ledger.alive(),
        [0, 50],
        "reclaim drops every replaced value no guard protects"
    );
    drop(guard);
    v.reclaim();
    assert_eq!(ledger.alive(), [50]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn guard_clones_share_the_protection() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let guard = v.load().unwrap();
    let clone = guard.clone();
    drop(guard);
    v.store(Tracked::new(&ledger, 1));
    v.reclaim();
    assert_eq!(clone.id(), 0);
    clone.assert_intact();
    let clone2 = clone.clone();
    drop(clone);
    v.reclaim();
    clone2.assert_intact();
    drop(clone2);
    v.reclaim();
    assert_eq!(ledger.alive(), [1]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn guard_into_arc_keeps_the_value_beyond_the_thread_and_the_atomic_value() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let arc = Guard::into_arc(v.load().unwrap());
    let clone_arc = Guard::into_arc(v.load().unwrap().clone());
    v.store(Tracked::new(&ledger, 1));
    v.reclaim();
    assert_eq!(ledger.alive(), [0, 1]);
    drop(v);
    let arc = std::thread::spawn(move || {
        arc.assert_intact();
        arc
    })
    .join()
    .unwrap();
    assert_eq!((arc.id(), clone_arc.id()), (0, 0));
    drop(clone_arc);
    arc.assert_intact();
    drop(arc);
    ledger.assert_all_dropped_once();
}

#[test]
fn guards_outlive_their_atomic_value() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let old = v.load().unwrap();
    v.store(Tracked::new(&ledger, 1));
    let current = v.load().unwrap();
    v.store(Tracked::new(&ledger, 2));
    let current_clone = v.load().unwrap();
    drop(v);
    assert_eq!(
        ledger.alive(),
        [0, 1, 2],
        "guarded values survive the AtomicValue"
    );
    for guard in [&old, &current, &current_clone] {
        guard.assert_intact();
    }
    assert_eq!((old.id(), current.id(), current_clone.id()), (0, 1, 2));
    drop(current);
    assert_eq!(ledger.alive(), [0, 2], "the last guard drops its value");
    drop(old);
    assert_eq!(ledger.alive(), [2]);
    drop(current_clone);
    ledger.assert_all_dropped_once();
}

#[test]
fn a_hundred_guards_of_distinct_values_on_one_thread() {
    // More guards than any per-thread slot array: the fallback path.
    let n = 100;
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let mut guards = Vec::new();
    for key in 1..=n as u64 {
        guards.push(v.load().unwrap());
        v.store(Tracked::new(&ledger, key));
    }
    v.reclaim();
    assert_eq!(
        ledger.alive(),
        ids(0..n + 1),
        "all guarded, nothing dropped"
    );
    for (id, guard) in guards.iter().enumerate() {
        assert_eq!(guard.id(), id);
        assert_eq!(guard.key(), id as u64);
        guard.assert_intact();
    }
    // Release in a scrambled order; each value goes at the next reclaim and
    // the others stay intact.
    let mut rng = Rng::new(100);
    while !guards.is_empty() {
        let guard = guards.swap_remove(rng.below(guards.len()));
        let id = guard.id();
        drop(guard);
        v.reclaim();
        assert_eq!(ledger.drops_of(id), 1, "value {id} after its last guard");
        for guard in &guards {
            guard.assert_intact();
        }
    }
    assert_eq!(ledger.alive(), [n]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn a_hundred_guards_of_one_value() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let mut guards: Vec<_> = (0..100).map(|_| v.load().unwrap()).collect();
    v.store(Tracked::new(&ledger, 1));
    while guards.len() > 1 {
        guards.pop();
        v.reclaim();
        assert_eq!(ledger.drops_of(0), 0, "{} guards left", guards.len());
        guards.iter().for_each(|g| g.assert_intact());
    }
    guards.pop();
    v.reclaim();
    assert_eq!(ledger.alive(), [1]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn guards_on_many_atomic_values_at_once() {
    let (values, rounds) = (8, 20);
    let ledger = Ledger::new();
    let mut avs: Vec<_> = (0..values)
        .map(|i| AtomicValue::new(Tracked::new(&ledger, i as u64)))
        .collect();
    let mut guards = Vec::new();
    for round in 1..=rounds {
        for (i, v) in avs.iter().enumerate() {
            let guard = v.load().unwrap();
            assert_eq!(guard.key(), ((round - 1) * values + i) as u64);
            guards.push(guard);
            v.store(Tracked::new(&ledger, (round * values + i) as u64));
        }
    }
    avs.iter().for_each(AtomicValue::reclaim);
    assert_eq!(ledger.alive().len(), values * (rounds + 1));
    guards.iter().for_each(|g| g.assert_intact());
    // Drop every other guard, then half of the AtomicValues.
    let mut keep = Vec::new();
    for (i, guard) in guards.into_iter().enumerate() {
        if i % 2 == 0 {
            keep.push(guard);
        }
    }
    avs.iter().for_each(AtomicValue::reclaim);
    assert_eq!(ledger.alive().len(), keep.len() + values);
    let stay = avs.split_off(values / 2);
    drop(avs);
    keep.iter().for_each(|g| g.assert_intact());
    stay.iter().for_each(AtomicValue::reclaim);
    drop(keep);
    stay.iter().for_each(AtomicValue::reclaim);
    assert_eq!(ledger.alive().len(), stay.len());
    drop(stay);
    ledger.assert_all_dropped_once();
}

#[test]
fn compare_and_swap_with_none() {
    let ledger = Ledger::new();
    // On an empty value, `None` matches.
    let v = AtomicValue::empty();
    assert!(v.compare_and_swap(None, Tracked::new(&ledger, 0)).is_ok());
    assert_eq!(v.load().unwrap().id(), 0);
    // Now it no longer does, and `new` comes back untouched.
    let back = v
        .compare_and_swap(None, Tracked::new(&ledger, 1))
        .expect_err("None must not match a stored value");
    assert_eq!(back.id(), 1);
    back.assert_intact();
    assert_eq!(v.load().unwrap().id(), 0);
    drop(back);
    // `Some` never matches an empty value.
    let empty = AtomicValue::empty();
    let back = empty
        .compare_and_swap(Some(&Tracked::new(&ledger, 2)), Tracked::new(&ledger, 3))
        .expect_err("Some(_) must not match an empty value");
    assert_eq!(back.id(), 3);
    back.assert_intact();
    assert!(empty.load().is_none());
    drop(back);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn compare_and_swap_matching_replaces_and_retires_the_old_value() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 7));
    // The usual idiom: `old` borrowed from a guard of the current value.
    let guard = v.load().unwrap();
    assert!(v
        .compare_and_swap(Some(&guard), Tracked::new(&ledger, 8))
        .is_ok());
    guard.assert_intact();
    assert_eq!(v.load().unwrap().key(), 8);
    drop(guard);
    // Equality, not identity: a separate value with the same key matches.
    let probe = Tracked::new(&ledger, 8);
    assert!(v
        .compare_and_swap(Some(&probe), Tracked::new(&ledger, 9))
        .is_ok());
    assert_eq!(v.load().unwrap().id(), 3);
    drop(probe);
    v.reclaim();
    assert_eq!(ledger.alive(), [3]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn compare_and_swap_mismatch_gives_new_back_intact() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 1));
    let wrong = Tracked::new(&ledger, 2);
    let back = v
        .compare_and_swap(Some(&wrong), Tracked::new(&ledger, 3))
        .expect_err("2 != 1");
    assert_eq!((back.id(), back.key()), (2, 3));
    back.assert_intact();
    assert_eq!(v.load().unwrap().id(), 0, "current value unchanged");
    v.reclaim();
    assert_eq!(ledger.alive(), [0, 1, 2], "nothing dropped by a failed CAS");
    // The value given back can be stored after all.
    v.store(back);
    assert_eq!(v.load().unwrap().id(), 2);
    drop(wrong);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn reclaim_on_empty_and_repeated_is_harmless() {
    let v = AtomicValue::<Counted>::empty();
    v.reclaim();
    v.reclaim();
    let drops = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    v.store(Counted::new(&drops));
    v.store(Counted::new(&drops));
    for _ in 0..3 {
        v.reclaim();
        assert_eq!(drops.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
    drop(v);
    assert_eq!(drops.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// A value whose drop can panic (after counting itself).
struct Bomb {
    id: usize,
    explodes: bool,
    ledger: Arc<Ledger>,
}

impl Bomb {
    fn new(ledger: &Arc<Ledger>, explodes: bool) -> Self {
        Self {
            id: ledger.make_id(),
            explodes,
            ledger: Arc::clone(ledger),
        }
    }
}

impl Drop for Bomb {
    fn drop(&mut self) {
        self.ledger.record_drop(self.id);
        if self.explodes {
            panic!("bomb {} went off", self.id);
        }
    }
}

/// Runs `f`, counting a panic instead of propagating it.
fn counting_panics(panics: &mut usize, f: impl FnOnce()) {
    if catch_unwind(AssertUnwindSafe(f)).is_err() {
        *panics += 1;
    }
}

#[test]
fn panicking_drop_during_reclaim_loses_no_other_value() {
    // The bomb is replaced along with well-behaved values; wherever its drop
    // runs (a store, the guard's drop, reclaim, the reclaimer thread), the
    // panic surfaces at most once on this thread,
    // and the other replaced values are still all dropped exactly once.
    let ledger = Ledger::new();
    let mut panics = 0;
    let v = AtomicValue::new(Bomb::new(&ledger, false)); // 0
    v.store(Bomb::new(&ledger, false)); // 1
    let guard = v.load().unwrap();
    v.store(Bomb::new(&ledger, true)); // 2, the bomb
    let bomb_guard = v.load().unwrap();
    for _ in 3..=7 {
        counting_panics(&mut panics, || v.store(Bomb::new(&ledger, false)));
    }
    assert_eq!(panics, 0, "the bomb is guarded");
    counting_panics(&mut panics, || drop(bomb_guard));
    counting_panics(&mut panics, || drop(guard));
    counting_panics(&mut panics, || v.reclaim());
    // At most once here: the reclaimer thread may have dropped the bomb
    // (and caught its panic) first. The ledger shows it dropped once.
    assert!(panics <= 1, "the bomb's panic surfaces at most once");
    counting_panics(&mut panics, || v.reclaim());
    assert!(panics <= 1);
    ledger.assert_no_double_drop();
    assert_eq!(
        ledger.alive(),
        [7],
        "after the panic, reclaim with no guards still drops every replaced value"
    );
    // The AtomicValue still works.
    assert_eq!(v.load().unwrap().id, 7);
    v.store(Bomb::new(&ledger, false)); // 8
    v.reclaim();
    assert_eq!(ledger.alive(), [8]);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn panicking_drop_amid_unguarded_replaced_values() {
    // No guards: the bomb sits among values that stores and reclaim may
    // drop eagerly or in batches.
    let ledger = Ledger::new();
    let mut panics = 0;
    let v = AtomicValue::new(Bomb::new(&ledger, false)); // 0
    for id in 1..=9 {
        counting_panics(&mut panics, || v.store(Bomb::new(&ledger, id == 4)));
    }
    counting_panics(&mut panics, || v.reclaim());
    // At most once here: the reclaimer thread may have dropped the bomb
    // (and caught its panic) first. The ledger shows it dropped once.
    assert!(panics <= 1, "the bomb's panic surfaces at most once");
    counting_panics(&mut panics, || v.reclaim());
    assert!(panics <= 1);
    ledger.assert_no_double_drop();
    assert_eq!(ledger.alive(), [9], "replaced values lost after a panic");
    assert_eq!(v.load().unwrap().id, 9);
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn panicking_drop_of_the_current_value_when_the_atomic_value_drops() {
    let ledger = Ledger::new();
    let mut panics = 0;
    let v = AtomicValue::new(Bomb::new(&ledger, false)); // 0
    let guard = v.load().unwrap();
    v.store(Bomb::new(&ledger, false)); // 1
    v.store(Bomb::new(&ledger, true)); // 2, the bomb, current
    counting_panics(&mut panics, || drop(v));
    assert_eq!(panics, 1);
    assert_eq!(ledger.alive(), [0], "only the guarded value survives");
    assert_eq!(guard.id, 0);
    drop(guard);
    ledger.assert_all_dropped_once();
}

#[test]
fn panicking_drop_of_a_guarded_value_after_the_atomic_value() {
    let ledger = Ledger::new();
    let mut panics = 0;
    let v = AtomicValue::new(Bomb::new(&ledger, true)); // 0, the bomb
    let guard = v.load().unwrap();
    v.store(Bomb::new(&ledger, false)); // 1
    drop(v);
    assert_eq!(ledger.alive(), [0]);
    counting_panics(&mut panics, || drop(guard));
    assert_eq!(panics, 1, "the bomb goes off in the drop of its last guard");
    ledger.assert_all_dropped_once();
}

/// Holds guards (and the value) in a thread-local, so that they are used
/// and dropped by a TLS destructor, possibly after the crate's own
/// per-thread state is gone. Any panic is recorded, not raised (a panic in
/// a TLS destructor aborts the process).
struct LateUser {
    v: Arc<AtomicValue<Tracked>>,
    ledger: Arc<Ledger>,
    guards: Vec<Guard<Tracked>>,
    failures: Arc<Mutex<Vec<String>>>,
}

impl Drop for LateUser {
    fn drop(&mut self) {
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            for guard in &self.guards {
                guard.assert_intact();
            }
            let guard = self.v.load().expect("a value");
            guard.assert_intact();
            self.v.store(Tracked::new(&self.ledger, 99));
            guard.assert_intact();
            drop(guard);
            self.guards.clear();
            let fresh = self.v.load().expect("a value");
            assert_eq!(fresh.key(), 99);
            self.v.reclaim();
        }));
        if let Err(payload) = outcome {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "non-string panic".to_owned());
            self.failures.lock().unwrap().push(message);
        }
    }
}

thread_local! {
    static LATE: RefCell<Option<LateUser>> = const { RefCell::new(None) };
}

#[test]
fn guards_used_and_dropped_in_thread_local_destructors() {
    within(HANG, || {
        let ledger = Ledger::new();
        let v = Arc::new(AtomicValue::new(Tracked::new(&ledger, 0)));
        let failures = Arc::new(Mutex::new(Vec::new()));
        // TLS destructors run in reverse order of registration (on Linux),
        // so the two threads see both orders of ours and the crate's.
        for ours_first in [true, false] {
            let (v, ledger, failures) =
                (Arc::clone(&v), Arc::clone(&ledger), Arc::clone(&failures));
            std::thread::spawn(move || {
                let install = || {
                    LATE.with(|late| {
                        *late.borrow_mut() = Some(LateUser {
                            v: Arc::clone(&v),
                            ledger: Arc::clone(&ledger),
                            guards: Vec::new(),
                            failures: Arc::clone(&failures),
                        });
                    });
                };
                if ours_first {
                    install();
                }
                let mut guards = Vec::new();
                for key in 1..=3 {
                    guards.push(v.load().unwrap());
                    v.store(Tracked::new(&ledger, key));
                }
                if !ours_first {
                    install();
                }
                LATE.with(|late| late.borrow_mut().as_mut().unwrap().guards = guards);
            })
            .join()
            .unwrap();
        }
        let failures = failures.lock().unwrap().clone();
        assert!(failures.is_empty(), "in a TLS destructor: {failures:?}");
        let v = Arc::into_inner(v).expect("the threads' clones are gone");
        v.reclaim();
        assert_eq!(ledger.alive().len(), 1, "only the current value lives");
        drop(v);
        ledger.assert_all_dropped_once();
    });
}

#[test]
fn reader_traits_follow_its_handle() {
    fn assert_send_sync<T: Send + Sync>() {}
    fn assert_clone_debug<T: Clone + Debug>() {}
    assert_send_sync::<Reader<&AtomicValue<u32>, u32>>();
    assert_send_sync::<Reader<Arc<AtomicValue<String>>, String>>();
    assert_clone_debug::<Reader<Arc<AtomicValue<u32>>, u32>>();
    let v = AtomicValue::new(5u32);
    let mut reader = v.reader();
    assert!(format!("{reader:?}").contains("Reader"));
    reader.load();
    assert!(format!("{reader:?}").contains('5'), "{reader:?}");
}

#[test]
fn reader_follows_every_store_swap_and_compare_and_swap() {
    let v = AtomicValue::empty();
    let mut reader = v.reader();
    assert!(reader.load().is_none());
    assert!(reader.load().is_none());
    v.store(1);
    assert_eq!(reader.load().map(|arc| **arc), Some(1));
    assert_eq!(reader.load().map(|arc| **arc), Some(1));
    assert_eq!(v.swap(2).as_deref(), Some(&1));
    assert_eq!(reader.load().map(|arc| **arc), Some(2));
    assert_eq!(v.compare_and_swap(Some(&2), 3), Ok(()));
    assert_eq!(reader.load().map(|arc| **arc), Some(3));
    // An equal value stored again is a new value: the reader takes it.
    let before = Arc::clone(reader.load().unwrap());
    v.store(3);
    let after = Arc::clone(reader.load().unwrap());
    assert!(!Arc::ptr_eq(&before, &after));
    let mut clone = reader.clone();
    assert!(Arc::ptr_eq(clone.load().unwrap(), &after));
}

#[test]
fn reader_releases_its_cache_on_refresh_clear_and_drop() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Tracked::new(&ledger, 0));
    let mut reader = v.reader();
    assert_eq!(reader.load().unwrap().id(), 0);
    v.store(Tracked::new(&ledger, 1));
    v.reclaim();
    assert_eq!(ledger.alive(), ids(0..2), "the reader still caches 0");
    assert_eq!(reader.load().unwrap().id(), 1);
    v.reclaim();
    assert_eq!(ledger.alive(), [1], "the refresh released 0");

    v.store(Tracked::new(&ledger, 2));
    v.reclaim();
    assert_eq!(ledger.alive(), ids(1..3));
    reader.clear();
    assert_eq!(ledger.alive(), [2], "clear released 1 (the last Arc to it)");

    reader.load();
    v.store(Tracked::new(&ledger, 3));
    v.reclaim();
    drop(reader);
    assert_eq!(ledger.alive(), [3], "the reader's drop released 2");
    drop(v);
    ledger.assert_all_dropped_once();
}

#[test]
fn owning_reader_keeps_its_atomic_value_alive_and_drops_its_cache() {
    // An owning reader keeps the AtomicValue alive; the value it caches is
    // dropped with the reader.
    let ledger = Ledger::new();
    let v = Arc::new(AtomicValue::new(Tracked::new(&ledger, 0)));
    let mut reader = Reader::new(Arc::clone(&v));
    drop(v);
    let worker = std::thread::spawn(move || {
        assert_eq!(reader.load().unwrap().key(), 0);
        reader.value().store(Tracked::new(&ledger, 1));
        assert_eq!(reader.load().unwrap().key(), 1);
        let v = reader.into_inner();
        assert_eq!(Arc::strong_count(&v), 1);
        drop(v);
        ledger
    });
    worker.join().unwrap().assert_all_dropped_once();
}

#[test]
fn reader_whose_old_value_panics_on_drop_is_current_afterwards() {
    let ledger = Ledger::new();
    let v = AtomicValue::new(Bomb::new(&ledger, true)); // 0, the bomb
    let mut reader = v.reader();
    assert_eq!(reader.load().unwrap().id, 0);
    v.store(Bomb::new(&ledger, false)); // 1
    v.reclaim(); // the reader holds the bomb: nothing to drop yet
    let mut panics = 0;
    counting_panics(&mut panics, || {
        reader.load();
    });
    assert_eq!(panics, 1, "the reader held the last Arc to the bomb");
    assert_eq!(
        reader.load().unwrap().id,
        1,
        "the cache moved on before the drop"
    );
    ledger.assert_no_double_drop();
    drop(reader);
    drop(v);
    ledger.assert_all_dropped_once();
}
