//! Husks (`src/husk.rs`): a pass keeps the allocation of a value it frees
//! for the next store only when nothing refers to it, neither an `Arc` nor
//! a guard's hazard slot. (That a value moved into a husk is published like
//! any other is `loom_store_load`'s business; under loom every store that
//! replaces a value runs a pass, whose fences would hide a missing edge
//! here.)
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_husk`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

/// A reader keeps an `Arc` to value 1 across two stores and passes: the
/// second store must not refill 1's allocation while the `Arc` reads it
/// (a refill, or the in-place drop before it, racing the reads is a loom
/// causality violation or a changed id).
#[test]
fn an_arc_still_held_is_never_made_a_husk() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let reader = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                if let Some(arc) = value.load_arc() {
                    let id = arc.use_it();
                    thread::yield_now();
                    assert_eq!(arc.use_it(), id, "the value changed under its Arc");
                }
            })
        };
        value.store(Payload::new(2));
        value.reclaim();
        value.store(Payload::new(3));
        value.reclaim();
        reader.join().unwrap();
    });
}

/// The same with a guard (a hazard slot, no count): the pass that finds
/// value 1 in the reader's slot keeps it on the list, so no store refills
/// its allocation while the guard reads it.
#[test]
fn a_guarded_value_is_never_made_a_husk() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let reader = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                if let Some(guard) = value.load() {
                    let id = guard.use_it();
                    thread::yield_now();
                    assert_eq!(guard.use_it(), id, "the value changed under its guard");
                }
            })
        };
        value.store(Payload::new(2));
        value.reclaim();
        value.store(Payload::new(3));
        value.reclaim();
        reader.join().unwrap();
    });
}
