//! Multi-threaded stress on every flavor (`bounded(0)`, `bounded(1)`,
//! `bounded(16)`, `unbounded`) with drop-counted messages tagged by sender
//! and sequence number:
//!
//! - MPMC with 2–4 senders and 2–4 receivers using every send and receive
//!   form: each message delivered exactly once, each sender's messages seen
//!   in order by every receiver, nothing leaked;
//! - `close` (from either side) racing with blocked and busy senders and
//!   receivers: nobody stays blocked, every message is either received or
//!   handed back by the failed send, each dropped once;
//! - the last receiver dropped while senders are blocked: they all fail,
//!   and every message is dropped once before the last `Sender` goes;
//! - MPMC through `select!` and `Select` over two channels.
//!
//! Hangs fail through `within`; nothing sleeps to wait for a race (threads
//! wait for progress by yielding). Counts scale down under Miri.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::{scaled, within, Counted, Ledger, HANG};
use gosync_channel::{
    bounded, never, select, unbounded, Receiver, RecvTimeoutError, Select, SendTimeoutError,
    Sender, TryRecvError, TrySendError,
};

/// Every flavor, by capacity (`None`: unbounded).
const FLAVORS: [Option<usize>; 4] = [Some(0), Some(1), Some(16), None];

/// (senders, receivers) for the MPMC tests.
const SHAPES: [(u32, usize); 3] = [(2, 2), (4, 2), (2, 4)];

/// A timeout that must never expire.
const LONG: Duration = Duration::from_secs(3600);

