//! `select!` and the dynamic `Select`: receive and send cases on every
//! flavor, `default` and `default(timeout)`, closed channels counting as
//! ready (a receive yields `Err(RecvError)`, a send hands its value back),
//! send expressions evaluated only for the case that fires, a uniformly
//! random choice among ready cases, the nil channel, a blocked select woken
//! by any of its channels, `break`/`continue`/`return` in case bodies,
//! `select!` as an expression and with handles by value or by reference,
//! and a select that sends and receives on one unbuffered channel never
//! pairing with itself (Go's `TestSelfSelect`).
//!
//! Randomness is checked with bounds six standard deviations wide, so a
//! correct implementation fails with probability below 1e-8 per run.
#![cfg(not(gosync_loom))]

mod common;

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::{scaled, within, Counted, Ledger, HANG};
use gosync_channel::{
    after, bounded, never, select, unbounded, Receiver, RecvError, Select, SendError, Sender,
};

/// Every flavor, by capacity (`None`: unbounded).
const FLAVORS: [Option<usize>; 4] = [Some(0), Some(1), Some(5), None];

const SHORT: Duration = Duration::from_millis(20);
const LONG: Duration = Duration::from_secs(3600);

fn channel<T>(cap: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match cap {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}

/// See `behaviour.rs`: yields so that a thread that said it is about to
/// block usually is blocked; correctness never depends on it.
fn head_start(started: &AtomicBool) {
    while !started.load(Ordering::SeqCst) {
        thread::yield_now();
    }
    for _ in 0..64 {
        thread::yield_now();
    }
}

/// Panics unless each of `counts` (out of `n` draws, each case with
/// probability `1 / counts.len()`) is within six standard deviations of its
/// expectation.
fn assert_uniform(counts: &[usize], n: usize, what: &str) {
    let k = counts.len() as f64;
    let p = 1.0 / k;
    let mean = n as f64 * p;
    let sd = (n as f64 * p * (1.0 - p)).sqrt();
    for (i, &c) in counts.iter().enumerate() {
        assert!(
            (c as f64 - mean).abs() <= 6.0 * sd + 1.0,
            "{what}: case {i} chosen {c} times of {n}, expected {mean:.0} ± {:.0}: {counts:?}",
            6.0 * sd
        );
    }
    assert_eq!(counts.iter().sum::<usize>(), n, "{what}");
}

// ------------------------------------------------------------ single cases

#[test]
fn a_receive_case_fires_when_a_message_is_there() {
    within(HANG, || {
        for cap in [Some(1), Some(5), None] {
            let (tx, rx) = channel::<u32>(cap);
            tx.send(7).unwrap();
            select! {
                recv(rx) -> m => { assert_eq!(m.unwrap(), 7, "{cap:?}") },
            }
        }
        // Unbuffered: a sender is waiting.
        let (tx, rx) = bounded::<u32>(0);
        let sender = thread::spawn(move || tx.send(8).unwrap());
        select! {
            recv(rx) -> m => { assert_eq!(m.unwrap(), 8) },
        }
        sender.join().unwrap();
    });
}

#[test]
fn a_send_case_fires_when_there_is_room() {
    within(HANG, || {
        for cap in [Some(1), Some(5), None] {
            let (tx, rx) = channel::<u32>(cap);
            select! {
                send(tx, 9) -> res => { res.unwrap() },
            }
            assert_eq!(rx.try_recv().unwrap(), 9, "{cap:?}");
        }
        let (tx, rx) = bounded::<u32>(0);
        let receiver = thread::spawn(move || rx.recv().unwrap());
        select! {
            send(tx, 10) -> res => { res.unwrap() },
        }
        assert_eq!(receiver.join().unwrap(), 10);
    });
}

#[test]
fn default_fires_only_when_no_case_is_ready() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        // Fill it (unbounded: can never be full, so no send case then).
        if let Some(n) = cap {
            for i in 0..n {
                tx.send(i as u32).unwrap();
            }
        }
        // An unbounded channel is never full: use an unbuffered one then.
        let (no_receiver, _unused) = bounded::<u32>(0);
        let full = if cap.is_some() { &tx } else { &no_receiver };
        let (_keep, empty) = unbounded::<u32>();
        let mut defaults = 0;
        select! {
            recv(empty) -> _m => { panic!("{cap:?}: empty channel fired") },
            send(full, 1) -> _r => { panic!("{cap:?}: full channel fired") },
            default => { defaults += 1 }
        }
        assert_eq!(defaults, 1, "{cap:?}");
        // Once a case is ready, default never fires.
        let (tx2, rx2) = unbounded::<u32>();
        for _ in 0..scaled(100, 10) {
            tx2.send(1).unwrap();
            select! {
                recv(rx2) -> m => { m.unwrap(); },
                recv(rx) -> _m => { assert!(cap.is_some() && cap != Some(0)) },
                default => { panic!("{cap:?}: default with a ready case") }
            }
        }
    }
}

