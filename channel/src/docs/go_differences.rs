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
//! | goroutines are multiplexed on a few threads     | a blocked thread spins briefly, then parks; tasks use the `_async` forms and [`select_async!`](crate::select_async!) |
//! | an unbuffered channel never holds a message     | it holds one in one case: a non-blocking send handed it to a pending receive future that was then dropped (below) |
//!
//! ## Async: the one exception on `bounded(0)`
//!
//! Go has no cancellation: a goroutine blocked in `ch <- v` or `<-ch`
//! stays blocked until the operation happens. A future can be dropped at
//! any `Pending`, so two rules need stating.
//!
//! * A `send_async` on `bounded(0)` offers its message to receivers, who
//!   take it in their own time. If the future is dropped while a
//!   receiver is taking it, the receive completes with it: exactly one
//!   receive got the message, though the sender never saw `Ready`. On a
//!   buffered or unbounded channel a dropped send future delivered
//!   nothing.
//! * A pending `recv_async` counts as a waiting receiver, as a blocked
//!   goroutine would, so a non-blocking send (`try_send`, a `select!`
//!   with `default`, a zero timeout, a send case returned by
//!   `select_async`) on `bounded(0)` succeeds by handing it the message.
//!   A future never has a message written into it, though: the channel
//!   keeps the message for it, and if the future is dropped before it
//!   takes it, the next receiver (thread or task) gets it. That is the
//!   only time an unbuffered channel holds a message; `send` and
//!   `send_async` never leave one there.
//!
//! Blocking calls on an async runtime's worker thread block the worker
//! (see the crate docs' async section).
//!
//! ## Order among blocked senders
//!
//! As in Go, blocked senders are served in the order they blocked: a
//! receive that frees a slot of a full bounded channel gives it to the
//! oldest blocked sender (moving a blocked `send`'s message in, as Go
//! does, or reserving it for a select's send case), and while any sender
//! is queued a running sender does not take a free slot (`try_send`
//! reports `Full`). Unbuffered channels hand over to the oldest waiter
//! too. A sender that finds no queue takes a free slot at once, so the
//! queue only costs anything once senders block. "The order they blocked"
//! is the order in which they joined the queue: a thread that is not
//! running (on an oversubscribed machine) cannot join it.
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
//! Go evaluates every send expression before its `select` starts; here a
//! send case's value is evaluated only once its case is chosen, so a panic
//! there happens while the case is reserved. The panic propagates out of
//! the `select!`, and the reservation is undone as it unwinds (the
//! [`SelectedOperation`](crate::SelectedOperation) is dropped unfinished):
//! a reserved slot is given back, or skipped by the receivers when later
//! sends already reserved the slots after it; a claimed rendezvous partner
//! is told and retries. The channel is left as if the case had never
//! fired.
//!
//! ## A `SelectedOperation` dropped or forgotten
//!
//! Dropping a chosen operation unfinished panics (a bug in the caller)
//! after undoing it as above. One thing cannot be undone: a receive case
//! whose message was already handed over (an unbuffered channel's sender
//! completed, or later receives already took the positions after it) drops
//! that message. Forgetting one (`mem::forget`) runs no code at all, so
//! nothing is undone: it never makes the channel read or drop memory that
//! was not written, nor makes dropping its handles hang, but the slot (or
//! claimed partner) it held stays held. On a bounded channel receives stop
//! at that slot (a forgotten send) or sends do (a forgotten receive, whose
//! message is leaked); a forgotten rendezvous send leaves the receiver it
//! claimed waiting. A forgotten unbounded send case holds nothing (it
//! reserves nothing before its value exists).
