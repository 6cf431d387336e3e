//! Ports of Go's `src/sync/atomic/value_test.go` (Go 1.27), test by test.
//!
//! Not ported, because Rust's types rule them out at compile time:
//! - `TestValuePanic`: storing `nil` or a value of another type than the
//!   first store panics in Go; an `AtomicValue<T>` only takes a `T`, and
//!   "nil" is `empty()`, which no store can produce.
//! - The panicking rows of `Value_SwapTests` (swap of nil; swap of an
//!   inconsistently typed value) and of `Value_CompareAndSwapTests`
//!   (compare-and-swap of nil; inconsistently typed `old` or `new`).
//! - `BenchmarkValueRead` lives with the benchmarks, not here.
#![cfg(not(gosync_loom))]

mod common;

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use common::{scaled_stores, within, Rng, HANG};
use gosync_atomic_value::AtomicValue;

/// Go: `TestValue`.
#[test]
fn test_value() {
    let v = AtomicValue::<i32>::empty();
    assert!(v.load().is_none(), "initial Value is not nil");
    v.store(42);
    assert_eq!(*v.load().expect("loaded nil, want 42"), 42);
    v.store(84);
    assert_eq!(*v.load().expect("loaded nil, want 84"), 84);
}

/// Go: `TestValueLarge` (a value bigger than a word).
#[test]
fn test_value_large() {
    let v = AtomicValue::<String>::empty();
    v.store("foo".to_owned());
    assert_eq!(*v.load().expect("loaded nil, want foo"), "foo");
    v.store("barbaz".to_owned());
    assert_eq!(*v.load().expect("loaded nil, want barbaz"), "barbaz");
}

/// Threads of Go's `TestValueConcurrent`: `4 * GOMAXPROCS` of them.
fn concurrent_threads() -> usize {
    if cfg!(miri) {
        3
    } else {
        4 * std::thread::available_parallelism().map_or(2, |n| n.get())
    }
}