#[test]
fn default_with_a_timeout_waits_then_fires() {
    within(HANG, || {
        for cap in FLAVORS {
            let (_tx, rx) = channel::<u32>(cap);
            let start = Instant::now();
            let fired = select! {
                recv(rx) -> _m => { panic!("{cap:?}: nothing was sent") },
                default(SHORT) => { true }
            };
            assert!(fired);
            assert!(
                start.elapsed() >= SHORT,
                "{cap:?}: fired before its timeout"
            );
        }
        // A zero timeout is a plain default.
        let (_tx, rx) = bounded::<u32>(0);
        select! {
            recv(rx) -> _m => { panic!("nothing was sent") },
            default(Duration::ZERO) => {}
        }
        // A message arriving during the wait wins over the timeout.
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let sender = thread::spawn(move || tx.send(3).unwrap());
            let start = Instant::now();
            select! {
                recv(rx) -> m => { assert_eq!(m.unwrap(), 3) },
                default(LONG) => { panic!("{cap:?}: timed out") }
            }
            assert!(start.elapsed() < HANG);
            sender.join().unwrap();
        }
    });
}

// ------------------------------------------------------------ closed cases

#[test]
fn closed_channels_are_ready() {
    within(HANG, || {
        for cap in FLAVORS {
            let ledger = Ledger::new();
            // Receive on a channel closed by a close().
            let (tx, rx) = channel::<Counted>(cap);
            tx.close();
            select! {
                recv(rx) -> m => { assert!(matches!(m, Err(RecvError)), "{cap:?}") },
                default => { panic!("{cap:?}: a closed channel is ready") }
            }
            // Receive on a channel closed by its last sender's drop.
            let (tx, rx) = channel::<Counted>(cap);
            drop(tx);
            select! {
                recv(rx) -> m => { assert!(m.is_err(), "{cap:?}") },
                default => { panic!("{cap:?}: a closed channel is ready") }
            }
            // Send on a closed channel, and on one without receivers: the
            // value comes back.
            for by_drop in [false, true] {
                let (tx, rx) = channel::<Counted>(cap);
                if by_drop {
                    drop(rx);
                } else {
                    rx.close();
                }
                let m = Counted::new(&ledger, 5);
                let id = m.id();
                select! {
                    send(tx, m) -> res => {
                        let SendError(back) = res.expect_err("send on a closed channel");
                        back.assert_intact();
                        assert_eq!(back.id(), id, "{cap:?}: its own value");
                    },
                    default => { panic!("{cap:?}: a closed channel is ready") }
                }
            }
            ledger.assert_all_dropped_once();
        }
    });
}

#[test]
fn a_closed_channel_drains_first_in_select() {
    let (tx, rx) = bounded::<u32>(3);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    tx.close();
    let mut got = Vec::new();
    loop {
        select! {
            recv(rx) -> m => {
                match m {
                    Ok(v) => got.push(v),
                    Err(RecvError) => break,
                }
            },
        }
    }
    assert_eq!(got, [1, 2]);
}

// ------------------------------------------------------- send expressions

