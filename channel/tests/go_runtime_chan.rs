//! Ports of Go's runtime channel tests, `src/runtime/chan_test.go` (Go
//! 1.27) and `chanbarrier_test.go`, test by test, plus the timer-channel
//! tests of `src/time/sleep_test.go` that are about `time.After` in
//! channel code (`TestAfter`, `TestAfterTick`, `TestAfterQueuing`) and
//! select timeouts.
//!
//! Adapted: goroutines are std threads (counts scaled for a 2-core machine
//! and further under Miri); `runtime.Gosched()` is `thread::yield_now()`;
//! Go's `GOMAXPROCS` settings have no counterpart. A Go nil channel is
//! `never()`; the API has no nil `Sender`, so a send case is disabled by
//! leaving it out of a dynamic `Select`. Both ends of every channel that
//! must stay never-ready are kept alive (a channel whose other side is
//! gone is closed, hence ready).
//!
//! Skipped, being about Go's runtime rather than channel semantics:
//! `TestNoShrinkStackWhileParking` (a race between GC stack shrinking and
//! parking) and the GC half of `TestSelectStackAdjust` and
//! `TestShrinkStackDuringBlockedSend` (Rust stacks do not move); the
//! channel half of each is ported. The benchmarks belong to the benches
//! crate.
#![cfg(not(gosync_loom))]

mod common;

use std::any::Any;
use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};

use common::{scaled, within, HANG};
use gosync_channel::{
    after, bounded, never, select, tick, unbounded, Receiver, RecvTimeoutError, Select,
    SendTimeoutError, Sender, TryRecvError, TrySendError,
};

/// The capacities `TestChan` tries (Go: every one below 200; here the
/// small ones, where the edge cases are, and three large ones).
fn chan_caps() -> Vec<usize> {
    if cfg!(miri) {
        vec![0, 1, 2]
    } else {
        (0..20).chain([50, 100, 199]).collect()
    }
}

/// How long `TestChan` lets a thread that must stay blocked run before
/// checking it did not finish (Go: 1 ms). It only gives a wrong channel
/// time to misbehave; a correct one passes whatever the scheduling.
const BLOCK_CHECK: Duration = Duration::from_millis(1);

// ---------------------------------------------------------------------
// TestChan, one test per block
// ---------------------------------------------------------------------

/// Go: `TestChan`, "receive from empty chan blocks": two receivers (plain
/// and iterator form) stay blocked, and non-blocking receives (select with
/// default, `try_recv`) do not block; two sends then release them.
#[test]
fn test_chan_recv_from_empty_blocks() {
    within(HANG, || {
        for cap in chan_caps() {
            let (tx, rx) = bounded::<i32>(cap);
            let recv1 = AtomicBool::new(false);
            let recv2 = AtomicBool::new(false);
            thread::scope(|s| {
                s.spawn(|| {
                    let _ = rx.recv();
                    recv1.store(true, Ordering::SeqCst);
                });
                s.spawn(|| {
                    let _ = rx.iter().next();
                    recv2.store(true, Ordering::SeqCst);
                });
                thread::sleep(BLOCK_CHECK);
                assert!(
                    !recv1.load(Ordering::SeqCst) && !recv2.load(Ordering::SeqCst),
                    "chan[{cap}]: receive from empty chan"
                );
                select! {
                    recv(rx) -> _msg => panic!("chan[{cap}]: receive from empty chan"),
                    default => {}
                }
                assert!(
                    matches!(rx.try_recv(), Err(TryRecvError::Empty)),
                    "chan[{cap}]: receive from empty chan"
                );
                tx.send(0).unwrap();
                tx.send(0).unwrap();
            });
        }
    });
}

/// Go: `TestChan`, "send to full chan blocks": a sender to a full channel
/// stays blocked, and non-blocking sends (select with default,
/// `try_send`) do not block; one receive releases it.
#[test]
fn test_chan_send_to_full_blocks() {
    within(HANG, || {
        for cap in chan_caps() {
            let (tx, rx) = bounded::<i32>(cap);
            for i in 0..cap {
                tx.send(i as i32).unwrap();
            }
            let sent = AtomicBool::new(false);
            thread::scope(|s| {
                s.spawn(|| {
                    tx.send(0).unwrap();
                    sent.store(true, Ordering::SeqCst);
                });
                thread::sleep(BLOCK_CHECK);
                assert!(
                    !sent.load(Ordering::SeqCst),
                    "chan[{cap}]: send to full chan"
                );
                select! {
                    send(tx, 0) -> _res => panic!("chan[{cap}]: send to full chan"),
                    default => {}
                }
                assert!(
                    matches!(tx.try_send(0), Err(TrySendError::Full(0))),
                    "chan[{cap}]: send to full chan"
                );
                rx.recv().unwrap();
            });
        }
    });
}

