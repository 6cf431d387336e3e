//! The async side under loom: the Go memory model's edges carried by
//! `send_async`/`recv_async`, cancellation safety on both ends, exactly one
//! committed case per `select_async!`, and no lost wake-up with threads
//! and tasks waiting in one list.
//!
//! Futures run on `loom::future::block_on`, or are polled once by hand
//! (with a waker that does nothing) and dropped, racing another thread.
//!
//! Run alone: `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test loom_async`
#![cfg(gosync_loom)]

mod loom_support;

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};

use gosync_channel::{bounded, select_async, TryRecvError};
use loom::future::block_on;
use loom::sync::Arc;
use loom_support::{both, channel, model, model_with_at_most, Data, Flavor};

struct Noop;

impl Wake for Noop {
    fn wake(self: std::sync::Arc<Self>) {}
}

/// Polls `fut` once, with a waker that does nothing.
fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = Waker::from(std::sync::Arc::new(Noop));
    Pin::new(fut).poll(&mut Context::from_waker(&waker))
}

fn send_happens_before_recv(flavor: Flavor) {
    model(move || {
        let (tx, rx) = channel::<u32>(flavor);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                block_on(tx.send_async(5)).unwrap();
            },
            move || {
                assert_eq!(block_on(rx.recv_async()), Ok(5));
                assert_eq!(
                    seen.read(),
                    1,
                    "the receive must see what preceded the send"
                );
            },
        );
    });
}

#[test]
fn async_bounded_send_happens_before_recv() {
    send_happens_before_recv(Flavor::Bounded(1));
}

#[test]
fn async_unbounded_send_happens_before_recv() {
    send_happens_before_recv(Flavor::Unbounded);
}

#[test]
fn async_rendezvous_send_happens_before_recv() {
    send_happens_before_recv(Flavor::Rendezvous);
}

#[test]
fn async_rendezvous_recv_happens_before_send_completes() {
    model(|| {
        let (tx, rx) = bounded::<u32>(0);
        let data = Arc::new(Data::new());
        let seen = Arc::clone(&data);
        both(
            move || {
                data.write(1);
                assert_eq!(block_on(rx.recv_async()), Ok(9));
            },
            move || {
                block_on(tx.send_async(9)).unwrap();
                assert_eq!(seen.read(), 1, "the send completes after the receive");
            },
        );
    });
}

/// A receive future polled once and dropped while a send races it: the
/// message is taken by its poll or stays in the channel, never lost.
#[test]
fn dropped_recv_future_loses_nothing() {
    for flavor in [Flavor::Bounded(1), Flavor::Rendezvous] {
        model(move || {
            let (tx, rx) = channel::<u32>(flavor);
            let rx2 = rx.clone();
            let (got, sent) = both(
                move || match poll_once(&mut rx2.recv_async()) {
                    Poll::Ready(msg) => Some(msg.unwrap()),
                    Poll::Pending => None,
                },
                // The sender lives on: a closed channel would be ready.
                move || (tx.try_send(1).is_ok(), tx),
            );
            let (sent, _tx) = sent;
            let left = rx.try_recv().ok();
            if sent {
                assert!(
                    got.is_some() != left.is_some(),
                    "{flavor:?}: taken by the poll ({got:?}) or still there ({left:?}), once"
                );
            } else {
                assert_eq!((got, left), (None, None));
            }
        });
    }
}

/// A claimed receive future that is dropped passes the wake-up on: the
/// blocked thread beside it still gets the message.
///
/// A sender outlives every thread: the close that dropping the last one
/// makes would wake the blocked thread too, and hide a lost wake-up.
#[test]
fn dropped_recv_future_passes_its_wakeup_on() {
    model(|| {
        let (tx, rx) = bounded::<u32>(1);
        let (rx_task, rx_thread) = (rx.clone(), rx);
        let tx_back = tx.clone();
        let _keeps_the_channel_open = tx.clone();
        let task = loom::thread::spawn(move || {
            if let Poll::Ready(msg) = poll_once(&mut rx_task.recv_async()) {
                // It got there first: put it back for the thread.
                tx_back.send(msg.unwrap()).unwrap();
            }
        });
        both(
            move || rx_thread.recv().unwrap(),
            move || tx.send(7).unwrap(),
        );
        task.join().unwrap();
    });
}

