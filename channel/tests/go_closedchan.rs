//! Port of Go's `test/closedchan.go`: every operation on a closed channel,
//! for a synchronous (`bounded(0)`) and an asynchronous channel (Go's
//! `make(chan int, 2)` holding one message; here also `unbounded()`), in
//! every form the API offers: direct calls, one-case `select!`, a larger
//! `select!` whose other cases never fire, and the dynamic `Select`.
//!
//! Go's answers, translated:
//!
//! | Go on a closed channel                | here                                     |
//! |---------------------------------------|------------------------------------------|
//! | `<-c` yields the zero value           | `recv()` is `Err(RecvError)`             |
//! | `v, ok := <-c` yields `0, false`      | the same `Err` (no separate `ok` form)   |
//! | a non-blocking receive is *selected*  | `try_recv()` is `Err(Closed)`, a `select!` with `default` takes the receive case |
//! | `c <- v` panics                       | `send(v)` is `Err(SendError(v))`: the message is handed back |
//! | `close(c)` twice panics               | the second `close()` returns `false`     |
//! | `close(nil)` panics                   | `never().close()` leaves it never ready  |
//!
//! Go's file notes (as a TODO) that it does not check `close` with blocked
//! senders or receivers; the last tests here do.
#![cfg(not(gosync_loom))]

mod common;

use std::thread;
use std::time::Duration;

use common::{within, HANG};
use gosync_channel::{
    bounded, never, select, unbounded, Receiver, RecvTimeoutError, Select, SendTimeoutError,
    Sender, TryRecvError, TrySendError,
};

/// What a non-blocking send did.
#[derive(Debug, PartialEq, Eq)]
enum NbSend {
    Sent,
    WouldBlock,
    /// The channel is closed; the message is handed back.
    Closed(i32),
}

/// What a non-blocking receive did.
#[derive(Debug, PartialEq, Eq)]
enum NbRecv {
    Got(i32),
    WouldBlock,
    /// The receive was *selected* and reported the channel closed (Go:
    /// `0, false, selected == true`).
    Closed,
}

/// Go's `Chan` interface: one way of phrasing each operation. Go's `Recv`
/// and `Recv2` (`<-c` and `v, ok := <-c`) differ only in the `ok` result,
/// which every Rust receive carries, so here the two are two *different
/// API forms* of a blocking receive; likewise `Nbrecv` and `Nbrecv2`.
trait Ops {
    /// Go's `Impl()`, for failure messages.
    fn name(&self) -> &'static str;
    /// Blocking send; `Err` hands the message back (Go panics).
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32>;
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend;
    /// Blocking receive; `None` means closed.
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32>;
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32>;
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv;
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv;
}

/// Go's `XChan`: the channel's own methods.
struct Direct;

impl Ops for Direct {
    fn name(&self) -> &'static str {
        "direct: send/try_send, recv/iter/try_recv/recv_timeout(0)"
    }
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32> {
        tx.send(v).map_err(|e| e.into_inner())
    }
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend {
        match tx.try_send(v) {
            Ok(()) => NbSend::Sent,
            Err(TrySendError::Full(_)) => NbSend::WouldBlock,
            Err(TrySendError::Closed(v)) => NbSend::Closed(v),
        }
    }
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32> {
        rx.recv().ok()
    }
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32> {
        // Go's `for v := range c`: ends when the channel is closed.
        rx.iter().next()
    }
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv {
        match rx.try_recv() {
            Ok(v) => NbRecv::Got(v),
            Err(TryRecvError::Empty) => NbRecv::WouldBlock,
            Err(TryRecvError::Closed) => NbRecv::Closed,
        }
    }
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv {
        match rx.recv_timeout(Duration::ZERO) {
            Ok(v) => NbRecv::Got(v),
            Err(RecvTimeoutError::Timeout) => NbRecv::WouldBlock,
            Err(RecvTimeoutError::Closed) => NbRecv::Closed,
        }
    }
}

/// The timed methods, with a zero timeout for the non-blocking forms and
/// [`HANG`] for the blocking ones (not in Go, which has no timed channel
/// operations).
struct Timed;

