//! The timer channels, `after` and `tick` (Go's `time.After`, `time.Tick`):
//! `after(d)` delivers one `Instant`, not before `start + d`, and is then
//! never ready and never closed; `tick(d)` delivers every period, drops the
//! ticks a slow receiver missed instead of bursting them, and keeps its
//! schedule (N ticks take about N periods); both work as `select!` cases.
//!
//! These tests are about real time, so they sleep where the semantics are
//! about time, and their bounds are generous (a shared 2-core machine):
//! lower bounds are exact (a timer never fires early), upper bounds allow
//! for a busy scheduler. They are skipped under Miri.
#![cfg(not(gosync_loom))]

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{within, HANG};
use gosync_channel::{after, bounded, never, select, tick, RecvTimeoutError, TryRecvError};

/// Slack for a busy scheduler on upper bounds.
const SLACK: Duration = Duration::from_secs(1);

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn after_delivers_one_instant_no_earlier_than_its_deadline() {
    within(HANG, || {
        let d = Duration::from_millis(50);
        let start = Instant::now();
        let timer = after(d);
        // Whatever it answers before the deadline, it must not be a message.
        match timer.try_recv() {
            Ok(t) => assert!(
                Instant::now() >= start + d,
                "after({d:?}) fired early: {t:?}"
            ),
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Closed) => panic!("after() is never closed"),
        }
        let t = timer.recv().expect("after() delivers");
        let now = Instant::now();
        assert!(t >= start + d, "the Instant is not before the deadline");
        assert!(t <= now, "the Instant is not in the future");
        assert!(
            now - start < d + SLACK,
            "after({d:?}) took {:?}",
            now - start
        );

        // Then: never ready, never closed.
        assert!(matches!(timer.try_recv(), Err(TryRecvError::Empty)));
        let waited = Instant::now();
        assert!(matches!(
            timer.recv_timeout(Duration::from_millis(30)),
            Err(RecvTimeoutError::Timeout)
        ));
        assert!(waited.elapsed() >= Duration::from_millis(30));
        assert!(!timer.is_closed());
        assert!(timer.is_empty());
        assert_eq!(timer.try_iter().count(), 0);
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn after_zero_is_ready_at_once() {
    within(HANG, || {
        let start = Instant::now();
        let timer = after(Duration::ZERO);
        let t = timer.recv().unwrap();
        assert!(t >= start);
        assert!(start.elapsed() < SLACK);
        assert!(matches!(timer.try_recv(), Err(TryRecvError::Empty)));
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn after_wakes_a_blocked_receiver_and_delivers_to_one_clone_only() {
    within(HANG, || {
        let d = Duration::from_millis(40);
        let start = Instant::now();
        let timer = after(d);
        let clone = timer.clone();
        let waiter = thread::spawn(move || {
            let t = clone.recv().unwrap();
            (t, Instant::now())
        });
        let (t, woke) = waiter.join().unwrap();
        assert!(t >= start + d && woke >= start + d);
        // The message went to the clone; the original has nothing.
        assert!(matches!(
            timer.recv_timeout(Duration::from_millis(20)),
            Err(RecvTimeoutError::Timeout)
        ));
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn a_huge_duration_never_fires_and_does_not_panic() {
    within(HANG, || {
        for d in [Duration::MAX, Duration::from_secs(u64::MAX / 2)] {
            let a = after(d);
            let t = tick(d);
            assert!(matches!(a.try_recv(), Err(TryRecvError::Empty)));
            assert!(matches!(t.try_recv(), Err(TryRecvError::Empty)));
            assert!(matches!(
                a.recv_timeout(Duration::from_millis(10)),
                Err(RecvTimeoutError::Timeout)
            ));
        }
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn tick_delivers_every_period() {
    within(HANG, || {
        let d = Duration::from_millis(20);
        let start = Instant::now();
        let ticker = tick(d);
        let mut last = start;
        for k in 1..=5u32 {
            let t = ticker.recv().unwrap();
            assert!(t >= start + d * k, "tick {k} early: {:?}", t - start);
            assert!(t > last || k == 1, "tick instants increase");
            last = t;
        }
        assert!(!ticker.is_closed());
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn tick_drops_missed_ticks_for_a_slow_receiver() {
    within(HANG, || {
        let d = Duration::from_millis(50);
        let ticker = tick(d);
        // Miss about ten ticks.
        thread::sleep(d * 10 + d / 2);
        let burst = ticker.try_iter().count();
        assert!(
            (1..=2).contains(&burst),
            "a slow receiver finds one pending tick, not a burst: {burst}"
        );
        // And the ticks go on.
        let before = Instant::now();
        for _ in 0..3 {
            ticker.recv().unwrap();
        }
        // Three ticks one period apart (the first may be pending already).
        assert!(before.elapsed() >= d, "ticks did not burst after the gap");
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn tick_keeps_its_schedule() {
    within(HANG, || {
        let d = Duration::from_millis(20);
        let n = 50u32;
        let start = Instant::now();
        let ticker = tick(d);
        let mut instants = Vec::new();
        for _ in 0..n {
            instants.push(ticker.recv().unwrap());
        }
        let elapsed = start.elapsed();
        assert!(elapsed >= d * n, "{n} ticks in {elapsed:?}: early");
        assert!(
            elapsed <= d * n + d * n / 4 + SLACK,
            "{n} ticks of {d:?} took {elapsed:?}: the schedule drifts"
        );
        for (k, t) in instants.iter().enumerate() {
            assert!(*t >= start + d * (k as u32 + 1), "tick {k} early");
        }
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn after_as_a_select_timeout() {
    within(HANG, || {
        let (_tx, rx) = bounded::<u32>(0);
        let d = Duration::from_millis(40);
        let start = Instant::now();
        let timed_out = select! {
            recv(rx) -> _m => { panic!("nothing was sent") },
            recv(after(d)) -> t => { assert!(t.unwrap() >= start + d); true },
        };
        assert!(timed_out && start.elapsed() >= d);

        // A message that is ready wins over a timer that is not.
        let (tx, rx) = bounded::<u32>(1);
        tx.send(1).unwrap();
        select! {
            recv(rx) -> m => { assert_eq!(m.unwrap(), 1) },
            recv(after(Duration::from_secs(60))) -> _t => { panic!("timer fired") },
        }

        // A consumed after() is not ready again, in a select either.
        let timer = after(Duration::ZERO);
        timer.recv().unwrap();
        let defaulted = select! {
            recv(timer) -> _t => { panic!("after() fired twice") },
            default(Duration::from_millis(20)) => { true }
        };
        assert!(defaulted);
    });
}

#[test]
#[cfg_attr(miri, ignore = "real time")]
fn tick_in_a_select_loop_with_an_after_deadline() {
    within(HANG, || {
        let ticker = tick(Duration::from_millis(10));
        let deadline = after(Duration::from_millis(200));
        let nil = never::<u32>();
        let start = Instant::now();
        let mut ticks = 0;
        loop {
            select! {
                recv(ticker) -> t => { t.unwrap(); ticks += 1 },
                recv(deadline) -> _t => { break },
                recv(nil) -> _m => { panic!("never is never ready") },
            }
        }
        assert!(start.elapsed() >= Duration::from_millis(200));
        assert!((1..=22).contains(&ticks), "{ticks} ticks of 10ms in 200ms");
    });
}

#[test]
fn tick_with_a_zero_period_panics() {
    let caught = std::panic::catch_unwind(|| tick(Duration::ZERO));
    assert!(caught.is_err(), "tick(0) is documented to panic");
}

#[test]
fn a_due_timer_counts_as_one_buffered_message() {
    within(HANG, || {
        let timer = after(Duration::ZERO);
        assert_eq!(timer.capacity(), Some(1));
        // Due at once: one message waiting.
        assert_eq!(timer.len(), 1);
        assert!(timer.is_full() && !timer.is_empty());
        timer.try_recv().unwrap();
        assert_eq!(timer.len(), 0);
        assert!(timer.is_empty() && !timer.is_full());
    });
}

#[test]
fn timers_closed_by_their_receiver_report_closed() {
    within(HANG, || {
        for timer in [
            after(Duration::from_secs(3600)),
            after(Duration::ZERO),
            tick(Duration::from_secs(3600)),
        ] {
            let clone = timer.clone();
            let waiter = thread::spawn(move || clone.recv());
            assert!(timer.close(), "the first close closes");
            assert!(!timer.close());
            assert!(timer.is_closed());
            // A receiver blocked on it wakes (or got the due message first).
            let _ = waiter.join().unwrap();
            assert!(timer.recv().is_err());
            assert!(matches!(timer.try_recv(), Err(TryRecvError::Closed)));
            assert!(matches!(
                timer.recv_timeout(Duration::from_secs(3600)),
                Err(RecvTimeoutError::Closed)
            ));
        }
        // The nil channel cannot be closed.
        let nil = never::<u32>();
        assert!(!nil.close());
        assert!(!nil.is_closed());
        assert!(matches!(nil.try_recv(), Err(TryRecvError::Empty)));
    });
}
