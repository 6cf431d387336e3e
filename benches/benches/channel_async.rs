//! `gosync_channel`'s async API (`send_async`, `recv_async`,
//! `select_async!`) and `gosync_waitgroup`'s `track`/`wait_async`, against
//! the async peers: `flume` (its `async` feature), `kanal` (its async API),
//! `async-channel`, `tokio::sync::mpsc`, `tokio::sync::Notify`, tokio's
//! `JoinSet` and tokio-util's `TaskTracker`. One criterion group per
//! workload and runtime, one function per implementation;
//! `benches/go/chan_async_bench_test.go` runs the same workloads as
//! goroutines on Go's `chan` and `sync.WaitGroup` (`-cpu 2`). Every message
//! is a `u64`.
//!
//! **Runtimes.** Every workload runs twice: on a tokio multi-thread runtime
//! with 2 workers (`MT` in the group name: Go's `GOMAXPROCS=2`) and on a
//! tokio current-thread runtime (`CT`). Groups are named
//! `Async<Workload>_<MT|CT>[_<Flavor>]`, e.g. `AsyncSpsc_MT_Bounded0`; the Go
//! benchmark `BenchmarkAsync<Workload>[_<Flavor>]` is the Go column of both
//! the `MT` and the `CT` group. Each runtime is built once and shared by
//! the functions of its groups; the channels are made per criterion sample,
//! off the clock.
//!
//! **Workloads** (one operation is one message unless said otherwise):
//!
//! * `Spsc`, `Mpsc` (3 producer tasks, 1 consumer task), `Mpmc` (2 + 2) on
//!   `Bounded0` (rendezvous), `Bounded1`, `Bounded1024` and `Unbounded`.
//!   `Bounded1024` is a real capacity of 1024 (it fills; unlike the
//!   blocking suite's `BoundedN`).
//! * `PingPong` over two `Bounded0` or two `Bounded1` channels, two tasks;
//!   one operation is one **round trip**.
//! * `SelectRx` (`Bounded0`, `Bounded1024`): 2 producer tasks, a channel
//!   each; 1 consumer task receives every message through a select over the
//!   2 receivers: `gosync_channel::select_async!` for gosync,
//!   `tokio::select!` over the two `recv` futures for every peer (tokio
//!   picks a random branch first, as Go and `select_async!` do).
//! * `MixedThreadToTask` / `MixedTaskToThread` (`Bounded1024`, `Bounded0`):
//!   a blocking OS thread sends (blocking API) to a receiving task, or a
//!   sending task to a blocking OS thread. On `MT` that is 3 busy threads on
//!   2 cores (2 workers + the OS thread).
//! * `WaitGroupWake` (no flavor): one task loops `add(1)`, publishes the
//!   round, `wait_async().await`; an OS thread spins (bounded spin, then
//!   `yield_now`, `harness::spin_until`) for the round and calls `done()`.
//!   One operation is one such round: the latency of waking a task from a
//!   thread. Peer `tokio_notify`: the same with `Notify::notified().await`
//!   and `notify_one()` (which stores a permit, like a counter that is
//!   already at zero). No Go column (Go's analogue is
//!   `BenchmarkWaitGroupWakeLatency`, a different shape).
//! * `FanOut100k_YieldNow` / `FanOut100k_Sleep1ns`: one operation is a
//!   whole **program**: spawn 100,000 tasks, each awaiting
//!   `tokio::task::yield_now()` (or `tokio::time::sleep(1 ns)`; tokio's
//!   timer wheel has 1 ms resolution, so this variant includes at least one
//!   timer tick), and wait for all of them. The program itself runs in a
//!   spawned task, so its spawns go to a worker's local queue, as Go's
//!   `go` statements do. `gosync`: `tokio::spawn(wg.track(leaf))` and
//!   `wg.wait_async().await`; `joinset`: `JoinSet::spawn` then
//!   `join_next()` until empty; `task_tracker`: `TaskTracker::spawn`,
//!   `close()`, `wait().await`. Go: `wg.Add(1); go func() { defer
//!   wg.Done(); runtime.Gosched() }()` (or `time.Sleep(1)`), `wg.Wait()`.
//!
//! **Who sits out:** `tokio_mpsc` and `async_channel` on every `Bounded0`
//! row (neither has a capacity of 0: both panic on it); `tokio_mpsc` on
//! `Mpmc` (its `Receiver` is neither `Clone` nor `Sync`); `flume` on
//! `Mpmc_Bounded0` (0.12 hung there once on `MT`: every task pending with
//! messages outstanding); `kanal` on
//! `SelectRx` (0.1.1 hangs there, every flavor and runtime: the consumer
//! stays pending with messages outstanding, as if a message handed to the
//! `tokio::select!` branch that lost, whose future is dropped, were lost). Go on
//! `Unbounded` (Go has no unbounded channel), on the mixed rows (every
//! goroutine is a task) and on `WaitGroupWake`. tokio's bounded and
//! unbounded channels are different types; both are the function
//! `tokio_mpsc`.
//!
//! **Timing.** Each sample runs `iters` operations inside one `block_on`:
//! the clock starts before the tasks (and OS threads) of the sample are
//! spawned and stops after the last one is joined; the channels are built
//! before. Spawning takes microseconds against samples of about 100 ms.
//! Settings ([`timing`]): 0.3 s warm-up, 1 s measurement, 10 samples (flat
//! sampling) per function; `GOSYNC_BENCH_QUICK=1`: 0.1 s, 0.3 s, 10
//! samples. 46 groups, 186 functions: about 5 minutes in full mode.
//! Every received value goes through [`black_box`].

