//! Ports of Go's channel programs in `test/chan/` (the compiler-and-runtime
//! test directory), one test (or a few) per file: `fifo.go`, `sieve1.go`,
//! `sieve2.go`, `nonblock.go`, `doubleselect.go`, `select.go` through
//! `select8.go`, `sendstmt.go`, `zerosize.go` and `goroutines.go`.
//!
//! Adapted: goroutines are std threads (counts scaled for a 2-core machine
//! and further under Miri); Go programs that never end their goroutines
//! here shut them down the Rust way (a send fails once the receiver is
//! dropped) and join every thread. A Go nil channel is `never()` for
//! receiving; the API has no nil `Sender`, so a never-ready send case is an
//! unbuffered channel whose receiver is kept alive and never used
//! ([`nil_sender`]). Both ends of every "dummy" channel stay alive: a Rust
//! channel whose other side is gone is closed, hence ready.
//!
//! Not ported: `perm.go` (compile-time channel-direction errors: `Sender`
//! and `Receiver` are separate types, so the type checker enforces them),
//! `powser1.go`/`powser2.go` (power-series arithmetic whose channel use,
//! demand-driven unbuffered pipelines, `sieve1.go` and `fifo.go` already
//! cover), `sieve.go` (a pre-Go-1 copy of `sieve1.go`).
#![cfg(not(gosync_loom))]

mod common;

use std::any::Any;
use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::fmt::Debug;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use common::{scaled, within, HANG};
use gosync_channel::{
    after, bounded, never, select, unbounded, Receiver, RecvTimeoutError, Select, Sender,
    TryRecvError,
};

/// A send case that is never ready (Go: a send on a nil channel): an
/// unbuffered channel nobody receives from. Keep the returned receiver
/// alive for as long as the sender is used.
fn nil_sender<T>() -> (Sender<T>, Receiver<T>) {
    bounded(0)
}

/// How long a check that something *blocks* waits before deciding it
/// does (Go's `select3.go` uses 0.1 s). A correct channel passes whatever
/// the scheduling; only a wrong one can fail, and then not always.
const BLOCK_CHECK: Duration = Duration::from_millis(100);

/// Go's `testBlock(always, f)` for an `f` that can be released: runs `f`
/// on a thread, checks it has not returned after [`BLOCK_CHECK`], then
/// calls `release` (which must make `f` return) and joins.
fn assert_blocks<R: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> R + Send + 'static,
    release: impl FnOnce(),
) -> R {
    let done = Arc::new(AtomicBool::new(false));
    let handle = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let r = f();
            done.store(true, Ordering::SeqCst);
            r
        })
    };
    thread::sleep(BLOCK_CHECK);
    assert!(!done.load(Ordering::SeqCst), "{what}: did not block");
    release();
    handle.join().unwrap()
}

// ---------------------------------------------------------------------
// fifo.go
// ---------------------------------------------------------------------

const FIFO_N: i32 = 10;

/// Go: `fifo.go`, `AsynchFifo`: a buffered channel delivers in order.
/// Also the unbounded flavor.
#[test]
fn fifo_asynch() {
    for (tx, rx) in [bounded(FIFO_N as usize), unbounded()] {
        for i in 0..FIFO_N {
            tx.send(i).unwrap();
        }
        for i in 0..FIFO_N {
            assert_eq!(rx.recv().unwrap(), i, "bad receive");
        }
    }
}

/// Go: `fifo.go`, `SynchFifo`: a daisy chain of threads, each allowed to
/// receive only after its predecessor did, reads an unbuffered channel in
/// sequence.
#[test]
fn fifo_synch() {
    within(HANG, || {
        let (ch_tx, ch_rx) = bounded::<i32>(0);
        let (start, mut input) = bounded::<i32>(0);
        let mut chain = Vec::new();
        for i in 0..FIFO_N {
            let (out, next_in) = bounded::<i32>(0);
            let ch = ch_rx.clone();
            chain.push(thread::spawn(move || {
                input.recv().unwrap();
                assert_eq!(ch.recv().unwrap(), i, "out of order");
                out.send(1).unwrap();
            }));
            input = next_in;
        }
        start.send(0).unwrap();
        for i in 0..FIFO_N {
            ch_tx.send(i).unwrap();
        }
        input.recv().unwrap();
        for t in chain {
            t.join().unwrap();
        }
    });
}

// ---------------------------------------------------------------------
// sieve1.go
// ---------------------------------------------------------------------

const PRIMES: [u64; 25] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97,
];

/// The primes a sieve test checks (fewer under Miri).
fn primes_to_check() -> &'static [u64] {
    if cfg!(miri) {
        &PRIMES[..6]
    } else {
        &PRIMES
    }
}

/// Go: `sieve1.go`, the daisy chain of filter threads over unbuffered
/// channels. Go's goroutines run forever; here the chain shuts down
/// backwards once the test drops `primes`: every send into a dropped
/// receiver fails, the failing thread returns and drops its own input.
#[test]
fn sieve1() {
    fn generate(ch: Sender<u64>) {
        for i in 2.. {
            if ch.send(i).is_err() {
                return;
            }
        }
    }
    fn filter(input: Receiver<u64>, out: Sender<u64>, prime: u64) {
        for i in &input {
            if i % prime != 0 && out.send(i).is_err() {
                return;
            }
        }
    }
    fn sieve(primes: Sender<u64>) {
        let (tx, mut ch) = bounded(0);
        let mut threads = vec![thread::spawn(move || generate(tx))];
        loop {
            let prime = ch.recv().expect("the generator never stops");
            if primes.send(prime).is_err() {
                break;
            }
            let (tx1, ch1) = bounded(0);
            let input = std::mem::replace(&mut ch, ch1);
            threads.push(thread::spawn(move || filter(input, tx1, prime)));
        }
        drop(ch);
        for t in threads {
            t.join().unwrap();
        }
    }

    within(HANG, || {
        let (tx, primes) = bounded(0);
        let sieve = thread::spawn(move || sieve(tx));
        for &want in primes_to_check() {
            assert_eq!(primes.recv().unwrap(), want);
        }
        drop(primes);
        sieve.join().unwrap();
    });
}

