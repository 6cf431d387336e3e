//! `gosync_channel` against `crossbeam-channel`, `flume`, `kanal` (its
//! blocking API) and `std::sync::mpsc`, one criterion group per workload and
//! one function per implementation; `benches/go/chan_bench_test.go` runs the
//! same workloads on Go's `chan`. Every message is a `u64`.
//!
//! Three families of workloads (`benches/README.md` defines each one):
//!
//! * **crossbeam-channel's suite** (the workloads of its `benchmarks/`
//!   directory, rewritten for criterion): `seq`, `spsc`, `mpsc`, `mpmc`,
//!   `select_rx` and `select_both`, each on `bounded(0)`, `bounded(1)`,
//!   `bounded(N)` and `unbounded` (`seq` only on the last two: it would block
//!   on the first two). Groups `Chan<Kind>_<threads>T_<Flavor>`, e.g.
//!   `ChanMpsc_4T_Bounded0`. One operation is one message; the time is wall
//!   time over the messages. `bounded(N)`, as in crossbeam's suite, has room
//!   for every message, so it never fills: a run is split into rounds of at
//!   most [`ROUND`] messages, each on a fresh channel of capacity = the
//!   round's messages, built (and its threads started) off the clock.
//!   The contended workloads use 2 threads (`spsc`) or 4 threads on the 2
//!   cores (`mpsc`: 3 producers and 1 consumer; `mpmc`: 2 and 2;
//!   `select_rx`: 3 producers, a channel each, and 1 consumer selecting over
//!   the 3; `select_both`: 2 producers selecting a send over 2 channels and 2
//!   consumers selecting a receive over the same 2): those are
//!   **oversubscribed** (`4T` in the group name).
//! * **Ping-pong** (`ChanPingPong_2T_Bounded0`, `..._Bounded1`): two threads
//!   bounce a value over two channels; one operation is one round trip. The
//!   group's `atomic_floor` function is the hardware floor: the same round
//!   trip through one `AtomicU64` that the two threads take turns to bump,
//!   spinning in between, each pinned to its own CPU.
//! * **Go's `runtime/chan_test.go` benchmarks** (`ChanNonblocking`,
//!   `ChanUncontended`, `ChanContended`, `ChanSync`, `ChanProdCons0/10/100`,
//!   `SelectUncontended`, `SelectProdCons`, `ChanClosed`, `ChanPopular`),
//!   each group named after Go's benchmark; Go's `b.RunParallel` with
//!   `-cpu 2` is 2 threads sharing the operations, and the time is Go's
//!   ns/op: wall time over the operations of all threads.
//!
//! Implementations: `gosync`, `crossbeam` (`crossbeam_channel`), `flume`,
//! `kanal` and `std_mpsc` (`sync_channel(cap)` for bounded flavors,
//! `channel()` for unbounded). A function is missing from a group when the
//! implementation cannot express the workload: `std_mpsc` wherever two
//! threads receive from one channel (its `Receiver` is neither `Clone` nor
//! `Sync`) or a select is needed; `kanal` wherever a select is needed (it has
//! none). Selects use `gosync_channel::select!`, `crossbeam_channel::select!`
//! and `flume::Selector`. `flume` is also left out of `select_both` (every
//! flavor) and `SelectProdCons`, where several threads select on the same
//! channels from both sides: there its `Selector` (0.12) loses wake-ups (a
//! thread stays parked while a message is ready) and the run hangs.
//!
//! Timing is the suite harness's: threads are started and channels built off
//! the clock, the threads meet at a start barrier, and the measured span runs
//! from the earliest thread's start to the latest thread's end
//! (`gosync_benches::harness::run_parallel`). Every received value goes
//! through [`black_box`].

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use crossbeam_utils::CachePadded;
use gosync_benches::harness::{
    benchmark_group_timed, run_parallel, scale, share, spin_until, Timing,
};
use gosync_benches::work::local_work;

/// The message of every workload (Go's: `int`).
type Msg = u64;

/// The most messages one `bounded(N)` round sends: the capacity of its
/// channel (module docs).
const ROUND: u64 = 1 << 18;

/// What a non-blocking receive found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TryRecv {
    Msg(Msg),
    Empty,
    Closed,
}

/// One channel implementation: what every workload needs from it.
trait Chan: 'static {
    type Tx: Clone + Send + Sync + 'static;
    type Rx: Send + 'static;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx);
    fn unbounded() -> (Self::Tx, Self::Rx);
    /// A blocking send; panics if the channel is closed (no workload closes
    /// a channel it sends on).
    fn send(tx: &Self::Tx, msg: Msg);
    /// A blocking receive; panics if the channel is closed.
    fn recv(rx: &Self::Rx) -> Msg;
    fn try_recv(rx: &Self::Rx) -> TryRecv;
}

/// An implementation whose receivers several threads can share.
trait Mpmc: Chan<Rx: Clone + Sync> {}

/// An implementation with a select. Every method is one select statement.
trait Select: Mpmc {
    /// Go's `time.After(time.Hour)`: a channel that does not fire during a
    /// benchmark.
    type Timer;
    fn hour_timer() -> Self::Timer;
    /// `select { recv(a), recv(b) }`: which case fired, and its message.
    fn select_recv2(rx: [&Self::Rx; 2]) -> (usize, Msg);
    /// `select { recv(a), recv(b), recv(c) }`.
    fn select_recv3(rx: [&Self::Rx; 3]) -> (usize, Msg);
    /// `select { send(a, msg), send(b, msg) }`: which case fired.
    fn select_send2(tx: [&Self::Tx; 2], msg: Msg) -> usize;
    /// `select { send(tx, msg), recv(timer), recv(close) }` (Go's
    /// `SelectProdCons` producer).
    fn send_or_timer_or_close(tx: &Self::Tx, msg: Msg, timer: &Self::Timer, close: &Self::Rx);
    /// `select { recv(rx), recv(timer), recv(close) }` (Go's
    /// `SelectProdCons` consumer): the message, if `rx` fired.
    fn recv_or_timer_or_close(rx: &Self::Rx, timer: &Self::Timer, close: &Self::Rx) -> Option<Msg>;
}

