//! # Design: hazard slots, asymmetric fences, batched reclamation
//!
//! ## The problem
//!
//! An [`AtomicValue<T>`](crate::AtomicValue) is a pointer to an `Arc<T>`'s
//! contents. Loading is reading the pointer; storing is swapping it. The
//! whole difficulty is the old value: a reader may have read the old
//! pointer an instant before the swap and be about to dereference it. Go's
//! garbage collector settles this for Go. The usual Rust answers cost the
//! reader a write to memory every other reader writes too:
//!
//! | scheme | what a load writes | shared with other readers? |
//! |---|---|---|
//! | `RwLock<Arc<T>>` | the lock's reader count | yes: every load bounces the lock's line |
//! | `Arc` clone per load | the `Arc`'s strong count | yes: the count's line |
//! | this crate | one hazard slot of the reader's own thread | no |
//!
//! ## The scheme
//!
//! **Readers.** Every thread that loads owns a *record* of 8 hazard slots on
//! a 128-byte, 128-aligned block (`src/registry.rs`). A load
//!
//! 1. reads the pointer `p` (SeqCst);
//! 2. stores `p` in a free slot of its record (Release);
//! 3. runs the *light fence*;
//! 4. re-reads the pointer (SeqCst); if it is still `p`, the guard is valid
//!    and dereferences `p`; if not, it goes back to 2 with the new pointer.
//!
//! Dropping the guard stores null in the slot (Release). A slot is in use
//! exactly when it is non-null, so finding a free one is reading our own
//! slots; the common case reads slot 0 and takes a predicted branch.
//!
//! **Writers.** A store swaps in the new pointer (SeqCst) and *retires* the
//! old one: pushes it, with the strong count the `AtomicValue` held, on the
//! `AtomicValue`'s retired list (a mutex-protected `Vec`, touched only by
//! writers). A *reclamation pass* (`src/reclaim.rs`) takes the list, runs the
//! *heavy fence*, reads every slot of every record, and drops the count of
//! every retired pointer that no slot holds. The rest go back on the list.
//!
//! **Why it is safe.** Steps 2–4 against "swap; heavy fence; read slots" is
//! the store-buffering pattern. With a full fence on both sides, at least
//! one of the two threads sees the other's store: either the pass sees the
//! slot (and keeps the value), or the reader's re-read sees the swap (and
//! retries without ever dereferencing `p`). A reader that validated `p` was
//! therefore seen by every pass that could free `p`.
//!
//! ## Asymmetric fences
//!
//! A full fence on every load (`mfence`, or a locked instruction) costs
//! 5–10 ns, several times the rest of the load. Loads vastly outnumber
//! passes, so on Linux the fence is split unevenly (`src/fence.rs`):
//!
//! | mode | light fence (every load) | heavy fence (every pass) |
//! |---|---|---|
//! | asymmetric: Linux, `membarrier(2)` available | compiler fence | `membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)` |
//! | symmetric: elsewhere, Miri, loom, `--cfg gosync_portable_fences` | `fence(SeqCst)` | `fence(SeqCst)` |
//!
//! `membarrier` returns only after every CPU running a thread of this
//! process has executed a full barrier, which turns each reader's compiler
//! fence into a real one at exactly the moments a pass needs it. The mode
//! is decided once per process (the first load or pass registers with the
//! kernel) and never changes.
//!
//! ## When replaced values are dropped
//!
//! A pass in the asymmetric mode costs about 0.2 µs when no other thread of
//! the process is running, and 25 µs or more when others are (an interrupt
//! per busy CPU; more in a VM). So stores run a pass only when
//!
//! * the coarse monotonic clock (≈4 ms ticks) has ticked since the last
//!   pass of this `AtomicValue` (the clock is read when the backlog reaches
//!   1, 2, 4, 8, … values, so a burst reads it a dozen times at most),
//! * the backlog reaches the *batch limit*: the recent cost of a barrier
//!   divided by 2 ns, within 32 to 4,096. Idle neighbours: about 100
//!   values; a busy process on this VM: the cap, 4,096. A store thus pays
//!   about 2 ns of barrier on average (up to 6 ns where a barrier costs
//!   25 µs and the cap binds), or
//! * the backlog's inline size (`size_of::<T>()` × values) reaches 1 MiB,
//!   so a burst of large values cannot pile up gigabytes.
//!
//! A store after a quiet spell therefore frees the value it replaced at
//! once (unless a guard holds it); a burst of stores leaves up to the batch
//! limit of replaced values waiting for the next pass. In the symmetric
//! mode a pass is a `fence(SeqCst)` plus the scan, and every store runs
//! one.
//!
//! Values a guard holds during a pass stay on the list for a later pass.
//!
//! **The deadline.** Neither kind of backlog may wait for a next store that
//! never comes (the contract: a replaced value is dropped within 10 ms of
//! its last guard or `Arc`, even if its `AtomicValue` is never used again).
//! A list that a store or pass leaves non-empty registers, once, with the
//! *reclaimer*: one process-wide thread (`gosync-reclaimer`,
//! `src/reclaimer.rs`), started by the first registration, that wakes every
//! 2 ms while some list is registered and runs a pass on each; a list
//! whose pass finds nothing left deregisters, and with no list registered
//! the thread sleeps on a condition variable. A list whose own stores ran
//! a pass since the previous round is skipped for this one: its writers
//! keep up by themselves, and a heavy fence from the reclaimer would only
//! interrupt them (the barrier hits every running thread). It holds lists
//! weakly, so it never keeps an `AtomicValue`'s list alive. A value
//! released by its last guard thus waits one round, two if stores passed in
//! between, plus scheduling: measured on the 2-core VM (`tests/no_linger.rs`
//! prints it), about 2–3 ms. The cost: a pass (one heavy fence) per quiet
//! list with a backlog every 2 ms until it is gone, none for lists whose
//! stores pass, nothing when idle. The
//! load path is unchanged. Values the reclaimer frees are dropped on its
//! thread: a value's `Drop` that blocks delays other lists' deadlines (never
//! a load or store), and one that panics is caught there (the panic hook
//! reports it) without stopping the thread. Dropping an `AtomicValue` (or
//! a `RetiredList`), and an explicit `reclaim`, wait for a reclaimer pass
//! in flight on its list, so that every value is gone when they return, as
//! before (a store's own pass does not wait); a value whose
//! `Drop` waits for something the dropping thread holds would deadlock
//! there. Under loom the thread does not exist: the models run its round on
//! a thread of their own (`tests/loom_no_linger.rs`). Under Miri it does
//! not exist either (Miri reports a thread alive at exit as an error, which
//! every program with a backlog would hit), so there a backlog waits for
//! its list's next store, `reclaim` or drop, and the 10 ms rule does not
//! hold.
//!
//! [`AtomicValue::reclaim`](crate::AtomicValue::reclaim) runs a pass on
//! demand. When the `AtomicValue` is dropped, everything on its list and
//! its current value are dropped at once, except values a guard still
//! holds: those move to a process-wide *orphan list*, and a guard of that
//! value frees it as it lets go, once no other guard holds it
//! (`after_guard_release`: a guard that clears its slot runs the light
//! fence and reads the orphan count, one relaxed load when there are no
//! orphans; while some exist, it takes the orphan lock to see whether its
//! own value is one, and only then runs a pass). An orphan is only ever
//! freed by a thread that used it: the dropping `AtomicValue`'s thread or
//! one of its guards' threads, never inside an unrelated guard's drop.
//!
//! **Husks.** A pass that holds the last reference of any kind to a value
//! it frees (no guard, no other `Arc`, no `Weak`) drops the value in place
//! but keeps its allocation, `Arc` counts and all, on the list
//! (`src/husk.rs`); `store` and `swap` move their new value into such a
//! *husk* instead of allocating. Freed in a batch, the values would
//! overflow the allocator's per-thread cache (glibc's holds 7 blocks per
//! size), and every following store would pay a slow `malloc` where a
//! `RwLock<Arc<T>>`'s store gets back the block it just freed. A list keeps
//! at most 32 KiB of husks (and at most 4,096, the largest batch), none for
//! a `T` bigger than that, and frees them when it is dropped: memory only,
//! like an allocator's cache, never a value. It keeps none until a writer
//! has taken a new `Arc` from it
//! ([`RetiredList::new_arc`](crate::raw::RetiredList::new_arc)): husks
//! nobody takes (a map's snapshot list, a thread's shard that only
//! deletes) would only hold freed blocks back from the allocator. A store
//! takes its husk, swaps the cell and retires the old value under one
//! acquisition of the list's lock (loads never take it).
//!
//! `Arc`s from [`load_arc`](crate::AtomicValue::load_arc) and
//! [`swap`](crate::AtomicValue::swap) are ordinary strong counts: the value
//! is dropped when the last of them and the retired entry are gone.
//!
//! ## Record lifecycle
//!
//! | event | effect |
//! |---|---|
//! | a thread's first load | claims an unclaimed record (CAS `claimed` false → true, Acquire) or pushes a new one on the registry (CAS on the head, Release) |
//! | load / guard drop | writes only this record's slots |
//! | thread exit (thread-local destructor) | unclaims the record (Release) if all slots are free; otherwise marks it *detached* and the last guard unclaims it |
//! | load with all 8 slots in use, or from a thread-local destructor after ours ran | borrows a second record for the duration of the load, takes an `Arc` count through its slot 0, gives the record back: the guard is *owned* |
//!
//! Records are never freed, so the registry holds as many as the most
//! threads that ever loaded at the same time (plus momentary borrowers).
//! Memory stays bounded: retired lists by the batch size (and 1 MiB of
//! inline size) plus the number of slots, and in time by the reclaimer's
//! 2 ms rounds; records by the peak thread count.
//!
//! ## Orderings
//!
//! | access | ordering | pairs with |
//! |---|---|---|
//! | `current` load / swap / compare-exchange | SeqCst | each other: a swap's Release half with the Acquire half of the load that reads it (Go's store → load edge); SeqCst for Go's single total order of atomics |
//! | slot store of a pointer | Release | the Acquire slot reads of a pass: a slot moving on from an older pointer also publishes this thread's reads of the older value |
//! | slot store of null (guard drop) | Release | the same Acquire slot reads: the pass that frees the value sees every read the guard made |
//! | slot read in a pass | Acquire | the two rows above |
//! | light fence / heavy fence | SeqCst (or compiler fence + membarrier) | each other: the store-buffering pattern above |
//! | `current` load of a [`Reader`](crate::Reader)'s check | SeqCst | as the first row; the cached value's contents were published by the edge its `load_arc` took (see [the cached reader](#the-cached-reader)) |
//! | orphan count | Relaxed | ordered by the light/heavy fence pair (a guard: clear slot, light fence, read count; a dropping `AtomicValue`: write count, heavy fence, read slots); a guard that finds its value is not an orphan relies on the orphan lock instead (its clear happens-before the later dropper's scan) |
//! | record `claimed` unclaim / claim | Release / Acquire | each other: hands the record's owner-only state to the next owner |
//! | registry head push / read | Release CAS / Acquire | each other; pushes are RMWs, so one release sequence covers every record |
//! | retired list, orphan list | mutex | — |
//! | a pass's uniqueness check before keeping a husk: `Arc::get_mut` | its compare-exchange on the weak count and Acquire load of the strong count | the Release decrement of every other strong count (`Arc`'s drop): their owners' uses of the value happen-before it is dropped in place |
//!
//! Dropping an `AtomicValue` needs no heavy fence: holding it by `&mut`
//! means every load of it has finished and happened-before the drop, so the
//! slot stores of its guards are visible to the Acquire reads of the scan.
//!
//! ## Sequential consistency
//!
//! Go promises that all its atomic operations behave as if executed in one
//! sequentially consistent order. Every access to an `AtomicValue`'s pointer
//! is SeqCst, so loads and stores of all `AtomicValue`s (and any other
//! SeqCst atomics of the program) form one total order. Loom checks
//! happens-before, not SC (it models SeqCst accesses as AcqRel), so the
//! store-buffering litmus test for two `AtomicValue`s lives in
//! `tests/stress.rs`, run natively and under Miri.
//!
//! ## What each guard costs
//!
//! | guard | made by | costs |
//! |---|---|---|
//! | slot guard | `load` with a free slot | two plain stores to this thread's line, two loads of the pointer, a compiler fence |
//! | owned guard | `load` with no free slot, `Guard::clone` | an `Arc` increment (and decrement on drop), plus, for `load`, claiming and releasing a spare record |
//!
//! ## The cached reader
//!
//! A [`Reader`](crate::Reader) keeps an `Arc` to the value it returned
//! last and the address of that value. Its load reads `current` (SeqCst,
//! as every access of the cell) and compares it with the address: equal,
//! the cached value is still the stored one, because the reader's count
//! keeps the allocation alive and its address cannot belong to another
//! value meanwhile (the ABA a bare pointer compare would suffer). So the
//! check needs no version word, and the steady-state load writes nothing,
//! publishes no hazard pointer and runs no fence: one shared load, of a
//! line only stores write, and a compare. Different, the reader loads the
//! new value as `load_arc` does, then releases its old `Arc`.
//!
//! The happens-before edge is the one `load_arc` took when the value was
//! cached (Acquire on `current`, paired with the store's Release); a later
//! cached load returns the same value, whose contents that edge already
//! published. Freshness comes from the SeqCst load itself: it sees the
//! newest value in `current`'s modification order that any earlier load of
//! this thread saw, so a reader load is never older than a `load()` before
//! it.
//!
//! The cost is the cache itself: a replaced value stays alive while a
//! reader caches it, until that reader's next load, [`clear`](crate::Reader::clear)
//! or drop. That is an `Arc` like any other, so the 10 ms rule above starts
//! when it goes.
//!
//! ## The parts, for other structures
//!
//! [`crate::raw`] exposes what an `AtomicValue` is made of, for data
//! structures that need many hazard-protected values on the same
//! reclamation (gosync-concurrent-map keeps one per map entry):
//!
//! * [`ArcCell`](crate::raw::ArcCell): the atomic pointer and its protected
//!   loads (the same code as `AtomicValue::load`), one word, with a third
//!   state, the *tombstone*, for the structure's own use (the map's
//!   "expunged"). Every replacement hands back a
//!   [`Retired`](crate::raw::Retired).
//! * [`RetiredList`](crate::raw::RetiredList): the batched passes. Any
//!   number of cells may share one list; the map keeps one per writing
//!   thread, so writers do not contend for one lock.
//! * [`HazardSlot`](crate::raw::HazardSlot): one slot held across a walk
//!   over many cells (the map's `range`), moved from value to value: a
//!   store, a fence and a re-read per value, no reservation each time.
//! * [`Retired::guard`](crate::raw::Retired::guard): a guard for a value
//!   just replaced, published in a slot before the value reaches a list,
//!   so a `swap` can return the previous value without touching its
//!   reference count.
//!
//! A cell's drop frees its value without a heavy fence, because ownership
//! means every load of it has happened-before; a `Retired` dropped outside
//! a list (or a list dropped while its cells live on) runs one.
