//! The contract of `wait_async` and `track`, one test per promise, on
//! several executors.
#![cfg(not(gosync_loom))]

mod common;

use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use common::{scaled, within, HANG};
use gosync_waitgroup::{Tracked, WaitFut, WaitGroup};

/// A waker that counts its wake-ups.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl CountingWaker {
    fn new() -> (Arc<Self>, Waker) {
        let count = Arc::new(Self::default());
        let waker = Waker::from(Arc::clone(&count));
        (count, waker)
    }

    fn wakes(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Yields once to the executor, waking itself first so that it is polled
/// again (`futures::pending!` does not wake).
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

fn poll_once<F: Future + ?Sized>(fut: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    fut.poll(&mut Context::from_waker(waker))
}

/// The waiter half of the group's `Debug` output.
fn waiters(wg: &WaitGroup) -> String {
    let debug = format!("{wg:?}");
    debug
        .split("waiters: ")
        .nth(1)
        .unwrap()
        .trim_end_matches(" }")
        .to_owned()
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

/// Turns a hang inside a tokio runtime into a failure.
async fn bounded<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("hung for 30 s")
}

#[test]
fn traits() {
    fn assert_send_sync_unpin<T: Send + Sync + Unpin + std::fmt::Debug>() {}
    fn assert_send<T: Send>() {}
    fn assert_unpin<T: Unpin>() {}
    fn assert_static<T: 'static>() {}
    fn assert_debug<T: std::fmt::Debug>() {}
    assert_send_sync_unpin::<WaitFut<'static>>();
    type Ready = std::future::Ready<u8>;
    assert_send::<Tracked<Ready>>();
    assert_unpin::<Tracked<Ready>>();
    assert_static::<Tracked<Ready>>();
    // Debug without `F: Debug`.
    struct NotDebug;
    assert_debug::<Tracked<std::future::Ready<NotDebug>>>();
}

#[test]
fn zero_counter_is_ready_at_once_and_registers_nothing() {
    let wg = WaitGroup::new();
    let (count, waker) = CountingWaker::new();
    let mut fut = pin!(wg.wait_async());
    assert!(poll_once(fut.as_mut(), &waker).is_ready());
    assert!(
        poll_once(fut.as_mut(), &waker).is_ready(),
        "ready stays ready"
    );
    assert_eq!(count.wakes(), 0);
    assert_eq!(waiters(&wg), "0");
}

#[test]
fn the_wait_begins_at_the_first_poll() {
    let wg = WaitGroup::new();
    let (_, waker) = CountingWaker::new();
    let mut fut = pin!(wg.wait_async());
    wg.add(1);
    assert!(poll_once(fut.as_mut(), &waker).is_pending());
    assert_eq!(waiters(&wg), "1");
    wg.done();
    assert!(poll_once(fut.as_mut(), &waker).is_ready());
    assert_eq!(waiters(&wg), "0");
}

#[test]
fn debug_formats() {
    let wg = Arc::new(WaitGroup::new());
    wg.add(1);
    let (_, waker) = CountingWaker::new();
    let mut fut = Box::pin(wg.wait_async());
    assert!(format!("{fut:?}").contains("unpolled"));
    assert!(poll_once(fut.as_mut(), &waker).is_pending());
    assert_eq!(
        format!("{fut:?}"),
        "WaitFut { group: WaitGroup { count: 1, waiters: 1 }, stage: \"waiting\" }"
    );
    drop(fut);
    wg.done();
    let tracked = wg.track(std::future::ready(()));
    assert_eq!(
        format!("{tracked:?}"),
        "Tracked { group: WaitGroup { count: 1, waiters: 0 }, .. }"
    );
}

#[test]
fn released_by_done_from_a_thread() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let worker = {
            let wg = Arc::clone(&wg);
            std::thread::spawn(move || wg.done())
        };
        futures::executor::block_on(wg.wait_async());
        assert_eq!(wg.count(), 0);
        worker.join().unwrap();
    });
}

#[test]
fn released_by_done_from_a_local_pool_task() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        let mut pool = futures::executor::LocalPool::new();
        let spawner = pool.spawner();
        let seen = Arc::new(AtomicBool::new(false));
        wg.add(2);
        for _ in 0..2 {
            let wg = Arc::clone(&wg);
            futures::task::LocalSpawnExt::spawn_local(&spawner, async move {
                yield_now().await; // so that the waiter may park first
                wg.done();
            })
            .unwrap();
        }
        let waiter = {
            let (wg, seen) = (Arc::clone(&wg), Arc::clone(&seen));
            async move {
                wg.wait_async().await;
                seen.store(true, Ordering::Relaxed);
            }
        };
        pool.run_until(waiter);
        assert!(seen.load(Ordering::Relaxed));
        assert_eq!(wg.count(), 0);
    });
}

