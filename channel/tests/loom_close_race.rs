//! Rule 7: close racing with blocked senders and receivers. Nobody stays
//! blocked (loom reports a deadlock otherwise), every message is either
//! received or handed back to its sender, none twice, and none leaks (the
//! payloads hold loom-tracked `Arc`s, and loom fails a model that ends with
//! one alive).
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_close_race`
#![cfg(gosync_loom)]

mod loom_support;

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::Arc;
use loom::thread;
use loom_support::{channel, model, Flavor, Payload};

/// A sender (blocked if the channel is full) and a receiver that drains
/// until closed, racing the main thread's close. Message 1 is buffered
/// first when the flavor has room.
///
/// The main thread only closes and joins: a thread that has waited on a
/// channel can get a late `unpark` from the partner that woke it, which
/// std ignores everywhere but which trips loom's `join` (loom's join is
/// woken by `unpark`, std's is not), so no waiter joins.
fn check(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<Payload>(flavor);
        let mut expected = vec![2];
        if !matches!(flavor, Flavor::Rendezvous) {
            tx.send(Payload::new(1)).unwrap();
            expected.insert(0, 1);
        }
        let sender = {
            let tx = tx.clone();
            thread::spawn(move || match tx.send(Payload::new(2)) {
                Ok(()) => None,
                Err(err) => Some(err.into_inner().use_it()),
            })
        };
        let receiver = thread::spawn(move || {
            rx.iter()
                .map(|payload| payload.use_it())
                .collect::<Vec<u32>>()
        });
        tx.close();
        let mut seen = receiver.join().unwrap();
        seen.extend(sender.join().unwrap());
        seen.sort_unstable();
        assert_eq!(
            seen, expected,
            "each message received or handed back, exactly once"
        );
    });
}

#[test]
fn close_racing_blocked_bounded_sender_and_receiver() {
    check(Flavor::Bounded(1));
}

#[test]
fn close_racing_blocked_rendezvous_sender_and_receiver() {
    check(Flavor::Rendezvous);
}

#[test]
fn close_racing_unbounded_sender_and_receiver() {
    check(Flavor::Unbounded);
}

/// The last receiver is dropped while a sender is blocked: the sender
/// fails and gets its message back, and the buffered message is dropped at
/// once, by the drop of the receiver (not later, with the channel: the
/// crossbeam #1102 bug).
#[test]
fn last_receiver_dropped_racing_blocked_sender() {
    model(|| {
        let (tx, rx) = channel::<Tracked>(Flavor::Bounded(1));
        let buffered_dropped = Arc::new(AtomicBool::new(false));
        tx.send(Tracked(Payload::new(1), Arc::clone(&buffered_dropped)))
            .unwrap();
        let sender = thread::spawn(move || {
            let handed_back = tx
                .send(Tracked(Payload::new(2), Arc::new(AtomicBool::new(false))))
                .map_err(|err| err.into_inner().0.use_it());
            (handed_back, tx)
        });
        drop(rx);
        // Relaxed: the drop ran on this thread.
        assert!(
            buffered_dropped.load(Ordering::Relaxed),
            "the buffered message outlived the last receiver"
        );
        // The channel was full and then closed: message 2 cannot have got in.
        let (handed_back, _tx) = sender.join().unwrap();
        assert_eq!(handed_back, Err(2));
    });
}

/// A message that records its drop.
struct Tracked(Payload, Arc<AtomicBool>);

impl Drop for Tracked {
    fn drop(&mut self) {
        self.1.store(true, Ordering::Relaxed);
    }
}
