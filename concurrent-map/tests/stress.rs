//! Multi-thread stress with drop-counted keys and values: all operations
//! mixed over a small key space; compare-and-swap counters that lose no
//! update; a `load_or_store` race with exactly one winner; readers that see
//! only values stored for their key while a writer stores, deletes and
//! clears; and `range` concurrent with stores, never visiting a key twice.
//! After the map and every guard are gone, every key and value must have
//! been dropped exactly once. Hangs fail through `within`; nothing sleeps
//! to wait for a race.
#![cfg(not(gosync_loom))]

mod common;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};

use common::{scaled, threads, within, Counted, Ledger, Rng, HANG};
use gosync_concurrent_map::{Guard, Map};

/// A value for `key`, written `seq`-th: the key is in the high half, so a
/// reader can tell whether a value belongs to the key it looked up.
fn encode(key: u64, seq: u64) -> u64 {
    key << 32 | seq
}

fn decode(tag: u64) -> (u64, u64) {
    (tag >> 32, tag & 0xFFFF_FFFF)
}

/// Panics unless `value` was stored for `key`, is intact, and its sequence
/// number was not made after `progress`.
fn check_value(key: u64, value: &Counted, progress: u64) {
    value.assert_intact();
    let (k, seq) = decode(value.tag());
    assert_eq!(k, key, "a value of key {k} under key {key}");
    assert!(seq <= progress, "value {seq} of key {key} was never stored");
}

#[test]
fn all_operations_mixed_from_four_threads() {
    within(HANG, || {
        const KEYS: u64 = 16;
        let (keys, values) = (Ledger::new(), Ledger::new());
        let m = Arc::new(Map::<Counted, Counted>::new());
        let iterations = if cfg!(miri) { 80 } else { 20_000 };
        let barrier = Arc::new(Barrier::new(4));
        let workers: Vec<_> = (0..4u64)
            .map(|t| {
                let (keys, values) = (Arc::clone(&keys), Arc::clone(&values));
                let (m, barrier) = (Arc::clone(&m), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let mut rng = Rng::new(t + 1);
                    let mut held: Vec<(u64, Guard<Counted>)> = Vec::new();
                    let mut kept = Vec::new();
                    let key = |k| Counted::new(&keys, k);
                    // Sequence numbers: unique per thread, below 2^32.
                    let value = |k, i: u64| Counted::new(&values, encode(k, t << 24 | i));
                    let check = |k, v: &Counted| check_value(k, v, u64::MAX >> 32);
                    barrier.wait();
                    for i in 0..iterations {
                        let k = rng.below(KEYS as usize) as u64;
                        match rng.below(100) {
                            0..=29 => {
                                if let Some(v) = m.load(&k) {
                                    check(k, &v);
                                    if rng.one_in(4) {
                                        held.push((k, v));
                                    }
                                }
                            }
                            30..=44 => m.store(key(k), value(k, i)),
                            45..=54 => {
                                let (actual, loaded) = m.load_or_store(key(k), value(k, i));
                                check(k, &actual);
                                if !loaded {
                                    assert_eq!(actual.tag(), encode(k, t << 24 | i));
                                }
                            }
                            55..=61 => {
                                if let Some(v) = m.load_and_delete(&k) {
                                    check(k, &v);
                                }
                            }
                            62..=66 => m.delete(&k),
                            67..=76 => {
                                if let Some(v) = m.swap(key(k), value(k, i)) {
                                    check(k, &v);
                                }
                            }
                            77..=86 => {
                                let old = match m.load(&k) {
                                    Some(v) if rng.one_in(4) => Counted::new(&values, v.tag()),
                                    _ => value(k, i),
                                };
                                let new = value(k, i);
                                let new_id = new.id();
                                if let Err(back) = m.compare_and_swap(&k, &old, new) {
                                    assert_eq!(back.id(), new_id, "Err gives `new` back");
                                }
                            }
                            87..=93 => {
                                if let Some(v) = m.load(&k) {
                                    let old = Counted::new(&values, v.tag());
                                    m.compare_and_delete(&k, &old);
                                }
                            }
                            94..=98 => {
                                let mut seen = HashSet::new();
                                m.range(|key, v| {
                                    key.assert_intact();
                                    check(key.tag(), v);
                                    assert!(seen.insert(key.tag()), "{} twice", key.tag());
                                    seen.len() < 12
                                });
                            }
                            _ => {
                                if rng.one_in(5) {
                                    m.clear();
                                }
                            }
                        }
                        if held.len() > 4 || (rng.one_in(64) && !held.is_empty()) {
                            let (k, v) = held.swap_remove(rng.below(held.len()));
                            check(k, &v);
                            if rng.one_in(8) {
                                kept.push((k, Guard::into_arc(v)));
                            }
                        }
                        for (k, v) in &held {
                            check(*k, v);
                        }
                    }
                    kept
                })
            })
            .collect();
        let kept: Vec<_> = workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        drop(m);
        for (k, v) in &kept {
            check_value(*k, v, u64::MAX >> 32);
        }
        drop(kept);
        keys.assert_all_dropped_once();
        values.assert_all_dropped_once();
    });
}

