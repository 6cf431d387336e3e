//! `load_or_store` races: exactly one caller stores, and every caller gets
//! the stored value.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-concurrent-map --test loom_load_or_store`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{map_with_key_in_snapshot, model, new_map, Payload, TestMap};

/// Two threads `load_or_store` key 1 with values 1 and 2.
fn race(setup: fn() -> TestMap) {
    model(move || {
        let map = Arc::new(setup());
        let other = {
            let map = Arc::clone(&map);
            thread::spawn(move || {
                let (value, loaded) = map.load_or_store(1, Payload::new(2));
                (value.use_it(), loaded)
            })
        };
        thread::yield_now();
        let (value, loaded) = map.load_or_store(1, Payload::new(1));
        let mine = (value.use_it(), loaded);
        drop(value);
        let theirs = other.join().unwrap();
        assert_eq!(mine.0, theirs.0, "both callers see the one stored value");
        assert!(
            mine.1 != theirs.1,
            "exactly one caller stored: {mine:?} {theirs:?}"
        );
        let winner = if mine.1 { theirs.0 } else { mine.0 };
        assert_eq!(map.load(&1).map(|v| v.use_it()), Some(winner));
    });
}

/// The key is new: both go to the locked path.
#[test]
fn load_or_store_of_a_new_key_has_one_winner() {
    race(new_map);
}

/// The key's entry is in the snapshot but deleted: both race on the
/// entry's lock-free compare-exchange from empty.
#[test]
fn load_or_store_of_a_deleted_key_has_one_winner() {
    race(|| {
        let map = map_with_key_in_snapshot(1, 0);
        map.delete(&1);
        map
    });
}
