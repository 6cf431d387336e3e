//! The unbounded flavor: a queue of linked blocks of `BLOCK_CAP` slots.
//!
//! Senders claim positions with one compare-exchange on `tail`, receivers
//! with one on `head`; each then moves its message and sets a bit in the
//! slot's state. A block is freed as soon as every slot in it has been
//! read, so memory comes back after a burst; only a send that fills the
//! last slot of a block allocates (the next block), so a message costs
//! 1/31 of an allocation.
//!
//! # Positions
//!
//! `head.index` and `tail.index` count positions shifted left by
//! `SHIFT`; position `p` is slot `p % LAP` of its block. Offset
//! `BLOCK_CAP` (= `LAP - 1`) is not a slot: a thread that reaches it is
//! installing the next block, and the others wait for it.
//!
//! | bit of the index word       | meaning                                        |
//! |-----------------------------|------------------------------------------------|
//! | `MARK_BIT` in `tail.index`  | the channel is closed                          |
//! | `MARK_BIT` in `head.index`  | `tail` is known to be in a later block, so a receive need not check for emptiness |
//!
//! # A slot's state
//!
//! | bit       | set by                                               |
//! |-----------|------------------------------------------------------|
//! | `WRITE`   | the sender, after writing the message (Release)      |
//! | `READ`    | the receiver, after reading it                       |
//! | `DESTROY` | a receiver freeing the block, asking this slot's (late) reader to finish the job |
//!
//! # Orderings (the Go memory model's edges)
//!
//! * A send happens-before the receive of its message: the Release
//!   `fetch_or(WRITE)` in [`Channel::write`] pairs with the Acquire load in
//!   [`Slot::wait_write`].
//! * Close happens-before a receive that reports it: the SeqCst
//!   `fetch_or(MARK_BIT)` on `tail` in [`Channel::close`] pairs with the
//!   Acquire load of `tail` in [`Channel::start_recv`].
//! * Block hand-over: a block's `next` pointer and each index's `block`
//!   pointer are stored with Release and loaded with Acquire, so a block's
//!   initialisation happens-before its use.
//! * Block freeing: the `READ`/`DESTROY` bits are AcqRel read-modify-writes,
//!   so exactly one thread frees a block, after every reader is done.

use std::mem::MaybeUninit;
use std::ptr;
use std::time::Instant;

use crossbeam_utils::CachePadded;

use crate::context::{Context, Operation};
use crate::err::{RecvTimeoutError, TryRecvError};
use crate::select::{SelectHandle, Token};
use crate::sync::{AtomicPtr, AtomicUsize, Backoff, Ordering, UnsafeCell};
use crate::waker::SyncWaker;

const WRITE: usize = 1;
const READ: usize = 2;
const DESTROY: usize = 4;

/// Positions per lap; one of them is the "installing the next block" mark.
const LAP: usize = 32;
/// Slots per block.
const BLOCK_CAP: usize = LAP - 1;
/// Low bits of an index word kept for metadata.
const SHIFT: usize = 1;
const MARK_BIT: usize = 1;

struct Slot<T> {
    msg: UnsafeCell<MaybeUninit<T>>,
    state: AtomicUsize,
}

impl<T> Slot<T> {
    /// Waits until the sender that claimed this slot has written it.
    fn wait_write(&self) {
        let mut backoff = Backoff::new();
        // Acquire: pairs with the Release `fetch_or(WRITE)` in `write`.
        while self.state.load(Ordering::Acquire) & WRITE == 0 {
            backoff.snooze();
        }
    }
}

struct Block<T> {
    next: AtomicPtr<Block<T>>,
    slots: [Slot<T>; BLOCK_CAP],
}

impl<T> Block<T> {
    fn new() -> Box<Block<T>> {
        Box::new(Block {
            next: AtomicPtr::new(ptr::null_mut()),
            slots: std::array::from_fn(|_| Slot {
                msg: UnsafeCell::new(MaybeUninit::uninit()),
                state: AtomicUsize::new(0),
            }),
        })
    }