/// `gosync`: `gosync_channel`.
struct Gosync;

impl Chan for Gosync {
    type Tx = gosync_channel::Sender<Msg>;
    type Rx = gosync_channel::Receiver<Msg>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        gosync_channel::bounded(cap)
    }
    fn unbounded() -> (Self::Tx, Self::Rx) {
        gosync_channel::unbounded()
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) {
        tx.send(msg).expect("gosync: send on a closed channel");
    }
    #[inline]
    fn recv(rx: &Self::Rx) -> Msg {
        rx.recv().expect("gosync: receive on a closed channel")
    }
    #[inline]
    fn try_recv(rx: &Self::Rx) -> TryRecv {
        match rx.try_recv() {
            Ok(msg) => TryRecv::Msg(msg),
            Err(gosync_channel::TryRecvError::Empty) => TryRecv::Empty,
            Err(_) => TryRecv::Closed,
        }
    }
}

impl Mpmc for Gosync {}

impl Select for Gosync {
    type Timer = gosync_channel::Receiver<Instant>;
    fn hour_timer() -> Self::Timer {
        gosync_channel::after(Duration::from_secs(3600))
    }
    #[inline]
    fn select_recv2(rx: [&Self::Rx; 2]) -> (usize, Msg) {
        gosync_channel::select! {
            recv(rx[0]) -> msg => (0, msg.expect("gosync: closed")),
            recv(rx[1]) -> msg => (1, msg.expect("gosync: closed")),
        }
    }
    #[inline]
    fn select_recv3(rx: [&Self::Rx; 3]) -> (usize, Msg) {
        gosync_channel::select! {
            recv(rx[0]) -> msg => (0, msg.expect("gosync: closed")),
            recv(rx[1]) -> msg => (1, msg.expect("gosync: closed")),
            recv(rx[2]) -> msg => (2, msg.expect("gosync: closed")),
        }
    }
    #[inline]
    fn select_send2(tx: [&Self::Tx; 2], msg: Msg) -> usize {
        gosync_channel::select! {
            send(tx[0], msg) -> res => {
                res.expect("gosync: closed");
                0
            },
            send(tx[1], msg) -> res => {
                res.expect("gosync: closed");
                1
            },
        }
    }
    #[inline]
    fn send_or_timer_or_close(tx: &Self::Tx, msg: Msg, timer: &Self::Timer, close: &Self::Rx) {
        gosync_channel::select! {
            send(tx, msg) -> res => res.expect("gosync: closed"),
            recv(timer) -> _ => {},
            recv(close) -> _ => {},
        }
    }
    #[inline]
    fn recv_or_timer_or_close(rx: &Self::Rx, timer: &Self::Timer, close: &Self::Rx) -> Option<Msg> {
        gosync_channel::select! {
            recv(rx) -> msg => Some(msg.expect("gosync: closed")),
            recv(timer) -> _ => None,
            recv(close) -> _ => None,
        }
    }
}

/// `crossbeam`: `crossbeam_channel`.
struct Crossbeam;

impl Chan for Crossbeam {
    type Tx = crossbeam_channel::Sender<Msg>;
    type Rx = crossbeam_channel::Receiver<Msg>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        crossbeam_channel::bounded(cap)
    }
    fn unbounded() -> (Self::Tx, Self::Rx) {
        crossbeam_channel::unbounded()
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) {
        tx.send(msg).expect("crossbeam: send on a closed channel");
    }
    #[inline]
    fn recv(rx: &Self::Rx) -> Msg {
        rx.recv().expect("crossbeam: receive on a closed channel")
    }
    #[inline]
    fn try_recv(rx: &Self::Rx) -> TryRecv {
        match rx.try_recv() {
            Ok(msg) => TryRecv::Msg(msg),
            Err(crossbeam_channel::TryRecvError::Empty) => TryRecv::Empty,
            Err(crossbeam_channel::TryRecvError::Disconnected) => TryRecv::Closed,
        }
    }
}

impl Mpmc for Crossbeam {}

