//! Model-based test: random single-threaded sequences of every
//! non-blocking operation (`try_send`, `try_recv`, zero-timeout
//! `send_timeout`/`recv_timeout`, the blocking `send`/`recv` when the model
//! says they cannot block, `try_iter`, `close` from either side, the state
//! queries, cloning and dropping handles of both sides), checked after every
//! step against a `VecDeque` plus a closed flag, per flavor. Messages are
//! drop-counted: after every step exactly the messages the model holds are
//! alive (a failed send hands its message back, a received message is the
//! model's front one, the last receiver's drop frees the buffer at once),
//! and once every handle is gone everything was dropped exactly once.
//!
//! Unbuffered (`bounded(0)`) on one thread can never pair: every `try_send`
//! is `Full` (or `Closed`), every `try_recv` `Empty` (or `Closed`).
#![cfg(not(gosync_loom))]
// Proptest is slow under Miri and the behaviour tests cover the same paths.
#![cfg(not(miri))]

mod common;

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use common::{Counted, Ledger};
use gosync_channel::{
    bounded, unbounded, Receiver, RecvTimeoutError, SendTimeoutError, Sender, TryRecvError,
    TrySendError,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// At most this many ops per case, so at most this many messages.
const MAX_OPS: usize = 64;

#[derive(Debug, Clone)]
enum Op {
    TrySend(usize),
    SendTimeoutZero(usize),
    /// `send`, only when the model says it returns at once.
    SendIfWontBlock(usize),
    TryRecv(usize),
    RecvTimeoutZero(usize),
    /// `recv`, only when the model says it returns at once.
    RecvIfWontBlock(usize),
    TryIter(usize),
    CloseSender(usize),
    CloseReceiver(usize),
    /// `len`, `is_empty`, `is_full`, `capacity`, `is_closed` on every handle.
    Query,
    CloneSender(usize),
    DropSender(usize),
    CloneReceiver(usize),
    DropReceiver(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let h = 0usize..8;
    prop_oneof![
        8 => h.clone().prop_map(Op::TrySend),
        3 => h.clone().prop_map(Op::SendTimeoutZero),
        3 => h.clone().prop_map(Op::SendIfWontBlock),
        6 => h.clone().prop_map(Op::TryRecv),
        3 => h.clone().prop_map(Op::RecvTimeoutZero),
        3 => h.clone().prop_map(Op::RecvIfWontBlock),
        1 => h.clone().prop_map(Op::TryIter),
        1 => h.clone().prop_map(Op::CloseSender),
        1 => h.clone().prop_map(Op::CloseReceiver),
        2 => Just(Op::Query),
        2 => h.clone().prop_map(Op::CloneSender),
        2 => h.clone().prop_map(Op::DropSender),
        2 => h.clone().prop_map(Op::CloneReceiver),
        2 => h.prop_map(Op::DropReceiver),
    ]
}

/// The channel as Go defines it.
#[derive(Debug)]
struct Model {
    cap: Option<usize>,
    /// Ledger ids of the buffered messages, oldest first.
    queue: VecDeque<usize>,
    /// Closed by a `close()`, or by the last sender's or receiver's drop.
    closed: bool,
}

impl Model {
    fn has_room(&self) -> bool {
        self.cap.map_or(true, |c| self.queue.len() < c)
    }
}

struct Harness {
    ledger: Arc<Ledger>,
    model: Model,
    senders: Vec<Sender<Counted>>,
    receivers: Vec<Receiver<Counted>>,
}

impl Harness {
    fn new(cap: Option<usize>) -> Self {
        let (tx, rx) = match cap {
            Some(n) => bounded(n),
            None => unbounded(),
        };
        Self {
            ledger: Ledger::new(),
            model: Model {
                cap,
                queue: VecDeque::new(),
                closed: false,
            },
            senders: vec![tx],
            receivers: vec![rx],
        }
    }

    /// Sends fail: closed (by a `close`, or by the last sender's or the
    /// last receiver's drop).
    fn sends_fail(&self) -> bool {
        self.model.closed
    }

    /// A fresh message; returns it and its ledger id.
    fn message(&self) -> (Counted, usize) {
        let m = Counted::new(&self.ledger, self.ledger.created() as u64);
        let id = m.id();
        (m, id)
    }

    fn sender(&self, i: usize) -> Option<&Sender<Counted>> {
        (!self.senders.is_empty()).then(|| &self.senders[i % self.senders.len()])
    }

    fn receiver(&self, i: usize) -> Option<&Receiver<Counted>> {
        (!self.receivers.is_empty()).then(|| &self.receivers[i % self.receivers.len()])
    }

    /// A received message must be the model's oldest, intact.
    fn check_received(&mut self, m: &Counted) -> Result<(), TestCaseError> {
        m.assert_intact();
        let front = self.model.queue.pop_front();
        prop_assert_eq!(Some(m.id()), front, "received out of order");
        Ok(())
    }

    /// A message handed back by a failed send must be the one sent.
    fn check_back(m: &Counted, id: usize) -> Result<(), TestCaseError> {
        m.assert_intact();
        prop_assert_eq!(m.id(), id, "a failed send gave back another message");
        Ok(())
    }

    /// What a non-blocking receive must answer when the queue is empty:
    /// closed (after the buffer drained) or empty.
    fn empty_is_closed(&self) -> bool {
        self.model.closed
    }

    fn step(&mut self, op: Op) -> Result<(), TestCaseError> {
        match op {
            Op::TrySend(i) => {
                let Some(tx) = self.sender(i) else {
                    return Ok(());
                };
                let (m, id) = self.message();
                let result = tx.try_send(m);
                if self.sends_fail() {
                    match result {
                        Err(TrySendError::Closed(back)) => Self::check_back(&back, id)?,
                        other => prop_assert!(false, "try_send when closed: {:?}", other),
                    }
                } else if self.model.has_room() {
                    prop_assert!(result.is_ok(), "try_send with room: {:?}", result);
                    self.model.queue.push_back(id);
                } else {
                    match result {
                        Err(TrySendError::Full(back)) => Self::check_back(&back, id)?,
                        other => prop_assert!(false, "try_send when full: {:?}", other),
                    }
                }
            }
            Op::SendTimeoutZero(i) => {
                let Some(tx) = self.sender(i) else {
                    return Ok(());
                };
                let (m, id) = self.message();
                let result = tx.send_timeout(m, Duration::ZERO);
                if self.sends_fail() {
                    match result {
                        Err(SendTimeoutError::Closed(back)) => Self::check_back(&back, id)?,
                        other => prop_assert!(false, "send_timeout when closed: {:?}", other),
                    }
                } else if self.model.has_room() {
                    prop_assert!(result.is_ok(), "send_timeout with room: {:?}", result);
                    self.model.queue.push_back(id);
                } else {
                    match result {
                        Err(SendTimeoutError::Timeout(back)) => Self::check_back(&back, id)?,
                        other => prop_assert!(false, "send_timeout when full: {:?}", other),
                    }
                }
            }
            Op::SendIfWontBlock(i) => {
                let Some(tx) = self.sender(i) else {
                    return Ok(());
                };
                if self.sends_fail() {
                    let (m, id) = self.message();
                    match tx.send(m) {
                        Err(e) => Self::check_back(&e.into_inner(), id)?,
                        Ok(()) => prop_assert!(false, "send on a closed channel succeeded"),
                    }
                } else if self.model.has_room() {
                    let (m, id) = self.message();
                    prop_assert!(tx.send(m).is_ok());
                    self.model.queue.push_back(id);
                }
            }
            Op::TryRecv(i) => {
                let Some(rx) = self.receiver(i) else {
                    return Ok(());
                };
                match rx.try_recv() {
                    Ok(m) => self.check_received(&m)?,
                    Err(e) => {
                        prop_assert!(self.model.queue.is_empty(), "try_recv: {:?}", e);
                        let closed = matches!(e, TryRecvError::Closed);
                        prop_assert_eq!(closed, self.empty_is_closed(), "try_recv: {:?}", e);
                    }
                }
            }
            Op::RecvTimeoutZero(i) => {
                let Some(rx) = self.receiver(i) else {
                    return Ok(());
                };
                match rx.recv_timeout(Duration::ZERO) {
                    Ok(m) => self.check_received(&m)?,
                    Err(e) => {
                        prop_assert!(self.model.queue.is_empty(), "recv_timeout: {:?}", e);
                        let closed = matches!(e, RecvTimeoutError::Closed);
                        prop_assert_eq!(closed, self.empty_is_closed(), "recv_timeout: {:?}", e);
                    }
                }
            }
            Op::RecvIfWontBlock(i) => {
                let Some(rx) = self.receiver(i) else {
                    return Ok(());
                };
                if !self.model.queue.is_empty() {
                    let m = rx.recv();
                    prop_assert!(m.is_ok(), "recv with a buffered message");
                    self.check_received(&m.unwrap())?;
                } else if self.model.closed {
                    prop_assert!(rx.recv().is_err(), "recv on a closed, drained channel");
                }
            }
            Op::TryIter(i) => {
                let Some(rx) = self.receiver(i) else {
                    return Ok(());
                };
                let got: Vec<Counted> = rx.try_iter().collect();
                prop_assert_eq!(got.len(), self.model.queue.len(), "try_iter takes all");
                for m in &got {
                    self.check_received(m)?;
                }
            }
            Op::CloseSender(i) => {
                let Some(tx) = self.sender(i) else {
                    return Ok(());
                };
                let closed = tx.close();
                prop_assert_eq!(closed, !self.model.closed, "Sender::close");
                self.model.closed = true;
            }
            Op::CloseReceiver(i) => {
                let Some(rx) = self.receiver(i) else {
                    return Ok(());
                };
                let closed = rx.close();
                prop_assert_eq!(closed, !self.model.closed, "Receiver::close");
                self.model.closed = true;
            }
            Op::Query => {
                let len = self.model.queue.len();
                let full = self.model.cap == Some(len);
                for (what, l, e, f, c, closed) in self
                    .senders
                    .iter()
                    .map(|h| {
                        let s = (h.len(), h.is_empty(), h.is_full(), h.capacity());
                        ("sender", s.0, s.1, s.2, s.3, h.is_closed())
                    })
                    .chain(self.receivers.iter().map(|h| {
                        let s = (h.len(), h.is_empty(), h.is_full(), h.capacity());
                        ("receiver", s.0, s.1, s.2, s.3, h.is_closed())
                    }))
                {
                    prop_assert_eq!(l, len, "{} len", what);
                    prop_assert_eq!(e, len == 0, "{} is_empty", what);
                    prop_assert_eq!(f, full, "{} is_full", what);
                    prop_assert_eq!(c, self.model.cap, "{} capacity", what);
                    prop_assert_eq!(closed, self.model.closed, "{} is_closed", what);
                }
            }
            Op::CloneSender(i) => {
                if let Some(tx) = self.sender(i) {
                    let tx = tx.clone();
                    self.senders.push(tx);
                }
            }
            Op::DropSender(i) => {
                if !self.senders.is_empty() {
                    let n = self.senders.len();
                    drop(self.senders.swap_remove(i % n));
                    if self.senders.is_empty() {
                        self.model.closed = true;
                    }
                }
            }
            Op::CloneReceiver(i) => {
                if let Some(rx) = self.receiver(i) {
                    let rx = rx.clone();
                    self.receivers.push(rx);
                }
            }
            Op::DropReceiver(i) => {
                if !self.receivers.is_empty() {
                    let n = self.receivers.len();
                    drop(self.receivers.swap_remove(i % n));
                    if self.receivers.is_empty() {
                        // The last receiver's drop closes the channel and
                        // drops the buffer at once.
                        self.model.queue.clear();
                        self.model.closed = true;
                    }
                }
            }
        }
        self.check()
    }

    /// After every step: exactly the messages in the model are alive.
    fn check(&self) -> Result<(), TestCaseError> {
        self.ledger.assert_no_double_drop();
        let mut want: Vec<usize> = self.model.queue.iter().copied().collect();
        want.sort_unstable();
        prop_assert_eq!(
            self.ledger.alive(),
            want,
            "alive messages differ from the model's buffer {:?}",
            self.model
        );
        Ok(())
    }
}

fn run(cap: Option<usize>, ops: Vec<Op>) -> Result<(), TestCaseError> {
    let mut h = Harness::new(cap);
    for op in ops {
        h.step(op)?;
    }
    let Harness {
        ledger,
        senders,
        receivers,
        ..
    } = h;
    drop(senders);
    drop(receivers);
    ledger.assert_all_dropped_once();
    Ok(())
}

fn config() -> Config {
    Config {
        cases: 256,
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn matches_a_vecdeque_model_bounded_0(ops in prop::collection::vec(op(), 0..MAX_OPS)) {
        run(Some(0), ops)?;
    }

    #[test]
    fn matches_a_vecdeque_model_bounded_1(ops in prop::collection::vec(op(), 0..MAX_OPS)) {
        run(Some(1), ops)?;
    }

    #[test]
    fn matches_a_vecdeque_model_bounded_3(ops in prop::collection::vec(op(), 0..MAX_OPS)) {
        run(Some(3), ops)?;
    }

    #[test]
    fn matches_a_vecdeque_model_bounded_1_to_4(
        cap in 1usize..=4,
        ops in prop::collection::vec(op(), 0..MAX_OPS),
    ) {
        run(Some(cap), ops)?;
    }

    #[test]
    fn matches_a_vecdeque_model_unbounded(ops in prop::collection::vec(op(), 0..MAX_OPS)) {
        run(None, ops)?;
    }
}
