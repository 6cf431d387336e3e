//! # Design
//!
//! ## One file per flavor
//!
//! | constructor   | flavor (`src/flavors/`) | storage                                   |
//! |---------------|-------------------------|-------------------------------------------|
//! | `bounded(n)`, n ≥ 1 | `array.rs`        | a ring of `n` slots, each with a stamp    |
//! | `bounded(0)`  | `zero.rs`               | none: a packet on the waiter's stack      |
//! | `unbounded()` | `list.rs`               | linked blocks of 31 slots, freed as read  |
//! | `after(d)`    | `at.rs`                 | a deadline and a "taken" flag             |
//! | `tick(d)`     | `tick.rs`               | a start instant and the next tick's offset|
//! | `never()`     | `never.rs`              | nothing                                   |
//!
//! Every flavor offers the same steps: `start_send`/`start_recv` reserve
//! an operation (a slot, or a waiting partner) without blocking, and
//! `write`/`read` finish it by moving the message. A plain `send` is a
//! reservation followed by a write; a select reserves one case and
//! finishes it after choosing, which is why a send case's value is only
//! evaluated for the case that fires.
//!
//! ## Bounded: a ring of stamped slots
//!
//! Each slot carries a stamp saying which lap's sender or receiver may use
//! it next; `head` and `tail` are `{lap, mark, index}` words on their own
//! cache lines. An uncontended send is one load of `tail`, one load of the
//! slot's stamp, one compare-exchange of `tail`, the write and one store
//! of the stamp, plus a load of each waker list's `is_empty` flag; a
//! receive mirrors it. No lock is taken unless someone has to block.
//!
//! Blocked senders queue in order. While the queue is not empty a free
//! slot is not for the taking: whoever frees one (a receive, a cancelled
//! reservation given back) or queues up next to one *hands it off*: under
//! the senders' lock it reserves the slot and claims the oldest waiter.
//! A blocked `send` left its message in a packet on its stack when it
//! queued, so the hand-off moves that message into the slot and tells the
//! sender it is done, as Go's receive does: the channel never waits for
//! the oldest sender's thread to be scheduled. A select's send case has
//! no value yet; it gets the reservation with the claim and writes its
//! value itself (`hand_off` in `array.rs`). A full channel with nobody
//! queued is first retried with a short spin (no yielding), so a running
//! receiver's freed slot is usually taken without the queue's lock.
//!
//! A select's chosen case can be cancelled (a send expression that
//! panics, an unfinished `SelectedOperation` dropped): a send reservation
//! gives the tail back when no later send reserved after it, or else
//! leaves the slot *skipped* (its stamp carries the mark bit), and the
//! receiver of that position steps over it; a receive reservation gives
//! the head back, or reads and drops the message.
//!
//! ## Unbuffered: a rendezvous under one lock
//!
//! The blocked senders and receivers queue under one mutex. An arriving
//! operation claims the oldest waiter of the other side with one
//! compare-exchange on the waiter's context, and the message moves through
//! the waiter's packet. A blocked send returns only after the receiver has
//! taken its message (the packet's `ready` flag), which is what makes
//! "the receive happens-before the send completes" hold. A cancelled
//! select case leaves its partner's packet `ready` but not handed over
//! (a receiver finds it empty; a blocked sender finds its message still
//! in it), and the partner tries again.
//!
//! ## Unbounded: linked blocks
//!
//! Senders and receivers claim positions with one compare-exchange each.
//! A select's send case reserves nothing (there is always room): its send
//! happens when its value exists, so a panic in the value or a forgotten
//! operation holds up no receiver.
//! The sender that takes a block's last slot links in the next block
//! (allocated before it claimed the slot); the receiver of a block's last
//! slot starts freeing it, handing over to any earlier reader still busy
//! (`DESTROY` bit), so a block is freed exactly once, after all its reads.
//! A burst's memory comes back as it drains.
//!
//! ## Blocking: spin while the partner runs, then park
//!
//! A waiter registers its [context](crate) (a per-thread object holding a
//! `select` word and the thread handle) on the channel's waker list,
//! re-checks the channel, then waits: it spins briefly, then yields the
//! core in a loop for up to 50 µs, then parks. Whoever makes the
//! operation possible claims the waiter with one compare-exchange on its
//! `select` word and unparks it. The spin window covers a partner that is
//! running on another core (a hand-off then takes well under a microsecond,
//! where waking a parked thread takes ~15 µs on a small VM); the yields
//! hand the core to a partner that shares it (crossbeam #821 is what pure
//! spinning costs there).
//!
//! A waker list is a [`WaitQueue`](crate) (`wait_queue.rs`): a slab of
//! entries threaded in arrival order, plus an index from each entry's
//! operation to its slot. Claims take the oldest suitable entry (Go's FIFO
//! `sendq`/`recvq`); a waiter whose wait ended otherwise (a timeout, a
//! dropped future, a select claimed by another channel, a close) withdraws
//! its own entry in O(1), so a close that wakes 100,000 tasks costs
//! O(100,000) in all, and a burst of dropped futures leaves in linear time
//! and gives its memory back (the slab compacts once under a quarter full).
//!
//! The lock-free flavors keep an `is_empty` flag per waker list, so an
//! operation that finds nobody waiting pays one load, not a lock. The flag
//! and the channel's indices form a store-then-load pattern; SeqCst on
//! both sides makes sure a waiter and a producer cannot both miss each
//! other (see [`proofs`](super::proofs) for the model that checks it).
//!
//! ## Close
//!
//! Closing sets a bit (the mark bit of `tail` for the lock-free flavors, a
//! flag under the lock for the rendezvous) and wakes every waiter with the
//! `Closed` state. Sends check the bit when reserving, so a send after the
//! close fails and hands its message back; receives drain what is
//! buffered, then report the close. Dropping the last `Sender` closes;
//! dropping the last `Receiver` closes and then drains and drops every
//! buffered message at once (a send that reserved its slot before the
//! close finishes first), so memory and resources held by messages are
//! released when nobody can receive them any more (crossbeam #1102).
//!
//! ## Select
//!
//! [`Select`](crate::Select) and [`select!`](crate::select!) share one
//! engine (`select.rs`): shuffle the cases (Fisher–Yates, per-thread
//! xorshift), try each without blocking, and if none is ready register on
//! all of them and wait. The macro builds its cases in a stack array and
//! allocates nothing; a select blocked on a rendezvous channel allocates
//! one small packet per such case while it waits (the value of a send case
//! does not exist yet, so it cannot offer a stack packet).
//!
//! Timers need no thread: `after` and `tick` compute readiness from the
//! clock, and a select (or receive) blocked on one sets its park deadline
//! to the timer's.
//!
//! # Async: tasks in the same queues
//!
//! A waiter is a `Context` (`context.rs`) whose wake-up is either a thread's
//! `unpark` or a task's `Waker` (replaced when a future is polled with
//! another). A pending future is a select over its cases whose waiter is
//! a task (`select_async.rs`): each poll looks at its context's claim
//! word, unregisters and accepts a claim, tries every case without
//! blocking, or registers everywhere, re-checks, arms its deadline and
//! returns `Pending`. Blocking threads and tasks share every waiter list,
//! so a thread's send wakes a task's receive and the reverse.
//!
//! Tasks are never written into. A rendezvous partner that finds a
//! *wake-only* entry (a task with no packet) only wakes it; the task then
//! takes the message in its own poll, from the blocked sender's packet, or
//! (on `bounded(0)`) from the channel's small `kept` queue, where a
//! non-blocking send leaves a message for the pending task it claimed. A
//! `send_async` on `bounded(0)` offers its message in an `Arc`-shared
//! packet, so the future may be dropped at any point of the hand-over.
//! A bounded channel's queued send future is handed a reserved slot (a
//! permit) in FIFO order, as a select's send case is, and writes its
//! message in its own poll. The slot's stamp marks it as a permit until
//! then, so a receiver that reaches it parks (or stays pending) instead of
//! spinning for a task nobody may be polling; the write fences and wakes
//! it (`flavors::array`'s module docs).
//!
//! A receive future, or a send future on a buffered channel, that is not
//! waiting yet first tries its channel's plain `try_recv` / `try_send`:
//! what the poll loop's first pass would do for one case, at the cost of
//! the blocking API's fast path. (A `try_send` on `bounded(0)` may leave
//! its message kept for a pending receiver, which a `send_async` must not
//! count as taken: that send has its own path.)
//!
//! A future dropped after a claim it did not act on passes it on
//! (`SelectHandle::abandon`): a woken receive wakes another receiver, a
//! permit is given back or to the next queued sender, a kept message is
//! offered to the next receiver. Dropped futures unregister on drop.
//!
//! Deadlines: a task cannot park with a timeout, so `timer.rs` keeps one
//! process-wide thread, started on first use, that sleeps until the
//! earliest armed deadline (a `BTreeMap` entry per armed timer, removed
//! when its future is dropped) and wakes the tasks that are due. It costs
//! one map insert and removal under a mutex per deadline that a future
//! actually waits on, nothing for a future whose case is ready at once.
