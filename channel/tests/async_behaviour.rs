//! The async side's contract, case by case: one channel for threads and
//! tasks, rendezvous kept, cancellation safety on both ends, FIFO permits,
//! close, wakers, and `select_async!`.
//!
//! Futures are polled by hand (with a counting waker) where a test must
//! see an exact state between polls, and run on tokio (multi-thread and
//! current-thread) or `futures::executor` otherwise.

mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use common::{Counted, Ledger};
use gosync_channel::{
    after, bounded, never, select_async, tick, unbounded, Receiver, RecvError, Select, SendError,
    Sender, TrySendError,
};

/// A waker that counts its wake-ups.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Counter {
    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

fn counting() -> (Arc<Counter>, Waker) {
    let counter = Arc::new(Counter::default());
    let waker = Waker::from(Arc::clone(&counter));
    (counter, waker)
}

/// Polls `fut` once with `waker`.
fn poll_once<F: Future + Unpin>(fut: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(fut).poll(&mut Context::from_waker(waker))
}

/// The capacities every flavor test runs on (`None`: unbounded).
const FLAVORS: [Option<usize>; 4] = [Some(0), Some(1), Some(16), None];

fn channel<T>(cap: Option<usize>) -> (Sender<T>, Receiver<T>) {
    match cap {
        Some(cap) => bounded(cap),
        None => unbounded(),
    }
}

fn multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `fut` on `rt`, failing instead of hanging.
fn run<F: Future>(rt: &tokio::runtime::Runtime, fut: F) -> F::Output {
    rt.block_on(async {
        tokio::time::timeout(Duration::from_secs(60), fut)
            .await
            .expect("the test hung")
    })
}

fn n(full: usize) -> usize {
    if cfg!(miri) {
        (full / 100).max(4)
    } else {
        full
    }
}

#[test]
fn every_future_stream_and_sink_is_send_unpin_and_debug() {
    fn check<F: Send + Unpin + std::fmt::Debug>(_: &F) {}
    let (tx, rx) = bounded::<String>(1);
    check(&tx.send_async(String::new()));
    check(&tx.clone().into_send_async(String::new()));
    check(&tx.sink());
    check(&tx.clone().into_sink());
    check(&rx.recv_async());
    check(&rx.clone().into_recv_async());
    check(&rx.stream());
    check(&rx.clone().into_stream());
    // Unpin for every T, even one that is not.
    fn unpin<F: Unpin>(_: &F) {}
    let (tx, rx) = unbounded::<std::marker::PhantomPinned>();
    unpin(&tx.send_async(std::marker::PhantomPinned));
    unpin(&rx.recv_async());
}

#[test]
fn an_async_block_with_select_async_is_send() {
    fn check<F: Future + Send>(_: F) {}
    let (tx, rx) = bounded::<u32>(1);
    check(async move {
        select_async! {
            recv(rx) -> _msg => {},
            send(tx, 1) -> _res => {},
        }
    });
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a multi-thread runtime's threads outlive the test (Miri's leak check)"
)]
fn messages_cross_between_threads_and_tasks_on_every_flavor() {
    let rt = multi_thread();
    for cap in FLAVORS {
        let count = n(2_000);
        // thread -> task
        let (tx, rx) = channel::<usize>(cap);
        let producer = std::thread::spawn(move || (0..count).for_each(|i| tx.send(i).unwrap()));
        let got: Vec<usize> = run(&rt, async {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv_async().await {
                got.push(v);
            }
            got
        });
        producer.join().unwrap();
        assert_eq!(got, (0..count).collect::<Vec<_>>(), "cap {cap:?}");
        // task -> thread
        let (tx, rx) = channel::<usize>(cap);
        let consumer = std::thread::spawn(move || rx.iter().collect::<Vec<_>>());
        run(&rt, async move {
            for i in 0..count {
                tx.send_async(i).await.unwrap();
            }
        });
        assert_eq!(consumer.join().unwrap(), (0..count).collect::<Vec<_>>());
        // task -> task, on both runtimes
        for rt in [multi_thread(), current_thread()] {
            let (tx, rx) = channel::<usize>(cap);
            let got = run(&rt, async move {
                let producer = tokio::spawn(async move {
                    for i in 0..count {
                        tx.send_async(i).await.unwrap();
                    }
                });
                let mut got = Vec::new();
                while let Ok(v) = rx.recv_async().await {
                    got.push(v);
                }
                producer.await.unwrap();
                got
            });
            assert_eq!(got, (0..count).collect::<Vec<_>>(), "cap {cap:?}");
        }
    }
}