// The trait methods return `impl Future + Send` (the futures are run by
// `tokio::spawn`), and the impls spell out the same signature with an
// `async move` block, rather than `async fn`s that would match it only
// through inference.
#![allow(clippy::manual_async_fn)]

use std::collections::HashMap;
use std::future::Future;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use gosync_benches::harness::{benchmark_group_timed, share, spin_until, Timing};
use tokio::runtime::Runtime;

/// The message of every workload (Go's: `uint64`).
type Msg = u64;

/// Tasks per fan-out program.
const TASKS: usize = 100_000;

/// This suite's criterion timing (module docs): shorter than the harness's
/// defaults, so that 186 functions fit about 5 minutes.
fn timing() -> Timing {
    let quick = std::env::var_os("GOSYNC_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0");
    if quick {
        Timing {
            warm_up: Duration::from_millis(100),
            measurement: Duration::from_millis(300),
            sample_size: 10,
        }
    } else {
        Timing {
            warm_up: Duration::from_millis(300),
            measurement: Duration::from_secs(1),
            sample_size: 10,
        }
    }
}

/// The two executors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rt {
    /// tokio multi-thread, 2 workers.
    Mt,
    /// tokio current-thread.
    Ct,
}

impl Rt {
    const ALL: [Rt; 2] = [Rt::Mt, Rt::Ct];

    fn name(self) -> &'static str {
        match self {
            Rt::Mt => "MT",
            Rt::Ct => "CT",
        }
    }

    fn build(self) -> Runtime {
        match self {
            Rt::Mt => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build(),
            Rt::Ct => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build(),
        }
        .expect("a tokio runtime")
    }
}

/// The channel flavors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flavor {
    Bounded0,
    Bounded1,
    Bounded1024,
    Unbounded,
}

impl Flavor {
    const ALL: [Flavor; 4] = [
        Flavor::Bounded0,
        Flavor::Bounded1,
        Flavor::Bounded1024,
        Flavor::Unbounded,
    ];

    fn name(self) -> &'static str {
        match self {
            Flavor::Bounded0 => "Bounded0",
            Flavor::Bounded1 => "Bounded1",
            Flavor::Bounded1024 => "Bounded1024",
            Flavor::Unbounded => "Unbounded",
        }
    }

    /// The capacity of a bounded flavor.
    fn cap(self) -> Option<usize> {
        match self {
            Flavor::Bounded0 => Some(0),
            Flavor::Bounded1 => Some(1),
            Flavor::Bounded1024 => Some(1024),
            Flavor::Unbounded => None,
        }
    }
}

// ---------------------------------------------------------------------------
// The implementations
// ---------------------------------------------------------------------------

/// One async channel implementation: what every workload needs from it.
trait AsyncChan: 'static {
    type Tx: Clone + Send + Sync + 'static;
    type Rx: Send + 'static;
    /// Whether it has this flavor.
    fn supports(flavor: Flavor) -> bool;
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx);
    /// An async send; panics if the channel is closed (no workload closes a
    /// channel it sends on).
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_;
    /// An async receive; panics if the channel is closed.
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_;
}

/// An implementation whose receivers several tasks can share.
trait AsyncMpmc: AsyncChan<Rx: Clone> {
    /// Whether the `Mpmc` workload runs on `flavor` (default: whenever
    /// the channel has it).
    fn supports_mpmc(flavor: Flavor) -> bool {
        Self::supports(flavor)
    }
}

/// A select over two receivers.
trait AsyncSelect: AsyncChan {
    /// Which receiver fired, and its message.
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a;
}

