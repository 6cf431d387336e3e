//! The bounded flavor: a ring of `cap` slots (capacity ≥ 1).
//!
//! Senders and receivers each claim a slot with one compare-exchange on
//! their own index (`tail` and `head`), then move the message in or out
//! and hand the slot over by storing its stamp. Nobody takes a lock unless
//! it has to block.
//!
//! # Indices and stamps
//!
//! `head` and `tail` are `{lap, mark, index}` words:
//!
//! | bits                       | meaning                                      |
//! |----------------------------|----------------------------------------------|
//! | `index` (below `mark_bit`) | the slot, `0..cap`                           |
//! | `mark_bit` (tail only)     | the channel is closed                        |
//! | `lap` (multiples of `one_lap`) | how many times the index wrapped around |
//!
//! A slot's stamp says whose turn it is: a stamp equal to `tail` means the
//! slot is free for the sender at that position; equal to `head + 1`, it
//! holds the message for the receiver at that position. A receive stores
//! `head + one_lap` (free for the next lap's sender); a send stores
//! `tail + 1`.
//!
//! A send reservation that is cancelled (a select's send case whose value
//! expression panicked, or whose operation was dropped) takes the tail
//! back if nobody reserved after it; otherwise it stores `tail + 1` with
//! `mark_bit` set: a *skipped* slot, which the receiver of that position
//! frees and steps over, and which the channel's drop does not treat as a
//! message.
//!
//! A slot a hand-off reserved for a sender that writes its message itself
//! (a select's send case or a send future: a *permit*, see
//! [`Channel::hand_off`]) has the stamp `tail` with `mark_bit` set until
//! that write. Its holder may be a task nobody is polling yet, so a
//! receiver that finds the permit at the head does not spin for it: it
//! counts the channel as empty there and parks (or stays pending), and
//! the holder's write, or its cancel, wakes it. A stamp never has
//! `mark_bit` otherwise.
//!
//! # Orderings (the Go memory model's edges)
//!
//! * A send happens-before the receive of its message: the sender's
//!   Release store of the stamp in [`Channel::write`] pairs with the
//!   receiver's Acquire load of the stamp in [`Channel::start_recv`].
//! * The k-th receive happens-before the (k+cap)-th send completes: the
//!   receiver's Release stamp store in [`Channel::read`] pairs with the
//!   sender's Acquire stamp load in [`Channel::start_send`] of the next lap.
//! * Close happens-before a receive that reports it: `close` is a SeqCst
//!   (so also Release) read-modify-write of `tail`; the receiver reads
//!   `tail` with Acquire before it reports the channel closed.
//! * The SeqCst compare-exchanges on the indices and the SeqCst loads of
//!   `is_empty`/`is_full` (the re-check after registering) form the
//!   store-then-load pattern with the wakers' `is_empty` flags (see
//!   [`SyncWaker`](crate::waker::SyncWaker)). A permit's stamp is part of
//!   that pattern too (a receiver's re-check reads it, SeqCst): its
//!   holder's write and a cancel's skip store the stamp, then fence
//!   (SeqCst) before they look for receivers to wake.
//!
//! # Never waiting in `try_send` / `try_recv`
//!
//! A position claimed by a sender whose write has not landed yet is not a
//! message: a non-blocking receive reports the channel empty rather than
//! wait for that sender (which may have been preempted: crossbeam #997),
//! and a non-blocking send reports it full rather than wait for a receiver
//! in the middle of a read. Blocking operations wait for them (briefly,
//! spinning, then yielding).

use std::mem::MaybeUninit;
use std::time::Instant;

use crate::context::{Context, Operation, Selected};
use crate::err::{RecvTimeoutError, SendTimeoutError, TryRecvError, TrySendError};
use crate::layout::{Layout, Padded};
use crate::packet::Packet;
use crate::select::{SelectHandle, Token};
use crate::sync::{fence, seqcst_fence_for_loom, AtomicUsize, Backoff, Ordering, UnsafeCell};
use crate::waker::SyncWaker;

/// One slot of the ring.
struct Slot<T> {
    /// Whose turn it is (see the module docs).
    stamp: AtomicUsize,
    /// The message, present between a send's write and a receive's read.
    msg: UnsafeCell<MaybeUninit<T>>,
}

/// A slot reserved by [`Channel::start_send`] or [`Channel::start_recv`]
/// and not yet written or read; a null slot means the channel is closed.
#[derive(Debug)]
pub(crate) struct ArrayToken {
    slot: *const u8,
    stamp: usize,
    /// The slot is a hand-off's permit (module docs): its write fences.
    permit: bool,
}

impl Default for ArrayToken {
    fn default() -> Self {
        ArrayToken {
            slot: std::ptr::null(),
            stamp: 0,
            permit: false,
        }
    }
}