#[test]
fn works_on_a_plain_executor() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let mut pool = futures::executor::LocalPool::new();
        use futures::task::LocalSpawnExt;
        pool.spawner()
            .spawn_local(async move {
                for i in 0..100 {
                    tx.send_async(i).await.unwrap();
                }
            })
            .unwrap();
        let got = pool.run_until(async move {
            let mut got = Vec::new();
            while let Ok(v) = rx.recv_async().await {
                got.push(v);
            }
            got
        });
        assert_eq!(got, (0..100).collect::<Vec<_>>(), "cap {cap:?}");
    }
}

#[test]
fn rendezvous_send_async_completes_only_once_the_message_is_taken() {
    let (tx, rx) = bounded::<u32>(0);
    let (wakes, waker) = counting();
    let mut send = tx.send_async(7);
    assert!(poll_once(&mut send, &waker).is_pending());
    assert!(
        poll_once(&mut send, &waker).is_pending(),
        "nobody took it yet"
    );
    assert_eq!(rx.try_recv(), Ok(7));
    assert!(wakes.wakes() >= 1, "the receiver wakes the sender");
    assert_eq!(poll_once(&mut send, &waker), Poll::Ready(Ok(())));
}

#[test]
fn rendezvous_between_two_tasks_polled_by_hand() {
    let (tx, rx) = bounded::<u32>(0);
    let (_, waker) = counting();
    let mut recv = rx.recv_async();
    let mut send = tx.send_async(1);
    assert!(poll_once(&mut recv, &waker).is_pending());
    assert!(
        poll_once(&mut send, &waker).is_pending(),
        "waits for the receiver to take it"
    );
    assert_eq!(poll_once(&mut recv, &waker), Poll::Ready(Ok(1)));
    assert_eq!(poll_once(&mut send, &waker), Poll::Ready(Ok(())));
}

#[test]
fn a_dropped_recv_future_takes_nothing_on_every_flavor() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let (_, waker) = counting();
        let mut first = rx.recv_async();
        assert!(poll_once(&mut first, &waker).is_pending());
        let mut second = rx.recv_async();
        assert!(poll_once(&mut second, &waker).is_pending());
        // The send wakes one of them (or, unbuffered, is kept for one).
        let sent = match cap {
            Some(0) => tx.try_send(5).is_ok(),
            _ => tx.send(5).is_ok(),
        };
        assert!(sent, "cap {cap:?}: a pending receive is a waiting receiver");
        drop(first);
        assert_eq!(
            poll_once(&mut second, &waker),
            Poll::Ready(Ok(5)),
            "cap {cap:?}"
        );
    }
}

#[test]
fn a_rendezvous_message_handed_to_a_dropped_task_is_kept_for_the_next_receiver() {
    let (tx, rx) = bounded::<u32>(0);
    let (_, waker) = counting();
    let mut recv = rx.recv_async();
    assert!(poll_once(&mut recv, &waker).is_pending());
    assert_eq!(
        tx.try_send(9),
        Ok(()),
        "a pending task counts as a waiting receiver"
    );
    drop(recv);
    assert_eq!((rx.len(), tx.len()), (1, 1), "the kept message counts");
    assert!(!rx.is_empty() && !tx.is_empty());
    assert_eq!(rx.try_recv(), Ok(9));
    assert_eq!((rx.len(), tx.len()), (0, 0));
    assert!(rx.is_empty() && tx.is_empty());
    assert_eq!(
        tx.try_send(10),
        Err(TrySendError::Full(10)),
        "nobody waits now"
    );
}

#[test]
fn a_kept_message_goes_to_a_blocked_thread() {
    let (tx, rx) = bounded::<u32>(0);
    let (_, waker) = counting();
    let mut recv = rx.recv_async();
    assert!(poll_once(&mut recv, &waker).is_pending());
    assert_eq!(tx.try_send(3), Ok(()));
    let rx2 = rx.clone();
    let thread = std::thread::spawn(move || rx2.recv());
    drop(recv);
    assert_eq!(thread.join().unwrap(), Ok(3));
}

#[test]
fn a_dropped_send_future_delivers_nothing_on_buffered_channels() {
    for cap in [Some(1), Some(16)] {
        let ledger = Ledger::new();
        let (tx, rx) = channel::<Counted>(cap);
        while tx.try_send(Counted::new(&ledger, 0)).is_ok() {}
        let (_, waker) = counting();
        let mut send = tx.send_async(Counted::new(&ledger, 1));
        assert!(poll_once(&mut send, &waker).is_pending());
        drop(send);
        let tags: Vec<u64> = rx.try_iter().map(|m| m.tag()).collect();
        assert!(tags.iter().all(|&t| t == 0), "cap {cap:?}: {tags:?}");
        drop(rx);
        drop(tx);
        ledger.assert_all_dropped_once();
    }
}

