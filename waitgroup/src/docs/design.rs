//! # Design
//!
//! A `WaitGroup` is two words in one 128-byte slot:
//!
//! | field   | type        | written by | read by |
//! |---------|-------------|------------|---------|
//! | `state` | `AtomicU64` | `add`, `done`, waiters registering and leaving | everyone |
//! | `epoch` | `AtomicU32` | the `add` that brings the counter to zero with waiters present | sleeping waiters |
//!
//! ## The state word
//!
//! | bits    | meaning |
//! |---------|---------|
//! | 63 – 32 | counter, `i32` two's complement |
//! | 31 – 0  | waiters registered and not yet deregistered |
//!
//! Go packs its `WaitGroup` the same way (counter high, waiters low). The
//! difference is who clears the waiter half: Go's waker resets the whole word
//! to zero, which is only sound because Go forbids an `Add` concurrent with
//! the last `Done`; here each waiter removes its own registration when it
//! leaves, so the word is never reset behind anybody's back and a misused
//! `add` can at worst cause an extra wake-up, never a lost one.
//!
//! ## Fast paths
//!
//! * `add`/`done`: one `lock xadd`, then two compares on the returned value.
//!   The wake-up and the misuse panic are `#[cold]` out-of-line calls.
//! * `wait` on a zero counter: one `mov` (an Acquire load is a plain load on
//!   x86_64) and a compare.
//!
//! ## Blocking
//!
//! `wait` first spins (4 exponential rounds: 15 `pause` instructions), then
//! calls `yield_now` up to 20 times, re-checking the counter after each, and
//! only then reads the epoch, registers, and sleeps on the epoch with
//! `futex(FUTEX_WAIT)` (a mutex/condvar emulation on non-Linux targets). The
//! releasing `add` bumps
//! the epoch and issues one `FUTEX_WAKE` for all sleepers. Waiters leave by
//! decrementing their registration, so a group can be reused immediately,
//! even while waiters of the previous round are still on their way out.
//!
//! ## Why not a `Mutex` + `Condvar`
//!
//! A condvar waiter, once woken, must re-acquire the mutex before it can
//! return, so a wake-up costs a second hand-off, and every `done` would
//! need the lock to avoid a lost notification. Sleeping on the epoch word
//! makes `done` lock-free and the woken thread's way out a single load.
//!
//! ## Room for async
//!
//! Nothing in the group names a thread: waiters are counted, and sleep on an
//! address. An async `wait` would register a `Waker` in a list beside the
//! epoch and be woken by the same release path.
