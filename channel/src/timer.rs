//! Deadlines in async code: `after`, `tick` and `default(Duration)` in a
//! `select_async!`, and timed cases of `Select::select_async`.
//!
//! A blocking thread parks with a timeout; a pending task has nobody to
//! wake it when its deadline passes. One shared thread does that for the
//! whole process: it sleeps until the earliest armed deadline and wakes
//! the tasks that are due. It is started by the first timer armed (a
//! program that never waits on a timer in async code never has it), holds
//! a `BTreeMap` entry per armed timer, and sleeps on a condition variable
//! while none is armed. A disarmed (dropped) timer removes its entry at
//! once, so a million futures dropped before their deadlines leave nothing
//! behind. The crate stays free of any runtime: this works on tokio,
//! async-std, `futures::executor` or a hand-written executor alike.
//!
//! Cost: one `BTreeMap` insert and removal under a mutex per armed
//! deadline (a task that finds its case ready at once arms nothing), and
//! a wake-up of the timer thread only when a new earliest deadline
//! arrives. Resolution is the OS's condition-variable timeout, like
//! `recv_timeout`'s.

use std::collections::BTreeMap;
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::task::Waker;
use std::time::Instant;

/// The armed deadlines, earliest first; the number tells apart timers
/// armed for the same instant.
struct Deadlines {
    armed: BTreeMap<(Instant, u64), Waker>,
    next_id: u64,
}

struct TimerThread {
    deadlines: Mutex<Deadlines>,
    /// Signalled when a new earliest deadline is armed.
    earlier: Condvar,
}

fn timer_thread() -> &'static TimerThread {
    static THREAD: OnceLock<TimerThread> = OnceLock::new();
    THREAD.get_or_init(|| {
        std::thread::Builder::new()
            .name("gosync-timer".into())
            .spawn(run)
            .expect("gosync-channel: could not start its timer thread");
        TimerThread {
            deadlines: Mutex::new(Deadlines {
                armed: BTreeMap::new(),
                next_id: 0,
            }),
            earlier: Condvar::new(),
        }
    })
}

/// No user code runs under this lock (wakers are woken after it is
/// released), so poison never guards broken state.
fn lock(thread: &TimerThread) -> MutexGuard<'_, Deadlines> {
    thread
        .deadlines
        .lock()
        .unwrap_or_else(|poison| poison.into_inner())
}

/// The timer thread: wakes every task whose deadline passed, then sleeps
/// until the next one.
fn run() {
    let thread = timer_thread();
    let mut due = Vec::new();
    let mut deadlines = lock(thread);
    loop {
        let now = Instant::now();
        while let Some(entry) = deadlines.armed.first_entry() {
            if entry.key().0 > now {
                break;
            }
            due.push(entry.remove());
        }
        if !due.is_empty() {
            drop(deadlines);
            due.drain(..).for_each(Waker::wake);
            deadlines = lock(thread);
            continue;
        }
        deadlines = match deadlines.armed.first_key_value() {
            None => thread
                .earlier
                .wait(deadlines)
                .unwrap_or_else(|poison| poison.into_inner()),
            Some((&(at, _), _)) => {
                thread
                    .earlier
                    .wait_timeout(deadlines, at.saturating_duration_since(now))
                    .unwrap_or_else(|poison| poison.into_inner())
                    .0
            }
        };
    }
}

/// One future's deadline: armed while it waits, disarmed on drop.
#[derive(Debug, Default)]
pub(crate) struct Timer {
    key: Option<(Instant, u64)>,
}

impl Timer {
    /// Wakes `waker` at `deadline` (once). Re-arming for the same deadline
    /// only replaces the waker, and only if it would wake another task.
    pub(crate) fn arm(&mut self, deadline: Instant, waker: &Waker) {
        let thread = timer_thread();
        let mut deadlines = lock(thread);
        if let Some(key) = self.key {
            if key.0 == deadline {
                if let Some(armed) = deadlines.armed.get_mut(&key) {
                    if !armed.will_wake(waker) {
                        armed.clone_from(waker);
                    }
                    return;
                }
                // It fired already (its waker was woken): arm it again, in
                // case that wake-up found the deadline not yet passed.
            }
            deadlines.armed.remove(&key);
        }
        let key = (deadline, deadlines.next_id);
        deadlines.next_id += 1;
        let earliest = deadlines
            .armed
            .first_key_value()
            .map_or(true, |(&first, _)| key < first);
        deadlines.armed.insert(key, waker.clone());
        self.key = Some(key);
        drop(deadlines);
        if earliest {
            thread.earlier.notify_one();
        }
    }

    /// Removes the deadline, if armed.
    pub(crate) fn disarm(&mut self) {
        if let Some(key) = self.key.take() {
            lock(timer_thread()).armed.remove(&key);
        }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        self.disarm();
    }
}