impl Ops for Timed {
    fn name(&self) -> &'static str {
        "timed: send_timeout, recv_timeout, IntoIterator for &Receiver"
    }
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32> {
        match tx.send_timeout(v, HANG) {
            Ok(()) => Ok(()),
            Err(SendTimeoutError::Closed(v)) => Err(v),
            Err(SendTimeoutError::Timeout(_)) => panic!("send_timeout blocked for {HANG:?}"),
        }
    }
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend {
        match tx.send_timeout(v, Duration::ZERO) {
            Ok(()) => NbSend::Sent,
            Err(SendTimeoutError::Timeout(_)) => NbSend::WouldBlock,
            Err(SendTimeoutError::Closed(v)) => NbSend::Closed(v),
        }
    }
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32> {
        match rx.recv_timeout(HANG) {
            Ok(v) => Some(v),
            Err(RecvTimeoutError::Closed) => None,
            Err(RecvTimeoutError::Timeout) => panic!("recv_timeout blocked for {HANG:?}"),
        }
    }
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32> {
        rx.into_iter().next()
    }
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv {
        match rx.recv_timeout(Duration::from_millis(1)) {
            Ok(v) => NbRecv::Got(v),
            Err(RecvTimeoutError::Timeout) => NbRecv::WouldBlock,
            Err(RecvTimeoutError::Closed) => NbRecv::Closed,
        }
    }
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv {
        select! {
            recv(rx) -> msg => match msg {
                Ok(v) => NbRecv::Got(v),
                Err(_) => NbRecv::Closed,
            },
            default(Duration::ZERO) => NbRecv::WouldBlock,
        }
    }
}

/// Go's `SChan`: one-case selects (plus `default` for the non-blocking
/// forms; Go writes `default` first, the order does not matter).
struct OneCaseSelect;

impl Ops for OneCaseSelect {
    fn name(&self) -> &'static str {
        "one-case select!"
    }
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32> {
        select! {
            send(tx, v) -> res => res.map_err(|e| e.into_inner()),
        }
    }
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend {
        select! {
            send(tx, v) -> res => match res {
                Ok(()) => NbSend::Sent,
                Err(e) => NbSend::Closed(e.into_inner()),
            },
            default => NbSend::WouldBlock,
        }
    }
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32> {
        select! {
            recv(rx) -> msg => msg.ok(),
        }
    }
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32> {
        select! {
            recv(rx.clone()) -> msg => msg.ok(),
            default(HANG) => panic!("select! blocked for {HANG:?}"),
        }
    }
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv {
        select! {
            recv(rx) -> msg => match msg {
                Ok(v) => NbRecv::Got(v),
                Err(_) => NbRecv::Closed,
            },
            default => NbRecv::WouldBlock,
        }
    }
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv {
        let closed = select! {
            recv(rx) -> msg => match msg {
                Ok(v) => return NbRecv::Got(v),
                Err(_) => true,
            },
            default => false,
        };
        if closed {
            NbRecv::Closed
        } else {
            NbRecv::WouldBlock
        }
    }
}

/// Go's `SSChan`: larger selects whose extra cases are never ready. Go
/// adds a receive from an unbuffered channel nobody sends on; here also a
/// send on it (a select must not pair with itself), and a receive from
/// `never()` (Go's nil channel). Both ends of `dummy` stay alive: a
/// channel whose other side is gone is closed, hence ready.
struct LargerSelect {
    dummy_tx: Sender<bool>,
    dummy_rx: Receiver<bool>,
    nil: Receiver<bool>,
}

impl LargerSelect {
    fn new() -> Self {
        let (dummy_tx, dummy_rx) = bounded(0);
        Self {
            dummy_tx,
            dummy_rx,
            nil: never(),
        }
    }
}