#[test]
#[cfg_attr(miri, ignore)] // tokio's multi-thread runtime is too slow under Miri
fn released_on_tokio_multi_thread() {
    multi_thread().block_on(bounded(async {
        let wg = Arc::new(WaitGroup::new());
        // Done from a task...
        wg.add(1);
        let task = {
            let wg = Arc::clone(&wg);
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                wg.done();
            })
        };
        wg.wait_async().await;
        task.await.unwrap();
        // ...and from a plain thread.
        wg.add(1);
        let thread = {
            let wg = Arc::clone(&wg);
            std::thread::spawn(move || wg.done())
        };
        wg.wait_async().await;
        thread.join().unwrap();
        assert_eq!(wg.count(), 0);
    }));
}

#[test]
#[cfg_attr(miri, ignore)]
fn released_on_tokio_current_thread() {
    current_thread().block_on(bounded(async {
        let wg = Arc::new(WaitGroup::new());
        for _ in 0..8 {
            wg.add(1);
            let wg = Arc::clone(&wg);
            tokio::spawn(async move {
                tokio::task::yield_now().await;
                wg.done();
            });
        }
        wg.wait_async().await;
        assert_eq!(wg.count(), 0);
    }));
}

#[test]
fn blocking_and_async_waiters_on_one_group() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        let done_flag = Arc::new(AtomicBool::new(false));
        wg.add(1);
        let blocking: Vec<_> = (0..2)
            .map(|_| {
                let (wg, flag) = (Arc::clone(&wg), Arc::clone(&done_flag));
                std::thread::spawn(move || {
                    wg.wait();
                    assert!(flag.load(Ordering::Relaxed));
                })
            })
            .collect();
        let asynchronous: Vec<_> = (0..2)
            .map(|_| {
                let (wg, flag) = (Arc::clone(&wg), Arc::clone(&done_flag));
                std::thread::spawn(move || {
                    futures::executor::block_on(wg.wait_async());
                    assert!(flag.load(Ordering::Relaxed));
                })
            })
            .collect();
        // Park one more async waiter by hand, so at least one is surely
        // registered when the release comes.
        let (count, waker) = CountingWaker::new();
        let mut fut = Box::pin(wg.wait_async());
        assert!(poll_once(fut.as_mut(), &waker).is_pending());
        done_flag.store(true, Ordering::Relaxed);
        wg.done();
        assert_eq!(count.wakes(), 1);
        assert!(poll_once(fut.as_mut(), &waker).is_ready());
        for t in blocking.into_iter().chain(asynchronous) {
            t.join().unwrap();
        }
        assert_eq!(waiters(&wg), "0");
    });
}

#[test]
fn released_then_risen_again_is_still_ready() {
    let wg = WaitGroup::new();
    wg.add(1);
    let (count, waker) = CountingWaker::new();
    let mut fut = pin!(wg.wait_async());
    assert!(poll_once(fut.as_mut(), &waker).is_pending());
    wg.done(); // the zero releases the future...
    assert_eq!(count.wakes(), 1);
    wg.add(1); // ...and the next round starts before it is polled again
    assert!(poll_once(fut.as_mut(), &waker).is_ready());
    assert_eq!(count.wakes(), 1);
    // A future of the new round waits for the new round.
    let mut next = pin!(wg.wait_async());
    assert!(poll_once(next.as_mut(), &waker).is_pending());
    wg.done();
    assert!(poll_once(next.as_mut(), &waker).is_ready());
    assert_eq!(count.wakes(), 2);
}

#[test]
fn repoll_with_another_waker_wakes_the_new_one() {
    let wg = WaitGroup::new();
    wg.add(1);
    let (first, first_waker) = CountingWaker::new();
    let (second, second_waker) = CountingWaker::new();
    let mut fut = pin!(wg.wait_async());
    assert!(poll_once(fut.as_mut(), &first_waker).is_pending());
    // The same waker again: kept (will_wake), still one registration.
    assert!(poll_once(fut.as_mut(), &first_waker).is_pending());
    assert!(poll_once(fut.as_mut(), &second_waker).is_pending());
    assert_eq!(waiters(&wg), "1");
    wg.done();
    assert_eq!((first.wakes(), second.wakes()), (0, 1));
    assert!(poll_once(fut.as_mut(), &second_waker).is_ready());
}

