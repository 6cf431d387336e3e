//! Reuse: once the first round's `wait` has returned, a second round on the
//! same group carries its own happens-before edge, even while a waiter of
//! the first round is still on its way out (woken, not yet deregistered) or
//! only arrives during the second round.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_reuse`
#![cfg(gosync_loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;

use gosync_waitgroup::WaitGroup;

struct Cell(UnsafeCell<u32>);

// SAFETY: every access is ordered by the WaitGroup or by thread spawn; loom
// checks each access and fails the model on an unordered one.
unsafe impl Sync for Cell {}

fn write_then_done(wg: &Arc<WaitGroup>, cell: &Arc<Cell>, value: u32) -> thread::JoinHandle<()> {
    let (wg, cell) = (Arc::clone(wg), Arc::clone(cell));
    thread::spawn(move || {
        // SAFETY: the only writer of its round; the spawn orders it after
        // the previous round's read, and `done` orders it before this
        // round's read.
        cell.0.with_mut(|p| unsafe { *p = value });
        wg.done();
    })
}

#[test]
fn second_round_after_first_wait() {
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        let cell = Arc::new(Cell(UnsafeCell::new(0)));

        wg.add(1);
        // A waiter of round 1 that may still be leaving, or may only start,
        // while round 2 runs. It returns at one of the two zeros.
        let straggler = {
            let wg = Arc::clone(&wg);
            thread::spawn(move || wg.wait())
        };
        let first = write_then_done(&wg, &cell, 1);
        wg.wait();
        // SAFETY: round 1's `done` happened before `wait` returned.
        assert_eq!(cell.0.with(|p| unsafe { *p }), 1);
        first.join().unwrap();

        // Round 2 starts after round 1's `wait` returned, as Go requires.
        wg.add(1);
        let second = write_then_done(&wg, &cell, 2);
        wg.wait();
        // SAFETY: round 2's `done` happened before this `wait` returned.
        assert_eq!(cell.0.with(|p| unsafe { *p }), 2);

        second.join().unwrap();
        straggler.join().unwrap();
        assert_eq!(wg.count(), 0);
    });
}