impl Select for Crossbeam {
    type Timer = crossbeam_channel::Receiver<Instant>;
    fn hour_timer() -> Self::Timer {
        crossbeam_channel::after(Duration::from_secs(3600))
    }
    #[inline]
    fn select_recv2(rx: [&Self::Rx; 2]) -> (usize, Msg) {
        crossbeam_channel::select! {
            recv(rx[0]) -> msg => (0, msg.expect("crossbeam: closed")),
            recv(rx[1]) -> msg => (1, msg.expect("crossbeam: closed")),
        }
    }
    #[inline]
    fn select_recv3(rx: [&Self::Rx; 3]) -> (usize, Msg) {
        crossbeam_channel::select! {
            recv(rx[0]) -> msg => (0, msg.expect("crossbeam: closed")),
            recv(rx[1]) -> msg => (1, msg.expect("crossbeam: closed")),
            recv(rx[2]) -> msg => (2, msg.expect("crossbeam: closed")),
        }
    }
    #[inline]
    fn select_send2(tx: [&Self::Tx; 2], msg: Msg) -> usize {
        crossbeam_channel::select! {
            send(tx[0], msg) -> res => {
                res.expect("crossbeam: closed");
                0
            },
            send(tx[1], msg) -> res => {
                res.expect("crossbeam: closed");
                1
            },
        }
    }
    #[inline]
    fn send_or_timer_or_close(tx: &Self::Tx, msg: Msg, timer: &Self::Timer, close: &Self::Rx) {
        crossbeam_channel::select! {
            send(tx, msg) -> res => res.expect("crossbeam: closed"),
            recv(timer) -> _ => {},
            recv(close) -> _ => {},
        }
    }
    #[inline]
    fn recv_or_timer_or_close(rx: &Self::Rx, timer: &Self::Timer, close: &Self::Rx) -> Option<Msg> {
        crossbeam_channel::select! {
            recv(rx) -> msg => Some(msg.expect("crossbeam: closed")),
            recv(timer) -> _ => None,
            recv(close) -> _ => None,
        }
    }
}

/// `flume`.
struct Flume;

impl Chan for Flume {
    type Tx = flume::Sender<Msg>;
    type Rx = flume::Receiver<Msg>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        flume::bounded(cap)
    }
    fn unbounded() -> (Self::Tx, Self::Rx) {
        flume::unbounded()
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) {
        tx.send(msg).expect("flume: send on a closed channel");
    }
    #[inline]
    fn recv(rx: &Self::Rx) -> Msg {
        rx.recv().expect("flume: receive on a closed channel")
    }
    #[inline]
    fn try_recv(rx: &Self::Rx) -> TryRecv {
        match rx.try_recv() {
            Ok(msg) => TryRecv::Msg(msg),
            Err(flume::TryRecvError::Empty) => TryRecv::Empty,
            Err(flume::TryRecvError::Disconnected) => TryRecv::Closed,
        }
    }
}

impl Mpmc for Flume {}

impl Select for Flume {
    /// flume has no timer channel: an idle channel (its sender kept, never
    /// used) stands in for Go's `time.After(time.Hour)`, which does not fire
    /// during the benchmark either.
    type Timer = (flume::Sender<Instant>, flume::Receiver<Instant>);
    fn hour_timer() -> Self::Timer {
        flume::bounded(1)
    }
    #[inline]
    fn select_recv2(rx: [&Self::Rx; 2]) -> (usize, Msg) {
        flume::Selector::new()
            .recv(rx[0], |msg| (0, msg.expect("flume: closed")))
            .recv(rx[1], |msg| (1, msg.expect("flume: closed")))
            .wait()
    }
    #[inline]
    fn select_recv3(rx: [&Self::Rx; 3]) -> (usize, Msg) {
        flume::Selector::new()
            .recv(rx[0], |msg| (0, msg.expect("flume: closed")))
            .recv(rx[1], |msg| (1, msg.expect("flume: closed")))
            .recv(rx[2], |msg| (2, msg.expect("flume: closed")))
            .wait()
    }
    #[inline]
    fn select_send2(tx: [&Self::Tx; 2], msg: Msg) -> usize {
        flume::Selector::new()
            .send(tx[0], msg, |res| {
                res.expect("flume: closed");
                0
            })
            .send(tx[1], msg, |res| {
                res.expect("flume: closed");
                1
            })
            .wait()
    }
    #[inline]
    fn send_or_timer_or_close(tx: &Self::Tx, msg: Msg, timer: &Self::Timer, close: &Self::Rx) {
        flume::Selector::new()
            .send(tx, msg, |res| res.expect("flume: closed"))
            .recv(&timer.1, |_| ())
            .recv(close, |_| ())
            .wait();
    }
    #[inline]
    fn recv_or_timer_or_close(rx: &Self::Rx, timer: &Self::Timer, close: &Self::Rx) -> Option<Msg> {
        flume::Selector::new()
            .recv(rx, |msg| Some(msg.expect("flume: closed")))
            .recv(&timer.1, |_| None)
            .recv(close, |_| None)
            .wait()
    }
}

/// `kanal`: its blocking (`Sender`/`Receiver`) API. It has no select.
struct Kanal;

impl Chan for Kanal {
    type Tx = kanal::Sender<Msg>;
    type Rx = kanal::Receiver<Msg>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        kanal::bounded(cap)
    }
    fn unbounded() -> (Self::Tx, Self::Rx) {
        kanal::unbounded()
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) {
        tx.send(msg).expect("kanal: send on a closed channel");
    }
    #[inline]
    fn recv(rx: &Self::Rx) -> Msg {
        rx.recv().expect("kanal: receive on a closed channel")
    }
    #[inline]
    fn try_recv(rx: &Self::Rx) -> TryRecv {
        match rx.try_recv() {
            Ok(Some(msg)) => TryRecv::Msg(msg),
            Ok(None) => TryRecv::Empty,
            Err(_) => TryRecv::Closed,
        }
    }
}

impl Mpmc for Kanal {}

/// `std_mpsc`: `std::sync::mpsc`, `sync_channel(cap)` for the bounded
/// flavors and `channel()` for `unbounded`. The two have different sender
/// types, hence the enum (a predictable branch per send).
struct StdMpsc;

#[derive(Clone)]
enum StdTx {
    Bounded(mpsc::SyncSender<Msg>),
    Unbounded(mpsc::Sender<Msg>),
}

