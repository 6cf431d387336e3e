//! Rule 6: no lost wake-up. Blocked senders and receivers, and a blocked
//! select, always finish: a wake-up lost anywhere leaves a thread parked
//! forever, which loom reports as a deadlock.
//!
//! Every handle stays alive until the threads are joined: a handle dropped
//! early would close the channel, and the close would wake the very waiter
//! whose wake-up the model is about. The main thread only spawns and joins
//! (loom's `join`, unlike std's, is woken by a late `unpark` that a channel
//! waiter can receive; see `docs::proofs`).
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_no_lost_wakeup`
#![cfg(gosync_loom)]

mod loom_support;

use gosync_channel::{bounded, select, unbounded};
use loom::thread;
use loom_support::{channel, model, Flavor};

/// Two messages through a channel that holds at most one (or none, or
/// any number): the sender blocks on a full channel, the receiver on an
/// empty one, in every interleaving loom explores.
fn pair(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<u8>(flavor);
        let sender = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
            tx
        });
        let receiver = thread::spawn(move || {
            assert_eq!(rx.recv(), Ok(1));
            assert_eq!(rx.recv(), Ok(2));
            rx
        });
        let _tx = sender.join().unwrap();
        let _rx = receiver.join().unwrap();
    });
}

#[test]
fn blocked_rendezvous_sender_and_receiver_finish() {
    pair(Flavor::Rendezvous);
}

#[test]
fn blocked_bounded_sender_and_receiver_finish() {
    pair(Flavor::Bounded(1));
}

#[test]
fn blocked_unbounded_receiver_finishes() {
    pair(Flavor::Unbounded);
}

#[test]
fn blocked_select_over_rendezvous_and_bounded_finishes() {
    model(|| {
        let (tx0, rx0) = bounded::<u8>(0);
        let (_tx1, rx1) = bounded::<u8>(1);
        let sender = thread::spawn(move || {
            tx0.send(7).unwrap();
            tx0
        });
        let selector = thread::spawn(move || {
            select! {
                recv(rx0) -> msg => assert_eq!(msg, Ok(7)),
                recv(rx1) -> _ => unreachable!("nothing is sent there"),
            }
            (rx0, rx1)
        });
        let _tx0 = sender.join().unwrap();
        let _rx = selector.join().unwrap();
    });
}

#[test]
fn blocked_select_send_case_finishes() {
    model(|| {
        let (tx, rx) = bounded::<u8>(0);
        let (_idle_tx, idle_rx) = unbounded::<u8>();
        let receiver = thread::spawn(move || {
            assert_eq!(rx.recv(), Ok(4));
            rx
        });
        let selector = thread::spawn(move || {
            select! {
                send(tx, 4) -> sent => sent.unwrap(),
                recv(idle_rx) -> _ => unreachable!("nothing is sent there"),
            }
            (tx, idle_rx)
        });
        let _rx = receiver.join().unwrap();
        let _handles = selector.join().unwrap();
    });
}
