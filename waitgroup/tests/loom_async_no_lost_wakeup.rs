//! No lost wake-up, async side: a `wait_async` future registering
//! concurrently with the last `done` is always woken, also beside a
//! blocking waiter, and a future released by a zero completes even when
//! the group has been re-added before it is polled again. A lost wake-up
//! leaves `loom::future::block_on` parked forever, which loom reports as a
//! deadlock.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_async_no_lost_wakeup`
#![cfg(gosync_loom)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Wake, Waker};

use loom::future::block_on;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::Arc;
use loom::thread;

use gosync_testkit::loom_support::model;
use gosync_waitgroup::WaitGroup;

/// A waker that does nothing: the first, hand-made poll's. It is replaced
/// when `block_on` polls with its own.
struct Noop;

impl Wake for Noop {
    fn wake(self: std::sync::Arc<Self>) {}
}

#[test]
fn waiter_registered_concurrently_with_the_last_done() {
    model(|| {
        let wg = Arc::new(WaitGroup::new());
        let finished = Arc::new(AtomicBool::new(false));
        wg.add(1);
        let worker = {
            let (wg, finished) = (Arc::clone(&wg), Arc::clone(&finished));
            thread::spawn(move || {
                finished.store(true, Ordering::Relaxed);
                wg.done();
            })
        };
        block_on(wg.wait_async());
        // Relaxed is enough to *read* here: the edge is `wait_async`'s,
        // checked by loom_async_done_before_wait.
        assert!(
            finished.load(Ordering::Relaxed),
            "wait_async returned before done"
        );
        worker.join().unwrap();
        assert_eq!(wg.count(), 0);
    });
}

#[test]
fn async_and_blocking_waiters_with_one_done() {
    model(|| {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let blocking = {
            let wg = Arc::clone(&wg);
            thread::spawn(move || wg.wait())
        };
        let worker = {
            let wg = Arc::clone(&wg);
            thread::spawn(move || wg.done())
        };
        block_on(wg.wait_async());
        blocking.join().unwrap();
        worker.join().unwrap();
        assert_eq!(wg.count(), 0);
    });
}

#[test]
fn released_then_re_added_before_the_next_poll() {
    // The future registers while the counter is 1; another thread brings
    // it to zero and straight back to 1, and only after the future has
    // completed does anyone call `done` again. So the future must complete
    // on the first zero alone, whether its next poll comes before that
    // zero, between it and the re-add, or after the re-add.
    model(|| {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let mut fut = pin!(wg.wait_async());
        let noop = Waker::from(std::sync::Arc::new(Noop));
        assert!(fut
            .as_mut()
            .poll(&mut Context::from_waker(&noop))
            .is_pending());
        let reuser = {
            let wg = Arc::clone(&wg);
            thread::spawn(move || {
                wg.done();
                wg.add(1);
            })
        };
        block_on(fut);
        reuser.join().unwrap();
        wg.done();
        assert_eq!(wg.count(), 0);
    });
}
