//! False sharing: two threads, each hammering its own counter, with the two
//! counters next to each other in one array.
//!
//! * `FalseSharingAddDone`: `add(1); done()` on a thread's own wait group,
//!   for the shipped `gosync_waitgroup::WaitGroup` (each one 128-byte padded
//!   slot) and for `gosync_waitgroup::UnpaddedWaitGroup`, the crate's very
//!   same code without the padding (16 bytes: two of them share one cache
//!   line), plus that unpadded group re-padded to 64 and to 128 bytes to
//!   show what the padding alone buys.
//! * `FalseSharingAtomicValue`: `store(i)` then a `load()` read through its
//!   guard, on a thread's own `AtomicValue<u64>`: the shipped
//!   `gosync_atomic_value::AtomicValue` (128-byte padded) against
//!   `gosync_atomic_value::UnpaddedAtomicValue` (the same code without the
//!   padding, adjacent: the line where the first one ends and the second
//!   begins holds parts of both, and every store writes all of its value)
//!   and that unpadded value re-padded to 128 bytes. Unlike the wait group
//!   there is no 64-byte variant: the value is larger than 64 bytes, so
//!   64-byte alignment already spaces two of them 128 bytes apart.
//! * `FalseSharingMap`: Go's `BenchmarkMapLoadMostlyHits` workload (as in
//!   the `concurrent_map` suite: 1023 keys stored and primed, then
//!   `load(i % 1024)`, one miss in 1024) on a thread's own `Map<u64, u64>`:
//!   the shipped `gosync_concurrent_map::Map` (`shipped`) against
//!   `gosync_concurrent_map::UnpaddedMap` (`unpadded`), the crate's same
//!   code without its cache-line padding, two of each adjacent in one
//!   array. The suite prints both types' sizes and the distance between the
//!   two maps.
//! * `FalseSharingMapMisses`: one map, two threads. The reader runs Go's
//!   `LoadMostlyHits` loop (lock-free: of the map itself it reads only the
//!   snapshot pointer and the hasher). The other thread keeps missing: the
//!   map's dirty table holds 100,000 keys the snapshot lacks, and it loads
//!   a key that is in neither table, so every one of its loads takes the
//!   lock and bumps the misses counter, and touches no entry (a promotion
//!   comes only every 100,000 misses; a fresh key then re-amends). Shipped
//!   layout (`shipped`: the snapshot pointer and the lock/misses on
//!   different padded blocks) against `UnpaddedMap` (`unpadded`: all in one
//!   line). Timed: the reader's loads only, per load.
//! * `FalseSharingChannel`: one producer thread sending `u64`s into a
//!   `bounded(1024)` channel and one consumer thread receiving them (one
//!   operation = one message), on the ring of `gosync_channel`'s bounded
//!   channel as shipped (`__bench::RawBounded<u64, Padded>`: its `head`,
//!   `tail` and the two wakers' state each on its own padded block) against
//!   the very same code with those groups adjacent
//!   (`RawBounded<u64, Unpadded>`, `unpadded`). Unlike the groups above the
//!   two threads share one object: what the padding separates is the
//!   producer's fields from the consumer's. The suite prints both sizes.
//! * `FalseSharingAtomic`: the calibration, a bare `fetch_add` on two
//!   `AtomicU64`s sharing a line, 64 bytes apart, or 128 bytes apart
//!   ([`CachePadded`]).
//!
//! Time per operation is wall time over the operations of both threads, as
//! in the `waitgroup` suite; `benches/report.sh` reports the
//! unpadded-to-padded ratios.

use std::cell::Cell;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use crossbeam_utils::CachePadded;
use gosync_atomic_value::{AtomicValue, UnpaddedAtomicValue};
use gosync_benches::harness::{benchmark_group, run_parallel, share, THREADS};
use gosync_channel::__bench::{Layout, Padded, RawBounded, Unpadded};
use gosync_concurrent_map::{Map, UnpaddedMap};
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

/// Every duration `iter_custom` measured for one function (warm-up
/// included), so the suite can print its own ratio when a group ends.
/// Criterion's medians, which the report uses, are in `target/criterion`.
#[derive(Default)]
struct Tally(Cell<(Duration, u64)>);

