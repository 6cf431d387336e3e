//! # Performance
//!
//! Measured with criterion in the workspace's `benches/` package, side by
//! side with `crossbeam_utils::sync::WaitGroup`, a `Mutex` + `Condvar`
//! counter and Go 1.27's own `sync.WaitGroup` running Go's benchmark
//! workloads (`src/sync/waitgroup_test.go`), 2 threads, on a shared 2-vCPU
//! x86_64 VM. Medians from one run (`benches/report.sh`), as ratios:
//!
//! | workload | gosync | vs best Rust peer | vs Go |
//! |---|---|---|---|
//! | Uncontended (own group: add, done, wait) | 11.6 ns | 0.09× | 0.92× |
//! | AddDone (shared group) | 40.4 ns | 0.30× | 0.84× |
//! | Wait (zero counter) | 0.32 ns | 0.004× | 0.11× |
//! | ActuallyWait (fresh group, `done` on another OS thread) | 1.70 µs | 0.39× | 3.6× (Go: goroutines) |
//! | ActuallyWaitSingle (same, not oversubscribed) | 405 ns | 0.77× | 0.67× |
//! | WakeLatency (ping-pong hand-over) | 0.16–0.50 µs | ≈ 0.01× | 0.5–1.4× |
//! | WakeLatencyParked (waiter asleep in the kernel) | 37.5 µs | 0.93× | 2.2× |
//!
//! The repository README has the full table and how to read it; in short,
//! the fast paths are one instruction that matters (`lock xadd` for
//! `add`/`done`, a plain load for `wait` on zero), and the slow rows are the
//! operating system's thread wake-up, which every OS-thread implementation
//! pays and Go's user-space scheduler avoids.
//!
//! ## Why `wait` yields before it parks
//!
//! The bounded active phase of `wait` was chosen by measuring a ping-pong
//! through two groups with both threads pinned to the *same* core and to
//! *different* cores (20,000 hand-overs, median of 5):
//!
//! | before parking | same core | different cores |
//! |---|---|---|
//! | 127 `pause`s (crossbeam `Backoff::spin` × 7) | 3.4 µs | 11–13 µs |
//! | nothing | 1.1 µs | 46 µs |
//! | 15 `pause`s, then up to 20 `yield_now` (shipped) | 0.7–0.8 µs | 0.3–0.7 µs |
//! | `Mutex` + `Condvar`, for reference | 2.9–4.4 µs | 45–50 µs |
//!
//! Pure spinning keeps a releasing thread that shares our core from running
//! until our time slice ends; parking at once makes every cross-core
//! hand-over pay the VM's idle-wake cost. Yielding does neither: on a shared
//! core it lets the releaser run now, on separate cores it returns at once
//! (about 0.3 µs per call here) and keeps the waiter watching for roughly
//! 6 µs before it sleeps.
//!
//! ## Padding
//!
//! Two threads each doing `add(1); done()` on their own group, the two
//! groups adjacent in an array: the shipped 128-byte slots against the same
//! code unpadded (16 bytes apart) measured 9.79 ns against 37.9 ns per
//! operation, 3.9× (bare `AtomicU64`s on one line against separate slots:
//! 4.3×, the machine's raw false-sharing cost).
