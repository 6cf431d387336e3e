//! Multi-thread stress: many rounds on one reused group, tasks handing in
//! drop-counted values, several waiters per round. Every value must be seen
//! exactly once by the round that made it, and dropped exactly once.
#![cfg(not(gosync_loom))]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::{scaled, within, Counted, HANG};
use gosync_waitgroup::WaitGroup;

#[test]
fn rounds_with_many_waiters_count_every_value_once() {
    within(HANG, || {
        let drops = Arc::new(AtomicUsize::new(0));
        let wg = WaitGroup::new();
        let rounds = scaled(200);
        let tasks = 6;
        let mut made = 0;
        for round in 0..rounds {
            let inbox: Mutex<Vec<(usize, Counted)>> = Mutex::new(Vec::new());
            std::thread::scope(|s| {
                for _ in 0..tasks {
                    let guard = wg.guard();
                    let (inbox, drops) = (&inbox, &drops);
                    s.spawn(move || {
                        inbox.lock().unwrap().push((round, Counted::new(drops)));
                        drop(guard);
                    });
                }
                made += tasks;
                // Extra waiters; each must see the whole round when released.
                for _ in 0..2 {
                    let (wg, inbox) = (&wg, &inbox);
                    s.spawn(move || {
                        wg.wait();
                        assert_eq!(inbox.lock().unwrap().len(), tasks);
                    });
                }
                wg.wait();
                let got = inbox.lock().unwrap();
                assert_eq!(got.len(), tasks);
                assert!(got.iter().all(|(r, _)| *r == round));
            });
            drop(inbox);
            assert_eq!(drops.load(Ordering::Relaxed), made);
        }
        assert_eq!(wg.count(), 0);
    });
}

#[test]
fn go_fan_out_counts_every_task_once() {
    within(HANG, || {
        let wg = Arc::new(WaitGroup::new());
        let ran = Arc::new(AtomicUsize::new(0));
        let drops = Arc::new(AtomicUsize::new(0));
        let n = scaled(2_000);
        let handles: Vec<_> = (0..n)
            .map(|_| {
                let (ran, value) = (Arc::clone(&ran), Counted::new(&drops));
                wg.go(move || {
                    let _value = value;
                    ran.fetch_add(1, Ordering::Relaxed);
                })
            })
            .collect();
        wg.wait();
        // `wait` returned, so every task's increment is visible (the edge
        // under test), although its thread may still be exiting.
        assert_eq!(ran.load(Ordering::Relaxed), n);
        for handle in handles {
            handle.join().unwrap();
        }
        assert_eq!(drops.load(Ordering::Relaxed), n);
        assert_eq!(Arc::strong_count(&wg), 1);
    });
}

#[test]
fn ping_pong_reuses_two_groups_under_parking() {
    // Two threads hand a turn back and forth through two groups; each group
    // is reused thousands of times with a waiter that usually parks.
    within(HANG, || {
        let rounds = scaled(5_000);
        // Round r releases the partner through `ping[r % 2]`. The group for
        // round r + 1 is armed *before* round r is released, and a group is
        // re-armed only after the partner's `wait` on it has returned (the
        // partner's `pong.done()` proves that): Go's reuse rule.
        let ping = Arc::new([WaitGroup::new(), WaitGroup::new()]);
        let pong = Arc::new(WaitGroup::new());
        let turns = Arc::new(AtomicUsize::new(0));
        ping[0].add(1);
        let partner = {
            let (ping, pong, turns) = (Arc::clone(&ping), Arc::clone(&pong), Arc::clone(&turns));
            std::thread::spawn(move || {
                for r in 0..rounds {
                    ping[r % 2].wait();
                    assert_eq!(turns.load(Ordering::Relaxed), 2 * r + 1);
                    turns.store(2 * r + 2, Ordering::Relaxed);
                    pong.done();
                }
            })
        };
        for r in 0..rounds {
            pong.add(1);
            if r + 1 < rounds {
                ping[(r + 1) % 2].add(1);
            }
            turns.store(2 * r + 1, Ordering::Relaxed);
            ping[r % 2].done();
            pong.wait();
            assert_eq!(turns.load(Ordering::Relaxed), 2 * r + 2);
        }
        partner.join().unwrap();
    });
}