#[test]
fn compare_and_swap_counters_lose_no_update() {
    within(HANG, || {
        const KEYS: u32 = 4;
        const THREADS: u64 = 3;
        let m = Arc::new(Map::<u32, u64>::new());
        for key in 0..KEYS {
            m.store(key, 0);
        }
        let increments = if cfg!(miri) { 15 } else { 5_000 };
        let barrier = Arc::new(Barrier::new(THREADS as usize));
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let (m, barrier) = (Arc::clone(&m), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    for i in 0..increments * u64::from(KEYS) {
                        let key = ((i + t) % u64::from(KEYS)) as u32;
                        loop {
                            let current = *m.load(&key).expect("counters are never deleted");
                            match m.compare_and_swap(&key, &current, current + 1) {
                                Ok(()) => break,
                                Err(back) => assert_eq!(back, current + 1),
                            }
                        }
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        for key in 0..KEYS {
            assert_eq!(
                m.load(&key).as_deref(),
                Some(&(THREADS * increments)),
                "key {key}: updates lost"
            );
        }
    });
}

#[test]
fn load_or_store_race_has_exactly_one_winner() {
    within(HANG, || {
        let n = threads(8);
        let (keys, values) = (Ledger::new(), Ledger::new());
        let m = Arc::new(Map::<Counted, Counted>::new());
        let rounds = scaled(2_000) as u64;
        let barrier = Arc::new(Barrier::new(n));
        let racers: Vec<_> = (0..n as u64)
            .map(|t| {
                let (keys, values) = (Arc::clone(&keys), Arc::clone(&values));
                let (m, barrier) = (Arc::clone(&m), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    barrier.wait();
                    (0..rounds)
                        .map(|round| {
                            let (actual, loaded) = m.load_or_store(
                                Counted::new(&keys, round),
                                Counted::new(&values, encode(round, t)),
                            );
                            actual.assert_intact();
                            (actual.tag(), actual.id(), loaded)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        let results: Vec<Vec<(u64, usize, bool)>> =
            racers.into_iter().map(|r| r.join().unwrap()).collect();
        for round in 0..rounds as usize {
            let outcomes: Vec<_> = results.iter().map(|r| r[round]).collect();
            let winners: Vec<usize> = (0..n).filter(|&t| !outcomes[t].2).collect();
            assert_eq!(winners.len(), 1, "round {round}: winners {winners:?}");
            let winner = winners[0];
            assert_eq!(outcomes[winner].0, encode(round as u64, winner as u64));
            for (t, outcome) in outcomes.iter().enumerate() {
                assert_eq!(
                    (outcome.0, outcome.1),
                    (outcomes[winner].0, outcomes[winner].1),
                    "round {round}: thread {t} saw another value than the winner's"
                );
            }
            let stored = m.load(&(round as u64)).unwrap();
            assert_eq!(stored.id(), outcomes[winner].1);
        }
        drop(m);
        keys.assert_all_dropped_once();
        values.assert_all_dropped_once();
    });
}

#[test]
fn readers_see_only_stored_values_while_a_writer_stores_deletes_and_clears() {
    within(HANG, || {
        const KEYS: u64 = 8;
        let (keys, values) = (Ledger::new(), Ledger::new());
        let m = Arc::new(Map::<Counted, Counted>::new());
        let progress = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let readers: Vec<_> = (0..threads(4) as u64 - 1)
            .map(|r| {
                let (m, progress, done) =
                    (Arc::clone(&m), Arc::clone(&progress), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut rng = Rng::new(100 + r);
                    let mut held: Option<(u64, Guard<Counted>)> = None;
                    let mut hits = 0u64;
                    while !done.load(Ordering::SeqCst) {
                        let key = rng.below(KEYS as usize) as u64;
                        if let Some(v) = m.load(&key) {
                            // Read after the load: the writer's counter is
                            // at least the value's sequence number.
                            check_value(key, &v, progress.load(Ordering::SeqCst));
                            hits += 1;
                            if rng.one_in(16) {
                                held = Some((key, v));
                            }
                        }
                        if let Some((k, v)) = &held {
                            check_value(*k, v, u64::MAX);
                        }
                    }
                    hits
                })
            })
            .collect();
        let mut rng = Rng::new(7);
        for seq in 1..=if cfg!(miri) { 150 } else { 50_000 } {
            progress.store(seq, Ordering::SeqCst);
            let key = rng.below(KEYS as usize) as u64;
            let value = Counted::new(&values, encode(key, seq));
            match rng.below(100) {
                0..=59 => m.store(Counted::new(&keys, key), value),
                60..=74 => drop(m.swap(Counted::new(&keys, key), value)),
                75..=84 => {
                    m.delete(&key);
                    drop(value);
                }
                85..=94 => {
                    drop(m.load_and_delete(&key));
                    drop(value);
                }
                95..=98 => {
                    let _ = m.load_or_store(Counted::new(&keys, key), value);
                }
                _ => {
                    m.clear();
                    drop(value);
                }
            }
        }
        done.store(true, Ordering::SeqCst);
        for reader in readers {
            reader.join().unwrap();
        }
        drop(m);
        keys.assert_all_dropped_once();
        values.assert_all_dropped_once();
    });
}

#[test]
fn range_concurrent_with_stores_never_visits_a_key_twice() {
    within(HANG, || {
        // Keys below STABLE are present throughout (only overwritten);
        // keys STABLE..2*STABLE come and go.
        const STABLE: u64 = if cfg!(miri) { 16 } else { 64 };
        let (keys, values) = (Ledger::new(), Ledger::new());
        let m = Arc::new(Map::<Counted, Counted>::new());
        for key in 0..STABLE {
            m.store(
                Counted::new(&keys, key),
                Counted::new(&values, encode(key, 0)),
            );
        }
        let progress = Arc::new(AtomicU64::new(0));
        let done = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = (0..2u64)
            .map(|w| {
                let (keys, values) = (Arc::clone(&keys), Arc::clone(&values));
                let (m, progress, done) =
                    (Arc::clone(&m), Arc::clone(&progress), Arc::clone(&done));
                std::thread::spawn(move || {
                    let mut rng = Rng::new(w + 11);
                    // Bounded, so that a slow range (Miri) cannot make the
                    // writers fill the ledgers.
                    let mut left = scaled(10_000_000);
                    while left > 0 && !done.load(Ordering::SeqCst) {
                        left -= 1;
                        let seq = progress.fetch_add(1, Ordering::SeqCst) + 1;
                        let key = rng.below(2 * STABLE as usize) as u64;
                        let value = Counted::new(&values, encode(key, seq));
                        if key < STABLE || rng.one_in(2) {
                            m.store(Counted::new(&keys, key), value);
                        } else {
                            m.delete(&key);
                        }
                    }
                })
            })
            .collect();
        for _ in 0..scaled(500) {
            let mut visited = HashSet::new();
            m.range(|k, v| {
                k.assert_intact();
                check_value(k.tag(), v, progress.load(Ordering::SeqCst));
                assert!(
                    visited.insert(k.tag()),
                    "range visited key {} twice",
                    k.tag()
                );
                assert!(k.tag() < 2 * STABLE, "a key never stored");
                true
            });
            for key in 0..STABLE {
                assert!(
                    visited.contains(&key),
                    "range missed key {key}, present throughout"
                );
            }
        }
        done.store(true, Ordering::SeqCst);
        for writer in writers {
            writer.join().unwrap();
        }
        drop(m);
        keys.assert_all_dropped_once();
        values.assert_all_dropped_once();
    });
}
