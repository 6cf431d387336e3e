//! Go's channels for Rust: bounded, unbuffered and unbounded channels
//! with `close`, `select!` and timers, with Go's semantics.
//!
//! | Go                              | gosync-channel                           |
//! |---------------------------------|------------------------------------------|
//! | `make(chan T, n)`               | [`bounded(n)`](bounded)                  |
//! | `make(chan T)`                  | [`bounded(0)`](bounded) (rendezvous)     |
//! | an unbounded queue              | [`unbounded()`](unbounded)               |
//! | `ch <- v`                       | [`tx.send(v)`](Sender::send)             |
//! | `v, ok := <-ch`                 | [`rx.recv()`](Receiver::recv)            |
//! | `close(ch)`                     | [`tx.close()`](Sender::close) or [`rx.close()`](Receiver::close) |
//! | `for v := range ch`             | [`for v in &rx`](Receiver::iter)         |
//! | `select { case ... }`           | [`select!`]                              |
//! | `select` over a run-time set    | [`Select`]                               |
//! | `time.After(d)`, `time.Tick(d)` | [`after(d)`](after), [`tick(d)`](tick)   |
//! | a nil channel                   | [`never()`](fn@never)                       |
//! | the same, in a goroutine (task) | [`send_async`](Sender::send_async), [`recv_async`](Receiver::recv_async), [`stream`](Receiver::stream), [`sink`](Sender::sink), [`select_async!`] |
//!
//! # Hello, channel
//!
//! ```
//! use gosync_channel::bounded;
//! use std::thread;
//!
//! let (tx, rx) = bounded(0); // unbuffered: every send meets a receive
//! let worker = thread::spawn(move || {
//!     for n in 1..=3 {
//!         tx.send(n * n).unwrap();
//!     }
//!     // `tx` dropped here: the channel closes and the loop below ends.
//! });
//! let squares: Vec<i32> = rx.iter().collect();
//! assert_eq!(squares, [1, 4, 9]);
//! worker.join().unwrap();
//! ```
//!
//! # Closing
//!
//! Either side may [close](Sender::close) a channel. After that every send
//! fails and hands its message back, while receivers still get every
//! buffered message before they see the close. Dropping the last
//! [`Sender`] closes the channel; dropping the last [`Receiver`] closes it
//! and drops the buffered messages at once.
//!
//! ```
//! use gosync_channel::{bounded, SendError};
//!
//! let (tx, rx) = bounded(4);
//! tx.send("a").unwrap();
//! tx.send("b").unwrap();
//! tx.close();
//! assert_eq!(tx.send("c"), Err(SendError("c")));
//! assert_eq!(rx.iter().collect::<Vec<_>>(), ["a", "b"]);
//! ```
//!
//! # Select
//!
//! ```
//! use gosync_channel::{after, select, unbounded};
//! use std::time::Duration;
//!
//! let (tx, rx) = unbounded::<&str>();
//! std::thread::spawn(move || tx.send("result").unwrap());
//! select! {
//!     recv(rx) -> msg => assert_eq!(msg, Ok("result")),
//!     recv(after(Duration::from_secs(10))) -> _ => panic!("timed out"),
//! }
//! ```
//!
//! When several cases are ready, one is picked uniformly at random, as in
//! Go. See [`select!`] for the syntax and [`Select`] for a run-time set of
//! cases.
//!
//! # Async: one channel for threads and tasks
//!
//! Go's goroutines are Rust's async tasks. Every channel serves both at
//! once: any mix of blocking [`send`](Sender::send)/[`recv`](Receiver::recv)
//! and [`send_async`](Sender::send_async)/[`recv_async`](Receiver::recv_async)
//! on the same `Sender`/`Receiver`, on any executor (the crate depends on
//! no runtime). [`select_async!`] is `select!` for async code.
//!
//! ```
//! use gosync_channel::{after, bounded, select_async};
//! use std::time::Duration;
//!
//! # futures::executor::block_on(async {
//! let (tx, rx) = bounded::<u64>(16);
//! let (quit_tx, quit) = bounded::<()>(0);
//! // A blocking producer thread feeding an async consumer.
//! std::thread::spawn(move || {
//!     for n in 1..=10 {
//!         tx.send(n).unwrap();
//!     }
//!     quit_tx.close();
//! });
//! let mut sum = 0;
//! loop {
//!     select_async! {
//!         recv(rx) -> n => sum += n.unwrap(),
//!         recv(quit) -> _ => {
//!             // Drain what is left, then stop.
//!             while let Ok(n) = rx.try_recv() {
//!                 sum += n;
//!             }
//!             break;
//!         }
//!         recv(after(Duration::from_secs(10))) -> _ => panic!("stalled"),
//!     }
//! }
//! assert_eq!(sum, 55);
//! # });
//! ```
//!
//! What holds in async code, beyond the blocking rules:
//!
//! * **Rendezvous**: on `bounded(0)` a `send_async` completes only once a
//!   receiver, thread or task, has taken its message.
//! * **Receiving is cancellation-safe** on every flavor: a
//!   [`RecvFut`], a [`RecvStream`] between items, or a `select_async!`
//!   dropped before it returned `Ready` took nothing. Receiving in a
//!   `tokio::select!` loop never loses a message.
//! * **Sending is cancellation-safe** on buffered and unbounded channels: a
//!   [`SendFut`] dropped before `Ready` delivered nothing. On `bounded(0)`
//!   a receiver may have taken the message in the instant before the
//!   drop; then exactly one receive completed with it.
//! * **A pending receive future is a waiting receiver**, as a blocked
//!   goroutine is: `try_send` on `bounded(0)` succeeds by handing it the
//!   message (kept by the channel for the next receiver if that future is
//!   then dropped). Go code that notifies an async consumer with a
//!   non-blocking send works unchanged.
//! * **Blocked senders**, threads and futures alike, get room in the order
//!   they blocked; a dropped send future passes its reserved slot on.
//! * **Close** wakes every blocked thread and pending future.
//!
//! Calling a blocking method (`send`, `recv`, `select!`, `iter`) on an
//! async runtime's worker thread blocks that worker, and with it every
//! task queued on it (on a current-thread runtime, all of them: a
//! partner task can then never run, and the call never returns). Use the
//! `_async` forms in tasks; the non-blocking `try_send`/`try_recv` are
//! fine anywhere.
//!
//! Deadlines in async code (`after`, `tick`, `default(timeout)`) are
//! served by one small timer thread the crate starts on first use; see
//! [`docs::design`].
//!
//! # Guarantees
//!
//! The Go memory model's channel rules, each checked by a loom model
//! (see [`docs::proofs`]): a send happens-before the matching receive
//! completes; a close happens-before a receive that returns because the
//! channel is closed; on an unbuffered channel the receive happens-before
//! the matching send completes; on a channel of capacity C the k-th
//! receive happens-before the (k+C)-th send completes. Every message is
//! dropped exactly once.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod channel;
mod context;
pub mod docs;
mod err;
mod flavors;
mod handle;
// `Layout` and `Padded` are public only through `__bench` (gosync_bench
// builds); elsewhere they are crate-private in effect.
#[cfg_attr(not(gosync_bench), allow(unreachable_pub))]
mod layout;
mod packet;
mod recv_async;
mod select;
mod select_async;
mod select_macro;
mod send_async;
mod sync;
mod timer;
mod wait_queue;
mod waker;