/// Go: `TestChan`, "we receive 0 from closed chan": the buffered values
/// come out in order after `close`, then every receive reports closed.
#[test]
fn test_chan_recv_from_closed() {
    for cap in chan_caps() {
        let (tx, rx) = bounded::<i32>(cap);
        for i in 0..cap {
            tx.send(i as i32).unwrap();
        }
        assert!(tx.close());
        for i in 0..cap {
            assert_eq!(rx.recv().unwrap(), i as i32, "chan[{cap}]");
        }
        assert!(rx.recv().is_err(), "chan[{cap}]: received from closed");
        assert!(rx.recv().is_err(), "chan[{cap}]: received from closed");
    }
}

/// Go: `TestChan`, "close unblocks receive". (Go sleeps first so that
/// the receiver is likely blocked; the outcome is the same either way,
/// so here it does not.)
#[test]
fn test_chan_close_unblocks_recv() {
    within(HANG, || {
        for cap in chan_caps() {
            let (tx, rx) = bounded::<i32>(cap);
            let (done_tx, done) = bounded::<bool>(0);
            let receiver = thread::spawn(move || {
                done_tx.send(rx.recv().is_err()).unwrap();
            });
            assert!(tx.close());
            assert!(
                done.recv().unwrap(),
                "chan[{cap}]: received non zero from closed chan"
            );
            receiver.join().unwrap();
        }
    });
}

/// Go: `TestChan`, FIFO and multi-party delivery: 100 integers from one
/// thread arrive in order (plain and iterator receive); then 4 senders
/// and 4 receivers exchange 1000 integers each, and every value arrives
/// exactly 4 times.
#[test]
fn test_chan_fifo_and_many_to_many() {
    within(HANG, || {
        const P: usize = 4;
        let l = scaled(1000, 10);
        let fifo_n = scaled(100, 10) as i32;
        for cap in chan_caps() {
            let (tx, rx) = bounded::<i32>(cap);
            thread::scope(|s| {
                s.spawn(|| (0..fifo_n).for_each(|i| tx.send(i).unwrap()));
                for i in 0..fifo_n {
                    assert_eq!(rx.recv().unwrap(), i, "chan[{cap}]");
                }
                s.spawn(|| (0..fifo_n).for_each(|i| tx.send(i).unwrap()));
                let got: Vec<i32> = rx.iter().take(fifo_n as usize).collect();
                assert_eq!(got, (0..fifo_n).collect::<Vec<_>>(), "chan[{cap}]");
            });

            let counts = thread::scope(|s| {
                for _ in 0..P {
                    s.spawn(|| (0..l).for_each(|i| tx.send(i as i32).unwrap()));
                }
                let receivers: Vec<_> = (0..P)
                    .map(|_| {
                        s.spawn(|| {
                            let mut recv = vec![0usize; l];
                            for _ in 0..l {
                                recv[rx.recv().unwrap() as usize] += 1;
                            }
                            recv
                        })
                    })
                    .collect();
                let mut total = vec![0usize; l];
                for r in receivers {
                    for (t, n) in total.iter_mut().zip(r.join().unwrap()) {
                        *t += n;
                    }
                }
                total
            });
            for (v, &n) in counts.iter().enumerate() {
                assert_eq!(n, P, "chan[{cap}]: value {v} received {n} times");
            }
        }
    });
}

/// Go: `TestChan`, "len/cap".
#[test]
fn test_chan_len_cap() {
    for cap in chan_caps() {
        let (tx, rx) = bounded::<i32>(cap);
        assert_eq!((rx.len(), rx.capacity()), (0, Some(cap)), "chan[{cap}]");
        assert_eq!((tx.len(), tx.capacity()), (0, Some(cap)), "chan[{cap}]");
        assert!(rx.is_empty() && tx.is_empty(), "chan[{cap}]");
        for i in 0..cap {
            tx.send(i as i32).unwrap();
        }
        assert_eq!((rx.len(), rx.capacity()), (cap, Some(cap)), "chan[{cap}]");
        assert_eq!((tx.len(), tx.capacity()), (cap, Some(cap)), "chan[{cap}]");
        if cap > 0 {
            assert!(rx.is_full() && tx.is_full(), "chan[{cap}]");
            assert!(!rx.is_empty(), "chan[{cap}]");
        }
    }
    let (tx, rx) = unbounded::<i32>();
    assert_eq!((rx.capacity(), tx.capacity()), (None, None));
}

// ---------------------------------------------------------------------
// Non-blocking races
// ---------------------------------------------------------------------

