//! Dropping an `AtomicValue` while another thread still holds a guard: the
//! guarded value outlives the `AtomicValue` (no use-after-free) and is
//! dropped when the guard goes (no leak), whichever of the two drops runs
//! first and however they interleave.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-atomic-value --test loom_drop_with_guards`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_atomic_value::AtomicValue;
use loom::sync::Arc;
use loom::thread;
use loom_support::{model, Payload};

/// Spawns a thread that loads a guard, drops its own handle to the
/// `AtomicValue` (so the other handle's drop may be the last while the guard
/// lives), then uses the guarded value and checks it is one of `expected`.
fn spawn_guard_holder(
    value: &Arc<AtomicValue<Payload>>,
    expected: &'static [u32],
) -> thread::JoinHandle<()> {
    let value = Arc::clone(value);
    thread::spawn(move || {
        let guard = value.load().unwrap();
        drop(value);
        let id = guard.use_it();
        assert!(
            expected.contains(&id),
            "guarded {id}, expected one of {expected:?}"
        );
    })
}

#[test]
fn guard_outlives_its_atomic_value() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let guard_holder = spawn_guard_holder(&value, &[1]);
        drop(value);
        guard_holder.join().unwrap();
    });
}

#[test]
fn replaced_value_guarded_when_the_atomic_value_drops() {
    model(|| {
        let value = Arc::new(AtomicValue::new(Payload::new(1)));
        let guard_holder = spawn_guard_holder(&value, &[1, 2]);
        value.store(Payload::new(2));
        drop(value);
        guard_holder.join().unwrap();
    });
}
