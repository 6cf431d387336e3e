//! Promotion (the dirty table becoming the snapshot) racing a lock-free
//! store to a key both tables have: the store is never lost, because both
//! tables share the key's entry.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test loom_promotion`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{id_of, map_with_key_in_snapshot, model, Payload};

#[test]
fn promotion_racing_a_store_to_a_present_key_loses_nothing() {
    model(|| {
        // Key 1 in the snapshot; key 2 only in the dirty table, which
        // therefore also holds key 1's entry.
        let map = Arc::new(map_with_key_in_snapshot(1, 0));
        map.store(2, Payload::new(20));
        let storer = {
            let map = Arc::clone(&map);
            thread::spawn(move || map.store(1, Payload::new(10)))
        };
        thread::yield_now();
        // `range` promotes first because the snapshot lacks key 2.
        let mut seen = Vec::new();
        map.range(|key, value| {
            seen.push((*key, value.use_it()));
            true
        });
        storer.join().unwrap();
        seen.sort_unstable();
        assert!(
            seen == [(1, 0), (2, 20)] || seen == [(1, 10), (2, 20)],
            "{seen:?}"
        );
        assert_eq!(id_of(&map, 1), Some(10), "the store survived the promotion");
        assert_eq!(id_of(&map, 2), Some(20));
    });
}
