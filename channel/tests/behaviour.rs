//! The contract of each public item, flavor by flavor (unbuffered
//! `bounded(0)`, `bounded(1)`, `bounded(5)`, `unbounded`, and the timer and
//! nil channels where a method applies to them): `close` from either side,
//! sends after close handing their message back, receivers draining then
//! seeing `Closed`, blocked senders and receivers woken by a close or by the
//! other side going away, last-`Sender` and last-`Receiver` drops (buffered
//! messages dropped at once, before any `Sender` goes: crossbeam-channel
//! issue #1102), every message dropped exactly once, the non-blocking and
//! timed forms, `len`/`capacity`/`is_empty`/`is_full`/`is_closed`, the
//! iterators, rendezvous ordering, zero-sized messages, absurd capacities,
//! and the error types' traits.
//!
//! Semantics follow Go's channels (the reference for *what* is checked:
//! `TestChan`, `TestNonblockRecvRace`, `TestSelfSelect`... in Go's
//! `runtime/chan_test.go`); the tests are our own. Nothing sleeps to wait for
//! a race: a thread that must block is started and the test checks that it
//! returns, under `within`.
#![cfg(not(gosync_loom))]

mod common;

use std::error::Error;
use std::fmt::{Debug, Display};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::{expect_panic, scaled, within, Counted, Ledger, HANG};
use gosync_channel::{
    after, bounded, never, tick, unbounded, Receiver, RecvError, RecvTimeoutError, SendError,
    SendTimeoutError, Sender, TryRecvError, TrySendError,
};

/// Every flavor, by capacity (`None`: unbounded).
const FLAVORS: [Option<usize>; 4] = [Some(0), Some(1), Some(5), None];

/// The flavors that can hold a message.
const BUFFERED: [Option<usize>; 3] = [Some(1), Some(5), None];

/// A short timeout, for the calls that must time out.
const SHORT: Duration = Duration::from_millis(20);

/// A timeout that must never expire: woken by something else, the call must
/// return long before it (`within` fails the test first).
const LONG: Duration = Duration::from_secs(3600);

fn channel<T>(cap: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match cap {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}

/// How many messages a flavor can hold for the tests that fill it.
fn room(cap: Option<usize>) -> usize {
    cap.unwrap_or(7)
}

/// Gives a thread that has signalled `started` a head start into its
/// blocking call. Correctness never depends on it: the thread either is
/// already blocked or finds the channel closed, and both must work. It only
/// makes the "already blocked" path the common one. Yields, never sleeps.
fn head_start(started: &AtomicBool) {
    while !started.load(Ordering::SeqCst) {
        thread::yield_now();
    }
    for _ in 0..64 {
        thread::yield_now();
    }
}

// ---------------------------------------------------------------- close

#[test]
fn close_from_a_sender_returns_true_once() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let tx2 = tx.clone();
        assert!(!tx.is_closed() && !rx.is_closed(), "{cap:?}: open at first");
        assert!(tx.close(), "{cap:?}: the first close closes");
        assert!(!tx.close(), "{cap:?}: a second close returns false");
        assert!(!tx2.close(), "{cap:?}: a close through a clone too");
        assert!(!rx.close(), "{cap:?}: and through the receiver");
        assert!(
            tx.is_closed() && tx2.is_closed() && rx.is_closed(),
            "{cap:?}"
        );
    }
}

#[test]
fn close_from_a_receiver_returns_true_once() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let rx2 = rx.clone();
        assert!(rx.close(), "{cap:?}: the first close closes");
        assert!(!rx.close(), "{cap:?}: a second close returns false");
        assert!(!rx2.close(), "{cap:?}");
        assert!(!tx.close(), "{cap:?}");
        assert!(
            tx.is_closed() && rx.is_closed() && rx2.is_closed(),
            "{cap:?}"
        );
    }
}

/// Each way of sending, on a closed channel, must fail and give back the
/// very message it was handed, undropped.
fn assert_sends_fail_closed(cap: Option<usize>, tx: &Sender<Counted>, ledger: &Arc<Ledger>) {
    let m = Counted::new(ledger, 1);
    let id = m.id();
    let back = tx
        .send(m)
        .expect_err("send on a closed channel")
        .into_inner();
    assert_eq!(back.id(), id, "{cap:?}: send gives back its own message");
    back.assert_intact();

    let m = Counted::new(ledger, 2);
    let id = m.id();
    match tx.try_send(m) {
        Err(TrySendError::Closed(back)) => {
            assert_eq!(back.id(), id, "{cap:?}");
            back.assert_intact();
        }
        other => panic!("{cap:?}: try_send on a closed channel: {other:?}"),
    }

    for timeout in [Duration::ZERO, SHORT, LONG] {
        let m = Counted::new(ledger, 3);
        let id = m.id();
        let start = Instant::now();
        match tx.send_timeout(m, timeout) {
            Err(SendTimeoutError::Closed(back)) => {
                assert_eq!(back.id(), id, "{cap:?}");
                back.assert_intact();
            }
            other => panic!("{cap:?}: send_timeout({timeout:?}) on a closed channel: {other:?}"),
        }
        assert!(
            timeout != LONG || start.elapsed() < HANG,
            "{cap:?}: a closed channel fails at once"
        );
    }
}