#[test]
fn blocked_send_futures_get_room_in_the_order_they_blocked() {
    let (tx, rx) = bounded::<u32>(1);
    tx.send(0).unwrap();
    let (_, waker) = counting();
    let mut a = tx.send_async(1);
    let mut b = tx.send_async(2);
    assert!(poll_once(&mut a, &waker).is_pending());
    assert!(poll_once(&mut b, &waker).is_pending());
    // A new sender does not barge ahead of the queue.
    assert_eq!(tx.try_send(9), Err(TrySendError::Full(9)));
    assert_eq!(rx.recv(), Ok(0));
    assert!(poll_once(&mut b, &waker).is_pending(), "b is behind a");
    assert_eq!(poll_once(&mut a, &waker), Poll::Ready(Ok(())));
    assert_eq!(rx.recv(), Ok(1));
    assert_eq!(poll_once(&mut b, &waker), Poll::Ready(Ok(())));
    assert_eq!(rx.recv(), Ok(2));
}

#[test]
fn a_dropped_send_future_passes_its_permit_on() {
    let (tx, rx) = bounded::<u32>(1);
    tx.send(0).unwrap();
    let (_, waker) = counting();
    let mut a = tx.send_async(1);
    let mut b = tx.send_async(2);
    assert!(poll_once(&mut a, &waker).is_pending());
    assert!(poll_once(&mut b, &waker).is_pending());
    assert_eq!(rx.recv(), Ok(0)); // the slot is now a's permit
    drop(a);
    assert_eq!(poll_once(&mut b, &waker), Poll::Ready(Ok(())));
    assert_eq!(rx.try_recv(), Ok(2));
    assert!(rx.try_recv().is_err());
}

#[test]
fn close_wakes_pending_futures_and_hands_messages_back() {
    for cap in [Some(0), Some(1)] {
        let (tx, rx) = channel::<u32>(cap);
        if cap == Some(1) {
            tx.send(0).unwrap();
        }
        let (wakes, waker) = counting();
        let mut send = tx.send_async(1);
        assert!(poll_once(&mut send, &waker).is_pending());
        rx.close();
        assert!(wakes.wakes() >= 1);
        assert_eq!(poll_once(&mut send, &waker), Poll::Ready(Err(SendError(1))));
    }
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let (wakes, waker) = counting();
        let mut recv = rx.recv_async();
        assert!(poll_once(&mut recv, &waker).is_pending());
        drop(tx);
        assert!(wakes.wakes() >= 1, "cap {cap:?}");
        assert_eq!(poll_once(&mut recv, &waker), Poll::Ready(Err(RecvError)));
    }
}

#[test]
fn buffered_messages_drain_to_futures_after_close() {
    let (tx, rx) = bounded(4);
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    tx.close();
    futures::executor::block_on(async {
        assert_eq!(rx.recv_async().await, Ok(1));
        assert_eq!(rx.recv_async().await, Ok(2));
        assert_eq!(rx.recv_async().await, Err(RecvError));
    });
}

#[test]
fn a_repoll_with_another_waker_is_woken_through_the_new_one() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let (old, old_waker) = counting();
        let (new, new_waker) = counting();
        let mut recv = rx.recv_async();
        assert!(poll_once(&mut recv, &old_waker).is_pending());
        assert!(poll_once(&mut recv, &new_waker).is_pending());
        let before = old.wakes();
        match cap {
            Some(0) => tx.try_send(1).unwrap(),
            _ => tx.send(1).unwrap(),
        }
        assert!(new.wakes() >= 1, "cap {cap:?}");
        assert_eq!(old.wakes(), before, "cap {cap:?}");
        assert_eq!(poll_once(&mut recv, &new_waker), Poll::Ready(Ok(1)));
    }
}

