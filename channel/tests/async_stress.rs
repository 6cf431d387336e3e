//! Async stress: every message counted (drop-counted messages) while
//! futures are cancelled at random points, and the cross-mode matrix:
//! {blocking thread, tokio multi-thread, tokio current-thread,
//! `futures::executor`} on each end × {plain operation, select} ×
//! {bounded 0, 1, N, unbounded}.

mod common;

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use common::{Counted, Ledger};
use gosync_channel::{bounded, never, select, select_async, unbounded, Receiver, Sender};

const FLAVORS: [Option<usize>; 4] = [Some(0), Some(1), Some(8), None];

fn channel<T>(cap: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match cap {
        Some(cap) => bounded(cap),
        None => unbounded(),
    }
}

/// Ready after returning `Pending` `n` times (waking itself each time): a
/// cancellation point `n` polls away.
struct YieldTimes(u32);

impl Future for YieldTimes {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A small per-test random source (xorshift), seeded per task.
fn rng(seed: u64) -> impl FnMut() -> u32 {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 32) as u32
    }
}

fn runtime(multi: bool) -> tokio::runtime::Runtime {
    if multi {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    }
}

/// Producers and consumers, half threads and half tasks, where every
/// async operation races a random cancellation point. Checks that every
/// message is dropped exactly once, that no message is received twice,
/// and that on a buffered channel no cancelled send was received.
fn conserve_under_cancellation(cap: Option<usize>, multi: bool) {
    let per_producer = if cfg!(miri) { 20 } else { 2_000 };
    let producers = 4;
    let ledger = Ledger::new();
    let (tx, rx) = channel::<Counted>(cap);
    let received = Arc::new(Mutex::new(Vec::new()));
    let cancelled = Arc::new(Mutex::new(Vec::new()));
    let next_id = Arc::new(AtomicU64::new(0));
    let rt = runtime(multi);
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(120), async {
            let mut handles = Vec::new();
            for p in 0..producers {
                let tx = tx.clone();
                let ledger = Arc::clone(&ledger);
                let cancelled = Arc::clone(&cancelled);
                let next_id = Arc::clone(&next_id);
                if p % 2 == 0 {
                    handles.push(tokio::task::spawn_blocking(move || {
                        for _ in 0..per_producer {
                            let tag = next_id.fetch_add(1, Ordering::Relaxed);
                            tx.send(Counted::new(&ledger, tag)).unwrap();
                        }
                    }));
                } else {
                    handles.push(tokio::spawn(async move {
                        let mut random = rng(p as u64 + 1);
                        for _ in 0..per_producer {
                            let tag = next_id.fetch_add(1, Ordering::Relaxed);
                            let msg = Counted::new(&ledger, tag);
                            tokio::select! {
                                sent = tx.send_async(msg) => sent.unwrap(),
                                () = YieldTimes(random() % 4) => cancelled.lock().unwrap().push(tag),
                            }
                        }
                    }));
                }
            }
            drop(tx);
            for c in 0..4u64 {
                let rx = rx.clone();
                let received = Arc::clone(&received);
                if c % 2 == 0 {
                    handles.push(tokio::task::spawn_blocking(move || {
                        for msg in rx.iter() {
                            msg.assert_intact();
                            received.lock().unwrap().push(msg.tag());
                        }
                    }));
                } else {
                    handles.push(tokio::spawn(async move {
                        let mut random = rng(c + 100);
                        loop {
                            tokio::select! {
                                msg = rx.recv_async() => match msg {
                                    Ok(msg) => {
                                        msg.assert_intact();
                                        received.lock().unwrap().push(msg.tag());
                                    }
                                    Err(_) => break,
                                },
                                () = YieldTimes(random() % 4) => {}
                            }
                        }
                    }));
                }
            }
            drop(rx);
            for handle in handles {
                handle.await.unwrap();
            }
        })
        .await
        .expect("hung under random cancellation")
    });
    let received = received.lock().unwrap();
    let unique: HashSet<u64> = received.iter().copied().collect();
    assert_eq!(
        unique.len(),
        received.len(),
        "cap {cap:?}: a message received twice"
    );
    if cap != Some(0) {
        let cancelled = cancelled.lock().unwrap();
        let delivered: Vec<_> = cancelled
            .iter()
            .filter(|tag| unique.contains(tag))
            .collect();
        assert!(
            delivered.is_empty(),
            "cap {cap:?}: cancelled sends were received: {delivered:?}"
        );
    }
    ledger.assert_all_dropped_once();
}