/// A thread that runs `race` on each job it is handed and reports the
/// result. Go starts a goroutine per round, which begins running within
/// a few hundred nanoseconds; a fresh thread takes tens of microseconds,
/// by when the main thread's half of the race is long over. A parked
/// thread woken per round races for real.
struct Racer<J: Send + 'static> {
    jobs: Option<mpsc::SyncSender<J>>,
    results: mpsc::Receiver<bool>,
    thread: Option<thread::JoinHandle<()>>,
}

impl<J: Send + 'static> Racer<J> {
    fn new(race: impl Fn(J) -> bool + Send + 'static) -> Self {
        let (jobs, job_rx) = mpsc::sync_channel::<J>(0);
        let (result_tx, results) = mpsc::sync_channel(1);
        let thread = thread::spawn(move || {
            for job in job_rx {
                result_tx.send(race(job)).unwrap();
            }
        });
        Self {
            jobs: Some(jobs),
            results,
            thread: Some(thread),
        }
    }

    /// Hands `job` over; the race starts now.
    fn start(&self, job: J) {
        self.jobs.as_ref().unwrap().send(job).unwrap();
    }

    fn result(&self) -> bool {
        self.results.recv().unwrap()
    }
}

impl<J: Send + 'static> Drop for Racer<J> {
    fn drop(&mut self) {
        drop(self.jobs.take());
        if let Some(thread) = self.thread.take() {
            if thread.join().is_err() && !thread::panicking() {
                panic!("racer thread panicked");
            }
        }
    }
}

/// Go: `TestNonblockRecvRace`: a channel holding a value is ready, and
/// stays ready while it is closed: a non-blocking receive racing with the
/// close never takes `default`.
#[test]
fn test_nonblock_recv_race() {
    within(HANG, || {
        let racer = Racer::new(|rx: Receiver<i32>| {
            select! {
                recv(rx) -> _msg => true,
                default => false,
            }
        });
        for _ in 0..scaled(10_000, 10) {
            let (tx, rx) = bounded::<i32>(1);
            tx.send(1).unwrap();
            racer.start(rx.clone());
            assert!(tx.close());
            let _ = rx.recv();
            assert!(racer.result(), "chan is not ready");
        }
    });
}

/// The racer of `TestNonblockSelectRace`: a non-blocking select on two
/// channels.
fn select_either((c1, c2): (Receiver<i32>, Receiver<i32>)) -> bool {
    select! {
        recv(c1) -> _msg => true,
        recv(c2) -> _msg => true,
        default => false,
    }
}

/// Go: `TestNonblockSelectRace`: a select acts on the channels' state at
/// one instant. From the racer's start one of `c1`, `c2` is always ready
/// (`c2` gets a value before `c1` may lose its own), so its non-blocking
/// select never takes `default`. 100 000 rounds, as Go.
#[test]
fn test_nonblock_select_race() {
    within(HANG, || {
        let racer = Racer::new(select_either);
        for _ in 0..scaled(100_000, 20) {
            let (c1_tx, c1) = bounded::<i32>(1);
            let (c2_tx, c2) = bounded::<i32>(1);
            c1_tx.send(1).unwrap();
            racer.start((c1.clone(), c2.clone()));
            c2_tx.send(1).unwrap();
            select! {
                recv(c1) -> _msg => {}
                default => {}
            }
            assert!(racer.result(), "no chan is ready");
        }
    });
}

/// Go: `TestNonblockSelectRace2`: the same with `close(c2)` (unbuffered)
/// in place of a send.
#[test]
fn test_nonblock_select_race2() {
    within(HANG, || {
        let racer = Racer::new(select_either);
        for _ in 0..scaled(100_000, 20) {
            let (c1_tx, c1) = bounded::<i32>(1);
            let (c2_tx, c2) = bounded::<i32>(0);
            c1_tx.send(1).unwrap();
            racer.start((c1.clone(), c2.clone()));
            assert!(c2_tx.close());
            select! {
                recv(c1) -> _msg => {}
                default => {}
            }
            assert!(racer.result(), "no chan is ready");
        }
    });
}

// ---------------------------------------------------------------------
// Selects
// ---------------------------------------------------------------------

/// Go: `TestSelfSelect`: two threads select between sending and
/// receiving on the same channel, in both case orders; nothing deadlocks,
/// and on an unbuffered channel no thread receives its own value.
#[test]
fn test_self_select() {
    within(HANG, || {
        let iters = scaled(1000, 20);
        for cap in [0, 10] {
            let (tx, rx) = bounded::<usize>(cap);
            thread::scope(|s| {
                for p in 0..2usize {
                    let (tx, rx) = (&tx, &rx);
                    s.spawn(move || {
                        for i in 0..iters {
                            let got = if p == 0 || i % 2 == 0 {
                                select! {
                                    send(tx, p) -> res => {
                                        res.unwrap();
                                        None
                                    },
                                    recv(rx) -> msg => Some(msg.unwrap()),
                                }
                            } else {
                                select! {
                                    recv(rx) -> msg => Some(msg.unwrap()),
                                    send(tx, p) -> res => {
                                        res.unwrap();
                                        None
                                    },
                                }
                            };
                            if cap == 0 {
                                assert_ne!(got, Some(p), "self receive");
                            }
                        }
                    });
                }
            });
        }
    });
}