#[test]
fn sends_after_close_hand_the_message_back() {
    within(HANG, || {
        for cap in FLAVORS {
            for from_receiver in [false, true] {
                let ledger = Ledger::new();
                let (tx, rx) = channel::<Counted>(cap);
                if from_receiver {
                    assert!(rx.close());
                } else {
                    assert!(tx.close());
                }
                assert_sends_fail_closed(cap, &tx, &ledger);
                assert!(
                    matches!(rx.try_recv(), Err(TryRecvError::Closed)),
                    "{cap:?}: nothing got in"
                );
                assert_eq!(rx.len(), 0, "{cap:?}");
                drop((tx, rx));
                ledger.assert_all_dropped_once();
            }
        }
    });
}

#[test]
fn receivers_drain_buffered_messages_then_see_closed() {
    within(HANG, || {
        for cap in BUFFERED {
            for from_receiver in [false, true] {
                let ledger = Ledger::new();
                let (tx, rx) = channel::<Counted>(cap);
                let rx2 = rx.clone();
                let n = room(cap);
                let ids: Vec<usize> = (0..n)
                    .map(|i| {
                        let m = Counted::new(&ledger, i as u64);
                        let id = m.id();
                        tx.try_send(m).unwrap();
                        id
                    })
                    .collect();
                if from_receiver {
                    assert!(rx2.close());
                } else {
                    assert!(tx.close());
                }
                assert_eq!(rx.len(), n, "{cap:?}: close keeps the buffer");
                assert!(rx.is_closed(), "{cap:?}");
                assert_eq!(ledger.dropped(), 0, "{cap:?}: close drops nothing");
                // Alternate the receive forms and the receivers.
                for (i, &id) in ids.iter().enumerate() {
                    let r = if i % 2 == 0 { &rx } else { &rx2 };
                    let m = match i % 3 {
                        0 => r.recv().unwrap(),
                        1 => r.try_recv().unwrap(),
                        _ => r.recv_timeout(LONG).unwrap(),
                    };
                    assert_eq!(m.id(), id, "{cap:?}: FIFO while draining");
                    m.assert_intact();
                }
                assert!(rx.is_empty(), "{cap:?}");
                assert!(matches!(rx.recv(), Err(RecvError)), "{cap:?}");
                assert!(matches!(rx2.try_recv(), Err(TryRecvError::Closed)));
                assert!(matches!(
                    rx.recv_timeout(LONG),
                    Err(RecvTimeoutError::Closed)
                ));
                assert!(matches!(
                    rx.recv_timeout(Duration::ZERO),
                    Err(RecvTimeoutError::Closed)
                ));
                assert_sends_fail_closed(cap, &tx, &ledger);
                drop((tx, rx, rx2));
                ledger.assert_all_dropped_once();
            }
        }
    });
}

// ------------------------------------------------- blocked sides wake up

#[derive(Debug, Clone, Copy)]
enum RecvWaker {
    SenderClose,
    ReceiverClose,
    LastSenderDrop,
}

#[test]
fn blocked_receivers_wake_on_close() {
    within(HANG, || {
        for cap in FLAVORS {
            for how in [
                RecvWaker::SenderClose,
                RecvWaker::ReceiverClose,
                RecvWaker::LastSenderDrop,
            ] {
                for round in 0..scaled(50, 2) {
                    let (tx, rx) = channel::<u32>(cap);
                    let started = Arc::new(AtomicBool::new(false));
                    // Three blocking forms, one thread each.
                    let waiters: Vec<_> = (0..3)
                        .map(|form| {
                            let rx = rx.clone();
                            let started = Arc::clone(&started);
                            thread::spawn(move || {
                                started.store(true, Ordering::SeqCst);
                                match form {
                                    0 => assert!(matches!(rx.recv(), Err(RecvError))),
                                    1 => assert!(matches!(
                                        rx.recv_timeout(LONG),
                                        Err(RecvTimeoutError::Closed)
                                    )),
                                    _ => assert_eq!(rx.iter().count(), 0),
                                }
                            })
                        })
                        .collect();
                    head_start(&started);
                    match how {
                        RecvWaker::SenderClose => assert!(tx.close()),
                        RecvWaker::ReceiverClose => assert!(rx.close()),
                        RecvWaker::LastSenderDrop => drop(tx),
                    }
                    for w in waiters {
                        w.join()
                            .unwrap_or_else(|_| panic!("{cap:?} {how:?} round {round}"));
                    }
                }
            }
        }
    });
}

#[derive(Debug, Clone, Copy)]
enum SendWaker {
    SenderClose,
    ReceiverClose,
    LastReceiverDrop,
}

