//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Generous bound after which a blocked test is a hang, not a slow machine.
pub(crate) const HANG: Duration = Duration::from_secs(60);

/// Runs `f` on its own thread and fails the test if it has not finished
/// within `limit`. Turns a hang into a failure; never used to "wait for" a
/// race.
pub(crate) fn within<T: Send + 'static>(
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
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

/// A value that counts its own drops, to prove exactly-once handling.
#[derive(Debug)]
pub(crate) struct Counted {
    drops: Arc<AtomicUsize>,
}

impl Counted {
    pub(crate) fn new(drops: &Arc<AtomicUsize>) -> Self {
        Self {
            drops: Arc::clone(drops),
        }
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.drops.fetch_add(1, Ordering::Relaxed);
    }
}

/// Scale for heavy loops: Miri runs a small fraction.
pub(crate) fn scaled(n: usize) -> usize {
    if cfg!(miri) {
        (n / 50).max(2)
    } else {
        n
    }
}
