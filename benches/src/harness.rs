//! Running a workload on several threads and timing it like Go's
//! `b.RunParallel`.
//!
//! Go's `RunParallel` starts `GOMAXPROCS` goroutines that share `b.N`
//! iterations, and reports the wall time of the whole divided by `b.N`.
//! [`run_parallel`] does the same with OS threads: criterion's
//! `iter_custom` hands it `iters`, each of [`THREADS`] threads does its
//! [`share`] of them, and the caller reports the wall time over `iters`.
//!
//! Threads are spawned per criterion sample (one `iter_custom` call), which
//! costs tens of microseconds, but the clock starts only after every thread
//! has been spawned, has built its own state and has passed a start
//! barrier: the measured span runs from the earliest thread's start to the
//! latest thread's finish. Samples are tens of milliseconds long, so
//! neither the spawn nor the barrier shows in the numbers.

use std::cell::UnsafeCell;
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Threads per workload: `GOMAXPROCS` on the 2-core machine the suites are
/// written for, and what `go test -cpu 2` uses.
pub const THREADS: usize = 2;

/// How many `spin_loop` hints [`spin_until`] issues before it starts
/// yielding the CPU.
pub const SPIN_LIMIT: u32 = 64;

/// The part of `total` iterations that thread `index` of `threads` does:
/// an even split, the first `total % threads` threads doing one more.
///
/// # Examples
///
/// ```
/// use gosync_benches::harness::share;
///
/// assert_eq!((share(7, 2, 0), share(7, 2, 1)), (4, 3));
/// ```
pub fn share(total: u64, threads: usize, index: usize) -> u64 {
    let threads = threads as u64;
    let index = index as u64;
    total / threads + u64::from(index < total % threads)
}

/// Busy-waits until `ready()` is true: [`SPIN_LIMIT`] rounds of
/// [`std::hint::spin_loop`], then [`std::thread::yield_now`] between checks,
/// so that a waiting thread hands its core over when the machine is
/// oversubscribed.
#[inline]
pub fn spin_until(mut ready: impl FnMut() -> bool) {
    for _ in 0..SPIN_LIMIT {
        if ready() {
            return;
        }
        std::hint::spin_loop();
    }
    while !ready() {
        std::thread::yield_now();
    }
}

/// What [`run_parallel`] measured.
#[derive(Debug)]
pub struct Run<R> {
    /// From the first thread leaving the start barrier to the last thread
    /// finishing its body.
    pub wall: Duration,
    /// Each thread's return value, by thread index.
    pub results: Vec<R>,
}

/// Runs `body` on `threads` threads at once and times the whole.
///
/// Each thread first builds its own state with `setup(index)` (untimed, on
/// the thread itself, so the state need not be `Send`), then waits at a
/// spinning start barrier, then records its start time, runs
/// `body(index, &mut state)` and records its end time.
///
/// # Panics
///
/// If a thread panics.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::{AtomicU64, Ordering};
/// use gosync_benches::harness::{run_parallel, share};
///
/// let counter = AtomicU64::new(0);
/// let run = run_parallel(
///     2,
///     |_| (),
///     |index, _| {
///         for _ in 0..share(1000, 2, index) {
///             counter.fetch_add(1, Ordering::Relaxed);
///         }
///     },
/// );
/// assert_eq!(counter.load(Ordering::Relaxed), 1000);
/// assert_eq!(run.results.len(), 2);
/// ```
pub fn run_parallel<S, R, Setup, Body>(threads: usize, setup: Setup, body: Body) -> Run<R>
where
    Setup: Fn(usize) -> S + Sync,
    Body: Fn(usize, &mut S) -> R + Sync,
    R: Send,
{
    let arrived = AtomicUsize::new(0);
    let spans: Vec<(Instant, Instant, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (arrived, setup, body) = (&arrived, &setup, &body);
                scope.spawn(move || {
                    let mut state = setup(index);
                    // A start barrier only: it orders no data (each thread's
                    // state is its own), so the orderings just keep the
                    // threads' clocks after every setup. AcqRel/Acquire pair
                    // with one another across the threads.
                    arrived.fetch_add(1, Ordering::AcqRel);
                    spin_until(|| arrived.load(Ordering::Acquire) == threads);
                    let start = Instant::now();
                    let result = body(index, &mut state);
                    let end = Instant::now();
                    (start, end, result)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("benchmark thread panicked"))
            .collect()
    });
    let start = spans.iter().map(|span| span.0).min().expect("no threads");
    let end = spans.iter().map(|span| span.1).max().expect("no threads");
    Run {
        wall: end.duration_since(start),
        results: spans.into_iter().map(|span| span.2).collect(),
    }
}