// ---------------------------------------------------------------------
// sieve2.go
// ---------------------------------------------------------------------

/// Every thread the sieve starts, so that the test can join them all.
#[derive(Clone, Default)]
struct Threads(Arc<Mutex<Vec<JoinHandle<()>>>>);

impl Threads {
    fn spawn(&self, f: impl FnOnce() + Send + 'static) {
        let handle = thread::spawn(f);
        self.0.lock().unwrap().push(handle);
    }

    /// Joins every thread, including those started by threads being
    /// joined (a thread's handle is pushed before its spawner returns).
    fn join_all(&self) {
        loop {
            let next = self.0.lock().unwrap().pop();
            match next {
                Some(handle) => handle.join().unwrap(),
                None => return,
            }
        }
    }
}

/// Go: `sieve2.go`, the Eratosthenes sieve of merged multiples: buffered
/// channels, a heap of peeked channels, and a send proxy whose `select`
/// disables its send case (Go: a nil channel) while its buffer is empty.
/// Go's goroutines never end; here a failed send (receiver dropped) or a
/// closed input ends each of them, and the test joins them all.
#[test]
fn sieve2() {
    /// Odd numbers from 5.
    fn odds(threads: &Threads) -> Receiver<u64> {
        let (out, rx) = bounded(50);
        threads.spawn(move || {
            let mut n = 5;
            while out.send(n).is_ok() {
                n += 2;
            }
        });
        rx
    }

    /// Odd multiples of the prime `p`, from `p * p`.
    fn multiples(threads: &Threads, p: u64) -> Receiver<u64> {
        let (out, rx) = bounded(10);
        threads.spawn(move || {
            let mut n = p * p;
            while out.send(n).is_ok() {
                n += 2 * p;
            }
        });
        rx
    }

    /// A sender that never blocks its user: a thread buffers without
    /// bound what it cannot pass on to `out` yet.
    fn sendproxy(threads: &Threads, out: Sender<u64>) -> Sender<u64> {
        let (proxy, input) = bounded::<u64>(10);
        threads.spawn(move || {
            let (nil, _nil_rx) = nil_sender::<u64>();
            let mut buffer = VecDeque::new();
            loop {
                // Buffer empty: disable the output (Go: c = nil).
                let c = if buffer.is_empty() { &nil } else { &out };
                let e = buffer.front().copied().unwrap_or(0);
                select! {
                    recv(input) -> v => match v {
                        Ok(v) => buffer.push_back(v),
                        Err(_) => return, // the sieve is gone
                    },
                    send(c, e) -> res => {
                        if res.is_err() {
                            return; // the merger is gone
                        }
                        buffer.pop_front();
                    },
                }
            }
        });
        proxy
    }

    fn sieve(threads: &Threads) -> Receiver<u64> {
        // The output values.
        let (out, out_rx) = bounded(10);
        out.send(2).unwrap();
        out.send(3).unwrap();
        // The composites to eliminate, in increasing order.
        let (composites, composites_rx) = bounded::<u64>(50);
        // The feedback loop.
        let (primes_tx, primes) = bounded::<u64>(10);
        primes_tx.send(3).unwrap();

        // Merge the channels of multiples of `primes` into `composites`.
        let spawner = threads.clone();
        threads.spawn(move || {
            let mut chans: Vec<Receiver<u64>> = Vec::new();
            let mut heap: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
            /// Go: pop the channel with the least head, take its head,
            /// peek its next value, push it back.
            fn next_of(
                heap: &mut BinaryHeap<Reverse<(u64, usize)>>,
                chans: &[Receiver<u64>],
            ) -> Option<u64> {
                let Reverse((head, i)) = heap.pop().expect("heap empty");
                heap.push(Reverse((chans[i].recv().ok()?, i)));
                Some(head)
            }
            let mut min = 15;
            while let Ok(p) = primes.recv() {
                let m = multiples(&spawner, p);
                let Ok(head) = m.recv() else { return };
                while min < head {
                    if composites.send(min).is_err() {
                        return;
                    }
                    let Some(m) = next_of(&mut heap, &chans) else {
                        return;
                    };
                    min = m;
                }
                while min == head {
                    let Some(m) = next_of(&mut heap, &chans) else {
                        return;
                    };
                    min = m;
                }
                if composites.send(head).is_err() {
                    return;
                }
                let Ok(next) = m.recv() else { return };
                chans.push(m);
                heap.push(Reverse((next, chans.len() - 1)));
            }
        });

        // Sieve the composites out of the candidates.
        let spawner = threads.clone();
        threads.spawn(move || {
            // The merger receives primes far more slowly than they are
            // found: the proxy buffers them so that this thread never
            // blocks on the feedback loop.
            let primes = sendproxy(&spawner, primes_tx);
            let candidates = odds(&spawner);
            let Ok(mut p) = candidates.recv() else { return };
            while let Ok(c) = composites_rx.recv() {
                while p < c {
                    if primes.send(p).is_err() || out.send(p).is_err() {
                        return;
                    }
                    let Ok(next) = candidates.recv() else { return };
                    p = next;
                }
                if p == c {
                    let Ok(next) = candidates.recv() else { return };
                    p = next;
                }
            }
        });
        out_rx
    }

    within(HANG, || {
        let threads = Threads::default();
        let primes = sieve(&threads);
        for &want in primes_to_check() {
            assert_eq!(primes.recv().unwrap(), want);
        }
        drop(primes);
        threads.join_all();
    });
}