impl Tally {
    fn record(&self, iters: u64, elapsed: Duration) -> Duration {
        let (total, ops) = self.0.get();
        self.0.set((total + elapsed, ops + iters));
        elapsed
    }

    fn ns_per_op(&self) -> f64 {
        let (total, ops) = self.0.get();
        total.as_secs_f64() * 1e9 / ops.max(1) as f64
    }
}

fn print_ratio(what: &str, slow: &Tally, fast: &Tally) {
    if slow.0.get().1 == 0 || fast.0.get().1 == 0 {
        return; // filtered out on the command line
    }
    println!(
        "ratio: {what}: {:.2}x ({:.2} ns vs {:.2} ns per op, mean of this run's samples)",
        slow.ns_per_op() / fast.ns_per_op(),
        slow.ns_per_op(),
        fast.ns_per_op()
    );
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
    // Back to back in one 64-byte line (the group grew a lazily allocated
    // async waiter list: 24 bytes, no longer 16).
    let unpadded_size = std::mem::size_of::<UnpaddedWaitGroup>();
    assert_eq!(distance(&unpadded.0[0], &unpadded.0[1]), unpadded_size);
    assert!(
        2 * unpadded_size <= 64,
        "both unpadded groups must share one line"
    );
    assert_eq!(distance(&padded64[0], &padded64[1]), 64);
    assert_eq!(distance(&padded128[0], &padded128[1]), 128);

    let tallies: [Tally; 4] = Default::default();
    let [t_shipped, t_unpadded, t_padded64, t_padded128] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingAddDone");
    group.bench_function("gosync_padded128", |b| {
        b.iter_custom(|iters| {
            let elapsed = hammer(iters, [&shipped[0], &shipped[1]], |wg| {
                wg.add(1);
                wg.done();
            });
            t_shipped.record(iters, elapsed)
        })
    });
    group.bench_function("raw_unpadded", |b| {
        b.iter_custom(|iters| {
            let elapsed = hammer(iters, [&unpadded.0[0], &unpadded.0[1]], |wg| {
                wg.add(1);
                wg.done();
            });
            t_unpadded.record(iters, elapsed)
        })
    });
    group.bench_function("raw_padded64", |b| {
        b.iter_custom(|iters| {
            let elapsed = hammer(iters, [&padded64[0].0, &padded64[1].0], |wg| {
                wg.add(1);
                wg.done();
            });
            t_padded64.record(iters, elapsed)
        })
    });
    group.bench_function("raw_padded128", |b| {
        b.iter_custom(|iters| {
            let elapsed = hammer(iters, [&*padded128[0], &*padded128[1]], |wg| {
                wg.add(1);
                wg.done();
            });
            t_padded128.record(iters, elapsed)
        })
    });
    group.finish();
    print_ratio(
        "WaitGroup unpadded / shipped (padded)",
        t_unpadded,
        t_shipped,
    );
    print_ratio(
        "WaitGroup 64-byte / 128-byte spacing",
        t_padded64,
        t_padded128,
    );
}

/// The operations of `FalseSharingAtomicValue`, for the shipped and the
/// unpadded `AtomicValue` alike.
trait StoreLoad: Sync {
    fn store_load(&self, v: u64);
}

impl StoreLoad for AtomicValue<u64> {
    #[inline]
    fn store_load(&self, v: u64) {
        self.store(v);
        black_box(self.load().map(|guard| *guard));
    }
}

impl StoreLoad for UnpaddedAtomicValue<u64> {
    #[inline]
    fn store_load(&self, v: u64) {
        self.store(v);
        black_box(self.load().map(|guard| *guard));
    }
}

/// Thread `i` runs `store(n); load()` on `pair[i]`, `n` counting up. Each
/// thread does one round before the clock starts, so that its first-use
/// cost (claiming a hazard record) is not timed.
fn hammer_value<T: StoreLoad>(iters: u64, pair: [&T; 2]) -> Duration {
    run_parallel(
        THREADS,
        |index| {
            pair[index].store_load(0);
            (pair[index], 0u64)
        },
        |index, (mine, next)| {
            for _ in 0..share(iters, THREADS, index) {
                *next += 1;
                mine.store_load(*next);
            }
        },
    )
    .wall
}