    /// Waits until the next block is linked in.
    fn wait_next(&self) -> *mut Block<T> {
        let mut backoff = Backoff::new();
        loop {
            // Acquire: pairs with the Release store of `next` in
            // `start_send`.
            let next = self.next.load(Ordering::Acquire);
            if !next.is_null() {
                return next;
            }
            backoff.snooze();
        }
    }

    /// Frees the block once slots `start..` are all read: a slot still
    /// being read gets `DESTROY`, and its reader frees the block instead.
    ///
    /// # Safety
    ///
    /// `this` is a block every slot of which before `start` has been read,
    /// and no other thread calls `destroy` for the same block with the same
    /// or a smaller `start`.
    unsafe fn destroy(this: *mut Block<T>, start: usize) {
        // The last slot needs no check: its reader is the one who starts
        // destruction (see `read`).
        for i in start..BLOCK_CAP - 1 {
            // SAFETY: the block is alive until someone frees it, which is
            // us or the reader we hand over to below.
            let slot = unsafe { &(*this).slots[i] };
            // Acquire/AcqRel: pair with the reader's AcqRel
            // `fetch_or(READ)`, so its read of the message happens-before
            // the free.
            if slot.state.load(Ordering::Acquire) & READ == 0
                && slot.state.fetch_or(DESTROY, Ordering::AcqRel) & READ == 0
            {
                // Still being read: that reader will continue from i + 1.
                return;
            }
        }
        // SAFETY: every slot has been read and nobody else frees it.
        drop(unsafe { Box::from_raw(this) });
    }
}

/// A position: an index word and the block it points into.
struct Position<T> {
    index: AtomicUsize,
    block: AtomicPtr<Block<T>>,
}

/// The slot a `start_send` or `start_recv` reserved; a null block means the
/// channel is closed.
#[derive(Debug)]
pub(crate) struct ListToken {
    block: *const u8,
    offset: usize,
    /// A receive's `head.index` before its claim, to give the position
    /// back if a select's receive case is cancelled.
    head: usize,
}

impl Default for ListToken {
    fn default() -> Self {
        ListToken {
            block: ptr::null(),
            offset: 0,
            head: 0,
        }
    }
}

/// An unbounded channel.
pub(crate) struct Channel<T> {
    head: CachePadded<Position<T>>,
    tail: CachePadded<Position<T>>,
    /// Receivers blocked on an empty channel (senders never block).
    receivers: SyncWaker,
}

// SAFETY: the channel owns the `T`s in its slots and hands each to exactly
// one receiver: `T: Send` is all that needs.
unsafe impl<T: Send> Send for Channel<T> {}
// SAFETY: as for `Send`; no `&T` is ever shared.
unsafe impl<T: Send> Sync for Channel<T> {}

impl<T> Channel<T> {
    pub(crate) fn new() -> Self {
        Channel {
            head: CachePadded::new(Position {
                index: AtomicUsize::new(0),
                block: AtomicPtr::new(ptr::null_mut()),
            }),
            tail: CachePadded::new(Position {
                index: AtomicUsize::new(0),
                block: AtomicPtr::new(ptr::null_mut()),
            }),
            receivers: SyncWaker::new(),
        }
    }