#[test]
fn dropping_a_registered_future_loses_no_other_wake_up() {
    let wg = WaitGroup::new();
    wg.add(1);
    let wakers: Vec<_> = (0..4).map(|_| CountingWaker::new()).collect();
    let mut futs: Vec<_> = (0..4).map(|_| Box::pin(wg.wait_async())).collect();
    for (fut, (_, waker)) in futs.iter_mut().zip(&wakers) {
        assert!(poll_once(fut.as_mut(), waker).is_pending());
    }
    assert_eq!(waiters(&wg), "4");
    // Drop the first and the third.
    drop(futs.remove(2));
    drop(futs.remove(0));
    assert_eq!(waiters(&wg), "2");
    wg.done();
    let wakes: Vec<_> = wakers.iter().map(|(c, _)| c.wakes()).collect();
    assert_eq!(wakes, [0, 1, 0, 1]);
    for (fut, waker) in futs.iter_mut().zip([&wakers[1].1, &wakers[3].1]) {
        assert!(poll_once(fut.as_mut(), waker).is_ready());
    }
    assert_eq!(waiters(&wg), "0");
}

#[test]
fn dropping_an_unpolled_or_finished_future_is_a_no_op() {
    let wg = WaitGroup::new();
    wg.add(1);
    drop(wg.wait_async());
    assert_eq!(waiters(&wg), "0");
    wg.done();
    let (_, waker) = CountingWaker::new();
    let mut fut = Box::pin(wg.wait_async());
    assert!(poll_once(fut.as_mut(), &waker).is_ready());
    drop(fut);
    assert_eq!(waiters(&wg), "0");
}

#[test]
fn many_futures_polled_once_and_dropped_leave_no_registration() {
    let wg = WaitGroup::new();
    wg.add(1);
    let (count, waker) = CountingWaker::new();
    for _ in 0..scaled(100_000) {
        let mut fut = pin!(wg.wait_async());
        assert!(poll_once(fut.as_mut(), &waker).is_pending());
    }
    assert_eq!(waiters(&wg), "0");
    wg.done();
    assert_eq!(count.wakes(), 0, "nobody left to wake");
}

#[test]
#[cfg_attr(miri, ignore)]
fn random_cancellation_then_a_final_wait() {
    multi_thread().block_on(bounded(async {
        let wg = Arc::new(WaitGroup::new());
        let rounds = 200;
        for round in 0..rounds {
            wg.add(2);
            for i in 0..2u64 {
                let wg = Arc::clone(&wg);
                tokio::spawn(async move {
                    if (round + i) % 3 == 0 {
                        tokio::time::sleep(Duration::from_micros(50)).await;
                    } else {
                        tokio::task::yield_now().await;
                    }
                    wg.done();
                });
            }
            // Several waiters race a short timer; the losers are dropped
            // while registered, at random points.
            let mut waiters = Vec::new();
            for _ in 0..3 {
                let wg = Arc::clone(&wg);
                waiters.push(tokio::spawn(async move {
                    tokio::select! {
                        _ = wg.wait_async() => true,
                        _ = tokio::time::sleep(Duration::from_micros(20)) => false,
                    }
                }));
            }
            for waiter in waiters {
                waiter.await.unwrap();
            }
            // The final wait must still be released.
            wg.wait_async().await;
            assert_eq!(wg.count(), 0);
        }
        assert_eq!(waiters(&wg), "0");
    }));
}

#[test]
fn track_done_on_completion() {
    let wg = Arc::new(WaitGroup::new());
    let dropped = Arc::new(AtomicBool::new(false));
    struct SetOnDrop(Arc<AtomicBool>);
    impl Drop for SetOnDrop {
        fn drop(&mut self) {
            self.0.store(true, Ordering::Relaxed);
        }
    }
    let guard = SetOnDrop(Arc::clone(&dropped));
    let (_, waker) = CountingWaker::new();
    let mut task = pin!(wg.track(async move {
        let _guard = guard;
        futures::pending!();
        7
    }));
    assert_eq!(wg.count(), 1);
    assert!(poll_once(task.as_mut(), &waker).is_pending());
    assert_eq!(wg.count(), 1);
    assert_eq!(poll_once(task.as_mut(), &waker), Poll::Ready(7));
    assert_eq!(wg.count(), 0);
    assert!(dropped.load(Ordering::Relaxed));
    // Polling again is a bug, reported clearly.
    let payload = catch_unwind(AssertUnwindSafe(|| poll_once(task.as_mut(), &waker)))
        .expect_err("a second poll panics");
    let message = payload.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("polled after it completed"), "{message}");
    assert_eq!(wg.count(), 0, "no second done()");
}

#[test]
fn track_done_when_dropped_unfinished() {
    let wg = Arc::new(WaitGroup::new());
    let never = wg.track(std::future::pending::<()>());
    let polled = wg.track(std::future::pending::<()>());
    assert_eq!(wg.count(), 2);
    drop(never); // never polled
    assert_eq!(wg.count(), 1);
    let (_, waker) = CountingWaker::new();
    let mut polled = Box::pin(polled);
    assert!(poll_once(polled.as_mut(), &waker).is_pending());
    drop(polled);
    assert_eq!(wg.count(), 0);
}