impl Ops for LargerSelect {
    fn name(&self) -> &'static str {
        "select! with never-ready dummy cases"
    }
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32> {
        select! {
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
            send(tx, v) -> res => res.map_err(|e| e.into_inner()),
            recv(self.nil) -> _msg => panic!("nil receive fired"),
        }
    }
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend {
        select! {
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
            send(self.dummy_tx, true) -> _res => panic!("dummy send fired"),
            send(tx, v) -> res => match res {
                Ok(()) => NbSend::Sent,
                Err(e) => NbSend::Closed(e.into_inner()),
            },
            default => NbSend::WouldBlock,
        }
    }
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32> {
        select! {
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
            recv(rx) -> msg => msg.ok(),
        }
    }
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32> {
        select! {
            recv(self.nil) -> _msg => panic!("nil receive fired"),
            send(&self.dummy_tx, true) -> _res => panic!("dummy send fired"),
            recv(rx) -> msg => msg.ok(),
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
        }
    }
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv {
        select! {
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
            recv(rx) -> msg => match msg {
                Ok(v) => NbRecv::Got(v),
                Err(_) => NbRecv::Closed,
            },
            default => NbRecv::WouldBlock,
        }
    }
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv {
        select! {
            recv(self.dummy_rx) -> _msg => panic!("dummy receive fired"),
            send(self.dummy_tx, true) -> _res => panic!("dummy send fired"),
            recv(rx) -> msg => match msg {
                Ok(v) => NbRecv::Got(v),
                Err(_) => NbRecv::Closed,
            },
            recv(self.nil) -> _msg => panic!("nil receive fired"),
            default => NbRecv::WouldBlock,
        }
    }
}

/// The dynamic [`Select`] (Go's `reflect.Select` plays this part), with
/// a never-ready dummy case beside the real one.
struct Dynamic {
    dummy: LargerSelect,
}

impl Dynamic {
    fn recv_with(&self, rx: &Receiver<i32>, how: Wait) -> NbRecv {
        let mut sel = Select::new();
        let dummy = sel.recv(&self.dummy.dummy_rx);
        let nil = sel.recv(&self.dummy.nil);
        let real = sel.recv(rx);
        let op = match how {
            Wait::Block => sel.select(),
            Wait::Try => match sel.try_select() {
                Ok(op) => op,
                Err(_) => return NbRecv::WouldBlock,
            },
            Wait::Timeout(d) => match sel.select_timeout(d) {
                Ok(op) => op,
                Err(_) => return NbRecv::WouldBlock,
            },
        };
        assert_ne!(op.index(), dummy, "dummy receive fired");
        assert_ne!(op.index(), nil, "nil receive fired");
        assert_eq!(op.index(), real);
        match op.recv(rx) {
            Ok(v) => NbRecv::Got(v),
            Err(_) => NbRecv::Closed,
        }
    }

    fn send_with(&self, tx: &Sender<i32>, v: i32, how: Wait) -> NbSend {
        let mut sel = Select::new();
        let dummy = sel.send(&self.dummy.dummy_tx);
        let real = sel.send(tx);
        let op = match how {
            Wait::Block => sel.select(),
            Wait::Try => match sel.try_select() {
                Ok(op) => op,
                Err(_) => return NbSend::WouldBlock,
            },
            Wait::Timeout(d) => match sel.select_timeout(d) {
                Ok(op) => op,
                Err(_) => return NbSend::WouldBlock,
            },
        };
        assert_ne!(op.index(), dummy, "dummy send fired");
        assert_eq!(op.index(), real);
        match op.send(tx, v) {
            Ok(()) => NbSend::Sent,
            Err(e) => NbSend::Closed(e.into_inner()),
        }
    }
}

/// How a [`Dynamic`] operation waits.
#[derive(Clone, Copy)]
enum Wait {
    Block,
    Try,
    Timeout(Duration),
}

/// Unwraps the outcome of a blocking form.
fn blocking_recv(r: NbRecv) -> Option<i32> {
    match r {
        NbRecv::Got(v) => Some(v),
        NbRecv::Closed => None,
        NbRecv::WouldBlock => panic!("a blocking receive timed out"),
    }
}