fn atomic_value(c: &mut Criterion) {
    let shipped = [AtomicValue::new(0u64), AtomicValue::new(0u64)];
    // `SameLine` here only starts the pair on a line boundary: see below.
    let unpadded = SameLine([
        UnpaddedAtomicValue::new(0u64),
        UnpaddedAtomicValue::new(0u64),
    ]);
    let padded128 = [
        CachePadded::new(UnpaddedAtomicValue::new(0u64)),
        CachePadded::new(UnpaddedAtomicValue::new(0u64)),
    ];
    // The unpadded value (its pointer and its retired list, all of which a
    // store writes) is more than half a line, so two do not fit in one; what
    // matters is that the 64-byte line where the first one ends and the
    // second begins holds bytes of both, which is so unless the size is a
    // multiple of 64. It is also why there is no 64-byte variant here: a
    // 64-aligned value of more than 64 bytes takes 128, the same spacing as
    // `raw_padded128`.
    let unpadded_size = std::mem::size_of::<UnpaddedAtomicValue<u64>>();
    assert!(
        unpadded_size % 64 != 0 && unpadded_size < 128,
        "UnpaddedAtomicValue is {unpadded_size} bytes: two adjacent ones share no line"
    );
    println!(
        "FalseSharingAtomicValue: UnpaddedAtomicValue<u64> is {unpadded_size} bytes; \
         the line at bytes {}..{} of the pair holds parts of both",
        unpadded_size / 64 * 64,
        unpadded_size / 64 * 64 + 64
    );
    assert_eq!(distance(&shipped[0], &shipped[1]), 128);
    assert_eq!(distance(&unpadded.0[0], &unpadded.0[1]), unpadded_size);
    assert_eq!(distance(&padded128[0], &padded128[1]), 128);

    let tallies: [Tally; 3] = Default::default();
    let [t_shipped, t_unpadded, t_padded128] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingAtomicValue");
    group.bench_function("gosync_padded128", |b| {
        b.iter_custom(|iters| {
            t_shipped.record(iters, hammer_value(iters, [&shipped[0], &shipped[1]]))
        })
    });
    group.bench_function("raw_unpadded", |b| {
        b.iter_custom(|iters| {
            t_unpadded.record(iters, hammer_value(iters, [&unpadded.0[0], &unpadded.0[1]]))
        })
    });
    group.bench_function("raw_padded128", |b| {
        b.iter_custom(|iters| {
            t_padded128.record(iters, hammer_value(iters, [&*padded128[0], &*padded128[1]]))
        })
    });
    group.finish();
    print_ratio(
        "AtomicValue unpadded / shipped (padded)",
        t_unpadded,
        t_shipped,
    );
    print_ratio(
        "AtomicValue re-padded to 128 / shipped (expected about 1)",
        t_padded128,
        t_shipped,
    );
}

/// `hits` and `misses` of Go's `BenchmarkMapLoadMostlyHits`.
const MAP_HITS: u64 = 1023;
const MAP_MISSES: u64 = 1;

/// Thread `t` runs Go's `LoadMostlyHits` body, `load(i % 1024)` for `i`
/// from `t * iters` (as the `concurrent_map` suite does), on `pair[t]`.
/// `load` reads the value through the map's guard. Each thread loads once
/// before the clock starts, so that its first-use cost is not timed.
fn hammer_map<M: Sync>(
    iters: u64,
    pair: [&M; 2],
    load: impl Fn(&M, u64) -> Option<u64> + Sync,
) -> Duration {
    run_parallel(
        THREADS,
        |index| {
            black_box(load(pair[index], 0));
            pair[index]
        },
        |index, mine| {
            let start = index as u64 * iters;
            for i in start..start + share(iters, THREADS, index) {
                black_box(load(mine, i % (MAP_HITS + MAP_MISSES)));
            }
        },
    )
    .wall
}

/// Go's setup of `LoadMostlyHits`: `load_or_store(i, i)` for the 1023 hit
/// keys, then 2046 loads to "prime the map to get it into a steady state".
fn load_mostly_hits_setup(load_or_store: impl Fn(u64, u64), load: impl Fn(u64) -> Option<u64>) {
    for i in 0..MAP_HITS {
        load_or_store(i, i);
    }
    for i in 0..MAP_HITS * 2 {
        black_box(load(i % MAP_HITS));
    }
}

