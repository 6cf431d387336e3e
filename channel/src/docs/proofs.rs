//! # Proofs: the loom models
//!
//! Every rule the crate promises is one loom test file under
//! `channel/tests/`, run by `./test.sh loom` and alone with
//!
//! ```text
//! RUSTFLAGS="--cfg gosync_loom" cargo test --release -p gosync-channel --test <file>
//! ```
//!
//! Built with `--cfg gosync_loom`, the crate's atomics, locks, cells and
//! thread handles come from loom (`src/sync.rs`), so the models run the
//! production code. The preemption bound is `LOOM_MAX_PREEMPTIONS` (3 when
//! unset; `test.sh` sets 3); no model has more than three threads.
//!
//! | # | rule (Go memory model, or our own promise)                                   | file: tests |
//! |---|-------------------------------------------------------------------------------|-------------|
//! | 1 | a send happens-before the matching receive completes                          | `loom_send_then_recv`: `{bounded,rendezvous,unbounded}_send_happens_before_recv` |
//! | 2 | close happens-before a receive that returns because the channel is closed     | `loom_close_then_recv`: `{bounded,rendezvous,unbounded}_close_happens_before_recv_that_reports_it` (blocking and `try_recv`) |
//! | 3 | unbuffered: the receive happens-before the matching send completes           | `loom_recv_then_send_completes`: `rendezvous_recv_happens_before_send_completes` |
//! | 4 | capacity C: the k-th receive happens-before the (k+C)-th send completes       | `loom_capacity`: `capacity_1_first_recv_happens_before_second_send_completes`, `capacity_2_first_recv_happens_before_third_send_completes` |
//! | 5 | select: the chosen case carries its operation's edge; `default` carries none  | `loom_select`: `select_recv_case_carries_the_send_edge`, `select_send_case_on_rendezvous_carries_the_recv_edge`, `default_carries_no_edge` (expects loom's causality report) |
//! | 6 | no lost wake-up: blocked senders, receivers and selects always finish         | `loom_no_lost_wakeup`: `blocked_{rendezvous,bounded}_sender_and_receiver_finish`, `blocked_unbounded_receiver_finishes`, `blocked_select_over_rendezvous_and_bounded_finishes`, `blocked_select_send_case_finishes` |
//! | 7 | close racing blocked senders and receivers: nobody stays blocked, each message received or handed back exactly once, none leaked | `loom_close_race`: `close_racing_{blocked_bounded,blocked_rendezvous,unbounded}_sender_and_receiver`, `last_receiver_dropped_racing_blocked_sender` |
//! | 8 | async: the edges of rules 1 and 3 through `send_async`/`recv_async`; a dropped future took nothing and passes on the wake-up or slot it was given; `select_async!` commits exactly one case; no lost wake-up with a thread and a task in one list | `loom_async`: `async_{bounded,unbounded,rendezvous}_send_happens_before_recv`, `async_rendezvous_recv_happens_before_send_completes`, `dropped_recv_future_loses_nothing`, `dropped_recv_future_passes_its_wakeup_on`, `dropped_send_future_delivers_nothing`, `receiver_parked_on_a_permit_is_woken_by_its_write`, `dropped_send_future_passes_its_permit_on` (at most 2 preemptions), `select_async_commits_exactly_one_case`, `no_lost_wakeup_with_a_thread_and_a_task_in_one_list` (at most 1 preemption: three threads and a task's several locks per poll; 2 ran past 25 minutes) |
//!
//! A bounded channel's blocked sender gets its slot from a *hand-off*
//! (the receive that freed it reserves it for the oldest queued sender
//! and claims that sender; see [`design`](super::design)), so the models
//! of rules 4 and 6 with a blocked sender run through it: the k-th receive
//! reaches the (k+C)-th send through the reservation's stamp and the
//! claim, and a hand-off that never happens (mutation
//! `array-hand-off-skipped`) leaves the sender blocked.
//!
//! ## How a model checks an edge
//!
//! "A happens-before B" is checked with data outside the channel: a loom
//! cell written before A and read after B. If the channel operations do
//! not order the two, loom reports the read as a causality violation. The
//! messages are loom-checked too: a `Payload` whose contents are a loom
//! cell written when it is made and when it is dropped, and which holds a
//! loom `Arc`, so reading a message not ordered after its send, or after
//! its drop, fails, and a message never dropped fails the model as a leak.
//!
//! ## The models can fail
//!
//! `channel/loom-mutations.sh` applies one deliberate weakening at a time
//! (a Release store made Relaxed, a re-check after registering removed, a
//! close that wakes nobody, ...) to a scratch copy of the workspace and
//! checks that the named model then fails. Every model file but one is the
//! target of at least one mutation that kills it; the closing note of the
//! issue lists the run.
//!
//! Not shown to fail: `loom_recv_then_send_completes` and the send case of
//! `loom_select` (rule 3 and its select form). Every weakening of the
//! rendezvous hand-over we tried, down to a blocked send that returns
//! without waiting for any receiver, still passes them: loom models each
//! mutex operation as SeqCst and joins the thread's causality with a global
//! clock there, and the receiver always takes the rendezvous mutex after
//! writing its data, so the sender gets the edge through loom's clock in
//! every schedule. The rule holds in the code (a blocked send returns only
//! after the receiver's Release store of the packet's `ready` flag; see
//! `flavors/zero.rs`), but these two models do not prove it on their own.
//!
//! ## What loom does not see
//!
//! * Loom treats SeqCst loads and stores as AcqRel (its README, "Unsupported
//!   features"), so the waker's store-then-load pattern, which relies on
//!   the SeqCst total order, would show lost wake-ups that cannot happen.
//!   Under loom, a `fence(SeqCst)` is added where the pattern needs it
//!   (`sync::seqcst_fence_for_loom`, nothing in a normal build). A weakening
//!   of those SeqCst accesses is therefore not detectable by these models.
//! * Loom treats every mutex operation as SeqCst (see above), which hides
//!   weakenings of the rendezvous flavor's hand-over from the models.
//! * A weakened spin loop (a stamp store made Relaxed) can read a stale
//!   value forever under loom, which has no eventual visibility: such a
//!   model never ends. The ring's mutations publish the stamp before the
//!   message is written instead.
//! * Spinning is replaced by parking under loom; the spin phase of a wait
//!   only delays the same checks, it never decides anything.
//! * Loom's `JoinHandle::join` wakes on `unpark`, std's does not. A thread
//!   that waited on a channel can receive a late `unpark` from the thread
//!   that woke it (harmless in std). The close-race models therefore join
//!   from the main thread, which never waits on a channel.