#[test]
fn blocked_senders_wake_on_close_and_get_their_message_back() {
    within(HANG, || {
        for cap in [Some(0), Some(1), Some(5)] {
            for how in [
                SendWaker::SenderClose,
                SendWaker::ReceiverClose,
                SendWaker::LastReceiverDrop,
            ] {
                for _ in 0..scaled(30, 2) {
                    let ledger = Ledger::new();
                    let (tx, rx) = channel::<Counted>(cap);
                    let n = room(cap);
                    for i in 0..n {
                        tx.try_send(Counted::new(&ledger, i as u64)).unwrap();
                    }
                    assert!(tx.is_full(), "{cap:?}");
                    let started = Arc::new(AtomicBool::new(false));
                    let waiters: Vec<_> = (0..2)
                        .map(|form| {
                            let tx = tx.clone();
                            let m = Counted::new(&ledger, 100 + form);
                            let id = m.id();
                            let started = Arc::clone(&started);
                            thread::spawn(move || {
                                started.store(true, Ordering::SeqCst);
                                let back = if form == 0 {
                                    tx.send(m).expect_err("send on a closed channel").0
                                } else {
                                    match tx.send_timeout(m, LONG) {
                                        Err(SendTimeoutError::Closed(m)) => m,
                                        other => panic!("send_timeout: {other:?}"),
                                    }
                                };
                                assert_eq!(back.id(), id, "a sender's own message comes back");
                                back.assert_intact();
                            })
                        })
                        .collect();
                    head_start(&started);
                    let rx = match how {
                        SendWaker::SenderClose => {
                            assert!(tx.close());
                            Some(rx)
                        }
                        SendWaker::ReceiverClose => {
                            assert!(rx.close());
                            Some(rx)
                        }
                        SendWaker::LastReceiverDrop => {
                            drop(rx);
                            None
                        }
                    };
                    for w in waiters {
                        w.join().unwrap_or_else(|_| panic!("{cap:?} {how:?}"));
                    }
                    if let Some(rx) = rx {
                        // The buffered messages are still there.
                        for i in 0..n {
                            assert_eq!(rx.recv().unwrap().tag(), i as u64, "{cap:?} {how:?}");
                        }
                        assert!(rx.recv().is_err());
                    } else {
                        assert_eq!(ledger.live(), 0, "{cap:?} {how:?}: nothing left alive");
                    }
                    drop(tx);
                    ledger.assert_all_dropped_once();
                }
            }
        }
    });
}

#[test]
fn timed_calls_complete_when_the_other_side_arrives() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let sender = {
                let tx = tx.clone();
                thread::spawn(move || {
                    for i in 0..10 {
                        tx.send_timeout(i, LONG).unwrap();
                    }
                })
            };
            for i in 0..10 {
                assert_eq!(rx.recv_timeout(LONG).unwrap(), i, "{cap:?}");
            }
            sender.join().unwrap();
            assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
        }
    });
}

// ------------------------------------------------------ handles going away

#[test]
fn dropping_the_last_sender_closes() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let clones: Vec<_> = (0..3).map(|_| tx.clone()).collect();
            drop(tx);
            assert!(!rx.is_closed(), "{cap:?}: clones keep it open");
            assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
            let last = clones.len() - 1;
            for (i, c) in clones.into_iter().enumerate() {
                if i == last && cap != Some(0) {
                    c.send(9).unwrap();
                }
                drop(c);
            }
            assert!(rx.is_closed(), "{cap:?}: the last drop closes");
            if cap != Some(0) {
                assert_eq!(rx.recv().unwrap(), 9, "{cap:?}: buffered survives");
            }
            assert!(matches!(rx.recv(), Err(RecvError)), "{cap:?}");
            assert!(!rx.close(), "{cap:?}: already closed");
        }
    });
}

/// crossbeam-channel #1102: buffered messages must be dropped when the last
/// `Receiver` goes, not kept until the last `Sender` goes too.
#[test]
fn dropping_the_last_receiver_drops_buffered_messages_at_once() {
    within(HANG, || {
        for cap in BUFFERED {
            let ledger = Ledger::new();
            let (tx, rx) = channel::<Counted>(cap);
            let n = room(cap);
            for i in 0..n {
                tx.send(Counted::new(&ledger, i as u64)).unwrap();
            }
            let rx2 = rx.clone();
            drop(rx);
            assert_eq!(ledger.dropped(), 0, "{cap:?}: a receiver remains");
            assert!(!tx.is_closed(), "{cap:?}");
            drop(rx2);
            assert_eq!(
                ledger.dropped(),
                n,
                "{cap:?}: buffered messages dropped with the last receiver, senders alive"
            );
            ledger.assert_no_double_drop();
            assert!(tx.is_closed(), "{cap:?}: the last receiver's drop closes");
            assert!(!tx.close(), "{cap:?}: already closed");
            // Sends fail now and give their message back.
            let m = Counted::new(&ledger, 50);
            let id = m.id();
            let back = tx.send(m).expect_err("no receiver").into_inner();
            assert_eq!(back.id(), id);
            drop(back);
            match tx.try_send(Counted::new(&ledger, 51)) {
                Err(TrySendError::Closed(m)) => m.assert_intact(),
                other => panic!("{cap:?}: try_send without receivers: {other:?}"),
            }
            match tx.send_timeout(Counted::new(&ledger, 52), LONG) {
                Err(SendTimeoutError::Closed(m)) => m.assert_intact(),
                other => panic!("{cap:?}: send_timeout without receivers: {other:?}"),
            }
            assert_eq!(tx.len(), 0, "{cap:?}: nothing buffered any more");
            ledger.assert_all_dropped_once();
            drop(tx);
            ledger.assert_all_dropped_once();
        }
    });
}