impl Chan for StdMpsc {
    type Tx = StdTx;
    type Rx = mpsc::Receiver<Msg>;
    fn bounded(cap: usize) -> (Self::Tx, Self::Rx) {
        let (tx, rx) = mpsc::sync_channel(cap);
        (StdTx::Bounded(tx), rx)
    }
    fn unbounded() -> (Self::Tx, Self::Rx) {
        let (tx, rx) = mpsc::channel();
        (StdTx::Unbounded(tx), rx)
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) {
        match tx {
            StdTx::Bounded(tx) => tx.send(msg),
            StdTx::Unbounded(tx) => tx.send(msg),
        }
        .expect("std: send on a closed channel");
    }
    #[inline]
    fn recv(rx: &Self::Rx) -> Msg {
        rx.recv().expect("std: receive on a closed channel")
    }
    #[inline]
    fn try_recv(rx: &Self::Rx) -> TryRecv {
        match rx.try_recv() {
            Ok(msg) => TryRecv::Msg(msg),
            Err(mpsc::TryRecvError::Empty) => TryRecv::Empty,
            Err(mpsc::TryRecvError::Disconnected) => TryRecv::Closed,
        }
    }
}

/// A value that one thread takes in its (untimed) setup: how a receiver
/// that cannot be shared (std's) reaches the thread that uses it.
struct Take<T>(Mutex<Option<T>>);

impl<T> Take<T> {
    fn new(value: T) -> Self {
        Self(Mutex::new(Some(value)))
    }

    fn take(&self) -> T {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .expect("taken twice")
    }
}

// ---------------------------------------------------------------------------
// crossbeam-channel's suite
// ---------------------------------------------------------------------------

/// The channel flavors of crossbeam-channel's suite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Bounded0,
    Bounded1,
    /// Room for every message of a round (module docs).
    BoundedN,
    Unbounded,
}

impl Flavor {
    const ALL: [Flavor; 4] = [
        Flavor::Bounded0,
        Flavor::Bounded1,
        Flavor::BoundedN,
        Flavor::Unbounded,
    ];

    fn name(self) -> &'static str {
        match self {
            Flavor::Bounded0 => "Bounded0",
            Flavor::Bounded1 => "Bounded1",
            Flavor::BoundedN => "BoundedN",
            Flavor::Unbounded => "Unbounded",
        }
    }

    /// A channel of this flavor for a round of `messages` messages.
    fn make<C: Chan>(self, messages: u64) -> (C::Tx, C::Rx) {
        match self {
            Flavor::Bounded0 => C::bounded(0),
            Flavor::Bounded1 => C::bounded(1),
            Flavor::BoundedN => {
                C::bounded(usize::try_from(messages).expect("a round fits in usize"))
            }
            Flavor::Unbounded => C::unbounded(),
        }
    }

    /// Runs `iters` messages as rounds (`round(messages)` returns the round's
    /// measured time): at most [`ROUND`] messages each for `BoundedN`, one
    /// round otherwise. Returns the sum.
    fn in_rounds(self, iters: u64, mut round: impl FnMut(u64) -> Duration) -> Duration {
        let per_round = if self == Flavor::BoundedN {
            ROUND
        } else {
            iters.max(1)
        };
        let mut total = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let messages = left.min(per_round);
            total += round(messages);
            left -= messages;
        }
        total
    }
}

/// What one thread of a send/receive workload does.
enum Role<C: Chan> {
    /// Sends this many messages.
    Send(C::Tx, u64),
    /// Receives this many messages.
    Recv(C::Rx, u64),
}

impl<C: Chan> Role<C> {
    #[inline]
    fn play(&self) {
        match self {
            Role::Send(tx, n) => {
                for k in 0..*n {
                    C::send(tx, k);
                }
            }
            Role::Recv(rx, n) => {
                for _ in 0..*n {
                    black_box(C::recv(rx));
                }
            }
        }
    }
}

/// What one thread of a select workload does.
enum SelectRole<C: Select> {
    /// Plain sends, this many.
    Send(C::Tx, u64),
    /// This many selects over two sends.
    SendEither([C::Tx; 2], u64),
    /// This many selects over two receives.
    RecvEither([C::Rx; 2], u64),
    /// This many selects over three receives.
    RecvAny([C::Rx; 3], u64),
}

impl<C: Select> SelectRole<C> {
    #[inline]
    fn play(&self) {
        match self {
            SelectRole::Send(tx, n) => {
                for k in 0..*n {
                    C::send(tx, k);
                }
            }
            SelectRole::SendEither([a, b], n) => {
                for k in 0..*n {
                    black_box(C::select_send2([a, b], k));
                }
            }
            SelectRole::RecvEither([a, b], n) => {
                for _ in 0..*n {
                    black_box(C::select_recv2([a, b]));
                }
            }
            SelectRole::RecvAny([a, b, c], n) => {
                for _ in 0..*n {
                    black_box(C::select_recv3([a, b, c]));
                }
            }
        }
    }
}

/// `seq`: one thread sends a round's messages, then receives them.
fn seq<C: Chan>(iters: u64, flavor: Flavor) -> Duration {
    flavor.in_rounds(iters, |messages| {
        let (tx, rx) = flavor.make::<C>(messages);
        let start = Instant::now();
        for k in 0..messages {
            C::send(&tx, k);
        }
        for _ in 0..messages {
            black_box(C::recv(&rx));
        }
        let elapsed = start.elapsed();
        drop((tx, rx));
        elapsed
    })
}

