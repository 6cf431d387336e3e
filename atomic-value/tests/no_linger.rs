//! "Replaced values do not linger": once the last guard or `Arc` to a
//! replaced value is gone, it is dropped within 10 ms even if its
//! `AtomicValue` is never used again (the reclaimer thread's deadline).
//!
//! The tests wait for the drop with a generous timeout, which only turns a
//! lost value into a failure instead of a hang, and print how long it took:
//! the 10 ms bound itself is a property of the reclaimer's 2 ms interval,
//! not something a loaded CI machine can time reliably.
// Not under Miri, which runs no reclaimer thread (it reports a thread
// alive at exit as an error); loom checks the reclaimer's rounds instead.
#![cfg(not(any(gosync_loom, miri)))]

use gosync_atomic_value::AtomicValue;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Counts its drops in a shared counter.
struct Counted {
    drops: Arc<AtomicUsize>,
    _payload: Vec<u8>,
}

impl Counted {
    fn new(drops: &Arc<AtomicUsize>, bytes: usize) -> Self {
        Self {
            drops: Arc::clone(drops),
            _payload: vec![1; bytes],
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

/// Waits for `drops` to reach `expected` (see `gosync_testkit`) and
/// prints how long it took.
fn time_until_dropped(drops: &AtomicUsize, expected: usize, what: &str) -> Duration {
    let took = gosync_testkit::time_until_count(drops, expected, gosync_testkit::HANG, what);
    eprintln!("{what}: dropped {took:?} after the last guard or store");
    took
}

#[test]
fn value_replaced_under_a_guard_is_dropped_after_the_guard_without_another_store() {
    let drops = Arc::new(AtomicUsize::new(0));
    let value = AtomicValue::new(Counted::new(&drops, 16));
    let guard = value.load().unwrap();
    value.store(Counted::new(&drops, 16));
    assert_eq!(
        drops.load(Ordering::SeqCst),
        0,
        "the guard holds the old value"
    );
    drop(guard);
    // `value` is left alone from here on: no store, no reclaim, no drop.
    time_until_dropped(&drops, 1, "guarded then released");
    drop(value);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn value_replaced_under_an_arc_is_dropped_after_the_arc() {
    let drops = Arc::new(AtomicUsize::new(0));
    let value = AtomicValue::new(Counted::new(&drops, 16));
    let arc = value.load_arc().unwrap();
    value.store(Counted::new(&drops, 16));
    drop(arc);
    time_until_dropped(&drops, 1, "held by an Arc then released");
    drop(value);
}

#[test]
fn burst_of_megabyte_values_then_silence_leaves_only_the_current_one() {
    const BURST: usize = 100;
    const MEGABYTE: usize = 1 << 20;
    let bytes = if cfg!(miri) { 64 } else { MEGABYTE };
    let drops = Arc::new(AtomicUsize::new(0));
    let value = AtomicValue::new(Counted::new(&drops, bytes));
    for _ in 0..BURST {
        value.store(Counted::new(&drops, bytes));
    }
    // All but the current one: the initial value and 99 of the burst.
    time_until_dropped(&drops, BURST, "burst of 100 x 1 MB");
    assert_eq!(value.load().unwrap()._payload.len(), bytes);
}

#[test]
fn values_replaced_while_other_values_are_busy_are_still_dropped() {
    // A busy neighbour (another AtomicValue stored and loaded in a loop)
    // must not keep the quiet one's replaced value alive, nor the other way
    // round.
    let drops = Arc::new(AtomicUsize::new(0));
    let quiet = AtomicValue::new(Counted::new(&drops, 16));
    let busy = Arc::new(AtomicValue::new(0u64));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let neighbour = {
        let (busy, stop) = (Arc::clone(&busy), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                busy.store(i);
                let _ = *busy.load().unwrap();
                i += 1;
                if cfg!(miri) {
                    std::thread::yield_now();
                }
            }
        })
    };
    let guard = quiet.load().unwrap();
    quiet.store(Counted::new(&drops, 16));
    drop(guard);
    time_until_dropped(&drops, 1, "quiet value next to a busy one");
    stop.store(true, Ordering::Relaxed);
    neighbour.join().unwrap();
}

#[test]
fn a_panicking_drop_on_the_reclaimer_does_not_stop_it() {
    struct PanicsOnDrop(Arc<AtomicUsize>);
    impl Drop for PanicsOnDrop {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
            panic!("deliberate panic in a replaced value's drop");
        }
    }
    let bombs = Arc::new(AtomicUsize::new(0));
    let bomb = AtomicValue::new(Some(PanicsOnDrop(Arc::clone(&bombs))));
    let guard = bomb.load().unwrap();
    bomb.store(None);
    drop(guard); // the reclaimer drops it, and catches its panic
    time_until_dropped(&bombs, 1, "a value whose drop panics");
    // The reclaimer keeps serving values afterwards.
    let drops = Arc::new(AtomicUsize::new(0));
    let value = AtomicValue::new(Counted::new(&drops, 16));
    let guard = value.load().unwrap();
    value.store(Counted::new(&drops, 16));
    drop(guard);
    time_until_dropped(&drops, 1, "after a panicking drop");
}
