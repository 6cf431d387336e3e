//! Replaced values do not linger: a value a guard held at its store's pass
//! (or at a round) is freed by the reclaimer's next round once the guard is
//! gone, without another store; a round racing a store or the
//! `AtomicValue`'s drop frees everything exactly once, and by the time the
//! drop returns.
//!
//! Loom cannot host the reclaimer thread, so the models run its round on a
//! thread of their own (`raw::run_reclaimer_round`, loom builds only): the
//! same pass, registration and deregistration code the thread runs.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_no_linger`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::raw::run_reclaimer_round;
use gosync_atomic_value::AtomicValue;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

/// A payload that counts its drop.
struct Counted {
    payload: Payload,
    drops: Arc<AtomicUsize>,
}

impl Counted {
    fn new(id: u32, drops: &Arc<AtomicUsize>) -> Self {
        Self {
            payload: Payload::new(id),
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn replaced_value_is_freed_by_a_reclaimer_round_without_another_store() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let value = Arc::new(AtomicValue::new(Counted::new(1, &drops)));
        let reader = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let guard = value.load().unwrap();
                let id = guard.payload.use_it();
                assert!(id == 1 || id == 2, "loaded {id}");
            })
        };
        value.store(Counted::new(2, &drops));
        reader.join().unwrap();
        // The store's pass may have kept 1 (the reader's guard was up); its
        // guard is gone now, and nothing stores again: one round frees it.
        run_reclaimer_round();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "the replaced value outlived its guard and a reclaimer round"
        );
    });
}

#[test]
fn reclaimer_round_racing_the_drop_of_the_atomic_value() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let value = AtomicValue::new(Counted::new(1, &drops));
        let guard = value.load().unwrap();
        // The pass keeps 1 (guarded here) and registers the list; the
        // guard goes before the round starts, so the round may free 1 at
        // any point of the drop below.
        value.store(Counted::new(2, &drops));
        assert_eq!(guard.payload.use_it(), 1);
        drop(guard);
        let reclaimer = thread::spawn(run_reclaimer_round);
        drop(value);
        // Dropped means gone, even if the round was mid-pass on the list.
        assert_eq!(
            drops.load(Ordering::SeqCst),
            2,
            "a value outlived the drop of its AtomicValue"
        );
        reclaimer.join().unwrap();
    });
}

#[test]
fn value_still_guarded_at_a_round_is_freed_by_the_next_round() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let value = AtomicValue::new(Counted::new(1, &drops));
        let guard = value.load().unwrap();
        value.store(Counted::new(2, &drops));
        // 1 is guarded through this round: it must stay registered.
        run_reclaimer_round();
        assert_eq!(guard.payload.use_it(), 1);
        drop(guard);
        run_reclaimer_round();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "a value guarded at one round was dropped from the reclaimer's queue"
        );
    });
}

#[test]
fn reclaimer_round_racing_a_store() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let value = AtomicValue::new(Counted::new(1, &drops));
        let guard = value.load().unwrap();
        value.store(Counted::new(2, &drops)); // keeps 1, registers
        drop(guard);
        let reclaimer = thread::spawn(run_reclaimer_round);
        let guard = value.load().unwrap();
        value.store(Counted::new(3, &drops)); // retires 2 during the round
        assert_eq!(guard.payload.use_it(), 2);
        drop(guard);
        reclaimer.join().unwrap();
        // A round skips a list whose stores passed since the previous one
        // (they keep up by themselves), so two rounds may be needed.
        run_reclaimer_round();
        run_reclaimer_round();
        assert_eq!(drops.load(Ordering::SeqCst), 2, "a replaced value lingers");
    });
}

#[test]
fn reclaim_waits_for_a_reclaimer_round_in_flight() {
    model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let value = AtomicValue::new(Counted::new(1, &drops));
        let guard = value.load().unwrap();
        value.store(Counted::new(2, &drops)); // keeps 1, registers
        drop(guard);
        let reclaimer = thread::spawn(run_reclaimer_round);
        // `reclaim` drops every unguarded replaced value before it returns,
        // even one a round has just taken off the list.
        value.reclaim();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "reclaim returned before an unguarded value was dropped"
        );
        reclaimer.join().unwrap();
    });
}