impl Ops for Dynamic {
    fn name(&self) -> &'static str {
        "dynamic Select"
    }
    fn send(&self, tx: &Sender<i32>, v: i32) -> Result<(), i32> {
        match self.send_with(tx, v, Wait::Block) {
            NbSend::Sent => Ok(()),
            NbSend::Closed(v) => Err(v),
            NbSend::WouldBlock => unreachable!("Select::select returned no operation"),
        }
    }
    fn nbsend(&self, tx: &Sender<i32>, v: i32) -> NbSend {
        self.send_with(tx, v, Wait::Try)
    }
    fn recv(&self, rx: &Receiver<i32>) -> Option<i32> {
        blocking_recv(self.recv_with(rx, Wait::Block))
    }
    fn recv2(&self, rx: &Receiver<i32>) -> Option<i32> {
        blocking_recv(self.recv_with(rx, Wait::Timeout(HANG)))
    }
    fn nbrecv(&self, rx: &Receiver<i32>) -> NbRecv {
        self.recv_with(rx, Wait::Try)
    }
    fn nbrecv2(&self, rx: &Receiver<i32>) -> NbRecv {
        self.recv_with(rx, Wait::Timeout(Duration::ZERO))
    }
}

/// Go's `mks`: every way of phrasing the operations.
fn all_ops() -> Vec<Box<dyn Ops + Send>> {
    vec![
        Box::new(Direct),
        Box::new(Timed),
        Box::new(OneCaseSelect),
        Box::new(LargerSelect::new()),
        Box::new(Dynamic {
            dummy: LargerSelect::new(),
        }),
    ]
}

/// Which end calls `close()` (Go has one `close(c)`; here either end may).
#[derive(Debug, Clone, Copy)]
enum CloseBy {
    Sender,
    Receiver,
}

const CLOSERS: [CloseBy; 2] = [CloseBy::Sender, CloseBy::Receiver];

fn close(tx: &Sender<i32>, rx: &Receiver<i32>, by: CloseBy) {
    let closed_now = match by {
        CloseBy::Sender => tx.close(),
        CloseBy::Receiver => rx.close(),
    };
    assert!(closed_now, "the first close() must report that it closed");
}

/// Go's `closedsync`: an unbuffered channel, closed. Both ends are kept
/// (Go's channel value is both).
fn closed_sync(by: CloseBy) -> (Sender<i32>, Receiver<i32>) {
    let (tx, rx) = bounded(0);
    close(&tx, &rx, by);
    (tx, rx)
}

/// The asynchronous flavors of Go's `closedasync`.
#[derive(Debug, Clone, Copy)]
enum Async {
    /// Go's `make(chan int, 2)`.
    Bounded2,
    Unbounded,
}

/// Go's `closedasync`: an asynchronous channel holding `1`, closed.
fn closed_async(kind: Async, by: CloseBy) -> (Sender<i32>, Receiver<i32>) {
    let (tx, rx) = match kind {
        Async::Bounded2 => bounded(2),
        Async::Unbounded => unbounded(),
    };
    tx.send(1).unwrap();
    close(&tx, &rx, by);
    (tx, rx)
}

/// Go's `test1`: every operation on a closed channel that holds nothing.
fn test1(ops: &dyn Ops, tx: &Sender<i32>, rx: &Receiver<i32>, what: &str) {
    let name = ops.name();
    for round in 0..3 {
        assert_eq!(ops.recv(rx), None, "{what}/{name} round {round}: recv");
        assert_eq!(ops.recv2(rx), None, "{what}/{name} round {round}: recv2");
        // Received without blocking: the receive case was selected.
        assert_eq!(
            ops.nbrecv(rx),
            NbRecv::Closed,
            "{what}/{name} round {round}: nbrecv"
        );
        assert_eq!(
            ops.nbrecv2(rx),
            NbRecv::Closed,
            "{what}/{name} round {round}: nbrecv2"
        );
    }

    // Go: a non-blocking send on a closed channel panics. Here it fails
    // and hands the message back...
    assert_eq!(
        ops.nbsend(tx, 1),
        NbSend::Closed(1),
        "{what}/{name}: nbsend"
    );
    // ...and the message was not enqueued.
    assert_eq!(
        ops.recv(rx),
        None,
        "{what}/{name}: recv after nbsend on closed"
    );

    // Similarly a blocking send.
    assert_eq!(ops.send(tx, 2), Err(2), "{what}/{name}: send");
    assert_eq!(
        ops.recv(rx),
        None,
        "{what}/{name}: recv after send on closed"
    );

    // Nothing changed the channel's state.
    assert!(tx.is_closed() && rx.is_closed(), "{what}/{name}: is_closed");
    assert!(rx.is_empty(), "{what}/{name}: is_empty");
    assert_eq!(rx.len(), 0, "{what}/{name}: len");
}