/// An implementation with a blocking API on the same channel.
trait Mixed: AsyncChan {
    type BTx: Send + 'static;
    type BRx: Send + 'static;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx;
    fn blocking_rx(rx: Self::Rx) -> Self::BRx;
    fn send_blocking(tx: &Self::BTx, msg: Msg);
    fn recv_blocking(rx: &mut Self::BRx) -> Msg;
}

/// `gosync`: `gosync_channel`.
struct Gosync;

impl AsyncChan for Gosync {
    type Tx = gosync_channel::Sender<Msg>;
    type Rx = gosync_channel::Receiver<Msg>;
    fn supports(_: Flavor) -> bool {
        true
    }
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx) {
        match flavor.cap() {
            Some(cap) => gosync_channel::bounded(cap),
            None => gosync_channel::unbounded(),
        }
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move {
            tx.send_async(msg)
                .await
                .expect("gosync: send on a closed channel");
        }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move {
            rx.recv_async()
                .await
                .expect("gosync: receive on a closed channel")
        }
    }
}

impl AsyncMpmc for Gosync {}

impl AsyncSelect for Gosync {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        let (a, b) = (&*a, &*b);
        async move {
            gosync_channel::select_async! {
                recv(a) -> msg => (0, msg.expect("gosync: closed")),
                recv(b) -> msg => (1, msg.expect("gosync: closed")),
            }
        }
    }
}

impl Mixed for Gosync {
    type BTx = Self::Tx;
    type BRx = Self::Rx;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx {
        tx
    }
    fn blocking_rx(rx: Self::Rx) -> Self::BRx {
        rx
    }
    #[inline]
    fn send_blocking(tx: &Self::BTx, msg: Msg) {
        tx.send(msg).expect("gosync: send on a closed channel");
    }
    #[inline]
    fn recv_blocking(rx: &mut Self::BRx) -> Msg {
        rx.recv().expect("gosync: receive on a closed channel")
    }
}

/// `flume`, with its `async` feature.
struct Flume;

impl AsyncChan for Flume {
    type Tx = flume::Sender<Msg>;
    type Rx = flume::Receiver<Msg>;
    fn supports(_: Flavor) -> bool {
        true
    }
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx) {
        match flavor.cap() {
            Some(cap) => flume::bounded(cap),
            None => flume::unbounded(),
        }
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move {
            tx.send_async(msg)
                .await
                .expect("flume: send on a closed channel");
        }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move {
            rx.recv_async()
                .await
                .expect("flume: receive on a closed channel")
        }
    }
}

impl AsyncMpmc for Flume {
    // flume 0.12's rendezvous hung here on `MT` (all four tasks pending
    // with messages outstanding, in warm-up, in one of two runs): a peer
    // that can hang would stop the whole report.
    fn supports_mpmc(flavor: Flavor) -> bool {
        flavor != Flavor::Bounded0
    }
}

impl AsyncSelect for Flume {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        async move {
            tokio::select! {
                msg = a.recv_async() => (0, msg.expect("flume: closed")),
                msg = b.recv_async() => (1, msg.expect("flume: closed")),
            }
        }
    }
}

impl Mixed for Flume {
    type BTx = Self::Tx;
    type BRx = Self::Rx;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx {
        tx
    }
    fn blocking_rx(rx: Self::Rx) -> Self::BRx {
        rx
    }
    #[inline]
    fn send_blocking(tx: &Self::BTx, msg: Msg) {
        tx.send(msg).expect("flume: send on a closed channel");
    }
    #[inline]
    fn recv_blocking(rx: &mut Self::BRx) -> Msg {
        rx.recv().expect("flume: receive on a closed channel")
    }
}

/// `kanal`: its async API (`bounded_async`, `unbounded_async`).
struct Kanal;

impl AsyncChan for Kanal {
    type Tx = kanal::AsyncSender<Msg>;
    type Rx = kanal::AsyncReceiver<Msg>;
    fn supports(_: Flavor) -> bool {
        true
    }
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx) {
        match flavor.cap() {
            Some(cap) => kanal::bounded_async(cap),
            None => kanal::unbounded_async(),
        }
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move {
            tx.send(msg).await.expect("kanal: send on a closed channel");
        }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move { rx.recv().await.expect("kanal: receive on a closed channel") }
    }
}

impl AsyncMpmc for Kanal {}

impl AsyncSelect for Kanal {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        async move {
            tokio::select! {
                msg = a.recv() => (0, msg.expect("kanal: closed")),
                msg = b.recv() => (1, msg.expect("kanal: closed")),
            }
        }
    }
}