/// Go: `TestSelectStress`: per channel (two unbuffered, one of capacity 2,
/// one of 3) a plain sender and a plain receiver thread, plus one thread
/// sending to all four in one select and one receiving from all four in
/// one select, each disabling a channel once it has done its share
/// (sending side: the case is left out of a dynamic `Select`; receiving
/// side: `select!` with the channel replaced by `never()`). Nothing may
/// deadlock. Go: 100 000 per channel; here 10 000 (Go's short mode).
#[test]
fn test_select_stress() {
    within(HANG, || {
        let n = scaled(10_000, 10);
        let chans: [(Sender<i32>, Receiver<i32>); 4] =
            [bounded(0), bounded(0), bounded(2), bounded(3)];
        let chans = &chans;
        thread::scope(|s| {
            for (tx, rx) in chans {
                s.spawn(move || (0..n).for_each(|_| tx.send(0).unwrap()));
                s.spawn(move || (0..n).for_each(|_| rx.recv().map(drop).unwrap()));
            }
            s.spawn(move || {
                let mut sent = [0; 4];
                for _ in 0..4 * n {
                    let mut sel = Select::new();
                    let mut index = [usize::MAX; 4];
                    for k in [3, 2, 0, 1] {
                        if sent[k] < n {
                            index[k] = sel.send(&chans[k].0);
                        }
                    }
                    let op = sel.select();
                    let k = index.iter().position(|&i| i == op.index()).unwrap();
                    op.send(&chans[k].0, 0).unwrap();
                    sent[k] += 1;
                }
            });
            s.spawn(move || {
                let mut c1: [Receiver<i32>; 4] = [0, 1, 2, 3].map(|k| chans[k].1.clone());
                let mut received = [0; 4];
                for _ in 0..4 * n {
                    let k = select! {
                        recv(c1[0]) -> msg => msg.map(|_| 0).unwrap(),
                        recv(c1[1]) -> msg => msg.map(|_| 1).unwrap(),
                        recv(c1[2]) -> msg => msg.map(|_| 2).unwrap(),
                        recv(c1[3]) -> msg => msg.map(|_| 3).unwrap(),
                    };
                    received[k] += 1;
                    if received[k] == n {
                        c1[k] = never();
                    }
                }
            });
        });
    });
}

/// Allowed deviation of a fair coin's count from its mean, in standard
/// deviations: 7σ fails a fair select with probability about 3e-12 (Go
/// allows 10σ).
const SIGMAS: f64 = 7.0;

/// Go: `TestSelectFairness`: a select over two never-ready unbuffered
/// channels and two always-ready buffered ones, run 10 000 times, must
/// pick each ready one about half the time: the count must lie within
/// [`SIGMAS`] standard deviations of the mean.
#[test]
fn test_select_fairness() {
    within(HANG, || {
        let trials = scaled(10_000, 200);
        let (c1_tx, c1) = bounded::<u8>(trials + 1);
        let (c2_tx, c2) = bounded::<u8>(trials + 1);
        for _ in 0..=trials {
            c1_tx.send(1).unwrap();
            c2_tx.send(2).unwrap();
        }
        let (_c3_tx, c3) = bounded::<u8>(0);
        let (_c4_tx, c4) = bounded::<u8>(0);
        let (out_tx, out) = bounded::<u8>(0);
        let (done_tx, done) = bounded::<u8>(0);
        let picker = thread::spawn(move || loop {
            let b = select! {
                recv(c3) -> msg => msg.unwrap(),
                recv(c4) -> msg => msg.unwrap(),
                recv(c1) -> msg => msg.unwrap(),
                recv(c2) -> msg => msg.unwrap(),
            };
            select! {
                send(out_tx, b) -> res => res.unwrap(),
                recv(done) -> _msg => return,
            }
        });
        let (mut cnt1, mut cnt2) = (0usize, 0usize);
        for _ in 0..trials {
            match out.recv().unwrap() {
                1 => cnt1 += 1,
                2 => cnt2 += 1,
                b => panic!("unexpected value {b} on channel"),
            }
        }
        let mean = trials as f64 * 0.5;
        let stddev = (trials as f64 * 0.5 * 0.5).sqrt();
        assert!(
            (cnt1 as f64 - mean).abs() <= SIGMAS * stddev,
            "unfair select: in {trials} trials, results were {cnt1}, {cnt2}"
        );
        assert!(done_tx.close());
        picker.join().unwrap();
    });
}