/// Go: `test1(mk(closedsync()))` for every `mk`, closed from either end.
#[test]
fn closed_sync_channel_every_operation() {
    within(HANG, || {
        for ops in all_ops() {
            for by in CLOSERS {
                let (tx, rx) = closed_sync(by);
                test1(&*ops, &tx, &rx, &format!("sync, closed by {by:?}"));
            }
        }
    });
}

/// Go's `testasyncN` driver: `first` takes the buffered `1` off a closed
/// asynchronous channel, then `test1` checks the drained channel.
fn async_then_test1(first: impl Fn(&dyn Ops, &Receiver<i32>, &str) + Send + 'static) {
    within(HANG, move || {
        for ops in all_ops() {
            for kind in [Async::Bounded2, Async::Unbounded] {
                for by in CLOSERS {
                    let what = format!("async {kind:?}, closed by {by:?}");
                    let (tx, rx) = closed_async(kind, by);
                    assert_eq!(rx.len(), 1, "{what}: len of the closed channel");
                    first(&*ops, &rx, &what);
                    test1(&*ops, &tx, &rx, &what);
                }
            }
        }
    });
}

/// Go: `testasync1`, the buffered value via `Recv`, then `test1`.
#[test]
fn closed_async_channel_recv_drains_then_every_operation() {
    async_then_test1(|ops, rx, what| {
        assert_eq!(ops.recv(rx), Some(1), "{what}/{}: recv", ops.name());
    });
}

/// Go: `testasync2`, the buffered value via `Recv2`, then `test1`.
#[test]
fn closed_async_channel_recv2_drains_then_every_operation() {
    async_then_test1(|ops, rx, what| {
        assert_eq!(ops.recv2(rx), Some(1), "{what}/{}: recv2", ops.name());
    });
}

/// Go: `testasync3`, the buffered value via `Nbrecv`, then `test1`.
#[test]
fn closed_async_channel_nbrecv_drains_then_every_operation() {
    async_then_test1(|ops, rx, what| {
        assert_eq!(
            ops.nbrecv(rx),
            NbRecv::Got(1),
            "{what}/{}: nbrecv",
            ops.name()
        );
    });
}

/// Go: `testasync4`, the buffered value via `Nbrecv2`, then `test1`.
#[test]
fn closed_async_channel_nbrecv2_drains_then_every_operation() {
    async_then_test1(|ops, rx, what| {
        assert_eq!(
            ops.nbrecv2(rx),
            NbRecv::Got(1),
            "{what}/{}: nbrecv2",
            ops.name()
        );
    });
}

/// Go: `close(ch)` on a closed channel panics. Here the second (and every
/// later) `close()` returns `false`, from either end, and changes nothing.
#[test]
fn close_of_closed_channel_returns_false() {
    for first in CLOSERS {
        for second in CLOSERS {
            for (tx, rx) in [bounded::<i32>(0), bounded(2), unbounded()] {
                close(&tx, &rx, first);
                let again = match second {
                    CloseBy::Sender => tx.close(),
                    CloseBy::Receiver => rx.close(),
                };
                assert!(!again, "close after {first:?} by {second:?} returned true");
                assert!(!tx.close() && !rx.close());
                assert!(tx.is_closed() && rx.is_closed());
                assert!(matches!(rx.try_recv(), Err(TryRecvError::Closed)));
                assert!(matches!(tx.try_send(3), Err(TrySendError::Closed(3))));
            }
        }
    }
}

/// Go: `close(ch)` on a nil channel panics. `never()` is Go's nil channel
/// and only ever has a receiving end; closing it must not make it ready
/// (it is never ready, never closed).
#[test]
fn close_of_nil_channel_leaves_it_never_ready() {
    let nil = never::<i32>();
    let _ = nil.close();
    let _ = nil.close();
    assert!(matches!(nil.try_recv(), Err(TryRecvError::Empty)));
    assert!(matches!(
        nil.recv_timeout(Duration::from_millis(10)),
        Err(RecvTimeoutError::Timeout)
    ));
    let fired = select! {
        recv(nil) -> _msg => true,
        default => false,
    };
    assert!(!fired, "a receive from never() fired after close()");
}

