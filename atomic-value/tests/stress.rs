//! Multi-thread stress: readers holding guards (several at once, some across
//! thousands of stores) against writers storing, swapping and CAS-ing
//! drop-counted values; threads that come and go; and litmus tests of the
//! sequential consistency Go promises for its atomics.
#![cfg(not(gosync_loom))]

mod common;

use std::cell::UnsafeCell;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};

use common::{scaled, scaled_stores, within, Ledger, Rng, Tracked, HANG};
use gosync_atomic_value::AtomicValue;

const WRITERS: u64 = 2;
/// The writer slot of the initial value (no writer).
const INITIAL: u64 = WRITERS;

/// Writer `w`'s `seq`-th value: writers store their own values in
/// increasing `seq`, so per writer a reader must see `seq` only grow.
fn key(seq: u64, writer: u64) -> u64 {
    seq * (WRITERS + 1) + writer
}

fn seq_and_writer(key: u64) -> (u64, usize) {
    (key / (WRITERS + 1), (key % (WRITERS + 1)) as usize)
}

/// Loads forever (until `stop`), checking each value and all the values it
/// still holds guards on; holds up to a few guards at a time, and now and
/// then one guard across many loads (so across many stores). Some loads go
/// through a cached `Reader`, which must never go back either.
fn reader(v: &AtomicValue<Tracked>, stop: &AtomicBool, index: usize) -> usize {
    let mut rng = Rng::new(1000 + index as u64);
    let mut last_seq = [0u64; WRITERS as usize + 1];
    let mut held = VecDeque::new();
    let mut hold_at_most = 1;
    let mut long = None;
    let mut long_left = 0usize;
    let mut loads = 0;
    let mut cached = v.reader();
    let mut see = |key: u64, how: &str| {
        let (seq, writer) = seq_and_writer(key);
        assert!(
            seq >= last_seq[writer],
            "reader {index}: {how} of writer {writer}'s values went back from seq {} to {seq}",
            last_seq[writer]
        );
        last_seq[writer] = seq;
    };
    while !stop.load(Ordering::Relaxed) {
        loads += 1;
        if rng.below(8) == 0 {
            let arc = v.load_arc().expect("never empty");
            arc.assert_intact();
            see(arc.key(), "load_arc");
            continue;
        }
        if rng.below(8) == 0 {
            if rng.below(64) == 0 {
                cached.clear();
            }
            let arc = cached.load().expect("never empty");
            arc.assert_intact();
            see(arc.key(), "Reader::load");
            continue;
        }
        let guard = v.load().expect("never empty");
        guard.assert_intact();
        see(guard.key(), "load");
        match rng.below(16) {
            0..=5 => {
                held.push_back(guard);
                while held.len() > hold_at_most {
                    held.pop_front();
                }
            }
            6 if long.is_none() => {
                long_left = 1 + rng.below(scaled(5_000));
                long = Some(guard);
            }
            7 => hold_at_most = 1 + rng.below(8),
            8 if rng.below(16) == 0 => v.reclaim(),
            _ => drop(guard),
        }
        for guard in &held {
            guard.assert_intact();
        }
        if let Some(guard) = &long {
            guard.assert_intact();
            long_left -= 1;
            if long_left == 0 {
                long = None;
            }
        }
    }
    loads
}

/// Writes `writes` values of writer `w`, rotating store / swap / CAS loop,
/// with a `reclaim()` now and then.
fn writer(v: &AtomicValue<Tracked>, ledger: &Arc<Ledger>, w: u64, writes: u64) {
    for seq in 1..=writes {
        let mut value = Tracked::new(ledger, key(seq, w));
        match (seq + w) % 3 {
            0 => v.store(value),
            1 => {
                let old = v.swap(value).expect("never empty");
                old.assert_intact();
                let (old_seq, old_writer) = seq_and_writer(old.key());
                // The value swapped out is the latest before ours; if it is
                // ours, it is our previous write.
                if old_writer == w as usize {
                    assert_eq!(old_seq, seq - 1, "writer {w}: swap returned a stale value");
                }
            }
            _ => loop {
                let current = v.load().expect("never empty");
                current.assert_intact();
                match v.compare_and_swap(Some(&current), value) {
                    Ok(()) => break,
                    Err(back) => {
                        assert_eq!(back.key(), key(seq, w), "Err must give `new` back");
                        value = back;
                    }
                }
            },
        }
        if seq % 64 == 0 {
            v.reclaim();
        }
    }
}

