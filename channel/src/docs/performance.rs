//! # Performance
//!
//! Measured by `benches/report.sh` (the channel suite is
//! `benches/benches/channel.rs`, Go's side `benches/go/chan_bench_test.go`)
//! on a shared 2-vCPU x86_64 VM, every implementation side by side in one
//! run; the full tables are in the workspace README and
//! `benches/RESULTS.md`. Medians, per message unless stated; "4T" rows are
//! oversubscribed (4 threads on 2 cores).
//!
//! | workload | gosync | best Rust peer | Go |
//! |---|---|---|---|
//! | `try_recv` on an empty channel, 2 threads (Go's `ChanNonblocking`) | 3.31 ns | kanal 12.3 ns | 3.14 ns |
//! | receive on a closed channel, 2 threads (`ChanClosed`) | 5.02 ns | kanal 12.1 ns | 5.30 ns |
//! | spsc, bounded(N) | 29.0 ns | std 35.3 ns | 86.8 ns |
//! | mpmc 2→2, bounded(N), 4T | 28.8 ns | kanal 38.2 ns | 97.0 ns |
//! | seq, bounded(N), 1 thread | 33.0 ns | kanal 26.9 ns | 60.5 ns |
//! | ProdCons10 (Go's, 4T) | 68.4 ns | crossbeam 141 ns | 193 ns |
//! | spsc, bounded(0) | 622 ns | kanal 479 ns | 275 ns |
//! | ping-pong, bounded(0), per round trip | 1.15 µs | kanal 417 ns | 528 ns |
//! | seq, unbounded | 71.0 ns | kanal 27.6 ns | (none) |
//!
//! The atomic floor of the ping-pong (two pinned threads bouncing one
//! `AtomicU64`) is 145 ns in the same run; crossbeam-channel, flume and
//! std's `mpsc` take 69–74 µs there (a parked thread's wake-up), where
//! this crate spins and yields before it parks.
//!
//! ## What the numbers come from
//!
//! * **Non-blocking paths take no lock and no fence.** `try_recv` on an
//!   empty bounded channel is three loads (`head`, the slot's stamp,
//!   `tail`); on an unbuffered channel it is one load of a state word kept
//!   next to the lock. crossbeam-channel runs a SeqCst fence there and its
//!   rendezvous takes its lock, hence 75 ns.
//! * **Padding.** `head`, `tail` and the two waker lists of a bounded
//!   channel each have a 128-byte block. SPSC over bounded(1024) with the
//!   same code unpadded is 3.87 × slower (131 ns against 33.9 ns).
//! * **Spin, yield, then park.** A blocked operation spins about a
//!   microsecond, then yields for up to 50 µs, then parks, and a waker
//!   unparks only a waiter that parked. This is why the blocking rows are
//!   in the hundreds of nanoseconds where the parking peers take tens of
//!   microseconds, and why `ChanPopular` (1000 blocked threads) costs more
//!   CPU than crossbeam-channel's (1.43 ×).
//! * **The rendezvous hand-off is the weak spot.** A hand-over takes the
//!   channel's mutex, claims the waiter's context with a compare-exchange
//!   (so that a waiter in a select is claimed by one channel only) and
//!   moves the message through a packet on the waiter's stack: four cache
//!   lines cross between the cores per hop, where the floor moves one.
//!   kanal, which has no select, skips the claim.
//! * **Unbounded** allocates one 31-slot block per 31 messages and frees it
//!   as it drains, so memory comes back after a burst; kanal keeps one
//!   growing `VecDeque` behind a spin lock and is faster in single-thread
//!   bursts.
