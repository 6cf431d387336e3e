//! Go's `sync.WaitGroup` for Rust.
//!
//! A [`WaitGroup`] waits for a collection of tasks to finish. The launching
//! thread [`add`](WaitGroup::add)s the number of tasks, each task calls
//! [`done`](WaitGroup::done) when it finishes, and [`wait`](WaitGroup::wait)
//! blocks until all have.
//!
//! # Hello, WaitGroup
//!
//! ```
//! use std::sync::Arc;
//! use gosync_waitgroup::WaitGroup;
//!
//! let wg = Arc::new(WaitGroup::new());
//! for id in 0..4 {
//!     let wg = Arc::clone(&wg);
//!     wg.add(1); // before the task starts, as in Go
//!     std::thread::spawn(move || {
//!         println!("task {id} working");
//!         wg.done();
//!     });
//! }
//! wg.wait();
//! println!("all tasks done");
//! ```
//!
//! # `go`: add, spawn and done in one call
//!
//! Go 1.25 added `wg.Go(f)`. Here it is [`WaitGroup::go`], and it also
//! calls `done` when `f` panics, so a failed task cannot hang `wait`:
//!
//! ```
//! use std::sync::Arc;
//! use gosync_waitgroup::WaitGroup;
//!
//! let wg = Arc::new(WaitGroup::new());
//! let handles: Vec<_> = (0..3).map(|i| wg.go(move || assert!(i < 3))).collect();
//! wg.wait();
//! assert!(handles.into_iter().all(|h| h.join().is_ok()));
//! ```
//!
//! # Guards for scoped threads
//!
//! [`WaitGroup::guard`] adds one and returns a [`DoneGuard`] that calls
//! `done` when dropped:
//!
//! ```
//! use gosync_waitgroup::WaitGroup;
//!
//! let wg = WaitGroup::new();
//! let mut slots = [0u64; 4];
//! std::thread::scope(|s| {
//!     for (i, slot) in slots.iter_mut().enumerate() {
//!         let guard = wg.guard();
//!         s.spawn(move || {
//!             let _done = guard;
//!             *slot = i as u64 * 10;
//!         });
//!     }
//!     wg.wait();
//! });
//! assert_eq!(slots, [0, 10, 20, 30]);
//! ```
//!
//! # Timeouts
//!
//! ```
//! use std::time::Duration;
//! use gosync_waitgroup::WaitGroup;
//!
//! let wg = WaitGroup::new();
//! wg.add(1);
//! assert!(!wg.wait_timeout(Duration::from_millis(5))); // nobody calls done
//! wg.done();
//! assert!(wg.wait_timeout(Duration::from_millis(5)));
//! ```
//!
//! # Async
//!
//! [`WaitGroup::wait_async`] is `wait` for async code: a [`WaitFut`] that
//! parks the task, not the thread, and carries the same memory-ordering
//! edge. [`WaitGroup::track`] wraps a future so that it counts as one task
//! (the async `go`): `add(1)` at once, `done()` when the future completes,
//! panics or is dropped. Both work on any executor; here with tokio:
//!
//! ```
//! use std::sync::atomic::{AtomicUsize, Ordering};
//! use std::sync::Arc;
//! use gosync_waitgroup::WaitGroup;
//!
//! #[tokio::main]
//! async fn main() {
//!     let wg = Arc::new(WaitGroup::new());
//!     let finished = Arc::new(AtomicUsize::new(0));
//!     for _ in 0..1_000 {
//!         let finished = Arc::clone(&finished);
//!         tokio::spawn(wg.track(async move {
//!             tokio::task::yield_now().await;
//!             finished.fetch_add(1, Ordering::Relaxed);
//!         }));
//!     }
//!     wg.wait_async().await;
//!     assert_eq!(finished.load(Ordering::Relaxed), 1_000);
//! }
//! ```
//!
//! Blocking and async waiters can wait on one group at once. Do not call
//! the blocking [`wait`](WaitGroup::wait) from inside an async task: it
//! blocks the runtime's worker thread (see its docs).
//!
//! # Guarantees
//!
//! * **Go memory model**: every write before a `done()` is visible once the
//!   `wait()` it released returns. Checked by the loom models in
//!   `tests/loom_*.rs` (see [`docs::proofs`]).
//! * **Misuse is loud**: a counter driven below zero panics with Go's message
//!   `sync: negative WaitGroup counter` and is left as it was.
//! * **Cheap**: `add`/`done` with nobody waiting is one atomic RMW; `wait` on
//!   a zero counter is one load; the group is one padded cache slot
//!   (128 bytes on x86_64) and `WaitGroup::new` is `const`.
//!
//! The [`docs`] module has the design, the proofs and the performance notes.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod docs;
mod futex;
mod guard;
mod raw;
mod sync;
mod track;
#[cfg(gosync_bench)]
mod unpadded;
mod wait_async;
mod waitgroup;

pub use crate::guard::DoneGuard;
pub use crate::track::Tracked;
#[cfg(gosync_bench)]
#[doc(hidden)]
pub use crate::unpadded::UnpaddedWaitGroup;
pub use crate::wait_async::WaitFut;
pub use crate::waitgroup::WaitGroup;