#[test]
#[cfg_attr(miri, ignore = "tokio's multi-thread runtime under Miri is too slow")]
fn conservation_under_random_cancellation_multi_thread() {
    for cap in FLAVORS {
        conserve_under_cancellation(cap, true);
    }
}

#[test]
#[cfg_attr(miri, ignore = "tokio's blocking pool under Miri is too slow")]
fn conservation_under_random_cancellation_current_thread() {
    for cap in FLAVORS {
        conserve_under_cancellation(cap, false);
    }
}

/// Random cancellation of `select_async!` receive loops: nothing lost,
/// nothing twice.
#[test]
#[cfg_attr(miri, ignore = "tokio's multi-thread runtime under Miri is too slow")]
fn select_async_loops_under_random_cancellation_lose_nothing() {
    for cap in FLAVORS {
        let ledger = Ledger::new();
        let (tx1, rx1) = channel::<Counted>(cap);
        let (tx2, rx2) = channel::<Counted>(cap);
        let received = Arc::new(Mutex::new(Vec::new()));
        let rt = runtime(true);
        rt.block_on(async {
            tokio::time::timeout(Duration::from_secs(120), async {
                let producer = {
                    let ledger = Arc::clone(&ledger);
                    std::thread::spawn(move || {
                        for tag in 0..2_000u64 {
                            let tx = if tag % 2 == 0 { &tx1 } else { &tx2 };
                            tx.send(Counted::new(&ledger, tag)).unwrap();
                        }
                    })
                };
                let consumers: Vec<_> = (0..2u64)
                    .map(|c| {
                        let (rx1, rx2) = (rx1.clone(), rx2.clone());
                        let received = Arc::clone(&received);
                        tokio::spawn(async move {
                            let mut random = rng(c + 7);
                            let mut open = 2;
                            while open > 0 {
                                tokio::select! {
                                    got = async {
                                        select_async! {
                                            recv(rx1) -> msg => msg,
                                            recv(rx2) -> msg => msg,
                                        }
                                    } => match got {
                                        Ok(msg) => received.lock().unwrap().push(msg.tag()),
                                        // Closed is ready even with messages left
                                        // on the other channel: stop once both
                                        // are closed and drained.
                                        Err(_) => {
                                            let live = |rx: &Receiver<Counted>| !(rx.is_closed() && rx.is_empty());
                                            open = usize::from(live(&rx1)) + usize::from(live(&rx2));
                                        }
                                    },
                                    () = YieldTimes(random() % 4) => {}
                                }
                            }
                        })
                    })
                    .collect();
                drop((rx1, rx2));
                tokio::task::spawn_blocking(move || producer.join().unwrap())
                    .await
                    .unwrap();
                for consumer in consumers {
                    consumer.await.unwrap();
                }
            })
            .await
            .expect("hung")
        });
        let received = received.lock().unwrap();
        let unique: HashSet<u64> = received.iter().copied().collect();
        assert_eq!(unique.len(), received.len(), "cap {cap:?}: received twice");
        assert_eq!(unique.len(), 2_000, "cap {cap:?}: a message lost");
        ledger.assert_all_dropped_once();
    }
}

/// Where one end of the matrix runs.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Thread,
    TokioMulti,
    TokioCurrent,
    Futures,
}

const MODES: [Mode; 4] = [
    Mode::Thread,
    Mode::TokioMulti,
    Mode::TokioCurrent,
    Mode::Futures,
];

