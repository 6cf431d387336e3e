//! No lost wake-up: with waiters on two threads and the releasing `done` on
//! a third, every waiter returns in every interleaving. A lost wake-up
//! leaves a thread asleep forever, which loom reports as a deadlock.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_no_lost_wakeup`
#![cfg(gosync_loom)]

use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::Arc;
use loom::thread;

use gosync_waitgroup::WaitGroup;

#[test]
fn two_waiters_one_done() {
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        let finished = Arc::new(AtomicBool::new(false));
        wg.add(1);
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let (wg, finished) = (Arc::clone(&wg), Arc::clone(&finished));
                thread::spawn(move || {
                    wg.wait();
                    // Relaxed is enough to *read* here: the edge under test
                    // is provided by `wait`, which loom checks.
                    assert!(
                        finished.load(Ordering::Relaxed),
                        "wait returned before done"
                    );
                })
            })
            .collect();
        finished.store(true, Ordering::Relaxed);
        wg.done();
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(wg.count(), 0);
    });
}

#[test]
fn waiter_and_two_dones_on_two_threads() {
    // The zero is reached by whichever `done` comes second; the waiter may
    // register before, between or after them.
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        wg.add(2);
        let workers: Vec<_> = (0..2)
            .map(|_| {
                let wg = Arc::clone(&wg);
                thread::spawn(move || wg.done())
            })
            .collect();
        wg.wait();
        assert_eq!(wg.count(), 0);
        for worker in workers {
            worker.join().unwrap();
        }
    });
}