/// Beyond Go: the dynamic `Select` with four always-ready channels is
/// uniform too: a chi-square test (3 degrees of freedom) with a bound of
/// 50, exceeded by a fair select with probability about 8e-11.
#[test]
fn test_select_fairness_dynamic_four_ways() {
    let trials = scaled(20_000, 200);
    let chans: Vec<(Sender<u8>, Receiver<u8>)> = (0..4).map(|_| bounded(trials)).collect();
    for (k, (tx, _)) in chans.iter().enumerate() {
        for _ in 0..trials {
            tx.send(k as u8).unwrap();
        }
    }
    let mut counts = [0usize; 4];
    for _ in 0..trials {
        let mut sel = Select::new();
        for (_, rx) in &chans {
            sel.recv(rx);
        }
        let op = sel.select();
        let k = op.index();
        assert_eq!(op.recv(&chans[k].1).unwrap(), k as u8);
        counts[k] += 1;
    }
    let expected = trials as f64 / 4.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    assert!(
        chi2 <= 50.0,
        "unfair Select: counts {counts:?}, chi2 {chi2}"
    );
}

/// Go: `TestChanSendInterface`: sends of interface values (here trait
/// objects) in non-blocking selects on a full channel take `default`;
/// the unsent values are not even made, and nothing leaks or is dropped
/// twice (the `Arc` count is exact afterwards).
#[test]
fn test_chan_send_interface() {
    struct Mt;
    let m: Arc<dyn Any + Send + Sync> = Arc::new(Mt);
    let (tx, rx) = bounded::<Arc<dyn Any + Send + Sync>>(1);
    tx.send(Arc::clone(&m)).unwrap();
    select! {
        send(tx, Arc::clone(&m)) -> _res => panic!("sent to a full channel"),
        default => {}
    }
    select! {
        send(tx, Arc::clone(&m)) -> _res => panic!("sent to a full channel"),
        send(tx, Arc::new(Mt)) -> _res => panic!("sent to a full channel"),
        default => {}
    }
    assert_eq!(Arc::strong_count(&m), 2);
    assert!(rx.recv().unwrap().is::<Mt>());
    assert_eq!(Arc::strong_count(&m), 1);
}

/// Go: `TestPseudoRandomSend`: a select with two sends on one channel,
/// `1` and `0`, picks both often (each more than a tenth of 100 times:
/// a fair select fails with probability about 1e-17).
#[test]
fn test_pseudo_random_send() {
    within(HANG, || {
        let n = 100;
        for cap in [0, n] {
            let (tx, rx) = bounded::<usize>(cap);
            let receiver = thread::spawn(move || {
                (0..n)
                    .map(|_| {
                        thread::yield_now();
                        rx.recv().unwrap()
                    })
                    .collect::<Vec<_>>()
            });
            for _ in 0..n {
                select! {
                    send(tx, 1) -> res => res.unwrap(),
                    send(tx, 0) -> res => res.unwrap(),
                }
            }
            let l = receiver.join().unwrap();
            let n1: usize = l.iter().sum();
            let n0 = n - n1;
            assert!(
                n0 > n / 10 && n1 > n / 10,
                "want pseudorandom, got {n0} zeros and {n1} ones (chan cap {cap})"
            );
        }
    });
}

/// Go: `TestMultiConsumer`: 23 workers range over a work channel and
/// forward to a result channel; the feeder closes the work channel. Go
/// closes the result channel after a WaitGroup; here it closes by itself
/// when the last worker drops its sender. Every value arrives once. Go:
/// 271 828 values; here 100 000.
#[test]
fn test_multi_consumer() {
    within(HANG, || {
        let nwork = if cfg!(miri) { 3 } else { 23 };
        let niter = scaled(100_000, 100);
        const PN: [usize; 10] = [2, 3, 7, 11, 13, 17, 19, 23, 27, 31];

        let (q_tx, q) = bounded::<usize>(nwork * 3);
        let (r_tx, r) = bounded::<usize>(nwork * 3);
        let workers: Vec<_> = (0..nwork)
            .map(|w| {
                let (q, r_tx) = (q.clone(), r_tx.clone());
                thread::spawn(move || {
                    for v in &q {
                        // Mess with the FIFO-ish nature of the range.
                        if PN[w % PN.len()] == v {
                            thread::yield_now();
                        }
                        r_tx.send(v).unwrap();
                    }
                })
            })
            .collect();
        drop((q, r_tx));
        let feeder = thread::spawn(move || {
            let mut expect = 0;
            for i in 0..niter {
                let v = PN[i % PN.len()];
                expect += v;
                q_tx.send(v).unwrap();
            }
            assert!(q_tx.close()); // no more work
            expect
        });

        let (mut n, mut sum) = (0, 0);
        for v in &r {
            n += 1;
            sum += v;
        }
        let expect = feeder.join().unwrap();
        assert!(
            n == niter && sum == expect,
            "expected sum {expect} (got {sum}) from {niter} iter (saw {n})"
        );
        for w in workers {
            w.join().unwrap();
        }
    });
}

