//! Ports of Go's `src/sync/waitgroup_test.go` (Go 1.27), test by test.
#![cfg(not(gosync_loom))]

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{mpsc, Arc};

use common::{scaled, within, HANG};
use gosync_waitgroup::WaitGroup;

/// Go: `testWaitGroup`. `n` tasks each call `wg1.done()` then `wg2.wait()`;
/// none may get past `wg2` before the main thread has called `wg2.done()`
/// `n` times.
fn barrier_round(wg1: &Arc<WaitGroup>, wg2: &Arc<WaitGroup>) {
    let n = 16;
    wg1.add(n as isize);
    wg2.add(n as isize);
    let (exited_tx, exited) = mpsc::channel();
    for _ in 0..n {
        let (wg1, wg2, exited_tx) = (Arc::clone(wg1), Arc::clone(wg2), exited_tx.clone());
        std::thread::spawn(move || {
            wg1.done();
            wg2.wait();
            exited_tx.send(()).unwrap();
        });
    }
    wg1.wait();
    for _ in 0..n {
        assert!(
            exited.try_recv().is_err(),
            "WaitGroup released group too soon"
        );
        wg2.done();
    }
    for _ in 0..n {
        // Blocks (and `within` fails the test) if the barrier lost a waiter.
        exited.recv().unwrap();
    }
}

/// Go: `TestWaitGroup` (the barrier above, 8 times on the same two groups,
/// to check that the groups are reusable).
#[test]
fn test_wait_group() {
    within(HANG, || {
        let wg1 = Arc::new(WaitGroup::new());
        let wg2 = Arc::new(WaitGroup::new());
        for _ in 0..8 {
            barrier_round(&wg1, &wg2);
        }
    });
}

/// Go: `TestWaitGroupMisuse`.
#[test]
fn test_wait_group_misuse() {
    let wg = WaitGroup::new();
    wg.add(1);
    wg.done();
    let panic = catch_unwind(AssertUnwindSafe(|| wg.done())).unwrap_err();
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    assert_eq!(message, "sync: negative WaitGroup counter");
    // Unlike Go, the group is left usable.
    assert_eq!(wg.count(), 0);
    wg.add(1);
    wg.done();
    wg.wait();
}

/// Go: `TestWaitGroupRace`: `wait` must not return early (a spurious
/// wake-up), checked 1000 times with two racing tasks.
#[test]
fn test_wait_group_race() {
    within(HANG, || {
        for _ in 0..scaled(1000) {
            let wg = Arc::new(WaitGroup::new());
            let n = Arc::new(AtomicI32::new(0));
            for _ in 0..2 {
                let (wg2, n2) = (Arc::clone(&wg), Arc::clone(&n));
                wg.add(1);
                std::thread::spawn(move || {
                    n2.fetch_add(1, Ordering::Relaxed);
                    wg2.done();
                });
            }
            wg.wait();
            assert_eq!(n.load(Ordering::Relaxed), 2, "Spurious wakeup from Wait");
        }
    });
}

/// Go: `TestWaitGroupAlign`: a group behind a byte in a struct works (here:
/// and stays 128-aligned, so it never shares the byte's line).
#[test]
fn test_wait_group_align() {
    struct X {
        _x: u8,
        wg: WaitGroup,
    }
    let x = Arc::new(X {
        _x: 0,
        wg: WaitGroup::new(),
    });
    x.wg.add(1);
    let x2 = Arc::clone(&x);
    std::thread::spawn(move || x2.wg.done());
    within(HANG, move || x.wg.wait());
}

/// Go: `TestWaitGroupGo`.
#[test]
fn test_wait_group_go() {
    let wg = Arc::new(WaitGroup::new());
    let i = Arc::new(AtomicI32::new(0));
    let i2 = Arc::clone(&i);
    wg.go(move || {
        i2.fetch_add(1, Ordering::Relaxed);
    });
    wg.wait();
    assert_eq!(i.load(Ordering::Relaxed), 1);
}

/// Go: `TestIssue76126`, deliberately inverted. In Go a panicking `wg.Go`
/// task kills the process and `Wait` never returns; in Rust the panic
/// stays on its thread, so `wait` returns and the handle reports it.
#[test]
fn test_issue_76126_panicking_task_still_counts_as_done() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        let handle = wg.go(|| panic!("test"));
        wg.wait();
        let panic = handle.join().unwrap_err();
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"test"));
        assert_eq!(wg.count(), 0);
    });
}
