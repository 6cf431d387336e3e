//! `gosync_atomic_value::AtomicValue` against `arc_swap::ArcSwap`, a
//! `RwLock<Arc<T>>` and a bare `AtomicPtr` floor, one criterion group per
//! workload, named after the Go benchmark in `benches/go/` that does the
//! same with Go's `sync/atomic.Value`.
//!
//! Every implementation holds a `u64` (behind an `Arc` where the type wants
//! one). Every load reads the value through what the load returned (the
//! guard, the `Arc`, the lock guard or the raw pointer), passes it to
//! [`black_box`], and then drops the handle: a load is a real load and a
//! real release.
//!
//! Loads, by function name:
//!
//! * `gosync`: `AtomicValue::load()`, a guard (the crate's fast path).
//! * `gosync_load_arc`: `AtomicValue::load_arc()`, an owned `Arc`.
//! * `arc_swap_load`: `ArcSwap::load()`, arc-swap's guard (its fast path).
//! * `arc_swap_load_full`: `ArcSwap::load_full()`, an owned `Arc`.
//! * `rwlock_arc`: `RwLock<Arc<u64>>::read()`, then the value is read
//!   through the read guard (no `Arc` clone).
//! * `gosync_reader`: `Reader::load()`, the cached reader of
//!   `AtomicValue::reader()`, one per loading thread.
//! * `arc_swap_cache`: `arc_swap::Cache::load()`, arc-swap's cached reader,
//!   one per loading thread.
//! * `atomic_ptr_floor`: an Acquire load of an `AtomicPtr<u64>` and a read
//!   through it. The pointee is a `static`, never freed, so nothing is
//!   protected and nothing is reclaimed: the floor every real implementation
//!   sits above, not an implementation.
//!
//! Writes (`store`, `swap`, `compare_and_swap`) are measured for `gosync`,
//! `arc_swap` and `rwlock_arc` (the write lock; the old `Arc` is dropped
//! after the lock is released). Each allocates the new value's `Arc`.
//!
//! Times are per operation of one thread: single-threaded workloads time
//! their one thread, `ValueLoadParallel` runs `iters` loads on *each* of the
//! two threads and reports the wall time over `iters` (so that it compares
//! directly with `ValueLoad`: equal numbers mean the loads scale), and
//! `ValueLoadWhileStoring` times the loading thread only. `benches/README.md`
//! defines each workload precisely.

use std::hint::black_box;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use arc_swap::{ArcSwap, Cache};
use criterion::{criterion_group, criterion_main, Criterion};
use gosync_atomic_value::{AtomicValue, Reader};
use gosync_benches::harness::{benchmark_group, run_parallel, THREADS};

/// The operations every load workload needs from one implementation.
trait Value: Sync {
    /// A value holding `v`.
    fn with(v: u64) -> Self;
    /// Loads the current value, reads the `u64` through whatever the load
    /// returned, drops that, and returns what it read.
    fn load(&self) -> u64;
    /// Replaces the value with `v` (the storing thread of
    /// `ValueLoadWhileStoring`).
    fn store(&self, v: u64);
}

/// The write operations of the write workloads.
trait Write: Value {
    /// Replaces the value with `v` and returns the old one.
    fn swap(&self, v: u64) -> u64;
    /// Replaces the value with `new` if it equals `old` (by value, as Go's
    /// `CompareAndSwap` compares); whether it did.
    fn compare_and_swap(&self, old: u64, new: u64) -> bool;
}