impl Mixed for Kanal {
    type BTx = kanal::Sender<Msg>;
    type BRx = kanal::Receiver<Msg>;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx {
        tx.to_sync()
    }
    fn blocking_rx(rx: Self::Rx) -> Self::BRx {
        rx.to_sync()
    }
    #[inline]
    fn send_blocking(tx: &Self::BTx, msg: Msg) {
        tx.send(msg).expect("kanal: send on a closed channel");
    }
    #[inline]
    fn recv_blocking(rx: &mut Self::BRx) -> Msg {
        rx.recv().expect("kanal: receive on a closed channel")
    }
}

/// `async_channel`: no capacity 0 (`bounded(0)` panics).
struct AsyncChannel;

impl AsyncChan for AsyncChannel {
    type Tx = async_channel::Sender<Msg>;
    type Rx = async_channel::Receiver<Msg>;
    fn supports(flavor: Flavor) -> bool {
        flavor != Flavor::Bounded0
    }
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx) {
        match flavor.cap() {
            Some(cap) => async_channel::bounded(cap),
            None => async_channel::unbounded(),
        }
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move {
            tx.send(msg)
                .await
                .expect("async-channel: send on a closed channel");
        }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move {
            rx.recv()
                .await
                .expect("async-channel: receive on a closed channel")
        }
    }
}

impl AsyncMpmc for AsyncChannel {}

impl AsyncSelect for AsyncChannel {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        async move {
            tokio::select! {
                msg = a.recv() => (0, msg.expect("async-channel: closed")),
                msg = b.recv() => (1, msg.expect("async-channel: closed")),
            }
        }
    }
}

impl Mixed for AsyncChannel {
    type BTx = Self::Tx;
    type BRx = Self::Rx;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx {
        tx
    }
    fn blocking_rx(rx: Self::Rx) -> Self::BRx {
        rx
    }
    #[inline]
    fn send_blocking(tx: &Self::BTx, msg: Msg) {
        tx.send_blocking(msg)
            .expect("async-channel: send on a closed channel");
    }
    #[inline]
    fn recv_blocking(rx: &mut Self::BRx) -> Msg {
        rx.recv_blocking()
            .expect("async-channel: receive on a closed channel")
    }
}

/// `tokio_mpsc` on the bounded flavors: `tokio::sync::mpsc::channel` (no
/// capacity 0: it panics).
struct TokioBounded;

impl AsyncChan for TokioBounded {
    type Tx = tokio::sync::mpsc::Sender<Msg>;
    type Rx = tokio::sync::mpsc::Receiver<Msg>;
    fn supports(flavor: Flavor) -> bool {
        matches!(flavor, Flavor::Bounded1 | Flavor::Bounded1024)
    }
    fn new(flavor: Flavor) -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::channel(flavor.cap().expect("a bounded flavor"))
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move {
            tx.send(msg).await.expect("tokio: send on a closed channel");
        }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move { rx.recv().await.expect("tokio: receive on a closed channel") }
    }
}

impl AsyncSelect for TokioBounded {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        async move {
            tokio::select! {
                msg = a.recv() => (0, msg.expect("tokio: closed")),
                msg = b.recv() => (1, msg.expect("tokio: closed")),
            }
        }
    }
}

impl Mixed for TokioBounded {
    type BTx = Self::Tx;
    type BRx = Self::Rx;
    fn blocking_tx(tx: Self::Tx) -> Self::BTx {
        tx
    }
    fn blocking_rx(rx: Self::Rx) -> Self::BRx {
        rx
    }
    #[inline]
    fn send_blocking(tx: &Self::BTx, msg: Msg) {
        tx.blocking_send(msg)
            .expect("tokio: send on a closed channel");
    }
    #[inline]
    fn recv_blocking(rx: &mut Self::BRx) -> Msg {
        rx.blocking_recv()
            .expect("tokio: receive on a closed channel")
    }
}

/// `tokio_mpsc` on `Unbounded`: `tokio::sync::mpsc::unbounded_channel`.
struct TokioUnbounded;

impl AsyncChan for TokioUnbounded {
    type Tx = tokio::sync::mpsc::UnboundedSender<Msg>;
    type Rx = tokio::sync::mpsc::UnboundedReceiver<Msg>;
    fn supports(flavor: Flavor) -> bool {
        flavor == Flavor::Unbounded
    }
    fn new(_: Flavor) -> (Self::Tx, Self::Rx) {
        tokio::sync::mpsc::unbounded_channel()
    }
    #[inline]
    fn send(tx: &Self::Tx, msg: Msg) -> impl Future<Output = ()> + Send + '_ {
        async move { tx.send(msg).expect("tokio: send on a closed channel") }
    }
    #[inline]
    fn recv(rx: &mut Self::Rx) -> impl Future<Output = Msg> + Send + '_ {
        async move { rx.recv().await.expect("tokio: receive on a closed channel") }
    }
}