pub use crate::channel::{
    after, bounded, never, tick, unbounded, IntoIter, Iter, Receiver, Sender, TryIter,
};
pub use crate::err::{
    RecvError, RecvTimeoutError, SelectTimeoutError, SendError, SendTimeoutError, TryRecvError,
    TrySelectError, TrySendError,
};
pub use crate::recv_async::{RecvFut, RecvStream};
pub use crate::select::{Select, SelectedOperation};
pub use crate::select_async::SelectAsync;
pub use crate::send_async::{SendFut, SendSink};

/// What `select!` expands to; not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::select::{Case, Timeout};
    pub use crate::select_async::SelectFuture;
    use crate::{Receiver, SelectedOperation, Sender};
    use core::marker::PhantomData;

    /// `select_async!`'s witness of a receive case's message type.
    pub fn recv<T>(_: &Receiver<T>) -> PhantomData<T> {
        PhantomData
    }

    /// `select_async!`'s witness of a send case's message type.
    pub fn send<T>(_: &Sender<T>) -> PhantomData<T> {
        PhantomData
    }

    /// Runs a select for the macro.
    pub fn run<'a>(cases: &mut [Case<'a>], timeout: Timeout) -> Option<SelectedOperation<'a>> {
        crate::select::run(cases, timeout)
    }

    /// A `Receiver` or a reference to one, for `recv(...)`.
    pub trait AsReceiver {
        /// The message type.
        type Item;
        /// The receiver.
        fn as_receiver(&self) -> &Receiver<Self::Item>;
    }

    impl<T> AsReceiver for Receiver<T> {
        type Item = T;
        fn as_receiver(&self) -> &Receiver<T> {
            self
        }
    }

    impl<R: AsReceiver + ?Sized> AsReceiver for &R {
        type Item = R::Item;
        fn as_receiver(&self) -> &Receiver<R::Item> {
            (**self).as_receiver()
        }
    }

    impl<R: AsReceiver + ?Sized> AsReceiver for &mut R {
        type Item = R::Item;
        fn as_receiver(&self) -> &Receiver<R::Item> {
            (**self).as_receiver()
        }
    }

    /// A `Sender` or a reference to one, for `send(...)`.
    pub trait AsSender {
        /// The message type.
        type Item;
        /// The sender.
        fn as_sender(&self) -> &Sender<Self::Item>;
    }

    impl<T> AsSender for Sender<T> {
        type Item = T;
        fn as_sender(&self) -> &Sender<T> {
            self
        }
    }

    impl<S: AsSender + ?Sized> AsSender for &S {
        type Item = S::Item;
        fn as_sender(&self) -> &Sender<S::Item> {
            (**self).as_sender()
        }
    }

    impl<S: AsSender + ?Sized> AsSender for &mut S {
        type Item = S::Item;
        fn as_sender(&self) -> &Sender<S::Item> {
            (**self).as_sender()
        }
    }

    /// The receiver named in a `recv(...)` case.
    pub fn as_receiver<R: AsReceiver + ?Sized>(r: &R) -> &Receiver<R::Item> {
        r.as_receiver()
    }

    /// The sender named in a `send(...)` case.
    pub fn as_sender<S: AsSender + ?Sized>(s: &S) -> &Sender<S::Item> {
        s.as_sender()
    }
}