/// What the load workloads run: each loading thread makes its own loader
/// (for most implementations just a reference to the shared value; for the
/// cached readers, the reader with its cache) and loads through it.
trait Load: Sync {
    /// The per-thread state a load goes through.
    type Loader<'a>
    where
        Self: 'a;
    /// A value holding `v`.
    fn with(v: u64) -> Self;
    /// This thread's loader.
    fn loader(&self) -> Self::Loader<'_>;
    /// As [`Value::load`], through `loader`.
    fn load(loader: &mut Self::Loader<'_>) -> u64;
    /// As [`Value::store`].
    fn store(&self, v: u64);
}

impl<V: Value> Load for V {
    type Loader<'a>
        = &'a V
    where
        V: 'a;
    fn with(v: u64) -> Self {
        <V as Value>::with(v)
    }
    fn loader(&self) -> &V {
        self
    }
    #[inline(always)]
    fn load(loader: &mut &V) -> u64 {
        Value::load(*loader)
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        Value::store(self, v);
    }
}

/// `gosync_reader`: loads through a `Reader` of an `AtomicValue`.
struct GosyncReader(AtomicValue<u64>);

impl Load for GosyncReader {
    type Loader<'a> = Reader<&'a AtomicValue<u64>, u64>;
    fn with(v: u64) -> Self {
        Self(AtomicValue::new(v))
    }
    fn loader(&self) -> Self::Loader<'_> {
        self.0.reader()
    }
    #[inline(always)]
    fn load(loader: &mut Self::Loader<'_>) -> u64 {
        loader.load().map_or(u64::MAX, |arc| **arc)
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(v);
    }
}

/// `arc_swap_cache`: loads through an `arc_swap::Cache` of an `ArcSwap`.
struct ArcSwapCache(ArcSwap<u64>);

impl Load for ArcSwapCache {
    type Loader<'a> = Cache<&'a ArcSwap<u64>, Arc<u64>>;
    fn with(v: u64) -> Self {
        Self(ArcSwap::from_pointee(v))
    }
    fn loader(&self) -> Self::Loader<'_> {
        Cache::new(&self.0)
    }
    #[inline(always)]
    fn load(loader: &mut Self::Loader<'_>) -> u64 {
        **loader.load()
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(Arc::new(v));
    }
}

/// `gosync`: loads through `AtomicValue::load()`'s guard.
struct Gosync(AtomicValue<u64>);

impl Value for Gosync {
    fn with(v: u64) -> Self {
        Self(AtomicValue::new(v))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        self.0.load().map_or(u64::MAX, |guard| *guard)
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(v);
    }
}

impl Write for Gosync {
    #[inline(always)]
    fn swap(&self, v: u64) -> u64 {
        self.0.swap(v).map_or(u64::MAX, |old| *old)
    }
    #[inline(always)]
    fn compare_and_swap(&self, old: u64, new: u64) -> bool {
        self.0.compare_and_swap(Some(&old), new).is_ok()
    }
}

/// `gosync_load_arc`: loads through `AtomicValue::load_arc()`.
struct GosyncLoadArc(AtomicValue<u64>);

impl Value for GosyncLoadArc {
    fn with(v: u64) -> Self {
        Self(AtomicValue::new(v))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        self.0.load_arc().map_or(u64::MAX, |arc| *arc)
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(v);
    }
}

/// `arc_swap_load` (and `arc_swap` in the write groups): loads through
/// `ArcSwap::load()`'s guard.
struct ArcSwapLoad(ArcSwap<u64>);

impl Value for ArcSwapLoad {
    fn with(v: u64) -> Self {
        Self(ArcSwap::from_pointee(v))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        **self.0.load()
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(Arc::new(v));
    }
}

impl Write for ArcSwapLoad {
    #[inline(always)]
    fn swap(&self, v: u64) -> u64 {
        *self.0.swap(Arc::new(v))
    }
    /// arc-swap compares pointers, not values: load, compare the value,
    /// then compare-and-swap against the loaded pointer.
    #[inline(always)]
    fn compare_and_swap(&self, old: u64, new: u64) -> bool {
        let current = self.0.load();
        if **current != old {
            return false;
        }
        let previous = self.0.compare_and_swap(&current, Arc::new(new));
        Arc::ptr_eq(&previous, &current)
    }
}

/// `arc_swap_load_full`: loads through `ArcSwap::load_full()`.
struct ArcSwapLoadFull(ArcSwap<u64>);

impl Value for ArcSwapLoadFull {
    fn with(v: u64) -> Self {
        Self(ArcSwap::from_pointee(v))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        *self.0.load_full()
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        self.0.store(Arc::new(v));
    }
}

/// `rwlock_arc`: a `std::sync::RwLock<Arc<u64>>`, read through the read
/// guard (no `Arc` clone), written under the write lock.
struct RwLockArc(RwLock<Arc<u64>>);

