//! # Performance
//!
//! Measured with `benches/report.sh` (criterion suite
//! `benches/benches/atomic_value.rs`, Go mirror
//! `benches/go/value_bench_test.go`) on a shared 2-vCPU x86_64 VM (Intel
//! Xeon, Linux 6.18, rustc 1.95, Go 1.27.3), every implementation side by
//! side in one run. Medians; ratios are what the run supports, absolute
//! times move by ±30 % between runs on this machine. Parallel workloads use
//! the machine's 2 cores; nothing here is oversubscribed.
//!
//! ## Loads (time per load of one thread)
//!
//! | workload | gosync `load()` | arc-swap `load()` | `RwLock<Arc>` read | Go `atomic.Value` | `AtomicPtr` floor |
//! |---|---|---|---|---|---|
//! | one thread | 2.73 ns | 19.2 ns | 18.6 ns | 1.45 ns | 0.34 ns |
//! | 2 threads, same value | 2.30 ns | 17.8 ns | 120 ns | 1.65 ns | 0.40 ns |
//! | 1 thread while another stores back to back | 5.38 ns | 138 ns | 123 ns | 10.2 ns | 1.29 ns |
//!
//! * Against arc-swap's `load()`: 0.14×, 0.13× and 0.04×.
//! * Two threads load as fast as one (2.30 vs 2.73 ns per load): the loads
//!   share no written cache line. arc-swap's and Go's scale the same way;
//!   `RwLock` and `load_full`/`load_arc` (an `Arc` count per load) do not.
//! * Against Go: 1.9× on one thread, 1.4× on two, 0.53× while a writer
//!   stores. Go's load is a plain pointer load because its garbage collector
//!   does the reclamation; ours publishes the pointer in a hazard slot,
//!   re-reads it and clears the slot afterwards (two stores, two loads and a
//!   few predictable branches more, see `benches/asm/atomic_value_load.s`).
//!   The pure `AtomicPtr` floor (a load and a read, nothing freed, ever) is
//!   8× faster than us and 4× faster than Go; no reclaiming design reaches
//!   it.
//! * While a writer stores, every load misses on the value's line; the
//!   batching keeps membarrier interrupts rare, so we lose little more than
//!   that miss (Go pays its write barrier and GC there).
//!
//! ## Writes (one thread, nobody loading)
//!
//! | workload | gosync | arc-swap | `RwLock<Arc>` write | Go |
//! |---|---|---|---|---|
//! | store | 93.3 ns | 119 ns | 39.2 ns | 23.8 ns |
//! | swap | 98.4 ns | 99.7 ns | 38.1 ns | 24.9 ns |
//! | compare-and-swap | 86.3 ns | 175 ns | 37.4 ns | 27.1 ns |
//!
//! A write allocates the new `Arc`, swaps it in, retires the old one under
//! the `AtomicValue`'s mutex and, every batch, pays a membarrier and a scan
//! of the hazard slots. An uncontended `RwLock` write is cheaper (it never
//! has to find out whether a reader still holds the old value); Go's store
//! leaves the old value to the garbage collector, whose cost is not in its
//! row.
//!
//! ## Cache-line layout
//!
//! Two threads, each storing to and loading from its own `AtomicValue`, the
//! two adjacent in one array: the shipped (128-byte padded) layout takes
//! 48.4 ns per operation, the same code unpadded 75.9 ns (**1.57×**). Each
//! thread's hazard slots are on their own 128-byte block as well.
//!
//! ## The batch limit
//!
//! Before the batch limit was derived from the measured barrier cost it was
//! a fixed 128 values; with a second thread running, a membarrier costs
//! about 25 µs on this VM, which made each store in the two-thread
//! false-sharing workload cost about 190 ns. Sizing the batch so the barrier
//! costs a store about 8 ns brought that to 48 ns.
