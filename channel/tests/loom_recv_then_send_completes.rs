//! Go memory model, channel rule 3: a receive from an unbuffered channel
//! happens-before the completion of the corresponding send.
//!
//! The receiver writes data, then receives; the sender's send returns, and
//! the sender reads the data. Both arrival orders are explored (the sender
//! blocks first, or the receiver does).
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_recv_then_send_completes`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{channel, model, Data, Flavor, Payload};

#[test]
fn rendezvous_recv_happens_before_send_completes() {
    model(|| {
        let (tx, rx) = channel::<Payload>(Flavor::Rendezvous);
        let data = Arc::new(Data::new());
        let receiver = {
            let data = Arc::clone(&data);
            thread::spawn(move || {
                data.write(1);
                assert_eq!(rx.recv().unwrap().use_it(), 3);
            })
        };
        tx.send(Payload::new(3)).unwrap();
        assert_eq!(data.read(), 1, "a completed unbuffered send must see what preceded the receive");
        receiver.join().unwrap();
    });
}