#[test]
fn send_expressions_are_evaluated_only_for_the_chosen_case() {
    within(HANG, || {
        let evals = [Cell::new(0u32), Cell::new(0u32)];
        let value = |k: usize| {
            evals[k].set(evals[k].get() + 1);
            k as u32
        };
        let reset = || evals.iter().for_each(|e| e.set(0));
        let counts = || [evals[0].get(), evals[1].get()];

        let (tx0, rx0) = bounded::<u32>(1);
        let (tx1, rx1) = bounded::<u32>(1);
        tx0.send(100).unwrap();
        tx1.send(101).unwrap();

        // Both full: nothing evaluated, default fires.
        select! {
            send(tx0, value(0)) -> _r => { panic!("full") },
            send(tx1, value(1)) -> _r => { panic!("full") },
            default => {}
        }
        assert_eq!(counts(), [0, 0], "no case fired, nothing evaluated");

        // Only the second has room: only its value is made.
        rx1.recv().unwrap();
        select! {
            send(tx0, value(0)) -> _r => { panic!("full") },
            send(tx1, value(1)) -> r => { r.unwrap() },
        }
        assert_eq!(counts(), [0, 1]);
        assert_eq!(rx1.recv().unwrap(), 1);

        // Both have room: exactly one value is made, the chosen one's.
        rx0.recv().unwrap();
        for _ in 0..50 {
            reset();
            let fired = select! {
                send(tx0, value(0)) -> r => { r.unwrap(); Some(0) },
                send(tx1, value(1)) -> r => { r.unwrap(); Some(1) },
            };
            let fired = fired.unwrap();
            let mut want = [0, 0];
            want[fired] = 1;
            assert_eq!(counts(), want, "only the fired case's value");
            [&rx0, &rx1][fired].recv().unwrap();
        }

        // A send on a closed channel fires: its value is made once and
        // comes back.
        reset();
        let (tx2, rx2) = bounded::<u32>(0);
        rx2.close();
        tx0.send(0).unwrap();
        select! {
            send(tx0, value(0)) -> _r => { panic!("full") },
            send(tx2, value(1)) -> r => { assert_eq!(r.unwrap_err().into_inner(), 1) },
        }
        assert_eq!(counts(), [0, 1]);

        // A blocking select evaluates the value once, when it fires, even
        // after waiting.
        reset();
        let (tx3, rx3) = bounded::<u32>(0);
        let receiver = thread::spawn(move || rx3.recv().unwrap());
        select! {
            send(tx0, value(0)) -> _r => { panic!("full") },
            send(tx3, value(1)) -> r => { r.unwrap() },
        }
        assert_eq!(receiver.join().unwrap(), 1);
        assert_eq!(counts(), [0, 1]);
    });
}

// --------------------------------------------------------------- fairness

#[test]
fn ready_receive_cases_are_chosen_uniformly() {
    within(HANG, || {
        let n = scaled(3000, 300);
        let chans: Vec<_> = (0..3).map(|_| unbounded::<usize>()).collect();
        for (tx, _) in &chans {
            for i in 0..n {
                tx.send(i).unwrap();
            }
        }
        let (r0, r1, r2) = (&chans[0].1, &chans[1].1, &chans[2].1);
        let mut counts = [0; 3];
        for _ in 0..n {
            select! {
                recv(r0) -> m => { m.unwrap(); counts[0] += 1 },
                recv(r1) -> m => { m.unwrap(); counts[1] += 1 },
                recv(r2) -> m => { m.unwrap(); counts[2] += 1 },
            }
        }
        assert_uniform(&counts, n, "three ready receives");
    });
}

/// Ready cases of every kind (a message, a closed channel, room to send, a
/// closed channel to send on) are equally likely; a case that is not ready
/// and the default never fire.
#[test]
fn ready_cases_of_mixed_kinds_are_chosen_uniformly() {
    within(HANG, || {
        let n = scaled(4000, 400);
        let (full_tx, msgs) = unbounded::<usize>();
        for i in 0..n {
            full_tx.send(i).unwrap();
        }
        let (closed_tx, closed_rx) = bounded::<usize>(1);
        closed_tx.close();
        let (room, room_rx) = unbounded::<usize>();
        let (shut, shut_rx) = bounded::<usize>(0);
        shut_rx.close();
        let (_idle_tx, idle) = bounded::<usize>(0);
        let mut counts = [0; 4];
        for i in 0..n {
            select! {
                recv(msgs) -> m => { m.unwrap(); counts[0] += 1 },
                recv(closed_rx) -> m => { assert!(m.is_err()); counts[1] += 1 },
                send(room, i) -> r => { r.unwrap(); counts[2] += 1 },
                send(shut, i) -> r => { assert_eq!(r.unwrap_err().0, i); counts[3] += 1 },
                recv(idle) -> _m => { panic!("not ready") },
                recv(never::<usize>()) -> _m => { panic!("never ready") },
                default => { panic!("cases were ready") }
            }
        }
        assert_uniform(&counts, n, "mixed ready cases");
        assert_eq!(room_rx.len(), counts[2]);
    });
}

