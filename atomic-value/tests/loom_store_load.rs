//! Go's rule for `atomic.Value`: a store (or swap, or successful
//! compare-and-swap) happens-before every load that observes its value.
//!
//! The writer writes a payload outside the value (a loom cell), then
//! publishes; a reader that observes the publication reads the payload. If
//! the publication did not carry a happens-before edge, loom reports the
//! read as racing the write.
//!
//! Every model starts from an empty `AtomicValue`, so the publication
//! replaces nothing and runs no reclamation pass: the pass's SeqCst fence
//! would otherwise hand the reader the writer's history through loom's
//! fence model and hide a missing edge on the publication itself.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_store_load`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use loom_support::model;

struct Shared {
    value: AtomicValue<u32>,
    written_before: UnsafeCell<u32>,
}

// SAFETY: the cell is written by the writer before it publishes and read by
// readers after they observe the publication; that edge is what the models
// check.
unsafe impl Sync for Shared {}

fn shared() -> Arc<Shared> {
    Arc::new(Shared {
        value: AtomicValue::empty(),
        written_before: UnsafeCell::new(0),
    })
}

fn write_payload(shared: &Shared) {
    // SAFETY: the only write; the reads are ordered after it by the edge
    // under test.
    shared.written_before.with_mut(|cell| unsafe { *cell = 42 });
}

fn read_payload(shared: &Shared) {
    // SAFETY: only after observing the publication (the edge under test).
    let seen = shared.written_before.with(|cell| unsafe { *cell });
    assert_eq!(seen, 42);
}

/// Runs `publish` on one thread after writing the payload, and `observe`
/// (which returns whether it saw the published value) on another.
fn check(publish: fn(&AtomicValue<u32>), observe: fn(&AtomicValue<u32>) -> bool) {
    model(move || {
        let shared = shared();
        let writer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                write_payload(&shared);
                publish(&shared.value);
            })
        };
        // Let the writer go first in some executions: loom's partial-order
        // reduction only revisits the reader's first access when it
        // conflicts with the writer's next one, and a CAS starts with a load.
        thread::yield_now();
        if observe(&shared.value) {
            read_payload(&shared);
        }
        writer.join().unwrap();
    });
}

#[test]
fn store_happens_before_load() {
    check(|v| v.store(1), |v| v.load().is_some_and(|g| *g == 1));
}

#[test]
fn store_happens_before_load_arc() {
    check(|v| v.store(1), |v| v.load_arc().is_some_and(|a| *a == 1));
}

#[test]
fn swap_happens_before_load() {
    check(
        |v| assert!(v.swap(1).is_none()),
        |v| v.load().is_some_and(|g| *g == 1),
    );
}

#[test]
fn compare_and_swap_happens_before_load() {
    check(
        |v| assert_eq!(v.compare_and_swap(None, 1), Ok(())),
        |v| v.load().is_some_and(|g| *g == 1),
    );
}

#[test]
fn store_happens_before_failed_compare_and_swap_that_saw_it() {
    // A compare-and-swap that fails because it saw the new value is a load
    // that observed it.
    check(|v| v.store(1), |v| v.compare_and_swap(None, 2).is_err());
}