/// A bounded channel with its field groups laid out by `L` (see
/// [`crate::layout`]).
#[repr(C)]
pub(crate) struct Channel<T, L: Layout = Padded> {
    // Read by everyone, written by nobody after construction: a line to
    // themselves (the blocks below start on fresh lines when padded).
    buffer: Box<[Slot<T>]>,
    cap: usize,
    /// The smallest power of two above `cap`: the closed bit of `tail`.
    mark_bit: usize,
    /// `2 * mark_bit`: one lap of the indices.
    one_lap: usize,
    /// The next position to receive from.
    head: L::Block<AtomicUsize>,
    /// The next position to send to, plus the closed bit.
    tail: L::Block<AtomicUsize>,
    /// Senders blocked on a full channel.
    senders: L::Block<SyncWaker>,
    /// Senders that count as blocked: from a little after they found the
    /// channel full until they are done (see `send_blocked`; a select's
    /// send case while it is registered). Counted before they take the
    /// waker's lock to queue, so a queue someone is about to join (it may
    /// be waiting for the lock) already counts; while it is not zero,
    /// running senders leave freed slots to them. A line of its own: the
    /// blocked senders update it, while every receive reads the waker's
    /// `is_empty` flag.
    blocked_senders: L::Block<AtomicUsize>,
    /// Receivers blocked on an empty channel.
    receivers: L::Block<SyncWaker>,
}

// SAFETY: the channel owns the `T`s in its slots and hands each to exactly
// one receiver (the stamp protocol), so sharing it between threads moves
// `T`s between threads: `T: Send` is all that needs.
unsafe impl<T: Send, L: Layout> Send for Channel<T, L> {}
// SAFETY: as for `Send`; no `&T` is ever shared.
unsafe impl<T: Send, L: Layout> Sync for Channel<T, L> {}

impl<T, L: Layout> Channel<T, L> {
    /// A channel of capacity `cap` (≥ 1).
    ///
    /// # Panics
    ///
    /// If `cap` is so large that the ring's size overflows `isize`, or the
    /// allocator refuses it; before anything is allocated in the first
    /// case.
    pub(crate) fn with_capacity(cap: usize) -> Self {
        assert!(cap > 0, "capacity must be positive");
        let mark_bit = cap
            .checked_add(1)
            .and_then(usize::checked_next_power_of_two)
            .filter(|mark| mark.checked_mul(2).is_some())
            .unwrap_or_else(|| panic!("channel capacity {cap} is too large"));
        let bytes = cap.checked_mul(size_of::<Slot<T>>());
        assert!(
            bytes.is_some_and(|bytes| bytes <= isize::MAX as usize),
            "channel capacity {cap} is too large: {cap} slots of {} bytes overflow the address space",
            size_of::<Slot<T>>()
        );
        let mut slots = Vec::new();
        if slots.try_reserve_exact(cap).is_err() {
            panic!(
                "channel capacity {cap} is too large: could not allocate {} bytes",
                bytes.unwrap_or(usize::MAX)
            );
        }
        // Slot i starts free for the lap-0 sender at position i.
        slots.extend((0..cap).map(|i| Slot {
            stamp: AtomicUsize::new(i),
            msg: UnsafeCell::new(MaybeUninit::uninit()),
        }));
        Channel {
            buffer: slots.into_boxed_slice(),
            cap,
            mark_bit,
            one_lap: mark_bit * 2,
            head: L::block(AtomicUsize::new(0)),
            tail: L::block(AtomicUsize::new(0)),
            senders: L::block(SyncWaker::new()),
            blocked_senders: L::block(AtomicUsize::new(0)),
            receivers: L::block(SyncWaker::new()),
        }
    }

    /// Reserves a slot to send into; false if the channel is full, or if
    /// senders are queued (a freed slot is theirs, oldest first: see
    /// [`Channel::hand_off`]). True with a null token if it is closed.
    #[inline(always)]
    pub(crate) fn start_send(&self, token: &mut Token) -> bool {
        self.reserve_send(token, false, false)
    }

