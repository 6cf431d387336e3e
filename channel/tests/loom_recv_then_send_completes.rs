//! Go memory model, channel rule 3: a receive from an unbuffered channel
//! happens-before the completion of the corresponding send.
//!
//! The receiver writes data, then receives; the sender's send returns, and
//! the sender reads the data. The sender runs on its own thread and the
//! receiver yields before writing, so loom explores both arrival orders
//! (the sender blocked first, or the receiver).
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_recv_then_send_completes`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{both, channel, model, Data, Flavor};

#[test]
fn rendezvous_recv_happens_before_send_completes() {
    model(|| {
        // A plain number, as in `loom_send_then_recv` (see there).
        let (tx, rx) = channel::<u32>(Flavor::Rendezvous);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                tx.send(3).unwrap();
                assert_eq!(
                    seen.read(),
                    1,
                    "a completed unbuffered send must see what preceded the receive"
                );
                tx
            },
            move || {
                // A scheduling point first, so that loom also runs the
                // sender's whole send before this thread writes.
                thread::yield_now();
                data.write(1);
                assert_eq!(rx.recv(), Ok(3));
                rx
            },
        );
    });
}