#[test]
fn many_dropped_pending_futures_leave_the_channel_working() {
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let (_, waker) = counting();
        for _ in 0..n(10_000) {
            let mut recv = rx.recv_async();
            assert!(poll_once(&mut recv, &waker).is_pending());
        }
        if cap == Some(1) {
            tx.send(0).unwrap();
            for _ in 0..n(10_000) {
                let mut send = tx.send_async(1);
                assert!(poll_once(&mut send, &waker).is_pending());
            }
            assert_eq!(rx.recv(), Ok(0));
        }
        let rx2 = rx.clone();
        let thread = std::thread::spawn(move || rx2.recv());
        tx.send(42).unwrap();
        assert_eq!(thread.join().unwrap(), Ok(42), "cap {cap:?}");
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a multi-thread runtime's threads outlive the test (Miri's leak check)"
)]
fn streams_and_sinks_carry_every_message() {
    use futures::{SinkExt, StreamExt};
    let rt = multi_thread();
    for cap in FLAVORS {
        let (tx, rx) = channel::<usize>(cap);
        let count = n(1_000);
        let got = run(&rt, async move {
            let producer = tokio::spawn(async move {
                let mut sink = tx.into_sink();
                for i in 0..count {
                    sink.send(i).await.unwrap();
                }
                sink.close().await.unwrap();
            });
            let got: Vec<usize> = rx.into_stream().collect().await;
            producer.await.unwrap();
            got
        });
        assert_eq!(got, (0..count).collect::<Vec<_>>(), "cap {cap:?}");
    }
}

#[test]
fn a_stream_is_fused() {
    use futures::stream::FusedStream;
    use futures::StreamExt;
    let (tx, rx) = unbounded::<u8>();
    drop(tx);
    let mut stream = rx.stream();
    futures::executor::block_on(async {
        assert_eq!(stream.next().await, None);
        assert!(stream.is_terminated());
        assert_eq!(stream.next().await, None);
    });
}

#[test]
fn select_async_chooses_uniformly_among_ready_cases() {
    let (tx1, rx1) = unbounded::<u8>();
    let (tx2, rx2) = unbounded::<u8>();
    let rounds = n(4_000);
    let mut firsts = 0;
    futures::executor::block_on(async {
        for _ in 0..rounds {
            tx1.send(1).unwrap();
            tx2.send(2).unwrap();
            let got = select_async! {
                recv(rx1) -> v => v.unwrap(),
                recv(rx2) -> v => v.unwrap(),
            };
            if got == 1 {
                firsts += 1;
                rx2.try_recv().unwrap();
            } else {
                rx1.try_recv().unwrap();
            }
        }
    });
    if !cfg!(miri) {
        let share = firsts as f64 / rounds as f64;
        assert!(
            (0.4..0.6).contains(&share),
            "first case chosen {share:.2} of the time"
        );
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a multi-thread runtime's threads outlive the test (Miri's leak check)"
)]
fn select_async_waits_for_a_thread_and_commits_exactly_one_case() {
    let rt = multi_thread();
    for cap in FLAVORS {
        let (tx1, rx1) = channel::<u32>(cap);
        let (tx2, rx2) = channel::<u32>(cap);
        // The senders stay alive until joined: a closed channel is ready.
        let sender = std::thread::spawn(move || {
            tx1.send(1).unwrap();
            tx2.send(2).unwrap();
            (tx1, tx2)
        });
        let (a, b) = run(&rt, async {
            let a = select_async! {
                recv(rx1) -> v => v.unwrap(),
                recv(rx2) -> v => v.unwrap(),
            };
            let b = select_async! {
                recv(rx1) -> v => v.unwrap(),
                recv(rx2) -> v => v.unwrap(),
            };
            (a, b)
        });
        sender.join().unwrap();
        let mut both = [a, b];
        both.sort();
        assert_eq!(both, [1, 2], "cap {cap:?}");
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "a multi-thread runtime's threads outlive the test (Miri's leak check)"
)]
fn select_async_send_cases_reach_threads_and_tasks() {
    let rt = multi_thread();
    for cap in FLAVORS {
        let (tx, rx) = channel::<u32>(cap);
        let consumer = std::thread::spawn(move || rx.iter().collect::<Vec<_>>());
        run(&rt, async move {
            for i in 0..50 {
                select_async! {
                    send(tx, i) -> res => res.unwrap(),
                }
            }
        });
        assert_eq!(
            consumer.join().unwrap(),
            (0..50).collect::<Vec<_>>(),
            "cap {cap:?}"
        );

        let (tx, rx) = channel::<u32>(cap);
        let got = run(&rt, async move {
            let consumer = tokio::spawn(async move {
                let mut got = Vec::new();
                while let Ok(v) = rx.recv_async().await {
                    got.push(v);
                }
                got
            });
            for i in 0..50 {
                select_async! {
                    send(tx, i) -> res => res.unwrap(),
                }
            }
            drop(tx);
            consumer.await.unwrap()
        });
        assert_eq!(got, (0..50).collect::<Vec<_>>(), "cap {cap:?}");
    }
}