    /// `start_send`, with two exceptions. `blocked`: the caller is one of
    /// the blocked senders (a hand-off on their behalf, or a blocked sender
    /// retrying before it queues, which has checked that nobody queued), so
    /// they do not make the channel count as full. `wait_for_read`: wait
    /// however long a read in progress takes (a hand-off: see below).
    #[inline(always)]
    fn reserve_send(&self, token: &mut Token, blocked: bool, wait_for_read: bool) -> bool {
        let mut backoff = Backoff::new();
        // Relaxed: only a guess, re-checked by the stamp and the CAS.
        let mut tail = self.tail.load(Ordering::Relaxed);
        loop {
            if tail & self.mark_bit != 0 {
                token.array.slot = std::ptr::null();
                return true;
            }
            let index = tail & (self.mark_bit - 1);
            let lap = tail & !(self.one_lap - 1);
            let slot = &self.buffer[index];
            // Acquire: pairs with the Release stamp store in `read` of the
            // receive that emptied this slot a lap ago (k-th receive
            // happens-before the (k+cap)-th send).
            let stamp = slot.stamp.load(Ordering::Acquire);
            if stamp == tail {
                // A free slot; but while senders are queued it is theirs
                // (Go's FIFO among blocked senders). SeqCst: the flag's
                // every access is (see `SyncWaker`).
                if !blocked && self.is_blocking() {
                    return false;
                }
                let next = if index + 1 < self.cap {
                    tail + 1
                } else {
                    lap.wrapping_add(self.one_lap)
                };
                // SeqCst: the store half of the waker pattern (module docs).
                // Failure Relaxed: the fresh `tail` is only the next guess,
                // checked again against the slot's Acquire stamp.
                match self.tail.compare_exchange_weak(
                    tail,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        token.array.slot = std::ptr::from_ref(slot).cast();
                        token.array.stamp = tail + 1;
                        return true;
                    }
                    Err(current) => {
                        tail = current;
                        backoff.spin();
                    }
                }
            } else if (stamp & !self.mark_bit).wrapping_add(self.one_lap) == tail + 1 {
                // The slot still holds last lap's message (or is a skipped
                // one the receivers have not passed yet): full, unless a
                // receiver has claimed it and is reading it now. (No fence:
                // the Acquire stamp load keeps this load after it.)
                let head = self.head.load(Ordering::Relaxed);
                if head.wrapping_add(self.one_lap) == tail
                    || (!wait_for_read && (token.nonblocking || backoff.is_completed()))
                {
                    // Full; or a read in progress that a non-blocking
                    // caller does not wait for (crossbeam #997), and a
                    // blocking one waits for only briefly before it
                    // parks (its deadline then still counts). A hand-off
                    // waits for the read: its reader has yet to look for
                    // queued senders, but may have looked before the one
                    // that queued and asked for this hand-off registered
                    // (the slot's stamp is a plain store, no part of the
                    // waker pattern), so this slot is the queue's.
                    return false;
                }
                backoff.snooze();
                // Relaxed: a guess again (see the top of the loop).
                tail = self.tail.load(Ordering::Relaxed);
            } else {
                // A stale tail (a later sender moved it on), or a slot held
                // by an earlier lap's send reservation that was never
                // finished (a forgotten `SelectedOperation`): with the tail
                // unchanged, it is not ours to take; treat it as full.
                // Relaxed: a guess again (see the top of the loop).
                let fresh = self.tail.load(Ordering::Relaxed);
                if fresh == tail {
                    if token.nonblocking || backoff.is_completed() {
                        return false;
                    }
                    backoff.snooze();
                }
                tail = fresh;
            }
        }
    }

    /// Writes `msg` into the slot `token` reserved; hands it back if the
    /// channel was closed.
    ///
    /// # Safety
    ///
    /// `token` was filled by a `start_send` on this channel that returned
    /// true, and is used once.
    #[inline(always)]
    pub(crate) unsafe fn write(&self, token: &mut Token, msg: T) -> Result<(), T> {
        if token.array.slot.is_null() {
            return Err(msg);
        }
        // SAFETY: a reserved slot of our buffer (the caller's contract).
        let slot = unsafe { &*token.array.slot.cast::<Slot<T>>() };
        // SAFETY: the reservation makes us the only thread touching the
        // slot's message until the stamp store below hands it over.
        slot.msg
            .with_mut(|msg_ptr| unsafe { msg_ptr.write(MaybeUninit::new(msg)) });
        // Release: pairs with the Acquire stamp load in `start_recv` (a
        // send happens-before the receive of its message).
        slot.stamp.store(token.array.stamp, Ordering::Release);
        if token.array.permit {
            // A receiver may have parked on the permit's stamp (module
            // docs): the store half of the waker pattern needs a fence
            // after a plain store. Pairs with the SeqCst stamp load in
            // `ready_to_recv`.
            fence(Ordering::SeqCst);
            self.receivers.notify_after_fence();
        } else {
            self.receivers.notify();
        }
        Ok(())
    }

    /// Reserves a slot to receive from; false if the channel is empty.
    /// True with a null token if it is closed and drained.
    #[inline(always)]
    pub(crate) fn start_recv(&self, token: &mut Token) -> bool {
        let mut backoff = Backoff::new();
        // Relaxed: only a guess, re-checked by the stamp and the CAS.
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            let index = head & (self.mark_bit - 1);
            let lap = head & !(self.one_lap - 1);
            let slot = &self.buffer[index];
            // Acquire: pairs with the Release stamp store in `write`.
            let stamp = slot.stamp.load(Ordering::Acquire);
            if head + 1 == stamp {
                let next = if index + 1 < self.cap {
                    head + 1
                } else {
                    lap.wrapping_add(self.one_lap)
                };
                // SeqCst: the store half of the waker pattern (module docs).
                // Failure Relaxed: as in `start_send`.
                match self.head.compare_exchange_weak(
                    head,
                    next,
                    Ordering::SeqCst,
                    Ordering::Relaxed,
                ) {
                    Ok(_) => {
                        token.array.slot = std::ptr::from_ref(slot).cast();
                        token.array.stamp = head.wrapping_add(self.one_lap);
                        return true;
                    }
                    Err(current) => {
                        head = current;
                        backoff.spin();
                    }
                }
            } else if stamp == head {
                // The slot waits for this lap's message: empty, unless a
                // sender has claimed it and is writing it now. (No fence:
                // the Acquire stamp load keeps this load after it.)
                if let Some(closed) = self.empty_at(head, token) {
                    return closed;
                }
                if token.nonblocking || backoff.is_completed() {
                    // A write in progress: not a message yet. A
                    // non-blocking caller does not wait for it (crossbeam
                    // #997: `try_recv` blocking on a preempted sender); a
                    // blocking one waits only briefly before it parks.
                    return false;
                }
                backoff.snooze();
                // Relaxed: a guess again.
                head = self.head.load(Ordering::Relaxed);
            } else if stamp == (head + 1) | self.mark_bit {
                head = self.step_over_skipped(head);
            } else if stamp == head | self.mark_bit {
                // A permit whose holder has not written yet (module docs):
                // not worth a spin; its write wakes us.
                return false;
            } else {
                // A stale head, or a slot still holding an earlier lap's
                // message whose receive was never finished (a forgotten
                // `SelectedOperation`): with the head unchanged, the channel
                // is as empty as the indices say.
                // Relaxed: a guess again.
                let fresh = self.head.load(Ordering::Relaxed);
                if fresh == head {
                    if let Some(closed) = self.empty_at(head, token) {
                        return closed;
                    }
                    if token.nonblocking || backoff.is_completed() {
                        return false;
                    }
                    backoff.snooze();
                }
                head = fresh;
            }
        }
    }

    /// For a receive at `head` that found no message in its slot: `None`
    /// if the tail is past `head` (a send is in progress there); else the
    /// channel is empty, and `Some(start_recv's answer)`: true with a null
    /// token if it is also closed (drained), false if not.
    #[inline(always)]
    fn empty_at(&self, head: usize, token: &mut Token) -> Option<bool> {
        // Acquire: pairs with the SeqCst `fetch_or` in `close` (close
        // happens-before a receive that reports it).
        let tail = self.tail.load(Ordering::Acquire);
        if tail & !self.mark_bit != head {
            return None;
        }
        if tail & self.mark_bit != 0 {
            token.array.slot = std::ptr::null();
            return Some(true);
        }
        Some(false)
    }

    /// A receive found the slot at `head` skipped (a cancelled send
    /// reservation, module docs): claims the position, frees the slot for
    /// the next lap, and returns the head to go on from (the next
    /// position, or the current head if another receiver moved it first).
    /// Out of line: it is rare, and it keeps the receive fast path at one
    /// locked instruction.
    #[cold]
    #[inline(never)]
    fn step_over_skipped(&self, head: usize) -> usize {
        let next = self.next_position(head);
        // SeqCst: as the claim in `start_recv`. Failure Relaxed: a guess.
        match self
            .head
            .compare_exchange(head, next, Ordering::SeqCst, Ordering::Relaxed)
        {
            Ok(_) => {
                let slot = &self.buffer[head & (self.mark_bit - 1)];
                // Release: pairs with the Acquire stamp load in `start_send`
                // of the next lap, as in `read`.
                slot.stamp
                    .store(head.wrapping_add(self.one_lap), Ordering::Release);
                self.hand_off_if_queued();
                next
            }
            Err(current) => current,
        }
    }

    /// A sender starts to count as blocked (see `blocked_senders`).
    /// SeqCst, as every access: ordered with the indices like the wakers'
    /// flags, though only a policy hangs on it (FIFO), no wake-up.
    fn begin_blocking(&self) {
        self.blocked_senders.fetch_add(1, Ordering::SeqCst);
    }

    /// The sender that called `begin_blocking` is done.
    fn end_blocking(&self) {
        self.blocked_senders.fetch_sub(1, Ordering::SeqCst);
    }

    /// Whether some sender counts as blocked.
    #[inline(always)]
    fn is_blocking(&self) -> bool {
        self.blocked_senders.load(Ordering::SeqCst) != 0
    }

    /// The position after `position` (the index wraps to the next lap).
    fn next_position(&self, position: usize) -> usize {
        let index = position & (self.mark_bit - 1);
        if index + 1 < self.cap {
            position + 1
        } else {
            (position & !(self.one_lap - 1)).wrapping_add(self.one_lap)
        }
    }

    /// Undoes a `start_send` whose message will never be written: gives
    /// the position back if no later send has reserved one, else marks the
    /// slot skipped (module docs).
    ///
    /// # Safety
    ///
    /// As for [`Channel::write`]; the token is not used afterwards.
    pub(crate) unsafe fn cancel_send(&self, token: &mut Token) {
        if !token.array.slot.is_null() && self.give_back_send(token) {
            // Our reservation may have been what filled the channel, or
            // what a hand-off would have given the queue.
            self.hand_off_if_queued();
        }
    }

    /// The undo of `cancel_send`, without handing the slot on; true if the
    /// position was given back (rather than skipped). `token` holds a
    /// reservation of this channel, not used afterwards.
    fn give_back_send(&self, token: &mut Token) -> bool {
        // SAFETY: a reserved slot of our buffer (the callers' contract).
        let slot = unsafe { &*token.array.slot.cast::<Slot<T>>() };
        let position = token.array.stamp - 1;
        let next = self.next_position(position);
        if token.array.permit {
            // Free again, should the position be given back below. Relaxed:
            // a sender takes the position only once it sees the tail at it,
            // and it re-reads the stamp until it sees this store.
            slot.stamp.store(position, Ordering::Relaxed);
        }
        // Relaxed: a guess, checked by the compare-exchange.
        let mut tail = self.tail.load(Ordering::Relaxed);
        while tail & !self.mark_bit == next {
            // SeqCst: as every change of `tail` (the waker pattern); the
            // closed bit is kept. Failure Relaxed: a guess again.
            match self.tail.compare_exchange_weak(
                tail,
                position | (tail & self.mark_bit),
                Ordering::SeqCst,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(current) => tail = current,
            }
        }
        // Release: pairs with the Acquire stamp load in `start_recv` of the
        // receiver that steps over this slot.
        slot.stamp
            .store(token.array.stamp | self.mark_bit, Ordering::Release);
        // A receiver may have parked on a permit's stamp: as in `write`.
        fence(Ordering::SeqCst);
        self.receivers.notify_after_fence();
        false
    }

    /// Undoes a `start_recv` whose message will not be read: gives the
    /// position back if no later receive has claimed one (the message stays
    /// first in line), else reads the message and drops it.
    ///
    /// # Safety
    ///
    /// As for [`Channel::read`]; the token is not used afterwards.
    pub(crate) unsafe fn cancel_recv(&self, token: &mut Token) {
        if token.array.slot.is_null() {
            return;
        }
        let position = token.array.stamp.wrapping_sub(self.one_lap);
        // SeqCst: as every change of `head`. Failure Relaxed: we only learn
        // that the position cannot be given back.
        if self
            .head
            .compare_exchange(
                self.next_position(position),
                position,
                Ordering::SeqCst,
                Ordering::Relaxed,
            )
            .is_ok()
        {
            self.receivers.notify();
            return;
        }
        // SAFETY: the caller's contract is `read`'s.
        drop(unsafe { self.read(token) });
    }

    /// Reads the message from the slot `token` reserved; `Err` if the
    /// channel was closed and drained.
    ///
    /// # Safety
    ///
    /// `token` was filled by a `start_recv` on this channel that returned
    /// true, and is used once.
    #[inline(always)]
    pub(crate) unsafe fn read(&self, token: &mut Token) -> Result<T, ()> {
        if token.array.slot.is_null() {
            return Err(());
        }
        // SAFETY: a reserved slot of our buffer (the caller's contract).
        let slot = unsafe { &*token.array.slot.cast::<Slot<T>>() };
        // SAFETY: the stamp we loaded with Acquire said the slot holds this
        // lap's message, and our reservation makes it ours alone.
        let msg = slot
            .msg
            .with(|msg_ptr| unsafe { msg_ptr.read().assume_init() });
        // Release: pairs with the Acquire stamp load in `start_send` of the
        // next lap (k-th receive happens-before the (k+cap)-th send).
        slot.stamp.store(token.array.stamp, Ordering::Release);
        self.hand_off_if_queued();
        Ok(msg)
    }

    #[inline]
    pub(crate) fn try_send(&self, msg: T) -> Result<(), TrySendError<T>> {
        let token = &mut Token::nonblocking();
        if self.start_send(token) {
            // SAFETY: just reserved, used once.
            unsafe { self.write(token, msg) }.map_err(TrySendError::Closed)
        } else {
            Err(TrySendError::Full(msg))
        }
    }

    #[inline]
    pub(crate) fn send(
        &self,
        msg: T,
        deadline: Option<Instant>,
    ) -> Result<(), SendTimeoutError<T>> {
        // Non-blocking attempts: no waiting for a read in progress inside
        // one (a hand-off waits for it instead, with our place kept).
        let token = &mut Token::nonblocking();
        if self.start_send(token) {
            // SAFETY: just reserved, used once.
            return unsafe { self.write(token, msg) }.map_err(SendTimeoutError::Closed);
        }
        let mut blocked = false;
        let sent = self.send_blocked(token, msg, deadline, &mut blocked);
        if blocked {
            self.end_blocking();
        }
        sent
    }

    /// A send that found the channel full (or others blocked first). It
    /// spins briefly (unless others are blocked already); then it counts as
    /// blocked (`blocked` is set), so that running senders leave freed
    /// slots to it, and keeps retrying,
    /// yielding, before it queues: a running receiver's freed slot is then
    /// taken without the queue's lock, and on a shared core the receiver
    /// gets to run. Those retries do not defer to the other blocked senders
    /// that have not queued either; once anyone has queued, the queue goes
    /// first and we join it.
    fn send_blocked(
        &self,
        token: &mut Token,
        mut msg: T,
        deadline: Option<Instant>,
        blocked: &mut bool,
    ) -> Result<(), SendTimeoutError<T>> {
        let mut backoff = Backoff::new();
        loop {
            if self.is_closed() {
                return Err(SendTimeoutError::Closed(msg));
            }
            // Blocked once the spin is over, or at once behind others
            // that are (a slot freed now is theirs as much as ours).
            if !*blocked && (backoff.is_spun() || self.is_blocking()) {
                self.begin_blocking();
                *blocked = true;
            }
            if !self.senders.has_waiters() {
                if self.reserve_send(token, *blocked, false) {
                    // SAFETY: just reserved, used once.
                    return unsafe { self.write(token, msg) }.map_err(SendTimeoutError::Closed);
                }
                if !backoff.is_completed() {
                    backoff.snooze();
                    continue;
                }
            }
            if !*blocked {
                self.begin_blocking();
                *blocked = true;
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Err(SendTimeoutError::Timeout(msg));
            }
            let outcome = Context::with(|cx| {
                let oper = Operation::hook(token);
                let packet = Packet::message_on_stack(msg);
                self.senders.register_with_packet(
                    oper,
                    std::ptr::from_ref(&packet).cast_mut().cast(),
                    cx,
                );
                self.after_sender_queued(cx);
                match cx.wait_until(deadline) {
                    Selected::Operation(claimed) if claimed == oper => {
                        // A hand-off moved our message into a slot.
                        packet.wait_ready();
                        None
                    }
                    _ => {
                        // Not claimed: the entry and the packet are still ours.
                        self.senders.unregister(oper);
                        // SAFETY: unregistered and unclaimed: ours alone.
                        Some(
                            unsafe { packet.take() }
                                .expect("an unclaimed packet keeps its message"),
                        )
                    }
                }
            });
            match outcome {
                None => return Ok(()),
                // Closed, timed out or woken by a closing channel: look
                // again (the attempt reports the close, the loop the
                // deadline).
                Some(back) => msg = back,
            }
        }
    }

    /// Right after a sender queued up: a slot freed before our
    /// registration was visible was handed to nobody, so hand it to the
    /// queue now (maybe to us); and a closed channel wakes us at once.
    /// SeqCst loads (`ready_to_send`): the load half of the waker pattern.
    fn after_sender_queued(&self, cx: &Context) {
        if self.ready_to_send() {
            if self.is_closed() {
                let _ = cx.try_select(Selected::Aborted);
            } else {
                self.hand_off(true);
            }
        }
    }

    /// Fills `token` with the slot a hand-off reserved (its stamp).
    fn fill_reservation(&self, token: &mut Token, stamp: usize) {
        let index = (stamp - 1) & (self.mark_bit - 1);
        token.array.slot = std::ptr::from_ref(&self.buffer[index]).cast();
        token.array.stamp = stamp;
        token.array.permit = true;
    }

    /// Hands freed slots to the queued senders, if any are queued.
    #[inline(always)]
    fn hand_off_if_queued(&self) {
        // The caller just freed a slot: the store half of the waker pattern.
        seqcst_fence_for_loom();
        if self.senders.has_waiters() {
            self.hand_off(false);
        }
    }

    /// Go's FIFO among blocked senders: while senders are queued, a free
    /// slot is reserved here for the oldest of them rather than left for
    /// whichever sender runs first. A blocked `send`'s message is moved
    /// into it here (the sender is then claimed and told it is done); a
    /// select's send case is claimed with the reservation, and writes its
    /// value itself. Runs wherever a slot is freed while senders wait, and
    /// where a sender queues up next to a free slot.
    #[cold]
    #[inline(never)]
    ///
    /// `wait_for_read`: wait for a read in progress in the slot to finish
    /// (a sender that just queued: that reader may have looked for queued
    /// senders before our registration was visible). Whoever frees a slot
    /// does not wait: a read in progress hands off itself when it is done.
    /// Reserving and claiming happen together under the senders' lock, so
    /// slots go to the queue in order: a sender's later message can never
    /// land in an earlier slot than its previous one.
    fn hand_off(&self, wait_for_read: bool) {
        loop {
            let claimed = self.senders.with_waiters(|waiters| {
                if waiters.is_empty() {
                    return None;
                }
                let token = &mut if wait_for_read {
                    Token::default()
                } else {
                    Token::nonblocking()
                };
                if !self.reserve_send(token, true, wait_for_read) || token.array.slot.is_null() {
                    // Full again, a read in progress (it hands off when
                    // done), or closed (the close wakes them all).
                    return None;
                }
                match waiters.claim_oldest() {
                    Some(entry) if entry.packet.is_null() => {
                        // A select's send case: its value does not exist
                        // yet, so it gets the slot and writes it itself.
                        // Its stamp says so to the receivers (module docs).
                        // Relaxed: it publishes nothing; the holder's write
                        // comes after it (it learns the stamp through the
                        // claim below).
                        let slot = &self.buffer[(token.array.stamp - 1) & (self.mark_bit - 1)];
                        slot.stamp
                            .store((token.array.stamp - 1) | self.mark_bit, Ordering::Relaxed);
                        entry.cx.store_reservation(token.array.stamp);
                        Some(entry.cx)
                    }
                    Some(entry) => {
                        // A blocked send: move its message in, as Go's
                        // receive does, so the channel never waits for the
                        // oldest sender's thread to be scheduled.
                        // SAFETY: a blocked send's packet, alive until it
                        // sees `ready` (it waits for that once claimed,
                        // and we claimed it); nobody else touches it.
                        let packet = unsafe { &*entry.packet.cast::<Packet<T>>() };
                        // SAFETY: as above.
                        let msg = unsafe { packet.take() }
                            .expect("a blocked send's packet holds its message");
                        // SAFETY: just reserved, used once; the slot is
                        // not closed (checked above).
                        let written = unsafe { self.write(token, msg) };
                        debug_assert!(written.is_ok());
                        // Release: pairs with the Acquire in `wait_ready`
                        // (the receive that freed the slot, and the move,
                        // happen-before the send completes).
                        packet.ready.store(true, Ordering::Release);
                        // `packet` may be gone from here on.
                        Some(entry.cx)
                    }
                    None => {
                        // Every one of them is giving up or was claimed
                        // elsewhere: they will look again themselves.
                        self.give_back_send(token);
                        None
                    }
                }
            });
            match claimed {
                Some(cx) => cx.unpark(),
                None => return,
            }
        }
    }

    #[inline]
    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let token = &mut Token::nonblocking();
        if self.start_recv(token) {
            // SAFETY: just reserved, used once.
            unsafe { self.read(token) }.map_err(|()| TryRecvError::Closed)
        } else {
            Err(TryRecvError::Empty)
        }
    }

    #[inline]
    pub(crate) fn recv(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        let token = &mut Token::default();
        if self.receivers.reserve_or_wait(
            token,
            deadline,
            |token| self.start_recv(token),
            || self.ready_to_recv(),
        ) {
            // SAFETY: just reserved, used once.
            unsafe { self.read(token) }.map_err(|()| RecvTimeoutError::Closed)
        } else {
            Err(RecvTimeoutError::Timeout)
        }
    }

    /// A blocked sender may go on: a slot is free or the channel closed.
    /// SeqCst loads (`is_full`, `is_closed`): the load half of the waker
    /// pattern.
    fn ready_to_send(&self) -> bool {
        !self.is_full() || self.is_closed()
    }

    /// A blocked receiver may go on: a message is there (or being
    /// written) or the channel closed. SeqCst loads, as `ready_to_send`.
    ///
    /// A permit at the head whose holder has not written yet does not
    /// count: that write wakes us (module docs). Its stamp load is SeqCst,
    /// the load half of the waker pattern, pairing with the fence there.
    fn ready_to_recv(&self) -> bool {
        let head = self.head.load(Ordering::SeqCst);
        let tail = self.tail.load(Ordering::SeqCst);
        if tail & !self.mark_bit == head {
            return tail & self.mark_bit != 0;
        }
        let stamp = self.buffer[head & (self.mark_bit - 1)]
            .stamp
            .load(Ordering::SeqCst);
        stamp != head | self.mark_bit
    }

    /// Messages in the channel now (a snapshot).
    pub(crate) fn len(&self) -> usize {
        loop {
            let tail = self.tail.load(Ordering::SeqCst);
            let head = self.head.load(Ordering::SeqCst);
            if self.tail.load(Ordering::SeqCst) == tail {
                return self.len_between(head, tail);
            }
        }
    }

    fn len_between(&self, head: usize, tail: usize) -> usize {
        let tail = tail & !self.mark_bit;
        let hix = head & (self.mark_bit - 1);
        let tix = tail & (self.mark_bit - 1);
        if hix < tix {
            tix - hix
        } else if hix > tix {
            self.cap - hix + tix
        } else if tail == head {
            0
        } else {
            self.cap
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.cap
    }

    /// SeqCst loads: the load half of the waker pattern (module docs).
    pub(crate) fn is_empty(&self) -> bool {
        let head = self.head.load(Ordering::SeqCst);
        let tail = self.tail.load(Ordering::SeqCst);
        tail & !self.mark_bit == head
    }

    /// SeqCst loads: the load half of the waker pattern (module docs).
    pub(crate) fn is_full(&self) -> bool {
        let tail = self.tail.load(Ordering::SeqCst);
        let head = self.head.load(Ordering::SeqCst);
        head.wrapping_add(self.one_lap) == tail & !self.mark_bit
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.tail.load(Ordering::SeqCst) & self.mark_bit != 0
    }

    /// Closes the channel; true if this call did. Wakes every blocked
    /// sender and receiver.
    pub(crate) fn close(&self) -> bool {
        // SeqCst: a Release for the close → "receive reports closed" edge
        // (paired in `start_recv`), and part of the waker pattern.
        let tail = self.tail.fetch_or(self.mark_bit, Ordering::SeqCst);
        if tail & self.mark_bit == 0 {
            self.senders.close();
            self.receivers.close();
            true
        } else {
            false
        }
    }

    /// The last receiver is gone: close, and drop every buffered message
    /// now rather than when the last sender goes (crossbeam #1102).
    pub(crate) fn close_and_discard(&self) {
        self.close();
        // A loom model that failed panics mid-operation and may leave a slot
        // reserved but never finished; draining it would wait forever while
        // the panic unwinds. (No operation of ours panics outside loom.)
        #[cfg(gosync_loom)]
        if std::thread::panicking() {
            return;
        }
        let token = &mut Token::default();
        // No receiver is left to race with, and no send can start after
        // the close; a send that reserved its slot before it is finished
        // first (`start_recv` waits for its stamp).
        while self.start_recv(token) {
            // SAFETY: just reserved, used once.
            match unsafe { self.read(token) } {
                Ok(msg) => drop(msg),
                Err(()) => break,
            }
        }
    }

    /// Both indices (and the closed bit) in one number, for a non-blocking
    /// select (SeqCst loads: ordered with the indices' compare-exchanges).
    #[inline]
    pub(crate) fn version(&self) -> u64 {
        let head = self.head.load(Ordering::SeqCst) as u64;
        let tail = self.tail.load(Ordering::SeqCst) as u64;
        head.rotate_left(32) ^ tail
    }

    /// The address that identifies this channel in a select.
    pub(crate) fn addr(&self) -> *const u8 {
        std::ptr::from_ref(self).cast()
    }

    /// The receiving side as a select case.
    pub(crate) fn receiver(&self) -> Receiving<'_, T, L> {
        Receiving(self)
    }

    /// The sending side as a select case.
    pub(crate) fn sender(&self) -> Sending<'_, T, L> {
        Sending(self)
    }
}

