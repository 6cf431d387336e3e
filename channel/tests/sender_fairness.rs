//! Blocked senders on a full buffered channel are served in the order they
//! blocked (Go's FIFO: a receive that frees a slot hands it to the oldest
//! blocked sender), so none starves while others keep sending (issue 18,
//! item 4). Before, a woken sender raced every running sender for the
//! freed slot: four senders looping on `send_timeout` into a `bounded(1)`
//! saw one of them get ~64,000 receives and the other three 0, 0 and 1.
#![cfg(not(gosync_loom))]

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::{scaled, within, HANG};

/// The tests of this file run one at a time: each measures how threads
/// share two cores, which the others' threads would skew.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
use gosync_channel::{bounded, Select, SendTimeoutError, TrySendError};

/// The measurement, counted in receives instead of time. The
/// order among *blocked* senders is checked exactly by the unit test
/// `flavors::array::tests::blocked_senders_complete_in_the_order_they_blocked`;
/// here five threads share two cores, so how often each sender gets to
/// block at all is up to the OS scheduler (a sender that is not running
/// cannot queue). What FIFO guarantees is that none starves.
#[test]
fn blocked_senders_share_a_full_channel_fairly() {
    let _serial = one_at_a_time();
    const SENDERS: usize = 4;
    let receives = scaled(50_000, 200);
    within(HANG, move || {
        let (tx, rx) = bounded::<usize>(1);
        let senders: Vec<_> = (0..SENDERS)
            .map(|id| {
                let tx = tx.clone();
                thread::spawn(move || loop {
                    match tx.send_timeout(id, Duration::from_millis(50)) {
                        Ok(()) | Err(SendTimeoutError::Timeout(_)) => {}
                        Err(SendTimeoutError::Closed(_)) => return,
                    }
                })
            })
            .collect();
        drop(tx);
        let mut got = [0usize; SENDERS];
        for _ in 0..receives {
            got[rx.recv().unwrap()] += 1;
        }
        drop(rx); // closes: the senders stop
        for sender in senders {
            sender.join().unwrap();
        }
        // Before, one sender took (nearly) every slot: 0, 0 and 1 receives
        // for the other three.
        for (id, &n) in got.iter().enumerate() {
            assert!(n > 0, "sender {id} starved: {got:?} of {receives} receives");
        }
    });
}

/// A sender blocked on a full channel completes after a bounded number of
/// receives, however hard other threads hammer `try_send`: once it counts
/// as blocked (after a spin of a few microseconds), `try_send` reports the
/// channel full and the freed slot is its. Ten rounds, each with a new
/// blocked sender: before, one round in two took thousands of receives
/// (up to ~20,000 measured, 4 of 10 rounds above 2,000 in one run); now
/// each takes two.
#[test]
#[cfg_attr(miri, ignore)] // two threads spinning on try_send: hours under Miri
fn a_blocked_sender_is_served_while_others_hammer_try_send() {
    let _serial = one_at_a_time();
    const MARK: u32 = u32::MAX;
    const HAMMERS: u32 = 2;
    const ROUNDS: usize = 10;
    // Room for the blocked sender's spin, and for it being preempted
    // before it even calls `send` (a time slice: a few thousand receives
    // at worst); below what racing senders cost in most rounds.
    const BOUND: usize = 2_000;
    within(HANG, move || {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let hammers: Vec<_> = (1..=HAMMERS)
            .map(|id| {
                let (tx, stop) = (tx.clone(), Arc::clone(&stop));
                thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        match tx.try_send(id) {
                            Ok(()) | Err(TrySendError::Full(_)) => {}
                            Err(TrySendError::Closed(_)) => return,
                        }
                    }
                })
            })
            .collect();
        let mut waited = Vec::new();
        for _ in 0..ROUNDS {
            let started = Arc::new(AtomicBool::new(false));
            let blocked = {
                let (tx, started) = (tx.clone(), Arc::clone(&started));
                thread::spawn(move || {
                    started.store(true, Ordering::SeqCst);
                    tx.send(MARK).unwrap();
                })
            };
            while !started.load(Ordering::SeqCst) {
                thread::yield_now();
            }
            let mut receives = 0;
            while rx.recv().unwrap() != MARK {
                receives += 1;
                assert!(
                    receives < 100 * BOUND,
                    "the blocked sender was not served in {receives} receives"
                );
            }
            blocked.join().unwrap();
            waited.push(receives);
        }
        stop.store(true, Ordering::Relaxed);
        for hammer in hammers {
            hammer.join().unwrap();
        }
        assert!(
            waited.iter().all(|&n| n <= BOUND),
            "receives before each blocked sender was served: {waited:?}"
        );
    });
}

/// A select's send case queues in line with blocked sends and gets a
/// freed slot in its turn.
#[test]
fn a_select_send_case_is_served_in_its_turn() {
    let _serial = one_at_a_time();
    within(HANG, || {
        let (tx, rx) = bounded::<u32>(1);
        tx.send(0).unwrap();
        let selecting = {
            let tx = tx.clone();
            thread::spawn(move || {
                let mut sel = Select::new();
                sel.send(&tx);
                sel.select().send(&tx, 7).unwrap();
            })
        };
        // Receive until the select's message comes: it is queued (or about
        // to be), and each freed slot goes to the queue first.
        let mut receives = 0;
        while rx.recv().unwrap() != 7 {
            receives += 1;
            tx.try_send(1).ok();
            assert!(receives < 1_000_000, "the select was never served");
        }
        selecting.join().unwrap();
    });
}