// ---------------------------------------------------------------------
// nonblock.go
// ---------------------------------------------------------------------

/// One round of Go's `nonblock.go` for one element type: a non-blocking
/// receive from an empty channel takes `default`; non-blocking sends,
/// retried, reach a receiver thread; non-blocking receives, retried, get
/// a sender thread's message. Go sleeps between retries; here a retry
/// yields, and `within` bounds the whole.
fn nonblock_round<T>(buffer: usize, to_receiver: T, from_sender: T)
where
    T: Clone + PartialEq + Debug + Send + 'static,
{
    let (tx, rx) = bounded::<T>(buffer);
    let (strobe_tx, strobe) = bounded::<bool>(0);

    select! {
        recv(rx) -> msg => panic!("blocked sender: received {msg:?}"),
        default => {}
    }

    let receiver = {
        let (rx, strobe_tx, want) = (rx.clone(), strobe_tx.clone(), to_receiver.clone());
        thread::spawn(move || {
            assert_eq!(rx.recv().unwrap(), want, "receiver's value");
            strobe_tx.send(true).unwrap();
        })
    };
    loop {
        select! {
            send(tx, to_receiver.clone()) -> res => {
                res.unwrap();
                break;
            },
            default => thread::yield_now(),
        }
    }
    strobe.recv().unwrap();
    receiver.join().unwrap();

    let sender = {
        let (tx, value) = (tx.clone(), from_sender.clone());
        thread::spawn(move || {
            tx.send(value).unwrap();
            strobe_tx.send(true).unwrap();
        })
    };
    if buffer > 0 {
        strobe.recv().unwrap();
    }
    let got = loop {
        select! {
            recv(rx) -> msg => break msg.unwrap(),
            default => thread::yield_now(),
        }
    };
    assert_eq!(got, from_sender, "sender's value (buffer {buffer})");
    if buffer == 0 {
        strobe.recv().unwrap();
    }
    sender.join().unwrap();
}

/// Go: `nonblock.go`, for `int32`, `int64`, `bool` and `string` messages
/// over unbuffered and 1-buffered channels.
#[test]
fn nonblock() {
    within(HANG, || {
        for buffer in 0..2 {
            nonblock_round::<i32>(buffer, 123, 234);
            nonblock_round::<i64>(buffer, 123_456, 234_567);
            nonblock_round::<bool>(buffer, true, true);
            nonblock_round::<String>(buffer, "hello".into(), "hello again".into());
        }
    });
}

// ---------------------------------------------------------------------
// doubleselect.go
// ---------------------------------------------------------------------

/// Go: `doubleselect.go`: a select over four unbuffered send cases must
/// run exactly one of them. Four forwarding threads merge what they get
/// into one channel; a duplicate (two cases ran) or a missing value (none
/// ran) fails. Go: 100 000 iterations; here 20 000.
#[test]
fn doubleselect() {
    within(HANG, || {
        let n = scaled(20_000, 30);
        let chans: Vec<(Sender<usize>, Receiver<usize>)> = (0..4).map(|_| bounded(0)).collect();
        let (cmux_tx, cmux) = bounded::<usize>(0);
        let (done_tx, done) = bounded::<bool>(0);

        let senders: Vec<Sender<usize>> = chans.iter().map(|(tx, _)| tx.clone()).collect();
        let sender = thread::spawn(move || {
            let [c1, c2, c3, c4] = &senders[..] else {
                unreachable!()
            };
            for i in 0..n {
                select! {
                    send(c1, i) -> res => res.unwrap(),
                    send(c2, i) -> res => res.unwrap(),
                    send(c3, i) -> res => res.unwrap(),
                    send(c4, i) -> res => res.unwrap(),
                }
            }
            for c in &senders {
                assert!(c.close());
            }
        });
        let muxes: Vec<_> = chans
            .into_iter()
            .map(|(_, input)| {
                let (out, done) = (cmux_tx.clone(), done_tx.clone());
                thread::spawn(move || {
                    for v in &input {
                        out.send(v).unwrap();
                    }
                    done.send(true).unwrap();
                })
            })
            .collect();
        let closer = thread::spawn(move || {
            for _ in 0..4 {
                done.recv().unwrap();
            }
            assert!(cmux_tx.close());
        });
        drop(done_tx);

        let mut seen = vec![false; n];
        for v in &cmux {
            assert!(!seen[v], "got duplicate value: {v}");
            seen[v] = true;
        }
        assert!(seen.iter().all(|&s| s), "a value was never sent");
        sender.join().unwrap();
        for m in muxes {
            m.join().unwrap();
        }
        closer.join().unwrap();
    });
}

// ---------------------------------------------------------------------
// select.go
// ---------------------------------------------------------------------

