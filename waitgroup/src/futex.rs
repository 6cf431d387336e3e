//! Parking on a 32-bit word: the only place this crate blocks a thread.
//!
//! [`Futex`] is "wait while the word still holds the value I saw" and "wake
//! everyone waiting on the word". The `WaitGroup` keeps its wake-up epoch in
//! it, so waiters sleep on the very word the waker bumps: a wake-up is one
//! `FUTEX_WAKE` and the woken thread goes straight back to user code, with no
//! mutex to re-acquire on the way out.
//!
//! Backends, chosen at compile time:
//!
//! | target | backend | timeouts |
//! |---|---|---|
//! | Linux, Android (`cfg(gosync_native_futex)`, set by `build.rs`) | the `futex(2)` syscall (private) | kernel, `CLOCK_MONOTONIC` |
//! | every other std target, or `--cfg gosync_futex_emulation` | a `Mutex` + `Condvar` emulating a futex | `Condvar::wait_timeout` |
//! | `--cfg gosync_loom` | the same emulation on loom's types | a timer the test fires by hand |
//!
//! The queue knows nothing about *who* waits: it parks the current thread.
//! An async waiter would register a `Waker` beside it and be woken by the same
//! [`Futex::wake_all`] call; nothing in `WaitGroup` names a thread.

use std::time::Instant;

use crate::sync::{AtomicU32, Ordering};

/// A 32-bit word that threads can sleep on until it changes.
#[derive(Debug)]
pub(crate) struct Futex {
    word: AtomicU32,
    #[cfg(not(gosync_native_futex))]
    emulation: emulated::Queue,
}

impl Futex {
    #[cfg(not(gosync_loom))]
    pub(crate) const fn new() -> Self {
        Self {
            word: AtomicU32::new(0),
            #[cfg(not(gosync_native_futex))]
            emulation: emulated::Queue::new(),
        }
    }

    #[cfg(gosync_loom)]
    pub(crate) fn new() -> Self {
        Self {
            word: AtomicU32::new(0),
            emulation: emulated::Queue::new(),
        }
    }

    /// Reads the word.
    #[inline]
    pub(crate) fn load(&self, order: Ordering) -> u32 {
        self.word.load(order)
    }

    /// Adds one to the word (wrapping) and wakes every thread sleeping on it.
    ///
    /// Release: pairs with the Acquire load a woken waiter does in
    /// [`Futex::wait_until`]'s caller, so everything before the bump is
    /// visible to every waiter that sees the new value.
    pub(crate) fn bump_and_wake_all(&self) {
        self.word.fetch_add(1, Ordering::Release);
        self.wake_all();
    }

    /// Sleeps while the word equals `expected`, until woken, until
    /// `deadline` (if any) passes, or spuriously.
    ///
    /// Returns `false` when the deadline passed, `true` otherwise. The caller
    /// re-reads the word to learn whether it changed.
    pub(crate) fn wait_until(&self, expected: u32, deadline: Option<Instant>) -> bool {
        #[cfg(gosync_native_futex)]
        return linux::wait(&self.word, expected, deadline);
        #[cfg(not(gosync_native_futex))]
        return self.emulation.wait(&self.word, expected, deadline);
    }

    fn wake_all(&self) {
        #[cfg(gosync_native_futex)]
        linux::wake_all(&self.word);
        #[cfg(not(gosync_native_futex))]
        self.emulation.wake_all();
    }

    /// Loom only: makes every present and future timed wait on this word
    /// time out, as if its deadline had passed. Loom has no clock, so the
    /// models fire "the timer" from a thread of their own.
    #[cfg(gosync_loom)]
    pub(crate) fn expire_deadlines(&self) {
        self.emulation.expire_deadlines();
    }
}

#[cfg(gosync_native_futex)]
mod linux {
    use std::sync::atomic::AtomicU32;
    use std::time::Instant;

