//! The baseline: a textbook `Mutex<usize>` + `Condvar` wait group.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// A wait group made the obvious way: a counter behind a `Mutex`, and a
/// `Condvar` that `wait` sleeps on until the counter is zero.
///
/// It is the baseline of the suites, not a recommendation. Every operation
/// takes the lock, and the `add` that reaches zero calls
/// [`Condvar::notify_all`] whether or not anyone waits (on Linux, `std`'s
/// condvar makes that a `FUTEX_WAKE` system call every time, because it does
/// not count its waiters).
///
/// # Examples
///
/// ```
/// use gosync_benches::MutexWaitGroup;
///
/// let wg = MutexWaitGroup::new();
/// wg.add(1);
/// std::thread::scope(|s| {
///     s.spawn(|| wg.done());
///     wg.wait();
/// });
/// ```
#[derive(Debug, Default)]
pub struct MutexWaitGroup {
    count: Mutex<usize>,
    zero: Condvar,
}

impl MutexWaitGroup {
    /// A group with a counter of zero.
    pub const fn new() -> Self {
        Self {
            count: Mutex::new(0),
            zero: Condvar::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, usize> {
        // A panic while holding the lock leaves a consistent counter (the
        // only panic is the negative-counter check, before any write).
        self.count.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `delta` (possibly negative) to the counter; wakes every waiter
    /// when it reaches zero.
    ///
    /// # Panics
    ///
    /// If the counter would go below zero.
    pub fn add(&self, delta: isize) {
        let mut count = self.lock();
        let Some(now) = count.checked_add_signed(delta) else {
            drop(count);
            panic!("sync: negative WaitGroup counter");
        };
        *count = now;
        drop(count);
        if now == 0 {
            self.zero.notify_all();
        }
    }

    /// `add(-1)`.
    ///
    /// # Panics
    ///
    /// If the counter is already zero.
    pub fn done(&self) {
        self.add(-1);
    }

    /// Blocks until the counter is zero.
    pub fn wait(&self) {
        let mut count = self.lock();
        while *count != 0 {
            count = self
                .zero
                .wait(count)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MutexWaitGroup;

    #[test]
    fn counts_and_releases() {
        let wg = MutexWaitGroup::new();
        wg.add(2);
        std::thread::scope(|s| {
            s.spawn(|| wg.done());
            s.spawn(|| wg.done());
            wg.wait();
        });
        wg.wait();
    }

    #[test]
    #[should_panic = "negative WaitGroup counter"]
    fn negative_panics() {
        MutexWaitGroup::new().done();
    }
}