/// Go: `select.go`: a loop of non-blocking two-case sends, each case
/// disabled (Go: set to nil) once it fired, sends exactly once per
/// channel and then takes `default`.
///
/// Adapted: Go evaluates every send expression on entry to the select,
/// so Go counts 10 calls of `GetValue`; here a send expression is
/// evaluated only for the case that fires (the API's rule), so the count
/// is 3, one per message actually sent.
#[test]
fn select_send_each_once() {
    let counter = Cell::new(0u32);
    let shift = Cell::new(0u32);
    let get_value = || {
        counter.set(counter.get() + 1);
        1u32 << shift.get()
    };
    let (nil, _nil_rx) = nil_sender::<u32>();
    let send = |a: Option<&Sender<u32>>, b: Option<&Sender<u32>>| {
        let (mut a, mut b) = (a.unwrap_or(&nil), b.unwrap_or(&nil));
        let mut sent = 0;
        loop {
            let fired = select! {
                send(a, get_value()) -> res => {
                    res.unwrap();
                    'a'
                },
                send(b, get_value()) -> res => {
                    res.unwrap();
                    'b'
                },
                default => break,
            };
            sent += 1;
            if fired == 'a' {
                a = &nil;
            } else {
                b = &nil;
            }
            shift.set(shift.get() + 1);
        }
        sent
    };

    let (a, a_rx) = bounded::<u32>(1);
    let (b, b_rx) = bounded::<u32>(1);
    assert_eq!(send(Some(&a), Some(&b)), 2);
    let (av, bv) = (a_rx.recv().unwrap(), b_rx.recv().unwrap());
    assert_eq!(av | bv, 3, "bad values {av} {bv}");
    assert_eq!(send(Some(&a), None), 1);
    assert_eq!(
        counter.get(),
        3,
        "send expressions evaluated for unfired cases"
    );
}

// ---------------------------------------------------------------------
// select2.go
// ---------------------------------------------------------------------

/// Go: `select2.go`: 100 000 two-case selects (one case never ready) on
/// an unbuffered channel, twice. Go then checks the heap did not grow;
/// there is no GC heap to measure here, so the Rust counterpart of that
/// check is Miri's leak detector when this test runs under Miri (scaled).
#[test]
fn select2_many_selects() {
    within(HANG, || {
        let n = scaled(100_000, 50);
        let (c_tx, c) = bounded::<i32>(0);
        let (_dummy_tx, dummy) = bounded::<i32>(0);
        for _ in 0..2 {
            let tx = c_tx.clone();
            let sender = thread::spawn(move || {
                for _ in 0..n {
                    tx.send(1).unwrap();
                }
            });
            for _ in 0..n {
                select! {
                    recv(c) -> msg => assert_eq!(msg.unwrap(), 1),
                    recv(dummy) -> _msg => panic!("dummy"),
                }
            }
            sender.join().unwrap();
        }
    });
}

// ---------------------------------------------------------------------
// select3.go: blocking and non-blocking, per operation and per select
// ---------------------------------------------------------------------

/// Go: `select3.go`, nil channels: a receive from a nil channel blocks
/// (here `never()`, timed, and blocking on a thread that is left blocked:
/// a nil channel can never be released); in a select, a nil case is never
/// chosen. Go's send on a nil channel has no counterpart (no nil
/// `Sender`); the never-ready send case is [`nil_sender`].
#[test]
fn select3_nil_channels() {
    within(HANG, || {
        let nil = never::<i32>();
        let start = Instant::now();
        assert!(matches!(
            nil.recv_timeout(BLOCK_CHECK),
            Err(RecvTimeoutError::Timeout)
        ));
        assert!(start.elapsed() >= BLOCK_CHECK);
        assert!(matches!(nil.try_recv(), Err(TryRecvError::Empty)));

        let (nil_tx, _nil_rx) = nil_sender::<i32>();
        select! {
            send(nil_tx, 7) -> _res => panic!("nil send fired"),
            default => {}
        }
        select! {
            recv(nil) -> _msg => panic!("nil receive fired"),
            default => {}
        }
        // Selects with only nil channels block.
        let start = Instant::now();
        select! {
            recv(nil) -> _msg => panic!("nil receive fired"),
            default(BLOCK_CHECK) => {}
        }
        select! {
            send(nil_tx, 7) -> _res => panic!("nil send fired"),
            default(BLOCK_CHECK) => {}
        }
        select! {
            recv(nil) -> _msg => panic!("nil receive fired"),
            send(nil_tx, 7) -> _res => panic!("nil send fired"),
            default(BLOCK_CHECK) => {}
        }
        assert!(start.elapsed() >= 3 * BLOCK_CHECK);
    });
}

/// Go: `select3.go`, `testBlock(always, func() { <-nilch })`, the
/// untimed form: the thread stays blocked for good (nothing can release a
/// nil channel). Not under Miri, which rejects threads still running when
/// the test ends.
#[test]
#[cfg_attr(miri, ignore)]
fn select3_nil_receive_blocks_forever() {
    let done = Arc::new(AtomicBool::new(false));
    {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let _ = never::<i32>().recv();
            done.store(true, Ordering::SeqCst);
        });
    }
    thread::sleep(BLOCK_CHECK);
    assert!(
        !done.load(Ordering::SeqCst),
        "receive from never() returned"
    );
}

