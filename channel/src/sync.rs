//! The loom shim: every atomic, lock, cell, thread handle and spin hint the
//! crate uses comes from here.
//!
//! Built normally these are `std`'s types. Built with
//! `RUSTFLAGS="--cfg gosync_loom"` they are loom's model-checked twins, so
//! the loom tests in `tests/loom_*.rs` run the production code itself.
//! Spinning is the one thing that differs: loom cannot explore a busy-wait,
//! so under loom every spin or snooze is a `yield_now` (a scheduling point
//! loom knows about) and waits go straight to parking.

#[cfg(not(gosync_loom))]
pub(crate) use std::sync::atomic::{
    fence, AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering,
};
#[cfg(not(gosync_loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
#[cfg(not(gosync_loom))]
pub(crate) use std::thread::{self, Thread};

#[cfg(gosync_loom)]
pub(crate) use loom::sync::atomic::{
    fence, AtomicBool, AtomicPtr, AtomicU64, AtomicUsize, Ordering,
};
#[cfg(gosync_loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};
#[cfg(gosync_loom)]
pub(crate) use loom::thread;

/// How a blocked thread sleeps until a claimant wakes it: the thread's own
/// park token in a normal build.
///
/// Under loom, a token of the waiter's own (a flag behind a mutex and a
/// condition variable). A claimant may unpark a waiter late, after the
/// wait it claimed is over (harmless with std: a spare token makes some
/// later park return early, and every park re-checks its condition). Loom's
/// own park token is shared with its mutex model, and a late unpark there
/// makes a later lock of a contended mutex fail inside loom ("expected to
/// be able to acquire lock"). A per-wait token absorbs it instead: under
/// loom every wait has a context, and so a parker, of its own.
#[derive(Debug)]
pub(crate) struct Parker {
    #[cfg(not(gosync_loom))]
    thread: Thread,
    #[cfg(gosync_loom)]
    token: Mutex<bool>,
    #[cfg(gosync_loom)]
    woken: loom::sync::Condvar,
}

impl Parker {
    /// A parker for the calling thread; only it may `park`.
    pub(crate) fn for_current_thread() -> Parker {
        Parker {
            #[cfg(not(gosync_loom))]
            thread: thread::current(),
            #[cfg(gosync_loom)]
            token: Mutex::new(false),
            #[cfg(gosync_loom)]
            woken: loom::sync::Condvar::new(),
        }
    }

    /// Sleeps until `unpark` (or spuriously: callers loop on their
    /// condition).
    pub(crate) fn park(&self) {
        #[cfg(not(gosync_loom))]
        thread::park();
        #[cfg(gosync_loom)]
        {
            let mut token = lock(&self.token);
            while !*token {
                token = self
                    .woken
                    .wait(token)
                    .unwrap_or_else(|poison| poison.into_inner());
            }
            *token = false;
        }
    }

    /// Wakes the parked thread, or makes its next `park` return at once.
    pub(crate) fn unpark(&self) {
        #[cfg(not(gosync_loom))]
        self.thread.unpark();
        #[cfg(gosync_loom)]
        {
            *lock(&self.token) = true;
            self.woken.notify_one();
        }
    }
}

/// Under loom, a `fence(SeqCst)`; in a normal build, nothing.
///
/// The wakers' store-then-load pattern (see
/// [`SyncWaker`](crate::waker::SyncWaker)) relies on the single total order
/// of SeqCst accesses, which the C++20 model (Rust's) guarantees and every
/// target implements. Loom treats SeqCst accesses as AcqRel and would
/// report lost wake-ups that cannot happen (loom's README, "Unsupported
/// features"); it does model SeqCst fences, so the models get one where
/// the pattern needs it.
#[inline(always)]
pub(crate) fn seqcst_fence_for_loom() {
    #[cfg(gosync_loom)]
    fence(Ordering::SeqCst);
}

/// Under loom, a `yield_now`; in a normal build, nothing. A task that
/// hands its turn back to the executor to retry (see
/// `select_async::AsyncWait::poll`) is a spin loop to loom, whose
/// `block_on` polls again at once: the yield lets loom run the partner.
#[inline(always)]
pub(crate) fn yield_for_loom() {
    #[cfg(gosync_loom)]
    thread::yield_now();
}

/// Locks `mutex`, ignoring poison.
///
/// No user code runs while one of the channel's locks is held (messages are
/// moved, never dropped or cloned, under a lock), so a poisoned lock never
/// guards inconsistent state.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

/// An `UnsafeCell` with loom's closure-based access on both sides.
#[cfg(not(gosync_loom))]
#[derive(Debug)]
pub(crate) struct UnsafeCell<T>(std::cell::UnsafeCell<T>);

