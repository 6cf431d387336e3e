//! False sharing: two threads, each hammering its own counter, with the two
//! counters next to each other in one array.
//!
//! * `FalseSharingAddDone`: `add(1); done()` on a thread's own wait group,
//!   for the shipped `gosync_waitgroup::WaitGroup` (each one 128-byte padded
//!   slot) and for `gosync_waitgroup::UnpaddedWaitGroup`, the crate's very
//!   same code without the padding (16 bytes: two of them share one cache
//!   line), plus that unpadded group re-padded to 64 and to 128 bytes to
//!   show what the padding alone buys.
//! * `FalseSharingAtomic`: the calibration, a bare `fetch_add` on two
//!   `AtomicU64`s sharing a line, 64 bytes apart, or 128 bytes apart
//!   ([`CachePadded`]).
//!
//! Time per operation is wall time over the operations of both threads, as
//! in the `waitgroup` suite; `benches/report.sh` reports the
//! unpadded-to-padded ratios.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use crossbeam_utils::CachePadded;
use gosync_benches::harness::{benchmark_group, run_parallel, share, THREADS};
use gosync_waitgroup::{UnpaddedWaitGroup, WaitGroup};

/// Both elements in one 64-byte line: the array starts on a line boundary.
#[repr(C, align(128))]
struct SameLine<T>([T; 2]);

/// Each element on its own 64-byte line, but both in one 128-byte pair of
/// lines (what the adjacent-line prefetcher of Intel cores fetches together).
#[repr(C, align(64))]
struct Align64<T>(T);

/// Thread `i` runs `op` on `pair[i]`, `share(iters)` times.
fn hammer<T: Sync>(iters: u64, pair: [&T; 2], op: impl Fn(&T) + Sync) -> Duration {
    run_parallel(
        THREADS,
        |index| pair[index],
        |index, mine| {
            for _ in 0..share(iters, THREADS, index) {
                op(mine);
            }
        },
    )
    .wall
}

fn distance<T, U>(a: &T, b: &U) -> usize {
    (b as *const U as usize).abs_diff(a as *const T as usize)
}

fn add_done(c: &mut Criterion) {
    let shipped = [WaitGroup::new(), WaitGroup::new()];
    let unpadded = SameLine([UnpaddedWaitGroup::new(), UnpaddedWaitGroup::new()]);
    let padded64 = [
        Align64(UnpaddedWaitGroup::new()),
        Align64(UnpaddedWaitGroup::new()),
    ];
    let padded128 = [
        CachePadded::new(UnpaddedWaitGroup::new()),
        CachePadded::new(UnpaddedWaitGroup::new()),
    ];
    assert_eq!(distance(&shipped[0], &shipped[1]), 128);
    assert_eq!(distance(&unpadded.0[0], &unpadded.0[1]), 16);
    assert_eq!(distance(&padded64[0], &padded64[1]), 64);
    assert_eq!(distance(&padded128[0], &padded128[1]), 128);

    let mut group = benchmark_group(c, "FalseSharingAddDone");
    group.bench_function("gosync_padded128", |b| {
        b.iter_custom(|iters| {
            hammer(iters, [&shipped[0], &shipped[1]], |wg| {
                wg.add(1);
                wg.done();
            })
        })
    });
    group.bench_function("raw_unpadded", |b| {
        b.iter_custom(|iters| {
            hammer(iters, [&unpadded.0[0], &unpadded.0[1]], |wg| {
                wg.add(1);
                wg.done();
            })
        })
    });
    group.bench_function("raw_padded64", |b| {
        b.iter_custom(|iters| {
            hammer(iters, [&padded64[0].0, &padded64[1].0], |wg| {
                wg.add(1);
                wg.done();
            })
        })
    });
    group.bench_function("raw_padded128", |b| {
        b.iter_custom(|iters| {
            hammer(iters, [&*padded128[0], &*padded128[1]], |wg| {
                wg.add(1);
                wg.done();
            })
        })
    });
    group.finish();
}

fn atomic(c: &mut Criterion) {
    let same_line = SameLine([AtomicU64::new(0), AtomicU64::new(0)]);
    let padded64 = [Align64(AtomicU64::new(0)), Align64(AtomicU64::new(0))];
    let padded128 = [
        CachePadded::new(AtomicU64::new(0)),
        CachePadded::new(AtomicU64::new(0)),
    ];
    assert_eq!(distance(&same_line.0[0], &same_line.0[1]), 8);
    assert_eq!(distance(&padded64[0], &padded64[1]), 64);
    assert_eq!(distance(&padded128[0], &padded128[1]), 128);

    let increment = |counter: &AtomicU64| {
        counter.fetch_add(1, Ordering::AcqRel);
    };
    let mut group = benchmark_group(c, "FalseSharingAtomic");
    group.bench_function("shared_line", |b| {
        b.iter_custom(|iters| hammer(iters, [&same_line.0[0], &same_line.0[1]], increment))
    });
    group.bench_function("padded64", |b| {
        b.iter_custom(|iters| hammer(iters, [&padded64[0].0, &padded64[1].0], increment))
    });
    group.bench_function("padded128", |b| {
        b.iter_custom(|iters| hammer(iters, [&*padded128[0], &*padded128[1]], increment))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = add_done, atomic
}
criterion_main!(benches);