/// Scales a duration measured over `done` operations to `wanted`
/// operations (for workloads that must round the iteration count, such as
/// a ping-pong that needs an even number).
pub fn scale(measured: Duration, done: u64, wanted: u64) -> Duration {
    if done == wanted || done == 0 {
        return measured;
    }
    let nanos = measured.as_nanos() * u128::from(wanted) / u128::from(done);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

const EMPTY: u32 = 0;
const BUSY: u32 = 1;
const FULL: u32 = 2;

/// A one-value slot that passes a value from one thread to another, and
/// tells the sender when the receiver has finished with it.
///
/// The `ActuallyWait` workload uses it to hand a pending `done` to a
/// helper thread, the same way for every wait group under test: the sender
/// [`put`](Self::put)s, the helper [`serve`](Self::serve)s (runs a closure on
/// the value, and only then marks the slot empty), and the sender can
/// [`wait_empty`](Self::wait_empty) to learn that the closure has returned.
/// All waiting is [`spin_until`]: a bounded spin, then yields.
///
/// States: `EMPTY` → (sender claims) `BUSY` → `FULL` → (receiver claims)
/// `BUSY` → (closure returned) `EMPTY`. Every transition into `BUSY` is a
/// compare-and-swap, so the slot is sound with any number of senders and
/// receivers.
///
/// # Examples
///
/// ```
/// use std::sync::atomic::AtomicBool;
/// use gosync_benches::harness::Handoff;
///
/// let slot = Handoff::new();
/// let stop = AtomicBool::new(false);
/// std::thread::scope(|s| {
///     s.spawn(|| while slot.serve(&stop, |v: u32| assert_eq!(v, 7)) {});
///     slot.put(7);
///     slot.wait_empty();
///     stop.store(true, std::sync::atomic::Ordering::Relaxed);
/// });
/// ```
pub struct Handoff<T> {
    state: AtomicU32,
    value: UnsafeCell<Option<T>>,
}

// SAFETY: the value is only touched by the thread that moved the state into
// `BUSY` with a compare-and-swap (or by `&mut self` methods), so it is never
// accessed from two threads at once; it moves between threads, hence
// `T: Send`.
unsafe impl<T: Send> Sync for Handoff<T> {}

impl<T> Handoff<T> {
    /// An empty slot.
    pub const fn new() -> Self {
        Self {
            state: AtomicU32::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    /// Waits for the slot to be empty, then stores `value` in it.
    pub fn put(&self, value: T) {
        // Acquire: pairs with the Release store of `EMPTY` in `serve`, so the
        // previous value's `take()` happened before our write.
        spin_until(|| {
            self.state
                .compare_exchange_weak(EMPTY, BUSY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok()
        });
        // SAFETY: our compare-and-swap moved the slot into `BUSY`, which
        // only its winner may leave: nobody else touches the value.
        unsafe { *self.value.get() = Some(value) };
        // Release: pairs with `serve`'s Acquire claim of `FULL`.
        self.state.store(FULL, Ordering::Release);
    }

    /// Waits for a value and runs `f` on it; the slot becomes empty only
    /// after `f` has returned. Returns `false`, without waiting further, if
    /// `stop` is set while the slot is empty.
    pub fn serve(&self, stop: &AtomicBool, f: impl FnOnce(T)) -> bool {
        let mut claimed = false;
        // Acquire: pairs with `put`'s Release store of `FULL`, making the
        // value written there visible. `stop` is Relaxed: it only ends the
        // loop and publishes nothing.
        spin_until(|| {
            claimed = self
                .state
                .compare_exchange_weak(FULL, BUSY, Ordering::Acquire, Ordering::Relaxed)
                .is_ok();
            claimed || stop.load(Ordering::Relaxed)
        });
        if !claimed {
            return false;
        }
        // SAFETY: as in `put`, our compare-and-swap made us the only
        // thread that may touch the value until we leave `BUSY`.
        let value = unsafe { (*self.value.get()).take() };
        f(value.expect("a full slot holds a value"));
        // Release: pairs with the Acquire in `put` and `wait_empty`: `f`'s
        // effects (the `done` call) happen before the slot reads as empty.
        self.state.store(EMPTY, Ordering::Release);
        true
    }

    /// Waits until the slot is empty: whatever was put has been served and
    /// the serving closure has returned.
    pub fn wait_empty(&self) {
        spin_until(|| self.state.load(Ordering::Acquire) == EMPTY);
    }
}

impl<T> Default for Handoff<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> fmt::Debug for Handoff<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Relaxed: a diagnostic snapshot.
        let state = match self.state.load(Ordering::Relaxed) {
            EMPTY => "empty",
            FULL => "full",
            _ => "busy",
        };
        f.debug_struct("Handoff").field("state", &state).finish()
    }
}

/// Criterion timing settings shared by the suites.
///
/// Full mode: 1 s warm-up, 2 s measurement, 25 samples, flat sampling
/// (every sample runs the same number of iterations, tens of milliseconds
/// long, so per-sample thread start-up is amortised). Quick mode
/// (`GOSYNC_BENCH_QUICK=1`, what `benches/report.sh --quick` sets): 0.3 s,
/// 0.6 s, 10 samples. Suites with many functions use the shorter
/// [`Timing::many_functions_from_env`].
#[derive(Debug, Clone, Copy)]
pub struct Timing {
    /// Criterion's `warm_up_time`.
    pub warm_up: Duration,
    /// Criterion's `measurement_time`.
    pub measurement: Duration,
    /// Criterion's `sample_size`.
    pub sample_size: usize,
}

impl Timing {
    /// Whether `GOSYNC_BENCH_QUICK` asks for quick mode.
    fn quick() -> bool {
        std::env::var_os("GOSYNC_BENCH_QUICK").is_some_and(|v| !v.is_empty() && v != "0")
    }

    /// The settings for this run, from `GOSYNC_BENCH_QUICK`.
    pub fn from_env() -> Self {
        if Self::quick() {
            Self {
                warm_up: Duration::from_millis(300),
                measurement: Duration::from_millis(600),
                sample_size: 10,
            }
        } else {
            Self {
                warm_up: Duration::from_secs(1),
                measurement: Duration::from_secs(2),
                sample_size: 25,
            }
        }
    }

    /// The settings for a suite with many functions (`concurrent_map`: 24
    /// groups of 5), so that it fits a few minutes: full mode 0.5 s
    /// warm-up, 1 s measurement, 20 samples (50 ms of work per sample);
    /// quick mode 0.2 s, 0.4 s, 10 samples.
    pub fn many_functions_from_env() -> Self {
        if Self::quick() {
            Self {
                warm_up: Duration::from_millis(200),
                measurement: Duration::from_millis(400),
                sample_size: 10,
            }
        } else {
            Self {
                warm_up: Duration::from_millis(500),
                measurement: Duration::from_secs(1),
                sample_size: 20,
            }
        }
    }
}

/// The criterion configuration every suite uses, timed by [`Timing`].
///
/// # Examples
///
/// ```
/// let _config = gosync_benches::harness::criterion();
/// ```
pub fn criterion() -> criterion::Criterion {
    let timing = Timing::from_env();
    criterion::Criterion::default()
        .without_plots()
        .warm_up_time(timing.warm_up)
        .measurement_time(timing.measurement)
        .sample_size(timing.sample_size)
}

/// A benchmark group with the suites' settings: flat sampling (each
/// sample the same number of iterations, as Go's `b.N` runs are) and the
/// [`Timing`] of this run.
pub fn benchmark_group<'c>(
    c: &'c mut criterion::Criterion,
    name: &str,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    benchmark_group_timed(c, name, Timing::from_env())
}

/// [`benchmark_group`] with the given timing instead of
/// [`Timing::from_env`]'s (e.g. [`Timing::many_functions_from_env`]).
pub fn benchmark_group_timed<'c>(
    c: &'c mut criterion::Criterion,
    name: &str,
    timing: Timing,
) -> criterion::BenchmarkGroup<'c, criterion::measurement::WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sampling_mode(criterion::SamplingMode::Flat)
        .warm_up_time(timing.warm_up)
        .measurement_time(timing.measurement)
        .sample_size(timing.sample_size);
    group
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up() {
        for total in 0..20 {
            assert_eq!(share(total, 2, 0) + share(total, 2, 1), total);
        }
    }

    #[test]
    fn scale_rounds_to_wanted() {
        let d = scale(Duration::from_nanos(1000), 10, 5);
        assert_eq!(d, Duration::from_nanos(500));
    }

    #[test]
    fn handoff_serves_in_order() {
        let slot = Handoff::new();
        let stop = AtomicBool::new(false);
        let sum = AtomicUsize::new(0);
        std::thread::scope(|s| {
            s.spawn(|| {
                while slot.serve(&stop, |v: usize| {
                    sum.fetch_add(v, Ordering::Relaxed);
                }) {}
            });
            for v in 1..=100 {
                slot.put(v);
            }
            slot.wait_empty();
            stop.store(true, Ordering::Relaxed);
        });
        assert_eq!(sum.load(Ordering::Relaxed), 5050);
    }
}
