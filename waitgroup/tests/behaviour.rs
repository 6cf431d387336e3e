//! The contract of each method, one test per promise.
#![cfg(not(gosync_loom))]

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{within, HANG};
use gosync_testkit::expect_panic;
use gosync_waitgroup::{DoneGuard, WaitGroup};

#[test]
fn send_sync_default_debug() {
    fn assert_traits<T: Send + Sync + Default + std::fmt::Debug>() {}
    fn assert_send_sync<T: Send + Sync>() {}
    assert_traits::<WaitGroup>();
    assert_send_sync::<DoneGuard<'static>>();
    assert_eq!(WaitGroup::default().count(), 0);
}

#[test]
fn layout_is_one_padded_cache_slot() {
    let slot = std::mem::align_of::<crossbeam_utils::CachePadded<u8>>();
    assert_eq!(std::mem::size_of::<WaitGroup>(), slot);
    assert_eq!(std::mem::align_of::<WaitGroup>(), slot);
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    assert_eq!(slot, 128);
    // Neighbours in an array are a whole slot apart.
    let pair = [WaitGroup::new(), WaitGroup::new()];
    let gap = std::ptr::addr_of!(pair[1]) as usize - std::ptr::addr_of!(pair[0]) as usize;
    assert_eq!(gap, slot);
}

#[test]
fn new_is_const_and_static_works() {
    static WG: WaitGroup = WaitGroup::new();
    WG.add(1);
    let t = std::thread::spawn(|| WG.done());
    within(HANG, || WG.wait());
    t.join().unwrap();
}

#[test]
fn add_zero_changes_nothing() {
    let wg = WaitGroup::new();
    wg.add(0);
    assert_eq!(wg.count(), 0);
    wg.add(2);
    wg.add(0);
    assert_eq!(wg.count(), 2);
}

#[test]
fn negative_counter_panics_and_restores() {
    let wg = WaitGroup::new();
    wg.add(2);
    expect_panic("negative WaitGroup counter", || wg.add(-3));
    assert_eq!(wg.count(), 2, "the counter is left unchanged");
    wg.add(-2);
    assert_eq!(wg.count(), 0);
}

#[test]
fn overflow_panics_and_restores() {
    let wg = WaitGroup::new();
    wg.add(i32::MAX as isize);
    expect_panic("WaitGroup counter overflow", || wg.add(1));
    assert_eq!(wg.count(), i32::MAX as usize);
    expect_panic("overflow", || drop(wg.guard()));
    wg.add(-(i32::MAX as isize));
    assert_eq!(wg.count(), 0);
}

#[test]
#[cfg(target_pointer_width = "64")]
fn delta_outside_i32_panics_without_touching_the_counter() {
    let wg = WaitGroup::new();
    wg.add(1);
    expect_panic("overflow", || wg.add(isize::MAX));
    expect_panic("overflow", || wg.add(i32::MIN as isize - 1));
    assert_eq!(wg.count(), 1);
}

#[test]
fn misuse_while_a_thread_waits_does_not_strand_it() {
    // A waiter sleeping on a counter of 1; a bad `add(-2)` panics and is
    // undone; the good `done` must still release the waiter.
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let waiter = {
            let wg = Arc::clone(&wg);
            std::thread::spawn(move || wg.wait())
        };
        expect_panic("negative", || wg.add(-2));
        wg.done();
        waiter.join().unwrap();
    });
}

#[test]
fn wait_on_zero_returns_at_once() {
    let wg = WaitGroup::new();
    wg.wait();
    assert!(wg.wait_timeout(Duration::ZERO));
    assert!(wg.wait_timeout(Duration::MAX));
}

#[test]
fn wait_timeout_times_out_and_leaves_no_waiter() {
    let wg = WaitGroup::new();
    wg.add(1);
    let start = Instant::now();
    assert!(!wg.wait_timeout(Duration::from_millis(20)));
    assert!(start.elapsed() >= Duration::from_millis(20));
    assert!(!wg.wait_timeout(Duration::ZERO));
    assert_eq!(format!("{wg:?}"), "WaitGroup { count: 1, waiters: 0 }");
    wg.done();
    assert!(wg.wait_timeout(Duration::from_millis(20)));
}

#[test]
fn wait_timeout_returns_true_when_released() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let releaser = {
            let wg = Arc::clone(&wg);
            std::thread::spawn(move || wg.done())
        };
        // A deadline far beyond `Instant`'s range means "no deadline".
        assert!(wg.wait_timeout(Duration::MAX));
        releaser.join().unwrap();
    });
}

#[test]
fn guard_calls_done_on_drop_and_on_panic() {
    let wg = WaitGroup::new();
    let guard = wg.guard();
    assert_eq!(wg.count(), 1);
    assert_eq!(guard.group().count(), 1);
    drop(guard);
    assert_eq!(wg.count(), 0);

    let result = catch_unwind(AssertUnwindSafe(|| {
        let _guard = wg.guard();
        panic!("worker failed");
    }));
    assert!(result.is_err());
    assert_eq!(wg.count(), 0);
}

#[test]
fn debug_of_guard_names_its_group() {
    let wg = WaitGroup::new();
    let guard = wg.guard();
    assert_eq!(
        format!("{guard:?}"),
        "DoneGuard { group: WaitGroup { count: 1, waiters: 0 } }"
    );
}

#[test]
fn go_returns_the_handle_of_the_task() {
    let wg = Arc::new(WaitGroup::new());
    let handle = wg.go(|| {});
    within(HANG, {
        let wg = Arc::clone(&wg);
        move || wg.wait()
    });
    handle.join().unwrap();
    assert_eq!(
        Arc::strong_count(&wg),
        1,
        "the task's clone of the group is released"
    );
}

#[test]
fn many_waiters_all_released() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        wg.add(1);
        let waiters: Vec<_> = (0..8)
            .map(|_| {
                let wg = Arc::clone(&wg);
                std::thread::spawn(move || wg.wait())
            })
            .collect();
        wg.done();
        for waiter in waiters {
            waiter.join().unwrap();
        }
    });
}
