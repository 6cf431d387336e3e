//! Test helpers shared by the gosync crates' integration tests: a hang
//! detector, a deadline waiter, a tiny deterministic generator, panic
//! assertions, drop accounting ([`Ledger`], [`Counted`]), and (under `--cfg gosync_loom`) the loom-checked payload and
//! model runner of the loom tests. A dev-dependency only; not published.

mod ledger;

pub use ledger::{Counted, Ledger};

use std::sync::mpsc;
use std::time::Duration;

/// Generous bound after which a blocked test is a hang, not a slow machine
/// (or Miri, which runs a test about a thousand times slower).
pub const HANG: Duration = Duration::from_secs(if cfg!(miri) { 900 } else { 60 });

/// The message of a caught panic (`&str` or `String` payloads; anything
/// else is reported as such), for asserting it was *our* panic and not,
/// say, an `unimplemented!`.
///
/// ```
/// let payload = std::panic::catch_unwind(|| panic!("boom {}", 1)).unwrap_err();
/// assert_eq!(gosync_testkit::panic_message(&*payload), "boom 1");
/// ```
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".to_owned())
}

/// Runs `f`, which must panic with a message containing `expected`; fails
/// the test if it returns, or panics with another message.
///
/// ```
/// let empty: Vec<u8> = Vec::new();
/// gosync_testkit::expect_panic("index out of bounds", || empty[0]);
/// ```
pub fn expect_panic<R>(expected: &str, f: impl FnOnce() -> R) {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic containing {expected:?}, got none"),
        Err(payload) => {
            let message = panic_message(&*payload);
            assert!(
                message.contains(expected),
                "expected a panic containing {expected:?}, got {message:?}"
            );
        }
    }
}

/// A tiny deterministic generator (xorshift64*), so tests need no `rand`
/// and a failing seed replays exactly.
///
/// ```
/// use gosync_testkit::Rng;
///
/// let mut rng = Rng::new(7);
/// assert!(rng.below(10) < 10);
/// assert_eq!(Rng::new(7).next_u64(), Rng::new(7).next_u64());
/// ```
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed` (any value, 0 too).
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform enough in `0..n` for tests; `n` must not be 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
}

/// Runs `f` on its own thread and fails the test if it has not finished
/// within `limit`. Turns a hang (a deadlock, a lost wake-up) into a
/// failure; never used to "wait for" a race. A panic in `f` is re-raised.
///
/// ```
/// use gosync_testkit::{within, HANG};
///
/// assert_eq!(within(HANG, || 2 + 2), 4);
/// ```
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let runner = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => {
            runner.join().unwrap();
            value
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // `f` panicked: surface its panic.
            std::panic::resume_unwind(runner.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("hung for more than {limit:?}"),
    }
}

/// Waits until `count` reaches `expected` (a drop counter, say) and returns
/// how long that took, failing the test if it takes longer than `limit`:
/// for properties with a deadline of their own (a replaced value dropped
/// within 10 ms by a background thread), where the timeout only turns a
/// lost value into a failure. Fails too if `count` overshoots `expected`.
///
/// ```
/// use gosync_testkit::{time_until_count, HANG};
/// use std::sync::atomic::AtomicUsize;
///
/// let count = AtomicUsize::new(3);
/// assert!(time_until_count(&count, 3, HANG, "already there") < HANG);
/// ```
pub fn time_until_count(
    count: &std::sync::atomic::AtomicUsize,
    expected: usize,
    limit: Duration,
    what: &str,
) -> Duration {
    use std::sync::atomic::Ordering::SeqCst;
    let start = std::time::Instant::now();
    while count.load(SeqCst) < expected {
        assert!(
            start.elapsed() < limit,
            "{what}: {} of {expected} after {limit:?}",
            count.load(SeqCst)
        );
        std::thread::sleep(Duration::from_micros(100));
    }
    let took = start.elapsed();
    assert_eq!(count.load(SeqCst), expected, "{what}: overshot");
    took
}

/// What the loom models share (only with `--cfg gosync_loom`).
#[cfg(gosync_loom)]
pub mod loom_support {
    use loom::cell::UnsafeCell;
    use loom::sync::Arc;

    /// A stored value. `id` tells values apart; `cell` is read through loom
    /// on every use and written by `Drop`, so a use not ordered after the
    /// value's publication, or racing its free, is a loom causality
    /// violation; `alive` is a loom `Arc`, so a value never dropped is a
    /// loom leak.
    #[derive(Debug)]
    pub struct Payload {
        /// Which value this is.
        pub id: u32,
        cell: UnsafeCell<u32>,
        /// Held only to be dropped with the payload (loom's leak check).
        _alive: Arc<()>,
    }

    // SAFETY: `cell` is read through `&self` and written only in `new` and
    // in `drop` (`&mut self`); loom checks that every such pair is ordered.
    unsafe impl Sync for Payload {}

    impl Payload {
        /// A payload with this id.
        pub fn new(id: u32) -> Self {
            Self {
                id,
                cell: UnsafeCell::new(id),
                _alive: Arc::new(()),
            }
        }

        /// Reads the payload through loom, checks it is intact, returns its
        /// id.
        pub fn use_it(&self) -> u32 {
            // SAFETY: a shared read; loom checks it against the writes.
            let seen = self.cell.with(|cell| unsafe { *cell });
            assert_eq!(seen, self.id, "payload read after it was dropped");
            seen
        }
    }

    impl Drop for Payload {
        fn drop(&mut self) {
            // SAFETY: `&mut self`; loom checks this write against every read.
            self.cell.with_mut(|cell| unsafe { *cell = u32::MAX });
        }
    }

    impl PartialEq for Payload {
        fn eq(&self, other: &Self) -> bool {
            self.use_it() == other.use_it()
        }
    }

    /// Runs `f` under loom with the preemption bound from
    /// `LOOM_MAX_PREEMPTIONS` (test.sh sets 3), or 3 when unset, so a model
    /// is bounded even when run by hand.
    pub fn model(f: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        if builder.preemption_bound.is_none() {
            builder.preemption_bound = Some(3);
        }
        builder.check(f);
    }

    /// [`model`], with the preemption bound capped at `most`: for a model
    /// whose state space at the usual bound would not fit CI's time budget
    /// (its mutation must then be shown failing within the cap).
    pub fn model_with_at_most(most: usize, f: impl Fn() + Sync + Send + 'static) {
        let mut builder = loom::model::Builder::new();
        builder.preemption_bound = Some(builder.preemption_bound.unwrap_or(3).min(most));
        builder.check(f);
    }
}
