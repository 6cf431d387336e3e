//! Go memory model, channel rule 2: the closing of a channel
//! happens-before a receive that returns because the channel is closed.
//! One model per flavor.
//!
//! The closer writes data, then closes; the receiver receives, and if the
//! receive reported the close, reads the data.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_close_then_recv`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::Arc;
use loom::thread;
use loom_support::{both, channel, model, Data, Flavor};

fn check(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<u8>(flavor);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                assert!(tx.close());
                tx
            },
            move || {
                // Blocks until the close: nothing is ever sent.
                assert!(rx.recv().is_err());
                assert_eq!(
                    seen.read(),
                    1,
                    "a receive that saw the close must see what preceded it"
                );
            },
        );
    });
}

/// The receive races the close with `try_recv` (which never waits): only
/// when it reports the close may it rely on the edge.
fn check_nonblocking(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<u8>(flavor);
        let data = Arc::new(Data::new());
        let closer = {
            let data = Arc::clone(&data);
            thread::spawn(move || {
                data.write(1);
                tx.close();
            })
        };
        if rx.try_recv() == Err(gosync_channel::TryRecvError::Closed) {
            assert_eq!(data.read(), 1);
        }
        closer.join().unwrap();
    });
}

#[test]
fn bounded_close_happens_before_recv_that_reports_it() {
    check(Flavor::Bounded(1));
    check_nonblocking(Flavor::Bounded(1));
}

#[test]
fn rendezvous_close_happens_before_recv_that_reports_it() {
    check(Flavor::Rendezvous);
    check_nonblocking(Flavor::Rendezvous);
}

#[test]
fn unbounded_close_happens_before_recv_that_reports_it() {
    check(Flavor::Unbounded);
    check_nonblocking(Flavor::Unbounded);
}
