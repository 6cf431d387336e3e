//! Compare-and-swap is atomic: of two compare-and-swaps from the same old
//! value, exactly one succeeds, and the stored value is the winner's.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_compare_and_swap`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

#[test]
fn two_compare_and_swaps_from_the_same_old_value_one_wins() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(0)));
        let old = Payload::new(0);
        let other = {
            let value = Arc::clone(&value);
            thread::spawn(move || value.compare_and_swap(Some(&Payload::new(0)), Payload::new(2)))
        };
        thread::yield_now(); // (see loom_store_load)
        let mine = value.compare_and_swap(Some(&old), Payload::new(1));
        let theirs = other.join().unwrap();
        let winner = match (&mine, &theirs) {
            (Ok(()), Err(lost)) => {
                assert_eq!(lost.id, 2, "the loser gets its own value back");
                1
            }
            (Err(lost), Ok(())) => {
                assert_eq!(lost.id, 1, "the loser gets its own value back");
                2
            }
            _ => panic!(
                "exactly one compare-and-swap must win: {:?}",
                (mine.is_ok(), theirs.is_ok())
            ),
        };
        assert_eq!(value.load().unwrap().use_it(), winner);
    });
}

#[test]
fn compare_and_swap_from_empty_races_a_store() {
    model(|| {
        let value = Arc::new(AtomicValue::<Payload>::empty());
        let storer = {
            let value = Arc::clone(&value);
            thread::spawn(move || value.store(Payload::new(1)))
        };
        // Let the store go first in some executions (see loom_store_load).
        thread::yield_now();
        let result = value.compare_and_swap(None, Payload::new(2));
        storer.join().unwrap();
        let last = value.load().unwrap().use_it();
        match result {
            // The CAS came first, so the store overwrote it.
            Ok(()) => assert_eq!(last, 1),
            // The store came first; the CAS saw a non-empty value.
            Err(back) => {
                assert_eq!(back.id, 2);
                assert_eq!(last, 1);
            }
        }
    });
}