impl<T, L: Layout> Drop for Channel<T, L> {
    fn drop(&mut self) {
        // Exclusive access: no operation is in flight.
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Relaxed);
        let len = self.len_between(head, tail);
        let first = head & (self.mark_bit - 1);
        for i in 0..len {
            let index = (first + i) % self.cap;
            let slot = &self.buffer[index];
            // Positions head..tail hold a message whose stamp says so
            // (`position + 1`, whose index bits are `index + 1`). Not so a
            // skipped slot (`mark_bit` set), nor one whose reservation was
            // forgotten (`mem::forget` of a `SelectedOperation`: the stamp
            // still says "free"): those were never written.
            // Relaxed: exclusive access (`&mut self`).
            let stamp = slot.stamp.load(Ordering::Relaxed);
            if stamp & self.mark_bit != 0 || stamp & (self.mark_bit - 1) != index + 1 {
                continue;
            }
            // SAFETY: written (its stamp) and never read; we are alone.
            slot.msg
                .with_mut(|msg_ptr| unsafe { (*msg_ptr).assume_init_drop() });
        }
    }
}

/// A bounded channel's receiving side, as a select case.
pub(crate) struct Receiving<'a, T, L: Layout>(&'a Channel<T, L>);

/// A bounded channel's sending side, as a select case.
pub(crate) struct Sending<'a, T, L: Layout>(&'a Channel<T, L>);