fn map(c: &mut Criterion) {
    let shipped: [Map<u64, u64>; 2] = [Map::new(), Map::new()];
    let unpadded: SameLine<UnpaddedMap<u64, u64>> =
        SameLine([UnpaddedMap::new(), UnpaddedMap::new()]);
    let load_shipped = |map: &Map<u64, u64>, key: u64| map.load(&key).map(|guard| *guard);
    let load_unpadded = |map: &UnpaddedMap<u64, u64>, key: u64| map.load(&key).map(|guard| *guard);
    for map in &shipped {
        load_mostly_hits_setup(
            |k, v| drop(map.load_or_store(k, v)),
            |k| load_shipped(map, k),
        );
    }
    for map in &unpadded.0 {
        load_mostly_hits_setup(
            |k, v| drop(map.load_or_store(k, v)),
            |k| load_unpadded(map, k),
        );
    }
    // No layout is asserted: the padding is the crate's choice. What the
    // two functions compare is printed.
    println!(
        "FalseSharingMap: Map<u64, u64> is {} bytes (align {}), the two shipped maps {} bytes \
         apart; UnpaddedMap<u64, u64> is {} bytes (align {}), the two unpadded maps {} bytes apart",
        std::mem::size_of::<Map<u64, u64>>(),
        std::mem::align_of::<Map<u64, u64>>(),
        distance(&shipped[0], &shipped[1]),
        std::mem::size_of::<UnpaddedMap<u64, u64>>(),
        std::mem::align_of::<UnpaddedMap<u64, u64>>(),
        distance(&unpadded.0[0], &unpadded.0[1]),
    );

    let tallies: [Tally; 2] = Default::default();
    let [t_shipped, t_unpadded] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingMap");
    group.bench_function("shipped", |b| {
        b.iter_custom(|iters| {
            t_shipped.record(
                iters,
                hammer_map(iters, [&shipped[0], &shipped[1]], load_shipped),
            )
        })
    });
    group.bench_function("unpadded", |b| {
        b.iter_custom(|iters| {
            t_unpadded.record(
                iters,
                hammer_map(iters, [&unpadded.0[0], &unpadded.0[1]], load_unpadded),
            )
        })
    });
    group.finish();
    print_ratio("Map unpadded / shipped (padded)", t_unpadded, t_shipped);
}

/// The reader's time for `iters` `LoadMostlyHits` loads on `map` while
/// another thread keeps missing the same map's snapshot (module docs).
fn reader_beside_misser<M: Sync>(
    iters: u64,
    map: &M,
    load: impl Fn(&M, u64) -> Option<u64> + Sync,
    store: impl Fn(&M, u64, u64) + Sync,
) -> Duration {
    use std::sync::atomic::AtomicBool;
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            let mut fresh = MISSER_KEYS.end;
            let mut i = 1u64;
            // Relaxed: a stop flag only.
            while !stop.load(Ordering::Relaxed) {
                if i % MISSER_KEYS.count() as u64 == 0 {
                    // After the promotion the snapshot lacks nothing:
                    // amend it again (one dirty-table build).
                    fresh += 1;
                    store(map, fresh, fresh);
                }
                black_box(load(map, u64::MAX));
                i += 1;
            }
        });
        let start = std::time::Instant::now();
        for i in 0..iters {
            black_box(load(map, i % 1024));
        }
        let elapsed = start.elapsed();
        // Relaxed: see above.
        stop.store(true, Ordering::Relaxed);
        elapsed
    })
}

/// The keys only the dirty table holds in `FalseSharingMapMisses`.
const MISSER_KEYS: std::ops::Range<u64> = (1 << 32)..(1 << 32) + 100_000;