#[test]
fn readers_and_writers_drop_every_value_exactly_once() {
    within(HANG, || {
        let writes = scaled_stores(50_000) as u64;
        let readers = if cfg!(miri) { 2 } else { 3 };
        let ledger = Ledger::new();
        let v = AtomicValue::new(Tracked::new(&ledger, key(0, INITIAL)));
        let stop = AtomicBool::new(false);
        std::thread::scope(|s| {
            let reading: Vec<_> = (0..readers)
                .map(|i| {
                    let (v, stop) = (&v, &stop);
                    s.spawn(move || reader(v, stop, i))
                })
                .collect();
            let writing: Vec<_> = (0..WRITERS)
                .map(|w| {
                    let (v, ledger) = (&v, &ledger);
                    s.spawn(move || writer(v, ledger, w, writes))
                })
                .collect();
            for handle in writing {
                handle.join().unwrap();
            }
            stop.store(true, Ordering::Relaxed);
            for handle in reading {
                assert!(handle.join().unwrap() > 0);
            }
        });
        assert_eq!(ledger.created(), 1 + (WRITERS * writes) as usize);
        ledger.assert_no_double_drop();
        let current = v.load().unwrap().id();
        v.reclaim();
        assert_eq!(ledger.alive(), [current], "after all threads and reclaim");
        drop(v);
        ledger.assert_all_dropped_once();
    });
}

#[test]
fn atomic_value_dropped_while_other_threads_hold_guards() {
    // Guards have no lifetime: the last `Arc` of the AtomicValue may go (on
    // any thread) while other threads still read through their guards.
    within(HANG, || {
        let threads = 4;
        let rounds = scaled(200);
        let ledger = Ledger::new();
        for round in 0..rounds {
            let v = Arc::new(AtomicValue::new(Tracked::new(&ledger, 0)));
            let barrier = Arc::new(Barrier::new(threads));
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let (v, barrier, ledger) =
                        (Arc::clone(&v), Arc::clone(&barrier), Arc::clone(&ledger));
                    std::thread::spawn(move || {
                        let mine = v.load().unwrap();
                        v.store(Tracked::new(&ledger, (round * threads + t) as u64));
                        let latest = v.load().unwrap();
                        barrier.wait();
                        drop(v); // One of these drops the AtomicValue.
                        for _ in 0..scaled(100) {
                            mine.assert_intact();
                            latest.assert_intact();
                        }
                    })
                })
                .collect();
            drop(v);
            for handle in handles {
                handle.join().unwrap();
            }
            ledger.assert_all_dropped_once();
        }
    });
}

#[test]
fn a_thousand_short_lived_threads_loading_and_storing() {
    // Per-thread state must be recycled or freed as threads exit: this
    // would crawl or run out of memory if each thread left its slots behind.
    within(HANG, || {
        let n = scaled(1_000);
        let ledger = Ledger::new();
        let v = AtomicValue::new(Tracked::new(&ledger, 0));
        for i in 1..=n {
            std::thread::scope(|s| {
                s.spawn(|| {
                    let guards: Vec<_> = (0..1 + i % 4).map(|_| v.load().unwrap()).collect();
                    v.store(Tracked::new(&ledger, i as u64));
                    for guard in &guards {
                        guard.assert_intact();
                        assert_eq!(guard.key(), i as u64 - 1);
                    }
                    if i % 8 == 0 {
                        v.reclaim();
                    }
                });
            });
        }
        v.reclaim();
        assert_eq!(ledger.alive(), [n]);
        drop(v);
        ledger.assert_all_dropped_once();
    });
}

