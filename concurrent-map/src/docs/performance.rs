//! # Performance
//!
//! Measured by `benches/report.sh` (the `concurrent_map` suite: all 24
//! workloads of Go's `src/sync/map_bench_test.go`, 2 threads, Go's
//! `RunParallel` ns/op) on a shared 2-vCPU x86_64 VM, rustc 1.95, Go 1.27;
//! medians of one run with every implementation side by side. The workspace
//! README has the full tables; the rows this design is for:
//!
//! | workload | gosync (SipHash) | gosync (foldhash) | papaya | dashmap | Go 1.27 |
//! |----------|------------------|-------------------|--------|---------|---------|
//! | `LoadMostlyHits` | 17.1 ns | 6.78 ns | 14.2 ns | 33.2 ns | 14.2 ns |
//! | `LoadMostlyMisses` | 11.6 ns | 4.51 ns | 14.8 ns | 28.8 ns | 6.06 ns |
//! | `SwapMostlyHits` | 138 ns | 139 ns | 664 ns | 65.2 ns | 136 ns |
//! | `CompareAndSwapMostlyHits` | 157 ns | 147 ns | 783 ns | 19.3 ns | 102 ns |
//! | `Range` (1,024 keys) | 3.11 µs | 3.01 µs | 1.27 µs | 10.2 µs | 3.67 µs |
//!
//! papaya, dashmap and the first gosync column hash with std's SipHash;
//! compare Go (AES hashing) with the foldhash column.
//!
//! ## Where the time goes
//!
//! * **A load that hits**: the hash, two hazard-slot protections (the
//!   snapshot while looking the key up, then the value; each a store, a
//!   compiler fence and a re-read), one table probe. No shared memory is
//!   written, so readers scale. SipHash of a `u64` is about 15 ns on this
//!   VM, most of the SipHash column.
//! * **A write to a present key** allocates the new value's `Arc`,
//!   compare-exchanges the entry, and retires the old value into this
//!   thread's retired list (one of four per map, so writers do not share a
//!   lock); a batched pass frees it. `swap` returns the previous value
//!   through a hazard slot, without touching its reference count. A shared
//!   list and an `Arc` count for the returned value made `swap` 254 ns; the
//!   two changes made it about 120 ns in the same probe.
//! * **`range`** protects the snapshot once and each value in turn through
//!   one [`HazardSlot`](gosync_atomic_value::raw::HazardSlot) (a guard per
//!   value cost 10.4 µs per 1,024 keys, the slot about 4 µs). Each key is
//!   two pointer chases (entry, value); an unprotected walk of the same
//!   table takes about 2.9 µs, so that layout, not the protection, is most
//!   of the gap to papaya. Prefetching the window ahead did not help.
//! * **New keys** take the lock; the first after a promotion copies the
//!   snapshot's entries (`Arc` clones, no rehashing) into a new dirty table.
//!
//! ## Not faster (yet)
//!
//! * `Range` against papaya (2.4×): values would have to live inside the
//!   entries, which the `Arc`-per-value guards rule out.
//! * Writes against dashmap: an in-place `u64` overwrite under a shard lock
//!   beats any allocate-and-publish design; Go pays the same allocation.
//! * `LoadMostlyHits` against papaya with SipHash (1.2×): the two
//!   protections cost a few ns more than papaya's epoch pin.