impl AsyncSelect for TokioUnbounded {
    #[inline]
    fn select2<'a>(
        a: &'a mut Self::Rx,
        b: &'a mut Self::Rx,
    ) -> impl Future<Output = (usize, Msg)> + Send + 'a {
        async move {
            tokio::select! {
                msg = a.recv() => (0, msg.expect("tokio: closed")),
                msg = b.recv() => (1, msg.expect("tokio: closed")),
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Channel workloads
// ---------------------------------------------------------------------------

/// Awaits a task of the workload, propagating its panic.
async fn join<T>(handle: tokio::task::JoinHandle<T>) -> T {
    handle.await.expect("benchmark task panicked")
}

/// `Spsc` (`producers` = 1) and `Mpsc` (3): the producer tasks share the
/// messages, one more task receives them all.
fn to_one_receiver<C: AsyncChan>(
    rt: &Runtime,
    iters: u64,
    flavor: Flavor,
    producers: usize,
) -> Duration {
    let (tx, mut rx) = C::new(flavor);
    rt.block_on(async move {
        let start = Instant::now();
        let senders: Vec<_> = (0..producers)
            .map(|index| {
                let tx = tx.clone();
                let n = share(iters, producers, index);
                tokio::spawn(async move {
                    for k in 0..n {
                        C::send(&tx, k).await;
                    }
                })
            })
            .collect();
        let receiver = tokio::spawn(async move {
            for _ in 0..iters {
                black_box(C::recv(&mut rx).await);
            }
        });
        for sender in senders {
            join(sender).await;
        }
        join(receiver).await;
        let elapsed = start.elapsed();
        drop(tx);
        elapsed
    })
}

/// `Mpmc`: 2 producer and 2 consumer tasks, sharing the messages evenly.
fn mpmc<C: AsyncMpmc>(rt: &Runtime, iters: u64, flavor: Flavor) -> Duration {
    let (tx, rx) = C::new(flavor);
    rt.block_on(async move {
        let start = Instant::now();
        let mut tasks = Vec::new();
        for index in 0..2 {
            let n = share(iters, 2, index);
            let tx = tx.clone();
            tasks.push(tokio::spawn(async move {
                for k in 0..n {
                    C::send(&tx, k).await;
                }
            }));
            let mut rx = rx.clone();
            tasks.push(tokio::spawn(async move {
                for _ in 0..n {
                    black_box(C::recv(&mut rx).await);
                }
            }));
        }
        for task in tasks {
            join(task).await;
        }
        let elapsed = start.elapsed();
        drop((tx, rx));
        elapsed
    })
}

/// `PingPong`: two tasks, two channels of `flavor`; the first sends on `a`
/// and awaits the reply on `b`, the second receives on `a` and replies (the
/// value plus one) on `b`; `iters` round trips.
fn ping_pong<C: AsyncChan>(rt: &Runtime, iters: u64, flavor: Flavor) -> Duration {
    let (tx_a, mut rx_a) = C::new(flavor);
    let (tx_b, mut rx_b) = C::new(flavor);
    rt.block_on(async move {
        let start = Instant::now();
        let pong = tokio::spawn(async move {
            for _ in 0..iters {
                let value = C::recv(&mut rx_a).await;
                C::send(&tx_b, value + 1).await;
            }
        });
        let ping = tokio::spawn(async move {
            let mut value = 0;
            for _ in 0..iters {
                C::send(&tx_a, value).await;
                value = C::recv(&mut rx_b).await;
            }
            black_box(value);
        });
        join(ping).await;
        join(pong).await;
        start.elapsed()
    })
}

/// `SelectRx`: 2 producer tasks, a channel each; a consumer task selects
/// over the 2 receivers for every message. The main task holds a sender of
/// each channel until the end, so that neither closes while selected on.
fn select_rx<C: AsyncSelect>(rt: &Runtime, iters: u64, flavor: Flavor) -> Duration {
    let (tx_a, mut rx_a) = C::new(flavor);
    let (tx_b, mut rx_b) = C::new(flavor);
    rt.block_on(async move {
        let start = Instant::now();
        let senders: Vec<_> = [tx_a.clone(), tx_b.clone()]
            .into_iter()
            .enumerate()
            .map(|(index, tx)| {
                let n = share(iters, 2, index);
                tokio::spawn(async move {
                    for k in 0..n {
                        C::send(&tx, k).await;
                    }
                })
            })
            .collect();
        let receiver = tokio::spawn(async move {
            for _ in 0..iters {
                black_box(C::select2(&mut rx_a, &mut rx_b).await);
            }
        });
        join(receiver).await;
        for sender in senders {
            join(sender).await;
        }
        let elapsed = start.elapsed();
        drop((tx_a, tx_b));
        elapsed
    })
}

/// `MixedThreadToTask`: a blocking OS thread sends, a task receives.
fn thread_to_task<C: Mixed>(rt: &Runtime, iters: u64, flavor: Flavor) -> Duration {
    let (tx, mut rx) = C::new(flavor);
    let tx = C::blocking_tx(tx);
    rt.block_on(async move {
        let start = Instant::now();
        let sender = std::thread::spawn(move || {
            for k in 0..iters {
                C::send_blocking(&tx, k);
            }
        });
        let receiver = tokio::spawn(async move {
            for _ in 0..iters {
                black_box(C::recv(&mut rx).await);
            }
        });
        join(receiver).await;
        // Every message has been received: the thread is returning, and
        // no task needs this (the block_on) thread any more.
        sender.join().expect("sending thread panicked");
        start.elapsed()
    })
}

/// `MixedTaskToThread`: a task sends, a blocking OS thread receives.
fn task_to_thread<C: Mixed>(rt: &Runtime, iters: u64, flavor: Flavor) -> Duration {
    let (tx, rx) = C::new(flavor);
    let mut rx = C::blocking_rx(rx);
    rt.block_on(async move {
        let start = Instant::now();
        let receiver = std::thread::spawn(move || {
            for _ in 0..iters {
                black_box(C::recv_blocking(&mut rx));
            }
        });
        let sender = tokio::spawn(async move {
            for k in 0..iters {
                C::send(&tx, k).await;
            }
        });
        join(sender).await;
        // The thread needs no task to receive what is left in the buffer.
        receiver.join().expect("receiving thread panicked");
        start.elapsed()
    })
}

// ---------------------------------------------------------------------------
// WaitGroup workloads
// ---------------------------------------------------------------------------

/// `WaitGroupWake`, gosync: a task does `add(1)`, publishes the round and
/// awaits `wait_async()`; an OS thread sees the round and calls `done()`.
fn wake_gosync(rt: &Runtime, iters: u64) -> Duration {
    let wg = Arc::new(gosync_waitgroup::WaitGroup::new());
    let round = Arc::new(AtomicU64::new(0));
    rt.block_on(async move {
        let start = Instant::now();
        let releaser = {
            let (wg, round) = (Arc::clone(&wg), Arc::clone(&round));
            std::thread::spawn(move || {
                for i in 1..=iters {
                    // Acquire: pairs with the waiter's Release store, so
                    // its `add(1)` is visible before our `done()`.
                    spin_until(|| round.load(Ordering::Acquire) == i);
                    wg.done();
                }
            })
        };
        let waiter = tokio::spawn(async move {
            for i in 1..=iters {
                wg.add(1);
                round.store(i, Ordering::Release);
                wg.wait_async().await;
            }
        });
        join(waiter).await;
        let elapsed = start.elapsed();
        releaser.join().expect("releasing thread panicked");
        elapsed
    })
}

/// `WaitGroupWake`, `tokio_notify`: the same round with
/// `Notify::notified().await` and `notify_one()`.
fn wake_notify(rt: &Runtime, iters: u64) -> Duration {
    let notify = Arc::new(tokio::sync::Notify::new());
    let round = Arc::new(AtomicU64::new(0));
    rt.block_on(async move {
        let start = Instant::now();
        let releaser = {
            let (notify, round) = (Arc::clone(&notify), Arc::clone(&round));
            std::thread::spawn(move || {
                for i in 1..=iters {
                    // Acquire/Release: as in `wake_gosync`.
                    spin_until(|| round.load(Ordering::Acquire) == i);
                    notify.notify_one();
                }
            })
        };
        let waiter = tokio::spawn(async move {
            for i in 1..=iters {
                round.store(i, Ordering::Release);
                notify.notified().await;
            }
        });
        join(waiter).await;
        let elapsed = start.elapsed();
        releaser.join().expect("releasing thread panicked");
        elapsed
    })
}

/// What each task of a fan-out program awaits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Leaf {
    YieldNow,
    Sleep1ns,
}

impl Leaf {
    fn name(self) -> &'static str {
        match self {
            Leaf::YieldNow => "YieldNow",
            Leaf::Sleep1ns => "Sleep1ns",
        }
    }

    async fn run(self) {
        match self {
            Leaf::YieldNow => tokio::task::yield_now().await,
            Leaf::Sleep1ns => tokio::time::sleep(Duration::from_nanos(1)).await,
        }
    }
}