#[test]
fn dynamic_select_chooses_ready_cases_uniformly() {
    within(HANG, || {
        let n = scaled(3000, 300);
        let (tx_a, rx_a) = unbounded::<usize>();
        let (tx_b, rx_b) = unbounded::<usize>();
        for i in 0..n {
            tx_a.send(i).unwrap();
        }
        let (_idle_tx, idle) = bounded::<usize>(0);
        let mut sel = Select::new();
        let a = sel.recv(&rx_a);
        let i_idle = sel.recv(&idle);
        let b = sel.send(&tx_b);
        let mut counts = [0; 2];
        for i in 0..n {
            let op = sel.select();
            match op.index() {
                k if k == a => {
                    op.recv(&rx_a).unwrap();
                    counts[0] += 1;
                }
                k if k == b => {
                    op.send(&tx_b, i).unwrap();
                    counts[1] += 1;
                }
                k => panic!("case {k} (idle is {i_idle}) was not ready"),
            }
        }
        assert_uniform(&counts, n, "dynamic select");
        assert_eq!(rx_b.len(), counts[1]);
    });
}

#[test]
fn one_channel_in_several_cases() {
    within(HANG, || {
        let n = scaled(2000, 200);
        let (tx, rx) = unbounded::<usize>();
        for i in 0..n {
            tx.send(i).unwrap();
        }
        let mut counts = [0; 2];
        let mut last = None;
        for _ in 0..n {
            let v = select! {
                recv(rx) -> m => { counts[0] += 1; m.unwrap() },
                recv(rx) -> m => { counts[1] += 1; m.unwrap() },
            };
            assert!(last.map_or(true, |l| v > l), "FIFO whichever case fires");
            last = Some(v);
        }
        assert_uniform(&counts, n, "one channel in two cases");

        // A send and a receive case on one buffered channel: whichever is
        // ready (empty: the send; full: the receive).
        let (tx, rx) = bounded::<usize>(1);
        for i in 0..10 {
            select! {
                send(tx, i) -> r => { r.unwrap(); assert_eq!(i % 2, 0) },
                recv(rx) -> m => { assert_eq!(m.unwrap() + 1, i) },
            }
        }
    });
}

// ------------------------------------------------------------ nil channel

#[test]
fn select_on_only_never_times_out() {
    within(HANG, || {
        let start = Instant::now();
        let timed_out = select! {
            recv(never::<u32>()) -> _m => { panic!("never is never ready") },
            default(SHORT) => { true }
        };
        assert!(timed_out && start.elapsed() >= SHORT);

        let nil = never::<u32>();
        let defaulted = select! {
            recv(nil) -> _m => { panic!("never is never ready") },
            default => { true }
        };
        assert!(defaulted);

        // A nil case beside a real one: Go's idiom of disabling a case.
        let (tx, rx) = unbounded::<u32>();
        tx.send(4).unwrap();
        let off: Receiver<u32> = never();
        for (r, want) in [(&rx, Some(4)), (&off, None)] {
            select! {
                recv(r) -> m => { assert_eq!(Some(m.unwrap()), want) },
                default(SHORT) => { assert_eq!(want, None) }
            }
        }
    });
}

// ---------------------------------------------------- blocked select wakes