fn map_misses(c: &mut Criterion) {
    let shipped: Map<u64, u64> = Map::new();
    let unpadded: UnpaddedMap<u64, u64> = UnpaddedMap::new();
    load_mostly_hits_setup(
        |k, v| drop(shipped.load_or_store(k, v)),
        |k| shipped.load(&k).map(|guard| *guard),
    );
    load_mostly_hits_setup(
        |k, v| drop(unpadded.load_or_store(k, v)),
        |k| unpadded.load(&k).map(|guard| *guard),
    );
    for key in MISSER_KEYS {
        shipped.store(key, key);
        unpadded.store(key, key);
    }
    let tallies: [Tally; 2] = Default::default();
    let [t_shipped, t_unpadded] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingMapMisses");
    group.bench_function("shipped", |b| {
        b.iter_custom(|iters| {
            t_shipped.record(
                iters,
                reader_beside_misser(
                    iters,
                    &shipped,
                    |map, key| map.load(&key).map(|guard| *guard),
                    |map, key, value| map.store(key, value),
                ),
            )
        })
    });
    group.bench_function("unpadded", |b| {
        b.iter_custom(|iters| {
            t_unpadded.record(
                iters,
                reader_beside_misser(
                    iters,
                    &unpadded,
                    |map, key| map.load(&key).map(|guard| *guard),
                    |map, key, value| map.store(key, value),
                ),
            )
        })
    });
    group.finish();
    print_ratio(
        "Map with a misser, unpadded / shipped (padded)",
        t_unpadded,
        t_shipped,
    );
}

/// Capacity of the `FalseSharingChannel` ring.
const RING_CAPACITY: usize = 1024;

/// `iters` messages through `ring`: thread 0 sends them, thread 1 receives
/// them (both blocking). Returns the wall time of both.
fn spsc_ring<L: Layout>(iters: u64, ring: &RawBounded<u64, L>) -> Duration
where
    RawBounded<u64, L>: Sync,
{
    run_parallel(
        THREADS,
        |_| (),
        |index, ()| {
            if index == 0 {
                for k in 0..iters {
                    ring.send(k);
                }
            } else {
                for _ in 0..iters {
                    black_box(ring.recv());
                }
            }
        },
    )
    .wall
}

fn channel(c: &mut Criterion) {
    let shipped: RawBounded<u64, Padded> = RawBounded::new(RING_CAPACITY);
    let unpadded: RawBounded<u64, Unpadded> = RawBounded::new(RING_CAPACITY);
    println!(
        "FalseSharingChannel: RawBounded<u64, Padded> is {} bytes (align {}), \
         RawBounded<u64, Unpadded> is {} bytes (align {}); capacity {RING_CAPACITY}",
        std::mem::size_of::<RawBounded<u64, Padded>>(),
        std::mem::align_of::<RawBounded<u64, Padded>>(),
        std::mem::size_of::<RawBounded<u64, Unpadded>>(),
        std::mem::align_of::<RawBounded<u64, Unpadded>>(),
    );
    let tallies: [Tally; 2] = Default::default();
    let [t_shipped, t_unpadded] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingChannel");
    group.bench_function("shipped", |b| {
        b.iter_custom(|iters| t_shipped.record(iters, spsc_ring(iters, &shipped)))
    });
    group.bench_function("unpadded", |b| {
        b.iter_custom(|iters| t_unpadded.record(iters, spsc_ring(iters, &unpadded)))
    });
    group.finish();
    print_ratio(
        "channel SPSC unpadded / shipped (padded)",
        t_unpadded,
        t_shipped,
    );
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
        // AcqRel, as `WaitGroup::add` uses, so the calibration runs the same
        // instruction; it pairs with nothing (each thread has its own counter).
        counter.fetch_add(1, Ordering::AcqRel);
    };
    let tallies: [Tally; 3] = Default::default();
    let [t_shared, t_padded64, t_padded128] = &tallies;
    let mut group = benchmark_group(c, "FalseSharingAtomic");
    group.bench_function("shared_line", |b| {
        b.iter_custom(|iters| {
            t_shared.record(
                iters,
                hammer(iters, [&same_line.0[0], &same_line.0[1]], increment),
            )
        })
    });
    group.bench_function("padded64", |b| {
        b.iter_custom(|iters| {
            t_padded64.record(
                iters,
                hammer(iters, [&padded64[0].0, &padded64[1].0], increment),
            )
        })
    });
    group.bench_function("padded128", |b| {
        b.iter_custom(|iters| {
            t_padded128.record(
                iters,
                hammer(iters, [&*padded128[0], &*padded128[1]], increment),
            )
        })
    });
    group.finish();
    print_ratio(
        "calibration: atomics on one line / 128 bytes apart",
        t_shared,
        t_padded128,
    );
}

criterion_group! {
    name = benches;
    config = gosync_benches::harness::criterion();
    targets = add_done, atomic_value, map, map_misses, channel, atomic
}
criterion_main!(benches);
