//! The unbuffered flavor (capacity 0): a rendezvous.
//!
//! A send completes only when a receiver has taken its message, as in Go.
//! Both queues of waiters live under one mutex. Whoever arrives second
//! claims the oldest waiter of the other side (a compare-exchange on its
//! [`Context`]) and the message moves through a *packet*: a small cell the
//! waiter offered when it registered.
//!
//! # Packets
//!
//! | offered by                 | where          | holds                       | freed by            |
//! |----------------------------|----------------|-----------------------------|---------------------|
//! | a blocked `send`           | its stack      | the message                 | (its stack)         |
//! | a blocked `recv`           | its stack      | nothing yet                 | (its stack)         |
//! | a select's send case       | the heap       | nothing until it is chosen  | the receiver        |
//! | a select's receive case    | the heap       | nothing yet                 | the select          |
//!
//! A select cannot offer a stack packet: it does not know which case will
//! fire, and a send case's value is not evaluated until it does.
//!
//! # Cancelled hand-overs
//!
//! A select's chosen case can be cancelled before it finishes (a send
//! expression that panics, a [`SelectedOperation`](crate::SelectedOperation)
//! dropped unfinished). The claimed partner must then try again rather
//! than wait for a message that never comes, or complete with one it did
//! not get. So a packet's `ready` is read together with its contents:
//!
//! | waiting side                 | `ready` and the packet …  | means                         |
//! |------------------------------|---------------------------|-------------------------------|
//! | a receiver                   | holds a message           | the send happened             |
//! | a receiver                   | is empty                  | the sender cancelled: retry   |
//! | a blocked sender             | is empty                  | the message was taken         |
//! | a blocked sender             | still holds its message   | the receiver cancelled: retry |
//!
//! A receiver that claims a select's send case waits for that value
//! before its own operation returns (`settle_recv`), and a select whose
//! receive case was claimed waits for the message in `accept`, so a
//! cancelled partner is seen while the receiver can still retry.
//!
//! # Orderings (the Go memory model's edges)
//!
//! A packet's `ready` flag is the hand-over: the side that fills or empties
//! the packet stores it with Release; the side that waits for it loads it
//! with Acquire ([`Packet::wait_ready`]).
//! * Send happens-before the receive completes: the sender fills the
//!   packet, then sets `ready`; the receiver waits for `ready`, then reads.
//!   (When the receiver found a blocked sender, the message was written
//!   before the sender registered under the mutex, which the receiver then
//!   took.)
//! * The receive happens-before the send completes: a blocked sender
//!   returns only after the receiver emptied its packet and set `ready`; a
//!   sender that found a blocked receiver claimed it under the mutex, after
//!   the receiver registered.
//! * Close happens-before a receive that reports it: `closed` is set under
//!   the mutex, which the receiver takes to see it.

use std::collections::VecDeque;
use std::marker::PhantomData;
use std::task::Poll;
use std::time::Instant;

use crate::context::{Context, Operation, Selected, WaiterSlot};
use crate::err::{RecvTimeoutError, SendTimeoutError, TryRecvError, TrySendError};
use crate::packet::{Packet, PacketKind};
use crate::select::{SelectHandle, Token};
use crate::sync::{lock, Arc, AtomicUsize, Mutex, MutexGuard, Ordering};
use crate::waker::Waker;

/// The packet a claim handed over, and the waiter to wake once the
/// hand-over is done (none when we are the waiter ourselves).
#[derive(Debug)]
pub(crate) struct ZeroToken {
    packet: *mut (),
    waiter: WaiterSlot,
    /// A non-blocking send claimed a pending task rather than a packet:
    /// the message goes into the channel's `kept` queue for it.
    to_kept: bool,
}

impl Default for ZeroToken {
    fn default() -> Self {
        ZeroToken {
            packet: std::ptr::null_mut(),
            waiter: WaiterSlot::empty(),
            to_kept: false,
        }
    }
}

/// A pending `send_async`'s side of the rendezvous: the context it is
/// registered with and the shared packet holding its message.
pub(crate) struct AsyncSend<T> {
    cx: Option<Context>,
    packet: Option<Arc<Packet<T>>>,
}

impl<T> std::fmt::Debug for AsyncSend<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSend")
            .field("registered", &self.cx.is_some())
            .finish()
    }
}