#[test]
fn a_dropped_select_async_commits_nothing() {
    for cap in FLAVORS {
        let (tx1, rx1) = channel::<u32>(cap);
        let (_tx2, rx2) = channel::<u32>(cap);
        let (_, waker) = counting();
        {
            let mut fut = Box::pin(async {
                select_async! {
                    recv(rx1) -> v => v,
                    recv(rx2) -> v => v,
                }
            });
            assert!(fut
                .as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending());
            match cap {
                Some(0) => tx1.try_send(1).unwrap(),
                _ => tx1.send(1).unwrap(),
            }
        }
        assert_eq!(rx1.try_recv(), Ok(1), "cap {cap:?}");
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "the timer thread outlives the test (Miri's leak check)"
)]
fn select_async_default_and_timeouts() {
    let (_tx, rx) = bounded::<u8>(1);
    futures::executor::block_on(async {
        let got = select_async! {
            recv(rx) -> _v => "message",
            default => "empty",
        };
        assert_eq!(got, "empty");
        let start = Instant::now();
        let got = select_async! {
            recv(rx) -> _v => "message",
            default(Duration::from_millis(20)) => "timed out",
        };
        assert_eq!(got, "timed out");
        assert!(start.elapsed() >= Duration::from_millis(20));
    });
}

#[test]
#[cfg_attr(
    miri,
    ignore = "the timer thread outlives the test (Miri's leak check)"
)]
fn after_tick_and_never_in_async_code() {
    let rt = current_thread();
    run(&rt, async {
        let start = Instant::now();
        let timer = after(Duration::from_millis(10));
        let at = timer.recv_async().await.unwrap();
        assert!(at >= start + Duration::from_millis(10));
        let ticks = tick(Duration::from_millis(5));
        for _ in 0..3 {
            ticks.recv_async().await.unwrap();
        }
        assert!(start.elapsed() >= Duration::from_millis(25));
        let nothing = never::<u8>();
        let got = select_async! {
            recv(nothing) -> _v => "never",
            recv(after(Duration::from_millis(5))) -> _v => "after",
        };
        assert_eq!(got, "after");
    });
}

#[test]
fn dynamic_select_async() {
    let (tx, rx) = bounded::<u8>(0);
    let (_tx_idle, rx_idle) = bounded::<u8>(0);
    let thread = std::thread::spawn(move || tx.send(4).unwrap());
    futures::executor::block_on(async {
        let mut sel = Select::new();
        let _idle = sel.recv(&rx_idle);
        let live = sel.recv(&rx);
        let op = sel.select_async().await;
        assert_eq!(op.index(), live);
        assert_eq!(op.recv(&rx), Ok(4));
    });
    thread.join().unwrap();
}

/// Many pending futures, then all dropped in a scrambled order: each drop
/// withdraws its entry in O(1) (a quadratic withdrawal would take minutes
/// here and trip the hang bound), and the channel works as before.
#[test]
#[cfg_attr(miri, ignore = "100,000 futures")]
fn a_hundred_thousand_dropped_futures_leave_in_any_order() {
    gosync_testkit::within(gosync_testkit::HANG, || {
        let (_counter, waker) = counting();
        for cap in FLAVORS {
            let (tx, rx) = channel::<u32>(cap);
            let mut futures: Vec<_> = (0..100_000).map(|_| rx.recv_async()).collect();
            for fut in &mut futures {
                assert!(poll_once(fut, &waker).is_pending());
            }
            let mut rng = gosync_testkit::Rng::new(cap.map_or(99, |cap| cap as u64));
            while !futures.is_empty() {
                let at = rng.below(futures.len());
                drop(futures.swap_remove(at));
            }
            let sender = std::thread::spawn(move || tx.send(7));
            assert_eq!(rx.recv(), Ok(7), "capacity {cap:?}");
            sender.join().unwrap().unwrap();
        }
    });
}

#[test]
#[cfg_attr(miri, ignore = "100,000 tasks")]
fn a_hundred_thousand_parked_tasks_all_finish_on_close() {
    // Each woken task withdraws its own entry in O(1), so this is linear
    // in the tasks even under ThreadSanitizer.
    let rt = multi_thread();
    let (tx, rx) = bounded::<u8>(0);
    let finished = run(&rt, async move {
        let tasks: Vec<_> = (0..100_000)
            .map(|_| {
                let rx = rx.clone();
                tokio::spawn(async move { rx.recv_async().await })
            })
            .collect();
        // Let them park (not needed for correctness: a task that has not
        // started yet sees the close when it does).
        tokio::task::yield_now().await;
        tx.close();
        let mut finished = 0;
        for task in tasks {
            assert_eq!(task.await.unwrap(), Err(RecvError));
            finished += 1;
        }
        finished
    });
    assert_eq!(finished, 100_000);
}