    pub(super) fn wait(word: &AtomicU32, expected: u32, deadline: Option<Instant>) -> bool {
        let timeout = match deadline {
            None => None,
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return false;
                }
                Some(libc::timespec {
                    // Saturate rather than wrap: a deadline centuries away
                    // is "wait until woken".
                    tv_sec: left.as_secs().try_into().unwrap_or(libc::time_t::MAX),
                    tv_nsec: left.subsec_nanos().into(),
                })
            }
        };
        let timeout_ptr = timeout.as_ref().map_or(std::ptr::null(), |t| t as *const _);
        // SAFETY: FUTEX_WAIT reads the u32 at `word`, which is a live
        // `AtomicU32` borrowed for the whole call, and reads `*timeout_ptr`,
        // which is null or points at `timeout`, alive on this stack frame.
        // The kernel compares the word with `expected` atomically with
        // queueing us, which is what makes a concurrent wake unlosable.
        let r = unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
                expected,
                timeout_ptr,
            )
        };
        // ETIMEDOUT is the only result that means "deadline passed"; EAGAIN
        // (word already changed), EINTR and wake-ups all mean "look again".
        !(r < 0 && std::io::Error::last_os_error().raw_os_error() == Some(libc::ETIMEDOUT))
    }

    pub(super) fn wake_all(word: &AtomicU32) {
        // SAFETY: FUTEX_WAKE only uses `word` as a key to find sleepers; it
        // is a live `AtomicU32` for the duration of the call.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                i32::MAX,
            );
        }
    }
}

#[cfg(not(gosync_native_futex))]
mod emulated {
    //! A futex built from a mutex and a condition variable.
    //!
    //! A waiter checks the word *under the mutex*, and a waker takes the
    //! mutex *after* changing the word, before notifying. So a waiter either
    //! sees the new value or is already inside `Condvar::wait` (which
    //! releases the mutex atomically) when the notification comes.

    use std::time::Instant;

    use crate::sync::{AtomicU32, Condvar, Mutex, Ordering};

    #[derive(Debug)]
    pub(super) struct Queue {
        /// Under loom: whether the test's "timer" has fired.
        lock: Mutex<bool>,
        cond: Condvar,
    }

    impl Queue {
        #[cfg(not(gosync_loom))]
        pub(super) const fn new() -> Self {
            Self {
                lock: Mutex::new(false),
                cond: Condvar::new(),
            }
        }

        #[cfg(gosync_loom)]
        pub(super) fn new() -> Self {
            Self {
                lock: Mutex::new(false),
                cond: Condvar::new(),
            }
        }

        pub(super) fn wait(
            &self,
            word: &AtomicU32,
            expected: u32,
            deadline: Option<Instant>,
        ) -> bool {
            // A poisoned lock only means a panic elsewhere while it was held;
            // the bool it guards is still meaningful.
            let guard = self.lock.lock().unwrap_or_else(|e| e.into_inner());
            // Relaxed: the mutex orders this load after the waker's bump (the
            // waker takes the lock after bumping); the caller's Acquire
            // re-load provides the happens-before edge.
            if word.load(Ordering::Relaxed) != expected {
                return true;
            }
            match deadline {
                None => {
                    drop(self.cond.wait(guard).unwrap_or_else(|e| e.into_inner()));
                    true
                }
                #[cfg(gosync_loom)]
                Some(_) => {
                    if *guard {
                        return false;
                    }
                    let guard = self.cond.wait(guard).unwrap_or_else(|e| e.into_inner());
                    !*guard
                }
                #[cfg(not(gosync_loom))]
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return false;
                    }
                    let (_guard, result) = self
                        .cond
                        .wait_timeout(guard, left)
                        .unwrap_or_else(|e| e.into_inner());
                    !result.timed_out()
                }
            }
        }

        pub(super) fn wake_all(&self) {
            drop(self.lock.lock().unwrap_or_else(|e| e.into_inner()));
            self.cond.notify_all();
        }

        #[cfg(gosync_loom)]
        pub(super) fn expire_deadlines(&self) {
            *self.lock.lock().unwrap() = true;
            self.cond.notify_all();
        }
    }
}