#[derive(Debug, Clone, Copy, PartialEq)]
enum Wake {
    /// A message on the first receive case's channel.
    Message1,
    /// A message on the second receive case's channel.
    Message2,
    /// `close()` of the first channel.
    Close1,
    /// The second channel's last sender dropped.
    DropSenders2,
    /// A receiver takes the value of the send case.
    Room3,
    /// The send case's channel closed.
    Close3,
    /// The send case's channel loses its last receiver.
    DropReceivers3,
}

/// What the blocked select saw: which case, and its outcome.
#[derive(Debug, PartialEq)]
enum Saw {
    Recv(usize, Option<u32>),
    Send(Option<u32>),
}

fn blocked_select(
    r1: Receiver<u32>,
    r2: Receiver<u32>,
    t3: Sender<u32>,
    dynamic: bool,
    started: Arc<AtomicBool>,
) -> thread::JoinHandle<Saw> {
    thread::spawn(move || {
        started.store(true, Ordering::SeqCst);
        if dynamic {
            let mut sel = Select::new();
            let i1 = sel.recv(&r1);
            let i2 = sel.recv(&r2);
            let i3 = sel.send(&t3);
            let op = sel.select();
            match op.index() {
                i if i == i1 => Saw::Recv(1, op.recv(&r1).ok()),
                i if i == i2 => Saw::Recv(2, op.recv(&r2).ok()),
                i if i == i3 => Saw::Send(op.send(&t3, 33).err().map(|e| e.into_inner())),
                i => panic!("no case {i}"),
            }
        } else {
            select! {
                recv(r1) -> m => { Saw::Recv(1, m.ok()) },
                recv(r2) -> m => { Saw::Recv(2, m.ok()) },
                send(t3, 33) -> r => { Saw::Send(r.err().map(|e| e.into_inner())) },
            }
        }
    })
}

#[test]
fn a_blocked_select_wakes_when_any_channel_is_ready_or_closed() {
    within(HANG, || {
        for cap in FLAVORS {
            for dynamic in [false, true] {
                for wake in [
                    Wake::Message1,
                    Wake::Message2,
                    Wake::Close1,
                    Wake::DropSenders2,
                    Wake::Room3,
                    Wake::Close3,
                    Wake::DropReceivers3,
                ] {
                    for _ in 0..scaled(10, 1) {
                        let (t1, r1) = channel::<u32>(cap);
                        let (t2, r2) = channel::<u32>(cap);
                        // The send case never has room until woken.
                        let (t3, r3) = bounded::<u32>(cap.map_or(1, |c| c.min(1)));
                        if t3.capacity() == Some(1) {
                            t3.send(30).unwrap();
                        }
                        let started = Arc::new(AtomicBool::new(false));
                        let waiter = blocked_select(
                            r1.clone(),
                            r2.clone(),
                            t3.clone(),
                            dynamic,
                            Arc::clone(&started),
                        );
                        head_start(&started);
                        // Keep the untouched handles alive until the end.
                        let mut keep = (Some(t1), Some(t2), Some(r3));
                        let senders = |t: Sender<u32>, v| thread::spawn(move || t.send(v));
                        let mut helper = None;
                        let want = match wake {
                            Wake::Message1 => {
                                helper = Some(senders(keep.0.clone().unwrap(), 11));
                                Saw::Recv(1, Some(11))
                            }
                            Wake::Message2 => {
                                helper = Some(senders(keep.1.clone().unwrap(), 22));
                                Saw::Recv(2, Some(22))
                            }
                            Wake::Close1 => {
                                assert!(r1.close());
                                Saw::Recv(1, None)
                            }
                            Wake::DropSenders2 => {
                                keep.1 = None;
                                Saw::Recv(2, None)
                            }
                            Wake::Room3 => {
                                let r3 = keep.2.as_ref().unwrap();
                                if t3.capacity() == Some(1) {
                                    assert_eq!(r3.recv().unwrap(), 30);
                                }
                                let got = r3.recv().unwrap();
                                assert_eq!(got, 33);
                                Saw::Send(None)
                            }
                            Wake::Close3 => {
                                assert!(t3.close());
                                Saw::Send(Some(33))
                            }
                            Wake::DropReceivers3 => {
                                keep.2 = None;
                                Saw::Send(Some(33))
                            }
                        };
                        let saw = waiter.join().unwrap();
                        assert_eq!(saw, want, "{cap:?} dynamic={dynamic} {wake:?}");
                        if let Some(h) = helper {
                            h.join().unwrap().unwrap();
                        }
                        drop((keep, r1, r2));
                    }
                }
            }
        }
    });
}