/// Go: `select3.go`, what never blocks: a send to a buffered channel with
/// room, receives from a closed channel (ten times, both forms), selects
/// with `default`, selects with a ready case. Each runs inline: it would
/// hang the test (caught by `within`) if it blocked.
#[test]
fn select3_never_blocks() {
    within(HANG, || {
        let (closed_tx, closed) = bounded::<i32>(0);
        assert!(closed_tx.close());

        let (tx, _rx) = bounded::<i32>(1);
        tx.send(7).unwrap();

        for _ in 0..10 {
            assert!(closed.recv().is_err(), "expected closed");
            assert!(matches!(
                closed.recv_timeout(HANG),
                Err(RecvTimeoutError::Closed)
            ));
        }

        select! {
            default => {}
        }

        let (tx, rx) = bounded::<i32>(1);
        select! {
            send(tx, 7) -> res => res.unwrap(),
            default => panic!("unreachable"),
        }
        select! {
            recv(rx) -> msg => assert_eq!(msg.unwrap(), 7),
            default => panic!("unreachable"),
        }

        // Selects with closed channels behave like ordinary operations.
        select! {
            recv(closed) -> msg => assert!(msg.is_err()),
        }
        let x = select! {
            recv(closed) -> msg => msg,
        };
        assert!(x.is_err());
    });
}

/// Go: `select3.go`, `testPanic(always, ...)`: sending to a closed
/// channel panics in Go, directly or in a select. Here the send fails and
/// hands the message back.
#[test]
fn select3_send_to_closed_fails() {
    let (tx, rx) = bounded::<i32>(0);
    assert!(rx.close());
    assert_eq!(tx.send(7).unwrap_err().into_inner(), 7);
    let res = select! {
        send(tx, 7) -> res => res,
    };
    assert_eq!(res.unwrap_err().into_inner(), 7);
}

/// Go: `select3.go`, what always blocks and can be released: a receive
/// from a non-ready channel, a select on a non-ready channel, an empty
/// select (here the dynamic `Select` with no cases, timed), and a select
/// that sends and receives on the same unbuffered channel (it must not
/// pair with itself).
#[test]
fn select3_always_blocks() {
    within(HANG, || {
        let (tx, rx) = bounded::<i32>(0);
        let got = assert_blocks(
            "receive from a non-ready channel",
            {
                let rx = rx.clone();
                move || rx.recv()
            },
            || tx.send(1).unwrap(),
        );
        assert_eq!(got.unwrap(), 1);

        let got = assert_blocks(
            "select on a non-ready channel",
            {
                let rx = rx.clone();
                move || {
                    select! {
                        recv(rx) -> msg => msg,
                    }
                }
            },
            || tx.send(2).unwrap(),
        );
        assert_eq!(got.unwrap(), 2);

        let start = Instant::now();
        assert!(Select::new().select_timeout(BLOCK_CHECK).is_err());
        assert!(start.elapsed() >= BLOCK_CHECK, "empty select did not block");

        // The select sees itself on both sides: it must block...
        let start = Instant::now();
        select! {
            send(tx, 1) -> _res => panic!("select paired with itself"),
            recv(rx) -> _msg => panic!("select paired with itself"),
            default(BLOCK_CHECK) => {}
        }
        assert!(start.elapsed() >= BLOCK_CHECK);
        // ...until the channel is closed, which makes both cases ready.
        let outcome = assert_blocks(
            "select that sees itself",
            {
                let (tx, rx) = (tx.clone(), rx.clone());
                move || {
                    select! {
                        send(tx, 1) -> res => res.is_err(),
                        recv(rx) -> msg => msg.is_err(),
                    }
                }
            },
            || assert!(tx.close()),
        );
        assert!(outcome, "a case fired with success on a closed channel");
    });
}

// ---------------------------------------------------------------------
// select4.go
// ---------------------------------------------------------------------

/// Go: `select4.go`: only the chosen case's body runs (Go: the receive
/// target of an unchosen case is not even evaluated).
#[test]
fn select4_only_chosen_case_runs() {
    struct X {
        a: i32,
    }
    let mut x = X { a: 0 };
    let (c_tx, c) = bounded::<i32>(1);
    let (_c1_tx, c1) = bounded::<i32>(0);
    c_tx.send(42).unwrap();
    select! {
        recv(c1) -> _msg => panic!("BUG: called f"),
        recv(c) -> msg => x.a = msg.unwrap(),
    }
    assert_eq!(x.a, 42);
}

// ---------------------------------------------------------------------
// select5.go: every combination of simple selects
// ---------------------------------------------------------------------

/// The never-ready cases Go's `select5.go` adds around the real one.
struct Dummies {
    dummy_tx: Sender<i32>,
    dummy_rx: Receiver<i32>,
    nil_tx: Sender<i32>,
    _nil_rx: Receiver<i32>,
    nil_rx: Receiver<i32>,
}

impl Dummies {
    fn new() -> Self {
        let (dummy_tx, dummy_rx) = bounded(0);
        let (nil_tx, _nil_rx) = nil_sender();
        Self {
            dummy_tx,
            dummy_rx,
            nil_tx,
            _nil_rx,
            nil_rx: never(),
        }
    }

    /// Adds the dummies that `mask` selects (bit 0: dummy send, 1: dummy
    /// receive, 2: nil send, 3: nil receive); returns their indices.
    fn add<'a>(&'a self, sel: &mut Select<'a>, mask: u32) -> Vec<usize> {
        let mut added = Vec::new();
        if mask & 1 != 0 {
            added.push(sel.send(&self.dummy_tx));
        }
        if mask & 2 != 0 {
            added.push(sel.recv(&self.dummy_rx));
        }
        if mask & 4 != 0 {
            added.push(sel.send(&self.nil_tx));
        }
        if mask & 8 != 0 {
            added.push(sel.recv(&self.nil_rx));
        }
        added
    }
}

/// How a dynamic select waits.
#[derive(Debug, Clone, Copy)]
enum Mode {
    Block,
    Try,
    Timeout,
}

