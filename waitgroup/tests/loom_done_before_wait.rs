//! Go memory model: "a call to Done happens-before the Wait it unblocks
//! returns". Two workers write through loom `UnsafeCell`s (loom flags any
//! read not ordered after the write as a data race) and call `done`; the
//! main thread reads both cells after `wait`.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_done_before_wait`
#![cfg(gosync_loom)]

use loom::cell::UnsafeCell;
use loom::sync::Arc;
use loom::thread;

use gosync_waitgroup::WaitGroup;

struct Payload {
    slots: [UnsafeCell<u32>; 2],
}

// SAFETY: the test's point is that the WaitGroup orders every access; loom
// checks each access with its own causality tracking and fails the model on
// an unordered one.
unsafe impl Sync for Payload {}

#[test]
fn done_happens_before_wait_returns() {
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        let payload = Arc::new(Payload {
            slots: [UnsafeCell::new(0), UnsafeCell::new(0)],
        });
        wg.add(2);
        for i in 0..2 {
            let (wg, payload) = (Arc::clone(&wg), Arc::clone(&payload));
            thread::spawn(move || {
                // SAFETY: worker `i` is the only writer of slot `i`; the
                // reader waits for `done` below.
                payload.slots[i].with_mut(|p| unsafe { *p = i as u32 + 1 });
                wg.done();
            });
        }
        wg.wait();
        for (i, slot) in payload.slots.iter().enumerate() {
            // SAFETY: `wait` returned, so both writers' `done` happened
            // before this read; that is the claim under test.
            assert_eq!(slot.with(|p| unsafe { *p }), i as u32 + 1);
        }
    });
}

#[test]
fn done_happens_before_wait_returns_on_the_fast_path() {
    // The waiter may find the counter already at zero and never register:
    // the edge must then come from the Acquire load alone.
    loom::model(|| {
        let wg = Arc::new(WaitGroup::new());
        let cell = Arc::new(Payload {
            slots: [UnsafeCell::new(0), UnsafeCell::new(0)],
        });
        wg.add(1);
        let worker = {
            let (wg, cell) = (Arc::clone(&wg), Arc::clone(&cell));
            thread::spawn(move || {
                // SAFETY: the only writer; the reader waits for `done`.
                cell.slots[0].with_mut(|p| unsafe { *p = 7 });
                wg.done();
            })
        };
        if wg.count() == 0 {
            wg.wait();
            // SAFETY: ordered by `wait` (the claim under test).
            assert_eq!(cell.slots[0].with(|p| unsafe { *p }), 7);
        }
        worker.join().unwrap();
    });
}