    /// Reserves a slot to send into (always succeeds: the channel is
    /// unbounded); a null token if the channel is closed.
    #[inline]
    pub(crate) fn start_send(&self, token: &mut Token) -> bool {
        let mut backoff = Backoff::new();
        // Acquire, here and at every reload of `tail.index` and
        // `tail.block` below: pairs with the Release stores of both in this
        // function (a block installed or linked by another sender), so the
        // block behind the index is initialised before we use it.
        let mut tail = self.tail.index.load(Ordering::Acquire);
        let mut block = self.tail.block.load(Ordering::Acquire);
        let mut next_block: Option<Box<Block<T>>> = None;
        loop {
            if tail & MARK_BIT != 0 {
                token.list.block = ptr::null();
                return true;
            }
            let offset = (tail >> SHIFT) % LAP;
            if offset == BLOCK_CAP {
                // Another sender is linking in the next block.
                backoff.snooze();
                tail = self.tail.index.load(Ordering::Acquire);
                block = self.tail.block.load(Ordering::Acquire);
                continue;
            }
            // About to fill the last slot: allocate the next block before
            // claiming it, so the wait of the others is short.
            if offset + 1 == BLOCK_CAP && next_block.is_none() {
                next_block = Some(Block::new());
            }
            if block.is_null() {
                // The very first send installs the first block.
                let first = Box::into_raw(Block::<T>::new());
                // Release: pairs with the Acquire loads of `tail.block` (the
                // block's initialisation happens-before its use).
                if self
                    .tail
                    .block
                    .compare_exchange(block, first, Ordering::Release, Ordering::Relaxed)
                    .is_ok()
                {
                    // Release: pairs with the Acquire load in `start_recv`.
                    self.head.block.store(first, Ordering::Release);
                    block = first;
                } else {
                    // SAFETY: ours, never shared; reuse it as the next
                    // block rather than free it.
                    next_block = Some(unsafe { Box::from_raw(first) });
                    tail = self.tail.index.load(Ordering::Acquire);
                    block = self.tail.block.load(Ordering::Acquire);
                    continue;
                }
            }
            let new_tail = tail + (1 << SHIFT);
            // SeqCst: the store half of the waker pattern (see
            // `SyncWaker::is_empty`). Failure Acquire: as the loads above.
            match self.tail.index.compare_exchange_weak(
                tail,
                new_tail,
                Ordering::SeqCst,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    if offset + 1 == BLOCK_CAP {
                        // We took the last slot: link in the next block and
                        // skip the tail past the mark position.
                        let next = Box::into_raw(next_block.take().expect("allocated above"));
                        // Release: pair with the Acquire loads of
                        // `tail.block` and of `next` in `wait_next`.
                        self.tail.block.store(next, Ordering::Release);
                        self.tail.index.fetch_add(1 << SHIFT, Ordering::Release);
                        // SAFETY: `block` is alive: its last slot (ours) is
                        // unread, so nobody can have freed it.
                        unsafe { (*block).next.store(next, Ordering::Release) };
                    }
                    token.list.block = block.cast();
                    token.list.offset = offset;
                    return true;
                }
                Err(current) => {
                    tail = current;
                    block = self.tail.block.load(Ordering::Acquire);
                    backoff.spin();
                }
            }
        }
    }

    /// Writes `msg` into the reserved slot; hands it back if closed.
    ///
    /// # Safety
    ///
    /// `token` was filled by a `start_send` on this channel, used once.
    #[inline]
    pub(crate) unsafe fn write(&self, token: &mut Token, msg: T) -> Result<(), T> {
        if token.list.block.is_null() {
            return Err(msg);
        }
        let block = token.list.block.cast::<Block<T>>();
        // SAFETY: the block lives until all its slots are read, ours
        // included, which cannot happen before the write below.
        let slot = unsafe { &(*block).slots[token.list.offset] };
        // SAFETY: our reservation makes this slot's message ours alone.
        slot.msg
            .with_mut(|msg_ptr| unsafe { msg_ptr.write(MaybeUninit::new(msg)) });
        // Release: pairs with the Acquire load in `wait_write` (a send
        // happens-before the receive of its message).
        slot.state.fetch_or(WRITE, Ordering::Release);
        self.receivers.notify();
        Ok(())
    }

    /// Reserves a slot to receive from; false if the channel is empty, true
    /// with a null token if it is closed and drained.
    #[inline]
    pub(crate) fn start_recv(&self, token: &mut Token) -> bool {
        let mut backoff = Backoff::new();
        // Acquire, here and at every reload of `head.index` and
        // `head.block` below: pairs with the Release stores of both (the
        // first block in `start_send`, the next one in this function).
        let mut head = self.head.index.load(Ordering::Acquire);
        let mut block = self.head.block.load(Ordering::Acquire);
        loop {
            let offset = (head >> SHIFT) % LAP;
            if offset == BLOCK_CAP {
                // Another receiver is moving to the next block.
                backoff.snooze();
                head = self.head.index.load(Ordering::Acquire);
                block = self.head.block.load(Ordering::Acquire);
                continue;
            }
            let mut new_head = head + (1 << SHIFT);
            if new_head & MARK_BIT == 0 {
                // (No fence: the Acquire load of `head` keeps this load
                // after it.)
                // Acquire: pairs with the SeqCst `fetch_or` in `close`
                // (close happens-before a receive that reports it).
                let tail = self.tail.index.load(Ordering::Acquire);
                if head >> SHIFT == tail >> SHIFT {
                    if tail & MARK_BIT != 0 {
                        token.list.block = ptr::null();
                        return true;
                    }
                    return false;
                }
                // Head and tail in different blocks: remember it, so the
                // next receives in this block skip the check.
                if (head >> SHIFT) / LAP != (tail >> SHIFT) / LAP {
                    new_head |= MARK_BIT;
                }
            }
            if block.is_null() {
                // The first block is being installed.
                backoff.snooze();
                head = self.head.index.load(Ordering::Acquire);
                block = self.head.block.load(Ordering::Acquire);
                continue;
            }
            // SeqCst: part of the waker pattern. Failure Acquire: as the
            // loads above.
            match self.head.index.compare_exchange_weak(
                head,
                new_head,
                Ordering::SeqCst,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    if offset + 1 == BLOCK_CAP {
                        // We took the block's last slot: move the head to
                        // the next block.
                        // SAFETY: `block` is alive (its last slot, ours, is
                        // unread).
                        let next = unsafe { (*block).wait_next() };
                        let mut next_index = (new_head & !MARK_BIT).wrapping_add(1 << SHIFT);
                        // SAFETY: `next` is alive: none of its slots can
                        // have been read before the head reaches it.
                        // Relaxed: only a hint (the mark bit lets later
                        // receives skip their emptiness check); `next`'s own
                        // next block is loaded with Acquire before use.
                        if !unsafe { (*next).next.load(Ordering::Relaxed) }.is_null() {
                            next_index |= MARK_BIT;
                        }
                        // Release: pair with the Acquire loads at the top.
                        self.head.block.store(next, Ordering::Release);
                        self.head.index.store(next_index, Ordering::Release);
                    }
                    token.list.block = block.cast();
                    token.list.offset = offset;
                    token.list.head = head;
                    return true;
                }
                Err(current) => {
                    head = current;
                    block = self.head.block.load(Ordering::Acquire);
                    backoff.spin();
                }
            }
        }
    }

    /// Reads the reserved slot's message, freeing its block if it was the
    /// last one in use; `Err` if the channel is closed and drained.
    ///
    /// # Safety
    ///
    /// `token` was filled by a `start_recv` on this channel, used once.
    #[inline]
    pub(crate) unsafe fn read(&self, token: &mut Token) -> Result<T, ()> {
        if token.list.block.is_null() {
            return Err(());
        }
        let block = token.list.block.cast::<Block<T>>().cast_mut();
        let offset = token.list.offset;
        // SAFETY: the block lives until our slot is marked read.
        let slot = unsafe { &(*block).slots[offset] };
        slot.wait_write();
        // SAFETY: written (`wait_write`) and reserved for us alone.
        let msg = slot
            .msg
            .with(|msg_ptr| unsafe { msg_ptr.read().assume_init() });
        if offset + 1 == BLOCK_CAP {
            // The last slot's reader starts freeing the block.
            // SAFETY: every earlier slot was reserved before ours; destroy
            // hands over to any that is still being read.
            unsafe { Block::destroy(block, 0) };
        } else if slot.state.fetch_or(READ, Ordering::AcqRel) & DESTROY != 0 {
            // AcqRel: pairs with the AcqRel `fetch_or(DESTROY)` in
            // `Block::destroy`: our read is done before the block's free.
            // Destruction waited for us: continue it.
            // SAFETY: slots before ours are read (destroy got past them).
            unsafe { Block::destroy(block, offset + 1) };
        }
        Ok(msg)
    }

    /// Finishes a select's send case: a select reserves nothing on an
    /// unbounded channel (it always has room, and a position reserved
    /// while the case's value is computed would hold up every receive
    /// behind it if that computation panicked or the operation were
    /// forgotten), so this is a plain send.
    #[inline]
    pub(crate) fn write_selected(&self, _token: &mut Token, msg: T) -> Result<(), T> {
        self.send(msg)
    }

    /// Undoes a `start_recv` whose message will not be read: gives the
    /// position back if no later receive has claimed one and the claim did
    /// not move the head to the next block (the message stays first in
    /// line), else reads the message and drops it.
    ///
    /// # Safety
    ///
    /// As for [`Channel::read`]; the token is not used afterwards.
    pub(crate) unsafe fn cancel_recv(&self, token: &mut Token) {
        if token.list.block.is_null() {
            return;
        }
        let head = token.list.head;
        if token.list.offset + 1 < BLOCK_CAP {
            // Acquire: as the loads of `head.index` in `start_recv`.
            let current = self.head.index.load(Ordering::Acquire);
            // Our claim moved the head by one position and may have set
            // `MARK_BIT` (a hint only: putting back the older word is
            // always correct).
            if current & !MARK_BIT == (head & !MARK_BIT) + (1 << SHIFT)
                // SeqCst: as every change of `head.index` (the waker
                // pattern). Failure Relaxed: we only learn that the
                // position cannot be given back.
                && self
                    .head
                    .index
                    .compare_exchange(current, head, Ordering::SeqCst, Ordering::Relaxed)
                    .is_ok()
            {
                self.receivers.notify();
                return;
            }
        }
        // SAFETY: the caller's contract is `read`'s.
        drop(unsafe { self.read(token) });
    }

    #[inline]
    pub(crate) fn send(&self, msg: T) -> Result<(), T> {
        let token = &mut Token::default();
        assert!(
            self.start_send(token),
            "an unbounded channel always has room"
        );
        // SAFETY: just reserved, used once.
        unsafe { self.write(token, msg) }
    }

    #[inline]
    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let token = &mut Token::default();
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

    /// A blocked receiver may go on: a message is there (or being
    /// written) or the channel closed. SeqCst loads: the load half of the
    /// waker pattern.
    fn ready_to_recv(&self) -> bool {
        !self.is_empty() || self.is_closed()
    }

    /// Messages in the channel now (a snapshot).
    pub(crate) fn len(&self) -> usize {
        loop {
            let tail = self.tail.index.load(Ordering::SeqCst);
            let head = self.head.index.load(Ordering::SeqCst);
            if self.tail.index.load(Ordering::SeqCst) != tail {
                continue;
            }
            // A position at offset BLOCK_CAP is not a slot: move it on.
            let normalise = |index: usize| {
                let position = index >> SHIFT;
                if position % LAP == BLOCK_CAP {
                    position + 1
                } else {
                    position
                }
            };
            let (tail, head) = (normalise(tail), normalise(head));
            let lap_start = head - head % LAP;
            let (tail, head) = (tail - lap_start, head - lap_start);
            // Every lap boundary below `tail` is one non-slot position.
            return tail - head - tail / LAP;
        }
    }

    /// SeqCst loads: the load half of the waker pattern.
    pub(crate) fn is_empty(&self) -> bool {
        let head = self.head.index.load(Ordering::SeqCst);
        let tail = self.tail.index.load(Ordering::SeqCst);
        head >> SHIFT == tail >> SHIFT
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.tail.index.load(Ordering::SeqCst) & MARK_BIT != 0
    }

    /// Closes the channel; true if this call did.
    pub(crate) fn close(&self) -> bool {
        // SeqCst: Release for close → "receive reports closed" (paired in
        // `start_recv`), and part of the waker pattern.
        let tail = self.tail.index.fetch_or(MARK_BIT, Ordering::SeqCst);
        if tail & MARK_BIT == 0 {
            self.receivers.close();
            true
        } else {
            false
        }
    }

    /// The last receiver is gone: close and drop every buffered message
    /// now, freeing the blocks (crossbeam #1102).
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
        // No receiver is left to race with; sends that reserved a slot
        // before the close finish first (`read` waits for their write).
        while self.start_recv(token) {
            // SAFETY: just reserved, used once.
            match unsafe { self.read(token) } {
                Ok(msg) => drop(msg),
                Err(()) => break,
            }
        }
    }

    /// Both indices (and the closed bit) in one number, for a non-blocking
    /// select.
    pub(crate) fn version(&self) -> u64 {
        let head = self.head.index.load(Ordering::SeqCst) as u64;
        let tail = self.tail.index.load(Ordering::SeqCst) as u64;
        head.rotate_left(32) ^ tail
    }

    /// The address that identifies this channel in a select.
    pub(crate) fn addr(&self) -> *const u8 {
        ptr::from_ref(self).cast()
    }

    pub(crate) fn receiver(&self) -> Receiving<'_, T> {
        Receiving(self)
    }

    pub(crate) fn sender(&self) -> Sending<'_, T> {
        Sending(self)
    }
}