impl<T> Default for AsyncSend<T> {
    fn default() -> Self {
        AsyncSend {
            cx: None,
            packet: None,
        }
    }
}

/// Bits of `Channel::state`.
const CLOSED: usize = 1;
const SENDERS_WAIT: usize = 2;
const RECEIVERS_WAIT: usize = 4;

struct Inner<T> {
    senders: Waker,
    receivers: Waker,
    /// Messages non-blocking sends handed to pending tasks, not yet
    /// taken: the one place a rendezvous channel holds messages (module
    /// docs, "Tasks"). Receives take these first.
    kept: VecDeque<T>,
    closed: bool,
}

/// An unbuffered channel.
pub(crate) struct Channel<T> {
    inner: Mutex<Inner<T>>,
    /// Bumped, under the lock, whenever a waiter list or `closed` changes:
    /// the readiness of both sides (see `SelectHandle::version`).
    version: AtomicUsize,
    /// What the lock guards, in three bits (`CLOSED`, `SENDERS_WAIT`,
    /// `RECEIVERS_WAIT`), stored under the lock at every change: an
    /// operation that finds no partner waiting and the channel open (or
    /// closed) knows it without taking the lock, so polling an idle or
    /// closed channel does not bounce the lock's cache line between
    /// threads (Go's `chanrecv` checks the same without its lock).
    state: AtomicUsize,
    _marker: PhantomData<T>,
}

// SAFETY: messages move between threads through packets, one owner at a
// time (the packet protocol): `T: Send` is all that needs.
unsafe impl<T: Send> Send for Channel<T> {}
// SAFETY: as for `Send`; no `&T` is ever shared.
unsafe impl<T: Send> Sync for Channel<T> {}