/// Go: `select5.go`, the `recv` and `send` templates, enumerated at run
/// time with the dynamic `Select` (Go generates source): one real case on
/// a 1-buffered channel that is ready, before or after any subset of the
/// never-ready dummy and nil cases, blocking, non-blocking or timed. The
/// real case must be chosen and carry the value.
#[test]
fn select5_every_combination_dynamic() {
    within(HANG, || {
        let d = Dummies::new();
        let (c_tx, c_rx) = bounded::<i32>(1);
        let mut n = 1;
        for mask in 0..16 {
            for real_first in [true, false] {
                for mode in [Mode::Block, Mode::Try, Mode::Timeout] {
                    let what = format!("mask {mask:04b}, real first {real_first}, {mode:?}");
                    for sending in [false, true] {
                        if !sending {
                            c_tx.send(n).unwrap();
                        }
                        let mut sel = Select::new();
                        let mut dummies = Vec::new();
                        if !real_first {
                            dummies = d.add(&mut sel, mask);
                        }
                        let real = if sending {
                            sel.send(&c_tx)
                        } else {
                            sel.recv(&c_rx)
                        };
                        if real_first {
                            dummies = d.add(&mut sel, mask);
                        }
                        let op = match mode {
                            Mode::Block => sel.select(),
                            Mode::Try => sel.try_select().expect("nonblock"),
                            Mode::Timeout => sel.select_timeout(HANG).expect("timed out"),
                        };
                        assert!(!dummies.contains(&op.index()), "{what}: dummy fired");
                        assert_eq!(op.index(), real, "{what}");
                        let x = if sending {
                            op.send(&c_tx, n).unwrap();
                            c_rx.recv().unwrap()
                        } else {
                            op.recv(&c_rx).unwrap()
                        };
                        assert_eq!(x, n, "{what}, sending {sending}");
                        n += 1;
                    }
                }
            }
        }
    });
}

/// Go: `select5.go`, the `nonblock` template: every non-empty set of
/// never-ready dummy and nil cases, with `default` (here `try_select`,
/// `select_timeout(0)` and `select!` with `default`): the default is
/// taken and nothing is received.
#[test]
fn select5_nonblock_every_combination() {
    let d = Dummies::new();
    for mask in 1..16 {
        let mut sel = Select::new();
        d.add(&mut sel, mask);
        assert!(sel.try_select().is_err(), "mask {mask:04b}: a dummy fired");
        assert!(
            sel.select_timeout(Duration::ZERO).is_err(),
            "mask {mask:04b}: a dummy fired"
        );
    }
    let mut x = 7;
    select! {
        send(d.dummy_tx, 1) -> _res => panic!("dummy <- 1"),
        send(d.nil_tx, 1) -> _res => panic!("nilch <- 1"),
        recv(d.dummy_rx) -> msg => x = msg.unwrap(), // "<-dummy x"
        recv(d.nil_rx) -> msg => x = msg.unwrap(),   // "<-nilch x"
        default => {}
    }
    assert_eq!(x, 7);
}

/// Go: `select5.go`'s receive targets (direct, indirect, `:=`, interface,
/// map entry), as `select!` case bodies storing the message in each kind
/// of place, with channel operands named by different expressions
/// (variable, reference, field, index, call), with and without
/// `default` and never-ready cases.
#[test]
fn select5_receive_targets_and_operand_forms() {
    struct Holder {
        rx: Receiver<i32>,
    }
    let d = Dummies::new();
    let (c_tx, c_rx) = bounded::<i32>(1);
    let holder = Holder { rx: c_rx.clone() };
    let array = [never::<i32>(), c_rx.clone()];
    let get = || &c_rx;
    let mut n = 1;

    // Direct assignment, operand a variable.
    let mut x: i32;
    c_tx.send(n).unwrap();
    select! {
        recv(c_rx) -> msg => x = msg.unwrap(),
    }
    assert_eq!(x, n);
    n += 1;

    // Through a `&mut`, operand a reference, with default.
    c_tx.send(n).unwrap();
    let target = &mut x;
    select! {
        recv(&c_rx) -> msg => *target = msg.unwrap(),
        default => panic!("nonblock"),
    }
    assert_eq!(x, n);
    n += 1;

    // A fresh binding, operand a field, with dummy cases.
    c_tx.send(n).unwrap();
    select! {
        recv(d.dummy_rx) -> _msg => panic!("dummy receive"),
        recv(holder.rx) -> msg => {
            let y = msg.unwrap();
            x = y;
        },
        send(d.dummy_tx, 1) -> _res => panic!("dummy send"),
    }
    assert_eq!(x, n);
    n += 1;

    // An "interface" (a trait object), operand an index, with nil cases.
    c_tx.send(n).unwrap();
    let i: Box<dyn Any>;
    select! {
        send(d.nil_tx, 1) -> _res => panic!("nilch send"),
        recv(array[1]) -> msg => i = Box::new(msg.unwrap()),
        recv(d.nil_rx) -> _msg => panic!("nilch recv"),
        default => panic!("nonblock"),
    }
    assert_eq!(*i.downcast::<i32>().unwrap(), n);
    n += 1;

    // A map entry, operand a call.
    c_tx.send(n).unwrap();
    let mut m = HashMap::new();
    select! {
        recv(array[0]) -> _msg => panic!("nilch recv"),
        recv(get()) -> msg => {
            m.insert(13, msg.unwrap());
        },
    }
    assert_eq!(m[&13], n);
    n += 1;

    // The send template: operand an expression, value an expression.
    select! {
        send(if n > 0 { &c_tx } else { &d.dummy_tx }, std::convert::identity(n)) -> res => res.unwrap(),
        recv(d.dummy_rx) -> _msg => panic!("dummy receive"),
    }
    assert_eq!(c_rx.recv().unwrap(), n);
}