#[cfg(not(gosync_loom))]
impl<T> UnsafeCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        Self(std::cell::UnsafeCell::new(value))
    }

    /// Runs `f` with a raw pointer to the contents, for reading.
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Runs `f` with a raw pointer to the contents, for writing.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

#[cfg(gosync_loom)]
pub(crate) use loom::cell::UnsafeCell;

/// Bounded exponential backoff for the short waits inside an operation
/// (a slot whose writer is mid-write, a block being linked in).
///
/// With [`spin_then_yield`] this is the crate's one spin policy: every
/// busy-wait in the crate is a `Backoff` or that function, so the numbers
/// below are the only ones to tune.
///
/// `spin` only spins; `snooze` spins, then yields the core, so that a
/// waiter never keeps a preempted partner on the same core from running
/// (crossbeam #821). Under loom both are `yield_now`.
pub(crate) struct Backoff {
    step: u32,
}

#[cfg(not(gosync_loom))]
const SPIN_LIMIT: u32 = 6;
#[cfg(not(gosync_loom))]
const YIELD_LIMIT: u32 = 10;
// Under loom every round is one `yield_now`: keep the retries before
// parking to one, or the models explode.
#[cfg(gosync_loom)]
const SPIN_LIMIT: u32 = 0;
#[cfg(gosync_loom)]
const YIELD_LIMIT: u32 = 0;

impl Backoff {
    #[inline]
    pub(crate) fn new() -> Self {
        Self { step: 0 }
    }

    /// Backs off after a failed compare-exchange: the other thread is
    /// running, so a few spins are enough.
    #[inline]
    pub(crate) fn spin(&mut self) {
        #[cfg(gosync_loom)]
        thread::yield_now();
        #[cfg(not(gosync_loom))]
        for _ in 0..1u32 << self.step.min(SPIN_LIMIT) {
            std::hint::spin_loop();
        }
        // Saturates one past the limit, where `is_spun` turns true.
        self.step = (self.step + 1).min(SPIN_LIMIT + 1);
    }

    /// Backs off while waiting for another thread to finish a step: spins
    /// first, then yields the core.
    #[inline]
    pub(crate) fn snooze(&mut self) {
        #[cfg(gosync_loom)]
        thread::yield_now();
        #[cfg(not(gosync_loom))]
        if self.step <= SPIN_LIMIT {
            for _ in 0..1u32 << self.step {
                std::hint::spin_loop();
            }
        } else {
            thread::yield_now();
        }
        self.step = (self.step + 1).min(YIELD_LIMIT + 1);
    }

    /// True once spinning has reached its longest round.
    #[inline]
    #[cfg_attr(gosync_loom, allow(dead_code))]
    pub(crate) fn is_spun(&self) -> bool {
        self.step > SPIN_LIMIT
    }

    /// True once snoozing has reached yielding for a while: time to park.
    #[inline]
    pub(crate) fn is_completed(&self) -> bool {
        self.step > YIELD_LIMIT
    }
}

/// How long a blocking wait keeps yielding before it parks. Long enough to
/// cover a partner that is running (a rendezvous round trip is well under a
/// microsecond then) or briefly preempted; short enough that a thread
/// waiting for a slow partner soon stops taking turns on a core. Each round
/// is a `yield_now`, so a runnable thread on the same core gets it.
#[cfg(not(gosync_loom))]
const WAIT_YIELD_BUDGET: std::time::Duration = std::time::Duration::from_micros(50);

/// The first two phases of every blocking wait (a thread's `send`, `recv`
/// or `select!` whose partner has not come yet): [`Backoff::spin`] until it
/// is spun (about 2^7 `pause`s in all), then `yield_now` for up to
/// [`WAIT_YIELD_BUDGET`] or until `deadline`. Returns `true` as soon as
/// `done` does, `false` when the caller should park.
///
/// Not built under loom: loom cannot explore a busy-wait, so there a wait
/// parks at once.
#[cfg(not(gosync_loom))]
pub(crate) fn spin_then_yield(
    deadline: Option<std::time::Instant>,
    mut done: impl FnMut() -> bool,
) -> bool {
    let mut backoff = Backoff::new();
    while !backoff.is_spun() {
        if done() {
            return true;
        }
        backoff.spin();
    }
    let started = std::time::Instant::now();
    loop {
        if done() {
            return true;
        }
        let now = std::time::Instant::now();
        if now - started >= WAIT_YIELD_BUDGET || deadline.is_some_and(|deadline| now >= deadline) {
            return false;
        }
        thread::yield_now();
    }
}
