//! Go memory model, async side: a `done` happens-before the `wait_async`
//! future it releases returns `Ready`. Workers write through loom
//! `UnsafeCell`s (loom flags any read not ordered after the write as a
//! data race) and call `done`; the main thread reads the cells once
//! `wait_async` completes under `loom::future::block_on`.
//!
//! Run alone:
//! `RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_async_done_before_wait`
#![cfg(gosync_loom)]

use loom::cell::UnsafeCell;
use loom::future::block_on;
use loom::sync::Arc;
use loom::thread;

use gosync_testkit::loom_support::model;
use gosync_waitgroup::WaitGroup;

struct Payload {
    slots: [UnsafeCell<u32>; 2],
}

// SAFETY: the test's point is that the WaitGroup orders every access; loom
// checks each access with its own causality tracking and fails the model on
// an unordered one.
unsafe impl Sync for Payload {}

fn payload() -> Arc<Payload> {
    Arc::new(Payload {
        slots: [UnsafeCell::new(0), UnsafeCell::new(0)],
    })
}

fn write_then_done(
    wg: &Arc<WaitGroup>,
    payload: &Arc<Payload>,
    i: usize,
) -> thread::JoinHandle<()> {
    let (wg, payload) = (Arc::clone(wg), Arc::clone(payload));
    thread::spawn(move || {
        // SAFETY: worker `i` is the only writer of slot `i`; the reader
        // waits for `done` below.
        payload.slots[i].with_mut(|p| unsafe { *p = i as u32 + 1 });
        wg.done();
    })
}

#[test]
fn done_happens_before_wait_async_returns() {
    // The future may find the counter at zero at once, see it reach zero
    // while registering, find the new epoch under the list's lock, or be
    // woken and re-polled: each way must carry both workers' writes.
    model(|| {
        let wg = Arc::new(WaitGroup::new());
        let payload = payload();
        wg.add(2);
        let workers: Vec<_> = (0..2).map(|i| write_then_done(&wg, &payload, i)).collect();
        block_on(wg.wait_async());
        for (i, slot) in payload.slots.iter().enumerate() {
            // SAFETY: `wait_async` completed, so both writers' `done`
            // happened before this read; that is the claim under test.
            assert_eq!(slot.with(|p| unsafe { *p }), i as u32 + 1);
        }
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

#[test]
fn done_happens_before_wait_async_returns_on_the_fast_path() {
    // The first poll may see the counter at zero and never register: the
    // edge must then come from that poll's load alone.
    model(|| {
        let wg = Arc::new(WaitGroup::new());
        let payload = payload();
        wg.add(1);
        let worker = write_then_done(&wg, &payload, 0);
        if wg.count() == 0 {
            block_on(wg.wait_async());
            // SAFETY: ordered by `wait_async` (the claim under test).
            assert_eq!(payload.slots[0].with(|p| unsafe { *p }), 1);
        }
        worker.join().unwrap();
    });
}
