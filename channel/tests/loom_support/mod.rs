//! What the channel's loom models share: the loom-checked `Payload` and
//! model runner from gosync-testkit, the flavors to run each rule on, and
//! a plain cell for "written before" data.
#![allow(dead_code)]

use gosync_channel::{bounded, unbounded, Receiver, Sender};
#[allow(unused_imports)] // not every model uses payloads
pub(crate) use gosync_testkit::loom_support::{model, model_with_at_most, Payload};
use loom::cell::UnsafeCell;

/// The channel kinds a rule is checked on.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Flavor {
    /// `bounded(0)`.
    Rendezvous,
    /// `bounded(cap)`.
    Bounded(usize),
    /// `unbounded()`.
    Unbounded,
}

pub(crate) fn channel<T>(flavor: Flavor) -> (Sender<T>, Receiver<T>) {
    match flavor {
        Flavor::Rendezvous => bounded(0),
        Flavor::Bounded(cap) => bounded(cap),
        Flavor::Unbounded => unbounded(),
    }
}

/// Data outside the channel: written by one thread before an operation,
/// read by another after the operation that must be ordered after it.
/// Loom reports the read as a causality violation unless the channel
/// operations carry a happens-before edge from the write to the read.
#[derive(Debug)]
pub(crate) struct Data(UnsafeCell<u32>);

// SAFETY: every access goes through loom, which checks that each write is
// ordered with every other access; the edges are what the models test.
unsafe impl Sync for Data {}

impl Data {
    pub(crate) fn new() -> Self {
        Data(UnsafeCell::new(0))
    }

    pub(crate) fn write(&self, value: u32) {
        // SAFETY: loom checks the ordering.
        self.0.with_mut(|cell| unsafe { *cell = value });
    }

    pub(crate) fn read(&self) -> u32 {
        // SAFETY: loom checks the ordering.
        self.0.with(|cell| unsafe { *cell })
    }
}

/// Runs `a` and `b` on two threads and joins both from the main thread,
/// returning their results.
///
/// The main thread never waits on a channel itself: a thread that waited
/// can receive a late `unpark` from the thread that woke it (harmless with
/// std, whose `join` ignores it), and loom's `join`, unlike std's, returns
/// early on such an `unpark` and then fails an internal assertion.
pub(crate) fn both<A, B>(
    a: impl FnOnce() -> A + Send + 'static,
    b: impl FnOnce() -> B + Send + 'static,
) -> (A, B)
where
    A: Send + 'static,
    B: Send + 'static,
{
    let a = loom::thread::spawn(a);
    let b = loom::thread::spawn(b);
    (a.join().unwrap(), b.join().unwrap())
}