impl<T, L: Layout> SelectHandle for Receiving<'_, T, L> {
    fn try_select(&self, token: &mut Token) -> bool {
        self.0.start_recv(token)
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        self.0.receivers.register(oper, cx);
        self.0.ready_to_recv()
    }

    fn unregister(&self, oper: Operation) {
        self.0.receivers.unregister(oper);
    }

    fn accept(&self, token: &mut Token, _cx: &Context) -> bool {
        self.0.start_recv(token)
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // We were the receiver a send woke: wake another.
        self.0.receivers.notify();
    }

    fn cancel(&self, token: &mut Token) {
        // SAFETY: `token` came from `try_select`/`accept` above, which
        // reserved it with `start_recv`, and is not used again.
        unsafe { self.0.cancel_recv(token) }
    }

    #[inline]
    fn version(&self) -> u64 {
        self.0.version()
    }
}

impl<T, L: Layout> SelectHandle for Sending<'_, T, L> {
    fn try_select(&self, token: &mut Token) -> bool {
        self.0.start_send(token)
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        self.0.begin_blocking();
        self.0.senders.register(oper, cx);
        // A free slot is handed to the queue (maybe to this case, which
        // the select then sees claimed); only a close makes us ready.
        self.0.after_sender_queued(cx);
        false
    }

    fn unregister(&self, oper: Operation) {
        // Every registered case is unregistered, claimed or not.
        self.0.senders.unregister(oper);
        self.0.end_blocking();
    }

    fn accept(&self, token: &mut Token, cx: &Context) -> bool {
        // Claimed by a hand-off, with a slot reserved for us.
        self.0.fill_reservation(token, cx.wait_reservation());
        true
    }

    fn abandon(&self, token: &mut Token, cx: &Context) {
        // A hand-off reserved a slot for us: give it back, or on to the
        // next queued sender (`cancel_send` does both).
        self.0.fill_reservation(token, cx.wait_reservation());
        // SAFETY: the reservation the hand-off made for this case, not
        // used again.
        unsafe { self.0.cancel_send(token) }
    }

    fn cancel(&self, token: &mut Token) {
        // SAFETY: `token` came from `try_select`/`accept` above, which
        // reserved it with `start_send`, and is not used again.
        unsafe { self.0.cancel_send(token) }
    }

    #[inline]
    fn version(&self) -> u64 {
        self.0.version()
    }
}

