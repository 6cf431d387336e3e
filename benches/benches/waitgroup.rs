//! Go's six `sync.WaitGroup` benchmarks (plus two wake-latency workloads and
//! a calibration of the local work), run for `gosync_waitgroup::WaitGroup`,
//! `crossbeam_utils::sync::WaitGroup` and a `Mutex` + `Condvar` baseline
//! side by side in one criterion group per workload.
//!
//! Every workload reports nanoseconds per operation the way Go's
//! `b.RunParallel` does: the wall time of all threads together divided by
//! the total number of operations. `benches/README.md` defines each
//! workload precisely.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use crossbeam_utils::CachePadded;
use gosync_benches::harness::{
    benchmark_group, run_parallel, scale, share, spin_until, Handoff, THREADS,
};
use gosync_benches::impls::{Crossbeam, Gosync, MutexCondvar, WaitGroupImpl};
use gosync_benches::work::local_work;

/// Go: `BenchmarkWaitGroupUncontended`. Each thread loops `add(1); done();
/// wait()` on a group of its own.
fn uncontended<I: WaitGroupImpl>(iters: u64) -> Duration {
    run_parallel(
        THREADS,
        |_| I::own(),
        |index, own| {
            for _ in 0..share(iters, THREADS, index) {
                I::add_done_wait(own);
            }
        },
    )
    .wall
}

/// Go: `BenchmarkWaitGroupAddDone` (`WORK = false`) and `...AddDoneWork`
/// (`WORK = true`). All threads loop `add(1); [work]; done()` on one
/// shared group.
fn add_done<I: WaitGroupImpl, const WORK: bool>(iters: u64) -> Duration {
    let shared = I::shared();
    run_parallel(
        THREADS,
        |_| 0i64,
        |index, acc| {
            for _ in 0..share(iters, THREADS, index) {
                I::add_done(&shared, || {
                    if WORK {
                        *acc = local_work(*acc);
                    }
                });
            }
            black_box(*acc);
        },
    )
    .wall
}

/// Go: `BenchmarkWaitGroupWait` (`WORK = false`) and `...WaitWork`
/// (`WORK = true`). All threads loop `wait(); [work]` on one shared group
/// whose counter is zero.
fn wait<I: WaitGroupImpl, const WORK: bool>(iters: u64) -> Duration {
    let shared = I::shared();
    run_parallel(
        THREADS,
        |_| 0i64,
        |index, acc| {
            for _ in 0..share(iters, THREADS, index) {
                I::wait_zero(&shared);
                if WORK {
                    *acc = local_work(*acc);
                }
            }
            black_box(*acc);
        },
    )
    .wall
}

/// Sets the flag when dropped, so helper threads stop even if a benchmark
/// thread panics (otherwise the scope would wait for them forever).
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        // Relaxed: only ends the helpers' loops; publishes nothing.
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Go: `BenchmarkWaitGroupActuallyWait` (`PAIRS = 2`, one per
/// `GOMAXPROCS`) and the suite's own `...ActuallyWaitSingle` (`PAIRS = 1`).
/// Go starts a goroutine per iteration to call `Done`; here each of the
/// `PAIRS` benchmark threads has a helper thread, started with the sample,
/// that spins (then yields) on a [`Handoff`] slot. Per iteration the
/// benchmark thread makes a fresh group, `add(1)`s, puts the owed `done` in
/// the slot, `wait()`s, and then waits for the slot to be empty again (the
/// helper's `done()` call has returned, so the group may be dropped).
/// With `PAIRS = 2` that is 4 busy threads on 2 cores; with 1, 2.
fn actually_wait<I: WaitGroupImpl, const PAIRS: usize>(iters: u64) -> Duration {
    let slots: [CachePadded<Handoff<I::Token>>; PAIRS] =
        std::array::from_fn(|_| CachePadded::new(Handoff::new()));
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        for slot in &slots {
            let stop = &stop;
            scope.spawn(move || {
                while slot.serve(stop, |token| {
                    // SAFETY: the benchmark thread keeps the group alive
                    // until the slot is empty again, which is after we
                    // return.
                    unsafe { I::done(token) }
                }) {}
            });
        }
        let _stop = StopOnDrop(&stop);
        run_parallel(
            PAIRS,
            |index| &slots[index],
            |index, slot| {
                for _ in 0..share(iters, PAIRS, index) {
                    let group = I::fresh();
                    slot.put(I::add_one(&group));
                    I::wait(&group);
                    slot.wait_empty();
                }
            },
        )
        .wall
    })
}

