//! Reclamation is never early: a reader holding a guard keeps its value
//! alive across a concurrent swap and the reclamation pass that follows;
//! and never late: once everything is dropped, every value has been dropped
//! (the payload's loom `Arc` would report a leak).
//!
//! The payload is read through loom on every use and written by its `Drop`,
//! so a free that is not ordered after a guard's last use is a loom
//! causality violation.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_guard_across_swap`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

#[test]
fn guard_keeps_value_alive_across_store_and_reclaim() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let writer = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                value.store(Payload::new(2));
                value.reclaim();
            })
        };
        if let Some(guard) = value.load() {
            let id = guard.use_it();
            assert!(id == 1 || id == 2);
        }
        writer.join().unwrap();
    });
}

#[test]
fn swapped_out_arc_and_guard_share_the_value() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let writer = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                let old = value.swap(Payload::new(2)).unwrap();
                assert_eq!(old.use_it(), 1);
            })
        };
        let guard = value.load().unwrap();
        guard.use_it();
        drop(guard);
        writer.join().unwrap();
    });
}

/// `Retired::guard` (the previous value a concurrent map's `swap` returns)
/// keeps the value alive after it is retired, while another thread's pass
/// and a reader's load race it.
#[test]
fn guard_of_a_retired_value_keeps_it_alive_across_reclaim() {
    use gosync_atomic_value::raw::{ArcCell, RetiredList};

    model(|| {
        let cell = Arc::new(ArcCell::new(Some(Arc::new(Payload::new(1)))));
        let retired = Arc::new(RetiredList::new());
        let reclaimer = {
            let (cell, retired) = (Arc::clone(&cell), Arc::clone(&retired));
            thread::spawn(move || {
                if let Some(guard) = cell.load() {
                    assert!(matches!(guard.use_it(), 1 | 2));
                }
                retired.reclaim();
            })
        };
        let old = cell.swap(Some(Arc::new(Payload::new(2)))).unwrap();
        let previous = old.guard();
        retired.retire(old);
        assert_eq!(previous.use_it(), 1);
        drop(previous);
        reclaimer.join().unwrap();
    });
}