/// `spsc` (`producers` = 1) and `mpsc` (3): the producers share the
/// messages, one more thread receives them all.
fn to_one_receiver<C: Chan>(iters: u64, flavor: Flavor, producers: usize) -> Duration {
    flavor.in_rounds(iters, |messages| {
        let (tx, rx) = flavor.make::<C>(messages);
        let rx = Take::new(rx);
        run_parallel(
            producers + 1,
            |index| {
                if index < producers {
                    Role::<C>::Send(tx.clone(), share(messages, producers, index))
                } else {
                    Role::Recv(rx.take(), messages)
                }
            },
            |_, role| role.play(),
        )
        .wall
    })
}

/// `mpmc`: 2 producers and 2 consumers, sharing the messages evenly.
fn mpmc<C: Mpmc>(iters: u64, flavor: Flavor) -> Duration {
    flavor.in_rounds(iters, |messages| {
        let (tx, rx) = flavor.make::<C>(messages);
        run_parallel(
            4,
            |index| {
                if index < 2 {
                    Role::<C>::Send(tx.clone(), share(messages, 2, index))
                } else {
                    Role::Recv(rx.clone(), share(messages, 2, index - 2))
                }
            },
            |_, role| role.play(),
        )
        .wall
    })
}

/// `select_rx`: 3 producers, each on its own channel; one consumer selects
/// over the 3 receivers for every message.
fn select_rx<C: Select>(iters: u64, flavor: Flavor) -> Duration {
    flavor.in_rounds(iters, |messages| {
        let chans: [(C::Tx, C::Rx); 3] = std::array::from_fn(|_| flavor.make::<C>(messages));
        run_parallel(
            4,
            |index| {
                if index < 3 {
                    SelectRole::<C>::Send(chans[index].0.clone(), share(messages, 3, index))
                } else {
                    SelectRole::RecvAny(std::array::from_fn(|k| chans[k].1.clone()), messages)
                }
            },
            |_, role| role.play(),
        )
        .wall
    })
}

/// `select_both`: 2 channels; 2 producers each select a send over both,
/// 2 consumers each select a receive over both.
fn select_both<C: Select>(iters: u64, flavor: Flavor) -> Duration {
    flavor.in_rounds(iters, |messages| {
        let chans: [(C::Tx, C::Rx); 2] = std::array::from_fn(|_| flavor.make::<C>(messages));
        run_parallel(
            4,
            |index| {
                if index < 2 {
                    SelectRole::<C>::SendEither(
                        std::array::from_fn(|k| chans[k].0.clone()),
                        share(messages, 2, index),
                    )
                } else {
                    SelectRole::RecvEither(
                        std::array::from_fn(|k| chans[k].1.clone()),
                        share(messages, 2, index - 2),
                    )
                }
            },
            |_, role| role.play(),
        )
        .wall
    })
}

// ---------------------------------------------------------------------------
// Ping-pong
// ---------------------------------------------------------------------------

/// Two threads, two channels of `flavor` (`Bounded0` or `Bounded1`): thread
/// 0 sends on `a` and waits for the reply on `b`, thread 1 receives on `a`
/// and replies (the value plus one) on `b`; `iters` round trips.
fn ping_pong<C: Chan>(iters: u64, flavor: Flavor) -> Duration {
    let (tx_a, rx_a) = flavor.make::<C>(1);
    let (tx_b, rx_b) = flavor.make::<C>(1);
    let ends = [Take::new((tx_a, rx_b)), Take::new((tx_b, rx_a))];
    run_parallel(
        2,
        |index| ends[index].take(),
        |index, (tx, rx)| {
            if index == 0 {
                let mut value = 0;
                for _ in 0..iters {
                    C::send(tx, value);
                    value = C::recv(rx);
                }
                black_box(value);
            } else {
                for _ in 0..iters {
                    let value = C::recv(rx);
                    C::send(tx, value + 1);
                }
            }
        },
    )
    .wall
}

/// The CPUs this process may run on (Linux; empty elsewhere or on error).
#[cfg(target_os = "linux")]
fn allowed_cpus() -> Vec<usize> {
    // SAFETY: `cpu_set_t` is plain data, for which all zeroes is a valid
    // (empty) set; `sched_getaffinity` writes at most `size_of` bytes into
    // it, and `CPU_ISSET` reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return Vec::new();
        }
        (0..libc::CPU_SETSIZE as usize)
            .filter(|&cpu| libc::CPU_ISSET(cpu, &set))
            .collect()
    }
}

#[cfg(not(target_os = "linux"))]
fn allowed_cpus() -> Vec<usize> {
    Vec::new()
}