impl<T> Channel<T> {
    pub(crate) fn new() -> Self {
        Channel {
            inner: Mutex::new(Inner {
                senders: Waker::default(),
                receivers: Waker::default(),
                kept: VecDeque::new(),
                closed: false,
            }),
            version: AtomicUsize::new(0),
            state: AtomicUsize::new(0),
            _marker: PhantomData,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner<T>> {
        lock(&self.inner)
    }

    /// Records a change of the waiter lists or of `closed` (under the
    /// lock). SeqCst: ordered with the loads in `version` of a
    /// non-blocking select's before-and-after check.
    fn bump(&self, inner: &Inner<T>) {
        self.version.fetch_add(1, Ordering::SeqCst);
        let mut state = 0;
        if inner.closed {
            state |= CLOSED;
        }
        // A kept message is as good as a waiting sender to a receive.
        if !inner.senders.is_empty() || !inner.kept.is_empty() {
            state |= SENDERS_WAIT;
        }
        if !inner.receivers.is_empty() {
            state |= RECEIVERS_WAIT;
        }
        // Release: pairs with the Acquire load in `idle`, so a close
        // happens-before an operation that reports it from there.
        self.state.store(state, Ordering::Release);
    }

    /// Without the lock: if no partner of the kind `partner` waits, the
    /// operation's outcome (`Some(true)`: closed, `Some(false)`: nothing to
    /// do now). `None`: take the lock and look.
    #[inline]
    fn idle(&self, partner: usize) -> Option<bool> {
        // Acquire: pairs with the Release store in `bump`.
        let state = self.state.load(Ordering::Acquire);
        (state & partner == 0).then_some(state & CLOSED != 0)
    }

    /// See `SelectHandle::version`.
    pub(crate) fn version(&self) -> u64 {
        self.version.load(Ordering::SeqCst) as u64
    }

    /// Claims a waiting receiver; true with a null packet if closed.
    pub(crate) fn start_send(&self, token: &mut Token) -> bool {
        if let Some(closed) = self.idle(RECEIVERS_WAIT) {
            return closed && self.closed_token(token);
        }
        let mut inner = self.lock();
        self.claim(&mut inner, RECEIVERS_WAIT, token)
    }

    /// Claims a waiting sender; true with a null packet if closed.
    pub(crate) fn start_recv(&self, token: &mut Token) -> bool {
        loop {
            if let Some(closed) = self.idle(SENDERS_WAIT) {
                return closed && self.closed_token(token);
            }
            let mut inner = self.lock();
            let claimed = self.claim(&mut inner, SENDERS_WAIT, token);
            drop(inner);
            if !claimed || self.settle_recv(token) {
                return claimed;
            }
        }
    }

    /// After a receive claimed a sender: if it is a select's send case,
    /// wakes it and waits for its value. False if that case was cancelled
    /// instead (its packet came back empty and is freed here): claim again.
    fn settle_recv(&self, token: &mut Token) -> bool {
        let raw = token.zero.packet.cast::<Packet<T>>();
        if raw.is_null() {
            return true;
        }
        // SAFETY: a claimed sender's packet: its owner waits for `ready`
        // (stack) or leaves it to us (heap), so it is alive.
        let packet = unsafe { &*raw };
        if packet.kind != PacketKind::Heap {
            // Filled already: a blocked or pending sender's, or kept.
            return true;
        }
        if let Some(waiter) = token.zero.waiter.take() {
            waiter.unpark();
        }
        packet.wait_ready();
        // SAFETY: the sender is done with it (`ready`); it is ours now.
        if unsafe { packet.has_message() } {
            return true;
        }
        // SAFETY: a select's heap packet, freed by its receiver (us).
        drop(unsafe { Box::from_raw(raw) });
        token.zero.packet = std::ptr::null_mut();
        false
    }

    /// Fills `token` for "closed"; true.
    fn closed_token(&self, token: &mut Token) -> bool {
        token.zero.packet = std::ptr::null_mut();
        drop(token.zero.waiter.take());
        true
    }

    /// Claims the oldest waiter of `partner`'s list (`SENDERS_WAIT` or
    /// `RECEIVERS_WAIT`), under the lock.
    ///
    /// A receive takes a kept message first. A non-blocking send (its
    /// token says so) that finds only pending tasks claims the oldest and
    /// will leave its message in `kept` for it (module docs, "Tasks").
    fn claim(&self, inner: &mut Inner<T>, partner: usize, token: &mut Token) -> bool {
        token.zero.to_kept = false;
        if partner == SENDERS_WAIT {
            if let Some(msg) = inner.kept.pop_front() {
                self.bump(inner);
                token.zero.packet = Box::into_raw(Packet::kept(msg)).cast();
                return true;
            }
        }
        let closed = inner.closed;
        let waiters = if partner == SENDERS_WAIT {
            &mut inner.senders
        } else {
            &mut inner.receivers
        };
        if let Some(entry) = waiters.claim_partner() {
            self.bump(inner);
            token.zero.packet = entry.packet;
            token.zero.waiter.set(entry.cx);
            true
        } else if partner == RECEIVERS_WAIT && token.nonblocking && !closed {
            let Some(entry) = inner.receivers.claim_task(None) else {
                return false;
            };
            self.bump(inner);
            token.zero.packet = std::ptr::null_mut();
            token.zero.to_kept = true;
            token.zero.waiter.set(entry.cx);
            true
        } else if closed {
            token.zero.packet = std::ptr::null_mut();
            drop(token.zero.waiter.take());
            true
        } else {
            false
        }
    }

    /// Puts `msg` into the claimed receiver's packet.
    ///
    /// # Safety
    ///
    /// `token` comes from a successful `start_send` on this channel (or a
    /// select's `accept` of a send case on it), and is used once.
    pub(crate) unsafe fn write(&self, token: &mut Token, msg: T) -> Result<(), T> {
        if token.zero.to_kept {
            self.keep(token, msg);
            return Ok(());
        }
        if token.zero.packet.is_null() {
            return Err(msg);
        }
        // SAFETY: a receiver's packet, alive until it sees `ready` (stack)
        // or frees it after reading (heap); nobody else writes it.
        let packet = unsafe { &*token.zero.packet.cast::<Packet<T>>() };
        // SAFETY: we are the packet's only writer (our claim) and its owner
        // does not read it before `ready`.
        packet.msg.with_mut(|slot| unsafe { *slot = Some(msg) });
        // Release: pairs with the Acquire in `wait_ready` (send
        // happens-before the receive completes).
        packet.ready.store(true, Ordering::Release);
        // `packet` may be gone from here on.
        if let Some(waiter) = token.zero.waiter.take() {
            waiter.unpark();
        }
        Ok(())
    }

    /// Takes the message from the claimed sender's packet.
    ///
    /// # Safety
    ///
    /// `token` comes from a successful `start_recv` on this channel (or a
    /// select's `accept` of a receive case on it), and is used once.
    pub(crate) unsafe fn read(&self, token: &mut Token) -> Result<T, ()> {
        if token.zero.packet.is_null() {
            return Err(());
        }
        let raw = token.zero.packet.cast::<Packet<T>>();
        // SAFETY: a live packet (see the module docs' table).
        let packet = unsafe { &*raw };
        let kind = packet.kind;
        if matches!(kind, PacketKind::Stack | PacketKind::Shared) {
            // A blocked or pending sender's packet: its message is inside.
            // SAFETY: the sender does not touch it until `ready`.
            let msg = unsafe { packet.take() };
            // Release: pairs with the sender's Acquire in `wait_ready` or
            // `poll_send` (the receive happens-before the send completes).
            packet.ready.store(true, Ordering::Release);
            // A stack `packet` may be gone from here on.
            if let Some(waiter) = token.zero.waiter.take() {
                waiter.unpark();
            }
            if kind == PacketKind::Shared {
                // SAFETY: the list entry's count, which the claim gave us.
                drop(unsafe { Arc::from_raw(raw.cast_const()) });
            }
            Ok(msg.expect("a blocked sender's packet holds its message"))
        } else {
            // A heap packet: a select's send case that we claimed (whose
            // value `settle_recv` already waited for), or our own select's
            // receive case (`accept` waited). Either way it is filled.
            if let Some(waiter) = token.zero.waiter.take() {
                waiter.unpark();
            }
            packet.wait_ready();
            // SAFETY: the writer is done (`ready`) and nobody else has it.
            let msg = unsafe { packet.take() };
            // SAFETY: heap packets are boxed in `register` and freed only
            // here, by the one reader.
            drop(unsafe { Box::from_raw(raw) });
            Ok(msg.expect("a filled packet holds its message"))
        }
    }

    #[inline]
    pub(crate) fn try_send(&self, msg: T) -> Result<(), TrySendError<T>> {
        // Non-blocking: a pending task counts as a waiting receiver.
        let token = &mut Token::nonblocking();
        if self.start_send(token) {
            // SAFETY: just claimed, used once.
            unsafe { self.write(token, msg) }.map_err(TrySendError::Closed)
        } else {
            Err(TrySendError::Full(msg))
        }
    }

    pub(crate) fn send(
        &self,
        mut msg: T,
        deadline: Option<Instant>,
    ) -> Result<(), SendTimeoutError<T>> {
        let token = &mut Token::default();
        loop {
            let mut inner = self.lock();
            if self.claim(&mut inner, RECEIVERS_WAIT, token) {
                drop(inner);
                // SAFETY: just claimed, used once.
                return unsafe { self.write(token, msg) }.map_err(SendTimeoutError::Closed);
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Err(SendTimeoutError::Timeout(msg));
            }
            // `Err(msg)`: the receiver that claimed us cancelled; send again.
            let outcome = Context::with(|cx| {
                let oper = Operation::hook(token);
                let packet = Packet::message_on_stack(msg);
                inner.senders.register_with_packet(
                    oper,
                    std::ptr::from_ref(&packet).cast_mut().cast(),
                    cx,
                );
                // A pending task receiver comes to take it in its own poll.
                let task = inner.receivers.claim_task(None);
                self.bump(&inner);
                drop(inner);
                if let Some(task) = task {
                    task.cx.unpark();
                }
                match cx.wait_until(deadline) {
                    Selected::Operation(_) => {
                        // A receiver took (or is taking) the message.
                        packet.wait_ready();
                        // SAFETY: the receiver is done with it (`ready`).
                        match unsafe { packet.take() } {
                            None => Ok(Ok(())),
                            Some(msg) => Err(msg),
                        }
                    }
                    ended => {
                        // Not claimed, so the entry is still ours to remove
                        // and nobody else touches the packet.
                        let mut inner = self.lock();
                        inner.senders.unregister(oper);
                        self.bump(&inner);
                        drop(inner);
                        // SAFETY: unregistered and unclaimed: ours alone.
                        let msg = unsafe { packet.take() }
                            .expect("an unclaimed packet keeps its message");
                        Ok(Err(if ended == Selected::Closed {
                            SendTimeoutError::Closed(msg)
                        } else {
                            SendTimeoutError::Timeout(msg)
                        }))
                    }
                }
            });
            match outcome {
                Ok(result) => return result,
                Err(back) => msg = back,
            }
        }
    }

    /// A `send_async`'s poll: completes once a receiver has taken the
    /// message (`Ok`), or hands it back if the channel closed (`Err`).
    ///
    /// A thread (or a thread's select) that waits is handed the message at
    /// once, as by `send`. Otherwise the message waits in a shared packet
    /// on the senders' list, and a pending task receiver is woken to take
    /// it in its own poll; whoever takes it wakes us after setting the
    /// packet's `ready`.
    pub(crate) fn poll_send(
        &self,
        msg: &mut Option<T>,
        wait: &mut AsyncSend<T>,
        task: &std::task::Context<'_>,
    ) -> Poll<Result<(), T>> {
        if let Some(cx) = &wait.cx {
            cx.set_waker(task.waker());
            let packet = wait.packet.as_ref().expect("registered with a packet");
            match cx.selected() {
                Selected::Waiting => return Poll::Pending,
                Selected::Operation(_) => {
                    // Acquire: pairs with the Release store of `ready`
                    // in `read` or `cancel_recv` (the receive
                    // happens-before the send completes).
                    if !packet.ready.load(Ordering::Acquire) {
                        // Its taker wakes us once done.
                        return Poll::Pending;
                    }
                    wait.cx = None;
                    let packet = wait.packet.take().expect("checked");
                    // SAFETY: `ready`: the taker is done with it.
                    match unsafe { packet.take() } {
                        None => return Poll::Ready(Ok(())),
                        // The receiver cancelled: offer it again.
                        Some(back) => *msg = Some(back),
                    }
                }
                ended => {
                    // Closed (or aborted): not claimed, so still listed.
                    let cx = wait.cx.take().expect("checked");
                    self.unregister_async_send(&cx);
                    let packet = wait.packet.take().expect("checked");
                    // SAFETY: unregistered and unclaimed: ours alone.
                    let back =
                        unsafe { packet.take() }.expect("an unclaimed packet keeps its message");
                    if ended == Selected::Closed {
                        return Poll::Ready(Err(back));
                    }
                    *msg = Some(back);
                }
            }
        }
        let next = msg.take().expect("a finished send_async polled again");
        // Blocking semantics: a pending task receiver is not handed the
        // message through `kept`; it takes it from our packet itself.
        let token = &mut Token::default();
        let mut inner = self.lock();
        if self.claim(&mut inner, RECEIVERS_WAIT, token) {
            drop(inner);
            // SAFETY: just claimed, used once.
            return Poll::Ready(unsafe { self.write(token, next) });
        }
        let cx = Context::for_task(task.waker());
        let packet = Arc::new(Packet::shared(next));
        // The list entry's own count, dropped by its claimant (`read`,
        // `cancel_recv`) or by us when we unregister it.
        let raw = Arc::into_raw(Arc::clone(&packet)).cast_mut().cast();
        inner.senders.register_with_packet(cx.operation(), raw, &cx);
        let receiver = inner.receivers.claim_task(None);
        self.bump(&inner);
        drop(inner);
        if let Some(receiver) = receiver {
            receiver.cx.unpark();
        }
        wait.cx = Some(cx);
        wait.packet = Some(packet);
        Poll::Pending
    }

    /// A pending `send_async` dropped: withdraws its message unless a
    /// receiver has claimed it (then that receive completes with it, the
    /// one way a cancelled rendezvous send still delivers).
    pub(crate) fn cancel_async_send(&self, wait: &mut AsyncSend<T>) {
        if let Some(cx) = wait.cx.take() {
            self.unregister_async_send(&cx);
        }
        // Our count; the message goes with the last one.
        wait.packet = None;
    }

    fn unregister_async_send(&self, cx: &Context) {
        let mut inner = self.lock();
        let entry = inner.senders.unregister(cx.operation());
        self.bump(&inner);
        drop(inner);
        if let Some(entry) = entry {
            // SAFETY: the entry's count, made in `poll_send` with
            // `Arc::into_raw`; nobody claimed it, so it is still ours.
            drop(unsafe { Arc::from_raw(entry.packet.cast_const().cast::<Packet<T>>()) });
        }
    }

    #[inline]
    pub(crate) fn try_recv(&self) -> Result<T, TryRecvError> {
        let token = &mut Token::default();
        if self.start_recv(token) {
            // SAFETY: just claimed, used once.
            unsafe { self.read(token) }.map_err(|()| TryRecvError::Closed)
        } else {
            Err(TryRecvError::Empty)
        }
    }

    pub(crate) fn recv(&self, deadline: Option<Instant>) -> Result<T, RecvTimeoutError> {
        let token = &mut Token::default();
        loop {
            let mut inner = self.lock();
            if self.claim(&mut inner, SENDERS_WAIT, token) {
                drop(inner);
                if !self.settle_recv(token) {
                    continue;
                }
                // SAFETY: just claimed, used once.
                return unsafe { self.read(token) }.map_err(|()| RecvTimeoutError::Closed);
            }
            if deadline.is_some_and(|deadline| Instant::now() >= deadline) {
                return Err(RecvTimeoutError::Timeout);
            }
            // `None`: the select send case that claimed us cancelled; again.
            let outcome = Context::with(|cx| {
                let oper = Operation::hook(token);
                let packet = Packet::<T>::empty_on_stack();
                inner.receivers.register_with_packet(
                    oper,
                    std::ptr::from_ref(&packet).cast_mut().cast(),
                    cx,
                );
                // A pending select's send case comes to hand its value over.
                let task = inner.senders.claim_task(None);
                self.bump(&inner);
                drop(inner);
                if let Some(task) = task {
                    task.cx.unpark();
                }
                match cx.wait_until(deadline) {
                    Selected::Operation(_) => {
                        packet.wait_ready();
                        // SAFETY: the sender is done with it (`ready`).
                        unsafe { packet.take() }.map(Ok)
                    }
                    ended => {
                        let mut inner = self.lock();
                        inner.receivers.unregister(oper);
                        self.bump(&inner);
                        drop(inner);
                        Some(Err(if ended == Selected::Closed {
                            RecvTimeoutError::Closed
                        } else {
                            RecvTimeoutError::Timeout
                        }))
                    }
                }
            });
            if let Some(result) = outcome {
                return result;
            }
        }
    }

    /// Undoes a claim a select's send case made (or that a receiver made
    /// of it) whose value will never be written: the receiver finds its
    /// packet `ready` and empty, and tries again (module docs).
    ///
    /// # Safety
    ///
    /// As for [`Channel::write`]; the token is not used afterwards.
    unsafe fn cancel_send(&self, token: &mut Token) {
        if token.zero.to_kept {
            // The task we claimed is off the list: wake it to look again.
            if let Some(waiter) = token.zero.waiter.take() {
                waiter.unpark();
            }
            return;
        }
        if token.zero.packet.is_null() {
            return;
        }
        // SAFETY: the claimed receiver's packet (or our own heap packet,
        // which a receiver waits on), alive until it sees `ready`.
        let packet = unsafe { &*token.zero.packet.cast::<Packet<T>>() };
        // Release: pairs with the Acquire in `wait_ready`.
        packet.ready.store(true, Ordering::Release);
        // `packet` may be gone from here on.
        if let Some(waiter) = token.zero.waiter.take() {
            waiter.unpark();
        }
    }

    /// Undoes a select's claim of a sender whose message will not be read:
    /// a blocked sender finds its message still in its packet and sends it
    /// again; a select's send case already completed, so its message (in
    /// a heap packet) is dropped.
    ///
    /// # Safety
    ///
    /// As for [`Channel::read`]; the token is not used afterwards.
    unsafe fn cancel_recv(&self, token: &mut Token) {
        let raw = token.zero.packet.cast::<Packet<T>>();
        if raw.is_null() {
            return;
        }
        // SAFETY: a live packet (see the module docs' table).
        let packet = unsafe { &*raw };
        match packet.kind {
            PacketKind::Stack | PacketKind::Shared => {
                let shared = packet.kind == PacketKind::Shared;
                // Release: pairs with the sender's Acquire in `wait_ready`
                // or `poll_send`.
                packet.ready.store(true, Ordering::Release);
                // A stack `packet` may be gone from here on.
                if let Some(waiter) = token.zero.waiter.take() {
                    waiter.unpark();
                }
                if shared {
                    // SAFETY: the list entry's count, given us by the claim.
                    drop(unsafe { Arc::from_raw(raw.cast_const()) });
                }
            }
            PacketKind::Kept => {
                // SAFETY: boxed by `claim` for us alone.
                let packet = unsafe { Box::from_raw(raw) };
                // SAFETY: ours alone.
                if let Some(msg) = unsafe { packet.take() } {
                    let mut inner = self.lock();
                    inner.kept.push_front(msg);
                    self.pass_on(&mut inner);
                    self.bump(&inner);
                }
            }
            PacketKind::Heap => {
                // SAFETY: the caller's contract is `read`'s.
                drop(unsafe { self.read(token) });
            }
        }
    }

    /// A non-blocking send's message for the pending task it claimed: kept
    /// until a receive takes it. The task is woken now that it is there,
    /// or, if its future was dropped since the claim, someone else is.
    fn keep(&self, token: &mut Token, msg: T) {
        let waiter = token.zero.waiter.take();
        token.zero.to_kept = false;
        let mut inner = self.lock();
        inner.kept.push_back(msg);
        match waiter {
            Some(waiter) if !waiter.is_abandoned() => waiter.unpark(),
            _ => self.pass_on(&mut inner),
        }
        self.bump(&inner);
    }

    /// A claimed task went away without looking (under the lock): whatever
    /// the claim meant (a kept message, a sender that registered) is
    /// offered to another pending task, or, for a kept message, handed
    /// straight to a blocked receiving thread.
    fn pass_on(&self, inner: &mut Inner<T>) {
        if let Some(entry) = inner.receivers.claim_task(None) {
            entry.cx.unpark();
            return;
        }
        if inner.kept.is_empty() {
            return;
        }
        if let Some(entry) = inner.receivers.claim_partner() {
            let msg = inner.kept.pop_front().expect("not empty");
            let token = &mut Token::default();
            token.zero.packet = entry.packet;
            token.zero.waiter.set(entry.cx);
            // SAFETY: just claimed under the lock, used once.
            let written = unsafe { self.write(token, msg) };
            debug_assert!(written.is_ok());
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.lock().closed
    }

    /// Messages the channel holds: only those kept for the next receiver
    /// after the pending task they were handed to was dropped (module
    /// docs, "Tasks"); 0 otherwise.
    pub(crate) fn len(&self) -> usize {
        self.lock().kept.len()
    }

    /// Closes the channel; true if this call did. Wakes every blocked
    /// sender and receiver.
    pub(crate) fn close(&self) -> bool {
        let mut inner = self.lock();
        if inner.closed {
            return false;
        }
        inner.closed = true;
        self.bump(&inner);
        inner.senders.close();
        inner.receivers.close();
        true
    }

    /// The address that identifies this channel in a select.
    pub(crate) fn addr(&self) -> *const u8 {
        std::ptr::from_ref(self).cast()
    }

    pub(crate) fn receiver(&self) -> Receiving<'_, T> {
        Receiving(self)
    }

    pub(crate) fn sender(&self) -> Sending<'_, T> {
        Sending(self)
    }
}

/// An unbuffered channel's receiving side, as a select case.
pub(crate) struct Receiving<'a, T>(&'a Channel<T>);

