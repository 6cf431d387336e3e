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
