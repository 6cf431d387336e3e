//! Go memory model, channel rule 1: a send on a channel happens-before the
//! corresponding receive from that channel completes. One model per
//! flavor.
//!
//! The sender writes data outside the channel, then sends a loom-checked
//! payload; the receiver receives it and reads the data. Without the edge,
//! loom reports the read (of the data, or of the payload's own contents)
//! as racing the write.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_send_then_recv`
//! (preemption bound: `LOOM_MAX_PREEMPTIONS`, 3 when unset).
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{channel, model, Data, Flavor, Payload};

fn check(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<Payload>(flavor);
        let data = Arc::new(Data::new());
        let sender = {
            let data = Arc::clone(&data);
            thread::spawn(move || {
                data.write(1);
                tx.send(Payload::new(7)).unwrap();
            })
        };
        let payload = rx.recv().unwrap();
        assert_eq!(payload.use_it(), 7);
        assert_eq!(data.read(), 1, "the receive must see what was written before the send");
        sender.join().unwrap();
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