impl RwLockArc {
    /// Puts `new` in under the write lock; returns the old `Arc`, to be
    /// dropped by the caller after the lock is released.
    #[inline(always)]
    fn replace(&self, new: Arc<u64>) -> Arc<u64> {
        let mut slot = self.0.write().unwrap_or_else(PoisonError::into_inner);
        std::mem::replace(&mut *slot, new)
    }
}

impl Value for RwLockArc {
    fn with(v: u64) -> Self {
        Self(RwLock::new(Arc::new(v)))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        **self.0.read().unwrap_or_else(PoisonError::into_inner)
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        drop(self.replace(Arc::new(v)));
    }
}

impl Write for RwLockArc {
    #[inline(always)]
    fn swap(&self, v: u64) -> u64 {
        *self.replace(Arc::new(v))
    }
    #[inline(always)]
    fn compare_and_swap(&self, old: u64, new: u64) -> bool {
        let new = Arc::new(new);
        let mut slot = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if **slot != old {
            return false;
        }
        let previous = std::mem::replace(&mut *slot, new);
        drop(slot);
        drop(previous);
        true
    }
}

/// The two values [`AtomicPtrFloor`] points at: `static`, never freed and
/// never written.
static FLOOR_VALUES: [u64; 2] = [0, 1];

/// `atomic_ptr_floor`: an `AtomicPtr<u64>` to one of [`FLOOR_VALUES`]. A
/// "store" only moves the pointer to the other value (no allocation, nothing
/// to reclaim), so `ValueLoadWhileStoring` still sees the pointer's cache
/// line change under the loader. The value held is `v & 1`, not `v`.
struct AtomicPtrFloor(AtomicPtr<u64>);

impl AtomicPtrFloor {
    fn slot(v: u64) -> *mut u64 {
        // A pointer to a `static` that nothing writes through: `*mut` only
        // because `AtomicPtr` holds one.
        ptr::from_ref(&FLOOR_VALUES[usize::from(v & 1 == 1)]).cast_mut()
    }
}

impl Value for AtomicPtrFloor {
    fn with(v: u64) -> Self {
        Self(AtomicPtr::new(Self::slot(v)))
    }
    #[inline(always)]
    fn load(&self) -> u64 {
        // Acquire: pairs with the Release store in `store` below, as a real
        // publication would need (a plain `mov` on x86_64 either way).
        let value = self.0.load(Ordering::Acquire);
        // SAFETY: every pointer ever stored points into `FLOOR_VALUES`, a
        // `static` that is never written: valid and aligned for the whole
        // program.
        unsafe { *value }
    }
    #[inline(always)]
    fn store(&self, v: u64) {
        // Release: pairs with the Acquire load in `load` above.
        self.0.store(Self::slot(v), Ordering::Release);
    }
}

/// A loading thread's untimed setup: its loader, and one load through it,
/// so that the thread's first-use costs (gosync's hazard record, arc-swap's
/// debt list, a reader's first fill) are paid before the clock starts.
fn warmed<V: Load>(value: &V) -> V::Loader<'_> {
    let mut loader = value.loader();
    black_box(V::load(&mut loader));
    loader
}

/// Sets the flag when dropped, so the storing thread stops even if the
/// loading thread panics (the scope would otherwise wait for it forever).
struct StopOnDrop<'a>(&'a AtomicBool);

impl Drop for StopOnDrop<'_> {
    fn drop(&mut self) {
        // Relaxed: only ends the storer's loop; publishes nothing (the
        // thread scope's join orders everything after it).
        self.0.store(true, Ordering::Relaxed);
    }
}

/// `ValueLoad`: `iters` loads on one thread.
fn load<V: Load>(iters: u64) -> Duration {
    let value = V::with(1);
    let mut loader = warmed(black_box(&value));
    let start = Instant::now();
    for _ in 0..iters {
        black_box(V::load(&mut loader));
    }
    start.elapsed()
}

/// `ValueLoadParallel` (Go's `BenchmarkValueRead`): [`THREADS`] threads
/// load the same value, `iters` loads *each*; the wall time over `iters` is
/// the time per load of one thread. Each thread loads once before the clock
/// starts ([`warmed`]).
fn load_parallel<V: Load>(iters: u64) -> Duration {
    let value = V::with(1);
    run_parallel(
        THREADS,
        |_| warmed(&value),
        |_, loader| {
            for _ in 0..iters {
                black_box(V::load(loader));
            }
        },
    )
    .wall
}