// --------------------------------------------------------- control flow

/// Sums the messages up to the first 0, skipping odd ones, using `continue`
/// and `return` from inside case bodies.
fn sum_even_until_zero(rx: &Receiver<u32>) -> Option<u32> {
    let mut sum = 0;
    let mut passes = 0;
    loop {
        select! {
            recv(rx) -> m => {
                match m {
                    Ok(0) => return Some(sum),
                    Ok(v) if v % 2 == 1 => continue,
                    Ok(v) => sum += v,
                    Err(_) => break,
                }
            },
        }
        passes += 1;
        assert!(passes <= 100);
    }
    None
}

#[test]
fn break_continue_and_return_act_on_the_enclosing_code() {
    within(HANG, || {
        let (tx, rx) = unbounded::<u32>();
        for v in [1, 2, 3, 4, 0, 6] {
            tx.send(v).unwrap();
        }
        assert_eq!(sum_even_until_zero(&rx), Some(6), "return");
        drop(tx);
        assert_eq!(sum_even_until_zero(&rx), None, "break at close");

        // A labelled break out of two loops.
        let (tx, rx) = unbounded::<u32>();
        for v in 0..10 {
            tx.send(v).unwrap();
        }
        let mut seen = Vec::new();
        'outer: for _ in 0..10 {
            loop {
                select! {
                    recv(rx) -> m => {
                        let v = m.unwrap();
                        if v == 5 {
                            break 'outer;
                        }
                        seen.push(v);
                    },
                    default => { break }
                }
            }
        }
        assert_eq!(seen, [0, 1, 2, 3, 4]);
    });
}

#[test]
fn select_is_an_expression() {
    let (tx, rx) = unbounded::<i32>();
    let pick = |rx: &Receiver<i32>| -> i32 {
        select! {
            recv(rx) -> m => { m.unwrap() * 2 },
            default => { -1 }
        }
    };
    assert_eq!(pick(&rx), -1);
    tx.send(21).unwrap();
    assert_eq!(pick(&rx), 42);
    let doubled = select! {
        send(tx, 5) -> r => { r.is_ok() },
    };
    assert!(doubled);
    assert_eq!(rx.recv().unwrap(), 5);
}

#[test]
fn cases_take_handles_by_value_or_reference_from_any_expression() {
    within(HANG, || {
        let (tx, rx) = unbounded::<u32>();
        let rxs = [rx.clone(), rx.clone()];
        let txs = [tx.clone()];
        let boxed = Box::new(rx.clone());
        tx.send(1).unwrap();
        select! { recv(rx) -> m => { assert_eq!(m.unwrap(), 1) }, }
        tx.send(2).unwrap();
        select! { recv(&rx) -> m => { assert_eq!(m.unwrap(), 2) }, }
        tx.send(3).unwrap();
        select! { recv(rxs[1]) -> m => { assert_eq!(m.unwrap(), 3) }, }
        tx.send(4).unwrap();
        select! { recv(&*boxed) -> m => { assert_eq!(m.unwrap(), 4) }, }
        tx.send(5).unwrap();
        select! { recv(rx.clone()) -> m => { assert_eq!(m.unwrap(), 5) }, }
        select! { send(tx, 6) -> r => { r.unwrap() }, }
        select! { send(&tx, 7) -> r => { r.unwrap() }, }
        select! { send(txs[0], 8) -> r => { r.unwrap() }, }
        select! { send(tx.clone(), 9) -> r => { r.unwrap() }, }
        // The handles were only borrowed: all still usable.
        assert_eq!(rxs[0].try_iter().collect::<Vec<_>>(), [6, 7, 8, 9]);
        tx.send(10).unwrap();
        txs[0].send(11).unwrap();
        assert_eq!(rx.recv().unwrap(), 10);
        assert_eq!(boxed.recv().unwrap(), 11);
    });
}