#[test]
fn dropping_both_sides_drops_every_message_once() {
    for cap in BUFFERED {
        for receiver_first in [false, true] {
            // Enough for the unbounded flavor to span several blocks.
            let n = if cap.is_none() {
                scaled(1000, 40)
            } else {
                room(cap)
            };
            let ledger = Ledger::new();
            let (tx, rx) = channel::<Counted>(cap);
            let (tx2, rx2) = (tx.clone(), rx.clone());
            for i in 0..n {
                tx.send(Counted::new(&ledger, i as u64)).unwrap();
            }
            // Take a few, so the buffer does not start at its first slot.
            let taken = n.min(3);
            for _ in 0..taken {
                rx.recv().unwrap();
            }
            assert_eq!(ledger.dropped(), taken);
            if receiver_first {
                drop((rx, rx2));
                assert_eq!(ledger.dropped(), n, "{cap:?}");
                drop((tx, tx2));
            } else {
                drop((tx, tx2));
                assert_eq!(
                    ledger.dropped(),
                    taken,
                    "{cap:?}: receivers may still drain"
                );
                drop((rx, rx2));
            }
            ledger.assert_all_dropped_once();
        }
    }
}

// ------------------------------------------------- non-blocking and timed

#[test]
fn try_recv_on_an_empty_channel_is_empty_and_never_blocks() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            for _ in 0..scaled(100, 10) {
                assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)), "{cap:?}");
                assert!(matches!(
                    rx.recv_timeout(Duration::ZERO),
                    Err(RecvTimeoutError::Timeout)
                ));
            }
            assert_eq!(rx.try_iter().count(), 0);
            drop(tx);
            assert!(
                matches!(rx.try_recv(), Err(TryRecvError::Closed)),
                "{cap:?}"
            );
        }
        let n = never::<u32>();
        assert!(matches!(n.try_recv(), Err(TryRecvError::Empty)));
        assert!(matches!(
            n.recv_timeout(Duration::ZERO),
            Err(RecvTimeoutError::Timeout)
        ));
    });
}

#[test]
fn try_send_on_a_full_channel_hands_back_full() {
    within(HANG, || {
        for cap in [Some(0), Some(1), Some(5)] {
            let ledger = Ledger::new();
            let (tx, rx) = channel::<Counted>(cap);
            let n = room(cap);
            for i in 0..n {
                tx.try_send(Counted::new(&ledger, i as u64)).unwrap();
            }
            for _ in 0..3 {
                let m = Counted::new(&ledger, 99);
                let id = m.id();
                match tx.try_send(m) {
                    Err(TrySendError::Full(back)) => {
                        assert_eq!(back.id(), id, "{cap:?}");
                        back.assert_intact();
                    }
                    other => panic!("{cap:?}: try_send on a full channel: {other:?}"),
                }
                let m = Counted::new(&ledger, 98);
                let id = m.id();
                match tx.send_timeout(m, Duration::ZERO) {
                    Err(SendTimeoutError::Timeout(back)) => assert_eq!(back.id(), id),
                    other => panic!("{cap:?}: send_timeout(0) on a full channel: {other:?}"),
                }
            }
            assert_eq!(tx.len(), n, "{cap:?}: failed sends add nothing");
            // One slot frees: one try_send fits again.
            if n > 0 {
                assert_eq!(rx.try_recv().unwrap().tag(), 0);
                tx.try_send(Counted::new(&ledger, 7)).unwrap();
                assert!(matches!(
                    tx.try_send(Counted::new(&ledger, 8)),
                    Err(TrySendError::Full(_))
                ));
            }
            drop((tx, rx));
            ledger.assert_all_dropped_once();
        }
        // Unbounded is never full.
        let (tx, rx) = unbounded::<usize>();
        for i in 0..scaled(10_000, 100) {
            tx.try_send(i).unwrap();
        }
        assert!(!tx.is_full());
        assert_eq!(rx.try_iter().count(), scaled(10_000, 100));
    });
}

#[test]
fn timeouts_expire_and_hand_the_message_back() {
    within(HANG, || {
        for cap in [Some(0), Some(1), Some(5)] {
            let ledger = Ledger::new();
            let (tx, rx) = channel::<Counted>(cap);
            for i in 0..room(cap) {
                tx.send(Counted::new(&ledger, i as u64)).unwrap();
            }
            let m = Counted::new(&ledger, 77);
            let id = m.id();
            let start = Instant::now();
            match tx.send_timeout(m, SHORT) {
                Err(SendTimeoutError::Timeout(back)) => {
                    assert!(start.elapsed() >= SHORT, "{cap:?}: not before the timeout");
                    assert_eq!(back.id(), id);
                    back.assert_intact();
                }
                other => panic!("{cap:?}: {other:?}"),
            }
            drop(rx);
        }
        for cap in FLAVORS {
            let (_tx, rx) = channel::<u32>(cap);
            let start = Instant::now();
            assert!(matches!(
                rx.recv_timeout(SHORT),
                Err(RecvTimeoutError::Timeout)
            ));
            assert!(start.elapsed() >= SHORT, "{cap:?}: not before the timeout");
        }
        let start = Instant::now();
        assert!(matches!(
            never::<u32>().recv_timeout(SHORT),
            Err(RecvTimeoutError::Timeout)
        ));
        assert!(start.elapsed() >= SHORT);
    });
}

// ---------------------------------------------------------- len and state