/// Go: `select5.go`, the `recvOrder` and `sendOrder` templates: the
/// channel operands are evaluated exactly once, in source order, on
/// entry; a send's value expression is evaluated exactly once if its case
/// fires (Go evaluates every one on entry; here, by the API's rule, only
/// the chosen case's).
#[test]
fn select5_operand_evaluation_order() {
    let order = Cell::new(0);
    let check = |o: i32| {
        assert!(o > order.get(), "invalid order {o} after {}", order.get());
        order.set(o);
    };
    let fc = |c: &Receiver<i32>, o| -> Receiver<i32> {
        check(o);
        c.clone()
    };
    let fs = |c: &Sender<i32>, o| -> Sender<i32> {
        check(o);
        c.clone()
    };
    let fired_values = Cell::new(0);
    let fn_ = |n: i32, o: i32| {
        fired_values.set(fired_values.get() + 1);
        let _ = o;
        n
    };
    let d = Dummies::new();
    let (c_tx, c_rx) = bounded::<i32>(1);

    // recvOrder.
    c_tx.send(5).unwrap();
    order.set(0);
    let x = select! {
        recv(fc(&c_rx, 1)) -> msg => msg.unwrap(),
        send(fs(&d.dummy_tx, 2), fn_(1, 3)) -> _res => panic!("dummy send"),
        recv(fc(&d.dummy_rx, 4)) -> _msg => panic!("dummy receive"),
        send(fs(&d.nil_tx, 5), fn_(1, 6)) -> _res => panic!("nilch send"),
        recv(fc(&d.nil_rx, 7)) -> _msg => panic!("nilch recv"),
    };
    assert_eq!(x, 5);
    assert_eq!(order.get(), 7, "an operand was not evaluated");
    assert_eq!(fired_values.get(), 0, "an unfired send value was evaluated");

    // sendOrder.
    order.set(0);
    select! {
        send(fs(&c_tx, 1), fn_(6, 2)) -> res => res.unwrap(),
        send(fs(&d.dummy_tx, 3), fn_(1, 4)) -> _res => panic!("dummy send"),
        recv(fc(&d.dummy_rx, 5)) -> _msg => panic!("dummy receive"),
        send(fs(&d.nil_tx, 6), fn_(1, 7)) -> _res => panic!("nilch send"),
        recv(fc(&d.nil_rx, 8)) -> _msg => panic!("nilch recv"),
    }
    assert_eq!(order.get(), 8, "an operand was not evaluated");
    assert_eq!(
        fired_values.get(),
        1,
        "the sent value evaluated other than once"
    );
    assert_eq!(c_rx.recv().unwrap(), 6);
}

// ---------------------------------------------------------------------
// select6.go, select7.go, select8.go
// ---------------------------------------------------------------------

/// Go: `select6.go` (issue 2075): a select that lost on `c1` must leave
/// `c1`'s queue of waiters intact, so that later waiters on `c1` are
/// still woken.
#[test]
fn select6_failed_case_keeps_queue_intact() {
    within(HANG, || {
        let (c1_tx, c1) = bounded::<bool>(0);
        let (c2_tx, c2) = bounded::<bool>(0);
        let (c3_tx, c3) = bounded::<bool>(0);
        let first = {
            let c1 = c1.clone();
            thread::spawn(move || c1.recv().unwrap())
        };
        let second = thread::spawn(move || {
            select! {
                recv(c1) -> _msg => panic!("dummy"),
                recv(c2) -> msg => {
                    msg.unwrap();
                    c3_tx.send(true).unwrap();
                },
            }
            c1.recv().unwrap()
        });
        let third = thread::spawn(move || c2_tx.send(true).unwrap());
        c3.recv().unwrap();
        c1_tx.send(true).unwrap();
        c1_tx.send(true).unwrap();
        assert!(first.join().unwrap());
        assert!(second.join().unwrap());
        third.join().unwrap();
    });
}

/// Go: `select7.go`: a value discarded by the receiver, for every pair of
/// receive form (plain, one-case select, two-case select) and send form
/// (the same three) on an unbuffered channel.
#[test]
fn select7_every_send_and_receive_form() {
    fn recv1(c: Receiver<i32>) {
        let _ = c.recv().unwrap();
    }
    fn recv2(c: Receiver<i32>) {
        select! {
            recv(c) -> msg => {
                msg.unwrap();
            },
        }
    }
    fn recv3(c: Receiver<i32>) {
        let (_c2_tx, c2) = bounded::<i32>(0);
        select! {
            recv(c) -> msg => {
                msg.unwrap();
            },
            recv(c2) -> _msg => panic!("c2 fired"),
        }
    }
    fn send_with(form: usize, receive: fn(Receiver<i32>)) {
        let (c, rx) = bounded::<i32>(0);
        let receiver = thread::spawn(move || receive(rx));
        thread::yield_now();
        match form {
            1 => c.send(1).unwrap(),
            2 => select! {
                send(c, 1) -> res => res.unwrap(),
            },
            _ => {
                let (c2, _c2_rx) = bounded::<i32>(0);
                select! {
                    send(c, 1) -> res => res.unwrap(),
                    send(c2, 1) -> _res => panic!("c2 fired"),
                }
            }
        }
        receiver.join().unwrap();
    }
    within(HANG, || {
        for receive in [recv1 as fn(Receiver<i32>), recv2, recv3] {
            for form in 1..=3 {
                send_with(form, receive);
            }
        }
    });
}