/// Pins the calling thread to `cpu`; whether it worked.
#[cfg(target_os = "linux")]
fn pin_to(cpu: usize) -> bool {
    // SAFETY: as in `allowed_cpus`: a zeroed `cpu_set_t` is valid, `CPU_SET`
    // writes one bit of it, `sched_setaffinity` reads `size_of` bytes.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

#[cfg(not(target_os = "linux"))]
fn pin_to(_: usize) -> bool {
    false
}

/// The hardware floor of a round trip: one `AtomicU64`; thread 0 sets it to
/// `2k + 1` and spins until it reads `2k + 2`, thread 1 spins until it reads
/// `2k + 1` and sets `2k + 2`. The two threads are pinned to two different
/// CPUs and spin without yielding, so this is what moving the line between
/// two cores costs, whatever the scheduler would do. (Unpinned, the
/// scheduler may keep both threads on one vCPU: a spin that yields then
/// measures two context switches per round trip, and one that does not
/// waits for preemption.) Without two CPUs to pin to, it falls back to the
/// harness's `spin_until` (spins, then yields).
fn atomic_ping_pong(iters: u64) -> Duration {
    let cpus = allowed_cpus();
    let turn = CachePadded::new(AtomicU64::new(0));
    run_parallel(
        2,
        |index| cpus.len() >= 2 && pin_to(cpus[index]),
        |index, &mut pinned| {
            // Acquire: pairs with the other thread's Release store of
            // `value`, like a channel's hand-over.
            let wait_for = |value: u64| {
                if pinned {
                    while turn.load(Ordering::Acquire) != value {
                        std::hint::spin_loop();
                    }
                } else {
                    spin_until(|| turn.load(Ordering::Acquire) == value);
                }
            };
            for k in 0..iters {
                if index == 0 {
                    turn.store(2 * k + 1, Ordering::Release);
                    wait_for(2 * k + 2);
                } else {
                    wait_for(2 * k + 1);
                    turn.store(2 * k + 2, Ordering::Release);
                }
            }
        },
    )
    .wall
}

// ---------------------------------------------------------------------------
// Go's runtime/chan_test.go
// ---------------------------------------------------------------------------

/// Go's `CallsPerSched`: producers take the messages in batches of this
/// many from a shared counter.
const CALLS_PER_SCHED: u64 = 1000;

/// `ChanNonblocking`: both threads `try_recv` on one empty unbuffered
/// channel (Go: `select { case <-myc: default: }`, which Go compiles to a
/// non-blocking receive).
fn chan_nonblocking<C: Mpmc>(iters: u64) -> Duration {
    let (tx, rx) = C::bounded(0);
    let wall = run_parallel(
        2,
        |_| (),
        |index, ()| {
            for _ in 0..share(iters, 2, index) {
                black_box(C::try_recv(&rx));
            }
        },
    )
    .wall;
    drop(tx);
    wall
}

/// `ChanUncontended`: each thread, on its own channel of capacity 100: 100
/// sends, then 100 receives, per operation.
fn chan_uncontended<C: Chan>(iters: u64) -> Duration {
    run_parallel(
        2,
        |_| C::bounded(100),
        |index, (tx, rx)| {
            for _ in 0..share(iters, 2, index) {
                for k in 0..100 {
                    C::send(tx, k);
                }
                for _ in 0..100 {
                    black_box(C::recv(rx));
                }
            }
        },
    )
    .wall
}

/// `ChanContended`: the same on one channel of capacity 200 that both
/// threads use.
fn chan_contended<C: Mpmc>(iters: u64) -> Duration {
    let (tx, rx) = C::bounded(200);
    run_parallel(
        2,
        |_| (),
        |index, ()| {
            for _ in 0..share(iters, 2, index) {
                for k in 0..100 {
                    C::send(&tx, k);
                }
                for _ in 0..100 {
                    black_box(C::recv(&rx));
                }
            }
        },
    )
    .wall
}

/// `ChanSync`: one unbuffered channel, two threads; per operation thread 0
/// receives then sends, thread 1 sends then receives (Go: the goroutine
/// with an even batch number does the first, the other the second). Each
/// thread does `iters / 2` operations, rounded up; the time is scaled back
/// to `iters`.
fn chan_sync<C: Mpmc>(iters: u64) -> Duration {
    let per_thread = iters.div_ceil(2);
    let (tx, rx) = C::bounded(0);
    let wall = run_parallel(
        2,
        |_| (),
        |index, ()| {
            if index == 0 {
                for _ in 0..per_thread {
                    black_box(C::recv(&rx));
                    C::send(&tx, 0);
                }
            } else {
                for _ in 0..per_thread {
                    C::send(&tx, 0);
                    black_box(C::recv(&rx));
                }
            }
        },
    )
    .wall;
    scale(wall, 2 * per_thread, iters)
}

/// A shared counter of [`CALLS_PER_SCHED`]-message batches (Go's `N`):
/// `next()` is the size of the next batch to send, 0 when all are taken.
struct Batches {
    next: AtomicU64,
    messages: u64,
}

impl Batches {
    fn new(messages: u64) -> Self {
        Self {
            next: AtomicU64::new(0),
            messages,
        }
    }

    fn next(&self) -> u64 {
        // Relaxed: the counter only divides the work; the messages
        // themselves go through the channel.
        let batch = self.next.fetch_add(1, Ordering::Relaxed);
        let first = batch.saturating_mul(CALLS_PER_SCHED);
        CALLS_PER_SCHED.min(self.messages.saturating_sub(first))
    }
}

/// `ChanProdCons0/10/100`: 2 producers and 2 consumers on one channel of
/// capacity `cap`. Producers take batches of 1000 messages (value 1) from a
/// shared counter, then send a 0; a consumer receives until it gets a 0.
/// Time over the `iters` messages (the two 0s not counted, as in Go).
fn prod_cons<C: Mpmc>(iters: u64, cap: usize) -> Duration {
    let (tx, rx) = C::bounded(cap);
    let batches = Batches::new(iters);
    run_parallel(
        4,
        |_| (),
        |index, ()| {
            if index < 2 {
                loop {
                    let n = batches.next();
                    if n == 0 {
                        break;
                    }
                    for _ in 0..n {
                        C::send(&tx, 1);
                    }
                }
                C::send(&tx, 0);
            } else {
                while C::recv(&rx) != 0 {}
            }
        },
    )
    .wall
}

/// `SelectUncontended`: each thread has two channels of capacity 1, the
/// first holding a value; per operation a select receives from whichever
/// holds it and sends it to the other.
fn select_uncontended<C: Select>(iters: u64) -> Duration {
    run_parallel(
        2,
        |_| {
            let (c1, c2) = (C::bounded(1), C::bounded(1));
            C::send(&c1.0, 0);
            (c1, c2)
        },
        |index, (c1, c2)| {
            for _ in 0..share(iters, 2, index) {
                match C::select_recv2([&c1.1, &c2.1]) {
                    (0, _) => C::send(&c2.0, 0),
                    _ => C::send(&c1.0, 0),
                }
            }
        },
    )
    .wall
}

/// `SelectProdCons`: `prod_cons` on a channel of capacity 128 with local
/// work (Go's 100-iteration loop) per message on both sides, and every send
/// and receive a select that also waits on a one-hour timer and on a
/// never-closed "close" channel. Producers send their final 0 with a plain
/// send, as Go's do.
fn select_prod_cons<C: Select>(iters: u64) -> Duration {
    let (tx, rx) = C::bounded(128);
    // Go's `myclose`: never sent on, never closed.
    let (_close_tx, close_rx) = C::bounded(0);
    let batches = Batches::new(iters);
    run_parallel(
        4,
        |_| C::hour_timer(),
        |index, timer| {
            let mut work = 0;
            if index < 2 {
                loop {
                    let n = batches.next();
                    if n == 0 {
                        break;
                    }
                    for _ in 0..n {
                        work = local_work(work);
                        C::send_or_timer_or_close(&tx, 1, timer, &close_rx);
                    }
                }
                C::send(&tx, 0);
            } else {
                while C::recv_or_timer_or_close(&rx, timer, &close_rx) != Some(0) {
                    work = local_work(work);
                }
            }
            black_box(work);
        },
    )
    .wall
}

/// `ChanClosed`: both threads `try_recv` on one closed unbuffered channel,
/// each finding it closed (Go: `select { case <-c: default: }` on a closed
/// channel). Closed by dropping its only sender (for gosync the same close
/// as `close()`).
fn chan_closed<C: Mpmc>(iters: u64) -> Duration {
    let (tx, rx) = C::bounded(0);
    drop(tx);
    run_parallel(
        2,
        |_| (),
        |index, ()| {
            for _ in 0..share(iters, 2, index) {
                assert_eq!(black_box(C::try_recv(&rx)), TryRecv::Closed);
            }
        },
    )
    .wall
}

/// Selecting threads in `ChanPopular` (Go: 1000 goroutines).
const POPULAR_WAITERS: usize = 1000;

/// Stack size of those threads (they only loop over a select).
const POPULAR_STACK: usize = 64 << 10;

/// `ChanPopular`: [`POPULAR_WAITERS`] threads, each with its own unbuffered
/// channel `d`, loop `iters` times over `select { recv(c), recv(d) }` on one
/// shared unbuffered channel `c` that never fires; the benchmark thread, per
/// operation, sends once on every `d`. Timed from when every thread has
/// started to when the last one has done its `iters` selects.
fn chan_popular<C: Select>(iters: u64) -> Duration {
    let (_c_tx, c_rx) = C::bounded(0);
    let ds: Vec<(C::Tx, C::Rx)> = (0..POPULAR_WAITERS).map(|_| C::bounded(0)).collect();
    let started = AtomicUsize::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = ds
            .iter()
            .map(|(_, d)| {
                let (c, started) = (&c_rx, &started);
                std::thread::Builder::new()
                    .stack_size(POPULAR_STACK)
                    .spawn_scoped(s, move || {
                        // AcqRel/Acquire: a start barrier only.
                        started.fetch_add(1, Ordering::AcqRel);
                        for _ in 0..iters {
                            black_box(C::select_recv2([c, d]));
                        }
                        Instant::now()
                    })
                    .expect("spawn a ChanPopular thread")
            })
            .collect();
        spin_until(|| started.load(Ordering::Acquire) == POPULAR_WAITERS);
        let start = Instant::now();
        for _ in 0..iters {
            for (d, _) in &ds {
                C::send(d, 1);
            }
        }
        let mut end = Instant::now();
        for handle in handles {
            end = end.max(handle.join().expect("ChanPopular thread panicked"));
        }
        end.duration_since(start)
    })
}

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