fn channel<T>(cap: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match cap {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}

#[derive(Debug, Clone, Copy)]
enum SendForm {
    Send,
    Timeout,
    /// `try_send` in a loop, yielding while full.
    Spin,
}

/// Blocking forms first: with at least one blocking sender and receiver an
/// unbuffered channel always has a peer to pair with.
const SEND_FORMS: [SendForm; 3] = [SendForm::Send, SendForm::Timeout, SendForm::Spin];

/// Sends `m` the `form` way; gives it back if the channel is closed.
fn send(tx: &Sender<Counted>, m: Counted, form: SendForm) -> Result<(), Counted> {
    match form {
        SendForm::Send => tx.send(m).map_err(|e| e.into_inner()),
        SendForm::Timeout => match tx.send_timeout(m, LONG) {
            Ok(()) => Ok(()),
            Err(SendTimeoutError::Closed(m)) => Err(m),
            Err(SendTimeoutError::Timeout(_)) => panic!("send_timeout expired"),
        },
        SendForm::Spin => {
            let mut m = m;
            loop {
                match tx.try_send(m) {
                    Ok(()) => return Ok(()),
                    Err(TrySendError::Full(back)) => {
                        m = back;
                        thread::yield_now();
                    }
                    Err(TrySendError::Closed(back)) => return Err(back),
                }
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum RecvForm {
    Recv,
    Timeout,
    /// `iter().next()`.
    Iter,
    /// `try_recv` in a loop, yielding while empty.
    Spin,
}

const RECV_FORMS: [RecvForm; 4] = [
    RecvForm::Recv,
    RecvForm::Timeout,
    RecvForm::Iter,
    RecvForm::Spin,
];

/// Receives the `form` way; `None` once the channel is closed and drained.
fn receive(rx: &Receiver<Counted>, form: RecvForm) -> Option<Counted> {
    match form {
        RecvForm::Recv => rx.recv().ok(),
        RecvForm::Timeout => match rx.recv_timeout(LONG) {
            Ok(m) => Some(m),
            Err(RecvTimeoutError::Closed) => None,
            Err(RecvTimeoutError::Timeout) => panic!("recv_timeout expired"),
        },
        RecvForm::Iter => rx.iter().next(),
        RecvForm::Spin => loop {
            match rx.try_recv() {
                Ok(m) => return Some(m),
                Err(TryRecvError::Empty) => thread::yield_now(),
                Err(TryRecvError::Closed) => return None,
            }
        },
    }
}

/// What one receiver saw, `(sender, seq)` in arrival order, after checking
/// each message intact and each sender's messages in order.
#[derive(Debug, Default)]
struct Seen {
    got: Vec<(u32, u32)>,
    last: HashMap<u32, u32>,
}

impl Seen {
    fn record(&mut self, m: Counted, lane: u32) {
        m.assert_intact();
        let (sender, seq) = m.origin();
        // Order holds per sender and per channel (`lane`).
        if let Some(&prev) = self.last.get(&(sender * 2 + lane)) {
            assert!(
                seq > prev,
                "sender {sender} lane {lane}: seq {seq} after {prev} (FIFO broken)"
            );
        }
        self.last.insert(sender * 2 + lane, seq);
        self.got.push((sender, seq));
        drop(m);
    }
}

/// Panics unless `seen` holds, for each sender `s`, exactly the sequence
/// numbers `0..sent[s]`, each once.
fn assert_exactly_once(seen: impl IntoIterator<Item = (u32, u32)>, sent: &[u32], what: &str) {
    let mut per_sender: Vec<Vec<u32>> = vec![Vec::new(); sent.len()];
    for (s, seq) in seen {
        per_sender[s as usize].push(seq);
    }
    for (s, seqs) in per_sender.iter_mut().enumerate() {
        seqs.sort_unstable();
        let want: Vec<u32> = (0..sent[s]).collect();
        if *seqs != want {
            let dups = seqs.windows(2).filter(|w| w[0] == w[1]).count();
            panic!(
                "{what}: sender {s} sent {} but {} were received ({dups} duplicates)",
                sent[s],
                seqs.len()
            );
        }
    }
}

// ---------------------------------------------------------------- MPMC

#[test]
fn mpmc_delivers_each_message_once_in_per_sender_order() {
    within(HANG, || {
        let per_sender = scaled(20_000, 20) as u32;
        for cap in FLAVORS {
            for (senders, receivers) in SHAPES {
                let what = format!("{cap:?} {senders}x{receivers}");
                let ledger = Ledger::new();
                let (tx, rx) = channel::<Counted>(cap);
                let sending: Vec<_> = (0..senders)
                    .map(|me| {
                        let (tx, ledger) = (tx.clone(), Arc::clone(&ledger));
                        let form = SEND_FORMS[me as usize % SEND_FORMS.len()];
                        thread::spawn(move || {
                            for seq in 0..per_sender {
                                let m = Counted::tagged(&ledger, me, seq);
                                if let Err(back) = send(&tx, m, form) {
                                    panic!("{form:?}: channel closed under sender {me}: {back:?}");
                                }
                            }
                        })
                    })
                    .collect();
                drop(tx);
                let receiving: Vec<_> = (0..receivers)
                    .map(|k| {
                        let rx = rx.clone();
                        let form = RECV_FORMS[k % RECV_FORMS.len()];
                        thread::spawn(move || {
                            let mut seen = Seen::default();
                            while let Some(m) = receive(&rx, form) {
                                seen.record(m, 0);
                            }
                            seen.got
                        })
                    })
                    .collect();
                drop(rx);
                for s in sending {
                    s.join().unwrap();
                }
                let seen = receiving.into_iter().flat_map(|r| r.join().unwrap());
                assert_exactly_once(seen, &vec![per_sender; senders as usize], &what);
                ledger.assert_all_dropped_once();
            }
        }
    });
}

// ------------------------------------------------------------- close race

/// Senders send until a send fails; receivers receive until closed; the
/// main thread closes once `close_after` messages went through.
fn close_race(cap: Option<usize>, senders: u32, receivers: usize, from_receiver: bool) {
    let what = format!("{cap:?} {senders}x{receivers} from_receiver={from_receiver}");
    let limit = scaled(100_000, 200) as u32;
    let close_after = scaled(2000, 10);
    let ledger = Ledger::new();
    let (tx, rx) = channel::<Counted>(cap);
    let received = Arc::new(AtomicUsize::new(0));
    let sending: Vec<_> = (0..senders)
        .map(|me| {
            let (tx, ledger) = (tx.clone(), Arc::clone(&ledger));
            let form = SEND_FORMS[me as usize % SEND_FORMS.len()];
            thread::spawn(move || {
                for seq in 0..limit {
                    let m = Counted::tagged(&ledger, me, seq);
                    if let Err(back) = send(&tx, m, form) {
                        back.assert_intact();
                        assert_eq!(back.origin(), (me, seq), "its own message back");
                        return (seq, Some(back.id()));
                    }
                }
                (limit, None)
            })
        })
        .collect();
    let receiving: Vec<_> = (0..receivers)
        .map(|k| {
            let (rx, received) = (rx.clone(), Arc::clone(&received));
            let form = RECV_FORMS[k % RECV_FORMS.len()];
            thread::spawn(move || {
                let mut seen = Seen::default();
                while let Some(m) = receive(&rx, form) {
                    seen.record(m, 0);
                    received.fetch_add(1, Ordering::SeqCst);
                }
                seen.got
            })
        })
        .collect();
    // Wait for progress (not for a race): then close mid-stream.
    while received.load(Ordering::SeqCst) < close_after {
        thread::yield_now();
    }
    let closed = if from_receiver {
        rx.close()
    } else {
        tx.close()
    };
    assert!(closed, "{what}: the close closes");
    drop((tx, rx));
    let mut sent = Vec::new();
    let mut handed_back = Vec::new();
    for s in sending {
        let (ok, back) = s.join().unwrap();
        sent.push(ok);
        handed_back.extend(back);
    }
    let seen = receiving.into_iter().flat_map(|r| r.join().unwrap());
    // The messages that were sent are all received (receivers drain after
    // the close); each failed send kept its message; all dropped once.
    assert_exactly_once(seen, &sent, &what);
    for id in handed_back {
        assert_eq!(ledger.drops_of(id), 1, "{what}: handed-back message");
    }
    ledger.assert_all_dropped_once();
}

#[test]
fn close_races_with_busy_and_blocked_senders_and_receivers() {
    within(HANG, || {
        for cap in FLAVORS {
            for from_receiver in [false, true] {
                // More senders than receivers: senders block on full.
                close_race(cap, 4, 2, from_receiver);
                // More receivers than senders: receivers block on empty.
                close_race(cap, 1, 4, from_receiver);
            }
        }
    });
}

// --------------------------------------------------- last receiver drops

#[test]
fn last_receiver_dropped_while_senders_are_blocked() {
    within(HANG, || {
        for cap in FLAVORS {
            let senders = 4u32;
            let limit = scaled(100_000, 200) as u32;
            let quota = scaled(1000, 5);
            let ledger = Ledger::new();
            let (tx, rx) = channel::<Counted>(cap);
            let receivers_gone = Arc::new(AtomicBool::new(false));
            let sending: Vec<_> = (0..senders)
                .map(|me| {
                    let (tx, ledger) = (tx.clone(), Arc::clone(&ledger));
                    let gone = Arc::clone(&receivers_gone);
                    let form = SEND_FORMS[me as usize % SEND_FORMS.len()];
                    thread::spawn(move || {
                        for seq in 0..=limit {
                            if seq == limit {
                                // Out of messages (only an unbounded channel
                                // gets here): wait for the receivers to go,
                                // then the last send must fail.
                                while !gone.load(Ordering::SeqCst) {
                                    thread::yield_now();
                                }
                            }
                            let m = Counted::tagged(&ledger, me, seq);
                            if let Err(back) = send(&tx, m, form) {
                                assert_eq!(back.origin(), (me, seq));
                                return true;
                            }
                        }
                        false
                    })
                })
                .collect();
            // Two receivers take a quota each, then drop their handle.
            let receiving: Vec<_> = (0..2)
                .map(|k| {
                    let rx = rx.clone();
                    thread::spawn(move || {
                        for _ in 0..quota {
                            receive(&rx, RECV_FORMS[k]).expect("open").assert_intact();
                        }
                    })
                })
                .collect();
            drop(rx);
            for r in receiving {
                r.join().unwrap();
            }
            receivers_gone.store(true, Ordering::SeqCst);
            for s in sending {
                assert!(s.join().unwrap(), "{cap:?}: every sender's send failed");
            }
            // `tx` is still alive: whatever was buffered is gone already.
            assert_eq!(tx.len(), 0, "{cap:?}");
            ledger.assert_all_dropped_once();
            assert!(tx.send(Counted::tagged(&ledger, 9, 0)).is_err());
            drop(tx);
            ledger.assert_all_dropped_once();
        }
    });
}

// ------------------------------------------------------------------ select

/// Each sender sends its messages through a two-case `select!`, to whichever
/// channel is ready; receivers select over both, by `select!` or `Select`,
/// switching a closed channel's case to `never()` (Go's nil-channel idiom).
#[test]
fn select_based_mpmc_over_two_channels() {
    within(HANG, || {
        let per_sender = scaled(10_000, 20) as u32;
        let pairs = [
            (Some(0), Some(0)),
            (Some(0), None),
            (Some(1), Some(16)),
            (None, None),
        ];
        for (cap_a, cap_b) in pairs {
            let (senders, receivers) = (3u32, 3usize);
            let what = format!("{cap_a:?}+{cap_b:?}");
            let ledger = Ledger::new();
            let (ta, ra) = channel::<Counted>(cap_a);
            let (tb, rb) = channel::<Counted>(cap_b);
            let sending: Vec<_> = (0..senders)
                .map(|me| {
                    let (ta, tb, ledger) = (ta.clone(), tb.clone(), Arc::clone(&ledger));
                    thread::spawn(move || {
                        for seq in 0..per_sender {
                            select! {
                                send(ta, Counted::tagged(&ledger, me, seq)) -> r => { r.unwrap() },
                                send(tb, Counted::tagged(&ledger, me, seq)) -> r => { r.unwrap() },
                            }
                        }
                    })
                })
                .collect();
            drop((ta, tb));
            let receiving: Vec<_> = (0..receivers)
                .map(|k| {
                    let (ra, rb) = (ra.clone(), rb.clone());
                    thread::spawn(move || {
                        if k % 2 == 0 {
                            select_receiver(&ra, &rb)
                        } else {
                            dynamic_receiver(&ra, &rb)
                        }
                    })
                })
                .collect();
            drop((ra, rb));
            for s in sending {
                s.join().unwrap();
            }
            let seen = receiving.into_iter().flat_map(|r| r.join().unwrap());
            assert_exactly_once(seen, &vec![per_sender; senders as usize], &what);
            ledger.assert_all_dropped_once();
        }
    });
}

fn select_receiver(ra: &Receiver<Counted>, rb: &Receiver<Counted>) -> Vec<(u32, u32)> {
    let nil = never::<Counted>();
    let (mut a_open, mut b_open) = (true, true);
    let mut seen = Seen::default();
    while a_open || b_open {
        let a = if a_open { ra } else { &nil };
        let b = if b_open { rb } else { &nil };
        select! {
            recv(a) -> m => {
                match m {
                    Ok(m) => seen.record(m, 0),
                    Err(_) => a_open = false,
                }
            },
            recv(b) -> m => {
                match m {
                    Ok(m) => seen.record(m, 1),
                    Err(_) => b_open = false,
                }
            },
        }
    }
    seen.got
}

fn dynamic_receiver(ra: &Receiver<Counted>, rb: &Receiver<Counted>) -> Vec<(u32, u32)> {
    let mut open = [true, true];
    let chans = [ra, rb];
    let mut seen = Seen::default();
    while open.contains(&true) {
        let mut sel = Select::new();
        let mut lanes = Vec::new();
        for (lane, r) in chans.iter().enumerate() {
            if open[lane] {
                lanes.push((sel.recv(*r), lane));
            }
        }
        let op = sel.select();
        let &(_, lane) = lanes
            .iter()
            .find(|(i, _)| *i == op.index())
            .expect("a known case");
        match op.recv(chans[lane]) {
            Ok(m) => seen.record(m, lane as u32),
            Err(_) => open[lane] = false,
        }
    }
    seen.got
}
