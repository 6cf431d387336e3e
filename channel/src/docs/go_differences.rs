//! # Differences from Go
//!
//! | Go                                              | here                                                        |
//! |-------------------------------------------------|-------------------------------------------------------------|
//! | sending on a closed channel panics              | [`send`](crate::Sender::send) returns `Err(SendError(msg))`, handing the message back |
//! | closing a closed channel panics                 | [`close`](crate::Sender::close) returns `false`             |
//! | only the sending side may close                 | either side may (a receiver can stop its producers)         |
//! | channels are garbage-collected                  | dropping the last `Sender` closes; dropping the last `Receiver` closes and drops what is buffered |
//! | `v, ok := <-ch`                                 | `rx.recv()` returns `Result<T, RecvError>`                  |
//! | `len(ch)`, `cap(ch)`                            | [`len`](crate::Receiver::len), [`capacity`](crate::Receiver::capacity) (`None` for unbounded, which Go lacks) |
//! | a nil channel                                   | [`never()`](fn@crate::never)                                   |
//! | `select` evaluates every send expression first  | `select!` evaluates a send case's value only if that case is chosen |
//! | `time.After` sends `time.Now()` when it fires   | [`after`](crate::after) delivers the `Instant` it fell due (no timer thread fires it) |
//! | `time.Tick(d <= 0)` returns nil                 | [`tick`](crate::tick) panics on a zero period               |
//! | goroutines are multiplexed on a few threads     | every blocked operation blocks an OS thread: it spins briefly, then parks |
//!
//! ## Order among blocked senders
//!
//! Go queues blocked senders and hands a freed slot to the one that waited
//! longest. Here a freed slot of a bounded channel goes to whichever sender
//! claims it first: the woken sender retries, and a sender that is running
//! at that moment can get there before it. Under a steady flood of sends,
//! one sender can therefore win many rounds in a row (messages are never
//! lost or reordered within one sender; only the interleaving between
//! senders is unfair). Unbuffered channels hand over to the oldest waiter,
//! as Go does.
//!
//! ## `try_recv` on an unbounded channel
//!
//! A non-blocking receive on a bounded channel never waits: a message
//! whose sender has claimed a slot but not finished writing it counts as
//! not there yet (crossbeam #997 is the bug of waiting for it). On an
//! unbounded channel a receive that claimed such a position waits for the
//! writer to finish (a handful of instructions, unless the writer is
//! preempted right there): checking the slot before claiming it would need
//! the block to stay alive while other receivers may free it.
//!
//! ## A panic while finishing a selected send
//!
//! Because a send case's value is evaluated after the case was chosen,
//! a panic in that expression leaves the reservation unfinished. The
//! [`SelectedOperation`](crate::SelectedOperation) is then dropped during
//! unwinding and the reserved slot (bounded), block position (unbounded)
//! or claimed receiver (unbuffered) is never completed: the receiver that
//! would get that message waits for it. Keep send expressions in
//! `select!` panic-free (compute the value before the `select!` if it can
//! fail), as you would in Go, where a panic there would have happened
//! before the select.