/// How a fan-out program spawns and joins its tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Joiner {
    /// `wg.track(..)` + `wg.wait_async()`.
    Gosync,
    /// tokio's `JoinSet`.
    JoinSet,
    /// tokio-util's `TaskTracker`.
    TaskTracker,
}

/// One fan-out program: [`TASKS`] tasks awaiting `leaf`, spawned and
/// joined the `joiner` way.
async fn program(joiner: Joiner, leaf: Leaf) {
    match joiner {
        Joiner::Gosync => {
            let wg = Arc::new(gosync_waitgroup::WaitGroup::new());
            for _ in 0..TASKS {
                drop(tokio::spawn(wg.track(leaf.run())));
            }
            wg.wait_async().await;
        }
        Joiner::JoinSet => {
            let mut set = tokio::task::JoinSet::new();
            for _ in 0..TASKS {
                set.spawn(leaf.run());
            }
            while let Some(done) = set.join_next().await {
                done.expect("fan-out task panicked");
            }
        }
        Joiner::TaskTracker => {
            let tracker = tokio_util::task::TaskTracker::new();
            for _ in 0..TASKS {
                drop(tracker.spawn(leaf.run()));
            }
            tracker.close();
            tracker.wait().await;
        }
    }
}

/// `FanOut100k_*`: `iters` programs, each run as a spawned task.
fn fan_out(rt: &Runtime, iters: u64, joiner: Joiner, leaf: Leaf) -> Duration {
    rt.block_on(async move {
        let start = Instant::now();
        for _ in 0..iters {
            join(tokio::spawn(program(joiner, leaf))).await;
        }
        start.elapsed()
    })
}