#[test]
fn track_done_during_the_unwinding_of_a_panicking_poll() {
    let wg = Arc::new(WaitGroup::new());
    let (_, waker) = CountingWaker::new();
    let seen_in_unwind = Arc::new(AtomicUsize::new(usize::MAX));
    // Records the count while the panic unwinds through the future's
    // locals, i.e. before `catch_unwind` returns.
    struct Probe(Arc<WaitGroup>, Arc<AtomicUsize>);
    impl Drop for Probe {
        fn drop(&mut self) {
            self.1.store(self.0.count(), Ordering::SeqCst);
        }
    }
    let mut task = Box::pin(wg.track(async {
        futures::pending!();
        panic!("task failed");
    }));
    assert!(poll_once(task.as_mut(), &waker).is_pending());
    let result = catch_unwind(AssertUnwindSafe(|| {
        let _probe = Probe(Arc::clone(&wg), Arc::clone(&seen_in_unwind));
        poll_once(task.as_mut(), &waker)
    }));
    assert!(result.is_err());
    assert_eq!(
        seen_in_unwind.load(Ordering::SeqCst),
        0,
        "done() ran during the unwind"
    );
    assert_eq!(wg.count(), 0);
    // The `Tracked` is still alive; keeping or dropping it changes nothing.
    let again = catch_unwind(AssertUnwindSafe(|| poll_once(task.as_mut(), &waker)));
    assert!(again.is_err(), "re-polling a panicked Tracked panics");
    drop(task);
    assert_eq!(wg.count(), 0);
}

#[test]
#[cfg_attr(miri, ignore)]
fn track_panicking_tokio_task_is_a_join_error_and_done() {
    multi_thread().block_on(bounded(async {
        let wg = Arc::new(WaitGroup::new());
        let ok = tokio::spawn(wg.track(async { 1 }));
        let failed = tokio::spawn(wg.track(async { panic!("task failed") }));
        wg.wait_async().await;
        assert_eq!(ok.await.unwrap(), 1);
        assert!(failed.await.unwrap_err().is_panic());
    }));
}

#[test]
#[cfg_attr(miri, ignore)]
fn track_100_000_tasks_on_tokio_multi_thread() {
    multi_thread().block_on(bounded(async {
        let wg = Arc::new(WaitGroup::new());
        let sum = Arc::new(AtomicUsize::new(0));
        for i in 0..100_000 {
            let sum = Arc::clone(&sum);
            tokio::spawn(wg.track(async move {
                if i % 7 == 0 {
                    tokio::task::yield_now().await;
                }
                sum.fetch_add(1, Ordering::Relaxed);
            }));
        }
        wg.wait_async().await;
        assert_eq!(sum.load(Ordering::Relaxed), 100_000);
        assert_eq!(wg.count(), 0);
    }));
}

/// The small-count twin of the 100,000-task test, which Miri runs: tracked
/// tasks (tracked here, so `add` precedes the wait) run on two threads'
/// `LocalPool`s and on the waiter's own pool.
#[test]
fn track_many_tasks_on_futures_executors() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        let sum = Arc::new(AtomicUsize::new(0));
        let per_pool = scaled(1_000);
        let mut batches: Vec<Vec<_>> = (0..3)
            .map(|_| {
                (0..per_pool)
                    .map(|_| {
                        let sum = Arc::clone(&sum);
                        wg.track(async move {
                            yield_now().await;
                            sum.fetch_add(1, Ordering::Relaxed);
                        })
                    })
                    .collect()
            })
            .collect();
        fn pool_of<F: Future<Output = ()> + 'static>(
            tasks: Vec<F>,
        ) -> futures::executor::LocalPool {
            let pool = futures::executor::LocalPool::new();
            for task in tasks {
                futures::task::LocalSpawnExt::spawn_local(&pool.spawner(), task).unwrap();
            }
            pool
        }
        let mut own = pool_of(batches.pop().unwrap());
        let threads: Vec<_> = batches
            .into_iter()
            .map(|tasks| std::thread::spawn(move || pool_of(tasks).run()))
            .collect();
        let waiter = {
            let wg = Arc::clone(&wg);
            async move { wg.wait_async().await }
        };
        own.run_until(waiter);
        assert_eq!(sum.load(Ordering::Relaxed), 3 * per_pool);
        assert_eq!(wg.count(), 0);
        for t in threads {
            t.join().unwrap();
        }
    });
}