/// Go: `select8.go`: `break` in a select case body, for one-, two- and
/// three-case selects. In Go `break` leaves the select; in Rust it acts
/// on the enclosing loop or labeled block (the API's rule), so each
/// select sits in one. Also `continue` and `return`, which Go's test does
/// not cover.
#[test]
#[allow(unreachable_code, clippy::never_loop)]
fn select8_break_continue_return() {
    within(HANG, || {
        let (tx, ch) = bounded::<i32>(0);
        let spinner = {
            let tx = tx.clone();
            thread::spawn(move || while tx.send(5).is_ok() {})
        };

        'one: {
            select! {
                recv(ch) -> msg => {
                    assert_eq!(msg.unwrap(), 5);
                    break 'one;
                },
            }
            panic!("unreachable");
        }

        loop {
            select! {
                default => break,
            }
            panic!("unreachable");
        }

        'two: {
            select! {
                recv(ch) -> _msg => break 'two,
                default => break 'two,
            }
            panic!("unreachable");
        }

        'three: {
            select! {
                recv(ch) -> _msg => break 'three,
                send(tx, 10) -> _res => panic!("unreachable"),
                default => break 'three,
            }
            panic!("unreachable");
        }

        // `continue` moves to the next iteration; `return` leaves the
        // enclosing function.
        let mut received = 0;
        for _ in 0..3 {
            select! {
                recv(ch) -> msg => {
                    assert_eq!(msg.unwrap(), 5);
                    received += 1;
                    continue;
                },
            }
            panic!("unreachable");
        }
        assert_eq!(received, 3);
        let first = || -> i32 {
            select! {
                recv(ch) -> msg => return msg.unwrap() + 1,
            }
            panic!("unreachable")
        };
        assert_eq!(first(), 6);

        drop(ch);
        spinner.join().unwrap();
    });
}

// ---------------------------------------------------------------------
// sendstmt.go, zerosize.go, goroutines.go
// ---------------------------------------------------------------------

/// Go: `sendstmt.go`: a send case whose channel is itself received from
/// a channel of channels (Go: `case <-cc <- 2`), and a send of an
/// operator expression (Go: `c <- false || true`).
#[test]
fn sendstmt() {
    let (cc_tx, cc) = bounded::<Sender<i32>>(1);
    let (c_tx, c) = bounded::<i32>(1);
    cc_tx.send(c_tx).unwrap();
    select! {
        send(cc.recv().unwrap(), 2) -> res => res.unwrap(),
        default => panic!("nonblock"),
    }
    assert_eq!(c.recv().unwrap(), 2, "bad receive");

    let (tx, rx) = bounded::<bool>(1);
    #[allow(clippy::nonminimal_bool, clippy::overly_complex_bool_expr)]
    tx.send(false || true).unwrap();
    assert!(rx.recv().unwrap(), "sent false");
}

/// Go: `zerosize.go`: channels of zero-sized types (`[0]byte` and
/// `struct{}`), unbuffered and buffered, can be made; here messages also
/// travel through each, directly and in a select.
#[test]
fn zerosize() {
    fn exercise<T: Default + Send + 'static>(tx: Sender<T>, rx: Receiver<T>) {
        let receiver = thread::spawn(move || rx.iter().count());
        for i in 0..10 {
            if i % 2 == 0 {
                tx.send(T::default()).unwrap();
            } else {
                select! {
                    send(tx, T::default()) -> res => res.unwrap(),
                }
            }
        }
        drop(tx);
        assert_eq!(receiver.join().unwrap(), 10);
    }
    within(HANG, || {
        for cap in [0, 1] {
            let (tx, rx) = bounded::<[u8; 0]>(cap);
            exercise(tx, rx);
            let (tx, rx) = bounded::<()>(cap);
            exercise(tx, rx);
        }
        let (tx, rx) = unbounded::<()>();
        exercise(tx, rx);
    });
}

/// Go: `goroutines.go`: a chain of threads, each forwarding one value
/// from its right neighbour to its left over unbuffered channels; one
/// value travels the whole chain, then every thread has ended. Go: 10 000
/// goroutines; here 500 threads with small stacks.
#[test]
fn goroutines_chain() {
    within(HANG, || {
        let n = scaled(500, 5);
        let (leftmost_tx, leftmost) = bounded::<i32>(0);
        let mut left = leftmost_tx;
        let mut threads = Vec::with_capacity(n);
        for _ in 0..n {
            let (right_tx, right) = bounded::<i32>(0);
            let l = std::mem::replace(&mut left, right_tx);
            threads.push(
                thread::Builder::new()
                    .stack_size(64 * 1024)
                    .spawn(move || l.send(right.recv().unwrap()).unwrap())
                    .unwrap(),
            );
        }
        let right = left;
        let last = thread::spawn(move || right.send(1).unwrap());
        assert_eq!(leftmost.recv().unwrap(), 1);
        last.join().unwrap();
        for t in threads {
            t.join().unwrap();
        }
    });
}

/// Go's test programs wait on `time.After` in a select; `after()` is
/// exercised by `go_runtime_chan.rs`. This one checks it composes with a
/// never-ready case the way `select3.go`'s timers do.
#[test]
fn select_with_after_and_nil() {
    within(HANG, || {
        let nil = never::<i32>();
        let start = Instant::now();
        select! {
            recv(nil) -> _msg => panic!("nil receive fired"),
            recv(after(BLOCK_CHECK)) -> t => assert!(t.unwrap() >= start + BLOCK_CHECK),
        }
        assert!(start.elapsed() >= BLOCK_CHECK);
    });
}
