//! # Differences from Go's `sync.WaitGroup`
//!
//! | Go | gosync | why |
//! |----|--------|-----|
//! | `var wg sync.WaitGroup` | `WaitGroup::new()` (`const`, usable in a `static`) or `WaitGroup::default()` | Rust has no implicit zero values |
//! | `wg.Add(n)` | [`add(n)`](crate::WaitGroup::add) | same semantics and panic message |
//! | `wg.Done()` | [`done()`](crate::WaitGroup::done) or drop a [`DoneGuard`](crate::DoneGuard) | the guard also runs during a panic's unwind |
//! | `wg.Wait()` | [`wait()`](crate::WaitGroup::wait), [`wait_timeout(d)`](crate::WaitGroup::wait_timeout) | Go has no timed wait |
//! | `wg.Go(f)` | [`go(f)`](crate::WaitGroup::go) on an `Arc<WaitGroup>` | returns the `JoinHandle` |
//! | — | [`count()`](crate::WaitGroup::count) | a snapshot, for diagnostics |
//!
//! ## A panicking task
//!
//! In Go 1.25+, `wg.Go(f)` where `f` panics does not call `Done`: the panic
//! is fatal to the whole program anyway, and Go prefers that `Wait` never
//! returns to racing the crash (Go issue 76126). In Rust a panic unwinds
//! only its own thread and is reported through `JoinHandle::join`, so the
//! program goes on; [`go`](crate::WaitGroup::go) therefore *does* call
//! `done`, and `wait` returns once the other tasks finish. Check the
//! handles if a task's failure matters to you.
//!
//! ## Misuse
//!
//! Go panics on a negative counter *after* storing it; here the counter is
//! restored before the panic, so a test that catches the panic can go on
//! using the group. Go's "WaitGroup is reused before previous Wait has
//! returned" panic has no equivalent: reuse is always memory-safe here, and
//! a `wait` overlapping the boundary of two rounds returns at one of the
//! two zeros.
//!
//! ## Counter range
//!
//! Both counters are 32-bit signed. A `delta` outside `i32` or a counter
//! above `i32::MAX` panics with `sync: WaitGroup counter overflow`.
