//! # Performance
//!
//! Measured with `benches/report.sh` (criterion suite
//! `benches/benches/atomic_value.rs`, Go mirror
//! `benches/go/value_bench_test.go`) on a shared 2-vCPU x86_64 VM (AMD
//! EPYC, Linux 6.18, rustc 1.95, Go 1.27.3), every implementation side by
//! side in one run (2026-12-07, 23:14 UTC). Medians; ratios are what the
//! run supports, absolute times move by ±30 % between runs on this
//! machine. Parallel workloads use the machine's 2 cores; nothing here is
//! oversubscribed.
//!
//! ## Loads (time per load of one thread)
//!
//! | workload | gosync `load()` | gosync [`Reader`](crate::Reader) | arc-swap `load()` | arc-swap `Cache` | `RwLock<Arc>` read | Go `atomic.Value` | `AtomicPtr` floor |
//! |---|---|---|---|---|---|---|---|
//! | one thread | 4.77 ns | 0.88 ns | 6.36 ns | 0.89 ns | 6.05 ns | 2.65 ns | 0.48 ns |
//! | 2 threads, same value | 5.02 ns | 1.18 ns | 10.3 ns | 1.19 ns | 35.7 ns | 2.43 ns | 0.84 ns |
//! | 1 thread while another stores back to back | 14.6 ns | 4.35 ns | 145 ns | 10.5 ns | 36.6 ns | 13.9 ns | 1.58 ns |
//!
//! * `load()` against arc-swap's `load()`: 0.75×, 0.49× and 0.10×. Two
//!   threads load about as fast as one (1.05×): the loads share no written
//!   cache line. `RwLock` and `load_full`/`load_arc` (an `Arc` count per
//!   load) do not scale.
//! * `load()` against Go: 1.8× on one thread, 2.1× on two, 1.05× while a
//!   writer stores. Go's load is a plain pointer load because its garbage
//!   collector does the reclamation; ours publishes the pointer in a hazard
//!   slot, re-reads it and clears the slot afterwards (two stores, two
//!   loads and a few predictable branches more, see
//!   `benches/asm/atomic_value_load.s`).
//! * The cached `Reader` is 0.33×, 0.49× and 0.31× Go, level with
//!   arc-swap's `Cache` where the value stays the same (0.98×, 0.99×) and
//!   0.41× it while a writer stores (its refresh is a `load_arc`, one
//!   hazard-protected load and a count). Against the floor: 1.83×, 1.40×
//!   and 2.75×. Its check is five instructions
//!   (`benches/asm/atomic_value_reader_load.s`); the floor's loop is two
//!   loads, ours four and a compare.
//!
//! ## Writes (one thread, nobody loading)
//!
//! | workload | gosync | arc-swap | `RwLock<Arc>` write | Go |
//! |---|---|---|---|---|
//! | store | 25.8 ns | 76.0 ns | 16.8 ns | 33.9 ns |
//! | swap | 30.6 ns | 107 ns | 19.0 ns | 33.4 ns |
//! | compare-and-swap | 25.7 ns | 132 ns | 16.5 ns | 35.3 ns |
//!
//! A store takes the list's lock, moves the new value into a *husk* (the
//! allocation of a value an earlier pass freed, see
//! [`design`](super::design)), swaps it in and retires the old one, and
//! every batch pays a membarrier and a scan of the hazard slots (about 2 ns
//! per store). Before husks and the 2 ns barrier share, a store cost 1.83×
//! the `RwLock` write and 1.42× Go in the same kind of run; now 1.54× and
//! 0.76×. An uncontended `RwLock` write is still cheaper: three locked
//! instructions and a `malloc`/`free` pair that the allocator's per-thread
//! cache serves, against our lock, unlock and publishing swap plus the
//! amortised pass; it never has to find out whether a reader still holds
//! the old value. Go's store leaves the old value to the garbage
//! collector, whose cost is not in its row.
//!
//! ## Cache-line layout
//!
//! Two threads, each storing to and loading from its own `AtomicValue`, the
//! two adjacent in one array: the shipped (128-byte padded) layout takes
//! 31.1 ns per operation, the same code unpadded 53.9 ns (**1.73×**), the
//! same code padded to 128 bytes by `CachePadded` 39.3 ns (same run as
//! above). Each thread's hazard slots are on their own 128-byte block as
//! well.
//!
//! ## The batch limit
//!
//! Before the batch limit was derived from the measured barrier cost it was
//! a fixed 128 values; with a second thread running, a membarrier costs
//! about 25 µs on this VM, which made each store in the two-thread
//! false-sharing workload cost about 190 ns. Sizing the batch so the barrier
//! costs a store about 8 ns brought that to 48 ns; the share is now 2 ns
//! (the batch is capped at 4,096 values, so where a barrier costs 25 µs a
//! store pays about 6 ns).