// ---------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------

/// One implementation's workload, on a runtime and criterion's `iters`.
type Workload = Box<dyn Fn(&Runtime, u64) -> Duration>;

/// An implementation's workloads by group key (the group name without the
/// runtime: `Spsc_Bounded0`, `WaitGroupWake`, `FanOut100k_YieldNow`).
type Workloads = HashMap<String, Workload>;

/// A group key: `<kind>` or `<kind>_<suffix>`.
fn key(kind: &str, suffix: &str) -> String {
    if suffix.is_empty() {
        kind.to_owned()
    } else {
        format!("{kind}_{suffix}")
    }
}

/// The criterion group of `key` on `rt`: `Async<kind>_<rt>[_<suffix>]`.
fn group_name(key: &str, rt: Rt) -> String {
    match key.split_once('_') {
        Some((kind, suffix)) => format!("Async{kind}_{}_{suffix}", rt.name()),
        None => format!("Async{key}_{}", rt.name()),
    }
}

/// The flavors of the select and mixed workloads.
const SELECT_FLAVORS: [Flavor; 2] = [Flavor::Bounded0, Flavor::Bounded1024];
const MIXED_FLAVORS: [Flavor; 2] = [Flavor::Bounded1024, Flavor::Bounded0];
const PING_PONG_FLAVORS: [Flavor; 2] = [Flavor::Bounded0, Flavor::Bounded1];
const LEAVES: [Leaf; 2] = [Leaf::YieldNow, Leaf::Sleep1ns];

/// Every group key, in run (and table) order.
fn key_order() -> Vec<String> {
    let mut order = Vec::new();
    for flavor in Flavor::ALL {
        for kind in ["Spsc", "Mpsc", "Mpmc"] {
            order.push(key(kind, flavor.name()));
        }
    }
    for flavor in PING_PONG_FLAVORS {
        order.push(key("PingPong", flavor.name()));
    }
    for flavor in SELECT_FLAVORS {
        order.push(key("SelectRx", flavor.name()));
    }
    for kind in ["MixedThreadToTask", "MixedTaskToThread"] {
        for flavor in MIXED_FLAVORS {
            order.push(key(kind, flavor.name()));
        }
    }
    order.push(key("WaitGroupWake", ""));
    for leaf in LEAVES {
        order.push(key("FanOut100k", leaf.name()));
    }
    order
}

fn add(
    workloads: &mut Workloads,
    key: String,
    workload: impl Fn(&Runtime, u64) -> Duration + 'static,
) {
    let previous = workloads.insert(key, Box::new(workload));
    assert!(previous.is_none(), "a group registered twice");
}

