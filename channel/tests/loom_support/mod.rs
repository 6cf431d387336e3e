//! What the channel's loom models share: the loom-checked `Payload` and
//! model runner from gosync-testkit, the flavors to run each rule on, and
//! a plain cell for "written before" data.
#![allow(dead_code)]

use gosync_channel::{bounded, unbounded, Receiver, Sender};
pub(crate) use gosync_testkit::loom_support::{model, Payload};
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