/// One table row of `TestValueConcurrent`: every thread stores a random
/// element of `set` and loads right after; whatever it loads (its own store
/// or another thread's) must be an element of `set`, never a torn mix.
fn value_concurrent<T>(set: [T; 4], iterations: usize)
where
    T: PartialEq + Copy + Debug + Send + Sync + 'static,
{
    let v = Arc::new(AtomicValue::<T>::empty());
    let threads: Vec<_> = (0..concurrent_threads())
        .map(|seed| {
            let v = Arc::clone(&v);
            std::thread::spawn(move || {
                let mut rng = Rng::new(seed as u64 + 1);
                for _ in 0..iterations {
                    v.store(set[rng.below(set.len())]);
                    let x = *v.load().expect("loaded nil after a store");
                    assert!(
                        set.contains(&x),
                        "loaded unexpected value {x:?}, want one of {set:?}"
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

/// Go: `TestValueConcurrent` (Go's non-short `N` is 1e5 per goroutine; ours
/// is 2e4 per thread, which stays a few seconds in a debug build).
#[test]
fn test_value_concurrent() {
    within(HANG, || {
        let n = scaled_stores(20_000);
        value_concurrent([0u16, !0, 1 + (2 << 8), 3 + (4 << 8)], n);
        value_concurrent([0u32, !0, 1 + (2 << 16), 3 + (4 << 16)], n);
        value_concurrent([0u64, !0, 1 + (2 << 32), 3 + (4 << 32)], n);
        // Go's complex128 values.
        value_concurrent([(0.0f64, 0.0f64), (1.0, 2.0), (3.0, 4.0), (5.0, 6.0)], n);
    });
}

/// Go: `TestValue_Swap`, the rows that do not panic in Go.
#[test]
fn test_value_swap() {
    // {init: nil, new: true, want: nil}
    let v = AtomicValue::<bool>::empty();
    assert_eq!(v.swap(true).as_deref(), None);
    assert_eq!(v.load().as_deref(), Some(&true));

    // {init: true, new: false, want: true}
    let v = AtomicValue::new(true);
    assert_eq!(v.swap(false).as_deref(), Some(&true));
    assert_eq!(v.load().as_deref(), Some(&false));
}

/// Go: `TestValueSwapConcurrent`. `m` threads swap in disjoint runs of `n`
/// numbers each and add up whatever they swap out; with the value left at
/// the end, every number `0..m*n` is counted exactly once. (Go's short mode
/// uses 1000 goroutines of 1000; ours 16 threads of 20,000.)
#[test]
fn test_value_swap_concurrent() {
    within(HANG, || {
        let v = Arc::new(AtomicValue::<u64>::empty());
        let count = Arc::new(AtomicU64::new(0));
        let (m, n) = (
            if cfg!(miri) { 4 } else { 16 },
            scaled_stores(20_000) as u64,
        );
        let threads: Vec<_> = (0..m)
            .map(|i| {
                let (v, count) = (Arc::clone(&v), Arc::clone(&count));
                std::thread::spawn(move || {
                    let mut c = 0;
                    for new in i * n..(i + 1) * n {
                        if let Some(old) = v.swap(new) {
                            c += *old;
                        }
                    }
                    count.fetch_add(c, Ordering::Relaxed);
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let last = m * n - 1;
        let got = count.load(Ordering::Relaxed) + *v.load().unwrap();
        assert_eq!(got, last * (last + 1) / 2, "sum from 0 to {last}");
    });
}

/// Go: `TestValue_CompareAndSwap`, the rows that do not panic in Go.
#[test]
fn test_value_compare_and_swap() {
    // {init: nil, new: true, old: true, want: false}
    let v = AtomicValue::<bool>::empty();
    assert_eq!(v.compare_and_swap(Some(&true), true), Err(true));
    assert!(v.load().is_none());

    // {init: nil, new: true, old: nil, want: true}
    let v = AtomicValue::<bool>::empty();
    assert_eq!(v.compare_and_swap(None, true), Ok(()));
    assert_eq!(v.load().as_deref(), Some(&true));

    // {init: true, new: true, old: false, want: false}
    let v = AtomicValue::new(true);
    assert_eq!(v.compare_and_swap(Some(&false), true), Err(true));
    assert_eq!(v.load().as_deref(), Some(&true));

    // {init: true, new: true, old: true, want: true}
    let v = AtomicValue::new(true);
    assert_eq!(v.compare_and_swap(Some(&true), true), Ok(()));
    assert_eq!(v.load().as_deref(), Some(&true));

    // {init: heapA, new: struct{uint}{1}, old: heapB, want: true}: `old` is
    // a different object that compares equal; equality, not identity, counts.
    #[derive(Debug, PartialEq)]
    struct S(u64);
    let heap_a = S(0);
    let heap_b = S(0);
    let v = AtomicValue::new(heap_a);
    assert_eq!(v.compare_and_swap(Some(&heap_b), S(1)), Ok(()));
    assert_eq!(v.load().as_deref(), Some(&S(1)));
}

/// Go: `TestValueCompareAndSwapConcurrent`. Thread `i` of `m` owns the
/// steps `j ≡ i (mod m)`: it retries `compare_and_swap(j, j + 1)` until its
/// turn comes, so the count advances in strict rotation and must end at
/// exactly `m * n`. (Go: 1000 goroutines, `n = 100`; ours: 8 OS threads
/// taking turns, `n = 10,000`.)
#[test]
fn test_value_compare_and_swap_concurrent() {
    within(HANG, || {
        let v = Arc::new(AtomicValue::new(0usize));
        let (m, n) = (if cfg!(miri) { 3 } else { 8 }, scaled_stores(10_000));
        let threads: Vec<_> = (0..m)
            .map(|i| {
                let v = Arc::clone(&v);
                std::thread::spawn(move || {
                    let mut j = i;
                    while j < m * n {
                        match v.compare_and_swap(Some(&j), j + 1) {
                            Ok(()) => j += m,
                            Err(back) => {
                                assert_eq!(back, j + 1, "Err must give `new` back");
                                std::thread::yield_now(); // Go: runtime.Gosched()
                            }
                        }
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let stop = *v.load().unwrap();
        assert_eq!(stop, m * n, "did not get to {}, stopped at {stop}", m * n);
    });
}
