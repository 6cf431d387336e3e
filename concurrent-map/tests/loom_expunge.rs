//! Expunging (a deleted entry left out of a new dirty table) and
//! unexpunging (putting it back) racing stores to the same key: no store
//! is lost, before or after the next promotion.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test loom_expunge`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{id_of, map_with_key_in_snapshot, model, Payload, TestMap};

/// Promotes whatever the dirty table holds (a `range` promotes first when
/// the snapshot lacks keys) and returns the ids of keys 1 and 2.
fn after_promotion(map: &TestMap) -> (Option<u32>, Option<u32>) {
    map.range(|_, _| true);
    (id_of(map, 1), id_of(map, 2))
}

/// Key 1 is deleted in the snapshot. A store of new key 2 builds the dirty
/// table and expunges key 1's entry, while another thread stores key 1:
/// the lock-free store must not land in an expunged entry.
#[test]
fn expunge_racing_a_store_loses_nothing() {
    model(|| {
        let map = Arc::new(map_with_key_in_snapshot(1, 0));
        map.delete(&1);
        let storer = {
            let map = Arc::clone(&map);
            thread::spawn(move || map.store(1, Payload::new(10)))
        };
        thread::yield_now();
        map.store(2, Payload::new(20));
        storer.join().unwrap();
        assert_eq!(id_of(&map, 1), Some(10));
        assert_eq!(after_promotion(&map), (Some(10), Some(20)));
    });
}

/// Key 1 is already expunged. Two stores to it race; one unexpunges it
/// under the lock and puts it back into the dirty table; the value left is
/// one of the two and survives the promotion.
#[test]
fn unexpunge_racing_a_store_loses_nothing() {
    model(|| {
        let map = Arc::new(map_with_key_in_snapshot(1, 0));
        map.delete(&1);
        map.store(2, Payload::new(20)); // builds dirty, expunging key 1
        let storer = {
            let map = Arc::clone(&map);
            thread::spawn(move || map.store(1, Payload::new(10)))
        };
        thread::yield_now();
        map.store(1, Payload::new(11));
        storer.join().unwrap();
        let now = id_of(&map, 1);
        assert!(now == Some(10) || now == Some(11), "{now:?}");
        assert_eq!(after_promotion(&map), (now, Some(20)));
    });
}