/// Recursion that uses about `depth` KiB of stack.
#[inline(never)]
fn stack_growth_recursive(depth: usize) -> u64 {
    let mut pad = [0u8; 1024];
    pad[depth % 1024] = depth as u8;
    let pad = black_box(pad);
    if depth == 0 {
        u64::from(pad[0])
    } else {
        stack_growth_recursive(depth - 1) + u64::from(pad[depth % 1024])
    }
}

/// Go: `TestShrinkStackDuringBlockedSend`, the channel half: a sender that
/// uses a lot of stack between sends, and blocks in each send of a large
/// message on an unbuffered channel (in a rendezvous the message may stay
/// on the blocked sender's stack until the receiver takes it), delivers
/// every message intact. Go's GC stack shrinking has no counterpart.
#[test]
fn test_shrink_stack_during_blocked_send_like() {
    within(HANG, || {
        let n = scaled(100, 10) as u64;
        let (tx, rx) = bounded::<[u64; 256]>(0);
        let sender = thread::spawn(move || {
            for i in 0..n {
                let msg = [i; 256];
                if i % 2 == 0 {
                    tx.send(msg).unwrap();
                } else {
                    select! {
                        send(tx, msg) -> res => res.unwrap(),
                    }
                }
                black_box(stack_growth_recursive(20));
            }
        });
        for i in 0..n {
            let x = rx.recv().unwrap();
            assert!(x.iter().all(|&v| v == i), "bad channel read: want {i}");
            black_box(stack_growth_recursive(20));
        }
        sender.join().unwrap();
    });
}

/// Go: `TestSelectDuplicateChannel`: a select may wait on the same
/// channel twice. A waits on `c`, `c` and `d`; B waits on `c`; waking A
/// through `d` must leave `c`'s waiter queue intact, so that a send on
/// `c` then reaches B. Go sleeps so that A and B queue in that order;
/// here the scenario repeats, the order left to chance.
#[test]
fn test_select_duplicate_channel() {
    within(HANG, || {
        for _ in 0..scaled(100, 3) {
            let (c_tx, c) = bounded::<i32>(0);
            let (d_tx, d) = bounded::<i32>(0);
            let (e_tx, e) = bounded::<i32>(0);
            let a = {
                let c = c.clone();
                thread::spawn(move || {
                    select! {
                        recv(c) -> _msg => panic!("A got c"),
                        recv(c) -> _msg => panic!("A got c"),
                        recv(d) -> msg => assert_eq!(msg.unwrap(), 7),
                    }
                    e_tx.send(9).unwrap();
                })
            };
            thread::yield_now();
            let b = thread::spawn(move || c.recv().unwrap());
            thread::yield_now();
            d_tx.send(7).unwrap(); // wake up A
            e.recv().unwrap(); // A is done
            c_tx.send(8).unwrap(); // wake up B
            assert_eq!(b.join().unwrap(), 8);
            a.join().unwrap();
        }
    });
}

/// Go: `TestSelectStackAdjust`, the channel half: two selects, one of
/// them listing `c` and `d` twice each (the other has never-ready cases
/// in their place), wait until `d` is closed, which wakes both through a
/// case on `d`. Go's GC moving the selects' stacks has no counterpart.
#[test]
fn test_select_stack_adjust_like() {
    within(HANG, || {
        let (_c_tx, c) = bounded::<i32>(0);
        let (d_tx, d) = bounded::<i32>(0);
        let waiter = |dup: bool| {
            let (c, d) = (c.clone(), d.clone());
            let (ready_tx, ready) = bounded::<bool>(0);
            let handle = thread::spawn(move || {
                ready_tx.send(true).unwrap();
                let (c2, d2) = if dup {
                    (c.clone(), d.clone())
                } else {
                    (never(), never())
                };
                select! {
                    recv(c) -> _msg => panic!("c fired"),
                    recv(c2) -> _msg => panic!("c2 fired"),
                    recv(d) -> msg => assert!(msg.is_err()),
                    recv(d2) -> msg => assert!(msg.is_err()),
                }
            });
            ready.recv().unwrap();
            handle
        };
        let w1 = waiter(false);
        let w2 = waiter(true);
        assert!(d_tx.close());
        w1.join().unwrap();
        w2.join().unwrap();
    });
}

