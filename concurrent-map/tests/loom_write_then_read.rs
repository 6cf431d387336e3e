//! Go's sync.Map memory-model sentence, method by method: a write
//! happens-before any read that observes it.
//!
//! Each model has a writer that writes a payload outside the map (a loom
//! cell) and then performs one write operation, and a reader that performs
//! one read operation and, if it observed the write, reads the payload.
//! Without the edge, loom reports the payload read as racing its write.
//! The values themselves are loom-checked too (see `loom_support`), and
//! after the writer's thread is joined the reader must observe the write.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test loom_write_then_read`
#![cfg(gosync_loom)]

mod loom_support;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use loom_support::{id_of, map_with_key_in_snapshot, model, new_map, Payload, TestMap};

struct Shared {
    map: TestMap,
    written_before: UnsafeCell<u32>,
}

// SAFETY: the cell is written by the writer before its map write and read
// by the reader after it observes that write; that edge is under test.
unsafe impl Sync for Shared {}

/// Runs `write` after writing the payload on one thread and `observe`
/// (true: it saw the write) on another, on the map `setup` builds.
fn check(setup: fn() -> TestMap, write: fn(&TestMap), observe: fn(&TestMap) -> bool) {
    model(move || {
        let shared = Arc::new(Shared {
            map: setup(),
            written_before: UnsafeCell::new(0),
        });
        let writer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                // SAFETY: the only write; ordered before the reads by the
                // edge under test.
                shared.written_before.with_mut(|cell| unsafe { *cell = 42 });
                write(&shared.map);
            })
        };
        // Let the writer go first in some executions (loom's reduction
        // only revisits a first access that conflicts with the writer's).
        thread::yield_now();
        if observe(&shared.map) {
            // SAFETY: only after observing the write (the edge under test).
            let seen = shared.written_before.with(|cell| unsafe { *cell });
            assert_eq!(seen, 42);
        }
        writer.join().unwrap();
        // The join orders the whole write before this read.
        assert!(observe(&shared.map), "a completed write is observed");
    });
}

fn key_in_snapshot() -> TestMap {
    map_with_key_in_snapshot(1, 0)
}

/// Store to a key the snapshot has: the lock-free compare-exchange path.
#[test]
fn store_to_a_present_key_happens_before_load() {
    check(
        key_in_snapshot,
        |map| map.store(1, Payload::new(7)),
        |map| id_of(map, 1) == Some(7),
    );
}

/// Store of a new key: the locked dirty-table path, seen through the
/// snapshot's `amended` flag and the lock.
#[test]
fn store_of_a_new_key_happens_before_load() {
    check(
        new_map,
        |map| map.store(1, Payload::new(7)),
        |map| id_of(map, 1) == Some(7),
    );
}

/// A `load_or_store` that stored (the entry was deleted, so the store is a
/// lock-free compare-exchange from empty).
#[test]
fn load_or_store_that_stored_happens_before_load() {
    check(
        || {
            let map = key_in_snapshot();
            map.delete(&1);
            map
        },
        |map| assert!(!map.load_or_store(1, Payload::new(7)).1),
        |map| id_of(map, 1) == Some(7),
    );
}

/// A successful `compare_and_swap`.
#[test]
fn compare_and_swap_happens_before_load() {
    check(
        key_in_snapshot,
        |map| {
            assert!(map
                .compare_and_swap(&1, &Payload::new(0), Payload::new(7))
                .is_ok())
        },
        |map| id_of(map, 1) == Some(7),
    );
}

/// A `delete`, observed by a `load_and_delete` that finds nothing.
#[test]
fn delete_happens_before_load_and_delete_that_observes_it() {
    check(
        key_in_snapshot,
        |map| map.delete(&1),
        |map| map.load_and_delete(&1).is_none(),
    );
}