#[test]
fn len_capacity_and_state_of_a_bounded_channel() {
    let (tx, rx) = bounded::<u32>(3);
    for i in 0..=3 {
        for (len, cap, empty, full) in [
            (tx.len(), tx.capacity(), tx.is_empty(), tx.is_full()),
            (rx.len(), rx.capacity(), rx.is_empty(), rx.is_full()),
        ] {
            assert_eq!(len, i);
            assert_eq!(cap, Some(3));
            assert_eq!(empty, i == 0);
            assert_eq!(full, i == 3);
        }
        if i < 3 {
            tx.send(i as u32).unwrap();
        }
    }
    rx.recv().unwrap();
    assert_eq!((rx.len(), tx.is_full()), (2, false));
    tx.close();
    assert_eq!((rx.len(), rx.capacity()), (2, Some(3)), "close keeps both");
    assert!(rx.is_closed() && tx.is_closed());
}

#[test]
fn len_capacity_and_state_of_an_unbuffered_channel() {
    let (tx, rx) = bounded::<u32>(0);
    for (len, cap, empty, full) in [
        (tx.len(), tx.capacity(), tx.is_empty(), tx.is_full()),
        (rx.len(), rx.capacity(), rx.is_empty(), rx.is_full()),
    ] {
        // As Go: len 0, cap 0; so empty, and full (len == cap).
        assert_eq!((len, cap, empty, full), (0, Some(0), true, true));
    }
    // A blocked sender holds its message itself, not in the channel.
    within(HANG, move || {
        let sender = {
            let tx = tx.clone();
            thread::spawn(move || tx.send(5).unwrap())
        };
        assert_eq!(rx.len(), 0);
        assert_eq!(rx.recv().unwrap(), 5);
        sender.join().unwrap();
        assert_eq!((tx.len(), rx.len()), (0, 0));
    });
}

#[test]
fn len_capacity_and_state_of_an_unbounded_channel() {
    let (tx, rx) = unbounded::<usize>();
    let n = scaled(5000, 100);
    for i in 0..n {
        assert_eq!((tx.len(), rx.len()), (i, i));
        assert_eq!(rx.is_empty(), i == 0);
        assert!(!tx.is_full() && !rx.is_full());
        tx.send(i).unwrap();
    }
    assert_eq!((tx.capacity(), rx.capacity()), (None, None));
    for i in 0..n {
        assert_eq!(rx.recv().unwrap(), i);
        assert_eq!(rx.len(), n - i - 1);
    }
    assert!(rx.is_empty() && tx.is_empty());
}

#[test]
fn len_and_state_of_the_timer_and_nil_channels() {
    let n = never::<u32>();
    assert_eq!(n.len(), 0);
    assert!(n.is_empty() && !n.is_closed());
    let a = after(Duration::ZERO);
    let t = tick(LONG);
    for r in [&a, &t] {
        assert!(!r.is_closed());
        assert!(r.len() <= 1);
    }
    assert!(t.is_empty(), "the first tick is an hour away");
    within(HANG, move || {
        a.recv().unwrap();
        assert!(a.is_empty() && !a.is_closed());
    });
}

// --------------------------------------------------------------- iterators

#[test]
fn iter_ends_at_close_after_the_buffer_is_drained() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let sender = thread::spawn(move || {
                for i in 0..20 {
                    tx.send(i).unwrap();
                }
                tx.close();
            });
            let mut got = Vec::new();
            for v in &rx {
                got.push(v);
            }
            sender.join().unwrap();
            assert_eq!(got, (0..20).collect::<Vec<_>>(), "{cap:?}");
            assert_eq!(rx.iter().count(), 0, "{cap:?}: still closed");
        }
    });
}

#[test]
fn into_iter_consumes_until_the_last_sender_goes() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let senders: Vec<_> = (0..2)
                .map(|k| {
                    let tx = tx.clone();
                    thread::spawn(move || {
                        for i in 0..10 {
                            tx.send(k * 100 + i).unwrap();
                        }
                    })
                })
                .collect();
            drop(tx);
            let mut got: Vec<u32> = rx.into_iter().collect();
            for s in senders {
                s.join().unwrap();
            }
            got.sort_unstable();
            let mut want: Vec<u32> = (0..10).chain(100..110).collect();
            want.sort_unstable();
            assert_eq!(got, want, "{cap:?}");
        }
    });
}

#[test]
fn try_iter_takes_what_is_there_and_stops() {
    within(HANG, || {
        for cap in BUFFERED {
            let (tx, rx) = channel::<usize>(cap);
            for i in 0..room(cap) {
                tx.send(i).unwrap();
            }
            let got: Vec<usize> = rx.try_iter().collect();
            assert_eq!(got, (0..room(cap)).collect::<Vec<_>>(), "{cap:?}");
            // Open and empty: stops without blocking.
            assert_eq!(rx.try_iter().count(), 0);
            tx.send(1).unwrap();
            drop(tx);
            assert_eq!(rx.try_iter().collect::<Vec<_>>(), [1]);
            assert_eq!(rx.try_iter().count(), 0);
        }
    });
}

// --------------------------------------------------------------- rendezvous

#[test]
fn rendezvous_try_send_without_a_waiting_receiver_is_full() {
    let (tx, rx) = bounded::<u32>(0);
    for i in 0..10 {
        assert!(matches!(tx.try_send(i), Err(TrySendError::Full(v)) if v == i));
        assert!(matches!(
            tx.send_timeout(i, Duration::ZERO),
            Err(SendTimeoutError::Timeout(v)) if v == i
        ));
    }
    assert!(matches!(rx.try_recv(), Err(TryRecvError::Empty)));
}