impl Mode {
    /// Runs `blocking` (thread) or `task` (the async modes) on a thread of
    /// its own.
    fn run<F>(
        self,
        blocking: impl FnOnce() + Send + 'static,
        task: impl FnOnce() -> F + Send + 'static,
    ) -> std::thread::JoinHandle<()>
    where
        F: Future<Output = ()>,
    {
        std::thread::spawn(move || match self {
            Mode::Thread => blocking(),
            Mode::TokioMulti => runtime(true).block_on(task()),
            Mode::TokioCurrent => runtime(false).block_on(task()),
            Mode::Futures => futures::executor::block_on(task()),
        })
    }
}

#[test]
#[cfg_attr(miri, ignore = "128 runtime pairs")]
fn cross_mode_matrix() {
    const COUNT: u64 = 200;
    for cap in FLAVORS {
        for sender in MODES {
            for receiver in MODES {
                for use_select in [false, true] {
                    let (tx, rx) = channel::<u64>(cap);
                    let tx2 = tx.clone();
                    let producer = sender.run(
                        move || {
                            for i in 0..COUNT {
                                if use_select {
                                    select! { send(tx, i) -> res => res.unwrap() }
                                } else {
                                    tx.send(i).unwrap();
                                }
                            }
                        },
                        move || async move {
                            for i in 0..COUNT {
                                if use_select {
                                    select_async! { send(tx2, i) -> res => res.unwrap() }
                                } else {
                                    tx2.send_async(i).await.unwrap();
                                }
                            }
                        },
                    );
                    let sum = Arc::new(AtomicU64::new(0));
                    let (sum1, sum2) = (Arc::clone(&sum), Arc::clone(&sum));
                    let rx2 = rx.clone();
                    let consumer = receiver.run(
                        move || {
                            let idle = never::<u64>();
                            for _ in 0..COUNT {
                                let v = if use_select {
                                    select! {
                                        recv(rx) -> v => v.unwrap(),
                                        recv(idle) -> _v => unreachable!(),
                                    }
                                } else {
                                    rx.recv().unwrap()
                                };
                                sum1.fetch_add(v, Ordering::Relaxed);
                            }
                        },
                        move || async move {
                            let idle = never::<u64>();
                            for _ in 0..COUNT {
                                let v = if use_select {
                                    select_async! {
                                        recv(rx2) -> v => v.unwrap(),
                                        recv(idle) -> _v => unreachable!(),
                                    }
                                } else {
                                    rx2.recv_async().await.unwrap()
                                };
                                sum2.fetch_add(v, Ordering::Relaxed);
                            }
                        },
                    );
                    let what =
                        format!("cap {cap:?}, {sender:?} -> {receiver:?}, select {use_select}");
                    gosync_testkit::within(common::HANG, move || {
                        producer.join().unwrap();
                        consumer.join().unwrap();
                    });
                    assert_eq!(
                        sum.load(Ordering::Relaxed),
                        COUNT * (COUNT - 1) / 2,
                        "{what}"
                    );
                }
            }
        }
    }
}

/// The same matrix in miniature for Miri: a plain executor against a
/// thread, every flavor, both directions.
#[test]
fn futures_executor_against_a_thread() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u64>(cap);
        let producer = std::thread::spawn(move || (0..10).for_each(|i| tx.send(i).unwrap()));
        let got: Vec<u64> = futures::executor::block_on(async {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv_async().await {
                got.push(v);
            }
            got
        });
        producer.join().unwrap();
        assert_eq!(got, (0..10).collect::<Vec<_>>(), "cap {cap:?}");

        let (tx, rx) = channel::<u64>(cap);
        let consumer = std::thread::spawn(move || rx.iter().collect::<Vec<_>>());
        futures::executor::block_on(async move {
            for i in 0..10 {
                tx.send_async(i).await.unwrap();
            }
        });
        assert_eq!(consumer.join().unwrap(), (0..10).collect::<Vec<_>>());
    }
}
