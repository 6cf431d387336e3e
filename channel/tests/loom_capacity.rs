//! Go memory model, channel rule 4: the k-th receive on a channel with
//! capacity C happens-before the (k+C)-th send from that channel
//! completes. Checked for C = 1 and C = 2 with k = 1.
//!
//! The receiver writes data, then makes the first receive; the sender
//! makes C + 1 sends and then reads the data. The (C+1)-th send can only
//! complete once the first receive has freed a slot.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_capacity`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom_support::{both, channel, model, Data, Flavor, Payload};

fn check(cap: usize) {
    model(move || {
        let (tx, rx) = channel::<Payload>(Flavor::Bounded(cap));
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                assert_eq!(rx.recv().unwrap().use_it(), 0);
                // Kept open until the sends are done; the rest stay
                // buffered and are dropped with it (loom checks none leaks).
                rx
            },
            move || {
                for id in 0..=cap as u32 {
                    tx.send(Payload::new(id)).unwrap();
                }
                assert_eq!(
                    seen.read(),
                    1,
                    "the (1+C)-th send completed before the first receive"
                );
                tx
            },
        );
    });
}

#[test]
fn capacity_1_first_recv_happens_before_second_send_completes() {
    check(1);
}

#[test]
fn capacity_2_first_recv_happens_before_third_send_completes() {
    check(2);
}
