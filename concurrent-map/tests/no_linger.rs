//! "Replaced values do not linger" for the map: a value replaced by
//! `store` or `swap`, or removed by `delete`, is dropped within 10 ms of its
//! last guard's drop even if the map is never used again (the reclaimer
//! thread of gosync-atomic-value, whose retired lists the map shares).
//!
//! As in gosync-atomic-value's `tests/no_linger.rs`, the timeout only turns
//! a lost value into a failure; the time taken is printed.
// Not under Miri, which runs no reclaimer thread (it reports a thread
// alive at exit as an error); loom checks the reclaimer's rounds instead.
#![cfg(not(any(gosync_loom, miri)))]

use gosync_concurrent_map::Map;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Waits for `drops` to reach `expected` (see `gosync_testkit`) and
/// prints how long it took.
fn time_until_dropped(drops: &AtomicUsize, expected: usize, what: &str) -> Duration {
    let took = gosync_testkit::time_until_count(drops, expected, gosync_testkit::HANG, what);
    eprintln!("{what}: dropped {took:?} after the last guard or store");
    took
}

/// Loads `key`'s value, lets `replace` replace or remove it while the guard
/// holds it, drops the guard and leaves the map alone.
fn replaced_under_a_guard(what: &str, replace: impl Fn(&Map<u32, Counted>, Counted)) {
    let drops = Arc::new(AtomicUsize::new(0));
    let map = Map::new();
    map.store(1, Counted(Arc::clone(&drops)));
    // Twice, so the entry is read-mostly (promoted) as well as fresh.
    for _ in 0..2 {
        let before = drops.load(Ordering::SeqCst);
        let guard = map.load(&1).unwrap();
        replace(&map, Counted(Arc::clone(&drops)));
        assert_eq!(
            drops.load(Ordering::SeqCst),
            before,
            "{what}: the guard holds it"
        );
        drop(guard);
        time_until_dropped(&drops, before + 1, what);
        if map.load(&1).is_none() {
            map.store(1, Counted(Arc::clone(&drops)));
        }
    }
    drop(map);
}

#[test]
fn value_replaced_by_store_is_dropped_after_its_guard() {
    replaced_under_a_guard("store", |map, new| map.store(1, new));
}

#[test]
fn value_replaced_by_swap_is_dropped_after_its_guard() {
    replaced_under_a_guard("swap", |map, new| drop(map.swap(1, new)));
}

#[test]
fn value_removed_by_delete_is_dropped_after_its_guard() {
    // The replacement is kept aside, so the only drop is the deleted value.
    let kept = std::sync::Mutex::new(Vec::new());
    replaced_under_a_guard("delete", |map, new| {
        map.delete(&1);
        kept.lock().unwrap().push(new);
    });
}

#[test]
fn burst_of_stores_then_silence_leaves_only_the_current_values() {
    const KEYS: u32 = 10;
    const ROUNDS: usize = 20;
    let drops = Arc::new(AtomicUsize::new(0));
    let map = Map::new();
    for _ in 0..ROUNDS {
        for key in 0..KEYS {
            map.store(key, Counted(Arc::clone(&drops)));
        }
    }
    time_until_dropped(&drops, (ROUNDS - 1) * KEYS as usize, "burst of map stores");
}