/// A send future polled once and dropped on a full channel, racing the
/// receive that frees a slot: it delivered nothing unless its poll said so.
#[test]
fn dropped_send_future_delivers_nothing() {
    model(|| {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        let rx2 = rx.clone();
        let (delivered, first) = both(
            move || {
                let mut send = tx.send_async(2);
                let delivered = matches!(poll_once(&mut send), Poll::Ready(Ok(())));
                drop(send);
                (delivered, tx)
            },
            move || rx2.recv().unwrap(),
        );
        let (delivered, _tx) = delivered;
        assert_eq!(first, 0);
        let left = rx.try_recv();
        if delivered {
            assert_eq!(left, Ok(2));
        } else {
            assert_eq!(left, Err(TryRecvError::Empty), "a dropped send delivered");
        }
    });
}

/// A receiver that finds a permit at the head (a slot a hand-off reserved
/// for a send future that writes its message in its next poll) parks
/// instead of spinning for it; the holder's write wakes it.
#[test]
fn receiver_parked_on_a_permit_is_woken_by_its_write() {
    model(|| {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        // The sender lives on: its drop would close the channel and wake
        // the receiver anyway.
        let (_tx, got) = both(
            move || {
                block_on(tx.send_async(1)).unwrap();
                tx
            },
            move || (rx.recv().unwrap(), block_on(rx.recv_async()).unwrap()),
        );
        assert_eq!(got, (0, 1));
    });
}

/// A dropped send future that was handed a permit passes it on: the
/// blocked thread that queued behind it gets the slot.
#[test]
fn dropped_send_future_passes_its_permit_on() {
    // At most 2 preemptions: about 160 s at 2, about 50 min at test.sh's
    // 3 (past CI's budget); its mutation is killed at 2.
    model_with_at_most(2, || {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        let tx_thread = tx.clone();
        let task = loom::thread::spawn(move || {
            let mut send = tx.send_async(1);
            let delivered = matches!(poll_once(&mut send), Poll::Ready(Ok(())));
            drop(send);
            delivered
        });
        let (_, got) = both(
            move || tx_thread.send(2).unwrap(),
            move || {
                let first = rx.recv().unwrap();
                let second = rx.recv().unwrap();
                (first, second, rx)
            },
        );
        let delivered = task.join().unwrap();
        let (first, second, rx) = got;
        assert_eq!(first, 0);
        let third = rx.try_recv().ok();
        if delivered {
            let mut rest = [Some(second), third];
            rest.sort();
            assert_eq!(rest, [Some(1), Some(2)]);
        } else {
            assert_eq!((second, third), (2, None), "the dropped send delivered");
        }
    });
}

/// One claim for all of a select's cases: exactly one receive commits,
/// the other message stays.
#[test]
fn select_async_commits_exactly_one_case() {
    model(|| {
        let (tx1, rx1) = bounded::<u32>(1);
        let (tx2, rx2) = bounded::<u32>(1);
        let (rx1b, rx2b) = (rx1.clone(), rx2.clone());
        let (got, _) = both(
            move || {
                block_on(async {
                    select_async! {
                        recv(rx1b) -> msg => msg.unwrap(),
                        recv(rx2b) -> msg => msg.unwrap(),
                    }
                })
            },
            move || {
                tx1.send(1).unwrap();
                tx2.send(2).unwrap();
                (tx1, tx2)
            },
        );
        let left: Vec<u32> = [rx1.try_recv().ok(), rx2.try_recv().ok()]
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(left.len(), 1, "got {got}, left {left:?}");
        assert_ne!(left[0], got);
    });
}

/// A task and a blocked thread wait in one receiver list; two sends
/// finish both. (A larger branch budget than loom's default: a task's
/// poll takes and releases several locks.)
///
/// At most one preemption: with three threads, a task's several locks per
/// poll and its retry after flickering readiness (a spin to loom), two
/// preemptions ran past 25 minutes without finishing; one takes about 5 s.
/// Its mutations (`task-wake-lost`, `notify-wakes-nobody`) are killed
/// within that bound.
#[test]
fn no_lost_wakeup_with_a_thread_and_a_task_in_one_list() {
    let mut builder = loom::model::Builder::new();
    builder.max_branches = 20_000;
    builder.preemption_bound = Some(builder.preemption_bound.unwrap_or(3).min(1));
    builder.check(|| {
        let (tx, rx) = bounded::<u32>(1);
        let rx_task = rx.clone();
        let task = loom::thread::spawn(move || block_on(rx_task.recv_async()).unwrap());
        let (a, ()) = both(
            move || rx.recv().unwrap(),
            move || {
                tx.send(1).unwrap();
                tx.send(2).unwrap();
            },
        );
        let b = task.join().unwrap();
        assert_eq!(a + b, 3);
    });
}
