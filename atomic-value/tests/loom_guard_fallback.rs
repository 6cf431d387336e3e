//! The fallback path: a thread that holds as many guards as it has hazard
//! slots (two under loom) gets owned guards for further loads, through a
//! record borrowed for the duration of the load. Under a concurrent store
//! and reclamation those guards, too, keep their values alive, and nothing
//! leaks.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_guard_fallback`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

#[test]
fn loads_past_the_slots_fall_back_to_owned_guards() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let other = AtomicValue::new(Payload::new(10));
        // Fill this thread's two slots before the race starts, one of them
        // with the value the writer is about to replace.
        let held = value.load().unwrap();
        let held_other = other.load().unwrap();
        let writer = {
            let value = Arc::clone(&value);
            thread::spawn(move || {
                value.store(Payload::new(2));
                value.reclaim();
            })
        };
        let extra = value.load().unwrap(); // no slot left: the fallback
        let id = extra.use_it();
        assert!(id == 1 || id == 2);
        drop(extra);
        // The fallback must have left the held guards' slots alone.
        assert_eq!(held.use_it(), 1);
        assert_eq!(held_other.use_it(), 10);
        drop((held, held_other));
        writer.join().unwrap();
    });
}