/// `ValueLoadWhileStoring`: thread 0 does `iters` loads (timed on that
/// thread alone) while thread 1 stores `1, 2, 3, ...` back to back until
/// thread 0 is done. Both threads load once before the clock starts
/// ([`warmed`]).
fn load_while_storing<V: Load>(iters: u64) -> Duration {
    let value = V::with(0);
    let stop = AtomicBool::new(false);
    let run = run_parallel(
        2,
        |_| warmed(&value),
        |index, loader| {
            if index == 0 {
                let _stop = StopOnDrop(&stop);
                let start = Instant::now();
                for _ in 0..iters {
                    black_box(V::load(loader));
                }
                start.elapsed()
            } else {
                let mut next = 0u64;
                // Relaxed: the flag only ends the loop (see `StopOnDrop`).
                while !stop.load(Ordering::Relaxed) {
                    next = next.wrapping_add(1);
                    value.store(next);
                }
                Duration::ZERO
            }
        },
    );
    run.results[0]
}

/// `ValueStore`: `iters` stores on one thread (each allocates its value).
fn store<V: Value>(iters: u64) -> Duration {
    let value = V::with(0);
    let value = black_box(&value);
    let start = Instant::now();
    for i in 0..iters {
        value.store(black_box(i));
    }
    start.elapsed()
}

/// `ValueSwap`: `iters` swaps on one thread; the old value is read.
fn swap<V: Write>(iters: u64) -> Duration {
    let value = V::with(0);
    let value = black_box(&value);
    let start = Instant::now();
    for i in 0..iters {
        black_box(value.swap(black_box(i)));
    }
    start.elapsed()
}

/// `ValueCompareAndSwap`: on one thread, `compare_and_swap(i, i + 1)` for
/// `i` in `0..iters`, starting from 0: every one succeeds.
fn compare_and_swap<V: Write>(iters: u64) -> Duration {
    let value = V::with(0);
    let value = black_box(&value);
    let start = Instant::now();
    for i in 0..iters {
        let swapped = value.compare_and_swap(black_box(i), i + 1);
        debug_assert!(swapped);
        black_box(swapped);
    }
    start.elapsed()
}

type Workload = fn(u64) -> Duration;

/// One load workload for every implementation, in table order.
macro_rules! loads {
    ($workload:ident) => {
        [
            ("gosync", $workload::<Gosync> as Workload),
            ("gosync_load_arc", $workload::<GosyncLoadArc> as Workload),
            ("arc_swap_load", $workload::<ArcSwapLoad> as Workload),
            (
                "arc_swap_load_full",
                $workload::<ArcSwapLoadFull> as Workload,
            ),
            ("rwlock_arc", $workload::<RwLockArc> as Workload),
            ("gosync_reader", $workload::<GosyncReader> as Workload),
            ("arc_swap_cache", $workload::<ArcSwapCache> as Workload),
            ("atomic_ptr_floor", $workload::<AtomicPtrFloor> as Workload),
        ]
    };
}

/// One write workload for every implementation that has it.
macro_rules! writes {
    ($workload:ident) => {
        [
            ("gosync", $workload::<Gosync> as Workload),
            ("arc_swap", $workload::<ArcSwapLoad> as Workload),
            ("rwlock_arc", $workload::<RwLockArc> as Workload),
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

fn atomic_value(c: &mut Criterion) {
    // Which read path gosync runs here: membarrier(2)-based asymmetric
    // fences (a compiler fence per load) or a SeqCst fence per load.
    println!(
        "atomic_value: gosync asymmetric fences (membarrier): {}",
        gosync_atomic_value::uses_asymmetric_fences()
    );
    group(c, "ValueLoad", &loads!(load));
    group(c, "ValueLoadParallel", &loads!(load_parallel));
    group(c, "ValueLoadWhileStoring", &loads!(load_while_storing));
    group(c, "ValueStore", &writes!(store));
    group(c, "ValueSwap", &writes!(swap));
    group(c, "ValueCompareAndSwap", &writes!(compare_and_swap));
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = atomic_value
}
criterion_main!(benches);