/// Go: `chanbarrier_test.go`, `TestChanSendBarrier` and
/// `TestChanSendSelectBarrier`: many request/response round trips, each
/// on a fresh unbuffered channel, the response (a heap-allocated error
/// value) sent by a fresh thread plainly or in a select with a
/// never-ready `done` case. Go checks its GC write barriers; here every
/// response must arrive intact. Go: 100 × 100 000; here 4 × 1000.
fn chan_send_barrier(use_select: bool) {
    #[derive(Debug)]
    struct MyError;
    impl std::fmt::Display for MyError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("my error")
        }
    }
    impl std::error::Error for MyError {}
    struct Async {
        resp: Option<Box<u8>>,
        err: Box<dyn std::error::Error + Send>,
    }

    fn do_request(use_select: bool) -> Async {
        let (ch_tx, ch) = bounded::<Box<Async>>(0);
        let (done_tx, done) = bounded::<()>(0);
        let responder = thread::spawn(move || {
            let response = Box::new(Async {
                resp: None,
                err: Box::new(MyError),
            });
            if use_select {
                select! {
                    send(ch_tx, response) -> res => res.map_err(drop).unwrap(),
                    recv(done) -> _msg => panic!("done fired"),
                }
            } else {
                ch_tx.send(response).map_err(drop).unwrap();
            }
        });
        let r = ch.recv().unwrap();
        thread::yield_now();
        responder.join().unwrap();
        drop(done_tx);
        *r
    }

    within(HANG, move || {
        let inner = scaled(1000, 5);
        let outer = if cfg!(miri) { 2 } else { 4 };
        thread::scope(|s| {
            for _ in 0..outer {
                s.spawn(|| {
                    let mut garbage = Vec::new();
                    for _ in 0..inner {
                        let r = do_request(use_select);
                        assert!(r.resp.is_none());
                        assert!(r.err.to_string() == "my error");
                        garbage = vec![0u8; 1 << 10];
                    }
                    black_box(garbage);
                });
            }
        });
    });
}

/// Go: `TestChanSendBarrier` (see [`chan_send_barrier`]).
#[test]
fn test_chan_send_barrier() {
    chan_send_barrier(false);
}

/// Go: `TestChanSendSelectBarrier` (see [`chan_send_barrier`]).
#[test]
fn test_chan_send_select_barrier() {
    chan_send_barrier(true);
}

// ---------------------------------------------------------------------
// Timer channels and select timeouts (time/sleep_test.go). Lower bounds
// are exact (a timer never fires early); upper bounds are generous.
// ---------------------------------------------------------------------

/// Generous bound on how late a timer may fire on a loaded machine.
const LATE: Duration = Duration::from_secs(5);

/// Go: `TestAfter`: `after(d)` delivers no earlier than `d`, and its
/// instant is no earlier than start + `d`. Also (Go's `time.After`
/// channel is never closed) nothing follows: the channel stays open and
/// never ready again.
#[test]
fn test_after() {
    within(HANG, || {
        let delay = Duration::from_millis(100);
        let start = Instant::now();
        let timer = after(delay);
        let end = timer.recv().unwrap();
        let slept = start.elapsed();
        assert!(slept >= delay, "after({delay:?}) slept for only {slept:?}");
        assert!(
            end >= start + delay,
            "after({delay:?}) expect >= start + delay"
        );
        assert!(slept < delay + LATE, "after({delay:?}) took {slept:?}");
        assert!(matches!(timer.try_recv(), Err(TryRecvError::Empty)));
        assert!(matches!(
            timer.recv_timeout(Duration::from_millis(50)),
            Err(RecvTimeoutError::Timeout)
        ));
        assert!(!timer.is_closed());
    });
}

/// Go: `TestAfterTick`: ten `after(delta)` in a row take at least 9/10 of
/// ten deltas (Go's bound) and, generously, at most three times plus
/// [`LATE`].
#[test]
fn test_after_tick() {
    within(HANG, || {
        let count = if cfg!(miri) { 3 } else { 10 };
        let delta = Duration::from_millis(10);
        let t0 = Instant::now();
        for _ in 0..count {
            after(delta).recv().unwrap();
        }
        let d = t0.elapsed();
        let target = delta * count;
        assert!(
            d >= target * 9 / 10,
            "{count} ticks of {delta:?} too fast: {d:?}"
        );
        assert!(
            d <= target * 3 + LATE,
            "{count} ticks of {delta:?} too slow: {d:?}"
        );
    });
}