/// Spins until every thread has announced round `k`, so that the threads
/// start each round close together (yielding after a while, in case there
/// are fewer cores than threads); they stay within one round of each other.
fn rendezvous(at: &[AtomicUsize], me: usize, k: usize) {
    at[me].store(k, Ordering::SeqCst);
    let mut spins = 0u32;
    while at.iter().any(|a| a.load(Ordering::SeqCst) < k) {
        if spins < 1_000 && !cfg!(miri) {
            spins += 1;
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

#[test]
fn store_buffering_litmus_is_sequentially_consistent() {
    // Thread A: x = k; read y.  Thread B: y = k; read x.  Under sequential
    // consistency (Go's promise for its atomics) one of the two stores
    // comes first, so at least one thread reads the other's round-k value:
    // both reading an older value is the store-buffer reordering.
    within(HANG, || {
        let rounds = scaled_stores(50_000);
        let x = AtomicValue::new(0usize);
        let y = AtomicValue::new(0usize);
        let at = [AtomicUsize::new(0), AtomicUsize::new(0)];
        let (ra, rb) = std::thread::scope(|s| {
            let at = &at;
            let side = move |me: usize, mine: &AtomicValue<usize>, other: &AtomicValue<usize>| {
                let mut seen = Vec::with_capacity(rounds);
                for k in 1..=rounds {
                    rendezvous(at, me, k);
                    mine.store(k);
                    seen.push(*other.load().unwrap());
                }
                seen
            };
            let (x, y) = (&x, &y);
            let a = s.spawn(move || side(0, x, y));
            let b = s.spawn(move || side(1, y, x));
            (a.join().unwrap(), b.join().unwrap())
        });
        let violations: Vec<_> = (1..=rounds)
            .filter(|&k| ra[k - 1] < k && rb[k - 1] < k)
            .map(|k| (k, ra[k - 1], rb[k - 1]))
            .collect();
        assert!(
            violations.is_empty(),
            "{} of {rounds} rounds saw both stores late (round, A read y, B read x): {:?}",
            violations.len(),
            &violations[..violations.len().min(10)]
        );
    });
}

#[test]
fn iriw_litmus_readers_agree_on_the_order_of_stores() {
    // Independent reads of independent writes: writers store x = k and
    // y = k; reader C reads x then y, reader D reads y then x. C seeing the
    // new x but the old y while D sees the new y but the old x would mean
    // the two readers saw the stores in opposite orders.
    within(HANG, || {
        let rounds = scaled_stores(10_000);
        let x = AtomicValue::new(0usize);
        let y = AtomicValue::new(0usize);
        let at: [AtomicUsize; 4] = Default::default();
        let (c, d) = std::thread::scope(|s| {
            let (x, y, at) = (&x, &y, &at);
            s.spawn(move || {
                for k in 1..=rounds {
                    rendezvous(at, 0, k);
                    x.store(k);
                }
            });
            s.spawn(move || {
                for k in 1..=rounds {
                    rendezvous(at, 1, k);
                    y.store(k);
                }
            });
            let read = move |me: usize, first: &'static str| {
                let (a, b) = if first == "x" { (x, y) } else { (y, x) };
                let mut seen = Vec::with_capacity(rounds);
                for k in 1..=rounds {
                    rendezvous(at, me, k);
                    let ra = *a.load().unwrap();
                    let rb = *b.load().unwrap();
                    seen.push((ra, rb));
                }
                seen
            };
            let c = s.spawn(move || read(2, "x"));
            let d = s.spawn(move || read(3, "y"));
            (c.join().unwrap(), d.join().unwrap())
        });
        // Values only grow, so "new" in round k is >= k, "old" is < k.
        let violations: Vec<_> = (1..=rounds)
            .filter(|&k| {
                let ((cx, cy), (dy, dx)) = (c[k - 1], d[k - 1]);
                cx >= k && cy < k && dy >= k && dx < k
            })
            .map(|k| (k, c[k - 1], d[k - 1]))
            .collect();
        assert!(
            violations.is_empty(),
            "readers disagreed on the order of stores in {} of {rounds} rounds \
             (round, C's (x, y), D's (y, x)): {:?}",
            violations.len(),
            &violations[..violations.len().min(10)]
        );
    });
}

/// Plain (non-atomic) memory, written before a store and read after a load
/// that sees that store.
struct Plain(UnsafeCell<u64>);

// SAFETY: accesses are ordered by the AtomicValue's store -> load edge
// (which is what the test checks; Miri's race detector catches a missing
// edge).
unsafe impl Sync for Plain {}

#[test]
fn a_load_that_sees_a_store_sees_everything_before_it() {
    // Message passing: Go's memory model makes a store synchronized before
    // the load that observes it.
    within(HANG, || {
        for round in 0..scaled_stores(5_000) as u64 {
            let data = Plain(UnsafeCell::new(0));
            let flag = AtomicValue::new(0u64);
            let (data, flag) = (&data, &flag);
            std::thread::scope(|s| {
                s.spawn(move || {
                    // SAFETY: the reader touches `data` only after it loads
                    // the flag stored below.
                    unsafe { *data.0.get() = round + 1 };
                    flag.store(round + 1);
                });
                s.spawn(move || {
                    while *flag.load().unwrap() == 0 {
                        std::thread::yield_now();
                    }
                    // SAFETY: the writer wrote `data` before the store this
                    // load observed, and writes it no more.
                    let seen = unsafe { *data.0.get() };
                    assert_eq!(seen, round + 1, "saw the flag but not the data");
                });
            });
        }
    });
}
