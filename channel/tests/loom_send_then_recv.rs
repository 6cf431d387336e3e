//! Go memory model, channel rule 1: a send on a channel happens-before the
//! corresponding receive from that channel completes. One model per
//! flavor.
//!
//! The sender writes data outside the channel, then sends; the receiver
//! receives and reads the data. Without the edge, loom reports the read as
//! racing the write. (The message is a plain number: a model whose edge is
//! broken may read the slot before it is written, and a number read too
//! early is only a wrong number, where a loom `Payload` read too early is
//! garbage that crashes loom itself. The payloads' own checks run in the
//! other models.)
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_send_then_recv`
//! (preemption bound: `LOOM_MAX_PREEMPTIONS`, 3 when unset).
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom_support::{both, channel, model, Data, Flavor};

fn check(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<u32>(flavor);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                tx.send(7).unwrap();
                tx
            },
            move || {
                assert_eq!(rx.recv(), Ok(7));
                assert_eq!(
                    seen.read(),
                    1,
                    "the receive must see what was written before the send"
                );
                rx
            },
        );
    });
}

#[test]
fn bounded_send_happens_before_recv() {
    check(Flavor::Bounded(1));
}

#[test]
fn rendezvous_send_happens_before_recv() {
    check(Flavor::Rendezvous);
}

#[test]
fn unbounded_send_happens_before_recv() {
    check(Flavor::Unbounded);
}