/// An unbuffered channel's sending side, as a select case.
pub(crate) struct Sending<'a, T>(&'a Channel<T>);

impl<T> SelectHandle for Receiving<'_, T> {
    fn try_select(&self, token: &mut Token) -> bool {
        self.0.start_recv(token)
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        // A task offers no packet: it is only woken, and takes its message
        // in its own poll (module docs, "Tasks").
        let packet = if cx.is_task() {
            std::ptr::null_mut()
        } else {
            Box::into_raw(Packet::<T>::empty_on_heap()).cast()
        };
        let mut inner = self.0.lock();
        inner.receivers.register_with_packet(oper, packet, cx);
        let task = inner.senders.claim_task(Some(cx));
        self.0.bump(&inner);
        let ready = inner.senders.has_partner() || inner.closed || !inner.kept.is_empty();
        drop(inner);
        if let Some(task) = task {
            task.cx.unpark();
        }
        ready
    }

    fn unregister(&self, oper: Operation) {
        let mut inner = self.0.lock();
        let entry = inner.receivers.unregister(oper);
        self.0.bump(&inner);
        drop(inner);
        if let Some(entry) = entry.filter(|entry| !entry.packet.is_null()) {
            // SAFETY: boxed in `register`; never claimed, so nobody else
            // has it.
            drop(unsafe { Box::from_raw(entry.packet.cast::<Packet<T>>()) });
        }
    }

    fn abandon(&self, _token: &mut Token, cx: &Context) {
        let mut inner = self.0.lock();
        cx.abandon();
        self.0.pass_on(&mut inner);
        self.0.bump(&inner);
    }

    fn accept(&self, token: &mut Token, cx: &Context) -> bool {
        if cx.is_task() {
            // Woken to look again.
            return false;
        }
        // Our own heap packet, which the sender that claimed us fills (or,
        // if its select case was cancelled, leaves empty).
        let raw = cx.wait_packet().cast::<Packet<T>>();
        drop(token.zero.waiter.take());
        // SAFETY: boxed in `register`, freed only by us (here or in `read`).
        let packet = unsafe { &*raw };
        packet.wait_ready();
        // SAFETY: the sender is done with it (`ready`).
        if unsafe { packet.has_message() } {
            token.zero.packet = raw.cast();
            true
        } else {
            // SAFETY: as above; nobody else has it now.
            drop(unsafe { Box::from_raw(raw) });
            false
        }
    }

    fn cancel(&self, token: &mut Token) {
        // SAFETY: `token` came from `try_select`/`accept` above, and is not
        // used again.
        unsafe { self.0.cancel_recv(token) }
    }

    fn version(&self) -> u64 {
        self.0.version()
    }
}