/// Go: "the send completes only once the receiver took the value". The
/// receiver raises a flag before calling `recv`, after yielding for a
/// while; the send must not return before the flag is up.
#[test]
fn rendezvous_send_returns_only_after_a_receiver_took_the_value() {
    within(HANG, || {
        for round in 0..scaled(200, 3) {
            let (tx, rx) = bounded::<usize>(0);
            let receiving = Arc::new(AtomicBool::new(false));
            let go = Arc::new(Barrier::new(2));
            let receiver = {
                let (receiving, go) = (Arc::clone(&receiving), Arc::clone(&go));
                thread::spawn(move || {
                    go.wait();
                    for _ in 0..32 {
                        thread::yield_now();
                    }
                    receiving.store(true, Ordering::SeqCst);
                    rx.recv().unwrap()
                })
            };
            go.wait();
            tx.send(round).unwrap();
            assert!(
                receiving.load(Ordering::SeqCst),
                "round {round}: send returned before any receiver called recv"
            );
            assert_eq!(receiver.join().unwrap(), round);
        }
    });
}

/// Each handoff pairs one sender with one receiver: a shared counter,
/// bumped by the sender before its send and checked by the receiver after
/// its receive, never runs ahead by more than one per sender.
#[test]
fn rendezvous_hands_over_one_value_per_send() {
    within(HANG, || {
        let n = scaled(2000, 20);
        let (tx, rx) = bounded::<usize>(0);
        let sent = Arc::new(AtomicUsize::new(0));
        let sender = {
            let sent = Arc::clone(&sent);
            thread::spawn(move || {
                for i in 0..n {
                    sent.fetch_add(1, Ordering::SeqCst);
                    tx.send(i).unwrap();
                }
            })
        };
        for i in 0..n {
            assert_eq!(rx.recv().unwrap(), i);
            let s = sent.load(Ordering::SeqCst);
            // The sender may have started at most the next send.
            assert!(
                s == i + 1 || s == i + 2,
                "after {i} receives {s} sends started"
            );
        }
        sender.join().unwrap();
    });
}

#[test]
fn rendezvous_try_calls_pair_with_a_blocked_peer() {
    within(HANG, || {
        for round in 0..scaled(50, 2) {
            // A blocked receiver makes try_send succeed (eventually: spin
            // until it is waiting).
            let (tx, rx) = bounded::<usize>(0);
            let receiver = thread::spawn(move || rx.recv().unwrap());
            let mut v = round;
            loop {
                match tx.try_send(v) {
                    Ok(()) => break,
                    Err(TrySendError::Full(back)) => v = back,
                    Err(e) => panic!("{e:?}"),
                }
                thread::yield_now();
            }
            assert_eq!(receiver.join().unwrap(), round);

            // A blocked sender makes try_recv succeed.
            let (tx, rx) = bounded::<usize>(0);
            let sender = thread::spawn(move || tx.send(round).unwrap());
            let got = loop {
                match rx.try_recv() {
                    Ok(v) => break v,
                    Err(TryRecvError::Empty) => thread::yield_now(),
                    Err(e) => panic!("{e:?}"),
                }
            };
            assert_eq!(got, round);
            sender.join().unwrap();
        }
    });
}

// ----------------------------------------------------------- odd messages

/// Live `Zst` values of the ZST test (the only user, so no cross-test
/// interference).
static ZST_LIVE: AtomicUsize = AtomicUsize::new(0);

struct Zst;

impl Zst {
    fn new() -> Self {
        ZST_LIVE.fetch_add(1, Ordering::SeqCst);
        Zst
    }
}

impl Drop for Zst {
    fn drop(&mut self) {
        ZST_LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

#[test]
fn zero_sized_messages_work_on_every_flavor() {
    within(HANG, || {
        // Miri: a hundred (each message is thousands of emulated steps).
        let million = if cfg!(miri) { 100 } else { 1_000_000 };
        // Unbounded: a million buffered at once.
        let (tx, rx) = unbounded::<()>();
        for _ in 0..million {
            tx.send(()).unwrap();
        }
        assert_eq!(rx.len(), million);
        for _ in 0..million {
            rx.try_recv().unwrap();
        }
        assert!(rx.is_empty());

        // Bounded: a million through a small buffer, and a full buffer.
        for (cap, n) in [(16, million), (1, million / 10), (0, million / 100 + 10)] {
            let (tx, rx) = bounded::<()>(cap);
            let sender = thread::spawn(move || {
                for _ in 0..n {
                    tx.send(()).unwrap();
                }
            });
            assert_eq!(rx.iter().count(), n, "bounded({cap})");
            sender.join().unwrap();
        }
        let full = scaled(1000, 50);
        let (tx, rx) = bounded::<()>(full);
        for _ in 0..full {
            tx.try_send(()).unwrap();
        }
        assert!(tx.is_full() && rx.len() == full);
        assert!(matches!(tx.try_send(()), Err(TrySendError::Full(()))));

        // Drops of zero-sized messages are counted like any others.
        for cap in FLAVORS {
            let (tx, rx) = channel::<Zst>(cap);
            for _ in 0..room(cap) {
                tx.send(Zst::new()).unwrap();
            }
            if cap == Some(0) {
                assert!(tx.try_send(Zst::new()).is_err());
            } else {
                drop(rx.recv().unwrap());
            }
            assert_eq!(ZST_LIVE.load(Ordering::SeqCst), room(cap).saturating_sub(1));
            drop(rx);
            assert_eq!(ZST_LIVE.load(Ordering::SeqCst), 0, "{cap:?}");
            drop(tx);
        }
    });
}

#[test]
fn absurd_capacities_panic_mentioning_capacity() {
    expect_panic("capacity", || bounded::<u64>(usize::MAX / 2));
    expect_panic("capacity", || bounded::<u64>(usize::MAX));
    expect_panic("capacity", || bounded::<u8>(usize::MAX));
    // More bytes than `isize::MAX`.
    expect_panic("capacity", || {
        bounded::<[u8; 1024]>(isize::MAX as usize / 1024 + 1)
    });
}

#[test]
fn large_messages_move_intact() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<[u64; 64]>(cap);
            let n = scaled(50, 10) as u64;
            let sender = thread::spawn(move || {
                for i in 0..n {
                    tx.send([i; 64]).unwrap();
                }
            });
            for i in 0..n {
                assert_eq!(rx.recv().unwrap(), [i; 64], "{cap:?}");
            }
            sender.join().unwrap();
        }
    });
}

