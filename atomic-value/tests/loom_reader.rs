//! The cached [`Reader`](gosync_atomic_value::Reader): it returns what
//! `load()` would (a store happens-before the reader's load that returns
//! it, and a reader never returns a value older than one its thread has
//! already observed through `load()`), and its cache holds a value no
//! longer than until its next load after a store, or its drop.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_reader`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

struct Shared {
    value: AtomicValue<u32>,
    written_before: UnsafeCell<u32>,
}

// SAFETY: the cell is written by the writer before it stores and read by
// the reader after it observes the store; that edge is what the model
// checks.
unsafe impl Sync for Shared {}

/// The reader's first load (through `load_arc`) and its later cached
/// loads both carry the store's happens-before edge. Starts empty, so the
/// store runs no reclamation pass whose fence could hide a missing edge.
#[test]
fn store_happens_before_reader_load() {
    model(|| {
        let shared = Arc::new(Shared {
            value: AtomicValue::empty(),
            written_before: UnsafeCell::new(0),
        });
        let writer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                // SAFETY: the only write, before the store under test.
                shared.written_before.with_mut(|cell| unsafe { *cell = 42 });
                shared.value.store(1);
            })
        };
        let mut reader = shared.value.reader();
        for _ in 0..2 {
            if reader.load().is_some() {
                // SAFETY: only after observing the store (the edge under test).
                let seen = shared.written_before.with(|cell| unsafe { *cell });
                assert_eq!(seen, 42);
            }
        }
        drop(reader);
        writer.join().unwrap();
    });
}

/// Values only grow (1, then 2), so "not older" is `>=`: a reader load
/// after a plain `load()` that saw 2 must not return the cached 1.
#[test]
fn reader_is_never_older_than_a_load_before_it() {
    model(|| {
        let value = Arc::new(AtomicValue::new(0_u32));
        let writer = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                value.store(1);
                value.store(2);
            })
        };
        let mut reader = value.reader();
        let first = **reader.load().unwrap();
        let plain = *value.load().unwrap();
        let second = **reader.load().unwrap();
        assert!(first <= plain, "cached {first} came after {plain}");
        assert!(
            second >= plain,
            "reader returned {second} after load() saw {plain}"
        );
        drop(reader);
        writer.join().unwrap();
    });
}

/// A value with a marker whose count tells whether it was dropped.
struct Marked {
    payload: Payload,
    _marker: Arc<()>,
}

/// The reader caches value 1 while another thread replaces it and runs a
/// pass: 1 must stay alive while cached (a read racing its free is a loom
/// causality violation), and be dropped by the pass that runs once the
/// reader has moved on to 2 or been dropped (a marker count of 1).
#[test]
fn reader_holds_a_replaced_value_only_until_its_next_load_or_drop() {
    model(|| {
        let marker = Arc::new(());
        let value = Arc::new(AtomicValue::new(Marked {
            payload: Payload::new(1),
            _marker: Arc::clone(&marker),
        }));
        let writer = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                value.store(Marked {
                    payload: Payload::new(2),
                    _marker: Arc::new(()),
                });
                value.reclaim();
            })
        };
        let mut reader = value.reader();
        let first = reader.load().unwrap().payload.use_it();
        let second = reader.load().unwrap().payload.use_it();
        assert!(first <= second);
        writer.join().unwrap();

        if second == 2 {
            // The reader moved on: nothing but the list may hold 1 now.
            value.reclaim();
            assert_eq!(Arc::strong_count(&marker), 1, "the reader kept value 1");
        }
        drop(reader);
        value.reclaim();
        assert_eq!(Arc::strong_count(&marker), 1, "value 1 outlived the reader");
    });
}