/// Go: `TestAfterQueuing`: timers started together fire in the order of
/// their delays, each within [target − delta/2, target + 10·delta]. Like
/// Go, up to five attempts with a growing delta, since a loaded machine
/// can delay a thread past a later timer.
#[test]
#[cfg_attr(miri, ignore)] // dozens of timed threads; Miri's clock adds nothing here
fn test_after_queuing() {
    const SLOTS: [u32; 13] = [5, 3, 6, 6, 6, 1, 1, 2, 7, 9, 4, 8, 0];

    fn attempt(delta: Duration) -> Result<(), String> {
        let (result_tx, result) = bounded::<(u32, Instant)>(SLOTS.len());
        let t0 = Instant::now();
        let waiters: Vec<_> = SLOTS
            .iter()
            .map(|&slot| {
                let (timer, result_tx) = (after(delta * slot), result_tx.clone());
                thread::spawn(move || result_tx.send((slot, timer.recv().unwrap())).unwrap())
            })
            .collect();
        let got: Vec<(u32, Instant)> = (0..SLOTS.len()).map(|_| result.recv().unwrap()).collect();
        for w in waiters {
            w.join().unwrap();
        }
        let order: Vec<u32> = got.iter().map(|&(slot, _)| slot).collect();
        if order.windows(2).any(|w| w[1] < w[0]) {
            return Err(format!("after() calls returned out of order: {order:?}"));
        }
        for &(slot, t) in &got {
            let dt = t - t0;
            let target = delta * slot;
            if dt + delta / 2 < target || dt > target + delta * 10 {
                return Err(format!("after({target:?}) arrived at {dt:?}"));
            }
        }
        Ok(())
    }

    within(HANG, || {
        let mut last = Ok(());
        for i in 0..5 {
            last = attempt(Duration::from_millis(20 + i * 50));
            if last.is_ok() {
                return;
            }
        }
        panic!("{}", last.unwrap_err());
    });
}

/// Select timeouts (the Go idiom `case <-time.After(d)`, and this API's
/// own timed forms): each waits at least its timeout when nothing is
/// ready, returns a ready message instead of timing out, and a timed-out
/// send hands its message back.
#[test]
fn test_select_timeouts() {
    within(HANG, || {
        let d = Duration::from_millis(50);
        let (tx, rx) = bounded::<i32>(1);
        let nil = never::<i32>();

        let start = Instant::now();
        let fired = select! {
            recv(rx) -> _msg => panic!("empty channel fired"),
            recv(nil) -> _msg => panic!("nil channel fired"),
            recv(after(d)) -> t => t.unwrap(),
        };
        assert!(fired >= start + d && start.elapsed() >= d);

        let start = Instant::now();
        select! {
            recv(rx) -> _msg => panic!("empty channel fired"),
            default(d) => {}
        }
        assert!(start.elapsed() >= d);

        let start = Instant::now();
        let mut sel = Select::new();
        sel.recv(&rx);
        sel.recv(&nil);
        assert!(sel.select_timeout(d).is_err());
        assert!(start.elapsed() >= d);

        let start = Instant::now();
        assert!(matches!(rx.recv_timeout(d), Err(RecvTimeoutError::Timeout)));
        assert!(start.elapsed() >= d);

        tx.send(1).unwrap(); // now full
        let start = Instant::now();
        assert!(matches!(
            tx.send_timeout(2, d),
            Err(SendTimeoutError::Timeout(2))
        ));
        assert!(start.elapsed() >= d);
        let start = Instant::now();
        select! {
            send(tx, 3) -> _res => panic!("full channel fired"),
            default(d) => {}
        }
        assert!(start.elapsed() >= d);

        // Ready beats the timeout, however long.
        select! {
            recv(rx) -> msg => assert_eq!(msg.unwrap(), 1),
            recv(after(HANG)) -> _t => panic!("timer beat a ready channel"),
        }
        let sender = {
            let tx = tx.clone();
            thread::spawn(move || tx.send(4).unwrap())
        };
        select! {
            recv(rx) -> msg => assert_eq!(msg.unwrap(), 4),
            default(HANG) => panic!("timed out with a sender on its way"),
        }
        sender.join().unwrap();
    });
}

/// Go: `time.Tick` in a receive loop (`TestTicker`'s basic check): ticks
/// come in increasing order, a period or more apart on average.
#[test]
fn test_tick() {
    within(HANG, || {
        let period = Duration::from_millis(10);
        let count = if cfg!(miri) { 3 } else { 10 };
        let start = Instant::now();
        let ticker = tick(period);
        let mut last = start;
        for _ in 0..count {
            let t = ticker.recv().unwrap();
            assert!(t >= last, "ticks out of order");
            last = t;
        }
        let elapsed = start.elapsed();
        assert!(
            elapsed >= period * (count - 1),
            "{count} ticks of {period:?} too fast: {elapsed:?}"
        );
    });
}