/// Not in Go's suite: one-way wake-up through a wait group, by ping-pong.
/// Two latches start owing one `done` each. Thread A loops `ping.done();
/// pong.wait(); pong.add(1)`, thread B loops `ping.wait(); ping.add(1);
/// pong.done()`. Every `wait` is called on a non-zero counter and returns
/// only once the other thread has run; one iteration is one of the two
/// hand-overs of a round trip (round trip / 2).
fn wake_latency<I: WaitGroupImpl>(iters: u64) -> Duration {
    let rounds = iters.div_ceil(2).max(1);
    let ping = I::latch();
    let pong = I::latch();
    let run = run_parallel(
        2,
        |_| (),
        |index, ()| {
            if index == 0 {
                for _ in 0..rounds {
                    I::release(&ping);
                    I::wait_latch(&pong);
                    I::rearm(&pong);
                }
            } else {
                for _ in 0..rounds {
                    I::wait_latch(&ping);
                    I::rearm(&ping);
                    I::release(&pong);
                }
            }
        },
    );
    scale(run.wall, 2 * rounds, iters)
}

/// How long the releaser of [`wake_latency_parked`] lets the waiter sit in
/// `wait` before releasing it: far longer than any implementation spins
/// (gosync spins 15 `pause`s, then yields up to 20 times: about 6 µs
/// here, a few more where system calls are slower), so
/// every waiter is asleep in the kernel when released.
const PARK_DELAY: Duration = Duration::from_micros(50);

fn nanos_since(base: Instant) -> u64 {
    u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// Not in Go's suite: the latency of waking a thread that is really
/// asleep. The waiter announces it is about to `wait()` on a latch owing one
/// `done`; the releaser busy-waits [`PARK_DELAY`], reads the clock and calls
/// `done()`; the waiter reads the clock when `wait()` returns, and re-arms.
/// The reported time is the mean of (waiter's clock − releaser's clock),
/// not wall time: from the start of the releasing `done()` to the return of
/// the parked `wait()`.
fn wake_latency_parked<I: WaitGroupImpl>(iters: u64) -> Duration {
    let latch = I::latch();
    let announced = AtomicU64::new(0);
    let released_at = AtomicU64::new(0);
    let base = Instant::now();
    let run = run_parallel(
        2,
        |_| (),
        |index, ()| {
            let mut total = 0u64;
            if index == 0 {
                for round in 1..=iters {
                    // Release/Acquire pair with the releaser's load/store
                    // below: the round numbers and the release timestamp.
                    announced.store(round, Ordering::Release);
                    I::wait_latch(&latch);
                    let woken = nanos_since(base);
                    total += woken.saturating_sub(released_at.load(Ordering::Acquire));
                    I::rearm(&latch);
                }
            } else {
                for round in 1..=iters {
                    spin_until(|| announced.load(Ordering::Acquire) == round);
                    let until = Instant::now() + PARK_DELAY;
                    while Instant::now() < until {
                        std::hint::spin_loop();
                    }
                    released_at.store(nanos_since(base), Ordering::Release);
                    I::release(&latch);
                }
            }
            total
        },
    );
    Duration::from_nanos(run.results[0])
}

/// Calibration, not a wait-group workload: the local work of the `...Work`
/// workloads alone, on all threads.
fn local_work_only(iters: u64) -> Duration {
    run_parallel(
        THREADS,
        |_| 0i64,
        |index, acc| {
            for _ in 0..share(iters, THREADS, index) {
                *acc = local_work(*acc);
            }
            black_box(*acc);
        },
    )
    .wall
}

type Workload = fn(u64) -> Duration;

/// The same workload for the three implementations, in table order.
macro_rules! all_three {
    ($workload:ident $(, $arg:expr)*) => {
        [
            (Gosync::NAME, $workload::<Gosync $(, $arg)*> as Workload),
            (Crossbeam::NAME, $workload::<Crossbeam $(, $arg)*> as Workload),
            (MutexCondvar::NAME, $workload::<MutexCondvar $(, $arg)*> as Workload),
        ]
    };
}

fn group(c: &mut Criterion, name: &str, functions: &[(&str, Workload)]) {
    let mut group = benchmark_group(c, name);
    for &(id, workload) in functions {
        group.bench_function(id, |b| b.iter_custom(workload));
    }
    group.finish();
}

fn waitgroup(c: &mut Criterion) {
    group(c, "WaitGroupUncontended", &all_three!(uncontended));
    group(c, "WaitGroupAddDone", &all_three!(add_done, false));
    group(c, "WaitGroupAddDoneWork", &all_three!(add_done, true));
    group(c, "WaitGroupWait", &all_three!(wait, false));
    group(c, "WaitGroupWaitWork", &all_three!(wait, true));
    group(
        c,
        "WaitGroupActuallyWait",
        &all_three!(actually_wait, { THREADS }),
    );
    group(
        c,
        "WaitGroupActuallyWaitSingle",
        &all_three!(actually_wait, 1),
    );
    group(c, "WaitGroupWakeLatency", &all_three!(wake_latency));
    group(
        c,
        "WaitGroupWakeLatencyParked",
        &all_three!(wake_latency_parked),
    );
    group(c, "LocalWorkOnly", &[("rust", local_work_only as Workload)]);
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = waitgroup
}
criterion_main!(benches);
