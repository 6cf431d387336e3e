//! # Proofs: the loom models
//!
//! Each happens-before edge this crate promises is one loom model in
//! `waitgroup/tests/`, runnable alone:
//!
//! ```text
//! RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-waitgroup --test loom_done_before_wait
//! ```
//!
//! | Go memory-model rule / property | model |
//! |---|---|
//! | `Done` happens-before the `Wait` it releases returns | `loom_done_before_wait` |
//! | no lost wake-up with waiters on two threads | `loom_no_lost_wakeup` |
//! | reuse: a second round after the first `Wait` returned | `loom_reuse` |
//! | `wait_timeout`: `true` carries the edge, `false` leaves cleanly | `loom_wait_timeout` |
//!
//! The production code runs under loom unchanged: the crate's private
//! `sync` module swaps std's atomics for loom's under `cfg(gosync_loom)`,
//! and the futex is emulated with loom's `Mutex` and `Condvar` (the same
//! emulation non-Linux targets use). Loom has no clock, so the timeout model
//! fires "the deadline" from a timer thread of its own.
//!
//! Loom explores every interleaving up to a preemption bound; `test.sh` runs
//! the models with `LOOM_MAX_PREEMPTIONS=3`.
//!
//! ## Each model can fail
//!
//! Every model was run once against a deliberately weakened ordering and
//! failed; see the table in `waitgroup/README.md`.