#[cfg(all(test, not(gosync_loom)))]
mod tests {
    use std::sync::Arc;
    use std::thread;

    use super::Channel;
    use crate::err::TrySendError;

    /// Waits (yielding, not sleeping) until `n` senders are queued.
    fn until_queued(chan: &Channel<u32>, n: usize) {
        while chan.senders.with_waiters(|waiters| waiters.len()) < n {
            thread::yield_now();
        }
    }

    /// Go's FIFO, checked where the queue is visible: senders blocked one
    /// after another on a full channel complete in that order, and while
    /// they are queued `try_send` reports the channel full even when a
    /// receive has just freed a slot (it is handed to the oldest of them).
    #[test]
    fn blocked_senders_complete_in_the_order_they_blocked() {
        const SENDERS: u32 = 4;
        let chan = Arc::new(Channel::<u32>::with_capacity(1));
        chan.send(0, None).unwrap();
        let senders: Vec<_> = (1..=SENDERS)
            .map(|id| {
                let sender = {
                    let chan = Arc::clone(&chan);
                    thread::spawn(move || chan.send(id, None).unwrap())
                };
                until_queued(&chan, id as usize);
                sender
            })
            .collect();
        for expected in 0..=SENDERS {
            assert!(matches!(chan.try_send(99), Err(TrySendError::Full(99))));
            assert_eq!(chan.recv(None).ok(), Some(expected));
        }
        for sender in senders {
            sender.join().unwrap();
        }
        assert!(chan.try_send(5).is_ok(), "nobody is queued any more");
    }
}