mod by_path {
    /// The macro by its path, with nothing of the crate imported.
    #[test]
    fn select_by_path_needs_nothing_in_scope() {
        let (tx, rx) = gosync_channel::bounded::<u32>(1);
        let mut got = 0;
        gosync_channel::select! {
            send(tx, 3) -> r => { r.unwrap() },
            default => { panic!("there is room") }
        }
        gosync_channel::select! {
            recv(rx) -> m => { got = m.unwrap() },
            default(std::time::Duration::from_secs(1)) => {}
        }
        assert_eq!(got, 3);
    }
}

// ------------------------------------------------------------ dynamic API

#[test]
fn dynamic_select_try_and_timeout_forms() {
    within(HANG, || {
        // No cases at all: nothing can ever be ready.
        let mut empty = Select::new();
        assert!(empty.try_select().is_err());
        let start = Instant::now();
        assert!(empty.select_timeout(SHORT).is_err());
        assert!(start.elapsed() >= SHORT);

        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let (full_tx, full_rx) = bounded::<u32>(0);
            let mut sel = Select::new();
            let r = sel.recv(&rx);
            let s = sel.send(&full_tx);
            assert_ne!(r, s);
            assert!(sel.try_select().is_err(), "{cap:?}: nothing ready");
            let start = Instant::now();
            assert!(sel.select_timeout(SHORT).is_err(), "{cap:?}");
            assert!(start.elapsed() >= SHORT, "{cap:?}: not before the timeout");

            // A sender arrives during the wait.
            let sender = {
                let tx = tx.clone();
                thread::spawn(move || tx.send(5).unwrap())
            };
            let op = sel.select_timeout(LONG).expect("a sender is coming");
            assert_eq!(op.index(), r, "{cap:?}");
            assert_eq!(op.recv(&rx).unwrap(), 5);
            sender.join().unwrap();
            if cap != Some(0) {
                tx.send(6).unwrap();
                let op = sel.try_select().expect("a message is there");
                assert_eq!(op.index(), r, "{cap:?}");
                assert_eq!(op.recv(&rx).unwrap(), 6);
            }

            // Closed channels: both cases ready, with errors.
            tx.close();
            full_rx.close();
            let mut seen = [false; 2];
            for _ in 0..200 {
                let op = sel.try_select().expect("closed channels are ready");
                let i = op.index();
                if i == r {
                    assert!(op.recv(&rx).is_err());
                    seen[0] = true;
                } else {
                    assert_eq!(i, s);
                    assert_eq!(op.send(&full_tx, 6).unwrap_err().into_inner(), 6);
                    seen[1] = true;
                }
            }
            assert_eq!(seen, [true, true], "{cap:?}: both closed cases fire");
            let op = sel.select();
            if op.index() == r {
                assert!(op.recv(&rx).is_err());
            } else {
                assert!(op.send(&full_tx, 7).is_err());
            }
        }
    });
}

// ------------------------------------------------------ self-matching

/// One select both sending and receiving on an unbuffered channel must not
/// hand its own value to itself: alone, it can only time out.
#[test]
fn a_select_never_pairs_with_itself() {
    within(HANG, || {
        let (tx, rx) = bounded::<u32>(0);
        let start = Instant::now();
        select! {
            send(tx, 1) -> _r => { panic!("sent with no other thread") },
            recv(rx) -> _m => { panic!("received with no other thread") },
            default(SHORT) => {}
        }
        assert!(start.elapsed() >= SHORT);
        select! {
            recv(rx) -> _m => { panic!("received with no other thread") },
            send(tx, 1) -> _r => { panic!("sent with no other thread") },
            recv(after(SHORT)) -> t => { t.unwrap(); },
        }

        let mut sel = Select::new();
        let _send = sel.send(&tx);
        let _recv = sel.recv(&rx);
        assert!(sel.try_select().is_err());
        assert!(sel.select_timeout(SHORT).is_err());
    });
}

