//! The flavor of [`tick`](crate::tick): a message every period.
//!
//! Lazy, like [`at`](super::at): no thread per timer. Tick `k` is due at
//! `start + k * period`; a receive takes the latest tick that is due and
//! moves `next` past it, so a slow receiver gets one message, not a burst
//! of stale ones (missed ticks are dropped), and the schedule never drifts
//! (it is always anchored at `start`).

use std::time::{Duration, Instant};

use crate::context::{Context, Operation};
use crate::select::{SelectHandle, Token};
use crate::sync::{AtomicBool, AtomicU64, Ordering};
use crate::waker::SyncWaker;

/// `next` when the next tick is beyond what an `Instant` can hold.
const NEVER: u64 = u64::MAX;

/// A periodic timer channel.
pub(crate) struct Channel {
    start: Instant,
    /// The period in nanoseconds (≥ 1).
    period: u64,
    /// Nanoseconds from `start` to the next undelivered tick, or `NEVER`.
    next: AtomicU64,
    closed: AtomicBool,
    receivers: SyncWaker,
}

impl Channel {
    /// # Panics
    ///
    /// If `period` is zero.
    pub(crate) fn new(period: Duration) -> Self {
        assert!(!period.is_zero(), "tick period must be positive");
        let period = u64::try_from(period.as_nanos()).unwrap_or(NEVER);
        Channel {
            start: Instant::now(),
            period,
            next: AtomicU64::new(period),
            closed: AtomicBool::new(false),
            receivers: SyncWaker::new(),
        }
    }

    fn at(&self, nanos: u64) -> Option<Instant> {
        if nanos == NEVER {
            return None;
        }
        self.start.checked_add(Duration::from_nanos(nanos))
    }

    /// Takes the latest due tick; true with `None` if closed.
    pub(crate) fn start_recv(&self, token: &mut Token) -> bool {
        loop {
            // Relaxed: `next` guards no data, only who gets a tick.
            let next = self.next.load(Ordering::Relaxed);
            let Some(due) = self.at(next) else { break };
            let now = Instant::now();
            if now < due {
                break;
            }
            // Skip the ticks missed since `due`: deliver the latest one.
            let behind = u64::try_from((now - due).as_nanos()).unwrap_or(NEVER);
            let latest = next.saturating_add(behind / self.period * self.period);
            let following = latest.saturating_add(self.period);
            // Relaxed: decides who gets the tick; no data is published.
            if self
                .next
                .compare_exchange(next, following, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
            {
                token.timer = self.at(latest);
                return true;
            }
        }
        if self.is_closed() {
            token.timer = None;
            return true;
        }
        false
    }

    pub(crate) fn read(token: &mut Token) -> Result<Instant, ()> {
        token.timer.take().ok_or(())
    }

    pub(crate) fn len(&self) -> usize {
        // Relaxed: a snapshot; `next` guards no data.
        let due = self.at(self.next.load(Ordering::Relaxed));
        usize::from(due.is_some_and(|due| Instant::now() >= due))
    }

    pub(crate) fn is_closed(&self) -> bool {
        // Acquire: pairs with the Release swap in `close`.
        self.closed.load(Ordering::Acquire)
    }

    pub(crate) fn close(&self) -> bool {
        // Release: pairs with the Acquire load in `is_closed`.
        if self.closed.swap(true, Ordering::Release) {
            return false;
        }
        self.receivers.close();
        true
    }
}

impl SelectHandle for Channel {
    fn try_select(&self, token: &mut Token) -> bool {
        self.start_recv(token)
    }

    fn deadline(&self) -> Option<Instant> {
        // Relaxed: only when to wake up.
        self.at(self.next.load(Ordering::Relaxed))
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        self.receivers.register(oper, cx);
        self.len() > 0 || self.is_closed()
    }

    fn unregister(&self, oper: Operation) {
        self.receivers.unregister(oper);
    }

    fn accept(&self, token: &mut Token, _cx: &Context) -> bool {
        self.start_recv(token)
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // Timers never claim a waiter: they fall due by themselves.
    }

    fn cancel(&self, token: &mut Token) {
        // Put the tick back if nobody took a later one since (then it is
        // simply a missed tick, which a ticker drops anyway).
        let Some(due) = token.timer.take() else {
            return;
        };
        let latest = u64::try_from(due.duration_since(self.start).as_nanos()).unwrap_or(NEVER);
        // Relaxed: as in `start_recv`; decides who gets the tick.
        if self
            .next
            .compare_exchange(
                latest.saturating_add(self.period),
                latest,
                Ordering::Relaxed,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            self.receivers.notify();
        }
    }

    fn version(&self) -> u64 {
        // The deadline's passing only ever makes the case ready.
        self.next.load(Ordering::SeqCst) ^ u64::from(self.is_closed()) << 63
    }
}
