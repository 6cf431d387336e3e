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

/// A reader holds value 1 through `hold` (an `Arc` or a guard) and reads
/// it twice while the main thread stores 2 and 3 with a pass after each:
/// no store may refill 1's allocation while the reader holds it (a refill,
/// or the in-place drop before it, racing the reads is a loom causality
/// violation or a changed id).
fn held_across_two_stores_and_passes<H>(hold: fn(&AtomicValue<Payload>) -> Option<H>)
where
    H: std::ops::Deref<Target = Payload> + 'static,
{
    model(move || {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let reader = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                if let Some(held) = hold(&value) {
                    let id = held.use_it();
                    thread::yield_now();
                    assert_eq!(held.use_it(), id, "the value changed while held");
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

/// An `Arc` (a strong count): the pass's uniqueness check must fail.
#[test]
fn an_arc_still_held_is_never_made_a_husk() {
    held_across_two_stores_and_passes(AtomicValue::load_arc);
}

/// A guard (a hazard slot, no count): the pass that finds value 1 in the
/// reader's slot keeps it on the list.
#[test]
fn a_guarded_value_is_never_made_a_husk() {
    held_across_two_stores_and_passes(AtomicValue::load);
}
