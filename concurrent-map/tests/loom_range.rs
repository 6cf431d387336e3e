//! `range` concurrent with a store: every value it sees is a valid,
//! published one (the store's payload is visible when its value is), and
//! no key comes twice.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test loom_range`
#![cfg(gosync_loom)]

mod loom_support;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;
use loom_support::{map_with_key_in_snapshot, model, Payload, TestMap};

struct Shared {
    map: TestMap,
    written_before: UnsafeCell<u32>,
}

// SAFETY: written before the store, read only after `range` saw the stored
// value: the edge under test.
unsafe impl Sync for Shared {}

#[test]
fn range_concurrent_with_store_sees_a_valid_value() {
    model(|| {
        let shared = Arc::new(Shared {
            map: map_with_key_in_snapshot(1, 0),
            written_before: UnsafeCell::new(0),
        });
        let storer = {
            let shared = Arc::clone(&shared);
            thread::spawn(move || {
                // SAFETY: the only write (see `Shared`).
                shared.written_before.with_mut(|cell| unsafe { *cell = 42 });
                shared.map.store(1, Payload::new(7));
            })
        };
        thread::yield_now();
        let mut visits = 0;
        shared.map.range(|key, value| {
            assert_eq!(*key, 1);
            visits += 1;
            match value.use_it() {
                0 => {}
                7 => {
                    // SAFETY: after observing the store (see `Shared`).
                    let seen = shared.written_before.with(|cell| unsafe { *cell });
                    assert_eq!(seen, 42);
                }
                other => panic!("a value never stored: {other}"),
            }
            true
        });
        assert_eq!(visits, 1);
        storer.join().unwrap();
    });
}