// ------------------------------------------------------------- error types

fn assert_error<E: Error + Send + Sync + 'static>(e: E, debug_has: &str) -> String {
    let debug = format!("{e:?}");
    assert!(
        debug.contains(debug_has),
        "Debug {debug:?} should contain {debug_has:?}"
    );
    let display = e.to_string();
    assert!(!display.is_empty(), "Display of {debug} is empty");
    let boxed: Box<dyn Error + Send + Sync> = Box::new(e);
    assert_eq!(boxed.to_string(), display);
    display
}

fn assert_distinct(displays: &[String]) {
    for (i, a) in displays.iter().enumerate() {
        for b in &displays[i + 1..] {
            assert_ne!(a, b, "two different errors display the same");
        }
    }
}

#[test]
fn error_types_are_debug_display_and_error() {
    let send = assert_error(SendError(5u32), "SendError");
    let full = assert_error(TrySendError::Full(5u32), "Full");
    let closed = assert_error(TrySendError::Closed(5u32), "Closed");
    assert_distinct(&[full, closed]);
    let timeout = assert_error(SendTimeoutError::Timeout(5u32), "Timeout");
    let closed = assert_error(SendTimeoutError::Closed(5u32), "Closed");
    assert_distinct(&[timeout, closed]);
    let recv = assert_error(RecvError, "RecvError");
    let empty = assert_error(TryRecvError::Empty, "Empty");
    let closed = assert_error(TryRecvError::Closed, "Closed");
    assert_distinct(&[empty, closed]);
    let timeout = assert_error(RecvTimeoutError::Timeout, "Timeout");
    let closed = assert_error(RecvTimeoutError::Closed, "Closed");
    assert_distinct(&[timeout, closed]);
    assert!(!send.is_empty() && !recv.is_empty());
}

/// A message type without `Debug`: error Display and the `?` conversion to
/// a boxed error must not depend on it.
struct Opaque(u32);

fn send_with_question_mark(tx: &Sender<u32>) -> Result<(), Box<dyn Error + Send + Sync>> {
    tx.send(1)?;
    Ok(())
}

#[test]
fn errors_give_the_message_back_with_into_inner() {
    assert_eq!(SendError(String::from("a")).into_inner(), "a");
    assert_eq!(SendError(3).0, 3);
    assert_eq!(TrySendError::Full(4).into_inner(), 4);
    assert_eq!(TrySendError::Closed(5).into_inner(), 5);
    assert_eq!(SendTimeoutError::Timeout(6).into_inner(), 6);
    assert_eq!(SendTimeoutError::Closed(7).into_inner(), 7);
    assert_eq!(SendError(Opaque(8)).into_inner().0, 8);
    assert!(!SendError(Opaque(9)).to_string().is_empty());
    assert!(!TrySendError::Full(Opaque(9)).to_string().is_empty());
    assert!(!SendTimeoutError::Closed(Opaque(9)).to_string().is_empty());

    let (tx, rx) = unbounded::<u32>();
    assert!(send_with_question_mark(&tx).is_ok());
    drop(rx);
    assert!(send_with_question_mark(&tx).is_err());
}

// ------------------------------------------------------- handles and traits

#[allow(dead_code)]
fn assert_send_sync_clone<T: Send + Sync + Clone + Debug>() {}

/// Compile-time: handles are `Send + Sync + Clone + Debug` for any `Send`
/// message, even one that is not `Sync`.
#[allow(dead_code)]
fn handles_are_send_sync_clone_debug() {
    assert_send_sync_clone::<Sender<u32>>();
    assert_send_sync_clone::<Receiver<u32>>();
    assert_send_sync_clone::<Sender<std::cell::Cell<u32>>>();
    assert_send_sync_clone::<Receiver<std::cell::Cell<u32>>>();
    assert_send_sync_clone::<Receiver<Instant>>();
    fn error_send_sync<T: Send + Sync + Display + Debug>() {}
    error_send_sync::<RecvError>();
    error_send_sync::<TryRecvError>();
    error_send_sync::<RecvTimeoutError>();
    error_send_sync::<SendError<u32>>();
    error_send_sync::<TrySendError<u32>>();
    error_send_sync::<SendTimeoutError<u32>>();
}