impl<T> SelectHandle for Sending<'_, T> {
    fn try_select(&self, token: &mut Token) -> bool {
        self.0.start_send(token)
    }

    fn deadline(&self) -> Option<Instant> {
        None
    }

    fn register(&self, oper: Operation, cx: &Context) -> bool {
        let mut inner = self.0.lock();
        if cx.is_task() {
            // A task's send case is woken by a receiver that registers,
            // and then hands its value over from its own poll: a waiting
            // receiver (a task too, through `kept`) makes it ready now.
            inner
                .senders
                .register_with_packet(oper, std::ptr::null_mut(), cx);
            self.0.bump(&inner);
            return inner.receivers.has_partner() || inner.receivers.has_task(cx) || inner.closed;
        }
        let packet = Box::into_raw(Packet::<T>::empty_on_heap()).cast();
        inner.senders.register_with_packet(oper, packet, cx);
        let task = inner.receivers.claim_task(None);
        self.0.bump(&inner);
        let ready = inner.receivers.has_partner() || inner.closed;
        drop(inner);
        if let Some(task) = task {
            task.cx.unpark();
        }
        ready
    }

    fn unregister(&self, oper: Operation) {
        let mut inner = self.0.lock();
        let entry = inner.senders.unregister(oper);
        self.0.bump(&inner);
        drop(inner);
        if let Some(entry) = entry.filter(|entry| !entry.packet.is_null()) {
            // SAFETY: boxed in `register`; never claimed, so nobody else
            // has it.
            drop(unsafe { Box::from_raw(entry.packet.cast::<Packet<T>>()) });
        }
    }

    fn abandon(&self, _token: &mut Token, _cx: &Context) {
        // A receiver that registered woke us; another send case may serve it.
        let mut inner = self.0.lock();
        let task = inner.senders.claim_task(None);
        self.0.bump(&inner);
        drop(inner);
        if let Some(task) = task {
            task.cx.unpark();
        }
    }

    fn accept(&self, token: &mut Token, cx: &Context) -> bool {
        if cx.is_task() {
            // Woken to look again.
            return false;
        }
        token.zero.packet = cx.wait_packet();
        drop(token.zero.waiter.take());
        true
    }

    fn cancel(&self, token: &mut Token) {
        // SAFETY: `token` came from `try_select`/`accept` above, and is not
        // used again.
        unsafe { self.0.cancel_send(token) }
    }

    fn version(&self) -> u64 {
        self.0.version()
    }
}