/// What every channel can run (on the flavors it has): one receiver.
fn single_receiver<C: AsyncSelect + Mixed>(workloads: &mut Workloads) {
    for flavor in Flavor::ALL.into_iter().filter(|&f| C::supports(f)) {
        add(workloads, key("Spsc", flavor.name()), move |rt, iters| {
            to_one_receiver::<C>(rt, iters, flavor, 1)
        });
        add(workloads, key("Mpsc", flavor.name()), move |rt, iters| {
            to_one_receiver::<C>(rt, iters, flavor, 3)
        });
    }
    for flavor in PING_PONG_FLAVORS.into_iter().filter(|&f| C::supports(f)) {
        add(
            workloads,
            key("PingPong", flavor.name()),
            move |rt, iters| ping_pong::<C>(rt, iters, flavor),
        );
    }
    for flavor in SELECT_FLAVORS.into_iter().filter(|&f| C::supports(f)) {
        add(
            workloads,
            key("SelectRx", flavor.name()),
            move |rt, iters| select_rx::<C>(rt, iters, flavor),
        );
    }
    for flavor in MIXED_FLAVORS.into_iter().filter(|&f| C::supports(f)) {
        add(
            workloads,
            key("MixedThreadToTask", flavor.name()),
            move |rt, iters| thread_to_task::<C>(rt, iters, flavor),
        );
        add(
            workloads,
            key("MixedTaskToThread", flavor.name()),
            move |rt, iters| task_to_thread::<C>(rt, iters, flavor),
        );
    }
}

/// What needs a receiver shared by several tasks.
fn shared_receiver<C: AsyncMpmc>(workloads: &mut Workloads) {
    for flavor in Flavor::ALL.into_iter().filter(|&f| C::supports_mpmc(f)) {
        add(workloads, key("Mpmc", flavor.name()), move |rt, iters| {
            mpmc::<C>(rt, iters, flavor)
        });
    }
}

fn channel_workloads<C: AsyncSelect + Mixed + AsyncMpmc>() -> Workloads {
    let mut workloads = Workloads::new();
    single_receiver::<C>(&mut workloads);
    shared_receiver::<C>(&mut workloads);
    workloads
}

fn fan_out_workloads(joiner: Joiner) -> Workloads {
    let mut workloads = Workloads::new();
    for leaf in LEAVES {
        add(
            &mut workloads,
            key("FanOut100k", leaf.name()),
            move |rt, iters| fan_out(rt, iters, joiner, leaf),
        );
    }
    workloads
}

fn channel_async(c: &mut Criterion) {
    // The functions of every group, in table order.
    let mut implementations: Vec<(&str, Workloads)> = vec![
        ("gosync", {
            let mut workloads = channel_workloads::<Gosync>();
            add(&mut workloads, key("WaitGroupWake", ""), wake_gosync);
            workloads.extend(fan_out_workloads(Joiner::Gosync));
            workloads
        }),
        ("flume", channel_workloads::<Flume>()),
        ("kanal", {
            let mut workloads = channel_workloads::<Kanal>();
            // kanal 0.1.1 hangs under `tokio::select!` over two of its
            // receive futures (every flavor, both runtimes): the consumer
            // stays pending with messages outstanding, as if a message
            // handed to the losing (dropped) future were lost. Not
            // measured there.
            for flavor in SELECT_FLAVORS {
                workloads.remove(&key("SelectRx", flavor.name()));
            }
            workloads
        }),
        ("async_channel", channel_workloads::<AsyncChannel>()),
        ("tokio_mpsc", {
            let mut workloads = Workloads::new();
            single_receiver::<TokioBounded>(&mut workloads);
            // Unbounded: a type of its own; of the rows with an
            // `Unbounded` column, only spsc and mpsc (no `Mpmc`: its
            // receiver cannot be shared).
            let flavor = Flavor::Unbounded;
            add(
                &mut workloads,
                key("Spsc", flavor.name()),
                move |rt, iters| to_one_receiver::<TokioUnbounded>(rt, iters, flavor, 1),
            );
            add(
                &mut workloads,
                key("Mpsc", flavor.name()),
                move |rt, iters| to_one_receiver::<TokioUnbounded>(rt, iters, flavor, 3),
            );
            workloads
        }),
        ("tokio_notify", {
            let mut workloads = Workloads::new();
            add(&mut workloads, key("WaitGroupWake", ""), wake_notify);
            workloads
        }),
        ("joinset", fan_out_workloads(Joiner::JoinSet)),
        ("task_tracker", fan_out_workloads(Joiner::TaskTracker)),
    ];
    let order = key_order();
    for (name, workloads) in &implementations {
        for group in workloads.keys() {
            assert!(order.contains(group), "{name}: {group} is in no group");
        }
    }
    for rt in Rt::ALL {
        let runtime = rt.build();
        for key in &order {
            assert!(implementations[0].1.contains_key(key), "gosync lacks {key}");
            let mut group = benchmark_group_timed(c, &group_name(key, rt), timing());
            for (function, workloads) in &mut implementations {
                if let Some(workload) = workloads.get(key) {
                    group.bench_function(*function, |b| {
                        b.iter_custom(|iters| workload(&runtime, iters));
                    });
                }
            }
            group.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = channel_async
}
criterion_main!(benches);