impl<T> Drop for Channel<T> {
    fn drop(&mut self) {
        // Exclusive access: every reserved send has been written.
        let mut head = self.head.index.load(Ordering::Relaxed) & !MARK_BIT;
        let tail = self.tail.index.load(Ordering::Relaxed) & !MARK_BIT;
        let mut block = self.head.block.load(Ordering::Relaxed);
        while head != tail {
            let offset = (head >> SHIFT) % LAP;
            if offset < BLOCK_CAP {
                // SAFETY: positions head..tail hold written, unread messages
                // in live blocks.
                let slot = unsafe { &(*block).slots[offset] };
                // SAFETY: as above: written, never read, ours alone.
                slot.msg
                    .with_mut(|msg_ptr| unsafe { (*msg_ptr).assume_init_drop() });
            } else {
                // SAFETY: a block whose messages are all read or dropped
                // by now, and that nobody else holds.
                // Relaxed: exclusive access (`&mut self`).
                let next = unsafe { (*block).next.load(Ordering::Relaxed) };
                // SAFETY: as above; allocated by `Block::new` as a `Box`.
                drop(unsafe { Box::from_raw(block) });
                block = next;
            }
            head = head.wrapping_add(1 << SHIFT);
        }
        if !block.is_null() {
            // SAFETY: the last block, not freed by any reader (its last
            // slot was never read).
            drop(unsafe { Box::from_raw(block) });
        }
    }
}

/// An unbounded channel's receiving side, as a select case.
pub(crate) struct Receiving<'a, T>(&'a Channel<T>);

/// An unbounded channel's sending side, as a select case.
pub(crate) struct Sending<'a, T>(&'a Channel<T>);

impl<T> SelectHandle for Receiving<'_, T> {
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

    fn version(&self) -> u64 {
        self.0.version()
    }
}

impl<T> SelectHandle for Sending<'_, T> {
    fn try_select(&self, _token: &mut Token) -> bool {
        // Always ready, and nothing to reserve (see `write_selected`).
        true
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, _oper: Operation, _cx: &Context) -> bool {
        // Never full: always ready.
        true
    }

    fn unregister(&self, _oper: Operation) {}

    fn accept(&self, _token: &mut Token, _cx: &Context) -> bool {
        true
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // Never registered: an unbounded send is always ready.
    }

    fn cancel(&self, _token: &mut Token) {
        // Nothing was reserved.
    }

    fn version(&self) -> u64 {
        self.0.version()
    }
}