/// Go's `TestSelfSelect`: two threads each selecting over a send and a
/// receive on the same channel. Unbuffered, they must pair with each other
/// (never receiving their own value) and never deadlock; buffered, they
/// must not deadlock.
#[test]
fn two_threads_selecting_send_and_receive_on_one_channel_pair_up() {
    within(HANG, || {
        for cap in [Some(0), Some(1), Some(10), None] {
            let (tx, rx) = channel::<u32>(cap);
            let rounds = scaled(1000, 20);
            let workers: Vec<_> = (0..2u32)
                .map(|me| {
                    let (tx, rx) = (tx.clone(), rx.clone());
                    thread::spawn(move || {
                        for i in 0..rounds {
                            let got = if (me + i as u32) % 2 == 0 {
                                select! {
                                    send(tx, me) -> r => { r.unwrap(); None },
                                    recv(rx) -> m => { Some(m.unwrap()) },
                                }
                            } else {
                                select! {
                                    recv(rx) -> m => { Some(m.unwrap()) },
                                    send(tx, me) -> r => { r.unwrap(); None },
                                }
                            };
                            if cap == Some(0) {
                                assert_ne!(got, Some(me), "thread {me} received its own value");
                            }
                        }
                    })
                })
                .collect();
            for w in workers {
                w.join().unwrap();
            }
        }
    });
}

#[test]
fn dynamic_select_remove_and_deadline() {
    within(HANG, || {
        let (tx, rx) = unbounded::<u32>();
        let (_idle_tx, idle) = bounded::<u32>(0);
        tx.send(1).unwrap();
        let mut sel = Select::new();
        let ready = sel.recv(&rx);
        let waiting = sel.recv(&idle);
        sel.remove(ready);
        // The removed case is ready but must not fire.
        assert!(sel.try_select().is_err());
        assert!(sel.select_deadline(Instant::now()).is_err());
        let start = Instant::now();
        assert!(sel.select_deadline(start + SHORT).is_err());
        assert!(start.elapsed() >= SHORT);
        // Re-added, it gets a new index; the others keep theirs.
        let again = sel.recv(&rx);
        assert!(again != ready && again != waiting);
        let op = sel.select_deadline(Instant::now() + LONG).unwrap();
        assert_eq!(op.index(), again);
        assert_eq!(op.recv(&rx).unwrap(), 1);
        // Removing an index twice (or one never given) panics.
        let removed_twice = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            sel.remove(ready);
        }));
        assert!(removed_twice.is_err());
    });
}

#[test]
fn huge_select_timeouts_wait_without_overflowing() {
    within(HANG, || {
        let (tx, rx) = bounded::<u32>(0);
        let sender = {
            let tx = tx.clone();
            thread::spawn(move || tx.send(1).unwrap())
        };
        let got = select! {
            recv(rx) -> m => { m.unwrap() },
            default(Duration::MAX) => { panic!("timed out") }
        };
        assert_eq!(got, 1);
        sender.join().unwrap();

        let sender = thread::spawn(move || tx.send(2).unwrap());
        let mut sel = Select::new();
        let i = sel.recv(&rx);
        let op = sel
            .select_timeout(Duration::MAX)
            .expect("a sender is coming");
        assert_eq!(op.index(), i);
        assert_eq!(op.recv(&rx).unwrap(), 2);
        sender.join().unwrap();
    });
}

#[test]
fn misusing_a_selected_operation_panics() {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    within(HANG, || {
        let (tx, rx) = unbounded::<u32>();
        let (_tx2, rx2) = unbounded::<u32>();
        tx.send(1).unwrap();
        tx.send(2).unwrap();
        // Finishing with another channel's receiver.
        let mut sel = Select::new();
        sel.recv(&rx);
        let wrong = catch_unwind(AssertUnwindSafe(|| {
            let op = sel.select();
            let _ = op.recv(&rx2);
        }));
        assert!(wrong.is_err(), "finishing on another channel panics");
        // Dropping it unfinished.
        let mut sel = Select::new();
        sel.recv(&rx);
        let dropped = catch_unwind(AssertUnwindSafe(|| {
            let op = sel.select();
            drop(op);
        }));
        assert!(
            dropped.is_err(),
            "an unfinished SelectedOperation panics on drop"
        );
    });
}