/// One implementation's workload, on criterion's `iters`.
type Workload = Box<dyn Fn(u64) -> Duration>;

/// An implementation's workloads by criterion group.
type Workloads = HashMap<String, Workload>;

/// The crossbeam-style group of `kind` on `flavor` (module docs).
fn group_name(kind: &str, threads: usize, flavor: Flavor) -> String {
    format!("Chan{kind}_{threads}T_{}", flavor.name())
}

/// The Go runtime benchmarks, in Go's file order.
const GO_RUNTIME_GROUPS: [&str; 11] = [
    "ChanNonblocking",
    "SelectUncontended",
    "ChanUncontended",
    "ChanContended",
    "ChanSync",
    "ChanProdCons0",
    "ChanProdCons10",
    "ChanProdCons100",
    "SelectProdCons",
    "ChanPopular",
    "ChanClosed",
];

/// Every group, in run (and table) order.
fn group_order() -> Vec<String> {
    let mut order = Vec::new();
    for flavor in Flavor::ALL {
        if matches!(flavor, Flavor::BoundedN | Flavor::Unbounded) {
            order.push(group_name("Seq", 1, flavor));
        }
        order.push(group_name("Spsc", 2, flavor));
        order.push(group_name("Mpsc", 4, flavor));
        order.push(group_name("Mpmc", 4, flavor));
        order.push(group_name("SelectRx", 4, flavor));
        order.push(group_name("SelectBoth", 4, flavor));
    }
    for flavor in [Flavor::Bounded0, Flavor::Bounded1] {
        order.push(group_name("PingPong", 2, flavor));
    }
    order.extend(GO_RUNTIME_GROUPS.map(String::from));
    order
}