#[test]
fn handles_debug_print_and_clones_share_the_channel() {
    handles_are_send_sync_clone_debug();
    let (tx, rx) = bounded::<u32>(4);
    assert!(!format!("{tx:?}").is_empty());
    assert!(!format!("{rx:?}").is_empty());
    assert!(!format!("{:?}", never::<u32>()).is_empty());
    assert!(!format!("{:?}", after(LONG)).is_empty());
    assert!(!format!("{:?}", tick(LONG)).is_empty());

    let (tx2, rx2) = (tx.clone(), rx.clone());
    tx.send(1).unwrap();
    tx2.send(2).unwrap();
    assert_eq!(
        (tx.len(), rx2.len()),
        (2, 2),
        "one channel behind all handles"
    );
    assert_eq!(rx2.recv().unwrap(), 1);
    assert_eq!(rx.recv().unwrap(), 2);
    drop(tx);
    assert!(!rx.is_closed(), "a clone keeps it open");
    tx2.close();
    assert!(rx.is_closed() && rx2.is_closed());
}

#[test]
fn cloned_receivers_each_get_distinct_messages() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<usize>(cap);
            let n = scaled(4000, 40);
            let receivers: Vec<_> = (0..3)
                .map(|_| {
                    let rx = rx.clone();
                    thread::spawn(move || rx.iter().collect::<Vec<_>>())
                })
                .collect();
            drop(rx);
            for i in 0..n {
                tx.send(i).unwrap();
            }
            drop(tx);
            let mut all: Vec<usize> = Vec::new();
            for r in receivers {
                let got = r.join().unwrap();
                assert!(got.windows(2).all(|w| w[0] < w[1]), "{cap:?}: FIFO");
                all.extend(got);
            }
            all.sort_unstable();
            assert_eq!(all, (0..n).collect::<Vec<_>>(), "{cap:?}: exactly once");
        }
    });
}

// ------------------------------------------ deadlines and huge timeouts

#[test]
fn deadline_forms_behave_like_the_timeout_forms() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            for _ in 0..room(cap) {
                tx.send(0).unwrap();
            }
            if cap.is_some() {
                // Full. A deadline in the past: the non-blocking answer.
                let past = Instant::now();
                assert!(
                    matches!(tx.send_deadline(1, past), Err(SendTimeoutError::Timeout(1))),
                    "{cap:?}"
                );
                let start = Instant::now();
                assert!(matches!(
                    tx.send_deadline(2, start + SHORT),
                    Err(SendTimeoutError::Timeout(2))
                ));
                assert!(start.elapsed() >= SHORT, "{cap:?}: not before the deadline");
            } else {
                tx.send_deadline(1, Instant::now()).unwrap();
            }
            let _ = rx.try_iter().count();
            let start = Instant::now();
            assert!(matches!(
                rx.recv_deadline(start + SHORT),
                Err(RecvTimeoutError::Timeout)
            ));
            assert!(start.elapsed() >= SHORT, "{cap:?}: not before the deadline");
            // Met in time.
            let sender = {
                let tx = tx.clone();
                thread::spawn(move || tx.send_deadline(3, Instant::now() + LONG).unwrap())
            };
            assert_eq!(rx.recv_deadline(Instant::now() + LONG).unwrap(), 3);
            sender.join().unwrap();
            // Closed.
            tx.close();
            assert!(matches!(
                tx.send_deadline(4, Instant::now() + LONG),
                Err(SendTimeoutError::Closed(4))
            ));
            assert!(matches!(
                rx.recv_deadline(Instant::now() + LONG),
                Err(RecvTimeoutError::Closed)
            ));
        }
    });
}

/// `Instant::now() + Duration::MAX` overflows: a huge timeout must mean
/// "no timeout", not a panic, and the call still completes when the other
/// side arrives.
#[test]
fn huge_timeouts_wait_without_overflowing() {
    within(HANG, || {
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            for _ in 0..room(cap) {
                tx.send(0).unwrap();
            }
            let sender = {
                let tx = tx.clone();
                thread::spawn(move || tx.send_timeout(7, Duration::MAX).unwrap())
            };
            let mut got = Vec::new();
            while got.last() != Some(&7) {
                got.push(rx.recv_timeout(Duration::MAX).unwrap());
            }
            sender.join().unwrap();
            let receiver = {
                let rx = rx.clone();
                thread::spawn(move || rx.recv_timeout(Duration::MAX))
            };
            tx.send(8).unwrap();
            assert_eq!(receiver.join().unwrap().unwrap(), 8, "{cap:?}");
        }
        assert!(matches!(
            never::<u32>().recv_timeout(Duration::ZERO),
            Err(RecvTimeoutError::Timeout)
        ));
    });
}

#[test]
fn same_channel_tells_handles_apart() {
    let (tx, rx) = bounded::<u32>(1);
    let (tx2, rx2) = unbounded::<u32>();
    assert!(tx.same_channel(&tx.clone()) && rx.same_channel(&rx.clone()));
    assert!(!tx.same_channel(&tx2) && !rx.same_channel(&rx2));
    let (a, b) = (after(LONG), after(LONG));
    assert!(a.same_channel(&a.clone()) && !a.same_channel(&b));
    assert!(never::<u32>().same_channel(&never()), "one nil channel");
    assert!(!rx.same_channel(&never()));
}
