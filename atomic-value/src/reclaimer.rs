//! The reclaimer thread: the deadline behind "replaced values do not
//! linger".
//!
//! A store frees what it replaced only when its batching policy runs a pass
//! (`crate::reclaim`), and a pass keeps every value a guard still holds. Left
//! alone, such a backlog would wait for the next store on the same
//! `AtomicValue`, which may never come. So a retired list that is left with
//! a backlog *registers* here (once, until its backlog is gone), and one
//! process-wide thread runs a pass on every registered list every
//! [`INTERVAL`], skipping lists whose own stores passed since its previous
//! round. A value whose last guard is dropped is therefore freed within
//! about two intervals, whatever the rest of the program does.
//!
//! The thread is started by the first registration, sleeps on a condition
//! variable while no list has a backlog, and never exits (it holds only weak
//! references: a dropped list simply leaves the queue). Its passes cost a
//! heavy fence each, a few hundred per second at most while some list keeps
//! a backlog, and none otherwise. Values it frees are dropped on it, so a
//! value's `Drop` that blocks delays the other lists' passes (never a load or
//! a store); one that panics is caught and reported by the panic hook, and the
//! thread carries on.
//!
//! Under Miri the thread does not exist (see `register`). Under loom it
//! does not exist either: registered lists wait in a queue,
//! and a model runs a round on a thread of its choosing
//! (`raw::run_reclaimer_round`), racing whatever it likes.

use std::sync::Weak;
use std::time::Duration;

/// How long the reclaimer sleeps between rounds of passes. A round
/// follows a registration by at least this much, so a burst of stores gets
/// to batch its own passes first; and a value released by its last guard
/// waits at most about twice this long (a round may skip a list its own
/// stores just passed) for the round that frees it, well inside the 10 ms
/// the contract allows.
#[cfg_attr(any(gosync_loom, miri), allow(dead_code))]
pub(crate) const INTERVAL: Duration = Duration::from_millis(2);

/// A retired list as the reclaimer sees it.
#[cfg_attr(miri, allow(dead_code))]
pub(crate) trait Backlog: Send + Sync {
    /// Runs a pass. Returns true if values are still waiting afterwards
    /// (the list stays registered), false if it has just deregistered
    /// itself.
    fn reclaimer_pass(&self) -> bool;
}

/// Queues `list` for the reclaimer's next round, starting the thread if it
/// is not running. The caller registers a list at most once until the list
/// deregisters itself (`Backlog::reclaimer_pass` returning false).
#[cfg(not(any(gosync_loom, miri)))]
pub(crate) fn register(list: Weak<dyn Backlog>) {
    use std::sync::{Condvar, Mutex, OnceLock};

    struct Queue {
        lists: Mutex<Vec<Weak<dyn Backlog>>>,
        wake: Condvar,
    }

    static QUEUE: OnceLock<Queue> = OnceLock::new();
    static STARTED: std::sync::Once = std::sync::Once::new();

    fn queue() -> &'static Queue {
        QUEUE.get_or_init(|| Queue {
            lists: Mutex::new(Vec::new()),
            wake: Condvar::new(),
        })
    }

    fn run() {
        ON_RECLAIMER_THREAD.with(|on| on.set(true));
        let queue = queue();
        // Two buffers swapped with the queue's, so that registering (a push)
        // reuses capacity instead of allocating once the queue has grown.
        let mut round = Vec::new();
        let mut still_waiting = Vec::new();
        loop {
            {
                let mut lists = crate::sync::lock(&queue.lists);
                while lists.is_empty() {
                    lists = queue.wake.wait(lists).unwrap_or_else(|p| p.into_inner());
                }
                std::mem::swap(&mut *lists, &mut round);
            }
            std::thread::sleep(INTERVAL);
            for weak in round.drain(..) {
                let Some(list) = weak.upgrade() else { continue };
                // A value's Drop that panics must not end the thread every
                // other list relies on; the pass leaves its list consistent
                // (what it took off the list is either freed or back on it).
                let keep = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    list.reclaimer_pass()
                }))
                .unwrap_or(true);
                // The last owner may be us: the list then drops here.
                drop(list);
                if keep {
                    still_waiting.push(weak);
                }
            }
            crate::sync::lock(&queue.lists).append(&mut still_waiting);
        }
    }

    let queue = queue();
    crate::sync::lock(&queue.lists).push(list);
    queue.wake.notify_one();
    STARTED.call_once(|| {
        // If no thread can be started, backlogs wait for their list's next
        // store, `reclaim` or drop, as they would without a reclaimer.
        let _ = std::thread::Builder::new()
            .name("gosync-reclaimer".into())
            .spawn(run);
    });
}

#[cfg(not(any(gosync_loom, miri)))]
std::thread_local! {
    static ON_RECLAIMER_THREAD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True on the reclaimer thread (whose passes a list's drop must not wait
/// for: the drop may be nested in one of them).
#[cfg(not(any(gosync_loom, miri)))]
pub(crate) fn on_reclaimer_thread() -> bool {
    ON_RECLAIMER_THREAD
        .try_with(std::cell::Cell::get)
        .unwrap_or(false)
}

/// Under loom the models' rounds never drop the list they pass over; under
/// Miri there is no reclaimer thread.
#[cfg(any(gosync_loom, miri))]
pub(crate) fn on_reclaimer_thread() -> bool {
    false
}

/// Under Miri: no thread either. Miri reports a thread still running when
/// `main` returns as an error, which every program (and test binary) with
/// a backlog would hit; backlogs there wait for their list's next store,
/// `reclaim` or drop, as they did before the reclaimer existed.
#[cfg(all(miri, not(gosync_loom)))]
pub(crate) fn register(list: Weak<dyn Backlog>) {
    drop(list);
}

/// Under loom: no thread; registered lists wait in a per-execution queue
/// for a model to run a round itself (`run_round`).
#[cfg(gosync_loom)]
pub(crate) fn register(list: Weak<dyn Backlog>) {
    crate::sync::lock(loom_queue()).push(list);
}

#[cfg(gosync_loom)]
crate::sync::global! {
    fn loom_queue() -> &'static crate::sync::Mutex<Vec<Weak<dyn Backlog>>> =
        crate::sync::Mutex::new(Vec::new());
}

/// Under loom: orders a list's drop against the rounds. In std builds the
/// `Weak::upgrade` of a round and the last `Arc` drop of a list race on
/// the `Arc`'s count, which loom cannot see; taking the queue's (loom)
/// lock here makes the race visible, so the models explore rounds that
/// reach the list just before its drop as well as just after.
#[cfg(gosync_loom)]
pub(crate) fn order_drop_with_rounds() {
    drop(crate::sync::lock(loom_queue()));
}

/// Outside loom the `Arc`'s count orders them (see the loom version).
#[cfg(not(gosync_loom))]
#[inline]
pub(crate) fn order_drop_with_rounds() {}

/// Under loom: one round of the reclaimer, run by the calling thread (the
/// loom models' stand-in for the thread, which loom cannot host).
#[cfg(gosync_loom)]
pub fn run_round() {
    let round = std::mem::take(&mut *crate::sync::lock(loom_queue()));
    for weak in round {
        let Some(list) = weak.upgrade() else { continue };
        let keep = list.reclaimer_pass();
        drop(list);
        if keep {
            crate::sync::lock(loom_queue()).push(weak);
        }
    }
}
