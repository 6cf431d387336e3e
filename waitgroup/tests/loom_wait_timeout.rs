//! `wait_timeout`, with the deadline fired by an explicit timer thread (loom
//! has no clock). Whichever comes first, the `done` or the timer:
//!
//! * `true` carries the same edge as `wait`: the worker's write is visible;
//! * `false` leaves the group clean: the waiter deregistered, so a later
//!   `wait` still works and the final state has no waiter left over.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_wait_timeout`
#![cfg(gosync_loom)]

use std::time::Duration;

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;

use gosync_waitgroup::WaitGroup;

struct Cell(UnsafeCell<u32>);

// SAFETY: every access is ordered by the WaitGroup; loom checks that.
unsafe impl Sync for Cell {}

#[test]
fn timeout_races_done() {
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        let cell = Arc::new(Cell(UnsafeCell::new(0)));
        wg.add(1);
        let worker = {
            let (wg, cell) = (Arc::clone(&wg), Arc::clone(&cell));
            thread::spawn(move || {
                // SAFETY: the only writer; readers wait for `done`.
                cell.0.with_mut(|p| unsafe { *p = 1 });
                wg.done();
            })
        };
        let timer = {
            let wg = Arc::clone(&wg);
            thread::spawn(move || wg.expire_timeouts())
        };

        // Any non-zero duration: the model's timer decides when it ends.
        if wg.wait_timeout(Duration::from_secs(1)) {
            // SAFETY: `true` means the `done` happened before this read.
            assert_eq!(cell.0.with(|p| unsafe { *p }), 1);
        }
        // Timed out or not, the group must still work.
        wg.wait();
        // SAFETY: as above, through `wait`.
        assert_eq!(cell.0.with(|p| unsafe { *p }), 1);

        worker.join().unwrap();
        timer.join().unwrap();
        assert_eq!(format!("{:?}", *wg), "WaitGroup { count: 0, waiters: 0 }");
    });
}