// ---------------------------------------------------------------------
// Go's TODO: close with blocked senders / receivers. Each outcome below
// is the same however the threads interleave with `close`: a receiver of
// an empty channel can only end by seeing it closed, and a sender to a
// full (or unbuffered, receiver-less) channel can only end by failing.
// ---------------------------------------------------------------------

/// Every flavor, empty.
fn empty_channels() -> Vec<(&'static str, Sender<i32>, Receiver<i32>)> {
    let (t0, r0) = bounded(0);
    let (t2, r2) = bounded(2);
    let (tu, ru) = unbounded();
    vec![
        ("bounded(0)", t0, r0),
        ("bounded(2)", t2, r2),
        ("unbounded", tu, ru),
    ]
}

/// Beyond Go's file: `close` wakes every blocked receiver, whatever form
/// it blocks in, and each sees the channel closed.
#[test]
fn close_wakes_blocked_receivers() {
    within(HANG, || {
        for by in CLOSERS {
            for (what, tx, rx) in empty_channels() {
                thread::scope(|s| {
                    let mut waiters = Vec::new();
                    for ops in all_ops() {
                        let rx = rx.clone();
                        waiters.push(s.spawn(move || (ops.name(), ops.recv(&rx), ops.recv2(&rx))));
                    }
                    close(&tx, &rx, by);
                    for w in waiters {
                        let (name, first, second) = w.join().unwrap();
                        assert_eq!(first, None, "{what}, {by:?}, {name}: recv");
                        assert_eq!(second, None, "{what}, {by:?}, {name}: recv2");
                    }
                });
            }
        }
    });
}

/// Beyond Go's file (where such a sender panics): `close` fails every
/// blocked sender, whatever form it blocks in, handing each its own
/// message back; nothing reaches the buffer.
#[test]
fn close_fails_blocked_senders() {
    within(HANG, || {
        for (cap, by) in [0, 2]
            .into_iter()
            .flat_map(|cap| CLOSERS.map(|by| (cap, by)))
        {
            let (tx, rx) = bounded::<i32>(cap);
            for i in 0..cap {
                tx.send(-1 - i as i32).unwrap(); // fill it: every send now blocks
            }
            thread::scope(|s| {
                let mut senders = Vec::new();
                for (k, ops) in all_ops().into_iter().enumerate() {
                    let tx = tx.clone();
                    senders.push(s.spawn(move || {
                        let value = 100 + k as i32;
                        (ops.name(), value, ops.send(&tx, value))
                    }));
                }
                close(&tx, &rx, by);
                for h in senders {
                    let (name, value, res) = h.join().unwrap();
                    assert_eq!(res, Err(value), "bounded({cap}), {by:?}, {name}");
                }
            });
            // The buffered messages are still there, in order, then closed.
            let drained: Vec<i32> = rx.iter().collect();
            let expected: Vec<i32> = (0..cap).map(|i| -1 - i as i32).collect();
            assert_eq!(drained, expected, "bounded({cap}), {by:?}");
        }
    });
}

/// Beyond Go's file: `close` wakes a select blocked on the channel, in
/// either direction, and the woken case reports the closed channel. (Two
/// channels, so that the two selects cannot pair with each other.)
#[test]
fn close_wakes_blocked_selects() {
    within(HANG, || {
        let (recv_tx, recv_rx) = bounded::<i32>(0);
        let (send_tx, send_rx) = bounded::<i32>(0);
        let (other_tx, other_rx) = bounded::<i32>(0);
        thread::scope(|s| {
            let receiver = s.spawn(|| {
                select! {
                    recv(other_rx) -> _msg => panic!("other channel fired"),
                    recv(recv_rx) -> msg => msg.is_err(),
                }
            });
            let sender = s.spawn(|| {
                select! {
                    recv(other_rx) -> _msg => panic!("other channel fired"),
                    send(send_tx, 5) -> res => res.map_err(|e| e.into_inner()),
                }
            });
            assert!(recv_tx.close());
            assert!(send_rx.close());
            assert!(receiver.join().unwrap(), "receive case saw no close");
            assert_eq!(sender.join().unwrap(), Err(5));
        });
        drop(other_tx);
    });
}