/// The bounded ring with a chosen layout, for the false-sharing benchmark.
///
/// Compiled only with `--cfg gosync_bench`, which only the `benches/`
/// workspace sets (its `.cargo/config.toml`): a user's build of this crate
/// has no such module.
#[cfg(gosync_bench)]
#[doc(hidden)]
pub mod __bench {
    pub use crate::layout::{Layout, Padded, Unpadded};

    /// A bounded channel's ring with layout `L`, without handles.
    #[allow(missing_debug_implementations)]
    pub struct RawBounded<T, L: Layout> {
        chan: crate::flavors::array::Channel<T, L>,
    }

    impl<T, L: Layout> RawBounded<T, L> {
        /// A ring of capacity `cap`.
        pub fn new(cap: usize) -> Self {
            RawBounded {
                chan: crate::flavors::array::Channel::with_capacity(cap),
            }
        }

        /// Blocking send.
        pub fn send(&self, msg: T) {
            assert!(
                self.chan.send(msg, None).is_ok(),
                "a bench ring is never closed"
            );
        }

        /// Blocking receive.
        pub fn recv(&self) -> T {
            match self.chan.recv(None) {
                Ok(msg) => msg,
                Err(_) => unreachable!("a bench ring is never closed"),
            }
        }

        /// Non-blocking send.
        pub fn try_send(&self, msg: T) -> Result<(), T> {
            self.chan
                .try_send(msg)
                .map_err(crate::TrySendError::into_inner)
        }

        /// Non-blocking receive.
        pub fn try_recv(&self) -> Option<T> {
            self.chan.try_recv().ok()
        }
    }
}