fn add(workloads: &mut Workloads, group: String, workload: impl Fn(u64) -> Duration + 'static) {
    let previous = workloads.insert(group, Box::new(workload));
    assert!(previous.is_none(), "a group registered twice");
}

/// What every implementation can run: one receiver per channel, no select.
fn single_receiver<C: Chan>(workloads: &mut Workloads) {
    for flavor in Flavor::ALL {
        if matches!(flavor, Flavor::BoundedN | Flavor::Unbounded) {
            add(workloads, group_name("Seq", 1, flavor), move |iters| {
                seq::<C>(iters, flavor)
            });
        }
        add(workloads, group_name("Spsc", 2, flavor), move |iters| {
            to_one_receiver::<C>(iters, flavor, 1)
        });
        add(workloads, group_name("Mpsc", 4, flavor), move |iters| {
            to_one_receiver::<C>(iters, flavor, 3)
        });
    }
    for flavor in [Flavor::Bounded0, Flavor::Bounded1] {
        add(workloads, group_name("PingPong", 2, flavor), move |iters| {
            ping_pong::<C>(iters, flavor)
        });
    }
    add(workloads, "ChanUncontended".into(), chan_uncontended::<C>);
}

/// What needs a receiver shared by several threads.
fn shared_receiver<C: Mpmc>(workloads: &mut Workloads) {
    for flavor in Flavor::ALL {
        add(workloads, group_name("Mpmc", 4, flavor), move |iters| {
            mpmc::<C>(iters, flavor)
        });
    }
    add(workloads, "ChanNonblocking".into(), chan_nonblocking::<C>);
    add(workloads, "ChanContended".into(), chan_contended::<C>);
    add(workloads, "ChanSync".into(), chan_sync::<C>);
    add(workloads, "ChanProdCons0".into(), |iters| {
        prod_cons::<C>(iters, 0)
    });
    add(workloads, "ChanProdCons10".into(), |iters| {
        prod_cons::<C>(iters, 10)
    });
    add(workloads, "ChanProdCons100".into(), |iters| {
        prod_cons::<C>(iters, 100)
    });
    add(workloads, "ChanClosed".into(), chan_closed::<C>);
}

/// What needs a select.
fn selecting<C: Select>(workloads: &mut Workloads) {
    for flavor in Flavor::ALL {
        add(workloads, group_name("SelectRx", 4, flavor), move |iters| {
            select_rx::<C>(iters, flavor)
        });
        add(
            workloads,
            group_name("SelectBoth", 4, flavor),
            move |iters| select_both::<C>(iters, flavor),
        );
    }
    add(
        workloads,
        "SelectUncontended".into(),
        select_uncontended::<C>,
    );
    add(workloads, "SelectProdCons".into(), select_prod_cons::<C>);
    add(workloads, "ChanPopular".into(), chan_popular::<C>);
}

fn with_select<C: Select>() -> Workloads {
    let mut workloads = Workloads::new();
    single_receiver::<C>(&mut workloads);
    shared_receiver::<C>(&mut workloads);
    selecting::<C>(&mut workloads);
    workloads
}

fn channel(c: &mut Criterion) {
    // The functions of every group, in table order.
    let mut implementations: Vec<(&str, Workloads)> = vec![
        ("gosync", with_select::<Gosync>()),
        ("crossbeam", with_select::<Crossbeam>()),
        ("flume", {
            let mut workloads = with_select::<Flume>();
            // flume 0.12's `Selector` loses wake-ups when several threads
            // select on one channel from both sides (`select_both`: 2
            // selecting producers and 2 selecting consumers;
            // `SelectProdCons`: the same with a timer and a close channel):
            // a thread stays parked with a message ready and the run hangs.
            // Selecting over two sends that have to wait can also deliver
            // one message on both channels. Not measured there.
            for flavor in Flavor::ALL {
                workloads.remove(&group_name("SelectBoth", 4, flavor));
            }
            workloads.remove("SelectProdCons");
            workloads
        }),
        ("kanal", {
            let mut workloads = Workloads::new();
            single_receiver::<Kanal>(&mut workloads);
            shared_receiver::<Kanal>(&mut workloads);
            workloads
        }),
        ("std_mpsc", {
            let mut workloads = Workloads::new();
            single_receiver::<StdMpsc>(&mut workloads);
            workloads
        }),
        ("atomic_floor", {
            let mut workloads = Workloads::new();
            for flavor in [Flavor::Bounded0, Flavor::Bounded1] {
                add(
                    &mut workloads,
                    group_name("PingPong", 2, flavor),
                    atomic_ping_pong,
                );
            }
            workloads
        }),
    ];
    let order = group_order();
    for (name, workloads) in &implementations {
        for group in workloads.keys() {
            assert!(order.contains(group), "{name}: {group} is in no group");
        }
    }
    for group_name in &order {
        assert!(
            implementations[0].1.contains_key(group_name),
            "gosync lacks {group_name}"
        );
        let mut group = benchmark_group_timed(c, group_name, Timing::many_functions_from_env());
        for (function, workloads) in &mut implementations {
            if let Some(workload) = workloads.get(group_name) {
                group.bench_function(*function, |b| b.iter_custom(workload));
            }
        }
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = channel
}
criterion_main!(benches);
